//! Recognising a life event in a visitor's words. Each démarche's life events
//! are indexed as one reserved term ([`term`]); a query word that tells of an
//! event ([`told`]) also looks for that term, so « ma mère vient de mourir »
//! finds every démarche of a death, ranked among them by BM25 and frequency.

use crate::domain::LifeEvent;

/// The indexed term standing for `event` (`qxevdeces`): folded ASCII that no
/// visitor types and no correction reaches.
pub fn term(event: LifeEvent) -> String {
    format!("qxev{}", event.id().replace('_', ""))
}

/// `(event, whole words, word beginnings)` in French, English and Spanish,
/// folded. Beginnings are long enough not to catch unrelated words.
const TOLD: &[(LifeEvent, &[&str], &[&str])] = &[
    (
        LifeEvent::Deces,
        &[
            "mort", "morte", "morts", "meurt", "mouru", "dead", "died", "death", "muerte", "murio",
            "muerto", "muerta",
        ],
        &[
            "deced", "deces", "mourir", "mourant", "enterr", "obseq", "funer", "defunt", "cremat",
            "fallec", "entierro", "viudo", "viuda", "veuf", "veuve", "widow",
        ],
    ),
    (
        LifeEvent::Naissance,
        &["bebe", "baby", "born", "birth", "parto", "nacio"],
        &[
            "naissance",
            "naitre",
            "accouch",
            "enceinte",
            "grossesse",
            "nourrisson",
            "maternite",
            "pregnan",
            "newborn",
            "nacimiento",
            "embaraz",
        ],
    ),
    (
        LifeEvent::Mariage,
        &[
            "marier", "marie", "mariee", "maries", "noces", "boda", "casar", "pacs",
        ],
        &[
            "mariage",
            "fiance",
            "epouse",
            "epouser",
            "wedding",
            "marry",
            "married",
            "marriage",
            "casarse",
            "matrimonio",
            "pacse",
        ],
    ),
    (
        LifeEvent::Separation,
        &["quitte", "rupture", "rompre", "breakup"],
        &["separ", "divorc", "depacs"],
    ),
    (
        LifeEvent::Demenagement,
        &["move", "moved", "moving", "mudanza", "mudarme", "mude"],
        &["demenag", "emmenag", "relocat"],
    ),
    (
        LifeEvent::PerteVol,
        &[
            "perdu", "perdue", "perdus", "perdues", "perte", "vol", "vole", "volee", "voles",
            "volees", "lost", "stolen", "robbed", "perdi", "perdido", "perdida", "robado",
            "robada", "robo", "robaron",
        ],
        &["voleur", "cambriol", "arrach", "pickpocket"],
    ),
    (
        LifeEvent::PerteEmploi,
        &[
            "chomage",
            "vire",
            "viree",
            "fired",
            "jobless",
            "paro",
            "despedido",
            "despedida",
        ],
        &["licenci", "unemploy", "desemple"],
    ),
    (
        LifeEvent::Handicap,
        &["mdph", "sourd", "sourde", "aveugle", "blind", "deaf"],
        &[
            "handicap",
            "invalid",
            "fauteuil",
            "disab",
            "wheelchair",
            "discapaci",
            "minusval",
        ],
    ),
    (
        LifeEvent::GrandAge,
        &[
            "vieux", "vieille", "ehpad", "senior", "seniors", "elderly", "anciano", "anciana",
            "apa",
        ],
        &["agee", "retraite", "dependan", "jubila"],
    ),
    (
        LifeEvent::ArriveeFrance,
        &[
            "arrive", "arrivee", "arrives", "arrivees", "sejour", "asile", "llegue", "asilo",
            "visa",
        ],
        &[
            "etranger",
            "immigr",
            "refugi",
            "newcomer",
            "asylum",
            "extranjer",
            "inmigra",
        ],
    ),
    (
        LifeEvent::SansDomicile,
        &[
            "dehors", "sdf", "abri", "dors", "dort", "dormir", "homeless", "shelter", "sleep",
            "calle", "duermo", "albergue",
        ],
        &["hebergem", "expuls"],
    ),
];

/// The life events a folded visitor word tells of.
pub fn told(word: &str) -> impl Iterator<Item = LifeEvent> + '_ {
    TOLD.iter()
        .filter(move |(_, words, beginnings)| {
            words.contains(&word) || beginnings.iter().any(|b| word.starts_with(b))
        })
        .map(|(event, _, _)| *event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_told_by_some_word_and_has_a_term() {
        for event in LifeEvent::ALL {
            assert!(TOLD.iter().any(|(e, _, _)| *e == event), "{event:?}");
            assert!(term(event).bytes().all(|b| b.is_ascii_lowercase()));
        }
    }

    #[test]
    fn words_in_three_languages_tell_their_event() {
        for (word, event) in [
            ("decede", LifeEvent::Deces),
            ("mourir", LifeEvent::Deces),
            ("died", LifeEvent::Deces),
            ("fallecio", LifeEvent::Deces),
            ("accouche", LifeEvent::Naissance),
            ("wedding", LifeEvent::Mariage),
            ("divorcer", LifeEvent::Separation),
            ("demenage", LifeEvent::Demenagement),
            ("stolen", LifeEvent::PerteVol),
            ("licenciee", LifeEvent::PerteEmploi),
            ("wheelchair", LifeEvent::Handicap),
            ("ehpad", LifeEvent::GrandAge),
            ("refugie", LifeEvent::ArriveeFrance),
            ("dehors", LifeEvent::SansDomicile),
        ] {
            assert_eq!(told(word).collect::<Vec<_>>(), [event], "{word}");
        }
        assert_eq!(told("volontaire").count(), 0);
        assert_eq!(told("passeport").count(), 0);
    }
}
