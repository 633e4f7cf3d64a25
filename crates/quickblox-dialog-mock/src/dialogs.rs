//! The rest of the Dialog resource: list (filters, sort, paging, count), get, update and delete, each by the rules its operation's description in the spec states.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use crate::app::{
    ApiError, App, BodyKind, authorize, body_kind, integer, json_response, read_body, schema_fields, validate,
};
use crate::contract::{Location, Operation, operation, parse_query};
use crate::schema::schemas;
use crate::store::{Dialog, GROUP, ObjectId, PRIVATE, PUBLIC_GROUP};

/// The most dialogs on a page, and the page size when `limit` is not given (the spec's default and maximum).
const PAGE: usize = 100;

/// Writes an operation's answer, dated by the mock's clock; a refusal gets a status the operation declares.
fn finish(app: &App, operation: &Operation, now: i64, result: Result<Bytes, ApiError>) -> Response {
    let response = match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(err) => err.for_operation(operation).into_response(),
    };
    app.stamp(response, now)
}

/// `GET /chat/Dialog.json`.
pub(crate) async fn list_dialogs(State(app): State<Arc<App>>, request: Request) -> Response {
    let now = app.clock.tick();
    let operation = operation("list_dialogs");
    let (parts, _) = request.into_parts();
    finish(&app, operation, now, list(&app, operation, &parts))
}

/// `GET`, `PUT` and `DELETE` on `/chat/Dialog/{chat_dialog_id}.json`, and 405 for other methods there.
pub(crate) async fn one_dialog(State(app): State<Arc<App>>, request: Request) -> Response {
    let now = app.clock.tick();
    let (parts, body) = request.into_parts();
    if operation("get_dialog").match_path(parts.uri.path()).is_none() {
        // `/chat/Dialog/x` without `.json` is not a path of the API.
        return app.stamp(ApiError::not_found().into_response(), now);
    }
    let result = match parts.method.as_str() {
        "GET" => {
            let operation = operation("get_dialog");
            (operation, get(&app, operation, &parts))
        }
        "PUT" => {
            let operation = operation("update_dialog");
            (operation, update(&app, operation, now, &parts, body).await)
        }
        "DELETE" => {
            let operation = operation("delete_dialogs");
            (operation, delete(&app, operation, &parts, body).await)
        }
        _ => {
            let path = parts.uri.path().to_string();
            return app.stamp(crate::app::not_allowed(&path, "GET, PUT, DELETE"), now);
        }
    };
    finish(&app, result.0, now, result.1)
}

/// The decoded query bound to `operation`'s parameters: a broken encoding is 400, anything the parameters do not
/// take is 422 keyed by the query key (which `for_operation` makes 400 where 422 is not declared).
fn bind_query(
    operation: &Operation,
    parts: &Parts,
    extra: Vec<(String, String)>,
) -> Result<BTreeMap<String, Value>, ApiError> {
    let mut pairs = parse_query(parts.uri.query().unwrap_or_default())
        .map_err(|(key, message)| ApiError::field(StatusCode::BAD_REQUEST, &key, message))?;
    pairs.extend(extra);
    operation
        .bind_query(&pairs)
        .map_err(|errors| ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, errors))
}

/// The path's `chat_dialog_id`, checked against its schema in the spec (`DialogId`, or `DialogIdList` for delete).
fn path_id(operation: &Operation, parts: &Parts) -> Result<String, ApiError> {
    let (name, text) = operation
        .match_path(parts.uri.path())
        .and_then(|params| params.into_iter().next())
        .ok_or_else(ApiError::not_found)?;
    let param = operation.param(&name, Location::Path).ok_or_else(ApiError::not_found)?;
    param
        .bind(&text)
        .map_err(|messages| ApiError::fields(StatusCode::BAD_REQUEST, BTreeMap::from([(name.clone(), messages)])))?;
    Ok(text)
}

// ---------------------------------------------------------------------------------------------------------------
// List.
// ---------------------------------------------------------------------------------------------------------------

