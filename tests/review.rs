//! What the hostile-input review found (issue 16), case by case, in the engine: each test
//! failed before its fix and names the message the user now gets. The command-line cases
//! (files written over, publications, options) are in `cli/tests/cli/hostile.rs`.

use dti_core::evaluation::Note;
use dti_core::framework::Impute;
use dti_core::pipeline::{EvaluateOptions, NormaliseOverride, Overrides, evaluate};
use dti_core::{Code, Diagnostic, Framework, load_data, load_framework};

/// Loads an indicator file, failing with every diagnostic when it is invalid.
fn framework(text: &str) -> Framework {
    let loaded = load_framework("f.toml", text.as_bytes());
    loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)))
}

/// The diagnostics of a file that must be refused.
fn refused_framework(name: &str, text: &str) -> Vec<Diagnostic> {
    let loaded = load_framework(name, text.as_bytes());
    assert!(loaded.framework.is_none(), "{name} was accepted");
    loaded.diagnostics
}

/// The diagnostics of data that must be refused.
fn refused_data(framework: &Framework, name: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let loaded = load_data(name, bytes, framework);
    assert!(loaded.dataset.is_none(), "{name} was accepted");
    loaded.diagnostics
}

/// Asserts an error of `code` saying `words`, at `line` when given.
fn has_error(diagnostics: &[Diagnostic], code: Code, words: &str, line: Option<u32>) {
    let found = diagnostics.iter().find(|d| d.is_error() && d.code == code && d.message.contains(words));
    let Some(found) = found else {
        panic!("no {code} error saying `{words}` among:\n{}", crate::support::render(diagnostics))
    };
    if let Some(line) = line {
        assert_eq!(found.location.line, line, "{}", found.message);
    }
}

/// Three number indicators summed as they are (points given directly).
const SUM: &str = r#"
id = "sum"
[[nodes]]
id = "index"
aggregate = "sum"
[[indicators]]
id = "a"
parent = "index"
type = "number"
min = 0
max = 10
[[indicators]]
id = "b"
parent = "index"
type = "number"
min = 0
max = 10
[[indicators]]
id = "c"
parent = "index"
type = "number"
min = 0
max = 10
"#;

fn evaluate_csv(framework: &Framework, csv: &str, overrides: Overrides) -> dti_core::Evaluation {
    let loaded = load_data("d.csv", csv.as_bytes(), framework);
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    evaluate(framework, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() }).expect("evaluates")
}

// 6. An empty period.

#[test]
fn a_row_with_an_empty_period_is_an_error_at_its_line_not_a_period_of_its_own() {
    let sum = framework(SUM);
    let diagnostics = refused_data(&sum, "d.csv", b"unit,period,a,b,c\nA,2025,1,2,3\nB,,1,2,3\n");
    has_error(&diagnostics, Code::MissingField, "the row has no period", Some(3));
    let json = br#"{"values": [
        {"unit": "A", "period": "2025", "indicator": "a", "value": 1},
        {"unit": "B", "indicator": "a", "value": 2}
    ]}"#;
    let diagnostics = refused_data(&sum, "d.json", json);
    has_error(&diagnostics, Code::MissingField, "names no period, unlike the others", Some(3));
    // A file that names no period at all is one period, as before.
    let loaded = load_data("d.csv", b"unit,a,b,c\nA,1,2,3\n", &sum);
    assert_eq!(loaded.dataset.expect("read").periods, ["current"]);
}

// 7. One ordering of periods everywhere.

#[test]
fn periods_are_in_time_order_so_the_latest_is_the_latest_in_time() {
    let sum = framework(SUM);
    let csv = "unit,period,a,b,c\nA,2025-12,1,1,1\nA,2025-7,2,2,2\nA,2025-H2,3,3,3\nA,2025-Q1,4,4,4\n";
    let dataset = load_data("d.csv", csv.as_bytes(), &sum).dataset.expect("read");
    assert_eq!(dataset.periods, ["2025-Q1", "2025-7", "2025-H2", "2025-12"]);
    assert_eq!(dataset.latest_period(), Some("2025-12"));
    let evaluation = evaluate(&sum, &dataset, &EvaluateOptions::default()).expect("evaluates");
    assert_eq!((evaluation.period.as_str(), evaluation.root_score(0)), ("2025-12", Some(3.0)));
}

