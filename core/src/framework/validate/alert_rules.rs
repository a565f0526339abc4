//! Checking `[[alerts]]`: every rule's kind, the fields its kind reads, and the nodes,
//! levels, blocks and items it names.

use super::{Checker, closest, root_path};
use crate::diag::Code;
use crate::framework::alert_rule::{AlertRule, AlertSeverity, Bound, RuleKind};
use crate::framework::locate::FieldPath;
use crate::framework::raw::RawAlert;
use crate::framework::{Block, LevelSet, Node, ValueType};
use crate::message::{Arg, Message};
use std::collections::BTreeSet;

/// The fields of a rule besides `id`, `severity`, `kind`, `message` and `blocks`, and
/// whether each is set.
fn fields(raw: &RawAlert) -> [(&'static str, bool); 13] {
    [
        ("node", raw.node.is_some()),
        ("below", raw.below.is_some()),
        ("level_below", raw.level_below.is_some()),
        ("points", raw.points.is_some()),
        ("ranks", raw.ranks.is_some()),
        ("months", raw.months.is_some()),
        ("carried", raw.carried.is_some()),
        ("at_least", raw.at_least.is_some()),
        ("at_most", raw.at_most.is_some()),
        ("by", raw.by.is_some()),
        ("z", raw.z.is_some()),
        ("gap", raw.gap.is_some()),
        ("items", !raw.items.is_empty()),
    ]
}

/// The fields each kind reads.
fn reads(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "threshold" => &["node", "below", "level_below"],
        "decline" => &["node", "points", "ranks"],
        "stale" => &["months", "carried"],
        "missing" => &[],
        "coverage" => &["below"],
        "target" => &["node", "at_least", "at_most", "by"],
        "outlier" => &["node", "z"],
        "verification-gap" => &["node", "gap"],
        "compliance" => &["node", "at_least", "at_most", "items"],
        _ => return None,
    })
}

impl Checker<'_, '_> {
    pub(super) fn alerts(
        &mut self,
        raw: &[RawAlert],
        nodes: &[Node],
        blocks: &[Block],
        levels: &[LevelSet],
    ) -> Vec<AlertRule> {
        let mut seen = BTreeSet::new();
        let mut rules = Vec::new();
        for (index, rule) in raw.iter().enumerate() {
            let path = root_path().key("alerts").index(index);
            let Some(id) = self.id(&rule.id, &path, Message::WhatAnAlert {}) else { continue };
            if !seen.insert(id.clone()) {
                self.error(Code::DuplicateId, Message::AlertTwice { id: Arg::code(&id) }, &path.key("id"));
                continue;
            }
            if let Some(rule) = self.alert(&id, rule, &path, nodes, blocks, levels) {
                rules.push(rule);
            }
        }
        rules
    }

    fn alert(
        &mut self,
        id: &str,
        raw: &RawAlert,
        path: &FieldPath,
        nodes: &[Node],
        blocks: &[Block],
        levels: &[LevelSet],
    ) -> Option<AlertRule> {
        // A bad severity is reported with whatever else is wrong with the rule, not alone.
        let severity = match raw.severity.as_deref() {
            None => Some(AlertSeverity::Warning),
            Some(name) => match AlertSeverity::from_name(name) {
                Some(severity) => Some(severity),
                None => {
                    self.error_hint(
                        Code::BadAlert,
                        Message::AlertSeverityUnknown { id: Arg::code(id), severity: Arg::given(name) },
                        &path.key("severity"),
                        Message::HintSeverities {},
                    );
                    None
                }
            },
        };
        let Some(kind_name) = raw.kind.as_deref() else {
            self.error_hint(
                Code::MissingField,
                Message::AlertNoKind { id: Arg::code(id) },
                path,
                Message::HintAlertKinds { kinds: Arg::text(RuleKind::NAMES) },
            );
            return None;
        };
        let Some(read) = reads(kind_name) else {
            self.error_hint(
                Code::BadAlert,
                Message::AlertKindUnknown { id: Arg::code(id), kind: Arg::given(kind_name) },
                &path.key("kind"),
                Message::HintAlertKinds { kinds: Arg::text(RuleKind::NAMES) },
            );
            return None;
        };
        for (field, set) in fields(raw) {
            if set && !read.contains(&field) {
                self.warning(
                    Code::UnusedParameter,
                    Message::AlertFieldUnused { kind: Arg::text(kind_name), field: Arg::code(field) },
                    &path.key(field),
                    Some(if read.is_empty() {
                        Message::HintRuleReadsNothing { kind: Arg::text(kind_name) }
                    } else {
                        Message::HintRuleReads {
                            kind: Arg::text(kind_name),
                            fields: Arg::List(read.iter().map(|field| Arg::text(*field)).collect()),
                        }
                    }),
                );
            }
        }
        if raw.message.is_none() {
            self.error_hint(
                Code::MissingField,
                Message::AlertNoMessage { id: Arg::code(id) },
                path,
                Message::HintAlertMessage {},
            );
        }
        let message = Self::text(&raw.message, id);
        let mut block_indices = Vec::new();
        for (position, block) in raw.blocks.iter().enumerate() {
            match blocks.iter().position(|known| &known.id == block) {
                Some(index) => block_indices.push(index),
                None => self.error(
                    Code::UnknownBlock,
                    Message::AlertBlockUnknown { id: Arg::code(id), block: Arg::code(block) },
                    &path.key("blocks").index(position),
                ),
            }
        }
        let kind = self.rule_kind(id, kind_name, raw, path, nodes, levels);
        let (severity, kind) = (severity?, kind?);
        (raw.message.is_some() && block_indices.len() == raw.blocks.len()).then(|| AlertRule {
            id: id.to_owned(),
            severity,
            message,
            name: raw.name.as_ref().map(|name| Self::text(&Some(name.clone()), id)),
            blocks: block_indices,
            kind,
        })
    }

