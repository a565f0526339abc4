//! The checked indicator set: the tree, scoring rules, pipeline and maturity levels.
//!
//! An indicator file is read into [`raw::RawFramework`] (exactly as written), then
//! [`validate::validate`] checks it and builds a [`Framework`], collecting every problem
//! as a [`crate::Diagnostic`]. Nodes are stored children-first, so evaluating them in
//! order computes every child before its parent; the root is last.

pub mod alert_rule;
pub mod changes;
pub mod coinr;
pub mod combine;
pub mod edit;
mod json_input;
pub mod load;
pub mod locate;
pub mod raw;
pub mod validate;

use serde::Serialize;

pub use load::{FileFormat, LoadedFramework, load_framework};

/// A text in Vietnamese and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The same text in both languages.
    pub fn plain(text: impl Into<String>) -> Self {
        let text = text.into();
        Self { vi: text.clone(), en: text }
    }

    /// The text in a language.
    pub fn get(&self, language: crate::text::Language) -> &str {
        match language {
            crate::text::Language::Vi => &self.vi,
            crate::text::Language::En => &self.en,
        }
    }
}

/// A checked indicator set.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    /// Stable identifier.
    pub id: String,
    /// Version.
    pub version: String,
    /// Title.
    pub title: Text,
    /// Description.
    pub description: Option<Text>,
    /// How results are shown and ranked.
    pub scale: Scale,
    /// Data-treatment steps.
    pub pipeline: Pipeline,
    /// Unit blocks.
    pub blocks: Vec<Block>,
    /// Group attributes of units (for group imputation).
    pub groups: Vec<String>,
    /// Denominator variables.
    pub denominators: Vec<String>,
    /// All nodes, children before parents; the root is last.
    pub nodes: Vec<Node>,
    /// Maturity levels, per classified node.
    pub levels: Vec<LevelSet>,
    /// Monitoring rules.
    pub alerts: Vec<alert_rule::AlertRule>,
}

/// How results are shown and ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    /// Maximum of the displayed result: display = share x max.
    pub max: f64,
    /// Decimals shown.
    pub decimals: u8,
    /// Round the root score to this many decimals before ranking.
    pub rank_decimals: Option<u8>,
    /// Name of the unit of the result.
    pub unit: Option<Text>,
}

/// The COINr-style data-treatment steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    /// Divide indicators by their denominators.
    pub denominate: bool,
    /// Imputation of missing values.
    pub impute: Impute,
    /// Drop units whose share of indicators with data is below this.
    pub screen: Option<f64>,
    /// Outlier treatment.
    pub treat: Option<Treat>,
    /// What a missing indicator counts as in aggregation.
    pub missing: Missing,
}

/// How missing values are filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method", content = "group")]
pub enum Impute {
    /// Left missing.
    None,
    /// Mean of the indicator over units with data.
    Mean,
    /// Median of the indicator over units with data.
    Median,
    /// Mean over units of the same group.
    GroupMean(String),
    /// Median over units of the same group.
    GroupMedian(String),
    /// The unit's value from its latest earlier period.
    PreviousPeriod,
}

/// Outlier treatment parameters, as COINr's `Treat()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Treat {
    /// Maximum winsorised points.
    pub winmax: u32,
    /// Absolute skewness threshold.
    pub skew: f64,
    /// Kurtosis threshold.
    pub kurtosis: f64,
    /// Apply COINr's `log_CT` to the original values when winsorisation is not enough.
    pub log_fallback: bool,
}

impl Default for Treat {
    fn default() -> Self {
        Self { winmax: 5, skew: 2.0, kurtosis: 3.5, log_fallback: true }
    }
}

/// What a missing indicator counts as in aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// Left out; the weights of the others are renormalised (COINr).
    Skip,
    /// Scores the lowest score of its rule, e.g. 0 points (Vietnam's DTI).
    Zero,
}

/// A block of units ranked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: Text,
}

