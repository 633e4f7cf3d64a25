//! How `qb-dialog` prints dialogs, counts and delete outcomes (JSON or a table), and how it reports a failed request.

use std::fmt::Write as _;
use std::time::Duration;

use quickblox_dialog::types::{DeleteDialogsResult, Dialog, ErrorResponse};
use quickblox_dialog::{Error, ResponseTooLarge};

/// The dialog as pretty JSON with its keys sorted (so `_id` leads), unknown fields included.
pub fn json(dialog: &Dialog) -> String {
    // A `Dialog` holds only strings, numbers, lists and JSON maps, which always serialize; going through `Value`
    // sorts the keys instead of following the Rust struct's field order.
    safe_json(&serde_json::to_value(dialog).unwrap_or_default())
}

/// The dialogs as a pretty JSON list, each as [`json`] prints one.
pub fn dialogs_json(dialogs: &[Dialog]) -> String {
    safe_json(&serde_json::to_value(dialogs).unwrap_or_default())
}

/// What became of each id, as pretty JSON in the API's own shape, with all three outcomes present (an empty list
/// for one the answer left out, as the table shows `-`), so that a script reads every id's fate the same way.
pub fn deleted_json(result: &DeleteDialogsResult) -> String {
    let mut value = serde_json::to_value(result).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        for outcome in ["SuccessfullyDeleted", "NotFound", "WrongPermissions"] {
            object
                .entry(outcome)
                .or_insert_with(|| serde_json::json!({ "ids": [] }));
        }
    }
    safe_json(&value)
}

/// Each asked id that was not deleted, with what the answer said of it: `ID (not found)`, `ID (wrong permissions)`,
/// or `ID (not mentioned)` when the answer names it in no list.
pub fn not_deleted(asked: &[&str], result: &DeleteDialogsResult) -> Vec<String> {
    let listed = |list: &Option<quickblox_dialog::types::IdList>, id: &str| {
        list.as_ref()
            .is_some_and(|list| list.ids.iter().any(|listed| listed.as_str() == id))
    };
    asked
        .iter()
        .filter(|id| !listed(&result.successfully_deleted, id))
        .map(|id| {
            let why = if listed(&result.not_found, id) {
                "not found"
            } else if listed(&result.wrong_permissions, id) {
                "wrong permissions"
            } else {
                "not mentioned"
            };
            format!("{} ({why})", escape(id))
        })
        .collect()
}

/// `value` as pretty JSON, with every character that could steer a terminal written as a `\uXXXX` escape.
fn safe_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    // serde_json escapes the C0 controls but writes DEL, the C1 controls (U+009B is a CSI to some terminals) and
    // the bidirectional overrides as they are. Outside strings the text holds only structure, spaces and newlines,
    // so every such character is inside a string, where `\uXXXX` means the same to any JSON reader.
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c != '\n' && (c.is_control() || is_bidi_control(c)) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out + "\n"
}

/// The characters that reorder how the text around them is shown (U+202A to U+202E, U+2066 to U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
        let _ = writeln!(out, "{label:<width$}  {}", escape(value));
        out
    })
}

/// The dialogs as one row each, for people, with `footer` (such as "2 of 6 dialogs") last.
pub fn dialogs_table(dialogs: &[Dialog], footer: &str) -> String {
    let mut rows = vec![[
        "ID".to_string(),
        "TYPE".to_string(),
        "NAME".to_string(),
        "OCCUPANTS".to_string(),
        "UPDATED AT".to_string(),
    ]];
    for dialog in dialogs {
        rows.push([
            dialog.id.to_string(),
            dialog.type_.to_string(),
            if dialog.name.is_empty() {
                "-".to_string()
            } else {
                escape(&dialog.name)
            },
            dialog.occupants_ids.len().to_string(),
            dialog.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ]);
    }
    let mut widths = [0; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
            if index + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out + footer + "\n"
}

/// What became of each id, one outcome a line, for people; an outcome the answer left out shows `-`.
pub fn deleted_table(result: &DeleteDialogsResult) -> String {
    let ids = |list: &Option<quickblox_dialog::types::IdList>| match list {
        Some(list) if !list.ids.is_empty() => list.ids.iter().map(|id| escape(id)).collect::<Vec<_>>().join(", "),
        _ => "-".to_string(),
    };
    let mut rows = vec![
        ("deleted".to_string(), ids(&result.successfully_deleted)),
        ("not found".to_string(), ids(&result.not_found)),
        ("wrong permissions".to_string(), ids(&result.wrong_permissions)),
    ];
    for (outcome, value) in &result.extra {
        rows.push((escape(outcome), escape(&value.to_string())));
    }
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    rows.iter().fold(String::new(), |mut out, (label, value)| {
        let _ = writeln!(out, "{label:<width$}  {value}");
        out
    })
}

/// Server data made safe for a terminal: control characters (newlines, ANSI escape sequences, C1
/// codes) and the bidirectional overrides that can reorder what is shown become visible escapes
/// such as `\n` and `\u{1b}`, and a backslash is doubled so that an escape cannot be faked.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if c.is_control() || is_bidi_control(c) {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// What a request changes on the server, for what its failure says: whether a retry could do it twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A read (list, get): nothing to look for before retrying.
    Read,
    Create,
    Update,
    Delete,
}

