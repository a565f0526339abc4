//! The evaluator's workbench: the indicator file's text with its problems at their line as
//! you type, weights on sliders, the ranking re-computed after every edit with each
//! unit's move against the original file, the edits listed and downloadable with the new
//! file, and a robustness analysis run in a Web Worker (`workbench-worker.js`) so that
//! the page never freezes.

pub mod analysis;
pub mod model;
pub mod state;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use dti_core::Framework;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::platform;
use crate::set_bar::{FileButton, SetBar};
use crate::state::Language;
use model::View;
use state::{Action, Analysis, AnalysisSettings, Edits, Opened, State, open, open_builtin};

/// The words of the page.
struct Words {
    title: &'static str,
    set: &'static str,
    file: &'static str,
    valid: &'static str,
    invalid: &'static str,
    weights: &'static str,
    ranking: &'static str,
    reranked: &'static str,
    changes: &'static str,
    no_changes: &'static str,
    download_file: &'static str,
    download_changes: &'static str,
    reset: &'static str,
    robustness: &'static str,
    runs: &'static str,
    factor: &'static str,
    leave_out: &'static str,
    run: &'static str,
    running: &'static str,
    finished: &'static str,
    headers: [&'static str; 4],
    robustness_headers: [&'static str; 4],
    ministry: &'static str,
    open_file: &'static str,
    open_data: &'static str,
    more: &'static str,
    sensitivity: &'static str,
    rules: &'static str,
    rule_groups: [&'static str; 3],
    no_numbers: &'static str,
    indices: &'static str,
    index_headers: [&'static str; 5],
    language: &'static str,
    text_label: &'static str,
    units: &'static str,
    lang: Language,
    element_label: &'static str,
    line: &'static str,
    column: &'static str,
    over_scale: &'static str,
    weight: &'static str,
    field_names: &'static [(&'static str, &'static str)],
}

const VI: Words = Words {
    title: "Bàn làm việc của người đánh giá",
    set: "Bộ chỉ số",
    file: "Tệp bộ chỉ số (TOML)",
    valid: "Hợp lệ",
    invalid: "Có lỗi: xếp hạng theo phiên bản hợp lệ gần nhất",
    weights: "Trọng số",
    ranking: "Xếp hạng sau khi sửa",
    reranked: "đơn vị được xếp hạng lại theo các thay đổi",
    changes: "Các thay đổi so với tệp gốc",
    no_changes: "Chưa có thay đổi.",
    download_file: "Tải tệp đã sửa",
    download_changes: "Tải danh sách thay đổi (JSON)",
    reset: "Khôi phục tệp gốc",
    robustness: "Độ vững của xếp hạng",
    runs: "Số lần chạy",
    factor: "Trọng số ±",
    leave_out: "Bỏ lần lượt từng trụ cột",
    run: "Chạy phân tích",
    running: "Đang chạy trong nền…",
    finished: "lần chạy trong",
    headers: ["Hạng", "Thay đổi", "Đơn vị", "Điểm"],
    robustness_headers: ["Hạng", "Đơn vị", "Trung vị", "Khoảng 5%–95%"],
    ministry: "Xếp hạng của bộ",
    open_file: "Mở tệp bộ chỉ số…",
    open_data: "Mở tệp dữ liệu…",
    more: "đơn vị nữa",
    sensitivity: "Cả chỉ số độ nhạy (số lần chạy × (số đầu vào + 2))",
    rules: "Quy tắc chấm điểm, mức và cảnh báo",
    rule_groups: ["chỉ số", "mức", "cảnh báo"],
    no_numbers: "Không có số nào để sửa ở đây: sửa trong tệp.",
    indices: "Chỉ số độ nhạy (trên thay đổi hạng tuyệt đối trung bình)",
    index_headers: ["Đầu vào", "Bậc nhất", "5%–95%", "Toàn phần", "5%–95%"],
    language: "English",
    lang: Language::Vi,
    text_label: "Nội dung tệp bộ chỉ số",
    units: "đơn vị",
    element_label: "Phần tử cần sửa",
    line: "dòng",
    column: "cột",
    over_scale: "Với các trọng số này, điểm tối đa vượt quá thang điểm",
    weight: "trọng số",
    field_names: &[
        ("max_points", "Điểm tối đa"),
        ("min", "Điểm bắt đầu của mức"),
        ("scoring.lower", "Mốc dưới"),
        ("scoring.upper", "Mốc trên"),
        ("scoring.scale", "Thang điểm"),
        ("scoring.target", "Mục tiêu"),
        ("scoring.low", "Thấp nhất"),
        ("scoring.high", "Cao nhất"),
        ("scoring.points", "Điểm"),
        ("below", "Ngưỡng"),
        ("points", "Mức giảm (điểm)"),
        ("ranks", "Mức giảm (hạng)"),
        ("months", "Số tháng"),
        ("at_least", "Tối thiểu"),
        ("at_most", "Tối đa"),
        ("z", "Độ lệch z"),
        ("gap", "Chênh lệch"),
        ("from", "Từ"),
        ("to", "Đến"),
    ],
};

const EN: Words = Words {
    title: "Evaluator's workbench",
    set: "Indicator set",
    file: "Indicator file (TOML)",
    valid: "Valid",
    invalid: "Errors: ranking with the last valid version",
    weights: "Weights",
    ranking: "Ranking with the edits",
    reranked: "units re-ranked with the edits",
    changes: "Changes against the original file",
    no_changes: "No change yet.",
    download_file: "Download the edited file",
    download_changes: "Download the changes (JSON)",
    reset: "Back to the original file",
    robustness: "Robustness of the ranking",
    runs: "Runs",
    factor: "Weights ±",
    leave_out: "Leave each pillar out in turn",
    run: "Run the analysis",
    running: "Running in the background…",
    finished: "runs in",
    headers: ["Rank", "Move", "Unit", "Score"],
    robustness_headers: ["Rank", "Unit", "Median", "5%-95% interval"],
    ministry: "Ministry rankings",
    open_file: "Open an indicator file…",
    open_data: "Open a data file…",
    more: "more units",
    sensitivity: "Sensitivity indices too (runs × (inputs + 2))",
    rules: "Scoring rules, levels and alerts",
    rule_groups: ["indicator", "level", "alert"],
    no_numbers: "No number to edit here: edit the file.",
    indices: "Sensitivity indices (of the mean absolute rank change)",
    index_headers: ["Input", "First order", "5%-95%", "Total", "5%-95%"],
    language: "Tiếng Việt",
    lang: Language::En,
    text_label: "The indicator file's text",
    units: "units",
    element_label: "Element to edit",
    line: "line",
    column: "column",
    over_scale: "With these weights the maximum score goes beyond the scale",
    weight: "weight",
    field_names: &[
        ("max_points", "Maximum points"),
        ("min", "Level starts at"),
        ("scoring.lower", "Lower goalpost"),
        ("scoring.upper", "Upper goalpost"),
        ("scoring.scale", "Scale"),
        ("scoring.target", "Target"),
        ("scoring.low", "Lowest"),
        ("scoring.high", "Highest"),
        ("scoring.points", "Points"),
        ("below", "Threshold"),
        ("points", "Fall (points)"),
        ("ranks", "Fall (ranks)"),
        ("months", "Months"),
        ("at_least", "At least"),
        ("at_most", "At most"),
        ("z", "z-score"),
        ("gap", "Gap"),
        ("from", "From"),
        ("to", "To"),
    ],
};

/// The text last parsed, kept so that moving a slider does not parse the file again, and
/// the last valid framework typed (shown while the text has errors).
struct Parsed {
    /// The original framework these edits start from.
    original: Arc<Framework>,
    text: String,
    framework: Option<Framework>,
    problems: Vec<model::Problem>,
    last_valid: Arc<Framework>,
}

/// The view of the edits, and how long computing it took.
fn compute(opened: &Opened, edits: &Edits, cache: &RefCell<Option<Parsed>>) -> (View, f64) {
    let started = platform::now_ms();
    let mut cache = cache.borrow_mut();
    let fresh = cache.as_ref().is_none_or(|parsed| !Arc::ptr_eq(&parsed.original, &opened.original.framework));
    if fresh {
        *cache = Some(Parsed {
            original: Arc::clone(&opened.original.framework),
            text: String::new(),
            framework: None,
            problems: Vec::new(),
            last_valid: Arc::clone(&opened.original.framework),
        });
    }
    let parsed = cache.as_mut().expect("just set");
    if parsed.text != edits.text {
        let loaded = dti_core::load_framework(&opened.file_name, edits.text.as_bytes());
        if let Some(framework) = &loaded.framework {
            parsed.last_valid = Arc::new(framework.clone());
        }
        parsed.problems = model::problems(&loaded.diagnostics);
        parsed.framework = loaded.framework;
        parsed.text = edits.text.clone();
    }
    let view = model::view(
        &opened.original,
        parsed.framework.as_ref(),
        &parsed.last_valid,
        parsed.problems.clone(),
        &edits.weights,
        &opened.dataset,
    );
    (view, platform::now_ms() - started)
}

/// The workbench page: state in a pure reducer (`state.rs`), effects in callbacks.
#[function_component(Workbench)]
pub fn workbench() -> Html {
    let language = use_state(platform::saved_language);
    let state = use_reducer(|| State::new(open_builtin("vn-ministry")));
    let parsed: Rc<RefCell<Option<Parsed>>> = use_mut_ref(|| None);
    let shown = use_memo((state.opened.clone(), state.edits.clone()), |(opened, edits)| {
        let (Some(opened), Some(edits)) = (opened.as_ref(), edits.as_ref()) else { return None };
        Some(compute(opened, edits, &parsed))
    });
    let worker: Rc<RefCell<Option<platform::AnalysisWorker>>> = use_mut_ref(|| None);
    let words = if *language == Language::Vi { &VI } else { &EN };
    use_effect_with(*language, |language| platform::set_document_language(*language));

    let on_text = {
        let state = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            state.dispatch(Action::Text(area.value()));
        })
    };
    let on_weight = {
        let state = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(node) = input.get_attribute("data-node") else { return };
            let Ok(weight) = input.value().parse::<f64>() else { return };
            state.dispatch(Action::Weight(node, weight));
        })
    };
    let open_with = {
        let state = state.dispatcher();
        Callback::from(move |next: Result<Opened, state::Problem>| state.dispatch(Action::Open(next)))
    };
    let on_set = {
        let open_with = open_with.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            open_with.emit(open_builtin(&select.value()));
        })
    };
    let on_framework_file = {
        let open_with = open_with.clone();
        let current = state.opened.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(current) = current.clone() else { return };
            let open_with = open_with.clone();
            platform::read_file(&input, move |name, text| {
                open_with.emit(open("", &name, &text, &current.data_name, Rc::clone(&current.data)));
            });
        })
    };
    let on_data_file = {
        let open_with = open_with.clone();
        let current = state.opened.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(current) = current.clone() else { return };
            let open_with = open_with.clone();
            let done = Callback::from(move |files: Vec<crate::ministry::load::OpenedFile>| {
                if let Some(file) = files.into_iter().next() {
                    let data = Rc::new(file.bytes);
                    open_with.emit(open(&current.id, &current.file_name, &current.original_text, &file.name, data));
                }
            });
            platform::read_files(input.files(), done);
        })
    };
    let on_element = {
        let state = state.dispatcher();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some((array, id)) = select.value().split_once(':') {
                state.dispatch(Action::Element(array.to_owned(), id.to_owned()));
            }
        })
    };
    let on_number = {
        let dispatcher = state.dispatcher();
        let (edits, opened) = (state.edits.clone(), state.opened.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let (Some(edits), Some(opened), Some(path)) = (&edits, &opened, input.get_attribute("data-path")) else {
                return;
            };
            let Ok(value) = input.value().trim().parse::<f64>() else { return };
            let json = opened.file_name.ends_with(".json");
            let written = dti_core::framework::edit::with_numbers(&edits.text, json, &[(path, value)].into());
            dispatcher.dispatch(Action::Rewritten(written.map_err(|error| state::Problem {
                file: String::new(),
                message: std::sync::Arc::new(dti_core::message::Message::NumberNotWritten {
                    detail: dti_core::message::Arg::detail(error.to_string()),
                }),
            })));
        })
    };
    let on_reset = {
        let state = state.dispatcher();
        Callback::from(move |_| state.dispatch(Action::Reset))
    };
    let on_download_file = {
        let (opened, edits) = (state.opened.clone(), state.edits.clone());
        Callback::from(move |_| {
            let (Some(opened), Some(edits)) = (&opened, &edits) else { return };
            let json = opened.file_name.ends_with(".json");
            match dti_core::framework::edit::with_weights(&edits.text, json, &edits.weights) {
                Ok(text) => platform::download(&opened.file_name, "text/plain", text.as_bytes()),
                Err(error) => web_sys::console::error_1(&error.to_string().into()),
            }
        })
    };
    let on_download_changes = {
        let shown = shown.clone();
        let opened = state.opened.clone();
        Callback::from(move |_| {
            let (Some((view, _)), Some(opened)) = (shown.as_ref(), &opened) else { return };
            let changes: Vec<_> = view
                .changes
                .iter()
                .map(|change| serde_json::json!({ "id": change.id, "what": change.what, "detail": change.detail }))
                .collect();
            let json = serde_json::json!({ "file": opened.file_name, "changes": changes });
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            platform::download("changes.json", "application/json", text.as_bytes());
        })
    };
    // The analysis panel's inputs are controlled: each change is an action.
    let settings_changed = |change: fn(&mut AnalysisSettings, &HtmlInputElement)| {
        let dispatcher = state.dispatcher();
        let settings = state.settings.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = settings.clone();
            change(&mut next, &input);
            dispatcher.dispatch(Action::Settings(next));
        })
    };
    let on_runs = settings_changed(|settings, input| {
        if let Ok(points) = input.value().trim().parse::<usize>() {
            settings.points = points;
        }
    });
    let on_factor = settings_changed(|settings, input| {
        if let Ok(factor) = input.value().trim().parse::<f64>() {
            settings.factor = factor;
        }
    });
    let on_leave_out = settings_changed(|settings, input| settings.leave_out_pillars = input.checked());
    let on_sensitivity = settings_changed(|settings, input| settings.sensitivity = input.checked());
    let on_run = {
        let dispatcher = state.dispatcher();
        let (opened, edits, settings) = (state.opened.clone(), state.edits.clone(), state.settings.clone());
        let worker = worker.clone();
        Callback::from(move |_| {
            let (Some(opened), Some(edits)) = (&opened, &edits) else { return };
            if worker.borrow().is_none() {
                let replied = dispatcher.clone();
                match platform::AnalysisWorker::start(move |reply| replied.dispatch(Action::AnalysisDone(reply))) {
                    Ok(started) => *worker.borrow_mut() = Some(started),
                    Err(problem) => return dispatcher.dispatch(Action::AnalysisDone(Err(problem))),
                }
            }
            let settings = analysis::Settings {
                points: settings.points,
                seed: 1,
                factor: settings.factor,
                leave_out_pillars: settings.leave_out_pillars,
                weights: edits.weights.clone(),
                sensitivity: settings.sensitivity,
            };
            let request = platform::AnalysisRequest {
                file_name: &opened.file_name,
                text: &edits.text,
                data_name: &opened.data_name,
                data: &opened.data,
                settings: &settings,
            };
            if let Some(worker) = worker.borrow().as_ref() {
                match worker.send(&request) {
                    Ok(()) => dispatcher.dispatch(Action::AnalysisStarted),
                    Err(problem) => dispatcher.dispatch(Action::AnalysisDone(Err(problem))),
                }
            }
        })
    };
    let toggle_language = platform::language_toggle(language.clone());

    let selected = state.opened.as_ref().map(|opened| opened.id.clone()).unwrap_or_default();
    let own_file = if *language == Language::Vi { "(tệp riêng)" } else { "(own file)" };
    let file_button =
        |label: &'static str, id: &'static str, accept: &'static str, onchange: Callback<Event>| FileButton {
            label: label.into(),
            id: Some(id.into()),
            accept: Some(accept.into()),
            multiple: false,
            folder: false,
            onchange,
        };
    let header = html! {
        <SetBar title={words.title} set_label={words.set} select_id="workbench-set" selected={selected.clone()}
            own_file={own_file} on_set={on_set}
            files={vec![
                file_button(words.open_file, "workbench-framework-file", ".toml,.json,.csv,.xlsx", on_framework_file),
                file_button(words.open_data, "workbench-data-file", ".csv,.xlsx,.json", on_data_file),
            ]}
            links={vec![(AttrValue::from("ministry.html"), AttrValue::from(words.ministry))]}
            language={words.language} on_language={toggle_language} />
    };
    let opened_note = state.opened.as_ref().map(|opened| {
        let count = language.count(opened.dataset.n_units() as u64);
        format!("{} · {} ({count} {})", opened.file_name, opened.data_name, words.units)
    });
    let problem = state.message.as_ref().map(|problem| problem.render(*language));
    let (Some(edits), Some((view, milliseconds))) = (state.edits.as_ref(), shown.as_ref()) else {
        return html! { <div class="workbench">{ header }<p id="workbench-message" class="error">{ problem }</p></div> };
    };
    let names: &dyn dti_core::message::Names = match view.framework.as_ref() {
        Some(framework) => &**framework,
        None => &dti_core::message::NoNames,
    };
    html! {
        <div class="workbench" lang={if *language == Language::Vi { "vi" } else { "en" }}>
            { header }
            <p id="workbench-opened" class="status">{ opened_note }</p>
            if let Some(problem) = problem { <p id="workbench-message" class="error">{ problem }</p> }
            <div class="workbench-columns">
                <section class="workbench-file">
                    <h2>{ words.file }</h2>
                    <p id="workbench-validity" class={if view.valid { "valid" } else { "invalid" }}>
                        { if view.valid { words.valid } else { words.invalid } }
                    </p>
                    // The problems above the text, where a laptop sees them: errors first (the
                    // file's syntax before what follows from it), each at its line.
                    <ul id="workbench-problems" class="problems" aria-live="polite">
                        { for problems_in_order(&view.problems).into_iter().map(|problem| html! {
                            <li class={if problem.error { "error" } else { "warning" }} data-line={problem.line.to_string()}>
                                <strong>{ format!("{} {}, {} {}: ", words.line, problem.line, words.column, problem.column) }</strong>
                                { problem.message.render(*language, names) }
                            </li>
                        }) }
                    </ul>
                    <textarea id="workbench-text" aria-label={words.text_label} spellcheck="false" value={edits.text.clone()} oninput={on_text} rows="32" />
                    <p class="buttons">
                        <button id="workbench-download" onclick={on_download_file}>{ words.download_file }</button>
                        <button id="workbench-download-changes" onclick={on_download_changes}>{ words.download_changes }</button>
                        <button id="workbench-reset" onclick={on_reset}>{ words.reset }</button>
                    </p>
                </section>
                <section class="workbench-weights">
                    <h2>{ words.rules }</h2>
                    { rules(view, edits, state.opened.as_ref(), &state.element, &on_element, &on_number, words) }
                    <h2>{ words.weights }</h2>
                    { weights(view, edits, &on_weight, *language) }
                </section>
                <section class="workbench-ranking">
                    <h2>{ words.ranking }</h2>
                    <p id="workbench-timing" class="status" data-ms={format!("{milliseconds:.2}")}>
                        { format!("{} {}", language.count(view.rows.len() as u64), words.reranked) }
                    </p>
                    if let Some(failure) = &view.failure { <p class="error">{ failure }</p> }
                    if let (Some(high), Some(framework)) = (view.over_scale, view.framework.as_ref()) {
                        <p id="workbench-over-scale" class="error" role="alert">
                            { format!("{}: {} / {}", words.over_scale, language.number(dti_core::evaluation::round_to(high, 2)), language.number(framework.scale.max)) }
                        </p>
                    }
                    { ranking(view, words, *language) }
                    <h2>{ words.changes }</h2>
                    if view.changes.is_empty() { <p>{ words.no_changes }</p> }
                    <ul id="workbench-changes">
                        { for view.changes.iter().map(|change| html! {
                            <li data-what={change.what}>{ change_text(change, state.opened.as_ref(), view, words, *language) }</li>
                        }) }
                    </ul>
                </section>
            </div>
            <section class="workbench-robustness">
                <h2>{ words.robustness }</h2>
                <p class="buttons">
                    <label>{ words.runs }{" "}<input id="robustness-runs" type="number" min="3" max="100000"
                        value={state.settings.points.to_string()} onchange={on_runs} /></label>
                    <label>{ words.factor }{" "}<input id="robustness-factor" type="number" min="0" max="1" step="0.05"
                        value={state.settings.factor.to_string()} onchange={on_factor} /></label>
                    <label><input id="robustness-leave-out" type="checkbox" checked={state.settings.leave_out_pillars}
                        onchange={on_leave_out} />{ words.leave_out }</label>
                    <label><input id="robustness-sensitivity" type="checkbox" checked={state.settings.sensitivity}
                        onchange={on_sensitivity} />{ words.sensitivity }</label>
                    <button id="robustness-run" onclick={on_run} disabled={state.analysis == Analysis::Running}>{ words.run }</button>
                </p>
                { robustness(&state.analysis, words) }
            </section>
        </div>
    }
}

