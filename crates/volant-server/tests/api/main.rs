//! The server's endpoints over real HTTP on 127.0.0.1, each test on a fresh
//! database: enrolment, the idempotent push inbox, the catalogue pages, and
//! bad input, which always gets a typed 4xx and changes nothing.

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use volant_core::Store;
use volant_core::domain::{
    Accompaniment, Action, DemarcheId, Destination, Listening, Qualification, ServiceId,
};
use volant_protocol::{DeviceKind, Fingerprint, Mutation, PROTOCOL_HEADER};
use volant_server::store::{DEFAULT_RETENTION_DAYS, Database, MairieId, Post, ServerStore};
use volant_server::{Application, Config, DEFAULT_LIMITS, Transport};

mod db;
mod lead;
mod queue;
mod tenancy;
mod tls;

struct TestApp {
    base: String,
    db: Database,
    http: reqwest::Client,
    fingerprint: Fingerprint,
    dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The mairie new devices are enrolled in.
    mairie: std::sync::atomic::AtomicI64,
}

struct Tablet {
    token: String,
    store: Store,
}

async fn spawn_app() -> TestApp {
    spawn_app_draining(std::time::Duration::ZERO).await
}

/// A server that, once told to stop, still serves for `drain` with its
/// readiness failing.
async fn spawn_app_draining(drain: std::time::Duration) -> TestApp {
    let dir = tempfile::tempdir().expect("dir");
    let db = db::fresh(dir.path());
    let transport = match &db {
        Database::Sqlite(_) => Transport::SelfSigned,
        // On PostgreSQL the server is given its certificate, as the city's is.
        Database::Postgres(_) => {
            let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
            volant_server::tls::generate(&["127.0.0.1".into()], Utc::now(), 1)
                .and_then(|g| g.write(&cert, &key))
                .expect("certificate");
            Transport::Files { cert, key }
        }
    };
    let config = Config {
        db: db.clone(),
        listen: "127.0.0.1:0".parse().expect("addr"),
        limits: DEFAULT_LIMITS,
        retention_days: DEFAULT_RETENTION_DAYS,
        ui_dir: None,
        transport,
        public_url: None,
        drain,
    };
    let app = Application::build(config).await.expect("build");
    let base = format!("https://{}", app.address());
    let fingerprint = app.fingerprint().expect("https");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TestApp {
        base,
        db,
        http: pinned(fingerprint),
        fingerprint,
        dir,
        stop: Some(stop),
        mairie: std::sync::atomic::AtomicI64::new(MairieId::FIRST.0),
    }
}

/// A client that trusts the certificate `fingerprint` only, as devices do.
fn pinned(fingerprint: Fingerprint) -> reqwest::Client {
    let tls = volant_core::sync::tls::client_config(Some(fingerprint)).expect("tls");
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .build()
        .expect("client")
}

impl TestApp {
    /// Tells the server to stop (as SIGTERM does).
    fn begin_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// The server's store, for `f` (as the administration commands use it).
    fn store<T: Send>(&self, f: impl FnOnce(&mut ServerStore) -> T + Send) -> T {
        db::with_store(&self.db, f)
    }

    fn code(&self, kind: DeviceKind) -> String {
        self.code_for(kind, &Post::default())
    }

    /// Enrols the devices made from now on in `mairie`.
    fn use_mairie(&self, mairie: MairieId) {
        self.mairie
            .store(mairie.0, std::sync::atomic::Ordering::Relaxed);
    }

    fn code_for(&self, kind: DeviceKind, post: &Post) -> String {
        let mairie = MairieId(self.mairie.load(std::sync::atomic::Ordering::Relaxed));
        self.store(|s| {
            s.create_enrollment_code(
                mairie,
                "Tablette test",
                kind,
                post,
                chrono::Duration::minutes(5),
                Utc::now(),
            )
            .expect("code")
            .code
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, "1");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let value = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, value)
    }

