//! Submissions: one per campaign and unit, in the page's own `dti-submission/1` format.
//! Every save is an immutable revision that names the revision it was based on; a save
//! based on an old revision is refused with the current one and, when the two changes
//! touch different indicators, their merge.

use crate::clock::Millis;
use crate::domain::campaigns::{Campaign, Participant};
use crate::error::ApiError;
use dti_core::assessment::{Entry, Submission};
use dti_core::framework::{Framework, Source};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Any, AnyConnection, Row};
use std::collections::BTreeMap;

/// Where a unit's self-assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SubmissionState {
    /// Nothing saved yet.
    NotStarted,
    /// Saved, not submitted.
    Draft,
    /// Submitted by the unit's head: waits for review.
    Submitted,
    /// A reviewer asked for changes: the unit edits and submits again.
    ChangesRequested,
    /// Every value was accepted or adjusted.
    Verified,
    /// Locked by a campaign manager: final.
    Locked,
}

impl SubmissionState {
    /// Every state.
    pub const ALL: [SubmissionState; 6] = [
        SubmissionState::NotStarted,
        SubmissionState::Draft,
        SubmissionState::Submitted,
        SubmissionState::ChangesRequested,
        SubmissionState::Verified,
        SubmissionState::Locked,
    ];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::NotStarted => "not-started",
            SubmissionState::Draft => "draft",
            SubmissionState::Submitted => "submitted",
            SubmissionState::ChangesRequested => "changes-requested",
            SubmissionState::Verified => "verified",
            SubmissionState::Locked => "locked",
        }
    }

    /// The state named `name`.
    pub fn parse(name: &str) -> Option<SubmissionState> {
        SubmissionState::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// Whether the unit has handed it in (reviewers and viewers may read it).
    pub fn is_submitted_or_later(self) -> bool {
        matches!(self, SubmissionState::Submitted | SubmissionState::Verified | SubmissionState::Locked)
    }

    /// The state after a save: a first save makes a draft; changes asked for stay asked for
    /// until the unit submits again.
    pub fn after_save(self) -> SubmissionState {
        match self {
            SubmissionState::NotStarted => SubmissionState::Draft,
            state => state,
        }
    }
}

/// A submission's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its id.
    pub id: i64,
    /// Its state.
    pub state: SubmissionState,
    /// The newest revision's number (0 before the first save).
    pub head: i64,
    /// When it was last submitted.
    pub submitted_at: Option<Millis>,
    /// When it last changed.
    pub updated_at: Millis,
}

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<Record, sqlx::Error> {
    let state: String = row.try_get(1)?;
    Ok(Record {
        id: row.try_get(0)?,
        state: SubmissionState::parse(&state).ok_or_else(|| sqlx::Error::Decode(format!("state {state}").into()))?,
        head: row.try_get(2)?,
        submitted_at: row.try_get(3)?,
        updated_at: row.try_get(4)?,
    })
}

/// The submission of unit `org_id` in campaign `campaign_id`, if one was started.
pub async fn find<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    campaign_id: i64,
    org_id: i64,
) -> Result<Option<Record>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, state, head, submitted_at, updated_at FROM submissions WHERE campaign_id = $1 AND org_id = $2",
    )
    .bind(campaign_id)
    .bind(org_id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(record_from_row).transpose()
}

/// The submission of a unit, created (not started) when missing.
pub async fn find_or_create(
    connection: &mut AnyConnection,
    campaign_id: i64,
    org_id: i64,
    at: Millis,
) -> Result<Record, sqlx::Error> {
    sqlx::query(
        "INSERT INTO submissions (campaign_id, org_id, state, updated_at) VALUES ($1, $2, 'not-started', $3)
         ON CONFLICT (campaign_id, org_id) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(org_id)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    find(&mut *connection, campaign_id, org_id)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol("the submission just created is missing".into()))
}

