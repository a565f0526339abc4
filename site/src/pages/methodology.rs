//! How the index is computed, generated from the indicator file: the structure with
//! weights, every indicator's value type, scoring rule, weight and evidence requirement,
//! the maturity levels, the data treatment and the alert rules.

use super::Nav;
use crate::describe;
use crate::html::escape;
use dti_core::framework::validate::format_number;
use dti_core::framework::{Framework, NodeKind};
use std::fmt::Write;

pub(crate) fn page(nav: &Nav) -> String {
    let words = nav.words();
    let framework = &nav.latest().framework;
    let mut html = String::with_capacity(32_768);
    let _ = writeln!(
        html,
        "<h1>{} <small>{} {}</small></h1>",
        words.methodology,
        escape(&framework.id),
        escape(&framework.version)
    );
    let _ = writeln!(html, "<p class=\"lead\">{}</p>", escape(nav.text(&framework.title)));
    if let Some(description) = &framework.description {
        let _ = writeln!(html, "<p>{}</p>", escape(nav.text(description)));
    }

    let root = framework.root();
    let _ = writeln!(html, "<section><h2>{}</h2>", words.structure);
    let _ = writeln!(
        html,
        "<p>{}: {} · {}</p>",
        escape(nav.text(&framework.nodes[root].name)),
        aggregate_words(framework, root, nav),
        max_words(framework, root, nav),
    );
    for &pillar in &framework.nodes[root].children {
        pillar_section(nav, framework, pillar, &mut html);
    }
    html.push_str("</section>\n");

    levels(nav, framework, &mut html);
    let _ = write!(html, "<section><h2>{}</h2><ul>", words.treatment);
    for step in describe::treatment(framework, nav.lang) {
        let _ = write!(html, "<li>{}</li>", escape(&step));
    }
    html.push_str("</ul></section>\n");
    alert_rules(nav, framework, &mut html);
    html
}

fn aggregate_words(framework: &Framework, node: usize, nav: &Nav) -> String {
    match &framework.nodes[node].kind {
        NodeKind::Aggregate { method, .. } => describe::aggregation(*method, nav.lang).to_owned(),
        NodeKind::Indicator(_) => String::new(),
    }
}

fn max_words(framework: &Framework, node: usize, nav: &Nav) -> String {
    framework.nodes[node]
        .max()
        .map(|max| format!("{} {}", nav.words().max_points, format_number(max)))
        .unwrap_or_default()
}

/// A pillar (or sub-pillar) heading and the table of its indicators; sub-pillars nest.
fn pillar_section(nav: &Nav, framework: &Framework, pillar: usize, html: &mut String) {
    let words = nav.words();
    let node = &framework.nodes[pillar];
    if node.indicator().is_some() {
        indicator_table(nav, framework, &[pillar], html);
        return;
    }
    let level = (node.depth + 2).min(6);
    let _ = write!(
        html,
        "<h{level} id=\"{id}\">{name} <small>{id}</small></h{level}>\n<p class=\"meta\">{weight}: {weight_value} · {max} · {aggregate}</p>\n",
        id = escape(&node.id),
        name = escape(nav.text(&node.name)),
        weight = words.weight,
        weight_value = format_number(node.weight),
        max = max_words(framework, pillar, nav),
        aggregate = aggregate_words(framework, pillar, nav),
    );
    if let Some(description) = &node.description {
        let _ = writeln!(html, "<p>{}</p>", escape(nav.text(description)));
    }
    let indicators: Vec<usize> =
        node.children.iter().copied().filter(|&child| framework.nodes[child].indicator().is_some()).collect();
    if !indicators.is_empty() {
        indicator_table(nav, framework, &indicators, html);
    }
    for &child in &node.children {
        if framework.nodes[child].indicator().is_none() {
            pillar_section(nav, framework, child, html);
        }
    }
}

fn indicator_table(nav: &Nav, framework: &Framework, indicators: &[usize], html: &mut String) {
    let words = nav.words();
    let _ = writeln!(
        html,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{indicator}\"><table class=\"indicators\"><thead><tr><th>{indicator}</th><th>{value_type}</th>\
         <th>{scoring}</th><th class=\"n\">{weight}</th><th class=\"n\">{max}</th><th>{evidence}</th><th>{applies}</th>\
         </tr></thead><tbody>",
        indicator = words.indicator,
        value_type = words.value_type,
        scoring = words.scoring,
        weight = words.weight,
        max = words.max_points,
        evidence = words.evidence,
        applies = words.applies_to,
    );
    for &index in indicators {
        let node = &framework.nodes[index];
        let Some(indicator) = node.indicator() else { continue };
        let applies = match &indicator.applies_to {
            None => words.all.to_owned(),
            Some(blocks) => blocks
                .iter()
                .map(|&block| nav.text(&framework.blocks[block].name).to_owned())
                .collect::<Vec<_>>()
                .join("; "),
        };
        let description = node
            .description
            .as_ref()
            .map(|text| format!("<br><small>{}</small>", escape(nav.text(text))))
            .unwrap_or_default();
        let _ = writeln!(
            html,
            "<tr id=\"{id}\"><td><strong>{name}</strong> <small>{id}</small>{description}</td><td>{value_type}</td>\
             <td>{scoring}</td><td class=\"n\">{weight}</td><td class=\"n\">{max}</td><td>{evidence}</td><td>{applies}</td></tr>",
            id = escape(&node.id),
            name = escape(nav.text(&node.name)),
            value_type = escape(&describe::value_type(indicator, nav.lang)),
            scoring = escape(&describe::scoring(indicator, nav.lang)),
            weight = if indicator.info_only { "–".to_owned() } else { format_number(node.weight) },
            max = node.max().filter(|_| !indicator.info_only).map(format_number).unwrap_or_else(|| "–".to_owned()),
            evidence = describe::evidence(indicator, nav.lang),
            applies = escape(&applies),
        );
    }
    html.push_str("</tbody></table></div>\n");
}

fn levels(nav: &Nav, framework: &Framework, html: &mut String) {
    let words = nav.words();
    for set in &framework.levels {
        let _ = writeln!(
            html,
            "<section><h2>{} <small>{}</small></h2><table class=\"levels\"><thead><tr><th>{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
            words.levels,
            escape(nav.text(&framework.nodes[set.node].name)),
            words.level,
            words.minimum,
            words.requires,
        );
        for level in &set.levels {
            let requires: Vec<String> = level
                .requires
                .iter()
                .map(|requirement| {
                    format!(
                        "{} ≥ {}%",
                        nav.text(&framework.nodes[requirement.node].name),
                        format_number(requirement.min_share * 100.0)
                    )
                })
                .collect();
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(nav.text(&level.name)),
                format_number(level.min),
                escape(&requires.join("; "))
            );
        }
        html.push_str("</tbody></table></section>\n");
    }
}

fn alert_rules(nav: &Nav, framework: &Framework, html: &mut String) {
    if framework.alerts.is_empty() {
        return;
    }
    let words = nav.words();
    let _ = writeln!(html, "<section><h2>{}</h2><ul class=\"alerts\">", words.alerts);
    for rule in &framework.alerts {
        let _ = writeln!(
            html,
            "<li><span class=\"badge {severity}\">{label}</span> <strong>{name}</strong>: {message}</li>",
            severity = rule.severity.name(),
            label = rule.severity.label(nav.lang),
            name = escape(&rule.display_name(framework, nav.lang)),
            message = escape(nav.text(&rule.message)),
        );
    }
    html.push_str("</ul></section>\n");
}