    async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body.to_string()))
            .await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    /// `GET /v1/lead/indicators` of `from..=to` with a lead's credential.
    async fn indicators(
        &self,
        lead: &Tablet,
        from: impl std::fmt::Display,
        to: impl std::fmt::Display,
    ) -> (StatusCode, Value) {
        self.get(
            &format!("/v1/lead/indicators?from={from}&to={to}"),
            Some(&lead.token),
        )
        .await
    }

    async fn push(&self, tablet: &Tablet, rows: &[Mutation]) -> (StatusCode, Value) {
        self.post("/v1/push", Some(&tablet.token), &tablet.push_body(rows))
            .await
    }

    async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PUT, path, token, Some(body.to_string()))
            .await
    }

    async fn tablet(&self) -> Tablet {
        self.device(DeviceKind::Agent).await
    }

    /// Enrols a new device of `kind` with a fresh tablet store, which takes
    /// the letter the server gave it.
    async fn device(&self, kind: DeviceKind) -> Tablet {
        let store = Store::open(
            &self
                .dir
                .path()
                .join(format!("tablet-{}.sqlite3", Uuid::now_v7())),
            Utc::now(),
        )
        .expect("tablet");
        let (status, body) = self
            .post(
                "/v1/enroll",
                None,
                &json!({"code": self.code(kind), "install_id": store.install_id()}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mut store = store;
        let mut settings = store.settings().expect("settings");
        let letter = body["tablet_letter"]
            .as_str()
            .and_then(|l| l.chars().next());
        settings.tablet = letter.expect("letter").try_into().expect("letter");
        store.set_settings(&settings).expect("settings");
        Tablet {
            token: body["token"].as_str().expect("token").to_owned(),
            store,
        }
    }

    /// Rows in the inbox and visits stored: what "nothing changed" is checked against.
    fn footprint(&self) -> (u64, u64, u64) {
        let count = |sql: &str| db::count(&self.db, sql);
        (
            count("SELECT COUNT(*) FROM inbox"),
            count("SELECT COUNT(*) FROM visit"),
            count("SELECT COALESCE(SUM(received), 0) FROM device"),
        )
    }
}

/// Changes a mutation's snapshot, as a buggy or hostile tablet would.
fn edit_payload(m: &mut Mutation, edit: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(m.payload.get()).expect("json");
    edit(&mut value);
    m.payload = serde_json::value::RawValue::from_string(value.to_string()).expect("json");
}

impl Tablet {
    /// Walks one visit to a counter ticket; returns its outbox rows.
    fn visit(&mut self) -> Vec<Mutation> {
        self.visit_at(Utc::now())
    }

    /// The same visit, walked at `now` by the tablet's clock.
    fn visit_at(&mut self, now: chrono::DateTime<Utc>) -> Vec<Mutation> {
        self.visit_to_at("etat-civil", now)
    }

    /// A visit for a birth certificate sent to the counter `service` at `now`.
    fn visit_to_at(&mut self, service: &str, now: chrono::DateTime<Utc>) -> Vec<Mutation> {
        let v = self.store.open_visit(now).expect("open");
        self.store
            .record(v.id, Action::Listened(Listening::default()), now)
            .expect("listen");
        let ids = vec![DemarcheId::try_from("etat-civil.acte-naissance").expect("id")];
        self.store
            .record(
                v.id,
                Action::Qualified(Qualification::Demarches { ids }),
                now,
            )
            .expect("qualify");
        let service = ServiceId::try_from(service).expect("id");
        self.store
            .record(
                v.id,
                Action::Oriented(Destination::Counter { service }),
                now,
            )
            .expect("orient");
        self.store
            .record(
                v.id,
                Action::Accompanied(Accompaniment { accompanied: false }),
                now,
            )
            .expect("close");
        self.store.pending_mutations(u32::MAX).expect("outbox")
    }

    fn push_body(&self, mutations: &[Mutation]) -> Value {
        json!({"install_id": self.store.install_id(), "mutations": mutations})
    }
}

#[tokio::test]
async fn health_is_open_and_everything_else_needs_a_credential_and_the_protocol() {
    let app = spawn_app().await;
    let health = app
        .http
        .get(format!("{}/v1/health", app.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    let (status, body) = app.get("/v1/info", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (status, body) = app.get("/v1/info", Some("forged-token")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let no_header = app
        .http
        .get(format!("{}/v1/info", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(no_header.status(), StatusCode::BAD_REQUEST);
    let old = app
        .http
        .get(format!("{}/v1/info", app.base))
        .header(PROTOCOL_HEADER, "0")
        .send()
        .await
        .expect("request");
    assert_eq!(old.status(), StatusCode::UPGRADE_REQUIRED);
    assert_eq!(
        old.json::<Value>().await.expect("json")["code"],
        "upgrade_required"
    );
    let tablet = app.tablet().await;
    let newer = app
        .http
        .get(format!("{}/v1/info", app.base))
        .header(
            PROTOCOL_HEADER,
            (volant_protocol::PROTOCOL_VERSION + 1).to_string(),
        )
        .bearer_auth(&tablet.token)
        .send()
        .await
        .expect("request");
    assert_eq!(
        newer.status(),
        StatusCode::BAD_REQUEST,
        "a protocol this server does not speak"
    );
    let (status, info) = app.get("/v1/info", Some(&tablet.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["limits"]["max_batch_items"], 1000);
    let (status, body) = app.get("/v1/nowhere", Some(&tablet.token)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn an_enrolment_code_is_one_time_and_gives_distinct_letters() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": "AAAA-BBBB", "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_code"))
    );
    let code = app.code(DeviceKind::Agent);
    let (status, first) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": code, "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": code, "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a code works once");
    let second = app.tablet().await;
    let (_, info) = app.get("/v1/info", Some(&second.token)).await;
    assert_eq!(info["epoch"], first["epoch"]);
    assert_eq!(first["tablet_letter"], "A");
    let letters: Vec<String> = app.store(|s| {
        s.devices(MairieId::FIRST)
            .expect("devices")
            .into_iter()
            .map(|d| d.tablet_letter)
            .collect()
    });
    assert_eq!(letters, ["A", "B"]);
}

#[tokio::test]
async fn a_push_is_stored_once_and_a_replay_gets_the_original_receipts() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    let (status, first) = app.push(&tablet, &rows).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["acked_through"], 5);
    assert!(
        first["receipts"]
            .as_array()
            .expect("receipts")
            .iter()
            .all(|r| r["status"] == "stored")
    );
    let footprint = app.footprint();
    assert_eq!(footprint, (5, 1, 5));
    let (status, replay) = app.push(&tablet, &rows).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay["receipts"], first["receipts"]);
    assert_eq!(replay["duplicates"], 5);
    assert_eq!(app.footprint(), footprint, "a replay changes nothing");
    let tickets = db::count(&app.db, "SELECT COUNT(*) FROM ticket WHERE code = 'EA01'");
    assert_eq!(tickets, 1);
}

#[tokio::test]
async fn a_reused_seq_a_gap_and_a_broken_batch_are_refused_whole() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    app.push(&tablet, &rows[..2]).await;
    let before = app.footprint();
    let mut other = rows[1].clone();
    edit_payload(&mut other, |p| p["revision"] = json!(42));
    let (status, body) = app.push(&tablet, &[other]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("seq_conflict"))
    );
    let (status, body) = app.push(&tablet, &rows[3..]).await;
    assert_eq!(
        (status, body["code"].as_str(), body["expected_seq"].as_u64()),
        (StatusCode::CONFLICT, Some("gap"), Some(3))
    );
    let shuffled = [rows[2].clone(), rows[4].clone()];
    let (status, body) = app.push(&tablet, &shuffled).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_field"))
    );
    assert_eq!(app.footprint(), before, "nothing changed");
}

#[tokio::test]
async fn a_poison_record_is_quarantined_and_the_queue_moves_on() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let mut rows = tablet.visit();
    edit_payload(&mut rows[1], |p| *p = json!({"not": "a visit"}));
    edit_payload(&mut rows[2], |p| {
        p["qualification"] = json!({"kind": "demarches", "ids": ["demarche.inexistante"]})
    });
    rows[3].payload_version = 99;
    let (status, body) = app.push(&tablet, &rows).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let statuses: Vec<&str> = body["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| r["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        statuses,
        ["stored", "quarantined", "quarantined", "deferred", "stored"]
    );
    assert!(
        body["receipts"][2]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("demarche.inexistante")
    );
    assert_eq!(body["acked_through"], 5);
    let device = &app.store(|s| s.devices(MairieId::FIRST).expect("devices"))[0];
    assert_eq!(
        (
            device.received,
            device.quarantined,
            device.deferred,
            device.last_seq
        ),
        (5, 2, 1, 5)
    );
}

#[tokio::test]
async fn two_tablets_cannot_hold_the_same_ticket_code() {
    let app = spawn_app().await;
    let mut a = app.tablet().await;
    let mut b = app.tablet().await;
    let a_rows = a.visit();
    // Tablet B was set by hand to A's letter: its first ticket collides.
    b.store
        .set_settings(&volant_core::Settings {
            tablet: 'A'.try_into().expect("letter"),
            ..Default::default()
        })
        .expect("settings");
    let b_rows = b.visit();
    app.push(&a, &a_rows).await;
    let (_, body) = app.push(&b, &b_rows).await;
    let statuses: Vec<&str> = body["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| r["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses[3], "quarantined", "{body}");
    assert!(
        body["receipts"][3]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("EA01")
    );
}

#[tokio::test]
async fn a_push_against_another_epoch_is_told_to_repush() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    let mut body = tablet.push_body(&rows);
    body["epoch"] = json!(Uuid::now_v7());
    let (status, answer) = app.post("/v1/push", Some(&tablet.token), &body).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::CONFLICT, Some("epoch_changed"))
    );
    assert!(answer["epoch"].is_string());
    assert_eq!(app.footprint().0, 0);
}

