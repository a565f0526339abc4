//! Rows of cells from CSV or Excel, read one at a time, and the plain number in a cell:
//! the table layer, below both the indicator-file reader (COINr iMeta tables) and the
//! data reader. It also undoes what CSV writers escape for spreadsheets.

use crate::diag::{Code, Diagnostic, Location};
use crate::message::{Arg, Message};
use crate::text::to_u32;
use std::io::Read;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A number (Excel numbers, or CSV text that reads as one).
    Number(f64),
    /// Text.
    Text(String),
    /// A boolean (Excel).
    Bool(bool),
}

impl Cell {
    /// The cell as text, for names and ids.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Number(number) => Some(crate::text::format_number(*number)),
            // Ids and names as they are compared: NFC (see `crate::text`).
            Cell::Text(text) => {
                let trimmed = text.trim();
                (!trimmed.is_empty()).then(|| crate::text::nfc(trimmed).into_owned())
            }
            Cell::Bool(value) => Some(value.to_string()),
        }
    }

    /// Whether the cell holds nothing (or only blanks).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with the line (CSV) or row number (Excel) it came from.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line or row number, from 1.
    pub line: u32,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// Something that yields a header row and then data rows.
pub trait RowSource {
    /// The header row, or a diagnostic when there is none.
    fn headers(&mut self) -> Result<Vec<String>, Box<Diagnostic>>;
    /// Reads the next row into `row`, reusing its buffers; `None` at the end.
    fn next_row(&mut self, row: &mut Row) -> Option<Result<(), Box<Diagnostic>>>;
    /// Whether every row holds all its cells, empty ones included (CSV), so that a short
    /// row is a mistake; a sheet's rows end at their last cell with content.
    fn rows_have_every_cell(&self) -> bool {
        false
    }
}

/// Rows of a CSV file, streamed.
pub struct CsvSource<R: Read> {
    file: String,
    reader: csv::Reader<R>,
    record: csv::StringRecord,
}

impl<R: Read> CsvSource<R> {
    /// A CSV source. Strips a UTF-8 byte-order mark; accepts `,` or `;` as separator is
    /// not guessed: the file must use commas.
    pub fn new(file: &str, reader: R) -> Self {
        let reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(reader);
        Self { file: file.to_owned(), reader, record: csv::StringRecord::new() }
    }

    fn error(&self, error: &csv::Error) -> Box<Diagnostic> {
        let line = error.position().map_or(0, |position| to_u32(position.line() as usize));
        if let csv::ErrorKind::Io(io) = error.kind()
            && let Some(limit) = io.get_ref().and_then(|inner| inner.downcast_ref::<LimitExceeded>())
        {
            let location = Location { file: self.file.clone(), line: limit.line, ..Location::default() };
            let message = std::sync::Arc::clone(&limit.message);
            return Box::new(Diagnostic {
                severity: crate::diag::Severity::Error,
                code: Code::TooLarge,
                message,
                location,
                hints: Vec::new(),
            });
        }
        let message = match error.kind() {
            csv::ErrorKind::Utf8 { .. } => Message::NotUtf8 {},
            _ => Message::CsvSyntax { detail: Arg::detail(error.to_string()) },
        };
        Box::new(
            Diagnostic::error(Code::Syntax, message, Location { file: self.file.clone(), line, ..Location::default() })
                .with_hint(Message::HintSaveCsv {}),
        )
    }
}

impl<R: Read> RowSource for CsvSource<R> {
    fn rows_have_every_cell(&self) -> bool {
        true
    }

    fn headers(&mut self) -> Result<Vec<String>, Box<Diagnostic>> {
        let headers = match self.reader.headers() {
            Ok(headers) => headers.clone(),
            Err(error) => return Err(self.error(&error)),
        };
        let mut names: Vec<String> = headers.iter().map(|h| crate::text::nfc(h.trim()).into_owned()).collect();
        if let Some(first) = names.first_mut() {
            *first = first.trim_start_matches('\u{feff}').to_owned();
        }
        if names.iter().all(String::is_empty) {
            let location = Location { file: self.file.clone(), line: 1, ..Location::default() };
            return Err(Box::new(Diagnostic::error(Code::EmptyData, Message::NoHeaderRow {}, location)));
        }
        Ok(names)
    }

