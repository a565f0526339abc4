//! Statistical coherence of an evaluation's structure: how each indicator correlates
//! with its parent and with the index, indicators that say the same thing twice,
//! Cronbach's alpha of each aggregate's children, and effective weights (what the tree's
//! weights give each indicator in the index, against the share of the index's variance
//! that goes with it).

use crate::evaluation::Evaluation;
use serde::Serialize;

/// Two indicators of one parent correlating at least this much (in absolute value) are
/// flagged as possibly redundant.
pub const REDUNDANT_ABOVE: f64 = 0.9;

/// The coherence of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coherence {
    /// Every scored indicator, in the file's order.
    pub indicators: Vec<IndicatorCoherence>,
    /// Every aggregate with two children or more.
    pub aggregates: Vec<AggregateCoherence>,
    /// Pairs of indicators of one parent correlating at [`REDUNDANT_ABOVE`] or more.
    pub redundant: Vec<Redundancy>,
}

/// One indicator in its structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorCoherence {
    /// The indicator's id.
    pub indicator: String,
    /// Its parent's id.
    pub parent: String,
    /// Pearson correlation of its score with its parent's, over units with both.
    pub with_parent: Option<f64>,
    /// Pearson correlation of its score with the index.
    pub with_index: Option<f64>,
    /// Its weight in the index through the tree: the product of its shares of each parent
    /// along its path (weight times span of scores, over its siblings'; COINr's effective
    /// weight when the spans are equal).
    pub nominal_weight: f64,
    /// Its squared correlation with the index as a share of all indicators' (what it
    /// actually weighs in the ranking, to set against `nominal_weight`).
    pub correlation_share: Option<f64>,
}

/// One aggregate and its children.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateCoherence {
    /// The aggregate's id.
    pub node: String,
    /// How many children it has.
    pub children: usize,
    /// Cronbach's alpha of the children's scores, over units with every one.
    pub cronbach_alpha: Option<f64>,
    /// The units it was computed over.
    pub units: usize,
}

/// Two indicators that may say the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redundancy {
    /// The first indicator's id.
    pub first: String,
    /// The second's.
    pub second: String,
    /// Their Pearson correlation.
    pub correlation: f64,
}

/// The coherence of `evaluation`'s structure.
pub fn coherence(evaluation: &Evaluation) -> Coherence {
    let framework = &evaluation.framework;
    let root = framework.root();
    let n = evaluation.n_units();
    let column = |node: usize| -> Vec<Option<f64>> { (0..n).map(|unit| evaluation.score(node, unit)).collect() };
    let index = column(root);
    let scored: Vec<usize> =
        framework.indicator_indices().into_iter().filter(|&node| framework.nodes[node].scores()).collect();
    let mut indicators: Vec<IndicatorCoherence> = scored
        .iter()
        .map(|&node| {
            let scores = column(node);
            let parent = framework.nodes[node].parent.unwrap_or(root);
            IndicatorCoherence {
                indicator: framework.nodes[node].id.clone(),
                parent: framework.nodes[parent].id.clone(),
                with_parent: pearson(&scores, &column(parent)),
                with_index: pearson(&scores, &index),
                nominal_weight: effective_weight(evaluation, node),
                correlation_share: None,
            }
        })
        .collect();
    let squares: f64 = indicators.iter().filter_map(|indicator| indicator.with_index).map(|r| r * r).sum();
    if squares > 0.0 {
        for indicator in &mut indicators {
            indicator.correlation_share = indicator.with_index.map(|r| r * r / squares);
        }
    }
    let mut aggregates = Vec::new();
    let mut redundant = Vec::new();
    for node in framework.aggregate_indices() {
        let children: Vec<usize> =
            framework.nodes[node].children.iter().copied().filter(|&child| framework.nodes[child].scores()).collect();
        if children.len() < 2 {
            continue;
        }
        let columns: Vec<Vec<Option<f64>>> = children.iter().map(|&child| column(child)).collect();
        let (cronbach_alpha, units) = cronbach_alpha(&columns);
        aggregates.push(AggregateCoherence {
            node: framework.nodes[node].id.clone(),
            children: children.len(),
            cronbach_alpha,
            units,
        });
        for (first, first_column) in children.iter().zip(&columns) {
            for (second, second_column) in children.iter().zip(&columns).filter(|(second, _)| *second > first) {
                let is_indicator = |node: usize| framework.nodes[node].indicator().is_some();
                if !(is_indicator(*first) && is_indicator(*second)) {
                    continue;
                }
                if let Some(correlation) = pearson(first_column, second_column).filter(|r| r.abs() >= REDUNDANT_ABOVE) {
                    redundant.push(Redundancy {
                        first: framework.nodes[*first].id.clone(),
                        second: framework.nodes[*second].id.clone(),
                        correlation,
                    });
                }
            }
        }
    }
    Coherence { indicators, aggregates, redundant }
}

