//! From a raw indicator file to a checked [`Framework`], collecting every problem.

use super::locate::{FieldPath, Locator};
use super::raw::*;
use super::*;
use crate::diag::{Code, Diagnostic, Severity};
use crate::message::{Arg, Message};
/// Kept here too, where it was first published (see [`crate::text::format_number`]).
pub use crate::text::format_number;
use std::collections::{BTreeMap, BTreeSet};

mod alert_rules;
mod indicators;
mod levels;
mod scoring;
mod settings;
mod tree;

use tree::TreeContext;

/// Checks a raw framework. Returns the framework when it could be built (it may still
/// come with warnings) and every diagnostic, each located in the source.
pub fn validate(raw: &RawFramework, locator: &Locator<'_>) -> (Option<Framework>, Vec<Diagnostic>) {
    let mut checker = Checker { locator, diagnostics: Vec::new() };
    let framework = checker.framework(raw);
    let diagnostics = checker.diagnostics;
    let framework = if diagnostics.iter().any(|d| d.severity == Severity::Error) { None } else { framework };
    (framework, diagnostics)
}

struct Checker<'a, 'b> {
    locator: &'a Locator<'b>,
    diagnostics: Vec<Diagnostic>,
}

fn root_path() -> FieldPath {
    FieldPath::root()
}

/// Where an id may be declared: in `nodes` or in `indicators`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Node(usize),
    Indicator(usize),
}

impl Origin {
    fn path(self) -> FieldPath {
        match self {
            Origin::Node(index) => root_path().key("nodes").index(index),
            Origin::Indicator(index) => root_path().key("indicators").index(index),
        }
    }
}

impl Checker<'_, '_> {
    fn report(&mut self, severity: Severity, code: Code, message: Message, path: &FieldPath, hint: Option<Message>) {
        let location = self.locator.locate(path);
        let hints = hint.into_iter().map(std::sync::Arc::new).collect();
        self.diagnostics.push(Diagnostic { severity, code, message: std::sync::Arc::new(message), location, hints });
    }

    fn error(&mut self, code: Code, message: Message, path: &FieldPath) {
        self.report(Severity::Error, code, message, path, None);
    }

    fn error_hint(&mut self, code: Code, message: Message, path: &FieldPath, hint: Message) {
        self.report(Severity::Error, code, message, path, Some(hint));
    }

    fn warning(&mut self, code: Code, message: Message, path: &FieldPath, hint: Option<Message>) {
        self.report(Severity::Warning, code, message, path, hint);
    }

    /// A name or description, checked against [`crate::limits::MAX_TEXT_CHARS`].
    fn checked_text(&mut self, raw: &Option<RawText>, fallback: &str, path: &FieldPath) -> Text {
        let text = Self::text(raw, fallback);
        for (language, value) in [("vi", &text.vi), ("en", &text.en)] {
            if crate::limits::longer_than(value, crate::limits::MAX_TEXT_CHARS) {
                let message = Message::TextLongerThan {
                    language: Arg::text(language),
                    limit: Arg::count(crate::limits::MAX_TEXT_CHARS),
                };
                self.error(Code::TooLarge, message, path);
                break;
            }
        }
        text
    }

    fn text(raw: &Option<RawText>, fallback: &str) -> Text {
        match raw {
            Some(RawText::Plain(text)) => Text::plain(text.clone()),
            Some(RawText::Localised { vi, en }) => {
                let vi_text = vi.clone().or_else(|| en.clone()).unwrap_or_else(|| fallback.to_owned());
                let en_text = en.clone().or_else(|| vi.clone()).unwrap_or_else(|| fallback.to_owned());
                Text { vi: vi_text, en: en_text }
            }
            None => Text::plain(fallback),
        }
    }

    fn id(&mut self, raw: &Option<String>, path: &FieldPath, what: Message) -> Option<String> {
        match raw {
            None => {
                self.error(Code::MissingField, Message::NoId { what: Arg::message(what) }, path);
                None
            }
            Some(id)
                if let Some(message) =
                    crate::message::Message::too_long(Message::WhatId {}, id, crate::limits::MAX_ID_CHARS) =>
            {
                self.error(Code::TooLarge, message, &path.key("id"));
                None
            }
            Some(id) if !valid_id(id) => {
                let message = Message::InvalidId { id: Arg::given(id) };
                self.error_hint(Code::EmptyId, message, &path.key("id"), Message::HintValidId {});
                None
            }
            Some(id) if crate::text::nfc(id) != id.as_str() => {
                let message = Message::IdNotNfc { id: Arg::given(id) };
                self.error_hint(Code::EmptyId, message, &path.key("id"), Message::HintRetypeId {});
                None
            }
            Some(id) => Some(id.clone()),
        }
    }

    /// The value a name stands for in `table` (the names a field accepts, each with what
    /// it means: aliases included). An unknown name is reported with a hint built from the
    /// same table (each meaning once, by its first name), and gives `None`.
    fn named<T: Clone + PartialEq>(
        &mut self,
        given: &str,
        what: Message,
        table: &[(&str, T)],
        path: &FieldPath,
    ) -> Option<T> {
        if let Some((_, value)) = table.iter().find(|(name, _)| *name == given) {
            return Some(value.clone());
        }
        let mut names: Vec<&str> = Vec::new();
        for (index, (name, value)) in table.iter().enumerate() {
            if !table[..index].iter().any(|(_, earlier)| earlier == value) {
                names.push(name);
            }
        }
        let hint = match names.split_last() {
            Some((last, [])) => Message::HintUseOne { name: Arg::code(*last) },
            Some((last, rest)) => Message::HintUseOneOf { names: Arg::codes(rest.iter()), last: Arg::code(*last) },
            None => Message::HintCheckSpelling {},
        };
        let message = Message::UnknownName { what: Arg::message(what), name: Arg::given(given) };
        self.error_hint(Code::WrongType, message, path, hint);
        None
    }

