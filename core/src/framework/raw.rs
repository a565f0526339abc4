//! The indicator file exactly as written: plain serde types, no checking beyond types.
//!
//! [`super::validate`] turns a [`RawFramework`] into a checked [`super::Framework`],
//! collecting every problem. The JSON Schema of the format is generated from these types.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A text in Vietnamese and English, or one plain text used for both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum RawText {
    /// One text for every language.
    Plain(String),
    /// A text per language.
    Localised {
        /// Vietnamese.
        #[serde(default)]
        vi: Option<String>,
        /// English.
        #[serde(default)]
        en: Option<String>,
    },
}

/// An indicator file: identity, scale, pipeline, blocks, the tree and maturity levels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawFramework {
    /// Stable identifier of the indicator set, e.g. `vn-ministry`.
    pub id: Option<String>,
    /// Version of the indicator set, e.g. `2025.1`.
    pub version: Option<String>,
    /// Title in Vietnamese and English.
    pub title: Option<RawText>,
    /// Longer description.
    pub description: Option<RawText>,
    /// How results are shown.
    pub scale: Option<RawScale>,
    /// The data-treatment steps applied before scoring.
    pub pipeline: Option<RawPipeline>,
    /// Unit blocks, e.g. ministries with and without public services.
    #[serde(default)]
    pub blocks: Vec<RawBlock>,
    /// Unit attributes used for grouping (e.g. COINr group columns).
    #[serde(default)]
    pub groups: Vec<RawVariable>,
    /// Denominators that indicators can be divided by.
    #[serde(default)]
    pub denominators: Vec<RawVariable>,
    /// Aggregate nodes: the index, pillars and sub-pillars.
    #[serde(default)]
    pub nodes: Vec<RawNode>,
    /// Indicators: the leaves of the tree.
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
    /// Maturity levels: named bands on the index or on a pillar.
    #[serde(default)]
    pub levels: Vec<RawLevel>,
    /// Monitoring rules: what raises an alert, how urgent it is and what it says.
    #[serde(default)]
    pub alerts: Vec<RawAlert>,
}

/// How results are shown and ranked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawScale {
    /// The maximum of the displayed result, e.g. 1000 points or 100.
    pub max: Option<f64>,
    /// Decimals shown, e.g. 4 for Vietnam's DTI.
    pub decimals: Option<u8>,
    /// Round the index to this many decimals before ranking (as the UN EGDI does).
    pub rank_decimals: Option<u8>,
    /// Name of the unit of the result, e.g. points.
    pub unit: Option<RawText>,
}

/// The optional COINr-style steps, in the order they run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawPipeline {
    /// Divide indicators that name a denominator by it.
    pub denominate: Option<bool>,
    /// Fill missing values.
    pub impute: Option<RawImpute>,
    /// Drop units with too little data.
    pub screen: Option<RawScreen>,
    /// Treat outliers (skew and kurtosis, winsorisation, log fallback).
    pub treat: Option<RawTreat>,
    /// Default scoring of indicators that declare none.
    pub normalise: Option<RawScoring>,
    /// Default aggregation of nodes that declare none.
    pub aggregate: Option<RawAggregation>,
    /// What a missing indicator counts as in aggregation: `skip` or `zero`.
    pub missing: Option<String>,
    /// Default minimum share of children with data for an aggregate to be computed.
    pub min_coverage: Option<f64>,
}

/// Imputation of missing values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawImpute {
    /// `none`, `mean`, `median`, `group-mean`, `group-median` or `previous-period`.
    pub method: Option<String>,
    /// The group attribute for group methods.
    pub group: Option<String>,
}

/// Screening of units by data availability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawScreen {
    /// Units with a smaller share of indicators with data are dropped (0 to 1).
    pub min_coverage: Option<f64>,
}

/// Outlier treatment exactly as COINr's `Treat()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawTreat {
    /// Maximum number of points to winsorise per indicator (COINr `winmax`).
    pub winmax: Option<u32>,
    /// Absolute skewness threshold (COINr `skew_thresh`, default 2).
    pub skew: Option<f64>,
    /// Kurtosis threshold (COINr `kurt_thresh`, default 3.5).
    pub kurtosis: Option<f64>,
    /// What to do when winsorisation is not enough: `log` (COINr `log_CT`) or `none`.
    pub fallback: Option<String>,
}

