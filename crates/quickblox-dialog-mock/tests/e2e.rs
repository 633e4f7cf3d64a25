//! The mock server over loopback: the generated client for every vendor recipe and error path, raw HTTP for what the client cannot send, and every answer checked against the spec.

use std::time::Duration;

use quickblox_dialog::types::{CreateDialogRequest, ErrorResponse};
use quickblox_dialog::{Client, DialogType, Error};
use quickblox_dialog_mock::schema::{schemas, spec};
use quickblox_dialog_mock::{Config, MockServer, PATH};
use serde_json::{Value, json};

const TOKEN: &str = "token-of-102433734";
const USER: i64 = 102433734;
const OTHER_TOKEN: &str = "token-of-102433721";
const OTHER_USER: i64 = 102433721;
const API_KEY: &str = "28irlNAGasWDSupO9Vw0BBMZfuHrAUYKpmroS9yBORI";

fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![(TOKEN.to_string(), USER), (OTHER_TOKEN.to_string(), OTHER_USER)],
        api_keys: vec![API_KEY.to_string()],
        ..Config::default()
    }
}

async fn server() -> MockServer {
    MockServer::start(config()).await.unwrap()
}

fn token_client(server: &MockServer) -> Client {
    Client::with_session_token(&server.base_url(), TOKEN).unwrap()
}

/// The spec's request example `name`, as the typed request.
fn recipe(name: &str) -> CreateDialogRequest {
    let value = spec()
        .pointer(&format!(
            "/paths/~1chat~1Dialog.json/post/requestBody/content/application~1json/examples/{name}/value"
        ))
        .unwrap_or_else(|| panic!("the spec has no request example {name}"));
    serde_json::from_value(value.clone()).unwrap()
}

fn assert_24_hex(id: &str) {
    assert_eq!(id.len(), 24, "{id}");
    assert!(
        id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{id}"
    );
}

/// A response as it came off the wire.
struct Raw {
    status: u16,
    content_type: Option<String>,
    allow: Option<String>,
    body: Value,
}

/// Sends `body` raw and checks the answer against the spec: a JSON `Dialog` for 201, a JSON `ErrorResponse` for
/// every error the server writes itself, and `Allow` with a 405.
async fn post(server: &MockServer, headers: &[(&str, &str)], body: impl Into<reqwest::Body>) -> Raw {
    send(server, reqwest::Method::POST, PATH, headers, body.into()).await
}

async fn send(
    server: &MockServer,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: reqwest::Body,
) -> Raw {
    let client = reqwest::Client::new();
    let mut request = client
        .request(method.clone(), format!("{}{path}", server.base_url()))
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (content_type, allow) = (header("content-type"), header("allow"));
    let bytes = response.bytes().await.unwrap();
    let raw = Raw {
        status,
        content_type,
        allow,
        body: if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        },
    };
    assert_conforms(&raw, success_schema(&method, path));
    raw
}

/// The schema of the operation's success answer, by method and path.
fn success_schema(method: &reqwest::Method, path: &str) -> &'static str {
    match (method.as_str(), path.split('?').next() == Some(PATH)) {
        ("POST", _) => "Dialog",
        ("GET", true) => "DialogListResult",
        ("DELETE", _) => "DeleteDialogsResult",
        _ => "Dialog",
    }
}

fn assert_conforms(raw: &Raw, success: &str) {
    assert!(raw.status < 500, "a server error: {} {}", raw.status, raw.body);
    if raw.status == 405 {
        assert!(raw.allow.is_some(), "a 405 says what is allowed");
    }
    assert_eq!(
        raw.content_type.as_deref(),
        Some("application/json"),
        "status {}",
        raw.status
    );
    let success = quickblox_dialog_mock::schema::component_validator(spec(), success).unwrap();
    let validator = if raw.status < 300 {
        &success
    } else {
        &schemas().error_response
    };
    let errors: Vec<String> = validator
        .iter_errors(&raw.body)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "status {} body {} breaks the spec: {errors:?}",
        raw.status,
        raw.body
    );
}

/// Request headers as name and value.
type Headers<'a> = Vec<(&'a str, &'a str)>;

const JSON: (&str, &str) = ("content-type", "application/json");
const AUTH_TOKEN: (&str, &str) = ("qb-token", TOKEN);

fn field_errors(raw: &Raw) -> &serde_json::Map<String, Value> {
    raw.body["errors"]
        .as_object()
        .unwrap_or_else(|| panic!("field-keyed errors expected: {}", raw.body))
}

// ---------------------------------------------------------------------------------------------------------------
// The vendor's recipes, through the generated client.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn private_recipe() {
    let server = server().await;
    let dialog = token_client(&server)
        .create_dialog()
        .body(recipe("private"))
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.status(), 201);
    assert_24_hex(&dialog.id);
    assert_eq!(dialog.type_, DialogType::Private);
    assert_eq!(dialog.user_id, USER);
    assert_eq!(dialog.occupants_ids, vec![OTHER_USER, USER], "the creator is added");
    assert_eq!(dialog.xmpp_room_jid, None);
    assert_eq!(dialog.is_join_required, None);
    assert!(dialog.admin_ids.is_empty());
    assert_eq!(
        (dialog.last_message.as_ref(), dialog.unread_messages_count),
        (None, None)
    );
    assert_eq!(dialog.created_at, dialog.updated_at);
}

