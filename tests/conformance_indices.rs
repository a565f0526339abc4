//! The UN EGDI (2014, 2016, 2018) and the World Bank GTMI (2020, 2022, 2025) reproduced
//! from the indicator files in `indicators/`.

use crate::support::{conformance_or_skip, dataset_from, framework_from, read_table, workspace};
use calamine::{Data, Reader, Xlsx, open_workbook};
use dti_core::pipeline::{EvaluateOptions, Overrides, evaluate};

fn check_egdi(year: u32, rank_decimals: u8) {
    let conformance = conformance_or_skip!();
    let path = conformance.join(format!("egdi/egdi-{year}.csv"));
    let framework = framework_from(&workspace().join("indicators/egdi.toml"));
    let dataset = dataset_from(&path, &framework);
    let overrides = Overrides { rank_decimals: Some(rank_decimals), ..Overrides::default() };
    let evaluation = evaluate(&framework, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() })
        .expect("EGDI evaluates");
    let published = read_table(&path);
    assert_eq!(evaluation.n_units(), published.len());
    assert_eq!(evaluation.n_units(), 193);
    let class = |value: f64| match value {
        v if v >= 0.75 => "very-high",
        v if v >= 0.5 => "high",
        v if v >= 0.25 => "middle",
        _ => "low",
    };
    for (unit, info) in evaluation.units.iter().enumerate() {
        let row = &published[&info.id];
        let index = row["e-gov-index"].expect("published index");
        let score = evaluation.root_score(unit).expect("every country has a score");
        assert!((score - index).abs() <= 5e-5, "{year} {}: EGDI {score} vs published {index}", info.id);
        assert_eq!(evaluation.rank[unit].map(f64::from), row["e-gov-rank"], "{year} {}: rank", info.id);
        let level = evaluation.root_level(unit).expect("every country has a class");
        assert_eq!(level.id, class(index), "{year} {}: rating class", info.id);
    }
}

#[test]
fn egdi_2014_ranks_on_five_decimals() {
    check_egdi(2014, 5);
}

#[test]
fn egdi_2016_ranks_on_five_decimals() {
    check_egdi(2016, 5);
}

#[test]
fn egdi_2018_ranks_on_four_decimals_with_shared_ranks() {
    check_egdi(2018, 4);
}

#[test]
fn egdi_2018_needs_rounding_before_ranking() {
    // Without rounding, two ties of the published ranking split (e.g. IRQ and AGO share 155).
    let conformance = conformance_or_skip!();
    let path = conformance.join("egdi/egdi-2018.csv");
    let framework = framework_from(&workspace().join("indicators/egdi.toml"));
    let dataset = dataset_from(&path, &framework);
    let overrides = Overrides { rank_decimals: Some(15), ..Overrides::default() };
    let evaluation =
        evaluate(&framework, &dataset, &EvaluateOptions { overrides, ..EvaluateOptions::default() }).unwrap();
    let published = read_table(&path);
    let mismatches = evaluation
        .units
        .iter()
        .enumerate()
        .filter(|(unit, info)| evaluation.rank[*unit].map(f64::from) != published[&info.id]["e-gov-rank"])
        .count();
    assert!(mismatches > 0, "unrounded ranks should differ from the published ones");
}

/// The GTMI workbook's country rows (it ends with a few rows of summary statistics).
fn gtmi_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(path).expect("open groups_data.xlsx");
    let sheet = workbook.worksheet_range_at(0).expect("a sheet").expect("readable sheet");
    let text = |cell: &Data| match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f:?}"),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    };
    sheet
        .rows()
        .skip(1)
        .filter(|row| {
            matches!(&row[3], Data::String(group) if ["A", "B", "C", "D"].contains(&group.as_str()))
                && matches!(row[5], Data::Float(_))
        })
        .map(|row| row.iter().map(text).collect())
        .collect()
}

#[test]
fn gtmi_workbook_summary_rows_are_refused_with_their_place() {
    let conformance = conformance_or_skip!();
    let path = conformance.join("gtmi/groups_data.xlsx");
    let framework = framework_from(&workspace().join("indicators/gtmi.toml"));
    let loaded = dti_core::load_data("groups_data.xlsx", &std::fs::read(&path).unwrap(), &framework);
    assert!(loaded.dataset.is_none());
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 2, "{}", crate::support::render(&loaded.diagnostics));
    assert_eq!(errors[0].code, dti_core::Code::ValueOutOfRange);
    assert_eq!((errors[0].location.line, errors[0].location.column), (598, 9));
    assert!(errors[0].message.to_string().starts_with("6 is above the maximum 1"), "{}", errors[0].message);
}

#[test]
fn gtmi_2020_2022_2025_scores_and_groups() {
    let conformance = conformance_or_skip!();
    let rows = gtmi_rows(&conformance.join("gtmi/groups_data.xlsx"));
    let mut csv = String::from("period,unit,name,cgsi,psdi,dcei,gtei\n");
    for row in &rows {
        let name = row[2].replace('"', "\"\"");
        csv.push_str(&format!("{},{},\"{name}\",{},{},{},{}\n", row[0], row[1], row[5], row[6], row[7], row[8]));
    }
    let framework = framework_from(&workspace().join("indicators/gtmi.toml"));
    let loaded = dti_core::load_data("gtmi.csv", csv.as_bytes(), &framework);
    let dataset = loaded.dataset.unwrap_or_else(|| panic!("{}", crate::support::render(&loaded.diagnostics)));
    assert_eq!(dataset.periods, vec!["2020", "2022", "2025"]);
    let mut checked = 0;
    for year in ["2020", "2022", "2025"] {
        let options = EvaluateOptions { period: Some(year.into()), ..EvaluateOptions::default() };
        let evaluation = evaluate(&framework, &dataset, &options).expect("GTMI evaluates");
        for row in rows.iter().filter(|row| row[0] == year) {
            let unit = evaluation
                .units
                .iter()
                .position(|u| u.id == row[1])
                .unwrap_or_else(|| panic!("{year} {} evaluated", row[1]));
            let published: f64 = row[4].parse().expect("published GTMI");
            let score = evaluation.root_score(unit).expect("score");
            assert!((score - published).abs() <= 1e-3, "{year} {}: GTMI {score} vs {published}", row[1]);
            assert_eq!(evaluation.root_level(unit).expect("group").id, row[3], "{year} {}: group", row[1]);
            checked += 1;
        }
    }
    assert_eq!(checked, 198 + 198 + 197);
}
