//! The client against a mock HTTP server: the exact headers of each scheme, and how every kind of response decodes.

use httpmock::Method::POST;
use httpmock::MockServer;
use quickblox_dialog::types::{CreateDialogRequest, ErrorResponse};
use quickblox_dialog::{Client, DialogType, Error};
use serde_json::{json, Value};

const TOKEN: &str = "session-token-value";
const KEY: &str = "api-key-value";

fn private_dialog() -> CreateDialogRequest {
    CreateDialogRequest {
        occupants_ids: Some(vec![102433721].into()),
        ..CreateDialogRequest::new(DialogType::Private)
    }
}

fn created(kind: i64) -> Value {
    json!({
        "_id": "5e261c72a28f9a4f779f10bb",
        "created_at": "2020-01-20T21:32:34Z",
        "updated_at": "2020-01-20T21:32:34Z",
        "last_message": null,
        "last_message_date_sent": null,
        "last_message_id": null,
        "last_message_user_id": null,
        "name": "Bob",
        "occupants_ids": [102433721, 102433734],
        "photo": null,
        "type": kind,
        "user_id": 102433734,
        "xmpp_room_jid": null,
        "unread_messages_count": null
    })
}

/// A server that answers `status` with `body` to any POST of the dialog path.
async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start_async().await;
    let body = body.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/chat/Dialog.json");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    server
}

async fn create_with_token(
    server: &MockServer,
) -> Result<quickblox_dialog::ResponseValue<quickblox_dialog::types::Dialog>, Error<ErrorResponse>> {
    let client = Client::with_session_token(&server.base_url(), TOKEN).unwrap();
    client.create_dialog().body(private_dialog()).send().await
}

#[tokio::test]
async fn session_token_sends_only_qb_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/chat/Dialog.json")
                .header("qb-token", TOKEN)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("authorization")
                .header_missing("on-behalf-of")
                .header_missing("api-version")
                .json_body(json!({"type": 3, "occupants_ids": [102433721]}));
            then.status(201).json_body(created(3));
        })
        .await;
    let response = create_with_token(&server).await.expect("201 decodes");
    mock.assert_async().await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(*response.id, "5e261c72a28f9a4f779f10bb");
    assert_eq!(response.type_, DialogType::Private);
    assert_eq!(response.occupants_ids, [102433721, 102433734]);
    assert_eq!(response.created_at.to_rfc3339(), "2020-01-20T21:32:34+00:00");
}

#[tokio::test]
async fn api_key_sends_authorization_and_on_behalf_of() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/chat/Dialog.json")
                .header("authorization", format!("ApiKey {KEY}"))
                .header("on-behalf-of", "123")
                .header_missing("qb-token")
                .header_missing("api-version");
            then.status(201).json_body(created(2));
        })
        .await;
    let client = Client::with_api_key(&server.base_url(), KEY).unwrap();
    let response = client
        .create_dialog()
        .on_behalf_of(123)
        .body(CreateDialogRequest {
            name: Some("New Year party".try_into().unwrap()),
            ..CreateDialogRequest::new(DialogType::Group)
        })
        .send()
        .await
        .expect("201 decodes");
    mock.assert_async().await;
    assert_eq!(response.type_, DialogType::Group);
}

