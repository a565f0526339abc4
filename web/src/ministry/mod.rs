//! The ministry's view: open a data file (CSV, xlsx, JSON), several files, or a folder of
//! unit submissions, evaluate every period in the browser, and read the same pages the
//! published site has (`dti-site`), with `#/...` links.

pub mod load;

use std::rc::Rc;

use dti_core::message::{Names, NoNames};
use dti_core::{Diagnostic, Framework};
use dti_site::{Lang, LinkStyle, Route, Site};
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::model;
use crate::platform;
use crate::set_bar::{FileButton, SetBar};
use crate::state::FrameworkChoice;
use load::OpenedFile;

/// The words of the view's own bar (the pages bring theirs).
struct Words {
    title: &'static str,
    set: &'static str,
    own_file: &'static str,
    data: &'static str,
    folder: &'static str,
    drop: &'static str,
    sample: &'static str,
    units: &'static str,
    files: &'static str,
    kept: &'static str,
    self_assessment: &'static str,
    workbench: &'static str,
    language: &'static str,
    problems: &'static str,
    download_data: &'static str,
    download_set: &'static str,
    publish_hint: &'static str,
}

const VI: Words = Words {
    title: "Xếp hạng của bộ",
    set: "Bộ chỉ số",
    own_file: "Tệp bộ chỉ số…",
    data: "Mở tệp dữ liệu (CSV, xlsx, JSON)…",
    folder: "Mở thư mục bài nộp…",
    drop: "hoặc kéo thả tệp vào đây",
    sample: "Dữ liệu mẫu (mô phỏng)",
    units: "đơn vị",
    files: "tệp",
    kept: "Không mở được các tệp vừa chọn; trang vẫn hiển thị dữ liệu trước đó.",
    self_assessment: "Tự đánh giá",
    workbench: "Bàn làm việc",
    language: "English",
    problems: "Vấn đề",
    download_data: "Tải dữ liệu đã đánh giá",
    download_set: "Tải tệp bộ chỉ số",
    publish_hint: "Để công bố: dti publish --framework <tệp bộ chỉ số> --data <dữ liệu> --out <thư mục>",
};

const EN: Words = Words {
    title: "Ministry rankings",
    set: "Indicator set",
    own_file: "Indicator file…",
    data: "Open data files (CSV, xlsx, JSON)…",
    folder: "Open a folder of submissions…",
    drop: "or drop files here",
    sample: "Sample data (synthetic)",
    units: "units",
    files: "files",
    kept: "The files just opened could not be used; the page still shows the data it had.",
    self_assessment: "Self-assessment",
    workbench: "Workbench",
    language: "Tiếng Việt",
    problems: "Problems",
    download_data: "Download the data evaluated",
    download_set: "Download the indicator file",
    publish_hint: "To publish: dti publish --framework <indicator file> --data <data> --out <folder>",
};

/// What is shown: the publication of the files opened last (or, when they could not be
/// used, of those before, with the new files' problems).
#[derive(Clone)]
struct Shown {
    site: Option<Rc<Site>>,
    /// Whether the data is the set's built-in sample.
    sample: bool,
    /// What was opened: a file's name, or how many files.
    source: Source,
    /// Problems and notes, rendered in the page's language.
    messages: Rc<Vec<Diagnostic>>,
    /// The indicator file, for names in the messages.
    framework: Option<Rc<Framework>>,
    /// Whether the files opened last failed and an earlier publication is kept.
    kept_previous: bool,
    /// The data evaluated, ready for `dti publish`.
    data: Option<Rc<(String, Vec<u8>)>>,
    milliseconds: f64,
}

/// What the shown data came from.
#[derive(Clone, PartialEq)]
enum Source {
    File(String),
    Files(usize),
}

