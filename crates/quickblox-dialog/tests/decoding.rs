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

/// The response examples of list, get, update and delete, each into the type its operation returns.
#[test]
fn the_other_operations_response_examples_decode_as_pinned() {
    use quickblox_dialog::types::{DeleteDialogsResult, DialogListResult};

    let spec = support::spec();
    let operations = [
        ("list_dialogs", support::LIST),
        ("get_dialog", support::GET),
        ("update_dialog", support::UPDATE),
        ("delete_dialogs", support::DELETE),
    ];
    for (operation, pointer) in operations {
        let examples = support::response_examples_of(&spec, pointer);
        assert!(
            examples.iter().any(|(status, _, _)| status == "200"),
            "{operation} has a success example"
        );
        for (status, name, value) in examples {
            let snapshot = format!("{operation}_response_{status}_{name}");
            let fail = |err: serde_json::Error| -> ! { panic!("{snapshot}: {err}") };
            let decoded = match (status.as_str(), operation) {
                ("200", "list_dialogs") => {
                    format!(
                        "{:#?}",
                        serde_json::from_value::<DialogListResult>(value).unwrap_or_else(|e| fail(e))
                    )
                }
                ("200", "delete_dialogs") => format!(
                    "{:#?}",
                    serde_json::from_value::<DeleteDialogsResult>(value).unwrap_or_else(|e| fail(e))
                ),
                ("200", _) => format!(
                    "{:#?}",
                    serde_json::from_value::<Dialog>(value).unwrap_or_else(|e| fail(e))
                ),
                _ => format!(
                    "{:#?}",
                    serde_json::from_value::<ErrorResponse>(value).unwrap_or_else(|e| fail(e))
                ),
            };
            insta::assert_snapshot!(snapshot, decoded);
        }
    }
}
