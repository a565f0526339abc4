//! The bar the ministry view and the workbench share: the page's title, the indicator set
//! (built in, or a file), the data files, the other pages and the language.

use yew::prelude::*;

/// A button that opens files.
#[derive(Clone, PartialEq)]
pub struct FileButton {
    /// What it says.
    pub label: AttrValue,
    /// The input's id, when tests or labels need one.
    pub id: Option<AttrValue>,
    /// The file types it offers.
    pub accept: Option<AttrValue>,
    /// Whether it takes several files.
    pub multiple: bool,
    /// Whether it takes a folder.
    pub folder: bool,
    /// What happens with the files chosen.
    pub onchange: Callback<Event>,
}

/// The bar's parts.
#[derive(Properties, PartialEq)]
pub struct SetBarProps {
    /// The page's title.
    pub title: AttrValue,
    /// The label of the set chooser.
    pub set_label: AttrValue,
    /// The set chooser's id.
    pub select_id: AttrValue,
    /// The built-in set chosen (empty for a file of one's own).
    pub selected: AttrValue,
    /// What the chooser shows for a file of one's own.
    pub own_file: AttrValue,
    /// A set chosen.
    pub on_set: Callback<Event>,
    /// The file buttons, in order.
    pub files: Vec<FileButton>,
    /// A hint that files may be dropped onto the page.
    #[prop_or_default]
    pub drop_hint: Option<AttrValue>,
    /// Links to the other pages: (address, text).
    pub links: Vec<(AttrValue, AttrValue)>,
    /// The language button's text (the other language).
    pub language: AttrValue,
    /// The language button pressed.
    pub on_language: Callback<MouseEvent>,
}

/// The shared bar.
#[function_component(SetBar)]
pub fn set_bar(props: &SetBarProps) -> Html {
    let selected = props.selected.as_str();
    html! {
        <header class="site-header ministry-bar">
            <span class="site-title">{ props.title.clone() }</span>
            <label>{ props.set_label.clone() }{" "}
                <select id={props.select_id.clone()} onchange={props.on_set.clone()}>
                    { for dti_core::builtin::BUILTINS.iter().map(|builtin| html! {
                        <option value={builtin.id} selected={builtin.id == selected}>{ builtin.id }</option>
                    }) }
                    if selected.is_empty() { <option value="" selected=true>{ props.own_file.clone() }</option> }
                </select>
            </label>
            { for props.files.iter().map(|button| html! {
                <label class="file-button">{ button.label.clone() }
                    <input id={button.id.clone()} type="file" accept={button.accept.clone()}
                        multiple={button.multiple || button.folder} webkitdirectory={button.folder}
                        onchange={button.onchange.clone()} />
                </label>
            }) }
            if let Some(hint) = &props.drop_hint { <span class="drop-hint">{ hint.clone() }</span> }
            { for props.links.iter().map(|(href, text)| html! { <a href={href.clone()}>{ text.clone() }</a> }) }
            <button class="language" onclick={props.on_language.clone()}>{ props.language.clone() }</button>
        </header>
    }
}