// 8. Equal points share a rank.

#[test]
fn equal_points_added_in_another_order_share_a_rank() {
    let sum = framework(SUM);
    // 0.1 + 0.2 + 0.3 is 0.6000000000000001; 0.3 + 0.2 + 0.1 is 0.6.
    let evaluation =
        evaluate_csv(&sum, "unit,a,b,c\nA,0.1,0.2,0.3\nB,0.3,0.2,0.1\nC,0.2,0.2,0.1\n", Overrides::default());
    assert_ne!(evaluation.root_score(0), evaluation.root_score(1), "the sums differ in their last bits");
    assert_eq!(evaluation.rank, [Some(1), Some(1), Some(3)]);
    assert_eq!(evaluation.ranks_of(sum.root()), [Some(1), Some(1), Some(3)]);
}

#[test]
fn every_built_in_set_ranks_equal_published_points_alike() {
    for builtin in dti_core::builtin::BUILTINS {
        let loaded = load_framework(builtin.file_name, builtin.framework.as_bytes());
        let framework = loaded.framework.expect("valid");
        let data = load_data(builtin.data_name, builtin.data().as_bytes(), &framework).dataset.expect("valid");
        let evaluation = evaluate(&framework, &data, &EvaluateOptions::default()).expect("evaluates");
        let decimals = usize::from(framework.scale.rank_decimals.unwrap_or(framework.scale.decimals));
        for first in 0..evaluation.n_units() {
            for second in 0..evaluation.n_units() {
                let shown = |unit: usize| evaluation.display_score(unit).map(|score| format!("{score:.decimals$}"));
                if framework.scale.rank_decimals.is_some() && shown(first).is_some() && shown(first) == shown(second) {
                    assert_eq!(evaluation.rank[first], evaluation.rank[second], "{}: {:?}", builtin.id, shown(first));
                }
            }
        }
    }
    for id in ["vn-ministry", "vn-unit"] {
        let set = dti_core::builtin::builtin(id).expect("built in");
        let framework = load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
        assert_eq!(framework.scale.rank_decimals, Some(4), "{id} ranks the published 4 decimals");
    }
}

// 9 and 10. Group columns.

/// A COINr iMeta table with a group column called `Block`.
const IMETA_WITH_BLOCK_GROUP: &str = "iCode,iName,Level,Parent,Type,Weight,Direction\n\
    x,X,1,index,Indicator,1,1\n\
    y,Y,1,index,Indicator,1,1\n\
    index,Index,2,,Aggregate,1,\n\
    Block,Block,,,Group,,\n";

#[test]
fn a_coinr_group_named_block_stays_a_group_and_imputes_within_it() {
    let loaded = load_framework("iMeta.csv", IMETA_WITH_BLOCK_GROUP.as_bytes());
    let framework = loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    let csv = "uCode,Block,x,y\nA,north,10,1\nB,north,20,2\nC,south,90,3\nD,south,,4\n";
    let data = load_data("iData.csv", csv.as_bytes(), &framework);
    let dataset = data.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&data.diagnostics)));
    assert!(dataset.units.iter().all(|unit| unit.block.is_none()), "a group is not a ranking block");
    assert_eq!(dataset.groups[0].label(3), Some("south"));
    let options = EvaluateOptions {
        overrides: Overrides { impute: Some(Impute::GroupMean("Block".into())), ..Overrides::default() },
        keep_stages: true,
        ..EvaluateOptions::default()
    };
    let evaluation = evaluate(&framework, &dataset, &options).expect("evaluates");
    let imputed = evaluation.stages.iter().find(|stage| stage.name == "imputed").expect("kept");
    assert_eq!(imputed.values[0][3], 90.0, "D takes the south's mean, not the global mean");
}

