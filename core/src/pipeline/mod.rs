//! The scoring pipeline, top to bottom: select the period, denominate, impute, screen,
//! treat outliers, score (normalise), aggregate, classify into levels and rank.

pub mod aggregate;
pub mod score;
pub mod stats;
pub mod treat;

use crate::data::Dataset;
use crate::evaluation::{Evaluation, Stage, flags};
use crate::framework::{Aggregation, Framework, Impute, NodeKind, Scoring, Treat};
use crate::provenance::Provenance;
use std::collections::BTreeMap;
use std::sync::Arc;
use thiserror::Error;

/// Global method overrides for quick what-ifs (the command line's `--normalise` etc.).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Score every indicator with this rule (`Goalposts` with `NaN` goalposts means:
    /// each indicator's own goalposts from the COINr iMeta columns).
    pub normalise: Option<NormaliseOverride>,
    /// Aggregate every node with this method.
    pub aggregate: Option<Aggregation>,
    /// Impute with this method.
    pub impute: Option<Impute>,
    /// Winsorise with this `winmax` (0 turns treatment off).
    pub winsorise: Option<u32>,
    /// Turn denomination on or off.
    pub denominate: Option<bool>,
    /// Screen units below this data coverage.
    pub screen: Option<f64>,
    /// Round before ranking to this many decimals.
    pub rank_decimals: Option<u8>,
    /// Replace weights, by node or indicator id.
    pub weights: BTreeMap<String, f64>,
}

/// A normalisation chosen on the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum NormaliseOverride {
    /// Min-max onto `[low, high]`.
    MinMax(f64, f64),
    /// Z-score with mean and standard deviation.
    ZScore(f64, f64),
    /// Percentile ranks.
    PercentileRank,
    /// Each indicator's own goalposts (COINr iMeta columns).
    Goalposts,
}

/// How to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvaluateOptions {
    /// The period; the latest when `None`.
    pub period: Option<String>,
    /// Method overrides.
    pub overrides: Overrides,
    /// Keep the data after every stage (for conformance checks and audits).
    pub keep_stages: bool,
    /// Digests of the input files, recorded in the result.
    pub provenance: Provenance,
}

/// Why an evaluation could not run.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The period is not in the data.
    #[error("period `{period}` is not in the data (periods: {available})")]
    UnknownPeriod {
        /// The period asked for.
        period: String,
        /// The periods there are.
        available: String,
    },
    /// The data has no period at all.
    #[error("the data has no values")]
    NoData,
    /// A mean that needs positive values met one that is not.
    #[error("{method} aggregation of `{node}` needs values above 0, but `{child}` is {value} for unit `{unit}`")]
    AggregationDomain {
        /// The aggregation method.
        method: &'static str,
        /// The aggregate node.
        node: String,
        /// The child with the bad value.
        child: String,
        /// The unit.
        unit: String,
        /// The value.
        value: f64,
    },
    /// An override could not be applied.
    #[error("{0}")]
    Override(String),
}

/// Evaluates one period of a data set against a framework.
pub fn evaluate(framework: &Framework, dataset: &Dataset, options: &EvaluateOptions) -> Result<Evaluation, EvalError> {
    evaluate_framework(Arc::new(apply_overrides(framework, &options.overrides)?), dataset, options)
}

/// [`evaluate`] for a shared framework, which the evaluation then shares instead of
/// copying (unless `options` override methods): for callers that evaluate many times,
/// like "what to improve next".
pub fn evaluate_shared(
    framework: &Arc<Framework>,
    dataset: &Dataset,
    options: &EvaluateOptions,
) -> Result<Evaluation, EvalError> {
    let framework = if options.overrides == Overrides::default() {
        Arc::clone(framework)
    } else {
        Arc::new(apply_overrides(framework, &options.overrides)?)
    };
    evaluate_framework(framework, dataset, options)
}

