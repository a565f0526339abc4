//! `dti explain --unit U`: one unit's result taken apart: its pillars and indicators
//! against its block's median, its strengths and weaknesses, the change since the
//! previous period, and an improvement plan.

use crate::list::{List, ListFormat};
use crate::source::SourceArgs;
use anyhow::{Result, bail};
use dti_core::Evaluation;
use dti_core::assessment::unit_plan;
use dti_core::evaluation::flag_names;
use dti_core::pipeline::stats;
use dti_core::text::Language;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `dti explain`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The unit (id).
    #[arg(long)]
    unit: String,
    /// The period; the latest when absent.
    #[arg(long)]
    period: Option<String>,
    /// How many steps the improvement plan lists.
    #[arg(long, default_value_t = 5)]
    steps: usize,
    #[command(flatten)]
    output: crate::source::OutputArgs,
}

/// One node of the unit's result against its block.
#[derive(Serialize)]
struct NodeLine {
    node: String,
    name: String,
    score: Option<f64>,
    max: Option<f64>,
    share: Option<f64>,
    block_median_share: Option<f64>,
    /// `share - block_median_share`, in points of percentage.
    versus_block: Option<f64>,
    flags: Vec<&'static str>,
}

/// A step of the improvement plan.
#[derive(Serialize)]
struct Step {
    indicator: String,
    name: String,
    from: String,
    to: String,
    gain: f64,
}

