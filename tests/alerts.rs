//! Alerts, rule kind by rule kind: `alerts(rules, data)` evaluates every period of a
//! long CSV and checks the rules on the last one, returning `rule unit facts` lines.

use dti_core::alerts::{AlertContext, check_alerts};
use dti_core::period::Date;
use dti_core::pipeline::EvaluateOptions;
use dti_core::series::evaluate_series;
use dti_core::{Dataset, Framework, load_data, load_framework};
use proptest::prelude::*;

/// Two blocks, an index of 100 points: `share` (percent, 60 points, block `a` only) and
/// `quality` (a checklist of two items, 40 points); levels `low` (0) and `high` (50).
const BASE: &str = r#"
id = "watch"
[pipeline]
missing = "zero"
[[blocks]]
id = "a"
[[blocks]]
id = "b"
[[nodes]]
id = "index"
aggregate = "sum"
max_points = 100
[[indicators]]
id = "share"
parent = "index"
type = "percent"
max_points = 60
applies_to = ["a"]
[[indicators]]
id = "quality"
parent = "index"
type = "checklist"
items = [{ id = "correct", name = "Correct", points = 20 }, { id = "clean", name = "Clean", points = 20 }]
[[levels]]
id = "low"
min = 0
[[levels]]
id = "high"
min = 50
"#;

fn framework(rules: &str) -> Framework {
    framework_with(BASE, rules)
}

fn framework_with(base: &str, rules: &str) -> Framework {
    let text = format!("{base}{rules}");
    let loaded = load_framework("watch.toml", text.as_bytes());
    loaded.framework.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)))
}

fn dataset(framework: &Framework, csv: &str) -> Dataset {
    let loaded = load_data("data.csv", csv.as_bytes(), framework);
    loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)))
}

/// Long CSV rows: `unit,block,period,indicator,value,evidence_date`.
fn long(rows: &str) -> String {
    let body: String =
        rows.lines().map(str::trim).filter(|line| !line.is_empty()).map(|line| format!("{line}\n")).collect();
    format!("unit,block,period,indicator,value,evidence_date\n{body}")
}

fn alerts_with(framework: &Framework, data: &Dataset, as_of: Option<&str>, verified: Option<&Dataset>) -> Vec<String> {
    let series = evaluate_series(framework, data, &EvaluateOptions::default()).expect("evaluates");
    let as_of = as_of.map(|date| date.parse::<Date>().expect("a date"));
    let context = AlertContext { dataset: data, series: &series, as_of, verified };
    check_alerts(&context)
        .views(framework, data)
        .into_iter()
        .map(|view| {
            let facts: Vec<String> = view.facts.iter().map(|(name, value)| format!("{name}={value}")).collect();
            format!("{} {} {}", view.rule, view.unit, facts.join(" ")).trim_end().to_owned()
        })
        .collect()
}

fn alerts(rules: &str, rows: &str) -> Vec<String> {
    let framework = framework(rules);
    let data = dataset(&framework, &long(rows));
    alerts_with(&framework, &data, None, None)
}

const TWO_UNITS: &str = "
    u1,a,2025,share,90,
    u1,a,2025,quality,correct;clean,
    u2,a,2025,share,20,
    u2,a,2025,quality,correct,
";

#[test]
fn a_threshold_is_raised_below_its_points_or_its_level() {
    let rules = r#"
[[alerts]]
id = "low-index"
kind = "threshold"
node = "index"
below = 60
message = "low"
[[alerts]]
id = "not-high"
kind = "threshold"
node = "index"
level_below = "high"
message = "not high"
"#;
    // u1: 54 + 40 = 94 points; u2: 12 + 20 = 32.
    assert_eq!(alerts(rules, TWO_UNITS), ["low-index u2 score=32 below=60", "not-high u2 level=low level_below=high"]);
}

