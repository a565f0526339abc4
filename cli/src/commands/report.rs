//! `dti report`: one self-contained HTML page (no script, no external file) for a period:
//! the ranking by block with bars, each block's pillar profile, the index over the
//! periods, and the alerts, with SVG charts.

use crate::source::SourceArgs;
use anyhow::Result;
use dti_core::Evaluation;
use dti_core::alerts::{AlertContext, AlertSeverity, AlertView, check_alerts};
use dti_core::period::Date;
use dti_core::pipeline::stats;
use dti_core::text::Language;
use dti_site::charts;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The period reported; the latest when absent.
    #[arg(long)]
    period: Option<String>,
    /// The evaluation date (YYYY-MM-DD) for the alerts; today when absent.
    #[arg(long, value_parser = super::alerts::parse_date)]
    as_of: Option<Date>,
    /// html (one self-contained page) or xlsx (one sheet per view: ranking, indicators,
    /// changes since the previous period, alerts, about).
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// The file to write; standard output when absent (html only).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language: vi or en.
    #[arg(long, default_value = "vi")]
    lang: Language,
}

/// Formats of a report.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// One HTML page with SVG charts.
    Html,
    /// An Excel workbook, one sheet per view.
    Xlsx,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let series = source.series_until(args.period.as_deref())?;
    let Some(current) = series.last() else { anyhow::bail!("the data has no period") };
    crate::render::notes(current);
    let context = AlertContext {
        dataset: &source.dataset,
        series: &series,
        as_of: Some(args.as_of.unwrap_or_else(super::alerts::today)),
        verified: None,
    };
    let alerts = check_alerts(&context).views(&source.framework, &source.dataset);
    match args.format {
        ReportFormat::Html => crate::output::emit(&page(&series, current, &alerts, args.lang), args.out.as_deref())?,
        ReportFormat::Xlsx => {
            let Some(out) = &args.out else { return crate::inputs::usage("--format xlsx needs --out FILE.xlsx") };
            let previous = series.len().checked_sub(2).map(|index| &series[index]);
            crate::output::save_workbook(&mut workbook(current, previous, &alerts, args.lang)?, out)?;
        }
    }
    if let Some(out) = &args.out {
        eprintln!(
            "{}: report for {} ({} units, {} alerts)",
            out.display(),
            current.period,
            current.n_units(),
            alerts.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Texts of the page in one language.
struct Words {
    ranking: &'static str,
    rank: &'static str,
    unit: &'static str,
    score: &'static str,
    level: &'static str,
    profile: &'static str,
    trend: &'static str,
    alerts: &'static str,
    no_alerts: &'static str,
    why: &'static str,
    all_units: &'static str,
    period: &'static str,
}

const VI: Words = Words {
    ranking: "Xếp hạng",
    rank: "Hạng",
    unit: "Đơn vị",
    score: "Điểm",
    level: "Mức",
    profile: "Điểm trung bình theo chỉ số thành phần (% tối đa)",
    trend: "Điểm trung vị qua các kỳ",
    alerts: "Cảnh báo",
    no_alerts: "Không có cảnh báo.",
    why: "Căn cứ",
    all_units: "Tất cả đơn vị",
    period: "Kỳ",
};

const EN: Words = Words {
    ranking: "Ranking",
    rank: "Rank",
    unit: "Unit",
    score: "Score",
    level: "Level",
    profile: "Average score per pillar (% of maximum)",
    trend: "Median score over the periods",
    alerts: "Alerts",
    no_alerts: "No alerts.",
    why: "Why",
    all_units: "All units",
    period: "Period",
};

fn page(series: &[Evaluation], current: &Evaluation, alerts: &[AlertView], language: Language) -> String {
    let words = if language == Language::Vi { &VI } else { &EN };
    let framework = &current.framework;
    let title = escape(framework.title.get(language));
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — {period}</title><style>{STYLE}</style></head><body>\
         <h1>{title}</h1><p class=\"meta\">{period_word}: <strong>{period}</strong> · dti {engine} · \
         sha256 {framework_sha} / {data_sha}</p>",
        period = escape(&current.period),
        period_word = words.period,
        engine = escape(&current.provenance.engine_version),
        framework_sha = short(&current.provenance.framework_sha256),
        data_sha = short(&current.provenance.data_sha256),
    );
    for (block, members) in current.blocks_in_order() {
        let name = block
            .and_then(|block| framework.block_index(block))
            .map_or_else(|| words.all_units.to_owned(), |index| framework.blocks[index].name.get(language).to_owned());
        let _ = write!(html, "<section><h2>{} — {}</h2>", words.ranking, escape(&name));
        html.push_str(&ranking(current, &members, words, language));
        let _ = write!(html, "<h3>{}</h3>", words.profile);
        html.push_str(&profile(current, &members, language));
        if series.len() > 1 {
            let _ = write!(html, "<h3>{}</h3>", words.trend);
            html.push_str(&trend(series, block));
        }
        html.push_str("</section>");
    }
    let _ = write!(html, "<section><h2>{} ({})</h2>", words.alerts, alerts.len());
    html.push_str(&alert_table(alerts, words, language));
    html.push_str("</section></body></html>\n");
    // One row or block per line, for people reading the source and for diffs.
    ["</tr>", "</section>", "</h2>", "</h3>", "</table>", "</svg>", "</li>", "</style>"]
        .iter()
        .fold(html, |html, tag| html.replace(tag, &format!("{tag}\n")))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b2733}\
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #1d6fb8}.meta{color:#555}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.25rem .5rem;border-bottom:1px solid #dde;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}\
.critical{color:#a40000;font-weight:600}.warning{color:#8a5a00}.info{color:#335}\
@media print{h2{break-before:page}}";

fn ranking(evaluation: &Evaluation, members: &[usize], words: &Words, language: Language) -> String {
    let framework = &evaluation.framework;
    let decimals = usize::from(framework.scale.decimals);
    let mut members = members.to_vec();
    members.sort_by_key(|&position| (evaluation.block_rank[position].unwrap_or(u32::MAX), position));
    let mut html = format!(
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th></th><th>{}</th></tr></thead><tbody>",
        words.rank, words.unit, words.score, words.level
    );
    for position in members {
        let unit = &evaluation.units[position];
        let score = evaluation.display_score(position);
        let share = evaluation.share(framework.root(), position).unwrap_or(0.0).clamp(0.0, 1.0);
        let level =
            evaluation.root_level(position).map(|level| level.name.get(language).to_owned()).unwrap_or_default();
        let _ = write!(
            html,
            "<tr><td class=\"n\">{rank}</td><td>{name} <small>({id})</small></td><td class=\"n\">{score}</td>\
             <td>{bar}</td><td>{level}</td></tr>",
            rank = evaluation.block_rank[position].map_or_else(|| "-".to_owned(), |rank| rank.to_string()),
            name = escape(&unit.name),
            id = escape(&unit.id),
            score = score.map_or_else(|| "-".to_owned(), |score| format!("{score:.decimals$}")),
            bar = charts::standalone_bar(share),
            level = escape(&level),
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// Horizontal bars: the block's mean share of each pillar (children of the root).
fn profile(evaluation: &Evaluation, members: &[usize], language: Language) -> String {
    let framework = &evaluation.framework;
    let rows: Vec<(&str, f64)> = framework.nodes[framework.root()]
        .children
        .iter()
        .map(|&pillar| {
            let shares: Vec<f64> = members.iter().filter_map(|&position| evaluation.share(pillar, position)).collect();
            let mean = if shares.is_empty() { 0.0 } else { shares.iter().sum::<f64>() / shares.len() as f64 };
            (framework.nodes[pillar].name.get(language), mean)
        })
        .collect();
    charts::share_bars(&rows)
}

/// A line of the block's median display score over the periods.
fn trend(series: &[Evaluation], block: Option<&str>) -> String {
    let points: Vec<(String, f64)> = series
        .iter()
        .filter_map(|evaluation| {
            let scores: Vec<f64> = (0..evaluation.n_units())
                .filter(|&position| evaluation.units[position].block.as_deref() == block)
                .filter_map(|position| evaluation.display_score(position))
                .collect();
            Some((evaluation.period.clone(), stats::median(&scores)?))
        })
        .collect();
    let max = series.last().map_or(1.0, |evaluation| evaluation.framework.scale.max).max(1e-9);
    charts::trend_line(&points, max)
}

fn alert_table(alerts: &[AlertView], words: &Words, language: Language) -> String {
    if alerts.is_empty() {
        return format!("<p>{}</p>", words.no_alerts);
    }
    let mut counts: BTreeMap<(std::cmp::Reverse<AlertSeverity>, &str), usize> = BTreeMap::new();
    for alert in alerts {
        *counts.entry((std::cmp::Reverse(alert.severity), alert.rule.as_str())).or_default() += 1;
    }
    let mut html = String::from("<ul>");
    for ((severity, rule), count) in &counts {
        let _ = write!(html, "<li class=\"{0}\">{0} · {1}: {count}</li>", severity.0.name(), escape(rule));
    }
    html.push_str("</ul>");
    let _ = write!(
        html,
        "<table><thead><tr><th></th><th>{}</th><th></th><th>{}</th></tr></thead><tbody>",
        words.unit, words.why
    );
    for alert in alerts {
        let why: Vec<String> = alert.facts.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let _ = write!(
            html,
            "<tr><td class=\"{severity}\">{severity}</td><td>{name} <small>({id})</small></td><td>{message}</td><td>{why}</td></tr>",
            severity = alert.severity.name(),
            name = escape(&alert.unit_name),
            id = escape(&alert.unit),
            message = escape(alert.message.get(language)),
            why = escape(&why.join(", ")),
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// The views of the period as an Excel workbook, one sheet each.
fn workbook(
    current: &Evaluation,
    previous: Option<&Evaluation>,
    alerts: &[AlertView],
    language: Language,
) -> Result<rust_xlsxwriter::Workbook> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let framework = &current.framework;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let headers = |sheet: &mut Worksheet, names: &[String]| -> Result<()> {
        for (column, name) in names.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, name, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    };
    let number = |sheet: &mut Worksheet, row: u32, column: u16, value: Option<f64>| -> Result<()> {
        if let Some(value) = value.filter(|value| value.is_finite()) {
            sheet.write_number(row, column, value)?;
        }
        Ok(())
    };
    let aggregates = crate::output::aggregate_order(current);

    let sheet = workbook.add_worksheet().set_name("ranking")?;
    let mut names: Vec<String> =
        ["rank", "block_rank", "unit", "name", "block", "score", "level", "coverage"].map(String::from).to_vec();
    names.extend(aggregates.iter().map(|&node| framework.nodes[node].id.clone()));
    headers(sheet, &names)?;
    let mut order: Vec<usize> = (0..current.n_units()).collect();
    order.sort_by_key(|&position| (current.rank[position].unwrap_or(u32::MAX), position));
    for (row, &position) in order.iter().enumerate() {
        let row = row as u32 + 1;
        let unit = &current.units[position];
        number(sheet, row, 0, current.rank[position].map(f64::from))?;
        number(sheet, row, 1, current.block_rank[position].map(f64::from))?;
        sheet.write_string(row, 2, &unit.id)?;
        sheet.write_string(row, 3, &unit.name)?;
        sheet.write_string(row, 4, unit.block.as_deref().unwrap_or(""))?;
        number(sheet, row, 5, current.display_score(position))?;
        let level = current.root_level(position).map(|level| level.name.get(language).to_owned()).unwrap_or_default();
        sheet.write_string(row, 6, level)?;
        number(sheet, row, 7, Some(current.coverage[position]))?;
        for (offset, &node) in aggregates.iter().enumerate() {
            number(sheet, row, 8 + offset as u16, current.score(node, position))?;
        }
    }

    let sheet = workbook.add_worksheet().set_name("indicators")?;
    let indicators = framework.indicator_indices();
    let mut names = vec!["unit".to_owned()];
    names.extend(indicators.iter().map(|&node| framework.nodes[node].id.clone()));
    headers(sheet, &names)?;
    for (row, &position) in order.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &current.units[position].id)?;
        for (offset, &node) in indicators.iter().enumerate() {
            number(sheet, row, 1 + offset as u16, current.score(node, position))?;
        }
    }

    let sheet = workbook.add_worksheet().set_name("changes")?;
    let names =
        ["unit", "previous_period", "before", "after", "change", "rank_before", "rank_after", "places", "causes"];
    headers(sheet, &names.map(String::from))?;
    if let Some(previous) = previous {
        let comparison = dti_core::series::compare(current, previous);
        let root = framework.root();
        for (row, unit) in comparison.units.iter().enumerate() {
            let row = row as u32 + 1;
            let change = unit.nodes[root];
            sheet.write_string(row, 0, &unit.unit)?;
            sheet.write_string(row, 1, &previous.period)?;
            number(sheet, row, 2, change.previous)?;
            number(sheet, row, 3, change.score)?;
            number(sheet, row, 4, change.delta)?;
            number(sheet, row, 5, change.previous_rank.map(f64::from))?;
            number(sheet, row, 6, change.rank.map(f64::from))?;
            number(sheet, row, 7, change.rank_change.map(|places| places as f64))?;
            let causes = dti_core::series::causes(current, unit.position, previous, unit.previous_position);
            let causes: Vec<String> =
                causes.iter().take(3).map(|cause| format!("{} {:+.2}", cause.indicator, cause.change)).collect();
            sheet.write_string(row, 8, causes.join(", "))?;
        }
    }

    let sheet = workbook.add_worksheet().set_name("alerts")?;
    let names = ["severity", "rule", "unit", "name", "node", "message", "why"];
    headers(sheet, &names.map(String::from))?;
    for (row, alert) in alerts.iter().enumerate() {
        let row = row as u32 + 1;
        let why: Vec<String> = alert.facts.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let cells = [
            alert.severity.name().to_owned(),
            alert.rule.clone(),
            alert.unit.clone(),
            alert.unit_name.clone(),
            alert.node.clone().unwrap_or_default(),
            alert.message.get(language).to_owned(),
            why.join(", "),
        ];
        for (column, cell) in cells.iter().enumerate() {
            sheet.write_string(row, column as u16, cell)?;
        }
    }

    let sheet = workbook.add_worksheet().set_name("about")?;
    let about = [
        ("indicator set", format!("{} ({})", framework.title.get(language), framework.id)),
        ("version", framework.version.clone()),
        ("period", current.period.clone()),
        ("engine version", current.provenance.engine_version.clone()),
        ("indicator file sha256", current.provenance.framework_sha256.clone()),
        ("data sha256", current.provenance.data_sha256.clone()),
    ];
    for (row, (key, value)) in about.iter().enumerate() {
        sheet.write_string_with_format(row as u32, 0, *key, &bold)?;
        sheet.write_string(row as u32, 1, value)?;
    }
    Ok(workbook)
}

/// HTML escaping for text, as this page writes it (see [`dti_site::html::escape_text`]).
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    dti_site::html::escape_text(text)
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
