//! The client's constructors: base URL policy, credentials as sensitive default headers, options, and the hooks.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::limit::bounded;
use crate::retry::{self, RetryAfterTooLong, RetryPolicy};
use crate::{Client, Error};

/// The default of [`ClientOptions::timeout`]: the same as progenitor's own `Client::new`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The default of [`ClientOptions::max_response_bytes`]: 16 MiB, thousands of times the spec's largest
/// example answer (under 1 KiB) and still small enough that no answer can exhaust a process's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// How long a [`Client`] waits, how much it reads and what it retries; fill in with struct update syntax:
/// `ClientOptions { timeout: Duration::from_secs(30), ..ClientOptions::default() }`, or `ClientOptions::default().retries(0)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    /// The most a request may take, from connecting to the last byte of the response body
    /// (connecting alone is bounded by the same figure). Default [`DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    /// The largest response body the client reads; a longer one fails with [`ResponseTooLarge`]
    /// in its error's `source()` chain instead of being buffered. Default [`DEFAULT_MAX_RESPONSE_BYTES`].
    ///
    /// [`ResponseTooLarge`]: crate::ResponseTooLarge
    pub max_response_bytes: u64,
    /// Which failed requests are sent again, and how long the client waits between attempts.
    /// Default: up to two retries of reads, updates and deletes, and of any request that never left.
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientOptions {
    /// These options with at most `n` retries after a request's first attempt; `retries(0)` turns retrying off.
    pub fn retries(self, n: u32) -> Self {
        Self {
            retry: self.retry.retries(n),
            ..self
        }
    }
}

/// What a [`Client`] carries beside its base URL and HTTP client (progenitor's "inner" value):
/// the scheme and options its hooks enforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientSettings {
    scheme: AuthScheme,
    options: ClientOptions,
}

impl ClientSettings {
    /// The settings for a client made with the generated `Client::new` or `Client::new_with_client`,
    /// which check neither the base URL nor the redirect policy: prefer the `with_*` constructors.
    pub fn new(scheme: AuthScheme, options: ClientOptions) -> Self {
        Self { scheme, options }
    }

    /// The authentication scheme.
    pub fn scheme(&self) -> AuthScheme {
        self.scheme
    }

    /// The timeout and the response size bound.
    pub fn options(&self) -> ClientOptions {
        self.options
    }
}

/// Which of the API's two authentication schemes a [`Client`] uses; the secret itself is kept
/// only in the client's default headers, marked sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `QB-Token: <user session token>`.
    SessionToken,
    /// `Authorization: ApiKey <key>`, acting for the user named by `On-Behalf-Of` on each request.
    ApiKey,
}

/// Why a [`Client`] could not be built. No variant carries the credential.
#[derive(Debug)]
pub enum ClientError {
    /// The base URL does not parse.
    InvalidBaseUrl { url: String, reason: String },
    /// The base URL is not `https` and its host is not a loopback address.
    InsecureBaseUrl { url: String },
    /// The credential is empty or holds characters an HTTP header cannot carry.
    InvalidCredential { scheme: AuthScheme, reason: &'static str },
    /// An option is out of range (such as a zero timeout).
    InvalidOptions { reason: &'static str },
    /// reqwest could not build its HTTP client (such as no TLS backend).
    Http(reqwest::Error),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            Self::InsecureBaseUrl { url } => write!(
                f,
                "refusing base URL {url:?}: credentials go only over https, or plain http to a loopback address"
            ),
            Self::InvalidCredential { scheme, reason } => {
                let what = match scheme {
                    AuthScheme::SessionToken => "session token",
                    AuthScheme::ApiKey => "API key",
                };
                write!(f, "invalid {what}: {reason}")
            }
            Self::InvalidOptions { reason } => write!(f, "invalid client options: {reason}"),
            Self::Http(err) => write!(f, "building the HTTP client: {err}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Http(err) => Some(err),
            _ => None,
        }
    }
}

impl Client {
    /// A client that sends `QB-Token: <token>` with every request, with the default [`ClientOptions`].
    ///
    /// `base_url` is `https://api.quickblox.com` or the account's enterprise host; plain `http`
    /// is refused unless the host is a loopback address (a local mock server).
    pub fn with_session_token(base_url: &str, token: &str) -> Result<Self, ClientError> {
        Self::with_session_token_and_options(base_url, token, ClientOptions::default())
    }

    /// [`Client::with_session_token`] with a timeout and response size bound of your choosing.
    pub fn with_session_token_and_options(
        base_url: &str,
        token: &str,
        options: ClientOptions,
    ) -> Result<Self, ClientError> {
        let value = sensitive_value(AuthScheme::SessionToken, token, token)?;
        Self::with_credential(
            base_url,
            ClientSettings::new(AuthScheme::SessionToken, options),
            HeaderName::from_static("qb-token"),
            value,
        )
    }

