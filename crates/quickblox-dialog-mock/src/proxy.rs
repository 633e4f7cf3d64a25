//! The proxy mode (`--proxy URL`): each request and its response checked against the spec, every mismatch reported on stderr and counted, and both relayed unchanged.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls_platform_verifier::BuilderVerifierExt;
use serde_json::Value;

use crate::app::{ApiError, read_body};
use crate::contract::{Found, Location, Operation, find, parse_query, pointer_segment};
use std::sync::Arc;

use crate::app::App;

/// The largest upstream response the proxy reads; it must hold the whole body to check it before relaying it.
const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// How many mismatch lines are kept for `MockServer::mismatches`; the count goes on past it.
const KEPT_LINES: usize = 10_000;

/// Headers of one connection rather than of the message (RFC 9110, 7.6.1), which a proxy does not pass on.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The upstream, the client that reaches it, and the mismatches seen so far.
pub(crate) struct Proxy {
    origin: String,
    prefix: String,
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    count: AtomicU64,
    lines: Mutex<Vec<String>>,
}

/// HTTP, or HTTPS with the operating system's trusted roots and rustls's safe defaults, as the client crate's
/// reqwest connects: a real API is reached over TLS, and a loopback test server over plain HTTP.
fn connector() -> Result<HttpsConnector<HttpConnector>, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|err| format!("--proxy: cannot set up TLS: {err}"))?
        .with_no_client_auth();
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build())
}

impl Proxy {
    pub(crate) fn new(url: &str) -> Result<Self, String> {
        let (origin, prefix) = crate::config::proxy_target(url).map_err(|err| format!("--proxy {url}: {err}"))?;
        Ok(Self {
            origin,
            prefix,
            client: Client::builder(TokioExecutor::new()).build(connector()?),
            count: AtomicU64::new(0),
            lines: Mutex::new(Vec::new()),
        })
    }

    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn report(&self, method: &str, path: &str, side: &str, pointer: &str, what: &str) {
        let line = format!("contract mismatch: {method} {path}: {side} {pointer}: {what}");
        eprintln!("{line}");
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut lines = self.lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if lines.len() < KEPT_LINES {
            lines.push(line);
        }
    }
}

/// Every request, in proxy mode.
pub(crate) async fn forward(State(app): State<Arc<App>>, request: Request) -> Response {
    let Some(proxy) = app.proxy.as_ref() else {
        return ApiError::not_found().into_response();
    };
    let (parts, body) = request.into_parts();
    // The same bounds as the mock's own: a body over the limit, or one that stalls, is answered by the proxy.
    let bytes = match read_body(&app, &parts.headers, body).await {
        Ok(bytes) => bytes,
        Err(err) => return err.into_response(),
    };
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let operation = match find(method, path) {
        Found::Operation(operation, path_params) => {
            for (pointer, what) in check_request(operation, &path_params, parts.uri.query(), &parts.headers, &bytes) {
                proxy.report(method, path, "request", &pointer, &what);
            }
            Some(operation)
        }
        Found::Method(methods) => {
            let what = format!(
                "{method} is not an operation of this path, which takes {}",
                methods.join(", ")
            );
            proxy.report(method, path, "request", "/method", &what);
            None
        }
        Found::Path => {
            proxy.report(method, path, "request", "/path", "matches no path of the spec");
            None
        }
    };

    let target = format!(
        "{}{}{}",
        proxy.origin,
        proxy.prefix,
        parts.uri.path_and_query().map_or(path, |whole| whole.as_str())
    );
    let mut upstream = hyper::Request::builder().method(parts.method.clone()).uri(&target);
    for (name, value) in relayed(&parts.headers) {
        // The upstream's own authority goes in Host (the client sets it from the URI), as reverse proxies do.
        if name != HOST {
            upstream = upstream.header(name, value);
        }
    }
    let upstream = match upstream.body(Full::new(bytes)) {
        Ok(upstream) => upstream,
        Err(err) => return bad_gateway(format!("building the request to {target}: {err}")),
    };
    let response = match proxy.client.request(upstream).await {
        Ok(response) => response,
        Err(err) => return bad_gateway(format!("{target}: {}", with_causes(&err))),
    };
    let (response_parts, body) = response.into_parts();
    let body = match Limited::new(body, MAX_RESPONSE_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) => return bad_gateway(format!("reading the answer of {target}: {err}")),
    };
    if let Some(operation) = operation {
        for (pointer, what) in check_response(operation, response_parts.status, &response_parts.headers, &body) {
            proxy.report(method, path, "response", &pointer, &what);
        }
    }
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = response_parts.status;
    *response.version_mut() = parts.version;
    for (name, value) in relayed(&response_parts.headers) {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response
}

