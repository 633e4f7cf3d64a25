//! The retry policy, and the `exec` hook's loop that applies it and traces every request and attempt.

use std::fmt;
use std::time::{Duration, Instant};

use progenitor_client::OperationInfo;
use reqwest::{Method, StatusCode};
use tracing::Instrument as _;

/// The default of [`RetryPolicy::max_retries`]: two, as Stainless's SDKs do, so that a blip costs
/// a second or so rather than a failed call, and a server that is down is not hammered.
pub const DEFAULT_RETRIES: u32 = 2;

/// The default of [`RetryPolicy::max_retry_after`]: the longest `Retry-After` the client waits out.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Which failed requests a [`Client`](crate::Client) sends again, and how long it waits between
/// attempts; the crate README says why each case is what it is.
///
/// Fill in with struct update syntax, or with the methods:
/// `RetryPolicy::default().retries(5)`, `RetryPolicy::none()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request may be sent again after its first attempt; 0 turns retrying off.
    /// Default [`DEFAULT_RETRIES`].
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each one after it, with jitter. Default 500 ms.
    pub initial_backoff: Duration,
    /// The longest wait between attempts that the backoff grows to. Default 8 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits out; a server asking for more fails the call at
    /// once with an error that says so. Default [`DEFAULT_MAX_RETRY_AFTER`].
    pub max_retry_after: Duration,
    /// Whether a create (`POST`) is sent again after its bytes may have reached the server, which
    /// can make a second dialog. Default `false`: only a create that never left is retried.
    pub retry_creates: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_RETRIES,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            retry_creates: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every request is sent once.
    pub fn none() -> Self {
        Self::default().retries(0)
    }

    /// This policy with at most `n` retries after the first attempt; `retries(0)` turns retrying off.
    pub fn retries(self, n: u32) -> Self {
        Self { max_retries: n, ..self }
    }

    /// This policy, with creates retried like updates (`true`) or only when they never left (`false`).
    pub fn retry_creates(self, retry: bool) -> Self {
        Self {
            retry_creates: retry,
            ..self
        }
    }

    /// The wait before retry number `retry` (1 for the first): `initial_backoff` doubled each
    /// time, capped at `max_backoff`, then a random part of its upper half taken away so that
    /// clients failed by one outage do not come back in step.
    fn backoff(&self, retry: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX));
        let full = doubled.min(self.max_backoff);
        full.mul_f64(1.0 - jitter() / 2.0)
    }
}

/// A number in [0, 1) that differs from call to call; std's per-process random hash keys, so that
/// jitter needs no random-number crate.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// What the `exec` hook leaves on a response whose `Retry-After` is longer than the policy
/// waits; the `post` hook turns it into the call's error.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RetryAfterTooLong {
    pub asked: Duration,
    pub cap: Duration,
}

impl RetryAfterTooLong {
    /// "the server is rate limiting (429 Too Many Requests) and asked to wait 3600 s, ...".
    pub(crate) fn message(&self, status: StatusCode) -> String {
        let why = match status {
            StatusCode::TOO_MANY_REQUESTS => "the server is rate limiting",
            StatusCode::SERVICE_UNAVAILABLE => "the server is unavailable",
            _ => "the server cannot answer now",
        };
        format!(
            "{why} ({status}) and asked to wait {} s (Retry-After), longer than the client waits ({} s); try again later",
            self.asked.as_secs(),
            self.cap.as_secs()
        )
    }
}

/// Why an attempt is or is not tried again.
enum Verdict {
    Done,
    Retry { wait: Duration, reason: Reason },
    TooLong(Duration),
}

/// What went wrong with an attempt worth retrying, for the trace.
#[derive(Clone, Copy)]
enum Reason {
    NeverSent,
    Connection,
    Status(StatusCode),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NeverSent => f.write_str("connection failed before the request was sent"),
            Self::Connection => f.write_str("connection failed after the request was sent"),
            Self::Status(status) => write!(f, "{}", status.as_u16()),
        }
    }
}

/// The statuses that say "this may work if you ask again": a timeout on the server's side (408),
/// rate limiting (429), and the 5xx a proxy or an overloaded server answers. Not 501, 505 and the
/// like, which will answer the same again, and not 409, which here means a conflict with the
/// dialog's state rather than a race.
fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// GET, PUT and DELETE leave the server as they found it however often they are sent (PUT sets
/// fields to values, DELETE of a deleted dialog is a no-op); POST creates a dialog each time.
fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// `Retry-After` in seconds or as an HTTP date (RFC 9110 section 10.2.3); `None` when absent or unreadable.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate is RFC 2822's shape with "GMT"; a date in the past means "now".
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX));
    let wait = date.timestamp_millis().saturating_sub(now);
    Some(Duration::from_millis(u64::try_from(wait).unwrap_or(0)))
}

/// Whether no byte of the request reached the server: the connection itself failed (refused,
/// unreachable, DNS, TLS handshake), so sending it again cannot do anything twice.
fn never_sent(err: &reqwest::Error) -> bool {
    err.is_connect()
}

