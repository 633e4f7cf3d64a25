//! `qb-dialog` run as a process against the mock server on loopback: every vendor recipe, every error path, and its output pinned with insta.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use quickblox_dialog_mock::{Config, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "eddf864695d72d33b959eec2ae6c640d817dfada";
const USER: i64 = 102433734;
const API_KEY: &str = "28irlNAGasWDSupO9Vw0BBMZfuHrAUYKpmroS9yBORI";

async fn server() -> MockServer {
    MockServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![(TOKEN.to_string(), USER)],
        api_keys: vec![API_KEY.to_string()],
        ..Config::default()
    })
    .await
    .unwrap()
}

/// Runs `qb-dialog` with only the given `QB_*` variables set, so that the developer's environment cannot leak in.
fn qb_dialog(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qb-dialog"));
    command.args(args);
    for name in ["QB_TOKEN", "QB_API_KEY", "QB_BASE_URL", "QB_TIMEOUT", "RUST_LOG"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("running qb-dialog")
}

/// Runs `create` against `server` with a session token, in the blocking pool so that the server keeps serving.
async fn create(server: &MockServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all = vec!["create".to_string()];
    all.extend(args.iter().map(|arg| arg.to_string()));
    let mut vars: Vec<(String, String)> = vec![("QB_BASE_URL".into(), server.base_url())];
    vars.extend(env.iter().map(|(name, value)| (name.to_string(), value.to_string())));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        qb_dialog(&args, &vars)
    })
    .await
    .unwrap()
}

