//! Outlier treatment exactly as COINr's `Treat()` with its defaults: check skewness and
//! kurtosis; if the check fails, winsorise up to `winmax` points; if it still fails,
//! apply `log_CT` to the original values.

use super::stats::{min_max, skewness_kurtosis};
use crate::evaluation::flags;
use crate::framework::Treat;
use serde::Serialize;

/// The outcome of COINr's `check_SkewKurt`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Check {
    /// Whether the column passes: |skew| below the threshold or kurtosis below its threshold.
    pub pass: bool,
    /// Skewness (e1071 type 2).
    pub skew: f64,
    /// Kurtosis (e1071 type 2).
    pub kurtosis: f64,
}

/// What was done to one indicator.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TreatReport {
    /// The check before treatment (absent with fewer than four values).
    pub before: Option<Check>,
    /// Points winsorised, counted as COINr does (the last high and low passes).
    pub winsorised: Option<u32>,
    /// The check after winsorisation.
    pub after_winsorising: Option<Check>,
    /// Whether the log transform was applied.
    pub log_transformed: bool,
    /// The check after the log transform.
    pub after_log: Option<Check>,
}

fn check(values: &[f64], spec: &Treat) -> Option<Check> {
    let (skew, kurtosis) = skewness_kurtosis(values)?;
    Some(Check { pass: skew.abs() < spec.skew || kurtosis < spec.kurtosis, skew, kurtosis })
}

/// Treats a column in place (`NaN` is missing), marking changed values in `flags`
/// (winsorised, or log-transformed); returns what was done.
pub fn treat_column(values: &mut [f64], value_flags: &mut [u8], spec: &Treat) -> TreatReport {
    let mut report = TreatReport { before: check(values, spec), ..TreatReport::default() };
    let Some(before) = report.before else { return report };
    if before.pass {
        return report;
    }
    let original = values.to_vec();
    let mut current = before;
    let mut high_count = 0usize;
    let mut low_count = 0usize;
    let mut winsorised = 0usize;
    while !current.pass && winsorised < spec.winmax as usize {
        let Some((low, high)) = min_max(values) else { break };
        if current.skew >= 0.0 {
            // Every point equal to the maximum takes the largest of the others.
            let Some(next) = values.iter().copied().filter(|v| !v.is_nan() && *v != high).reduce(f64::max) else {
                break;
            };
            high_count = replace_all(values, value_flags, high, next);
        } else {
            let Some(next) = values.iter().copied().filter(|v| !v.is_nan() && *v != low).reduce(f64::min) else {
                break;
            };
            low_count = replace_all(values, value_flags, low, next);
        }
        winsorised = high_count + low_count;
        let Some(next) = check(values, spec) else { break };
        current = next;
    }
    report.winsorised = Some(crate::diag::to_u32(winsorised));
    report.after_winsorising = Some(current);
    if report.after_winsorising.is_some_and(|c| c.pass) || !spec.log_fallback {
        return report;
    }
    // COINr's log_CT on the original column: log(x - min + 0.01 (max - min)).
    let Some((low, high)) = min_max(&original) else { return report };
    if high <= low {
        return report;
    }
    let shift = 0.01 * (high - low);
    // The winsorised values are discarded, as in COINr: only the log transform remains.
    for ((value, original), flag) in values.iter_mut().zip(&original).zip(value_flags.iter_mut()) {
        *flag &= !flags::WINSORISED;
        if original.is_nan() {
            *value = f64::NAN;
        } else {
            *value = libm::log(original - low + shift);
            *flag |= flags::LOG;
        }
    }
    report.log_transformed = true;
    report.after_log = check(values, spec);
    report
}

fn replace_all(values: &mut [f64], value_flags: &mut [u8], target: f64, replacement: f64) -> usize {
    let mut count = 0;
    for (value, flag) in values.iter_mut().zip(value_flags.iter_mut()) {
        if *value == target {
            *value = replacement;
            *flag |= flags::WINSORISED;
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_column_is_left_alone() {
        let mut values = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let report = treat_column(&mut values, &mut [0; 5], &Treat::default());
        assert!(report.before.unwrap().pass);
        assert_eq!(values, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(report.winsorised, None);
    }

    #[test]
    fn high_outliers_are_winsorised_to_the_next_value() {
        let mut values: Vec<f64> = (1..=20).map(f64::from).chain([1000.0]).collect();
        let mut value_flags = vec![0; values.len()];
        let report = treat_column(&mut values, &mut value_flags, &Treat::default());
        assert!(!report.before.unwrap().pass);
        assert_eq!(report.winsorised, Some(1));
        assert_eq!(values[20], 20.0);
        assert_eq!(value_flags[20], flags::WINSORISED);
        assert_eq!(value_flags[19], 0);
        assert!(report.after_winsorising.unwrap().pass);
        assert!(!report.log_transformed);
    }

    #[test]
    fn log_fallback_applies_to_the_original_values() {
        let mut values: Vec<f64> = (1..=30).map(f64::from).chain([1e3, 1e4, 1e5, 1e6]).collect();
        let original = values.clone();
        let spec = Treat { winmax: 1, ..Treat::default() };
        let mut value_flags = vec![0; values.len()];
        let report = treat_column(&mut values, &mut value_flags, &spec);
        assert!(report.log_transformed);
        assert!(value_flags.iter().all(|&flag| flag == flags::LOG));
        let shift = 0.01 * (1e6 - 1.0);
        assert_eq!(values[33], libm::log(original[33] - 1.0 + shift));
    }
}
