//! `dti-site`: the publication's pages, rendered as HTML from evaluations.
//!
//! The same pages serve two hosts: `dti publish` writes them as a static site (one file
//! per page, relative links, works offline), and the web app's ministry view shows them
//! after evaluating a data file in the browser (links become `#/...` routes). Rendering
//! is pure: no files, no clock. Charts are SVG drawn here; `assets/site.js` (sorting,
//! filtering, search) is the only script, and every page reads without it.
//!
//! [`Site::new`] prepares what every page shares (ranks by block and pillar, rank changes,
//! alerts by unit, name order); then [`Site::page`] renders any [`Route`].

pub mod charts;
pub mod describe;
pub mod html;
mod pages;
mod text;
pub mod vietnamese;

use dti_core::alerts::{AlertContext, AlertView, check_alerts};
use dti_core::assessment::{NoPlan, PlanStep, unit_plans};
use dti_core::period::Date;
use dti_core::series::evaluate_series;
use dti_core::{Dataset, EvalError, EvaluateOptions, Evaluation, Framework, Provenance};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

pub use charts::truncate;
pub use html::escape;
pub use text::{Lang, PageLanguage};

/// The stylesheet every page uses.
pub const STYLE: &str = include_str!("../assets/site.css");
/// The script that sorts, filters and searches tables (pages work without it).
pub const SCRIPT: &str = include_str!("../assets/site.js");

/// A page of the publication.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// The rankings of the latest period.
    Home,
    /// The rankings of a period (by its index in the series).
    Period(usize),
    /// A unit's page (by its id).
    Unit(String),
    /// The alerts of the latest period.
    Alerts,
    /// How the index is computed, from the indicator file.
    Methodology,
}

/// How pages link to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStyle {
    /// Relative file paths (`units/M05.html`), with open-data downloads: `dti publish`.
    Files,
    /// `#/unit/M05` routes for a single-page app, without downloads: the web app.
    Hash,
}

/// A unit's improvement plan, or why it has none.
type Plan = Result<Vec<PlanStep>, NoPlan>;

/// How many steps a unit's improvement plan shows.
const PLAN_STEPS: usize = 5;

/// How many units' improvement plans are computed together (see [`Site::prepare_plans`]).
const PLAN_BATCH: usize = 64;

/// What the publication is made of, prepared once for every page.
pub struct Site {
    /// Every period's evaluation, in time order.
    pub series: Vec<Evaluation>,
    /// The data evaluated (for improvement plans).
    pub dataset: Dataset,
    /// SHA-256 of the indicator file.
    pub framework_sha: String,
    /// The alerts of the latest period.
    pub alerts: Vec<AlertView>,
    /// The date the alerts were checked on (`YYYY-MM-DD`), shown with them.
    pub as_of: Option<String>,
    /// The source files published beside the pages (file name in `data/`, SHA-256).
    pub sources: Vec<(String, String)>,
    /// Whether the web app is published in `app/` (the header then links to it).
    pub app: bool,
    /// Per period: each unit's rank in its block at every pillar (children of the root).
    pillar_ranks: Vec<Vec<Vec<Option<u32>>>>,
    /// Per period: each unit's block-rank change since the previous period (positive = up).
    rank_changes: Vec<Vec<Option<i64>>>,
    /// Alerts of the latest period by unit id: indices into `alerts`.
    alerts_by_unit: HashMap<String, Vec<usize>>,
    /// File-safe names of units and periods.
    unit_slugs: HashMap<String, String>,
    period_slugs: Vec<String>,
    /// Every unit id ever seen, in Vietnamese order of names: its position.
    name_order: HashMap<String, u32>,
    /// Every unit id ever seen: its name and id folded for searching (`vietnamese::fold`).
    search_keys: HashMap<String, String>,
    /// Per period: each unit's position by id.
    positions: Vec<HashMap<String, usize>>,
    /// The latest period's blocks: how many units, and the median share of each pillar.
    blocks: HashMap<Option<String>, BlockSummary>,
    /// The units' improvement plans (latest period, by position), computed a batch of
    /// [`PLAN_BATCH`] units at a time when first shown.
    plans: Vec<OnceLock<Vec<Option<Plan>>>>,
}

