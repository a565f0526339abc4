//! The `dti` command line: golden outputs (stdout and stderr together) and exit codes.
//!
//! These live in the CLI package because Cargo gives the binary's path only to its own
//! package's tests; every other integration test is in `tests/`.

use std::path::PathBuf;

use std::process::Command;
use tempfile::TempDir;

// What the hostile-input review found: files, publications, options, messages.
#[path = "cli/hostile.rs"]
mod hostile;

#[path = "cli/pages.rs"]
mod pages;

// The collection server and its administration, as processes.
#[path = "cli/serve.rs"]
mod serve;

/// Runs `dti` with arguments and returns exit code, stdout and stderr as one text.
fn dti(args: &[&str]) -> String {
    dti_in(&std::env::current_dir().unwrap(), args)
}

/// Runs `dti` in a folder (so that file names in its output are as given).
fn dti_in(dir: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dti"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dti");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A fresh temporary folder for one test, removed with its content when dropped.
fn scratch() -> TempDir {
    tempfile::Builder::new().prefix("dti-cli-test-").tempdir().expect("a temporary folder")
}

/// Writes a file into `dir` and returns its path.
fn write(dir: &TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn evaluate_with_no_arguments_uses_the_built_in_set() {
    insta::assert_snapshot!(dti(&["evaluate"]));
}

#[test]
fn evaluate_as_csv_has_every_aggregate_at_full_precision() {
    insta::assert_snapshot!(dti(&["evaluate", "--format", "csv"]));
}

#[test]
fn evaluate_the_unit_set_as_markdown_in_english() {
    let output = dti(&["evaluate", "--builtin", "vn-unit", "--period", "2024", "--format", "md", "--lang", "en"]);
    assert!(
        output.starts_with("exit: 0\n--- stdout\n## Digital-transformation index of units within a ministry"),
        "{output}"
    );
    assert!(output.contains("| Rank | Unit"), "{output}");
    assert!(output.contains("Period: 2024"), "{output}");
}

#[test]
fn validate_renders_every_problem_with_a_snippet() {
    let dir = scratch();
    let file = write(
        &dir,
        "broken.toml",
        "id = \"t\"\ncolour = 1\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"a\"\nparent = \"indx\"\nweight = -2\n",
    );
    let output = dti(&["validate", file.to_str().unwrap()]).replace(file.to_str().unwrap(), "broken.toml");
    insta::assert_snapshot!(output);
}

#[test]
fn validate_accepts_every_built_in_file() {
    for name in ["vn-ministry", "vn-unit", "desi", "egdi", "gtmi"] {
        let path = workspace().join(format!("indicators/{name}.toml"));
        let output = dti(&["validate", path.to_str().unwrap()]);
        assert!(output.starts_with("exit: 0"), "{output}");
        assert!(output.contains(": valid: `"), "{output}");
    }
}

#[test]
fn bad_data_is_refused_with_its_line_and_column() {
    let dir = scratch();
    let data = write(&dir, "data.csv", "unit,online\nhn,140\n");
    let framework = write(
        &dir,
        "f.toml",
        "id = \"t\"\n[[nodes]]\nid = \"i\"\n[[indicators]]\nid = \"online\"\nparent = \"i\"\ntype = \"percent\"\n",
    );
    let output =
        dti(&["evaluate", "--strict", "--framework", framework.to_str().unwrap(), "--data", data.to_str().unwrap()])
            .replace(data.to_str().unwrap(), "data.csv");
    insta::assert_snapshot!(output);
}

#[test]
fn usage_errors_exit_with_2() {
    let output = dti(&["evaluate", "--normalise", "cubic"]);
    assert!(output.starts_with("exit: 2"), "{output}");
    assert!(output.contains("unknown normalisation `cubic`"), "{output}");
}

#[test]
fn json_output_records_provenance_and_contributions() {
    let output = Command::new(env!("CARGO_BIN_EXE_dti")).args(["evaluate", "--format", "json"]).output().unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let framework = std::fs::read(workspace().join("indicators/vn-ministry.toml")).unwrap();
    assert_eq!(json["framework"]["sha256"], dti_core::sha256_hex(&framework));
    let data = std::fs::read(workspace().join("indicators/samples/vn-ministry-sample.csv")).unwrap();
    assert_eq!(json["data_sha256"], dti_core::sha256_hex(&data));
    assert_eq!(json["engine_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["format"], "dti-evaluation/2");
    // A unit's results are at its position in `units`, in one array per field.
    let total: f64 = json["contributions"].as_object().unwrap().values().filter_map(|column| column[0].as_f64()).sum();
    assert!((total - json["score"][0].as_f64().unwrap()).abs() < 1e-9, "contributions add up to the score");
    assert_eq!(json["scores"]["dti"][0], json["score"][0]);
    assert_eq!(json["units"].as_array().unwrap().len(), json["rank"].as_array().unwrap().len());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.matches("\"contribution").count(), 1, "each key is written once, not once per unit");
}

#[test]
fn xlsx_output_has_results_indicators_and_provenance() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = scratch();
    let out = dir.path().join("results.xlsx");
    let output = dti(&["evaluate", "--format", "xlsx", "--out", out.to_str().unwrap()]);
    assert!(output.starts_with("exit: 0"), "{output}");
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["Results", "Indicators", "About"]);
    let results = workbook.worksheet_range("Results").unwrap();
    assert_eq!(results.height(), 26);
    let about = workbook.worksheet_range("About").unwrap();
    assert_eq!(about.get((3, 0)).map(|c| c.to_string()), Some("engine version".to_owned()));
}

