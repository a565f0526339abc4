//! Evidence files attached to a submission's indicators (their bytes are in the
//! [`crate::storage`]; links are in the submission's entries).

use crate::clock::{Millis, rfc3339};
use serde::Serialize;
use sqlx::{Any, AnyConnection, Row};

/// An uploaded evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EvidenceFile {
    /// Its id.
    pub id: i64,
    /// The indicator it proves.
    pub indicator_id: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// Its type, read from its content.
    pub media_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (RFC 3339).
    pub at: String,
}

const COLUMNS: &str = "e.id, e.indicator_id, e.file_name, e.media_type, e.size, e.sha256, a.login, e.at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<EvidenceFile, sqlx::Error> {
    Ok(EvidenceFile {
        id: row.try_get(0)?,
        indicator_id: row.try_get(1)?,
        file_name: row.try_get(2)?,
        media_type: row.try_get(3)?,
        size: row.try_get(4)?,
        sha256: row.try_get(5)?,
        uploaded_by: row.try_get(6)?,
        at: rfc3339(row.try_get(7)?),
    })
}

/// The evidence files of submission `submission_id` still attached, oldest first.
pub async fn list<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    submission_id: i64,
) -> Result<Vec<EvidenceFile>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM evidence e JOIN accounts a ON a.id = e.uploaded_by
         WHERE e.submission_id = $1 AND e.removed = 0 ORDER BY e.id"
    ))
    .bind(submission_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Evidence file `id` of submission `submission_id`.
pub async fn get<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    submission_id: i64,
    id: i64,
) -> Result<Option<EvidenceFile>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM evidence e JOIN accounts a ON a.id = e.uploaded_by
         WHERE e.submission_id = $1 AND e.id = $2 AND e.removed = 0"
    ))
    .bind(submission_id)
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A file to attach.
#[derive(Debug, Clone, Copy)]
pub struct NewEvidence<'a> {
    /// The submission.
    pub submission_id: i64,
    /// The indicator.
    pub indicator_id: &'a str,
    /// Its SHA-256, as stored.
    pub sha256: &'a str,
    /// Its name.
    pub file_name: &'a str,
    /// Its type.
    pub media_type: &'a str,
    /// Its size.
    pub size: i64,
    /// Who uploads it.
    pub uploaded_by: i64,
    /// When.
    pub at: Millis,
}

/// Attaches a stored file; returns its id.
pub async fn add(connection: &mut AnyConnection, new: NewEvidence<'_>) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO evidence (submission_id, indicator_id, sha256, file_name, media_type, size, uploaded_by, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.submission_id)
    .bind(new.indicator_id)
    .bind(new.sha256)
    .bind(new.file_name)
    .bind(new.media_type)
    .bind(new.size)
    .bind(new.uploaded_by)
    .bind(new.at)
    .fetch_one(&mut *connection)
    .await?;
    row.try_get(0)
}

/// Detaches file `id` (its bytes stay: another upload may share them, and the audit log
/// refers to them).
pub async fn remove(connection: &mut AnyConnection, submission_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE evidence SET removed = 1 WHERE submission_id = $1 AND id = $2 AND removed = 0")
        .bind(submission_id)
        .bind(id)
        .execute(&mut *connection)
        .await?;
    Ok(done.rows_affected() == 1)
}