/// A node of the tree: an aggregate or an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Description.
    pub description: Option<Text>,
    /// Index of the parent in [`Framework::nodes`].
    pub parent: Option<usize>,
    /// Indices of the children.
    pub children: Vec<usize>,
    /// Weight in the parent's aggregation.
    pub weight: f64,
    /// Depth from the root (root = 0).
    pub depth: u32,
    /// The range its score can take, when bounded.
    pub range: Option<ScoreRange>,
    /// Aggregate or indicator.
    pub kind: NodeKind,
}

impl Node {
    /// The indicator, if this node is one.
    pub fn indicator(&self) -> Option<&Indicator> {
        match &self.kind {
            NodeKind::Indicator(indicator) => Some(indicator),
            NodeKind::Aggregate { .. } => None,
        }
    }

    /// Whether the node contributes to its parent (info-only indicators do not).
    pub fn scores(&self) -> bool {
        self.indicator().is_none_or(|indicator| !indicator.info_only)
    }

    /// The maximum of the node's score, when bounded.
    pub fn max(&self) -> Option<f64> {
        self.range.map(|range| range.high)
    }
}

/// The closed range a score can take.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreRange {
    /// Lowest possible score.
    pub low: f64,
    /// Highest possible score.
    pub high: f64,
}

impl ScoreRange {
    /// Where a score lies in the range, from 0 to 1.
    pub fn share(&self, score: f64) -> Option<f64> {
        let width = self.high - self.low;
        (width > 0.0).then(|| (score - self.low) / width)
    }
}

/// What a node is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum NodeKind {
    /// Combines its children.
    Aggregate {
        /// How.
        method: Aggregation,
        /// Minimum share of children with data.
        min_coverage: f64,
        /// Declared maximum points.
        max_points: Option<f64>,
    },
    /// A leaf with data.
    Indicator(Box<Indicator>),
}

/// How an aggregate combines its children's scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method", content = "p")]
pub enum Aggregation {
    /// Weighted sum (points add up).
    Sum,
    /// Weighted arithmetic mean.
    Arithmetic,
    /// Weighted geometric mean (needs positive values).
    Geometric,
    /// Weighted harmonic mean (needs positive values).
    Harmonic,
    /// Weighted generalised (power) mean with exponent p.
    Generalised(f64),
    /// The smallest child score.
    Minimum,
}

impl Aggregation {
    /// Whether the aggregation needs strictly positive values.
    pub fn needs_positive(self) -> bool {
        match self {
            Aggregation::Geometric | Aggregation::Harmonic => true,
            Aggregation::Generalised(p) => p <= 0.0,
            _ => false,
        }
    }

    /// The name used in indicator files.
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Arithmetic => "arithmetic",
            Aggregation::Geometric => "geometric",
            Aggregation::Harmonic => "harmonic",
            Aggregation::Generalised(_) => "generalised",
            Aggregation::Minimum => "minimum",
        }
    }

    /// Whether an indicator's contribution to the score is linear (so contributions add up).
    pub fn is_linear(self) -> bool {
        matches!(self, Aggregation::Sum | Aggregation::Arithmetic)
    }

    /// The range of the aggregate of children with these (weight, range) pairs.
    pub fn range(self, children: &[(f64, ScoreRange)]) -> Option<ScoreRange> {
        if children.is_empty() {
            return None;
        }
        let lows = || children.iter().map(|(_, range)| range.low);
        let highs = || children.iter().map(|(_, range)| range.high);
        Some(match self {
            Aggregation::Sum => ScoreRange {
                low: children.iter().map(|(weight, range)| weight * range.low).sum(),
                high: children.iter().map(|(weight, range)| weight * range.high).sum(),
            },
            Aggregation::Minimum => {
                ScoreRange { low: lows().fold(f64::INFINITY, f64::min), high: highs().fold(f64::INFINITY, f64::min) }
            }
            // Every mean lies between the smallest and the largest child.
            _ => ScoreRange {
                low: lows().fold(f64::INFINITY, f64::min),
                high: highs().fold(f64::NEG_INFINITY, f64::max),
            },
        })
    }
}

