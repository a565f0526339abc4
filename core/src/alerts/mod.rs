//! The monitoring mechanism: alert rules from the indicator file checked against a
//! period's evaluation, its history and the data behind it.
//!
//! Every [`Alert`] names its rule, unit and period and carries the values that raised
//! it, so a person can see why. Nothing here reads a clock: the evaluation date is
//! [`AlertContext::as_of`].

mod rule;

pub use rule::{AlertRule, AlertSeverity, Bound, RuleKind};

use crate::data::Dataset;
use crate::evaluation::{Evaluation, flags};
use crate::framework::{Framework, Text};
use crate::period::Date;
use crate::pipeline::stats;
use crate::series::{carried_from, linear_trend, series_times};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the rules are checked against.
#[derive(Debug, Clone, Copy)]
pub struct AlertContext<'a> {
    /// The data the evaluations were made from (evidence dates, checklist items, raw values).
    pub dataset: &'a Dataset,
    /// Evaluations of the periods so far, oldest first: the last is the period checked,
    /// the one before it the previous period.
    pub series: &'a [Evaluation],
    /// The evaluation date: evidence ages and deadlines are measured from it. Without
    /// it, the checked period's time stands for "now" and evidence ages are not checked.
    pub as_of: Option<Date>,
    /// Verified values for the same units and periods, for verification-gap rules.
    pub verified: Option<&'a Dataset>,
}

/// One raised alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The rule's id.
    pub rule: String,
    /// The rule's kind.
    pub kind: &'static str,
    /// How urgent it is.
    pub severity: AlertSeverity,
    /// The unit's id.
    pub unit: String,
    /// The unit's name.
    pub unit_name: String,
    /// The unit's block.
    pub block: Option<String>,
    /// The period checked.
    pub period: String,
    /// The node or indicator concerned, when there is one.
    pub node: Option<String>,
    /// The rule's message.
    pub message: Text,
    /// The values that raised it, by name.
    pub facts: Vec<Fact>,
}

/// A named value behind an alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// What the value is, e.g. `score` or `below`.
    pub name: &'static str,
    /// The value.
    pub value: FactValue,
}

/// A number or a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FactValue {
    /// A number.
    Number(f64),
    /// A text (a date, a period, an id).
    Text(String),
}

impl std::fmt::Display for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Shown to 4 decimals; the exact value is in the JSON output.
            FactValue::Number(number) => {
                f.write_str(&crate::framework::validate::format_number(crate::evaluation::round_to(*number, 4)))
            }
            FactValue::Text(text) => f.write_str(text),
        }
    }
}

fn number(name: &'static str, value: f64) -> Fact {
    Fact { name, value: FactValue::Number(value) }
}

fn text(name: &'static str, value: impl Into<String>) -> Fact {
    Fact { name, value: FactValue::Text(value.into()) }
}

/// Checks every rule of the checked evaluation's framework. Alerts come most urgent
/// first, then in the file's rule order, then in the evaluation's unit order.
pub fn check_alerts(context: &AlertContext<'_>) -> Vec<Alert> {
    let Some(current) = context.series.last() else { return Vec::new() };
    let framework = &current.framework;
    let mut alerts = Vec::new();
    for rule in &framework.alerts {
        let checker = RuleCheck { context, current, framework, rule };
        checker.run(&mut alerts);
    }
    // Stable: rule order, then unit order, within a severity.
    alerts.sort_by_key(|alert| std::cmp::Reverse(alert.severity));
    alerts
}

/// One rule checked against the current period.
struct RuleCheck<'a> {
    context: &'a AlertContext<'a>,
    current: &'a Evaluation,
    framework: &'a Framework,
    rule: &'a AlertRule,
}

