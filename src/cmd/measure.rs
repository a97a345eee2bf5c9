//! `lambcost measure`: runs a function locally the way Lambda runs it (N fresh environments,
//! one cold invocation then M warm ones in each, Lambda's memory limit and CPU share), and
//! reports what Lambda would: init, duration, billed duration, peak memory and cost. With
//! several memory sizes it is a local power tuning: the cheapest, the fastest and a balanced
//! setting are named. With `--arrivals`, invocations come at a trace's times instead, to a
//! pool of environments that starts one whenever none is idle: a burst on this machine, whose
//! log `replay` reads back.

use crate::cli::MeasureArgs;
use crate::compare;
use crate::measurement::{Invocation, Measured};
use crate::output::AtomicFile;
use crate::pricing::Arch;
use crate::profile::Profile;
use crate::report::{Cell, Column, Detail, Report, View};
use crate::runtime::cgroup;
use crate::runtime::harness::{Harness, LogSink};
use crate::runtime::plan::{Limits, Outcome, Plan, Record, RunError};
use crate::runtime::pool::{self, Burst, Served};
use crate::samples::samples_csv;
use anyhow::{Context, Result, anyhow, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The event sent when none is given: a JSON object of strings, as the deck's function takes.
pub const DEFAULT_EVENT: &str = r#"{"name":"lambcost","purpose":"measure"}"#;

/// Every memory setting measured, with what its run found.
type Runs = Vec<(u32, Outcome)>;

/// Arrival times to invoke at, ms from the first, and what the trace was.
struct Arrivals {
    offsets_ms: Vec<f64>,
    trace: crate::setup::trace::Trace,
}

/// What a run at arrival times found beyond its invocations.
struct Pooled {
    arrivals: Arrivals,
    /// When each invocation of the run's outcome arrived, and where it ran, in its order.
    arrived: Vec<crate::measurement::Arrived>,
    throttles: u64,
    peak: u32,
    environments: u32,
}

/// What is measured: the program, its name and task root, and the event it is sent.
struct Function {
    command: Vec<String>,
    name: String,
    task_root: PathBuf,
    event: Vec<u8>,
}

/// Runs `lambcost measure`.
pub fn run(args: &MeasureArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    check(args, &pricer)?;
    let function = function(args)?;
    let arrivals = match &args.arrivals {
        Some(source) => Some(arrivals(args, source, &pricer)?),
        None => None,
    };
    let (runs, log, pooled) = measure(args, &function, arrivals)?;
    // Measured on this machine's architecture; --arch prices the durations on another.
    let arch = args
        .price
        .arch
        .first()
        .copied()
        .unwrap_or(match std::env::consts::ARCH {
            "aarch64" => Arch::Arm64,
            _ => Arch::X86_64,
        });
    let mode = args.mode.clone().unwrap_or_default();
    let several = args.memory_mb.len() > 1;
    let variant_name = |mb: u32| {
        if several {
            format!("{}-{mb}mb", function.name)
        } else {
            function.name.clone()
        }
    };
    if let Some(path) = &args.samples_out {
        let arrived = pooled.as_ref().map(|p| p.arrived.as_slice());
        let csv = samples(&runs, arrived, &variant_name, &mode, arch);
        crate::output::write_atomically(path, csv.as_bytes())?;
    }
    if let Some(log) = log {
        log.persist()?;
    }
    let (mut profiles, mut warnings) = profiles(&runs, &variant_name, &mode, arch, &pricer)?;
    warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.share,
        &pricer,
    )?);
    let no_limits_reason = limits_reason(args, &runs);
    if let Some(reason) = &no_limits_reason {
        warnings.push(format!("limits not enforced: {reason}"));
    }
    let settings = crate::present::comparison::Settings {
        requests: &args.requests,
        output: &args.output,
        plot: &args.plot,
        cold: &args.share,
        price: &args.price,
        pricer: &pricer,
    };
    let mut comparison = crate::present::comparison::Comparison::new(&profiles, 0, &settings)?;
    // The power tuning's table has no observed-share column.
    comparison.observed_column = !several;
    let mut details = vec![Detail::general(limits_note(&runs, &no_limits_reason))];
    if let Some(p) = &pooled {
        details.push(Detail::general(pool_note(p, args)));
    }
    let (view, charts) = if several {
        let t = tuning(&profiles, &settings)?;
        details.push(Detail::about(
            "choice",
            "Cheapest: lowest cost at the first traffic level. Fastest: lowest mean warm duration. Balanced: lowest sum of cost and duration, each relative to its best.",
        ));
        (
            power_tuning(&profiles, &t),
            vec![power_tuning_chart(&function.name, &profiles, &t)],
        )
    } else {
        (comparison.view(), comparison.charts()?)
    };
    details.extend(comparison.details());
    warnings.extend(comparison.data_warnings());
    let (columns, rows) = comparison.table();
    let title = title(args, &function, pooled.as_ref());
    let mut report = Report {
        title,
        columns,
        rows,
        notes: comparison.notes(),
        details,
        data: data_line(&function, &no_limits_reason, pooled.as_ref()),
        assumptions: comparison.assumptions(),
        warnings,
        view: Some(view),
        charts,
        workbook: comparison.workbook(),
        ..Report::default()
    };
    let extra = extra_json(args, &no_limits_reason, pooled.as_ref());
    report.json = Some(comparison.document(&report, extra));
    // Figures from nothing but failures answer "no": the function did not run.
    report.answered_no = runs
        .iter()
        .flat_map(|(_, o)| &o.records)
        .all(|r| r.status != crate::measurement::Status::Success);
    Ok(report)
}

