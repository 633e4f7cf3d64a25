//! The `quickblox-dialog-mock` binary as a process: what it prints, that it serves what it prints, that stalled clients are cut off, that Ctrl-C stops it promptly whatever the clients do, and that `--seed` repeats its answers byte for byte.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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
        stderr.starts_with("error: invalid value 'no-user' for '--token <TOKEN:USER_ID>': expects TOKEN:USER_ID\n"),
        "{stderr}"
    );
    assert!(stderr.contains("try '--help'"), "{stderr}");
    let help = Command::new(env!("CARGO_BIN_EXE_quickblox-dialog-mock"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("Usage: quickblox-dialog-mock [OPTIONS]"), "{help}");
    assert!(help.contains("--rate-limit <N>"), "{help}");
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

/// Starts the binary with `args` and returns it with the address from its first line; standard output is closed
/// after that line, as `| head -1` would, which must not stop the server.
fn started(args: &[&str]) -> (Child, String) {
    let mut child = mock(args);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    (child, addr)
}

/// Connects to `addr` and sends `bytes`, leaving the connection open.
fn open_with(addr: &str, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(bytes).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    stream
}

/// Reads until the server closes the connection; returns what it sent and how long that took.
fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let start = Instant::now();
    let mut received = Vec::new();
    stream
        .read_to_end(&mut received)
        .expect("the server closes the connection before the 15 s guard");
    (String::from_utf8_lossy(&received).into_owned(), start.elapsed())
}

const PARTIAL_HEADERS: &[u8] = b"POST /chat/Dialog.json HTTP/1.1\r\nhost: x\r\nqb-tok";
const SHORT_BODY: &[u8] =
    b"POST /chat/Dialog.json HTTP/1.1\r\nhost: x\r\nqb-token: t\r\ncontent-length: 50\r\n\r\n{\"type\":";

