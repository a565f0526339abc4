//! Signing in and out, the session's person ([`Auth`], the extractor every protected
//! handler takes), time-outs, CSRF tokens and the login throttle.

use super::AppState;
use super::json::Json;
use crate::audit::{self, Record, Who};
use crate::domain::accounts::{self, Account};
use crate::error::ApiError;
use crate::policy::Actor;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::Method;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::net::SocketAddr;
use tower_sessions::Session;

/// The session key holding [`SessionData`].
const SESSION_KEY: &str = "auth";
/// The header a state-changing request carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a session remembers.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionData {
    account_id: i64,
    /// The account's password epoch at sign-in: a password change raises it, which ends
    /// this session.
    epoch: i64,
    started: i64,
    seen: i64,
    csrf: String,
}

/// The signed-in person of a request, checked: the session is live, the account enabled
/// and unchanged, and a state-changing request carries the session's CSRF token.
pub struct Auth {
    /// Who they are and their roles.
    pub actor: Actor,
    /// Who they are for the audit log.
    pub who: Who,
    /// Their session.
    pub session: Session,
}

/// The client's address, as the audit log records it.
pub fn client_address(parts: &Parts) -> String {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".into(), |info| info.0.ip().to_string())
}

fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| ApiError::Internal(format!("random: {error}")))?;
    Ok(hex::encode(bytes))
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Auth, ApiError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::Internal("the session layer is missing".into()))?;
        let data: SessionData = match session.get(SESSION_KEY).await {
            Ok(Some(data)) => data,
            Ok(None) => return Err(ApiError::Unauthenticated),
            Err(error) => return Err(ApiError::Internal(format!("session: {error}"))),
        };
        let now = state.now();
        let timeouts = state.config().session;
        if now - data.started > timeouts.absolute_ms || now - data.seen > timeouts.idle_ms {
            let _ = session.flush().await;
            return Err(ApiError::Unauthenticated);
        }
        let mut connection = state.db().read().acquire().await?;
        let Some((actor, epoch)) = accounts::actor(&mut connection, data.account_id).await? else {
            let _ = session.flush().await;
            return Err(ApiError::Unauthenticated);
        };
        if epoch != data.epoch {
            let _ = session.flush().await;
            return Err(ApiError::Unauthenticated);
        }
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let token = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok());
            if token != Some(data.csrf.as_str()) {
                return Err(ApiError::Csrf);
            }
        }
        // Marks the session seen, at most once a minute (each mark is a write).
        if now - data.seen > crate::clock::MINUTE {
            let seen = SessionData { seen: now, ..data };
            session.insert(SESSION_KEY, seen).await.map_err(|error| ApiError::Internal(format!("session: {error}")))?;
        }
        let who =
            Who { account_id: Some(actor.account_id), login: actor.login.clone(), address: client_address(parts) };
        Ok(Auth { actor, who, session })
    }
}

/// The client's address, for handlers without a session.
pub struct Address(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Address {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Address, Self::Rejection> {
        Ok(Address(client_address(parts)))
    }
}

/// A sign-in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// The account's login.
    pub login: String,
    /// Its password.
    pub password: String,
}

/// The signed-in account and the token its state-changing requests carry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The account, with its roles.
    pub account: Account,
    /// Send it back in the `X-CSRF-Token` header of every POST, PUT, PATCH and DELETE.
    pub csrf_token: String,
}

/// Signs in: a new session (a new id, whatever the client had), or 401; too many failures
/// for the login or from the address within the window give 429.
#[utoipa::path(post, path = "/api/login", tag = "session", request_body = Login,
    responses((status = 200, body = SessionView), (status = 401), (status = 429)))]
