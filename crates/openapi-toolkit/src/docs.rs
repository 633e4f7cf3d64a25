//! The reference page: a single self-contained HTML page of an API, rendered from its document without any script or CDN.

use std::fmt::Write as _;

use serde_yaml::Value;

use crate::document::Document;
use crate::error::Result;

const STYLE: &str = "\
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d232b;margin:0;background:#fff}
main{max-width:70rem;margin:0 auto;padding:1.5rem 2rem 4rem}
nav{background:#f3f5f8;border-bottom:1px solid #d8dee6;padding:.6rem 2rem;position:sticky;top:0}
nav a{margin-right:1rem;color:#0b5cad;text-decoration:none}
h1{font-size:1.9rem;margin:.4rem 0}h2{border-bottom:2px solid #d8dee6;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:1.6rem 0 .4rem}h4{margin:1.2rem 0 .3rem;color:#3b4756}
code,pre{font:13px/1.45 ui-monospace,'DejaVu Sans Mono',monospace}
code{background:#f3f5f8;padding:0 .25rem;border-radius:3px}
pre{background:#0f1720;color:#e6edf3;padding:.8rem 1rem;border-radius:6px;overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{border:1px solid #d8dee6;padding:.35rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}
.method{display:inline-block;background:#1a7f37;color:#fff;border-radius:4px;padding:0 .5rem;margin-right:.5rem}
.status{font-weight:700}.s2{color:#1a7f37}.s4{color:#b35900}.s5{color:#c62828}
.card{border:1px solid #d8dee6;border-radius:8px;padding:.2rem 1rem .6rem;margin:.8rem 0}
.muted{color:#5b6675}
";

/// Renders the page; `tool` is the command named on it, such as `cargo xtask docs`. Pure, so
/// that tests can read it without touching the disk.
pub fn render(document: &Document, tool: &str) -> Result<String> {
    document.check_version()?;
    let spec_name = document.name();
    let spec = document.ordered();
    let str_at = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let info = spec.get("info").cloned().unwrap_or(Value::Null);
    let title = str_at(&info, "title");
    let version = str_at(&info, "version");

    let mut out = String::new();
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(out, "<title>{} {}</title>", esc(&title), esc(&version))?;
    writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>")?;
    writeln!(
        out,
        "<nav><a href=\"#operations\">Operations</a><a href=\"#authentication\">Authentication</a><a href=\"#schemas\">Schemas</a></nav>\n<main>"
    )?;
    writeln!(out, "<h1>{}</h1>", esc(&title))?;
    writeln!(
        out,
        "<p class=\"muted\">Version {} · OpenAPI {} · rendered from <code>{}</code> by <code>{}</code></p>",
        esc(&version),
        esc(&str_at(&spec, "openapi")),
        esc(spec_name),
        esc(tool)
    )?;
    out.push_str(&markdown(&str_at(&info, "description")));

    if let Some(Value::Sequence(servers)) = spec.get("servers") {
        writeln!(out, "<h3>Servers</h3>\n<ul>")?;
        for server in servers {
            writeln!(
                out,
                "<li><code>{}</code>: {}",
                esc(&str_at(server, "url")),
                inline(&str_at(server, "description"))
            )?;
            if let Some(Value::Mapping(vars)) = server.get("variables") {
                out.push_str("<ul>");
                for (name, var) in vars {
                    writeln!(
                        out,
                        "<li><code>{}</code> (default <code>{}</code>): {}</li>",
                        esc(name.as_str().unwrap_or("")),
                        esc(&str_at(var, "default")),
                        inline(&str_at(var, "description"))
                    )?;
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }

    writeln!(out, "<h2 id=\"operations\">Operations</h2>")?;
    // The eight methods only: `parameters`, `summary` and the like of a path item are no operations;
    // its parameters are listed with each operation they apply to.
    for walked in document.operations() {
        let item = &spec["paths"][walked.item.path];
        let op = &item[walked.method.key()];
        operation(
            &mut out,
            walked.item.path,
            walked.method.key(),
            item.get("parameters"),
            op,
        )?;
    }

    let components = spec.get("components").cloned().unwrap_or(Value::Null);
    writeln!(out, "<h2 id=\"authentication\">Authentication</h2>")?;
    writeln!(out, "<p>Each request uses exactly one of these schemes.</p>")?;
    if let Some(Value::Mapping(schemes)) = components.get("securitySchemes") {
        for (name, scheme) in schemes {
            let name = name.as_str().unwrap_or("");
            writeln!(
                out,
                "<div class=\"card\" id=\"auth-{}\"><h3>{}</h3>",
                esc(name),
                esc(name)
            )?;
            writeln!(
                out,
                "<p>{} sent in the <code>{}</code> {}.</p>",
                esc(&str_at(scheme, "type")),
                esc(&str_at(scheme, "name")),
                esc(&str_at(scheme, "in"))
            )?;
            out.push_str(&markdown(&str_at(scheme, "description")));
            out.push_str("</div>\n");
        }
    }

    writeln!(out, "<h2 id=\"schemas\">Schemas</h2>")?;
    if let Some(Value::Mapping(schemas)) = components.get("schemas") {
        for (name, schema) in schemas {
            let name = name.as_str().unwrap_or("");
            writeln!(
                out,
                "<div class=\"card\" id=\"schema-{}\"><h3>{}</h3>",
                esc(name),
                esc(name)
            )?;
            schema_body(&mut out, schema)?;
            out.push_str("</div>\n");
        }
    }
    writeln!(out, "</main>\n</body>\n</html>")?;
    Ok(out)
}

fn operation(out: &mut String, path: &str, method: &str, shared: Option<&Value>, op: &Value) -> Result<()> {
    let get = |key: &str| op.get(key).and_then(Value::as_str).unwrap_or("");
    let id = get("operationId");
    writeln!(out, "<section id=\"op-{}\">", esc(id))?;
    writeln!(
        out,
        "<h3><span class=\"method\">{}</span><code>{}</code> {}</h3>",
        esc(&method.to_uppercase()),
        esc(path),
        esc(get("summary"))
    )?;
    writeln!(out, "<p class=\"muted\">operationId <code>{}</code></p>", esc(id))?;
    out.push_str(&markdown(get("description")));

    if let Some(Value::Sequence(security)) = op.get("security") {
        let names: Vec<String> = security
            .iter()
            .filter_map(|req| req.as_mapping())
            .map(|req| {
                req.keys()
                    .filter_map(Value::as_str)
                    .map(|n| format!("<a href=\"#auth-{0}\">{0}</a>", esc(n)))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        writeln!(out, "<h4>Authentication</h4>\n<p>One of: {}.</p>", names.join(", or "))?;
    }

    // Operation parameters replace path-level ones with the same name and location.
    let mut params: Vec<&Value> = Vec::new();
    for list in [shared, op.get("parameters")] {
        for p in list.and_then(Value::as_sequence).into_iter().flatten() {
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            params.retain(|old| key(old) != key(p));
            params.push(p);
        }
    }
    if !params.is_empty() {
        writeln!(
            out,
            "<h4>Parameters</h4>\n<table><tr><th>name</th><th>in</th><th>type</th><th>required</th><th>description</th></tr>"
        )?;
        for p in params {
            let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s("name")),
                esc(&s("in")),
                p.get("schema").map(type_label).unwrap_or_default(),
                if p.get("required").and_then(Value::as_bool) == Some(true) {
                    "yes"
                } else {
                    "no"
                },
                markdown(&s("description"))
            )?;
        }
        out.push_str("</table>\n");
    }

    if let Some(body) = op.get("requestBody") {
        writeln!(out, "<h4>Request body</h4>")?;
        out.push_str(&markdown(body.get("description").and_then(Value::as_str).unwrap_or("")));
        media(out, body)?;
    }

    if let Some(Value::Mapping(responses)) = op.get("responses") {
        writeln!(out, "<h4>Responses</h4>")?;
        for (status, response) in responses {
            let status = status.as_str().unwrap_or("");
            let class = status.chars().next().map_or(String::new(), |c| format!(" s{c}"));
            writeln!(out, "<div class=\"card\" id=\"response-{}\">", esc(status))?;
            writeln!(out, "<p><span class=\"status{class}\">{}</span></p>", esc(status))?;
            out.push_str(&markdown(
                response.get("description").and_then(Value::as_str).unwrap_or(""),
            ));
            media(out, response)?;
            out.push_str("</div>\n");
        }
    }
    out.push_str("</section>\n");
    Ok(())
}

/// The schema and the examples of each media type of a request body or a response.
fn media(out: &mut String, holder: &Value) -> Result<()> {
    let Some(Value::Mapping(content)) = holder.get("content") else {
        return Ok(());
    };
    for (media_type, media) in content {
        writeln!(
            out,
            "<p><code>{}</code>: {}</p>",
            esc(media_type.as_str().unwrap_or("")),
            media.get("schema").map(type_label).unwrap_or_default()
        )?;
        if let Some(Value::Mapping(examples)) = media.get("examples") {
            for (name, example) in examples {
                let summary = example.get("summary").and_then(Value::as_str).unwrap_or("");
                writeln!(
                    out,
                    "<p>Example <code>{}</code>: {}</p>",
                    esc(name.as_str().unwrap_or("")),
                    esc(summary)
                )?;
                if let Some(description) = example.get("description").and_then(Value::as_str) {
                    out.push_str(&markdown(description));
                }
                if let Some(value) = example.get("value") {
                    writeln!(out, "<pre>{}</pre>", esc(&crate::bundle::to_json(value)?))?;
                }
            }
        }
    }
    Ok(())
}

fn schema_body(out: &mut String, schema: &Value) -> Result<()> {
    out.push_str(&markdown(
        schema.get("description").and_then(Value::as_str).unwrap_or(""),
    ));
    writeln!(out, "<p>Type: {}</p>", type_label(schema))?;
    if let Some(Value::Sequence(alternatives)) = schema.get("oneOf") {
        writeln!(out, "<p>Exactly one of:</p>\n<ul>")?;
        for alt in alternatives {
            let title = alt
                .get("title")
                .and_then(Value::as_str)
                .map(|t| format!("<b>{}</b>: ", esc(t)));
            let description = alt
                .get("description")
                .and_then(Value::as_str)
                .map(inline)
                .unwrap_or_default();
            writeln!(
                out,
                "<li>{}{} {}</li>",
                title.unwrap_or_default(),
                type_label(alt),
                description
            )?;
        }
        out.push_str("</ul>\n");
    }
    if let Some(Value::Mapping(properties)) = schema.get("properties") {
        let required: Vec<&str> = match schema.get("required") {
            Some(Value::Sequence(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        writeln!(
            out,
            "<table><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr>"
        )?;
        for (name, property) in properties {
            let name = name.as_str().unwrap_or("");
            let description = match property.get("description").and_then(Value::as_str) {
                Some(d) => markdown(d),
                // A bare `$ref` borrows the description of the schema it points at.
                None => String::from("<span class=\"muted\">see the type</span>"),
            };
            writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                type_label(property),
                if required.contains(&name) { "yes" } else { "no" },
                description
            )?;
        }
        out.push_str("</table>\n");
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(false)) | None => {}
        Some(extra) => {
            let description = extra
                .get("description")
                .and_then(Value::as_str)
                .map(inline)
                .unwrap_or_default();
            writeln!(out, "<p>Other fields: {} {}</p>", type_label(extra), description)?;
        }
    }
    Ok(())
}

/// A short, linked description of a schema's type, such as `array of integer (int64)` or `DialogType` or `string or null`.
fn type_label(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(Value::Sequence(alternatives)) = schema.get("oneOf") {
        return alternatives.iter().map(type_label).collect::<Vec<_>>().join(" or ");
    }
    let mut label = match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array of {}",
            schema.get("items").map(type_label).unwrap_or_else(|| "any".into())
        ),
        Some("object") if schema.get("properties").is_none() => match schema.get("additionalProperties") {
            Some(extra @ Value::Mapping(_)) => format!("map of string to {}", type_label(extra)),
            _ => "object".into(),
        },
        Some(other) => esc(other),
        None => "any JSON value".into(),
    };
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        write!(label, " ({})", esc(format)).unwrap();
    }
    if let Some(Value::Sequence(values)) = schema.get("enum") {
        let values: Vec<String> = values
            .iter()
            .map(|v| {
                crate::bundle::to_json(v)
                    .map(|j| format!("<code>{}</code>", esc(&j)))
                    .unwrap_or_default()
            })
            .collect();
        write!(label, ", one of {}", values.join(", ")).unwrap();
    }
    for (key, text) in [
        ("pattern", "matching"),
        ("maxLength", "at most"),
        ("minLength", "at least"),
    ] {
        if let Some(value) = schema.get(key) {
            let shown = crate::bundle::to_json(value).unwrap_or_default();
            let unit = if key == "pattern" { "" } else { " characters" };
            write!(label, ", {text} <code>{}</code>{unit}", esc(shown.trim_matches('"'))).unwrap();
        }
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        label.push_str(", or null");
    }
    label
}

/// The little Markdown the spec's descriptions use: paragraphs, `- ` lists and `code`.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    for block in text.trim().split("\n\n").filter(|b| !b.trim().is_empty()) {
        let lines: Vec<&str> = block.lines().map(str::trim_end).collect();
        if lines.iter().all(|l| l.starts_with("- ")) {
            out.push_str("<ul>");
            for line in lines {
                write!(out, "<li>{}</li>", inline(&line[2..])).unwrap();
            }
            out.push_str("</ul>\n");
        } else {
            writeln!(out, "<p>{}</p>", inline(&lines.join(" "))).unwrap();
        }
    }
    out
}

/// Escapes the text and turns `code` spans into `<code>`.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            write!(out, "<code>{}</code>", esc(part)).unwrap();
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_lists_code_and_escaping() {
        assert_eq!(
            markdown("One <b>\nline.\n\n- `a<b>` x\n- y"),
            "<p>One &lt;b&gt; line.</p>\n<ul><li><code>a&lt;b&gt;</code> x</li><li>y</li></ul>\n"
        );
    }

    /// A path item's own keys are no operations, and its parameters show with each operation.
    #[test]
    fn path_level_keys_are_not_operations() {
        let document = Document::parse(
            "a.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    summary: Shared\n    parameters:\n      - {name: id, in: path, required: true, description: The id., schema: {type: string}}\n    get:\n      operationId: get_a\n      responses: {}\n",
        )
        .unwrap();
        let page = render(&document, "t").unwrap();
        assert_eq!(page.matches("<span class=\"method\">").count(), 1, "{page}");
        assert!(!page.contains("<span class=\"method\">SUMMARY"), "{page}");
        assert!(!page.contains("<span class=\"method\">PARAMETERS"), "{page}");
        assert!(page.contains("<td><code>id</code></td><td>path</td>"), "{page}");
    }
}
