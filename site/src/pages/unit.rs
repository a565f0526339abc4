//! A unit's page: its result, its pillars against its block's median (radar), its score
//! and rank over the periods, every indicator's contribution and gap, its alerts and its
//! improvement plan.

use super::Nav;
use crate::charts::{HistoryPoint, history, radar};
use crate::html::{escape, fixed_in, places, sort_value};
use dti_core::assessment::NoPlan;
use std::fmt::Write;

pub(crate) fn page(nav: &Nav, id: &str) -> Option<String> {
    let site = nav.site;
    let evaluation = site.latest();
    let latest_index = site.series.len() - 1;
    let position = site.position(latest_index, id)?;
    let unit = &evaluation.units[position];
    let framework = &evaluation.framework;
    let words = nav.words();
    let decimals = usize::from(framework.scale.decimals);
    let block = site.block(unit.block.as_deref());
    let mut html = String::with_capacity(16_384);
    let _ = write!(
        html,
        "<h1>{name} <small>{id}</small></h1>\n<p class=\"meta\">{block}: {block_name} · {period}: {period_label}</p>\n",
        name = escape(&unit.name),
        id = escape(&unit.id),
        block = words.block,
        block_name = escape(&nav.block_name(unit.block.as_deref())),
        period = words.period,
        period_label = escape(&evaluation.period),
    );

    // The result.
    let max = framework.scale.max;
    let _ = writeln!(
        html,
        "<dl class=\"summary\"><div><dt>{score}</dt><dd data-field=\"score\">{value}<small> / {max}</small></dd></div>\
         <div><dt>{level}</dt><dd data-field=\"level\">{level_name}</dd></div>\
         <div><dt>{block_rank}</dt><dd data-field=\"block-rank\">{rank}<small> / {peers} {change}</small></dd></div>\
         <div><dt>{overall}</dt><dd data-field=\"rank\">{overall_rank}<small> / {all}</small></dd></div></dl>",
        score = words.score,
        value = fixed_in(nav.lang, evaluation.display_score(position), decimals),
        max = dti_core::framework::validate::format_number(max),
        level = words.level,
        level_name = escape(evaluation.root_level(position).map_or("–", |level| nav.text(&level.name))),
        block_rank = words.block_rank,
        rank = evaluation.block_rank[position].map_or_else(|| "–".to_owned(), |rank| rank.to_string()),
        peers = block.map_or(0, |block| block.units),
        change = places(site.rank_changes[latest_index][position]),
        overall = words.overall_rank,
        overall_rank = evaluation.rank[position].map_or_else(|| "–".to_owned(), |rank| rank.to_string()),
        all = evaluation.n_units(),
    );

    // Pillars against the block's median, and the history.
    let pillars = &framework.nodes[framework.root()].children;
    let labels: Vec<String> =
        pillars.iter().map(|&pillar| nav.text(&framework.nodes[pillar].name).to_owned()).collect();
    let shares: Vec<Option<f64>> = pillars.iter().map(|&pillar| evaluation.share(pillar, position)).collect();
    let medians = block.map_or(&[][..], |block| block.medians.as_slice());
    let points: Vec<HistoryPoint> = site
        .series
        .iter()
        .enumerate()
        .map(|(index, period)| {
            let at = site.position(index, &unit.id);
            HistoryPoint {
                period: period.period.clone(),
                score: at.and_then(|at| period.display_score(at)),
                rank: at.and_then(|at| period.block_rank[at]),
            }
        })
        .collect();
    let _ = writeln!(
        html,
        "<div class=\"charts\"><figure><figcaption>{radar_title} <span class=\"legend unit\">{name}</span> \
         <span class=\"legend median\">{median}</span></figcaption>{radar}</figure>\
         <figure><figcaption>{history_title}</figcaption>{history}</figure></div>",
        radar_title = words.radar,
        name = escape(&unit.name),
        median = words.block_median,
        radar = radar(&labels, &shares, medians, words.block_median),
        history_title = words.history,
        history = history(&points, max, decimals, [words.score, words.block_rank]),
    );

    contributions(nav, position, &mut html);
    alerts(nav, &unit.id, &mut html);
    plan(nav, position, &mut html);
    Some(html)
}

