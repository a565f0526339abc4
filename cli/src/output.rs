//! Writing an evaluation as a table, CSV, JSON, Markdown or Excel.

use crate::Format;
use anyhow::{Context, Result, bail};
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use dti_core::Evaluation;
use dti_core::text::Language;

mod json;
use std::io::Write;
use std::path::Path;

/// Aggregate nodes from the root down (pre-order), as the CSV columns go.
pub fn aggregate_order(evaluation: &Evaluation) -> Vec<usize> {
    let nodes = &evaluation.framework.nodes;
    let mut order = Vec::new();
    let mut stack = vec![evaluation.framework.root()];
    while let Some(node) = stack.pop() {
        if nodes[node].indicator().is_some() {
            continue;
        }
        order.push(node);
        stack.extend(nodes[node].children.iter().rev());
    }
    order
}

/// Units in rank order (unranked last, then by id).
fn ranked_units(evaluation: &Evaluation) -> Vec<usize> {
    let mut units: Vec<usize> = (0..evaluation.n_units()).collect();
    units.sort_by(|&a, &b| {
        let key = |unit: usize| (evaluation.rank[unit].unwrap_or(u32::MAX), evaluation.units[unit].id.as_str());
        key(a).cmp(&key(b))
    });
    units
}

/// A number at full precision (shortest round trip), empty when missing.
fn full(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

pub use dti_core::table::spreadsheet_safe as safe_text;

fn level_id(evaluation: &Evaluation, unit: usize) -> String {
    evaluation.root_level(unit).map(|level| level.id.clone()).unwrap_or_default()
}

/// Writes the evaluation in the chosen format, streaming to the file or standard output.
pub fn write(evaluation: &Evaluation, format: Format, out: Option<&Path>, language: Language) -> Result<()> {
    if format == Format::Xlsx {
        let Some(path) = out else { return crate::inputs::usage("--format xlsx needs --out FILE.xlsx") };
        return xlsx(evaluation, path, language);
    }
    let fill = |sink: &mut dyn Write| -> Result<()> {
        match format {
            Format::Table => sink.write_all(table(evaluation, language, false).as_bytes()).map_err(anyhow::Error::from),
            Format::Md => sink.write_all(table(evaluation, language, true).as_bytes()).map_err(anyhow::Error::from),
            Format::Csv => csv(evaluation, sink),
            Format::Json => json::Document::new(evaluation).write(sink),
            Format::Xlsx => unreachable!("handled above"),
        }
    };
    match out {
        Some(path) => crate::files::write_with(path, fill),
        None => {
            let mut sink = std::io::BufWriter::new(std::io::stdout().lock());
            match fill(&mut sink).and_then(|()| sink.flush().map_err(anyhow::Error::from)) {
                Err(error) if is_broken_pipe(&error) => Ok(()),
                other => other.context("cannot write the results"),
            }
        }
    }
}

/// Writes finished text to the file (whole or not at all, never over an input) or
/// standard output (a closed pipe is not an error).
pub fn emit(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => crate::files::write_atomic(path, text.as_bytes()),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// Whether writing failed because the reader went away (e.g. `dti evaluate | head`).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}

fn csv(evaluation: &Evaluation, sink: &mut dyn Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(sink);
    let aggregates = aggregate_order(evaluation);
    let mut header = vec!["unit".to_owned(), "block".to_owned()];
    header.extend(aggregates.iter().map(|&node| evaluation.framework.nodes[node].id.clone()));
    header.extend(["rank".to_owned(), "level".to_owned()]);
    // Values given but refused (they broke their indicator's rule), when any unit has one.
    let refused = any_refused(evaluation);
    if refused {
        header.push("refused_values".to_owned());
    }
    writer.write_record(&header)?;
    let mut row = Vec::with_capacity(header.len());
    for unit in 0..evaluation.n_units() {
        let info = &evaluation.units[unit];
        row.clear();
        row.push(safe_text(&info.id));
        row.push(safe_text(info.block.as_deref().unwrap_or("")));
        row.extend(aggregates.iter().map(|&node| full(evaluation.score(node, unit))));
        row.push(evaluation.rank[unit].map(|r| r.to_string()).unwrap_or_default());
        row.push(level_id(evaluation, unit));
        if refused {
            row.push(evaluation.refused_values(unit).to_string());
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// Whether any unit has a value that was given but refused.
fn any_refused(evaluation: &Evaluation) -> bool {
    (0..evaluation.n_units()).any(|unit| evaluation.refused_values(unit) > 0)
}

fn table(evaluation: &Evaluation, language: Language, markdown: bool) -> String {
    let framework = &evaluation.framework;
    let decimals = usize::from(framework.scale.decimals);
    let vi = language == Language::Vi;
    let mut table = Table::new();
    table.load_style(if markdown { presets::ASCII_MARKDOWN } else { presets::UTF8_FULL_CONDENSED });
    table.set_content_arrangement(ContentArrangement::Disabled);
    let headers = if vi {
        ["Hạng", "Mã", "Tên", "Khối", "Hạng trong khối", "Điểm", "Mức", "Dữ liệu"]
    } else {
        ["Rank", "Unit", "Name", "Block", "Block rank", "Score", "Level", "Coverage"]
    };
    let refused = any_refused(evaluation);
    let mut headers = headers.to_vec();
    if refused {
        headers.push(if vi { "Giá trị bị từ chối" } else { "Values refused" });
    }
    table.set_header(headers);
    for unit in ranked_units(evaluation) {
        let info = &evaluation.units[unit];
        let block = info
            .block
            .as_deref()
            .and_then(|b| framework.block_index(b))
            .map(|b| framework.blocks[b].name.get(language).to_owned())
            .unwrap_or_default();
        let level = evaluation.root_level(unit).map(|level| level.name.get(language).to_owned()).unwrap_or_default();
        let text = |text: &str| if markdown { crate::list::markdown_cell(text) } else { text.to_owned() };
        table.add_row(vec![
            evaluation.rank[unit].map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
            text(&info.id),
            text(&info.name),
            text(&block),
            evaluation.block_rank[unit].map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
            evaluation.display_score(unit).map(|s| format!("{s:.decimals$}")).unwrap_or_else(|| "-".into()),
            text(&level),
            format!("{:.0}%", evaluation.coverage[unit] * 100.0),
        ]);
        if refused {
            let count = evaluation.refused_values(unit);
            let last = table.row_count() - 1;
            if let Some(row) = table.row_mut(last) {
                row.add_cell(comfy_table::Cell::new(if count > 0 { count.to_string() } else { String::new() }));
            }
        }
    }
    for column in [0, 4, 5, 7] {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let title = framework.title.get(language);
    let scale = framework
        .scale
        .unit
        .as_ref()
        .map(|unit| format!(" ({} / {})", unit.get(language), framework.scale.max))
        .unwrap_or_default();
    let period = if vi { "Kỳ" } else { "Period" };
    let mut text = if markdown {
        format!("## {title}\n\n{period}: {}{scale}\n\n", evaluation.period)
    } else {
        format!("{title}\n{period}: {}{scale}\n", evaluation.period)
    };
    text.push_str(&table.to_string());
    text.push('\n');
    let provenance = &evaluation.provenance;
    text.push_str(&format!(
        "\n{}dti {} · indicator file sha256 {} · data sha256 {}\n",
        if markdown { "> " } else { "" },
        provenance.engine_version,
        short(&provenance.framework_sha256),
        short(&provenance.data_sha256)
    ));
    if !evaluation.screened_out.is_empty() {
        text.push_str(&format!("screened out for too little data: {}\n", evaluation.screened_out.join(", ")));
    }
    text
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// One period's open data in a publication: `csv` (as `--format csv`), `json` (as
/// `--format json`) or `xlsx`.
pub fn open_data(evaluation: &Evaluation, extension: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match extension {
        "csv" => csv(evaluation, &mut bytes)?,
        "json" => json::Document::new(evaluation).write(&mut bytes)?,
        "xlsx" => bytes = workbook(evaluation, Language::Vi)?.save_to_buffer()?,
        other => bail!("no open data format `{other}`"),
    }
    Ok(bytes)
}

fn xlsx(evaluation: &Evaluation, path: &Path, language: Language) -> Result<()> {
    save_workbook(&mut workbook(evaluation, language)?, path)
}

/// Writes a workbook whole or not at all, never over an input.
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    crate::files::write_file_with(path, |file| {
        workbook.save_to_writer(file).with_context(|| format!("cannot write {}", path.display()))
    })
}

fn workbook(evaluation: &Evaluation, language: Language) -> Result<rust_xlsxwriter::Workbook> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    // A fast deflate: files about 13% larger than the default level's, written 40% faster.
    workbook.set_zip_compression_level(3);
    let bold = CellFormat::new().set_bold();
    let framework = &evaluation.framework;
    let aggregates = aggregate_order(evaluation);

    // The large sheets are written row by row to temporary files rather than held in
    // memory: 200,000 units once took 2.5 GB.
    let sheet = workbook.add_worksheet_with_constant_memory()?.set_name("Results")?;
    let mut headers = vec!["unit".to_owned(), "name".to_owned(), "block".to_owned()];
    headers.extend(aggregates.iter().map(|&node| framework.nodes[node].id.clone()));
    headers.extend(["rank".into(), "block_rank".into(), "level".into(), "coverage".into()]);
    let refused = any_refused(evaluation);
    if refused {
        headers.push("refused_values".into());
    }
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &bold)?;
    }
    for (row, unit) in ranked_units(evaluation).into_iter().enumerate() {
        let row = row as u32 + 1;
        let info = &evaluation.units[unit];
        sheet.write_string(row, 0, &info.id)?;
        sheet.write_string(row, 1, &info.name)?;
        sheet.write_string(row, 2, info.block.as_deref().unwrap_or(""))?;
        let mut column = 3u16;
        for &node in &aggregates {
            if let Some(score) = evaluation.score(node, unit) {
                sheet.write_number(row, column, score)?;
            }
            column += 1;
        }
        if let Some(rank) = evaluation.rank[unit] {
            sheet.write_number(row, column, f64::from(rank))?;
        }
        if let Some(rank) = evaluation.block_rank[unit] {
            sheet.write_number(row, column + 1, f64::from(rank))?;
        }
        sheet.write_string(row, column + 2, level_id(evaluation, unit))?;
        sheet.write_number(row, column + 3, evaluation.coverage[unit])?;
        if refused {
            sheet.write_number(row, column + 4, evaluation.refused_values(unit) as f64)?;
        }
    }

    let sheet = workbook.add_worksheet_with_constant_memory()?.set_name("Indicators")?;
    let indicators = framework.indicator_indices();
    sheet.write_string_with_format(0, 0, "unit", &bold)?;
    for (column, &node) in indicators.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16 + 1, &framework.nodes[node].id, &bold)?;
    }
    for unit in 0..evaluation.n_units() {
        let row = unit as u32 + 1;
        sheet.write_string(row, 0, &evaluation.units[unit].id)?;
        for (column, &node) in indicators.iter().enumerate() {
            if let Some(score) = evaluation.score(node, unit) {
                sheet.write_number(row, column as u16 + 1, score)?;
            }
        }
    }

    let sheet = workbook.add_worksheet().set_name("About")?;
    let about = [
        ("indicator set", format!("{} ({})", framework.title.get(language), framework.id)),
        ("version", framework.version.clone()),
        ("period", evaluation.period.clone()),
        ("engine version", evaluation.provenance.engine_version.clone()),
        ("indicator file sha256", evaluation.provenance.framework_sha256.clone()),
        ("data sha256", evaluation.provenance.data_sha256.clone()),
    ];
    for (row, (key, value)) in about.iter().enumerate() {
        sheet.write_string_with_format(row as u32, 0, *key, &bold)?;
        sheet.write_string(row as u32, 1, value)?;
    }
    Ok(workbook)
}
