//! The catalogue: démarches and the services that handle them, with the rules
//! every record must satisfy (used by import and, later, by catalogue edits).

use chrono::{Datelike, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::document::DocumentItem;
use super::ids::{DemarcheId, ServiceId};
use super::life_event::LifeEvent;

/// A text for visitors in the four languages beside French. Each is written
/// out, or `null` to leave it in French on purpose: a catalogue file must say
/// one or the other for every language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Translations {
    /// In English.
    #[serde(deserialize_with = "present")]
    pub en: Option<String>,
    /// In Arabic.
    #[serde(deserialize_with = "present")]
    pub ar: Option<String>,
    /// In Spanish.
    #[serde(deserialize_with = "present")]
    pub es: Option<String>,
    /// In Simplified Chinese.
    #[serde(rename = "zh-Hans", deserialize_with = "present")]
    pub zh: Option<String>,
}

/// A key that must be written, as a text or `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

impl Translations {
    /// Each language's tag and text.
    pub fn each(&self) -> [(&'static str, Option<&str>); 4] {
        [
            ("en", self.en.as_deref()),
            ("ar", self.ar.as_deref()),
            ("es", self.es.as_deref()),
            ("zh-Hans", self.zh.as_deref()),
        ]
    }
}

fn check_translations(
    out: &mut Vec<FieldProblem>,
    field: &str,
    translations: &Option<Translations>,
    max: usize,
) {
    for (language, text) in translations.iter().flat_map(Translations::each) {
        if let Some(text) = text {
            check_text(out, &format!("{field}.{language}"), text, max);
        }
    }
}

/// A procedure a visitor may come for, as the greeter knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Demarche {
    /// Stable identifier.
    pub id: DemarcheId,
    /// Agent-facing title, in French.
    pub title: String,
    /// The title for visitors in the other languages (absent in records
    /// written before translations existed: shown in French).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_in: Option<Translations>,
    /// Category (e.g. « État civil »).
    pub category: String,
    /// The official Service-Public sheet, where one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<OfficialSheet>,
    /// Words visitors actually use: synonyms, abbreviations, colloquial phrasings.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The same in the other languages visitors speak in the hall.
    #[serde(default, skip_serializing_if = "ForeignWords::is_empty")]
    pub foreign_words: ForeignWords,
    /// Short first-person life situations that lead here, as a visitor tells
    /// them (« mon mari est décédé », « je n'ai plus de logement »).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub situations: Vec<String>,
    /// The life events it belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub life_events: Vec<LifeEvent>,
    /// The service that handles it.
    pub service: ServiceId,
    /// Other places that can help (a permanence, a partner).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_services: Vec<ServiceId>,
    /// Documents to bring: vocabulary entries, free text where none fits.
    #[serde(default)]
    pub documents: Vec<DocumentItem>,
    /// Online alternatives.
    #[serde(default)]
    pub online: Vec<OnlineLink>,
    /// Whether an appointment is needed, and where to book.
    #[serde(default)]
    pub appointment: Appointment,
    /// Short notes for the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How often visitors come for it, from 1 (rare) to 5 (every hour): a
    /// ranking prior for search and the weights of demo visits.
    #[serde(default = "usual")]
    pub frequency: u8,
    /// Archived démarches stay in the catalogue but are not proposed.
    #[serde(default = "yes")]
    pub active: bool,
    /// Version of this record (the server increments it on every write).
    #[serde(default = "one")]
    pub version: u32,
}

fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}
fn usual() -> u8 {
    2
}

/// A "vos droits et démarches" sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficialSheet {
    /// Sheet id, e.g. `F1427`.
    pub id: String,
    /// Link to the official page.
    pub url: String,
}

/// A link to an online service or form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OnlineLink {
    /// What the visitor will find there.
    pub title: String,
    /// The address (https).
    pub url: String,
}

/// Visitor words in English and Spanish, for visitors who do not speak French.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForeignWords {
    /// In English.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub en: Vec<String>,
    /// In Spanish.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub es: Vec<String>,
}

