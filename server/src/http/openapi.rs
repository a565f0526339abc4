//! The API's routes and their OpenAPI document, built together from the handlers'
//! annotations (utoipa-axum), so that the document cannot list a route the server lacks or
//! miss one it has.

use super::json::Json;
use super::{AppState, admin, auth, campaigns, reviews, submissions};
use axum::response::IntoResponse;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The document's header.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "dti collection server",
        description = "Accounts, campaigns, online self-assessments, review and audit of the dti \
                       digital-transformation index. Sign in at /api/login; send the returned csrf_token \
                       in the X-CSRF-Token header of every POST, PUT, PATCH and DELETE."
    ),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "organisations", description = "The organisation tree"),
        (name = "accounts", description = "Accounts and roles"),
        (name = "campaigns", description = "Indicator files and campaigns"),
        (name = "submissions", description = "Units' self-assessments"),
        (name = "review", description = "Verification by reviewers"),
        (name = "results", description = "Live ranking, downloads, finalising and publishing"),
        (name = "audit", description = "The tamper-evident audit log"),
    )
)]
struct ApiDoc;

/// Every API route with its documentation.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::current_session))
        .routes(routes!(auth::change_password))
        .routes(routes!(super::notifications::list))
        .routes(routes!(super::notifications::read))
        .routes(routes!(admin::list_orgs))
        .routes(routes!(admin::put_org))
        .routes(routes!(admin::import_orgs))
        .routes(routes!(admin::list_accounts, admin::create_account))
        .routes(routes!(admin::add_grant))
        .routes(routes!(admin::remove_grant))
        .routes(routes!(admin::reset_password))
        .routes(routes!(campaigns::upload_framework))
        .routes(routes!(campaigns::list, campaigns::create))
        .routes(routes!(campaigns::get, campaigns::update))
        .routes(routes!(campaigns::transition))
        .routes(routes!(campaigns::extend))
        .routes(routes!(campaigns::progress))
        .routes(routes!(campaigns::load_measured))
        .routes(routes!(submissions::get, submissions::save))
        .routes(routes!(submissions::submit))
        .routes(routes!(submissions::lock))
        .routes(routes!(submissions::reopen))
        .routes(routes!(submissions::revisions))
        .routes(routes!(submissions::revision))
        .routes(routes!(super::evidence::upload))
        .routes(routes!(super::evidence::download, super::evidence::remove))
        .routes(routes!(reviews::decide_indicator))
        .routes(routes!(reviews::request_changes))
        .routes(routes!(reviews::verify))
        .routes(routes!(super::results::ranking))
        .routes(routes!(super::results::gaps))
        .routes(routes!(super::results::data))
        .routes(routes!(super::results::results_table))
        .routes(routes!(super::results::finalise))
        .routes(routes!(super::results::snapshot))
        .routes(routes!(super::results::publish))
        .routes(routes!(super::audit::entries))
        .routes(routes!(super::audit::verify))
}

/// Serves the document.
pub async fn serve(document: Arc<utoipa::openapi::OpenApi>) -> impl IntoResponse {
    Json(document)
}
