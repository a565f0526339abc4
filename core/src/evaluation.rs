//! The result of an evaluation: every unit's score at every node, ranks, levels,
//! coverage, flags, and explanations computed on demand.
//!
//! Scores are stored per node (`scores[node][unit]`), unrounded; ranks are computed on
//! [`Evaluation::ranking_values`]: the published decimals when the framework gives them,
//! else 12 significant digits.

use crate::data::{Dataset, Unit};
use crate::framework::combine::{self, Participation};
use crate::framework::{Framework, NodeKind};
use crate::provenance::Provenance;
use crate::stats::competition_ranks_descending;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Bit flags on each (node, unit) value.
pub mod flags {
    /// No value was given.
    pub const MISSING: u8 = 1;
    /// The value was imputed.
    pub const IMPUTED: u8 = 2;
    /// The value was winsorised.
    pub const WINSORISED: u8 = 4;
    /// The value was log-transformed.
    pub const LOG: u8 = 8;
    /// The indicator does not apply to the unit's block.
    pub const NOT_APPLICABLE: u8 = 16;
    /// The value was carried forward from an earlier period.
    pub const STALE: u8 = 32;
    /// A value was given but refused (it broke its indicator's rule): counted as missing.
    pub const REFUSED: u8 = 64;
}

/// The data after one pipeline stage (kept on request).
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// `raw`, `denominated`, `imputed`, `screened`, `treated` or `normalised`.
    pub name: &'static str,
    /// Dataset unit indices of the columns.
    pub units: Vec<usize>,
    /// One column of values per indicator (in framework order), one entry per unit.
    pub values: Vec<Vec<f64>>,
}

/// The outcome of COINr's `check_SkewKurt`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Check {
    /// Whether the column passes: |skew| below the threshold or kurtosis below its threshold.
    pub pass: bool,
    /// Skewness (e1071 type 2).
    pub skew: f64,
    /// Kurtosis (e1071 type 2).
    pub kurtosis: f64,
}

/// What was done to one indicator.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TreatReport {
    /// The check before treatment (absent with fewer than four values).
    pub before: Option<Check>,
    /// Points winsorised, counted as COINr does (the last high and low passes).
    pub winsorised: Option<u32>,
    /// The check after winsorisation.
    pub after_winsorising: Option<Check>,
    /// Whether the log transform was applied.
    pub log_transformed: bool,
    /// The check after the log transform.
    pub after_log: Option<Check>,
    /// The column was constant before or after winsorising, so skewness and kurtosis are
    /// undefined: as COINr (whose check then returns `NA`), the column is left untreated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub constant: bool,
}

/// An evaluation of one period.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The framework as evaluated (after overrides).
    pub framework: Arc<Framework>,
    /// The period.
    pub period: String,
    /// The evaluated units, in data order.
    pub units: EvaluatedUnits,
    /// Scores per node, one per unit, `NaN` when missing.
    pub scores: Vec<Vec<f64>>,
    /// Flags per node, one per unit (see [`flags`] and [`Evaluation::flag`]); empty for
    /// nodes without any.
    pub flags: Vec<Vec<u8>>,
    /// Rank of the root among all units.
    pub rank: Vec<Option<u32>>,
    /// Rank of the root within the unit's block.
    pub block_rank: Vec<Option<u32>>,
    /// Per level set of the framework, the level index of each unit.
    pub levels: Vec<Vec<Option<u16>>>,
    /// Share of applicable indicators with a value, per unit.
    pub coverage: Vec<f64>,
    /// Units dropped by screening.
    pub screened_out: Vec<String>,
    /// Outlier treatment per indicator id.
    pub treatment: BTreeMap<String, TreatReport>,
    /// Data after every stage, when asked for.
    pub stages: Vec<Stage>,
    /// Engine version and input digests.
    pub provenance: Provenance,
    /// What a reader of the results must be told (an indicator that scored nobody, units
    /// with values but no score).
    pub notes: Vec<Note>,
    applies: Vec<Vec<bool>>,
}

