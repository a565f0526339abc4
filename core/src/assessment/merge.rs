//! Many units' submission files into one data set: exported JSON submissions, CSV long
//! or wide, xlsx. The same value twice is a duplicate, kept once; two different values
//! for the same unit, period and indicator are a conflict, reported with both files, and
//! [`Keep`] says which one wins. The result is the long CSV the readers take.

use crate::assessment::{SUBMISSION_FORMAT, Submission, SubmissionError};
use crate::data::Dataset;
use crate::text::format_number;
use crate::text::to_u32;

/// Which of two conflicting values is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The one from the file added first.
    First,
    /// The one from the file added last.
    Last,
}

/// Two different things given for the same unit (and period and indicator).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The unit.
    pub unit: String,
    /// What differs: the unit's description, or one value.
    pub about: ConflictAbout,
    /// What was given first, and where.
    pub first: Given,
    /// What was given later, and where.
    pub later: Given,
}

/// What a [`Conflict`] is about.
#[derive(Debug, Clone, PartialEq)]
pub enum ConflictAbout {
    /// The unit's name or block.
    Description,
    /// The value of an indicator in a period.
    Value {
        /// The period.
        period: String,
        /// The indicator.
        indicator: String,
    },
}

/// A value (or description) as one file gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// As shown: the value, and any other field that differs.
    pub shown: String,
    /// The file.
    pub file: String,
}

impl Conflict {
    /// The period and indicator, or `None` for a description.
    pub fn value_of(&self) -> Option<(&str, &str)> {
        match &self.about {
            ConflictAbout::Value { period, indicator } => Some((period, indicator)),
            ConflictAbout::Description => None,
        }
    }
}

pub use crate::table::{spreadsheet_safe, undo_spreadsheet_safe};

/// Strings kept once, named by their index: unit ids, periods, indicators, files.
#[derive(Default)]
struct Names {
    lookup: std::collections::HashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
}

impl Names {
    fn of(&mut self, text: &str) -> u32 {
        if let Some(&index) = self.lookup.get(text) {
            return index;
        }
        let index = to_u32(self.texts.len());
        self.texts.push(text.into());
        self.lookup.insert(text.into(), index);
        index
    }

    fn text(&self, index: u32) -> &str {
        &self.texts[index as usize]
    }

    /// Each name's place in the names' text order.
    fn text_order(&self) -> Vec<u32> {
        let mut sorted: Vec<u32> = (0..to_u32(self.texts.len())).collect();
        sorted.sort_by(|&a, &b| self.text(a).cmp(self.text(b)));
        let mut order = vec![0; sorted.len()];
        for (place, &index) in sorted.iter().enumerate() {
            order[index as usize] = to_u32(place);
        }
        order
    }
}

/// A value as given: a number read from a table, or text as typed in a submission.
#[derive(Clone, PartialEq)]
enum Value {
    Number(f64),
    Text(Box<str>),
}

impl Value {
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Number(number) => std::borrow::Cow::Owned(format_number(*number)),
            Value::Text(text) => std::borrow::Cow::Borrowed(text),
        }
    }

    /// The same value, however it was given (72.5 read from a table is "72.5" typed).
    fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => self.text() == other.text(),
        }
    }
}

/// What comes with a value besides the number; most values have none.
#[derive(Clone, PartialEq, Default)]
struct Details {
    evidence: String,
    evidence_date: String,
    note: String,
}

/// One value with what comes with it, and where it came from.
#[derive(Clone)]
struct Record {
    value: Value,
    details: Option<Box<Details>>,
    file: u32,
    /// The file's place among those added (values of one key are settled in this order).
    added: u32,
}

impl Record {
    fn same_content(&self, other: &Record) -> bool {
        self.value.same(&other.value) && self.details() == other.details()
    }

    fn details(&self) -> &Details {
        static NONE: std::sync::LazyLock<Details> = std::sync::LazyLock::new(Details::default);
        self.details.as_deref().unwrap_or(&NONE)
    }

