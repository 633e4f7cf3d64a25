//! `quickblox-dialog-mock`: runs the mock server in the foreground until Ctrl-C.

use std::process::ExitCode;

use quickblox_dialog_mock::{Command, Config, USAGE};

#[tokio::main]
async fn main() -> ExitCode {
    let bin = "quickblox-dialog-mock";
    match Config::from_args(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            print!("{}", USAGE.replace("{bin}", bin));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{bin}: {err}\n\n{}", USAGE.replace("{bin}", bin));
            ExitCode::from(2)
        }
        Ok(Command::Run(config)) => match quickblox_dialog_mock::run(config, &mut std::io::stdout()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("{bin}: {err}");
                ExitCode::FAILURE
            }
        },
    }
}
