//! Hostile inputs: malformed, truncated, huge, in the wrong encoding, with a byte-order
//! mark, with Vietnamese text in every field. Each case names the input and the message
//! the user gets (code and words); none may panic, hang or exhaust memory. The list is
//! the one the hardening issue's closing note reports.

use dti_core::assessment::{Integrity, Submission, SubmissionError};
use dti_core::{Code, Diagnostic, EvaluateOptions, Framework, Severity, evaluate, load_data, load_framework};

fn ministry() -> Framework {
    let set = dti_core::builtin::builtin("vn-ministry").expect("built in");
    load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid")
}

/// What a user is told about an input.
struct Told {
    accepted: bool,
    diagnostics: Vec<Diagnostic>,
}

impl Told {
    /// Asserts the input was refused with an error of `code` whose message contains
    /// `words` (at `line`, when given).
    fn refused(&self, case: &str, code: Code, words: &str, line: Option<u32>) {
        assert!(!self.accepted, "{case}: accepted, but should be refused");
        let found = self.diagnostics.iter().find(|d| d.is_error() && d.code == code && d.message.contains(words));
        let Some(found) = found else {
            panic!("{case}: no {code} error saying `{words}` among:\n{}", crate::support::render(&self.diagnostics))
        };
        if let Some(line) = line {
            assert_eq!(found.location.line, line, "{case}: {}", found.message);
        }
        assert!(!found.location.file.is_empty(), "{case}: the file is named");
    }
}

fn data(name: &str, bytes: &[u8]) -> Told {
    let loaded = load_data(name, bytes, &ministry());
    Told { accepted: loaded.dataset.is_some(), diagnostics: loaded.diagnostics }
}

fn indicator_file(name: &str, bytes: &[u8]) -> Told {
    let loaded = load_framework(name, bytes);
    Told { accepted: loaded.framework.is_some(), diagnostics: loaded.diagnostics }
}

/// A workbook with a `data` sheet holding `rows` of text and numbers.
fn workbook(rows: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("data").expect("a sheet name");
    for &(row, column, text) in rows {
        match text.parse::<f64>() {
            Ok(number) => sheet.write_number(row, column, number).expect("a cell"),
            Err(_) => sheet.write_string(row, column, text).expect("a cell"),
        };
    }
    workbook.save_to_buffer().expect("a workbook")
}

/// An indicator file of `n` aggregate nodes in a chain, with one indicator at its end.
fn chain(n: usize) -> String {
    let mut text = String::from("id = \"chain\"\n[[nodes]]\nid = \"n0\"\n");
    for index in 1..n {
        text.push_str(&format!("[[nodes]]\nid = \"n{index}\"\nparent = \"n{}\"\n", index - 1));
    }
    text.push_str(&format!(
        "[[indicators]]\nid = \"x\"\nparent = \"n{}\"\ntype = \"number\"\nscoring = {{ method = \"minmax\" }}\n",
        n - 1
    ));
    text
}

// Data files.

#[test]
fn empty_and_blank_data_files_say_there_is_no_header() {
    data("empty.csv", b"").refused("an empty file", Code::EmptyData, "no header row", None);
    data("bom.csv", b"\xEF\xBB\xBF").refused("a byte-order mark alone", Code::EmptyData, "no header row", None);
    data("header.csv", b"unit,name\n").refused("a header alone", Code::EmptyData, "no units", None);
}

#[test]
fn a_byte_order_mark_before_the_header_is_read_as_nothing() {
    let told = data("bom.csv", "\u{feff}unit,name,dt-online-dossiers\nM01,Bộ A,85\n".as_bytes());
    assert!(told.accepted, "{}", crate::support::render(&told.diagnostics));
}

