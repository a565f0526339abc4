//! From an indicator's (treated) values to its scores, by its scoring rule.
//!
//! Relative rules (min-max, z-score, ranks, ...) look at every unit's value; the others
//! score each value on its own. Directions apply as in COINr: relative rules multiply
//! the values by -1 for lower-is-better indicators before normalising.

use crate::framework::{Band, Direction, Goalposts, Indicator, Scoring};
use crate::stats::{mean, min_max, min_ranks_ascending, sd};

/// Scores one indicator's column in place. `values` holds `NaN` for missing or excluded
/// units.
pub fn score_column(indicator: &Indicator, values: Vec<f64>) -> Vec<f64> {
    score_column_with_range(indicator, values, None)
}

/// [`score_column`] for a column whose smallest and largest present values are `range`,
/// when known.
pub(crate) fn score_column_with_range(
    indicator: &Indicator,
    mut values: Vec<f64>,
    range: Option<(f64, f64)>,
) -> Vec<f64> {
    debug_assert!(range.is_none() || range == min_max(&values), "a known range is the column's");
    let each =
        |values: &mut Vec<f64>, score: &dyn Fn(f64) -> f64| values.iter_mut().for_each(|value| *value = score(*value));
    match &indicator.scoring {
        Scoring::None | Scoring::Checklist => {}
        Scoring::Bands { bands } => each(&mut values, &|value| band_points(bands, value)),
        Scoring::Boolean { points } => each(&mut values, &|value| {
            if value.is_nan() {
                f64::NAN
            } else if value >= 0.5 {
                *points
            } else {
                0.0
            }
        }),
        Scoring::Levels { points } => each(&mut values, &|value| {
            points.iter().find(|(level, _)| *level == value).map_or(f64::NAN, |(_, points)| *points)
        }),
        Scoring::Goalposts(goalposts) => {
            each(&mut values, &|value| goalpost_score(goalposts, indicator.direction, value))
        }
        relative => {
            // Relative rules see lower-is-better values multiplied by -1, as in COINr.
            let sign = indicator.direction.sign();
            if sign != 1.0 {
                values.iter_mut().for_each(|value| *value *= sign);
            }
            let range = range.map(|(low, high)| if sign == 1.0 { (low, high) } else { (high * sign, low * sign) });
            score_relative(relative, sign, &mut values, range);
        }
    }
    values
}

/// Scores directed values by a rule that looks at every unit's value; `range` is their
/// smallest and largest, when known.
fn score_relative(scoring: &Scoring, sign: f64, x: &mut [f64], range: Option<(f64, f64)>) {
    let min_max = |x: &[f64]| range.or_else(|| min_max(x));
    match scoring {
        Scoring::MinMax { low, high } => {
            if let Some((minimum, maximum)) = min_max(x) {
                x.iter_mut().for_each(|value| *value = (*value - minimum) / (maximum - minimum) * (high - low) + low);
            }
        }
        Scoring::ZScore { mean: target_mean, sd: target_sd } => match (mean(x), sd(x)) {
            (Some(center), Some(spread)) => {
                x.iter_mut().for_each(|value| *value = (*value - center) / spread * target_sd + target_mean)
            }
            _ => x.fill(f64::NAN),
        },
        Scoring::PercentileRank => {
            let count = x.iter().filter(|value| !value.is_nan()).count() as f64;
            let ranks = min_ranks_ascending(x);
            for (value, rank) in x.iter_mut().zip(ranks) {
                *value = (rank - 1.0) / (count - 1.0);
            }
        }
        Scoring::Rank => {
            let ranks = min_ranks_ascending(x);
            x.copy_from_slice(&ranks);
        }
        Scoring::FractionOfMax { scale } => {
            if let Some((_, maximum)) = min_max(x) {
                // Every value 0 (validation refuses negative ones): each is all of nothing,
                // and scores 0 rather than 0 / 0.
                let maximum = if maximum > 0.0 { maximum } else { f64::INFINITY };
                x.iter_mut().for_each(|value| *value = *value / maximum * scale);
            }
        }
        Scoring::Target { target, scale, cap } => {
            // COINr n_dist2targ: 1 - (target - x) / (target - min x), on directed values.
            let directed_target = target * sign;
            if let Some((minimum, _)) = min_max(x) {
                x.iter_mut().for_each(|value| {
                    let score = 1.0 - (directed_target - *value) / (directed_target - minimum);
                    let score = if *cap { score.min(1.0) } else { score };
                    *value = score * scale;
                });
            }
        }
        // The other rules score each value on its own (see `score_column`).
        Scoring::None
        | Scoring::Checklist
        | Scoring::Bands { .. }
        | Scoring::Boolean { .. }
        | Scoring::Levels { .. }
        | Scoring::Goalposts(_) => {}
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
