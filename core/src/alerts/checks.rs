//! Each rule kind checked against the current period: one method per kind.

use super::{Alert, AlertContext, AlertRule, Alerts, Bound, Fact, FactValue, RuleKind, fact, number, to_u32};
use crate::evaluation::{Evaluation, flags};
use crate::framework::{Framework, ValueType};
use crate::period::Date;
use crate::series::{linear_trend, series_times};
use crate::stats;
use std::collections::BTreeMap;

/// One rule checked against the current period.
pub(super) struct RuleCheck<'a> {
    pub(super) context: &'a AlertContext<'a>,
    pub(super) current: &'a Evaluation,
    pub(super) framework: &'a Framework,
    pub(super) rule: &'a AlertRule,
    /// The rule's index in the framework.
    pub(super) index: usize,
    /// The data set's index of the checked period.
    pub(super) period: usize,
    /// Each position's block slot (the block's index; the number of blocks without one).
    pub(super) slots: &'a [usize],
}

impl RuleCheck<'_> {
    pub(super) fn run(&self, alerts: &mut Alerts) {
        match &self.rule.kind {
            RuleKind::Threshold { node, below, level_below } => self.threshold(*node, *below, *level_below, alerts),
            RuleKind::Decline { node, points, ranks } => self.decline(*node, *points, *ranks, alerts),
            RuleKind::Stale { months, carried } => self.stale(*months, *carried, alerts),
            RuleKind::Missing => self.missing(alerts),
            RuleKind::Coverage { below } => self.coverage(*below, alerts),
            RuleKind::Target { node, target, bound, by } => self.target(*node, *target, *bound, *by, alerts),
            RuleKind::Outlier { node, z } => self.outlier(*node, *z, alerts),
            RuleKind::VerificationGap { node, gap } => self.verification_gap(*node, *gap, alerts),
            RuleKind::Compliance { node, at_least, at_most, items } => {
                self.compliance(*node, *at_least, *at_most, items, alerts);
            }
        }
    }

    /// Whether the rule watches the unit at `position` of the current evaluation.
    fn watches(&self, position: usize) -> bool {
        self.rule.blocks.is_empty() || self.rule.blocks.contains(&self.slots[position])
    }

    /// Whether `node` applies to the unit at `position`.
    fn applies(&self, node: usize, position: usize) -> bool {
        self.current.applies_in_slot(node, self.slots[position])
    }

    /// The watched positions of the current evaluation where `node` applies.
    fn positions(&self, node: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        (0..self.current.n_units())
            .filter(move |&position| self.watches(position))
            .filter(move |&position| node.is_none_or(|node| self.applies(node, position)))
    }

    /// Raises an alert for the unit at `position` of the current evaluation.
    fn raise(&self, alerts: &mut Alerts, position: usize, node: Option<usize>, facts: impl IntoIterator<Item = Fact>) {
        self.raise_for_unit(alerts, self.current.units.dataset_index(position), node, facts);
    }

    /// Raises an alert for a unit of the data set.
    fn raise_for_unit(
        &self,
        alerts: &mut Alerts,
        unit: usize,
        node: Option<usize>,
        facts: impl IntoIterator<Item = Fact>,
    ) {
        let alert =
            Alert { rule: self.index, severity: self.rule.severity, unit, period: self.period, node, facts: (0, 0) };
        alerts.push(alert, facts);
    }

    /// The raw value of an indicator for a current position, in a period of the data.
    fn raw_value(&self, period: usize, variable: Option<usize>, position: usize) -> Option<f64> {
        self.context.dataset.tables.get(period)?.get(variable?, self.current.units.dataset_index(position))
    }

    /// The data set's variable of a node.
    fn variable(&self, node: usize) -> Option<usize> {
        self.context.dataset.variable_index(&self.framework.nodes[node].id)
    }

    fn threshold(&self, node: usize, below: Option<f64>, level_below: Option<(usize, usize)>, alerts: &mut Alerts) {
        let mut facts = Vec::new();
        for position in self.positions(Some(node)) {
            let score = self.current.score(node, position);
            facts.clear();
            if let (Some(below), Some(score)) = (below, score)
                && score < below
            {
                facts.extend([number("score", score), number("below", below)]);
            }
            if let Some((set, wanted)) = level_below {
                let reached = self.current.levels[set][position].map(usize::from);
                if reached.is_none_or(|reached| reached < wanted) {
                    facts.extend([
                        fact("level", FactValue::Level(set, reached)),
                        fact("level_below", FactValue::Level(set, Some(wanted))),
                    ]);
                }
            }
            if !facts.is_empty() {
                self.raise(alerts, position, Some(node), facts.drain(..));
            }
        }
    }

    fn decline(&self, node: usize, points: Option<f64>, ranks: Option<u32>, alerts: &mut Alerts) {
        let Some(previous) = self.context.series.len().checked_sub(2).map(|index| &self.context.series[index]) else {
            return;
        };
        let Some(previous_node) = previous.framework.node_index(&self.framework.nodes[node].id) else { return };
        let positions: BTreeMap<&str, usize> =
            previous.units.iter().enumerate().map(|(position, unit)| (unit.id.as_str(), position)).collect();
        let (now_ranks, before_ranks) = match ranks {
            Some(_) => (self.current.ranks_of(node), previous.ranks_of(previous_node)),
            None => (Vec::new(), Vec::new()),
        };
        let previous_period = self.context.dataset.period_index(&previous.period);
        let mut facts = Vec::new();
        for position in self.positions(Some(node)) {
            let Some(&before) = positions.get(self.current.units[position].id.as_str()) else { continue };
            facts.clear();
            if let (Some(points), Some(now), Some(then)) =
                (points, self.current.score(node, position), previous.score(previous_node, before))
                && then - now > points
            {
                facts.extend([number("score", now), number("previous_score", then), number("fall", then - now)]);
            }
            if let (Some(ranks), Some(now), Some(then)) = (ranks, now_ranks[position], before_ranks[before])
                && i64::from(now) - i64::from(then) > i64::from(ranks)
            {
                facts.extend([number("rank", f64::from(now)), number("previous_rank", f64::from(then))]);
            }
            if !facts.is_empty() {
                facts.extend(previous_period.map(|before| fact("previous_period", FactValue::Period(before))));
                self.raise(alerts, position, Some(node), facts.drain(..));
            }
        }
    }

    fn stale(&self, months: Option<u32>, carried: bool, alerts: &mut Alerts) {
        let dataset = self.context.dataset;
        if carried {
            let before = crate::period::periods_before(&dataset.periods, self.period);
            for node in self.framework.indicator_indices() {
                let variable = self.variable(node);
                for position in self.positions(Some(node)) {
                    if self.current.flag(node, position) & flags::STALE == 0 {
                        continue;
                    }
                    let unit = self.current.units.dataset_index(position);
                    let from = variable
                        .and_then(|variable| dataset.latest_value_before(&before, unit, variable))
                        .map_or(FactValue::Word("?"), |(period, _)| FactValue::Period(period));
                    self.raise(alerts, position, Some(node), [fact("carried_from", from)]);
                }
            }
        }
        let (Some(months), Some(as_of)) = (months, self.context.as_of) else { return };
        let table = &dataset.tables[self.period];
        if table.evidence_days.is_empty() {
            return;
        }
        let indicators: Vec<(usize, usize)> = self
            .framework
            .indicator_indices()
            .into_iter()
            .filter_map(|node| Some((node, self.variable(node)?)))
            .collect();
        // Evidence from the last 28 x `months` days cannot be more than `months` whole
        // months old: only older dates are counted in months.
        let recent = as_of.unix_days() - 28 * i64::from(months);
        for position in self.positions(None) {
            let unit = self.current.units.dataset_index(position);
            for &(node, variable) in &indicators {
                let days = table.evidence_day(variable, unit);
                if days == crate::data::NO_DATE || i64::from(days) >= recent || !self.applies(node, position) {
                    continue;
                }
                let evidence = Date::from_unix_days(i64::from(days));
                let age = as_of.months_since(evidence);
                if age > i64::from(months) {
                    let facts = [
                        fact("evidence_date", FactValue::Date(evidence)),
                        number("months_old", age as f64),
                        number("months", f64::from(months)),
                    ];
                    self.raise(alerts, position, Some(node), facts);
                }
            }
        }
    }

    fn missing(&self, alerts: &mut Alerts) {
        let dataset = self.context.dataset;
        let period = self.period;
        let order = crate::period::chronological(&dataset.periods);
        for (unit, info) in dataset.units.iter().enumerate() {
            if dataset.tables[period].present[unit] {
                continue;
            }
            let block = info.block.as_deref().and_then(|block| self.framework.block_index(block));
            if !self.rule.blocks.is_empty() && !block.is_some_and(|block| self.rule.blocks.contains(&block)) {
                continue;
            }
            let last = order.iter().rev().find(|&&earlier| dataset.tables[earlier].present[unit]);
            let facts = last.map(|&last| fact("last_period", FactValue::Period(last)));
            self.raise_for_unit(alerts, unit, None, facts);
        }
    }

    fn coverage(&self, below: f64, alerts: &mut Alerts) {
        for position in self.positions(None) {
            let coverage = self.current.coverage[position];
            if coverage < below {
                self.raise(alerts, position, None, [number("coverage", coverage), number("below", below)]);
            }
        }
    }

    fn target(&self, node: usize, target: f64, bound: Bound, by: Date, alerts: &mut Alerts) {
        let period = self.period;
        let series = self.context.series;
        let times = series_times(series);
        let now = self.context.as_of.map_or_else(|| times.last().copied().unwrap_or(0.0), Date::as_year);
        let deadline = by.as_year();
        let periods: Vec<Option<usize>> =
            series.iter().map(|evaluation| self.context.dataset.period_index(&evaluation.period)).collect();
        let variable = self.variable(node);
        for position in self.positions(Some(node)) {
            let Some(value) = self.raw_value(period, variable, position) else { continue };
            if bound.holds(value, target) {
                continue;
            }
            let facts = [number("value", value), number("target", target), fact("by", FactValue::Date(by))];
            if now >= deadline {
                let status = fact("status", FactValue::Word("missed"));
                self.raise(alerts, position, Some(node), facts.into_iter().chain([status]));
                continue;
            }
            let unit = self.current.units.dataset_index(position);
            let points: Vec<(f64, f64)> = periods
                .iter()
                .zip(&times)
                .filter_map(|(period, time)| {
                    let value = self.context.dataset.tables[(*period)?].get(variable?, unit)?;
                    Some((*time, value))
                })
                .collect();
            let Some(line) = linear_trend(&points) else { continue };
            let projected = line.at(deadline);
            if !bound.holds(projected, target) {
                let trend = [number("projected", projected), fact("status", FactValue::Word("off-track"))];
                self.raise(alerts, position, Some(node), facts.into_iter().chain(trend));
            }
        }
    }

    fn outlier(&self, node: usize, threshold: f64, alerts: &mut Alerts) {
        let mut blocks: BTreeMap<Option<&str>, Vec<(usize, f64)>> = BTreeMap::new();
        for position in 0..self.current.n_units() {
            if let Some(score) = self.current.score(node, position).filter(|_| self.applies(node, position)) {
                blocks.entry(self.current.units[position].block.as_deref()).or_default().push((position, score));
            }
        }
        for members in blocks.values() {
            let scores: Vec<f64> = members.iter().map(|member| member.1).collect();
            let Some((median, scale)) = robust_scale(&scores) else { continue };
            for &(position, score) in members {
                let z = (score - median) / scale;
                if z.abs() > threshold && self.watches(position) {
                    let facts = [number("score", score), number("block_median", median), number("z", z)];
                    self.raise(alerts, position, Some(node), facts);
                }
            }
        }
    }

    fn verification_gap(&self, node: usize, gap: f64, alerts: &mut Alerts) {
        let Some(verified) = self.context.verified else { return };
        let period = self.period;
        let id = &self.framework.nodes[node].id;
        let (Some(verified_period), Some(verified_variable)) =
            (verified.period_index(&self.current.period), verified.variable_index(id))
        else {
            return;
        };
        let verified_units: BTreeMap<&str, usize> =
            verified.units.iter().enumerate().map(|(index, unit)| (unit.id.as_str(), index)).collect();
        let variable = self.variable(node);
        for position in self.positions(Some(node)) {
            let Some(&unit) = verified_units.get(self.current.units[position].id.as_str()) else { continue };
            let (Some(reported), Some(checked)) = (
                self.raw_value(period, variable, position),
                verified.tables[verified_period].get(verified_variable, unit),
            ) else {
                continue;
            };
            if (reported - checked).abs() > gap {
                let facts = [number("self_assessed", reported), number("verified", checked), number("gap", gap)];
                self.raise(alerts, position, Some(node), facts);
            }
        }
    }

    fn compliance(
        &self,
        node: usize,
        at_least: Option<f64>,
        at_most: Option<f64>,
        items: &[String],
        alerts: &mut Alerts,
    ) {
        let period = self.period;
        let variable = self.variable(node);
        // Required items as a bit mask over the checklist's declared items, when it fits.
        let declared = match self.framework.nodes[node].indicator().map(|indicator| &indicator.value_type) {
            Some(ValueType::Checklist { items: declared }) if declared.len() <= 64 => Some(declared),
            _ => None,
        };
        let required = declared.map_or(0, |declared| {
            declared
                .iter()
                .enumerate()
                .filter(|(_, item)| items.contains(&item.id))
                .fold(0u64, |mask, (bit, _)| mask | (1 << bit))
        });
        let table = &self.context.dataset.tables[period];
        let mut facts = Vec::new();
        for position in self.positions(Some(node)) {
            let unit = self.current.units.dataset_index(position);
            facts.clear();
            match self.raw_value(period, variable, position) {
                None => facts.push(fact("value", FactValue::Word("missing"))),
                Some(value) => {
                    if let Some(floor) = at_least.filter(|floor| value < *floor) {
                        facts.extend([number("value", value), number("at_least", floor)]);
                    }
                    if let Some(ceiling) = at_most.filter(|ceiling| value > *ceiling) {
                        facts.extend([number("value", value), number("at_most", ceiling)]);
                    }
                    if items.is_empty() {
                        // Nothing to check.
                    } else if declared.is_some() {
                        let lacking = required & !variable.map_or(0, |variable| table.item_mask(variable, unit));
                        if lacking != 0 {
                            facts.push(fact("missing_items", FactValue::Items(node, lacking)));
                        }
                    } else if let Some(text) = self.lacking_from_details(variable, unit, items) {
                        facts.push(fact("missing_items", FactValue::Text(text)));
                    }
                }
            }
            if !facts.is_empty() {
                self.raise(alerts, position, Some(node), facts.drain(..));
            }
        }
    }

    /// The required items a checklist value lacks, from the items as given (for
    /// checklists too long for a bit mask).
    fn lacking_from_details(&self, variable: Option<usize>, unit: usize, items: &[String]) -> Option<String> {
        let key = (to_u32(self.period), to_u32(unit), to_u32(variable?));
        let checked = self.context.dataset.details.get(&key).and_then(|details| details.items.as_ref());
        let lacking: Vec<&str> = items
            .iter()
            .filter(|item| !checked.is_some_and(|checked| checked.contains(item)))
            .map(String::as_str)
            .collect();
        (!lacking.is_empty()).then(|| lacking.join(";"))
    }
}

/// The median of `values` and the scale of the robust z-score: the median absolute
/// deviation / 0.6745, or, when more than half the values are equal (MAD 0), the mean
/// absolute deviation x 1.253314 (Iglewicz and Hoaglin). `None` when every value is the
/// same, or there are fewer than three.
pub fn robust_scale(values: &[f64]) -> Option<(f64, f64)> {
    if values.len() < 3 {
        return None;
    }
    let median = stats::median(values)?;
    let deviations: Vec<f64> = values.iter().map(|value| (value - median).abs()).collect();
    let mad = stats::median(&deviations)?;
    let scale =
        if mad > 0.0 { mad / 0.6745 } else { 1.253_314 * deviations.iter().sum::<f64>() / deviations.len() as f64 };
    (scale > 0.0).then_some((median, scale))
}
