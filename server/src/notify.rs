//! Notifications: an outbox in the database, written in the same transaction as the action
//! that causes it, shown in the app and mailed through SMTP when configured. A background
//! task sends the mail (one message per recipient with everything pending for them) and
//! sends the deadline reminders (each once).

use crate::clock::{DAY, Millis, rfc3339};
use crate::config::Smtp;
use crate::domain::campaigns::{Campaign, CampaignState};
use crate::domain::submissions::SubmissionState;
use crate::http::AppState;
use crate::policy::Role;
use serde::Serialize;
use sqlx::{Any, AnyConnection, Row};
use std::collections::BTreeMap;

/// Days before a deadline when units that have not submitted are reminded.
pub const REMINDER_DAYS: [i64; 3] = [7, 3, 1];
/// How many times a mail is tried before it is marked failed.
const MAX_ATTEMPTS: i64 = 5;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A campaign opened for the unit.
    CampaignOpened,
    /// The deadline is near and the unit has not submitted.
    Reminder,
    /// A reviewer asked for changes.
    ChangesRequested,
    /// The submission was verified.
    Verified,
    /// The engine's alerts after finalisation.
    Alerts,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::CampaignOpened => "campaign-opened",
            Kind::Reminder => "reminder",
            Kind::ChangesRequested => "changes-requested",
            Kind::Verified => "verified",
            Kind::Alerts => "alerts",
        }
    }
}

/// One notification to write.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Its kind.
    pub kind: Kind,
    /// A one-line subject (Vietnamese, then English).
    pub subject: String,
    /// The text.
    pub body: String,
    /// A key that makes it once only (a reminder), if any.
    pub once: Option<String>,
}

/// Writes `notice` for each of `accounts` (mailed when `mail` and the account has an
/// address); a notice whose `once` key was already written for an account is skipped.
pub async fn enqueue(
    connection: &mut AnyConnection,
    accounts: &[i64],
    notice: &Notice,
    mail: bool,
    at: Millis,
) -> Result<usize, sqlx::Error> {
    let mut written = 0;
    for account in accounts {
        let email: Option<(Option<String>,)> = sqlx::query_as("SELECT email FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_optional(&mut *connection)
            .await?;
        let has_email = email.and_then(|(email,)| email).is_some();
        let state = if mail && has_email { "pending" } else { "none" };
        let once = notice.once.as_ref().map(|key| format!("{key}:{account}"));
        let done = sqlx::query(
            "INSERT INTO notifications (account_id, kind, subject, body, created_at, email_state, dedup_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(account)
        .bind(notice.kind.as_str())
        .bind(&notice.subject)
        .bind(&notice.body)
        .bind(at)
        .bind(state)
        .bind(once)
        .execute(&mut *connection)
        .await?;
        written += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    Ok(written)
}

/// The accounts holding `roles` on an organisation whose path prefixes `org_path` (the
/// unit itself or above it).
pub async fn holders<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    org_path: &str,
    roles: &[Role],
) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT g.account_id, g.role, o.path FROM grants g JOIN orgs o ON o.id = g.org_id
         JOIN accounts a ON a.id = g.account_id WHERE a.disabled = 0",
    )
    .fetch_all(executor)
    .await?;
    let mut accounts = Vec::new();
    for row in &rows {
        let role = Role::parse(&row.try_get::<String, _>(1)?);
        let path: String = row.try_get(2)?;
        if role.is_some_and(|role| roles.contains(&role)) && org_path.starts_with(&path) {
            let id: i64 = row.try_get(0)?;
            if !accounts.contains(&id) {
                accounts.push(id);
            }
        }
    }
    Ok(accounts)
}

/// The people who fill in a unit's self-assessment.
pub async fn unit_staff(connection: &mut AnyConnection, org_path: &str) -> Result<Vec<i64>, sqlx::Error> {
    holders(&mut *connection, org_path, &[Role::UnitEditor, Role::UnitHead]).await
}

/// A notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: String,
    /// Its subject.
    pub subject: String,
    /// Its text.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Whether it was read.
    pub read: bool,
    /// `none`, `pending`, `sent` or `failed`.
    pub email: String,
}

