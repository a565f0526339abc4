//! `dti diff`: who moves, by how much and why, between two versions of an indicator file
//! on the same data (`--against`), or between two periods (`--previous`).

use crate::list::{List, ListFormat};
use crate::source::SourceArgs;
use anyhow::{Result, bail};
use dti_core::Evaluation;
use dti_core::framework::changes::{FrameworkChange, framework_changes};
use dti_core::series::{Cause, NodeChange, causes, compare};
use dti_core::text::Language;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti diff`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// Another version of the indicator file, evaluated on the same data.
    #[arg(long, conflicts_with = "previous")]
    against: Option<PathBuf>,
    /// The period compared (the latest when absent).
    #[arg(long)]
    period: Option<String>,
    /// The earlier period to compare it with.
    #[arg(long)]
    previous: Option<String>,
    /// How many indicators are named as causes per unit.
    #[arg(long, default_value_t = 3)]
    causes: usize,
    #[command(flatten)]
    output: crate::source::OutputArgs,
}

/// One unit's move.
#[derive(Serialize)]
struct Move {
    unit: String,
    name: String,
    before: Option<f64>,
    after: Option<f64>,
    change: Option<f64>,
    rank_before: Option<u32>,
    rank_after: Option<u32>,
    places: Option<i64>,
    causes: Vec<Cause>,
    /// Score and rank changes at every node (JSON only).
    nodes: BTreeMap<String, NodeChange>,
}

/// Everything `diff` says, as JSON.
#[derive(Serialize)]
struct Difference {
    before: String,
    after: String,
    changes: Vec<FrameworkChange>,
    moves: Vec<Move>,
    left: Vec<String>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let difference = match (&args.against, &args.previous) {
        (Some(path), None) => {
            let Some((other, other_sha)) = crate::inputs::framework(Some(path), None)? else {
                return Ok(ExitCode::FAILURE);
            };
            let Some((other_data, data_sha)) = args.source.load_data(&other)? else {
                return Ok(ExitCode::FAILURE);
            };
            let options = |period: Option<String>| dti_core::EvaluateOptions {
                period,
                provenance: dti_core::Provenance::new(other_sha.clone(), data_sha.clone()),
                ..dti_core::EvaluateOptions::default()
            };
            let before = dti_core::evaluate(
                &source.framework,
                &source.dataset,
                &dti_core::EvaluateOptions { period: args.period.clone(), ..source.options() },
            )?;
            let after = dti_core::evaluate(&other, &other_data, &options(Some(before.period.clone())))?;
            let label = |framework: &dti_core::Framework| format!("{} {}", framework.id, framework.version);
            let mut difference = differ(&after, &before, args.causes);
            difference.before = format!("{} ({})", label(&source.framework), before.period);
            difference.after = format!("{} ({}, {})", label(&other), after.period, path.display());
            difference.changes = framework_changes(&source.framework, &other);
            difference
        }
        (None, Some(previous)) => {
            let series = source.series_until(args.period.as_deref())?;
            let Some(after) = series.last() else { bail!("the data has no period") };
            let Some(before) = series.iter().find(|evaluation| &evaluation.period == previous) else {
                let known: Vec<&str> = series.iter().map(|evaluation| evaluation.period.as_str()).collect();
                bail!("no period `{previous}` before {} in the data (periods: {})", after.period, known.join(", "));
            };
            differ(after, before, args.causes)
        }
        _ => {
            bail!("say what to compare: --against OTHER.toml (two indicator files) or --previous PERIOD (two periods)")
        }
    };
    let text = match args.output.format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&difference)?),
        format => render(&difference, format, args.output.lang)?,
    };
    crate::output::emit(&text, args.output.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// Every unit of `after`, largest move first (places, then points).
fn differ(after: &Evaluation, before: &Evaluation, n_causes: usize) -> Difference {
    let comparison = compare(after, before);
    let root = after.framework.root();
    let mut moves: Vec<Move> = comparison
        .units
        .iter()
        .map(|unit| {
            let change = unit.nodes[root];
            let mut unit_causes = causes(after, unit.position, before, unit.previous_position);
            unit_causes.truncate(n_causes);
            Move {
                unit: unit.unit.clone(),
                name: after.units[unit.position].name.clone(),
                before: change.previous,
                after: change.score,
                change: change.delta,
                rank_before: change.previous_rank,
                rank_after: change.rank,
                places: change.rank_change,
                causes: unit_causes,
                nodes: after
                    .framework
                    .nodes
                    .iter()
                    .map(|node| node.id.clone())
                    .zip(unit.nodes.iter().copied())
                    .collect(),
            }
        })
        .collect();
    moves.sort_by(|a, b| {
        let size = |m: &Move| (m.places.map_or(0, i64::abs), m.change.map_or(0.0, f64::abs));
        let (a_size, b_size) = (size(a), size(b));
        b_size.0.cmp(&a_size.0).then(b_size.1.total_cmp(&a_size.1)).then_with(|| a.unit.cmp(&b.unit))
    });
    Difference {
        before: before.period.clone(),
        after: after.period.clone(),
        changes: Vec::new(),
        moves,
        left: comparison.left,
    }
}

fn render(difference: &Difference, format: ListFormat, language: Language) -> Result<String> {
    let vi = language == Language::Vi;
    let mut text = String::new();
    if format != ListFormat::Csv && !difference.changes.is_empty() {
        let title = if vi { "Thay đổi của bộ chỉ số" } else { "Changes to the indicator file" };
        let headers: &[&str] = if vi { &["Mã", "Thay đổi", "Chi tiết"] } else { &["Id", "Change", "Detail"] };
        let mut list = List::new(title, headers);
        for change in &difference.changes {
            list.rows.push(vec![change.id.clone(), change.what.to_owned(), change.detail.clone()]);
        }
        text.push_str(&list.render(format)?);
        text.push('\n');
    }
    let title = if vi {
        format!("Thay đổi xếp hạng: {} → {}", difference.before, difference.after)
    } else {
        format!("Ranking changes: {} -> {}", difference.before, difference.after)
    };
    let headers: &[&str] = if vi {
        &["Mã", "Tên", "Trước", "Sau", "Thay đổi", "Hạng trước", "Hạng sau", "Bậc", "Nguyên nhân chính"]
    } else {
        &["Unit", "Name", "Before", "After", "Change", "Rank before", "Rank after", "Places", "Main causes"]
    };
    let mut list = List::new(title, headers).with_keys(&[
        "unit",
        "name",
        "before",
        "after",
        "change",
        "rank_before",
        "rank_after",
        "places",
        "causes",
    ]);
    list.numeric = vec![2, 3, 4, 5, 6, 7];
    let csv = format == ListFormat::Csv;
    let number = |value: Option<f64>, signed: bool| match value {
        None => String::new(),
        Some(value) if csv => value.to_string(),
        Some(value) if signed => format!("{value:+.2}"),
        Some(value) => format!("{value:.2}"),
    };
    let whole = |value: Option<u32>| value.map(|value| value.to_string()).unwrap_or_default();
    for change in &difference.moves {
        let causes: Vec<String> = change
            .causes
            .iter()
            .map(|cause| {
                if csv {
                    format!("{}:{}", cause.indicator, cause.change)
                } else {
                    format!("{} {:+.2}", cause.indicator, cause.change)
                }
            })
            .collect();
        list.rows.push(vec![
            change.unit.clone(),
            change.name.clone(),
            number(change.before, false),
            number(change.after, false),
            number(change.change, true),
            whole(change.rank_before),
            whole(change.rank_after),
            change
                .places
                .map(|places| if csv { places.to_string() } else { format!("{places:+}") })
                .unwrap_or_default(),
            causes.join(if csv { ";" } else { ", " }),
        ]);
    }
    text.push_str(&list.render(format)?);
    if !difference.left.is_empty() && format != ListFormat::Csv {
        let label = if vi { "Không còn trong kỳ sau" } else { "No longer present" };
        text.push_str(&format!("{label}: {}\n", difference.left.join(", ")));
    }
    Ok(text)
}
