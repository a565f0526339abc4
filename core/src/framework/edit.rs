//! Editing an indicator file's text in place (TOML or JSON), keeping everything else as
//! written: comments, order, spacing. The workbench changes weights and the numbers of
//! scoring rules, level bands and alert rules this way, so that the file a user
//! downloads is their file with new numbers.

use super::locate::{FieldPath, Locator};
use crate::text::format_number;
use std::collections::BTreeMap;

/// Why a file could not be edited.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// The text does not parse.
    #[error("the file does not parse; fix it before editing weights")]
    Unparsed,
    /// No node or indicator with this id is written in the file.
    #[error("no node or indicator `{0}` is written in the file")]
    UnknownNode(String),
    /// No number is written at this place.
    #[error("no number is written at `{0}`")]
    NoNumber(String),
    /// A number that is not finite.
    #[error("`{path}` cannot be {value}: give a finite number")]
    NotFinite {
        /// Where.
        path: String,
        /// The value given.
        value: f64,
    },
    /// A weight that is not a finite number of 0 or more.
    #[error("weight {weight} of `{id}` must be 0 or more, and finite")]
    BadWeight {
        /// The node's id.
        id: String,
        /// The weight given.
        weight: f64,
    },
}

/// The text of an indicator file with `weights` (node or indicator id -> weight) written
/// in: an existing `weight` is replaced where it stands, a missing one is added after the
/// element's `id`. `json` tells the text's format.
pub fn with_weights(source: &str, json: bool, weights: &BTreeMap<String, f64>) -> Result<String, EditError> {
    let locator = if json { Locator::json("file", source) } else { Locator::toml("file", source) };
    if locator.span(&FieldPath::root()).is_none() {
        return Err(EditError::Unparsed);
    }
    // Every edit as (byte range replaced, new text), applied from the end backwards.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (id, &weight) in weights {
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(EditError::BadWeight { id: id.clone(), weight });
        }
        let element =
            locator.element_with_id(&["nodes", "indicators"], id).ok_or_else(|| EditError::UnknownNode(id.clone()))?;
        let number = format_number(weight);
        match locator.span(&element.key("weight")) {
            Some(span) => edits.push((span, number)),
            None => {
                let id_span = locator.span(&element.key("id")).ok_or_else(|| EditError::UnknownNode(id.clone()))?;
                if json {
                    edits.push((id_span.end..id_span.end, format!(", \"weight\": {number}")));
                } else {
                    // After the rest of the `id` line (a comment may follow it).
                    let end = source[id_span.end..].find('\n').map_or(source.len(), |offset| id_span.end + offset);
                    edits.push((end..end, format!("\nweight = {number}")));
                }
            }
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut text = source.to_owned();
    for (range, replacement) in edits {
        text.replace_range(range, &replacement);
    }
    Ok(text)
}

/// An editable number of the file: where it is written, in words (`scoring.upper`), and
/// its value.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberField {
    /// Its full path (`indicators[3].scoring.upper`), the key of [`with_numbers`].
    pub path: String,
    /// Its path under the element shown (`scoring.upper`).
    pub label: String,
    /// The number as written.
    pub value: f64,
}

/// The numbers written in the element of `array` (`indicators`, `nodes`, `levels`,
/// `alerts`) whose id is `id`: for an indicator its scoring rule's, for a level its band,
/// for an alert rule its thresholds. Weights are left to [`with_weights`].
pub fn numbers_of(source: &str, json: bool, array: &str, id: &str) -> Vec<NumberField> {
    let locator = if json { Locator::json("file", source) } else { Locator::toml("file", source) };
    let Some(element) = locator.element_with_id(&[array], id) else { return Vec::new() };
    let prefix = element.to_string();
    locator
        .numbers_under(&element)
        .into_iter()
        .map(|(path, value)| {
            let path = path.to_string();
            let label = path.strip_prefix(&prefix).unwrap_or(&path).trim_start_matches('.').to_owned();
            NumberField { path, label, value }
        })
        .filter(|field| field.label != "weight")
        .collect()
}

