//! The limits every input is held to, so that a broken or hostile file gets a clear error
//! naming the limit instead of exhausting memory or time. Each is far above what a real
//! indicator set or data set needs (Vietnam's DTI: 31 indicators, 4 levels; a ministry's
//! units: a few thousand; the benchmark: 100,000 units), and each is checked where the
//! input is read, with the file and line named (code `too-large`).

/// The largest data file read (CSV, JSON or Excel), in bytes.
pub const MAX_DATA_BYTES: usize = 1 << 30;

/// The largest indicator file read, in bytes.
pub const MAX_FRAMEWORK_BYTES: usize = 16 << 20;

/// The most nodes and indicators in an indicator file, together.
pub const MAX_NODES: usize = 10_000;

/// The deepest tree: levels below the index.
pub const MAX_DEPTH: u32 = 32;

/// The most units in a data set.
pub const MAX_UNITS: usize = 2_000_000;

/// The most periods in a data set.
pub const MAX_PERIODS: usize = 1_000;

/// The longest id (of a unit, a node, an indicator, a block, a period), in characters.
pub const MAX_ID_CHARS: usize = 200;

/// The longest free text (a name, a title, a note, an evidence link), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The most cells of an Excel sheet read (those with content, and the empty ones between
/// them on their row).
pub const MAX_XLSX_CELLS: usize = 20_000_000;

/// The most an Excel workbook may unpack to, in bytes, as its archive declares (the
/// archive reader refuses a part that unpacks to more than it declares).
pub const MAX_XLSX_UNPACKED_BYTES: u64 = 1 << 30;

/// The longest text of one Excel cell read, in bytes as the workbook stores it (escaped
/// XML): far above [`MAX_TEXT_CHARS`], checked before the workbook reader loads the
/// shared strings whole.
pub const MAX_XLSX_TEXT_BYTES: usize = 1 << 20;

/// The longest line of a CSV data file, in bytes: a wide file of 10,000 indicators with
/// their evidence fits; a file of one endless line (a device, a binary) stops here.
pub const MAX_CSV_LINE_BYTES: usize = 16 << 20;

/// The largest magnitude of a number in an indicator file (a band's bound, a goalpost, a
/// maximum): beyond it sums and scales overflow.
pub const MAX_NUMBER: f64 = 1e12;

/// The most points winsorised per indicator (`treat.winmax`, `--winsorise`).
pub const MAX_WINSORISE_POINTS: u32 = 10_000;

/// The largest weight of a node or indicator: weights are relative, and a larger one only
/// makes sums overflow.
pub const MAX_WEIGHT: f64 = 1e6;

/// The largest magnitude of a normalisation parameter (`minmax:LOW,HIGH`,
/// `zscore:MEAN,SD`), so that scores stay finite.
pub const MAX_PARAMETER_MAGNITUDE: f64 = 1e9;

/// The most runs of an uncertainty or sensitivity analysis (`--points`).
pub const MAX_ANALYSIS_POINTS: usize = 100_000;

/// The most bootstrap resamples of the sensitivity indices (`--bootstrap`).
pub const MAX_BOOTSTRAP: usize = 10_000;

/// The most rank cells an analysis keeps (runs x units): each run's ranks are kept to
/// summarise them, about 400 MB at this bound.
pub const MAX_ANALYSIS_CELLS: usize = 100_000_000;

/// A byte count as people read it: `16 MiB`, `1 GiB`, `512 bytes`.
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, name) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if bytes.is_multiple_of(size) {
                format!("{} {name}", bytes / size)
            } else {
                format!("{value:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// The error text for a file over a size limit.
pub fn file_too_large(what: &str, bytes: u64, limit: u64) -> String {
    format!("the {what} is {}, more than the {} this tool reads", bytes_text(bytes), bytes_text(limit))
}

/// The error text for a stream (a pipe, a device) that goes on past a size limit.
pub fn more_than(what: &str, limit: u64) -> String {
    format!("the {what} is more than the {} this tool reads", bytes_text(limit))
}

/// The error text for `what` (e.g. "the unit name") longer than `limit` characters,
/// quoting its start; `None` when it is not.
pub fn too_long(what: &str, text: &str, limit: usize) -> Option<String> {
    longer_than(text, limit).then(|| {
        let start: String = text.chars().take(40).collect();
        format!("{what} `{start}...` is longer than {limit} characters")
    })
}

/// `text` cut to at most `max_chars` characters, with `...` and how long it was when cut
/// (for messages that quote what a user gave: a cell of 50 MB is not echoed whole).
pub fn shorten(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    if !longer_than(text, max_chars) {
        return std::borrow::Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max_chars).collect();
    std::borrow::Cow::Owned(format!("{kept}... ({} in all)", bytes_text(text.len() as u64)))
}

/// Whether a text is longer than `limit` characters (counted only as far as needed).
pub fn longer_than(text: &str, limit: usize) -> bool {
    text.len() > limit && text.chars().nth(limit).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes_text(512), "512 bytes");
        assert_eq!(bytes_text(16 << 20), "16 MiB");
        assert_eq!(bytes_text(1 << 30), "1 GiB");
        assert_eq!(bytes_text(3 << 29), "1.5 GiB");
        assert_eq!(
            file_too_large("indicator file", 20 << 20, MAX_FRAMEWORK_BYTES as u64),
            "the indicator file is 20 MiB, more than the 16 MiB this tool reads"
        );
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        let vietnamese = "Bộ Tài chính"; // 12 characters, 16 bytes
        assert!(!longer_than(vietnamese, 12));
        assert!(longer_than(vietnamese, 11));
        assert!(!longer_than("", 0));
    }
}
