//! `dti sensitivity`: how robust the ranking is to the methodological choices. An
//! uncertainty analysis (each unit's median rank and 5-95% interval over random
//! combinations of the alternatives) or a sensitivity analysis (also how much each choice
//! matters), by Monte Carlo with a seed: the same report for the same seed, however many
//! threads run it.

use crate::list::{List, ListFormat};
use crate::source::SourceArgs;
use anyhow::{Result, bail};
use dti_core::framework::{Aggregation, Framework, Impute};
use dti_core::pipeline::NormaliseOverride;
use dti_core::robustness::coherence::{Coherence, coherence};
use dti_core::robustness::indices::IndexError;
use dti_core::robustness::{Analysis, Input, Method, Outcome, Report, levels_below_root};
use dti_core::text::Language;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `dti sensitivity`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The period; the latest when absent.
    #[arg(long)]
    period: Option<String>,
    /// `uncertainty` (ranks over random runs) or `sensitivity` (also each input's share
    /// of the variance: points x (inputs + 2) runs).
    #[arg(long, value_enum, default_value_t = Kind::Uncertainty)]
    method: Kind,
    /// Random points drawn (the runs of an uncertainty analysis), 1 to 100000.
    #[arg(long, default_value_t = 1000, value_parser = crate::inputs::count_up_to(dti_core::limits::MAX_ANALYSIS_POINTS))]
    points: usize,
    /// The seed of the random draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Perturb weights by up to +/- this share of each (above 0, at most 1; e.g. 0.25).
    #[arg(long, value_name = "FACTOR", allow_negative_numbers = true, value_parser = crate::inputs::parse_share)]
    weights: Option<f64>,
    /// The levels whose weights vary: 1 the indicators, 2 their parents, ... (default: every
    /// level below the root).
    #[arg(long, value_delimiter = ',', value_name = "LEVEL,...")]
    weight_levels: Vec<u32>,
    /// An alternative normalisation (repeat for each): minmax:LOW,HIGH | zscore:MEAN,SD |
    /// prank | goalposts.
    #[arg(long, value_parser = crate::inputs::parse_normalise)]
    normalise: Vec<NormaliseOverride>,
    /// An alternative aggregation (repeat or separate by commas): arithmetic | geometric |
    /// harmonic | sum | minimum.
    #[arg(long, value_delimiter = ',', value_parser = crate::inputs::parse_aggregate)]
    aggregate: Vec<Aggregation>,
    /// An alternative imputation (repeat for each): mean | median | group-mean:COL |
    /// group-median:COL | previous-period | none.
    #[arg(long, value_parser = crate::inputs::parse_impute)]
    impute: Vec<Impute>,
    /// Alternative winsorisation limits, e.g. 0,5 (0: no outlier treatment; at most 10000).
    #[arg(long, value_delimiter = ',', value_name = "WINMAX,...", allow_negative_numbers = true, value_parser = crate::inputs::parse_winmax)]
    winsorise: Vec<u32>,
    /// Leave one node out at a time (or none): node ids, `indicators` (each of them) or
    /// `pillars` (each of the root's children), separated by commas.
    #[arg(long, value_name = "indicators|pillars|ID,...")]
    leave_out: Option<String>,
    /// Bootstrap resamples for the intervals of the sensitivity indices, 1 to 10000.
    #[arg(long, default_value_t = 200, value_parser = crate::inputs::count_up_to(dti_core::limits::MAX_BOOTSTRAP))]
    bootstrap: usize,
    /// Threads running the evaluations, 1 to 256 (default: the machine's cores).
    #[arg(long, value_parser = crate::inputs::count_up_to(256))]
    threads: Option<usize>,
    #[command(flatten)]
    output: crate::source::OutputArgs,
}

