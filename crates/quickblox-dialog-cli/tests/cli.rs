//! `qb-dialog` run as a process against the mock server on loopback: every vendor recipe, every error path, and its output pinned with insta.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use quickblox_dialog_mock::{Config, MockServer};

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
    for name in ["QB_TOKEN", "QB_API_KEY", "QB_BASE_URL"] {
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
            .take_while(|c| c.is_ascii_digit() || ('a'..='f').contains(c))
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
    assert!(text(&output.stderr).starts_with("qb-dialog mock: --token expects TOKEN:USER_ID, got \"x\""));
    let output = qb_dialog(&["mock", "--help"], &[]);
    assert_exit(&output, 0);
    assert!(text(&output.stdout).starts_with("usage: qb-dialog mock [--listen ADDR]"));
}

#[test]
fn redaction_covers_ids_times_and_ports() {
    assert_eq!(
        redact("\"_id\": \"5e261c72a28f9a4f779f10bb\", \"at\": \"2020-01-20T21:32:34Z\", 127.0.0.1:8080/x, deadbeef"),
        "\"_id\": \"[dialog id]\", \"at\": \"[time]\", 127.0.0.1:[port]/x, deadbeef"
    );
    assert_eq!(redact("76730_5d75e1cfa28f9a3a6e000014@muc"), "76730_[dialog id]@muc");
}
