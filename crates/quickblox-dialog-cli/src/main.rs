//! `qb-dialog`: creates, lists, gets, updates and deletes QuickBlox dialogs with the generated client, or runs the mock server.
#![doc = include_str!("../README.md")]

mod args;
mod output;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use quickblox_dialog::types::{Dialog, ErrorResponse};
use quickblox_dialog::{Client, ClientOptions, Error, ResponseValue};

use crate::args::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    // Bad usage, `--help` and `--version` end here, the way clap ends them (exit 2, 0 and 0).
    match Cli::parse().command {
        Command::Create(args) => run_create(checked("create", args::create(&args, env))).await,
        Command::List(args) => run_list(checked("list", args::list(&args, env))).await,
        Command::Get(args) => run_get(checked("get", args::get(&args, env))).await,
        Command::Update(args) => run_update(checked("update", args::update(&args, env))).await,
        Command::Delete(args) => run_delete(checked("delete", args::delete(&args, env))).await,
        Command::Mock(mock) => match quickblox_dialog_mock::run(mock.into(), &mut std::io::stdout()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("qb-dialog mock: {err}");
                ExitCode::FAILURE
            }
        },
    }
}

/// The parsed subcommand, or its usage error.
fn checked<T>(subcommand: &str, parsed: Result<T, String>) -> T {
    parsed.unwrap_or_else(|message| usage_error(subcommand, &message))
}

/// Prints `message` with the usage of `subcommand` the way clap prints its own errors, and exits 2.
fn usage_error(subcommand: &str, message: &str) -> ! {
    let mut command = Cli::command();
    let command = command.find_subcommand_mut(subcommand).cloned().unwrap_or(command);
    command
        .bin_name(format!("qb-dialog {subcommand}").trim())
        .error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
}

/// Sends the client's traces to stderr: with `--verbose` every request and attempt, and whatever `RUST_LOG` asks
/// for in any case (`RUST_LOG=quickblox_dialog=debug` is `--verbose`; `RUST_LOG=debug` adds reqwest's and hyper's).
fn trace(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    let from_env = std::env::var(EnvFilter::DEFAULT_ENV).unwrap_or_default();
    let mut directives: Vec<&str> = from_env
        .split(',')
        .filter(|directive| !directive.trim().is_empty())
        .collect();
    if verbose {
        directives.push("quickblox_dialog=debug");
    }
    if directives.is_empty() {
        return;
    }
    // A directive the filter cannot read is left out rather than failing the command: tracing is a side channel.
    let filter = directives
        .iter()
        .filter_map(|directive| directive.parse().ok())
        .fold(EnvFilter::new(""), EnvFilter::add_directive);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}

/// The client for `connection`; a base URL or credential it refuses is a usage error of `subcommand`.
fn client(subcommand: &str, connection: &args::Connection) -> Client {
    trace(connection.verbose);
    let options = ClientOptions {
        timeout: connection.timeout,
        ..ClientOptions::default().retries(connection.retries)
    };
    let client = match &connection.credential {
        args::Credential::SessionToken(token) => {
            Client::with_session_token_and_options(&connection.base_url, token, options)
        }
        args::Credential::ApiKey { key, .. } => Client::with_api_key_and_options(&connection.base_url, key, options),
    };
    client.unwrap_or_else(|err| usage_error(subcommand, &err.to_string()))
}

/// Prints `text` and succeeds, or prints the failure of the request and fails.
fn finish<T>(
    result: Result<T, Error<ErrorResponse>>,
    connection: &args::Connection,
    effect: output::Effect,
    print: impl FnOnce(T) -> String,
) -> ExitCode {
    match result {
        Ok(value) => {
            print!("{}", print(value));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprint!(
                "{}",
                output::failure(&err, &connection.base_url, connection.timeout, effect)
            );
            ExitCode::FAILURE
        }
    }
}

/// `json` or `table` of a dialog, as `--output` asks.
fn dialog(connection: &args::Connection) -> impl FnOnce(ResponseValue<Dialog>) -> String + '_ {
    move |dialog| {
        if connection.table {
            output::table(&dialog)
        } else {
            output::json(&dialog)
        }
    }
}

