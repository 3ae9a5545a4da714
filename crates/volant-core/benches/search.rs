//! Search latency over a catalogue of more than 5,000 démarches — the shipped
//! catalogue plus items built from the official sheets in
//! `reference/` — measured beside the bare FTS5 query on the same
//! data in the same run. Run: `cargo bench -p volant-core --bench search`
//! (`BENCH_DB=path` keeps the database for inspection).

mod common;

use std::path::PathBuf;
use std::time::Duration;

use volant_core::Store;

const PHRASINGS: &str = include_str!("../../../tests/data/relevance.tsv");
const ROUNDS: usize = 60;

fn reference_path() -> PathBuf {
    std::env::var_os("VOLANT_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../reference/service-public-fiches-particuliers.jsonl")
        })
}

fn main() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut store = Store::open(
        &std::env::var("BENCH_DB")
            .map(PathBuf::from)
            .unwrap_or_else(|_| dir.path().join("bench.sqlite3")),
        chrono::Utc::now(),
    )
    .map_err(|e| e.to_string())?;
    let path = reference_path();
    let reference =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let catalogue = volant_core::demo::large_catalogue(
        store.catalogue().map_err(|e| e.to_string())?,
        &reference,
    )?;
    let size = catalogue.demarches.len();
    store
        .replace_catalogue(&catalogue)
        .map_err(|e| e.to_string())?;
    let queries: Vec<&str> = PHRASINGS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    println!(
        "catalogue: {size} démarches; {} visitor phrasings x {ROUNDS} rounds, limit 10",
        queries.len()
    );
    let (mut ours, mut bare): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for round in 0..=ROUNDS {
        for q in &queries {
            // Alternate which runs first, so neither gets the warmer cache.
            let (a, b) = if round % 2 == 0 {
                let a = common::time(|| store.search(q, 10));
                (a, common::time(|| store.search_bare(q, 10)))
            } else {
                let b = common::time(|| store.search_bare(q, 10));
                (common::time(|| store.search(q, 10)), b)
            };
            a.1.map_err(|e| e.to_string())?;
            b.1.map_err(|e| e.to_string())?;
            if round > 0 {
                ours.push(a.0);
                bare.push(b.0);
            }
        }
    }
    let mut held: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for d in &catalogue.demarches {
        let text = volant_core::search::fold(&format!(
            "{} {} {}",
            d.title,
            volant_core::search::indexed_words(d),
            d.category
        ));
        let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
        for w in words {
            *held.entry(w.to_owned()).or_default() += 1;
        }
    }
    let vocabulary = volant_core::search::Vocabulary::new(held.into_iter().collect(), size as u64);
    let mut building: Vec<Duration> = Vec::new();
    for _ in 0..ROUNDS {
        for q in &queries {
            building.push(common::time(|| volant_core::search::match_expression(q, &vocabulary)).0);
        }
    }
    common::report("  of which: building the FTS5 expression", &mut building);
    let mut slowest: Vec<(Duration, &str)> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            (
                ours.iter().skip(i).step_by(queries.len()).sum::<Duration>() / ROUNDS as u32,
                *q,
            )
        })
        .collect();
    slowest.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
    for (t, q) in slowest.iter().take(5) {
        println!("  slow: {:>8.1} µs  {q:?}", t.as_secs_f64() * 1e6);
    }
    let (o50, o95) = common::report("search (Volant: expand, correct, rank)", &mut ours);
    let (b50, b95) = common::report("bare FTS5 query (prefix terms OR-ed)", &mut bare);
    println!(
        "ratio Volant / bare: p50 {:.2}x  p95 {:.2}x   (target: p95 <= 1.2x)",
        o50 / b50,
        o95 / b95
    );
    Ok(())
}
