//! The rankings of a period: a table per block with score, level, rank, rank change,
//! alert badges and every pillar's score and rank in the block; sortable, filterable and
//! searchable (with or without diacritics) by `site.js`. Rows are kept lean (thousands of
//! them make the page): numeric cells are aligned by the stylesheet and sort by the number
//! they show; only cells whose text is no number carry a `data-v`.

use super::long_table::{FIRST_ROWS, LongTable};
use super::{Nav, filter_form, select};
use crate::html::{escape, fixed_in, places};
use crate::{LinkStyle, Route};
use dti_core::alerts::AlertSeverity;
use std::fmt::Write;

pub(crate) fn page(nav: &Nav, index: usize) -> Option<String> {
    let evaluation = nav.site.series.get(index)?;
    let latest = index + 1 == nav.site.series.len();
    let words = nav.words();
    let framework = &evaluation.framework;
    let pillars = &framework.nodes[framework.root()].children;
    let mut html = String::with_capacity(600 * evaluation.n_units() + 4096);
    let _ = writeln!(html, "<h1>{} <span class=\"period\">{}</span></h1>", words.rankings, escape(&evaluation.period));
    periods(nav, index, &mut html);
    downloads(nav, index, &mut html);

    let blocks = evaluation.blocks_in_order();
    filters(nav, evaluation, &blocks, &mut html);
    let _ = writeln!(html, "<p class=\"hint\">{}</p>", words.sort_hint);

    let decimals = usize::from(framework.scale.decimals);
    let ranks = &nav.site.pillar_ranks[index];
    let changes = &nav.site.rank_changes[index];
    let mut shown = 0;
    for (block, members) in &blocks {
        let mut members = members.clone();
        members.sort_by(|&a, &b| {
            let key = |p: usize| (evaluation.block_rank[p].unwrap_or(u32::MAX), evaluation.units[p].id.as_str());
            key(a).cmp(&key(b))
        });
        let _ = writeln!(
            html,
            "<section class=\"block\" data-block=\"{id}\"><h2>{name} <small data-count>{count} {units}</small></h2>\n\
             <div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\">",
            id = escape(block.unwrap_or("")),
            name = escape(&nav.block_name(*block)),
            count = members.len(),
            units = words.units,
        );
        let mut head = String::new();
        let _ = write!(
            head,
            "<table class=\"ranking filterable\"><thead><tr>\
             <th data-sort=\"asc\" class=\"n\">{rank}</th><th data-sort=\"desc\" class=\"n\">{change}</th>\
             <th data-sort=\"asc\">{unit}</th><th data-sort=\"desc\" class=\"n\">{score}</th>\
             <th data-sort=\"desc\">{level}</th>",
            rank = words.rank,
            change = words.change,
            unit = words.unit,
            score = words.score,
            level = words.level,
        );
        if latest {
            let _ = write!(head, "<th data-sort=\"desc\" class=\"n\">{}</th>", words.alerts);
        }
        for &pillar in pillars {
            let node = &framework.nodes[pillar];
            let _ = write!(
                head,
                "<th data-sort=\"desc\" class=\"n pillar\" title=\"{name}\">{short}</th>",
                name = escape(nav.text(&node.name)),
                short = escape(&crate::charts::truncate(nav.text(&node.name), 18)),
            );
        }
        head.push_str("</tr></thead>\n");
        let mut table = LongTable::start(&mut html, head, FIRST_ROWS.saturating_sub(shown));
        for position in members {
            let unit = &evaluation.units[position];
            let level = evaluation.root_level(position);
            let level_index = framework
                .levels
                .iter()
                .find(|set| set.node == framework.root())
                .and_then(|set| level.and_then(|level| set.levels.iter().position(|l| l.id == level.id)));
            let _ = write!(
                html,
                "<tr data-unit=\"{id}\" data-level=\"{level_id}\" data-s=\"{search}\">\
                 <td>{rank}</td><td data-v=\"{change_v}\">{change}</td>\
                 <td data-v=\"{order}\">{link} <small>{id}</small>{refused}</td>\
                 <td>{score}</td><td data-v=\"{level_v}\">{level}</td>",
                id = escape(&unit.id),
                level_id = escape(level.map_or("", |level| level.id.as_str())),
                search = escape(nav.site.search_key(&unit.id)),
                rank = evaluation.block_rank[position].map_or_else(|| "–".to_owned(), |rank| rank.to_string()),
                change_v = changes[position].map(|change| change.to_string()).unwrap_or_default(),
                change = if index > 0 && changes[position].is_none() {
                    words.new_entry.to_owned()
                } else {
                    places(changes[position])
                },
                order = nav.site.name_order.get(&unit.id).copied().unwrap_or(u32::MAX),
                link = nav.unit_link(&unit.id, &unit.name),
                refused = refused_flag(nav, evaluation.refused_values(position)),
                score = fixed_in(nav.lang, evaluation.display_score(position), decimals),
                level_v = level_index.map(|index| index.to_string()).unwrap_or_default(),
                level = escape(level.map_or("–", |level| nav.text(&level.name))),
            );
            if latest {
                alert_badges(nav, &unit.id, &mut html);
            }
            for (slot, &pillar) in pillars.iter().enumerate() {
                let score = evaluation.score(pillar, position);
                let _ = write!(
                    html,
                    "<td>{} <sub>{}</sub></td>",
                    fixed_in(nav.lang, score, 2),
                    ranks[slot][position].map(|rank| format!("#{rank}")).unwrap_or_default(),
                );
            }
            html.push_str("</tr>\n");
            table.row_written(&html);
        }
        shown += table.shown();
        table.finish(&mut html);
        html.push_str("</div></section>\n");
    }
    Some(html)
}