/// Everything about an indicator beyond its place in the tree.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Unit of measure.
    pub unit: Option<Text>,
    /// What kind of value it takes.
    pub value_type: ValueType,
    /// Which direction is better.
    pub direction: Direction,
    /// Blocks it applies to (indices into [`Framework::blocks`]); all when `None`.
    pub applies_to: Option<Vec<usize>>,
    /// Collected but scores no points.
    pub info_only: bool,
    /// Whether evidence is required.
    pub evidence: Evidence,
    /// Where the value comes from.
    pub source: Source,
    /// Denominator (index into [`Framework::denominators`]).
    pub denominator: Option<usize>,
    /// Target value.
    pub target: Option<f64>,
    /// Goalposts from COINr iMeta columns.
    pub goalposts: Option<Goalposts>,
    /// How the value becomes a score.
    pub scoring: Scoring,
    /// Whether outlier treatment applies.
    pub treat: bool,
}

impl Indicator {
    /// The range of the indicator's score, when bounded (beside [`ValueType::range`], the
    /// range of its values).
    pub fn range(&self) -> Option<ScoreRange> {
        let non_negative = self.value_type.never_negative();
        let ordered = |a: f64, b: f64| ScoreRange { low: a.min(b), high: a.max(b) };
        match &self.scoring {
            Scoring::None => self.value_type.range(),
            Scoring::Bands { bands } => {
                let low = bands.iter().map(|band| band.points).fold(f64::INFINITY, f64::min);
                let high = bands.iter().map(|band| band.points).fold(f64::NEG_INFINITY, f64::max);
                (low <= high).then_some(ScoreRange { low, high })
            }
            Scoring::Goalposts(goalposts) => goalposts.truncate.then(|| ordered(0.0, goalposts.scale)),
            Scoring::Target { scale, cap, .. } => {
                cap.then(|| ordered(f64::min(0.0, *scale), *scale)).filter(|_| non_negative)
            }
            Scoring::MinMax { low, high } => Some(ScoreRange { low: *low, high: *high }),
            Scoring::ZScore { .. } | Scoring::Rank => None,
            Scoring::PercentileRank => Some(ScoreRange { low: 0.0, high: 1.0 }),
            Scoring::FractionOfMax { scale } => non_negative.then(|| ordered(0.0, *scale)),
            Scoring::Boolean { points } => Some(ordered(0.0, *points)),
            Scoring::Levels { points } => {
                let low = points.iter().map(|(_, p)| *p).fold(f64::INFINITY, f64::min);
                let high = points.iter().map(|(_, p)| *p).fold(f64::NEG_INFINITY, f64::max);
                (low <= high).then_some(ScoreRange { low, high })
            }
            Scoring::Checklist => self.value_type.range(),
        }
    }

    /// Whether the indicator applies to a unit of the given block index.
    pub fn applies_to_block(&self, block: Option<usize>) -> bool {
        match (&self.applies_to, block) {
            (None, _) => true,
            (Some(blocks), Some(block)) => blocks.contains(&block),
            (Some(_), None) => false,
        }
    }
}

/// The kind of value an indicator takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum ValueType {
    /// Any number, optionally bounded.
    Number {
        /// Smallest allowed.
        min: Option<f64>,
        /// Largest allowed.
        max: Option<f64>,
    },
    /// A percentage from 0 to 100.
    Percent,
    /// A whole number, at least 0.
    Count {
        /// Largest allowed.
        max: Option<f64>,
    },
    /// Yes (1) or no (0).
    Boolean,
    /// An ordered level with labels.
    Ordinal {
        /// The labels, in increasing order of value.
        labels: Vec<Label>,
    },
    /// A list of items, each done or not; the value is the sum of the done items' points.
    Checklist {
        /// The items.
        items: Vec<Item>,
    },
}

impl ValueType {
    /// Whether every value of the type is 0 or more.
    pub fn never_negative(&self) -> bool {
        match self {
            ValueType::Percent | ValueType::Count { .. } | ValueType::Boolean | ValueType::Checklist { .. } => true,
            ValueType::Number { min: Some(min), .. } => *min >= 0.0,
            _ => false,
        }
    }

