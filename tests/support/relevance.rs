//! The relevance suite (`tests/data/relevance.tsv`): phrasings by kind, each
//! with the démarches it means, searched on a store and scored top-1 / top-3
//! per kind. Shared by the floor test and the relevance bench.

use std::collections::BTreeMap;

use volant_core::Store;

/// The suite, as committed.
pub const SUITE: &str = include_str!("../data/relevance.tsv");

/// One phrasing of the suite.
#[derive(Debug, Clone)]
pub struct Phrasing {
    /// Its kind (`typo`, `situation`…).
    pub kind: &'static str,
    /// What the visitor says.
    pub words: &'static str,
    /// The démarches it means: any one in the top 3 counts.
    pub expected: Vec<&'static str>,
    /// Where it was written from.
    pub source: &'static str,
}

/// The suite's phrasings, in file order; panics on a malformed line (the
/// suite is the project's own file).
pub fn phrasings() -> Vec<Phrasing> {
    SUITE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            match fields[..] {
                [kind, words, expected, source] if !source.is_empty() => Phrasing {
                    kind,
                    words,
                    expected: expected.split('|').collect(),
                    source,
                },
                _ => panic!("relevance.tsv line {}: 4 fields expected: {l:?}", i + 1),
            }
        })
        .collect()
}

/// How one kind scored.
#[derive(Debug, Default, Clone)]
pub struct KindScore {
    /// Phrasings of the kind.
    pub total: usize,
    /// With an expected démarche first.
    pub top1: usize,
    /// With an expected démarche in the top 3.
    pub top3: usize,
    /// Those not in the top 3: phrasing, expected, what came instead.
    pub misses: Vec<String>,
}

impl KindScore {
    /// Share in the top 3, in percent.
    pub fn top3_pct(&self) -> f64 {
        100.0 * self.top3 as f64 / self.total.max(1) as f64
    }

    /// Share first, in percent.
    pub fn top1_pct(&self) -> f64 {
        100.0 * self.top1 as f64 / self.total.max(1) as f64
    }
}

/// Searches every phrasing on `store`; scores by kind, plus `"all"`.
pub fn score(store: &Store, phrasings: &[Phrasing]) -> BTreeMap<&'static str, KindScore> {
    let mut out: BTreeMap<&'static str, KindScore> = BTreeMap::new();
    for p in phrasings {
        let hits = store
            .search(p.words, 3)
            .unwrap_or_else(|e| panic!("search {:?}: {e}", p.words));
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        let first = ids.first().is_some_and(|id| p.expected.contains(id));
        let top3 = ids.iter().any(|id| p.expected.contains(id));
        for kind in [p.kind, "all"] {
            let k = out.entry(kind).or_default();
            k.total += 1;
            k.top1 += usize::from(first);
            k.top3 += usize::from(top3);
            if !top3 && kind != "all" {
                k.misses.push(format!(
                    "{:?} → {} (got {ids:?})",
                    p.words,
                    p.expected.join("|")
                ));
            }
        }
    }
    out
}

/// The report the bench prints and the test shows on failure.
pub fn report(scores: &BTreeMap<&'static str, KindScore>) -> String {
    let mut out = String::new();
    for (kind, s) in scores {
        out.push_str(&format!(
            "{kind:<13} {:>3} phrasings  top-1 {:>5.1} %  top-3 {:>5.1} %\n",
            s.total,
            s.top1_pct(),
            s.top3_pct()
        ));
    }
    for (kind, s) in scores {
        for m in &s.misses {
            out.push_str(&format!("  miss [{kind}] {m}\n"));
        }
    }
    out
}
