//! No credential, body or `Referer` reaches another origin: every redirect status is reported with its Location, never followed.

mod support;

use std::time::Duration;

use quickblox_dialog::types::CreateDialogRequest;
use quickblox_dialog::{Client, ClientOptions, DialogType, Error};
use support::LoopbackServer;

const TOKEN: &str = "token-SECRET-1";
const KEY: &str = "key-SECRET-2";

/// A success body, so that a client that did follow the redirect would get an answer at once
/// instead of waiting for its timeout.
fn created() -> String {
    serde_json::json!({
        "_id": "5e261c72a28f9a4f779f10bb",
        "created_at": "2020-01-20T21:32:34Z",
        "updated_at": "2020-01-20T21:32:34Z",
        "name": "x",
        "occupants_ids": [1],
        "type": 2,
        "user_id": 1,
    })
    .to_string()
}

fn request() -> CreateDialogRequest {
    CreateDialogRequest {
        name: Some("x".try_into().unwrap()),
        ..CreateDialogRequest::new(DialogType::Group)
    }
}

fn redirecting(status: u16, location: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status} Moved\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n").into_bytes()
}

/// Sends one request with the given credential and returns the error it must end in.
async fn send(base_url: &str, api_key: bool) -> Error<quickblox_dialog::types::ErrorResponse> {
    // A short timeout, so that a regression that follows an https Location to the plain
    // listener fails in seconds instead of hanging on the TLS handshake.
    let options = ClientOptions {
        timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    if api_key {
        let client = Client::with_api_key_and_options(base_url, KEY, options).unwrap();
        client.create_dialog().on_behalf_of(7).body(request()).send().await
    } else {
        let client = Client::with_session_token_and_options(base_url, TOKEN, options).unwrap();
        client.create_dialog().body(request()).send().await
    }
    .expect_err("a redirect is an error")
}

#[tokio::test]
async fn no_redirect_is_followed_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        for target_scheme in ["http", "https"] {
            for api_key in [false, true] {
                let case = format!("{status} to {target_scheme}, api key {api_key}");
                let other = LoopbackServer::start(201, created()).await;
                let location = format!("{target_scheme}://{}/steal", other.authority());
                let first = LoopbackServer::start_raw(redirecting(status, &location)).await;

                let err = send(&first.base_url, api_key).await;
                let Error::Custom(message) = &err else {
                    panic!("{case}: expected the redirect error, got {err:?}")
                };
                assert!(
                    message.starts_with(&format!("the server answered {status} ")),
                    "{case}: {message}"
                );
                assert!(message.contains(&format!("to {location};")), "{case}: {message}");
                assert!(!message.contains("SECRET"), "{case}: {message}");

                let sent = first.requests();
                assert_eq!(sent.len(), 1, "{case}: the request went once, to the base URL");
                let credential = if api_key { "authorization" } else { "qb-token" };
                assert!(sent[0].header(credential).is_some(), "{case}: {sent:?}");
                assert_eq!(sent[0].header("referer"), None, "{case}");
                assert_eq!(other.connections(), 0, "{case}: the other origin was contacted");
                assert!(other.requests().is_empty(), "{case}");
            }
        }
    }
}

#[tokio::test]
async fn a_redirect_to_the_same_origin_is_not_followed_either() {
    let first = LoopbackServer::start_raw(redirecting(307, "/chat/Dialog.json?again")).await;
    let err = send(&first.base_url, false).await;
    assert!(
        matches!(&err, Error::Custom(m) if m.contains("307 Temporary Redirect to /chat/Dialog.json?again;")),
        "{err:?}"
    );
    assert_eq!(first.requests().len(), 1);
}

#[tokio::test]
async fn a_redirect_without_a_location_says_so() {
    let first = LoopbackServer::start_raw(b"HTTP/1.1 302 Found\r\ncontent-length: 0\r\n\r\n".to_vec()).await;
    let err = send(&first.base_url, false).await;
    assert!(
        matches!(&err, Error::Custom(m) if m.starts_with("the server answered 302 Found without a Location;")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_hostile_location_is_escaped_in_the_error() {
    // hyper refuses ASCII control characters in a header, but lets other bytes through: here a C1
    // control (CSI, which some terminals read as ESC [) and a right-to-left override, in UTF-8.
    let first = LoopbackServer::start_raw(redirecting(301, "http://x/\u{9b}2J\u{202e}")).await;
    let err = send(&first.base_url, false).await;
    let Error::Custom(message) = &err else {
        panic!("{err:?}")
    };
    assert!(
        !message.contains('\u{9b}') && !message.contains('\u{202e}'),
        "{message:?}"
    );
    assert!(message.contains(r"http://x/\u{9b}2J\u{202e};"), "{message:?}");
}

/// The harness can see a leak: reqwest's default policy, with the token as a default header the way
/// the client sets it, does carry the token to the other origin. Without this, the test above could
/// pass for the wrong reason.
#[tokio::test]
async fn the_harness_detects_a_followed_redirect() {
    let other = LoopbackServer::start(201, created()).await;
    let first = LoopbackServer::start_raw(redirecting(307, &format!("http://{}/steal", other.authority()))).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("qb-token", TOKEN.parse().unwrap());
    let follows = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let response = follows
        .post(format!("{}/chat/Dialog.json", first.base_url))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let stolen = other.requests();
    assert_eq!(stolen.len(), 1);
    assert_eq!(stolen[0].header("qb-token"), Some(TOKEN));
    assert_eq!(stolen[0].body, b"{}");
}

/// A builder of the caller's own, set to follow redirects and send a `Referer`, still gets every guarantee.
#[tokio::test]
async fn a_builder_of_your_own_keeps_the_guarantees() {
    let elsewhere = LoopbackServer::start(201, "{}").await;
    let server = LoopbackServer::start_raw(format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {}/chat/Dialog.json\r\ncontent-length: 0\r\n\r\n",
        elsewhere.base_url
    ))
    .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-team", "chat".parse().unwrap());
    headers.insert("qb-token", "the caller's stale token".parse().unwrap());
    let builder = || {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(10))
            .referer(true)
            .default_headers(headers.clone())
    };
    for insecure in ["http://api.quickblox.com", "http://10.0.0.1"] {
        let err =
            Client::with_session_token_and_builder(insecure, "t", ClientOptions::default(), builder()).unwrap_err();
        assert!(
            matches!(err, quickblox_dialog::ClientError::InsecureBaseUrl { .. }),
            "{err}"
        );
    }
    let client =
        Client::with_session_token_and_builder(&server.base_url, "SECRET", ClientOptions::default(), builder())
            .unwrap();
    let err = client
        .create_dialog()
        .body(CreateDialogRequest::new(DialogType::Private))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Custom(message) if message.contains("307")),
        "{err:?}"
    );
    assert_eq!(elsewhere.connections(), 0, "the redirect was followed");
    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("qb-token"),
        Some("SECRET"),
        "the credential replaces the caller's header"
    );
    assert_eq!(sent.header("x-team"), Some("chat"), "the caller's own headers stay");
    assert_eq!(sent.header("referer"), None);
    let key_client =
        Client::with_api_key_and_builder(&server.base_url, "KEY", ClientOptions::default(), builder()).unwrap();
    assert_eq!(key_client.auth_scheme(), quickblox_dialog::AuthScheme::ApiKey);
}
