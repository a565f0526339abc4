//! Shared helpers: locating reference data, loading files, comparing numbers.

use dti_core::{Dataset, Framework, load_data, load_framework};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

/// `../shared/conformance`, if it exists next to the checkout.
pub fn conformance_dir() -> Option<PathBuf> {
    let dir = workspace().join("../shared/conformance");
    dir.is_dir().then_some(dir)
}

/// Returns the conformance folder, or prints why the test is skipped and returns from it.
macro_rules! conformance_or_skip {
    () => {
        match crate::support::conformance_dir() {
            Some(dir) => dir,
            None => {
                eprintln!("SKIPPED: ../shared/conformance is absent next to the checkout; conformance not checked");
                return;
            }
        }
    };
}
pub(crate) use conformance_or_skip;

/// Loads an indicator file, failing the test with every diagnostic if it is not valid.
pub fn framework_from(path: &Path) -> Framework {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let loaded = load_framework(&path.display().to_string(), &bytes);
    match loaded.framework {
        Some(framework) => framework,
        None => panic!("{} is not valid:\n{}", path.display(), render(&loaded.diagnostics)),
    }
}

/// Loads a data file for a framework, failing the test with every diagnostic if needed.
pub fn dataset_from(path: &Path, framework: &Framework) -> Dataset {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let loaded = load_data(&path.display().to_string(), &bytes, framework);
    match loaded.dataset {
        Some(dataset) => dataset,
        None => panic!("{} is not valid:\n{}", path.display(), render(&loaded.diagnostics)),
    }
}

/// Diagnostics one per line.
pub fn render(diagnostics: &[dti_core::Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

/// A CSV table keyed by its first column, then by header; `NA` and empty are `None`.
pub fn read_table(path: &Path) -> BTreeMap<String, BTreeMap<String, Option<f64>>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let headers: Vec<String> = reader.headers().expect("header row").iter().map(str::to_owned).collect();
    let mut table = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("csv record");
        let key = record[0].to_owned();
        let row = headers
            .iter()
            .zip(record.iter())
            .skip(1)
            .map(|(header, cell)| (header.clone(), cell.parse::<f64>().ok()))
            .collect();
        table.insert(key, row);
    }
    table
}

/// Whether two numbers agree within a relative tolerance (or both are missing).
pub fn close(expected: Option<f64>, actual: Option<f64>, relative: f64) -> bool {
    match (expected, actual) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || (a - b).abs() <= relative * a.abs().max(b.abs()) || (a - b).abs() <= 1e-12,
        _ => false,
    }
}
