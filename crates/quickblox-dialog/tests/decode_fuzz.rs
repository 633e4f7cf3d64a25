//! Arbitrary bytes and JSON as a response body never panic the decoders or the client, and give the right `Err`.
//!
//! The properties run with proptest's random seeds, so each run tries new inputs; a failure is shrunk and saved
//! under `tests/decode_fuzz.proptest-regressions` (commit that file), and replayed first on later runs. The client
//! property runs under a runner of its own, which saves nothing: its failure message shows the body instead.
//! Case counts are kept small enough for the whole file to take a few seconds on two cores.

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use quickblox_dialog::{types, Client, Error};

/// Every field name of `Dialog`, `CreateDialogRequest`, `CustomData` and the two error shapes, so that generated
/// objects often carry real fields and the decoders get past "unknown field" into the values.
const FIELD_NAMES: &[&str] = &[
    "_id",
    "created_at",
    "updated_at",
    "type",
    "user_id",
    "name",
    "occupants_ids",
    "photo",
    "xmpp_room_jid",
    "last_message",
    "last_message_id",
    "last_message_date_sent",
    "last_message_user_id",
    "unread_messages_count",
    "admin_ids",
    "is_join_required",
    "silent_ids",
    "data",
    "class_name",
    "errors",
    "base",
];

fn config(cases: u32) -> Config {
    Config {
        cases,
        ..Config::default()
    }
}

/// The 201 examples (dialogs) and the error examples of the spec, as bodies.
fn example_bodies() -> (Vec<Value>, Vec<Value>) {
    let mut dialogs = Vec::new();
    let mut errors = Vec::new();
    for (status, _, value) in support::response_examples(&support::spec()) {
        if status == "201" {
            dialogs.push(value);
        } else {
            errors.push(value);
        }
    }
    assert!(
        !dialogs.is_empty() && !errors.is_empty(),
        "the spec has dialog and error examples"
    );
    (dialogs, errors)
}

/// Strings that look like what the fields hold, and some that almost do.
fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        1 => "[0-9a-f]{23,25}",
        // Timestamps, valid or nearly so.
        1 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,9})?(Z|[+-][01][0-9]:00)?",
        1 => "[0-9]{1,4}(, ?[0-9]{1,4}){0,3}",
        1 => prop::sample::select(FIELD_NAMES).prop_map(str::to_string),
    ]
}

fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-5i64..5).prop_map(Value::from),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => (i64::from(i32::MAX) - 2..i64::from(i32::MAX) + 2).prop_map(Value::from),
        // Non-finite floats have no JSON form; `from_f64` refuses them, and they become null.
        2 => any::<f64>().prop_map(|float| serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number)),
    ]
}

/// A JSON key: mostly a real field name, so that objects decode deep.
fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELD_NAMES).prop_map(str::to_string),
        1 => "[a-z_]{0,8}",
        1 => any::<String>(),
    ]
}

/// Any JSON value, up to 5 levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        json_number(),
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..12)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One of the spec's examples with some fields replaced by arbitrary values or removed: close enough to a real
/// body that decoding reaches every field.
fn edited_example(examples: Vec<Value>) -> impl Strategy<Value = Value> {
    let edits = prop::collection::vec((json_key(), prop::option::weighted(0.8, json_value())), 0..4);
    (prop::sample::select(examples), edits).prop_map(|(mut example, edits)| {
        if let Value::Object(object) = &mut example {
            for (key, value) in edits {
                match value {
                    Some(value) => object.insert(key, value),
                    None => object.remove(&key),
                };
            }
        }
        example
    })
}