/// A page of dialogs, as `DialogList`.
#[derive(Serialize)]
struct Page<'a> {
    total_entries: usize,
    skip: usize,
    limit: usize,
    items: Vec<&'a Dialog>,
}

fn list(app: &App, operation: &Operation, parts: &Parts) -> Result<Bytes, ApiError> {
    let user = authorize(app, &parts.headers)?;
    let bound = bind_query(operation, parts, Vec::new())?;
    let number = |name: &str| bound.get(name).and_then(integer).map(|n| n.max(0) as usize);
    let (skip, limit, count) = (
        number("skip").unwrap_or(0),
        number("limit").unwrap_or(PAGE),
        bound.contains_key("count"),
    );
    let sort = match (bound.get("sort_asc"), bound.get("sort_desc")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::unprocessable(
                "sort_desc",
                "is given with sort_asc; sort by one of them",
            ));
        }
        (Some(field), None) => (field.as_str().unwrap_or_default(), false),
        (None, Some(field)) => (field.as_str().unwrap_or_default(), true),
        // The vendor's recipe sorts so; with no messages in the mock, its tie-break puts the newest dialog first.
        (None, None) => ("last_message_date_sent", true),
    };
    let filters: Vec<(&str, &Value)> = bound
        .iter()
        .filter(|(name, _)| !["limit", "skip", "count", "sort_asc", "sort_desc"].contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value))
        .collect();
    app.store.with(|inner| {
        let mut selected = Vec::new();
        for dialog in inner.dialogs.values().filter(|dialog| dialog.visible_to(user)) {
            let mut keep = true;
            for (name, value) in &filters {
                match selects(dialog, name, value) {
                    Some(true) => {}
                    Some(false) => {
                        keep = false;
                        break;
                    }
                    None => {
                        return Err(ApiError::unprocessable(
                            name,
                            "is declared by the spec but the mock cannot filter by it",
                        ));
                    }
                }
            }
            if keep {
                selected.push(dialog);
            }
        }
        if count {
            let body = serde_json::json!({"items": {"count": selected.len()}});
            return Ok(Bytes::from(body.to_string()));
        }
        let (sort_field, descending) = sort;
        // The parameter's schema is `DialogSortField`, each of whose values `field` reads.
        let field_of = |dialog| field(dialog, sort_field).unwrap_or(FieldValue::Int(None));
        selected.sort_by(|a, b| {
            let order = field_of(a).cmp(&field_of(b)).then_with(|| a.id.cmp(&b.id));
            if descending { order.reverse() } else { order }
        });
        let items: Vec<&Dialog> = selected.iter().skip(skip).take(limit).copied().collect();
        let page = Page {
            total_entries: selected.len(),
            skip,
            limit,
            items,
        };
        Ok(Bytes::from(serde_json::to_vec(&page).unwrap_or_default()))
    })
}

/// A dialog's field as a filter or a sort reads it.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum FieldValue<'a> {
    /// A number that may be null; null sorts first and equals nothing, as in MongoDB.
    Int(Option<i64>),
    Text(&'a str),
    /// An id, which orders as its hex text does and is written out only when a filter compares it.
    Id(ObjectId),
    Ids(&'a [i64]),
}

fn field<'a>(dialog: &'a Dialog, name: &str) -> Option<FieldValue<'a>> {
    Some(match name {
        "_id" => FieldValue::Id(dialog.id),
        "type" => FieldValue::Int(Some(dialog.type_)),
        "name" => FieldValue::Text(&dialog.name),
        "occupants_ids" => FieldValue::Ids(&dialog.occupants_ids),
        "last_message_date_sent" => FieldValue::Int(dialog.last_message_date_sent),
        "created_at" => FieldValue::Int(Some(dialog.created_at)),
        "updated_at" => FieldValue::Int(Some(dialog.updated_at)),
        _ => return None,
    })
}

