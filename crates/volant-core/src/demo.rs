//! Demo visits: walks realistic, anonymous visits through the real workflow
//! and store, for demos, screenshots and benchmarks.
//!
//! Arrivals follow the hall's day (a morning peak, a quieter lunch, an
//! afternoon peak), démarches follow their `frequency`, and each
//! outcome fits the démarche's service; about a third of the visitors who
//! reach the end give their opinion. Deterministic for a given seed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::domain::{
    Accompaniment, Action, Appointment, Catalogue, Demarche, DemarcheId, Destination, ForeignWords,
    Language, Listening, Qualification, Satisfaction, Service, ServiceId, ServiceKind,
    VisitorProfile,
};
use crate::error::Result;
use crate::store::Store;

/// What the demo walked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    /// First day with visits.
    pub first_day: Option<NaiveDate>,
    /// Last day with visits.
    pub last_day: Option<NaiveDate>,
    /// Visits created.
    pub visits: usize,
    /// Tickets issued.
    pub tickets: usize,
    /// Visits abandoned.
    pub abandoned: usize,
    /// Unmet needs recorded.
    pub unmet: usize,
}

/// Requests the catalogue cannot answer, as greeters write them.
const UNMET: &[&str] = &[
    "carte de stationnement pour artisan",
    "cherche un notaire qui parle tamoul",
    "location de vélo cargo pour association",
    "question sur la vignette Crit'Air",
    "demande de poste d'agent d'accueil",
    "inscription au loto de la mairie",
    "photo d'identité sur place",
    "garde d'animaux pendant l'hospitalisation",
];

const LANGUAGES: &[&str] = &[
    "fr", "fr", "fr", "fr", "fr", "fr", "ar", "en", "es", "zh-Hans", "ta", "bn",
];

const PROFILES: &[VisitorProfile] = &[
    VisitorProfile::Citizen,
    VisitorProfile::ConsumerNovice,
    VisitorProfile::ConsumerExpert,
    VisitorProfile::BeneficiaryFragile,
    VisitorProfile::BeneficiaryExpert,
    VisitorProfile::Inhabitant,
    VisitorProfile::Curious,
];

/// An arrival time on `day`: weights per half hour from 8:30 to 17:00 (a
/// Saturday: 9:00 to 12:30).
fn arrival(rng: &mut StdRng, day: NaiveDate) -> DateTime<Utc> {
    // Weight of each half hour starting at 8:30.
    const WEEKDAY: [u32; 17] = [6, 10, 12, 12, 11, 9, 7, 4, 3, 5, 8, 9, 9, 8, 6, 4, 2];
    let saturday = day.weekday() == Weekday::Sat;
    let slots: &[u32] = if saturday { &WEEKDAY[1..8] } else { &WEEKDAY };
    let total: u32 = slots.iter().sum();
    let mut pick = rng.random_range(0..total);
    let mut index = 0;
    for (i, w) in slots.iter().enumerate() {
        if pick < *w {
            index = i;
            break;
        }
        pick -= w;
    }
    let first = if saturday { 9 * 60 } else { 8 * 60 + 30 };
    let minute = first + 30 * i64::try_from(index).unwrap_or(0) + rng.random_range(0..30);
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default()
        + Duration::minutes(minute)
        + Duration::seconds(rng.random_range(0..60));
    Paris
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// The last `days` days of the mairie up to `last`, oldest first: `last`
/// itself (the day the demo is walked, so that « today » always has visits),
/// then the opening days before it (it is closed on Sundays).
fn opening_days(last: NaiveDate, days: u32) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = last
        .iter_days()
        .rev()
        .enumerate()
        .filter(|(i, d)| *i == 0 || d.weekday() != Weekday::Sun)
        .map(|(_, d)| d)
        .take(days.max(1) as usize)
        .collect();
    out.reverse();
    out
}

/// A démarche drawn with a weight growing with how often visitors come for it.
fn pick_demarche<'a>(rng: &mut StdRng, catalogue: &'a Catalogue) -> Option<&'a Demarche> {
    let active: Vec<&Demarche> = catalogue.demarches.iter().filter(|d| d.active).collect();
    active
        .choose_weighted(rng, |d| u32::from(d.frequency).pow(3))
        .ok()
        .copied()
}

