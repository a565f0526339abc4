//! Review: a reviewer's decision on each indicator, then the whole submission verified or
//! sent back for changes.

use super::AppState;
use super::auth::Auth;
use super::campaigns::Note;
use super::json::Json;
use super::submissions::{StateChanged, Transition, UnitContext, authorise, change_state};
use crate::audit::{self, Record};
use crate::domain::reviews::{self, Decision, Review};
use crate::domain::submissions::{self, SubmissionState};
use crate::error::ApiError;
use crate::policy::{Action, Refusal};
use axum::extract::{Path, State};
use dti_core::Framework;
use serde::Deserialize;
use serde_json::json;

/// A decision on one indicator (unknown fields are refused by [`Decision`], which takes every
/// field but the indicator's id).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// The indicator.
    pub indicator_id: String,
    /// The decision, its value and reason.
    #[serde(flatten)]
    pub decision: Decision,
}

/// The pillar (the top-level node under the root) that `indicator_id` belongs to.
pub fn pillar_of<'a>(framework: &'a Framework, indicator_id: &str) -> Option<&'a str> {
    let mut index = framework.node_index(indicator_id)?;
    let root = framework.root();
    while let Some(parent) = framework.nodes[index].parent {
        if parent == root {
            return Some(&framework.nodes[index].id);
        }
        index = parent;
    }
    Some(&framework.nodes[index].id)
}

/// Records a reviewer's decision on one indicator of a submitted self-assessment.
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/reviews", tag = "review", request_body = ReviewInput,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = Review), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn decide_indicator(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(input): Json<ReviewInput>,
) -> Result<Json<Review>, ApiError> {
    let mut transaction = state.db().write().await?;
    let context = UnitContext::load(&state, &mut transaction, id, &code).await?;
    let pillar = pillar_of(&context.framework, &input.indicator_id);
    authorise(&auth, Action::Review, &context, pillar)?;
    let record = context.record.clone().ok_or(Refusal::NotSubmitted)?;
    let head = submissions::revision(&mut *transaction, record.id, record.head).await?.unwrap_or_default();
    reviews::check(&context.framework, &head, &input.indicator_id, &input.decision)?;
    let before = reviews::current(&mut *transaction, record.id, &head).await?.remove(&input.indicator_id);
    let self_value = reviews::self_value(&head, &input.indicator_id);
    let new = reviews::NewDecision {
        submission_id: record.id,
        indicator_id: &input.indicator_id,
        decision: &input.decision,
        self_value: &self_value,
        revision: record.head,
        reviewer_id: auth.actor.account_id,
        at: context.now,
    };
    reviews::record(&mut transaction, new).await?;
    submissions::touch(&mut transaction, &record, id, context.now).await?;
    let after = reviews::current(&mut *transaction, record.id, &head)
        .await?
        .remove(&input.indicator_id)
        .ok_or_else(|| ApiError::Internal("the decision just recorded is missing".into()))?;
    audit::append(
        &mut transaction,
        context.now,
        Record {
            who: &auth.who,
            action: "review",
            target: format!("{}/indicator/{}", context.target(), input.indicator_id),
            detail: json!({ "before": before, "after": after, "self_value": self_value }),
            note: input.decision.reason().unwrap_or_default().to_owned(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(after))
}

/// Sends the submission back to the unit for changes (the indicators marked as needing
/// information say what), with a note.
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/request-changes", tag = "review", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = StateChanged), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn request_changes(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(note): Json<Note>,
) -> Result<Json<StateChanged>, ApiError> {
    let note_given = !note.note.trim().is_empty();
    let note_text = note.note.clone();
    let transition = Transition {
        action: Action::DecideSubmission,
        audit_action: "request-changes",
        to: SubmissionState::ChangesRequested,
        note: note.note,
    };
    change_state(&state, &auth, (id, &code), transition, async |connection, context, record| {
        let head = submissions::revision(&mut *connection, record.id, record.head).await?.unwrap_or_default();
        let asked: Vec<String> = reviews::current(&mut *connection, record.id, &head)
            .await?
            .into_values()
            .filter(|review| review.current && !review.decision.settles())
            .map(|review| review.indicator_id)
            .collect();
        if asked.is_empty() && !note_given {
            return Err(ApiError::invalid(
                "note",
                "say what to change: a note, or indicators marked as needing information",
            ));
        }
        let details: Vec<String> = reviews::current(&mut *connection, record.id, &head)
            .await?
            .into_values()
            .filter(|review| review.current && !review.decision.settles())
            .map(|review| format!("- {}: {}", review.indicator_id, review.decision.reason().unwrap_or_default()))
            .chain((!note_text.trim().is_empty()).then(|| note_text.clone()))
            .collect();
        notify_unit(&state, connection, context, SubmissionState::ChangesRequested, &details.join("\n")).await?;
        Ok(json!({ "needs_information": asked }))
    })
    .await
}

/// Verifies the submission: every value the unit gave must have been accepted or adjusted.
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/verify", tag = "review", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = StateChanged), (status = 403), (status = 404), (status = 409)))]
pub async fn verify(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(note): Json<Note>,
) -> Result<Json<StateChanged>, ApiError> {
    let transition = Transition {
        action: Action::DecideSubmission,
        audit_action: "verify",
        to: SubmissionState::Verified,
        note: note.note,
    };
    change_state(&state, &auth, (id, &code), transition, async |connection, context, record| {
        let head = submissions::revision(&mut *connection, record.id, record.head).await?.unwrap_or_default();
        let current = reviews::current(&mut *connection, record.id, &head).await?;
        let unsettled = reviews::unsettled(&context.framework, &head, &current);
        if !unsettled.is_empty() {
            return Err(ApiError::Conflict {
                code: "unreviewed",
                message: format!("accept or adjust every value first; still open: {}", unsettled.join(", ")),
                current: Some(json!({ "unsettled": unsettled })),
            });
        }
        let adjusted: Vec<&str> = current
            .values()
            .filter(|review| review.current && matches!(review.decision, Decision::Adjusted { .. }))
            .map(|review| review.indicator_id.as_str())
            .collect();
        let details = if adjusted.is_empty() {
            String::new()
        } else {
            format!("Điều chỉnh / adjusted: {}", adjusted.join(", "))
        };
        notify_unit(&state, connection, context, SubmissionState::Verified, &details).await?;
        Ok(json!({ "adjusted": adjusted }))
    })
    .await
}

/// Tells the unit's staff of its submission's new `state`.
async fn notify_unit(
    state: &AppState,
    connection: &mut sqlx::AnyConnection,
    context: &UnitContext,
    new_state: SubmissionState,
    details: &str,
) -> Result<(), ApiError> {
    if let Some(notice) = crate::notify::submission_changed(&context.campaign, &context.unit.name, new_state, details) {
        let staff = crate::notify::unit_staff(&mut *connection, &context.unit.path).await?;
        crate::notify::enqueue(&mut *connection, &staff, &notice, state.config().smtp.is_some(), context.now).await?;
    }
    Ok(())
}
