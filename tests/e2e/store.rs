//! The store: visits walked through the workflow, one outbox row per change,
//! tickets, the day's log, and refusals that change nothing.

use volant_core::Error;
use volant_core::Settings;
use volant_core::domain::{
    Accompaniment, Action, DemarcheId, Destination, Listening, Qualification, Satisfaction,
    ServiceId, Step, Visit,
};
use volant_protocol::EntityKind;
use volant_tests::{at, fresh_store};

fn demarche(id: &str) -> Qualification {
    Qualification::Demarches {
        ids: vec![DemarcheId::try_from(id).expect("valid id")],
    }
}

fn counter(id: &str) -> Destination {
    Destination::Counter {
        service: ServiceId::try_from(id).expect("valid id"),
    }
}

#[test]
fn a_visit_walked_through_every_step_leaves_one_outbox_row_per_change() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(9, 0)).expect("open");
    let steps = [
        Action::Listened(Listening::default()),
        Action::Qualified(demarche("etat-civil.acte-naissance")),
        Action::Back,
        Action::Qualified(demarche("etat-civil.acte-naissance")),
        Action::Oriented(counter("etat-civil")),
        Action::Accompanied(Accompaniment { accompanied: true }),
    ];
    let mut last = v.clone();
    for (i, action) in steps.into_iter().enumerate() {
        last = t
            .store
            .record(v.id, action, at(9, 1 + i as u32))
            .expect("record");
    }
    assert_eq!(last.step, Step::Closed);
    let rows = t.store.pending_mutations(100).expect("outbox");
    assert_eq!(rows.len(), 7, "open + 6 changes");
    assert_eq!(
        rows.iter().map(|m| m.seq).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<u64>>()
    );
    assert!(rows.iter().all(|m| m.install_id == t.store.install_id()
        && m.kind == EntityKind::Visit
        && m.entity_id == v.id.0));
    let ids: std::collections::HashSet<_> = rows.iter().map(|m| m.mutation_id).collect();
    assert_eq!(ids.len(), 7, "mutation ids are unique");
    let snapshots: Vec<Visit> = rows
        .iter()
        .map(|m| serde_json::from_str(m.payload.get()).expect("snapshot"))
        .collect();
    assert_eq!(
        snapshots.iter().map(|s| s.revision).collect::<Vec<_>>(),
        (0..=6).collect::<Vec<u32>>()
    );
    assert_eq!(
        snapshots.last(),
        Some(&last),
        "the last row is the full current snapshot"
    );
    assert_eq!(last.ticket().map(|t| t.code.as_str()), Some("EA01"));
}

#[test]
fn a_refused_action_writes_nothing() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(9, 0)).expect("open");
    let before = t.store.pending_count().expect("count");
    let wrong_step = t
        .store
        .record(v.id, Action::Oriented(counter("etat-civil")), at(9, 1));
    assert!(matches!(wrong_step, Err(Error::Workflow(_))));
    t.store
        .record(v.id, Action::Listened(Listening::default()), at(9, 1))
        .expect("listen");
    let unknown = t
        .store
        .record(v.id, Action::Qualified(demarche("nexiste.pas")), at(9, 2));
    assert_eq!(unknown.expect_err("unknown démarche").code(), "invalid");
    t.store
        .record(
            v.id,
            Action::Qualified(demarche("etat-civil.acte-naissance")),
            at(9, 2),
        )
        .expect("qualify");
    let not_a_counter = t
        .store
        .record(v.id, Action::Oriented(counter("caf")), at(9, 3));
    assert_eq!(
        not_a_counter.expect_err("partner is not a counter").code(),
        "invalid"
    );
    let missing = t
        .store
        .record(v.id, Action::Oriented(counter("nulle-part")), at(9, 3));
    assert_eq!(missing.expect_err("no such service").code(), "not_found");
    assert_eq!(
        t.store.pending_count().expect("count"),
        before + 2,
        "only the two accepted changes"
    );
    assert_eq!(t.store.visit(v.id).expect("visit").step, Step::Orient);
}

#[test]
fn notes_are_refused_unless_enabled() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(9, 0)).expect("open");
    let noted = Listening {
        note: Some("demande en lien avec un déménagement".into()),
        ..Listening::default()
    };
    assert!(
        t.store
            .record(v.id, Action::Listened(noted.clone()), at(9, 1))
            .is_err()
    );
    t.store
        .set_settings(&Settings {
            notes_enabled: true,
            ..Settings::default()
        })
        .expect("settings");
    let v = t
        .store
        .record(v.id, Action::Listened(noted), at(9, 1))
        .expect("noted");
    assert!(v.listening.note.is_some());
}