/// Bytes of an example with a few bytes overwritten, inserted or cut: mostly broken JSON that breaks late.
fn mangled_example_bytes(examples: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    let bodies: Vec<Vec<u8>> = examples
        .iter()
        .map(|value| serde_json::to_vec(value).unwrap())
        .collect();
    let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4);
    (prop::sample::select(bodies), edits).prop_map(|(mut body, edits)| {
        for (at, byte, kind) in edits {
            if body.is_empty() {
                body.push(byte);
                continue;
            }
            let index = at.index(body.len());
            match kind {
                0 => body[index] = byte,
                1 => body.insert(index, byte),
                _ => body.truncate(index),
            }
        }
        body
    })
}

/// Decodes `body` as `T`; when that works, encoding the result and decoding it again must give the same value.
fn decode_is_stable<T>(body: &[u8]) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(decoded) = serde_json::from_slice::<T>(body) {
        let encoded = serde_json::to_vec(&decoded).map_err(|err| TestCaseError::fail(format!("encoding: {err}")))?;
        let again: T = serde_json::from_slice(&encoded).map_err(|err| {
            TestCaseError::fail(format!(
                "{} decoded {} but not its own encoding {}: {err}",
                std::any::type_name::<T>(),
                shown(body),
                shown(&encoded)
            ))
        })?;
        prop_assert_eq!(again, decoded);
    }
    Ok(())
}

/// The three body types; a panic inside any decoder fails the case (proptest catches it and shrinks the input).
fn decode_all(body: &[u8]) -> Result<(), TestCaseError> {
    decode_is_stable::<types::Dialog>(body)?;
    decode_is_stable::<types::ErrorResponse>(body)?;
    decode_is_stable::<types::CreateDialogRequest>(body)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_decode_or_fail(body in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&body)?;
    }

    #[test]
    fn mangled_example_bytes_decode_or_fail(body in mangled_example_bytes({
        let (dialogs, errors) = example_bodies();
        dialogs.into_iter().chain(errors).collect()
    })) {
        decode_all(&body)?;
    }

    #[test]
    fn arbitrary_json_decodes_or_fails(value in json_value()) {
        decode_all(&serde_json::to_vec(&value).unwrap())?;
    }

    #[test]
    fn edited_examples_decode_or_fail(value in edited_example({
        let (dialogs, errors) = example_bodies();
        dialogs.into_iter().chain(errors).collect()
    })) {
        decode_all(&serde_json::to_vec(&value).unwrap())?;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Through the client: the same bodies as a real HTTP response, under each kind of status.
// ---------------------------------------------------------------------------------------------------------------

type SendResult = Result<quickblox_dialog::ResponseValue<types::Dialog>, Error<types::ErrorResponse>>;

/// Sends a minimal request to a loopback server that answers `status` with `body`.
async fn send(status: u16, body: &[u8]) -> SendResult {
    let server = support::LoopbackServer::start(status, body.to_vec()).await;
    let client = Client::with_session_token(&server.base_url, "token").expect("a loopback client");
    client
        .create_dialog()
        .body(types::CreateDialogRequest::new(types::DialogType::PublicGroup))
        .send()
        .await
}

/// Such as `InvalidResponsePayload` for a failure, to name it in messages without the response.
fn variant(result: &SendResult) -> &'static str {
    match result {
        Ok(_) => "Ok",
        Err(Error::InvalidRequest(_)) => "InvalidRequest",
        Err(Error::CommunicationError(_)) => "CommunicationError",
        Err(Error::InvalidUpgrade(_)) => "InvalidUpgrade",
        Err(Error::ErrorResponse(_)) => "ErrorResponse",
        Err(Error::ResponseBodyError(_)) => "ResponseBodyError",
        Err(Error::InvalidResponsePayload(_, _)) => "InvalidResponsePayload",
        Err(Error::UnexpectedResponse(_)) => "UnexpectedResponse",
        Err(Error::Custom(_)) => "Custom",
    }
}

