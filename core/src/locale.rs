//! Numbers and dates as a person reads and writes them in a language: in Vietnamese a
//! decimal comma and `.` (or a space) between thousands, dates as dd/mm/yyyy; in English
//! a decimal point, `,` between thousands, dates as yyyy-mm-dd. Files keep their machine
//! format (`72.5`, `2025-03-31`); only what a person sees or types goes through here.

use crate::period::Date;
use crate::text::Language;

impl Language {
    /// The decimal separator.
    pub fn decimal_separator(self) -> char {
        match self {
            Language::Vi => ',',
            Language::En => '.',
        }
    }

    /// The thousands separator.
    pub fn thousands_separator(self) -> char {
        match self {
            Language::Vi => '.',
            Language::En => ',',
        }
    }

    /// A number in its shortest exact form, with the language's separators: 1234.5 is
    /// `1.234,5` in Vietnamese and `1,234.5` in English. Thousands are grouped from 10,000
    /// up (a year or a score of 1000 stays as it is).
    pub fn number(self, value: f64) -> String {
        if value.is_nan() {
            return "–".into();
        }
        if value.is_infinite() {
            return if value > 0.0 { "∞".into() } else { "-∞".into() };
        }
        self.localise(&crate::text::format_number(value))
    }

    /// A number with exactly `decimals` decimals, in the language's way.
    pub fn fixed(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return self.number(value);
        }
        self.localise(&format!("{value:.decimals$}"))
    }

    /// A number written the file's way with fixed decimals (`101.0000`) with the
    /// language's decimal separator (`101,0000`): the digits stay as they are.
    pub fn decimal(self, machine: &str) -> String {
        match self {
            Language::Vi => machine.replace('.', ","),
            Language::En => machine.to_owned(),
        }
    }

    /// A whole count with the language's thousands separator from 10,000 up.
    pub fn count(self, value: u64) -> String {
        self.localise(&value.to_string())
    }

    /// Rewrites a number written the machine way (`-1234.5`, `1e-7` stays) with the
    /// language's separators.
    fn localise(self, machine: &str) -> String {
        if machine.contains(['e', 'E']) {
            return machine.replace('.', &self.decimal_separator().to_string());
        }
        let (sign, rest) = machine.strip_prefix('-').map_or(("", machine), |rest| ("-", rest));
        let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(whole, fraction)| (whole, Some(fraction)));
        let mut text = String::with_capacity(machine.len() + 4);
        text.push_str(sign);
        if whole.len() > 4 {
            for (index, digit) in whole.chars().enumerate() {
                if index > 0 && (whole.len() - index) % 3 == 0 {
                    text.push(self.thousands_separator());
                }
                text.push(digit);
            }
        } else {
            text.push_str(whole);
        }
        if let Some(fraction) = fraction {
            text.push(self.decimal_separator());
            text.push_str(fraction);
        }
        text
    }

    /// Reads a number a person typed: `72,5`, `1.234,5`, `1 234,5` and `72.5` in
    /// Vietnamese; `72.5` and `1,234.5` (and a decimal comma, `72,5`) in English. A
    /// separator followed by exactly three digits, repeated, groups thousands; otherwise
    /// it is the decimal separator. `None` when the text is no number.
    pub fn parse_number(self, typed: &str) -> Option<f64> {
        let text: String = typed.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
        if text.is_empty() || text.len() > 64 {
            return None;
        }
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.strip_prefix('+').unwrap_or(&text)),
        };
        if !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            || !digits.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        let commas = digits.matches(',').count();
        let points = digits.matches('.').count();
        let machine = match (commas, points) {
            (0, 0) => digits.to_owned(),
            // Both: the last one is the decimal separator, the other groups thousands.
            (_, _) if commas > 0 && points > 0 => {
                let decimal = if digits.rfind(',') > digits.rfind('.') { ',' } else { '.' };
                let group = if decimal == ',' { '.' } else { ',' };
                let (whole, fraction) = digits.rsplit_once(decimal)?;
                if fraction.contains(group) || !grouped(whole, group) {
                    return None;
                }
                format!("{}.{fraction}", whole.replace(group, ""))
            }
            (count, 0) | (0, count) => {
                let separator = if commas > 0 { ',' } else { '.' };
                // The language's own thousands separator, in groups of three, groups;
                // several of either separator can only group.
                let groups_here = separator == self.thousands_separator() || count > 1;
                if groups_here && grouped(digits, separator) {
                    digits.replace(separator, "")
                } else if count == 1 {
                    digits.replace(separator, ".")
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        format!("{sign}{machine}").parse::<f64>().ok().filter(|value| value.is_finite())
    }

    /// A date as the language writes it: 31/03/2025 in Vietnamese, 2025-03-31 in English.
    pub fn date(self, date: Date) -> String {
        match self {
            Language::Vi => format!("{:02}/{:02}/{:04}", date.day, date.month, date.year),
            Language::En => date.to_string(),
        }
    }

    /// Reads a date a person typed: dd/mm/yyyy (also with `-` or `.`) in Vietnamese, and
    /// yyyy-mm-dd in both languages.
    pub fn parse_date(self, typed: &str) -> Option<Date> {
        let text = typed.trim();
        if let Ok(date) = text.parse::<Date>() {
            return Some(date);
        }
        let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
        match parts.as_slice() {
            [day, month, year] if self == Language::Vi && year.len() == 4 => {
                Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
            }
            _ => None,
        }
    }
}

/// Whether `digits` are groups of three after the first group of one to three, split by
/// `separator`.
fn grouped(digits: &str, separator: char) -> bool {
    let mut groups = digits.split(separator);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|group| group.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shown_the_way_each_language_writes_them() {
        assert_eq!(Language::Vi.number(72.5), "72,5");
        assert_eq!(Language::En.number(72.5), "72.5");
        assert_eq!(Language::Vi.number(1_234_567.25), "1.234.567,25");
        assert_eq!(Language::En.number(1_234_567.25), "1,234,567.25");
        assert_eq!(Language::Vi.number(1000.0), "1000", "four digits stay together");
        assert_eq!(Language::Vi.number(-12_345.0), "-12.345");
        assert_eq!(Language::Vi.fixed(812.34567, 4), "812,3457");
        assert_eq!(Language::En.count(3_300), "3300");
        assert_eq!(Language::En.count(200_000), "200,000");
        assert_eq!(Language::Vi.number(f64::NAN), "–");
    }

    #[test]
    fn numbers_are_read_the_way_a_person_types_them() {
        let vi = |text| Language::Vi.parse_number(text);
        let en = |text| Language::En.parse_number(text);
        assert_eq!(vi("72,5"), Some(72.5));
        assert_eq!(vi("72.5"), Some(72.5), "a point followed by one digit is a decimal point");
        assert_eq!(vi("1.234,5"), Some(1234.5));
        assert_eq!(vi("1 234,5"), Some(1234.5));
        assert_eq!(vi("1.234"), Some(1234.0), "in Vietnamese a point before three digits groups");
        assert_eq!(vi("1.234.567"), Some(1_234_567.0));
        assert_eq!(vi("-0,25"), Some(-0.25));
        assert_eq!(en("72.5"), Some(72.5));
        assert_eq!(en("1,234.5"), Some(1234.5));
        assert_eq!(en("1,234"), Some(1234.0));
        assert_eq!(en("72,5"), Some(72.5), "a decimal comma is understood in English too");
        assert_eq!(en("1.234"), Some(1.234));
        for bad in ["", "abc", "1,2,3", "1.2.3", "12,34.5", "--1", "1e5", ",5", "1.234,5.6"] {
            assert_eq!(vi(bad), None, "{bad}");
            assert_eq!(en(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_shown_and_read_as_each_language_writes_them() {
        let date = Date::new(2025, 3, 31).expect("a date");
        assert_eq!(Language::Vi.date(date), "31/03/2025");
        assert_eq!(Language::En.date(date), "2025-03-31");
        assert_eq!(Language::Vi.parse_date("31/03/2025"), Some(date));
        assert_eq!(Language::Vi.parse_date("2025-03-31"), Some(date));
        assert_eq!(Language::Vi.parse_date("31.3.2025"), Some(date));
        assert_eq!(Language::Vi.parse_date("31/02/2025"), None);
    }
}
