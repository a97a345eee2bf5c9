//! The harness: starts environments, hands events to the runtime through the Runtime API, and
//! times what Lambda times. Init Duration runs from starting the process to its first
//! `GET /next`; Duration from handing an event over to receiving its response. Between
//! invocations the environment is frozen. A crash, a timeout, an init failure or an oversized
//! response is recorded as Lambda records it, and the next invocation starts cold in a fresh
//! environment. Every process is killed when its environment ends or the run is interrupted.

use super::api::{self, Call, Event, Incoming, RuntimeApi};
use super::cgroup::Group;
use super::env::{Environment, OutputSink, Spec};
use crate::measurement::{Phase, Status};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How often a waiting harness checks whether the runtime process has exited.
const POLL: Duration = Duration::from_millis(1);

/// One measuring run at one memory setting.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Environments to start, each with one cold invocation.
    pub cold: u32,
    /// Warm invocations after the cold one, in each environment.
    pub warm: u32,
    /// Memory setting.
    pub memory_mb: u32,
    /// Function timeout.
    pub timeout: Duration,
    /// Longest init before Lambda gives up on it.
    pub init_timeout: Duration,
    /// The event payload.
    pub event: Vec<u8>,
    /// The runtime's program (an absolute path) and its arguments.
    pub command: Vec<String>,
    /// Variables added to the Lambda environment (`--env`).
    pub extra_env: Vec<(String, String)>,
    /// Whether to enforce Lambda's memory limit and CPU share with control groups.
    pub limits: bool,
    /// Function name used in the environment and the ARN.
    pub function_name: String,
    /// Region named in the environment.
    pub region: String,
    /// Task root (the program's directory).
    pub task_root: PathBuf,
}

/// One invocation as measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The request id handed to the runtime.
    pub request_id: String,
    /// Cold or warm.
    pub phase: Phase,
    /// Duration, ms, to 0.01 ms (as REPORT lines carry it).
    pub duration_ms: f64,
    /// Init Duration of a cold invocation, ms, to 0.01 ms.
    pub init_ms: Option<f64>,
    /// Billed Duration: ceil(init + duration) cold, ceil(duration) warm, from the exact times.
    pub billed_ms: u64,
    /// Memory setting.
    pub memory_size_mb: u32,
    /// Peak memory of the environment so far.
    pub max_memory_used_mb: u32,
    /// How it ended.
    pub status: Status,
    /// Lambda's error type, when it failed.
    pub error_type: Option<String>,
    /// A message for people, when it failed (`Task timed out after 3.00 seconds`).
    pub error_message: Option<String>,
}

/// Whether limits were in force for a run, and why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limits {
    /// Memory limit, CPU quota and peak memory from a control group.
    Enforced,
    /// Turned off with `--no-limits`.
    Off,
    /// Control groups could not be used; the reason.
    Unavailable(String),
}

impl Limits {
    /// True when Lambda's limits were in force.
    pub fn enforced(&self) -> bool {
        *self == Limits::Enforced
    }
}

/// The result of a run.
pub struct Outcome {
    /// Every invocation, in order.
    pub records: Vec<Record>,
    /// Environments started.
    pub environments: u32,
    /// Whether limits were enforced.
    pub limits: Limits,
    /// Failures worth telling (with the function's last output).
    pub notes: Vec<String>,
}

/// Why a run stopped early.
#[derive(Debug)]
pub enum RunError {
    /// The user interrupted it; every process has been killed.
    Interrupted,
    /// The harness itself failed (the program could not be started).
    Failed(String),
}

/// Where START/END/REPORT lines and the function's own output go.
pub type LogSink = OutputSink;

/// How an init ended.
enum Init {
    /// The runtime is waiting for an event.
    Ready(tiny_http::Request, Instant),
    /// It failed.
    Failed(Failure),
}

/// A failed init: the record's status, error type and message, and when it ended.
struct Failure {
    status: Status,
    error_type: Option<String>,
    message: String,
    at: Instant,
}

/// How an invocation ended.
struct Ended {
    at: Instant,
    status: Status,
    error_type: Option<String>,
    message: Option<String>,
    /// Whether the environment can take another invocation.
    alive: bool,
}

