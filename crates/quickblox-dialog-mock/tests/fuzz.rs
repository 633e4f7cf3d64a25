//! Arbitrary requests (bytes, JSON near the schema, content types, headers) never get a server error, and every answer conforms to the spec.

use std::sync::OnceLock;

use proptest::prelude::*;
use quickblox_dialog_mock::schema::schemas;
use quickblox_dialog_mock::{Config, MockServer, PATH};
use serde_json::{Map, Value};

const TOKEN: &str = "fuzz-token";

/// One server and runtime for all cases, so that the cases are cheap.
fn fixture() -> &'static (tokio::runtime::Runtime, String) {
    static FIXTURE: OnceLock<(tokio::runtime::Runtime, String)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let base_url = runtime.block_on(async {
            let server = MockServer::start(Config {
                listen: "127.0.0.1:0".parse().unwrap(),
                tokens: vec![(TOKEN.to_string(), 1001)],
                api_keys: vec!["fuzz-key".to_string()],
                users: Some([1, 2, 3].into()),
                max_body_bytes: 4096,
                ..Config::default()
            })
            .await
            .unwrap();
            let url = server.base_url();
            // The server lives as long as the runtime, which lives as long as the test process.
            std::mem::forget(server);
            url
        });
        (runtime, base_url)
    })
}

fn send(content_type: Option<&str>, headers: &[(String, String)], body: Vec<u8>) -> (u16, Vec<u8>, Option<String>) {
    let (runtime, base_url) = fixture();
    runtime.block_on(async {
        let mut request = reqwest::Client::new().post(format!("{base_url}{PATH}")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        answer(request).await
    })
}

/// Sends the request and reads its status, body and content type.
async fn answer(request: reqwest::RequestBuilder) -> (u16, Vec<u8>, Option<String>) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    (status, response.bytes().await.unwrap().to_vec(), content_type)
}

/// The answer is JSON and its body fits `validator`, the schema of its status.
fn fits(
    validator: &jsonschema::Validator,
    status: u16,
    body: &[u8],
    content_type: Option<String>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(content_type.as_deref(), Some("application/json"));
    let value: Value = serde_json::from_slice(body).map_err(|err| TestCaseError::fail(format!("{err}")))?;
    prop_assert!(
        validator.is_valid(&value),
        "status {} body {} breaks the spec",
        status,
        value
    );
    Ok(())
}

fn check(status: u16, body: &[u8], content_type: Option<String>) -> Result<(), TestCaseError> {
    prop_assert!([201, 400, 401, 413, 415, 422, 429].contains(&status), "status {status}");
    let validator = if status == 201 {
        &schemas().dialog
    } else {
        &schemas().error_response
    };
    fits(validator, status, body, content_type)
}

/// JSON built from the request's own field names and values near their edges.
fn near_schema_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(2),
            Just(3),
            Just(4),
            Just(-1),
            Just(1001),
            any::<i64>()
        ]
        .prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just("1,2".to_string()),
            Just("1001".to_string()),
            Just(String::new()),
            ".{0,210}"
        ]
        .prop_map(Value::from),
    ];
    let field = prop_oneof![
        Just("type"),
        Just("name"),
        Just("photo"),
        Just("occupants_ids"),
        Just("data"),
        Just("class_name"),
        Just("is_join_required"),
        Just("admin_ids"),
        Just("other"),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((field.clone(), inner), 0..6).prop_map(|pairs| Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<Map<_, _>>()
            )),
        ]
    })
}

fn credentials() -> impl Strategy<Value = Vec<(String, String)>> {
    let header = prop_oneof![
        Just(("qb-token".to_string(), TOKEN.to_string())),
        Just(("qb-token".to_string(), "wrong".to_string())),
        Just(("authorization".to_string(), "ApiKey fuzz-key".to_string())),
        Just(("authorization".to_string(), "ApiKey".to_string())),
        "[0-9a-z-]{0,6}".prop_map(|v| ("on-behalf-of".to_string(), v)),
    ];
    prop::collection::vec(header, 0..3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..600), json in any::<bool>()) {
        let content_type = if json { "application/json" } else { "application/x-www-form-urlencoded" };
        let (status, response, content_type) = send(Some(content_type), &[("qb-token".into(), TOKEN.into())], body);
        check(status, &response, content_type)?;
    }

    #[test]
    fn json_near_the_schema(body in near_schema_json(), headers in credentials()) {
        let (status, response, content_type) = send(Some("application/json"), &headers, body.to_string().into_bytes());
        check(status, &response, content_type)?;
    }

    #[test]
    fn form_fields_near_the_schema(pairs in prop::collection::vec(("(type|name|occupants_ids|occupants_ids\\[\\]|admin_ids|data\\[class_name\\]|data\\[x\\]|is_join_required)", "[0-9a-z,]{0,12}"), 0..6)) {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        let form = Some("application/x-www-form-urlencoded");
        let (status, response, content_type) = send(form, &[("qb-token".into(), TOKEN.into())], body.into_bytes());
        check(status, &response, content_type)?;
    }
}

