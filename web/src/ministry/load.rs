//! From the files a ministry opens to a publication: the indicator set, one data file or
//! many units' submissions (merged as `dti merge --keep last` does), every period
//! evaluated and the alerts checked. Pure, so that it is tested natively.

use dti_core::assessment::merge::{Keep, MergeOutcome, Merged, as_submission};
use dti_core::data::ReadOptions;
use dti_core::message::{Arg, Message, Names};
use dti_core::period::Date;
use dti_core::text::Language;
use dti_core::{Code, Diagnostic, Framework, Location, Severity};
use dti_site::Site;

/// A file the user opened.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedFile {
    /// Its name (with its folder, when a folder was opened).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What opening the files gave: the publication, or why there is none, and what the
/// user should know either way (problems at their place, conflicts settled, files
/// skipped), each naming the file the user gave.
pub struct Opened {
    /// The publication, when the data could be evaluated.
    pub site: Option<Site>,
    /// Problems and notes, as data: the page renders them in its language.
    pub messages: Vec<Diagnostic>,
    /// The data evaluated, as a file `dti publish --data` reads: the file opened, or the
    /// merged long table of many (values refused kept as given, to be refused again).
    pub data: Option<(String, Vec<u8>)>,
}

/// A note about the files as a whole (no line).
fn note(severity: Severity, code: Code, file: &str, message: Message) -> Diagnostic {
    let location = Location { file: file.to_owned(), ..Location::default() };
    Diagnostic { severity, code, message: std::sync::Arc::new(message), location, hints: Vec::new() }
}

/// The publication of the data in `files` for `framework` (whose SHA-256 is
/// `framework_sha`), with alerts as of `as_of`.
pub fn open(framework: &Framework, framework_sha: &str, files: &[OpenedFile], as_of: Option<Date>) -> Opened {
    let mut messages = Vec::new();
    let data;
    let loaded = match files {
        [] => {
            let messages = vec![note(Severity::Error, Code::EmptyData, "", Message::NoDataFile {})];
            return Opened { site: None, messages, data: None };
        }
        [single] if as_submission(&single.name, &single.bytes).ok().flatten().is_none() => {
            let loaded = dti_core::load_data_with(&single.name, &single.bytes, framework, ReadOptions::LENIENT);
            messages.extend(loaded.diagnostics.iter().cloned());
            data = Some((single.name.rsplit('/').next().unwrap_or(&single.name).to_owned(), single.bytes.clone()));
            loaded
        }
        many => {
            let Some(merged) = merge(framework, framework_sha, many, &mut messages) else {
                return Opened { site: None, messages, data: None };
            };
            let csv = match merged.long_csv() {
                Ok(csv) => csv,
                Err(error) => {
                    let message = Message::CsvSyntax { detail: Arg::detail(error.to_string()) };
                    messages.push(note(Severity::Error, Code::Syntax, "", message));
                    return Opened { site: None, messages, data: None };
                }
            };
            data = Some(("merged-data.csv".to_owned(), csv.clone().into_bytes()));
            let loaded = dti_core::load_data_with("merged", csv.as_bytes(), framework, ReadOptions::LENIENT);
            // The merged table is the page's own: each problem names the file the user
            // gave (the unit and indicator are in the message).
            messages.extend(loaded.diagnostics.iter().map(|diagnostic| {
                let mut diagnostic = diagnostic.clone();
                let line = diagnostic.location.line;
                diagnostic.location.file = merged.file_of_line(line).unwrap_or("").to_owned();
                diagnostic.location.line = 0;
                diagnostic.location.column = 0;
                diagnostic
            }));
            loaded
        }
    };
    let Some(dataset) = loaded.dataset else { return Opened { site: None, messages, data: None } };
    match Site::evaluate(framework, dataset, framework_sha, &loaded.sha256, as_of) {
        Ok(site) => Opened { site: Some(site), messages, data },
        Err(error) => {
            let message = Message::EvaluationFailed { detail: Arg::detail(error.to_string()) };
            messages.push(note(Severity::Error, Code::EmptyData, "", message));
            Opened { site: None, messages, data: None }
        }
    }
}