/// What a node weighs in the index through the tree: along its path, the product of its
/// share of each parent, a share being its weight times the span of its scores over the
/// same for every (scored) sibling. With equal spans (normalised indicators) that is the
/// weight over the siblings' weights, COINr's effective weight; with points (a sum of
/// indicators worth 20 and 50 points) it is the share of the points. When a sibling's
/// span is unbounded, the weights alone.
fn effective_weight(evaluation: &Evaluation, node: usize) -> f64 {
    let nodes = &evaluation.framework.nodes;
    let span = |node: usize| nodes[node].range.map(|range| range.high - range.low).filter(|span| span.is_finite());
    let mut weight = 1.0;
    let mut at = node;
    while let Some(parent) = nodes[at].parent {
        let siblings: Vec<usize> =
            nodes[parent].children.iter().copied().filter(|&child| nodes[child].scores()).collect();
        let spans: Option<Vec<f64>> = siblings.iter().map(|&child| span(child)).collect();
        let size = |child: usize, index: usize| nodes[child].weight * spans.as_ref().map_or(1.0, |spans| spans[index]);
        let total: f64 = siblings.iter().enumerate().map(|(index, &child)| size(child, index)).sum();
        let own = siblings.iter().position(|&child| child == at).map_or(0.0, |index| size(at, index));
        weight *= if total > 0.0 { own / total } else { 0.0 };
        at = parent;
    }
    weight
}

