//! JSON data: `{ "units": [...], "values": [...] }`.

use super::builder::DatasetBuilder;
use super::{DEFAULT_PERIOD, Dataset, Unit, ValueDetails, ValueStatus};
use crate::diag::{Code, Diagnostic, Location};
use crate::framework::Framework;
use crate::framework::locate::{FieldPath, Locator};
use crate::message::{Arg, Message};
use crate::table::Cell;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct RawData {
    #[serde(default)]
    units: Vec<Unit>,
    #[serde(default)]
    values: Vec<RawValue>,
}

#[derive(Deserialize)]
struct RawValue {
    unit: String,
    #[serde(default)]
    period: Option<String>,
    indicator: String,
    #[serde(default)]
    value: serde_json::Value,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    evidence_date: Option<String>,
    #[serde(default)]
    status: Option<ValueStatus>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

pub(crate) fn read_json(
    file: &str,
    bytes: &[u8],
    framework: &Framework,
    options: super::ReadOptions,
) -> (Option<Dataset>, Vec<Diagnostic>) {
    let text = match crate::diag::decode_text(file, bytes) {
        Ok(text) => text,
        Err(diagnostic) => return (None, vec![*diagnostic]),
    };
    let locator = Locator::json(file, text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut unknown = Vec::new();
    let raw: RawData = match serde_ignored::deserialize(&mut deserializer, |path| unknown.push(path.to_string())) {
        Ok(raw) => raw,
        Err(error) => {
            let location = Location {
                file: file.to_owned(),
                line: crate::text::to_u32(error.line()),
                column: crate::text::to_u32(error.column()),
                ..Location::default()
            };
            return (None, vec![Diagnostic::error(Code::Syntax, crate::diag::json_error(&error), location)]);
        }
    };
    let mut builder = DatasetBuilder::new(framework, file).with_options(options);
    for path in unknown {
        let location = Location { file: file.to_owned(), path: Some(path.clone()), ..Location::default() };
        builder.report(Diagnostic::warning(
            Code::UnknownKey,
            Message::UnknownKeyIgnored { name: Arg::code(path) },
            location,
        ));
    }
    let mut unit_lines = BTreeMap::new();
    for (index, mut unit) in raw.units.into_iter().enumerate() {
        unit.id = crate::text::into_nfc(unit.id);
        let location = locator.locate(&FieldPath::root().key("units").index(index));
        unit_lines.insert(unit.id.clone(), location.line);
        builder.unit(unit, location.line);
        if builder.over_limit() {
            return builder.finish();
        }
    }
    // Values under a unit the file does not declare, when it declares units, are a
    // mistake (a typo in an id), not a unit of their own.
    let declared_units = !unit_lines.is_empty();
    // A file that names the period of any value names it for every value.
    let periods_named = raw.values.iter().any(|value| value.period.is_some());
    for (index, mut value) in raw.values.into_iter().enumerate() {
        // Ids as they are compared (see `crate::text`).
        value.unit = crate::text::into_nfc(value.unit);
        value.indicator = crate::text::into_nfc(value.indicator);
        value.period = value.period.map(crate::text::into_nfc);
        let path = FieldPath::root().key("values").index(index);
        let location = locator.locate(&path.key("value"));
        if declared_units && !unit_lines.contains_key(&value.unit) {
            let location = locator.locate(&path.key("unit"));
            let known = Arg::List(unit_lines.keys().take(20).map(Arg::unit).collect());
            let message = Message::ValueForUndeclaredUnit { index: Arg::count(index), unit: Arg::unit(&value.unit) };
            builder.report(
                Diagnostic::error(Code::UnknownUnit, message, location)
                    .with_hint(Message::HintDeclaredUnits { units: known }),
            );
            continue;
        }
        if periods_named && value.period.is_none() {
            let location = locator.locate(&path);
            let message = Message::ValueNoPeriod { index: Arg::count(index), unit: Arg::unit(&value.unit) };
            builder
                .report(Diagnostic::error(Code::MissingField, message, location).with_hint(Message::HintAddPeriod {}));
            continue;
        }
        let unit = Unit { id: value.unit.clone(), name: value.unit.clone(), ..Unit::default() };
        let unit_index = builder.unit(unit, location.line);
        let Some(variable) = builder.variable(&value.indicator) else {
            let location = locator.locate(&path.key("indicator"));
            let message = Message::IndicatorNotInFile { indicator: Arg::code(&value.indicator) };
            builder.report(Diagnostic::error(Code::UnknownIndicator, message, location));
            continue;
        };
        let cell = match &value.value {
            serde_json::Value::Null => Cell::Empty,
            serde_json::Value::Bool(flag) => Cell::Bool(*flag),
            serde_json::Value::Number(number) => Cell::Number(number.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(text) => Cell::Text(text.clone()),
            serde_json::Value::Array(items) => Cell::Text(
                items
                    .iter()
                    .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            serde_json::Value::Object(_) => Cell::Text("{...}".into()),
        };
        let details = ValueDetails {
            evidence: value.evidence,
            evidence_date: value.evidence_date,
            status: value.status,
            reason: value.reason,
            note: value.note,
            items: None,
            refused: None,
        };
        let period = value.period.unwrap_or_else(|| DEFAULT_PERIOD.to_owned());
        builder.value(
            &period,
            unit_index,
            variable,
            &cell,
            details,
            location.line,
            Some(location.column.saturating_sub(1) as usize),
            true,
        );
        if builder.over_limit() {
            break;
        }
    }
    builder.finish()
}
