//! OpenAPI 3.0 schemas as JSON Schema, and every example of a document with its schema: shared by the toolkit's lint, the mock server and the client's tests.
#![doc = include_str!("../README.md")]

pub mod checker;
pub mod examples;
pub mod json_schema;

pub use checker::Checker;
pub use examples::{Direction, Example, ExampleError, schema_places, spec_examples};
pub use json_schema::{Note, Violation, openapi_validator, schemars_validator, violation_details, violations};
