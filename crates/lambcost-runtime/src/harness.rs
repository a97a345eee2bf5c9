//! The harness: starts environments, hands events to the runtime through the Runtime API, and
//! times what Lambda times. Init Duration runs from starting the process to its first
//! `GET /next`; Duration from handing an event over to receiving its response. Between
//! invocations the environment is frozen. A crash, a timeout, an init failure or an oversized
//! response is recorded as Lambda records it, and the next invocation starts cold in a fresh
//! environment. Every process is killed when its environment ends or the run is interrupted.

use super::api::{self, Call, Event, Incoming, RuntimeApi};
use super::cgroup::Group;
use super::env::{Environment, OutputSink, Spec};
use super::lambda::{self, IdSource, ceil_ms, hundredths, report_line};
use super::plan::{Limits, Outcome, Plan, Record, RunError};
use lambcost_core::measurement::{Phase, Status};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a waiting harness checks whether the runtime process has exited.
const POLL: Duration = Duration::from_millis(1);

/// Where START/END/REPORT lines and the function's own output go.
pub type LogSink = OutputSink;

/// How an init ended.
pub(super) enum Init {
    /// The runtime is waiting for an event.
    Ready(tiny_http::Request, Instant),
    /// It failed.
    Failed(Failure),
}

/// A failed init: the record's status, error type and message, and when it ended.
pub(super) struct Failure {
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
pub(super) struct Live {
    pub(super) env: Environment,
    // Declared after `env`: the process dies before its server stops.
    api: RuntimeApi,
}

impl Harness {
    /// A harness stopped by a flag it shares (a pool's, or a Ctrl-C handler's), its control
    /// groups named apart from those of every other harness of the process by `run`.
    pub fn sharing(interrupted: Arc<AtomicBool>, run: u64) -> Harness {
        Harness {
            interrupted,
            ids: IdSource::new(),
            runs: run,
        }
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

    pub(super) fn start(
        &mut self,
        plan: &Plan,
        outcome: &mut Outcome,
        log: Option<LogSink>,
    ) -> Result<Live, RunError> {
        let api = RuntimeApi::start()
            .map_err(|e| RunError::Failed(format!("cannot serve the Runtime API: {e}")))?;
        let vars = lambda::environment(plan, api.address(), &self.ids);
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
    pub(super) fn wait_for_init(&mut self, plan: &Plan, live: &mut Live) -> Result<Init, RunError> {
        let deadline = live.env.started + plan.init_timeout;
        loop {
            match self.receive(&live.api, deadline) {
                Received::Interrupted => return Err(RunError::Interrupted),
                Received::Message(incoming) => {
                    let at = incoming.at;
                    match api::route(incoming.request.method().as_str(), incoming.request.url()) {
                        Call::Next => return Ok(Init::Ready(incoming.request, at)),
                        Call::InitError => {
                            let (kind, message) = reported_error(incoming);
                            return Ok(Init::Failed(Failure {
                                status: Status::Error,
                                message: message.unwrap_or_else(|| kind.clone()),
                                error_type: Some(kind),
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
                    if let Some(status) = live.env.exited() {
                        let ended = exited(&live.env, status);
                        return Ok(Init::Failed(Failure {
                            status: Status::Error,
                            error_type: ended.error_type,
                            message: ended.message.unwrap_or_default(),
                            at: ended.at,
                        }));
                    }
                    if Instant::now() >= deadline {
                        return Ok(Init::Failed(Failure {
                            status: Status::Timeout,
                            error_type: None,
                            message: format!(
                                "Init timed out after {:.2} seconds",
                                plan.init_timeout.as_secs_f64()
                            ),
                            at: Instant::now(),
                        }));
                    }
                }
            }
        }
    }

    pub(super) fn init_failure(
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
    pub(super) fn invoke(
        &mut self,
        plan: &Plan,
        live: &mut Live,
        next: tiny_http::Request,
        init: Option<Duration>,
        last_in_env: bool,
        log: &Option<LogSink>,
    ) -> Result<(Record, Option<tiny_http::Request>), RunError> {
        let request_id = self.ids.uuid();
        write_log(
            log,
            &format!("START RequestId: {request_id} Version: $LATEST"),
        );
        live.env.thaw();
        let start = Instant::now();
        let _ = next.respond(api::next_response(&Event {
            request_id: &request_id,
            deadline_ms: lambda::deadline_ms(plan.timeout),
            function_arn: &lambda::function_arn(plan),
            trace_id: &lambda::trace_id(&self.ids),
            body: &plan.event,
        }));
        let (ended, mut parked) = self.wait_for_end(plan, live, &request_id, start)?;
        let duration = ended.at.duration_since(start);
        let max_memory_mb = live.env.peak_mb().unwrap_or(0);
        let mut alive = ended.alive;
        if alive && !last_in_env && parked.is_none() {
            parked = self.wait_for_next(plan, live)?;
            alive = parked.is_some();
        }
        let record = record(
            plan,
            &live.env,
            request_id,
            init,
            duration,
            max_memory_mb,
            ended,
        );
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

    /// Waits until the invocation `request_id` ends: its response or error, the runtime's
    /// exit, or the function timeout. A `GET /next` that comes first is parked and returned.
    fn wait_for_end(
        &mut self,
        plan: &Plan,
        live: &mut Live,
        request_id: &str,
        start: Instant,
    ) -> Result<(Ended, Option<tiny_http::Request>), RunError> {
        let deadline = start + plan.timeout;
        let mut parked = None;
        loop {
            match self.receive(&live.api, deadline) {
                Received::Interrupted => return Err(RunError::Interrupted),
                Received::Message(incoming) => {
                    match api::route(incoming.request.method().as_str(), incoming.request.url()) {
                        Call::Response(id) if id == request_id => {
                            if let Some(ended) = response(incoming) {
                                return Ok((ended, parked));
                            }
                        }
                        Call::Error(id) if id == request_id => {
                            let (kind, message) = reported_error(incoming);
                            let ended = Ended {
                                at: Instant::now(),
                                status: Status::Error,
                                error_type: Some(kind),
                                message,
                                alive: true,
                            };
                            return Ok((ended, parked));
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
                    if let Some(status) = live.env.exited() {
                        return Ok((exited(&live.env, status), parked));
                    }
                    if Instant::now() >= deadline {
                        let ended = Ended {
                            at: deadline,
                            status: Status::Timeout,
                            error_type: None,
                            message: Some(format!(
                                "Task timed out after {:.2} seconds",
                                plan.timeout.as_secs_f64()
                            )),
                            alive: false,
                        };
                        return Ok((ended, parked));
                    }
                }
            }
        }
    }

    /// Waits for the runtime to ask for the next event, when it is idle and can be frozen;
    /// `None` when it exits or does not ask within the timeout.
    fn wait_for_next(
        &mut self,
        plan: &Plan,
        live: &mut Live,
    ) -> Result<Option<tiny_http::Request>, RunError> {
        let wait_until = Instant::now() + plan.timeout;
        loop {
            match self.receive(&live.api, wait_until) {
                Received::Interrupted => return Err(RunError::Interrupted),
                Received::Message(incoming) => {
                    match api::route(incoming.request.method().as_str(), incoming.request.url()) {
                        Call::Next => return Ok(Some(incoming.request)),
                        Call::Response(_) | Call::Error(_) => {
                            let _ = incoming.request.respond(api::invalid_request_id());
                        }
                        _ => {
                            let _ = incoming.request.respond(api::not_found());
                        }
                    }
                }
                Received::Idle => {
                    if live.env.exited().is_some() || Instant::now() >= wait_until {
                        return Ok(None);
                    }
                }
            }
        }
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

/// A response to the invocation: accepted within Lambda's 6 MB, or refused as too large,
/// which fails the invocation as Lambda does. `None` when its body could not be read.
fn response(mut incoming: Incoming) -> Option<Ended> {
    match api::read_body(&mut incoming.request, api::MAX_RESPONSE_BYTES) {
        Ok(Some(_)) => {
            let at = Instant::now().max(incoming.at);
            let _ = incoming.request.respond(api::accepted());
            Some(Ended {
                at,
                status: Status::Success,
                error_type: None,
                message: None,
                alive: true,
            })
        }
        Ok(None) => {
            let at = Instant::now();
            let _ = incoming.request.respond(api::too_large());
            Some(Ended {
                at,
                status: Status::Error,
                error_type: Some("Function.ResponseSizeTooLarge".into()),
                message: Some(format!(
                    "Response payload size exceeded maximum allowed payload size ({} bytes).",
                    api::MAX_RESPONSE_BYTES
                )),
                alive: true,
            })
        }
        Err(_) => None,
    }
}

/// The error a runtime reports (`/init/error`, `/invocation/{id}/error`): its type, from the
/// body or the `Lambda-Runtime-Function-Error-Type` header, and its message. Accepted.
fn reported_error(mut incoming: Incoming) -> (String, Option<String>) {
    let body = api::read_body(&mut incoming.request, api::MAX_RESPONSE_BYTES)
        .ok()
        .flatten()
        .unwrap_or_default();
    let header = api::header_value(&incoming.request, "Lambda-Runtime-Function-Error-Type");
    let failure = api::error_type(&body, header);
    let _ = incoming.request.respond(api::accepted());
    failure
}

/// A runtime that exited, as Lambda classifies it: out of memory when the kernel killed it
/// for memory, an exit error otherwise. The environment is gone.
fn exited(env: &Environment, status: std::process::ExitStatus) -> Ended {
    let (kind, message) = lambda::exit_error(env, status);
    Ended {
        at: Instant::now(),
        status: if kind == "Runtime.OutOfMemory" {
            Status::Oom
        } else {
            Status::Error
        },
        error_type: Some(kind),
        message: Some(message),
        alive: false,
    }
}

/// The record of one invocation as Lambda would report it: a failure while the environment
/// was over its memory limit is out of memory; a cold one bills its init.
fn record(
    plan: &Plan,
    env: &Environment,
    request_id: String,
    init: Option<Duration>,
    duration: Duration,
    max_memory_used_mb: u32,
    ended: Ended,
) -> Record {
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
    Record {
        request_id,
        phase: if init.is_some() {
            Phase::Cold
        } else {
            Phase::Warm
        },
        duration_ms: hundredths(duration),
        init_ms: init.map(hundredths),
        billed_ms: ceil_ms(init.unwrap_or_default() + duration),
        memory_size_mb: plan.memory_mb,
        max_memory_used_mb,
        status,
        error_type,
        error_message: ended.message,
    }
}

pub(super) fn note_output(outcome: &mut Outcome, record: &Record, env: &Environment) {
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

fn write_log(log: &Option<LogSink>, line: &str) {
    if let Some(sink) = log
        && let Ok(mut write) = sink.lock()
    {
        write(line);
    }
}

fn write_report(log: &Option<LogSink>, record: &Record) {
    write_log(log, &report_line(record));
}
