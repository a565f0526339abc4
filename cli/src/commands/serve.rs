//! `dti serve`: the collection server (accounts, campaigns, online submissions, review,
//! audit) on SQLite or PostgreSQL.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The database: sqlite:PATH (created when missing) or postgres://USER@HOST/NAME.
    #[arg(long, default_value = "sqlite:dti.db", env = "DTI_DATABASE")]
    database: String,
    /// The port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on (0.0.0.0 for every interface, behind a reverse proxy).
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Where evidence files and publications are kept.
    #[arg(long, default_value = "dti-data")]
    data_dir: PathBuf,
    /// The address people reach the server at; an https:// one marks cookies Secure.
    #[arg(long)]
    public_url: Option<String>,
    /// The built web app to serve at / (cargo xtask dist writes target/dist).
    #[arg(long)]
    web: Option<PathBuf>,
    /// Seed an empty database with the demo: organisations, a campaign, an account per role.
    #[arg(long)]
    demo: bool,
    /// The SMTP relay's host: mail is sent only when given.
    #[arg(long)]
    smtp_host: Option<String>,
    /// The SMTP relay's port.
    #[arg(long, default_value_t = 587)]
    smtp_port: u16,
    /// The sender of mail.
    #[arg(long, default_value = "DTI <dti@localhost>")]
    smtp_from: String,
    /// The SMTP user (its password is read from DTI_SMTP_PASSWORD, never from the command line).
    #[arg(long)]
    smtp_user: Option<String>,
    /// Send mail without STARTTLS (only for a relay on this machine).
    #[arg(long)]
    smtp_plain: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> Result<ExitCode> {
    let log_level = std::env::var("DTI_LOG").ok().and_then(|level| level.parse().ok()).unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt().with_max_level(log_level).with_target(false).try_init();
    let mut config = dti_server::Config::new(args.database, args.data_dir);
    config.listen = std::net::SocketAddr::new(args.bind, args.port);
    config.public_url = args.public_url.unwrap_or_else(|| format!("http://{}", config.listen));
    config.web_dir = args.web;
    if let Some(host) = args.smtp_host {
        let credentials = match args.smtp_user {
            Some(user) => Some((
                user,
                std::env::var("DTI_SMTP_PASSWORD").context("--smtp-user needs the password in DTI_SMTP_PASSWORD")?,
            )),
            None => None,
        };
        config.smtp = Some(dti_server::config::Smtp {
            host,
            port: args.smtp_port,
            from: args.smtp_from,
            credentials,
            starttls: !args.smtp_plain,
        });
    }
    config.publisher = Some(std::sync::Arc::new(Publisher));
    let server = dti_server::Server::start(config.clone()).await.context("cannot start the server")?;
    if args.demo {
        let clock = dti_server::Clock::default();
        let seeded = dti_server::seed::seed_demo(server.state().db(), config.password_cost, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("cannot seed the demo: {error}"))?;
        if let dti_server::seed::Seeded::Demo { campaign_id } = seeded {
            eprintln!("seeded the demo: campaign {campaign_id}");
        }
        eprintln!("demo accounts (change these passwords before any real use):");
        for account in dti_server::seed::DEMO_ACCOUNTS {
            eprintln!("  {:<10} {:<20} {} on {}", account.login, account.password, account.role.as_str(), account.org);
        }
    }
    eprintln!("dti server on http://{} (API described at /api/openapi.json); Ctrl-C stops it", server.address());
    server.run_until(stop_signal()).await.context("the server stopped")?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C, or SIGTERM (what a service manager sends): requests under way finish first.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Publishes as `dti publish` does: the snapshot's two files written to a temporary
/// folder, then the same command run on them.
#[derive(Debug)]
struct Publisher;

impl dti_server::config::Publisher for Publisher {
    fn publish(
        &self,
        framework: (&str, &[u8]),
        data: (&str, &[u8]),
        as_of: &str,
        app: Option<&std::path::Path>,
        out: &std::path::Path,
    ) -> Result<(), String> {
        let sources = tempfile::tempdir().map_err(|error| format!("a temporary folder: {error}"))?;
        let framework_path = sources.path().join(framework.0);
        let data_path = sources.path().join(data.0);
        std::fs::write(&framework_path, framework.1)
            .map_err(|error| format!("{}: {error}", framework_path.display()))?;
        std::fs::write(&data_path, data.1).map_err(|error| format!("{}: {error}", data_path.display()))?;
        let mut arguments = vec![
            "publish".into(),
            "--framework".into(),
            framework_path.into_os_string(),
            "--data".into(),
            data_path.into_os_string(),
            "--as-of".into(),
            as_of.into(),
            "--out".into(),
            out.as_os_str().to_owned(),
        ];
        if let Some(app) = app {
            arguments.extend(["--app".into(), app.as_os_str().to_owned()]);
        }
        let args =
            <super::publish::Args as clap::Parser>::try_parse_from(arguments).map_err(|error| error.to_string())?;
        match super::publish::run(args) {
            Ok(code) if code == ExitCode::SUCCESS => Ok(()),
            Ok(_) => Err("the data could not be read (see the server's log)".into()),
            Err(error) => Err(format!("{error:#}")),
        }
    }
}
