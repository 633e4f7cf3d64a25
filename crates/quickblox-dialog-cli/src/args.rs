//! The command line of `qb-dialog` with clap's derive API, and the checks clap cannot make (the environment, values
//! that need the generated types).

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use quickblox_dialog::types::{
    CreateDialogRequest, CustomData, DialogId, DialogIdList, DialogSortField, OccupantIds, UpdateDialogRequest,
    UserIdChanges,
};
use quickblox_dialog::{DEFAULT_RETRIES, DEFAULT_TIMEOUT, DialogQuery, DialogType, MAX_PAGE_SIZE, dialog_id_list};
use quickblox_dialog_mock::MockArgs;
use serde_json::{Map, Value};

/// The real API, used unless `--base-url` or `QB_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.quickblox.com";

/// The variables every API subcommand reads, shown after its flags.
const ENVIRONMENT_HELP: &str = "\
Credentials come from the environment, never the command line:
  QB_TOKEN     a user session token, or
  QB_API_KEY   the application's API key, with --on-behalf-of
  QB_BASE_URL  the API's base URL (default https://api.quickblox.com)
  QB_TIMEOUT   seconds to wait for the answer (default 15), as --timeout
  RUST_LOG     what to trace to stderr, such as quickblox_dialog=debug (--verbose is that)";

/// `qb-dialog`: one subcommand a variant of `Command`.
#[derive(Parser, Debug)]
#[command(
    name = "qb-dialog",
    about = "Create, list, get, update and delete QuickBlox chat dialogs, or run a local mock of the API",
    long_about = None,
    version,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands: one operation of the API a variant with its own args struct, dispatched in `main`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a dialog (POST /chat/Dialog.json) and print it
    #[command(after_help = ENVIRONMENT_HELP)]
    Create(CreateArgs),
    /// List dialogs, one page or --all, with filters (GET /chat/Dialog.json)
    #[command(after_help = ENVIRONMENT_HELP)]
    List(ListArgs),
    /// Print one dialog (GET /chat/Dialog/ID.json)
    #[command(after_help = ENVIRONMENT_HELP)]
    Get(GetArgs),
    /// Change a dialog and print it as it is afterwards (PUT /chat/Dialog/ID.json)
    #[command(after_help = ENVIRONMENT_HELP)]
    Update(UpdateArgs),
    /// Delete dialogs and print what became of each id (DELETE /chat/Dialog/ID,ID.json)
    #[command(after_help = ENVIRONMENT_HELP)]
    Delete(DeleteArgs),
    /// Run the mock server in the foreground (flags as quickblox-dialog-mock's; `qb-dialog mock --help`)
    // The mock's own flags, from the mock's own definition: `qb-dialog mock --help` and `qb-dialog help mock` print
    // them, and a bad value is refused as the mock binary refuses it.
    Mock(MockArgs),
}

/// The flags of `qb-dialog create`; the environment is read afterwards, by `create`.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// the kind of dialog
    #[arg(long = "type", value_name = "type", value_enum)]
    pub type_: Kind,
    /// the dialog's name (at most 200 characters)
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// the id of an uploaded file to use as picture
    #[arg(long, value_name = "ID")]
    pub photo: Option<String>,
    /// the other users taking part, by id
    #[arg(long, value_name = "1,2,3")]
    pub occupants: Option<String>,
    /// occupants who may administer the dialog
    #[arg(long, value_name = "1,2")]
    pub admins: Option<String>,
    /// for a group: users must be let in before they can join
    #[arg(long)]
    pub join_required: bool,
    /// the custom-objects class of the dialog's custom parameters
    #[arg(long, value_name = "C")]
    pub data_class: Option<String>,
    /// a custom parameter as a string, or KEY:=JSON for a number, boolean, list... (may repeat)
    #[arg(long, value_name = "KEY=VALUE", requires = "data_class")]
    pub data: Vec<String>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// The flags every API subcommand shares, last in each one's help.