/// The analyses, on the command line.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum Kind {
    Uncertainty,
    Sensitivity,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let inputs = inputs(&args, &source.framework)?;
    let method = match args.method {
        Kind::Uncertainty => Method::Uncertainty,
        Kind::Sensitivity => Method::Sensitivity,
    };
    let options = dti_core::EvaluateOptions { period: args.period.clone(), ..source.options() };
    let analysis = Analysis::new(&source.framework, &options, inputs, method, args.points, args.seed)?;
    // Every run's ranks are kept to summarise them: bound what that costs before running.
    let cells = analysis.runs().saturating_mul(source.dataset.n_units());
    if cells > dti_core::limits::MAX_ANALYSIS_CELLS {
        return crate::inputs::usage(format!(
            "{} runs of {} units would keep {cells} ranks, more than the {} this tool keeps: give fewer --points",
            analysis.runs(),
            source.dataset.n_units(),
            dti_core::limits::MAX_ANALYSIS_CELLS
        ));
    }
    let nominal = analysis.nominal(&source.dataset)?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    let outcomes = run_all(&analysis, &source.dataset, threads);
    let report = match analysis.report(&source.dataset, &nominal, &outcomes, args.bootstrap) {
        Ok(report) => report,
        Err(IndexError::Missing(run)) => bail!(
            "run {run} ranked nobody ({}); sensitivity indices need every run: leave out the alternative that fails, or run an uncertainty analysis, which counts such runs",
            outcomes[run].failure.as_deref().unwrap_or("no unit scored")
        ),
        Err(error) => return Err(error.into()),
    };
    let coherence = coherence(&dti_core::evaluate(&source.framework, &source.dataset, &options)?);
    let text = match args.output.format {
        ListFormat::Json => {
            let both = serde_json::json!({ "robustness": report, "coherence": coherence });
            format!("{}\n", serde_json::to_string_pretty(&both)?)
        }
        ListFormat::Csv => render(&report, ListFormat::Csv, args.output.lang)?,
        format => {
            let mut text = render(&report, format, args.output.lang)?;
            text.push('\n');
            text.push_str(&render_coherence(&coherence, format, args.output.lang)?);
            text
        }
    };
    crate::output::emit(&text, args.output.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// The uncertain inputs the arguments declare, in a fixed order.
fn inputs(args: &Args, framework: &Framework) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    if let Some(factor) = args.weights {
        let levels =
            if args.weight_levels.is_empty() { levels_below_root(framework) } else { args.weight_levels.clone() };
        inputs.push(Input::Weights { levels, factor });
    } else if !args.weight_levels.is_empty() {
        return crate::inputs::usage("--weight-levels needs --weights FACTOR (e.g. --weights 0.25)");
    }
    if !args.normalise.is_empty() {
        inputs.push(Input::Normalisation(args.normalise.clone()));
    }
    if !args.aggregate.is_empty() {
        inputs.push(Input::Aggregation(args.aggregate.clone()));
    }
    if !args.impute.is_empty() {
        inputs.push(Input::Imputation(args.impute.clone()));
    }
    if !args.winsorise.is_empty() {
        inputs.push(Input::Winsorisation(args.winsorise.clone()));
    }
    if let Some(leave_out) = &args.leave_out {
        let mut ids: Vec<String> = Vec::new();
        for item in leave_out.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            let nodes = match item {
                "indicators" => framework.indicator_indices(),
                "pillars" => framework.nodes[framework.root()].children.clone(),
                id => {
                    ids.push(id.to_owned());
                    continue;
                }
            };
            ids.extend(nodes.into_iter().map(|node| framework.nodes[node].id.clone()));
        }
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        inputs.push(Input::LeaveOut(std::iter::once(None).chain(ids.into_iter().map(Some)).collect()));
    }
    if inputs.is_empty() {
        return crate::inputs::usage(
            "say what may vary: --weights 0.25, --normalise (twice or more), --aggregate arithmetic,geometric, --impute, --winsorise 0,5 or --leave-out pillars",
        );
    }
    Ok(inputs)
}

/// Every run of the design, spread over `threads` threads, in run order.
fn run_all(analysis: &Analysis, dataset: &dti_core::Dataset, threads: usize) -> Vec<Outcome> {
    let runs = analysis.runs();
    let bar = crate::progress::steps(runs, 20, "runs");
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(runs));
    let work = || {
        let mut mine = Vec::new();
        loop {
            let run = next.fetch_add(1, Ordering::Relaxed);
            if run >= runs {
                break;
            }
            mine.push((run, analysis.run(dataset, run)));
            bar.inc(1);
        }
        done.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(mine);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(runs.max(1)) {
            scope.spawn(work);
        }
        work();
    });
    bar.finish_and_clear();
    let mut done = done.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(run, _)| *run);
    done.into_iter().map(|(_, outcome)| outcome).collect()
}

