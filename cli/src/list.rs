//! Lists of rows (alerts, explanations, differences) as an aligned table, Markdown or CSV.

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

/// Formats of the listing commands.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Debug)]
pub enum ListFormat {
    /// An aligned table for the terminal.
    Table,
    /// CSV, full precision.
    Csv,
    /// JSON, everything.
    Json,
    /// Markdown.
    Md,
}

/// A titled table.
pub struct List {
    /// Shown above the table (not in CSV).
    pub title: String,
    /// Column names.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// Columns aligned right (numbers).
    pub numeric: Vec<usize>,
    /// Column names for CSV, stable across languages (the headers when empty).
    pub keys: Vec<String>,
}

impl List {
    /// A list with these headers and no rows.
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            numeric: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Sets the CSV column names.
    pub fn with_keys(mut self, keys: &[&str]) -> Self {
        self.keys = keys.iter().map(|key| (*key).to_owned()).collect();
        self
    }

    /// Renders as a table or Markdown (with the title), or CSV (without).
    pub fn render(&self, format: ListFormat) -> Result<String> {
        if format == ListFormat::Csv {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(if self.keys.is_empty() { &self.headers } else { &self.keys })?;
            for row in &self.rows {
                writer.write_record(row.iter().map(|cell| crate::output::safe_text(cell)))?;
            }
            return Ok(String::from_utf8(writer.into_inner()?)?);
        }
        let markdown = format == ListFormat::Md;
        let mut table = Table::new();
        table.load_style(if markdown { presets::ASCII_MARKDOWN } else { presets::UTF8_FULL_CONDENSED });
        table.set_content_arrangement(ContentArrangement::Disabled);
        let cell = |text: &String| if markdown { markdown_cell(text) } else { text.clone() };
        table.set_header(self.headers.iter().map(cell));
        for row in &self.rows {
            table.add_row(row.iter().map(cell));
        }
        for &column in &self.numeric {
            if let Some(column) = table.column_mut(column) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let title = if markdown { format!("## {}\n\n", self.title) } else { format!("{}\n", self.title) };
        Ok(format!("{title}{table}\n"))
    }
}

/// A table cell's text as Markdown reads it: a `|` would end the cell, a line break the
/// row, so they are escaped (and a line break becomes a space).
pub fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_in_a_markdown_cell_does_not_shift_the_columns() {
        assert_eq!(markdown_cell("Sở A | B\nC"), "Sở A \\| B C");
        let mut list = List::new("t", &["name", "score"]);
        list.rows.push(vec!["a|b".into(), "1".into()]);
        let text = list.render(ListFormat::Md).expect("renders");
        let row = text.lines().find(|line| line.contains("a\\|b")).expect("the row");
        assert_eq!(row.replace("\\|", "").matches('|').count(), 3, "two cells between three bars: {row}");
    }
}
