//! Typed list filters, paging, counting and delete-id lists, applied to the generated builders so that the wire stays theirs.
//!
//! The spec writes filters as query keys such as `updated_at[gt]` and `data[category]`. progenitor gives one builder
//! method per key, and cannot express the `data[...]` family (`style: deepObject`) at all: `xtask` hands it over as an
//! exploded form object, so the generated `.data(map)` sends each key of the map as it is. [`DialogQuery`] is the
//! typed face of all of it: one method per field and operator the spec declares, custom-data keys written
//! `data[field]` for the caller, and the checks the spec's schemas make (a list holds at least one item, `limit` is
//! 1 to 100) made before anything is sent.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;

use crate::generated::builder::ListDialogs;
use crate::types::{Dialog, DialogId, DialogIdList, DialogListResult, DialogSortField, ErrorResponse, UnixTime};
use crate::{Client, DialogType, Error};

/// The most dialogs one page may hold, the spec's `maximum` of `limit` (also the API's default).
pub const MAX_PAGE_SIZE: u32 = 100;

/// Which way a sort goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDirection {
    /// `sort_asc`: smallest first.
    Ascending,
    /// `sort_desc`: largest first.
    Descending,
}

/// A comparison on a time field, in Unix seconds; the operators the spec declares on `created_at`, `updated_at` and
/// `last_message_date_sent` alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct TimeRange {
    lt: Option<i64>,
    lte: Option<i64>,
    gt: Option<i64>,
    gte: Option<i64>,
}

/// What to list: filters, sort order and page, built with one method per field and operator of the spec.
///
/// Each method replaces an earlier value of the same key. A value the spec refuses (an empty list, a `limit` outside
/// 1 to 100, a custom-data field with a bracket in its name) is kept as the query's error, which
/// [`DialogQuery::apply`] and everything built on it return before sending anything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DialogQuery {
    id: Option<DialogId>,
    id_ne: Option<DialogId>,
    type_: Option<DialogType>,
    type_in: Option<Vec<DialogType>>,
    name: Option<String>,
    name_ne: Option<String>,
    name_in: Option<Vec<String>>,
    name_ctn: Option<String>,
    occupants_all: Option<Vec<i64>>,
    created_at: TimeRange,
    updated_at: TimeRange,
    last_message: TimeRange,
    last_message_ne: Option<i64>,
    last_message_in: Option<Vec<i64>>,
    last_message_nin: Option<Vec<i64>>,
    data: BTreeMap<String, String>,
    sort: Option<(DialogSortField, SortDirection)>,
    limit: Option<u32>,
    skip: Option<u32>,
    invalid: Option<String>,
}

