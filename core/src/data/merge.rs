//! Many units' submission files into one data set: exported JSON submissions, CSV long
//! or wide, xlsx. The same value twice is a duplicate, kept once; two different values
//! for the same unit, period and indicator are a conflict, reported with both files, and
//! [`Keep`] says which one wins. The result is the long CSV the readers take.

use crate::assessment::{SUBMISSION_FORMAT, Submission, SubmissionError};
use crate::data::Dataset;
use crate::diag::to_u32;
use crate::framework::validate::format_number;
use std::collections::BTreeMap;

/// Which of two conflicting values is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The one from the file added first.
    First,
    /// The one from the file added last.
    Last,
}

/// A conflict: unit, period, indicator (or `(name / block)`), value, file, other value,
/// other file.
pub type Conflict = [String; 7];

/// The characters that make a spreadsheet take a CSV cell for a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text that a spreadsheet would take for a formula gets a leading apostrophe, and so
/// does text that starts with an apostrophe already, so that [`undo_spreadsheet_safe`]
/// gives back exactly the text (CSV only: a workbook stores text as text).
pub fn spreadsheet_safe(text: &str) -> String {
    let formula = text.starts_with(FORMULA_STARTS) && text.parse::<f64>().is_err();
    if formula || text.starts_with('\'') { format!("'{text}") } else { text.to_owned() }
}