#[test]
fn ticket_codes_follow_the_tablet_letter_and_never_repeat_in_a_day() {
    let mut t = fresh_store();
    t.store
        .set_settings(&Settings {
            tablet: 'C'.try_into().expect("letter"),
            ..Settings::default()
        })
        .expect("settings");
    let mut codes = Vec::new();
    for i in 0..3 {
        let v = t.store.open_visit(at(10, i)).expect("open");
        t.store
            .record(v.id, Action::Listened(Listening::default()), at(10, i))
            .expect("listen");
        t.store
            .record(
                v.id,
                Action::Qualified(demarche("etat-civil.acte-naissance")),
                at(10, i),
            )
            .expect("qualify");
        let v = t
            .store
            .record(v.id, Action::Oriented(counter("etat-civil")), at(10, i))
            .expect("orient");
        codes.push(v.ticket().expect("ticket").code.to_string());
        if i == 2 {
            // Back and re-orient: a new code, the old one kept as replaced.
            t.store
                .record(v.id, Action::Back, at(10, 30))
                .expect("back");
            let v = t
                .store
                .record(
                    v.id,
                    Action::Oriented(counter("affaires-generales")),
                    at(10, 31),
                )
                .expect("re-orient");
            assert_eq!(v.replaced_tickets.len(), 1);
            codes.push(v.ticket().expect("ticket").code.to_string());
        }
    }
    assert_eq!(codes, ["EC01", "EC02", "EC03", "GC01"]);
}

#[test]
fn the_day_log_shows_each_visit_with_durations_and_sync_state() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(14, 0)).expect("open");
    t.store
        .record(v.id, Action::Listened(Listening::default()), at(14, 2))
        .expect("listen");
    t.store
        .record(
            v.id,
            Action::Qualified(Qualification::Unmet {
                description: "vignette Crit'Air".into(),
            }),
            at(14, 3),
        )
        .expect("unmet");
    t.store
        .record(
            v.id,
            Action::Oriented(Destination::ResolvedOnSpot),
            at(14, 4),
        )
        .expect("orient");
    t.store
        .record(v.id, Action::Rated(Satisfaction::Satisfied), at(14, 4))
        .expect("a face");
    t.store
        .record(v.id, Action::AnsweredRepeat(true), at(14, 4))
        .expect("the repeat question");
    t.store
        .record(
            v.id,
            Action::Accompanied(Accompaniment { accompanied: false }),
            at(14, 5),
        )
        .expect("close");
    let open = t.store.open_visit(at(15, 0)).expect("open");
    let log = t
        .store
        .day_log(at(0, 0).date_naive(), at(15, 10))
        .expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].visit.outcome(), "resolved_on_spot");
    assert_eq!(
        (
            log[0].durations.listen,
            log[0].durations.qualify,
            log[0].durations.total()
        ),
        (120, 60, 300)
    );
    assert_eq!(log[0].pending_changes, 7);
    let versions: Vec<u32> = t
        .store
        .pending_batch(100, usize::MAX)
        .expect("outbox")
        .iter()
        .map(|m| m.payload_version)
        .collect();
    assert_eq!(
        versions,
        [1, 1, 1, 1, 2, 2, 2, 1],
        "a snapshot with an opinion is version 2; one without stays 1, which older servers apply"
    );
    assert_eq!(log[1].visit.id, open.id);
    assert_eq!(
        log[1].durations.listen, 600,
        "an open step counts up to now"
    );
    let csv = volant_core::log::to_csv(&log).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), volant_core::log::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(&rows[0][9], "vignette Crit'Air");
    assert_eq!(
        (&rows[0][21], &rows[0][22], &rows[0][23]),
        ("satisfied", "oui", "en attente (7)")
    );
    assert_eq!((&rows[1][21], &rows[1][22]), ("", ""), "no opinion given");
    assert!(
        volant_core::log::to_csv(&[])
            .expect("empty")
            .starts_with("visit_id,")
    );
}

#[test]
fn the_store_keeps_everything_across_reopening_and_a_new_file_is_a_new_install() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(9, 0)).expect("open");
    let install = t.store.install_id();
    drop(t.store);
    let reopened = volant_core::Store::open(&t.path, at(9, 5)).expect("reopen");
    assert_eq!(reopened.install_id(), install);
    assert_eq!(reopened.visit(v.id).expect("visit").id, v.id);
    let other = fresh_store();
    assert_ne!(other.store.install_id(), install);
}

