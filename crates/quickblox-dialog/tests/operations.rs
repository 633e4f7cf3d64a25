//! List, get, update and delete through the typed client: the exact request of every spec example and vendor recipe under both schemes, the query's wire form, paging and counting.

mod support;

use quickblox_dialog::types::{DialogSortField, ErrorResponse, UpdateDialogRequest, UserIdChanges};
use quickblox_dialog::{builder, dialog_id_list, Client, DialogQuery, DialogType, Error};
use serde_json::{json, Value};
use support::{LoopbackServer, Recorded};

/// The vendor page's credentials, which are examples and grant nothing.
const TOKEN: &str = "eddf864695d72d33b959eec2ae6c640d817dfada";
const API_KEY: &str = "28irlNAGasWDSupO9Vw0BBMZfuHrAUYKpmroS9yBORI";
/// The user the API key acts for, the spec's `On-Behalf-Of` example.
const USER: i64 = 123;

#[derive(Clone, Copy)]
enum Scheme {
    SessionToken,
    ApiKey,
}

const SCHEMES: [Scheme; 2] = [Scheme::SessionToken, Scheme::ApiKey];

impl Scheme {
    fn client(self, base_url: &str) -> Client {
        match self {
            Self::SessionToken => Client::with_session_token(base_url, TOKEN).unwrap(),
            Self::ApiKey => Client::with_api_key(base_url, API_KEY).unwrap(),
        }
    }

    /// The user to act for: only the API key names one.
    fn user(self) -> Option<i64> {
        match self {
            Self::SessionToken => None,
            Self::ApiKey => Some(USER),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::SessionToken => "session token",
            Self::ApiKey => "api key",
        }
    }
}

/// `.on_behalf_of(user)` when there is a user, on every builder this file sends.
trait Acting: Sized {
    fn on_behalf_of_user(self, user: i64) -> Self;

    fn acting(self, user: Option<i64>) -> Self {
        match user {
            Some(user) => self.on_behalf_of_user(user),
            None => self,
        }
    }
}

macro_rules! acting {
    ($($builder:ty),*) => {
        $(impl Acting for $builder {
            fn on_behalf_of_user(self, user: i64) -> Self {
                self.on_behalf_of(user)
            }
        })*
    };
}

acting!(
    builder::ListDialogs<'_>,
    builder::GetDialog<'_>,
    builder::UpdateDialog<'_>,
    builder::DeleteDialogs<'_>,
    quickblox_dialog::DialogPager<'_>,
    quickblox_dialog::CountDialogs<'_>
);

/// The request as a reviewer reads it: request line with its query, headers (the port-bearing `host` redacted), and
/// the body when there is one.
fn render(request: &Recorded) -> String {
    let mut out = format!("{} {}\n", request.method, request.path);
    for (name, value) in &request.headers {
        let value = if name == "host" { "[loopback]" } else { value };
        out.push_str(&format!("{name}: {value}\n"));
    }
    if !request.body.is_empty() {
        out.push('\n');
        out.push_str(&serde_json::to_string_pretty(&request.json()).unwrap());
        out.push('\n');
    }
    out
}

/// The spec's success example `name` of `operation`.
fn success(spec: &Value, operation: &str, name: &str) -> Value {
    support::response_examples_of(spec, operation)
        .into_iter()
        .find(|(status, example, _)| status == "200" && example == name)
        .map(|(_, _, value)| value)
        .unwrap_or_else(|| panic!("{operation} has no 200 example {name}"))
}

/// Runs `$call` (an async expression of `$client` and `$user`) once per scheme against a server answering `$answer`
/// with 200, checks that it succeeded, and returns both requests rendered, the session token's first.
macro_rules! under_both_schemes {
    ($answer:expr, |$client:ident, $user:ident| $call:expr) => {{
        let mut rendered = String::new();
        let mut requests = Vec::new();
        for scheme in SCHEMES {
            let server = LoopbackServer::start(200, $answer.to_string()).await;
            let $client = scheme.client(&server.base_url);
            let $user = scheme.user();
            if let Err(err) = $call.await {
                panic!("{}: {err}", scheme.name());
            }
            let mut sent = server.requests();
            assert_eq!(sent.len(), 1, "{}: one request", scheme.name());
            let request = sent.remove(0);
            rendered.push_str(&format!("# {}\n{}\n", scheme.name(), render(&request)));
            requests.push(request);
        }
        (rendered, requests)
    }};
}

