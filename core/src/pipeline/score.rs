//! From an indicator's (treated) values to its scores, by its scoring rule.
//!
//! Relative rules (min-max, z-score, ranks, ...) look at every unit's value; the others
//! score each value on its own. Directions apply as in COINr: relative rules multiply
//! the values by -1 for lower-is-better indicators before normalising.

use super::stats::{mean, min_max, min_ranks_ascending, sd};
use crate::framework::{Band, Direction, Goalposts, Indicator, Scoring};

/// Scores one indicator's column. `values` holds `NaN` for missing or excluded units.
pub fn score_column(indicator: &Indicator, values: &[f64]) -> Vec<f64> {
    let sign = indicator.direction.sign();
    let directed = || values.iter().map(|value| value * sign).collect::<Vec<f64>>();
    match &indicator.scoring {
        Scoring::None | Scoring::Checklist => values.to_vec(),
        Scoring::Bands { bands } => values.iter().map(|&value| band_points(bands, value)).collect(),
        Scoring::Boolean { points } => values
            .iter()
            .map(|&value| {
                if value.is_nan() {
                    f64::NAN
                } else if value >= 0.5 {
                    *points
                } else {
                    0.0
                }
            })
            .collect(),
        Scoring::Levels { points } => values
            .iter()
            .map(|&value| points.iter().find(|(level, _)| *level == value).map_or(f64::NAN, |(_, points)| *points))
            .collect(),
        Scoring::Goalposts(goalposts) => {
            values.iter().map(|&value| goalpost_score(goalposts, indicator.direction, value)).collect()
        }
        Scoring::MinMax { low, high } => {
            let x = directed();
            match min_max(&x) {
                Some((minimum, maximum)) => {
                    x.iter().map(|value| (value - minimum) / (maximum - minimum) * (high - low) + low).collect()
                }
                None => x,
            }
        }
        Scoring::ZScore { mean: target_mean, sd: target_sd } => {
            let x = directed();
            match (mean(&x), sd(&x)) {
                (Some(center), Some(spread)) => {
                    x.iter().map(|value| (value - center) / spread * target_sd + target_mean).collect()
                }
                _ => vec![f64::NAN; x.len()],
            }
        }
        Scoring::PercentileRank => {
            let x = directed();
            let count = x.iter().filter(|value| !value.is_nan()).count() as f64;
            min_ranks_ascending(&x).into_iter().map(|rank| (rank - 1.0) / (count - 1.0)).collect()
        }
        Scoring::Rank => min_ranks_ascending(&directed()),
        Scoring::FractionOfMax { scale } => {
            let x = directed();
            match min_max(&x) {
                Some((_, maximum)) => x.iter().map(|value| value / maximum * scale).collect(),
                None => x,
            }
        }
        Scoring::Target { target, scale, cap } => {
            // COINr n_dist2targ: 1 - (target - x) / (target - min x), on directed values.
            let x = directed();
            let directed_target = target * sign;
            match min_max(&x) {
                Some((minimum, _)) => x
                    .iter()
                    .map(|value| {
                        let score = 1.0 - (directed_target - value) / (directed_target - minimum);
                        let score = if *cap { score.min(1.0) } else { score };
                        score * scale
                    })
                    .collect(),
                None => x,
            }
        }
    }
}

/// Points of the band that contains the value; `NaN` if none does.
pub fn band_points(bands: &[Band], value: f64) -> f64 {
    if value.is_nan() {
        return f64::NAN;
    }
    let last = bands.len().saturating_sub(1);
    for (index, band) in bands.iter().enumerate() {
        let above_start = band.from.is_none_or(|from| value >= from);
        let below_end = band.to.is_none_or(|to| value < to || (index == last && value == to));
        if above_start && below_end {
            return band.points;
        }
    }
    f64::NAN
}

/// Fixed goalposts (EU DESI, COINr `n_goalposts`): the share of the way from the worst
/// goalpost to the best, truncated to 0..1 if asked, times the scale.
pub fn goalpost_score(goalposts: &Goalposts, direction: Direction, value: f64) -> f64 {
    let Goalposts { lower, upper, scale, truncate } = *goalposts;
    let share = match direction {
        Direction::Higher => (value - lower) / (upper - lower),
        Direction::Lower => (upper - value) / (upper - lower),
    };
    let share = if truncate { share.clamp(0.0, 1.0) } else { share };
    share * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<Band> {
        vec![
            Band { from: None, to: Some(50.0), points: 0.0 },
            Band { from: Some(50.0), to: Some(80.0), points: 5.0 },
            Band { from: Some(80.0), to: Some(100.0), points: 10.0 },
        ]
    }

    #[test]
    fn bands_are_closed_below_and_open_above_except_the_last() {
        assert_eq!(band_points(&bands(), 49.99), 0.0);
        assert_eq!(band_points(&bands(), 50.0), 5.0);
        assert_eq!(band_points(&bands(), 80.0), 10.0);
        assert_eq!(band_points(&bands(), 100.0), 10.0);
        assert!(band_points(&bands(), 100.5).is_nan());
    }

    #[test]
    fn goalposts_truncate_and_reverse_for_lower_is_better() {
        let goalposts = Goalposts { lower: 0.0, upper: 50.0, scale: 100.0, truncate: true };
        assert_eq!(goalpost_score(&goalposts, Direction::Higher, 25.0), 50.0);
        assert_eq!(goalpost_score(&goalposts, Direction::Higher, 75.0), 100.0);
        assert_eq!(goalpost_score(&goalposts, Direction::Lower, 10.0), 80.0);
    }
}
