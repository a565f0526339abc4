//! What a server is started with.

use std::net::SocketAddr;
use std::path::PathBuf;

/// A running server's settings: from `dti serve`'s options, or built by tests.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite:PATH` or `postgres://...`.
    pub database: String,
    /// Where evidence files and publications are kept.
    pub data_dir: PathBuf,
    /// The address to listen on (port 0 picks a free one).
    pub listen: SocketAddr,
    /// The address people reach the server at; an `https://` one marks session cookies
    /// `Secure`.
    pub public_url: String,
    /// The built web app to serve at `/`, when there is one.
    pub web_dir: Option<PathBuf>,
    /// Mail, when configured.
    pub smtp: Option<Smtp>,
    /// How hard a password hash is to compute.
    pub password_cost: PasswordCost,
    /// Time-outs of a session.
    pub session: SessionTimeouts,
    /// The largest request body accepted, in bytes (an evidence upload included).
    pub max_body_bytes: usize,
    /// How often reminders are written and mail is sent.
    pub tick: std::time::Duration,
    /// What writes publications; without one, publishing is refused.
    pub publisher: Option<std::sync::Arc<dyn Publisher>>,
    /// Failed logins allowed per account and per address within [`Config::throttle_window_ms`].
    pub max_failed_logins: u32,
    /// The window of the login throttle, in milliseconds.
    pub throttle_window_ms: i64,
}

/// Writes a publication folder from an indicator file and a data file, as `dti publish`
/// does (the command line provides it: the server stays below it).
pub trait Publisher: Send + Sync + std::fmt::Debug {
    /// Writes the publication of `framework` and `data` (file name and bytes each) into the
    /// new folder `out`, its alerts as of `as_of` (YYYY-MM-DD), with the web app from
    /// `app` when given.
    fn publish(
        &self,
        framework: (&str, &[u8]),
        data: (&str, &[u8]),
        as_of: &str,
        app: Option<&std::path::Path>,
        out: &std::path::Path,
    ) -> Result<(), String>;
}

/// An SMTP relay to send mail through.
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Host name or address.
    pub host: String,
    /// Port (25, 587, or a test listener's).
    pub port: u16,
    /// The sender, `DTI <dti@example.gov.vn>`.
    pub from: String,
    /// User name and password, when the relay asks for them.
    pub credentials: Option<(String, String)>,
    /// Whether to require STARTTLS (false only for a relay on the same machine).
    pub starttls: bool,
}

/// The Argon2id parameters: the defaults in production, cheaper ones in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
}

impl PasswordCost {
    /// OWASP's recommendation for Argon2id: 19 MiB, two passes.
    pub const DEFAULT: PasswordCost = PasswordCost { memory_kib: 19 * 1024, iterations: 2 };
    /// For tests only: the same algorithm, quick.
    pub const TEST: PasswordCost = PasswordCost { memory_kib: 64, iterations: 1 };
}

/// When a session ends.
#[derive(Debug, Clone, Copy)]
pub struct SessionTimeouts {
    /// After this long without a request, in milliseconds.
    pub idle_ms: i64,
    /// After this long whatever happens, in milliseconds.
    pub absolute_ms: i64,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        SessionTimeouts { idle_ms: 30 * crate::clock::MINUTE, absolute_ms: 12 * 60 * crate::clock::MINUTE }
    }
}

impl Config {
    /// A configuration with the defaults for `database`, keeping files in `data_dir`.
    pub fn new(database: impl Into<String>, data_dir: impl Into<PathBuf>) -> Config {
        Config {
            database: database.into(),
            data_dir: data_dir.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            web_dir: None,
            smtp: None,
            password_cost: PasswordCost::DEFAULT,
            session: SessionTimeouts::default(),
            max_body_bytes: 16 * 1024 * 1024,
            publisher: None,
            tick: std::time::Duration::from_secs(60),
            max_failed_logins: 5,
            throttle_window_ms: 15 * crate::clock::MINUTE,
        }
    }

    /// Whether session cookies are marked `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
