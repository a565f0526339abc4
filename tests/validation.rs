//! Indicator-file diagnostics: every problem at once, each with its code and place.

use dti_core::load_framework;

/// Loads `text` as `name` and lists its diagnostics as `severity[code] line:column message`.
fn diagnose(name: &str, text: &str) -> Vec<String> {
    let loaded = load_framework(name, text.as_bytes());
    loaded
        .diagnostics
        .iter()
        .map(|d| format!("{}[{}] {}:{} {}", d.severity, d.code, d.location.line, d.location.column, d.message))
        .collect()
}

/// Checks that a file gives exactly the expected diagnostics, in order.
fn check(text: &str, expected: &[&str]) {
    let actual = diagnose("f.toml", text);
    assert_eq!(actual, expected, "\nactual diagnostics:\n{}", actual.join("\n"));
}

const HEADER: &str = "id = \"t\"\n[[nodes]]\nid = \"index\"\n";

#[test]
fn a_valid_file_has_no_diagnostics() {
    check(&format!("{HEADER}[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\n"), &[]);
}

#[test]
fn every_unknown_key_is_reported_at_its_line() {
    let text = format!(
        "{HEADER}colour = \"red\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\nwieght = 2\n[scale]\nmaxx = 3\n"
    );
    check(
        &text,
        &[
            "error[unknown-key] 4:1 unknown key `colour`",
            "error[unknown-key] 8:1 unknown key `wieght`",
            "error[unknown-key] 10:1 unknown key `maxx`",
        ],
    );
}

#[test]
fn duplicate_ids_dangling_parents_and_bad_weights_are_all_reported() {
    let text = format!(
        "{HEADER}[[indicators]]\nid = \"a\"\nparent = \"index\"\nweight = -1\n\n[[indicators]]\nid = \"a\"\nparent = \"index\"\n\n[[indicators]]\nid = \"b\"\nparent = \"indx\"\n"
    );
    check(
        &text,
        &[
            "error[bad-weight] 7:10 `weight` is -1; it must be positive and finite",
            "error[duplicate-id] 10:6 id `a` is used twice",
            "error[dangling-parent] 15:10 parent `indx` of `b` does not exist",
        ],
    );
    let loaded = load_framework("f.toml", text.as_bytes());
    let dangling = loaded.diagnostics.iter().find(|d| d.code == dti_core::Code::DanglingParent).unwrap();
    assert_eq!(dangling.hints.iter().map(ToString::to_string).collect::<Vec<_>>(), vec!["did you mean `index`?"]);
}

#[test]
fn cycles_are_named_with_their_path() {
    let text = "id = \"t\"\n[[nodes]]\nid = \"root\"\n[[nodes]]\nid = \"x\"\nparent = \"y\"\n[[nodes]]\nid = \"y\"\nparent = \"x\"\n[[indicators]]\nid = \"a\"\nparent = \"root\"\n";
    check(
        text,
        &[
            "error[cycle] 6:10 `x` is its own ancestor: `x` -> `y` -> `x`",
            "error[cycle] 9:10 `y` is its own ancestor: `y` -> `x` -> `y`",
        ],
    );
}

#[test]
fn two_roots_are_an_error() {
    let text = "id = \"t\"\n[[nodes]]\nid = \"one\"\n[[nodes]]\nid = \"two\"\n";
    let diagnostics = diagnose("f.toml", text);
    assert!(
        diagnostics.iter().any(|d| d.starts_with("error[no-root] 4:1 several nodes have no parent")),
        "{diagnostics:?}"
    );
}

const BANDS: &str = "id = \"t\"\n[[nodes]]\nid = \"index\"\naggregate = \"sum\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\ntype = \"percent\"\n";

#[test]
fn overlapping_gapped_and_out_of_range_bands() {
    let text = format!(
        "{BANDS}scoring = {{ method = \"bands\", bands = [\n  {{ to = 50, points = 0 }},\n  {{ from = 40, to = 80, points = 5 }},\n  {{ from = 90, to = 120, points = 10 }},\n  {{ from = 120, to = 150, points = 10 }},\n] }}\n"
    );
    check(
        &text,
        &[
            "error[band-overlap] 11:12 band from 40 overlaps the band ending at 50",
            "error[band-gap] 12:12 values from 80 to 90 fall in no band",
            "error[band-out-of-range] 13:3 band starting at 120 lies above the highest allowed value 100 of a percent indicator",
        ],
    );
}

