//! The database: SQLite or PostgreSQL behind one pool type (sqlx's `Any` driver), each
//! with its own migrations, and write transactions that serialise writers on SQLite.
//!
//! Queries use `$1` placeholders, which both databases accept, and only the types both
//! share: 64-bit integers (times are Unix milliseconds), text and optional values of them.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Which database a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, the default.
    Sqlite,
    /// A PostgreSQL server, for larger deployments and several server processes.
    Postgres,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The address is neither `sqlite:` nor `postgres://`.
    #[error("unknown database `{0}`: give sqlite:PATH or postgres://USER@HOST/NAME")]
    UnknownScheme(String),
    /// Connecting failed.
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot update the database's schema: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The pools of one database.
#[derive(Debug, Clone)]
pub struct Db {
    backend: Backend,
    /// Every write goes through this pool; on SQLite it has one connection, so writers
    /// queue here instead of failing with "database is locked".
    write: AnyPool,
    /// Reads: several connections (SQLite's WAL lets them run beside the writer).
    read: AnyPool,
    url: String,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// The settings every SQLite connection gets: WAL (readers beside one writer), a full
/// sync at every commit (an acknowledged save survives a crash of the machine, not only
/// of the process), foreign keys enforced, and a wait instead of an error when another
/// process holds the lock.
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Db {
    /// Opens `url` (`sqlite:PATH`, created when missing, or `postgres://...`) and brings
    /// its schema up to date.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            let separator = if path.contains('?') { '&' } else { '?' };
            (Backend::Sqlite, format!("sqlite://{path}{separator}mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(DbError::UnknownScheme(url.to_owned()));
        };
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let pool = |connections: u32| {
            AnyPoolOptions::new().max_connections(connections).acquire_timeout(Duration::from_secs(30)).after_connect(
                move |connection, _| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            connection.execute(SQLITE_PRAGMAS).await?;
                        }
                        Ok(())
                    })
                },
            )
        };
        let (write, read) = match backend {
            Backend::Sqlite => {
                let write = pool(1).connect_with(options.clone()).await.map_err(DbError::Connect)?;
                // The schema first, on the writer, so that WAL is on before readers open.
                SQLITE_MIGRATIONS.run(&write).await.map_err(DbError::Migrate)?;
                let read = pool(4).connect_with(options).await.map_err(DbError::Connect)?;
                (write, read)
            }
            Backend::Postgres => {
                let shared = pool(16).connect_with(options).await.map_err(DbError::Connect)?;
                POSTGRES_MIGRATIONS.run(&shared).await.map_err(DbError::Migrate)?;
                (shared.clone(), shared)
            }
        };
        Ok(Db { backend, write, read, url })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The address it was opened with (for the session store and backups).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A transaction for an action that writes: every action is one, committed whole or
    /// not at all. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so that
    /// a transaction that reads and then writes never fails half-way for a lock.
    pub async fn write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    /// The pool for reads.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// Closes every connection (SQLite then checkpoints its WAL into the file).
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}
