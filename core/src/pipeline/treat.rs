//! Outlier treatment exactly as COINr's `Treat()` with its defaults: check skewness and
//! kurtosis; if the check fails, winsorise up to `winmax` points; if it still fails,
//! apply `log_CT` to the original values.

use crate::evaluation::flags;
use crate::framework::Treat;
use crate::stats;

/// Kept here too, where they were first published (see [`crate::evaluation`]).
pub use crate::evaluation::{Check, TreatReport};

impl Check {
    fn new(spec: &Treat, (skew, kurtosis): (f64, f64)) -> Self {
        Self { pass: skew.abs() < spec.skew || kurtosis < spec.kurtosis, skew, kurtosis }
    }
}

/// How much larger than a central sum the terms it was computed from may be before it is
/// recomputed from the column: rounding then costs at most about 4 of 16 digits.
const CANCELLATION_LIMIT: f64 = 1e4;

/// The power sums of a column's deviations from a fixed reference (its mean when
/// computed), kept up to date as winsorisation replaces points, so that a step costs
/// nothing in the column's length. Pulling in a far outlier leaves sums much larger than
/// what remains of them, whose digits are lost to cancellation: the magnitudes of every
/// term are tracked, and the sums computed again from the column when too many are lost.
struct Moments {
    n: f64,
    reference: f64,
    /// Sums of the deviations to the powers 1 to 4.
    sums: [f64; 4],
    /// Sums of the magnitudes of every term added to the second and fourth power sums.
    magnitudes: [f64; 2],
}

impl Moments {
    /// `None` with fewer than four values, as COINr's check.
    fn of(values: &[f64]) -> Option<Self> {
        Self::around_mean(values, &stats::summary(values)?)
    }

    /// [`Moments::of`] for a column whose [`stats::Summary`] is known.
    fn around_mean(values: &[f64], summary: &stats::Summary) -> Option<Self> {
        if summary.count < 4 {
            return None;
        }
        let sums = stats::central_sums(values, summary.mean);
        Some(Self { n: summary.count as f64, reference: summary.mean, sums, magnitudes: [sums[1], sums[3]] })
    }

    /// `count` points equal to `from` become `to`.
    fn replace(&mut self, from: f64, to: f64, count: usize) {
        let (old, new) = (from - self.reference, to - self.reference);
        let mut old_power = 1.0;
        let mut new_power = 1.0;
        for (power, sum) in self.sums.iter_mut().enumerate() {
            old_power *= old;
            new_power *= new;
            *sum += count as f64 * (new_power - old_power);
            if power % 2 == 1 {
                self.magnitudes[power / 2] += count as f64 * (new_power + old_power);
            }
        }
    }

    /// Skewness and kurtosis as computed from the column itself (`stats::skewness_kurtosis`):
    /// exact while the reference is still the column's mean, as when just computed.
    fn around_reference(&self) -> (f64, f64) {
        let [_, squares, cubes, fourths] = self.sums;
        stats::skewness_kurtosis_of(self.n, squares, cubes, fourths)
    }

    /// Skewness and kurtosis from the central sums, `None` when these may have lost too
    /// many digits to cancellation.
    fn skewness_kurtosis(&self) -> Option<(f64, f64)> {
        let n = self.n;
        let [s1, s2, s3, s4] = self.sums;
        let shift = s1 / n;
        let squares = s2 - s1 * shift;
        let cubes = s3 - 3.0 * shift * s2 + 2.0 * s1 * shift * shift;
        let fourths = s4 - 4.0 * shift * s3 + 6.0 * shift * shift * s2 - 3.0 * s1 * shift * shift * shift;
        let noise_squares = self.magnitudes[0] + (s1 * shift).abs();
        let noise_fourths = self.magnitudes[1]
            + (4.0 * shift * s3).abs()
            + 6.0 * shift * shift * s2.abs()
            + (3.0 * s1 * shift * shift * shift).abs();
        (noise_squares <= CANCELLATION_LIMIT * squares && noise_fourths <= CANCELLATION_LIMIT * fourths)
            .then(|| stats::skewness_kurtosis_of(n, squares, cubes, fourths))
    }
}

