//! What every operation shares (authentication, rate limiting, body reading, validation, the error shapes) and the `POST /chat/Dialog.json` handler with create's rules.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, DATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use jsonschema::error::ValidationErrorKind;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::contract::{Operation, percent_decode};
use crate::schema::schemas;
use crate::store::{Clock, Dialog, GROUP, ObjectId, PRIVATE, PUBLIC_GROUP, RateLimiter, Store};

/// Everything a request handler needs, shared by all of them.
pub(crate) struct App {
    config: Config,
    tokens: HashMap<String, i64>,
    api_keys: BTreeSet<String>,
    pub(crate) users: Option<BTreeSet<i64>>,
    limiter: Option<RateLimiter>,
    pub(crate) clock: Clock,
    pub(crate) store: Store,
    /// In proxy mode, the upstream and the mismatches seen; the store then stays empty.
    pub(crate) proxy: Option<crate::proxy::Proxy>,
}

impl App {
    pub(crate) fn new(config: Config) -> Result<Self, String> {
        let tokens: HashMap<String, i64> = config.tokens.iter().cloned().collect();
        // The users that own a token exist, whatever the directory says.
        let users = config.users.clone().map(|mut users| {
            users.extend(tokens.values());
            users
        });
        Ok(Self {
            api_keys: config.api_keys.iter().cloned().collect(),
            limiter: config.rate_limit.map(|rate| RateLimiter::new(rate.get())),
            store: Store::new(config.max_dialogs, config.seed)?,
            clock: Clock::new(config.seed),
            proxy: config.proxy.as_deref().map(crate::proxy::Proxy::new).transpose()?,
            tokens,
            users,
            config,
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// On the logical clock (`--seed`), dates the response by it, so that whole answers repeat byte for byte; hyper
    /// adds the real `Date` only where none is set.
    pub(crate) fn stamp(&self, mut response: Response, now: i64) -> Response {
        if self.clock.is_logical() {
            let date = chrono::DateTime::from_timestamp(now, 0)
                .unwrap_or_default()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            if let Ok(date) = HeaderValue::from_str(&date) {
                response.headers_mut().insert(DATE, date);
            }
        }
        response
    }
}

/// An error response in one of the spec's two shapes.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum ErrorBody {
    /// `{"errors": ["..."]}`.
    Messages { errors: Vec<String> },
    /// `{"errors": {"<field or base>": ["..."]}}`.
    Fields { errors: BTreeMap<String, Vec<String>> },
}

impl ApiError {
    pub(crate) fn messages(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody::Messages {
                errors: vec![message.into()],
            },
        }
    }

    pub(crate) fn field(status: StatusCode, field: &str, message: impl Into<String>) -> Self {
        Self::fields(status, BTreeMap::from([(field.to_string(), vec![message.into()])]))
    }

    pub(crate) fn fields(status: StatusCode, errors: BTreeMap<String, Vec<String>>) -> Self {
        Self {
            status,
            body: ErrorBody::Fields { errors },
        }
    }

    pub(crate) fn unprocessable(field: &str, message: impl Into<String>) -> Self {
        Self::field(StatusCode::UNPROCESSABLE_ENTITY, field, message)
    }

    pub(crate) fn not_found() -> Self {
        Self::messages(StatusCode::NOT_FOUND, "Not found")
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::messages(StatusCode::FORBIDDEN, message)
    }

    /// The same refusal with a status `operation` declares: where it has no 422, a refusal of the acting user
    /// (keyed `base`, such as `Forbidden. Need user.`) is 403, and one of a parameter is 400, both documented for
    /// every operation.
    pub(crate) fn for_operation(mut self, operation: &Operation) -> Self {
        if self.status == StatusCode::UNPROCESSABLE_ENTITY && !operation.declares(422) {
            let about_the_user = matches!(&self.body, ErrorBody::Fields { errors } if errors.contains_key("base"));
            self.status = if about_the_user {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::BAD_REQUEST
            };
        }
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            Bytes::from(serde_json::to_vec(&self.body).unwrap_or_default()),
        )
    }
}

pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `POST /chat/Dialog.json`.
pub(crate) async fn create_dialog(State(app): State<Arc<App>>, request: Request) -> Response {
    let now = app.clock.tick();
    let response = match create(&app, now, request).await {
        Ok(body) => json_response(StatusCode::CREATED, body),
        Err(err) => err.into_response(),
    };
    app.stamp(response, now)
}

/// Any other path: 404 in the documented error shape.
pub(crate) async fn not_found(State(app): State<Arc<App>>) -> Response {
    let now = app.clock.tick();
    app.stamp(ApiError::not_found().into_response(), now)
}

/// Another method on `/chat/Dialog.json`: 405 with `Allow`, and an error body like every other error (which HTTP
/// drops from the answer to a `HEAD`).
pub(crate) async fn method_not_allowed(State(app): State<Arc<App>>) -> Response {
    let now = app.clock.tick();
    app.stamp(not_allowed(crate::PATH, "GET, POST"), now)
}

/// 405 for `path`, which takes `allow`.
pub(crate) fn not_allowed(path: &str, allow: &'static str) -> Response {
    let mut response = ApiError::messages(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method Not Allowed: {path} takes {allow}"),
    )
    .into_response();
    response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
    response
}

/// The most header bytes (names, values and their separators) and fields a request may carry. Beyond these the
/// mock answers 431 itself; hyper's own limits, higher, are a last resort (see `lib.rs`).
pub(crate) const MAX_HEADER_BYTES: usize = 64 * 1024;
pub(crate) const MAX_HEADER_FIELDS: usize = 100;

fn check_header_size(headers: &HeaderMap) -> Result<(), ApiError> {
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if bytes > MAX_HEADER_BYTES || headers.len() > MAX_HEADER_FIELDS {
        return Err(ApiError::messages(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "Request Header Fields Too Large: {} fields in {bytes} bytes, over the limit of \
                 {MAX_HEADER_FIELDS} fields or {MAX_HEADER_BYTES} bytes",
                headers.len()
            ),
        ));
    }
    Ok(())
}

async fn create(app: &App, now: i64, request: Request) -> Result<Bytes, ApiError> {
    let (parts, body) = request.into_parts();
    let user = authorize(app, &parts.headers)?;
    let kind = body_kind(&parts.headers)?;
    let bytes = read_body(app, &parts.headers, body).await?;
    let fields = match kind {
        BodyKind::Json => serde_json::from_slice::<Value>(&bytes)
            .map_err(|err| ApiError::messages(StatusCode::BAD_REQUEST, format!("Malformed request body: {err}")))?,
        BodyKind::Form => form_to_json(&bytes)?,
    };
    validate(&schemas().create_dialog_request, &fields, request_fields())?;
    let request = CreateRequest::read(&fields)?;
    let dialog = apply_rules(app, user, request)?;
    let private_pair = (dialog.type_ == PRIVATE).then(|| {
        (
            user,
            dialog
                .occupants_ids
                .iter()
                .copied()
                .find(|&id| id != user)
                .unwrap_or(user),
        )
    });
    Ok(app
        .store
        .create(now, user, private_pair, |id| dialog.into_stored(id, now, &app.config))
        .to_bytes())
}