    fn rule_kind(
        &mut self,
        id: &str,
        kind: &str,
        raw: &RawAlert,
        path: &FieldPath,
        nodes: &[Node],
        levels: &[LevelSet],
    ) -> Option<RuleKind> {
        let needs_indicator = matches!(kind, "target" | "verification-gap" | "compliance");
        let node = if reads(kind).is_some_and(|read| read.contains(&"node")) {
            Some(self.alert_node(id, raw, path, nodes, needs_indicator)?)
        } else {
            None
        };
        let node_index = node.unwrap_or(0);
        match kind {
            "threshold" => {
                let below = self.finite(raw.below, &path.key("below"), "below");
                let level_below = match &raw.level_below {
                    None => None,
                    Some(level) => Some(self.alert_level(id, level, node_index, path, nodes, levels)?),
                };
                if below.is_none() && level_below.is_none() {
                    self.one_of(id, path, "below = 500, level_below = \"level-3\"")?;
                }
                Some(RuleKind::Threshold { node: node_index, below, level_below })
            }
            "decline" => {
                let points = self.non_negative(raw.points, &path.key("points"), "points");
                if points.is_none() && raw.ranks.is_none() {
                    self.one_of(id, path, "points = 50, ranks = 5")?;
                }
                Some(RuleKind::Decline { node: node_index, points, ranks: raw.ranks })
            }
            "stale" => {
                let carried = raw.carried.unwrap_or(false);
                if raw.months.is_none() && !carried {
                    self.one_of(id, path, "months = 12, carried = true")?;
                }
                Some(RuleKind::Stale { months: raw.months, carried })
            }
            "missing" => Some(RuleKind::Missing),
            "coverage" => {
                let Some(below) = self.share(raw.below, &path.key("below"), "below") else {
                    if raw.below.is_none() {
                        self.one_of(id, path, "below = 0.8")?;
                    }
                    return None;
                };
                Some(RuleKind::Coverage { below })
            }
            "target" => {
                let (target, bound) = match (raw.at_least, raw.at_most) {
                    (Some(value), None) => (value, Bound::AtLeast),
                    (None, Some(value)) => (value, Bound::AtMost),
                    _ => {
                        self.error_hint(
                            Code::BadAlert,
                            Message::TargetOneBound { id: Arg::code(id) },
                            path,
                            Message::HintExample { example: Arg::code("at_least = 80, by = \"2025-12-31\"") },
                        );
                        return None;
                    }
                };
                let target = self.finite(Some(target), path, "target")?;
                let Some(by) = &raw.by else {
                    self.error_hint(
                        Code::MissingField,
                        Message::TargetNoDeadline { id: Arg::code(id) },
                        path,
                        Message::HintExample { example: Arg::code("by = \"2025-12-31\"") },
                    );
                    return None;
                };
                match by.parse() {
                    Ok(by) => Some(RuleKind::Target { node: node_index, target, bound, by }),
                    Err(_) => {
                        self.error_hint(
                            Code::BadAlert,
                            Message::NotADate { value: Arg::given(by) },
                            &path.key("by"),
                            Message::HintDateFormat {},
                        );
                        None
                    }
                }
            }
            "outlier" => {
                let z = raw.z.unwrap_or(3.5);
                if !(z.is_finite() && z > 0.0) {
                    let message = Message::MustBePositive { name: Arg::code("z"), value: Arg::Number(z) };
                    self.error(Code::BadNumber, message, &path.key("z"));
                    return None;
                }
                Some(RuleKind::Outlier { node: node_index, z })
            }
            "verification-gap" => {
                let Some(gap) = self.non_negative(raw.gap, &path.key("gap"), "gap") else {
                    if raw.gap.is_none() {
                        self.one_of(id, path, "gap = 10")?;
                    }
                    return None;
                };
                Some(RuleKind::VerificationGap { node: node_index, gap })
            }
            "compliance" => {
                let at_least = self.finite(raw.at_least, &path.key("at_least"), "at_least");
                let at_most = self.finite(raw.at_most, &path.key("at_most"), "at_most");
                let items = self.alert_items(id, raw, path, &nodes[node_index]);
                if at_least.is_none() && at_most.is_none() && items.is_empty() {
                    self.one_of(id, path, "at_least = 100, at_most = 0, items = [\"correct\", \"clean\"]")?;
                }
                Some(RuleKind::Compliance { node: node_index, at_least, at_most, items })
            }
            _ => None,
        }
    }