/// The few distinct values at either end of a column, with how many points hold each,
/// ascending. When the column has few distinct values the list holds all of them.
struct Extremes {
    /// Ascending (value, count).
    entries: Vec<(f64, usize)>,
    /// How many entries at the start are the low end (all of them when `complete`).
    low_len: usize,
    /// Whether the entries are every distinct value of the column.
    complete: bool,
}

impl Extremes {
    /// The `depth` smallest and `depth` largest distinct values, in one pass.
    fn of(values: &[f64], depth: usize) -> Self {
        let mut low: Vec<(f64, usize)> = Vec::with_capacity(depth + 1);
        let mut high: Vec<(f64, usize)> = Vec::with_capacity(depth + 1);
        for value in stats::present(values) {
            keep_extreme(&mut low, value, depth, |a, b| a < b);
            keep_extreme(&mut high, value, depth, |a, b| a > b);
        }
        high.reverse();
        // With at most 2 x depth distinct values the two ends meet: one list holds them all.
        let complete = low.last().zip(high.first()).is_none_or(|(low, high)| low.0 >= high.0);
        let mut entries = low;
        let low_len = if complete {
            let top_of_low = entries.last().map_or(f64::NEG_INFINITY, |entry| entry.0);
            entries.extend(high.into_iter().filter(|(value, _)| *value > top_of_low));
            entries.len()
        } else {
            let low_len = entries.len();
            entries.extend(high);
            low_len
        };
        Self { entries, low_len, complete }
    }

    /// Moves every point at the top (or bottom) to the next value; returns the extreme,
    /// the next value and how many points moved, or `None` when no next value is known.
    fn pull_in(&mut self, from_top: bool) -> Option<(f64, f64, usize)> {
        let (low_len, high_len) = if self.complete {
            (self.entries.len(), self.entries.len())
        } else {
            (self.low_len, self.entries.len() - self.low_len)
        };
        if (from_top && high_len < 2) || (!from_top && low_len < 2) {
            return None;
        }
        let (extreme, next) = if from_top {
            let extreme = self.entries.remove(self.entries.len() - 1);
            (extreme, self.entries.len() - 1)
        } else {
            self.low_len -= 1;
            (self.entries.remove(0), 0)
        };
        if self.complete {
            self.low_len = self.entries.len();
        }
        self.entries[next].1 += extreme.1;
        Some((extreme.0, self.entries[next].0, extreme.1))
    }

    /// Whether every present point now holds one value.
    fn is_constant(&self) -> bool {
        self.complete && self.entries.len() == 1
    }

    /// The range the column is clamped to after pulling in.
    fn bounds(&self) -> Option<(f64, f64)> {
        Some((self.entries.first()?.0, self.entries.last()?.0))
    }
}

/// Keeps `list` as the `depth` most extreme distinct values (by `before`) with counts.
fn keep_extreme(list: &mut Vec<(f64, usize)>, value: f64, depth: usize, before: impl Fn(f64, f64) -> bool) {
    if list.len() == depth && list.last().is_some_and(|last| before(last.0, value)) {
        return;
    }
    match list.iter().position(|entry| !before(entry.0, value)) {
        Some(index) if list[index].0 == value => list[index].1 += 1,
        Some(index) => {
            list.insert(index, (value, 1));
            list.truncate(depth);
        }
        None => list.push((value, 1)),
    }
}

/// Treats a column in place (`NaN` is missing), marking changed values in `flags`
/// (winsorised, or log-transformed); returns what was done.
pub fn treat_column(values: &mut [f64], value_flags: &mut [u8], spec: &Treat) -> TreatReport {
    treat_column_with_range(values, value_flags, spec).0
}

