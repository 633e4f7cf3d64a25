//! The reference page: a single self-contained HTML page of an API, rendered from its document without any script or CDN,
//! with a request sample of each operation in curl and in the languages of the common generators.

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
.sample .lang{margin:.6rem 0 .2rem;font-weight:600;color:#3b4756}.sample pre{margin:0;tab-size:4}
";

/// Renders the page; `tool` is the command named on it, such as `cargo xtask docs`. Pure, so
/// that tests can read it without touching the disk.
pub fn render(document: &Document, tool: &str) -> Result<String> {
    render_with(document, tool, &SampleOptions::default())
}

/// `render`, with the samples as a configuration asks for them.
pub fn render_with(document: &Document, tool: &str, options: &SampleOptions) -> Result<String> {
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
        "<nav><a href=\"#operations\">Operations</a>{}<a href=\"#authentication\">Authentication</a><a href=\"#schemas\">Schemas</a></nav>\n<main>",
        if document.webhook_operations().is_empty() {
            ""
        } else {
            "<a href=\"#webhooks\">Webhooks</a>"
        }
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
        let samples = samples_with(document, walked.item.path, walked.method.key(), options);
        operation(
            &mut out,
            walked.item.path,
            walked.method.key(),
            item.get("parameters"),
            op,
            &samples,
        )?;
    }

    // OpenAPI 3.1's webhooks: requests the API sends, so they have no request samples of a client.
    let webhooks = document.webhook_operations();
    if !webhooks.is_empty() {
        writeln!(out, "<h2 id=\"webhooks\">Webhooks</h2>")?;
        writeln!(
            out,
            "<p>Requests the API sends to a URL its users register, each under its name.</p>"
        )?;
        for walked in webhooks {
            let item = &spec["webhooks"][walked.item.path];
            let op = &item[walked.method.key()];
            operation(
                &mut out,
                walked.item.path,
                walked.method.key(),
                item.get("parameters"),
                op,
                &[],
            )?;
        }
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

fn operation(
    out: &mut String,
    path: &str,
    method: &str,
    shared: Option<&Value>,
    op: &Value,
    samples: &[Sample],
) -> Result<()> {
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

    if !samples.is_empty() {
        writeln!(out, "<h4>Request samples</h4>\n<div class=\"samples\">")?;
        for sample in samples {
            writeln!(
                out,
                "<div class=\"sample\" id=\"sample-{}-{}\"><p class=\"lang\">{}</p><pre>{}</pre></div>",
                esc(id),
                esc(&sample.lang),
                esc(&sample.label),
                esc(&sample.source)
            )?;
        }
        out.push_str("</div>\n");
    }

    if let Some(Value::Mapping(responses)) = op.get("responses") {
        writeln!(out, "<h4>Responses</h4>")?;
        for (status, response) in responses {
            let status = status.as_str().unwrap_or("");
            let class = status.chars().next().map_or(String::new(), |c| format!(" s{c}"));
            // The operation in the id too: every operation has its 400, and an id must be unique on the page.
            writeln!(out, "<div class=\"card\" id=\"response-{}-{}\">", esc(id), esc(status))?;
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

/// The languages a request sample is written in, in the order the page shows them, with the names each
/// generator gives to what the sample uses (`Sample::names`), so that a build can check them in a generated client.
pub const SAMPLE_LANGUAGES: [(&str, &str); 7] = [
    ("curl", "curl"),
    ("typescript", "TypeScript (openapi-fetch)"),
    ("python", "Python (openapi-python-client)"),
    ("java", "Java (openapi-generator, okhttp-gson)"),
    ("kotlin", "Kotlin (openapi-generator)"),
    ("go", "Go (oapi-codegen)"),
    ("rust", "Rust (progenitor)"),
];

/// What a project tells the page about its own generated client, where the generator's defaults are not how the
/// client is used (such as a hand-written constructor beside progenitor's code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleOptions {
    pub rust: Option<RustSample>,
}

/// How the Rust sample imports the client and makes `client`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustSample {
    /// The crate the types are imported from (`quickblox_dialog::types::...`).
    pub krate: String,
    /// The lines that make `client`, instead of progenitor's `Client::new_with_client(url, http)`; `{server}` is
    /// replaced by the server URL as a Rust string. They are the project's to keep, like an `x-codeSamples` entry.
    pub client: String,
}

/// One request sample of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// `curl`, `typescript`, ... or the `lang` of an `x-codeSamples` entry.
    pub lang: String,
    pub label: String,
    pub source: String,
    /// The names of the generated client the sample relies on (types, methods, fields); empty for curl and for
    /// samples the document gives in `x-codeSamples`, which are its authors' to keep.
    pub names: Vec<String>,
}

/// What a sample needs to know of an operation, resolved once for every language.
struct Call<'a> {
    spec: &'a Value,
    /// The document's file stem: the package name the page assumes (`dialog` for `dialog.yaml`).
    stem: &'a str,
    method: &'a str,
    path: &'a str,
    id: String,
    tag: Option<String>,
    server: String,
    /// The parameters a sample sends: the required ones.
    params: Vec<Param>,
    /// Those a generator passes by position (Java): every parameter, with the value sent or `None`.
    all_params: Vec<(Param, bool)>,
    body: Option<Body>,
    /// The first security requirement's schemes, then the other alternatives' names.
    auth: Vec<(String, Value)>,
    other_auth: Vec<(String, Vec<(String, Value)>)>,
    /// Whether a 2xx response has a body.
    returns_body: bool,
}

#[derive(Clone)]
struct Param {
    name: String,
    location: String,
    required: bool,
    schema: Value,
    example: Value,
}

struct Body {
    media_type: String,
    /// The `$ref`'d schema's name; `None` for an inline schema.
    schema_name: Option<String>,
    required: bool,
    example: Value,
}

/// The request samples of one operation: each `x-codeSamples` entry of the operation, then a synthesised sample
/// for every language of `SAMPLE_LANGUAGES` that none of them covers.
pub fn samples(document: &Document, path: &str, method: &str) -> Vec<Sample> {
    samples_with(document, path, method, &SampleOptions::default())
}

/// `samples`, with the project's `SampleOptions`.
pub fn samples_with(document: &Document, path: &str, method: &str, options: &SampleOptions) -> Vec<Sample> {
    let spec = document.ordered();
    let stem = std::path::Path::new(document.name())
        .file_stem()
        .map_or_else(|| "api".to_string(), |s| s.to_string_lossy().to_string());
    let item = &spec["paths"][path];
    let call = Call::new(&spec, &stem, path, method, item);
    let mut out: Vec<Sample> = Vec::new();
    for given in item[method]
        .get("x-codeSamples")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| given.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let lang = text("lang");
        let label = if text("label").is_empty() {
            lang.clone()
        } else {
            text("label")
        };
        out.push(Sample {
            lang: lang.to_lowercase(),
            label,
            source: text("source"),
            names: Vec::new(),
        });
    }
    for (lang, label) in SAMPLE_LANGUAGES {
        if out.iter().any(|s| s.lang == lang) {
            continue;
        }
        let (source, names) = match lang {
            "curl" => (call.curl(), Vec::new()),
            "typescript" => call.typescript(),
            "python" => call.python(),
            "java" => call.java(),
            "kotlin" => call.kotlin(),
            "go" => call.go(),
            _ => call.rust(options.rust.as_ref()),
        };
        out.push(Sample {
            lang: lang.to_string(),
            label: label.to_string(),
            source,
            names,
        });
    }
    out
}

