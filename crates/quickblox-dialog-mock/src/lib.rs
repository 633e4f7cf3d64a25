//! The mock server as a library: `MockServer` for tests, `run` for the binaries, and the accept loop under both.
#![doc = include_str!("../README.md")]

mod app;
mod config;
mod contract;
mod dialogs;
mod proxy;
pub mod schema;
mod store;

use std::future::Future;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{any, post};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

pub use config::{Config, MockArgs};

/// The path of create and list.
pub const PATH: &str = "/chat/Dialog.json";

/// A running mock server; dropping it leaves the server running until the runtime ends, `shutdown` stops it.
pub struct MockServer {
    addr: SocketAddr,
    config: Config,
    app: Arc<app::App>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Binds `config.listen` and serves in the background on the current tokio runtime.
    pub async fn start(config: Config) -> Result<Self, String> {
        let (stop, stopped) = oneshot::channel::<()>();
        let (addr, app, serve) = bind(config.clone(), async {
            let _ = stopped.await;
        })
        .await?;
        Ok(Self {
            addr,
            config,
            app,
            stop: Some(stop),
            task: tokio::spawn(serve),
        })
    }

    /// The address it listens on (with the real port when `listen` asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, to give to a client as its base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The settings it runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How many dialogs it has stored.
    pub fn dialog_count(&self) -> usize {
        self.app.store.len()
    }

    /// In proxy mode, how many contract mismatches it has reported (0 otherwise).
    pub fn mismatch_count(&self) -> u64 {
        self.app.proxy.as_ref().map_or(0, proxy::Proxy::count)
    }

    /// In proxy mode, the mismatch lines it has written to stderr, oldest first (the first 10,000).
    pub fn mismatches(&self) -> Vec<String> {
        self.app.proxy.as_ref().map_or_else(Vec::new, proxy::Proxy::lines)
    }

    /// Stops accepting connections, lets requests in flight finish (for at most `SHUTDOWN_GRACE`), and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// The router: create and list on `/chat/Dialog.json`, get, update and delete on `/chat/Dialog/{id}.json`, 405
/// with `Allow` and an error body for other methods on those paths, and 404 elsewhere.
fn router(app: Arc<app::App>) -> Router {
    if app.proxy.is_some() {
        // Every method and path goes upstream; the proxy reports what the spec does not describe.
        return Router::new().fallback(proxy::forward).with_state(app);
    }
    Router::new()
        .route(
            PATH,
            post(app::create_dialog)
                .get(dialogs::list_dialogs)
                // axum answers HEAD with the GET handler unless told otherwise; the spec has no HEAD.
                .head(app::method_not_allowed)
                .fallback(app::method_not_allowed),
        )
        // One segment, `{chat_dialog_id}.json`: the handler matches it against the spec's template.
        .route("/chat/Dialog/{file}", any(dialogs::one_dialog))
        .fallback(app::not_found)
        .with_state(app)
}

/// After the shutdown signal, how long requests in flight may take to finish before their connections are closed.
/// The mock answers in microseconds: only a client that stalls needs longer, and it does not get to hold the process.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// The largest request head hyper reads; the mock's own, smaller limit (`app::MAX_HEADER_BYTES`) answers in the
/// documented error shape, and only a head beyond this one gets hyper's bare 431.
const HYPER_MAX_HEAD_BYTES: usize = 1 << 20;

/// How many header fields hyper parses; the mock's own limit (`app::MAX_HEADER_FIELDS`) is lower, for the same reason.
const HYPER_MAX_HEADER_FIELDS: usize = 1000;

/// Binds the listener and returns the future that serves until `shutdown` completes.
async fn bind(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(SocketAddr, Arc<app::App>, impl Future<Output = ()>), String> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|err| format!("listening on {}: {err}", config.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|err| format!("reading the address of the listener on {}: {err}", config.listen))?;
    let app = Arc::new(app::App::new(config)?);
    let serve = serve(listener, Arc::clone(&app), shutdown);
    Ok((addr, app, serve))
}

/// Accepts connections until `shutdown`, then lets each finish its request in flight for up to `SHUTDOWN_GRACE`,
/// and closes what is left.
///
/// This is axum::serve plus what it lacks: a deadline for a request's headers (hyper's `header_read_timeout`, which
/// also bounds how long an idle kept-alive connection stays open) and a deadline for shutting down, so that neither
/// a stalled client nor one that never closes can keep the server, or Ctrl-C, waiting.
async fn serve(listener: TcpListener, app: Arc<app::App>, shutdown: impl Future<Output = ()>) {
    let service = TowerToHyperService::new(router(Arc::clone(&app)));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(app.config().read_timeout)
        .max_buf_size(HYPER_MAX_HEAD_BYTES)
        .max_headers(HYPER_MAX_HEADER_FIELDS);
    let (closing, closing_signal) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) => {
                        // Errors of one connection (reset before it was accepted) say nothing about the next; out
                        // of file descriptors, a short pause lets other connections close first.
                        let one_connection = matches!(
                            err.kind(),
                            ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
                        );
                        if !one_connection {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        continue;
                    }
                };
                // Small JSON answers go out at once rather than waiting for Nagle's algorithm.
                let _ = stream.set_nodelay(true);
                let connection = http.serve_connection(TokioIo::new(stream), service.clone());
                let mut closing = closing_signal.clone();
                connections.spawn(async move {
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => return,
                        _ = closing.wait_for(|closing| *closing) => connection.as_mut().graceful_shutdown(),
                    }
                    // An idle connection ends at once; one in the middle of a request finishes it first.
                    let _ = connection.await;
                });
            }
            // Finished connections are collected as they end, so that the set holds only open ones.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = closing.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        // Dropping the tasks closes their sockets: a client still holding one sees the connection end.
        connections.shutdown().await;
    }
}

/// Runs the server in the foreground until Ctrl-C: prints `listening on http://ADDR` and the accepted credentials
/// to `out`, then serves, then drains requests in flight (for at most `SHUTDOWN_GRACE`) and returns.
pub async fn run(config: Config, out: &mut (dyn std::io::Write + Send)) -> Result<(), String> {
    // A proxy checks the upstream's credentials rather than its own, so it makes none up.
    let config = match config.proxy {
        Some(_) => config,
        None => config.with_random_credentials_if_none()?,
    };
    let (addr, _app, serve) = bind(config.clone(), async {
        // If the handler cannot be installed, the server runs until it is killed, which is what it would do anyway.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    // One write for all the lines: a reader that stops after the first (`| head -1`) then cannot make a later write
    // fail with a broken pipe and stop the server.
    let banner = match &config.proxy {
        Some(upstream) => format!("listening on http://{addr}\nproxying to {upstream}\n"),
        None => format!("listening on http://{addr}\n{}", config.credential_lines()),
    };
    out.write_all(banner.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|err| format!("writing the server's address to standard output: {err}"))?;
    serve.await;
    Ok(())
}