    /// The range of values the type allows, when bounded on both sides.
    pub fn range(&self) -> Option<ScoreRange> {
        match self {
            ValueType::Number { min: Some(low), max: Some(high) } => Some(ScoreRange { low: *low, high: *high }),
            ValueType::Number { .. } => None,
            ValueType::Percent => Some(ScoreRange { low: 0.0, high: 100.0 }),
            ValueType::Count { max } => max.map(|high| ScoreRange { low: 0.0, high }),
            ValueType::Boolean => Some(ScoreRange { low: 0.0, high: 1.0 }),
            ValueType::Ordinal { labels } => {
                let low = labels.iter().map(|label| label.value).fold(f64::INFINITY, f64::min);
                let high = labels.iter().map(|label| label.value).fold(f64::NEG_INFINITY, f64::max);
                (low <= high).then_some(ScoreRange { low, high })
            }
            ValueType::Checklist { items } => {
                Some(ScoreRange { low: 0.0, high: items.iter().map(|item| item.points).sum() })
            }
        }
    }

    /// The lowest and highest allowed values, each possibly unbounded.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        match self {
            ValueType::Number { min, max } => (*min, *max),
            ValueType::Count { max } => (Some(0.0), *max),
            other => other.range().map_or((None, None), |range| (Some(range.low), Some(range.high))),
        }
    }

    /// The name used in indicator files.
    pub fn name(&self) -> &'static str {
        match self {
            ValueType::Number { .. } => "number",
            ValueType::Percent => "percent",
            ValueType::Count { .. } => "count",
            ValueType::Boolean => "boolean",
            ValueType::Ordinal { .. } => "ordinal",
            ValueType::Checklist { .. } => "checklist",
        }
    }
}

/// A label of an ordinal level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// The level.
    pub value: f64,
    /// Its name.
    pub name: Text,
}

/// An item of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Identifier used in data.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Points with checklist scoring.
    pub points: f64,
}

/// Which direction of an indicator is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Higher values are better.
    Higher,
    /// Lower values are better.
    Lower,
}

impl Direction {
    /// +1 or -1, as COINr's Direction column.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Higher => 1.0,
            Direction::Lower => -1.0,
        }
    }
}

/// Whether evidence is required with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// A value without evidence is flagged.
    Required,
    /// Evidence may be given.
    Optional,
    /// No evidence is collected.
    None,
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Reported by the unit itself.
    SelfReported,
    /// Measured by a system.
    Measured,
    /// Verified by the evaluator.
    Verified,
}

/// Goalposts (COINr `n_goalposts`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Goalposts {
    /// Lower goalpost.
    pub lower: f64,
    /// Upper goalpost.
    pub upper: f64,
    /// Scale of the result.
    pub scale: f64,
    /// Truncate to the goalposts.
    pub truncate: bool,
}

/// How an indicator's value becomes its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Scoring {
    /// The value itself.
    None,
    /// Value ranges mapped to points.
    Bands {
        /// The bands, sorted by their lower end.
        bands: Vec<Band>,
    },
    /// Fixed goalposts, as EU DESI and COINr `n_goalposts`.
    Goalposts(Goalposts),
    /// Distance to a target (COINr `n_dist2targ`), times `scale`.
    Target {
        /// The target.
        target: f64,
        /// Output scale.
        scale: f64,
        /// Cap at the target.
        cap: bool,
    },
    /// Min-max across units onto `[low, high]`.
    MinMax {
        /// Output for the worst unit.
        low: f64,
        /// Output for the best unit.
        high: f64,
    },
    /// Z-score with the given mean and standard deviation.
    ZScore {
        /// Output mean.
        mean: f64,
        /// Output standard deviation.
        sd: f64,
    },
    /// Percentile rank from 0 to 1 (COINr `n_prank`).
    PercentileRank,
    /// Rank, higher values ranked higher (COINr `n_rank`).
    Rank,
    /// Value over the best value, times `scale`.
    FractionOfMax {
        /// Output scale.
        scale: f64,
    },
    /// Points for yes.
    Boolean {
        /// Points.
        points: f64,
    },
    /// Points per ordinal level.
    Levels {
        /// Points by level value.
        points: Vec<(f64, f64)>,
    },
    /// The sum of the checked items' points (the value itself).
    Checklist,
}

