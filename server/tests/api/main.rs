//! The collection server's tests over HTTP: each case runs against a real server on a
//! fresh database, SQLite and PostgreSQL (the PostgreSQL half when `PGHOST` is set, as
//! under `pg_virtualenv`; `cargo xtask test` runs them there).

mod helpers;

/// Organisations, accounts and roles.
mod admin;
/// The audit log's chain and its check.
mod audit;
/// Signing in and out, sessions, CSRF, throttling, passwords.
mod auth;
/// Campaigns: creation, states, deadlines and extensions.
mod campaigns;
/// Evidence files: types, sizes, who may read them.
mod evidence;
/// Notifications in the app and by mail, reminders.
mod notifications;
/// The OpenAPI document against the routes.
mod openapi;
/// The live ranking, gaps, downloads and finalising.
mod results;
/// Review: decisions per indicator, verification, changes asked, lock and reopening.
mod review;
/// Submissions: revisions, stale saves, submitting, reading another unit's.
mod submissions;