/// What every operation checks first, in this order: the size of the headers, the credentials (401), the rate
/// limit (429), and the acting user; returns that user.
pub(crate) fn authorize(app: &App, headers: &HeaderMap) -> Result<i64, ApiError> {
    check_header_size(headers)?;
    let (credential, scheme) = authenticate(app, headers)?;
    if app.limiter.as_ref().is_some_and(|limiter| !limiter.allow(credential)) {
        return Err(ApiError::messages(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"));
    }
    let on_behalf_of = on_behalf_of(headers)?;
    match scheme {
        // A session token acts as its own user; a well-formed `On-Behalf-Of` next to it is ignored.
        Scheme::User(user) => Ok(user),
        Scheme::ApiKey => acting_user(app, on_behalf_of),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication.
// ---------------------------------------------------------------------------------------------------------------

enum Scheme {
    /// A session token, which belongs to this user.
    User(i64),
    /// An API key, which acts for the user named by `On-Behalf-Of`.
    ApiKey,
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::messages(StatusCode::UNAUTHORIZED, message)
}

/// The one header value of `name`, or an error when it comes more than once or is not visible ASCII.
fn single_header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ()> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(());
    }
    value.to_str().map(|text| Some(text.trim())).map_err(|_| ())
}

/// Checks that exactly one scheme is used and that its credential is known; returns the credential (to rate-limit
/// by) and what it authenticates.
fn authenticate<'a>(app: &'a App, headers: &HeaderMap) -> Result<(&'a str, Scheme), ApiError> {
    let token = single_header(headers, "qb-token").map_err(|()| unauthorized("Unauthorized: QB-Token is malformed"))?;
    let authorization = single_header(headers, "authorization")
        .map_err(|()| unauthorized("Unauthorized: Authorization must be `ApiKey <key>`"))?;
    match (token, authorization) {
        (Some(_), Some(_)) => Err(unauthorized("Unauthorized: send QB-Token or Authorization, not both")),
        (None, None) => Err(unauthorized(
            "Unauthorized: send a session token in QB-Token or an API key in Authorization",
        )),
        (Some(token), None) => {
            if token.is_empty() {
                return Err(unauthorized("Unauthorized: QB-Token is malformed"));
            }
            match app.tokens.get_key_value(token) {
                Some((token, &user)) => Ok((token.as_str(), Scheme::User(user))),
                // The real API's answer to an unknown or expired session token.
                None => Err(ApiError::field(
                    StatusCode::UNAUTHORIZED,
                    "base",
                    "Required session does not exist",
                )),
            }
        }
        (None, Some(authorization)) => {
            let key = authorization
                .split_once(' ')
                .filter(|(scheme, key)| scheme.eq_ignore_ascii_case("apikey") && !key.trim().is_empty())
                .map(|(_, key)| key.trim())
                .ok_or_else(|| unauthorized("Unauthorized: Authorization must be `ApiKey <key>`"))?;
            match app.api_keys.get(key) {
                Some(key) => Ok((key.as_str(), Scheme::ApiKey)),
                None => Err(unauthorized("Unauthorized: unknown API key")),
            }
        }
    }
}

/// `On-Behalf-Of` as the spec's `int64` header parameter: checked whichever scheme is used, since a malformed
/// parameter is a malformed request.
fn on_behalf_of(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let malformed = || ApiError::unprocessable("On-Behalf-Of", "must be an integer user id");
    match single_header(headers, "on-behalf-of").map_err(|()| malformed())? {
        None => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| malformed()),
    }
}

/// The user an API-key request acts for, from `On-Behalf-Of`.
fn acting_user(app: &App, on_behalf_of: Option<i64>) -> Result<i64, ApiError> {
    let Some(user) = on_behalf_of else {
        // What the real API says when an application-level credential tries to act without a user.
        return Err(ApiError::unprocessable("base", "Forbidden. Need user."));
    };
    if user <= 0 {
        return Err(ApiError::unprocessable("On-Behalf-Of", "must be a positive user id"));
    }
    if app.users.as_ref().is_some_and(|users| !users.contains(&user)) {
        return Err(ApiError::unprocessable(
            "On-Behalf-Of",
            "User with this ID does not exist.",
        ));
    }
    Ok(user)
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the body.
// ---------------------------------------------------------------------------------------------------------------

pub(crate) enum BodyKind {
    Json,
    Form,
}

pub(crate) fn body_kind(headers: &HeaderMap) -> Result<BodyKind, ApiError> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        // curl and many scripts send JSON without saying so; JSON is what the spec describes.
        return Ok(BodyKind::Json);
    };
    let media_type = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "application/x-www-form-urlencoded" => Ok(BodyKind::Form),
        _ => Err(ApiError::messages(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Content-Type: send application/json or application/x-www-form-urlencoded",
        )),
    }
}

/// The most of an oversized body the server reads and drops before answering 413 (see `read_body`).
const DRAIN_BYTES: u64 = 8 * 1024 * 1024;

/// Reads `body` to its end (at most its declared length, which `read_body` checked against `DRAIN_BYTES`), keeping nothing.
async fn drain(mut body: Body) {
    while let Some(Ok(_)) = body.frame().await {}
}

