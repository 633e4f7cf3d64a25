//! `cargo xtask`: the workspace's automation, starting with regenerating the client from the spec.

mod api_listing;
mod bundle;
mod codegen;
mod diff;
mod docs;
mod lint;
mod spec;
mod yaml_lines;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [--check]   regenerate crates/quickblox-dialog/src/generated.rs from openapi/dialog.yaml;
                       with --check, change nothing and fail if the file is stale
  api                  list the public API of the committed generated client, one item a line
  lint [PATH] [--deny-warnings]
                       check openapi/dialog.yaml (or PATH): structure, examples, generator traps;
                       errors fail, warnings fail only with --deny-warnings
  lint --rules         list the lint rules
  diff [BASE] [--head PATH] [--format text|markdown|json] [--allow-breaking]
                       compare the spec at BASE (a git revision, default HEAD, or a file) with the
                       working copy (or PATH): each change as breaking or not, the info.version
                       bump it needs, and what changes in the generated client's public API;
                       fails on a breaking change unless --allow-breaking, and on a short bump
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
        ["lint", "--rules"] => {
            for (rule, severity, what) in lint::RULES {
                println!("{rule:32} {:8} {what}", format!("{severity:?}").to_lowercase());
            }
            Ok(())
        }
        ["diff", rest @ ..] => match DiffArgs::parse(rest) {
            Some(a) => diff::run(a.base, a.head.map(Path::new), a.format, a.allow_breaking),
            None => return usage_error(&args),
        },
        ["lint", rest @ ..] => {
            let deny_warnings = rest.contains(&"--deny-warnings");
            match rest
                .iter()
                .filter(|a| **a != "--deny-warnings")
                .collect::<Vec<_>>()
                .as_slice()
            {
                [] => lint::run(&project_root().join(codegen::SPEC), deny_warnings),
                [path] if !path.starts_with('-') => lint::run(Path::new(path), deny_warnings),
                _ => return usage_error(&args),
            }
        }
        ["bundle"] => bundle::bundle(None),
        ["bundle", "--report", report] => bundle::bundle(Some(Path::new(report))),
        ["docs"] => docs::docs(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => return usage_error(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

struct DiffArgs<'a> {
    base: &'a str,
    head: Option<&'a str>,
    format: diff::Format,
    allow_breaking: bool,
}

impl<'a> DiffArgs<'a> {
    fn parse(args: &[&'a str]) -> Option<Self> {
        let mut parsed = DiffArgs {
            base: "HEAD",
            head: None,
            format: diff::Format::Text,
            allow_breaking: false,
        };
        let mut base = None;
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--allow-breaking" => parsed.allow_breaking = true,
                "--head" => parsed.head = Some(rest.next()?),
                "--format" => parsed.format = rest.next()?.parse().ok()?,
                flag if flag.starts_with('-') => return None,
                value if base.is_none() => base = Some(value),
                _ => return None,
            }
        }
        parsed.base = base.unwrap_or("HEAD");
        Some(parsed)
    }
}

fn usage_error(args: &[&str]) -> ExitCode {
    eprintln!("error: unknown arguments {args:?}\n\n{USAGE}");
    ExitCode::from(2)
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
