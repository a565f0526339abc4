//! Data readers: long and wide CSV, JSON and Excel, with problems located.

use dti_core::{Code, Framework, load_data, load_framework};

fn framework() -> Framework {
    let text = r#"
id = "t"
[[blocks]]
id = "b1"
[[nodes]]
id = "index"
[[indicators]]
id = "online"
parent = "index"
type = "percent"
[[indicators]]
id = "layers"
parent = "index"
type = "ordinal"
labels = [{ value = 0, name = { vi = "Chưa", en = "None" } }, { value = 2, name = { vi = "Nâng cao", en = "Advanced" } }]
[[indicators]]
id = "quality"
parent = "index"
type = "checklist"
items = [{ id = "correct", points = 2 }, { id = "live", points = 3 }]
"#;
    load_framework("t.toml", text.as_bytes()).framework.unwrap()
}

fn errors(name: &str, data: &str) -> Vec<String> {
    let loaded = load_data(name, data.as_bytes(), &framework());
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}:{} {}", d.code, d.location.line, d.location.column, d.message))
        .collect()
}

#[test]
fn long_csv_with_evidence_status_and_notes() {
    let data = "unit,name,block,period,indicator,value,evidence,evidence_date,status,note\nhn,Hà Nội,b1,2025,online,85%,https://x.example/1,2025-03-01,verified,đã kiểm tra\nhn,Hà Nội,b1,2025,layers,Nâng cao,,,,\nhn,Hà Nội,b1,2025,quality,correct;live,,,,\n";
    let loaded = load_data("long.csv", data.as_bytes(), &framework());
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    assert_eq!(dataset.units[0].name, "Hà Nội");
    let table = &dataset.tables[0];
    assert_eq!(table.get(0, 0), Some(85.0));
    assert_eq!(table.get(1, 0), Some(2.0));
    assert_eq!(table.get(2, 0), Some(5.0));
    let details = &dataset.details[&(0, 0, 0)];
    assert_eq!(details.evidence.as_deref(), Some("https://x.example/1"));
    assert_eq!(details.note.as_deref(), Some("đã kiểm tra"));
    assert_eq!(dataset.details[&(0, 0, 2)].items, Some(vec!["correct".to_owned(), "live".to_owned()]));
}

#[test]
fn bad_values_are_all_reported_with_line_and_column() {
    let data = "unit,online,layers,quality\na,140,2,correct\nb,50,3,clean\nc,abc,0,\n";
    assert_eq!(
        errors("wide.csv", data),
        vec![
            "value-out-of-range 2:2 140 is not a percentage: it must be from 0 to 100 (unit `a`, indicator `online`)",
            "value-out-of-range 3:3 3 is not a level of this indicator (levels: 0, 2) (unit `b`, indicator `layers`)",
            "bad-value 3:4 `clean` is not an item of this checklist (items: correct, live) (unit `b`, indicator `quality`)",
            "bad-value 4:2 `abc` is not a number (unit `c`, indicator `online`)",
        ]
    );
}

#[test]
fn duplicates_unknown_indicators_and_blocks() {
    let data = "unit,block,indicator,value\na,b1,online,10\na,b1,online,20\na,b1,speed,3\nb,b9,online,1\n";
    assert_eq!(
        errors("long.csv", data),
        vec![
            "duplicate-value 3:4 a second value for unit `a`, period `current`, indicator `online`",
            "unknown-indicator 4:3 indicator `speed` is not in the indicator file",
            "unknown-block 5:0 block `b9` of unit `b` is not declared by the indicator file",
        ]
    );
}

#[test]
fn a_missing_unit_column_is_refused() {
    assert_eq!(errors("x.csv", "country,online\nx,1\n"), vec!["missing-column 1:0 the data has no unit column"]);
}

#[test]
fn json_data_with_located_problems() {
    let data = "{\n  \"units\": [{\"id\": \"a\", \"name\": \"A\", \"block\": \"b1\"}],\n  \"values\": [\n    {\"unit\": \"a\", \"indicator\": \"online\", \"value\": 101},\n    {\"unit\": \"a\", \"indicator\": \"quality\", \"value\": [\"live\"]}\n  ]\n}\n";
    let loaded = load_data("d.json", data.as_bytes(), &framework());
    assert_eq!(loaded.diagnostics.len(), 1);
    assert_eq!(loaded.diagnostics[0].code, Code::ValueOutOfRange);
    assert_eq!(loaded.diagnostics[0].location.line, 4);
    let fixed = data.replace("101", "99.5");
    let dataset = load_data("d.json", fixed.as_bytes(), &framework()).dataset.unwrap();
    assert_eq!(dataset.tables[0].get(0, 0), Some(99.5));
    assert_eq!(dataset.tables[0].get(2, 0), Some(3.0));
}