/// Every name the synthesised samples of `lang` use, over all operations, sorted and without repeats: what a
/// generated client in that language must have for the page to be right.
pub fn sample_names(document: &Document, lang: &str) -> Vec<String> {
    sample_names_with(document, lang, &SampleOptions::default())
}

/// `sample_names`, with the project's `SampleOptions`.
pub fn sample_names_with(document: &Document, lang: &str, options: &SampleOptions) -> Vec<String> {
    let mut names: Vec<String> = document
        .operations()
        .into_iter()
        .flat_map(|walked| samples_with(document, walked.item.path, walked.method.key(), options))
        .filter(|s| s.lang == lang)
        .flat_map(|s| s.names)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The value `value` stands for, following local `$ref`s (a few hops at most, so that a cycle ends).
fn resolved<'a>(spec: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = reference.strip_prefix("#/") else {
            break;
        };
        let mut target = spec;
        for part in pointer.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            match target.get(part.as_str()) {
                Some(next) => target = next,
                None => return value,
            }
        }
        value = target;
    }
    value
}

/// An example of a schema's value: its own example, default or first enum value, else one by type.
fn schema_example(spec: &Value, schema: &Value) -> Value {
    let schema = resolved(spec, schema);
    for key in ["example", "const", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    // OpenAPI 3.1's `examples` list.
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_sequence)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_sequence).and_then(|v| v.first()) {
        return first.clone();
    }
    // A 3.1 type list is sampled by its first type other than null.
    let kind = match schema.get("type") {
        Some(Value::Sequence(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        other => other.and_then(Value::as_str),
    };
    match (kind, schema.get("format").and_then(Value::as_str)) {
        (Some("integer" | "number"), _) => Value::Number(1.into()),
        (Some("boolean"), _) => Value::Bool(true),
        (Some("string"), Some("date-time")) => Value::String("2024-01-01T00:00:00Z".into()),
        (Some("string"), Some("date")) => Value::String("2024-01-01".into()),
        (Some("array"), _) => Value::Sequence(vec![schema_example(spec, schema.get("items").unwrap_or(&Value::Null))]),
        (Some("object"), _) => Value::Mapping(serde_yaml::Mapping::new()),
        _ => Value::String("string".into()),
    }
}

/// The first `examples` entry's value, or `example`.
fn first_example(holder: &Value) -> Option<Value> {
    if let Some(Value::Mapping(examples)) = holder.get("examples")
        && let Some((_, first)) = examples.iter().next()
        && let Some(value) = first.get("value")
    {
        return Some(value.clone());
    }
    holder.get("example").cloned()
}

impl<'a> Call<'a> {
    fn new(spec: &'a Value, stem: &'a str, path: &'a str, method: &'a str, item: &'a Value) -> Self {
        let op = &item[method];
        let id = op.get("operationId").and_then(Value::as_str).map_or_else(
            || {
                let words = format!("{method} {path}");
                words_of(&words).join("_")
            },
            str::to_string,
        );
        let server = match spec.get("servers").and_then(Value::as_sequence).and_then(|s| s.first()) {
            Some(server) => {
                let mut url = server.get("url").and_then(Value::as_str).unwrap_or("/").to_string();
                if let Some(Value::Mapping(vars)) = server.get("variables") {
                    for (name, var) in vars {
                        let default = var.get("default").and_then(Value::as_str).unwrap_or("");
                        url = url.replace(&format!("{{{}}}", name.as_str().unwrap_or("")), default);
                    }
                }
                url.trim_end_matches('/').to_string()
            }
            None => "http://localhost".to_string(),
        };
        // Operation parameters replace path-level ones with the same name and location.
        let mut declared: Vec<&Value> = Vec::new();
        for list in [item.get("parameters"), op.get("parameters")] {
            for p in list.and_then(Value::as_sequence).into_iter().flatten() {
                let p = resolved(spec, p);
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                declared.retain(|old| key(old) != key(p));
                declared.push(p);
            }
        }
        let mut all_params = Vec::new();
        for p in declared {
            let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let schema = p.get("schema").cloned().unwrap_or(Value::Null);
            let required = p.get("required").and_then(Value::as_bool) == Some(true) || text("in") == "path";
            // Only what the operation needs: an optional parameter's meaning often depends on the others
            // (a header that goes with one security scheme only), which a generic sample cannot know.
            let sent = required;
            let example = first_example(p).unwrap_or_else(|| schema_example(spec, &schema));
            all_params.push((
                Param {
                    name: text("name"),
                    location: text("in"),
                    required,
                    schema,
                    example,
                },
                sent,
            ));
        }
        let params = all_params
            .iter()
            .filter(|(_, sent)| *sent)
            .map(|(p, _)| p.clone())
            .collect();
        let body = op.get("requestBody").map(|body| resolved(spec, body)).and_then(|body| {
            let Some(Value::Mapping(content)) = body.get("content") else {
                return None;
            };
            let (media_type, media) = content
                .iter()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.contains("json")))
                .or_else(|| content.iter().next())?;
            let schema = media.get("schema").cloned().unwrap_or(Value::Null);
            let schema_name = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_string);
            let example = first_example(media).unwrap_or_else(|| schema_example(spec, &schema));
            Some(Body {
                media_type: media_type.as_str().unwrap_or("application/json").to_string(),
                schema_name,
                required: body.get("required").and_then(Value::as_bool) == Some(true),
                example,
            })
        });
        let security = op.get("security").or_else(|| spec.get("security"));
        let alternatives: Vec<Vec<String>> = security
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_mapping)
            .map(|req| req.keys().filter_map(Value::as_str).map(str::to_string).collect())
            .collect();
        let scheme = |name: &str| spec["components"]["securitySchemes"][name].clone();
        let schemes =
            |names: &Vec<String>| -> Vec<(String, Value)> { names.iter().map(|n| (n.clone(), scheme(n))).collect() };
        let auth = alternatives.first().map(schemes).unwrap_or_default();
        let other_auth = alternatives
            .iter()
            .skip(1)
            .map(|names| (names.join(" and "), schemes(names)))
            .collect();
        let tag = op
            .get("tags")
            .and_then(Value::as_sequence)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_string);
        let returns_body = op
            .get("responses")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .any(|(status, response)| {
                status.as_str().is_some_and(|s| s.starts_with('2')) && resolved(spec, response).get("content").is_some()
            });
        Call {
            returns_body,
            spec,
            stem,
            method,
            path,
            id,
            tag,
            server,
            params,
            all_params,
            body,
            auth,
            other_auth,
        }
    }

    /// The path with each path parameter's example in place.
    fn concrete_path(&self) -> String {
        let mut path = self.path.to_string();
        for p in self.params.iter().filter(|p| p.location == "path") {
            path = path.replace(&format!("{{{}}}", p.name), &percent(&scalar_text(&p.example)));
        }
        path
    }

    fn located(&self, location: &str) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// The credentials of the first security requirement (`credentials`).
    fn credentials(&self) -> Vec<(String, String)> {
        credentials(&self.auth)
    }

    fn query_string(&self) -> String {
        let mut pairs: Vec<String> = self
            .located("query")
            .map(|p| format!("{}={}", percent(&p.name), percent(&scalar_text(&p.example))))
            .collect();
        pairs.extend(
            self.credentials()
                .into_iter()
                .filter_map(|(k, v)| k.strip_prefix('?').map(|k| format!("{}={}", percent(k), percent(&v)))),
        );
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    fn curl(&self) -> String {
        let url = format!("{}{}{}", self.server, self.concrete_path(), self.query_string());
        let mut lines = vec![format!("curl -X {} {}", self.method.to_uppercase(), shell(&url))];
        for (name, value) in self.credentials() {
            if let Some(cookie) = name.strip_prefix(';') {
                lines.push(format!("  --cookie {}", shell(&format!("{cookie}={value}"))));
            } else if !name.starts_with('?') {
                lines.push(format!("  -H {}", shell(&format!("{name}: {value}"))));
            }
        }
        for p in self.located("header") {
            lines.push(format!(
                "  -H {}",
                shell(&format!("{}: {}", p.name, scalar_text(&p.example)))
            ));
        }
        for p in self.located("cookie") {
            lines.push(format!(
                "  --cookie {}",
                shell(&format!("{}={}", p.name, scalar_text(&p.example)))
            ));
        }
        if let Some(body) = &self.body {
            lines.push(format!("  -H {}", shell(&format!("Content-Type: {}", body.media_type))));
            lines.push(format!("  --data {}", shell(&compact_json(&body.example))));
        }
        let mut out = lines.join(" \\\n");
        for (names, schemes) in &self.other_auth {
            let sent: Vec<String> = credentials(schemes)
                .into_iter()
                .map(|(k, v)| match (k.strip_prefix('?'), k.strip_prefix(';')) {
                    (Some(query), _) => format!("?{}={}", percent(query), percent(&v)),
                    (_, Some(cookie)) => format!("--cookie {}", shell(&format!("{cookie}={v}"))),
                    _ => format!("-H {}", shell(&format!("{k}: {v}"))),
                })
                .collect();
            write!(out, "\n# or, with {names}: {}", sent.join(" ")).unwrap();
        }
        out
    }

    fn typescript(&self) -> (String, Vec<String>) {
        let mut headers: Vec<String> = self
            .credentials()
            .into_iter()
            .filter(|(k, _)| !k.starts_with(['?', ';']))
            .map(|(k, v)| format!("{}: {}", js_string(&k), js_string(&v)))
            .collect();
        headers.dedup();
        let mut out = String::from("import createClient from \"openapi-fetch\";\n");
        writeln!(out, "import type {{ paths }} from \"./{}\";\n", self.stem).unwrap();
        writeln!(
            out,
            "const client = createClient<paths>({{\n  baseUrl: {},\n  headers: {{ {} }},\n}});",
            js_string(&self.server),
            headers.join(", ")
        )
        .unwrap();
        let mut options = Vec::new();
        let mut names = vec![self.path.to_string()];
        let mut params = Vec::new();
        for location in ["path", "query", "header", "cookie"] {
            let fields: Vec<String> = self
                .located(location)
                .map(|p| {
                    names.push(p.name.clone());
                    format!("{}: {}", js_key(&p.name), compact_json(&p.example))
                })
                .collect();
            if !fields.is_empty() {
                params.push(format!("{location}: {{ {} }}", fields.join(", ")));
            }
        }
        if !params.is_empty() {
            options.push(format!("params: {{ {} }}", params.join(", ")));
        }
        if let Some(body) = &self.body {
            options.push(format!(
                "body: {}",
                indent_after_first(&pretty_json(&body.example), "  ")
            ));
        }
        let options = if options.is_empty() {
            String::new()
        } else {
            format!(", {{\n  {},\n}}", options.join(",\n  "))
        };
        writeln!(
            out,
            "const {{ data, error }} = await client.{}({}{options});",
            self.method.to_uppercase(),
            js_string(self.path)
        )
        .unwrap();
        (out.trim_end().to_string(), names)
    }

    fn python(&self) -> (String, Vec<String>) {
        let package = format!("{}_client", snake(self.stem));
        let module = self.tag.as_deref().map_or_else(|| "default".to_string(), python_snake);
        let function = python_snake(&self.id);
        let mut names = vec![function.clone()];
        let (header, prefix) = match self.credentials().first() {
            Some((k, v)) if k == "Authorization" && v.starts_with("Bearer ") => {
                ("Authorization".to_string(), "Bearer".to_string())
            }
            Some((k, _)) => (k.trim_start_matches(['?', ';']).to_string(), String::new()),
            None => ("Authorization".to_string(), "Bearer".to_string()),
        };
        let token = self.credentials().first().map_or("<token>".to_string(), |(_, v)| {
            v.strip_prefix("Bearer ").unwrap_or(v).to_string()
        });
        let mut args = vec!["client=client".to_string()];
        let mut model_import = None;
        if let Some(body) = &self.body {
            let model = body
                .schema_name
                .as_deref()
                .map_or_else(|| format!("{}Body", pascal(&self.id)), pascal);
            names.push(model.clone());
            args.push(format!("body={model}.from_dict({})", python_literal(&body.example)));
            model_import = Some(model);
        }
        for p in &self.params {
            let arg = python_snake(&p.name);
            names.push(arg.clone());
            args.push(format!("{arg}={}", python_literal(&p.example)));
        }
        let mut out = format!("from {package} import AuthenticatedClient\n");
        writeln!(out, "from {package}.api.{module} import {function}").unwrap();
        if let Some(model) = model_import {
            writeln!(out, "from {package}.models import {model}").unwrap();
        }
        writeln!(
            out,
            "\nclient = AuthenticatedClient(base_url={}, token={}, prefix={}, auth_header_name={})",
            py_string(&self.server),
            py_string(&token),
            py_string(&prefix),
            py_string(&header)
        )
        .unwrap();
        writeln!(
            out,
            "with client:\n    response = {function}.sync_detailed(\n        {},\n    )",
            args.join(",\n        ")
        )
        .unwrap();
        write!(out, "    print(response.status_code, response.parsed)").unwrap();
        (out, names)
    }

    /// The `{Tag}Api` class openapi-generator makes for the operation's first tag (`DefaultApi` without one).
    fn api_class(&self) -> String {
        format!(
            "{}Api",
            self.tag.as_deref().map_or_else(|| "Default".to_string(), camel_upper)
        )
    }

    fn java(&self) -> (String, Vec<String>) {
        let api = self.api_class();
        let method = camel_lower(&self.id);
        let mut names = vec![api.clone(), method.clone()];
        let mut out = String::from("ApiClient client = new ApiClient();\n");
        names.push("ApiClient".into());
        writeln!(out, "client.setBasePath({});", js_string(&self.server)).unwrap();
        for (name, scheme) in &self.auth {
            let kind = (
                scheme.get("type").and_then(Value::as_str),
                scheme.get("scheme").and_then(Value::as_str),
            );
            let line = match kind {
                (Some("apiKey"), _) => {
                    names.push("ApiKeyAuth".into());
                    format!(
                        "((ApiKeyAuth) client.getAuthentication({0})).setApiKey(\"<{1}>\");",
                        js_string(name),
                        name
                    )
                }
                (Some("http"), Some(s)) if s.eq_ignore_ascii_case("basic") => format!(
                    "HttpBasicAuth basic = (HttpBasicAuth) client.getAuthentication({});\nbasic.setUsername(\"<user>\");\nbasic.setPassword(\"<password>\");",
                    js_string(name)
                ),
                _ => format!(
                    "((HttpBearerAuth) client.getAuthentication({0})).setBearerToken(\"<{1}>\");",
                    js_string(name),
                    name
                ),
            };
            writeln!(out, "{line}").unwrap();
        }
        writeln!(out, "{api} api = new {api}(client);").unwrap();
        // The okhttp-gson generator sorts required parameters first, the body last among the parameters it
        // comes with (body after the others of the same requiredness).
        let mut args: Vec<(bool, String)> = self
            .all_params
            .iter()
            .map(|(p, sent)| {
                (
                    p.required,
                    if *sent {
                        java_literal(&p.example, &p.schema)
                    } else {
                        "null".to_string()
                    },
                )
            })
            .collect();
        if let Some(body) = &self.body {
            let model = body
                .schema_name
                .as_deref()
                .map_or_else(|| format!("{}Request", pascal(&self.id)), pascal);
            names.push(model.clone());
            names.push("fromJson".into());
            // A text block reads escapes as Java's, so the JSON's own backslashes are doubled.
            let json = compact_json(&body.example).replace('\\', "\\\\");
            args.push((body.required, format!("{model}.fromJson(\"\"\"\n    {json}\"\"\")")));
        }
        args.sort_by_key(|(required, _)| !required);
        let args: Vec<String> = args.into_iter().map(|(_, a)| a).collect();
        // The generated method is void where no 2xx response has a body.
        let assign = if self.returns_body { "var response = " } else { "" };
        write!(out, "{assign}api.{method}({});", args.join(", ")).unwrap();
        (out, names)
    }

    fn kotlin(&self) -> (String, Vec<String>) {
        let api = self.api_class();
        let method = camel_lower(&self.id);
        let mut names = vec![api.clone(), method.clone()];
        let mut out = String::new();
        for (scheme_name, scheme) in &self.auth {
            let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            match (text("type").as_str(), text("scheme").to_ascii_lowercase().as_str()) {
                ("apiKey", _) => writeln!(
                    out,
                    "ApiClient.apiKey[{}] = \"<{}>\"",
                    js_string(&text("name")),
                    esc_kt(scheme_name)
                )
                .unwrap(),
                ("http", "basic") => writeln!(
                    out,
                    "ApiClient.username = \"<user>\"\nApiClient.password = \"<password>\""
                )
                .unwrap(),
                _ => writeln!(out, "ApiClient.accessToken = \"<token>\"").unwrap(),
            }
        }
        writeln!(out, "val api = {api}({})", js_string(&self.server)).unwrap();
        let mut args: Vec<String> = self
            .params
            .iter()
            .map(|p| {
                let name = camel_lower(&p.name);
                names.push(name.clone());
                format!("{name} = {}", kotlin_literal(&p.example, &p.schema))
            })
            .collect();
        if let Some(body) = &self.body {
            let model = body
                .schema_name
                .as_deref()
                .map_or_else(|| format!("{}Request", pascal(&self.id)), pascal);
            let arg = camel_lower(&model);
            names.extend([model.clone(), arg.clone(), "Serializer".into()]);
            args.insert(
                0,
                format!(
                    "{arg} = Serializer.moshi.adapter({model}::class.java).fromJson(\"\"\"{}\"\"\")!!",
                    compact_json(&body.example).replace('$', "${'$'}")
                ),
            );
        }
        if args.is_empty() {
            // Every optional parameter of the generated Kotlin method defaults to null.
            write!(out, "val response = api.{method}()").unwrap();
        } else {
            write!(out, "val response = api.{method}(\n    {},\n)", args.join(",\n    ")).unwrap();
        }
        (out, names)
    }

    fn go(&self) -> (String, Vec<String>) {
        let package = go_package(self.stem);
        let operation = go_name(&self.id);
        let mut names = vec![
            "NewClientWithResponses".to_string(),
            "WithRequestEditorFn".into(),
            format!("{operation}WithResponse"),
        ];
        let mut out = format!(
            "client, err := {package}.NewClientWithResponses({}, {package}.WithRequestEditorFn(\n\tfunc(ctx context.Context, req *http.Request) error {{\n",
            go_string(&self.server)
        );
        for (name, value) in self.credentials() {
            if let Some(query) = name.strip_prefix('?') {
                writeln!(
                    out,
                    "\t\tq := req.URL.Query()\n\t\tq.Set({}, {})\n\t\treq.URL.RawQuery = q.Encode()",
                    go_string(query),
                    go_string(&value)
                )
                .unwrap();
            } else if let Some(cookie) = name.strip_prefix(';') {
                writeln!(
                    out,
                    "\t\treq.AddCookie(&http.Cookie{{Name: {}, Value: {}}})",
                    go_string(cookie),
                    go_string(&value)
                )
                .unwrap();
            } else {
                writeln!(out, "\t\treq.Header.Set({}, {})", go_string(&name), go_string(&value)).unwrap();
            }
        }
        out.push_str("\t\treturn nil\n\t}))\nif err != nil {\n\treturn err\n}\n");
        let mut args = vec!["ctx".to_string()];
        for p in self.located("path") {
            args.push(go_literal(&p.example));
        }
        let grouped: Vec<&(Param, bool)> = self.all_params.iter().filter(|(p, _)| p.location != "path").collect();
        if !grouped.is_empty() && grouped.iter().all(|(_, sent)| !sent) {
            args.push("nil".into());
        } else if !grouped.is_empty() {
            let params = format!("{operation}Params");
            names.push(params.clone());
            let mut fields = Vec::new();
            for (p, sent) in grouped {
                if !sent {
                    continue;
                }
                let field = go_name(&p.name);
                names.push(field.clone());
                let value = go_literal(&p.example);
                fields.push(if p.required {
                    format!("{field}: {value}")
                } else {
                    let var = camel_lower(&p.name);
                    writeln!(out, "{var} := {}", go_typed(&p.example, &p.schema, self.spec)).unwrap();
                    format!("{field}: &{var}")
                });
            }
            args.push(format!("&{package}.{params}{{{}}}", fields.join(", ")));
        }
        if let Some(body) = &self.body {
            let body_type = format!("{operation}JSONRequestBody");
            names.push(body_type.clone());
            writeln!(
                out,
                "var body {package}.{body_type}\nif err := json.Unmarshal([]byte({}), &body); err != nil {{\n\treturn err\n}}",
                go_raw(&compact_json(&body.example))
            )
            .unwrap();
            args.push("body".into());
        }
        write!(
            out,
            "response, err := client.{operation}WithResponse({})\nif err != nil {{\n\treturn err\n}}\nfmt.Println(response.StatusCode())",
            args.join(", ")
        )
        .unwrap();
        (out, names)
    }

    fn rust(&self, given: Option<&RustSample>) -> (String, Vec<String>) {
        let method = snake(&self.id);
        let krate = given.map_or_else(|| snake(self.stem), |given| given.krate.clone());
        let mut names = vec![method.clone()];
        let mut out = String::new();
        match given {
            Some(given) => {
                out.push_str(
                    given
                        .client
                        .trim_end()
                        .replace("{server}", &rust_string(&self.server))
                        .as_str(),
                );
                out.push('\n');
            }
            None => {
                names.push("new_with_client".to_string());
                out.push_str("let mut headers = reqwest::header::HeaderMap::new();\n");
                for (name, value) in self.credentials() {
                    if !name.starts_with(['?', ';']) {
                        writeln!(
                            out,
                            "headers.insert({}, {}.parse()?);",
                            rust_string(&name),
                            rust_string(&value)
                        )
                        .unwrap();
                    }
                }
                writeln!(
                    out,
                    "let http = reqwest::Client::builder().default_headers(headers).build()?;\nlet client = {krate}::Client::new_with_client({}, http);",
                    rust_string(&self.server)
                )
                .unwrap();
            }
        }
        let mut chain = format!("client.{method}()");
        for p in &self.params {
            let setter = snake(&p.name);
            names.push(setter.clone());
            write!(chain, "\n    .{setter}({})", rust_literal(&p.example)).unwrap();
        }
        if let Some(body) = &self.body {
            let model = body
                .schema_name
                .as_deref()
                .map_or_else(|| format!("{}Body", pascal(&self.id)), pascal);
            names.push(model.clone());
            let json = compact_json(&body.example);
            let literal = if json.contains("\"#") {
                rust_string(&json)
            } else {
                format!("r#\"{json}\"#")
            };
            writeln!(
                out,
                "let body: {krate}::types::{model} = serde_json::from_str({literal})?;"
            )
            .unwrap();
            chain.push_str("\n    .body(body)");
        }
        write!(out, "let response = {chain}\n    .send()\n    .await?;").unwrap();
        (out, names)
    }
}

