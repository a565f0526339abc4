//! Statistics over columns with missing values (`NaN`), computed as R and COINr do.

/// The values that are present.
pub fn present(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|value| !value.is_nan())
}

/// The mean, as R's `mean()`: the plain mean refined by the mean of the residuals.
pub fn mean(values: &[f64]) -> Option<f64> {
    let (sum, count) = present(values).fold((0.0, 0usize), |(sum, count), value| (sum + value, count + 1));
    if count == 0 {
        return None;
    }
    let first = sum / count as f64;
    let correction: f64 = present(values).map(|value| value - first).sum::<f64>() / count as f64;
    Some(first + correction)
}

/// The sample standard deviation (n - 1), two-pass as R's `sd()`.
pub fn sd(values: &[f64]) -> Option<f64> {
    let center = mean(values)?;
    let count = present(values).count();
    if count < 2 {
        return None;
    }
    let squares: f64 = present(values).map(|value| (value - center) * (value - center)).sum();
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

/// The smallest and largest present values.
pub fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    present(values).fold(None, |range, value| match range {
        None => Some((value, value)),
        Some((low, high)) => Some((f64::min(low, value), f64::max(high, value))),
    })
}

/// Skewness and kurtosis as e1071 type 2 (and Excel), as COINr's `skew()` and `kurt()`,
/// from one pass over the deviations; `None` with fewer than four values.
pub fn skewness_kurtosis(values: &[f64]) -> Option<(f64, f64)> {
    let center = mean(values)?;
    let (mut count, mut squares, mut cubes, mut fourths) = (0usize, 0.0, 0.0, 0.0);
    for value in present(values) {
        let deviation = value - center;
        let square = deviation * deviation;
        count += 1;
        squares += square;
        cubes += square * deviation;
        fourths += square * square;
    }
    if count < 4 {
        return None;
    }
    let n = count as f64;
    let skew = libm::sqrt(n) * cubes / libm::pow(squares, 1.5) * libm::sqrt(n * (n - 1.0)) / (n - 2.0);
    let r = n * fourths / (squares * squares);
    let kurtosis = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    Some((skew, kurtosis))
}

/// Competition ranks ("1224"), highest value first; `NaN` gets no rank.
pub fn competition_ranks_descending(values: &[f64]) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&index| !values[index].is_nan()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let mut ranks = vec![None; values.len()];
    let mut previous: Option<(f64, u32)> = None;
    for (position, &index) in order.iter().enumerate() {
        let rank = match previous {
            Some((value, rank)) if value == values[index] => rank,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        ranks[index] = Some(rank);
        previous = Some((values[index], rank));
    }
    ranks
}

/// Ranks as R's `rank(ties.method = "min")`: the smallest value gets 1.
pub fn min_ranks_ascending(values: &[f64]) -> Vec<f64> {
    let negated: Vec<f64> = values.iter().map(|value| -value).collect();
    competition_ranks_descending(&negated).into_iter().map(|rank| rank.map_or(f64::NAN, f64::from)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