#[derive(Args, Debug)]
pub struct ConnectionArgs {
    /// the user to act for; required with QB_API_KEY
    #[arg(long, value_name = "USER_ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub on_behalf_of: Option<i64>,
    /// the API's base URL (default QB_BASE_URL, else https://api.quickblox.com)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// how long to wait for the whole answer (default QB_TIMEOUT, else 15)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<String>,
    /// how to print the answer
    #[arg(long, value_name = "output", value_enum, default_value = "json")]
    pub output: Output,
    /// how often to try again after a failure worth retrying (0: never); a create is retried only when it never left
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RETRIES)]
    pub retries: u32,
    /// print each request and attempt (method, path, status, duration) to stderr; never a credential or a body
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// The flags of `qb-dialog list`: one per filter of the spec that people ask for, the sort, and the page.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// only dialogs of these kinds, joined by commas (private, group, public)
    #[arg(long = "type", value_name = "group,public")]
    pub type_: Option<String>,
    /// only the dialog with this id
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// only dialogs with exactly this name
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// only dialogs whose name contains this text
    #[arg(long, value_name = "TEXT")]
    pub name_contains: Option<String>,
    /// only dialogs that all of these users take part in
    #[arg(long, value_name = "1,2")]
    pub occupants_all: Option<String>,
    /// only dialogs created after this time (Unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub created_after: Option<i64>,
    /// only dialogs created before this time (Unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub created_before: Option<i64>,
    /// only dialogs last changed after this time (Unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub updated_after: Option<i64>,
    /// only dialogs last changed before this time (Unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub updated_before: Option<i64>,
    /// only dialogs whose custom data has this value in this field, such as class_name=CoolDialog (may repeat)
    #[arg(long, value_name = "FIELD=VALUE")]
    pub data: Vec<String>,
    /// sort by this field, smallest first
    #[arg(long, value_name = "FIELD", value_enum, conflicts_with = "sort_desc")]
    pub sort_asc: Option<SortField>,
    /// sort by this field, largest first
    #[arg(long, value_name = "FIELD", value_enum)]
    pub sort_desc: Option<SortField>,
    /// the most dialogs a page holds (1 to 100; the API's default is 100)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_PAGE_SIZE)))]
    pub limit: Option<u32>,
    /// how many dialogs to pass over first
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(..=i64::from(i32::MAX)))]
    pub skip: Option<u32>,
    /// walk every page, not only the first
    #[arg(long, conflicts_with = "count")]
    pub all: bool,
    /// print only how many dialogs the filters select
    #[arg(long)]
    pub count: bool,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// The flags of `qb-dialog get`.
#[derive(Args, Debug)]
pub struct GetArgs {
    /// the dialog's id (24 hexadecimal digits)
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// The flags of `qb-dialog update`: each names one change; at least one is needed.
#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// the dialog's id (24 hexadecimal digits)
    #[arg(value_name = "ID")]
    pub id: String,
    /// the new name (at most 200 characters; groups and public groups only)
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// the id of an uploaded file to use as picture
    #[arg(long, value_name = "ID")]
    pub photo: Option<String>,
    /// the custom-objects class of the new custom parameters
    #[arg(long, value_name = "C")]
    pub data_class: Option<String>,
    /// a custom parameter as a string, or KEY:=JSON for a number, boolean, list... (may repeat)
    #[arg(long, value_name = "KEY=VALUE", requires = "data_class")]
    pub data: Vec<String>,
    /// users to add to the occupants
    #[arg(long, value_name = "1,2")]
    pub add_occupants: Option<String>,
    /// users to remove from the occupants
    #[arg(long, value_name = "1,2")]
    pub remove_occupants: Option<String>,
    /// occupants to make administrators
    #[arg(long, value_name = "1,2")]
    pub add_admins: Option<String>,
    /// administrators to make plain occupants again
    #[arg(long, value_name = "1,2")]
    pub remove_admins: Option<String>,
    /// the occupant who becomes the dialog's owner
    #[arg(long, value_name = "USER_ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub owner: Option<i64>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// The flags of `qb-dialog delete`.
#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// the dialogs' ids (24 hexadecimal digits each)
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// delete them for every participant, not only from your own list (only the owner may)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

// No doc comments on the variants of these two: clap would list each value with it in `--help` instead of the
// one-line `[possible values: ...]`.

/// `--type`: the spec's three dialog types, by name.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Private,
    Group,
    Public,
}

