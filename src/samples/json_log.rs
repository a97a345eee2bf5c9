//! Lambda's JSON log format: one event a line. `platform.report` events carry an
//! invocation's metrics; every other event (`platform.start`, function logs) is skipped.
//!
//! ```json
//! {"time":"...","type":"platform.report","record":{"requestId":"...","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}
//! ```

use super::lines::for_each_line;
use super::{InputError, Invocation, LogOptions, Measured, Phase, Status};
use memchr::memmem;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    record: Option<Record>,
}

#[derive(Deserialize)]
struct Record {
    metrics: Option<Metrics>,
    status: Option<String>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metrics {
    duration_ms: f64,
    billed_duration_ms: Option<u64>,
    #[serde(rename = "memorySizeMB")]
    memory_size_mb: Option<u32>,
    #[serde(rename = "maxMemoryUsedMB")]
    max_memory_used_mb: Option<u32>,
    init_duration_ms: Option<f64>,
    restore_duration_ms: Option<f64>,
}

/// Reads a JSON log into one measured variant.
pub fn read(input: impl Read, origin: &str, options: &LogOptions) -> Result<Measured, InputError> {
    let mut measured = Measured::new(&options.variant, &options.mode, origin);
    measured.arch = options.arch;
    let finder = memmem::Finder::new(b"platform.report");
    let result = for_each_line(input, |line, number| {
        if finder.find(line).is_none() {
            return Ok(());
        }
        match parse_event(line) {
            Ok(Some(inv)) => {
                measured.add(&inv);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(reason) if options.strict => Err(InputError::at(origin, number, reason)),
            Err(reason) => {
                measured.malformed.note(origin, number, &reason, line);
                Ok(())
            }
        }
    });
    super::finish_log(measured, result, "platform.report event")
}

/// One line: an invocation for a `platform.report` event, `None` for any other event.
pub fn parse_event(line: &[u8]) -> Result<Option<Invocation>, String> {
    let event: Event =
        serde_json::from_slice(line).map_err(|e| format!("malformed JSON event ({e})"))?;
    if event.kind != "platform.report" {
        return Ok(None);
    }
    let record = event.record.ok_or("platform.report without a record")?;
    let m = record.metrics.ok_or("platform.report without metrics")?;
    if !m.duration_ms.is_finite() || m.duration_ms < 0.0 {
        return Err(format!("durationMs {} is not a duration", m.duration_ms));
    }
    let mut status = match record.status.as_deref() {
        None => Status::Success,
        Some(s) => Status::parse(s).ok_or_else(|| format!("unknown status '{s}'"))?,
    };
    if record.error_type.as_deref() == Some("Runtime.OutOfMemory") {
        status = Status::Oom;
    }
    let (phase, init_ms, restore) = match (m.init_duration_ms, m.restore_duration_ms) {
        (_, Some(r)) => (Phase::Cold, Some(r), true),
        (Some(i), None) => (Phase::Cold, Some(i), false),
        (None, None) => (Phase::Warm, None, false),
    };
    Ok(Some(Invocation {
        phase,
        duration_ms: m.duration_ms,
        init_ms,
        restore,
        billed_ms: m.billed_duration_ms,
        memory_size_mb: m.memory_size_mb,
        max_memory_used_mb: m.max_memory_used_mb,
        status,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_event_and_others() {
        let line = br#"{"time":"2024-05-01T12:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}"#;
        let inv = parse_event(line).expect("valid").expect("a report");
        assert_eq!(inv.phase, Phase::Cold);
        assert_eq!(inv.init_ms, Some(130.49));
        assert_eq!(inv.billed_ms, Some(147));
        let start = br#"{"time":"t","type":"platform.start","record":{"requestId":"r"}}"#;
        assert_eq!(parse_event(start), Ok(None));
        assert!(
            parse_event(br#"{"type":"platform.report","record":{"metrics":{"durationMs":"#)
                .is_err()
        );
    }
}
