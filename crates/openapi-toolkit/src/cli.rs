//! The commands as both command lines run them: `openapi-toolkit` on any document, and
//! `cargo xtask`, whose shortcuts give the same flags the project's defaults.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::config::{Config, FailOn, Versioning};
use crate::diff::{self, ClientDiff, Format, Pair};
use crate::document::{Document, Syntax};
use crate::error::{Error, Result};
use crate::{bundle, convert, docs, lint};

/// Where a command line runs: its name for messages, and the defaults it gives.
pub struct Context<'a> {
    /// The command before the subcommand, such as `cargo xtask` or `openapi-toolkit`.
    pub tool: &'a str,
    /// The document to read when none is given.
    pub default_document: Option<PathBuf>,
    /// Where `bundle` and `docs` write when no `--out-dir` is given.
    pub default_out_dir: PathBuf,
    /// How a path is shown in messages and reports (such as relative to a project root).
    pub show: &'a dyn Fn(&Path) -> String,
    /// The lint's rule levels: `Ruleset::recommended()` for any document, `Ruleset::strict()` for this project's.
    pub lint_rules: lint::Ruleset,
}

impl Context<'_> {
    fn document_path(&self, given: Option<&Path>, command: &str) -> Result<PathBuf> {
        given
            .map(Path::to_path_buf)
            .or_else(|| self.default_document.clone())
            .ok_or_else(|| Error::Usage(format!("{} {command}: give the document to read", self.tool)))
    }

    fn load(&self, path: &Path) -> Result<Document> {
        Document::load_as(path, &(self.show)(path))
    }
}

/// Generates a client from each side of a diff and compares their public APIs; the library has no
/// generator of its own, so that it depends on no client crate.
pub type ClientLister = dyn Fn(&Document, &Document) -> ClientDiff;

#[derive(Args, Debug, Clone)]
pub struct LintArgs {
    /// The OpenAPI 3.0 document to check (YAML, or JSON for a `.json` file)
    pub path: Option<PathBuf>,
    /// Fail on warnings as well as errors (for a pull-request check)
    #[arg(long)]
    pub deny_warnings: bool,
    /// List the lint rules (id, severity, area, description) and exit
    #[arg(long)]
    pub rules: bool,
    /// How to print the findings: text, or SARIF 2.1.0 for code hosts
    #[arg(long, value_enum, default_value = "text")]
    pub format: lint::LintFormat,
    /// The configuration file (default: openapi-toolkit.yaml in the current directory or above)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Show only this rule's findings (repeatable); the exit status still counts every finding
    #[arg(long = "rule", value_name = "ID")]
    pub only_rules: Vec<String>,
    /// Show only findings at this level; the exit status still counts every finding
    #[arg(long, value_name = "LEVEL", value_parser = ["error", "warning", "info"])]
    pub level: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// The base: a file, or a git revision at which to read the head's file
    #[arg(default_value = "HEAD")]
    pub base: String,
    /// The head document (the changed version)
    #[arg(long)]
    pub head: Option<PathBuf>,
    /// How to print the report
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Succeed even when a change breaks existing clients
    #[arg(long)]
    pub allow_breaking: bool,
    /// The least severe level that fails: ERR (breaking), or WARN (may break) too [default: ERR, or the configuration's]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Whether info.version is semantic versioning and must be bumped as the changes need;
    /// `none` for an API versioned by date or otherwise [default: semver, or the configuration's]
    #[arg(long, value_enum)]
    pub versioning: Option<Versioning>,
    /// The configuration file (default: openapi-toolkit.yaml in the current directory or above)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// List the diff rules (id, level, direction, area, description) and exit
    #[arg(long)]
    pub rules: bool,
    /// Days of notice a beta operation, parameter or property owes: a deprecation needs an x-sunset at least
    /// this far ahead [default: the configuration's deprecation-days, else 0: no policy]
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_beta: Option<u32>,
    /// The same for stable ones (and those without x-stability-level)
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_stable: Option<u32>,
}