/// The memory settings within Lambda's range, the modes known, one architecture.
fn check(args: &MeasureArgs, pricer: &crate::cost::Pricer<'_>) -> Result<()> {
    let memory = pricer.memory_range();
    for &mb in &args.memory_mb {
        if mb < memory.min || mb > memory.max {
            bail!(
                "--memory-mb: {mb} is outside {}..={} MB, Lambda's memory range",
                memory.min,
                memory.max
            );
        }
    }
    crate::assemble::check_modes(&args.mode, &crate::modes::ModeBook::embedded()?)?;
    if args.price.arch.len() > 1 {
        bail!("--arch: measure prices its runs on one architecture; give one");
    }
    Ok(())
}

/// What the run was, in the title.
fn title(args: &MeasureArgs, function: &Function, pooled: Option<&Pooled>) -> String {
    let several = args.memory_mb.len() > 1;
    match pooled {
        Some(p) => format!(
            "lambcost measure: {} ({} arrivals from {}, up to {} environments)",
            function.name,
            crate::format::grouped(Decimal::from(p.arrivals.offsets_ms.len()), 0),
            p.arrivals.trace.name,
            args.concurrency
        ),
        None => format!(
            "lambcost measure: {} ({} environments x {} invocations{})",
            function.name,
            args.cold,
            1 + args.warm,
            if several {
                format!(", {} memory sizes", args.memory_mb.len())
            } else {
                String::new()
            }
        ),
    }
}

/// Where the figures come from: the function, run here, under which limits, at which arrivals.
fn data_line(function: &Function, no_limits: &Option<String>, pooled: Option<&Pooled>) -> String {
    format!(
        "{}, run here {}{}",
        function.name,
        limits_phrase(no_limits),
        pooled.map_or_else(String::new, |p| format!(
            "; {} arrivals from {}: {} environments started, at most {} busy, {} throttled",
            crate::format::grouped(Decimal::from(p.arrivals.offsets_ms.len()), 0),
            p.arrivals.trace.name,
            p.environments,
            p.peak,
            p.throttles
        ))
    )
}

/// What measure adds to the comparison's JSON: whether limits held, and the burst.
fn extra_json(
    args: &MeasureArgs,
    no_limits_reason: &Option<String>,
    pooled: Option<&Pooled>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut extra = serde_json::Map::new();
    extra.insert(
        "limits_enforced".into(),
        serde_json::Value::Bool(no_limits_reason.is_none()),
    );
    if let Some(p) = pooled {
        extra.insert(
            "arrivals".into(),
            serde_json::json!({
                "trace": p.arrivals.trace.name,
                "count": p.arrivals.offsets_ms.len(),
                "served": p.arrived.len(),
                "throttles": p.throttles,
                "environments": p.environments,
                "peak_concurrency": p.peak,
                "concurrency_limit": args.concurrency,
            }),
        );
    }
    extra
}

