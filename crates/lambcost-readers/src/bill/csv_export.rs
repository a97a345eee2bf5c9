//! A CSV export (legacy CUR, CUR 2.0, FOCUS, Athena's download of `bill-query` results),
//! record by record with the `csv` crate: one record in memory at a time.

use super::outcome::{BillReadError, FileRead, add_row};
use super::schema::{self, Schema};
use lambcost_core::bill::Ledger;
use std::io::Read;

/// Reads a CSV export.
pub fn read(
    reader: impl Read,
    file: &str,
    container: String,
    ledger: &mut Ledger<'_>,
) -> Result<FileRead, BillReadError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let not_csv = |found: String| BillReadError::NotAnExport {
        file: file.to_string(),
        found,
    };
    // A file that cannot be read to its end (a cut-off gzip) is refused, not taken for
    // something else: only a readable file with a foreign header is no export.
    let unreadable = |e: csv::Error| BillReadError::Unreadable {
        file: file.to_string(),
        detail: e.to_string(),
    };
    let got = csv.read_record(&mut record).map_err(|e| {
        if e.is_io_error() {
            unreadable(e)
        } else {
            not_csv(format!("not CSV: {e}"))
        }
    })?;
    if !got {
        return Err(not_csv("an empty file".to_string()));
    }
    let header: Vec<String> = record.iter().map(str::to_string).collect();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let schema = Schema::of(&names).ok_or_else(|| {
        not_csv(match names.first() {
            Some(h) => format!("its first line begins {:?}", truncate(h, 40)),
            None => "no header".to_string(),
        })
    })?;
    let mut rows = 0;
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if e.is_io_error() => return Err(unreadable(e)),
            Err(e) => {
                let row = e.position().map_or(rows + 2, |p| p.line());
                return Err(BillReadError::Row {
                    file: file.to_string(),
                    row,
                    detail: e.to_string(),
                });
            }
        }
        let row = record.position().map_or(rows + 2, |p| p.line());
        rows += 1;
        // A row cut short or run long would put its values under other columns' names.
        if record.len() != header.len() {
            return Err(BillReadError::Row {
                file: file.to_string(),
                row,
                detail: format!(
                    "{} fields, but the header has {}: the row is cut short or its quoting is broken",
                    record.len(),
                    header.len()
                ),
            });
        }
        add_row(&schema, ledger, file, row, &record)?;
    }
    Ok(FileRead {
        file: file.to_string(),
        format: schema.format,
        container,
        rows,
    })
}

impl schema::Cells for csv::StringRecord {
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

/// The first `n` characters of `text`.
fn truncate(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}
