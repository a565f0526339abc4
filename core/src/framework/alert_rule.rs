//! Alert rules as the indicator file declares them (`[[alerts]]`), checked and resolved
//! to node indices by the validator; `crate::alerts` checks them against results.

use super::Text;
use crate::period::Date;
use serde::Serialize;

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertSeverity {
    /// Worth knowing.
    Info,
    /// Needs attention.
    Warning,
    /// Needs action now.
    Critical,
}

impl AlertSeverity {
    /// Every severity, least urgent first.
    pub const ALL: [AlertSeverity; 3] = [AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical];

    /// The severity as a person reads it.
    pub fn label(self, language: crate::text::Language) -> &'static str {
        use crate::text::Language::{En, Vi};
        match (self, language) {
            (AlertSeverity::Info, Vi) => "Thông tin",
            (AlertSeverity::Warning, Vi) => "Cảnh báo",
            (AlertSeverity::Critical, Vi) => "Nghiêm trọng",
            (AlertSeverity::Info, En) => "Information",
            (AlertSeverity::Warning, En) => "Warning",
            (AlertSeverity::Critical, En) => "Critical",
        }
    }

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            AlertSeverity::Info => "info",
            AlertSeverity::Warning => "warning",
            AlertSeverity::Critical => "critical",
        }
    }

    /// Reads a severity name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|severity| severity.name() == name)
    }
}

/// One monitoring rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRule {
    /// Identifier, unique in the file.
    pub id: String,
    /// How urgent its alerts are.
    pub severity: AlertSeverity,
    /// What the alert tells a person, in Vietnamese and English.
    pub message: Text,
    /// The rule's short name, when the file gives one (see [`AlertRule::display_name`]).
    pub name: Option<Text>,
    /// The blocks the rule watches (indices into the framework's blocks); empty: all.
    pub blocks: Vec<usize>,
    /// What raises it.
    pub kind: RuleKind,
}

/// Whether a target is a floor or a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// The value must be at least the target.
    AtLeast,
    /// The value must be at most the target.
    AtMost,
}

impl Bound {
    /// Whether `value` meets `target` under this bound.
    pub fn holds(self, value: f64, target: f64) -> bool {
        match self {
            Bound::AtLeast => value >= target,
            Bound::AtMost => value <= target,
        }
    }
}

/// What raises an alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RuleKind {
    /// A node's score below `below` points, or its maturity level below a level.
    Threshold {
        /// The node (or indicator) watched.
        node: usize,
        /// Raised when the score is below this.
        below: Option<f64>,
        /// Raised when the level (set index, level index) is below this one, or not reached.
        level_below: Option<(usize, usize)>,
    },
    /// A fall against the previous period.
    Decline {
        /// The node watched.
        node: usize,
        /// Raised when the score fell by more than this many points.
        points: Option<f64>,
        /// Raised when the unit lost more than this many places.
        ranks: Option<u32>,
    },
    /// Old evidence, or values carried over from an older period.
    Stale {
        /// Raised for evidence dated more than this many months before the evaluation date.
        months: Option<u32>,
        /// Raised for values carried forward from an older period.
        carried: bool,
    },
    /// A unit of the data with no submission in the period.
    Missing,
    /// Data coverage under a share.
    Coverage {
        /// Raised when the share of applicable indicators with data is below this (0 to 1).
        below: f64,
    },
    /// A value to reach by a deadline: raised when the deadline has passed without it, or
    /// when the trend over the periods will not reach it in time.
    Target {
        /// The indicator (its raw value is watched).
        node: usize,
        /// The target value.
        target: f64,
        /// A floor or a ceiling.
        bound: Bound,
        /// The deadline.
        by: Date,
    },
    /// A score far from its block's: robust z-score on the median absolute deviation.
    Outlier {
        /// The node watched.
        node: usize,
        /// Raised when |z| exceeds this (3.5 is the usual choice).
        z: f64,
    },
    /// A self-assessed value far from the verified one.
    VerificationGap {
        /// The indicator compared.
        node: usize,
        /// Raised when |self-assessed - verified| exceeds this.
        gap: f64,
    },
    /// A legal or technical requirement on an indicator's raw value.
    Compliance {
        /// The indicator.
        node: usize,
        /// The value must be at least this.
        at_least: Option<f64>,
        /// The value must be at most this.
        at_most: Option<f64>,
        /// Checklist items that must all be checked.
        items: Vec<String>,
    },
}

impl RuleKind {
    /// The kind's name in files.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Threshold { .. } => "threshold",
            RuleKind::Decline { .. } => "decline",
            RuleKind::Stale { .. } => "stale",
            RuleKind::Missing => "missing",
            RuleKind::Coverage { .. } => "coverage",
            RuleKind::Target { .. } => "target",
            RuleKind::Outlier { .. } => "outlier",
            RuleKind::VerificationGap { .. } => "verification-gap",
            RuleKind::Compliance { .. } => "compliance",
        }
    }

    /// The kind as a person reads it.
    pub fn label(&self, language: crate::text::Language) -> &'static str {
        let vi = language == crate::text::Language::Vi;
        match self {
            RuleKind::Threshold { .. } => {
                if vi {
                    "Dưới ngưỡng"
                } else {
                    "Below a threshold"
                }
            }
            RuleKind::Decline { .. } => {
                if vi {
                    "Sụt giảm"
                } else {
                    "Decline"
                }
            }
            RuleKind::Stale { .. } => {
                if vi {
                    "Minh chứng cũ"
                } else {
                    "Stale evidence"
                }
            }
            RuleKind::Missing => {
                if vi {
                    "Thiếu số liệu"
                } else {
                    "Missing data"
                }
            }
            RuleKind::Coverage { .. } => {
                if vi {
                    "Thiếu độ bao phủ"
                } else {
                    "Low coverage"
                }
            }
            RuleKind::Target { .. } => {
                if vi {
                    "Mục tiêu"
                } else {
                    "Target"
                }
            }
            RuleKind::Outlier { .. } => {
                if vi {
                    "Giá trị bất thường"
                } else {
                    "Outlier"
                }
            }
            RuleKind::VerificationGap { .. } => {
                if vi {
                    "Chênh lệch thẩm định"
                } else {
                    "Verification gap"
                }
            }
            RuleKind::Compliance { .. } => {
                if vi {
                    "Tuân thủ"
                } else {
                    "Compliance"
                }
            }
        }
    }

    /// The node the rule watches, when it watches one.
    pub fn node(&self) -> Option<usize> {
        match self {
            RuleKind::Threshold { node, .. }
            | RuleKind::Decline { node, .. }
            | RuleKind::Target { node, .. }
            | RuleKind::Outlier { node, .. }
            | RuleKind::VerificationGap { node, .. }
            | RuleKind::Compliance { node, .. } => Some(*node),
            RuleKind::Stale { .. } | RuleKind::Missing | RuleKind::Coverage { .. } => None,
        }
    }

    /// Every kind's name, for messages.
    pub const NAMES: &'static str =
        "threshold, decline, stale, missing, coverage, target, outlier, verification-gap or compliance";
}

impl AlertRule {
    /// The rule's name as a person reads it: the file's `name`, else its kind and the
    /// name of the node it watches ("Dưới ngưỡng: An toàn thông tin mạng").
    pub fn display_name(&self, framework: &super::Framework, language: crate::text::Language) -> String {
        if let Some(name) = &self.name {
            return name.get(language).to_owned();
        }
        match self.kind.node() {
            Some(node) => format!("{}: {}", self.kind.label(language), framework.nodes[node].name.get(language)),
            None => self.kind.label(language).to_owned(),
        }
    }
}