/// The headers each scheme of a security requirement sends, as (name, value) with the credential as a
/// placeholder named after the scheme; a query or cookie key is (`?name`, value) and (`;name`, value).
fn credentials(auth: &[(String, Value)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, scheme) in auth {
        let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let placeholder = format!("<{name}>");
        match (text("type").as_str(), text("scheme").to_ascii_lowercase().as_str()) {
            ("apiKey", _) => {
                let prefix = match text("in").as_str() {
                    "query" => "?",
                    "cookie" => ";",
                    _ => "",
                };
                out.push((format!("{prefix}{}", text("name")), placeholder));
            }
            ("http", "basic") => out.push((
                "Authorization".into(),
                format!("Basic <base64 of user:password for {name}>"),
            )),
            _ => out.push(("Authorization".into(), format!("Bearer {placeholder}"))),
        }
    }
    out
}

/// The words of a name, split at anything but letters and digits and at a lower-to-upper change.
fn words_of(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_ascii_uppercase().to_string() + chars.as_str())
}

/// `create_dialog` → `create_dialog`, `On-Behalf-Of` → `on_behalf_of`: Python's and progenitor's names.
fn snake(name: &str) -> String {
    words_of(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// openapi-python-client's snake case: characters other than letters, digits and `._ -` are dropped before
/// the split (`updated_at[gt]` → `updated_atgt`).
fn python_snake(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ' ' | '-'))
        .collect();
    snake(&kept)
}