    /// The two records as a conflict shows them: the values, and each other field that
    /// differs (two equal values whose notes differ read "85 (note: a)" and "85 (note: b)",
    /// never "85" and "85").
    fn shown_against(&self, other: &Record) -> (String, String) {
        let mut mine = self.value.text().into_owned();
        let mut theirs = other.value.text().into_owned();
        let (a, b) = (self.details(), other.details());
        let fields = [
            ("evidence", &a.evidence, &b.evidence),
            ("evidence date", &a.evidence_date, &b.evidence_date),
            ("note", &a.note, &b.note),
        ];
        let differing: Vec<_> = fields.iter().filter(|(_, a, b)| a != b).collect();
        if !differing.is_empty() {
            let show = |name: &str, text: &String| {
                if text.is_empty() {
                    format!("no {name}")
                } else {
                    format!("{name}: {}", crate::limits::shorten(text, 60))
                }
            };
            let mine_parts: Vec<String> = differing.iter().map(|(name, a, _)| show(name, a)).collect();
            let their_parts: Vec<String> = differing.iter().map(|(name, _, b)| show(name, b)).collect();
            mine = format!("{mine} ({})", mine_parts.join("; "));
            theirs = format!("{theirs} ({})", their_parts.join("; "));
        }
        (mine, theirs)
    }
}

/// A unit as first described.
#[derive(Clone, PartialEq)]
struct UnitInfo {
    name: String,
    block: String,
    file: u32,
}

/// One value added: (unit, period, indicator) and the record, in the order added.
type Entry = ([u32; 3], Record);

/// Everything added so far. Values are kept in the order added, compactly (names once,
/// numbers as numbers), and settled by [`Merged::finish`]: 200,000 units of 40 values
/// once took 4.7 GB as a map of strings.
#[derive(Default)]
pub struct Merged {
    names: Names,
    units: std::collections::HashMap<u32, UnitInfo>,
    entries: Vec<Entry>,
    /// Unit names and blocks given differently, found as they are added.
    unit_conflicts: Vec<Conflict>,
    /// Submission files changed after their export (their seal does not match).
    pub edited: Vec<String>,
    /// Files added so far.
    files_added: u32,
}

/// The merged data: every unit and value once, with what was given twice.
pub struct MergeOutcome {
    names: Names,
    units: std::collections::HashMap<u32, UnitInfo>,
    /// The values kept, in (unit, period, indicator) text order.
    values: Vec<Entry>,
    /// How many values were given twice, the same.
    pub duplicates: usize,
    /// Different values for the same unit, period and indicator (or unit names and blocks).
    pub conflicts: Vec<Conflict>,
    /// Submission files changed after their export (their seal does not match).
    pub edited: Vec<String>,
}

impl Merged {
    fn unit(&mut self, id: &str, name: &str, block: &str, file: u32) {
        let symbol = self.names.of(id);
        match self.units.get(&symbol) {
            None => {
                self.units.insert(symbol, UnitInfo { name: name.into(), block: block.into(), file });
            }
            Some(known) if (known.name.as_str(), known.block.as_str()) != (name, block) => {
                let before = format!("{} / {}", known.name, known.block);
                let now = format!("{name} / {block}");
                let known_file = self.names.text(known.file).to_owned();
                self.unit_conflicts.push(Conflict {
                    unit: id.into(),
                    about: ConflictAbout::Description,
                    first: Given { shown: before, file: known_file },
                    later: Given { shown: now, file: self.names.text(file).to_owned() },
                });
            }
            Some(_) => {}
        }
    }

    fn value(&mut self, unit: &str, period: &str, indicator: &str, record: Record) {
        let key = [self.names.of(unit), self.names.of(period), self.names.of(indicator)];
        self.entries.push((key, record));
    }

    /// Adds a unit's submission (noting it in [`Merged::edited`] when it was changed after
    /// its export; its values count all the same).
    pub fn add_submission(&mut self, submission: &Submission, file: &str) {
        if submission.integrity() == crate::assessment::Integrity::Edited {
            self.edited.push(file.to_owned());
        }
        let file = self.names.of(file);
        let added = self.next_file();
        let block = submission.block.clone().unwrap_or_default();
        self.unit(&submission.unit_id, &submission.unit_name, &block, file);
        for (indicator, entry) in &submission.values {
            let value = if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
            let details = Details {
                evidence: entry.evidence.clone(),
                evidence_date: entry.evidence_date.clone(),
                note: entry.note.clone(),
            };
            let details = (details != Details::default()).then(|| Box::new(details));
            let record = Record { value: Value::Text(value.into()), details, file, added };
            self.value(&submission.unit_id, &submission.period, indicator, record);
        }
    }