/// [`treat_column`], with the smallest and largest present values after treatment, known
/// on the way.
pub(crate) fn treat_column_with_range(
    values: &mut [f64],
    value_flags: &mut [u8],
    spec: &Treat,
) -> (TreatReport, Option<(f64, f64)>) {
    let Some(summary) = stats::summary(values) else { return (TreatReport::default(), None) };
    let untouched = Some((summary.low, summary.high));
    let Some(mut moments) = Moments::around_mean(values, &summary) else { return (TreatReport::default(), untouched) };
    if summary.low == summary.high {
        return (TreatReport { constant: true, ..TreatReport::default() }, untouched);
    }
    // Around the mean nothing cancels; the fallback is for safety only.
    let before = Check::new(spec, moments.skewness_kurtosis().unwrap_or_else(|| moments.around_reference()));
    let mut report = TreatReport { before: Some(before), ..TreatReport::default() };
    if before.pass {
        return (report, untouched);
    }
    // Winsorise on the distinct values at either end, keeping the moments up to date,
    // then clamp the column once.
    // Never more extremes than values: the limit may be far above the units there are.
    let mut extremes = Extremes::of(values, (spec.winmax as usize).min(values.len()) + 1);
    let mut current = before;
    let (mut high_count, mut low_count) = (0, 0);
    while !current.pass && high_count + low_count < spec.winmax as usize {
        // Every point equal to the extreme takes the value of the next one.
        let from_top = current.skew >= 0.0;
        let Some((extreme, next, count)) = extremes.pull_in(from_top) else { break };
        if from_top {
            high_count = count;
        } else {
            low_count = count;
        }
        // Decided on the distinct values, exactly: the moments of a column pulled in to one
        // value may hold rounding noise instead of zero.
        if extremes.is_constant() {
            return (TreatReport { before: Some(before), constant: true, ..TreatReport::default() }, untouched);
        }
        moments.replace(extreme, next, count);
        let moments_now = match moments.skewness_kurtosis() {
            Some(moments_now) => moments_now,
            None => {
                // Too many digits lost: the sums again, from the column as it now stands.
                let Some((low, high)) = extremes.bounds() else { break };
                let clamped: Vec<f64> = values.iter().map(|value| value.clamp(low, high)).collect();
                let Some(exact) = Moments::of(&clamped) else { break };
                moments = exact;
                moments.around_reference()
            }
        };
        current = Check::new(spec, moments_now);
    }
    report.winsorised = Some(crate::text::to_u32(high_count + low_count));
    report.after_winsorising = Some(current);
    if current.pass || !spec.log_fallback {
        let Some((low, high)) = extremes.bounds() else { return (report, untouched) };
        clamp(values, value_flags, low, high);
        return (report, Some((low, high)));
    }
    // COINr's log_CT on the original column: log(x - min + 0.01 (max - min)); the
    // winsorised values are discarded, as in COINr (they were never written here), so the
    // column's range is still the one summarised.
    let (low, high) = (summary.low, summary.high);
    let shift = 0.01 * (high - low);
    for (value, flag) in values.iter_mut().zip(value_flags.iter_mut()) {
        *value = *value - low + shift;
        *flag |= if value.is_nan() { 0 } else { flags::LOG };
    }
    super::ln::log_in_place(values);
    report.log_transformed = true;
    // Checked around the logged column's mean (as `stats::skewness_kurtosis`), its range
    // found on the way.
    let logged = stats::summary(values);
    report.after_log = logged
        .and_then(|summary| Moments::around_mean(values, &summary))
        .map(|moments| Check::new(spec, moments.around_reference()));
    (report, logged.map(|summary| (summary.low, summary.high)))
}

