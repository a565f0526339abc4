//! A campaign's data and its evaluation by the engine: each unit's current values (as it
//! typed them, or verified: with the reviewers' adjustments and the measured values), the
//! long CSV `dti evaluate` reads, and the live ranking.

use crate::domain::reviews::{Decision, Review};
use crate::domain::submissions::SubmissionState;
use crate::error::ApiError;
use dti_core::assessment::Submission;
use dti_core::assessment::merge::Merged;
use dti_core::{Evaluation, Framework};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which values a ranking uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Every submitted unit (verified or not), with the values it gave.
    #[default]
    Submitted,
    /// Verified and locked units only, with the verified values.
    Verified,
}

/// One unit's current values.
#[derive(Debug, Clone)]
pub struct UnitValues {
    /// The submission's state.
    pub state: SubmissionState,
    /// As the unit gave them (measured values in place of typed ones).
    pub own: Submission,
    /// With the standing adjustments applied.
    pub verified: Submission,
}

/// A campaign's units' values as of a data version, refreshed incrementally: only the
/// submissions changed since are read again.
#[derive(Debug, Clone, Default)]
pub struct CampaignValues {
    /// The campaign's data version they reflect.
    pub version: i64,
    /// By organisation id.
    pub units: BTreeMap<i64, UnitValues>,
}

impl CampaignValues {
    /// Reads what changed in campaign `campaign_id` since `self.version`.
    pub async fn refresh(&mut self, connection: &mut AnyConnection, campaign_id: i64) -> Result<(), ApiError> {
        let version: i64 = sqlx::query("SELECT data_version FROM campaigns WHERE id = $1")
            .bind(campaign_id)
            .fetch_optional(&mut *connection)
            .await?
            .ok_or(ApiError::NotFound("campaign"))?
            .try_get(0)?;
        if version == self.version {
            return Ok(());
        }
        let since = self.version;
        let rows = sqlx::query(
            "SELECT s.id, s.org_id, s.state, r.body FROM submissions s
             LEFT JOIN revisions r ON r.submission_id = s.id AND r.number = s.head
             WHERE s.campaign_id = $1 AND s.changed_version > $2",
        )
        .bind(campaign_id)
        .bind(since)
        .fetch_all(&mut *connection)
        .await?;
        let decisions = sqlx::query(
            "SELECT d.submission_id, d.indicator_id, d.decision, d.self_value, d.verified_value
             FROM review_decisions d JOIN submissions s ON s.id = d.submission_id
             WHERE s.campaign_id = $1 AND s.changed_version > $2 ORDER BY d.id",
        )
        .bind(campaign_id)
        .bind(since)
        .fetch_all(&mut *connection)
        .await?;
        // The newest decision per submission and indicator.
        let mut newest: BTreeMap<(i64, String), (String, String, Option<String>)> = BTreeMap::new();
        for row in &decisions {
            newest.insert((row.try_get(0)?, row.try_get(1)?), (row.try_get(2)?, row.try_get(3)?, row.try_get(4)?));
        }
        let measured = measured_values(&mut *connection, campaign_id).await?;
        for row in &rows {
            let (submission_id, org_id): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            let state: String = row.try_get(2)?;
            let state = SubmissionState::parse(&state).unwrap_or(SubmissionState::NotStarted);
            let body: Option<String> = row.try_get(3)?;
            let Some(body) = body else {
                self.units.remove(&org_id);
                continue;
            };
            let mut own: Submission = serde_json::from_str(&body)
                .map_err(|error| ApiError::Internal(format!("submission {submission_id}: {error}")))?;
            for ((_, indicator_id), value) in
                measured.range((org_id, String::new())..).take_while(|((org, _), _)| *org == org_id)
            {
                let entry = own.values.entry(indicator_id.clone()).or_default();
                entry.value = value.clone();
                entry.items.clear();
            }
            let mut reviews = BTreeMap::new();
            for ((_, indicator_id), (decision, self_value, verified_value)) in
                newest.range((submission_id, String::new())..).take_while(|((id, _), _)| *id == submission_id)
            {
                let decision = match decision.as_str() {
                    "adjusted" => {
                        Decision::Adjusted { value: verified_value.clone().unwrap_or_default(), reason: String::new() }
                    }
                    "accepted" => Decision::Accepted { reason: None },
                    _ => Decision::NeedsInformation { reason: String::new() },
                };
                let current = crate::domain::reviews::self_value(&own, indicator_id) == *self_value;
                reviews.insert(
                    indicator_id.clone(),
                    Review {
                        indicator_id: indicator_id.clone(),
                        decision,
                        self_value: self_value.clone(),
                        revision: 0,
                        reviewer: String::new(),
                        at: String::new(),
                        current,
                    },
                );
            }
            let verified = crate::domain::reviews::verified(&own, &reviews);
            self.units.insert(org_id, UnitValues { state, own, verified });
        }
        self.version = version;
        Ok(())
    }

