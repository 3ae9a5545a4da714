//! Finding the démarche from a visitor's own words.
//!
//! One FTS5 query per search: each meaningful word becomes a group of
//! alternatives — the word as a prefix, its stem if the word starts no
//! indexed term, its synonyms (a prefix
//! covered by a shorter one is dropped), and, when no indexed term starts
//! with it, its closest spellings — and the groups are
//! OR-ed — with the reserved term of any life event a word tells of
//! (`life_events.rs`), and without the terms too common to tell démarches
//! apart — and ranked by BM25 (title ≫ visitor words ≫ the
//! rest), the best few re-ranked by the words said together that they hold
//! together (`proximity.rs`) and by how often visitors come for each
//! démarche. Everything but the query itself happens in memory
//! ([`SearchIndex`]), so a search costs about one FTS5 query.

mod life_events;
pub(crate) mod normalize;
mod proximity;
mod synonyms;
mod vocabulary;

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::Demarche;

pub use normalize::{fold, keywords};
#[cfg(test)]
pub(crate) use proximity::COLUMN_WEIGHTS;
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

/// The share of démarches above which a term is too common to look for,
/// when the visitor said rarer words too: the relevance suite loses nothing
/// from 0.1 to 0.3, and below 0.1 it drops words that name démarches.
const COMMON: f64 = 0.1;

/// How many of FTS5's best matches are re-ranked in memory.
pub const RERANKED: u32 = 60;

/// An active démarche as search holds it: what a result shows, its
/// frequency, and its indexed text.
#[derive(Debug)]
pub struct IndexEntry {
    /// The result it gives.
    pub hit: SearchHit,
    /// How often visitors come for it (1–5).
    pub frequency: u8,
    /// Its title, visitor words and the rest, folded, as the index holds them.
    pub text: [String; 3],
}

struct Entry {
    hit: SearchHit,
    frequency: u8,
    columns: proximity::Columns,
}

/// What search keeps in memory: the index's vocabulary and each active
/// démarche, by rowid of the full-text index.
#[derive(Default)]
pub struct SearchIndex {
    vocabulary: Vocabulary,
    entries: HashMap<i64, Entry>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} démarches)", self.entries.len())
    }
}

/// A search to run: the FTS5 expression, and the pairs of words said
/// together that re-rank its matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPlan {
    /// The FTS5 expression; see [`match_expression`].
    pub expression: String,
    pairs: Vec<[String; 2]>,
}

impl SearchIndex {
    /// Builds the index from the index's terms and the active démarches.
    pub fn new(terms: Vec<(String, u32)>, entries: Vec<(i64, IndexEntry)>) -> Self {
        SearchIndex {
            vocabulary: Vocabulary::new(terms, entries.len() as u64),
            entries: entries
                .into_iter()
                .map(|(rowid, e)| {
                    let [title, words, body] = &e.text;
                    let columns = proximity::Columns::new([title, words, body]);
                    let (hit, frequency) = (e.hit, e.frequency);
                    (
                        rowid,
                        Entry {
                            hit,
                            frequency,
                            columns,
                        },
                    )
                })
                .collect(),
        }
    }

    /// What to run for a visitor's words, or `None` if nothing meaningful
    /// was typed.
    pub fn plan(&self, words: &str) -> Option<SearchPlan> {
        let words = meaningful_words(words);
        Some(SearchPlan {
            expression: expression(&words, &self.vocabulary)?,
            pairs: proximity::pairs(&words),
        })
    }