/// The headers a proxy passes on: all but the hop-by-hop ones, and those that `Connection` names.
fn relayed(headers: &HeaderMap) -> impl Iterator<Item = (&HeaderName, &axum::http::HeaderValue)> {
    let named: Vec<String> = headers
        .get_all("connection")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    headers.iter().filter(move |(name, _)| {
        !HOP_BY_HOP.contains(&name.as_str()) && !named.iter().any(|named| named == name.as_str())
    })
}

/// An error with the chain of its causes, `a: b: c`: hyper-util's client says only "client error (Connect)", and
/// the reason (a refused connection, a certificate the system does not trust) is in its sources.
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The upstream could not be reached or read: 502, the proxy's own answer, said on stderr too.
fn bad_gateway(why: String) -> Response {
    eprintln!("proxy: upstream failed: {why}");
    ApiError::messages(StatusCode::BAD_GATEWAY, format!("Bad Gateway: {why}")).into_response()
}

fn pointer(place: &str, name: &str) -> String {
    format!("/{place}/{}", pointer_segment(name))
}

/// A body violation's pointer: `/body` and the place below it.
fn body_pointer(at: &str) -> String {
    if at.is_empty() {
        "/body".to_string()
    } else {
        format!("/body/{at}")
    }
}

fn is_json(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get(CONTENT_TYPE)?.to_str().unwrap_or_default();
    let media_type = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    Some(media_type == "application/json" || media_type.ends_with("+json"))
}

/// What in a request does not fit `operation`: its path parameters, query, header parameters and body.
pub(crate) fn check_request(
    operation: &Operation,
    path_params: &[(String, String)],
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in path_params {
        if let Some(param) = operation.param(name, Location::Path)
            && let Err(messages) = param.bind(value)
        {
            out.extend(messages.into_iter().map(|message| (pointer("path", name), message)));
        }
    }
    match parse_query(query.unwrap_or_default()) {
        Err((key, message)) => out.push((pointer("query", &key), message)),
        Ok(pairs) => {
            if let Err(errors) = operation.bind_query(&pairs) {
                for (key, messages) in errors {
                    out.extend(messages.into_iter().map(|message| (pointer("query", &key), message)));
                }
            }
        }
    }
    for param in operation
        .params
        .iter()
        .filter(|param| param.location == Location::Header)
    {
        let values: Vec<_> = headers.get_all(param.name.as_str()).iter().collect();
        match values.as_slice() {
            [] if param.required => out.push((pointer("header", &param.name), "is required".to_string())),
            [] => {}
            [value] => match value.to_str() {
                Ok(text) => {
                    if let Err(messages) = param.bind(text.trim()) {
                        out.extend(
                            messages
                                .into_iter()
                                .map(|message| (pointer("header", &param.name), message)),
                        );
                    }
                }
                Err(_) => out.push((pointer("header", &param.name), "is not visible ASCII".to_string())),
            },
            _ => out.push((pointer("header", &param.name), "is given more than once".to_string())),
        }
    }
    match &operation.body {
        None if !body.is_empty() => out.push((
            "/body".to_string(),
            "is sent, but the operation takes no body".to_string(),
        )),
        None => {}
        Some((true, _)) if body.is_empty() => out.push((
            "/body".to_string(),
            "is missing; the operation requires a JSON body".to_string(),
        )),
        Some((false, _)) if body.is_empty() => {}
        Some(_) => {
            if is_json(headers) == Some(false) {
                out.push((
                    "/header/content-type".to_string(),
                    "is not application/json, the only body the spec describes".to_string(),
                ));
            }
            match serde_json::from_slice::<Value>(body) {
                Err(err) => out.push(("/body".to_string(), format!("is not JSON: {err}"))),
                Ok(value) => out.extend(
                    operation
                        .body_violations(&value)
                        .into_iter()
                        .map(|(at, message)| (body_pointer(&at), message)),
                ),
            }
        }
    }
    out
}

/// What in a response does not fit `operation`: an undeclared status, or a body outside that status's schema.
pub(crate) fn check_response(
    operation: &Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Vec<(String, String)> {
    let Some(validator) = operation.response(status.as_u16()) else {
        let declared: Vec<&str> = operation.responses.iter().map(|(code, _)| code.as_str()).collect();
        return vec![(
            "/status".to_string(),
            format!(
                "{} is not declared for {}, which declares {}",
                status.as_u16(),
                operation.id,
                declared.join(", ")
            ),
        )];
    };
    let Some(validator) = validator else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if is_json(headers) != Some(true) {
        out.push((
            "/header/content-type".to_string(),
            format!(
                "is {}, where the spec declares application/json",
                headers
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("missing")
            ),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Err(err) => out.push(("/body".to_string(), format!("is not JSON: {err}"))),
        Ok(value) => out.extend(
            crate::contract::violations(validator, &value)
                .into_iter()
                .map(|(at, message)| (body_pointer(&at), message)),
        ),
    }
    out
}
