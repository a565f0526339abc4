//! The monitoring mechanism: alert rules from the indicator file checked against a
//! period's evaluation, its history and the data behind it.
//!
//! Every [`Alert`] names its rule, unit and period and carries the values that raised
//! it, so a person can see why. Nothing here reads a clock: the evaluation date is
//! [`AlertContext::as_of`].

mod checks;

pub use crate::framework::alert_rule::{AlertRule, AlertSeverity, Bound, RuleKind};

use crate::data::Dataset;
use crate::evaluation::Evaluation;
use crate::framework::{Framework, Text, ValueType};
use crate::period::Date;
use crate::text::to_u32;
use serde::Serialize;

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

/// One raised alert. It refers to the rule, unit and node by index, so that checking
/// thousands of units allocates little; [`Alert::view`] resolves it to names and texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The rule: an index into the framework's `alerts`.
    pub rule: usize,
    /// How urgent it is.
    pub severity: AlertSeverity,
    /// The unit: an index into the data set's units.
    pub unit: usize,
    /// The period checked: an index into the data set's periods.
    pub period: usize,
    /// The node or indicator concerned, when there is one.
    pub node: Option<usize>,
    /// Where its facts are in [`Alerts::facts`].
    facts: (u32, u32),
}

/// The alerts of a check, with their facts stored together (one allocation for all).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerts {
    /// The alerts, most urgent first, then in rule order, then in unit order.
    pub alerts: Vec<Alert>,
    /// Every alert's facts, one after the other.
    facts: Vec<Fact>,
}

impl Alerts {
    /// The facts of one of these alerts.
    pub fn facts(&self, alert: &Alert) -> &[Fact] {
        self.facts.get(alert.facts.0 as usize..alert.facts.1 as usize).unwrap_or_default()
    }

    /// How many alerts there are.
    pub fn len(&self) -> usize {
        self.alerts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty()
    }

    /// Every alert with its names and texts (see [`Alert::view`]).
    pub fn views(&self, framework: &Framework, dataset: &Dataset) -> Vec<AlertView> {
        self.alerts.iter().map(|alert| alert.view(self.facts(alert), framework, dataset)).collect()
    }

    fn push(&mut self, alert: Alert, facts: impl IntoIterator<Item = Fact>) {
        let start = to_u32(self.facts.len());
        self.facts.extend(facts);
        self.alerts.push(Alert { facts: (start, to_u32(self.facts.len())), ..alert });
    }
}

/// A named value behind an alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// What the value is, e.g. `score` or `below`.
    pub name: &'static str,
    /// The value.
    pub value: FactValue,
}

/// The value of a fact; periods and levels by index until resolved by [`Alert::view`].
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// A number.
    Number(f64),
    /// A fixed word, e.g. `missed`.
    Word(&'static str),
    /// A date.
    Date(Date),
    /// A period of the data set (index).
    Period(usize),
    /// A maturity level: level set and level index, or `None` for no level reached.
    Level(usize, Option<usize>),
    /// Items of a checklist indicator (node): bit `i` is its `i`-th declared item.
    Items(usize, u64),
    /// Any other text.
    Text(String),
}

/// An alert with its names and texts, for people and files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertView {
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
    /// The node or indicator concerned.
    pub node: Option<String>,
    /// The rule's message.
    pub message: Text,
    /// The values that raised it, by name, in order (a JSON object).
    #[serde(serialize_with = "facts_as_object")]
    pub facts: Vec<(String, ShownValue)>,
}

fn facts_as_object<S: serde::Serializer>(facts: &[(String, ShownValue)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(facts.iter().map(|(name, value)| (name, value)))
}

/// A resolved fact value: a number, or a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ShownValue {
    /// A number (exact).
    Number(f64),
    /// A text.
    Text(String),
}

impl std::fmt::Display for ShownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Shown to 4 decimals; the exact value is in the JSON output.
            ShownValue::Number(number) => {
                f.write_str(&crate::text::format_number(crate::evaluation::round_to(*number, 4)))
            }
            ShownValue::Text(text) => f.write_str(text),
        }
    }
}

impl Alert {
    /// The alert's rule.
    pub fn rule<'a>(&self, framework: &'a Framework) -> &'a AlertRule {
        &framework.alerts[self.rule]
    }

    /// Names and texts for the alert, with its `facts` (from [`Alerts::facts`]):
    /// `framework` and `dataset` are those it was raised on.
    pub fn view(&self, facts: &[Fact], framework: &Framework, dataset: &Dataset) -> AlertView {
        let rule = self.rule(framework);
        let unit = &dataset.units[self.unit];
        let facts = facts
            .iter()
            .map(|fact| {
                let shown = match &fact.value {
                    FactValue::Number(number) => ShownValue::Number(*number),
                    FactValue::Word(word) => ShownValue::Text((*word).to_owned()),
                    FactValue::Date(date) => ShownValue::Text(date.to_string()),
                    FactValue::Period(period) => ShownValue::Text(dataset.periods[*period].clone()),
                    FactValue::Level(set, level) => ShownValue::Text(
                        level
                            .map_or_else(|| "none".to_owned(), |level| framework.levels[*set].levels[level].id.clone()),
                    ),
                    FactValue::Items(node, mask) => ShownValue::Text(match framework.nodes[*node].indicator() {
                        Some(crate::framework::Indicator { value_type: ValueType::Checklist { items }, .. }) => items
                            .iter()
                            .enumerate()
                            .filter(|(bit, _)| mask & (1 << bit) != 0)
                            .map(|(_, item)| item.id.as_str())
                            .collect::<Vec<_>>()
                            .join(";"),
                        _ => String::new(),
                    }),
                    FactValue::Text(text) => ShownValue::Text(text.clone()),
                };
                (fact.name.to_owned(), shown)
            })
            .collect();
        AlertView {
            rule: rule.id.clone(),
            kind: rule.kind.name(),
            severity: self.severity,
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            block: unit.block.clone(),
            period: dataset.periods[self.period].clone(),
            node: self.node.map(|node| framework.nodes[node].id.clone()),
            message: rule.message.clone(),
            facts,
        }
    }
}

