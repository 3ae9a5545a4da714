//! The counters' queues and the displays over real HTTP: a ticket pushed by a
//! tablet called at its counter with what the greeter qualified, the calls on
//! a display, adoption before the tablet syncs, concurrent calls, transfers,
//! absences, live updates, and every device refused what it is not for.

use std::time::Duration;

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use volant_protocol::DeviceKind;
use volant_server::store::{MairieId, Post};

use super::{TestApp, spawn_app};

/// A counter or a display: its credential.
pub(crate) struct Screen {
    pub(crate) token: String,
}

fn counter_post(service: &str, label: &str) -> Post {
    Post {
        service: Some(service.to_owned()),
        label: Some(label.to_owned()),
        services: Vec::new(),
    }
}

impl TestApp {
    /// Enrols a counter or a display as its browser does: the credential
    /// comes back only as an `HttpOnly`, `Secure`, `SameSite=Strict` cookie.
    async fn screen(&self, kind: DeviceKind, post: Post) -> Screen {
        let response = self
            .http
            .post(format!("{}/v1/screen/enroll", self.base))
            .header(volant_protocol::PROTOCOL_HEADER, "1")
            .json(&json!({"code": self.code_for(kind, &post), "fingerprint": self.fingerprint.to_string()}))
            .send()
            .await
            .expect("enrol");
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("Secure")
                && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["kind"], kind.as_str());
        assert!(
            body.get("token").is_none(),
            "the page's scripts never see the credential"
        );
        let token = cookie
            .split(';')
            .next()
            .and_then(|c| c.strip_prefix("volant_appareil="))
            .expect("credential cookie");
        Screen {
            token: token.to_owned(),
        }
    }

    pub(crate) async fn counter(&self, service: &str, label: &str) -> Screen {
        self.screen(DeviceKind::Counter, counter_post(service, label))
            .await
    }

    pub(crate) async fn display(&self, services: &[&str]) -> Screen {
        self.screen(
            DeviceKind::Display,
            Post {
                service: None,
                label: Some("Salle d'attente".into()),
                services: services.iter().map(|s| s.to_string()).collect(),
            },
        )
        .await
    }

    pub(crate) async fn act(&self, screen: &Screen, action: Value) -> (StatusCode, Value) {
        self.act_as(screen, Uuid::now_v7(), action).await
    }

    async fn act_as(&self, screen: &Screen, event: Uuid, action: Value) -> (StatusCode, Value) {
        self.post(
            "/v1/counter/actions",
            Some(&screen.token),
            &json!({"event_id": event, "device_time": Utc::now(), "action": action}),
        )
        .await
    }

    pub(crate) async fn queue(&self, screen: &Screen) -> Value {
        let (status, body) = self.get("/v1/counter/queue", Some(&screen.token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// The counter calls the next ticket and serves it, `times` times.
    async fn serve_next(&self, counter: &Screen, times: usize) {
        for _ in 0..times {
            let (status, body) = self.act(counter, json!({"type": "call_next"})).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let (status, body) = self
                .act(counter, json!({"type": "served", "outcome": "done"}))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }

    /// The wait `GET /v1/waits` says for `service`.
    pub(crate) async fn wait_at(&self, token: &str, service: &str) -> Value {
        let (status, board) = self.get("/v1/waits", Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{board}");
        board["services"]
            .as_array()
            .expect("services")
            .iter()
            .find(|s| s["service"] == service)
            .cloned()
            .expect("an internal counter's service")
    }

    fn queue_rows(&self) -> u64 {
        super::db::count(&self.db, "SELECT COUNT(*) FROM queue_ticket")
    }
}

/// A time late enough in today's mairie day that the tests' visits, up to
/// 35 minutes before it, fall on the same day as the server's clock (near
/// midnight in Paris, a few minutes ahead of it).
fn anchor() -> chrono::DateTime<Utc> {
    let now = Utc::now();
    let today = volant_core::domain::mairie_day(now);
    let mut at = now;
    while volant_core::domain::mairie_day(at - chrono::Duration::minutes(35)) != today {
        at += chrono::Duration::minutes(5);
    }
    at
}

pub(crate) fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|t| t["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn a_ticket_from_a_tablet_is_called_at_its_counter_with_what_the_greeter_qualified() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let counter = app.counter("etat-civil", "Guichet 3 — État civil").await;
    let display = app.display(&["etat-civil"]).await;
    let rows = tablet.visit();
    assert_eq!(app.push(&tablet, &rows).await.0, StatusCode::OK);

    let view = app.queue(&counter).await;
    assert_eq!(view["counter"], "Guichet 3 — État civil");
    assert_eq!(view["service"]["name"], "État civil");
    let waiting = &view["waiting"][0];
    let code = waiting["code"].as_str().expect("code").to_owned();
    assert!(code.starts_with("EA"), "{code}");
    assert_eq!(waiting["known"], true);
    let demarche = &waiting["qualified"]["demarches"][0];
    assert!(
        demarche["title"]
            .as_str()
            .expect("title")
            .starts_with("Acte de naissance")
    );
    assert!(
        !demarche["documents"].as_array().expect("docs").is_empty(),
        "documents to bring"
    );
    assert_eq!(waiting["qualified"]["accompanied"], false);

    let (status, called) = app.act(&counter, json!({"type": "call_next"})).await;
    assert_eq!(status, StatusCode::OK, "{called}");
    assert_eq!(
        (
            called["ticket"]["code"].as_str(),
            called["ticket"]["state"].as_str()
        ),
        (Some(code.as_str()), Some("called"))
    );
    let (status, calls) = app.get("/v1/display/calls", Some(&display.token)).await;
    assert_eq!(status, StatusCode::OK, "{calls}");
    assert_eq!(calls["calls"][0]["code"], code.as_str());
    assert_eq!(calls["calls"][0]["counter"], "Guichet 3 — État civil");
    assert_eq!(calls["calls"][0]["event"], called["event"]);
    assert!(
        calls["calls"][0].get("qualified").is_none(),
        "no personal data on a display"
    );

    let (status, soon) = app.act(&counter, json!({"type": "recall"})).await;
    assert_eq!(
        (status, soon["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_soon"))
    );
    assert!(
        soon["retry_after_s"]
            .as_u64()
            .is_some_and(|s| s > 0 && s <= 30),
        "{soon}"
    );
    let (status, present) = app.act(&counter, json!({"type": "arrived"})).await;
    assert_eq!(
        (status, present["ticket"]["state"].as_str()),
        (StatusCode::OK, Some("present"))
    );
    assert_eq!(app.queue(&counter).await["current"]["code"], code.as_str());

    let served_id = Uuid::now_v7();
    let served = json!({"type": "served", "outcome": "come_back"});
    let (status, first) = app.act_as(&counter, served_id, served.clone()).await;
    assert_eq!(
        (status, first["ticket"]["state"].as_str()),
        (StatusCode::OK, Some("served"))
    );
    // A retry after a lost answer replays it; the same id for something else is refused.
    let (status, again) = app.act_as(&counter, served_id, served).await;
    assert_eq!(
        (status, again["replayed"].as_bool(), &again["event"]),
        (StatusCode::OK, Some(true), &first["event"])
    );
    let (status, other) = app
        .act_as(&counter, served_id, json!({"type": "no_show"}))
        .await;
    assert_eq!(
        (status, other["code"].as_str()),
        (StatusCode::CONFLICT, Some("event_conflict"))
    );
    assert_eq!(app.queue(&counter).await["current"], Value::Null);

    let day = volant_core::domain::mairie_day(Utc::now());
    let (status, mine) = app
        .get(&format!("/v1/tickets?day={day}"), Some(&tablet.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(
        mine["tickets"],
        json!([{"code": code, "state": "served", "counter": "Guichet 3 — État civil"}])
    );

    // The lead's indicators gain the queue's times and the calls per counter.
    let lead = app.device(DeviceKind::Lead).await;
    let (status, ind) = app.indicators(&lead, day, day).await;
    assert_eq!(status, StatusCode::OK, "{ind}");
    let queue = &ind["queues"][0];
    assert_eq!(
        (
            queue["service"].as_str(),
            queue["tickets"].as_u64(),
            queue["served"].as_u64(),
            queue["no_shows"].as_u64()
        ),
        (Some("État civil"), Some(1), Some(1), Some(0))
    );
    assert!(
        queue["wait_median_s"].as_u64().is_some() && queue["service_median_s"].as_u64().is_some()
    );
    assert_eq!(
        ind["calls_per_counter"],
        json!([{"key": "Guichet 3 — État civil", "label": "Guichet 3 — État civil", "visits": 1}])
    );
}

#[tokio::test]
async fn two_counters_calling_the_same_ticket_one_wins_and_the_other_is_told() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let g3 = app.counter("etat-civil", "Guichet 3").await;
    let g5 = app.counter("etat-civil", "Guichet 5").await;
    let rows = tablet.visit();
    app.push(&tablet, &rows).await;
    let code = app.queue(&g3).await["waiting"][0]["code"].clone();
    let ((s3, b3), (s5, b5)) = tokio::join!(
        app.act(&g3, json!({"type": "call", "code": code})),
        app.act(&g5, json!({"type": "call", "code": code})),
    );
    let mut statuses = [s3, s5];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{b3} {b5}"
    );
    let (loser, winner) = if s3 == StatusCode::OK {
        (&b5, "Guichet 3")
    } else {
        (&b3, "Guichet 5")
    };
    assert_eq!(loser["code"], "ticket_taken");
    assert!(
        loser["message"].as_str().expect("message").contains(winner),
        "{loser}"
    );

    // Two « call next » at once take two different tickets.
    let more = tablet.visit();
    app.push(&tablet, &more).await;
    let more = tablet.visit();
    app.push(&tablet, &more).await;
    let g7 = app.counter("etat-civil", "Guichet 7").await;
    let g8 = app.counter("etat-civil", "Guichet 8").await;
    let ((s7, b7), (s8, b8)) = tokio::join!(
        app.act(&g7, json!({"type": "call_next"})),
        app.act(&g8, json!({"type": "call_next"})),
    );
    assert_eq!((s7, s8), (StatusCode::OK, StatusCode::OK), "{b7} {b8}");
    assert_ne!(b7["ticket"]["code"], b8["ticket"]["code"]);
    let g9 = app.counter("etat-civil", "Guichet 9").await;
    let (status, empty) = app.act(&g9, json!({"type": "call_next"})).await;
    assert_eq!(
        (status, empty["code"].as_str()),
        (StatusCode::CONFLICT, Some("queue_empty"))
    );
    // A counter with a ticket in hand finishes it before calling another.
    let (status, busy) = app.act(&g7, json!({"type": "call_next"})).await;
    assert_eq!(
        (status, busy["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_current_ticket"))
    );
}

#[tokio::test]
async fn a_ticket_adopted_before_its_tablet_syncs_is_joined_by_its_code_not_doubled() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let rows = tablet.visit();
    let day = volant_core::domain::mairie_day(Utc::now());
    let code = tablet
        .store
        .day_log(day, Utc::now())
        .expect("log")
        .into_iter()
        .find_map(|e| e.visit.orientation.and_then(|o| o.ticket))
        .expect("ticket")
        .code
        .to_string();
    let typed = format!(" {} {} ", code[..2].to_lowercase(), &code[2..]);
    let (status, adopted) = app
        .act(&counter, json!({"type": "adopt", "code": typed}))
        .await;
    assert_eq!(status, StatusCode::OK, "{adopted}");
    assert_eq!(
        (
            adopted["ticket"]["code"].as_str(),
            adopted["ticket"]["adopted"].as_bool(),
            adopted["ticket"]["known"].as_bool()
        ),
        (Some(code.as_str()), Some(true), Some(false))
    );
    let (status, _) = app
        .act(&counter, json!({"type": "served", "outcome": "done"}))
        .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(app.push(&tablet, &rows).await.0, StatusCode::OK);
    assert_eq!(app.queue_rows(), 1, "one ticket, never two");
    let row = super::db::row(&app.db, "SELECT state, visit_id FROM queue_ticket");
    let (state, visit) = (row[0].as_deref(), &row[1]);
    assert_eq!(state, Some("served"));
    assert!(visit.is_some(), "the snapshot joined the adopted ticket");
    let (status, mine) = app
        .get(&format!("/v1/tickets?day={day}"), Some(&tablet.token))
        .await;
    assert_eq!(
        (status, mine["tickets"][0]["state"].as_str()),
        (StatusCode::OK, Some("served"))
    );

    // A code of another service's letter is refused, naming the service.
    let (status, wrong) = app
        .act(&counter, json!({"type": "adopt", "code": "GA01"}))
        .await;
    assert_eq!(
        (status, wrong["code"].as_str(), wrong["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_field"),
            Some("action.code")
        )
    );
    assert!(
        wrong["message"]
            .as_str()
            .expect("message")
            .contains("État civil"),
        "{wrong}"
    );
}

#[tokio::test]
async fn a_queue_follows_the_corrected_issue_time_not_the_order_tickets_reach_the_server() {
    let app = spawn_app().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let mut early = app.tablet().await;
    let mut late = app.tablet().await;
    let mut fast_clock = app.tablet().await;
    let now = anchor();
    let early_rows = early.visit_at(now - chrono::Duration::minutes(10));
    let late_rows = late.visit_at(now - chrono::Duration::minutes(5));
    // This tablet's clock is 9 minutes fast: it says now + 1 min for now − 8 min.
    let fast_rows = fast_clock.visit_at(now + chrono::Duration::minutes(1));
    app.push(&late, &late_rows).await;
    let mut body = fast_clock.push_body(&fast_rows);
    body["clock_offset_ms"] = json!(-9 * 60 * 1000);
    assert_eq!(
        app.post("/v1/push", Some(&fast_clock.token), &body).await.0,
        StatusCode::OK
    );
    app.push(&early, &early_rows).await; // offline until now
    let order: Vec<char> = codes(&app.queue(&counter).await["waiting"])
        .iter()
        .map(|c| c.chars().nth(1).expect("letter"))
        .collect();
    let letter = |t: &super::Tablet| {
        t.store
            .settings()
            .expect("settings")
            .tablet
            .to_string()
            .chars()
            .next()
            .expect("l")
    };
    assert_eq!(order, [letter(&early), letter(&fast_clock), letter(&late)]);
}

#[tokio::test]
async fn a_transfer_keeps_its_place_and_an_absent_ticket_can_be_put_back() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let etat_civil = app.counter("etat-civil", "Guichet 1 — État civil").await;
    let affaires = app
        .counter("affaires-generales", "Guichet 4 — Affaires générales")
        .await;
    let now = anchor();
    for minutes in [30, 20] {
        let rows = tablet.visit_at(now - chrono::Duration::minutes(minutes));
        app.push(&tablet, &rows).await;
    }
    let view = app.queue(&etat_civil).await;
    let [first, second] = [
        codes(&view["waiting"])[0].clone(),
        codes(&view["waiting"])[1].clone(),
    ];
    assert!(
        view["transfer_to"]
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["id"] == "affaires-generales")
    );
    app.act(&etat_civil, json!({"type": "call_next"})).await;
    let (status, moved) = app
        .act(
            &etat_civil,
            json!({"type": "transfer", "service": "affaires-generales"}),
        )
        .await;
    assert_eq!(
        (status, moved["ticket"]["state"].as_str()),
        (StatusCode::OK, Some("waiting")),
        "{moved}"
    );
    // A ticket of the other queue issued later than the transferred one stays behind it.
    let mut other = app.tablet().await;
    let rows = other.visit_to_at("affaires-generales", now - chrono::Duration::minutes(25));
    app.push(&other, &rows).await;
    assert_eq!(codes(&app.queue(&affaires).await["waiting"])[0], first);
    assert_eq!(
        codes(&app.queue(&etat_civil).await["waiting"]),
        std::slice::from_ref(&second)
    );

    let (_, called) = app.act(&etat_civil, json!({"type": "call_next"})).await;
    assert_eq!(called["ticket"]["code"], second.as_str());
    let (status, absent) = app.act(&etat_civil, json!({"type": "no_show"})).await;
    assert_eq!(
        (status, absent["ticket"]["state"].as_str()),
        (StatusCode::OK, Some("no_show"))
    );
    assert_eq!(
        codes(&app.queue(&etat_civil).await["absent"]),
        std::slice::from_ref(&second)
    );
    let (status, back) = app
        .act(&etat_civil, json!({"type": "reactivate", "code": second}))
        .await;
    assert_eq!(
        (status, back["ticket"]["state"].as_str()),
        (StatusCode::OK, Some("waiting"))
    );
    assert_eq!(codes(&app.queue(&etat_civil).await["waiting"]), [second]);
}

#[tokio::test]
async fn bad_counter_input_gets_a_typed_error_and_changes_nothing() {
    let app = spawn_app().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let cases = [
        (
            json!({"event_id": "x", "device_time": Utc::now(), "action": {"type": "call_next"}}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "teleport"}}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "adopt", "code": "hello"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "call_next"}}),
            StatusCode::CONFLICT,
            "queue_empty",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "recall"}}),
            StatusCode::CONFLICT,
            "no_current_ticket",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "transfer", "service": "nulle-part"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "reactivate", "code": "EA01"}}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = app
            .post("/v1/counter/actions", Some(&counter.token), &body)
            .await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{body} → {answer}"
        );
    }
    let (status, _) = app
        .call(
            reqwest::Method::POST,
            "/v1/counter/actions",
            Some(&counter.token),
            Some("{not json".into()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.queue_rows(), 0);
    let events = super::db::count(&app.db, "SELECT COUNT(*) FROM ticket_event");
    assert_eq!(events, 0, "a refused action records nothing");

    // Codes for screens are checked before they are made.
    let cases = [
        (
            DeviceKind::Counter,
            counter_post("consultation-avocats", "Guichet X"),
        ),
        (
            DeviceKind::Counter,
            Post {
                label: None,
                ..counter_post("etat-civil", "")
            },
        ),
        (
            DeviceKind::Display,
            Post {
                service: None,
                label: Some("Salle".into()),
                services: vec![],
            },
        ),
        (DeviceKind::Agent, counter_post("etat-civil", "Guichet 1")),
    ];
    app.store(|store| {
        for (kind, post) in cases {
            let made = store.create_enrollment_code(
                MairieId::FIRST,
                "Écran",
                kind,
                &post,
                chrono::Duration::minutes(5),
                Utc::now(),
            );
            assert!(made.is_err(), "{kind:?} {post:?}");
        }
    });
}

