//! A minimal Tauri 2 window showing one static page, nothing else.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("minimal-window: {e}");
        std::process::exit(1);
    }
}
