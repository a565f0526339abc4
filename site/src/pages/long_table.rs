//! Tables of thousands of rows that still render at once.
//!
//! The first screen of rows goes in the table; the rest follow it in a
//! `<noscript data-rows>` holding a copy of the table (head and remaining rows). Without
//! script that copy is read as the table's continuation. With script the browser keeps a
//! `<noscript>`'s content as plain text, which costs nearly nothing to load, and
//! `site.js` moves its rows into the table while the browser is idle, or at once before
//! the first search, filter or sort.

/// Rows a page shows before the rest are deferred: more than a screen.
pub(crate) const FIRST_ROWS: usize = 60;

/// A table being written into a page: [`LongTable::start`], then
/// [`LongTable::row_written`] after each row, then [`LongTable::finish`].
pub(crate) struct LongTable {
    /// The table's opening tag and head, repeated in the deferred copy.
    head: String,
    rows: usize,
    /// Rows shown before the rest are deferred.
    shown: usize,
    /// Where the first deferred row starts in the page.
    split: Option<usize>,
}

impl LongTable {
    /// Writes `head` (the `<table ...><thead>...</thead>`) and opens the body, which
    /// shows `shown` rows before the rest are deferred (for a page of several tables, what
    /// is left of [`FIRST_ROWS`] after the tables above it).
    pub fn start(html: &mut String, head: String, shown: usize) -> Self {
        html.push_str(&head);
        html.push_str("<tbody>\n");
        let split = (shown == 0).then_some(html.len());
        Self { head, rows: 0, shown, split }
    }

    /// Counts a row just written to `html`.
    pub fn row_written(&mut self, html: &str) {
        self.rows += 1;
        if self.rows == self.shown {
            self.split = Some(html.len());
        }
    }

    /// How many rows are shown at once.
    pub fn shown(&self) -> usize {
        self.rows.min(self.shown)
    }

    /// Closes the table, moving the rows after the first screen into the deferred copy.
    pub fn finish(self, html: &mut String) {
        match self.split {
            Some(split) if self.rows > self.shown => {
                let deferred_start = format!("</tbody></table>\n<noscript data-rows>{}<tbody>\n", self.head);
                html.insert_str(split, &deferred_start);
                html.push_str("</tbody></table></noscript>\n");
            }
            _ => html.push_str("</tbody></table>\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize, shown: usize) -> String {
        let mut html = String::from("<div>");
        let head = "<table class=\"t\"><thead><tr><th>n</th></tr></thead>".into();
        let mut table = LongTable::start(&mut html, head, shown);
        for row in 0..rows {
            html.push_str(&format!("<tr><td>{row}</td></tr>\n"));
            table.row_written(&html);
        }
        table.finish(&mut html);
        html
    }

    #[test]
    fn a_short_table_is_written_whole() {
        let html = table(FIRST_ROWS, FIRST_ROWS);
        assert!(!html.contains("noscript"));
        assert_eq!(html.matches("<tr><td>").count(), FIRST_ROWS);
        assert!(html.ends_with("</tbody></table>\n"));
    }

    #[test]
    fn rows_after_the_first_screen_follow_in_a_deferred_copy_with_the_head() {
        let html = table(FIRST_ROWS + 5, FIRST_ROWS);
        let (shown, deferred) = html.split_once("<noscript data-rows>").unwrap();
        assert_eq!(shown.matches("<tr><td>").count(), FIRST_ROWS);
        assert!(shown.ends_with("</tbody></table>\n"));
        assert!(deferred.starts_with("<table class=\"t\"><thead><tr><th>n</th></tr></thead><tbody>\n"));
        assert_eq!(deferred.matches("<tr><td>").count(), 5);
        assert!(deferred.contains(&format!("<tr><td>{FIRST_ROWS}</td></tr>")));
        assert!(deferred.ends_with("</tbody></table></noscript>\n"));
    }

    #[test]
    fn a_table_below_a_full_screen_defers_every_row() {
        let html = table(3, 0);
        let (shown, deferred) = html.split_once("<noscript data-rows>").unwrap();
        assert!(shown.ends_with("<tbody>\n</tbody></table>\n"));
        assert_eq!(deferred.matches("<tr><td>").count(), 3);
    }
}
