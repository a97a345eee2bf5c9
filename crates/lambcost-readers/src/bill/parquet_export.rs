//! A Parquet export (CUR 2.0 and FOCUS from Data Exports, legacy CUR through Athena) read
//! with the `parquet` crate's record reader: only the columns a Lambda line is judged by are
//! projected, and rows come one row group at a time, so a month of a large account never
//! sits in memory.

use super::outcome::{BillReadError, FileRead, add_row};
use super::schema::{Cells, Schema};
use lambcost_core::bill::Ledger;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// Reads the Parquet file at `path`.
pub fn read(path: &Path, file: &str, ledger: &mut Ledger<'_>) -> Result<FileRead, BillReadError> {
    let opened = std::fs::File::open(path).map_err(|e| BillReadError::Unreadable {
        file: file.to_string(),
        detail: e.to_string(),
    })?;
    read_from(opened, file, ledger)
}

/// Reads a Parquet file held in memory (one given on standard input).
pub fn read_bytes(
    bytes: Vec<u8>,
    file: &str,
    ledger: &mut Ledger<'_>,
) -> Result<FileRead, BillReadError> {
    read_from(bytes::Bytes::from(bytes), file, ledger)
}

fn read_from<R: ChunkReader + 'static>(
    input: R,
    file: &str,
    ledger: &mut Ledger<'_>,
) -> Result<FileRead, BillReadError> {
    let bad = |e: parquet::errors::ParquetError| BillReadError::Unreadable {
        file: file.to_string(),
        detail: format!("Parquet: {e}"),
    };
    let reader = SerializedFileReader::new(input).map_err(bad)?;
    let fields = reader
        .metadata()
        .file_metadata()
        .schema()
        .get_fields()
        .to_vec();
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    let schema = Schema::of(&names).ok_or_else(|| BillReadError::NotAnExport {
        file: file.to_string(),
        found: format!(
            "a Parquet file whose columns are {}",
            names.iter().take(6).copied().collect::<Vec<_>>().join(", ")
        ),
    })?;
    // Project the columns the schema reads; a row's cells are then indexed by their place in
    // the file's header, as a CSV's are.
    let used = schema.used_columns();
    let projected: Vec<Arc<Type>> = used.iter().map(|&i| Arc::clone(&fields[i])).collect();
    let projection = Type::group_type_builder("schema")
        .with_fields(projected)
        .build()
        .map_err(bad)?;
    let mut cells = RowCells {
        index: vec![None; fields.len()],
        text: vec![String::new(); used.len()],
        null: vec![true; used.len()],
    };
    for (k, &i) in used.iter().enumerate() {
        cells.index[i] = Some(k);
    }
    let mut rows = 0;
    for row in reader.get_row_iter(Some(projection)).map_err(bad)? {
        let row = row.map_err(bad)?;
        rows += 1;
        for (k, (_, field)) in row.get_column_iter().enumerate() {
            cells.null[k] = matches!(field, Field::Null);
            cells.text[k].clear();
            write_field(field, &mut cells.text[k]);
        }
        add_row(&schema, ledger, file, rows, &cells)?;
    }
    Ok(FileRead {
        file: file.to_string(),
        format: schema.format,
        container: "Parquet".to_string(),
        rows,
    })
}

/// One row's projected cells as text, by the file's column index.
struct RowCells {
    index: Vec<Option<usize>>,
    text: Vec<String>,
    null: Vec<bool>,
}

impl Cells for RowCells {
    fn cell(&self, i: usize) -> Option<&str> {
        let k = (*self.index.get(i)?)?;
        (!self.null[k]).then(|| self.text[k].as_str())
    }
}

/// A cell as the CSV form of the same export writes it: numbers in full, timestamps as
/// ISO 8601 in UTC, a map as a JSON object.
fn write_field(field: &Field, out: &mut String) {
    use std::fmt::Write;
    match field {
        Field::Null => {}
        Field::Str(s) => out.push_str(s),
        // Rust writes a double in the shortest digits that read back as the same double,
        // never in exponent form: the decimal the export was written from.
        Field::Double(v) => {
            let _ = write!(out, "{v}");
        }
        Field::Float(v) => {
            let _ = write!(out, "{v}");
        }
        Field::Decimal(d) => out.push_str(&parquet_decimal(d)),
        Field::TimestampMillis(ms) => out.push_str(&timestamp(*ms * 1000)),
        Field::TimestampMicros(us) => out.push_str(&timestamp(*us)),
        Field::Date(days) => out.push_str(&timestamp(i64::from(*days) * 86_400_000_000)),
        Field::MapInternal(map) => {
            let mut object = serde_json::Map::new();
            for (k, v) in map.entries() {
                let mut key = String::new();
                write_field(k, &mut key);
                let mut value = String::new();
                write_field(v, &mut value);
                object.insert(key, serde_json::Value::String(value));
            }
            out.push_str(&serde_json::Value::Object(object).to_string());
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// A Parquet decimal's digits, with its scale.
fn parquet_decimal(d: &parquet::data_type::Decimal) -> String {
    let bytes = d.data();
    let mut value: i128 = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        -1
    } else {
        0
    };
    for &b in bytes {
        value = (value << 8) | i128::from(b);
    }
    let scale = u32::try_from(d.scale()).unwrap_or(0);
    rust_decimal::Decimal::try_from_i128_with_scale(value, scale)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// Microseconds since the epoch as `2026-10-01T00:00:00Z`.
fn timestamp(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}