fn id(text: &str) -> quickblox_dialog::types::DialogId {
    text.parse().expect("a valid dialog id")
}

// ---------------------------------------------------------------------------------------------------------------
// List: the vendor's recipes, and the wire form of every filter.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_recipes_send_the_documented_query_under_both_schemes() {
    let spec = support::spec();
    let page = success(&spec, support::LIST, "page");
    let count = success(&spec, support::LIST, "count");
    // The spec's parameter examples are the recipes' values.
    let parameter = |name: &str| {
        spec.pointer(&format!("{}/parameters", support::LIST))
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == name)
            .unwrap_or_else(|| panic!("list_dialogs has a parameter {name}"))["example"]
            .clone()
    };
    assert_eq!(parameter("limit"), json!(2));
    assert_eq!(
        parameter("data"),
        json!({"class_name": "CoolDialog", "category": "friends"})
    );

    // "Filter dialogs by custom field".
    let (rendered, requests) = under_both_schemes!(page, |client, user| async {
        let query = DialogQuery::new()
            .data_eq("class_name", "CoolDialog")
            .data_eq("category", "friends");
        client.dialogs(query).acting(user).next_page().await.expect("one page")
    });
    for request in &requests {
        assert_eq!(request.query("data[class_name]"), Some("CoolDialog"));
        assert_eq!(request.query("data[category]"), Some("friends"));
    }
    insta::assert_snapshot!("list_recipe_custom_field", rendered);

    // "Count dialogs": `count=1`, and the answer is the number.
    let (rendered, _) = under_both_schemes!(count, |client, user| async {
        let counted = client.count_dialogs(DialogQuery::new()).acting(user).send().await?;
        assert_eq!(counted, 6);
        Ok::<_, Error<ErrorResponse>>(())
    });
    insta::assert_snapshot!("list_recipe_count", rendered);

    // "Get dialog by dialog ID", from before the get operation existed: `_id=<id>`.
    let (rendered, requests) = under_both_schemes!(page, |client, user| {
        let query = DialogQuery::new().id_eq(id("5d75393ba28f9a17e1cb0f9e"));
        query.apply(client.list_dialogs()).unwrap().acting(user).send()
    });
    assert!(requests
        .iter()
        .all(|r| r.query("_id") == Some("5d75393ba28f9a17e1cb0f9e")));
    insta::assert_snapshot!("list_recipe_by_id", rendered);

    // Public groups and groups, latest message first, three at most.
    let (rendered, requests) = under_both_schemes!(page, |client, user| {
        let query = DialogQuery::new()
            .type_in(&[DialogType::PublicGroup, DialogType::Group])
            .sort_desc(DialogSortField::LastMessageDateSent)
            .limit(3);
        query.apply(client.list_dialogs()).unwrap().acting(user).send()
    });
    for request in &requests {
        assert_eq!(
            request.path,
            "/chat/Dialog.json?limit=3&sort_desc=last_message_date_sent&type[in]=1,2"
        );
    }
    insta::assert_snapshot!("list_recipe_type_sorted", rendered);

    // The page example's request, `?limit=2`; under the API key it is the recipe "List dialogs with API key".
    let (rendered, _) = under_both_schemes!(page, |client, user| async {
        let mut pager = client.dialogs(DialogQuery::new().limit(2)).acting(user);
        let items = pager.next_page().await.expect("one page")?;
        assert_eq!(items.len(), 2);
        assert_eq!(*items[0].id, "5d75393ba28f9a17e1cb0f9e");
        assert_eq!(pager.total_entries(), Some(6));
        Ok::<_, Error<ErrorResponse>>(())
    });
    insta::assert_snapshot!("list_recipe_page", rendered);
}

