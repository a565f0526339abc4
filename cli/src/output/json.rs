//! The whole evaluation as JSON (`dti-evaluation/2`), said once wherever it can be: the
//! nodes with their ranges once, the units' descriptions once, then one array per result
//! (a node's scores, an indicator's contributions), one entry per unit in the order of
//! `units`. A unit's value of a field is `field[id][position]`.
//!
//! Each top-level member is on its own line, its value compact: 200,000 units of 49
//! indicators make about 0.5 GB instead of the 2.7 GB that one object per unit, indented,
//! made (a key per number).

use dti_core::Evaluation;
use dti_core::evaluation::flag_names;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// The format tag of the document.
pub const FORMAT: &str = "dti-evaluation/2";

/// The evaluation, ready to write.
pub struct Document<'a> {
    evaluation: &'a Evaluation,
}

impl<'a> Document<'a> {
    pub fn new(evaluation: &'a Evaluation) -> Self {
        Self { evaluation }
    }

    /// Writes the document: `{`, one member per line, `}` and a newline.
    pub fn write(&self, sink: &mut dyn Write) -> anyhow::Result<()> {
        let evaluation = self.evaluation;
        let framework = &evaluation.framework;
        let provenance = &evaluation.provenance;
        let n_units = evaluation.n_units();
        let mut members = Members { sink, first: true };
        members.put("format", &FORMAT)?;
        members.put("engine_version", &provenance.engine_version)?;
        members.put(
            "framework",
            &FrameworkInfo { id: &framework.id, version: &framework.version, sha256: &provenance.framework_sha256 },
        )?;
        members.put("data_sha256", &provenance.data_sha256)?;
        members.put("period", &evaluation.period)?;
        members.put("scale", &Scale { max: framework.scale.max, decimals: framework.scale.decimals })?;
        members.put("screened_out", &evaluation.screened_out)?;
        members.put("treatment", &evaluation.treatment)?;
        members.put("notes", &evaluation.notes)?;
        let nodes: Vec<NodeInfo> = framework
            .nodes
            .iter()
            .map(|node| NodeInfo {
                id: &node.id,
                parent: node.parent.map(|parent| framework.nodes[parent].id.as_str()),
                indicator: node.indicator().is_some(),
                min: node.range.map(|range| range.low),
                max: node.range.map(|range| range.high),
            })
            .collect();
        members.put("nodes", &nodes)?;
        let units: Vec<UnitInfo> = (0..n_units)
            .map(|unit| {
                let info = &evaluation.units[unit];
                UnitInfo {
                    unit: &info.id,
                    name: &info.name,
                    block: info.block.as_deref(),
                    parent: info.parent.as_deref(),
                }
            })
            .collect();
        members.put("units", &units)?;
        let column = |value: &dyn Fn(usize) -> Option<f64>| -> Vec<Option<f64>> { (0..n_units).map(value).collect() };
        members.put("rank", &evaluation.rank)?;
        members.put("block_rank", &evaluation.block_rank)?;
        members.put("score", &column(&|unit| evaluation.root_score(unit)))?;
        members.put("display_score", &column(&|unit| evaluation.display_score(unit)))?;
        let levels: Vec<Option<&str>> =
            (0..n_units).map(|unit| evaluation.root_level(unit).map(|level| level.id.as_str())).collect();
        members.put("level", &levels)?;
        members.put("coverage", &evaluation.coverage)?;
        // Values given but refused (they broke their indicator's rule), when any unit has one.
        let refused: Vec<usize> = (0..n_units).map(|unit| evaluation.refused_values(unit)).collect();
        if refused.iter().any(|&count| count > 0) {
            members.put("refused_values", &refused)?;
        }
        // Every node's scores (read where they are, not copied), and the aggregates' ranks
        // (the root's are `rank`).
        let scores: BTreeMap<&str, Column> = (0..framework.nodes.len())
            .map(|node| (framework.nodes[node].id.as_str(), Column(evaluation.node_scores(node))))
            .collect();
        members.put("scores", &scores)?;
        let ranks: BTreeMap<&str, Vec<Option<u32>>> = super::aggregate_order(evaluation)
            .into_iter()
            .map(|node| (framework.nodes[node].id.as_str(), evaluation.ranks_of(node)))
            .collect();
        members.put("ranks", &ranks)?;
        // Each indicator's contribution to the root and the points it could still add, and
        // the flags of its values (names, for the values that have any).
        let indicators = framework.indicator_indices();
        let mut contributions: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut gaps: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut flags: BTreeMap<&str, BTreeMap<usize, Vec<&'static str>>> = BTreeMap::new();
        for &node in &indicators {
            let id = framework.nodes[node].id.as_str();
            contributions.insert(id, Vec::with_capacity(n_units));
            gaps.insert(id, Vec::with_capacity(n_units));
        }
        for unit in 0..n_units {
            for contribution in evaluation.contributions(unit) {
                let Some(node) = framework.node_index(&contribution.indicator) else { continue };
                let id = framework.nodes[node].id.as_str();
                if let Some(column) = contributions.get_mut(id) {
                    column.push(contribution.contribution.unwrap_or(f64::NAN));
                }
                if let Some(column) = gaps.get_mut(id) {
                    column.push(contribution.gap.unwrap_or(f64::NAN));
                }
                if contribution.flags != 0 {
                    flags.entry(id).or_default().insert(unit, flag_names(contribution.flags));
                }
            }
        }
        members.put("contributions", &as_columns(&contributions))?;
        members.put("gaps", &as_columns(&gaps))?;
        members.put("flags", &flags)?;
        members.sink.write_all(b"\n}\n")?;
        Ok(())
    }
}

/// Columns of values to write, by id.
fn as_columns<'m>(map: &'m BTreeMap<&'m str, Vec<f64>>) -> BTreeMap<&'m str, Column<'m>> {
    map.iter().map(|(id, values)| (*id, Column(values))).collect()
}

/// Values, one per unit, `NaN` written as `null` (no value).
struct Column<'a>(&'a [f64]);

impl Serialize for Column<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|value| (!value.is_nan()).then_some(*value)))
    }
}

/// Writes the members of the top-level object, one per line.
struct Members<'a> {
    sink: &'a mut dyn Write,
    first: bool,
}

impl Members<'_> {
    fn put(&mut self, key: &str, value: &impl Serialize) -> anyhow::Result<()> {
        self.sink.write_all(if self.first { b"{\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut *self.sink, key)?;
        self.sink.write_all(b": ")?;
        serde_json::to_writer(&mut *self.sink, value)?;
        Ok(())
    }
}

#[derive(Serialize)]
struct FrameworkInfo<'a> {
    id: &'a str,
    version: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct Scale {
    max: f64,
    decimals: u8,
}

#[derive(Serialize)]
struct NodeInfo<'a> {
    id: &'a str,
    parent: Option<&'a str>,
    indicator: bool,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Serialize)]
struct UnitInfo<'a> {
    unit: &'a str,
    name: &'a str,
    block: Option<&'a str>,
    parent: Option<&'a str>,
}