#[test]
fn a_decline_compares_with_the_previous_period_in_points_and_places() {
    let rules = r#"
[[alerts]]
id = "fell"
kind = "decline"
node = "index"
points = 10
ranks = 0
message = "fell"
"#;
    let rows = "
        u1,a,2024,share,50,
        u2,a,2024,share,60,
        u1,a,2025,share,60,
        u2,a,2025,share,40,
    ";
    // u2: 36 -> 24 points, rank 1 -> 2.
    assert_eq!(
        alerts(rules, rows),
        ["fell u2 score=24 previous_score=36 fall=12 rank=2 previous_rank=1 previous_period=2024"]
    );
}

#[test]
fn stale_evidence_counts_whole_months_from_the_evaluation_date() {
    let rules = r#"
[[alerts]]
id = "old"
kind = "stale"
months = 12
message = "old"
"#;
    let framework = framework(rules);
    let rows = "
        u1,a,2025,share,50,2024-11-23
        u2,a,2025,share,50,2024-11-22
        u2,a,2025,quality,clean,2025-06-01
    ";
    let data = dataset(&framework, &long(rows));
    assert_eq!(
        alerts_with(&framework, &data, Some("2025-11-23"), None),
        Vec::<String>::new(),
        "12 months and a day is not more than 12 whole months"
    );
    assert_eq!(
        alerts_with(&framework, &data, Some("2025-12-22"), None),
        ["old u2 evidence_date=2024-11-22 months_old=13 months=12"]
    );
    assert_eq!(alerts_with(&framework, &data, None, None), Vec::<String>::new(), "no evaluation date: not checked");
}

#[test]
fn values_carried_from_an_older_period_are_stale_and_name_that_period() {
    let base = BASE.replace("missing = \"zero\"", "missing = \"zero\"\nimpute = { method = \"previous-period\" }");
    let framework = framework_with(
        &base,
        r#"
[[alerts]]
id = "carried"
kind = "stale"
carried = true
message = "carried over"
"#,
    );
    let rows = "
        u1,a,2023,share,40,
        u1,a,2023,quality,clean,
        u1,a,2025,share,50,
        u1,a,2024,share,45,
    ";
    let data = dataset(&framework, &long(rows));
    assert_eq!(alerts_with(&framework, &data, None, None), ["carried u1 carried_from=2023"]);
}

#[test]
fn a_unit_without_data_in_the_period_is_missing() {
    let rules = r#"
[[alerts]]
id = "absent"
kind = "missing"
severity = "critical"
message = "no submission"
"#;
    let rows = "
        u1,a,2024,share,50,
        u2,b,2024,quality,clean,
        u1,a,2025,share,50,
    ";
    assert_eq!(alerts(rules, rows), ["absent u2 last_period=2024"]);
}

#[test]
fn coverage_counts_the_applicable_indicators() {
    let rules = r#"
[[alerts]]
id = "thin"
kind = "coverage"
below = 0.6
message = "thin"
"#;
    // u2 (block b) has `quality`, its only applicable indicator; u1 has one of two.
    let rows = "
        u1,a,2025,share,50,
        u2,b,2025,quality,clean,
    ";
    assert_eq!(alerts(rules, rows), ["thin u1 coverage=0.5 below=0.6"]);
}

#[test]
fn a_target_is_missed_after_its_deadline_and_off_track_before_it() {
    let rules = r#"
[[alerts]]
id = "reach-80"
kind = "target"
node = "share"
at_least = 80
by = "2026-12-31"
message = "80% by the end of 2026"
"#;
    // u1 rises 20 a year (reaches 80 in 2026: on track), u2 5 a year (off track), u3
    // already meets it.
    let rows = "
        u1,a,2024,share,40,
        u1,a,2025,share,60,
        u2,a,2024,share,40,
        u2,a,2025,share,45,
        u3,a,2024,share,85,
        u3,a,2025,share,90,
    ";
    let framework = framework(rules);
    let data = dataset(&framework, &long(rows));
    assert_eq!(
        alerts_with(&framework, &data, None, None),
        ["reach-80 u2 value=45 target=80 by=2026-12-31 projected=54.9863 status=off-track"]
    );
    assert_eq!(
        alerts_with(&framework, &data, Some("2027-01-01"), None),
        [
            "reach-80 u1 value=60 target=80 by=2026-12-31 status=missed",
            "reach-80 u2 value=45 target=80 by=2026-12-31 status=missed"
        ]
    );
}