/// What the client must make of `body` under `status`: decoded by the status's schema, refused with the bytes
/// kept, or handed back unread for a status the spec does not list.
fn check_outcome(status: u16, body: &[u8], result: &SendResult) -> Result<(), String> {
    let wrong = |expected: &str| {
        let got_status = match result {
            Ok(response) => Some(response.status()),
            Err(err) => err.status(),
        };
        Err(format!(
            "status {status}, body {}: expected {expected}, got {} (status {got_status:?})",
            shown(body),
            variant(result)
        ))
    };
    let payload_kept = |result: &SendResult| match result {
        Err(Error::InvalidResponsePayload(bytes, _)) => bytes.as_ref() == body,
        _ => false,
    };
    match status {
        201 => match serde_json::from_slice::<types::Dialog>(body) {
            Ok(dialog) => match result {
                Ok(response) if response.status() == 201 && **response == dialog => Ok(()),
                _ => wrong("Ok with the decoded dialog"),
            },
            Err(_) if payload_kept(result) => Ok(()),
            Err(_) => wrong("InvalidResponsePayload with the body"),
        },
        400 | 401 | 403 | 404 | 422 | 429 => match serde_json::from_slice::<types::ErrorResponse>(body) {
            Ok(expected) => match result {
                Err(Error::ErrorResponse(response)) if response.status() == status && **response == expected => Ok(()),
                _ => wrong("ErrorResponse with the decoded error"),
            },
            Err(_) if payload_kept(result) => Ok(()),
            Err(_) => wrong("InvalidResponsePayload with the body"),
        },
        _ => match result {
            Err(Error::UnexpectedResponse(response)) if response.status() == status => Ok(()),
            _ => wrong("UnexpectedResponse with the status"),
        },
    }
}

#[test]
fn the_client_survives_arbitrary_bodies() {
    let (dialogs, errors) = example_bodies();
    let examples: Vec<Value> = dialogs.into_iter().chain(errors).collect();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..128),
        mangled_example_bytes(examples.clone()),
        json_value().prop_map(|value| serde_json::to_vec(&value).unwrap()),
        edited_example(examples.clone()).prop_map(|value| serde_json::to_vec(&value).unwrap()),
        // Unedited examples, so that the `Ok` and `ErrorResponse` paths are taken too.
        prop::sample::select(examples).prop_map(|value| serde_json::to_vec(&value).unwrap()),
    ];
    let status = prop::sample::select(vec![201u16, 401, 422, 418, 500]);
    // One runtime for every case: the loopback servers and the client need one, and building one per case
    // would cost more than the requests.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(config(64));
    let outcome = runner.run(&(status, body), |(status, body)| {
        let result = runtime.block_on(send(status, &body));
        check_outcome(status, &body, &result).map_err(TestCaseError::fail)
    });
    if let Err(err) = outcome {
        panic!("{err}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Regressions: bodies worth naming.
// ---------------------------------------------------------------------------------------------------------------

fn the_201_example() -> Vec<u8> {
    let (dialogs, _) = example_bodies();
    serde_json::to_vec(&dialogs[0]).unwrap()
}

fn decode_error<T: DeserializeOwned>(body: &[u8]) -> serde_json::Error {
    match serde_json::from_slice::<T>(body) {
        Ok(_) => panic!("{} decoded {}", std::any::type_name::<T>(), shown(body)),
        Err(err) => err,
    }
}

/// What `outcome` says of a body that decodes.
const DECODES: &str = "decodes";

/// The decoding error's message, or `DECODES`.
fn outcome<T: DeserializeOwned>(body: &[u8]) -> String {
    serde_json::from_slice::<T>(body).map_or_else(|err| err.to_string(), |_| DECODES.to_string())
}

/// The start of a body, for messages: some bodies here are 20 000 bytes long.
fn shown(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{:?}... ({} bytes)", &text[..end], body.len()),
        None => format!("{text:?}"),
    }
}

/// Sends each body with each status on one runtime, and checks every outcome as the property test does.
// The large `Err` is progenitor's `Error`, which holds a whole response; it is what `send()` returns.
#[allow(clippy::result_large_err)]
fn check_through_client(cases: &[(u16, Vec<u8>)]) -> Vec<SendResult> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    cases
        .iter()
        .map(|(status, body)| {
            let result = runtime.block_on(send(*status, body));
            if let Err(err) = check_outcome(*status, body, &result) {
                panic!("{err}");
            }
            result
        })
        .collect()
}