/// The destination that fits a démarche, and sometimes none is needed.
fn destination_for(rng: &mut StdRng, catalogue: &Catalogue, demarche: &Demarche) -> Destination {
    if rng.random_bool(0.12) {
        return Destination::ResolvedOnSpot;
    }
    if let Some(link) = demarche.online.first().filter(|_| rng.random_bool(0.2)) {
        return Destination::Online {
            title: link.title.clone(),
            url: link.url.clone(),
        };
    }
    let candidates: Vec<_> = std::iter::once(&demarche.service)
        .chain(&demarche.other_services)
        .filter_map(|id| catalogue.service(id))
        .filter(|s| s.active)
        .collect();
    let Some(service) = candidates.first() else {
        return Destination::ResolvedOnSpot;
    };
    match &service.kind {
        ServiceKind::Counter { .. } => Destination::Counter {
            service: service.id.clone(),
        },
        ServiceKind::Permanence { .. } => Destination::Permanence {
            service: service.id.clone(),
            slot: None,
        },
        ServiceKind::Partner { .. } => Destination::Partner {
            service: service.id.clone(),
        },
        ServiceKind::Online { url } => Destination::Online {
            title: service.name.clone(),
            url: url.clone(),
        },
    }
}

/// Walks `count` visits spread over the `days` days ending on the mairie day
/// of `now`, each through the real store. Visits are walked in arrival order.
pub fn walk_visits(
    store: &mut Store,
    count: usize,
    days: u32,
    now: DateTime<Utc>,
    seed: u64,
) -> Result<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(seed);
    // Opinions draw from their own generator: the visits stay those of the seed.
    let mut opinions = StdRng::seed_from_u64(seed.wrapping_add(OPINION_SEED));
    let catalogue = store.catalogue()?;
    let days = opening_days(crate::domain::mairie_day(now), days);
    let mut arrivals: Vec<DateTime<Utc>> = Vec::with_capacity(count);
    for _ in 0..count {
        if let Some(day) = days.choose(&mut rng).copied() {
            arrivals.push(arrival(&mut rng, day));
        }
    }
    arrivals.sort();
    let mut summary = DemoSummary {
        first_day: arrivals.first().map(|t| crate::domain::mairie_day(*t)),
        last_day: arrivals.last().map(|t| crate::domain::mairie_day(*t)),
        ..DemoSummary::default()
    };
    for start in arrivals {
        let mut t = start;
        let mut tick = |rng: &mut StdRng, lo: i64, hi: i64| {
            t += Duration::seconds(rng.random_range(lo..=hi));
            t
        };
        let visit = store.open_visit(start)?;
        summary.visits += 1;
        let abandon_at = rng.random_bool(0.05).then(|| rng.random_range(0..3));
        let listening = Listening {
            profile: rng
                .random_bool(0.6)
                .then(|| PROFILES.choose(&mut rng).copied())
                .flatten(),
            language: LANGUAGES
                .choose(&mut rng)
                .and_then(|l| Language::try_from((*l).to_owned()).ok()),
            note: None,
        };
        if abandon_at == Some(0) {
            store.record(visit.id, Action::Abandon, tick(&mut rng, 10, 60))?;
            summary.abandoned += 1;
            continue;
        }
        store.record(
            visit.id,
            Action::Listened(listening),
            tick(&mut rng, 20, 180),
        )?;
        let demarche = if rng.random_bool(0.05) {
            None
        } else {
            pick_demarche(&mut rng, &catalogue)
        };
        let qualification = match demarche {
            Some(d) => Qualification::Demarches {
                ids: vec![d.id.clone()],
            },
            None => {
                summary.unmet += 1;
                let description = UNMET
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("demande non qualifiée");
                Qualification::Unmet {
                    description: description.to_owned(),
                }
            }
        };
        store.record(
            visit.id,
            Action::Qualified(qualification),
            tick(&mut rng, 15, 150),
        )?;
        if abandon_at == Some(1) {
            store.record(visit.id, Action::Abandon, tick(&mut rng, 5, 60))?;
            summary.abandoned += 1;
            continue;
        }
        let at = tick(&mut rng, 10, 90);
        let destination = match demarche {
            Some(d) => destination_for(&mut rng, &catalogue, d),
            None => Destination::ResolvedOnSpot,
        };
        let oriented = store.record(visit.id, Action::Oriented(destination), at)?;
        summary.tickets += usize::from(oriented.ticket().is_some());
        if abandon_at == Some(2) {
            store.record(visit.id, Action::Abandon, tick(&mut rng, 5, 60))?;
            summary.abandoned += 1;
            continue;
        }
        give_opinion(store, &mut opinions, visit.id, at)?;
        let accompanied = rng.random_bool(0.2);
        let walk = if accompanied { (60, 420) } else { (3, 30) };
        store.record(
            visit.id,
            Action::Accompanied(Accompaniment { accompanied }),
            tick(&mut rng, walk.0, walk.1),
        )?;
    }
    Ok(summary)
}

