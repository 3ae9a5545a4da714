//! The team lead's day, end to end on a real server on 127.0.0.1: two agent
//! tablets work offline, sync, and the lead device sees their day, signs it
//! off, exports it, turns an unmet need into a démarche the tablets then
//! find, reads its last view offline, and the retention leaves only
//! aggregates. Also the tablet's own retention.

use chrono::{Duration, Utc};
use volant_core::domain::{Action, Listening, Qualification, mairie_day};
use volant_core::lead::{self, EditOutcome};
use volant_protocol::{CatalogueEdit, DeviceKind, JournalQuery, Period, RecordKind};
use volant_tests::proxy::Proxy;
use volant_tests::server::{TestServer, server_store};
use volant_tests::tablet::Tablet;

/// One visit whose request the catalogue could not answer, in `wording`.
async fn record_unmet(tablet: &Tablet, wording: &str) {
    let mut s = tablet.store.lock().await;
    let v = s.open_visit(Utc::now()).expect("open");
    s.record(v.id, Action::Listened(Listening::default()), Utc::now())
        .expect("listen");
    s.record(
        v.id,
        Action::Qualified(Qualification::Unmet {
            description: wording.into(),
        }),
        Utc::now(),
    )
    .expect("unmet");
}

#[tokio::test]
async fn two_tablets_offline_then_the_lead_reviews_signs_exports_and_grows_the_catalogue() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.sqlite3");
    let server = TestServer::start(&db).await;
    // Every device talks to the server through a proxy that survives restarts.
    let proxy = Proxy::start(server.addr, &db).await;
    let a = Tablet::new(dir.path(), "a");
    let b = Tablet::new(dir.path(), "b");
    let chief = Tablet::new(dir.path(), "lead");
    a.enroll(&proxy.endpoint.invite(&db, DeviceKind::Agent))
        .await;
    b.enroll(&proxy.endpoint.invite(&db, DeviceKind::Agent))
        .await;
    chief
        .enroll(&proxy.endpoint.invite(&db, DeviceKind::Lead))
        .await;
    assert!(chief.store.lock().await.sync_status().expect("status").lead);
    assert!(!a.store.lock().await.sync_status().expect("status").lead);

    // The day's work, made with no server at all.
    server.stop().await;
    a.visits(40, 11).await;
    b.visits(35, 12).await;
    let wording = "prêt de vélo cargo pour une association";
    record_unmet(&b, wording).await;
    let server = TestServer::start(&db).await;
    proxy.retarget(server.addr);
    a.sync_until_quiet(5).await;
    b.sync_until_quiet(5).await;
    chief.sync_until_quiet(5).await;

    let day = mairie_day(Utc::now());
    let query = JournalQuery {
        day,
        ..JournalQuery::default()
    };
    let journal = lead::team_journal(&chief.store, &query, Utc::now())
        .await
        .expect("journal");
    assert_eq!(journal.cached_at, None);
    assert_eq!(journal.value.total, 76, "every visit of both tablets");
    let unmet = lead::team_journal(
        &chief.store,
        &JournalQuery {
            unmet_only: true,
            ..query.clone()
        },
        Utc::now(),
    )
    .await
    .expect("unmet journal");
    assert!(unmet.value.visits.iter().any(|v| v.visit.qualification
        == Some(Qualification::Unmet {
            description: wording.into()
        })));

    let period = Period { from: day, to: day };
    let indicators = lead::team_indicators(&chief.store, period, Utc::now())
        .await
        .expect("indicators");
    assert_eq!(indicators.value.visits, 76);
    assert_eq!(indicators.value.per_tablet.len(), 2);
    assert!(
        indicators
            .value
            .unmet
            .iter()
            .any(|g| g.wordings.iter().any(|w| w == wording))
    );

    let signed = lead::sign_off(&chief.store, day, "Relu, deux tablettes.")
        .await
        .expect("sign-off");
    assert_eq!(signed.comment, "Relu, deux tablettes.");
    let csv_path = lead::save_csv(&chief.store, period, dir.path())
        .await
        .expect("export");
    let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
    assert_eq!(reader.records().count(), 76);

    // The unmet need becomes a démarche; the tablets find it after their pull.
    let record = serde_json::json!({
        "id": "associations.velo-cargo",
        "title": "Prêt de vélo cargo aux associations",
        "title_in": {"en": "Cargo bike loans", "ar": null, "es": null, "zh-Hans": null},
        "category": "Vie associative",
        "keywords": [wording, "vélo cargo"],
        "service": "etat-civil",
    });
    let saved = lead::edit_catalogue(
        &chief.store,
        RecordKind::Demarche,
        "associations.velo-cargo",
        &CatalogueEdit {
            expected_version: None,
            record,
        },
    )
    .await
    .expect("edit");
    assert!(matches!(saved, EditOutcome::Saved { .. }), "{saved:?}");
    a.sync_until_quiet(5).await;
    let hits = a
        .store
        .lock()
        .await
        .search("velo cargo", 3)
        .expect("search");
    assert_eq!(
        hits.first().map(|h| h.id.as_str()),
        Some("associations.velo-cargo")
    );
    let again = lead::edit_catalogue(
        &chief.store,
        RecordKind::Demarche,
        "associations.velo-cargo",
        &CatalogueEdit {
            expected_version: None,
            record: serde_json::json!({}),
        },
    )
    .await
    .expect("conflict is an answer");
    assert!(
        matches!(
            again,
            EditOutcome::Conflict {
                current: Some(_),
                ..
            }
        ),
        "{again:?}"
    );

    // Offline, the lead still reads what it fetched, and is told so.
    server.stop().await;
    let offline = lead::team_journal(&chief.store, &query, Utc::now())
        .await
        .expect("cached journal");
    assert!(offline.cached_at.is_some());
    assert_eq!(offline.value.total, 76);
    assert_eq!(
        offline.value.signoff, None,
        "the view as it was fetched, before the sign-off"
    );
    let never = lead::team_indicators(
        &chief.store,
        Period {
            from: day - Duration::days(30),
            to: day,
        },
        Utc::now(),
    )
    .await;
    assert_eq!(
        never.map_err(|e| e.code()).err().as_deref(),
        Some("offline")
    );
    let refused = lead::team_journal(&a.store, &query, Utc::now()).await;
    assert_eq!(
        refused.map_err(|e| e.code()).err().as_deref(),
        Some("forbidden")
    );

    // Months later, only aggregates remain on the server.
    let later = Utc::now() + Duration::days(120);
    let report = server_store(&db)
        .run_retention(90, later)
        .expect("retention");
    assert_eq!(report.visits, 76);
    let server = TestServer::start(&db).await;
    proxy.retarget(server.addr);
    let old = lead::team_indicators(&chief.store, period, Utc::now())
        .await
        .expect("old indicators");
    assert_eq!(old.value.visits, 76);
    assert_eq!(old.value.aggregated_days, 1);
    server.stop().await;
}

