//! Excel downloads: a CSV table as a workbook of one sheet, numbers as numbers.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook of `csv_text` (a header and rows) in a sheet named `sheet`; a cell of the
/// `value`, `score` or rank columns that reads as a number is written as one.
pub fn from_csv(csv_text: &str, sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv_text.as_bytes());
    let mut numeric = Vec::new();
    for (row, record) in reader.records().filter_map(Result::ok).enumerate() {
        let row = u32::try_from(row).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (column, cell) in record.iter().enumerate() {
            let column = u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)?;
            if row == 0 {
                numeric.push(matches!(cell, "value" | "score" | "rank" | "block_rank" | "refused_values"));
                worksheet.write_string_with_format(row, column, cell, &bold)?;
            } else if numeric.get(usize::from(column)) == Some(&true)
                && let Ok(number) = cell.parse::<f64>()
            {
                worksheet.write_number(row, column, number)?;
            } else {
                worksheet.write_string(row, column, cell)?;
            }
        }
    }
    workbook.save_to_buffer()
}
