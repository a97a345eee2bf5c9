//! A measuring run driven from the command line: the program and its event, the plan of each
//! memory setting, the runs themselves (one after another, or at a trace's arrival times
//! through a pool) with a progress bar and Ctrl-C, the log kept aside until every output can
//! be written, and what the runs found turned into the core's profiles and a samples file.

use crate::cli::MeasureArgs;
use crate::output::AtomicFile;
use anyhow::{Context, Result, anyhow, bail};
use lambcost_core::measurement::Measured;
use lambcost_core::pricing::Arch;
use lambcost_core::profile::Profile;
use lambcost_readers::samples::samples_csv;
use lambcost_runtime::cgroup;
use lambcost_runtime::harness::{Harness, LogSink};
use lambcost_runtime::plan::{Outcome, Plan, Record, RunError};
use lambcost_runtime::pool::{self, Burst, Served};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The event sent when none is given: a JSON object of strings, as the deck's function takes.
pub const DEFAULT_EVENT: &str = r#"{"name":"lambcost","purpose":"measure"}"#;

/// Every memory setting measured, with what its run found.
pub type Runs = Vec<(u32, Outcome)>;

/// Arrival times to invoke at, ms from the first, and what the trace was.
pub struct Arrivals {
    /// Ms from the first arrival (from 0 for Poisson arrivals), in order.
    pub offsets_ms: Vec<f64>,
    /// What the trace was.
    pub trace: crate::setup::trace::Trace,
}

/// What a run at arrival times found beyond its invocations.
pub struct Pooled {
    /// The arrivals invoked at.
    pub arrivals: Arrivals,
    /// When each invocation of the run's outcome arrived, and where it ran, in its order.
    pub arrived: Vec<lambcost_core::measurement::Arrived>,
    /// Arrivals beyond the concurrency limit.
    pub throttles: u64,
    /// The most environments busy at once.
    pub peak: u32,
    /// Environments started.
    pub environments: u32,
}

/// What is measured: the program, its name and task root, and the event it is sent.
pub struct Function {
    /// The program (an absolute path) and its arguments.
    pub command: Vec<String>,
    /// What the function is called: `--variant`, else its script's or program's name.
    pub name: String,
    /// Lambda's task root: the program's directory, or here for an interpreter's script.
    pub task_root: PathBuf,
    /// The event each invocation is sent.
    pub event: Vec<u8>,
}

/// The program to run, what it is called, and the event to send it.
pub fn function(args: &MeasureArgs) -> Result<Function> {
    let command = resolve_command(&args.command)?;
    let event = match &args.event {
        None => DEFAULT_EVENT.as_bytes().to_vec(),
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("--event {}: cannot read", path.display()))?;
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .map_err(|e| anyhow!("--event {}: not a JSON event ({e})", path.display()))?;
            bytes
        }
    };
    let program = Path::new(&command[0]);
    // An interpreter found in PATH (`-- python3 app.py`) runs the user's script from here, as
    // it would in a shell, and the script names the function; a bootstrap given by its path
    // runs in its own directory, Lambda's task root.
    let interpreter = args.command.first().is_some_and(|p| !p.contains('/'));
    let script = command[1..]
        .iter()
        .map(Path::new)
        .find(|a| interpreter && a.is_file());
    let named = script.unwrap_or(program);
    let name = args.variant.clone().unwrap_or_else(|| {
        let stem = if script.is_some() {
            named.file_stem()
        } else {
            named.file_name()
        };
        stem.map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "function".to_string())
    });
    let task_root = if interpreter {
        std::env::current_dir().context("cannot tell the current directory")?
    } else {
        program
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"))
    };
    Ok(Function {
        command,
        name,
        task_root,
        event,
    })
}

