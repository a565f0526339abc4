//! The workbench's state and its reducer: pure data, tested natively like the
//! self-assessment page's (`crate::state`). What the page shows is computed from it
//! (`model::view`); side effects (reading files, the worker, downloads) stay in the
//! component and `crate::platform`.

use dti_core::message::{Arg, Message};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use dti_core::robustness::Report;
use dti_core::{Dataset, Evaluation};
use yew::Reducible;

/// What the workbench works on: the original indicator file, its evaluation, the data.
#[derive(Clone)]
pub struct Opened {
    /// The built-in set's id, empty for files opened from disk.
    pub id: String,
    /// The indicator file's name.
    pub file_name: String,
    /// Its text as opened.
    pub original_text: String,
    /// Its evaluation of the data, which every edit is compared with.
    pub original: Rc<Evaluation>,
    /// The data file's name.
    pub data_name: String,
    /// Its bytes (sent to the analysis worker as they are).
    pub data: Rc<Vec<u8>>,
    /// The data read.
    pub dataset: Rc<Dataset>,
}

impl PartialEq for Opened {
    fn eq(&self, other: &Self) -> bool {
        (&self.file_name, &self.original_text, &self.data_name)
            == (&other.file_name, &other.original_text, &other.data_name)
            && Rc::ptr_eq(&self.data, &other.data)
    }
}

/// Why something could not be done: the file concerned (when one is) and the message, as
/// data; the page renders it in its language.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file concerned, or empty.
    pub file: String,
    /// What is wrong.
    pub message: Arc<Message>,
}

impl Problem {
    fn new(file: &str, message: Message) -> Self {
        Self { file: file.to_owned(), message: Arc::new(message) }
    }

    /// The problem in a language: "file: message".
    pub fn render(&self, language: dti_core::text::Language) -> String {
        let text = self.message.render(language, &dti_core::message::NoNames);
        if self.file.is_empty() { text } else { format!("{}: {text}", self.file) }
    }
}

/// In English, for logs and tests.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(dti_core::text::Language::En))
    }
}

/// Opens an indicator file with a data file, or says why not.
pub fn open(id: &str, file_name: &str, text: &str, data_name: &str, data: Rc<Vec<u8>>) -> Result<Opened, Problem> {
    let loaded = dti_core::load_framework(file_name, text.as_bytes());
    let framework = loaded.framework.ok_or_else(|| refused(file_name, &loaded.diagnostics))?;
    let read = dti_core::load_data(data_name, &data, &framework);
    let dataset = read.dataset.ok_or_else(|| refused(data_name, &read.diagnostics))?;
    let original =
        dti_core::evaluate(&framework, &dataset, &dti_core::EvaluateOptions::default()).map_err(|error| {
            Problem::new(data_name, Message::EvaluationFailed { detail: Arg::detail(error.to_string()) })
        })?;
    Ok(Opened {
        id: id.to_owned(),
        file_name: file_name.to_owned(),
        original_text: text.to_owned(),
        original: Rc::new(original),
        data_name: data_name.to_owned(),
        data,
        dataset: Rc::new(dataset),
    })
}

/// Why a file was refused: its first error.
fn refused(name: &str, diagnostics: &[dti_core::Diagnostic]) -> Problem {
    match diagnostics.iter().find(|diagnostic| diagnostic.is_error()) {
        Some(first) => Problem { file: name.to_owned(), message: Arc::clone(&first.message) },
        None => Problem::new(name, Message::NoFileReadable {}),
    }
}

/// A built-in set with its sample data.
pub fn open_builtin(id: &str) -> Result<Opened, Problem> {
    let set = dti_core::builtin::builtin(id).ok_or_else(|| {
        Problem::new(
            "",
            Message::UnknownName { what: Arg::message(Message::WhatIndicatorFile {}), name: Arg::given(id) },
        )
    })?;
    open(id, set.file_name, set.framework, set.data_name, Rc::new(set.data().into_bytes()))
}