/// Whether `dialog` passes the filter `key` (`field`, `field[op]` or the custom-data object `data`) with `value`,
/// already checked against the parameter's schema; `None` for a filter the mock does not know.
fn selects(dialog: &Dialog, key: &str, value: &Value) -> Option<bool> {
    if key == "data" {
        // Custom fields compare as text: a string as it is, anything else as its JSON (`3`, `true`, `[1,2]`).
        let wanted = value.as_object()?;
        return Some(wanted.iter().all(|(name, wanted)| {
            let stored = dialog.data.as_ref().and_then(|data| data.get(name));
            match (stored, wanted.as_str()) {
                (Some(Value::String(text)), Some(wanted)) => text == wanted,
                (Some(other), Some(wanted)) => serde_json::to_string(other).is_ok_and(|text| text == wanted),
                _ => false,
            }
        }));
    }
    let (name, operator) = match key.split_once('[') {
        Some((name, rest)) => (name, rest.strip_suffix(']')?),
        None => (key, "eq"),
    };
    let actual = field(dialog, name)?;
    let list = || value.as_array().map(Vec::as_slice).unwrap_or_default();
    let equals = |wanted: &Value| match &actual {
        FieldValue::Int(number) => number.is_some() && *number == integer(wanted),
        FieldValue::Text(text) => wanted.as_str() == Some(*text),
        FieldValue::Id(id) => wanted.as_str().and_then(ObjectId::parse) == Some(*id),
        FieldValue::Ids(ids) => integer(wanted).is_some_and(|wanted| ids.contains(&wanted)),
    };
    let compare = |wanted: &Value, accept: fn(Ordering) -> bool| match &actual {
        FieldValue::Int(Some(number)) => integer(wanted).is_some_and(|wanted| accept(number.cmp(&wanted))),
        FieldValue::Text(text) => wanted.as_str().is_some_and(|wanted| accept((*text).cmp(wanted))),
        FieldValue::Id(id) => wanted
            .as_str()
            .and_then(ObjectId::parse)
            .is_some_and(|wanted| accept(id.cmp(&wanted))),
        FieldValue::Int(None) | FieldValue::Ids(_) => false,
    };
    Some(match operator {
        "eq" => equals(value),
        "ne" => !equals(value),
        "in" => list().iter().any(equals),
        "nin" => !list().iter().any(equals),
        "lt" => compare(value, Ordering::is_lt),
        "lte" => compare(value, Ordering::is_le),
        "gt" => compare(value, Ordering::is_gt),
        "gte" => compare(value, Ordering::is_ge),
        "all" => list().iter().all(equals),
        "ctn" => match (&actual, value.as_str()) {
            (FieldValue::Text(text), Some(part)) => text.contains(part),
            _ => false,
        },
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Get.
// ---------------------------------------------------------------------------------------------------------------

fn get(app: &App, operation: &Operation, parts: &Parts) -> Result<Bytes, ApiError> {
    let user = authorize(app, &parts.headers)?;
    bind_query(operation, parts, Vec::new())?;
    let id = path_id(operation, parts)?;
    let id = ObjectId::parse(&id).ok_or_else(ApiError::not_found)?;
    app.store.with(|inner| {
        inner
            .dialogs
            .get(&id)
            .filter(|dialog| dialog.visible_to(user))
            .map(Dialog::to_bytes)
            .ok_or_else(ApiError::not_found)
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Update.
// ---------------------------------------------------------------------------------------------------------------

/// `push_all` or `pull_all`: the users to add or remove.
#[derive(Default)]
struct UserIds {
    occupants_ids: Vec<i64>,
    admin_ids: Vec<i64>,
}

impl UserIds {
    fn read(value: Option<&Value>) -> Self {
        let ids = |name: &str| {
            value
                .and_then(|value| value.get(name))
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(integer).collect())
                .unwrap_or_default()
        };
        Self {
            occupants_ids: ids("occupants_ids"),
            admin_ids: ids("admin_ids"),
        }
    }
}

async fn update(
    app: &App,
    operation: &Operation,
    now: i64,
    parts: &Parts,
    body: axum::body::Body,
) -> Result<Bytes, ApiError> {
    let user = authorize(app, &parts.headers)?;
    bind_query(operation, parts, Vec::new())?;
    let id = path_id(operation, parts)?;
    if let BodyKind::Form = body_kind(&parts.headers)? {
        // push_all and pull_all nest two levels deep, which a form body cannot say as the API reads it.
        return Err(ApiError::messages(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Content-Type: an update takes application/json",
        ));
    }
    let bytes = read_body(app, &parts.headers, body).await?;
    let fields = serde_json::from_slice::<Value>(&bytes)
        .map_err(|err| ApiError::messages(StatusCode::BAD_REQUEST, format!("Malformed request body: {err}")))?;
    static FIELDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| schema_fields("UpdateDialogRequest"));
    validate(&schemas().update_dialog_request, &fields, &FIELDS)?;
    let id = ObjectId::parse(&id).ok_or_else(ApiError::not_found)?;
    let get = |name: &str| fields.get(name).filter(|value| !value.is_null());
    let name = get("name").and_then(Value::as_str);
    let photo = get("photo").and_then(Value::as_str);
    let data = get("data").and_then(Value::as_object);
    let owner = get("user_id").and_then(integer);
    let (push, pull) = (UserIds::read(get("push_all")), UserIds::read(get("pull_all")));
    app.store.with(|inner| {
        let dialog = inner
            .dialogs
            .get_mut(&id)
            .filter(|dialog| dialog.visible_to(user))
            .ok_or_else(ApiError::not_found)?;
        let is_owner = dialog.user_id == user;
        let is_admin = dialog.admin_ids.contains(&user);
        if !(is_owner || is_admin || dialog.occupants_ids.contains(&user)) {
            return Err(ApiError::forbidden(
                "You don't have appropriate permissions to perform this operation: only occupants may change a dialog",
            ));
        }
        if (owner.is_some() || !push.admin_ids.is_empty() || !pull.admin_ids.is_empty()) && !is_owner {
            return Err(ApiError::forbidden(
                "You don't have appropriate permissions to perform this operation: only the owner may change the owner or the administrators",
            ));
        }
        let others_pulled = pull.occupants_ids.iter().any(|&id| id != user);
        let manages = name.is_some() || photo.is_some() || data.is_some() || !push.occupants_ids.is_empty() || others_pulled;
        if manages && !(is_owner || is_admin) {
            return Err(ApiError::forbidden(
                "You don't have appropriate permissions to perform this operation: only the owner and the administrators may change the name, photo, data or occupants",
            ));
        }
        if name.is_some() && dialog.type_ == PRIVATE {
            return Err(ApiError::unprocessable("name", "can be set for public groups and groups only"));
        }
        for (key, ids) in [("push_all", &push), ("pull_all", &pull)] {
            if ids.occupants_ids.is_empty() && ids.admin_ids.is_empty() {
                continue;
            }
            if dialog.type_ == PRIVATE {
                return Err(ApiError::unprocessable(
                    key,
                    "a private dialog's occupants and administrators cannot change",
                ));
            }
            if dialog.type_ == PUBLIC_GROUP && !ids.occupants_ids.is_empty() {
                return Err(ApiError::unprocessable(
                    key,
                    "a public group has no occupants: every user of the application may join it",
                ));
            }
        }
        let known = |id: &i64| *id > 0 && app.users.as_ref().is_none_or(|users| users.contains(id));
        if !push.occupants_ids.iter().all(known) {
            return Err(ApiError::unprocessable("push_all", "Occupants with these IDs do not exist."));
        }
        let mut occupants: BTreeSet<i64> = dialog.occupants_ids.iter().copied().collect();
        occupants.extend(&push.occupants_ids);
        for id in &pull.occupants_ids {
            occupants.remove(id);
        }
        let mut admins: Vec<i64> = dialog.admin_ids.clone();
        for id in &push.admin_ids {
            if !admins.contains(id) {
                admins.push(*id);
            }
        }
        // Whoever leaves the occupants stops being an administrator too.
        admins.retain(|id| !pull.admin_ids.contains(id) && !pull.occupants_ids.contains(id));
        if let Some(not_occupant) = admins.iter().find(|id| !occupants.contains(id)) {
            return Err(ApiError::unprocessable(
                "push_all",
                format!("administrators must be occupants of the dialog, and {not_occupant} is not"),
            ));
        }
        let new_owner = owner.unwrap_or(dialog.user_id);
        if owner.is_some() && !occupants.contains(&new_owner) {
            return Err(ApiError::unprocessable("user_id", "must be an occupant of the dialog"));
        }
        if dialog.type_ == GROUP && !occupants.contains(&new_owner) {
            return Err(ApiError::unprocessable(
                "pull_all",
                "the owner cannot leave the dialog; hand it to another occupant with user_id first",
            ));
        }
        if let Some(name) = name {
            dialog.name = name.to_string();
        }
        if let Some(photo) = photo {
            dialog.photo = Some(photo.to_string());
        }
        if let Some(data) = data {
            dialog.data = Some(data.clone());
        }
        // Someone added again sees the dialog again, even if they had deleted it from their list.
        for id in &push.occupants_ids {
            dialog.removed_by.remove(id);
        }
        dialog.occupants_ids = occupants.into_iter().collect();
        dialog.admin_ids = admins;
        dialog.user_id = new_owner;
        dialog.updated_at = now;
        Ok(dialog.to_bytes())
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Delete.
// ---------------------------------------------------------------------------------------------------------------

/// `DeleteDialogsResult`, empty outcomes left out.
#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Deleted {
    #[serde(skip_serializing_if = "Ids::is_empty")]
    successfully_deleted: Ids,
    #[serde(skip_serializing_if = "Ids::is_empty")]
    not_found: Ids,
    #[serde(skip_serializing_if = "Ids::is_empty")]
    wrong_permissions: Ids,
}

#[derive(Default, Serialize)]
struct Ids {
    ids: Vec<String>,
}

impl Ids {
    fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

async fn delete(app: &App, operation: &Operation, parts: &Parts, body: axum::body::Body) -> Result<Bytes, ApiError> {
    let user = authorize(app, &parts.headers)?;
    let ids = path_id(operation, parts)?;
    // The vendor's curl sends `force=1` as a form body, under a JSON content type; the spec puts it in the query.
    // Both are read, as the same parameter.
    let bytes = read_body(app, &parts.headers, body).await?;
    let body_pairs = match serde_json::from_slice::<Value>(&bytes) {
        _ if bytes.iter().all(u8::is_ascii_whitespace) => Vec::new(),
        Ok(Value::Object(object)) => object
            .into_iter()
            .map(|(key, value)| (key, value.as_str().map_or_else(|| value.to_string(), str::to_string)))
            .collect(),
        Ok(_) => {
            return Err(ApiError::messages(
                StatusCode::BAD_REQUEST,
                "Malformed request body: send force=1 as a form or {\"force\":1}, or nothing",
            ));
        }
        Err(_) => parse_query(&String::from_utf8_lossy(&bytes))
            .map_err(|(key, message)| ApiError::field(StatusCode::BAD_REQUEST, &key, message))?,
    };
    let bound = bind_query(operation, parts, body_pairs)?;
    let force = bound.contains_key("force");
    let mut seen = BTreeSet::new();
    let mut outcome = Deleted::default();
    app.store.with(|inner| {
        for text in ids.split(',').filter(|id| seen.insert(*id)) {
            let id = ObjectId::parse(text);
            // Whether the user may see it, and whether they own it.
            let owned = id
                .and_then(|id| inner.dialogs.get(&id))
                .filter(|dialog| dialog.visible_to(user))
                .map(|dialog| dialog.user_id == user);
            match (owned, id) {
                (Some(true), Some(id)) if force => {
                    inner.remove(&id);
                    outcome.successfully_deleted.ids.push(text.to_string());
                }
                (Some(false), Some(_)) if force => outcome.wrong_permissions.ids.push(text.to_string()),
                (Some(_), Some(id)) => {
                    if let Some(dialog) = inner.dialogs.get_mut(&id) {
                        dialog.removed_by.insert(user);
                    }
                    outcome.successfully_deleted.ids.push(text.to_string());
                }
                _ => outcome.not_found.ids.push(text.to_string()),
            }
        }
    });
    if outcome.successfully_deleted.is_empty() {
        if outcome.wrong_permissions.is_empty() {
            return Err(ApiError::not_found());
        }
        return Err(ApiError::forbidden(format!(
            "You don't have appropriate permissions to perform this operation: only the owner may delete with force=1 ({})",
            outcome.wrong_permissions.ids.join(",")
        )));
    }
    Ok(Bytes::from(serde_json::to_vec(&outcome).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Location;
    use serde_json::json;

    fn dialog() -> Dialog {
        Dialog {
            id: ObjectId::parse("5d75393ba28f9a17e1cb0f9e").unwrap(),
            created_at: 100,
            updated_at: 200,
            type_: GROUP,
            user_id: 1,
            name: "New Year party".to_string(),
            occupants_ids: vec![1, 2, 3],
            photo: None,
            xmpp_room_jid: None,
            last_message: None,
            last_message_id: None,
            last_message_date_sent: None,
            last_message_user_id: None,
            unread_messages_count: None,
            admin_ids: Vec::new(),
            is_join_required: Some(0),
            silent_ids: Vec::new(),
            data: Some(serde_json::from_value(json!({"class_name": "CoolDialog", "level": 3, "ok": true})).unwrap()),
            removed_by: BTreeSet::new(),
            private_pair: None,
        }
    }

    #[test]
    fn every_filter_the_spec_declares_is_implemented() {
        let list = operation("list_dialogs");
        for param in list.params.iter().filter(|param| param.location == Location::Query) {
            if ["limit", "skip", "count", "sort_asc", "sort_desc"].contains(&param.name.as_str()) {
                continue;
            }
            let sample = match param.name.as_str() {
                "data" => json!({"class_name": "CoolDialog"}),
                name if name.ends_with("[in]") || name.ends_with("[nin]") || name.ends_with("[all]") => json!([1]),
                "_id" | "_id[ne]" | "name" | "name[ne]" | "name[ctn]" => json!("x"),
                _ => json!(1),
            };
            assert!(
                selects(&dialog(), &param.name, &sample).is_some(),
                "{} is not implemented",
                param.name
            );
        }
    }

    #[test]
    fn filters_read_the_dialog_as_the_spec_says() {
        let d = dialog();
        for (key, value, expected) in [
            ("_id", json!("5d75393ba28f9a17e1cb0f9e"), true),
            ("_id[ne]", json!("5d75393ba28f9a17e1cb0f9e"), false),
            ("type", json!(2), true),
            ("type[in]", json!([1, 3]), false),
            ("name[ctn]", json!("Year"), true),
            ("name[ctn]", json!("year"), false),
            ("name[in]", json!(["a", "New Year party"]), true),
            ("occupants_ids[all]", json!([1, 3]), true),
            ("occupants_ids[all]", json!([1, 4]), false),
            ("created_at[gte]", json!(100), true),
            ("created_at[gt]", json!(100), false),
            ("updated_at[lt]", json!(201), true),
            ("updated_at[lte]", json!(199), false),
            // No messages: a null date equals nothing and is in no range, so only ne and nin select it.
            ("last_message_date_sent[lt]", json!(1), false),
            ("last_message_date_sent[ne]", json!(1), true),
            ("last_message_date_sent[in]", json!([1]), false),
            ("last_message_date_sent[nin]", json!([1]), true),
            (
                "data",
                json!({"class_name": "CoolDialog", "level": "3", "ok": "true"}),
                true,
            ),
            ("data", json!({"level": "4"}), false),
            ("data", json!({"missing": "x"}), false),
        ] {
            assert_eq!(selects(&d, key, &value), Some(expected), "{key}={value}");
        }
        assert_eq!(selects(&d, "colour", &json!("red")), None);
    }
}
