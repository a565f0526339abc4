//! Review, indicator by indicator: a reviewer accepts a value, adjusts it (a new value and
//! a reason, both required) or asks the unit for information. Decisions are appended; the
//! newest per indicator counts while the unit's value is the one it was made on.

use crate::clock::{Millis, rfc3339};
use crate::error::ApiError;
use dti_core::assessment::Submission;
use dti_core::framework::Framework;
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Row};
use std::collections::BTreeMap;

/// A reviewer's decision on one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Decision {
    /// The unit's value stands.
    Accepted {
        /// An optional remark.
        #[serde(default)]
        reason: Option<String>,
    },
    /// The verified value differs from the unit's.
    Adjusted {
        /// The verified value, as the unit would type it.
        value: String,
        /// Why (required).
        reason: String,
    },
    /// The unit must explain or prove its value.
    NeedsInformation {
        /// What the unit must give (required).
        reason: String,
    },
}

impl Decision {
    /// The name stored.
    pub fn name(&self) -> &'static str {
        match self {
            Decision::Accepted { .. } => "accepted",
            Decision::Adjusted { .. } => "adjusted",
            Decision::NeedsInformation { .. } => "needs-information",
        }
    }

    /// The reason or remark.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Decision::Accepted { reason } => reason.as_deref(),
            Decision::Adjusted { reason, .. } | Decision::NeedsInformation { reason } => Some(reason),
        }
    }

    /// Whether the value is settled (accepted or adjusted).
    pub fn settles(&self) -> bool {
        !matches!(self, Decision::NeedsInformation { .. })
    }
}

/// A decision as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Review {
    /// The indicator.
    pub indicator_id: String,
    /// The decision.
    #[serde(flatten)]
    pub decision: Decision,
    /// The unit's value it was made on.
    pub self_value: String,
    /// The revision reviewed.
    pub revision: i64,
    /// The reviewer's login.
    pub reviewer: String,
    /// When (RFC 3339).
    pub at: String,
    /// Whether it still stands: the unit's value has not changed since.
    pub current: bool,
}

/// Checks `decision` on `indicator_id`: the indicator exists; an adjustment's value is
/// one the indicator takes; the reasons that are required are given.
pub fn check(
    framework: &Framework,
    submission: &Submission,
    indicator_id: &str,
    decision: &Decision,
) -> Result<(), ApiError> {
    let is_indicator =
        framework.node_index(indicator_id).is_some_and(|index| framework.nodes[index].indicator().is_some());
    if !is_indicator {
        return Err(ApiError::invalid("indicator_id", format!("the indicator file has no indicator `{indicator_id}`")));
    }
    match decision {
        Decision::Adjusted { value, reason } => {
            if reason.trim().is_empty() {
                return Err(ApiError::invalid("reason", "an adjustment needs a reason"));
            }
            // The adjusted value must be one the indicator takes: checked by the engine.
            let mut probe = submission.clone();
            let entry = probe.values.entry(indicator_id.to_owned()).or_default();
            entry.value = value.clone();
            entry.items.clear();
            let refused = dti_core::assessment::refused_values(framework, &probe, "review");
            if let Some(problem) = refused.iter().find(|problem| problem.location.path.as_deref() == Some(indicator_id))
            {
                return Err(ApiError::invalid("value", problem.message.to_string()));
            }
            if value.trim().is_empty() {
                return Err(ApiError::invalid("value", "an adjustment needs the verified value"));
            }
        }
        Decision::NeedsInformation { reason } if reason.trim().is_empty() => {
            return Err(ApiError::invalid("reason", "say what information the unit must give"));
        }
        _ => {}
    }
    if decision.reason().is_some_and(|reason| reason.len() > 10_000) {
        return Err(ApiError::invalid("reason", "at most 10,000 bytes"));
    }
    Ok(())
}

/// The unit's value of `indicator_id` in `submission`, as one text (a checklist's items
/// joined by `;`).
pub fn self_value(submission: &Submission, indicator_id: &str) -> String {
    submission.values.get(indicator_id).map_or_else(String::new, |entry| {
        if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") }
    })
}

