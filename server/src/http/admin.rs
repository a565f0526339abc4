//! Administration: the organisation tree (one at a time or imported from CSV), accounts
//! and their roles.

use super::AppState;
use super::auth::Auth;
use super::json::Json;
use crate::audit::{self, Record};
use crate::domain::accounts::{self, Account, NewAccount, NewGrant};
use crate::domain::orgs::{self, Imported, Org, OrgInput};
use crate::error::ApiError;
use crate::policy::{Action, Actor, Role, Subject, decide};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;

/// Allows `action` on the organisation at `org_path`, or, for one without a parent, to an
/// administrator of a whole tree.
fn allow_on(actor: &Actor, action: Action, org_path: Option<&str>) -> Result<(), ApiError> {
    match org_path {
        Some(path) => Ok(decide(actor, action, &Subject { org_path: path, ..Subject::default() })?),
        None => {
            let root_administrator =
                actor.grants.iter().any(|grant| grant.role == Role::Administrator && grant.is_on_root());
            if root_administrator { Ok(()) } else { Err(crate::policy::Refusal::NoRole.into()) }
        }
    }
}

/// Every organisation, in tree order.
#[utoipa::path(get, path = "/api/orgs", tag = "organisations", responses((status = 200, body = Vec<Org>)))]
pub async fn list_orgs(State(state): State<AppState>, _auth: Auth) -> Result<Json<Vec<Org>>, ApiError> {
    Ok(Json(orgs::list(state.db().read()).await?))
}

async fn parent_path(state: &AppState, parent: Option<&str>) -> Result<Option<String>, ApiError> {
    match parent.filter(|code| !code.is_empty()) {
        Some(code) => Ok(Some(
            orgs::by_code(state.db().read(), code)
                .await?
                .ok_or_else(|| ApiError::invalid("parent", format!("no organisation has the code `{code}`")))?
                .path,
        )),
        None => Ok(None),
    }
}

/// Creates or changes the organisation `code` (its name, block or parent).
#[utoipa::path(put, path = "/api/orgs/{code}", tag = "organisations", request_body = OrgInput,
    params(("code" = String, Path, description = "The organisation's code")),
    responses((status = 200, body = Org), (status = 403), (status = 422)))]
pub async fn put_org(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Json(input): Json<OrgInput>,
) -> Result<Json<Org>, ApiError> {
    if input.code != code {
        return Err(ApiError::invalid(
            "code",
            format!("the body's code `{}` is not the address's `{code}`", input.code),
        ));
    }
    // The administrator must cover the new place and, for a move, the old one.
    allow_on(&auth.actor, Action::ManageOrgs, parent_path(&state, input.parent.as_deref()).await?.as_deref())?;
    if let Some(existing) = orgs::by_code(state.db().read(), &code).await? {
        allow_on(&auth.actor, Action::ManageOrgs, Some(&existing.path))?;
    }
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let (org, before) = orgs::upsert(&mut transaction, &input, now, "").await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: if before.is_some() { "org-update" } else { "org-create" },
            target: format!("org/{}", org.code),
            detail: json!({ "before": before, "after": org }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(org))
}

/// Imports organisations from CSV (the request body): columns `code` (or `unit`), `name`,
/// `parent`, `block`; all are written or, at the first problem, none.
#[utoipa::path(post, path = "/api/orgs/import", tag = "organisations", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = Imported), (status = 403), (status = 422)))]
pub async fn import_orgs(State(state): State<AppState>, auth: Auth, body: String) -> Result<Json<Imported>, ApiError> {
    let rows = orgs::read_csv("import", &body).map_err(|problems| ApiError::invalid("body", problems.join("\n")))?;
    let mut transaction = state.db().write().await?;
    let actor = auth.actor.clone();
    let imported = orgs::import(&mut transaction, &rows, &auth.who, state.now(), |parent_path| {
        allow_on(&actor, Action::ManageOrgs, parent_path)
    })
    .await?;
    transaction.commit().await?;
    Ok(Json(imported))
}