pub async fn login(
    State(state): State<AppState>,
    Address(address): Address,
    session: Session,
    Json(login): Json<Login>,
) -> Result<Json<SessionView>, ApiError> {
    let now = state.now();
    let config = state.config();
    let login_name = login.login.trim().to_owned();
    let mut connection = state.db().read().acquire().await?;
    let failures =
        accounts::recent_failures(&mut connection, &login_name, &address, now - config.throttle_window_ms).await?;
    let credentials = accounts::credentials(&mut *connection, &login_name).await?;
    drop(connection);
    let who = Who { account_id: credentials.as_ref().map(|found| found.id), login: login_name.clone(), address };
    if failures >= i64::from(config.max_failed_logins) {
        let mut transaction = state.db().write().await?;
        audit::append(
            &mut transaction,
            now,
            Record {
                who: &who,
                action: "login-throttled",
                target: format!("login/{login_name}"),
                detail: json!({ "recent_failures": failures }),
                note: String::new(),
            },
        )
        .await?;
        transaction.commit().await?;
        return Err(ApiError::Throttled { retry_after_s: config.throttle_window_ms / 1000 });
    }
    // An unknown login is checked against a hash of nothing, so that a failed sign-in takes
    // as long whether or not the account exists.
    let hash = match &credentials {
        Some(found) => found.password_hash.clone(),
        None => state.dummy_hash()?,
    };
    let password = login.password;
    let matches = state.password_work(move || accounts::password_matches(&password, &hash)).await?;
    let account = credentials.filter(|found| matches && !found.disabled);
    let mut transaction = state.db().write().await?;
    let Some(account) = account else {
        accounts::record_failure(&mut transaction, &login_name, &who.address, now).await?;
        audit::append(
            &mut transaction,
            now,
            Record {
                who: &who,
                action: "login-failed",
                target: format!("login/{login_name}"),
                detail: json!({}),
                note: String::new(),
            },
        )
        .await?;
        transaction.commit().await?;
        return Err(ApiError::Unauthenticated);
    };
    sqlx::query("DELETE FROM login_failures WHERE login = $1").bind(&login_name).execute(&mut *transaction).await?;
    audit::append(
        &mut transaction,
        now,
        Record {
            who: &who,
            action: "login",
            target: format!("account/{}", account.id),
            detail: json!({}),
            note: String::new(),
        },
    )
    .await?;
    let view = accounts::get(&mut transaction, account.id).await?.ok_or(ApiError::Unauthenticated)?;
    transaction.commit().await?;
    // A new session id at every sign-in: a session fixed by someone else is worthless.
    session.cycle_id().await.map_err(|error| ApiError::Internal(format!("session: {error}")))?;
    let csrf = random_token()?;
    let data = SessionData {
        account_id: account.id,
        epoch: account.password_epoch,
        started: now,
        seen: now,
        csrf: csrf.clone(),
    };
    session.insert(SESSION_KEY, data).await.map_err(|error| ApiError::Internal(format!("session: {error}")))?;
    Ok(Json(SessionView { account: view, csrf_token: csrf }))
}

/// Signs out: the session is deleted.
#[utoipa::path(post, path = "/api/logout", tag = "session", responses((status = 204), (status = 401)))]
pub async fn logout(State(state): State<AppState>, auth: Auth) -> Result<axum::http::StatusCode, ApiError> {
    let mut transaction = state.db().write().await?;
    audit::append(
        &mut transaction,
        state.now(),
        Record {
            who: &auth.who,
            action: "logout",
            target: format!("account/{}", auth.actor.account_id),
            detail: json!({}),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    auth.session.flush().await.map_err(|error| ApiError::Internal(format!("session: {error}")))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The signed-in account, its roles and its CSRF token.
#[utoipa::path(get, path = "/api/session", tag = "session", responses((status = 200, body = SessionView), (status = 401)))]
pub async fn current_session(State(state): State<AppState>, auth: Auth) -> Result<Json<SessionView>, ApiError> {
    let data: SessionData = auth
        .session
        .get(SESSION_KEY)
        .await
        .map_err(|error| ApiError::Internal(format!("session: {error}")))?
        .ok_or(ApiError::Unauthenticated)?;
    let mut connection = state.db().read().acquire().await?;
    let account = accounts::get(&mut connection, auth.actor.account_id).await?.ok_or(ApiError::Unauthenticated)?;
    Ok(Json(SessionView { account, csrf_token: data.csrf }))
}

/// A password change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now.
    pub current: String,
    /// The new one (at least 10 characters).
    pub new: String,
}

/// Changes the signed-in account's password; every session of the account ends, this one
/// included.
#[utoipa::path(post, path = "/api/account/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 401), (status = 422)))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Json(change): Json<PasswordChange>,
) -> Result<axum::http::StatusCode, ApiError> {
    accounts::check_new_password(&change.new, &auth.actor.login, "new")?;
    let credentials =
        accounts::credentials(state.db().read(), &auth.actor.login).await?.ok_or(ApiError::Unauthenticated)?;
    let cost = state.config().password_cost;
    let (current, new, stored) = (change.current, change.new, credentials.password_hash);
    let hash = state
        .password_work(move || {
            if accounts::password_matches(&current, &stored) {
                accounts::hash_password(&new, cost).map(Some)
            } else {
                Ok(None)
            }
        })
        .await??;
    let Some(hash) = hash else {
        return Err(ApiError::invalid("current", "this is not the current password"));
    };
    let mut transaction = state.db().write().await?;
    accounts::set_password(&mut transaction, auth.actor.account_id, &hash).await?;
    audit::append(
        &mut transaction,
        state.now(),
        Record {
            who: &auth.who,
            action: "password-change",
            target: format!("account/{}", auth.actor.account_id),
            detail: json!({}),
            note: String::new(),
        },
    )
    .await?;
    transaction.commit().await?;
    auth.session.flush().await.map_err(|error| ApiError::Internal(format!("session: {error}")))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
