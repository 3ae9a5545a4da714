//! The transport: HTTPS by default, plain HTTP on loopback only; a screen's
//! invitation for another certificate refused; a tablet re-enrolled after a
//! certificate change keeps its device, letter and seq.

use super::*;

#[tokio::test]
async fn plain_http_is_refused_on_an_address_other_machines_reach() {
    let dir = tempfile::tempdir().expect("dir");
    let config = |listen: &str| Config {
        db: Database::Sqlite(dir.path().join("server.sqlite3")),
        listen: listen.parse().expect("addr"),
        limits: DEFAULT_LIMITS,
        retention_days: DEFAULT_RETENTION_DAYS,
        ui_dir: None,
        transport: Transport::Plain,
        public_url: None,
        drain: std::time::Duration::ZERO,
    };
    let refused = Application::build(config("0.0.0.0:0")).await;
    let Err(error) = refused else {
        panic!("plain HTTP on every address must be refused");
    };
    assert!(
        error.to_string().contains("HTTP en clair refusé"),
        "{error}"
    );
    assert!(
        !dir.path().join("server.sqlite3").exists(),
        "nothing is opened or created before the refusal"
    );
    let loopback = Application::build(config("127.0.0.1:0"))
        .await
        .expect("loopback");
    assert_eq!(loopback.fingerprint(), None);
    assert!(loopback.url().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn the_server_speaks_only_tls_and_invitations_carry_its_fingerprint() {
    let app = spawn_app().await;
    let plain = reqwest::Client::new()
        .get(format!(
            "{}/v1/health",
            app.base.replace("https://", "http://")
        ))
        .send()
        .await;
    assert!(
        plain.map_or(true, |r| !r.status().is_success()),
        "no answer in clear"
    );
    let invitation = app
        .store(|s| s.invitation("K7QX-M2PD").expect("meta"))
        .expect("advertised");
    assert_eq!(invitation.server, app.base);
    assert_eq!(invitation.fingerprint, Some(app.fingerprint));
}

#[tokio::test]
async fn a_screen_invited_for_another_certificate_is_refused_and_its_code_stays_usable() {
    let app = spawn_app().await;
    let post = Post {
        service: Some("etat-civil".into()),
        label: Some("Guichet 1".into()),
        services: Vec::new(),
    };
    let code = app.code_for(DeviceKind::Counter, &post);
    let other = "00".repeat(32);
    let (status, body) = app
        .post(
            "/v1/screen/enroll",
            None,
            &json!({"code": code, "fingerprint": other}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("certificate_changed")),
        "{body}"
    );
    let (status, body) = app
        .post("/v1/screen/enroll", None, &json!({"code": code}))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_field")),
        "{body}"
    );
    let (status, _) = app
        .post(
            "/v1/screen/enroll",
            None,
            &json!({"code": code, "fingerprint": app.fingerprint.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_tablet_re_enrolled_with_its_credential_keeps_its_device_and_letter() {
    let app = spawn_app().await;
    let install = Uuid::now_v7();
    let (_, first) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": app.code(DeviceKind::Agent), "install_id": install}),
        )
        .await;
    let old = first["token"].as_str().expect("token").to_owned();
    // Without the credential it holds, the install cannot be claimed again.
    let (status, body) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": app.code(DeviceKind::Agent), "install_id": install}),
        )
        .await;
    assert_eq!(body["code"], "seq_conflict", "{status} {body}");
    let (status, again) = app
        .post(
            "/v1/enroll",
            None,
            &json!({"code": app.code(DeviceKind::Agent), "install_id": install, "previous_token": old}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["device_id"], first["device_id"]);
    assert_eq!(again["tablet_letter"], first["tablet_letter"]);
    assert_ne!(again["token"], first["token"]);
    let (status, body) = app.get("/v1/info", Some(&old)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let fresh = again["token"].as_str().expect("token");
    let (status, _) = app.get("/v1/info", Some(fresh)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.store(|s| s.devices(MairieId::FIRST).expect("devices").len()),
        1
    );
}

#[tokio::test]
async fn the_server_serves_its_openapi_document_as_committed() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(format!("{}/v1/openapi.json", app.base))
        .send()
        .await
        .expect("document");
    assert_eq!(response.status(), StatusCode::OK);
    let served: Value = response.json().await.expect("json");
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schema/openapi.json"
        ))
        .expect("schema/openapi.json"),
    )
    .expect("committed json");
    assert_eq!(served, committed);
    assert_eq!(served["openapi"], "3.1.0");
}

/// A request refused before its body arrives (here a missing protocol header)
/// still has its body read: the connection stays usable for the next request,
/// instead of being closed behind an answer the client takes as reusable.
#[tokio::test]
async fn a_request_refused_before_its_body_arrives_leaves_the_connection_usable() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("dir");
    let app = Application::build(Config {
        db: db::fresh(dir.path()),
        listen: "127.0.0.1:0".parse().expect("addr"),
        limits: DEFAULT_LIMITS,
        retention_days: DEFAULT_RETENTION_DAYS,
        ui_dir: None,
        transport: Transport::Plain,
        public_url: None,
        drain: std::time::Duration::ZERO,
    })
    .await
    .expect("loopback");
    let address = app.address();
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let mut connection = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let body = r#"{"code":"K7QX-M2PD","fingerprint":null}"#;
    let head = format!(
        "POST /v1/screen/enroll HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    connection.write_all(head.as_bytes()).await.expect("head");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    connection.write_all(body.as_bytes()).await.expect("body");
    let first = read_response(&mut connection).await;
    assert!(first.starts_with("HTTP/1.1 400"), "{first}");
    assert!(
        !first.to_ascii_lowercase().contains("connection: close"),
        "{first}"
    );
    let health = format!("GET /v1/health HTTP/1.1\r\nhost: {address}\r\n\r\n");
    let _ = connection.write_all(health.as_bytes()).await; // a closed connection fails below
    let second = read_response(&mut connection).await;
    assert!(
        second.starts_with("HTTP/1.1 200"),
        "the connection was closed: {second:?}"
    );

    /// One response, read up to the end of its `content-length` body.
    async fn read_response(connection: &mut tokio::net::TcpStream) -> String {
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&bytes).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length: ")
                            .map(str::to_owned)
                    })
                    .and_then(|l| l.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if bytes.len() >= end + 4 + length {
                    return text;
                }
            }
            let read = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                connection.read(&mut buffer),
            )
            .await
            .expect("an answer in time")
            .unwrap_or(0);
            if read == 0 {
                return text;
            }
            bytes.extend_from_slice(&buffer[..read]);
        }
    }
}
