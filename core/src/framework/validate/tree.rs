//! The tree: ids, parents, cycles, aggregate nodes and their aggregation, and the ranges
//! every node's score can take.

use super::*;

pub(super) struct TreeContext<'a> {
    pub(super) blocks: &'a [Block],
    pub(super) denominators: &'a [String],
    pub(super) default_scoring: Option<&'a RawScoring>,
    pub(super) default_aggregation: Option<&'a RawAggregation>,
    pub(super) default_coverage: Option<f64>,
}

impl Checker<'_, '_> {
    /// Builds the tree: ids, parents, cycles, then every node's details and ranges.
    pub(super) fn tree(&mut self, raw: &RawFramework, context: &TreeContext<'_>) -> Option<Vec<Node>> {
        let declared = raw.nodes.len() + raw.indicators.len();
        if declared > crate::limits::MAX_NODES {
            let path = if raw.indicators.len() > raw.nodes.len() { "indicators" } else { "nodes" };
            let message =
                Message::TooManyNodes { count: Arg::count(declared), limit: Arg::count(crate::limits::MAX_NODES) };
            self.error(Code::TooLarge, message, &root_path().key(path));
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
            let what =
                if matches!(origin, Origin::Node(_)) { Message::WhatANode {} } else { Message::WhatAnIndicator {} };
            let Some(id) = self.id(id, &origin.path(), what) else { continue };
            if let Some(first) = ids.get(&id) {
                let first_location = self.locator.locate(&first.path().key("id"));
                self.error_hint(
                    Code::DuplicateId,
                    Message::IdTwice { id: Arg::code(&id) },
                    &origin.path().key("id"),
                    Message::HintFirstUsedAt { line: Arg::Count(u64::from(first_location.line)) },
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
                        Message::IndicatorNoParent { id: Arg::code(id) },
                        &origin.path(),
                        Message::HintNamePillar {},
                    );
                }
                None => roots.push(id.clone()),
                Some(parent) => match ids.get(parent) {
                    None => {
                        let hint =
                            closest(parent, ids.keys()).map(|near| Message::HintDidYouMean { name: Arg::code(near) });
                        let hint = hint.unwrap_or(Message::HintDeclareParent {});
                        self.error_hint(
                            Code::DanglingParent,
                            Message::ParentMissing { parent: Arg::code(parent), id: Arg::code(id) },
                            &origin.path().key("parent"),
                            hint,
                        );
                    }
                    Some(Origin::Indicator(_)) => {
                        self.error_hint(
                            Code::IndicatorAsParent,
                            Message::IndicatorAsParent { parent: Arg::code(parent), id: Arg::code(id) },
                            &origin.path().key("parent"),
                            Message::HintIndicatorsAreLeaves {},
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
                        Message::OwnAncestor { id: Arg::code(id), chain: Arg::text(chain) },
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
                        Message::NoRootNode {},
                        &root_path().key("nodes"),
                        Message::HintIndexHasNoParent {},
                    );
                } else if entries.is_empty() {
                    self.error_hint(Code::NoRoot, Message::NoNodes {}, &root_path(), Message::HintAddNodes {});
                }
                return None;
            }
            several => {
                let list = Arg::codes(several.iter());
                for id in several.iter().skip(1) {
                    let origin = ids[id];
                    self.error_hint(
                        Code::NoRoot,
                        Message::SeveralRoots { nodes: list.clone() },
                        &origin.path(),
                        Message::HintOneIndex {},
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
                Message::TooDeep {
                    id: Arg::code(&nodes[deepest].id),
                    depth: Arg::count(nodes[deepest].depth),
                    limit: Arg::count(crate::limits::MAX_DEPTH),
                },
                &origins[deepest].path().key("parent"),
                Message::HintFewLevels {},
            );
            return None;
        }
        self.ranges(&mut nodes, &origins);
        Some(nodes)
    }

    #[allow(clippy::too_many_arguments, reason = "the node's parts and where it is")]
    pub(super) fn aggregate_node(
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
                Message::NodeNoChildren { id: Arg::code(id) },
                path,
                Message::HintAddChildren {},
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
                .is_some()
                .then(|| self.checked_text(&raw.description, "", &path.key("description"))),
            parent,
            children,
            weight,
            depth: 0,
            range: None,
            kind: NodeKind::Aggregate { method, min_coverage, max_points },
        }
    }

    pub(super) fn aggregation(&mut self, raw: &RawAggregation, path: &FieldPath) -> Aggregation {
        let (name, p) = match raw {
            RawAggregation::Name(name) => (name.as_str(), None),
            RawAggregation::Detailed { method, p } => (method.as_str(), *p),
        };
        // `Generalised(0.0)` stands for "a generalised mean" (0 is no exponent it takes), its
        // exponent read below.
        const METHODS: &[(&str, Aggregation)] = &[
            ("sum", Aggregation::Sum),
            ("arithmetic", Aggregation::Arithmetic),
            ("geometric", Aggregation::Geometric),
            ("harmonic", Aggregation::Harmonic),
            ("generalised", Aggregation::Generalised(0.0)),
            ("minimum", Aggregation::Minimum),
            ("mean", Aggregation::Arithmetic),
            ("amean", Aggregation::Arithmetic),
            ("gmean", Aggregation::Geometric),
            ("hmean", Aggregation::Harmonic),
            ("generalized", Aggregation::Generalised(0.0)),
            ("power", Aggregation::Generalised(0.0)),
            ("min", Aggregation::Minimum),
        ];
        match self.named(name, Message::WhatAggregation {}, METHODS, path) {
            Some(Aggregation::Generalised(_)) => match p {
                Some(p) if p.is_finite() && p != 0.0 => Aggregation::Generalised(p),
                Some(_) => {
                    self.error_hint(Code::BadNumber, Message::ExponentFinite {}, path, Message::HintExponentZero {});
                    Aggregation::Arithmetic
                }
                None => {
                    self.error(Code::MissingParameter, Message::ExponentMissing {}, path);
                    Aggregation::Arithmetic
                }
            },
            Some(method) => method,
            None => Aggregation::Arithmetic,
        }
    }

    /// Computes every aggregate's range bottom-up, and checks aggregation domains.
    pub(super) fn ranges(&mut self, nodes: &mut [Node], origins: &[Origin]) {
        for index in 0..nodes.len() {
            let NodeKind::Aggregate { method, max_points, .. } = nodes[index].kind else { continue };
            let scored: Vec<usize> =
                nodes[index].children.iter().copied().filter(|&child| nodes[child].scores()).collect();
            let path = origins[index].path();
            if scored.is_empty() && !nodes[index].children.is_empty() {
                self.error(Code::EmptyNode, Message::OnlyInfoOnly { id: Arg::code(&nodes[index].id) }, &path);
            }
            let ranges: Option<Vec<(f64, ScoreRange)>> =
                scored.iter().map(|&child| nodes[child].range.map(|range| (nodes[child].weight, range))).collect();
            if method.needs_positive() {
                for &child in &scored {
                    match nodes[child].range {
                        Some(range) if range.low <= 0.0 => {
                            let message = Message::NeedsPositive {
                                method: Arg::text(method.name()),
                                id: Arg::code(&nodes[index].id),
                                child: Arg::code(&nodes[child].id),
                                low: Arg::Number(range.low),
                            };
                            let hint = Message::HintPositiveRange {};
                            self.error_hint(Code::AggregationDomain, message, &path.key("aggregate"), hint);
                        }
                        None => {
                            let message = Message::NeedsPositiveUnbounded {
                                method: Arg::text(method.name()),
                                id: Arg::code(&nodes[index].id),
                                child: Arg::code(&nodes[child].id),
                            };
                            let hint = Some(Message::HintStopsAtZero {});
                            self.warning(Code::AggregationDomain, message, &path.key("aggregate"), hint);
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
                    Message::PointsMismatch {
                        id: Arg::code(&nodes[index].id),
                        declared: Arg::Number(declared),
                        high: Arg::Number(range.high),
                    },
                    &path.key("max_points"),
                    Message::HintPointsAddUp {},
                );
            }
            nodes[index].range = range;
        }
    }
}

/// Every cycle of a parent relation (each entry's parent, by index), each as its members
/// from one of them up its parents. Linear: every entry is walked once.
pub(super) fn cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
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
pub(super) fn cycle_chain(cycle: &[&str], from: usize) -> String {
    const SHOWN: usize = 8;
    let ids: Vec<String> = (0..=cycle.len()).map(|step| format!("`{}`", cycle[(from + step) % cycle.len()])).collect();
    if ids.len() <= SHOWN {
        ids.join(" -> ")
    } else {
        let (head, tail) = (&ids[..SHOWN / 2], &ids[ids.len() - 2..]);
        format!("{} -> ... -> {} ({} nodes)", head.join(" -> "), tail.join(" -> "), cycle.len())
    }
}