#[test]
fn an_empty_body_is_refused() {
    for err in [
        decode_error::<types::Dialog>(b""),
        decode_error::<types::ErrorResponse>(b""),
        decode_error::<types::CreateDialogRequest>(b""),
    ] {
        assert!(err.is_eof(), "{err}");
    }
    let results = check_through_client(&[(201, Vec::new()), (422, Vec::new()), (500, Vec::new())]);
    let variants: Vec<_> = results.iter().map(variant).collect();
    assert_eq!(
        variants,
        ["InvalidResponsePayload", "InvalidResponsePayload", "UnexpectedResponse"]
    );
}

#[test]
fn every_truncation_of_the_201_example_is_refused_as_cut_short() {
    let body = the_201_example();
    serde_json::from_slice::<types::Dialog>(&body).expect("the whole example decodes");
    for end in 0..body.len() {
        let err = decode_error::<types::Dialog>(&body[..end]);
        assert!(
            err.is_eof(),
            "cut after {end} bytes ({}): {err} is not an end-of-input error",
            shown(&body[..end])
        );
    }
    // Through the client, a handful of cuts: each is an `InvalidResponsePayload` that keeps the bytes it got.
    let cuts = [0, 1, body.len() / 2, body.len() - 1];
    let results = check_through_client(&cuts.map(|end| (201, body[..end].to_vec())));
    assert!(results
        .iter()
        .all(|result| matches!(result, Err(Error::InvalidResponsePayload(..)))));
}

#[test]
fn an_id_too_big_for_i64_is_refused() {
    let dialog: Value = serde_json::from_slice(&the_201_example()).unwrap();
    let text = serde_json::to_string(&dialog).unwrap();
    let user_id = format!("\"user_id\":{}", dialog["user_id"]);
    assert!(text.contains(&user_id), "{text}");
    for too_big in [
        "9223372036854775808",
        "18446744073709551616",
        "1e400",
        "-9223372036854775809",
    ] {
        let body = text.replace(&user_id, &format!("\"user_id\":{too_big}"));
        let err = decode_error::<types::Dialog>(body.as_bytes());
        assert!(err.is_data() || err.is_syntax(), "{too_big}: {err}");
        check_through_client(&[(201, body.into_bytes())]);
    }
    // The largest id that fits still decodes.
    let body = text.replace(&user_id, &format!("\"user_id\":{}", i64::MAX));
    let dialog: types::Dialog = serde_json::from_str(&body).unwrap();
    assert_eq!(dialog.user_id, i64::MAX);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let arrays = "[".repeat(10_000).into_bytes();
    let balanced = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    let objects = "{\"data\":".repeat(10_000).into_bytes();
    // Deep inside a field the dialog keeps as it came (unknown fields, like `data`, are free-form JSON).
    let text = String::from_utf8(the_201_example()).unwrap();
    let deep_field = |value: &str| {
        text.replacen('{', &format!("{{\"added_later\":{value},"), 1)
            .into_bytes()
    };
    let inside = deep_field(&"[".repeat(10_000));
    let balanced_inside = deep_field(&format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));

    // How each type fares. `Dialog` reads only a map (its flattened `extra` map makes it), so it stops at the
    // first `[`. `ErrorResponse` is untagged and buffers the whole value, so it meets serde_json's depth limit of
    // 128. `CreateDialogRequest` reads an array as its fields in order and fails on the first one, and refuses an
    // unknown field by its name before reading its value (the spec says `additionalProperties: false`).
    const DEPTH: &str = "recursion limit exceeded";
    const NOT_A_MAP: &str = "invalid type: sequence, expected struct Dialog";
    const FIRST_FIELD: &str = "invalid type: sequence, expected i64";
    const UNKNOWN_FIELD: &str = "unknown field `added_later`";
    let expected: [(&str, &[u8], [&str; 3]); 5] = [
        ("10 000 [", &arrays, [NOT_A_MAP, DEPTH, FIRST_FIELD]),
        ("10 000 [ and ]", &balanced, [NOT_A_MAP, DEPTH, FIRST_FIELD]),
        ("10 000 {\"data\":", &objects, [DEPTH, DEPTH, DEPTH]),
        ("10 000 [ in an unknown field", &inside, [DEPTH, DEPTH, UNKNOWN_FIELD]),
        (
            "10 000 [ and ] in an unknown field",
            &balanced_inside,
            [DEPTH, DEPTH, UNKNOWN_FIELD],
        ),
    ];
    for (what, body, [dialog, error, request]) in expected {
        let got = [
            outcome::<types::Dialog>(body),
            outcome::<types::ErrorResponse>(body),
            outcome::<types::CreateDialogRequest>(body),
        ];
        for (got, expected) in got.iter().zip([dialog, error, request]) {
            assert!(got.starts_with(expected), "{what}: expected {expected:?}, got {got:?}");
        }
    }
    let cases = [
        (201, arrays),
        (201, inside),
        (201, balanced_inside),
        (401, balanced),
        (422, objects),
    ];
    check_through_client(&cases);
}

