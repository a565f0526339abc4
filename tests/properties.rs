//! Invariants over random data: scores stay in range, improving an indicator never lowers
//! a score above it, and the order of units never changes a ranking.

use dti_core::pipeline::{EvaluateOptions, evaluate};
use dti_core::{Dataset, Framework, load_data, load_framework};
use proptest::prelude::*;

fn ministry() -> Framework {
    let builtin = &dti_core::builtin::BUILTINS[0];
    load_framework(builtin.file_name, builtin.framework.as_bytes()).framework.expect("built-in set is valid")
}

/// A value for each of the framework's indicators, from a number in 0..1 per indicator.
fn row(framework: &Framework, levels: &[f64]) -> Vec<String> {
    use dti_core::framework::ValueType;
    framework
        .indicator_indices()
        .iter()
        .zip(levels.iter().cycle())
        .map(|(&node, &level)| match &framework.nodes[node].indicator().unwrap().value_type {
            ValueType::Percent => format!("{:.3}", level * 100.0),
            ValueType::Boolean => {
                if level >= 0.5 {
                    "1".into()
                } else {
                    "0".into()
                }
            }
            ValueType::Count { .. } => format!("{}", (level * 30.0).round()),
            ValueType::Number { .. } => format!("{level}"),
            ValueType::Ordinal { labels } => {
                format!("{}", labels[((level * labels.len() as f64) as usize).min(labels.len() - 1)].value)
            }
            ValueType::Checklist { items } => items
                .iter()
                .take((level * (items.len() + 1) as f64) as usize)
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        })
        .collect()
}

fn dataset(framework: &Framework, rows: &[(String, bool, Vec<String>)]) -> Dataset {
    let mut csv = String::from("unit,block");
    for node in framework.indicator_indices() {
        csv.push(',');
        csv.push_str(&framework.nodes[node].id);
    }
    csv.push('\n');
    for (unit, with_services, values) in rows {
        let block = if *with_services { "ministry-with-public-services" } else { "ministry-without-public-services" };
        let values: Vec<String> = framework
            .indicator_indices()
            .iter()
            .zip(values)
            .map(|(&node, value)| {
                let applies = framework.nodes[node].indicator().unwrap().applies_to_block(framework.block_index(block));
                if applies { value.clone() } else { String::new() }
            })
            .collect();
        csv.push_str(&format!("{unit},{block},{}\n", values.join(",")));
    }
    let loaded = load_data("p.csv", csv.as_bytes(), framework);
    loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)))
}

fn units() -> impl Strategy<Value = Vec<(bool, Vec<f64>)>> {
    prop::collection::vec((any::<bool>(), prop::collection::vec(0.0f64..=1.0, 31)), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_score_stays_within_its_node_range(units in units()) {
        let framework = ministry();
        let rows: Vec<_> = units.iter().enumerate().map(|(i, (with, levels))| (format!("u{i}"), *with, row(&framework, levels))).collect();
        let evaluation = evaluate(&framework, &dataset(&framework, &rows), &EvaluateOptions::default()).unwrap();
        for (node, info) in evaluation.framework.nodes.iter().enumerate() {
            let Some(range) = info.range else { continue };
            for unit in 0..evaluation.n_units() {
                if let Some(score) = evaluation.score(node, unit) {
                    prop_assert!(score >= range.low - 1e-9 && score <= range.high + 1e-9, "{} = {score} outside {range:?}", info.id);
                }
            }
        }
    }

    #[test]
    fn improving_an_indicator_never_lowers_a_score_above_it(levels in prop::collection::vec(0.0f64..=1.0, 31), which in 0usize..31, step in 0.0f64..=1.0, with in any::<bool>()) {
        let framework = ministry();
        let mut better = levels.clone();
        better[which] = (levels[which] + step).min(1.0);
        let rows = vec![("before".to_owned(), with, row(&framework, &levels)), ("after".to_owned(), with, row(&framework, &better))];
        let evaluation = evaluate(&framework, &dataset(&framework, &rows), &EvaluateOptions::default()).unwrap();
        let indicator = framework.indicator_indices()[which];
        let mut node = Some(indicator);
        while let Some(current) = node {
            let (before, after) = (evaluation.score(current, 0), evaluation.score(current, 1));
            if let (Some(before), Some(after)) = (before, after) {
                prop_assert!(after >= before - 1e-9, "{}: {before} -> {after}", framework.nodes[current].id);
            }
            node = framework.nodes[current].parent;
        }
    }

    #[test]
    fn the_order_of_units_never_changes_the_ranking(units in units(), rotation in 0usize..12) {
        let framework = ministry();
        let rows: Vec<_> = units.iter().enumerate().map(|(i, (with, levels))| (format!("u{i}"), *with, row(&framework, levels))).collect();
        let mut shuffled = rows.clone();
        shuffled.rotate_left(rotation % rows.len());
        shuffled.reverse();
        let ranks = |rows: &[(String, bool, Vec<String>)]| {
            let evaluation = evaluate(&framework, &dataset(&framework, rows), &EvaluateOptions::default()).unwrap();
            let mut ranks: Vec<(String, Option<u32>, Option<u32>)> = (0..evaluation.n_units()).map(|u| (evaluation.units[u].id.clone(), evaluation.rank[u], evaluation.block_rank[u])).collect();
            ranks.sort();
            ranks
        };
        prop_assert_eq!(ranks(&rows), ranks(&shuffled));
    }

    #[test]
    fn relative_scoring_ranks_do_not_depend_on_unit_order(values in prop::collection::vec(prop::option::of(0.0f64..100.0), 2..30), rotation in 0usize..30) {
        // Min-max and z-scores look at every unit: reordering them must not matter either.
        let framework = load_framework("f.toml", b"id = \"t\"\n[pipeline]\nnormalise = { method = \"zscore\", mean = 10, sd = 2 }\ntreat = { winmax = 3 }\n[[nodes]]\nid = \"i\"\n[[indicators]]\nid = \"x\"\nparent = \"i\"\n[[indicators]]\nid = \"y\"\nparent = \"i\"\n").framework.unwrap();
        let csv = |order: &[usize]| {
            let mut text = String::from("unit,x,y\n");
            for &i in order {
                let x = values[i].map_or(String::new(), |v| format!("{v}"));
                text.push_str(&format!("u{i},{x},{}\n", (i * 7) % 5));
            }
            text
        };
        let order: Vec<usize> = (0..values.len()).collect();
        let mut other = order.clone();
        other.rotate_left(rotation % values.len());
        let ranks = |text: String| {
            let dataset = load_data("d.csv", text.as_bytes(), &framework).dataset.unwrap();
            let evaluation = evaluate(&framework, &dataset, &EvaluateOptions::default()).unwrap();
            let mut ranks: Vec<(String, Option<u32>)> = (0..evaluation.n_units()).map(|u| (evaluation.units[u].id.clone(), evaluation.rank[u])).collect();
            ranks.sort();
            ranks
        };
        prop_assert_eq!(ranks(csv(&order)), ranks(csv(&other)));
    }
}