/// Sends `method` to `path_and_query` with a token and an optional JSON body; answers status, body and content type.
fn request(method: reqwest::Method, path_and_query: &str, body: Option<String>) -> (u16, Vec<u8>, Option<String>) {
    let (runtime, base_url) = fixture();
    runtime.block_on(async {
        let mut request = reqwest::Client::new()
            .request(method, format!("{base_url}{path_and_query}"))
            .header("qb-token", TOKEN);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        answer(request).await
    })
}

/// The answer is a status `operation_id` declares, in JSON, and its body fits that status's schema in the spec.
fn check_operation(
    operation: (&str, &str),
    status: u16,
    body: &[u8],
    content_type: Option<String>,
) -> Result<(), TestCaseError> {
    let (path, method) = operation;
    let pointer = format!("/paths/{}/{method}/responses/{status}", path.replace('/', "~1"));
    let spec = quickblox_dialog_mock::schema::spec();
    let response = spec.pointer(&pointer);
    prop_assert!(response.is_some(), "status {} is not declared at {}", status, pointer);
    let mut response = response.unwrap();
    if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
        response = spec.pointer(reference.trim_start_matches('#')).unwrap();
    }
    let schema = response.pointer("/content/application~1json/schema").unwrap();
    let validator = openapi_check::openapi_validator(spec, schema).unwrap();
    fits(&validator, status, body, content_type)
}

/// Query pairs near the list's parameters: each declared key, operators on the wrong fields, encoded brackets, and
/// values at the edges of their types.
fn list_query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        "(limit|skip|count|sort_asc|sort_desc|_id|type|name)",
        "(_id|type|name|occupants_ids|last_message_date_sent|created_at|updated_at|colour)\\[(ne|in|nin|all|ctn|lt|lte|gt|gte|eq)\\]",
        "data\\[(class_name|category|x)\\]",
        Just("type%5Bin%5D".to_string()),
        Just("data[a][b]".to_string()),
    ];
    let value = prop_oneof![
        Just("1".to_string()),
        Just("0".to_string()),
        Just("101".to_string()),
        Just("-1".to_string()),
        Just("1, 2".to_string()),
        Just("name".to_string()),
        Just("5d75393ba28f9a17e1cb0f9e".to_string()),
        Just("%ZZ".to_string()),
        Just("99999999999999999999".to_string()),
        "[0-9a-z, %]{0,10}",
    ];
    prop::collection::vec((key, value), 0..5).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn list_queries_near_the_parameters(query in list_query()) {
        let (status, body, content_type) = request(reqwest::Method::GET, &format!("{PATH}?{query}"), None);
        check_operation((PATH, "get"), status, &body, content_type)?;
    }

    #[test]
    fn get_update_and_delete_with_ids_and_bodies_near_the_schema(
        id in prop_oneof![Just("5d75393ba28f9a17e1cb0f9e".to_string()), "[0-9a-f,]{0,30}", "[ -~]{0,8}"],
        force in prop_oneof![Just(String::new()), Just("?force=1".to_string()), Just("?force=0".to_string())],
        body in near_schema_json(),
    ) {
        let template = "/chat/Dialog/{chat_dialog_id}.json";
        let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>().replace("%2C", ",");
        let path = format!("/chat/Dialog/{id}.json");
        for (method, operation, body) in [
            (reqwest::Method::GET, "get", None),
            (reqwest::Method::PUT, "put", Some(body.to_string())),
            (reqwest::Method::DELETE, "delete", None),
        ] {
            let query = if operation == "delete" { force.as_str() } else { "" };
            let (status, response, content_type) = request(method, &format!("{path}{query}"), body);
            if id.is_empty() {
                // `/chat/Dialog/.json` is no path of the API.
                prop_assert_eq!(status, 404);
                continue;
            }
            check_operation((template, operation), status, &response, content_type)?;
        }
    }
}
