//! Indicators: their details and value types.

use super::*;

impl Checker<'_, '_> {
    pub(super) fn indicator_node(
        &mut self,
        raw: &RawIndicator,
        id: &str,
        parent: Option<usize>,
        path: &FieldPath,
        context: &TreeContext<'_>,
    ) -> Node {
        let weight = self.positive(raw.weight, &path.key("weight"), "weight").unwrap_or(1.0);
        let max_points = self.positive(raw.max_points, &path.key("max_points"), "max_points");
        let value_type = self.value_type(raw, path);
        const DIRECTIONS: &[(&str, Direction)] = &[
            ("higher", Direction::Higher),
            ("lower", Direction::Lower),
            ("+1", Direction::Higher),
            ("1", Direction::Higher),
            ("-1", Direction::Lower),
        ];
        let direction = raw.direction.as_deref().map_or(Some(Direction::Higher), |given| {
            self.named(given, Message::WhatDirection {}, DIRECTIONS, &path.key("direction"))
        });
        let direction = direction.unwrap_or(Direction::Higher);
        let applies_to = raw.applies_to.as_ref().map(|blocks| {
            blocks
                .iter()
                .enumerate()
                .filter_map(|(index, block)| {
                    let found = context.blocks.iter().position(|b| &b.id == block);
                    if found.is_none() {
                        let known = Arg::codes(context.blocks.iter().map(|b| b.id.as_str()));
                        self.error_hint(
                            Code::UnknownBlock,
                            Message::BlockNotDeclared { block: Arg::code(block) },
                            &path.key("applies_to").index(index),
                            Message::HintDeclaredBlocks { blocks: known },
                        );
                    }
                    found
                })
                .collect()
        });
        const EVIDENCE: &[(&str, Evidence)] =
            &[("required", Evidence::Required), ("optional", Evidence::Optional), ("none", Evidence::None)];
        let evidence = raw.evidence.as_deref().map_or(Some(Evidence::Optional), |given| {
            self.named(given, Message::WhatEvidenceRequirement {}, EVIDENCE, &path.key("evidence"))
        });
        let evidence = evidence.unwrap_or(Evidence::Optional);
        const SOURCES: &[(&str, Source)] =
            &[("self-reported", Source::SelfReported), ("measured", Source::Measured), ("verified", Source::Verified)];
        let source = raw.source.as_deref().map_or(Some(Source::SelfReported), |given| {
            self.named(given, Message::WhatDataSource {}, SOURCES, &path.key("source"))
        });
        let source = source.unwrap_or(Source::SelfReported);
        let denominator = raw.denominator.as_ref().and_then(|name| {
            let found = context.denominators.iter().position(|d| d == name);
            if found.is_none() {
                self.error_hint(
                    Code::UnknownReference,
                    Message::DenominatorNotDeclared { name: Arg::code(name) },
                    &path.key("denominator"),
                    Message::HintDeclareDenominator {},
                );
            }
            found
        });
        let target = self.finite(raw.target, &path.key("target"), "target");
        let goalposts = raw.goalposts.as_ref().and_then(|goalposts| {
            let gp_path = path.key("goalposts");
            let lower = self.finite(goalposts.lower, &gp_path.key("lower"), "lower")?;
            let upper = self.finite(goalposts.upper, &gp_path.key("upper"), "upper")?;
            let scale = self.finite(goalposts.scale, &gp_path.key("scale"), "scale").unwrap_or(1.0);
            Some(Goalposts { lower, upper, scale, truncate: goalposts.truncate.unwrap_or(true) })
        });
        let info_only = raw.info_only.unwrap_or(false);
        let scoring = self.scoring(raw, &value_type, max_points, target, goalposts, path, context);
        let indicator = Indicator {
            unit: raw.unit.as_ref().map(|unit| Self::text(&Some(unit.clone()), "")),
            value_type,
            direction,
            applies_to,
            info_only,
            evidence,
            source,
            denominator,
            target,
            goalposts,
            scoring,
            treat: raw.treat.unwrap_or(true),
        };
        let mut range = indicator.range();
        if indicator.denominator.is_some() && matches!(indicator.scoring, Scoring::None) {
            range = None;
        }
        if let (Some(declared), Some(range)) = (max_points, range)
            && (range.high - declared).abs() > 1e-9 * declared.abs().max(1.0)
        {
            self.error_hint(
                Code::PointsMismatch,
                Message::ScoringPointsMismatch {
                    id: Arg::code(id),
                    declared: Arg::Number(declared),
                    high: Arg::Number(range.high),
                },
                &path.key("max_points"),
                Message::HintBestBand {},
            );
        }
        Node {
            id: id.to_owned(),
            name: self.checked_text(&raw.name, id, &path.key("name")),
            description: raw
                .description
                .is_some()
                .then(|| self.checked_text(&raw.description, "", &path.key("description"))),
            parent,
            children: Vec::new(),
            weight,
            depth: 0,
            range,
            kind: NodeKind::Indicator(Box::new(indicator)),
        }
    }