impl Site {
    /// Prepares the pages of a series (time order, at least one period) and the alerts of
    /// its latest period.
    pub fn new(
        series: Vec<Evaluation>,
        dataset: Dataset,
        framework_sha: &str,
        alerts: Vec<AlertView>,
        as_of: Option<String>,
    ) -> Self {
        let pillar_ranks = series.iter().map(pillar_block_ranks).collect();
        let rank_changes = (0..series.len())
            .map(|index| match index.checked_sub(1) {
                Some(previous) => block_rank_changes(&series[index], &series[previous]),
                None => vec![None; series[index].n_units()],
            })
            .collect();
        let mut alerts_by_unit: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, alert) in alerts.iter().enumerate() {
            alerts_by_unit.entry(alert.unit.clone()).or_default().push(index);
        }
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for evaluation in &series {
            for unit in evaluation.units.iter() {
                names.insert(unit.id.clone(), unit.name.clone());
            }
        }
        let mut ids: Vec<&String> = names.keys().collect();
        // As `vietnamese::compare`, then by id; each key computed once.
        ids.sort_by_cached_key(|id| (vietnamese::sort_key(&names[*id]), names[*id].clone(), (*id).clone()));
        let name_order = ids.iter().enumerate().map(|(order, id)| ((*id).clone(), order as u32)).collect();
        let search_keys = names
            .iter()
            .map(|(id, name)| (id.clone(), format!("{} {}", vietnamese::fold(name), vietnamese::fold(id))))
            .collect();
        let unit_slugs = unique_slugs(names.keys().map(String::as_str));
        let period_slugs = {
            let slugs = unique_slugs(series.iter().map(|evaluation| evaluation.period.as_str()));
            series.iter().map(|evaluation| slugs[&evaluation.period].clone()).collect()
        };
        let positions = series
            .iter()
            .map(|evaluation| {
                evaluation.units.iter().enumerate().map(|(position, unit)| (unit.id.clone(), position)).collect()
            })
            .collect();
        let latest = &series[series.len() - 1];
        let blocks = block_summaries(latest);
        let plans = (0..latest.n_units().div_ceil(PLAN_BATCH)).map(|_| OnceLock::new()).collect();
        Site {
            series,
            dataset,
            framework_sha: framework_sha.to_owned(),
            alerts,
            as_of,
            sources: Vec::new(),
            app: false,
            pillar_ranks,
            rank_changes,
            alerts_by_unit,
            unit_slugs,
            period_slugs,
            name_order,
            search_keys,
            positions,
            blocks,
            plans,
        }
    }

    /// A unit's name and id folded for searching (every unit of the series has one).
    pub(crate) fn search_key(&self, id: &str) -> &str {
        self.search_keys.get(id).map_or("", String::as_str)
    }

    /// A unit's position in a period's evaluation.
    pub fn position(&self, period: usize, id: &str) -> Option<usize> {
        self.positions.get(period)?.get(id).copied()
    }

    /// A block of the latest period: its size and its pillars' median shares.
    fn block(&self, block: Option<&str>) -> Option<&BlockSummary> {
        self.blocks.get(&block.map(str::to_owned))
    }

    /// The improvement plan of the unit at `position` in the latest period (`None` when
    /// its data has no such period).
    fn plan(&self, position: usize) -> Option<&Plan> {
        self.plan_batch(position / PLAN_BATCH)?.get(position % PLAN_BATCH)?.as_ref()
    }

    /// How many batches of improvement plans the unit pages show (see [`Site::prepare_plans`]).
    pub fn plan_batches(&self) -> usize {
        self.plans.len()
    }

    /// Computes a batch of improvement plans now rather than when a unit page first shows
    /// one: a publisher's threads can share the batches out before rendering the pages.
    pub fn prepare_plans(&self, batch: usize) {
        self.plan_batch(batch);
    }

    /// The plans of the units at positions `batch * PLAN_BATCH..`, computed once, together:
    /// far faster than one by one, with the same steps.
    fn plan_batch(&self, batch: usize) -> Option<&Vec<Option<Plan>>> {
        let evaluation = self.latest();
        let batch_positions = batch * PLAN_BATCH..((batch + 1) * PLAN_BATCH).min(evaluation.n_units());
        Some(self.plans.get(batch)?.get_or_init(|| {
            let Some(period) = self.dataset.period_index(&evaluation.period) else {
                return vec![None; batch_positions.len()];
            };
            let units: Vec<usize> = batch_positions.map(|position| evaluation.units.dataset_index(position)).collect();
            match unit_plans(&evaluation.framework, &self.framework_sha, &self.dataset, period, &units, PLAN_STEPS) {
                Ok(plans) => plans.into_iter().map(|plan| Some(Ok(plan))).collect(),
                Err(no_plan) => vec![Some(Err(no_plan)); units.len()],
            }
        }))
    }

    /// Evaluates every period of the data and checks the latest period's alerts (as of
    /// `as_of`: evidence ages and deadlines count from it), then prepares the pages.
    pub fn evaluate(
        framework: &Framework,
        dataset: Dataset,
        framework_sha: &str,
        data_sha: &str,
        as_of: Option<Date>,
    ) -> Result<Self, EvalError> {
        let options = EvaluateOptions {
            provenance: Provenance::new(framework_sha.to_owned(), data_sha.to_owned()),
            ..EvaluateOptions::default()
        };
        let series = evaluate_series(framework, &dataset, &options)?;
        if series.is_empty() {
            return Err(EvalError::NoData);
        }
        let context = AlertContext { dataset: &dataset, series: &series, as_of, verified: None };
        let alerts = check_alerts(&context).views(framework, &dataset);
        let as_of = as_of.map(|date| date.to_string());
        Ok(Self::new(series, dataset, framework_sha, alerts, as_of))
    }

    /// The latest evaluation.
    pub fn latest(&self) -> &Evaluation {
        &self.series[self.series.len() - 1]
    }

    /// Every page of the publication: the rankings, each period, each unit of the latest
    /// period, the alerts and the methodology.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = vec![Route::Home, Route::Alerts, Route::Methodology];
        routes.extend((0..self.series.len()).map(Route::Period));
        routes.extend(self.latest().units.iter().map(|unit| Route::Unit(unit.id.clone())));
        routes
    }

    /// Where a page lives in the static site, relative to a language's root.
    pub fn path(&self, route: &Route) -> String {
        match route {
            Route::Home => "index.html".into(),
            Route::Period(index) => {
                format!("periods/{}.html", self.period_slugs.get(*index).map_or("unknown", String::as_str))
            }
            Route::Unit(id) => format!("units/{}.html", self.unit_slug(id)),
            Route::Alerts => "alerts.html".into(),
            Route::Methodology => "methodology.html".into(),
        }
    }

    /// The route of a `#/...` address (the web app's), if any.
    pub fn route_of_hash(&self, hash: &str) -> Option<Route> {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (kind, rest) = path.split_once('/').unwrap_or((path, ""));
        match kind {
            "" => Some(Route::Home),
            "alerts" => Some(Route::Alerts),
            "methodology" => Some(Route::Methodology),
            "period" => self.period_slugs.iter().position(|slug| slug == rest).map(Route::Period),
            "unit" => self.unit_slugs.iter().find(|(_, slug)| *slug == rest).map(|(id, _)| Route::Unit(id.clone())),
            _ => None,
        }
    }

    /// The file-safe name of a period (by index), as its open-data files are named.
    pub fn period_slug(&self, index: usize) -> &str {
        &self.period_slugs[index]
    }

    fn unit_slug<'s>(&'s self, id: &'s str) -> &'s str {
        self.unit_slugs.get(id).map_or(id, String::as_str)
    }

    /// A page's content: navigation, the page and the reproducibility footer, as an HTML
    /// fragment (what the web app shows). `None` for an unknown unit or period.
    pub fn page(&self, route: &Route, lang: Lang, links: LinkStyle) -> Option<String> {
        let nav = pages::Nav::new(self, lang, links, route.clone());
        pages::render(&nav)
    }

    /// A page as a complete HTML document for the static site, linking `site.css` and
    /// `site.js` at the site's root.
    pub fn document(&self, route: &Route, lang: Lang) -> Option<String> {
        let nav = pages::Nav::new(self, lang, LinkStyle::Files, route.clone());
        let body = pages::render(&nav)?;
        Some(html::document(&pages::title(&nav), lang, nav.root_prefix(), &body))
    }
}