#[tokio::test]
async fn public_recipe() {
    let server = server().await;
    let dialog = token_client(&server)
        .create_dialog()
        .body(recipe("public"))
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.type_, DialogType::PublicGroup);
    assert_eq!(dialog.name, "Soccer news");
    assert_eq!(dialog.photo.as_deref(), Some("67834"));
    assert!(dialog.occupants_ids.is_empty(), "public dialogs have no occupants");
    assert_eq!(
        dialog.xmpp_room_jid.as_deref(),
        Some(format!("76730_{}@muc.chat.quickblox.com", *dialog.id).as_str())
    );
}

#[tokio::test]
async fn group_recipe() {
    let server = server().await;
    let dialog = token_client(&server)
        .create_dialog()
        .body(recipe("group"))
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.type_, DialogType::Group);
    assert_eq!(dialog.name, "New Year party");
    assert_eq!(dialog.occupants_ids, vec![96754523, 96830631, 96831328, 96831397, USER]);
    assert_eq!(dialog.is_join_required.as_deref(), Some(&0));
    assert!(
        dialog
            .xmpp_room_jid
            .clone()
            .unwrap()
            .ends_with("@muc.chat.quickblox.com")
    );
}

#[tokio::test]
async fn custom_data_recipe_echoes_every_field() {
    let server = server().await;
    let dialog = token_client(&server)
        .create_dialog()
        .body(recipe("custom_data"))
        .send()
        .await
        .unwrap();
    let data = dialog.data.clone().expect("data comes back");
    assert_eq!(*data.class_name, "ScoreTable");
    assert_eq!(
        Value::Object(data.extra),
        json!({"game_mode_name": "rainbow dash", "expert_mode": "3", "progress": "56"})
    );
    // Custom fields of other JSON types come back as they were sent.
    let raw = post(
        &server,
        &[JSON, AUTH_TOKEN],
        json!({"type": 2, "occupants_ids": [1], "data": {"class_name": "C", "n": 1.5, "ok": true, "tags": ["a"], "at": {"lat": 1}}}).to_string(),
    )
    .await;
    assert_eq!(raw.status, 201);
    assert_eq!(
        raw.body["data"],
        json!({"class_name": "C", "n": 1.5, "ok": true, "tags": ["a"], "at": {"lat": 1}})
    );
}

#[tokio::test]
async fn api_key_recipes_act_on_behalf_of_the_user() {
    let server = server().await;
    let client = Client::with_api_key(&server.base_url(), API_KEY).unwrap();
    for name in ["api_key", "private", "public"] {
        let dialog = client
            .create_dialog()
            .on_behalf_of(123)
            .body(recipe(name))
            .send()
            .await
            .unwrap();
        assert_eq!(dialog.user_id, 123, "{name}");
        if dialog.type_ != DialogType::PublicGroup {
            assert!(dialog.occupants_ids.contains(&123), "{name}");
        }
    }
}

#[tokio::test]
async fn every_recipe_answer_conforms_on_the_wire() {
    let server = server().await;
    for name in ["private", "public", "group", "custom_data", "api_key"] {
        let body = serde_json::to_string(&recipe(name)).unwrap();
        let raw = post(&server, &[JSON, AUTH_TOKEN], body).await;
        assert_eq!(raw.status, 201, "{name}: {}", raw.body);
        assert_24_hex(raw.body["_id"].as_str().unwrap());
        let created = raw.body["created_at"].as_str().unwrap();
        assert_eq!(created.len(), "2020-01-20T21:32:34Z".len(), "{created}");
        assert!(created.ends_with('Z') && created.as_bytes()[10] == b'T', "{created}");
    }
}

#[tokio::test]
async fn a_private_dialog_with_the_same_opponent_is_returned_again() {
    let server = server().await;
    let client = token_client(&server);
    let first = client.create_dialog().body(recipe("private")).send().await.unwrap();
    let again = client.create_dialog().body(recipe("private")).send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(first.id, again.id);
    // The opponent creating it the other way round gets the same dialog.
    let back = Client::with_session_token(&server.base_url(), OTHER_TOKEN).unwrap();
    let request = CreateDialogRequest {
        occupants_ids: Some(vec![USER].into()),
        ..CreateDialogRequest::new(DialogType::Private)
    };
    let reverse = back.create_dialog().body(request).send().await.unwrap();
    assert_eq!(reverse.id, first.id);
    assert_eq!(reverse.user_id, USER, "the owner stays the first creator");
    // Groups are never merged.
    let a = client.create_dialog().body(recipe("group")).send().await.unwrap();
    let b = client.create_dialog().body(recipe("group")).send().await.unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(server.dialog_count(), 3);
}