/// Runs every memory setting's environments (or the arrivals, through a pool), with a
/// progress bar; the log is kept aside, to be put in place once every output can be written
/// (and removed when the run fails).
pub fn measure(
    args: &MeasureArgs,
    function: &Function,
    arrivals: Option<Arrivals>,
) -> Result<(Runs, Option<TempOutput>, Option<Pooled>)> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    // Ctrl-C reaches lambcost alone (environments have process groups of their own); the
    // harness or the pool then kills every environment before returning.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    let log = match &args.log {
        Some(path) => Some(TempOutput::create(path)?),
        None => None,
    };
    let sink: Option<LogSink> = log.as_ref().map(TempOutput::sink);
    // Drawn only when standard error is a terminal, and cleared when the run ends.
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{wide_bar}] {pos}/{len}, {eta} left")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let result = match arrivals {
        Some(arrivals) => pooled(args, function, arrivals, &interrupted, sink.as_ref(), &bar)
            .map(|(runs, pooled)| (runs, Some(pooled))),
        None => sequential(args, function, &interrupted, sink, &bar).map(|runs| (runs, None)),
    };
    bar.finish_and_clear();
    match result {
        Ok((runs, pooled)) => Ok((runs, log, pooled)),
        Err(e) => {
            // The function's output threads may still hold the log: remove it now.
            if let Some(log) = &log {
                log.discard();
            }
            Err(anyhow::Error::new(e))
        }
    }
}

/// What a run is planned to be at `memory_mb`.
fn plan(args: &MeasureArgs, function: &Function, memory_mb: u32) -> Plan {
    let to_duration =
        |ms: Decimal| Duration::from_micros((ms * Decimal::from(1000)).to_u64().unwrap_or(0));
    Plan {
        cold: args.cold,
        warm: args.warm,
        memory_mb,
        timeout: to_duration(args.timeout),
        init_timeout: to_duration(args.init_timeout),
        event: function.event.clone(),
        command: function.command.clone(),
        extra_env: args.env.clone(),
        limits: !args.no_limits && cgroup::detect().is_some(),
        function_name: function.name.clone(),
        region: args.cost.price.region.clone(),
        task_root: function.task_root.clone(),
    }
}

/// N environments of one cold and M warm invocations, at each memory setting in turn.
fn sequential(
    args: &MeasureArgs,
    function: &Function,
    interrupted: &Arc<AtomicBool>,
    sink: Option<LogSink>,
    bar: &indicatif::ProgressBar,
) -> Result<Runs, RunError> {
    let mut harness = Harness::sharing(Arc::clone(interrupted), 0);
    let mut runs: Vec<(u32, Outcome)> = Vec::new();
    let total = u64::from(args.cold) * (1 + u64::from(args.warm)) * args.memory_mb.len() as u64;
    bar.set_length(total);
    let settings = args.memory_mb.len();
    for (k, &memory_mb) in args.memory_mb.iter().enumerate() {
        let plan = plan(args, function, memory_mb);
        let setting = if settings > 1 {
            format!("{memory_mb} MB ({} of {settings})", k + 1)
        } else {
            format!("{memory_mb} MB")
        };
        let per_env = 1 + args.warm;
        let status = |done: u32| {
            // Each environment runs one cold invocation, then its warm ones.
            let env = (done / per_env + 1).min(args.cold);
            let phase = if done.is_multiple_of(per_env) {
                "cold"
            } else {
                "warm"
            };
            format!("{setting}, environment {env} of {}, {phase}", args.cold)
        };
        bar.set_message(status(0));
        let mut done = 0u32;
        let progress = |_: &Record| {
            done += 1;
            bar.inc(1);
            bar.set_message(status(done));
        };
        runs.push((memory_mb, harness.run(&plan, sink.clone(), progress)?));
    }
    Ok(runs)
}

