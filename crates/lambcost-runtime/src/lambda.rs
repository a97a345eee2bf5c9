//! Lambda's conventions, as a runtime and a log reader expect them: the environment variables
//! a runtime starts with, request and trace ids, the REPORT line, the error a runtime's exit
//! is reported as, and how durations are written and billed.

use super::env::Environment;
use super::env::OutputSink as LogSink;
use super::plan::{Plan, Record};
use lambcost_core::measurement::Status;
use std::os::unix::process::ExitStatusExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The runtime's environment: Lambda's variables, then the user's `--env` additions.
pub fn environment(plan: &Plan, api: &str, ids: &IdSource) -> Vec<(String, String)> {
    let task_root = plan.task_root.display().to_string();
    let stream = format!("2026/01/01/[$LATEST]{}", ids.hex(32));
    let mut vars: Vec<(String, String)> = vec![
        ("AWS_LAMBDA_RUNTIME_API".into(), api.to_string()),
        (
            "AWS_LAMBDA_FUNCTION_NAME".into(),
            plan.function_name.clone(),
        ),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE".into(),
            plan.memory_mb.to_string(),
        ),
        ("AWS_LAMBDA_FUNCTION_VERSION".into(), "$LATEST".into()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE".into(), "on-demand".into()),
        ("AWS_REGION".into(), plan.region.clone()),
        ("AWS_DEFAULT_REGION".into(), plan.region.clone()),
        (
            "AWS_EXECUTION_ENV".into(),
            "AWS_Lambda_provided.al2023".into(),
        ),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME".into(),
            format!("/aws/lambda/{}", plan.function_name),
        ),
        ("AWS_LAMBDA_LOG_STREAM_NAME".into(), stream),
        ("_HANDLER".into(), "bootstrap".into()),
        ("LAMBDA_TASK_ROOT".into(), task_root.clone()),
        ("LAMBDA_RUNTIME_DIR".into(), task_root),
        ("TZ".into(), ":UTC".into()),
        ("LANG".into(), "en_US.UTF-8".into()),
        (
            "PATH".into(),
            "/usr/local/bin:/usr/bin/:/bin:/opt/bin".into(),
        ),
        (
            "LD_LIBRARY_PATH".into(),
            "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib"
                .into(),
        ),
    ];
    for (k, v) in &plan.extra_env {
        vars.retain(|(name, _)| name != k);
        vars.push((k.clone(), v.clone()));
    }
    vars
}

/// Lambda's error for a runtime that exited: `Runtime.ExitError` with the status or signal,
/// or `Runtime.OutOfMemory` when the kernel killed it for memory.
pub fn exit_error(env: &Environment, status: std::process::ExitStatus) -> (String, String) {
    if env.out_of_memory() {
        return (
            "Runtime.OutOfMemory".to_string(),
            "Runtime exited with error: signal: killed (out of memory)".to_string(),
        );
    }
    let how = match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(9)) => "signal: killed".to_string(),
        (None, Some(signal)) => format!("signal: {}", signal_name(signal)),
        (None, None) => "unknown status".to_string(),
    };
    (
        "Runtime.ExitError".to_string(),
        format!("Runtime exited with error: {how}"),
    )
}

fn signal_name(signal: i32) -> String {
    nix::sys::signal::Signal::try_from(signal)
        .map(|s| s.as_str().trim_start_matches("SIG").to_ascii_lowercase())
        .unwrap_or_else(|_| signal.to_string())
}

/// A duration as a REPORT line writes it: milliseconds to the hundredth.
pub fn hundredths(d: Duration) -> f64 {
    (d.as_secs_f64() * 100_000.0).round() / 100.0
}

/// A duration as Lambda bills it: whole milliseconds, rounded up, at least one.
pub fn ceil_ms(d: Duration) -> u64 {
    (d.as_nanos().div_ceil(1_000_000) as u64).max(1)
}