const OPINION_SEED: u64 = 0x0a15;

/// A third of the visitors tap a face (most of them satisfied), and most of
/// those answer the repeat question (a quarter of them: yes).
fn give_opinion(
    store: &mut Store,
    rng: &mut StdRng,
    visit: crate::domain::VisitId,
    at: DateTime<Utc>,
) -> Result<()> {
    if !rng.random_bool(0.35) {
        return Ok(());
    }
    let faces = [
        (Satisfaction::VeryDissatisfied, 8),
        (Satisfaction::Dissatisfied, 14),
        (Satisfaction::Satisfied, 40),
        (Satisfaction::VerySatisfied, 38),
    ];
    let face = faces
        .choose_weighted(rng, |f| f.1)
        .map_or(Satisfaction::Satisfied, |f| f.0);
    store.record(visit, Action::Rated(face), at)?;
    if rng.random_bool(0.8) {
        store.record(visit, Action::AnsweredRepeat(rng.random_bool(0.25)), at)?;
    }
    Ok(())
}

/// A large catalogue for benchmarks: `catalogue` plus one démarche per
/// official sheet of `reference_jsonl` (the JSON Lines of
/// `reference/`) and one per online service of each sheet.
pub fn large_catalogue(
    mut catalogue: Catalogue,
    reference_jsonl: &str,
) -> Result<Catalogue, String> {
    let text = reference_jsonl;
    let service = Service {
        id: ServiceId::try_from("reference").map_err(|e| e.to_string())?,
        name: "Fiches officielles".into(),
        name_in: None,
        kind: ServiceKind::Online {
            url: "https://www.service-public.gouv.fr".into(),
        },
        active: true,
        version: 1,
    };
    let make = |id: String,
                title: &str,
                category: &str,
                keywords: Vec<String>|
     -> Result<Demarche, String> {
        let cut = |text: &str, max: usize| text.chars().take(max).collect::<String>();
        Ok(Demarche {
            id: DemarcheId::try_from(id).map_err(|e| e.to_string())?,
            title: cut(title, 120),
            title_in: None,
            category: cut(category, 60),
            official: None,
            keywords: keywords.iter().map(|k| cut(k, 60)).collect(),
            foreign_words: ForeignWords::default(),
            situations: Vec::new(),
            life_events: Vec::new(),
            service: service.id.clone(),
            other_services: Vec::new(),
            documents: Vec::new(),
            online: Vec::new(),
            appointment: Appointment::default(),
            notes: None,
            frequency: 1,
            active: true,
            version: 1,
        })
    };
    for line in text.lines() {
        let sheet: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let id = sheet["id"].as_str().unwrap_or_default().to_lowercase();
        let title = sheet["title"].as_str().unwrap_or_default();
        let subject = sheet["subject"].as_str().unwrap_or("Divers");
        let theme: Vec<String> = sheet["theme"]
            .as_str()
            .unwrap_or_default()
            .split(" > ")
            .skip(1)
            .map(str::to_owned)
            .collect();
        catalogue
            .demarches
            .push(make(format!("ref.{id}"), title, subject, theme)?);
        for (i, online) in sheet["online"].as_array().into_iter().flatten().enumerate() {
            let online_title = online["title"].as_str().unwrap_or_default();
            catalogue.demarches.push(make(
                format!("ref.{id}.en-ligne-{i}"),
                online_title,
                subject,
                vec![title.to_owned()],
            )?);
        }
    }
    catalogue.services.push(service);
    Ok(catalogue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn opening_days_skip_sundays_but_today() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid");
        let days = opening_days(monday, 3);
        assert_eq!(
            days.iter().map(|d| d.day()).collect::<Vec<_>>(),
            [27, 28, 30]
        );
        // Walked on a Sunday, the demo still gives « today » its visits.
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("valid");
        assert_eq!(opening_days(sunday, 1), [sunday]);
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid");
        assert_eq!(
            opening_days(tuesday, 3)
                .iter()
                .map(|d| d.day())
                .collect::<Vec<_>>(),
            [28, 30, 1]
        );
    }

    #[test]
    fn arrivals_fall_within_opening_hours() {
        let mut rng = StdRng::seed_from_u64(1);
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid");
        for _ in 0..200 {
            let local = arrival(&mut rng, day).with_timezone(&Paris);
            assert_eq!(local.date_naive(), day);
            let minutes = local.hour() * 60 + local.minute();
            assert!((8 * 60 + 30..17 * 60).contains(&minutes), "{local}");
        }
    }
}