/// `--output`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Json,
    Table,
}

/// `--sort-asc` and `--sort-desc`: the spec's `DialogSortField`, spelt as on the wire.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortField {
    #[value(name = "last_message_date_sent")]
    LastMessageDateSent,
    #[value(name = "created_at")]
    CreatedAt,
    #[value(name = "updated_at")]
    UpdatedAt,
    #[value(name = "name")]
    Name,
    #[value(name = "_id")]
    Id,
    #[value(name = "type")]
    Type,
}

impl From<SortField> for DialogSortField {
    fn from(field: SortField) -> Self {
        match field {
            SortField::LastMessageDateSent => Self::LastMessageDateSent,
            SortField::CreatedAt => Self::CreatedAt,
            SortField::UpdatedAt => Self::UpdatedAt,
            SortField::Name => Self::Name,
            SortField::Id => Self::Id,
            SortField::Type => Self::Type,
        }
    }
}

/// Which credential the environment holds.
pub enum Credential {
    SessionToken(String),
    ApiKey { key: String, on_behalf_of: i64 },
}

/// Where and as whom to send, how long to wait, and how to print: what every API subcommand needs.
pub struct Connection {
    pub base_url: String,
    pub credential: Credential,
    pub table: bool,
    pub timeout: Duration,
    /// `--retries`: 0 turns every retry off, the client's and the wait for a server still starting.
    pub retries: u32,
    pub verbose: bool,
}

impl Connection {
    /// The user to act for, with the API key.
    pub fn on_behalf_of(&self) -> Option<i64> {
        match self.credential {
            Credential::ApiKey { on_behalf_of, .. } => Some(on_behalf_of),
            Credential::SessionToken(_) => None,
        }
    }
}

/// A parsed `create`: everything needed to send it.
pub struct Create {
    pub connection: Connection,
    pub request: CreateDialogRequest,
}

/// A parsed `list`.
pub struct List {
    pub connection: Connection,
    pub query: DialogQuery,
    /// `--skip`, for the table's hint at the next page.
    pub skip: u64,
    pub all: bool,
    pub count: bool,
}

/// A parsed `get`.
pub struct Get {
    pub connection: Connection,
    pub id: DialogId,
}

/// A parsed `update`.
pub struct Update {
    pub connection: Connection,
    pub id: DialogId,
    pub request: UpdateDialogRequest,
}

/// A parsed `delete`.
pub struct Delete {
    pub connection: Connection,
    pub ids: DialogIdList,
    pub force: bool,
}

/// Reads the shared flags and the environment (`env` looks a variable up, so that tests need not set real ones).
pub fn connection(args: &ConnectionArgs, env: impl Fn(&str) -> Option<String>) -> Result<Connection, String> {
    let env = |name: &str| env(name).filter(|value| !value.is_empty());
    let on_behalf_of = args.on_behalf_of;
    let credential = match (env("QB_TOKEN"), env("QB_API_KEY"), on_behalf_of) {
        (Some(_), Some(_), _) => return Err("QB_TOKEN and QB_API_KEY are both set; set only one".to_string()),
        (Some(_), None, Some(_)) => {
            return Err("--on-behalf-of goes with QB_API_KEY; a session token acts as its own user".to_string());
        }
        (Some(token), None, None) => Credential::SessionToken(token),
        (None, Some(key), Some(on_behalf_of)) => Credential::ApiKey { key, on_behalf_of },
        (None, Some(_), None) => return Err("QB_API_KEY needs --on-behalf-of USER_ID".to_string()),
        (None, None, _) => {
            return Err("no credentials: set QB_TOKEN, or QB_API_KEY and pass --on-behalf-of".to_string());
        }
    };
    let timeout = match (&args.timeout, env("QB_TIMEOUT")) {
        (Some(text), _) => seconds("--timeout", text)?,
        (None, Some(text)) => seconds("QB_TIMEOUT", &text)?,
        (None, None) => DEFAULT_TIMEOUT,
    };
    Ok(Connection {
        base_url: args
            .base_url
            .clone()
            .or_else(|| env("QB_BASE_URL"))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        credential,
        table: args.output == Output::Table,
        timeout,
        retries: args.retries,
        verbose: args.verbose,
    })
}