#[test]
fn an_outlier_is_far_from_its_block_median_on_the_absolute_deviation() {
    let rules = r#"
[[alerts]]
id = "odd"
kind = "outlier"
node = "share"
message = "odd"
"#;
    let rows = "
        u1,a,2025,share,50,
        u2,a,2025,share,52,
        u3,a,2025,share,48,
        u4,a,2025,share,51,
        u5,a,2025,share,5,
    ";
    // Points are 0.6 x the share: median 30, MAD 1.2, so u5's z is 0.6745 x (3 - 30) / 1.2.
    let found = alerts(rules, rows);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("odd u5 score=3 block_median=30 z=-15.17"), "{found:?}");
}

#[test]
fn a_verification_gap_compares_with_the_verified_data() {
    let rules = r#"
[[alerts]]
id = "gap"
kind = "verification-gap"
node = "share"
gap = 10
message = "self-assessment far from the verified value"
"#;
    let framework = framework(rules);
    let reported = dataset(&framework, &long("u1,a,2025,share,90,\nu2,a,2025,share,70,"));
    let verified = dataset(&framework, &long("u1,a,2025,share,75,\nu2,a,2025,share,65,"));
    assert_eq!(
        alerts_with(&framework, &reported, None, Some(&verified)),
        ["gap u1 self_assessed=90 verified=75 gap=10"]
    );
    assert_eq!(alerts_with(&framework, &reported, None, None), Vec::<String>::new(), "nothing verified: not checked");
}

#[test]
fn compliance_requires_values_items_and_a_value_at_all() {
    let rules = r#"
[[alerts]]
id = "all-items"
kind = "compliance"
node = "quality"
items = ["correct", "clean"]
message = "correct and clean"
[[alerts]]
id = "full-share"
kind = "compliance"
node = "share"
at_least = 100
severity = "critical"
message = "every system approved"
"#;
    let rows = "
        u1,a,2025,share,100,
        u1,a,2025,quality,correct;clean,
        u2,a,2025,share,90,
        u2,a,2025,quality,correct,
        u3,b,2025,quality,clean,
    ";
    // Critical first; u3 is in block b, where `share` does not apply.
    assert_eq!(
        alerts(rules, rows),
        [
            "full-share u2 value=90 at_least=100",
            "all-items u2 missing_items=clean",
            "all-items u3 missing_items=correct"
        ]
    );
}

#[test]
fn a_rule_watches_only_its_blocks() {
    let rules = r#"
[[alerts]]
id = "b-only"
kind = "threshold"
node = "index"
below = 100
blocks = ["b"]
message = "b"
"#;
    assert_eq!(alerts(rules, "u1,a,2025,share,10,\nu2,b,2025,quality,clean,"), ["b-only u2 score=50 below=100"]);
}

#[test]
fn bad_rules_are_diagnosed_at_their_line() {
    let rules = r#"
[[alerts]]
id = "a"
kind = "treshold"
message = "x"
[[alerts]]
id = "b"
kind = "threshold"
node = "indx"
below = 1
message = "x"
[[alerts]]
id = "c"
kind = "target"
node = "share"
at_least = 80
by = "2025-02-30"
message = "x"
[[alerts]]
id = "d"
kind = "coverage"
below = 0.5
points = 3
message = "x"
[[alerts]]
id = "e"
kind = "compliance"
node = "index"
at_least = 1
"#;
    let text = format!("{BASE}{rules}");
    let loaded = load_framework("watch.toml", text.as_bytes());
    let lines: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{} {}:{} {}", d.code, d.location.line, d.location.column, d.message))
        .collect();
    let base_lines = BASE.lines().count() as u32;
    let line = |offset: u32| base_lines + 1 + offset;
    assert_eq!(
        lines,
        [
            format!("bad-alert {}:8 alert `a` has kind `treshold`", line(3)),
            format!("unknown-reference {}:8 alert `b` watches `indx`, which does not exist", line(8)),
            format!("bad-alert {}:6 `2025-02-30` is not a date", line(16)),
            format!("unused-parameter {}:10 a coverage rule does not use `points`", line(22)),
            format!("missing-field {}:1 alert `e` has no `message`", line(24)),
            format!("bad-alert {}:8 alert `e` reads the value of `index`, which is not an indicator", line(27)),
        ]
    );
    assert!(loaded.diagnostics[1].hints.iter().any(|hint| hint.contains("`index`")), "a suggestion");
    assert!(loaded.framework.is_none());
}

