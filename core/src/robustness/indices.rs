//! Variance-based sensitivity indices from the outputs of a [`super::sampling::sensitivity_design`]
//! run: first order (Saltelli 2010) and total order (Jansen 1999), as COINr's
//! `SA_estimate`, with bootstrap intervals; and R's quantiles.

use super::sampling::Uniform;
use serde::{Deserialize, Deserializer, Serialize};

/// The sensitivity of the output to one uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityIndex {
    /// The input's name.
    pub input: String,
    /// First-order index: the share of the output's variance due to this input alone.
    #[serde(deserialize_with = "nan_when_null")]
    pub first: f64,
    /// Total-order index: the share due to this input, alone or with others.
    #[serde(deserialize_with = "nan_when_null")]
    pub total: f64,
    /// 5th and 95th percentiles of the first-order index over bootstrap resamples.
    pub first_interval: Option<(f64, f64)>,
    /// 5th and 95th percentiles of the total-order index over bootstrap resamples.
    pub total_interval: Option<(f64, f64)>,
}

/// A number written as JSON, where `NaN` is written `null`.
fn nan_when_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// Why indices cannot be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndexError {
    /// The outputs are not `n (d + 2)` numbers.
    #[error("{got} outputs for a design of {n} points and {d} inputs (expected {expected})")]
    Shape {
        /// Outputs given.
        got: usize,
        /// Points of the design.
        n: usize,
        /// Inputs.
        d: usize,
        /// Outputs the design has.
        expected: usize,
    },
    /// Some run ranked nobody (its methods do not go together).
    #[error(
        "run {0} of the design ranked nobody, and sensitivity indices need every run: leave out the alternative that fails"
    )]
    Missing(usize),
    /// The output never changes: nothing to attribute.
    #[error("the output does not vary over the design")]
    NoVariance,
}

/// First- and total-order indices of `d` inputs from the outputs `y` of a sensitivity
/// design of `n` points (`y[..n]` for `A`, `y[n..2n]` for `B`, then `A_B1`, ...), with
/// `bootstrap` resamples (0 for none) drawn from `uniform`.
pub fn sensitivity_indices(
    y: &[f64],
    n: usize,
    names: &[String],
    bootstrap: usize,
    uniform: &mut Uniform,
) -> Result<Vec<SensitivityIndex>, IndexError> {
    let d = names.len();
    let expected = n * (d + 2);
    if y.len() != expected || n < 2 {
        return Err(IndexError::Shape { got: y.len(), n, d, expected });
    }
    if let Some(missing) = y.iter().position(|value| !value.is_finite()) {
        return Err(IndexError::Missing(missing));
    }
    let (a, b) = (&y[..n], &y[n..2 * n]);
    let variance = sample_variance(&y[..2 * n]);
    if variance <= 0.0 {
        return Err(IndexError::NoVariance);
    }
    let mut indices = Vec::with_capacity(d);
    for (input, name) in names.iter().enumerate() {
        let ab = &y[(2 + input) * n..(3 + input) * n];
        // The terms whose mean (first order) or half mean square (total order) is the index.
        let first_terms: Vec<f64> = b.iter().zip(a).zip(ab).map(|((b, a), ab)| b * (ab - a)).collect();
        let total_terms: Vec<f64> = a.iter().zip(ab).map(|(a, ab)| a - ab).collect();
        let first = |terms: &mut dyn Iterator<Item = f64>| terms.sum::<f64>() / n as f64 / variance;
        let total =
            |terms: &mut dyn Iterator<Item = f64>| terms.map(|t| t * t).sum::<f64>() / (2.0 * n as f64 * variance);
        let (first_interval, total_interval) = if bootstrap == 0 {
            (None, None)
        } else {
            let mut firsts = Vec::with_capacity(bootstrap);
            let mut totals = Vec::with_capacity(bootstrap);
            for _ in 0..bootstrap {
                firsts.push(first(&mut (0..n).map(|_| first_terms[uniform.below(n)])));
                totals.push(total(&mut (0..n).map(|_| total_terms[uniform.below(n)])));
            }
            (Some(interval(&mut firsts)), Some(interval(&mut totals)))
        };
        indices.push(SensitivityIndex {
            input: name.clone(),
            first: first(&mut first_terms.iter().copied()),
            total: total(&mut total_terms.iter().copied()),
            first_interval,
            total_interval,
        });
    }
    Ok(indices)
}