/// Reads a request body within the configured `--max-body-bytes` and `--read-timeout`, as every operation and the
/// proxy must.
pub(crate) async fn read_body(app: &App, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let (limit, timeout) = (app.config.max_body_bytes, app.config.read_timeout);
    let too_large = || {
        ApiError::messages(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body is larger than {limit} bytes"),
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if let Some(length) = declared.filter(|&length| length > limit as u64) {
        // Answering at once and closing while the client is still writing makes its next write fail, and a client
        // that has not read yet sees a broken pipe or a reset instead of the 413. Reading (and dropping) up to
        // DRAIN_BYTES within the read timeout first lets an ordinary oversized body arrive whole, so the 413 is read;
        // a body larger still is cut off as before, so the cost to the server stays bounded.
        if length <= DRAIN_BYTES {
            let _ = tokio::time::timeout(timeout, drain(body)).await;
        }
        return Err(too_large());
    }
    // A body shorter than its Content-Length (or a chunked one that stops) would otherwise hold the request open
    // for as long as the client keeps the connection.
    let collected = tokio::time::timeout(timeout, Limited::new(body, limit).collect())
        .await
        .map_err(|_| {
            ApiError::messages(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "Request Timeout: the body did not arrive within {} s",
                    timeout.as_secs_f64()
                ),
            )
        })?;
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(err) => Err(ApiError::messages(
            StatusCode::BAD_REQUEST,
            format!("Malformed request body: reading it failed: {err}"),
        )),
    }
}

