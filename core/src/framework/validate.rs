//! From a raw indicator file to a checked [`Framework`], collecting every problem.

use super::locate::{FieldPath, Locator};
use super::raw::*;
use super::*;
use crate::diag::{Code, Diagnostic, Severity};
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
    fn report(&mut self, severity: Severity, code: Code, message: String, path: &FieldPath, hint: Option<String>) {
        let location = self.locator.locate(path);
        let mut diagnostic = Diagnostic { severity, code, message, location, hints: Vec::new() };
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn error(&mut self, code: Code, message: impl Into<String>, path: &FieldPath) {
        self.report(Severity::Error, code, message.into(), path, None);
    }

    fn error_hint(&mut self, code: Code, message: impl Into<String>, path: &FieldPath, hint: impl Into<String>) {
        self.report(Severity::Error, code, message.into(), path, Some(hint.into()));
    }

    fn warning(&mut self, code: Code, message: impl Into<String>, path: &FieldPath, hint: Option<String>) {
        self.report(Severity::Warning, code, message.into(), path, hint);
    }

    /// A name or description, checked against [`crate::limits::MAX_TEXT_CHARS`].
    fn checked_text(&mut self, raw: &Option<RawText>, fallback: &str, path: &FieldPath) -> Text {
        let text = Self::text(raw, fallback);
        for (language, value) in [("vi", &text.vi), ("en", &text.en)] {
            if crate::limits::longer_than(value, crate::limits::MAX_TEXT_CHARS) {
                let message =
                    format!("this text ({language}) is longer than {} characters", crate::limits::MAX_TEXT_CHARS);
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

    fn id(&mut self, raw: &Option<String>, path: &FieldPath, what: &str) -> Option<String> {
        match raw {
            None => {
                self.error(Code::MissingField, format!("{what} has no `id`"), path);
                None
            }
            Some(id) if let Some(message) = crate::limits::too_long("the id", id, crate::limits::MAX_ID_CHARS) => {
                self.error(Code::TooLarge, message, &path.key("id"));
                None
            }
            Some(id) if !valid_id(id) => {
                self.error_hint(
                    Code::EmptyId,
                    format!("`{id}` is not a valid id"),
                    &path.key("id"),
                    "ids are not empty and contain no spaces, commas, quotes or control characters",
                );
                None
            }
            Some(id) if crate::text::nfc(id) != id.as_str() => {
                self.error_hint(
                    Code::EmptyId,
                    format!("`{id}` is written with combining marks, not in Unicode NFC form"),
                    &path.key("id"),
                    "retype the id with precomposed letters: ids are compared in NFC, so that two ids that print the same are one id",
                );
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
        what: &str,
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
            Some((last, [])) => format!("use {last}"),
            Some((last, rest)) => format!("use {} or {last}", rest.join(", ")),
            None => String::new(),
        };
        self.error_hint(Code::WrongType, format!("unknown {what} `{given}`"), path, hint);
        None
    }

    fn finite(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !number.is_finite() => {
                self.error(Code::BadNumber, format!("`{name}` must be a finite number"), path);
                None
            }
            Some(number) if number.abs() > crate::limits::MAX_NUMBER => {
                self.error(
                    Code::BadNumber,
                    format!(
                        "`{name}` is {number:e}, larger than the {:e} this tool computes with",
                        crate::limits::MAX_NUMBER
                    ),
                    path,
                );
                None
            }
            other => other,
        }
    }

    fn share(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        let value = self.finite(value, path, name)?;
        if !(0.0..=1.0).contains(&value) {
            self.error_hint(
                Code::BadNumber,
                format!("`{name}` is {value}, outside 0 to 1"),
                path,
                "give a share, e.g. 0.9 for 90%",
            );
            return None;
        }
        Some(value)
    }

    fn positive(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !(number.is_finite() && number > 0.0) => {
                self.error_hint(
                    Code::BadWeight,
                    format!("`{name}` is {number}; it must be positive and finite"),
                    path,
                    "use 0 < weight; to keep an indicator without points, set `info_only = true`",
                );
                None
            }
            Some(number) if name == "weight" && number > crate::limits::MAX_WEIGHT => {
                self.error_hint(
                    Code::BadWeight,
                    format!("`weight` is {number:e}, more than the {:e} this tool allows", crate::limits::MAX_WEIGHT),
                    path,
                    "weights are relative: 2 weighs twice as much as 1",
                );
                None
            }
            // Positive and finite: what every number is held to besides.
            other => self.finite(other, path, name),
        }
    }

    fn framework(&mut self, raw: &RawFramework) -> Option<Framework> {
        let root = root_path();
        let id = self.id(&raw.id, &root, "the indicator file").unwrap_or_default();
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
            let Some(id) = self.id(&block.id, &path, "a block") else { continue };
            if !seen.insert(id.clone()) {
                self.error(Code::DuplicateId, format!("block `{id}` is declared twice"), &path.key("id"));
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
            let Some(id) = self.id(&variable.id, &path, "a variable") else { continue };
            if ids.contains(&id) {
                self.error(Code::DuplicateId, format!("`{id}` is declared twice in `{key}`"), &path.key("id"));
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
