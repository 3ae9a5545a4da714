//! Mairies as tenants, over real HTTP: every device of one mairie — tablet,
//! lead, counter, display — goes through every endpoint it may call and
//! reads or changes nothing of another mairie's, though both issue the same
//! ticket codes and hold the same démarche ids; the city's device reads every
//! mairie's indicators, aggregates only, and nothing else.

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use volant_core::Store;
use volant_protocol::DeviceKind;
use volant_server::store::{MairieId, TABLES};

use super::queue::{Screen, Stream, codes};
use super::{Tablet, TestApp, db, spawn_app};

/// One mairie's devices.
struct Hall {
    tablet: Tablet,
    lead: Tablet,
    counter: Screen,
    display: Screen,
}

async fn hall(app: &TestApp, mairie: MairieId, counter: &str) -> Hall {
    app.use_mairie(mairie);
    Hall {
        tablet: app.tablet().await,
        lead: app.device(DeviceKind::Lead).await,
        counter: app.counter("etat-civil", counter).await,
        display: app.display(&["etat-civil"]).await,
    }
}

/// How many rows of each table a mairie holds.
fn holdings(app: &TestApp, mairie: MairieId) -> Vec<(&'static str, u64)> {
    TABLES
        .iter()
        .map(|t| {
            let sql = format!("SELECT COUNT(*) FROM {t} WHERE mairie_id = {}", mairie.0);
            (*t, db::count(&app.db, &sql))
        })
        .collect()
}

/// Without the fields that tell the time of the answer.
fn timeless(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("server_time");
        object.remove("computed_at");
    }
    value
}

/// Everything a mairie's devices read, as they read it.
async fn reads(app: &TestApp, hall: &Hall) -> Vec<Value> {
    let day = volant_core::domain::mairie_day(Utc::now());
    let lead = Some(hall.lead.token.as_str());
    let tablet = Some(hall.tablet.token.as_str());
    let mut all = Vec::new();
    for (path, token) in [
        (format!("/v1/lead/journal?day={day}"), lead),
        (format!("/v1/lead/indicators?from={day}&to={day}"), lead),
        ("/v1/catalogue/changes?since=0".to_owned(), tablet),
        (format!("/v1/tickets?day={day}"), tablet),
        ("/v1/waits".to_owned(), tablet),
        ("/v1/info".to_owned(), tablet),
        ("/v1/counter/queue".to_owned(), Some(&hall.counter.token)),
        ("/v1/display/calls".to_owned(), Some(&hall.display.token)),
    ] {
        let (status, body) = app.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        all.push(timeless(body));
    }
    let export = app
        .http
        .get(format!("{}/v1/lead/export?from={day}&to={day}", app.base))
        .header(volant_protocol::PROTOCOL_HEADER, "1")
        .bearer_auth(&hall.lead.token)
        .send()
        .await
        .expect("export");
    all.push(Value::String(export.text().await.expect("csv")));
    all
}

