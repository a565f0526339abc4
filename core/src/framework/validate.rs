//! From a raw indicator file to a checked [`Framework`], collecting every problem.

use super::locate::{FieldPath, Locator};
use super::raw::*;
use super::*;
use crate::diag::{Code, Diagnostic, Severity};
use std::collections::{BTreeMap, BTreeSet};

mod alert_rules;

/// Checks a raw framework. Returns the framework when it could be built (it may still
/// come with warnings) and every diagnostic, each located in the source.
pub fn validate(raw: &RawFramework, locator: &Locator<'_>) -> (Option<Framework>, Vec<Diagnostic>) {
    let mut checker = Checker { locator, diagnostics: Vec::new() };
    let framework = checker.framework(raw);
    let diagnostics = checker.diagnostics;
    let framework = if diagnostics.iter().any(|d| d.severity == Severity::Error) { None } else { framework };
    (framework, diagnostics)
}

struct Checker<'a, 'b> {
    locator: &'a Locator<'b>,
    diagnostics: Vec<Diagnostic>,
}

fn root_path() -> FieldPath {
    FieldPath::root()
}

/// Where an id may be declared: in `nodes` or in `indicators`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Node(usize),
    Indicator(usize),
}

impl Origin {
    fn path(self) -> FieldPath {
        match self {
            Origin::Node(index) => root_path().key("nodes").index(index),
            Origin::Indicator(index) => root_path().key("indicators").index(index),
        }
    }
}

impl Checker<'_, '_> {
    fn report(&mut self, severity: Severity, code: Code, message: String, path: &FieldPath, hint: Option<String>) {
        let location = self.locator.locate(path);
        let mut diagnostic = Diagnostic { severity, code, message, location, hints: Vec::new() };
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn error(&mut self, code: Code, message: impl Into<String>, path: &FieldPath) {
        self.report(Severity::Error, code, message.into(), path, None);
    }

    fn error_hint(&mut self, code: Code, message: impl Into<String>, path: &FieldPath, hint: impl Into<String>) {
        self.report(Severity::Error, code, message.into(), path, Some(hint.into()));
    }

    fn warning(&mut self, code: Code, message: impl Into<String>, path: &FieldPath, hint: Option<String>) {
        self.report(Severity::Warning, code, message.into(), path, hint);
    }

    /// A name or description, checked against [`crate::limits::MAX_TEXT_CHARS`].
    fn checked_text(&mut self, raw: &Option<RawText>, fallback: &str, path: &FieldPath) -> Text {
        let text = Self::text(raw, fallback);
        for (language, value) in [("vi", &text.vi), ("en", &text.en)] {
            if crate::limits::longer_than(value, crate::limits::MAX_TEXT_CHARS) {
                let message =
                    format!("this text ({language}) is longer than {} characters", crate::limits::MAX_TEXT_CHARS);
                self.error(Code::TooLarge, message, path);
                break;
            }
        }
        text
    }

    fn text(raw: &Option<RawText>, fallback: &str) -> Text {
        match raw {
            Some(RawText::Plain(text)) => Text::plain(text.clone()),
            Some(RawText::Localised { vi, en }) => {
                let vi_text = vi.clone().or_else(|| en.clone()).unwrap_or_else(|| fallback.to_owned());
                let en_text = en.clone().or_else(|| vi.clone()).unwrap_or_else(|| fallback.to_owned());
                Text { vi: vi_text, en: en_text }
            }
            None => Text::plain(fallback),
        }
    }

    fn id(&mut self, raw: &Option<String>, path: &FieldPath, what: &str) -> Option<String> {
        match raw {
            None => {
                self.error(Code::MissingField, format!("{what} has no `id`"), path);
                None
            }
            Some(id) if let Some(message) = crate::limits::too_long("the id", id, crate::limits::MAX_ID_CHARS) => {
                self.error(Code::TooLarge, message, &path.key("id"));
                None
            }
            Some(id) if !valid_id(id) => {
                self.error_hint(
                    Code::EmptyId,
                    format!("`{id}` is not a valid id"),
                    &path.key("id"),
                    "ids are not empty and contain no spaces, commas, quotes or control characters",
                );
                None
            }
            Some(id) if crate::text::nfc(id) != id.as_str() => {
                self.error_hint(
                    Code::EmptyId,
                    format!("`{id}` is written with combining marks, not in Unicode NFC form"),
                    &path.key("id"),
                    "retype the id with precomposed letters: ids are compared in NFC, so that two ids that print the same are one id",
                );
                None
            }
            Some(id) => Some(id.clone()),
        }
    }

    fn finite(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !number.is_finite() => {
                self.error(Code::BadNumber, format!("`{name}` must be a finite number"), path);
                None
            }
            Some(number) if number.abs() > crate::limits::MAX_NUMBER => {
                self.error(
                    Code::BadNumber,
                    format!(
                        "`{name}` is {number:e}, larger than the {:e} this tool computes with",
                        crate::limits::MAX_NUMBER
                    ),
                    path,
                );
                None
            }
            other => other,
        }
    }

    fn share(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        let value = self.finite(value, path, name)?;
        if !(0.0..=1.0).contains(&value) {
            self.error_hint(
                Code::BadNumber,
                format!("`{name}` is {value}, outside 0 to 1"),
                path,
                "give a share, e.g. 0.9 for 90%",
            );
            return None;
        }
        Some(value)
    }

    fn positive(&mut self, value: Option<f64>, path: &FieldPath, name: &str) -> Option<f64> {
        match value {
            Some(number) if !(number.is_finite() && number > 0.0) => {
                self.error_hint(
                    Code::BadWeight,
                    format!("`{name}` is {number}; it must be positive and finite"),
                    path,
                    "use 0 < weight; to keep an indicator without points, set `info_only = true`",
                );
                None
            }
            Some(number) if name == "weight" && number > crate::limits::MAX_WEIGHT => {
                self.error_hint(
                    Code::BadWeight,
                    format!("`weight` is {number:e}, more than the {:e} this tool allows", crate::limits::MAX_WEIGHT),
                    path,
                    "weights are relative: 2 weighs twice as much as 1",
                );
                None
            }
            Some(number) if number > crate::limits::MAX_NUMBER => {
                self.error(
                    Code::BadNumber,
                    format!(
                        "`{name}` is {number:e}, larger than the {:e} this tool computes with",
                        crate::limits::MAX_NUMBER
                    ),
                    path,
                );
                None
            }
            other => other,
        }
    }