/// An environment variable as name and value.
type Var<'a> = (&'a str, &'a str);
type Env<'a> = Vec<Var<'a>>;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Replaces what changes from run to run: 24-hex dialog ids, timestamps, and loopback ports.
fn redact(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let hex = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || ('a'..='f').contains(*c))
            .count();
        let is_time = chars.len() - i >= 20 && {
            let s: String = chars[i..i + 20].iter().collect();
            s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' && s.ends_with('Z') && s[..4].parse::<u32>().is_ok()
        };
        if hex == 24 && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            out.push_str("[dialog id]");
            i += 24;
        } else if is_time {
            out.push_str("[time]");
            i += 20;
        } else if chars[i..].starts_with(&['1', '2', '7', '.', '0', '.', '0', '.', '1', ':']) {
            out.push_str("127.0.0.1:[port]");
            i += 10;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The vendor's recipes.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recipes_print_the_created_dialog_as_json() {
    let server = server().await;
    let token = [("QB_TOKEN", TOKEN)];
    let recipes: [(&str, Vec<&str>); 4] = [
        ("private", vec!["--type", "private", "--occupants", "102433721"]),
        (
            "public",
            vec!["--type", "public", "--name", "Soccer news", "--photo", "67834"],
        ),
        (
            "group",
            vec![
                "--type",
                "group",
                "--name",
                "New Year party",
                "--occupants",
                "96831397,96831328,96830631,96754523",
                "--photo",
                "68123",
            ],
        ),
        (
            "custom_data",
            vec![
                "--type",
                "group",
                "--name",
                "Chat with Bob, Sam, Garry",
                "--occupants",
                "96754523,96830631,96831328",
                "--data-class",
                "ScoreTable",
                "--data",
                "game_mode_name=rainbow dash",
                "--data",
                "expert_mode=3",
                "--data",
                "progress=56",
            ],
        ),
    ];
    for (name, args) in recipes {
        let output = create(&server, &args, &token).await;
        assert_exit(&output, 0);
        assert_eq!(text(&output.stderr), "");
        let dialog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(dialog["user_id"], USER, "{name}");
        insta::assert_snapshot!(format!("recipe_{name}_json"), redact(&text(&output.stdout)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_recipe_acts_on_behalf_of_the_user() {
    let server = server().await;
    let args = [
        "--type",
        "group",
        "--name",
        "New Year party",
        "--occupants",
        "96831397,96831328,96830631,96754523",
        "--photo",
        "68123",
        "--on-behalf-of",
        "123",
    ];
    let output = create(&server, &args, &[("QB_API_KEY", API_KEY)]).await;
    assert_exit(&output, 0);
    let dialog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(dialog["user_id"], 123);
    assert_eq!(
        dialog["occupants_ids"],
        serde_json::json!([123, 96754523, 96830631, 96831328, 96831397])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_output_is_for_people() {
    let server = server().await;
    let args = [
        "--type",
        "group",
        "--name",
        "Chat with Bob, Sam, Garry",
        "--occupants",
        "96754523,96830631",
        "--admins",
        "96754523",
        "--join-required",
        "--data-class",
        "ScoreTable",
        "--data",
        "progress:=56",
        "--data",
        "game_mode_name=rainbow dash",
        "--output",
        "table",
    ];
    let output = create(&server, &args, &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    insta::assert_snapshot!("group_table", redact(&text(&output.stdout)));
    let output = create(
        &server,
        &["--type", "private", "--occupants", "5", "--output", "table"],
        &[("QB_TOKEN", TOKEN)],
    )
    .await;
    insta::assert_snapshot!("private_table", redact(&text(&output.stdout)));
}

// ---------------------------------------------------------------------------------------------------------------
// Failures: the API's, the network's and the user's.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_print_the_status_and_the_messages_and_exit_1() {
    let server = server().await;
    let token = [("QB_TOKEN", TOKEN)];
    let cases: [(&str, Vec<&str>, Env); 4] = [
        (
            "too_many_occupants",
            vec!["--type", "private", "--occupants", "1,2"],
            token.to_vec(),
        ),
        (
            "self_listed",
            vec!["--type", "group", "--occupants", "102433734"],
            token.to_vec(),
        ),
        ("unknown_token", vec!["--type", "public"], vec![("QB_TOKEN", "expired")]),
        (
            "unknown_api_key",
            vec!["--type", "public", "--on-behalf-of", "5"],
            vec![("QB_API_KEY", "nope")],
        ),
    ];
    for (name, args, env) in cases {
        let output = create(&server, &args, &env).await;
        assert_exit(&output, 1);
        assert_eq!(text(&output.stdout), "", "{name}");
        insta::assert_snapshot!(format!("api_error_{name}"), redact(&text(&output.stderr)));
    }
    assert_eq!(server.dialog_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_failure_names_the_host_and_the_cause() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = qb_dialog(
        &["create", "--type", "public", "--base-url", &url],
        &[("QB_TOKEN", TOKEN)],
    );
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "qb-dialog: cannot reach 127.0.0.1:{port}: connection failed ("
        )),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_starts_a_moment_later_is_waited_for() {
    // Nothing was sent while the connection is refused, so qb-dialog may try again: this is the README's
    // `qb-dialog mock ... &` followed at once by `qb-dialog create`.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let run = tokio::task::spawn_blocking(move || {
        qb_dialog(
            &["create", "--type", "private", "--occupants", "5", "--base-url", &url],
            &[("QB_TOKEN", TOKEN)],
        )
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = MockServer::start(Config {
        listen: format!("127.0.0.1:{port}").parse().unwrap(),
        tokens: vec![(TOKEN.to_string(), USER)],
        ..Config::default()
    })
    .await
    .unwrap();
    let output = run.await.unwrap();
    assert_exit(&output, 0);
    assert_eq!(server.dialog_count(), 1);
}

#[test]
fn bad_usage_exits_2_with_a_usage_message() {
    let token = [("QB_TOKEN", TOKEN)];
    let cases: [(&str, Vec<&str>, &[Var]); 8] = [
        ("no_subcommand", vec![], &token),
        ("no_type", vec!["create"], &token),
        ("bad_type", vec!["create", "--type", "secret"], &token),
        ("no_credentials", vec!["create", "--type", "public"], &[]),
        (
            "both_credentials",
            vec!["create", "--type", "public"],
            &[("QB_TOKEN", "t"), ("QB_API_KEY", "k")],
        ),
        (
            "data_without_class",
            vec!["create", "--type", "group", "--data", "a=b"],
            &token,
        ),
        (
            "bad_occupants",
            vec!["create", "--type", "group", "--occupants", "1;2"],
            &token,
        ),
        (
            "insecure_base_url",
            vec!["create", "--type", "group", "--base-url", "http://api.quickblox.com"],
            &token,
        ),
    ];
    for (name, args, env) in cases {
        let output = qb_dialog(&args, env);
        assert_exit(&output, 2);
        assert_eq!(text(&output.stdout), "", "{name}");
        insta::assert_snapshot!(format!("usage_{name}"), text(&output.stderr));
    }
}

#[test]
fn help_lists_the_environment_variables() {
    let output = qb_dialog(&["create", "--help"], &[]);
    assert_exit(&output, 0);
    insta::assert_snapshot!("create_help", text(&output.stdout));
}

#[test]
fn version_exits_0() {
    let output = qb_dialog(&["--version"], &[]);
    assert_exit(&output, 0);
    assert_eq!(
        text(&output.stdout),
        format!("qb-dialog {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn every_subcommand_has_a_working_help() {
    let mock_usage = "Usage: qb-dialog mock [OPTIONS]\n\nOptions:\n      --listen <ADDR>";
    let about = "Create, list, get, update and delete QuickBlox chat dialogs, or run a local mock of the API";
    let cases: [(&[&str], &str); 15] = [
        (&["--help"], about),
        (&["help"], about),
        (&["create", "--help"], "Usage: qb-dialog create [OPTIONS] --type <type>"),
        (&["help", "create"], "Usage: qb-dialog create [OPTIONS] --type <type>"),
        (&["list", "--help"], "Usage: qb-dialog list [OPTIONS]"),
        (&["help", "list"], "Usage: qb-dialog list [OPTIONS]"),
        (&["get", "--help"], "Usage: qb-dialog get [OPTIONS] <ID>"),
        (&["help", "get"], "Usage: qb-dialog get [OPTIONS] <ID>"),
        (&["update", "--help"], "Usage: qb-dialog update [OPTIONS] <ID>"),
        (&["help", "update"], "Usage: qb-dialog update [OPTIONS] <ID>"),
        (&["delete", "--help"], "Usage: qb-dialog delete [OPTIONS] <ID>..."),
        (&["help", "delete"], "Usage: qb-dialog delete [OPTIONS] <ID>..."),
        (&["mock", "--help"], mock_usage),
        (&["help", "mock"], mock_usage),
        (
            &["help", "help"],
            "Print this message or the help of the given subcommand(s)",
        ),
    ];
    for (args, expected) in cases {
        let output = qb_dialog(args, &[]);
        assert_exit(&output, 0);
        let stdout = text(&output.stdout);
        assert!(stdout.contains(expected), "{args:?}:\n{stdout}");
        assert!(!stdout.contains("[MOCK FLAGS]"), "{args:?}:\n{stdout}");
    }
    // Both ways of asking for the mock's help print the same text.
    assert_eq!(
        qb_dialog(&["help", "mock"], &[]).stdout,
        qb_dialog(&["mock", "--help"], &[]).stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_may_be_joined_with_spaces() {
    let server = server().await;
    let args = [
        "--type",
        "group",
        "--name",
        "x",
        "--occupants",
        "1002, 1003",
        "--admins",
        " 1002 ,1003 ",
    ];
    let output = create(&server, &args, &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    let dialog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(dialog["occupants_ids"], serde_json::json!([1002, 1003, USER]));
    assert_eq!(dialog["admin_ids"], serde_json::json!([1002, 1003]));
    for flag in ["--occupants", "--admins"] {
        let output = create(
            &server,
            &["--type", "group", flag, "1002,, 1003"],
            &[("QB_TOKEN", TOKEN)],
        )
        .await;
        assert_exit(&output, 2);
        assert!(
            text(&output.stderr).contains(&format!(
                "{flag} expects user ids joined by commas, got \"1002,, 1003\""
            )),
            "{}",
            text(&output.stderr)
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile servers: redirects, silence, slow and huge answers, control characters.
// ---------------------------------------------------------------------------------------------------------------

/// A loopback server that hands each connection to `handle`; returns its base URL and how many connections it took.
async fn hostile<F, Fut>(handle: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handle(stream));
        }
    });
    (base_url, connections)
}

/// Reads until the end of the request's head and its body, so that the client has sent everything.
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buffer).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return buffer;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return buffer,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A server that reads the request and answers with `response`.
async fn answering(response: String) -> (String, Arc<AtomicUsize>) {
    hostile(move |mut stream| {
        let response = response.clone();
        async move {
            read_request(&mut stream).await;
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

/// Runs `qb-dialog create --type group --name x` against `base_url` with extra arguments, off the runtime's threads.
async fn create_at(base_url: &str, extra: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let mut args: Vec<String> = ["create", "--type", "group", "--name", "x", "--base-url", base_url]
        .iter()
        .map(|arg| arg.to_string())
        .collect();
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let mut vars = vec![("QB_TOKEN".to_string(), "SECRET".to_string())];
    vars.extend(env.iter().map(|(name, value)| (name.to_string(), value.to_string())));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let start = Instant::now();
        let output = qb_dialog(&args, &vars);
        (output, start.elapsed())
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_reported_with_its_location_and_not_followed() {
    let (elsewhere, contacted) = answering("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n".to_string()).await;
    for status in [301, 302, 303, 307, 308] {
        let location = format!("{elsewhere}/steal");
        let (base_url, _) = answering(format!(
            "HTTP/1.1 {status} Moved\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
        ))
        .await;
        let (output, _) = create_at(&base_url, &[], &[]).await;
        assert_exit(&output, 1);
        let host = base_url.trim_start_matches("http://");
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with(&format!("qb-dialog: {host}: the server answered {status} ")),
            "{stderr}"
        );
        assert!(stderr.contains(&format!(" to {location}; not followed")), "{stderr}");
        assert_eq!(
            contacted.load(Ordering::SeqCst),
            0,
            "{status}: the other origin was contacted"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_but_not_answered_says_the_dialog_may_exist() {
    let (base_url, _) = hostile(|mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let host = base_url.trim_start_matches("http://").to_string();
    let expected = format!(
        "qb-dialog: sent the request to {host}, but no answer came within 0.5 s; the dialog may have been created: look before you retry\n"
    );
    let (output, elapsed) = create_at(&base_url, &["--timeout", "0.5"], &[]).await;
    assert_exit(&output, 1);
    assert_eq!(text(&output.stderr), expected);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The same from the environment.
    let (output, _) = create_at(&base_url, &[], &[("QB_TIMEOUT", "0.5")]).await;
    assert_eq!(text(&output.stderr), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_answer_names_the_timeout() {
    let (base_url, _) = hostile(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{";
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let (output, _) = create_at(&base_url, &["--timeout", "0.5"], &[]).await;
    assert_exit(&output, 1);
    let host = base_url.trim_start_matches("http://");
    assert_eq!(
        text(&output.stderr),
        format!(
            "qb-dialog: {host} began to answer, but the answer did not arrive in full within 0.5 s; the dialog may have been created: look before you retry\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_answer_is_cut_off_at_the_bound() {
    let (base_url, _) = hostile(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
        chunk.extend(std::iter::repeat_n(b' ', 64 * 1024));
        chunk.extend_from_slice(b"\r\n");
        // Up to 64 MiB, or until the client hangs up.
        for _ in 0..1024 {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    let (output, elapsed) = create_at(&base_url, &[], &[]).await;
    assert_exit(&output, 1);
    let host = base_url.trim_start_matches("http://");
    assert_eq!(
        text(&output.stderr),
        format!(
            "qb-dialog: {host} answered, but the response body is larger than the client's limit of 16777216 bytes (16 MiB); the dialog may have been created: look before you retry\n"
        )
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_text_cannot_write_control_characters_to_the_terminal() {
    let dialog = serde_json::json!({
        "_id": "5e261c72a28f9a4f779f10bb",
        "created_at": "2020-01-20T21:32:34Z",
        "updated_at": "2020-01-20T21:32:34Z",
        "last_message": null,
        "last_message_date_sent": null,
        "last_message_id": null,
        "last_message_user_id": null,
        "name": "Party\u{1b}[2J\nowner  0",
        "occupants_ids": [1],
        "photo": "\u{9b}31m",
        "type": 2,
        "user_id": 1,
        "xmpp_room_jid": "a\rb",
        "unread_messages_count": null,
        "data": {"class_name": "C\u{202e}D", "k\te": "v\u{7}"}
    })
    .to_string();
    let (base_url, _) = answering(format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{dialog}",
        dialog.len()
    ))
    .await;
    let (output, _) = create_at(&base_url, &["--output", "table"], &[]).await;
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    assert!(
        !stdout.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{stdout:?}"
    );
    insta::assert_snapshot!("hostile_table", stdout);

    // JSON escapes them too, and still reads back as the same text.
    let (output, _) = create_at(&base_url, &[], &[]).await;
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    assert!(
        !stdout.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{stdout:?}"
    );
    let printed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sent: serde_json::Value = serde_json::from_str(&dialog).unwrap();
    assert_eq!(printed, sent);

    let errors = serde_json::json!({"errors": {"na\u{1b}me": ["bad\u{1b}[31m\nline"]}}).to_string();
    let (base_url, _) = answering(format!(
        "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{errors}",
        errors.len()
    ))
    .await;
    let (output, _) = create_at(&base_url, &[], &[]).await;
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.ends_with("\n  na\\u{1b}me: bad\\u{1b}[31m\\nline\n"),
        "{stderr:?}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// `qb-dialog mock & qb-dialog create ...`.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn the_mock_subcommand_serves_what_create_sends() {
    let mut mock = Command::new(env!("CARGO_BIN_EXE_qb-dialog"))
        .args(["mock", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(mock.stdout.take().unwrap());
    let mut read_line = || {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        line.trim_end().to_string()
    };
    let (first, token_line) = (read_line(), read_line());
    let base_url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let token = token_line
        .strip_prefix("token ")
        .and_then(|t| t.rsplit_once(':'))
        .unwrap()
        .0
        .to_string();

    let output = qb_dialog(
        &["create", "--type", "private", "--occupants", "5"],
        &[("QB_TOKEN", &token), ("QB_BASE_URL", &base_url)],
    );
    assert_exit(&output, 0);
    let dialog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(dialog["occupants_ids"], serde_json::json!([5, 1001]));

    let sent = Command::new("kill")
        .args(["-INT", &mock.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = mock.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = mock.kill();
            panic!("qb-dialog mock did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn mock_flags_are_checked_like_the_mock_binary_does() {
    let output = qb_dialog(&["mock", "--token", "x"], &[]);
    assert_exit(&output, 2);
    assert!(
        text(&output.stderr)
            .starts_with("error: invalid value 'x' for '--token <TOKEN:USER_ID>': expects TOKEN:USER_ID\n"),
        "{}",
        text(&output.stderr)
    );
    let output = qb_dialog(&["mock", "--help"], &[]);
    assert_exit(&output, 0);
    assert!(text(&output.stdout).contains("Usage: qb-dialog mock [OPTIONS]"));
    assert!(text(&output.stdout).contains("--seed <N>"));
}

#[test]
fn redaction_covers_ids_times_and_ports() {
    assert_eq!(
        redact("\"_id\": \"5e261c72a28f9a4f779f10bb\", \"at\": \"2020-01-20T21:32:34Z\", 127.0.0.1:8080/x, deadbeef"),
        "\"_id\": \"[dialog id]\", \"at\": \"[time]\", 127.0.0.1:[port]/x, deadbeef"
    );
    assert_eq!(redact("76730_5d75e1cfa28f9a3a6e000014@muc"), "76730_[dialog id]@muc");
}

// ---------------------------------------------------------------------------------------------------------------
// The README's quickstart, run as written.
// ---------------------------------------------------------------------------------------------------------------

/// One command line of the quickstart: its `NAME=value` prefixes and its words.
struct Step {
    env: Vec<(String, String)>,
    words: Vec<String>,
    background: bool,
}

/// The `sh` block under "## Try it against the mock" in the workspace README, with port 8080 replaced by `port`.
fn quickstart(port: u16) -> Vec<Step> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).expect("reading the workspace README");
    let section = readme
        .split("\n## Try it against the mock\n")
        .nth(1)
        .expect("the README has a \"Try it against the mock\" section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has a sh block");
    block
        .lines()
        .map(|line| {
            assert!(
                !line.contains(['"', '\'', '$', '|', ';', '\\']),
                "the quickstart test reads plain words only, not {line:?}"
            );
            let line = line.replace("8080", &port.to_string());
            let (line, background) = match line.strip_suffix(" &") {
                Some(line) => (line.to_string(), true),
                None => (line, false),
            };
            let mut env = Vec::new();
            let mut words = Vec::new();
            for word in line.split_whitespace() {
                match word.split_once('=') {
                    Some((name, value))
                        if words.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
                    {
                        env.push((name.to_string(), value.to_string()))
                    }
                    _ => words.push(word.to_string()),
                }
            }
            Step { env, words, background }
        })
        .collect()
}

/// The README's steps as processes: `cargo build` is what built this test's binary, each `cargo run -q -p
/// quickblox-dialog-cli --` is that binary, and `kill %1` stops the background mock. Only the port differs.
#[test]
fn the_readme_quickstart_works_as_written() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let steps = quickstart(port);
    let shapes: Vec<String> = steps
        .iter()
        .map(|step| step.words[..step.words.len().min(2)].join(" "))
        .collect();
    assert_eq!(
        shapes,
        ["cargo build", "cargo run", "cargo run", "cargo run", "kill %1"],
        "the quickstart changed shape; update this test with it"
    );
    assert_eq!(steps[0].words, ["cargo", "build", "-p", "quickblox-dialog-cli"]);
    let run_prefix = ["cargo", "run", "-q", "-p", "quickblox-dialog-cli", "--"];
    let (mock_step, create_step, list_step) = (&steps[1], &steps[2], &steps[3]);
    assert!(mock_step.background && !create_step.background && !list_step.background);
    for step in [mock_step, create_step, list_step] {
        assert_eq!(step.words[..run_prefix.len()], run_prefix, "{:?}", step.words);
    }

    let mut mock = Command::new(env!("CARGO_BIN_EXE_qb-dialog"))
        .args(&mock_step.words[run_prefix.len()..])
        .envs(mock_step.env.iter().map(|(n, v)| (n, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The reader lives until the end: closing the pipe early would make the mock's next line fail.
    let mut mock_stdout = BufReader::new(mock.stdout.take().unwrap());
    let mut first = String::new();
    mock_stdout.read_line(&mut first).unwrap();
    assert_eq!(first.trim_end(), format!("listening on http://127.0.0.1:{port}"));

    let run = |step: &Step| {
        let env: Vec<(&str, &str)> = step.env.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let args: Vec<&str> = step.words[run_prefix.len()..].iter().map(String::as_str).collect();
        qb_dialog(&args, &env)
    };
    let output = run(create_step);
    let listed = run(list_step);

    // `kill %1`: SIGTERM to the mock, which must end.
    assert_eq!(steps[4].words, ["kill", "%1"]);
    let sent = Command::new("kill").arg(mock.id().to_string()).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    while mock.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = mock.kill();
            panic!("the mock did not stop on kill");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    drop(mock_stdout);
    assert_exit(&output, 0);
    let dialog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(dialog["name"], "Party");
    assert_eq!(dialog["type"], 2);
    assert_eq!(dialog["user_id"], 1001);
    assert_eq!(dialog["occupants_ids"], serde_json::json!([2, 3, 1001]));
    // The mock kept the dialog: the list's table shows it, by its id and name.
    assert_exit(&listed, 0);
    let table = String::from_utf8(listed.stdout).unwrap();
    let id = dialog["_id"].as_str().unwrap();
    assert!(
        table.lines().any(|line| line.contains(id) && line.contains("Party")),
        "{table}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// list, get, update, delete against a loopback stub that records each request.
// ---------------------------------------------------------------------------------------------------------------

/// One request as the stub received it.
#[derive(Clone, Debug)]
struct Captured {
    /// `GET /chat/Dialog.json?limit=2`, without the HTTP version.
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Captured>>>;

/// A stub that records each request and answers with the status and JSON body `answer` makes of its target; it
/// closes each connection after the answer, and says so, so that the client opens a new one for the next request.
async fn stub(answer: impl Fn(&str) -> (u16, String) + Send + Sync + 'static) -> (String, Log) {
    let log: Log = Arc::default();
    let answer = Arc::new(answer);
    let record = Arc::clone(&log);
    let (base_url, _) = hostile(move |mut stream| {
        let (answer, record) = (Arc::clone(&answer), Arc::clone(&record));
        async move {
            let bytes = read_request(&mut stream).await;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            let mut lines = head.split("\r\n");
            let line = lines.next().unwrap_or_default();
            let target = line.rsplit_once(' ').map_or(line, |(target, _)| target).to_string();
            let mut headers: Vec<(String, String)> = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
                .collect();
            headers.sort();
            let (status, reply) = answer(&target);
            record.lock().unwrap().push(Captured {
                target,
                headers,
                body: body.to_string(),
            });
            let response = format!(
                "HTTP/1.1 {status} Stub\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{reply}",
                reply.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    (base_url, log)
}

/// A stub that answers every request with `status` and `body`.
async fn canned(status: u16, body: serde_json::Value) -> (String, Log) {
    let body = body.to_string();
    stub(move |_| (status, body.clone())).await
}

fn requests(log: &Log) -> Vec<Captured> {
    log.lock().unwrap().clone()
}

/// Runs `qb-dialog` with `args` against `base_url`, off the runtime's threads so that the stub keeps serving.
async fn run(base_url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let mut vars = vec![("QB_BASE_URL".to_string(), base_url.to_string())];
    vars.extend(env.iter().map(|(name, value)| (name.to_string(), value.to_string())));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        qb_dialog(&args, &vars)
    })
    .await
    .unwrap()
}

const ID_A: &str = "5d75626ea28f9a1490cb0f98";
const ID_B: &str = "5d7562d4a28f9a1694cb0f9b";

/// A group dialog as the API returns one, with the vendor's list example's fields.
fn dialog_json(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "_id": id,
        "created_at": "2019-09-08T17:24:11Z",
        "last_message": "sure, I can wait",
        "last_message_date_sent": 1567971414,
        "last_message_id": "5d755856a0eb47411e0b72a9",
        "last_message_user_id": 96753878,
        "name": name,
        "occupants_ids": [96753878, 96754523, 96830631],
        "photo": "68123",
        "type": 2,
        "updated_at": "2019-09-08T19:36:54Z",
        "user_id": 96753878,
        "xmpp_room_jid": format!("76730_{id}@muc.chat.quickblox.com"),
        "unread_messages_count": 0
    })
}

fn page(total: usize, skip: usize, limit: usize, items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"total_entries": total, "skip": skip, "limit": limit, "items": items})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_sends_the_typed_filters_and_prints_one_page() {
    let items = vec![
        dialog_json(ID_A, "New Year party"),
        dialog_json(ID_B, "Daniel's\u{1b}[2J birthday"),
    ];
    let (base_url, log) = canned(200, page(6, 0, 2, items)).await;
    let args = [
        "list",
        "--type",
        "group,public",
        "--name-contains",
        "party & more",
        "--updated-after",
        "1556829805",
        "--created-before",
        "1600000000",
        "--occupants-all",
        "96753878, 96754523",
        "--data",
        "class_name=CoolDialog",
        "--data",
        "category=friends",
        "--sort-desc",
        "last_message_date_sent",
        "--limit",
        "2",
    ];
    let output = run(&base_url, &args, &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    assert_eq!(
        requests(&log)[0].target,
        "GET /chat/Dialog.json?created_at[lt]=1600000000&data[category]=friends&data[class_name]=CoolDialog\
         &limit=2&name[ctn]=party+%26+more&occupants_ids[all]=96753878,96754523&sort_desc=last_message_date_sent\
         &type[in]=2,1&updated_at[gt]=1556829805"
    );
    assert_eq!(requests(&log)[0].header("qb-token"), Some(TOKEN));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed.as_array().map(Vec::len),
        Some(2),
        "JSON output is the list of dialogs"
    );
    insta::assert_snapshot!("list_page_json", text(&output.stdout));

    let table = [&args[..], &["--output", "table"]].concat();
    let output = run(&base_url, &table, &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    let stdout = text(&output.stdout);
    assert!(!stdout.chars().any(|c| c.is_control() && c != '\n'), "{stdout:?}");
    insta::assert_snapshot!("list_page_table", stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_all_walks_every_page_with_the_api_key() {
    let (base_url, log) = stub(|target| {
        let skip: usize = target
            .split_once("skip=")
            .map_or(0, |(_, rest)| rest.split('&').next().unwrap().parse().unwrap());
        let ids = [
            "5d75393ba28f9a17e1cb0f9e",
            "5d753421a28f9a2596cb0f98",
            ID_A,
            ID_B,
            "5d7562d4a2123a1694cb0f9b",
        ];
        let items = ids
            .iter()
            .skip(skip)
            .take(2)
            .map(|id| dialog_json(id, "Party"))
            .collect();
        (200, page(5, skip, 2, items).to_string())
    })
    .await;
    let output = run(
        &base_url,
        &[
            "list",
            "--all",
            "--limit",
            "2",
            "--type",
            "group",
            "--on-behalf-of",
            "123",
            "--output",
            "table",
        ],
        &[("QB_API_KEY", API_KEY)],
    )
    .await;
    assert_exit(&output, 0);
    let targets: Vec<String> = requests(&log).into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "GET /chat/Dialog.json?limit=2&type=2",
            "GET /chat/Dialog.json?limit=2&skip=2&type=2",
            "GET /chat/Dialog.json?limit=2&skip=4&type=2",
        ]
    );
    assert!(
        requests(&log).iter().all(|r| r.header("on-behalf-of") == Some("123")
            && r.header("authorization") == Some(&format!("ApiKey {API_KEY}")))
    );
    insta::assert_snapshot!("list_all_table", text(&output.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_count_prints_the_number() {
    let (base_url, log) = canned(200, serde_json::json!({"items": {"count": 6}})).await;
    for output_flag in ["json", "table"] {
        let output = run(
            &base_url,
            &["list", "--count", "--type", "private", "--output", output_flag],
            &[("QB_TOKEN", TOKEN)],
        )
        .await;
        assert_exit(&output, 0);
        assert_eq!(text(&output.stdout), "6\n");
    }
    assert_eq!(requests(&log)[0].target, "GET /chat/Dialog.json?count=1&type=3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_the_dialog() {
    let (base_url, log) = canned(200, dialog_json(ID_A, "New Year party")).await;
    let output = run(
        &base_url,
        &["get", ID_A, "--on-behalf-of", "123", "--output", "table"],
        &[("QB_API_KEY", API_KEY)],
    )
    .await;
    assert_exit(&output, 0);
    let request = &requests(&log)[0];
    assert_eq!(request.target, format!("GET /chat/Dialog/{ID_A}.json"));
    assert_eq!(request.header("on-behalf-of"), Some("123"));
    insta::assert_snapshot!("get_table", text(&output.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_sends_each_change_and_prints_the_dialog() {
    let (base_url, log) = canned(200, dialog_json(ID_A, "New Year 2020 party")).await;
    let args = [
        "update",
        ID_A,
        "--name",
        "New Year 2020 party",
        "--photo",
        "68124",
        "--data-class",
        "CoolDialog",
        "--data",
        "category=friends",
        "--add-occupants",
        "91375295,96705448",
        "--remove-occupants",
        "5",
        "--add-admins",
        "96754523",
        "--remove-admins",
        "7, 8",
        "--owner",
        "96754523",
    ];
    let output = run(&base_url, &args, &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    let request = &requests(&log)[0];
    assert_eq!(request.target, format!("PUT /chat/Dialog/{ID_A}.json"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&request.body).unwrap(),
        serde_json::json!({
            "name": "New Year 2020 party",
            "photo": "68124",
            "data": {"class_name": "CoolDialog", "category": "friends"},
            "push_all": {"occupants_ids": [91375295, 96705448], "admin_ids": [96754523]},
            "pull_all": {"occupants_ids": [5], "admin_ids": [7, 8]},
            "user_id": 96754523
        })
    );
    insta::assert_snapshot!("update_json", text(&output.stdout));

    // The vendor's one-change recipes send only that change.
    for (flags, body) in [
        (
            vec!["--remove-occupants", "91375295,96705448"],
            serde_json::json!({"pull_all": {"occupants_ids": [91375295, 96705448]}}),
        ),
        (
            vec!["--add-admins", "96754523"],
            serde_json::json!({"push_all": {"admin_ids": [96754523]}}),
        ),
    ] {
        let (base_url, log) = canned(200, dialog_json(ID_A, "x")).await;
        let args = [&["update", ID_A][..], &flags].concat();
        assert_exit(&run(&base_url, &args, &[("QB_TOKEN", TOKEN)]).await, 0);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&requests(&log)[0].body).unwrap(),
            body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_joins_the_ids_and_prints_each_outcome() {
    let (base_url, log) = canned(
        200,
        serde_json::json!({"SuccessfullyDeleted": {"ids": [ID_A]}, "WrongPermissions": {"ids": [ID_B]}}),
    )
    .await;
    let output = run(
        &base_url,
        &["delete", ID_A, ID_B, "--force", "--output", "table"],
        &[("QB_TOKEN", TOKEN)],
    )
    .await;
    assert_exit(&output, 1);
    assert_eq!(
        requests(&log)[0].target,
        format!("DELETE /chat/Dialog/{ID_A},{ID_B}.json?force=1")
    );
    assert_eq!(
        text(&output.stderr),
        format!("qb-dialog: 1 of 2 ids not deleted: {ID_B} (wrong permissions)\n")
    );
    insta::assert_snapshot!("delete_table", text(&output.stdout));

    let (base_url, log) = canned(200, serde_json::json!({"SuccessfullyDeleted": {"ids": [ID_A, ID_B]}})).await;
    let output = run(&base_url, &["delete", ID_A, ID_B], &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    assert_eq!(
        requests(&log)[0].target,
        format!("DELETE /chat/Dialog/{ID_A},{ID_B}.json")
    );
    insta::assert_snapshot!("delete_json", text(&output.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_may_have_happened_says_so_and_a_read_does_not() {
    let (base_url, _) = hostile(|mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let host = base_url.trim_start_matches("http://").to_string();
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["update", ID_A, "--name", "x"],
            "; the dialog may have been changed: look before you retry",
        ),
        (
            vec!["delete", ID_A],
            "; the dialogs may have been deleted: look before you retry",
        ),
        (vec!["get", ID_A], ""),
        (vec!["list"], ""),
    ];
    for (args, maybe) in cases {
        let args = [&args[..], &["--timeout", "0.5"]].concat();
        let output = run(&base_url, &args, &[("QB_TOKEN", TOKEN)]).await;
        assert_exit(&output, 1);
        assert_eq!(
            text(&output.stderr),
            format!("qb-dialog: sent the request to {host}, but no answer came within 0.5 s{maybe}\n"),
            "{args:?}"
        );
    }
    // An API error names the status and each message, whatever the subcommand.
    let (base_url, _) = canned(404, serde_json::json!({"errors": ["Not found"]})).await;
    let output = run(&base_url, &["get", ID_A], &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 1);
    assert_eq!(
        redact(&text(&output.stderr)),
        "qb-dialog: 127.0.0.1:[port] refused the request with 404 Not Found\n  Not found\n"
    );
}

#[test]
fn bad_ids_and_filter_values_are_refused_naming_the_flag() {
    let token = [("QB_TOKEN", TOKEN)];
    let cases: [(&str, Vec<&str>, &str); 13] = [
        (
            "get_bad_id",
            vec!["get", "5D75626EA28F9A1490CB0F98"],
            "ID expects a dialog id",
        ),
        (
            "update_bad_id",
            vec!["update", "x", "--name", "n"],
            "ID expects a dialog id",
        ),
        ("update_nothing", vec!["update", ID_A], "nothing to change"),
        (
            "update_bad_ids",
            vec!["update", ID_A, "--add-occupants", "1,x"],
            "--add-occupants expects",
        ),
        (
            "delete_bad_second_id",
            vec!["delete", ID_A, "bad"],
            "ID: dialog id 2 (\"bad\")",
        ),
        ("delete_no_id", vec!["delete"], "<ID>..."),
        (
            "list_bad_type",
            vec!["list", "--type", "group,secret"],
            "--type expects private, group or public",
        ),
        (
            "list_bad_time",
            vec!["list", "--updated-after", "soon"],
            "--updated-after <UNIX>",
        ),
        ("list_bad_limit", vec!["list", "--limit", "0"], "--limit <N>"),
        (
            "list_bad_occupants",
            vec!["list", "--occupants-all", "1;2"],
            "--occupants-all expects",
        ),
        (
            "list_bad_data",
            vec!["list", "--data", "category"],
            "--data expects FIELD=VALUE",
        ),
        (
            "list_bad_sort",
            vec!["list", "--sort-desc", "owner"],
            "--sort-desc <FIELD>",
        ),
        ("list_all_and_count", vec!["list", "--all", "--count"], "--all"),
    ];
    for (name, args, expected) in cases {
        let output = qb_dialog(&args, &token);
        assert_exit(&output, 2);
        assert_eq!(text(&output.stdout), "", "{name}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        insta::assert_snapshot!(format!("usage_{name}"), stderr);
    }
}

#[test]
fn each_new_subcommand_has_its_help() {
    for subcommand in ["list", "get", "update", "delete"] {
        let output = qb_dialog(&[subcommand, "--help"], &[]);
        assert_exit(&output, 0);
        let stdout = text(&output.stdout);
        assert!(stdout.contains("QB_API_KEY"), "{subcommand}: {stdout}");
        insta::assert_snapshot!(format!("{subcommand}_help"), stdout);
    }
}

/// Every subcommand against the mock, which keeps state: what `create` made, `get` and `list` show, `update`
/// changes, and `delete` removes, for the owner and for another occupant, with the exit codes a script relies on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_subcommand_works_against_the_mock() {
    const OTHER_TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
    const OTHER: i64 = 102433721;
    let server = MockServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![(TOKEN.to_string(), USER), (OTHER_TOKEN.to_string(), OTHER)],
        ..Config::default()
    })
    .await
    .unwrap();
    let base = server.base_url();
    let owner = [("QB_TOKEN", TOKEN)];
    let other = [("QB_TOKEN", OTHER_TOKEN)];
    let json = |output: &Output| -> serde_json::Value { serde_json::from_slice(&output.stdout).unwrap() };

    let created = run(
        &base,
        &[
            "create",
            "--type",
            "group",
            "--name",
            "Party",
            "--occupants",
            &OTHER.to_string(),
        ],
        &owner,
    )
    .await;
    assert_exit(&created, 0);
    let id = json(&created)["_id"].as_str().unwrap().to_string();

    let got = run(&base, &["get", &id], &other).await;
    assert_exit(&got, 0);
    assert_eq!(json(&got)["name"], "Party");

    let renamed = run(&base, &["update", &id, "--name", "After party"], &owner).await;
    assert_exit(&renamed, 0);
    assert_eq!(json(&renamed)["name"], "After party");

    let listed = run(&base, &["list", "--type", "group", "--name-contains", "After"], &other).await;
    assert_exit(&listed, 0);
    let ids: Vec<String> = json(&listed)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, std::slice::from_ref(&id));
    let counted = run(&base, &["list", "--count"], &other).await;
    assert_exit(&counted, 0);
    assert_eq!(text(&counted.stdout).trim(), "1");

    // The occupant may not rename the owner's group, nor delete it for everyone.
    let refused = run(&base, &["update", &id, "--name", "Mine"], &other).await;
    assert_exit(&refused, 1);
    assert!(text(&refused.stderr).contains("403"), "{}", text(&refused.stderr));
    let forced = run(&base, &["delete", &id, "--force"], &other).await;
    assert_exit(&forced, 1);

    // Without --force the occupant removes it from their own list only; the owner still sees it.
    let removed = run(&base, &["delete", &id], &other).await;
    assert_exit(&removed, 0);
    let gone = run(&base, &["get", &id], &other).await;
    assert_exit(&gone, 1);
    assert!(text(&gone.stderr).contains("404"), "{}", text(&gone.stderr));
    assert_exit(&run(&base, &["get", &id], &owner).await, 0);

    // The owner deletes it for everyone.
    assert_exit(&run(&base, &["delete", &id, "--force"], &owner).await, 0);
    assert_exit(&run(&base, &["get", &id], &owner).await, 1);
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------------------------
// Retries and traces, against a server that fails on purpose.
// ---------------------------------------------------------------------------------------------------------------

/// A server whose n-th request gets `answers[n]` (the last again once they run out), each on a connection it then
/// closes; an empty answer resets the connection instead, before a byte of answer. Returns its base URL and the count.
async fn sequence(answers: Vec<String>) -> (String, Arc<AtomicUsize>) {
    let answers = Arc::new(answers);
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let (base_url, _) = hostile(move |mut stream| {
        let (answers, counter) = (Arc::clone(&answers), Arc::clone(&counter));
        async move {
            if read_request(&mut stream).await.is_empty() {
                return;
            }
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let answer = &answers[n.min(answers.len() - 1)];
            if answer.is_empty() {
                let _ = stream.set_zero_linger();
                return;
            }
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    (base_url, count)
}

/// An answer with `status`, extra header lines and a JSON body, on a connection that closes after it.
fn answer(status: u16, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\nconnection: close\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn unavailable() -> String {
    answer(503, "", r#"{"errors":["try again"]}"#)
}

fn found() -> String {
    answer(200, "", &dialog_json(ID_A, "x").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_worth_retrying_are_ridden_out_by_default() {
    let slow_down = answer(429, "retry-after: 2\r\n", r#"{"errors":["slow down"]}"#);
    let cases = [
        (
            "two 503s",
            vec![unavailable(), unavailable(), found()],
            3,
            Duration::ZERO,
        ),
        (
            "a 429 with Retry-After: 2",
            vec![slow_down, found()],
            2,
            Duration::from_secs(2),
        ),
        (
            "a reset before any answer",
            vec![String::new(), found()],
            2,
            Duration::ZERO,
        ),
    ];
    for (case, answers, sent, at_least) in cases {
        let (base_url, count) = sequence(answers).await;
        let started = Instant::now();
        let output = run(&base_url, &["get", ID_A], &[("QB_TOKEN", TOKEN)]).await;
        let took = started.elapsed();
        assert_exit(&output, 0);
        assert!(text(&output.stdout).contains(ID_A), "{case}");
        assert_eq!(count.load(Ordering::SeqCst), sent, "{case}");
        assert!(took >= at_least, "{case}: took {took:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hour_of_retry_after_fails_within_seconds_saying_why() {
    let (base_url, count) = sequence(vec![answer(
        429,
        "retry-after: 3600\r\n",
        r#"{"errors":["slow down"]}"#,
    )])
    .await;
    let started = Instant::now();
    let output = run(&base_url, &["get", ID_A], &[("QB_TOKEN", TOKEN)]).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_exit(&output, 1);
    assert_eq!(
        redact(&text(&output.stderr)),
        "qb-dialog: 127.0.0.1:[port]: the server is rate limiting (429 Too Many Requests) and asked to wait 3600 s \
         (Retry-After), longer than the client waits (60 s); try again later\n"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_answered_500_is_sent_exactly_once() {
    let (base_url, count) = sequence(vec![answer(500, "", r#"{"errors":["oops"]}"#)]).await;
    let (output, _) = create_at(&base_url, &[], &[]).await;
    assert_exit(&output, 1);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_0_sends_once() {
    let (base_url, count) = sequence(vec![unavailable(), found()]).await;
    let output = run(&base_url, &["get", ID_A, "--retries", "0"], &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 1);
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let (base_url, count) = sequence(vec![unavailable(), unavailable(), unavailable(), found()]).await;
    let output = run(&base_url, &["get", ID_A, "--retries", "3"], &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_shows_each_attempt_and_never_a_secret() {
    const NAME: &str = "Secret party name";
    for (flag, env) in [(Some("--verbose"), None), (None, Some("quickblox_dialog=debug"))] {
        let (base_url, _) = sequence(vec![unavailable(), found()]).await;
        let mut args = vec!["update", ID_A, "--name", NAME];
        args.extend(flag);
        let mut vars = vec![("QB_API_KEY", API_KEY)];
        vars.extend(env.map(|filter| ("RUST_LOG", filter)));
        args.extend(["--on-behalf-of", "7"]);
        let output = run(&base_url, &args, &vars).await;
        assert_exit(&output, 0);
        let stderr = text(&output.stderr);
        for expected in [
            "operation=\"update_dialog\"",
            "method=PUT",
            "path=\"/chat/Dialog/{chat_dialog_id}.json\"",
            "attempt=1 status=503",
            "retrying",
            "attempt=2 status=200",
            "attempts=2 status=200",
            "duration_ms=",
        ] {
            assert!(
                stderr.contains(expected),
                "{flag:?} {env:?}: no {expected} in\n{stderr}"
            );
        }
        for secret in [API_KEY, NAME, ID_A] {
            assert!(!stderr.contains(secret), "{flag:?} {env:?}: {secret} in\n{stderr}");
        }
    }
    // Without either, nothing is traced.
    let (base_url, _) = sequence(vec![unavailable(), found()]).await;
    let output = run(&base_url, &["get", ID_A], &[("QB_TOKEN", TOKEN)]).await;
    assert_exit(&output, 0);
    assert_eq!(text(&output.stderr), "");
}

/// A 3 MiB create against the mock's 64 KiB bound is answered 413, every time: the mock reads the body before it
/// answers and closes, so the client, still writing, never sees a broken pipe instead of the answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_is_answered_413_not_a_broken_pipe() {
    use quickblox_dialog::types::{CreateDialogRequest, CustomData};
    let server = server().await;
    let client = quickblox_dialog::Client::with_session_token(&server.base_url(), TOKEN).unwrap();
    let mut extra = serde_json::Map::new();
    extra.insert("blob".into(), "x".repeat(3 * 1024 * 1024).into());
    let request = CreateDialogRequest {
        data: Some(CustomData {
            class_name: "C".try_into().unwrap(),
            extra,
        }),
        ..CreateDialogRequest::new(quickblox_dialog::DialogType::Group)
    };
    for attempt in 0..7 {
        let err = client.create_dialog().body(request.clone()).send().await.unwrap_err();
        assert_eq!(
            err.status().map(|status| status.as_u16()),
            Some(413),
            "attempt {attempt}: {}",
            quickblox_dialog::ApiError::from(err)
        );
    }
}
