//! Shared by the integration tests and the benches: the spec's examples, and a loopback HTTP server that records requests.
#![allow(dead_code)] // Each test target uses a different part of this module.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/dialog.yaml")
}

/// The spec as JSON, so that tests can walk it with JSON pointers.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("reading openapi/dialog.yaml");
    serde_yaml::from_str(&text).expect("openapi/dialog.yaml is valid YAML")
}

pub const OPERATION: &str = "/paths/~1chat~1Dialog.json/post";
pub const LIST: &str = "/paths/~1chat~1Dialog.json/get";
pub const GET: &str = "/paths/~1chat~1Dialog~1{chat_dialog_id}.json/get";
pub const UPDATE: &str = "/paths/~1chat~1Dialog~1{chat_dialog_id}.json/put";
pub const DELETE: &str = "/paths/~1chat~1Dialog~1{chat_dialog_id}.json/delete";

/// The named examples at `pointer` (an `examples` map), sorted by name.
pub fn examples_at(spec: &Value, pointer: &str) -> Vec<(String, Value)> {
    let map = spec
        .pointer(pointer)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no examples at {pointer}"));
    map.iter()
        .map(|(name, example)| (name.clone(), example["value"].clone()))
        .collect()
}

pub fn request_examples(spec: &Value) -> Vec<(String, Value)> {
    examples_at(
        spec,
        &format!("{OPERATION}/requestBody/content/application~1json/examples"),
    )
}

/// Every response example as `(status, name, value)`.
pub fn response_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let responses = spec
        .pointer(&format!("{OPERATION}/responses"))
        .and_then(Value::as_object)
        .unwrap();
    let mut all = Vec::new();
    for status in responses.keys() {
        let pointer = format!("{OPERATION}/responses/{status}/content/application~1json/examples");
        for (name, value) in examples_at(spec, &pointer) {
            all.push((status.clone(), name, value));
        }
    }
    all
}

/// The request-body examples of the operation at `operation` (a JSON pointer), sorted by name.
pub fn request_examples_of(spec: &Value, operation: &str) -> Vec<(String, Value)> {
    examples_at(
        spec,
        &format!("{operation}/requestBody/content/application~1json/examples"),
    )
}

/// Every response example of the operation at `operation` as `(status, name, value)`, following a response's
/// `$ref` into `components/responses`.
pub fn response_examples_of(spec: &Value, operation: &str) -> Vec<(String, String, Value)> {
    let responses = spec
        .pointer(&format!("{operation}/responses"))
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no responses at {operation}"));
    let mut all = Vec::new();
    for (status, response) in responses {
        let pointer = match response.get("$ref").and_then(Value::as_str) {
            Some(target) => target.trim_start_matches('#').to_string(),
            None => format!("{operation}/responses/{status}"),
        };
        for (name, value) in examples_at(spec, &format!("{pointer}/content/application~1json/examples")) {
            all.push((status.clone(), name, value));
        }
    }
    all
}

/// One request as it arrived: header names lowercased and sorted, so snapshots are stable.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value of query key `key` as it came on the wire (brackets and commas raw, other bytes still encoded).
    pub fn query(&self, key: &str) -> Option<&str> {
        let (_, query) = self.path.split_once('?')?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value)
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// A minimal HTTP/1.1 server on loopback that answers every request with one canned response and
/// records what it received. It keeps connections alive, as reqwest expects.
/// Makes the status and body of an answer from the request.
type Answerer = dyn Fn(&Recorded) -> (u16, Vec<u8>) + Send + Sync;

/// What a loopback server answers: always the same bytes, or bytes made from the request.
enum Answer {
    Canned(Arc<[u8]>),
    Computed(Arc<Answerer>),
}

impl Answer {
    fn to(&self, request: &Recorded) -> Vec<u8> {
        match self {
            Self::Canned(bytes) => bytes.to_vec(),
            Self::Computed(answer) => {
                let (status, body) = answer(request);
                canned_response(status, &body)
            }
        }
    }
}

pub struct LoopbackServer {
    pub base_url: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
}

impl LoopbackServer {
    pub async fn start(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::start_with(canned_response(status, &body.into()), true).await
    }

    /// A server that keeps no record, for benchmarks that send many requests.
    pub async fn start_unrecorded(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::start_with(canned_response(status, &body.into()), false).await
    }

