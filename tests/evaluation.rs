//! Evaluation semantics, case by case: `check(indicator_file, data, expected)` where the
//! expectation lists `unit score rank block_rank level` per unit in data order.

use dti_core::pipeline::{EvaluateOptions, evaluate};
use dti_core::{load_data, load_framework};

/// Evaluates `data` (CSV) with `framework` (TOML) and returns the evaluation.
fn run(framework: &str, data: &str) -> dti_core::Evaluation {
    let loaded = load_framework("f.toml", framework.as_bytes());
    let framework = loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    let data = load_data("d.csv", data.as_bytes(), &framework);
    let dataset = data.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&data.diagnostics)));
    evaluate(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates")
}

/// Checks every unit's root score, rank, block rank and level.
fn check(framework: &str, data: &str, expected: &str) {
    let evaluation = run(framework, data);
    let actual: Vec<String> = (0..evaluation.n_units())
        .map(|unit| {
            let show = |rank: Option<u32>| rank.map_or("-".to_owned(), |r| r.to_string());
            format!(
                "{} {} {} {} {}",
                evaluation.units[unit].id,
                evaluation.root_score(unit).map_or("-".to_owned(), |s| format!("{s}")),
                show(evaluation.rank[unit]),
                show(evaluation.block_rank[unit]),
                evaluation.root_level(unit).map_or("-", |level| level.id.as_str()),
            )
        })
        .collect();
    let expected: Vec<String> =
        expected.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect();
    assert_eq!(actual, expected);
}

const POINTS: &str = r#"
id = "points"
[pipeline]
missing = "zero"
[[blocks]]
id = "with"
[[blocks]]
id = "without"
[[nodes]]
id = "index"
aggregate = "sum"
max_points = 100
[[nodes]]
id = "services"
parent = "index"
aggregate = "sum"
max_points = 60
[[nodes]]
id = "security"
parent = "index"
aggregate = "sum"
max_points = 40
[[indicators]]
id = "online"
parent = "services"
type = "percent"
max_points = 30
applies_to = ["with"]
[[indicators]]
id = "signed"
parent = "services"
type = "percent"
max_points = 30
[[indicators]]
id = "layers"
parent = "security"
type = "ordinal"
max_points = 40
labels = [{ value = 0, name = "none" }, { value = 1, name = "basic" }, { value = 2, name = "advanced" }]
scoring = { method = "levels", levels = { "0" = 0, "1" = 10, "2" = 40 } }
[[levels]]
id = "low"
min = 0
[[levels]]
id = "high"
min = 70
requires = [{ node = "security", min_share = 0.9 }]
"#;

#[test]
fn points_add_up_and_ties_share_the_smaller_rank() {
    check(
        POINTS,
        "unit,block,online,signed,layers\na,with,100,100,2\nb,with,50,50,2\nc,with,100,0,2\nd,with,0,0,0\n",
        "a 100 1 1 high
         b 70 2 2 high
         c 70 2 2 high
         d 0 4 4 low",
    );
}

#[test]
fn indicators_that_do_not_apply_are_left_out_and_the_pillar_keeps_its_scale() {
    // For a unit without public services, `signed` alone fills the 60 points of `services`.
    check(
        POINTS,
        "unit,block,online,signed,layers\na,with,50,50,1\nb,without,,50,1\n",
        "a 40 1 1 low
         b 40 1 1 low",
    );
}

#[test]
fn a_missing_value_scores_zero_points_when_the_file_says_so() {
    check(POINTS, "unit,block,online,signed,layers\na,with,100,,2\n", "a 70 1 1 high");
}

#[test]
fn a_gate_keeps_a_unit_below_a_level_it_otherwise_reaches() {
    // 80 points but security at 10 of 40 (25%): the gate of `high` needs 90%.
    check(POINTS, "unit,block,online,signed,layers\na,with,100,100,1\n", "a 70 1 1 low");
}

#[test]
fn contributions_and_gaps_add_up_to_the_score_and_the_maximum() {
    let evaluation = run(POINTS, "unit,block,online,signed,layers\na,with,40,90,1\n");
    let contributions = evaluation.contributions(0);
    let total: f64 = contributions.iter().filter_map(|c| c.contribution).sum();
    let gaps: f64 = contributions.iter().filter_map(|c| c.gap).sum();
    assert!((total - evaluation.root_score(0).unwrap()).abs() < 1e-12);
    assert!((total + gaps - 100.0).abs() < 1e-12);
    let online = contributions.iter().find(|c| c.indicator == "online").unwrap();
    assert_eq!(online.contribution, Some(12.0));
    assert_eq!(online.gap, Some(18.0));
}

#[test]
fn skipped_missing_values_renormalise_the_weights() {
    let framework = r#"
id = "mean"
[[nodes]]
id = "index"
[[indicators]]
id = "x"
parent = "index"
weight = 3
type = "number"
[[indicators]]
id = "y"
parent = "index"
type = "number"
"#;
    check(framework, "unit,x,y\na,10,20\nb,,20\n", "a 12.5 2 2 -\nb 20 1 1 -");
}

#[test]
fn min_coverage_leaves_a_node_without_a_score() {
    let framework = r#"
id = "coverage"
[[nodes]]
id = "index"
min_coverage = 0.75
[[indicators]]
id = "x"
parent = "index"
[[indicators]]
id = "y"
parent = "index"
"#;
    let evaluation = run(framework, "unit,x,y\na,1,2\nb,1,\n");
    assert_eq!(evaluation.root_score(1), None);
    assert_eq!(evaluation.rank, vec![Some(1), None]);
    assert_eq!(evaluation.coverage, vec![1.0, 0.5]);
}