/// Pearson's correlation over the positions where both have a value; `None` with fewer
/// than three such positions or when either does not vary there.
pub fn pearson(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = x.iter().zip(y).filter_map(|(x, y)| Some(((*x)?, (*y)?))).collect();
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mean_x, mean_y) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Cronbach's alpha of columns (items) over the units with every item, and how many
/// units that is: `k / (k - 1) (1 - sum of item variances / variance of the sum)`.
pub fn cronbach_alpha(columns: &[Vec<Option<f64>>]) -> (Option<f64>, usize) {
    let k = columns.len();
    let n = columns.first().map_or(0, Vec::len);
    let complete: Vec<usize> = (0..n).filter(|&unit| columns.iter().all(|column| column[unit].is_some())).collect();
    if k < 2 || complete.len() < 2 {
        return (None, complete.len());
    }
    let values = |column: &Vec<Option<f64>>| complete.iter().map(|&unit| column[unit].unwrap_or_default()).collect();
    let items: Vec<Vec<f64>> = columns.iter().map(values).collect();
    let totals: Vec<f64> = (0..complete.len()).map(|row| items.iter().map(|item| item[row]).sum()).collect();
    let item_variances: f64 = items.iter().map(|item| super::indices::sample_variance(item)).sum();
    let total_variance = super::indices::sample_variance(&totals);
    let alpha = (total_variance > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - item_variances / total_variance));
    (alpha, complete.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().copied().map(Some).collect()
    }

    #[test]
    fn pearson_correlation_of_related_and_unrelated_columns() {
        let x = some(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(pearson(&x, &some(&[2.0, 4.0, 6.0, 8.0, 10.0])), Some(1.0));
        assert_eq!(pearson(&x, &some(&[5.0, 4.0, 3.0, 2.0, 1.0])), Some(-1.0));
        // R: cor(c(1,2,3,4,5), c(2,1,4,3,5)) = 0.8
        assert!((pearson(&x, &some(&[2.0, 1.0, 4.0, 3.0, 5.0])).unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(pearson(&x, &some(&[3.0; 5])), None);
        let gappy = vec![Some(1.0), None, Some(3.0), Some(4.0), None];
        assert_eq!(pearson(&gappy, &x), Some(1.0));
        assert_eq!(pearson(&some(&[1.0, 2.0]), &some(&[1.0, 2.0])), None);
    }

    #[test]
    fn cronbach_alpha_as_r_computes_it() {
        let items =
            vec![some(&[1.0, 2.0, 3.0, 4.0, 5.0]), some(&[2.0, 3.0, 4.0, 5.0, 6.0]), some(&[1.0, 3.0, 3.0, 5.0, 8.0])];
        let (alpha, units) = cronbach_alpha(&items);
        // k / (k - 1) (1 - (2.5 + 2.5 + 7) / var(4, 8, 10, 14, 19)), the last variance 33.
        let expected = 1.5 * (1.0 - 12.0 / 33.0);
        assert!((alpha.unwrap() - expected).abs() < 1e-12, "{alpha:?} vs {expected}");
        assert_eq!(units, 5);
        let mut gappy = items.clone();
        gappy[1][0] = None;
        assert_eq!(cronbach_alpha(&gappy).1, 4);
        assert_eq!(cronbach_alpha(&items[..1]).0, None);
    }

    #[test]
    fn the_built_in_ministry_set_gives_weights_that_add_up_and_alphas_for_its_pillars() {
        let set = crate::builtin::builtin("vn-ministry").expect("built in");
        let framework = crate::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
        let dataset = crate::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("reads");
        let evaluation = crate::evaluate(&framework, &dataset, &Default::default()).expect("evaluates");
        let found = coherence(&evaluation);
        let scored = framework.indicator_indices().into_iter().filter(|&node| framework.nodes[node].scores()).count();
        assert_eq!(found.indicators.len(), scored);
        // The set adds up points to 1,000: an indicator weighs its points.
        for indicator in &found.indicators {
            let node = &framework.nodes[framework.node_index(&indicator.indicator).expect("a node")];
            let points = node.range.map(|range| range.high - range.low).expect("bounded");
            assert!((indicator.nominal_weight * 1000.0 - points).abs() < 1e-9, "{indicator:?}: {points} points");
        }
        let total: f64 = found.indicators.iter().map(|indicator| indicator.nominal_weight).sum();
        assert!((total - 1.0).abs() < 1e-9, "effective weights add up to {total}");
        let shares: f64 = found.indicators.iter().filter_map(|indicator| indicator.correlation_share).sum();
        assert!((shares - 1.0).abs() < 1e-9, "correlation shares add up to {shares}");
        for indicator in &found.indicators {
            let r = indicator.with_parent.expect("varies over the sample");
            assert!((-1.0..=1.0).contains(&r), "{indicator:?}");
        }
        let pillars = &framework.nodes[framework.root()].children;
        assert!(found.aggregates.len() > pillars.len(), "{:?}", found.aggregates);
        assert!(found.aggregates.iter().all(|aggregate| aggregate.cronbach_alpha.is_some_and(|alpha| alpha <= 1.0)));
        // The same values under two indicators (scored by their own rules) are flagged.
        let (a, b) = ("dt-online-dossiers", "dt-online-payment");
        assert_eq!(coherence_of_pair(&found, a, b), None);
        let mut doubled = dataset.clone();
        let (va, vb) = (doubled.variable_index(a).unwrap(), doubled.variable_index(b).unwrap());
        for table in &mut doubled.tables {
            for unit in 0..doubled.units.len() {
                table.set(vb, unit, table.value(va, unit));
            }
        }
        let evaluation = crate::evaluate(&framework, &doubled, &Default::default()).expect("evaluates");
        let pair = coherence_of_pair(&coherence(&evaluation), a, b);
        assert!(pair.is_some_and(|r| r >= REDUNDANT_ABOVE), "{pair:?}");
    }

    fn coherence_of_pair(coherence: &Coherence, a: &str, b: &str) -> Option<f64> {
        coherence
            .redundant
            .iter()
            .find(|pair| (pair.first == a && pair.second == b) || (pair.first == b && pair.second == a))
            .map(|pair| pair.correlation)
    }
}