/// Every indicator that applies: its score, what it adds to the index and what it lacks.
fn contributions(nav: &Nav, position: usize, html: &mut String) {
    let words = nav.words();
    let evaluation = nav.latest();
    let framework = &evaluation.framework;
    let _ = writeln!(
        html,
        "<section><h2>{title}</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{title}\"><table class=\"contributions\"><thead><tr>\
         <th data-sort=\"asc\">{indicator}</th><th data-sort=\"desc\" class=\"n\">{points}</th>\
         <th data-sort=\"desc\" class=\"n\">%</th><th data-sort=\"desc\" class=\"n\">{contribution}</th>\
         <th data-sort=\"desc\" class=\"n\">{gap}</th><th>{flags}</th></tr></thead><tbody>",
        title = words.contributions,
        indicator = words.indicator,
        points = words.points,
        contribution = words.contribution,
        gap = words.gap,
        flags = words.flags,
    );
    for (order, line) in evaluation.contributions(position).into_iter().enumerate() {
        let Some(node_index) = framework.node_index(&line.indicator) else { continue };
        let node = &framework.nodes[node_index];
        let max = node.max();
        let _ = writeln!(
            html,
            "<tr data-indicator=\"{id}\"><td data-v=\"{order}\">{name} <small>{id}</small></td>\
             <td class=\"n\" data-v=\"{score_v}\">{score}{max}</td><td class=\"n\" data-v=\"{share_v}\">{share} {bar}</td>\
             <td class=\"n\" data-v=\"{contribution_v}\">{contribution}</td><td class=\"n\" data-v=\"{gap_v}\">{gap}</td>\
             <td>{flags}</td></tr>",
            id = escape(&line.indicator),
            name = escape(nav.text(&node.name)),
            score_v = sort_value(line.score),
            score = fixed_in(nav.lang, line.score, 2),
            max = max
                .map(|max| format!("<small> / {}</small>", dti_core::framework::validate::format_number(max)))
                .unwrap_or_default(),
            share_v = sort_value(line.share),
            share = fixed_in(nav.lang, line.share.map(|share| share * 100.0), 0),
            bar = crate::charts::bar(line.share),
            contribution_v = sort_value(line.contribution),
            contribution = fixed_in(nav.lang, line.contribution, 2),
            gap_v = sort_value(line.gap),
            gap = fixed_in(nav.lang, line.gap, 2),
            flags = escape(&nav.flags(line.flags)),
        );
    }
    html.push_str("</tbody></table></div></section>\n");
}

/// The unit's alerts in the latest period.
fn alerts(nav: &Nav, unit: &str, html: &mut String) {
    let words = nav.words();
    let indices = nav.site.alerts_by_unit.get(unit).map(Vec::as_slice).unwrap_or_default();
    let _ = writeln!(html, "<section><h2>{} <small>{}</small></h2>", words.alerts, indices.len());
    if indices.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", words.no_alerts);
    } else {
        html.push_str("<ul class=\"alerts\">\n");
        for &index in indices {
            let alert = &nav.site.alerts[index];
            let _ = writeln!(
                html,
                "<li class=\"{severity}\"><span class=\"badge {severity}\">{label}</span> {message} <small>({rule}; {why})</small></li>",
                severity = alert.severity.name(),
                label = alert.severity.label(nav.lang),
                message = escape(nav.text(&alert.message)),
                rule = escape(&nav.rule_name(&alert.rule)),
                why = escape(&nav.facts(&alert.facts)),
            );
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</section>\n");
}

/// The improvement plan, computed on the unit's own values by the scoring engine.
fn plan(nav: &Nav, position: usize, html: &mut String) {
    let words = nav.words();
    let evaluation = nav.latest();
    let framework = &evaluation.framework;
    let _ = writeln!(html, "<section><h2>{}</h2>", words.plan);
    match nav.site.plan(position) {
        Some(Ok(steps)) if !steps.is_empty() => {
            let _ = writeln!(
                html,
                "<p>{intro}</p><table class=\"plan\"><thead><tr><th>{indicator}</th><th>{from}</th><th>{to}</th>\
                 <th class=\"n\">{gain}</th></tr></thead><tbody>",
                intro = words.plan_intro,
                indicator = words.indicator,
                from = words.from,
                to = words.to,
                gain = words.gain,
            );
            for step in steps {
                let name = framework
                    .node_index(&step.indicator)
                    .map_or(step.indicator.as_str(), |node| nav.text(&framework.nodes[node].name));
                let _ = writeln!(
                    html,
                    "<tr data-indicator=\"{id}\"><td>{name} <small>{id}</small></td><td>{from}</td><td>{to}</td><td class=\"n\">+{gain}</td></tr>",
                    id = escape(&step.indicator),
                    name = escape(name),
                    from = if step.from.is_empty() { "–".to_owned() } else { escape(&step.from).into_owned() },
                    to = escape(&step.to),
                    gain = fixed_in(nav.lang, Some(step.gain), 2),
                );
            }
            html.push_str("</tbody></table>\n");
        }
        Some(Ok(_)) => {
            let _ = writeln!(html, "<p>{}</p>", words.plan_none);
        }
        Some(Err(NoPlan::RelativeScoring)) => {
            let _ = writeln!(html, "<p class=\"note\">{}</p>", words.plan_relative);
        }
        None => {}
    }
    html.push_str("</section>\n");
}
