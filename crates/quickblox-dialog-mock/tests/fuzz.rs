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
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string());
        (status, response.bytes().await.unwrap().to_vec(), content_type)
    })
}

fn check(status: u16, body: &[u8], content_type: Option<String>) -> Result<(), TestCaseError> {
    prop_assert!([201, 400, 401, 413, 415, 422, 429].contains(&status), "status {status}");
    prop_assert_eq!(content_type.as_deref(), Some("application/json"));
    let value: Value = serde_json::from_slice(body).map_err(|err| TestCaseError::fail(format!("{err}")))?;
    let validator = if status == 201 {
        &schemas().dialog
    } else {
        &schemas().error_response
    };
    prop_assert!(
        validator.is_valid(&value),
        "status {} body {} breaks the spec",
        status,
        value
    );
    Ok(())
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