#[derive(Args, Debug, Clone)]
pub struct BundleArgs {
    /// The document to publish
    pub path: Option<PathBuf>,
    /// A breaking-change report in Markdown (from `diff --format markdown`) to put into CHANGELOG.md
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Where to write NAME.json, NAME.yaml and CHANGELOG.md
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct DocsArgs {
    /// The document to render
    pub path: Option<PathBuf>,
    /// Where to write NAME.html
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Print the names of the generated client that the page's LANG samples use, one a line, and write nothing
    /// (so that a build can check them in the client it generated)
    #[arg(long, value_name = "LANG", value_parser = ["typescript", "python", "java", "kotlin", "go", "rust"])]
    pub print_sample_names: Option<String>,
    /// The configuration file (default: openapi-toolkit.yaml in the current directory or above)
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// `lint`: prints the findings; fails on an error, or on a warning with `--deny-warnings`.
pub fn lint(args: &LintArgs, context: &Context<'_>) -> Result<()> {
    if args.rules {
        print!("{}", lint::rules_table());
        return Ok(());
    }
    let only: Vec<lint::Rule> = args
        .only_rules
        .iter()
        .map(|id| {
            lint::Rule::from_id(id).ok_or_else(|| {
                Error::Usage(format!(
                    "--rule {id}: no such lint rule (see `{} lint --rules`)",
                    context.tool
                ))
            })
        })
        .collect::<Result<_>>()?;
    let level = args.level.as_deref().and_then(lint::parse_level).flatten();
    let config = Config::discover(args.config.as_deref())?;
    let path = context.document_path(args.path.as_deref(), "lint")?;
    let document = context.load(&path)?;
    let rules = config.lint.ruleset(&context.lint_rules);
    let mut findings = lint::lint_with(&document, &rules);
    let stale = config.lint.apply_ignores(&mut findings);
    let configuration = match &config.path {
        Some(file) => {
            // Named as the user would type it from here: relative to the current directory when inside it.
            let here = std::env::current_dir().unwrap_or_default();
            format!("configuration: {}", file.strip_prefix(&here).unwrap_or(file).display())
        }
        None => format!(
            "configuration: none (no {} here or in a directory above; the default rules apply)",
            crate::config::FILE_NAMES[0]
        ),
    };
    let shown: Vec<lint::Finding> = findings
        .iter()
        .filter(|f| only.is_empty() || only.contains(&f.rule))
        .filter(|f| level.is_none_or(|l| f.severity == l))
        .cloned()
        .collect();
    match args.format {
        lint::LintFormat::Text => {
            print!("{}", lint::render(document.name(), &shown));
            if shown.len() < findings.len() {
                println!(
                    "(shown: {} of {} findings: {})",
                    shown.len(),
                    findings.len(),
                    lint::counts_text(&findings)
                );
            }
            print!("{}", lint::summary_by_rule(&shown));
            for line in &stale {
                println!("warning: {line}");
            }
            println!("{configuration}");
        }
        lint::LintFormat::Sarif => {
            println!(
                "{}",
                lint::sarif::render_configured(document.name(), &shown, &configuration)
            );
            for line in &stale {
                eprintln!("warning: {line}");
            }
        }
    }
    let (errors, warnings) = lint::counts(&findings);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        return Err(Error::Check(format!(
            "{} has {errors} error(s) and {warnings} warning(s){}",
            document.name(),
            if args.deny_warnings { " (warnings denied)" } else { "" }
        )));
    }
    Ok(())
}

/// `diff`: prints the report; fails on a short version bump, and on a breaking change unless
/// `--allow-breaking`. `client` adds the generated-client section where the caller has a generator.
pub fn diff(args: &DiffArgs, context: &Context<'_>, client: Option<&ClientLister>) -> Result<()> {
    if args.rules {
        print!("{}", diff::rules_table());
        return Ok(());
    }
    let config = Config::discover(args.config.as_deref())?;
    let head_path = context.document_path(args.head.as_deref(), "diff --head")?;
    let head_label = (context.show)(&head_path);
    let (base_label, base_text) = diff::read_base(&args.base, &head_path, &head_label)?;
    // A base read from git is read as the head is (JSON for a `.json` head), whatever its label says.
    let syntax = if Path::new(&args.base).is_file() {
        Syntax::of(&base_label)
    } else {
        Syntax::of(&head_label)
    };
    // A document that cannot be read whole is refused (exit 2) before anything is compared.
    let base = Document::parse_as(&base_label, base_text, syntax).map_err(refused);
    let head = context.load(&head_path).map_err(refused);
    let (base, head) = match (base, head) {
        (Ok(base), Ok(head)) => (base, head),
        (Err(err), Ok(_)) | (Ok(_), Err(err)) => return Err(err),
        (Err(base), Err(head)) => return Err(Error::Usage(format!("{base}\nerror: {head}"))),
    };
    // A version the toolkit does not read is refused on either side, never compared with another version's meanings.
    base.check_version()?;
    head.check_version()?;
    whole(&[&base, &head])?;
    let policy = diff::DeprecationPolicy {
        beta_days: args
            .deprecation_days_beta
            .or(config.diff.deprecation_days_beta)
            .unwrap_or(0),
        stable_days: args
            .deprecation_days_stable
            .or(config.diff.deprecation_days_stable)
            .unwrap_or(0),
    };
    let mut report = diff::compare_with(
        Pair {
            base: &base,
            head: &head,
        },
        policy,
    );
    config.diff.apply(&mut report);
    // The configuration may have changed levels, and with them the wire verdict.
    diff::classify(&mut report.changes);
    let versioning = args.versioning.or(config.diff.versioning).unwrap_or_default();
    if versioning == Versioning::None {
        report.version.ok = true;
        report.version.message = format!(
            "info.version {} → {} is not checked: this API does not use semantic versioning",
            report.version.base, report.version.head
        );
    }
    if let Some(client) = client {
        report.client = Some(client(&base, &head));
    }
    print!("{}", diff::render(&report, args.format));
    if !report.version.ok {
        // The text report has just printed the version's message; the error only points at it, so that it is read once.
        return Err(Error::Check(match args.format {
            Format::Text => "info.version is not bumped as the changes need (the version line above)".to_string(),
            _ => report.version.message.clone(),
        }));
    }
    let fail_on = args.fail_on.or(config.diff.fail_on).unwrap_or_default();
    let open = |c: &&diff::Change| c.accepted.is_none();
    let failing = report
        .changes
        .iter()
        .filter(open)
        .filter(|c| fail_on.fails(c.level))
        .count();
    // A name gone from the generated clients fails the check whatever its wire level: code built on them stops
    // compiling.
    let generated = report
        .changes
        .iter()
        .filter(open)
        .filter(|c| !fail_on.fails(c.level) && c.breaks.contains(&diff::Break::GeneratedCode))
        .count();
    if failing + generated > 0 && !args.allow_breaking {
        let what = match fail_on {
            FailOn::Err => "breaking change(s)",
            FailOn::Warn => "breaking or possibly breaking change(s)",
        };
        let mut counts = Vec::new();
        if failing > 0 {
            counts.push(format!("{failing} {what} on the wire"));
        }
        if generated > 0 {
            counts.push(format!(
                "{generated} change(s) that break code built on the generated clients"
            ));
        }
        return Err(Error::Check(format!(
            "{} not accepted; accept each in the configuration with its reason, or pass --allow-breaking",
            counts.join(" and ")
        )));
    }
    Ok(())
}

/// A document the diff cannot read, refused as a usage error (exit 2): the diff compares only whole documents.
fn refused(err: Error) -> Error {
    match err {
        Error::Usage(_) => err,
        other => Error::Usage(other.to_string()),
    }
}

/// Refuses documents with `$ref`s that do not resolve, with the lint's located findings (its own
/// `ref-resolves` check, alone), for both sides at once: a diff over a missing schema would compare nothing
/// there and call it unchanged.
fn whole(documents: &[&Document]) -> Result<()> {
    let mut rules = lint::Ruleset::recommended();
    for rule in lint::Rule::ALL {
        rules.set(*rule, None);
    }
    rules.set(lint::Rule::RefResolves, Some(lint::Severity::Error));
    // The lint walks each document whole (and indexes its lines for the file's key order), which on a large spec
    // costs as much as the diff itself: the two documents are checked at once.
    let all: Vec<Vec<lint::Finding>> = std::thread::scope(|scope| {
        let rules = &rules;
        let handles: Vec<_> = documents
            .iter()
            .map(|document| scope.spawn(move || lint::lint_with(document, rules)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("the ref check does not panic"))
            .collect()
    });
    let mut broken = Vec::new();
    for (document, findings) in documents.iter().zip(all) {
        if !findings.is_empty() {
            eprint!("{}", lint::render(document.name(), &findings));
            broken.push(format!(
                "{} has {} `$ref`(s) that do not resolve",
                document.name(),
                findings.len()
            ));
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}; the diff compares only whole documents",
        broken.join(", and ")
    )))
}