#[tokio::test]
async fn the_tablet_forgets_synced_visits_after_thirty_days_but_never_pending_ones() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.sqlite3");
    let server = TestServer::start(&db).await;
    let synced = Tablet::new(dir.path(), "synced");
    synced
        .enroll(&server.endpoint.invite(&db, DeviceKind::Agent))
        .await;
    synced.visits(9, 3).await;
    let wording = "cherche le guichet zorglub-4711";
    record_unmet(&synced, wording).await;
    synced.sync_until_quiet(5).await;
    let bytes = |path: &std::path::Path| {
        let mut all = std::fs::read(path).expect("db");
        all.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
        all.windows(wording.len()).any(|w| w == wording.as_bytes())
    };
    assert!(
        bytes(&synced.path),
        "the wording is in the tablet's file before"
    );
    let offline = Tablet::new(dir.path(), "offline");
    offline.visits(10, 4).await;
    server.stop().await;

    let later = Utc::now() + Duration::days(31);
    let day = mairie_day(Utc::now());
    assert_eq!(
        synced
            .store
            .lock()
            .await
            .purge_acknowledged(later)
            .expect("purge"),
        10
    );
    assert!(
        synced
            .store
            .lock()
            .await
            .day_log(day, later)
            .expect("log")
            .is_empty()
    );
    assert!(
        !bytes(&synced.path),
        "the purged wording is gone from the tablet's file, not hidden"
    );
    assert_eq!(
        offline
            .store
            .lock()
            .await
            .purge_acknowledged(later)
            .expect("purge"),
        0
    );
    assert_eq!(
        offline
            .store
            .lock()
            .await
            .day_log(day, later)
            .expect("log")
            .len(),
        10
    );
}
