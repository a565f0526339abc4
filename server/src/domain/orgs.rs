//! Organisations: a tree (a ministry and its departments; a province and its communes),
//! each node with its block. A node's `path` lists the ids from the root down
//! (`/1/4/9/`), so that a subtree is every path it prefixes.

use crate::audit::{self, Record, Who};
use crate::clock::Millis;
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Any, AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// One organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Org {
    /// Its id.
    pub id: i64,
    /// Its code, unique: the unit id of the indicator data (`M01`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its parent's id.
    pub parent_id: Option<i64>,
    /// The ids from the root down, `/1/4/`.
    pub path: String,
    /// Its block (a group ranked together), when any.
    pub block: Option<String>,
}

const COLUMNS: &str = "id, code, name, parent_id, path, block";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Org, sqlx::Error> {
    Ok(Org {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        parent_id: row.try_get("parent_id")?,
        path: row.try_get("path")?,
        block: row.try_get("block")?,
    })
}

/// Every organisation, in tree order (by path).
pub async fn list<'c, E: sqlx::Executor<'c, Database = Any>>(executor: E) -> Result<Vec<Org>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs ORDER BY path")).fetch_all(executor).await?;
    rows.iter().map(from_row).collect()
}

/// The organisation with `code`.
pub async fn by_code<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    code: &str,
) -> Result<Option<Org>, sqlx::Error> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE code = $1")).bind(code).fetch_optional(executor).await?;
    row.as_ref().map(from_row).transpose()
}

/// The organisation with `id`.
pub async fn by_id<'c, E: sqlx::Executor<'c, Database = Any>>(
    executor: E,
    id: i64,
) -> Result<Option<Org>, sqlx::Error> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE id = $1")).bind(id).fetch_optional(executor).await?;
    row.as_ref().map(from_row).transpose()
}

/// What describes an organisation, as created, edited or imported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    /// Its code (letters, digits, `-`, `_`, `.`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// The parent's code; none for a root.
    #[serde(default)]
    pub parent: Option<String>,
    /// Its block.
    #[serde(default)]
    pub block: Option<String>,
}

/// Checks an organisation's fields; `field` prefixes the names in errors.
fn check(input: &OrgInput, field: &str) -> Result<(), ApiError> {
    let code_ok = !input.code.is_empty()
        && input.code.len() <= 64
        && input.code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !code_ok {
        return Err(ApiError::invalid(
            format!("{field}code"),
            format!("`{}` is not a code: use 1 to 64 letters, digits, `-`, `_` or `.`", input.code),
        ));
    }
    if input.name.trim().is_empty() || input.name.len() > 300 {
        return Err(ApiError::invalid(format!("{field}name"), "give a name of 1 to 300 characters"));
    }
    if input.parent.as_deref() == Some(input.code.as_str()) {
        return Err(ApiError::invalid(format!("{field}parent"), "an organisation cannot be its own parent"));
    }
    Ok(())
}

/// Creates or updates the organisation `input.code` (matched by code) under its parent,
/// moving its subtree along when the parent changes. Returns it and whether it is new.
pub async fn upsert(
    connection: &mut AnyConnection,
    input: &OrgInput,
    at: Millis,
    field: &str,
) -> Result<(Org, Option<Org>), ApiError> {
    check(input, field)?;
    let parent = match input.parent.as_deref().filter(|code| !code.is_empty()) {
        Some(code) => Some(by_code(&mut *connection, code).await?.ok_or_else(|| {
            ApiError::invalid(format!("{field}parent"), format!("no organisation has the code `{code}`"))
        })?),
        None => None,
    };
    let block = input.block.as_deref().map(str::trim).filter(|block| !block.is_empty());
    let before = by_code(&mut *connection, &input.code).await?;
    let id = match &before {
        Some(existing) => {
            if let Some(parent) = &parent
                && parent.path.starts_with(&existing.path)
            {
                return Err(ApiError::invalid(
                    format!("{field}parent"),
                    format!("`{}` is inside `{}`: the tree would have a cycle", parent.code, existing.code),
                ));
            }
            sqlx::query("UPDATE orgs SET name = $1, block = $2, parent_id = $3 WHERE id = $4")
                .bind(input.name.trim())
                .bind(block)
                .bind(parent.as_ref().map(|parent| parent.id))
                .bind(existing.id)
                .execute(&mut *connection)
                .await?;
            existing.id
        }
        None => {
            // The path needs the id: insert with a placeholder, then set it.
            let row = sqlx::query(
                "INSERT INTO orgs (code, name, parent_id, path, block, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING id",
            )
            .bind(&input.code)
            .bind(input.name.trim())
            .bind(parent.as_ref().map(|parent| parent.id))
            .bind(format!("new:{}", input.code))
            .bind(block)
            .bind(at)
            .fetch_one(&mut *connection)
            .await?;
            row.try_get(0)?
        }
    };
    let new_path = format!("{}{id}/", parent.as_ref().map_or("/", |parent| parent.path.as_str()));
    let old_path = before.as_ref().map_or_else(|| format!("new:{}", input.code), |org| org.path.clone());
    if new_path != old_path {
        // Moves the node and its subtree: every path beginning with the old one.
        sqlx::query(
            "UPDATE orgs SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE substr(path, 1, CAST($4 AS INTEGER)) = $3",
        )
        .bind(&new_path)
        .bind(i64::try_from(old_path.len()).unwrap_or(i64::MAX) + 1)
        .bind(&old_path)
        .bind(i64::try_from(old_path.len()).unwrap_or(i64::MAX))
        .execute(&mut *connection)
        .await?;
    }
    let after = by_id(&mut *connection, id).await?.ok_or(ApiError::NotFound("organisation"))?;
    Ok((after, before))
}

