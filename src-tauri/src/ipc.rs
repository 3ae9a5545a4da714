//! The IPC contract, written once. `commands!` takes each command — what it
//! needs from the shell (state, app handle), then `;`, then what the UI sends,
//! and its answer — and makes from that one list the `#[tauri::command]`s,
//! the invoke handler, and the TypeScript wrappers of `ui/src/commands.ts`
//! (a test fails when that file is stale).

/// A command as the UI calls it.
#[cfg(test)]
pub struct Signature {
    /// The command's name.
    pub name: &'static str,
    /// What the UI sends: names and TypeScript types.
    pub args: Vec<(&'static str, String)>,
    /// The answer's TypeScript type.
    pub answer: String,
}

/// Defines the commands, their handler and their signatures.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        async fn $name:ident($($ctx:ident: $cty:ty),* ; $($arg:ident: $aty:ty),* $(,)?) -> $ret:ty $body:block
    )*) => {
        $(
            $(#[$doc])*
            #[tauri::command]
            pub async fn $name($($ctx: $cty,)* $($arg: $aty),*) -> Answer<$ret> $body
        )*

        /// The handler of every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command, as the UI calls it.
        #[cfg(test)]
        pub fn signatures() -> Vec<crate::ipc::Signature> {
            let cfg = ts_rs::Config::default();
            vec![$(crate::ipc::Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$aty as ts_rs::TS>::name(&cfg))),*],
                answer: <$ret as ts_rs::TS>::name(&cfg),
            }),*]
        }
    };
}

/// `snake_case` as Tauri expects it from JavaScript: `camelCase`.
#[cfg(test)]
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A 64-bit integer crosses IPC as a JSON number (as the bindings declare it).
#[cfg(test)]
fn json_number(ts: &str) -> &str {
    if ts == "bigint" { "number" } else { ts }
}

/// `ui/src/commands.ts`: one typed wrapper per command.
#[cfg(test)]
pub fn typescript(signatures: &[Signature]) -> String {
    use std::collections::BTreeSet;
    let answer = |s: &Signature| match s.answer.as_str() {
        "null" => "void".to_owned(),
        other => other.to_owned(),
    };
    let mut types = BTreeSet::new();
    for s in signatures {
        let text = s
            .args
            .iter()
            .map(|(_, t)| t.as_str())
            .chain([s.answer.as_str()]);
        for t in text {
            for word in t.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.starts_with(|c: char| c.is_ascii_uppercase()) && word != "Array" {
                    types.insert(word.to_owned());
                }
            }
        }
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs (the `commands!` list) by crate::ipc.\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p volant-app`.\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from \"./bindings\";\n\n",
        types.into_iter().collect::<Vec<_>>().join(", ")
    ));
    out.push_str(
        "/** Sends one command; rejects with the command's `{code, message}`. */\n\
         export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every command of the shell, typed. */\n\
         export const commands = (call: Call) => ({\n",
    );
    for s in signatures {
        let params: Vec<String> = s
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), json_number(t)))
            .collect();
        let keys: Vec<String> = s.args.iter().map(|(n, _)| camel(n)).collect();
        let args = if keys.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", keys.join(", "))
        };
        out.push_str(&format!(
            "  {}: ({}) => call<{}>(\"{}\"{args}),\n",
            camel(s.name),
            params.join(", "),
            answer(s),
            s.name
        ));
    }
    out.push_str("});\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_typescript_command_wrappers_are_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/commands.ts");
        let generated = super::typescript(&crate::commands::signatures());
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &generated).expect("write commands.ts");
        }
        let published = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            published == generated,
            "ui/src/commands.ts is stale: UPDATE_BINDINGS=1 cargo test -p volant-app"
        );
    }

    #[test]
    fn arguments_are_named_as_tauri_expects_them() {
        assert_eq!(super::camel("open_visit"), "openVisit");
        assert_eq!(super::camel("words"), "words");
    }
}