/// Many files merged; a conflict keeps the file opened last, and is said.
fn merge(
    framework: &Framework,
    framework_sha: &str,
    files: &[OpenedFile],
    messages: &mut Vec<Diagnostic>,
) -> Option<MergeOutcome> {
    let mut merged = Merged::default();
    let mut read = 0;
    for file in files {
        match as_submission(&file.name, &file.bytes) {
            Ok(Some(submission)) => {
                let made_for = &submission.framework;
                if !made_for.sha256.is_empty() && made_for.sha256 != framework_sha {
                    let message = Message::MadeForOtherFile {
                        id: Arg::code(&made_for.id),
                        version: Arg::text(&made_for.version),
                    };
                    messages.push(note(Severity::Warning, Code::UnknownReference, &file.name, message));
                }
                merged.add_submission(&submission, &file.name);
                read += 1;
                continue;
            }
            Ok(None) => {}
            Err(error) => {
                messages.push(error.diagnostic());
                continue;
            }
        }
        // Each file's own problems at their lines; a refused value is passed on as it was
        // given, and said once, where the merged data is read.
        let loaded = dti_core::load_data_with(&file.name, &file.bytes, framework, ReadOptions::LENIENT);
        messages.extend(loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned());
        match loaded.dataset {
            Some(dataset) => {
                merged.add_dataset(&dataset, &file.name);
                read += 1;
            }
            None => messages.push(note(Severity::Error, Code::Syntax, &file.name, Message::FileSkipped {})),
        }
    }
    let merged = merged.finish(Some(Keep::Last));
    for conflict in &merged.conflicts {
        let (first, later) = (&conflict.first, &conflict.later);
        let message = match conflict.value_of() {
            Some((period, indicator)) => Message::ConflictLastKept {
                unit: Arg::unit(&conflict.unit),
                period: Arg::given(period),
                indicator: Arg::node(indicator),
                first: Arg::given(&first.shown),
                first_file: Arg::text(&first.file),
                later: Arg::given(&later.shown),
                later_file: Arg::text(&later.file),
            },
            None => Message::DescriptionConflict {
                unit: Arg::unit(&conflict.unit),
                first: Arg::given(&first.shown),
                first_file: Arg::text(&first.file),
                later: Arg::given(&later.shown),
                later_file: Arg::text(&later.file),
            },
        };
        messages.push(note(Severity::Warning, Code::DuplicateValue, &later.file, message));
    }
    for file in &merged.edited {
        messages.push(note(Severity::Warning, Code::UnitConflict, file, Message::EditedAfterExport {}));
    }
    if read == 0 {
        messages.push(note(Severity::Error, Code::EmptyData, "", Message::NoFileReadable {}));
        return None;
    }
    Some(merged)
}

