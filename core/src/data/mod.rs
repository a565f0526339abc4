//! Units and their values per period: reading CSV (long and wide), JSON and Excel.
//!
//! Values are stored densely per period (variable-major, `NaN` for missing) so that the
//! pipeline runs over contiguous columns; evidence, status, notes and checklist items
//! live in a sparse side map.

mod builder;
mod columns;
mod json;
/// Kept here too, where it was first published (see [`crate::table`]).
pub use crate::table;
pub(crate) mod values;

use crate::diag::{Code, Diagnostic, Location};
use crate::framework::Framework;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;

pub use builder::DatasetBuilder;
pub use table::Cell;

/// The period used when a data file names none.
pub const DEFAULT_PERIOD: &str = "current";

/// A data set: units, periods and values.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Every unit, in the order first seen; shared with evaluations without copying.
    pub units: std::sync::Arc<[Unit]>,
    /// Periods in ascending order.
    pub periods: Vec<String>,
    /// Variables (indicators then denominators of the framework), the columns of each table.
    pub variables: Vec<String>,
    /// One table per period, in the order of `periods`.
    pub tables: Vec<PeriodTable>,
    /// Evidence, status, notes and checklist items, by (period, unit, variable) index.
    pub details: BTreeMap<(u32, u32, u32), ValueDetails>,
    /// Group attributes of the units, one column per group of the framework.
    pub groups: Vec<GroupColumn>,
}

/// One group attribute of every unit, stored as small label indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupColumn {
    /// The group id (a data column).
    pub id: String,
    /// The distinct labels, in the order first seen.
    pub labels: Vec<String>,
    /// Per unit, the index of its label, or `None`.
    pub values: Vec<Option<u32>>,
}

impl GroupColumn {
    /// A unit's label.
    pub fn label(&self, unit: usize) -> Option<&str> {
        self.values.get(unit).copied().flatten().map(|index| self.labels[index as usize].as_str())
    }
}

/// A unit: a ministry, department, province or commune.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Block id.
    pub block: Option<String>,
    /// Parent unit id.
    pub parent: Option<String>,
    /// Group attributes (e.g. COINr group columns) as read; a [`Dataset`] keeps them in
    /// [`Dataset::groups`] instead, so this is empty there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, String>,
}

/// The values of one period, variable-major: each variable's values for every unit of
/// the data set lie side by side, so that the pipeline reads a column as one slice.
#[derive(Debug, Clone, Default)]
pub struct PeriodTable {
    /// Whether each unit has a row (or any value) in this period; one entry per unit of
    /// the data set.
    pub present: Vec<bool>,
    /// Values at [`PeriodTable::position`]: `values[variable * n_units + unit]`; `NaN` is
    /// missing.
    pub values: Vec<f64>,
    /// Number of variables.
    pub n_variables: usize,
    /// Evidence dates as days since 1970-01-01, laid out like `values`
    /// ([`NO_DATE`] when absent); empty when the period has none. The text as given
    /// stays in the data set's `details`.
    pub evidence_days: Vec<i32>,
    /// Checked checklist items as bit masks (bit `i`: the checklist's `i`-th declared
    /// item), laid out like `values`; empty when the period has no checklist values.
    pub item_masks: Vec<u64>,
    /// Values refused at their cell (read with [`Refusal::CountAsMissing`]): `(variable,
    /// unit)` pairs, sorted; their value is missing in `values`.
    pub refused: Vec<(u32, u32)>,
}

/// No evidence date, in [`PeriodTable::evidence_days`].
pub const NO_DATE: i32 = i32::MIN;