fn evaluate_framework(
    framework: Arc<Framework>,
    dataset: &Dataset,
    options: &EvaluateOptions,
) -> Result<Evaluation, EvalError> {
    let period_index = select_period(dataset, options.period.as_deref())?;
    let period = dataset.periods[period_index].clone();
    let table = &dataset.tables[period_index];
    let n_all = dataset.n_units();
    let indicators = framework.indicator_indices();
    let applies = aggregate::applicability(&framework);
    // The units of this period, their block slots, and their raw values (indicator-major).
    let mut units: Vec<usize> = (0..n_all).filter(|&unit| table.present[unit]).collect();
    let mut unit_slots: Vec<usize> = units
        .iter()
        .map(|&unit| {
            dataset.units[unit]
                .block
                .as_deref()
                .and_then(|block| framework.block_index(block))
                .unwrap_or(framework.blocks.len())
        })
        .collect();
    let mut stages = Vec::new();
    let variables: Vec<Option<usize>> = indicators
        .iter()
        .map(|&node| &framework.nodes[node].id)
        .chain(&framework.denominators)
        .map(|id| dataset.variable_index(id))
        .collect();
    let mut columns = read_columns(table, &units, &variables);
    let denominators = columns.split_off(indicators.len());
    let mut column_flags: Vec<Vec<u8>> = columns
        .iter_mut()
        .zip(&indicators)
        .map(|(column, &node)| flag_column(column, &applies[node], &unit_slots))
        .collect();
    let keep = |stages: &mut Vec<Stage>, name: &'static str, units: &[usize], columns: &[Vec<f64>]| {
        if options.keep_stages {
            stages.push(Stage { name, units: units.to_vec(), values: columns.to_vec() });
        }
    };
    keep(&mut stages, "raw", &units, &columns);

    if framework.pipeline.denominate {
        denominate(&framework, &indicators, &denominators, &mut columns, &mut column_flags);
        keep(&mut stages, "denominated", &units, &columns);
    }

    impute(&framework, dataset, period_index, &indicators, &units, &mut columns, &mut column_flags);
    keep(&mut stages, "imputed", &units, &columns);

    let mut screened_out = Vec::new();
    if let Some(threshold) = framework.pipeline.screen {
        // Column by column, so each pass reads contiguous memory.
        let (present, applicable) = count_present(&framework, &indicators, units.len(), |column| {
            column_flags[column]
                .iter()
                .zip(&columns[column])
                .map(|(flag, value)| (flag & flags::NOT_APPLICABLE == 0, !value.is_nan()))
        });
        let keep_unit: Vec<bool> = present
            .iter()
            .zip(&applicable)
            .map(|(&present, &applicable)| applicable == 0 || f64::from(present) / f64::from(applicable) >= threshold)
            .collect();
        screened_out = units
            .iter()
            .zip(&keep_unit)
            .filter(|(_, keep)| !**keep)
            .map(|(unit, _)| dataset.units[*unit].id.clone())
            .collect();
        if !screened_out.is_empty() {
            let runs = kept_runs(&keep_unit);
            columns.iter_mut().for_each(|column| retain_runs(column, &runs));
            column_flags.iter_mut().for_each(|flags| retain_runs(flags, &runs));
            retain_runs(&mut units, &runs);
            retain_runs(&mut unit_slots, &runs);
        }
        keep(&mut stages, "screened", &units, &columns);
    }

    let mut treatment = BTreeMap::new();
    if let Some(spec) = &framework.pipeline.treat {
        for (column, &node) in indicators.iter().enumerate() {
            let indicator = framework.nodes[node].indicator().expect("indicator indices hold indicators");
            if !indicator.treat || !indicator.scoring.is_relative() {
                continue;
            }
            let report = treat::treat_column(&mut columns[column], &mut column_flags[column], spec);
            treatment.insert(framework.nodes[node].id.clone(), report);
        }
        keep(&mut stages, "treated", &units, &columns);
    }

    let n_units = units.len();
    let n_nodes = framework.nodes.len();
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); n_nodes];
    let mut node_flags = vec![0u8; n_nodes * n_units];
    for (column, &node) in indicators.iter().enumerate() {
        let indicator = framework.nodes[node].indicator().expect("indicator indices hold indicators");
        scores[node] = score::score_column(indicator, std::mem::take(&mut columns[column]));
        node_flags[node * n_units..(node + 1) * n_units].copy_from_slice(&column_flags[column]);
        // The flags are copied: free them as we go to keep the peak low.
        column_flags[column] = Vec::new();
    }
    if options.keep_stages {
        let normalised = indicators.iter().map(|&node| scores[node].clone()).collect();
        stages.push(Stage { name: "normalised", units: units.clone(), values: normalised });
    }

    let mut totals = aggregate::Totals::new(n_units);
    for node in framework.aggregate_indices() {
        scores[node] = aggregate::aggregate_node(&framework, node, &applies, &unit_slots, &scores, &mut totals)
            .map_err(|(position, error)| {
                let NodeKind::Aggregate { method, .. } = framework.nodes[node].kind else {
                    unreachable!("aggregate indices hold aggregates")
                };
                EvalError::AggregationDomain {
                    method: method.name(),
                    node: framework.nodes[node].id.clone(),
                    child: framework.nodes[error.child].id.clone(),
                    unit: dataset.units[units[position]].id.clone(),
                    value: error.value,
                }
            })?;
    }

    let (present, applicable) = count_present(&framework, &indicators, n_units, |column| {
        let node = indicators[column];
        node_flags[node * n_units..(node + 1) * n_units]
            .iter()
            .map(|flag| (flag & flags::NOT_APPLICABLE == 0, flag & flags::MISSING == 0))
    });
    let coverage: Vec<f64> = present
        .iter()
        .zip(&applicable)
        .map(|(&present, &applicable)| if applicable == 0 { 0.0 } else { f64::from(present) / f64::from(applicable) })
        .collect();

    let mut evaluation = Evaluation::new(framework, period, dataset, units, scores, node_flags, coverage, applies);
    evaluation.screened_out = screened_out;
    evaluation.treatment = treatment;
    evaluation.stages = stages;
    evaluation.provenance = options.provenance.clone();
    Ok(evaluation)
}

