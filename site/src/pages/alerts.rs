//! The alerts of the latest period: counts by severity, block and rule, then every alert,
//! filterable by each and searchable.

use super::long_table::{FIRST_ROWS, LongTable};
use super::{Nav, filter_form, select};
use crate::html::escape;
use crate::vietnamese::fold;
use dti_core::alerts::AlertSeverity;
use std::collections::BTreeMap;
use std::fmt::Write;

pub(crate) fn page(nav: &Nav) -> String {
    let words = nav.words();
    let site = nav.site;
    let mut html = String::with_capacity(300 * site.alerts.len() + 4096);
    let _ = writeln!(html, "<h1>{} <span class=\"period\">{}</span></h1>", words.alerts, escape(&nav.latest().period));
    if let Some(as_of) = &site.as_of {
        let _ = writeln!(html, "<p class=\"meta\">{}: {}</p>", words.checked_on, escape(as_of));
    }
    if site.alerts.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", words.no_alerts);
        return html;
    }
    let mut by_severity: BTreeMap<std::cmp::Reverse<AlertSeverity>, usize> = BTreeMap::new();
    let mut by_block: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<&str, (AlertSeverity, usize)> = BTreeMap::new();
    for alert in &site.alerts {
        *by_severity.entry(std::cmp::Reverse(alert.severity)).or_default() += 1;
        *by_block.entry(alert.block.as_deref()).or_default() += 1;
        by_rule.entry(alert.rule.as_str()).or_insert((alert.severity, 0)).1 += 1;
    }
    html.push_str("<div class=\"summaries\">");
    summary(
        &mut html,
        words.by_severity,
        by_severity
            .iter()
            .map(|(severity, count)| (severity.0.label(nav.lang).to_owned(), Some(severity.0.name()), *count)),
    );
    summary(&mut html, words.by_block, by_block.iter().map(|(block, count)| (nav.block_name(*block), None, *count)));
    summary(
        &mut html,
        words.by_rule,
        by_rule.iter().map(|(rule, (severity, count))| (nav.rule_name(rule), Some(severity.name()), *count)),
    );
    html.push_str("</div>\n");

    // Filters: severity, block, rule, and the search.
    filter_form(nav, &mut html);
    select(
        &mut html,
        words.severity,
        "data-filter",
        "severity",
        words.all,
        by_severity.keys().map(|s| (s.0.name().to_owned(), s.0.label(nav.lang).to_owned())),
    );
    select(
        &mut html,
        words.block,
        "data-filter",
        "block",
        words.all,
        by_block.keys().map(|block| (block.unwrap_or("").to_owned(), nav.block_name(*block))),
    );
    select(
        &mut html,
        words.rule,
        "data-filter",
        "rule",
        words.all,
        by_rule.keys().map(|rule| ((*rule).to_owned(), (*rule).to_owned())),
    );
    let _ = writeln!(html, " <output data-shown>{} / {}</output></form>", site.alerts.len(), site.alerts.len());

    let _ = write!(html, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">", words.alerts);
    let head = format!(
        "<table class=\"alerts filterable\"><thead><tr><th data-sort=\"desc\">{severity}</th>\
         <th data-sort=\"asc\">{unit}</th><th data-sort=\"asc\">{block}</th><th data-sort=\"asc\">{rule}</th>\
         <th>{message}</th><th>{why}</th></tr></thead>\n",
        severity = words.severity,
        unit = words.unit,
        block = words.block,
        rule = words.rule,
        message = words.message,
        why = words.why,
    );
    let mut table = LongTable::start(&mut html, head, FIRST_ROWS);
    for alert in &site.alerts {
        let why = nav.facts(&alert.facts);
        let _ = writeln!(
            html,
            "<tr data-severity=\"{severity}\" data-block=\"{block}\" data-rule=\"{rule}\" data-s=\"{search}\">\
             <td data-v=\"{severity_v}\"><span class=\"badge {severity}\">{severity_label}</span></td>\
             <td data-v=\"{order}\">{link} <small>{id}</small></td><td>{block_name}</td><td>{rule_name}</td>\
             <td>{message}</td><td class=\"why\">{why}</td></tr>",
            severity = alert.severity.name(),
            severity_label = alert.severity.label(nav.lang),
            rule_name = escape(&nav.rule_name(&alert.rule)),
            severity_v = alert.severity as u8,
            block = escape(alert.block.as_deref().unwrap_or("")),
            block_name = escape(&nav.block_name(alert.block.as_deref())),
            rule = escape(&alert.rule),
            search = escape(&format!("{} {}", site.search_key(&alert.unit), fold(&alert.rule))),
            order = site.name_order.get(&alert.unit).copied().unwrap_or(u32::MAX),
            link = nav.unit_link(&alert.unit, &alert.unit_name),
            id = escape(&alert.unit),
            message = escape(nav.text(&alert.message)),
            why = escape(&why),
        );
        table.row_written(&html);
    }
    table.finish(&mut html);
    html.push_str("</div>\n");
    html
}

fn summary(html: &mut String, title: &str, rows: impl Iterator<Item = (String, Option<&'static str>, usize)>) {
    let _ = write!(html, "<table class=\"summary-table\"><caption>{}</caption><tbody>", escape(title));
    for (name, class, count) in rows {
        let name = match class {
            Some(class) => format!("<span class=\"badge {class}\">{}</span>", escape(&name)),
            None => escape(&name).into_owned(),
        };
        let _ = write!(html, "<tr><td>{name}</td><td class=\"n\">{count}</td></tr>");
    }
    html.push_str("</tbody></table>");
}