/// The newest notifications of `account_id`.
pub async fn list<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    account_id: i64,
) -> Result<Vec<NotificationView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, subject, body, created_at, read_at, email_state FROM notifications
         WHERE account_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(account_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(NotificationView {
                id: row.try_get(0)?,
                kind: row.try_get(1)?,
                subject: row.try_get(2)?,
                body: row.try_get(3)?,
                created_at: rfc3339(row.try_get(4)?),
                read: row.try_get::<Option<i64>, _>(5)?.is_some(),
                email: row.try_get(6)?,
            })
        })
        .collect()
}

/// Writes the reminders due at `now`: for every open campaign whose deadline is within
/// one of [`REMINDER_DAYS`], to the staff of each unit that has not submitted (and has no
/// later extension). Each reminder is written once.
pub async fn remind(state: &AppState, now: Millis) -> Result<usize, sqlx::Error> {
    let mut transaction = state.db().write().await?;
    let campaigns = crate::domain::campaigns::list(&mut *transaction).await?;
    let mail = state.config().smtp.is_some();
    let mut written = 0;
    for campaign in campaigns.iter().filter(|campaign| campaign.effective_state(now) == CampaignState::Open) {
        let units = crate::domain::campaigns::participants(&mut *transaction, campaign.id).await?;
        let progress = crate::domain::submissions::progress(&mut *transaction, campaign.id).await?;
        for unit in &units {
            let submitted = progress.iter().any(|line| line.unit == unit.code && line.state.is_submitted_or_later());
            let deadline = unit.extension_ms.unwrap_or(0).max(campaign.deadline_ms);
            let Some(days) =
                REMINDER_DAYS.iter().copied().filter(|days| now >= deadline - days * DAY && now < deadline).min()
            else {
                continue;
            };
            if submitted {
                continue;
            }
            let staff = unit_staff(&mut transaction, &unit.path).await?;
            let notice = Notice {
                kind: Kind::Reminder,
                subject: format!("Còn {days} ngày: {} / {days} day(s) left", campaign.name),
                body: format!(
                    "Đơn vị {} chưa nộp bản tự đánh giá. Hạn nộp: {}.\nUnit {} has not submitted its self-assessment. Deadline: {}.",
                    unit.name,
                    rfc3339(deadline),
                    unit.name,
                    rfc3339(deadline)
                ),
                once: Some(format!("reminder:{}:{}:{days}", campaign.id, unit.org_id)),
            };
            written += enqueue(&mut transaction, &staff, &notice, mail, now).await?;
        }
    }
    transaction.commit().await?;
    Ok(written)
}

/// The notice of a campaign opening.
pub fn campaign_opened(campaign: &Campaign) -> Notice {
    Notice {
        kind: Kind::CampaignOpened,
        subject: format!("Mở đợt đánh giá: {} / Campaign open", campaign.name),
        body: format!(
            "Đợt đánh giá \"{}\" (kỳ {}) đã mở. Hạn nộp: {}.\nThe campaign \"{}\" (period {}) is open. Deadline: {}.",
            campaign.name, campaign.period, campaign.deadline, campaign.name, campaign.period, campaign.deadline
        ),
        once: Some(format!("opened:{}", campaign.id)),
    }
}

/// The notice of a submission's new state, for its unit.
pub fn submission_changed(
    campaign: &Campaign,
    unit_name: &str,
    state: SubmissionState,
    details: &str,
) -> Option<Notice> {
    let (kind, vi, en) = match state {
        SubmissionState::ChangesRequested => (Kind::ChangesRequested, "Cần bổ sung, chỉnh sửa", "Changes requested"),
        SubmissionState::Verified => (Kind::Verified, "Đã được xác nhận", "Verified"),
        _ => return None,
    };
    Some(Notice {
        kind,
        subject: format!("{vi} / {en}: {unit_name}, {}", campaign.name),
        body: format!("{vi}: {unit_name} — {}\n{en}: {unit_name} — {}\n\n{details}", campaign.name, campaign.name),
        once: None,
    })
}