    fn framework(&mut self, raw: &RawFramework) -> Option<Framework> {
        let root = root_path();
        let id = self.id(&raw.id, &root, "the indicator file").unwrap_or_default();
        let version = raw.version.clone().unwrap_or_else(|| "0".to_owned());
        let title = Self::text(&raw.title, &id);
        let description = raw.description.as_ref().map(|text| Self::text(&Some(text.clone()), ""));

        let blocks = self.blocks(&raw.blocks);
        let groups = self.variables(&raw.groups, "groups");
        let denominators = self.variables(&raw.denominators, "denominators");
        let pipeline = self.pipeline(raw.pipeline.as_ref(), &groups);
        let default_scoring = raw.pipeline.as_ref().and_then(|pipeline| pipeline.normalise.clone());
        let default_aggregation = raw.pipeline.as_ref().and_then(|pipeline| pipeline.aggregate.clone());
        let default_coverage = raw.pipeline.as_ref().and_then(|pipeline| pipeline.min_coverage);

        let context = TreeContext {
            blocks: &blocks,
            denominators: &denominators,
            default_scoring: default_scoring.as_ref(),
            default_aggregation: default_aggregation.as_ref(),
            default_coverage,
        };
        let nodes = self.tree(raw, &context)?;
        let levels = self.levels(&raw.levels, &nodes);
        let alerts = self.alerts(&raw.alerts, &nodes, &blocks, &levels);
        let scale = self.scale(raw.scale.as_ref(), &nodes);
        Some(Framework {
            id,
            version,
            title,
            description,
            scale,
            pipeline,
            blocks,
            groups,
            denominators,
            nodes,
            levels,
            alerts,
        })
    }

    fn blocks(&mut self, raw: &[RawBlock]) -> Vec<Block> {
        let mut seen = BTreeSet::new();
        let mut blocks = Vec::new();
        for (index, block) in raw.iter().enumerate() {
            let path = root_path().key("blocks").index(index);
            let Some(id) = self.id(&block.id, &path, "a block") else { continue };
            if !seen.insert(id.clone()) {
                self.error(Code::DuplicateId, format!("block `{id}` is declared twice"), &path.key("id"));
                continue;
            }
            blocks.push(Block { name: self.checked_text(&block.name, &id, &path.key("name")), id });
        }
        blocks
    }

    fn variables(&mut self, raw: &[RawVariable], key: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for (index, variable) in raw.iter().enumerate() {
            let path = root_path().key(key).index(index);
            let Some(id) = self.id(&variable.id, &path, "a variable") else { continue };
            if ids.contains(&id) {
                self.error(Code::DuplicateId, format!("`{id}` is declared twice in `{key}`"), &path.key("id"));
                continue;
            }
            ids.push(id);
        }
        ids
    }

    fn pipeline(&mut self, raw: Option<&RawPipeline>, groups: &[String]) -> Pipeline {
        let path = root_path().key("pipeline");
        let default = RawPipeline::default();
        let raw = raw.unwrap_or(&default);
        let impute = match &raw.impute {
            None => Impute::None,
            Some(impute) => self.impute(impute, &path.key("impute"), groups),
        };
        let screen = raw.screen.as_ref().and_then(|screen| {
            let screen_path = path.key("screen").key("min_coverage");
            if screen.min_coverage.is_none() {
                self.error(Code::MissingParameter, "`screen` needs `min_coverage`", &path.key("screen"));
            }
            self.share(screen.min_coverage, &screen_path, "min_coverage")
        });
        let treat = raw.treat.as_ref().map(|treat| {
            let treat_path = path.key("treat");
            let defaults = Treat::default();
            let skew = self.positive(treat.skew, &treat_path.key("skew"), "skew").unwrap_or(defaults.skew);
            let kurtosis =
                self.finite(treat.kurtosis, &treat_path.key("kurtosis"), "kurtosis").unwrap_or(defaults.kurtosis);
            let log_fallback = match treat.fallback.as_deref() {
                None | Some("log") => true,
                Some("none") => false,
                Some(other) => {
                    self.error_hint(
                        Code::WrongType,
                        format!("unknown treatment fallback `{other}`"),
                        &treat_path.key("fallback"),
                        "use `log` or `none`",
                    );
                    true
                }
            };
            let winmax = treat.winmax.unwrap_or(defaults.winmax);
            if winmax > crate::limits::MAX_WINSORISE_POINTS {
                self.error(
                    Code::BadNumber,
                    format!(
                        "`winmax` is {winmax}, more than the {} points this tool winsorises",
                        crate::limits::MAX_WINSORISE_POINTS
                    ),
                    &treat_path.key("winmax"),
                );
            }
            Treat { winmax: winmax.min(crate::limits::MAX_WINSORISE_POINTS), skew, kurtosis, log_fallback }
        });
        let missing = match raw.missing.as_deref() {
            None | Some("skip") => Missing::Skip,
            Some("zero") => Missing::Zero,
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown `missing` value `{other}`"),
                    &path.key("missing"),
                    "use `skip` or `zero`",
                );
                Missing::Skip
            }
        };
        if let Some(coverage) = raw.min_coverage {
            self.share(Some(coverage), &path.key("min_coverage"), "min_coverage");
        }
        Pipeline { denominate: raw.denominate.unwrap_or(false), impute, screen, treat, missing }
    }

    fn impute(&mut self, raw: &RawImpute, path: &FieldPath, groups: &[String]) -> Impute {
        let group = |checker: &mut Self| -> String {
            match &raw.group {
                Some(group) if groups.contains(group) => group.clone(),
                Some(group) => {
                    checker.error_hint(
                        Code::UnknownReference,
                        format!("group `{group}` is not declared"),
                        &path.key("group"),
                        "declare it in `[[groups]]`; it names a column of the data",
                    );
                    group.clone()
                }
                None => {
                    checker.error(Code::MissingParameter, "group imputation needs `group`", path);
                    String::new()
                }
            }
        };
        match raw.method.as_deref() {
            None | Some("none") => Impute::None,
            Some("mean") => Impute::Mean,
            Some("median") => Impute::Median,
            Some("group-mean") => Impute::GroupMean(group(self)),
            Some("group-median") => Impute::GroupMedian(group(self)),
            Some("previous-period") => Impute::PreviousPeriod,
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown imputation method `{other}`"),
                    &path.key("method"),
                    "use none, mean, median, group-mean, group-median or previous-period",
                );
                Impute::None
            }
        }
    }

    fn scale(&mut self, raw: Option<&RawScale>, nodes: &[Node]) -> Scale {
        let path = root_path().key("scale");
        let default = RawScale::default();
        let raw = raw.unwrap_or(&default);
        let root_range = nodes.last().and_then(|root| root.range);
        let root_max = root_range.map_or(1.0, |range| range.high);
        let max = self.positive(raw.max, &path.key("max"), "max").unwrap_or(root_max);
        // The scale is the root's: another maximum would make the published score (on the
        // scale) and the results files and levels (on the root's points) disagree.
        if let (Some(declared), Some(range)) = (raw.max, root_range)
            && range.low == 0.0
            && declared != range.high
            && declared.is_finite()
        {
            self.error_hint(
                Code::PointsMismatch,
                format!(
                    "`scale.max` is {}, but the index scores up to {}: the published score and the results files would disagree",
                    format_number(declared),
                    format_number(range.high)
                ),
                &path.key("max"),
                "remove `scale.max`, or make the index's points (its `max_points` or its children's) add up to it",
            );
        }
        let decimals = raw.decimals.unwrap_or(2);
        if decimals > 15 {
            self.error(Code::BadNumber, "`decimals` must be at most 15", &path.key("decimals"));
        }
        if raw.rank_decimals.is_some_and(|decimals| decimals > 15) {
            self.error(Code::BadNumber, "`rank_decimals` must be at most 15", &path.key("rank_decimals"));
        }
        Scale {
            max,
            decimals: decimals.min(15),
            rank_decimals: raw.rank_decimals.map(|d| d.min(15)),
            unit: raw.unit.as_ref().map(|unit| Self::text(&Some(unit.clone()), "")),
        }
    }
}

