//! Text as identifiers are compared: Unicode NFC, so that an id typed on one keyboard
//! (precomposed `ệ`) and pasted from another source (`e` with combining marks) is one id.

use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `text` in Unicode Normalisation Form C; borrowed (no copy) when it already is, as
/// every ASCII text is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Normalises an owned text to NFC in place of it (no copy when it already is).
pub fn into_nfc(text: String) -> String {
    match nfc(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(normalised) => normalised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
