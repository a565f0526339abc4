//! Evidence uploads per indicator: size and type limits (the type read from the content),
//! downloads as attachments with `nosniff`, readable only by those who may read the
//! submission.

use super::AppState;
use super::auth::Auth;
use super::json::Json;
use super::json::Query;
use super::submissions::{UnitContext, authorise};
use crate::audit::{self, Record};
use crate::domain::evidence::{self, EvidenceFile, NewEvidence};
use crate::domain::submissions;
use crate::error::ApiError;
use crate::policy::{Action, Refusal};
use crate::storage::{EvidenceStore, FolderStore, Kind, safe_file_name};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// The largest evidence file accepted, in bytes.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The uploaded file's name.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// The file's name (`quyet-dinh.pdf`).
    pub name: String,
}

fn store(state: &AppState) -> FolderStore {
    FolderStore::new(&state.config().data_dir)
}

/// Attaches a file (the request body) to an indicator of the unit's submission: PDF, PNG,
/// JPEG, an Office or OpenDocument file, or UTF-8 text, at most 10 MiB.
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/evidence/{indicator}", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code"),
           ("indicator" = String, Path, description = "The indicator's id"), Upload),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceFile), (status = 403), (status = 404), (status = 409), (status = 413), (status = 422)))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code, indicator)): Path<(i64, String, String)>,
    Query(upload): Query<Upload>,
    body: Bytes,
) -> Result<(StatusCode, Json<EvidenceFile>), ApiError> {
    if body.len() > MAX_EVIDENCE_BYTES {
        return Err(ApiError::TooLarge);
    }
    let kind = Kind::sniff(&body).ok_or_else(|| {
        ApiError::invalid("body", "give a PDF, PNG, JPEG, Office or OpenDocument file, or plain text")
    })?;
    let file_name = safe_file_name(&upload.name);
    // The bytes are stored first (content-addressed: storing them twice changes nothing),
    // then attached in one transaction.
    let bytes = body.clone();
    let store = store(&state);
    let sha256 = tokio::task::spawn_blocking(move || store.put(&bytes))
        .await
        .map_err(|error| ApiError::Internal(format!("evidence: {error}")))?
        .map_err(|error| ApiError::Internal(format!("evidence: {error}")))?;
    let mut transaction = state.db().write().await?;
    let context = UnitContext::load(&state, &mut transaction, id, &code).await?;
    authorise(&auth, Action::EditSubmission, &context, None)?;
    let is_indicator = context
        .framework
        .node_index(&indicator)
        .is_some_and(|index| context.framework.nodes[index].indicator().is_some());
    if !is_indicator {
        return Err(ApiError::invalid("indicator", format!("the indicator file has no indicator `{indicator}`")));
    }
    let record = submissions::find_or_create(&mut transaction, id, context.unit.org_id, context.now).await?;
    let new = NewEvidence {
        submission_id: record.id,
        indicator_id: &indicator,
        sha256: &sha256,
        file_name: &file_name,
        media_type: kind.media_type(),
        size: i64::try_from(body.len()).unwrap_or(i64::MAX),
        uploaded_by: auth.actor.account_id,
        at: context.now,
    };
    let evidence_id = evidence::add(&mut transaction, new).await?;
    audit::append(
        &mut transaction,
        context.now,
        Record {
            who: &auth.who,
            action: "evidence-upload",
            target: format!("{}/indicator/{indicator}", context.target()),
            detail: json!({ "evidence": evidence_id, "file": file_name, "sha256": sha256, "size": body.len() }),
            note: String::new(),
        },
    )
    .await?;
    let file = evidence::get(&mut *transaction, record.id, evidence_id).await?.ok_or(ApiError::NotFound("evidence"))?;
    transaction.commit().await?;
    Ok((StatusCode::CREATED, Json(file)))
}

/// Downloads an evidence file (as an attachment: never shown inline).
#[utoipa::path(get, path = "/api/campaigns/{id}/units/{code}/evidence/{indicator}/{file}", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code"),
           ("indicator" = String, Path, description = "The indicator's id"), ("file" = i64, Path, description = "The file's id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code, indicator, file)): Path<(i64, String, String, i64)>,
) -> Result<Response, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let context = UnitContext::load(&state, &mut connection, id, &code).await?;
    authorise(&auth, Action::ReadSubmission, &context, None)?;
    let record = context.record.as_ref().ok_or(ApiError::NotFound("evidence"))?;
    let found = evidence::get(&mut *connection, record.id, file)
        .await?
        .filter(|found| found.indicator_id == indicator)
        .ok_or(ApiError::NotFound("evidence"))?;
    drop(connection);
    let store = store(&state);
    let sha256 = found.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || store.get(&sha256))
        .await
        .map_err(|error| ApiError::Internal(format!("evidence: {error}")))?
        .map_err(|error| ApiError::Internal(format!("evidence {}: {error}", found.sha256)))?;
    Ok((
        [
            (header::CONTENT_TYPE, found.media_type.clone()),
            (header::CONTENT_DISPOSITION, attachment(&found.file_name)),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Detaches an evidence file from the submission.
#[utoipa::path(delete, path = "/api/campaigns/{id}/units/{code}/evidence/{indicator}/{file}", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code"),
           ("indicator" = String, Path, description = "The indicator's id"), ("file" = i64, Path, description = "The file's id")),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code, indicator, file)): Path<(i64, String, String, i64)>,
) -> Result<StatusCode, ApiError> {
    let mut transaction = state.db().write().await?;
    let context = UnitContext::load(&state, &mut transaction, id, &code).await?;
    authorise(&auth, Action::EditSubmission, &context, None)?;
    let record = context.record.as_ref().ok_or(Refusal::Empty)?;
    let found = evidence::get(&mut *transaction, record.id, file)
        .await?
        .filter(|found| found.indicator_id == indicator)
        .ok_or(ApiError::NotFound("evidence"))?;
    evidence::remove(&mut transaction, record.id, file).await?;
    audit::append(
        &mut transaction,
        context.now,
        Record {
            who: &auth.who,
            action: "evidence-remove",
            target: format!("{}/indicator/{indicator}", context.target()),
            detail: json!({ "evidence": file, "file": found.file_name, "sha256": found.sha256 }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `Content-Disposition` of a download named `file_name`: an ASCII fallback and the name in
/// UTF-8 (RFC 6266), so that a Vietnamese name arrives as it was uploaded.
fn attachment(file_name: &str) -> String {
    let fallback: String = file_name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}
