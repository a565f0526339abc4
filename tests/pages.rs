//! What issue 18 asks of the engine, case by case.

use dti_core::data::{ReadOptions, Refusal};
use dti_core::evaluation::flags;
use dti_core::pipeline::{EvaluateOptions, evaluate};
use dti_core::{Code, Framework, Severity, load_data, load_data_with, load_framework};

const FRAMEWORK: &str = r#"
id = "t"
version = "1"
title = { vi = "Thử", en = "Test" }

[[nodes]]
id = "dti"
name = { vi = "Chỉ số", en = "Index" }
aggregate = "mean"

[[indicators]]
id = "online"
parent = "dti"
name = { vi = "Dịch vụ trực tuyến", en = "Online services" }
type = "percent"
scoring = { method = "goalposts", lower = 0, upper = 100 }

[[indicators]]
id = "staff"
parent = "dti"
name = { vi = "Cán bộ", en = "Staff" }
type = "count"
scoring = { method = "goalposts", lower = 0, upper = 10 }
"#;

fn framework() -> Framework {
    let loaded = load_framework("f.toml", FRAMEWORK.as_bytes());
    loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)))
}

const DATA: &str = "unit,online,staff\nA,80,5\nB,140,4\nC,60,x\n";

#[test]
fn a_value_that_breaks_its_rule_refuses_the_file_by_default_and_only_its_cell_when_lenient() {
    let framework = framework();
    let strict = load_data("units.csv", DATA.as_bytes(), &framework);
    assert!(strict.dataset.is_none(), "the library's default keeps refusing the file");
    assert_eq!(strict.diagnostics.iter().filter(|d| d.is_error()).count(), 2);

    let lenient = load_data_with("units.csv", DATA.as_bytes(), &framework, ReadOptions::LENIENT);
    assert_eq!(ReadOptions::LENIENT.refusal, Refusal::CountAsMissing);
    let dataset = lenient.dataset.expect("the other values are kept");
    let warnings: Vec<_> = lenient.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let percent = warnings.iter().find(|d| d.code == Code::ValueOutOfRange).expect("140 is out of range");
    assert_eq!((percent.location.file.as_str(), percent.location.line), ("units.csv", 3));
    assert!(percent.hints.iter().any(|hint| hint.contains("counted as missing")), "{:?}", percent.hints);
    assert!(warnings.iter().any(|d| d.code == Code::BadValue && d.location.line == 4));
    assert!(dataset.tables[0].is_refused(0, 1) && dataset.tables[0].is_refused(1, 2));
    assert!(!dataset.tables[0].is_refused(1, 1), "B's staff was fine");

    let evaluation = evaluate(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
    assert_eq!((0..3).map(|unit| evaluation.refused_values(unit)).collect::<Vec<_>>(), [0, 1, 1]);
    let online = framework.node_index("online").expect("declared");
    assert_eq!(evaluation.flag(online, 1) & (flags::REFUSED | flags::MISSING), flags::REFUSED | flags::MISSING);
    assert!(evaluation.rank.iter().all(Option::is_some), "every unit is still ranked: {:?}", evaluation.rank);
}

#[test]
fn long_and_json_data_refuse_a_value_at_its_cell_alike() {
    let framework = framework();
    let data = "unit,indicator,value\nA,online,140\nA,staff,3\nB,online,50\n";
    let loaded = load_data_with("long.csv", data.as_bytes(), &framework, ReadOptions::LENIENT);
    let dataset = loaded.dataset.expect("kept");
    assert_eq!(dataset.tables[0].refused, [(0, 0)]);
    let json = r#"{"units":[{"id":"A","name":"A"}],"values":[{"unit":"A","indicator":"online","value":"abc"}]}"#;
    let loaded = load_data_with("d.json", json.as_bytes(), &framework, ReadOptions::LENIENT);
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    assert_eq!(dataset.tables[0].refused, [(0, 0)], "JSON data is read the same way");
}
