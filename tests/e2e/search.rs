//! Visitors' own words → the intended démarche in the top 3, over the
//! project's relevance suite; and searches that mean nothing.

use volant_tests::{fresh_store, relevance};

/// Top-3 floors, in percent, per kind of phrasing and overall: raised as
/// search improves, never lowered to pass.
const FLOORS: &[(&str, f64)] = &[
    ("abbreviation", 98.0),
    ("foreign", 98.0),
    ("rare", 98.0),
    ("sentence", 96.0),
    ("situation", 98.0),
    ("typo", 98.0),
    ("all", 98.0),
];

#[test]
fn the_relevance_suite_stays_above_its_floors() {
    let t = fresh_store();
    let phrasings = relevance::phrasings();
    assert!(phrasings.len() >= 300, "{} phrasings", phrasings.len());
    let scores = relevance::score(&t.store, &phrasings);
    let report = relevance::report(&scores);
    for (kind, floor) in FLOORS {
        let got = scores.get(kind).map_or(0.0, relevance::KindScore::top3_pct);
        assert!(
            got >= *floor,
            "{kind}: top-3 {got:.1} % under its floor {floor} %\n{report}"
        );
    }
    assert_eq!(
        scores.len(),
        FLOORS.len(),
        "a kind without a floor:\n{report}"
    );
}

#[test]
fn searches_that_mean_nothing_return_nothing_and_never_fail() {
    let t = fresh_store();
    for words in [
        "",
        "   ",
        "je veux",
        "\"",
        "NEAR(",
        "*",
        "') OR 1=1 --",
        "<script>alert(1)</script>",
        "ééé",
    ] {
        let hits = t
            .store
            .search(words, 5)
            .unwrap_or_else(|e| panic!("search {words:?}: {e}"));
        assert!(hits.len() <= 5, "{words:?}");
    }
    assert!(t.store.search("je veux", 5).expect("search").is_empty());
}
