//! Billing exports, read into `lambcost-core`'s [`Ledger`] one line at a time: legacy CUR,
//! CUR 2.0 and FOCUS as CSV (gzip and zstd taken off by [`crate::samples::open`]) or Parquet
//! (row group by row group through the `parquet` crate), Athena's results of `lambcost
//! bill-query` as the console downloads them (CSV) and as `aws athena get-query-results`
//! prints them (JSON), and a directory of export parts (S3's `BILLING_PERIOD=YYYY-MM/`
//! layout). Every file is told by its content, never by its name.

mod athena;
mod csv_export;
mod outcome;
mod parquet_export;
mod query;
mod schema;

pub use outcome::{BillReadError, Exports, FileRead};
pub use query::{QuerySchema, query, valid_table};
pub use schema::{Format, LOOKED_FOR, Schema, month_of, parse_number};

use crate::sources::{self, Place, Source};
use lambcost_core::bill::Ledger;
use std::io::{BufRead, Read};
use std::path::PathBuf;

/// Reads every export `paths` name into `ledger`. A file named is refused if it is no
/// export; a directory's other files (manifests, status files) are skipped and said.
pub fn read(paths: &[PathBuf], ledger: &mut Ledger<'_>) -> Result<Exports, BillReadError> {
    let mut out = Exports::default();
    for source in sources::expand(paths)? {
        match read_one(&source, ledger) {
            Ok(file) => out.files.push(file),
            Err(BillReadError::NotAnExport { file, found }) if source.within.is_some() => {
                out.skipped.push((file, found));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Reads one file.
fn read_one(source: &Source, ledger: &mut Ledger<'_>) -> Result<FileRead, BillReadError> {
    let file = source.origin.clone();
    ledger.file(&file);
    if let Place::Embedded(_) = source.place {
        return Err(BillReadError::NotAnExport {
            file,
            found: "an embedded table of measurements".to_string(),
        });
    }
    let unreadable = |e: std::io::Error| BillReadError::Unreadable {
        file: file.clone(),
        detail: e.to_string(),
    };
    let raw = sources::open(source)?;
    let mut buffered = std::io::BufReader::with_capacity(1 << 16, raw);
    let head = buffered.fill_buf().map_err(unreadable)?;
    if head.starts_with(b"PAR1") {
        return match &source.place {
            Place::File(path) => parquet_export::read(path, &file, ledger),
            _ => {
                let mut bytes = Vec::new();
                buffered.read_to_end(&mut bytes).map_err(unreadable)?;
                parquet_export::read_bytes(bytes, &file, ledger)
            }
        };
    }
    let opened = crate::samples::open::open(Box::new(buffered)).map_err(unreadable)?;
    let container = match opened.encoding.layers.is_empty() {
        true => "CSV".to_string(),
        false => format!("CSV ({})", opened.encoding.describe()),
    };
    let mut reader = opened.reader;
    let head = reader.fill_buf().map_err(unreadable)?;
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') {
        return athena::read(reader, &file, ledger);
    }
    csv_export::read(reader, &file, container, ledger)
}