impl Effect {
    /// What may have happened when the request may have reached the server.
    fn maybe(self) -> Option<&'static str> {
        match self {
            Self::Read => None,
            Self::Create => Some("the dialog may have been created: look before you retry"),
            Self::Update => Some("the dialog may have been changed: look before you retry"),
            Self::Delete => Some("the dialogs may have been deleted: look before you retry"),
        }
    }
}

/// What went wrong with a request, for standard error, naming the server and the cause, and for a write whether it
/// may have happened all the same (so that a retry does not make a second dialog).
pub fn failure(error: &Error<ErrorResponse>, base_url: &str, timeout: Duration, effect: Effect) -> String {
    let host = reqwest::Url::parse(base_url)
        .ok()
        .and_then(|url| {
            url.host_str().map(|host| match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            })
        })
        .unwrap_or_else(|| base_url.to_string());
    let seconds = timeout.as_secs_f64();
    let maybe = effect.maybe().map_or(String::new(), |maybe| format!("; {maybe}"));
    match error {
        Error::ErrorResponse(response) => {
            let mut out = format!("qb-dialog: {host} refused the request with {}\n", response.status());
            match response.as_ref() {
                ErrorResponse::ErrorMessages(body) => {
                    for message in &body.errors {
                        let _ = writeln!(out, "  {}", escape(message));
                    }
                }
                ErrorResponse::FieldErrors(body) => {
                    for (field, messages) in &body.errors {
                        for message in messages {
                            let _ = writeln!(out, "  {}: {}", escape(field), escape(message));
                        }
                    }
                }
            }
            out
        }
        Error::UnexpectedResponse(response) => {
            format!("qb-dialog: {host} answered with an unexpected {}\n", response.status())
        }
        // The client makes a custom error only of a redirect it did not follow; the message names the Location,
        // already escaped.
        Error::Custom(message) => format!("qb-dialog: {host}: {message}\n"),
        Error::CommunicationError(err) if err.is_connect() => {
            format!(
                "qb-dialog: cannot reach {host}: {}; nothing was sent\n",
                root_cause(err)
            )
        }
        Error::CommunicationError(err) if err.is_timeout() => {
            format!("qb-dialog: sent the request to {host}, but no answer came within {seconds} s{maybe}\n")
        }
        Error::CommunicationError(err) => format!(
            "qb-dialog: the connection to {host} failed after the request was sent ({}){maybe}\n",
            root_cause(err)
        ),
        Error::ResponseBodyError(err) => match find::<ResponseTooLarge>(err) {
            Some(too_large) => format!("qb-dialog: {host} answered, but {too_large}{maybe}\n"),
            None if err.is_timeout() => format!(
                "qb-dialog: {host} began to answer, but the answer did not arrive in full within {seconds} s{maybe}\n"
            ),
            None => format!(
                "qb-dialog: {host} began to answer, but the answer broke off ({}){maybe}\n",
                root_cause(err)
            ),
        },
        Error::InvalidResponsePayload(_, err) => {
            format!("qb-dialog: {host} answered with a body that is not what the spec says: {err}\n")
        }
        other => format!("qb-dialog: the request to {host} failed: {other}\n"),
    }
}

/// The first error of type `T` in `err`'s chain.
fn find<T: std::error::Error + 'static>(err: &reqwest::Error) -> Option<&T> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = cause {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        cause = error.source();
    }
    None
}

/// The innermost error of `err`'s chain (such as "Connection refused (os error 111)"), with the outer message when
/// that says more (such as "connection failed").
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_control_characters_visible() {
        assert_eq!(escape("plain, ünïcode"), "plain, ünïcode");
        assert_eq!(escape("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(escape("\u{1b}[31mred\u{1b}[0m"), "\\u{1b}[31mred\\u{1b}[0m");
        assert_eq!(escape("\u{9b}2J \u{7f}"), "\\u{9b}2J \\u{7f}");
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            escape(r"a\nb"),
            r"a\\nb",
            "a literal backslash cannot pass for an escape"
        );
    }
}