#[tokio::test]
async fn bad_input_gets_a_typed_4xx_and_changes_nothing() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    let before = app.footprint();
    let token = Some(tablet.token.as_str());
    let raw = |body: &str| {
        app.call(
            reqwest::Method::POST,
            "/v1/push",
            token,
            Some(body.to_owned()),
        )
    };
    let (status, body) = raw("{\"install_id\": ").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let (status, body) = raw("{\"install_id\": 12, \"mutations\": \"many\"}").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let mut unknown = tablet.push_body(&rows);
    unknown["admin"] = json!(true);
    let (status, body) = app.post("/v1/push", token, &unknown).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request")),
        "unknown field"
    );
    let huge = json!({"install_id": tablet.store.install_id(), "mutations": [], "padding": "x".repeat(5 * 1024 * 1024)});
    let (status, body) = app.post("/v1/push", token, &huge).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    assert!(body["max_body_bytes"].as_u64().is_some());
    let (status, body) = app
        .post("/v1/push", Some("' OR 1=1 --"), &tablet.push_body(&rows))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (status, body) = app.post("/v1/push", None, &tablet.push_body(&rows)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (status, body) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": "'; DROP TABLE device; --", "install_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_code"))
    );
    let (status, body) = app.get("/v1/catalogue/changes?since=-1", token).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert_eq!(app.footprint(), before, "nothing changed");

    // SQL metacharacters and script tags in a text field are data, stored verbatim.
    let now = Utc::now();
    let v = tablet.store.open_visit(now).expect("open");
    tablet
        .store
        .record(v.id, Action::Listened(Listening::default()), now)
        .expect("listen");
    let nasty = "'); DROP TABLE visit; -- <script>alert(1)</script>";
    tablet
        .store
        .record(
            v.id,
            Action::Qualified(Qualification::Unmet {
                description: nasty.into(),
            }),
            now,
        )
        .expect("unmet");
    let all = tablet.store.pending_mutations(u32::MAX).expect("outbox");
    let (status, _) = app.post("/v1/push", token, &tablet.push_body(&all)).await;
    assert_eq!(status, StatusCode::OK);
    let stored = db::row(
        &app.db,
        &format!("SELECT snapshot FROM visit WHERE id = '{}'", v.id),
    )[0]
    .clone()
    .expect("the visit table is still there");
    assert!(stored.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn a_revoked_device_gets_403_and_nothing_it_sent_is_lost() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    app.push(&tablet, &rows[..3]).await;
    app.store(|s| {
        let id = s.devices(MairieId::FIRST).expect("devices")[0].id.clone();
        s.revoke(MairieId::FIRST, &id, Utc::now()).expect("revoke");
    });
    let (status, body) = app.push(&tablet, &rows[3..]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("revoked"))
    );
    let (status, _) = app
        .get("/v1/catalogue/changes?since=0", Some(&tablet.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.footprint().0, 3);
}