    fn next_row(&mut self, row: &mut Row) -> Option<Result<(), Box<Diagnostic>>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Err(error) => Some(Err(self.error(&error))),
            Ok(true) => {
                row.line = self.record.position().map_or(0, |position| to_u32(position.line() as usize));
                row.cells.resize(self.record.len(), Cell::Empty);
                row.cells.truncate(self.record.len());
                for (cell, text) in row.cells.iter_mut().zip(self.record.iter()) {
                    // What a CSV writer escaped for spreadsheets is read back as written.
                    set_text(cell, undo_spreadsheet_safe(text.trim()));
                }
                Some(Ok(()))
            }
        }
    }
}

/// A reader past one of the limits of [`Bounded`].
#[derive(Debug)]
struct LimitExceeded {
    message: std::sync::Arc<crate::message::Message>,
    line: u32,
}

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader that stops with an error past [`crate::limits::MAX_DATA_BYTES`] in all or
/// [`crate::limits::MAX_CSV_LINE_BYTES`] on one line, so that a stream of unknown size
/// (a pipe, a device, a file of one endless line) cannot exhaust memory.
pub struct Bounded<R> {
    inner: R,
    total: u64,
    line_bytes: usize,
    lines: u32,
}

impl<R: Read> Bounded<R> {
    /// Bounds `inner`.
    pub fn new(inner: R) -> Self {
        Self { inner, total: 0, line_bytes: 0, lines: 1 }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        use crate::limits::{MAX_CSV_LINE_BYTES, MAX_DATA_BYTES};
        let read = self.inner.read(buffer)?;
        self.total += read as u64;
        if self.total > MAX_DATA_BYTES as u64 {
            let message = crate::message::Message::more_than(Message::WhatDataFile {}, MAX_DATA_BYTES as u64);
            return Err(std::io::Error::other(LimitExceeded { message: message.into(), line: self.lines }));
        }
        let chunk = &buffer[..read];
        // Only the line that runs on from the last read and the one that runs on to the next
        // can be long; the lines between lie within this read, shorter than it (a read longer
        // than the limit, which no reader here asks for, is walked line by line).
        let mut too_long = false;
        match chunk.iter().position(|&byte| byte == b'\n') {
            None => {
                self.line_bytes += read;
                too_long = self.line_bytes > MAX_CSV_LINE_BYTES;
            }
            Some(first) => {
                if self.line_bytes + first > MAX_CSV_LINE_BYTES {
                    too_long = true;
                } else if read > MAX_CSV_LINE_BYTES {
                    let mut lines = chunk.split(|&byte| byte == b'\n').skip(1).peekable();
                    while let Some(line) = lines.next() {
                        self.lines = self.lines.saturating_add(1);
                        if lines.peek().is_none() {
                            self.line_bytes = line.len();
                            too_long = line.len() > MAX_CSV_LINE_BYTES;
                        } else if line.len() > MAX_CSV_LINE_BYTES {
                            too_long = true;
                            break;
                        }
                    }
                } else {
                    let newlines = chunk.iter().filter(|&&byte| byte == b'\n').count();
                    self.lines = self.lines.saturating_add(crate::text::to_u32(newlines));
                    let last = chunk.iter().rposition(|&byte| byte == b'\n').unwrap_or(first);
                    self.line_bytes = read - last - 1;
                }
            }
        }
        if too_long {
            let message = Message::LineTooLong {
                line: Arg::Count(u64::from(self.lines)),
                limit: Arg::Bytes(MAX_CSV_LINE_BYTES as u64),
            };
            return Err(std::io::Error::other(LimitExceeded { message: message.into(), line: self.lines }));
        }
        Ok(read)
    }
}

/// Sets a cell to text, reusing the cell's string when it has one.
fn set_text(cell: &mut Cell, text: &str) {
    if text.is_empty() {
        *cell = Cell::Empty;
    } else if let Cell::Text(existing) = cell {
        existing.clear();
        existing.push_str(text);
    } else {
        *cell = Cell::Text(text.to_owned());
    }
}

