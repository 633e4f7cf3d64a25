//! The `quickblox-dialog-mock` binary as a process: what it prints, that it serves what it prints, and that Ctrl-C stops it cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn mock(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_quickblox-dialog-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting quickblox-dialog-mock")
}

/// Waits for `child` to exit, killing it after `limit` so that a hung server cannot hang the test run.
fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn it_prints_its_address_and_fresh_credentials_serves_them_and_stops_on_ctrl_c() {
    let mut child = mock(&["--listen", "127.0.0.1:0"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    let base_url = lines[0]
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {:?}", lines[0]));
    assert!(
        base_url.starts_with("http://127.0.0.1:") && !base_url.ends_with(":0"),
        "{base_url}"
    );
    let (token, user) = lines[1]
        .strip_prefix("token ")
        .and_then(|rest| rest.rsplit_once(':'))
        .unwrap();
    assert_eq!((token.len(), user), (40, "1001"), "{:?}", lines[1]);
    let key = lines[2].strip_prefix("api-key ").unwrap();
    assert_eq!(key.len(), 48, "{:?}", lines[2]);

    let client = reqwest::Client::new();
    let url = format!("{base_url}/chat/Dialog.json");
    let by_token = client
        .post(&url)
        .header("qb-token", token)
        .body(r#"{"type":1,"name":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), 201);
    let by_key = client
        .post(&url)
        .header("authorization", format!("ApiKey {key}"))
        .header("on-behalf-of", "7")
        .body(r#"{"type":1,"name":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(by_key.status(), 201);

    // Ctrl-C is SIGINT to the process.
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = wait(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status}");
}

#[test]
fn given_credentials_are_printed_instead_of_random_ones() {
    let mut child = mock(&[
        "--listen",
        "127.0.0.1:0",
        "--token",
        "T1:5",
        "--token",
        "T2:6",
        "--api-key",
        "K",
    ]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(lines[1..], ["token T1:5", "token T2:6", "api-key K"]);
}

#[test]
fn bad_usage_exits_2_with_the_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_quickblox-dialog-mock"))
        .args(["--token", "no-user"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("quickblox-dialog-mock: --token expects TOKEN:USER_ID, got \"no-user\"\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("usage: quickblox-dialog-mock [--listen ADDR]"),
        "{stderr}"
    );
    let help = Command::new(env!("CARGO_BIN_EXE_quickblox-dialog-mock"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8(help.stdout).unwrap().contains("--rate-limit N"));
}

#[test]
fn a_busy_address_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_quickblox-dialog-mock"))
        .args(["--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("quickblox-dialog-mock: listening on {addr}: ")),
        "{stderr}"
    );
}
