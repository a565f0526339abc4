//! What `dti admin` does to a server's database directly (the server may be running):
//! import organisations, create an account, check and export the audit log, and back up.

use crate::audit::{self, Who};
use crate::config::PasswordCost;
use crate::db::{Backend, Db};
use crate::domain::accounts::{self, NewAccount, NewGrant};
use crate::domain::orgs::{self, Imported};
use crate::error::ApiError;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Who the command line acts as in the audit log.
pub fn command_line() -> Who {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Who { account_id: None, login: format!("cli:{user}"), address: "local".into() }
}

/// Why an operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpsError {
    /// The input file has problems, each naming its line.
    #[error("{}", .0.join("\n"))]
    Input(Vec<String>),
    /// The request was refused.
    #[error("{0}")]
    Refused(#[from] ApiError),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Imports organisations from a CSV or Excel file, in one transaction.
pub async fn import_orgs(db: &Db, file: &str, bytes: &[u8], now: i64) -> Result<Imported, OpsError> {
    let rows = orgs::read_file(file, bytes).map_err(OpsError::Input)?;
    let mut transaction = db.write().await?;
    let imported = orgs::import(&mut transaction, &rows, &command_line(), now, |_| Ok(())).await?;
    transaction.commit().await?;
    Ok(imported)
}

/// Creates an account with one role (the first administrator of a new database, say).
pub async fn create_account(
    db: &Db,
    account: &NewAccount,
    grant: &NewGrant,
    cost: PasswordCost,
    now: i64,
) -> Result<i64, OpsError> {
    accounts::check_new_account(account)?;
    let hash = accounts::hash_password(&account.password, cost)?;
    let mut transaction = db.write().await?;
    let id = accounts::create(&mut transaction, account, &hash, now).await?;
    accounts::add_grant(&mut transaction, id, grant).await?;
    let created = accounts::get(&mut transaction, id).await?;
    audit::append(
        &mut transaction,
        now,
        audit::Record {
            who: &command_line(),
            action: "account-create",
            target: format!("account/{id}"),
            detail: json!({ "after": created }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(id)
}

/// Checks the audit chain.
pub async fn verify_audit(db: &Db) -> Result<audit::Verification, OpsError> {
    let mut connection = db.read().acquire().await?;
    Ok(audit::verify(&mut connection).await?)
}

/// Every audit entry, oldest first.
pub async fn audit_entries(db: &Db) -> Result<Vec<audit::Entry>, OpsError> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |entry: &audit::Entry| entry.seq);
        let page = audit::entries(db.read(), after, 10_000).await?;
        if page.is_empty() {
            return Ok(all);
        }
        all.extend(page);
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The database copy.
    pub database: PathBuf,
    /// Evidence and publication files copied.
    pub files: usize,
}

/// Makes a consistent copy while the server runs, into the new folder `out`: the
/// database (SQLite's `VACUUM INTO`, or PostgreSQL's `pg_dump`: one transaction's view)
/// and then the data folder
/// (evidence files are content-addressed and never change, so copying them after the
/// database misses nothing it refers to). The copy is made beside `out` and renamed into
/// place, so `out` is whole or absent.
pub async fn backup(db: &Db, data_dir: &Path, out: &Path) -> Result<Backup, OpsError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OpsError::Io { path, source }
    };
    if out.exists() {
        return Err(OpsError::Input(vec![format!("{} exists: give a new folder", out.display())]));
    }
    let parent = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let staging = tempfile_dir(parent).map_err(io(parent))?;
    let database = match db.backend() {
        Backend::Sqlite => {
            let database = staging.join("dti.db");
            let text =
                database.to_str().ok_or_else(|| OpsError::Input(vec!["the folder's path is not UTF-8".into()]))?;
            sqlx::query("VACUUM INTO $1").bind(text).execute(db.read()).await?;
            database
        }
        Backend::Postgres => {
            // pg_dump reads in one snapshot: consistent while the server writes.
            let database = staging.join("dti.dump");
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(&database)
                .arg(db.url())
                .status()
                .await
                .map_err(|source| OpsError::Io { path: "pg_dump".into(), source })?;
            if !status.success() {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(OpsError::Input(vec![format!("pg_dump failed ({status})")]));
            }
            database
        }
    };
    let files = if data_dir.exists() { copy_tree(data_dir, &staging.join("data")).map_err(io(data_dir))? } else { 0 };
    std::fs::rename(&staging, out).map_err(io(out))?;
    let name = database.file_name().map(PathBuf::from).unwrap_or_default();
    Ok(Backup { database: out.join(name), files })
}

/// A new, empty folder in `parent` with a unique name.
fn tempfile_dir(parent: &Path) -> std::io::Result<PathBuf> {
    for attempt in 0..1000u32 {
        let candidate = parent.join(format!(".dti-backup-{}-{attempt}", std::process::id()));
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::other("cannot create a temporary folder"))
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}