impl RuleCheck<'_> {
    fn run(&self, alerts: &mut Vec<Alert>) {
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
        self.rule.blocks.is_empty() || {
            let block = self.current.units[position].block.as_deref();
            block
                .and_then(|block| self.framework.block_index(block))
                .is_some_and(|index| self.rule.blocks.contains(&index))
        }
    }

    /// The watched positions of the current evaluation where `node` applies.
    fn positions(&self, node: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        (0..self.current.n_units())
            .filter(move |&position| self.watches(position))
            .filter(move |&position| node.is_none_or(|node| self.current.applies(node, position)))
    }

    fn alert(&self, position: usize, node: Option<usize>, facts: Vec<Fact>) -> Alert {
        let unit = &self.current.units[position];
        Alert {
            rule: self.rule.id.clone(),
            kind: self.rule.kind.name(),
            severity: self.rule.severity,
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            block: unit.block.clone(),
            period: self.current.period.clone(),
            node: node.map(|node| self.framework.nodes[node].id.clone()),
            message: self.rule.message.clone(),
            facts,
        }
    }

    /// The data set's period index of the current evaluation.
    fn period_index(&self) -> Option<usize> {
        self.context.dataset.period_index(&self.current.period)
    }

    /// The raw value of an indicator for a current position, in a period of the data.
    fn raw_value(&self, period: usize, node: usize, position: usize) -> Option<f64> {
        let variable = self.context.dataset.variable_index(&self.framework.nodes[node].id)?;
        self.context.dataset.tables.get(period)?.get(variable, self.current.units.dataset_index(position))
    }

    fn threshold(&self, node: usize, below: Option<f64>, level_below: Option<(usize, usize)>, alerts: &mut Vec<Alert>) {
        for position in self.positions(Some(node)) {
            let score = self.current.score(node, position);
            let mut facts = Vec::new();
            if let (Some(below), Some(score)) = (below, score)
                && score < below
            {
                facts.extend([number("score", score), number("below", below)]);
            }
            if let Some((set, wanted)) = level_below {
                let reached = self.current.levels[set][position].map(usize::from);
                if reached.is_none_or(|reached| reached < wanted) {
                    let levels = &self.framework.levels[set].levels;
                    let reached = reached.map_or_else(|| "none".to_owned(), |index| levels[index].id.clone());
                    facts.extend([text("level", reached), text("level_below", levels[wanted].id.clone())]);
                }
            }
            if !facts.is_empty() {
                alerts.push(self.alert(position, Some(node), facts));
            }
        }
    }

    fn decline(&self, node: usize, points: Option<f64>, ranks: Option<u32>, alerts: &mut Vec<Alert>) {
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
        for position in self.positions(Some(node)) {
            let Some(&before) = positions.get(self.current.units[position].id.as_str()) else { continue };
            let mut facts = Vec::new();
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
                facts.push(text("previous_period", previous.period.clone()));
                alerts.push(self.alert(position, Some(node), facts));
            }
        }
    }

    fn stale(&self, months: Option<u32>, carried: bool, alerts: &mut Vec<Alert>) {
        let Some(period) = self.period_index() else { return };
        let dataset = self.context.dataset;
        let n_units = self.current.n_units();
        for position in self.positions(None) {
            let unit = self.current.units.dataset_index(position);
            for node in self.framework.indicator_indices() {
                if !self.current.applies(node, position) {
                    continue;
                }
                let id = &self.framework.nodes[node].id;
                if carried && self.current.flags[node * n_units + position] & flags::STALE != 0 {
                    let from = carried_from(dataset, period, unit, id).unwrap_or("?");
                    alerts.push(self.alert(position, Some(node), vec![text("carried_from", from)]));
                    continue;
                }
                let (Some(months), Some(as_of)) = (months, self.context.as_of) else { continue };
                let Some(variable) = dataset.variable_index(id) else { continue };
                let key = (to_u32(period), to_u32(unit), to_u32(variable));
                let Some(date) = dataset.details.get(&key).and_then(|details| details.evidence_date.as_deref()) else {
                    continue;
                };
                let Ok(evidence) = date.parse::<Date>() else { continue };
                let age = as_of.months_since(evidence);
                if age > i64::from(months) {
                    let facts = vec![
                        text("evidence_date", date),
                        number("months_old", age as f64),
                        number("months", f64::from(months)),
                    ];
                    alerts.push(self.alert(position, Some(node), facts));
                }
            }
        }
    }

    fn missing(&self, alerts: &mut Vec<Alert>) {
        let dataset = self.context.dataset;
        let Some(period) = self.period_index() else { return };
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
            let mut facts = Vec::new();
            if let Some(&last) = last {
                facts.push(text("last_period", dataset.periods[last].clone()));
            }
            alerts.push(Alert {
                rule: self.rule.id.clone(),
                kind: self.rule.kind.name(),
                severity: self.rule.severity,
                unit: info.id.clone(),
                unit_name: info.name.clone(),
                block: info.block.clone(),
                period: self.current.period.clone(),
                node: None,
                message: self.rule.message.clone(),
                facts,
            });
        }
    }

    fn coverage(&self, below: f64, alerts: &mut Vec<Alert>) {
        for position in self.positions(None) {
            let coverage = self.current.coverage[position];
            if coverage < below {
                alerts.push(self.alert(position, None, vec![number("coverage", coverage), number("below", below)]));
            }
        }
    }

    fn target(&self, node: usize, target: f64, bound: Bound, by: Date, alerts: &mut Vec<Alert>) {
        let Some(period) = self.period_index() else { return };
        let series = self.context.series;
        let times = series_times(series);
        let now = self.context.as_of.map_or_else(|| times.last().copied().unwrap_or(0.0), Date::as_year);
        let deadline = by.as_year();
        let periods: Vec<Option<usize>> =
            series.iter().map(|evaluation| self.context.dataset.period_index(&evaluation.period)).collect();
        let variable = self.context.dataset.variable_index(&self.framework.nodes[node].id);
        for position in self.positions(Some(node)) {
            let Some(value) = self.raw_value(period, node, position) else { continue };
            if bound.holds(value, target) {
                continue;
            }
            let mut facts = vec![number("value", value), number("target", target), text("by", by.to_string())];
            if now >= deadline {
                facts.push(text("status", "missed"));
                alerts.push(self.alert(position, Some(node), facts));
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
                facts.extend([number("projected", projected), text("status", "off-track")]);
                alerts.push(self.alert(position, Some(node), facts));
            }
        }
    }

    fn outlier(&self, node: usize, threshold: f64, alerts: &mut Vec<Alert>) {
        let mut blocks: BTreeMap<Option<&str>, Vec<(usize, f64)>> = BTreeMap::new();
        for position in 0..self.current.n_units() {
            if let Some(score) = self.current.score(node, position).filter(|_| self.current.applies(node, position)) {
                blocks.entry(self.current.units[position].block.as_deref()).or_default().push((position, score));
            }
        }
        for members in blocks.values() {
            let scores: Vec<f64> = members.iter().map(|member| member.1).collect();
            let Some((median, scale)) = robust_scale(&scores) else { continue };
            for &(position, score) in members {
                let z = (score - median) / scale;
                if z.abs() > threshold && self.watches(position) {
                    let facts = vec![number("score", score), number("block_median", median), number("z", z)];
                    alerts.push(self.alert(position, Some(node), facts));
                }
            }
        }
    }

    fn verification_gap(&self, node: usize, gap: f64, alerts: &mut Vec<Alert>) {
        let (Some(verified), Some(period)) = (self.context.verified, self.period_index()) else { return };
        let id = &self.framework.nodes[node].id;
        let (Some(verified_period), Some(verified_variable)) =
            (verified.period_index(&self.current.period), verified.variable_index(id))
        else {
            return;
        };
        let verified_units: BTreeMap<&str, usize> =
            verified.units.iter().enumerate().map(|(index, unit)| (unit.id.as_str(), index)).collect();
        for position in self.positions(Some(node)) {
            let Some(&unit) = verified_units.get(self.current.units[position].id.as_str()) else { continue };
            let (Some(reported), Some(checked)) =
                (self.raw_value(period, node, position), verified.tables[verified_period].get(verified_variable, unit))
            else {
                continue;
            };
            if (reported - checked).abs() > gap {
                let facts = vec![number("self_assessed", reported), number("verified", checked), number("gap", gap)];
                alerts.push(self.alert(position, Some(node), facts));
            }
        }
    }

    fn compliance(
        &self,
        node: usize,
        at_least: Option<f64>,
        at_most: Option<f64>,
        items: &[String],
        alerts: &mut Vec<Alert>,
    ) {
        let Some(period) = self.period_index() else { return };
        let variable = self.context.dataset.variable_index(&self.framework.nodes[node].id);
        for position in self.positions(Some(node)) {
            let unit = self.current.units.dataset_index(position);
            let value = self.raw_value(period, node, position);
            let mut facts = Vec::new();
            match value {
                None => facts.push(text("value", "missing")),
                Some(value) => {
                    if let Some(floor) = at_least.filter(|floor| value < *floor) {
                        facts.extend([number("value", value), number("at_least", floor)]);
                    }
                    if let Some(ceiling) = at_most.filter(|ceiling| value > *ceiling) {
                        facts.extend([number("value", value), number("at_most", ceiling)]);
                    }
                    if !items.is_empty() {
                        let key = variable.map(|variable| (to_u32(period), to_u32(unit), to_u32(variable)));
                        let checked = key
                            .and_then(|key| self.context.dataset.details.get(&key))
                            .and_then(|details| details.items.as_ref());
                        let lacking: Vec<&str> = items
                            .iter()
                            .filter(|item| !checked.is_some_and(|checked| checked.contains(item)))
                            .map(String::as_str)
                            .collect();
                        if !lacking.is_empty() {
                            facts.push(text("missing_items", lacking.join(";")));
                        }
                    }
                }
            }
            if !facts.is_empty() {
                alerts.push(self.alert(position, Some(node), facts));
            }
        }
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

fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}
