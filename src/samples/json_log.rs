//! Lambda's JSON log format: one event a line. `platform.report` events carry an
//! invocation's metrics; `platform.initStart` names the runtime; every other event
//! (`platform.start`, function logs) is skipped. A report from Lambda Managed Instances
//! (metrics without a memory size or a billed duration: those instances are not billed per
//! GB-second) is left out and counted.
//!
//! ```json
//! {"time":"...","type":"platform.report","record":{"requestId":"...","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}
//! ```

use super::lines::for_each_line;
use super::{InputError, LogOptions};
use crate::measurement::{Invocation, Measured, Phase, Status};
use crate::pricing::MemoryRange;
use memchr::memmem;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
struct RawEvent {
    #[serde(rename = "type")]
    kind: String,
    record: Option<Record>,
}

#[derive(Deserialize)]
struct Record {
    metrics: Option<Metrics>,
    #[serde(rename = "runtimeVersion")]
    runtime_version: Option<String>,
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
    billed_restore_duration_ms: Option<u64>,
}

/// What one line of a JSON log holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// An on-demand invocation's report.
    Report(Invocation),
    /// A report from Lambda Managed Instances, which is not billed per invocation.
    ManagedInstance,
    /// The runtime the environment started (`platform.initStart`).
    InitStart(Option<String>),
    /// Anything else.
    Other,
}

/// Reads a JSON log into one measured variant; `memory` is Lambda's range of memory sizes.
pub fn read(
    input: impl Read,
    origin: &str,
    options: &LogOptions,
    memory: MemoryRange,
) -> Result<Measured, InputError> {
    let mut measured = Measured::new(&options.variant, &options.mode, origin);
    measured.arch = options.arch;
    measured.granularity_ms = options.granularity_ms;
    let finder = memmem::Finder::new(b"\"platform.");
    let result = for_each_line(input, |line, number| {
        if finder.find(line).is_none() {
            return Ok(());
        }
        match parse_event(line) {
            Ok(Event::Report(inv)) => {
                if let Some(reason) = inv.implausible(memory) {
                    return Err(InputError::at(origin, number, reason));
                }
                measured.add(&inv);
                Ok(())
            }
            Ok(Event::ManagedInstance) => {
                measured.managed_instances += 1;
                Ok(())
            }
            Ok(Event::InitStart(runtime)) => {
                if measured.runtime.is_none() {
                    measured.runtime = runtime;
                }
                Ok(())
            }
            Ok(Event::Other) => Ok(()),
            Err(reason) if options.strict => Err(InputError::at(origin, number, reason)),
            Err(reason) => {
                measured.malformed.note(origin, number, &reason, line);
                Ok(())
            }
        }
    });
    super::finish_log(measured, result, "platform.report event")
}

/// One line: what the event says.
pub fn parse_event(line: &[u8]) -> Result<Event, String> {
    let event: RawEvent =
        serde_json::from_slice(line).map_err(|e| format!("malformed JSON event ({e})"))?;
    match event.kind.as_str() {
        "platform.report" => {}
        "platform.initStart" => {
            return Ok(Event::InitStart(
                event
                    .record
                    .and_then(|r| r.runtime_version)
                    .and_then(|v| super::runtime_of_version(&v)),
            ));
        }
        _ => return Ok(Event::Other),
    }
    let record = event.record.ok_or("platform.report without a record")?;
    let m = record.metrics.ok_or("platform.report without metrics")?;
    if !m.duration_ms.is_finite() || m.duration_ms < 0.0 {
        return Err(format!("durationMs {} is not a duration", m.duration_ms));
    }
    if m.memory_size_mb.is_none() && m.billed_duration_ms.is_none() {
        return Ok(Event::ManagedInstance);
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
    Ok(Event::Report(Invocation {
        phase,
        duration_ms: m.duration_ms,
        init_ms,
        restore,
        billed_ms: m.billed_duration_ms,
        billed_restore_ms: m.billed_restore_duration_ms,
        memory_size_mb: m.memory_size_mb,
        max_memory_used_mb: m.max_memory_used_mb,
        status,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_instances_snapstart_and_the_runtime() {
        // Lambda Managed Instances report a duration and nothing billed per GB-second.
        let lmi = br#"{"time":"t","type":"platform.report","record":{"requestId":"r","status":"success","metrics":{"durationMs":52.56}}}"#;
        assert_eq!(parse_event(lmi), Ok(Event::ManagedInstance));
        let restore = br#"{"time":"t","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":147.156,"billedDurationMs":201,"memorySizeMB":512,"maxMemoryUsedMB":91,"restoreDurationMs":500.795,"billedRestoreDurationMs":53}}}"#;
        let Ok(Event::Report(inv)) = parse_event(restore) else {
            panic!("a report")
        };
        assert!(inv.restore);
        assert_eq!(inv.billed_restore_ms, Some(53));
        let init = br#"{"time":"t","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"python:3.12.v40","runtimeVersionArn":"arn"}}"#;
        assert_eq!(
            parse_event(init),
            Ok(Event::InitStart(Some("python3.12".to_string())))
        );
    }

    #[test]
    fn a_report_event_and_others() {
        let line = br#"{"time":"2024-05-01T12:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}"#;
        let Ok(Event::Report(inv)) = parse_event(line) else {
            panic!("a report")
        };
        assert_eq!(inv.phase, Phase::Cold);
        assert_eq!(inv.init_ms, Some(130.49));
        assert_eq!(inv.billed_ms, Some(147));
        let start = br#"{"time":"t","type":"platform.start","record":{"requestId":"r"}}"#;
        assert_eq!(parse_event(start), Ok(Event::Other));
        assert!(
            parse_event(br#"{"type":"platform.report","record":{"metrics":{"durationMs":"#)
                .is_err()
        );
    }
}
