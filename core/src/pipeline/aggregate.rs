//! Combining children's scores into their parent's, node by node, children first.

/// Kept here too, where they were first published (see [`crate::framework::combine`]).
pub use crate::framework::combine::{Participation, applicability, participation};
use crate::framework::combine::{missing_value, rescale};
use crate::framework::{Aggregation, Framework, NodeKind};
use std::ops::Range;

/// Units per block when aggregating.
const BLOCK: usize = 8192;

/// The error raised when a mean cannot take a value.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainError {
    /// The child with the bad value.
    pub child: usize,
    /// The value.
    pub value: f64,
}

/// Running totals of one node's aggregation, one entry per unit; scratch space that
/// [`aggregate_node`] reuses from node to node.
///
/// Most children have a score for every unit: while a block of units has seen only such
/// children, its counts, weight and maximum are the same for every unit and kept once for
/// the block; the per-unit entries are written from the first child that is missing
/// somewhere in the block. Each unit's weight and maximum are still added in child order,
/// so a unit's sums never depend on its neighbours.
pub struct Totals {
    applicable: Vec<u32>,
    present: Vec<u32>,
    weight: Vec<f64>,
    /// The weighted sum (of values, logs, inverses or powers), or the minimum.
    accumulated: Vec<f64>,
    /// For sums: the present children's maxima (`NaN` when one is unbounded).
    present_max: Vec<f64>,
    /// Whether `present_max` is kept (for sums only).
    sums_maxima: bool,
    /// The first child out of the method's domain (only for methods that need positive values).
    out_of_domain: Vec<Option<DomainError>>,
    /// Whether a child applies to each unit of a block, for children that do not apply
    /// to every block.
    applies: Vec<bool>,
    /// Per block of units, what its units share.
    blocks: Vec<BlockTotals>,
}

/// What every unit of a block shares while it has seen only children with a score for
/// all of them.
#[derive(Debug, Clone, Copy, Default)]
struct BlockTotals {
    /// Children with a score for every unit (once `per_unit`, those since).
    uniform: u32,
    /// Their weights and maxima, summed in child order (until `per_unit`).
    weight: f64,
    max: f64,
    /// Whether the units' entries in `Totals` hold their counts, weights and maxima.
    per_unit: bool,
}

/// One child's column, for [`Totals::add`].
struct ChildColumn<'a> {
    child: usize,
    weight: f64,
    max: f64,
    /// What a missing score counts as; `None` skips it.
    fill: Option<f64>,
    scores: &'a [f64],
    /// Applicability per block slot; `None` when the child applies to every block.
    applies: Option<&'a [bool]>,
}

impl Totals {
    /// Totals for `n_units` units, reset by [`aggregate_node`] before each node.
    pub fn new(n_units: usize) -> Self {
        Self {
            applicable: vec![0; n_units],
            present: vec![0; n_units],
            weight: vec![0.0; n_units],
            accumulated: vec![0.0; n_units],
            present_max: Vec::new(),
            sums_maxima: false,
            out_of_domain: Vec::new(),
            applies: Vec::new(),
            blocks: Vec::new(),
        }
    }

    /// Starts a node aggregated with `method`, reusing the memory of the previous one.
    fn reset(&mut self, method: Aggregation) {
        self.accumulated.fill(if method == Aggregation::Minimum { f64::INFINITY } else { 0.0 });
        self.sums_maxima = method == Aggregation::Sum;
        if self.sums_maxima {
            self.present_max.resize(self.applicable.len(), 0.0);
        }
        self.out_of_domain.clear();
        if method.needs_positive() {
            self.out_of_domain.resize(self.applicable.len(), None);
        }
        self.blocks.clear();
        self.blocks.resize(self.applicable.len().div_ceil(BLOCK), BlockTotals::default());
    }

