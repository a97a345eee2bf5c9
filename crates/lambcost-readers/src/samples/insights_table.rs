//! The shapes Logs Insights results are handed over in, read into rows of named fields:
//!
//! - the console's CSV download: a header of the query's fields (`@timestamp,@message,...`),
//!   RFC 4180 quoting, a message's own newlines inside its quotes;
//! - the console's JSON download: an array of flat objects whose values are strings (a JSON
//!   log event's `@message` an object of its own);
//! - the console's Markdown copy: a header block (`**CloudWatch Logs Insights**`, `region:`,
//!   `log-group-names:`, the times, the query in a fenced block), `---`, a pipe table, `---`;
//! - `aws logs get-query-results`: `{"results": [[{"field", "value"}, ...], ...],
//!   "statistics": {...}, "status": "Complete"}`, each row with the fields it has (`@ptr`
//!   among them).

use super::input::InputError;
use std::collections::BTreeMap;

/// One row of results.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Where it is: the line a CSV record or a Markdown row starts on, a JSON row's number.
    pub line: u64,
    /// Field name to value, as text.
    pub fields: BTreeMap<String, String>,
}

impl Row {
    /// The row as it may be shown in a note: its fields in order.
    pub fn shown(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .filter(|(k, _)| k.as_str() != "@ptr")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        fields.join(" ")
    }
}

/// The rows of `text` (the whole input), whatever its shape.
pub fn rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with(['{', '[']) {
        json_rows(text, origin)
    } else if start.starts_with("**CloudWatch Logs Insights**") || start.starts_with('|') {
        markdown_rows(text, origin)
    } else {
        csv_rows(text, origin)
    }
}

fn csv_rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| InputError::whole(origin, format!("cannot read the header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            InputError::at(origin, line, format!("malformed CSV row: {e}"))
        })?;
        rows.push(Row {
            line: record.position().map_or(0, csv::Position::line),
            fields: header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
        });
    }
    Ok(rows)
}

/// A JSON value as the text of a field: a string as it is, an object (a JSON log event's
/// `@message`) as its JSON.
fn text_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn json_rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| InputError::at(origin, e.line() as u64, format!("malformed JSON ({e})")))?;
    let not_results = || {
        InputError::whole(
            origin,
            "JSON that is neither Logs Insights results (get-query-results or a console export) nor a log",
        )
    };
    let numbered = |(i, fields): (usize, BTreeMap<String, String>)| Row {
        line: i as u64 + 1,
        fields,
    };
    match &value {
        // `aws logs get-query-results`: rows of {"field", "value"} pairs.
        serde_json::Value::Object(map) => {
            let results = map
                .get("results")
                .and_then(|r| r.as_array())
                .ok_or_else(not_results)?;
            Ok(results
                .iter()
                .filter_map(|row| row.as_array())
                .map(|cells| {
                    cells
                        .iter()
                        .filter_map(|c| {
                            let field = c.get("field")?.as_str()?.to_string();
                            Some((field, text_of(c.get("value")?)))
                        })
                        .collect()
                })
                .enumerate()
                .map(numbered)
                .collect())
        }
        // The console's JSON export: one object per row.
        serde_json::Value::Array(rows) => Ok(rows
            .iter()
            .filter_map(|r| r.as_object())
            .map(|r| r.iter().map(|(k, v)| (k.clone(), text_of(v))).collect())
            .enumerate()
            .map(numbered)
            .collect()),
        _ => Err(not_results()),
    }
}

/// The cells of a Markdown table row: `| a | b |`, a `|` of a value escaped as `\|`.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    out.push(cell.trim().to_string());
    out
}

/// The rows of the console's Markdown copy: the first pipe table after the header block.
fn markdown_rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let mut lines = (1u64..).zip(text.lines());
    // The query in the header block is fenced, and its lines begin with `|` too.
    let mut fenced = false;
    let header = lines
        .by_ref()
        .find(|(_, l)| {
            let l = l.trim_start();
            if l.starts_with("```") {
                fenced = !fenced;
            }
            !fenced && l.starts_with('|')
        })
        .map(|(_, l)| cells(l))
        .ok_or_else(|| InputError::whole(origin, "Logs Insights Markdown with no table"))?;
    let rule = |cell: &String| !cell.is_empty() && cell.chars().all(|c| matches!(c, '-' | ':'));
    match lines.next() {
        Some((_, l)) if cells(l).iter().all(rule) => {}
        Some((n, l)) => {
            return Err(InputError::at(
                origin,
                n,
                format!(
                    "a Markdown table's header must be followed by its rule (| --- | --- |), not '{}'",
                    l.trim()
                ),
            ));
        }
        None => return Ok(Vec::new()),
    }
    let mut rows = Vec::new();
    for (n, line) in lines {
        if !line.trim_start().starts_with('|') {
            break;
        }
        let values = cells(line);
        if values.len() != header.len() {
            return Err(InputError::at(
                origin,
                n,
                format!(
                    "a table row of {} cells under a header of {}",
                    values.len(),
                    header.len()
                ),
            ));
        }
        rows.push(Row {
            line: n,
            fields: header.iter().cloned().zip(values).collect(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_keep_an_escaped_bar_and_empty_cells() {
        assert_eq!(cells("| a | b \\| c |  |"), ["a", "b | c", ""]);
    }

    #[test]
    fn a_markdown_copy_with_its_header_block() {
        let text = "**CloudWatch Logs Insights**    \nregion: eu-north-1    \nlog-group-names: /aws/lambda/api    \nstart-time: -3600s    \nend-time: 0s    \nquery-string:\n  ```\n  fields @timestamp, @duration\n| filter @type = \"REPORT\"\n  ```\n---\n| @timestamp | @duration |\n| --- | --- |\n| 2024-04-06 12:25:00.000 | 7.18 |\n---\n";
        let rows = rows(text, "r.md").expect("rows");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 14);
        assert_eq!(rows[0].fields["@duration"], "7.18");
        let bad = "| a | b |\n| --- | --- |\n| 1 |\n";
        let e = markdown_rows(bad, "r.md").expect_err("a short row");
        assert_eq!(e.line, Some(3));
    }
}