#[tokio::test]
async fn on_behalf_of_is_refused_with_a_session_token_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(created(3));
        })
        .await;
    let client = Client::with_session_token(&server.base_url(), TOKEN).unwrap();
    let err = client
        .create_dialog()
        .on_behalf_of(5)
        .body(private_dialog())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("On-Behalf-Of")),
        "{err}"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn message_list_errors_decode() {
    let server = answering(401, r#"{"errors":["Unauthorized"]}"#).await;
    match create_with_token(&server).await.unwrap_err() {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status().as_u16(), 401);
            let ErrorResponse::ErrorMessages(body) = response.into_inner() else {
                panic!("the message-list shape")
            };
            assert_eq!(body.errors, ["Unauthorized"]);
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

#[tokio::test]
async fn field_keyed_errors_decode() {
    let server = answering(
        422,
        r#"{"errors":{"occupants_ids":["Occupants with these IDs do not exist."]}}"#,
    )
    .await;
    match create_with_token(&server).await.unwrap_err() {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status().as_u16(), 422);
            let ErrorResponse::FieldErrors(body) = response.into_inner() else {
                panic!("the field-keyed shape")
            };
            assert_eq!(body.errors["occupants_ids"], ["Occupants with these IDs do not exist."]);
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

#[tokio::test]
async fn each_error_shape_decodes_under_either_status() {
    for (status, body) in [
        (401, r#"{"errors":{"base":["Required session does not exist"]}}"#),
        (422, r#"{"errors":["x"]}"#),
    ] {
        let server = answering(status, body).await;
        let Error::ErrorResponse(response) = create_with_token(&server).await.unwrap_err() else {
            panic!("{status} {body} is an error response")
        };
        assert_eq!(
            serde_json::to_value(response.into_inner()).unwrap(),
            serde_json::from_str::<Value>(body).unwrap()
        );
    }
}

#[tokio::test]
async fn an_error_body_of_neither_shape_is_an_invalid_payload() {
    for body in [r#"{"errors":5}"#, r#"{}"#, r#"{"errors":{"base":"not a list"}}"#, "[]"] {
        let server = answering(422, body).await;
        let err = create_with_token(&server).await.unwrap_err();
        assert!(matches!(err, Error::InvalidResponsePayload(..)), "{body}: {err:?}");
    }
}

#[tokio::test]
async fn an_unlisted_status_is_an_unexpected_response() {
    let server = answering(500, r#"{"errors":["boom"]}"#).await;
    match create_with_token(&server).await.unwrap_err() {
        Error::UnexpectedResponse(response) => assert_eq!(response.status().as_u16(), 500),
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_and_truncated_success_bodies_are_invalid_payloads() {
    let full = created(3).to_string();
    for body in ["{not json", &full[..full.len() / 2], ""] {
        let server = answering(201, body).await;
        let err = create_with_token(&server).await.unwrap_err();
        assert!(matches!(err, Error::InvalidResponsePayload(..)), "{body:?}: {err:?}");
    }
}

#[tokio::test]
async fn an_unknown_dialog_type_still_decodes() {
    let server = answering(201, &created(9).to_string()).await;
    let dialog = create_with_token(&server)
        .await
        .expect("a new dialog type does not fail the response");
    assert_eq!(dialog.type_, DialogType::Unknown(9));
}

#[tokio::test]
async fn unknown_fields_are_kept_not_refused() {
    let mut body = created(2);
    body["silent_ids"] = json!([7]);
    body["brand_new_field"] = json!({"nested": [1, 2]});
    let server = answering(201, &body.to_string()).await;
    let dialog = create_with_token(&server)
        .await
        .expect("new fields do not fail the response")
        .into_inner();
    assert_eq!(dialog.silent_ids, [7]);
    assert_eq!(dialog.extra["brand_new_field"], json!({"nested": [1, 2]}));
    assert_eq!(
        serde_json::to_value(&dialog).unwrap()["brand_new_field"],
        json!({"nested": [1, 2]})
    );
}

#[tokio::test]
async fn custom_data_fields_of_any_type_survive_both_ways() {
    let data = json!({"class_name": "ScoreTable", "level": 3, "ratio": 0.5, "done": true, "tags": ["a"], "where": {"lat": 1.5, "lng": 2.0}});
    let request: CreateDialogRequest = serde_json::from_value(json!({"type": 2, "name": "n", "data": data})).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap()["data"], data);

    let mut body = created(2);
    body["data"] = data.clone();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/chat/Dialog.json")
                .json_body(json!({"type": 2, "name": "n", "data": data}));
            then.status(201).json_body(body);
        })
        .await;
    let client = Client::with_session_token(&server.base_url(), TOKEN).unwrap();
    let dialog = client.create_dialog().body(request).send().await.unwrap().into_inner();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(dialog.data.unwrap()).unwrap(), data);
}