    /// A client that sends `Authorization: ApiKey <key>` with every request, with the default
    /// [`ClientOptions`]; name the user each request acts for with `.on_behalf_of(user_id)`.
    ///
    /// The API key is fully privileged: use it only on servers. `base_url` as for
    /// [`Client::with_session_token`].
    pub fn with_api_key(base_url: &str, key: &str) -> Result<Self, ClientError> {
        Self::with_api_key_and_options(base_url, key, ClientOptions::default())
    }

    /// [`Client::with_api_key`] with a timeout and response size bound of your choosing.
    pub fn with_api_key_and_options(base_url: &str, key: &str, options: ClientOptions) -> Result<Self, ClientError> {
        let value = sensitive_value(AuthScheme::ApiKey, key, &format!("ApiKey {key}"))?;
        Self::with_credential(
            base_url,
            ClientSettings::new(AuthScheme::ApiKey, options),
            reqwest::header::AUTHORIZATION,
            value,
        )
    }

    /// [`Client::with_session_token_and_options`] on a `reqwest::ClientBuilder` of your own (a proxy, a shared
    /// resolver, your own root certificates, a user agent).
    ///
    /// The client's guarantees are applied over whatever the builder holds, last: the base URL is checked (https,
    /// or plain http to loopback), redirects are not followed, no `Referer` is sent, the timeouts are `options`'s,
    /// and the credential is a sensitive default header. A builder rather than a built `reqwest::Client`, because
    /// a built one cannot be inspected: its redirect policy and default headers could not be checked.
    pub fn with_session_token_and_builder(
        base_url: &str,
        token: &str,
        options: ClientOptions,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, ClientError> {
        let value = sensitive_value(AuthScheme::SessionToken, token, token)?;
        Self::with_credential_on(
            base_url,
            ClientSettings::new(AuthScheme::SessionToken, options),
            HeaderName::from_static("qb-token"),
            value,
            builder,
        )
    }

    /// [`Client::with_api_key_and_options`] on a `reqwest::ClientBuilder` of your own, with the same guarantees as
    /// [`Client::with_session_token_and_builder`].
    pub fn with_api_key_and_builder(
        base_url: &str,
        key: &str,
        options: ClientOptions,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, ClientError> {
        let value = sensitive_value(AuthScheme::ApiKey, key, &format!("ApiKey {key}"))?;
        Self::with_credential_on(
            base_url,
            ClientSettings::new(AuthScheme::ApiKey, options),
            reqwest::header::AUTHORIZATION,
            value,
            builder,
        )
    }

    /// The authentication scheme this client uses.
    pub fn auth_scheme(&self) -> AuthScheme {
        self.inner.scheme
    }

    /// The timeout and response size bound this client applies.
    pub fn options(&self) -> ClientOptions {
        self.inner.options
    }

    fn with_credential(
        base_url: &str,
        settings: ClientSettings,
        name: HeaderName,
        value: HeaderValue,
    ) -> Result<Self, ClientError> {
        Self::with_credential_on(base_url, settings, name, value, reqwest::Client::builder())
    }

    fn with_credential_on(
        base_url: &str,
        settings: ClientSettings,
        name: HeaderName,
        value: HeaderValue,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, ClientError> {
        let base_url = checked_base_url(base_url)?;
        let ClientOptions {
            timeout,
            max_response_bytes,
            retry: _,
        } = settings.options;
        if timeout.is_zero() {
            return Err(ClientError::InvalidOptions {
                reason: "the timeout must be longer than zero",
            });
        }
        if max_response_bytes == 0 {
            return Err(ClientError::InvalidOptions {
                reason: "the response size bound must be at least one byte",
            });
        }
        let mut headers = HeaderMap::new();
        headers.insert(name, value);
        // Every setting below is applied after the caller's, so that none of theirs can undo a guarantee;
        // reqwest merges default headers, so the caller's own stay and the credential replaces any of the same name.
        let http = builder
            .connect_timeout(timeout)
            .timeout(timeout)
            .default_headers(headers)
            // The credential is a default header, and reqwest strips only `Authorization` (not
            // `QB-Token`) when a redirect leaves the origin; a redirect could also lead from https
            // to plain http. No redirect is documented for any operation of the resource, so a 3xx is not
            // followed but reported (see the `post` hook), and no `Referer` is ever made up.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(ClientError::Http)?;
        Ok(Self::new_with_client(&base_url, http, settings))
    }
}

fn sensitive_value(scheme: AuthScheme, secret: &str, header: &str) -> Result<HeaderValue, ClientError> {
    if secret.trim().is_empty() {
        return Err(ClientError::InvalidCredential {
            scheme,
            reason: "it is empty",
        });
    }
    let mut value = HeaderValue::from_str(header).map_err(|_| ClientError::InvalidCredential {
        scheme,
        reason: "it holds characters that an HTTP header cannot carry",
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Accepts `https` anywhere and `http` only on loopback, and drops a trailing slash (the
/// generated code appends `/chat/Dialog.json` to the base URL as a string).
fn checked_base_url(base_url: &str) -> Result<String, ClientError> {
    let invalid = |reason: String| ClientError::InvalidBaseUrl {
        url: base_url.to_string(),
        reason,
    };
    let url = reqwest::Url::parse(base_url).map_err(|err| invalid(err.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment".to_string()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("a base URL carries no user name or password".to_string()));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(invalid("it has no host".to_string())),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(ClientError::InsecureBaseUrl {
                url: base_url.to_string(),
            })
        }
        other => return Err(invalid(format!("the scheme must be https, not {other}"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

impl ClientHooks<ClientSettings> for Client {
    /// Keeps the request to the documented headers, and refuses `On-Behalf-Of` where the API
    /// would ignore it.
    async fn pre<E>(&self, request: &mut reqwest::Request, _: &OperationInfo) -> Result<(), Error<E>> {
        // progenitor sends the spec's `info.version` as `api-version` on every request. QuickBlox
        // documents no such header and versions nothing by it, so it is not sent: the wire
        // carries only what the spec describes.
        request.headers_mut().remove("api-version");
        if let Some(query) = request.url().query().filter(|query| !query.is_empty()) {
            let query = crate::query::normalize(query);
            request.url_mut().set_query(Some(&query));
        }
        if self.inner.scheme == AuthScheme::SessionToken && request.headers().contains_key("on-behalf-of") {
            return Err(Error::InvalidRequest(
                "On-Behalf-Of goes with the API key scheme; a session-token client acts as its own user".to_string(),
            ));
        }
        Ok(())
    }

    /// Sends the request, again as the retry policy allows, and bounds the body of the response to
    /// `max_response_bytes` before the generated code reads it whole.
    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let response = retry::execute(&self.client, &self.inner.options.retry, request, info).await?;
        Ok(bounded(response, self.inner.options.max_response_bytes))
    }

    /// Reports a redirect, which the client does not follow, as an error naming where it pointed, and a
    /// `Retry-After` longer than the client waits as an error naming the wait.
    async fn post<E>(&self, result: &reqwest::Result<reqwest::Response>, _: &OperationInfo) -> Result<(), Error<E>> {
        match result {
            Ok(response) if response.status().is_redirection() => Err(Error::Custom(redirect_message(response))),
            Ok(response) => match response.extensions().get::<RetryAfterTooLong>() {
                Some(too_long) => Err(Error::Custom(too_long.message(response.status()))),
                None => Ok(()),
            },
            Err(_) => Ok(()),
        }
    }
}

/// "the server answered 307 Temporary Redirect to <Location>; ...", with the Location escaped
/// so that a hostile header cannot write control characters to whoever prints the error.
fn redirect_message(response: &reqwest::Response) -> String {
    let location = match response.headers().get(reqwest::header::LOCATION) {
        Some(value) => format!("to {}", String::from_utf8_lossy(value.as_bytes()).escape_debug()),
        None => "without a Location".to_string(),
    };
    format!(
        "the server answered {} {location}; not followed: the client sends credentials and bodies only to its base URL",
        response.status()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_accepted_and_normalized() {
        assert_eq!(
            checked_base_url("https://api.quickblox.com/").unwrap(),
            "https://api.quickblox.com"
        );
        assert_eq!(
            checked_base_url("https://apiexample.quickblox.com").unwrap(),
            "https://apiexample.quickblox.com"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:3000/",
            "http://localhost:1",
        ] {
            assert!(checked_base_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://api.quickblox.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
        ] {
            assert!(
                matches!(checked_base_url(refused), Err(ClientError::InsecureBaseUrl { .. })),
                "{refused}"
            );
        }
    }

    #[test]
    fn other_urls_are_refused_with_a_reason() {
        for bad in [
            "api.quickblox.com",
            "ftp://api.quickblox.com",
            "https://u:p@api.quickblox.com",
            "https://h/?a=1",
        ] {
            let err = checked_base_url(bad).unwrap_err();
            assert!(matches!(err, ClientError::InvalidBaseUrl { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn credentials_are_checked_without_being_echoed() {
        let err = Client::with_session_token("https://api.quickblox.com", "bad\ntoken-secret").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(Client::with_api_key("https://api.quickblox.com", "  ").is_err());
    }

    #[test]
    fn credentials_stay_out_of_debug_output() {
        let client = Client::with_api_key("https://api.quickblox.com", "key-secret-123").unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("key-secret-123"), "{debug}");
        assert!(
            debug.contains("Sensitive"),
            "the header is there, shown as sensitive: {debug}"
        );
        let client = Client::with_session_token("https://api.quickblox.com", "token-secret-456").unwrap();
        assert!(!format!("{client:?}").contains("token-secret-456"));
    }
}