/// The harness. Each environment gets a Runtime API server (a port) of its own, so that a
/// request still in flight from an environment that has just been torn down can never be
/// taken for the next one's.
pub struct Harness {
    interrupted: Arc<AtomicBool>,
    ids: IdSource,
    runs: u64,
}

/// An environment with the server it talks to.
struct Live {
    env: Environment,
    // Declared after `env`: the process dies before its server stops.
    api: RuntimeApi,
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

impl Harness {
    /// A harness with no environment yet.
    pub fn new() -> Harness {
        Harness {
            interrupted: Arc::new(AtomicBool::new(false)),
            ids: IdSource::new(),
            runs: 0,
        }
    }

    /// A flag that stops the run when set (for a Ctrl-C handler).
    pub fn interrupter(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.interrupted)
    }

    /// Runs `plan`, calling `progress` after each invocation and writing REPORT lines to `log`.
    pub fn run(
        &mut self,
        plan: &Plan,
        log: Option<LogSink>,
        mut progress: impl FnMut(&Record),
    ) -> Result<Outcome, RunError> {
        self.runs += 1;
        let mut outcome = Outcome {
            records: Vec::new(),
            environments: 0,
            limits: if plan.limits {
                Limits::Enforced
            } else {
                Limits::Off
            },
            notes: Vec::new(),
        };
        let total = plan.cold as usize * (1 + plan.warm as usize);
        // Invocations left in the planned environment (a crash moves them to a fresh one).
        let mut left = 0u32;
        let mut env: Option<(Live, tiny_http::Request)> = None;
        while outcome.records.len() < total {
            if left == 0 {
                left = 1 + plan.warm;
                env = None;
            }
            let (mut current, next, init_ms) = match env.take() {
                Some((e, next)) => (e, next, None),
                None => {
                    let mut started = self.start(plan, &mut outcome, log.clone())?;
                    outcome.environments += 1;
                    match self.wait_for_init(plan, &mut started)? {
                        Init::Ready(next, at) => {
                            let init = at.saturating_duration_since(started.env.started);
                            (started, next, Some(init))
                        }
                        Init::Failed(failure) => {
                            let record = self.init_failure(plan, &mut started.env, failure, &log);
                            note_output(&mut outcome, &record, &started.env);
                            progress(&record);
                            outcome.records.push(record);
                            left -= 1;
                            continue;
                        }
                    }
                }
            };
            let last_in_env = left == 1;
            let (record, parked) =
                self.invoke(plan, &mut current, next, init_ms, last_in_env, &log)?;
            if record.status != Status::Success {
                note_output(&mut outcome, &record, &current.env);
            }
            progress(&record);
            outcome.records.push(record);
            left -= 1;
            // An environment that is done or dead is dropped here, which kills what is left of
            // it; a crash leaves `left` invocations for a fresh environment.
            if let (Some(next), false) = (parked, last_in_env) {
                current.env.freeze();
                env = Some((current, next));
            }
        }
        Ok(outcome)
    }