/// Something about an evaluation that its results alone do not show.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Note {
    /// An indicator with values whose scoring rule scored none of them: under min-max, a
    /// column whose values are all equal (nothing to spread between 0 and 1). It is left
    /// out of its parent's aggregation for every unit.
    IndicatorScoredNobody {
        /// The indicator's id.
        indicator: String,
    },
    /// Units with values but no score at the root (a mean that cannot take their values,
    /// every applicable indicator left unscored): they are not ranked.
    UnitsNotScored {
        /// The units' ids (the first 20).
        units: Vec<String>,
        /// How many there are.
        count: usize,
    },
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::IndicatorScoredNobody { indicator } => write!(
                f,
                "indicator `{indicator}` scored no unit (under min-max, its values are all equal): it is left out of its parent's score"
            ),
            Note::UnitsNotScored { units, count } => {
                let more =
                    if *count > units.len() { format!(" and {} more", count - units.len()) } else { String::new() };
                write!(f, "{count} unit(s) have values but no score and are not ranked: {}{more}", units.join(", "))
            }
        }
    }
}

impl Evaluation {
    /// The results of the pipeline, not yet ranked or classified (see `pipeline::rank`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        framework: Arc<Framework>,
        period: String,
        dataset: &Dataset,
        unit_indices: Vec<usize>,
        scores: Vec<Vec<f64>>,
        flags: Vec<Vec<u8>>,
        coverage: Vec<f64>,
        applies: Vec<Vec<bool>>,
    ) -> Self {
        let units = EvaluatedUnits {
            all: std::sync::Arc::clone(&dataset.units),
            indices: unit_indices.iter().map(|&unit| u32::try_from(unit).unwrap_or(u32::MAX)).collect(),
        };
        Self {
            framework,
            period,
            units,
            scores,
            flags,
            rank: Vec::new(),
            block_rank: Vec::new(),
            levels: Vec::new(),
            coverage,
            screened_out: Vec::new(),
            treatment: BTreeMap::new(),
            stages: Vec::new(),
            provenance: Provenance::default(),
            notes: Vec::new(),
            applies,
        }
    }

    /// Number of evaluated units.
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// The flags of a node's value for a unit (see [`flags`]), 0 when it has none.
    pub fn flag(&self, node: usize, unit: usize) -> u8 {
        self.flags.get(node).and_then(|flags| flags.get(unit)).copied().unwrap_or(0)
    }

    /// How many of a unit's values were given but refused ([`flags::REFUSED`]): the
    /// ranking shows the unit flagged.
    pub fn refused_values(&self, unit: usize) -> usize {
        self.flags.iter().filter(|flags| flags.get(unit).is_some_and(|flag| flag & flags::REFUSED != 0)).count()
    }

    /// The scores of a node, one per unit.
    pub fn node_scores(&self, node: usize) -> &[f64] {
        &self.scores[node]
    }

    /// The score of a node for a unit.
    pub fn score(&self, node: usize, unit: usize) -> Option<f64> {
        let value = self.scores[node][unit];
        (!value.is_nan()).then_some(value)
    }

    /// The root score of a unit.
    pub fn root_score(&self, unit: usize) -> Option<f64> {
        self.score(self.framework.root(), unit)
    }

    /// A node's score as a share of its range, from 0 to 1.
    pub fn share(&self, node: usize, unit: usize) -> Option<f64> {
        let range = self.framework.nodes[node].range?;
        range.share(self.score(node, unit)?)
    }

    /// The root's displayed result: share x the scale's maximum (e.g. points out of 1000).
    pub fn display_score(&self, unit: usize) -> Option<f64> {
        let root = self.framework.root();
        match self.framework.nodes[root].range {
            Some(range) if range.low == 0.0 && range.high == self.framework.scale.max => self.root_score(unit),
            Some(_) => self.share(root, unit).map(|share| share * self.framework.scale.max),
            None => self.root_score(unit),
        }
    }

    /// Ranks of any node's scores (competition ranking, highest first, on
    /// [`Evaluation::ranking_values`]).
    pub fn ranks_of(&self, node: usize) -> Vec<Option<u32>> {
        competition_ranks_descending(&self.ranking_values(node))
    }

    /// The units (positions) by block, in the indicator file's block order, then the units
    /// without a known block: the one order every ranking by block is shown in.
    pub fn blocks_in_order(&self) -> Vec<(Option<&str>, Vec<usize>)> {
        let mut blocks: BTreeMap<(usize, Option<&str>), Vec<usize>> = BTreeMap::new();
        for (position, unit) in self.units.iter().enumerate() {
            let block = unit.block.as_deref();
            let order = block.and_then(|block| self.framework.block_index(block)).unwrap_or(usize::MAX);
            blocks.entry((order, block)).or_default().push(position);
        }
        blocks.into_iter().map(|((_, block), members)| (block, members)).collect()
    }

    /// Each unit's rank within its block on a node (competition ranking on
    /// [`Evaluation::ranking_values`]); the root's are [`Evaluation::block_rank`].
    pub fn block_ranks_of(&self, node: usize) -> Vec<Option<u32>> {
        self.ranks_by_block(&self.ranking_values(node), None)
    }

    /// Competition ranks of `values` (one per unit) within each block. `overall`, the
    /// ranks over all units when the caller has them, are the block ranks when every unit
    /// is in one block (no second sort).
    pub(crate) fn ranks_by_block(&self, values: &[f64], overall: Option<&[Option<u32>]>) -> Vec<Option<u32>> {
        let blocks = self.blocks_in_order();
        if blocks.len() <= 1 {
            return overall.map_or_else(|| competition_ranks_descending(values), <[_]>::to_vec);
        }
        let mut ranks = vec![None; self.n_units()];
        for (_, members) in blocks {
            let block_values: Vec<f64> = members.iter().map(|&unit| values[unit]).collect();
            for (&member, rank) in members.iter().zip(competition_ranks_descending(&block_values)) {
                ranks[member] = rank;
            }
        }
        ranks
    }

    /// The values a node's units are ranked on: the root's scores rounded to the indicator
    /// file's `rank_decimals` when it sets them (the DTI ranks the points it publishes, to
    /// 4 decimals); otherwise every score rounded to [`RANK_SIGNIFICANT_DIGITS`]
    /// significant digits, so that two sums of the same points added in another order
    /// (43.98 and 43.979999999999990) share a rank while any real difference still counts.
    pub fn ranking_values(&self, node: usize) -> Vec<f64> {
        let decimals = self.framework.scale.rank_decimals.filter(|_| node == self.framework.root());
        let scores = self.node_scores(node);
        match decimals {
            Some(decimals) => {
                let factor = libm::pow(10.0, f64::from(decimals));
                scores.iter().map(|&value| libm::round(value * factor) / factor).collect()
            }
            // The scores of a node mostly share a decade: its powers of ten are computed
            // once for a run of values in it, not once per value.
            None => {
                let mut decade: Option<Decade> = None;
                scores
                    .iter()
                    .map(|&value| {
                        if value == 0.0 || !value.is_finite() {
                            return value;
                        }
                        let size = libm::fabs(value);
                        let current = match decade {
                            Some(known) if known.contains(size) => known,
                            _ => *decade.insert(Decade::of(size, RANK_SIGNIFICANT_DIGITS)),
                        };
                        current.round(value)
                    })
                    .collect()
            }
        }
    }

    /// The root maturity level of a unit (id and name), if the framework has levels.
    pub fn root_level(&self, unit: usize) -> Option<&crate::framework::Level> {
        let root = self.framework.root();
        let (set_index, set) = self.framework.levels.iter().enumerate().find(|(_, set)| set.node == root)?;
        let level = self.levels[set_index][unit]?;
        set.levels.get(usize::from(level))
    }

    /// The block slot of a unit for applicability tables.
    /// The block slot of a unit: its block's index, or the number of blocks for a unit
    /// without a (known) block. See [`Evaluation::applies_in_slot`].
    pub fn block_slot(&self, unit: usize) -> usize {
        self.units[unit]
            .block
            .as_deref()
            .and_then(|block| self.framework.block_index(block))
            .unwrap_or(self.framework.blocks.len())
    }

    /// Whether a node applies to the units of a block slot (see [`Evaluation::block_slot`]).
    pub fn applies_in_slot(&self, node: usize, slot: usize) -> bool {
        self.applies[node][slot]
    }

    /// Whether a node applies to a unit.
    pub fn applies(&self, node: usize, unit: usize) -> bool {
        self.applies[node][self.block_slot(unit)]
    }

    /// How a unit's children take part in a node's score.
    pub fn participation(&self, node: usize, unit: usize) -> Option<Participation> {
        combine::participation(&self.framework, node, &self.applies, self.block_slot(unit), |child| {
            self.scores[child][unit]
        })
    }

    /// Each indicator's contribution to the root and its gap to full points, in root units.
    /// Exact when every aggregation on the way is linear (sum or arithmetic mean);
    /// `None` for a unit whose path contains another aggregation.
    pub fn contributions(&self, unit: usize) -> Vec<Contribution> {
        let root = self.framework.root();
        let mut effective = vec![0.0; self.framework.nodes.len()];
        let mut linear = vec![false; self.framework.nodes.len()];
        effective[root] = 1.0;
        linear[root] = true;
        for node in (0..self.framework.nodes.len()).rev() {
            let NodeKind::Aggregate { method, .. } = self.framework.nodes[node].kind else { continue };
            if let Some(participation) = self.participation(node, unit) {
                for (child, weight) in participation.children {
                    effective[child] = effective[node] * weight;
                    linear[child] = linear[node] && method.is_linear();
                }
            }
        }
        let mut contributions = Vec::new();
        for node in self.framework.indicator_indices() {
            let info = &self.framework.nodes[node];
            if !info.scores() || !self.applies(node, unit) {
                continue;
            }
            let score = self.score(node, unit);
            let is_linear = linear[node] && effective[node] > 0.0;
            let points = score
                .filter(|_| is_linear)
                .map(|score| effective[node] * (score - info.range.map_or(0.0, |range| range.low)));
            let gap = match (info.range, is_linear) {
                (Some(range), true) => Some(effective[node] * (range.high - score.unwrap_or(range.low))),
                _ => None,
            };
            contributions.push(Contribution {
                indicator: info.id.clone(),
                score,
                share: self.share(node, unit),
                contribution: points,
                gap,
                flags: self.flag(node, unit),
            });
        }
        contributions
    }
}