#[tokio::test]
async fn every_device_is_refused_what_it_is_not_for() {
    let app = spawn_app().await;
    let tablet = app.tablet().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let display = app.display(&["etat-civil"]).await;
    let day = volant_core::domain::mairie_day(Utc::now());
    let action = json!({"event_id": Uuid::now_v7(), "device_time": Utc::now(), "action": {"type": "call_next"}});
    let forbidden = [
        ("GET", "/v1/counter/queue", &tablet.token, None),
        ("POST", "/v1/counter/actions", &tablet.token, Some(&action)),
        ("POST", "/v1/counter/actions", &display.token, Some(&action)),
        ("GET", "/v1/counter/queue", &display.token, None),
        ("GET", "/v1/display/calls", &counter.token, None),
        ("GET", "/v1/display/calls", &tablet.token, None),
        ("GET", "/v1/info", &counter.token, None),
        ("GET", "/v1/info", &display.token, None),
        ("GET", "/v1/catalogue/changes?since=0", &display.token, None),
        (
            "GET",
            "/v1/lead/journal?day=2026-12-01",
            &counter.token,
            None,
        ),
        (
            "GET",
            "/v1/lead/indicators?from=2026-12-01&to=2026-12-01",
            &display.token,
            None,
        ),
        (
            "GET",
            &format!("/v1/tickets?day={day}"),
            &counter.token,
            None,
        ),
    ];
    for (method, path, token, body) in forbidden {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let (status, answer) = app
            .call(method, path, Some(token), body.map(Value::to_string))
            .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    let push = json!({"install_id": Uuid::now_v7(), "mutations": []});
    assert_eq!(
        app.post("/v1/push", Some(&counter.token), &push).await.0,
        StatusCode::FORBIDDEN
    );
    let events = app
        .http
        .get(format!("{}/v1/events", app.base))
        .bearer_auth(&tablet.token)
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::FORBIDDEN);
    let anonymous = app
        .http
        .get(format!("{}/v1/events", app.base))
        .send()
        .await
        .expect("events");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    app.store(|s| {
        let device = s.authenticate(&counter.token).expect("auth");
        s.revoke(MairieId::FIRST, &device.id, Utc::now())
            .expect("revoke");
    });
    let (status, answer) = app.get("/v1/counter/queue", Some(&counter.token)).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("revoked"))
    );
}