impl ForeignWords {
    /// Whether no word is given in any language.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.es.is_empty()
    }
}

/// Whether the démarche needs an appointment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Appointment {
    /// An appointment is required.
    pub required: bool,
    /// Where to book (a link or a place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<String>,
}

/// A place a visitor can be sent to. (Unknown fields are refused by
/// [`ServiceKind`], which receives every field the struct does not know.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Service {
    /// Stable identifier.
    pub id: ServiceId,
    /// Name, in French.
    pub name: String,
    /// The name for visitors in the other languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_in: Option<Translations>,
    /// What kind of place it is, with its specific facts.
    #[serde(flatten)]
    pub kind: ServiceKind,
    /// Archived services are kept for the log but not proposed.
    #[serde(default = "yes")]
    pub active: bool,
    /// Version of this record.
    #[serde(default = "one")]
    pub version: u32,
}

/// The four kinds of destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ServiceKind {
    /// An internal counter of the mairie, which takes queue tickets.
    Counter {
        /// Where in the building.
        location: String,
        /// The same, for visitors in the other languages.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location_in: Option<Translations>,
        /// Opening hours, as shown to visitors.
        hours: String,
        /// The service letter of its tickets.
        ticket_letter: char,
    },
    /// A partner's permanence held in the mairie at fixed weekly slots.
    Permanence {
        /// The partner holding it.
        partner: String,
        /// Where in the building.
        location: String,
        /// The same, for visitors in the other languages.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location_in: Option<Translations>,
        /// Weekly slots.
        slots: Vec<WeeklySlot>,
        /// How to get a place (on the spot, by phone…).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booking: Option<String>,
    },
    /// An external partner the visitor is sent to.
    Partner {
        /// Street address.
        address: String,
        /// Opening hours.
        hours: String,
        /// Phone number of the service (an office, never a person).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phone: Option<String>,
        /// Website.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website: Option<String>,
    },
    /// A service done online.
    Online {
        /// The address.
        url: String,
    },
}

impl ServiceKind {
    /// The kind's name as stored and exported.
    pub fn name(&self) -> &'static str {
        match self {
            ServiceKind::Counter { .. } => "counter",
            ServiceKind::Permanence { .. } => "permanence",
            ServiceKind::Partner { .. } => "partner",
            ServiceKind::Online { .. } => "online",
        }
    }
}

/// Day of the week of a permanence slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Days from Monday (0) to Sunday (6).
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// A time of day, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(type = "string"))]
pub struct HourMinute(u16);

impl HourMinute {
    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl TryFrom<String> for HourMinute {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let parsed = s.split_once(':').and_then(|(h, m)| {
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            (s.len() == 5 && h < 24 && m < 60).then_some(h * 60 + m)
        });
        parsed
            .map(HourMinute)
            .ok_or_else(|| format!("heure « {s} » invalide : format HH:MM"))
    }
}

impl From<HourMinute> for String {
    fn from(t: HourMinute) -> String {
        format!("{:02}:{:02}", t.0 / 60, t.0 % 60)
    }
}

/// A weekly permanence slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WeeklySlot {
    /// Day of the week.
    pub weekday: Weekday,
    /// Start time.
    pub start: HourMinute,
    /// End time.
    pub end: HourMinute,
}

/// The start of the next slot at or after `after` (mairie local time), within a week.
pub fn next_slot(slots: &[WeeklySlot], after: NaiveDateTime) -> Option<NaiveDateTime> {
    let today = after.date();
    (0..=7)
        .flat_map(|offset| {
            let day = today + chrono::Days::new(offset);
            slots
                .iter()
                .filter(move |s| s.weekday.index() == day.weekday().num_days_from_monday())
                .filter_map(move |s| {
                    let start = NaiveTime::from_num_seconds_from_midnight_opt(
                        u32::from(s.start.minutes()) * 60,
                        0,
                    )?;
                    Some(day.and_time(start))
                })
        })
        .filter(|start| *start >= after)
        .min()
}

