//! The whole Dialog resource in one sequence through the generated client (and its typed query and pager): create, list with each operator, sort, paging and count, get, each kind of update, and delete with and without force; run against the mock, and again through the proxy, which must see no mismatch.

use quickblox_dialog::types::{
    CreateDialogRequest, CustomData, DeleteDialogsResult, Dialog, DialogListResult, DialogSortField, ErrorResponse,
    UnixTime, UpdateDialogRequest,
};
use quickblox_dialog::{Client, DialogQuery, DialogType, Error, ResponseValue};
use quickblox_dialog_mock::schema::{component_validator, spec};
use quickblox_dialog_mock::{Config, MockServer, PATH};
use serde::Serialize;
use serde_json::{Value, json};

/// Three users with a session token each, and a fourth without one.
const A: i64 = 1001;
const B: i64 = 1002;
const C: i64 = 1003;
const D: i64 = 1004;

fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![
            ("token-a".to_string(), A),
            ("token-b".to_string(), B),
            ("token-c".to_string(), C),
        ],
        // The logical clock: each request one second later, so that time filters have distinct times to tell apart.
        seed: Some(11),
        ..Config::default()
    }
}

/// The typed value, written back as JSON, checked against the spec's component schema `schema`.
fn assert_conforms(schema: &str, value: &impl Serialize) -> Value {
    let value = serde_json::to_value(value).unwrap();
    let validator = component_validator(spec(), schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{value} is not a {schema}: {errors:?}");
    value
}

/// A success: its status, and its body checked against `schema`.
fn ok<T: Serialize>(schema: &str, status: u16, result: Result<ResponseValue<T>, Error<ErrorResponse>>) -> T {
    match result {
        Ok(response) => {
            assert_eq!(response.status().as_u16(), status, "status");
            let body = response.into_inner();
            assert_conforms(schema, &body);
            body
        }
        Err(err) => panic!("expected {status}, got {err:?}"),
    }
}

/// A refusal: its status and body, the body checked against `ErrorResponse`.
fn refused<T: std::fmt::Debug>(result: Result<ResponseValue<T>, Error<ErrorResponse>>) -> (u16, Value) {
    match result {
        Err(Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            (status, assert_conforms("ErrorResponse", &response.into_inner()))
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

fn page(result: DialogListResult) -> (i64, i64, i64, Vec<Dialog>) {
    match result {
        DialogListResult::List(list) => (list.total_entries, list.skip, list.limit, list.items),
        DialogListResult::Count(count) => panic!("a page expected, got {count:?}"),
    }
}

fn ids(dialogs: &[Dialog]) -> Vec<String> {
    dialogs.iter().map(|dialog| dialog.id.to_string()).collect()
}

fn unix(time: &chrono::DateTime<chrono::Utc>) -> i64 {
    time.timestamp()
}

/// The ids of the dialogs `client` lists with the filters `query` adds, sorted by id so that sets compare.
macro_rules! listed {
    ($client:expr $(, $method:ident($value:expr))*) => {{
        let result = $client.list_dialogs()$(.$method($value))*.send().await;
        let (total, _, _, items) = page(ok("DialogListResult", 200, result));
        assert_eq!(total as usize, items.len(), "one page holds them all");
        let mut ids = ids(&items);
        ids.sort();
        ids
    }};
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    ids.sort();
    ids
}

/// Sends a raw request, for what the generated client does not send (encoded brackets, a form body, a bad key).
async fn raw(base: &str, method: reqwest::Method, path_and_query: &str, token: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .request(method, format!("{base}{path_and_query}"))
        .header("qb-token", token)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    (status, body)
}

/// The ids a raw list request selects, sorted, its page checked against the spec.
async fn raw_list(base: &str, token: &str, query: &str) -> Vec<String> {
    let (status, body) = raw(base, reqwest::Method::GET, &format!("{PATH}?{query}"), token, "").await;
    assert_eq!(status, 200, "{query}: {body}");
    assert_conforms("DialogListResult", &body);
    let mut ids: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|dialog| dialog["_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn group(name: &str, occupants: Vec<i64>) -> CreateDialogRequest {
    CreateDialogRequest {
        type_: DialogType::Group,
        name: Some(name.parse().unwrap()),
        occupants_ids: Some(occupants.into()),
        ..serde_json::from_value(json!({"type": 2})).unwrap()
    }
}

/// An update through the client, its body written as JSON.
async fn update(client: &Client, id: &str, body: Value) -> Result<ResponseValue<Dialog>, Error<ErrorResponse>> {
    let body: UpdateDialogRequest = serde_json::from_value(body).unwrap();
    client.update_dialog().chat_dialog_id(id).body(body).send().await
}

async fn create(client: &Client, request: CreateDialogRequest) -> Dialog {
    ok("Dialog", 201, client.create_dialog().body(request).send().await)
}

/// The sequence, against `base`; with `off_contract`, also the requests the spec does not describe (encoded
/// brackets, bad filters and ids, unknown fields, the vendor's form body for delete), sent raw.
async fn sequence(base: &str, off_contract: bool) {
    let a = Client::with_session_token(base, "token-a").unwrap();
    let b = Client::with_session_token(base, "token-b").unwrap();
    let c = Client::with_session_token(base, "token-c").unwrap();

    // Create: a group with custom data, a private dialog, a public group (A's), and B's group with A.
    let mut party = group("New Year party", vec![B, C]);
    party.data = Some(
        serde_json::from_value::<CustomData>(json!({"class_name": "CoolDialog", "category": "friends", "level": 3}))
            .unwrap(),
    );
    let party = create(&a, party).await;
    let private = create(
        &a,
        serde_json::from_value(json!({"type": 3, "occupants_ids": [B]})).unwrap(),
    )
    .await;
    let public = create(
        &a,
        serde_json::from_value(json!({"type": 1, "name": "Soccer news", "photo": "67834"})).unwrap(),
    )
    .await;
    let bobs = create(&b, group("Chat with Bob", vec![A])).await;
    let ids_of = |dialog: &Dialog| dialog.id.to_string();
    let owned = [ids_of(&party), ids_of(&private), ids_of(&public), ids_of(&bobs)];
    let [party_id, private_id, public_id, bobs_id] = [0, 1, 2, 3].map(|n| owned[n].as_str());
    let created: Vec<i64> = [&party, &private, &public, &bobs]
        .iter()
        .map(|d| unix(&d.created_at))
        .collect();
    assert!(
        created.windows(2).all(|pair| pair[0] < pair[1]),
        "one tick per request: {created:?}"
    );

    // Who sees what: occupants, and everyone for the public group.
    let all_of_a = sorted(&[party_id, private_id, public_id, bobs_id]);
    assert_eq!(listed!(a), all_of_a);
    assert_eq!(listed!(b), all_of_a);
    assert_eq!(listed!(c), sorted(&[party_id, public_id]));

    // The default order is newest first; paging cuts it, and total_entries counts every page.
    let (total, skip, limit, items) = page(ok("DialogListResult", 200, a.list_dialogs().send().await));
    assert_eq!((total, skip, limit), (4, 0, 100));
    assert_eq!(ids(&items), [bobs_id, public_id, private_id, party_id]);
    let (total, skip, limit, items) = page(ok(
        "DialogListResult",
        200,
        a.list_dialogs()
            .skip(1)
            .limit(std::num::NonZeroU32::new(2).unwrap())
            .send()
            .await,
    ));
    assert_eq!((total, skip, limit), (4, 1, 2));
    assert_eq!(ids(&items), [public_id, private_id]);
    let (_, _, _, items) = page(ok("DialogListResult", 200, a.list_dialogs().skip(10).send().await));
    assert!(items.is_empty(), "past the end");

    // count=1 answers the number the filters select.
    match ok("DialogListResult", 200, a.list_dialogs().count(1).send().await) {
        DialogListResult::Count(count) => assert_eq!(count.items.count, 4),
        other => panic!("a count expected, got {other:?}"),
    }
    match ok(
        "DialogListResult",
        200,
        a.list_dialogs().count(1).type_(DialogType::Group).send().await,
    ) {
        DialogListResult::Count(count) => assert_eq!(count.items.count, 2),
        other => panic!("a count expected, got {other:?}"),
    }

    // Sorting by each field, both ways; ties (the null last_message_date_sent, equal types) go by id.
    let order = |result| ids(&page(ok("DialogListResult", 200, result)).3);
    assert_eq!(
        order(a.list_dialogs().sort_asc(DialogSortField::Name).send().await),
        [private_id, bobs_id, party_id, public_id],
        "1002 (the private dialog bears the opponent's id), Chat with Bob, New Year party, Soccer news"
    );
    assert_eq!(
        order(a.list_dialogs().sort_desc(DialogSortField::CreatedAt).send().await),
        [bobs_id, public_id, private_id, party_id]
    );
    assert_eq!(
        order(a.list_dialogs().sort_asc(DialogSortField::CreatedAt).send().await),
        [party_id, private_id, public_id, bobs_id]
    );
    assert_eq!(
        order(a.list_dialogs().sort_asc(DialogSortField::UpdatedAt).send().await),
        [party_id, private_id, public_id, bobs_id]
    );
    assert_eq!(
        order(a.list_dialogs().sort_asc(DialogSortField::Id).send().await),
        [party_id, private_id, public_id, bobs_id],
        "ids begin with their creation second"
    );
    assert_eq!(
        order(a.list_dialogs().sort_asc(DialogSortField::Type).send().await),
        [public_id, party_id, bobs_id, private_id]
    );
    assert_eq!(
        order(a.list_dialogs().sort_desc(DialogSortField::Type).send().await),
        [private_id, bobs_id, party_id, public_id]
    );
    assert_eq!(
        order(
            a.list_dialogs()
                .sort_asc(DialogSortField::LastMessageDateSent)
                .send()
                .await
        ),
        [party_id, private_id, public_id, bobs_id],
        "no messages: all null, in id order"
    );

    // Each operator the spec declares.
    assert_eq!(
        listed!(a, id(party_id.parse::<quickblox_dialog::types::DialogId>().unwrap())),
        [party_id]
    );
    assert_eq!(
        listed!(a, id_ne(party_id.parse::<quickblox_dialog::types::DialogId>().unwrap())),
        sorted(&[private_id, public_id, bobs_id])
    );
    assert_eq!(listed!(a, type_(DialogType::Private)), [private_id]);
    assert_eq!(
        listed!(a, type_in(vec![DialogType::PublicGroup, DialogType::Group])),
        sorted(&[party_id, public_id, bobs_id])
    );
    assert_eq!(listed!(a, name("Soccer news")), [public_id]);
    assert_eq!(
        listed!(a, name_ne("Soccer news")),
        sorted(&[party_id, private_id, bobs_id])
    );
    assert_eq!(
        listed!(a, name_in(vec!["Soccer news".to_string(), "Chat with Bob".to_string()])),
        sorted(&[public_id, bobs_id])
    );
    assert_eq!(listed!(a, name_ctn("Year")), [party_id]);
    assert_eq!(
        listed!(a, occupants_ids_all(vec![A, B])),
        sorted(&[party_id, private_id, bobs_id])
    );
    assert_eq!(listed!(a, occupants_ids_all(vec![A, B, C])), [party_id]);
    // No dialog has a message: a null date is in no range and equals nothing.
    for filter in ["lt", "lte", "gt", "gte", "in"] {
        let ids = match filter {
            "lt" => listed!(a, last_message_date_sent_lt(UnixTime(i64::MAX))),
            "lte" => listed!(a, last_message_date_sent_lte(UnixTime(i64::MAX))),
            "gt" => listed!(a, last_message_date_sent_gt(UnixTime(0))),
            "gte" => listed!(a, last_message_date_sent_gte(UnixTime(0))),
            _ => listed!(a, last_message_date_sent_in(vec![UnixTime(0), UnixTime(1)])),
        };
        assert!(ids.is_empty(), "last_message_date_sent[{filter}]: {ids:?}");
    }
    assert_eq!(listed!(a, last_message_date_sent_ne(UnixTime(0))), all_of_a);
    assert_eq!(listed!(a, last_message_date_sent_nin(vec![UnixTime(0)])), all_of_a);
    let (t_party, t_private, t_public) = (created[0], created[1], created[2]);
    assert_eq!(listed!(a, created_at_lt(UnixTime(t_private))), [party_id]);
    assert_eq!(
        listed!(a, created_at_lte(UnixTime(t_private))),
        sorted(&[party_id, private_id])
    );
    assert_eq!(listed!(a, created_at_gt(UnixTime(t_public))), [bobs_id]);
    assert_eq!(
        listed!(a, created_at_gte(UnixTime(t_public))),
        sorted(&[public_id, bobs_id])
    );
    assert_eq!(
        listed!(a, created_at_gt(UnixTime(t_party)), created_at_lt(UnixTime(t_public))),
        [private_id],
        "filters narrow together"
    );
    assert_eq!(listed!(a, updated_at_lt(UnixTime(t_private))), [party_id]);
    assert_eq!(
        listed!(a, updated_at_lte(UnixTime(t_private))),
        sorted(&[party_id, private_id])
    );
    assert_eq!(listed!(a, updated_at_gt(UnixTime(t_public))), [bobs_id]);
    assert_eq!(
        listed!(a, updated_at_gte(UnixTime(t_public))),
        sorted(&[public_id, bobs_id])
    );
    // Custom data through the client's typed query, which writes `data[field]` keys (the generated `.data(map)`
    // writes them bare, `class_name=CoolDialog`, which the mock refuses as the spec has no such parameter); then
    // raw, with encoded brackets.
    let by_data = |query: DialogQuery| {
        let request = query.apply(a.list_dialogs()).unwrap();
        async move {
            let (total, _, _, items) = page(ok("DialogListResult", 200, request.send().await));
            assert_eq!(total as usize, items.len());
            ids(&items)
        }
    };
    let cool = DialogQuery::new().data_eq("class_name", "CoolDialog");
    assert_eq!(by_data(cool.clone().data_eq("category", "friends")).await, [party_id]);
    assert_eq!(
        by_data(DialogQuery::new().data_eq("level", "3")).await,
        [party_id],
        "a number compares as its JSON text"
    );
    assert!(by_data(cool.data_eq("category", "family")).await.is_empty());
    let data_filter = async |query: &str| raw_list(base, "token-a", query).await;
    assert_eq!(
        data_filter("data%5Bclass_name%5D=CoolDialog&data%5Blevel%5D=3").await,
        [party_id]
    );

    // The client's pager walks every page, and its count agrees.
    let pager = a.dialogs(DialogQuery::new().sort_asc(DialogSortField::CreatedAt).limit(3));
    let walked = pager.collect_all().await.unwrap();
    assert_eq!(
        ids(&walked),
        [party_id, private_id, public_id, bobs_id],
        "two pages, in order"
    );
    assert_eq!(
        a.count_dialogs(DialogQuery::new().type_eq(DialogType::Group))
            .send()
            .await
            .unwrap(),
        2
    );
    if off_contract {
        let path = format!("{PATH}?class_name=CoolDialog");
        let (status, body) = raw(base, reqwest::Method::GET, &path, "token-a", "").await;
        assert_eq!(status, 422, "{body}");
    }

    // What other clients send: encoded brackets, spaces after the commas, repeated list keys; all within the
    // contract, since a server decodes the brackets and the list items are integers either side of the spaces.
    for query in [
        "type%5Bin%5D=1%2C2",
        "type[in]=1, 2",
        "type[in]=1&type[in]=2",
        "created_at%5Bgte%5D=0&name%5Bctn%5D=%20",
    ] {
        assert_eq!(
            raw_list(base, "token-a", query).await,
            sorted(&[party_id, public_id, bobs_id]),
            "{query}"
        );
    }
    // Bad filters: 422 naming the key and why.
    let bad_filters = if off_contract { &BAD_FILTERS[..] } else { &[] };
    for &(query, key, message) in bad_filters {
        let (status, body) = raw(base, reqwest::Method::GET, &format!("{PATH}?{query}"), "token-a", "").await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["errors"][key], json!([message]), "{query}: {body}");
    }
    if off_contract {
        let (status, body) = raw(base, reqwest::Method::GET, &format!("{PATH}?colour=red"), "token-a", "").await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]["colour"][0]
                .as_str()
                .unwrap()
                .starts_with("is not a parameter of list_dialogs"),
            "{body}"
        );
    }

    // Get: what the user sees; 404 for what they do not, or what does not exist.
    let got = ok("Dialog", 200, a.get_dialog().chat_dialog_id(party_id).send().await);
    assert_eq!(got, party);
    let public_for_c = ok("Dialog", 200, c.get_dialog().chat_dialog_id(public_id).send().await);
    assert_eq!(public_for_c, public);
    let (status, body) = refused(c.get_dialog().chat_dialog_id(private_id).send().await);
    assert_eq!((status, body), (404, json!({"errors": ["Not found"]})));
    let (status, _) = refused(a.get_dialog().chat_dialog_id("5d75393ba28f9a17e1cb0f9e").send().await);
    assert_eq!(status, 404);
    if off_contract {
        let (status, body) = raw(base, reqwest::Method::GET, "/chat/Dialog/xyz.json", "token-a", "").await;
        assert_eq!(
            (status, body),
            (
                400,
                json!({"errors": {"chat_dialog_id": ["must match ^[0-9a-f]{24}$"]}})
            )
        );
    }

    // Update, each kind, by whoever may.
    let renamed = ok(
        "Dialog",
        200,
        update(&a, party_id, json!({"name": "New Year 2020 party"})).await,
    );
    assert_eq!(renamed.name, "New Year 2020 party");
    assert!(unix(&renamed.updated_at) > unix(&party.updated_at), "updated_at moves");
    assert_eq!(renamed.created_at, party.created_at);
    let (status, body) = refused(update(&a, private_id, json!({"name": "Bob"})).await);
    assert_eq!(
        (status, body),
        (
            422,
            json!({"errors": {"name": ["can be set for public groups and groups only"]}})
        )
    );
    let (status, _) = refused(update(&c, party_id, json!({"name": "Mine now"})).await);
    assert_eq!(status, 403, "an occupant who does not administer the group");
    if off_contract {
        let path = format!("/chat/Dialog/{party_id}.json");
        let (status, body) = raw(base, reqwest::Method::PUT, &path, "token-a", r#"{"nmae":"x"}"#).await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]["nmae"][0]
                .as_str()
                .unwrap()
                .starts_with("is not a field of this request"),
            "{body}"
        );
    }
    // Administrators: only the owner names them, and they must be occupants.
    let (status, body) = refused(update(&a, party_id, json!({"push_all": {"admin_ids": [D]}})).await);
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"]["push_all"],
        json!(["administrators must be occupants of the dialog, and 1004 is not"])
    );
    let with_admin = ok(
        "Dialog",
        200,
        update(&a, party_id, json!({"push_all": {"admin_ids": [B]}})).await,
    );
    assert_eq!(with_admin.admin_ids, [B]);
    let (status, _) = refused(update(&b, party_id, json!({"push_all": {"admin_ids": [C]}})).await);
    assert_eq!(status, 403, "an administrator does not name administrators");
    // An administrator changes the photo, the data and the occupants.
    let changed = ok(
        "Dialog",
        200,
        update(
            &b,
            party_id,
            json!({"photo": "68123", "data": {"class_name": "CoolDialog", "category": "family"}, "push_all": {"occupants_ids": [D]}}),
        )
        .await,
    );
    assert_eq!(changed.photo.as_deref(), Some("68123"));
    assert_eq!(changed.occupants_ids, [A, B, C, D]);
    assert_eq!(changed.data.as_ref().unwrap().extra["category"], json!("family"));
    assert_eq!(
        raw_list(base, "token-a", "data[category]=family").await,
        [party_id],
        "filters see the change"
    );
    let (status, _) = refused(update(&b, party_id, json!({"user_id": B})).await);
    assert_eq!(status, 403, "only the owner hands the dialog over");
    let removed = ok(
        "Dialog",
        200,
        update(&b, party_id, json!({"pull_all": {"occupants_ids": [D]}})).await,
    );
    assert_eq!(removed.occupants_ids, [A, B, C]);
    // Any occupant may leave; then the dialog is no longer theirs to see.
    let left = ok(
        "Dialog",
        200,
        update(&c, party_id, json!({"pull_all": {"occupants_ids": [C]}})).await,
    );
    assert_eq!(left.occupants_ids, [A, B]);
    let (status, _) = refused(c.get_dialog().chat_dialog_id(party_id).send().await);
    assert_eq!(status, 404);
    // The owner hands the dialog to an occupant, never to someone else.
    let (status, body) = refused(update(&a, party_id, json!({"user_id": C})).await);
    assert_eq!(
        (status, body),
        (
            422,
            json!({"errors": {"user_id": ["must be an occupant of the dialog"]}})
        )
    );
    let handed = ok("Dialog", 200, update(&a, party_id, json!({"user_id": B})).await);
    assert_eq!(handed.user_id, B);
    let (status, _) = refused(update(&a, party_id, json!({"push_all": {"admin_ids": [A]}})).await);
    assert_eq!(status, 403, "A no longer owns it");
    let (status, _) = refused(update(&a, "5d75393ba28f9a17e1cb0f9e", json!({"photo": "1"})).await);
    assert_eq!(status, 404);

    // Delete without force: gone from the user's list only.
    let deleted = ok(
        "DeleteDialogsResult",
        200,
        a.delete_dialogs()
            .chat_dialog_id(format!("{private_id},{bobs_id}"))
            .send()
            .await,
    );
    assert_eq!(
        serde_json::to_value(&deleted).unwrap(),
        json!({"SuccessfullyDeleted": {"ids": [private_id, bobs_id]}})
    );
    assert_eq!(listed!(a), sorted(&[party_id, public_id]));
    assert_eq!(
        listed!(b),
        sorted(&[party_id, private_id, public_id, bobs_id]),
        "B still has both"
    );
    // Creating the private dialog again brings it back to A's list.
    let again = create(
        &a,
        serde_json::from_value(json!({"type": 3, "occupants_ids": [B]})).unwrap(),
    )
    .await;
    assert_eq!(again.id.to_string(), private_id);
    assert_eq!(listed!(a, type_(DialogType::Private)), [private_id]);

    // With force: only the owner's go; the answer lists each outcome, empty ones left out.
    let unknown = "5d7562d4a2123a1694cb0f9b";
    let result: DeleteDialogsResult = ok(
        "DeleteDialogsResult",
        200,
        b.delete_dialogs()
            .chat_dialog_id(format!("{private_id},{bobs_id},{unknown}"))
            .force(1)
            .send()
            .await,
    );
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        json!({
            "SuccessfullyDeleted": {"ids": [bobs_id]},
            "NotFound": {"ids": [unknown]},
            "WrongPermissions": {"ids": [private_id]},
        })
    );
    let (status, _) = refused(a.get_dialog().chat_dialog_id(bobs_id).send().await);
    assert_eq!(status, 404, "gone for everyone");
    let (status, body) = refused(a.delete_dialogs().chat_dialog_id(unknown).force(1).send().await);
    assert_eq!(
        (status, body),
        (404, json!({"errors": ["Not found"]})),
        "every id unknown"
    );
    let (status, _) = refused(c.delete_dialogs().chat_dialog_id(public_id).force(1).send().await);
    assert_eq!(status, 403, "none may be deleted");
    if off_contract {
        // The vendor's curl: force=1 as a form body.
        let path = format!("/chat/Dialog/{private_id}.json");
        let (status, body) = raw(base, reqwest::Method::DELETE, &path, "token-a", "force=1").await;
        assert_eq!(
            (status, body),
            (200, json!({"SuccessfullyDeleted": {"ids": [private_id]}}))
        );
    } else {
        let result = ok(
            "DeleteDialogsResult",
            200,
            a.delete_dialogs().chat_dialog_id(private_id).force(1).send().await,
        );
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({"SuccessfullyDeleted": {"ids": [private_id]}})
        );
    }
    let (status, _) = refused(b.get_dialog().chat_dialog_id(private_id).send().await);
    assert_eq!(status, 404, "the private dialog is gone for B too");
    if off_contract {
        let path = format!("/chat/Dialog/{party_id}.json?force=0");
        let (status, body) = raw(base, reqwest::Method::DELETE, &path, "token-b", "").await;
        assert_eq!(
            (status, body),
            (422, json!({"errors": {"force": ["must be one of [1]"]}}))
        );
        let path = format!("/chat/Dialog/{party_id},nope.json");
        let (status, body) = raw(base, reqwest::Method::DELETE, &path, "token-b", "").await;
        assert_eq!(
            (status, body),
            (
                400,
                json!({"errors": {"chat_dialog_id": ["must match ^[0-9a-f]{24}(,[0-9a-f]{24})*$"]}})
            )
        );
    }
    assert_eq!(listed!(b), sorted(&[party_id, public_id]));
}