/// Why a value was refused: a code, a message and a hint.
pub(crate) type Rejection = Box<(Code, Message, Message)>;

/// A value's rejection: its code, what is wrong, and how to fix it.
pub(crate) fn reject(code: Code, message: Message, hint: Message) -> Rejection {
    Box::new((code, message, hint))
}

/// Texts that mean "no value".
pub(crate) fn is_missing_text(text: &str) -> bool {
    ["", "na", "n/a", "#n/a", "null", "-"].iter().any(|missing| text.eq_ignore_ascii_case(missing))
}

/// Reads a plain number; refuses NaN and infinities, and accepts a trailing `%`.
pub(crate) fn parse_number(cell: &Cell) -> Result<Option<f64>, Rejection> {
    let number = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(number) => *number,
        Cell::Bool(value) => f64::from(u8::from(*value)),
        Cell::Text(text) => {
            let trimmed = text.trim();
            if is_missing_text(trimmed) {
                return Ok(None);
            }
            let without_percent = trimmed.strip_suffix('%').unwrap_or(trimmed).trim();
            match without_percent.parse::<f64>() {
                Ok(number) => number,
                Err(_) => {
                    return Err(reject(
                        Code::BadValue,
                        Message::NotANumber { value: Arg::given(trimmed) },
                        Message::HintNumberFormat {},
                    ));
                }
            }
        }
    };
    if number.is_finite() {
        return Ok(Some(number));
    }
    let written = match cell {
        Cell::Text(text) => text.trim().to_owned(),
        _ => number.to_string(),
    };
    let looks_like_a_number = written.bytes().any(|byte| byte.is_ascii_digit());
    let (message, hint) = if looks_like_a_number {
        (Message::NumberTooLarge { value: Arg::given(written) }, Message::HintNumberTooLarge {})
    } else {
        (Message::NotFinite { value: Arg::given(written) }, Message::HintNotFinite {})
    };
    Err(reject(Code::BadValue, message, hint))
}

/// The characters that make a spreadsheet take a CSV cell for a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text that a spreadsheet would take for a formula gets a leading apostrophe, and so
/// does text that starts with an apostrophe already, so that [`undo_spreadsheet_safe`]
/// gives back exactly the text (CSV only: a workbook stores text as text).
pub fn spreadsheet_safe(text: &str) -> String {
    let formula = text.starts_with(FORMULA_STARTS) && text.parse::<f64>().is_err();
    if formula || text.starts_with('\'') { format!("'{text}") } else { text.to_owned() }
}

