//! A minimal Excel workbook writer: text cells only, stored (uncompressed) in the zip.
//!
//! The browser build must stay small (the target is 1.5 MB of wasm): a full
//! writer such as `rust_xlsxwriter` adds about 550 KB with its compressor, for a file
//! of a few dozen cells. The command line, which has no such limit, uses
//! `rust_xlsxwriter` and reads these files back with calamine; the tests check that.
//! Output is deterministic: the same sheets give the same bytes.

/// One worksheet: its name and rows of text cells; the first row is the header.
pub struct Sheet<'a> {
    /// The tab's name (at most 31 characters, no `[]:*?/\`).
    pub name: &'a str,
    /// Rows of cells, written as text exactly as given.
    pub rows: Vec<Vec<String>>,
}

/// The `.xlsx` bytes of a workbook with these sheets.
pub fn workbook(sheets: &[Sheet<'_>]) -> Vec<u8> {
    let mut zip = StoredZip::default();
    zip.add("[Content_Types].xml", &content_types(sheets.len()));
    zip.add("_rels/.rels", ROOT_RELS);
    zip.add("xl/workbook.xml", &workbook_xml(sheets));
    zip.add("xl/_rels/workbook.xml.rels", &workbook_rels(sheets.len()));
    for (index, sheet) in sheets.iter().enumerate() {
        zip.add(&format!("xl/worksheets/sheet{}.xml", index + 1), &sheet_xml(&sheet.rows));
    }
    zip.finish()
}

const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

fn content_types(n_sheets: usize) -> String {
    let mut xml = format!(
        "{XML_HEADER}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    );
    for number in 1..=n_sheets {
        xml.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{number}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    xml.push_str("</Types>");
    xml
}

fn workbook_xml(sheets: &[Sheet<'_>]) -> String {
    let mut xml = format!("{XML_HEADER}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>");
    for (index, sheet) in sheets.iter().enumerate() {
        let number = index + 1;
        xml.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{number}\" r:id=\"rId{number}\"/>",
            escape(&sheet_name(sheet.name))
        ));
    }
    xml.push_str("</sheets></workbook>");
    xml
}

fn workbook_rels(n_sheets: usize) -> String {
    let mut xml =
        format!("{XML_HEADER}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for number in 1..=n_sheets {
        xml.push_str(&format!(
            "<Relationship Id=\"rId{number}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{number}.xml\"/>"
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// A sheet with a frozen header row and columns as wide as their longest text.
fn sheet_xml(rows: &[Vec<String>]) -> String {
    let mut xml = format!(
        "{XML_HEADER}<worksheet xmlns=\"{MAIN_NS}\"><sheetViews><sheetView workbookViewId=\"0\">\
         <pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
    );
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if n_columns > 0 {
        xml.push_str("<cols>");
        for column in 0..n_columns {
            let longest = rows.iter().filter_map(|row| row.get(column)).map(|text| text.chars().count()).max();
            let width = longest.unwrap_or(8).clamp(8, 60) + 2;
            xml.push_str(&format!("<col min=\"{0}\" max=\"{0}\" width=\"{width}\" customWidth=\"1\"/>", column + 1));
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    for (row_index, row) in rows.iter().enumerate() {
        let number = row_index + 1;
        xml.push_str(&format!("<row r=\"{number}\">"));
        for (column, text) in row.iter().enumerate().filter(|(_, text)| !text.is_empty()) {
            xml.push_str(&format!(
                "<c r=\"{}{number}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                column_name(column),
                escape(text)
            ));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// `A`, `B`, ..., `Z`, `AA`, ... for a zero-based column.
fn column_name(column: usize) -> String {
    let mut number = column + 1;
    let mut name = Vec::new();
    while number > 0 {
        let digit = (number - 1) % 26;
        name.push(b'A' + u8::try_from(digit).unwrap_or(0));
        number = (number - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Excel's rules for a tab name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if cleaned.is_empty() { "Sheet".to_owned() } else { cleaned }
}

/// Escapes XML text and drops the control characters XML 1.0 cannot hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
    out
}

/// A zip archive whose entries are stored without compression (method 0), with a fixed
/// date so that the output is deterministic.
#[derive(Default)]
struct StoredZip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// 1980-01-01 00:00 in MS-DOS format, the earliest date a zip can hold.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Bit 11: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

impl StoredZip {
    fn add(&mut self, name: &str, content: &str) {
        let content = content.as_bytes();
        let crc = crc32(content);
        let size = u32::try_from(content.len()).unwrap_or(u32::MAX);
        let name_length = u16::try_from(name.len()).unwrap_or(u16::MAX);
        let offset = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        let common = |out: &mut Vec<u8>| {
            for half in [20, UTF8_NAMES, 0, 0, DOS_DATE] {
                out.extend_from_slice(&u16::to_le_bytes(half));
            }
            for word in [crc, size, size] {
                out.extend_from_slice(&word.to_le_bytes());
            }
            out.extend_from_slice(&name_length.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        self.bytes.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.bytes);
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(content);

        self.central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut self.central);
        // Comment length, disk, internal and external attributes, then the offset.
        self.central.extend_from_slice(&[0; 10]);
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let central_offset = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        let central_size = u32::try_from(self.central.len()).unwrap_or(u32::MAX);
        self.bytes.append(&mut self.central);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for half in [0, 0, self.entries, self.entries] {
            self.bytes.extend_from_slice(&half.to_le_bytes());
        }
        self.bytes.extend_from_slice(&central_size.to_le_bytes());
        self.bytes.extend_from_slice(&central_offset.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes());
        self.bytes
    }
}

/// CRC-32 (IEEE) as zip needs it, one byte at a time: a 1 KB table instead of the 16 KB
/// of a faster crate, since the browser build is counted by the byte.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut index = 0;
        while index < 256 {
            let mut crc = index as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 { 0xEDB8_8320 ^ (crc >> 1) } else { crc >> 1 };
                bit += 1;
            }
            table[index] = crc;
            index += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |crc, &byte| TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_checksum_is_the_standard_crc32() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32("Bộ".as_bytes()), 0x369B_A9AE);
    }

    #[test]
    fn columns_are_named_like_excel() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].map(column_name).into();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn a_workbook_reads_back_cell_for_cell_with_escapes_and_vietnamese() {
        let rows = vec![
            vec!["unit".to_owned(), "name".to_owned(), "note".to_owned()],
            vec!["B01".to_owned(), "Bộ Tài chính & <Kho bạc>".to_owned(), "\"=1+1\"\nline\u{1}".to_owned()],
            vec!["B02".to_owned(), String::new(), "x".to_owned()],
        ];
        let sheets = [Sheet { name: "submission", rows }, Sheet { name: "a/b:c", rows: vec![] }];
        let bytes = workbook(&sheets);
        assert_eq!(bytes, workbook(&sheets), "deterministic");
        let (rows, names) = read_back(&bytes, "submission");
        assert_eq!(names, ["submission", "abc"]);
        assert_eq!(rows[1], ["B01", "Bộ Tài chính & <Kho bạc>", "\"=1+1\"\nline"]);
        assert_eq!(rows[2], ["B02", "", "x"]);
    }

    fn read_back(bytes: &[u8], sheet: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid xlsx");
        let names = workbook.sheet_names();
        let range = workbook.worksheet_range(sheet).expect("the sheet");
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::String(text) => text.clone(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        (rows, names)
    }
}
