//! `dti template`: a blank submission file for units to fill in, one row per indicator
//! that applies to the block. The Excel one has drop-down lists for yes/no and levels,
//! range checks for percents and counts, and a prompt per cell; both read back with
//! `dti evaluate` and `dti merge` as they are.

use anyhow::{Result, bail};
use dti_core::framework::validate::format_number;
use dti_core::framework::{Framework, Node, ValueType};
use dti_core::text::Language;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format as CellFormat, Workbook};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dti template`.
#[derive(clap::Args)]
pub struct Args {
    /// The indicator file; the built-in set when absent.
    #[arg(long)]
    framework: Option<PathBuf>,
    /// A built-in indicator set (see `dti builtins`).
    #[arg(long, conflicts_with = "framework")]
    builtin: Option<String>,
    /// xlsx (drop-down lists and checks) or csv.
    #[arg(long, value_enum, default_value_t = TemplateFormat::Xlsx)]
    format: TemplateFormat,
    /// Only the indicators that apply to this block, which is filled in.
    #[arg(long)]
    block: Option<String>,
    /// Fill in the unit's id.
    #[arg(long)]
    unit: Option<String>,
    /// Fill in the unit's name.
    #[arg(long)]
    name: Option<String>,
    /// Fill in the period.
    #[arg(long)]
    period: Option<String>,
    /// The file to write (standard output for csv when absent).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of names and guidance: vi or en.
    #[arg(long, default_value = "vi")]
    lang: Language,
}

/// Formats of a template.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum TemplateFormat {
    /// An Excel workbook with checks.
    Xlsx,
    /// A CSV table.
    Csv,
}

const COLUMNS: [&str; 11] = [
    "unit",
    "name",
    "block",
    "period",
    "indicator",
    "indicator_name",
    "value",
    "evidence",
    "evidence_date",
    "note",
    "guidance",
];
const VALUE: u16 = 6;
const EVIDENCE_DATE: u16 = 8;

pub fn run(args: Args) -> Result<ExitCode> {
    let Some((framework, _)) = crate::inputs::framework(args.framework.as_deref(), args.builtin.as_deref())? else {
        return Ok(ExitCode::FAILURE);
    };
    let block = match &args.block {
        None => None,
        Some(block) => match framework.block_index(block) {
            Some(index) => Some(index),
            None => {
                let known: Vec<&str> = framework.blocks.iter().map(|b| b.id.as_str()).collect();
                bail!("no block `{block}` in {} (blocks: {})", framework.id, known.join(", "));
            }
        },
    };
    let indicators: Vec<&Node> = framework
        .nodes
        .iter()
        .filter(|node| node.indicator().is_some_and(|indicator| block.is_none() || indicator.applies_to_block(block)))
        .collect();
    let row = |node: &Node| -> Vec<String> {
        vec![
            args.unit.clone().unwrap_or_default(),
            args.name.clone().unwrap_or_default(),
            args.block.clone().unwrap_or_default(),
            args.period.clone().unwrap_or_default(),
            node.id.clone(),
            node.name.get(args.lang).to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            guidance(node, args.lang),
        ]
    };
    match args.format {
        TemplateFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(COLUMNS)?;
            for node in &indicators {
                writer.write_record(row(node).iter().map(|cell| crate::output::safe_text(cell)))?;
            }
            let text = String::from_utf8(writer.into_inner()?)?;
            crate::output::emit(&format!("\u{feff}{text}"), args.out.as_deref())?;
        }
        TemplateFormat::Xlsx => {
            let Some(path) = &args.out else { return crate::inputs::usage("--format xlsx needs --out FILE.xlsx") };
            let rows: Vec<Vec<String>> = indicators.iter().map(|node| row(node)).collect();
            crate::output::save_workbook(&mut workbook(&framework, &indicators, &rows, args.lang)?, path)?;
            eprintln!("{}: {} indicators to fill in", path.display(), indicators.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a person should type for an indicator, in words.
fn guidance(node: &Node, language: Language) -> String {
    let vi = language == Language::Vi;
    let Some(indicator) = node.indicator() else { return String::new() };
    let mut text = match &indicator.value_type {
        ValueType::Percent => if vi { "Tỷ lệ %, từ 0 đến 100" } else { "A percentage, 0 to 100" }.to_owned(),
        ValueType::Boolean => if vi { "có hoặc không" } else { "yes or no" }.to_owned(),
        ValueType::Count { max } => match max {
            Some(max) => {
                format!("{} {}", if vi { "Số nguyên, từ 0 đến" } else { "A whole number, 0 to" }, format_number(*max))
            }
            None => if vi { "Số nguyên, từ 0" } else { "A whole number, 0 or more" }.to_owned(),
        },
        ValueType::Ordinal { labels } => {
            let names: Vec<String> = labels
                .iter()
                .map(|label| format!("{} = {}", format_number(label.value), label.name.get(language)))
                .collect();
            format!("{}: {}", if vi { "Một mức" } else { "One level" }, names.join("; "))
        }
        ValueType::Checklist { items } => {
            let ids: Vec<String> =
                items.iter().map(|item| format!("{} ({})", item.id, item.name.get(language))).collect();
            format!(
                "{}: {}",
                if vi { "Các mục đã đạt, cách nhau bởi ;" } else { "Items done, separated by ;" },
                ids.join(", ")
            )
        }
        other => {
            let (low, high) = other.bounds();
            let bound = |value: Option<f64>| value.map_or_else(|| "…".to_owned(), format_number);
            format!("{} {} – {}", if vi { "Một số" } else { "A number" }, bound(low), bound(high))
        }
    };
    if let Some(unit) = &indicator.unit {
        text.push_str(&format!(" ({})", unit.get(language)));
    }
    if indicator.evidence == dti_core::framework::Evidence::Required {
        text.push_str(if vi { ". Bắt buộc có minh chứng." } else { ". Evidence required." });
    }
    if indicator.info_only {
        text.push_str(if vi { " Chỉ thu thập, không tính điểm." } else { " Collected only, no points." });
    }
    text
}

fn workbook(framework: &Framework, indicators: &[&Node], rows: &[Vec<String>], language: Language) -> Result<Workbook> {
    let vi = language == Language::Vi;
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold().set_background_color("#DDEBF7");
    let locked = CellFormat::new().set_font_color("#555555");
    let sheet = workbook.add_worksheet().set_name("submission")?;
    for (column, header) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &bold)?;
    }
    for (index, (node, row)) in indicators.iter().zip(rows).enumerate() {
        let line = index as u32 + 1;
        for (column, text) in row.iter().enumerate() {
            if !text.is_empty() {
                let format = if column == 4 || column == 5 || column == 10 { &locked } else { &CellFormat::new() };
                sheet.write_string_with_format(line, column as u16, text, format)?;
            }
        }
        if let Some(validation) = value_check(node, language)? {
            sheet.add_data_validation(line, VALUE, line, VALUE, &validation)?;
        }
    }
    let last = indicators.len() as u32;
    if last > 0 {
        let date = DataValidation::new()
            .allow_text_length(DataValidationRule::EqualTo(10))
            .set_input_message(if vi {
                "Ngày của minh chứng: YYYY-MM-DD"
            } else {
                "Date of the evidence: YYYY-MM-DD"
            })?
            .set_error_message(if vi {
                "Viết ngày theo dạng YYYY-MM-DD, ví dụ 2025-03-31"
            } else {
                "Write the date as YYYY-MM-DD, e.g. 2025-03-31"
            })?;
        sheet.add_data_validation(1, EVIDENCE_DATE, last, EVIDENCE_DATE, &date)?;
    }
    for (column, width) in
        [(0, 12), (1, 28), (2, 22), (3, 10), (4, 26), (5, 50), (6, 16), (7, 36), (8, 14), (9, 30), (10, 60)]
    {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let about = workbook.add_worksheet().set_name("about")?;
    let lines = [
        ("framework", framework.id.clone()),
        ("framework_version", framework.version.clone()),
        ("title", framework.title.get(language).to_owned()),
        (
            "how",
            if vi {
                "Điền mã đơn vị, tên, kỳ và giá trị ở trang submission; không đổi tên các cột. Nộp tệp này hoặc gộp bằng `dti merge`."
            } else {
                "Fill in the unit's id, name, period and the values on the submission sheet; keep the column names. Submit this file, or combine files with `dti merge`."
            }
            .to_owned(),
        ),
    ];
    for (row, (key, value)) in lines.iter().enumerate() {
        about.write_string_with_format(row as u32, 0, *key, &bold)?;
        about.write_string(row as u32, 1, value)?;
    }
    about.set_column_width(0, 20)?;
    about.set_column_width(1, 100)?;
    Ok(workbook)
}

/// The check of a value cell: a drop-down list or a range, with a prompt.
fn value_check(node: &Node, language: Language) -> Result<Option<DataValidation>> {
    let vi = language == Language::Vi;
    let Some(indicator) = node.indicator() else { return Ok(None) };
    let validation = match &indicator.value_type {
        ValueType::Percent => {
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)).set_error_message(
                if vi { "Tỷ lệ phải từ 0 đến 100" } else { "A percentage must be from 0 to 100" },
            )?
        }
        ValueType::Boolean => {
            let choices: &[&str] = if vi { &["có", "không"] } else { &["yes", "no"] };
            DataValidation::new().allow_list_strings(choices)?
        }
        ValueType::Ordinal { labels } => {
            let names: Vec<String> = labels.iter().map(|label| label.name.get(language).replace(',', " ")).collect();
            if names.iter().map(|name| name.chars().count() + 1).sum::<usize>() > 250 {
                return Ok(None);
            }
            DataValidation::new().allow_list_strings(&names)?
        }
        ValueType::Count { max } => {
            let high = max.map_or(i32::MAX, |max| max.min(f64::from(i32::MAX)) as i32);
            DataValidation::new().allow_whole_number(DataValidationRule::Between(0, high)).set_error_message(if vi {
                "Một số nguyên không âm"
            } else {
                "A whole number, 0 or more"
            })?
        }
        ValueType::Number { .. } => {
            let (low, high) = indicator.value_type.bounds();
            match (low, high) {
                (Some(low), Some(high)) => {
                    DataValidation::new().allow_decimal_number(DataValidationRule::Between(low, high))
                }
                (Some(low), None) => {
                    DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(low))
                }
                (None, Some(high)) => {
                    DataValidation::new().allow_decimal_number(DataValidationRule::LessThanOrEqualTo(high))
                }
                (None, None) => DataValidation::new().allow_any_value(),
            }
        }
        ValueType::Checklist { .. } => DataValidation::new().allow_any_value(),
    };
    let prompt: String = node.name.get(language).chars().take(250).collect();
    Ok(Some(validation.set_input_message(prompt)?))
}
