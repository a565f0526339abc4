//! Statistics over columns with missing values (`NaN`), computed as R and COINr do.
//!
//! Sums run over four interleaved accumulators combined in a fixed order: the result
//! is the same on every platform (native and wasm32), within a few ulps of R's long-double
//! sums, and the loops vectorise.

/// Interleaved accumulators per sum.
const LANES: usize = 4;

/// The values that are present.
pub fn present(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|value| !value.is_nan())
}

/// Adds up a sum's lanes, in the fixed order every sum here uses.
fn combine(lanes: [f64; LANES]) -> f64 {
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
}

/// Calls `add(lane, value)` on every value in order, lane by lane: value `i` goes to lane
/// `i % LANES`, and each lane's accumulator is independent so the loop vectorises.
fn each_lane(values: &[f64], mut add: impl FnMut(usize, f64)) {
    let chunks = values.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &value) in chunk.iter().enumerate() {
            add(lane, value);
        }
    }
    for (lane, &value) in rest.iter().enumerate() {
        add(lane, value);
    }
}

/// Sums `terms(value)` over the present values, `K` sums in one pass.
fn lane_sums<const K: usize>(values: &[f64], terms: impl Fn(f64) -> [f64; K]) -> [f64; K] {
    let mut lanes = [[0.0; LANES]; K];
    let add = |lane: usize, value: f64| {
        // Missing values add zero, without a branch, so the loop vectorises.
        let missing = value.is_nan();
        let terms = terms(if missing { 0.0 } else { value });
        for (sum, term) in lanes.iter_mut().zip(terms) {
            sum[lane] += if missing { 0.0 } else { term };
        }
    };
    each_lane(values, add);
    lanes.map(combine)
}

/// The sum, count, minimum and maximum of the present values, in one pass.
struct Scan {
    sum: f64,
    count: f64,
    low: f64,
    high: f64,
}

fn scan(values: &[f64]) -> Scan {
    let mut sum = [0.0; LANES];
    let mut count = [0.0; LANES];
    // `f64::min` and `f64::max` pass over `NaN`.
    let mut low = [f64::INFINITY; LANES];
    let mut high = [f64::NEG_INFINITY; LANES];
    let add = |lane: usize, value: f64| {
        // As in `lane_sums`: a missing value adds zero, and each present value 1 to the
        // count (exact up to 2^53 values).
        let missing = value.is_nan();
        sum[lane] += if missing { 0.0 } else { value };
        count[lane] += if missing { 0.0 } else { 1.0 };
        low[lane] = f64::min(low[lane], value);
        high[lane] = f64::max(high[lane], value);
    };
    each_lane(values, add);
    Scan {
        sum: combine(sum),
        count: combine(count),
        low: low.into_iter().fold(f64::INFINITY, f64::min),
        high: high.into_iter().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// The mean, count and range of a column's present values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The mean, as R's `mean()` (see [`mean`]).
    pub mean: f64,
    /// How many values are present.
    pub count: usize,
    /// The smallest present value.
    pub low: f64,
    /// The largest present value.
    pub high: f64,
}

/// The [`Summary`] of the present values, in two passes; `None` when none is present.
pub fn summary(values: &[f64]) -> Option<Summary> {
    let Scan { sum, count, low, high } = scan(values);
    if count == 0.0 {
        return None;
    }
    Some(Summary { mean: refine_mean(values, sum, count), count: count as usize, low, high })
}

/// The mean, as R's `mean()`: the plain mean refined by the mean of the residuals.
pub fn mean(values: &[f64]) -> Option<f64> {
    mean_and_count(values).map(|(mean, _)| mean)
}

/// [`mean`], and how many values are present.
pub fn mean_and_count(values: &[f64]) -> Option<(f64, usize)> {
    let [sum, count] = lane_sums(values, |value| [value, 1.0]);
    (count > 0.0).then(|| (refine_mean(values, sum, count), count as usize))
}

/// R's mean from the plain sum and count of the present values: the plain mean refined by
/// the mean of the residuals.
fn refine_mean(values: &[f64], sum: f64, count: f64) -> f64 {
    let first = sum / count;
    let [residuals] = lane_sums(values, |value| [value - first]);
    first + residuals / count
}

/// The sample standard deviation (n - 1), two-pass as R's `sd()`.
pub fn sd(values: &[f64]) -> Option<f64> {
    let (center, count) = mean_and_count(values)?;
    if count < 2 {
        return None;
    }
    let [squares] = lane_sums(values, |value| [(value - center) * (value - center)]);
    Some(libm::sqrt(squares / (count - 1) as f64))
}

/// The median.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = present(values).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) { (sorted[middle - 1] + sorted[middle]) / 2.0 } else { sorted[middle] })
}

/// The smallest and largest present values, in one pass.
pub fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    let Scan { count, low, high, .. } = scan(values);
    (count > 0.0).then_some((low, high))
}

/// The sums of the present values' deviations from `reference` to the powers 1 to 4.
pub fn central_sums(values: &[f64], reference: f64) -> [f64; 4] {
    lane_sums(values, |value| {
        let deviation = value - reference;
        let square = deviation * deviation;
        [deviation, square, square * deviation, square * square]
    })
}

