#![doc = include_str!("../README.md")]

mod auth;
mod dialog_type;
mod error;
mod limit;
mod list;
mod query;
mod retry;
// Only xtask writes this file; rustfmt keeps away so that `cargo fmt` cannot make it stale.
#[rustfmt::skip]
// progenitor's `prelude` module is not re-exported, so its import would warn; clippy's style
// lints (such as the layout of doc comments made from the spec's descriptions) are progenitor's
// business, not this crate's.
#[allow(unused_imports, clippy::all)]
mod generated;

pub use auth::{AuthScheme, ClientError, ClientOptions, ClientSettings, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use dialog_type::DialogType;
pub use error::ApiError;
pub use generated::{builder, ByteStream, Client, ClientInfo, Error, ResponseValue};
pub use limit::ResponseTooLarge;
pub use list::{
    dialog_id_list, CountDialogs, DialogIdsError, DialogPage, DialogPager, DialogQuery, QueryError, SortDirection,
    MAX_PAGE_SIZE,
};
pub use retry::{RetryPolicy, DEFAULT_MAX_RETRY_AFTER, DEFAULT_RETRIES};

/// The request and response types of the API, as generated from the spec's schemas.
pub mod types {
    pub use crate::dialog_type::DialogType;
    pub use crate::generated::types::*;
}

/// The workspace README's Rust examples compile as doctests, so the documented usage cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

impl types::CreateDialogRequest {
    /// A request for a dialog of the given type with nothing else set, to fill in with struct
    /// update syntax: `CreateDialogRequest { name: ..., ..CreateDialogRequest::new(DialogType::Group) }`.
    pub fn new(type_: DialogType) -> Self {
        Self {
            type_,
            name: None,
            photo: None,
            occupants_ids: None,
            data: None,
            is_join_required: None,
            admin_ids: Vec::new(),
        }
    }
}

impl FromIterator<i64> for types::OccupantIds {
    /// Collects user ids into the typed list form.
    fn from_iter<I: IntoIterator<Item = i64>>(ids: I) -> Self {
        Self::List(ids.into_iter().collect())
    }
}
