//! Small HTML helpers: escaping, numbers as shown, and the document around a page.

use crate::text::Lang;

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A number with fixed decimals (never `-0`), or `–` when missing.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(value) if value.is_finite() => {
            let text = format!("{value:.decimals$}");
            if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
                text[1..].to_owned()
            } else {
                text
            }
        }
        _ => "–".to_owned(),
    }
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
