//! Diagnostics with source snippets, on standard error.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use dti_core::{Diagnostic, Severity};
use std::io::IsTerminal;

/// Prints diagnostics; snippets come from the source bytes when they are text.
pub fn diagnostics(name: &str, source: &[u8], diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(source.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(source)).into_owned();
    let file = SimpleFile::new(name, text.as_str());
    let config = Config::default();
    let stderr = std::io::stderr();
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for diagnostic in diagnostics {
        let report = to_report(diagnostic, &text);
        let mut lock = stderr.lock();
        let result = if colour {
            let mut writer = codespan_reporting::term::termcolor::Ansi::new(&mut lock);
            term::emit_to_write_style(&mut writer, &config, &file, &report)
        } else {
            let mut writer = codespan_reporting::term::termcolor::NoColor::new(&mut lock);
            term::emit_to_write_style(&mut writer, &config, &file, &report)
        };
        if result.is_err() {
            eprintln!("{diagnostic}");
        }
    }
}

fn to_report(diagnostic: &Diagnostic, text: &str) -> Report<()> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let location = &diagnostic.location;
    let mut report = Report::new(severity).with_code(diagnostic.code.as_str()).with_message(&diagnostic.message);
    let span = match (location.start, location.end) {
        (Some(start), Some(end)) => Some((start as usize, (end as usize).max(start as usize))),
        _ if location.line > 0 => {
            line_span(text, location.line as usize, location.column as usize, is_table(&location.file))
        }
        _ => None,
    };
    let mut notes = Vec::new();
    match span {
        Some((start, end)) if end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) => {
            report = report.with_labels(vec![Label::primary((), start..end)]);
        }
        _ => notes.push(format!("in {location}")),
    }
    if let Some(path) = &location.path
        && span.is_some()
    {
        notes.push(format!("field: {path}"));
    }
    notes.extend(diagnostic.hints.iter().map(|hint| format!("hint: {hint}")));
    report.with_notes(notes)
}

/// Whether a file is a table, where a diagnostic's column is the field number.
fn is_table(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".csv")
}

/// The span of a line (and of a field or character column, if known) in the text.
fn line_span(text: &str, line: usize, column: usize, table: bool) -> Option<(usize, usize)> {
    let start = if line == 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if end > start && text.as_bytes()[end - 1] == b'\r' { end - 1 } else { end };
    if column == 0 {
        return Some((start, end));
    }
    if !table {
        let offset = text[start..end].char_indices().nth(column - 1).map_or(end, |(i, _)| start + i);
        return Some((offset, end));
    }
    // A CSV column: the span of that field on the line.
    let mut offset = start;
    for (index, field) in text[start..end].split(',').enumerate() {
        if index + 1 == column {
            return Some((offset, offset + field.len()));
        }
        offset += field.len() + 1;
    }
    Some((start, end))
}
