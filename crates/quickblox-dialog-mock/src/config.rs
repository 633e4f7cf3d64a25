//! The mock server's settings, and the command-line flags that set them (shared by `quickblox-dialog-mock` and `qb-dialog mock`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use clap::Args;

/// How the mock server behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Accepted session tokens, each with the id of the user it belongs to.
    pub tokens: Vec<(String, i64)>,
    /// Accepted API keys.
    pub api_keys: Vec<String>,
    /// The application id in `xmpp_room_jid`.
    pub app_id: u64,
    /// The chat host in `xmpp_room_jid`.
    pub chat_host: String,
    /// The users that exist, when a directory is configured; the token users and `On-Behalf-Of` users are added.
    pub users: Option<BTreeSet<i64>>,
    /// Requests per second allowed per credential.
    pub rate_limit: Option<NonZeroU32>,
    /// The largest request body read.
    pub max_body_bytes: usize,
    /// How long a request's headers, and then its body, may take to arrive.
    pub read_timeout: Duration,
    /// How many dialogs the store keeps; the oldest is forgotten first.
    pub max_dialogs: usize,
    /// With a seed, ids and timestamps are the same from run to run for the same sequence of requests.
    pub seed: Option<u64>,
    /// With an upstream (`http://host:port`, optionally with a path prefix), the mock serves nothing itself: it
    /// checks each request and response against the spec, reports every mismatch, and relays both unchanged.
    pub proxy: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tokens: Vec::new(),
            api_keys: Vec::new(),
            app_id: 76730,
            chat_host: "chat.quickblox.com".to_string(),
            users: None,
            rate_limit: None,
            max_body_bytes: 64 * 1024,
            read_timeout: Duration::from_secs(10),
            // About 85 MB resident when full of group dialogs, 120 MB after minutes at saturation
            // (docs/benchmarks.md): unnoticed on a laptop, and a ceiling on a shared host, where before the store
            // grew by about 680 bytes per request for good.
            max_dialogs: 100_000,
            seed: None,
            proxy: None,
        }
    }
}

/// The mock's command-line flags, one definition for `quickblox-dialog-mock` and `qb-dialog mock`; each value is
/// checked as it is read, so that a bad one is refused with its flag named, and `Config::from` cannot fail.
///
/// The defaults here are `Config::default()`'s, written out so that `--help` shows them; a test holds the two equal.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
#[command(
    about = "Serves QuickBlox's Chat Dialog API (create, list, get, update, delete), as openapi/dialog.yaml describes it",
    long_about = None,
    after_help = "Without --token and --api-key, it makes a random one of each and prints them."
)]
pub struct MockArgs {
    /// address to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080", value_parser = listen)]
    pub listen: SocketAddr,
    /// a session token it accepts, and the user it belongs to (may repeat)
    #[arg(long = "token", value_name = "TOKEN:USER_ID", value_parser = token)]
    pub tokens: Vec<(String, i64)>,
    /// an API key it accepts, used with On-Behalf-Of (may repeat)
    #[arg(long = "api-key", value_name = "KEY", value_parser = api_key)]
    pub api_keys: Vec<String>,
    /// the application id in xmpp_room_jid
    #[arg(long, value_name = "ID", default_value = "76730", allow_negative_numbers = true, value_parser = app_id)]
    pub app_id: u64,
    /// the chat host in xmpp_room_jid
    #[arg(long, value_name = "HOST", default_value = "chat.quickblox.com", value_parser = chat_host)]
    pub chat_host: String,
    /// the users that exist; occupants outside the list are refused (default: anyone; may repeat)
    #[arg(long, value_name = "ID,ID,...", value_delimiter = ',', value_parser = user_id)]
    pub users: Option<Vec<i64>>,
    /// requests per second each credential may send before 429 (default: no limit)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = rate_limit)]
    pub rate_limit: Option<NonZeroU32>,
    /// larger request bodies are refused with 413
    #[arg(long, value_name = "N", default_value = "65536", allow_negative_numbers = true, value_parser = positive)]
    pub max_body_bytes: usize,
    /// a request's headers, and then its body, must arrive within this time, or the connection is closed (headers)
    /// or answered 408 (body)
    #[arg(long, value_name = "SECONDS", default_value = "10", allow_negative_numbers = true, value_parser = read_timeout)]
    pub read_timeout: Duration,
    /// dialogs kept in memory; beyond it the oldest is forgotten first
    #[arg(long, value_name = "N", default_value = "100000", allow_negative_numbers = true, value_parser = positive)]
    pub max_dialogs: usize,
    /// reproducible ids and timestamps: a clock that starts at 2020-01-20T21:32:34Z and ticks one second per request
    /// (default: random ids, the system clock)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = seed)]
    pub seed: Option<u64>,
    /// check every request and response against the spec and relay both unchanged to and from this server, such as
    /// https://api.quickblox.com or http://127.0.0.1:9000; each mismatch is one line on stderr (default: serve the
    /// API itself)
    #[arg(long, value_name = "URL", value_parser = proxy)]
    pub proxy: Option<String>,
}