/// A block of units that are ranked together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawBlock {
    /// Identifier, e.g. `ministry-with-public-services`.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
}

/// A group attribute or a denominator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawVariable {
    /// Identifier: the data column.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
    /// Unit of measure.
    pub unit: Option<RawText>,
}

/// An aggregation method, by name or with parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum RawAggregation {
    /// `sum`, `arithmetic`, `geometric`, `harmonic` or `minimum`.
    Name(String),
    /// A method with parameters, e.g. `{ method = "generalised", p = 2 }`.
    Detailed {
        /// The method name.
        method: String,
        /// The power of a generalised mean.
        p: Option<f64>,
    },
}

/// An aggregate node: the index, a pillar or a sub-pillar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawNode {
    /// Identifier, unique among nodes and indicators.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
    /// Description.
    pub description: Option<RawText>,
    /// The parent node; absent for the root (the index).
    pub parent: Option<String>,
    /// Weight in the parent's aggregation (default 1).
    pub weight: Option<f64>,
    /// Maximum points of the node, checked against its children.
    pub max_points: Option<f64>,
    /// How children are combined.
    pub aggregate: Option<RawAggregation>,
    /// Minimum share of children with data (0 to 1) for the node to be computed.
    pub min_coverage: Option<f64>,
}

/// An indicator: a leaf of the tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawIndicator {
    /// Identifier, unique among nodes and indicators; also the data column.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
    /// Description: what is measured and how.
    pub description: Option<RawText>,
    /// The parent node.
    pub parent: Option<String>,
    /// Unit of measure, e.g. `%` or `systems`.
    pub unit: Option<RawText>,
    /// `number`, `percent`, `count`, `boolean`, `ordinal` or `checklist`.
    #[serde(rename = "type")]
    pub value_type: Option<String>,
    /// Smallest allowed value (numbers and counts).
    pub min: Option<f64>,
    /// Largest allowed value (numbers and counts).
    pub max: Option<f64>,
    /// Labels of an ordinal type, e.g. security levels 1 to 5.
    #[serde(default)]
    pub labels: Vec<RawLabel>,
    /// Items of a checklist type.
    #[serde(default)]
    pub items: Vec<RawItem>,
    /// `higher` (default) or `lower` is better.
    pub direction: Option<String>,
    /// Weight in the parent's aggregation (default 1).
    pub weight: Option<f64>,
    /// Maximum points of the indicator.
    pub max_points: Option<f64>,
    /// Blocks the indicator applies to; all when absent.
    pub applies_to: Option<Vec<String>>,
    /// Collected but scores no points.
    pub info_only: Option<bool>,
    /// `required`, `optional` (default) or `none`.
    pub evidence: Option<String>,
    /// `self-reported` (default), `measured` or `verified`.
    pub source: Option<String>,
    /// A denominator the value is divided by when the pipeline denominates.
    pub denominator: Option<String>,
    /// A target value, shown to units and used by `target` scoring.
    pub target: Option<f64>,
    /// Goalposts for `goalposts` scoring when the scoring does not give them (COINr iMeta columns).
    pub goalposts: Option<RawGoalposts>,
    /// How the value becomes a score.
    pub scoring: Option<RawScoring>,
    /// Whether outlier treatment applies to this indicator (default true).
    pub treat: Option<bool>,
}

/// A label of an ordinal value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawLabel {
    /// The level, e.g. 3.
    pub value: Option<f64>,
    /// Its name.
    pub name: Option<RawText>,
}

/// An item of a checklist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawItem {
    /// Identifier used in data, e.g. `clean`.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
    /// Points for the item with `checklist` scoring (default 1).
    pub points: Option<f64>,
}

/// Goalposts as in COINr's iMeta columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawGoalposts {
    /// The lower goalpost.
    pub lower: Option<f64>,
    /// The upper goalpost.
    pub upper: Option<f64>,
    /// Scale of the result (default 1).
    pub scale: Option<f64>,
    /// Truncate to the goalposts (default true).
    pub truncate: Option<bool>,
}