/// Facts about the catalogue as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogueMeta {
    /// Whose catalogue this is.
    pub mairie: String,
    /// Edition of the catalogue (e.g. `2026-11-28`).
    pub edition: String,
    /// Credits of the data sources, shown in the about screen.
    pub credits: Vec<String>,
}

/// The whole catalogue: what the tablet searches and the server distributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Catalogue {
    /// Facts about it.
    pub meta: CatalogueMeta,
    /// Every service.
    pub services: Vec<Service>,
    /// Every démarche.
    pub demarches: Vec<Demarche>,
}

/// One rule a record breaks: the field and a message in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name (`title`, `online[1].url`…).
    pub field: String,
    /// What is wrong, in French.
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        message: message.into(),
    }
}

fn check_text(out: &mut Vec<FieldProblem>, field: &str, value: &str, max: usize) {
    let len = value.trim().chars().count();
    if len == 0 {
        out.push(problem(field, "ne doit pas être vide"));
    } else if len > max {
        out.push(problem(
            field,
            format!("trop long ({len} caractères, {max} au plus)"),
        ));
    }
}

fn check_url(out: &mut Vec<FieldProblem>, field: &str, url: &str) {
    let ok = url.starts_with("https://") && url.len() > 10 && !url.contains(char::is_whitespace);
    if !ok {
        out.push(problem(
            field,
            format!("adresse « {url} » invalide : https://… attendu"),
        ));
    }
}

impl Demarche {
    /// Rules on the record alone.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_text(&mut out, "title", &self.title, 120);
        check_translations(&mut out, "title_in", &self.title_in, 120);
        check_text(&mut out, "category", &self.category, 60);
        for (i, k) in self.keywords.iter().enumerate() {
            check_text(&mut out, &format!("keywords[{i}]"), k, 60);
        }
        for (language, words) in [
            ("en", &self.foreign_words.en),
            ("es", &self.foreign_words.es),
        ] {
            for (i, w) in words.iter().enumerate() {
                check_text(&mut out, &format!("foreign_words.{language}[{i}]"), w, 60);
            }
        }
        for (i, s) in self.situations.iter().enumerate() {
            check_text(&mut out, &format!("situations[{i}]"), s, 120);
        }
        for (i, event) in self.life_events.iter().enumerate() {
            if self.life_events[..i].contains(event) {
                out.push(problem(
                    format!("life_events[{i}]"),
                    format!("« {} » est déjà listé", event.id()),
                ));
            }
        }
        for (i, d) in self.documents.iter().enumerate() {
            if let DocumentItem::Free(text) = d {
                check_text(&mut out, &format!("documents[{i}]"), text, 200);
            }
            if self.documents[..i].contains(d) {
                out.push(problem(
                    format!("documents[{i}]"),
                    format!("« {} » est déjà listé", d.french()),
                ));
            }
        }
        for (i, link) in self.online.iter().enumerate() {
            check_text(&mut out, &format!("online[{i}].title"), &link.title, 160);
            check_url(&mut out, &format!("online[{i}].url"), &link.url);
        }
        if let Some(sheet) = &self.official {
            let id_ok = sheet.id.len() >= 2
                && matches!(sheet.id.as_bytes()[0], b'F' | b'N' | b'R')
                && sheet.id[1..].bytes().all(|b| b.is_ascii_digit());
            if !id_ok {
                out.push(problem(
                    "official.id",
                    format!("fiche « {} » invalide (ex. F1427)", sheet.id),
                ));
            }
            check_url(&mut out, "official.url", &sheet.url);
        }
        if let Some(notes) = &self.notes {
            check_text(&mut out, "notes", notes, 500);
        }
        if let Some(booking) = &self.appointment.booking {
            check_text(&mut out, "appointment.booking", booking, 300);
        }
        if !(1..=5).contains(&self.frequency) {
            out.push(problem("frequency", "de 1 (rare) à 5 (très fréquent)"));
        }
        if self.version == 0 {
            out.push(problem("version", "doit être au moins 1"));
        }
        out
    }
}

fn untranslated(field: &str) -> FieldProblem {
    problem(
        field,
        "traductions manquantes : écrire en, ar, es et zh-Hans, ou null pour laisser le français",
    )
}

