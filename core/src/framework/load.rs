//! Reading an indicator file: TOML, JSON, or a COINr iMeta table (CSV or Excel).

use super::Framework;
use super::locate::{FieldPath, Locator, Segment};
use super::raw::RawFramework;
use super::validate::validate;
use crate::diag::{Code, Diagnostic, Location};
use crate::message::{Arg, Message};
use crate::provenance::sha256_hex;

/// The formats an indicator file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// TOML, the main format.
    Toml,
    /// JSON with the same structure.
    Json,
    /// COINr's iMeta table as CSV.
    CoinrCsv,
    /// COINr's iMeta table in an Excel workbook (sheet `iMeta`, or the first sheet).
    CoinrXlsx,
}

impl FileFormat {
    /// Guesses the format from the file name, then from the content.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            FileFormat::Json
        } else if lower.ends_with(".csv") {
            FileFormat::CoinrCsv
        } else if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
            FileFormat::CoinrXlsx
        } else if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{') {
            FileFormat::Json
        } else {
            FileFormat::Toml
        }
    }
}

/// The result of loading an indicator file: the framework when it is usable, and every
/// diagnostic found on the way.
#[derive(Debug, Clone)]
pub struct LoadedFramework {
    /// The checked framework, absent when there are errors.
    pub framework: Option<Framework>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The raw framework, when the file could be read at all (for editors).
    pub raw: Option<RawFramework>,
}

/// Reads, checks and builds an indicator file. Never panics on bad input: every problem
/// is a diagnostic naming the file, line and column.
pub fn load_framework(file_name: &str, bytes: &[u8]) -> LoadedFramework {
    let sha256 = sha256_hex(bytes);
    if bytes.len() > crate::limits::MAX_FRAMEWORK_BYTES {
        let limit = crate::limits::MAX_FRAMEWORK_BYTES as u64;
        let message = crate::message::Message::file_too_large(Message::WhatIndicatorFile {}, bytes.len() as u64, limit);
        let location = Location { file: file_name.to_owned(), ..Location::default() };
        return failed(vec![Diagnostic::error(Code::TooLarge, message, location)], sha256);
    }
    let format = FileFormat::detect(file_name, bytes);
    let mut table_rows = None;
    let (raw, mut diagnostics, locator_source) = match format {
        FileFormat::Toml | FileFormat::Json => {
            let text = match crate::diag::decode_text(file_name, bytes) {
                Ok(text) => text,
                Err(diagnostic) => return failed(vec![*diagnostic], sha256),
            };
            let (raw, diagnostics) =
                if format == FileFormat::Toml { parse_toml(file_name, text) } else { parse_json(file_name, text) };
            (raw, diagnostics, Some((format, text)))
        }
        FileFormat::CoinrCsv => {
            let (raw, diagnostics, rows) = super::coinr::imeta_from_csv(file_name, bytes);
            table_rows = Some(rows);
            (raw, diagnostics, None)
        }
        FileFormat::CoinrXlsx => {
            let (raw, diagnostics, rows) = super::coinr::imeta_from_xlsx(file_name, bytes);
            table_rows = Some(rows);
            (raw, diagnostics, None)
        }
    };
    let Some(raw) = raw else {
        return failed(diagnostics, sha256);
    };
    let locator = match locator_source {
        Some((FileFormat::Toml, text)) => Locator::toml(file_name, text),
        Some((_, text)) => Locator::json(file_name, text),
        None => Locator::table_rows(file_name, table_rows.clone().unwrap_or_default()),
    };
    let (framework, mut problems) = validate(&raw, &locator);
    if table_rows.is_some() {
        // A table has no `info_only` key or `[[denominators]]` section: hints written for
        // TOML and JSON files would only confuse, and the row's line says where to look.
        for problem in &mut problems {
            problem.hints.retain(|hint| !(hint.contains("info_only") || hint.contains("[[") || hint.contains(" = ")));
        }
    }
    diagnostics.append(&mut problems);
    // In file order, so a reader can work down the file.
    diagnostics.sort_by_key(|d| (d.location.line, d.location.column));
    let framework = if crate::diag::has_errors(&diagnostics) { None } else { framework };
    LoadedFramework { framework, diagnostics, sha256, raw: Some(raw) }
}

