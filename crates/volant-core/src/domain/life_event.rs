//! Life events: the moments that bring people to a mairie (a death, a birth,
//! a move…), a small fixed set each démarche may belong to, so that a visitor
//! who describes the event finds its démarches.

use serde::{Deserialize, Serialize};

/// A life event; a démarche lists those it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum LifeEvent {
    /// Someone close has died.
    Deces,
    /// A child is born or expected.
    Naissance,
    /// A wedding or a PACS.
    Mariage,
    /// A couple splits up.
    Separation,
    /// Moving home.
    Demenagement,
    /// Papers or belongings lost or stolen.
    PerteVol,
    /// Losing one's job or income.
    PerteEmploi,
    /// Living with a disability.
    Handicap,
    /// Growing old, caring for an elderly parent.
    GrandAge,
    /// Newly arrived in France.
    ArriveeFrance,
    /// No home tonight.
    SansDomicile,
}

impl LifeEvent {
    /// Every life event (the catalogue editor lists the same, in this order).
    pub const ALL: [LifeEvent; 11] = [
        LifeEvent::Deces,
        LifeEvent::Naissance,
        LifeEvent::Mariage,
        LifeEvent::Separation,
        LifeEvent::Demenagement,
        LifeEvent::PerteVol,
        LifeEvent::PerteEmploi,
        LifeEvent::Handicap,
        LifeEvent::GrandAge,
        LifeEvent::ArriveeFrance,
        LifeEvent::SansDomicile,
    ];

    /// Its id, as written in the catalogue.
    pub fn id(self) -> &'static str {
        match self {
            LifeEvent::Deces => "deces",
            LifeEvent::Naissance => "naissance",
            LifeEvent::Mariage => "mariage",
            LifeEvent::Separation => "separation",
            LifeEvent::Demenagement => "demenagement",
            LifeEvent::PerteVol => "perte_vol",
            LifeEvent::PerteEmploi => "perte_emploi",
            LifeEvent::Handicap => "handicap",
            LifeEvent::GrandAge => "grand_age",
            LifeEvent::ArriveeFrance => "arrivee_france",
            LifeEvent::SansDomicile => "sans_domicile",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_what_serde_writes() {
        for event in LifeEvent::ALL {
            assert_eq!(
                serde_json::to_value(event).ok(),
                Some(serde_json::Value::from(event.id()))
            );
        }
    }
}