/// What a fact is, as a person reads it: `score` is "điểm" / "score".
pub fn fact_label(name: &str, language: crate::text::Language) -> &str {
    const LABELS: &[(&str, &str, &str)] = &[
        ("score", "điểm", "score"),
        ("below", "ngưỡng", "threshold"),
        ("value", "giá trị", "value"),
        ("at_least", "mục tiêu tối thiểu", "target at least"),
        ("at_most", "mục tiêu tối đa", "target at most"),
        ("target", "mục tiêu", "target"),
        ("by", "hạn", "deadline"),
        ("projected", "dự báo", "projected"),
        ("status", "tình trạng", "status"),
        ("level", "mức", "level"),
        ("level_below", "ngưỡng mức", "level threshold"),
        ("fall", "mức giảm", "fall"),
        ("previous_score", "điểm kỳ trước", "previous score"),
        ("previous_rank", "hạng kỳ trước", "previous rank"),
        ("rank", "hạng", "rank"),
        ("previous_period", "kỳ trước", "previous period"),
        ("months", "số tháng cho phép", "months allowed"),
        ("months_old", "số tháng", "months old"),
        ("evidence_date", "ngày minh chứng", "evidence date"),
        ("carried_from", "lấy từ kỳ", "carried from"),
        ("last_period", "kỳ gần nhất có số liệu", "last period with data"),
        ("coverage", "độ bao phủ", "coverage"),
        ("block_median", "trung vị của khối", "block median"),
        ("z", "độ lệch z", "z-score"),
        ("gap", "chênh lệch", "gap"),
        ("self_assessed", "tự đánh giá", "self-assessed"),
        ("verified", "đã thẩm định", "verified"),
        ("missing_items", "mục còn thiếu", "missing items"),
    ];
    let vi = language == crate::text::Language::Vi;
    LABELS.iter().find(|(known, _, _)| *known == name).map_or(name, |(_, vi_label, en)| if vi { vi_label } else { en })
}

/// A fact's text value as a person reads it: a date in the language's way, a level by
/// its name, a fixed word translated, checklist items by their labels.
pub fn fact_text(name: &str, text: &str, framework: &Framework, language: crate::text::Language) -> String {
    let vi = language == crate::text::Language::Vi;
    if let Ok(date) = text.parse::<Date>() {
        return language.date(date);
    }
    match (name, text) {
        (_, "missed") => return (if vi { "trễ hạn" } else { "missed" }).to_owned(),
        (_, "off-track") => return (if vi { "chệch hướng" } else { "off track" }).to_owned(),
        (_, "missing") => return (if vi { "thiếu" } else { "missing" }).to_owned(),
        ("level" | "level_below", "none") => return (if vi { "chưa đạt mức nào" } else { "no level" }).to_owned(),
        _ => {}
    }
    if matches!(name, "level" | "level_below")
        && let Some(level) = framework.levels.iter().flat_map(|set| &set.levels).find(|level| level.id == text)
    {
        return level.name.get(language).to_owned();
    }
    if name == "missing_items" {
        let items: Vec<&str> = text
            .split(';')
            .map(|id| {
                framework
                    .nodes
                    .iter()
                    .filter_map(|node| match node.indicator().map(|indicator| &indicator.value_type) {
                        Some(ValueType::Checklist { items }) => items.iter().find(|item| item.id == id),
                        _ => None,
                    })
                    .next()
                    .map_or(id, |item| item.name.get(language))
            })
            .collect();
        return items.join(", ");
    }
    text.to_owned()
}

fn number(name: &'static str, value: f64) -> Fact {
    Fact { name, value: FactValue::Number(value) }
}

fn fact(name: &'static str, value: FactValue) -> Fact {
    Fact { name, value }
}

/// Checks every rule of the checked evaluation's framework. Alerts come most urgent
/// first, then in the file's rule order, then in the evaluation's unit order.
pub fn check_alerts(context: &AlertContext<'_>) -> Alerts {
    let Some(current) = context.series.last() else { return Alerts::default() };
    let framework = &current.framework;
    let Some(period) = context.dataset.period_index(&current.period) else { return Alerts::default() };
    // Each position's block slot, computed once for every rule.
    let slots: Vec<usize> = (0..current.n_units()).map(|position| current.block_slot(position)).collect();
    let mut alerts = Alerts::default();
    for (index, rule) in framework.alerts.iter().enumerate() {
        let checker = checks::RuleCheck { context, current, framework, rule, index, period, slots: &slots };
        checker.run(&mut alerts);
    }
    // Stable: rule order, then unit order, within a severity.
    alerts.alerts.sort_by_key(|alert| std::cmp::Reverse(alert.severity));
    alerts
}

pub use checks::robust_scale;