/// The rules editor: an indicator, a level or an alert rule chosen, and an input for each
/// number written in it (goalposts, bands, points, level minimums, thresholds), which
/// rewrites that number in the text.
fn rules(
    view: &View,
    edits: &Edits,
    opened: Option<&Opened>,
    element: &(String, String),
    on_element: &Callback<Event>,
    on_number: &Callback<Event>,
    words: &Words,
) -> Html {
    let language = words.lang;
    let (Some(framework), Some(opened)) = (view.framework.as_ref(), opened) else { return Html::default() };
    let mut choices: Vec<(String, String)> = Vec::new();
    for node in framework.indicator_indices() {
        choices.push(("indicators".into(), framework.nodes[node].id.clone()));
    }
    for level in framework.levels.iter().flat_map(|set| &set.levels) {
        choices.push(("levels".into(), level.id.clone()));
    }
    for alert in &framework.alerts {
        choices.push(("alerts".into(), alert.id.clone()));
    }
    let chosen = if choices.iter().any(|choice| choice == element) {
        element.clone()
    } else {
        choices.first().cloned().unwrap_or_default()
    };
    let json = opened.file_name.ends_with(".json");
    let fields = dti_core::framework::edit::numbers_of(&edits.text, json, &chosen.0, &chosen.1);
    let group = |array: &str| match array {
        "indicators" => words.rule_groups[0],
        "levels" => words.rule_groups[1],
        _ => words.rule_groups[2],
    };
    html! {
        <div class="rules">
            <select id="workbench-element" aria-label={words.element_label} onchange={on_element.clone()}>
                { for choices.iter().map(|(array, id)| html! {
                    <option value={format!("{array}:{id}")} selected={(array, id) == (&chosen.0, &chosen.1)}>
                        { format!("{} · {}", group(array), element_name(framework, array, id, language)) }
                    </option>
                }) }
            </select>
            if fields.is_empty() { <p class="status">{ words.no_numbers }</p> }
            { for fields.iter().map(|field| html! {
                <label class="number" title={field.label.clone()}>
                    <span>{ field_name(&field.label, words) }</span>
                    <input type="number" step="any" value={field.value.to_string()} data-path={field.path.clone()}
                        onchange={on_number.clone()} />
                </label>
            }) }
        </div>
    }
}