/// Why a [`DialogQuery`] cannot be sent: the method and the value at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError(String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl DialogQuery {
    /// A query with no filter, the server's default order and page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first problem only: it is the one the caller made first.
    fn refuse(mut self, problem: String) -> Self {
        self.invalid.get_or_insert(problem);
        self
    }

    fn list<T: Clone>(self, method: &str, items: &[T], put: impl FnOnce(&mut Self, Vec<T>)) -> Self {
        if items.is_empty() {
            return self.refuse(format!(
                "{method}: the list is empty; the spec asks for at least one item"
            ));
        }
        let mut query = self;
        put(&mut query, items.to_vec());
        query
    }

    /// `_id=<id>`: only this dialog (the vendor's recipe for getting one dialog by id).
    pub fn id_eq(mut self, id: DialogId) -> Self {
        self.id = Some(id);
        self
    }

    /// `_id[ne]=<id>`: every dialog but this one.
    pub fn id_ne(mut self, id: DialogId) -> Self {
        self.id_ne = Some(id);
        self
    }

    /// `type=<code>`: only dialogs of this type.
    pub fn type_eq(mut self, type_: DialogType) -> Self {
        self.type_ = Some(type_);
        self
    }

    /// `type[in]=1,2`: only dialogs of one of these types.
    pub fn type_in(self, types: &[DialogType]) -> Self {
        self.list("type_in", types, |query, types| query.type_in = Some(types))
    }

    /// `name=<name>`: only dialogs with exactly this name.
    pub fn name_eq(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `name[ne]=<name>`: only dialogs whose name is not this one.
    pub fn name_ne(mut self, name: impl Into<String>) -> Self {
        self.name_ne = Some(name.into());
        self
    }

    /// `name[in]=a,b`: only dialogs with one of these names. The names are joined by commas on the wire, so a name
    /// holding a comma cannot be told apart from two names and is refused.
    pub fn name_in<S: AsRef<str>>(self, names: &[S]) -> Self {
        let names: Vec<String> = names.iter().map(|name| name.as_ref().to_string()).collect();
        if let Some(name) = names.iter().find(|name| name.contains(',')) {
            return self.refuse(format!(
                "name_in: {name:?} holds a comma, which the API reads as two names"
            ));
        }
        self.list("name_in", &names, |query, names| query.name_in = Some(names))
    }

    /// `name[ctn]=<text>`: only dialogs whose name contains this text.
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.name_ctn = Some(text.into());
        self
    }

    /// `occupants_ids[all]=1,2`: only dialogs that all of these users take part in.
    pub fn occupants_all(self, user_ids: &[i64]) -> Self {
        self.list("occupants_all", user_ids, |query, ids| query.occupants_all = Some(ids))
    }

    /// `created_at[gt]=<time>`: only dialogs created after this time.
    pub fn created_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.created_at.gt = Some(time.into().0);
        self
    }

    /// `created_at[gte]=<time>`: only dialogs created at or after this time.
    pub fn created_at_or_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.created_at.gte = Some(time.into().0);
        self
    }

    /// `created_at[lt]=<time>`: only dialogs created before this time.
    pub fn created_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.created_at.lt = Some(time.into().0);
        self
    }

    /// `created_at[lte]=<time>`: only dialogs created at or before this time.
    pub fn created_at_or_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.created_at.lte = Some(time.into().0);
        self
    }

    /// `updated_at[gt]=<time>`: only dialogs last changed after this time.
    pub fn updated_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.updated_at.gt = Some(time.into().0);
        self
    }

    /// `updated_at[gte]=<time>`: only dialogs last changed at or after this time.
    pub fn updated_at_or_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.updated_at.gte = Some(time.into().0);
        self
    }

    /// `updated_at[lt]=<time>`: only dialogs last changed before this time.
    pub fn updated_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.updated_at.lt = Some(time.into().0);
        self
    }

    /// `updated_at[lte]=<time>`: only dialogs last changed at or before this time.
    pub fn updated_at_or_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.updated_at.lte = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[gt]=<time>`: only dialogs whose latest message was sent after this time.
    pub fn last_message_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.last_message.gt = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[gte]=<time>`: only dialogs whose latest message was sent at or after this time.
    pub fn last_message_at_or_after(mut self, time: impl Into<UnixTime>) -> Self {
        self.last_message.gte = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[lt]=<time>`: only dialogs whose latest message was sent before this time.
    pub fn last_message_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.last_message.lt = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[lte]=<time>`: only dialogs whose latest message was sent at or before this time.
    pub fn last_message_at_or_before(mut self, time: impl Into<UnixTime>) -> Self {
        self.last_message.lte = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[ne]=<time>`: only dialogs whose latest message was not sent at this time.
    pub fn last_message_not_at(mut self, time: impl Into<UnixTime>) -> Self {
        self.last_message_ne = Some(time.into().0);
        self
    }

    /// `last_message_date_sent[in]=<t1>,<t2>`: only dialogs whose latest message was sent at one of these times.
    pub fn last_message_at_any_of(self, times: &[i64]) -> Self {
        self.list("last_message_at_any_of", times, |query, times| {
            query.last_message_in = Some(times)
        })
    }

    /// `last_message_date_sent[nin]=<t1>,<t2>`: only dialogs whose latest message was sent at none of these times.
    pub fn last_message_at_none_of(self, times: &[i64]) -> Self {
        self.list("last_message_at_none_of", times, |query, times| {
            query.last_message_nin = Some(times)
        })
    }

    /// `data[<field>]=<value>`: only dialogs whose custom data has this value in this field; `field` may be
    /// `class_name`. The vendor's recipe is `data_eq("class_name", "CoolDialog").data_eq("category", "friends")`.
    ///
    /// The field is written inside `data[...]` as it is, so an empty field or one holding `[` or `]` is refused.
    pub fn data_eq(mut self, field: &str, value: impl Into<String>) -> Self {
        if field.is_empty() || field.contains(['[', ']']) {
            return self.refuse(format!(
                "data_eq: the custom-data field {field:?} must be a non-empty name without brackets"
            ));
        }
        self.data.insert(format!("data[{field}]"), value.into());
        self
    }

    /// Sorts by `field`, replacing an earlier sort (`sort_asc=<field>` or `sort_desc=<field>`).
    pub fn sort(mut self, field: DialogSortField, direction: SortDirection) -> Self {
        self.sort = Some((field, direction));
        self
    }

    /// `sort_asc=<field>`: smallest first.
    pub fn sort_asc(self, field: DialogSortField) -> Self {
        self.sort(field, SortDirection::Ascending)
    }

    /// `sort_desc=<field>`: largest first, such as the vendor's `sort_desc=last_message_date_sent`.
    pub fn sort_desc(self, field: DialogSortField) -> Self {
        self.sort(field, SortDirection::Descending)
    }

    /// `limit=<n>`: at most `n` dialogs a page, 1 to [`MAX_PAGE_SIZE`].
    pub fn limit(mut self, n: u32) -> Self {
        if !(1..=MAX_PAGE_SIZE).contains(&n) {
            return self.refuse(format!("limit: must be from 1 to {MAX_PAGE_SIZE}, got {n}"));
        }
        self.limit = Some(n);
        self
    }

    /// `skip=<n>`: pass over the first `n` dialogs.
    pub fn skip(mut self, n: u32) -> Self {
        if i32::try_from(n).is_err() {
            return self.refuse(format!("skip: must be at most {}, got {n}", i32::MAX));
        }
        self.skip = Some(n);
        self
    }

    /// The `limit` set, if any.
    pub fn page_size(&self) -> Option<u32> {
        self.limit
    }

    /// The problem with this query, if a method was given a value the spec refuses.
    pub fn check(&self) -> Result<(), QueryError> {
        match &self.invalid {
            Some(problem) => Err(QueryError(problem.clone())),
            None => Ok(()),
        }
    }

    /// Sets this query's filters, sort and page on a generated `list_dialogs` builder, so that what goes on the wire
    /// is the generated code's (and the request hook's); the builder's other settings, such as `.on_behalf_of()`,
    /// stay as they are.
    pub fn apply<'a>(&self, builder: ListDialogs<'a>) -> Result<ListDialogs<'a>, QueryError> {
        self.check()?;
        let mut b = builder;
        macro_rules! set {
            ($($field:expr => $method:ident),* $(,)?) => {
                $(if let Some(value) = $field.clone() { b = b.$method(value); })*
            };
        }
        let unix = |times: &Option<Vec<i64>>| {
            times
                .as_ref()
                .map(|t| t.iter().copied().map(UnixTime).collect::<Vec<_>>())
        };
        set! {
            self.id => id,
            self.id_ne => id_ne,
            self.type_ => type_,
            self.type_in => type_in,
            self.name => name,
            self.name_ne => name_ne,
            self.name_in => name_in,
            self.name_ctn => name_ctn,
            self.occupants_all => occupants_ids_all,
            self.created_at.lt.map(UnixTime) => created_at_lt,
            self.created_at.lte.map(UnixTime) => created_at_lte,
            self.created_at.gt.map(UnixTime) => created_at_gt,
            self.created_at.gte.map(UnixTime) => created_at_gte,
            self.updated_at.lt.map(UnixTime) => updated_at_lt,
            self.updated_at.lte.map(UnixTime) => updated_at_lte,
            self.updated_at.gt.map(UnixTime) => updated_at_gt,
            self.updated_at.gte.map(UnixTime) => updated_at_gte,
            self.last_message.lt.map(UnixTime) => last_message_date_sent_lt,
            self.last_message.lte.map(UnixTime) => last_message_date_sent_lte,
            self.last_message.gt.map(UnixTime) => last_message_date_sent_gt,
            self.last_message.gte.map(UnixTime) => last_message_date_sent_gte,
            self.last_message_ne.map(UnixTime) => last_message_date_sent_ne,
            unix(&self.last_message_in) => last_message_date_sent_in,
            unix(&self.last_message_nin) => last_message_date_sent_nin,
        }
        if !self.data.is_empty() {
            b = b.data(self.data.clone());
        }
        match self.sort {
            Some((field, SortDirection::Ascending)) => b = b.sort_asc(field),
            Some((field, SortDirection::Descending)) => b = b.sort_desc(field),
            None => {}
        }
        if let Some(limit) = self.limit.and_then(NonZeroU32::new) {
            b = b.limit(limit);
        }
        if let Some(skip) = self.skip {
            // `skip` checked it fits.
            b = b.skip(skip as i32);
        }
        Ok(b)
    }
}

/// The request error of a query the spec refuses, as the generated builders report a bad value.
fn invalid(err: QueryError) -> Error<ErrorResponse> {
    Error::InvalidRequest(err.to_string())
}

/// One page of dialogs and the figures that came with it.
#[derive(Clone, Debug, PartialEq)]
pub struct DialogPage {
    /// The dialogs of this page, in the requested order.
    pub items: Vec<Dialog>,
    /// How many dialogs the filters select in all.
    pub total_entries: i64,
    /// How many dialogs were passed over before this page.
    pub skip: i64,
    /// The most dialogs a page holds.
    pub limit: i64,
}

impl DialogListResult {
    /// The page, or `None` for a count (which answers only `count=1`).
    pub fn into_page(self) -> Option<DialogPage> {
        match self {
            Self::List(list) => Some(DialogPage {
                items: list.items,
                total_entries: list.total_entries,
                skip: list.skip,
                limit: list.limit,
            }),
            Self::Count(_) => None,
        }
    }

    /// The number of dialogs, or `None` for a page (which answers a request without `count=1`).
    pub fn count(&self) -> Option<i64> {
        match self {
            Self::Count(count) => Some(count.items.count),
            Self::List(_) => None,
        }
    }
}

/// Walks every page a [`DialogQuery`] selects, from its `skip` on, one request a page.
///
/// Made by [`Client::dialogs`]. It stops after a page that reaches `total_entries`, after an empty page, and after
/// an error (which it yields once), such as a page that does not start where it asked.
#[derive(Debug)]
pub struct DialogPager<'a> {
    client: &'a Client,
    query: DialogQuery,
    on_behalf_of: Option<i64>,
    next_skip: u64,
    total_entries: Option<i64>,
    pages: u32,
    done: bool,
}

impl<'a> DialogPager<'a> {
    /// Acts for this user on every page's request (the API key scheme's `On-Behalf-Of`).
    pub fn on_behalf_of(mut self, user_id: i64) -> Self {
        self.on_behalf_of = Some(user_id);
        self
    }

    /// `total_entries` of the latest page, once one has come.
    pub fn total_entries(&self) -> Option<i64> {
        self.total_entries
    }

    /// How many pages were asked for so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// The next page, or `None` once the last page has been yielded.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Dialog>, Error<ErrorResponse>>> {
        if self.done {
            return None;
        }
        let result = self.fetch().await;
        match &result {
            Ok(items) => {
                let total = self.total_entries.unwrap_or(0);
                self.next_skip += items.len() as u64;
                self.done = items.is_empty() || self.next_skip >= u64::try_from(total).unwrap_or(0);
            }
            Err(_) => self.done = true,
        }
        Some(result)
    }

    async fn fetch(&mut self) -> Result<Vec<Dialog>, Error<ErrorResponse>> {
        let skip = u32::try_from(self.next_skip)
            .map_err(|_| Error::InvalidRequest(format!("skip: {} is past what the API can page to", self.next_skip)))?;
        // The first page goes out as the caller wrote the query (the vendor's recipes send no `skip=0`).
        let query = if self.pages == 0 && self.query.skip.is_none() {
            self.query.clone()
        } else {
            self.query.clone().skip(skip)
        };
        let mut builder = query.apply(self.client.list_dialogs()).map_err(invalid)?;
        if let Some(user) = self.on_behalf_of {
            builder = builder.on_behalf_of(user);
        }
        self.pages += 1;
        let page = builder.send().await?.into_inner().into_page().ok_or_else(|| {
            Error::Custom("asked for a page of dialogs, but the server answered with a count".to_string())
        })?;
        // A server that ignored `skip` would hand out the first page again and again, and the walk would not end.
        if u64::try_from(page.skip).ok() != Some(self.next_skip) {
            return Err(Error::Custom(format!(
                "asked for the dialogs after the first {}, but the server answered the page after the first {}",
                self.next_skip, page.skip
            )));
        }
        self.total_entries = Some(page.total_entries);
        Ok(page.items)
    }

    /// Every remaining dialog, page after page; the first error ends the walk.
    pub async fn collect_all(mut self) -> Result<Vec<Dialog>, Error<ErrorResponse>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }
}

/// `GET /chat/Dialog.json?count=1` for a [`DialogQuery`]'s filters; made by [`Client::count_dialogs`].
#[derive(Debug)]
pub struct CountDialogs<'a> {
    client: &'a Client,
    query: DialogQuery,
    on_behalf_of: Option<i64>,
}

impl CountDialogs<'_> {
    /// Acts for this user (the API key scheme's `On-Behalf-Of`).
    pub fn on_behalf_of(mut self, user_id: i64) -> Self {
        self.on_behalf_of = Some(user_id);
        self
    }

    /// Sends the request and returns the number the server counted.
    pub async fn send(self) -> Result<u64, Error<ErrorResponse>> {
        let mut builder = self.query.apply(self.client.list_dialogs()).map_err(invalid)?;
        if let Some(user) = self.on_behalf_of {
            builder = builder.on_behalf_of(user);
        }
        let answer = builder.count(1).send().await?.into_inner();
        match answer.count() {
            Some(count) => u64::try_from(count)
                .map_err(|_| Error::Custom(format!("the server counted {count} dialogs, fewer than none"))),
            None => Err(Error::Custom(
                "asked for the number of dialogs, but the server answered with a page".to_string(),
            )),
        }
    }
}

impl Client {
    /// A pager over the dialogs `query` selects: `while let Some(page) = pager.next_page().await { ... }`, or
    /// `.collect_all().await` for all of them.
    pub fn dialogs(&self, query: DialogQuery) -> DialogPager<'_> {
        let next_skip = u64::from(query.skip.unwrap_or(0));
        DialogPager {
            client: self,
            query,
            on_behalf_of: None,
            next_skip,
            total_entries: None,
            pages: 0,
            done: false,
        }
    }

    /// How many dialogs `query`'s filters select (`count=1`); its sort and page are sent as set, and ignored by
    /// the API.
    pub fn count_dialogs(&self, query: DialogQuery) -> CountDialogs<'_> {
        CountDialogs {
            client: self,
            query,
            on_behalf_of: None,
        }
    }
}

/// Why a list of dialog ids cannot go into a delete path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogIdsError {
    /// No id at all.
    Empty,
    /// The id at `position` (counting from 1) is not 24 lowercase hexadecimal digits.
    Invalid { position: usize, id: String },
}

impl fmt::Display for DialogIdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no dialog id given"),
            Self::Invalid { position, id } => write!(
                f,
                "dialog id {position} ({id:?}) is not a dialog id: 24 lowercase hexadecimal digits"
            ),
        }
    }
}

impl std::error::Error for DialogIdsError {}

/// The ids joined by commas as one `DialogIdList`, the path segment of `delete_dialogs`
/// (`/chat/Dialog/<id>,<id>.json`), each checked first.
///
/// The spec's path parameter is one string rather than a list so that every generator sends the commas unencoded,
/// as the API's overview asks; this is the typed way to build it:
/// `client.delete_dialogs().chat_dialog_id(dialog_id_list(&ids)?)`.
pub fn dialog_id_list<S: AsRef<str>>(ids: &[S]) -> Result<DialogIdList, DialogIdsError> {
    if ids.is_empty() {
        return Err(DialogIdsError::Empty);
    }
    for (index, id) in ids.iter().enumerate() {
        let id = id.as_ref();
        if id.parse::<DialogId>().is_err() {
            return Err(DialogIdsError::Invalid {
                position: index + 1,
                id: id.to_string(),
            });
        }
    }
    let joined = ids.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join(",");
    Ok(joined
        .parse()
        .expect("ids of 24 hexadecimal digits joined by commas match DialogIdList's pattern"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_refused_value_is_the_query_error() {
        let query = DialogQuery::new().limit(0).type_in(&[]);
        assert_eq!(
            query.check().unwrap_err().to_string(),
            "limit: must be from 1 to 100, got 0"
        );
        assert_eq!(
            DialogQuery::new().type_in(&[]).check().unwrap_err().to_string(),
            "type_in: the list is empty; the spec asks for at least one item"
        );
        assert!(DialogQuery::new().limit(101).check().is_err());
        assert!(DialogQuery::new().limit(100).limit(1).check().is_ok());
        assert!(DialogQuery::new().skip(u32::MAX).check().is_err());
        assert_eq!(
            DialogQuery::new().data_eq("a]b", "x").check().unwrap_err().to_string(),
            "data_eq: the custom-data field \"a]b\" must be a non-empty name without brackets"
        );
        assert!(DialogQuery::new().data_eq("", "x").check().is_err());
        assert_eq!(
            DialogQuery::new().name_in(&["a,b"]).check().unwrap_err().to_string(),
            "name_in: \"a,b\" holds a comma, which the API reads as two names"
        );
        assert!(DialogQuery::new().occupants_all(&[]).check().is_err());
        assert!(DialogQuery::new().last_message_at_any_of(&[]).check().is_err());
        assert!(DialogQuery::new().last_message_at_none_of(&[]).check().is_err());
    }

    #[test]
    fn ids_are_checked_one_by_one_and_joined_by_commas() {
        let a = "5d75626ea28f9a1490cb0f98";
        let b = "5d7562d4a28f9a1694cb0f9b";
        assert_eq!(*dialog_id_list(&[a, b]).unwrap(), format!("{a},{b}"));
        assert_eq!(*dialog_id_list(&[a]).unwrap(), a);
        assert_eq!(dialog_id_list::<&str>(&[]).unwrap_err(), DialogIdsError::Empty);
        let err = dialog_id_list(&[a, "5D75626EA28F9A1490CB0F98", b]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dialog id 2 (\"5D75626EA28F9A1490CB0F98\") is not a dialog id: 24 lowercase hexadecimal digits"
        );
        for bad in [
            "",
            "x",
            &format!("{a},{b}"),
            &format!("{a} "),
            "5d75626ea28f9a1490cb0f9\n",
        ] {
            assert!(
                matches!(dialog_id_list(&[bad]), Err(DialogIdsError::Invalid { position: 1, .. })),
                "{bad:?}"
            );
        }
    }
}
