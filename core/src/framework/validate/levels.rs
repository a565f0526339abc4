//! Maturity levels: their order, their range and the requirements that gate them.

use super::*;

impl Checker<'_, '_> {
    pub(super) fn levels(&mut self, raw: &[RawLevel], nodes: &[Node]) -> Vec<LevelSet> {
        let mut sets: BTreeMap<usize, Vec<(usize, Level)>> = BTreeMap::new();
        let root = nodes.len().saturating_sub(1);
        for (index, level) in raw.iter().enumerate() {
            let path = root_path().key("levels").index(index);
            let Some(id) = self.id(&level.id, &path, Message::WhatALevel {}) else { continue };
            let node = match &level.node {
                None => root,
                Some(node_id) => match nodes.iter().position(|node| &node.id == node_id) {
                    Some(node) => node,
                    None => {
                        self.error(
                            Code::UnknownReference,
                            Message::LevelNodeMissing { id: Arg::code(&id), node: Arg::code(node_id) },
                            &path.key("node"),
                        );
                        continue;
                    }
                },
            };
            let Some(min) = self.finite(level.min, &path.key("min"), "min") else {
                if level.min.is_none() {
                    self.error_hint(
                        Code::MissingField,
                        Message::LevelNoMin { id: Arg::code(&id) },
                        &path,
                        Message::HintLevelMin {},
                    );
                }
                continue;
            };
            let mut requires = Vec::new();
            for (requirement_index, requirement) in level.requires.iter().enumerate() {
                let requirement_path = path.key("requires").index(requirement_index);
                let Some(node_id) = &requirement.node else {
                    self.error(
                        Code::MissingField,
                        Message::RequirementNeeds { key: Arg::code("node") },
                        &requirement_path,
                    );
                    continue;
                };
                let Some(required) = nodes.iter().position(|node| &node.id == node_id) else {
                    self.error(
                        Code::UnknownReference,
                        Message::RequirementNodeMissing { node: Arg::code(node_id) },
                        &requirement_path.key("node"),
                    );
                    continue;
                };
                if nodes[required].range.is_none() {
                    self.error_hint(
                        Code::LevelRequirement,
                        Message::RequirementUnbounded { node: Arg::code(node_id) },
                        &requirement_path.key("node"),
                        Message::HintBoundedNode {},
                    );
                    continue;
                }
                let Some(min_share) =
                    self.share(requirement.min_share, &requirement_path.key("min_share"), "min_share")
                else {
                    if requirement.min_share.is_none() {
                        let message = Message::RequirementNeeds { key: Arg::code("min_share") };
                        self.error(Code::MissingField, message, &requirement_path);
                    }
                    continue;
                };
                requires.push(Requirement { node: required, min_share });
            }
            let set = sets.entry(node).or_default();
            if set.iter().any(|(_, existing)| existing.id == id) {
                self.error(
                    Code::DuplicateId,
                    Message::LevelTwice { id: Arg::code(&id), node: Arg::code(&nodes[node].id) },
                    &path.key("id"),
                );
                continue;
            }
            set.push((index, Level { id, name: Self::text(&level.name, ""), min, requires }));
        }
        let mut result = Vec::new();
        for (node, mut levels) in sets {
            for (_, level) in &mut levels {
                if level.name.en.is_empty() {
                    level.name = Text::plain(level.id.clone());
                }
            }
            levels.sort_by(|a, b| a.1.min.total_cmp(&b.1.min));
            for pair in levels.windows(2) {
                if pair[0].1.min == pair[1].1.min {
                    let path = root_path().key("levels").index(pair[1].0).key("min");
                    self.error(
                        Code::BandOverlap,
                        Message::LevelsSameStart {
                            first: Arg::code(&pair[0].1.id),
                            second: Arg::code(&pair[1].1.id),
                            min: Arg::Number(pair[1].1.min),
                        },
                        &path,
                    );
                }
            }
            if let Some(range) = nodes[node].range {
                for (index, level) in &levels {
                    if level.min > range.high || level.min < range.low {
                        let path = root_path().key("levels").index(*index).key("min");
                        self.error_hint(
                            Code::BandOutOfRange,
                            Message::LevelOutsideRange {
                                id: Arg::code(&level.id),
                                min: Arg::Number(level.min),
                                node: Arg::code(&nodes[node].id),
                                low: Arg::Number(range.low),
                                high: Arg::Number(range.high),
                            },
                            &path,
                            Message::HintLevelScale {},
                        );
                    }
                }
                if let Some((index, lowest)) = levels.first()
                    && lowest.min > range.low
                {
                    let path = root_path().key("levels").index(*index).key("min");
                    self.warning(
                        Code::BandGap,
                        Message::ScoresWithoutLevel { min: Arg::Number(lowest.min), node: Arg::code(&nodes[node].id) },
                        &path,
                        Some(Message::HintLowestLevelAt { low: Arg::Number(range.low) }),
                    );
                }
            } else if let Some((index, lowest)) = levels.first()
                && lowest.min > 0.0
            {
                // The scores' range is not known (a z-score, say): whatever lies below the
                // lowest level gets none.
                let path = root_path().key("levels").index(*index).key("min");
                self.warning(
                    Code::BandGap,
                    Message::ScoresWithoutLevel { min: Arg::Number(lowest.min), node: Arg::code(&nodes[node].id) },
                    &path,
                    Some(Message::HintLowestLevel {}),
                );
            }
            result.push(LevelSet { node, levels: levels.into_iter().map(|(_, level)| level).collect() });
        }
        result
    }
}
