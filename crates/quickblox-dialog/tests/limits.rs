//! The client against servers that answer too much or too late: the response size bound and the timeout, and which errors tell them apart.

mod support;

use std::error::Error as _;
use std::time::{Duration, Instant};

use quickblox_dialog::types::{CreateDialogRequest, Dialog, ErrorResponse};
use quickblox_dialog::{
    Client, ClientError, ClientOptions, DialogType, Error, ResponseTooLarge, ResponseValue, RetryPolicy,
    DEFAULT_MAX_RESPONSE_BYTES,
};
use support::{misbehaving, read_request, LoopbackServer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

fn created() -> String {
    serde_json::json!({
        "_id": "5e261c72a28f9a4f779f10bb",
        "created_at": "2020-01-20T21:32:34Z",
        "updated_at": "2020-01-20T21:32:34Z",
        "last_message": null,
        "last_message_date_sent": null,
        "last_message_id": null,
        "last_message_user_id": null,
        "name": "x",
        "occupants_ids": [1],
        "photo": null,
        "type": 2,
        "user_id": 1,
        "xmpp_room_jid": null,
        "unread_messages_count": null,
    })
    .to_string()
}

async fn send(base_url: &str, options: ClientOptions) -> Result<ResponseValue<Dialog>, Error<ErrorResponse>> {
    let client = Client::with_session_token_and_options(base_url, "t", options).unwrap();
    client
        .create_dialog()
        .body(CreateDialogRequest::new(DialogType::PublicGroup))
        .send()
        .await
}

fn with_limit(max_response_bytes: u64) -> ClientOptions {
    ClientOptions {
        max_response_bytes,
        ..ClientOptions::default()
    }
}

fn with_timeout(timeout: Duration) -> ClientOptions {
    ClientOptions {
        timeout,
        ..ClientOptions::default()
    }
}

/// The `ResponseTooLarge` at the end of a body error's chain.
fn too_large(err: &Error<ErrorResponse>) -> ResponseTooLarge {
    let Error::ResponseBodyError(_) = err else {
        panic!("expected a body error, got {err:?}")
    };
    let mut cause: Option<&dyn std::error::Error> = err.source();
    while let Some(error) = cause {
        if let Some(found) = error.downcast_ref::<ResponseTooLarge>() {
            return *found;
        }
        cause = error.source();
    }
    panic!("no ResponseTooLarge in the chain of {err:?}")
}

/// Writes `head`, then `chunk` over and over, up to `total` bytes or until the client hangs up.
async fn flood(mut stream: TcpStream, head: String, chunk: Vec<u8>, total: usize) {
    read_request(&mut stream).await;
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut sent = 0;
    while sent < total {
        if stream.write_all(&chunk).await.is_err() {
            return;
        }
        sent += chunk.len();
    }
    let _ = stream.shutdown().await;
}

/// One HTTP/1.1 chunk of 64 KiB of spaces (valid JSON whitespace, so only the size can fail it).
fn http_chunk() -> Vec<u8> {
    let data = vec![b' '; 64 * 1024];
    let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(b"\r\n");
    chunk
}

const LOTS: usize = 64 * 1024 * 1024;

#[tokio::test]
async fn the_default_bound_is_16_mib_and_the_error_says_so() {
    assert_eq!(ClientOptions::default().max_response_bytes, 16 * 1024 * 1024);
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
    // Chunked, with no Content-Length: only counting can stop it.
    let base_url = misbehaving(|stream| {
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        flood(stream, head.to_string(), http_chunk(), LOTS)
    })
    .await;
    let start = Instant::now();
    let err = send(&base_url, ClientOptions::default()).await.unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(
        too_large(&err),
        ResponseTooLarge {
            limit: DEFAULT_MAX_RESPONSE_BYTES,
            content_length: None
        }
    );
    assert!(
        format!("{err:#}").contains("the response body is larger than the client's limit of 16777216 bytes (16 MiB)"),
        "{err:#}"
    );
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_declared_length_over_the_bound_fails_before_the_body_is_read() {
    let base_url = misbehaving(|stream| {
        let head = format!("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {LOTS}\r\n\r\n");
        flood(stream, head, vec![b' '; 64 * 1024], LOTS)
    })
    .await;
    let err = send(&base_url, with_limit(1024)).await.unwrap_err();
    assert_eq!(
        too_large(&err),
        ResponseTooLarge {
            limit: 1024,
            content_length: Some(LOTS as u64)
        }
    );
}

#[tokio::test]
async fn a_body_delimited_by_closing_is_counted_too() {
    // No Content-Length and no chunking: the body runs until the server closes.
    let base_url = misbehaving(|stream| {
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
        flood(stream, head.to_string(), vec![b' '; 64 * 1024], LOTS)
    })
    .await;
    let err = send(&base_url, with_limit(100_000)).await.unwrap_err();
    assert_eq!(too_large(&err).limit, 100_000);
}

#[tokio::test]
async fn a_declared_length_below_the_truth_reads_only_what_was_declared() {
    // The server says 10 bytes and sends 64 MiB: HTTP framing stops at 10, so nothing is buffered
    // beyond them and the 10 bytes fail to decode.
    let base_url = misbehaving(|stream| {
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n";
        flood(stream, head.to_string(), vec![b'{'; 64 * 1024], LOTS)
    })
    .await;
    match send(&base_url, ClientOptions::default()).await.unwrap_err() {
        Error::InvalidResponsePayload(body, _) => assert_eq!(body.len(), 10),
        other => panic!("expected the 10 bytes to fail decoding, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_of_exactly_the_bound_is_read_and_one_byte_more_is_not() {
    let body = created();
    let server = LoopbackServer::start(201, body.clone()).await;
    let length = body.len() as u64;
    let dialog = send(&server.base_url, with_limit(length))
        .await
        .expect("a body at the bound");
    assert_eq!(dialog.name, "x");
    let err = send(&server.base_url, with_limit(length - 1)).await.unwrap_err();
    assert_eq!(
        too_large(&err),
        ResponseTooLarge {
            limit: length - 1,
            content_length: Some(length)
        }
    );
}

#[tokio::test]
async fn error_bodies_are_bounded_as_well() {
    let server = LoopbackServer::start(422, format!(r#"{{"errors":["{}"]}}"#, "x".repeat(4096))).await;
    let err = send(&server.base_url, with_limit(1024)).await.unwrap_err();
    assert_eq!(too_large(&err).limit, 1024);
}

#[tokio::test]
async fn a_request_sent_but_never_answered_is_a_timeout_after_connecting() {
    let base_url = misbehaving(|mut stream| async move {
        read_request(&mut stream).await;
        // Hold the connection open without answering until the client gives up.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let start = Instant::now();
    let err = send(&base_url, with_timeout(Duration::from_millis(300)))
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let Error::CommunicationError(cause) = &err else {
        panic!("{err:?}")
    };
    assert!(cause.is_timeout() && !cause.is_connect(), "{cause:?}");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_body_that_stalls_is_a_timeout_while_reading_the_body() {
    let base_url = misbehaving(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"_id\":";
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let err = send(&base_url, with_timeout(Duration::from_millis(300)))
        .await
        .unwrap_err();
    let Error::ResponseBodyError(cause) = &err else {
        panic!("{err:?}")
    };
    assert!(cause.is_timeout(), "{cause:?}");
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = send(&format!("http://127.0.0.1:{port}"), ClientOptions::default())
        .await
        .unwrap_err();
    let Error::CommunicationError(cause) = &err else {
        panic!("{err:?}")
    };
    assert!(cause.is_connect(), "{cause:?}");
}

#[test]
fn options_out_of_range_are_refused() {
    for options in [with_timeout(Duration::ZERO), with_limit(0)] {
        let err = Client::with_session_token_and_options("https://api.quickblox.com", "t", options).unwrap_err();
        assert!(matches!(err, ClientError::InvalidOptions { .. }), "{err}");
    }
    let options = ClientOptions {
        timeout: Duration::from_secs(3),
        max_response_bytes: 10,
        retry: RetryPolicy::none(),
    };
    let client = Client::with_api_key_and_options("https://api.quickblox.com", "k", options).unwrap();
    assert_eq!(client.options(), options);
}