/// The values of `variables` (`None`: not in the data) for the given units, one column
/// per variable. The table is unit-major: it is read a block of units at a time, each
/// block's rows staying in cache while every column takes its values from them.
fn read_columns(table: &crate::data::PeriodTable, units: &[usize], variables: &[Option<usize>]) -> Vec<Vec<f64>> {
    const BLOCK: usize = 256;
    let width = table.n_variables;
    let mut columns: Vec<Vec<f64>> = variables.iter().map(|_| Vec::with_capacity(units.len())).collect();
    for block in units.chunks(BLOCK) {
        for (column, variable) in columns.iter_mut().zip(variables) {
            match *variable {
                Some(variable) => column.extend(block.iter().map(|&unit| table.values[unit * width + variable])),
                None => column.resize(column.len() + block.len(), f64::NAN),
            }
        }
    }
    columns
}

/// Flags one indicator's raw column: [`flags::NOT_APPLICABLE`] (and the value dropped)
/// where it does not apply to a unit's block, [`flags::MISSING`] where it applies but has
/// no value.
fn flag_column(column: &mut [f64], applies: &[bool], unit_slots: &[usize]) -> Vec<u8> {
    column
        .iter_mut()
        .zip(unit_slots)
        .map(|(value, &slot)| {
            if !applies[slot] {
                *value = f64::NAN;
                flags::NOT_APPLICABLE
            } else if value.is_nan() {
                flags::MISSING
            } else {
                0
            }
        })
        .collect()
}

