//! The random side of the analysis, reproducible: a seeded generator (the same numbers
//! natively and in wasm), the Monte Carlo designs and noisy weights as COINr draws them.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A seeded generator of uniform numbers in `[0, 1)`.
pub struct Uniform(Pcg64Mcg);

impl Uniform {
    /// The generator for `seed`: the same sequence on every platform.
    pub fn new(seed: u64) -> Self {
        Self(Pcg64Mcg::seed_from_u64(seed))
    }

    /// The next number in `[0, 1)`: 53 random bits, so every value is exact.
    pub fn draw(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A whole number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        index_of(self.draw(), n)
    }
}

/// The alternative a uniform number in `[0, 1)` picks among `n` equally likely ones.
pub fn index_of(x: f64, n: usize) -> usize {
    ((x * n as f64) as usize).min(n.saturating_sub(1))
}

/// The input points of a Monte Carlo run, one row of `d` numbers in `[0, 1)` per run.
pub type Design = Vec<Vec<f64>>;

/// `n` independent random points: an uncertainty analysis.
pub fn random_design(uniform: &mut Uniform, n: usize, d: usize) -> Design {
    (0..n).map(|_| (0..d).map(|_| uniform.draw()).collect()).collect()
}

/// The design of the Saltelli / Jansen estimators (COINr's `SA_sample`): matrices `A`
/// and `B` of `n` random points, then for each input `i` the matrix `A` with its column
/// `i` taken from `B`; `n (d + 2)` rows in the order A, B, A_B1, ..., A_Bd.
pub fn sensitivity_design(uniform: &mut Uniform, n: usize, d: usize) -> Design {
    let a = random_design(uniform, n, d);
    let b = random_design(uniform, n, d);
    let mut rows = Vec::with_capacity(n * (d + 2));
    rows.extend(a.iter().cloned());
    rows.extend(b.iter().cloned());
    for input in 0..d {
        rows.extend(a.iter().zip(&b).map(|(a_row, b_row)| {
            let mut row = a_row.clone();
            row[input] = b_row[input];
            row
        }));
    }
    rows
}

/// `replications` copies of `weights`, each one perturbed by up to +/- `factor` of itself
/// (uniformly: `w + (2u - 1) factor w`), as COINr's `get_noisy_weights`.
pub fn noisy_weights(uniform: &mut Uniform, weights: &[f64], factor: f64, replications: usize) -> Vec<Vec<f64>> {
    (0..replications)
        .map(|_| weights.iter().map(|weight| weight + (uniform.draw() * 2.0 - 1.0) * factor * weight).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_numbers_every_time() {
        let first: Vec<f64> = {
            let mut uniform = Uniform::new(42);
            (0..5).map(|_| uniform.draw()).collect()
        };
        let mut uniform = Uniform::new(42);
        assert_eq!(first, (0..5).map(|_| uniform.draw()).collect::<Vec<_>>());
        assert!(first.iter().all(|x| (0.0..1.0).contains(x)));
        assert_ne!(first, {
            let mut other = Uniform::new(43);
            (0..5).map(|_| other.draw()).collect::<Vec<_>>()
        });
    }

    #[test]
    fn uniform_numbers_pick_every_alternative_about_equally_often() {
        let mut uniform = Uniform::new(7);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[uniform.below(3)] += 1;
        }
        assert!(counts.iter().all(|&count| (9_500..10_500).contains(&count)), "{counts:?}");
        assert_eq!(index_of(0.0, 4), 0);
        assert_eq!(index_of(0.999_999, 4), 3);
    }

    #[test]
    fn the_sensitivity_design_swaps_one_column_of_a_for_b_per_input() {
        let mut uniform = Uniform::new(1);
        let (n, d) = (4, 3);
        let rows = sensitivity_design(&mut uniform, n, d);
        assert_eq!(rows.len(), n * (d + 2));
        let (a, b) = (&rows[..n], &rows[n..2 * n]);
        for input in 0..d {
            for point in 0..n {
                let row = &rows[(2 + input) * n + point];
                for column in 0..d {
                    let expected = if column == input { b[point][column] } else { a[point][column] };
                    assert_eq!(row[column], expected);
                }
            }
        }
    }

    #[test]
    fn noisy_weights_stay_within_the_factor() {
        let mut uniform = Uniform::new(3);
        let weights = [1.0, 2.0, 0.5];
        let sets = noisy_weights(&mut uniform, &weights, 0.25, 200);
        assert_eq!(sets.len(), 200);
        for set in &sets {
            for (noisy, weight) in set.iter().zip(&weights) {
                assert!((noisy - weight).abs() <= 0.25 * weight, "{noisy} from {weight}");
            }
        }
        assert!(sets.iter().any(|set| set[1] > 2.4) && sets.iter().any(|set| set[1] < 1.6));
    }
}