/// The shapes the API's overview asks for, one by one: raw brackets, comma-joined lists, custom-data keys.
#[tokio::test]
async fn the_query_goes_out_with_raw_brackets_and_comma_joined_lists() {
    let spec = support::spec();
    let page = success(&spec, support::LIST, "page").to_string();
    let cases: Vec<(DialogQuery, &str)> = vec![
        (
            DialogQuery::new().updated_after(1556829805),
            "updated_at[gt]=1556829805",
        ),
        (
            DialogQuery::new().updated_before(1556829805),
            "updated_at[lt]=1556829805",
        ),
        (
            DialogQuery::new().type_in(&[DialogType::PublicGroup, DialogType::Group]),
            "type[in]=1,2",
        ),
        // The generated `.data()` takes an ordered map, so the keys go out sorted, `category` before `class_name`;
        // a query's pairs are unordered to the server.
        (
            DialogQuery::new()
                .data_eq("class_name", "CoolDialog")
                .data_eq("category", "friends"),
            "data[category]=friends&data[class_name]=CoolDialog",
        ),
        (
            DialogQuery::new().occupants_all(&[96754523, 96830631]),
            "occupants_ids[all]=96754523,96830631",
        ),
        (
            DialogQuery::new().last_message_at_none_of(&[1556739654, 1556739987]),
            "last_message_date_sent[nin]=1556739654,1556739987",
        ),
        // Values stay encoded: only the syntax of keys and lists is raw.
        (
            DialogQuery::new().name_contains("a&b [c], d"),
            "name[ctn]=a%26b+%5Bc%5D%2C+d",
        ),
        (DialogQuery::new().data_eq("tag", "x&y=z"), "data[tag]=x%26y%3Dz"),
    ];
    for (query, expected) in cases {
        let server = LoopbackServer::start(200, page.clone()).await;
        let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
        query.apply(client.list_dialogs()).unwrap().send().await.unwrap();
        assert_eq!(server.requests()[0].path, format!("/chat/Dialog.json?{expected}"));
    }
}

/// Every query parameter of the spec has its typed method: one query with all of them sends every key once.
#[tokio::test]
async fn every_filter_of_the_spec_has_a_typed_method() {
    let spec = support::spec();
    let page = success(&spec, support::LIST, "page").to_string();
    let server = LoopbackServer::start(200, page).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let query = DialogQuery::new()
        .id_eq(id("5d75393ba28f9a17e1cb0f9e"))
        .id_ne(id("5d753421a28f9a2596cb0f98"))
        .type_eq(DialogType::Group)
        .type_in(&[DialogType::Group, DialogType::Private])
        .name_eq("New Year party")
        .name_ne("Old")
        .name_in(&["a", "b"])
        .name_contains("Year")
        .occupants_all(&[96753878, 96754523])
        .created_after(1)
        .created_at_or_after(2)
        .created_before(3)
        .created_at_or_before(4)
        .updated_after(5)
        .updated_at_or_after(6)
        .updated_before(7)
        .updated_at_or_before(8)
        .last_message_after(9)
        .last_message_at_or_after(10)
        .last_message_before(11)
        .last_message_at_or_before(12)
        .last_message_not_at(13)
        .last_message_at_any_of(&[14, 15])
        .last_message_at_none_of(&[16, 17])
        .data_eq("class_name", "CoolDialog")
        .sort_asc(DialogSortField::Name)
        .limit(50)
        .skip(10);
    // The stub answers a page, which a count refuses; only the request matters here.
    client.count_dialogs(query.clone()).send().await.unwrap_err();
    query.apply(client.list_dialogs()).unwrap().send().await.unwrap();
    let requests = server.requests();
    let (_, wire) = requests[1].path.split_once('?').unwrap();
    let keys: Vec<&str> = wire.split('&').map(|pair| pair.split_once('=').unwrap().0).collect();

    // The spec's query parameters, with `data` standing for its `data[...]` keys and `count` for count_dialogs.
    let mut declared: Vec<String> = spec
        .pointer(&format!("{}/parameters", support::LIST))
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .filter(|parameter| parameter["in"] == "query")
        .map(|parameter| parameter["name"].as_str().unwrap().to_string())
        .filter(|name| name != "count" && name != "sort_desc")
        .map(|name| {
            if name == "data" {
                "data[class_name]".to_string()
            } else {
                name
            }
        })
        .collect();
    declared.sort();
    let mut sent: Vec<String> = keys.iter().map(|key| key.to_string()).collect();
    sent.sort();
    assert_eq!(
        sent, declared,
        "each query parameter is sent once (sort_desc is the other direction of sort_asc)"
    );
    assert_eq!(requests[0].query("count"), Some("1"));
    insta::assert_snapshot!("list_every_filter", wire.replace('&', "\n"));

    let server = LoopbackServer::start(200, success(&spec, support::LIST, "page").to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let query = DialogQuery::new()
        .sort_asc(DialogSortField::Name)
        .sort_desc(DialogSortField::Id);
    query.apply(client.list_dialogs()).unwrap().send().await.unwrap();
    assert_eq!(
        server.requests()[0].path,
        "/chat/Dialog.json?sort_desc=_id",
        "the later sort wins"
    );
}

/// The request hook joins a repeated key with commas, which is right only because every list parameter of the spec
/// says `explode: false`; a new list parameter without it would be sent wrong.
#[test]
fn every_array_query_parameter_of_the_spec_is_not_exploded() {
    let spec = support::spec();
    let mut arrays = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(parameters) = operation.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for parameter in parameters {
                let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(target) => spec.pointer(target.trim_start_matches('#')).unwrap(),
                    None => parameter,
                };
                let schema = match parameter["schema"].get("$ref").and_then(Value::as_str) {
                    Some(target) => spec.pointer(target.trim_start_matches('#')).unwrap(),
                    None => &parameter["schema"],
                };
                if parameter["in"] != "query" || schema["type"] != "array" {
                    continue;
                }
                let name = format!("{method} {path} {}", parameter["name"].as_str().unwrap());
                assert_eq!(parameter["explode"], json!(false), "{name}: explode");
                assert!(
                    parameter.get("style").is_none() || parameter["style"] == "form",
                    "{name}: style"
                );
                arrays.push(name);
            }
        }
    }
    assert_eq!(arrays.len(), 5, "the list parameters of list_dialogs: {arrays:#?}");
}

