//! Collecting rows (long or wide) into a [`Dataset`], with every problem as a diagnostic.

use super::columns::{Column, Detail};
use super::values::{Parsed, parse_value};
use super::{DEFAULT_PERIOD, Dataset, GroupColumn, PeriodTable, ReadOptions, Refusal, Unit, ValueDetails, ValueStatus};
use crate::diag::{Code, Diagnostic, Location, Severity};
use crate::framework::{Framework, ValueType};
use crate::message::{Arg, Message};
use crate::table::parse_number;
use crate::table::{Cell, Row, RowSource};
use std::collections::HashMap;

/// At most this many diagnostics are kept for one file; a last one says how many more.
pub const MAX_DIAGNOSTICS: usize = 500;

/// The longest message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// Accumulates units and values from any source, then builds the [`Dataset`].
pub struct DatasetBuilder<'f> {
    framework: &'f Framework,
    file: String,
    variables: Vec<String>,
    variable_types: Vec<Option<ValueType>>,
    variable_lookup: HashMap<String, usize>,
    /// The framework node of each variable (denominators have none).
    variable_nodes: Vec<Option<usize>>,
    units: Vec<Unit>,
    unit_lookup: HashMap<String, u32>,
    periods: Vec<String>,
    period_lookup: HashMap<String, u32>,
    /// Row-major values per (period, unit) slot.
    slots: Vec<f64>,
    /// Evidence dates as days, laid out like `slots` (`NO_DATE` when absent); empty until
    /// the first date.
    slot_days: Vec<i32>,
    slot_keys: Vec<(u32, u32)>,
    slot_lookup: HashMap<(u32, u32), u32>,
    details: std::collections::BTreeMap<(u32, u32, u32), ValueDetails>,
    groups: Vec<GroupColumn>,
    group_labels: Vec<HashMap<String, u32>>,
    diagnostics: Vec<Diagnostic>,
    dropped: usize,
    /// Set when the data goes past a count limit: readers stop there.
    over_limit: bool,
    refusal: Refusal,
    /// Values refused at their cell: (slot, variable).
    refused: Vec<(u32, u32)>,
}

impl<'f> DatasetBuilder<'f> {
    /// A builder for data on a framework's indicators and denominators.
    pub fn new(framework: &'f Framework, file: &str) -> Self {
        let mut variables = Vec::new();
        let mut variable_types = Vec::new();
        for node in &framework.nodes {
            if let Some(indicator) = node.indicator() {
                variables.push(node.id.clone());
                variable_types.push(Some(indicator.value_type.clone()));
            }
        }
        for denominator in &framework.denominators {
            variables.push(denominator.clone());
            variable_types.push(None);
        }
        let variable_lookup = variables.iter().enumerate().map(|(index, id)| (id.clone(), index)).collect();
        let variable_nodes = variables.iter().map(|id| framework.node_index(id)).collect();
        Self {
            framework,
            file: file.to_owned(),
            variables,
            variable_types,
            variable_lookup,
            variable_nodes,
            units: Vec::new(),
            unit_lookup: HashMap::new(),
            periods: Vec::new(),
            period_lookup: HashMap::new(),
            slots: Vec::new(),
            slot_days: Vec::new(),
            slot_keys: Vec::new(),
            slot_lookup: HashMap::new(),
            details: Default::default(),
            groups: framework
                .groups
                .iter()
                .map(|id| GroupColumn { id: id.clone(), ..GroupColumn::default() })
                .collect(),
            group_labels: vec![HashMap::new(); framework.groups.len()],
            diagnostics: Vec::new(),
            dropped: 0,
            over_limit: false,
            refusal: Refusal::default(),
            refused: Vec::new(),
        }
    }

    /// Reads with `options`.
    pub fn with_options(mut self, options: ReadOptions) -> Self {
        self.refusal = options.refusal;
        self
    }

    /// The variable index of an indicator or denominator id.
    pub fn variable(&self, id: &str) -> Option<usize> {
        self.variable_lookup.get(id).copied()
    }

    fn location(&self, line: u32, column: Option<usize>, field: Option<&str>) -> Location {
        Location {
            file: self.file.clone(),
            line,
            column: column.map_or(0, |c| crate::text::to_u32(c + 1)),
            start: None,
            end: None,
            path: field.map(str::to_owned),
        }
    }

