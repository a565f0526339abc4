//! JSON indicator files, read into the same spanned tree as TOML files.
//!
//! One deserializer (toml's, over its spanned `DeTable`) then reads both formats: a type
//! error in a JSON file points into the JSON text like one in a TOML file, and the raw
//! types' deserialization code exists once, which keeps the browser build small. The
//! parser is jsonc-parser, which also gives the locator its spans; comments and trailing
//! commas are accepted, as editors of JSON configuration files expect.

use crate::message::{Arg, Message};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// Why a JSON text could not be read: the byte span and a message.
pub(super) type JsonError = Box<(Range<usize>, Message)>;

/// Parses a JSON indicator file into toml's spanned tree. `null` members count as absent.
pub(super) fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, JsonError> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..jsonc_parser::ParseOptions::default()
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|error| {
        let range = error.range();
        Box::new((
            range.start..range.end,
            Message::JsonSyntax { detail: Arg::detail(lower_first(&error.kind().to_string())) },
        ))
    })?;
    match parsed.value {
        Some(Value::Object(object)) => {
            let range = object.range();
            Ok(Spanned::new(range.start..range.end, table(object)?))
        }
        Some(other) => {
            let range = other.range();
            Err(Box::new((range.start..range.end, Message::JsonOneObject {})))
        }
        None => Err(Box::new((0..0, Message::JsonEmptyFile {}))),
    }
}

fn table(object: jsonc_parser::ast::Object<'_>) -> Result<DeTable<'_>, JsonError> {
    let mut table = DeTable::new();
    let mut seen = std::collections::BTreeSet::new();
    for property in object.properties {
        let key_range = property.name.range();
        let key = match property.name {
            ObjectPropName::String(name) => name.value,
            ObjectPropName::Word(word) => Cow::Borrowed(word.value),
        };
        // JSON leaves a repeated key to the reader (most keep the last, silently); a TOML
        // file refuses one, and so does this reader.
        if !seen.insert(key.clone()) {
            return Err(Box::new((key_range.start..key_range.end, Message::JsonKeyTwice { name: Arg::code(key) })));
        }
        if matches!(property.value, Value::NullKeyword(_)) {
            continue;
        }
        table.insert(Spanned::new(key_range.start..key_range.end, key), value(property.value)?);
    }
    Ok(table)
}

fn value(value: Value<'_>) -> Result<Spanned<DeValue<'_>>, JsonError> {
    let range = value.range();
    let span = range.start..range.end;
    let inner = match value {
        Value::StringLit(string) => DeValue::String(string.value),
        Value::BooleanLit(boolean) => DeValue::Boolean(boolean.value),
        // JSON numbers are TOML numbers, so toml reads them exactly as in a TOML file.
        Value::NumberLit(number) => match DeValue::parse(number.value) {
            Ok(parsed) => parsed.into_inner(),
            Err(_) => return Err(Box::new((span, Message::NotANumber { value: Arg::given(number.value) }))),
        },
        Value::Array(array) => {
            let mut items = DeArray::new();
            for element in array.elements {
                items.push(self::value(element)?);
            }
            DeValue::Array(items)
        }
        Value::Object(object) => DeValue::Table(table(object)?),
        Value::NullKeyword(_) => return Err(Box::new((span, Message::NullInList {}))),
    };
    Ok(Spanned::new(span, inner))
}

use crate::text::lower_first;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_spans_and_nulls_are_absent() {
        let text = r#"{ "id": "x", "weight": 2.5, "note": null, /* ok */ "list": [1, true,], }"#;
        let table = parse(text).expect("valid").into_inner();
        let (key, value) = table.iter().find(|(key, _)| key.get_ref() == "weight").expect("weight");
        assert_eq!(&text[key.span()], "\"weight\"");
        assert_eq!(&text[value.span()], "2.5");
        assert!(value.get_ref().as_float().is_some());
        assert!(table.iter().all(|(key, _)| key.get_ref() != "note"));
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_syntax_error_has_its_place_and_non_objects_are_refused() {
        let (span, message) = *parse("{ \"id\": }").unwrap_err();
        assert_eq!(span.start, 8, "{message}");
        assert!(parse("[1, 2]").unwrap_err().1.contains("one object"));
        assert!(parse("").unwrap_err().1.contains("empty"));
        assert!(parse(r#"{"a": [null]}"#).unwrap_err().1.contains("null"));
    }
}