/// The REPORT line exactly as Lambda writes it: tab-separated, with a trailing tab.
pub fn report_line(r: &Record) -> String {
    let mut line = format!(
        "REPORT RequestId: {}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {} MB\t",
        r.request_id, r.duration_ms, r.billed_ms, r.memory_size_mb, r.max_memory_used_mb
    );
    if let Some(init) = r.init_ms {
        line.push_str(&format!("Init Duration: {init:.2} ms\t"));
    }
    if r.status != Status::Success {
        line.push_str(&format!("Status: {}\t", r.status.as_str()));
        if let Some(kind) = &r.error_type {
            line.push_str(&format!("Error Type: {kind}\t"));
        }
    }
    line
}

/// Request ids and trace ids: random-looking, unique within a run (not for security).
pub struct IdSource {
    state: std::cell::Cell<u64>,
}

impl IdSource {
    /// A source seeded from the clock and the process id.
    pub fn new() -> IdSource {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ (u64::from(std::process::id()) << 32);
        IdSource {
            state: std::cell::Cell::new(seed),
        }
    }

    fn next(&self) -> u64 {
        // SplitMix64.
        let s = self.state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `digits` hexadecimal digits.
    pub fn hex(&self, digits: usize) -> String {
        let mut s = String::with_capacity(digits + 16);
        while s.len() < digits {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(digits);
        s
    }

    /// A version-4 UUID, as Lambda's request ids are.
    pub fn uuid(&self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}

impl Default for IdSource {
    fn default() -> Self {
        IdSource::new()
    }
}

/// The trace header Lambda hands a runtime with each event.
pub fn trace_id(ids: &IdSource) -> String {
    format!(
        "Root=1-{}-{};Parent={};Sampled=0",
        ids.hex(8),
        ids.hex(24),
        ids.hex(16)
    )
}

/// A function's ARN in the account lambcost pretends to be.
pub fn function_arn(plan: &Plan) -> String {
    format!(
        "arn:aws:lambda:{}:000000000000:function:{}",
        plan.region, plan.function_name
    )
}

/// The event's deadline as Lambda sends it: Unix epoch milliseconds.
pub fn deadline_ms(timeout: Duration) -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
        + timeout.as_millis()
}

/// A log stream of its own for one environment, as `aws logs tail` prints it: each line
/// after the time it was written and the stream's name (`2024/05/01/[$LATEST]` and 32 hex
/// digits), so that the log is itself an arrivals trace.
pub fn tail_stream(log: LogSink) -> LogSink {
    let name = format!(
        "{}/[$LATEST]{}",
        jiff::Timestamp::now().strftime("%Y/%m/%d"),
        IdSource::new().hex(32)
    );
    Arc::new(Mutex::new(Box::new(move |line: &str| {
        // RFC 3339 to the microsecond, with the offset written as the AWS CLI writes it.
        let written = format!("{:.6}", jiff::Timestamp::now());
        let written = written.strip_suffix('Z').unwrap_or(&written);
        if let Ok(mut write) = log.lock() {
            write(&format!("{written}+00:00 {name} {line}"));
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambcost_core::measurement::Phase;

    #[test]
    fn report_lines_are_lambdas() {
        let record = Record {
            request_id: "8f507cfc-xmpl-4697-b07a-ac58fc914c95".into(),
            phase: Phase::Cold,
            duration_ms: 15.74,
            init_ms: Some(130.49),
            billed_ms: 147,
            memory_size_mb: 128,
            max_memory_used_mb: 56,
            status: Status::Success,
            error_type: None,
            error_message: None,
        };
        assert_eq!(
            report_line(&record),
            "REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t"
        );
        let failed = Record {
            status: Status::Error,
            error_type: Some("Runtime.ExitError".into()),
            init_ms: None,
            ..record
        };
        assert!(report_line(&failed).ends_with("Status: error\tError Type: Runtime.ExitError\t"));
    }

    #[test]
    fn durations_round_for_the_log_and_up_for_the_bill() {
        assert_eq!(hundredths(Duration::from_micros(15_744)), 15.74);
        assert_eq!(ceil_ms(Duration::from_micros(15_001)), 16);
        assert_eq!(ceil_ms(Duration::from_micros(16_000)), 16);
        assert_eq!(ceil_ms(Duration::ZERO), 1);
    }

    #[test]
    fn ids_look_like_lambdas() {
        let ids = IdSource::new();
        let a = ids.uuid();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert_ne!(a, ids.uuid());
    }
}