/// Revision `number` of submission `id` (an empty submission for revision 0).
pub async fn revision<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    id: i64,
    number: i64,
) -> Result<Option<Submission>, ApiError> {
    if number == 0 {
        return Ok(Some(Submission::default()));
    }
    let row: Option<(String,)> = sqlx::query_as("SELECT body FROM revisions WHERE submission_id = $1 AND number = $2")
        .bind(id)
        .bind(number)
        .fetch_optional(executor)
        .await?;
    row.map(|(body,)| {
        serde_json::from_str(&body).map_err(|error| ApiError::Internal(format!("revision {id}/{number}: {error}")))
    })
    .transpose()
}

/// One revision in a submission's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RevisionInfo {
    /// Its number, from 1.
    pub number: i64,
    /// The revision it was based on.
    pub based_on: i64,
    /// Who saved it.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Every revision of submission `id`, oldest first.
pub async fn history<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    id: i64,
) -> Result<Vec<RevisionInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.number, r.based_on, a.login, r.created_at FROM revisions r JOIN accounts a ON a.id = r.author_id
         WHERE r.submission_id = $1 ORDER BY r.number",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RevisionInfo {
                number: row.try_get(0)?,
                based_on: row.try_get(1)?,
                author: row.try_get(2)?,
                created_at: crate::clock::rfc3339(row.try_get(3)?),
            })
        })
        .collect()
}

/// The longest text kept in one field of an entry, in bytes.
const MAX_FIELD_BYTES: usize = 10_000;

/// Checks that `submission` belongs to this campaign and unit and names only indicators of
/// its indicator file; fields are named as in the JSON body (`submission.values.ID`).
pub fn check(
    submission: &Submission,
    framework: &Framework,
    campaign: &Campaign,
    unit: &Participant,
) -> Result<(), ApiError> {
    let field = |name: &str| format!("submission.{name}");
    if submission.format != dti_core::assessment::SUBMISSION_FORMAT {
        return Err(ApiError::invalid(
            field("format"),
            format!("`{}` is not `{}`", submission.format, dti_core::assessment::SUBMISSION_FORMAT),
        ));
    }
    if submission.framework.sha256 != campaign.framework_sha256 {
        return Err(ApiError::invalid(
            field("framework.sha256"),
            format!(
                "made with the indicator file {}, but the campaign uses {}: start from the campaign's file",
                short(&submission.framework.sha256),
                short(&campaign.framework_sha256)
            ),
        ));
    }
    if submission.unit_id != unit.code {
        return Err(ApiError::invalid(
            field("unit_id"),
            format!("this is `{}`'s self-assessment, not `{}`'s", submission.unit_id, unit.code),
        ));
    }
    if submission.period != campaign.period {
        return Err(ApiError::invalid(
            field("period"),
            format!("the period is `{}`, the campaign's is `{}`", submission.period, campaign.period),
        ));
    }
    for (id, entry) in &submission.values {
        let is_indicator = framework.node_index(id).is_some_and(|index| framework.nodes[index].indicator().is_some());
        if !is_indicator {
            return Err(ApiError::invalid(
                field(&format!("values.{id}")),
                "the indicator file has no indicator with this id",
            ));
        }
        let fields = [("value", &entry.value), ("evidence", &entry.evidence), ("note", &entry.note)];
        for (name, text) in fields {
            if text.len() > MAX_FIELD_BYTES {
                return Err(ApiError::invalid(
                    field(&format!("values.{id}.{name}")),
                    format!("{} bytes: at most {MAX_FIELD_BYTES}", text.len()),
                ));
            }
        }
        if entry.items.len() > 1000 {
            return Err(ApiError::invalid(field(&format!("values.{id}.items")), "at most 1000 items"));
        }
    }
    Ok(())
}

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// The ids of indicators measured by a system: what a unit types for them is kept but not
/// used.
pub fn measured_indicators(framework: &Framework) -> Vec<&str> {
    framework
        .nodes
        .iter()
        .filter(|node| node.indicator().is_some_and(|indicator| indicator.source == Source::Measured))
        .map(|node| node.id.as_str())
        .collect()
}