/// The arrivals `--arrivals` names, as offsets from the first, in order.
pub fn arrivals(
    args: &MeasureArgs,
    source: &lambcost_core::units::ArrivalSource,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Result<Arrivals> {
    if args.memory_mb.len() > 1 {
        bail!("--memory-mb: --arrivals runs one memory setting; give one");
    }
    let for_ms = crate::setup::trace::check_for(source, args.for_ms, MAX_ARRIVALS as f64)?;
    let settings = crate::setup::trace::Settings {
        source,
        for_ms,
        rules: lambcost_core::replay::Rules::new(
            args.cost.cold.idle_reclaim,
            args.cost.cold.env_lifetime,
            None,
        ),
        seed: args.seed,
        reorder_window: crate::setup::trace::REORDER_WINDOW,
        window_option: false,
    };
    let mut times: Vec<f64> = Vec::new();
    let (trace, _) = crate::setup::trace::feed(&settings, pricer, &mut |t| times.push(t))?;
    if times.len() > MAX_ARRIVALS {
        bail!(
            "--arrivals {}: {} arrivals; a run here invokes at most {} (a shorter trace)",
            trace.name,
            lambcost_core::format::grouped(Decimal::from(times.len()), 0),
            lambcost_core::format::grouped(Decimal::from(MAX_ARRIVALS), 0)
        );
    }
    // Poisson arrivals start at 0; a trace's run starts with its first arrival.
    let first = match source {
        lambcost_core::units::ArrivalSource::Poisson(_) => 0.0,
        lambcost_core::units::ArrivalSource::Trace(_) => times.first().copied().unwrap_or(0.0),
    };
    Ok(Arrivals {
        offsets_ms: times.iter().map(|t| t - first).collect(),
        trace,
    })
}

/// Most arrivals a run here invokes: each is a real invocation, in real time.
const MAX_ARRIVALS: usize = 1_000_000;

/// The arrivals, in real time, through a pool of environments under replay's rules; each
/// environment writes its own log stream, each line with the time it was written.
fn pooled(
    args: &MeasureArgs,
    function: &Function,
    arrivals: Arrivals,
    interrupted: &Arc<AtomicBool>,
    sink: Option<&LogSink>,
    bar: &indicatif::ProgressBar,
) -> Result<(Runs, Pooled), RunError> {
    let memory_mb = args.memory_mb.first().copied().unwrap_or(512);
    let plan = plan(args, function, memory_mb);
    let rules = lambcost_core::replay::Rules::new(
        args.cost.cold.idle_reclaim,
        args.cost.cold.env_lifetime,
        Some(args.concurrency),
    );
    bar.set_length(arrivals.offsets_ms.len() as u64);
    // The run takes the trace's own time: an estimate from invocations served would mislead.
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{wide_bar}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("{memory_mb} MB, 0 environments"));
    let streams = |_id: u32| sink.map(|s| lambcost_runtime::lambda::tail_stream(Arc::clone(s)));
    let progress = |_: &Served, environments: u32| {
        bar.inc(1);
        bar.set_message(format!("{memory_mb} MB, {environments} environments"));
    };
    let burst = pool::run(
        &plan,
        &arrivals.offsets_ms,
        rules,
        interrupted,
        &streams,
        progress,
    )?;
    let Burst {
        outcome,
        arrived,
        throttles,
        peak,
    } = burst;
    let pooled = Pooled {
        arrivals,
        arrived,
        throttles,
        peak,
        environments: outcome.environments,
    };
    Ok((vec![(memory_mb, outcome)], pooled))
}

/// One profile per memory setting, and the failures worth telling, each once with its count.
pub fn profiles(
    runs: &[(u32, Outcome)],
    variant_name: &dyn Fn(u32) -> String,
    mode: &str,
    arch: Arch,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Result<(Vec<Profile>, Vec<String>)> {
    let mut profiles = Vec::new();
    let mut warnings = Vec::new();
    for (memory_mb, outcome) in runs {
        let mut measured = Measured::new(&variant_name(*memory_mb), mode, "measure");
        measured.arch = Some(arch);
        measured.limits_enforced = Some(outcome.limits.enforced());
        // A bootstrap run locally is a custom runtime, as NativeAOT deploys on provided.al2023.
        measured.runtime = Some("provided.al2023".to_string());
        measured.granularity_ms = pricer.granularity_ms();
        for r in &outcome.records {
            measured.add(&r.invocation());
        }
        let profile = Profile::from_measured(&measured, arch, pricer)?;
        let mut counted: Vec<(&String, usize)> = Vec::new();
        for note in &outcome.notes {
            match counted.iter_mut().find(|(n, _)| *n == note) {
                Some((_, c)) => *c += 1,
                None => counted.push((note, 1)),
            }
        }
        for (note, count) in counted {
            let times = if count > 1 {
                format!(" ({count} invocations)")
            } else {
                String::new()
            };
            warnings.push(format!("{}: {note}{times}", profile.name));
        }
        profiles.push(profile);
    }
    Ok((profiles, warnings))
}

/// The program to run: the command given after `--`, or `lambcost-handler` beside lambcost.
fn resolve_command(command: &[String]) -> Result<Vec<String>> {
    if command.is_empty() {
        let exe = std::env::current_exe().context("cannot find lambcost's own executable")?;
        let handler = exe.with_file_name("lambcost-handler");
        if !handler.is_file() {
            bail!(
                "{}: the bundled handler is not built; run `cargo build --release -p lambcost-handler` (it builds beside lambcost), or give a bootstrap after --",
                handler.display()
            );
        }
        return Ok(vec![handler.display().to_string()]);
    }
    let program = &command[0];
    let path = if program.contains('/') {
        PathBuf::from(program)
    } else {
        std::env::var_os("PATH")
            .and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(program))
                    .find(|p| p.is_file())
            })
            .ok_or_else(|| anyhow!("-- {program}: not found in PATH; give the bootstrap's path"))?
    };
    let meta = std::fs::metadata(&path)
        .map_err(|e| anyhow!("-- {}: cannot run it: {e}", path.display()))?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        bail!(
            "-- {}: not an executable file (chmod +x it, or name its interpreter first)",
            path.display()
        );
    }
    let absolute = std::fs::canonicalize(&path).unwrap_or(path);
    let mut resolved = vec![absolute.display().to_string()];
    resolved.extend(command[1..].iter().cloned());
    Ok(resolved)
}

