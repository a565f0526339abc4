//! The whole evaluation as JSON, written as it goes: provenance, then one object per unit.
//!
//! The objects' keys are in alphabetical order (the order a `serde_json::Value` gives),
//! so the bytes are those of the earlier tree-building writer, without the tree: for 3,300
//! units that tree was most of the time `dti publish` spent on open data.

use dti_core::Evaluation;
use dti_core::evaluation::{Contribution, flag_names};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// The evaluation, ready to serialize.
pub struct Document<'a> {
    evaluation: &'a Evaluation,
    /// Aggregate nodes ordered by id (a JSON object's key order), with their ranks.
    nodes: Vec<(usize, Vec<Option<u32>>)>,
}

impl<'a> Document<'a> {
    pub fn new(evaluation: &'a Evaluation) -> Self {
        let framework = &evaluation.framework;
        let mut aggregates = super::aggregate_order(evaluation);
        aggregates.sort_by(|&a, &b| framework.nodes[a].id.cmp(&framework.nodes[b].id));
        // Each node's ranks once, not once per unit.
        let nodes = aggregates.into_iter().map(|node| (node, evaluation.ranks_of(node))).collect();
        Self { evaluation, nodes }
    }
}

#[derive(Serialize)]
struct Top<'a> {
    data_sha256: &'a str,
    engine_version: &'a str,
    framework: FrameworkInfo<'a>,
    period: &'a str,
    scale: Scale,
    screened_out: &'a [String],
    treatment: serde_json::Value,
    units: Units<'a>,
}

#[derive(Serialize)]
struct FrameworkInfo<'a> {
    id: &'a str,
    sha256: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Scale {
    decimals: u8,
    max: f64,
}

struct Units<'a>(&'a Document<'a>);

#[derive(Serialize)]
struct UnitResult<'a> {
    block: Option<&'a str>,
    block_rank: Option<u32>,
    coverage: f64,
    display_score: Option<f64>,
    indicators: Vec<IndicatorResult<'a>>,
    level: Option<&'a str>,
    name: &'a str,
    nodes: Nodes<'a>,
    parent: Option<&'a str>,
    rank: Option<u32>,
    score: Option<f64>,
    unit: &'a str,
}

#[derive(Serialize)]
struct IndicatorResult<'a> {
    contribution: Option<f64>,
    flags: Vec<&'static str>,
    gap: Option<f64>,
    indicator: &'a str,
    score: Option<f64>,
    share: Option<f64>,
}

struct Nodes<'a> {
    document: &'a Document<'a>,
    unit: usize,
}

#[derive(Serialize)]
struct NodeResult {
    max: Option<f64>,
    rank: Option<u32>,
    score: Option<f64>,
    share: Option<f64>,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let evaluation = self.evaluation;
        let framework = &evaluation.framework;
        let provenance = &evaluation.provenance;
        Top {
            data_sha256: &provenance.data_sha256,
            engine_version: &provenance.engine_version,
            framework: FrameworkInfo {
                id: &framework.id,
                sha256: &provenance.framework_sha256,
                version: &framework.version,
            },
            period: &evaluation.period,
            scale: Scale { decimals: framework.scale.decimals, max: framework.scale.max },
            screened_out: &evaluation.screened_out,
            treatment: serde_json::to_value(&evaluation.treatment).map_err(serde::ser::Error::custom)?,
            units: Units(self),
        }
        .serialize(serializer)
    }
}

impl Serialize for Units<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let evaluation = self.0.evaluation;
        let mut seq = serializer.serialize_seq(Some(evaluation.n_units()))?;
        for unit in 0..evaluation.n_units() {
            let info = &evaluation.units[unit];
            let contributions: Vec<Contribution> = evaluation.contributions(unit);
            seq.serialize_element(&UnitResult {
                block: info.block.as_deref(),
                block_rank: evaluation.block_rank[unit],
                coverage: evaluation.coverage[unit],
                display_score: evaluation.display_score(unit),
                indicators: contributions
                    .iter()
                    .map(|c| IndicatorResult {
                        contribution: c.contribution,
                        flags: flag_names(c.flags),
                        gap: c.gap,
                        indicator: &c.indicator,
                        score: c.score,
                        share: c.share,
                    })
                    .collect(),
                level: evaluation.root_level(unit).map(|level| level.id.as_str()),
                name: &info.name,
                nodes: Nodes { document: self.0, unit },
                parent: info.parent.as_deref(),
                rank: evaluation.rank[unit],
                score: evaluation.root_score(unit),
                unit: &info.id,
            })?;
        }
        seq.end()
    }
}

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let evaluation = self.document.evaluation;
        let mut map = serializer.serialize_map(Some(self.document.nodes.len()))?;
        for (node, ranks) in &self.document.nodes {
            let result = NodeResult {
                max: evaluation.framework.nodes[*node].max(),
                rank: ranks[self.unit],
                score: evaluation.score(*node, self.unit),
                share: evaluation.share(*node, self.unit),
            };
            map.serialize_entry(&evaluation.framework.nodes[*node].id, &result)?;
        }
        map.end()
    }
}