#[test]
fn coinr_tables_and_method_flags_reproduce_the_example_coin() {
    let asem = workspace().join("../shared/conformance/coinr-asem");
    if !asem.is_dir() {
        eprintln!("SKIPPED: ../shared/conformance is absent next to the checkout");
        return;
    }
    let meta = asem.join("asem_iMeta.csv");
    let data = asem.join("asem_iData.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_dti"))
        .args(["evaluate", "--framework", meta.to_str().unwrap(), "--data", data.to_str().unwrap(), "--format", "csv"])
        .args(["--denominate", "--impute", "group-mean:EurAsia_group", "--screen", "0.9", "--winsorise", "5"])
        .args(["--normalise", "minmax:0,100", "--aggregate", "arithmetic"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let expected = std::fs::read_to_string(asem.join("v1_example_minmax_amean/results_scores.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("unit,block,Index,Conn,Physical,ConEcFin,Political,Instit,P2P,Sust,Environ,Social,SusEcFin,rank,level")
    );
    let rows: std::collections::BTreeMap<&str, Vec<&str>> = lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0], fields)
        })
        .collect();
    for line in expected.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let code = fields[0].trim_matches('"');
        let row = &rows[code];
        let index: f64 = row[2].parse().unwrap();
        let coinr: f64 = fields[3].parse().unwrap();
        assert!((index - coinr).abs() <= 1e-9 * coinr.abs(), "{code}: {index} vs {coinr}");
        assert_eq!(row[13], fields[2], "{code}: rank");
    }
}

#[test]
fn alerts_of_the_latest_period_as_a_table_with_a_summary() {
    insta::assert_snapshot!(dti(&["alerts", "--as-of", "2026-01-15", "--severity", "critical"]));
}

#[test]
fn alerts_as_csv_in_english_for_one_block() {
    insta::assert_snapshot!(dti(&[
        "alerts",
        "--as-of",
        "2026-01-15",
        "--lang",
        "en",
        "--block",
        "ministry-without-public-services",
        "--format",
        "csv"
    ]));
}

#[test]
fn alerts_as_json_carry_rule_unit_period_and_the_values_that_raised_them() {
    insta::assert_snapshot!(dti(&["alerts", "--as-of", "2026-01-15", "--unit", "M05", "--format", "json"]));
}

