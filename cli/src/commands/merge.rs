//! `dti merge`: many units' submission files (exported JSON submissions, CSV long or
//! wide, xlsx) into one data set. The same value twice is a duplicate, kept once; two
//! different values for the same unit, period and indicator are a conflict, reported,
//! and nothing is written unless `--keep` says which one wins.

use crate::list::{List, ListFormat};
use anyhow::{Result, bail};
use dti_core::assessment::merge::{Merged, as_submission};
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
    /// Refuse to merge when any value breaks its indicator's rule. Without it such a
    /// value is named (file, unit, indicator) and passed on as it was given, to be refused
    /// at its cell, counted as missing and its unit flagged where it is evaluated.
    #[arg(long)]
    strict: bool,
}

/// Which of two conflicting values is kept.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Keep {
    /// The one from the file named first.
    First,
    /// The one from the file named last.
    Last,
}

impl From<Keep> for dti_core::assessment::merge::Keep {
    fn from(keep: Keep) -> Self {
        match keep {
            Keep::First => Self::First,
            Keep::Last => Self::Last,
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some((framework, framework_sha)) =
        crate::inputs::framework(args.framework.as_deref(), args.builtin.as_deref())?
    else {
        return Ok(ExitCode::FAILURE);
    };
    let mut merged = Merged::default();
    let mut failed = Vec::new();
    let mut refused = 0;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = crate::inputs::read_file(path, dti_core::limits::MAX_DATA_BYTES, "file")?;
        if let Some(submission) = as_submission(&name, &bytes)? {
            // A submission names the indicator file it was filled in against: another one
            // may ask other questions, or score them otherwise.
            let made_for = &submission.framework;
            if !made_for.sha256.is_empty() && made_for.sha256 != framework_sha {
                eprintln!(
                    "warning: {name} was made for another indicator file (`{}` version {}, SHA-256 {}), not this one (`{}` version {}, SHA-256 {}): check that its indicators mean the same",
                    made_for.id,
                    made_for.version,
                    made_for.sha256.get(..12).unwrap_or(&made_for.sha256),
                    framework.id,
                    framework.version,
                    framework_sha.get(..12).unwrap_or(&framework_sha)
                );
            }
            let problems = dti_core::assessment::refused_values(&framework, &submission, &name);
            crate::render::diagnostics(&name, &[], &problems);
            refused += problems.len();
            merged.add_submission(&submission, &name);
            continue;
        }
        let options = if args.strict { dti_core::ReadOptions::default() } else { dti_core::ReadOptions::LENIENT };
        match crate::inputs::dataset(Some(path), None, &framework, options)? {
            Some((dataset, _)) => merged.add_dataset(&dataset, &name),
            None => failed.push(name),
        }
    }
    if !failed.is_empty() {
        bail!("nothing merged: {} could not be read (see above)", failed.join(", "));
    }
    if args.strict && refused > 0 {
        bail!(
            "nothing merged: {refused} value(s) break their indicator's rule (see above); without --strict they are passed on and refused one by one"
        );
    }
    let merged = merged.finish(args.keep.map(Into::into));
    for file in &merged.edited {
        eprintln!("warning: {file} was changed after its export (its seal does not match its content)");
    }
    let summary = format!(
        "{} file(s): {} unit(s), {} value(s); {} duplicate(s) kept once; {} conflict(s)",
        args.files.len(),
        merged.counts().0,
        merged.counts().1,
        merged.duplicates,
        merged.conflicts.len()
    );
    if !merged.conflicts.is_empty() {
        let headers = ["Unit", "Period", "Indicator", "Value", "File", "Other value", "Other file"];
        let mut list = List::new("Conflicts", &headers);
        list.rows = merged
            .conflicts
            .iter()
            .map(|conflict| {
                let (period, indicator) = conflict.value_of().unwrap_or(("-", "(name / block)"));
                vec![
                    conflict.unit.clone(),
                    period.to_owned(),
                    indicator.to_owned(),
                    conflict.first.shown.clone(),
                    conflict.first.file.clone(),
                    conflict.later.shown.clone(),
                    conflict.later.file.clone(),
                ]
            })
            .collect();
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
    match &args.out {
        Some(path) => crate::files::write_with(path, |sink| merged.write_long_csv(sink).map_err(anyhow::Error::from))?,
        None => crate::output::emit(&merged.long_csv()?, None)?,
    }
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
