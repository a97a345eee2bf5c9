//! One event of Lambda's JSON log format, parsed: `platform.report` carries an invocation's
//! metrics, `platform.initStart` names the runtime, anything else is told as such. Pure, below
//! every reader that meets JSON events (JSON logs, API pages, subscription payloads).
//!
//! ```json
//! {"time":"...","type":"platform.report","record":{"requestId":"...","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}
//! ```

use lambcost_core::measurement::{Invocation, Phase, Status};
use serde::Deserialize;

/// An event of Lambda's JSON log format, as far as lambcost reads it.
#[derive(Deserialize)]
pub struct RawEvent {
    /// `platform.report`, `platform.initStart`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// What it records.
    pub record: Option<Record>,
    /// When it was logged (RFC 3339).
    pub time: Option<String>,
}

/// An event's record.
#[derive(Deserialize)]
pub struct Record {
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

/// One line: what the event says.
pub fn parse_event(line: &[u8]) -> Result<Event, String> {
    let event: RawEvent =
        serde_json::from_slice(line).map_err(|e| format!("malformed JSON event ({e})"))?;
    event_of(event)
}

/// What a read event says.
pub fn event_of(event: RawEvent) -> Result<Event, String> {
    match event.kind.as_str() {
        "platform.report" => {}
        "platform.initStart" => {
            return Ok(Event::InitStart(
                event
                    .record
                    .and_then(|r| r.runtime_version)
                    .and_then(|v| super::values::runtime_of_version(&v)),
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
