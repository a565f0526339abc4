//! Runs the full pipeline repeatedly on benchmark data, for profilers (`perf record`).
//!
//! `cargo run --release -p dti-core --example profile_pipeline -- IMETA.csv DATA.csv [RUNS] [simple|full]`
//! prints each run and, last, the median and fastest of the runs.

#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use dti_core::framework::{Aggregation, Impute};
use dti_core::pipeline::{EvaluateOptions, NormaliseOverride, Overrides, evaluate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(meta), Some(data)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: profile_pipeline IMETA.csv DATA.csv [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let framework =
        dti_core::load_framework(meta, &std::fs::read(meta).expect("read iMeta")).framework.expect("valid iMeta");
    let file = std::io::BufReader::new(std::fs::File::open(data).expect("open data"));
    let dataset = dti_core::data::read_csv(data, file, &framework).0.expect("valid data");
    let simple = args.get(4).is_some_and(|mode| mode == "simple");
    let overrides = if simple {
        Overrides {
            normalise: Some(NormaliseOverride::MinMax(0.0, 100.0)),
            aggregate: Some(Aggregation::Arithmetic),
            ..Overrides::default()
        }
    } else {
        Overrides {
            denominate: Some(true),
            impute: Some(Impute::GroupMean("EurAsia_group".into())),
            screen: Some(0.9),
            winsorise: Some(5),
            normalise: Some(NormaliseOverride::MinMax(0.0, 100.0)),
            aggregate: Some(Aggregation::Arithmetic),
            ..Overrides::default()
        }
    };
    let options = EvaluateOptions { overrides, ..EvaluateOptions::default() };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let evaluation = evaluate(&framework, &dataset, &options).expect("evaluates");
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        times.push(elapsed);
        let winsorised = evaluation.treatment.values().filter(|t| t.winsorised.is_some()).count();
        let logged = evaluation.treatment.values().filter(|t| t.log_transformed).count();
        println!(
            "{} units in {elapsed:.1} ms ({winsorised} indicators winsorised, {logged} log-transformed)",
            evaluation.n_units()
        );
        // Dropped here, outside the timing: glibc hands its memory back to the kernel, so
        // every run starts on fresh memory, as a one-shot `dti evaluate` does.
    }
    times.sort_by(f64::total_cmp);
    if let (Some(fastest), Some(median)) = (times.first(), times.get(times.len() / 2)) {
        println!("{runs} runs: median {median:.1} ms, fastest {fastest:.1} ms");
    }
}