impl From<MockArgs> for Config {
    fn from(args: MockArgs) -> Self {
        Config {
            listen: args.listen,
            tokens: args.tokens,
            api_keys: args.api_keys,
            app_id: args.app_id,
            chat_host: args.chat_host,
            users: args.users.map(BTreeSet::from_iter),
            rate_limit: args.rate_limit,
            max_body_bytes: args.max_body_bytes,
            read_timeout: args.read_timeout,
            max_dialogs: args.max_dialogs,
            seed: args.seed,
            proxy: args.proxy,
        }
    }
}

// The value parsers: clap's error names the flag and the value, and adds what is said here. The numeric flags
// allow negative numbers so that `--seed -1` is refused as a bad value of `--seed`, not as an unknown flag `-1`.

fn listen(text: &str) -> Result<SocketAddr, String> {
    text.parse()
        .map_err(|_| "expects an address like 127.0.0.1:8080".to_string())
}

fn token(text: &str) -> Result<(String, i64), String> {
    let (token, user) = text
        .rsplit_once(':')
        .ok_or_else(|| "expects TOKEN:USER_ID".to_string())?;
    let user = user_id(user).map_err(|_| "expects TOKEN:USER_ID with a positive user id".to_string())?;
    if !is_header_token(token) {
        return Err("expects a token of visible ASCII characters".to_string());
    }
    Ok((token.to_string(), user))
}

fn api_key(text: &str) -> Result<String, String> {
    if !is_header_token(text) {
        return Err("expects a key of visible ASCII characters".to_string());
    }
    Ok(text.to_string())
}

fn app_id(text: &str) -> Result<u64, String> {
    text.parse().map_err(|_| "expects a number".to_string())
}

fn chat_host(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)) {
        return Err("expects a host name".to_string());
    }
    Ok(text.to_string())
}

fn user_id(text: &str) -> Result<i64, String> {
    text.trim()
        .parse()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| "expects positive user ids joined by commas".to_string())
}

fn rate_limit(text: &str) -> Result<NonZeroU32, String> {
    text.parse().map_err(|_| "expects a positive number".to_string())
}

fn positive(text: &str) -> Result<usize, String> {
    text.parse()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| "expects a positive number".to_string())
}

fn read_timeout(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|&seconds| seconds > 0.0 && seconds <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| "expects a number of seconds between 0 and 86400, like 10 or 0.5".to_string())
}

fn proxy(text: &str) -> Result<String, String> {
    proxy_target(text).map(|_| text.to_string())
}

/// An upstream URL split into its origin (`https://host[:port]` or `http://host:port`) and path prefix (without a
/// trailing `/`), with no query or fragment, which a request's own would have to be merged with.
pub(crate) fn proxy_target(text: &str) -> Result<(String, String), String> {
    let (scheme, rest) = text
        .strip_prefix("https://")
        .map(|rest| ("https", rest))
        .or_else(|| text.strip_prefix("http://").map(|rest| ("http", rest)))
        .ok_or_else(|| "expects an https:// or http:// URL, such as https://api.quickblox.com".to_string())?;
    if rest.contains(['?', '#']) {
        return Err("expects a URL without a query or fragment".to_string());
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.is_empty() || authority.contains('@') || authority.parse::<axum::http::uri::Authority>().is_err() {
        return Err("expects a host, such as https://api.quickblox.com or http://127.0.0.1:9000".to_string());
    }
    Ok((
        format!("{scheme}://{authority}"),
        path.trim_end_matches('/').to_string(),
    ))
}

fn seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| "expects a number from 0 to 2^64-1".to_string())
}

impl Config {
    /// Without any credential, adds a random session token (for user 1001) and a random API key, so that a server
    /// started with no flags is usable and still refuses strangers.
    pub fn with_random_credentials_if_none(mut self) -> Result<Self, String> {
        if self.tokens.is_empty() && self.api_keys.is_empty() {
            self.tokens.push((random_hex(20)?, 1001));
            self.api_keys.push(random_hex(24)?);
        }
        Ok(self)
    }

