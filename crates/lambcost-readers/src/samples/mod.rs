//! Readers of measurements. Each input is recognised by its content, not its name:
//!
//! - the summary table (`data/results.csv`'s header): one row per variant ([`summary`]);
//! - raw samples, one invocation a row, as `lambcost measure` writes them ([`samples_csv`]);
//! - CloudWatch Logs text with Lambda's REPORT lines ([`report_log`]);
//! - Lambda's JSON log format, one event a line ([`json_log`]).
//!
//! Logs and samples are read in one streaming pass into a [`Measured`](lambcost_core::measurement::Measured) per variant (the model
//! of [`lambcost_core::measurement`]), whose
//! size does not grow with the number of invocations. Every error names the input and line.

pub mod arrivals;
mod arrivals_csv;
pub mod cloudwatch;
pub mod console_csv;
mod csv_rows;
pub mod detect;
pub mod init_report;
mod input;
pub mod insights;
pub mod insights_table;
pub mod json_event;
pub mod json_log;
pub mod layout;
pub mod lines;
pub mod open;
pub mod reading;
pub mod report_line;
pub mod report_log;
pub mod samples_csv;
pub mod summary;
mod values;

pub use detect::{Kind, detect, near_miss_header, unreadable};
pub use input::{InputError, LogOptions};
pub use values::{runtime_of_version, time_ms};

use detect::{Recognised, read_log, recognise};
use lambcost_core::assemble::Loaded;
use lambcost_core::pricing::MemoryRange;
use std::io::Read;

/// Reads one input of any kind; `origin` names it in errors.
///
/// ```
/// use lambcost_core::pricing::MemoryRange;
/// use lambcost_core::assemble::Loaded;
/// use lambcost_readers::samples::{LogOptions, read_any};
///
/// let log = "START RequestId: r1 Version: $LATEST\n\
///            REPORT RequestId: r1\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t\n";
/// let options = LogOptions {
///     variant: "fn".into(),
///     mode: "aot".into(),
///     arch: None,
///     strict: false,
///     granularity_ms: 1,
///     ..LogOptions::default()
/// };
/// let range = MemoryRange { min: 128, max: 10240 };
/// match read_any(log.as_bytes(), "example.log", &options, range) {
///     Ok(Loaded::Log(groups)) => {
///         let measured = &groups.measured[0];
///         assert_eq!(measured.cold.count(), 1);
///         assert_eq!(measured.cold.billed_ms_sum, 147);
///     }
///     _ => panic!("a REPORT log"),
/// }
/// ```
pub fn read_any(
    input: impl Read + Send + 'static,
    origin: &str,
    log: &LogOptions,
    memory: MemoryRange,
) -> Result<Loaded, InputError> {
    let cannot = |e: std::io::Error| InputError::whole(origin, format!("cannot read: {e}"));
    let (opened, kind) = match recognise(input, origin)? {
        Recognised::Input(opened, kind) => (opened, kind),
        Recognised::Nothing(why) => return Ok(Loaded::NotALog(why)),
    };
    let (mut reader, encoding, consumed) = (opened.reader, opened.encoding, opened.consumed);
    let log_kind = match kind {
        Kind::Summary => return Ok(Loaded::Summary(summary::read(reader, origin, memory)?)),
        Kind::Samples => {
            return Ok(Loaded::Samples(samples_csv::read(
                reader,
                origin,
                memory,
                log.granularity_ms,
            )?));
        }
        Kind::Insights => {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(cannot)?;
            let rows = match insights::read(&text, origin)? {
                insights::Results::Aggregated(a) => return Ok(Loaded::Aggregated(a)),
                insights::Results::Events(rows) => rows,
            };
            let mut reading = reading::Reading::new(origin, log, memory);
            let result = insights::read_events(&mut reading, rows).map_err(lines::Stop::Each);
            let consumed = consumed.load(std::sync::atomic::Ordering::Relaxed);
            return Ok(Loaded::Log(Box::new(
                reading.finish(result, &encoding, consumed)?,
            )));
        }
        Kind::Arrivals => {
            // A table of times is skipped in a directory; one that holds REPORT lines is not
            // a table of times, and is never dropped in silence.
            let head = std::io::BufRead::fill_buf(&mut reader).map_err(cannot)?;
            if memchr::memmem::find(head, report_line::MARK).is_some() {
                return Err(InputError::whole(
                    origin,
                    "a CSV with a timestamp column that holds REPORT lines in no column lambcost reads: give the message column the name `message` (the console's download) or `@message` (Logs Insights')",
                ));
            }
            return Ok(Loaded::NotALog(
                "the input holds arrival times, not invocations: `lambcost replay` reads them (or `--cold-start-rate replay:FILE`)".to_string(),
            ));
        }
        other => other,
    };
    let mut reading = reading::Reading::new(origin, log, memory);
    let result = read_log(&mut reading, log_kind, reader);
    let consumed = consumed.load(std::sync::atomic::Ordering::Relaxed);
    Ok(Loaded::Log(Box::new(
        reading.finish(result, &encoding, consumed)?,
    )))
}