#[test]
fn alerts_of_an_earlier_period_and_fail_on_exits_with_three() {
    insta::assert_snapshot!(dti(&[
        "alerts",
        "--builtin",
        "vn-unit",
        "--period",
        "2024",
        "--as-of",
        "2025-01-31",
        "--severity",
        "warning",
        "--unit",
        "M01-U001",
        "--fail-on",
        "warning"
    ]));
}

#[test]
fn alerts_refuse_an_unknown_block_period_or_date() {
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}",
        dti(&["alerts", "--block", "nope"]),
        dti(&["alerts", "--period", "1999"]),
        dti(&["alerts", "--as-of", "2025-02-30"])
    ));
}

#[test]
fn explain_takes_a_unit_apart_with_a_plan() {
    insta::assert_snapshot!(dti(&["explain", "--unit", "M05", "--lang", "en"]));
}

#[test]
fn explain_as_markdown_for_a_unit_of_the_unit_level_set() {
    insta::assert_snapshot!(dti(&["explain", "--builtin", "vn-unit", "--unit", "M01-U001", "--format", "md"]));
}

#[test]
fn explain_suggests_the_unit_meant() {
    insta::assert_snapshot!(dti(&["explain", "--unit", "m05"]));
}

#[test]
fn diff_between_two_periods_names_who_moves_and_why() {
    insta::assert_snapshot!(dti(&["diff", "--previous", "2024", "--lang", "en"]));
}

#[test]
fn diff_between_two_indicator_file_versions_lists_the_changes_and_the_moves() {
    let edited = std::fs::read_to_string(workspace().join("indicators/vn-ministry.toml"))
        .unwrap()
        .replace("min = 350", "min = 300")
        .replacen(
            "scoring = { method = \"goalposts\", lower = 0, upper = 100 }",
            "scoring = { method = \"goalposts\", lower = 0, upper = 80 }",
            1,
        );
    let dir = scratch();
    let v2 = write(&dir, "v2.toml", &edited);
    let output = dti(&["diff", "--against", v2.to_str().unwrap(), "--format", "csv"]);
    insta::assert_snapshot!(output.replace(v2.to_str().unwrap(), "v2.toml"));
    let table = dti(&["diff", "--against", v2.to_str().unwrap(), "--lang", "en"]);
    assert!(table.contains("level-2@dti>=350 -> level-2@dti>=300"), "{table}");
}

#[test]
fn diff_needs_something_to_compare() {
    insta::assert_snapshot!(dti(&["diff"]));
}

#[test]
fn a_csv_template_lists_the_indicators_of_a_block_with_guidance() {
    insta::assert_snapshot!(dti(&[
        "template",
        "--format",
        "csv",
        "--lang",
        "en",
        "--block",
        "ministry-without-public-services"
    ]));
}

