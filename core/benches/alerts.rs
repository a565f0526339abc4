//! Alerts over 3,300 units x 31 indicators x 8 periods (the target: under 50 ms).
//!
//! The data is generated here (the built-in `vn-ministry` indicators and rules, values of
//! every type with evidence dates, a few units missing per period); the evaluations are
//! made once, and what is timed is checking every rule for each of the 8 periods against
//! its history, each as of the January after it.

// A benchmark is not the engine: it reports what it generated.
#![allow(clippy::disallowed_macros)]

use criterion::{Criterion, criterion_group, criterion_main};
use dti_core::alerts::{AlertContext, check_alerts};
use dti_core::period::Date;
use dti_core::pipeline::EvaluateOptions;
use dti_core::series::evaluate_series;
use std::hint::black_box;

mod generated;

fn alerts(c: &mut Criterion) {
    let builtin = dti_core::builtin::builtin("vn-ministry").expect("built in");
    let framework = dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes()).framework.expect("valid");
    let text = generated::ministries(&framework, generated::UNITS, generated::PERIODS);
    let loaded = dti_core::load_data("generated.csv", text.as_bytes(), &framework);
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{:?}", &loaded.diagnostics[..3]));
    let series = evaluate_series(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
    // Each period is checked as it would be when published: at the end of the next January.
    let as_of: Vec<Option<Date>> = series
        .iter()
        .map(|evaluation| evaluation.period.parse::<i32>().ok().and_then(|year| Date::new(year + 1, 1, 31)))
        .collect();
    let check_all = || {
        (1..=series.len())
            .map(|end| {
                let context =
                    AlertContext { dataset: &dataset, series: &series[..end], as_of: as_of[end - 1], verified: None };
                check_alerts(&context).len()
            })
            .sum::<usize>()
    };
    eprintln!(
        "{} indicators, {} periods, {} units: {} alerts over all periods",
        framework.indicator_indices().len(),
        series.len(),
        dataset.n_units(),
        check_all()
    );
    let mut group = c.benchmark_group("alerts-3300-units-31-indicators-8-periods");
    group.sample_size(20);
    group.bench_function("every rule, every period", |b| b.iter(|| black_box(check_all())));
    group.bench_function("evaluate the 8 periods (for reference)", |b| {
        b.iter(|| black_box(evaluate_series(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates")))
    });
    group.finish();
}

criterion_group!(benches, alerts);
criterion_main!(benches);
