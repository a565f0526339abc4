//! The dti collection server: accounts and roles on an organisation tree, campaigns
//! pinned to an indicator file, online self-assessments saved as immutable revisions,
//! review indicator by indicator, and a tamper-evident audit log. `dti serve` runs it; all
//! of its input and output (database, files, network, clock) lives here, and it scores
//! with `dti-core`, the engine the browser runs.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = dti_server::Config::new("sqlite:target/dti.db", "target/dti-data");
//! let server = dti_server::Server::start(config).await?;
//! println!("listening on http://{}", server.address());
//! server.wait().await?;
//! # Ok(())
//! # }
//! ```

pub mod audit;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod notify;
pub mod ops;
pub mod policy;
pub mod seed;
pub mod sessions;
pub mod storage;
pub mod xlsx;

pub use clock::Clock;
pub use config::Config;
pub use db::{Backend, Db};

use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The database could not be opened.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// The session store could not be opened.
    #[error("cannot open the session store: {0}")]
    Sessions(#[source] sqlx::Error),
    /// The data folder could not be created.
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The address could not be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A running server.
pub struct Server {
    address: SocketAddr,
    state: http::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Opens the database (bringing its schema up to date), binds the address and starts
    /// serving in the background.
    pub async fn start(config: Config) -> Result<Server, ServeError> {
        Server::start_with_clock(config, Clock::default()).await
    }

    /// [`Server::start`] with a clock that tests move.
    pub async fn start_with_clock(config: Config, clock: Clock) -> Result<Server, ServeError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| ServeError::DataDir { path: config.data_dir.display().to_string(), source })?;
        let db = Db::open(&config.database).await?;
        let sessions = sessions::Store::open(&db).await.map_err(ServeError::Sessions)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServeError::Listen { address: config.listen, source })?;
        let address = listener.local_addr()?;
        let state = http::AppState::new(db, config, clock);
        let app = http::router(state.clone(), sessions.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        // Expired sessions are swept every ten minutes.
        let sweeper = tokio::spawn(async move {
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                interval.tick().await;
                if let Err(error) = sessions.delete_expired().await {
                    tracing::warn!(%error, "cannot delete expired sessions");
                }
            }
        });
        // Reminders and mail, every `tick` (and once at start).
        let ticker_state = state.clone();
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval(ticker_state.config().tick);
            loop {
                interval.tick().await;
                notify::tick(&ticker_state).await;
            }
        });
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            sweeper.abort();
            ticker.abort();
            served
        });
        Ok(Server { address, state, shutdown: Some(shutdown), task })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The shared state (its database, for tests and the seed).
    pub fn state(&self) -> &http::AppState {
        &self.state
    }

    /// Waits until the server stops.
    pub async fn wait(mut self) -> Result<(), ServeError> {
        // Dropping the sender would stop the server: keep it until the task ends.
        let _keep_running = self.shutdown.take();
        let task = std::mem::replace(&mut self.task, tokio::spawn(async { Ok(()) }));
        task.await.map_err(|error| std::io::Error::other(error.to_string()))??;
        Ok(())
    }

    /// Serves until `signal` completes (then stops as [`Server::stop`] does) or the server
    /// fails.
    pub async fn run_until(mut self, signal: impl Future<Output = ()>) -> Result<(), ServeError> {
        let ended = tokio::select! {
            joined = &mut self.task => Some(joined),
            () = signal => None,
        };
        match ended {
            Some(joined) => {
                joined.map_err(|error| std::io::Error::other(error.to_string()))??;
                self.state.db().close().await;
                Ok(())
            }
            None => self.stop().await,
        }
    }

    /// Stops accepting requests, finishes those under way and closes the database.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let task = std::mem::replace(&mut self.task, tokio::spawn(async { Ok(()) }));
        task.await.map_err(|error| std::io::Error::other(error.to_string()))??;
        self.state.db().close().await;
        Ok(())
    }
}