#[test]
fn an_excel_template_has_drop_down_lists_and_range_checks_and_reads_back_without_warnings() {
    let dir = scratch();
    let path = dir.path().join("template.xlsx");
    let output = dti(&["template", "--unit", "B01", "--period", "2026", "--out", path.to_str().unwrap()]);
    assert!(output.starts_with("exit: 0"), "{output}");
    let file = std::fs::File::open(&path).unwrap();
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert!(sheet.contains(r#"<dataValidation type="list""#), "yes/no and levels are drop-down lists");
    assert!(
        sheet.contains(r#"type="decimal""#) && sheet.contains("<formula1>0</formula1><formula2>100</formula2>"),
        "percents are checked"
    );
    assert!(sheet.contains(r#"type="whole""#), "counts are whole numbers");
    // The blank template is valid data: every value missing, no warning.
    let evaluated = dti(&["evaluate", "--data", path.to_str().unwrap(), "--format", "csv"]);
    assert!(evaluated.starts_with("exit: 0"), "{evaluated}");
    assert!(evaluated.ends_with("--- stderr\n"), "no warnings: {evaluated}");
}

#[test]
fn a_filled_in_csv_template_evaluates() {
    let template = dti(&[
        "template",
        "--format",
        "csv",
        "--unit",
        "B01",
        "--name",
        "Bộ Thử",
        "--period",
        "2026",
        "--block",
        "ministry-with-public-services",
    ]);
    let csv_text = template
        .split("--- stdout\n")
        .nth(1)
        .unwrap()
        .split("--- stderr")
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let mut row: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        let guidance = row[10].clone();
        row[6] = if guidance.starts_with("có hoặc không") {
            "có".into()
        } else if guidance.starts_with("Tỷ lệ") {
            "50".into()
        } else {
            String::new()
        };
        writer.write_record(&row).unwrap();
    }
    let dir = scratch();
    let filled = write(&dir, "filled.csv", &String::from_utf8(writer.into_inner().unwrap()).unwrap());
    let output = dti(&["evaluate", "--data", filled.to_str().unwrap(), "--format", "csv"]);
    assert!(output.starts_with("exit: 0"), "{output}");
    assert!(output.ends_with("--- stderr\n"), "no warnings: {output}");
    let row = output.lines().find(|line| line.starts_with("B01,")).expect("the unit's row");
    let score: f64 = row.split(',').nth(2).unwrap().parse().unwrap();
    assert!(score > 300.0, "{row}");
}

/// A folder with two submissions of unit B99 (one value differs) and a CSV with unit
/// B98 and a copy of one of B99's values.
fn merge_inputs() -> TempDir {
    let dir = scratch();
    let fixture = std::fs::read_to_string(workspace().join("tests/e2e/fixtures/submission.json")).unwrap();
    let changed = fixture.replacen("\"value\": \"72.5\"", "\"value\": \"80\"", 1);
    assert_ne!(changed, fixture);
    let csv = "unit,name,block,period,indicator,value\nB98,Bộ Mẫu,ministry-without-public-services,2026,in-cdo,1\nB98,Bộ Mẫu,ministry-without-public-services,2026,if-cloud,45\nB99,Bộ Thử nghiệm,ministry-with-public-services,2026,in-architecture,2\n";
    for (name, content) in [("b99-first.json", fixture.as_str()), ("b99-second.json", &changed), ("more.csv", csv)] {
        write(&dir, name, content);
    }
    dir
}

#[test]
fn merge_reports_a_conflict_and_writes_nothing() {
    let inputs = merge_inputs();
    let dir = inputs.path();
    let output = dti_in(dir, &["merge", "b99-first.json", "more.csv", "b99-second.json"]);
    insta::assert_snapshot!(output);
}

#[test]
fn merge_keeps_the_chosen_value_counts_duplicates_and_the_result_evaluates() {
    let inputs = merge_inputs();
    let dir = inputs.path();
    let out = dir.join("merged.csv");
    let args = ["merge", "b99-first.json", "more.csv", "b99-second.json", "--keep", "last", "--out", "merged.csv"];
    insta::assert_snapshot!(dti_in(dir, &args));
    let merged = std::fs::read_to_string(&out).unwrap();
    assert!(merged.contains("B99,Bộ Thử nghiệm,ministry-with-public-services,2026,aw-leaders-trained,80,"), "{merged}");
    let evaluated = dti(&["evaluate", "--data", out.to_str().unwrap(), "--format", "csv"]);
    assert!(evaluated.starts_with("exit: 0") && evaluated.ends_with("--- stderr\n"), "{evaluated}");
    assert!(evaluated.contains("\nB98,") && evaluated.contains("\nB99,"), "{evaluated}");
}

#[test]
fn merge_warns_of_a_submission_changed_after_its_export_and_not_of_an_intact_one() {
    let inputs = merge_inputs();
    let dir = inputs.path();
    let fixture = std::fs::read_to_string(dir.join("b99-first.json")).unwrap();
    let exported = dti_core::assessment::Submission::from_json("b99.json", &fixture).unwrap().to_json();
    let edited = exported.replacen("\"72.5\"", "\"99\"", 1);
    assert_ne!(edited, exported);
    std::fs::write(dir.join("intact.json"), &exported).unwrap();
    std::fs::write(dir.join("edited.json"), &edited).unwrap();

    let intact = dti_in(dir, &["merge", "intact.json"]);
    assert!(intact.starts_with("exit: 0") && !intact.contains("changed after its export"), "{intact}");
    let merged = dti_in(dir, &["merge", "edited.json", "--out", "merged.csv"]);
    assert!(merged.starts_with("exit: 0"), "{merged}");
    assert!(
        merged.contains("warning: edited.json was changed after its export (its seal does not match its content)"),
        "{merged}"
    );
}

#[test]
fn report_is_one_self_contained_html_page_with_svg_charts() {
    let output = dti(&["report", "--as-of", "2026-01-15", "--lang", "en"]);
    assert!(output.starts_with("exit: 0"), "{output}");
    let html = output.split("--- stdout\n").nth(1).unwrap().split("--- stderr").next().unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    assert!(
        !html.contains("<script") && !html.contains("src=") && !html.contains("href="),
        "self-contained, no script"
    );
    assert_eq!(html.matches("<h2>Ranking — ").count(), 2, "one ranking per block");
    assert!(html.contains("<polyline"), "the index over the periods");
    assert!(html.contains("Bộ Y tế (mô phỏng) <small>(M05)</small>"));
    assert!(html.contains("<h2>Alerts (90)</h2>"), "the alerts of the period");
    insta::assert_snapshot!(html);
}

#[test]
fn report_as_excel_has_one_sheet_per_view() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = scratch();
    let path = dir.path().join("report.xlsx");
    let output = dti(&["report", "--as-of", "2026-01-15", "--format", "xlsx", "--out", path.to_str().unwrap()]);
    assert!(output.starts_with("exit: 0"), "{output}");
    let mut workbook: Xlsx<_> = open_workbook(&path).expect("a workbook");
    assert_eq!(workbook.sheet_names(), ["ranking", "indicators", "changes", "alerts", "about"]);
    let ranking = workbook.worksheet_range("ranking").unwrap();
    assert_eq!(ranking.height(), 26, "a header and 25 ministries");
    assert_eq!(ranking.get((1, 2)).map(|cell| cell.to_string()), Some("M18".to_owned()), "rank 1 first");
    let changes = workbook.worksheet_range("changes").unwrap();
    assert_eq!(changes.get((1, 1)).map(|cell| cell.to_string()), Some("2024".to_owned()));
    assert_eq!(workbook.worksheet_range("alerts").unwrap().height(), 91);
}

#[test]
fn diff_as_json_has_score_and_rank_changes_at_every_node() {
    let output = dti(&["diff", "--previous", "2024", "--format", "json"]);
    let json = output.split("--- stdout\n").nth(1).unwrap().split("--- stderr").next().unwrap();
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let first = &value["moves"][0];
    for node in ["dti", "cybersecurity", "dt-data", "in-budget-share"] {
        assert!(first["nodes"][node]["delta"].is_number(), "{node}: {}", first["nodes"]);
    }
    assert_eq!(first["unit"], "M13");
}

#[test]
fn publish_writes_pages_in_both_languages_open_data_and_a_manifest_and_replaces_only_a_publication() {
    let scratch = scratch();
    let dir = scratch.path();
    let site = dir.join("site");
    let output = dti_in(dir, &["publish", "--builtin", "vn-unit", "--as-of", "2026-01-15", "--out", "site"]);
    assert!(output.starts_with("exit: 0"), "{output}");
    for page in ["index.html", "alerts.html", "methodology.html", "en/index.html", "en/methodology.html", "site.js"] {
        assert!(site.join(page).is_file(), "{page} missing");
    }
    let units = std::fs::read_dir(site.join("units")).unwrap().count();
    assert_eq!(units, std::fs::read_dir(site.join("en/units")).unwrap().count());
    assert!(units > 100, "{units} unit pages");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "dti-publication/1");
    assert_eq!(manifest["periods"].as_array().unwrap().len(), 3);
    let framework_sha = manifest["framework_sha256"].as_str().unwrap();
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains(framework_sha));
    // Each period's CSV is what `dti evaluate --format csv` writes for it.
    let evaluated = dti(&["evaluate", "--builtin", "vn-unit", "--period", "2024", "--format", "csv"]);
    let published = std::fs::read_to_string(site.join("data/2024.csv")).unwrap();
    assert!(evaluated.contains(&published), "the published 2024.csv differs");
    // Its JSON is what `dti evaluate --format json` writes.
    let json =
        dti_in(dir, &["evaluate", "--builtin", "vn-unit", "--period", "2024", "--format", "json", "--out", "e.json"]);
    assert!(json.starts_with("exit: 0"), "{json}");
    assert_eq!(std::fs::read(site.join("data/2024.json")).unwrap(), std::fs::read(dir.join("e.json")).unwrap());
    // Publishing again replaces the publication: a page it wrote for a unit gone since goes
    // away, a file a person added is kept and named ...
    let unit_page =
        site.join("units").join(std::fs::read_dir(site.join("units")).unwrap().next().unwrap().unwrap().file_name());
    std::fs::write(site.join("units/notes.txt"), "mine").unwrap();
    let other = dti_in(dir, &["publish", "--builtin", "vn-ministry", "--as-of", "2026-01-15", "--out", "site"]);
    assert!(other.starts_with("exit: 0"), "{other}");
    assert!(other.contains("note: kept 1 file(s) that dti publish did not write: units/notes.txt"), "{other}");
    assert!(!unit_page.exists(), "{} lingers", unit_page.display());
    assert_eq!(std::fs::read_to_string(site.join("units/notes.txt")).unwrap(), "mine");
    let again = dti_in(dir, &["publish", "--builtin", "vn-unit", "--as-of", "2026-01-15", "--out", "site"]);
    assert!(again.starts_with("exit: 0"), "{again}");
    // ... but a folder holding anything else is refused, untouched.
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::write(dir.join("mine/notes.txt"), "keep me").unwrap();
    let refused = dti_in(dir, &["publish", "--builtin", "vn-unit", "--out", "mine"]);
    assert!(refused.starts_with("exit: 1") && refused.contains("holds no publication"), "{refused}");
    assert_eq!(std::fs::read_to_string(dir.join("mine/notes.txt")).unwrap(), "keep me");
    // An app folder without a built app is named.
    let no_app = dti_in(dir, &["publish", "--builtin", "vn-unit", "--out", "other", "--app", "mine"]);
    assert!(no_app.starts_with("exit: 1") && no_app.contains("cargo xtask dist"), "{no_app}");
}

/// Runs `dti` and returns its standard output, failing the test unless it succeeds.
fn dti_ok(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dti")).args(args).output().expect("run dti");
    assert!(output.status.success(), "dti {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn sensitivity_gives_the_same_report_on_one_thread_or_two() {
    let args = ["sensitivity", "--weights", "0.25", "--leave-out", "pillars", "--points", "40", "--format", "json"];
    let one = dti_ok(&[&args[..], &["--threads", "1"]].concat());
    let two = dti_ok(&[&args[..], &["--threads", "2"]].concat());
    assert_eq!(one, two);
    let report: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    let units = report["robustness"]["units"].as_array().expect("units");
    assert_eq!(units.len(), 25);
    for unit in units {
        let median = unit["median_rank"].as_f64().expect("a median");
        let interval = unit["rank_interval"].as_array().expect("an interval");
        let (low, high) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
        assert!(low <= median && median <= high, "{unit}");
    }
    assert_eq!(report["robustness"]["runs"], 40);
    assert!(report["coherence"]["indicators"].as_array().is_some_and(|list| list.len() == 30));
    let other_seed = dti_ok(&[&args[..], &["--seed", "2"]].concat());
    assert_ne!(one, other_seed);
}

#[test]
fn a_sensitivity_analysis_lists_how_much_each_input_matters() {
    let text = dti_ok(&[
        "sensitivity",
        "--method",
        "sensitivity",
        "--points",
        "60",
        "--weights",
        "0.25",
        "--aggregate",
        "sum,arithmetic",
        "--leave-out",
        "pillars",
        "--lang",
        "en",
    ]);
    assert!(text.contains("Robustness of the ranking: 300 runs, seed 1"), "{text}");
    assert!(text.contains("Sensitivity indices (of the mean absolute rank change)"), "{text}");
    for input in ["weights", "aggregation", "leave-out"] {
        assert!(text.lines().any(|line| line.starts_with(&format!("│ {input} "))), "{input} in\n{text}");
    }
    assert!(text.contains("Cronbach's alpha"), "{text}");
}

#[test]
fn sensitivity_explains_what_cannot_be_analysed() {
    let nothing = dti(&["sensitivity"]);
    assert!(nothing.starts_with("exit: 2") && nothing.contains("say what may vary: --weights 0.25"), "{nothing}");
    let one = dti(&["sensitivity", "--method", "sensitivity", "--weights", "0.2"]);
    assert!(one.contains("needs at least two uncertain inputs"), "{one}");
    let unknown = dti(&["sensitivity", "--leave-out", "pillars,nowhere"]);
    assert!(unknown.contains("`nowhere` is not a node of the indicator file"), "{unknown}");
    let geometric = dti(&[
        "sensitivity",
        "--method",
        "sensitivity",
        "--points",
        "20",
        "--weights",
        "0.2",
        "--aggregate",
        "sum,geometric",
    ]);
    assert!(geometric.starts_with("exit: 1"), "{geometric}");
    assert!(geometric.contains("ranked nobody") && geometric.contains("geometric aggregation of"), "{geometric}");
}

#[test]
fn verify_recomputes_a_publication_and_names_what_was_changed_since() {
    let scratch = scratch();
    let out = scratch.path().join("site");
    let folder = out.display().to_string();
    dti_ok(&["publish", "--out", &folder, "--as-of", "2026-01-15"]);
    let fine = dti(&["verify", &folder]);
    assert!(fine.starts_with("exit: 0"), "{fine}");
    assert!(
        fine.contains("ok   2025.json: the same") && fine.contains("the publication matches its sources"),
        "{fine}"
    );
    // One number changed in a published file.
    let csv = out.join("data/2024.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let changed = text.replacen(",ministry-with-public-services,", ",ministry-with-public-services,1", 1);
    assert_ne!(changed, text);
    std::fs::write(&csv, changed).unwrap();
    let tampered = dti(&["verify", &folder]);
    assert!(tampered.starts_with("exit: 1"), "{tampered}");
    assert!(tampered.contains("FAIL 2024.csv: differs from the recomputed results from line 2"), "{tampered}");
    assert!(tampered.contains("1 check(s) failed"), "{tampered}");
    // The data kept beside it edited: its digest no longer matches, nothing is recomputed.
    let data = out.join("data/vn-ministry-sample.csv");
    let mut bytes = std::fs::read(&data).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&data, bytes).unwrap();
    let edited = dti(&["verify", &folder]);
    assert!(
        edited.contains("FAIL vn-ministry-sample.csv: SHA-256 ") && edited.contains("the manifest says"),
        "{edited}"
    );
    assert!(edited.contains("the results were not recomputed"), "{edited}");
    let nothing = dti(&["verify", &out.join("nowhere").display().to_string()]);
    assert!(nothing.starts_with("exit: 1") && nothing.contains("is this a publication folder?"), "{nothing}");
}
