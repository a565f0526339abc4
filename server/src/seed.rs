//! The demo: on first start of `cargo xtask serve`, the `vn-ministry` sample units as
//! organisations under one assessing body, one open campaign on the built-in indicator
//! file, one account per role, and the other units' sample values submitted (some
//! verified), so that progress, review and the live ranking have something to show.

use crate::audit::{self, Record, Who};
use crate::clock::DAY;
use crate::config::PasswordCost;
use crate::db::Db;
use crate::domain::accounts::{self, NewAccount, NewGrant};
use crate::domain::campaigns::{self, CampaignInput, CampaignState};
use crate::domain::orgs::{self, OrgInput};
use crate::domain::submissions::{self, SubmissionState};
use crate::error::ApiError;
use crate::policy::Role;
use dti_core::assessment::Submission;
use serde_json::json;

/// The assessing body at the root of the demo's tree.
pub const ROOT_CODE: &str = "BCD";
/// The unit whose demo accounts fill in a self-assessment.
pub const DEMO_UNIT: &str = "M01";
/// The demo campaign's period.
pub const DEMO_PERIOD: &str = "2026";

/// One demo account, printed at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Its login.
    pub login: &'static str,
    /// Its password (a demo's: change it before anything real).
    pub password: &'static str,
    /// Its role.
    pub role: Role,
    /// The organisation the role is on.
    pub org: &'static str,
}

/// The demo's accounts, one per role.
pub const DEMO_ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount { login: "admin", password: "admin-demo-2026", role: Role::Administrator, org: ROOT_CODE },
    DemoAccount { login: "manager", password: "manager-demo-2026", role: Role::CampaignManager, org: ROOT_CODE },
    DemoAccount { login: "reviewer", password: "reviewer-demo-2026", role: Role::Reviewer, org: ROOT_CODE },
    DemoAccount { login: "editor", password: "editor-demo-2026", role: Role::UnitEditor, org: DEMO_UNIT },
    DemoAccount { login: "head", password: "head-demo-2026", role: Role::UnitHead, org: DEMO_UNIT },
    DemoAccount { login: "viewer", password: "viewer-demo-2026", role: Role::Viewer, org: ROOT_CODE },
];

/// What the seed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    /// The database already had organisations: nothing was added.
    AlreadyThere,
    /// The demo was written: the campaign's id.
    Demo {
        /// The open campaign.
        campaign_id: i64,
    },
}

/// Writes the demo into an empty database (one transaction), at `now`.
pub async fn seed_demo(db: &Db, cost: PasswordCost, now: i64) -> Result<Seeded, ApiError> {
    if !orgs::list(db.read()).await?.is_empty() {
        return Ok(Seeded::AlreadyThere);
    }
    let builtin = dti_core::builtin::builtin("vn-ministry").ok_or(ApiError::NotFound("built-in set"))?;
    let loaded = dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes());
    let framework = loaded.framework.ok_or_else(|| ApiError::Internal("the built-in set does not load".into()))?;
    let data = dti_core::load_data(builtin.data_name, builtin.data().as_bytes(), &framework);
    let dataset = data.dataset.ok_or_else(|| ApiError::Internal("the built-in sample does not load".into()))?;
    // Password hashes first: they take a while, and the transaction should not wait.
    let mut hashes = Vec::new();
    for account in DEMO_ACCOUNTS.iter().map(|account| account.password).chain(["system-account-no-sign-in"]) {
        let password = account.to_owned();
        hashes.push(
            tokio::task::spawn_blocking(move || accounts::hash_password(&password, cost))
                .await
                .map_err(|error| ApiError::Internal(error.to_string()))??,
        );
    }
    let who = Who { account_id: None, login: "seed".into(), address: "local".into() };
    let mut transaction = db.write().await?;
    let root =
        OrgInput {
            code: ROOT_CODE.into(), name: "Cơ quan đánh giá DTI (mô phỏng)".into(), parent: None, block: None
        };
    orgs::upsert(&mut transaction, &root, now, "").await?;
    for unit in dataset.units.iter() {
        let input = OrgInput {
            code: unit.id.clone(),
            name: unit.name.clone(),
            parent: Some(unit.parent.clone().unwrap_or_else(|| ROOT_CODE.into())),
            block: unit.block.clone(),
        };
        orgs::upsert(&mut transaction, &input, now, "").await?;
    }
    let mut ids = Vec::new();
    for (account, hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        let new = NewAccount {
            login: account.login.into(),
            name: format!("Demo {}", account.role.as_str()),
            email: Some(format!("{}@example.gov.vn", account.login)),
            org: Some(account.org.into()),
            password: account.password.into(),
        };
        let id = accounts::create(&mut transaction, &new, hash, now).await?;
        accounts::add_grant(
            &mut transaction,
            id,
            &NewGrant { role: account.role, org: account.org.into(), pillars: None },
        )
        .await?;
        ids.push(id);
    }
    // The author of the seeded submissions: an account nobody signs in with.
    let system = NewAccount {
        login: "system".into(),
        name: "Dữ liệu mẫu".into(),
        email: None,
        org: None,
        password: "system-account-no-sign-in".into(),
    };
    let system_id = accounts::create(&mut transaction, &system, &hashes[DEMO_ACCOUNTS.len()], now).await?;
    sqlx::query("UPDATE accounts SET disabled = 1 WHERE id = $1").bind(system_id).execute(&mut *transaction).await?;
    campaigns::store_framework(&mut transaction, &framework, &loaded.sha256, builtin.file_name, builtin.framework, now)
        .await?;
    let day = |offset: i64| crate::clock::rfc3339(now + offset * DAY);
    let input = CampaignInput {
        name: "Đánh giá DTI 2026 — khối bộ (mô phỏng)".into(),
        owner: ROOT_CODE.into(),
        framework_sha256: loaded.sha256.clone(),
        period: DEMO_PERIOD.into(),
        opens_at: day(-1),
        deadline: day(30),
        closes_at: day(45),
        units: None,
    };
    let campaign_id = campaigns::create(&mut transaction, &input, now).await?;
    campaigns::set_state(&mut transaction, campaign_id, CampaignState::Draft, CampaignState::Open, now).await?;
    // Every other unit's latest sample values, submitted; every third one verified.
    let latest = dataset.periods.len().saturating_sub(1);
    for (index, unit) in dataset.units.iter().enumerate() {
        if unit.id == DEMO_UNIT {
            continue;
        }
        let mut submission = Submission::from_dataset(&framework, &loaded.sha256, &dataset, latest, index);
        submission.period = DEMO_PERIOD.into();
        let org = orgs::by_code(&mut *transaction, &unit.id).await?.ok_or(ApiError::NotFound("organisation"))?;
        let record = submissions::find_or_create(&mut transaction, campaign_id, org.id, now).await?;
        let (_, _) = submissions::save(&mut transaction, &record, campaign_id, 0, &submission, system_id, now).await?;
        let record = submissions::find_or_create(&mut transaction, campaign_id, org.id, now).await?;
        let state = if index % 3 == 0 { SubmissionState::Verified } else { SubmissionState::Submitted };
        submissions::set_state(&mut transaction, &record, campaign_id, state, now).await?;
    }
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &who,
            action: "seed",
            target: format!("campaign/{campaign_id}"),
            detail: json!({
                "organisations": dataset.units.len() + 1,
                "accounts": DEMO_ACCOUNTS.iter().map(|account| account.login).collect::<Vec<_>>(),
                "framework": loaded.sha256,
            }),
            note: "demo data".into(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Seeded::Demo { campaign_id })
}
