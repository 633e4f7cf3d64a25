//! The proxy mode in front of a deliberately off-contract loopback server: each mismatch reported with its pointer, and every answer relayed byte for byte.

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use quickblox_dialog_mock::{Config, MockServer};
use tokio::net::TcpListener;

const DIALOG_ID: &str = "5d75393ba28f9a17e1cb0f9e";

/// A server that answers off the contract on purpose, and echoes what it received in `x-seen-*` headers so that the
/// test can see the request arrive unchanged.
/// What the off-contract server saw, sent back as headers.
fn echo(headers: &HeaderMap, body: &Bytes) -> [(&'static str, String); 2] {
    [
        (
            "x-seen-token",
            headers.get("qb-token").map_or("", |v| v.to_str().unwrap()).to_string(),
        ),
        ("x-seen-body", String::from_utf8_lossy(body).into_owned()),
    ]
}

async fn off_contract_server() -> (String, tokio::task::JoinHandle<()>) {
    let router = Router::new()
        // A dialog with a number for `_id`, a string for `type`, and no `updated_at`, `user_id` and others.
        .route(
            &format!("/chat/Dialog/{DIALOG_ID}.json"),
            get(async move |headers: HeaderMap, body: Bytes| {
                (
                    StatusCode::OK,
                    echo(&headers, &body),
                    [("content-type", "application/json")],
                    r#"{"_id":5,"created_at":"2020-01-20T21:32:34Z","type":"2","name":"x","occupants_ids":[],"photo":null,"xmpp_room_jid":null,"last_message":null,"last_message_id":null,"last_message_date_sent":null,"last_message_user_id":null,"unread_messages_count":null}"#,
                )
            }),
        )
        // An undeclared status on list, and a create answered with an error body in neither error shape.
        .route(
            "/chat/Dialog.json",
            get(async || (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response()).post(
                async |headers: HeaderMap, body: Bytes| {
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        echo(&headers, &body),
                        [("content-type", "application/json")],
                        r#"{"errors":"bad"}"#,
                    )
                },
            ),
        )
        .fallback(any(async || (StatusCode::NOT_FOUND, "nothing here")));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (format!("http://{addr}"), task)
}

async fn proxy_to(upstream: &str) -> MockServer {
    MockServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        proxy: Some(upstream.to_string()),
        ..Config::default()
    })
    .await
    .unwrap()
}

