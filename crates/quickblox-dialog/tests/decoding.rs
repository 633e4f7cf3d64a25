//! The spec's response examples as the client decodes them, pinned as snapshots so that a generator upgrade that changes decoding shows up in review.

mod support;

use quickblox_dialog::types::{Dialog, ErrorResponse};

#[test]
fn response_examples_decode_as_pinned() {
    let spec = support::spec();
    let examples = support::response_examples(&spec);
    assert!(examples.iter().any(|(status, _, _)| status == "201"));
    for (status, name, value) in examples {
        let snapshot = format!("response_{status}_{name}");
        if status == "201" {
            let dialog: Dialog = serde_json::from_value(value).unwrap_or_else(|err| panic!("{snapshot}: {err}"));
            insta::assert_debug_snapshot!(snapshot, dialog);
        } else {
            let error: ErrorResponse = serde_json::from_value(value).unwrap_or_else(|err| panic!("{snapshot}: {err}"));
            insta::assert_debug_snapshot!(snapshot, error);
        }
    }
}
