//! A unit's submission in a campaign: read it, save a revision, submit it, and the
//! campaign manager's lock and reopening.

use super::AppState;
use super::auth::Auth;
use super::campaigns::{Note, Problem};
use super::json::Json;
use crate::audit::{self, Record as AuditRecord};
use crate::clock::Millis;
use crate::domain::campaigns::{self, Campaign, Participant};
use crate::domain::reviews::{self, Review};
use crate::domain::submissions::{self, Record, RevisionInfo, Saved, SubmissionState};
use crate::error::ApiError;
use crate::policy::{Action, Refusal, Subject, decide};
use axum::extract::{Path, State};
use dti_core::Framework;
use dti_core::assessment::Submission;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything an action on one unit's submission is decided on, read in one transaction.
pub struct UnitContext {
    /// The campaign.
    pub campaign: Campaign,
    /// The unit.
    pub unit: Participant,
    /// Its submission, when started.
    pub record: Option<Record>,
    /// The campaign's indicator file.
    pub framework: Arc<Framework>,
    /// The time of the request.
    pub now: Millis,
}

impl UnitContext {
    /// Reads the context of unit `code` in campaign `id`.
    pub async fn load(
        state: &AppState,
        connection: &mut AnyConnection,
        id: i64,
        code: &str,
    ) -> Result<UnitContext, ApiError> {
        let campaign = campaigns::get(&mut *connection, id).await?;
        let unit = campaigns::participant(&mut *connection, id, code).await?;
        let record = submissions::find(&mut *connection, id, unit.org_id).await?;
        let framework = state.framework_on(&mut *connection, &campaign.framework_sha256).await?;
        Ok(UnitContext { campaign, unit, record, framework, now: state.now() })
    }

    /// The submission's state.
    pub fn state(&self) -> SubmissionState {
        self.record.as_ref().map_or(SubmissionState::NotStarted, |record| record.state)
    }

    /// What the policy decides on, for an indicator's `pillar` when one is reviewed.
    pub fn subject<'a>(&'a self, pillar: Option<&'a str>) -> Subject<'a> {
        Subject {
            org_path: &self.unit.path,
            campaign: Some(self.campaign.effective_state(self.now)),
            submission: Some(self.state()),
            past_deadline: self.campaign.past_deadline(self.now, self.unit.extension_ms),
            pillar,
        }
    }

    /// The audit log's name of the submission.
    pub fn target(&self) -> String {
        format!("campaign/{}/unit/{}", self.campaign.id, self.unit.code)
    }
}

/// Decides `action` for `auth` on `context`, hiding from people who may not even read the
/// submission that it exists (404 rather than 403).
pub fn authorise(auth: &Auth, action: Action, context: &UnitContext, pillar: Option<&str>) -> Result<(), ApiError> {
    let subject = context.subject(pillar);
    // Seeing the campaign depends on its state as set, not as the dates make it: a unit sees
    // an opened campaign before its opening date (and is told it is not open yet).
    let seen = Subject { campaign: Some(context.campaign.state), ..subject };
    let may_view = decide(&auth.actor, Action::ViewCampaign, &seen).is_ok()
        || decide(&auth.actor, Action::ViewCampaign, &Subject { org_path: &context.campaign.owner_path, ..seen })
            .is_ok();
    if !may_view {
        return Err(ApiError::NotFound("unit in this campaign"));
    }
    Ok(decide(&auth.actor, action, &subject)?)
}

/// The actions the signed-in person may take on the submission now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Allowed {
    /// Save a draft.
    pub edit: bool,
    /// Submit it.
    pub submit: bool,
    /// Decide on indicators.
    pub review: bool,
    /// Ask for changes or verify.
    pub decide: bool,
    /// Lock it.
    pub lock: bool,
    /// Reopen it.
    pub reopen: bool,
}

/// A measured value: not the unit's to type.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Measured {
    /// The value.
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

/// A unit's submission as its readers see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubmissionView {
    /// The unit's code.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// The state.
    pub state: SubmissionState,
    /// The newest revision's number: what the next save is based on.
    pub head: i64,
    /// The newest revision (empty before the first save).
    #[schema(value_type = Object)]
    pub submission: Submission,
    /// The unit's deadline (RFC 3339), its extension included.
    pub deadline: String,
    /// The reviewers' decisions, by indicator.
    pub reviews: BTreeMap<String, Review>,
    /// Values measured by a system, by indicator.
    pub measured: BTreeMap<String, Measured>,
    /// What the signed-in person may do now.
    pub allowed: Allowed,
    /// Values the engine refuses (kept as typed; counted as missing).
    pub problems: Vec<Problem>,
    /// Evidence files uploaded, oldest first.
    pub evidence: Vec<crate::domain::evidence::EvidenceFile>,
}

/// A fresh submission for `unit` in `campaign`, against its indicator file.
fn empty_submission(context: &UnitContext) -> Submission {
    let mut submission = Submission::new(&context.framework, &context.campaign.framework_sha256);
    submission.unit_id = context.unit.code.clone();
    submission.unit_name = context.unit.name.clone();
    submission.block = context.unit.block.clone();
    submission.period = context.campaign.period.clone();
    submission
}