    fn finite(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !number.is_finite() => {
                self.error(Code::BadNumber, Message::MustBeFinite { name: Arg::code(name) }, path);
                None
            }
            Some(number) if number.abs() > crate::limits::MAX_NUMBER => {
                let message = Message::NumberBeyondLimit {
                    name: Arg::code(name),
                    value: Arg::Number(number),
                    limit: Arg::Number(crate::limits::MAX_NUMBER),
                };
                self.error(Code::BadNumber, message, path);
                None
            }
            other => other,
        }
    }

    fn share(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        let value = self.finite(value, path, name)?;
        if !(0.0..=1.0).contains(&value) {
            let message = Message::OutsideShare { name: Arg::code(name), value: Arg::Number(value) };
            self.error_hint(Code::BadNumber, message, path, Message::HintShare {});
            return None;
        }
        Some(value)
    }

    fn positive(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !(number.is_finite() && number > 0.0) => {
                let message = Message::MustBePositive { name: Arg::code(name), value: Arg::Number(number) };
                self.error_hint(Code::BadWeight, message, path, Message::HintPositiveWeight {});
                None
            }
            Some(number) if name == "weight" && number > crate::limits::MAX_WEIGHT => {
                let message = Message::WeightBeyondLimit {
                    value: Arg::Number(number),
                    limit: Arg::Number(crate::limits::MAX_WEIGHT),
                };
                self.error_hint(Code::BadWeight, message, path, Message::HintWeightsRelative {});
                None
            }
            // Positive and finite: what every number is held to besides.
            other => self.finite(other, path, name),
        }
    }

    fn framework(&mut self, raw: &RawFramework) -> Option<Framework> {
        let root = root_path();
        let id = self.id(&raw.id, &root, Message::WhatTheIndicatorFile {}).unwrap_or_default();
        let version = raw.version.clone().unwrap_or_else(|| "0".to_owned());
        let title = Self::text(&raw.title, &id);
        let description = raw.description.as_ref().map(|text| Self::text(&Some(text.clone()), ""));

        let blocks = self.blocks(&raw.blocks);
        let groups = self.variables(&raw.groups, "groups");
        let denominators = self.variables(&raw.denominators, "denominators");
        let pipeline = self.pipeline(raw.pipeline.as_ref(), &groups);
        let default_scoring = raw.pipeline.as_ref().and_then(|pipeline| pipeline.normalise.clone());
        let default_aggregation = raw.pipeline.as_ref().and_then(|pipeline| pipeline.aggregate.clone());
        let default_coverage = raw.pipeline.as_ref().and_then(|pipeline| pipeline.min_coverage);

        let context = TreeContext {
            blocks: &blocks,
            denominators: &denominators,
            default_scoring: default_scoring.as_ref(),
            default_aggregation: default_aggregation.as_ref(),
            default_coverage,
        };
        let nodes = self.tree(raw, &context)?;
        let levels = self.levels(&raw.levels, &nodes);
        let alerts = self.alerts(&raw.alerts, &nodes, &blocks, &levels);
        let scale = self.scale(raw.scale.as_ref(), &nodes);
        Some(Framework {
            id,
            version,
            title,
            description,
            scale,
            pipeline,
            blocks,
            groups,
            denominators,
            nodes,
            levels,
            alerts,
        })
    }

    fn blocks(&mut self, raw: &[RawBlock]) -> Vec<Block> {
        let mut seen = BTreeSet::new();
        let mut blocks = Vec::new();
        for (index, block) in raw.iter().enumerate() {
            let path = root_path().key("blocks").index(index);
            let Some(id) = self.id(&block.id, &path, Message::WhatABlock {}) else { continue };
            if !seen.insert(id.clone()) {
                self.error(Code::DuplicateId, Message::BlockTwice { id: Arg::code(&id) }, &path.key("id"));
                continue;
            }
            blocks.push(Block { name: self.checked_text(&block.name, &id, &path.key("name")), id });
        }
        blocks
    }

    fn variables(&mut self, raw: &[RawVariable], key: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for (index, variable) in raw.iter().enumerate() {
            let path = root_path().key(key).index(index);
            let Some(id) = self.id(&variable.id, &path, Message::WhatAVariable {}) else { continue };
            if ids.contains(&id) {
                let message = Message::DeclaredTwiceIn { id: Arg::code(&id), section: Arg::code(key) };
                self.error(Code::DuplicateId, message, &path.key("id"));
                continue;
            }
            ids.push(id);
        }
        ids
    }
}

/// Whether a text can be an id: not empty, no white space, commas, quotes or controls.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '\'' | ';'))
}

/// The known name closest to a misspelt one, for "did you mean" hints.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    known
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b_chars.iter().enumerate() {
            let cost = usize::from(a_char != *b_char);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b_chars.len()]
}