/// `create_dialog` → `CreateDialog`: a type name (Python models, Java and Kotlin models keep a schema's name).
fn pascal(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric()) && name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return name.to_string();
    }
    words_of(name)
        .iter()
        .map(|w| capitalised(&w.to_ascii_lowercase()))
        .collect()
}

/// openapi-generator's camelize: words after the first capitalised, the rest of each word as written.
fn camel_upper(name: &str) -> String {
    words_of(name).iter().map(|w| capitalised(w)).collect()
}

fn camel_lower(name: &str) -> String {
    let upper = camel_upper(name);
    let mut chars = upper.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_ascii_lowercase().to_string() + chars.as_str())
}

/// oapi-codegen's ToCamelCase: each separator dropped and the letter after it capitalised.
fn go_name(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(capitalised)
        .collect()
}

fn go_package(stem: &str) -> String {
    stem.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A scalar's text as sent in a URL or a header.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Sequence(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => compact_json(other),
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, so that brackets (`updated_at[gt]`) survive
/// curl's globbing and every URL parser alike.
fn percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            write!(out, "%{byte:02X}").unwrap();
        }
    }
    out
}

/// A POSIX shell word: single-quoted unless it needs no quotes.
fn shell(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._/:=@%+,".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// One-line JSON in the document's own key order (serde_json's map would sort the keys).
fn compact_json(value: &Value) -> String {
    match value {
        Value::Sequence(items) => format!("[{}]", items.iter().map(compact_json).collect::<Vec<_>>().join(",")),
        Value::Mapping(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}:{}", js_string(k.as_str().unwrap_or("")), compact_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        scalar => crate::bundle::to_json(scalar).unwrap_or_else(|_| "null".to_string()),
    }
}

fn pretty_json(value: &Value) -> String {
    crate::bundle::to_json(value).unwrap_or_else(|_| compact_json(value))
}

fn indent_after_first(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\n{indent}"))
}

fn js_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// An object key in TypeScript: bare where it is an identifier.
fn js_key(name: &str) -> String {
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier { name.to_string() } else { js_string(name) }
}

fn py_string(text: &str) -> String {
    js_string(text)
}

fn go_string(text: &str) -> String {
    js_string(text)
}

fn rust_string(text: &str) -> String {
    js_string(text)
}

fn esc_kt(text: &str) -> String {
    text.replace('"', "\\\"").replace('$', "\\$")
}

/// A Go raw string where the text allows one, an interpreted one otherwise.
fn go_raw(text: &str) -> String {
    if text.contains('`') {
        go_string(text)
    } else {
        format!("`{text}`")
    }
}

/// A JSON value as a Python literal (`True`, `None`, dicts and lists).
fn python_literal(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Sequence(items) => format!("[{}]", items.iter().map(python_literal).collect::<Vec<_>>().join(", ")),
        Value::Mapping(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_string(k.as_str().unwrap_or("")), python_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => compact_json(other),
    }
}

/// A scalar parameter value in Java: `123L` for an int64, a string literal, ...
fn java_literal(value: &Value, schema: &Value) -> String {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            if schema.get("format").and_then(Value::as_str) == Some("int64") {
                format!("{n}L")
            } else {
                n.to_string()
            }
        }
        Value::String(s) => js_string(s),
        other => compact_json(other),
    }
}