async fn measured(
    connection: &mut AnyConnection,
    context: &UnitContext,
) -> Result<BTreeMap<String, Measured>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT indicator_id, value, source FROM measured_values WHERE campaign_id = $1 AND org_id = $2",
    )
    .bind(context.campaign.id)
    .bind(context.unit.org_id)
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows.into_iter().map(|(id, value, source)| (id, Measured { value, source })).collect())
}

async fn view(state: &AppState, auth: &Auth, context: &UnitContext) -> Result<SubmissionView, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let (head, submission) = match &context.record {
        Some(record) if record.head > 0 => (
            record.head,
            submissions::revision(&mut *connection, record.id, record.head)
                .await?
                .unwrap_or_else(|| empty_submission(context)),
        ),
        _ => (0, empty_submission(context)),
    };
    let reviews = match &context.record {
        Some(record) => reviews::current(&mut *connection, record.id, &submission).await?,
        None => BTreeMap::new(),
    };
    let evidence = match &context.record {
        Some(record) => crate::domain::evidence::list(&mut *connection, record.id).await?,
        None => Vec::new(),
    };
    let may = |action| decide(&auth.actor, action, &context.subject(None)).is_ok();
    let problems = dti_core::assessment::refused_values(&context.framework, &submission, "submission")
        .iter()
        .map(|diagnostic| Problem::of(diagnostic, &*context.framework))
        .collect();
    Ok(SubmissionView {
        unit: context.unit.code.clone(),
        name: context.unit.name.clone(),
        state: context.state(),
        head,
        deadline: crate::clock::rfc3339(context.unit.extension_ms.unwrap_or(0).max(context.campaign.deadline_ms)),
        measured: measured(&mut connection, context).await?,
        reviews,
        allowed: Allowed {
            edit: may(Action::EditSubmission),
            submit: may(Action::Submit),
            review: may(Action::Review),
            decide: may(Action::DecideSubmission),
            lock: may(Action::Lock),
            reopen: may(Action::Reopen),
        },
        submission,
        problems,
        evidence,
    })
}

/// A unit's submission: its newest revision, state, reviews and what the reader may do.
#[utoipa::path(get, path = "/api/campaigns/{id}/units/{code}/submission", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = SubmissionView), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Json<SubmissionView>, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let context = UnitContext::load(&state, &mut connection, id, &code).await?;
    drop(connection);
    authorise(&auth, Action::ReadSubmission, &context, None)?;
    Ok(Json(view(&state, &auth, &context).await?))
}

/// A save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Save {
    /// The revision this one was edited from (0 for the first save).
    pub based_on: i64,
    /// The submission, as the page exports it (`dti-submission/1`).
    #[schema(value_type = Object)]
    pub submission: Submission,
}

/// What a save answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SaveResult {
    /// The new revision.
    #[serde(flatten)]
    pub saved: Saved,
    /// Values the engine refuses: kept as typed, counted as missing; fix them before
    /// submitting.
    pub problems: Vec<Problem>,
    /// Indicators measured by a system whose typed value is kept but not used.
    pub measured_ignored: Vec<String>,
}

/// Saves a revision. A save based on an older revision is refused with 409, the current
/// revision and, when the two changes touch different indicators, their merge.
#[utoipa::path(put, path = "/api/campaigns/{id}/units/{code}/submission", tag = "submissions", request_body = Save,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = SaveResult), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn save(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(save): Json<Save>,
) -> Result<Json<SaveResult>, ApiError> {
    let mut transaction = state.db().write().await?;
    let context = UnitContext::load(&state, &mut transaction, id, &code).await?;
    authorise(&auth, Action::EditSubmission, &context, None)?;
    submissions::check(&save.submission, &context.framework, &context.campaign, &context.unit)?;
    let record = submissions::find_or_create(&mut transaction, id, context.unit.org_id, context.now).await?;
    let (saved, detail) = submissions::save(
        &mut transaction,
        &record,
        id,
        save.based_on,
        &save.submission,
        auth.actor.account_id,
        context.now,
    )
    .await?;
    audit::append(
        &mut transaction,
        context.now,
        AuditRecord { who: &auth.who, action: "save", target: context.target(), detail, note: String::new() },
    )
    .await?;
    transaction.commit().await?;
    let measured = submissions::measured_indicators(&context.framework);
    Ok(Json(SaveResult {
        saved,
        problems: dti_core::assessment::refused_values(&context.framework, &save.submission, "submission")
            .iter()
            .map(|diagnostic| Problem::of(diagnostic, &*context.framework))
            .collect(),
        measured_ignored: save
            .submission
            .values
            .iter()
            .filter(|(id, entry)| measured.contains(&id.as_str()) && !entry.is_empty())
            .map(|(id, _)| id.clone())
            .collect(),
    }))
}

/// The new state after a submission action.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StateChanged {
    /// The state before.
    pub before: SubmissionState,
    /// The state now.
    pub state: SubmissionState,
}

/// A change of a submission's state.
pub struct Transition {
    /// The action the policy decides on.
    pub action: Action,
    /// Its name in the audit log.
    pub audit_action: &'static str,
    /// The state after it.
    pub to: SubmissionState,
    /// The person's note or reason.
    pub note: String,
}

