//! Visitors' own words → the intended démarche in the top 3.

use volant_tests::fresh_store;

/// `what the visitor says<TAB>the démarche the greeter means`, one per line;
/// shared with the search benchmark.
const PHRASINGS: &str = include_str!("../data/search-phrasings.tsv");

fn phrasings() -> Vec<(&'static str, &'static str)> {
    PHRASINGS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect()
}

#[test]
fn each_phrasing_finds_its_demarche_in_the_top_three() {
    let t = fresh_store();
    let mut misses = Vec::new();
    let phrasings = phrasings();
    for (words, expected) in &phrasings {
        let hits = t
            .store
            .search(words, 3)
            .unwrap_or_else(|e| panic!("search {words:?}: {e}"));
        if !hits.iter().any(|h| h.id == *expected) {
            let got: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            misses.push(format!("{words:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(phrasings.len() >= 50, "{} phrasings", phrasings.len());
    assert!(
        misses.is_empty(),
        "{} of {} phrasings missed:\n{}",
        misses.len(),
        phrasings.len(),
        misses.join("\n")
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
