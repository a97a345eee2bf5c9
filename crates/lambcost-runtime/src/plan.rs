//! What a measuring run is asked to do and what it gives back, as plain data: the plan of a
//! run, each invocation as measured, whether Lambda's limits were in force, and why a run
//! stopped early. The harness, the pool and Lambda's conventions all speak in these types,
//! so they live below all three.

use lambcost_core::measurement::{Invocation, Phase, Status};
use std::path::PathBuf;
use std::time::Duration;

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

impl Record {
    /// The invocation as a reader of its REPORT line would have read it back.
    pub fn invocation(&self) -> Invocation {
        Invocation {
            phase: self.phase,
            duration_ms: self.duration_ms,
            init_ms: self.init_ms,
            restore: false,
            billed_ms: Some(self.billed_ms),
            billed_restore_ms: None,
            memory_size_mb: Some(self.memory_size_mb),
            max_memory_used_mb: Some(self.max_memory_used_mb),
            status: self.status,
        }
    }
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
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The user interrupted it; every process has been killed.
    #[error("interrupted: every process of the run was stopped and no output file was written")]
    Interrupted,
    /// The harness itself failed (the program could not be started).
    #[error("{0}")]
    Failed(String),
}