/// Everything `explain` says, as JSON.
#[derive(Serialize)]
struct Explanation {
    unit: String,
    name: String,
    block: Option<String>,
    period: String,
    score: Option<f64>,
    rank: Option<u32>,
    units: usize,
    block_rank: Option<u32>,
    block_units: usize,
    level: Option<String>,
    previous_period: Option<String>,
    score_change: Option<f64>,
    rank_change: Option<i64>,
    /// The index over every period so far, and its least-squares slope per year.
    trend: dti_core::series::Trend,
    pillars: Vec<NodeLine>,
    indicators: Vec<NodeLine>,
    strengths: Vec<String>,
    weaknesses: Vec<String>,
    plan: Vec<Step>,
    plan_note: Option<String>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let series = source.series_until(args.period.as_deref())?;
    let Some(current) = series.last() else { bail!("the data has no period to explain") };
    let Some(position) = current.units.iter().position(|unit| unit.id == args.unit) else {
        let ids: Vec<&str> = current.units.iter().map(|unit| unit.id.as_str()).collect();
        let near =
            ids.iter().find(|id| id.eq_ignore_ascii_case(&args.unit)).map(|id| format!(" (did you mean `{id}`?)"));
        bail!("no unit `{}` in period {}{}", args.unit, current.period, near.unwrap_or_default());
    };
    let explanation = explain(&source, &series, position, args.steps, args.output.lang);
    let text = match args.output.format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&explanation)?),
        format => render(&explanation, format, args.output.lang)?,
    };
    crate::output::emit(&text, args.output.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// The unit at `position` of the series' last evaluation, explained.
fn explain(
    source: &crate::source::Source,
    series: &[Evaluation],
    position: usize,
    steps: usize,
    language: Language,
) -> Explanation {
    let current = &series[series.len() - 1];
    let previous = series.len().checked_sub(2).map(|index| &series[index]);
    let framework = &current.framework;
    let unit = &current.units[position];
    let peers: Vec<usize> = (0..current.n_units()).filter(|&other| current.units[other].block == unit.block).collect();
    let line = |node: usize| {
        let share = current.share(node, position);
        let block_median_share =
            stats::median(&peers.iter().filter_map(|&peer| current.share(node, peer)).collect::<Vec<f64>>());
        let flags = match framework.nodes[node].indicator() {
            Some(_) => flag_names(current.flag(node, position)),
            None => Vec::new(),
        };
        NodeLine {
            node: framework.nodes[node].id.clone(),
            name: framework.nodes[node].name.get(language).to_owned(),
            score: current.score(node, position),
            max: framework.nodes[node].max(),
            share,
            block_median_share,
            versus_block: share.zip(block_median_share).map(|(share, median)| (share - median) * 100.0),
            flags,
        }
    };
    let root = framework.root();
    let pillars: Vec<NodeLine> =
        crate::output::aggregate_order(current).into_iter().filter(|&node| node != root).map(line).collect();
    let indicators: Vec<NodeLine> = framework
        .indicator_indices()
        .into_iter()
        .filter(|&node| current.applies(node, position) && framework.nodes[node].scores())
        .map(line)
        .collect();
    let mut ranked: Vec<&NodeLine> = indicators.iter().filter(|line| line.versus_block.is_some()).collect();
    ranked.sort_by(|a, b| b.versus_block.unwrap_or(0.0).total_cmp(&a.versus_block.unwrap_or(0.0)));
    let strengths =
        ranked.iter().filter(|line| line.versus_block > Some(0.0)).take(3).map(|line| line.node.clone()).collect();
    let weaknesses = ranked
        .iter()
        .rev()
        .filter(|line| line.versus_block < Some(0.0))
        .take(3)
        .map(|line| line.node.clone())
        .collect();

    let (plan, plan_note) = plan(source, current, position, steps, language);
    let change = previous.map(|previous| dti_core::series::compare(current, previous));
    let root_change = change.as_ref().and_then(|change| change.change(position, root).copied());
    Explanation {
        unit: unit.id.clone(),
        name: unit.name.clone(),
        block: unit.block.clone(),
        period: current.period.clone(),
        score: current.display_score(position),
        rank: current.rank[position],
        units: current.n_units(),
        block_rank: current.block_rank[position],
        block_units: peers.len(),
        level: current.root_level(position).map(|level| level.name.get(language).to_owned()),
        previous_period: previous.map(|previous| previous.period.clone()),
        score_change: root_change.and_then(|change| change.delta),
        rank_change: root_change.and_then(|change| change.rank_change),
        trend: dti_core::series::trend(series, &unit.id, &framework.nodes[root].id),
        pillars,
        indicators,
        strengths,
        weaknesses,
        plan,
        plan_note,
    }
}

/// The improvement plan: "what to improve next" on the unit's own values.
fn plan(
    source: &crate::source::Source,
    current: &Evaluation,
    position: usize,
    steps: usize,
    language: Language,
) -> (Vec<Step>, Option<String>) {
    let framework = &current.framework;
    let Some(period) = source.dataset.period_index(&current.period) else { return (Vec::new(), None) };
    let unit = current.units.dataset_index(position);
    match unit_plan(framework, &source.framework_sha, &source.dataset, period, unit, steps) {
        Ok(plan) => {
            let steps = plan
                .into_iter()
                .map(|step| Step {
                    name: framework
                        .node_index(&step.indicator)
                        .map(|node| framework.nodes[node].name.get(language).to_owned())
                        .unwrap_or_default(),
                    indicator: step.indicator,
                    from: step.from,
                    to: step.to,
                    gain: step.gain,
                })
                .collect();
            (steps, None)
        }
        Err(reason) => (Vec::new(), Some(reason.to_string())),
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |share| format!("{:.1}%", share * 100.0))
}

fn points(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| format!("{value:.2}"))
}

