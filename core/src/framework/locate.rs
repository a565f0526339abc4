//! From a field path (`indicators[3].weight`) to a line and column in the source.
//!
//! Raw types carry no spans, so they read TOML and JSON alike. Diagnostics carry a
//! [`FieldPath`]; a [`Locator`] built from the source text resolves it to a place.

use crate::diag::{Location, line_column};
use crate::text::to_u32;
use jsonc_parser::common::Ranged;
use std::fmt;
use std::ops::Range;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A path to a field inside an indicator file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    /// The empty path: the whole document.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path followed by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self(segments)
    }

    /// This path followed by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if position == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Resolves field paths to places in one source file.
pub struct Locator<'a> {
    file: String,
    source: &'a str,
    tree: Option<Tree>,
    /// For a table read as an indicator file (a COINr iMeta table): the line of each
    /// element of the arrays it fills (`indicators`, `nodes`, ...), by array and index.
    rows: std::collections::BTreeMap<(String, usize), u32>,
}

/// A format-independent tree of spans: what the locator walks.
#[derive(Debug)]
enum Tree {
    Table { span: Range<usize>, entries: Vec<(String, Range<usize>, Tree)> },
    Array { span: Range<usize>, elements: Vec<Tree> },
    Leaf { span: Range<usize> },
}

impl Tree {
    fn span(&self) -> Range<usize> {
        match self {
            Tree::Table { span, .. } | Tree::Array { span, .. } | Tree::Leaf { span } => span.clone(),
        }
    }
}

impl<'a> Locator<'a> {
    /// A locator for a TOML source.
    pub fn toml(file: &str, source: &'a str) -> Self {
        let tree = toml::de::DeTable::parse(source).ok().map(|table| {
            let span = table.span();
            toml_table(span, table.get_ref())
        });
        Self { file: file.to_owned(), source, tree, rows: Default::default() }
    }

    /// A locator for a JSON source.
    pub fn json(file: &str, source: &'a str) -> Self {
        let parsed = jsonc_parser::parse_to_ast(source, &Default::default(), &Default::default());
        let tree = parsed.ok().and_then(|result| result.value.map(|value| json_tree(&value)));
        Self { file: file.to_owned(), source, tree, rows: Default::default() }
    }

    /// A locator that knows only the file name (for sources without structure).
    pub fn file_only(file: &str) -> Self {
        Self { file: file.to_owned(), source: "", tree: None, rows: Default::default() }
    }

    /// A locator for a table whose rows became the elements of arrays: `rows` gives the
    /// line of each (array, index).
    pub fn table_rows(file: &str, rows: std::collections::BTreeMap<(String, usize), u32>) -> Self {
        Self { file: file.to_owned(), source: "", tree: None, rows }
    }

    /// The place of the value at `path`, or of its nearest existing ancestor.
    pub fn locate(&self, path: &FieldPath) -> Location {
        let span = self.tree.as_ref().map(|tree| find(tree, &path.0, false));
        self.location(span, path)
    }

    /// The place of the key at the end of `path` (for unknown keys).
    pub fn locate_key(&self, path: &FieldPath) -> Location {
        let span = self.tree.as_ref().map(|tree| find(tree, &path.0, true));
        self.location(span, path)
    }

    /// The byte span of the value at `path`, only when it exists.
    pub fn span(&self, path: &FieldPath) -> Option<Range<usize>> {
        let mut tree = self.tree.as_ref()?;
        for segment in &path.0 {
            tree = match (tree, segment) {
                (Tree::Table { entries, .. }, Segment::Key(key)) => &entries.iter().find(|(name, _, _)| name == key)?.2,
                (Tree::Array { elements, .. }, Segment::Index(index)) => elements.get(*index)?,
                _ => return None,
            };
        }
        Some(tree.span())
    }

    /// Every number written under `path` (not inside `name`, `message` or other texts),
    /// with its path and value, in the file's order.
    pub fn numbers_under(&self, path: &FieldPath) -> Vec<(FieldPath, f64)> {
        fn walk(locator: &Locator<'_>, tree: &Tree, path: FieldPath, found: &mut Vec<(FieldPath, f64)>) {
            match tree {
                Tree::Table { entries, .. } => {
                    for (key, _, child) in entries {
                        walk(locator, child, path.key(key), found);
                    }
                }
                Tree::Array { elements, .. } => {
                    for (index, child) in elements.iter().enumerate() {
                        walk(locator, child, path.index(index), found);
                    }
                }
                Tree::Leaf { span } => {
                    let written = locator.source.get(span.clone()).unwrap_or_default().trim();
                    let number = written.parse::<f64>().ok().filter(|number| number.is_finite());
                    if let Some(number) = number.filter(|_| !written.starts_with(['"', '\''])) {
                        found.push((path, number));
                    }
                }
            }
        }
        let mut tree = match self.tree.as_ref() {
            Some(tree) => tree,
            None => return Vec::new(),
        };
        for segment in &path.0 {
            tree = match (tree, segment) {
                (Tree::Table { entries, .. }, Segment::Key(key)) => {
                    match entries.iter().find(|(name, _, _)| name == key) {
                        Some((_, _, child)) => child,
                        None => return Vec::new(),
                    }
                }
                (Tree::Array { elements, .. }, Segment::Index(index)) => match elements.get(*index) {
                    Some(child) => child,
                    None => return Vec::new(),
                },
                _ => return Vec::new(),
            };
        }
        let mut found = Vec::new();
        walk(self, tree, path.clone(), &mut found);
        found
    }