    /// The runtime's environment: Lambda's variables, then the user's `--env` additions.
    fn lambda_environment(&self, plan: &Plan, api: &str) -> Vec<(String, String)> {
        let task_root = plan.task_root.display().to_string();
        let stream = format!("2026/01/01/[$LATEST]{}", self.ids.hex(32));
        let mut vars: Vec<(String, String)> =
            vec![
            ("AWS_LAMBDA_RUNTIME_API".into(), api.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME".into(), plan.function_name.clone()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE".into(), plan.memory_mb.to_string()),
            ("AWS_LAMBDA_FUNCTION_VERSION".into(), "$LATEST".into()),
            ("AWS_LAMBDA_INITIALIZATION_TYPE".into(), "on-demand".into()),
            ("AWS_REGION".into(), plan.region.clone()),
            ("AWS_DEFAULT_REGION".into(), plan.region.clone()),
            ("AWS_EXECUTION_ENV".into(), "AWS_Lambda_provided.al2023".into()),
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
            ("PATH".into(), "/usr/local/bin:/usr/bin/:/bin:/opt/bin".into()),
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

    fn start(
        &mut self,
        plan: &Plan,
        outcome: &mut Outcome,
        log: Option<LogSink>,
    ) -> Result<Live, RunError> {
        let api = RuntimeApi::start()
            .map_err(|e| RunError::Failed(format!("cannot serve the Runtime API: {e}")))?;
        let vars = self.lambda_environment(plan, api.address());
        let group = if outcome.limits.enforced() {
            let name = format!(
                "{}-{}-{}",
                std::process::id(),
                self.runs,
                outcome.environments
            );
            match Group::create(&name, plan.memory_mb) {
                Ok(g) => Some(g),
                Err(e) => {
                    outcome.limits =
                        Limits::Unavailable(format!("control groups could not be created ({e})"));
                    None
                }
            }
        } else {
            None
        };
        let spec = Spec {
            command: &plan.command,
            vars: &vars,
            dir: &plan.task_root,
        };
        let env = Environment::start(&spec, group, log)
            .map_err(|e| RunError::Failed(format!("{}: cannot start: {e}", plan.command[0])))?;
        Ok(Live { env, api })
    }

    /// Waits for the runtime's first `GET /next`, an init error, an exit or the init timeout.
    fn wait_for_init(&mut self, plan: &Plan, live: &mut Live) -> Result<Init, RunError> {
        let deadline = live.env.started + plan.init_timeout;
        loop {
            let received = self.receive(&live.api, deadline);
            let env = &mut live.env;
            match received {
                Received::Interrupted => return Err(RunError::Interrupted),
                Received::Message(mut incoming) => {
                    let at = incoming.at;
                    match api::route(incoming.request.method().as_str(), incoming.request.url()) {
                        Call::Next => return Ok(Init::Ready(incoming.request, at)),
                        Call::InitError => {
                            let body =
                                api::read_body(&mut incoming.request, api::MAX_RESPONSE_BYTES)
                                    .ok()
                                    .flatten()
                                    .unwrap_or_default();
                            let header = api::header_value(
                                &incoming.request,
                                "Lambda-Runtime-Function-Error-Type",
                            );
                            let (kind, message) = api::error_type(&body, header);
                            let _ = incoming.request.respond(api::accepted());
                            let message = message.unwrap_or_else(|| kind.clone());
                            return Ok(Init::Failed(Failure {
                                status: Status::Error,
                                error_type: Some(kind),
                                message,
                                at,
                            }));
                        }
                        Call::Response(_) | Call::Error(_) => {
                            let _ = incoming.request.respond(api::invalid_request_id());
                        }
                        Call::Unknown => {
                            let _ = incoming.request.respond(api::not_found());
                        }
                    }
                }
                Received::Idle => {
                    if let Some(status) = env.exited() {
                        let (kind, message) = exit_error(env, status);
                        return Ok(Init::Failed(Failure {
                            status: Status::Error,
                            error_type: Some(kind),
                            message,
                            at: Instant::now(),
                        }));
                    }
                    if Instant::now() >= deadline {
                        let message = format!(
                            "Init timed out after {:.2} seconds",
                            plan.init_timeout.as_secs_f64()
                        );
                        return Ok(Init::Failed(Failure {
                            status: Status::Timeout,
                            error_type: None,
                            message,
                            at: Instant::now(),
                        }));
                    }
                }
            }
        }
    }

    fn init_failure(
        &mut self,
        plan: &Plan,
        env: &mut Environment,
        failure: Failure,
        log: &Option<LogSink>,
    ) -> Record {
        let Failure {
            status,
            error_type,
            message,
            at,
        } = failure;
        let init = at.saturating_duration_since(env.started);
        let request_id = self.ids.uuid();
        let record = Record {
            request_id,
            phase: Phase::Cold,
            duration_ms: 0.0,
            init_ms: Some(hundredths(init)),
            billed_ms: ceil_ms(init),
            memory_size_mb: plan.memory_mb,
            max_memory_used_mb: env.peak_mb().unwrap_or(0),
            status,
            error_type,
            error_message: Some(message),
        };
        write_log(
            log,
            &format!("START RequestId: {} Version: $LATEST", record.request_id),
        );
        write_report(log, &record);
        record
    }

    /// One invocation: hand the event over, wait for its end, and (unless it is the last of
    /// its environment or the environment died) for the runtime's next `GET /next`.
    fn invoke(
        &mut self,
        plan: &Plan,
        live: &mut Live,
        next: tiny_http::Request,
        init: Option<Duration>,
        last_in_env: bool,
        log: &Option<LogSink>,
    ) -> Result<(Record, Option<tiny_http::Request>), RunError> {
        let request_id = self.ids.uuid();
        let trace_id = format!(
            "Root=1-{}-{};Parent={};Sampled=0",
            self.ids.hex(8),
            self.ids.hex(24),
            self.ids.hex(16)
        );
        let arn = format!(
            "arn:aws:lambda:{}:000000000000:function:{}",
            plan.region, plan.function_name
        );
        let deadline_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
            + plan.timeout.as_millis();
        write_log(
            log,
            &format!("START RequestId: {request_id} Version: $LATEST"),
        );
        let api = &live.api;
        let env = &mut live.env;
        env.thaw();
        let start = Instant::now();
        let _ = next.respond(api::next_response(&Event {
            request_id: &request_id,
            deadline_ms,
            function_arn: &arn,
            trace_id: &trace_id,
            body: &plan.event,
        }));
        let deadline = start + plan.timeout;
        let mut parked = None;
        let ended = loop {
            match self.receive(api, deadline) {
                Received::Interrupted => return Err(RunError::Interrupted),
                Received::Message(mut incoming) => {
                    let at = incoming.at;
                    match api::route(incoming.request.method().as_str(), incoming.request.url()) {
                        Call::Response(id) if id == request_id => {
                            match api::read_body(&mut incoming.request, api::MAX_RESPONSE_BYTES) {
                                Ok(Some(_)) => {
                                    let at = Instant::now().max(at);
                                    let _ = incoming.request.respond(api::accepted());
                                    break Ended {
                                        at,
                                        status: Status::Success,
                                        error_type: None,
                                        message: None,
                                        alive: true,
                                    };
                                }
                                Ok(None) => {
                                    let at = Instant::now();
                                    let _ = incoming.request.respond(api::too_large());
                                    break Ended {
                                        at,
                                        status: Status::Error,
                                        error_type: Some("Function.ResponseSizeTooLarge".into()),
                                        message: Some(format!(
                                            "Response payload size exceeded maximum allowed payload size ({} bytes).",
                                            api::MAX_RESPONSE_BYTES
                                        )),
                                        alive: true,
                                    };
                                }
                                Err(_) => {}
                            }
                        }
                        Call::Error(id) if id == request_id => {
                            let body =
                                api::read_body(&mut incoming.request, api::MAX_RESPONSE_BYTES)
                                    .ok()
                                    .flatten()
                                    .unwrap_or_default();
                            let header = api::header_value(
                                &incoming.request,
                                "Lambda-Runtime-Function-Error-Type",
                            );
                            let (kind, message) = api::error_type(&body, header);
                            let at = Instant::now();
                            let _ = incoming.request.respond(api::accepted());
                            break Ended {
                                at,
                                status: Status::Error,
                                error_type: Some(kind),
                                message,
                                alive: true,
                            };
                        }
                        Call::Response(_) | Call::Error(_) => {
                            let _ = incoming.request.respond(api::invalid_request_id());
                        }
                        Call::Next => parked = Some(incoming.request),
                        Call::InitError | Call::Unknown => {
                            let _ = incoming.request.respond(api::not_found());
                        }
                    }
                }
                Received::Idle => {
                    if let Some(status) = env.exited() {
                        let (kind, message) = exit_error(env, status);
                        break Ended {
                            at: Instant::now(),
                            status: if kind == "Runtime.OutOfMemory" {
                                Status::Oom
                            } else {
                                Status::Error
                            },
                            error_type: Some(kind),
                            message: Some(message),
                            alive: false,
                        };
                    }
                    if Instant::now() >= deadline {
                        break Ended {
                            at: deadline,
                            status: Status::Timeout,
                            error_type: None,
                            message: Some(format!(
                                "Task timed out after {:.2} seconds",
                                plan.timeout.as_secs_f64()
                            )),
                            alive: false,
                        };
                    }
                }
            }
        };
        let duration = ended.at.duration_since(start);
        let max_memory = env.peak_mb().unwrap_or(0);
        let mut alive = ended.alive;
        if alive && !last_in_env && parked.is_none() {
            // Wait for the runtime to ask for the next event: then it is idle and can be frozen.
            let wait_until = Instant::now() + plan.timeout;
            loop {
                match self.receive(api, wait_until) {
                    Received::Interrupted => return Err(RunError::Interrupted),
                    Received::Message(incoming) => {
                        match api::route(incoming.request.method().as_str(), incoming.request.url())
                        {
                            Call::Next => {
                                parked = Some(incoming.request);
                                break;
                            }
                            Call::Response(_) | Call::Error(_) => {
                                let _ = incoming.request.respond(api::invalid_request_id());
                            }
                            _ => {
                                let _ = incoming.request.respond(api::not_found());
                            }
                        }
                    }
                    Received::Idle => {
                        if env.exited().is_some() || Instant::now() >= wait_until {
                            alive = false;
                            break;
                        }
                    }
                }
            }
        }
        let status = if ended.status == Status::Error && env.out_of_memory() {
            Status::Oom
        } else {
            ended.status
        };
        let error_type = if status == Status::Oom {
            Some("Runtime.OutOfMemory".to_string())
        } else {
            ended.error_type
        };
        let init_ms = init.map(hundredths);
        let billed = match init {
            Some(i) => ceil_ms(i + duration),
            None => ceil_ms(duration),
        };
        let record = Record {
            request_id,
            phase: if init.is_some() {
                Phase::Cold
            } else {
                Phase::Warm
            },
            duration_ms: hundredths(duration),
            init_ms,
            billed_ms: billed,
            memory_size_mb: plan.memory_mb,
            max_memory_used_mb: max_memory,
            status,
            error_type,
            error_message: ended.message,
        };
        if record.status == Status::Timeout {
            write_log(
                log,
                &format!(
                    "{} {}",
                    record.request_id,
                    record.error_message.as_deref().unwrap_or("")
                ),
            );
        }
        write_log(log, &format!("END RequestId: {}", record.request_id));
        write_report(log, &record);
        Ok((record, if alive { parked } else { None }))
    }

    fn receive(&self, api: &RuntimeApi, deadline: Instant) -> Received {
        if self.interrupted.load(Ordering::Relaxed) {
            return Received::Interrupted;
        }
        let wait = deadline.saturating_duration_since(Instant::now()).min(POLL);
        match api.receive(wait) {
            Some(incoming) => Received::Message(incoming),
            None => Received::Idle,
        }
    }
}

enum Received {
    Message(Incoming),
    Interrupted,
    Idle,
}

/// Lambda's error for a runtime that exited: `Runtime.ExitError` with the status or signal,
/// or `Runtime.OutOfMemory` when the kernel killed it for memory.
fn exit_error(env: &Environment, status: std::process::ExitStatus) -> (String, String) {
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

fn note_output(outcome: &mut Outcome, record: &Record, env: &Environment) {
    let last = env
        .recent_output
        .lock()
        .ok()
        .and_then(|lines| lines.back().cloned());
    let what = record
        .error_message
        .clone()
        .unwrap_or_else(|| record.status.as_str().to_string());
    outcome.notes.push(match last {
        Some(line) => format!("{what} (the function's last output: {line})"),
        None => what,
    });
}

fn hundredths(d: Duration) -> f64 {
    (d.as_secs_f64() * 100_000.0).round() / 100.0
}

fn ceil_ms(d: Duration) -> u64 {
    (d.as_nanos().div_ceil(1_000_000) as u64).max(1)
}

fn write_log(log: &Option<LogSink>, line: &str) {
    if let Some(sink) = log
        && let Ok(mut write) = sink.lock()
    {
        write(line);
    }
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

fn write_report(log: &Option<LogSink>, record: &Record) {
    write_log(log, &report_line(record));
}

/// Request ids and trace ids: random-looking, unique within a run (not for security).
struct IdSource {
    state: std::cell::Cell<u64>,
}

impl IdSource {
    fn new() -> IdSource {
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

    fn hex(&self, digits: usize) -> String {
        let mut s = String::with_capacity(digits + 16);
        while s.len() < digits {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(digits);
        s
    }

    fn uuid(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