/// Skewness and kurtosis as e1071 type 2 (and Excel), as COINr's `skew()` and `kurt()`,
/// from the sums of squared, cubed and fourth-power deviations from the mean of `n` values.
pub fn skewness_kurtosis_of(n: f64, squares: f64, cubes: f64, fourths: f64) -> (f64, f64) {
    let skew = libm::sqrt(n) * cubes / libm::pow(squares, 1.5) * libm::sqrt(n * (n - 1.0)) / (n - 2.0);
    let r = n * fourths / (squares * squares);
    let kurtosis = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    (skew, kurtosis)
}

/// Skewness and kurtosis (see [`skewness_kurtosis_of`]); `None` with fewer than four values.
pub fn skewness_kurtosis(values: &[f64]) -> Option<(f64, f64)> {
    let (center, count) = mean_and_count(values)?;
    let [_, squares, cubes, fourths] = central_sums(values, center);
    (count >= 4).then(|| skewness_kurtosis_of(count as f64, squares, cubes, fourths))
}

/// Competition ranks ("1224"), highest value first; `NaN` gets no rank.
pub fn competition_ranks_descending(values: &[f64]) -> Vec<Option<u32>> {
    // Sorted by value (highest first, in `f64::total_cmp` order), ties by position, so an
    // unstable sort gives one order on every platform.
    let mut order: Vec<(u64, usize)> = values
        .iter()
        .enumerate()
        .filter(|(_, value)| !value.is_nan())
        .map(|(index, value)| (descending_key(*value), index))
        .collect();
    order.sort_unstable();
    let mut ranks = vec![None; values.len()];
    let mut previous: Option<(f64, u32)> = None;
    for (position, &(_, index)) in order.iter().enumerate() {
        let rank = match previous {
            Some((value, rank)) if value == values[index] => rank,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        ranks[index] = Some(rank);
        previous = Some((values[index], rank));
    }
    ranks
}

/// A key whose ascending order is the descending `f64::total_cmp` order of the values.
fn descending_key(value: f64) -> u64 {
    // `f64::total_cmp`'s own transformation into an ordered signed integer...
    let bits = value.to_bits() as i64;
    let ordered = bits ^ (((bits >> 63) as u64) >> 1) as i64;
    // ... made unsigned, then reversed.
    !((ordered as u64) ^ (1 << 63))
}

/// Ranks as R's `rank(ties.method = "min")`: the smallest value gets 1.
pub fn min_ranks_ascending(values: &[f64]) -> Vec<f64> {
    let negated: Vec<f64> = values.iter().map(|value| -value).collect();
    competition_ranks_descending(&negated).into_iter().map(|rank| rank.map_or(f64::NAN, f64::from)).collect()
}

/// A straight line through a series: `value = intercept + slope * time`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Line {
    /// Change per unit of time (per year for periods of time).
    pub slope: f64,
    /// Value at time 0.
    pub intercept: f64,
}

impl Line {
    /// The value the line reaches at `time`.
    pub fn at(&self, time: f64) -> f64 {
        self.intercept + self.slope * time
    }
}

/// Least-squares line through `(time, value)` points; `None` with fewer than two
/// distinct times.
pub fn linear_trend(points: &[(f64, f64)]) -> Option<Line> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_time = points.iter().map(|point| point.0).sum::<f64>() / n;
    let mean_value = points.iter().map(|point| point.1).sum::<f64>() / n;
    let (mut covariance, mut variance) = (0.0, 0.0);
    for (time, value) in points {
        covariance += (time - mean_time) * (value - mean_value);
        variance += (time - mean_time) * (time - mean_time);
    }
    (variance > 0.0).then(|| {
        let slope = covariance / variance;
        Line { slope, intercept: mean_value - slope * mean_time }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_as_total_cmp_highest_first() {
        let values = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1e-310, 1.0, 3.0, f64::MAX, f64::INFINITY];
        for a in values {
            for b in values {
                assert_eq!(descending_key(a).cmp(&descending_key(b)), b.total_cmp(&a), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn ties_share_the_smaller_rank() {
        let ranks = competition_ranks_descending(&[0.5, 0.9, 0.5, f64::NAN, 0.1]);
        assert_eq!(ranks, vec![Some(2), Some(1), Some(2), None, Some(4)]);
    }

    #[test]
    fn skewness_and_kurtosis_match_e1071_type_2() {
        // Reference values computed independently (Python, e1071 type-2 formulas) on c(1:10, 30, 100);
        // the conformance tests check the same functions against COINr's own treat_details.csv.
        let values: Vec<f64> = (1..=10).map(f64::from).chain([30.0, 100.0]).collect();
        let (skew, kurtosis) = skewness_kurtosis(&values).unwrap();
        assert!((skew - 3.063_241_034_239_498_5).abs() < 1e-12);
        assert!((kurtosis - 9.741_390_834_569_144).abs() < 1e-12);
    }

    #[test]
    fn mean_sd_median_skip_missing_values() {
        let values = [1.0, f64::NAN, 2.0, 3.0, 4.0];
        assert_eq!(mean(&values), Some(2.5));
        assert_eq!(median(&values), Some(2.5));
        assert!((sd(&values).unwrap() - 1.290_994_448_735_805_6).abs() < 1e-15);
        assert_eq!(min_max(&values), Some((1.0, 4.0)));
    }
}