    /// A server that answers every request with `response`, status line and headers included.
    pub async fn start_raw(response: impl Into<Vec<u8>>) -> Self {
        Self::start_with(response.into(), true).await
    }

    /// A server that answers each request with the status and JSON body `answer` makes of it, such as one page
    /// of a list chosen by the request's `skip`.
    pub async fn start_computed(answer: impl Fn(&Recorded) -> (u16, Vec<u8>) + Send + Sync + 'static) -> Self {
        Self::start_answering(Answer::Computed(Arc::new(answer)), true).await
    }

    async fn start_with(response: Vec<u8>, record: bool) -> Self {
        Self::start_answering(Answer::Canned(response.into()), record).await
    }

    async fn start_answering(answer: Answer, record: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let recorded: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let connections: Arc<AtomicUsize> = Arc::default();
        let answer = Arc::new(answer);
        let log = record.then(|| Arc::clone(&recorded));
        let count = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, Arc::clone(&answer), log.clone()));
            }
        });
        Self {
            base_url,
            recorded,
            connections,
        }
    }

    /// `host:port`, without the scheme.
    pub fn authority(&self) -> &str {
        self.base_url.trim_start_matches("http://")
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// How many connections were accepted, whether or not a request arrived on them.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// A loopback listener that hands each connection to `handle`, for servers that misbehave on purpose
/// (never answer, answer slowly, send too much). Returns the base URL.
pub async fn misbehaving<F, Fut>(handle: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle(stream));
        }
    });
    base_url
}

/// One answer of a [`scripted`] server.
#[derive(Clone, Debug)]
pub enum Step {
    /// A status line, extra headers and a JSON body.
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// The request is read, then the connection is reset (RST) without a byte of answer.
    Reset,
}

/// A loopback server that answers the n-th request it reads with `steps[n]` (the last step again once
/// they run out) and counts the requests, whatever connection each came on. Returns the base URL and the count.
pub async fn scripted(steps: Vec<Step>) -> (String, Arc<AtomicUsize>) {
    let steps: Arc<[Step]> = steps.into();
    let count: Arc<AtomicUsize> = Arc::default();
    let counter = Arc::clone(&count);
    let base_url = misbehaving(move |mut stream| {
        let steps = Arc::clone(&steps);
        let counter = Arc::clone(&counter);
        async move {
            while read_request(&mut stream).await {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                match &steps[n.min(steps.len() - 1)] {
                    Step::Reset => {
                        // A zero linger turns the close into a reset, as a crashed or overloaded peer sends.
                        let _ = stream.set_zero_linger();
                        return;
                    }
                    Step::Answer(status, headers, body) => {
                        let mut response = format!(
                            "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                            body.len()
                        );
                        for (name, value) in headers {
                            response.push_str(&format!("{name}: {value}\r\n"));
                        }
                        response.push_str("\r\n");
                        let mut bytes = response.into_bytes();
                        bytes.extend_from_slice(body);
                        if stream.write_all(&bytes).await.is_err() {
                            return;
                        }
                    }
                }
            }
        }
    })
    .await;
    (base_url, count)
}

/// Reads one request's head and its `Content-Length` body from `stream`, so that the client sees it
/// sent before the server misbehaves; false when the connection ended first.
pub async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + 4 + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

fn canned_response(status: u16, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status} Canned\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

async fn serve(mut stream: TcpStream, answer: Arc<Answer>, log: Option<Arc<Mutex<Vec<Recorded>>>>) {
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(end) = find(&buffer, b"\r\n\r\n") {
                break end;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_string();
        let path = request_line.next().unwrap_or_default().to_string();
        let mut headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        headers.sort();
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buffer.len() < body_start + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let response = match (&*answer, &log) {
            // The benches' path: nothing recorded, nothing copied.
            (Answer::Canned(bytes), None) => Arc::clone(bytes),
            _ => {
                let request = Recorded {
                    method,
                    path,
                    headers,
                    body: buffer[body_start..body_start + length].to_vec(),
                };
                let response: Arc<[u8]> = answer.to(&request).into();
                if let Some(log) = &log {
                    log.lock().unwrap().push(request);
                }
                response
            }
        };
        buffer.drain(..body_start + length);
        if stream.write_all(&response).await.is_err() {
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}
