//! Evaluations over periods: every period evaluated in time order, each compared with
//! the previous one or with any other, and the trend of any score.
//!
//! Values carried forward from an older period (`impute = "previous-period"`) are flagged
//! `stale` in each evaluation; [`Dataset::latest_value_before`] says from which period.

use crate::data::Dataset;
use crate::evaluation::Evaluation;
use crate::framework::Framework;
use crate::period::{chronological, period_time};
use crate::pipeline::{EvalError, EvaluateOptions, evaluate_shared};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Evaluates every period of the data, oldest first (see [`chronological`]); the
/// `period` of `options` is ignored.
pub fn evaluate_series(
    framework: &Framework,
    dataset: &Dataset,
    options: &EvaluateOptions,
) -> Result<Vec<Evaluation>, EvalError> {
    let shared = Arc::new(framework.clone());
    chronological(&dataset.periods)
        .into_iter()
        .map(|index| {
            let options = EvaluateOptions { period: Some(dataset.periods[index].clone()), ..options.clone() };
            evaluate_shared(&shared, dataset, &options)
        })
        .collect()
}

/// How one node of one unit moved between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NodeChange {
    /// The score in the later period.
    pub score: Option<f64>,
    /// The score in the earlier period.
    pub previous: Option<f64>,
    /// `score - previous`, when both exist.
    pub delta: Option<f64>,
    /// The rank on this node in the later period.
    pub rank: Option<u32>,
    /// The rank on this node in the earlier period.
    pub previous_rank: Option<u32>,
    /// Places gained (positive) or lost (negative): `previous_rank - rank`.
    pub rank_change: Option<i64>,
}

/// One unit's changes, node by node (in the framework's node order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitChange {
    /// The unit's id.
    pub unit: String,
    /// Its position in the later evaluation.
    #[serde(skip)]
    pub position: usize,
    /// Its position in the earlier evaluation, when it was there.
    #[serde(skip)]
    pub previous_position: Option<usize>,
    /// Per node of the later evaluation's framework.
    pub nodes: Vec<NodeChange>,
}

/// Two periods compared: every unit of the later one, node by node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The later period.
    pub period: String,
    /// The earlier period.
    pub previous_period: String,
    /// Every unit of the later period, in its order.
    pub units: Vec<UnitChange>,
    /// Units in the earlier period only.
    pub left: Vec<String>,
}

impl Comparison {
    /// The change of `node` for the unit at `position` of the later evaluation.
    pub fn change(&self, position: usize, node: usize) -> Option<&NodeChange> {
        self.units.get(position)?.nodes.get(node)
    }
}

/// Compares a later evaluation with an earlier one. Units match by id and nodes by id,
/// so the two may come from different versions of the indicator file.
pub fn compare(current: &Evaluation, previous: &Evaluation) -> Comparison {
    let previous_units: BTreeMap<&str, usize> =
        previous.units.iter().enumerate().map(|(position, unit)| (unit.id.as_str(), position)).collect();
    let previous_nodes: BTreeMap<&str, usize> =
        previous.framework.nodes.iter().enumerate().map(|(index, node)| (node.id.as_str(), index)).collect();
    let node_pairs: Vec<Option<usize>> =
        current.framework.nodes.iter().map(|node| previous_nodes.get(node.id.as_str()).copied()).collect();
    let ranks: Vec<Vec<Option<u32>>> = (0..current.framework.nodes.len()).map(|node| current.ranks_of(node)).collect();
    let previous_ranks: Vec<Option<Vec<Option<u32>>>> =
        node_pairs.iter().map(|pair| pair.map(|node| previous.ranks_of(node))).collect();
    let units = current
        .units
        .iter()
        .enumerate()
        .map(|(position, unit)| {
            let previous_position = previous_units.get(unit.id.as_str()).copied();
            let nodes = node_pairs
                .iter()
                .enumerate()
                .map(|(node, pair)| {
                    let score = current.score(node, position);
                    let rank = ranks[node][position];
                    let (previous_score, previous_rank) = match (pair, previous_position) {
                        (Some(old_node), Some(old_position)) => (
                            previous.score(*old_node, old_position),
                            previous_ranks[node].as_ref().and_then(|ranks| ranks[old_position]),
                        ),
                        _ => (None, None),
                    };
                    NodeChange {
                        score,
                        previous: previous_score,
                        delta: score.zip(previous_score).map(|(now, before)| now - before),
                        rank,
                        previous_rank,
                        rank_change: rank.zip(previous_rank).map(|(now, before)| i64::from(before) - i64::from(now)),
                    }
                })
                .collect();
            UnitChange { unit: unit.id.clone(), position, previous_position, nodes }
        })
        .collect();
    let current_ids: BTreeMap<&str, ()> = current.units.iter().map(|unit| (unit.id.as_str(), ())).collect();
    let left = previous
        .units
        .iter()
        .filter(|unit| !current_ids.contains_key(unit.id.as_str()))
        .map(|unit| unit.id.clone())
        .collect();
    Comparison { period: current.period.clone(), previous_period: previous.period.clone(), units, left }
}