/// Clamps the column to `[low, high]`, flagging the points that move.
fn clamp(values: &mut [f64], value_flags: &mut [u8], low: f64, high: f64) {
    for (value, flag) in values.iter_mut().zip(value_flags.iter_mut()) {
        if *value > high || *value < low {
            *value = value.clamp(low, high);
            *flag |= flags::WINSORISED;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{Just, Strategy, prop_oneof};

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

    #[test]
    fn a_constant_column_is_left_untreated() {
        let mut values = vec![0.1; 6];
        let report = treat_column(&mut values, &mut [0; 6], &Treat::default());
        assert!(report.constant);
        assert_eq!(report.before, None);
        assert_eq!(values, vec![0.1; 6]);
    }

    #[test]
    fn a_column_winsorising_makes_constant_is_left_untreated() {
        // Two low outliers tied: pulling them in leaves twelve zeros, whose check is NA in COINr.
        let mut values: Vec<f64> = [0.0; 12].into_iter().chain([-100.0, -100.0]).collect();
        let original = values.clone();
        let mut value_flags = vec![0; values.len()];
        let report = treat_column(&mut values, &mut value_flags, &Treat { winmax: 1, ..Treat::default() });
        assert!(report.constant);
        assert!(!report.before.unwrap().pass);
        assert!(!report.log_transformed);
        assert_eq!(values, original);
        assert!(value_flags.iter().all(|&flag| flag == 0));
    }

    #[test]
    fn a_far_outlier_pulled_in_is_checked_on_the_column_it_leaves() {
        let mut values = vec![0.0, 4.814593881803569, 4.348277662659976, 4.537486168907514, 54298.667118634214];
        let report = treat_column(&mut values, &mut [0; 5], &Treat { winmax: 1, ..Treat::default() });
        let winsorised = [0.0, 4.814593881803569, 4.348277662659976, 4.537486168907514, 4.814593881803569];
        let (skew, kurtosis) = stats::skewness_kurtosis(&winsorised).unwrap();
        let after = report.after_winsorising.unwrap();
        assert_eq!((after.skew, after.kurtosis), (skew, kurtosis));
    }

    /// COINr's algorithm step by step on the whole column: the reference the incremental
    /// treatment must agree with.
    /// A constant column (before or after a step) is left untreated, as COINr does when its
    /// check returns `NA`.
    fn reference(values: &mut [f64], spec: &Treat) -> (Option<u32>, bool) {
        let constant = |values: &[f64]| stats::min_max(values).is_some_and(|(low, high)| low == high);
        let Some((skew, kurtosis)) = stats::skewness_kurtosis(values) else { return (None, false) };
        if constant(values) {
            return (None, false);
        }
        let check = |skew: f64, kurtosis: f64| skew.abs() < spec.skew || kurtosis < spec.kurtosis;
        if check(skew, kurtosis) {
            return (None, false);
        }
        let original = values.to_vec();
        let (mut pass, mut skew) = (false, skew);
        let (mut high_count, mut low_count) = (0, 0);
        while !pass && high_count + low_count < spec.winmax as usize {
            let present: Vec<f64> = stats::present(values).collect();
            let from_top = skew >= 0.0;
            let extreme = if from_top {
                present.iter().copied().fold(f64::MIN, f64::max)
            } else {
                present.iter().copied().fold(f64::MAX, f64::min)
            };
            let others = present.iter().copied().filter(|value| *value != extreme);
            let Some(next) = (if from_top { others.reduce(f64::max) } else { others.reduce(f64::min) }) else { break };
            let count = values.iter_mut().filter(|value| **value == extreme).map(|value| *value = next).count();
            if constant(values) {
                values.copy_from_slice(&original);
                return (None, false);
            }
            if from_top {
                high_count = count
            } else {
                low_count = count
            }
            let (new_skew, new_kurtosis) = stats::skewness_kurtosis(values).expect("four values");
            (pass, skew) = (check(new_skew, new_kurtosis), new_skew);
        }
        let winsorised = Some(crate::text::to_u32(high_count + low_count));
        if pass || !spec.log_fallback {
            return (winsorised, false);
        }
        let (low, high) = stats::min_max(&original).expect("values");
        for (value, original) in values.iter_mut().zip(&original) {
            *value = libm::log(original - low + 0.01 * (high - low));
        }
        (winsorised, true)
    }

    proptest::proptest! {
        #[test]
        fn treatment_agrees_with_coinr_step_by_step(
            body in proptest::collection::vec(prop_oneof![0.0f64..10.0, (0u8..4).prop_map(f64::from)], 4..200),
            outliers in proptest::collection::vec(prop_oneof![-1e8f64..-100.0, 100.0f64..1e8, Just(f64::NAN)], 0..6),
            winmax in 1u32..6,
        ) {
            let spec = Treat { winmax, ..Treat::default() };
            let mut values: Vec<f64> = body.into_iter().chain(outliers).collect();
            let mut expected = values.clone();
            let (winsorised, logged) = reference(&mut expected, &spec);
            let mut value_flags = vec![0; values.len()];
            let report = treat_column(&mut values, &mut value_flags, &spec);
            proptest::prop_assert_eq!(report.winsorised, winsorised);
            proptest::prop_assert_eq!(report.log_transformed, logged);
            for (value, expected) in values.iter().zip(&expected) {
                proptest::prop_assert!(
                    (value.is_nan() && expected.is_nan()) || (value - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                    "{value} vs {expected}"
                );
            }
        }
    }
}