struct TreeContext<'a> {
    blocks: &'a [Block],
    denominators: &'a [String],
    default_scoring: Option<&'a RawScoring>,
    default_aggregation: Option<&'a RawAggregation>,
    default_coverage: Option<f64>,
}

impl Checker<'_, '_> {
    /// Builds the tree: ids, parents, cycles, then every node's details and ranges.
    fn tree(&mut self, raw: &RawFramework, context: &TreeContext<'_>) -> Option<Vec<Node>> {
        let declared = raw.nodes.len() + raw.indicators.len();
        if declared > crate::limits::MAX_NODES {
            let path = if raw.indicators.len() > raw.nodes.len() { "indicators" } else { "nodes" };
            self.error(
                Code::TooLarge,
                format!(
                    "the file declares {declared} nodes and indicators, more than the {} this tool reads",
                    crate::limits::MAX_NODES
                ),
                &root_path().key(path),
            );
            return None;
        }
        // Ids, unique across nodes and indicators.
        let mut ids: BTreeMap<String, Origin> = BTreeMap::new();
        let mut entries: Vec<(String, Origin, Option<String>)> = Vec::new();
        let declared =
            raw.nodes.iter().enumerate().map(|(index, node)| (Origin::Node(index), &node.id, &node.parent)).chain(
                raw.indicators
                    .iter()
                    .enumerate()
                    .map(|(index, indicator)| (Origin::Indicator(index), &indicator.id, &indicator.parent)),
            );
        for (origin, id, parent) in declared {
            let what = if matches!(origin, Origin::Node(_)) { "a node" } else { "an indicator" };
            let Some(id) = self.id(id, &origin.path(), what) else { continue };
            if let Some(first) = ids.get(&id) {
                let first_location = self.locator.locate(&first.path().key("id"));
                self.error_hint(
                    Code::DuplicateId,
                    format!("id `{id}` is used twice"),
                    &origin.path().key("id"),
                    format!("first used at line {}", first_location.line),
                );
                continue;
            }
            ids.insert(id.clone(), origin);
            entries.push((id, origin, parent.clone()));
        }

        // Parents.
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut roots = Vec::new();
        for (id, origin, parent) in &entries {
            match parent {
                None if matches!(origin, Origin::Indicator(_)) => {
                    self.error_hint(
                        Code::MissingField,
                        format!("indicator `{id}` has no `parent`"),
                        &origin.path(),
                        "name the pillar it belongs to",
                    );
                }
                None => roots.push(id.clone()),
                Some(parent) => match ids.get(parent) {
                    None => {
                        let hint = closest(parent, ids.keys()).map(|near| format!("did you mean `{near}`?"));
                        let hint = hint.unwrap_or_else(|| "declare the parent in `[[nodes]]`".to_owned());
                        self.error_hint(
                            Code::DanglingParent,
                            format!("parent `{parent}` of `{id}` does not exist"),
                            &origin.path().key("parent"),
                            hint,
                        );
                    }
                    Some(Origin::Indicator(_)) => {
                        self.error_hint(
                            Code::IndicatorAsParent,
                            format!("`{parent}` is an indicator and cannot be the parent of `{id}`"),
                            &origin.path().key("parent"),
                            "indicators are leaves; make the parent a node",
                        );
                    }
                    Some(Origin::Node(_)) => children.entry(parent.clone()).or_default().push(id.clone()),
                },
            }
        }

        // Cycles: follow parents from every id, each id walked once (a chain of thousands
        // of nodes must not take quadratic time).
        let parent_of: BTreeMap<&str, &str> =
            entries.iter().filter_map(|(id, _, parent)| Some((id.as_str(), parent.as_deref()?))).collect();
        let index_of: BTreeMap<&str, usize> =
            entries.iter().enumerate().map(|(index, (id, _, _))| (id.as_str(), index)).collect();
        let parents: Vec<Option<usize>> = entries
            .iter()
            .map(|(id, _, _)| parent_of.get(id.as_str()).and_then(|parent| index_of.get(parent).copied()))
            .collect();
        let mut in_cycle = BTreeSet::new();
        for cycle in cycles(&parents) {
            for (position, &member) in cycle.iter().enumerate() {
                let (id, origin, _) = &entries[member];
                if in_cycle.insert(id.clone()) {
                    let names: Vec<&str> = cycle.iter().map(|&index| entries[index].0.as_str()).collect();
                    let chain = cycle_chain(&names, position);
                    self.error(
                        Code::Cycle,
                        format!("`{id}` is its own ancestor: {chain}"),
                        &origin.path().key("parent"),
                    );
                }
            }
        }

        let root_id = match roots.as_slice() {
            [root] => root.clone(),
            [] => {
                if !entries.is_empty() && in_cycle.is_empty() {
                    self.error_hint(
                        Code::NoRoot,
                        "no node without a parent: the tree has no root",
                        &root_path().key("nodes"),
                        "the index is the one node without `parent`",
                    );
                } else if entries.is_empty() {
                    self.error_hint(
                        Code::NoRoot,
                        "the indicator file declares no nodes and no indicators",
                        &root_path(),
                        "add `[[nodes]]` for the index and pillars and `[[indicators]]`",
                    );
                }
                return None;
            }
            several => {
                let list = several.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
                for id in several.iter().skip(1) {
                    let origin = ids[id];
                    self.error_hint(
                        Code::NoRoot,
                        format!("several nodes have no parent: {list}"),
                        &origin.path(),
                        "one node is the index; give the others a `parent`",
                    );
                }
                return None;
            }
        };

        // Children-first order by depth-first walk from the root.
        let mut order = Vec::new();
        let mut stack = vec![(root_id.clone(), false)];
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                order.push(id);
                continue;
            }
            stack.push((id.clone(), true));
            if let Some(kids) = children.get(&id) {
                for kid in kids.iter().rev() {
                    stack.push((kid.clone(), false));
                }
            }
        }
        let position: BTreeMap<&str, usize> =
            order.iter().enumerate().map(|(index, id)| (id.as_str(), index)).collect();

        // A node left empty because a child names a misspelt parent is already reported.
        let dangling = self.diagnostics.iter().any(|d| d.code == Code::DanglingParent);
        let mut nodes = Vec::with_capacity(order.len());
        let mut origins = Vec::with_capacity(order.len());
        for id in &order {
            let origin = ids[id];
            let parent = parent_of.get(id.as_str()).and_then(|parent| position.get(parent).copied());
            let kids: Vec<usize> = children
                .get(id)
                .map(|kids| kids.iter().filter_map(|kid| position.get(kid.as_str()).copied()).collect())
                .unwrap_or_default();
            let node = match origin {
                Origin::Node(index) => {
                    self.aggregate_node(&raw.nodes[index], id, parent, kids, &origin.path(), context, dangling)
                }
                Origin::Indicator(index) => {
                    self.indicator_node(&raw.indicators[index], id, parent, &origin.path(), context)
                }
            };
            nodes.push(node);
            origins.push(origin);
        }
        // Depths, from the root down.
        for index in (0..nodes.len()).rev() {
            let depth = nodes[index].parent.map_or(0, |parent| nodes[parent].depth + 1);
            nodes[index].depth = depth;
        }
        if let Some(deepest) = (0..nodes.len()).max_by_key(|&index| nodes[index].depth)
            && nodes[deepest].depth > crate::limits::MAX_DEPTH
        {
            self.error_hint(
                Code::TooLarge,
                format!(
                    "`{}` is {} levels below the index, more than the {} this tool reads",
                    nodes[deepest].id,
                    nodes[deepest].depth,
                    crate::limits::MAX_DEPTH
                ),
                &origins[deepest].path().key("parent"),
                "an index, pillars, sub-pillars and indicators need a handful of levels",
            );
            return None;
        }
        self.ranges(&mut nodes, &origins);
        Some(nodes)
    }

    #[allow(clippy::too_many_arguments, reason = "the node's parts and where it is")]
    fn aggregate_node(
        &mut self,
        raw: &RawNode,
        id: &str,
        parent: Option<usize>,
        children: Vec<usize>,
        path: &FieldPath,
        context: &TreeContext<'_>,
        dangling: bool,
    ) -> Node {
        if children.is_empty() && !dangling {
            self.error_hint(
                Code::EmptyNode,
                format!("node `{id}` has no children"),
                path,
                "add indicators with `parent` set to it, or remove it",
            );
        }
        let weight = self.positive(raw.weight, &path.key("weight"), "weight").unwrap_or(1.0);
        let max_points = self.positive(raw.max_points, &path.key("max_points"), "max_points");
        let method = match raw.aggregate.as_ref().or(context.default_aggregation) {
            Some(aggregation) => self.aggregation(aggregation, &path.key("aggregate")),
            None => Aggregation::Arithmetic,
        };
        let coverage_path = path.key("min_coverage");
        let min_coverage =
            self.share(raw.min_coverage.or(context.default_coverage), &coverage_path, "min_coverage").unwrap_or(0.0);
        Node {
            id: id.to_owned(),
            name: self.checked_text(&raw.name, id, &path.key("name")),
            description: raw
                .description
                .as_ref()
                .map(|text| self.checked_text(&Some(text.clone()), "", &path.key("description"))),
            parent,
            children,
            weight,
            depth: 0,
            range: None,
            kind: NodeKind::Aggregate { method, min_coverage, max_points },
        }
    }

    fn aggregation(&mut self, raw: &RawAggregation, path: &FieldPath) -> Aggregation {
        let (name, p) = match raw {
            RawAggregation::Name(name) => (name.as_str(), None),
            RawAggregation::Detailed { method, p } => (method.as_str(), *p),
        };
        match name {
            "sum" => Aggregation::Sum,
            "arithmetic" | "mean" | "amean" => Aggregation::Arithmetic,
            "geometric" | "gmean" => Aggregation::Geometric,
            "harmonic" | "hmean" => Aggregation::Harmonic,
            "minimum" | "min" => Aggregation::Minimum,
            "generalised" | "generalized" | "power" => match p {
                Some(p) if p.is_finite() && p != 0.0 => Aggregation::Generalised(p),
                Some(_) => {
                    self.error_hint(
                        Code::BadNumber,
                        "the exponent `p` of a generalised mean must be finite and not 0",
                        path,
                        "p = 0 is the geometric mean: use `geometric`",
                    );
                    Aggregation::Arithmetic
                }
                None => {
                    self.error(Code::MissingParameter, "a generalised mean needs the exponent `p`", path);
                    Aggregation::Arithmetic
                }
            },
            other => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown aggregation `{other}`"),
                    path,
                    "use sum, arithmetic, geometric, harmonic, generalised or minimum",
                );
                Aggregation::Arithmetic
            }
        }
    }

    fn indicator_node(
        &mut self,
        raw: &RawIndicator,
        id: &str,
        parent: Option<usize>,
        path: &FieldPath,
        context: &TreeContext<'_>,
    ) -> Node {
        let weight = self.positive(raw.weight, &path.key("weight"), "weight").unwrap_or(1.0);
        let max_points = self.positive(raw.max_points, &path.key("max_points"), "max_points");
        let value_type = self.value_type(raw, path);
        let direction = match raw.direction.as_deref() {
            None | Some("higher") | Some("+1") | Some("1") => Direction::Higher,
            Some("lower") | Some("-1") => Direction::Lower,
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown direction `{other}`"),
                    &path.key("direction"),
                    "use `higher` or `lower`",
                );
                Direction::Higher
            }
        };
        let applies_to = raw.applies_to.as_ref().map(|blocks| {
            blocks
                .iter()
                .enumerate()
                .filter_map(|(index, block)| {
                    let found = context.blocks.iter().position(|b| &b.id == block);
                    if found.is_none() {
                        let known = context.blocks.iter().map(|b| format!("`{}`", b.id)).collect::<Vec<_>>().join(", ");
                        self.error_hint(
                            Code::UnknownBlock,
                            format!("block `{block}` is not declared"),
                            &path.key("applies_to").index(index),
                            format!("declared blocks: {known}"),
                        );
                    }
                    found
                })
                .collect()
        });
        let evidence = match raw.evidence.as_deref() {
            None | Some("optional") => Evidence::Optional,
            Some("required") => Evidence::Required,
            Some("none") => Evidence::None,
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown evidence requirement `{other}`"),
                    &path.key("evidence"),
                    "use required, optional or none",
                );
                Evidence::Optional
            }
        };
        let source = match raw.source.as_deref() {
            None | Some("self-reported") => Source::SelfReported,
            Some("measured") => Source::Measured,
            Some("verified") => Source::Verified,
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown data source `{other}`"),
                    &path.key("source"),
                    "use self-reported, measured or verified",
                );
                Source::SelfReported
            }
        };
        let denominator = raw.denominator.as_ref().and_then(|name| {
            let found = context.denominators.iter().position(|d| d == name);
            if found.is_none() {
                self.error_hint(
                    Code::UnknownReference,
                    format!("denominator `{name}` is not declared"),
                    &path.key("denominator"),
                    "declare it in `[[denominators]]`",
                );
            }
            found
        });
        let target = self.finite(raw.target, &path.key("target"), "target");
        let goalposts = raw.goalposts.as_ref().and_then(|goalposts| {
            let gp_path = path.key("goalposts");
            let lower = self.finite(goalposts.lower, &gp_path.key("lower"), "lower")?;
            let upper = self.finite(goalposts.upper, &gp_path.key("upper"), "upper")?;
            let scale = self.finite(goalposts.scale, &gp_path.key("scale"), "scale").unwrap_or(1.0);
            Some(Goalposts { lower, upper, scale, truncate: goalposts.truncate.unwrap_or(true) })
        });
        let info_only = raw.info_only.unwrap_or(false);
        let scoring = self.scoring(raw, &value_type, max_points, target, goalposts, path, context);
        let indicator = Indicator {
            unit: raw.unit.as_ref().map(|unit| Self::text(&Some(unit.clone()), "")),
            value_type,
            direction,
            applies_to,
            info_only,
            evidence,
            source,
            denominator,
            target,
            goalposts,
            scoring,
            treat: raw.treat.unwrap_or(true),
        };
        let mut range = indicator_range(&indicator);
        if indicator.denominator.is_some() && matches!(indicator.scoring, Scoring::None) {
            range = None;
        }
        if let (Some(declared), Some(range)) = (max_points, range)
            && (range.high - declared).abs() > 1e-9 * declared.abs().max(1.0)
        {
            self.error_hint(
                Code::PointsMismatch,
                format!("`{id}` declares {declared} maximum points but its scoring gives at most {}", range.high),
                &path.key("max_points"),
                "make the best band's points (or the scale) equal to max_points",
            );
        }
        Node {
            id: id.to_owned(),
            name: self.checked_text(&raw.name, id, &path.key("name")),
            description: raw
                .description
                .as_ref()
                .map(|text| self.checked_text(&Some(text.clone()), "", &path.key("description"))),
            parent,
            children: Vec::new(),
            weight,
            depth: 0,
            range,
            kind: NodeKind::Indicator(Box::new(indicator)),
        }
    }

    fn value_type(&mut self, raw: &RawIndicator, path: &FieldPath) -> ValueType {
        let min = self.finite(raw.min, &path.key("min"), "min");
        let max = self.finite(raw.max, &path.key("max"), "max");
        if let (Some(low), Some(high)) = (min, max)
            && low >= high
        {
            self.error(Code::BadNumber, format!("`min` ({low}) must be below `max` ({high})"), &path.key("min"));
        }
        let value_type = match raw.value_type.as_deref() {
            None | Some("number") => ValueType::Number { min, max },
            Some("percent") => ValueType::Percent,
            Some("count") => ValueType::Count { max },
            Some("boolean") => ValueType::Boolean,
            Some("ordinal") => {
                let mut labels = Vec::new();
                for (index, label) in raw.labels.iter().enumerate() {
                    let label_path = path.key("labels").index(index);
                    let Some(value) = self.finite(label.value, &label_path.key("value"), "value") else {
                        if label.value.is_none() {
                            self.error(Code::MissingField, "an ordinal label needs `value`", &label_path);
                        }
                        continue;
                    };
                    if labels.iter().any(|l: &Label| l.value == value) {
                        self.error(
                            Code::DuplicateId,
                            format!("level {value} is labelled twice"),
                            &label_path.key("value"),
                        );
                        continue;
                    }
                    labels.push(Label { value, name: Self::text(&label.name, &format_number(value)) });
                }
                if labels.is_empty() {
                    self.error_hint(
                        Code::MissingField,
                        "an ordinal indicator needs `labels`",
                        path,
                        "e.g. labels = [{ value = 1, name = \"Level 1\" }, ...]",
                    );
                }
                labels.sort_by(|a, b| a.value.total_cmp(&b.value));
                ValueType::Ordinal { labels }
            }
            Some("checklist") => {
                let mut items: Vec<Item> = Vec::new();
                for (index, item) in raw.items.iter().enumerate() {
                    let item_path = path.key("items").index(index);
                    let Some(id) = self.id(&item.id, &item_path, "a checklist item") else { continue };
                    if items.iter().any(|i| i.id == id) {
                        self.error(
                            Code::DuplicateId,
                            format!("checklist item `{id}` is declared twice"),
                            &item_path.key("id"),
                        );
                        continue;
                    }
                    let points = match item.points {
                        Some(points) if !(points.is_finite() && points >= 0.0) => {
                            self.error(
                                Code::BadWeight,
                                format!("points of item `{id}` must be finite and not negative"),
                                &item_path.key("points"),
                            );
                            0.0
                        }
                        Some(points) => points,
                        None => 1.0,
                    };
                    items.push(Item { name: Self::text(&item.name, &id), id, points });
                }
                if items.is_empty() {
                    self.error(Code::MissingField, "a checklist indicator needs `items`", path);
                }
                ValueType::Checklist { items }
            }
            Some(other) => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown value type `{other}`"),
                    &path.key("type"),
                    "use number, percent, count, boolean, ordinal or checklist",
                );
                ValueType::Number { min, max }
            }
        };
        if !matches!(value_type, ValueType::Number { .. } | ValueType::Count { .. }) {
            if raw.min.is_some() {
                self.warning(
                    Code::UnusedParameter,
                    format!("`min` is ignored for the {} type", value_type.name()),
                    &path.key("min"),
                    None,
                );
            }
            if raw.max.is_some() {
                self.warning(
                    Code::UnusedParameter,
                    format!("`max` is ignored for the {} type", value_type.name()),
                    &path.key("max"),
                    None,
                );
            }
        }
        value_type
    }

    #[allow(clippy::too_many_arguments)]
    fn scoring(
        &mut self,
        raw: &RawIndicator,
        value_type: &ValueType,
        max_points: Option<f64>,
        target: Option<f64>,
        goalposts: Option<Goalposts>,
        indicator_path: &FieldPath,
        context: &TreeContext<'_>,
    ) -> Scoring {
        let (rule, path) = match (&raw.scoring, context.default_scoring) {
            (Some(rule), _) => (rule.clone(), indicator_path.key("scoring")),
            (None, Some(rule)) => (rule.clone(), root_path().key("pipeline").key("normalise")),
            (None, None) => return default_scoring(value_type, max_points),
        };
        let Some(method) = rule.method.as_deref() else {
            self.error_hint(Code::MissingParameter, "a scoring rule needs `method`", &path, "e.g. method = \"bands\"");
            return Scoring::None;
        };
        let used: &[&str] = match method {
            "none" => &[],
            "bands" => &["bands"],
            "goalposts" => &["lower", "upper", "scale", "truncate"],
            "target" => &["target", "scale", "cap"],
            "minmax" => &["low", "high"],
            "zscore" => &["mean", "sd"],
            "prank" | "rank" | "checklist" => &[],
            "fraction-of-max" => &["scale"],
            "boolean" => &["points"],
            "levels" => &["levels"],
            other => {
                self.error_hint(
                    Code::WrongType,
                    format!("unknown scoring method `{other}`"),
                    &path.key("method"),
                    "use bands, goalposts, target, minmax, zscore, prank, rank, fraction-of-max, boolean, levels, checklist or none",
                );
                return Scoring::None;
            }
        };
        let given = [
            ("bands", rule.bands.is_some()),
            ("low", rule.low.is_some()),
            ("high", rule.high.is_some()),
            ("mean", rule.mean.is_some()),
            ("sd", rule.sd.is_some()),
            ("lower", rule.lower.is_some()),
            ("upper", rule.upper.is_some()),
            ("scale", rule.scale.is_some()),
            ("truncate", rule.truncate.is_some()),
            ("target", rule.target.is_some()),
            ("cap", rule.cap.is_some()),
            ("points", rule.points.is_some()),
            ("levels", rule.levels.is_some()),
        ];
        for (name, present) in given {
            if present && !used.contains(&name) {
                self.warning(
                    Code::UnusedParameter,
                    format!("`{name}` is not used by `{method}` scoring"),
                    &path.key(name),
                    None,
                );
            }
        }
        let scale_default = max_points.unwrap_or(1.0);
        let mismatch = |checker: &mut Self, wanted: &str| {
            checker.error_hint(
                Code::ScoringTypeMismatch,
                format!("`{method}` scoring needs a {wanted} indicator, not {}", value_type.name()),
                &path.key("method"),
                format!("set `type = \"{wanted}\"` or choose another scoring method"),
            );
        };
        match method {
            "none" => Scoring::None,
            "bands" => self.bands(rule.bands.as_deref(), value_type, &path),
            "goalposts" => {
                let lower = self.finite(rule.lower, &path.key("lower"), "lower").or(goalposts.map(|g| g.lower));
                let upper = self.finite(rule.upper, &path.key("upper"), "upper").or(goalposts.map(|g| g.upper));
                let (Some(lower), Some(upper)) = (lower, upper) else {
                    self.error_hint(
                        Code::MissingParameter,
                        "goalposts scoring needs `lower` and `upper`",
                        &path,
                        "e.g. lower = 0, upper = 100",
                    );
                    return Scoring::None;
                };
                if lower == upper {
                    self.error(Code::BadNumber, "the goalposts `lower` and `upper` must differ", &path.key("upper"));
                }
                let scale = self
                    .finite(rule.scale, &path.key("scale"), "scale")
                    .or(goalposts.map(|g| g.scale))
                    .unwrap_or(scale_default);
                let truncate = rule.truncate.or(goalposts.map(|g| g.truncate)).unwrap_or(true);
                Scoring::Goalposts(Goalposts { lower, upper, scale, truncate })
            }
            "target" => {
                let Some(target_value) = self.finite(rule.target, &path.key("target"), "target").or(target) else {
                    self.error(Code::MissingParameter, "target scoring needs `target`", &path);
                    return Scoring::None;
                };
                let scale = self.finite(rule.scale, &path.key("scale"), "scale").unwrap_or(scale_default);
                Scoring::Target { target: target_value, scale, cap: rule.cap.unwrap_or(true) }
            }
            "minmax" => {
                let low = self.finite(rule.low, &path.key("low"), "low").unwrap_or(0.0);
                let high = self.finite(rule.high, &path.key("high"), "high").unwrap_or(max_points.unwrap_or(100.0));
                if low >= high {
                    self.error(
                        Code::BadNumber,
                        format!("minmax `low` ({low}) must be below `high` ({high})"),
                        &path.key("low"),
                    );
                }
                Scoring::MinMax { low, high }
            }
            "zscore" => {
                let mean = self.finite(rule.mean, &path.key("mean"), "mean").unwrap_or(0.0);
                let sd = self.positive(rule.sd, &path.key("sd"), "sd").unwrap_or(1.0);
                Scoring::ZScore { mean, sd }
            }
            "prank" => Scoring::PercentileRank,
            "rank" => Scoring::Rank,
            "fraction-of-max" => {
                // A value's share of the largest value: higher is better, and a share of a
                // maximum needs values of 0 or more.
                if raw.direction.as_deref() == Some("lower") {
                    self.error_hint(
                        Code::ScoringTypeMismatch,
                        "`fraction-of-max` scores a value as its share of the largest, so a higher value always scores more: it cannot score `direction = \"lower\"`",
                        &path.key("method"),
                        "use `minmax` or `goalposts`, which turn the direction round",
                    );
                }
                if !never_negative(value_type) {
                    self.error_hint(
                        Code::ScoringTypeMismatch,
                        format!(
                            "`fraction-of-max` needs values of 0 or more, but a {} indicator may be negative",
                            value_type.name()
                        ),
                        &path.key("method"),
                        "give the type `min = 0`, or use `minmax`",
                    );
                }
                Scoring::FractionOfMax {
                    scale: self.finite(rule.scale, &path.key("scale"), "scale").unwrap_or(scale_default),
                }
            }
            "boolean" => {
                if !matches!(value_type, ValueType::Boolean) {
                    mismatch(self, "boolean");
                }
                let points = match rule.points {
                    Some(points) => self.positive(Some(points), &path.key("points"), "points").unwrap_or(1.0),
                    None => scale_default,
                };
                Scoring::Boolean { points }
            }
            "levels" => {
                let ValueType::Ordinal { labels } = value_type else {
                    mismatch(self, "ordinal");
                    return Scoring::None;
                };
                let Some(map) = &rule.levels else {
                    self.error_hint(
                        Code::MissingParameter,
                        "levels scoring needs `levels`",
                        &path,
                        "e.g. levels = { \"1\" = 0, \"2\" = 5, \"3\" = 10 }",
                    );
                    return Scoring::None;
                };
                let mut points = Vec::new();
                for (key, value) in map {
                    let level_path = path.key("levels").key(key);
                    let Ok(level) = key.trim().parse::<f64>() else {
                        self.error(Code::WrongType, format!("level `{key}` is not a number"), &level_path);
                        continue;
                    };
                    if !labels.iter().any(|label| label.value == level) {
                        self.error_hint(
                            Code::UnknownReference,
                            format!("level {key} has no label"),
                            &level_path,
                            "every scored level must be one of the indicator's labels",
                        );
                    }
                    if !value.is_finite() {
                        self.error(Code::BadNumber, format!("points of level {key} must be finite"), &level_path);
                        continue;
                    }
                    points.push((level, *value));
                }
                for label in labels {
                    if !points.iter().any(|(level, _)| *level == label.value) {
                        self.error_hint(
                            Code::BandGap,
                            format!("level {} has no points", format_number(label.value)),
                            &path.key("levels"),
                            "give every label points, 0 included",
                        );
                    }
                }
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                Scoring::Levels { points }
            }
            "checklist" => {
                if !matches!(value_type, ValueType::Checklist { .. }) {
                    mismatch(self, "checklist");
                }
                Scoring::Checklist
            }
            _ => Scoring::None,
        }
    }

    fn bands(&mut self, raw: Option<&[RawBand]>, value_type: &ValueType, path: &FieldPath) -> Scoring {
        let Some(raw) = raw.filter(|bands| !bands.is_empty()) else {
            self.error_hint(
                Code::MissingParameter,
                "bands scoring needs `bands`",
                path,
                "e.g. bands = [{ to = 50, points = 0 }, { from = 50, points = 10 }]",
            );
            return Scoring::None;
        };
        let mut bands: Vec<(usize, Band)> = Vec::new();
        for (index, band) in raw.iter().enumerate() {
            let band_path = path.key("bands").index(index);
            let from = self.finite(band.from, &band_path.key("from"), "from");
            let to = self.finite(band.to, &band_path.key("to"), "to");
            let Some(points) = self.finite(band.points, &band_path.key("points"), "points") else {
                if band.points.is_none() {
                    self.error(Code::MissingField, "a band needs `points`", &band_path);
                }
                continue;
            };
            if let (Some(from), Some(to)) = (from, to)
                && from >= to
            {
                self.error(Code::BadNumber, format!("band `from` ({from}) must be below `to` ({to})"), &band_path);
                continue;
            }
            bands.push((index, Band { from, to, points }));
        }
        bands.sort_by(|a, b| a.1.from.unwrap_or(f64::NEG_INFINITY).total_cmp(&b.1.from.unwrap_or(f64::NEG_INFINITY)));
        let (low, high) = value_type.bounds();
        for pair in bands.windows(2) {
            let (_, previous) = pair[0];
            let (index, band) = pair[1];
            let band_path = path.key("bands").index(index);
            let previous_end = previous.to.unwrap_or(f64::INFINITY);
            let start = band.from.unwrap_or(f64::NEG_INFINITY);
            if start < previous_end {
                self.error_hint(
                    Code::BandOverlap,
                    format!(
                        "band from {} overlaps the band ending at {}",
                        format_number(start),
                        format_number(previous_end)
                    ),
                    &band_path.key("from"),
                    "each value must fall in exactly one band: make `from` equal the previous band's `to`",
                );
            } else if start > previous_end {
                self.error_hint(
                    Code::BandGap,
                    format!("values from {} to {} fall in no band", format_number(previous_end), format_number(start)),
                    &band_path.key("from"),
                    "make `from` equal the previous band's `to`",
                );
            }
        }
        if let Some(&(index, first)) = bands.first() {
            let start = first.from.unwrap_or(f64::NEG_INFINITY);
            if low.is_some_and(|low| start > low) {
                self.error_hint(
                    Code::BandGap,
                    format!(
                        "values from {} to {} fall in no band",
                        format_number(low.unwrap_or_default()),
                        format_number(start)
                    ),
                    &path.key("bands").index(index).key("from"),
                    "start the first band at the lowest allowed value, or leave `from` out",
                );
            }
        }
        if let Some(&(index, last)) = bands.last() {
            let end = last.to.unwrap_or(f64::INFINITY);
            if high.is_some_and(|high| end < high) {
                self.error_hint(
                    Code::BandGap,
                    format!(
                        "values from {} to {} fall in no band",
                        format_number(end),
                        format_number(high.unwrap_or_default())
                    ),
                    &path.key("bands").index(index).key("to"),
                    "end the last band at the highest allowed value, or leave `to` out",
                );
            }
        }
        for &(index, band) in &bands {
            let band_path = path.key("bands").index(index);
            if let (Some(low), Some(to)) = (low, band.to)
                && to <= low
            {
                self.error(
                    Code::BandOutOfRange,
                    format!(
                        "band ending at {} lies below the lowest allowed value {}",
                        format_number(to),
                        format_number(low)
                    ),
                    &band_path,
                );
            }
            if let (Some(high), Some(from)) = (high, band.from)
                && from > high
            {
                self.error(
                    Code::BandOutOfRange,
                    format!(
                        "band starting at {} lies above the highest allowed value {} of a {} indicator",
                        format_number(from),
                        format_number(high),
                        value_type.name()
                    ),
                    &band_path,
                );
            }
        }
        Scoring::Bands { bands: bands.into_iter().map(|(_, band)| band).collect() }
    }

    /// Computes every aggregate's range bottom-up, and checks aggregation domains.
    fn ranges(&mut self, nodes: &mut [Node], origins: &[Origin]) {
        for index in 0..nodes.len() {
            let NodeKind::Aggregate { method, max_points, .. } = nodes[index].kind else { continue };
            let scored: Vec<usize> =
                nodes[index].children.iter().copied().filter(|&child| nodes[child].scores()).collect();
            let path = origins[index].path();
            if scored.is_empty() && !nodes[index].children.is_empty() {
                self.error(Code::EmptyNode, format!("node `{}` has only info-only indicators", nodes[index].id), &path);
            }
            let ranges: Option<Vec<(f64, ScoreRange)>> =
                scored.iter().map(|&child| nodes[child].range.map(|range| (nodes[child].weight, range))).collect();
            if method.needs_positive() {
                for &child in &scored {
                    match nodes[child].range {
                        Some(range) if range.low <= 0.0 => {
                            let message = format!(
                                "{} aggregation of `{}` needs values above 0, but `{}` can score {}",
                                method.name(),
                                nodes[index].id,
                                nodes[child].id,
                                format_number(range.low)
                            );
                            self.error_hint(Code::AggregationDomain, message, &path.key("aggregate"), "normalise onto a range above 0 (e.g. minmax from 1 to 100), or use arithmetic aggregation");
                        }
                        None => {
                            let message = format!(
                                "{} aggregation of `{}` needs values above 0, and `{}` is not bounded below",
                                method.name(),
                                nodes[index].id,
                                nodes[child].id
                            );
                            self.warning(
                                Code::AggregationDomain,
                                message,
                                &path.key("aggregate"),
                                Some("the evaluation stops with an error if a value is 0 or less".to_owned()),
                            );
                        }
                        _ => {}
                    }
                }
            }
            let range = ranges.and_then(|ranges| method.range(&ranges));
            if let (Some(declared), Some(range)) = (max_points, range)
                && (range.high - declared).abs() > 1e-9 * declared.abs().max(1.0)
            {
                self.error_hint(
                    Code::PointsMismatch,
                    format!(
                        "`{}` declares {} maximum points but its children give at most {}",
                        nodes[index].id,
                        format_number(declared),
                        format_number(range.high)
                    ),
                    &path.key("max_points"),
                    "make the children's maximum points add up to it",
                );
            }
            nodes[index].range = range;
        }
    }

    fn levels(&mut self, raw: &[RawLevel], nodes: &[Node]) -> Vec<LevelSet> {
        let mut sets: BTreeMap<usize, Vec<(usize, Level)>> = BTreeMap::new();
        let root = nodes.len().saturating_sub(1);
        for (index, level) in raw.iter().enumerate() {
            let path = root_path().key("levels").index(index);
            let Some(id) = self.id(&level.id, &path, "a level") else { continue };
            let node = match &level.node {
                None => root,
                Some(node_id) => match nodes.iter().position(|node| &node.id == node_id) {
                    Some(node) => node,
                    None => {
                        self.error(
                            Code::UnknownReference,
                            format!("level `{id}` classifies `{node_id}`, which does not exist"),
                            &path.key("node"),
                        );
                        continue;
                    }
                },
            };
            let Some(min) = self.finite(level.min, &path.key("min"), "min") else {
                if level.min.is_none() {
                    self.error_hint(
                        Code::MissingField,
                        format!("level `{id}` has no `min`"),
                        &path,
                        "give the lowest score of the level, e.g. min = 0.75",
                    );
                }
                continue;
            };
            let mut requires = Vec::new();
            for (requirement_index, requirement) in level.requires.iter().enumerate() {
                let requirement_path = path.key("requires").index(requirement_index);
                let Some(node_id) = &requirement.node else {
                    self.error(Code::MissingField, "a requirement needs `node`", &requirement_path);
                    continue;
                };
                let Some(required) = nodes.iter().position(|node| &node.id == node_id) else {
                    self.error(
                        Code::UnknownReference,
                        format!("requirement names `{node_id}`, which does not exist"),
                        &requirement_path.key("node"),
                    );
                    continue;
                };
                if nodes[required].range.is_none() {
                    self.error_hint(
                        Code::LevelRequirement,
                        format!("`{node_id}` has no bounded range, so its share cannot be tested"),
                        &requirement_path.key("node"),
                        "require a node whose scoring is bounded",
                    );
                    continue;
                }
                let Some(min_share) =
                    self.share(requirement.min_share, &requirement_path.key("min_share"), "min_share")
                else {
                    if requirement.min_share.is_none() {
                        self.error(Code::MissingField, "a requirement needs `min_share`", &requirement_path);
                    }
                    continue;
                };
                requires.push(Requirement { node: required, min_share });
            }
            let set = sets.entry(node).or_default();
            if set.iter().any(|(_, existing)| existing.id == id) {
                self.error(
                    Code::DuplicateId,
                    format!("level `{id}` is declared twice for `{}`", nodes[node].id),
                    &path.key("id"),
                );
                continue;
            }
            set.push((index, Level { id, name: Self::text(&level.name, ""), min, requires }));
        }
        let mut result = Vec::new();
        for (node, mut levels) in sets {
            for (_, level) in &mut levels {
                if level.name.en.is_empty() {
                    level.name = Text::plain(level.id.clone());
                }
            }
            levels.sort_by(|a, b| a.1.min.total_cmp(&b.1.min));
            for pair in levels.windows(2) {
                if pair[0].1.min == pair[1].1.min {
                    let path = root_path().key("levels").index(pair[1].0).key("min");
                    self.error(
                        Code::BandOverlap,
                        format!(
                            "levels `{}` and `{}` start at the same score {}",
                            pair[0].1.id,
                            pair[1].1.id,
                            format_number(pair[1].1.min)
                        ),
                        &path,
                    );
                }
            }
            if let Some(range) = nodes[node].range {
                for (index, level) in &levels {
                    if level.min > range.high || level.min < range.low {
                        let path = root_path().key("levels").index(*index).key("min");
                        self.error_hint(
                            Code::BandOutOfRange,
                            format!(
                                "level `{}` starts at {}, outside the scores `{}` can take ({} to {})",
                                level.id,
                                format_number(level.min),
                                nodes[node].id,
                                format_number(range.low),
                                format_number(range.high)
                            ),
                            &path,
                            "levels are on the node's own score, e.g. points out of 1000",
                        );
                    }
                }
                if let Some((index, lowest)) = levels.first()
                    && lowest.min > range.low
                {
                    let path = root_path().key("levels").index(*index).key("min");
                    self.warning(
                        Code::BandGap,
                        format!("scores below {} of `{}` get no level", format_number(lowest.min), nodes[node].id),
                        &path,
                        Some(format!("add a lowest level starting at {}", format_number(range.low))),
                    );
                }
            } else if let Some((index, lowest)) = levels.first()
                && lowest.min > 0.0
            {
                // The scores' range is not known (a z-score, say): whatever lies below the
                // lowest level gets none.
                let path = root_path().key("levels").index(*index).key("min");
                self.warning(
                    Code::BandGap,
                    format!("scores below {} of `{}` get no level", format_number(lowest.min), nodes[node].id),
                    &path,
                    Some("add a lowest level that starts at the lowest score a unit can have".to_owned()),
                );
            }
            result.push(LevelSet { node, levels: levels.into_iter().map(|(_, level)| level).collect() });
        }
        result
    }
}