impl PeriodTable {
    /// A table for `n_units` units and `n_variables` variables: no unit present, every
    /// value missing, no evidence date or checklist.
    pub fn empty(n_units: usize, n_variables: usize) -> Self {
        Self {
            present: vec![false; n_units],
            values: vec![f64::NAN; n_units * n_variables],
            n_variables,
            evidence_days: Vec::new(),
            item_masks: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Number of units (of the data set, present in this period or not).
    pub fn n_units(&self) -> usize {
        self.present.len()
    }

    /// Where the value of `variable` for `unit` is in `values` and the tables laid out
    /// like it; `None` when either is out of range.
    pub fn position(&self, variable: usize, unit: usize) -> Option<usize> {
        (variable < self.n_variables && unit < self.n_units()).then(|| variable * self.n_units() + unit)
    }

    /// The values of one variable, one per unit.
    pub fn column(&self, variable: usize) -> &[f64] {
        let n_units = self.n_units();
        &self.values[variable * n_units..(variable + 1) * n_units]
    }

    /// The value of a variable for a unit, `NaN` when missing.
    pub fn value(&self, variable: usize, unit: usize) -> f64 {
        self.position(variable, unit).map_or(f64::NAN, |position| self.values[position])
    }

    /// The value of a variable for a unit, if present.
    pub fn get(&self, variable: usize, unit: usize) -> Option<f64> {
        Some(self.value(variable, unit)).filter(|value| !value.is_nan())
    }

    /// Sets the value of a variable for a unit (ignored when either is out of range).
    pub fn set(&mut self, variable: usize, unit: usize, value: f64) {
        if let Some(position) = self.position(variable, unit) {
            self.values[position] = value;
        }
    }

    /// The evidence date of a value as days since 1970-01-01, [`NO_DATE`] when absent.
    pub fn evidence_day(&self, variable: usize, unit: usize) -> i32 {
        self.position(variable, unit).and_then(|position| self.evidence_days.get(position).copied()).unwrap_or(NO_DATE)
    }

    /// Whether the value of `variable` for `unit` was given but refused (see `refused`).
    pub fn is_refused(&self, variable: usize, unit: usize) -> bool {
        let key = (crate::text::to_u32(variable), crate::text::to_u32(unit));
        self.refused.binary_search(&key).is_ok()
    }

    /// The checked items of a checklist value as a bit mask (see `item_masks`).
    pub fn item_mask(&self, variable: usize, unit: usize) -> u64 {
        self.position(variable, unit).and_then(|position| self.item_masks.get(position).copied()).unwrap_or(0)
    }
}

/// What comes with a value besides the number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueDetails {
    /// A link or file name proving the value.
    pub evidence: Option<String>,
    /// The date of the evidence as written, when the data builder could not keep it as a
    /// day only (see [`Dataset::evidence_date`], which every reader should use).
    pub evidence_date: Option<String>,
    /// Self-assessed, verified or adjusted.
    pub status: Option<ValueStatus>,
    /// Why a value was adjusted.
    pub reason: Option<String>,
    /// A free note.
    pub note: Option<String>,
    /// Checked items of a checklist.
    pub items: Option<Vec<String>>,
    /// The value as given, when it was refused at its cell (see [`Refusal`]): kept, so
    /// that nothing a unit entered is lost and a merge passes it on as it was.
    pub refused: Option<String>,
}

impl ValueDetails {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == ValueDetails::default()
    }
}

/// The status of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueStatus {
    /// Given by the unit.
    SelfAssessed,
    /// Checked by the evaluator.
    Verified,
    /// Changed by the evaluator, with a reason.
    Adjusted,
}

impl Dataset {
    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// Index of a period.
    pub fn period_index(&self, period: &str) -> Option<usize> {
        self.periods.iter().position(|p| p == period)
    }

    /// The evidence date of a value as given: the text when it was written otherwise than
    /// `YYYY-MM-DD` (it then stays in `details`), else the date (kept as its day only).
    pub fn evidence_date(&self, period: usize, unit: usize, variable: usize) -> Option<String> {
        let key = (crate::text::to_u32(period), crate::text::to_u32(unit), crate::text::to_u32(variable));
        if let Some(text) = self.details.get(&key).and_then(|details| details.evidence_date.clone()) {
            return Some(text);
        }
        let day = self.tables.get(period)?.evidence_day(variable, unit);
        (day != NO_DATE).then(|| crate::period::Date::from_unix_days(i64::from(day)).to_string())
    }

    /// Index of a variable.
    pub fn variable_index(&self, id: &str) -> Option<usize> {
        self.variables.iter().position(|v| v == id)
    }

    /// The most recent of the periods `before` (oldest first, see
    /// [`crate::period::periods_before`]) with a value of `variable` for `unit`: the period's
    /// index and the value. What `previous-period` imputation carries forward.
    pub fn latest_value_before(&self, before: &[usize], unit: usize, variable: usize) -> Option<(usize, f64)> {
        before.iter().rev().find_map(|&period| Some((period, self.tables[period].get(variable, unit)?)))
    }