/// A decision to append.
#[derive(Debug, Clone, Copy)]
pub struct NewDecision<'a> {
    /// The submission.
    pub submission_id: i64,
    /// The indicator.
    pub indicator_id: &'a str,
    /// The decision.
    pub decision: &'a Decision,
    /// The unit's value it is made on.
    pub self_value: &'a str,
    /// The revision reviewed.
    pub revision: i64,
    /// The reviewer.
    pub reviewer_id: i64,
    /// When.
    pub at: Millis,
}

/// Appends a decision.
pub async fn record(connection: &mut AnyConnection, new: NewDecision<'_>) -> Result<(), sqlx::Error> {
    let NewDecision { submission_id, indicator_id, decision, self_value, revision, reviewer_id, at } = new;
    let verified_value = match decision {
        Decision::Adjusted { value, .. } => Some(value.as_str()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO review_decisions (submission_id, indicator_id, decision, self_value, verified_value, reason, revision,
                                       reviewer_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(submission_id)
    .bind(indicator_id)
    .bind(decision.name())
    .bind(self_value)
    .bind(verified_value)
    .bind(decision.reason())
    .bind(revision)
    .bind(reviewer_id)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The newest decision per indicator of submission `submission_id`, each marked current
/// when the unit's value in `head` is still the one it was made on.
pub async fn current<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    submission_id: i64,
    head: &Submission,
) -> Result<BTreeMap<String, Review>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.indicator_id, d.decision, d.self_value, d.verified_value, d.reason, d.revision, a.login, d.at
         FROM review_decisions d JOIN accounts a ON a.id = d.reviewer_id
         WHERE d.submission_id = $1 ORDER BY d.id",
    )
    .bind(submission_id)
    .fetch_all(executor)
    .await?;
    let mut newest = BTreeMap::new();
    for row in &rows {
        let indicator_id: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        let reason: Option<String> = row.try_get(4)?;
        let decision = match name.as_str() {
            "accepted" => Decision::Accepted { reason },
            "adjusted" => Decision::Adjusted {
                value: row.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
                reason: reason.unwrap_or_default(),
            },
            _ => Decision::NeedsInformation { reason: reason.unwrap_or_default() },
        };
        let self_value: String = row.try_get(2)?;
        let current = self::self_value(head, &indicator_id) == self_value;
        newest.insert(
            indicator_id.clone(),
            Review {
                indicator_id,
                decision,
                self_value,
                revision: row.try_get(5)?,
                reviewer: row.try_get(6)?,
                at: rfc3339(row.try_get(7)?),
                current,
            },
        );
    }
    Ok(newest)
}

/// The indicators of `head` that a verification still needs a standing accept or
/// adjustment for: every one with a value the unit typed, measured ones aside.
pub fn unsettled(framework: &Framework, head: &Submission, reviews: &BTreeMap<String, Review>) -> Vec<String> {
    let measured = crate::domain::submissions::measured_indicators(framework);
    head.values
        .iter()
        .filter(|(id, entry)| {
            (!entry.value.trim().is_empty() || !entry.items.is_empty()) && !measured.contains(&id.as_str())
        })
        .filter(|(id, _)| !reviews.get(*id).is_some_and(|review| review.current && review.decision.settles()))
        .map(|(id, _)| id.clone())
        .collect()
}

/// `head` with every standing adjustment applied: the verified values.
pub fn verified(head: &Submission, reviews: &BTreeMap<String, Review>) -> Submission {
    let mut verified = head.clone();
    for review in reviews.values().filter(|review| review.current) {
        if let Decision::Adjusted { value, .. } = &review.decision {
            let entry = verified.values.entry(review.indicator_id.clone()).or_default();
            // A checklist's adjusted items are given as one value, `a;b`.
            entry.value = value.clone();
            entry.items.clear();
        }
    }
    verified
}