/// One form field name, as the API's form reading understands it.
enum FormKey<'a> {
    /// `name=value`: one value.
    Scalar(&'a str),
    /// `name[]=value`, repeated: a list.
    List(&'a str),
    /// `data[field]=value`: a custom field.
    Data(&'a str),
}

/// Reads a field name: `name`, `name[]` or `data[field]`, where neither name holds a bracket. Anything else would
/// be read differently by the API's own form parser (Rack nests `data[a][b]`), so it is refused, not guessed at.
fn form_key(key: &str) -> Result<FormKey<'_>, &'static str> {
    let plain = |name: &str| !name.is_empty() && !name.contains(['[', ']']);
    let Some(open) = key.find('[') else {
        return if key.contains(']') {
            Err("is not a form field name: a ] without a [")
        } else {
            Ok(FormKey::Scalar(key))
        };
    };
    let (name, rest) = key.split_at(open);
    if !plain(name) {
        return Err("is not a form field name: it starts with a bracket");
    }
    match (name, rest) {
        ("data", rest) => match rest.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            Some(field) if plain(field) => Ok(FormKey::Data(field)),
            Some("") => Err("is not read by the API: data takes named fields, data[key]=value"),
            _ if rest.matches('[').count() > 1 => Err("is nested deeper than data[key], which the API does not read"),
            _ => Err("is not a form field name: brackets must close at the end, as in data[key]"),
        },
        (_, "[]") => Ok(FormKey::List(name)),
        _ if rest.starts_with("[]") || rest.matches('[').count() > 1 => {
            Err("is nested deeper than a list, which the API does not read")
        }
        _ => Err("is not read by the API: only data takes named fields in brackets"),
    }
}

/// The form fields as the JSON body they stand for: `data[key]` fields go into `data`, `key[]` fields make a list,
/// integer fields become numbers and a comma-joined `admin_ids` becomes a list, as the real API reads them.
///
/// What the API would read differently, or not at all, is refused with the field named: an encoding error is 400
/// (the body is malformed), a field name beyond `data[key]` or a field given twice is 422 (the body is well formed but
/// would not mean what it says), never a 201 with different data.
fn form_to_json(bytes: &[u8]) -> Result<Value, ApiError> {
    let mut object = Map::new();
    let mut data = Map::new();
    let mut scalars = BTreeSet::new();
    for pair in bytes.split(|&byte| byte == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (raw_key, raw_value) = match pair.iter().position(|&byte| byte == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let key = percent_decode(raw_key, true)
            .map_err(|message| ApiError::field(StatusCode::BAD_REQUEST, &String::from_utf8_lossy(raw_key), message))?;
        let value = percent_decode(raw_value, true)
            .map_err(|message| ApiError::field(StatusCode::BAD_REQUEST, &key, format!("its value {message}")))?;
        if key.is_empty() {
            return Err(ApiError::unprocessable("base", "a form field has no name"));
        }
        let repeated = || ApiError::unprocessable(&key, "is given more than once; send key[]=... for a list");
        match form_key(&key).map_err(|message| ApiError::unprocessable(&key, message))? {
            FormKey::Data(field) => {
                if data.insert(field.to_string(), Value::String(value)).is_some() {
                    return Err(repeated());
                }
            }
            FormKey::List(name) => {
                if scalars.contains(name) {
                    return Err(ApiError::unprocessable(
                        name,
                        format!("is given both as {name} and {name}[]"),
                    ));
                }
                let entry = object
                    .entry(name.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    items.push(integer_or_string(value));
                }
            }
            FormKey::Scalar(name) => {
                if !scalars.insert(name.to_string()) {
                    return Err(repeated());
                }
                if object.contains_key(name) {
                    return Err(ApiError::unprocessable(
                        name,
                        format!("is given both as {name} and {name}[]"),
                    ));
                }
                let value = match name {
                    "type" | "is_join_required" => integer_or_string(value),
                    "admin_ids" if !value.is_empty() => {
                        let ids: Option<Vec<Value>> = value
                            .split(',')
                            .map(|id| id.trim().parse::<i64>().ok().map(Value::from))
                            .collect();
                        ids.map(Value::Array).unwrap_or(Value::String(value))
                    }
                    _ => Value::String(value),
                };
                object.insert(name.to_string(), value);
            }
        }
    }
    if !data.is_empty() {
        if object.contains_key("data") {
            return Err(ApiError::unprocessable("data", "is given both as data and data[key]"));
        }
        object.insert("data".to_string(), Value::Object(data));
    }
    Ok(Value::Object(object))
}

fn integer_or_string(value: String) -> Value {
    value.parse::<i64>().map(Value::from).unwrap_or(Value::String(value))
}

// ---------------------------------------------------------------------------------------------------------------
// Validation against the spec's schema, and the rules it cannot express.
// ---------------------------------------------------------------------------------------------------------------

/// Checks a body against its schema in the spec (`CreateDialogRequest`, `UpdateDialogRequest`): 422 with each
/// message keyed by the top-level field it is about, or `base` for the body as a whole; an unknown field is named
/// with `known`, the fields the request has.
pub(crate) fn validate(validator: &jsonschema::Validator, fields: &Value, known: &str) -> Result<(), ApiError> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for error in validator.iter_errors(fields) {
        let path = error.instance_path();
        if let (None, ValidationErrorKind::AdditionalProperties { unexpected }) = (path.iter().next(), error.kind()) {
            // Name each unknown field, so that a misspelt one (`occupant_ids`) is found at once.
            for key in unexpected {
                errors
                    .entry(key.clone())
                    .or_default()
                    .push(format!("is not a field of this request; the fields are {known}"));
            }
            continue;
        }
        let field = match (path.iter().next(), error.kind()) {
            (Some(segment), _) => segment.to_string(),
            (None, ValidationErrorKind::Required { property }) => property.as_str().unwrap_or("base").to_string(),
            (None, _) => "base".to_string(),
        };
        let message = message(error.kind(), &path.to_string());
        let messages = errors.entry(field).or_default();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, errors))
    }
}

/// The fields `CreateDialogRequest` has, sorted, for the message about an unknown one.
fn request_fields() -> &'static str {
    static FIELDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| schema_fields("CreateDialogRequest"));
    &FIELDS
}

