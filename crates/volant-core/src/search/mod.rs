//! Finding the démarche from a visitor's own words.
//!
//! One FTS5 query per search: each meaningful word becomes a group of
//! alternatives — the word as a prefix, its stem, its synonyms, and, when no
//! indexed term starts with it, its closest spellings — and the groups are
//! OR-ed and ranked by BM25 (title ≫ keywords ≫ the rest). Everything but the
//! query itself happens in memory, so a search costs about one FTS5 query.

mod normalize;
mod synonyms;
mod vocabulary;

use serde::Serialize;

pub use normalize::{fold, keywords};
pub use vocabulary::Vocabulary;

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Column weights of `demarche_fts` (title, keywords, body) for BM25.
pub const WEIGHTS: (f64, f64, f64) = (10.0, 6.0, 1.0);

/// How much each level of a démarche's `frequency` scales its BM25 score.
pub const FREQUENCY_BOOST: f64 = 0.1;

fn quoted(term: &str) -> String {
    format!("\"{term}\"")
}

/// The FTS5 expression for a visitor's words, or `None` if nothing meaningful
/// was typed. Terms are folded ASCII alphanumerics, so quoting is enough to
/// keep any input from being read as FTS5 syntax.
pub fn match_expression(query: &str, vocabulary: &Vocabulary) -> Option<String> {
    let groups: Vec<String> = keywords(query)
        .iter()
        .filter(|w| w.len() >= 2 || w.bytes().all(|b| b.is_ascii_digit()))
        .map(|word| {
            let stem = normalize::stem(word);
            let synonyms = synonyms::expand(word);
            let mut alternatives: Vec<String> = std::iter::once(word.as_str())
                .chain(stem)
                .chain(synonyms.iter().copied())
                .map(|t| format!("{}*", quoted(t)))
                .collect();
            let understood = vocabulary.has_prefix(word)
                || stem.is_some_and(|s| vocabulary.has_prefix(s))
                || !synonyms.is_empty();
            if !understood {
                alternatives.extend(vocabulary.corrections(word, 3).into_iter().map(quoted));
            }
            format!("({})", alternatives.join(" OR "))
        })
        .collect();
    (!groups.is_empty()).then(|| groups.join(" OR "))
}

/// The bare FTS5 expression for the same words (prefix terms OR-ed, nothing
/// else): the floor the benchmark compares [`match_expression`] with.
pub fn bare_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = keywords(query).iter().map(|w| format!("{}*", quoted(w))).collect();
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
            Some(r#"("marier"* OR "mari"* OR "mariage"*)"#)
        );
        assert_eq!(match_expression("pasport", &v).as_deref(), Some(r#"("pasport"* OR "passeport")"#));
        assert_eq!(match_expression("je veux", &v), None);
    }

    #[test]
    fn fts_syntax_in_the_input_is_neutralised() {
        let v = Vocabulary::new(vec!["acte".into()]);
        let e = match_expression(r#""acte" OR NEAR(x) *"#, &v).expect("words");
        assert_eq!(e, r#"("acte"*) OR ("or"*) OR ("near"*)"#);
    }
}