#[test]
fn an_unknown_group_column_for_imputation_is_refused_naming_the_groups() {
    let framework = load_framework("iMeta.csv", IMETA_WITH_BLOCK_GROUP.as_bytes()).framework.expect("valid");
    let dataset = load_data("d.csv", b"uCode,Block,x,y\nA,n,1,2\nB,n,,3\n", &framework).dataset.expect("read");
    for impute in [Impute::GroupMedian("NoSuchColumn".into()), Impute::GroupMean("NoSuchColumn".into())] {
        let overrides = Overrides { impute: Some(impute), ..Overrides::default() };
        let error = evaluate(&framework, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() })
            .expect_err("refused");
        assert_eq!(
            error.to_string(),
            "`NoSuchColumn` is not a group column of the indicator file (its group columns: Block)"
        );
    }
}

// 11. fraction-of-max.

#[test]
fn fraction_of_max_scores_higher_values_of_zero_or_more_and_an_all_zero_column_scores_zero() {
    let with = |direction: &str, value_type: &str| {
        format!(
            "id = \"f\"\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"cost\"\nparent = \"index\"\n{direction}type = {value_type}\nmax_points = 100\nscoring = {{ method = \"fraction-of-max\" }}\n"
        )
    };
    let lower = refused_framework("lower.toml", &with("direction = \"lower\"\n", "\"count\""));
    has_error(&lower, Code::ScoringTypeMismatch, "cannot score `direction = \"lower\"`", Some(10));
    let negative = refused_framework("negative.toml", &with("", "\"number\""));
    has_error(&negative, Code::ScoringTypeMismatch, "needs values of 0 or more", Some(9));
    let counted = framework(&with("", "\"count\""));
    let evaluation = evaluate_csv(&counted, "unit,cost\nA,40\nB,10\n", Overrides::default());
    assert_eq!((evaluation.root_score(0), evaluation.root_score(1)), (Some(100.0), Some(25.0)));
    let zeros = evaluate_csv(&counted, "unit,cost\nA,0\nB,0\n", Overrides::default());
    assert_eq!((zeros.root_score(0), zeros.rank), (Some(0.0), vec![Some(1), Some(1)]));
}

// 12. Duplicated headers, ragged rows, decimal commas.

#[test]
fn a_duplicated_header_a_ragged_row_and_an_unquoted_decimal_comma_are_errors_at_their_line() {
    let sum = framework(SUM);
    let duplicated = refused_data(&sum, "d.csv", b"unit,a,b,a\nA,1,2,3\n");
    has_error(&duplicated, Code::DuplicateColumn, "column `a` is given twice (columns 2 and 4)", Some(1));
    let long = refused_data(&sum, "d.csv", b"unit,a,b,c\nA,1,2,3,4\n");
    has_error(&long, Code::RaggedRow, "the row has 5 cells, the header 4", Some(2));
    let short = refused_data(&sum, "d.csv", b"unit,a,b,c\nA,1,2,3\nB,1\n");
    has_error(&short, Code::RaggedRow, "the row has 2 cells, the header 4", Some(3));
    let comma = refused_data(&sum, "d.csv", b"unit,a,b,c\nA,7,5,1,2\n");
    assert!(
        comma.iter().any(|d| d.code == Code::RaggedRow && d.hints.iter().any(|hint| hint.contains("decimal comma")))
    );
}

// 13. Unicode normalisation.

