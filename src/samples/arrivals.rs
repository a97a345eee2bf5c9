//! When each invocation reached Lambda, for a replay of the pool. Any input whose
//! invocations carry a time gives its arrivals: a REPORT log whose lines begin with the time
//! (`aws logs tail`, an S3 export), Lambda's JSON log format (`time`), CloudWatch API and
//! subscription JSON (`timestamp`), the console's CSV download, a samples file from
//! `measure --arrivals` (`arrival_ms`); or a CSV of arrivals alone, with a `timestamp`
//! (RFC 3339, or epoch milliseconds) or an `offset_ms` column.
//!
//! A log records an invocation when it ends: it arrived that time less its duration and its
//! init (or restore). The arrivals are handed over as they are read, in the input's order,
//! which a log's is not quite (a long invocation ends after shorter ones that arrived
//! later): the caller puts them in order.

use super::reading::{ArrivalSink, Reading};
use super::{InputError, Kind, LogOptions, Recognised};
use crate::pricing::MemoryRange;
use std::io::Read;

/// The shapes that carry times, for a message about one that does not.
pub const SHAPES: &str = "a REPORT log with the time before each line (`aws logs tail`, an S3 export), Lambda's JSON log format, CloudWatch API or subscription JSON, the console's CSV download, a samples file written by `measure --arrivals`, or a CSV with a `timestamp` or `offset_ms` column";

/// Whether a CSV header line names arrivals: a `timestamp` or `offset_ms` column, and no
/// `message` (the console's download, which carries log messages).
pub fn is_header(line: &str) -> bool {
    let fields = super::header_fields(line);
    fields.iter().any(|f| f == "timestamp" || f == "offset_ms")
        && !fields.iter().any(|f| f == "message")
}

