//! The command line of `qb-dialog` with clap's derive API, and the checks clap cannot make (the environment, values
//! that need the generated types).

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use quickblox_dialog::types::{CreateDialogRequest, CustomData, OccupantIds};
use quickblox_dialog::{DEFAULT_TIMEOUT, DialogType};
use quickblox_dialog_mock::MockArgs;
use serde_json::{Map, Value};

/// The real API, used unless `--base-url` or `QB_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.quickblox.com";

/// The variables `create` reads, shown after its flags.
const CREATE_AFTER_HELP: &str = "\
Credentials come from the environment, never the command line:
  QB_TOKEN     a user session token, or
  QB_API_KEY   the application's API key, with --on-behalf-of
  QB_BASE_URL  the API's base URL (default https://api.quickblox.com)
  QB_TIMEOUT   seconds to wait for the answer (default 15), as --timeout";

/// `qb-dialog`: one subcommand a variant of `Command`.
#[derive(Parser, Debug)]
#[command(
    name = "qb-dialog",
    about = "Create QuickBlox chat dialogs, or run a local mock of the API",
    long_about = None,
    version,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands; another operation of the API (list, get, update, delete) is another variant with its own args
/// struct, dispatched in `main`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a dialog (POST /chat/Dialog.json) and print it
    #[command(after_help = CREATE_AFTER_HELP)]
    Create(CreateArgs),
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
    /// the user to act for; required with QB_API_KEY
    #[arg(long, value_name = "USER_ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub on_behalf_of: Option<i64>,
    /// the API's base URL (default QB_BASE_URL, else https://api.quickblox.com)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// how long to wait for the whole answer (default QB_TIMEOUT, else 15)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<String>,
    /// how to print the dialog
    #[arg(long, value_name = "output", value_enum, default_value = "json")]
    pub output: Output,
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

/// Which credential the environment holds.
pub enum Credential {
    SessionToken(String),
    ApiKey { key: String, on_behalf_of: i64 },
}

/// A parsed `create`: everything needed to send it.
pub struct Create {
    pub base_url: String,
    pub credential: Credential,
    pub request: CreateDialogRequest,
    pub table: bool,
    pub timeout: Duration,
}

/// Reads `create`'s flags and the environment (`env` looks a variable up, so that tests need not set real ones).
pub fn create(args: &CreateArgs, env: impl Fn(&str) -> Option<String>) -> Result<Create, String> {
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
    let data = args
        .data_class
        .clone()
        .map(|class| {
            let class_name = class.try_into().map_err(|err| format!("--data-class: {err}"))?;
            let mut extra = Map::new();
            for pair in &args.data {
                let (key, value) = data_field(pair)?;
                extra.insert(key, value);
            }
            Ok::<_, String>(CustomData { class_name, extra })
        })
        .transpose()?;
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
    Ok(Create {
        base_url: args
            .base_url
            .clone()
            .or_else(|| env("QB_BASE_URL"))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        credential,
        request,
        table: args.output == Output::Table,
        timeout,
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
        assert_eq!(create.base_url, DEFAULT_BASE_URL);
        assert!(matches!(create.credential, Credential::SessionToken(ref t) if t == "t"));
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
        assert!(matches!(create.credential, Credential::ApiKey { on_behalf_of: 5, .. }));
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
        assert_eq!(parse(&base, &[token]).unwrap().timeout, DEFAULT_TIMEOUT);
        assert_eq!(
            parse(&base, &[token, ("QB_TIMEOUT", "2.5")]).unwrap().timeout,
            Duration::from_millis(2500)
        );
        let flag = [&base[..], &["--timeout", "40"]].concat();
        assert_eq!(
            parse(&flag, &[token, ("QB_TIMEOUT", "2.5")]).unwrap().timeout,
            Duration::from_secs(40)
        );
    }
}
