//! `quickblox-dialog-mock`: runs the mock server in the foreground until Ctrl-C.

use std::process::ExitCode;

use clap::Parser;
use quickblox_dialog_mock::MockArgs;

// The binary's command line: the mock's flags and nothing else (a doc comment here would replace their about text).
#[derive(Parser)]
#[command(name = "quickblox-dialog-mock", version)]
struct Cli {
    #[command(flatten)]
    mock: MockArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    // Bad usage exits 2 with clap's message, which names the flag and the value.
    let cli = Cli::parse();
    match quickblox_dialog_mock::run(cli.mock.into(), &mut std::io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quickblox-dialog-mock: {err}");
            ExitCode::FAILURE
        }
    }
}