/// Filters the API does not take, with the key and the message of the 422.
const BAD_FILTERS: [(&str, &str, &str); 7] = [
    (
        "type[ctn]=1",
        "type[ctn]",
        "the operator ctn does not apply to type, which takes type, type[in]",
    ),
    ("limit=101", "limit", "must be at most 100"),
    ("limit=0", "limit", "must be at least 1"),
    ("updated_at[gt]=2020-01-01", "updated_at[gt]", "must be of type integer"),
    ("type[in]=1,4", "type[in]", "must be one of [1,2,3] (at 1)"),
    (
        "sort_asc=colour",
        "sort_asc",
        "must be one of [\"last_message_date_sent\",\"created_at\",\"updated_at\",\"name\",\"_id\",\"type\"]",
    ),
    (
        "sort_asc=name&sort_desc=name",
        "sort_desc",
        "is given with sort_asc; sort by one of them",
    ),
];

/// The proxy in front of the mock, run through the off-contract requests too: each is reported as a request
/// mismatch at its own place, and no response is.
#[tokio::test]
async fn the_proxy_reports_each_off_contract_request_of_the_sequence() {
    let upstream = MockServer::start(config()).await.unwrap();
    let proxy = MockServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        proxy: Some(upstream.base_url()),
        ..Config::default()
    })
    .await
    .unwrap();
    sequence(&proxy.base_url(), true).await;
    let mismatches = proxy.mismatches();
    assert!(
        mismatches.iter().all(|line| line.contains(": request /")),
        "{mismatches:#?}"
    );
    for expected in [
        "contract mismatch: GET /chat/Dialog.json: request /query/type[ctn]: the operator ctn does not apply to type, which takes type, type[in]",
        "contract mismatch: GET /chat/Dialog.json: request /query/limit: must be at most 100",
        "contract mismatch: GET /chat/Dialog.json: request /query/colour: is not a parameter of list_dialogs",
        "contract mismatch: GET /chat/Dialog/xyz.json: request /path/chat_dialog_id: must match ^[0-9a-f]{24}$",
        "request /body: nmae is not a field of this object",
        "request /body: is sent, but the operation takes no body",
        "request /query/force: must be one of [1]",
        "request /query/class_name: is not a parameter of list_dialogs",
    ] {
        assert!(
            mismatches.iter().any(|line| line.contains(expected)),
            "{expected} missing: {mismatches:#?}"
        );
    }
    assert_eq!(proxy.mismatch_count() as usize, mismatches.len());
    proxy.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn the_whole_resource_in_sequence() {
    let server = MockServer::start(config()).await.unwrap();
    sequence(&server.base_url(), true).await;
    assert_eq!(server.dialog_count(), 2, "the group and the public group are left");
    server.shutdown().await;
}

#[tokio::test]
async fn the_sequence_through_the_proxy_has_no_mismatch() {
    let upstream = MockServer::start(config()).await.unwrap();
    let proxy = MockServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        proxy: Some(upstream.base_url()),
        ..Config::default()
    })
    .await
    .unwrap();
    sequence(&proxy.base_url(), false).await;
    assert_eq!(proxy.mismatches(), Vec::<String>::new());
    assert_eq!(proxy.mismatch_count(), 0);
    assert_eq!(
        (proxy.dialog_count(), upstream.dialog_count()),
        (0, 2),
        "the proxy stores nothing"
    );
    proxy.shutdown().await;
    upstream.shutdown().await;
}
