//! What changed between two versions of an indicator file, node by node: what an
//! evaluator reads next to the ranking changes the new version causes.

use super::{Framework, Node, NodeKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkChange {
    /// The node, indicator or section changed (`pipeline`, `levels`, `scale`).
    pub id: String,
    /// What changed: `added`, `removed`, `weight`, `max`, `parent`, `scoring`,
    /// `value-type`, `aggregation`, `applies-to`, `info-only`, `pipeline`, `levels`, `scale`.
    pub what: &'static str,
    /// Before and after, in words.
    pub detail: String,
}

/// The differences from `old` to `new`, in the new file's node order (removed nodes
/// last), then the pipeline, scale and levels.
pub fn framework_changes(old: &Framework, new: &Framework) -> Vec<FrameworkChange> {
    let old_nodes: BTreeMap<&str, &Node> = old.nodes.iter().map(|node| (node.id.as_str(), node)).collect();
    let mut changes = Vec::new();
    let mut change = |id: &str, what: &'static str, detail: String| {
        changes.push(FrameworkChange { id: id.to_owned(), what, detail });
    };
    for node in &new.nodes {
        let Some(before) = old_nodes.get(node.id.as_str()) else {
            change(&node.id, "added", parent_text(new, node));
            continue;
        };
        let parent = |framework: &Framework, node: &Node| node.parent.map(|parent| framework.nodes[parent].id.clone());
        if parent(old, before) != parent(new, node) {
            change(&node.id, "parent", format!("{} -> {}", parent_text(old, before), parent_text(new, node)));
        }
        if before.weight != node.weight {
            change(&node.id, "weight", format!("{} -> {}", before.weight, node.weight));
        }
        if before.max() != node.max() {
            change(&node.id, "max", format!("{} -> {}", number_text(before.max()), number_text(node.max())));
        }
        match (&before.kind, &node.kind) {
            (NodeKind::Indicator(a), NodeKind::Indicator(b)) => {
                if json(&a.scoring) != json(&b.scoring) {
                    change(&node.id, "scoring", format!("{} -> {}", json(&a.scoring), json(&b.scoring)));
                }
                if a.value_type != b.value_type {
                    change(&node.id, "value-type", format!("{} -> {}", json(&a.value_type), json(&b.value_type)));
                }
                let blocks = |framework: &Framework, applies: &Option<Vec<usize>>| match applies {
                    None => "all blocks".to_owned(),
                    Some(blocks) => {
                        blocks.iter().map(|&block| framework.blocks[block].id.as_str()).collect::<Vec<_>>().join(", ")
                    }
                };
                if blocks(old, &a.applies_to) != blocks(new, &b.applies_to) {
                    change(
                        &node.id,
                        "applies-to",
                        format!("{} -> {}", blocks(old, &a.applies_to), blocks(new, &b.applies_to)),
                    );
                }
                if a.info_only != b.info_only {
                    change(&node.id, "info-only", format!("{} -> {}", a.info_only, b.info_only));
                }
            }
            (NodeKind::Aggregate { method: a, .. }, NodeKind::Aggregate { method: b, .. }) => {
                if a != b {
                    change(&node.id, "aggregation", format!("{} -> {}", a.name(), b.name()));
                }
            }
            _ => change(&node.id, "value-type", "aggregate <-> indicator".to_owned()),
        }
    }
    let new_ids: BTreeMap<&str, ()> = new.nodes.iter().map(|node| (node.id.as_str(), ())).collect();
    for node in &old.nodes {
        if !new_ids.contains_key(node.id.as_str()) {
            change(&node.id, "removed", parent_text(old, node));
        }
    }
    if json(&old.pipeline) != json(&new.pipeline) {
        change("pipeline", "pipeline", format!("{} -> {}", json(&old.pipeline), json(&new.pipeline)));
    }
    if json(&old.scale) != json(&new.scale) {
        change("scale", "scale", format!("{} -> {}", json(&old.scale), json(&new.scale)));
    }
    let levels = |framework: &Framework| -> Vec<String> {
        framework
            .levels
            .iter()
            .flat_map(|set| {
                set.levels.iter().map(move |level| {
                    format!("{}@{}>={}", level.id, framework.nodes[set.node].id, level.min)
                        + &level
                            .requires
                            .iter()
                            .map(|r| format!(" & {}>={}", framework.nodes[r.node].id, r.min_share))
                            .collect::<String>()
                })
            })
            .collect()
    };
    let (before, after) = (levels(old), levels(new));
    if before != after {
        let gone: Vec<&String> = before.iter().filter(|level| !after.contains(level)).collect();
        let came: Vec<&String> = after.iter().filter(|level| !before.contains(level)).collect();
        let list = |levels: Vec<&String>| {
            if levels.is_empty() {
                "-".to_owned()
            } else {
                levels.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("; ")
            }
        };
        change("levels", "levels", format!("{} -> {}", list(gone), list(came)));
    }
    changes
}

fn parent_text(framework: &Framework, node: &Node) -> String {
    node.parent.map_or_else(|| "(root)".to_owned(), |parent| format!("under {}", framework.nodes[parent].id))
}

fn number_text(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| value.to_string())
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_every_node_that_moved_and_how() {
        let set = crate::builtin::builtin("vn-ministry").expect("built in");
        let old = crate::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
        let edited = set
            .framework
            .replacen("max_points = 30\nevidence = \"required\"\nsource = \"self-reported\"\nscoring = { method = \"goalposts\", lower = 0, upper = 100 }", "max_points = 30\nevidence = \"required\"\nsource = \"self-reported\"\nscoring = { method = \"goalposts\", lower = 0, upper = 80 }", 1)
            .replace("min = 350", "min = 300");
        let new = crate::load_framework("v2.toml", edited.as_bytes());
        let new = new.framework.unwrap_or_else(|| panic!("{:?}", new.diagnostics));
        let changes = framework_changes(&old, &new);
        let what: Vec<(&str, &str)> = changes.iter().map(|change| (change.id.as_str(), change.what)).collect();
        assert!(what.contains(&("cs-security-level-approved", "scoring")), "{what:?}");
        assert!(what.contains(&("levels", "levels")), "{what:?}");
        assert_eq!(what.len(), 2, "{what:?}");
        assert!(framework_changes(&old, &old).is_empty());
    }
}
