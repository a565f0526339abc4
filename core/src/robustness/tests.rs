use super::*;
use crate::builtin;

fn ministry() -> (Framework, Dataset) {
    let set = builtin::builtin("vn-ministry").expect("built in");
    let framework = crate::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
    let dataset = crate::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("reads");
    (framework, dataset)
}

fn run_all(analysis: &Analysis, dataset: &Dataset) -> Vec<Outcome> {
    (0..analysis.runs()).map(|run| analysis.run(dataset, run)).collect()
}

fn weights(factor: f64) -> Input {
    Input::Weights { levels: vec![1, 2], factor }
}

#[test]
fn the_same_seed_gives_the_same_report_and_runs_do_not_depend_on_their_order() {
    let (framework, dataset) = ministry();
    let options = EvaluateOptions::default();
    let analysis =
        Analysis::new(&framework, &options, vec![weights(0.25)], Method::Uncertainty, 30, 7).expect("set up");
    let nominal = analysis.nominal(&dataset).expect("evaluates");
    let forwards = run_all(&analysis, &dataset);
    let backwards: Vec<Outcome> = {
        let mut outcomes: Vec<(usize, Outcome)> =
            (0..analysis.runs()).rev().map(|run| (run, analysis.run(&dataset, run))).collect();
        outcomes.sort_by_key(|(run, _)| *run);
        outcomes.into_iter().map(|(_, outcome)| outcome).collect()
    };
    assert_eq!(forwards, backwards);
    let report = analysis.report(&dataset, &nominal, &forwards, 0).expect("reports");
    let again = Analysis::new(&framework, &options, vec![weights(0.25)], Method::Uncertainty, 30, 7).expect("set up");
    assert_eq!(again.report(&dataset, &nominal, &run_all(&again, &dataset), 0).expect("reports"), report);
    let other = Analysis::new(&framework, &options, vec![weights(0.25)], Method::Uncertainty, 30, 8).expect("set up");
    assert_ne!(other.report(&dataset, &nominal, &run_all(&other, &dataset), 0).expect("reports"), report);
}

#[test]
fn without_any_real_alternative_every_interval_is_the_nominal_rank() {
    let (framework, dataset) = ministry();
    // The sets' own aggregation (sums) as the only alternative: nothing varies.
    let inputs = vec![Input::Aggregation(vec![Aggregation::Sum])];
    let analysis =
        Analysis::new(&framework, &EvaluateOptions::default(), inputs, Method::Uncertainty, 5, 1).expect("set up");
    let nominal = analysis.nominal(&dataset).expect("evaluates");
    let report = analysis.report(&dataset, &nominal, &run_all(&analysis, &dataset), 0).expect("reports");
    assert!(report.units.len() >= 10);
    for unit in &report.units {
        let rank = f64::from(unit.nominal_rank.expect("ranked"));
        assert_eq!(unit.median_rank, Some(rank), "{}", unit.unit);
        assert_eq!(unit.rank_interval, Some((rank, rank)), "{}", unit.unit);
        let score = unit.nominal_score.expect("scored");
        assert_eq!(unit.score_interval, Some((score, score)), "{}", unit.unit);
    }
}

#[test]
fn perturbed_weights_spread_ranks_around_the_nominal_one() {
    let (framework, dataset) = ministry();
    let analysis =
        Analysis::new(&framework, &EvaluateOptions::default(), vec![weights(0.5)], Method::Uncertainty, 60, 3)
            .expect("set up");
    let nominal = analysis.nominal(&dataset).expect("evaluates");
    let report = analysis.report(&dataset, &nominal, &run_all(&analysis, &dataset), 0).expect("reports");
    let mut spread = 0;
    for unit in &report.units {
        let (low, high) = unit.rank_interval.expect("ranked in runs");
        let median = unit.median_rank.expect("ranked in runs");
        assert!(low <= median && median <= high, "{unit:?}");
        let nominal = f64::from(unit.nominal_rank.expect("ranked"));
        assert!((median - nominal).abs() <= 3.0, "{unit:?}");
        spread += usize::from(high > low);
    }
    assert!(spread * 2 >= report.units.len(), "weights moved only {spread} units");
    assert_eq!(report.failed_runs, 0);
}