#[test]
fn text_in_another_encoding_is_named() {
    let utf16: Vec<u8> = "\u{feff}unit,name\nA,Sở A\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    data("utf16.csv", &utf16).refused(
        "UTF-16 with a mark",
        Code::Syntax,
        "UTF-16 text, which this tool does not read",
        Some(1),
    );
    let no_mark: Vec<u8> = "unit,name\nA,B\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    data("utf16.csv", &no_mark).refused("UTF-16 without a mark", Code::Syntax, "UTF-16", Some(1));
    data("utf16.json", &utf16).refused("UTF-16 JSON", Code::Syntax, "UTF-16", Some(1));
    // "Sở" in Windows-1258 / Latin-1 bytes: not UTF-8, on line 2.
    data("latin1.csv", b"unit,name\nA,S\xF5 A\n").refused("a legacy encoding", Code::Syntax, "not UTF-8", Some(2));
    data("random.csv", &[0x9c, 0x00, 0xff, 0x13, 0x80, 0x81, b'\n', 0xfe]).refused(
        "binary bytes",
        Code::Syntax,
        "UTF-",
        None,
    );
}

#[test]
fn a_table_separated_by_semicolons_is_told_how_to_save_it() {
    let told = data("semicolons.csv", b"unit;name;dt-online-dossiers\nA;B;85\n");
    told.refused("semicolons", Code::MissingColumn, "no unit column", Some(1));
    assert!(told.diagnostics[0].hints[0].contains("separated by `;`"), "{:?}", told.diagnostics[0].hints);
}

#[test]
fn a_truncated_csv_is_refused_at_its_line_or_read_as_far_as_it_goes() {
    // Cut inside a quoted field: the field runs to the end of the file.
    let told = data("cut.csv", b"unit,name,dt-online-dossiers\nM01,\"Bo A,85\nM02,B,");
    assert!(told.diagnostics.iter().all(|d| !d.location.file.is_empty()));
    // Cut in the middle of a row: the short row is an error at its line (it was once read
    // as missing values, without a word).
    let told = data("short.csv", b"unit,name,dt-online-dossiers\nM01,Bo A,85\nM02,B");
    told.refused("a short row", Code::RaggedRow, "the row has 2 cells, the header 3", Some(3));
}

#[test]
fn nan_infinities_and_overflowing_numbers_are_refused_where_they_are() {
    let text = "unit,dt-online-dossiers\nA,NaN\nB,inf\nC,1e400\nD,-Infinity\n";
    let told = data("numbers.csv", text.as_bytes());
    told.refused("NaN", Code::BadValue, "`NaN` is not a finite number", Some(2));
    told.refused("inf", Code::BadValue, "`inf` is not a finite number", Some(3));
    told.refused("1e400", Code::BadValue, "`1e400` is too large a number", Some(4));
    told.refused("-Infinity", Code::BadValue, "`-Infinity` is not a finite number", Some(5));
    let json = br#"{"values": [{"unit": "A", "indicator": "dt-online-dossiers", "value": 1e999}]}"#;
    data("numbers.json", json).refused("1e999 in JSON", Code::Syntax, "number out of range", Some(1));
}

#[test]
fn names_ids_and_periods_beyond_their_limits_are_refused_with_the_limit() {
    let long_name = format!("unit,name,dt-online-dossiers\nA,{},85\n", "Bộ ".repeat(3_400));
    data("name.csv", long_name.as_bytes()).refused(
        "a 10,200-character name",
        Code::TooLarge,
        "is longer than 10000 characters",
        Some(2),
    );
    let long_id = format!("unit,dt-online-dossiers\n{},85\n", "x".repeat(201));
    data("id.csv", long_id.as_bytes()).refused("a 201-character id", Code::TooLarge, "longer than 200", Some(2));
    let long_note =
        format!("unit,period,indicator,value,note\nA,2025,dt-online-dossiers,85,{}\n", "ghi chú ".repeat(1_300));
    data("note.csv", long_note.as_bytes()).refused("a 10,400-character note", Code::TooLarge, "the note", Some(2));
    let mut periods = String::from("unit,period,dt-online-dossiers\n");
    for period in 0..1_002 {
        periods.push_str(&format!("A,{period},1\n"));
    }
    data("periods.csv", periods.as_bytes()).refused(
        "1,002 periods",
        Code::TooLarge,
        "more than the 1000 periods",
        Some(1_002),
    );
}