/// Evaluates the chosen set on its sample, or on the opened files.
fn evaluate(choice: &FrameworkChoice, files: Option<(Source, Vec<OpenedFile>)>) -> Shown {
    let started = platform::now_ms();
    let set = model::load_set(choice);
    let Some(framework) = set.framework.as_ref() else {
        let shown = Shown {
            site: None,
            sample: false,
            source: Source::File(set.file_name.clone()),
            messages: Rc::new(set.diagnostics.clone()),
            framework: None,
            kept_previous: false,
            data: None,
            milliseconds: 0.0,
        };
        return shown;
    };
    let sample = files.is_none();
    let (source, files) = match files {
        Some(files) => files,
        None => match choice {
            FrameworkChoice::Builtin(id) => match dti_core::builtin::builtin(id) {
                Some(builtin) => (
                    Source::File(builtin.data_name.to_owned()),
                    vec![OpenedFile { name: builtin.data_name.to_owned(), bytes: builtin.data().into_bytes() }],
                ),
                None => (Source::Files(0), Vec::new()),
            },
            FrameworkChoice::File { .. } => (Source::Files(0), Vec::new()),
        },
    };
    let names = Some(Rc::clone(&framework.0));
    if files.is_empty() {
        let messages = Rc::new(Vec::new());
        return Shown {
            site: None,
            sample,
            source,
            messages,
            framework: names,
            kept_previous: false,
            data: None,
            milliseconds: 0.0,
        };
    }
    let opened = load::open(framework, &set.sha256, &files, platform::today());
    Shown {
        site: opened.site.map(Rc::new),
        sample,
        source,
        messages: Rc::new(opened.messages),
        framework: names,
        kept_previous: false,
        data: opened.data.map(Rc::new),
        milliseconds: platform::now_ms() - started,
    }
}

