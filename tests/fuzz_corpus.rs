//! The fuzz targets' bodies (`fuzz/src/lib.rs`) run as ordinary tests on every input of the
//! committed corpus (`fuzz/corpus/TARGET/`) and on every input that once made a target
//! fail (`fuzz/regressions/TARGET/`, each named after what it broke). A target panics on
//! what it must not accept, so each input passing is the whole check.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn inputs(folder: &str, target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz").join(folder).join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries.filter_map(Result::ok).map(|entry| entry.path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn run_every_input(folder: &str) -> usize {
    let mut count = 0;
    for (target, body) in targets::TARGETS {
        for path in inputs(folder, target) {
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let outcome = std::panic::catch_unwind(|| body(&bytes));
            assert!(outcome.is_ok(), "fuzz target {target} fails on {}", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn every_committed_fuzz_input_is_handled() {
    let count = run_every_input("corpus");
    assert!(count >= targets::TARGETS.len(), "the corpus holds only {count} inputs");
}

#[test]
fn every_input_that_once_failed_is_handled() {
    run_every_input("regressions");
}
