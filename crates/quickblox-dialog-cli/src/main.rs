//! `qb-dialog`: creates a QuickBlox dialog with the generated client, or runs the mock server.
#![doc = include_str!("../README.md")]

mod args;
mod output;

use std::process::ExitCode;

use quickblox_dialog::{Client, ClientOptions};
use quickblox_dialog_mock::{Command, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let matches = args::command().get_matches();
    match matches.subcommand() {
        Some(("create", create)) => {
            let create = match args::create(create, |name| std::env::var(name).ok()) {
                Ok(create) => create,
                Err(message) => usage_error("create", &message),
            };
            run_create(create).await
        }
        Some(("mock", mock)) => {
            let flags = mock.get_many::<String>("args").into_iter().flatten().cloned();
            match Config::from_args(flags) {
                Ok(Command::Help) => {
                    print!("{}", args::mock_usage());
                    ExitCode::SUCCESS
                }
                Ok(Command::Run(config)) => match quickblox_dialog_mock::run(config, &mut std::io::stdout()).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(err) => {
                        eprintln!("qb-dialog mock: {err}");
                        ExitCode::FAILURE
                    }
                },
                Err(err) => {
                    eprintln!("qb-dialog mock: {err}\n\n{}", args::mock_usage());
                    ExitCode::from(2)
                }
            }
        }
        // `subcommand_required` makes clap refuse anything else before this point.
        _ => usage_error("", "a subcommand is required"),
    }
}

/// Prints `message` with the usage of `subcommand` the way clap prints its own errors, and exits 2.
fn usage_error(subcommand: &str, message: &str) -> ! {
    let mut command = args::command();
    let command = command.find_subcommand_mut(subcommand).cloned().unwrap_or(command);
    command
        .bin_name(format!("qb-dialog {subcommand}").trim())
        .error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
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
    let mut builder = client.create_dialog().body(create.request);
    if let args::Credential::ApiKey { on_behalf_of, .. } = create.credential {
        builder = builder.on_behalf_of(on_behalf_of);
    }
    match builder.send().await {
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