#[test]
fn an_error_is_never_crowded_out_by_warnings() {
    // 600 rows that each warn (an indicator of the other block), then one error.
    let mut text = String::from("unit,block,dt-online-dossiers\n");
    for unit in 0..600 {
        text.push_str(&format!("U{unit},ministry-without-public-services,85\n"));
    }
    text.push_str("BAD,ministry-without-public-services,NaN\n");
    data("many.csv", text.as_bytes()).refused("an error after 600 warnings", Code::BadValue, "NaN", Some(602));
}

#[test]
fn json_data_that_is_truncated_or_nested_without_end_is_refused_at_its_place() {
    let cut = r#"{"units": [{"id": "A", "name": "Bộ A"}], "values": [{"unit": "A", "indic"#.as_bytes();
    data("cut.json", cut).refused("truncated JSON", Code::Syntax, "the JSON ends too early", Some(1));
    let deep = format!(
        "{{\"values\": [{{\"unit\": \"A\", \"indicator\": \"dt-online-dossiers\", \"value\": {}{}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    data("deep.json", deep.as_bytes()).refused("JSON 100,000 levels deep", Code::Syntax, "recursion limit", Some(1));
}

#[test]
fn broken_and_hostile_workbooks_are_refused_before_they_cost_memory() {
    let good = workbook(&[(0, 0, "unit"), (0, 1, "dt-online-dossiers"), (1, 0, "M01"), (1, 1, "85")]);
    assert!(data("good.xlsx", &good).accepted);
    data("cut.xlsx", &good[..good.len() / 2]).refused(
        "half a workbook",
        Code::Syntax,
        "cannot read the Excel workbook",
        None,
    );
    let not_a_workbook = {
        let mut zip = rust_xlsxwriter::Workbook::new();
        zip.add_worksheet();
        let mut bytes = zip.save_to_buffer().expect("a workbook");
        // Rename the workbook part: a zip, but not a workbook any more.
        while let Some(at) = bytes.windows(15).position(|w| w == b"xl/workbook.xml") {
            bytes[at..at + 15].copy_from_slice(b"xl/notebook.xml");
        }
        bytes
    };
    data("zip.xlsx", &not_a_workbook).refused(
        "a zip that is no workbook",
        Code::EmptyData,
        "the workbook has no sheet",
        None,
    );

    // One cell in A1 and one in XFD1048576: once a range of 17 billion cells (a 512 GB
    // allocation, the process aborted; found by hand while fuzzing). Now two cells.
    let corners = workbook(&[(0, 0, "unit"), (1_048_575, 16_383, "1")]);
    data("corners.xlsx", &corners).refused(
        "cells at both corners",
        Code::RaggedRow,
        "the row has 16384 cells, the header 1",
        Some(1_048_576),
    );

    // An archive that declares a part unpacking to 2 GiB.
    let mut bomb = good.clone();
    let central = bomb.windows(4).position(|w| w == b"PK\x01\x02").expect("a central directory");
    bomb[central + 24..central + 28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    data("bomb.xlsx", &bomb).refused(
        "a part of 2 GiB",
        Code::TooLarge,
        "unpacked is 2.0 GiB, more than the 1 GiB",
        None,
    );
}

#[test]
fn vietnamese_text_in_every_field_is_kept_exactly() {
    let framework_text = r#"
id = "bộ-chỉ-số"
title = { vi = "Bộ chỉ số chuyển đổi số cấp xã", en = "Commune index" }
[[blocks]]
id = "xã-miền-núi"
name = { vi = "Xã miền núi", en = "Mountain communes" }
[[nodes]]
id = "chỉ-số"
name = { vi = "Chỉ số tổng hợp", en = "Index" }
aggregate = "sum"
[[indicators]]
id = "dịch-vụ-công"
parent = "chỉ-số"
name = { vi = "Tỷ lệ thủ tục hành chính trực tuyến toàn trình", en = "Procedures fully online" }
type = "percent"
max_points = 10
scoring = { method = "bands", bands = [ { to = 50, points = 0 }, { from = 50, points = 10 } ] }
"#;
    let loaded = load_framework("bộ-chỉ-số.toml", framework_text.as_bytes());
    let framework = loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    let csv = "unit,name,block,period,indicator,value,evidence,evidence_date,status,reason,note\n\
               xã-Tả-Phìn,Ủy ban nhân dân xã Tả Phìn,xã-miền-núi,Năm-2025,dịch-vụ-công,72.5,\
               https://tảphìn.gov.vn/minh-chứng,2025-03-01,adjusted,Đã điều chỉnh theo biên bản,Ghi chú: đường truyền yếu\n";
    let loaded = load_data("dữ-liệu.csv", csv.as_bytes(), &framework);
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    let unit = &dataset.units[0];
    assert_eq!((unit.id.as_str(), unit.name.as_str()), ("xã-Tả-Phìn", "Ủy ban nhân dân xã Tả Phìn"));
    assert_eq!(unit.block.as_deref(), Some("xã-miền-núi"));
    assert_eq!(dataset.periods, vec!["Năm-2025".to_owned()]);
    let details = dataset.details.values().next().expect("the value's details");
    assert_eq!(details.evidence.as_deref(), Some("https://tảphìn.gov.vn/minh-chứng"));
    assert_eq!(details.note.as_deref(), Some("Ghi chú: đường truyền yếu"));
    let evaluation = evaluate(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
    assert_eq!(evaluation.root_score(0), Some(10.0));
    // Exported as a submission and read back, byte for byte.
    let submission = Submission::from_dataset(&framework, &loaded.sha256, &dataset, 0, 0);
    let back = Submission::from_json("nộp.json", &submission.to_json()).expect("reads back");
    assert_eq!(back.integrity(), Integrity::Intact);
    assert_eq!(back.values["dịch-vụ-công"].note, "Ghi chú: đường truyền yếu");
}

#[test]
fn text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_exports() {
    let mut merged = dti_core::assessment::merge::Merged::default();
    let mut submission = Submission {
        unit_id: "=HYPERLINK(\"http://x.example\",\"bấm\")".into(),
        unit_name: "+cmd|' /C calc'!A0".into(),
        period: "2025".into(),
        ..Submission::default()
    };
    let entry = dti_core::assessment::Entry { value: "1".into(), note: "@SUM(A1:A9)".into(), ..Default::default() };
    submission.values.insert("dt-online-dossiers".into(), entry);
    merged.add_submission(&submission, "s.json");
    let csv = merged.finish(None).long_csv().expect("writes");
    for dangerous in ["=HYPERLINK", "+cmd", "@SUM"] {
        assert!(csv.contains(&format!("'{dangerous}")), "{dangerous} is neutralised in:\n{csv}");
        assert!(!csv.contains(&format!(",{dangerous}")) && !csv.contains(&format!(",\"{dangerous}")), "{csv}");
    }
    // A negative number is a number, not a formula.
    assert_eq!(dti_core::table::spreadsheet_safe("-12.5"), "-12.5");
}

// Indicator files.

#[test]
fn empty_truncated_and_endlessly_nested_indicator_files_are_refused_at_their_place() {
    indicator_file("empty.toml", b"").refused("an empty file", Code::MissingField, "no `id`", None);
    indicator_file("cut.toml", b"id = \"x\"\n[[nodes]]\nid = \"index\nparent").refused(
        "a string cut off",
        Code::Syntax,
        "expected '='",
        Some(4),
    );
    let deep = format!("id = \"x\"\na = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    indicator_file("deep.toml", deep.as_bytes()).refused("TOML 100,000 levels deep", Code::Syntax, "", Some(2));
    let deep_json = format!("{{\"id\": \"x\", \"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    indicator_file("deep.json", deep_json.as_bytes()).refused("JSON 100,000 levels deep", Code::Syntax, "", None);
    let utf16: Vec<u8> = "id = \"x\"\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    indicator_file("utf16.toml", &utf16).refused("UTF-16", Code::Syntax, "UTF-16 text", Some(1));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    indicator_file("picture.toml", png).refused("a picture", Code::Syntax, "not UTF-8", Some(1));
}

#[test]
fn indicator_files_beyond_the_limits_are_refused_with_the_limit() {
    let mut many = String::from("id = \"many\"\n[[nodes]]\nid = \"index\"\n");
    for index in 0..10_001 {
        many.push_str(&format!("[[indicators]]\nid = \"i{index}\"\nparent = \"index\"\ntype = \"number\"\n"));
    }
    indicator_file("many.toml", many.as_bytes()).refused(
        "10,002 nodes",
        Code::TooLarge,
        "declares 10002 nodes and indicators, more than the 10000",
        None,
    );
    indicator_file("chain.toml", chain(40).as_bytes()).refused(
        "a tree 40 levels deep",
        Code::TooLarge,
        "`x` is 40 levels below the index, more than the 32",
        None,
    );
    assert!(indicator_file("chain.toml", chain(30).as_bytes()).accepted, "30 levels are read");
    let long_id = format!("id = \"x\"\n[[nodes]]\nid = \"{}\"\n", "đ".repeat(201));
    indicator_file("id.toml", long_id.as_bytes()).refused(
        "a 201-character id",
        Code::TooLarge,
        "longer than 200",
        Some(3),
    );
    let long_name =
        format!("id = \"x\"\n[[nodes]]\nid = \"index\"\nname = {{ vi = \"{}\" }}\n", "Chỉ số ".repeat(1_500));
    indicator_file("name.toml", long_name.as_bytes()).refused(
        "a 10,500-character name",
        Code::TooLarge,
        "this text (vi) is longer than 10000 characters",
        Some(4),
    );
    let huge = format!("id = \"x\"\n# {}\n", "x".repeat(17 << 20));
    indicator_file("huge.toml", huge.as_bytes()).refused(
        "a 17 MiB file",
        Code::TooLarge,
        "is 17.0 MiB, more than the 16 MiB",
        None,
    );
}

#[test]
fn a_long_cycle_is_found_once_per_member_quickly_and_shown_short() {
    // A cycle through 5,000 nodes (checked in linear time; it took minutes when each id
    // walked its ancestors with a list).
    let n = 5_000;
    let mut text = String::from("id = \"loop\"\n");
    for index in 0..n {
        text.push_str(&format!("[[nodes]]\nid = \"n{index}\"\nparent = \"n{}\"\n", (index + 1) % n));
    }
    let told = indicator_file("loop.toml", text.as_bytes());
    let cycles: Vec<&Diagnostic> = told.diagnostics.iter().filter(|d| d.code == Code::Cycle).collect();
    assert_eq!(cycles.len(), n);
    assert!(cycles[0].message.to_string().ends_with("(5000 nodes)"), "{}", cycles[0].message);
    assert!(cycles.iter().all(|d| d.message.to_string().len() < 200 && d.severity == Severity::Error));
}

// Submissions.

#[test]
fn broken_foreign_and_edited_submissions_are_told_apart() {
    let broken = Submission::from_json("cut.json", "{\n  \"format\": \"dti-submission/1\",\n  \"unit_id\": ");
    assert!(matches!(broken, Err(SubmissionError::Syntax { line: 3, .. })), "{broken:?}");
    let foreign = Submission::from_json(
        "other.json",
        r#"{"format": "something-else/2", "framework": {"id": "", "version": "", "sha256": ""}, "unit_id": "", "unit_name": "", "period": ""}"#,
    );
    assert!(matches!(foreign, Err(SubmissionError::Format { .. })), "{foreign:?}");
    let submission = Submission {
        format: dti_core::assessment::SUBMISSION_FORMAT.into(),
        unit_name: "Sở Y tế".into(),
        ..Submission::default()
    };
    let exported = submission.to_json();
    let edited = exported.replace("Sở Y tế", "Sở Y tế (đã sửa)");
    let read = |text: &str| Submission::from_json("s.json", text).expect("reads").integrity();
    assert_eq!(read(&exported), Integrity::Intact);
    assert_eq!(read(&edited), Integrity::Edited);
}
