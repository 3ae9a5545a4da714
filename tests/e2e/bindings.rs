//! `ui/src/bindings.ts` is generated from the Rust types that cross IPC;
//! run with `UPDATE_BINDINGS=1` to rewrite it after changing them.

#[test]
fn the_typescript_bindings_are_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
    let generated = volant_core::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src")).expect("ui/src");
        std::fs::write(path, &generated).expect("write bindings");
    }
    let published = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        published == generated,
        "ui/src/bindings.ts is stale: UPDATE_BINDINGS=1 cargo test -p volant-tests --test e2e bindings"
    );
}
