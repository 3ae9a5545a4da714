//! The index's vocabulary in memory, for prefix checks and typo corrections.
//!
//! A query word that is the prefix of no indexed term is probably misspelt: its
//! candidates are the terms sharing the most trigrams with it, kept when their
//! edit distance (or that of their prefix of about the same length) is small.

use std::collections::HashMap;

/// Sorted terms of the index, how many démarches hold them, and a trigram
/// index over them.
#[derive(Debug, Default)]
pub struct Vocabulary {
    terms: Vec<String>,
    /// `held[i]`: how many démarches hold the terms before `terms[i]`, summed.
    held: Vec<u64>,
    documents: u64,
    trigrams: HashMap<[u8; 3], Vec<u32>>,
}

fn trigrams(word: &str) -> Vec<[u8; 3]> {
    let padded: Vec<u8> = std::iter::once(b'^')
        .chain(word.bytes())
        .chain(std::iter::once(b'$'))
        .collect();
    padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl Vocabulary {
    /// Builds the vocabulary from the index's terms (ASCII, folded), each with
    /// the number of démarches that hold it, out of `documents`.
    pub fn new(mut counted: Vec<(String, u32)>, documents: u64) -> Self {
        counted.retain(|(t, _)| t.is_ascii());
        counted.sort_unstable();
        counted.dedup_by(|a, b| a.0 == b.0);
        let held = std::iter::once(0)
            .chain(counted.iter().scan(0, |sum, (_, n)| {
                *sum += u64::from(*n);
                Some(*sum)
            }))
            .collect();
        let terms: Vec<String> = counted.into_iter().map(|(t, _)| t).collect();
        let mut trigram_index: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.len() >= 3) {
            let id = u32::try_from(i).unwrap_or(u32::MAX);
            for t in trigrams(term) {
                trigram_index.entry(t).or_default().push(id);
            }
        }
        Self {
            terms,
            held,
            documents,
            trigrams: trigram_index,
        }
    }

    /// A vocabulary of `terms`, each held by one démarche of `terms.len()`.
    #[cfg(test)]
    pub(crate) fn of(terms: &[&str]) -> Self {
        let counted = terms.iter().map(|t| ((*t).to_owned(), 1)).collect();
        Vocabulary::new(counted, terms.len() as u64)
    }

    /// The range of terms that start with `prefix`.
    fn starting_with(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        let len = self.terms[start..].partition_point(|t| t.starts_with(prefix));
        start..start + len
    }

    /// Whether some indexed term starts with `prefix`.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        !self.starting_with(prefix).is_empty()
    }

    /// The share of démarches (0–1, an upper bound) holding a term that
    /// starts with `prefix` — or, when `exact`, the term `prefix` itself.
    pub fn share(&self, prefix: &str, exact: bool) -> f64 {
        let mut range = self.starting_with(prefix);
        if exact {
            range.end =
                range.start + usize::from(self.terms.get(range.start).is_some_and(|t| t == prefix));
        }
        let held = self.held[range.end] - self.held[range.start];
        held as f64 / self.documents.max(1) as f64
    }

    /// Up to `max` indexed terms closest to a misspelt `word`, all equally close.
    /// Words under four letters are not corrected: too many false friends.
    pub fn corrections(&self, word: &str, max: usize) -> Vec<&str> {
        if word.len() < 4 || !word.is_ascii() {
            return Vec::new();
        }
        let allowed = if word.len() <= 5 { 1 } else { 2 };
        let mut shared = vec![0u8; self.terms.len()];
        let mut touched: Vec<u32> = Vec::new();
        for t in trigrams(word) {
            for &id in self.trigrams.get(&t).map_or(&[][..], Vec::as_slice) {
                let count = &mut shared[id as usize];
                if *count == 0 {
                    touched.push(id);
                }
                *count = count.saturating_add(1);
            }
        }
        let mut candidates: Vec<(u32, u8)> = touched
            .into_iter()
            .map(|id| (id, shared[id as usize]))
            .filter(|&(_, n)| n >= 2)
            .collect();
        candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut scored: Vec<((usize, usize), &str)> = candidates
            .into_iter()
            .take(64)
            .filter_map(|(id, _)| {
                let term = self.terms.get(id as usize)?.as_str();
                let whole = edit_distance(word.as_bytes(), term.as_bytes());
                let as_prefix = (word.len().saturating_sub(1)..=word.len() + 1)
                    .filter(|&l| l < term.len())
                    .map(|l| edit_distance(word.as_bytes(), &term.as_bytes()[..l]))
                    .min()
                    .unwrap_or(usize::MAX);
                let d = whole.min(as_prefix);
                (d <= allowed).then_some(((d, whole), term))
            })
            .collect();
        scored.sort_unstable();
        // Only the closest spellings: a word one typo away hides those two
        // away, and a whole word beats the start of a longer one.
        let best = scored.first().map(|(key, _)| *key);
        scored
            .into_iter()
            .take_while(|(key, _)| Some(*key) == best)
            .take(max)
            .map(|(_, t)| t)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::of(&[
            "naissance",
            "passeport",
            "identite",
            "carte",
            "mariage",
            "logement",
            "reconnaissance",
        ])
    }

    #[test]
    fn prefixes_are_found() {
        assert!(vocab().has_prefix("naiss"));
        assert!(!vocab().has_prefix("naisan"));
    }

    #[test]
    fn shares_count_the_demarches_holding_a_prefix_or_a_term() {
        let v = Vocabulary::new(
            vec![
                ("carte".into(), 6),
                ("cartes".into(), 2),
                ("vitale".into(), 1),
            ],
            10,
        );
        assert_eq!(v.share("cart", false), 0.8);
        assert_eq!(v.share("carte", true), 0.6);
        assert_eq!(v.share("cart", true), 0.0);
        assert_eq!(v.share("zz", false), 0.0);
    }

    #[test]
    fn typos_are_corrected_to_near_terms_only() {
        let v = vocab();
        assert_eq!(v.corrections("pasport", 3), ["passeport"]);
        assert_eq!(v.corrections("naisance", 3), ["naissance"]);
        assert_eq!(v.corrections("idnetite", 3), ["identite"]);
        assert_eq!(v.corrections("logemnt", 3), ["logement"]);
        assert!(v.corrections("zzzz", 3).is_empty());
        let v = Vocabulary::of(&["naissance", "nuisances"]);
        assert_eq!(
            v.corrections("naisance", 3),
            ["naissance"],
            "one typo away beats two"
        );
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance(b"mairage", b"mariage"), 1);
        assert_eq!(edit_distance(b"", b"abc"), 3);
    }
}