/// A scoring rule. `method` chooses it; other fields are its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawScoring {
    /// `bands`, `goalposts`, `target`, `minmax`, `zscore`, `prank`, `rank`,
    /// `fraction-of-max`, `boolean`, `levels`, `checklist` or `none`.
    pub method: Option<String>,
    /// Bands for `bands`: value ranges mapped to points.
    pub bands: Option<Vec<RawBand>>,
    /// Lower end of the output for `minmax`.
    pub low: Option<f64>,
    /// Upper end of the output for `minmax`.
    pub high: Option<f64>,
    /// Mean of the output for `zscore`.
    pub mean: Option<f64>,
    /// Standard deviation of the output for `zscore`.
    pub sd: Option<f64>,
    /// Lower goalpost for `goalposts`.
    pub lower: Option<f64>,
    /// Upper goalpost for `goalposts`.
    pub upper: Option<f64>,
    /// Output scale for `goalposts`, `target` and `fraction-of-max`.
    pub scale: Option<f64>,
    /// Truncate to the goalposts (default true).
    pub truncate: Option<bool>,
    /// Target for `target`.
    pub target: Option<f64>,
    /// Cap the score at the target for `target` (default true).
    pub cap: Option<bool>,
    /// Points for yes with `boolean`.
    pub points: Option<f64>,
    /// Points per level for `levels`, keyed by the level value.
    pub levels: Option<BTreeMap<String, f64>>,
}

/// One band of a `bands` scoring: values in `[from, to)` score `points`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawBand {
    /// Lowest value of the band, inclusive; unbounded below when absent.
    pub from: Option<f64>,
    /// Upper end of the band, exclusive; unbounded above when absent.
    pub to: Option<f64>,
    /// Points scored in the band.
    pub points: Option<f64>,
}

/// A maturity level: a named band on a node's score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawLevel {
    /// Identifier, e.g. `A` or `level-3`.
    pub id: Option<String>,
    /// Name.
    pub name: Option<RawText>,
    /// The node whose score is classified; the root when absent.
    pub node: Option<String>,
    /// Lowest score of the level, inclusive, on the node's own score.
    pub min: Option<f64>,
    /// Conditions that must also hold, e.g. cybersecurity at least 60%.
    #[serde(default)]
    pub requires: Vec<RawRequirement>,
}

/// A gating condition of a maturity level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawRequirement {
    /// The node or indicator tested.
    pub node: Option<String>,
    /// Minimum share of its maximum, from 0 to 1.
    pub min_share: Option<f64>,
}

/// A monitoring rule. `kind` says which other fields it reads:
/// `threshold` (`node`, `below` and/or `level_below`), `decline` (`node`, `points`
/// and/or `ranks`), `stale` (`months` and/or `carried`), `missing`, `coverage` (`below`
/// as a share), `target` (`node`, `at_least` or `at_most`, `by`), `outlier` (`node`,
/// `z`), `verification-gap` (`node`, `gap`), `compliance` (`node`, `at_least`,
/// `at_most` and/or `items`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RawAlert {
    /// Identifier, e.g. `low-cybersecurity`.
    pub id: Option<String>,
    /// `info`, `warning` or `critical`.
    pub severity: Option<String>,
    /// The rule's kind (see above).
    pub kind: Option<String>,
    /// What the alert tells a person, in Vietnamese and English.
    pub message: Option<RawText>,
    /// A short name for the rule, in Vietnamese and English (shown where rules are listed;
    /// without it, the rule's kind and node).
    pub name: Option<RawText>,
    /// The node or indicator watched.
    pub node: Option<String>,
    /// Threshold: score below this (points of the node); coverage: share below this.
    pub below: Option<f64>,
    /// Threshold: maturity level (id) that must be reached.
    pub level_below: Option<String>,
    /// Decline: fall of more than this many points.
    pub points: Option<f64>,
    /// Decline: loss of more than this many places.
    pub ranks: Option<u32>,
    /// Stale: evidence older than this many months.
    pub months: Option<u32>,
    /// Stale: values carried forward from an older period.
    pub carried: Option<bool>,
    /// Target or compliance: the value must be at least this.
    pub at_least: Option<f64>,
    /// Target or compliance: the value must be at most this.
    pub at_most: Option<f64>,
    /// Target: the deadline, YYYY-MM-DD.
    pub by: Option<String>,
    /// Outlier: robust z-score above which a score is an outlier (default 3.5).
    pub z: Option<f64>,
    /// Verification gap: largest accepted difference.
    pub gap: Option<f64>,
    /// Compliance: checklist items that must be checked.
    #[serde(default)]
    pub items: Vec<String>,
    /// Blocks the rule watches; all when empty.
    #[serde(default)]
    pub blocks: Vec<String>,
}