#[tokio::test]
async fn the_catalogue_comes_in_pages_with_versions_tombstones_and_epochs() {
    let app = spawn_app().await;
    let tablet = app.tablet().await;
    let token = Some(tablet.token.as_str());
    let (mut since, mut records) = (0, 0);
    let mut epoch: Option<String>;
    loop {
        let (status, page) = app
            .get(
                &format!("/v1/catalogue/changes?since={since}&limit=60"),
                token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        records += page["changes"].as_array().expect("changes").len();
        since = page["next_since"].as_u64().expect("cursor");
        epoch = page["epoch"].as_str().map(str::to_owned);
        if page["has_more"] == false {
            break;
        }
    }
    let epoch = epoch.expect("an epoch");
    let shipped = volant_core::catalogue::shipped().expect("shipped");
    assert_eq!(records, shipped.services.len() + shipped.demarches.len());
    let (_, empty) = app
        .get(
            &format!("/v1/catalogue/changes?since={since}&epoch={epoch}"),
            token,
        )
        .await;
    assert_eq!(empty["changes"], json!([]));

    let mut edited = shipped.clone();
    edited.demarches[0].title = "Acte de naissance : copie ou extrait".into();
    let removed = edited.demarches.pop().expect("one démarche").id;
    let write = app.store(|s| {
        s.import_catalogue(MairieId::FIRST, &edited)
            .expect("import")
    });
    assert_eq!((write.written, write.deleted), (1, 1));
    let (_, page) = app
        .get(
            &format!("/v1/catalogue/changes?since={since}&epoch={epoch}"),
            token,
        )
        .await;
    let changes = page["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2);
    assert_eq!(
        changes[0]["record"]["title"],
        "Acte de naissance : copie ou extrait"
    );
    assert_eq!(
        changes[0]["record"]["version"], 2,
        "the record's own version goes up"
    );
    assert_eq!(
        (changes[1]["id"].as_str(), &changes[1]["record"]),
        (Some(removed.as_str()), &Value::Null)
    );
    assert!(changes[0]["version"].as_u64() < changes[1]["version"].as_u64());

    let (status, body) = app
        .get(
            &format!(
                "/v1/catalogue/changes?since={since}&epoch={}",
                Uuid::now_v7()
            ),
            token,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::GONE, Some("resync_required"))
    );
}

#[tokio::test]
async fn readiness_says_when_not_to_send_here_health_only_that_the_process_is_up() {
    let mut app = spawn_app_draining(std::time::Duration::from_secs(3)).await;
    let (status, body) = app.get("/v1/ready", None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("ready"))
    );

    // A database upgraded by a newer server: this one must not serve.
    let newer = match &app.db {
        Database::Sqlite(_) => "PRAGMA user_version = 99",
        Database::Postgres(_) => "INSERT INTO schema_migration (version) VALUES (99)",
    };
    db::execute(&app.db, newer);
    let (status, body) = app.get("/v1/ready", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable")),
        "{body}"
    );
    let undo = match &app.db {
        Database::Sqlite(_) => "PRAGMA user_version = 7",
        Database::Postgres(_) => "DELETE FROM schema_migration WHERE version = 99",
    };
    db::execute(&app.db, undo);
    assert_eq!(app.get("/v1/ready", None).await.0, StatusCode::OK);

    // A stop begins: not ready at once, yet requests are still served.
    app.begin_stop();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, body) = app.get("/v1/ready", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("arrêt"))
    );
    assert_eq!(app.get("/v1/health", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_transient_database_failure_answers_503_and_changes_nothing() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let rows = tablet.visit();
    let blocker = db::block(&app.db);
    let response = app
        .http
        .post(format!("{}/v1/push", app.base))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(&tablet.token)
        .json(&tablet.push_body(&rows))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("retry-after").is_some());
    assert_eq!(
        response.json::<Value>().await.expect("json")["code"],
        "unavailable"
    );
    drop(blocker);
    assert_eq!(app.footprint().0, 0);
    let (status, _) = app.push(&tablet, &rows).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "works again once the database is back"
    );
}

