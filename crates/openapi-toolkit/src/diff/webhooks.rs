//! Webhooks (OpenAPI 3.1): added, removed, and each kept operation compared by the paths' operation walk.
//!
//! Every check that walk makes applies to a webhook operation.
//!
//! As oasdiff does, a webhook operation keeps the roles of a path operation: its request body is what the API
//! sends and its responses what the subscriber answers, and the rules (and their levels) are the same ids.

use serde_json::Value;

use super::{Diff, Level, Rule, Side, empty_map};
use crate::document::{Method, escape};

impl Diff<'_> {
    pub(crate) fn webhooks(&mut self) {
        let base = self
            .base
            .get("webhooks")
            .and_then(Value::as_object)
            .unwrap_or(empty_map());
        let head = self
            .head
            .get("webhooks")
            .and_then(Value::as_object)
            .unwrap_or(empty_map());
        for (name, base_item) in base {
            let pointer = format!("/webhooks/{}", escape(name));
            let Some(head_item) = head.get(name) else {
                self.push(
                    Level::Err,
                    Rule::WebhookRemoved,
                    &format!("webhook {name}"),
                    "webhook",
                    &pointer,
                    format!("the webhook `{name}` was removed"),
                );
                continue;
            };
            let (base_item, head_item) = (
                crate::document::follow_in(self.base, base_item).0,
                crate::document::follow_in(self.head, head_item).0,
            );
            for method in Method::ALL {
                let operation = format!("{} webhook {name}", method.upper());
                let at = format!("{pointer}/{}", method.key());
                match (base_item.get(method.key()), head_item.get(method.key())) {
                    (Some(op), None) => self.removed(&operation, &at, op, false),
                    (None, Some(_)) => self.push(
                        Level::Info,
                        Rule::EndpointAdded,
                        &operation,
                        "operation",
                        &at,
                        format!("{operation} was added"),
                    ),
                    (Some(base_op), Some(head_op)) => {
                        let base = Side {
                            item: base_item,
                            op: base_op,
                        };
                        let head = Side {
                            item: head_item,
                            op: head_op,
                        };
                        self.operation(&operation, &at, (name, name), base, head);
                    }
                    (None, None) => {}
                }
            }
        }
        for name in head.keys().filter(|n| !base.contains_key(*n)) {
            self.push(
                Level::Info,
                Rule::WebhookAdded,
                &format!("webhook {name}"),
                "webhook",
                &format!("/webhooks/{}", escape(name)),
                format!("the webhook `{name}` was added"),
            );
        }
    }
}
