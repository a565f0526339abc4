//! A campaign's results: the live ranking, the gap between self-assessed and verified
//! scores, its data and results as CSV or Excel, finalising (a frozen snapshot) and
//! publishing (a `dti-site` publication `dti verify` accepts).

use super::AppState;
use super::auth::Auth;
use super::campaigns::Note;
use super::json::Json;
use super::json::Query;
use crate::audit::{self, Record};
use crate::domain::campaigns::{self, Campaign, CampaignAction, CampaignState};
use crate::domain::results::{self, Basis, Gap, Ranking};
use crate::error::ApiError;
use crate::policy::{Action, Subject, decide};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

/// Allows `action` on `campaign` to `auth`, or says why not.
fn allow(auth: &Auth, action: Action, campaign: &Campaign) -> Result<(), ApiError> {
    let subject = Subject { org_path: &campaign.owner_path, campaign: Some(campaign.state), ..Subject::default() };
    if decide(&auth.actor, Action::ViewCampaign, &subject).is_err() {
        return Err(ApiError::NotFound("campaign"));
    }
    Ok(decide(&auth.actor, action, &subject)?)
}

/// Which values, in which format.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// `submitted` (every submitted unit, as it gave its values; the default) or `verified`
    /// (verified units, verified values).
    #[serde(default)]
    pub basis: Basis,
    /// `csv` (the default) or `xlsx`, for downloads.
    pub format: Option<String>,
}

/// The live ranking of the campaign, evaluated by the engine on the current values
/// (computed again only when the data changed).
#[utoipa::path(get, path = "/api/campaigns/{id}/ranking", tag = "results", params(("id" = i64, Path, description = "The campaign's id"), Choice),
    responses((status = 200, body = Ranking), (status = 403), (status = 404), (status = 409)))]
pub async fn ranking(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(choice): Query<Choice>,
) -> Result<Json<Ranking>, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ViewResults, &campaign)?;
    Ok(Json((*state.ranking(id, choice.basis).await?).clone()))
}

/// Each verified unit's self-assessed score beside its verified score.
#[utoipa::path(get, path = "/api/campaigns/{id}/gaps", tag = "results", params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = Vec<Gap>), (status = 403), (status = 404)))]
pub async fn gaps(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Json<Vec<Gap>>, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ViewResults, &campaign)?;
    let framework = state.framework(&campaign.framework_sha256).await?;
    let shared = state.campaign_values(id).await?;
    let values = shared.lock().await;
    let verified = values.included(Basis::Verified);
    let own_csv = results::long_csv(verified.iter().map(|(unit, _)| &unit.own))?;
    let verified_csv = results::long_csv(verified.iter().map(|(_, submission)| *submission))?;
    let adjusted: Vec<(String, Vec<String>)> = verified
        .iter()
        .map(|(unit, submission)| {
            let changed = submission
                .values
                .iter()
                .filter(|(indicator, entry)| unit.own.values.get(*indicator) != Some(entry))
                .map(|(indicator, _)| indicator.clone())
                .collect();
            (submission.unit_id.clone(), changed)
        })
        .collect();
    drop(values);
    let period = campaign.period.clone();
    let gaps = tokio::task::spawn_blocking(move || -> Result<Vec<Gap>, ApiError> {
        if adjusted.is_empty() {
            return Ok(Vec::new());
        }
        let own = results::evaluate(&framework, &own_csv, &period)?;
        let verified = results::evaluate(&framework, &verified_csv, &period)?;
        Ok(adjusted
            .into_iter()
            .map(|(unit, adjusted)| {
                let score = |evaluation: &dti_core::Evaluation| {
                    evaluation.units.iter().position(|u| u.id == unit).and_then(|index| evaluation.display_score(index))
                };
                let (self_assessed, verified_score) = (score(&own), score(&verified));
                let name = own.units.iter().find(|u| u.id == unit).map(|u| u.name.clone()).unwrap_or_default();
                Gap {
                    gap: self_assessed.zip(verified_score).map(|(a, b)| a - b),
                    unit,
                    name,
                    self_assessed,
                    verified: verified_score,
                    adjusted,
                }
            })
            .collect())
    })
    .await
    .map_err(|error| ApiError::Internal(format!("evaluation: {error}")))??;
    Ok(Json(gaps))
}

