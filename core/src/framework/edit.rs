//! Editing an indicator file's text in place (TOML or JSON), keeping everything else as
//! written: comments, order, spacing. The workbench's sliders change weights this way,
//! so that the file a user downloads is their file with new numbers.

use super::locate::{FieldPath, Locator};
use super::validate::format_number;
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
    fn unknown_ids_bad_weights_and_broken_files_are_refused() {
        let source = "id = \"t\"\n[[indicators]]\nid = \"a\"\n";
        assert_eq!(with_weights(source, false, &weights(&[("z", 1.0)])), Err(EditError::UnknownNode("z".into())));
        assert!(matches!(with_weights(source, false, &weights(&[("a", -1.0)])), Err(EditError::BadWeight { .. })));
        assert_eq!(with_weights("id = [", false, &weights(&[("a", 1.0)])), Err(EditError::Unparsed));
    }
}