/// One server-sent event: its name, id and data.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Sse {
    pub(crate) event: String,
    id: Option<String>,
    data: String,
}

/// Reads a stream of server-sent events.
pub(crate) struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub(crate) async fn open(app: &TestApp, headers: &[(&str, &str)]) -> Stream {
        let mut request = app.http.get(format!("{}/v1/events", app.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("events");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream {
            response,
            buffer: String::new(),
        }
    }

    pub(crate) async fn next(&mut self) -> Sse {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut e = Sse::default();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        e.event = v.trim().into()
                    }
                    if let Some(v) = line.strip_prefix("id:") {
                        e.id = Some(v.trim().into())
                    }
                    if let Some(v) = line.strip_prefix("data:") {
                        e.data = v.trim().into()
                    }
                }
                return e;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(5), self.response.chunk())
                .await
                .expect("an event within 5 s")
                .expect("stream")
                .expect("open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event that is not a heartbeat.
    pub(crate) async fn ring(&mut self) -> Sse {
        loop {
            let e = self.next().await;
            if e.event != "heartbeat" {
                return e;
            }
        }
    }
}

#[tokio::test]
async fn live_updates_ring_the_counter_and_the_display_and_resume_from_the_last_event() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let display = app.display(&["etat-civil"]).await;
    let elsewhere = app.display(&["regie"]).await;
    let bearer = format!("Bearer {}", counter.token);
    let mut counter_events = Stream::open(&app, &[("authorization", &bearer)]).await;
    let first = counter_events.ring().await;
    assert_eq!(
        (first.event.as_str(), first.id.as_deref()),
        ("queue", Some("0")),
        "a connection starts with the state's event"
    );
    // A browser's EventSource sends the credential cookie, not a header.
    let cookie = format!("volant_appareil={}", display.token);
    let mut display_events = Stream::open(&app, &[("cookie", &cookie)]).await;
    display_events.ring().await;
    let other_cookie = format!("volant_appareil={}", elsewhere.token);
    let mut other_events = Stream::open(&app, &[("cookie", &other_cookie)]).await;
    other_events.ring().await;

    let rows = tablet.visit();
    app.push(&tablet, &rows).await;
    let issued = counter_events.ring().await;
    assert_eq!(issued.event, "queue");
    let (_, called) = app.act(&counter, json!({"type": "call_next"})).await;
    let seq = called["event"].as_u64().expect("seq").to_string();
    // The display heard the ticket issued, then its call; the counter its call.
    assert_eq!(display_events.ring().await.id, issued.id);
    assert_eq!(
        display_events.ring().await.id.as_deref(),
        Some(seq.as_str())
    );
    assert_eq!(
        counter_events.ring().await.id.as_deref(),
        Some(seq.as_str())
    );
    // A display of another room hears only heartbeats.
    let beat = other_events.next().await;
    assert_eq!(beat.event, "heartbeat");

    // Reconnecting with the last id seen: nothing happened since, so no ring, only heartbeats.
    let mut resumed = Stream::open(&app, &[("cookie", &cookie), ("last-event-id", &seq)]).await;
    assert_eq!(resumed.next().await.event, "heartbeat");
    let mut behind = Stream::open(&app, &[("cookie", &cookie), ("last-event-id", "0")]).await;
    assert_eq!(behind.next().await.id.as_deref(), Some(seq.as_str()));
}

