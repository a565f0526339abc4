//! `dti`: validate indicator files, evaluate and rank units.
//!
//! Exit codes: 0 success; 1 invalid input (diagnostics printed) or a failed evaluation;
//! 2 a usage error; 3 `dti alerts --fail-on` found an alert that urgent.

mod commands;
mod files;
mod inputs;
mod list;
mod output;
mod progress;
mod render;
mod source;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use dti_core::pipeline::{EvaluateOptions, Overrides};
use dti_core::text::Language;
use std::path::PathBuf;
use std::process::ExitCode;

/// Scores public bodies against digital-transformation indicators, ranks them and
/// explains the results.
#[derive(Parser)]
#[command(
    name = "dti",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 success; 1 invalid input (diagnostics printed) or a failed evaluation; 2 a usage error; 3 `dti alerts --fail-on` found an alert that urgent."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an indicator file and print every problem with its place.
    #[command(after_help = "Examples:\n  dti validate indicators/vn-ministry.toml\n  dti validate asem_iMeta.csv")]
    Validate {
        /// The indicator file (TOML, JSON, or a COINr iMeta table as CSV or xlsx).
        file: PathBuf,
        /// Print the diagnostics as JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Evaluate units: scores at every node, ranks, levels.
    #[command(
        after_help = "Examples:\n  dti evaluate\n  dti evaluate --framework indicators/vn-ministry.toml --data submissions.xlsx --period 2025\n  dti evaluate --framework asem_iMeta.csv --data asem_iData.csv --normalise zscore:10,2 --aggregate geometric\n  dti evaluate --builtin vn-unit --format csv --out results.csv"
    )]
    Evaluate(Box<EvaluateArgs>),
    /// Check the indicator file's alert rules for a period against its history.
    #[command(
        after_help = "Examples:\n  dti alerts --as-of 2026-01-15\n  dti alerts --builtin vn-unit --severity warning --block unit-with-public-services --format csv\n  dti alerts --framework f.toml --data d.xlsx --verified verified.csv --fail-on critical"
    )]
    Alerts(Box<commands::alerts::Args>),
    /// Take one unit's result apart: pillars and indicators against its block, strengths,
    /// weaknesses, change since the previous period and an improvement plan.
    #[command(
        after_help = "Examples:\n  dti explain --unit M05\n  dti explain --builtin vn-unit --unit M01-U001 --lang en --format md"
    )]
    Explain(Box<commands::explain::Args>),
    /// Who moves, by how much and why: two versions of an indicator file on the same data,
    /// or two periods.
    #[command(
        after_help = "Examples:\n  dti diff --framework v1.toml --against v2.toml --data d.csv\n  dti diff --builtin vn-ministry --against my-vn-ministry.toml\n  dti diff --previous 2024\n  dti diff --period 2024 --previous 2023 --format csv"
    )]
    Diff(Box<commands::diff::Args>),
    /// Write a blank submission file for units to fill in (Excel with drop-down lists and
    /// range checks, or CSV).
    #[command(
        after_help = "Examples:\n  dti template --out submission.xlsx\n  dti template --builtin vn-unit --block unit-with-public-services --unit M01-U001 --period 2026 --out u001.xlsx\n  dti template --framework f.toml --format csv --lang en > template.csv"
    )]
    Template(Box<commands::template::Args>),
    /// Collect many units' submission files (JSON, CSV, xlsx) into one data set, reporting
    /// duplicates and conflicts instead of silently picking one.
    #[command(
        after_help = "Examples:\n  dti merge submissions/*.json --out period-2026.csv\n  dti merge --builtin vn-unit a.xlsx b.csv c.json --keep last --out merged.csv"
    )]
    Merge(Box<commands::merge::Args>),
    /// Write a self-contained HTML report of a period (ranking by block, pillar profiles,
    /// the index over the periods, alerts) with SVG charts and no script.
    #[command(
        after_help = "Examples:\n  dti report --out report.html\n  dti report --builtin vn-unit --period 2024 --lang en --out units-2024.html"
    )]
    Report(Box<commands::report::Args>),
    /// Write a static publication site: rankings by block and pillar, a page per unit,
    /// alerts and methodology in Vietnamese and English, every period as open data (CSV,
    /// JSON, xlsx), the source files with their SHA-256, and the web app.
    #[command(
        after_help = "Examples:\n  cargo xtask dist && dti publish --out site --app target/dist\n  dti publish --framework f.toml --data d.xlsx --as-of 2026-01-15 --out public"
    )]
    Publish(Box<commands::publish::Args>),
    /// How robust the ranking is: each unit's rank interval over the methodological
    /// alternatives (weights, normalisation, aggregation, imputation, outliers, a node
    /// left out), and for a sensitivity analysis how much each choice matters.
    #[command(
        after_help = "Examples:\n  dti sensitivity --weights 0.25 --leave-out pillars\n  dti sensitivity --method sensitivity --points 200 --weights 0.25 --aggregate sum,geometric --seed 7\n  dti sensitivity --framework asem_iMeta.csv --data asem_iData.csv --winsorise 1,2,3,4,5 --normalise minmax:1,100 --normalise zscore:10,2 --format json --out robustness.json"
    )]
    Sensitivity(Box<commands::sensitivity::Args>),
    /// Check a publication against its sources: the SHA-256 of the indicator file and the
    /// data it keeps, then every period evaluated again and compared byte for byte.
    #[command(after_help = "Examples:\n  dti verify public\n  dti publish --out site && dti verify site")]
    Verify(Box<commands::verify::Args>),
    /// Run the collection server: accounts and roles, campaigns, online self-assessments,
    /// review and a tamper-evident audit log, on SQLite or PostgreSQL.
    #[command(
        after_help = "Examples:\n  dti serve --demo\n  dti serve --database sqlite:/var/lib/dti/dti.db --data-dir /var/lib/dti/data --web target/dist\n  dti serve --database postgres://dti@db.internal/dti --bind 0.0.0.0 --public-url https://dti.example.gov.vn"
    )]
    Serve(Box<commands::serve::Args>),
    /// Administer a collection server's database: import organisations, create an account,
    /// verify or export the audit log, back up.
    Admin(Box<commands::admin::Args>),
    /// List the built-in indicator sets.
    Builtins,
}

