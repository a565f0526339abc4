//! `dti alerts`: the monitoring rules of the indicator file checked for a period.

use crate::list::{List, ListFormat};
use crate::source::SourceArgs;
use anyhow::Result;
use dti_core::alerts::{AlertContext, AlertSeverity, AlertView, check_alerts};
use dti_core::period::Date;
use dti_core::text::Language;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti alerts`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The period checked; the latest when absent. Earlier periods are its history.
    #[arg(long)]
    period: Option<String>,
    /// The evaluation date (YYYY-MM-DD) for evidence ages and deadlines; today when absent.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Verified values (same format as --data) for verification-gap rules.
    #[arg(long)]
    verified: Option<PathBuf>,
    /// Only alerts at least this urgent.
    #[arg(long, value_parser = parse_severity)]
    severity: Option<AlertSeverity>,
    /// Only units of this block (id).
    #[arg(long)]
    block: Option<String>,
    /// Only this unit (id).
    #[arg(long)]
    unit: Option<String>,
    #[command(flatten)]
    output: crate::source::OutputArgs,
    /// Exit with code 3 when an alert at least this urgent is raised (for scripts).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<AlertSeverity>,
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse().map_err(|error: dti_core::period::DateError| error.to_string())
}

fn parse_severity(text: &str) -> Result<AlertSeverity, String> {
    AlertSeverity::from_name(text).ok_or_else(|| format!("unknown severity `{text}`: use info, warning or critical"))
}

/// Today's date from the system clock: the command line's default evaluation date.
pub fn today() -> Date {
    let seconds =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |duration| duration.as_secs());
    Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let verified = match &args.verified {
        None => None,
        Some(path) => match crate::inputs::dataset(Some(path), None, &source.framework, args.source.read_options())? {
            Some((dataset, _)) => Some(dataset),
            None => return Ok(ExitCode::FAILURE),
        },
    };
    if let Some(block) = &args.block
        && source.framework.block_index(block).is_none()
    {
        let known: Vec<&str> = source.framework.blocks.iter().map(|b| b.id.as_str()).collect();
        anyhow::bail!("no block `{block}` in {} (blocks: {})", source.framework.id, known.join(", "));
    }
    if let Some(unit) = &args.unit {
        source.unit_index(unit)?;
    }
    let series = source.series_until(args.period.as_deref())?;
    let context = AlertContext {
        dataset: &source.dataset,
        series: &series,
        as_of: Some(args.as_of.unwrap_or_else(today)),
        verified: verified.as_ref(),
    };
    let alerts: Vec<AlertView> = check_alerts(&context)
        .views(&source.framework, &source.dataset)
        .into_iter()
        .filter(|alert| args.severity.is_none_or(|severity| alert.severity >= severity))
        .filter(|alert| args.block.as_ref().is_none_or(|block| alert.block.as_ref() == Some(block)))
        .filter(|alert| args.unit.as_ref().is_none_or(|unit| &alert.unit == unit))
        .collect();
    let period = series.last().map(|evaluation| evaluation.period.clone()).unwrap_or_default();
    let text = match args.output.format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&alerts)?),
        format => list(&alerts, &period, args.output.lang).render(format)?,
    };
    crate::output::emit(&text, args.output.out.as_deref())?;
    if args.output.format == ListFormat::Table || args.output.format == ListFormat::Md {
        eprintln!("{}", summary(&alerts, args.output.lang));
    }
    let failed = args.fail_on.is_some_and(|floor| alerts.iter().any(|alert| alert.severity >= floor));
    Ok(if failed { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn list(alerts: &[AlertView], period: &str, language: Language) -> List {
    let vi = language == Language::Vi;
    let headers: &[&str] = if vi {
        &["Mức", "Quy tắc", "Đơn vị", "Tên", "Chỉ tiêu", "Cảnh báo", "Căn cứ"]
    } else {
        &["Severity", "Rule", "Unit", "Name", "Node", "Alert", "Why"]
    };
    let title = if vi { format!("Cảnh báo, kỳ {period}") } else { format!("Alerts, period {period}") };
    let mut list = List::new(title, headers).with_keys(&["severity", "rule", "unit", "name", "node", "message", "why"]);
    for alert in alerts {
        let why: Vec<String> = alert.facts.iter().map(|(name, value)| format!("{name}={value}")).collect();
        list.rows.push(vec![
            alert.severity.name().to_owned(),
            alert.rule.clone(),
            alert.unit.clone(),
            alert.unit_name.clone(),
            alert.node.clone().unwrap_or_default(),
            alert.message.get(language).to_owned(),
            why.join(", "),
        ]);
    }
    list
}

fn summary(alerts: &[AlertView], language: Language) -> String {
    let count = |severity| alerts.iter().filter(|alert| alert.severity == severity).count();
    let (critical, warning, info) =
        (count(AlertSeverity::Critical), count(AlertSeverity::Warning), count(AlertSeverity::Info));
    if language == Language::Vi {
        format!("{} cảnh báo: {critical} nghiêm trọng, {warning} cần chú ý, {info} thông tin", alerts.len())
    } else {
        format!("{} alert(s): {critical} critical, {warning} warning, {info} info", alerts.len())
    }
}