/// The edits: the text as typed and the sliders' weights.
#[derive(Clone, PartialEq)]
pub struct Edits {
    /// The indicator file's text as typed.
    pub text: String,
    /// The sliders' weights, by node id.
    pub weights: BTreeMap<String, f64>,
}

impl Edits {
    /// No edit yet: the original file.
    pub fn none(opened: &Opened) -> Self {
        Edits { text: opened.original_text.clone(), weights: BTreeMap::new() }
    }
}

/// The robustness analysis' settings, as the panel's inputs hold them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisSettings {
    /// Random runs.
    pub points: usize,
    /// Weights vary by up to +/- this share.
    pub factor: f64,
    /// Each pillar also left out in turn.
    pub leave_out_pillars: bool,
    /// Also each input's sensitivity indices.
    pub sensitivity: bool,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        Self { points: 1000, factor: 0.25, leave_out_pillars: true, sensitivity: false }
    }
}

/// What the robustness panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Analysis {
    /// Nothing asked for yet (or the file changed since).
    Idle,
    /// The worker is running it.
    Running,
    /// Its report, and how long it took.
    Done {
        /// The report, as the command line gives it.
        report: Rc<Report>,
        /// Milliseconds in the worker.
        milliseconds: f64,
    },
    /// Why it could not run.
    Failed(String),
}

/// Everything the workbench holds.
#[derive(Clone, PartialEq)]
pub struct State {
    /// The indicator file and data worked on.
    pub opened: Option<Opened>,
    /// The edits to the indicator file.
    pub edits: Option<Edits>,
    /// A problem to show (a file that could not be opened, a number that cannot be written).
    pub message: Option<Problem>,
    /// The element whose numbers the rules editor shows: (array, id).
    pub element: (String, String),
    /// The analysis' settings.
    pub settings: AnalysisSettings,
    /// The analysis' state.
    pub analysis: Analysis,
}

impl State {
    /// The workbench on a built-in set, or with the reason it cannot open.
    pub fn new(opened: Result<Opened, Problem>) -> Self {
        let (opened, message) = match opened {
            Ok(opened) => (Some(opened), None),
            Err(problem) => (None, Some(problem)),
        };
        Self {
            edits: opened.as_ref().map(Edits::none),
            opened,
            message,
            element: ("indicators".to_owned(), String::new()),
            settings: AnalysisSettings::default(),
            analysis: Analysis::Idle,
        }
    }
}

