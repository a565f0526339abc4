//! The server's clock: the only place that reads the time, so that tests can move it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as stored in the database.
pub type Millis = i64;

/// The system clock, shifted by an offset that only tests change.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The current time in milliseconds since the Unix epoch.
    pub fn now(&self) -> Millis {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        i64::try_from(since_epoch).unwrap_or(i64::MAX).saturating_add(self.offset.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward by `millis`: for tests of deadlines
    /// and time-outs.
    pub fn advance(&self, millis: Millis) {
        self.offset.fetch_add(millis, Ordering::Relaxed);
    }
}

/// One day in milliseconds.
pub const DAY: Millis = 24 * 60 * 60 * 1000;
/// One minute in milliseconds.
pub const MINUTE: Millis = 60 * 1000;

/// A time as RFC 3339 in UTC (`2026-12-01T09:30:00Z`), for people and exports.
pub fn rfc3339(millis: Millis) -> String {
    let seconds = millis.div_euclid(1000);
    match time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(moment) => moment.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Reads a time given as RFC 3339 (`2026-12-15T17:00:00+07:00`) or as a date
/// (`2026-12-15`), which means the end of that day in Vietnam (UTC+7) when `end_of_day`,
/// else its start.
pub fn parse_time(text: &str, end_of_day: bool) -> Option<Millis> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(moment) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Some(moment.unix_timestamp() * 1000 + i64::from(moment.millisecond()));
    }
    let date = time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let time_of_day = if end_of_day { time::macros::time!(23:59:59.999) } else { time::Time::MIDNIGHT };
    let moment = date.with_time(time_of_day).assume_offset(time::macros::offset!(+7));
    Some(moment.unix_timestamp() * 1000 + i64::from(moment.millisecond()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_the_end_of_that_day_in_vietnam() {
        let end = parse_time("2026-12-15", true).unwrap();
        assert_eq!(rfc3339(end), "2026-12-15T16:59:59Z");
        let start = parse_time("2026-12-15", false).unwrap();
        assert_eq!(rfc3339(start), "2026-12-14T17:00:00Z");
        assert_eq!(parse_time("2026-12-15T10:00:00Z", true).map(rfc3339).as_deref(), Some("2026-12-15T10:00:00Z"));
        assert_eq!(parse_time("2026-12-15T17:00:00+07:00", true), parse_time("2026-12-15T10:00:00Z", false));
        assert_eq!(parse_time("15/12/2026", true), None);
    }

    #[test]
    fn a_clone_moves_with_its_clock() {
        let clock = Clock::default();
        let clone = clock.clone();
        let before = clone.now();
        clock.advance(DAY);
        assert!(clone.now() - before >= DAY);
    }
}