/// How one indicator's entry differs between two revisions.
fn changed_indicators<'a>(
    before: &'a Submission,
    after: &'a Submission,
) -> BTreeMap<&'a str, (Option<&'a Entry>, Option<&'a Entry>)> {
    let mut changed = BTreeMap::new();
    for (id, entry) in &after.values {
        if before.values.get(id) != Some(entry) {
            changed.insert(id.as_str(), (before.values.get(id), Some(entry)));
        }
    }
    for (id, entry) in &before.values {
        if !after.values.contains_key(id) {
            changed.insert(id.as_str(), (Some(entry), None));
        }
    }
    changed
}

/// The result of merging a stale save into the current revision, indicator by indicator.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StaleMerge {
    /// The current revision's number.
    pub head: i64,
    /// The current revision.
    #[schema(value_type = Object)]
    pub current: Submission,
    /// The current revision with the refused save's changes on top, when no indicator was
    /// changed by both: save it with `based_on` = `head`.
    #[schema(value_type = Option<Object>)]
    pub merged: Option<Submission>,
    /// The indicators both changed differently.
    pub conflicts: Vec<String>,
}

/// Merges `mine` (based on `base`) into `theirs` (the head): an indicator changed on one
/// side only takes that side's entry; one changed on both sides to different entries is a
/// conflict.
pub fn merge(base: &Submission, mine: &Submission, theirs: &Submission, head: i64) -> StaleMerge {
    let mut merged = theirs.clone();
    let mut conflicts = Vec::new();
    for (id, (_, my_entry)) in changed_indicators(base, mine) {
        let their_entry = theirs.values.get(id);
        let base_entry = base.values.get(id);
        if their_entry == base_entry || their_entry == my_entry {
            match my_entry {
                Some(entry) => merged.values.insert(id.to_owned(), entry.clone()),
                None => merged.values.remove(id),
            };
        } else {
            conflicts.push(id.to_owned());
        }
    }
    StaleMerge { head, current: theirs.clone(), merged: conflicts.is_empty().then_some(merged), conflicts }
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Saved {
    /// The new revision's number.
    pub head: i64,
    /// The submission's state after the save.
    pub state: SubmissionState,
    /// The indicators whose entry changed.
    pub changed: Vec<String>,
}

/// Saves `submission` as the next revision of `record`, based on revision `based_on`; a
/// stale `based_on` is a 409 with the current revision and the merge. Writes the
/// revision, the new state and the audit entry in the caller's transaction.
pub async fn save(
    connection: &mut AnyConnection,
    record: &Record,
    campaign_id: i64,
    based_on: i64,
    submission: &Submission,
    author_id: i64,
    at: Millis,
) -> Result<(Saved, serde_json::Value), ApiError> {
    let head_revision = revision(&mut *connection, record.id, record.head).await?.unwrap_or_default();
    if based_on != record.head {
        let base = revision(&mut *connection, record.id, based_on)
            .await?
            .ok_or_else(|| ApiError::invalid("based_on", format!("there is no revision {based_on}")))?;
        let stale = merge(&base, submission, &head_revision, record.head);
        return Err(ApiError::Conflict {
            code: "stale-revision",
            message: format!(
                "revision {} was saved since revision {based_on}: {}",
                record.head,
                if stale.conflicts.is_empty() {
                    "the changes touch different indicators, so `current.merged` joins them; save it based on the new revision".to_owned()
                } else {
                    format!("both changed {}", stale.conflicts.join(", "))
                }
            ),
            current: Some(json!(stale)),
        });
    }
    let changed = changed_indicators(&head_revision, submission);
    let detail = json!({
        "revision": record.head + 1,
        "based_on": based_on,
        "changed": changed.iter().map(|(id, (before, after))| json!({
            "indicator": id,
            "before": before.map(|entry| &entry.value),
            "after": after.map(|entry| &entry.value),
        })).collect::<Vec<_>>(),
    });
    let changed: Vec<String> = changed.keys().map(|id| (*id).to_owned()).collect();
    let number = record.head + 1;
    // The body as the page would export it, sealed (without the export time).
    let mut stored = submission.clone();
    stored.exported_at = None;
    sqlx::query(
        "INSERT INTO revisions (submission_id, number, based_on, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(record.id)
    .bind(number)
    .bind(based_on)
    .bind(stored.to_json())
    .bind(author_id)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    let state = record.state.after_save();
    let version = crate::domain::campaigns::bump_data_version(&mut *connection, campaign_id).await?;
    let done = sqlx::query(
        "UPDATE submissions SET head = $1, state = $2, changed_version = $3, updated_at = $4 WHERE id = $5 AND head = $6",
    )
    .bind(number)
    .bind(state.as_str())
    .bind(version)
    .bind(at)
    .bind(record.id)
    .bind(record.head)
    .execute(&mut *connection)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::Conflict {
            code: "stale-revision",
            message: "saved meanwhile: reload".into(),
            current: None,
        });
    }
    Ok((Saved { head: number, state, changed }, detail))
}