    /// One data set of the first unit of each source (its first period), each unit named by
    /// its position, with a source's change (a variable and its value) applied to its unit:
    /// many variants of one unit evaluated at once. `None` when the sources do not share
    /// their variables and groups, or one has no unit.
    pub fn stack_first_units<'a>(
        sources: impl ExactSizeIterator<Item = (&'a Dataset, Option<(usize, f64)>)>,
    ) -> Option<Dataset> {
        let n_rows = sources.len();
        let mut sources = sources.peekable();
        let first = sources.peek()?.0;
        let width = first.tables.first()?.n_variables;
        let (periods, variables) = (first.periods.clone(), first.variables.clone());
        let mut groups: Vec<GroupColumn> = first
            .groups
            .iter()
            .map(|group| GroupColumn { id: group.id.clone(), labels: Vec::new(), values: Vec::new() })
            .collect();
        let mut units = Vec::with_capacity(n_rows);
        let mut table = PeriodTable::empty(n_rows, width);
        table.evidence_days = vec![NO_DATE; n_rows * width];
        table.item_masks = vec![0; n_rows * width];
        for (index, (dataset, change)) in sources.enumerate() {
            let (Some(unit), Some(source)) = (dataset.units.first(), dataset.tables.first()) else { return None };
            if source.n_variables != width || dataset.groups.len() != groups.len() {
                return None;
            }
            if source.n_units() == 0 || change.is_some_and(|(variable, _)| variable >= width) {
                return None;
            }
            units.push(Unit { id: index.to_string(), ..unit.clone() });
            table.present[index] = source.present[0];
            for variable in 0..width {
                let position = variable * n_rows + index;
                table.values[position] = source.value(variable, 0);
                table.evidence_days[position] = source.evidence_day(variable, 0);
                table.item_masks[position] = source.item_mask(variable, 0);
            }
            if let Some((variable, number)) = change {
                table.set(variable, index, number);
            }
            for (group, column) in groups.iter_mut().zip(&dataset.groups) {
                let label = column.label(0).map(|label| match group.labels.iter().position(|known| known == label) {
                    Some(known) => known,
                    None => {
                        group.labels.push(label.to_owned());
                        group.labels.len() - 1
                    }
                });
                group.values.push(label.map(crate::text::to_u32));
            }
        }
        Some(Dataset { units: units.into(), periods, variables, tables: vec![table], details: BTreeMap::new(), groups })
    }

    /// The latest period.
    pub fn latest_period(&self) -> Option<&str> {
        self.periods.last().map(String::as_str)
    }
}

/// What a reader does with a value that breaks its indicator's rule (not a number, not a
/// percentage, not a level of the indicator, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Refusal {
    /// The whole file is refused: the value is an error (the library's default, and the
    /// command line's `--strict`).
    #[default]
    RefuseFile,
    /// The value alone is refused: a warning at its cell, the value counted as missing and
    /// recorded in [`PeriodTable::refused`], so that the unit is flagged
    /// ([`crate::evaluation::flags::REFUSED`]) and everyone else is still ranked.
    CountAsMissing,
}

/// How a data file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// What a value that breaks its indicator's rule does.
    pub refusal: Refusal,
}

impl ReadOptions {
    /// Values that break their rule are refused one by one, counted as missing.
    pub const LENIENT: ReadOptions = ReadOptions { refusal: Refusal::CountAsMissing };
}

/// A data set read from a file, with every problem found.
#[derive(Debug, Clone)]
pub struct LoadedData {
    /// The data set, absent when there are errors.
    pub dataset: Option<Dataset>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// Reads a data file of any supported format, choosing by name and content; a value that
/// breaks its indicator's rule refuses the file (see [`load_data_with`]).
pub fn load_data(file_name: &str, bytes: &[u8], framework: &Framework) -> LoadedData {
    load_data_with(file_name, bytes, framework, ReadOptions::default())
}

/// Reads a data file of any supported format, choosing by name and content.
pub fn load_data_with(file_name: &str, bytes: &[u8], framework: &Framework, options: ReadOptions) -> LoadedData {
    let sha256 = crate::provenance::sha256_hex(bytes);
    let lower = file_name.to_ascii_lowercase();
    let (dataset, diagnostics) = if bytes.len() > crate::limits::MAX_DATA_BYTES {
        let limit = crate::limits::MAX_DATA_BYTES as u64;
        let message = crate::message::Message::file_too_large(
            crate::message::Message::WhatDataFile {},
            bytes.len() as u64,
            limit,
        );
        let location = Location { file: file_name.to_owned(), ..Location::default() };
        (None, vec![Diagnostic::error(Code::TooLarge, message, location)])
    } else if let Some(encoding) = crate::diag::unreadable_encoding(bytes) {
        (None, vec![crate::diag::encoding_error(file_name, encoding)])
    } else if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        read_xlsx_with(file_name, bytes, framework, options)
    } else if lower.ends_with(".json") || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        json::read_json(file_name, bytes, framework, options)
    } else {
        read_csv_with(file_name, bytes, framework, options)
    };
    LoadedData { dataset, diagnostics, sha256 }
}

