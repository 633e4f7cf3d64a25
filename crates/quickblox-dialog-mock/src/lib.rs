#![doc = include_str!("../README.md")]

mod app;
mod config;
pub mod schema;
mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{Command, Config, USAGE};

/// The path the mock serves.
pub const PATH: &str = "/chat/Dialog.json";

/// A running mock server; dropping it leaves the server running until the runtime ends, `shutdown` stops it.
pub struct MockServer {
    addr: SocketAddr,
    config: Config,
    app: Arc<app::App>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
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

    /// Stops accepting connections, lets requests in flight finish, and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// The router: `POST /chat/Dialog.json`, 405 with `Allow` for other methods there, and 404 elsewhere.
fn router(app: Arc<app::App>) -> Router {
    Router::new()
        .route(PATH, post(app::create_dialog))
        .fallback(app::not_found)
        .with_state(app)
}

/// Binds the listener and returns the future that serves until `shutdown` completes.
async fn bind(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(SocketAddr, Arc<app::App>, impl Future<Output = std::io::Result<()>>), String> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|err| format!("listening on {}: {err}", config.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|err| format!("reading the address of the listener on {}: {err}", config.listen))?;
    let app = Arc::new(app::App::new(config)?);
    let service = router(Arc::clone(&app));
    let serve = async move { axum::serve(listener, service).with_graceful_shutdown(shutdown).await };
    Ok((addr, app, serve))
}

/// Runs the server in the foreground until Ctrl-C: prints `listening on http://ADDR` and the accepted credentials
/// to `out`, then serves, then drains requests in flight and returns.
pub async fn run(config: Config, out: &mut (dyn std::io::Write + Send)) -> Result<(), String> {
    let config = config.with_random_credentials_if_none()?;
    let (addr, _app, serve) = bind(config.clone(), async {
        // If the handler cannot be installed, the server runs until it is killed, which is what it would do anyway.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    write!(out, "listening on http://{addr}\n{}", config.credential_lines())
        .and_then(|()| out.flush())
        .map_err(|err| format!("writing the server's address to standard output: {err}"))?;
    serve.await.map_err(|err| format!("serving on {addr}: {err}"))
}