/// A slider per child of every aggregate, the root's first.
fn weights(view: &View, edits: &Edits, on_weight: &Callback<InputEvent>, language: Language) -> Html {
    let Some(framework) = view.framework.as_ref() else { return Html::default() };
    let mut aggregates = framework.aggregate_indices();
    aggregates.sort_by_key(|&node| (framework.nodes[node].depth, node));
    html! {
        { for aggregates.into_iter().map(|node| html! {
            <fieldset>
                <legend>{ framework.nodes[node].name.get(language).to_owned() }</legend>
                { for framework.nodes[node].children.iter().map(|&child| {
                    let id = framework.nodes[child].id.clone();
                    let weight = edits.weights.get(&id).copied().unwrap_or(framework.nodes[child].weight);
                    html! {
                        <label class="weight" title={id.clone()}>
                            <span>{ framework.nodes[child].name.get(language).to_owned() }</span>
                            <input type="range" min="0" max="3" step="0.05" value={weight.to_string()}
                                data-node={id.clone()} oninput={on_weight.clone()} />
                            <output>{ crate::model::shown_fixed(language, &format!("{weight:.2}")) }</output>
                        </label>
                    }
                }) }
            </fieldset>
        }) }
    }
}

/// How many units the ranking lists (the rest are counted): thousands of rows would cost
/// the page more than the re-ranking itself.
const SHOWN_ROWS: usize = 100;

