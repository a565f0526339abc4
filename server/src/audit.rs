//! The audit log: append-only, one entry per decision, each carrying the SHA-256 of the
//! entry before it, so that changing, removing or inserting an entry breaks the chain at
//! that entry, which [`verify`] names. The newest entry's hash is also kept in
//! `audit_head` and written into every publication, so that a truncated log is caught too.

use crate::clock::Millis;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Row};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted, from where: the same for every entry a request writes.
#[derive(Debug, Clone, Default)]
pub struct Who {
    /// The account, when signed in.
    pub account_id: Option<i64>,
    /// Its login, or the login tried for a failed sign-in.
    pub login: String,
    /// The client's address.
    pub address: String,
}

/// One entry to append.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// Who acted.
    pub who: &'a Who,
    /// What was done: `login`, `login-failed`, `save`, `submit`, `review`, `grant`, ...
    pub action: &'static str,
    /// What it was done to: `campaign/3/unit/M01`, `account/7`.
    pub target: String,
    /// What changed, before and after when something did.
    pub detail: Value,
    /// The person's note or reason.
    pub note: String,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// Its position in the chain, from 1.
    pub seq: i64,
    /// When, in milliseconds since the Unix epoch.
    pub at: Millis,
    /// The account that acted.
    pub actor_id: Option<i64>,
    /// Its login.
    pub actor: String,
    /// The client's address.
    pub address: String,
    /// What was done.
    pub action: String,
    /// To what.
    pub target: String,
    /// What changed (JSON).
    #[schema(value_type = Object)]
    pub detail: Value,
    /// The note or reason given.
    pub note: String,
    /// The hash of the entry before.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl Entry {
    /// The SHA-256 of every field but the hash itself, as a canonical JSON array.
    fn compute_hash(&self) -> String {
        let canonical = json!([
            self.seq,
            self.at,
            self.actor_id,
            self.actor,
            self.address,
            self.action,
            self.target,
            self.detail,
            self.note,
            self.prev_hash
        ]);
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }
}

/// Appends `record` at `at` inside the caller's transaction, after the newest entry.
///
/// Taking the head row first (an `UPDATE` of it) makes concurrent appends wait for each
/// other on PostgreSQL; on SQLite the transaction already holds the write lock.
pub async fn append(connection: &mut AnyConnection, at: Millis, record: Record<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *connection).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *connection).await?;
    let mut entry = Entry {
        seq: head.try_get::<i64, _>(0)? + 1,
        at,
        actor_id: record.who.account_id,
        actor: record.who.login.clone(),
        address: record.who.address.clone(),
        action: record.action.to_owned(),
        target: record.target,
        detail: record.detail,
        note: record.note,
        prev_hash: head.try_get(1)?,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor, address, action, target, detail, note, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(entry.seq)
    .bind(entry.at)
    .bind(entry.actor_id)
    .bind(&entry.actor)
    .bind(&entry.address)
    .bind(&entry.action)
    .bind(&entry.target)
    .bind(entry.detail.to_string())
    .bind(&entry.note)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(entry.seq)
        .bind(&entry.hash)
        .execute(&mut *connection)
        .await?;
    Ok(entry.seq)
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<Entry, sqlx::Error> {
    let detail: String = row.try_get("detail")?;
    Ok(Entry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        actor: row.try_get("actor")?,
        address: row.try_get("address")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        // A detail that is not JSON is kept as text, so that verification still sees
        // exactly what is stored (and reports the broken hash).
        detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
        note: row.try_get("note")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

const COLUMNS: &str = "seq, at, actor_id, actor, address, action, target, detail, note, prev_hash, hash";

/// Entries from `after_seq` on (exclusive), oldest first, at most `limit`.
pub async fn entries<'c, E>(executor: E, after_seq: i64, limit: i64) -> Result<Vec<Entry>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(after_seq)
        .bind(limit)
        .fetch_all(executor)
        .await?;
    rows.iter().map(entry_from_row).collect()
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Entries checked.
    pub entries: i64,
    /// The newest entry's hash, as recorded in the head.
    pub head_hash: String,
    /// The first entry found broken, and how; `None` when the chain is intact.
    pub first_broken: Option<Broken>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Broken {
    /// The entry's position (or the position expected, for a missing entry).
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks the whole chain: every entry's hash, every link to the one before, no gap in
/// the sequence, and the head matching the newest entry. Reads in pages, so a long log
/// needs little memory.
pub async fn verify(connection: &mut AnyConnection) -> Result<Verification, sqlx::Error> {
    const PAGE: i64 = 5000;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *connection).await?;
    let (head_seq, head_hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
    let mut previous_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut checked = 0;
    let broken = |seq, reason: String| Some(Broken { seq, reason });
    loop {
        let page = entries(&mut *connection, expected_seq - 1, PAGE).await?;
        for entry in &page {
            let problem = if entry.seq != expected_seq {
                broken(expected_seq, format!("entry {expected_seq} is missing (the next one is {})", entry.seq))
            } else if entry.prev_hash != previous_hash {
                broken(entry.seq, "its link to the entry before does not match that entry's hash".into())
            } else if entry.compute_hash() != entry.hash {
                broken(entry.seq, "its content was changed after it was written".into())
            } else {
                None
            };
            if problem.is_some() {
                return Ok(Verification { entries: checked, head_hash, first_broken: problem });
            }
            checked += 1;
            previous_hash = entry.hash.clone();
            expected_seq += 1;
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    let first_broken = if head_seq != checked || head_hash != previous_hash {
        broken(
            checked + 1,
            format!("the log ends at entry {checked} but its head records entry {head_seq}: entries were removed"),
        )
    } else {
        None
    };
    Ok(Verification { entries: checked, head_hash, first_broken })
}

/// `entries` as CSV (a header, then one row per entry, the time as RFC 3339 and the detail
/// as JSON), for the API's and the command line's exports.
pub fn csv(entries: &[Entry]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "seq",
        "at",
        "actor_id",
        "actor",
        "address",
        "action",
        "target",
        "detail",
        "note",
        "prev_hash",
        "hash",
    ])?;
    for entry in entries {
        writer.write_record([
            entry.seq.to_string(),
            crate::clock::rfc3339(entry.at),
            entry.actor_id.map(|id| id.to_string()).unwrap_or_default(),
            entry.actor.clone(),
            entry.address.clone(),
            entry.action.clone(),
            entry.target.clone(),
            entry.detail.to_string(),
            entry.note.clone(),
            entry.prev_hash.clone(),
            entry.hash.clone(),
        ])?;
    }
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}
