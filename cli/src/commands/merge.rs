//! `dti merge`: many units' submission files (exported JSON submissions, CSV long or
//! wide, xlsx) into one data set. The same value twice is a duplicate, kept once; two
//! different values for the same unit, period and indicator are a conflict, reported,
//! and nothing is written unless `--keep` says which one wins.

use crate::list::{List, ListFormat};
use anyhow::{Context, Result, bail};
use dti_core::Dataset;
use dti_core::assessment::Submission;
use dti_core::framework::validate::format_number;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti merge`.
#[derive(clap::Args)]
pub struct Args {
    /// The files to merge.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The indicator file; the built-in set when absent.
    #[arg(long)]
    framework: Option<PathBuf>,
    /// A built-in indicator set (see `dti builtins`).
    #[arg(long, conflicts_with = "framework")]
    builtin: Option<String>,
    /// Which value wins a conflict; without it, a conflict stops the merge.
    #[arg(long, value_enum)]
    keep: Option<Keep>,
    /// The merged data (long CSV); standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Which of two conflicting values is kept.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Keep {
    /// The one from the file named first.
    First,
    /// The one from the file named last.
    Last,
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
}

/// A unit as first described.
#[derive(Clone, PartialEq)]
struct UnitInfo {
    name: String,
    block: String,
    file: String,
}

/// Everything read, by (unit, period, indicator).
#[derive(Default)]
struct Merged {
    units: BTreeMap<String, UnitInfo>,
    values: BTreeMap<(String, String, String), Record>,
    duplicates: usize,
    conflicts: Vec<[String; 7]>,
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
                self.conflicts.push([
                    unit,
                    period,
                    indicator,
                    known.value.clone(),
                    known.file.clone(),
                    record.value.clone(),
                    record.file.clone(),
                ]);
                if keep == Some(Keep::Last) {
                    self.values.insert(key, record);
                }
            }
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some((framework, _)) = crate::inputs::framework(args.framework.as_deref(), args.builtin.as_deref())? else {
        return Ok(ExitCode::FAILURE);
    };
    let mut merged = Merged::default();
    let mut failed = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
        if let Some(submission) = as_submission(&name, &bytes)? {
            add_submission(&mut merged, &submission, &name, args.keep);
            continue;
        }
        match crate::inputs::dataset(Some(path), None, &framework)? {
            Some((dataset, _)) => add_dataset(&mut merged, &dataset, &name, args.keep),
            None => failed.push(name),
        }
    }
    if !failed.is_empty() {
        bail!("nothing merged: {} could not be read (see above)", failed.join(", "));
    }
    let summary = format!(
        "{} file(s): {} unit(s), {} value(s); {} duplicate(s) kept once; {} conflict(s)",
        args.files.len(),
        merged.units.len(),
        merged.values.len(),
        merged.duplicates,
        merged.conflicts.len()
    );
    if !merged.conflicts.is_empty() {
        let headers = ["Unit", "Period", "Indicator", "Value", "File", "Other value", "Other file"];
        let mut list = List::new("Conflicts", &headers);
        list.rows = merged.conflicts.iter().map(|row| row.to_vec()).collect();
        eprint!("{}", list.render(ListFormat::Table)?);
        match args.keep {
            Some(Keep::First) => eprintln!("kept: the value of the file named first"),
            Some(Keep::Last) => eprintln!("kept: the value of the file named last"),
            None => {}
        }
        if args.keep.is_none() {
            eprintln!("{summary}");
            eprintln!(
                "nothing written: settle the conflicts in the files, or say which value wins with --keep first|last"
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    crate::output::emit(&long_csv(&merged)?, args.out.as_deref())?;
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}

/// A `dti-submission/1` JSON file, or `None` for any other file.
fn as_submission(name: &str, bytes: &[u8]) -> Result<Option<Submission>> {
    if !name.to_ascii_lowercase().ends_with(".json") {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).with_context(|| format!("{name} is not UTF-8 text"))?;
    if !text.contains(dti_core::assessment::SUBMISSION_FORMAT) {
        return Ok(None);
    }
    Ok(Some(Submission::from_json(name, text)?))
}

fn add_submission(merged: &mut Merged, submission: &Submission, file: &str, keep: Option<Keep>) {
    let block = submission.block.clone().unwrap_or_default();
    merged.unit(&submission.unit_id, &submission.unit_name, &block, file);
    for (indicator, entry) in &submission.values {
        let value = if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
        let record = Record {
            value,
            evidence: entry.evidence.clone(),
            evidence_date: entry.evidence_date.clone(),
            note: entry.note.clone(),
            file: file.to_owned(),
        };
        merged.value((submission.unit_id.clone(), submission.period.clone(), indicator.clone()), record, keep);
    }
}

fn add_dataset(merged: &mut Merged, dataset: &Dataset, file: &str, keep: Option<Keep>) {
    for unit in dataset.units.iter() {
        merged.unit(&unit.id, &unit.name, unit.block.as_deref().unwrap_or(""), file);
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
                if number.is_none() && details.is_none() {
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
                    evidence_date: text(details.and_then(|details| details.evidence_date.as_ref())),
                    note: text(details.and_then(|details| details.note.as_ref())),
                    file: file.to_owned(),
                };
                merged.value((unit.id.clone(), dataset.periods[period_index].clone(), id.clone()), record, keep);
            }
        }
    }
}

/// The merged values as the long CSV `dti evaluate` reads.
fn long_csv(merged: &Merged) -> Result<String> {
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
    for ((unit, period, indicator), record) in &merged.values {
        let info = &merged.units[unit];
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
        writer.write_record(row.iter().map(|cell| crate::output::safe_text(cell)))?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}
