//! The pages: each renders its content; this module adds the navigation around it and
//! the reproducibility footer, and makes the links for the host (files or `#/` routes).

mod alerts;
mod long_table;
mod methodology;
mod rankings;
mod unit;

use crate::html::escape;
use crate::text::PageLanguage;
use crate::text::{Lang, Words};
use crate::{LinkStyle, Route, Site};
use dti_core::Evaluation;
use std::fmt::Write;

/// Where a page is and how it links.
pub(crate) struct Nav<'s> {
    pub site: &'s Site,
    pub lang: Lang,
    pub links: LinkStyle,
    pub here: Route,
    /// The relative path from this page to the site's root: `""`, `"../"`, ...
    prefix: String,
}

impl<'s> Nav<'s> {
    pub fn new(site: &'s Site, lang: Lang, links: LinkStyle, here: Route) -> Self {
        let depth = format!("{}{}", lang.root(), site.path(&here)).matches('/').count();
        Nav { site, lang, links, here, prefix: "../".repeat(depth) }
    }

    pub fn words(&self) -> &'static Words {
        self.lang.words()
    }

    /// The relative path from this page to the site's root: `""`, `"../"`, ...
    pub fn root_prefix(&self) -> &str {
        &self.prefix
    }

    /// The address of another page.
    pub fn href(&self, route: &Route) -> String {
        match self.links {
            LinkStyle::Files => format!("{}{}{}", self.root_prefix(), self.lang.root(), self.site.path(route)),
            LinkStyle::Hash => match route {
                Route::Home => "#/".to_owned(),
                Route::Period(index) => format!("#/period/{}", self.site.period_slug(*index)),
                Route::Unit(id) => format!("#/unit/{}", self.site.unit_slug(id)),
                Route::Alerts => "#/alerts".to_owned(),
                Route::Methodology => "#/methodology".to_owned(),
            },
        }
    }

    /// The address of an open-data file (static site only).
    pub fn data_href(&self, file: &str) -> Option<String> {
        (self.links == LinkStyle::Files).then(|| format!("{}data/{file}", self.root_prefix()))
    }

    /// A link to a unit's page, with its name.
    pub fn unit_link(&self, id: &str, name: &str) -> String {
        format!("<a href=\"{}\">{}</a>", escape(&self.href(&Route::Unit(id.to_owned()))), escape(name))
    }

    pub fn latest(&self) -> &Evaluation {
        self.site.latest()
    }

    /// An alert rule's name as a person reads it (see `AlertRule::display_name`).
    pub fn rule_name(&self, rule: &str) -> String {
        let framework = &self.latest().framework;
        framework
            .alerts
            .iter()
            .find(|known| known.id == rule)
            .map_or_else(|| rule.to_owned(), |known| known.display_name(framework, self.lang))
    }

    /// What raised an alert, as a person reads it: "điểm 56,7; ngưỡng 100".
    pub fn facts(&self, facts: &[(String, dti_core::alerts::ShownValue)]) -> String {
        let framework = &self.latest().framework;
        let parts: Vec<String> = facts
            .iter()
            .map(|(name, value)| {
                let label = dti_core::alerts::fact_label(name, self.lang);
                let shown = match value {
                    dti_core::alerts::ShownValue::Number(number) => {
                        self.lang.number(dti_core::evaluation::round_to(*number, 4))
                    }
                    dti_core::alerts::ShownValue::Text(text) => {
                        dti_core::alerts::fact_text(name, text, framework, self.lang)
                    }
                };
                format!("{label} {shown}")
            })
            .collect();
        parts.join("; ")
    }

    /// The names of a value's flags in the page's language.
    pub fn flags(&self, value: u8) -> String {
        dti_core::evaluation::flag_labels(value, self.lang).join(", ")
    }

    /// A text of the indicator file in the page's language.
    pub fn text<'t>(&self, text: &'t dti_core::framework::Text) -> &'t str {
        text.get(self.lang)
    }

    /// A block's name, or "all units" for units without one.
    pub fn block_name(&self, block: Option<&str>) -> String {
        let framework = &self.latest().framework;
        match block {
            Some(id) => framework
                .block_index(id)
                .map_or_else(|| id.to_owned(), |index| self.text(&framework.blocks[index].name).to_owned()),
            None => self.words().all_units.to_owned(),
        }
    }
}

/// The page's title (for the document and the browser tab).
pub(crate) fn title(nav: &Nav) -> String {
    let words = nav.words();
    let framework = nav.text(&nav.latest().framework.title).to_owned();
    let page = match &nav.here {
        Route::Home => format!("{} {}", words.rankings, nav.latest().period),
        Route::Period(index) => format!("{} {}", words.rankings, nav.site.series[*index].period),
        Route::Unit(id) => nav.latest().units.iter().find(|unit| &unit.id == id).map_or(id.clone(), |u| u.name.clone()),
        Route::Alerts => words.alerts.to_owned(),
        Route::Methodology => words.methodology.to_owned(),
    };
    format!("{page} — {framework}")
}

