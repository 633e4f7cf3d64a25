//! The retry policy against loopback servers that fail on purpose: what is retried, how long it waits, what is sent once.

mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use quickblox_dialog::types::{CreateDialogRequest, Dialog};
use quickblox_dialog::{Client, ClientOptions, DialogType, Error, ResponseValue, RetryPolicy};
use support::{scripted, Step};

const ID: &str = "5d75393ba28f9a17e1cb0f9e";

fn dialog_json() -> Vec<u8> {
    let spec = support::spec();
    let (_, _, value) = support::response_examples_of(&spec, support::GET)
        .into_iter()
        .find(|(status, _, _)| status == "200")
        .expect("get_dialog has a 200 example");
    serde_json::to_vec(&value).unwrap()
}

fn created_json() -> Vec<u8> {
    let spec = support::spec();
    let (_, _, value) = support::response_examples(&spec)
        .into_iter()
        .find(|(status, _, _)| status == "201")
        .expect("create_dialog has a 201 example");
    serde_json::to_vec(&value).unwrap()
}

fn ok() -> Step {
    Step::Answer(200, Vec::new(), dialog_json())
}

fn status(code: u16) -> Step {
    Step::Answer(code, Vec::new(), br#"{"errors":["try again"]}"#.to_vec())
}

fn retry_after(code: u16, value: &str) -> Step {
    Step::Answer(
        code,
        vec![("retry-after", value.to_string())],
        br#"{"errors":["slow down"]}"#.to_vec(),
    )
}

async fn get(
    base_url: &str,
    options: ClientOptions,
) -> Result<ResponseValue<Dialog>, Error<quickblox_dialog::types::ErrorResponse>> {
    let client = Client::with_session_token_and_options(base_url, "token", options).unwrap();
    client.get_dialog().chat_dialog_id(ID).send().await
}

async fn create(
    base_url: &str,
    options: ClientOptions,
) -> Result<ResponseValue<Dialog>, Error<quickblox_dialog::types::ErrorResponse>> {
    let client = Client::with_session_token_and_options(base_url, "token", options).unwrap();
    client
        .create_dialog()
        .body(CreateDialogRequest::new(DialogType::Private))
        .send()
        .await
}

#[tokio::test]
async fn two_503s_are_ridden_out_with_the_defaults() {
    let (base_url, count) = scripted(vec![status(503), status(503), ok()]).await;
    let dialog = get(&base_url, ClientOptions::default()).await.unwrap();
    assert_eq!(*dialog.id, ID);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn every_retryable_status_is_retried_for_reads() {
    for code in [408, 429, 500, 502, 503, 504] {
        let (base_url, count) = scripted(vec![status(code), ok()]).await;
        let options = ClientOptions::default();
        let options = ClientOptions {
            retry: RetryPolicy {
                initial_backoff: Duration::from_millis(10),
                ..options.retry
            },
            ..options
        };
        get(&base_url, options)
            .await
            .unwrap_or_else(|err| panic!("{code}: {err}"));
        assert_eq!(count.load(Ordering::SeqCst), 2, "{code}");
    }
}

#[tokio::test]
async fn other_failures_are_answered_at_once() {
    for code in [400, 401, 404, 409, 422, 501] {
        let (base_url, count) = scripted(vec![status(code), ok()]).await;
        assert!(get(&base_url, ClientOptions::default()).await.is_err(), "{code}");
        assert_eq!(count.load(Ordering::SeqCst), 1, "{code}");
    }
}

#[tokio::test]
async fn a_third_failure_is_the_answer() {
    let (base_url, count) = scripted(vec![status(503)]).await;
    let err = get(&base_url, ClientOptions::default()).await.unwrap_err();
    assert_eq!(err.status().map(|status| status.as_u16()), Some(503), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 3, "one attempt and two retries");
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_out() {
    let (base_url, count) = scripted(vec![retry_after(429, "2"), ok()]).await;
    let started = Instant::now();
    get(&base_url, ClientOptions::default()).await.unwrap();
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(2), "waited {took:?}");
    assert!(took < Duration::from_secs(10), "waited {took:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_out() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Two whole seconds ahead, so that the wait is at least one second whatever the sub-second part of now.
    let then = chrono::DateTime::from_timestamp(i64::try_from(now).unwrap() + 2, 0).unwrap();
    let date = then.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let (base_url, count) = scripted(vec![retry_after(503, &date), ok()]).await;
    let started = Instant::now();
    get(&base_url, ClientOptions::default()).await.unwrap();
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(1), "waited {took:?} for {date}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_reset_before_any_answer_is_ridden_out() {
    let (base_url, count) = scripted(vec![Step::Reset, ok()]).await;
    get(&base_url, ClientOptions::default()).await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_hour_of_retry_after_fails_at_once_and_says_why() {
    let (base_url, count) = scripted(vec![retry_after(429, "3600"), ok()]).await;
    let started = Instant::now();
    let err = get(&base_url, ClientOptions::default()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let Error::Custom(message) = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("rate limiting"), "{message}");
    assert!(message.contains("3600 s"), "{message}");
    assert!(message.contains("60 s"), "{message}");
}

#[tokio::test]
async fn a_create_answered_500_is_sent_exactly_once() {
    let (base_url, count) = scripted(vec![status(500), Step::Answer(201, Vec::new(), created_json())]).await;
    let err = create(&base_url, ClientOptions::default()).await.unwrap_err();
    assert_eq!(err.status().map(|status| status.as_u16()), Some(500), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_create_reset_after_sending_is_sent_exactly_once() {
    let (base_url, count) = scripted(vec![Step::Reset, Step::Answer(201, Vec::new(), created_json())]).await;
    let err = create(&base_url, ClientOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::CommunicationError(_)), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_create_is_retried_when_the_caller_opts_in() {
    let (base_url, count) = scripted(vec![status(500), Step::Answer(201, Vec::new(), created_json())]).await;
    let options = ClientOptions::default();
    let options = ClientOptions {
        retry: options.retry.retry_creates(true),
        ..options
    };
    create(&base_url, options).await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_create_whose_connection_was_refused_is_retried() {
    // A port that nothing listens on for a moment, then a server that creates: the first attempt is refused,
    // so none of its bytes left, and the retry creates the dialog once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let created = created_json();
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let (mut stream, _) = listener.accept().await.unwrap();
        assert!(support::read_request(&mut stream).await);
        let mut answer = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            created.len()
        )
        .into_bytes();
        answer.extend_from_slice(&created);
        tokio::io::AsyncWriteExt::write_all(&mut stream, &answer).await.unwrap();
        // Hold the connection until the client has read the answer.
        let mut rest = Vec::new();
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut rest).await;
    });
    create(&format!("http://{address}"), ClientOptions::default())
        .await
        .unwrap();
    server.abort();
}

#[tokio::test]
async fn retries_0_turns_retrying_off() {
    let (base_url, count) = scripted(vec![status(503), ok()]).await;
    let err = get(&base_url, ClientOptions::default().retries(0)).await.unwrap_err();
    assert_eq!(err.status().map(|status| status.as_u16()), Some(503), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    // And with retrying off, a long Retry-After is the server's answer as it is, not the client's refusal.
    let (base_url, _) = scripted(vec![retry_after(429, "3600")]).await;
    let err = get(&base_url, ClientOptions::default().retries(0)).await.unwrap_err();
    assert!(matches!(err, Error::ErrorResponse(_)), "{err:?}");
}
