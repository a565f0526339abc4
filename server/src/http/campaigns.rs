//! Indicator files and campaigns: upload a file, create a campaign on it, open, extend,
//! close, and follow who has submitted.

use super::AppState;
use super::auth::Auth;
use super::json::Json;
use super::json::Query;
use crate::audit::{self, Record};
use crate::clock::parse_time;
use crate::domain::campaigns::{self, Campaign, CampaignAction, CampaignInput, CampaignState, Participant};
use crate::domain::submissions::{self, Progress};
use crate::error::ApiError;
use crate::policy::{Action, Actor, Refusal, Role, Subject, decide};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dti_core::text::Language;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A problem the engine found in an uploaded file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `error` or `warning`.
    pub severity: String,
    /// The engine's stable code.
    pub code: String,
    /// Where: the line (from 1) and column.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
    /// The field, when known.
    pub field: Option<String>,
    /// What is wrong, in English.
    pub message: String,
    /// The same in Vietnamese.
    pub message_vi: String,
}

impl Problem {
    /// The view of `diagnostic`, naming nodes by `names`.
    pub fn of(diagnostic: &dti_core::Diagnostic, names: &dyn dti_core::message::Names) -> Problem {
        Problem {
            severity: if diagnostic.is_error() { "error" } else { "warning" }.into(),
            code: diagnostic.code.as_str().into(),
            line: diagnostic.location.line,
            column: diagnostic.location.column,
            field: diagnostic.location.path.clone(),
            message: diagnostic.text(Language::En, names),
            message_vi: diagnostic.text(Language::Vi, names),
        }
    }
}

/// An uploaded indicator file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FrameworkUploaded {
    /// The SHA-256 of its bytes: what a campaign pins.
    pub sha256: String,
    /// The indicator set's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Warnings (errors refuse the file).
    pub problems: Vec<Problem>,
}

/// The file name of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FileName {
    /// The file's name, to name it in problems (`vn-ministry.toml`).
    pub name: Option<String>,
}

/// Uploads an indicator file (TOML or JSON, the request body); checked by the engine and
/// kept under its SHA-256.
#[utoipa::path(post, path = "/api/frameworks", tag = "campaigns", params(FileName),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = FrameworkUploaded), (status = 403), (status = 422)))]
pub async fn upload_framework(
    State(state): State<AppState>,
    auth: Auth,
    Query(file): Query<FileName>,
    body: String,
) -> Result<Json<FrameworkUploaded>, ApiError> {
    if !auth.actor.has_role(Role::CampaignManager) {
        return Err(Refusal::NoRole.into());
    }
    let file_name = file.name.unwrap_or_else(|| "indicators.toml".into());
    if !(file_name.ends_with(".toml") || file_name.ends_with(".json")) {
        return Err(ApiError::invalid("name", "a campaign's indicator file is TOML or JSON (.toml, .json)"));
    }
    let loaded = dti_core::load_framework(&file_name, body.as_bytes());
    let Some(framework) = &loaded.framework else {
        let problems: Vec<_> = loaded.diagnostics.iter().map(|d| Problem::of(d, &dti_core::message::NoNames)).collect();
        let lines: Vec<String> =
            problems.iter().map(|p| format!("{file_name}:{}:{}: {}", p.line, p.column, p.message)).collect();
        return Err(ApiError::invalid("body", lines.join("\n")));
    };
    let now = state.now();
    let mut transaction = state.db().write().await?;
    campaigns::store_framework(&mut transaction, framework, &loaded.sha256, &file_name, &body, now).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "framework-upload",
            target: format!("framework/{}", loaded.sha256),
            detail: json!({ "file": file_name, "id": framework.id, "version": framework.version }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(FrameworkUploaded {
        sha256: loaded.sha256.clone(),
        id: framework.id.clone(),
        version: framework.version.clone(),
        problems: loaded.diagnostics.iter().map(|d| Problem::of(d, framework)).collect(),
    }))
}

/// Whether `actor` may see `campaign`: its managers and viewers, or a unit taking part
/// once it is open.
pub fn visible(actor: &Actor, campaign: &Campaign, participants: &[Participant]) -> bool {
    fn on(path: &str, state: CampaignState) -> Subject<'_> {
        Subject { org_path: path, campaign: Some(state), ..Subject::default() }
    }
    let on = |path| on(path, campaign.state);
    decide(actor, Action::ViewCampaign, &on(&campaign.owner_path)).is_ok()
        || participants.iter().any(|unit| decide(actor, Action::ViewCampaign, &on(&unit.path)).is_ok())
}

/// A campaign and the units taking part.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    /// The campaign.
    #[serde(flatten)]
    pub campaign: Campaign,
    /// Its units.
    pub units: Vec<Participant>,
}

/// The campaigns the signed-in person may see, newest first.
#[utoipa::path(get, path = "/api/campaigns", tag = "campaigns", responses((status = 200, body = Vec<Campaign>)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<Campaign>>, ApiError> {
    let mut seen = Vec::new();
    for campaign in campaigns::list(state.db().read()).await? {
        let participants = campaigns::participants(state.db().read(), campaign.id).await?;
        if visible(&auth.actor, &campaign, &participants) {
            seen.push(campaign);
        }
    }
    Ok(Json(seen))
}