fn ranking(view: &View, words: &Words, language: Language) -> Html {
    let decimals = view.framework.as_ref().map_or(2, |framework| usize::from(framework.scale.decimals));
    let more = view.rows.len().saturating_sub(SHOWN_ROWS);
    let block_name = |block: Option<&str>| {
        let framework = view.framework.as_ref();
        block
            .and_then(|block| {
                framework.and_then(|framework| framework.block_index(block).map(|index| (framework, index)))
            })
            .map_or_else(String::new, |(framework, index)| framework.blocks[index].name.get(language).to_owned())
    };
    let shown: Vec<&model::Row> = view.rows.iter().take(SHOWN_ROWS).collect();
    html! {
        <>
        <table id="workbench-ranking" class="workbench-table">
            <thead><tr>{ for words.headers.iter().map(|header| html! { <th scope="col">{ *header }</th> }) }</tr></thead>
            <tbody>
                { for shown.iter().enumerate().map(|(index, row)| {
                    let (arrow, class) = match row.change {
                        Some(up) if up > 0 => (format!("▲{up}"), "up"),
                        Some(down) if down < 0 => (format!("▼{}", down.unsigned_abs()), "down"),
                        Some(_) => ("=".to_owned(), "same"),
                        None => (String::new(), "same"),
                    };
                    let new_block = index == 0 || shown[index - 1].block != row.block;
                    html! {
                        <>
                        if new_block && row.block.is_some() {
                            <tr class="block-row"><th colspan="4" scope="rowgroup">{ block_name(row.block.as_deref()) }</th></tr>
                        }
                        <tr data-unit={row.unit.clone()} data-block={row.block.clone().unwrap_or_default()}>
                            <td>{ row.rank.map(|rank| rank.to_string()).unwrap_or_default() }</td>
                            <td class={classes!("move", class)}>{ arrow }</td>
                            <td>{ &row.name }{" "}<small>{ &row.unit }</small></td>
                            <td>{ row.score.map(|score| crate::model::shown_fixed(language, &format!("{score:.decimals$}"))).unwrap_or_default() }</td>
                        </tr>
                        </>
                    }
                }) }
            </tbody>
        </table>
        if more > 0 { <p id="workbench-more" class="status">{ format!("+ {more} {}", words.more) }</p> }
        </>
    }
}

