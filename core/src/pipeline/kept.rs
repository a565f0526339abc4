//! The data after each pipeline stage, kept on request for conformance checks and audits,
//! collected indicator by indicator as the pipeline goes.

use crate::evaluation::Stage;

/// A stage whose data can be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kept {
    Raw,
    Denominated,
    Imputed,
    Treated,
    Normalised,
}

impl Kept {
    fn name(self) -> &'static str {
        match self {
            Kept::Raw => "raw",
            Kept::Denominated => "denominated",
            Kept::Imputed => "imputed",
            Kept::Treated => "treated",
            Kept::Normalised => "normalised",
        }
    }
}

/// Each stage's columns so far, in the order the indicators went through it.
#[derive(Debug)]
pub(super) struct KeptStages {
    /// Whether stages are kept at all.
    on: bool,
    columns: Vec<(Kept, Vec<Vec<f64>>)>,
}

impl KeptStages {
    /// Stages kept when `on`, else nothing is.
    pub(super) fn new(on: bool) -> Self {
        Self { on, columns: Vec::new() }
    }

    /// Keeps a copy of an indicator's values after `stage`, when stages are kept.
    pub(super) fn keep(&mut self, stage: Kept, values: &[f64]) {
        if !self.on {
            return;
        }
        match self.columns.iter_mut().find(|(kept, _)| *kept == stage) {
            Some((_, columns)) => columns.push(values.to_vec()),
            None => self.columns.push((stage, vec![values.to_vec()])),
        }
    }

    /// Moves the kept `order` stages (those that ran) into `stages`, for the units at
    /// `units`.
    pub(super) fn move_into<const N: usize>(&mut self, stages: &mut Vec<Stage>, units: &[usize], order: [Kept; N]) {
        for stage in order {
            if let Some(index) = self.columns.iter().position(|(kept, _)| *kept == stage) {
                let (_, values) = self.columns.remove(index);
                stages.push(Stage { name: stage.name(), units: units.to_vec(), values });
            }
        }
    }
}