/// Reads `create`'s flags and the environment.
pub fn create(args: &CreateArgs, env: impl Fn(&str) -> Option<String>) -> Result<Create, String> {
    let connection = connection(&args.connection, env)?;
    let type_ = match args.type_ {
        Kind::Private => DialogType::Private,
        Kind::Group => DialogType::Group,
        Kind::Public => DialogType::PublicGroup,
    };
    let name = args
        .name
        .clone()
        .map(|name| name.try_into().map_err(|err| format!("--name: {err}")))
        .transpose()?;
    let occupants_ids = args
        .occupants
        .as_deref()
        .map(|ids| ids_list("--occupants", ids).map(OccupantIds::List))
        .transpose()?;
    let admin_ids = args
        .admins
        .as_deref()
        .map(|ids| ids_list("--admins", ids))
        .transpose()?
        .unwrap_or_default();
    let data = custom_data(args.data_class.as_deref(), &args.data)?;
    let request = CreateDialogRequest {
        name,
        photo: args.photo.clone(),
        occupants_ids,
        admin_ids,
        is_join_required: args
            .join_required
            .then(|| 1.try_into().expect("1 is a valid is_join_required")),
        data,
        ..CreateDialogRequest::new(type_)
    };
    Ok(Create { connection, request })
}

/// `--data-class` with its `--data` fields, as the spec's `CustomData`.
fn custom_data(class: Option<&str>, fields: &[String]) -> Result<Option<CustomData>, String> {
    class
        .map(|class| {
            let class_name = class.try_into().map_err(|err| format!("--data-class: {err}"))?;
            let mut extra = Map::new();
            for pair in fields {
                let (key, value) = data_field(pair)?;
                extra.insert(key, value);
            }
            Ok::<_, String>(CustomData { class_name, extra })
        })
        .transpose()
}

/// A dialog id given as `ID`, checked before anything is sent.
fn dialog_id(text: &str) -> Result<DialogId, String> {
    text.parse()
        .map_err(|_| format!("ID expects a dialog id (24 lowercase hexadecimal digits), got {text:?}"))
}

/// `private,group,public` in any order and number, as the spec's dialog types.
fn kinds(text: &str) -> Result<Vec<DialogType>, String> {
    text.split(',')
        .map(|kind| match kind.trim() {
            "private" => Ok(DialogType::Private),
            "group" => Ok(DialogType::Group),
            "public" => Ok(DialogType::PublicGroup),
            _ => Err(format!(
                "--type expects private, group or public, joined by commas, got {text:?}"
            )),
        })
        .collect()
}

/// Reads `list`'s flags and the environment into a typed query.
pub fn list(args: &ListArgs, env: impl Fn(&str) -> Option<String>) -> Result<List, String> {
    let connection = connection(&args.connection, env)?;
    let mut query = DialogQuery::new();
    if let Some(text) = &args.type_ {
        query = match kinds(text)?.as_slice() {
            [one] => query.type_eq(*one),
            several => query.type_in(several),
        };
    }
    if let Some(id) = &args.id {
        query = query.id_eq(
            id.parse()
                .map_err(|_| format!("--id expects a dialog id (24 lowercase hexadecimal digits), got {id:?}"))?,
        );
    }
    if let Some(name) = &args.name {
        query = query.name_eq(name);
    }
    if let Some(text) = &args.name_contains {
        query = query.name_contains(text);
    }
    if let Some(ids) = &args.occupants_all {
        query = query.occupants_all(&ids_list("--occupants-all", ids)?);
    }
    if let Some(time) = args.created_after {
        query = query.created_after(time);
    }
    if let Some(time) = args.created_before {
        query = query.created_before(time);
    }
    if let Some(time) = args.updated_after {
        query = query.updated_after(time);
    }
    if let Some(time) = args.updated_before {
        query = query.updated_before(time);
    }
    for pair in &args.data {
        let (field, value) = pair
            .split_once('=')
            .filter(|(field, _)| !field.is_empty() && !field.contains(['[', ']']))
            .ok_or_else(|| format!("--data expects FIELD=VALUE with a field name without brackets, got {pair:?}"))?;
        query = query.data_eq(field, value);
    }
    if let Some(field) = args.sort_asc {
        query = query.sort_asc(field.into());
    }
    if let Some(field) = args.sort_desc {
        query = query.sort_desc(field.into());
    }
    if let Some(limit) = args.limit {
        query = query.limit(limit);
    }
    if let Some(skip) = args.skip {
        query = query.skip(skip);
    }
    // clap checked the ranges, and each flag above its own value; anything left is a bug worth hearing about.
    query.check().map_err(|err| err.to_string())?;
    Ok(List {
        connection,
        query,
        skip: u64::from(args.skip.unwrap_or(0)),
        all: args.all,
        count: args.count,
    })
}