#[test]
fn ids_are_compared_in_nfc_and_ids_that_print_the_same_cannot_both_be_declared() {
    let composed = "ch\u{1ec9}-s\u{1ed1}"; // chỉ-số, precomposed
    let decomposed = "chi\u{309}-so\u{302}\u{301}"; // the same, with combining marks
    assert_ne!(composed, decomposed);
    let text = format!(
        "id = \"n\"\n[[nodes]]\nid = \"index\"\naggregate = \"sum\"\n[[indicators]]\nid = \"{composed}\"\nparent = \"index\"\ntype = \"percent\"\n"
    );
    let set = framework(&text);
    // A header and a unit id typed with combining marks find the same indicator and unit.
    let csv = format!("unit,{decomposed}\nH\u{00e0}-N\u{1ed9}i,50\nHa\u{300}-No\u{302}\u{323}i,60\n");
    let diagnostics = refused_data(&set, "d.csv", csv.as_bytes());
    has_error(&diagnostics, Code::DuplicateValue, "appears twice", Some(3));
    let dataset = load_data("d.csv", format!("unit,{decomposed}\nA,50\n").as_bytes(), &set).dataset.expect("read");
    assert_eq!(dataset.tables[0].get(0, 0), Some(50.0));
    // Two indicators whose ids differ only in normalisation: refused.
    let twice = format!("{text}[[indicators]]\nid = \"{decomposed}\"\nparent = \"index\"\ntype = \"percent\"\n");
    let diagnostics = refused_framework("twice.toml", &twice);
    has_error(&diagnostics, Code::EmptyId, "not in Unicode NFC form", Some(10));
}

// 16. What CSV writers escape, readers undo.

#[test]
fn a_csv_written_with_apostrophes_for_spreadsheets_reads_back_as_it_was() {
    use dti_core::table::spreadsheet_safe;
    let sum = framework(SUM);
    let ids = ["+cmd", "=1+1", "@home", "-x", "'quoted", "plain"];
    let mut csv = String::from("unit,a,b,c\n");
    for id in ids {
        csv.push_str(&format!("{},1,2,3\n", spreadsheet_safe(id)));
    }
    let dataset = load_data("d.csv", csv.as_bytes(), &sum).dataset.expect("read");
    let read: Vec<&str> = dataset.units.iter().map(|unit| unit.id.as_str()).collect();
    assert_eq!(read, ids);
}

// 17. Values under an undeclared unit.

#[test]
fn json_values_under_a_unit_the_file_does_not_declare_are_an_error_naming_both() {
    let sum = framework(SUM);
    let json = br#"{"units": [{"id": "M01", "name": "Bo A"}],
        "values": [{"unit": "M1", "indicator": "a", "value": 5}]}"#;
    let diagnostics = refused_data(&sum, "d.json", json);
    has_error(&diagnostics, Code::UnknownUnit, "unit `M1`, which `units` does not declare", Some(2));
    assert!(diagnostics.iter().any(|d| d.hints.iter().any(|hint| hint.contains("M01"))), "the declared unit is named");
}

// 19. Settings that validated and gave wrong results.

#[test]
fn a_scale_other_than_the_index_a_huge_weight_and_a_repeated_json_key_are_refused() {
    let scale = refused_framework(
        "scale.toml",
        "id = \"s\"\n[scale]\nmax = 50\n[[nodes]]\nid = \"index\"\naggregate = \"sum\"\nmax_points = 100\n[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\nmax_points = 100\n",
    );
    has_error(&scale, Code::PointsMismatch, "`scale.max` is 50, but the index scores up to 100", Some(3));
    let weight = refused_framework(
        "weight.toml",
        "id = \"w\"\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\nweight = 1e308\n",
    );
    has_error(&weight, Code::BadWeight, "more than the 1000000 this tool allows", Some(8));
    let json = refused_framework("twice.json", "{\"id\": \"j\", \"version\": \"1\", \"id\": \"k\", \"nodes\": []}");
    has_error(&json, Code::Syntax, "key `id` is given twice in this object", Some(1));
    let winmax = refused_framework(
        "winmax.toml",
        "id = \"t\"\n[pipeline]\ntreat = { winmax = 2000000000 }\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\n",
    );
    has_error(&winmax, Code::BadNumber, "more than the 10000 points this tool winsorises", Some(3));
}

