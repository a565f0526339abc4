//! Diagnostics with source snippets, on standard error.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use dti_core::text::Language;
use dti_core::{Diagnostic, Severity};
use std::io::IsTerminal;

/// Prints diagnostics; snippets come from the source bytes when they are text.
pub fn diagnostics(name: &str, source: &[u8], diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    // A file in another encoding, or a binary one (an Excel workbook is a zip archive), has
    // no lines worth showing: locations only.
    let binary = source.starts_with(b"PK\x03\x04") || source.iter().take(8192).any(|&byte| byte == 0);
    let source = if binary || dti_core::diag::unreadable_encoding(source).is_some() { &[][..] } else { source };
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
    let language = message_language();
    let text_of = |message: &dti_core::message::Message| {
        message.render_styled(language, &dti_core::message::NoNames, dti_core::message::Style::Plain)
    };
    let message = dti_core::limits::shorten(&text_of(&diagnostic.message), LONGEST_MESSAGE).into_owned();
    let mut report = Report::new(severity).with_code(diagnostic.code.as_str()).with_message(message);
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
            match excerpt_of_long_line(text, start) {
                // A line too long to show (minified JSON, a hostile cell): where, and the text there.
                Some(excerpt) => {
                    notes.push(format!("in {location}"));
                    notes.push(format!("near: {excerpt}"));
                }
                None => report = report.with_labels(vec![Label::primary((), start..end)]),
            }
        }
        _ => notes.push(format!("in {location}")),
    }
    if let Some(path) = &location.path
        && span.is_some()
    {
        notes.push(format!("field: {path}"));
    }
    let hint = if language == Language::Vi { "gợi ý" } else { "hint" };
    notes.extend(diagnostic.hints.iter().map(|message| format!("{hint}: {}", text_of(message))));
    report.with_notes(notes)
}

/// The language of the messages on standard error: `DTI_LANG` (`vi` or `en`), else the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) when it is Vietnamese, else English.
pub fn message_language() -> Language {
    static LANGUAGE: std::sync::OnceLock<Language> = std::sync::OnceLock::new();
    *LANGUAGE.get_or_init(|| {
        if let Some(language) = std::env::var("DTI_LANG").ok().and_then(|code| Language::from_code(code.trim())) {
            return language;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
        if locale.is_some_and(|locale| locale.starts_with("vi")) { Language::Vi } else { Language::En }
    })
}

/// The longest message shown whole, in characters (a message may quote a cell).
const LONGEST_MESSAGE: usize = 1_000;

/// Prints what an evaluation's results alone do not show, as warnings.
pub fn notes(evaluation: &dti_core::Evaluation) {
    for note in &evaluation.notes {
        eprintln!("warning: {} (period {})", note, evaluation.period);
    }
}

/// The longest source line shown whole under a diagnostic, in bytes.
const LONGEST_LINE_SHOWN: usize = 300;

/// For a position on a line longer than [`LONGEST_LINE_SHOWN`], a short excerpt from it;
/// `None` when the line can be shown whole.
fn excerpt_of_long_line(text: &str, at: usize) -> Option<String> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if line_end - line_start <= LONGEST_LINE_SHOWN {
        return None;
    }
    let excerpt: String = text[at..line_end].chars().take(60).collect();
    let more = if at + excerpt.len() < line_end { "..." } else { "" };
    Some(format!("`{excerpt}{more}` (column {} of a line of {} bytes)", at - line_start + 1, line_end - line_start))
}

/// Whether a file is a table, where a diagnostic's column is the field number.
fn is_table(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".csv")
}

/// The span of a line (and of a field or character column, if known) in the text.
fn line_span(text: &str, line: usize, column: usize, table: bool) -> Option<(usize, usize)> {
    if text.is_empty() {
        return None;
    }
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

#[cfg(test)]
mod tests {
    use super::excerpt_of_long_line;

    #[test]
    fn a_short_line_is_shown_whole_and_a_long_one_as_an_excerpt() {
        let text = format!("unit,name\nA,{}\nB,b\n", "Bộ ".repeat(200));
        let long_line = text.find("A,").unwrap();
        let short_line = text.find("B,").unwrap();
        assert_eq!(excerpt_of_long_line(&text, short_line), None);
        let excerpt = excerpt_of_long_line(&text, long_line + 2).unwrap();
        assert!(excerpt.starts_with("`Bộ Bộ "), "{excerpt}");
        assert!(excerpt.ends_with("...` (column 3 of a line of 1002 bytes)"), "{excerpt}");
    }
}
