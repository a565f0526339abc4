//! Vietnamese text for people: search that ignores diacritics ("Ha Noi" finds "Hà Nội")
//! and names sorted in Vietnamese alphabetical order (a ă â b c d đ e ê ..., tones after
//! letters: ngang, huyền, sắc, hỏi, ngã, nặng), without a collation library.

use std::cmp::Ordering;

/// Each vowel row: the bare letter, then its five tones in dictionary order.
const VOWELS: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];

/// The Vietnamese alphabet, with the letters only foreign words use in Latin order.
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// A letter without its tone, and the tone (0 = none, 1..=5 in dictionary order).
fn untoned(letter: char) -> (char, u8) {
    for row in VOWELS {
        if let Some(tone) = row.chars().position(|toned| toned == letter) {
            return (row.chars().next().unwrap_or(letter), tone as u8);
        }
    }
    (letter, 0)
}

/// A letter without any mark: ă â -> a, đ -> d, ư -> u, ...
fn bare(letter: char) -> char {
    match letter {
        'ă' | 'â' => 'a',
        'đ' => 'd',
        'ê' => 'e',
        'ô' | 'ơ' => 'o',
        'ư' => 'u',
        other => other,
    }
}

/// Whether a character is a combining mark (text typed in decomposed form).
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Lower case without diacritics, for matching: `fold("Hà Nội") == fold("ha noi")`.
pub fn fold(text: &str) -> String {
    text.chars().filter(|c| !is_combining(*c)).flat_map(char::to_lowercase).map(|c| bare(untoned(c).0)).collect()
}

/// Whether `query` occurs in `text`, ignoring case and diacritics.
pub fn matches(text: &str, query: &str) -> bool {
    fold(text).contains(fold(query).trim())
}

/// Primary weight of a lower-case untoned character: digits, then letters in Vietnamese
/// order, then anything else by code point; spaces and punctuation first.
fn weight(c: char) -> u32 {
    if let Some(position) = ALPHABET.chars().position(|letter| letter == c) {
        return 100 + position as u32;
    }
    match c {
        '0'..='9' => 10 + c as u32 - '0' as u32,
        c if c.is_alphanumeric() => 1_000 + c as u32,
        _ => 1,
    }
}

/// A key that sorts names in Vietnamese order: letters first, then tones, then case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    case: Vec<bool>,
}

/// The sort key of a name.
pub fn sort_key(text: &str) -> SortKey {
    let mut key = SortKey { letters: Vec::new(), tones: Vec::new(), case: Vec::new() };
    for c in text.chars().filter(|c| !is_combining(*c)) {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let (letter, tone) = untoned(lower);
        key.letters.push(weight(letter));
        key.tones.push(tone);
        key.case.push(lower != c);
    }
    key
}

/// Compares two names in Vietnamese order.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_tones_and_marks_and_case() {
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
        assert_eq!(fold("BỘ CÔNG THƯƠNG"), "bo cong thuong");
        // Decomposed input (a + combining grave) folds the same.
        assert_eq!(fold("Ha\u{300} No\u{302}\u{323}i"), "ha noi");
    }

    #[test]
    fn search_finds_names_with_and_without_diacritics() {
        assert!(matches("Hà Nội", "Ha Noi"));
        assert!(matches("Hà Nội", "hà nội"));
        assert!(matches("Sở Thông tin và Truyền thông Hà Nội", "truyen thong"));
        assert!(!matches("Hà Nam", "Ha Noi"));
        assert!(matches("anything", "  "));
    }

    #[test]
    fn letters_sort_in_the_vietnamese_alphabet() {
        let mut names =
            vec!["Đồng Nai", "Dak Lak", "Ân Thi", "Ăn Nam", "An Giang", "Bắc Ninh", "Ê Đê", "Êa", "Ơn", "Ô Môn"];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            ["An Giang", "Ăn Nam", "Ân Thi", "Bắc Ninh", "Dak Lak", "Đồng Nai", "Ê Đê", "Êa", "Ô Môn", "Ơn"]
        );
    }

    #[test]
    fn tones_sort_after_letters_in_dictionary_order() {
        let mut names = vec!["mạ", "mã", "mả", "má", "mà", "ma", "mai"];
        names.sort_by(|a, b| compare(a, b));
        // The letters decide first (ma < mai), then the tones: ngang, huyền, sắc, hỏi, ngã, nặng.
        assert_eq!(names, ["ma", "mà", "má", "mả", "mã", "mạ", "mai"]);
    }

    #[test]
    fn digits_sort_before_letters_and_the_order_is_total() {
        assert_eq!(compare("Quận 1", "Quận A"), Ordering::Less);
        assert_eq!(compare("Hà Nội", "Hà Nội"), Ordering::Equal);
        assert_ne!(compare("hà nội", "Hà Nội"), Ordering::Equal);
    }
}