/// The program to run, what it is called, and the event to send it.
fn function(args: &MeasureArgs) -> Result<Function> {
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
fn measure(
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
        region: args.price.region.clone(),
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
fn arrivals(
    args: &MeasureArgs,
    source: &crate::units::ArrivalSource,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Arrivals> {
    if args.memory_mb.len() > 1 {
        bail!("--memory-mb: --arrivals runs one memory setting; give one");
    }
    let for_ms = crate::setup::trace::check_for(source, args.for_ms, MAX_ARRIVALS as f64)?;
    let settings = crate::setup::trace::Settings {
        source,
        for_ms,
        rules: crate::replay::Rules::new(args.share.idle_reclaim, args.share.env_lifetime, None),
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
            crate::format::grouped(Decimal::from(times.len()), 0),
            crate::format::grouped(Decimal::from(MAX_ARRIVALS), 0)
        );
    }
    // Poisson arrivals start at 0; a trace's run starts with its first arrival.
    let first = match source {
        crate::units::ArrivalSource::Poisson(_) => 0.0,
        crate::units::ArrivalSource::Trace(_) => times.first().copied().unwrap_or(0.0),
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
    let rules = crate::replay::Rules::new(
        args.share.idle_reclaim,
        args.share.env_lifetime,
        Some(args.concurrency),
    );
    bar.set_length(arrivals.offsets_ms.len() as u64);
    // The run takes the trace's own time: an estimate from invocations served would mislead.
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{wide_bar}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("{memory_mb} MB, 0 environments"));
    let streams = |_id: u32| sink.map(|s| stream(Arc::clone(s)));
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

/// A log stream of its own for one environment, as `aws logs tail` prints it: each line
/// after the time it was written and the stream's name (`2024/05/01/[$LATEST]` and 32 hex
/// digits), so that the log is itself an arrivals trace.
fn stream(log: LogSink) -> LogSink {
    let name = format!(
        "{}/[$LATEST]{}",
        jiff::Timestamp::now().strftime("%Y/%m/%d"),
        crate::runtime::lambda::IdSource::new().hex(32)
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

/// One profile per memory setting, and the failures worth telling, each once with its count.
fn profiles(
    runs: &[(u32, Outcome)],
    variant_name: &dyn Fn(u32) -> String,
    mode: &str,
    arch: Arch,
    pricer: &crate::cost::Pricer<'_>,
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
            measured.add(&invocation(r));
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
                "{}: the bundled handler is not built; run `cargo build --release` (it builds lambcost-handler beside lambcost), or give a bootstrap after --",
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

/// A measured invocation as the readers would have read it back.
fn invocation(r: &Record) -> Invocation {
    Invocation {
        phase: r.phase,
        duration_ms: r.duration_ms,
        init_ms: r.init_ms,
        restore: false,
        billed_ms: Some(r.billed_ms),
        billed_restore_ms: None,
        memory_size_mb: Some(r.memory_size_mb),
        max_memory_used_mb: Some(r.max_memory_used_mb),
        status: r.status,
    }
}

/// The samples CSV of every run; a run at arrival times (`arrived`, in its records' order)
/// gains when each invocation arrived and which environment served it, and is written in
/// the order they arrived.
fn samples(
    runs: &[(u32, Outcome)],
    arrived: Option<&[crate::measurement::Arrived]>,
    name: &dyn Fn(u32) -> String,
    mode: &str,
    arch: Arch,
) -> String {
    let mut writer = samples_csv::Writer::new(arrived.is_some());
    for (memory_mb, outcome) in runs {
        let mut rows: Vec<(&Record, Option<crate::measurement::Arrived>)> = outcome
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
                &invocation(r),
                outcome.limits.enforced(),
                at,
            );
        }
    }
    writer.finish()
}

/// What the pool did, in one line.
fn pool_note(p: &Pooled, args: &MeasureArgs) -> String {
    let count = |n: u64| crate::format::grouped(Decimal::from(n), 0);
    format!(
        "Arrivals: {} from {} in real time; {} environments started, at most {} busy at once, {} throttled (--concurrency {}); idle environments reclaimed after {}, retired after {}.",
        count(p.arrivals.offsets_ms.len() as u64),
        p.arrivals.trace.name,
        count(u64::from(p.environments)),
        p.peak,
        count(p.throttles),
        args.concurrency,
        crate::format::human_duration(args.share.idle_reclaim),
        crate::format::human_duration(args.share.env_lifetime),
    )
}

fn limits_reason(args: &MeasureArgs, runs: &[(u32, Outcome)]) -> Option<String> {
    if args.no_limits {
        return Some("--no-limits".to_string());
    }
    if cgroup::detect().is_none() {
        return Some("no control-group hierarchy under /sys/fs/cgroup".to_string());
    }
    runs.iter().find_map(|(_, o)| match &o.limits {
        Limits::Unavailable(reason) => Some(reason.clone()),
        _ => None,
    })
}

/// Under which limits the runs were made, in a few words for the data line.
fn limits_phrase(reason: &Option<String>) -> String {
    match reason {
        None => "under Lambda's memory limit and CPU share".to_string(),
        Some(_) => {
            "WITHOUT Lambda's limits (durations may be shorter than on Lambda; --explain says why)"
                .to_string()
        }
    }
}

fn limits_note(runs: &[(u32, Outcome)], reason: &Option<String>) -> String {
    let environments: u32 = runs.iter().map(|(_, o)| o.environments).sum();
    match reason {
        None => format!(
            "Limits: enforced with cgroup {} in {environments} environments: memory limit = memory setting, CPU quota = memory/1769 of one CPU, peak memory of all the environment's processes, frozen between invocations.",
            match cgroup::detect() {
                Some(cgroup::Version::V2) => "v2",
                _ => "v1",
            }
        ),
        Some(why) => format!(
            "Limits: NOT enforced ({why}) in {environments} environments: no memory limit, the whole machine's CPU, peak memory from the processes' own high-water marks. Durations may be shorter and memory higher than on Lambda."
        ),
    }
}

/// Costs at the first level, mean warm durations, and the cheapest, fastest and balanced
/// settings (indices into `profiles`).
struct Tuning {
    costs: Vec<Decimal>,
    warm: Vec<f64>,
    cheapest: Option<usize>,
    fastest: Option<usize>,
    balanced: Option<usize>,
    first: u64,
}

fn tuning(
    profiles: &[Profile],
    settings: &crate::present::comparison::Settings<'_>,
) -> Result<Tuning, crate::cost::OutOfRange> {
    let pricer = settings.pricer;
    let model = crate::setup::context::traffic_model(settings.cold, pricer.month_hours());
    let first = settings.requests.first().copied().unwrap_or(1_000_000);
    let costs: Vec<Decimal> = profiles
        .iter()
        .map(|p| {
            let choice = settings.cold.choice();
            Ok(
                crate::scenario::on_demand(p, first, choice, &model, pricer)?
                    .cost
                    .total_usd(),
            )
        })
        .collect::<Result<_, crate::cost::OutOfRange>>()?;
    let warm: Vec<f64> = profiles
        .iter()
        .map(|p| {
            p.warm
                .as_ref()
                .or(p.cold_start.as_ref())
                .map_or(f64::INFINITY, |w| w.mean_ms)
        })
        .collect();
    let compare::Choices {
        cheapest,
        fastest,
        balanced,
    } = compare::power_tuning(&costs, &warm);
    Ok(Tuning {
        costs,
        warm,
        cheapest,
        fastest,
        balanced,
        first,
    })
}

/// Duration and cost per invocation against memory, the choices marked.
fn power_tuning_chart(name: &str, profiles: &[Profile], t: &Tuning) -> crate::report::svg::Chart {
    use crate::report::svg::{Chart, Mark, Series};
    // Dollars per million invocations: a figure people price with, not 5.2e-7 per one.
    let per_million = |i: usize| {
        (t.costs[i] * Decimal::from(1_000_000) / Decimal::from(t.first.max(1)))
            .to_f64()
            .unwrap_or(0.0)
    };
    let memory = |i: usize| f64::from(profiles[i].memory_mb);
    let mut choices: Vec<Mark> = Vec::new();
    if let Some(i) = t.cheapest {
        choices.push(Mark {
            x: memory(i),
            y: per_million(i),
            label: "cheapest".to_string(),
            series: Some(1),
        });
    }
    for (label, index) in [("fastest", t.fastest), ("balanced", t.balanced)] {
        if let Some(i) = index {
            let on_duration = choices
                .iter_mut()
                .find(|m: &&mut Mark| m.x == memory(i) && m.series.is_none());
            match on_duration {
                Some(m) => m.label.push_str(&format!(", {label}")),
                None => choices.push(Mark {
                    x: memory(i),
                    y: t.warm[i],
                    label: label.to_string(),
                    series: None,
                }),
            }
        }
    }
    Chart::PowerTuning {
        title: format!("{name}: duration and cost against memory"),
        duration: Series {
            name: "mean warm duration (ms)".into(),
            points: (0..profiles.len())
                .map(|i| (memory(i), t.warm[i]))
                .collect(),
        },
        cost: Series {
            name: format!(
                "$ per 1M invocations at {} a month",
                crate::format::short_count(t.first)
            ),
            points: (0..profiles.len())
                .map(|i| (memory(i), per_million(i)))
                .collect(),
        },
        choices,
    }
}

/// The power-tuning view: one row per memory size, the best choices marked.
fn power_tuning(profiles: &[Profile], t: &Tuning) -> View {
    let Tuning {
        costs,
        cheapest,
        fastest,
        balanced,
        first,
        ..
    } = t;
    let (cheapest, fastest, balanced, first) = (*cheapest, *fastest, *balanced, *first);
    let level = crate::format::short_count(first);
    let columns = vec![
        Column::shown("memory_mb", "Memory MB").abbreviated("MB"),
        Column::shown("cold_start_ms", "Cold start ms").abbreviated("Cold ms"),
        Column::shown("warm_ms", "Warm ms"),
        Column::shown("warm_p99_ms", "Warm p99 ms")
            .abbreviated("p99 ms")
            .optional(2),
        Column::shown("max_memory_used_mb", "Peak MB").optional(3),
        Column::titled("usd_per_million", format!("$ per 1M @{level}"))
            .abbreviated("$/1M")
            .redundant_if(first == 1_000_000),
        Column::titled("total_usd", format!("$ @{level}")),
        Column::shown("choice", "Choice"),
    ];
    let rows = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut choice = Vec::new();
            if cheapest == Some(i) {
                choice.push("cheapest");
            }
            if fastest == Some(i) {
                choice.push("fastest");
            }
            if balanced == Some(i) {
                choice.push("balanced");
            }
            let fmt = |v: Option<f64>| match v.and_then(Decimal::from_f64) {
                Some(d) => Cell::Number(d, 2),
                None => Cell::Empty,
            };
            vec![
                Cell::Count(u64::from(p.memory_mb)),
                fmt(p.cold_start.as_ref().map(|f| f.mean_ms)),
                fmt(p.warm.as_ref().map(|f| f.mean_ms)),
                fmt(p.warm.as_ref().and_then(|f| f.p99_ms)),
                p.peak_memory_mb()
                    .map_or(Cell::Empty, |m| Cell::Count(u64::from(m))),
                Cell::Usd(costs[i] * Decimal::from(1_000_000) / Decimal::from(first)),
                Cell::Usd(costs[i]),
                Cell::Text(choice.join(", ")),
            ]
        })
        .collect();
    View { columns, rows }
}

/// The log, written as the run goes into a file that appears only when the run completes;
/// an interrupted run leaves nothing behind.
struct TempOutput {
    file: Arc<Mutex<Option<std::io::BufWriter<AtomicFile>>>>,
    path: PathBuf,
}

impl TempOutput {
    fn create(path: &Path) -> Result<TempOutput> {
        Ok(TempOutput {
            file: Arc::new(Mutex::new(Some(std::io::BufWriter::new(
                AtomicFile::create(path)?,
            )))),
            path: path.to_path_buf(),
        })
    }

    fn sink(&self) -> LogSink {
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
    fn discard(&self) {
        if let Ok(mut guard) = self.file.lock() {
            guard.take();
        }
    }

    fn persist(self) -> Result<()> {
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
