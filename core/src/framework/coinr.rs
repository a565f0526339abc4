//! COINr's `iMeta` table (also the JRC COIN Tool's) read as an indicator file.
//!
//! Columns: `Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent,
//! Type`, optionally `goalpost_lower, goalpost_upper, goalpost_scale,
//! goalpost_trunc2posts`. Types: `Indicator`, `Aggregate`, `Group`, `Denominator`, `Other`.
//! The defaults are COINr's: min-max onto 0 to 100 and the weighted arithmetic mean,
//! with missing values skipped.

use super::raw::*;
use std::collections::BTreeMap;

/// The line of each row that became an element of the indicator file's arrays
/// (`indicators`, `nodes`, `groups`, `denominators`), by array and index.
pub type RowLines = BTreeMap<(String, usize), u32>;
use crate::diag::{Code, Diagnostic, Location};
#[cfg(feature = "imeta")]
use crate::message::{Arg, Message};
#[cfg(feature = "imeta")]
use crate::table::{Cell, CsvSource, RowSource};

/// Reads an iMeta table from CSV bytes.
#[cfg(feature = "imeta")]
pub fn imeta_from_csv(file: &str, bytes: &[u8]) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    let mut source = CsvSource::new(file, bytes);
    imeta_from_rows(file, &mut source)
}

/// Reading iMeta tables needs the `imeta` feature.
#[cfg(not(feature = "imeta"))]
pub fn imeta_from_csv(file: &str, _bytes: &[u8]) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    (None, vec![no_imeta(file)], RowLines::new())
}

/// Reading iMeta tables needs the `imeta` feature.
#[cfg(not(feature = "imeta"))]
pub fn imeta_from_xlsx(file: &str, _bytes: &[u8]) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    (None, vec![no_imeta(file)], RowLines::new())
}

#[cfg(not(feature = "imeta"))]
fn no_imeta(file: &str) -> Diagnostic {
    let location = Location { file: file.to_owned(), ..Location::default() };
    Diagnostic::error(Code::Syntax, crate::message::Message::ImetaOnlyHere {}, location)
}

/// Reads an iMeta table from an Excel workbook (sheet `iMeta`, or the first).
#[cfg(all(feature = "imeta", feature = "xlsx"))]
pub fn imeta_from_xlsx(file: &str, bytes: &[u8]) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    match crate::table::XlsxSource::open(file, bytes, &["iMeta", "Meta", "meta"]) {
        Ok(mut source) => imeta_from_rows(file, &mut source),
        Err(diagnostic) => (None, vec![*diagnostic], RowLines::new()),
    }
}

/// Reading Excel needs the `xlsx` feature.
#[cfg(all(feature = "imeta", not(feature = "xlsx")))]
pub fn imeta_from_xlsx(file: &str, _bytes: &[u8]) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    let location = Location { file: file.to_owned(), ..Location::default() };
    let message = crate::message::Message::NoExcelInThisBuild {};
    (None, vec![Diagnostic::error(Code::Syntax, message, location)], RowLines::new())
}