    /// Reports that a rule sets none of the fields it needs; always `None`.
    fn one_of(&mut self, id: &str, path: &FieldPath, example: &str) -> Option<()> {
        self.error_hint(
            Code::MissingField,
            Message::AlertNothingToCheck { id: Arg::code(id) },
            path,
            Message::HintOneOf { example: Arg::code(example) },
        );
        None
    }

    fn non_negative(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        let value = self.finite(value, path, name)?;
        if value < 0.0 {
            self.error(
                Code::BadNumber,
                Message::MustNotBeNegative { name: Arg::code(name), value: Arg::Number(value) },
                path,
            );
            return None;
        }
        Some(value)
    }

    fn alert_node(
        &mut self,
        id: &str,
        raw: &RawAlert,
        path: &FieldPath,
        nodes: &[Node],
        needs_indicator: bool,
    ) -> Option<usize> {
        let Some(name) = &raw.node else {
            self.error_hint(
                Code::MissingField,
                Message::AlertNoNode { id: Arg::code(id) },
                path,
                Message::HintAlertNode {},
            );
            return None;
        };
        let Some(index) = nodes.iter().position(|node| &node.id == name) else {
            let hint = closest(name, nodes.iter().map(|node| &node.id))
                .map(|near| Message::HintDidYouMean { name: Arg::code(near) });
            self.report(
                crate::diag::Severity::Error,
                Code::UnknownReference,
                Message::AlertNodeUnknown { id: Arg::code(id), node: Arg::code(name) },
                &path.key("node"),
                hint,
            );
            return None;
        };
        if needs_indicator && nodes[index].indicator().is_none() {
            self.error_hint(
                Code::BadAlert,
                Message::AlertNotIndicator { id: Arg::code(id), node: Arg::code(name) },
                &path.key("node"),
                Message::HintAlertIndicator {},
            );
            return None;
        }
        Some(index)
    }

    fn alert_level(
        &mut self,
        id: &str,
        level: &str,
        node: usize,
        path: &FieldPath,
        nodes: &[Node],
        levels: &[LevelSet],
    ) -> Option<(usize, usize)> {
        let found = levels.iter().enumerate().find(|(_, set)| set.node == node).and_then(|(set_index, set)| {
            set.levels.iter().position(|known| known.id == level).map(|level_index| (set_index, level_index))
        });
        if found.is_none() {
            self.error_hint(
                Code::UnknownReference,
                Message::AlertLevelUnknown {
                    id: Arg::code(id),
                    level: Arg::code(level),
                    node: Arg::code(&nodes[node].id),
                },
                &path.key("level_below"),
                Message::HintAlertLevel {},
            );
        }
        found
    }

    fn alert_items(&mut self, id: &str, raw: &RawAlert, path: &FieldPath, node: &Node) -> Vec<String> {
        if raw.items.is_empty() {
            return Vec::new();
        }
        let declared: Vec<&String> = match node.indicator().map(|indicator| &indicator.value_type) {
            Some(ValueType::Checklist { items }) => items.iter().map(|item| &item.id).collect(),
            _ => {
                self.error(
                    Code::BadAlert,
                    Message::AlertItemsNotChecklist { id: Arg::code(id), node: Arg::code(&node.id) },
                    &path.key("items"),
                );
                return Vec::new();
            }
        };
        let mut items = Vec::new();
        for (position, item) in raw.items.iter().enumerate() {
            if declared.contains(&item) {
                items.push(item.clone());
            } else {
                self.error(
                    Code::UnknownReference,
                    Message::AlertItemUnknown { id: Arg::code(id), item: Arg::code(item), node: Arg::code(&node.id) },
                    &path.key("items").index(position),
                );
            }
        }
        items
    }
}
