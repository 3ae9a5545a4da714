//! Finding the démarche from a visitor's own words.
//!
//! One FTS5 query per search: each meaningful word becomes a group of
//! alternatives — the word as a prefix, its stem if the word starts no
//! indexed term, its synonyms (a prefix
//! covered by a shorter one is dropped), and, when no indexed term starts
//! with it, its closest spellings — and the groups are
//! OR-ed — with a `NEAR` group for each pair of words said together, and the
//! reserved term of any life event a word tells of (`life_events.rs`) — and
//! ranked by BM25 (title ≫ visitor words ≫ the rest), the best few
//! re-ranked by how often visitors come for each démarche. Everything but the
//! query itself happens in memory ([`SearchIndex`]), so a search costs about
//! one FTS5 query.

mod life_events;
pub(crate) mod normalize;
mod synonyms;
mod vocabulary;

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::Demarche;

pub use normalize::{fold, keywords};
pub use vocabulary::Vocabulary;

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// Démarche id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: String,
    /// Id of the service that handles it.
    pub service_id: String,
    /// Name of that service.
    pub service: String,
    /// The visitor words attached to it.
    pub keywords: Vec<String>,
    /// BM25 score (lower is better).
    pub score: f64,
}

/// How much each level of a démarche's `frequency` scales its BM25 score.
const FREQUENCY_BOOST: f64 = 0.1;

/// How many of FTS5's best matches are re-ranked by frequency.
pub const RERANKED: u32 = 30;

/// What search keeps in memory: the index's vocabulary and what a result
/// shows of each active démarche, by rowid of the full-text index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    vocabulary: Vocabulary,
    entries: HashMap<i64, (SearchHit, u8)>,
}

impl SearchIndex {
    /// Builds the index from the index's terms and the active démarches.
    pub fn new(terms: Vec<String>, entries: Vec<(i64, SearchHit, u8)>) -> Self {
        SearchIndex {
            vocabulary: Vocabulary::new(terms),
            entries: entries
                .into_iter()
                .map(|(rowid, hit, f)| (rowid, (hit, f)))
                .collect(),
        }
    }

    /// The FTS5 expression for a visitor's words; see [`match_expression`].
    pub fn expression(&self, words: &str) -> Option<String> {
        match_expression(words, &self.vocabulary)
    }

    /// FTS5's ranked matches (rowid, rank) → the results, re-ranked by
    /// frequency, at most `limit`.
    pub fn results(&self, ranked: &[(i64, f64)], limit: u32) -> Vec<SearchHit> {
        let mut hits: Vec<SearchHit> = ranked
            .iter()
            .filter_map(|(rowid, rank)| {
                let (hit, frequency) = self.entries.get(rowid)?;
                Some(SearchHit {
                    score: rank * (1.0 + FREQUENCY_BOOST * f64::from(*frequency)),
                    ..hit.clone()
                })
            })
            .collect();
        hits.sort_by(|a, b| a.score.total_cmp(&b.score));
        hits.truncate(limit as usize);
        hits
    }
}

/// How many words may stand between two words said together, for them to
/// count as found together.
const NEAR: u32 = 3;

fn quoted(term: &str) -> String {
    format!("\"{term}\"")
}

/// The FTS5 expression for a visitor's words, or `None` if nothing meaningful
/// was typed. Terms are folded ASCII alphanumerics, so quoting is enough to
/// keep any input from being read as FTS5 syntax.
pub fn match_expression(query: &str, vocabulary: &Vocabulary) -> Option<String> {
    let words: Vec<String> = keywords(query)
        .into_iter()
        .filter(|w| w.len() >= 2 || w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let mut groups: Vec<String> = words
        .iter()
        .map(|word| {
            // The stem only when the word itself starts no indexed term: a
            // broader prefix costs recall nothing then, and saves work otherwise.
            let known = vocabulary.has_prefix(word);
            let stem = normalize::stem(word).filter(|_| !known);
            let synonyms = synonyms::expand(word);
            // Prefix terms; one that another covers (`sociale*` under `social*`) is dropped.
            let mut prefixes: Vec<&str> = std::iter::once(word.as_str())
                .chain(stem)
                .chain(synonyms.iter().copied())
                .collect();
            prefixes.sort_unstable_by_key(|p| p.len());
            let mut kept: Vec<&str> = Vec::with_capacity(prefixes.len());
            for p in prefixes {
                if !kept.iter().any(|k| p.starts_with(k)) {
                    kept.push(p);
                }
            }
            let mut alternatives: Vec<String> =
                kept.iter().map(|t| format!("{}*", quoted(t))).collect();
            alternatives.extend(life_events::told(word).map(|e| quoted(&life_events::term(e))));
            let understood = known
                || stem.is_some_and(|s| vocabulary.has_prefix(s))
                || !synonyms.is_empty()
                || alternatives.len() > kept.len();
            if !understood {
                alternatives.extend(vocabulary.corrections(word, 3).into_iter().map(quoted));
            }
            format!("({})", alternatives.join(" OR "))
        })
        .collect();
    // Two words said together and found close together (« perdu … travail »
    // in « j'ai perdu mon travail ») score once more: a situation told in the
    // visitor's words outranks démarches that share only one of them.
    groups.extend(
        words
            .windows(2)
            .filter(|pair| pair.iter().all(|w| w.len() >= 3))
            .map(|pair| format!("NEAR({}* {}*, {NEAR})", quoted(&pair[0]), quoted(&pair[1]))),
    );
    (!groups.is_empty()).then(|| groups.join(" OR "))
}

/// What the index holds of a démarche's visitor words, folded: its French
/// keywords, its English and Spanish words, its situations and the terms of
/// its life events.
pub fn indexed_words(d: &Demarche) -> String {
    let words = d
        .keywords
        .iter()
        .chain(&d.foreign_words.en)
        .chain(&d.foreign_words.es)
        .chain(&d.situations)
        .map(|w| fold(w))
        .chain(d.life_events.iter().map(|e| life_events::term(*e)));
    words.collect::<Vec<_>>().join(" ")
}

/// The bare FTS5 expression for the same words (prefix terms OR-ed, nothing
/// else): the floor the benchmark compares [`match_expression`] with.
pub fn bare_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = keywords(query)
        .iter()
        .map(|w| format!("{}*", quoted(w)))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_expand_words_and_correct_typos() {
        let v = Vocabulary::new(vec!["passeport".into(), "mariage".into()]);
        assert_eq!(
            match_expression("je veux me marier", &v).as_deref(),
            Some(r#"("mari"* OR "qxevmariage")"#)
        );
        assert_eq!(
            match_expression("pasport", &v).as_deref(),
            Some(r#"("pasport"* OR "passeport")"#)
        );
        assert_eq!(match_expression("je veux", &v), None);
    }

    #[test]
    fn fts_syntax_in_the_input_is_neutralised() {
        let v = Vocabulary::new(vec!["acte".into()]);
        let e = match_expression(r#""acte" OR NEAR(x) *"#, &v).expect("words");
        assert_eq!(e, r#"("acte"*) OR ("or"*) OR ("near"*)"#);
    }
}