/// The scoring an indicator gets when neither it nor the pipeline names one.
fn default_scoring(value_type: &ValueType, max_points: Option<f64>) -> Scoring {
    match (value_type, max_points) {
        (ValueType::Boolean, points) => Scoring::Boolean { points: points.unwrap_or(1.0) },
        (ValueType::Checklist { .. }, _) => Scoring::Checklist,
        (ValueType::Percent, Some(points)) => {
            Scoring::Goalposts(Goalposts { lower: 0.0, upper: 100.0, scale: points, truncate: true })
        }
        _ => Scoring::None,
    }
}

/// Whether every value of a type is 0 or more.
fn never_negative(value_type: &ValueType) -> bool {
    match value_type {
        ValueType::Percent | ValueType::Count { .. } | ValueType::Boolean | ValueType::Checklist { .. } => true,
        ValueType::Number { min: Some(min), .. } => *min >= 0.0,
        _ => false,
    }
}

/// The range of an indicator's score, when bounded.
pub(crate) fn indicator_range(indicator: &Indicator) -> Option<ScoreRange> {
    let non_negative = never_negative(&indicator.value_type);
    let ordered = |a: f64, b: f64| ScoreRange { low: a.min(b), high: a.max(b) };
    match &indicator.scoring {
        Scoring::None => indicator.value_type.range(),
        Scoring::Bands { bands } => {
            let low = bands.iter().map(|band| band.points).fold(f64::INFINITY, f64::min);
            let high = bands.iter().map(|band| band.points).fold(f64::NEG_INFINITY, f64::max);
            (low <= high).then_some(ScoreRange { low, high })
        }
        Scoring::Goalposts(goalposts) => goalposts.truncate.then(|| ordered(0.0, goalposts.scale)),
        Scoring::Target { scale, cap, .. } => {
            cap.then(|| ordered(f64::min(0.0, *scale), *scale)).filter(|_| non_negative)
        }
        Scoring::MinMax { low, high } => Some(ScoreRange { low: *low, high: *high }),
        Scoring::ZScore { .. } | Scoring::Rank => None,
        Scoring::PercentileRank => Some(ScoreRange { low: 0.0, high: 1.0 }),
        Scoring::FractionOfMax { scale } => non_negative.then(|| ordered(0.0, *scale)),
        Scoring::Boolean { points } => Some(ordered(0.0, *points)),
        Scoring::Levels { points } => {
            let low = points.iter().map(|(_, p)| *p).fold(f64::INFINITY, f64::min);
            let high = points.iter().map(|(_, p)| *p).fold(f64::NEG_INFINITY, f64::max);
            (low <= high).then_some(ScoreRange { low, high })
        }
        Scoring::Checklist => indicator.value_type.range(),
    }
}

