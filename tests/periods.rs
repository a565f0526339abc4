//! Periods: series in time order, comparisons at every node, trends.

use dti_core::pipeline::EvaluateOptions;
use dti_core::series::{compare, evaluate_series, trend};
use dti_core::{load_data, load_framework};

const FRAMEWORK: &str = r#"
id = "p"
[pipeline]
missing = "zero"
[[nodes]]
id = "index"
aggregate = "sum"
max_points = 100
[[indicators]]
id = "x"
parent = "index"
type = "percent"
max_points = 50
[[indicators]]
id = "y"
parent = "index"
type = "percent"
max_points = 50
"#;

fn series(data: &str) -> Vec<dti_core::Evaluation> {
    let framework = load_framework("p.toml", FRAMEWORK.as_bytes()).framework.expect("valid");
    let dataset = load_data("d.csv", data.as_bytes(), &framework).dataset.expect("reads");
    evaluate_series(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates")
}

const DATA: &str = "unit,period,x,y\na,2025-Q1,80,80\nb,2025-Q1,90,90\na,2024-Q3,40,40\nb,2024-Q3,60,60\nc,2024-Q3,10,10\na,2024-Q4,60,60\nb,2024-Q4,70,70\n";

#[test]
fn periods_are_evaluated_in_time_order_whatever_the_data_order() {
    let periods: Vec<String> = series(DATA).iter().map(|evaluation| evaluation.period.clone()).collect();
    assert_eq!(periods, ["2024-Q3", "2024-Q4", "2025-Q1"]);
}

#[test]
fn a_comparison_gives_score_and_rank_deltas_at_every_node_and_who_left() {
    let series = series(DATA);
    let comparison = compare(&series[2], &series[0]);
    assert_eq!((comparison.period.as_str(), comparison.previous_period.as_str()), ("2025-Q1", "2024-Q3"));
    assert_eq!(comparison.left, ["c"]);
    let a = &comparison.units[0];
    assert_eq!(a.unit, "a");
    let index = series[2].framework.root();
    // a: 40 -> 80 points on the index, rank 2 -> 2; on x: 20 -> 40 points.
    assert_eq!(a.nodes[index].delta, Some(40.0));
    assert_eq!(
        (a.nodes[index].previous_rank, a.nodes[index].rank, a.nodes[index].rank_change),
        (Some(2), Some(2), Some(0))
    );
    let x = series[2].framework.node_index("x").expect("x");
    assert_eq!((a.nodes[x].previous, a.nodes[x].score), (Some(20.0), Some(40.0)));
}

#[test]
fn a_comparison_across_indicator_file_versions_matches_nodes_by_id() {
    let old = series(DATA);
    let renamed = FRAMEWORK.replace("id = \"y\"", "id = \"y2\"");
    let framework = load_framework("p2.toml", renamed.as_bytes()).framework.expect("valid");
    let data = DATA.replace(",y\n", ",y2\n");
    let dataset = load_data("d.csv", data.as_bytes(), &framework).dataset.expect("reads");
    let new = evaluate_series(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
    let comparison = compare(&new[2], &old[2]);
    let y2 = framework.node_index("y2").expect("y2");
    assert_eq!(comparison.units[0].nodes[y2].previous, None, "a node new in this version has no past");
    assert_eq!(comparison.units[0].nodes[framework.root()].delta, Some(0.0));
}

#[test]
fn a_trend_is_the_least_squares_line_over_time_in_years() {
    let series = series(DATA);
    let a = trend(&series, "a", "index");
    assert_eq!(a.points, [("2024-Q3".to_owned(), 40.0), ("2024-Q4".to_owned(), 60.0), ("2025-Q1".to_owned(), 80.0)]);
    let line = a.line.expect("three points");
    assert!((line.slope - 80.0).abs() < 1e-9, "20 points a quarter is 80 a year: {}", line.slope);
    assert_eq!(trend(&series, "c", "index").line, None, "one point has no trend");
}
