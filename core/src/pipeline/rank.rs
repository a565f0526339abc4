//! The last steps: ranking units (overall and within their blocks) and classifying them
//! into the indicator file's maturity levels, on what the evaluation will publish (see
//! [`Evaluation::ranking_values`]).

use crate::evaluation::{Evaluation, round_to};
use crate::stats::competition_ranks_descending;

/// Ranks every unit overall and within its block.
pub(super) fn rank(evaluation: &mut Evaluation) {
    let values = evaluation.ranking_values(evaluation.framework.root());
    let overall = competition_ranks_descending(&values);
    evaluation.block_rank = evaluation.ranks_by_block(&values, Some(&overall));
    evaluation.rank = overall;
}

/// Classifies every unit into each level set's highest level it reaches.
pub(super) fn classify(evaluation: &mut Evaluation) {
    let mut all = Vec::with_capacity(evaluation.framework.levels.len());
    let root = evaluation.framework.root();
    for set in &evaluation.framework.levels {
        let levels = (0..evaluation.n_units())
            .map(|unit| {
                // The root is classified as published: rounded when ranks are.
                let score = match evaluation.framework.scale.rank_decimals {
                    Some(decimals) if set.node == root => round_to(evaluation.score(set.node, unit)?, decimals),
                    _ => evaluation.score(set.node, unit)?,
                };
                set.levels.iter().enumerate().rev().find_map(|(index, level)| {
                    let reached = score >= level.min;
                    let gated = level.requires.iter().all(|requirement| {
                        evaluation.share(requirement.node, unit).is_some_and(|share| share >= requirement.min_share)
                    });
                    (reached && gated).then(|| u16::try_from(index).unwrap_or(u16::MAX))
                })
            })
            .collect();
        all.push(levels);
    }
    evaluation.levels = all;
}