    /// Records a problem. At most `MAX_DIAGNOSTICS` are kept, and warnings never crowd
    /// out errors: an error past the cap takes a warning's place, so the data set is
    /// refused and the error is shown.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        // A message may quote a cell: never a whole 50 MB one.
        if let Some(message) = std::sync::Arc::get_mut(&mut diagnostic.message) {
            message.shorten(MAX_MESSAGE_CHARS);
        }
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
            return;
        }
        self.dropped += 1;
        if diagnostic.is_error()
            && let Some(warning) = self.diagnostics.iter().rposition(|kept| !kept.is_error())
        {
            self.diagnostics.remove(warning);
            self.diagnostics.push(diagnostic);
        }
    }

    /// How many values were refused at their cell so far (see [`super::Refusal`]).
    pub fn refused_count(&self) -> usize {
        self.refused.len()
    }

    /// How many problems were recorded so far.
    pub fn diagnostic_count(&self) -> usize {
        self.diagnostics.len()
    }

    /// The problems recorded after the first `count`.
    pub fn diagnostics_since(&self, count: usize) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().skip(count)
    }

    #[allow(clippy::too_many_arguments, reason = "a diagnostic's parts, each plain data")]
    pub(super) fn problem(
        &mut self,
        severity: Severity,
        code: Code,
        message: Message,
        hint: Option<Message>,
        line: u32,
        column: Option<usize>,
        field: Option<&str>,
    ) {
        let location = self.location(line, column, field);
        let hints = hint.into_iter().map(std::sync::Arc::new).collect();
        self.report(Diagnostic { severity, code, message: std::sync::Arc::new(message), location, hints });
    }

    /// Records a unit's group attributes in the group columns.
    fn set_groups(&mut self, unit: usize, groups: std::collections::BTreeMap<String, String>) {
        for (group, label) in groups {
            let Some(column) = self.groups.iter().position(|g| g.id == group) else { continue };
            let next = crate::text::to_u32(self.groups[column].labels.len());
            let index = *self.group_labels[column].entry(label.clone()).or_insert(next);
            if index == next {
                self.groups[column].labels.push(label);
            }
            let values = &mut self.groups[column].values;
            if values.len() <= unit {
                values.resize(unit + 1, None);
            }
            if values[unit].is_none() {
                values[unit] = Some(index);
            }
        }
    }

    /// Whether the data went past the most units or periods read: stop reading.
    pub fn over_limit(&self) -> bool {
        self.over_limit
    }

    /// Reports a text longer than `limit` characters.
    fn check_length(&mut self, text: &str, limit: usize, what: Message, line: u32, field: Option<&str>) {
        if let Some(message) = crate::message::Message::too_long(what, text, limit) {
            self.problem(Severity::Error, Code::TooLarge, message, None, line, None, field);
        }
    }

    /// Adds or finds a unit; reports a conflict when the description differs.
    pub fn unit(&mut self, mut unit: Unit, line: u32) -> u32 {
        let groups = std::mem::take(&mut unit.groups);
        unit.id = crate::text::into_nfc(unit.id);
        if let Some(&index) = self.unit_lookup.get(&unit.id) {
            let existing = &self.units[index as usize];
            let differs = (!unit.name.is_empty() && unit.name != unit.id && existing.name != unit.name)
                || (unit.block.is_some() && existing.block != unit.block);
            if differs {
                let message = Message::UnitDescribedDifferently {
                    unit: Arg::unit(&unit.id),
                    name: Arg::given(&existing.name),
                    block: existing.block.as_deref().map_or_else(|| Arg::text("-"), Arg::block),
                };
                let hint = Some(Message::HintFirstDescriptionKept {});
                self.problem(Severity::Warning, Code::UnitConflict, message, hint, line, None, None);
            }
            self.set_groups(index as usize, groups);
            return index;
        }
        if let Some(block) = &unit.block
            && !self.framework.blocks.is_empty()
            && self.framework.block_index(block).is_none()
        {
            let known = Arg::codes(self.framework.blocks.iter().map(|b| b.id.as_str()));
            self.problem(
                Severity::Error,
                Code::UnknownBlock,
                Message::UnitBlockUnknown { block: Arg::code(block), unit: Arg::unit(&unit.id) },
                Some(Message::HintDeclaredBlocks { blocks: known }),
                line,
                None,
                Some("block"),
            );
        }
        self.check_length(&unit.id, crate::limits::MAX_ID_CHARS, Message::WhatUnitId {}, line, Some("unit"));
        self.check_length(&unit.name, crate::limits::MAX_TEXT_CHARS, Message::WhatUnitName {}, line, Some("name"));
        if self.units.len() == crate::limits::MAX_UNITS {
            let message = Message::TooManyUnits { limit: Arg::count(crate::limits::MAX_UNITS) };
            self.problem(Severity::Error, Code::TooLarge, message, None, line, None, Some("unit"));
            self.over_limit = true;
        }
        let index = crate::text::to_u32(self.units.len());
        self.unit_lookup.insert(unit.id.clone(), index);
        self.units.push(unit);
        self.set_groups(index as usize, groups);
        index
    }

    fn period(&mut self, period: &str, line: u32) -> u32 {
        if let Some(&index) = self.period_lookup.get(period) {
            return index;
        }
        let period = &*crate::text::nfc(period);
        if let Some(&index) = self.period_lookup.get(period) {
            return index;
        }
        self.check_length(period, crate::limits::MAX_ID_CHARS, Message::WhatPeriod {}, line, Some("period"));
        if self.periods.len() == crate::limits::MAX_PERIODS {
            let message = Message::TooManyPeriods { limit: Arg::count(crate::limits::MAX_PERIODS) };
            self.report(Diagnostic::error(Code::TooLarge, message, self.location(line, None, Some("period"))));
            self.over_limit = true;
        }
        let index = crate::text::to_u32(self.periods.len());
        self.period_lookup.insert(period.to_owned(), index);
        self.periods.push(period.to_owned());
        index
    }

    /// The slot of a (period, unit) pair; `fresh` tells whether it was just created.
    fn slot(&mut self, period: u32, unit: u32) -> (usize, bool) {
        if let Some(&slot) = self.slot_lookup.get(&(period, unit)) {
            return (slot as usize, false);
        }
        let slot = self.slot_keys.len();
        self.slot_keys.push((period, unit));
        self.slot_lookup.insert((period, unit), crate::text::to_u32(slot));
        self.slots.extend(std::iter::repeat_n(f64::NAN, self.variables.len()));
        if !self.slot_days.is_empty() {
            self.slot_days.resize(self.slots.len(), super::NO_DATE);
        }
        (slot, true)
    }

    /// Sets one value from a cell, checking it against the variable's type.
    #[allow(clippy::too_many_arguments)]
    pub fn value(
        &mut self,
        period: &str,
        unit: u32,
        variable: usize,
        cell: &Cell,
        details: ValueDetails,
        line: u32,
        column: Option<usize>,
        duplicate_is_error: bool,
    ) {
        for (text, what, field) in [
            (&details.evidence, Message::WhatEvidence {}, "evidence"),
            (&details.reason, Message::WhatReason {}, "reason"),
            (&details.note, Message::WhatNote {}, "note"),
        ] {
            if let Some(text) = text {
                self.check_length(text, crate::limits::MAX_TEXT_CHARS, what, line, Some(field));
            }
        }
        let period_index = self.period(period, line);
        let (slot, _) = self.slot(period_index, unit);
        let position = slot * self.variables.len() + variable;
        // Only problems need the id as text; the happy path allocates nothing.
        let variable_id = || self.variables[variable].clone();
        let parsed = match &self.variable_types[variable] {
            Some(value_type) => parse_value(cell, value_type),
            None => parse_number(cell).map(|number| number.map_or(Parsed::Missing, Parsed::Number)),
        };
        let (number, items) = match parsed {
            Ok(Parsed::Missing) => (f64::NAN, None),
            Ok(Parsed::Number(number)) => (number, None),
            Ok(Parsed::Items(items)) => (self.checklist_score(variable, &items), Some(items)),
            Err(rejection) => {
                let (code, problem, hint) = *rejection;
                let unit_id = self.units[unit as usize].id.clone();
                let message = Message::ValueRefused {
                    problem: Arg::message(problem),
                    unit: Arg::unit(unit_id),
                    indicator: Arg::node(variable_id()),
                };
                let (severity, hints) = match self.refusal {
                    Refusal::RefuseFile => (Severity::Error, vec![hint]),
                    Refusal::CountAsMissing => {
                        self.refused.push((crate::text::to_u32(slot), crate::text::to_u32(variable)));
                        let given = match cell {
                            Cell::Text(text) => text.clone(),
                            Cell::Number(number) => crate::text::format_number(*number),
                            Cell::Bool(value) => value.to_string(),
                            Cell::Empty => String::new(),
                        };
                        let details = ValueDetails { refused: Some(given), ..details };
                        self.details.insert((period_index, unit, crate::text::to_u32(variable)), details);
                        (Severity::Warning, vec![Message::HintRefusedCountedMissing {}, hint])
                    }
                };
                let location = self.location(line, column, Some(&variable_id()));
                let hints = hints.into_iter().map(std::sync::Arc::new).collect();
                self.report(Diagnostic { severity, code, message: std::sync::Arc::new(message), location, hints });
                return;
            }
        };
        if duplicate_is_error
            && (!self.slots[position].is_nan()
                || self.slot_days.get(position).is_some_and(|&day| day != super::NO_DATE)
                || self.details.contains_key(&(period_index, unit, crate::text::to_u32(variable))))
        {
            let unit_id = self.units[unit as usize].id.clone();
            let message = Message::SecondValue {
                unit: Arg::unit(unit_id),
                period: Arg::given(period),
                indicator: Arg::node(variable_id()),
            };
            self.problem(
                Severity::Error,
                Code::DuplicateValue,
                message,
                Some(Message::HintOneRowPerValue {}),
                line,
                column,
                Some(&variable_id()),
            );
            return;
        }
        if !number.is_nan()
            && let Some(node) = self.variable_nodes[variable]
            && let Some(indicator) = self.framework.nodes[node].indicator()
        {
            let block = self.units[unit as usize].block.as_deref().and_then(|b| self.framework.block_index(b));
            if !indicator.applies_to_block(block) {
                let unit_id = self.units[unit as usize].id.clone();
                let message = Message::DoesNotApply { indicator: Arg::node(variable_id()), unit: Arg::unit(unit_id) };
                self.problem(Severity::Warning, Code::NotApplicable, message, None, line, column, Some(&variable_id()));
            }
        }
        let mut details = details;
        match details.evidence_date.as_deref().map(|text| (text, text.parse::<crate::period::Date>())) {
            None => {}
            Some((text, Ok(date))) => {
                if self.slot_days.len() < self.slots.len() {
                    self.slot_days.resize(self.slots.len(), super::NO_DATE);
                }
                self.slot_days[position] = i32::try_from(date.unix_days()).unwrap_or(super::NO_DATE);
                // A date written as the data set writes it back is kept as its day only
                // (millions of them in a large file); any other writing as text too. Read
                // dates are `YYYY-MM-DD` plus anything after: ten bytes are exactly that.
                if text.len() == 10 {
                    details.evidence_date = None;
                }
            }
            Some((date, Err(_))) => {
                let unit_id = self.units[unit as usize].id.clone();
                let variable_id = self.variables[variable].clone();
                let message = Message::EvidenceDateNotDate {
                    date: Arg::given(date),
                    unit: Arg::unit(unit_id),
                    indicator: Arg::node(&variable_id),
                };
                let hint = Some(Message::HintDateFormat {});
                self.problem(Severity::Warning, Code::BadValue, message, hint, line, column, Some(&variable_id));
            }
        }
        self.slots[position] = number;
        let details = ValueDetails { items, ..details };
        if !details.is_empty() {
            self.details.insert((period_index, unit, crate::text::to_u32(variable)), details);
        }
    }

    /// Marks a unit as present in a period even without values.
    pub fn touch(&mut self, period: &str, unit: u32, line: u32) -> bool {
        let period_index = self.period(period, line);
        self.slot(period_index, unit).1
    }

    /// The numeric value of a checklist: the sum of its checked items' points.
    fn checklist_score(&self, variable: usize, items: &[String]) -> f64 {
        super::values::checklist_points(self.variable_types[variable].as_ref(), items)
    }

    /// Builds the data set; `None` when any error was reported.
    pub fn finish(mut self) -> (Option<Dataset>, Vec<Diagnostic>) {
        if self.dropped > 0 {
            let location = self.location(0, None, None);
            self.diagnostics.push(Diagnostic::warning(
                Code::BadValue,
                Message::MoreProblems { count: Arg::count(self.dropped) },
                location,
            ));
        }
        if self.units.is_empty() && !crate::diag::has_errors(&self.diagnostics) {
            let location = self.location(0, None, None);
            self.diagnostics.push(
                Diagnostic::error(Code::EmptyData, Message::NoUnits {}, location)
                    .with_hint(Message::HintAddUnitRows {}),
            );
        }
        if crate::diag::has_errors(&self.diagnostics) {
            return (None, self.diagnostics);
        }
        let n_units = self.units.len();
        let n_variables = self.variables.len();
        // Periods in time order (the one order every command uses, see
        // `period::chronological`); remap indices.
        let order: Vec<u32> =
            crate::period::chronological(&self.periods).into_iter().map(crate::text::to_u32).collect();
        let mut new_index = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_index[*old as usize] = crate::text::to_u32(new);
        }
        let periods: Vec<String> = order.iter().map(|old| self.periods[*old as usize].clone()).collect();
        let slots = std::mem::take(&mut self.slots);
        let slot_days = std::mem::take(&mut self.slot_days);
        let mut tables: Vec<PeriodTable> = periods.iter().map(|_| PeriodTable::empty(n_units, n_variables)).collect();
        let table_of: Vec<usize> =
            self.slot_keys.iter().map(|&(period, _)| new_index[period as usize] as usize).collect();
        for (&(_, unit), &table) in self.slot_keys.iter().zip(&table_of) {
            tables[table].present[unit as usize] = true;
        }
        // The rows read (one per period and unit) go into the variable-major tables a block
        // of rows at a time: the block stays in cache while every variable takes its values.
        const BLOCK: usize = 256;
        for first in (0..self.slot_keys.len()).step_by(BLOCK) {
            let block = first..(first + BLOCK).min(self.slot_keys.len());
            for variable in 0..n_variables {
                for slot in block.clone() {
                    let unit = self.slot_keys[slot].1 as usize;
                    tables[table_of[slot]].values[variable * n_units + unit] = slots[slot * n_variables + variable];
                }
            }
        }
        drop(slots);
        for (position, &day) in slot_days.iter().enumerate().filter(|(_, day)| **day != super::NO_DATE) {
            let (slot, variable) = (position / n_variables, position % n_variables);
            let table = &mut tables[table_of[slot]];
            if table.evidence_days.is_empty() {
                table.evidence_days = vec![super::NO_DATE; n_units * n_variables];
            }
            table.evidence_days[variable * n_units + self.slot_keys[slot].1 as usize] = day;
        }
        for &(slot, variable) in &self.refused {
            let table = &mut tables[table_of[slot as usize]];
            let unit = self.slot_keys[slot as usize].1;
            // A later row may give the cell again: it is refused only while still missing.
            if table.value(variable as usize, unit as usize).is_nan() {
                table.refused.push((variable, unit));
            }
        }
        for table in &mut tables {
            table.refused.sort_unstable();
            table.refused.dedup();
        }
        for column in &mut self.groups {
            column.values.resize(n_units, None);
        }
        let details = std::mem::take(&mut self.details);
        // Periods read in time order keep their indices: the map stays as it is.
        let details: std::collections::BTreeMap<_, _> =
            if new_index.iter().enumerate().all(|(old, &new)| new as usize == old) {
                details
            } else {
                details
                    .into_iter()
                    .map(|((period, unit, variable), details)| ((new_index[period as usize], unit, variable), details))
                    .collect()
            };
        for (&(period, unit, variable), details) in &details {
            let table = &mut tables[period as usize];
            let position = variable as usize * n_units + unit as usize;
            if let (Some(items), Some(ValueType::Checklist { items: declared })) =
                (&details.items, &self.variable_types[variable as usize])
            {
                if table.item_masks.is_empty() {
                    table.item_masks = vec![0; n_units * n_variables];
                }
                table.item_masks[position] = declared
                    .iter()
                    .take(64)
                    .enumerate()
                    .filter(|(_, item)| items.contains(&item.id))
                    .fold(0, |mask, (bit, _)| mask | (1u64 << bit));
            }
        }
        let dataset = Dataset {
            units: self.units.into(),
            periods,
            variables: self.variables,
            tables,
            details,
            groups: self.groups,
        };
        (Some(dataset), self.diagnostics)
    }
}