/// What can happen on the workbench.
#[derive(Debug, Clone)]
pub enum Action {
    /// A set or file was opened (or refused: what is worked on stays).
    Open(Result<Opened, Problem>),
    /// The text was edited.
    Text(String),
    /// A slider moved.
    Weight(String, f64),
    /// A number of the rules editor changed: the text with it written.
    Rewritten(Result<String, Problem>),
    /// Another element chosen in the rules editor.
    Element(String, String),
    /// Back to the file as opened.
    Reset,
    /// The analysis' settings changed.
    Settings(AnalysisSettings),
    /// The analysis was sent to the worker.
    AnalysisStarted,
    /// The worker answered.
    AnalysisDone(Result<(Report, f64), String>),
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opened({} with {})", self.file_name, self.data_name)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Open(Ok(opened)) => {
                next.edits = Some(Edits::none(&opened));
                next.opened = Some(opened);
                next.analysis = Analysis::Idle;
                next.message = None;
            }
            Action::Open(Err(problem)) => next.message = Some(problem),
            Action::Text(text) => {
                if let Some(edits) = &mut next.edits {
                    edits.text = text;
                }
            }
            Action::Weight(node, weight) => {
                if let Some(edits) = &mut next.edits {
                    // The text shows the slider's weight too (written in place, or added to
                    // the node), so that what is downloaded is what is seen.
                    let json = next.opened.as_ref().is_some_and(|opened| opened.file_name.ends_with(".json"));
                    let single: std::collections::BTreeMap<String, f64> = [(node.clone(), weight)].into();
                    if let Ok(text) = dti_core::framework::edit::with_weights(&edits.text, json, &single) {
                        edits.text = text;
                    }
                    edits.weights.insert(node, weight);
                }
            }
            Action::Rewritten(Ok(text)) => {
                if let Some(edits) = &mut next.edits {
                    edits.text = text;
                }
            }
            Action::Rewritten(Err(problem)) => next.message = Some(problem),
            Action::Element(array, id) => next.element = (array, id),
            Action::Reset => next.edits = next.opened.as_ref().map(Edits::none),
            Action::Settings(settings) => next.settings = settings,
            Action::AnalysisStarted => next.analysis = Analysis::Running,
            Action::AnalysisDone(Ok((report, milliseconds))) => {
                next.analysis = Analysis::Done { report: Rc::new(report), milliseconds }
            }
            Action::AnalysisDone(Err(problem)) => next.analysis = Analysis::Failed(problem),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: State, actions: Vec<Action>) -> State {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn ministry() -> State {
        State::new(open_builtin("vn-ministry"))
    }

    #[test]
    fn edits_change_the_text_and_weights_and_a_reset_brings_the_file_back() {
        let opened = ministry();
        let original = opened.opened.as_ref().expect("opens").original_text.clone();
        let edited =
            reduce(opened, vec![Action::Text("id = \"x\"".into()), Action::Weight("cybersecurity".into(), 2.5)]);
        let edits = edited.edits.as_ref().expect("edits");
        assert_eq!((edits.text.as_str(), edits.weights.get("cybersecurity")), ("id = \"x\"", Some(&2.5)));
        let reset = reduce(edited, vec![Action::Reset]);
        let edits = reset.edits.as_ref().expect("edits");
        assert_eq!((edits.text.as_str(), edits.weights.len()), (original.as_str(), 0));
    }

    #[test]
    fn a_slider_writes_its_weight_into_the_text() {
        let moved = reduce(ministry(), vec![Action::Weight("cybersecurity".into(), 2.5)]);
        let text = &moved.edits.as_ref().expect("edits").text;
        let loaded = dti_core::load_framework("f.toml", text.as_bytes());
        let raw = loaded.raw.expect("the text still parses");
        let node = raw.nodes.iter().find(|node| node.id.as_deref() == Some("cybersecurity")).expect("the pillar");
        assert_eq!(node.weight, Some(2.5), "the text says what the slider says");
    }

    #[test]
    fn a_file_that_cannot_be_opened_is_said_and_the_work_stays() {
        let problem = Problem::new("bad.toml", Message::NoFileReadable {});
        let state = reduce(ministry(), vec![Action::Text("edited".into()), Action::Open(Err(problem))]);
        assert_eq!(
            state.message.as_ref().map(ToString::to_string).as_deref(),
            Some("bad.toml: none of the files could be read")
        );
        assert!(
            state
                .message
                .as_ref()
                .is_some_and(|problem| problem.render(dti_core::text::Language::Vi).contains("không đọc được"))
        );
        assert_eq!(state.edits.as_ref().map(|edits| edits.text.as_str()), Some("edited"));
        let opened = reduce(state, vec![Action::Open(open_builtin("vn-unit"))]);
        assert_eq!((opened.message.clone(), opened.opened.as_ref().map(|o| o.id.as_str())), (None, Some("vn-unit")));
        assert_eq!(opened.analysis, Analysis::Idle);
    }

    #[test]
    fn the_analysis_runs_then_reports_or_fails() {
        let settings = AnalysisSettings { points: 200, ..AnalysisSettings::default() };
        let state = reduce(ministry(), vec![Action::Settings(settings.clone()), Action::AnalysisStarted]);
        assert_eq!((state.settings.points, &state.analysis), (200, &Analysis::Running));
        let failed = reduce(state, vec![Action::AnalysisDone(Err("the worker stopped".into()))]);
        assert_eq!(failed.analysis, Analysis::Failed("the worker stopped".into()));
        let problem = Problem::new("", Message::NumberNotWritten { detail: Arg::detail("no such number") });
        let rewritten = reduce(failed, vec![Action::Rewritten(Err(problem))]);
        assert!(rewritten.message.as_ref().is_some_and(|problem| problem.to_string().contains("no such number")));
    }
}