#[tokio::test]
async fn a_device_of_one_mairie_reads_and_changes_nothing_of_another_through_every_endpoint() {
    let app = spawn_app().await;
    let a = MairieId::FIRST;
    let b = app.store(|s| {
        s.add_mairie("Mairie du 20e", None, Utc::now())
            .expect("add")
            .id
    });
    let mut hall_a = hall(&app, a, "Guichet A").await;
    let mut hall_b = hall(&app, b, "Guichet B").await;
    assert_eq!(
        (
            hall_a.tablet.store.settings().expect("settings").tablet,
            hall_b.tablet.store.settings().expect("settings").tablet
        ),
        (
            hall_b.tablet.store.settings().expect("settings").tablet,
            hall_a.tablet.store.settings().expect("settings").tablet
        ),
        "each mairie gives its first tablet the same letter"
    );

    // Mairie A: a visit called at its counter, a quarantined one, a sign-off,
    // a démarche of its own.
    let a_rows = hall_a.tablet.visit();
    assert_eq!(app.push(&hall_a.tablet, &a_rows).await.0, StatusCode::OK);
    let a_visit = serde_json::from_str::<Value>(a_rows[0].payload.get()).expect("json")["id"]
        .as_str()
        .expect("visit id")
        .to_owned();
    let mut stale = hall_a.tablet.visit();
    let last = stale.len() - 1;
    super::edit_payload(&mut stale[last], |v| {
        v["qualification"] = json!({"kind": "demarches", "ids": ["ancienne-demarche"]})
    });
    assert_eq!(app.push(&hall_a.tablet, &stale).await.0, StatusCode::OK);
    let (status, called) = app.act(&hall_a.counter, json!({"type": "call_next"})).await;
    assert_eq!(status, StatusCode::OK, "{called}");
    let a_code = called["ticket"]["code"].as_str().expect("code").to_owned();
    let today = volant_core::domain::mairie_day(Utc::now());
    let signoff = format!("/v1/lead/signoff/{today}");
    let (status, _) = app
        .put(
            &signoff,
            Some(&hall_a.lead.token),
            &json!({"comment": "Vu par A"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let own = "/v1/lead/catalogue/demarche/social.velo-cargo";
    let record = |title: &str| {
        json!({"expected_version": null, "record": {
            "id": "social.velo-cargo", "title": title, "category": "Vie associative",
            "title_in": {"en": null, "ar": null, "es": null, "zh-Hans": null},
            "keywords": ["vélo cargo"], "service": "etat-civil", "documents": []}})
    };
    let (status, body) = app
        .put(own, Some(&hall_a.lead.token), &record("Vélos cargo de A"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let a_journal = app
        .get(
            &format!("/v1/lead/journal?day={today}"),
            Some(&hall_a.lead.token),
        )
        .await
        .1;
    let quarantined = a_journal["quarantined"][0].clone();
    assert_eq!(
        quarantined["unknown_demarches"],
        json!(["ancienne-demarche"])
    );

    // Mairie B: its own visit takes the same ticket code as A's.
    let b_rows = hall_b.tablet.visit();
    assert_eq!(app.push(&hall_b.tablet, &b_rows).await.0, StatusCode::OK);
    assert_eq!(
        codes(&app.queue(&hall_b.counter).await["waiting"]),
        vec![a_code.clone()],
        "codes are unique within a mairie, not across mairies"
    );

    let a_before = reads(&app, &hall_a).await;
    let a_rows_before = holdings(&app, a);

    // Every endpoint, with B's credentials.
    let (_, info_a) = app.get("/v1/info", Some(&hall_a.tablet.token)).await;
    let (status, info_b) = app.get("/v1/info", Some(&hall_b.tablet.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        info_a["epoch"], info_b["epoch"],
        "each mairie has its epoch"
    );

    // A hostile push naming A's visit: quarantined in B (the id is A's), A's
    // visit untouched.
    let mut hostile = hall_b.tablet.visit();
    for m in &mut hostile[b_rows.len()..] {
        m.entity_id = Uuid::parse_str(&a_visit).expect("uuid");
        super::edit_payload(m, |v| {
            v["id"] = json!(a_visit);
            v["revision"] = json!(999);
        });
    }
    let (status, body) = app.push(&hall_b.tablet, &hostile).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, changes) = app
        .get("/v1/catalogue/changes?since=0", Some(&hall_b.tablet.token))
        .await;
    assert!(
        !changes["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["id"] == "social.velo-cargo"),
        "A's démarche is not in B's catalogue"
    );
    let (status, body) = app
        .put(own, Some(&hall_b.lead.token), &record("Vélos cargo de B"))
        .await;
    assert_eq!(
        (status, body["record"]["version"].as_u64()),
        (StatusCode::OK, Some(1)),
        "B creates the same id in its own catalogue: {body}"
    );

    let (_, tickets) = app
        .get(
            &format!("/v1/tickets?day={today}"),
            Some(&hall_b.tablet.token),
        )
        .await;
    assert!(
        tickets["tickets"]
            .as_array()
            .expect("tickets")
            .iter()
            .all(|t| t["state"] == "waiting"),
        "A's called ticket is not B's: {tickets}"
    );
    let waits = app.wait_at(&hall_b.tablet.token, "etat-civil").await;
    assert_eq!(waits["waiting"], 1, "B's ticket only: {waits}");

    let (_, journal) = app
        .get(
            &format!("/v1/lead/journal?day={today}"),
            Some(&hall_b.lead.token),
        )
        .await;
    assert_eq!(journal["total"], 1, "{journal}");
    assert!(
        !journal["entries"].to_string().contains(&a_visit),
        "A's visit is not in B's journal"
    );
    assert!(
        journal["quarantined"]
            .as_array()
            .expect("quarantined")
            .iter()
            .all(|q| q["reason"] == "identifiant de visite déjà pris dans une autre mairie"),
        "B's own quarantine only: {journal}"
    );
    assert!(journal["signoff"].is_null(), "A's sign-off is A's");
    let repair = format!(
        "/v1/lead/quarantine/{}/{}",
        quarantined["install_id"].as_str().expect("install"),
        quarantined["seq"]
    );
    let (status, body) = app
        .post(
            &repair,
            Some(&hall_b.lead.token),
            &json!({"replacements": [{"from": "ancienne-demarche", "to": "etat-civil.acte-naissance"}]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found")),
        "{body}"
    );
    let (_, indicators) = app.indicators(&hall_b.lead, today, today).await;
    assert_eq!(indicators["visits"], 1, "{indicators}");
    let (status, _) = app
        .put(
            &signoff,
            Some(&hall_b.lead.token),
            &json!({"comment": "Vu par B"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, called) = app.act(&hall_b.counter, json!({"type": "call_next"})).await;
    assert_eq!(status, StatusCode::OK, "{called}");
    assert_eq!(called["ticket"]["code"], a_code.as_str());
    let (_, calls) = app
        .get("/v1/display/calls", Some(&hall_b.display.token))
        .await;
    assert_eq!(
        calls["calls"]
            .as_array()
            .expect("calls")
            .iter()
            .map(|c| c["counter"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        vec!["Guichet B"],
        "B's display shows B's calls only: {calls}"
    );

    // Administration names a mairie too.
    let a_device = app.store(|s| s.devices(a).expect("devices")[0].id.clone());
    app.store(|s| {
        assert!(s.device(b, &a_device).is_err());
        assert!(s.revoke(b, &a_device, Utc::now()).is_err());
        assert!(
            s.devices(b)
                .expect("devices")
                .iter()
                .all(|d| d.id != a_device)
        );
    });

    assert_eq!(
        reads(&app, &hall_a).await,
        a_before,
        "everything A's devices read is as it was"
    );
    assert_eq!(
        holdings(&app, a),
        a_rows_before,
        "A's rows are as they were"
    );

    // Live updates: B's display hears nothing of A's queue, A's does.
    let listen = |screen: &Screen| format!("volant_appareil={}", screen.token);
    let mut b_events = Stream::open(&app, &[("cookie", &listen(&hall_b.display))]).await;
    b_events.ring().await;
    let mut a_events = Stream::open(&app, &[("cookie", &listen(&hall_a.display))]).await;
    a_events.ring().await;
    let (status, _) = app
        .act(
            &hall_a.counter,
            json!({"type": "served", "outcome": "done"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a_events.ring().await.event, "queue");
    // Two heartbeats (2 s apart) and nothing else.
    let mut heard = Vec::new();
    while heard.iter().filter(|e| *e == "heartbeat").count() < 2 {
        heard.push(b_events.next().await.event);
    }
    assert_eq!(heard, ["heartbeat", "heartbeat"]);
}

#[tokio::test]
async fn the_city_device_reads_every_mairies_aggregates_and_nothing_else() {
    let app = spawn_app().await;
    let b = app.store(|s| {
        s.add_mairie("Mairie du 20e", None, Utc::now())
            .expect("add")
            .id
    });
    let mut hall_a = hall(&app, MairieId::FIRST, "Guichet A").await;
    let mut hall_b = hall(&app, b, "Guichet B").await;
    for _ in 0..6 {
        let rows = hall_a.tablet.visit();
        assert_eq!(app.push(&hall_a.tablet, &rows).await.0, StatusCode::OK);
    }
    let rows = hall_b.tablet.visit();
    assert_eq!(app.push(&hall_b.tablet, &rows).await.0, StatusCode::OK);

    app.use_mairie(MairieId::FIRST);
    let install = Store::open(
        &app.dir
            .path()
            .join(format!("city-{}.sqlite3", Uuid::now_v7())),
        Utc::now(),
    )
    .expect("store")
    .install_id();
    let (status, enrolled) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": app.code(DeviceKind::City), "install_id": install}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    assert_eq!(enrolled["kind"], "city");
    assert!(enrolled["tablet_letter"].is_null(), "no ticket letter");
    let city = enrolled["token"].as_str().expect("token").to_owned();

    let today = volant_core::domain::mairie_day(Utc::now());
    let path = format!("/v1/city/indicators?from={today}&to={today}");
    let (status, body) = app.get(&path, Some(&city)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mairies = body["mairies"].as_array().expect("mairies");
    assert_eq!(
        mairies
            .iter()
            .map(|m| (
                m["name"].as_str().unwrap_or_default(),
                m["indicators"]["visits"].as_u64()
            ))
            .collect::<Vec<_>>(),
        vec![
            ("Mairie du 19e arrondissement de Paris", Some(6)),
            ("Mairie du 20e", Some(1))
        ]
    );
    for m in mairies {
        let i = &m["indicators"];
        assert_eq!(i["per_tablet"], json!([]), "no tablets: {i}");
        assert_eq!(i["unmet"], json!([]), "no wording: {i}");
        assert!(
            i["step_times"]
                .as_array()
                .expect("steps")
                .iter()
                .all(|s| s["visits"] == 0),
            "no step times: {i}"
        );
    }
    assert_eq!(
        mairies[0]["indicators"]["top_demarches"][0]["visits"], 6,
        "a cell of six visits keeps its démarche"
    );
    assert_eq!(
        mairies[1]["indicators"]["top_demarches"],
        json!([]),
        "a cell of one visit hides its démarche"
    );

    // Nothing else: not a tablet's, a lead's, a counter's or a display's.
    for path in [
        "/v1/info".to_owned(),
        "/v1/catalogue/changes?since=0".to_owned(),
        format!("/v1/lead/journal?day={today}"),
        format!("/v1/lead/indicators?from={today}&to={today}"),
        "/v1/counter/queue".to_owned(),
        "/v1/display/calls".to_owned(),
    ] {
        let (status, _) = app.get(&path, Some(&city)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = app.get(&path, Some(&hall_a.lead.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a lead sees only its mairie");
}