/// Loads campaign `id` for `auth`: 404 when it does not exist or they may not see it.
pub async fn visible_campaign(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> Result<(Campaign, Vec<Participant>), ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    let participants = campaigns::participants(state.db().read(), id).await?;
    if !visible(&auth.actor, &campaign, &participants) {
        return Err(ApiError::NotFound("campaign"));
    }
    Ok((campaign, participants))
}

/// A campaign and its units.
#[utoipa::path(get, path = "/api/campaigns/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = CampaignView), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<CampaignView>, ApiError> {
    let (campaign, units) = visible_campaign(&state, &auth, id).await?;
    Ok(Json(CampaignView { campaign, units }))
}

fn manage(actor: &Actor, owner_path: &str, state: CampaignState) -> Result<(), ApiError> {
    Ok(decide(
        actor,
        Action::ManageCampaign,
        &Subject { org_path: owner_path, campaign: Some(state), ..Subject::default() },
    )?)
}

/// Creates a campaign (a draft).
#[utoipa::path(post, path = "/api/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 201, body = CampaignView), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(input): Json<CampaignInput>,
) -> Result<(StatusCode, Json<CampaignView>), ApiError> {
    let owner = crate::domain::orgs::by_code(state.db().read(), &input.owner)
        .await?
        .ok_or_else(|| ApiError::invalid("owner", format!("no organisation has the code `{}`", input.owner)))?;
    manage(&auth.actor, &owner.path, CampaignState::Draft)?;
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let id = campaigns::create(&mut transaction, &input, now).await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    let units = campaigns::participants(&mut *transaction, id).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "campaign-create",
            target: format!("campaign/{id}"),
            detail: json!({ "after": campaign, "units": units.iter().map(|unit| &unit.code).collect::<Vec<_>>() }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok((StatusCode::CREATED, Json(CampaignView { campaign, units })))
}

/// Changes a campaign: everything while a draft; its name, dates and units once open.
#[utoipa::path(put, path = "/api/campaigns/{id}", tag = "campaigns", request_body = CampaignInput,
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = CampaignView), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<CampaignInput>,
) -> Result<Json<CampaignView>, ApiError> {
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let before = campaigns::get(&mut *transaction, id).await?;
    manage(&auth.actor, &before.owner_path, before.state)?;
    campaigns::update(&mut transaction, &before, &input, now).await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    manage(&auth.actor, &campaign.owner_path, campaign.state)?;
    let units = campaigns::participants(&mut *transaction, id).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "campaign-update",
            target: format!("campaign/{id}"),
            detail: json!({ "before": before, "after": campaign }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(CampaignView { campaign, units }))
}

/// A note or reason given with an action.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The note.
    #[serde(default)]
    pub note: String,
}

/// Opens, closes or reopens a campaign (`finalise` and `publish` are their own actions).
#[utoipa::path(post, path = "/api/campaigns/{id}/state/{action}", tag = "campaigns", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id"),
           ("action" = CampaignAction, Path, description = "open, close or reopen")),
    responses((status = 200, body = Campaign), (status = 403), (status = 404), (status = 409)))]
pub async fn transition(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, action)): Path<(i64, CampaignAction)>,
    Json(note): Json<Note>,
) -> Result<Json<Campaign>, ApiError> {
    if matches!(action, CampaignAction::Finalise | CampaignAction::Publish) {
        return Err(ApiError::invalid("action", "finalise and publish at /finalise and /publish"));
    }
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let before = campaigns::get(&mut *transaction, id).await?;
    manage(&auth.actor, &before.owner_path, before.state)?;
    let after = before.state.after(action)?;
    campaigns::set_state(&mut transaction, id, before.state, after, now).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: action.audit_name(),
            target: format!("campaign/{id}"),
            detail: json!({ "before": before.state, "after": after }),
            note: note.note,
        },
    )
    .await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    if after == CampaignState::Open {
        // Every unit taking part hears of it (once, however often it is reopened).
        let notice = crate::notify::campaign_opened(&campaign);
        let mail = state.config().smtp.is_some();
        for unit in campaigns::participants(&mut *transaction, id).await? {
            let staff = crate::notify::unit_staff(&mut transaction, &unit.path).await?;
            crate::notify::enqueue(&mut transaction, &staff, &notice, mail, now).await?;
        }
    }
    transaction.commit().await?;
    Ok(Json(campaign))
}

/// An extension of one unit's deadline.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The new deadline for this unit (RFC 3339, or a date: its end in Vietnam); none
    /// withdraws the extension.
    pub until: Option<String>,
    /// Why (recorded in the audit log).
    #[serde(default)]
    pub reason: String,
}

