//! Generated data for benchmarks (also used by `cargo xtask bench-publish`): many units
//! of the built-in `vn-ministry` indicator set over several periods, deterministic.

use dti_core::framework::ValueType;
use std::fmt::Write;

/// Units a generated data set has.
pub const UNITS: usize = 3_300;
/// Its periods (years).
pub const PERIODS: std::ops::Range<i32> = 2018..2026;

/// A small deterministic generator (64-bit LCG), so every run times the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Units of the built-in `vn-ministry` set's shape over `periods`, as a wide CSV with
/// evidence dates: values of every type, a trend upwards, about 2% of units missing
/// from each period and 10% of evidence a year old.
pub fn ministries(framework: &dti_core::Framework, units: usize, periods: std::ops::Range<i32>) -> String {
    let indicators: Vec<_> = framework.nodes.iter().filter(|node| node.indicator().is_some()).collect();
    let mut csv = String::from("unit,name,block,period");
    for node in &indicators {
        write!(csv, ",{0},{0}:evidence_date", node.id).expect("a string");
    }
    csv.push('\n');
    let mut random = Lcg(7);
    for period in periods {
        for unit in 0..units {
            if random.next() < 0.02 {
                continue;
            }
            let block = &framework.blocks[unit % framework.blocks.len()].id;
            write!(csv, "U{unit:04},Đơn vị mô phỏng {unit:04} / Synthetic unit {unit:04},{block},{period}")
                .expect("a string");
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