/// The workbench's problems, errors first (syntax errors first of all: what follows
/// from them comes after), each group in file order.
fn problems_in_order(problems: &[model::Problem]) -> Vec<&model::Problem> {
    let mut ordered: Vec<&model::Problem> = problems.iter().collect();
    ordered.sort_by_cached_key(|problem| {
        (
            !problem.error,
            !matches!(problem.message.key().as_str(), "toml-syntax" | "json-syntax" | "wrong-type-detail"),
            problem.line,
            problem.column,
        )
    });
    ordered
}

/// A rules-editor element by its name in the file (an indicator, a level or an alert rule).
fn element_name(framework: &Framework, array: &str, id: &str, language: Language) -> String {
    match array {
        "indicators" => framework.node_index(id).map(|node| framework.nodes[node].name.get(language).to_owned()),
        "levels" => framework
            .levels
            .iter()
            .flat_map(|set| &set.levels)
            .find(|level| level.id == id)
            .map(|level| level.name.get(language).to_owned()),
        _ => framework.alerts.iter().find(|rule| rule.id == id).map(|rule| rule.display_name(framework, language)),
    }
    .unwrap_or_else(|| id.to_owned())
}

/// A number's field in words ("Mốc trên", "Khoảng 3: điểm"), its key when it has none.
fn field_name(label: &str, words: &Words) -> String {
    let name = |key: &str| words.field_names.iter().find(|(known, _)| *known == key).map(|(_, name)| *name);
    // A scoring band: `scoring.bands[2].points` is the third band's points.
    if let Some(rest) = label.strip_prefix("scoring.bands[")
        && let Some((index, key)) = rest.split_once("].")
        && let Ok(index) = index.parse::<usize>()
    {
        let band = name("band").unwrap_or("band");
        return format!("{band} {}: {}", index + 1, name(&format!("band.{key}")).unwrap_or(key));
    }
    name(label).map_or_else(|| label.to_owned(), str::to_owned)
}