#[derive(Args, Debug, Clone)]
pub struct ConvertArgs {
    /// The OpenAPI 3.0 or 3.1 document to convert
    pub path: PathBuf,
    /// The version to convert to
    #[arg(long, value_enum)]
    pub to: convert::Target,
    /// Where to write the result (JSON for a `.json` name, YAML otherwise); standard output when not given
    #[arg(short, long)]
    pub out: Option<PathBuf>,
}

/// `convert`: writes the document in the other version, or fails naming every place that version cannot say.
pub fn convert(args: &ConvertArgs, context: &Context<'_>) -> Result<()> {
    let document = context.load(&args.path)?;
    let value = convert::convert(&document, args.to)?;
    match &args.out {
        Some(out) => {
            let header = format!(
                "Converted from {} to OpenAPI {} by `{} convert`.",
                document.name(),
                args.to.openapi(),
                context.tool
            );
            convert::write(&value, out, &header)?;
            eprintln!("wrote {}", (context.show)(out));
        }
        None => print!(
            "{}",
            convert::to_text(&value, Syntax::of(document.name()) == Syntax::Json)?
        ),
    }
    Ok(())
}

/// `bundle`: writes the published files.
pub fn bundle(args: &BundleArgs, context: &Context<'_>) -> Result<()> {
    let path = context.document_path(args.path.as_deref(), "bundle")?;
    let document = context.load(&path)?;
    let report_text = match &args.report {
        Some(report) => Some((
            (context.show)(report),
            std::fs::read_to_string(report).map_err(|source| Error::Io {
                action: "reading the breaking-change report",
                path: report.clone(),
                source,
            })?,
        )),
        None => None,
    };
    let report = report_text
        .as_ref()
        .map(|(source, text)| bundle::Report { source, text });
    let artifacts = bundle::render(&document, &format!("{} bundle", context.tool), report.as_ref())?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| context.default_out_dir.clone());
    for path in bundle::write(&artifacts, &out_dir)? {
        println!("wrote {}", (context.show)(&path));
    }
    Ok(())
}

/// `docs`: writes the reference page.
pub fn docs(args: &DocsArgs, context: &Context<'_>) -> Result<()> {
    let config = Config::discover(args.config.as_deref())?;
    let path = context.document_path(args.path.as_deref(), "docs")?;
    let document = context.load(&path)?;
    if let Some(lang) = &args.print_sample_names {
        for name in docs::sample_names_with(&document, lang, &config.docs) {
            println!("{name}");
        }
        return Ok(());
    }
    let html = docs::render_with(&document, &format!("{} docs", context.tool), &config.docs)?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| context.default_out_dir.clone());
    let stem = path
        .file_stem()
        .map_or_else(|| "openapi".into(), |s| s.to_string_lossy());
    let out = out_dir.join(format!("{stem}.html"));
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { action, path, source }
    };
    std::fs::create_dir_all(&out_dir).map_err(io("creating", &out_dir))?;
    std::fs::write(&out, html).map_err(io("writing", &out))?;
    println!("wrote {}", (context.show)(&out));
    Ok(())
}
