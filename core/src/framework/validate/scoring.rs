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
            self.error_hint(Code::MissingParameter, "a scoring rule needs `method`", &path, "e.g. method = \"bands\"");
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
                format!("unknown scoring method `{method}`"),
                &path.key("method"),
                format!("use {} or {last}", rest.join(", ")),
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
                    format!("`{name}` is not used by `{method}` scoring"),
                    &path.key(name),
                    None,
                );
            }
        }
        let scale_default = max_points.unwrap_or(1.0);
        let mismatch = |checker: &mut Self, wanted: &str| {
            checker.error_hint(
                Code::ScoringTypeMismatch,
                format!("`{method}` scoring needs a {wanted} indicator, not {}", value_type.name()),
                &path.key("method"),
                format!("set `type = \"{wanted}\"` or choose another scoring method"),
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
                        "goalposts scoring needs `lower` and `upper`",
                        &path,
                        "e.g. lower = 0, upper = 100",
                    );
                    return Scoring::None;
                };
                if lower == upper {
                    self.error(Code::BadNumber, "the goalposts `lower` and `upper` must differ", &path.key("upper"));
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
                    self.error(Code::MissingParameter, "target scoring needs `target`", &path);
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
                        format!("minmax `low` ({low}) must be below `high` ({high})"),
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
                        "`fraction-of-max` scores a value as its share of the largest, so a higher value always scores more: it cannot score `direction = \"lower\"`",
                        &path.key("method"),
                        "use `minmax` or `goalposts`, which turn the direction round",
                    );
                }
                if !value_type.never_negative() {
                    self.error_hint(
                        Code::ScoringTypeMismatch,
                        format!(
                            "`fraction-of-max` needs values of 0 or more, but a {} indicator may be negative",
                            value_type.name()
                        ),
                        &path.key("method"),
                        "give the type `min = 0`, or use `minmax`",
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
                        "levels scoring needs `levels`",
                        &path,
                        "e.g. levels = { \"1\" = 0, \"2\" = 5, \"3\" = 10 }",
                    );
                    return Scoring::None;
                };
                let mut points = Vec::new();
                for (key, value) in map {
                    let level_path = path.key("levels").key(key);
                    let Ok(level) = key.trim().parse::<f64>() else {
                        self.error(Code::WrongType, format!("level `{key}` is not a number"), &level_path);
                        continue;
                    };
                    if !labels.iter().any(|label| label.value == level) {
                        self.error_hint(
                            Code::UnknownReference,
                            format!("level {key} has no label"),
                            &level_path,
                            "every scored level must be one of the indicator's labels",
                        );
                    }
                    if !value.is_finite() {
                        self.error(Code::BadNumber, format!("points of level {key} must be finite"), &level_path);
                        continue;
                    }
                    points.push((level, *value));
                }
                for label in labels {
                    if !points.iter().any(|(level, _)| *level == label.value) {
                        self.error_hint(
                            Code::BandGap,
                            format!("level {} has no points", format_number(label.value)),
                            &path.key("levels"),
                            "give every label points, 0 included",
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
            self.error_hint(
                Code::MissingParameter,
                "bands scoring needs `bands`",
                path,
                "e.g. bands = [{ to = 50, points = 0 }, { from = 50, points = 10 }]",
            );
            return Scoring::None;
        };
        let mut bands: Vec<(usize, Band)> = Vec::new();
        for (index, band) in raw.iter().enumerate() {
            let band_path = path.key("bands").index(index);
            let from = self.finite(band.from, &band_path.key("from"), "from");
            let to = self.finite(band.to, &band_path.key("to"), "to");
            let Some(points) = self.finite(band.points, &band_path.key("points"), "points") else {
                if band.points.is_none() {
                    self.error(Code::MissingField, "a band needs `points`", &band_path);
                }
                continue;
            };
            if let (Some(from), Some(to)) = (from, to)
                && from >= to
            {
                self.error(Code::BadNumber, format!("band `from` ({from}) must be below `to` ({to})"), &band_path);
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
                    format!(
                        "band from {} overlaps the band ending at {}",
                        format_number(start),
                        format_number(previous_end)
                    ),
                    &band_path.key("from"),
                    "each value must fall in exactly one band: make `from` equal the previous band's `to`",
                );
            } else if start > previous_end {
                self.error_hint(
                    Code::BandGap,
                    format!("values from {} to {} fall in no band", format_number(previous_end), format_number(start)),
                    &band_path.key("from"),
                    "make `from` equal the previous band's `to`",
                );
            }
        }
        if let Some(&(index, first)) = bands.first() {
            let start = first.from.unwrap_or(f64::NEG_INFINITY);
            if low.is_some_and(|low| start > low) {
                self.error_hint(
                    Code::BandGap,
                    format!(
                        "values from {} to {} fall in no band",
                        format_number(low.unwrap_or_default()),
                        format_number(start)
                    ),
                    &path.key("bands").index(index).key("from"),
                    "start the first band at the lowest allowed value, or leave `from` out",
                );
            }
        }
        if let Some(&(index, last)) = bands.last() {
            let end = last.to.unwrap_or(f64::INFINITY);
            if high.is_some_and(|high| end < high) {
                self.error_hint(
                    Code::BandGap,
                    format!(
                        "values from {} to {} fall in no band",
                        format_number(end),
                        format_number(high.unwrap_or_default())
                    ),
                    &path.key("bands").index(index).key("to"),
                    "end the last band at the highest allowed value, or leave `to` out",
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
                    format!(
                        "band ending at {} lies below the lowest allowed value {}",
                        format_number(to),
                        format_number(low)
                    ),
                    &band_path,
                );
            }
            if let (Some(high), Some(from)) = (high, band.from)
                && from > high
            {
                self.error(
                    Code::BandOutOfRange,
                    format!(
                        "band starting at {} lies above the highest allowed value {} of a {} indicator",
                        format_number(from),
                        format_number(high),
                        value_type.name()
                    ),
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