/// Links to every period's rankings.
fn periods(nav: &Nav, current: usize, html: &mut String) {
    if nav.site.series.len() < 2 {
        return;
    }
    let _ = write!(html, "<nav class=\"periods\" aria-label=\"{}\">{}: ", nav.words().periods, nav.words().periods);
    let last = nav.site.series.len() - 1;
    for (index, evaluation) in nav.site.series.iter().enumerate() {
        let route = if index == last { Route::Home } else { Route::Period(index) };
        let current = if index == current { " aria-current=\"page\"" } else { "" };
        let _ = write!(html, "<a href=\"{}\"{current}>{}</a> ", escape(&nav.href(&route)), escape(&evaluation.period));
    }
    html.push_str("</nav>\n");
}

/// The period's open data (static site only).
fn downloads(nav: &Nav, index: usize, html: &mut String) {
    if nav.links != LinkStyle::Files {
        return;
    }
    let slug = nav.site.period_slug(index);
    let _ = write!(html, "<p class=\"downloads\">{}:", nav.words().open_data);
    for format in ["csv", "json", "xlsx"] {
        if let Some(href) = nav.data_href(&format!("{slug}.{format}")) {
            let _ = write!(html, " <a href=\"{}\" download>{}</a>", escape(&href), format.to_uppercase());
        }
    }
    html.push_str("</p>\n");
}

/// The search box and the block and level filters.
fn filters(nav: &Nav, evaluation: &dti_core::Evaluation, blocks: &[(Option<&str>, Vec<usize>)], html: &mut String) {
    let words = nav.words();
    filter_form(nav, html);
    if blocks.len() > 1 {
        let options = blocks.iter().map(|(block, _)| (block.unwrap_or("").to_owned(), nav.block_name(*block)));
        select(html, words.block, "data-filter-section", "block", words.all, options);
    }
    let framework = &evaluation.framework;
    if let Some(set) = framework.levels.iter().find(|set| set.node == framework.root()) {
        let options = set.levels.iter().map(|level| (level.id.clone(), nav.text(&level.name).to_owned()));
        select(html, words.level, "data-filter", "level", words.all, options);
    }
    let _ = writeln!(html, " <output data-shown>{} {}</output></form>", evaluation.n_units(), words.units);
}

/// "1 value refused", after the unit's name; empty when none was.
fn refused_flag(nav: &Nav, refused: usize) -> String {
    if refused == 0 {
        return String::new();
    }
    let words = nav.words();
    let what = if refused == 1 { words.refused_one } else { words.refused_many };
    format!(" <span class=\"flag refused\" title=\"{}\">{refused} {what}</span>", words.refused_title)
}

/// The unit's alerts as badges by severity, most urgent first.
fn alert_badges(nav: &Nav, unit: &str, html: &mut String) {
    let mut counts = [0usize; 3];
    for &alert in nav.site.alerts_by_unit.get(unit).map(Vec::as_slice).unwrap_or_default() {
        counts[nav.site.alerts[alert].severity as usize] += 1;
    }
    let weight = counts[2] * 1_000_000 + counts[1] * 1_000 + counts[0];
    let _ = write!(html, "<td data-v=\"{weight}\">");
    for severity in AlertSeverity::ALL.iter().rev() {
        let count = counts[*severity as usize];
        if count > 0 {
            let _ = write!(
                html,
                "<span class=\"badge {name}\" title=\"{label}\">{count}</span>",
                name = severity.name(),
                label = severity.label(nav.lang)
            );
        }
    }
    html.push_str("</td>");
}