/// Reads `get`'s flags and the environment.
pub fn get(args: &GetArgs, env: impl Fn(&str) -> Option<String>) -> Result<Get, String> {
    let id = dialog_id(&args.id)?;
    Ok(Get {
        connection: connection(&args.connection, env)?,
        id,
    })
}

/// Reads `update`'s flags and the environment into the spec's update request.
pub fn update(args: &UpdateArgs, env: impl Fn(&str) -> Option<String>) -> Result<Update, String> {
    let id = dialog_id(&args.id)?;
    let connection = connection(&args.connection, env)?;
    let ids = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|text| ids_list(flag, text))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let changes = |occupants_ids: Vec<i64>, admin_ids: Vec<i64>| {
        (!occupants_ids.is_empty() || !admin_ids.is_empty()).then_some(UserIdChanges {
            occupants_ids,
            admin_ids,
        })
    };
    let push_all = changes(
        ids("--add-occupants", &args.add_occupants)?,
        ids("--add-admins", &args.add_admins)?,
    );
    let pull_all = changes(
        ids("--remove-occupants", &args.remove_occupants)?,
        ids("--remove-admins", &args.remove_admins)?,
    );
    let request = UpdateDialogRequest {
        name: args
            .name
            .clone()
            .map(|name| name.try_into().map_err(|err| format!("--name: {err}")))
            .transpose()?,
        photo: args.photo.clone(),
        data: custom_data(args.data_class.as_deref(), &args.data)?,
        user_id: args.owner,
        push_all,
        pull_all,
    };
    if request == UpdateDialogRequest::default() {
        return Err(
            "nothing to change: pass at least one of --name, --photo, --data-class, --add-occupants, \
             --remove-occupants, --add-admins, --remove-admins, --owner"
                .to_string(),
        );
    }
    Ok(Update {
        connection,
        id,
        request,
    })
}

/// Reads `delete`'s ids and flags and the environment; the ids are checked one by one, naming the one at fault.
pub fn delete(args: &DeleteArgs, env: impl Fn(&str) -> Option<String>) -> Result<Delete, String> {
    let ids = dialog_id_list(&args.ids).map_err(|err| format!("ID: {err}"))?;
    Ok(Delete {
        connection: connection(&args.connection, env)?,
        ids,
        force: args.force,
    })
}

/// A number of seconds above zero, such as `15` or `2.5`.
fn seconds(source: &str, text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|seconds| *seconds > 0.0)
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .ok_or_else(|| format!("{source} expects a number of seconds above 0, got {text:?}"))
}

