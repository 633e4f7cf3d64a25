//! How `qb-dialog` prints a dialog (JSON or a table) and how it reports a failed request.

use std::fmt::Write as _;

use quickblox_dialog::Error;
use quickblox_dialog::types::{Dialog, ErrorResponse};

/// The dialog as pretty JSON with its keys sorted (so `_id` leads), unknown fields included.
pub fn json(dialog: &Dialog) -> String {
    // A `Dialog` holds only strings, numbers, lists and JSON maps, which always serialize; going through `Value`
    // sorts the keys instead of following the Rust struct's field order.
    let value = serde_json::to_value(dialog).unwrap_or_default();
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The dialog as a two-column table for people.
pub fn table(dialog: &Dialog) -> String {
    let ids = |ids: &[i64]| {
        if ids.is_empty() {
            "-".to_string()
        } else {
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_string();
    let mut rows = vec![
        ("id", dialog.id.to_string()),
        ("type", format!("{} ({})", dialog.type_, dialog.type_.code())),
        (
            "name",
            if dialog.name.is_empty() {
                "-".to_string()
            } else {
                dialog.name.clone()
            },
        ),
        ("owner", dialog.user_id.to_string()),
        ("occupants", ids(&dialog.occupants_ids)),
        ("admins", ids(&dialog.admin_ids)),
        ("photo", or_dash(dialog.photo.as_deref())),
        ("chat room", or_dash(dialog.xmpp_room_jid.as_deref())),
        (
            "join required",
            dialog.is_join_required.as_ref().map_or("-".to_string(), |required| {
                if **required == 1 { "yes" } else { "no" }.to_string()
            }),
        ),
        ("created at", dialog.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ("updated at", dialog.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    ];
    if let Some(data) = &dialog.data {
        rows.push(("data class", data.class_name.to_string()));
        for (key, value) in &data.extra {
            let value = value.as_str().map_or_else(|| value.to_string(), str::to_string);
            rows.push(("data", format!("{key} = {value}")));
        }
    }
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    rows.iter().fold(String::new(), |mut out, (label, value)| {
        let _ = writeln!(out, "{label:<width$}  {value}");
        out
    })
}

/// What went wrong with a request, for standard error, naming the server and the cause.
pub fn failure(error: &Error<ErrorResponse>, base_url: &str) -> String {
    let host = reqwest::Url::parse(base_url)
        .ok()
        .and_then(|url| {
            url.host_str().map(|host| match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            })
        })
        .unwrap_or_else(|| base_url.to_string());
    match error {
        Error::ErrorResponse(response) => {
            let mut out = format!("qb-dialog: {host} refused the request with {}\n", response.status());
            match response.as_ref() {
                ErrorResponse::ErrorMessages(body) => {
                    for message in &body.errors {
                        let _ = writeln!(out, "  {message}");
                    }
                }
                ErrorResponse::FieldErrors(body) => {
                    for (field, messages) in &body.errors {
                        for message in messages {
                            let _ = writeln!(out, "  {field}: {message}");
                        }
                    }
                }
            }
            out
        }
        Error::UnexpectedResponse(response) => {
            format!("qb-dialog: {host} answered with an unexpected {}\n", response.status())
        }
        Error::CommunicationError(err) => format!("qb-dialog: cannot reach {host}: {}\n", root_cause(err)),
        Error::InvalidResponsePayload(_, err) => {
            format!("qb-dialog: {host} answered with a body that is not what the spec says: {err}\n")
        }
        other => format!("qb-dialog: the request to {host} failed: {other}\n"),
    }
}

/// The innermost error of `err`'s chain (such as "Connection refused (os error 111)"), with the outer message when
/// that says more (such as "operation timed out").
fn root_cause(err: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(source) = cause.source() {
        cause = source;
    }
    if err.is_timeout() {
        format!("timed out ({cause})")
    } else if err.is_connect() {
        format!("connection failed ({cause})")
    } else {
        cause.to_string()
    }
}
