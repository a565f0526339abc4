//! The HTTP layer: the router, the state every handler shares, and the layers around it
//! (sessions, body limit, request ids, logs). Handlers are thin: parse, authorise through
//! [`crate::policy::decide`], call the domain in one transaction, map the result.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod evidence;
pub mod json;
pub mod notifications;
pub mod openapi;
pub mod results;
pub mod reviews;
pub mod submissions;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::domain::results::{Basis, CampaignValues, Ranking};
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use dti_core::Framework;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// What every handler shares: the database, the settings, the clock and the parsed
/// indicator files.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: Config,
    clock: Clock,
    frameworks: Mutex<HashMap<String, Arc<Framework>>>,
    /// Each campaign's units' values, refreshed incrementally.
    values: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<CampaignValues>>>>,
    /// The newest ranking per campaign and basis.
    rankings: Mutex<HashMap<(i64, Basis), Arc<Ranking>>>,
    dummy_hash: std::sync::OnceLock<String>,
    /// Password hashing at once: one per core, so that a burst of sign-ins neither takes
    /// every thread nor 19 MiB each without bound.
    hashing: tokio::sync::Semaphore,
}

impl AppState {
    /// The state of a server on `db` with `config`, reading the time from `clock`.
    pub fn new(db: Db, config: Config, clock: Clock) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                db,
                config,
                clock,
                frameworks: Mutex::default(),
                values: Mutex::default(),
                rankings: Mutex::default(),
                dummy_hash: std::sync::OnceLock::new(),
                hashing: tokio::sync::Semaphore::new(
                    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
                ),
            }),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The current time.
    pub fn now(&self) -> crate::clock::Millis {
        self.inner.clock.now()
    }

    /// The indicator file `sha256`, parsed once and kept.
    pub async fn framework(&self, sha256: &str) -> Result<Arc<Framework>, ApiError> {
        if let Some(framework) = self.cached_framework(sha256) {
            return Ok(framework);
        }
        let mut connection = self.db().read().acquire().await?;
        self.framework_on(&mut connection, sha256).await
    }

    /// [`AppState::framework`] read through `connection`, for a caller that holds one: a
    /// handler never waits for a second connection while holding a first (under load that
    /// would empty the pool and wait forever).
    pub async fn framework_on(
        &self,
        connection: &mut sqlx::AnyConnection,
        sha256: &str,
    ) -> Result<Arc<Framework>, ApiError> {
        if let Some(framework) = self.cached_framework(sha256) {
            return Ok(framework);
        }
        let (file_name, text) = crate::domain::campaigns::framework_text(&mut *connection, sha256)
            .await?
            .ok_or(ApiError::NotFound("indicator file"))?;
        let loaded = dti_core::load_framework(&file_name, text.as_bytes());
        let framework = Arc::new(
            loaded
                .framework
                .ok_or_else(|| ApiError::Internal(format!("stored indicator file {sha256} does not load")))?,
        );
        if let Ok(mut cache) = self.inner.frameworks.lock() {
            cache.insert(sha256.to_owned(), Arc::clone(&framework));
        }
        Ok(framework)
    }

    /// Runs `work` (an Argon2 hash or check) on the blocking pool, at most one per core at
    /// a time.
    pub async fn password_work<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit =
            self.inner.hashing.acquire().await.map_err(|_| ApiError::Internal("the hashing queue closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|error| ApiError::Internal(format!("password hashing: {error}")))
    }

    /// A hash of a random password at this server's cost, for sign-ins of unknown logins.
    pub fn dummy_hash(&self) -> Result<String, ApiError> {
        if let Some(hash) = self.inner.dummy_hash.get() {
            return Ok(hash.clone());
        }
        let hash = crate::domain::accounts::hash_password("no account has this password", self.config().password_cost)?;
        Ok(self.inner.dummy_hash.get_or_init(|| hash).clone())
    }

    /// Campaign `id`'s units' values, brought up to date (only what changed is read).
    pub async fn campaign_values(&self, id: i64) -> Result<Arc<tokio::sync::Mutex<CampaignValues>>, ApiError> {
        let shared = {
            let mut all = self.inner.values.lock().map_err(|_| ApiError::Internal("values cache poisoned".into()))?;
            Arc::clone(all.entry(id).or_default())
        };
        {
            let mut values = shared.lock().await;
            let mut connection = self.db().read().acquire().await?;
            values.refresh(&mut connection, id).await?;
        }
        Ok(shared)
    }

    /// The ranking of campaign `id` on `basis` at its current data, computed again only when
    /// its data changed.
    pub async fn ranking(&self, id: i64, basis: Basis) -> Result<Arc<Ranking>, ApiError> {
        let campaign = crate::domain::campaigns::get(self.db().read(), id).await?;
        let cached = self.inner.rankings.lock().ok().and_then(|all| all.get(&(id, basis)).cloned());
        if let Some(ranking) = cached.filter(|ranking| ranking.data_version == campaign.data_version) {
            return Ok(ranking);
        }
        let framework = self.framework(&campaign.framework_sha256).await?;
        let shared = self.campaign_values(id).await?;
        let values = shared.lock().await;
        let csv =
            crate::domain::results::long_csv(values.included(basis).into_iter().map(|(_, submission)| submission))?;
        let version = values.version;
        drop(values);
        let period = campaign.period.clone();
        let ranking = tokio::task::spawn_blocking(move || {
            crate::domain::results::evaluate(&framework, &csv, &period)
                .map(|evaluation| crate::domain::results::ranking(&evaluation, basis, version))
        })
        .await
        .map_err(|error| ApiError::Internal(format!("evaluation: {error}")))??;
        let ranking = Arc::new(ranking);
        if let Ok(mut all) = self.inner.rankings.lock() {
            all.insert((id, basis), Arc::clone(&ranking));
        }
        Ok(ranking)
    }

    fn cached_framework(&self, sha256: &str) -> Option<Arc<Framework>> {
        self.inner.frameworks.lock().ok()?.get(sha256).cloned()
    }
}

/// The whole application: the API with its OpenAPI document, the sessions, and the web app
/// at `/` when one is configured.
pub fn router(state: AppState, sessions: crate::sessions::Store) -> Router {
    let config = state.config().clone();
    let (api, document) = openapi::api_router().with_state(state.clone()).split_for_parts();
    let document = Arc::new(document);
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name("dti_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::milliseconds(config.session.idle_ms)));
    let mut app = Router::new()
        .merge(api)
        .route("/api/openapi.json", axum::routing::get(move || openapi::serve(Arc::clone(&document))))
        .fallback(|| async { ApiError::NotFound("page") });
    // Published results, public: each campaign's publication under its id.
    app = app.nest_service("/publications", tower_http::services::ServeDir::new(config.data_dir.join("publications")));
    if let Some(web_dir) = &config.web_dir {
        app = app.fallback_service(tower_http::services::ServeDir::new(web_dir));
    }
    let request_id = HeaderName::from_static("x-request-id");
    app.layer(session_layer)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        // Logs name the method, the path and the request id: never a body, a cookie or a query.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
