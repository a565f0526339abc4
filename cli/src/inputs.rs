//! Loading the indicator file and the data, from disk or the built-in sets.

use crate::render;
use anyhow::{Context, Result, bail};
use dti_core::framework::{Aggregation, Framework, Impute};
use dti_core::pipeline::NormaliseOverride;
use dti_core::{Dataset, builtin};
use std::path::Path;

/// Reads a whole file, refusing one larger than `limit` bytes: before reading it when its
/// size is known, and while reading it when it is not (a pipe, a device), so that no
/// input can exhaust memory. The file becomes one of the command's inputs, which no
/// output may overwrite. (A CSV data file streams instead, bounded likewise.)
pub fn read_file(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = open(path)?;
    let size = file.metadata().map_or(0, |metadata| metadata.len());
    if size > limit as u64 {
        bail!("{}: {}", path.display(), dti_core::limits::file_too_large(what, size, limit as u64));
    }
    let mut reader = file.take(limit as u64 + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(limit));
    // The first bytes first: a device or a binary that is nothing but zero bytes (a
    // mistyped `/dev/zero`) is refused before a gigabyte of it is read.
    (&mut reader).take(64 << 10).read_to_end(&mut bytes).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() == 64 << 10 && bytes.iter().all(|&byte| byte == 0) {
        bail!("{} is not a {what}: it holds only zero bytes", path.display());
    }
    reader.read_to_end(&mut bytes).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() > limit {
        bail!("{}: {}", path.display(), dti_core::limits::more_than(what, limit as u64));
    }
    Ok(bytes)
}

/// Opens an input file (a folder is refused by name) and remembers it as an input.
pub fn open(path: &Path) -> Result<std::fs::File> {
    if path.is_dir() {
        bail!("{} is a folder, not a file", path.display());
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    crate::files::remember_input(path);
    Ok(file)
}

/// Loads and checks the indicator file; prints diagnostics and returns `None` when invalid.
pub fn framework(path: Option<&Path>, builtin_id: Option<&str>) -> Result<Option<(Framework, String)>> {
    let (name, bytes) = match (path, builtin_id) {
        (Some(path), _) => {
            (path.display().to_string(), read_file(path, dti_core::limits::MAX_FRAMEWORK_BYTES, "indicator file")?)
        }
        (None, Some(id)) => {
            let Some(found) = builtin::builtin(id) else {
                let known = builtin::BUILTINS.iter().map(|b| b.id).collect::<Vec<_>>().join(", ");
                bail!("no built-in indicator set `{id}` (built-in sets: {known})");
            };
            (found.file_name.to_owned(), found.framework.as_bytes().to_vec())
        }
        (None, None) => {
            let found = &builtin::BUILTINS[0];
            (found.file_name.to_owned(), found.framework.as_bytes().to_vec())
        }
    };
    let loaded = dti_core::load_framework(&name, &bytes);
    let problems: Vec<_> =
        loaded.diagnostics.iter().filter(|d| d.is_error() || loaded.framework.is_none()).cloned().collect();
    render::diagnostics(&name, &bytes, &problems);
    Ok(loaded.framework.map(|framework| (framework, loaded.sha256)))
}

/// How many data warnings are printed at most.
const MAX_WARNINGS_SHOWN: usize = 20;

/// Loads the data; CSV files stream, so large files need little memory.
pub fn dataset(
    path: Option<&Path>,
    builtin_id: Option<&str>,
    framework: &Framework,
    options: dti_core::ReadOptions,
) -> Result<Option<(Dataset, String)>> {
    let (name, dataset, diagnostics, sha, source) = match path {
        Some(path) => {
            let name = path.display().to_string();
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".csv") {
                let file = open(path)?;
                let size = file.metadata().map_or(0, |metadata| metadata.len());
                let bar = crate::progress::bytes(size, &name);
                let mut reader = dti_core::provenance::HashingReader::new(std::io::BufReader::with_capacity(
                    1 << 20,
                    bar.wrap_read(file),
                ));
                let (dataset, diagnostics) = dti_core::data::read_csv_with(&name, &mut reader, framework, options);
                // Hash whatever the CSV reader did not need to read (nothing, normally).
                std::io::copy(&mut reader, &mut std::io::sink())?;
                bar.finish_and_clear();
                (name, dataset, diagnostics, reader.sha256_hex(), None)
            } else {
                let bytes = read_file(path, dti_core::limits::MAX_DATA_BYTES, "data file")?;
                let loaded = dti_core::load_data_with(&name, &bytes, framework, options);
                (name, loaded.dataset, loaded.diagnostics, loaded.sha256, Some(bytes))
            }
        }
        None => {
            let id = builtin_id.unwrap_or(builtin::BUILTINS[0].id);
            let found = builtin::builtin(id).with_context(|| format!("no built-in data for `{id}`: give --data"))?;
            let loaded = dti_core::load_data_with(found.data_name, found.data().as_bytes(), framework, options);
            (
                found.data_name.to_owned(),
                loaded.dataset,
                loaded.diagnostics,
                loaded.sha256,
                Some(found.data().as_bytes().to_vec()),
            )
        }
    };
    // Errors always; warnings (ignored columns, values that do not apply) up to a limit.
    let mut shown: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    shown.extend(diagnostics.iter().filter(|d| !d.is_error()).take(MAX_WARNINGS_SHOWN).cloned());
    let source = match source {
        Some(bytes) => bytes,
        // A snippet for the diagnostics shown: the file again, as far as the limit goes.
        None if !shown.is_empty() => match path {
            Some(path) => read_file(path, dti_core::limits::MAX_DATA_BYTES, "data file").unwrap_or_default(),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    render::diagnostics(&name, &source, &shown);
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    if warnings > MAX_WARNINGS_SHOWN {
        eprintln!("note: {name}: {} more warning(s) not shown", warnings - MAX_WARNINGS_SHOWN);
    }
    Ok(dataset.map(|dataset| (dataset, sha)))
}

/// An error in how the options were used, found after parsing them: the command exits
/// with 2, as for the errors the parser finds.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Returns a [`UsageError`].
pub fn usage<T>(message: impl Into<String>) -> Result<T> {
    Err(UsageError(message.into()).into())
}

/// A share from 0 to 1 (`--screen`).
pub fn parse_share(text: &str) -> Result<f64, String> {
    let value: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number"))?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{value} is not a share: give a number from 0 to 1, e.g. 0.9"));
    }
    Ok(value)
}