#[test]
fn bands_must_cover_the_whole_value_range() {
    let text = format!(
        "{BANDS}scoring = {{ method = \"bands\", bands = [{{ from = 10, to = 60, points = 0 }}, {{ from = 60, points = 5 }}] }}\n"
    );
    check(&text, &["error[band-gap] 9:49 values from 0 to 10 fall in no band"]);
}

#[test]
fn declared_points_must_match_the_scoring() {
    let text = format!(
        "{BANDS}max_points = 20\nscoring = {{ method = \"bands\", bands = [{{ to = 50, points = 0 }}, {{ from = 50, points = 10 }}] }}\n"
    );
    check(&text, &["error[points-mismatch] 9:14 `a` declares 20 maximum points but its scoring gives at most 10"]);
}

#[test]
fn geometric_mean_over_a_range_reaching_zero_is_refused_before_running() {
    let text = "id = \"t\"\n[pipeline]\nnormalise = { method = \"minmax\", low = 0, high = 100 }\n[[nodes]]\nid = \"index\"\naggregate = \"geometric\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\n";
    check(
        text,
        &["error[aggregation-domain] 6:13 geometric aggregation of `index` needs values above 0, but `a` can score 0"],
    );
}

#[test]
fn geometric_mean_over_unbounded_scores_is_a_warning() {
    let text = "id = \"t\"\n[[nodes]]\nid = \"index\"\naggregate = \"geometric\"\n[[indicators]]\nid = \"a\"\nparent = \"index\"\nscoring = { method = \"zscore\", mean = 10, sd = 2 }\n";
    check(
        text,
        &[
            "warning[aggregation-domain] 4:13 geometric aggregation of `index` needs values above 0, and `a` is not bounded below",
        ],
    );
}

#[test]
fn unused_and_missing_scoring_parameters() {
    let text = format!("{BANDS}scoring = {{ method = \"goalposts\", lower = 0, mean = 3 }}\n");
    check(
        &text,
        &[
            "error[missing-parameter] 9:11 goalposts scoring needs `lower` and `upper`",
            "warning[unused-parameter] 9:53 `mean` is not used by `goalposts` scoring",
        ],
    );
}

#[test]
fn scoring_that_cannot_read_the_value_type() {
    let text = format!("{BANDS}scoring = {{ method = \"boolean\", points = 5 }}\n");
    check(&text, &["error[scoring-type-mismatch] 9:22 `boolean` scoring needs a boolean indicator, not percent"]);
}

#[test]
fn maturity_levels_overlap_and_range() {
    let text = format!(
        "{BANDS}scoring = {{ method = \"bands\", bands = [{{ to = 50, points = 0 }}, {{ from = 50, points = 10 }}] }}\n[[levels]]\nid = \"low\"\nmin = 0\n[[levels]]\nid = \"mid\"\nmin = 5\n[[levels]]\nid = \"again\"\nmin = 5\n[[levels]]\nid = \"top\"\nmin = 50\n"
    );
    check(
        &text,
        &[
            "error[band-overlap] 18:7 levels `mid` and `again` start at the same score 5",
            "error[band-out-of-range] 21:7 level `top` starts at 50, outside the scores `index` can take (0 to 10)",
        ],
    );
}

#[test]
fn unknown_blocks_and_requirements() {
    let text = format!(
        "{BANDS}applies_to = [\"provinces\"]\n[[blocks]]\nid = \"ministry\"\n[[levels]]\nid = \"x\"\nmin = 0\nrequires = [{{ node = \"security\", min_share = 0.6 }}]\n"
    );
    check(
        &text,
        &[
            "error[unknown-block] 9:15 block `provinces` is not declared",
            "error[unknown-reference] 15:22 requirement names `security`, which does not exist",
        ],
    );
}

#[test]
fn toml_syntax_errors_point_at_the_problem() {
    let diagnostics = diagnose("f.toml", "id = \"t\"\n[[nodes]\n");
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].starts_with("error[syntax] 2:"), "{diagnostics:?}");
}

#[test]
fn wrong_types_are_reported_with_their_place() {
    let diagnostics =
        diagnose("f.toml", &format!("{HEADER}[[indicators]]\nid = \"a\"\nparent = \"index\"\nweight = \"heavy\"\n"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].contains(" 7:"), "{diagnostics:?}");
}