/// A table as CSV or as an Excel workbook with one sheet.
fn table_response(name: &str, format: Option<&str>, csv_text: String) -> Result<Response, ApiError> {
    match format.unwrap_or("csv") {
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
            ],
            csv_text,
        )
            .into_response()),
        "xlsx" => {
            let bytes = crate::xlsx::from_csv(&csv_text, "data")
                .map_err(|error| ApiError::Internal(format!("xlsx: {error}")))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                    ),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")),
                ],
                bytes,
            )
                .into_response())
        }
        other => Err(ApiError::invalid("format", format!("`{other}`: give csv or xlsx"))),
    }
}

/// The campaign's data in the long format `dti evaluate` reads (CSV or Excel).
#[utoipa::path(get, path = "/api/campaigns/{id}/data", tag = "results", params(("id" = i64, Path, description = "The campaign's id"), Choice),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403), (status = 404)))]
pub async fn data(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(choice): Query<Choice>,
) -> Result<Response, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ViewResults, &campaign)?;
    let shared = state.campaign_values(id).await?;
    let values = shared.lock().await;
    let csv_text = results::long_csv(values.included(choice.basis).into_iter().map(|(_, submission)| submission))?;
    drop(values);
    table_response(&format!("campaign-{id}-data"), choice.format.as_deref(), csv_text)
}

/// The ranking as a table (CSV or Excel).
#[utoipa::path(get, path = "/api/campaigns/{id}/results", tag = "results", params(("id" = i64, Path, description = "The campaign's id"), Choice),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403), (status = 404)))]
pub async fn results_table(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(choice): Query<Choice>,
) -> Result<Response, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ViewResults, &campaign)?;
    let ranking = state.ranking(id, choice.basis).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = || -> Result<(), csv::Error> {
        writer.write_record(["unit", "name", "block", "score", "rank", "block_rank", "level", "refused_values"])?;
        for row in &ranking.rows {
            let number = |value: Option<u32>| value.map(|value| value.to_string()).unwrap_or_default();
            writer.write_record([
                row.unit.clone(),
                row.name.clone(),
                row.block.clone().unwrap_or_default(),
                row.score.map(|score| format!("{score:.4}")).unwrap_or_default(),
                number(row.rank),
                number(row.block_rank),
                row.level.clone().unwrap_or_default(),
                row.refused_values.to_string(),
            ])?;
        }
        writer.flush().map_err(csv::Error::from)
    };
    write().map_err(|error| ApiError::Internal(format!("csv: {error}")))?;
    let bytes = writer.into_inner().map_err(|error| ApiError::Internal(format!("csv: {error}")))?;
    table_response(
        &format!("campaign-{id}-results"),
        choice.format.as_deref(),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// A finalised campaign's frozen inputs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    /// The indicator file's SHA-256.
    pub framework_sha256: String,
    /// The data's SHA-256 (the long CSV of the verified values).
    pub data_sha256: String,
    /// Units in it.
    pub units: usize,
    /// Units left out: not verified when it was finalised.
    pub left_out: Vec<String>,
    /// When (RFC 3339).
    pub finalised_at: String,
    /// Where its publication is served, once published.
    pub publication: Option<String>,
}

/// Finalises a closed campaign: the verified values of the verified and locked units are
/// frozen with their digests; nothing in the campaign changes afterwards.
#[utoipa::path(post, path = "/api/campaigns/{id}/finalise", tag = "results", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = Snapshot), (status = 403), (status = 404), (status = 409)))]
pub async fn finalise(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(note): Json<Note>,
) -> Result<Json<Snapshot>, ApiError> {
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let campaign = campaigns::get(&mut *transaction, id).await?;
    allow(&auth, Action::ManageCampaign, &campaign)?;
    let after = campaign.state.after(CampaignAction::Finalise)?;
    // The values read inside the write transaction: nothing changes them meanwhile.
    let mut values = results::CampaignValues::default();
    values.refresh(&mut transaction, id).await?;
    let included = values.included(Basis::Verified);
    let csv_text = results::long_csv(included.iter().map(|(_, submission)| *submission))?;
    let data_sha256 = dti_core::sha256_hex(csv_text.as_bytes());
    let units = included.len();
    let progress = crate::domain::submissions::progress(&mut *transaction, id).await?;
    let left_out: Vec<String> = progress
        .iter()
        .filter(|line| {
            !matches!(
                line.state,
                crate::domain::submissions::SubmissionState::Verified
                    | crate::domain::submissions::SubmissionState::Locked
            )
        })
        .map(|line| line.unit.clone())
        .collect();
    sqlx::query(
        "INSERT INTO snapshots (campaign_id, framework_sha256, data_csv, data_sha256, finalised_at, finalised_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&campaign.framework_sha256)
    .bind(&csv_text)
    .bind(&data_sha256)
    .bind(now)
    .bind(auth.actor.account_id)
    .execute(&mut *transaction)
    .await?;
    campaigns::set_state(&mut transaction, id, campaign.state, after, now).await?;
    let framework = state.framework_on(&mut transaction, &campaign.framework_sha256).await?;
    let alerts = alerts_of(&framework, &csv_text, &campaign.period, now)?;
    let alerted = alerts.len();
    notify_alerts(&state, &mut transaction, &campaign, &alerts, now).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "campaign-finalise",
            target: format!("campaign/{id}"),
            detail: json!({
                "framework_sha256": campaign.framework_sha256,
                "data_sha256": data_sha256,
                "units": units,
                "left_out": left_out,
                "alerts": alerted,
            }),
            note: note.note,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(Snapshot {
        framework_sha256: campaign.framework_sha256,
        data_sha256,
        units,
        left_out,
        finalised_at: crate::clock::rfc3339(now),
        publication: None,
    }))
}