/// How many points to winsorise: 0 to [`dti_core::limits::MAX_WINSORISE_POINTS`].
pub fn parse_winmax(text: &str) -> Result<u32, String> {
    let max = dti_core::limits::MAX_WINSORISE_POINTS;
    match text.trim().parse::<i64>() {
        Ok(value) if (0..=i64::from(max)).contains(&value) => Ok(u32::try_from(value).unwrap_or(max)),
        Ok(value) => Err(format!("{value} is not a number of points from 0 to {max}")),
        Err(_) => Err(format!("`{text}` is not a whole number of points (0 to {max})")),
    }
}

/// A count from 1 to `max` (runs, resamples, threads).
pub fn count_up_to(max: usize) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync + 'static {
    move |text: &str| match text.trim().parse::<i128>() {
        Ok(value) if value >= 1 && value <= max as i128 => Ok(usize::try_from(value).unwrap_or(max)),
        Ok(value) => Err(format!("{value} is out of range: give 1 to {max}")),
        Err(_) => Err(format!("`{text}` is not a whole number (1 to {max})")),
    }
}

/// `minmax:LOW,HIGH | zscore:MEAN,SD | prank | goalposts`.
pub fn parse_normalise(text: &str) -> Result<NormaliseOverride, String> {
    let (method, parameters) = text.split_once(':').unwrap_or((text, ""));
    let pair = |default: (f64, f64)| -> Result<(f64, f64), String> {
        if parameters.is_empty() {
            return Ok(default);
        }
        let (a, b) = parameters
            .split_once(',')
            .ok_or_else(|| format!("`{parameters}` should be two numbers separated by a comma"))?;
        let a: f64 = a.trim().parse().map_err(|_| format!("`{a}` is not a number"))?;
        let b: f64 = b.trim().parse().map_err(|_| format!("`{b}` is not a number"))?;
        let bound = dti_core::limits::MAX_PARAMETER_MAGNITUDE;
        if !(a.is_finite() && b.is_finite()) || a.abs().max(b.abs()) > bound {
            return Err(format!("the parameters must be finite and at most {bound:e} in size"));
        }
        Ok((a, b))
    };
    match method {
        "minmax" => {
            let (low, high) = pair((0.0, 100.0))?;
            if low >= high {
                return Err(format!("minmax needs LOW < HIGH, got {low},{high}"));
            }
            Ok(NormaliseOverride::MinMax(low, high))
        }
        "zscore" => {
            let (mean, sd) = pair((0.0, 1.0))?;
            if sd <= 0.0 {
                return Err("zscore needs a positive SD".into());
            }
            Ok(NormaliseOverride::ZScore(mean, sd))
        }
        "prank" => Ok(NormaliseOverride::PercentileRank),
        "goalposts" => Ok(NormaliseOverride::Goalposts),
        other => {
            Err(format!("unknown normalisation `{other}`: use minmax:LOW,HIGH, zscore:MEAN,SD, prank or goalposts"))
        }
    }
}

/// `arithmetic | geometric | harmonic | sum | minimum`.
pub fn parse_aggregate(text: &str) -> Result<Aggregation, String> {
    match text {
        "arithmetic" | "amean" | "mean" => Ok(Aggregation::Arithmetic),
        "geometric" | "gmean" => Ok(Aggregation::Geometric),
        "harmonic" | "hmean" => Ok(Aggregation::Harmonic),
        "sum" => Ok(Aggregation::Sum),
        "minimum" | "min" => Ok(Aggregation::Minimum),
        other => Err(format!("unknown aggregation `{other}`: use arithmetic, geometric, harmonic, sum or minimum")),
    }
}

/// `mean | median | group-mean:COL | group-median:COL | previous-period | none`.
pub fn parse_impute(text: &str) -> Result<Impute, String> {
    let (method, group) = text.split_once(':').unwrap_or((text, ""));
    let need_group = || {
        if group.is_empty() {
            Err(format!("`{method}` needs a group column, e.g. {method}:EurAsia_group"))
        } else {
            Ok(group.to_owned())
        }
    };
    match method {
        "none" => Ok(Impute::None),
        "mean" => Ok(Impute::Mean),
        "median" => Ok(Impute::Median),
        "group-mean" => Ok(Impute::GroupMean(need_group()?)),
        "group-median" => Ok(Impute::GroupMedian(need_group()?)),
        "previous-period" => Ok(Impute::PreviousPeriod),
        other => Err(format!(
            "unknown imputation `{other}`: use mean, median, group-mean:COL, group-median:COL, previous-period or none"
        )),
    }
}
