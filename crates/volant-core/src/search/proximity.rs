//! Words said together and found together. Two meaningful words the visitor
//! said one after the other (« perdu … travail » in « j'ai perdu mon
//! travail ») that a démarche holds close together in one of its columns
//! score again, as FTS5's `NEAR` would: a situation told in the visitor's
//! words outranks démarches that share only one of them. Done in memory on
//! FTS5's best matches, because a `NEAR` group in the query doubles its cost
//! (it reads every candidate's positions).

/// How many words may stand between two words said together, for them to
/// count as found together.
const NEAR: usize = 3;

/// Weight of each indexed column (title, visitor words, the rest), as in the
/// index's BM25 ranking (`schema/tablet/0001_catalogue.sql`; a test holds
/// them equal).
pub(crate) const COLUMN_WEIGHTS: [f64; 3] = [10.0, 6.0, 1.0];

/// How much a pair found together weighs against a word found, as the
/// relevance suite measured it (top-1 best from 0.3 to 0.55; above 0.7 long
/// sentences lose, their pairs drowning the one rare word that names the
/// démarche).
const PAIR_WEIGHT: f64 = 0.4;

/// A démarche's indexed text, as tokens per column.
#[derive(Debug, Default)]
pub(crate) struct Columns([Box<[Box<str>]>; 3]);

impl Columns {
    /// Tokenises the folded text of the index's three columns.
    pub(crate) fn new(text: [&str; 3]) -> Self {
        Columns(text.map(|column| {
            column
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(Box::from)
                .collect()
        }))
    }

    /// The summed weights of the columns where `pair` is found together:
    /// a token starting with each word, at most [`NEAR`] tokens apart.
    fn together(&self, pair: &[String; 2]) -> f64 {
        self.0
            .iter()
            .zip(COLUMN_WEIGHTS)
            .filter(|(tokens, _)| holds_together(tokens, &pair[0], &pair[1]))
            .map(|(_, weight)| weight)
            .sum()
    }
}

/// Whether a token starting with `a` and another starting with `b` stand
/// at most [`NEAR`] tokens apart, in one pass.
fn holds_together(tokens: &[Box<str>], a: &str, b: &str) -> bool {
    let (mut last_a, mut last_b): (Option<usize>, Option<usize>) = (None, None);
    let close = |last: Option<usize>, i: usize| last.is_some_and(|j| i - j <= NEAR + 1);
    for (i, token) in tokens.iter().enumerate() {
        let (is_a, is_b) = (token.starts_with(a), token.starts_with(b));
        if (is_a && close(last_b, i)) || (is_b && close(last_a, i)) {
            return true;
        }
        if is_a {
            last_a = Some(i);
        }
        if is_b {
            last_b = Some(i);
        }
    }
    false
}

/// The pairs of words said one after the other, each at least three letters.
pub(crate) fn pairs(words: &[String]) -> Vec<[String; 2]> {
    words
        .windows(2)
        .filter(|pair| pair.iter().all(|w| w.len() >= 3))
        .map(|pair| [pair[0].clone(), pair[1].clone()])
        .collect()
}

/// What each candidate gains (to subtract from its BM25 rank) for the pairs
/// it holds together: per pair, [`PAIR_WEIGHT`] times the weights of its columns times the pair's
/// rarity among `total` démarches (BM25's IDF, counted over the candidates,
/// which hold every démarche where both words are found).
pub(crate) fn bonuses(candidates: &[&Columns], pairs: &[[String; 2]], total: usize) -> Vec<f64> {
    let mut bonus = vec![0.0; candidates.len()];
    for pair in pairs {
        let weights: Vec<f64> = candidates.iter().map(|c| c.together(pair)).collect();
        let found = weights.iter().filter(|w| **w > 0.0).count() as f64;
        let idf = ((total as f64 - found + 0.5) / (found + 0.5))
            .ln()
            .max(1e-6);
        for (b, w) in bonus.iter_mut().zip(&weights) {
            *b += PAIR_WEIGHT * w * idf;
        }
    }
    bonus
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, b: &str) -> [String; 2] {
        [a.to_owned(), b.to_owned()]
    }

    #[test]
    fn words_close_together_in_a_column_count_with_its_weight() {
        let c = Columns::new([
            "perte d emploi",
            "perdu mon travail licencie",
            "perdu x y z w travail",
        ]);
        assert_eq!(c.together(&pair("perdu", "travail")), 6.0);
        assert_eq!(c.together(&pair("perte", "emploi")), 10.0);
        assert_eq!(c.together(&pair("travail", "travail")), 0.0);
        assert_eq!(c.together(&pair("emploi", "perte")), 10.0, "either order");
    }

    #[test]
    fn pairs_skip_short_words_and_rare_pairs_weigh_more() {
        let words: Vec<String> = ["perdu", "du", "travail", "paris"].map(String::from).into();
        assert_eq!(pairs(&words), vec![pair("travail", "paris")]);
        let (a, b) = (
            Columns::new(["travail paris", "", ""]),
            Columns::new(["", "", ""]),
        );
        let alone = bonuses(&[&a, &b], &[pair("travail", "paris")], 100);
        let shared = bonuses(&[&a, &a], &[pair("travail", "paris")], 100);
        assert_eq!(alone[1], 0.0);
        assert!(alone[0] > shared[0] && shared[0] > 0.0);
    }
}