#[test]
fn run_options_pick_each_inputs_alternative_and_leave_the_rest_nominal() {
    let (framework, _) = ministry();
    let inputs = vec![
        Input::Aggregation(vec![Aggregation::Sum, Aggregation::Arithmetic]),
        Input::LeaveOut(vec![None, Some("infrastructure".into())]),
        Input::Winsorisation(vec![0, 5]),
    ];
    let options = EvaluateOptions {
        overrides: crate::pipeline::Overrides { screen: Some(0.5), ..Default::default() },
        ..Default::default()
    };
    let analysis = Analysis::new(&framework, &options, inputs, Method::Sensitivity, 40, 9).expect("set up");
    assert_eq!(analysis.runs(), 40 * 5);
    let mut seen_left_out = false;
    for run in 0..analysis.runs() {
        let picked = analysis.run_options(run).overrides;
        assert_eq!(picked.screen, Some(0.5));
        assert!(matches!(picked.aggregate, Some(Aggregation::Sum | Aggregation::Arithmetic)));
        assert!(matches!(picked.winsorise, Some(0 | 5)));
        match picked.weights.get("infrastructure") {
            Some(weight) => {
                assert_eq!(*weight, 0.0);
                seen_left_out = true;
            }
            None => assert!(picked.weights.is_empty()),
        }
    }
    assert!(seen_left_out);
}

#[test]
fn a_sensitivity_analysis_finds_the_input_that_matters() {
    let (framework, dataset) = ministry();
    // Leaving a pillar out moves ranks; treating outliers changes nothing in a file
    // scored on absolute rules.
    let inputs = vec![
        Input::LeaveOut(vec![None, Some("dt-activities".into()), Some("infrastructure".into())]),
        Input::Winsorisation(vec![0, 5]),
    ];
    let analysis =
        Analysis::new(&framework, &EvaluateOptions::default(), inputs, Method::Sensitivity, 64, 5).expect("set up");
    let nominal = analysis.nominal(&dataset).expect("evaluates");
    let outcomes = run_all(&analysis, &dataset);
    let report = analysis.report(&dataset, &nominal, &outcomes, 50).expect("reports");
    let indices = report.sensitivity.expect("indices");
    assert_eq!(indices[0].input, "leave-out");
    assert!(indices[0].total > 0.9, "{indices:?}");
    assert!(indices[1].total.abs() < 1e-9, "{indices:?}");
    let (low, high) = indices[0].total_interval.expect("bootstrapped");
    assert!(low <= indices[0].total && indices[0].total <= high);
}

#[test]
fn impossible_set_ups_are_refused_with_what_is_wrong() {
    let (framework, _) = ministry();
    let options = EvaluateOptions::default();
    let new = |inputs: Vec<Input>, method: Method, points: usize| {
        Analysis::new(&framework, &options, inputs, method, points, 1).map(|_| ()).unwrap_err().to_string()
    };
    assert!(new(vec![], Method::Uncertainty, 10).contains("no uncertain input"));
    assert!(new(vec![weights(0.2)], Method::Sensitivity, 10).contains("at least two"));
    assert!(new(vec![weights(0.2)], Method::Uncertainty, 2).contains("at least 3 runs"));
    assert!(new(vec![weights(1.5)], Method::Uncertainty, 10).contains("factor"));
    assert!(new(vec![Input::Weights { levels: vec![7], factor: 0.2 }], Method::Uncertainty, 10).contains("level 7"));
    assert!(new(vec![Input::LeaveOut(vec![Some("nowhere".into())])], Method::Uncertainty, 10).contains("`nowhere`"));
    assert!(new(vec![Input::Normalisation(vec![])], Method::Uncertainty, 10).contains("no alternative"));
    assert!(new(vec![weights(0.2), weights(0.3)], Method::Sensitivity, 10).contains("twice"));
}

#[test]
fn a_node_weighing_zero_is_left_out_but_not_every_child_of_one() {
    let (framework, dataset) = ministry();
    let evaluate_with = |weights: &[(&str, f64)]| {
        let weights = weights.iter().map(|(id, weight)| ((*id).to_owned(), *weight)).collect();
        let overrides = crate::pipeline::Overrides { weights, ..Default::default() };
        evaluate(&framework, &dataset, &EvaluateOptions { overrides, ..Default::default() })
    };
    let all = evaluate_with(&[]).expect("evaluates");
    let without = evaluate_with(&[("infrastructure", 0.0)]).expect("evaluates");
    let (root, infrastructure) = (framework.root(), framework.node_index("infrastructure").expect("a pillar"));
    for unit in 0..all.n_units() {
        let lost = all.score(infrastructure, unit).unwrap_or(0.0);
        let (before, after) = (all.score(root, unit).expect("scored"), without.score(root, unit).expect("scored"));
        assert!((before - lost - after).abs() < 1e-9, "unit {unit}: {before} - {lost} != {after}");
    }
    let pillars: Vec<(&str, f64)> =
        framework.nodes[root].children.iter().map(|&child| (framework.nodes[child].id.as_str(), 0.0)).collect();
    let error = evaluate_with(&pillars).map(|_| ()).unwrap_err().to_string();
    assert!(error.contains("every child of `dti` would weigh 0"), "{error}");
}