#[test]
fn excel_workbooks_are_read_like_csv() {
    // The ESI input workbook (reference data) is the Excel case with real COINr content;
    // here a file the tests write themselves checks cells of every kind.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("data").unwrap();
    for (column, header) in ["unit", "name", "online", "layers", "quality"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "hn").unwrap();
    sheet.write_string(1, 1, "Hà Nội").unwrap();
    sheet.write_number(1, 2, 72.5).unwrap();
    sheet.write_number(1, 3, 2).unwrap();
    sheet.write_string(1, 4, "live").unwrap();
    sheet.write_string(2, 0, "hp").unwrap();
    sheet.write_number(2, 2, 140).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let loaded = load_data("d.xlsx", &bytes, &framework());
    let messages: Vec<String> =
        loaded.diagnostics.iter().map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.message)).collect();
    assert_eq!(messages, vec!["3:3 140 is not a percentage: it must be from 0 to 100 (unit `hp`, indicator `online`)"]);
}

#[test]
fn a_broken_workbook_is_a_clear_error() {
    let loaded = load_data("d.xlsx", b"PK\x03\x04 not really a zip", &framework());
    assert!(loaded.dataset.is_none());
    assert!(
        loaded.diagnostics[0].message.to_string().starts_with("cannot read the Excel workbook"),
        "{}",
        loaded.diagnostics[0].message
    );
}

#[test]
fn evidence_dates_are_kept_as_days_and_given_back_as_written() {
    let data = "unit,block,period,indicator,value,evidence_date\n\
                a,b1,2025,online,10,2025-03-01\n\
                a,b1,2025,layers,2,2025-03-02T10:00:00Z\n\
                a,b1,2025,quality,live,early March\n\
                b,b1,2025,online,,2025-04-30\n";
    let loaded = load_data("dates.csv", data.as_bytes(), &framework());
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let days = |unit: usize, variable: usize| dataset.tables[0].evidence_day(variable, unit);
    let march_first = dti_core::period::Date::new(2025, 3, 1).unwrap().unix_days() as i32;
    // Written as YYYY-MM-DD: its day only, given back the same.
    assert_eq!(days(0, 0), march_first);
    assert_eq!(dataset.details.get(&(0, 0, 0)).and_then(|details| details.evidence_date.clone()), None);
    assert_eq!(dataset.evidence_date(0, 0, 0).as_deref(), Some("2025-03-01"));
    // Written otherwise: its day and its text.
    assert_eq!(days(0, 1), march_first + 1);
    assert_eq!(dataset.evidence_date(0, 0, 1).as_deref(), Some("2025-03-02T10:00:00Z"));
    // Not a date: its text only.
    assert_eq!(days(0, 2), dti_core::data::NO_DATE);
    assert_eq!(dataset.evidence_date(0, 0, 2).as_deref(), Some("early March"));
    // A date without a value is kept, and merging writes it back.
    assert_eq!(dataset.evidence_date(0, 1, 0).as_deref(), Some("2025-04-30"));
    let mut merged = dti_core::assessment::merge::Merged::default();
    merged.add_dataset(&dataset, "dates.csv");
    let csv = merged.finish(None).long_csv().expect("writes");
    for written in ["2025-03-01", "2025-03-02T10:00:00Z", "early March", "b,b,b1,2025,online,,,2025-04-30,"] {
        assert!(csv.contains(written), "{written} in\n{csv}");
    }
    assert_eq!(dataset.evidence_date(0, 1, 1), None);
}

#[test]
fn a_second_evidence_date_without_values_is_a_duplicate() {
    let data = "unit,block,indicator,value,evidence_date\na,b1,online,,2025-03-01\na,b1,online,,2025-03-02\n";
    assert_eq!(
        errors("long.csv", data),
        vec!["duplicate-value 3:4 a second value for unit `a`, period `current`, indicator `online`"]
    );
}