/// What [`spreadsheet_safe`] added, taken away: one leading apostrophe before a formula
/// character or another apostrophe. A CSV reader calls it on every text cell.
pub fn undo_spreadsheet_safe(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// One value with what comes with it, and where it came from.
#[derive(Clone, PartialEq)]
struct Record {
    value: String,
    evidence: String,
    evidence_date: String,
    note: String,
    file: String,
}

impl Record {
    fn same_content(&self, other: &Record) -> bool {
        (&self.value, &self.evidence, &self.evidence_date, &self.note)
            == (&other.value, &other.evidence, &other.evidence_date, &other.note)
    }

    /// The two records as a conflict shows them: the values, and each other field that
    /// differs (two equal values whose notes differ read "85 (note: a)" and "85 (note: b)",
    /// never "85" and "85").
    fn shown_against(&self, other: &Record) -> (String, String) {
        let mut mine = self.value.clone();
        let mut theirs = other.value.clone();
        let fields = [
            ("evidence", &self.evidence, &other.evidence),
            ("evidence date", &self.evidence_date, &other.evidence_date),
            ("note", &self.note, &other.note),
        ];
        let differing: Vec<_> = fields.iter().filter(|(_, a, b)| a != b).collect();
        if !differing.is_empty() {
            let describe = |value: &mut String, pick: &dyn Fn(&(&str, &String, &String)) -> String| {
                let parts: Vec<String> = differing.iter().map(|field| pick(field)).collect();
                *value = format!("{value} ({})", parts.join("; "));
            };
            let show = |name: &str, text: &String| {
                if text.is_empty() {
                    format!("no {name}")
                } else {
                    format!("{name}: {}", crate::limits::shorten(text, 60))
                }
            };
            describe(&mut mine, &|(name, a, _)| show(name, a));
            describe(&mut theirs, &|(name, _, b)| show(name, b));
        }
        (mine, theirs)
    }
}

/// A unit as first described.
#[derive(Clone, PartialEq)]
struct UnitInfo {
    name: String,
    block: String,
    file: String,
}

/// Everything added so far, by (unit, period, indicator).
#[derive(Default)]
pub struct Merged {
    units: BTreeMap<String, UnitInfo>,
    values: BTreeMap<(String, String, String), Record>,
    /// How many values were given twice, the same.
    pub duplicates: usize,
    /// Different values for the same unit, period and indicator (or unit names and blocks).
    pub conflicts: Vec<Conflict>,
    /// Submission files changed after their export (their seal does not match).
    pub edited: Vec<String>,
}

impl Merged {
    fn unit(&mut self, id: &str, name: &str, block: &str, file: &str) {
        match self.units.get(id) {
            None => {
                self.units
                    .insert(id.to_owned(), UnitInfo { name: name.into(), block: block.into(), file: file.into() });
            }
            Some(known) if (known.name.as_str(), known.block.as_str()) != (name, block) => {
                let before = format!("{} / {}", known.name, known.block);
                let now = format!("{name} / {block}");
                self.conflicts.push([
                    id.into(),
                    "-".into(),
                    "(name / block)".into(),
                    before,
                    known.file.clone(),
                    now,
                    file.into(),
                ]);
            }
            Some(_) => {}
        }
    }

    fn value(&mut self, key: (String, String, String), record: Record, keep: Option<Keep>) {
        match self.values.get(&key) {
            None => {
                self.values.insert(key, record);
            }
            Some(known) if known.same_content(&record) => self.duplicates += 1,
            Some(known) => {
                let (unit, period, indicator) = key.clone();
                let (known_shown, record_shown) = known.shown_against(&record);
                self.conflicts.push([
                    unit,
                    period,
                    indicator,
                    known_shown,
                    known.file.clone(),
                    record_shown,
                    record.file.clone(),
                ]);
                if keep == Some(Keep::Last) {
                    self.values.insert(key, record);
                }
            }
        }
    }

    /// Adds a unit's submission (noting it in [`Merged::edited`] when it was changed after
    /// its export; its values count all the same).
    pub fn add_submission(&mut self, submission: &Submission, file: &str, keep: Option<Keep>) {
        if submission.integrity() == crate::assessment::Integrity::Edited {
            self.edited.push(file.to_owned());
        }
        let block = submission.block.clone().unwrap_or_default();
        self.unit(&submission.unit_id, &submission.unit_name, &block, file);
        for (indicator, entry) in &submission.values {
            let value = if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
            let record = Record {
                value,
                evidence: entry.evidence.clone(),
                evidence_date: entry.evidence_date.clone(),
                note: entry.note.clone(),
                file: file.to_owned(),
            };
            self.value((submission.unit_id.clone(), submission.period.clone(), indicator.clone()), record, keep);
        }
    }

    /// Adds every value of a data set.
    pub fn add_dataset(&mut self, dataset: &Dataset, file: &str, keep: Option<Keep>) {
        for unit in dataset.units.iter() {
            self.unit(&unit.id, &unit.name, unit.block.as_deref().unwrap_or(""), file);
        }
        for (period_index, table) in dataset.tables.iter().enumerate() {
            for (unit_index, unit) in dataset.units.iter().enumerate() {
                if !table.present[unit_index] {
                    continue;
                }
                for (variable, id) in dataset.variables.iter().enumerate() {
                    let key = (to_u32(period_index), to_u32(unit_index), to_u32(variable));
                    let details = dataset.details.get(&key);
                    let number = table.get(variable, unit_index);
                    let evidence_date = dataset.evidence_date(period_index, unit_index, variable);
                    if number.is_none() && details.is_none() && evidence_date.is_none() {
                        continue;
                    }
                    let text = |field: Option<&String>| field.cloned().unwrap_or_default();
                    let value = match details.and_then(|details| details.items.as_ref()) {
                        Some(items) => items.join(";"),
                        None => number.map(format_number).unwrap_or_default(),
                    };
                    let record = Record {
                        value,
                        evidence: text(details.and_then(|details| details.evidence.as_ref())),
                        evidence_date: evidence_date.unwrap_or_default(),
                        note: text(details.and_then(|details| details.note.as_ref())),
                        file: file.to_owned(),
                    };
                    self.value((unit.id.clone(), dataset.periods[period_index].clone(), id.clone()), record, keep);
                }
            }
        }
    }

    /// How many units and values there are.
    pub fn counts(&self) -> (usize, usize) {
        (self.units.len(), self.values.len())
    }

    /// The merged values as the long CSV `dti evaluate` reads.
    pub fn long_csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "unit",
            "name",
            "block",
            "period",
            "indicator",
            "value",
            "evidence",
            "evidence_date",
            "note",
        ])?;
        for ((unit, period, indicator), record) in &self.values {
            let info = &self.units[unit];
            let row = [
                unit,
                &info.name,
                &info.block,
                period,
                indicator,
                &record.value,
                &record.evidence,
                &record.evidence_date,
                &record.note,
            ];
            writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell)))?;
        }
        let bytes = writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A `dti-submission/1` JSON file, or `None` for any other file.
pub fn as_submission(name: &str, bytes: &[u8]) -> Result<Option<Submission>, SubmissionError> {
    if !name.to_ascii_lowercase().ends_with(".json") {
        return Ok(None);
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(None) };
    if !text.contains(SUBMISSION_FORMAT) {
        return Ok(None);
    }
    Submission::from_json(name, text).map(Some)
}