pub(crate) fn read_table(
    file: &str,
    source: &mut dyn RowSource,
    framework: &Framework,
    options: ReadOptions,
) -> (Option<Dataset>, Vec<Diagnostic>) {
    let mut builder = DatasetBuilder::new(framework, file).with_options(options);
    let headers = match source.headers() {
        Ok(headers) => headers,
        Err(diagnostic) => return (None, vec![*diagnostic]),
    };
    let columns = super::columns::recognise(&mut builder, framework, &headers);
    let find = |wanted: &Column| columns.iter().position(|column| column == wanted);
    let Some(unit_column) = find(&Column::Unit) else {
        let location = Location { file: file.to_owned(), line: 1, ..Location::default() };
        let hint = if headers.len() == 1 && headers[0].contains(';') {
            Message::HintSemicolons {}
        } else {
            Message::HintUnitColumn {}
        };
        let diagnostic = Diagnostic::error(Code::MissingColumn, Message::NoUnitColumn {}, location).with_hint(hint);
        return (None, vec![diagnostic]);
    };
    let long = find(&Column::Indicator).is_some() || find(&Column::Value).is_some();
    if long && (find(&Column::Indicator).is_none() || find(&Column::Value).is_none()) {
        let location = Location { file: file.to_owned(), line: 1, ..Location::default() };
        let diagnostic = Diagnostic::error(Code::MissingColumn, Message::LongNeedsColumns {}, location);
        return (None, vec![diagnostic]);
    }
    let mut row = Row { line: 0, cells: Vec::new() };
    let short_rows_allowed = !source.rows_have_every_cell();
    while let Some(result) = source.next_row(&mut row) {
        match result {
            Ok(()) if row.cells.iter().all(Cell::is_empty) => {}
            Ok(()) if !fits_header(&mut builder, &row, headers.len(), short_rows_allowed) => {}
            Ok(()) => read_row(&mut builder, &columns, unit_column, &row, long),
            Err(diagnostic) => {
                builder.report(*diagnostic);
                break;
            }
        }
        if builder.over_limit() {
            break;
        }
    }
    builder.finish()
}