#[test]
fn invalid_utf8_is_refused() {
    let text = String::from_utf8(the_201_example()).unwrap();
    let name = text.find("\"name\":\"").expect("the example has a name") + "\"name\":\"".len();
    let mut in_a_string = text.clone().into_bytes();
    in_a_string.splice(name..name, [0xff, 0xfe]);
    let mut lone_surrogate = text.clone();
    lone_surrogate.insert_str(name, "\\ud800");
    let bodies: [Vec<u8>; 4] = [
        vec![0xff, 0xfe, 0xfd],
        [&[0xef, 0xbb, 0xbf][..], text.as_bytes()].concat(),
        in_a_string,
        lone_surrogate.into_bytes(),
    ];
    for body in &bodies {
        decode_error::<types::Dialog>(body);
        decode_error::<types::ErrorResponse>(body);
    }
    check_through_client(&bodies.map(|body| (201, body)));
}

#[test]
fn an_error_status_with_a_body_of_the_wrong_shape_keeps_the_body() {
    let dialog = the_201_example();
    let results = check_through_client(&[
        (401, dialog.clone()),
        (422, br#"{"errors": 5}"#.to_vec()),
        (422, br#"{"errors": {"base": "no"}}"#.to_vec()),
        (401, br#"{"errors": [], "errors": {}}"#.to_vec()),
        (401, br#"{"errors": ["Unauthorized"]}"#.to_vec()),
        (201, br#"{"errors": ["Unauthorized"]}"#.to_vec()),
    ]);
    let variants: Vec<_> = results.iter().map(variant).collect();
    assert_eq!(
        variants,
        [
            "InvalidResponsePayload",
            "InvalidResponsePayload",
            "InvalidResponsePayload",
            "InvalidResponsePayload",
            "ErrorResponse",
            "InvalidResponsePayload",
        ]
    );
}

#[test]
fn an_unlisted_status_is_handed_back_unread() {
    // 200 is a success the spec does not list (the API answers 201), so even a valid dialog under it is
    // `UnexpectedResponse`, not `Ok`.
    let dialog = the_201_example();
    let results = check_through_client(&[
        (200, dialog.clone()),
        (418, dialog),
        (500, b"<html>Internal Server Error</html>".to_vec()),
        (502, Vec::new()),
    ]);
    for result in results {
        match result {
            Err(Error::UnexpectedResponse(response)) => {
                assert!([200, 418, 500, 502].contains(&response.status().as_u16()))
            }
            other => panic!("expected UnexpectedResponse, got {}", variant(&other)),
        }
    }
}