impl Demarche {
    /// Visitor texts that say neither a translation nor « left in French ».
    pub fn untranslated(&self) -> Vec<FieldProblem> {
        match self.title_in {
            Some(_) => Vec::new(),
            None => vec![untranslated("title_in")],
        }
    }
}

impl Service {
    /// Rules on the record alone.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_text(&mut out, "name", &self.name, 120);
        check_translations(&mut out, "name_in", &self.name_in, 120);
        match &self.kind {
            ServiceKind::Counter {
                location,
                location_in,
                hours,
                ticket_letter,
            } => {
                check_text(&mut out, "location", location, 120);
                check_translations(&mut out, "location_in", location_in, 120);
                check_text(&mut out, "hours", hours, 200);
                if !ticket_letter.is_ascii_uppercase() {
                    out.push(problem("ticket_letter", "une lettre majuscule A-Z"));
                }
            }
            ServiceKind::Permanence {
                partner,
                location,
                location_in,
                slots,
                booking,
            } => {
                check_text(&mut out, "partner", partner, 120);
                check_text(&mut out, "location", location, 120);
                check_translations(&mut out, "location_in", location_in, 120);
                if slots.is_empty() {
                    out.push(problem("slots", "au moins un créneau"));
                }
                for (i, slot) in slots.iter().enumerate() {
                    if slot.end <= slot.start {
                        out.push(problem(format!("slots[{i}].end"), "doit suivre le début"));
                    }
                }
                if let Some(b) = booking {
                    check_text(&mut out, "booking", b, 200);
                }
            }
            ServiceKind::Partner {
                address,
                hours,
                phone,
                website,
            } => {
                check_text(&mut out, "address", address, 200);
                check_text(&mut out, "hours", hours, 200);
                if let Some(p) = phone {
                    let digits = p.chars().filter(char::is_ascii_digit).count();
                    if !(3..=15).contains(&digits)
                        || p.chars()
                            .any(|c| !(c.is_ascii_digit() || " +.()".contains(c)))
                    {
                        out.push(problem("phone", format!("numéro « {p} » invalide")));
                    }
                }
                if let Some(w) = website {
                    check_url(&mut out, "website", w);
                }
            }
            ServiceKind::Online { url } => check_url(&mut out, "url", url),
        }
        if self.version == 0 {
            out.push(problem("version", "doit être au moins 1"));
        }
        out
    }

    /// Where in the building, for visitors in the other languages.
    pub fn location_in(&self) -> Option<&Translations> {
        match &self.kind {
            ServiceKind::Counter { location_in, .. }
            | ServiceKind::Permanence { location_in, .. } => location_in.as_ref(),
            _ => None,
        }
    }

    /// Visitor texts that say neither a translation nor « left in French ».
    pub fn untranslated(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if self.name_in.is_none() {
            out.push(untranslated("name_in"));
        }
        let has_location = matches!(
            self.kind,
            ServiceKind::Counter { .. } | ServiceKind::Permanence { .. }
        );
        if has_location && self.location_in().is_none() {
            out.push(untranslated("location_in"));
        }
        out
    }

    /// The ticket letter, for internal counters.
    pub fn ticket_letter(&self) -> Option<char> {
        match self.kind {
            ServiceKind::Counter { ticket_letter, .. } => Some(ticket_letter),
            _ => None,
        }
    }
}

/// A problem located in the catalogue: which record (by section and index) and which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// `services` or `demarches`.
    pub section: &'static str,
    /// Index of the record in its section.
    pub index: usize,
    /// The field and message.
    pub problem: FieldProblem,
}