/// Whether a text can be an id: not empty, no white space, commas, quotes or controls.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '\'' | ';'))
}

/// A number written without a needless fraction.
pub fn format_number(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "infinity".into() } else { "-infinity".into() };
    }
    let text = format!("{value}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// The known name closest to a misspelt one, for "did you mean" hints.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    known
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b_chars.iter().enumerate() {
            let cost = usize::from(a_char != *b_char);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b_chars.len()]
}

/// Every cycle of a parent relation (each entry's parent, by index), each as its members
/// from one of them up its parents. Linear: every entry is walked once.
fn cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    const FINISHED: usize = usize::MAX - 1;
    // For each entry: UNSEEN, FINISHED, or its place on the path being walked.
    let mut state = vec![UNSEEN; parents.len()];
    let mut found = Vec::new();
    for start in 0..parents.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current {
            match state[index] {
                FINISHED => break,
                UNSEEN => {
                    state[index] = path.len();
                    path.push(index);
                    current = parents[index];
                }
                at => {
                    found.push(path[at..].to_vec());
                    break;
                }
            }
        }
        for index in path {
            state[index] = FINISHED;
        }
    }
    found
}

/// A cycle followed through parents from its member at `from`: `a` -> `b` -> `a`; a long
/// one shows its first and last steps.
fn cycle_chain(cycle: &[&str], from: usize) -> String {
    const SHOWN: usize = 8;
    let ids: Vec<String> = (0..=cycle.len()).map(|step| format!("`{}`", cycle[(from + step) % cycle.len()])).collect();
    if ids.len() <= SHOWN {
        ids.join(" -> ")
    } else {
        let (head, tail) = (&ids[..SHOWN / 2], &ids[ids.len() - 2..]);
        format!("{} -> ... -> {} ({} nodes)", head.join(" -> "), tail.join(" -> "), cycle.len())
    }
}