/// The units of a long CSV (its first column).
fn units_in(csv_text: &str) -> std::collections::BTreeSet<String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    reader.records().filter_map(Result::ok).filter_map(|record| record.get(0).map(str::to_owned)).collect()
}

/// The snapshot of a finalised campaign.
#[utoipa::path(get, path = "/api/campaigns/{id}/snapshot", tag = "results", params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = Snapshot), (status = 403), (status = 404)))]
pub async fn snapshot(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Snapshot>, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ViewResults, &campaign)?;
    let row = sqlx::query(
        "SELECT framework_sha256, data_sha256, data_csv, finalised_at, publication_path FROM snapshots WHERE campaign_id = $1",
    )
    .bind(id)
    .fetch_optional(state.db().read())
    .await?
    .ok_or(ApiError::NotFound("snapshot"))?;
    let csv_text: String = row.try_get(2)?;
    let in_data = units_in(&csv_text);
    let progress = crate::domain::submissions::progress(state.db().read(), id).await?;
    Ok(Json(Snapshot {
        framework_sha256: row.try_get(0)?,
        data_sha256: row.try_get(1)?,
        units: in_data.len(),
        left_out: progress.iter().filter(|line| !in_data.contains(&line.unit)).map(|line| line.unit.clone()).collect(),
        finalised_at: crate::clock::rfc3339(row.try_get(3)?),
        publication: row.try_get(4)?,
    }))
}

/// Publishes a finalised campaign: its snapshot becomes a `dti-site` publication (rankings
/// by block, unit pages, alerts, open data, the sources with their digests) served at
/// `/publications/ID/`, which `dti verify` accepts.
#[utoipa::path(post, path = "/api/campaigns/{id}/publish", tag = "results", request_body = Note,
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, body = Snapshot), (status = 403), (status = 404), (status = 409)))]
pub async fn publish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(note): Json<Note>,
) -> Result<Json<Snapshot>, ApiError> {
    let campaign = campaigns::get(state.db().read(), id).await?;
    allow(&auth, Action::ManageCampaign, &campaign)?;
    campaign.state.after(CampaignAction::Publish)?;
    let publisher = state.config().publisher.clone().ok_or_else(|| ApiError::Conflict {
        code: "no-publisher",
        message: "this server was started without a publisher: run it as `dti serve`".into(),
        current: None,
    })?;
    let row = sqlx::query("SELECT data_csv, data_sha256 FROM snapshots WHERE campaign_id = $1")
        .bind(id)
        .fetch_one(state.db().read())
        .await?;
    let (csv_text, data_sha256): (String, String) = (row.try_get(0)?, row.try_get(1)?);
    let (file_name, framework_text) = campaigns::framework_text(state.db().read(), &campaign.framework_sha256)
        .await?
        .ok_or(ApiError::NotFound("indicator file"))?;
    let folder = state.config().data_dir.join("publications").join(id.to_string());
    let staging = state.config().data_dir.join("publications").join(format!(".{id}-{}", state.now()));
    let as_of = crate::clock::rfc3339(state.now()).chars().take(10).collect::<String>();
    let app = state.config().web_dir.clone();
    let data_name = format!("campaign-{id}-{}.csv", campaign.period);
    let staged = staging.clone();
    tokio::task::spawn_blocking(move || {
        publisher.publish(
            (&file_name, framework_text.as_bytes()),
            (&data_name, csv_text.as_bytes()),
            &as_of,
            app.as_deref(),
            &staged,
        )
    })
    .await
    .map_err(|error| ApiError::Internal(format!("publishing: {error}")))?
    .map_err(|error| ApiError::Internal(format!("publishing: {error}")))?;
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let current = campaigns::get(&mut *transaction, id).await?;
    if current.state != CampaignState::Finalised {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(current.state.after(CampaignAction::Publish).err().unwrap_or(ApiError::Internal("state".into())));
    }
    // The new publication replaces an older one whole (a publication is never half there).
    if folder.exists() {
        let _ = std::fs::remove_dir_all(&folder);
    }
    std::fs::rename(&staging, &folder).map_err(|error| ApiError::Internal(format!("publication folder: {error}")))?;
    let path = format!("/publications/{id}/");
    sqlx::query("UPDATE snapshots SET published_at = $1, publication_path = $2 WHERE campaign_id = $3")
        .bind(now)
        .bind(&path)
        .bind(id)
        .execute(&mut *transaction)
        .await?;
    campaigns::set_state(&mut transaction, id, CampaignState::Finalised, CampaignState::Published, now).await?;
    let head: (String,) =
        sqlx::query_as("SELECT hash FROM audit_head WHERE id = 1").fetch_one(&mut *transaction).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "campaign-publish",
            target: format!("campaign/{id}"),
            detail: json!({
                "framework_sha256": campaign.framework_sha256,
                "data_sha256": data_sha256,
                "path": path,
                "audit_head_before": head.0,
            }),
            note: note.note,
        },
    )
    .await?;
    transaction.commit().await?;
    snapshot(State(state), auth, Path(id)).await
}