#[tokio::test]
async fn racing_private_creations_make_one_dialog() {
    let server = server().await;
    let client = token_client(&server);
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .create_dialog()
                    .body(recipe("private"))
                    .send()
                    .await
                    .unwrap()
                    .id
                    .clone()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(server.dialog_count(), 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_session_token_is_401_required_session() {
    let server = server().await;
    let client = Client::with_session_token(&server.base_url(), "expired").unwrap();
    let err = client.create_dialog().body(recipe("private")).send().await.unwrap_err();
    let Error::ErrorResponse(response) = err else {
        panic!("{err}")
    };
    assert_eq!(response.status(), 401);
    let ErrorResponse::FieldErrors(body) = response.into_inner() else {
        panic!("field-keyed")
    };
    assert_eq!(body.errors["base"], ["Required session does not exist"]);
}

#[tokio::test]
async fn an_unknown_api_key_is_401() {
    let server = server().await;
    let client = Client::with_api_key(&server.base_url(), "not-a-key").unwrap();
    let err = client
        .create_dialog()
        .on_behalf_of(123)
        .body(recipe("group"))
        .send()
        .await
        .unwrap_err();
    let Error::ErrorResponse(response) = err else {
        panic!("{err}")
    };
    assert_eq!(response.status(), 401);
    assert!(
        matches!(response.into_inner(), ErrorResponse::ErrorMessages(body) if body.errors == ["Unauthorized: unknown API key"])
    );
}

#[tokio::test]
async fn missing_malformed_or_doubled_credentials_are_401() {
    let server = server().await;
    let body = r#"{"type":1,"name":"x"}"#;
    let key = format!("ApiKey {API_KEY}");
    let cases: Vec<(&str, Headers, &str)> = vec![
        (
            "none",
            vec![JSON],
            "Unauthorized: send a session token in QB-Token or an API key in Authorization",
        ),
        (
            "both",
            vec![JSON, AUTH_TOKEN, ("authorization", &key)],
            "Unauthorized: send QB-Token or Authorization, not both",
        ),
        (
            "empty token",
            vec![JSON, ("qb-token", "")],
            "Unauthorized: QB-Token is malformed",
        ),
        (
            "two tokens",
            vec![JSON, AUTH_TOKEN, AUTH_TOKEN],
            "Unauthorized: QB-Token is malformed",
        ),
        (
            "bearer",
            vec![JSON, ("authorization", "Bearer abc")],
            "Unauthorized: Authorization must be `ApiKey <key>`",
        ),
        (
            "bare key",
            vec![JSON, ("authorization", API_KEY)],
            "Unauthorized: Authorization must be `ApiKey <key>`",
        ),
        (
            "no key",
            vec![JSON, ("authorization", "ApiKey ")],
            "Unauthorized: Authorization must be `ApiKey <key>`",
        ),
    ];
    for (what, headers, message) in cases {
        let raw = post(&server, &headers, body).await;
        assert_eq!(raw.status, 401, "{what}: {}", raw.body);
        assert_eq!(raw.body, json!({"errors": [message]}), "{what}");
    }
}

#[tokio::test]
async fn an_api_key_needs_a_valid_acting_user() {
    let server = MockServer::start(Config {
        users: Some([123].into()),
        ..config()
    })
    .await
    .unwrap();
    let key = format!("ApiKey {API_KEY}");
    let body = r#"{"type":1,"name":"x"}"#;
    let raw = post(&server, &[JSON, ("authorization", &key)], body).await;
    assert_eq!(
        (raw.status, raw.body),
        (422, json!({"errors": {"base": ["Forbidden. Need user."]}}))
    );
    for bad in ["abc", "1.5", "9223372036854775808"] {
        let raw = post(&server, &[JSON, ("authorization", &key), ("on-behalf-of", bad)], body).await;
        assert_eq!(
            field_errors(&raw)["On-Behalf-Of"],
            json!(["must be an integer user id"]),
            "{bad}"
        );
        // The header is checked against its schema whichever scheme is used.
        let raw = post(&server, &[JSON, AUTH_TOKEN, ("on-behalf-of", bad)], body).await;
        assert_eq!(
            field_errors(&raw)["On-Behalf-Of"],
            json!(["must be an integer user id"]),
            "{bad}"
        );
    }
    for bad in ["0", "-5"] {
        let raw = post(&server, &[JSON, ("authorization", &key), ("on-behalf-of", bad)], body).await;
        assert_eq!(raw.status, 422, "{bad}");
        assert_eq!(
            field_errors(&raw)["On-Behalf-Of"],
            json!(["must be a positive user id"]),
            "{bad}"
        );
    }
    let raw = post(&server, &[JSON, ("authorization", &key), ("on-behalf-of", "124")], body).await;
    assert_eq!(
        field_errors(&raw)["On-Behalf-Of"],
        json!(["User with this ID does not exist."])
    );
    let raw = post(&server, &[JSON, ("authorization", &key), ("on-behalf-of", "123")], body).await;
    assert_eq!(raw.status, 201);
}

#[tokio::test]
async fn the_client_refuses_on_behalf_of_with_a_session_token_and_the_server_ignores_it() {
    let server = server().await;
    let err = token_client(&server)
        .create_dialog()
        .on_behalf_of(5)
        .body(recipe("public"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    let raw = post(&server, &[JSON, AUTH_TOKEN, ("on-behalf-of", "5")], r#"{"type":1}"#).await;
    assert_eq!((raw.status, raw.body["user_id"].clone()), (201, json!(USER)));
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and the API's rules.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_400() {
    let server = server().await;
    for body in ["{", "", "{\"type\":2,}", "\u{0}"] {
        let raw = post(&server, &[JSON, AUTH_TOKEN], body).await;
        assert_eq!(raw.status, 400, "{body:?}");
        let message = raw.body["errors"][0].as_str().unwrap();
        assert!(message.starts_with("Malformed request body: "), "{message}");
    }
}

#[tokio::test]
async fn schema_violations_are_422_keyed_by_field() {
    let server = server().await;
    let cases = [
        (json!({}), "type", json!(["type is required"])),
        (json!({"type": 4}), "type", json!(["must be one of [1,2,3]"])),
        (
            json!({"type": "2"}),
            "type",
            json!(["must be of type integer", "must be one of [1,2,3]"]),
        ),
        (
            json!({"type": 2, "name": "n".repeat(201)}),
            "name",
            json!(["is too long (maximum is 200 characters)"]),
        ),
        (
            json!({"type": 2, "occupants_ids": "1;2"}),
            "occupants_ids",
            json!(["must be a list of user ids or user ids joined by commas"]),
        ),
        (
            json!({"type": 2, "occupants_ids": [1, 9_223_372_036_854_775_808_u64]}),
            "occupants_ids",
            json!(["must be a list of user ids or user ids joined by commas"]),
        ),
        (
            json!({"type": 2, "data": {"x": 1}}),
            "data",
            json!(["class_name is required"]),
        ),
        (
            json!({"type": 2, "data": {"class_name": ""}}),
            "data",
            json!(["is too short (minimum is 1 characters) (at class_name)"]),
        ),
        (
            json!({"type": 2, "is_join_required": 2}),
            "is_join_required",
            json!(["must be one of [0,1]"]),
        ),
        (json!([1]), "base", json!(["must be of type object"])),
    ];
    for (body, field, message) in cases {
        let raw = post(&server, &[JSON, AUTH_TOKEN], body.to_string()).await;
        assert_eq!(raw.status, 422, "{body}: {}", raw.body);
        assert_eq!(field_errors(&raw)[field], message, "{body}");
    }
    // A name of exactly 200 characters (not bytes) is fine.
    let raw = post(
        &server,
        &[JSON, AUTH_TOKEN],
        json!({"type": 1, "name": "é".repeat(200)}).to_string(),
    )
    .await;
    assert_eq!(raw.status, 201);
}

async fn rule_error(client: &Client, request: CreateDialogRequest) -> (u16, ErrorResponse) {
    match client.create_dialog().body(request).send().await {
        Err(Error::ErrorResponse(response)) => (response.status().as_u16(), response.into_inner()),
        other => panic!("expected an error response, got {other:?}"),
    }
}

fn field_error(response: &ErrorResponse, field: &str) -> Vec<String> {
    match response {
        ErrorResponse::FieldErrors(body) => body.errors.get(field).cloned().unwrap_or_default(),
        ErrorResponse::ErrorMessages(body) => panic!("field-keyed errors expected, got {:?}", body.errors),
    }
}

#[tokio::test]
async fn a_private_dialog_needs_exactly_one_opponent_who_is_not_the_creator() {
    let server = server().await;
    let client = token_client(&server);
    let private = |ids: Vec<i64>| CreateDialogRequest {
        occupants_ids: Some(ids.into()),
        ..CreateDialogRequest::new(DialogType::Private)
    };
    let (status, body) = rule_error(&client, private(vec![1, 2])).await;
    assert_eq!(
        (status, field_error(&body, "base")),
        (422, vec!["Too many occupants for Private Dialog.".to_string()])
    );
    let (status, body) = rule_error(&client, private(vec![])).await;
    assert_eq!(
        (status, field_error(&body, "occupants_ids")),
        (422, vec!["A private dialog needs one opponent.".to_string()])
    );
    let (_, body) = rule_error(&client, CreateDialogRequest::new(DialogType::Private)).await;
    assert_eq!(
        field_error(&body, "occupants_ids"),
        ["A private dialog needs one opponent."]
    );
    let (status, body) = rule_error(&client, private(vec![USER])).await;
    assert_eq!(
        (status, field_error(&body, "occupants_ids")),
        (422, vec!["Incorrect occupant_id".to_string()])
    );
    // Listing the same opponent twice is one opponent.
    let dialog = client.create_dialog().body(private(vec![7, 7])).send().await.unwrap();
    assert_eq!(dialog.occupants_ids, vec![7, USER]);
}

#[tokio::test]
async fn a_group_creator_must_not_list_themselves() {
    let server = server().await;
    let request = CreateDialogRequest {
        occupants_ids: Some(vec![5, USER].into()),
        ..CreateDialogRequest::new(DialogType::Group)
    };
    let (status, body) = rule_error(&token_client(&server), request).await;
    assert_eq!(
        (status, field_error(&body, "occupants_ids")),
        (422, vec!["Incorrect occupant_id".to_string()])
    );
    let raw = post(&server, &[JSON, AUTH_TOKEN], r#"{"type":2,"occupants_ids":[0]}"#).await;
    assert_eq!(field_errors(&raw)["occupants_ids"], json!(["Incorrect occupant_id"]));
}

#[tokio::test]
async fn unknown_occupants_are_refused_when_a_user_directory_is_configured() {
    let server = MockServer::start(Config {
        users: Some([96831397, 96831328, 96830631].into()),
        ..config()
    })
    .await
    .unwrap();
    let (status, body) = rule_error(&token_client(&server), recipe("group")).await;
    assert_eq!(
        (status, field_error(&body, "occupants_ids")),
        (422, vec!["Occupants with these IDs do not exist.".to_string()])
    );
    let known = CreateDialogRequest {
        occupants_ids: Some(vec![96831397, 96831328].into()),
        ..CreateDialogRequest::new(DialogType::Group)
    };
    token_client(&server).create_dialog().body(known).send().await.unwrap();
    // Without a directory anyone exists.
    let open = self::server().await;
    token_client(&open)
        .create_dialog()
        .body(recipe("group"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn public_dialogs_ignore_occupants_and_only_groups_have_is_join_required() {
    let server = server().await;
    let raw = post(
        &server,
        &[JSON, AUTH_TOKEN],
        r#"{"type":1,"occupants_ids":[5,6],"is_join_required":1}"#,
    )
    .await;
    assert_eq!(
        (raw.body["occupants_ids"].clone(), raw.body["is_join_required"].clone()),
        (json!([]), Value::Null)
    );
    let raw = post(
        &server,
        &[JSON, AUTH_TOKEN],
        r#"{"type":2,"occupants_ids":[5],"is_join_required":1,"admin_ids":[5]}"#,
    )
    .await;
    assert_eq!(
        (raw.body["is_join_required"].clone(), raw.body["admin_ids"].clone()),
        (json!(1), json!([5]))
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Transport: content types, sizes, methods, paths, rate limits.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn form_bodies_are_read_like_json_ones() {
    let server = server().await;
    let form = [("content-type", "application/x-www-form-urlencoded"), AUTH_TOKEN];
    let raw = post(
        &server,
        &form,
        "type=2&name=Chat+with+Bob&occupants_ids=96754523,96830631&data[class_name]=ScoreTable&data[progress]=56",
    )
    .await;
    assert_eq!(raw.status, 201, "{}", raw.body);
    assert_eq!(raw.body["name"], "Chat with Bob");
    assert_eq!(raw.body["occupants_ids"], json!([96754523, 96830631, USER]));
    assert_eq!(raw.body["data"], json!({"class_name": "ScoreTable", "progress": "56"}));
    let raw = post(&server, &form, "type=9").await;
    assert_eq!(field_errors(&raw)["type"], json!(["must be one of [1,2,3]"]));
    let raw = post(&server, &form, "name=x").await;
    assert_eq!(field_errors(&raw)["type"], json!(["type is required"]));
}

#[tokio::test]
async fn form_bodies_the_api_would_read_differently_are_refused_by_name() {
    let server = server().await;
    let form = [("content-type", "application/x-www-form-urlencoded"), AUTH_TOKEN];
    for (body, status, field, message) in [
        (
            "type=2&data[class_name]=C&data[a][b]=1",
            422,
            "data[a][b]",
            "is nested deeper than data[key], which the API does not read",
        ),
        (
            "type=2&name=%FF",
            400,
            "name",
            "its value is not UTF-8 once percent-decoded",
        ),
        (
            "type=2&name=%ZZ",
            400,
            "name",
            "its value has a % that is not followed by two hex digits",
        ),
        (
            "type=2&occupants_ids=1&occupants_ids=2",
            422,
            "occupants_ids",
            "is given more than once; send key[]=... for a list",
        ),
    ] {
        let raw = post(&server, &form, body).await;
        assert_eq!(raw.status, status, "{body}: {}", raw.body);
        assert_eq!(field_errors(&raw)[field], json!([message]), "{body}");
    }
    assert_eq!(server.dialog_count(), 0, "nothing stored from a refused body");
}

#[tokio::test]
async fn an_unknown_json_field_is_named() {
    let server = server().await;
    let raw = post(&server, &[JSON, AUTH_TOKEN], r#"{"type":2,"occupant_ids":[2]}"#).await;
    assert_eq!(raw.status, 422);
    let errors = field_errors(&raw);
    assert!(!errors.contains_key("base"), "{}", raw.body);
    let message = errors["occupant_ids"][0].as_str().unwrap();
    assert!(
        message.starts_with("is not a field of this request; the fields are "),
        "{message}"
    );
    assert!(
        message.contains("occupants_ids"),
        "the right name is offered: {message}"
    );
}

#[tokio::test]
async fn ids_joined_by_commas_and_spaces_are_stored_as_integers() {
    let server = server().await;
    let raw = post(
        &server,
        &[JSON, AUTH_TOKEN],
        r#"{"type":2,"occupants_ids":"1002, 1003"}"#,
    )
    .await;
    assert_eq!(raw.status, 201, "{}", raw.body);
    assert_eq!(raw.body["occupants_ids"], json!([1002, 1003, USER]));
    let form = [("content-type", "application/x-www-form-urlencoded"), AUTH_TOKEN];
    for body in [
        "type=2&occupants_ids=1002,+1003",
        "type=2&occupants_ids=1002%2C%201003",
        "type=2&occupants_ids=+1002+,1003+",
    ] {
        let raw = post(&server, &form, body).await;
        assert_eq!(raw.status, 201, "{body}: {}", raw.body);
        assert_eq!(raw.body["occupants_ids"], json!([1002, 1003, USER]), "{body}");
    }
    // Separators the API does not take are still refused.
    for joined in ["1002;1003", "1002,,1003", "1002,\t1003"] {
        let raw = post(
            &server,
            &[JSON, AUTH_TOKEN],
            json!({"type": 2, "occupants_ids": joined}).to_string(),
        )
        .await;
        assert_eq!(raw.status, 422, "{joined:?}");
    }
}

/// QuickBlox's JavaScript SDK (`QuickBlox/quickblox-javascript-sdk`, `src/modules/chat/qbDialog.js`, `create`)
/// joins `occupants_ids` with ", " and hands the fields to its HTTP layer: under Node it posts them as JSON (the
/// `request` library's `json` option), in a browser as a form (jQuery's `$.ajax` default content type, its
/// `$.param` encoding with `+` for spaces and `data[key]` for the custom data). Both, byte for byte, get 201.
#[tokio::test]
async fn the_javascript_sdk_create_recipe_in_node_and_in_a_browser() {
    let server = server().await;
    let node = raw_http(
        &server,
        &http_request(
            &[
                ("QB-Token", TOKEN),
                ("QB-SDK", "JS 2.15.0 - Server"),
                ("accept", "application/json"),
                ("content-type", "application/json"),
            ],
            r#"{"type":2,"occupants_ids":"96831397, 96831328","name":"New Year party","photo":"68123","data":{"class_name":"ScoreTable","progress":"56"}}"#,
        ),
    )
    .await;
    let browser = raw_http(
        &server,
        &http_request(
            &[
                ("Accept", "application/json, text/javascript, */*; q=0.01"),
                ("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),
                ("QB-Token", TOKEN),
                ("QB-SDK", "JS 2.15.0 - Client"),
            ],
            "type=2&occupants_ids=96831397%2C+96831328&name=New+Year+party&photo=68123&data%5Bclass_name%5D=ScoreTable&data%5Bprogress%5D=56",
        ),
    )
    .await;
    for (sdk, response) in [("node", node), ("browser", browser)] {
        let (status, body) = status_and_body(&response);
        assert_eq!(status, "HTTP/1.1 201 Created", "{sdk}: {response}");
        let dialog: Value = serde_json::from_str(body).unwrap();
        assert!(schemas().dialog.is_valid(&dialog), "{sdk}: {dialog}");
        assert_eq!(dialog["occupants_ids"], json!([96831328, 96831397, USER]), "{sdk}");
        assert_eq!(
            (&dialog["name"], &dialog["photo"], &dialog["type"]),
            (&json!("New Year party"), &json!("68123"), &json!(2)),
            "{sdk}"
        );
        assert_eq!(
            dialog["data"],
            json!({"class_name": "ScoreTable", "progress": "56"}),
            "{sdk}"
        );
    }
}

/// A POST of `body` with exactly these headers (and `host`, `content-length`, `connection: close`).
fn http_request(headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut request = format!("POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    request.into_bytes()
}

#[tokio::test]
async fn other_content_types_are_415_and_json_with_a_charset_is_json() {
    let server = server().await;
    let raw = post(&server, &[("content-type", "text/plain"), AUTH_TOKEN], r#"{"type":1}"#).await;
    assert_eq!(raw.status, 415);
    let raw = post(
        &server,
        &[("content-type", "application/json; charset=utf-8"), AUTH_TOKEN],
        r#"{"type":1}"#,
    )
    .await;
    assert_eq!(raw.status, 201);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let server = MockServer::start(Config {
        max_body_bytes: 1024,
        ..config()
    })
    .await
    .unwrap();
    let big = json!({"type": 2, "data": {"class_name": "C", "blob": "x".repeat(2000)}}).to_string();
    let raw = post(&server, &[JSON, AUTH_TOKEN], big.clone()).await;
    assert_eq!(
        (raw.status, raw.body),
        (413, json!({"errors": ["Request body is larger than 1024 bytes"]}))
    );
    // Without a Content-Length the limit still holds, while the body streams in.
    let mut request = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {}\r\nqb-token: {TOKEN}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        server.addr()
    );
    for chunk in big.as_bytes().chunks(100) {
        request.push_str(&format!(
            "{:x}\r\n{}\r\n",
            chunk.len(),
            std::str::from_utf8(chunk).unwrap()
        ));
    }
    request.push_str("0\r\n\r\n");
    let response = raw_http(&server, request.as_bytes()).await;
    assert!(response.starts_with("HTTP/1.1 413 "), "{response}");
    assert!(
        response.ends_with(r#"{"errors":["Request body is larger than 1024 bytes"]}"#),
        "{response}"
    );
}

/// Sends `request` as it is over a fresh connection and returns everything the server answers before closing.
async fn raw_http(server: &MockServer, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    // The server may answer and close before it has read everything; a failed write is then expected.
    let _ = stream.write_all(request).await;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the server answers within 10 s")
        .unwrap_or_default();
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn other_methods_are_405_with_the_error_body_and_other_paths_404() {
    let server = server().await;
    // GET lists dialogs now; every other method but POST is refused.
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::OPTIONS,
        reqwest::Method::PATCH,
    ] {
        let raw = send(&server, method.clone(), PATH, &[AUTH_TOKEN], reqwest::Body::from("")).await;
        assert_eq!(
            (raw.status, raw.allow.as_deref(), raw.body),
            (
                405,
                Some("GET, POST"),
                json!({"errors": ["Method Not Allowed: /chat/Dialog.json takes GET, POST"]})
            ),
            "{method}"
        );
    }
    // HTTP forbids a body in the answer to HEAD; the status and Allow still say what to do.
    let head = raw_http(
        &server,
        format!("HEAD {PATH} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nallow: get, post\r\n"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "no body after the head: {head}");
    let raw = send(
        &server,
        reqwest::Method::POST,
        "/chat/Message.json",
        &[AUTH_TOKEN],
        reqwest::Body::from("{}"),
    )
    .await;
    assert_eq!((raw.status, raw.body), (404, json!({"errors": ["Not found"]})));
}

/// The status line and body of a raw answer.
fn status_and_body(response: &str) -> (&str, &str) {
    let status = response.split("\r\n").next().unwrap_or_default();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn oversized_headers_are_431_with_the_error_body_up_to_hyper_s_own_limit() {
    let server = server().await;
    let request = |header: &str| {
        format!(
            "POST {PATH} HTTP/1.1\r\nhost: x\r\nqb-token: {TOKEN}\r\n{header}content-length: 10\r\nconnection: close\r\n\r\n{{\"type\":1}}"
        )
    };
    let big = |bytes: usize| format!("x-big: {}\r\n", "a".repeat(bytes));
    let many: String = (0..101).map(|n| format!("x-{n}: 1\r\n")).collect();
    for (what, header) in [
        ("a header of 100 KB", big(100_000)),
        ("a header of 1 MB", big(1_000_000)),
        ("101 header fields", many),
    ] {
        let response = raw_http(&server, request(&header).as_bytes()).await;
        let (status, body) = status_and_body(&response);
        assert_eq!(status, "HTTP/1.1 431 Request Header Fields Too Large", "{what}");
        let body: Value = serde_json::from_str(body).unwrap_or_else(|err| panic!("{what}: {err}: {body}"));
        assert!(schemas().error_response.is_valid(&body), "{what}: {body}");
        assert!(
            body["errors"][0]
                .as_str()
                .unwrap()
                .starts_with("Request Header Fields Too Large: "),
            "{what}: {body}"
        );
    }
    // Beyond 1 MiB hyper answers before the mock sees the request, with an empty body (README, "Answers the HTTP
    // layer gives"); this pins that the documentation stays true.
    let response = raw_http(&server, request(&big(2 << 20)).as_bytes()).await;
    assert_eq!(
        status_and_body(&response),
        ("HTTP/1.1 431 Request Header Fields Too Large", "")
    );
    assert_eq!(server.dialog_count(), 0);
}

#[tokio::test]
async fn unreadable_framing_is_hyper_s_empty_400() {
    let server = server().await;
    // What the README lists as answered by the HTTP layer, before the mock sees the request.
    for framing in ["content-length: -1\r\n", "content-length: 1\r\ncontent-length: 2\r\n"] {
        let request =
            format!("POST {PATH} HTTP/1.1\r\nhost: x\r\nqb-token: {TOKEN}\r\n{framing}connection: close\r\n\r\n{{}}");
        let response = raw_http(&server, request.as_bytes()).await;
        assert_eq!(
            status_and_body(&response),
            ("HTTP/1.1 400 Bad Request", ""),
            "{framing}"
        );
    }
}

#[tokio::test]
async fn the_rate_limit_is_per_credential_and_answers_429() {
    let server = MockServer::start(Config {
        rate_limit: Some(3.try_into().unwrap()),
        ..config()
    })
    .await
    .unwrap();
    let client = token_client(&server);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(match client.create_dialog().body(recipe("public")).send().await {
            Ok(dialog) => dialog.status().as_u16(),
            Err(Error::ErrorResponse(response)) => {
                let status = response.status().as_u16();
                assert!(matches!(response.into_inner(), ErrorResponse::ErrorMessages(body) if body.errors == ["Too Many Requests"]));
                status
            }
            Err(other) => panic!("{other}"),
        });
    }
    // Five requests within a fraction of a second: the burst of three passes, the rest wait.
    assert_eq!(statuses, [201, 201, 201, 429, 429]);
    let other = Client::with_session_token(&server.base_url(), OTHER_TOKEN).unwrap();
    other
        .create_dialog()
        .body(recipe("public"))
        .send()
        .await
        .expect("another credential has its own budget");
    tokio::time::sleep(Duration::from_millis(400)).await;
    client
        .create_dialog()
        .body(recipe("public"))
        .send()
        .await
        .expect("the bucket refills");
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let server = server().await;
    let addr = server.addr();
    token_client(&server)
        .create_dialog()
        .body(recipe("public"))
        .send()
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), server.shutdown())
        .await
        .expect("shutdown finishes");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens on {addr} any more"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The bounded store, the seed and the read timeout.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_store_keeps_at_most_max_dialogs_and_forgets_the_oldest_first() {
    let server = MockServer::start(Config {
        max_dialogs: 3,
        ..config()
    })
    .await
    .unwrap();
    let client = token_client(&server);
    let private = client.create_dialog().body(recipe("private")).send().await.unwrap();
    let group = client.create_dialog().body(recipe("group")).send().await.unwrap();
    let again = client.create_dialog().body(recipe("private")).send().await.unwrap();
    assert_eq!(again.id, private.id, "still stored: the same dialog");
    assert_eq!(server.dialog_count(), 2);
    for _ in 0..2 {
        client.create_dialog().body(recipe("public")).send().await.unwrap();
    }
    assert_eq!(server.dialog_count(), 3, "the cap holds");
    let after = client.create_dialog().body(recipe("private")).send().await.unwrap();
    assert_ne!(
        after.id, private.id,
        "the oldest dialog was forgotten: the pair gets a new one"
    );
    assert_ne!(after.id, group.id);
    let repeated = client.create_dialog().body(recipe("private")).send().await.unwrap();
    assert_eq!(
        repeated.id, after.id,
        "and the new one is returned again while it is stored"
    );
    assert_eq!(server.dialog_count(), 3);
}

#[tokio::test]
async fn a_body_that_stops_short_is_408_after_the_read_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = MockServer::start(Config {
        read_timeout: Duration::from_millis(500),
        ..config()
    })
    .await
    .unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "POST {PATH} HTTP/1.1\r\nhost: x\r\nqb-token: {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"type\":"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let start = std::time::Instant::now();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    let response = String::from_utf8(response).unwrap();
    assert_eq!(
        status_and_body(&response),
        (
            "HTTP/1.1 408 Request Timeout",
            r#"{"errors":["Request Timeout: the body did not arrive within 0.5 s"]}"#
        )
    );
    assert_eq!(server.dialog_count(), 0);
}

#[tokio::test]
async fn a_seed_gives_the_same_ids_and_times_in_two_servers() {
    let seeded = |seed| Config {
        seed: Some(seed),
        ..config()
    };
    let mut answers = Vec::new();
    for seed in [7, 7, 8] {
        let server = MockServer::start(seeded(seed)).await.unwrap();
        let mut bodies = Vec::new();
        for name in ["group", "private", "private", "public"] {
            let raw = post(
                &server,
                &[JSON, AUTH_TOKEN],
                serde_json::to_string(&recipe(name)).unwrap(),
            )
            .await;
            bodies.push(raw.body);
        }
        answers.push(bodies);
    }
    assert_eq!(answers[0], answers[1]);
    assert_ne!(answers[0], answers[2], "another seed, other ids");
    let times: Vec<&str> = answers[0]
        .iter()
        .map(|body| body["created_at"].as_str().unwrap())
        .collect();
    // One tick per request from the logical clock's epoch; the repeated private dialog keeps its time.
    assert_eq!(
        times,
        [
            "2020-01-20T21:32:34Z",
            "2020-01-20T21:32:35Z",
            "2020-01-20T21:32:35Z",
            "2020-01-20T21:32:37Z"
        ]
    );
    assert!(
        answers[0][0]["_id"].as_str().unwrap().starts_with("5e261c72"),
        "the id holds the time"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// What every operation shares with create: authentication, the rate limit, the methods a path takes.
// ---------------------------------------------------------------------------------------------------------------

/// One request of each operation that is not create, as (what, method, path, body).
fn every_other_operation() -> [(&'static str, reqwest::Method, String, &'static str); 4] {
    let one = "/chat/Dialog/5d75393ba28f9a17e1cb0f9e.json".to_string();
    [
        ("list", reqwest::Method::GET, PATH.to_string(), ""),
        ("get", reqwest::Method::GET, one.clone(), ""),
        ("update", reqwest::Method::PUT, one.clone(), r#"{"photo":"1"}"#),
        ("delete", reqwest::Method::DELETE, one, ""),
    ]
}

#[tokio::test]
async fn every_operation_authenticates_like_create() {
    let server = server().await;
    for (what, method, path, body) in every_other_operation() {
        let raw = send(&server, method.clone(), &path, &[JSON], body.into()).await;
        assert_eq!(
            (raw.status, raw.body),
            (
                401,
                json!({"errors": ["Unauthorized: send a session token in QB-Token or an API key in Authorization"]})
            ),
            "{what}"
        );
        let raw = send(
            &server,
            method.clone(),
            &path,
            &[JSON, ("qb-token", "nope")],
            body.into(),
        )
        .await;
        assert_eq!(
            (raw.status, raw.body),
            (401, json!({"errors": {"base": ["Required session does not exist"]}})),
            "{what}"
        );
        // An API key acts for a user: without one, each operation refuses with the 422 the real API answers
        // (docs/api-facts.md), which every operation declares.
        let authorization = format!("ApiKey {API_KEY}");
        let raw = send(
            &server,
            method.clone(),
            &path,
            &[JSON, ("authorization", authorization.as_str())],
            body.into(),
        )
        .await;
        assert_eq!(
            (raw.status, raw.body),
            (422, json!({"errors": {"base": ["Forbidden. Need user."]}})),
            "{what}"
        );
        // A malformed On-Behalf-Of: 422, which every operation declares.
        let raw = send(
            &server,
            method.clone(),
            &path,
            &[JSON, ("authorization", authorization.as_str()), ("on-behalf-of", "me")],
            body.into(),
        )
        .await;
        assert_eq!(
            (raw.status, raw.body),
            (422, json!({"errors": {"On-Behalf-Of": ["must be an integer user id"]}})),
            "{what}"
        );
    }
}

#[tokio::test]
async fn every_operation_is_rate_limited_like_create() {
    let server = MockServer::start(Config {
        rate_limit: Some(1.try_into().unwrap()),
        ..config()
    })
    .await
    .unwrap();
    for (what, method, path, body) in every_other_operation() {
        // A fresh second's budget for each operation: the first request passes the limiter, the second does not.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let first = send(&server, method.clone(), &path, &[JSON, AUTH_TOKEN], body.into()).await;
        assert_ne!(first.status, 429, "{what}");
        let second = send(&server, method.clone(), &path, &[JSON, AUTH_TOKEN], body.into()).await;
        assert_eq!(
            (second.status, second.body),
            (429, json!({"errors": ["Too Many Requests"]})),
            "{what}"
        );
    }
}

#[tokio::test]
async fn the_dialog_path_takes_get_put_and_delete_and_needs_its_json_suffix() {
    let server = server().await;
    let one = "/chat/Dialog/5d75393ba28f9a17e1cb0f9e.json";
    for method in [reqwest::Method::POST, reqwest::Method::PATCH, reqwest::Method::OPTIONS] {
        let raw = send(&server, method.clone(), one, &[AUTH_TOKEN], reqwest::Body::from("")).await;
        assert_eq!(
            (raw.status, raw.allow.as_deref(), raw.body),
            (
                405,
                Some("GET, PUT, DELETE"),
                json!({"errors": [format!("Method Not Allowed: {one} takes GET, PUT, DELETE")]})
            ),
            "{method}"
        );
    }
    for path in [
        "/chat/Dialog/5d75393ba28f9a17e1cb0f9e",
        "/chat/Dialog/.json",
        "/chat/Dialog/a/b.json",
    ] {
        let raw = send(
            &server,
            reqwest::Method::GET,
            path,
            &[AUTH_TOKEN],
            reqwest::Body::from(""),
        )
        .await;
        assert_eq!(
            (raw.status, raw.body),
            (404, json!({"errors": ["Not found"]})),
            "{path}"
        );
    }
    // An update takes JSON only; a form body cannot nest push_all and pull_all as the API reads them.
    let raw = send(
        &server,
        reqwest::Method::PUT,
        one,
        &[AUTH_TOKEN, ("content-type", "application/x-www-form-urlencoded")],
        reqwest::Body::from("photo=1"),
    )
    .await;
    assert_eq!(
        (raw.status, raw.body),
        (
            415,
            json!({"errors": ["Unsupported Content-Type: an update takes application/json"]})
        )
    );
}