    /// Adds a child's scores for the units in `range` (a block); `step(total, value)`
    /// folds one value into the total.
    fn add(&mut self, column: &ChildColumn, slots: &[usize], range: Range<usize>, step: impl Fn(f64, f64) -> f64) {
        let scores = &column.scores[range.clone()];
        // No branch: the fold vectorises.
        let any_missing = scores.iter().fold(false, |missing, score| missing | score.is_nan());
        let block = range.start / BLOCK;
        if column.applies.is_none() && !any_missing {
            // Every unit counts this child.
            let shared = &mut self.blocks[block];
            shared.uniform += 1;
            if shared.per_unit {
                self.weight[range.clone()].iter_mut().for_each(|total| *total += column.weight);
                if self.sums_maxima {
                    self.present_max[range.clone()].iter_mut().for_each(|total| *total += column.max);
                }
            } else {
                shared.weight += column.weight;
                shared.max += column.max;
            }
            self.fold(column, range, |_, _| true, step);
            return;
        }
        self.per_unit(block, range.clone());
        match column.applies {
            None => self.add_where(column, range, |_| true, step),
            Some(applies) => {
                let mut applies_here = std::mem::take(&mut self.applies);
                applies_here.clear();
                applies_here.extend(slots[range.clone()].iter().map(|&slot| applies[slot]));
                self.add_where(column, range, |offset| applies_here[offset], step);
                self.applies = applies_here;
            }
        }
    }

    /// Writes what the units of a block share into their own entries, from then on kept
    /// unit by unit.
    fn per_unit(&mut self, block: usize, range: Range<usize>) {
        let shared = &mut self.blocks[block];
        if shared.per_unit {
            return;
        }
        self.applicable[range.clone()].fill(shared.uniform);
        self.present[range.clone()].fill(shared.uniform);
        self.weight[range.clone()].fill(shared.weight);
        if self.sums_maxima {
            self.present_max[range].fill(shared.max);
        }
        *shared = BlockTotals { per_unit: true, ..BlockTotals::default() };
    }

    /// [`Totals::add`] where `applies(offset)` tells whether the child applies to the unit
    /// at `range.start + offset`. Each total is its own simple loop over the block, so
    /// that the loops vectorise when the child applies to every unit.
    fn add_where(
        &mut self,
        column: &ChildColumn,
        range: Range<usize>,
        applies: impl Fn(usize) -> bool,
        step: impl Fn(f64, f64) -> f64,
    ) {
        let scores = &column.scores[range.clone()];
        let fill_counts = column.fill.is_some();
        // Whether the score counts: the child applies, and the score is present or a
        // missing score counts as the fill value.
        let counts = |offset: usize, score: f64| applies(offset) && (!score.is_nan() || fill_counts);
        for (offset, total) in self.applicable[range.clone()].iter_mut().enumerate() {
            *total += u32::from(applies(offset));
        }
        for (offset, (total, &score)) in self.present[range.clone()].iter_mut().zip(scores).enumerate() {
            *total += u32::from(counts(offset, score));
        }
        for (offset, (total, &score)) in self.weight[range.clone()].iter_mut().zip(scores).enumerate() {
            *total += if counts(offset, score) { column.weight } else { 0.0 };
        }
        if self.sums_maxima {
            for (offset, (total, &score)) in self.present_max[range.clone()].iter_mut().zip(scores).enumerate() {
                *total += if counts(offset, score) { column.max } else { 0.0 };
            }
        }
        self.fold(column, range, counts, step);
    }

    /// Folds the child's scores into the accumulated totals where `counts(offset, score)`,
    /// leaving out (and recording) the first value out of the method's domain.
    fn fold(
        &mut self,
        column: &ChildColumn,
        range: Range<usize>,
        counts: impl Fn(usize, f64) -> bool,
        step: impl Fn(f64, f64) -> f64,
    ) {
        let scores = &column.scores[range.clone()];
        let fill = column.fill.unwrap_or(0.0);
        let value = |score: f64| if score.is_nan() { fill } else { score };
        let positive_only = !self.out_of_domain.is_empty();
        if positive_only {
            for (offset, &score) in scores.iter().enumerate() {
                let value = value(score);
                if counts(offset, score) && value <= 0.0 {
                    self.out_of_domain[range.start + offset].get_or_insert(DomainError { child: column.child, value });
                }
            }
        }
        for (offset, (total, &score)) in self.accumulated[range].iter_mut().zip(scores).enumerate() {
            let value = value(score);
            let folds = counts(offset, score) && (!positive_only || value > 0.0);
            let next = step(*total, value);
            *total = if folds { next } else { *total };
        }
    }