#[tokio::test]
async fn a_query_the_spec_refuses_sends_nothing() {
    let server = LoopbackServer::start(200, "{}").await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let refused = [
        (DialogQuery::new().limit(0), "limit: must be from 1 to 100, got 0"),
        (DialogQuery::new().limit(101), "limit: must be from 1 to 100, got 101"),
        (
            DialogQuery::new().occupants_all(&[]),
            "occupants_all: the list is empty; the spec asks for at least one item",
        ),
    ];
    for (query, message) in refused {
        assert_eq!(query.apply(client.list_dialogs()).unwrap_err().to_string(), message);
        let err = client.dialogs(query.clone()).next_page().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m == message), "{err:?}");
        let err = client.count_dialogs(query).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m == message), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Paging and counting.
// ---------------------------------------------------------------------------------------------------------------

/// A dialog of the spec's get example with the id ending in `n`.
fn dialog(n: usize) -> Value {
    let mut dialog = success(&support::spec(), support::GET, "group");
    dialog["_id"] = json!(format!("5d75393ba28f9a17e1cb{n:04x}"));
    dialog
}

/// A server holding `total` dialogs, answering each list request with the page its `skip` and `limit` select.
async fn paging_server(total: usize) -> LoopbackServer {
    LoopbackServer::start_computed(move |request| {
        let number = |key: &str, default: usize| request.query(key).map_or(default, |v| v.parse().unwrap());
        let (skip, limit) = (number("skip", 0), number("limit", 100));
        let items: Vec<Value> = (skip..total.min(skip + limit)).map(dialog).collect();
        let body = json!({"total_entries": total, "skip": skip, "limit": limit, "items": items});
        (200, body.to_string().into_bytes())
    })
    .await
}

#[tokio::test]
async fn the_pager_yields_every_page_and_stops() {
    let server = paging_server(7).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let query = DialogQuery::new().type_eq(DialogType::Group).limit(3);
    let mut pager = client.dialogs(query.clone());
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = pager.next_page().await {
        let page = page.unwrap();
        sizes.push(page.len());
        ids.extend(page.into_iter().map(|dialog| dialog.id.to_string()));
    }
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(
        ids,
        (0..7)
            .map(|n| format!("5d75393ba28f9a17e1cb{n:04x}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(pager.pages(), 3);
    assert_eq!(pager.total_entries(), Some(7));
    assert!(pager.next_page().await.is_none(), "a finished pager stays finished");
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/chat/Dialog.json?limit=3&type=2",
            "/chat/Dialog.json?limit=3&skip=3&type=2",
            "/chat/Dialog.json?limit=3&skip=6&type=2",
        ],
        "no request after the last page"
    );

    // The same walk in one call, from a skip of the caller's, with the API key.
    let server = paging_server(7).await;
    let client = Client::with_api_key(&server.base_url, API_KEY).unwrap();
    let all = client
        .dialogs(query.skip(2))
        .on_behalf_of(USER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.header("on-behalf-of") == Some("123")));
    assert_eq!(requests[1].query("skip"), Some("5"));
}