fn render(report: &Report, format: ListFormat, language: Language) -> Result<String> {
    let vi = language == Language::Vi;
    let csv = format == ListFormat::Csv;
    let number = |value: Option<f64>| match value {
        None => String::new(),
        Some(value) if csv => value.to_string(),
        Some(value) => format!("{value:.1}"),
    };
    let interval = |value: Option<(f64, f64)>, decimals: usize| match value {
        None => String::new(),
        Some((low, high)) if csv => format!("{low};{high}"),
        Some((low, high)) => format!("{low:.decimals$} – {high:.decimals$}"),
    };
    let title = if vi {
        format!("Độ vững của xếp hạng: {} lần chạy, hạt giống {}", report.runs, report.seed)
    } else {
        format!("Robustness of the ranking: {} runs, seed {}", report.runs, report.seed)
    };
    let headers: &[&str] = if vi {
        &["Mã", "Tên", "Hạng", "Trung vị", "Hạng 5%–95%", "Điểm", "Điểm 5%–95%"]
    } else {
        &["Unit", "Name", "Rank", "Median", "Rank 5%-95%", "Score", "Score 5%-95%"]
    };
    let mut list = List::new(title, headers).with_keys(&[
        "unit",
        "name",
        "nominal_rank",
        "median_rank",
        "rank_interval",
        "nominal_score",
        "score_interval",
    ]);
    list.numeric = vec![2, 3, 4, 5, 6];
    let mut units: Vec<_> = report.units.iter().collect();
    units.sort_by_key(|unit| (unit.nominal_rank.unwrap_or(u32::MAX), unit.unit.clone()));
    for unit in units {
        list.rows.push(vec![
            unit.unit.clone(),
            unit.name.clone(),
            unit.nominal_rank.map(|rank| rank.to_string()).unwrap_or_default(),
            number(unit.median_rank),
            interval(unit.rank_interval, 0),
            number(unit.nominal_score),
            interval(unit.score_interval, 1),
        ]);
    }
    let mut text = list.render(format)?;
    if let Some(indices) = &report.sensitivity {
        if csv {
            // One table per output: the indices in their own file (`--format json` has both).
            return Ok(text);
        }
        let title = if vi {
            "Chỉ số độ nhạy (trên thay đổi hạng tuyệt đối trung bình)"
        } else {
            "Sensitivity indices (of the mean absolute rank change)"
        };
        let headers: &[&str] = if vi {
            &["Đầu vào", "Bậc nhất", "5%–95%", "Toàn phần", "5%–95%"]
        } else {
            &["Input", "First order", "5%-95%", "Total", "5%-95%"]
        };
        let mut list = List::new(title, headers);
        list.numeric = vec![1, 2, 3, 4];
        for index in indices {
            list.rows.push(vec![
                index.input.clone(),
                format!("{:.3}", index.first),
                interval(index.first_interval, 3),
                format!("{:.3}", index.total),
                interval(index.total_interval, 3),
            ]);
        }
        text.push('\n');
        text.push_str(&list.render(format)?);
    }
    if report.failed_runs > 0 {
        let first = report.first_failure.as_deref().unwrap_or_default();
        let note = if vi {
            format!(
                "\n{} lần chạy không xếp hạng được đơn vị nào (các phương pháp không đi cùng nhau), vd. {first}\n",
                report.failed_runs
            )
        } else {
            format!("\n{} runs ranked nobody (methods that do not go together), e.g. {first}\n", report.failed_runs)
        };
        text.push_str(&note);
    }
    Ok(text)
}

fn render_coherence(coherence: &Coherence, format: ListFormat, language: Language) -> Result<String> {
    let vi = language == Language::Vi;
    let number = |value: Option<f64>| value.map(|value| format!("{value:.2}")).unwrap_or_else(|| "–".to_owned());
    let percent =
        |value: Option<f64>| value.map(|value| format!("{:.1}%", value * 100.0)).unwrap_or_else(|| "–".to_owned());
    let title = if vi { "Tính nhất quán: chỉ số thành phần" } else { "Coherence: indicators" };
    let headers: &[&str] = if vi {
        &[
            "Chỉ số",
            "Thuộc",
            "Tương quan với cha",
            "Tương quan với chỉ số chung",
            "Trọng số danh nghĩa",
            "Tỷ phần tương quan",
        ]
    } else {
        &["Indicator", "Parent", "r with parent", "r with index", "Nominal weight", "Correlation share"]
    };
    let mut list = List::new(title, headers);
    list.numeric = vec![2, 3, 4, 5];
    for indicator in &coherence.indicators {
        list.rows.push(vec![
            indicator.indicator.clone(),
            indicator.parent.clone(),
            number(indicator.with_parent),
            number(indicator.with_index),
            percent(Some(indicator.nominal_weight)),
            percent(indicator.correlation_share),
        ]);
    }
    let mut text = list.render(format)?;
    let title = if vi {
        "Tính nhất quán: nhóm (alpha của Cronbach)"
    } else {
        "Coherence: aggregates (Cronbach's alpha)"
    };
    let headers: &[&str] = if vi {
        &["Nhóm", "Số thành phần", "Alpha", "Số đơn vị"]
    } else {
        &["Node", "Children", "Alpha", "Units"]
    };
    let mut list = List::new(title, headers);
    list.numeric = vec![1, 2, 3];
    for aggregate in &coherence.aggregates {
        list.rows.push(vec![
            aggregate.node.clone(),
            aggregate.children.to_string(),
            number(aggregate.cronbach_alpha),
            aggregate.units.to_string(),
        ]);
    }
    text.push('\n');
    text.push_str(&list.render(format)?);
    if !coherence.redundant.is_empty() {
        let title = if vi {
            "Có thể trùng lặp (tương quan từ 0,9)"
        } else {
            "Possibly redundant (correlation 0.9 or more)"
        };
        let headers: &[&str] =
            if vi { &["Chỉ số", "Chỉ số", "Tương quan"] } else { &["Indicator", "Indicator", "r"] };
        let mut list = List::new(title, headers);
        list.numeric = vec![2];
        for pair in &coherence.redundant {
            list.rows.push(vec![pair.first.clone(), pair.second.clone(), format!("{:.3}", pair.correlation)]);
        }
        text.push('\n');
        text.push_str(&list.render(format)?);
    }
    Ok(text)
}