fn verdict(policy: &RetryPolicy, method: &Method, result: &reqwest::Result<reqwest::Response>, retry: u32) -> Verdict {
    if policy.max_retries == 0 {
        return Verdict::Done;
    }
    let repeatable = idempotent(method) || policy.retry_creates;
    let (wait, reason) = match result {
        Err(err) if never_sent(err) => (None, Reason::NeverSent),
        // A timeout is not retried: the caller chose how long a call may take, and retrying would
        // multiply it.
        Err(err) if repeatable && !err.is_timeout() && err.is_request() => (None, Reason::Connection),
        Err(_) => return Verdict::Done,
        Ok(response) if repeatable && retryable_status(response.status()) => {
            let asked = retry_after(response);
            if let Some(asked) = asked.filter(|asked| *asked > policy.max_retry_after) {
                return Verdict::TooLong(asked);
            }
            (asked, Reason::Status(response.status()))
        }
        Ok(_) => return Verdict::Done,
    };
    if retry > policy.max_retries {
        return Verdict::Done;
    }
    Verdict::Retry {
        wait: wait.unwrap_or_else(|| policy.backoff(retry)),
        reason,
    }
}

/// The path template of an operation of the spec, for traces that must not carry ids or queries.
/// A test (`path_templates_match_the_spec`) fails when the spec gains an operation missing here.
pub(crate) fn path_template(operation_id: &str) -> &'static str {
    match operation_id {
        "create_dialog" | "list_dialogs" => "/chat/Dialog.json",
        "get_dialog" | "update_dialog" | "delete_dialogs" => "/chat/Dialog/{chat_dialog_id}.json",
        _ => "(unknown)",
    }
}

/// A short name for what failed, without the URL or anything else the error carries.
fn failure_kind(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connect"
    } else if err.is_request() {
        "connection"
    } else {
        "other"
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Sends `request`, and again as `policy` allows, inside one `tracing` span for the request and
/// one event per attempt. Traces carry the operation, method, path template, statuses, attempt
/// numbers and durations; never a header, a query or a body.
pub(crate) async fn execute(
    client: &reqwest::Client,
    policy: &RetryPolicy,
    request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    let method = request.method().clone();
    let span = tracing::debug_span!(
        "request",
        operation = info.operation_id,
        method = %method,
        path = path_template(info.operation_id),
    );
    attempts(client, policy, request, &method).instrument(span).await
}

async fn attempts(
    client: &reqwest::Client,
    policy: &RetryPolicy,
    request: reqwest::Request,
    method: &Method,
) -> reqwest::Result<reqwest::Response> {
    let started = Instant::now();
    let mut next = Some(request);
    let mut attempt = 1u32;
    loop {
        let Some(request) = next.take() else {
            unreachable!("each attempt is given the request it sends")
        };
        // A copy for the next attempt, made only while one may follow; a JSON body is bytes, so it copies.
        let copy = (attempt <= policy.max_retries).then(|| request.try_clone()).flatten();
        let sent = Instant::now();
        let mut result = client.execute(request).await;
        let took = millis(sent.elapsed());
        match &result {
            Ok(response) => tracing::debug!(
                attempt,
                status = response.status().as_u16(),
                duration_ms = took,
                "attempt"
            ),
            Err(err) => tracing::debug!(attempt, error = failure_kind(err), duration_ms = took, "attempt"),
        }
        match (verdict(policy, method, &result, attempt), copy) {
            (Verdict::Retry { wait, reason }, Some(copy)) => {
                tracing::info!(attempt, reason = %reason, wait_ms = millis(wait), "retrying");
                tokio::time::sleep(wait).await;
                next = Some(copy);
                attempt += 1;
            }
            (Verdict::TooLong(asked), _) => {
                tracing::warn!(
                    attempt,
                    retry_after_s = asked.as_secs(),
                    cap_s = policy.max_retry_after.as_secs(),
                    "not waiting: Retry-After is longer than the cap"
                );
                if let Ok(response) = &mut result {
                    response.extensions_mut().insert(RetryAfterTooLong {
                        asked,
                        cap: policy.max_retry_after,
                    });
                }
                return finished(result, attempt, started);
            }
            _ => return finished(result, attempt, started),
        }
    }
}

fn finished(
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
    started: Instant,
) -> reqwest::Result<reqwest::Response> {
    let took = millis(started.elapsed());
    match &result {
        Ok(response) => tracing::debug!(
            attempts,
            status = response.status().as_u16(),
            duration_ms = took,
            "done"
        ),
        Err(err) => tracing::debug!(attempts, error = failure_kind(err), duration_ms = took, "failed"),
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy::default();
        for (retry, full) in [(1, 500), (2, 1000), (3, 2000), (5, 8000), (40, 8000)] {
            let wait = policy.backoff(retry).as_millis();
            assert!(
                wait > full / 2 && wait <= full,
                "retry {retry}: {wait} ms, full {full} ms"
            );
        }
    }

    #[test]
    fn jitter_varies() {
        let draws: std::collections::BTreeSet<u64> = (0..20).map(|_| (jitter() * 1e9) as u64).collect();
        assert!(draws.len() > 10, "{draws:?}");
        assert!(draws.iter().all(|&draw| draw < 1_000_000_000));
    }

    #[test]
    fn path_templates_match_the_spec() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/dialog.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let mut seen = 0;
        for (template, item) in spec["paths"].as_object().unwrap() {
            for operation in item.as_object().unwrap().values() {
                if let Some(id) = operation.get("operationId").and_then(|id| id.as_str()) {
                    assert_eq!(path_template(id), template, "operation {id}");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 5, "the spec's operations were found: {seen}");
    }

    #[test]
    fn the_long_wait_message_says_who_asked_for_what() {
        let too_long = RetryAfterTooLong {
            asked: Duration::from_secs(3600),
            cap: DEFAULT_MAX_RETRY_AFTER,
        };
        assert_eq!(
            too_long.message(StatusCode::TOO_MANY_REQUESTS),
            "the server is rate limiting (429 Too Many Requests) and asked to wait 3600 s (Retry-After), \
             longer than the client waits (60 s); try again later"
        );
    }
}
