//! Accounts, their roles and their passwords (Argon2id, never stored or logged in clear).

use crate::clock::Millis;
use crate::config::PasswordCost;
use crate::error::ApiError;
use crate::policy::{Actor, Grant, Role};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Row};

/// An account as shown to administrators and to its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    /// Its id.
    pub id: i64,
    /// The name it signs in with.
    pub login: String,
    /// The person's name.
    pub name: String,
    /// Where notifications are mailed, when given.
    pub email: Option<String>,
    /// The code of the unit the person works in.
    pub org: Option<String>,
    /// Whether it may no longer sign in.
    pub disabled: bool,
    /// Its roles.
    pub grants: Vec<GrantView>,
}

/// A role on an organisation's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GrantView {
    /// The grant's id (to withdraw it).
    pub id: i64,
    /// The role.
    pub role: Role,
    /// The organisation's code: the role covers it and everything below it.
    pub org: String,
    /// For a reviewer limited to some pillars: their node ids.
    pub pillars: Option<Vec<String>>,
}

/// Hashes `password` with Argon2id at `cost`, as a PHC string (salt and parameters
/// included, so that verification needs nothing else).
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ApiError> {
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|error| ApiError::Internal(format!("argon2 parameters: {error}")))?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::Internal(format!("argon2: {error}")))
}

/// Whether `password` matches the stored `hash`.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checks a new password: long enough, not the login.
pub fn check_new_password(password: &str, login: &str, field: &str) -> Result<(), ApiError> {
    if password.chars().count() < 10 {
        return Err(ApiError::invalid(field, "a password needs at least 10 characters"));
    }
    if password.len() > 1024 {
        return Err(ApiError::invalid(field, "a password has at most 1024 bytes"));
    }
    if password.eq_ignore_ascii_case(login) {
        return Err(ApiError::invalid(field, "a password cannot be the login"));
    }
    Ok(())
}

/// The sign-in facts of an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub id: i64,
    /// Its hash.
    pub password_hash: String,
    /// Its password epoch.
    pub password_epoch: i64,
    /// Whether it is disabled.
    pub disabled: bool,
}

/// The credentials of `login`, when it exists.
pub async fn credentials<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    login: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash, password_epoch, disabled FROM accounts WHERE login = $1")
        .bind(login)
        .fetch_optional(executor)
        .await?;
    row.map(|row| {
        Ok(Credentials {
            id: row.try_get(0)?,
            password_hash: row.try_get(1)?,
            password_epoch: row.try_get(2)?,
            disabled: row.try_get::<i64, _>(3)? != 0,
        })
    })
    .transpose()
}

/// The actor of account `id` with its roles, and its password epoch (to compare with the
/// session's); `None` when the account is gone or disabled.
pub async fn actor(connection: &mut AnyConnection, id: i64) -> Result<Option<(Actor, i64)>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT a.login, a.password_epoch, a.disabled, o.path FROM accounts a LEFT JOIN orgs o ON o.id = a.org_id
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *connection)
    .await?
    else {
        return Ok(None);
    };
    if row.try_get::<i64, _>(2)? != 0 {
        return Ok(None);
    }
    let grants = sqlx::query(
        "SELECT g.role, o.path, g.pillars FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.account_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *connection)
    .await?
    .iter()
    .filter_map(|grant| {
        let role = Role::parse(&grant.try_get::<String, _>(0).ok()?)?;
        Some(Grant { role, org_path: grant.try_get(1).ok()?, pillars: split_pillars(grant.try_get(2).ok()?) })
    })
    .collect();
    let actor = Actor { account_id: id, login: row.try_get(0)?, home_org_path: row.try_get(3)?, grants };
    Ok(Some((actor, row.try_get(1)?)))
}

fn split_pillars(stored: Option<String>) -> Option<Vec<String>> {
    stored.map(|list| list.split(',').filter(|pillar| !pillar.is_empty()).map(str::to_owned).collect())
}

/// A new account's fields.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The name to sign in with (letters, digits, `.`, `-`, `_`, `@`).
    pub login: String,
    /// The person's name.
    pub name: String,
    /// Their e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// The code of the unit they work in.
    #[serde(default)]
    pub org: Option<String>,
    /// Their first password (at least 10 characters).
    pub password: String,
}

/// Checks `account`'s fields (its password aside: hashed by the caller).
pub fn check_new_account(account: &NewAccount) -> Result<(), ApiError> {
    let login_ok = (3..=100).contains(&account.login.len())
        && account.login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if !login_ok {
        return Err(ApiError::invalid("login", "use 3 to 100 letters, digits, `.`, `-`, `_` or `@`"));
    }
    if account.name.trim().is_empty() || account.name.len() > 200 {
        return Err(ApiError::invalid("name", "give a name of 1 to 200 characters"));
    }
    if let Some(email) = &account.email
        && email.parse::<lettre::Address>().is_err()
    {
        return Err(ApiError::invalid("email", format!("`{email}` is not an e-mail address")));
    }
    check_new_password(&account.password, &account.login, "password")
}

