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
use dti_core::framework::ValueType;
use dti_core::period::Date;
use dti_core::pipeline::EvaluateOptions;
use dti_core::series::evaluate_series;
use std::fmt::Write;
use std::hint::black_box;

const UNITS: usize = 3_300;
const PERIODS: std::ops::Range<i32> = 2018..2026;

/// A small deterministic generator (64-bit LCG), so every run times the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn data(framework: &dti_core::Framework) -> String {
    let indicators: Vec<_> = framework.nodes.iter().filter(|node| node.indicator().is_some()).collect();
    let mut csv = String::from("unit,block,period");
    for node in &indicators {
        write!(csv, ",{0},{0}:evidence_date", node.id).expect("a string");
    }
    csv.push('\n');
    let mut random = Lcg(7);
    for period in PERIODS {
        for unit in 0..UNITS {
            if random.next() < 0.02 {
                continue;
            }
            let block = &framework.blocks[unit % framework.blocks.len()].id;
            write!(csv, "U{unit:04},{block},{period}").expect("a string");
            let trend = f64::from(period - 2018) * 5.0;
            for node in &indicators {
                let indicator = node.indicator().expect("an indicator");
                let value = match &indicator.value_type {
                    ValueType::Boolean => format!("{}", u8::from(random.next() < 0.6)),
                    ValueType::Ordinal { labels } => {
                        format!("{}", labels[(random.next() * labels.len() as f64) as usize % labels.len()].value)
                    }
                    ValueType::Checklist { items } => items
                        .iter()
                        .filter(|_| random.next() < 0.6)
                        .map(|item| item.id.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                    ValueType::Count { .. } => format!("{}", (random.next() * 40.0).round()),
                    _ => format!("{:.1}", (random.next() * 70.0 + trend).min(100.0)),
                };
                let month = 1 + (random.next() * 12.0) as u32 % 12;
                write!(csv, ",{value},{}-{month:02}-15", period - i32::from(random.next() < 0.1)).expect("a string");
            }
            csv.push('\n');
        }
    }
    csv
}

fn alerts(c: &mut Criterion) {
    let builtin = dti_core::builtin::builtin("vn-ministry").expect("built in");
    let framework = dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes()).framework.expect("valid");
    let text = data(&framework);
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