/// The samples CSV of every run; a run at arrival times (`arrived`, in its records' order)
/// gains when each invocation arrived and which environment served it, and is written in
/// the order they arrived.
pub fn samples(
    runs: &[(u32, Outcome)],
    arrived: Option<&[lambcost_core::measurement::Arrived]>,
    name: &dyn Fn(u32) -> String,
    mode: &str,
    arch: Arch,
) -> String {
    let mut writer = samples_csv::Writer::new(arrived.is_some());
    for (memory_mb, outcome) in runs {
        let mut rows: Vec<(&Record, Option<lambcost_core::measurement::Arrived>)> = outcome
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r, arrived.and_then(|a| a.get(i).copied())))
            .collect();
        // Stable: runs without arrivals keep their order.
        rows.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => x.arrival_ms.total_cmp(&y.arrival_ms),
            _ => std::cmp::Ordering::Equal,
        });
        for (r, at) in rows {
            writer.row(
                &name(*memory_mb),
                mode,
                arch,
                &r.invocation(),
                outcome.limits.enforced(),
                at,
            );
        }
    }
    writer.finish()
}

/// The log, written as the run goes into a file that appears only when the run completes;
/// an interrupted run leaves nothing behind.
pub struct TempOutput {
    file: Arc<Mutex<Option<std::io::BufWriter<AtomicFile>>>>,
    path: PathBuf,
}

impl TempOutput {
    /// A log to be written at `path` once the run completes.
    pub fn create(path: &Path) -> Result<TempOutput> {
        Ok(TempOutput {
            file: Arc::new(Mutex::new(Some(std::io::BufWriter::new(
                AtomicFile::create(path)?,
            )))),
            path: path.to_path_buf(),
        })
    }

    /// Where the run writes the log's lines.
    pub fn sink(&self) -> LogSink {
        let file = Arc::clone(&self.file);
        Arc::new(Mutex::new(Box::new(move |line: &str| {
            if let Ok(mut guard) = file.lock()
                && let Some(w) = guard.as_mut()
            {
                let _ = writeln!(w, "{line}");
            }
        })))
    }

    /// Drops the unfinished log (its temporary file is removed).
    pub fn discard(&self) {
        if let Ok(mut guard) = self.file.lock() {
            guard.take();
        }
    }

    /// Puts the finished log in place.
    pub fn persist(self) -> Result<()> {
        let shown = self.path.display().to_string();
        let writer = self
            .file
            .lock()
            .map_err(|_| anyhow!("{shown}: the log writer failed"))?
            .take()
            .ok_or_else(|| anyhow!("{shown}: the log was already written"))?;
        writer
            .into_inner()
            .map_err(|e| anyhow!("{shown}: cannot write: {}", e.error()))?
            .commit()
    }
}