#[test]
fn goalposts_with_direction_and_truncation() {
    let framework = r#"
id = "desi"
[[nodes]]
id = "index"
[[indicators]]
id = "price"
parent = "index"
direction = "lower"
scoring = { method = "goalposts", lower = 20, upper = 100, scale = 100 }
"#;
    check(framework, "unit,price\ncheap,10\nmid,60\ndear,120\n", "cheap 100 1 1 -\nmid 50 2 2 -\ndear 0 3 3 -");
}

#[test]
fn previous_period_imputation_carries_values_forward_as_stale() {
    let framework = "id = \"t\"\n[pipeline]\nimpute = { method = \"previous-period\" }\n[[nodes]]\nid = \"index\"\n[[indicators]]\nid = \"x\"\nparent = \"index\"\n";
    let loaded = load_framework("f.toml", framework.as_bytes()).framework.unwrap();
    let data = "unit,period,indicator,value\na,2023,x,40\na,2024,x,\nb,2024,x,70\n";
    let dataset = load_data("d.csv", data.as_bytes(), &loaded).dataset.unwrap();
    let evaluation = evaluate(&loaded, &dataset, &EvaluateOptions::default()).unwrap();
    assert_eq!(evaluation.period, "2024");
    assert_eq!(evaluation.root_score(0), Some(40.0));
    let flags = evaluation.contributions(0)[0].flags;
    assert_eq!(dti_core::evaluation::flag_names(flags), vec!["missing", "imputed", "stale"]);
}

#[test]
fn an_unknown_period_is_an_error_naming_the_periods_there_are() {
    let framework =
        load_framework("f.toml", b"id = \"t\"\n[[nodes]]\nid = \"i\"\n[[indicators]]\nid = \"x\"\nparent = \"i\"\n")
            .framework
            .unwrap();
    let dataset = load_data("d.csv", b"unit,period,x\na,2024,1\n", &framework).dataset.unwrap();
    let options = EvaluateOptions { period: Some("2030".into()), ..EvaluateOptions::default() };
    let error = evaluate(&framework, &dataset, &options).unwrap_err();
    assert_eq!(error.to_string(), "period `2030` is not in the data (periods: 2024)");
}

#[test]
fn the_built_in_sample_evaluates_with_levels_and_blocks() {
    let builtin = &dti_core::builtin::BUILTINS[0];
    let framework = load_framework(builtin.file_name, builtin.framework.as_bytes()).framework.unwrap();
    let data = load_data(builtin.data_name, builtin.data().as_bytes(), &framework);
    let dataset = data.dataset.unwrap();
    assert_eq!(dataset.periods, vec!["2023", "2024", "2025"]);
    let evaluation = evaluate(&framework, &dataset, &EvaluateOptions::default()).unwrap();
    assert_eq!(evaluation.n_units(), 25);
    for unit in 0..evaluation.n_units() {
        let score = evaluation.root_score(unit).unwrap();
        assert!((0.0..=1000.0).contains(&score));
        assert!(evaluation.root_level(unit).is_some());
        assert!(evaluation.block_rank[unit].unwrap() <= evaluation.rank[unit].unwrap());
    }
}

#[test]
fn a_units_score_does_not_depend_on_the_units_beside_it_in_a_large_data_set() {
    // Aggregation goes through units in blocks of thousands: a block where some unit lacks
    // a value must give every other unit the same score, bit for bit, as a block without.
    let framework = r#"
id = "blocks"
[[nodes]]
id = "index"
[[indicators]]
id = "x"
parent = "index"
weight = 0.1
type = "number"
[[indicators]]
id = "y"
parent = "index"
weight = 0.7
type = "number"
[[indicators]]
id = "z"
parent = "index"
weight = 0.2
type = "number"
"#;
    let n_units = 20_000;
    let lacks_y = |unit: usize| (9_000..9_005).contains(&unit) || unit == n_units - 1;
    let values = |unit: usize| ((unit % 7) as f64 * 1.3, (unit % 11) as f64 * 0.9, (unit % 13) as f64 * 2.1);
    let mut data = String::from("unit,x,y,z\n");
    for unit in 0..n_units {
        let (x, y, z) = values(unit);
        let y = if lacks_y(unit) { String::new() } else { y.to_string() };
        data.push_str(&format!("u{unit},{x},{y},{z}\n"));
    }
    let evaluation = run(framework, &data);
    for unit in 0..n_units {
        let (x, y, z) = values(unit);
        // The engine's order: children in file order, weights likewise.
        let expected = if lacks_y(unit) {
            ((0.0 + 0.1 * x) + 0.2 * z) / ((0.0 + 0.1) + 0.2)
        } else {
            (((0.0 + 0.1 * x) + 0.7 * y) + 0.2 * z) / (((0.0 + 0.1) + 0.7) + 0.2)
        };
        let score = evaluation.root_score(unit).expect("a score");
        assert_eq!(score.to_bits(), expected.to_bits(), "unit {unit}: {score} vs {expected}");
    }
    assert_eq!(evaluation.coverage[9_000], 2.0 / 3.0);
    assert_eq!(evaluation.coverage[8_999], 1.0);
}
