//! Arrivals from tables: a CSV of arrival times alone (a `timestamp` column, RFC 3339 or epoch
//! milliseconds, or an `offset_ms` column) and the `arrival_ms` column of a samples file that
//! `measure --arrivals` wrote. Below the arrivals of any shape, and below recognition.

use super::input::InputError;
use super::reading::ArrivalSink;
use std::io::Read;

/// The shapes that carry times, for a message about one that does not.
pub const SHAPES: &str = "a REPORT log with the time before each line (`aws logs tail`, an S3 export), Lambda's JSON log format, CloudWatch API or subscription JSON, the console's CSV download, a samples file written by `measure --arrivals`, or a CSV with a `timestamp` or `offset_ms` column";

/// Whether a CSV header line names arrivals: a `timestamp` or `offset_ms` column, and no
/// `message` (the console's download, which carries log messages).
pub fn is_header(line: &str) -> bool {
    let fields = super::csv_rows::header_fields(line);
    fields.iter().any(|f| f == "timestamp" || f == "offset_ms")
        && !fields.iter().any(|f| f == "message")
}

/// What an input's arrivals were.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Arrivals handed over.
    pub arrivals: u64,
    /// Invocations read without a time, left out.
    pub unstamped: u64,
    /// Lines or events that could not be read, skipped.
    pub malformed: u64,
    /// What the input was, in a few words.
    pub shape: &'static str,
    /// What the reader has to say (a compressed stream cut off).
    pub notes: Vec<String>,
}

/// A CSV of arrivals alone: `timestamp` (RFC 3339 or epoch ms) or `offset_ms`.
pub(crate) fn csv_arrivals(
    input: impl Read,
    origin: &str,
    each: ArrivalSink<'_>,
) -> Result<Found, InputError> {
    let (reader, header, _) = super::csv_rows::csv_with_header(input, origin)?;
    let position = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_ascii().eq_ignore_ascii_case(name.as_bytes()))
    };
    let arrivals = match (position("offset_ms"), position("timestamp")) {
        (Some(c), _) => column(reader, origin, (c, "offset_ms"), offset, each)?,
        (None, Some(c)) => column(reader, origin, (c, "timestamp"), timestamp, each)?,
        (None, None) => {
            return Err(InputError::at(
                origin,
                1,
                "no `timestamp` or `offset_ms` column",
            ));
        }
    };
    Ok(Found {
        arrivals,
        unstamped: 0,
        malformed: 0,
        notes: Vec::new(),
        shape: "a CSV of arrivals",
    })
}

/// Hands every row's time in `column` (its index and name) to `each`, read by `time`; the
/// number of rows.
fn column<R: Read>(
    mut reader: csv::Reader<R>,
    origin: &str,
    (column, name): (usize, &str),
    time: fn(&str) -> Result<f64, &'static str>,
    each: ArrivalSink<'_>,
) -> Result<u64, InputError> {
    let mut record = csv::ByteRecord::new();
    let mut arrivals = 0u64;
    while super::csv_rows::next_record(&mut reader, &mut record, origin)? {
        let line = record.position().map_or(0, csv::Position::line);
        let cell = record
            .get(column)
            .and_then(|c| std::str::from_utf8(c).ok())
            .unwrap_or("")
            .trim();
        let at = time(cell).map_err(|what| {
            InputError::at(origin, line, format!("column '{name}': '{cell}' {what}"))
        })?;
        each(at, line)?;
        arrivals += 1;
    }
    Ok(arrivals)
}

/// The longest offset a trace may have, ms: a century, far beyond any log, and short enough
/// for a clock to count (a run at arrival times, a month's scale).
pub const MAX_OFFSET_MS: f64 = 100.0 * 365.25 * 86_400_000.0;

/// The latest epoch time a trace may carry: the end of year 9999, as RFC 3339 writes it.
const MAX_EPOCH_MS: f64 = 253_402_300_799_999.0;

/// An `offset_ms` or `arrival_ms` cell: milliseconds from the start.
fn offset(cell: &str) -> Result<f64, &'static str> {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=MAX_OFFSET_MS).contains(&v) => Ok(v),
        _ => Err(
            "is not an offset; give milliseconds from the start, 0 to 3,155,760,000,000 (a century)",
        ),
    }
}

/// A `timestamp` cell: RFC 3339 with its offset, or epoch milliseconds.
fn timestamp(cell: &str) -> Result<f64, &'static str> {
    if let Ok(ms) = cell.parse::<f64>() {
        return match ms {
            // Epoch seconds are a thousand times smaller: 1e11 ms is 1973.
            v if v.is_finite() && (1e11..=MAX_EPOCH_MS).contains(&v) => Ok(v),
            v if v.is_finite() && v > MAX_EPOCH_MS => {
                Err("is after the year 9999; give epoch milliseconds or an RFC 3339 time")
            }
            v if v.is_finite() && v >= 0.0 => Err(
                "looks like epoch seconds, not milliseconds; multiply by 1000 or give an RFC 3339 time",
            ),
            _ => {
                Err("is not a time; give RFC 3339 (2024-05-01T12:00:00.123Z) or epoch milliseconds")
            }
        };
    }
    super::values::time_ms(cell.as_bytes())
        .ok_or("is not a time; give RFC 3339 (2024-05-01T12:00:00.123Z) or epoch milliseconds")
}

/// A samples file's `arrival_ms` column, as `measure --arrivals` writes it.
pub(crate) fn samples_arrivals(
    input: impl Read,
    origin: &str,
    each: ArrivalSink<'_>,
) -> Result<Found, InputError> {
    let (reader, header, _) = super::csv_rows::csv_with_header(input, origin)?;
    let name = super::samples_csv::ARRIVAL_COLUMN;
    let Some(c) = header.iter().position(|h| h == name.as_bytes()) else {
        return Err(InputError::whole(
            origin,
            format!(
                "a samples file without an `arrival_ms` column carries no arrival times (`measure --arrivals` writes them); replay reads {SHAPES}"
            ),
        ));
    };
    Ok(Found {
        arrivals: column(reader, origin, (c, name), offset, each)?,
        unstamped: 0,
        malformed: 0,
        notes: Vec::new(),
        shape: "a samples file",
    })
}