    /// The lines the server prints after `listening on ...`: the credentials it accepts, in the flags' own syntax.
    pub fn credential_lines(&self) -> String {
        let mut out = String::new();
        for (token, user) in &self.tokens {
            let _ = writeln!(out, "token {token}:{user}");
        }
        for key in &self.api_keys {
            let _ = writeln!(out, "api-key {key}");
        }
        out
    }
}

/// Whether `text` can be sent as a header value and compared byte for byte.
fn is_header_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic())
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|err| format!("reading random bytes from the operating system: {err}"))?;
    Ok(buffer.iter().fold(String::with_capacity(bytes * 2), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    /// The flags as a program of their own, as both binaries wrap them.
    #[derive(Parser, Debug)]
    #[command(name = "mock")]
    struct Cli {
        #[command(flatten)]
        args: MockArgs,
    }

    fn run(args: &[&str]) -> Result<Config, clap::Error> {
        let cli = Cli::try_parse_from(std::iter::once("mock").chain(args.iter().copied()))?;
        Ok(cli.args.into())
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_flags_give_the_default_config() {
        assert_eq!(run(&[]).unwrap(), Config::default());
    }

    #[test]
    fn the_issue_example_parses() {
        let config = run(&[
            "--listen",
            "127.0.0.1:0",
            "--token",
            "TOKEN:42",
            "--api-key",
            "KEY",
            "--api-key=KEY2",
            "--app-id",
            "76730",
        ])
        .unwrap();
        assert_eq!(config.listen, "127.0.0.1:0".parse().unwrap());
        assert_eq!(config.tokens, vec![("TOKEN".to_string(), 42)]);
        assert_eq!(config.api_keys, vec!["KEY".to_string(), "KEY2".to_string()]);
        assert_eq!(config.app_id, 76730);
        assert_eq!(config.credential_lines(), "token TOKEN:42\napi-key KEY\napi-key KEY2\n");
    }

    #[test]
    fn the_load_flags_parse() {
        let config = run(&["--read-timeout", "0.5", "--max-dialogs=3", "--seed", "42"]).unwrap();
        assert_eq!(config.read_timeout, Duration::from_millis(500));
        assert_eq!((config.max_dialogs, config.seed), (3, Some(42)));
        let defaults = run(&[]).unwrap();
        assert_eq!(defaults.read_timeout, Duration::from_secs(10));
        assert_eq!((defaults.max_dialogs, defaults.seed), (100_000, None));
    }

    #[test]
    fn the_proxy_takes_an_origin_and_a_path_prefix() {
        let config = run(&["--proxy", "http://127.0.0.1:9000/"]).unwrap();
        assert_eq!(config.proxy.as_deref(), Some("http://127.0.0.1:9000/"));
        assert_eq!(
            proxy_target("http://127.0.0.1:9000/").unwrap(),
            ("http://127.0.0.1:9000".to_string(), String::new())
        );
        assert_eq!(
            proxy_target("http://localhost:8080/v1/").unwrap(),
            ("http://localhost:8080".to_string(), "/v1".to_string())
        );
        // The real API: over TLS, on the default port.
        assert_eq!(
            proxy_target("https://api.quickblox.com").unwrap(),
            ("https://api.quickblox.com".to_string(), String::new())
        );
    }

    #[test]
    fn users_accumulate_across_flags() {
        let config = run(&["--users", "3, 1", "--users=2,3", "--rate-limit", "7"]).unwrap();
        assert_eq!(config.users, Some(BTreeSet::from([1, 2, 3])));
        assert_eq!(config.rate_limit, NonZeroU32::new(7));
    }

    #[test]
    fn bad_flags_are_named_with_their_value() {
        for (args, message) in [
            (
                &["--token", "nouser"][..],
                "invalid value 'nouser' for '--token <TOKEN:USER_ID>': expects TOKEN:USER_ID",
            ),
            (
                &["--token", "t:0"],
                "invalid value 't:0' for '--token <TOKEN:USER_ID>': expects TOKEN:USER_ID with a positive user id",
            ),
            (
                &["--token", "a b:1"],
                "invalid value 'a b:1' for '--token <TOKEN:USER_ID>': expects a token of visible ASCII characters",
            ),
            (
                &["--listen"],
                "a value is required for '--listen <ADDR>' but none was supplied",
            ),
            (
                &["--listen", "here"],
                "invalid value 'here' for '--listen <ADDR>': expects an address like 127.0.0.1:8080",
            ),
            (
                &["--chat-host", "a/b"],
                "invalid value 'a/b' for '--chat-host <HOST>': expects a host name",
            ),
            (
                &["--rate-limit", "0"],
                "invalid value '0' for '--rate-limit <N>': expects a positive number",
            ),
            (
                &["--users", "1,x"],
                "invalid value 'x' for '--users <ID,ID,...>': expects positive user ids joined by commas",
            ),
            (
                &["--read-timeout", "0"],
                "invalid value '0' for '--read-timeout <SECONDS>': expects a number of seconds between 0 and 86400, \
                 like 10 or 0.5",
            ),
            (
                &["--max-dialogs", "0"],
                "invalid value '0' for '--max-dialogs <N>': expects a positive number",
            ),
            (
                &["--max-body-bytes", "-5"],
                "invalid value '-5' for '--max-body-bytes <N>': expects a positive number",
            ),
            (
                &["--seed", "-1"],
                "invalid value '-1' for '--seed <N>': expects a number from 0 to 2^64-1",
            ),
            (
                &["--proxy", "ftp://api.quickblox.com"],
                "invalid value 'ftp://api.quickblox.com' for '--proxy <URL>': expects an https:// or http:// URL, \
                 such as https://api.quickblox.com",
            ),
            (
                &["--proxy", "http://"],
                "invalid value 'http://' for '--proxy <URL>': expects a host, such as https://api.quickblox.com or \
                 http://127.0.0.1:9000",
            ),
            (
                &["--proxy", "http://h:1/a?b"],
                "invalid value 'http://h:1/a?b' for '--proxy <URL>': expects a URL without a query or fragment",
            ),
            (&["--frobnicate"], "unexpected argument '--frobnicate' found"),
        ] {
            let err = run(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
            let text = err.to_string();
            assert!(text.starts_with(&format!("error: {message}")), "{args:?}: {text}");
        }
    }

    #[test]
    fn help_lists_every_flag_with_its_default() {
        let help = Cli::command().render_long_help().to_string();
        for (flag, default) in [
            ("--listen <ADDR>", "[default: 127.0.0.1:8080]"),
            ("--token <TOKEN:USER_ID>", "(may repeat)"),
            ("--api-key <KEY>", "(may repeat)"),
            ("--app-id <ID>", "[default: 76730]"),
            ("--chat-host <HOST>", "[default: chat.quickblox.com]"),
            ("--users <ID,ID,...>", "(default: anyone; may repeat)"),
            ("--rate-limit <N>", "(default: no limit)"),
            ("--max-body-bytes <N>", "[default: 65536]"),
            ("--read-timeout <SECONDS>", "[default: 10]"),
            ("--max-dialogs <N>", "[default: 100000]"),
            ("--seed <N>", "(default: random ids, the system clock)"),
            ("--proxy <URL>", "(default: serve the API itself)"),
        ] {
            let line = help.find(flag).unwrap_or_else(|| panic!("{flag} missing:\n{help}"));
            let next_flag = help[line + flag.len()..]
                .find("\n  -")
                .map_or(help.len(), |end| line + flag.len() + end);
            assert!(
                help[line..next_flag].contains(default),
                "{flag} without {default}:\n{help}"
            );
        }
        assert!(help.contains("Without --token and --api-key"), "{help}");
    }

    #[test]
    fn the_readme_lists_every_flag() {
        let readme = include_str!("../README.md");
        for arg in Cli::command().get_arguments() {
            let Some(long) = arg.get_long().filter(|long| !["help", "version"].contains(long)) else {
                continue;
            };
            assert!(
                readme.contains(&format!("| `--{long} ")),
                "README.md's flag table lacks --{long}"
            );
        }
    }

    #[test]
    fn random_credentials_only_without_any() {
        let config = Config::default().with_random_credentials_if_none().unwrap();
        assert_eq!(config.tokens.len(), 1);
        assert_eq!(config.tokens[0].0.len(), 40);
        assert_eq!(config.api_keys[0].len(), 48);
        let other = Config::default().with_random_credentials_if_none().unwrap();
        assert_ne!(config.tokens, other.tokens, "fresh each time");
        let given = run(&["--api-key", "k"])
            .unwrap()
            .with_random_credentials_if_none()
            .unwrap();
        assert!(given.tokens.is_empty());
        assert_eq!(given.api_keys, vec!["k".to_string()]);
    }
}