    /// Adds every value of a data set.
    pub fn add_dataset(&mut self, dataset: &Dataset, file: &str) {
        let file = self.names.of(file);
        let added = self.next_file();
        for unit in dataset.units.iter() {
            self.unit(&unit.id, &unit.name, unit.block.as_deref().unwrap_or(""), file);
        }
        // At most one value per present unit and variable: room for them at once, rather
        // than a list that doubles past what it needs.
        let most: usize =
            dataset.tables.iter().map(|table| table.present.iter().filter(|&&present| present).count()).sum();
        self.entries.reserve(most.saturating_mul(dataset.variables.len()));
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
                    let refused = details.and_then(|details| details.refused.as_ref());
                    let value = match (details.and_then(|details| details.items.as_ref()), number) {
                        // A value the data set refused passes on as it was given, to be
                        // refused again (and the unit flagged) where it is evaluated.
                        _ if refused.is_some() => Value::Text(text(refused).into()),
                        (Some(items), _) => Value::Text(items.join(";").into()),
                        (None, Some(number)) => Value::Number(number),
                        (None, None) => Value::Text("".into()),
                    };
                    let details = Details {
                        evidence: text(details.and_then(|details| details.evidence.as_ref())),
                        evidence_date: evidence_date.unwrap_or_default(),
                        note: text(details.and_then(|details| details.note.as_ref())),
                    };
                    let details = (details != Details::default()).then(|| Box::new(details));
                    let record = Record { value, details, file, added };
                    self.value(&unit.id, &dataset.periods[period_index], id, record);
                }
            }
        }
    }

    /// Settles what was added: a value given twice the same is kept once; two different
    /// values are a conflict, and `keep` says which one stays (the first, without it).
    pub fn finish(self, keep: Option<Keep>) -> MergeOutcome {
        let Merged { names, units, mut entries, unit_conflicts, edited, .. } = self;
        // In (unit, period, indicator) text order; values of one key in the order their
        // files were added (a file holds one value per key). Sorted and settled in place.
        let order = names.text_order();
        entries.sort_unstable_by_key(|(key, record)| (key.map(|name| order[name as usize]), record.added));
        let mut duplicates = 0;
        let mut conflicts = unit_conflicts;
        let mut kept = 0;
        for next in 0..entries.len() {
            if kept > 0 && entries[kept - 1].0 == entries[next].0 {
                let (known, record) = (&entries[kept - 1].1, &entries[next].1);
                if known.same_content(record) {
                    duplicates += 1;
                    continue;
                }
                let key = entries[next].0;
                let (known_shown, record_shown) = known.shown_against(record);
                conflicts.push(Conflict {
                    unit: names.text(key[0]).to_owned(),
                    about: ConflictAbout::Value {
                        period: names.text(key[1]).to_owned(),
                        indicator: names.text(key[2]).to_owned(),
                    },
                    first: Given { shown: known_shown, file: names.text(known.file).to_owned() },
                    later: Given { shown: record_shown, file: names.text(record.file).to_owned() },
                });
                if keep == Some(Keep::Last) {
                    entries.swap(kept - 1, next);
                }
            } else {
                entries.swap(kept, next);
                kept += 1;
            }
        }
        entries.truncate(kept);
        entries.shrink_to_fit();
        MergeOutcome { names, units, values: entries, duplicates, conflicts, edited }
    }

    fn next_file(&mut self) -> u32 {
        self.files_added += 1;
        self.files_added
    }
}

impl MergeOutcome {
    /// How many units and values there are.
    pub fn counts(&self) -> (usize, usize) {
        (self.units.len(), self.values.len())
    }

    /// The file that gave the value on `line` of [`MergeOutcome::write_long_csv`]'s CSV
    /// (line 1 is the header): so that a problem found in the merged data names the file
    /// the user gave.
    pub fn file_of_line(&self, line: u32) -> Option<&str> {
        let index = usize::try_from(line).ok()?.checked_sub(2)?;
        self.values.get(index).map(|(_, record)| self.names.text(record.file))
    }

    /// Writes the merged values as the long CSV `dti evaluate` reads, row by row.
    pub fn write_long_csv(&self, sink: impl std::io::Write) -> Result<(), csv::Error> {
        let mut writer = csv::Writer::from_writer(sink);
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
        for ([unit, period, indicator], record) in &self.values {
            let info = &self.units[unit];
            let details = record.details();
            let value = record.value.text();
            let row = [
                self.names.text(*unit),
                &info.name,
                &info.block,
                self.names.text(*period),
                self.names.text(*indicator),
                &value,
                &details.evidence,
                &details.evidence_date,
                &details.note,
            ];
            writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell)))?;
        }
        writer.flush()?;
        Ok(())
    }

    /// The merged values as the long CSV `dti evaluate` reads.
    pub fn long_csv(&self) -> Result<String, csv::Error> {
        let mut bytes = Vec::new();
        self.write_long_csv(&mut bytes)?;
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
