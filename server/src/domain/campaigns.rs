//! Campaigns: one period's collection against one indicator file, pinned by its SHA-256,
//! for a set of organisations, with an opening date, a deadline, a closing date and
//! per-unit extensions.

use crate::clock::{Millis, parse_time, rfc3339};
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Row};

/// Where a campaign is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CampaignState {
    /// Being prepared: its indicator file and units can change; units cannot see it yet.
    Draft,
    /// Units fill in and submit; reviewers review.
    Open,
    /// No more saves (reviews go on).
    Closed,
    /// The verified data is frozen in a snapshot.
    Finalised,
    /// The results are published.
    Published,
}

/// A change of a campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CampaignAction {
    /// Draft to open.
    Open,
    /// Open to closed.
    Close,
    /// Closed to open again (a late correction).
    Reopen,
    /// Closed to finalised: freezes the verified data.
    Finalise,
    /// Finalised to published.
    Publish,
}

impl CampaignState {
    /// Every state.
    pub const ALL: [CampaignState; 5] = [
        CampaignState::Draft,
        CampaignState::Open,
        CampaignState::Closed,
        CampaignState::Finalised,
        CampaignState::Published,
    ];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Draft => "draft",
            CampaignState::Open => "open",
            CampaignState::Closed => "closed",
            CampaignState::Finalised => "finalised",
            CampaignState::Published => "published",
        }
    }

    /// The state named `name`.
    pub fn parse(name: &str) -> Option<CampaignState> {
        CampaignState::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// The state after `action`, or why it cannot happen now.
    pub fn after(self, action: CampaignAction) -> Result<CampaignState, ApiError> {
        use CampaignAction as Do;
        use CampaignState as State;
        match (self, action) {
            (State::Draft, Do::Open) => Ok(State::Open),
            (State::Open, Do::Close) => Ok(State::Closed),
            (State::Closed, Do::Reopen) => Ok(State::Open),
            (State::Closed, Do::Finalise) => Ok(State::Finalised),
            (State::Finalised, Do::Publish) => Ok(State::Published),
            (state, action) => Err(ApiError::Conflict {
                code: "campaign-state",
                message: format!("a campaign that is {} cannot be {}", state.as_str(), action.past_participle()),
                current: None,
            }),
        }
    }
}

impl CampaignAction {
    fn past_participle(self) -> &'static str {
        match self {
            CampaignAction::Open => "opened",
            CampaignAction::Close => "closed",
            CampaignAction::Reopen => "reopened",
            CampaignAction::Finalise => "finalised",
            CampaignAction::Publish => "published",
        }
    }

    /// The audit log's name of the action.
    pub fn audit_name(self) -> &'static str {
        match self {
            CampaignAction::Open => "campaign-open",
            CampaignAction::Close => "campaign-close",
            CampaignAction::Reopen => "campaign-reopen",
            CampaignAction::Finalise => "campaign-finalise",
            CampaignAction::Publish => "campaign-publish",
        }
    }
}

/// A campaign as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Campaign {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The code of the organisation whose campaign managers run it.
    pub owner: String,
    /// The owner's path (for the policy).
    #[serde(skip)]
    pub owner_path: String,
    /// SHA-256 of the indicator file.
    pub framework_sha256: String,
    /// The period collected.
    pub period: String,
    /// When units may start (RFC 3339).
    pub opens_at: String,
    /// The deadline (RFC 3339).
    pub deadline: String,
    /// When it closes at the latest (RFC 3339).
    pub closes_at: String,
    /// Its state.
    pub state: CampaignState,
    /// The deadline in milliseconds.
    #[serde(skip)]
    pub deadline_ms: Millis,
    /// The opening in milliseconds.
    #[serde(skip)]
    pub opens_ms: Millis,
    /// The closing in milliseconds.
    #[serde(skip)]
    pub closes_ms: Millis,
    /// Raised at every change of its data.
    pub data_version: i64,
}

impl Campaign {
    /// The state that counts at `now`: an open campaign before its opening date is not open
    /// yet, and after its closing date is closed.
    pub fn effective_state(&self, now: Millis) -> CampaignState {
        match self.state {
            CampaignState::Open if now < self.opens_ms => CampaignState::Draft,
            CampaignState::Open if now > self.closes_ms => CampaignState::Closed,
            state => state,
        }
    }

