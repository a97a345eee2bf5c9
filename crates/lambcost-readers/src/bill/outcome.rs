//! What reading billing exports gives and how it fails: the files read, the files skipped,
//! and the errors that name the file, the row and the value.

use super::schema::{Cells, Format, LOOKED_FOR, Schema};
use crate::sources;

/// Why an export cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BillReadError {
    /// The inputs named cannot be opened.
    #[error(transparent)]
    Source(#[from] sources::SourceError),
    /// A file named that is no billing export.
    #[error("{file}: not a billing export ({found}); looked for {LOOKED_FOR}")]
    NotAnExport {
        /// The file.
        file: String,
        /// What it is instead.
        found: String,
    },
    /// A row the format cannot take.
    #[error("{file}:{row}: {detail}")]
    Row {
        /// The file.
        file: String,
        /// The line (CSV) or row (Parquet, JSON).
        row: u64,
        /// What is wrong, with the value.
        detail: String,
    },
    /// A file that cannot be read to its end.
    #[error("{file}: {detail}")]
    Unreadable {
        /// The file.
        file: String,
        /// Why.
        detail: String,
    },
}

/// One file read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRead {
    /// The file.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// `CSV`, `CSV (gzip)`, `Parquet`, `JSON`.
    pub container: String,
    /// Rows read.
    pub rows: u64,
}

/// What reading the inputs found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exports {
    /// The exports read, in order.
    pub files: Vec<FileRead>,
    /// Files of a directory that are not exports (a manifest), and what they are.
    pub skipped: Vec<(String, String)>,
}

/// Row `row` of `file` as a line, added to `ledger`; a row the format cannot take is refused
/// with the file, the row and the value.
pub fn add_row(
    schema: &Schema,
    ledger: &mut lambcost_core::bill::Ledger<'_>,
    file: &str,
    row: u64,
    cells: &dyn Cells,
) -> Result<(), BillReadError> {
    let (line, n) = schema
        .line(row, cells)
        .map_err(|detail| BillReadError::Row {
            file: file.to_string(),
            row,
            detail,
        })?;
    ledger.add(&line, n).map_err(|e| BillReadError::Row {
        file: file.to_string(),
        row,
        detail: e.to_string(),
    })
}