#[test]
fn the_built_in_rules_raise_alerts_on_the_sample_data_with_their_reasons() {
    for id in ["vn-ministry", "vn-unit"] {
        let builtin = dti_core::builtin::builtin(id).expect("built in");
        let framework = load_framework(builtin.file_name, builtin.framework.as_bytes()).framework.expect("valid");
        assert!(framework.alerts.len() >= 8, "{id} ships its rules");
        let data = dataset(&framework, &builtin.data());
        let series = evaluate_series(&framework, &data, &EvaluateOptions::default()).expect("evaluates");
        let context =
            AlertContext { dataset: &data, series: &series, as_of: "2026-01-15".parse().ok(), verified: None };
        let raised = check_alerts(&context).views(&framework, &data);
        assert!(!raised.is_empty(), "{id}");
        assert!(raised.iter().all(|alert| alert.period == series.last().unwrap().period));
        assert!(raised.iter().filter(|alert| alert.kind != "missing").all(|alert| !alert.facts.is_empty()));
        assert!(raised.windows(2).all(|pair| pair[0].severity >= pair[1].severity), "most urgent first");
        let kinds: std::collections::BTreeSet<&str> = raised.iter().map(|alert| alert.kind).collect();
        assert!(kinds.len() >= 4, "{id}: {kinds:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A threshold alert is raised for exactly the units whose index is below it, a
    /// compliance alert for exactly those whose share is under the floor or missing, and
    /// a coverage alert for exactly those with a share of indicators under the limit.
    #[test]
    fn an_alert_is_raised_exactly_when_its_rule_holds(
        shares in proptest::collection::vec(proptest::option::of(0u8..=100), 1..12),
        below in 0.0f64..100.0,
        floor in 0.0f64..100.0,
    ) {
        let rules = format!(r#"
[[alerts]]
id = "threshold"
kind = "threshold"
node = "index"
below = {below}
message = "t"
[[alerts]]
id = "compliance"
kind = "compliance"
node = "share"
at_least = {floor}
message = "c"
[[alerts]]
id = "coverage"
kind = "coverage"
below = 0.75
message = "v"
"#);
        let framework = framework(&rules);
        let mut rows = String::new();
        for (unit, share) in shares.iter().enumerate() {
            // Every unit has `quality` (clean: 20 points) so that it is in the period.
            rows.push_str(&format!("u{unit},a,2025,quality,clean,\n"));
            if let Some(share) = share {
                rows.push_str(&format!("u{unit},a,2025,share,{share},\n"));
            }
        }
        let data = dataset(&framework, &long(&rows));
        let raised = alerts_with(&framework, &data, None, None);
        let has = |rule: &str, unit: usize| raised.iter().any(|line| line.starts_with(&format!("{rule} u{unit} ")));
        for (unit, share) in shares.iter().enumerate() {
            let points = 20.0 + share.map_or(0.0, |share| f64::from(share) * 0.6);
            prop_assert_eq!(has("threshold", unit), points < below, "unit {} points {}", unit, points);
            prop_assert_eq!(has("compliance", unit), share.is_none_or(|share| f64::from(share) < floor));
            prop_assert_eq!(has("coverage", unit), share.is_none());
        }
    }
}