    /// Whether a unit with `extension` (a later deadline, if granted) is past its deadline
    /// at `now`.
    pub fn past_deadline(&self, now: Millis, extension: Option<Millis>) -> bool {
        now > extension.map_or(self.deadline_ms, |until| until.max(self.deadline_ms))
    }
}

const COLUMNS: &str = "c.id, c.name, o.code, o.path, c.framework_sha256, c.period, c.opens_at, c.deadline, c.closes_at, \
                       c.state, c.data_version";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Campaign, sqlx::Error> {
    let state: String = row.try_get(9)?;
    let (opens_ms, deadline_ms, closes_ms) = (row.try_get(6)?, row.try_get(7)?, row.try_get(8)?);
    Ok(Campaign {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        owner: row.try_get(2)?,
        owner_path: row.try_get(3)?,
        framework_sha256: row.try_get(4)?,
        period: row.try_get(5)?,
        opens_at: rfc3339(opens_ms),
        deadline: rfc3339(deadline_ms),
        closes_at: rfc3339(closes_ms),
        state: CampaignState::parse(&state).ok_or_else(|| sqlx::Error::Decode(format!("state {state}").into()))?,
        deadline_ms,
        opens_ms,
        closes_ms,
        data_version: row.try_get(10)?,
    })
}

/// Every campaign, newest first.
pub async fn list<'c, E: sqlx::Executor<'c, Database = Any>>(executor: E) -> Result<Vec<Campaign>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM campaigns c JOIN orgs o ON o.id = c.owner_org_id ORDER BY c.id DESC"
    ))
    .fetch_all(executor)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Campaign `id`.
pub async fn get<'c, E: sqlx::Executor<'c, Database = Any>>(executor: E, id: i64) -> Result<Campaign, ApiError> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM campaigns c JOIN orgs o ON o.id = c.owner_org_id WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(executor)
            .await?
            .ok_or(ApiError::NotFound("campaign"))?;
    Ok(from_row(&row)?)
}

/// A new campaign, or the fields of one to change.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// Its name.
    pub name: String,
    /// The code of the organisation running it.
    pub owner: String,
    /// SHA-256 of an indicator file uploaded to `/api/frameworks`.
    pub framework_sha256: String,
    /// The period collected (as in data files: `2026`).
    pub period: String,
    /// When units may start: RFC 3339, or a date (its start in Vietnam).
    pub opens_at: String,
    /// The deadline: RFC 3339, or a date (its end in Vietnam).
    pub deadline: String,
    /// The closing date: RFC 3339, or a date (its end in Vietnam).
    pub closes_at: String,
    /// The codes of the organisations taking part; by default every organisation below
    /// the owner.
    #[serde(default)]
    pub units: Option<Vec<String>>,
}

/// The three dates of `input`, checked and in order.
fn dates(input: &CampaignInput) -> Result<(Millis, Millis, Millis), ApiError> {
    let read = |field: &'static str, text: &str, end_of_day| {
        parse_time(text, end_of_day).ok_or_else(|| {
            ApiError::invalid(
                field,
                format!("`{text}` is not a date (2026-12-15) or a time (2026-12-15T17:00:00+07:00)"),
            )
        })
    };
    let opens = read("opens_at", &input.opens_at, false)?;
    let deadline = read("deadline", &input.deadline, true)?;
    let closes = read("closes_at", &input.closes_at, true)?;
    if deadline < opens {
        return Err(ApiError::invalid("deadline", "the deadline is before the opening"));
    }
    if closes < deadline {
        return Err(ApiError::invalid("closes_at", "the closing is before the deadline"));
    }
    Ok((opens, deadline, closes))
}

