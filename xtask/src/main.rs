//! `cargo xtask`: this project's automation (regenerating the client, listing its API) and its
//! shortcuts to the OpenAPI toolkit with the project's paths as defaults.

mod api_listing;
mod bundle;
mod codegen;
mod diff;
mod docs;
mod lint;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use openapi_toolkit::cli::{BundleArgs, Context, DiffArgs, DocsArgs, LintArgs};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The project's automation: the client from the spec, and the toolkit on openapi/dialog.yaml"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate crates/quickblox-dialog/src/generated.rs from openapi/dialog.yaml
    Generate {
        /// Change nothing; fail with a diff if the committed file is stale
        #[arg(long)]
        check: bool,
    },
    /// List the public API of the committed generated client, one item a line
    Api,
    /// Check openapi/dialog.yaml (or PATH): structure, examples, generator traps; errors fail,
    /// warnings fail only with --deny-warnings
    Lint(LintArgs),
    /// Compare the spec at BASE (a git revision, default HEAD, or a file) with the working copy (or
    /// --head): each change as breaking or not, the info.version bump it needs, and what changes in
    /// the generated client's public API
    Diff(DiffArgs),
    /// Write the published spec to dist/ (dialog.json, dialog.yaml, CHANGELOG.md)
    Bundle(BundleArgs),
    /// Write dist/dialog.html, a self-contained reference page of the API
    Docs(DocsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Found from where the command runs, as cargo does, so that a copied binary works on the clone it runs in.
    match find_root(&std::env::current_dir().unwrap_or_default()) {
        Ok(root) => {
            ROOT.get_or_init(|| root);
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    }
    let result = match &cli.command {
        Command::Generate { check: false } => generate(),
        Command::Generate { check: true } => codegen::generate(codegen::Mode::Check),
        Command::Api => api_listing::print(),
        Command::Lint(args) => openapi_toolkit::cli::lint(args, &context()).map_err(Into::into),
        Command::Diff(args) => diff::run(args),
        Command::Bundle(args) => bundle::run(args),
        Command::Docs(args) => docs::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask generate`, saying what it did: whether the generated client changed, and from which spec.
fn generate() -> anyhow::Result<()> {
    let path = project_root().join(codegen::GENERATED);
    let before = std::fs::read_to_string(&path).ok();
    codegen::generate(codegen::Mode::Write)?;
    let after = std::fs::read_to_string(&path).unwrap_or_default();
    let (spec, generated) = (codegen::SPEC, codegen::GENERATED);
    match before {
        Some(before) if before == after => println!("{generated} is up to date with {spec}; nothing written"),
        Some(before) => println!(
            "wrote {generated} from {spec}: {} lines, was {}; review it with `git diff {generated}`",
            after.lines().count(),
            before.lines().count()
        ),
        None => println!("wrote {generated} from {spec}: {} lines", after.lines().count()),
    }
    Ok(())
}

/// The toolkit's commands with this project's defaults: the spec, `dist/`, paths shown from the root.
fn context() -> Context<'static> {
    Context {
        tool: "cargo xtask",
        default_document: Some(project_root().join(codegen::SPEC)),
        default_out_dir: project_root().join(bundle::DIST),
        show: &display_path_buf,
        // What another team gets; this project's strictness (house style included) is stated in
        // `openapi-toolkit.yaml` at the root, which `lint` reads, so the binary and xtask agree.
        lint_rules: openapi_toolkit::lint::Ruleset::recommended(),
    }
}

fn display_path_buf(path: &Path) -> String {
    display_path(path)
}

static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// The workspace root: the nearest directory at or above `start` whose `Cargo.toml` has a `[workspace]` table.
fn find_root(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest)
            && text.lines().any(|line| line.trim() == "[workspace]")
        {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "{} is not inside a cargo workspace: no Cargo.toml with a [workspace] table here or above; run xtask from the project's clone",
        start.display()
    )
}

/// The workspace root, so that the tasks work from any directory of it.
fn project_root() -> PathBuf {
    ROOT.get_or_init(|| {
        // Tests start in the crate's directory, inside the workspace.
        let here = std::env::current_dir().expect("the current directory is readable");
        find_root(&here).unwrap_or_else(|err| panic!("{err:#}"))
    })
    .clone()
}

/// A path relative to the workspace root for messages, falling back to the path as given.
fn display_path(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_the_current_directory_up() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(dir.path().join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(find_root(&nested).unwrap(), dir.path());
        let outside = tempfile::tempdir().unwrap();
        let err = format!("{:#}", find_root(outside.path()).unwrap_err());
        assert!(err.contains("is not inside a cargo workspace"), "{err}");
    }

    /// Every subcommand answers `--help` with its usage instead of an error.
    #[test]
    fn every_subcommand_has_help() {
        use clap::CommandFactory;
        let mut command = Cli::command();
        command.build();
        // clap's own `help` subcommand prints the same usage.
        for sub in command.get_subcommands().filter(|sub| sub.get_name() != "help") {
            let name = sub.get_name().to_string();
            let err = Cli::try_parse_from(["xtask", &name, "--help"]).err().expect(&name);
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{name}");
            assert!(err.to_string().contains("Usage:"), "{name}: {err}");
        }
        let err = Cli::try_parse_from(["xtask", "lint", "--deny-warnings", "--nope"])
            .err()
            .unwrap();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