    /// The submissions a ranking on `basis` includes, in organisation order.
    pub fn included(&self, basis: Basis) -> Vec<(&UnitValues, &Submission)> {
        self.units
            .values()
            .filter_map(|unit| match basis {
                Basis::Submitted if unit.state.is_submitted_or_later() => Some((unit, &unit.own)),
                Basis::Verified if matches!(unit.state, SubmissionState::Verified | SubmissionState::Locked) => {
                    Some((unit, &unit.verified))
                }
                _ => None,
            })
            .collect()
    }
}

/// The measured values of a campaign, by (organisation id, indicator id).
async fn measured_values(
    connection: &mut AnyConnection,
    campaign_id: i64,
) -> Result<BTreeMap<(i64, String), String>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT org_id, indicator_id, value FROM measured_values WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_all(&mut *connection)
            .await?;
    Ok(rows.into_iter().map(|(org, indicator, value)| ((org, indicator), value)).collect())
}

/// The long CSV of `submissions` (the format `dti evaluate` and `dti merge` use).
pub fn long_csv<'a>(submissions: impl Iterator<Item = &'a Submission>) -> Result<String, ApiError> {
    let mut merged = Merged::default();
    for submission in submissions {
        merged.add_submission(submission, &submission.unit_id);
    }
    merged.finish(None).long_csv().map_err(|error| ApiError::Internal(format!("csv: {error}")))
}

/// Evaluates `csv` (a campaign's long CSV) against `framework`, for `period`.
pub fn evaluate(framework: &Arc<Framework>, csv: &str, period: &str) -> Result<Evaluation, ApiError> {
    let loaded = dti_core::load_data_with("campaign.csv", csv.as_bytes(), framework, dti_core::ReadOptions::LENIENT);
    let dataset = loaded.dataset.ok_or_else(|| {
        let first = loaded.diagnostics.iter().find(|diagnostic| diagnostic.is_error());
        ApiError::Conflict {
            code: "no-data",
            message: first.map_or("no unit's values can be evaluated yet".into(), |d| d.message.to_string()),
            current: None,
        }
    })?;
    let options = dti_core::EvaluateOptions { period: Some(period.to_owned()), ..dti_core::EvaluateOptions::default() };
    dti_core::evaluate_shared(framework, &dataset, &options).map_err(|error| ApiError::Conflict {
        code: "evaluation",
        message: error.to_string(),
        current: None,
    })
}

/// One unit's line in a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RankingRow {
    /// The unit's code.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its block.
    pub block: Option<String>,
    /// Its score, as published (points out of the scale's maximum).
    pub score: Option<f64>,
    /// Its rank among all units.
    pub rank: Option<u32>,
    /// Its rank within its block.
    pub block_rank: Option<u32>,
    /// Its maturity level's id.
    pub level: Option<String>,
    /// Values of this unit the engine refused.
    pub refused_values: usize,
}

/// A campaign's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    /// The values used.
    pub basis: Basis,
    /// The campaign's data version it reflects.
    pub data_version: i64,
    /// The units ranked, best first within the overall ranking.
    pub rows: Vec<RankingRow>,
}

/// The ranking of `evaluation`, best first.
pub fn ranking(evaluation: &Evaluation, basis: Basis, data_version: i64) -> Ranking {
    let mut rows: Vec<RankingRow> = evaluation
        .units
        .iter()
        .enumerate()
        .map(|(position, unit)| RankingRow {
            unit: unit.id.clone(),
            name: unit.name.clone(),
            block: unit.block.clone(),
            score: evaluation.display_score(position),
            rank: evaluation.rank[position],
            block_rank: evaluation.block_rank[position],
            level: evaluation.root_level(position).map(|level| level.id.clone()),
            refused_values: evaluation.refused_values(position),
        })
        .collect();
    rows.sort_by(|a, b| a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)).then_with(|| a.unit.cmp(&b.unit)));
    Ranking { basis, data_version, rows }
}

/// The gap between a unit's self-assessed and verified score.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Gap {
    /// The unit's code.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its score with the values it gave.
    pub self_assessed: Option<f64>,
    /// Its score with the verified values.
    pub verified: Option<f64>,
    /// Self-assessed minus verified.
    pub gap: Option<f64>,
    /// Indicators the reviewers adjusted.
    pub adjusted: Vec<String>,
}