/// The ministry's page.
#[function_component(Ministry)]
pub fn ministry() -> Html {
    let language = use_state(platform::saved_language);
    let choice = use_state(|| FrameworkChoice::Builtin("vn-ministry".into()));
    let shown = use_state(|| evaluate(&FrameworkChoice::Builtin("vn-ministry".into()), None));
    let route_hash = use_state(platform::location_hash);
    {
        let route_hash = route_hash.clone();
        use_effect_with((), move |_| {
            let listener = platform::on_hash_change(move |hash| route_hash.set(hash));
            move || drop(listener)
        });
    }
    let lang = *language;
    use_effect_with(lang, |lang| platform::set_document_language(*lang));
    let words = if lang == Lang::Vi { &VI } else { &EN };

    let open_files = {
        let shown = shown.clone();
        let choice = choice.clone();
        Callback::from(move |files: Vec<OpenedFile>| {
            let source = match files.as_slice() {
                [single] => Source::File(single.name.clone()),
                many => Source::Files(many.len()),
            };
            let next = evaluate(&choice, Some((source, files)));
            // Files that cannot be used never take away what is on the page: it stays,
            // with their problems.
            if next.site.is_none() && shown.site.is_some() {
                shown.set(Shown { messages: next.messages, kept_previous: true, ..(*shown).clone() });
            } else {
                shown.set(next);
                platform::set_location_hash("#/");
            }
        })
    };
    let on_files = {
        let open_files = open_files.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            platform::read_files(input.files(), open_files.clone());
        })
    };
    let on_drop = {
        let open_files = open_files.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(transfer) = event.data_transfer() {
                platform::read_dropped(transfer, open_files.clone());
            }
        })
    };
    let on_set = {
        let choice = choice.clone();
        let shown = shown.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let next = FrameworkChoice::Builtin(select.value());
            shown.set(evaluate(&next, None));
            choice.set(next);
        })
    };
    let on_set_file = {
        let choice = choice.clone();
        let shown = shown.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let choice = choice.clone();
            let shown = shown.clone();
            platform::read_file(&input, move |name, text| {
                let next = FrameworkChoice::File { name, text };
                shown.set(evaluate(&next, None));
                choice.set(next);
            });
        })
    };
    let toggle_language = platform::language_toggle(language.clone());

    let page = shown.site.as_ref().map(|site| {
        let started = platform::now_ms();
        let route = site.route_of_hash(&route_hash).unwrap_or(Route::Home);
        let html = site.page(&route, lang, LinkStyle::Hash).unwrap_or_default();
        (html, platform::now_ms() - started)
    });
    let selected = match &*choice {
        FrameworkChoice::Builtin(id) => id.clone(),
        FrameworkChoice::File { .. } => String::new(),
    };
    let source = match &shown.source {
        Source::File(name) => name.clone(),
        Source::Files(count) => format!("{} {}", lang.count(*count as u64), words.files),
    };
    let status = match &shown.site {
        Some(site) => format!("{source}: {} {}", lang.count(site.latest().n_units() as u64), words.units),
        None => source,
    };
    let names: &dyn Names = match &shown.framework {
        Some(framework) => &**framework,
        None => &NoNames,
    };
    html! {
        <div class="ministry dti-pages" lang={lang.code()}
            ondragover={Callback::from(|event: DragEvent| event.prevent_default())} ondrop={on_drop}>
            <SetBar title={words.title} set_label={words.set} select_id="ministry-set" selected={selected.clone()}
                own_file={words.own_file} on_set={on_set}
                files={vec![
                    FileButton { label: words.own_file.into(), id: None, accept: Some(".toml,.json,.csv,.xlsx".into()),
                        multiple: false, folder: false, onchange: on_set_file },
                    FileButton { label: words.data.into(), id: Some("ministry-data".into()), accept: Some(".csv,.xlsx,.json".into()),
                        multiple: true, folder: false, onchange: on_files.clone() },
                    FileButton { label: words.folder.into(), id: Some("ministry-folder".into()), accept: None,
                        multiple: true, folder: true, onchange: on_files },
                ]}
                drop_hint={Some(AttrValue::from(words.drop))}
                links={vec![
                    (AttrValue::from("index.html"), AttrValue::from(words.self_assessment)),
                    (AttrValue::from("workbench.html"), AttrValue::from(words.workbench)),
                ]}
                language={words.language} on_language={toggle_language} />
            <p id="ministry-status" class="status" data-evaluate-ms={format!("{:.1}", shown.milliseconds)}
                data-render-ms={page.as_ref().map(|(_, ms)| format!("{ms:.1}"))}>
                { status }
                if shown.sample { { " · " }{ words.sample } }
            </p>
            if let Some(data) = shown.data.clone().filter(|_| shown.site.is_some()) {
                <p class="status downloads" id="ministry-downloads">
                    <button id="ministry-download-data" onclick={Callback::from(move |_| {
                        platform::download(&data.0, "text/csv;charset=utf-8", &data.1)
                    })}>{ words.download_data }</button>{ " " }
                    <button id="ministry-download-set" onclick={{
                        let choice = (*choice).clone();
                        Callback::from(move |_| {
                            let (name, text) = match &choice {
                                FrameworkChoice::Builtin(id) => dti_core::builtin::builtin(id)
                                    .map(|set| (set.file_name.to_owned(), set.framework.to_owned()))
                                    .unwrap_or_default(),
                                FrameworkChoice::File { name, text } => (name.clone(), text.clone()),
                            };
                            platform::download(&name, "text/plain;charset=utf-8", text.as_bytes());
                        })
                    }}>{ words.download_set }</button>{ " " }
                    <small><code>{ words.publish_hint }</code></small>
                </p>
            }
            if shown.kept_previous {
                <p class="notice" role="alert">{ words.kept }</p>
            }
            if !shown.messages.is_empty() {
                <details class="messages" open={shown.site.is_none() || shown.kept_previous}>
                    <summary>{ format!("{} ({})", words.problems, lang.count(shown.messages.len() as u64)) }</summary>
                    <ul>{ for shown.messages.iter().take(200).map(|message| html! {
                        <li class={classes!(message.is_error().then_some("error"))}>{ load::describe(message, lang, names) }</li>
                    }) }</ul>
                </details>
            }
            if let Some((html, _)) = page {
                <div class="pages">{ Html::from_html_unchecked(AttrValue::from(html)) }</div>
            }
        </div>
    }
}
