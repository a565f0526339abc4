//! Recognising a table's columns by their headers: unit and metadata columns, groups,
//! indicators and denominators, and per-indicator detail columns (`id:evidence`).

use super::builder::DatasetBuilder;
use crate::diag::{Code, Severity};
use crate::framework::Framework;
use crate::message::{Arg, Message};

/// The role of a column.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Column {
    Unit,
    Name,
    Block,
    Parent,
    Period,
    Indicator,
    Value,
    Evidence,
    EvidenceDate,
    Status,
    Reason,
    Note,
    Group(String),
    Variable(usize),
    VariableDetail(usize, Detail),
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Detail {
    Evidence,
    EvidenceDate,
    Status,
    Reason,
    Note,
}

fn metadata_column(header: &str) -> Option<Column> {
    let lower = header.trim().to_lowercase();
    Some(match lower.as_str() {
        "unit" | "unit_id" | "ucode" | "code" | "country-code" | "country_code" | "iso3" => Column::Unit,
        "name" | "unit_name" | "uname" | "country-name" | "country_name" => Column::Name,
        "block" => Column::Block,
        "parent" | "parent_unit" => Column::Parent,
        "period" | "time" | "year" => Column::Period,
        "indicator" | "indicator_id" | "icode" => Column::Indicator,
        "value" => Column::Value,
        "evidence" | "evidence_link" => Column::Evidence,
        "evidence_date" => Column::EvidenceDate,
        "status" => Column::Status,
        "reason" | "status_reason" => Column::Reason,
        "note" | "notes" => Column::Note,
        // Columns for people filling a template (`dti template`): read past silently.
        // And the export's columns for people (`value_text`: the value in words).
        "indicator_name" | "guidance" | "value_text" => Column::Ignored,
        _ => return None,
    })
}

/// Reads all rows of a table into a data set, long or wide by its headers.
/// The role of each header, in order; reports unknown and repeated columns.
pub(super) fn recognise(builder: &mut DatasetBuilder<'_>, framework: &Framework, headers: &[String]) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::with_capacity(headers.len());
    for (position, header) in headers.iter().enumerate() {
        // A group the indicator file declares stays a group whatever its name (a COINr
        // group column called `Block` is not the ranking block); only the unit and period
        // columns come first.
        let group = framework.groups.iter().find(|g| g.eq_ignore_ascii_case(header));
        let column = if let Some(variable) = builder.variable(header) {
            Column::Variable(variable)
        } else if let Some(column) =
            metadata_column(header).filter(|column| group.is_none() || matches!(column, Column::Unit | Column::Period))
        {
            column
        } else if let Some(group) = group {
            Column::Group(group.clone())
        } else if let Some((variable, detail)) = detail_column(builder, header) {
            Column::VariableDetail(variable, detail)
        } else {
            if !header.is_empty() {
                builder.problem(
                    Severity::Warning,
                    Code::UnknownColumn,
                    Message::UnknownColumn { column: Arg::given(header) },
                    Some(Message::HintUnknownColumn {}),
                    1,
                    Some(position),
                    None,
                );
            }
            Column::Ignored
        };
        if column != Column::Ignored
            && let Some(first) = columns.iter().position(|earlier| *earlier == column)
        {
            builder.problem(
                Severity::Error,
                Code::DuplicateColumn,
                Message::ColumnTwice {
                    column: Arg::given(header),
                    first: Arg::count(first + 1),
                    second: Arg::count(position + 1),
                },
                Some(Message::HintColumnTwice {}),
                1,
                Some(position),
                None,
            );
        }
        columns.push(column);
    }
    columns
}

fn detail_column(builder: &DatasetBuilder<'_>, header: &str) -> Option<(usize, Detail)> {
    let (id, suffix) = header.rsplit_once(':')?;
    let variable = builder.variable(id.trim())?;
    let detail = match suffix.trim().to_lowercase().as_str() {
        "evidence" => Detail::Evidence,
        "evidence_date" => Detail::EvidenceDate,
        "status" => Detail::Status,
        "reason" => Detail::Reason,
        "note" => Detail::Note,
        _ => return None,
    };
    Some((variable, detail))
}
