//! `ApiError`: a failed call that prints as one readable line (the status and the API's own message), keeping everything for `Debug`.

use std::fmt;

use crate::types::ErrorResponse;
use crate::Error;

/// A failed call, for people: `Display` is one line with the status and the API's own message from either
/// error shape (`401 Unauthorized: Token is required`, `422 Unprocessable Entity: name: is too long`), and
/// `Debug` is progenitor's whole account (status, headers, decoded body).
///
/// The generated methods return progenitor's `Error`, whose `Display` dumps the headers and the decoded body
/// and cannot be changed from this crate; `?` converts it into an `ApiError` in a function that returns one,
/// and `.map_err(ApiError::from)` does so anywhere else. The original is kept: [`ApiError::into_inner`],
/// [`ApiError::inner`].
pub struct ApiError(Error<ErrorResponse>);

impl ApiError {
    /// The error as the generated code returned it, to match on its variants.
    pub fn inner(&self) -> &Error<ErrorResponse> {
        &self.0
    }

    /// The error as the generated code returned it.
    pub fn into_inner(self) -> Error<ErrorResponse> {
        self.0
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.0.status()
    }

    /// The API's own messages: each of `{"errors": [...]}`, or `field: message` for each of `{"errors": {...}}`.
    pub fn messages(&self) -> Vec<String> {
        match &self.0 {
            Error::ErrorResponse(response) => match &**response {
                ErrorResponse::ErrorMessages(body) => body.errors.clone(),
                ErrorResponse::FieldErrors(body) => body
                    .errors
                    .iter()
                    .flat_map(|(field, messages)| messages.iter().map(move |message| format!("{field}: {message}")))
                    .collect(),
            },
            _ => Vec::new(),
        }
    }
}

impl From<Error<ErrorResponse>> for ApiError {
    fn from(error: Error<ErrorResponse>) -> Self {
        Self(error)
    }
}

/// Server text on one line: a newline or an escape sequence in a message cannot break the line or steer a terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let plain = !c.is_control();
            let escaped: Vec<char> = if plain { vec![c] } else { c.escape_debug().collect() };
            escaped
        })
        .collect()
}

/// The deepest cause of an error, such as "Connection refused (os error 111)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    one_line(&cause.to_string())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Error::ErrorResponse(response) => {
                let messages: Vec<String> = self.messages().iter().map(|message| one_line(message)).collect();
                if messages.is_empty() {
                    write!(f, "{}", response.status())
                } else {
                    write!(f, "{}: {}", response.status(), messages.join("; "))
                }
            }
            Error::UnexpectedResponse(response) => {
                write!(f, "{}: an answer the API does not document", response.status())
            }
            Error::InvalidRequest(message) => write!(f, "invalid request, not sent: {}", one_line(message)),
            Error::Custom(message) => f.write_str(&one_line(message)),
            Error::CommunicationError(err) if err.is_connect() => {
                write!(f, "cannot connect, nothing was sent: {}", root_cause(err))
            }
            Error::CommunicationError(err) if err.is_timeout() => f.write_str("no answer within the timeout"),
            Error::CommunicationError(err) => write!(f, "the connection failed: {}", root_cause(err)),
            Error::InvalidUpgrade(err) => write!(f, "the connection upgrade failed: {}", root_cause(err)),
            Error::ResponseBodyError(err) => write!(f, "reading the answer failed: {}", root_cause(err)),
            Error::InvalidResponsePayload(_, err) => {
                write!(
                    f,
                    "the answer is not what the API documents: {}",
                    one_line(&err.to_string())
                )
            }
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ErrorMessages, FieldErrors};

    fn api_error(status: u16, body: ErrorResponse) -> ApiError {
        let response = http::Response::builder()
            .status(status)
            .header("x-secret-header", "header value")
            .body(serde_json::to_vec(&body).unwrap())
            .unwrap();
        let response = reqwest::Response::from(response);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let value = runtime
            .block_on(crate::ResponseValue::<ErrorResponse>::from_response::<ErrorResponse>(
                response,
            ))
            .unwrap();
        ApiError::from(Error::ErrorResponse(value))
    }

    #[test]
    fn both_error_shapes_read_as_one_line() {
        let messages = api_error(
            401,
            ErrorResponse::ErrorMessages(ErrorMessages {
                errors: vec!["Token is required".into()],
                extra: Default::default(),
            }),
        );
        assert_eq!(messages.to_string(), "401 Unauthorized: Token is required");
        let fields = api_error(
            422,
            ErrorResponse::FieldErrors(FieldErrors {
                errors: [
                    ("name".to_string(), vec!["is too long".to_string()]),
                    ("type".to_string(), vec!["is\nmissing".to_string()]),
                ]
                .into_iter()
                .collect(),
                extra: Default::default(),
            }),
        );
        assert_eq!(
            fields.to_string(),
            "422 Unprocessable Entity: name: is too long; type: is\\nmissing"
        );
        // Debug keeps everything, headers included.
        assert!(format!("{fields:?}").contains("x-secret-header"), "{fields:?}");
    }

    #[test]
    fn other_failures_read_as_one_line_too() {
        let custom = ApiError::from(Error::<ErrorResponse>::Custom("the server answered 307".into()));
        assert_eq!(custom.to_string(), "the server answered 307");
        let invalid = ApiError::from(Error::<ErrorResponse>::InvalidRequest("no id".into()));
        assert_eq!(invalid.to_string(), "invalid request, not sent: no id");
    }
}
