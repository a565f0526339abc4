//! Sessions, kept in the database by `tower-sessions` so that several server processes can
//! share them: the store of the database the server runs on.

use crate::db::{Backend, Db};
use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session store of either database.
#[derive(Debug, Clone)]
pub enum Store {
    /// In a SQLite file beside the database's, table `tower_sessions`.
    Sqlite(SqliteStore),
    /// In PostgreSQL, schema `tower_sessions`.
    Postgres(PostgresStore),
}

impl Store {
    /// Opens the store of `db` and creates its table when missing.
    pub async fn open(db: &Db) -> Result<Store, sqlx::Error> {
        match db.backend() {
            Backend::Sqlite => {
                // Sessions live in their own file beside the database (`dti.db` ->
                // `dti.db-sessions`), written through one connection: they never wait for
                // the database's writer, nor it for them (SQLite's busy wait is unfair to
                // the waiting side), and a backup of the record leaves them out.
                let path = db.url().trim_start_matches("sqlite://").split('?').next().unwrap_or_default();
                let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}-sessions"))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
                let store = SqliteStore::new(pool);
                store.migrate().await?;
                Ok(Store::Sqlite(store))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new().max_connections(8).connect(db.url()).await?;
                let store = PostgresStore::new(pool);
                store.migrate().await?;
                Ok(Store::Postgres(store))
            }
        }
    }

    /// Deletes the sessions past their expiry.
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Store::Sqlite(store) => store.delete_expired().await,
            Store::Postgres(store) => store.delete_expired().await,
        }
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(store) => store.create(record).await,
            Store::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(store) => store.save(record).await,
            Store::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite(store) => store.load(session_id).await,
            Store::Postgres(store) => store.load(session_id).await,
        }
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite(store) => store.delete(session_id).await,
            Store::Postgres(store) => store.delete(session_id).await,
        }
    }
}