/// The units of an evaluation: a view into the data set's units, shared, not copied.
#[derive(Debug, Clone)]
pub struct EvaluatedUnits {
    all: std::sync::Arc<[Unit]>,
    indices: Vec<u32>,
}

impl EvaluatedUnits {
    /// Number of evaluated units.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether no unit was evaluated.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The units in evaluation order.
    pub fn iter(&self) -> impl Iterator<Item = &Unit> {
        self.indices.iter().map(|&index| &self.all[index as usize])
    }

    /// The data set's index of the unit at `position`.
    pub fn dataset_index(&self, position: usize) -> usize {
        self.indices[position] as usize
    }
}

impl std::ops::Index<usize> for EvaluatedUnits {
    type Output = Unit;

    fn index(&self, position: usize) -> &Unit {
        &self.all[self.indices[position] as usize]
    }
}

/// One indicator's part in a unit's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Indicator id.
    pub indicator: String,
    /// Its score.
    pub score: Option<f64>,
    /// Its score as a share of its maximum.
    pub share: Option<f64>,
    /// Points it adds to the root (linear aggregations only).
    pub contribution: Option<f64>,
    /// Points the root would gain at the indicator's maximum (linear aggregations only).
    pub gap: Option<f64>,
    /// Flags of the value.
    pub flags: u8,
}

