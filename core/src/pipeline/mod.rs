//! The scoring pipeline, top to bottom: select the period, denominate, impute, screen,
//! treat outliers, score (normalise), aggregate, classify into levels and rank.

pub mod aggregate;
mod impute;
mod kept;
pub mod ln;
mod rank;
pub mod score;
/// Kept here too, where it was first published (see [`crate::stats`]).
pub use crate::stats;
pub mod treat;

use crate::data::Dataset;
use crate::evaluation::{Evaluation, Stage, flags};
use crate::framework::{Aggregation, Framework, Impute, NodeKind, Scoring, Treat};
use crate::provenance::Provenance;
use impute::Imputer;
use kept::{Kept, KeptStages};
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
    // The units of this period and their block slots.
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
    let variables: Vec<Option<usize>> = indicators
        .iter()
        .map(|&node| &framework.nodes[node].id)
        .chain(&framework.denominators)
        .map(|id| dataset.variable_index(id))
        .collect();
    let denominators: Vec<Vec<f64>> =
        variables[indicators.len()..].iter().map(|&variable| read_column(table, &units, variable)).collect();
    let mut kept = KeptStages::new(options.keep_stages);

    // Read, denominate and impute each indicator in turn, while its column is in cache;
    // count the data each unit has for screening.
    let mut imputer = Imputer::new(&framework, dataset, period_index, &units);
    let mut tally = framework.pipeline.screen.map(|_| Tally::new(units.len()));
    let mut columns = Vec::with_capacity(indicators.len());
    let mut column_flags = Vec::with_capacity(indicators.len());
    for (&node, &variable) in indicators.iter().zip(&variables) {
        let mut values = read_column(table, &units, variable);
        let mut value_flags = flag_column(&mut values, &applies[node], &unit_slots);
        if let Some(variable) = variable {
            flag_refused(table, variable, &units, &mut value_flags);
        }
        kept.keep(Kept::Raw, &values);
        if framework.pipeline.denominate {
            let indicator = framework.nodes[node].indicator().expect("indicator indices hold indicators");
            if let Some(denominator) = indicator.denominator {
                denominate(&mut values, &mut value_flags, &denominators[denominator]);
            }
            kept.keep(Kept::Denominated, &values);
        }
        imputer.impute(node, &mut values, &mut value_flags);
        kept.keep(Kept::Imputed, &values);
        if let Some(tally) = &mut tally
            && framework.nodes[node].scores()
        {
            let lacks = value_flags.iter().zip(&values);
            tally.add(&value_flags, lacks.map(|(flag, value)| value.is_nan() && flag & flags::NOT_APPLICABLE == 0));
        }
        columns.push(values);
        column_flags.push(value_flags);
    }
    let mut stages = Vec::new();
    kept.move_into(&mut stages, &units, [Kept::Raw, Kept::Denominated, Kept::Imputed]);

    let mut screened_out = Vec::new();
    if let (Some(threshold), Some(tally)) = (framework.pipeline.screen, tally) {
        let keep_unit: Vec<bool> = tally
            .counts()
            .map(|(present, applicable)| applicable == 0 || f64::from(present) / f64::from(applicable) >= threshold)
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
        if options.keep_stages {
            stages.push(Stage { name: "screened", units: units.clone(), values: columns.clone() });
        }
    }

    // Treat and score each indicator in turn.
    let n_units = units.len();
    let n_nodes = framework.nodes.len();
    let mut treatment = BTreeMap::new();
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); n_nodes];
    let mut node_flags: Vec<Vec<u8>> = vec![Vec::new(); n_nodes];
    let mut notes = Vec::new();
    for ((&node, mut values), mut value_flags) in indicators.iter().zip(columns).zip(column_flags) {
        let indicator = framework.nodes[node].indicator().expect("indicator indices hold indicators");
        let mut range = None;
        if let Some(spec) = &framework.pipeline.treat {
            if indicator.treat && indicator.scoring.is_relative() {
                let report;
                (report, range) = treat::treat_column_with_range(&mut values, &mut value_flags, spec);
                treatment.insert(framework.nodes[node].id.clone(), report);
            }
            kept.keep(Kept::Treated, &values);
        }
        let had_values = values.iter().any(|value| !value.is_nan());
        scores[node] = score::score_column_with_range(indicator, values, range);
        if had_values && framework.nodes[node].scores() && scores[node].iter().all(|score| score.is_nan()) {
            notes.push(crate::evaluation::Note::IndicatorScoredNobody { indicator: framework.nodes[node].id.clone() });
        }
        kept.keep(Kept::Normalised, &scores[node]);
        node_flags[node] = value_flags;
    }
    kept.move_into(&mut stages, &units, [Kept::Treated, Kept::Normalised]);

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

    let mut given = Tally::new(n_units);
    for &node in indicators.iter().filter(|&&node| framework.nodes[node].scores()) {
        // Given values: imputed ones keep their flag as missing.
        let value_flags = &node_flags[node];
        given.add(value_flags, value_flags.iter().map(|flag| flag & flags::MISSING != 0));
    }
    let coverage: Vec<f64> = given
        .counts()
        .map(|(present, applicable)| if applicable == 0 { 0.0 } else { f64::from(present) / f64::from(applicable) })
        .collect();

    let root = framework.root();
    let unscored: Vec<usize> =
        (0..n_units).filter(|&position| coverage[position] > 0.0 && scores[root][position].is_nan()).collect();
    if !unscored.is_empty() {
        notes.push(crate::evaluation::Note::UnitsNotScored {
            units: unscored.iter().take(20).map(|&position| dataset.units[units[position]].id.clone()).collect(),
            count: unscored.len(),
        });
    }
    let mut evaluation = Evaluation::new(framework, period, dataset, units, scores, node_flags, coverage, applies);
    rank::rank(&mut evaluation);
    rank::classify(&mut evaluation);
    evaluation.notes = notes;
    evaluation.screened_out = screened_out;
    evaluation.treatment = treatment;
    evaluation.stages = stages;
    evaluation.provenance = options.provenance.clone();
    Ok(evaluation)
}

