//! Text and number helpers every layer uses, at the bottom of the stack: ids as they are
//! compared (Unicode NFC, so that an id typed on one keyboard, precomposed `ệ`, and
//! pasted from another source, `e` with combining marks, is one id), numbers as messages
//! write them, and counts as the `u32` that crosses targets.

use std::borrow::Cow;

/// `text` in Unicode Normalisation Form C; borrowed (no copy) when it already is, as
/// every ASCII text is.
#[cfg(feature = "nfc")]
pub fn nfc(text: &str) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Without the `nfc` feature (the self-assessment page), text is compared as written.
#[cfg(not(feature = "nfc"))]
pub fn nfc(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// Normalises an owned text to NFC in place of it (no copy when it already is).
pub fn into_nfc(text: String) -> String {
    match nfc(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(normalised) => normalised,
    }
}

/// A language of the interface and of an indicator file's texts: the one language type of
/// the engine, the pages, the web app and the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Language {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Language {
    /// Both languages, Vietnamese first.
    pub const ALL: [Language; 2] = [Language::Vi, Language::En];

    /// The language code (`vi`, `en`), as indicator files' texts are keyed.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    /// The language of a code, `None` for a code this tool does not speak.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code() == code)
    }

    /// The other language.
    pub fn other(self) -> Language {
        match self {
            Language::Vi => Language::En,
            Language::En => Language::Vi,
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Language::from_code(code).ok_or_else(|| format!("`{code}` is not a language of this tool: use vi or en"))
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A number written without a needless fraction.
pub fn format_number(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "infinity".into() } else { "-infinity".into() };
    }
    let text = format!("{value}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// A text with its first letter in lower case (another library's message, made to start
/// like ours).
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A count or position as the `u32` that results and diagnostics hold (the same on every
/// target), saturating.
pub fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "nfc")]
    #[test]
    fn composed_and_decomposed_vietnamese_are_one_text() {
        let composed = "Hà Nội";
        let decomposed = "Ha\u{300} No\u{302}\u{323}i";
        assert_ne!(composed, decomposed);
        assert_eq!(nfc(decomposed), composed);
        assert!(matches!(nfc(composed), Cow::Borrowed(_)));
        assert_eq!(into_nfc(decomposed.to_owned()), composed);
    }
}
