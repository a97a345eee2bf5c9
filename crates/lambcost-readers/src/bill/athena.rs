//! Athena's query results as `aws athena get-query-results` prints them: `ResultSet.Rows`,
//! each row's cells as `{"VarCharValue": "…"}` (a null as `{}`), the first row the column
//! names. The CLI joins its pages into one document; the rows are then read as a CSV's are.

use super::outcome::{BillReadError, FileRead, add_row};
use super::schema::{Cells, Schema};
use lambcost_core::bill::Ledger;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Results {
    result_set: ResultSet,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResultSet {
    rows: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Row {
    data: Vec<Datum>,
}

#[derive(Deserialize)]
struct Datum {
    #[serde(rename = "VarCharValue")]
    value: Option<String>,
}

impl Cells for Row {
    fn cell(&self, i: usize) -> Option<&str> {
        self.data.get(i)?.value.as_deref()
    }
}

/// Reads a `get-query-results` document.
pub fn read(
    input: impl Read,
    file: &str,
    ledger: &mut Ledger<'_>,
) -> Result<FileRead, BillReadError> {
    let results: Results = serde_json::from_reader(input).map_err(|e| {
        // JSON cut off or unreadable is a broken file, not another kind of file.
        if e.is_eof() || e.is_io() {
            BillReadError::Unreadable {
                file: file.to_string(),
                detail: format!("the JSON ends early or cannot be read: {e}"),
            }
        } else {
            BillReadError::NotAnExport {
                file: file.to_string(),
                found: format!("JSON that is not Athena's get-query-results output ({e})"),
            }
        }
    })?;
    let mut rows = results.result_set.rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .map(|r| {
            r.data
                .into_iter()
                .map(|d| d.value.unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let schema = Schema::of(&names).ok_or_else(|| BillReadError::NotAnExport {
        file: file.to_string(),
        found: format!("Athena results whose columns are {}", names.join(", ")),
    })?;
    let mut n = 0;
    for row in rows {
        n += 1;
        // Row 1 is the header: the first row of data is row 2, as in the console's CSV.
        add_row(&schema, ledger, file, n + 1, &row)?;
    }
    Ok(FileRead {
        file: file.to_string(),
        format: schema.format,
        container: "JSON".to_string(),
        rows: n,
    })
}