#[tokio::test]
async fn the_pager_stops_on_an_empty_list_and_after_an_error() {
    let server = paging_server(0).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let mut pager = client.dialogs(DialogQuery::new());
    assert_eq!(pager.next_page().await.unwrap().unwrap(), []);
    assert!(pager.next_page().await.is_none());
    assert_eq!(server.requests().len(), 1);

    let server = LoopbackServer::start(401, r#"{"errors":["Unauthorized"]}"#).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let mut pager = client.dialogs(DialogQuery::new());
    let err = pager.next_page().await.unwrap().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(pager.next_page().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_that_ignores_skip_ends_the_walk_with_an_error() {
    let server = LoopbackServer::start_computed(|_| {
        let body = json!({"total_entries": 1000, "skip": 0, "limit": 2, "items": [dialog(0), dialog(1)]});
        (200, body.to_string().into_bytes())
    })
    .await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let mut pager = client.dialogs(DialogQuery::new().limit(2));
    assert_eq!(pager.next_page().await.unwrap().unwrap().len(), 2);
    let err = pager.next_page().await.unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error: asked for the dialogs after the first 2, but the server answered the page after the first 0"
    );
    assert!(pager.next_page().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_page_and_a_count_are_told_apart_for_the_caller() {
    let spec = support::spec();
    // A count where a page was asked for, and a page where a count was.
    let server = LoopbackServer::start(200, success(&spec, support::LIST, "count").to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let err = client
        .dialogs(DialogQuery::new())
        .next_page()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error: asked for a page of dialogs, but the server answered with a count"
    );
    let server = LoopbackServer::start(200, success(&spec, support::LIST, "page").to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let err = client.count_dialogs(DialogQuery::new()).send().await.unwrap_err();
    assert!(err.to_string().contains("but the server answered with a page"), "{err}");
    // Filters go with a count, in the same form.
    let server = LoopbackServer::start(200, success(&spec, support::LIST, "count").to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let counted = client
        .count_dialogs(
            DialogQuery::new()
                .type_in(&[DialogType::Group])
                .data_eq("category", "friends"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(counted, 6);
    assert_eq!(
        server.requests()[0].path,
        "/chat/Dialog.json?count=1&data[category]=friends&type[in]=2"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Get, update, delete.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_the_spec_example_id_in_the_path() {
    let spec = support::spec();
    let example = spec
        .pointer("/components/parameters/ChatDialogId/example")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    let answer = success(&spec, support::GET, "group");
    let (rendered, requests) = under_both_schemes!(answer, |client, user| async {
        let dialog = client
            .get_dialog()
            .chat_dialog_id(example.as_str())
            .acting(user)
            .send()
            .await?;
        assert_eq!(*dialog.id, example);
        assert_eq!(dialog.type_, DialogType::Group);
        Ok::<_, Error<ErrorResponse>>(())
    });
    assert!(requests
        .iter()
        .all(|r| r.path == format!("/chat/Dialog/{example}.json")));
    insta::assert_snapshot!("get_example", rendered);

    // A malformed id is refused before anything is sent.
    let server = LoopbackServer::start(200, answer.to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let err = client
        .get_dialog()
        .chat_dialog_id("../Dialog")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

/// The vendor's update recipes, one a spec example, built with the typed request.
fn update_recipes() -> Vec<(&'static str, UpdateDialogRequest)> {
    let ids = |ids: &[i64]| {
        Some(UserIdChanges {
            occupants_ids: ids.to_vec(),
            ..UserIdChanges::default()
        })
    };
    let mut data = serde_json::Map::new();
    data.insert("category".into(), "friends".into());
    vec![
        (
            "name",
            UpdateDialogRequest {
                name: Some("New Year 2020 party".try_into().unwrap()),
                ..Default::default()
            },
        ),
        (
            "add_occupants",
            UpdateDialogRequest {
                push_all: ids(&[91375295, 96705448]),
                ..Default::default()
            },
        ),
        (
            "remove_occupants",
            UpdateDialogRequest {
                pull_all: ids(&[91375295, 96705448]),
                ..Default::default()
            },
        ),
        (
            "custom_data",
            UpdateDialogRequest {
                data: Some(quickblox_dialog::types::CustomData {
                    class_name: "CoolDialog".try_into().unwrap(),
                    extra: data,
                }),
                ..Default::default()
            },
        ),
        (
            "add_admins",
            UpdateDialogRequest {
                push_all: Some(UserIdChanges {
                    admin_ids: vec![96754523],
                    ..UserIdChanges::default()
                }),
                ..Default::default()
            },
        ),
        (
            "owner",
            UpdateDialogRequest {
                user_id: Some(96754523),
                ..Default::default()
            },
        ),
    ]
}

#[tokio::test]
async fn update_recipes_send_the_spec_examples_under_both_schemes() {
    let spec = support::spec();
    let examples = support::request_examples_of(&spec, support::UPDATE);
    let answer = success(&spec, support::UPDATE, "renamed");
    let recipes = update_recipes();
    let mut names: Vec<&str> = recipes.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    let spec_names: Vec<&str> = examples.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names, spec_names,
        "each request example of update_dialog has exactly one recipe here"
    );
    for (name, body) in recipes {
        let (rendered, requests) = under_both_schemes!(answer, |client, user| {
            client
                .update_dialog()
                .chat_dialog_id("5d75393ba28f9a17e1cb0f9e")
                .body(body.clone())
                .acting(user)
                .send()
        });
        let expected = &examples.iter().find(|(example, _)| example == name).unwrap().1;
        for request in &requests {
            assert_eq!(
                &request.json(),
                expected,
                "{name}: the body differs from the spec's example"
            );
        }
        insta::assert_snapshot!(format!("update_recipe_{name}"), rendered);
    }
    // The answer decodes into the renamed dialog.
    let server = LoopbackServer::start(200, answer.to_string()).await;
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let dialog = client
        .update_dialog()
        .chat_dialog_id("5d75393ba28f9a17e1cb0f9e")
        .body(UpdateDialogRequest::default())
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.name, "New Year 2020 party");
    assert_eq!(server.requests()[0].body, b"{}");
}

#[tokio::test]
async fn delete_recipes_join_the_ids_with_raw_commas_and_send_force_in_the_query() {
    let spec = support::spec();
    let example = spec
        .pointer(&format!("{}/parameters/1/example", support::DELETE))
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    let ids: Vec<&str> = example.split(',').collect();
    let answer = success(&spec, support::DELETE, "some_not_found");

    // "Delete dialogs" for the requesting user only.
    let (rendered, requests) = under_both_schemes!(answer, |client, user| async {
        let result = client
            .delete_dialogs()
            .chat_dialog_id(dialog_id_list(&ids).unwrap())
            .acting(user)
            .send()
            .await?
            .into_inner();
        assert_eq!(result.successfully_deleted.unwrap().ids, ids);
        assert_eq!(result.not_found.unwrap().ids, ["5d7562d4a2123a1694cb0f9b"]);
        assert_eq!(result.wrong_permissions, None);
        Ok::<_, Error<ErrorResponse>>(())
    });
    assert!(requests
        .iter()
        .all(|r| r.path == "/chat/Dialog/5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b.json"));
    insta::assert_snapshot!("delete_recipe_own", rendered);

    // "Delete dialogs for everyone": force=1, in the query.
    let answer = success(&spec, support::DELETE, "wrong_permissions");
    let (rendered, requests) = under_both_schemes!(answer, |client, user| async {
        let result = client
            .delete_dialogs()
            .chat_dialog_id(dialog_id_list(&ids).unwrap())
            .force(1)
            .acting(user)
            .send()
            .await?
            .into_inner();
        assert_eq!(result.wrong_permissions.unwrap().ids, [ids[1]]);
        Ok::<_, Error<ErrorResponse>>(())
    });
    assert!(requests
        .iter()
        .all(|r| r.path == "/chat/Dialog/5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b.json?force=1"));
    insta::assert_snapshot!("delete_recipe_force", rendered);
}
