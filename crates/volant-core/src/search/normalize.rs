//! Text folding shared by the index and the queries: lower case, no accents,
//! ligatures split, punctuation to spaces, French stop words dropped.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `text`, removes diacritics, splits œ/æ and turns every
/// non-alphanumeric character into a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out
}

/// Words that say nothing about the démarche ("je voudrais faire une demande pour mon…").
const STOP_WORDS: &[&str] = &[
    "a", "ai", "au", "aux", "avec", "avoir", "besoin", "bonjour", "c", "ca", "ce", "ces", "cette",
    "comment", "d", "dans", "de", "demande", "des", "dois", "doit", "du", "elle", "en", "est",
    "et", "etre", "faire", "fait", "faut", "il", "ici", "j", "je", "l", "la", "le", "les", "leur",
    "lui", "m", "ma", "madame", "me", "mes", "moi", "mon", "monsieur", "n", "ne", "nos", "notre",
    "on", "ou", "par", "pas", "peut", "peux", "plait", "pour", "pouvoir", "qu", "que", "qui", "s",
    "sa", "se", "ses", "si", "sil", "son", "sont", "sur", "svp", "t", "ta", "te", "tes", "ton",
    "un", "une", "veux", "voudrais", "voudrait", "vous", "y",
];

/// The meaningful words of `text`, folded, in order, without duplicates.
pub fn keywords(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in fold(text).split_whitespace() {
        if !STOP_WORDS.contains(&word) && !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    out
}

/// A crude French stem for inflected words (`demenager` → `demenag`,
/// `inscrire` → `inscri`), used as an extra prefix; `None` when nothing to strip.
pub fn stem(word: &str) -> Option<&str> {
    const SUFFIXES: &[&str] = &[
        "ements", "ement", "ations", "ation", "ees", "ee", "er", "ez", "es", "re", "ir", "e", "s",
        "x",
    ];
    SUFFIXES
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix).filter(|rest| rest.len() >= 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_ligatures_and_punctuation() {
        assert_eq!(
            fold("Acte de NAISSANCE d'un bébé, sœur"),
            "acte de naissance d un bebe  soeur"
        );
        assert_eq!(fold("l’état-civil"), "l etat civil");
    }

    #[test]
    fn keywords_drop_stop_words_and_duplicates() {
        assert_eq!(
            keywords("Bonjour, je voudrais faire ma carte d'identité, ma carte"),
            ["carte", "identite"]
        );
    }

    #[test]
    fn stems_strip_one_suffix_and_keep_four_letters() {
        assert_eq!(stem("demenager"), Some("demenag"));
        assert_eq!(stem("inscrire"), Some("inscri"));
        assert_eq!(stem("acte"), None);
    }
}
