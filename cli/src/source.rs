//! The indicator file and data every analysing command reads: `--framework` and `--data`
//! files, or a built-in set with its sample.

use crate::inputs;
use crate::list::ListFormat;
use anyhow::Result;
use dti_core::text::Language;
use dti_core::{Dataset, Framework};
use std::path::PathBuf;

/// How the listing commands write: format, file and language.
#[derive(clap::Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Language of names and messages: vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: Language,
}

/// Where the indicator file and the data come from.
#[derive(clap::Args, Clone)]
pub struct SourceArgs {
    /// The indicator file; the built-in set when absent.
    #[arg(long)]
    pub framework: Option<PathBuf>,
    /// The data file (CSV long or wide, JSON, xlsx, COINr iData); the built-in sample when absent.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A built-in indicator set with its sample data (see `dti builtins`).
    #[arg(long, conflicts_with = "framework")]
    pub builtin: Option<String>,
    /// Refuse the whole data file when any value breaks its indicator's rule (not a
    /// number, not a percentage, ...). Without it such a value alone is refused: a warning
    /// at its cell, counted as missing, its unit flagged in the results.
    #[arg(long)]
    pub strict: bool,
}

impl SourceArgs {
    /// How the data file is read.
    pub fn read_options(&self) -> dti_core::ReadOptions {
        if self.strict { dti_core::ReadOptions::default() } else { dti_core::ReadOptions::LENIENT }
    }
}

/// A loaded indicator file and data set with their digests.
pub struct Source {
    /// The checked indicator file.
    pub framework: Framework,
    /// SHA-256 of the indicator file.
    pub framework_sha: String,
    /// The data.
    pub dataset: Dataset,
    /// SHA-256 of the data file.
    pub data_sha: String,
}

impl SourceArgs {
    /// Loads both, printing diagnostics; `None` when either is invalid.
    pub fn load(&self) -> Result<Option<Source>> {
        let Some((framework, framework_sha)) = inputs::framework(self.framework.as_deref(), self.builtin.as_deref())?
        else {
            return Ok(None);
        };
        let Some((dataset, data_sha)) = self.load_data(&framework)? else {
            return Ok(None);
        };
        Ok(Some(Source { framework, framework_sha, dataset, data_sha }))
    }

    /// Loads the data file, or the built-in sample when no data file and no indicator file
    /// are given, for `framework`; prints diagnostics, `None` when invalid.
    pub fn load_data(&self, framework: &Framework) -> Result<Option<(Dataset, String)>> {
        let builtin = if self.framework.is_none() {
            self.builtin.as_deref().or(Some(dti_core::builtin::BUILTINS[0].id))
        } else {
            None
        };
        inputs::dataset(self.data.as_deref(), builtin, framework, self.read_options())
    }
}

/// A source file to publish: on disk, or built in.
pub enum SourceFile {
    /// A file given on the command line.
    Path(PathBuf),
    /// A built-in indicator set or sample.
    Builtin(Vec<u8>),
}

impl SourceFile {
    /// The file's bytes, checked against the digest it had when it was loaded (a file
    /// changed in between is refused, so that what is published is what was evaluated).
    pub fn bytes_with_sha(&self, sha256: &str) -> Result<Vec<u8>> {
        match self {
            SourceFile::Path(path) => {
                let bytes = inputs::read_file(path, dti_core::limits::MAX_DATA_BYTES, "source file")?;
                if dti_core::provenance::sha256_hex(&bytes) != sha256 {
                    anyhow::bail!("{} changed while it was being published: publish again", path.display());
                }
                Ok(bytes)
            }
            SourceFile::Builtin(bytes) => Ok(bytes.clone()),
        }
    }
}

/// The indicator file and the data file, each with the file name it is published under.
pub struct SourceFiles {
    /// The indicator file.
    pub framework: (String, SourceFile),
    /// The data file.
    pub data: (String, SourceFile),
}

impl SourceArgs {
    /// The files the arguments name (the built-in set's when none is given).
    pub fn files(&self) -> Result<SourceFiles> {
        let builtin_id = self.builtin.as_deref().unwrap_or(dti_core::builtin::BUILTINS[0].id);
        let builtin =
            || dti_core::builtin::builtin(builtin_id).ok_or_else(|| anyhow::anyhow!("no built-in set `{builtin_id}`"));
        let file_name = |path: &PathBuf| {
            path.file_name().map_or_else(|| "file".to_owned(), |name| name.to_string_lossy().into_owned())
        };
        let framework = match &self.framework {
            Some(path) => (file_name(path), SourceFile::Path(path.clone())),
            None => {
                let set = builtin()?;
                (set.file_name.to_owned(), SourceFile::Builtin(set.framework.as_bytes().to_vec()))
            }
        };
        let mut data = match &self.data {
            Some(path) => (file_name(path), SourceFile::Path(path.clone())),
            None => {
                let set = builtin()?;
                (set.data_name.to_owned(), SourceFile::Builtin(set.data().into_bytes()))
            }
        };
        if data.0 == framework.0 {
            data.0 = format!("data-{}", data.0);
        }
        Ok(SourceFiles { framework, data })
    }
}

impl Source {
    /// The data set's index of the unit an option names; an unknown id is an error that
    /// names the unit meant when only case or Unicode form differ.
    pub fn unit_index(&self, id: &str) -> Result<usize> {
        let wanted = dti_core::text::nfc(id);
        if let Some(index) = self.dataset.units.iter().position(|unit| unit.id == *wanted) {
            return Ok(index);
        }
        let near = self.dataset.units.iter().find(|unit| unit.id.to_lowercase() == wanted.to_lowercase());
        let hint = near.map(|unit| format!(" (did you mean `{}`?)", unit.id)).unwrap_or_default();
        anyhow::bail!("no unit `{id}` in the data{hint}")
    }

    /// Evaluation options carrying the digests.
    pub fn options(&self) -> dti_core::EvaluateOptions {
        dti_core::EvaluateOptions {
            provenance: dti_core::Provenance::new(self.framework_sha.clone(), self.data_sha.clone()),
            ..dti_core::EvaluateOptions::default()
        }
    }

    /// Every period up to `period` (the latest when absent), evaluated oldest first.
    pub fn series_until(&self, period: Option<&str>) -> Result<Vec<dti_core::Evaluation>> {
        let order = dti_core::period::chronological(&self.dataset.periods);
        let labels: Vec<&str> = order.iter().map(|&index| self.dataset.periods[index].as_str()).collect();
        let end = match period {
            None => labels.len(),
            Some(period) => match labels.iter().position(|label| *label == period) {
                Some(position) => position + 1,
                None => anyhow::bail!("no period `{period}` in the data (periods: {})", labels.join(", ")),
            },
        };
        // Many periods of a large file take a while: a bar on a terminal.
        let bar = crate::progress::steps(end, 4, "evaluating periods");
        let shared = std::sync::Arc::new(self.framework.clone());
        let mut series = Vec::with_capacity(end);
        for label in &labels[..end] {
            let options = dti_core::EvaluateOptions { period: Some((*label).to_owned()), ..self.options() };
            series.push(dti_core::evaluate_shared(&shared, &self.dataset, &options)?);
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(series)
    }
}