/// Reads organisations from CSV: a header with `code` (or `unit`, as in data files),
/// `name`, and optionally `parent` and `block`; other columns are ignored, and a code
/// repeated with the same fields (a data file's periods) counts once. Every problem is
/// named by its line; the rows come out parents first.
pub fn read_csv(file: &str, text: &str) -> Result<Vec<OrgInput>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return Err(vec![format!("{file}: {error}")]),
    };
    let column = |names: &[&str]| headers.iter().position(|header| names.contains(&header.trim()));
    let (Some(code_at), Some(name_at)) = (column(&["code", "unit"]), column(&["name"])) else {
        return Err(vec![format!("{file}: line 1: the header needs a `code` (or `unit`) and a `name` column")]);
    };
    let (parent_at, block_at) = (column(&["parent"]), column(&["block"]));
    let mut problems = Vec::new();
    let mut by_code: BTreeMap<String, (u64, OrgInput)> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(format!("{file}: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |position| position.line());
        let cell = |at: Option<usize>| at.and_then(|at| record.get(at)).map(str::trim).unwrap_or("");
        let optional = |at| Some(cell(at).to_owned()).filter(|text| !text.is_empty());
        let input = OrgInput {
            code: cell(Some(code_at)).to_owned(),
            name: cell(Some(name_at)).to_owned(),
            parent: optional(parent_at),
            block: optional(block_at),
        };
        if let Err(error) = check(&input, "") {
            problems.push(format!("{file}: line {line}: {error}"));
            continue;
        }
        match by_code.get(&input.code) {
            Some((first_line, first)) if *first != input => problems
                .push(format!("{file}: line {line}: `{}` is also on line {first_line} with other fields", input.code)),
            Some(_) => {}
            None => {
                by_code.insert(input.code.clone(), (line, input));
            }
        }
    }
    // Parents first: a row waits until its parent (when in the file) is placed.
    let mut ordered = Vec::with_capacity(by_code.len());
    let mut placed = BTreeSet::new();
    let mut waiting: Vec<&(u64, OrgInput)> = by_code.values().collect();
    while !waiting.is_empty() {
        let (ready, blocked): (Vec<_>, Vec<_>) = waiting.into_iter().partition(|(_, input)| {
            input.parent.as_ref().is_none_or(|parent| !by_code.contains_key(parent) || placed.contains(parent))
        });
        if ready.is_empty() {
            for (line, input) in &blocked {
                problems.push(format!("{file}: line {line}: `{}` is inside itself through its parents", input.code));
            }
            break;
        }
        for (_, input) in ready {
            placed.insert(input.code.clone());
            ordered.push(input.clone());
        }
        waiting = blocked;
    }
    if problems.is_empty() { Ok(ordered) } else { Err(problems) }
}

/// The result of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// Organisations created.
    pub created: usize,
    /// Organisations changed.
    pub updated: usize,
    /// Organisations given as they already were.
    pub unchanged: usize,
}

/// Writes `rows` (parents first) in the caller's transaction, each change audited as
/// `who`; `allow` is asked about each row's parent path (`None` for a root) first.
pub async fn import(
    connection: &mut AnyConnection,
    rows: &[OrgInput],
    who: &Who,
    at: Millis,
    allow: impl Fn(Option<&str>) -> Result<(), ApiError>,
) -> Result<Imported, ApiError> {
    let mut counts = Imported { created: 0, updated: 0, unchanged: 0 };
    for (index, row) in rows.iter().enumerate() {
        let parent = match row.parent.as_deref() {
            Some(code) => by_code(&mut *connection, code).await?.map(|parent| parent.path),
            None => None,
        };
        allow(parent.as_deref())?;
        let (org, before) = upsert(&mut *connection, row, at, &format!("rows.{index}.")).await?;
        match &before {
            None => counts.created += 1,
            Some(before) if before == &org => {
                counts.unchanged += 1;
                continue;
            }
            Some(_) => counts.updated += 1,
        }
        audit::append(
            &mut *connection,
            at,
            Record {
                who,
                action: if before.is_some() { "org-update" } else { "org-create" },
                target: format!("org/{}", org.code),
                detail: json!({ "before": before, "after": org, "import": true }),
                note: String::new(),
            },
        )
        .await?;
    }
    Ok(counts)
}

/// Reads organisations from a CSV or Excel file (the first sheet, or one named `orgs`).
pub fn read_file(file: &str, bytes: &[u8]) -> Result<Vec<OrgInput>, Vec<String>> {
    let is_xlsx = file.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04");
    if !is_xlsx {
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .map_err(|error| vec![format!("{file}: not UTF-8 text ({error})")])?;
        return read_csv(file, text);
    }
    use dti_core::table::{Cell, Row, RowSource, XlsxSource};
    let render = |problem: &dti_core::Diagnostic| format!("{file}: {}", problem.message);
    let mut source =
        XlsxSource::open(file, bytes, &["orgs", "organisations", "units"]).map_err(|problem| vec![render(&problem)])?;
    let headers = source.headers().map_err(|problem| vec![render(&problem)])?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut problems = Vec::new();
    let _ = writer.write_record(&headers);
    let mut row = Row { line: 0, cells: Vec::new() };
    while let Some(result) = source.next_row(&mut row) {
        if let Err(problem) = result {
            problems.push(render(&problem));
            continue;
        }
        let cells: Vec<String> = (0..headers.len())
            .map(|index| match row.cells.get(index) {
                Some(Cell::Text(text)) => text.clone(),
                Some(Cell::Number(number)) => dti_core::text::format_number(*number),
                Some(Cell::Bool(value)) => if *value { "1" } else { "0" }.to_owned(),
                _ => String::new(),
            })
            .collect();
        let _ = writer.write_record(&cells);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = writer.into_inner().ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default();
    read_csv(file, &text)
}
