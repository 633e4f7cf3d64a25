//! The command line of `qb-dialog`: clap's builder (no derive, to keep the build lean) and the checks clap cannot make.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use quickblox_dialog::types::{CreateDialogRequest, CustomData, OccupantIds};
use quickblox_dialog::{DEFAULT_TIMEOUT, DialogType};
use serde_json::{Map, Value};

/// The real API, used unless `--base-url` or `QB_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.quickblox.com";

/// The mock's own usage text, as `qb-dialog mock` takes the same flags.
pub fn mock_usage() -> String {
    quickblox_dialog_mock::USAGE.replace("{bin}", "qb-dialog mock")
}

pub fn command() -> Command {
    Command::new("qb-dialog")
        .about("Create QuickBlox chat dialogs, or run a local mock of the API")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("create")
                .about("Create a dialog (POST /chat/Dialog.json) and print it")
                .after_help(
                    "Credentials come from the environment, never the command line:\n  \
                     QB_TOKEN     a user session token, or\n  \
                     QB_API_KEY   the application's API key, with --on-behalf-of\n  \
                     QB_BASE_URL  the API's base URL (default https://api.quickblox.com)\n  \
                     QB_TIMEOUT   seconds to wait for the answer (default 15), as --timeout",
                )
                .arg(
                    Arg::new("type")
                        .long("type")
                        .required(true)
                        .value_parser(["private", "group", "public"])
                        .help("the kind of dialog"),
                )
                .arg(
                    Arg::new("name")
                        .long("name")
                        .value_name("N")
                        .help("the dialog's name (at most 200 characters)"),
                )
                .arg(
                    Arg::new("photo")
                        .long("photo")
                        .value_name("ID")
                        .help("the id of an uploaded file to use as picture"),
                )
                .arg(
                    Arg::new("occupants")
                        .long("occupants")
                        .value_name("1,2,3")
                        .help("the other users taking part, by id"),
                )
                .arg(
                    Arg::new("admins")
                        .long("admins")
                        .value_name("1,2")
                        .help("occupants who may administer the dialog"),
                )
                .arg(
                    Arg::new("join-required")
                        .long("join-required")
                        .action(ArgAction::SetTrue)
                        .help("for a group: users must be let in before they can join"),
                )
                .arg(
                    Arg::new("data-class")
                        .long("data-class")
                        .value_name("C")
                        .help("the custom-objects class of the dialog's custom parameters"),
                )
                .arg(
                    Arg::new("data")
                        .long("data")
                        .value_name("KEY=VALUE")
                        .action(ArgAction::Append)
                        .requires("data-class")
                        .help(
                            "a custom parameter as a string, or KEY:=JSON for a number, boolean, list... (may repeat)",
                        ),
                )
                .arg(
                    Arg::new("on-behalf-of")
                        .long("on-behalf-of")
                        .value_name("USER_ID")
                        .value_parser(clap::value_parser!(i64).range(1..))
                        .help("the user to act for; required with QB_API_KEY"),
                )
                .arg(
                    Arg::new("base-url")
                        .long("base-url")
                        .value_name("URL")
                        .help("the API's base URL (default QB_BASE_URL, else https://api.quickblox.com)"),
                )
                .arg(
                    Arg::new("timeout")
                        .long("timeout")
                        .value_name("SECONDS")
                        .help("how long to wait for the whole answer (default QB_TIMEOUT, else 15)"),
                )
                .arg(
                    Arg::new("output")
                        .long("output")
                        .value_parser(["json", "table"])
                        .default_value("json")
                        .help("how to print the dialog"),
                ),
        )
        .subcommand(
            Command::new("mock")
                .about(
                    "Run the mock server in the foreground (flags as quickblox-dialog-mock's; `qb-dialog mock --help`)",
                )
                .disable_help_flag(true)
                // The flags are the mock's, parsed by the mock's own code, so `qb-dialog help mock`
                // shows the mock's usage rather than clap's view of one catch-all argument.
                .override_help(mock_usage())
                .arg(
                    Arg::new("args")
                        .num_args(0..)
                        .trailing_var_arg(true)
                        .allow_hyphen_values(true)
                        .value_name("MOCK FLAGS"),
                ),
        )
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

/// Reads `create`'s matches and the environment (`env` looks a variable up, so that tests need not set real ones).
pub fn create(matches: &ArgMatches, env: impl Fn(&str) -> Option<String>) -> Result<Create, String> {
    let env = |name: &str| env(name).filter(|value| !value.is_empty());
    let on_behalf_of = matches.get_one::<i64>("on-behalf-of").copied();
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
    let timeout = match (matches.get_one::<String>("timeout"), env("QB_TIMEOUT")) {
        (Some(text), _) => seconds("--timeout", text)?,
        (None, Some(text)) => seconds("QB_TIMEOUT", &text)?,
        (None, None) => DEFAULT_TIMEOUT,
    };
    let type_ = match matches.get_one::<String>("type").map(String::as_str) {
        Some("private") => DialogType::Private,
        Some("public") => DialogType::PublicGroup,
        _ => DialogType::Group,
    };
    let string = |name: &str| matches.get_one::<String>(name).cloned();
    let name = string("name")
        .map(|name| name.try_into().map_err(|err| format!("--name: {err}")))
        .transpose()?;
    let occupants_ids = string("occupants")
        .map(|ids| ids_list("--occupants", &ids).map(OccupantIds::List))
        .transpose()?;
    let admin_ids = string("admins")
        .map(|ids| ids_list("--admins", &ids))
        .transpose()?
        .unwrap_or_default();
    let data = string("data-class")
        .map(|class| {
            let class_name = class.try_into().map_err(|err| format!("--data-class: {err}"))?;
            let mut extra = Map::new();
            for pair in matches.get_many::<String>("data").into_iter().flatten() {
                let (key, value) = data_field(pair)?;
                extra.insert(key, value);
            }
            Ok::<_, String>(CustomData { class_name, extra })
        })
        .transpose()?;
    let request = CreateDialogRequest {
        name,
        photo: string("photo"),
        occupants_ids,
        admin_ids,
        is_join_required: matches
            .get_flag("join-required")
            .then(|| 1.try_into().expect("1 is a valid is_join_required")),
        data,
        ..CreateDialogRequest::new(type_)
    };
    Ok(Create {
        base_url: string("base-url")
            .or_else(|| env("QB_BASE_URL"))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        credential,
        request,
        table: matches
            .get_one::<String>("output")
            .is_some_and(|output| output == "table"),
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
        let matches = command().try_get_matches_from(args).map_err(|err| err.to_string())?;
        let (_, create_matches) = matches.subcommand().unwrap();
        create(create_matches, |name| {
            env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        })
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
