//! Checking an OpenAPI 3.0 document's examples against its schemas, shared by `cargo xtask lint` and the client's tests.

pub mod examples;
pub mod json_schema;

pub use examples::{Example, ExampleError, spec_examples};
pub use json_schema::{Violation, openapi_validator, schemars_validator, violation_details, violations};