/// Navigation, the page, and the footer; `None` for an unknown unit or period.
pub(crate) fn render(nav: &Nav) -> Option<String> {
    let content = match &nav.here {
        Route::Home => rankings::page(nav, nav.site.series.len() - 1)?,
        Route::Period(index) => rankings::page(nav, *index)?,
        Route::Unit(id) => unit::page(nav, id)?,
        Route::Alerts => alerts::page(nav),
        Route::Methodology => methodology::page(nav),
    };
    let mut html = String::with_capacity(content.len() + 4096);
    header(nav, &mut html);
    html.push_str("<main>\n");
    html.push_str(&content);
    html.push_str("</main>\n");
    footer(nav, &mut html);
    Some(html)
}

fn header(nav: &Nav, html: &mut String) {
    let words = nav.words();
    let framework = &nav.latest().framework;
    let current = |route: &Route| if *route == nav.here { " aria-current=\"page\"" } else { "" };
    let _ = write!(
        html,
        "<header class=\"site-header\"><a class=\"site-title\" href=\"{home}\">{title}</a><nav>\
         <a href=\"{home}\"{home_current}>{rankings}</a><a href=\"{alerts}\"{alerts_current}>{alerts_word} \
         <span class=\"count\">{alert_count}</span></a><a href=\"{method}\"{method_current}>{methodology}</a>",
        home = escape(&nav.href(&Route::Home)),
        title = escape(nav.text(&framework.title)),
        home_current = current(&Route::Home),
        rankings = words.rankings,
        alerts = escape(&nav.href(&Route::Alerts)),
        alerts_current = current(&Route::Alerts),
        alerts_word = words.alerts,
        alert_count = nav.site.alerts.len(),
        method = escape(&nav.href(&Route::Methodology)),
        method_current = current(&Route::Methodology),
        methodology = words.methodology,
    );
    if nav.links == LinkStyle::Files && nav.site.app {
        let _ = write!(html, "<a href=\"{}app/index.html\">{}</a>", nav.root_prefix(), words.self_assessment);
    }
    if nav.links == LinkStyle::Files {
        let other = nav.lang.other();
        let _ = write!(
            html,
            "<a class=\"language\" hreflang=\"{code}\" lang=\"{code}\" href=\"{root}{lang_root}{path}\">{name}</a>",
            code = other.code(),
            root = nav.root_prefix(),
            lang_root = other.root(),
            path = nav.site.path(&nav.here),
            name = other.words().language_name,
        );
    }
    html.push_str("</nav></header>\n");
}

fn footer(nav: &Nav, html: &mut String) {
    let words = nav.words();
    let latest = nav.latest();
    let provenance = &latest.provenance;
    let framework = &latest.framework;
    let _ = write!(
        html,
        "<footer class=\"site-footer\"><p><strong>{reproduce}</strong>: {engine} dti {version} · \
         {file} <code>{id}</code> {framework_version} · SHA-256 <code class=\"sha\">{framework_sha}</code> · \
         {data} SHA-256 <code class=\"sha\">{data_sha}</code></p>",
        reproduce = words.reproduce,
        engine = words.engine,
        version = escape(&provenance.engine_version),
        file = words.indicator_file,
        id = escape(&framework.id),
        framework_version = escape(&framework.version),
        framework_sha = escape(&provenance.framework_sha256),
        data = words.data,
        data_sha = escape(&provenance.data_sha256),
    );
    if nav.links == LinkStyle::Files {
        let _ = write!(
            html,
            "<p>{open_data}: <a href=\"{root}data/manifest.json\">manifest.json</a> \
             ({files})</p>",
            files = nav
                .site
                .sources
                .iter()
                .map(|(name, _)| format!(
                    "<a href=\"{root}data/{name}\">{name}</a>",
                    root = nav.root_prefix(),
                    name = escape(name)
                ))
                .collect::<Vec<_>>()
                .join(" · "),
            root = nav.root_prefix(),
            open_data = words.open_data,
        );
    }
    html.push_str("</footer>\n");
}

/// The start of a filter form, with its search box (names with or without diacritics).
pub(crate) fn filter_form(nav: &Nav, html: &mut String) {
    let words = nav.words();
    let _ = write!(
        html,
        "<form class=\"filters\" role=\"search\" onsubmit=\"return false\"><label>{search} \
         <input type=\"search\" data-search placeholder=\"{hint}\" autocomplete=\"off\"></label>",
        search = words.search,
        hint = escape(words.search_hint),
    );
}

/// A filter's drop-down list: `attribute` (`data-filter` for rows, `data-filter-section`
/// for whole blocks) names the row attribute `key` it compares, "all" first.
pub(crate) fn select(
    html: &mut String,
    label: &str,
    attribute: &str,
    key: &str,
    all: &str,
    options: impl Iterator<Item = (String, String)>,
) {
    let _ = write!(html, "<label>{label} <select {attribute}=\"{key}\"><option value=\"\">{all}</option>");
    for (value, name) in options {
        let _ = write!(html, "<option value=\"{}\">{}</option>", escape(&value), escape(&name));
    }
    html.push_str("</select></label>");
}
