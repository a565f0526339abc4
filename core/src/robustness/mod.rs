//! How robust are the rankings? Uncertainty and sensitivity analysis over declared
//! alternatives (weights perturbed, normalisation, aggregation, imputation, winsorisation,
//! leaving a node out), by Monte Carlo with a seeded generator, as COINr's
//! `get_sensitivity`.
//!
//! An [`Analysis`] draws its design once; each run ([`Analysis::run`]) is independent and
//! pure, so a caller may spread the runs over threads (the command line) or a worker (the
//! browser) and get the same report for the same seed. [`Analysis::report`] gives each
//! unit's nominal, median, 5th and 95th percentile ranks and score interval and, for a
//! sensitivity analysis, first- and total-order indices of every input on the mean
//! absolute rank change.

pub mod coherence;
pub mod indices;
pub mod sampling;

use crate::data::Dataset;
use crate::framework::{Aggregation, Framework, Impute};
use crate::pipeline::{EvalError, EvaluateOptions, NormaliseOverride, evaluate};
use indices::{IndexError, SensitivityIndex, quantile_sorted, sensitivity_indices};
use sampling::{Design, Uniform, index_of, noisy_weights, random_design, sensitivity_design};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One uncertain input and its alternatives, each equally likely.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The weights of the nodes at these levels (COINr's: 1 for the indicators, 2 for
    /// their parents, ...), each perturbed by up to +/- `factor` of itself.
    Weights {
        /// The levels whose weights vary.
        levels: Vec<u32>,
        /// The largest change, as a share of each weight (0.25: +/- 25%).
        factor: f64,
    },
    /// How every indicator is normalised.
    Normalisation(Vec<NormaliseOverride>),
    /// How every node is aggregated.
    Aggregation(Vec<Aggregation>),
    /// How missing values are imputed.
    Imputation(Vec<Impute>),
    /// Outlier treatment: up to this many points winsorised (0 turns treatment off).
    Winsorisation(Vec<u32>),
    /// One node left out (weight 0), or none (`None`).
    LeaveOut(Vec<Option<String>>),
}

impl Input {
    /// The input's name in reports.
    pub fn name(&self) -> &'static str {
        match self {
            Input::Weights { .. } => "weights",
            Input::Normalisation(_) => "normalisation",
            Input::Aggregation(_) => "aggregation",
            Input::Imputation(_) => "imputation",
            Input::Winsorisation(_) => "winsorisation",
            Input::LeaveOut(_) => "leave-out",
        }
    }

    fn alternatives(&self) -> usize {
        match self {
            Input::Weights { .. } => 0,
            Input::Normalisation(alternatives) => alternatives.len(),
            Input::Aggregation(alternatives) => alternatives.len(),
            Input::Imputation(alternatives) => alternatives.len(),
            Input::Winsorisation(alternatives) => alternatives.len(),
            Input::LeaveOut(alternatives) => alternatives.len(),
        }
    }
}

/// Which analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// `n` random runs: the distribution of each unit's rank.
    Uncertainty,
    /// `n (d + 2)` runs of the Saltelli design: also how much each input matters.
    Sensitivity,
}

