//! Reading one value for an indicator's value type.

use crate::diag::Code;
use crate::framework::ValueType;
use crate::message::{Arg, Message};
use crate::table::{Cell, Rejection, is_missing_text, parse_number, reject};

/// A value read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    /// No value.
    Missing,
    /// A number (booleans as 1 or 0, ordinal levels as their value).
    Number(f64),
    /// Checked checklist items, and their count.
    Items(Vec<String>),
}

/// The points of a checklist's checked items (their count when the type is not a checklist).
pub(crate) fn checklist_points(value_type: Option<&ValueType>, items: &[String]) -> f64 {
    match value_type {
        Some(ValueType::Checklist { items: declared }) => {
            declared.iter().filter(|item| items.contains(&item.id)).map(|item| item.points).sum()
        }
        _ => items.len() as f64,
    }
}

/// Whether two texts are equal ignoring case (Unicode lower case), without allocating:
/// this runs for every cell read.
fn same_text(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Reads a value for an indicator of the given type, checking its range.
pub(crate) fn parse_value(cell: &Cell, value_type: &ValueType) -> Result<Parsed, Rejection> {
    match value_type {
        ValueType::Boolean => parse_boolean(cell),
        ValueType::Ordinal { labels } => {
            if let Cell::Text(text) = cell {
                let wanted = text.trim();
                // Most cells hold the level's number: they are compared with the labels only
                // when some label is itself written as a number.
                let numeric = |text: &str| text.trim().parse::<f64>().is_ok();
                if (!numeric(wanted) || labels.iter().any(|l| numeric(&l.name.vi) || numeric(&l.name.en)))
                    && let Some(label) =
                        labels.iter().find(|l| same_text(&l.name.vi, wanted) || same_text(&l.name.en, wanted))
                {
                    return Ok(Parsed::Number(label.value));
                }
            }
            let Some(number) =
                parse_number(cell).map_err(|rejection| reject(rejection.0, rejection.1, Message::HintGiveLevel {}))?
            else {
                return Ok(Parsed::Missing);
            };
            if labels.iter().any(|label| label.value == number) {
                Ok(Parsed::Number(number))
            } else {
                let known = Arg::List(labels.iter().map(|l| Arg::Number(l.value)).collect());
                Err(reject(
                    Code::ValueOutOfRange,
                    Message::NotALevel { value: Arg::Number(number), levels: known },
                    Message::HintGiveLevel {},
                ))
            }
        }
        ValueType::Checklist { items } => {
            let text = match cell {
                Cell::Empty => return Ok(Parsed::Missing),
                Cell::Text(text) if is_missing_text(text.trim()) => return Ok(Parsed::Missing),
                Cell::Text(text) => text.clone(),
                Cell::Number(_) | Cell::Bool(_) => {
                    return Err(reject(Code::BadValue, Message::ChecklistNotNumber {}, Message::HintChecklistItems {}));
                }
            };
            let mut checked = Vec::new();
            for part in text.split([';', '|', ',']).map(str::trim).filter(|part| !part.is_empty()) {
                let Some(item) = items.iter().find(|item| item.id == part).or_else(|| {
                    items.iter().find(|item| same_text(&item.name.vi, part) || same_text(&item.name.en, part))
                }) else {
                    let known = Arg::List(items.iter().map(|i| Arg::text(&i.id)).collect());
                    return Err(reject(
                        Code::BadValue,
                        Message::NotAnItem { value: Arg::given(part), items: known },
                        Message::HintChecklistItems {},
                    ));
                };
                if !checked.contains(&item.id) {
                    checked.push(item.id.clone());
                }
            }
            Ok(Parsed::Items(checked))
        }
        _ => {
            let Some(number) = parse_number(cell)? else {
                return Ok(Parsed::Missing);
            };
            check_range(number, value_type)?;
            Ok(Parsed::Number(number))
        }
    }
}

fn parse_boolean(cell: &Cell) -> Result<Parsed, Rejection> {
    let refusal = |shown: Arg| reject(Code::BadValue, Message::NotYesNo { value: shown }, Message::HintYesNo {});
    match cell {
        Cell::Empty => Ok(Parsed::Missing),
        Cell::Bool(value) => Ok(Parsed::Number(f64::from(u8::from(*value)))),
        Cell::Number(number) if *number == 0.0 || *number == 1.0 => Ok(Parsed::Number(*number)),
        Cell::Number(number) => Err(refusal(Arg::Number(*number))),
        Cell::Text(text) => {
            let text = text.trim();
            let is = |words: &[&str]| words.iter().any(|word| same_text(word, text));
            if is(&["1", "yes", "y", "true", "có", "co", "x", "đạt"]) {
                Ok(Parsed::Number(1.0))
            } else if is(&["0", "no", "n", "false", "không", "khong", "chưa"]) {
                Ok(Parsed::Number(0.0))
            } else if is_missing_text(text) {
                Ok(Parsed::Missing)
            } else {
                Err(refusal(Arg::given(text)))
            }
        }
    }
}

/// Why a number is outside its value type's range.
enum OutOfRange {
    NotPercent,
    NotCount,
    Below(f64),
    Above(f64),
}

/// Whether a number lies in its value type's range (as [`parse_value`] checks it).
pub(crate) fn in_range(number: f64, value_type: &ValueType) -> bool {
    out_of_range(number, value_type).is_none()
}

fn out_of_range(number: f64, value_type: &ValueType) -> Option<OutOfRange> {
    match value_type {
        ValueType::Percent if !(0.0..=100.0).contains(&number) => Some(OutOfRange::NotPercent),
        ValueType::Count { .. } if number < 0.0 || number.fract() != 0.0 => Some(OutOfRange::NotCount),
        ValueType::Count { max } => max.filter(|max| number > *max).map(OutOfRange::Above),
        ValueType::Number { min, max } => min
            .filter(|min| number < *min)
            .map(OutOfRange::Below)
            .or_else(|| max.filter(|max| number > *max).map(OutOfRange::Above)),
        _ => None,
    }
}

fn check_range(number: f64, value_type: &ValueType) -> Result<(), Rejection> {
    let Some(problem) = out_of_range(number, value_type) else { return Ok(()) };
    let value = Arg::Number(number);
    Err(Box::new(match problem {
        OutOfRange::NotPercent => (Code::ValueOutOfRange, Message::ValueNotPercent { value }, Message::HintPercent {}),
        OutOfRange::NotCount => (Code::ValueOutOfRange, Message::ValueNotCount { value }, Message::HintWholeNumber {}),
        OutOfRange::Below(min) => (
            Code::ValueOutOfRange,
            Message::ValueBelowMinimum { value, min: Arg::Number(min) },
            Message::HintCheckValue {},
        ),
        OutOfRange::Above(max) => (
            Code::ValueOutOfRange,
            Message::ValueAboveMaximum { value, max: Arg::Number(max) },
            Message::HintCheckValue {},
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Item, Text};

    fn text(value: &str) -> Cell {
        Cell::Text(value.into())
    }

    #[test]
    fn percent_of_140_is_refused_with_a_clear_message() {
        let (code, message, _) = *parse_value(&text("140"), &ValueType::Percent).unwrap_err();
        assert_eq!(code, Code::ValueOutOfRange);
        assert_eq!(message.to_string(), "140 is not a percentage: it must be from 0 to 100");
        assert_eq!(parse_value(&text("85%"), &ValueType::Percent), Ok(Parsed::Number(85.0)));
    }

    #[test]
    fn missing_markers_and_non_finite_numbers() {
        assert_eq!(parse_value(&text("NA"), &ValueType::Percent), Ok(Parsed::Missing));
        assert_eq!(parse_value(&Cell::Empty, &ValueType::Boolean), Ok(Parsed::Missing));
        assert_eq!(
            parse_value(&text("NaN"), &ValueType::Number { min: None, max: None }).unwrap_err().0,
            Code::BadValue
        );
        assert_eq!(
            parse_value(&text("inf"), &ValueType::Number { min: None, max: None }).unwrap_err().0,
            Code::BadValue
        );
    }

    #[test]
    fn booleans_in_vietnamese_and_english() {
        assert_eq!(parse_value(&text("Có"), &ValueType::Boolean), Ok(Parsed::Number(1.0)));
        assert_eq!(parse_value(&text("không"), &ValueType::Boolean), Ok(Parsed::Number(0.0)));
        assert_eq!(parse_value(&text("maybe"), &ValueType::Boolean).unwrap_err().0, Code::BadValue);
    }

    #[test]
    fn checklist_items_by_id_or_name() {
        let items = vec![
            Item { id: "correct".into(), name: Text { vi: "Đúng".into(), en: "Correct".into() }, points: 1.0 },
            Item { id: "clean".into(), name: Text { vi: "Sạch".into(), en: "Clean".into() }, points: 1.0 },
        ];
        let value_type = ValueType::Checklist { items };
        assert_eq!(
            parse_value(&text("correct; sạch"), &value_type),
            Ok(Parsed::Items(vec!["correct".into(), "clean".into()]))
        );
        assert_eq!(parse_value(&text("live"), &value_type).unwrap_err().0, Code::BadValue);
    }
}