/// Creates `account` with the already computed `password_hash`; returns its id.
pub async fn create(
    connection: &mut AnyConnection,
    account: &NewAccount,
    password_hash: &str,
    at: Millis,
) -> Result<i64, ApiError> {
    let org_id = match &account.org {
        Some(code) => Some(
            crate::domain::orgs::by_code(&mut *connection, code)
                .await?
                .ok_or_else(|| ApiError::invalid("org", format!("no organisation has the code `{code}`")))?
                .id,
        ),
        None => None,
    };
    let row = sqlx::query(
        "INSERT INTO accounts (login, name, email, org_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(&account.login)
    .bind(account.name.trim())
    .bind(account.email.as_deref())
    .bind(org_id)
    .bind(password_hash)
    .bind(at)
    .fetch_one(&mut *connection)
    .await
    .map_err(|error| match ApiError::from(error) {
        ApiError::Conflict { code, .. } => {
            ApiError::Conflict { code, message: format!("the login `{}` is taken", account.login), current: None }
        }
        other => other,
    })?;
    Ok(row.try_get(0)?)
}

/// Every account with its roles, by login.
pub async fn list(connection: &mut AnyConnection) -> Result<Vec<Account>, sqlx::Error> {
    accounts_where(connection, None).await
}

/// The accounts with their roles, by login: all, or only account `id`.
async fn accounts_where(connection: &mut AnyConnection, id: Option<i64>) -> Result<Vec<Account>, sqlx::Error> {
    // Two fixed statements (one keyed by the primary key), never text built from input.
    let (account_filter, grant_filter) = match id {
        Some(_) => ("WHERE a.id = $1", "WHERE g.account_id = $1"),
        None => ("", ""),
    };
    let accounts_sql = format!(
        "SELECT a.id, a.login, a.name, a.email, o.code, a.disabled FROM accounts a LEFT JOIN orgs o ON o.id = a.org_id
         {account_filter} ORDER BY a.login"
    );
    let grants_sql = format!(
        "SELECT g.id, g.account_id, g.role, o.code, g.pillars FROM grants g JOIN orgs o ON o.id = g.org_id
         {grant_filter} ORDER BY g.id"
    );
    let (mut accounts_query, mut grants_query) = (sqlx::query(&accounts_sql), sqlx::query(&grants_sql));
    if let Some(id) = id {
        (accounts_query, grants_query) = (accounts_query.bind(id), grants_query.bind(id));
    }
    let rows = accounts_query.fetch_all(&mut *connection).await?;
    let grants = grants_query.fetch_all(&mut *connection).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get(0)?;
            let mut mine = Vec::new();
            for grant in &grants {
                if grant.try_get::<i64, _>(1)? != id {
                    continue;
                }
                let Some(role) = Role::parse(&grant.try_get::<String, _>(2)?) else { continue };
                mine.push(GrantView {
                    id: grant.try_get(0)?,
                    role,
                    org: grant.try_get(3)?,
                    pillars: split_pillars(grant.try_get(4)?),
                });
            }
            Ok(Account {
                id,
                login: row.try_get(1)?,
                name: row.try_get(2)?,
                email: row.try_get(3)?,
                org: row.try_get(4)?,
                disabled: row.try_get::<i64, _>(5)? != 0,
                grants: mine,
            })
        })
        .collect()
}

/// The account `id`, with its roles.
pub async fn get(connection: &mut AnyConnection, id: i64) -> Result<Option<Account>, sqlx::Error> {
    Ok(accounts_where(connection, Some(id)).await?.pop())
}

/// A role to grant.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    /// The role.
    pub role: Role,
    /// The organisation's code.
    pub org: String,
    /// For a reviewer: the pillars (top-level node ids) they review; none for all.
    #[serde(default)]
    pub pillars: Option<Vec<String>>,
}

/// Grants `grant` to account `account_id`; returns the grant's id.
pub async fn add_grant(connection: &mut AnyConnection, account_id: i64, grant: &NewGrant) -> Result<i64, ApiError> {
    let org = crate::domain::orgs::by_code(&mut *connection, &grant.org)
        .await?
        .ok_or_else(|| ApiError::invalid("org", format!("no organisation has the code `{}`", grant.org)))?;
    if grant.pillars.is_some() && grant.role != Role::Reviewer {
        return Err(ApiError::invalid("pillars", "only a reviewer's role is limited to pillars"));
    }
    if let Some(pillars) = &grant.pillars
        && (pillars.is_empty() || pillars.iter().any(|pillar| pillar.is_empty() || pillar.contains(',')))
    {
        return Err(ApiError::invalid("pillars", "list node ids, none empty and none with a comma"));
    }
    let row =
        sqlx::query("INSERT INTO grants (account_id, role, org_id, pillars) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(account_id)
            .bind(grant.role.as_str())
            .bind(org.id)
            .bind(grant.pillars.as_ref().map(|pillars| pillars.join(",")))
            .fetch_one(&mut *connection)
            .await?;
    Ok(row.try_get(0)?)
}

/// Withdraws grant `grant_id` of account `account_id`; whether there was one.
pub async fn remove_grant(connection: &mut AnyConnection, account_id: i64, grant_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM grants WHERE id = $1 AND account_id = $2")
        .bind(grant_id)
        .bind(account_id)
        .execute(&mut *connection)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets account `id`'s password hash and raises its epoch, which ends all its sessions.
pub async fn set_password(connection: &mut AnyConnection, id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, password_epoch = password_epoch + 1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Failed sign-ins for `login` or from `address` since `since`: the larger count.
pub async fn recent_failures(
    connection: &mut AnyConnection,
    login: &str,
    address: &str,
    since: Millis,
) -> Result<i64, sqlx::Error> {
    let by_login: i64 = sqlx::query("SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $2")
        .bind(login)
        .bind(since)
        .fetch_one(&mut *connection)
        .await?
        .try_get(0)?;
    let by_address: i64 = sqlx::query("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
        .bind(address)
        .bind(since)
        .fetch_one(&mut *connection)
        .await?
        .try_get(0)?;
    Ok(by_login.max(by_address))
}

/// Records a failed sign-in.
pub async fn record_failure(
    connection: &mut AnyConnection,
    login: &str,
    address: &str,
    at: Millis,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3)")
        .bind(login)
        .bind(address)
        .bind(at)
        .execute(&mut *connection)
        .await?;
    Ok(())
}
