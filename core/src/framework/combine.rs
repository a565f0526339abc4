//! How a node's children take part in its score, as the indicator file defines it: which
//! nodes apply to a block, which children a unit has values for (a missing one skipped or
//! counted at its lowest), and how a sum is rescaled when some children are left out. The
//! pipeline aggregates with these rules; an evaluation explains its results with them.

use super::{Aggregation, Framework, Missing, NodeKind};

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
pub(crate) fn missing_value(framework: &Framework, child: usize) -> Option<f64> {
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

/// For a sum, the factor that brings the present children's maximum up to the node's
/// full maximum, so that leaving out indicators that do not apply (or are skipped) keeps
/// the node on its scale. 1 when ranges are unbounded.
pub(crate) fn rescale(full: Option<f64>, present_max: f64) -> f64 {
    match full {
        Some(full) if present_max > 0.0 => full / present_max,
        _ => 1.0,
    }
}

/// [`rescale`] for the children present for one unit.
fn sum_rescale(framework: &Framework, node: usize, present: &[(usize, f64, f64)]) -> f64 {
    let present_max = present
        .iter()
        .map(|(child, weight, _)| framework.nodes[*child].range.map_or(f64::NAN, |range| weight * range.high))
        .sum();
    rescale(framework.nodes[node].range.map(|range| range.high), present_max)
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
