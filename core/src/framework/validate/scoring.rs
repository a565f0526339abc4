//! Scoring rules, bands included, and the scoring an indicator gets by default.

use super::*;

impl Checker<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scoring(
        &mut self,
        raw: &RawIndicator,
        value_type: &ValueType,
        max_points: Option<f64>,
        target: Option<f64>,
        goalposts: Option<Goalposts>,
        indicator_path: &FieldPath,
        context: &TreeContext<'_>,
    ) -> Scoring {
        let (rule, path) = match (&raw.scoring, context.default_scoring) {
            (Some(rule), _) => (rule.clone(), indicator_path.key("scoring")),
            (None, Some(rule)) => (rule.clone(), root_path().key("pipeline").key("normalise")),
            (None, None) => return default_scoring(value_type, max_points),
        };
        let Some(method) = rule.method.as_deref() else {
            self.error_hint(Code::MissingParameter, Message::RuleNeedsMethod {}, &path, Message::HintMethod {});
            return Scoring::None;
        };
        // Each method with the parameters it reads.
        const METHODS: &[(&str, &[&str])] = &[
            ("bands", &["bands"]),
            ("goalposts", &["lower", "upper", "scale", "truncate"]),
            ("target", &["target", "scale", "cap"]),
            ("minmax", &["low", "high"]),
            ("zscore", &["mean", "sd"]),
            ("prank", &[]),
            ("rank", &[]),
            ("fraction-of-max", &["scale"]),
            ("boolean", &["points"]),
            ("levels", &["levels"]),
            ("checklist", &[]),
            ("none", &[]),
        ];
        let Some(used) = METHODS.iter().find(|(name, _)| *name == method).map(|(_, used)| *used) else {
            let names: Vec<&str> = METHODS.iter().map(|(name, _)| *name).collect();
            let (last, rest) = names.split_last().unwrap_or((&"none", &[]));
            self.error_hint(
                Code::WrongType,
                Message::UnknownName { what: Arg::message(Message::WhatScoringMethod {}), name: Arg::given(method) },
                &path.key("method"),
                Message::HintUseOneOf { names: Arg::codes(rest.iter()), last: Arg::code(*last) },
            );
            return Scoring::None;
        };
        let given = [
            ("bands", rule.bands.is_some()),
            ("low", rule.low.is_some()),
            ("high", rule.high.is_some()),
            ("mean", rule.mean.is_some()),
            ("sd", rule.sd.is_some()),
            ("lower", rule.lower.is_some()),
            ("upper", rule.upper.is_some()),
            ("scale", rule.scale.is_some()),
            ("truncate", rule.truncate.is_some()),
            ("target", rule.target.is_some()),
            ("cap", rule.cap.is_some()),
            ("points", rule.points.is_some()),
            ("levels", rule.levels.is_some()),
        ];
        for (name, present) in given {
            if present && !used.contains(&name) {
                self.warning(
                    Code::UnusedParameter,
                    Message::ParameterUnused { name: Arg::code(name), method: Arg::code(method) },
                    &path.key(name),
                    None,
                );
            }
        }
        let scale_default = max_points.unwrap_or(1.0);
        let mismatch = |checker: &mut Self, wanted: &str| {
            checker.error_hint(
                Code::ScoringTypeMismatch,
                Message::ScoringNeedsType {
                    method: Arg::code(method),
                    wanted: Arg::text(wanted),
                    kind: Arg::text(value_type.name()),
                },
                &path.key("method"),
                Message::HintSetType { wanted: Arg::code(format!("type = \"{wanted}\"")) },
            );
        };
        match method {
            "none" => Scoring::None,
            "bands" => self.bands(rule.bands.as_deref(), value_type, &path),
            "goalposts" => {
                let lower = self.finite(rule.lower, &path.key("lower"), "lower").or(goalposts.map(|g| g.lower));
                let upper = self.finite(rule.upper, &path.key("upper"), "upper").or(goalposts.map(|g| g.upper));
                let (Some(lower), Some(upper)) = (lower, upper) else {
                    self.error_hint(
                        Code::MissingParameter,
                        Message::GoalpostsNeedBounds {},
                        &path,
                        Message::HintGoalposts {},
                    );
                    return Scoring::None;
                };
                if lower == upper {
                    self.error(Code::BadNumber, Message::GoalpostsDiffer {}, &path.key("upper"));
                }
                let scale = self
                    .finite(rule.scale, &path.key("scale"), "scale")
                    .or(goalposts.map(|g| g.scale))
                    .unwrap_or(scale_default);
                let truncate = rule.truncate.or(goalposts.map(|g| g.truncate)).unwrap_or(true);
                Scoring::Goalposts(Goalposts { lower, upper, scale, truncate })
            }
            "target" => {
                let Some(target_value) = self.finite(rule.target, &path.key("target"), "target").or(target) else {
                    self.error(Code::MissingParameter, Message::TargetNeedsTarget {}, &path);
                    return Scoring::None;
                };
                let scale = self.finite(rule.scale, &path.key("scale"), "scale").unwrap_or(scale_default);
                Scoring::Target { target: target_value, scale, cap: rule.cap.unwrap_or(true) }
            }
            "minmax" => {
                let low = self.finite(rule.low, &path.key("low"), "low").unwrap_or(0.0);
                let high = self.finite(rule.high, &path.key("high"), "high").unwrap_or(max_points.unwrap_or(100.0));
                if low >= high {
                    self.error(
                        Code::BadNumber,
                        Message::MinmaxLowHigh { low: Arg::Number(low), high: Arg::Number(high) },
                        &path.key("low"),
                    );
                }
                Scoring::MinMax { low, high }
            }
            "zscore" => {
                let mean = self.finite(rule.mean, &path.key("mean"), "mean").unwrap_or(0.0);
                let sd = self.positive(rule.sd, &path.key("sd"), "sd").unwrap_or(1.0);
                Scoring::ZScore { mean, sd }
            }
            "prank" => Scoring::PercentileRank,
            "rank" => Scoring::Rank,
            "fraction-of-max" => {
                // A value's share of the largest value: higher is better, and a share of a
                // maximum needs values of 0 or more.
                if raw.direction.as_deref() == Some("lower") {
                    self.error_hint(
                        Code::ScoringTypeMismatch,
                        Message::FractionLower {},
                        &path.key("method"),
                        Message::HintFractionLower {},
                    );
                }
                if !value_type.never_negative() {
                    self.error_hint(
                        Code::ScoringTypeMismatch,
                        Message::FractionNegative { kind: Arg::text(value_type.name()) },
                        &path.key("method"),
                        Message::HintFractionNegative {},
                    );
                }
                Scoring::FractionOfMax {
                    scale: self.finite(rule.scale, &path.key("scale"), "scale").unwrap_or(scale_default),
                }
            }
            "boolean" => {
                if !matches!(value_type, ValueType::Boolean) {
                    mismatch(self, "boolean");
                }
                let points = match rule.points {
                    Some(points) => self.positive(Some(points), &path.key("points"), "points").unwrap_or(1.0),
                    None => scale_default,
                };
                Scoring::Boolean { points }
            }
            "levels" => {
                let ValueType::Ordinal { labels } = value_type else {
                    mismatch(self, "ordinal");
                    return Scoring::None;
                };
                let Some(map) = &rule.levels else {
                    self.error_hint(
                        Code::MissingParameter,
                        Message::LevelsNeedLevels {},
                        &path,
                        Message::HintLevelsMap {},
                    );
                    return Scoring::None;
                };
                let mut points = Vec::new();
                for (key, value) in map {
                    let level_path = path.key("levels").key(key);
                    let Ok(level) = key.trim().parse::<f64>() else {
                        self.error(Code::WrongType, Message::LevelKeyNotNumber { level: Arg::given(key) }, &level_path);
                        continue;
                    };
                    if !labels.iter().any(|label| label.value == level) {
                        self.error_hint(
                            Code::UnknownReference,
                            Message::LevelNoLabel { level: Arg::given(key) },
                            &level_path,
                            Message::HintLevelLabels {},
                        );
                    }
                    if !value.is_finite() {
                        self.error(Code::BadNumber, Message::LevelPointsFinite { level: Arg::given(key) }, &level_path);
                        continue;
                    }
                    points.push((level, *value));
                }
                for label in labels {
                    if !points.iter().any(|(level, _)| *level == label.value) {
                        self.error_hint(
                            Code::BandGap,
                            Message::LevelNoPoints { level: Arg::Number(label.value) },
                            &path.key("levels"),
                            Message::HintEveryLabelPoints {},
                        );
                    }
                }
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                Scoring::Levels { points }
            }
            "checklist" => {
                if !matches!(value_type, ValueType::Checklist { .. }) {
                    mismatch(self, "checklist");
                }
                Scoring::Checklist
            }
            _ => Scoring::None,
        }
    }

    pub(super) fn bands(&mut self, raw: Option<&[RawBand]>, value_type: &ValueType, path: &FieldPath) -> Scoring {
        let Some(raw) = raw.filter(|bands| !bands.is_empty()) else {
            self.error_hint(Code::MissingParameter, Message::BandsNeedBands {}, path, Message::HintBands {});
            return Scoring::None;
        };
        let mut bands: Vec<(usize, Band)> = Vec::new();
        for (index, band) in raw.iter().enumerate() {
            let band_path = path.key("bands").index(index);
            let from = self.finite(band.from, &band_path.key("from"), "from");
            let to = self.finite(band.to, &band_path.key("to"), "to");
            let Some(points) = self.finite(band.points, &band_path.key("points"), "points") else {
                if band.points.is_none() {
                    self.error(Code::MissingField, Message::BandNeedsPoints {}, &band_path);
                }
                continue;
            };
            if let (Some(from), Some(to)) = (from, to)
                && from >= to
            {
                let message = Message::BandFromTo { from: Arg::Number(from), to: Arg::Number(to) };
                self.error(Code::BadNumber, message, &band_path);
                continue;
            }
            bands.push((index, Band { from, to, points }));
        }
        bands.sort_by(|a, b| a.1.from.unwrap_or(f64::NEG_INFINITY).total_cmp(&b.1.from.unwrap_or(f64::NEG_INFINITY)));
        let (low, high) = value_type.bounds();
        for pair in bands.windows(2) {
            let (_, previous) = pair[0];
            let (index, band) = pair[1];
            let band_path = path.key("bands").index(index);
            let previous_end = previous.to.unwrap_or(f64::INFINITY);
            let start = band.from.unwrap_or(f64::NEG_INFINITY);
            if start < previous_end {
                self.error_hint(
                    Code::BandOverlap,
                    Message::BandOverlap { start: Arg::Number(start), end: Arg::Number(previous_end) },
                    &band_path.key("from"),
                    Message::HintOneBand {},
                );
            } else if start > previous_end {
                self.error_hint(
                    Code::BandGap,
                    Message::BandGap { from: Arg::Number(previous_end), to: Arg::Number(start) },
                    &band_path.key("from"),
                    Message::HintBandContinues {},
                );
            }
        }
        if let Some(&(index, first)) = bands.first() {
            let start = first.from.unwrap_or(f64::NEG_INFINITY);
            if low.is_some_and(|low| start > low) {
                self.error_hint(
                    Code::BandGap,
                    Message::BandGap { from: Arg::Number(low.unwrap_or_default()), to: Arg::Number(start) },
                    &path.key("bands").index(index).key("from"),
                    Message::HintFirstBand {},
                );
            }
        }
        if let Some(&(index, last)) = bands.last() {
            let end = last.to.unwrap_or(f64::INFINITY);
            if high.is_some_and(|high| end < high) {
                self.error_hint(
                    Code::BandGap,
                    Message::BandGap { from: Arg::Number(end), to: Arg::Number(high.unwrap_or_default()) },
                    &path.key("bands").index(index).key("to"),
                    Message::HintLastBand {},
                );
            }
        }
        for &(index, band) in &bands {
            let band_path = path.key("bands").index(index);
            if let (Some(low), Some(to)) = (low, band.to)
                && to <= low
            {
                self.error(
                    Code::BandOutOfRange,
                    Message::BandBelow { to: Arg::Number(to), low: Arg::Number(low) },
                    &band_path,
                );
            }
            if let (Some(high), Some(from)) = (high, band.from)
                && from > high
            {
                self.error(
                    Code::BandOutOfRange,
                    Message::BandAbove {
                        from: Arg::Number(from),
                        high: Arg::Number(high),
                        kind: Arg::text(value_type.name()),
                    },
                    &band_path,
                );
            }
        }
        Scoring::Bands { bands: bands.into_iter().map(|(_, band)| band).collect() }
    }
}

/// The scoring an indicator gets when neither it nor the pipeline names one.
pub(super) fn default_scoring(value_type: &ValueType, max_points: Option<f64>) -> Scoring {
    match (value_type, max_points) {
        (ValueType::Boolean, points) => Scoring::Boolean { points: points.unwrap_or(1.0) },
        (ValueType::Checklist { .. }, _) => Scoring::Checklist,
        (ValueType::Percent, Some(points)) => {
            Scoring::Goalposts(Goalposts { lower: 0.0, upper: 100.0, scale: points, truncate: true })
        }
        _ => Scoring::None,
    }
}