/// The text with `numbers` (full path, as [`NumberField::path`] -> value) written in place
/// of the numbers at those paths.
pub fn with_numbers(source: &str, json: bool, numbers: &BTreeMap<String, f64>) -> Result<String, EditError> {
    let locator = if json { Locator::json("file", source) } else { Locator::toml("file", source) };
    let Some(whole) = locator.span(&FieldPath::root()) else { return Err(EditError::Unparsed) };
    let written = locator.numbers_under(&FieldPath::root());
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (path, &value) in numbers {
        if !value.is_finite() {
            return Err(EditError::NotFinite { path: path.clone(), value });
        }
        let field = written.iter().find(|(field, _)| field.to_string() == *path);
        let span =
            field.and_then(|(field, _)| locator.span(field)).filter(|span| span.end <= whole.end.max(source.len()));
        let span = span.ok_or_else(|| EditError::NoNumber(path.clone()))?;
        edits.push((span, format_number(value)));
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut text = source.to_owned();
    for (range, replacement) in edits {
        text.replace_range(range, &replacement);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(id, weight)| ((*id).to_owned(), *weight)).collect()
    }

    #[test]
    fn weights_are_replaced_or_added_and_the_rest_is_kept_as_written() {
        let source = "id = \"t\" # the set\n\n[[nodes]]\nid = \"index\"\n\n[[indicators]]\nid = \"a\"  # first\nparent = \"index\"\nweight = 2 # doubled\n\n[[indicators]]\nid = 'b'\nparent = \"index\"\n";
        let edited = with_weights(source, false, &weights(&[("a", 1.5), ("b", 0.25)])).expect("edits");
        assert_eq!(
            edited,
            "id = \"t\" # the set\n\n[[nodes]]\nid = \"index\"\n\n[[indicators]]\nid = \"a\"  # first\nparent = \"index\"\nweight = 1.5 # doubled\n\n[[indicators]]\nid = 'b'\nweight = 0.25\nparent = \"index\"\n"
        );
    }

    #[test]
    fn the_built_in_set_reloads_with_the_new_weights() {
        let set = crate::builtin::builtin("desi").expect("built in");
        let new = weights(&[("connectivity", 2.0), ("basic-skills", 0.5), ("public-services", 0.1)]);
        let edited = with_weights(set.framework, false, &new).expect("edits");
        let loaded = crate::load_framework("edited.toml", edited.as_bytes());
        let framework = loaded.framework.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        for (id, weight) in &new {
            assert_eq!(framework.nodes[framework.node_index(id).expect("a node")].weight, *weight, "{id}");
        }
        let original = crate::load_framework("original.toml", set.framework.as_bytes()).framework.expect("valid");
        let changes = crate::framework::changes::framework_changes(&original, &framework);
        let mut changed: Vec<&str> = changes.iter().map(|change| change.id.as_str()).collect();
        changed.sort_unstable();
        assert_eq!(changed, ["basic-skills", "connectivity", "public-services"], "{changes:?}");
        assert!(changes.iter().all(|change| change.what == "weight"), "{changes:?}");
    }

    #[test]
    fn json_files_are_edited_too() {
        let source = "{\"id\": \"t\", \"nodes\": [{\"id\": \"index\"}], \"indicators\": [{\"id\": \"a\", \"parent\": \"index\", \"weight\": 3}, {\"id\": \"b\", \"parent\": \"index\"}]}";
        let edited = with_weights(source, true, &weights(&[("a", 1.0), ("b", 2.0)])).expect("edits");
        assert_eq!(
            edited,
            "{\"id\": \"t\", \"nodes\": [{\"id\": \"index\"}], \"indicators\": [{\"id\": \"a\", \"parent\": \"index\", \"weight\": 1}, {\"id\": \"b\", \"weight\": 2, \"parent\": \"index\"}]}"
        );
    }

    #[test]
    fn the_numbers_of_a_rule_a_level_and_an_alert_are_listed_and_rewritten_in_place() {
        let set = crate::builtin::builtin("vn-ministry").expect("built in");
        let scoring = numbers_of(set.framework, false, "indicators", "dt-online-dossiers");
        let labels: Vec<&str> = scoring.iter().map(|field| field.label.as_str()).collect();
        assert!(labels.contains(&"max_points"), "{labels:?}");
        assert!(labels.iter().any(|label| label.starts_with("scoring.")), "{labels:?}");
        let level = numbers_of(set.framework, false, "levels", "level-2");
        assert_eq!(level.iter().map(|field| (field.label.as_str(), field.value)).collect::<Vec<_>>(), [("min", 350.0)]);
        let alert = numbers_of(set.framework, false, "alerts", "weak-cybersecurity");
        assert!(alert.iter().any(|field| field.label == "below" && field.value == 40.0), "{alert:?}");
        let changes: BTreeMap<String, f64> =
            [(level[0].path.clone(), 400.0), (alert.iter().find(|f| f.label == "below").unwrap().path.clone(), 45.0)]
                .into();
        let edited = with_numbers(set.framework, false, &changes).expect("edits");
        assert!(edited.contains(
            "id = \"level-2\"\nname = { vi = \"Mức 2: Hình thành\", en = \"Level 2: Forming\" }\nmin = 400\n"
        ));
        assert!(edited.contains("node = \"cybersecurity\"\nbelow = 45\n"));
        assert_eq!(edited.len(), set.framework.len());
        let framework = crate::load_framework("edited.toml", edited.as_bytes()).framework.expect("still valid");
        assert_eq!(
            framework.levels[0].levels.iter().find(|level| level.id == "level-2").map(|level| level.min),
            Some(400.0)
        );
        let refused = with_numbers(set.framework, false, &[("levels[1].name".to_owned(), 1.0)].into());
        assert_eq!(refused, Err(EditError::NoNumber("levels[1].name".into())));
    }

    #[test]
    fn unknown_ids_bad_weights_and_broken_files_are_refused() {
        let source = "id = \"t\"\n[[indicators]]\nid = \"a\"\n";
        assert_eq!(with_weights(source, false, &weights(&[("z", 1.0)])), Err(EditError::UnknownNode("z".into())));
        assert!(matches!(with_weights(source, false, &weights(&[("a", -1.0)])), Err(EditError::BadWeight { .. })));
        assert_eq!(with_weights("id = [", false, &weights(&[("a", 1.0)])), Err(EditError::Unparsed));
    }
}