/// What [`spreadsheet_safe`] added, taken away: one leading apostrophe before a formula
/// character or another apostrophe. A CSV reader calls it on every text cell.
pub fn undo_spreadsheet_safe(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// Rows of one Excel sheet.
#[cfg(feature = "xlsx")]
pub struct XlsxSource {
    rows: std::vec::IntoIter<Row>,
    headers: Option<Vec<String>>,
    file: String,
}

#[cfg(feature = "xlsx")]
impl XlsxSource {
    /// Opens the first sheet whose name is in `preferred`, or the first sheet. The cells
    /// are streamed from the sheet's XML, so that a sheet with one cell in A1 and one in
    /// XFD1048576 costs two cells, not a range of 17 billion; see [`crate::limits`].
    pub fn open(file: &str, bytes: &[u8], preferred: &[&str]) -> Result<Self, Box<Diagnostic>> {
        // The workbook reader is another crate's, fed with untrusted bytes: should it panic
        // (in a build with overflow checks it does on a cell reference of 20 digits,
        // found by fuzzing), the file is refused instead of the program stopping.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Self::read(file, bytes, preferred))).unwrap_or_else(
            |_| {
                let location = Location { file: file.to_owned(), ..Location::default() };
                Err(Box::new(
                    Diagnostic::error(Code::Syntax, Message::WorkbookMalformed {}, location)
                        .with_hint(Message::HintSaveWorkbookAgain {}),
                ))
            },
        )
    }

    fn read(file: &str, bytes: &[u8], preferred: &[&str]) -> Result<Self, Box<Diagnostic>> {
        use crate::limits::{MAX_XLSX_CELLS, MAX_XLSX_UNPACKED_BYTES};
        use calamine::{Reader, Xlsx, open_workbook_from_rs};
        let location = || Location { file: file.to_owned(), ..Location::default() };
        let unreadable = |error: String| {
            Box::new(
                Diagnostic::error(Code::Syntax, Message::WorkbookUnreadable { detail: Arg::detail(error) }, location())
                    .with_hint(Message::HintSaveXlsx {}),
            )
        };
        let unpacked = unpacked_size(bytes).map_err(unreadable)?;
        if unpacked > MAX_XLSX_UNPACKED_BYTES {
            let message = crate::message::Message::file_too_large(
                Message::WhatWorkbookUnpacked {},
                unpacked,
                MAX_XLSX_UNPACKED_BYTES,
            );
            return Err(Box::new(Diagnostic::error(Code::TooLarge, message, location())));
        }
        if let Some(part) = part_with_overlong_text(bytes).map_err(unreadable)? {
            let message = Message::WorkbookTextTooLong {
                limit: Arg::Bytes(crate::limits::MAX_XLSX_TEXT_BYTES as u64),
                part: Arg::code(part),
            };
            return Err(Box::new(Diagnostic::error(Code::TooLarge, message, location())));
        }
        let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
            .map_err(|error: calamine::XlsxError| unreadable(error.to_string()))?;
        let names = workbook.sheet_names();
        let sheet = preferred
            .iter()
            .find_map(|wanted| names.iter().find(|name| name.eq_ignore_ascii_case(wanted)))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| Box::new(Diagnostic::error(Code::EmptyData, Message::WorkbookNoSheet {}, location())))?;
        let sheet_error = |error: calamine::XlsxError| {
            let message =
                Message::SheetUnreadable { sheet: Arg::given(sheet.clone()), detail: Arg::detail(error.to_string()) };
            Box::new(Diagnostic::error(Code::Syntax, message, location()))
        };
        let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(sheet_error)?;
        let mut rows: Vec<Row> = Vec::new();
        let mut cells_kept = 0usize;
        while let Some(cell) = reader.next_cell().map_err(sheet_error)? {
            let (row, column) = cell.get_position();
            let value = xlsx_cell(&calamine::Data::from(cell.get_value().clone()));
            if value == Cell::Empty {
                continue;
            }
            let line = row.saturating_add(1);
            if rows.last().is_none_or(|last| last.line != line) {
                rows.push(Row { line, cells: Vec::new() });
            }
            let Some(cells) = rows.last_mut().map(|last| &mut last.cells) else { continue };
            let column = column as usize;
            let added = (column + 1).saturating_sub(cells.len());
            cells_kept += added;
            if cells_kept > MAX_XLSX_CELLS {
                let message =
                    Message::TooManyCells { sheet: Arg::given(sheet.clone()), limit: Arg::count(MAX_XLSX_CELLS) };
                let at = Location { line, ..location() };
                return Err(Box::new(Diagnostic::error(Code::TooLarge, message, at)));
            }
            if column >= cells.len() {
                cells.resize(column + 1, Cell::Empty);
            }
            cells[column] = value;
        }
        // Excel writes rows in order; another writer might not.
        rows.sort_by_key(|row| row.line);
        let mut iter = rows.into_iter();
        let headers = iter.next().map(|row| row.cells.iter().map(|cell| cell.text().unwrap_or_default()).collect());
        Ok(Self { rows: iter, headers, file: format!("{file} [{sheet}]") })
    }
}

/// What a zip archive's central directory declares its parts unpack to, together (the
/// archive reader stops a part that unpacks to more than declared).
#[cfg(feature = "xlsx")]
fn unpacked_size(bytes: &[u8]) -> Result<u64, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|error| error.to_string())?;
        total = total.saturating_add(part.size());
    }
    Ok(total)
}

