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
    #[serde(rename = "initializationType")]
    initialization_type: Option<String>,
    phase: Option<String>,
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
    /// An on-demand INIT phase's duration, ms (`platform.initReport`), for the next report of
    /// its stream when that report does not carry it.
    InitReport(f64),
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
        "platform.initReport" => return Ok(init_report(event.record)),
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

/// What a `platform.initReport` says: the duration of an on-demand INIT phase. A provisioned
/// environment's INIT is paid for by its provisioned concurrency, a SnapStart snapshot's when
/// the version is published, and an INIT run again inside an invocation (`phase: invoke`) is
/// in that invocation's duration: none waits for a report.
fn init_report(record: Option<Record>) -> Event {
    let Some(record) = record else {
        return Event::Other;
    };
    let on_demand = matches!(
        record.initialization_type.as_deref(),
        None | Some("on-demand")
    );
    let init_phase = matches!(record.phase.as_deref(), None | Some("init"));
    match record.metrics {
        Some(m) if on_demand && init_phase && m.duration_ms.is_finite() && m.duration_ms >= 0.0 => {
            Event::InitReport(m.duration_ms)
        }
        _ => Event::Other,
    }
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
    fn an_init_report_waits_only_when_it_is_an_on_demand_init() {
        let on_demand = br#"{"time":"2024-05-20T16:29:45.007Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":173.778}}}"#;
        assert_eq!(parse_event(on_demand), Ok(Event::InitReport(173.778)));
        // Older records carry no status; none carries it as a string of digits.
        let older = br#"{"time":"t","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","metrics":{"durationMs":125.33}}}"#;
        assert_eq!(parse_event(older), Ok(Event::InitReport(125.33)));
        for other in [
            r#"{"time":"t","type":"platform.initReport","record":{"initializationType":"provisioned-concurrency","phase":"init","status":"success","metrics":{"durationMs":125.33}}}"#,
            r#"{"time":"t","type":"platform.initReport","record":{"initializationType":"snap-start","phase":"init","status":"success","metrics":{"durationMs":125.33}}}"#,
            r#"{"time":"t","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"invoke","status":"error","errorType":"Runtime.Unknown","metrics":{"durationMs":3.47}}}"#,
        ] {
            assert_eq!(parse_event(other.as_bytes()), Ok(Event::Other), "{other}");
        }
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