/// Grants or withdraws a unit's extension.
#[utoipa::path(put, path = "/api/campaigns/{id}/units/{code}/extension", tag = "campaigns", request_body = Extension,
    params(("id" = i64, Path, description = "The campaign's id"), ("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = Participant), (status = 403), (status = 404), (status = 422)))]
pub async fn extend(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(i64, String)>,
    Json(extension): Json<Extension>,
) -> Result<Json<Participant>, ApiError> {
    let until = match &extension.until {
        Some(text) => Some(
            parse_time(text, true)
                .ok_or_else(|| ApiError::invalid("until", format!("`{text}` is not a date or a time")))?,
        ),
        None => None,
    };
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    manage(&auth.actor, &campaign.owner_path, campaign.state)?;
    let before = campaigns::participant(&mut *transaction, id, &code).await?;
    campaigns::set_extension(&mut transaction, &campaign, before.org_id, until).await?;
    let after = campaigns::participant(&mut *transaction, id, &code).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "extension",
            target: format!("campaign/{id}/unit/{code}"),
            detail: json!({ "before": before.extension_until, "after": after.extension_until }),
            note: extension.reason,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(after))
}

/// Who has started, submitted, been verified: one line per unit the person may see.
#[utoipa::path(get, path = "/api/campaigns/{id}/progress", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = Vec<Progress>), (status = 404)))]
pub async fn progress(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Progress>>, ApiError> {
    let (campaign, participants) = visible_campaign(&state, &auth, id).await?;
    let lines = submissions::progress(state.db().read(), id).await?;
    let shown = lines
        .into_iter()
        .filter(|line| {
            participants.iter().find(|unit| unit.code == line.unit).is_some_and(|unit| {
                let subject = Subject { org_path: &unit.path, campaign: Some(campaign.state), ..Subject::default() };
                decide(&auth.actor, Action::ViewCampaign, &subject).is_ok()
            })
        })
        .collect();
    Ok(Json(shown))
}

/// The result of loading measured values.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasuredLoaded {
    /// Values stored (new or changed).
    pub stored: usize,
}

/// Loads values measured by a system (CSV: `unit`, `indicator`, `value`, `source`) for
/// indicators the indicator file marks as measured: units see them with their source and
/// cannot type them; the evaluation uses them. All rows are stored, or none.
#[utoipa::path(put, path = "/api/campaigns/{id}/measured", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = MeasuredLoaded), (status = 403), (status = 404), (status = 422)))]
pub async fn load_measured(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: String,
) -> Result<Json<MeasuredLoaded>, ApiError> {
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    manage(&auth.actor, &campaign.owner_path, campaign.state)?;
    if matches!(campaign.state, CampaignState::Finalised | CampaignState::Published) {
        return Err(Refusal::Finalised.into());
    }
    let framework = state.framework_on(&mut transaction, &campaign.framework_sha256).await?;
    let measured = submissions::measured_indicators(&framework);
    let units = campaigns::participants(&mut *transaction, id).await?;
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().map_err(|error| ApiError::invalid("body", error.to_string()))?.clone();
    let column = |name: &str| headers.iter().position(|header| header.trim() == name);
    let (Some(unit_at), Some(indicator_at), Some(value_at)) = (column("unit"), column("indicator"), column("value"))
    else {
        return Err(ApiError::invalid(
            "body",
            "line 1: the header needs `unit`, `indicator` and `value` (and `source`)",
        ));
    };
    let source_at = column("source");
    let mut stored = 0;
    let mut affected = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| ApiError::invalid("body", error.to_string()))?;
        let line = record.position().map_or(0, |position| position.line());
        let cell = |at: usize| record.get(at).map(str::trim).unwrap_or_default();
        let unit = units.iter().find(|unit| unit.code == cell(unit_at)).ok_or_else(|| {
            ApiError::invalid("body", format!("line {line}: `{}` does not take part in this campaign", cell(unit_at)))
        })?;
        let indicator = cell(indicator_at);
        if !measured.contains(&indicator) {
            return Err(ApiError::invalid(
                "body",
                format!("line {line}: `{indicator}` is not an indicator the indicator file marks as measured"),
            ));
        }
        let source = source_at.map(cell).filter(|source| !source.is_empty()).unwrap_or("measured");
        sqlx::query(
            "INSERT INTO measured_values (campaign_id, org_id, indicator_id, value, source, at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (campaign_id, org_id, indicator_id) DO UPDATE SET value = excluded.value, source = excluded.source,
             at = excluded.at",
        )
        .bind(id)
        .bind(unit.org_id)
        .bind(indicator)
        .bind(cell(value_at))
        .bind(source)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        if !affected.contains(&unit.org_id) {
            affected.push(unit.org_id);
        }
        stored += 1;
    }
    // The units concerned are read again for the next ranking.
    let version = campaigns::bump_data_version(&mut transaction, id).await?;
    for org_id in affected {
        sqlx::query("UPDATE submissions SET changed_version = $1 WHERE campaign_id = $2 AND org_id = $3")
            .bind(version)
            .bind(id)
            .bind(org_id)
            .execute(&mut *transaction)
            .await?;
    }
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "measured-values",
            target: format!("campaign/{id}"),
            detail: json!({ "stored": stored, "sha256": dti_core::sha256_hex(body.as_bytes()) }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(MeasuredLoaded { stored }))
}
