//! The OpenAPI toolkit: lint, breaking-change diff, convert, bundle and reference page over one document model.
#![doc = include_str!("../README.md")]

pub mod bundle;
pub mod cli;
pub mod config;
pub mod convert;
pub mod diff;
pub mod docs;
pub mod document;
pub mod error;
pub mod lint;

pub use document::Document;
pub use error::{Error, Result};
