//! The one error type of the HTTP layer: every failure maps to its status code here, with
//! a JSON body that names the problem (and the field, when one is wrong) and never shows a
//! database or internal message.

use crate::policy::Refusal;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// No session, or it ended.
    #[error("sign in first")]
    Unauthenticated,
    /// The session is valid but the action is not allowed, or not now.
    #[error("{0}")]
    Refused(Refusal),
    /// Nothing at this address, or nothing the caller may know about.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A field is missing or wrong.
    #[error("{field}: {message}")]
    Invalid {
        /// The JSON field (or form field, or CSV column), dotted: `values.dt-online.value`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The request was based on an old state: the body says what it is now.
    #[error("{message}")]
    Conflict {
        /// A stable code (`stale-revision`, `duplicate`).
        code: &'static str,
        /// What happened.
        message: String,
        /// The current state (and a merge, when one was possible).
        current: Option<Value>,
    },
    /// Too many failed logins: try again later.
    #[error("too many failed sign-ins: try again in {retry_after_s} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_s: i64,
    },
    /// The state-changing request lacks its CSRF token.
    #[error("the request lacks a valid X-CSRF-Token header")]
    Csrf,
    /// The request body is larger than the server accepts.
    #[error("the request is too large")]
    TooLarge,
    /// A failure of the server itself, logged; the client is told only that it happened.
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_vi: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a Value>,
}

impl ApiError {
    /// A field is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Invalid { field: field.into(), message: message.into() }
    }

    /// The status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Refused(refusal) => refusal.status(),
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Refused(refusal) => refusal.code(),
            ApiError::NotFound(_) => "not-found",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Conflict { code, .. } => code,
            ApiError::Throttled { .. } => "throttled",
            ApiError::Csrf => "csrf",
            ApiError::TooLarge => "too-large",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // The detail goes to the log only: it may name tables or paths.
            tracing::error!(detail = %detail, "internal error");
        }
        let body = Body {
            error: self.code(),
            message: match &self {
                ApiError::Invalid { message, .. } => message.clone(),
                other => other.to_string(),
            },
            message_vi: match &self {
                ApiError::Refused(refusal) => Some(refusal.vietnamese()),
                ApiError::Unauthenticated => Some("Hãy đăng nhập trước"),
                ApiError::Throttled { .. } => Some("Đăng nhập sai quá nhiều lần: hãy thử lại sau"),
                _ => None,
            },
            field: match &self {
                ApiError::Invalid { field, .. } => Some(field),
                _ => None,
            },
            current: match &self {
                ApiError::Conflict { current, .. } => current.as_ref(),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::Throttled { retry_after_s } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        // A unique key broken by the request: the one constraint a client can cause.
        if let sqlx::Error::Database(database_error) = &error
            && database_error.is_unique_violation()
        {
            return ApiError::Conflict { code: "duplicate", message: "this already exists".into(), current: None };
        }
        ApiError::Internal(error.to_string())
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> ApiError {
        ApiError::Refused(refusal)
    }
}