    /// The path of the element of one of the top-level `arrays` whose `id` is `id`
    /// (`indicators[3]`), reading ids as written (quoted strings).
    pub fn element_with_id(&self, arrays: &[&str], id: &str) -> Option<FieldPath> {
        let Tree::Table { entries, .. } = self.tree.as_ref()? else { return None };
        for (name, _, tree) in entries.iter().filter(|(name, _, _)| arrays.contains(&name.as_str())) {
            let Tree::Array { elements, .. } = tree else { continue };
            for (index, element) in elements.iter().enumerate() {
                let Tree::Table { entries, .. } = element else { continue };
                let Some((_, _, value)) = entries.iter().find(|(key, _, _)| key == "id") else { continue };
                let written = self.source.get(value.span()).unwrap_or_default().trim();
                if written.trim_matches('"').trim_matches('\'') == id {
                    return Some(FieldPath::root().key(name).index(index));
                }
            }
        }
        None
    }

    /// The place of a byte span.
    pub fn locate_span(&self, span: Range<usize>) -> Location {
        self.location(Some(span), &FieldPath::root())
    }

    fn location(&self, span: Option<Range<usize>>, path: &FieldPath) -> Location {
        let path_text = (!path.0.is_empty()).then(|| path.to_string());
        match span {
            Some(span) if !self.source.is_empty() => {
                let (line, column) = line_column(self.source, span.start);
                Location {
                    file: self.file.clone(),
                    line,
                    column,
                    start: Some(to_u32(span.start)),
                    end: Some(to_u32(span.end.max(span.start))),
                    path: path_text,
                }
            }
            _ => {
                // A table's row, when the path leads into one.
                let line = match path.0.as_slice() {
                    [Segment::Key(array), Segment::Index(index), ..] => {
                        self.rows.get(&(array.clone(), *index)).copied().unwrap_or(0)
                    }
                    _ => 0,
                };
                Location { file: self.file.clone(), line, path: path_text, ..Location::default() }
            }
        }
    }
}

fn find(tree: &Tree, path: &[Segment], want_key: bool) -> Range<usize> {
    let Some((first, rest)) = path.split_first() else {
        return tree.span();
    };
    match (tree, first) {
        (Tree::Table { entries, .. }, Segment::Key(key)) => match entries.iter().find(|(name, _, _)| name == key) {
            Some((_, key_span, _)) if rest.is_empty() && want_key => key_span.clone(),
            Some((_, _, child)) => find(child, rest, want_key),
            None => tree.span(),
        },
        (Tree::Array { elements, .. }, Segment::Index(index)) => match elements.get(*index) {
            Some(child) => find(child, rest, want_key),
            None => tree.span(),
        },
        _ => tree.span(),
    }
}

fn toml_table(span: Range<usize>, table: &toml::de::DeTable<'_>) -> Tree {
    let entries = table.iter().map(|(key, value)| (key.get_ref().to_string(), key.span(), toml_value(value))).collect();
    Tree::Table { span, entries }
}

fn toml_value(value: &toml::Spanned<toml::de::DeValue<'_>>) -> Tree {
    let span = value.span();
    match value.get_ref() {
        toml::de::DeValue::Table(table) => toml_table(span, table),
        toml::de::DeValue::Array(array) => Tree::Array { span, elements: array.iter().map(toml_value).collect() },
        _ => Tree::Leaf { span },
    }
}

fn json_tree(value: &jsonc_parser::ast::Value<'_>) -> Tree {
    let range = value.range();
    let span = range.start..range.end;
    match value {
        jsonc_parser::ast::Value::Object(object) => Tree::Table {
            span,
            entries: object
                .properties
                .iter()
                .map(|property| {
                    let key_range = property.name.range();
                    (property.name.as_str().to_owned(), key_range.start..key_range.end, json_tree(&property.value))
                })
                .collect(),
        },
        jsonc_parser::ast::Value::Array(array) => {
            Tree::Array { span, elements: array.elements.iter().map(json_tree).collect() }
        }
        _ => Tree::Leaf { span },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_paths_resolve_to_lines() {
        let source = "id = \"x\"\n\n[[indicators]]\nid = \"a\"\n\n[[indicators]]\nid = \"b\"\nweight = -1\n";
        let locator = Locator::toml("f.toml", source);
        let location = locator.locate(&FieldPath::root().key("indicators").index(1).key("weight"));
        assert_eq!((location.line, location.column), (8, 10));
        let key = locator.locate_key(&FieldPath::root().key("indicators").index(1).key("weight"));
        assert_eq!((key.line, key.column), (8, 1));
        assert_eq!(key.path.as_deref(), Some("indicators[1].weight"));
    }

    #[test]
    fn json_paths_resolve_to_lines() {
        let source = "{\n  \"indicators\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"weight\": -1}\n  ]\n}\n";
        let locator = Locator::json("f.json", source);
        let location = locator.locate(&FieldPath::root().key("indicators").index(1).key("weight"));
        assert_eq!((location.line, location.column), (4, 27));
    }

    #[test]
    fn missing_fields_point_at_the_nearest_parent() {
        let source = "[scale]\nmax = 1\n";
        let locator = Locator::toml("f.toml", source);
        let location = locator.locate(&FieldPath::root().key("scale").key("decimals"));
        assert_eq!(location.line, 1);
    }
}