async fn run_create(create: args::Create) -> ExitCode {
    let connection = &create.connection;
    let client = &client("create", connection);
    let request = &create.request;
    let builder = client.create_dialog().body(request.clone());
    let result = match connection.on_behalf_of() {
        Some(user) => builder.on_behalf_of(user).send().await,
        None => builder.send().await,
    };
    finish(result, connection, output::Effect::Create, dialog(connection))
}

/// One page, or with `--all` every page, or with `--count` the number; the client retries each request as its policy says.
async fn run_list(list: args::List) -> ExitCode {
    let connection = &list.connection;
    let client = &client("list", connection);
    let query = &list.query;
    if list.count {
        let count = client.count_dialogs(query.clone());
        let result = match connection.on_behalf_of() {
            Some(user) => count.on_behalf_of(user).send().await,
            None => count.send().await,
        };
        return finish(result, connection, output::Effect::Read, |count| format!("{count}\n"));
    }
    let result = (async {
        let mut pager = client.dialogs(query.clone());
        if let Some(user) = connection.on_behalf_of() {
            pager = pager.on_behalf_of(user);
        }
        let mut dialogs = Vec::new();
        while let Some(page) = pager.next_page().await {
            dialogs.extend(page?);
            if !list.all {
                break;
            }
        }
        Ok((dialogs, pager.total_entries().unwrap_or(0)))
    })
    .await;
    finish(result, connection, output::Effect::Read, |(dialogs, total)| {
        if !connection.table {
            return output::dialogs_json(&dialogs);
        }
        let skip = if list.all { 0 } else { list.skip };
        let shown = dialogs.len() as u64;
        let mut footer = format!("{shown} of {total} dialogs");
        if !list.all && skip + shown < u64::try_from(total).unwrap_or(0) {
            footer.push_str(&format!(
                "; the next page is --skip {}, or --all for every page",
                skip + shown
            ));
        }
        output::dialogs_table(&dialogs, &footer)
    })
}

async fn run_get(get: args::Get) -> ExitCode {
    let connection = &get.connection;
    let client = &client("get", connection);
    let id = &get.id;
    let builder = client.get_dialog().chat_dialog_id(id.clone());
    let result = match connection.on_behalf_of() {
        Some(user) => builder.on_behalf_of(user).send().await,
        None => builder.send().await,
    };
    finish(result, connection, output::Effect::Read, dialog(connection))
}

async fn run_update(update: args::Update) -> ExitCode {
    let connection = &update.connection;
    let client = &client("update", connection);
    let (id, request) = (&update.id, &update.request);
    let builder = client.update_dialog().chat_dialog_id(id.clone()).body(request.clone());
    let result = match connection.on_behalf_of() {
        Some(user) => builder.on_behalf_of(user).send().await,
        None => builder.send().await,
    };
    finish(result, connection, output::Effect::Update, dialog(connection))
}

/// Prints every outcome list; exits 1 when an id was not deleted, so that a script notices.
async fn run_delete(delete: args::Delete) -> ExitCode {
    let connection = &delete.connection;
    let client = &client("delete", connection);
    let ids = &delete.ids;
    let force = delete.force;
    let mut builder = client.delete_dialogs().chat_dialog_id(ids.clone());
    if force {
        builder = builder.force(1);
    }
    let result = match connection.on_behalf_of() {
        Some(user) => builder.on_behalf_of(user).send().await,
        None => builder.send().await,
    };
    let asked: Vec<&str> = ids.split(',').collect();
    let mut missing = Vec::new();
    let code = finish(result, connection, output::Effect::Delete, |result| {
        missing = output::not_deleted(&asked, &result);
        if connection.table {
            output::deleted_table(&result)
        } else {
            output::deleted_json(&result)
        }
    });
    if code == ExitCode::SUCCESS && !missing.is_empty() {
        eprintln!(
            "qb-dialog: {} of {} ids not deleted: {}",
            missing.len(),
            asked.len(),
            missing.join(", ")
        );
        return ExitCode::FAILURE;
    }
    code
}
