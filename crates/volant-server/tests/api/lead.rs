//! The team lead's endpoints, with fixtures of several tablets over several
//! days: only lead devices get in; the journal pages and filters; indicators
//! of a day and a period; sign-off; the CSV export; catalogue edits with
//! optimistic versions; and retention, after which only aggregates remain.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use volant_core::domain::{Action, Listening, Qualification, mairie_day};
use volant_protocol::DeviceKind;
use volant_server::store::{DEFAULT_RETENTION_DAYS, JOURNAL_PAGE_SIZE};

use super::{Tablet, TestApp, spawn_app};

/// Pushes every pending change of a tablet, in batches.
async fn push_all(app: &TestApp, tablet: &Tablet) {
    let rows = tablet.store.pending_mutations(u32::MAX).expect("outbox");
    for batch in rows.chunks(500) {
        let (status, body) = app.push(tablet, batch).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// Two agent tablets with `per_day` demo visits a day over `days` opening
/// days ending on `last`, pushed; and a lead device.
async fn fixture(
    app: &TestApp,
    per_day: usize,
    days: u32,
    last: chrono::DateTime<Utc>,
) -> (Tablet, Tablet, Tablet) {
    let mut a = app.tablet().await;
    let mut b = app.tablet().await;
    for (seed, t) in [(1, &mut a), (2, &mut b)] {
        volant_core::demo::walk_visits(&mut t.store, per_day * days as usize, days, last, seed)
            .expect("demo visits");
        push_all(app, t).await;
    }
    let lead = app.device(DeviceKind::Lead).await;
    (a, b, lead)
}

/// `GET /v1/lead/export` of `from..=to` with the lead's credential.
async fn export(app: &TestApp, lead: &Tablet, from: NaiveDate, to: NaiveDate) -> reqwest::Response {
    app.http
        .get(format!("{}/v1/lead/export?from={from}&to={to}", app.base))
        .header(volant_protocol::PROTOCOL_HEADER, "1")
        .bearer_auth(&lead.token)
        .send()
        .await
        .expect("export")
}

fn day_of(t: chrono::DateTime<Utc>) -> NaiveDate {
    mairie_day(t)
}

#[tokio::test]
async fn only_a_lead_device_reaches_the_lead_endpoints() {
    let app = spawn_app().await;
    let agent = app.tablet().await;
    let lead = app.device(DeviceKind::Lead).await;
    let day = day_of(Utc::now());
    let gets = [
        format!("/v1/lead/journal?day={day}"),
        format!("/v1/lead/indicators?from={day}&to={day}"),
        format!("/v1/lead/export?from={day}&to={day}"),
    ];
    for path in &gets {
        let (status, body) = app.get(path, Some(&agent.token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(body["code"], "forbidden");
        let (status, _) = app.get(path, Some(&lead.token)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let (status, _) = app.get(path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let (status, _) = app
        .put(
            &format!("/v1/lead/signoff/{day}"),
            Some(&agent.token),
            &json!({"comment": "vu"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .put(
            "/v1/lead/catalogue/demarche/x",
            Some(&agent.token),
            &json!({"expected_version": null, "record": {}}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_journal_pages_and_filters_a_day_of_every_tablet() {
    let app = spawn_app().await;
    let now = Utc::now();
    let (a, _b, lead) = fixture(&app, 60, 2, now).await;
    let day = day_of(now);
    let journal = |query: String| {
        let app = &app;
        let token = lead.token.clone();
        async move {
            let (status, body) = app
                .get(&format!("/v1/lead/journal?day={day}{query}"), Some(&token))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let all = journal(String::new()).await;
    let total = all["total"].as_u64().expect("total");
    assert!(
        total > u64::from(JOURNAL_PAGE_SIZE),
        "two tablets' day spans pages: {total}"
    );
    assert_eq!(
        all["entries"].as_array().expect("entries").len(),
        JOURNAL_PAGE_SIZE as usize
    );
    let mut seen = 0;
    let mut tablets = std::collections::BTreeSet::new();
    for page in 0.. {
        let body = journal(format!("&page={page}")).await;
        let entries = body["entries"].as_array().expect("entries");
        if entries.is_empty() {
            break;
        }
        for e in entries {
            assert_eq!(e["visit"]["day"], day.to_string());
            assert!(
                e["visit"]["spans"]
                    .as_array()
                    .is_some_and(|s| !s.is_empty())
            );
            tablets.insert(e["visit"]["tablet"].as_str().expect("tablet").to_owned());
        }
        seen += entries.len() as u64;
    }
    assert_eq!(seen, total, "the pages hold every visit once");
    assert_eq!(tablets.len(), 2, "both tablets are in the journal");

    let letter = a.store.settings().expect("settings").tablet.to_string();
    let only_a = journal(format!("&tablet={letter}")).await;
    assert!(only_a["total"].as_u64() < Some(total));
    assert!(
        only_a["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["visit"]["tablet"] == letter.as_str())
    );
    let unmet = journal("&unmet_only=true".into()).await;
    assert!(
        unmet["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["visit"]["qualification"]["kind"] == "unmet")
    );
    let counter = journal("&outcome=counter".into()).await;
    assert!(counter["total"].as_u64() > Some(0));
    assert!(
        counter["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["visit"]["orientation"]["ticket"].is_object())
    );
    let first = counter["entries"][0]["visit"]["qualification"]["ids"][0]
        .as_str()
        .expect("démarche")
        .to_owned();
    let by_demarche = journal(format!("&demarche={first}")).await;
    assert!(
        by_demarche["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| {
                e["visit"]["qualification"]["ids"]
                    .as_array()
                    .is_some_and(|ids| ids.iter().any(|i| i == first.as_str()))
            })
    );
    let (status, body) = app
        .get(
            &format!("/v1/lead/journal?day={day}&colour=red"),
            Some(&lead.token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = app
        .get("/v1/lead/journal?day=2026-13-40", Some(&lead.token))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_suspicious_clock_and_a_quarantined_change_are_flagged() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let lead = app.device(DeviceKind::Lead).await;
    let rows = tablet.visit();
    let mut body = tablet.push_body(&rows);
    body["clock_offset_ms"] = json!(3_600_000);
    let (status, _) = app.post("/v1/push", Some(&tablet.token), &body).await;
    assert_eq!(status, StatusCode::OK);
    let mut poison = tablet.visit();
    let bad = poison.len() - 1;
    super::edit_payload(&mut poison[bad], |v| {
        v["qualification"] = json!({"kind": "demarches", "ids": ["inconnue"]})
    });
    let (status, _) = app.push(&tablet, &poison[rows.len()..]).await;
    assert_eq!(status, StatusCode::OK);
    let day = day_of(Utc::now());
    let (_, page) = app
        .get(&format!("/v1/lead/journal?day={day}"), Some(&lead.token))
        .await;
    assert_eq!(page["entries"][0]["clock_suspect"], true, "{page}");
    let quarantined = page["quarantined"].as_array().expect("quarantined");
    assert_eq!(quarantined.len(), 1, "{page}");
    assert!(
        quarantined[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("inconnue"))
    );
    assert!(
        page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["quarantined"].is_string())
    );
}

#[tokio::test]
async fn the_visitors_opinions_reach_the_indicators_and_the_export() {
    let app = spawn_app().await;
    let now = Utc::now();
    let (a, b, lead) = fixture(&app, 60, 1, now).await;
    let day = day_of(now);
    // What the tablets recorded, counted here from their own logs.
    let opinions: Vec<_> = [&a, &b]
        .iter()
        .flat_map(|t| t.store.day_log(day, now).expect("log"))
        .filter_map(|e| e.visit.opinion)
        .collect();
    let satisfied = opinions
        .iter()
        .filter(|o| o.satisfaction.is_satisfied())
        .count();
    let repeats: Vec<bool> = opinions
        .iter()
        .filter_map(|o| o.repeated_situation)
        .collect();
    let yes = repeats.iter().filter(|r| **r).count();
    assert!(
        opinions.len() >= 10 && repeats.len() >= 10,
        "{} opinions",
        opinions.len()
    );
    // Whole percent, half away from zero (f64's rounding).
    let pct = |part: f64, whole: usize| (100.0 * part / whole as f64).round() as i64;
    let (status, ind) = app.indicators(&lead, day, day).await;
    assert_eq!(status, StatusCode::OK, "{ind}");
    let s = &ind["satisfaction"];
    let n = opinions.len();
    assert_eq!(s["answers"].as_u64(), Some(n as u64));
    assert_eq!(s["satisfied_pct"].as_i64(), Some(pct(satisfied as f64, n)));
    let dissatisfied = n - satisfied;
    assert_eq!(
        s["net"].as_i64(),
        Some(pct(satisfied as f64 - dissatisfied as f64, n))
    );
    assert_eq!(s["repeat_answers"].as_u64(), Some(repeats.len() as u64));
    assert_eq!(
        s["repeated_pct"].as_i64(),
        Some(pct(yes as f64, repeats.len()))
    );
    let response = export(&app, &lead, day, day).await;
    let csv = response.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (face, repeated) = (column("satisfaction"), column("repeated_situation"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(
        rows.iter().filter(|r| !r[face].is_empty()).count(),
        opinions.len()
    );
    assert_eq!(rows.iter().filter(|r| &r[repeated] == "oui").count(), yes);
}

#[tokio::test]
async fn indicators_signoff_and_export_tell_the_same_day() {
    let app = spawn_app().await;
    let now = Utc::now();
    let (_, _, lead) = fixture(&app, 50, 3, now).await;
    let day = day_of(now);
    let (_, page) = app
        .get(&format!("/v1/lead/journal?day={day}"), Some(&lead.token))
        .await;
    let (status, ind) = app.indicators(&lead, day, day).await;
    assert_eq!(status, StatusCode::OK, "{ind}");
    assert_eq!(ind["visits"], page["total"]);
    let sum = |key: &str| {
        ind[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|c| c["visits"].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(
        sum("arrivals_per_hour"),
        ind["visits"].as_u64().unwrap_or(0)
    );
    assert_eq!(sum("orientations"), ind["visits"].as_u64().unwrap_or(0));
    assert_eq!(sum("per_tablet"), ind["visits"].as_u64().unwrap_or(0));
    assert!(ind["busiest_hour"].is_string());
    assert_eq!(ind["step_times"].as_array().map(Vec::len), Some(4));
    assert!(ind["step_times"][0]["median_s"].as_u64() > Some(0));
    assert!(ind["step_times"][0]["p90_s"].as_u64() >= ind["step_times"][0]["median_s"].as_u64());

    let from = day - Duration::days(10);
    let (_, month) = app.indicators(&lead, from, day).await;
    assert!(month["visits"].as_u64() > ind["visits"].as_u64());
    assert_eq!(month["detailed_days"], 3);

    let (status, signed) = app
        .put(
            &format!("/v1/lead/signoff/{day}"),
            Some(&lead.token),
            &json!({"comment": "Journée chargée, RAS."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let (_, page) = app
        .get(&format!("/v1/lead/journal?day={day}"), Some(&lead.token))
        .await;
    assert_eq!(page["signoff"]["comment"], "Journée chargée, RAS.");
    assert_eq!(page["signoff"]["signed_by"], "Tablette test");
    let (_, ind) = app.indicators(&lead, from, day).await;
    assert_eq!(ind["signed_off"], json!([day.to_string()]));
    let (status, _) = app
        .put(
            &format!("/v1/lead/signoff/{day}"),
            Some(&lead.token),
            &json!({"comment": "x".repeat(501)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let tomorrow = day + Duration::days(2);
    let (status, _) = app
        .put(
            &format!("/v1/lead/signoff/{tomorrow}"),
            Some(&lead.token),
            &json!({"comment": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app.indicators(&lead, day, from).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let response = export(&app, &lead, day, day).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/csv"))
    );
    let text = response.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), volant_core::log::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(Some(rows.len() as u64), page["total"].as_u64());
}

#[tokio::test]
async fn a_catalogue_edit_needs_the_current_version_and_passes_the_import_rules() {
    let app = spawn_app().await;
    let lead = app.device(DeviceKind::Lead).await;
    let record = json!({
        "id": "social.velo-cargo",
        "title": "Prêt de vélo cargo aux associations",
        "title_in": {"en": "Cargo bike loans for associations", "ar": null, "es": null, "zh-Hans": "向协会出借货运自行车"},
        "category": "Vie associative",
        "keywords": ["vélo cargo"],
        "service": "etat-civil",
        "documents": [{"ref": "piece_identite"}, "Statuts de l'association"],
    });
    let path = "/v1/lead/catalogue/demarche/social.velo-cargo";
    let (status, created) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": null, "record": record}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["record"]["version"], 1);
    let since = created["catalogue_version"].as_u64().expect("version") - 1;
    let (_, changes) = app
        .get(
            &format!("/v1/catalogue/changes?since={since}"),
            Some(&lead.token),
        )
        .await;
    assert_eq!(changes["changes"][0]["id"], "social.velo-cargo");

    let mut edited = created["record"].clone();
    edited["title"] = json!("Prêt de vélos cargo");
    let (status, second) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": 1, "record": edited}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["record"]["version"], 2);

    let mut stale = created["record"].clone();
    stale["title"] = json!("Une autre idée");
    let (status, conflict) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": 1, "record": stale}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(conflict["code"], "version_conflict");
    assert_eq!(
        conflict["current"]["title"], "Prêt de vélos cargo",
        "the current record is shown"
    );
    let (status, again) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": null, "record": record}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    let mut bad = second["record"].clone();
    bad["service"] = json!("nulle-part");
    let (status, refused) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": 2, "record": bad}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "service");
    for (field, value, refused_field) in [
        ("title_in", json!(null), "title_in"),
        ("title_in", json!({"en": "Cargo bikes"}), "title_in"),
        (
            "documents",
            json!([{"ref": "velo_cargo"}]),
            "documents[0].ref",
        ),
    ] {
        let mut bad = second["record"].clone();
        bad[field] = value;
        let (status, refused) = app
            .put(
                path,
                Some(&lead.token),
                &json!({"expected_version": 2, "record": bad}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["field"], refused_field, "{refused}");
    }
    let mut archived = second["record"].clone();
    archived["active"] = json!(false);
    let (status, body) = app
        .put(
            path,
            Some(&lead.token),
            &json!({"expected_version": 2, "record": archived}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["record"]["active"], false);
    let partner = json!({"id": "velo-asso", "name": "Maison du vélo", "name_in": {"en": "Bike house", "ar": null, "es": null, "zh-Hans": null}, "kind": "partner", "address": "1 rue X, 75019 Paris", "hours": "lun.-ven. 9 h-18 h"});
    let (status, body) = app
        .put(
            "/v1/lead/catalogue/service/velo-asso",
            Some(&lead.token),
            &json!({"expected_version": null, "record": partner}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changes = app
        .get(
            "/v1/catalogue/changes?since=0&limit=1000",
            Some(&lead.token),
        )
        .await
        .1;
    let permanence = changes["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["record"]["kind"] == "permanence")
        .expect("a permanence")["record"]
        .clone();
    let id = permanence["id"].as_str().expect("id").to_owned();
    let mut slots = permanence.clone();
    slots["slots"] = json!([{"weekday": "friday", "start": "10:00", "end": "12:00"}]);
    let (status, body) = app
        .put(
            &format!("/v1/lead/catalogue/service/{id}"),
            Some(&lead.token),
            &json!({"expected_version": permanence["version"], "record": slots}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    slots["slots"] = json!([{"weekday": "friday", "start": "12:00", "end": "10:00"}]);
    let (status, body) = app
        .put(
            &format!("/v1/lead/catalogue/service/{id}"),
            Some(&lead.token),
            &json!({"expected_version": body["record"]["version"], "record": slots}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "slots[0].end");
    let (status, body) = app
        .put(
            "/v1/lead/catalogue/guichet/x",
            Some(&lead.token),
            &json!({"expected_version": null, "record": {}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn retention_leaves_only_aggregates_and_old_indicators_still_add_up() {
    let app = spawn_app().await;
    let old = Utc::now() - Duration::days(i64::from(DEFAULT_RETENTION_DAYS) + 20);
    let (mut a, _, lead) = fixture(&app, 40, 3, old).await;
    let secret = "cherche le formulaire zorglub-4711";
    let v = a.store.open_visit(old).expect("open");
    a.store
        .record(v.id, Action::Listened(Listening::default()), old)
        .expect("listen");
    a.store
        .record(
            v.id,
            Action::Qualified(Qualification::Unmet {
                description: secret.into(),
            }),
            old,
        )
        .expect("unmet");
    push_all(&app, &a).await;
    let recent = Utc::now();
    volant_core::demo::walk_visits(&mut a.store, 30, 1, recent, 9).expect("recent visits");
    push_all(&app, &a).await;

    let (from, to) = (day_of(old) - Duration::days(7), day_of(old));
    let indicators = || async {
        let (status, body) = app.indicators(&lead, from, to).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    };
    let before = indicators().await;
    assert!(
        before["unmet"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["label"] == secret))
    );
    assert!(super::db::holds(&app.db, secret));

    let report = app.store(|s| {
        s.run_retention(DEFAULT_RETENTION_DAYS, Utc::now())
            .expect("retention")
    });
    assert!(report.days >= 3, "{report:?}");

    let after = indicators().await;
    assert_eq!(
        after["visits"], before["visits"],
        "the old days still count every visit"
    );
    assert_eq!(after["aggregated_days"], report.days);
    assert_eq!(after["detailed_days"], 0);
    let sum = |v: &Value, key: &str| {
        v[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|c| c["visits"].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(sum(&after, "orientations"), sum(&before, "orientations"));
    assert!(sum(&after, "arrivals_per_hour") <= sum(&before, "arrivals_per_hour"));
    assert!(
        after["unmet"].as_array().is_some_and(Vec::is_empty),
        "no wording survives"
    );
    let (_, page) = app
        .get(&format!("/v1/lead/journal?day={to}"), Some(&lead.token))
        .await;
    assert_eq!(page["total"], 0);
    assert_eq!(page["purged"], true);
    let small = super::db::count(
        &app.db,
        "SELECT COUNT(*) FROM visit_aggregate WHERE visits < 5 AND (hour IS NOT NULL OR demarche IS NOT NULL OR outcome IS NOT NULL)",
    );
    assert_eq!(small, 0, "no detailed cell under 5 visits");
    assert!(
        !super::db::holds(&app.db, secret),
        "the purged wording is gone from the file, not hidden"
    );

    let today = day_of(recent);
    let (_, page) = app
        .get(&format!("/v1/lead/journal?day={today}"), Some(&lead.token))
        .await;
    assert!(page["total"].as_u64() > Some(0), "recent days are kept");
}

#[tokio::test]
async fn the_lead_repairs_a_quarantined_visit_and_its_indicators_follow() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let lead = app.device(DeviceKind::Lead).await;
    let mut rows = tablet.visit();
    let last = rows.len() - 1;
    super::edit_payload(&mut rows[last], |v| {
        v["qualification"] = json!({"kind": "demarches", "ids": ["ancienne-demarche"]})
    });
    let (status, _) = app.push(&tablet, &rows).await;
    assert_eq!(status, StatusCode::OK);
    let day = day_of(Utc::now());
    let journal = || async {
        app.get(&format!("/v1/lead/journal?day={day}"), Some(&lead.token))
            .await
            .1
    };
    let indicators = || async { app.indicators(&lead, day, day).await.1 };
    let page = journal().await;
    let record = page["quarantined"][0].clone();
    assert_eq!(
        record["unknown_demarches"],
        json!(["ancienne-demarche"]),
        "{page}"
    );
    assert!(record["repair"].is_null());
    let before = indicators().await;
    let install = record["install_id"].as_str().expect("install");
    let at = |seq: &dyn std::fmt::Display| format!("/v1/lead/quarantine/{install}/{seq}");
    let path = at(&record["seq"]);
    let repair = |to: &str| json!({"replacements": [{"from": "ancienne-demarche", "to": to}]});

    // Only a lead may; a démarche the catalogue lacks fixes nothing.
    let (status, _) = app
        .post(
            &path,
            Some(&tablet.token),
            &repair("etat-civil.acte-naissance"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A place beyond any seq (found by schemathesis: it was a 503) is not found.
    let (status, body) = app
        .post(
            &at(&(1u64 << 63)),
            Some(&lead.token),
            &repair("etat-civil.acte-naissance"),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found")),
        "{body}"
    );
    let (status, body) = app
        .post(&path, Some(&lead.token), &repair("toujours-inconnue"))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_field")),
        "{body}"
    );
    assert_eq!(
        journal().await["quarantined"][0]["repair"],
        Value::Null,
        "nothing changed"
    );

    let (status, repaired) = app
        .post(
            &path,
            Some(&lead.token),
            &repair("etat-civil.acte-naissance"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{repaired}");
    assert_eq!(repaired["repair"]["by"], "Tablette test");
    assert_eq!(
        repaired["repair"]["replacements"][0]["to"],
        "etat-civil.acte-naissance"
    );
    assert_eq!(repaired["unknown_demarches"], json!([]));
    let page = journal().await;
    assert_eq!(
        page["quarantined"][0]["repair"], repaired["repair"],
        "the journal keeps the repair: who, when, what"
    );
    assert!(
        page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["quarantined"].is_null()),
        "the visit is no longer flagged: {page}"
    );
    // The indicators had the visit as left before its refused revision (still
    // open); now they have it as the tablet last sent it, repaired: closed at a counter.
    let after = indicators().await;
    let orientations = |i: &Value| {
        i["orientations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["key"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(orientations(&before), ["open"], "{before}");
    assert_eq!(orientations(&after), ["counter"], "{after}");
    assert_eq!(after["visits"], before["visits"]);
    assert_eq!(
        after["top_demarches"][0]["key"],
        "etat-civil.acte-naissance"
    );
    let (status, _) = app
        .post(
            &path,
            Some(&lead.token),
            &repair("etat-civil.acte-naissance"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a repair is made once");
}