/// `1,2,3` or `1, 2, 3` as user ids: what the spec's pattern `^ *[1-9][0-9]*( *, *[1-9][0-9]*)* *$` accepts
/// (spaces around the commas, as QuickBlox's JavaScript SDK joins them), and nothing else.
fn ids_list(flag: &str, text: &str) -> Result<Vec<i64>, String> {
    text.split(',')
        .map(|id| {
            let id = id.trim_matches(' ');
            Some(id)
                .filter(|id| id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0') && !id.is_empty())
                .and_then(|id| id.parse::<i64>().ok())
                .ok_or_else(|| format!("{flag} expects user ids joined by commas, got {text:?}"))
        })
        .collect()
}

/// `key=value` (a string) or `key:=json`.
fn data_field(pair: &str) -> Result<(String, Value), String> {
    let invalid = || format!("--data expects KEY=VALUE or KEY:=JSON, got {pair:?}");
    let (key, value) = pair.split_once('=').ok_or_else(invalid)?;
    let (key, value) = match key.strip_suffix(':') {
        Some(key) => (
            key,
            serde_json::from_str(value).map_err(|err| format!("--data {key}:= needs JSON, got {value:?}: {err}"))?,
        ),
        None => (key, Value::String(value.to_string())),
    };
    if key.is_empty() || key == "class_name" {
        return Err(format!(
            "{} (the key must not be empty or class_name; use --data-class)",
            invalid()
        ));
    }
    Ok((key.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Create, String> {
        let Command::Create(args) = Cli::try_parse_from(args).map_err(|err| err.to_string())?.command else {
            panic!("not a create command: {args:?}");
        };
        create(&args, |name| {
            env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn the_custom_data_recipe_builds_the_spec_request() {
        let create = parse(
            &[
                "qb-dialog",
                "create",
                "--type",
                "group",
                "--name",
                "Chat with Bob, Sam, Garry",
                "--occupants",
                "96754523,96830631,96831328",
                "--data-class",
                "ScoreTable",
                "--data",
                "game_mode_name=rainbow dash",
                "--data",
                "expert_mode=3",
                "--data",
                "progress=56",
                "--data",
                "tags:=[1,true]",
            ],
            &[("QB_TOKEN", "t")],
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&create.request).unwrap(),
            json!({
                "type": 2, "name": "Chat with Bob, Sam, Garry", "occupants_ids": [96754523, 96830631, 96831328],
                "data": {"class_name": "ScoreTable", "game_mode_name": "rainbow dash", "expert_mode": "3", "progress": "56", "tags": [1, true]},
            })
        );
        assert_eq!(create.connection.base_url, DEFAULT_BASE_URL);
        assert!(matches!(create.connection.credential, Credential::SessionToken(ref t) if t == "t"));
    }

    #[test]
    fn credentials_come_from_the_environment_in_one_scheme() {
        let base = ["qb-dialog", "create", "--type", "public"];
        let with = |extra: &[&'static str]| [&base[..], extra].concat();
        assert_eq!(
            parse(&base, &[]).err().unwrap(),
            "no credentials: set QB_TOKEN, or QB_API_KEY and pass --on-behalf-of"
        );
        assert_eq!(
            parse(&base, &[("QB_TOKEN", "t"), ("QB_API_KEY", "k")]).err().unwrap(),
            "QB_TOKEN and QB_API_KEY are both set; set only one"
        );
        assert_eq!(
            parse(&base, &[("QB_API_KEY", "k")]).err().unwrap(),
            "QB_API_KEY needs --on-behalf-of USER_ID"
        );
        assert!(parse(&with(&["--on-behalf-of", "5"]), &[("QB_TOKEN", "t")]).is_err());
        let create = parse(
            &with(&["--on-behalf-of", "5"]),
            &[("QB_API_KEY", "k"), ("QB_TOKEN", "")],
        )
        .unwrap();
        assert!(matches!(
            create.connection.credential,
            Credential::ApiKey { on_behalf_of: 5, .. }
        ));
    }

    #[test]
    fn values_are_checked_before_anything_is_sent() {
        let token = [("QB_TOKEN", "t")];
        let err = |args: &[&str]| {
            parse(
                &[&["qb-dialog", "create", "--type", "group"][..], args].concat(),
                &token,
            )
            .err()
            .unwrap()
        };
        assert_eq!(
            err(&["--occupants", "1,x"]),
            "--occupants expects user ids joined by commas, got \"1,x\""
        );
        assert_eq!(
            err(&["--data-class", "C", "--data", "novalue"]),
            "--data expects KEY=VALUE or KEY:=JSON, got \"novalue\""
        );
        assert!(err(&["--data-class", "C", "--data", "n:=nope"]).starts_with("--data n:= needs JSON, got \"nope\""));
        assert!(err(&["--name", &"x".repeat(201)]).starts_with("--name: "));
        assert!(
            err(&["--data", "a=b"]).contains("--data-class"),
            "--data needs --data-class"
        );
        for bad in [
            "",
            " ",
            "1,,2",
            "1, 2,",
            "0",
            "01",
            "+1",
            "-1",
            "1\t,2",
            "1 2",
            "99999999999999999999",
        ] {
            assert_eq!(
                err(&[&format!("--admins={bad}")]),
                format!("--admins expects user ids joined by commas, got {bad:?}")
            );
        }
        assert_eq!(
            err(&["--timeout", "0"]),
            "--timeout expects a number of seconds above 0, got \"0\""
        );
        assert_eq!(
            parse(
                &["qb-dialog", "create", "--type", "group"],
                &[("QB_TOKEN", "t"), ("QB_TIMEOUT", "soon")]
            )
            .err()
            .unwrap(),
            "QB_TIMEOUT expects a number of seconds above 0, got \"soon\""
        );
    }

    #[test]
    fn ids_may_be_joined_with_spaces_as_the_javascript_sdk_does() {
        let create = parse(
            &[
                "qb-dialog",
                "create",
                "--type",
                "group",
                "--occupants",
                " 1002, 1003 ,1004 ",
                "--admins",
                "1002 , 1003",
            ],
            &[("QB_TOKEN", "t")],
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&create.request).unwrap(),
            json!({"type": 2, "occupants_ids": [1002, 1003, 1004], "admin_ids": [1002, 1003]})
        );
    }

    #[test]
    fn the_timeout_comes_from_the_flag_then_the_environment() {
        let base = ["qb-dialog", "create", "--type", "public"];
        let token = ("QB_TOKEN", "t");
        assert_eq!(parse(&base, &[token]).unwrap().connection.timeout, DEFAULT_TIMEOUT);
        assert_eq!(
            parse(&base, &[token, ("QB_TIMEOUT", "2.5")])
                .unwrap()
                .connection
                .timeout,
            Duration::from_millis(2500)
        );
        let flag = [&base[..], &["--timeout", "40"]].concat();
        assert_eq!(
            parse(&flag, &[token, ("QB_TIMEOUT", "2.5")])
                .unwrap()
                .connection
                .timeout,
            Duration::from_secs(40)
        );
    }

    fn parse_command(args: &[&str]) -> Command {
        Cli::try_parse_from(args)
            .unwrap_or_else(|err| panic!("{args:?}: {err}"))
            .command
    }

    fn token(name: &str) -> Option<String> {
        (name == "QB_TOKEN").then(|| "t".to_string())
    }

    #[test]
    fn list_flags_become_the_typed_query() {
        let Command::List(args) = parse_command(&[
            "qb-dialog",
            "list",
            "--type",
            "public",
            "--data",
            "category=a=b",
            "--sort-asc",
            "_id",
            "--limit",
            "3",
            "--skip",
            "6",
        ]) else {
            panic!("a list command")
        };
        let list = list(&args, token).unwrap();
        assert_eq!(
            list.query,
            DialogQuery::new()
                .type_eq(DialogType::PublicGroup)
                .data_eq("category", "a=b")
                .sort_asc(DialogSortField::Id)
                .limit(3)
                .skip(6)
        );
        assert_eq!(list.skip, 6);
        assert!(!list.all && !list.count);
    }

    #[test]
    fn update_sends_only_what_was_asked_and_delete_keeps_the_order() {
        let id = "5d75393ba28f9a17e1cb0f9e";
        let Command::Update(args) = parse_command(&["qb-dialog", "update", id, "--remove-admins", "7"]) else {
            panic!("an update command")
        };
        let update = update(&args, token).unwrap();
        assert_eq!(
            serde_json::to_value(&update.request).unwrap(),
            json!({"pull_all": {"admin_ids": [7]}})
        );
        assert_eq!(*update.id, id);
        let other = "5d753421a28f9a2596cb0f98";
        let Command::Delete(args) = parse_command(&["qb-dialog", "delete", other, id, "--force"]) else {
            panic!("a delete command")
        };
        let delete = delete(&args, token).unwrap();
        assert_eq!(*delete.ids, format!("{other},{id}"));
        assert!(delete.force);
    }
}
