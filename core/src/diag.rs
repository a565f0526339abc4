//! Diagnostics as plain data.
//!
//! Every problem found in an indicator file or a data file is a [`Diagnostic`]: a
//! severity, a stable kebab-case [`Code`], a message, where it is (file, line, column)
//! and hints. The core never renders them; the command line draws source snippets and
//! the web app shows the same data next to the field.

use crate::message::{Arg, Message, Names};
use crate::text::{Language, to_u32};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file works, but probably not as intended.
    Warning,
    /// Something worth knowing.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A place in a source file. Lines and columns start at 1; `start..end` are byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    /// The file's name as the user gave it.
    pub file: String,
    /// Line, from 1; 0 when the place is the whole file.
    pub line: u32,
    /// Column in characters from 1 (in CSV and Excel data: the field number); 0 when unknown.
    pub column: u32,
    /// Byte offset of the start of the place, when known.
    pub start: Option<u32>,
    /// Byte offset just after the place, when known.
    pub end: Option<u32>,
    /// The field path inside the document, e.g. `indicators[3].weight`.
    pub path: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        if let Some(path) = &self.path {
            write!(f, " ({path})")?;
        }
        Ok(())
    }
}

macro_rules! codes {
    ($($variant:ident => $text:literal: $doc:literal,)*) => {
        /// The stable code of a diagnostic. Codes never change meaning once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        #[non_exhaustive]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, for documentation and the uniqueness test.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case text of the code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }
        }
    };
}

codes! {
    Syntax => "syntax": "The file is not valid TOML, JSON, CSV or Excel.",
    WrongType => "wrong-type": "A field has a value of the wrong type.",
    UnknownKey => "unknown-key": "A key that the indicator-file format does not know.",
    MissingField => "missing-field": "A required field is absent.",
    EmptyId => "empty-id": "An id is empty or contains characters that ids may not contain.",
    DuplicateId => "duplicate-id": "Two nodes, indicators, blocks or levels share an id.",
    DanglingParent => "dangling-parent": "A parent that names no node.",
    Cycle => "cycle": "Parents that form a cycle.",
    NoRoot => "no-root": "No node without a parent, or more than one.",
    IndicatorAsParent => "indicator-as-parent": "An indicator named as the parent of another node.",
    EmptyNode => "empty-node": "An aggregate node without children.",
    BadWeight => "bad-weight": "A weight or maximum that is not positive and finite.",
    BadNumber => "bad-number": "A number that is not finite or is out of its allowed range.",
    BandGap => "band-gap": "Scoring bands or maturity levels leave values uncovered.",
    BandOverlap => "band-overlap": "Scoring bands or maturity levels overlap.",
    BandOutOfRange => "band-out-of-range": "A band lies outside the range of the indicator's value type.",
    PointsMismatch => "points-mismatch": "Declared maximum points disagree with what the scoring gives.",
    MissingParameter => "missing-parameter": "A scoring method lacks a parameter it needs.",
    UnusedParameter => "unused-parameter": "A parameter the chosen scoring method does not use.",
    ScoringTypeMismatch => "scoring-type-mismatch": "A scoring method that cannot read the indicator's value type.",
    AggregationDomain => "aggregation-domain": "An aggregation that cannot take the values its children can produce.",
    UnknownBlock => "unknown-block": "A block id that the indicator file does not declare.",
    UnknownReference => "unknown-reference": "A reference to a node, group or denominator that does not exist.",
    LevelRequirement => "level-requirement": "A maturity-level condition that cannot be checked.",
    UnknownColumn => "unknown-column": "A data column that is neither metadata, a group, a denominator nor an indicator.",
    MissingColumn => "missing-column": "A data file lacks a column it needs.",
    BadValue => "bad-value": "A data value that cannot be read for its indicator's value type.",
    ValueOutOfRange => "value-out-of-range": "A data value outside its indicator's allowed range.",
    DuplicateValue => "duplicate-value": "The same unit, period and indicator given twice.",
    UnknownIndicator => "unknown-indicator": "A data row for an indicator the indicator file does not declare.",
    UnitConflict => "unit-conflict": "A unit described differently in two places.",
    NotApplicable => "not-applicable": "A value for an indicator that does not apply to the unit's block.",
    EmptyData => "empty-data": "A data set with no units or no values.",
    TooLarge => "too-large": "A file, tree, table or text beyond the limits this tool reads (see `dti_core::limits`).",
    BadAlert => "bad-alert": "An alert rule with an unknown kind or severity, or fields that contradict each other.",
    UnknownUnit => "unknown-unit": "A value for a unit that the data file's list of units does not declare.",
    DuplicateColumn => "duplicate-column": "Two columns of a table with the same header.",
    RaggedRow => "ragged-row": "A table row with more or fewer cells than its header.",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Its stable code.
    pub code: Code,
    /// What is wrong: one sentence starting lower-case, as data (see [`Message`]);
    /// shared, so that a diagnostic copies cheaply.
    pub message: Arc<Message>,
    /// Where it is.
    pub location: Location,
    /// How to fix it.
    pub hints: Vec<Arc<Message>>,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(code: Code, message: Message, location: Location) -> Self {
        Self { severity: Severity::Error, code, message: Arc::new(message), location, hints: Vec::new() }
    }

    /// A warning at a location.
    pub fn warning(code: Code, message: Message, location: Location) -> Self {
        Self { severity: Severity::Warning, code, message: Arc::new(message), location, hints: Vec::new() }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: Message) -> Self {
        self.hints.push(Arc::new(hint));
        self
    }

    /// The message in a language, naming things by `names`.
    pub fn text(&self, language: Language, names: &dyn Names) -> String {
        self.message.render(language, names)
    }

    /// The hints in a language.
    pub fn hint_texts(&self, language: Language, names: &dyn Names) -> Vec<String> {
        self.hints.iter().map(|hint| hint.render(language, names)).collect()
    }

    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {} at {}", self.severity, self.code, self.message, self.location)?;
        for hint in &self.hints {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}

/// Whether any diagnostic in the list is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// The Unicode encoding a file's first bytes show, when it is one this tool does not read
/// (UTF-16 or UTF-32, with or without a byte-order mark): Excel's "Unicode Text" and
/// some Windows editors write them.
pub fn unreadable_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        // Text in ASCII written as UTF-16 without a mark: every other byte is zero.
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some("UTF-16"),
        _ => None,
    }
}