/// Significant digits a score is ranked on when the indicator file sets no
/// `rank_decimals`: a double holds 15 to 17, and sums of the same terms in another order
/// differ in the last two or three.
pub const RANK_SIGNIFICANT_DIGITS: i32 = 12;

/// The value a score is ranked on (see [`Evaluation::ranking_values`]).
pub fn ranking_value(value: f64, decimals: Option<u8>) -> f64 {
    match decimals {
        Some(decimals) => round_to(value, decimals),
        None => round_significant(value, RANK_SIGNIFICANT_DIGITS),
    }
}

/// Rounds half away from zero to `digits` significant digits.
pub fn round_significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    Decade::of(libm::fabs(value), digits).round(value)
}

/// The decade `[10^m, 10^(m + 1))` of a size and how a value in it is rounded to a number
/// of significant digits.
#[derive(Debug, Clone, Copy)]
struct Decade {
    low: f64,
    high: f64,
    /// Decimals kept (negative: tens, hundreds... rounded away).
    decimals: i32,
    /// Ten to the absolute value of `decimals` (ten to a negative power is inexact: a
    /// negative `decimals` divides by the positive power instead).
    factor: f64,
}

impl Decade {
    /// The decade of `size` (positive and finite), for `digits` significant digits.
    fn of(size: f64, digits: i32) -> Self {
        let power = |exponent: i32| libm::pow(10.0, f64::from(exponent));
        // The logarithm may land on the wrong side of a power of ten: checked against it.
        let mut magnitude = libm::floor(libm::log10(size)) as i32;
        if size < power(magnitude) {
            magnitude -= 1;
        } else if size >= power(magnitude + 1) {
            magnitude += 1;
        }
        let decimals = digits - 1 - magnitude;
        Self { low: power(magnitude), high: power(magnitude + 1), decimals, factor: power(decimals.abs()) }
    }