    pub(super) fn value_type(&mut self, raw: &RawIndicator, path: &FieldPath) -> ValueType {
        let min = self.finite(raw.min, &path.key("min"), "min");
        let max = self.finite(raw.max, &path.key("max"), "max");
        if let (Some(low), Some(high)) = (min, max)
            && low >= high
        {
            let message = Message::MinBelowMax { min: Arg::Number(low), max: Arg::Number(high) };
            self.error(Code::BadNumber, message, &path.key("min"));
        }
        // The kinds of value, by name; the details of ordinal and checklist types read below.
        const KINDS: &[(&str, &str)] = &[
            ("number", "number"),
            ("percent", "percent"),
            ("count", "count"),
            ("boolean", "boolean"),
            ("ordinal", "ordinal"),
            ("checklist", "checklist"),
        ];
        let kind = raw
            .value_type
            .as_deref()
            .map_or(Some("number"), |given| self.named(given, Message::WhatValueType {}, KINDS, &path.key("type")));
        let value_type = match kind {
            None | Some("number") => ValueType::Number { min, max },
            Some("percent") => ValueType::Percent,
            Some("count") => ValueType::Count { max },
            Some("boolean") => ValueType::Boolean,
            Some("ordinal") => {
                let mut labels = Vec::new();
                for (index, label) in raw.labels.iter().enumerate() {
                    let label_path = path.key("labels").index(index);
                    let Some(value) = self.finite(label.value, &label_path.key("value"), "value") else {
                        if label.value.is_none() {
                            self.error(Code::MissingField, Message::LabelNeedsValue {}, &label_path);
                        }
                        continue;
                    };
                    if labels.iter().any(|l: &Label| l.value == value) {
                        self.error(
                            Code::DuplicateId,
                            Message::LevelLabelledTwice { value: Arg::Number(value) },
                            &label_path.key("value"),
                        );
                        continue;
                    }
                    labels.push(Label { value, name: Self::text(&label.name, &format_number(value)) });
                }
                if labels.is_empty() {
                    self.error_hint(Code::MissingField, Message::OrdinalNeedsLabels {}, path, Message::HintLabels {});
                }
                labels.sort_by(|a, b| a.value.total_cmp(&b.value));
                ValueType::Ordinal { labels }
            }
            // The one name left in the table: "checklist".
            Some(_) => {
                let mut items: Vec<Item> = Vec::new();
                for (index, item) in raw.items.iter().enumerate() {
                    let item_path = path.key("items").index(index);
                    let Some(id) = self.id(&item.id, &item_path, Message::WhatAnItem {}) else { continue };
                    if items.iter().any(|i| i.id == id) {
                        self.error(Code::DuplicateId, Message::ItemTwice { id: Arg::code(&id) }, &item_path.key("id"));
                        continue;
                    }
                    let points = match item.points {
                        Some(points) if !(points.is_finite() && points >= 0.0) => {
                            self.error(
                                Code::BadWeight,
                                Message::ItemPoints { id: Arg::code(&id) },
                                &item_path.key("points"),
                            );
                            0.0
                        }
                        Some(points) => points,
                        None => 1.0,
                    };
                    items.push(Item { name: Self::text(&item.name, &id), id, points });
                }
                if items.is_empty() {
                    self.error(Code::MissingField, Message::ChecklistNeedsItems {}, path);
                }
                ValueType::Checklist { items }
            }
        };
        if !matches!(value_type, ValueType::Number { .. } | ValueType::Count { .. }) {
            if raw.min.is_some() {
                self.warning(
                    Code::UnusedParameter,
                    Message::IgnoredForType { key: Arg::code("min"), kind: Arg::text(value_type.name()) },
                    &path.key("min"),
                    None,
                );
            }
            if raw.max.is_some() {
                self.warning(
                    Code::UnusedParameter,
                    Message::IgnoredForType { key: Arg::code("max"), kind: Arg::text(value_type.name()) },
                    &path.key("max"),
                    None,
                );
            }
        }
        value_type
    }
}