#[test]
fn json_files_get_lines_and_columns_too() {
    let json = "{\n  \"id\": \"t\",\n  \"nodes\": [{\"id\": \"index\"}],\n  \"indicators\": [\n    {\"id\": \"a\", \"parent\": \"index\", \"weight\": 0}\n  ],\n  \"extra\": 1\n}\n";
    let diagnostics = diagnose("f.json", json);
    assert_eq!(
        diagnostics,
        vec![
            "error[bad-weight] 5:46 `weight` is 0; it must be positive and finite",
            "error[unknown-key] 7:3 unknown key `extra`"
        ]
    );
}

#[test]
fn json_type_and_syntax_errors_point_into_the_json_text() {
    let json = "{\n  \"id\": \"t\",\n  \"nodes\": [{\"id\": \"index\"}],\n  \"indicators\": [\n    {\"id\": \"a\", \"parent\": \"index\", \"weight\": \"heavy\"}\n  ]\n}\n";
    let diagnostics = diagnose("f.json", json);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("error[wrong-type] 5:46 a value of the wrong type: `invalid type: string \"heavy\""),
        "{diagnostics:?}"
    );
    let diagnostics = diagnose("f.json", "{\n  \"id\": \"t\",\n  \"nodes\": [\n}\n");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].starts_with("error[syntax] 4:"), "{diagnostics:?}");
    // Comments and trailing commas are accepted, as in editors' JSON configuration files.
    let commented = "{\n  // the index\n  \"id\": \"t\",\n  \"nodes\": [{\"id\": \"index\"}],\n  \"indicators\": [{\"id\": \"a\", \"parent\": \"index\",}],\n}\n";
    assert_eq!(diagnose("f.json", commented), Vec::<String>::new());
}

#[test]
fn non_utf8_files_are_refused_with_the_offset() {
    let loaded = load_framework("f.toml", b"id = \"t\xff\"\n");
    assert_eq!(loaded.diagnostics.len(), 1);
    assert_eq!(loaded.diagnostics[0].message.to_string(), "the file is not UTF-8 text");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{HEADER}[[indicators]]\nid = \"a\"\nparent = \"index\"\n");
    let loaded = load_framework("f.toml", text.as_bytes());
    assert!(loaded.framework.is_some(), "{:?}", loaded.diagnostics);
}

#[test]
fn the_built_in_sets_are_valid_and_add_up() {
    for builtin in dti_core::builtin::BUILTINS {
        let loaded = load_framework(builtin.file_name, builtin.framework.as_bytes());
        let diagnostics: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        assert!(diagnostics.is_empty(), "{}: {diagnostics:?}", builtin.id);
    }
    let ministry =
        load_framework("vn-ministry.toml", dti_core::builtin::BUILTINS[0].framework.as_bytes()).framework.unwrap();
    assert_eq!(ministry.indicator_indices().len(), 31);
    assert_eq!(ministry.nodes[ministry.root()].max(), Some(1000.0));
    let unit = load_framework("vn-unit.toml", dti_core::builtin::builtin("vn-unit").unwrap().framework.as_bytes())
        .framework
        .unwrap();
    let activities = unit.node_index("dt-activities").unwrap();
    assert_eq!(unit.nodes[activities].max(), Some(600.0));
}

#[test]
fn coinr_imeta_tables_are_indicator_files() {
    let imeta = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n1,A,Alpha,1,1,Score,NA,NA,P,Indicator\n1,B,Beta,-1,2,Score,NA,Pop,P,Indicator\n2,P,Pillar,1,1,Score,NA,NA,NA,Aggregate\nNA,Pop,Population,NA,NA,NA,NA,NA,NA,Denominator\n";
    let loaded = load_framework("iMeta.csv", imeta.as_bytes());
    let framework = loaded.framework.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    assert_eq!(framework.denominators, vec!["Pop"]);
    let b = framework.node_index("B").unwrap();
    assert_eq!(framework.nodes[b].weight, 2.0);
    assert_eq!(framework.nodes[b].indicator().unwrap().direction, dti_core::framework::Direction::Lower);
    let bad = "iCode,Type\nA,Thing\n";
    let diagnostics = diagnose("iMeta.csv", bad);
    // Problems of the whole file come first, then by place.
    assert!(diagnostics[0].starts_with("error[no-root] 0:0"), "{diagnostics:?}");
    assert_eq!(diagnostics[1], "error[wrong-type] 2:2 unknown iMeta Type `Thing`");
}