/// One person's pending mail: (notification id, subject, text) each.
struct Recipient {
    email: String,
    name: String,
    notices: Vec<(i64, String, String)>,
}

/// Sends the pending mail: one message per recipient with everything pending for them.
/// Returns the number of messages sent.
pub async fn send_pending(state: &AppState, smtp: &Smtp) -> Result<usize, String> {
    use lettre::message::{Mailbox, header::ContentType};
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let rows = sqlx::query(
        "SELECT n.id, n.account_id, a.email, a.name, n.subject, n.body FROM notifications n JOIN accounts a ON a.id = n.account_id
         WHERE n.email_state = 'pending' AND a.email IS NOT NULL ORDER BY n.id LIMIT 500",
    )
    .fetch_all(state.db().read())
    .await
    .map_err(|error| error.to_string())?;
    let mut by_account: BTreeMap<i64, Recipient> = BTreeMap::new();
    for row in &rows {
        let get = |index: usize| row.try_get::<String, _>(index).unwrap_or_default();
        let account: i64 = row.try_get(1).map_err(|error| error.to_string())?;
        let recipient =
            by_account.entry(account).or_insert_with(|| Recipient { email: get(2), name: get(3), notices: Vec::new() });
        recipient.notices.push((row.try_get(0).map_err(|error| error.to_string())?, get(4), get(5)));
    }
    if by_account.is_empty() {
        return Ok(0);
    }
    let builder = if smtp.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|error| error.to_string())?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
    };
    let mut builder = builder.port(smtp.port);
    if let Some((user, password)) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    let transport = builder.build();
    let from: Mailbox = smtp.from.parse().map_err(|error| format!("--smtp-from: {error}"))?;
    let mut sent = 0;
    for Recipient { email, name, notices } in by_account.into_values() {
        let ids: Vec<i64> = notices.iter().map(|(id, _, _)| *id).collect();
        let subject = if notices.len() == 1 {
            notices[0].1.clone()
        } else {
            format!("DTI: {} thông báo / notifications", notices.len())
        };
        let body = notices
            .iter()
            .map(|(_, subject, body)| format!("{subject}\n\n{body}"))
            .collect::<Vec<_>>()
            .join("\n\n----\n\n");
        let outcome = match format!("{name} <{email}>").parse::<Mailbox>() {
            Ok(to) => match Message::builder()
                .from(from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
            {
                Ok(message) => transport.send(message).await.map(|_| ()).map_err(|error| error.to_string()),
                Err(error) => Err(error.to_string()),
            },
            Err(error) => Err(error.to_string()),
        };
        let mut transaction = state.db().write().await.map_err(|error| error.to_string())?;
        for id in &ids {
            let query = match &outcome {
                Ok(()) => {
                    "UPDATE notifications SET email_state = 'sent', email_attempts = email_attempts + 1 WHERE id = $1"
                }
                Err(_) => {
                    "UPDATE notifications SET email_attempts = email_attempts + 1,
                     email_state = CASE WHEN email_attempts + 1 >= $2 THEN 'failed' ELSE 'pending' END WHERE id = $1"
                }
            };
            sqlx::query(query)
                .bind(id)
                .bind(MAX_ATTEMPTS)
                .execute(&mut *transaction)
                .await
                .map_err(|error| error.to_string())?;
        }
        transaction.commit().await.map_err(|error| error.to_string())?;
        match outcome {
            Ok(()) => sent += 1,
            // The address is personal: the log names the account's notifications only.
            Err(error) => tracing::warn!(notifications = ?ids, %error, "cannot send mail"),
        }
    }
    Ok(sent)
}

/// One round of the background work: reminders, then mail.
pub async fn tick(state: &AppState) {
    if let Err(error) = remind(state, state.now()).await {
        tracing::warn!(%error, "cannot write reminders");
    }
    if let Some(smtp) = state.config().smtp.clone()
        && let Err(error) = send_pending(state, &smtp).await
    {
        tracing::warn!(%error, "cannot send mail");
    }
}