/// The 5th and 95th percentiles (R's type 7).
fn interval(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (quantile_sorted(values, 0.05), quantile_sorted(values, 0.95))
}

/// The sample variance (n - 1), as R's `var()`.
pub fn sample_variance(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|value| (value - mean) * (value - mean)).sum::<f64>() / (n - 1.0)
}

/// The `p` quantile of sorted values, as R's default `quantile()` (type 7): linear
/// between the order statistics around `1 + (n - 1) p`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        len => {
            let h = (len - 1) as f64 * p;
            let low = h.floor() as usize;
            let high = (low + 1).min(len - 1);
            sorted[low] + (h - low as f64) * (sorted[high] - sorted[low])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sampling::sensitivity_design;
    use super::*;

    #[test]
    fn r_quantiles_interpolate_between_order_statistics() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&sorted, 0.5), 3.0);
        assert!((quantile_sorted(&sorted, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&sorted, 0.05), 1.2);
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    /// `y = x1 + 2 x2 + 3 x3` with independent uniform inputs: the variance shares are
    /// 1/14, 4/14 and 9/14, first and total order alike (no interactions).
    #[test]
    fn a_linear_function_gives_its_variance_shares() {
        let mut uniform = Uniform::new(11);
        let n = 20_000;
        let names: Vec<String> = ["x1", "x2", "x3"].map(String::from).to_vec();
        let design = sensitivity_design(&mut uniform, n, 3);
        let y: Vec<f64> = design.iter().map(|x| x[0] + 2.0 * x[1] + 3.0 * x[2]).collect();
        let indices = sensitivity_indices(&y, n, &names, 200, &mut uniform).expect("estimates");
        for (index, share) in indices.iter().zip([1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0]) {
            assert!((index.first - share).abs() < 0.03, "{index:?} vs {share}");
            assert!((index.total - share).abs() < 0.03, "{index:?} vs {share}");
            let (low, high) = index.total_interval.expect("bootstrapped");
            assert!(low < index.total && index.total < high, "{index:?}");
        }
    }

    /// `y = x1 x2` centred: no first-order effect of either alone in the variance sense
    /// beyond their share, and interactions show in the total order.
    #[test]
    fn an_interaction_shows_in_the_total_order_only() {
        let mut uniform = Uniform::new(5);
        let n = 20_000;
        let names: Vec<String> = ["x1", "x2"].map(String::from).to_vec();
        let design = sensitivity_design(&mut uniform, n, 2);
        let y: Vec<f64> = design.iter().map(|x| (x[0] - 0.5) * (x[1] - 0.5)).collect();
        let indices = sensitivity_indices(&y, n, &names, 0, &mut uniform).expect("estimates");
        for index in &indices {
            assert!(index.first.abs() < 0.05, "{index:?}");
            assert!((index.total - 1.0).abs() < 0.1, "{index:?}");
            assert_eq!(index.first_interval, None);
        }
    }

    #[test]
    fn a_wrong_shape_or_a_constant_output_is_refused() {
        let mut uniform = Uniform::new(1);
        let names = vec!["a".to_owned(), "b".to_owned()];
        assert!(matches!(sensitivity_indices(&[1.0; 7], 2, &names, 0, &mut uniform), Err(IndexError::Shape { .. })));
        assert_eq!(sensitivity_indices(&[1.0; 8], 2, &names, 0, &mut uniform), Err(IndexError::NoVariance));
        let mut y = vec![1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0];
        y[5] = f64::NAN;
        assert_eq!(sensitivity_indices(&y, 2, &names, 0, &mut uniform), Err(IndexError::Missing(5)));
    }
}
