//! `openapi-toolkit`: lint, diff, convert, bundle and docs for any OpenAPI 3.0 or 3.1 document, in any repository.

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_toolkit::cli::{self, BundleArgs, Context, ConvertArgs, DiffArgs, DocsArgs, LintArgs};

#[derive(Parser)]
#[command(
    name = "openapi-toolkit",
    version,
    about = "Lint, diff, convert, bundle and document an OpenAPI 3.0 or 3.1 document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a document: structure, examples against their schemas, generator traps
    Lint(LintArgs),
    /// Compare two versions: each change as breaking or not, and the info.version bump it needs
    Diff(DiffArgs),
    /// Write the published document as JSON and YAML in the file's key order, with a changelog
    Bundle(BundleArgs),
    /// Write a self-contained HTML reference page
    Docs(DocsArgs),
    /// Convert between OpenAPI 3.0 and 3.1, refusing (with every place) what the target cannot say
    Convert(ConvertArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let show = |path: &Path| path.display().to_string();
    let context = Context {
        tool: "openapi-toolkit",
        default_document: None,
        default_out_dir: "dist".into(),
        show: &show,
        lint_rules: openapi_toolkit::lint::Ruleset::recommended(),
    };
    let result = match &cli.command {
        Command::Lint(args) => cli::lint(args, &context),
        Command::Diff(args) => cli::diff(args, &context, None),
        Command::Bundle(args) => cli::bundle(args, &context),
        Command::Docs(args) => cli::docs(args, &context),
        Command::Convert(args) => cli::convert(args, &context),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err @ openapi_toolkit::Error::Usage(_)) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