/// Creates a draft campaign; returns its id.
pub async fn create(connection: &mut AnyConnection, input: &CampaignInput, at: Millis) -> Result<i64, ApiError> {
    if input.name.trim().is_empty() || input.name.len() > 300 {
        return Err(ApiError::invalid("name", "give a name of 1 to 300 characters"));
    }
    if input.period.trim().is_empty() || input.period.len() > 50 {
        return Err(ApiError::invalid("period", "give the period as in the data files, `2026`"));
    }
    let (opens, deadline, closes) = dates(input)?;
    let owner = crate::domain::orgs::by_code(&mut *connection, &input.owner)
        .await?
        .ok_or_else(|| ApiError::invalid("owner", format!("no organisation has the code `{}`", input.owner)))?;
    let known: Option<(String,)> = sqlx::query_as("SELECT sha256 FROM frameworks WHERE sha256 = $1")
        .bind(&input.framework_sha256)
        .fetch_optional(&mut *connection)
        .await?;
    if known.is_none() {
        return Err(ApiError::invalid("framework_sha256", "no indicator file with this SHA-256 was uploaded"));
    }
    let row = sqlx::query(
        "INSERT INTO campaigns (name, owner_org_id, framework_sha256, period, opens_at, deadline, closes_at, state,
                                created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $8) RETURNING id",
    )
    .bind(input.name.trim())
    .bind(owner.id)
    .bind(&input.framework_sha256)
    .bind(input.period.trim())
    .bind(opens)
    .bind(deadline)
    .bind(closes)
    .bind(at)
    .fetch_one(&mut *connection)
    .await?;
    let id: i64 = row.try_get(0)?;
    set_units(&mut *connection, id, &owner, input.units.as_deref()).await?;
    Ok(id)
}

/// Sets the organisations taking part: `codes`, or every one below `owner`.
async fn set_units(
    connection: &mut AnyConnection,
    campaign_id: i64,
    owner: &crate::domain::orgs::Org,
    codes: Option<&[String]>,
) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM campaign_orgs WHERE campaign_id = $1").bind(campaign_id).execute(&mut *connection).await?;
    let all = crate::domain::orgs::list(&mut *connection).await?;
    let chosen: Vec<_> = match codes {
        Some(codes) => {
            let mut chosen = Vec::with_capacity(codes.len());
            for (index, code) in codes.iter().enumerate() {
                let org = all.iter().find(|org| &org.code == code).ok_or_else(|| {
                    ApiError::invalid(format!("units.{index}"), format!("no organisation has the code `{code}`"))
                })?;
                chosen.push(org);
            }
            chosen
        }
        None => all.iter().filter(|org| org.path.starts_with(&owner.path) && org.id != owner.id).collect(),
    };
    for org in chosen {
        sqlx::query("INSERT INTO campaign_orgs (campaign_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(campaign_id)
            .bind(org.id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Changes a campaign's fields: everything while it is a draft; once open only its name,
/// dates and units (the indicator file and the period are pinned).
pub async fn update(
    connection: &mut AnyConnection,
    campaign: &Campaign,
    input: &CampaignInput,
    at: Millis,
) -> Result<(), ApiError> {
    if campaign.state != CampaignState::Draft {
        if input.framework_sha256 != campaign.framework_sha256 {
            return Err(ApiError::invalid(
                "framework_sha256",
                "the indicator file is pinned once the campaign is open",
            ));
        }
        if input.period.trim() != campaign.period {
            return Err(ApiError::invalid("period", "the period is pinned once the campaign is open"));
        }
        if matches!(campaign.state, CampaignState::Finalised | CampaignState::Published) {
            return Err(ApiError::Conflict {
                code: "finalised",
                message: "a finalised campaign does not change".into(),
                current: None,
            });
        }
    }
    let (opens, deadline, closes) = dates(input)?;
    let owner = crate::domain::orgs::by_code(&mut *connection, &input.owner)
        .await?
        .ok_or_else(|| ApiError::invalid("owner", format!("no organisation has the code `{}`", input.owner)))?;
    sqlx::query(
        "UPDATE campaigns SET name = $1, owner_org_id = $2, framework_sha256 = $3, period = $4, opens_at = $5,
                              deadline = $6, closes_at = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(input.name.trim())
    .bind(owner.id)
    .bind(&input.framework_sha256)
    .bind(input.period.trim())
    .bind(opens)
    .bind(deadline)
    .bind(closes)
    .bind(at)
    .bind(campaign.id)
    .execute(&mut *connection)
    .await?;
    if input.units.is_some() {
        set_units(&mut *connection, campaign.id, &owner, input.units.as_deref()).await?;
    }
    Ok(())
}

/// Moves campaign `id` to `state`, if it is still in `from` (another request may have
/// moved it meanwhile).
pub async fn set_state(
    connection: &mut AnyConnection,
    id: i64,
    from: CampaignState,
    state: CampaignState,
    at: Millis,
) -> Result<(), ApiError> {
    let done = sqlx::query("UPDATE campaigns SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
        .bind(state.as_str())
        .bind(at)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *connection)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::Conflict {
            code: "campaign-state",
            message: "the campaign changed meanwhile".into(),
            current: None,
        });
    }
    Ok(())
}

/// One organisation taking part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Participant {
    /// The organisation's id.
    #[serde(skip)]
    pub org_id: i64,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its block.
    pub block: Option<String>,
    /// Its path (for the policy).
    #[serde(skip)]
    pub path: String,
    /// Its extended deadline, in milliseconds.
    #[serde(skip)]
    pub extension_ms: Option<Millis>,
    /// Its extended deadline (RFC 3339), when granted.
    pub extension_until: Option<String>,
}

fn participant_from_row(row: &sqlx::any::AnyRow) -> Result<Participant, sqlx::Error> {
    let extension_ms: Option<Millis> = row.try_get(5)?;
    Ok(Participant {
        org_id: row.try_get(0)?,
        code: row.try_get(1)?,
        name: row.try_get(2)?,
        block: row.try_get(3)?,
        path: row.try_get(4)?,
        extension_ms,
        extension_until: extension_ms.map(rfc3339),
    })
}

const PARTICIPANT_COLUMNS: &str = "o.id, o.code, o.name, o.block, o.path, co.extension_until";

/// The organisations taking part in campaign `id`, by code.
pub async fn participants<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    id: i64,
) -> Result<Vec<Participant>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {PARTICIPANT_COLUMNS} FROM campaign_orgs co JOIN orgs o ON o.id = co.org_id WHERE co.campaign_id = $1
         ORDER BY o.code"
    ))
    .bind(id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(participant_from_row).collect()
}