/// The values of `variable` (`None`: not in the data) for the given units: a copy of
/// the table's column when every unit of the data set is there.
fn read_column(table: &crate::data::PeriodTable, units: &[usize], variable: Option<usize>) -> Vec<f64> {
    match variable {
        Some(variable) if units.len() == table.n_units() => table.column(variable).to_vec(),
        Some(variable) => {
            let column = table.column(variable);
            units.iter().map(|&unit| column[unit]).collect()
        }
        None => vec![f64::NAN; units.len()],
    }
}

/// Flags one indicator's raw column: [`flags::NOT_APPLICABLE`] (and the value dropped)
/// where it does not apply to a unit's block, [`flags::MISSING`] where it applies but has
/// no value.
fn flag_column(column: &mut [f64], applies: &[bool], unit_slots: &[usize]) -> Vec<u8> {
    if applies.iter().all(|&applies| applies) {
        return column.iter().map(|value| if value.is_nan() { flags::MISSING } else { 0 }).collect();
    }
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

/// Adds [`flags::REFUSED`] where the data set refused the given value of `variable`
/// (read with `Refusal::CountAsMissing`; the value is missing).
fn flag_refused(table: &crate::data::PeriodTable, variable: usize, units: &[usize], value_flags: &mut [u8]) {
    let variable = crate::text::to_u32(variable);
    let start = table.refused.partition_point(|&(v, _)| v < variable);
    for &(_, unit) in table.refused[start..].iter().take_while(|&&(v, _)| v == variable) {
        // `units` is ascending: the unit's position among the evaluated ones.
        if let Ok(position) = units.binary_search(&(unit as usize)) {
            value_flags[position] |= flags::REFUSED;
        }
    }
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

/// Per unit, how many scored indicators apply and how many of those have a value,
/// indicator by indicator. Most indicators apply to every unit and lack few values: those
/// are counted once for all units, and only the exceptions unit by unit.
struct Tally {
    /// Indicators that apply to every unit.
    everywhere: u32,
    /// Per unit, the other indicators that apply to it.
    applicable: Vec<u32>,
    /// Per unit, the indicators that apply to it but lack a value.
    absent: Vec<u32>,
}

impl Tally {
    fn new(n_units: usize) -> Self {
        Self { everywhere: 0, applicable: vec![0; n_units], absent: vec![0; n_units] }
    }

    /// Counts an indicator: its flags tell where it applies, and `lacks` unit by unit
    /// whether it lacks a value where it applies.
    fn add(&mut self, value_flags: &[u8], lacks: impl Iterator<Item = bool>) {
        // Without a branch, so that the fold vectorises.
        let somewhere_not = value_flags.iter().fold(false, |not, flag| not | (flag & flags::NOT_APPLICABLE != 0));
        if somewhere_not {
            for (applicable, flag) in self.applicable.iter_mut().zip(value_flags) {
                *applicable += u32::from(flag & flags::NOT_APPLICABLE == 0);
            }
        } else {
            self.everywhere += 1;
        }
        for (absent, lacks) in self.absent.iter_mut().zip(lacks) {
            if lacks {
                *absent += 1;
            }
        }
    }

    /// Per unit, (indicators with a value, indicators that apply).
    fn counts(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.applicable.iter().zip(&self.absent).map(|(&applicable, &absent)| {
            let applicable = self.everywhere + applicable;
            (applicable - absent, applicable)
        })
    }
}

/// Divides an indicator's values by its denominator's, flagging as missing the values
/// that the division leaves undefined.
fn denominate(values: &mut [f64], value_flags: &mut [u8], denominator: &[f64]) {
    // Without branches, so that the loop vectorises: a missing value stays missing.
    for ((value, flag), divisor) in values.iter_mut().zip(value_flags.iter_mut()).zip(denominator) {
        let given = !value.is_nan();
        *value /= divisor;
        *flag |= if given && value.is_nan() { flags::MISSING } else { 0 };
    }
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

/// Checks overrides against the framework and the documented bounds
/// ([`crate::limits`]), before any work: an unknown group column, a share out of range, a
/// parameter too large to compute with.
pub fn check_overrides(framework: &Framework, overrides: &Overrides) -> Result<(), EvalError> {
    use crate::limits::{MAX_PARAMETER_MAGNITUDE, MAX_WINSORISE_POINTS};
    if let Some(Impute::GroupMean(group) | Impute::GroupMedian(group)) = &overrides.impute
        && !framework.groups.iter().any(|known| known == group)
    {
        let known = if framework.groups.is_empty() {
            "the indicator file declares no group columns".to_owned()
        } else {
            format!("its group columns: {}", framework.groups.join(", "))
        };
        return Err(EvalError::Override(format!("`{group}` is not a group column of the indicator file ({known})")));
    }
    if let Some(screen) = overrides.screen
        && !(0.0..=1.0).contains(&screen)
    {
        return Err(EvalError::Override(format!(
            "the screening threshold {screen} is not a share of the indicators: give a number from 0 to 1 (0.9 keeps units with 90% of their data)"
        )));
    }
    if let Some(NormaliseOverride::MinMax(a, b) | NormaliseOverride::ZScore(a, b)) = overrides.normalise
        && (!(a.is_finite() && b.is_finite()) || a.abs().max(b.abs()) > MAX_PARAMETER_MAGNITUDE)
    {
        return Err(EvalError::Override(format!(
            "normalisation parameters must be finite and at most {MAX_PARAMETER_MAGNITUDE:e} in size, not {a}, {b}"
        )));
    }
    if let Some(winmax) = overrides.winsorise
        && winmax > MAX_WINSORISE_POINTS
    {
        return Err(EvalError::Override(format!(
            "winsorising up to {winmax} points is more than the {MAX_WINSORISE_POINTS} this tool allows"
        )));
    }
    if let Some((id, weight)) = overrides
        .weights
        .iter()
        .find(|(_, weight)| !(weight.is_finite() && **weight >= 0.0 && **weight <= crate::limits::MAX_WEIGHT))
    {
        return Err(EvalError::Override(format!(
            "the weight of `{id}` must be from 0 to {}, not {weight}",
            crate::limits::MAX_WEIGHT
        )));
    }
    Ok(())
}

/// Applies command-line overrides to a copy of the framework (checked first, see
/// [`check_overrides`]).
pub fn apply_overrides(framework: &Framework, overrides: &Overrides) -> Result<Framework, EvalError> {
    check_overrides(framework, overrides)?;
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
            node.range = indicator.range();
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
