//! The in-memory pipeline on 100,000 ASEM-shaped units x 49 indicators.
//!
//! Needs the data from `cargo xtask bench-data` (`cargo xtask bench` runs both).

// A benchmark is not the engine: it reads its input files.
#![allow(clippy::disallowed_methods)]

use criterion::{Criterion, criterion_group, criterion_main};
use dti_core::framework::{Aggregation, Impute};
use dti_core::pipeline::{EvaluateOptions, NormaliseOverride, Overrides, evaluate};
use std::hint::black_box;
use std::path::Path;

fn load() -> (dti_core::Framework, dti_core::Dataset) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let meta = dir.join("asem-like-iMeta.csv");
    let data = dir.join("asem-100k.csv");
    let (Ok(meta_bytes), Ok(data_file)) = (std::fs::read(&meta), std::fs::File::open(&data)) else {
        panic!("benchmark data is missing: run `cargo xtask bench-data` first (or `cargo xtask bench`)");
    };
    let framework = dti_core::load_framework("asem-like-iMeta.csv", &meta_bytes).framework.expect("valid iMeta");
    let (dataset, diagnostics) =
        dti_core::data::read_csv("asem-100k.csv", std::io::BufReader::new(data_file), &framework);
    let dataset = dataset.unwrap_or_else(|| panic!("invalid benchmark data: {diagnostics:?}"));
    (framework, dataset)
}

fn pipeline(c: &mut Criterion) {
    let (framework, dataset) = load();
    let mut group = c.benchmark_group("100k-units-49-indicators");
    group.sample_size(10);
    let minmax = Overrides {
        normalise: Some(NormaliseOverride::MinMax(0.0, 100.0)),
        aggregate: Some(Aggregation::Arithmetic),
        ..Overrides::default()
    };
    let full = Overrides {
        denominate: Some(true),
        impute: Some(Impute::GroupMean("EurAsia_group".into())),
        screen: Some(0.9),
        winsorise: Some(5),
        ..minmax.clone()
    };
    // The evaluation alone: the result is freed after the timing (about 65 MB, which
    // glibc hands back to the kernel). The `+drop` variants time freeing it too.
    for (name, overrides) in [("minmax-arithmetic", minmax), ("full-pipeline", full)] {
        let options = EvaluateOptions { overrides, ..EvaluateOptions::default() };
        let run = || evaluate(black_box(&framework), black_box(&dataset), &options).expect("evaluates");
        group.bench_function(name, |b| b.iter_with_large_drop(run));
        group.bench_function(format!("{name}+drop"), |b| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