/// The organisation `code` taking part in campaign `id`.
pub async fn participant<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    id: i64,
    code: &str,
) -> Result<Participant, ApiError> {
    let row = sqlx::query(&format!(
        "SELECT {PARTICIPANT_COLUMNS} FROM campaign_orgs co JOIN orgs o ON o.id = co.org_id
         WHERE co.campaign_id = $1 AND o.code = $2"
    ))
    .bind(id)
    .bind(code)
    .fetch_optional(executor)
    .await?
    .ok_or(ApiError::NotFound("unit in this campaign"))?;
    Ok(participant_from_row(&row)?)
}

/// Grants (or, with `None`, withdraws) a unit's extension.
pub async fn set_extension(
    connection: &mut AnyConnection,
    campaign: &Campaign,
    org_id: i64,
    until: Option<Millis>,
) -> Result<(), ApiError> {
    if let Some(until) = until {
        if until <= campaign.deadline_ms {
            return Err(ApiError::invalid("until", "an extension ends after the deadline"));
        }
        if until > campaign.closes_ms {
            return Err(ApiError::invalid("until", "an extension ends by the campaign's closing"));
        }
    }
    sqlx::query("UPDATE campaign_orgs SET extension_until = $1 WHERE campaign_id = $2 AND org_id = $3")
        .bind(until)
        .bind(campaign.id)
        .bind(org_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Raises campaign `id`'s data version; returns the new one.
pub async fn bump_data_version(connection: &mut AnyConnection, id: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("UPDATE campaigns SET data_version = data_version + 1 WHERE id = $1 RETURNING data_version")
        .bind(id)
        .fetch_one(&mut *connection)
        .await?;
    row.try_get(0)
}

/// Stores an indicator file's text under its SHA-256 (again: nothing happens).
pub async fn store_framework(
    connection: &mut AnyConnection,
    framework: &dti_core::Framework,
    sha256: &str,
    file_name: &str,
    text: &str,
    at: Millis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO frameworks (sha256, set_id, version, file_name, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(&framework.id)
    .bind(&framework.version)
    .bind(file_name)
    .bind(text)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The text and file name of the indicator file `sha256`.
pub async fn framework_text<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    sha256: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT file_name, text FROM frameworks WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(executor)
        .await
}