    fn contains(&self, size: f64) -> bool {
        size >= self.low && size < self.high
    }

    fn round(&self, value: f64) -> f64 {
        if self.decimals >= 0 {
            libm::round(value * self.factor) / self.factor
        } else {
            libm::round(value / self.factor) * self.factor
        }
    }
}

/// Rounds half away from zero to `decimals` decimals.
pub fn round_to(value: f64, decimals: u8) -> f64 {
    let factor = libm::pow(10.0, f64::from(decimals));
    libm::round(value * factor) / factor
}

/// The flags set in a flag byte, as a person reads them.
pub fn flag_labels(value: u8, language: crate::text::Language) -> Vec<&'static str> {
    let vi = language == crate::text::Language::Vi;
    let labels = [
        (flags::MISSING, "thiếu số liệu", "missing"),
        (flags::IMPUTED, "giá trị bù", "imputed"),
        (flags::WINSORISED, "đã giới hạn ngoại lai", "winsorised"),
        (flags::LOG, "đã lấy logarit", "log-transformed"),
        (flags::NOT_APPLICABLE, "không áp dụng", "does not apply"),
        (flags::STALE, "lấy từ kỳ trước", "carried forward"),
        (flags::REFUSED, "giá trị bị từ chối", "value refused"),
    ];
    labels
        .iter()
        .filter(|(bit, _, _)| value & bit != 0)
        .map(|(_, vi_label, en)| if vi { *vi_label } else { *en })
        .collect()
}

/// The names of the flags set in a flag byte.
pub fn flag_names(value: u8) -> Vec<&'static str> {
    let names = [
        (flags::MISSING, "missing"),
        (flags::IMPUTED, "imputed"),
        (flags::WINSORISED, "winsorised"),
        (flags::LOG, "log-transformed"),
        (flags::NOT_APPLICABLE, "not-applicable"),
        (flags::STALE, "stale"),
        (flags::REFUSED, "refused"),
    ];
    names.iter().filter(|(bit, _)| value & bit != 0).map(|(_, name)| *name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_to(0.123_456, 4), 0.1235);
        assert_eq!(round_to(-1.5, 0), -2.0);
        assert_eq!(flag_names(flags::IMPUTED | flags::STALE), vec!["imputed", "stale"]);
    }

    #[test]
    fn sums_in_another_order_rank_as_equal_and_real_differences_do_not() {
        let a = [0.1, 0.2, 0.3].iter().sum::<f64>();
        let b = [0.3, 0.2, 0.1].iter().sum::<f64>();
        assert_ne!(a, b, "the sums differ in their last bits");
        assert_eq!(ranking_value(a, None), ranking_value(b, None));
        assert_ne!(ranking_value(43.98, None), ranking_value(43.9801, None));
        assert_ne!(ranking_value(0.000_123_4, None), ranking_value(0.000_123_5, None));
        assert_eq!(ranking_value(1_234.567_891, Some(4)), 1_234.567_9);
        assert_eq!(round_significant(-0.0, 12), 0.0);
        assert_eq!(round_significant(123_456_789_012_345.0, 12), 123_456_789_012_000.0);
        assert_eq!(round_significant(999.999_999_999_9, 12), 1_000.0);
        assert_eq!(round_significant(1_000.000_000_001, 12), 1_000.0);
    }
}