/// Moves submission `record` from its state to `state` (a submit, a review decision, a
/// lock or a reopening), raising the campaign's data version.
pub async fn set_state(
    connection: &mut AnyConnection,
    record: &Record,
    campaign_id: i64,
    state: SubmissionState,
    at: Millis,
) -> Result<(), ApiError> {
    let version = crate::domain::campaigns::bump_data_version(&mut *connection, campaign_id).await?;
    let submitted_at = if state == SubmissionState::Submitted { Some(at) } else { record.submitted_at };
    let done = sqlx::query(
        "UPDATE submissions SET state = $1, submitted_at = $2, changed_version = $3, updated_at = $4
         WHERE id = $5 AND state = $6",
    )
    .bind(state.as_str())
    .bind(submitted_at)
    .bind(version)
    .bind(at)
    .bind(record.id)
    .bind(record.state.as_str())
    .execute(&mut *connection)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::Conflict {
            code: "submission-state",
            message: "changed meanwhile: reload".into(),
            current: None,
        });
    }
    Ok(())
}

/// Marks submission `record` changed (a review decision changes its verified values), so
/// that rankings are computed again.
pub async fn touch(
    connection: &mut AnyConnection,
    record: &Record,
    campaign_id: i64,
    at: Millis,
) -> Result<(), sqlx::Error> {
    let version = crate::domain::campaigns::bump_data_version(&mut *connection, campaign_id).await?;
    sqlx::query("UPDATE submissions SET changed_version = $1, updated_at = $2 WHERE id = $3")
        .bind(version)
        .bind(at)
        .bind(record.id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// One unit's line in a campaign's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// The unit's code.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its block.
    pub block: Option<String>,
    /// Its submission's state.
    pub state: SubmissionState,
    /// Revisions saved.
    pub revisions: i64,
    /// When it was last submitted (RFC 3339).
    pub submitted_at: Option<String>,
    /// Its extended deadline (RFC 3339), when granted.
    pub extension_until: Option<String>,
}

/// Every unit of campaign `campaign_id` with its submission's state, by code.
pub async fn progress<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    campaign_id: i64,
) -> Result<Vec<Progress>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.code, o.name, o.block, s.state, s.head, s.submitted_at, co.extension_until
         FROM campaign_orgs co JOIN orgs o ON o.id = co.org_id
         LEFT JOIN submissions s ON s.campaign_id = co.campaign_id AND s.org_id = co.org_id
         WHERE co.campaign_id = $1 ORDER BY o.code",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            let state: Option<String> = row.try_get(3)?;
            Ok(Progress {
                unit: row.try_get(0)?,
                name: row.try_get(1)?,
                block: row.try_get(2)?,
                state: state.as_deref().and_then(SubmissionState::parse).unwrap_or(SubmissionState::NotStarted),
                revisions: row.try_get::<Option<i64>, _>(4)?.unwrap_or(0),
                submitted_at: row.try_get::<Option<i64>, _>(5)?.map(crate::clock::rfc3339),
                extension_until: row.try_get::<Option<i64>, _>(6)?.map(crate::clock::rfc3339),
            })
        })
        .collect()
}