/// Whether `input` holds invocations of its own (a log, a samples file), which make a
/// variant beside its arrivals; not a CSV of arrival times alone.
pub fn holds_invocations(
    input: impl Read + Send + 'static,
    origin: &str,
) -> Result<bool, InputError> {
    Ok(match super::recognise(input, origin)? {
        Recognised::Input(_, kind) => {
            !matches!(kind, Kind::Arrivals | Kind::Summary | Kind::Insights)
        }
        Recognised::Nothing(_) => false,
    })
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

/// Reads the arrivals of `input`, handing each to `each` as (time, line): epoch ms, or ms
/// from the start for an `offset_ms` column. An input without a time is refused, naming the
/// shapes that carry one.
pub fn read(
    input: impl Read + Send + 'static,
    origin: &str,
    log: &LogOptions,
    memory: MemoryRange,
    each: ArrivalSink<'_>,
) -> Result<Found, InputError> {
    let (opened, kind) = match super::recognise(input, origin)? {
        Recognised::Input(opened, kind) => (opened, kind),
        Recognised::Nothing(why) => return Err(InputError::whole(origin, why)),
    };
    let untimed =
        |what: &str| InputError::whole(origin, format!("{UNTIMED}: {what}; replay reads {SHAPES}"));
    let found = match kind {
        Kind::Summary => return Err(untimed("a summary table has figures, not invocations")),
        Kind::Insights => {
            return Err(untimed(
                "Logs Insights results are figures, not invocations",
            ));
        }
        Kind::Arrivals => csv_arrivals(opened.reader, origin, each)?,
        Kind::Samples => samples_arrivals(opened.reader, origin, each)?,
        log_kind => {
            let mut reading = Reading::new(origin, log, memory).with_arrivals(each);
            let result = super::read_log(&mut reading, log_kind, opened.reader);
            let unstamped = reading.unstamped;
            let malformed = reading.groups.malformed.count;
            let consumed = opened.consumed.load(std::sync::atomic::Ordering::Relaxed);
            let groups = reading.finish(result, &opened.encoding, consumed)?;
            super::reading::require_invocations(&groups, origin, "REPORT line or event")?;
            let invocations = groups.count();
            Found {
                arrivals: invocations - unstamped.min(invocations),
                unstamped,
                malformed,
                shape: "a log",
                notes: groups
                    .cut_off
                    .iter()
                    .map(|c| format!("{origin}: {}", c.replace(" (--strict refuses it)", "")))
                    .collect(),
            }
        }
    };
    if found.arrivals == 0 {
        return Err(match found.unstamped {
            0 => InputError::whole(origin, "no arrivals: the trace is empty"),
            n => untimed(&format!(
                "none of its {} invocations has a time",
                crate::format::grouped(rust_decimal::Decimal::from(n), 0)
            )),
        });
    }
    Ok(found)
}

/// A CSV of arrivals alone: `timestamp` (RFC 3339 or epoch ms) or `offset_ms`.
fn csv_arrivals(
    input: impl Read,
    origin: &str,
    each: ArrivalSink<'_>,
) -> Result<Found, InputError> {
    let (reader, header) = super::csv_with_header(input, origin)?;
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
    while super::next_record(&mut reader, &mut record, origin)? {
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

/// How the refusal of an input without times begins.
const UNTIMED: &str = "no arrival times";

/// Whether an error refuses an input that holds invocations (or figures) but no times: a
/// directory of logs is refused for it, where a file that is no log at all is skipped.
pub fn is_untimed(e: &InputError) -> bool {
    e.message.starts_with(UNTIMED)
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
    super::time_ms(cell.as_bytes())
        .ok_or("is not a time; give RFC 3339 (2024-05-01T12:00:00.123Z) or epoch milliseconds")
}

/// A samples file's `arrival_ms` column, as `measure --arrivals` writes it.
fn samples_arrivals(
    input: impl Read,
    origin: &str,
    each: ArrivalSink<'_>,
) -> Result<Found, InputError> {
    let (reader, header) = super::csv_with_header(input, origin)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn arrivals(text: &str) -> Result<(Vec<(f64, u64)>, Found), InputError> {
        let mut seen = Vec::new();
        let mut sink = |at: f64, line: u64| {
            seen.push((at, line));
            Ok(())
        };
        let options = LogOptions {
            variant: "fn".into(),
            granularity_ms: 1,
            ..LogOptions::default()
        };
        let range = MemoryRange {
            min: 128,
            max: 10_240,
        };
        let found = read(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            "trace",
            &options,
            range,
            &mut sink,
        )?;
        Ok((seen, found))
    }

    #[test]
    fn a_log_line_arrived_at_its_time_less_its_duration_and_init() {
        // Logged at 12:00:01.000; 200 ms of init and 50 ms of invoke: arrived at 12:00:00.750.
        let log = "2024-05-01T12:00:01.000Z REPORT RequestId: a\tDuration: 50.00 ms\tBilled Duration: 250 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\tInit Duration: 200.00 ms\t\n\
                   2024-05-01T12:00:01.500000+00:00 2024/05/01/[$LATEST]ab REPORT RequestId: b\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t\n";
        let (seen, found) = arrivals(log).expect("read");
        let base = super::super::time_ms(b"2024-05-01T12:00:00Z").expect("time");
        assert_eq!(seen, vec![(base + 750.0, 1), (base + 1_490.0, 2)]);
        assert_eq!(found.arrivals, 2);
    }

    #[test]
    fn json_events_api_pages_and_csvs_carry_their_times() {
        let event = r#"{"time":"2024-05-01T12:00:00.100Z","type":"platform.report","record":{"metrics":{"durationMs":100.0,"billedDurationMs":100,"memorySizeMB":512,"maxMemoryUsedMB":60}}}"#;
        let (seen, _) = arrivals(&format!("{event}\n")).expect("read");
        let base = super::super::time_ms(b"2024-05-01T12:00:00Z").expect("time");
        assert_eq!(seen, vec![(base, 1)]);
        let page = r#"{"events": [{"timestamp": 1714564800500, "message": "REPORT RequestId: a\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t"}]}"#;
        let (seen, _) = arrivals(page).expect("read");
        assert_eq!(seen, vec![(1_714_564_800_400.0, 1)]);
        let (seen, _) = arrivals("offset_ms\n0\n250.5\n").expect("read");
        assert_eq!(seen, vec![(0.0, 2), (250.5, 3)]);
        let (seen, _) =
            arrivals("id,timestamp\na,2024-05-01T12:00:00Z\nb,1714564800250\n").expect("read");
        assert_eq!(seen, vec![(base, 2), (base + 250.0, 3)]);
    }

    #[test]
    fn inputs_without_times_are_refused_saying_which_carry_them() {
        let plain = "REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t\n";
        let e = arrivals(plain).expect_err("no times");
        assert!(
            e.to_string()
                .contains("none of its 1 invocations has a time"),
            "{e}"
        );
        assert!(e.to_string().contains("`aws logs tail`"), "{e}");
        let e = arrivals("timestamp\n1714564800\n").expect_err("seconds");
        assert_eq!(
            e.to_string(),
            "trace:2: column 'timestamp': '1714564800' looks like epoch seconds, not milliseconds; multiply by 1000 or give an RFC 3339 time"
        );
        let e = arrivals("offset_ms\n-5\n").expect_err("negative");
        assert!(
            e.to_string()
                .starts_with("trace:2: column 'offset_ms': '-5'"),
            "{e}"
        );
        let e = arrivals("offset_ms\n").expect_err("empty");
        assert_eq!(e.to_string(), "trace: no arrivals: the trace is empty");
    }
}