/// The mismatch lines that start with `prefix`.
fn lines_for<'a>(lines: &'a [String], prefix: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter(|line| line.starts_with(prefix))
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn each_mismatch_is_reported_with_its_pointer_and_traffic_is_relayed_unchanged() {
    let (upstream, task) = off_contract_server().await;
    let proxy = proxy_to(&upstream).await;
    let client = reqwest::Client::new();
    let base = proxy.base_url();

    // A response with wrong types and missing required fields.
    let response = client
        .get(format!("{base}/chat/Dialog/{DIALOG_ID}.json"))
        .header("qb-token", "t")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-seen-token"], "t", "the credential went upstream");
    let body = response.text().await.unwrap();
    assert!(body.starts_with(r#"{"_id":5,"#), "relayed as it came: {body}");
    let lines = proxy.mismatches();
    let get = format!("contract mismatch: GET /chat/Dialog/{DIALOG_ID}.json: response ");
    let mut found = lines_for(&lines, &get);
    found.sort();
    assert_eq!(
        found,
        [
            format!("{get}/body/_id: must be of type string"),
            format!("{get}/body/type: must be of type integer"),
            format!("{get}/body/type: must be one of [1,2,3]"),
            format!("{get}/body: updated_at is required"),
            format!("{get}/body: user_id is required"),
        ]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
    );

    // An undeclared status, with a body that is not JSON: only the status is reported, the body relayed.
    let response = client
        .get(format!("{base}/chat/Dialog.json?type[in]=1,2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(response.text().await.unwrap(), "oops");
    let lines = proxy.mismatches();
    assert_eq!(
        lines_for(&lines, "contract mismatch: GET /chat/Dialog.json: "),
        [
            "contract mismatch: GET /chat/Dialog.json: response /status: 500 is not declared for list_dialogs, which \
             declares 200, 400, 401, 403, 422, 429"
        ]
    );

    // A request off the contract (an unknown field, a wrong type, a bad header) and an error body in neither shape.
    let sent = r#"{"type":"2","occupant_ids":[1]}"#;
    let response = client
        .post(format!("{base}/chat/Dialog.json?type[ctn]=x"))
        .header("content-type", "application/json")
        .header("on-behalf-of", "me")
        .body(sent)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["x-seen-body"],
        sent,
        "the body went upstream unchanged"
    );
    assert_eq!(response.text().await.unwrap(), r#"{"errors":"bad"}"#);
    let lines = proxy.mismatches();
    let post = "contract mismatch: POST /chat/Dialog.json: ";
    let mut found = lines_for(&lines, post);
    found.sort();
    assert_eq!(
        found,
        [
            "contract mismatch: POST /chat/Dialog.json: request /body/type: must be of type integer",
            "contract mismatch: POST /chat/Dialog.json: request /body/type: must be one of [1,2,3]",
            "contract mismatch: POST /chat/Dialog.json: request /body: occupant_ids is not a field of this object",
            "contract mismatch: POST /chat/Dialog.json: request /header/On-Behalf-Of: must be of type integer",
            "contract mismatch: POST /chat/Dialog.json: request /query/type[ctn]: is not a parameter of create_dialog, \
             which takes no query parameters",
            "contract mismatch: POST /chat/Dialog.json: response /body: matches none of the schemas it may take",
        ]
    );

    // A method and a path the spec does not have.
    let response = client.patch(format!("{base}/chat/Dialog.json")).send().await.unwrap();
    // axum's own answer to a method its route lacks, relayed as it is.
    assert_eq!(
        (response.status().as_u16(), response.text().await.unwrap()),
        (405, String::new())
    );
    let response = client.get(format!("{base}/chat/Message.json")).send().await.unwrap();
    assert_eq!(
        (response.status().as_u16(), response.text().await.unwrap()),
        (404, "nothing here".to_string())
    );
    let lines = proxy.mismatches();
    assert!(
        lines.contains(
            &"contract mismatch: PATCH /chat/Dialog.json: request /method: PATCH is not an operation of this path, \
              which takes GET, POST"
                .to_string()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"contract mismatch: GET /chat/Message.json: request /path: matches no path of the spec".to_string()
        ),
        "{lines:#?}"
    );
    assert_eq!(proxy.mismatch_count() as usize, lines.len());
    assert_eq!(lines.len(), 5 + 1 + 6 + 2);
    proxy.shutdown().await;
    task.abort();
}

#[tokio::test]
async fn an_unreachable_upstream_is_502_in_the_error_shape() {
    // A port that was free a moment ago: nothing listens there.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let proxy = proxy_to(&upstream).await;
    let response = reqwest::get(format!("{}/chat/Dialog.json", proxy.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["errors"][0].as_str().unwrap().starts_with("Bad Gateway: "),
        "{body}"
    );
    assert_eq!(
        proxy.mismatch_count(),
        0,
        "the proxy's own answer is not the upstream's"
    );
    proxy.shutdown().await;
}

/// An `https://` upstream is reached over TLS, not plain HTTP: what arrives at the upstream is a TLS handshake record
/// (content type 22, a ClientHello naming the upstream's host), and a server that answers it with no certificate the
/// proxy trusts is a 502, never a request sent in the clear.
#[tokio::test]
async fn an_https_upstream_is_spoken_to_over_tls() {
    use tokio::io::AsyncReadExt;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut first = vec![0u8; 512];
        let read = socket.read(&mut first).await.unwrap();
        first.truncate(read);
        first
        // Dropping the socket ends the handshake: the proxy must not fall back to plain HTTP.
    });
    let proxy = proxy_to(&format!("https://localhost:{port}")).await;
    let response = reqwest::get(format!("{}/chat/Dialog.json", proxy.base_url()))
        .await
        .unwrap();
    let first = received.await.unwrap();
    assert_eq!(
        first.first(),
        Some(&0x16),
        "a TLS handshake record, not {:?}",
        String::from_utf8_lossy(&first)
    );
    assert!(
        first.windows(b"localhost".len()).any(|window| window == b"localhost"),
        "the ClientHello names the upstream's host (SNI)"
    );
    assert!(
        !first.windows(b"GET ".len()).any(|window| window == b"GET "),
        "nothing in the clear"
    );
    assert_eq!(response.status(), 502);
    proxy.shutdown().await;
}

/// The proxy checks the upstream's certificate: a loopback TLS server whose self-signed certificate for `localhost`
/// no system trusts (`tests/fixtures/untrusted-localhost.*`, made with openssl for this test) completes no handshake
/// with it, and the client gets a 502 that says why, with no request sent.
#[tokio::test]
async fn an_upstream_certificate_the_system_does_not_trust_is_refused() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::AsyncReadExt;
    let fixture = |name: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    };
    let certificate = CertificateDer::from_pem_file(fixture("untrusted-localhost.crt")).unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("untrusted-localhost.key")).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        // The handshake fails on the proxy's side: it refuses the certificate, so no request can follow.
        match acceptor.accept(socket).await {
            Ok(mut stream) => {
                let mut request = Vec::new();
                let _ = stream.read_to_end(&mut request).await;
                request
            }
            Err(_) => Vec::new(),
        }
    });
    let proxy = proxy_to(&format!("https://localhost:{port}")).await;
    let response = reqwest::get(format!("{}/chat/Dialog.json", proxy.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    let body: serde_json::Value = response.json().await.unwrap();
    let message = body["errors"][0].as_str().unwrap();
    assert!(
        message.starts_with("Bad Gateway: ") && message.to_lowercase().contains("certificate"),
        "{message}"
    );
    assert!(server.await.unwrap().is_empty(), "no request reached the upstream");
    proxy.shutdown().await;
}