/// The engine's alerts (the indicator file's `[[alerts]]`) on the finalised data, as of
/// `now`.
fn alerts_of(
    framework: &std::sync::Arc<dti_core::Framework>,
    csv_text: &str,
    period: &str,
    now: i64,
) -> Result<Vec<dti_core::alerts::AlertView>, ApiError> {
    if framework.alerts.is_empty() || csv_text.lines().count() < 2 {
        return Ok(Vec::new());
    }
    let loaded =
        dti_core::load_data_with("snapshot.csv", csv_text.as_bytes(), framework, dti_core::ReadOptions::LENIENT);
    let Some(dataset) = loaded.dataset else { return Ok(Vec::new()) };
    let evaluation = results::evaluate(framework, csv_text, period)?;
    let as_of = crate::clock::rfc3339(now).get(..10).and_then(|date| date.parse().ok());
    let series = [evaluation];
    let context = dti_core::alerts::AlertContext { dataset: &dataset, series: &series, as_of, verified: None };
    Ok(dti_core::alerts::check_alerts(&context).views(framework, &dataset))
}

/// Sends each unit its alerts and the campaign's managers all of them, one notification per
/// recipient.
async fn notify_alerts(
    state: &AppState,
    connection: &mut sqlx::AnyConnection,
    campaign: &Campaign,
    alerts: &[dti_core::alerts::AlertView],
    now: i64,
) -> Result<(), ApiError> {
    use crate::notify::{Kind, Notice};
    use dti_core::text::Language;
    if alerts.is_empty() {
        return Ok(());
    }
    let line = |alert: &dti_core::alerts::AlertView| {
        format!(
            "- [{} / {}] {}: {} / {}",
            alert.severity.label(Language::Vi),
            alert.severity.label(Language::En),
            alert.unit_name,
            alert.message.get(Language::Vi),
            alert.message.get(Language::En)
        )
    };
    let mail = state.config().smtp.is_some();
    let mut recipients: std::collections::BTreeMap<i64, Vec<String>> = std::collections::BTreeMap::new();
    let units = campaigns::participants(&mut *connection, campaign.id).await?;
    for alert in alerts {
        if let Some(unit) = units.iter().find(|unit| unit.code == alert.unit) {
            for account in crate::notify::unit_staff(&mut *connection, &unit.path).await? {
                recipients.entry(account).or_default().push(line(alert));
            }
        }
    }
    let managers =
        crate::notify::holders(&mut *connection, &campaign.owner_path, &[crate::policy::Role::CampaignManager]).await?;
    for manager in managers {
        recipients.insert(manager, alerts.iter().map(line).collect());
    }
    for (account, lines) in recipients {
        let notice = Notice {
            kind: Kind::Alerts,
            subject: format!("Cảnh báo sau khi chốt kết quả / Alerts: {} ({})", campaign.name, lines.len()),
            body: lines.join("\n"),
            once: Some(format!("alerts:{}", campaign.id)),
        };
        crate::notify::enqueue(&mut *connection, &[account], &notice, mail, now).await?;
    }
    Ok(())
}