/// A message in one line, in a language: file (and line), then what it says.
pub fn describe(diagnostic: &Diagnostic, language: Language, names: &dyn Names) -> String {
    let location = &diagnostic.location;
    let text = diagnostic.text(language, names);
    match (location.file.as_str(), location.line) {
        ("", _) => text,
        (file, 0) => format!("{file}: {text}"),
        (file, line) => format!("{file}:{line}: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dti_core::builtin::builtin;

    /// The messages as the English page shows them.
    fn said(opened: &Opened, framework: &Framework) -> Vec<String> {
        opened.messages.iter().map(|message| describe(message, Language::En, framework)).collect()
    }

    fn vn_unit() -> (Framework, String, String) {
        let set = builtin("vn-unit").expect("built in");
        let loaded = dti_core::load_framework(set.file_name, set.framework.as_bytes());
        (loaded.framework.expect("valid"), loaded.sha256, set.data())
    }

    #[test]
    fn one_data_file_is_evaluated_over_every_period() {
        let (framework, sha, data) = vn_unit();
        let files = [OpenedFile { name: "sample.csv".into(), bytes: data.into_bytes() }];
        let opened = open(&framework, &sha, &files, Date::new(2026, 1, 15));
        let site = opened.site.as_ref().expect("evaluated");
        assert_eq!(site.series.len(), 3);
        assert!(site.latest().n_units() > 100);
    }

    #[test]
    fn submissions_from_a_folder_are_merged_and_conflicts_keep_the_last() {
        let (framework, sha, data) = vn_unit();
        let dataset = dti_core::load_data("sample.csv", data.as_bytes(), &framework).dataset.expect("valid");
        let period = dataset.period_index("2025").expect("2025");
        let submission =
            |unit: usize| dti_core::assessment::Submission::from_dataset(&framework, &sha, &dataset, period, unit);
        let mut changed = submission(0);
        let first = changed.values.keys().next().cloned().expect("a value");
        let entry = changed.values.get_mut(&first).expect("present");
        entry.value = if entry.value == "1" { "0".into() } else { "1".into() };
        let files: Vec<OpenedFile> = [submission(0), submission(1), changed]
            .iter()
            .enumerate()
            .map(|(index, s)| OpenedFile { name: format!("unit-{index}.json"), bytes: s.to_json().into_bytes() })
            .collect();
        let opened = open(&framework, &sha, &files, None);
        let site = opened.site.as_ref().expect("evaluated");
        assert_eq!(site.latest().n_units(), 2);
        let messages = said(&opened, &framework);
        let conflicts: Vec<&String> = messages.iter().filter(|m| m.contains("the file opened last is kept")).collect();
        assert_eq!(conflicts.len(), 1, "{messages:?}");
        assert!(conflicts[0].contains("unit-0.json") && conflicts[0].contains("unit-2.json"));
    }

    #[test]
    fn one_refused_value_never_blanks_the_ranking_and_is_named_by_its_file_and_unit() {
        let (framework, sha, data) = vn_unit();
        let dataset = dti_core::load_data("sample.csv", data.as_bytes(), &framework).dataset.expect("valid");
        let period = dataset.period_index("2025").expect("2025");
        let submission =
            |unit: usize| dti_core::assessment::Submission::from_dataset(&framework, &sha, &dataset, period, unit);
        let percent = framework
            .nodes
            .iter()
            .find(|node| node.indicator().is_some_and(|i| i.value_type == dti_core::framework::ValueType::Percent))
            .expect("a percentage")
            .id
            .clone();
        let mut typo = submission(2);
        typo.values.entry(percent.clone()).or_default().value = "140".into();
        let files: Vec<OpenedFile> = [submission(0), submission(1), typo]
            .iter()
            .enumerate()
            .map(|(index, s)| OpenedFile { name: format!("unit-{index}.json"), bytes: s.to_json().into_bytes() })
            .collect();
        let opened = open(&framework, &sha, &files, None);
        let site = opened.site.as_ref().expect("the ranking is still there");
        let evaluation = site.latest();
        assert_eq!(evaluation.n_units(), 3);
        assert!(evaluation.rank.iter().all(Option::is_some), "every unit is ranked");
        let flagged: Vec<usize> = (0..3).filter(|&unit| evaluation.refused_values(unit) > 0).collect();
        assert_eq!(flagged.len(), 1);
        assert_eq!(evaluation.units.iter().nth(flagged[0]).map(|u| u.id.clone()), Some(dataset.units[2].id.clone()));
        let messages = said(&opened, &framework);
        let refused: Vec<&String> = messages.iter().filter(|m| m.contains("140")).collect();
        assert_eq!(refused.len(), 1, "{messages:?}");
        assert!(refused[0].starts_with("unit-2.json: ") && refused[0].contains(&dataset.units[2].id), "{}", refused[0]);
        assert!(!messages.iter().any(|m| m.contains("merged")), "{messages:?}");
        let vi = describe(&opened.messages[0], Language::Vi, &framework);
        assert!(vi.contains("không phải là tỉ lệ phần trăm") && !vi.contains("percentage"), "{vi}");

        // What the page offers to download is what it evaluated: `dti publish` reads it
        // and ranks the same units, the refused value refused again.
        let (name, bytes) = opened.data.clone().expect("the data evaluated");
        assert!(name.ends_with(".csv"));
        let again = dti_core::load_data_with(&name, &bytes, &framework, ReadOptions::LENIENT);
        let again =
            dti_core::evaluate(&framework, &again.dataset.expect("reads"), &Default::default()).expect("evaluates");
        assert_eq!((again.n_units(), (0..3).filter(|&unit| again.refused_values(unit) > 0).count()), (3, 1));

        // Three data files, one with the typo: the same.
        let csv = |unit: usize, value: &str| {
            let id = &dataset.units[unit].id;
            format!("unit,indicator,value\n{id},{percent},{value}\n").into_bytes()
        };
        let files = [
            OpenedFile { name: "a.csv".into(), bytes: csv(0, "50") },
            OpenedFile { name: "b.csv".into(), bytes: csv(1, "60") },
            OpenedFile { name: "c.csv".into(), bytes: csv(2, "140") },
        ];
        let opened = open(&framework, &sha, &files, None);
        let site = opened.site.as_ref().expect("the ranking is still there");
        assert_eq!(site.latest().n_units(), 3);
        assert_eq!((0..3).filter(|&unit| site.latest().refused_values(unit) > 0).count(), 1);
        let messages = said(&opened, &framework);
        assert!(messages.iter().any(|m| m.starts_with("c.csv: ") && m.contains("140")), "{messages:?}");
    }

    #[test]
    fn a_submission_changed_after_its_export_is_named_and_still_counts() {
        let (framework, sha, data) = vn_unit();
        let dataset = dti_core::load_data("sample.csv", data.as_bytes(), &framework).dataset.expect("valid");
        let period = dataset.period_index("2025").expect("2025");
        let exported = |unit: usize| {
            dti_core::assessment::Submission::from_dataset(&framework, &sha, &dataset, period, unit).to_json()
        };
        let intact = exported(0);
        let edited = exported(1).replacen("\"unit_name\": \"", "\"unit_name\": \"(sửa) ", 1);
        assert_ne!(edited, exported(1));
        let files = [
            OpenedFile { name: "intact.json".into(), bytes: intact.into_bytes() },
            OpenedFile { name: "edited.json".into(), bytes: edited.into_bytes() },
        ];
        let opened = open(&framework, &sha, &files, None);
        let messages = said(&opened, &framework);
        let edits: Vec<&String> = messages.iter().filter(|m| m.contains("changed after its export")).collect();
        assert_eq!(edits.len(), 1, "{messages:?}");
        assert!(edits[0].starts_with("edited.json: "), "{}", edits[0]);
        assert_eq!(opened.site.expect("evaluated").latest().n_units(), 2);
    }

    #[test]
    fn unreadable_files_are_named_and_nothing_is_evaluated() {
        let (framework, sha, _) = vn_unit();
        let files = [
            OpenedFile { name: "a.csv".into(), bytes: b"no,such\ncolumns,here\n".to_vec() },
            OpenedFile { name: "b.json".into(), bytes: b"{ not json".to_vec() },
        ];
        let opened = open(&framework, &sha, &files, None);
        assert!(opened.site.is_none());
        let messages = said(&opened, &framework);
        assert!(messages.iter().any(|m| m.contains("a.csv")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("b.json")), "{messages:?}");
        assert!(open(&framework, &sha, &[], None).site.is_none());
    }
}