/// Whether a row has as many cells as the header; reports one that has more (with
/// content: a decimal comma without quotes, say) or, where a row always has every cell
/// (CSV), fewer.
fn fits_header(builder: &mut DatasetBuilder<'_>, row: &Row, n_headers: usize, short_allowed: bool) -> bool {
    let extra = row.cells.iter().skip(n_headers).any(|cell| !cell.is_empty());
    let short = !short_allowed && row.cells.len() < n_headers;
    if !extra && !short {
        return true;
    }
    let cells = if short_allowed {
        row.cells.iter().rposition(|cell| !cell.is_empty()).map_or(0, |last| last + 1)
    } else {
        row.cells.len()
    };
    let hint = if extra { Message::HintDecimalComma {} } else { Message::HintRowCells {} };
    builder.problem(
        Severity::Error,
        Code::RaggedRow,
        Message::RaggedRow { cells: Arg::count(cells), headers: Arg::count(n_headers) },
        Some(hint),
        row.line,
        None,
        None,
    );
    false
}

fn read_row(builder: &mut DatasetBuilder<'_>, columns: &[Column], unit_column: usize, row: &Row, long: bool) {
    let cell = |position: usize| row.cells.get(position).unwrap_or(&Cell::Empty);
    let Some(unit_id) = cell(unit_column).text() else {
        builder.problem(
            Severity::Error,
            Code::MissingField,
            Message::RowNoUnit {},
            Some(Message::HintFillUnit {}),
            row.line,
            Some(unit_column),
            Some("unit"),
        );
        return;
    };
    let mut unit = Unit { id: unit_id.clone(), name: unit_id, ..Unit::default() };
    let mut period = DEFAULT_PERIOD.to_owned();
    let mut indicator = None;
    let mut value_position = None;
    let mut details = ValueDetails::default();
    let mut per_variable: Vec<(usize, Detail, String)> = Vec::new();
    for (position, column) in columns.iter().enumerate() {
        if matches!(column, Column::Unit | Column::Variable(_) | Column::Ignored) {
            continue;
        }
        let text = cell(position).text();
        match column {
            Column::Name => {
                if let Some(name) = text {
                    unit.name = name;
                }
            }
            Column::Block => unit.block = text,
            Column::Parent => unit.parent = text,
            Column::Period => match text {
                Some(text) => period = text,
                // A file with a period column names the period on every row: an empty one
                // would silently make a period of its own.
                None => {
                    builder.problem(
                        Severity::Error,
                        Code::MissingField,
                        Message::RowNoPeriod {},
                        Some(Message::HintFillPeriod {}),
                        row.line,
                        Some(position),
                        Some("period"),
                    );
                    return;
                }
            },
            Column::Group(group) => {
                if let Some(text) = text {
                    unit.groups.insert(group.clone(), text);
                }
            }
            Column::Indicator => indicator = text.map(|text| (text, position)),
            Column::Value => value_position = Some(position),
            Column::Evidence => details.evidence = text,
            Column::EvidenceDate => details.evidence_date = text,
            Column::Status => details.status = text.and_then(|text| status(builder, &text, row.line, position)),
            Column::Reason => details.reason = text,
            Column::Note => details.note = text,
            Column::VariableDetail(variable, detail) => {
                if let Some(text) = text {
                    per_variable.push((*variable, *detail, text));
                }
            }
            Column::Unit | Column::Variable(_) | Column::Ignored => {}
        }
    }
    let line = row.line;
    let unit_index = builder.unit(unit, line);
    if long {
        let Some((indicator_id, indicator_position)) = indicator else {
            builder.problem(
                Severity::Error,
                Code::MissingField,
                Message::RowNoIndicator {},
                None,
                line,
                None,
                Some("indicator"),
            );
            return;
        };
        let Some(variable) = builder.variable(&indicator_id) else {
            let message = Message::IndicatorNotInFile { indicator: Arg::code(&indicator_id) };
            builder.problem(
                Severity::Error,
                Code::UnknownIndicator,
                message,
                Some(Message::HintCheckIndicatorId {}),
                line,
                Some(indicator_position),
                Some("indicator"),
            );
            return;
        };
        let value_position = value_position.unwrap_or_default();
        builder.value(&period, unit_index, variable, cell(value_position), details, line, Some(value_position), true);
    } else {
        let fresh = builder.touch(&period, unit_index, line);
        if !fresh {
            let message = Message::UnitTwiceInPeriod {
                unit: Arg::unit(&builder.units[unit_index as usize].id),
                period: Arg::given(&period),
            };
            builder.problem(
                Severity::Error,
                Code::DuplicateValue,
                message,
                Some(Message::HintOneRowPerUnit {}),
                line,
                Some(unit_column),
                None,
            );
            return;
        }
        for (position, column) in columns.iter().enumerate() {
            if let Column::Variable(variable) = column {
                let mut value_details = ValueDetails::default();
                for (detail_variable, detail, text) in &mut per_variable {
                    if detail_variable == variable {
                        let text = std::mem::take(text);
                        match detail {
                            Detail::Evidence => value_details.evidence = Some(text),
                            Detail::EvidenceDate => value_details.evidence_date = Some(text),
                            Detail::Status => value_details.status = status(builder, &text, line, position),
                            Detail::Reason => value_details.reason = Some(text),
                            Detail::Note => value_details.note = Some(text),
                        }
                    }
                }
                builder.value(
                    &period,
                    unit_index,
                    *variable,
                    cell(position),
                    value_details,
                    line,
                    Some(position),
                    false,
                );
            }
        }
    }
}

fn status(builder: &mut DatasetBuilder<'_>, text: &str, line: u32, position: usize) -> Option<ValueStatus> {
    match text.to_lowercase().as_str() {
        "self-assessed" | "self_assessed" | "tự đánh giá" => Some(ValueStatus::SelfAssessed),
        "verified" | "đã thẩm định" => Some(ValueStatus::Verified),
        "adjusted" | "điều chỉnh" => Some(ValueStatus::Adjusted),
        _ => {
            let message = Message::NotAStatus { value: Arg::given(text) };
            builder.problem(
                Severity::Error,
                Code::BadValue,
                message,
                Some(Message::HintStatus {}),
                line,
                Some(position),
                Some("status"),
            );
            None
        }
    }
}
