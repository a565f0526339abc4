//! What the page shows, computed from the engine's results: pure functions, tested natively.

use dti_core::assessment::{Assessment, Entry, NextStep, Submission, assess, next_steps};
use dti_core::framework::{Framework, NodeKind};
use dti_core::{Diagnostic, load_framework};
use std::rc::Rc;

use crate::state::FrameworkChoice;
use crate::xlsx::{self, Sheet};

/// Shared data compared by identity: what one computation produced stays equal to
/// itself, so components re-render only when it is recomputed.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    /// Shares a value.
    pub fn new(value: T) -> Self {
        Self(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// An indicator file, loaded and checked.
#[derive(Debug, Clone)]
pub struct LoadedSet {
    /// The checked framework, when the file is valid.
    pub framework: Option<Shared<Framework>>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The file's name.
    pub file_name: String,
}

impl PartialEq for LoadedSet {
    fn eq(&self, other: &Self) -> bool {
        self.sha256 == other.sha256 && self.file_name == other.file_name
    }
}

/// Loads a draft's indicator file.
pub fn load_set(choice: &FrameworkChoice) -> LoadedSet {
    let (name, text): (String, &str) = match choice {
        FrameworkChoice::Builtin(id) => match dti_core::builtin::builtin(id) {
            Some(set) => (set.file_name.to_owned(), set.framework),
            None => (format!("{id}.toml"), ""),
        },
        FrameworkChoice::File { name, text } => (name.clone(), text.as_str()),
    };
    let loaded = load_framework(&name, text.as_bytes());
    LoadedSet {
        framework: loaded.framework.map(Shared::new),
        diagnostics: loaded.diagnostics,
        sha256: loaded.sha256,
        file_name: name,
    }
}

/// One pillar's result.
#[derive(Debug, Clone, PartialEq)]
pub struct PillarResult {
    /// The node's index.
    pub node: usize,
    /// Its score (0 when not evaluated).
    pub points: f64,
    /// Its maximum.
    pub max: f64,
}

impl PillarResult {
    /// Points over the maximum, from 0 to 1.
    pub fn share(&self) -> f64 {
        if self.max > 0.0 { (self.points / self.max).clamp(0.0, 1.0) } else { 0.0 }
    }
}

/// Everything the results panel shows.
#[derive(Debug, Clone)]
pub struct Results {
    /// The assessment (evaluation, problems per field, completeness).
    pub assessment: Assessment,
    /// The index as displayed, and its maximum.
    pub score: Option<f64>,
    /// The scale's maximum.
    pub max: f64,
    /// The root's maturity level name (vi, en), when reached.
    pub level: Option<dti_core::framework::Text>,
    /// The root's children.
    pub pillars: Vec<PillarResult>,
    /// What to improve next.
    pub next_steps: Vec<NextStep>,
}

/// Computes the results of a submission.
pub fn results(framework: &Framework, submission: &Submission) -> Results {
    let assessment = assess(framework, submission);
    let evaluation = assessment.evaluation.as_ref();
    let root = framework.root();
    let pillars = framework.nodes[root]
        .children
        .iter()
        .filter(|&&child| framework.nodes[child].scores())
        .map(|&node| PillarResult {
            node,
            points: evaluation.and_then(|evaluation| evaluation.score(node, 0)).unwrap_or(0.0),
            max: framework.nodes[node].range.map_or(0.0, |range| range.high),
        })
        .collect();
    Results {
        score: evaluation.and_then(|evaluation| evaluation.display_score(0)),
        max: framework.scale.max,
        level: evaluation.and_then(|evaluation| evaluation.root_level(0)).map(|level| level.name.clone()),
        pillars,
        next_steps: next_steps(framework, submission, &assessment, 5),
        assessment,
    }
}

/// The indicators under a node, depth first, in file order.
pub fn indicators_under(framework: &Framework, node: usize) -> Vec<usize> {
    match framework.nodes[node].kind {
        NodeKind::Indicator(_) => vec![node],
        NodeKind::Aggregate { .. } => {
            framework.nodes[node].children.iter().flat_map(|&child| indicators_under(framework, child)).collect()
        }
    }
}

/// The corners of a radar chart: one axis per share (0 to 1), the first pointing up,
/// as SVG polygon points around `(center, center)` with the given radius.
pub fn radar_points(shares: &[f64], center: f64, radius: f64) -> String {
    let n = shares.len().max(1) as f64;
    shares
        .iter()
        .enumerate()
        .map(|(index, share)| {
            let angle = std::f64::consts::TAU * index as f64 / n - std::f64::consts::FRAC_PI_2;
            let r = radius * share.clamp(0.0, 1.0);
            format!("{:.1},{:.1}", center + r * angle.cos(), center + r * angle.sin())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Formats a number with a fixed number of decimals, without a minus sign on zero.
pub fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { text.replace('-', "") } else { text }
}

/// The columns of an exported submission: one row per indicator, a long table the `dti`
/// command line reads.
const SUBMISSION_COLUMNS: [&str; 9] =
    ["unit", "name", "block", "period", "indicator", "value", "evidence", "evidence_date", "note"];

/// A submission as rows under [`SUBMISSION_COLUMNS`], checklist items joined by `;`.
fn submission_rows(submission: &Submission) -> Vec<[String; 9]> {
    submission
        .values
        .iter()
        .map(|(indicator, entry)| {
            let value = if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
            [
                submission.unit_id.clone(),
                submission.unit_name.clone(),
                submission.block.clone().unwrap_or_default(),
                submission.period.clone(),
                indicator.clone(),
                value,
                entry.evidence.clone(),
                entry.evidence_date.clone(),
                entry.note.clone(),
            ]
        })
        .collect()
}

/// A value as a person reads it in a language: yes/no as "Có"/"Không", a level by its
/// label, checklist items by their labels, a number the language's way (with % for a
/// percentage); anything else as typed.
pub fn readable_value(framework: &Framework, node: usize, entry: &Entry, language: dti_core::text::Language) -> String {
    use dti_core::framework::ValueType;
    let Some(indicator) = framework.nodes[node].indicator() else { return entry.value.clone() };
    let value = entry.value.trim();
    let vi = language == dti_core::text::Language::Vi;
    match &indicator.value_type {
        ValueType::Boolean => match value {
            "1" => (if vi { "Có" } else { "Yes" }).to_owned(),
            "0" => (if vi { "Không" } else { "No" }).to_owned(),
            other => other.to_owned(),
        },
        ValueType::Ordinal { labels } => {
            value.parse::<f64>().ok().and_then(|number| labels.iter().find(|label| label.value == number)).map_or_else(
                || value.to_owned(),
                |label| format!("{} · {}", shown_value(language, value), label.name.get(language)),
            )
        }
        ValueType::Checklist { items } => entry
            .items
            .iter()
            .map(|id| items.iter().find(|item| &item.id == id).map_or(id.as_str(), |item| item.name.get(language)))
            .collect::<Vec<_>>()
            .join(", "),
        ValueType::Percent if !value.is_empty() && value.parse::<f64>().is_ok() => {
            format!("{}%", shown_value(language, value))
        }
        _ => shown_value(language, value),
    }
}

/// What is wrong with a value's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceProblem {
    /// The indicator file requires evidence and a value is given without it.
    Missing,
    /// The evidence given is not a web address.
    NotUrl,
}

/// The problem with an entry's evidence, if any: required evidence missing for a value
/// given (a "yes" included), or a link that is not a web address.
pub fn evidence_problem(indicator: &dti_core::framework::Indicator, entry: &Entry) -> Option<EvidenceProblem> {
    let evidence = entry.evidence.trim();
    let has_value = !entry.value.trim().is_empty() || !entry.items.is_empty();
    if evidence.is_empty() {
        let required = indicator.evidence == dti_core::framework::Evidence::Required;
        return (required && has_value).then_some(EvidenceProblem::Missing);
    }
    let lower = evidence.to_ascii_lowercase();
    let web = ["https://", "http://"].iter().find_map(|scheme| lower.strip_prefix(scheme));
    match web {
        Some(rest) if rest.contains('.') && !rest.starts_with(['/', '.']) && !rest.contains(char::is_whitespace) => {
            None
        }
        _ => Some(EvidenceProblem::NotUrl),
    }
}

/// A number as the language writes it, when the text is one in the file's way (`72.5`
/// is `72,5` on a Vietnamese page); any other text as it is.
pub fn shown_value(language: dti_core::text::Language, value: &str) -> String {
    match value.trim().parse::<f64>() {
        Ok(number) if number.is_finite() && !value.contains(['e', 'E']) => language.number(number),
        _ => value.to_owned(),
    }
}

/// A number written with fixed decimals (`101.0000`) as the language writes it
/// (`101,0000`): the digits stay, the decimal separator is the language's.
pub fn shown_fixed(language: dti_core::text::Language, fixed: &str) -> String {
    language.decimal(fixed)
}

/// A date in the file's way (`2025-03-31`) as the language writes it (`31/03/2025`);
/// anything else as it is.
pub fn shown_date(language: dti_core::text::Language, stored: &str) -> String {
    stored.parse::<dti_core::period::Date>().map_or_else(|_| stored.to_owned(), |date| language.date(date))
}

/// A date typed the language's way, in the file's way; anything else as typed.
pub fn stored_date(language: dti_core::text::Language, typed: &str) -> String {
    language.parse_date(typed).map_or_else(|| typed.trim().to_owned(), |date| date.to_string())
}

/// What a person typed, in the file's way when it is a number in the language's way
/// (`72,5` on a Vietnamese page is `72.5`); any other text as typed (the engine refuses
/// it at its field, and nothing typed is lost).
pub fn stored_value(language: dti_core::text::Language, typed: &str) -> String {
    match language.parse_number(typed) {
        Some(number) => dti_core::text::format_number(number),
        None => typed.trim().to_owned(),
    }
}

/// A workbook's first table (the sheet `submission`, `data` or the first) as CSV, every
/// cell as the text it shows (the Excel reader is in the ministry build only).
#[cfg(feature = "ministry")]
pub fn workbook_csv(name: &str, bytes: &[u8]) -> Result<String, String> {
    use dti_core::table::{Cell, Row, RowSource, XlsxSource};
    let mut source = XlsxSource::open(name, bytes, &["submission", "data", "iData"])
        .map_err(|problem| problem.message.render(dti_core::text::Language::Vi, &dti_core::message::NoNames))?;
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let headers = source.headers().map_err(|problem| problem.message.to_string())?;
    let mut out = headers.iter().map(|header| quote(header)).collect::<Vec<_>>().join(",");
    out.push('\n');
    let mut row = Row { line: 0, cells: Vec::new() };
    while let Some(result) = source.next_row(&mut row) {
        result.map_err(|problem| problem.message.to_string())?;
        let cells: Vec<String> = (0..headers.len())
            .map(|index| match row.cells.get(index) {
                Some(Cell::Text(text)) => quote(text),
                Some(Cell::Number(number)) => quote(&dti_core::text::format_number(*number)),
                Some(Cell::Bool(value)) => quote(if *value { "1" } else { "0" }),
                _ => quote(""),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// A submission as a long CSV table (with a BOM, so that Excel opens the Vietnamese text
/// correctly). With the indicator file, two columns for people follow, which the readers
/// pass over: `indicator_name` and `value_text`, in the page's language ("Có"/"Không",
/// levels and checklist items by their labels).
pub fn submission_csv(
    submission: &Submission,
    framework: Option<&Framework>,
    language: dti_core::text::Language,
) -> String {
    let quote = |text: &String| {
        // Neutralise spreadsheet formulas, and quote every field.
        let text = dti_core::table::spreadsheet_safe(text);
        format!("\"{}\"", text.replace('"', "\"\""))
    };
    let mut out = format!("\u{feff}{}", SUBMISSION_COLUMNS.join(","));
    if framework.is_some() {
        out.push_str(",indicator_name,value_text");
    }
    out.push('\n');
    for row in submission_rows(submission) {
        out.push_str(&row.iter().map(quote).collect::<Vec<_>>().join(","));
        if let Some(framework) = framework {
            let node = framework.node_index(&row[4]);
            let name = node.map_or_else(String::new, |node| framework.nodes[node].name.get(language).to_owned());
            let entry = submission.values.get(&row[4]).cloned().unwrap_or_default();
            let text = node.map_or_else(String::new, |node| readable_value(framework, node, &entry, language));
            out.push(',');
            out.push_str(&quote(&name));
            out.push(',');
            out.push_str(&quote(&text));
        }
        out.push('\n');
    }
    out
}

/// A submission as an Excel workbook: the sheet `submission` holds the same long table
/// as the CSV (text cells, exactly as typed), the sheet `about` the indicator file it
/// was made against and when it was exported.
pub fn submission_xlsx(
    submission: &Submission,
    framework: Option<&Framework>,
    language: dti_core::text::Language,
) -> Vec<u8> {
    let mut rows = vec![SUBMISSION_COLUMNS.map(str::to_owned).to_vec()];
    rows.extend(submission_rows(submission).into_iter().map(Vec::from));
    // For people: the same values in the page's language, by name, after the sheet the
    // tools read (which stays first).
    let vi = language == dti_core::text::Language::Vi;
    let headers = if vi {
        ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị", "Liên kết minh chứng", "Ngày minh chứng", "Ghi chú"]
    } else {
        ["Indicator id", "Indicator", "Value", "Evidence link", "Evidence date", "Note"]
    };
    let mut readable = vec![headers.map(str::to_owned).to_vec()];
    if let Some(framework) = framework {
        for node in framework.indicator_indices() {
            let Some(entry) = submission.values.get(&framework.nodes[node].id) else { continue };
            let date = entry
                .evidence_date
                .parse::<dti_core::period::Date>()
                .map_or_else(|_| entry.evidence_date.clone(), |date| language.date(date));
            readable.push(vec![
                framework.nodes[node].id.clone(),
                framework.nodes[node].name.get(language).to_owned(),
                readable_value(framework, node, entry, language),
                entry.evidence.clone(),
                date,
                entry.note.clone(),
            ]);
        }
    }
    let readable_name = if vi { "Bản nộp" } else { "Submission (readable)" };
    let about = [
        ("format", submission.format.clone()),
        ("framework", submission.framework.id.clone()),
        ("framework_version", submission.framework.version.clone()),
        ("framework_sha256", submission.framework.sha256.clone()),
        ("exported_at", submission.exported_at.clone().unwrap_or_default()),
    ];
    let mut about_rows = vec![vec!["key".to_owned(), "value".to_owned()]];
    about_rows.extend(about.into_iter().map(|(key, value)| vec![key.to_owned(), value]));
    xlsx::workbook(&[
        Sheet { name: "submission", rows },
        Sheet { name: readable_name, rows: readable },
        Sheet { name: "about", rows: about_rows },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_radar_of_full_shares_touches_the_radius_and_starts_at_the_top() {
        let points = radar_points(&[1.0, 1.0, 1.0, 1.0], 100.0, 50.0);
        assert_eq!(points, "100.0,50.0 150.0,100.0 100.0,150.0 50.0,100.0");
        assert_eq!(radar_points(&[0.0, 2.0], 10.0, 10.0), "10.0,10.0 10.0,20.0");
    }

    #[test]
    fn the_built_in_set_loads_and_an_empty_submission_scores_zero() {
        let set = load_set(&FrameworkChoice::default());
        let framework = set.framework.expect("valid");
        let results = results(&framework, &Submission::default());
        assert_eq!(results.score.unwrap_or(0.0), 0.0);
        assert_eq!(results.pillars.len(), 6);
        assert_eq!(results.pillars.iter().map(|pillar| pillar.max).sum::<f64>(), 1000.0);
        assert_eq!(results.next_steps.len(), 5);
    }

    #[test]
    fn a_broken_file_gives_diagnostics_with_lines() {
        let set = load_set(&FrameworkChoice::File {
            name: "bad.toml".into(),
            text: "id = \"x\"\n[[indicators]]\nid = 3\n".into(),
        });
        assert!(set.framework.is_none());
        assert!(set.diagnostics.iter().any(|diagnostic| diagnostic.location.line > 0));
    }

    #[test]
    fn the_csv_export_quotes_fields_and_neutralises_formulas() {
        let mut submission = Submission { unit_id: "S1".into(), period: "2026".into(), ..Submission::default() };
        submission
            .values
            .insert("a".into(), Entry { value: "12".into(), note: "=HYPERLINK(\"x\")".into(), ..Entry::default() });
        submission.values.insert("b".into(), Entry { items: vec!["x".into(), "y".into()], ..Entry::default() });
        let csv = submission_csv(&submission, None, dti_core::text::Language::Vi);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "\"S1\",\"\",\"\",\"2026\",\"a\",\"12\",\"\",\"\",\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(lines[2], "\"S1\",\"\",\"\",\"2026\",\"b\",\"x;y\",\"\",\"\",\"\"");
    }

    #[test]
    fn the_excel_export_reads_back_into_the_same_data_as_the_csv_export() {
        let text = include_str!("../../tests/e2e/fixtures/submission.json");
        let submission = Submission::from_json("submission.json", text).expect("the fixture is valid");
        let set = load_set(&FrameworkChoice::Builtin(submission.framework.id.clone()));
        let framework = set.framework.expect("valid");
        let csv = submission_csv(&submission, Some(&framework), dti_core::text::Language::Vi);
        assert!(csv.lines().next().is_some_and(|header| header.ends_with(",indicator_name,value_text")));
        assert!(csv.contains("\"Có\"") || csv.contains("\"Không\""), "yes/no for people: {csv}");
        let from_csv = dti_core::load_data("s.csv", csv.as_bytes(), &framework);
        assert!(from_csv.diagnostics.is_empty(), "the columns for people are passed over: {:?}", from_csv.diagnostics);
        let workbook = submission_xlsx(&submission, Some(&framework), dti_core::text::Language::Vi);
        let from_xlsx = dti_core::load_data("s.xlsx", &workbook, &framework);
        // The second sheet, for people: names and "Có"/"Không" in the page's language.
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(workbook.clone())).expect("opens");
        assert_eq!(book.sheet_names(), ["submission", "Bản nộp", "about"]);
        let readable = book.worksheet_range("Bản nộp").expect("the readable sheet");
        let cells: Vec<String> = readable.rows().flat_map(|row| row.iter().map(|cell| cell.to_string())).collect();
        assert!(cells.iter().any(|cell| cell == "Có" || cell == "Không"), "{cells:?}");
        assert!(cells.contains(&"Chỉ tiêu".to_owned()));
        assert!(from_xlsx.diagnostics.is_empty(), "{:?}", from_xlsx.diagnostics);
        let (csv, xlsx) = (from_csv.dataset.expect("csv reads"), from_xlsx.dataset.expect("xlsx reads"));
        assert_eq!(xlsx.units[0].id, submission.unit_id);
        assert_eq!(xlsx.units[0].name, submission.unit_name);
        assert_eq!(xlsx.variables, csv.variables);
        let bits =
            |dataset: &dti_core::Dataset| dataset.tables[0].values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&xlsx), bits(&csv));
        assert_eq!(xlsx.details, csv.details);
        assert!(xlsx.tables[0].values.iter().any(|value| !value.is_nan()));
    }

    #[test]
    fn a_number_is_typed_and_shown_the_way_the_page_language_writes_it() {
        use dti_core::text::Language::{En, Vi};
        assert_eq!(stored_value(Vi, "72,5"), "72.5");
        assert_eq!(stored_value(Vi, "1.234,5"), "1234.5");
        assert_eq!(stored_value(En, "72.5"), "72.5");
        assert_eq!(stored_value(Vi, "abc"), "abc", "what is not a number is kept as typed");
        assert_eq!(shown_value(Vi, "72.5"), "72,5");
        assert_eq!(shown_value(En, "72.5"), "72.5");
        assert_eq!(shown_value(Vi, "abc"), "abc");
        // Typing "72," on the way to "72,5" keeps 72 (the field keeps the comma).
        assert_eq!(stored_value(Vi, "72,"), "72");
    }

    #[test]
    fn a_date_is_typed_and_shown_the_way_the_page_language_writes_it() {
        use dti_core::text::Language::{En, Vi};
        assert_eq!(stored_date(Vi, "31/03/2025"), "2025-03-31");
        assert_eq!(stored_date(Vi, "2025-03-31"), "2025-03-31");
        assert_eq!(stored_date(Vi, "31/03"), "31/03", "what is not a date yet stays as typed");
        assert_eq!(shown_date(Vi, "2025-03-31"), "31/03/2025");
        assert_eq!(shown_date(En, "2025-03-31"), "2025-03-31");
    }

    #[test]
    fn required_evidence_and_links_that_are_no_web_address_are_found() {
        let set = load_set(&FrameworkChoice::default());
        let framework = set.framework.expect("valid");
        let required = framework
            .nodes
            .iter()
            .filter_map(|node| node.indicator())
            .find(|indicator| indicator.evidence == dti_core::framework::Evidence::Required)
            .expect("the built-in set requires evidence somewhere");
        let entry =
            |value: &str, evidence: &str| Entry { value: value.into(), evidence: evidence.into(), ..Entry::default() };
        assert_eq!(
            evidence_problem(required, &entry("1", "")),
            Some(EvidenceProblem::Missing),
            "a yes without evidence"
        );
        assert_eq!(evidence_problem(required, &entry("", "")), None, "nothing given yet");
        assert_eq!(evidence_problem(required, &entry("1", "quyết định số 12")), Some(EvidenceProblem::NotUrl));
        assert_eq!(evidence_problem(required, &entry("1", "https://")), Some(EvidenceProblem::NotUrl));
        assert_eq!(evidence_problem(required, &entry("1", "https://so.gov.vn/qd-12.pdf")), None);
    }

    #[cfg(feature = "ministry")]
    #[test]
    fn the_excel_export_turns_into_the_csv_the_page_imports() {
        let set = load_set(&FrameworkChoice::default());
        let framework = set.framework.expect("valid");
        let mut submission = Submission {
            unit_id: "S1".into(),
            unit_name: "Sở A".into(),
            period: "2026".into(),
            ..Submission::default()
        };
        let percent = framework
            .nodes
            .iter()
            .find(|node| node.indicator().is_some_and(|i| i.value_type == dti_core::framework::ValueType::Percent))
            .expect("a percentage");
        submission.values.insert(percent.id.clone(), Entry { value: "72.5".into(), ..Entry::default() });
        let workbook = submission_xlsx(&submission, Some(&framework), dti_core::text::Language::Vi);
        let csv = workbook_csv("s.xlsx", &workbook).expect("reads");
        let (imported, _) = Submission::from_csv(&framework, &set.sha256, "s.xlsx", csv.as_bytes()).expect("imports");
        assert_eq!(imported.len(), 1);
        assert_eq!(imported[0].values[&percent.id].value, "72.5");
        assert_eq!((imported[0].unit_id.as_str(), imported[0].unit_name.as_str()), ("S1", "Sở A"));
        assert!(workbook_csv("x.xlsx", b"not a workbook").is_err());
    }

    #[test]
    fn fixed_never_shows_minus_zero() {
        assert_eq!(fixed(-0.00001, 2), "0.00");
        assert_eq!(fixed(-1.5, 1), "-1.5");
    }
}
