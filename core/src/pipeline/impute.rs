//! Imputation, one indicator's column at a time: the mean or median of the column or of
//! the unit's group, or the unit's value from the latest earlier period.

use crate::data::Dataset;
use crate::evaluation::flags;
use crate::framework::{Framework, Impute};
use crate::stats;

/// Fills the missing values of indicator columns by the framework's method.
pub(super) struct Imputer<'a> {
    framework: &'a Framework,
    dataset: &'a Dataset,
    /// The data set's index of the unit at each position.
    units: &'a [usize],
    /// For the previous-period method: the periods before the evaluated one, oldest first.
    before: Vec<usize>,
    /// For group methods: the units grouped.
    groups: Option<Grouping>,
    /// A column's values group by group, reused from column to column.
    buffer: Vec<f64>,
}

impl<'a> Imputer<'a> {
    /// An imputer for the units at `units` (data set indices) of period `period_index`.
    pub(super) fn new(framework: &'a Framework, dataset: &'a Dataset, period_index: usize, units: &'a [usize]) -> Self {
        let method = &framework.pipeline.impute;
        let before = match method {
            Impute::PreviousPeriod => crate::period::periods_before(&dataset.periods, period_index),
            _ => Vec::new(),
        };
        let groups = match method {
            Impute::GroupMean(group) | Impute::GroupMedian(group) => Some(Grouping::new(dataset, units, group)),
            _ => None,
        };
        Self { framework, dataset, units, before, groups, buffer: Vec::new() }
    }

    /// Fills the values of indicator `node` flagged as missing, flagging them as imputed
    /// (and stale when carried forward from an earlier period).
    pub(super) fn impute(&mut self, node: usize, values: &mut [f64], value_flags: &mut [u8]) {
        let method = &self.framework.pipeline.impute;
        if *method == Impute::None {
            return;
        }
        // Flagged as missing (when read or denominated): the values that are `NaN` but apply.
        let missing: Vec<usize> = value_flags
            .iter()
            .enumerate()
            .filter(|(_, flag)| **flag & flags::MISSING != 0)
            .map(|(position, _)| position)
            .collect();
        if missing.is_empty() {
            return;
        }
        let fills: Vec<(usize, f64)> = match method {
            Impute::None => Vec::new(),
            Impute::Mean | Impute::Median => {
                let fill = if *method == Impute::Mean { stats::mean(values) } else { stats::median(values) };
                fill.map(|fill| missing.iter().map(|&position| (position, fill)).collect()).unwrap_or_default()
            }
            Impute::GroupMean(_) | Impute::GroupMedian(_) => {
                let grouping = self.groups.as_ref().expect("groups are computed for group methods");
                self.buffer.clear();
                self.buffer.extend(grouping.order.iter().map(|&position| values[position]));
                let fills: Vec<Option<f64>> = grouping
                    .starts
                    .windows(2)
                    .map(|bounds| {
                        let group_values = &self.buffer[bounds[0]..bounds[1]];
                        if matches!(method, Impute::GroupMean(_)) {
                            stats::mean(group_values)
                        } else {
                            stats::median(group_values)
                        }
                    })
                    .collect();
                missing
                    .iter()
                    .filter_map(|&position| fills[grouping.group_of[position]].map(|fill| (position, fill)))
                    .collect()
            }
            Impute::PreviousPeriod => {
                // The most recent earlier period in time that has the value.
                let variable = self.dataset.variable_index(&self.framework.nodes[node].id);
                missing
                    .iter()
                    .filter_map(|&position| {
                        let (_, value) =
                            self.dataset.latest_value_before(&self.before, self.units[position], variable?)?;
                        Some((position, value))
                    })
                    .collect()
            }
        };
        let stale = if *method == Impute::PreviousPeriod { flags::STALE } else { 0 };
        for (position, fill) in fills {
            values[position] = fill;
            value_flags[position] |= flags::IMPUTED | stale;
        }
    }
}

/// Units grouped by a group attribute (units without it form one group of their own).
struct Grouping {
    /// Each unit's group, by position.
    group_of: Vec<usize>,
    /// Positions, group by group.
    order: Vec<usize>,
    /// Where each group starts in `order`, and its end.
    starts: Vec<usize>,
}

impl Grouping {
    fn new(dataset: &Dataset, units: &[usize], group: &str) -> Self {
        let column = dataset.groups.iter().find(|column| column.id == group);
        let without = column.map_or(0, |column| column.labels.len());
        let group_of: Vec<usize> = units
            .iter()
            .map(|&unit| {
                column
                    .and_then(|column| column.values.get(unit).copied().flatten())
                    .map_or(without, |index| index as usize)
            })
            .collect();
        // A counting sort: group sizes, their starts, then the positions in place.
        let mut starts = vec![0; without + 2];
        for &group in &group_of {
            starts[group + 1] += 1;
        }
        for group in 1..starts.len() {
            starts[group] += starts[group - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0; group_of.len()];
        for (position, &group) in group_of.iter().enumerate() {
            order[next[group]] = position;
            next[group] += 1;
        }
        Self { group_of, order, starts }
    }
}