#[test]
fn stalled_connections_are_closed_after_the_read_timeout() {
    let (mut child, addr) = started(&["--listen", "127.0.0.1:0", "--token", "t:1001", "--read-timeout", "1"]);
    let mut headers = open_with(&addr, PARTIAL_HEADERS);
    let mut body = open_with(&addr, SHORT_BODY);
    let mut idle = open_with(&addr, b"");
    let (answer, waited) = read_until_closed(&mut headers);
    // hyper gives up on headers that do not arrive in time by closing the connection, without an answer.
    assert_eq!(answer, "", "partial headers");
    assert!(
        waited >= Duration::from_millis(800) && waited < Duration::from_secs(5),
        "partial headers: {waited:?}"
    );
    let (answer, waited) = read_until_closed(&mut body);
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    assert!(
        answer.ends_with(r#"{"errors":["Request Timeout: the body did not arrive within 1 s"]}"#),
        "{answer}"
    );
    assert!(waited < Duration::from_secs(5), "short body: {waited:?}");
    let (answer, waited) = read_until_closed(&mut idle);
    assert_eq!(answer, "", "a connection that never sends a byte");
    assert!(waited < Duration::from_secs(5), "idle: {waited:?}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn ctrl_c_ends_the_process_promptly_whatever_the_clients_do() {
    // A read timeout far beyond the test: only the shutdown deadline can end these connections.
    let (mut child, addr) = started(&["--listen", "127.0.0.1:0", "--token", "t:1001", "--read-timeout", "600"]);
    let mut stalled = [
        open_with(&addr, PARTIAL_HEADERS),
        open_with(&addr, SHORT_BODY),
        open_with(&addr, b""),
    ];
    // A kept-alive connection that has had its answer and now sits idle.
    let mut kept_alive = open_with(
        &addr,
        b"POST /chat/Dialog.json HTTP/1.1\r\nhost: x\r\nqb-token: t\r\ncontent-length: 10\r\n\r\n{\"type\":1}",
    );
    let mut first = [0u8; 12];
    kept_alive.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 201");
    // Let the server read what was sent, so that every connection is really in the state it is named after.
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = wait(&mut child, Duration::from_secs(10));
    let took = start.elapsed();
    assert!(status.success(), "{status}");
    // SHUTDOWN_GRACE (2 s) plus the time to exit.
    assert!(took < Duration::from_secs(4), "Ctrl-C took {took:?}");
    for stream in stalled.iter_mut().chain([&mut kept_alive]) {
        let (_, waited) = read_until_closed(stream);
        assert!(
            waited < Duration::from_secs(1),
            "the connection was closed with the process"
        );
    }
}

#[test]
fn a_seed_makes_two_processes_answer_byte_for_byte_alike() {
    let requests: Vec<Vec<u8>> = [
        r#"{"type":2,"name":"New Year party","occupants_ids":"96831397, 96831328"}"#,
        r#"{"type":3,"occupants_ids":[96831397]}"#,
        r#"{"type":3,"occupants_ids":[96831397]}"#,
        r#"{"type":4}"#,
        r#"{"type":1,"name":"Soccer news","photo":"67834"}"#,
    ]
    .iter()
    .map(|body| {
        format!(
            "POST /chat/Dialog.json HTTP/1.1\r\nhost: x\r\nqb-token: t\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    })
    .chain([b"PATCH /chat/Dialog.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n".to_vec()])
    .collect();
    let answers = |seed: &str| {
        let (mut child, addr) = started(&["--listen", "127.0.0.1:0", "--token", "t:1001", "--seed", seed]);
        // One connection, one request at a time: the sequence is what the seed makes reproducible.
        let mut stream = open_with(&addr, b"");
        let mut all = Vec::new();
        for request in &requests {
            stream.write_all(request).unwrap();
            all.push(read_one_response(&mut stream));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        all
    };
    let (first, second, other) = (answers("42"), answers("42"), answers("43"));
    assert_eq!(
        first, second,
        "the same seed and requests give the same bytes, Date included"
    );
    assert_ne!(first, other);
    assert!(first[0].starts_with("HTTP/1.1 201 Created\r\n"), "{}", first[0]);
    assert!(
        first[0].contains("date: Mon, 20 Jan 2020 21:32:34 GMT\r\n"),
        "{}",
        first[0]
    );
    assert!(
        first[0].contains(r#""created_at":"2020-01-20T21:32:34Z""#),
        "{}",
        first[0]
    );
    assert_eq!(
        first[1],
        first[2].replace("21:32:36 GMT", "21:32:35 GMT"),
        "the repeated private dialog"
    );
    assert!(first[3].starts_with("HTTP/1.1 422 "), "{}", first[3]);
    assert!(first[5].starts_with("HTTP/1.1 405 "), "{}", first[5]);
}

/// Reads one HTTP/1.1 answer with a `content-length` from `stream`.
fn read_one_response(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .map(|value| value.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8(body).unwrap()
}

#[tokio::test]
async fn a_proxy_process_says_where_it_relays_and_reports_mismatches_on_stderr() {
    let upstream = quickblox_dialog_mock::MockServer::start(quickblox_dialog_mock::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![("t".to_string(), 1001)],
        ..quickblox_dialog_mock::Config::default()
    })
    .await
    .unwrap();
    let mut child = mock(&["--listen", "127.0.0.1:0", "--proxy", &upstream.base_url()]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = [String::new(), String::new()];
    for line in &mut lines {
        stdout.read_line(line).unwrap();
    }
    let base_url = lines[0].trim_end().strip_prefix("listening on ").unwrap().to_string();
    assert_eq!(
        lines[1].trim_end(),
        format!("proxying to {}", upstream.base_url()),
        "no credentials are made up"
    );
    // An unknown field: the upstream refuses it with 422, which the proxy relays and reports as the request's fault.
    let response = reqwest::Client::new()
        .post(format!("{base_url}/chat/Dialog.json"))
        .header("qb-token", "t")
        .body(r#"{"type":2,"colour":"red"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(wait(&mut child, Duration::from_secs(5)).success());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(
        stderr,
        "contract mismatch: POST /chat/Dialog.json: request /body: colour is not a field of this object\n"
    );
    upstream.shutdown().await;
}
