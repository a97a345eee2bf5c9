//! JSON: the command's own document when it has one, else `{rows, assumptions, notes,
//! warnings}` built from the report; either way with the report's `data` and every note. Money and quantities are JSON numbers carrying the same
//! digits as the CSV (up to 10 decimal places), not binary floating point.

use super::{Cell, Report};
use lambcost_core::format::{plain, usd_exact};
use serde_json::{Map, Number, Value};
use std::str::FromStr;

/// Pretty-printed JSON and a final newline.
pub fn render(report: &Report) -> String {
    let mut value = match &report.json {
        Some(v) => v.clone(),
        None => document(report),
    };
    // Every command's document names its data and carries every note.
    if let Value::Object(map) = &mut value {
        if !report.data.is_empty() {
            map.insert("data".into(), Value::String(report.data.clone()));
        }
        map.insert("notes".into(), Value::Array(notes(report)));
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}

fn document(report: &Report) -> Value {
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|row| {
            let mut object = Map::new();
            for (column, cell) in report.columns.iter().zip(row) {
                object.insert(column.key.to_string(), value(cell));
            }
            Value::Object(object)
        })
        .collect();
    let mut assumptions = Map::new();
    for (key, cell) in &report.assumptions {
        assumptions.insert((*key).to_string(), value(cell));
    }
    let mut doc = Map::new();
    doc.insert("rows".into(), Value::Array(rows));
    doc.insert("assumptions".into(), Value::Object(assumptions));
    doc.insert("notes".into(), Value::Array(notes(report)));
    doc.insert(
        "warnings".into(),
        Value::Array(report.warnings.iter().cloned().map(Value::String).collect()),
    );
    Value::Object(doc)
}

/// Every note of a report, the ones a table prints first, then the rest.
fn notes(report: &Report) -> Vec<Value> {
    report
        .notes
        .iter()
        .cloned()
        .chain(report.details.iter().map(|d| d.text.clone()))
        .map(Value::String)
        .collect()
}

/// A cell as a JSON value.
pub fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(t) | Cell::Figure(t) => Value::String(t.clone()),
        Cell::Count(n) => Value::Number((*n).into()),
        Cell::Number(v, _) | Cell::Share(v) => number(&plain(*v)),
        Cell::Usd(v) => number(&usd_exact(*v)),
        Cell::Flag(b) => Value::Bool(*b),
        Cell::Empty => Value::Null,
    }
}

fn number(text: &str) -> Value {
    // With serde_json's arbitrary_precision, a Number keeps the decimal text as written.
    Number::from_str(text)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_string()))
}
