//! The self-assessment page: setup, the form generated from the indicator tree, and the
//! live results.

use std::rc::Rc;

use dti_core::assessment::{Entry, Submission};
use dti_core::framework::{Framework, NodeKind, ValueType};
use dti_core::message::NoNames;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{Texts, texts};
use crate::model::{self, LoadedSet, Results, Shared, fixed, indicators_under, radar_points};
use crate::platform;
use crate::state::{Action, AppState, Draft, FrameworkChoice, Language};

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().reduce(action))
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(platform::restore);
    let language = state.language;
    let t = texts(language);
    let draft = state.drafts.draft().clone();

    use_effect_with(language, |language| platform::set_document_language(*language));
    // Every change is saved at once.
    {
        let state = state.clone();
        use_effect_with((state.drafts.clone(), state.language), move |(drafts, language)| {
            match platform::save(drafts, *language) {
                Ok(()) if state.storage_error.is_some() => state.dispatch(Action::StorageOk),
                Ok(()) => {}
                Err(message) if state.storage_error.as_deref() != Some(message.as_str()) => {
                    state.dispatch(Action::StorageFailed(message))
                }
                Err(_) => {}
            }
        });
    }

    let set = use_memo(draft.framework.clone(), model::load_set);
    let results = {
        let framework = set.framework.clone();
        use_memo((set.sha256.clone(), draft.submission.clone()), move |(_, submission)| {
            let started = platform::now_ms();
            let results = framework.map(|framework| Shared::new(model::results(&framework, submission)));
            (results, platform::now_ms() - started)
        })
    };
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };

    html! {
        <div class="app" lang={language.code()}>
            <header class="top">
                <div>
                    <h1>{ t.title }</h1>
                    <p class="subtitle">{ t.subtitle }</p>
                </div>
                <Toolbar state={state.clone()} dispatch={dispatch.clone()} set={set.clone()}
                    refused={results.0.as_ref().map_or(0, |results| results.assessment.problems.len())} />
            </header>
            if let Some(message) = &state.storage_error {
                <div class="alert" role="alert" id="storage-error">{ t.storage_failed }{ " " }<code>{ message }</code></div>
            }
            <main class="layout">
                <section class="form" aria-label={t.indicator_set}>
                    <Setup draft={draft.clone()} set={set.clone()} language={language} dispatch={dispatch.clone()} />
                    if let Some(framework) = &set.framework {
                        <IndicatorForm
                            framework={framework.clone()}
                            submission={draft.submission.clone()}
                            results={results.0.clone()}
                            language={language}
                            dispatch={dispatch.clone()} />
                    } else {
                        <Diagnostics set={set.clone()} language={language} />
                    }
                </section>
                if let (Some(framework), Some(shown)) = (&set.framework, results.0.clone()) {
                    <ResultsPanel framework={framework.clone()} results={shown} language={language} compute_ms={results.1} />
                }
            </main>
            if let (Some(framework), Some(shown)) = (&set.framework, results.0.clone()) {
                <PrintReport framework={framework.clone()} results={shown} submission={draft.submission.clone()} language={language} />
            }
            if let (Some(framework), Some(shown)) = (&set.framework, results.0.as_ref()) {
                <div class="summary-bar" id="summary-bar" role="status">
                    <span>
                        { t.summary_score }{ " " }
                        <strong class="bar-score" id="bar-score">{ model::shown_fixed(language, &fixed(shown.score.unwrap_or(0.0), usize::from(framework.scale.decimals))) }</strong>
                        { format!(" / {}", fixed(shown.max, 0)) }
                        { " · " }{ shown.level.as_ref().map_or(t.no_level.to_owned(), |name| name.get(language).to_owned()) }
                    </span>
                    <a href="#results">{ t.see_results }</a>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ToolbarProps {
    state: UseReducerHandle<AppState>,
    dispatch: Callback<Action>,
    set: Rc<LoadedSet>,
    /// How many of the open draft's values are refused (the export warns first).
    refused: usize,
}

#[function_component(Toolbar)]
fn toolbar(props: &ToolbarProps) -> Html {
    let t = texts(props.state.language);
    let drafts = &props.state.drafts;
    let submission = drafts.draft().submission.clone();
    let import_error = use_state(|| None::<String>);
    // After an import: the file's name, and whether it was changed after its export.
    let imported = use_state(|| None::<(String, bool)>);
    // A delete waiting for its confirmation; an export waiting for one (refused values).
    let confirming_delete = use_state(|| false);
    let confirming_export = use_state(|| None::<ExportFormat>);
    let on_language = props
        .dispatch
        .reform(|event| Action::SetLanguage(if select_value(event) == "en" { Language::En } else { Language::Vi }));
    let on_draft = props.dispatch.reform(|event| Action::SelectDraft(select_value(event)));
    let export_now = |format: ExportFormat| {
        let set = props.set.clone();
        let submission = submission.clone();
        let confirming_export = confirming_export.clone();
        let language = props.state.language;
        Callback::from(move |_: MouseEvent| {
            confirming_export.set(None);
            let mut submission = submission.clone();
            if let Some(framework) = &set.framework {
                submission.framework.id = framework.id.clone();
                submission.framework.version = framework.version.clone();
            }
            submission.framework.sha256 = set.sha256.clone();
            submission.format = dti_core::assessment::SUBMISSION_FORMAT.into();
            submission.exported_at = Some(platform::now_iso());
            let stem = file_stem(&submission);
            match format {
                ExportFormat::Json => {
                    platform::download(&format!("{stem}.json"), "application/json", submission.to_json().as_bytes());
                }
                ExportFormat::Csv => platform::download(
                    &format!("{stem}.csv"),
                    "text/csv;charset=utf-8",
                    model::submission_csv(&submission, set.framework.as_deref(), language).as_bytes(),
                ),
                ExportFormat::Xlsx => platform::download(
                    &format!("{stem}.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &model::submission_xlsx(&submission, set.framework.as_deref(), language),
                ),
            }
        })
    };
    // With refused values, an export asks first.
    let export = |format: ExportFormat| {
        let now = export_now(format);
        let confirming_export = confirming_export.clone();
        let refused = props.refused;
        Callback::from(
            move |event: MouseEvent| {
                if refused > 0 { confirming_export.set(Some(format)) } else { now.emit(event) }
            },
        )
    };
    let on_import = {
        let dispatch = props.dispatch.clone();
        let import_error = import_error.clone();
        let imported = imported.clone();
        let framework = props.state.drafts.draft().framework.clone();
        let set = props.set.clone();
        let language = props.state.language;
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let dispatch = dispatch.clone();
            let import_error = import_error.clone();
            let imported = imported.clone();
            let framework = framework.clone();
            let set = set.clone();
            // A workbook: the Excel reader lives in the ministry build, asked in a worker.
            if input
                .files()
                .and_then(|files| files.get(0))
                .is_some_and(|file| file.name().to_ascii_lowercase().ends_with(".xlsx"))
            {
                let (dispatch, import_error, imported, framework, set) =
                    (dispatch.clone(), import_error.clone(), imported.clone(), framework.clone(), set.clone());
                platform::read_file_bytes(&input, move |name, bytes| {
                    let file = name.clone();
                    platform::workbook_to_csv(&name, &bytes, move |csv| match csv {
                        Ok(csv) => {
                            import_table(&file, &csv, &set, &framework, &dispatch, &import_error, &imported, language)
                        }
                        Err(error) => import_error.set(Some(format!("{file}: {error}"))),
                    });
                });
                input.set_value("");
                return;
            }
            platform::read_file(&input, move |name, text| {
                // A CSV (or other table) export: read with the open draft's indicator set.
                if !name.to_ascii_lowercase().ends_with(".json") {
                    import_table(&name, &text, &set, &framework, &dispatch, &import_error, &imported, language);
                    return;
                }
                match dti_core::assessment::Submission::from_json(&name, &text) {
                    Ok(submission) => {
                        import_error.set(None);
                        let edited = submission.integrity() == dti_core::assessment::Integrity::Edited;
                        imported.set(Some((name, edited)));
                        // A submission on a built-in set opens with that set; otherwise with the open draft's.
                        let choice = if dti_core::builtin::builtin(&submission.framework.id).is_some() {
                            FrameworkChoice::Builtin(submission.framework.id.clone())
                        } else {
                            framework.clone()
                        };
                        dispatch.emit(Action::Import(Box::new(Draft { framework: choice, submission })));
                    }
                    Err(error) => {
                        imported.set(None);
                        let problem = error.diagnostic();
                        import_error.set(Some(format!("{name}: {}", problem.text(language, &NoNames))));
                    }
                }
            });
            input.set_value("");
        })
    };
    // A draft with anything typed in asks first; an empty one goes at once. Either way
    // it can be restored (see `Action::UndoDelete`).
    let delete_now = {
        let dispatch = props.dispatch.clone();
        let confirming_delete = confirming_delete.clone();
        Callback::from(move |_: MouseEvent| {
            confirming_delete.set(false);
            dispatch.emit(Action::DeleteDraft);
        })
    };
    let on_delete = {
        let delete_now = delete_now.clone();
        let confirming_delete = confirming_delete.clone();
        let empty = *drafts.draft() == Draft::default();
        Callback::from(
            move |event: MouseEvent| if empty { delete_now.emit(event) } else { confirming_delete.set(true) },
        )
    };
    html! {
        <nav class="toolbar" aria-label={t.draft}>
            <label>{ t.language }{ " " }
                <select id="language" onchange={on_language}>
                    <option value="vi" lang="vi" selected={props.state.language == Language::Vi}>{ "Tiếng Việt" }</option>
                    <option value="en" lang="en" selected={props.state.language == Language::En}>{ "English" }</option>
                </select>
            </label>
            <label>{ t.draft }{ " " }
                <select id="draft" onchange={on_draft}>
                    { for draft_titles(drafts, t).into_iter().map(|(key, title)| html! {
                        <option value={key.clone()} selected={key == drafts.current}>{ title }</option>
                    }) }
                </select>
            </label>
            <button id="new-draft" onclick={props.dispatch.reform(|_| Action::NewDraft)}>{ t.new_draft }</button>
            <button id="delete-draft" onclick={on_delete}>{ t.delete_draft }</button>
            <button id="export-json" onclick={export(ExportFormat::Json)}>{ t.export_json }</button>
            <button id="export-xlsx" onclick={export(ExportFormat::Xlsx)}>{ t.export_xlsx }</button>
            <button id="export-csv" onclick={export(ExportFormat::Csv)}>{ t.export_csv }</button>
            <label class="file">{ t.import }
                <input id="import" type="file" accept=".json,.csv,.xlsx,application/json,text/csv" onchange={on_import} />
            </label>
            <button id="print" onclick={Callback::from(|_| platform::print())}>{ t.print }</button>
            if *confirming_delete {
                <div class="alert" role="alertdialog" id="confirm-delete" aria-labelledby="confirm-delete-text">
                    <span id="confirm-delete-text">{ t.confirm_delete }</span>{ " " }
                    <button id="delete-yes" onclick={delete_now}>{ t.delete_yes }</button>{ " " }
                    <button id="delete-cancel" onclick={{ let c = confirming_delete.clone(); Callback::from(move |_| c.set(false)) }}>{ t.cancel }</button>
                </div>
            }
            if let Some((_, deleted)) = &drafts.deleted {
                <div class="notice" role="status" id="deleted">
                    { t.deleted }{ ": " }{ draft_title(deleted, t) }{ " " }
                    <button id="undo-delete" onclick={props.dispatch.reform(|_| Action::UndoDelete)}>{ t.undo }</button>
                </div>
            }
            if let Some(format) = *confirming_export {
                <div class="alert" role="alertdialog" id="confirm-export">
                    { t.export_refused }{ " " }
                    <button id="export-anyway" onclick={export_now(format)}>{ t.export_anyway }</button>{ " " }
                    <button id="export-cancel" onclick={{ let c = confirming_export.clone(); Callback::from(move |_| c.set(None)) }}>{ t.cancel }</button>
                </div>
            }
            if let Some(error) = &*import_error {
                <div class="alert" role="alert" id="import-error">{ t.import_failed }{ ": " }{ error }</div>
            }
            if let Some((name, edited)) = &*imported {
                <div class="notice" role="status" id="import-done">{ name.clone() }{ ": " }{ t.import_added }</div>
                if *edited {
                    <div class="alert" role="alert" id="import-edited">{ name.clone() }{ ": " }{ t.import_edited }</div>
                }
            }
        </nav>
    }
}

/// Imports the submissions of a CSV table (an export, or a workbook turned into one) as
/// new drafts, read with the open draft's indicator set; or says why not.
#[allow(clippy::too_many_arguments, reason = "the toolbar's handles, each a plain value")]
fn import_table(
    name: &str,
    csv: &str,
    set: &Rc<LoadedSet>,
    framework: &FrameworkChoice,
    dispatch: &Callback<Action>,
    import_error: &UseStateHandle<Option<String>>,
    imported: &UseStateHandle<Option<(String, bool)>>,
    language: Language,
) {
    let Some(indicators) = &set.framework else { return };
    match Submission::from_csv(indicators, &set.sha256, name, csv.as_bytes()) {
        Ok((submissions, _)) if !submissions.is_empty() => {
            import_error.set(None);
            imported.set(Some((name.to_owned(), false)));
            for submission in submissions {
                dispatch.emit(Action::Import(Box::new(Draft { framework: framework.clone(), submission })));
            }
        }
        Ok((_, problems)) | Err(problems) => {
            imported.set(None);
            let first = problems.iter().find(|problem| problem.is_error()).or(problems.first());
            let said = first.map(|problem| problem.text(language, &**indicators));
            import_error.set(Some(format!("{name}: {}", said.unwrap_or_default())));
        }
    }
}

/// Every draft's title, numbered where two would read the same ("Sở A — 2025 (2)").
fn draft_titles(drafts: &crate::state::Drafts, t: &Texts) -> Vec<(String, String)> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    drafts
        .drafts
        .iter()
        .map(|(key, draft)| {
            let title = draft_title(draft, t);
            let count = seen.entry(title.clone()).or_default();
            *count += 1;
            let title = if *count > 1 { format!("{title} ({count})") } else { title };
            (key.clone(), title)
        })
        .collect()
}