/// The first part holding cell text (the shared strings, a sheet) with a text longer than
/// [`crate::limits::MAX_XLSX_TEXT_BYTES`], found by streaming the parts before the
/// workbook reader loads them whole: a run of that many bytes without a `<` is such a
/// text (XML escapes with `&`). Returns the part's name.
#[cfg(feature = "xlsx")]
fn part_with_overlong_text(bytes: &[u8]) -> Result<Option<String>, String> {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let mut buffer = vec![0u8; 1 << 16];
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|error| error.to_string())?;
        let name = part.name().map_err(|error| error.to_string())?.into_owned();
        let holds_text = name.eq_ignore_ascii_case("xl/sharedStrings.xml")
            || name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        if !holds_text {
            continue;
        }
        let mut run = 0usize;
        loop {
            let read = part.read(&mut buffer).map_err(|error| error.to_string())?;
            if read == 0 {
                break;
            }
            for &byte in &buffer[..read] {
                run = if byte == b'<' { 0 } else { run + 1 };
                if run > crate::limits::MAX_XLSX_TEXT_BYTES {
                    return Ok(Some(name));
                }
            }
        }
    }
    Ok(None)
}

#[cfg(feature = "xlsx")]
fn xlsx_cell(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(value) => Cell::Number(*value as f64),
        Data::Float(value) => Cell::Number(*value),
        Data::Bool(value) => Cell::Bool(*value),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            if text.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.trim().to_owned())
            }
        }
        Data::DateTime(date) => Cell::Text(excel_date(date.as_f64())),
        Data::Error(error) => Cell::Text(format!("#{error:?}")),
    }
}

/// An Excel serial date as an ISO date (1900 date system).
#[cfg(feature = "xlsx")]
fn excel_date(serial: f64) -> String {
    // Days since 1970-01-01: Excel's day 25569 is 1970-01-01.
    crate::period::Date::from_unix_days(serial.floor() as i64 - 25569).to_string()
}

#[cfg(feature = "xlsx")]
impl RowSource for XlsxSource {
    fn headers(&mut self) -> Result<Vec<String>, Box<Diagnostic>> {
        self.headers.clone().ok_or_else(|| {
            let location = Location { file: self.file.clone(), line: 1, ..Location::default() };
            Box::new(Diagnostic::error(Code::EmptyData, Message::SheetEmpty {}, location))
        })
    }

    fn next_row(&mut self, row: &mut Row) -> Option<Result<(), Box<Diagnostic>>> {
        let next = self.rows.next()?;
        *row = next;
        Some(Ok(()))
    }
}

#[cfg(all(test, feature = "xlsx"))]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates_become_iso_dates() {
        assert_eq!(excel_date(45658.0), "2025-01-01");
        assert_eq!(excel_date(25569.0), "1970-01-01");
    }
}

#[cfg(test)]
mod bounded_tests {
    use super::*;
    use crate::limits::MAX_CSV_LINE_BYTES;

    /// Reads everything through [`Bounded`] in reads of `size` bytes.
    fn read_all(bytes: &[u8], size: usize) -> std::io::Result<(u32, usize)> {
        let mut bounded = Bounded::new(bytes);
        let mut buffer = vec![0; size];
        while bounded.read(&mut buffer)? > 0 {}
        Ok((bounded.lines, bounded.line_bytes))
    }

    #[test]
    fn lines_are_counted_and_bounded_whatever_the_size_of_the_reads() {
        let text = b"unit,a\nA,1\nB,22\nC,333";
        for size in [1, 3, 7, 64] {
            assert_eq!(read_all(text, size).expect("short lines"), (4, 5), "reads of {size}");
        }
        // Short lines in a read longer than the limit, then one line over it.
        let mut many = b"x\n".repeat(MAX_CSV_LINE_BYTES / 2 + 8);
        assert!(read_all(&many, many.len()).is_ok());
        many.extend(std::iter::repeat_n(b'y', MAX_CSV_LINE_BYTES + 1));
        let error = read_all(&many, many.len()).expect_err("a line over the limit");
        assert!(error.to_string().contains("is longer than the 16 MiB"), "{error}");
        let error = read_all(&many, 1 << 16).expect_err("a line over the limit, in small reads");
        assert!(error.to_string().contains(&format!("line {}", MAX_CSV_LINE_BYTES / 2 + 9)), "{error}");
    }
}