/// The property names of the component schema `name`, sorted and joined by commas.
pub(crate) fn schema_fields(name: &str) -> String {
    crate::schema::spec()
        .pointer(&format!("/components/schemas/{name}/properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

/// A short message about one violation that does not repeat the offending value (which may be large).
fn message(kind: &ValidationErrorKind, path: &str) -> String {
    let at = path
        .split_once('/')
        .map(|(_, rest)| {
            rest.split_once('/')
                .map(|(_, inner)| format!(" (at {inner})"))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let text = match kind {
        ValidationErrorKind::Required { property } => format!("{} is required", property.as_str().unwrap_or("a field")),
        ValidationErrorKind::Type { kind } => format!("must be of type {}", type_name(kind)),
        ValidationErrorKind::Enum { options } => format!("must be one of {options}"),
        ValidationErrorKind::MaxLength { limit } => format!("is too long (maximum is {limit} characters)"),
        ValidationErrorKind::MinLength { limit } => format!("is too short (minimum is {limit} characters)"),
        ValidationErrorKind::Pattern { pattern } => format!("must match {pattern}"),
        ValidationErrorKind::Minimum { limit } => format!("must be at least {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("must be at most {limit}"),
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            "must be a list of user ids or user ids joined by commas".to_string()
        }
        other => format!("is invalid ({})", kind_name(other)),
    };
    format!("{text}{at}")
}

fn type_name(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(single) => single.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => format!("{set:?}"),
    }
}

fn kind_name(kind: &ValidationErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug.split([' ', '{', '(']).next().unwrap_or_default().to_string()
}

/// The fields of a request that passed the schema.
struct CreateRequest {
    type_: i64,
    name: Option<String>,
    photo: Option<String>,
    occupants_ids: Vec<i64>,
    data: Option<Map<String, Value>>,
    is_join_required: Option<i64>,
    admin_ids: Vec<i64>,
}

/// An integer the schema accepted; JSON Schema also calls `2.0` an integer.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|float| float.fract() == 0.0 && float.abs() < 9.0e15)
            .map(|float| float as i64)
    })
}

fn integers(field: &str, value: &Value) -> Result<Vec<i64>, ApiError> {
    let invalid = || ApiError::unprocessable(field, "Incorrect occupant_id");
    match value {
        Value::Array(items) => items.iter().map(|item| integer(item).ok_or_else(invalid)).collect(),
        // The JavaScript SDK joins with ", ", and the pattern allows spaces around each comma.
        Value::String(joined) => joined
            .split(',')
            .map(|id| id.trim_matches(' ').parse().map_err(|_| invalid()))
            .collect(),
        _ => Err(invalid()),
    }
}

impl CreateRequest {
    /// Reads a body the schema accepted; anything the schema let through that still does not fit is a 422, never a
    /// panic.
    fn read(fields: &Value) -> Result<Self, ApiError> {
        let get = |name: &str| fields.get(name).filter(|value| !value.is_null());
        let type_ = get("type")
            .and_then(integer)
            .ok_or_else(|| ApiError::unprocessable("type", "must be 1, 2 or 3"))?;
        let string = |name: &str| get(name).and_then(Value::as_str).map(str::to_string);
        Ok(Self {
            type_,
            name: string("name"),
            photo: string("photo"),
            occupants_ids: get("occupants_ids")
                .map(|value| integers("occupants_ids", value))
                .transpose()?
                .unwrap_or_default(),
            data: get("data").and_then(Value::as_object).cloned(),
            is_join_required: get("is_join_required").and_then(integer),
            admin_ids: get("admin_ids")
                .map(|value| integers("admin_ids", value))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// The rules of `api-facts.md` that the schema cannot express, and the dialog they lead to.
fn apply_rules(app: &App, user: i64, request: CreateRequest) -> Result<NewDialog, ApiError> {
    let mut opponents: Vec<i64> = Vec::new();
    if request.type_ != PUBLIC_GROUP {
        for &id in &request.occupants_ids {
            // A user must not list themselves: the server adds the creator.
            if id <= 0 || id == user {
                return Err(ApiError::unprocessable("occupants_ids", "Incorrect occupant_id"));
            }
            if !opponents.contains(&id) {
                opponents.push(id);
            }
        }
    }
    if request.type_ == PRIVATE {
        match opponents.len() {
            0 => {
                return Err(ApiError::unprocessable(
                    "occupants_ids",
                    "A private dialog needs one opponent.",
                ));
            }
            1 => {}
            _ => {
                return Err(ApiError::unprocessable(
                    "base",
                    "Too many occupants for Private Dialog.",
                ));
            }
        }
    }
    let known = |id: &i64| app.users.as_ref().is_none_or(|users| users.contains(id));
    if !opponents.iter().all(known) {
        return Err(ApiError::unprocessable(
            "occupants_ids",
            "Occupants with these IDs do not exist.",
        ));
    }
    let mut occupants_ids = opponents.clone();
    if request.type_ != PUBLIC_GROUP {
        occupants_ids.push(user);
        occupants_ids.sort_unstable();
    }
    let name = match request.type_ {
        // The real API names a private dialog after the opponent; the mock knows no names, only the id.
        PRIVATE => opponents.first().map(i64::to_string).unwrap_or_default(),
        _ => request.name.unwrap_or_default(),
    };
    Ok(NewDialog {
        type_: request.type_,
        user_id: user,
        name,
        photo: request.photo,
        occupants_ids,
        admin_ids: if request.type_ == PRIVATE {
            Vec::new()
        } else {
            request.admin_ids
        },
        is_join_required: (request.type_ == GROUP).then(|| request.is_join_required.unwrap_or(0)),
        data: request.data,
    })
}

/// A dialog about to be stored, before it has an id.
struct NewDialog {
    type_: i64,
    user_id: i64,
    name: String,
    photo: Option<String>,
    occupants_ids: Vec<i64>,
    admin_ids: Vec<i64>,
    is_join_required: Option<i64>,
    data: Option<Map<String, Value>>,
}

impl NewDialog {
    /// The dialog as it is stored, with its id, taken at `now`.
    fn into_stored(self, id: ObjectId, now: i64, config: &Config) -> Dialog {
        Dialog {
            id,
            created_at: now,
            updated_at: now,
            type_: self.type_,
            user_id: self.user_id,
            name: self.name,
            occupants_ids: self.occupants_ids,
            photo: self.photo,
            xmpp_room_jid: (self.type_ != PRIVATE).then(|| format!("{}_{id}@muc.{}", config.app_id, config.chat_host)),
            last_message: None,
            last_message_id: None,
            last_message_date_sent: None,
            last_message_user_id: None,
            unread_messages_count: None,
            admin_ids: self.admin_ids,
            is_join_required: self.is_join_required,
            silent_ids: Vec::new(),
            data: self.data,
            removed_by: BTreeSet::new(),
            private_pair: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::timestamp;
    use serde_json::json;

    #[test]
    fn form_fields_become_the_json_body() {
        let body = form_to_json(
            b"type=2&name=New+Year&occupants_ids=1,2&data[class_name]=ScoreTable&data[progress]=56&admin_ids=1,2&is_join_required=1",
        )
        .unwrap();
        assert_eq!(
            body,
            json!({
                "type": 2, "name": "New Year", "occupants_ids": "1,2", "admin_ids": [1, 2], "is_join_required": 1,
                "data": {"class_name": "ScoreTable", "progress": "56"},
            })
        );
        assert_eq!(
            form_to_json(b"type=x&occupants_ids[]=1&occupants_ids[]=2&admin_ids=a").unwrap(),
            json!({"type": "x", "occupants_ids": [1, 2], "admin_ids": "a"})
        );
        // Percent-encoded brackets (what jQuery sends), a space as + or %20, empty pairs, a name without a value.
        assert_eq!(
            form_to_json(b"data%5Bclass_name%5D=C&&occupants_ids=1002%2C+1003&name=a%20b&photo").unwrap(),
            json!({"data": {"class_name": "C"}, "occupants_ids": "1002, 1003", "name": "a b", "photo": ""})
        );
    }

    /// The status and the one field-keyed error of `body`'s refusal.
    fn refusal(body: &[u8]) -> (u16, String, String) {
        let err = form_to_json(body).unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (field, messages) = errors.into_iter().next().unwrap();
        (err.status.as_u16(), field, messages.join("; "))
    }

    #[test]
    fn form_fields_the_api_would_read_differently_are_refused_by_name() {
        for (body, status, field, message) in [
            (
                &b"data[a][b]=1"[..],
                422,
                "data[a][b]",
                "is nested deeper than data[key], which the API does not read",
            ),
            (
                b"data[]=1",
                422,
                "data[]",
                "is not read by the API: data takes named fields, data[key]=value",
            ),
            (
                b"data[a]b=1",
                422,
                "data[a]b",
                "is not a form field name: brackets must close at the end, as in data[key]",
            ),
            (
                b"name[x]=1",
                422,
                "name[x]",
                "is not read by the API: only data takes named fields in brackets",
            ),
            (
                b"occupants_ids[][]=1",
                422,
                "occupants_ids[][]",
                "is nested deeper than a list, which the API does not read",
            ),
            (
                b"[x]=1",
                422,
                "[x]",
                "is not a form field name: it starts with a bracket",
            ),
            (b"a]=1", 422, "a]", "is not a form field name: a ] without a ["),
            (
                b"occupants_ids=1&occupants_ids=2",
                422,
                "occupants_ids",
                "is given more than once; send key[]=... for a list",
            ),
            (
                b"type=1&type=2",
                422,
                "type",
                "is given more than once; send key[]=... for a list",
            ),
            (
                b"data[x]=1&data[x]=2",
                422,
                "data[x]",
                "is given more than once; send key[]=... for a list",
            ),
            (
                b"occupants_ids=1&occupants_ids[]=2",
                422,
                "occupants_ids",
                "is given both as occupants_ids and occupants_ids[]",
            ),
            (
                b"occupants_ids[]=1&occupants_ids=2",
                422,
                "occupants_ids",
                "is given both as occupants_ids and occupants_ids[]",
            ),
            (b"data=x&data[k]=1", 422, "data", "is given both as data and data[key]"),
            (b"=1", 422, "base", "a form field has no name"),
            (b"name=%FF", 400, "name", "its value is not UTF-8 once percent-decoded"),
            (
                b"name=%ZZ",
                400,
                "name",
                "its value has a % that is not followed by two hex digits",
            ),
            (
                b"name=50%",
                400,
                "name",
                "its value has a % that is not followed by two hex digits",
            ),
            (
                b"na%2me=1",
                400,
                "na%2me",
                "has a % that is not followed by two hex digits",
            ),
        ] {
            let what = String::from_utf8_lossy(body);
            assert_eq!(
                refusal(body),
                (status, field.to_string(), message.to_string()),
                "{what}"
            );
        }
    }

    #[test]
    fn an_unknown_field_is_named() {
        let err = validate(
            &schemas().create_dialog_request,
            &json!({"type": 2, "occupant_ids": [2]}),
            request_fields(),
        )
        .unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(
            errors["occupant_ids"],
            [
                "is not a field of this request; the fields are admin_ids, data, is_join_required, name, occupants_ids, photo, type"
            ]
        );
        assert!(!errors.contains_key("base"), "{errors:?}");
    }

    #[test]
    fn violations_are_keyed_by_field() {
        let err = validate(
            &schemas().create_dialog_request,
            &json!({"type": 4, "name": "x".repeat(201), "occupants_ids": "1;2"}),
            request_fields(),
        )
        .unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(errors["type"], ["must be one of [1,2,3]"]);
        assert_eq!(errors["name"], ["is too long (maximum is 200 characters)"]);
        assert_eq!(
            errors["occupants_ids"],
            ["must be a list of user ids or user ids joined by commas"]
        );
        let err = validate(&schemas().create_dialog_request, &json!({}), request_fields()).unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(errors["type"], ["type is required"]);
        let err = validate(&schemas().create_dialog_request, &json!([1]), request_fields()).unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(errors["base"], ["must be of type object"]);
    }

    #[test]
    fn nested_violations_name_their_place() {
        let err = validate(
            &schemas().create_dialog_request,
            &json!({"type": 2, "admin_ids": [1, "x"]}),
            request_fields(),
        )
        .unwrap_err();
        let ErrorBody::Fields { errors } = err.body else {
            panic!("{err:?}")
        };
        assert_eq!(errors["admin_ids"], ["must be of type integer (at 1)"]);
    }

    #[test]
    fn timestamps_are_iso_8601_to_the_second() {
        assert_eq!(timestamp(1579555954), "2020-01-20T21:32:34Z");
    }
}