/// Why an analysis cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RobustnessError {
    /// No input varies.
    #[error("no uncertain input: give at least one (weights, normalisation, aggregation, ...)")]
    NoInput,
    /// A sensitivity analysis needs two inputs or more.
    #[error("a sensitivity analysis needs at least two uncertain inputs; with one, run an uncertainty analysis")]
    OneInput,
    /// An input has no alternative.
    #[error("the input `{0}` lists no alternative")]
    Empty(&'static str),
    /// An input is given twice.
    #[error("the input `{0}` is given twice")]
    Twice(&'static str),
    /// A weight input names no node.
    #[error("no node of the indicator file is at level {0} (1 is the indicators, 2 their parents, ...)")]
    Level(u32),
    /// A weight factor outside (0, 1].
    #[error("the weight factor must be above 0 and at most 1, not {0}")]
    Factor(f64),
    /// A node left out is not in the file.
    #[error("`{0}` is not a node of the indicator file")]
    UnknownNode(String),
    /// Too few runs.
    #[error("at least 3 runs are needed, not {0}")]
    Runs(usize),
    /// The nominal evaluation failed.
    #[error("the nominal evaluation failed")]
    Nominal(#[from] EvalError),
}

/// A unit's root score and rank in one run, by dataset unit (`None`: not ranked).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Root scores.
    pub scores: Vec<Option<f64>>,
    /// Ranks of the root score among all units.
    pub ranks: Vec<Option<u32>>,
    /// Why the run ranks nobody, when its methods do not go together.
    pub failure: Option<String>,
}

/// A Monte Carlo analysis, its design drawn.
#[derive(Debug, Clone)]
pub struct Analysis {
    framework: Framework,
    options: EvaluateOptions,
    inputs: Vec<Input>,
    /// Weight replications of the weight input (node id -> weight), when there is one.
    weight_sets: Vec<BTreeMap<String, f64>>,
    design: Design,
    method: Method,
    points: usize,
    seed: u64,
}

impl Analysis {
    /// Draws the design: `points` random points (the runs of an uncertainty analysis;
    /// a sensitivity analysis runs `points (d + 2)`), from `seed`. `options` give the
    /// nominal evaluation; every run varies them by the inputs.
    pub fn new(
        framework: &Framework,
        options: &EvaluateOptions,
        inputs: Vec<Input>,
        method: Method,
        points: usize,
        seed: u64,
    ) -> Result<Self, RobustnessError> {
        check_inputs(framework, &inputs, method, points)?;
        let mut uniform = Uniform::new(seed);
        let d = inputs.len();
        let design = match method {
            Method::Uncertainty => random_design(&mut uniform, points, d),
            Method::Sensitivity => sensitivity_design(&mut uniform, points, d),
        };
        let weight_sets = match inputs.iter().find_map(|input| match input {
            Input::Weights { levels, factor } => Some((levels, *factor)),
            _ => None,
        }) {
            None => Vec::new(),
            Some((levels, factor)) => {
                let node_levels = node_levels(framework);
                let nodes: Vec<usize> = (0..framework.nodes.len())
                    .filter(|&node| node_levels[node].is_some_and(|level| levels.contains(&level)))
                    .collect();
                let nominal: Vec<f64> = nodes
                    .iter()
                    .map(|&node| {
                        let id = &framework.nodes[node].id;
                        options.overrides.weights.get(id).copied().unwrap_or(framework.nodes[node].weight)
                    })
                    .collect();
                noisy_weights(&mut uniform, &nominal, factor, points)
                    .into_iter()
                    .map(|mut set| {
                        keep_sums_within_their_points(framework, &nodes, &nominal, &mut set);
                        nodes.iter().map(|&node| framework.nodes[node].id.clone()).zip(set).collect()
                    })
                    .collect()
            }
        };
        Ok(Self {
            framework: framework.clone(),
            options: options.clone(),
            inputs,
            weight_sets,
            design,
            method,
            points,
            seed,
        })
    }

    /// How many runs the design holds.
    pub fn runs(&self) -> usize {
        self.design.len()
    }

    /// The inputs' names, in order.
    pub fn input_names(&self) -> Vec<String> {
        self.inputs.iter().map(|input| input.name().to_owned()).collect()
    }

    /// The evaluation options of run `run`: the nominal ones with each input's pick.
    pub fn run_options(&self, run: usize) -> EvaluateOptions {
        let mut overrides = self.options.overrides.clone();
        for (input, &x) in self.inputs.iter().zip(&self.design[run]) {
            match input {
                Input::Weights { .. } => {
                    let set = &self.weight_sets[index_of(x, self.weight_sets.len())];
                    overrides.weights.extend(set.iter().map(|(id, weight)| (id.clone(), *weight)));
                }
                Input::Normalisation(alternatives) => {
                    overrides.normalise = Some(alternatives[index_of(x, alternatives.len())].clone());
                }
                Input::Aggregation(alternatives) => {
                    overrides.aggregate = Some(alternatives[index_of(x, alternatives.len())]);
                }
                Input::Imputation(alternatives) => {
                    overrides.impute = Some(alternatives[index_of(x, alternatives.len())].clone());
                }
                Input::Winsorisation(alternatives) => {
                    overrides.winsorise = Some(alternatives[index_of(x, alternatives.len())]);
                }
                Input::LeaveOut(alternatives) => {
                    if let Some(id) = &alternatives[index_of(x, alternatives.len())] {
                        overrides.weights.insert(id.clone(), 0.0);
                    }
                }
            }
        }
        EvaluateOptions { overrides, keep_stages: false, ..self.options.clone() }
    }

    /// The nominal scores and ranks.
    pub fn nominal(&self, dataset: &Dataset) -> Result<Outcome, RobustnessError> {
        Ok(outcome(dataset, &evaluate(&self.framework, dataset, &self.options)?))
    }

    /// One run of the design; a run whose methods do not go together (a geometric mean
    /// of negative z-scores, say) ranks nobody, as COINr counts a failed regeneration.
    pub fn run(&self, dataset: &Dataset, run: usize) -> Outcome {
        match evaluate(&self.framework, dataset, &self.run_options(run)) {
            Ok(evaluation) => outcome(dataset, &evaluation),
            Err(error) => Outcome {
                scores: vec![None; dataset.n_units()],
                ranks: vec![None; dataset.n_units()],
                failure: Some(format!("{}: {error}", self.describe_run(run))),
            },
        }
    }

    /// What run `run` picks for each input, in words: `aggregation geometric, weights set 17`.
    pub fn describe_run(&self, run: usize) -> String {
        let pick = |x: f64, n: usize| index_of(x, n);
        self.inputs
            .iter()
            .zip(&self.design[run])
            .map(|(input, &x)| {
                let picked = match input {
                    Input::Weights { .. } => format!("set {}", pick(x, self.weight_sets.len()) + 1),
                    Input::Normalisation(alternatives) => format!("{:?}", alternatives[pick(x, alternatives.len())]),
                    Input::Aggregation(alternatives) => alternatives[pick(x, alternatives.len())].name().to_owned(),
                    Input::Imputation(alternatives) => format!("{:?}", alternatives[pick(x, alternatives.len())]),
                    Input::Winsorisation(alternatives) => alternatives[pick(x, alternatives.len())].to_string(),
                    Input::LeaveOut(alternatives) => {
                        alternatives[pick(x, alternatives.len())].clone().unwrap_or_else(|| "none".to_owned())
                    }
                };
                format!("{} {picked}", input.name())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The report from the nominal outcome and every run's, in run order.
    pub fn report(
        &self,
        dataset: &Dataset,
        nominal: &Outcome,
        outcomes: &[Outcome],
        bootstrap: usize,
    ) -> Result<Report, IndexError> {
        // A sensitivity analysis summarises ranks over its random points (A and B) only.
        let summarised = match self.method {
            Method::Uncertainty => outcomes,
            Method::Sensitivity => &outcomes[..(2 * self.points).min(outcomes.len())],
        };
        let units = (0..dataset.n_units())
            .filter(|&unit| nominal.ranks[unit].is_some())
            .map(|unit| {
                let mut ranks: Vec<f64> =
                    summarised.iter().filter_map(|outcome| outcome.ranks[unit]).map(f64::from).collect();
                let mut scores: Vec<f64> = summarised.iter().filter_map(|outcome| outcome.scores[unit]).collect();
                ranks.sort_by(f64::total_cmp);
                scores.sort_by(f64::total_cmp);
                let mean = ranks.iter().sum::<f64>() / ranks.len() as f64;
                UnitRobustness {
                    unit: dataset.units[unit].id.clone(),
                    name: dataset.units[unit].name.clone(),
                    nominal_rank: nominal.ranks[unit],
                    nominal_score: nominal.scores[unit],
                    mean_rank: (!ranks.is_empty()).then_some(mean),
                    median_rank: (!ranks.is_empty()).then(|| quantile_sorted(&ranks, 0.5)),
                    rank_interval: (!ranks.is_empty())
                        .then(|| (quantile_sorted(&ranks, 0.05), quantile_sorted(&ranks, 0.95))),
                    score_interval: (!scores.is_empty())
                        .then(|| (quantile_sorted(&scores, 0.05), quantile_sorted(&scores, 0.95))),
                }
            })
            .collect();
        let failed = outcomes.iter().filter(|outcome| outcome.ranks.iter().all(Option::is_none)).count();
        let first_failure = outcomes.iter().find_map(|outcome| outcome.failure.clone());
        let sensitivity = match self.method {
            Method::Uncertainty => None,
            Method::Sensitivity => {
                let changes: Vec<f64> = outcomes.iter().map(|outcome| mean_rank_change(nominal, outcome)).collect();
                // Its own stream: the indices do not depend on how the runs were spread.
                let mut uniform = Uniform::new(self.seed ^ BOOTSTRAP_STREAM);
                Some(sensitivity_indices(&changes, self.points, &self.input_names(), bootstrap, &mut uniform)?)
            }
        };
        Ok(Report {
            method: self.method,
            points: self.points,
            runs: outcomes.len(),
            failed_runs: failed,
            first_failure,
            seed: self.seed,
            inputs: self.input_names(),
            units,
            sensitivity,
        })
    }
}

/// Mixed into the seed for the bootstrap's numbers.
const BOOTSTRAP_STREAM: u64 = 0x5eed_b007_5742_0001;

/// What an analysis found (read back where it crosses a worker, as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The analysis run.
    pub method: Method,
    /// Random points drawn (the runs of an uncertainty analysis).
    pub points: usize,
    /// Evaluations run.
    pub runs: usize,
    /// Runs whose methods did not go together (nobody ranked).
    pub failed_runs: usize,
    /// What the first of them picked, and why it failed.
    pub first_failure: Option<String>,
    /// The seed the design was drawn from.
    pub seed: u64,
    /// The uncertain inputs, in order.
    pub inputs: Vec<String>,
    /// Every unit ranked in the nominal evaluation, in data order.
    pub units: Vec<UnitRobustness>,
    /// First- and total-order indices of each input on the mean absolute rank change.
    pub sensitivity: Option<Vec<SensitivityIndex>>,
}

/// One unit's ranks over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRobustness {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its rank with the nominal methods.
    pub nominal_rank: Option<u32>,
    /// Its score with the nominal methods.
    pub nominal_score: Option<f64>,
    /// Its mean rank over the runs.
    pub mean_rank: Option<f64>,
    /// Its median rank over the runs.
    pub median_rank: Option<f64>,
    /// 5th and 95th percentiles of the rank (R's type 7).
    pub rank_interval: Option<(f64, f64)>,
    /// 5th and 95th percentiles of the score.
    pub score_interval: Option<(f64, f64)>,
}

/// The mean absolute change of rank from the nominal, over units ranked in both (COINr's
/// target for sensitivity indices); `NaN` when none is.
fn mean_rank_change(nominal: &Outcome, outcome: &Outcome) -> f64 {
    let (sum, count) = nominal
        .ranks
        .iter()
        .zip(&outcome.ranks)
        .filter_map(|(nominal, rank)| Some((f64::from((*nominal)?) - f64::from((*rank)?)).abs()))
        .fold((0.0, 0usize), |(sum, count), change| (sum + change, count + 1));
    if count == 0 { f64::NAN } else { sum / count as f64 }
}

/// The root scores and ranks of an evaluation by dataset unit.
fn outcome(dataset: &Dataset, evaluation: &crate::Evaluation) -> Outcome {
    let root = evaluation.framework.root();
    let mut scores = vec![None; dataset.n_units()];
    let mut ranks = vec![None; dataset.n_units()];
    for position in 0..evaluation.n_units() {
        let unit = evaluation.units.dataset_index(position);
        scores[unit] = evaluation.score(root, position);
        ranks[unit] = evaluation.rank[position];
    }
    Outcome { scores, ranks, failure: None }
}

/// Every level below the root, as COINr counts them: 1 (the indicators) up to the
/// deepest indicator's depth (the root's children in a balanced tree).
pub fn levels_below_root(framework: &Framework) -> Vec<u32> {
    let depth = framework.indicator_indices().into_iter().map(|node| framework.nodes[node].depth).max().unwrap_or(1);
    (1..=depth.max(1)).collect()
}

/// Each node's level as COINr counts them (1 for an indicator, one more than its highest
/// child otherwise); `None` for the root, whose weight nothing aggregates.
fn node_levels(framework: &Framework) -> Vec<Option<u32>> {
    let heights = heights(framework);
    (0..framework.nodes.len()).map(|node| framework.nodes[node].parent.map(|_| heights[node] + 1)).collect()
}

/// Each node's height: 0 for an indicator, one more than its highest child otherwise.
fn heights(framework: &Framework) -> Vec<u32> {
    fn height(framework: &Framework, node: usize, heights: &mut [Option<u32>]) -> u32 {
        if let Some(known) = heights[node] {
            return known;
        }
        let children = framework.nodes[node].children.clone();
        let value = children.iter().map(|&child| height(framework, child, heights) + 1).max().unwrap_or(0);
        heights[node] = Some(value);
        value
    }
    let mut heights = vec![None; framework.nodes.len()];
    (0..framework.nodes.len()).map(|node| height(framework, node, &mut heights)).collect()
}

fn check_inputs(framework: &Framework, inputs: &[Input], method: Method, points: usize) -> Result<(), RobustnessError> {
    if inputs.is_empty() {
        return Err(RobustnessError::NoInput);
    }
    if method == Method::Sensitivity && inputs.len() < 2 {
        return Err(RobustnessError::OneInput);
    }
    if points < 3 {
        return Err(RobustnessError::Runs(points));
    }
    let mut seen = Vec::new();
    for input in inputs {
        if seen.contains(&input.name()) {
            return Err(RobustnessError::Twice(input.name()));
        }
        seen.push(input.name());
        match input {
            Input::Weights { levels, factor } => {
                if !(*factor > 0.0 && *factor <= 1.0) {
                    return Err(RobustnessError::Factor(*factor));
                }
                if levels.is_empty() {
                    return Err(RobustnessError::Empty(input.name()));
                }
                let node_levels = node_levels(framework);
                if let Some(&absent) = levels.iter().find(|&&level| !node_levels.contains(&Some(level))) {
                    return Err(RobustnessError::Level(absent));
                }
            }
            Input::LeaveOut(alternatives) => {
                if let Some(unknown) = alternatives.iter().flatten().find(|id| framework.node_index(id).is_none()) {
                    return Err(RobustnessError::UnknownNode(unknown.clone()));
                }
                if alternatives.is_empty() {
                    return Err(RobustnessError::Empty(input.name()));
                }
            }
            _ if input.alternatives() == 0 => return Err(RobustnessError::Empty(input.name())),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// Scales perturbed weights under each `sum` node so that the node's maximum points stay
/// what they were: a sum's weights are its children's shares of its points, and weights
/// perturbed freely would let a 1,000-point index score 1,044. A mean divides by its
/// weights, so it is left as drawn (scaling all of a mean's weights changes nothing).
fn keep_sums_within_their_points(framework: &Framework, nodes: &[usize], nominal: &[f64], noisy: &mut [f64]) {
    let mut by_parent: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (position, &node) in nodes.iter().enumerate() {
        if let Some(parent) = framework.nodes[node].parent
            && matches!(
                framework.nodes[parent].kind,
                crate::framework::NodeKind::Aggregate { method: crate::framework::Aggregation::Sum, .. }
            )
        {
            by_parent.entry(parent).or_default().push(position);
        }
    }
    for positions in by_parent.values() {
        let high = |position: usize| framework.nodes[nodes[position]].range.map_or(1.0, |range| range.high);
        let nominal_points: f64 = positions.iter().map(|&position| nominal[position] * high(position)).sum();
        let noisy_points: f64 = positions.iter().map(|&position| noisy[position] * high(position)).sum();
        if noisy_points > 0.0 && nominal_points.is_finite() {
            let factor = nominal_points / noisy_points;
            positions.iter().for_each(|&position| noisy[position] *= factor);
        }
    }
}
