//! The vendor page's recipes, built through the typed client: the exact request each sends is pinned, and its body must equal the spec's example.

mod support;

use quickblox_dialog::types::{CreateDialogRequest, CustomData, OccupantIds};
use quickblox_dialog::{Client, DialogType};
use serde_json::{json, Value};
use support::{LoopbackServer, Recorded};

/// The vendor page's credentials, which are examples and grant nothing.
const PRIVATE_TOKEN: &str = "eddf864695d72d33b959eec2ae6c640d817dfada";
const GROUP_TOKEN: &str = "1319b4991186601ccf4df2d0fa89565f68012bba";
const CUSTOM_DATA_TOKEN: &str = "2e80acd7f3d9c1e79312e0d1dafd6691ba012bba";
const API_KEY: &str = "28irlNAGasWDSupO9Vw0BBMZfuHrAUYKpmroS9yBORI";

fn joined(ids: &str) -> Option<OccupantIds> {
    Some(OccupantIds::Joined(
        ids.parse().expect("a valid comma-separated id list"),
    ))
}

fn group_request() -> CreateDialogRequest {
    CreateDialogRequest {
        name: Some("New Year party".try_into().unwrap()),
        occupants_ids: joined("96831397,96831328,96830631,96754523"),
        photo: Some("68123".to_string()),
        ..CreateDialogRequest::new(DialogType::Group)
    }
}

/// The request as a reviewer reads it: request line, headers (the port-bearing `host` redacted), body.
fn render(request: &Recorded) -> String {
    let mut out = format!("{} {}\n", request.method, request.path);
    for (name, value) in &request.headers {
        let value = if name == "host" { "[loopback]" } else { value };
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    out.push_str(&serde_json::to_string_pretty(&request.json()).unwrap());
    out.push('\n');
    out
}

struct Recipe {
    /// The name of the spec's request example this recipe must match.
    example: &'static str,
    client: fn(&str) -> Client,
    on_behalf_of: Option<i64>,
    body: fn() -> CreateDialogRequest,
}

fn recipes() -> Vec<Recipe> {
    vec![
        Recipe {
            example: "private",
            client: |url| Client::with_session_token(url, PRIVATE_TOKEN).unwrap(),
            on_behalf_of: None,
            body: || CreateDialogRequest {
                occupants_ids: joined("102433721"),
                ..CreateDialogRequest::new(DialogType::Private)
            },
        },
        Recipe {
            example: "public",
            client: |url| Client::with_session_token(url, PRIVATE_TOKEN).unwrap(),
            on_behalf_of: None,
            body: || CreateDialogRequest {
                name: Some("Soccer news".try_into().unwrap()),
                photo: Some("67834".to_string()),
                ..CreateDialogRequest::new(DialogType::PublicGroup)
            },
        },
        Recipe {
            example: "group",
            client: |url| Client::with_session_token(url, GROUP_TOKEN).unwrap(),
            on_behalf_of: None,
            body: group_request,
        },
        Recipe {
            example: "custom_data",
            client: |url| Client::with_session_token(url, CUSTOM_DATA_TOKEN).unwrap(),
            on_behalf_of: None,
            body: || {
                let extra = json!({"game_mode_name": "rainbow dash", "expert_mode": "3", "progress": "56"});
                CreateDialogRequest {
                    name: Some("Chat with Bob, Sam, Garry".try_into().unwrap()),
                    occupants_ids: joined("96754523,96830631,96831328"),
                    data: Some(CustomData {
                        class_name: "ScoreTable".try_into().unwrap(),
                        extra: extra.as_object().unwrap().clone(),
                    }),
                    ..CreateDialogRequest::new(DialogType::Group)
                }
            },
        },
        Recipe {
            example: "api_key",
            client: |url| Client::with_api_key(url, API_KEY).unwrap(),
            on_behalf_of: Some(123),
            body: group_request,
        },
    ]
}

#[tokio::test]
async fn every_recipe_sends_the_spec_example_with_the_documented_headers() {
    let spec = support::spec();
    let examples = support::request_examples(&spec);
    let success = support::response_examples(&spec)
        .into_iter()
        .find(|(status, _, _)| status == "201")
        .map(|(_, _, value)| value)
        .unwrap();
    let recipes = recipes();
    let mut names: Vec<&str> = recipes.iter().map(|recipe| recipe.example).collect();
    names.sort_unstable();
    let spec_names: Vec<&str> = examples.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names, spec_names,
        "each request example of the spec has exactly one recipe here"
    );

    for recipe in recipes {
        let server = LoopbackServer::start(201, success.to_string()).await;
        let client = (recipe.client)(&server.base_url);
        let mut call = client.create_dialog().body((recipe.body)());
        if let Some(user) = recipe.on_behalf_of {
            call = call.on_behalf_of(user);
        }
        call.send()
            .await
            .unwrap_or_else(|err| panic!("{}: {err}", recipe.example));

        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        let expected: &Value = &examples.iter().find(|(name, _)| name == recipe.example).unwrap().1;
        assert_eq!(
            &request.json(),
            expected,
            "{}: the body differs from the spec's example",
            recipe.example
        );
        insta::assert_snapshot!(format!("recipe_{}", recipe.example), render(request));
    }
}