/// An indicator's part in a unit's change between two evaluations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// The indicator's id.
    pub indicator: String,
    /// Its change of contribution to the index, in the index's points.
    pub change: f64,
}

/// The indicators behind a unit's change of index between two evaluations (of two
/// periods, or of two versions of the indicator file), largest first: each one's change
/// of contribution to the root. Contributions exist through linear aggregations only
/// (sums and weighted means); elsewhere the list is empty.
pub fn causes(
    current: &Evaluation,
    position: usize,
    previous: &Evaluation,
    previous_position: Option<usize>,
) -> Vec<Cause> {
    let before: BTreeMap<String, f64> = previous_position
        .map(|position| previous.contributions(position))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|contribution| Some((contribution.indicator, contribution.contribution?)))
        .collect();
    let mut after: BTreeMap<String, f64> = current
        .contributions(position)
        .into_iter()
        .filter_map(|contribution| Some((contribution.indicator, contribution.contribution?)))
        .collect();
    for indicator in before.keys() {
        after.entry(indicator.clone()).or_insert(0.0);
    }
    let mut causes: Vec<Cause> = after
        .into_iter()
        .map(|(indicator, now)| {
            let change = now - before.get(&indicator).copied().unwrap_or(0.0);
            Cause { indicator, change }
        })
        .filter(|cause| cause.change.abs() > 1e-9)
        .collect();
    causes.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.indicator.cmp(&b.indicator)));
    causes
}

pub use crate::stats::{Line, linear_trend};

/// The time of each evaluation of a series: its period's time in years, or its position
/// when a label is not a period of time.
pub fn series_times(series: &[Evaluation]) -> Vec<f64> {
    let times: Vec<Option<f64>> = series.iter().map(|evaluation| period_time(&evaluation.period)).collect();
    if times.iter().all(Option::is_some) {
        times.into_iter().flatten().collect()
    } else {
        (0..series.len()).map(|position| position as f64).collect()
    }
}

/// One unit's score on a node across a series, with its trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// `(period, score)` for every evaluation that has the unit and a score.
    pub points: Vec<(String, f64)>,
    /// The least-squares line over time (see [`series_times`]).
    pub line: Option<Line>,
}

/// A unit's trend on a node (by id) across a series, oldest first.
pub fn trend(series: &[Evaluation], unit: &str, node: &str) -> Trend {
    let times = series_times(series);
    let mut points = Vec::new();
    let mut timed = Vec::new();
    for (evaluation, time) in series.iter().zip(&times) {
        let Some(node) = evaluation.framework.node_index(node) else { continue };
        let Some(position) = evaluation.units.iter().position(|candidate| candidate.id == unit) else { continue };
        if let Some(score) = evaluation.score(node, position) {
            points.push((evaluation.period.clone(), score));
            timed.push((*time, score));
        }
    }
    Trend { points, line: linear_trend(&timed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_through_points_on_a_line_is_that_line() {
        let line = linear_trend(&[(2023.0, 10.0), (2024.0, 15.0), (2025.0, 20.0)]).expect("a line");
        assert!((line.slope - 5.0).abs() < 1e-9);
        assert!((line.at(2026.0) - 25.0).abs() < 1e-9);
        assert_eq!(linear_trend(&[(2023.0, 1.0), (2023.0, 2.0)]), None);
        assert_eq!(linear_trend(&[(2023.0, 1.0)]), None);
    }
}