#[derive(clap::Args)]
struct EvaluateArgs {
    #[command(flatten)]
    source: source::SourceArgs,
    /// The period; the latest when absent.
    #[arg(long)]
    period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of names in tables: vi or en.
    #[arg(long, default_value = "vi")]
    lang: Language,
    /// Normalise every indicator: minmax:LOW,HIGH | zscore:MEAN,SD | prank | goalposts.
    #[arg(long, value_parser = inputs::parse_normalise)]
    normalise: Option<dti_core::pipeline::NormaliseOverride>,
    /// Aggregate every node: arithmetic | geometric | harmonic | sum | minimum.
    #[arg(long, value_parser = inputs::parse_aggregate)]
    aggregate: Option<dti_core::framework::Aggregation>,
    /// Impute: mean | median | group-mean:COL | group-median:COL | previous-period | none.
    #[arg(long, value_parser = inputs::parse_impute)]
    impute: Option<dti_core::framework::Impute>,
    /// Winsorise outliers up to WINMAX points (COINr Treat), at most 10000; 0 turns
    /// treatment off.
    #[arg(long, value_name = "WINMAX", allow_negative_numbers = true, value_parser = inputs::parse_winmax)]
    winsorise: Option<u32>,
    /// Divide indicators by their denominators.
    #[arg(long)]
    denominate: bool,
    /// Drop units whose share of indicators with data is below this (0 to 1).
    #[arg(long, allow_negative_numbers = true, value_parser = inputs::parse_share)]
    screen: Option<f64>,
    /// Round the index to this many decimals (0 to 15) before ranking.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=15))]
    rank_decimals: Option<u8>,
}

/// Output formats of `dti evaluate`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// An aligned table for the terminal.
    Table,
    /// One row per unit, full precision.
    Csv,
    /// Everything, with provenance.
    Json,
    /// A Markdown table.
    Md,
    /// An Excel workbook.
    Xlsx,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli) {
        Ok(code) => code,
        // A usage error found after parsing (options that only make sense together) exits
        // like one clap finds: 2.
        Err(error) if error.downcast_ref::<inputs::UsageError>().is_some() => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Validate { file, json } => validate(&file, json),
        Command::Evaluate(args) => evaluate(args),
        Command::Alerts(args) => commands::alerts::run(*args),
        Command::Explain(args) => commands::explain::run(*args),
        Command::Diff(args) => commands::diff::run(*args),
        Command::Template(args) => commands::template::run(*args),
        Command::Merge(args) => commands::merge::run(*args),
        Command::Report(args) => commands::report::run(*args),
        Command::Publish(args) => commands::publish::run(*args),
        Command::Sensitivity(args) => commands::sensitivity::run(*args),
        Command::Verify(args) => commands::verify::run(*args),
        Command::Serve(args) => commands::serve::run(*args),
        Command::Admin(args) => commands::admin::run(*args),
        Command::Builtins => {
            for builtin in dti_core::builtin::BUILTINS {
                let loaded = dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes());
                let title = loaded.framework.map(|f| format!("{} / {}", f.title.vi, f.title.en)).unwrap_or_default();
                println!("{:<12} {title}", builtin.id);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn validate(file: &std::path::Path, json: bool) -> Result<ExitCode> {
    let bytes = inputs::read_file(file, dti_core::limits::MAX_FRAMEWORK_BYTES, "indicator file")?;
    let name = file.display().to_string();
    let loaded = dti_core::load_framework(&name, &bytes);
    if json {
        println!("{}", serde_json::to_string_pretty(&loaded.diagnostics)?);
    } else {
        render::diagnostics(&name, &bytes, &loaded.diagnostics);
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = loaded.diagnostics.len() - errors;
        match &loaded.framework {
            Some(framework) => eprintln!(
                "{name}: valid: `{}` version {}, {} indicators, {} warning(s)",
                framework.id,
                framework.version,
                framework.indicator_indices().len(),
                warnings
            ),
            None => eprintln!("{name}: {errors} error(s), {warnings} warning(s)"),
        }
    }
    Ok(if loaded.framework.is_some() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn evaluate(args: Box<EvaluateArgs>) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let overrides = Overrides {
        normalise: args.normalise,
        aggregate: args.aggregate,
        impute: args.impute,
        winsorise: args.winsorise,
        denominate: args.denominate.then_some(true),
        screen: args.screen,
        rank_decimals: args.rank_decimals,
        ..Overrides::default()
    };
    let options = EvaluateOptions { period: args.period, overrides, ..source.options() };
    let evaluation = dti_core::evaluate(&source.framework, &source.dataset, &options).context("evaluation failed")?;
    render::notes(&evaluation);
    output::write(&evaluation, args.format, args.out.as_deref(), args.lang)?;
    Ok(ExitCode::SUCCESS)
}