fn draft_title(draft: &Draft, t: &Texts) -> String {
    let submission = &draft.submission;
    let name = if submission.unit_name.is_empty() { t.untitled } else { submission.unit_name.as_str() };
    if submission.period.is_empty() { name.to_owned() } else { format!("{name} — {}", submission.period) }
}

/// The files a submission can be exported as.
#[derive(Clone, Copy, PartialEq)]
enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

fn file_stem(submission: &Submission) -> String {
    let unit = if submission.unit_id.is_empty() { &submission.unit_name } else { &submission.unit_id };
    let stem: String = format!("dti-{}-{}", unit, submission.period)
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    stem.trim_end_matches(['-', '_']).to_owned()
}

#[derive(Properties, PartialEq)]
struct SetupProps {
    draft: Draft,
    set: Rc<LoadedSet>,
    language: Language,
    dispatch: Callback<Action>,
}

#[function_component(Setup)]
fn setup(props: &SetupProps) -> Html {
    let t = texts(props.language);
    let lang = props.language;
    let submission = &props.draft.submission;
    let on_set = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            if let Some(id) = select_value(event).strip_prefix("builtin:") {
                dispatch.emit(Action::SetFramework(FrameworkChoice::Builtin(id.to_owned())));
            }
        })
    };
    let on_file = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let dispatch = dispatch.clone();
            platform::read_file(&input, move |name, text| {
                dispatch.emit(Action::SetFramework(FrameworkChoice::File { name, text }))
            });
            input.set_value("");
        })
    };
    let text_input = |id: &'static str, label: &'static str, value: &str, action: fn(String) -> Action| {
        let oninput = props.dispatch.reform(move |event| action(input_value(event)));
        html! {
            <label for={id}>{ label }
                <input id={id} type="text" value={value.to_owned()} {oninput} />
            </label>
        }
    };
    let blocks = props.set.framework.as_ref().map(|framework| framework.blocks.clone()).unwrap_or_default();
    let on_block = props.dispatch.reform(|event| {
        let value = select_value(event);
        Action::SetBlock((!value.is_empty()).then_some(value))
    });
    html! {
        <fieldset class="setup">
            <legend>{ t.indicator_set }</legend>
            <label for="indicator-set">{ t.indicator_set }
                <select id="indicator-set" onchange={on_set}>
                    { for dti_core::builtin::BUILTINS.iter().map(|set| {
                        let selected = props.draft.framework == FrameworkChoice::Builtin(set.id.to_owned());
                        html! { <option value={format!("builtin:{}", set.id)} {selected}>{ set.id }</option> }
                    }) }
                    if let FrameworkChoice::File { name, .. } = &props.draft.framework {
                        <option value="file" selected=true>{ name.clone() }</option>
                    }
                </select>
            </label>
            <label class="file" for="open-file">{ t.open_file }
                <input id="open-file" type="file" accept=".toml,.json,.csv" onchange={on_file} />
            </label>
            if let Some(framework) = &props.set.framework {
                <p class="set-title" id="set-title">{ framework.title.get(lang).to_owned() }{ " · v" }{ framework.version.clone() }</p>
            }
            if !blocks.is_empty() {
                <label for="block">{ t.block }
                    <select id="block" onchange={on_block}>
                        <option value="" selected={submission.block.is_none()}>{ t.no_block }</option>
                        { for blocks.iter().map(|block| html! {
                            <option value={block.id.clone()} selected={submission.block.as_deref() == Some(block.id.as_str())}>
                                { block.name.get(lang).to_owned() }
                            </option>
                        }) }
                    </select>
                </label>
            }
            { text_input("unit-name", t.unit_name, &submission.unit_name, Action::SetUnitName) }
            { text_input("unit-id", t.unit_id, &submission.unit_id, Action::SetUnitId) }
            { text_input("period", t.period, &submission.period, Action::SetPeriod) }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct DiagnosticsProps {
    set: Rc<LoadedSet>,
    language: Language,
}

#[function_component(Diagnostics)]
fn diagnostics(props: &DiagnosticsProps) -> Html {
    let t = texts(props.language);
    html! {
        <section class="diagnostics" id="diagnostics" role="alert">
            <h2>{ t.broken_file }{ ": " }{ props.set.file_name.clone() }</h2>
            <ul>
                { for props.set.diagnostics.iter().map(|diagnostic| {
                    let location = &diagnostic.location;
                    html! {
                        <li class={classes!("diagnostic", diagnostic.is_error().then_some("error"))}>
                            <code>{ format!("{}:{}:{}", location.file, location.line, location.column) }</code>
                            { " " }{ diagnostic.text(props.language, &NoNames) }
                            { for diagnostic.hint_texts(props.language, &NoNames).into_iter().map(|hint| html! { <div class="hint">{ hint }</div> }) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    framework: Shared<Framework>,
    submission: Submission,
    results: Option<Shared<Results>>,
    language: Language,
    dispatch: Callback<Action>,
}

#[function_component(IndicatorForm)]
fn indicator_form(props: &FormProps) -> Html {
    let framework = &props.framework;
    let root = framework.root();
    let t = texts(props.language);
    let lang = props.language;
    // Every field in error, first to last, each linking to its field (as GOV.UK's error
    // summary does): refused values, then evidence missing or not a web address.
    let block = props.submission.block.as_deref().and_then(|block| framework.block_index(block));
    let mut errors: Vec<(String, String)> = Vec::new();
    for indicator in indicators_under(framework, root) {
        let node = &framework.nodes[indicator];
        let Some(details) = node.indicator() else { continue };
        let name = node.name.get(lang);
        if let Some(problem) = props.results.as_ref().and_then(|results| results.assessment.problems.get(&node.id)) {
            let text = problem.message.value_problem().render(lang, &**framework);
            errors.push((format!("value-{}", node.id), format!("{name}: {text}")));
        }
        let entry = props.submission.values.get(&node.id).cloned().unwrap_or_default();
        if details.applies_to_block(block)
            && let Some(problem) = model::evidence_problem(details, &entry)
        {
            let text = match problem {
                model::EvidenceProblem::Missing => t.evidence_missing,
                model::EvidenceProblem::NotUrl => t.evidence_not_url,
            };
            errors.push((format!("evidence-{}", node.id), format!("{name}: {text}")));
        }
    }
    html! {
        <div class="pillars">
            if !errors.is_empty() {
                <div class="error-summary" id="error-summary" role="region" aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{ t.errors_title }{ format!(" ({})", errors.len()) }</h2>
                    <ul>
                        { for errors.iter().map(|(field, text)| html! {
                            <li><a href={format!("#{field}")}>{ text.clone() }</a></li>
                        }) }
                    </ul>
                </div>
            }
            { for framework.nodes[root].children.iter().map(|&pillar| {
                let node = &framework.nodes[pillar];
                let lang = props.language;
                html! {
                    <fieldset class="pillar" id={format!("pillar-{}", node.id)}>
                        <legend>
                            { node.name.get(lang).to_owned() }
                            if let Some(range) = node.range {
                                <span class="max">{ format!(" · {} {}", fixed(range.high, 0), texts(props.language).points) }</span>
                            }
                        </legend>
                        { for indicators_under(framework, pillar).into_iter().map(|indicator| html! {
                            <IndicatorRow
                                framework={framework.clone()}
                                node={indicator}
                                entry={props.submission.values.get(&framework.nodes[indicator].id).cloned().unwrap_or_default()}
                                block={props.submission.block.clone()}
                                problem={props.results.as_ref().and_then(|results| results.assessment.problems.get(&framework.nodes[indicator].id).map(|problem| problem.message.value_problem().render(props.language, &**framework)))}
                                points={props.results.as_ref().and_then(|results| results.assessment.evaluation.as_ref().and_then(|evaluation| evaluation.score(indicator, 0)))}
                                language={props.language}
                                dispatch={props.dispatch.clone()} />
                        }) }
                    </fieldset>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    framework: Shared<Framework>,
    node: usize,
    entry: Entry,
    block: Option<String>,
    problem: Option<String>,
    points: Option<f64>,
    language: Language,
    dispatch: Callback<Action>,
}

#[function_component(IndicatorRow)]
fn indicator_row(props: &RowProps) -> Html {
    let t = texts(props.language);
    let lang = props.language;
    let node = &props.framework.nodes[props.node];
    let NodeKind::Indicator(indicator) = &node.kind else { return html! {} };
    let id = node.id.clone();
    let input_id = format!("value-{id}");
    let applies =
        indicator.applies_to_block(props.block.as_deref().and_then(|block| props.framework.block_index(block)));
    // Typed text (value, evidence, date, note) and chosen options become actions on this indicator.
    let detail = |make: fn(String, String) -> Action| {
        let id = id.clone();
        props.dispatch.reform(move |event| make(id.clone(), input_value(event)))
    };
    // A number ("72,5") and the evidence date (31/03/2025) are typed and shown the page
    // language's way, kept the file's way ("72.5", 2025-03-31).
    let typed = use_localised(&props.entry.value, lang, LOCALISED_NUMBER);
    let on_text = localised_input(&typed, lang, LOCALISED_NUMBER, &props.dispatch, id.clone(), Action::SetValue);
    let typed_date = use_localised(&props.entry.evidence_date, lang, LOCALISED_DATE);
    let on_date =
        localised_input(&typed_date, lang, LOCALISED_DATE, &props.dispatch, id.clone(), Action::SetEvidenceDate);
    let evidence_problem = model::evidence_problem(indicator, &props.entry);
    let evidence_required = indicator.evidence == dti_core::framework::Evidence::Required;
    let evidence_error_id = format!("evidence-problem-{id}");
    let on_select = {
        let id = id.clone();
        props.dispatch.reform(move |event| Action::SetValue(id.clone(), select_value(event)))
    };
    let error_id = format!("problem-{id}");
    let invalid = props.problem.is_some();
    let input = match &indicator.value_type {
        ValueType::Boolean => html! {
            <select id={input_id.clone()} onchange={on_select} aria-invalid={invalid.to_string()}>
                <option value="" selected={props.entry.value.is_empty()}>{ t.not_given }</option>
                <option value="1" selected={props.entry.value == "1"}>{ t.yes }</option>
                <option value="0" selected={props.entry.value == "0"}>{ t.no }</option>
            </select>
        },
        ValueType::Ordinal { labels } => html! {
            <select id={input_id.clone()} onchange={on_select} aria-invalid={invalid.to_string()}>
                <option value="" selected={props.entry.value.is_empty()}>{ t.not_given }</option>
                { for labels.iter().map(|label| {
                    let value = model::fixed(label.value, 0);
                    let value = if label.value.fract() == 0.0 { value } else { label.value.to_string() };
                    html! {
                        <option value={value.clone()} selected={props.entry.value == value}>
                            { format!("{} · {}", value, label.name.get(lang)) }
                        </option>
                    }
                }) }
            </select>
        },
        ValueType::Checklist { items } => html! {
            <div class="checklist" id={input_id.clone()} role="group">
                { for items.iter().map(|item| {
                    let checked = props.entry.items.contains(&item.id);
                    let onchange = {
                        let dispatch = props.dispatch.clone();
                        let (id, item) = (id.clone(), item.id.clone());
                        Callback::from(move |_: Event| dispatch.emit(Action::ToggleItem(id.clone(), item.clone())))
                    };
                    let item_id = format!("item-{id}-{}", item.id);
                    html! {
                        <label for={item_id.clone()} class="item">
                            <input type="checkbox" id={item_id} {checked} {onchange} />
                            { item.name.get(lang).to_owned() }
                        </label>
                    }
                }) }
            </div>
        },
        value_type => {
            let unit = match value_type {
                ValueType::Percent => Some("%".to_owned()),
                _ => indicator.unit.as_ref().map(|unit| unit.get(lang).to_owned()),
            };
            html! {
                <span class="number">
                    <input id={input_id.clone()} type="text" inputmode="decimal" value={(*typed).clone()}
                        oninput={on_text} aria-invalid={invalid.to_string()} aria-describedby={error_id.clone()} />
                    if let Some(unit) = unit { <span class="unit">{ unit }</span> }
                </span>
            }
        }
    };
    html! {
        <div class={classes!("indicator", (!applies).then_some("not-applicable"))} id={format!("row-{id}")}>
            <div class="label">
                <label for={input_id.clone()}>{ node.name.get(lang).to_owned() }</label>
                if evidence_required && applies { <span class="badge required">{ t.evidence_required }</span> }
                if indicator.info_only { <span class="badge">{ t.info_only }</span> }
                if !applies { <span class="badge">{ t.not_applicable }</span> }
                if let Some(description) = &node.description {
                    <p class="hint-text">{ description.get(lang).to_owned() }</p>
                }
                if let (Some(points), Some(range)) = (props.points, node.range) {
                    <span class="points" id={format!("points-{id}")}>{ format!("{} / {}", model::shown_fixed(lang, &fixed(points, 2)), fixed(range.high, 0)) }</span>
                }
            </div>
            <div class="inputs">
                { input }
                <input type="url" class="evidence" id={format!("evidence-{id}")} placeholder={t.evidence} aria-label={t.evidence}
                    aria-required={evidence_required.to_string()} aria-invalid={evidence_problem.is_some().to_string()}
                    aria-describedby={evidence_problem.is_some().then(|| evidence_error_id.clone())}
                    value={props.entry.evidence.clone()} oninput={detail(Action::SetEvidence)} />
                <input type="text" inputmode="numeric" class="evidence-date" id={format!("evidence-date-{id}")}
                    aria-label={t.evidence_date} placeholder={t.date_format}
                    value={(*typed_date).clone()} oninput={on_date} />
                <input type="text" class="note" id={format!("note-{id}")} placeholder={t.note} aria-label={t.note}
                    value={props.entry.note.clone()} oninput={detail(Action::SetNote)} />
            </div>
            if let Some(problem) = &props.problem {
                <p class="problem" id={error_id} role="alert">{ problem.clone() }</p>
            }
            if let (Some(problem), true) = (evidence_problem, applies) {
                <p class="problem evidence-problem" id={evidence_error_id}>
                    { match problem { model::EvidenceProblem::Missing => t.evidence_missing, model::EvidenceProblem::NotUrl => t.evidence_not_url } }
                </p>
            }
        </div>
    }
}

/// How a field's text is shown in a language and kept in the file: a number, a date.
#[derive(Clone, Copy)]
struct Localised {
    shown: fn(Language, &str) -> String,
    stored: fn(Language, &str) -> String,
}

const LOCALISED_NUMBER: Localised = Localised { shown: model::shown_value, stored: model::stored_value };
const LOCALISED_DATE: Localised = Localised { shown: model::shown_date, stored: model::stored_date };

/// The text of a field typed the language's way: exactly what is typed while it means what
/// is `stored`, the stored value shown the language's way when it changes otherwise (an
/// import, the language switched).
#[hook]
fn use_localised(stored: &str, language: Language, way: Localised) -> UseStateHandle<String> {
    let typed = use_state(|| (way.shown)(language, stored));
    {
        let typed = typed.clone();
        use_effect_with((stored.to_owned(), language), move |(stored, language)| {
            if (way.stored)(*language, &typed) != *stored {
                typed.set((way.shown)(*language, stored));
            }
        });
    }
    typed
}

/// What typing in such a field does: the text stays as typed, the file's form goes to
/// the indicator `id` through `make`.
fn localised_input(
    typed: &UseStateHandle<String>,
    language: Language,
    way: Localised,
    dispatch: &Callback<Action>,
    id: String,
    make: fn(String, String) -> Action,
) -> Callback<InputEvent> {
    let typed = typed.clone();
    dispatch.reform(move |event| {
        let text = input_value(event);
        let stored = (way.stored)(language, &text);
        typed.set(text);
        make(id.clone(), stored)
    })
}

#[derive(Properties, PartialEq)]
struct ResultsProps {
    framework: Shared<Framework>,
    results: Shared<Results>,
    language: Language,
    /// How long the engine took for these results (shown to tests and the curious).
    compute_ms: f64,
}

#[function_component(ResultsPanel)]
fn results_panel(props: &ResultsProps) -> Html {
    let t = texts(props.language);
    let lang = props.language;
    let results = &props.results;
    let framework = &props.framework;
    let decimals = usize::from(framework.scale.decimals);
    let (present, applicable) = results.assessment.completeness;
    let completeness = if applicable == 0 { 0.0 } else { present as f64 / applicable as f64 * 100.0 };
    let shares: Vec<f64> = results.pillars.iter().map(|pillar| pillar.share()).collect();
    html! {
        <aside class="results" id="results" aria-live="polite" data-compute-ms={fixed(props.compute_ms, 2)}>
            <h2>{ t.result }</h2>
            <p class="score"><span id="score" data-value={fixed(results.score.unwrap_or(0.0), decimals)}>{ model::shown_fixed(lang, &fixed(results.score.unwrap_or(0.0), decimals)) }</span>{ format!(" / {}", fixed(results.max, 0)) }</p>
            <p>{ t.level }{ ": " }<strong id="level">{ results.level.as_ref().map_or(t.no_level.to_owned(), |name| name.get(lang).to_owned()) }</strong></p>
            <p>{ t.completeness }{ ": " }<span id="completeness">{ format!("{present}/{applicable} ({}%)", fixed(completeness, 0)) }</span></p>
            <svg class="radar" viewBox="-70 -10 380 270" role="img" aria-label={t.pillars}>
                { for (1..=4).map(|ring| html! {
                    <polygon class="ring" points={radar_points(&vec![f64::from(ring) / 4.0; shares.len()], 120.0, 90.0)} />
                }) }
                <polygon class="area" id="radar-area" points={radar_points(&shares, 120.0, 90.0)} />
                { for results.pillars.iter().enumerate().map(|(index, pillar)| {
                    let angle = std::f64::consts::TAU * index as f64 / shares.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
                    let (x, y) = (120.0 + 108.0 * angle.cos(), 120.0 + 108.0 * angle.sin());
                    // The whole name on short lines, never cut.
                    let lines = dti_site::charts::wrap(framework.nodes[pillar.node].name.get(lang), 16);
                    let first = -(lines.len() as f64 - 1.0) * 0.55;
                    html! {
                        <text x={fixed(x, 1)} y={fixed(y, 1)} text-anchor="middle">
                            { for lines.into_iter().enumerate().map(|(line, text)| html! {
                                <tspan x={fixed(x, 1)} dy={format!("{:.2}em", if line == 0 { first } else { 1.1 })}>{ text }</tspan>
                            }) }
                        </text>
                    }
                }) }
            </svg>
            <svg class="bars" viewBox={format!("0 0 300 {}", 26 * results.pillars.len())} role="img" aria-label={t.points}>
                { for results.pillars.iter().enumerate().map(|(index, pillar)| {
                    let y = 26 * index;
                    html! {
                        <g>
                            <text x="0" y={(y + 11).to_string()}>{ short(framework.nodes[pillar.node].name.get(lang)) }</text>
                            <rect class="track" x="0" y={(y + 14).to_string()} width="300" height="8" />
                            <rect class="fill" x="0" y={(y + 14).to_string()} width={fixed(300.0 * pillar.share(), 1)} height="8" />
                            <text class="value" x="300" y={(y + 11).to_string()} text-anchor="end">
                                { format!("{} / {}", fixed(pillar.points, 1), fixed(pillar.max, 0)) }
                            </text>
                        </g>
                    }
                }) }
            </svg>
            <h3>{ t.next_steps }</h3>
            if results.next_steps.is_empty() {
                <p>{ t.no_next_steps }</p>
            } else {
                <ol id="next-steps">
                    { for results.next_steps.iter().map(|step| {
                        let node = framework.node_index(&step.indicator);
                        let name = node.map_or(step.indicator.clone(), |node| framework.nodes[node].name.get(lang).to_owned());
                        let shown = node
                            .and_then(|node| framework.nodes[node].indicator())
                            .map_or(step.to_shown.clone(), |indicator| step_label(&indicator.value_type, &step.to_shown, t, lang));
                        html! { <li>{ name }{ " → " }<strong>{ shown }</strong>{ format!(" (+{} {})", fixed(step.gain, 2), t.points) }</li> }
                    }) }
                </ol>
            }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct ReportProps {
    framework: Shared<Framework>,
    results: Shared<Results>,
    submission: Submission,
    language: Language,
}

/// The printed report: what a unit files or hands to its head, in the page's language:
/// the result first (score, level, pillars, what to improve), then every indicator's
/// value with its evidence. Shown only when printing (the form is not).
#[function_component(PrintReport)]
fn print_report(props: &ReportProps) -> Html {
    let t = texts(props.language);
    let lang = props.language;
    let framework = &props.framework;
    let results = &props.results;
    let submission = &props.submission;
    let decimals = usize::from(framework.scale.decimals);
    let score = model::shown_fixed(lang, &fixed(results.score.unwrap_or(0.0), decimals));
    let (present, applicable) = results.assessment.completeness;
    html! {
        <section class="print-report" id="print-report">
            <h1>{ t.report_title }</h1>
            <p class="report-unit">
                <strong>{ if submission.unit_name.is_empty() { t.untitled.to_owned() } else { submission.unit_name.clone() } }</strong>
                if !submission.period.is_empty() { { format!(" · {} {}", t.period, submission.period) } }
                { format!(" · {} {}", t.indicator_set, framework.title.get(lang)) }
            </p>
            <p class="report-score">
                { t.result }{ ": " }<strong>{ format!("{score} / {}", fixed(results.max, 0)) }</strong>
                { " · " }{ t.level }{ ": " }<strong>{ results.level.as_ref().map_or(t.no_level.to_owned(), |name| name.get(lang).to_owned()) }</strong>
                { " · " }{ t.completeness }{ ": " }{ format!("{present}/{applicable}") }
            </p>
            <table class="report-pillars">
                <thead><tr><th>{ t.pillars }</th><th>{ t.points }</th></tr></thead>
                <tbody>
                    { for results.pillars.iter().map(|pillar| html! {
                        <tr>
                            <td>{ framework.nodes[pillar.node].name.get(lang).to_owned() }</td>
                            <td>{ format!("{} / {}", model::shown_fixed(lang, &fixed(pillar.points, 1)), fixed(pillar.max, 0)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h2>{ t.next_steps }</h2>
            if results.next_steps.is_empty() {
                <p>{ t.no_next_steps }</p>
            } else {
                <ol>
                    { for results.next_steps.iter().map(|step| {
                        let node = framework.node_index(&step.indicator);
                        let name = node.map_or(step.indicator.clone(), |node| framework.nodes[node].name.get(lang).to_owned());
                        let shown = node
                            .and_then(|node| framework.nodes[node].indicator())
                            .map_or(step.to_shown.clone(), |indicator| step_label(&indicator.value_type, &step.to_shown, t, lang));
                        html! { <li>{ name }{ " → " }{ shown }{ format!(" (+{} {})", model::shown_fixed(lang, &fixed(step.gain, 2)), t.points) }</li> }
                    }) }
                </ol>
            }
            <h2>{ t.indicator_set }</h2>
            <table class="report-values">
                <thead><tr><th>{ t.indicator }</th><th>{ t.report_value }</th><th>{ t.evidence }</th><th>{ t.note }</th></tr></thead>
                <tbody>
                    { for framework.indicator_indices().into_iter().map(|node| {
                        let entry = submission.values.get(&framework.nodes[node].id).cloned().unwrap_or_default();
                        let value = model::readable_value(framework, node, &entry, lang);
                        let date = entry.evidence_date.parse::<dti_core::period::Date>().ok().map(|date| lang.date(date));
                        html! {
                            <tr>
                                <td>{ framework.nodes[node].name.get(lang).to_owned() }</td>
                                <td>{ if value.is_empty() { t.not_given.to_owned() } else { value } }</td>
                                <td class="evidence-cell">{ entry.evidence.clone() }{ date.map(|date| format!(" ({date})")).unwrap_or_default() }</td>
                                <td>{ entry.note.clone() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// A next step's new value in words: yes, a level's or an item's name, or the number.
fn step_label(value_type: &ValueType, shown: &str, t: &Texts, lang: Language) -> String {
    match value_type {
        ValueType::Boolean => t.yes.to_owned(),
        ValueType::Ordinal { labels } => labels
            .iter()
            .find(|label| shown.parse::<f64>().is_ok_and(|value| value == label.value))
            .map_or(shown.to_owned(), |label| label.name.get(lang).to_owned()),
        ValueType::Checklist { items } => items
            .iter()
            .find(|item| item.id == shown)
            .map_or(shown.to_owned(), |item| format!("+ {}", item.name.get(lang))),
        ValueType::Percent => format!("{shown}%"),
        _ => shown.to_owned(),
    }
}

/// The value of the `<select>` an event came from.
fn select_value(event: Event) -> String {
    event.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The value of the `<input>` an event came from.
fn input_value(event: InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// A label short enough for a chart.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(22).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}

/// The panels rendered to HTML natively (yew `ssr`), one tag per line, as snapshots:
/// a change to what the page shows is a reviewed diff.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{load_set, results};

    fn render<C: BaseComponent>(props: C::Properties) -> String {
        let html =
            futures::executor::block_on(yew::LocalServerRenderer::<C>::with_props(props).hydratable(false).render());
        html.replace("><", ">\n<")
    }

    /// The end-to-end fixture (a ministry with values of every type), with a refused percent.
    fn fixture() -> (Shared<Framework>, Submission) {
        let set = load_set(&FrameworkChoice::default());
        let framework = set.framework.clone().expect("the built-in set is valid");
        let text = include_str!("../../tests/e2e/fixtures/submission.json");
        let mut submission = Submission::from_json("submission.json", text).expect("the fixture is valid");
        submission.values.insert("aw-leaders-trained".into(), Entry { value: "140".into(), ..Entry::default() });
        (framework, submission)
    }

    #[test]
    fn the_results_panel_shows_score_level_charts_and_next_steps_in_both_languages() {
        let (framework, submission) = fixture();
        let results = Shared::new(results(&framework, &submission));
        for language in [Language::Vi, Language::En] {
            let props =
                ResultsProps { framework: framework.clone(), results: results.clone(), language, compute_ms: 1.0 };
            insta::assert_snapshot!(format!("results_{language:?}"), render::<ResultsPanel>(props));
        }
    }

    #[test]
    fn the_form_has_an_input_per_value_type_and_shows_a_refused_value_next_to_its_field() {
        let (framework, submission) = fixture();
        let results = Some(Shared::new(results(&framework, &submission)));
        let props = FormProps { framework, submission, results, language: Language::En, dispatch: Callback::noop() };
        let html = render::<IndicatorForm>(props);
        assert!(html.contains("id=\"problem-aw-leaders-trained\""), "the refused percent has its message");
        insta::assert_snapshot!(html);
    }

    #[test]
    fn a_broken_indicator_file_lists_its_diagnostics_with_line_and_column() {
        let set = load_set(&FrameworkChoice::File {
            name: "broken.toml".into(),
            text: "id = \"x\"\n[[indicators]]\nid = 3\nweight = \"heavy\"\n".into(),
        });
        insta::assert_snapshot!(render::<Diagnostics>(DiagnosticsProps { set: Rc::new(set), language: Language::Vi }));
    }
}
