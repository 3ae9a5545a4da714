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

/// Words that say nothing about the démarche, sorted: French politeness and
/// narration ("bonjour, madame voudrait savoir comment on fait pour…") and
/// the same in English and Spanish ("please I need…", "hola, quiero…").
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "ai",
    "aimerais",
    "aimerait",
    "al",
    "algo",
    "aller",
    "allez",
    "alors",
    "am",
    "an",
    "and",
    "any",
    "aqui",
    "are",
    "at",
    "au",
    "aujourd",
    "aussi",
    "aux",
    "avait",
    "avec",
    "avez",
    "avoir",
    "avons",
    "bah",
    "be",
    "been",
    "ben",
    "besoin",
    "bien",
    "bon",
    "bonjour",
    "buenas",
    "buenos",
    "c",
    "ca",
    "can",
    "cant",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celui",
    "ces",
    "cette",
    "cherche",
    "chercher",
    "chose",
    "comme",
    "commence",
    "commencer",
    "comment",
    "como",
    "con",
    "could",
    "cuando",
    "d",
    "dame",
    "dans",
    "de",
    "deja",
    "del",
    "demande",
    "depuis",
    "des",
    "desole",
    "desolee",
    "dias",
    "did",
    "dire",
    "dit",
    "do",
    "does",
    "dois",
    "doit",
    "donc",
    "donde",
    "dont",
    "du",
    "el",
    "elle",
    "elles",
    "en",
    "encore",
    "esa",
    "ese",
    "eso",
    "est",
    "esta",
    "este",
    "esto",
    "estoy",
    "et",
    "etait",
    "ete",
    "etes",
    "etre",
    "euh",
    "eux",
    "excuse",
    "excusez",
    "explique",
    "faire",
    "fait",
    "fallait",
    "faut",
    "favor",
    "fois",
    "for",
    "from",
    "genre",
    "get",
    "go",
    "going",
    "got",
    "gracias",
    "hacer",
    "had",
    "has",
    "have",
    "hay",
    "he",
    "hello",
    "her",
    "hi",
    "hier",
    "his",
    "hola",
    "how",
    "hui",
    "i",
    "ici",
    "il",
    "ils",
    "im",
    "in",
    "info",
    "information",
    "informations",
    "infos",
    "is",
    "it",
    "its",
    "ive",
    "j",
    "je",
    "just",
    "juste",
    "keep",
    "know",
    "l",
    "la",
    "las",
    "le",
    "les",
    "leur",
    "like",
    "lo",
    "los",
    "lui",
    "m",
    "ma",
    "madam",
    "madame",
    "maintenant",
    "mais",
    "make",
    "mas",
    "me",
    "merci",
    "mes",
    "mi",
    "mis",
    "mme",
    "moi",
    "mon",
    "monsieur",
    "mr",
    "muy",
    "my",
    "n",
    "ne",
    "necesita",
    "necesito",
    "need",
    "needs",
    "nos",
    "not",
    "notre",
    "nous",
    "of",
    "on",
    "ont",
    "ou",
    "our",
    "par",
    "para",
    "parce",
    "pardon",
    "pas",
    "pero",
    "peu",
    "peut",
    "peux",
    "plait",
    "please",
    "pls",
    "plus",
    "por",
    "porque",
    "pour",
    "pourrais",
    "pourrait",
    "pourriez",
    "pouvez",
    "pouvoir",
    "puede",
    "puedo",
    "puis",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quelque",
    "quels",
    "queria",
    "question",
    "qui",
    "quiero",
    "quisiera",
    "quoi",
    "renseignement",
    "renseignements",
    "renseigner",
    "rien",
    "s",
    "sa",
    "sais",
    "savoir",
    "se",
    "senor",
    "senora",
    "ses",
    "she",
    "si",
    "sil",
    "sir",
    "so",
    "some",
    "sommes",
    "son",
    "sont",
    "sorry",
    "souhaite",
    "souhaiterais",
    "souhaiterait",
    "soy",
    "su",
    "suis",
    "sur",
    "sus",
    "svp",
    "t",
    "ta",
    "tardes",
    "te",
    "tell",
    "tengo",
    "tes",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "there",
    "they",
    "this",
    "tiene",
    "to",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "tres",
    "trop",
    "truc",
    "tu",
    "un",
    "una",
    "une",
    "uno",
    "unos",
    "va",
    "vais",
    "venir",
    "venu",
    "venue",
    "very",
    "veulent",
    "veut",
    "veux",
    "viens",
    "vient",
    "voila",
    "vos",
    "votre",
    "voudrais",
    "voudrait",
    "voulait",
    "voulez",
    "voulons",
    "voulu",
    "vous",
    "vraiment",
    "wanna",
    "want",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "with",
    "would",
    "y",
    "ya",
    "yo",
    "you",
    "your",
];

/// The meaningful words of `text`, folded, in order, without duplicates.
pub fn keywords(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in fold(text).split_whitespace() {
        if STOP_WORDS.binary_search(&word).is_err() && !out.iter().any(|w| w == word) {
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
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fillers_and_narration_are_dropped_in_three_languages() {
        assert_eq!(
            keywords(
                "Bonjour, alors madame voudrait savoir, il y a quoi comme papiers pour son fils"
            ),
            ["papiers", "fils"]
        );
        assert_eq!(
            keywords("hello please I need a paper for my wedding"),
            ["paper", "wedding"]
        );
        assert_eq!(
            keywords("hola, quiero hacer mi pasaporte por favor"),
            ["pasaporte"]
        );
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
