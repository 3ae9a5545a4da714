//! Search relevance on the project's suite of visitor phrasings: top-1 and
//! top-3 per kind and every miss, on the shipped catalogue.
//! Run: `cargo bench -p volant-tests --bench relevance`.

use volant_tests::{fresh_store, relevance};

fn main() {
    let t = fresh_store();
    let catalogue = t
        .store
        .catalogue()
        .unwrap_or_else(|e| panic!("catalogue: {e}"));
    let phrasings = relevance::phrasings();
    println!(
        "relevance: {} phrasings on a catalogue of {} démarches",
        phrasings.len(),
        catalogue.demarches.len()
    );
    print!(
        "{}",
        relevance::report(&relevance::score(&t.store, &phrasings))
    );
}