    /// Adds the children with a score for every unit of a block kept unit by unit to its
    /// units' counts, once the block's children are all in.
    fn end_block(&mut self, range: Range<usize>) {
        let shared = &mut self.blocks[range.start / BLOCK];
        if shared.per_unit && shared.uniform > 0 {
            let count = std::mem::take(&mut shared.uniform);
            self.applicable[range.clone()].iter_mut().for_each(|total| *total += count);
            self.present[range].iter_mut().for_each(|total| *total += count);
        }
    }

    /// A unit's (children that apply, children counted, their weight, their maximum).
    fn of_unit(&self, position: usize) -> (u32, u32, f64, f64) {
        let shared = &self.blocks[position / BLOCK];
        if shared.per_unit {
            let max = if self.sums_maxima { self.present_max[position] } else { f64::NAN };
            (self.applicable[position], self.present[position], self.weight[position], max)
        } else {
            (shared.uniform, shared.uniform, shared.weight, shared.max)
        }
    }
}

/// Aggregates one node for every unit at once, child column by child column.
/// `slots[position]` is each unit's block slot and `scores[child]` holds the children's
/// scores in the same order. A unit gets `NaN` when nothing applies or its coverage is too
/// low; a mean that needs positive values fails at the first unit (then child) that has one.
pub fn aggregate_node(
    framework: &Framework,
    node: usize,
    applies: &[Vec<bool>],
    slots: &[usize],
    scores: &[Vec<f64>],
    totals: &mut Totals,
) -> Result<Vec<f64>, (usize, DomainError)> {
    let NodeKind::Aggregate { method, min_coverage, .. } = framework.nodes[node].kind else {
        return Ok(scores[node].clone());
    };
    totals.reset(method);
    let columns: Vec<ChildColumn> = framework.nodes[node]
        .children
        .iter()
        .filter(|&&child| framework.nodes[child].scores())
        .map(|&child| {
            let child_node = &framework.nodes[child];
            let weight = child_node.weight;
            ChildColumn {
                child,
                weight,
                max: child_node.range.map_or(f64::NAN, |range| weight * range.high),
                fill: missing_value(framework, child),
                scores: &scores[child],
                applies: (!applies[child].iter().all(|&applies| applies)).then_some(&applies[child][..]),
            }
        })
        .collect();
    // Block by block of units, so that the totals stay in cache while every child adds to them.
    for start in (0..slots.len()).step_by(BLOCK) {
        let range = start..(start + BLOCK).min(slots.len());
        for column in &columns {
            let weight = column.weight;
            let range = range.clone();
            match method {
                Aggregation::Arithmetic | Aggregation::Sum => {
                    totals.add(column, slots, range, |sum, value| sum + weight * value)
                }
                Aggregation::Geometric => {
                    totals.add(column, slots, range, |sum, value| sum + weight * libm::log(value))
                }
                Aggregation::Harmonic => totals.add(column, slots, range, |sum, value| sum + weight / value),
                Aggregation::Generalised(p) => {
                    totals.add(column, slots, range, |sum, value| sum + weight * libm::pow(value, p))
                }
                Aggregation::Minimum => totals.add(column, slots, range, f64::min),
            }
        }
        totals.end_block(range);
    }
    let full = framework.nodes[node].range.map(|range| range.high);
    let mut node_scores = Vec::with_capacity(slots.len());
    for position in 0..slots.len() {
        let (applicable, present, weight, present_max) = totals.of_unit(position);
        if applicable == 0 || present == 0 || f64::from(present) / f64::from(applicable) < min_coverage {
            node_scores.push(f64::NAN);
            continue;
        }
        if let Some(error) = totals.out_of_domain.get_mut(position).and_then(Option::take) {
            return Err((position, error));
        }
        let sum = totals.accumulated[position];
        node_scores.push(match method {
            Aggregation::Arithmetic => sum / weight,
            Aggregation::Sum => sum * rescale(full, present_max),
            Aggregation::Geometric => libm::exp(sum / weight),
            Aggregation::Harmonic => weight / sum,
            Aggregation::Generalised(p) => libm::pow(sum / weight, 1.0 / p),
            Aggregation::Minimum => sum,
        });
    }
    Ok(node_scores)
}