#[test]
fn an_indicator_that_scores_nobody_and_units_left_unscored_are_told() {
    let text = "id = \"m\"\n[pipeline]\nnormalise = { method = \"minmax\" }\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"flat\"\nparent = \"index\"\ntype = \"percent\"\n[[indicators]]\nid = \"other\"\nparent = \"index\"\ntype = \"percent\"\n";
    let set = framework(text);
    let evaluation = evaluate_csv(&set, "unit,flat,other\nA,50,10\nB,50,90\n", Overrides::default());
    assert_eq!(evaluation.notes, [Note::IndicatorScoredNobody { indicator: "flat".into() }]);
    let geometric = "id = \"g\"\n[[nodes]]\nid = \"index\"\naggregate = \"geometric\"\n[[indicators]]\nid = \"x\"\nparent = \"index\"\ntype = \"number\"\n";
    let set = framework(geometric);
    let loaded = load_data("d.csv", b"unit,x\nA,4\nB,-1\n", &set);
    let dataset = loaded.dataset.expect("read");
    match evaluate(&set, &dataset, &EvaluateOptions::default()) {
        // Either refused with the unit named, or evaluated with the unit told as unscored.
        Err(error) => assert!(error.to_string().contains("`B`"), "{error}"),
        Ok(evaluation) => {
            assert_eq!(evaluation.rank[1], None);
            assert!(
                evaluation
                    .notes
                    .iter()
                    .any(|note| matches!(note, Note::UnitsNotScored { units, .. } if units == &["B"]))
            );
        }
    }
}

#[test]
fn normalisation_parameters_too_large_to_compute_with_are_refused() {
    let sum = framework(SUM);
    let dataset = load_data("d.csv", b"unit,a,b,c\nA,1,2,3\n", &sum).dataset.expect("read");
    let overrides = Overrides { normalise: Some(NormaliseOverride::MinMax(0.0, 1e308)), ..Overrides::default() };
    let error =
        evaluate(&sum, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() }).expect_err("refused");
    assert!(error.to_string().contains("at most 1e9 in size"), "{error}");
    let overrides = Overrides { screen: Some(2.0), ..Overrides::default() };
    let error =
        evaluate(&sum, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() }).expect_err("refused");
    assert!(error.to_string().contains("is not a share of the indicators"), "{error}");
}

// 21. A winsorisation limit far above the units.

#[test]
fn a_winsorisation_limit_far_above_the_units_costs_no_more_than_the_units() {
    let text = "id = \"w\"\n[pipeline]\nnormalise = { method = \"minmax\" }\ntreat = { winmax = 10000 }\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"x\"\nparent = \"index\"\ntype = \"number\"\n";
    let set = framework(text);
    let evaluation = evaluate_csv(&set, "unit,x\nA,1\nB,2\nC,3\nD,4\nE,1000\n", Overrides::default());
    assert_eq!(evaluation.rank.iter().filter(|rank| rank.is_some()).count(), 5);
}

// 22 and 23. Readers bounded also for streams and workbooks.

/// An endless stream of one byte: a device, a pipe that never ends.
struct Endless(u8);

impl std::io::Read for Endless {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        buffer.fill(self.0);
        Ok(buffer.len())
    }
}

#[test]
fn an_endless_csv_stream_stops_at_the_line_limit() {
    let sum = framework(SUM);
    let (dataset, diagnostics) = dti_core::data::read_csv("/dev/zero", Endless(b'a'), &sum);
    assert!(dataset.is_none());
    has_error(&diagnostics, Code::TooLarge, "line 1 is longer than the 16 MiB this tool reads on one line", Some(1));
}

#[test]
fn a_workbook_with_a_huge_shared_string_is_refused_before_it_is_loaded() {
    let sum = framework(SUM);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("data").expect("a name");
    sheet.write_string(0, 0, "unit").expect("a cell");
    sheet.write_string(1, 0, "MARKER").expect("a cell");
    let small = workbook.save_to_buffer().expect("a workbook");
    // The shared string made two mebibytes of whitespace (Excel's own limit is 32,767
    // characters; a hand-made file has none), compressed to a few kilobytes.
    let bytes = with_part_edited(&small, "xl/sharedStrings.xml", |xml| xml.replace("MARKER", &" ".repeat(2 << 20)));
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let diagnostics = refused_data(&sum, "big.xlsx", &bytes);
    has_error(&diagnostics, Code::TooLarge, "holds a text longer than the 1 MiB this tool reads in a cell", None);
}

