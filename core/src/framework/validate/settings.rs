//! The pipeline settings: missing values, imputation, treatment, denomination, screening
//! and the scale.

use super::*;

impl Checker<'_, '_> {
    pub(super) fn pipeline(&mut self, raw: Option<&RawPipeline>, groups: &[String]) -> Pipeline {
        let path = root_path().key("pipeline");
        let default = RawPipeline::default();
        let raw = raw.unwrap_or(&default);
        let impute = match &raw.impute {
            None => Impute::None,
            Some(impute) => self.impute(impute, &path.key("impute"), groups),
        };
        let screen = raw.screen.as_ref().and_then(|screen| {
            let screen_path = path.key("screen").key("min_coverage");
            if screen.min_coverage.is_none() {
                self.error(Code::MissingParameter, Message::ScreenNeedsCoverage {}, &path.key("screen"));
            }
            self.share(screen.min_coverage, &screen_path, "min_coverage")
        });
        let treat = raw.treat.as_ref().map(|treat| {
            let treat_path = path.key("treat");
            let defaults = Treat::default();
            let skew = self.positive(treat.skew, &treat_path.key("skew"), "skew").unwrap_or(defaults.skew);
            let kurtosis =
                self.finite(treat.kurtosis, &treat_path.key("kurtosis"), "kurtosis").unwrap_or(defaults.kurtosis);
            const FALLBACKS: &[(&str, bool)] = &[("log", true), ("none", false)];
            let log_fallback = treat.fallback.as_deref().map_or(Some(true), |given| {
                self.named(given, Message::WhatTreatmentFallback {}, FALLBACKS, &treat_path.key("fallback"))
            });
            let log_fallback = log_fallback.unwrap_or(true);
            let winmax = treat.winmax.unwrap_or(defaults.winmax);
            if winmax > crate::limits::MAX_WINSORISE_POINTS {
                self.error(
                    Code::BadNumber,
                    Message::WinmaxBeyondLimit {
                        value: Arg::count(winmax),
                        limit: Arg::count(crate::limits::MAX_WINSORISE_POINTS),
                    },
                    &treat_path.key("winmax"),
                );
            }
            Treat { winmax: winmax.min(crate::limits::MAX_WINSORISE_POINTS), skew, kurtosis, log_fallback }
        });
        const MISSING: &[(&str, Missing)] = &[("skip", Missing::Skip), ("zero", Missing::Zero)];
        let missing = raw.missing.as_deref().map_or(Some(Missing::Skip), |given| {
            self.named(given, Message::WhatMissingRule {}, MISSING, &path.key("missing"))
        });
        let missing = missing.unwrap_or(Missing::Skip);
        if let Some(coverage) = raw.min_coverage {
            self.share(Some(coverage), &path.key("min_coverage"), "min_coverage");
        }
        Pipeline { denominate: raw.denominate.unwrap_or(false), impute, screen, treat, missing }
    }

    pub(super) fn impute(&mut self, raw: &RawImpute, path: &FieldPath, groups: &[String]) -> Impute {
        let group = |checker: &mut Self| -> String {
            match &raw.group {
                Some(group) if groups.contains(group) => group.clone(),
                Some(group) => {
                    checker.error_hint(
                        Code::UnknownReference,
                        Message::GroupNotDeclared { group: Arg::code(group) },
                        &path.key("group"),
                        Message::HintDeclareGroup {},
                    );
                    group.clone()
                }
                None => {
                    checker.error(Code::MissingParameter, Message::GroupImputationNeedsGroup {}, path);
                    String::new()
                }
            }
        };
        // A group method's column is filled in once the name is known.
        const METHODS: &[(&str, Impute)] = &[
            ("none", Impute::None),
            ("mean", Impute::Mean),
            ("median", Impute::Median),
            ("group-mean", Impute::GroupMean(String::new())),
            ("group-median", Impute::GroupMedian(String::new())),
            ("previous-period", Impute::PreviousPeriod),
        ];
        let method = raw.method.as_deref().map_or(Some(Impute::None), |given| {
            self.named(given, Message::WhatImputation {}, METHODS, &path.key("method"))
        });
        match method.unwrap_or(Impute::None) {
            Impute::GroupMean(_) => Impute::GroupMean(group(self)),
            Impute::GroupMedian(_) => Impute::GroupMedian(group(self)),
            other => other,
        }
    }

    pub(super) fn scale(&mut self, raw: Option<&RawScale>, nodes: &[Node]) -> Scale {
        let path = root_path().key("scale");
        let default = RawScale::default();
        let raw = raw.unwrap_or(&default);
        let root_range = nodes.last().and_then(|root| root.range);
        let root_max = root_range.map_or(1.0, |range| range.high);
        let max = self.positive(raw.max, &path.key("max"), "max").unwrap_or(root_max);
        // The scale is the root's: another maximum would make the published score (on the
        // scale) and the results files and levels (on the root's points) disagree.
        if let (Some(declared), Some(range)) = (raw.max, root_range)
            && range.low == 0.0
            && declared != range.high
            && declared.is_finite()
        {
            self.error_hint(
                Code::PointsMismatch,
                Message::ScaleMaxMismatch { declared: Arg::Number(declared), high: Arg::Number(range.high) },
                &path.key("max"),
                Message::HintScaleMax {},
            );
        }
        let decimals = raw.decimals.unwrap_or(2);
        if decimals > 15 {
            self.error(Code::BadNumber, Message::AtMost15 { key: Arg::code("decimals") }, &path.key("decimals"));
        }
        if raw.rank_decimals.is_some_and(|decimals| decimals > 15) {
            let message = Message::AtMost15 { key: Arg::code("rank_decimals") };
            self.error(Code::BadNumber, message, &path.key("rank_decimals"));
        }
        Scale {
            max,
            decimals: decimals.min(15),
            rank_decimals: raw.rank_decimals.map(|d| d.min(15)),
            unit: raw.unit.as_ref().map(|unit| Self::text(&Some(unit.clone()), "")),
        }
    }
}