#[tokio::test]
async fn two_visits_of_one_push_cannot_share_a_ticket_code_either() {
    let app = spawn_app().await;
    let mut tablet = app.tablet().await;
    let mut rows = tablet.visit();
    // A forged sixth mutation: another visit holding the same ticket.
    let mut forged = rows[4].clone();
    let other = Uuid::now_v7();
    forged.seq = 6;
    forged.mutation_id = Uuid::now_v7();
    forged.entity_id = other;
    edit_payload(&mut forged, |p| p["id"] = json!(other));
    rows.push(forged);
    let (status, body) = app.push(&tablet, &rows).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["receipts"][4]["status"], "stored");
    assert_eq!(body["receipts"][5]["status"], "quarantined", "{body}");
    assert_eq!(db::count(&app.db, "SELECT COUNT(*) FROM ticket"), 1);
    let visits = db::count(&app.db, "SELECT COUNT(*) FROM visit");
    assert_eq!(visits, 1, "the quarantined visit is not applied");
}

#[tokio::test]
async fn a_too_old_or_too_new_cursor_must_resync() {
    let app = spawn_app().await;
    let tablet = app.tablet().await;
    let token = Some(tablet.token.as_str());
    let latest = app.store(|store| {
        let mut catalogue = store.catalogue(MairieId::FIRST).expect("catalogue");
        catalogue.demarches.pop();
        store
            .import_catalogue(MairieId::FIRST, &catalogue)
            .expect("delete one");
        store.catalogue_version(MairieId::FIRST).expect("version")
    });
    let (status, _) = app.get("/v1/catalogue/changes?since=10", token).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "tombstones still there: any cursor works"
    );
    assert_eq!(
        app.store(|s| s.compact_tombstones(MairieId::FIRST).expect("compact")),
        1
    );
    let (status, body) = app.get("/v1/catalogue/changes?since=10", token).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::GONE, Some("resync_required"))
    );
    let (status, _) = app
        .get(&format!("/v1/catalogue/changes?since={latest}"), token)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a cursor at the newest version is fine"
    );
    let (status, body) = app
        .get(
            &format!("/v1/catalogue/changes?since={}", latest + 5),
            token,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::GONE, Some("resync_required")),
        "a cursor from a server that went back"
    );
    let (status, _) = app.get("/v1/catalogue/changes?since=0", token).await;
    assert_eq!(status, StatusCode::OK, "a full pull always works");
}