impl Scoring {
    /// The name used in indicator files.
    pub fn name(&self) -> &'static str {
        match self {
            Scoring::None => "none",
            Scoring::Bands { .. } => "bands",
            Scoring::Goalposts(_) => "goalposts",
            Scoring::Target { .. } => "target",
            Scoring::MinMax { .. } => "minmax",
            Scoring::ZScore { .. } => "zscore",
            Scoring::PercentileRank => "prank",
            Scoring::Rank => "rank",
            Scoring::FractionOfMax { .. } => "fraction-of-max",
            Scoring::Boolean { .. } => "boolean",
            Scoring::Levels { .. } => "levels",
            Scoring::Checklist => "checklist",
        }
    }

    /// Whether the score of a unit depends on the other units' values.
    pub fn is_relative(&self) -> bool {
        matches!(
            self,
            Scoring::Target { .. }
                | Scoring::MinMax { .. }
                | Scoring::ZScore { .. }
                | Scoring::PercentileRank
                | Scoring::Rank
                | Scoring::FractionOfMax { .. }
        )
    }
}

/// A band: values in `[from, to)` score `points`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// Inclusive lower end; unbounded when `None`.
    pub from: Option<f64>,
    /// Exclusive upper end; unbounded when `None`. The last band also includes its end.
    pub to: Option<f64>,
    /// Points.
    pub points: f64,
}

/// The maturity levels of one node, lowest first.
#[derive(Debug, Clone, Serialize)]
pub struct LevelSet {
    /// Index of the classified node.
    pub node: usize,
    /// Levels in increasing order of `min`.
    pub levels: Vec<Level>,
}

/// A maturity level.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Lowest score of the level, inclusive.
    pub min: f64,
    /// Conditions that must also hold.
    pub requires: Vec<Requirement>,
}

/// A gating condition: a node's share at least `min_share`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Requirement {
    /// Index of the node.
    pub node: usize,
    /// Minimum share, from 0 to 1.
    pub min_share: f64,
}

impl Framework {
    /// Whether any indicator is scored relative to the other units (min-max, z-scores,
    /// ranks): then a unit's score depends on the units beside it.
    pub fn scores_relatively(&self) -> bool {
        self.nodes.iter().filter_map(Node::indicator).any(|indicator| indicator.scoring.is_relative())
    }

    /// Computes every aggregate's range from its scored children, children first.
    pub fn compute_ranges(&mut self) {
        for index in 0..self.nodes.len() {
            let NodeKind::Aggregate { method, .. } = self.nodes[index].kind else { continue };
            let children: Option<Vec<(f64, ScoreRange)>> = self.nodes[index]
                .children
                .iter()
                .filter(|&&child| self.nodes[child].scores())
                .map(|&child| self.nodes[child].range.map(|range| (self.nodes[child].weight, range)))
                .collect();
            self.nodes[index].range = children.and_then(|children| method.range(&children));
        }
    }

    /// Index of the root node.
    pub fn root(&self) -> usize {
        self.nodes.len() - 1
    }

    /// Looks up a node by id.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|node| node.id == id)
    }

    /// Indices of the indicator nodes, in tree order.
    pub fn indicator_indices(&self) -> Vec<usize> {
        self.nodes.iter().enumerate().filter(|(_, node)| node.indicator().is_some()).map(|(index, _)| index).collect()
    }

    /// Indices of the aggregate nodes, children first; the root is last.
    pub fn aggregate_indices(&self) -> Vec<usize> {
        self.nodes.iter().enumerate().filter(|(_, node)| node.indicator().is_none()).map(|(index, _)| index).collect()
    }

    /// Looks up a block by id.
    pub fn block_index(&self, id: &str) -> Option<usize> {
        self.blocks.iter().position(|block| block.id == id)
    }

    /// The level set of the root, if any.
    pub fn root_levels(&self) -> Option<&LevelSet> {
        self.levels.iter().find(|set| set.node == self.root())
    }
}

/// Messages name nodes, indicators and blocks by their names in the indicator file.
impl crate::message::Names for Framework {
    fn node(&self, id: &str, language: crate::text::Language) -> Option<&str> {
        self.node_index(id).map(|index| self.nodes[index].name.get(language))
    }

    fn block(&self, id: &str, language: crate::text::Language) -> Option<&str> {
        self.block_index(id).map(|index| self.blocks[index].name.get(language))
    }
}