/// A change against the original file, in words: the node by its name, a weight as
/// numbers, a scoring rule as the publication's methodology describes it.
fn change_text(
    change: &dti_core::framework::changes::FrameworkChange,
    opened: Option<&Opened>,
    view: &View,
    words: &Words,
    language: Language,
) -> String {
    let new = view.framework.as_deref();
    let old = opened.map(|opened| &*opened.original.framework);
    let name = |framework: Option<&Framework>| {
        framework.and_then(|framework| {
            framework.node_index(&change.id).map(|node| framework.nodes[node].name.get(language).to_owned())
        })
    };
    let shown = name(new).or_else(|| name(old)).unwrap_or_else(|| change.id.clone());
    let indicator = |framework: Option<&Framework>| {
        framework.and_then(|framework| {
            framework.node_index(&change.id).and_then(|node| framework.nodes[node].indicator().cloned())
        })
    };
    match change.what {
        "weight" => format!("{shown}: {} {}", words.weight, change.detail.replace("->", "→")),
        "scoring" => match (indicator(old), indicator(new)) {
            (Some(before), Some(after)) => format!(
                "{shown}: {} → {}",
                dti_site::describe::scoring(&before, language),
                dti_site::describe::scoring(&after, language)
            ),
            _ => format!("{shown}: {}", change.detail),
        },
        what => format!("{shown}: {what} {}", change.detail.replace("->", "→")),
    }
}

