//! The CloudWatch console's download of log events: CSV with a `timestamp,message` header,
//! the timestamp in epoch milliseconds, the message quoted and possibly spanning lines (a
//! REPORT line may be followed by its XRAY line in the same message).

use super::input::InputError;
use super::lines::Stop;
use super::reading::Reading;
use std::io::Read;

/// Whether a header line is the console download's.
pub fn is_header(line: &str) -> bool {
    let fields = super::csv_rows::header_fields(line);
    fields.len() >= 2 && fields.iter().any(|f| f == "message") && fields[0] == "timestamp"
}

/// Reads the download's messages into `reading`.
pub fn read(reading: &mut Reading<'_>, input: impl Read) -> Result<(), Stop<InputError>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let header = csv
        .byte_headers()
        .map_err(|e| {
            Stop::Each(InputError::whole(
                reading.origin,
                format!("cannot read the header: {e}"),
            ))
        })?
        .clone();
    let column = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case(b"message"))
        .unwrap_or(1);
    let ctx = reading.options.context.clone();
    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                let message = record.get(column).unwrap_or_default();
                if reading.wants_times() {
                    reading.stamp_ms = record
                        .get(0)
                        .and_then(|t| std::str::from_utf8(t).ok())
                        .and_then(|t| t.trim().parse::<f64>().ok());
                }
                reading.message(message, &ctx, line).map_err(Stop::Each)?;
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => {
                    let csv::ErrorKind::Io(io) = e.into_kind() else {
                        return Ok(());
                    };
                    return Err(Stop::Io(io));
                }
                _ => {
                    let line = e.position().map_or(0, csv::Position::line);
                    reading
                        .malformed(line, &format!("malformed CSV row ({e})"), b"")
                        .map_err(Stop::Each)?;
                }
            },
        }
    }
}
