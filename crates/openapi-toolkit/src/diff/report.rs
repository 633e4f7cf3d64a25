//! The diff report as text for a terminal, Markdown for a pull-request comment, or JSON for tools.

use std::fmt::Write;

use super::model::{Break, Change, Level, Report};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Json => "json",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Self::Text),
            "markdown" => Ok(Self::Markdown),
            "json" => Ok(Self::Json),
            other => Err(format!("unknown format {other:?}: expected text, markdown or json")),
        }
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => serde_json::to_string_pretty(report).expect("the report serializes") + "\n",
    }
}

/// The section title of each level, most severe first.
const SECTIONS: [(Level, &str, &str); 3] = [
    (Level::Err, "breaking", "Breaking changes (ERR)"),
    (Level::Warn, "may break", "Changes that may break clients (WARN)"),
    (Level::Info, "non-breaking", "Non-breaking changes (INFO)"),
];

/// `2 breaking, 1 may break, 5 non-breaking`, and how many break the generated clients' code, if any.
fn summary(report: &Report) -> String {
    let levels = SECTIONS
        .iter()
        .map(|(level, name, _)| format!("{} {name}", report.count(*level)))
        .collect::<Vec<_>>()
        .join(", ");
    match report.breaking_generated_code() {
        0 => levels,
        code => format!("{levels}; {code} breaking for generated clients"),
    }
}

/// `breaks: existing clients on the wire, code built on the generated clients`, or nothing when the change breaks
/// only the wire, which its section already says.
fn breaks(change: &Change, before: &str) -> String {
    if !change.breaks.contains(&Break::GeneratedCode) {
        return String::new();
    }
    let kinds: Vec<&str> = change.breaks.iter().map(|b| b.describe()).collect();
    format!("{before}{}", kinds.join(", "))
}

fn of_level(report: &Report, level: Level) -> impl Iterator<Item = &Change> {
    report.changes.iter().filter(move |c| c.level == level)
}

fn text(report: &Report) -> String {
    let mut out = format!("{} → {}: {}\n", report.base_label, report.head_label, summary(report));
    writeln!(
        out,
        "{}{}",
        if report.version.ok { "" } else { "error: " },
        report.version.message
    )
    .unwrap();
    for (level, title, _) in SECTIONS {
        let mut changes = of_level(report, level).peekable();
        if changes.peek().is_none() {
            continue;
        }
        writeln!(out, "\n{title}:").unwrap();
        for c in changes {
            writeln!(
                out,
                "  [{}] {}, {}\n    {} (at {}){}{}{}",
                c.rule,
                c.operation,
                c.location,
                c.message,
                c.pointer,
                affects(c, "\n    affects: "),
                breaks(c, "\n    breaks: "),
                c.accepted
                    .as_ref()
                    .map_or(String::new(), |reason| format!("\n    accepted: {reason}"))
            )
            .unwrap();
        }
    }
    out.push_str(&client_text(report, "  "));
    out
}

fn client_text(report: &Report, indent: &str) -> String {
    let mut out = String::new();
    let Some(client) = &report.client else {
        return out;
    };
    if let Some(err) = &client.error {
        writeln!(out, "\ngenerated client: not compared: {err}").unwrap();
    } else if client.removed.is_empty() && client.added.is_empty() {
        writeln!(out, "\ngenerated client: public API unchanged").unwrap();
    } else {
        writeln!(out, "\ngenerated client (public API):").unwrap();
        for line in &client.removed {
            writeln!(out, "{indent}- {line}").unwrap();
        }
        for line in &client.added {
            writeln!(out, "{indent}+ {line}").unwrap();
        }
    }
    out
}

/// The operations a change at a component reaches, the first few named: ``GET /a`, `POST /b` and 3 more``.
fn affects(change: &Change, before: &str) -> String {
    const NAMED: usize = 5;
    if change.operations.is_empty() {
        return String::new();
    }
    let named: Vec<String> = change
        .operations
        .iter()
        .take(NAMED)
        .map(|op| format!("`{op}`"))
        .collect();
    let more = change.operations.len().saturating_sub(NAMED);
    let rest = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{before}{}{rest}", named.join(", "))
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// GitHub refuses a comment longer than 65,536 characters; the table stops before that, leaving
/// room for the client section and the line that says how many changes were left out.
const COMMENT_LIMIT: usize = 60_000;

fn markdown(report: &Report) -> String {
    let verdict = if report.breaking() > 0 || report.breaking_generated_code() > 0 {
        format!("**{}**", summary(report))
    } else {
        format!("no breaking change; {}", summary(report))
    };
    let mut out = format!(
        "**Contract diff** `{}` → `{}`: {verdict}.\n{}{}\n",
        report.base_label,
        report.head_label,
        if report.version.ok { "" } else { "**Version:** " },
        report.version.message
    );
    let mut left_out = 0;
    for (level, _, title) in SECTIONS {
        let mut changes = of_level(report, level).peekable();
        if changes.peek().is_none() {
            continue;
        }
        if out.len() > COMMENT_LIMIT {
            left_out += changes.count();
            continue;
        }
        writeln!(
            out,
            "\n### {title}\n\n| Rule | Operation | Where | Change |\n| --- | --- | --- | --- |"
        )
        .unwrap();
        for c in changes {
            if out.len() > COMMENT_LIMIT {
                left_out += 1;
                continue;
            }
            writeln!(
                out,
                "| `{}` | `{}`{} | {} | {} |",
                c.rule,
                cell(&c.operation),
                cell(&affects(c, "<br>affects ")),
                cell(&c.location),
                cell(&c.message)
                    + &breaks(c, " (breaks ").replace(", ", " and ")
                    + if c.breaks.contains(&Break::GeneratedCode) {
                        ")"
                    } else {
                        ""
                    }
                    + &c.accepted
                        .as_ref()
                        .map_or(String::new(), |reason| format!(" (accepted: {})", cell(reason)))
            )
            .unwrap();
        }
    }
    if left_out > 0 {
        writeln!(
            out,
            "\n**{left_out} more change(s) not shown** to fit a pull-request comment; `--format json` or `--format text` lists them all."
        )
        .unwrap();
    }
    let Some(client) = &report.client else {
        return out;
    };
    if let Some(err) = &client.error {
        writeln!(out, "\n### Generated Rust client\n\nNot compared: {}", cell(err)).unwrap();
    } else if client.removed.is_empty() && client.added.is_empty() {
        writeln!(out, "\n### Generated Rust client\n\nPublic API unchanged.").unwrap();
    } else {
        writeln!(out, "\n### Generated Rust client\n\n```diff").unwrap();
        let lines = client
            .removed
            .iter()
            .map(|line| format!("- {line}"))
            .chain(client.added.iter().map(|line| format!("+ {line}")));
        let mut hidden = 0;
        for line in lines {
            if out.len() + line.len() > 65_000 {
                hidden += 1;
            } else {
                writeln!(out, "{line}").unwrap();
            }
        }
        writeln!(out, "```").unwrap();
        if hidden > 0 {
            writeln!(out, "{hidden} more line(s) of the client's API not shown.").unwrap();
        }
    }
    out
}