impl Catalogue {
    /// Every rule broken anywhere in the catalogue: per record, unique ids,
    /// unique ticket letters, and references to existing services.
    pub fn problems(&self) -> Vec<RecordProblem> {
        let mut out = Vec::new();
        let mut service_ids = std::collections::HashSet::new();
        let mut letters = std::collections::HashMap::new();
        for (index, s) in self.services.iter().enumerate() {
            let at = |problem| RecordProblem {
                section: "services",
                index,
                problem,
            };
            out.extend(s.problems().into_iter().map(at));
            if !service_ids.insert(&s.id) {
                out.push(at(problem(
                    "id",
                    format!("identifiant « {} » en double", s.id),
                )));
            }
            if let Some(letter) = s.ticket_letter().filter(|_| s.active)
                && let Some(other) = letters.insert(letter, &s.id)
            {
                out.push(at(problem(
                    "ticket_letter",
                    format!("lettre « {letter} » déjà prise par « {other} »"),
                )));
            }
        }
        let mut demarche_ids = std::collections::HashSet::new();
        for (index, d) in self.demarches.iter().enumerate() {
            let at = |problem| RecordProblem {
                section: "demarches",
                index,
                problem,
            };
            out.extend(d.problems().into_iter().map(at));
            if !demarche_ids.insert(&d.id) {
                out.push(at(problem(
                    "id",
                    format!("identifiant « {} » en double", d.id),
                )));
            }
            for (field, id) in std::iter::once(("service".to_owned(), &d.service)).chain(
                d.other_services
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (format!("other_services[{i}]"), id)),
            ) {
                if !service_ids.contains(id) {
                    out.push(at(problem(field, format!("service « {id} » inconnu"))));
                }
            }
        }
        out
    }

    /// Every record whose visitor texts are not all written or left in French
    /// on purpose (required of catalogue files and of the lead's edits).
    pub fn untranslated(&self) -> Vec<RecordProblem> {
        let services = self.services.iter().enumerate().flat_map(|(index, s)| {
            s.untranslated()
                .into_iter()
                .map(move |problem| RecordProblem {
                    section: "services",
                    index,
                    problem,
                })
        });
        let demarches = self.demarches.iter().enumerate().flat_map(|(index, d)| {
            d.untranslated()
                .into_iter()
                .map(move |problem| RecordProblem {
                    section: "demarches",
                    index,
                    problem,
                })
        });
        services.chain(demarches).collect()
    }

    /// The service with this id.
    pub fn service(&self, id: &ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| &s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_minute_round_trips_and_rejects_garbage() {
        let t = HourMinute::try_from("09:30".to_owned()).expect("valid");
        assert_eq!(t.minutes(), 570);
        assert_eq!(String::from(t), "09:30");
        assert!(HourMinute::try_from("9h30".to_owned()).is_err());
        assert!(HourMinute::try_from("24:00".to_owned()).is_err());
    }

    #[test]
    fn the_next_slot_is_found_later_today_or_in_the_coming_days() {
        let slot = |weekday, start: &str| WeeklySlot {
            weekday,
            start: HourMinute::try_from(start.to_owned()).expect("valid"),
            end: HourMinute::try_from("18:00".to_owned()).expect("valid"),
        };
        let slots = [
            slot(Weekday::Tuesday, "14:00"),
            slot(Weekday::Thursday, "09:00"),
        ];
        // 2026-11-24 is a Tuesday.
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("valid");
        assert_eq!(
            next_slot(&slots, at("2026-11-24 10:00")),
            Some(at("2026-11-24 14:00"))
        );
        assert_eq!(
            next_slot(&slots, at("2026-11-24 15:00")),
            Some(at("2026-11-26 09:00"))
        );
        assert_eq!(
            next_slot(&slots, at("2026-11-27 09:00")),
            Some(at("2026-12-01 14:00"))
        );
        assert_eq!(next_slot(&[], at("2026-11-27 09:00")), None);
    }

    #[test]
    fn a_counter_needs_an_uppercase_ticket_letter() {
        let s = Service {
            id: ServiceId::try_from("etat-civil").expect("valid"),
            name: "État civil".into(),
            name_in: None,
            kind: ServiceKind::Counter {
                location: "RDC".into(),
                location_in: None,
                hours: "8h30-17h".into(),
                ticket_letter: 'e',
            },
            active: true,
            version: 1,
        };
        assert_eq!(s.problems()[0].field, "ticket_letter");
    }
}
