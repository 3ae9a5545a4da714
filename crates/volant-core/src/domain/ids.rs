//! Validated identifiers and small value types shared by the domain.
//!
//! Each type checks its invariant once, at construction or deserialisation,
//! so the rest of the code can rely on it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdError(pub String);

fn is_slug(s: &str) -> bool {
    (2..=80).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        pub struct $name(String);

        impl $name {
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                if is_slug(&s) {
                    Ok(Self(s))
                } else {
                    Err(IdError(format!(
                        concat!($what, " « {} » invalide : 2 à 80 caractères a-z, 0-9, « - » ou « . », commençant par une lettre"),
                        s
                    )))
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// Stable identifier of a démarche, e.g. `etat-civil.acte-naissance`.
    DemarcheId,
    "identifiant de démarche"
);
slug_id!(
    /// Stable identifier of a service (counter, permanence, partner, online service).
    ServiceId,
    "identifiant de service"
);

/// A visit's identifier: a UUIDv7 made on the tablet, so it sorts by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(type = "string"))]
pub struct VisitId(pub Uuid);

impl std::fmt::Display for VisitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for VisitId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Uuid::parse_str(s)
            .map(VisitId)
            .map_err(|_| IdError(format!("identifiant de visite « {s} » invalide")))
    }
}

macro_rules! upper_letter {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "char", into = "char")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        pub struct $name(char);

        impl $name {
            /// The letter.
            pub fn as_char(self) -> char {
                self.0
            }
        }

        impl TryFrom<char> for $name {
            type Error = IdError;
            fn try_from(c: char) -> Result<Self, IdError> {
                if c.is_ascii_uppercase() {
                    Ok(Self(c))
                } else {
                    Err(IdError(format!(concat!($what, " « {} » invalide : une lettre majuscule A-Z"), c)))
                }
            }
        }

        impl From<$name> for char {
            fn from(l: $name) -> char {
                l.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

upper_letter!(
    /// The letter of one tablet in its mairie; part of every ticket code it issues.
    TabletLetter,
    "lettre de tablette"
);

/// Initials of the agent holding the tablet (2–4 letters): enough for the team
/// lead to tell agents apart, not a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(type = "string"))]
pub struct AgentInitials(String);

impl TryFrom<String> for AgentInitials {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        if (2..=4).contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(s))
        } else {
            Err(IdError(format!(
                "initiales « {s} » invalides : 2 à 4 lettres majuscules"
            )))
        }
    }
}

impl From<AgentInitials> for String {
    fn from(a: AgentInitials) -> String {
        a.0
    }
}

impl AgentInitials {
    /// The initials as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The visitor's language as a short BCP 47 tag (`fr`, `ar`, `zh-Hans`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(type = "string"))]
pub struct Language(String);

impl TryFrom<String> for Language {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        let mut parts = s.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())
        });
        let rest_ok = parts
            .all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(Self(s))
        } else {
            Err(IdError(format!(
                "code de langue « {s} » invalide (ex. fr, ar, zh-Hans)"
            )))
        }
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.0
    }
}

impl Language {
    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked() {
        assert!(DemarcheId::try_from("etat-civil.acte-naissance").is_ok());
        assert!(DemarcheId::try_from("Etat civil").is_err());
        assert!(DemarcheId::try_from("x").is_err());
        assert!(ServiceId::try_from("1abc").is_err());
    }

    #[test]
    fn letters_languages_and_initials_are_checked() {
        assert!(TabletLetter::try_from('B').is_ok());
        assert!(TabletLetter::try_from('b').is_err());
        assert!(AgentInitials::try_from("MD".to_owned()).is_ok());
        assert!(AgentInitials::try_from("Marie".to_owned()).is_err());
        assert!(Language::try_from("zh-Hans".to_owned()).is_ok());
        assert!(Language::try_from("Arabic".to_owned()).is_err());
    }
}
