//! Calendar dates and period labels, without a clock: the evaluation date is always an
//! input.
//!
//! Periods are labels in the data (`2024`, `2024-Q3`, `2024-H1`, `2024-07`, or a date);
//! [`period_time`] places each on a time axis in years, so that periods sort in time and
//! trends can be projected to a deadline.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian), e.g. the evaluation date or a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write YYYY-MM-DD, e.g. 2025-12-31")]
pub struct DateError(pub String);

impl Date {
    /// A date, checking the day against the month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month)).contains(&day).then_some(Self { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (negative: before), for callers that read
    /// a clock; the engine itself never does.
    pub fn from_unix_days(days: i64) -> Self {
        // Howard Hinnant's civil-from-days algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days since 1970-01-01 (negative before), the inverse of [`Date::from_unix_days`].
    pub fn unix_days(self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Whole months from `earlier` to `self` (negative when `earlier` is later): 2025-01-31
    /// to 2025-02-28 is 0 months, to 2025-03-01 is 1.
    pub fn months_since(self, earlier: Date) -> i64 {
        let months =
            (i64::from(self.year) - i64::from(earlier.year)) * 12 + i64::from(self.month) - i64::from(earlier.month);
        if months > 0 && self.day < earlier.day {
            months - 1
        } else if months < 0 && self.day > earlier.day {
            months + 1
        } else {
            months
        }
    }

    /// The date as a year with a fraction (2025-07-02 is about 2025.5), for trends.
    pub fn as_year(self) -> f64 {
        let days_before: u32 = (1..self.month).map(|month| u32::from(days_in_month(self.year, month))).sum();
        let year_days = if is_leap(self.year) { 366.0 } else { 365.0 };
        f64::from(self.year) + f64::from(days_before + u32::from(self.day) - 1) / year_days
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Reads `YYYY-MM-DD`; a time after the date (`2025-03-02T10:00:00Z`) is ignored.
    fn from_str(text: &str) -> Result<Self, DateError> {
        let error = || DateError(text.to_owned());
        let bytes = text.as_bytes().trim_ascii();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            bytes
                .get(range)?
                .iter()
                .try_fold(0u32, |number, &byte| byte.is_ascii_digit().then(|| number * 10 + u32::from(byte - b'0')))
        };
        if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' || bytes.get(10).is_some_and(u8::is_ascii_digit) {
            return Err(error());
        }
        let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(error());
        };
        let year = i32::try_from(year).map_err(|_| error())?;
        let (month, day) = (u8::try_from(month).map_err(|_| error())?, u8::try_from(day).map_err(|_| error())?);
        Date::new(year, month, day).ok_or_else(error)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Where a period label lies in time, in years: its start. `2024` is 2024.0, `2024-Q3`
/// 2024.5, `2024-H2` 2024.5, `2024-07` 2024.5, `2024-07-01` about 2024.5; `None` for
/// labels that are not periods of time (they keep the data's order).
pub fn period_time(label: &str) -> Option<f64> {
    let label = label.trim();
    let year_of = |text: &str| -> Option<i32> { (text.len() == 4).then(|| text.parse().ok()).flatten() };
    if let Some(year) = year_of(label) {
        return Some(f64::from(year));
    }
    if let Ok(date) = label.parse::<Date>() {
        return Some(date.as_year());
    }
    let (year, rest) = label.split_once(['-', ' ', '/'])?;
    let year = f64::from(year_of(year)?);
    let rest = rest.to_ascii_uppercase();
    let fraction = if let Some(quarter) = rest.strip_prefix('Q') {
        let quarter: u8 = quarter.parse().ok().filter(|quarter| (1..=4).contains(quarter))?;
        f64::from(quarter - 1) / 4.0
    } else if let Some(half) = rest.strip_prefix('H').or_else(|| rest.strip_prefix('S')) {
        let half: u8 = half.parse().ok().filter(|half| (1..=2).contains(half))?;
        f64::from(half - 1) / 2.0
    } else {
        let month: u8 = rest.parse().ok().filter(|month| (1..=12).contains(month))?;
        f64::from(month - 1) / 12.0
    };
    Some(year + fraction)
}

/// The order of periods in time, the one order every command uses: labels with a time
/// first, by time (`2025-7` before `2025-12`, `2025-Q1` before `2025-H2`; labels at the
/// same time by their text), then the others by their text. It depends on the labels
/// only, never on the order the data lists them in.
pub fn chronological(labels: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    let times: Vec<Option<f64>> = labels.iter().map(|label| period_time(label)).collect();
    order.sort_by(|&a, &b| {
        let by_time = match (times[a], times[b]) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_time.then_with(|| labels[a].cmp(&labels[b])).then(a.cmp(&b))
    });
    order
}

/// The periods before `period` (indices into `labels`) in time order, oldest first.
pub fn periods_before(labels: &[String], period: usize) -> Vec<usize> {
    let order = chronological(labels);
    let position = order.iter().position(|&index| index == period).unwrap_or(0);
    order[..position].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_strictly_and_months_between_them_are_whole() {
        let date = |text: &str| text.parse::<Date>();
        assert_eq!(date("2025-12-31"), Ok(Date { year: 2025, month: 12, day: 31 }));
        assert_eq!(date("2025-03-02T10:00:00Z").map(|d| d.day), Ok(2));
        for bad in ["2025-02-29", "2025-13-01", "25-01-01", "2025/01/01", "", "2025-1-1"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(date("2024-02-29").is_ok());
        let d = |text: &str| date(text).expect("a date");
        assert_eq!(d("2025-02-28").months_since(d("2025-01-31")), 0);
        assert_eq!(d("2025-03-01").months_since(d("2025-01-31")), 1);
        assert_eq!(d("2026-11-23").months_since(d("2025-11-23")), 12);
        assert_eq!(d("2025-01-01").months_since(d("2025-03-02")), -2);
        assert_eq!(d("2025-07-02").as_year(), 2025.0 + 182.0 / 365.0);
        assert_eq!(Date::from_unix_days(0), d("1970-01-01"));
        assert_eq!(Date::from_unix_days(20_415), d("2025-11-23"));
        assert_eq!(Date::from_unix_days(19_417), d("2023-03-01"));
        assert_eq!(Date::from_unix_days(-1), d("1969-12-31"));
        for days in [-800_000, -1, 0, 59, 60, 11_016, 20_415, 2_932_896] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days);
        }
    }

    #[test]
    fn period_labels_sort_in_time_and_others_keep_their_order() {
        assert_eq!(period_time("2024"), Some(2024.0));
        assert_eq!(period_time("2024-Q3"), Some(2024.5));
        assert_eq!(period_time("2024-h2"), Some(2024.5));
        assert_eq!(period_time("2024-07"), Some(2024.5));
        assert_eq!(period_time("2024-Q5"), None);
        assert_eq!(period_time("round two"), None);
        let labels: Vec<String> = ["2025", "baseline", "2023-Q4", "2024", "2023"].map(String::from).into();
        assert_eq!(chronological(&labels), vec![4, 2, 3, 0, 1]);
        // Text order would put 2025-12 before 2025-7, and 2025-H2 before 2025-Q1.
        let labels: Vec<String> =
            ["2025-12", "2025-7", "2025-H2", "2025-Q1", "round b", "round a"].map(String::from).into();
        assert_eq!(chronological(&labels), vec![3, 1, 2, 0, 5, 4]);
    }
}