/// Reads CSV data (long: one value per row; or wide: one unit per row) from any reader,
/// streaming, so large files need little memory.
pub fn read_csv(file_name: &str, reader: impl Read, framework: &Framework) -> (Option<Dataset>, Vec<Diagnostic>) {
    read_csv_with(file_name, reader, framework, ReadOptions::default())
}

/// [`read_csv`] with options.
pub fn read_csv_with(
    file_name: &str,
    mut reader: impl Read,
    framework: &Framework,
    options: ReadOptions,
) -> (Option<Dataset>, Vec<Diagnostic>) {
    // The first bytes tell a UTF-16 file (Excel's "Unicode Text") from UTF-8.
    let mut head = [0u8; 4];
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if let Some(encoding) = crate::diag::unreadable_encoding(&head[..filled]) {
        return (None, vec![crate::diag::encoding_error(file_name, encoding)]);
    }
    let bounded = table::Bounded::new(std::io::Cursor::new(head).take(filled as u64).chain(reader));
    let mut source = table::CsvSource::new(file_name, bounded);
    builder::read_table(file_name, &mut source, framework, options)
}

/// Reads data from an Excel workbook: the sheet named `data` or `iData`, or the first.
pub fn read_xlsx(file_name: &str, bytes: &[u8], framework: &Framework) -> (Option<Dataset>, Vec<Diagnostic>) {
    read_xlsx_with(file_name, bytes, framework, ReadOptions::default())
}

/// [`read_xlsx`] with options.
#[cfg(feature = "xlsx")]
pub fn read_xlsx_with(
    file_name: &str,
    bytes: &[u8],
    framework: &Framework,
    options: ReadOptions,
) -> (Option<Dataset>, Vec<Diagnostic>) {
    match table::XlsxSource::open(file_name, bytes, &["data", "iData", "Data"]) {
        Ok(mut source) => builder::read_table(file_name, &mut source, framework, options),
        Err(diagnostic) => (None, vec![*diagnostic]),
    }
}

/// Reading Excel needs the `xlsx` feature.
#[cfg(not(feature = "xlsx"))]
pub fn read_xlsx_with(
    file_name: &str,
    _bytes: &[u8],
    _framework: &Framework,
    _options: ReadOptions,
) -> (Option<Dataset>, Vec<Diagnostic>) {
    let location = crate::diag::Location { file: file_name.to_owned(), ..Default::default() };
    (None, vec![Diagnostic::error(crate::diag::Code::Syntax, crate::message::Message::NoExcelInThisBuild {}, location)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two units, two variables: `values` holds variable 0 for both units, then variable 1.
    fn table() -> PeriodTable {
        let mut table = PeriodTable::empty(2, 2);
        table.present = vec![true, true];
        table.values = vec![1.0, 2.0, 3.0, 4.0];
        table
    }

    #[test]
    fn a_table_is_read_variable_by_variable() {
        let table = table();
        assert_eq!(table.column(1), [3.0, 4.0]);
        assert_eq!((table.get(0, 1), table.get(1, 0)), (Some(2.0), Some(3.0)));
    }

    #[test]
    fn a_unit_or_variable_out_of_range_has_no_value_never_another_ones() {
        let mut table = table();
        assert_eq!(table.position(0, 2), None, "unit 2 would be variable 1's first value");
        assert!(table.value(0, 2).is_nan() && table.value(2, 0).is_nan());
        assert_eq!((table.evidence_day(0, 2), table.item_mask(2, 0)), (NO_DATE, 0));
        table.set(0, 2, 9.0);
        assert_eq!(table.values, [1.0, 2.0, 3.0, 4.0]);
    }
}