    /// FTS5's ranked matches (rowid, rank) → the results, re-ranked by the
    /// plan's pairs found together and by frequency, at most `limit`.
    pub fn results(&self, plan: &SearchPlan, ranked: &[(i64, f64)], limit: u32) -> Vec<SearchHit> {
        let found: Vec<(&Entry, f64)> = ranked
            .iter()
            .filter_map(|(rowid, rank)| Some((self.entries.get(rowid)?, *rank)))
            .collect();
        let columns: Vec<&proximity::Columns> = found.iter().map(|(e, _)| &e.columns).collect();
        let bonuses = proximity::bonuses(&columns, &plan.pairs, self.entries.len());
        let mut scored: Vec<(&Entry, f64)> = found
            .iter()
            .zip(bonuses)
            .map(|((e, rank), bonus)| {
                let boost = 1.0 + FREQUENCY_BOOST * f64::from(e.frequency);
                (*e, (rank - bonus) * boost)
            })
            .collect();
        scored.sort_by(|a, b| a.1.total_cmp(&b.1));
        scored
            .into_iter()
            .take(limit as usize)
            .map(|(e, score)| SearchHit {
                score,
                ..e.hit.clone()
            })
            .collect()
    }
}

fn quoted(term: &str) -> String {
    format!("\"{term}\"")
}

/// The words of a query that search looks for.
fn meaningful_words(query: &str) -> Vec<String> {
    keywords(query)
        .into_iter()
        .filter(|w| w.len() >= 2 || w.bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

/// The FTS5 expression for a visitor's words, or `None` if nothing meaningful
/// was typed. Terms are folded ASCII alphanumerics, so quoting is enough to
/// keep any input from being read as FTS5 syntax.
pub fn match_expression(query: &str, vocabulary: &Vocabulary) -> Option<String> {
    expression(&meaningful_words(query), vocabulary)
}

fn expression(words: &[String], vocabulary: &Vocabulary) -> Option<String> {
    let groups: Vec<Vec<(String, f64)>> = words
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
            let mut alternatives: Vec<(String, f64)> = kept
                .iter()
                .map(|t| (format!("{}*", quoted(t)), vocabulary.share(t, false)))
                .collect();
            let exact = |term: &str| (quoted(term), vocabulary.share(term, true));
            alternatives.extend(life_events::told(word).map(|e| exact(&life_events::term(e))));
            let understood = known
                || stem.is_some_and(|s| vocabulary.has_prefix(s))
                || !synonyms.is_empty()
                || alternatives.len() > kept.len();
            if !understood {
                alternatives.extend(vocabulary.corrections(word, 3).into_iter().map(exact));
            }
            alternatives
        })
        .collect();
    // An alternative that many démarches hold ranks little (BM25) and costs
    // the most (FTS5 ranks every démarche it matches): it is left out, unless
    // nothing rarer was said. It still counts in the pairs said together.
    let rare: Vec<String> = groups
        .iter()
        .filter_map(|alternatives| group(alternatives, |share| share <= COMMON))
        .collect();
    let groups = if rare.is_empty() {
        groups
            .iter()
            .filter_map(|alternatives| group(alternatives, |_| true))
            .collect()
    } else {
        rare
    };
    (!groups.is_empty()).then(|| groups.join(" OR "))
}

/// The FTS5 group of the alternatives whose share of démarches `keep`s them.
fn group(alternatives: &[(String, f64)], keep: impl Fn(f64) -> bool) -> Option<String> {
    let kept: Vec<&str> = alternatives
        .iter()
        .filter(|(_, share)| keep(*share))
        .map(|(a, _)| a.as_str())
        .collect();
    (!kept.is_empty()).then(|| format!("({})", kept.join(" OR ")))
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
        let v = Vocabulary::of(&[
            "passeport",
            "mariage",
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "h",
        ]);
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
    fn terms_most_demarches_hold_are_left_out_unless_nothing_rarer_was_said() {
        let v = Vocabulary::new(vec![("carte".into(), 6), ("vitale".into(), 1)], 10);
        assert_eq!(
            match_expression("carte vitale", &v).as_deref(),
            Some(r#"("vitale"*)"#)
        );
        assert_eq!(
            match_expression("carte", &v).as_deref(),
            Some(r#"("carte"*)"#)
        );
    }

    #[test]
    fn fts_syntax_in_the_input_is_neutralised() {
        let v = Vocabulary::of(&["acte", "a", "b", "c", "d", "e", "f", "g", "h", "i"]);
        let e = match_expression(r#""acte" OR NEAR(x) *"#, &v).expect("words");
        assert_eq!(e, r#"("acte"*) OR ("or"*) OR ("near"*)"#);
    }
}