/// Every account with its roles.
#[utoipa::path(get, path = "/api/accounts", tag = "accounts", responses((status = 200, body = Vec<Account>), (status = 403)))]
pub async fn list_accounts(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<Account>>, ApiError> {
    if !auth.actor.has_role(Role::Administrator) {
        return Err(crate::policy::Refusal::NoRole.into());
    }
    let mut connection = state.db().read().acquire().await?;
    Ok(Json(accounts::list(&mut connection).await?))
}

/// Creates an account.
#[utoipa::path(post, path = "/api/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 403), (status = 409), (status = 422)))]
pub async fn create_account(
    State(state): State<AppState>,
    auth: Auth,
    Json(account): Json<NewAccount>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    accounts::check_new_account(&account)?;
    let home = parent_path(&state, account.org.as_deref()).await.map_err(|error| match error {
        ApiError::Invalid { message, .. } => ApiError::invalid("org", message),
        other => other,
    })?;
    allow_on(&auth.actor, Action::ManageAccounts, home.as_deref())?;
    let (password, cost) = (account.password.clone(), state.config().password_cost);
    let hash = state.password_work(move || accounts::hash_password(&password, cost)).await??;
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let id = accounts::create(&mut transaction, &account, &hash, now).await?;
    let created = accounts::get(&mut transaction, id).await?.ok_or(ApiError::NotFound("account"))?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "account-create",
            target: format!("account/{id}"),
            detail: json!({ "after": created }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Grants a role on an organisation's subtree.
#[utoipa::path(post, path = "/api/accounts/{id}/grants", tag = "accounts", request_body = NewGrant,
    params(("id" = i64, Path, description = "The account's id")),
    responses((status = 200, body = Account), (status = 403), (status = 404), (status = 422)))]
pub async fn add_grant(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(grant): Json<NewGrant>,
) -> Result<Json<Account>, ApiError> {
    let org = orgs::by_code(state.db().read(), &grant.org)
        .await?
        .ok_or_else(|| ApiError::invalid("org", format!("no organisation has the code `{}`", grant.org)))?;
    allow_on(&auth.actor, Action::ManageAccounts, Some(&org.path))?;
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let before = accounts::get(&mut transaction, id).await?.ok_or(ApiError::NotFound("account"))?;
    accounts::add_grant(&mut transaction, id, &grant).await?;
    let after = accounts::get(&mut transaction, id).await?.ok_or(ApiError::NotFound("account"))?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "role-grant",
            target: format!("account/{id}"),
            detail: json!({ "granted": grant, "before": before.grants, "after": after.grants }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(after))
}

/// Withdraws a role.
#[utoipa::path(delete, path = "/api/accounts/{id}/grants/{grant_id}", tag = "accounts",
    params(("id" = i64, Path, description = "The account's id"), ("grant_id" = i64, Path, description = "The grant's id")),
    responses((status = 200, body = Account), (status = 403), (status = 404)))]
pub async fn remove_grant(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, grant_id)): Path<(i64, i64)>,
) -> Result<Json<Account>, ApiError> {
    let now = state.now();
    let mut transaction = state.db().write().await?;
    let before = accounts::get(&mut transaction, id).await?.ok_or(ApiError::NotFound("account"))?;
    let grant = before.grants.iter().find(|grant| grant.id == grant_id).ok_or(ApiError::NotFound("grant"))?;
    let org = orgs::by_code(&mut *transaction, &grant.org).await?.ok_or(ApiError::NotFound("organisation"))?;
    allow_on(&auth.actor, Action::ManageAccounts, Some(&org.path))?;
    accounts::remove_grant(&mut transaction, id, grant_id).await?;
    let after = accounts::get(&mut transaction, id).await?.ok_or(ApiError::NotFound("account"))?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "role-withdraw",
            target: format!("account/{id}"),
            detail: json!({ "withdrawn": grant, "before": before.grants, "after": after.grants }),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(Json(after))
}

/// A password set by an administrator.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The new password (at least 10 characters).
    pub password: String,
}

/// Sets an account's password (it ends all of its sessions).
#[utoipa::path(post, path = "/api/accounts/{id}/password", tag = "accounts", request_body = PasswordReset,
    params(("id" = i64, Path, description = "The account's id")),
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn reset_password(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(reset): Json<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    let mut connection = state.db().read().acquire().await?;
    let account = accounts::get(&mut connection, id).await?.ok_or(ApiError::NotFound("account"))?;
    drop(connection);
    let home = parent_path(&state, account.org.as_deref()).await?;
    allow_on(&auth.actor, Action::ManageAccounts, home.as_deref())?;
    accounts::check_new_password(&reset.password, &account.login, "password")?;
    let (password, cost) = (reset.password, state.config().password_cost);
    let hash = state.password_work(move || accounts::hash_password(&password, cost)).await??;
    let now = state.now();
    let mut transaction = state.db().write().await?;
    accounts::set_password(&mut transaction, id, &hash).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &auth.who,
            action: "password-reset",
            target: format!("account/{id}"),
            detail: json!({}),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