#[test]
fn demo_visits_walk_the_real_workflow() {
    let mut t = fresh_store();
    let summary = volant_core::demo::walk_visits(&mut t.store, 300, 3, at(18, 0), 7).expect("demo");
    assert_eq!(summary.visits, 300);
    assert!(
        summary.tickets > 50 && summary.abandoned > 0 && summary.unmet > 0,
        "{summary:?}"
    );
    let mut total = 0;
    let mut codes = std::collections::HashSet::new();
    let (first, last) = (
        summary.first_day.expect("first"),
        summary.last_day.expect("last"),
    );
    assert_eq!(
        (first.to_string(), last.to_string()),
        ("2026-11-21".into(), "2026-11-24".into()),
        "Sunday skipped"
    );
    for day in first.iter_days().take_while(|d| *d <= last) {
        for entry in t.store.day_log(day, at(18, 0)).expect("log") {
            total += 1;
            assert!(entry.visit.step.is_final());
            for ticket in entry
                .visit
                .ticket()
                .into_iter()
                .chain(&entry.visit.replaced_tickets)
            {
                assert!(
                    codes.insert((ticket.day, ticket.code.clone())),
                    "duplicate ticket {}",
                    ticket.code
                );
            }
        }
    }
    assert_eq!(total, 300);
    let rows = t.store.pending_mutations(u32::MAX).expect("outbox");
    assert_eq!(
        rows.last().map(|m| m.seq),
        Some(rows.len() as u64),
        "seq is contiguous"
    );
}

#[test]
fn a_permanence_gets_its_next_slot_when_none_was_chosen() {
    let mut t = fresh_store();
    let v = t.store.open_visit(at(9, 0)).expect("open");
    t.store
        .record(v.id, Action::Listened(Listening::default()), at(9, 1))
        .expect("listen");
    t.store
        .record(
            v.id,
            Action::Qualified(demarche("droit.avocat-gratuit")),
            at(9, 2),
        )
        .expect("qualify");
    let permanence = Destination::Permanence {
        service: ServiceId::try_from("perm-avocats").expect("id"),
        slot: None,
    };
    let v = t
        .store
        .record(v.id, Action::Oriented(permanence), at(9, 3))
        .expect("orient");
    let Some(Destination::Permanence {
        slot: Some(slot), ..
    }) = v.orientation.map(|o| o.destination)
    else {
        panic!("no slot proposed")
    };
    // 2026-11-24 is a Tuesday; the lawyers are there on Wednesday 17:00.
    assert_eq!(slot.to_string(), "2026-11-25 17:00:00");
}

#[test]
fn a_ticket_carries_the_wait_the_orient_step_showed_while_the_figure_is_recent() {
    let mut t = fresh_store();
    let wait = |service: &str, range| volant_protocol::ServiceWait {
        service: service.into(),
        waiting: 3,
        open_counters: 1,
        served_today: 8,
        range,
        past_closing: false,
    };
    let quote = volant_protocol::WaitMinutes {
        optimistic: 16,
        pessimistic: 20,
    };
    let board = volant_protocol::WaitBoard {
        services: vec![wait("etat-civil", Some(quote)), wait("regie", None)],
        computed_at: at(9, 58),
    };
    t.store.set_counter_waits(&board, at(10, 0)).expect("keep");
    let issue = |t: &mut volant_tests::TestStore, service: &str, when| {
        let v = t.store.open_visit(when).expect("open");
        t.store
            .record(v.id, Action::Listened(Listening::default()), when)
            .expect("listen");
        t.store
            .record(
                v.id,
                Action::Qualified(demarche("etat-civil.acte-naissance")),
                when,
            )
            .expect("qualify");
        t.store
            .record(v.id, Action::Oriented(counter(service)), when)
            .expect("orient")
    };
    let quoted = issue(&mut t, "etat-civil", at(10, 30));
    assert_eq!(quoted.ticket().and_then(|k| k.quoted_wait), Some(quote));
    let unknown = issue(&mut t, "regie", at(10, 30));
    assert_eq!(unknown.ticket().and_then(|k| k.quoted_wait), None);
    // An hour after the figure was fetched, it is neither shown nor quoted.
    assert!(t.store.counter_waits(at(11, 0)).expect("read").is_some());
    assert!(t.store.counter_waits(at(11, 1)).expect("read").is_none());
    let late = issue(&mut t, "etat-civil", at(11, 1));
    assert_eq!(late.ticket().and_then(|k| k.quoted_wait), None);
    // A snapshot with a quote is written as payload 3; without one, as before.
    let versions: Vec<u32> = {
        let conn = rusqlite::Connection::open(&t.path).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT payload_version FROM outbox WHERE entity_id = ?1 ORDER BY seq DESC LIMIT 1",
            )
            .expect("prepare");
        [quoted.id, late.id]
            .iter()
            .map(|id| {
                stmt.query_row([id.0.to_string()], |r| r.get(0))
                    .expect("row")
            })
            .collect()
    };
    assert_eq!(versions, [3, 1]);
}