#[tokio::test]
async fn a_code_entered_on_the_wrong_kind_of_device_is_refused_and_stays_usable() {
    let app = spawn_app().await;
    let counter_code = app.code_for(
        DeviceKind::Counter,
        &counter_post("etat-civil", "Guichet 1"),
    );
    let (status, body) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": counter_code, "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_code"))
    );
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("/guichet"),
        "{body}"
    );
    let tablet_code = app.code(DeviceKind::Agent);
    let (status, body) = app
        .post(
            "/v1/screen/enroll",
            None,
            &json!({"code": tablet_code, "fingerprint": app.fingerprint.to_string()}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_code"))
    );
    // Both codes still work where they belong.
    let (status, _) = app
        .post(
            "/v1/screen/enroll",
            None,
            &json!({"code": counter_code, "fingerprint": app.fingerprint.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": tablet_code, "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Without a built UI, the pages say so with a typed error.
    let page = app
        .http
        .get(format!("{}/guichet", app.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        page.json::<Value>().await.expect("json")["code"],
        "unavailable"
    );
}

#[tokio::test]
async fn the_wait_at_a_counter_is_unknown_until_it_is_open_and_has_served_enough() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let wait = app.wait_at(&tablet.token, "etat-civil").await;
    assert_eq!(
        (&wait["waiting"], &wait["open_counters"], &wait["range"]),
        (&json!(0), &json!(0), &Value::Null),
        "no counter open: « inconnu »"
    );

    let counter = app.counter("etat-civil", "Guichet 3 — État civil").await;
    for _ in 0..5 {
        let rows = tablet.visit();
        assert_eq!(app.push(&tablet, &rows).await.0, StatusCode::OK);
    }
    app.queue(&counter).await;
    let wait = app.wait_at(&tablet.token, "etat-civil").await;
    assert_eq!(
        (
            &wait["waiting"],
            &wait["open_counters"],
            &wait["served_today"],
            &wait["range"]
        ),
        (&json!(5), &json!(1), &json!(0), &Value::Null),
        "open, but nothing served yet today: « inconnu »"
    );

    app.serve_next(&counter, 3).await;
    let wait = app.wait_at(&tablet.token, "etat-civil").await;
    assert_eq!(
        (&wait["waiting"], &wait["served_today"], &wait["range"]),
        (
            &json!(2),
            &json!(3),
            &json!({"optimistic": 0, "pessimistic": 1})
        ),
        "three served in no time: a minute at most"
    );

    // A counter's credential is not a tablet's.
    let (status, _) = app.get("/v1/waits", Some(&counter.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_lead_sees_how_many_visitors_were_called_before_the_end_of_the_wait_quoted_to_them() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let counter = app.counter("etat-civil", "Guichet 1").await;
    let now = anchor();
    // The tablet's last figure for État civil: one minute at most.
    let board = volant_protocol::WaitBoard {
        services: vec![volant_protocol::ServiceWait {
            service: "etat-civil".into(),
            waiting: 0,
            open_counters: 1,
            served_today: 5,
            range: Some(volant_protocol::WaitMinutes {
                optimistic: 0,
                pessimistic: 1,
            }),
            past_closing: false,
        }],
        computed_at: now - chrono::Duration::minutes(31),
    };
    tablet
        .store
        .set_counter_waits(&board, now - chrono::Duration::minutes(31))
        .expect("keep the figure");
    // Issued half an hour before they are called, then at the time of the call.
    for at in [now - chrono::Duration::minutes(30), now] {
        let rows = tablet.visit_at(at);
        assert_eq!(
            rows.last().map(|m| m.payload_version),
            Some(3),
            "the quote travels"
        );
        assert_eq!(app.push(&tablet, &rows).await.0, StatusCode::OK);
    }
    app.serve_next(&counter, 2).await;
    let lead = app.device(DeviceKind::Lead).await;
    let day = volant_core::domain::mairie_day(now);
    let (status, ind) = app.indicators(&lead, day, day).await;
    assert_eq!(status, StatusCode::OK, "{ind}");
    let queue = &ind["queues"][0];
    assert_eq!(
        (&queue["quoted"], &queue["called_within_quote"]),
        (&json!(2), &json!(1)),
        "{queue}"
    );
}