fn kotlin_literal(value: &Value, schema: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", esc_kt(s)),
        other => java_literal(other, schema),
    }
}

fn go_literal(value: &Value) -> String {
    match value {
        Value::String(s) => go_string(s),
        other => compact_json(other),
    }
}

/// A Go variable's initial value with the type oapi-codegen gives the parameter's schema, for taking its address.
fn go_typed(value: &Value, schema: &Value, spec: &Value) -> String {
    let schema = resolved(spec, schema);
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("integer"), Some("int64")) => format!("int64({})", go_literal(value)),
        (Some("integer"), Some("int32")) => format!("int32({})", go_literal(value)),
        (Some("number"), Some("float")) => format!("float32({})", go_literal(value)),
        (Some("number"), _) => format!("float64({})", go_literal(value)),
        _ => go_literal(value),
    }
}

fn rust_literal(value: &Value) -> String {
    match value {
        Value::String(s) => rust_string(s),
        other => compact_json(other),
    }
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
    for combinator in ["oneOf", "anyOf"] {
        if let Some(Value::Sequence(alternatives)) = schema.get(combinator) {
            return alternatives.iter().map(type_label).collect::<Vec<_>>().join(" or ");
        }
    }
    // OpenAPI 3.1: a type list, such as `[string, "null"]`, is one of its types; null is said last, as 3.0's
    // `nullable` is.
    if let Some(Value::Sequence(types)) = schema.get("type") {
        let null = Value::String("null".into());
        let mut labels: Vec<String> = types
            .iter()
            .filter(|t| **t != null)
            .map(|t| {
                let mut one = schema.clone();
                if let Value::Mapping(map) = &mut one {
                    map.insert(Value::String("type".into()), t.clone());
                    map.remove("enum");
                }
                type_label(&one)
            })
            .collect();
        if types.contains(&null) {
            labels.push("null".into());
        }
        return labels.join(" or ");
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
    if let Some(value) = schema.get("const") {
        let shown = crate::bundle::to_json(value).unwrap_or_default();
        write!(label, ", always <code>{}</code>", esc(&shown)).unwrap();
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

    const ITEMS: &str = r#"
openapi: 3.0.3
info: {title: Items, version: '1'}
servers:
  - url: https://{region}.example.com/v2/
    variables: {region: {default: eu}}
security:
  - Token: []
  - Bearer: []
paths:
  /items/{item_id}.json:
    parameters:
      - {name: item_id, in: path, required: true, schema: {type: string}, example: "a b/1"}
    put:
      operationId: update_item
      tags: [stock items]
      parameters:
        - {name: "updated_at[gt]", in: query, required: true, schema: {type: integer, format: int64}, example: 1700000000}
        - {name: "sort", in: query, schema: {type: string}, example: name}
        - {name: X-Trace-Id, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
            examples:
              first: {value: {name: "it's", price: 2.5}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
    delete:
      operationId: deleteItem
      security: [{Bearer: []}]
      x-codeSamples:
        - {lang: Python, label: Python (by hand), source: "client.delete('a b/1')"}
      responses:
        '204': {description: gone}
components:
  securitySchemes:
    Token: {type: apiKey, in: header, name: X-Token}
    Bearer: {type: http, scheme: bearer}
  schemas:
    Item: {type: object, properties: {name: {type: string}, price: {type: number}}}
"#;

    fn items() -> Document {
        Document::parse("items.yaml", ITEMS).unwrap()
    }

    fn sample(path: &str, method: &str, lang: &str) -> Sample {
        samples(&items(), path, method)
            .into_iter()
            .find(|s| s.lang == lang)
            .unwrap_or_else(|| panic!("no {lang} sample for {method} {path}"))
    }

    /// curl: the server with its variables, the path with its parameter encoded, the bracketed query key
    /// encoded so that curl does not glob it, the first scheme's header and the other scheme as a comment.
    #[test]
    fn curl_has_path_and_query_parameters_and_both_auth_kinds() {
        assert_eq!(
            sample("/items/{item_id}.json", "put", "curl").source,
            "curl -X PUT 'https://eu.example.com/v2/items/a%20b%2F1.json?updated_at%5Bgt%5D=1700000000' \\\n  -H 'X-Token: <Token>' \\\n  -H 'Content-Type: application/json' \\\n  --data '{\"name\":\"it'\\''s\",\"price\":2.5}'\n# or, with Bearer: -H 'Authorization: Bearer <Bearer>'"
        );
        assert_eq!(
            sample("/items/{item_id}.json", "delete", "curl").source,
            "curl -X DELETE https://eu.example.com/v2/items/a%20b%2F1.json \\\n  -H 'Authorization: Bearer <Bearer>'"
        );
    }

    /// A project's own Rust constructor replaces progenitor's, and its crate names the types; the names a
    /// generated client must have no longer include the constructor, which is the project's to keep.
    #[test]
    fn a_configured_rust_client_replaces_the_default_constructor() {
        let options = SampleOptions {
            rust: Some(RustSample {
                krate: "stock".into(),
                client: "let client = stock::Client::with_token({server}, \"<Token>\")?;\n".into(),
            }),
        };
        let put = samples_with(&items(), "/items/{item_id}.json", "put", &options)
            .into_iter()
            .find(|s| s.lang == "rust")
            .unwrap();
        assert!(
            put.source.starts_with(
                "let client = stock::Client::with_token(\"https://eu.example.com/v2\", \"<Token>\")?;\nlet body: stock::types::Item = "
            ),
            "{}",
            put.source
        );
        assert!(!put.names.contains(&"new_with_client".to_string()), "{:?}", put.names);
        assert!(sample_names(&items(), "rust").contains(&"new_with_client".to_string()));
    }

    /// An operation's own `x-codeSamples` entry stands for its language; the others are synthesised.
    #[test]
    fn x_code_samples_replace_their_language_only() {
        let all = samples(&items(), "/items/{item_id}.json", "delete");
        let langs: Vec<&str> = all.iter().map(|s| s.lang.as_str()).collect();
        assert_eq!(langs, ["python", "curl", "typescript", "java", "kotlin", "go", "rust"]);
        assert_eq!(all[0].label, "Python (by hand)");
        assert_eq!(all[0].source, "client.delete('a b/1')");
        assert!(all[0].names.is_empty());
    }

    /// Each generator's names for the same operation, as `--print-sample-names` lists them.
    #[test]
    fn each_language_uses_its_generator_names() {
        let names = |lang: &str| sample_names(&items(), lang);
        assert_eq!(
            names("typescript"),
            ["/items/{item_id}.json", "item_id", "updated_at[gt]"]
        );
        // The DELETE's Python sample is the document's own, so only the PUT's names are listed.
        assert_eq!(names("python"), ["Item", "item_id", "update_item", "updated_atgt"]);
        assert_eq!(
            names("java"),
            [
                "ApiClient",
                "ApiKeyAuth",
                "DefaultApi",
                "Item",
                "StockItemsApi",
                "deleteItem",
                "fromJson",
                "updateItem"
            ]
        );
        assert_eq!(
            names("kotlin"),
            [
                "DefaultApi",
                "Item",
                "Serializer",
                "StockItemsApi",
                "deleteItem",
                "item",
                "itemId",
                "updateItem",
                "updatedAtGt"
            ]
        );
        assert_eq!(
            names("go"),
            [
                "DeleteItemWithResponse",
                "NewClientWithResponses",
                "UpdateItemJSONRequestBody",
                "UpdateItemParams",
                "UpdateItemWithResponse",
                "UpdatedAtGt",
                "WithRequestEditorFn"
            ]
        );
        assert_eq!(
            names("rust"),
            [
                "Item",
                "delete_item",
                "item_id",
                "new_with_client",
                "update_item",
                "updated_at_gt"
            ]
        );
        let go = sample("/items/{item_id}.json", "put", "go").source;
        assert!(
            go.contains(
                "client.UpdateItemWithResponse(ctx, \"a b/1\", &items.UpdateItemParams{UpdatedAtGt: 1700000000}, body)"
            ),
            "{go}"
        );
        let java = sample("/items/{item_id}.json", "put", "java").source;
        assert!(java.contains("var response = api.updateItem(\"a b/1\", 1700000000L, Item.fromJson(\"\"\"\n    {\"name\":\"it's\",\"price\":2.5}\"\"\"), null, null);"), "{java}");
        let java = sample("/items/{item_id}.json", "delete", "java").source;
        assert!(
            java.contains("((HttpBearerAuth) client.getAuthentication(\"Bearer\")).setBearerToken(\"<Bearer>\");"),
            "{java}"
        );
        assert!(java.ends_with("\napi.deleteItem(\"a b/1\");"), "{java}");
    }

    #[test]
    fn names_follow_each_generator() {
        assert_eq!(snake("On-Behalf-Of"), "on_behalf_of");
        assert_eq!(snake("deleteItem"), "delete_item");
        assert_eq!(python_snake("updated_at[gt]"), "updated_atgt");
        assert_eq!(camel_lower("On-Behalf-Of"), "onBehalfOf");
        assert_eq!(camel_lower("create_dialog"), "createDialog");
        assert_eq!(camel_upper("stock items"), "StockItems");
        assert_eq!(go_name("create_dialog"), "CreateDialog");
        assert_eq!(go_name("updated_at[gt]"), "UpdatedAtGt");
        assert_eq!(pascal("CreateDialogRequest"), "CreateDialogRequest");
        assert_eq!(percent("updated_at[gt]"), "updated_at%5Bgt%5D");
        assert_eq!(shell("it's"), "'it'\\''s'");
    }

    /// Every HTML id on the page is unique, though every operation has responses with the same statuses.
    #[test]
    fn html_ids_are_unique() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get_a\n      responses:\n        '200': {description: ok}\n        '400': {description: bad}\n    delete:\n      operationId: delete_a\n      responses:\n        '200': {description: ok}\n        '400': {description: bad}\n";
        let page = render(&Document::parse("two.yaml", spec).unwrap(), "t").unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for (_, rest) in page.match_indices(" id=\"").map(|(at, _)| page.split_at(at + 5)) {
            let id = &rest[..rest.find('"').unwrap()];
            assert!(seen.insert(id.to_string()), "id {id:?} appears twice");
        }
        assert_eq!(
            seen.iter().filter(|id| id.starts_with("response-")).count(),
            4,
            "{seen:?}"
        );
    }

    /// The samples are on the page, escaped, one block per language.
    #[test]
    fn the_page_shows_every_sample() {
        let page = render(&items(), "t").unwrap();
        for (lang, _) in SAMPLE_LANGUAGES {
            assert!(page.contains(&format!("id=\"sample-update_item-{lang}\"")), "{lang}");
        }
        assert!(
            page.contains("-H &#39;X-Token") || page.contains("-H 'X-Token: &lt;Token&gt;'"),
            "{page}"
        );
    }

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
