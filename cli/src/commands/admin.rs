//! `dti admin`: work on a collection server's database directly (the server may be
//! running): import organisations, create an account, check or export the audit log, back
//! up.

use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti admin`.
#[derive(clap::Args)]
pub struct Args {
    /// The database: sqlite:PATH or postgres://USER@HOST/NAME.
    #[arg(long, default_value = "sqlite:dti.db", env = "DTI_DATABASE", global = true)]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Create or update organisations from CSV or Excel: columns code (or unit), name,
    /// parent (a code), block. All rows are written, or none.
    #[command(
        after_help = "Examples:\n  dti admin import-orgs orgs.csv\n  dti admin --database postgres://dti@db/dti import-orgs provinces.xlsx"
    )]
    ImportOrgs {
        /// The file.
        file: PathBuf,
    },
    /// Create an account with one role; the password is read from standard input.
    #[command(
        after_help = "Example:\n  printf '%s' \"$PASSWORD\" | dti admin create-account --login admin --name 'Nguyễn Văn A' --role administrator --on BCD"
    )]
    CreateAccount {
        /// The login.
        #[arg(long)]
        login: String,
        /// The person's name.
        #[arg(long)]
        name: String,
        /// Their e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// The code of the unit they work in.
        #[arg(long)]
        org: Option<String>,
        /// The role: administrator, campaign-manager, reviewer, unit-editor, unit-head, viewer.
        #[arg(long)]
        role: String,
        /// The code of the organisation the role covers (with everything below it).
        #[arg(long)]
        on: String,
    },
    /// The audit log: check its chain, or export it.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// A consistent copy of the database and the data folder while the server runs.
    #[command(after_help = "Example:\n  dti admin backup --data-dir dti-data --out backups/2026-12-02")]
    Backup {
        /// The server's data folder (evidence files, publications).
        #[arg(long, default_value = "dti-data")]
        data_dir: PathBuf,
        /// A new folder to write the copy into.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Prove the chain intact, or name the first broken entry (exit 1).
    Verify,
    /// Write every entry as CSV or JSON.
    Export {
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(admin(args))
}

async fn admin(args: Args) -> Result<ExitCode> {
    let db = dti_server::Db::open(&args.database).await.with_context(|| format!("cannot open {}", args.database))?;
    let now = dti_server::Clock::default().now();
    let result = match args.command {
        Command::ImportOrgs { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let imported = dti_server::ops::import_orgs(&db, &file.display().to_string(), &bytes, now).await?;
            eprintln!(
                "{}: {} created, {} updated, {} unchanged",
                file.display(),
                imported.created,
                imported.updated,
                imported.unchanged
            );
            ExitCode::SUCCESS
        }
        Command::CreateAccount { login, name, email, org, role, on } => {
            let Some(role) = dti_server::policy::Role::parse(&role) else {
                bail!(
                    "--role {role}: give administrator, campaign-manager, reviewer, unit-editor, unit-head or viewer"
                );
            };
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let account = dti_server::domain::accounts::NewAccount { login, name, email, org, password };
            let grant = dti_server::domain::accounts::NewGrant { role, org: on, pillars: None };
            let cost = dti_server::config::PasswordCost::DEFAULT;
            let id = dti_server::ops::create_account(&db, &account, &grant, cost, now).await?;
            eprintln!("created account {id} ({}) as {} on {}", account.login, role.as_str(), grant.org);
            ExitCode::SUCCESS
        }
        Command::Audit(AuditCommand::Verify) => {
            let verification = dti_server::ops::verify_audit(&db).await?;
            match verification.first_broken {
                None => {
                    println!("intact: {} entries, head {}", verification.entries, verification.head_hash);
                    ExitCode::SUCCESS
                }
                Some(broken) => {
                    println!(
                        "broken at entry {}: {} ({} entries before it are intact)",
                        broken.seq, broken.reason, verification.entries
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Audit(AuditCommand::Export { format, out }) => {
            let entries = dti_server::ops::audit_entries(&db).await?;
            let bytes = match format.as_str() {
                "json" => serde_json::to_vec_pretty(&entries)?,
                "csv" => dti_server::audit::csv(&entries).context("cannot write CSV")?,
                other => bail!("--format {other}: give csv or json"),
            };
            match out {
                Some(path) => crate::files::write_atomic(&path, &bytes)?,
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
            ExitCode::SUCCESS
        }
        Command::Backup { data_dir, out } => {
            let backup = dti_server::ops::backup(&db, &data_dir, &out).await?;
            eprintln!(
                "backed up to {} ({} files from {})",
                backup.database.display(),
                backup.files,
                data_dir.display()
            );
            ExitCode::SUCCESS
        }
    };
    db.close().await;
    Ok(result)
}