/// The error for a file in an encoding this tool does not read.
pub fn encoding_error(file: &str, encoding: &str) -> Diagnostic {
    let location = Location { file: file.to_owned(), line: 1, ..Location::default() };
    Diagnostic::error(Code::Syntax, Message::UnreadableEncoding { encoding: Arg::text(encoding) }, location)
        .with_hint(Message::HintSaveUtf8 {})
}

/// A JSON reader's error as a message: where the text ends early, where it is not JSON,
/// or what in its shape is not as expected (the reader's own words, as code).
pub(crate) fn json_error(error: &serde_json::Error) -> Message {
    let text = error.to_string();
    let detail = text.split(" at line ").next().unwrap_or(&text).to_owned();
    match error.classify() {
        serde_json::error::Category::Eof => Message::JsonEndsEarly {},
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            Message::JsonSyntax { detail: Arg::detail(detail) }
        }
        serde_json::error::Category::Data => Message::JsonShape { detail: Arg::detail(detail) },
    }
}

/// Turns a byte offset into a 1-based line and character column.
pub fn line_column(source: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(column))
}

fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Decodes UTF-8 text, dropping a byte-order mark.
pub(crate) fn decode_text<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    if let Some(encoding) = unreadable_encoding(bytes) {
        return Err(Box::new(encoding_error(file_name, encoding)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let text = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = line_column(text, offset);
        Box::new(
            Diagnostic::error(
                Code::Syntax,
                Message::NotUtf8 {},
                Location { file: file_name.to_owned(), line, column, ..Location::default() },
            )
            .with_hint(Message::HintSaveUtf8 {}),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let texts: BTreeSet<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(texts.len(), Code::ALL.len());
        for text in texts {
            assert!(text.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{text}");
        }
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let source = "a = 1\nchỉ = 2\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 6), (2, 1));
        // "chỉ" is three characters but five bytes.
        let equals = source.find('=').unwrap();
        assert_eq!(line_column(source, source[equals + 1..].find('=').unwrap() + equals + 1), (2, 5));
    }
}