#[cfg(feature = "imeta")]
fn imeta_from_rows(file: &str, source: &mut dyn RowSource) -> (Option<RawFramework>, Vec<Diagnostic>, RowLines) {
    let mut lines = RowLines::new();
    let headers = match source.headers() {
        Ok(headers) => headers,
        Err(diagnostic) => return (None, vec![*diagnostic], lines),
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut diagnostics = Vec::new();
    let location = |line: u32, position: Option<usize>| Location {
        file: file.to_owned(),
        line,
        column: position.map_or(0, |p| crate::text::to_u32(p + 1)),
        ..Location::default()
    };
    let (Some(code_column), Some(type_column)) = (column("iCode"), column("Type")) else {
        let diagnostic = Diagnostic::error(Code::MissingColumn, Message::ImetaNeedsColumns {}, location(1, None))
            .with_hint(Message::HintImetaColumns {});
        return (None, vec![diagnostic], lines);
    };
    let known = [
        "Level",
        "iCode",
        "iName",
        "Direction",
        "Weight",
        "Unit",
        "Target",
        "Denominator",
        "Parent",
        "Type",
        "goalpost_lower",
        "goalpost_upper",
        "goalpost_scale",
        "goalpost_trunc2posts",
    ];
    for (position, header) in headers.iter().enumerate() {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(header)) {
            diagnostics.push(Diagnostic::warning(
                Code::UnknownColumn,
                Message::ImetaColumnIgnored { column: Arg::given(header) },
                location(1, Some(position)),
            ));
        }
    }
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = stem.rsplit_once('.').map_or(stem, |(stem, _)| stem).replace([' ', ',', '"', '\''], "-");
    let mut raw = RawFramework {
        id: Some(if stem.is_empty() { "coinr".into() } else { stem.clone() }),
        version: Some("coinr".into()),
        title: Some(RawText::Plain(stem)),
        scale: Some(RawScale { max: Some(100.0), decimals: Some(2), ..RawScale::default() }),
        pipeline: Some(RawPipeline {
            normalise: Some(RawScoring {
                method: Some("minmax".into()),
                low: Some(0.0),
                high: Some(100.0),
                ..RawScoring::default()
            }),
            aggregate: Some(RawAggregation::Name("arithmetic".into())),
            missing: Some("skip".into()),
            ..RawPipeline::default()
        }),
        ..RawFramework::default()
    };
    let mut row = crate::table::Row { line: 0, cells: Vec::new() };
    while let Some(result) = source.next_row(&mut row) {
        if let Err(diagnostic) = result {
            diagnostics.push(*diagnostic);
            break;
        }
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        let get =
            |name: &str| column(name).and_then(|position| row.cells.get(position)).cloned().unwrap_or(Cell::Empty);
        let text = |name: &str| get(name).text().filter(|t| t != "NA");
        let number = |name: &str, diagnostics: &mut Vec<Diagnostic>| -> Option<f64> {
            let cell = get(name);
            match crate::table::parse_number(&cell).map_err(|rejection| rejection.1) {
                Ok(value) => value,
                Err(message) => {
                    diagnostics.push(Diagnostic::error(
                        Code::BadNumber,
                        Message::FieldProblem { field: Arg::code(name), problem: Arg::message(message) },
                        location(row.line, column(name)),
                    ));
                    None
                }
            }
        };
        let Some(code) = row.cells.get(code_column).and_then(Cell::text) else {
            diagnostics.push(Diagnostic::error(
                Code::MissingField,
                Message::RowNoIcode {},
                location(row.line, Some(code_column)),
            ));
            continue;
        };
        let kind = row.cells.get(type_column).and_then(Cell::text).unwrap_or_default();
        match kind.as_str() {
            "Indicator" => {
                let direction = match number("Direction", &mut diagnostics) {
                    Some(d) if d < 0.0 => Some("lower".to_owned()),
                    _ => Some("higher".to_owned()),
                };
                let goalposts =
                    match (number("goalpost_lower", &mut diagnostics), number("goalpost_upper", &mut diagnostics)) {
                        (Some(lower), Some(upper)) => Some(RawGoalposts {
                            lower: Some(lower),
                            upper: Some(upper),
                            scale: number("goalpost_scale", &mut diagnostics),
                            truncate: get("goalpost_trunc2posts")
                                .text()
                                .map(|t| !matches!(t.to_lowercase().as_str(), "false" | "0" | "no")),
                        }),
                        _ => None,
                    };
                lines.insert(("indicators".into(), raw.indicators.len()), row.line);
                raw.indicators.push(RawIndicator {
                    id: Some(code),
                    name: text("iName").map(RawText::Plain),
                    parent: text("Parent"),
                    unit: text("Unit").map(RawText::Plain),
                    direction,
                    weight: number("Weight", &mut diagnostics),
                    target: number("Target", &mut diagnostics),
                    denominator: text("Denominator"),
                    goalposts,
                    ..RawIndicator::default()
                });
            }
            "Aggregate" => {
                lines.insert(("nodes".into(), raw.nodes.len()), row.line);
                raw.nodes.push(RawNode {
                    id: Some(code),
                    name: text("iName").map(RawText::Plain),
                    parent: text("Parent"),
                    weight: number("Weight", &mut diagnostics),
                    ..RawNode::default()
                })
            }
            "Group" => {
                lines.insert(("groups".into(), raw.groups.len()), row.line);
                raw.groups.push(RawVariable { id: Some(code), name: text("iName").map(RawText::Plain), unit: None })
            }
            "Denominator" => {
                lines.insert(("denominators".into(), raw.denominators.len()), row.line);
                raw.denominators.push(RawVariable {
                    id: Some(code),
                    name: text("iName").map(RawText::Plain),
                    unit: text("Unit").map(RawText::Plain),
                })
            }
            "Other" => {}
            other => diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    Message::UnknownImetaType { value: Arg::given(other) },
                    location(row.line, Some(type_column)),
                )
                .with_hint(Message::HintImetaType {}),
            ),
        }
    }
    (Some(raw), diagnostics, lines)
}
