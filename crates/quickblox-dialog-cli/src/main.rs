//! `qb-dialog`: creates a QuickBlox dialog with the generated client, or runs the mock server.
#![doc = include_str!("../README.md")]

mod args;
mod output;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use quickblox_dialog::{Client, ClientOptions, Error};

use crate::args::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    // Bad usage, `--help` and `--version` end here, the way clap ends them (exit 2, 0 and 0).
    match Cli::parse().command {
        Command::Create(create) => {
            let create = match args::create(&create, |name| std::env::var(name).ok()) {
                Ok(create) => create,
                Err(message) => usage_error("create", &message),
            };
            run_create(create).await
        }
        Command::Mock(mock) => match quickblox_dialog_mock::run(mock.into(), &mut std::io::stdout()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("qb-dialog mock: {err}");
                ExitCode::FAILURE
            }
        },
    }
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

/// How long to wait before each new attempt after a refused connection: 1.55 s in all. A refused connection means
/// nothing was sent, so trying again cannot create a second dialog, and a server started a moment earlier (such as
/// `qb-dialog mock ... &` in the README's quickstart) may not be listening yet.
const REFUSED_RETRY_WAITS: [Duration; 5] = [
    Duration::from_millis(50),
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
];

/// Whether the connection was refused outright (nothing listening), as opposed to timing out or failing later.
fn refused(err: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        cause = error.source();
    }
    false
}

async fn run_create(create: args::Create) -> ExitCode {
    let options = ClientOptions {
        timeout: create.timeout,
        ..ClientOptions::default()
    };
    let client = match &create.credential {
        args::Credential::SessionToken(token) => {
            Client::with_session_token_and_options(&create.base_url, token, options)
        }
        args::Credential::ApiKey { key, .. } => Client::with_api_key_and_options(&create.base_url, key, options),
    };
    let client = match client {
        Ok(client) => client,
        Err(err) => usage_error("create", &err.to_string()),
    };
    let on_behalf_of = match create.credential {
        args::Credential::ApiKey { on_behalf_of, .. } => Some(on_behalf_of),
        args::Credential::SessionToken(_) => None,
    };
    let mut waits = REFUSED_RETRY_WAITS.iter();
    let result = loop {
        let mut builder = client.create_dialog().body(create.request.clone());
        if let Some(user) = on_behalf_of {
            builder = builder.on_behalf_of(user);
        }
        let result = builder.send().await;
        match (&result, waits.next()) {
            (Err(Error::CommunicationError(err)), Some(wait)) if refused(err) => tokio::time::sleep(*wait).await,
            _ => break result,
        }
    };
    match result {
        Ok(dialog) => {
            let text = if create.table {
                output::table(&dialog)
            } else {
                output::json(&dialog)
            };
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprint!("{}", output::failure(&err, &create.base_url, create.timeout));
            ExitCode::FAILURE
        }
    }
}