/// The runs of positions marked in `keep`, in order.
fn kept_runs(keep: &[bool]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (position, &kept) in keep.iter().chain([&false]).enumerate() {
        match (kept, start) {
            (true, None) => start = Some(position),
            (false, Some(from)) => {
                runs.push(from..position);
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Keeps the entries in `runs` (from [`kept_runs`]), moving each run down at once.
fn retain_runs<T: Copy>(values: &mut Vec<T>, runs: &[std::ops::Range<usize>]) {
    let mut end = 0;
    for run in runs {
        values.copy_within(run.clone(), end);
        end += run.len();
    }
    values.truncate(end);
}

/// Per unit, how many scored indicators apply and how many of those have a value.
/// `states(column)` tells, unit by unit, (applies, has a value).
fn count_present<I: Iterator<Item = (bool, bool)>>(
    framework: &Framework,
    indicators: &[usize],
    n_units: usize,
    states: impl Fn(usize) -> I,
) -> (Vec<u32>, Vec<u32>) {
    let mut present = vec![0u32; n_units];
    let mut applicable = vec![0u32; n_units];
    for (column, &node) in indicators.iter().enumerate() {
        if !framework.nodes[node].scores() {
            continue;
        }
        for ((present, applicable), (applies, has_value)) in present.iter_mut().zip(&mut applicable).zip(states(column))
        {
            *applicable += u32::from(applies);
            *present += u32::from(applies && has_value);
        }
    }
    (present, applicable)
}

fn select_period(dataset: &Dataset, period: Option<&str>) -> Result<usize, EvalError> {
    match period {
        None => dataset.periods.len().checked_sub(1).ok_or(EvalError::NoData),
        Some(period) => dataset.period_index(period).ok_or_else(|| EvalError::UnknownPeriod {
            period: period.to_owned(),
            available: dataset.periods.join(", "),
        }),
    }
}

/// Divides each indicator with a denominator by it; `denominators` holds one column per
/// [`Framework::denominators`] entry.
fn denominate(
    framework: &Framework,
    indicators: &[usize],
    denominators: &[Vec<f64>],
    columns: &mut [Vec<f64>],
    column_flags: &mut [Vec<u8>],
) {
    for (column, &node) in indicators.iter().enumerate() {
        let Some(denominator) = framework.nodes[node].indicator().and_then(|indicator| indicator.denominator) else {
            continue;
        };
        for ((value, flag), divisor) in
            columns[column].iter_mut().zip(&mut column_flags[column]).zip(&denominators[denominator])
        {
            if !value.is_nan() {
                *value /= divisor;
                if value.is_nan() {
                    *flag |= flags::MISSING;
                }
            }
        }
    }
}

fn impute(
    framework: &Framework,
    dataset: &Dataset,
    period_index: usize,
    indicators: &[usize],
    units: &[usize],
    columns: &mut [Vec<f64>],
    column_flags: &mut [Vec<u8>],
) {
    let method = &framework.pipeline.impute;
    if *method == Impute::None {
        return;
    }
    let before = match method {
        Impute::PreviousPeriod => crate::period::periods_before(&dataset.periods, period_index),
        _ => Vec::new(),
    };
    let groups = match method {
        Impute::GroupMean(group) | Impute::GroupMedian(group) => Some(Grouping::new(dataset, units, group)),
        _ => None,
    };
    let mut buffer = Vec::new();
    for (column, &node) in indicators.iter().enumerate() {
        let values = &columns[column];
        let missing: Vec<usize> = (0..values.len())
            .filter(|&position| {
                values[position].is_nan() && column_flags[column][position] & flags::NOT_APPLICABLE == 0
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let fills: Vec<(usize, f64)> = match method {
            Impute::None => Vec::new(),
            Impute::Mean | Impute::Median => {
                let fill = if *method == Impute::Mean { stats::mean(values) } else { stats::median(values) };
                fill.map(|fill| missing.iter().map(|&position| (position, fill)).collect()).unwrap_or_default()
            }
            Impute::GroupMean(_) | Impute::GroupMedian(_) => {
                let grouping = groups.as_ref().expect("groups are computed for group methods");
                // The column's values group by group, in one reused buffer.
                buffer.clear();
                buffer.extend(grouping.order.iter().map(|&position| values[position]));
                let fills: Vec<Option<f64>> = grouping
                    .starts
                    .windows(2)
                    .map(|bounds| {
                        let group_values = &buffer[bounds[0]..bounds[1]];
                        if matches!(method, Impute::GroupMean(_)) {
                            stats::mean(group_values)
                        } else {
                            stats::median(group_values)
                        }
                    })
                    .collect();
                missing
                    .iter()
                    .filter_map(|&position| fills[grouping.group_of[position]].map(|fill| (position, fill)))
                    .collect()
            }
            Impute::PreviousPeriod => {
                // The most recent earlier period in time that has the value.
                let variable = dataset.variable_index(&framework.nodes[node].id);
                missing
                    .iter()
                    .filter_map(|&position| {
                        let (_, value) = dataset.latest_value_before(&before, units[position], variable?)?;
                        Some((position, value))
                    })
                    .collect()
            }
        };
        for (position, fill) in fills {
            columns[column][position] = fill;
            column_flags[column][position] |= flags::IMPUTED;
            if *method == Impute::PreviousPeriod {
                column_flags[column][position] |= flags::STALE;
            }
        }
    }
}

/// Units grouped by a group attribute (units without it form one group of their own).
struct Grouping {
    /// Each unit's group, by position.
    group_of: Vec<usize>,
    /// Positions, group by group.
    order: Vec<usize>,
    /// Where each group starts in `order`, and its end.
    starts: Vec<usize>,
}

impl Grouping {
    fn new(dataset: &Dataset, units: &[usize], group: &str) -> Self {
        let column = dataset.groups.iter().find(|column| column.id == group);
        let without = column.map_or(0, |column| column.labels.len());
        let group_of: Vec<usize> = units
            .iter()
            .map(|&unit| {
                column
                    .and_then(|column| column.values.get(unit).copied().flatten())
                    .map_or(without, |index| index as usize)
            })
            .collect();
        // A counting sort: group sizes, their starts, then the positions in place.
        let mut starts = vec![0; without + 2];
        for &group in &group_of {
            starts[group + 1] += 1;
        }
        for group in 1..starts.len() {
            starts[group] += starts[group - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0; group_of.len()];
        for (position, &group) in group_of.iter().enumerate() {
            order[next[group]] = position;
            next[group] += 1;
        }
        Self { group_of, order, starts }
    }
}

/// Applies command-line overrides to a copy of the framework.
pub fn apply_overrides(framework: &Framework, overrides: &Overrides) -> Result<Framework, EvalError> {
    let mut framework = framework.clone();
    if let Some(normalise) = &overrides.normalise {
        for node in &mut framework.nodes {
            let NodeKind::Indicator(indicator) = &mut node.kind else { continue };
            indicator.scoring = match normalise {
                NormaliseOverride::MinMax(low, high) => Scoring::MinMax { low: *low, high: *high },
                NormaliseOverride::ZScore(mean, sd) => Scoring::ZScore { mean: *mean, sd: *sd },
                NormaliseOverride::PercentileRank => Scoring::PercentileRank,
                NormaliseOverride::Goalposts => match indicator.goalposts {
                    Some(goalposts) => Scoring::Goalposts(goalposts),
                    None => {
                        return Err(EvalError::Override(format!(
                            "indicator `{}` has no goalposts (iMeta columns goalpost_lower, goalpost_upper)",
                            node.id
                        )));
                    }
                },
            };
            node.range = crate::framework::validate::indicator_range(indicator);
        }
    }
    if let Some(method) = overrides.aggregate {
        for node in &mut framework.nodes {
            if let NodeKind::Aggregate { method: current, .. } = &mut node.kind {
                *current = method;
            }
        }
    }
    for (id, weight) in &overrides.weights {
        let node = framework
            .node_index(id)
            .ok_or_else(|| EvalError::Override(format!("no node or indicator `{id}` to weight")))?;
        if !(weight.is_finite() && *weight >= 0.0) {
            return Err(EvalError::Override(format!("weight {weight} of `{id}` must be 0 or more, and finite")));
        }
        framework.nodes[node].weight = *weight;
    }
    // A weight of 0 leaves a node out of its parent's aggregation; not every child.
    if let Some(parent) = framework.nodes.iter().find(|node| {
        !node.children.is_empty() && node.children.iter().all(|&child| framework.nodes[child].weight == 0.0)
    }) {
        return Err(EvalError::Override(format!("every child of `{}` would weigh 0", parent.id)));
    }
    if overrides.normalise.is_some() || overrides.aggregate.is_some() || !overrides.weights.is_empty() {
        framework.compute_ranges();
    }
    if let Some(impute) = &overrides.impute {
        framework.pipeline.impute = impute.clone();
    }
    match overrides.winsorise {
        Some(0) => framework.pipeline.treat = None,
        Some(winmax) => {
            framework.pipeline.treat = Some(Treat { winmax, ..framework.pipeline.treat.clone().unwrap_or_default() })
        }
        None => {}
    }
    if let Some(denominate) = overrides.denominate {
        framework.pipeline.denominate = denominate;
    }
    if let Some(screen) = overrides.screen {
        framework.pipeline.screen = Some(screen);
    }
    if let Some(decimals) = overrides.rank_decimals {
        framework.scale.rank_decimals = Some(decimals);
    }
    Ok(framework)
}
