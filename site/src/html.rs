//! Small HTML helpers: escaping, numbers as shown, and the document around a page.

use crate::text::Lang;

/// Text made safe for HTML content and attribute values (borrowed when nothing needs
/// escaping, as most names and ids).
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    let special = |byte: &u8| matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'');
    let Some(first) = text.bytes().position(|byte| special(&byte)) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut escaped = String::with_capacity(text.len() + 16);
    escaped.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// HTML escaping for text between tags (not attribute values: an apostrophe is left as
/// it is), as the one-file report has always written it.
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;"))
}

/// A number with fixed decimals (never `-0`), or `–` when missing.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    let mut text = String::new();
    match value {
        Some(value) if value.is_finite() => push_fixed(&mut text, value, decimals),
        _ => text.push('–'),
    }
    text
}

/// [`fixed`] as `lang` writes it: `812,3457` in Vietnamese (a decimal comma; no
/// thousands separator in a score, so a table's numbers line up).
pub fn fixed_in(lang: Lang, value: Option<f64>, decimals: usize) -> String {
    lang.decimal(&fixed(value, decimals))
}

/// Appends a finite number with fixed decimals as `format!("{value:.decimals$}")` writes
/// it (rounded from its exact binary value), but never `-0`. Tens of thousands of pages
/// show millions of numbers: most take a fast path with integers, the same digits.
pub fn push_fixed(out: &mut String, value: f64, decimals: usize) {
    use std::fmt::Write as _;
    if let Some((negative, whole, fraction)) = fixed_parts(value, decimals) {
        if negative {
            out.push('-');
        }
        let _ = write!(out, "{whole}");
        if decimals > 0 {
            let _ = write!(out, ".{fraction:0decimals$}");
        }
        return;
    }
    let start = out.len();
    let _ = write!(out, "{value:.decimals$}");
    if out[start..].starts_with('-') && out[start..].trim_start_matches(['-', '0', '.']).is_empty() {
        out.remove(start);
    }
}

/// A number rounded to `decimals` decimals as sign, whole part and decimals, when plain
/// arithmetic gets it exactly: the product `|value| x 10^decimals`, below 2^40, is within
/// 2^-13 of its exact value, so unless it lies within 2^-11 of a half, both round to the
/// same integer. `None` otherwise (ties, huge numbers, many decimals).
fn fixed_parts(value: f64, decimals: usize) -> Option<(bool, u64, u64)> {
    const LIMIT: f64 = (1u64 << 40) as f64;
    const TIE: f64 = 1.0 / (1u64 << 11) as f64;
    let power = 10u64.checked_pow(u32::try_from(decimals).ok().filter(|&decimals| decimals <= 9)?)?;
    let scaled = value.abs() * power as f64;
    if scaled.is_nan() || scaled >= LIMIT {
        return None;
    }
    let floor = scaled.floor();
    let above = scaled - floor;
    if (above - 0.5).abs() <= TIE {
        return None;
    }
    let rounded = floor as u64 + u64::from(above > 0.5);
    Some((value < 0.0 && rounded != 0, rounded / power, rounded % power))
}

/// A number for a `data-v` sort attribute: full precision, empty when missing.
pub fn sort_value(value: Option<f64>) -> String {
    value.filter(|value| value.is_finite()).map(|value| format!("{value}")).unwrap_or_default()
}

/// A signed change of places: `▲3`, `▼2`, `=`; empty when unknown.
pub fn places(change: Option<i64>) -> String {
    match change {
        Some(0) => "=".to_owned(),
        Some(up) if up > 0 => format!("▲{up}"),
        Some(down) => format!("▼{}", down.unsigned_abs()),
        None => String::new(),
    }
}

/// The complete document around a page's content, for the static site; `root` is the
/// relative path to the site's root (`""`, `"../"`, ...), where the stylesheet and
/// script are.
pub fn document(title: &str, lang: Lang, root: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"{root}site.css\">\n\
         <script src=\"{root}site.js\" defer></script>\n</head>\n<body class=\"dti-site\">\n{body}</body>\n</html>\n",
        code = lang.code(),
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(escape("<a href=\"x\">Tom's & co</a>"), "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;");
    }

    /// What `fixed` showed before it had a fast path: the standard library's rounding.
    fn reference(value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
            text[1..].to_owned()
        } else {
            text
        }
    }

    #[test]
    fn ties_and_near_ties_round_as_the_standard_library_does() {
        for (value, decimals) in [
            (0.125, 2),
            (0.375, 2),
            (2.675, 2),
            (1.005, 2),
            (0.5, 0),
            (1.5, 0),
            (2.5, 0),
            (-2.5, 0),
            (623.65, 1),
            (999.99995, 4),
            (-0.00005, 4),
            (1e15, 2),
            (123.456, 12),
        ] {
            assert_eq!(fixed(Some(value), decimals), reference(value, decimals), "{value} to {decimals}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fixed_decimals_are_the_standard_librarys(
            whole in -2_000_000i64..2_000_000,
            parts in 0u32..1 << 20,
            shift in 0u32..24,
            decimals in 0usize..12,
        ) {
            // Dyadic fractions make exact ties; others fall anywhere.
            let value = whole as f64 + f64::from(parts) / f64::from(1u32 << shift.min(20)) / 1e3f64.powi(shift as i32 % 3);
            proptest::prop_assert_eq!(fixed(Some(value), decimals), reference(value, decimals));
        }
    }

    #[test]
    fn numbers_show_fixed_decimals_without_minus_zero() {
        assert_eq!(fixed(Some(-0.0001), 2), "0.00");
        assert_eq!(fixed(Some(-1.5), 1), "-1.5");
        assert_eq!(fixed(Some(f64::NAN), 2), "–");
        assert_eq!(fixed(None, 2), "–");
        assert_eq!(places(Some(3)), "▲3");
        assert_eq!(places(Some(-2)), "▼2");
        assert_eq!(places(Some(0)), "=");
    }
}