fn render(explanation: &Explanation, format: ListFormat, language: Language) -> Result<String> {
    let vi = language == Language::Vi;
    if format == ListFormat::Csv {
        return indicators_csv(explanation);
    }
    let mut text = String::new();
    let heading = |title: &str| if format == ListFormat::Md { format!("## {title}\n\n") } else { format!("{title}\n") };
    text.push_str(&heading(&format!("{} ({}) — {}", explanation.name, explanation.unit, explanation.period)));
    let rank = |rank: Option<u32>, of: usize| rank.map_or_else(|| "-".to_owned(), |rank| format!("{rank}/{of}"));
    let overview = [
        (if vi { "Điểm" } else { "Score" }, points(explanation.score)),
        (if vi { "Hạng" } else { "Rank" }, rank(explanation.rank, explanation.units)),
        (if vi { "Hạng trong khối" } else { "Block rank" }, rank(explanation.block_rank, explanation.block_units)),
        (if vi { "Mức" } else { "Level" }, explanation.level.clone().unwrap_or_else(|| "-".into())),
    ];
    for (label, value) in overview {
        text.push_str(&format!("{}{label}: {value}\n", if format == ListFormat::Md { "- " } else { "  " }));
    }
    if let Some(previous) = &explanation.previous_period {
        let change = explanation.score_change.map_or_else(|| "-".to_owned(), |delta| format!("{delta:+.2}"));
        let places = explanation.rank_change.map_or_else(|| "-".to_owned(), |places| format!("{places:+}"));
        let label = if vi { "So với kỳ" } else { "Since" };
        let place_word = if vi { "bậc" } else { "places" };
        text.push_str(&format!(
            "{}{label} {previous}: {change} ({places} {place_word})\n",
            if format == ListFormat::Md { "- " } else { "  " }
        ));
    }
    if let (Some(line), Some(first)) = (&explanation.trend.line, explanation.trend.points.first()) {
        let (label, per_year, since, periods) = if vi {
            ("Xu hướng", "điểm/năm", "từ", "kỳ")
        } else {
            ("Trend", "points a year", "since", "periods")
        };
        text.push_str(&format!(
            "{}{label}: {:+.2} {per_year} ({since} {}, {} {periods})\n",
            if format == ListFormat::Md { "- " } else { "  " },
            line.slope,
            first.0,
            explanation.trend.points.len(),
        ));
    }
    text.push('\n');
    let headers: &[&str] = if vi {
        &["Mã", "Tên", "Điểm", "Tối đa", "Tỷ lệ", "Trung vị khối", "So với khối"]
    } else {
        &["Id", "Name", "Points", "Max", "Share", "Block median", "Versus block"]
    };
    for (title, lines) in [
        (if vi { "Chỉ số thành phần" } else { "Pillars" }, &explanation.pillars),
        (if vi { "Chỉ tiêu" } else { "Indicators" }, &explanation.indicators),
    ] {
        let mut list = List::new(title, headers);
        list.numeric = vec![2, 3, 4, 5, 6];
        for line in lines {
            let versus = line.versus_block.map_or_else(|| "-".to_owned(), |pp| format!("{pp:+.1}"));
            let name = if line.flags.is_empty() {
                line.name.clone()
            } else {
                format!("{} [{}]", line.name, line.flags.join(", "))
            };
            list.rows.push(vec![
                line.node.clone(),
                name,
                points(line.score),
                points(line.max),
                percent(line.share),
                percent(line.block_median_share),
                versus,
            ]);
        }
        text.push_str(&list.render(format)?);
        text.push('\n');
    }
    let (strong, weak) = if vi { ("Điểm mạnh", "Điểm yếu") } else { ("Strengths", "Weaknesses") };
    text.push_str(&format!(
        "{strong}: {}\n{weak}: {}\n\n",
        join(&explanation.strengths),
        join(&explanation.weaknesses)
    ));
    let title = if vi {
        "Kế hoạch cải thiện (điểm tăng cho bước nhỏ nhất)"
    } else {
        "Improvement plan (points gained for the smallest step)"
    };
    let headers: &[&str] = if vi {
        &["Mã", "Tên", "Hiện tại", "Đề xuất", "Điểm tăng"]
    } else {
        &["Id", "Name", "Now", "To", "Gain"]
    };
    let mut list = List::new(title, headers);
    list.numeric = vec![4];
    for step in &explanation.plan {
        list.rows.push(vec![
            step.indicator.clone(),
            step.name.clone(),
            step.from.clone(),
            step.to.clone(),
            format!("{:+.2}", step.gain),
        ]);
    }
    text.push_str(&list.render(format)?);
    if let Some(note) = &explanation.plan_note {
        text.push_str(&format!("note: {note}\n"));
    }
    Ok(text)
}

/// CSV holds one table: the indicators, full precision.
fn indicators_csv(explanation: &Explanation) -> Result<String> {
    let mut list =
        List::new("", &["unit", "period", "indicator", "score", "max", "share", "block_median_share", "flags"]);
    let full = |value: Option<f64>| value.map(|value| value.to_string()).unwrap_or_default();
    for line in explanation.pillars.iter().chain(&explanation.indicators) {
        list.rows.push(vec![
            explanation.unit.clone(),
            explanation.period.clone(),
            line.node.clone(),
            full(line.score),
            full(line.max),
            full(line.share),
            full(line.block_median_share),
            line.flags.join(";"),
        ]);
    }
    list.render(ListFormat::Csv)
}

fn join(ids: &[String]) -> String {
    if ids.is_empty() { "-".to_owned() } else { ids.join(", ") }
}