// 25. iMeta problems at their row.

#[test]
fn an_imeta_problem_is_at_its_row_without_toml_hints() {
    let table = "iCode,iName,Level,Parent,Type,Weight\nx,X,1,index,Indicator,-2\nindex,Index,2,,Aggregate,1\n";
    let diagnostics = refused_framework("iMeta.csv", table);
    let weight = diagnostics.iter().find(|d| d.code == Code::BadWeight).expect("the weight is refused");
    assert_eq!(weight.location.line, 2, "{weight}");
    assert!(weight.hints.iter().all(|hint| !hint.contains("info_only")), "{:?}", weight.hints);
}

// 26. Levels that leave low scores without one.

#[test]
fn levels_that_start_above_the_lowest_score_are_warned_of() {
    let text = "id = \"l\"\n[pipeline]\nnormalise = { method = \"zscore\" }\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"x\"\nparent = \"index\"\ntype = \"number\"\n[[levels]]\nid = \"good\"\nmin = 0.5\n";
    let loaded = load_framework("levels.toml", text.as_bytes());
    assert!(loaded.framework.is_some());
    let warning = loaded.diagnostics.iter().find(|d| d.code == Code::BandGap).expect("a warning");
    assert!(warning.message.contains("scores below 0.5 of `index` get no level"), "{warning}");
}

/// A copy of a workbook with one part's XML changed.
fn with_part_edited(workbook: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).expect("a zip");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("a part");
        let name = file.name().expect("a name").into_owned();
        let mut content = String::new();
        file.read_to_string(&mut content).expect("XML");
        let content = if name == part { edit(&content) } else { content };
        writer.start_file(name, options).expect("a part");
        writer.write_all(content.as_bytes()).expect("written");
    }
    writer.finish().expect("a zip").into_inner()
}

#[test]
fn perturbed_weights_never_take_a_sum_beyond_its_points() {
    use dti_core::robustness::{Analysis, Input, Method};
    let text = "id = \"p\"\n[scale]\nmax = 100\n[[nodes]]\nid = \"index\"\naggregate = \"sum\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\nmax_points = 60\n[[indicators]]\nid = \"b\"\nparent = \"index\"\ntype = \"percent\"\nmax_points = 40\n";
    let set = framework(text);
    let dataset = load_data("d.csv", b"unit,a,b\nTop,100,100\nLow,10,90\n", &set).dataset.expect("read");
    let inputs = vec![Input::Weights { levels: vec![1], factor: 0.25 }];
    let analysis =
        Analysis::new(&set, &EvaluateOptions::default(), inputs, Method::Uncertainty, 200, 1).expect("an analysis");
    let tops: Vec<f64> = (0..analysis.runs()).filter_map(|run| analysis.run(&dataset, run).scores[0]).collect();
    assert_eq!(tops.len(), 200);
    // Full marks stay 100 (to rounding), whatever the weights drawn; other units move.
    assert!(tops.iter().all(|score| (score - 100.0).abs() < 1e-9), "{:?}", tops.iter().cloned().fold(0.0, f64::max));
    let lows: Vec<f64> = (0..analysis.runs()).filter_map(|run| analysis.run(&dataset, run).scores[1]).collect();
    assert!(lows.iter().any(|score| (score - 42.0).abs() > 0.5), "the weights do vary");
}

// 25. All of one alert rule's problems at once.

#[test]
fn an_alert_rule_with_a_bad_severity_and_a_bad_kind_is_told_both_at_once() {
    let text = "id = \"a\"\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"x\"\nparent = \"index\"\ntype = \"percent\"\n[[alerts]]\nid = \"r1\"\nkind = \"bogus\"\nseverity = \"sometimes\"\nmessage = \"m\"\n";
    let diagnostics = refused_framework("alerts.toml", text);
    has_error(&diagnostics, Code::BadAlert, "has severity `sometimes`", Some(11));
    has_error(&diagnostics, Code::BadAlert, "has kind `bogus`", Some(10));
}
