//! Combining children's scores into their parent's, node by node, children first.

use crate::framework::{Aggregation, Framework, Missing, NodeKind};

/// Which children take part in a node's score for one unit, and with what factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    /// (child index, its effective weight in the node's score); for linear aggregations
    /// the node's score is the sum of weight x child score.
    pub children: Vec<(usize, f64)>,
    /// Children with data over children that apply.
    pub coverage: f64,
}

/// Per node, whether it applies to units of each block (`blocks.len()` = no block).
pub fn applicability(framework: &Framework) -> Vec<Vec<bool>> {
    let slots = framework.blocks.len() + 1;
    let mut table = vec![vec![false; slots]; framework.nodes.len()];
    for (index, node) in framework.nodes.iter().enumerate() {
        let row: Vec<bool> = (0..slots)
            .map(|slot| {
                let block = (slot < framework.blocks.len()).then_some(slot);
                match node.indicator() {
                    Some(indicator) => indicator.applies_to_block(block),
                    // Children come before their parent, so their rows are filled.
                    None => node.children.iter().any(|&child| framework.nodes[child].scores() && table[child][slot]),
                }
            })
            .collect();
        table[index] = row;
    }
    table
}

/// The score a missing child counts as, or `None` to skip it.
fn missing_value(framework: &Framework, child: usize) -> Option<f64> {
    match framework.pipeline.missing {
        Missing::Skip => None,
        Missing::Zero => Some(framework.nodes[child].range.map_or(0.0, |range| range.low)),
    }
}

/// The children of `node` that count for a unit, with their score and weight.
pub(crate) fn gather(
    framework: &Framework,
    node: usize,
    applies: &[Vec<bool>],
    slot: usize,
    present: &mut Vec<(usize, f64, f64)>,
    score_of: impl Fn(usize) -> f64,
) -> usize {
    present.clear();
    let mut applicable = 0;
    for &child in &framework.nodes[node].children {
        let child_node = &framework.nodes[child];
        if !child_node.scores() || !applies[child][slot] {
            continue;
        }
        applicable += 1;
        let score = score_of(child);
        let score = if score.is_nan() { missing_value(framework, child).unwrap_or(f64::NAN) } else { score };
        if !score.is_nan() {
            present.push((child, child_node.weight, score));
        }
    }
    applicable
}

/// The error raised when a mean cannot take a value.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainError {
    /// The child with the bad value.
    pub child: usize,
    /// The value.
    pub value: f64,
}

/// Aggregates one node for one unit. Returns `NaN` when nothing applies or coverage is too low.
/// `buffer` is scratch space, reused between calls so that nothing is allocated.
pub fn aggregate_one(
    framework: &Framework,
    node: usize,
    applies: &[Vec<bool>],
    slot: usize,
    buffer: &mut Vec<(usize, f64, f64)>,
    score_of: impl Fn(usize) -> f64,
) -> Result<f64, DomainError> {
    let NodeKind::Aggregate { method, min_coverage, .. } = framework.nodes[node].kind else {
        return Ok(score_of(node));
    };
    let applicable = gather(framework, node, applies, slot, buffer, score_of);
    let present = &*buffer;
    if applicable == 0 || present.is_empty() {
        return Ok(f64::NAN);
    }
    if (present.len() as f64) / (applicable as f64) < min_coverage {
        return Ok(f64::NAN);
    }
    if method.needs_positive()
        && let Some(&(child, _, value)) = present.iter().find(|(_, _, value)| *value <= 0.0)
    {
        return Err(DomainError { child, value });
    }
    let total_weight: f64 = present.iter().map(|(_, weight, _)| weight).sum();
    Ok(match method {
        Aggregation::Arithmetic => present.iter().map(|(_, weight, value)| weight / total_weight * value).sum(),
        Aggregation::Sum => {
            let sum: f64 = present.iter().map(|(_, weight, value)| weight * value).sum();
            sum * sum_rescale(framework, node, present)
        }
        Aggregation::Geometric => {
            libm::exp(present.iter().map(|(_, weight, value)| weight * libm::log(*value)).sum::<f64>() / total_weight)
        }
        Aggregation::Harmonic => total_weight / present.iter().map(|(_, weight, value)| weight / value).sum::<f64>(),
        Aggregation::Generalised(p) => {
            let mean_power: f64 =
                present.iter().map(|(_, weight, value)| weight * libm::pow(*value, p)).sum::<f64>() / total_weight;
            libm::pow(mean_power, 1.0 / p)
        }
        Aggregation::Minimum => present.iter().map(|(_, _, value)| *value).fold(f64::INFINITY, f64::min),
    })
}

/// For a sum, the factor that brings the present children's maximum up to the node's
/// full maximum, so that leaving out indicators that do not apply (or are skipped) keeps
/// the node on its scale. 1 when ranges are unbounded.
fn sum_rescale(framework: &Framework, node: usize, present: &[(usize, f64, f64)]) -> f64 {
    let Some(full) = framework.nodes[node].range.map(|range| range.high) else { return 1.0 };
    let maxima: Option<f64> =
        present.iter().map(|(child, weight, _)| framework.nodes[*child].range.map(|range| weight * range.high)).sum();
    match maxima {
        Some(present_max) if present_max > 0.0 => full / present_max,
        _ => 1.0,
    }
}

/// How a unit's children take part in a node's score (for contributions and explanations).
pub fn participation(
    framework: &Framework,
    node: usize,
    applies: &[Vec<bool>],
    slot: usize,
    score_of: impl Fn(usize) -> f64,
) -> Option<Participation> {
    let NodeKind::Aggregate { method, .. } = framework.nodes[node].kind else { return None };
    let mut present = Vec::new();
    let applicable = gather(framework, node, applies, slot, &mut present, score_of);
    if applicable == 0 || present.is_empty() {
        return None;
    }
    let coverage = present.len() as f64 / applicable as f64;
    let total_weight: f64 = present.iter().map(|(_, weight, _)| weight).sum();
    let children = match method {
        Aggregation::Sum => {
            let factor = sum_rescale(framework, node, &present);
            present.iter().map(|(child, weight, _)| (*child, weight * factor)).collect()
        }
        _ => present.iter().map(|(child, weight, _)| (*child, weight / total_weight)).collect(),
    };
    Some(Participation { children, coverage })
}
