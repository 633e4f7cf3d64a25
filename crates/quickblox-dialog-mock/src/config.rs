//! The mock server's settings, and the command-line flags that set them (shared by `quickblox-dialog-mock` and `qb-dialog mock`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// The usage text of the mock's flags; `{bin}` is replaced by the program name.
pub const USAGE: &str = "\
usage: {bin} [--listen ADDR] [--token TOKEN:USER_ID]... [--api-key KEY]... [--app-id ID]
       [--chat-host HOST] [--users ID,ID,...] [--rate-limit N] [--max-body-bytes N]
       [--read-timeout SECONDS] [--max-dialogs N] [--seed N]

Serves QuickBlox's POST /chat/Dialog.json on ADDR, as openapi/dialog.yaml describes it.

  --listen ADDR          address to listen on (default 127.0.0.1:8080; port 0 picks a free one)
  --token TOKEN:USER_ID  a session token it accepts, and the user it belongs to (may repeat)
  --api-key KEY          an API key it accepts, used with On-Behalf-Of (may repeat)
                         without --token and --api-key, it makes a random one of each and prints them
  --app-id ID            the application id in xmpp_room_jid (default 76730)
  --chat-host HOST       the chat host in xmpp_room_jid (default chat.quickblox.com)
  --users ID,ID,...      the users that exist; occupants outside the list are refused (default: anyone)
  --rate-limit N         requests per second each credential may send before 429 (default: no limit)
  --max-body-bytes N     larger request bodies are refused with 413 (default 65536)
  --read-timeout SECONDS a request's headers, and then its body, must arrive within this time, or the
                         connection is closed (headers) or answered 408 (body) (default 10)
  --max-dialogs N        dialogs kept in memory; beyond it the oldest is forgotten first (default 100000)
  --seed N               reproducible ids and timestamps: a clock that starts at 2020-01-20T21:32:34Z and
                         ticks one second per request (default: random ids, the system clock)
";

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
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the server with these settings.
    Run(Config),
    /// Print the usage text and stop.
    Help,
}

impl Config {
    /// Reads the flags in `args` (without the program name).
    pub fn from_args<I, S>(args: I) -> Result<Command, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut config = Config::default();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
                _ => (arg.clone(), None),
            };
            if flag == "--help" || flag == "-h" {
                return Ok(Command::Help);
            }
            let known = [
                "--listen",
                "--token",
                "--api-key",
                "--app-id",
                "--chat-host",
                "--users",
                "--rate-limit",
                "--max-body-bytes",
                "--read-timeout",
                "--max-dialogs",
                "--seed",
            ];
            if !known.contains(&flag.as_str()) {
                return Err(format!("unknown argument {arg:?}"));
            }
            let value = match inline {
                Some(value) => value,
                None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
            };
            let invalid = |what: &str| format!("{flag} expects {what}, got {value:?}");
            match flag.as_str() {
                "--listen" => config.listen = value.parse().map_err(|_| invalid("an address like 127.0.0.1:8080"))?,
                "--token" => {
                    let (token, user) = value.rsplit_once(':').ok_or_else(|| invalid("TOKEN:USER_ID"))?;
                    let user = parse_user_id(user).ok_or_else(|| invalid("TOKEN:USER_ID with a positive user id"))?;
                    if !is_header_token(token) {
                        return Err(invalid("a token of visible ASCII characters"));
                    }
                    config.tokens.push((token.to_string(), user));
                }
                "--api-key" => {
                    if !is_header_token(&value) {
                        return Err(invalid("a key of visible ASCII characters"));
                    }
                    config.api_keys.push(value.clone());
                }
                "--app-id" => config.app_id = value.parse().map_err(|_| invalid("a number"))?,
                "--chat-host" => {
                    if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)) {
                        return Err(invalid("a host name"));
                    }
                    config.chat_host = value.clone();
                }
                "--users" => {
                    let users = config.users.get_or_insert_with(BTreeSet::new);
                    for id in value.split(',') {
                        users.insert(parse_user_id(id).ok_or_else(|| invalid("positive user ids joined by commas"))?);
                    }
                }
                "--rate-limit" => config.rate_limit = Some(value.parse().map_err(|_| invalid("a positive number"))?),
                "--max-body-bytes" => {
                    config.max_body_bytes = value
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| invalid("a positive number"))?;
                }
                "--read-timeout" => {
                    config.read_timeout = value
                        .parse::<f64>()
                        .ok()
                        .filter(|&seconds| seconds > 0.0 && seconds <= 86_400.0)
                        .map(Duration::from_secs_f64)
                        .ok_or_else(|| invalid("a number of seconds between 0 and 86400, like 10 or 0.5"))?;
                }
                "--max-dialogs" => {
                    config.max_dialogs = value
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| invalid("a positive number"))?;
                }
                "--seed" => config.seed = Some(value.parse().map_err(|_| invalid("a number from 0 to 2^64-1"))?),
                _ => unreachable!("every known flag is handled"),
            }
        }
        Ok(Command::Run(config))
    }

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

fn parse_user_id(text: &str) -> Option<i64> {
    text.trim().parse().ok().filter(|&id| id > 0)
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

    fn run(args: &[&str]) -> Result<Config, String> {
        match Config::from_args(args.iter().copied())? {
            Command::Run(config) => Ok(config),
            Command::Help => Err("help".to_string()),
        }
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
    fn bad_flags_are_named() {
        for (args, message) in [
            (
                &["--token", "nouser"][..],
                "--token expects TOKEN:USER_ID, got \"nouser\"",
            ),
            (
                &["--token", "t:0"],
                "--token expects TOKEN:USER_ID with a positive user id, got \"t:0\"",
            ),
            (&["--listen"], "--listen needs a value"),
            (
                &["--listen", "here"],
                "--listen expects an address like 127.0.0.1:8080, got \"here\"",
            ),
            (
                &["--rate-limit", "0"],
                "--rate-limit expects a positive number, got \"0\"",
            ),
            (
                &["--users", "1,x"],
                "--users expects positive user ids joined by commas, got \"1,x\"",
            ),
            (
                &["--read-timeout", "0"],
                "--read-timeout expects a number of seconds between 0 and 86400, like 10 or 0.5, got \"0\"",
            ),
            (
                &["--max-dialogs", "0"],
                "--max-dialogs expects a positive number, got \"0\"",
            ),
            (
                &["--seed", "-1"],
                "--seed expects a number from 0 to 2^64-1, got \"-1\"",
            ),
            (&["--frobnicate"], "unknown argument \"--frobnicate\""),
        ] {
            assert_eq!(run(args).unwrap_err(), message);
        }
        assert_eq!(run(&["--help"]).unwrap_err(), "help");
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