fn failed(diagnostics: Vec<Diagnostic>, sha256: String) -> LoadedFramework {
    LoadedFramework { framework: None, diagnostics, sha256, raw: None }
}

fn parse_toml(file_name: &str, text: &str) -> (Option<RawFramework>, Vec<Diagnostic>) {
    let locator = Locator::toml(file_name, text);
    match toml::Deserializer::parse(text) {
        Ok(deserializer) => deserialize(deserializer, &locator),
        Err(error) => (None, vec![toml_error(&locator, &error)]),
    }
}

/// JSON is read into toml's spanned tree (see `json_input`), so both formats share one
/// deserializer and type errors point into the file either way.
fn parse_json(file_name: &str, text: &str) -> (Option<RawFramework>, Vec<Diagnostic>) {
    let locator = Locator::json(file_name, text);
    match super::json_input::parse(text) {
        Ok(table) => deserialize(toml::Deserializer::from(table), &locator),
        Err(error) => {
            let (span, message) = *error;
            (None, vec![Diagnostic::error(Code::Syntax, message, locator.locate_span(span))])
        }
    }
}

/// The raw framework, collecting every unknown key on the way.
fn deserialize(deserializer: toml::Deserializer<'_>, locator: &Locator<'_>) -> (Option<RawFramework>, Vec<Diagnostic>) {
    let mut unknown = Vec::new();
    let result: Result<RawFramework, _> =
        serde_ignored::deserialize(deserializer, |path| unknown.push(field_path(&path)));
    match result {
        Ok(raw) => (Some(raw), unknown_keys(locator, unknown)),
        Err(error) => (None, vec![toml_error(locator, &error)]),
    }
}

fn toml_error(locator: &Locator<'_>, error: &toml::de::Error) -> Diagnostic {
    let location = match error.span() {
        Some(span) => locator.locate_span(span),
        None => locator.locate(&FieldPath::root()),
    };
    let text = error.message().trim().trim_end_matches('.').to_owned();
    let (code, message) = if text.contains("invalid type") || text.contains("invalid value") {
        (Code::WrongType, Message::WrongTypeDetail { detail: Arg::detail(text) })
    } else if let Some(field) = text.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        (Code::Syntax, Message::MissingFieldNamed { field: Arg::code(field) })
    } else {
        (Code::Syntax, Message::TomlSyntax { detail: Arg::detail(text) })
    };
    Diagnostic::error(code, message, location)
}

fn unknown_keys(locator: &Locator<'_>, paths: Vec<FieldPath>) -> Vec<Diagnostic> {
    paths
        .into_iter()
        .map(|path| {
            let key = match path.0.last() {
                Some(Segment::Key(key)) => key.clone(),
                _ => path.to_string(),
            };
            Diagnostic::error(
                Code::UnknownKey,
                Message::UnknownKeyHere { name: Arg::code(key) },
                locator.locate_key(&path),
            )
            .with_hint(Message::HintCheckSpelling {})
        })
        .collect()
}

fn field_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    fn walk(path: &serde_ignored::Path<'_>, segments: &mut Vec<Segment>) {
        match path {
            serde_ignored::Path::Root => {}
            serde_ignored::Path::Seq { parent, index } => {
                walk(parent, segments);
                segments.push(Segment::Index(*index));
            }
            serde_ignored::Path::Map { parent, key } => {
                walk(parent, segments);
                segments.push(Segment::Key(key.clone()));
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => walk(parent, segments),
        }
    }
    let mut segments = Vec::new();
    walk(path, &mut segments);
    FieldPath(segments)
}
