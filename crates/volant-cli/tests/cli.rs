//! The `volant` binary as a user runs it: each test on a fresh database file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Tablet {
    dir: tempfile::TempDir,
}

impl Tablet {
    fn new() -> Tablet {
        Tablet {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("tablet.sqlite3")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_volant"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .output()
            .expect("run volant")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write file");
        path
    }
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn search_answers_in_json_ranked_with_the_required_fields() {
    let t = Tablet::new();
    let out = t.ok(&[
        "catalogue",
        "search",
        "acte de naisance",
        "--limit",
        "3",
        "--json",
    ]);
    let hits: serde_json::Value = serde_json::from_str(&out).expect("json");
    let hits = hits.as_array().expect("array");
    assert!(!hits.is_empty() && hits.len() <= 3);
    assert_eq!(hits[0]["id"], "etat-civil.acte-naissance");
    for field in ["id", "title", "service", "keywords"] {
        assert!(hits.iter().all(|h| !h[field].is_null()), "{field}");
    }
    let text = t.ok(&["catalogue", "search", "naiss"]);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("Acte de naissance")),
        "{text}"
    );
}

#[test]
fn export_import_round_trip_and_a_bad_file_is_refused_with_lines() {
    let t = Tablet::new();
    let exported = t.ok(&["catalogue", "export"]);
    let file = t.dir.path().join("export.json");
    t.ok(&["catalogue", "export", arg(&file)]);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), exported);
    assert!(
        t.ok(&["catalogue", "import", arg(&file)])
            .contains("démarches")
    );

    let bad = t.file(
        "bad.json",
        &exported.replacen("\"category\": \"État civil\"", "\"category\": \"\"", 1),
    );
    let out = t.run(&["catalogue", "import", arg(&bad)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rien n'a été importé") && err.contains("ligne ") && err.contains(".category"),
        "{err}"
    );
    assert_eq!(t.ok(&["catalogue", "export"]), exported, "nothing changed");
}

#[test]
fn demo_visits_then_the_day_log_as_csv_and_json() {
    let t = Tablet::new();
    let out = t.ok(&["demo", "visits", "--count", "40"]);
    assert!(out.starts_with("40 visites"), "{out}");
    // One day of demo: the last opening day, named in the output.
    let (_, after) = out.split_once(" au ").expect("a day span");
    let today = &after[..10];
    let csv_text = t.ok(&["log", "export", "--date", today, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.records().count(), 40);
    let json: serde_json::Value =
        serde_json::from_str(&t.ok(&["log", "export", "--date", today, "--format", "json"]))
            .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(40));
    let status = t.ok(&["status"]);
    assert!(
        status.contains("Envois en attente")
            && status.contains("Service-Public.fr / DILA — Licence Ouverte 2.0"),
        "{status}"
    );
}

#[test]
fn errors_are_one_clear_line_and_a_failure_exit() {
    let t = Tablet::new();
    let out = t.run(&["catalogue", "import", "/nonexistent/catalogue.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("volant : /nonexistent/catalogue.json"),
        "{err}"
    );

    let out = t.run(&["log", "export", "--date", "28/11/2026"]);
    assert!(!out.status.success());
    let out = t.run(&["catalogue", "search", "x", "--limit", "0"]);
    assert!(!out.status.success());

    let dir_as_db = Command::new(env!("CARGO_BIN_EXE_volant"))
        .args(["--db", arg(t.dir.path()), "status"])
        .output()
        .expect("run");
    assert!(!dir_as_db.status.success());
    assert_eq!(
        String::from_utf8_lossy(&dir_as_db.stderr).lines().count(),
        1
    );
}
