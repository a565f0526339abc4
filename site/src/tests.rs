//! The publication of the built-in sets' sample data: every page renders, every link
//! leads to a page, rankings follow the engine's ranks, a unit page shows its numbers.

use super::*;
use crate::text::PageLanguage;
use dti_core::builtin::builtin;
use std::collections::HashSet;

fn site(id: &str) -> Site {
    let set = builtin(id).expect("built-in set");
    let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid set");
    let dataset = dti_core::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("valid data");
    let as_of = dti_core::period::Date::new(2026, 1, 15);
    Site::evaluate(&framework, dataset, "f".repeat(64).as_str(), "d".repeat(64).as_str(), as_of).expect("evaluates")
}

/// The `href`s of a page.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// A relative link resolved against the page's path.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_of_the_static_site_leads_to_a_page_or_a_published_file() {
    let mut site = site("vn-ministry");
    site.app = true;
    site.sources = vec![("indicators.toml".into(), "f".repeat(64)), ("data.csv".into(), "d".repeat(64))];
    let mut pages = HashSet::new();
    for lang in Lang::ALL {
        for route in site.routes() {
            pages.insert(format!("{}{}", lang.root(), site.path(&route)));
        }
    }
    let mut files: HashSet<String> =
        ["site.css", "site.js", "app/index.html", "data/manifest.json", "data/indicators.toml", "data/data.csv"]
            .map(String::from)
            .into();
    for index in 0..site.series.len() {
        for format in ["csv", "json", "xlsx"] {
            files.insert(format!("data/{}.{format}", site.period_slug(index)));
        }
    }
    let mut checked = 0;
    for lang in Lang::ALL {
        for route in site.routes() {
            let path = format!("{}{}", lang.root(), site.path(&route));
            let html = site.document(&route, lang).expect("renders");
            assert!(html.starts_with("<!doctype html>") && html.contains(&format!("<html lang=\"{}\">", lang.code())));
            for href in links(&html).into_iter().filter(|href| href != "data:,") {
                let target = resolve(&path, &href);
                assert!(pages.contains(&target) || files.contains(&target), "{path}: `{href}` leads to `{target}`");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} links");
}

#[test]
fn every_link_of_the_app_pages_is_a_route() {
    let site = site("vn-unit");
    for route in site.routes() {
        let html = site.page(&route, Lang::En, LinkStyle::Hash).expect("renders");
        assert!(!html.contains("data/"), "no downloads in the app: {route:?}");
        for href in links(&html) {
            assert!(site.route_of_hash(&href).is_some(), "{route:?}: `{href}` is no route");
        }
        // Each page's own route reads back.
        let own = match &route {
            Route::Home => "#/".to_owned(),
            Route::Period(index) => format!("#/period/{}", site.period_slug(*index)),
            Route::Unit(id) => format!("#/unit/{}", site.unit_slug(id)),
            Route::Alerts => "#/alerts".to_owned(),
            Route::Methodology => "#/methodology".to_owned(),
        };
        assert_eq!(site.route_of_hash(&own).as_ref(), Some(&route));
    }
    assert_eq!(site.route_of_hash("#/unit/nobody"), None);
    assert!(site.page(&Route::Unit("nobody".into()), Lang::Vi, LinkStyle::Hash).is_none());
    assert!(site.page(&Route::Period(99), Lang::Vi, LinkStyle::Hash).is_none());
}

#[test]
fn rankings_list_each_block_in_the_engines_rank_order() {
    let site = site("vn-ministry");
    let latest = site.latest();
    let html = site.page(&Route::Home, Lang::Vi, LinkStyle::Files).expect("renders");
    for section in html.split("<section class=\"block\"").skip(1) {
        let ids: Vec<&str> =
            section.split("<tr data-unit=\"").skip(1).filter_map(|row| row.split('"').next()).collect();
        assert!(ids.len() > 1);
        let position = |id: &str| latest.units.iter().position(|unit| unit.id == id).expect("known unit");
        let mut expected = ids.clone();
        expected.sort_by_key(|id| (latest.block_rank[position(id)].unwrap_or(u32::MAX), id.to_string()));
        assert_eq!(ids, expected);
        let blocks: HashSet<_> = ids.iter().map(|id| latest.units[position(id)].block.clone()).collect();
        assert_eq!(blocks.len(), 1, "one block per table");
    }
}

#[test]
fn a_unit_page_shows_its_score_level_ranks_and_plan() {
    let site = site("vn-unit");
    let latest = site.latest();
    let position = 3;
    let unit = &latest.units[position];
    let html = site.page(&Route::Unit(unit.id.clone()), Lang::En, LinkStyle::Files).expect("renders");
    let decimals = usize::from(latest.framework.scale.decimals);
    let score = format!("{:.decimals$}", latest.display_score(position).expect("scored"));
    assert!(html.contains(&format!("data-field=\"score\">{score}<")), "score {score}");
    let rank = latest.block_rank[position].expect("ranked");
    assert!(html.contains(&format!("data-field=\"block-rank\">{rank}<")));
    let level = latest.root_level(position).expect("level");
    assert!(html.contains(&format!("data-field=\"level\">{}<", escape(&level.name.en))));
    assert!(html.contains("class=\"chart radar\"") && html.contains("class=\"chart history\""));
    // One contribution row per indicator that applies.
    let rows = html.matches("<tr data-indicator=").count();
    assert!(rows >= latest.contributions(position).len());
    assert!(html.contains("Improvement plan"));
}

#[test]
fn search_keys_ignore_diacritics_and_names_sort_in_vietnamese_order() {
    let site = site("vn-ministry");
    let html = site.page(&Route::Home, Lang::Vi, LinkStyle::Files).expect("renders");
    let keys: Vec<&str> = html.split("data-s=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(!keys.is_empty());
    for key in keys {
        assert_eq!(key, vietnamese::fold(key), "already folded: {key}");
        assert!(key.is_ascii() || !key.chars().any(|c| "àáảãạăâđêôơư".contains(c)), "{key}");
    }
    let mut names: Vec<(&u32, &String)> = site.name_order.iter().map(|(id, order)| (order, id)).collect();
    names.sort();
    let latest = site.latest();
    let name_of =
        |id: &str| latest.units.iter().find(|unit| unit.id == id).map(|unit| unit.name.clone()).unwrap_or_default();
    for pair in names.windows(2) {
        assert_ne!(vietnamese::compare(&name_of(pair[0].1), &name_of(pair[1].1)), std::cmp::Ordering::Greater);
    }
}

#[test]
fn the_methodology_page_describes_every_indicator_in_both_languages() {
    let site = site("vn-ministry");
    let framework = &site.latest().framework;
    for lang in Lang::ALL {
        let html = site.page(&Route::Methodology, lang, LinkStyle::Files).expect("renders");
        for index in framework.indicator_indices() {
            let node = &framework.nodes[index];
            assert!(html.contains(&format!("<tr id=\"{}\">", escape(&node.id))), "{}", node.id);
            assert!(html.contains(&*escape(node.name.get(lang))), "{}", node.id);
        }
        assert!(html.contains(if lang == Lang::Vi { "Cách chấm điểm" } else { "Scoring" }));
    }
}

#[test]
fn the_alerts_page_counts_and_lists_every_alert() {
    let site = site("vn-unit");
    assert!(!site.alerts.is_empty(), "the sample raises alerts");
    let html = site.page(&Route::Alerts, Lang::En, LinkStyle::Files).expect("renders");
    assert_eq!(html.matches("<tr data-severity=").count(), site.alerts.len());
    assert!(html.contains("Checked on: 2026-01-15"));
}

#[test]
fn slugs_are_file_safe_and_unique_ignoring_case() {
    let slugs = unique_slugs(["A/B", "A_B", "a_b", "Hà Nội", ""].into_iter());
    assert_eq!(slugs["A/B"], "A_B");
    assert_eq!(slugs["A_B"], "A_B-2");
    assert_eq!(slugs["a_b"], "a_b-3");
    assert_eq!(slugs["Hà Nội"], "H__N_i");
    assert_eq!(slugs[""], "_");
}

#[test]
fn names_and_ids_from_the_data_are_text_on_every_page_never_markup() {
    let set = builtin("vn-ministry").expect("built-in set");
    let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid set");
    // Units whose ids and names carry markup, an event handler and a quote breaking out of
    // an attribute; a period with markup too.
    let data = "unit,name,block,period,dt-online-dossiers,hr-staff-trained\n\
        \"<img-src=x>\",\"<script>alert('tên')</script>\",ministry-with-public-services,2025,80,40\n\
        \"a\"\"b\",\"\"\" onmouseover=\"\"alert(1)\",ministry-with-public-services,2025,60,30\n\
        M03,<b>Bộ &amp; ngành</b>,ministry-without-public-services,2025,40,20\n";
    let dataset = dti_core::load_data("hostile.csv", data.as_bytes(), &framework).dataset.expect("valid data");
    let as_of = dti_core::period::Date::new(2026, 1, 15);
    let site = Site::evaluate(&framework, dataset, "f".repeat(64).as_str(), "d".repeat(64).as_str(), as_of)
        .expect("evaluates");
    let mut pages = 0;
    for style in [LinkStyle::Files, LinkStyle::Hash] {
        for lang in [Lang::Vi, Lang::En] {
            for route in site.routes() {
                let html = site.page(&route, lang, style).expect("renders");
                for markup in ["<script>alert", "<img-src", "\" onmouseover=\"", "<b>Bộ"] {
                    assert!(!html.contains(markup), "{route:?}: `{markup}` reached the page as markup");
                }
                pages += 1;
            }
        }
    }
    assert!(pages > 12, "every page of both link styles and languages: {pages}");
    let rankings = site.page(&Route::Period(0), Lang::Vi, LinkStyle::Files).expect("renders");
    assert!(
        rankings.contains("&lt;script&gt;alert(&#39;tên&#39;)&lt;/script&gt;")
            || rankings.contains("&lt;script&gt;alert('tên')&lt;/script&gt;"),
        "the name is shown, escaped"
    );
}

#[test]
fn a_unit_with_a_refused_value_is_ranked_and_flagged_in_both_languages() {
    let set = builtin("vn-ministry").expect("built-in set");
    let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid set");
    let data = "unit,name,block,period,dt-online-dossiers,hr-staff-trained\n\
        M01,Bộ A,ministry-with-public-services,2025,80,40\n\
        M02,Bộ B,ministry-with-public-services,2025,140,30\n";
    let options = dti_core::data::ReadOptions::LENIENT;
    let dataset = dti_core::load_data_with("d.csv", data.as_bytes(), &framework, options).dataset.expect("kept");
    let site = Site::evaluate(&framework, dataset, &"f".repeat(64), &"d".repeat(64), None).expect("evaluates");
    let vi = site.page(&Route::Home, Lang::Vi, LinkStyle::Files).expect("renders");
    let en = site.page(&Route::Home, Lang::En, LinkStyle::Files).expect("renders");
    let row = |html: &str, unit: &str| html.split("data-unit=\"").find(|row| row.starts_with(unit)).map(str::to_owned);
    assert!(row(&vi, "M02").expect("M02 ranked").contains("1 giá trị bị từ chối"));
    assert!(row(&en, "M02").expect("M02 ranked").contains("1 value refused"));
    assert!(!row(&en, "M01").expect("M01 ranked").contains("refused"));
}
