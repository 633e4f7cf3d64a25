//! `cargo xtask`: the workspace's automation, starting with regenerating the client from the spec.

mod api_listing;
mod bundle;
mod codegen;
mod docs;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [--check]   regenerate crates/quickblox-dialog/src/generated.rs from openapi/dialog.yaml;
                       with --check, change nothing and fail if the file is stale
  api                  list the public API of the committed generated client, one item a line
  bundle [--report F]  write the published spec to dist/ (dialog.json, dialog.yaml, CHANGELOG.md);
                       F is a breaking-change report in Markdown to put into CHANGELOG.md
  docs                 write dist/dialog.html, a self-contained reference page of the API
  help                 print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate"] => codegen::generate(codegen::Mode::Write),
        ["generate", "--check"] => codegen::generate(codegen::Mode::Check),
        ["api"] => api_listing::print(),
        ["bundle"] => bundle::bundle(None),
        ["bundle", "--report", report] => bundle::bundle(Some(Path::new(report))),
        ["docs"] => docs::docs(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("error: unknown arguments {args:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, so that the tasks work from any directory.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A path relative to the workspace root for messages, falling back to the path as given.
fn display_path(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}