/// Runs `transition` on unit `code`'s submission in campaign `id`: loads the context in a
/// write transaction, authorises, checks `extra` (which returns the audit entry's detail),
/// moves the state, audits and commits.
pub async fn change_state<F>(
    state: &AppState,
    auth: &Auth,
    (id, code): (i64, &str),
    transition: Transition,
    extra: F,
) -> Result<Json<StateChanged>, ApiError>
where
    F: AsyncFnOnce(&mut AnyConnection, &UnitContext, &Record) -> Result<serde_json::Value, ApiError>,
{
    let Transition { action, audit_action, to, note } = transition;
    let mut transaction = state.db().write().await?;
    let context = UnitContext::load(state, &mut transaction, id, code).await?;
    authorise(auth, action, &context, None)?;
    let record = context.record.clone().ok_or(Refusal::Empty)?;
    let detail = extra(&mut transaction, &context, &record).await?;
    submissions::set_state(&mut transaction, &record, id, to, context.now).await?;
    audit::append(
        &mut transaction,
        context.now,
        AuditRecord {
            who: &auth.who,
            action: audit_action,
            target: context.target(),
            detail: json!({ "before": record.state, "after": to, "revision": record.head, "detail": detail }),
            note,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(StateChanged { before: record.state, state: to }))
}

/// Submits (signs off) the unit's self-assessment: refused while a value breaks its
/// indicator's rule.
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/submit", tag = "submissions", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = StateChanged), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(note): Json<Note>,
) -> Result<Json<StateChanged>, ApiError> {
    let transition =
        Transition { action: Action::Submit, audit_action: "submit", to: SubmissionState::Submitted, note: note.note };
    change_state(&state, &auth, (id, &code), transition, async |connection, context, record| {
        let head = submissions::revision(&mut *connection, record.id, record.head).await?.unwrap_or_default();
        let refused = dti_core::assessment::refused_values(&context.framework, &head, "submission");
        if let Some(first) = refused.first() {
            let field = format!("submission.values.{}", first.location.path.as_deref().unwrap_or(""));
            return Err(ApiError::invalid(
                field,
                format!("{} value(s) break their indicator's rule, first: {}", refused.len(), first.message),
            ));
        }
        Ok(json!({}))
    })
    .await
}

/// A reason, required.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Why.
    pub reason: String,
}

/// Locks a verified submission (campaign managers).
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/lock", tag = "submissions", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = StateChanged), (status = 403), (status = 404), (status = 409)))]
pub async fn lock(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(note): Json<Note>,
) -> Result<Json<StateChanged>, ApiError> {
    let transition =
        Transition { action: Action::Lock, audit_action: "lock", to: SubmissionState::Locked, note: note.note };
    change_state(&state, &auth, (id, &code), transition, async |_, _, _| Ok(json!({}))).await
}

/// Reopens a verified or locked submission for changes (campaign managers, with a reason).
#[utoipa::path(post, path = "/api/campaigns/{id}/units/{code}/submission/reopen", tag = "submissions", request_body = Reason,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = StateChanged), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn reopen(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(reason): Json<Reason>,
) -> Result<Json<StateChanged>, ApiError> {
    if reason.reason.trim().is_empty() {
        return Err(ApiError::invalid("reason", "reopening needs a reason"));
    }
    let transition = Transition {
        action: Action::Reopen,
        audit_action: "reopen",
        to: SubmissionState::ChangesRequested,
        note: reason.reason,
    };
    change_state(&state, &auth, (id, &code), transition, async |_, _, _| Ok(json!({}))).await
}

/// Every revision of the submission, oldest first.
#[utoipa::path(get, path = "/api/campaigns/{id}/units/{code}/submission/revisions", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = Vec<RevisionInfo>), (status = 403), (status = 404)))]
pub async fn revisions(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Json<Vec<RevisionInfo>>, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let context = UnitContext::load(&state, &mut connection, id, &code).await?;
    authorise(&auth, Action::ReadSubmission, &context, None)?;
    match &context.record {
        Some(record) => Ok(Json(submissions::history(&mut *connection, record.id).await?)),
        None => Ok(Json(Vec::new())),
    }
}

/// One revision, as it was saved.
#[utoipa::path(get, path = "/api/campaigns/{id}/units/{code}/submission/revisions/{number}", tag = "submissions",
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code"),
           ("number" = i64, Path, description = "The revision's number")),
    responses((status = 200, body = Object), (status = 403), (status = 404)))]
pub async fn revision(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code, number)): Path<(i64, String, i64)>,
) -> Result<Json<Submission>, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let context = UnitContext::load(&state, &mut connection, id, &code).await?;
    authorise(&auth, Action::ReadSubmission, &context, None)?;
    let record = context.record.as_ref().ok_or(ApiError::NotFound("revision"))?;
    if number < 1 {
        return Err(ApiError::NotFound("revision"));
    }
    Ok(Json(submissions::revision(&mut *connection, record.id, number).await?.ok_or(ApiError::NotFound("revision"))?))
}