/// Each unit's rank within its block at every child of the root, per pillar.
fn pillar_block_ranks(evaluation: &Evaluation) -> Vec<Vec<Option<u32>>> {
    let framework = &evaluation.framework;
    framework.nodes[framework.root()].children.iter().map(|&pillar| evaluation.block_ranks_of(pillar)).collect()
}

/// A block of an evaluation, summarised for its units' pages.
struct BlockSummary {
    /// How many units it has.
    units: usize,
    /// The median share of each pillar (children of the root) over its units.
    medians: Vec<Option<f64>>,
}

/// Each block's size and median share of each pillar.
fn block_summaries(evaluation: &Evaluation) -> HashMap<Option<String>, BlockSummary> {
    let framework = &evaluation.framework;
    evaluation
        .blocks_in_order()
        .into_iter()
        .map(|(block, members)| {
            let medians = framework.nodes[framework.root()]
                .children
                .iter()
                .map(|&pillar| {
                    let shares: Vec<f64> = members.iter().filter_map(|&unit| evaluation.share(pillar, unit)).collect();
                    dti_core::pipeline::stats::median(&shares)
                })
                .collect();
            (block.map(str::to_owned), BlockSummary { units: members.len(), medians })
        })
        .collect()
}

/// Places gained in the block since the previous period (for units in the same block).
fn block_rank_changes(current: &Evaluation, previous: &Evaluation) -> Vec<Option<i64>> {
    let before: HashMap<&str, usize> =
        previous.units.iter().enumerate().map(|(position, unit)| (unit.id.as_str(), position)).collect();
    current
        .units
        .iter()
        .enumerate()
        .map(|(position, unit)| {
            let old = *before.get(unit.id.as_str())?;
            if previous.units[old].block != unit.block {
                return None;
            }
            let now = current.block_rank[position]?;
            let then = previous.block_rank[old]?;
            Some(i64::from(then) - i64::from(now))
        })
        .collect()
}

/// File-safe, unique names (also on case-insensitive file systems): letters, digits, `-`
/// and `_` kept, anything else `_`; a name taken already gets `-2`, `-3`, ...
fn unique_slugs<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, String> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut slugs = HashMap::new();
    for name in names {
        if slugs.contains_key(name) {
            continue;
        }
        let base: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        let base = if base.is_empty() { "_".to_owned() } else { base };
        let slug = (1..)
            .map(|count| if count == 1 { base.clone() } else { format!("{base}-{count}") })
            .find(|slug| !taken.contains(&slug.to_ascii_lowercase()))
            .unwrap_or_default();
        taken.insert(slug.to_ascii_lowercase());
        slugs.insert(name.to_owned(), slug);
    }
    slugs
}

#[cfg(test)]
mod tests;