/// The analysis' state; when done, each unit's median rank and interval as a chart.
fn robustness(analysis: &Analysis, words: &Words) -> Html {
    match analysis {
        Analysis::Idle => Html::default(),
        Analysis::Running => html! { <p id="robustness-status" class="status">{ words.running }</p> },
        Analysis::Failed(message) => html! { <p id="robustness-status" class="error">{ message }</p> },
        Analysis::Done { report, milliseconds } => {
            let count = report.units.len().max(1) as f64;
            let mut units: Vec<&dti_core::robustness::UnitRobustness> = report.units.iter().collect();
            units.sort_by_key(|unit| unit.nominal_rank.unwrap_or(u32::MAX));
            let x = |rank: f64| 8.0 + (rank - 1.0) / count.max(2.0) * 284.0;
            html! {
                <>
                <p id="robustness-status" class="status" data-ms={format!("{milliseconds:.0}")}>
                    { format!("{} {} {:.0} ms", report.runs, words.finished, milliseconds) }
                </p>
                { indices(report, words) }
                <table id="robustness-table" class="workbench-table">
                    <thead><tr>{ for words.robustness_headers.iter().map(|header| html! { <th>{ *header }</th> }) }</tr></thead>
                    <tbody>
                        { for units.iter().map(|unit| {
                            let median = unit.median_rank.unwrap_or(f64::NAN);
                            let (low, high) = unit.rank_interval.unwrap_or((median, median));
                            html! {
                                <tr data-unit={unit.unit.clone()}
                                    data-median={median.to_string()} data-low={low.to_string()} data-high={high.to_string()}>
                                    <td>{ unit.nominal_rank.map_or_else(|| "–".to_owned(), |rank| rank.to_string()) }</td>
                                    <td>{ unit.name.clone() }</td>
                                    <td>{ format!("{median:.1}") }</td>
                                    <td>
                                        <svg class="interval" viewBox="0 0 300 12" role="img"
                                            aria-label={format!("{low:.0}–{high:.0}")}>
                                            <line x1={format!("{:.1}", x(low))} x2={format!("{:.1}", x(high))} y1="6" y2="6" class="range" />
                                            <circle cx={format!("{:.1}", x(median))} cy="6" r="3.5" class="median" />
                                        </svg>
                                        { format!(" {low:.0} – {high:.0}") }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                </>
            }
        }
    }
}

/// The sensitivity indices of a report, when it has them.
fn indices(report: &dti_core::robustness::Report, words: &Words) -> Html {
    let Some(indices) = &report.sensitivity else { return Html::default() };
    let number = |value: f64| if value.is_nan() { String::new() } else { format!("{value:.3}") };
    let interval =
        |value: Option<(f64, f64)>| value.map(|(low, high)| format!("{low:.3} – {high:.3}")).unwrap_or_default();
    html! {
        <>
        <h3>{ words.indices }</h3>
        <table id="robustness-indices" class="workbench-table">
            <thead><tr>{ for words.index_headers.iter().map(|header| html! { <th>{ *header }</th> }) }</tr></thead>
            <tbody>
                { for indices.iter().map(|index| html! {
                    <tr data-input={index.input.clone()}>
                        <td>{ index.input.clone() }</td>
                        <td>{ number(index.first) }</td>
                        <td>{ interval(index.first_interval) }</td>
                        <td>{ number(index.total) }</td>
                        <td>{ interval(index.total_interval) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        </>
    }
}
