//! The signed-in person's notifications.

use super::AppState;
use super::auth::Auth;
use super::json::Json;
use crate::error::ApiError;
use crate::notify::{self, NotificationView};
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// The signed-in person's notifications, newest first.
#[utoipa::path(get, path = "/api/notifications", tag = "session", responses((status = 200, body = Vec<NotificationView>), (status = 401)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<NotificationView>>, ApiError> {
    Ok(Json(notify::list(state.db().read(), auth.actor.account_id).await?))
}

/// Marks one of the signed-in person's notifications read.
#[utoipa::path(post, path = "/api/notifications/{notification}/read", tag = "session",
    params(("notification" = i64, Path, description = "The notification's id")),
    responses((status = 204), (status = 401), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    Path(notification): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let mut transaction = state.db().write().await?;
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(state.now())
        .bind(notification)
        .bind(auth.actor.account_id)
        .execute(&mut *transaction)
        .await?;
    transaction.commit().await?;
    if done.rows_affected() == 0 { Err(ApiError::NotFound("notification")) } else { Ok(StatusCode::NO_CONTENT) }
}
