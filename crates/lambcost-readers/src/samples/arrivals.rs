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

pub use super::arrivals_csv::{Found, SHAPES, is_header};
use super::arrivals_csv::{csv_arrivals, samples_arrivals};
use super::detect::{Kind, Recognised};
use super::input::{InputError, LogOptions};
use super::reading::{ArrivalSink, Reading};
use lambcost_core::pricing::MemoryRange;
use std::io::Read;

/// Whether `input` holds invocations of its own (a log, a samples file), which make a
/// variant beside its arrivals; not a CSV of arrival times alone.
pub fn holds_invocations(
    input: impl Read + Send + 'static,
    origin: &str,
) -> Result<bool, InputError> {
    Ok(match super::detect::recognise(input, origin)? {
        Recognised::Input(_, kind) => {
            !matches!(kind, Kind::Arrivals | Kind::Summary | Kind::Insights)
        }
        Recognised::Nothing(_) => false,
    })
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
    let (opened, kind) = match super::detect::recognise(input, origin)? {
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
            let result = super::detect::read_log(&mut reading, log_kind, opened.reader);
            let unstamped = reading.unstamped;
            let malformed = reading.groups.malformed.count;
            let consumed = opened.consumed.load(std::sync::atomic::Ordering::Relaxed);
            let groups = reading.finish(result, &opened.encoding, consumed)?;
            if let Some(why) = groups.why_empty("REPORT line or event") {
                return Err(InputError::whole(origin, why));
            }
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
                lambcost_core::format::grouped(rust_decimal::Decimal::from(n), 0)
            )),
        });
    }
    Ok(found)
}

/// How the refusal of an input without times begins.
const UNTIMED: &str = "no arrival times";

/// Whether an error refuses an input that holds invocations (or figures) but no times: a
/// directory of logs is refused for it, where a file that is no log at all is skipped.
pub fn is_untimed(e: &InputError) -> bool {
    e.message.starts_with(UNTIMED)
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
        let base = super::super::values::time_ms(b"2024-05-01T12:00:00Z").expect("time");
        assert_eq!(seen, vec![(base + 750.0, 1), (base + 1_490.0, 2)]);
        assert_eq!(found.arrivals, 2);
    }

    #[test]
    fn json_events_api_pages_and_csvs_carry_their_times() {
        let event = r#"{"time":"2024-05-01T12:00:00.100Z","type":"platform.report","record":{"metrics":{"durationMs":100.0,"billedDurationMs":100,"memorySizeMB":512,"maxMemoryUsedMB":60}}}"#;
        let (seen, _) = arrivals(&format!("{event}\n")).expect("read");
        let base = super::super::values::time_ms(b"2024-05-01T12:00:00Z").expect("time");
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
