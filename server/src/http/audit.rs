//! The audit log over HTTP: its entries (JSON or CSV) and the check of its chain.

use super::AppState;
use super::auth::Auth;
use super::json::Json;
use super::json::Query;
use crate::audit::{self, Entry, Verification};
use crate::error::ApiError;
use crate::policy::{Action, Subject, decide};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Which entries, in which format.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Entries after this position (0 for the first).
    #[serde(default)]
    pub after: i64,
    /// At most this many (1 to 10,000; 1,000 by default).
    pub limit: Option<i64>,
    /// `json` (the default) or `csv`.
    pub format: Option<String>,
}

/// Only people who may read the whole log: administrators, campaign managers and viewers of
/// a root organisation.
fn allow(auth: &Auth) -> Result<(), ApiError> {
    let roots: Vec<&str> = auth
        .actor
        .grants
        .iter()
        .map(|grant| grant.org_path.as_str())
        .filter(|path| path.matches('/').count() == 2)
        .collect();
    if roots
        .iter()
        .any(|path| decide(&auth.actor, Action::ReadAudit, &Subject { org_path: path, ..Subject::default() }).is_ok())
    {
        Ok(())
    } else {
        Err(crate::policy::Refusal::NoRole.into())
    }
}

/// Audit entries, oldest first, as JSON or CSV.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(Page),
    responses((status = 200, body = Vec<Entry>), (status = 403)))]
pub async fn entries(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    allow(&auth)?;
    let limit = page.limit.unwrap_or(1000);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::invalid("limit", "from 1 to 10000"));
    }
    let entries = audit::entries(state.db().read(), page.after, limit).await?;
    match page.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(entries).into_response()),
        "csv" => {
            let bytes = audit::csv(&entries).map_err(|error| ApiError::Internal(format!("csv: {error}")))?;
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
        }
        other => Err(ApiError::invalid("format", format!("`{other}`: give json or csv"))),
    }
}

/// Checks the whole chain: intact, or the first broken entry.
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit", responses((status = 200, body = Verification), (status = 403)))]
pub async fn verify(State(state): State<AppState>, auth: Auth) -> Result<Json<Verification>, ApiError> {
    allow(&auth)?;
    let mut connection = state.db().read().acquire().await?;
    Ok(Json(audit::verify(&mut connection).await?))
}
