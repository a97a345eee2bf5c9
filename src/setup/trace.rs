//! A trace of arrivals fed to the core's environment pool: a log, a CSV or a directory of them
//! read in order (a bounded window puts a log's times in order as it is read; a directory's
//! files are gathered and sorted), or Poisson arrivals drawn as they are handed over. Used by
//! `replay`, by `measure --arrivals`, and by `--cold-start-rate replay:FILE` wherever a
//! command prices cold starts.

use anyhow::{Result, bail};
use lambcost_core::cost::Pricer;
use lambcost_core::format::{grouped, human_duration};
use lambcost_core::profile::Profile;
use lambcost_core::replay::{Behaviour, Replay, Replayed, Rules, Sorter};
use lambcost_core::units::ArrivalSource;
use lambcost_readers::samples::InputError;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use std::path::Path;

/// How a replay runs, whatever asks for it.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// Where the arrivals come from.
    pub source: &'a ArrivalSource,
    /// How long `poisson:` arrives, ms.
    pub for_ms: Option<f64>,
    /// The pool's rules.
    pub rules: Rules,
    /// Seed of the draws.
    pub seed: u64,
    /// Arrivals held to put a log's times in order.
    pub reorder_window: usize,
    /// Whether the command takes `--reorder-window` (so an error may suggest raising it).
    pub window_option: bool,
}

/// What the trace was, for the report.
#[derive(Clone, Debug)]
pub struct Trace {
    /// How the report names it (`prod.log`, `poisson:20 for 1 h`).
    pub name: String,
    /// What it was, in a few words (`a log`, `a CSV of arrivals`).
    pub shape: &'static str,
    /// Invocations without a time, left out.
    pub unstamped: u64,
    /// Lines or events that could not be read, skipped.
    pub malformed: u64,
    /// Files of a directory that hold no log, skipped.
    pub skipped: u64,
    /// What the readers said of the trace (a cut-off compressed file).
    pub notes: Vec<String>,
}

impl Trace {
    /// What to know about the trace: invocations without a time, and unreadable lines
    /// (unless the trace was also read as a variant, whose reading said so).
    pub fn warnings(&self, read_as_variant: bool) -> Vec<String> {
        let mut out = Vec::new();
        if self.unstamped > 0 {
            out.push(format!(
                "{}: {} invocation(s) without a time left out of the replay",
                self.name,
                grouped(Decimal::from(self.unstamped), 0)
            ));
        }
        if self.skipped > 0 {
            out.push(format!(
                "{}: {} file(s) that hold no log skipped",
                self.name,
                grouped(Decimal::from(self.skipped), 0)
            ));
        }
        if !read_as_variant {
            out.extend(self.notes.iter().cloned());
        }
        if self.malformed > 0 && !read_as_variant {
            out.push(format!(
                "{}: {} unreadable line(s) skipped",
                self.name,
                grouped(Decimal::from(self.malformed), 0)
            ));
        }
        out
    }
}

/// Sets each variant's replayed share of cold starts when `--cold-start-rate replay:FILE`
/// asks for one: FILE's arrivals through each variant's environments, under the traffic
/// model's reclaim and lifetime, with no concurrency limit. What to know about the trace is
/// returned as warnings.
pub fn attach(
    profiles: &mut [Profile],
    cold: &crate::cli::ColdStartArgs,
    pricer: &Pricer<'_>,
) -> Result<Vec<String>> {
    let Some(path) = cold.cold_start_rate.as_ref().and_then(|c| c.replay.clone()) else {
        return Ok(Vec::new());
    };
    let source = ArrivalSource::Trace(path);
    let settings = Settings {
        source: &source,
        for_ms: None,
        rules: Rules::new(cold.idle_reclaim, cold.env_lifetime, None),
        seed: 1,
        reorder_window: REORDER_WINDOW,
        window_option: false,
    };
    let behaviours: Vec<Behaviour> = profiles.iter().map(Behaviour::of).collect();
    let (replayed, trace) = replay(&settings, &behaviours, pricer)
        .map_err(|e| anyhow::anyhow!("--cold-start-rate replay: {e}"))?;
    for (p, o) in profiles.iter_mut().zip(&replayed.outcomes) {
        p.replayed_cold = Some(o.cold_share_exact());
    }
    Ok(trace.warnings(false))
}

/// Arrivals held to put a trace's times in order where no `--reorder-window` says (replay's
/// own default, which clap writes as text).
pub const REORDER_WINDOW: usize = 1_000_000;

/// Most `poisson:` arrivals `replay` draws: ten billion, some minutes of simulation.
pub const MAX_POISSON_ARRIVALS: f64 = 1e10;

/// The `--for` of `poisson:`, in ms; refused where it means nothing, or where the arrivals
/// expected (rate times time) exceed `most`.
pub fn check_for(
    source: &ArrivalSource,
    for_ms: Option<Decimal>,
    most: f64,
) -> Result<Option<f64>> {
    let for_ms = for_ms.and_then(|d| d.to_f64());
    if let (ArrivalSource::Poisson(rate), Some(ms)) = (source, for_ms) {
        let expected = rate * ms / 1_000.0;
        if expected > most {
            bail!(
                "poisson:{rate} for {}: about {} arrivals; at most {} are drawn (a lower rate or a shorter --for)",
                human_duration(Decimal::from_f64(ms).unwrap_or_default().round()),
                grouped(Decimal::from_f64(expected.round()).unwrap_or_default(), 0),
                grouped(Decimal::from_f64(most).unwrap_or_default(), 0)
            );
        }
    }
    match (source, for_ms) {
        (ArrivalSource::Poisson(_), None) => {
            bail!("poisson: arrivals need --for, how long they arrive (10m, 1h, 30d)")
        }
        (ArrivalSource::Poisson(_), Some(ms)) if ms <= 0.0 => {
            bail!("--for: must be longer than 0")
        }
        (ArrivalSource::Trace(path), Some(_)) => bail!(
            "--for: only poisson: arrivals are drawn for a time; {} has its own",
            path.display()
        ),
        _ => Ok(for_ms),
    }
}

/// Whether a trace (its first file, for a directory) is a log or samples, whose own
/// invocations make a variant: not a CSV of arrival times alone.
pub fn holds_invocations(path: &Path) -> Result<bool> {
    let sources = lambcost_readers::sources::expand(std::slice::from_ref(&path.to_path_buf()))?;
    let Some(first) = sources.first() else {
        return Ok(false);
    };
    let input = lambcost_readers::sources::open(first)?;
    Ok(lambcost_readers::samples::arrivals::holds_invocations(
        input,
        &first.origin,
    )?)
}

/// Replays the arrivals `settings` names through a pool per behaviour.
pub fn replay(
    settings: &Settings<'_>,
    behaviours: &[Behaviour],
    pricer: &Pricer<'_>,
) -> Result<(Replayed, Trace)> {
    let mut replay = Replay::new(settings.rules, behaviours, settings.seed);
    let mut progress = Progress::new(settings);
    let fed = feed(settings, pricer, &mut |t| {
        replay.arrive(t);
        progress.tick(t);
    });
    progress.bar.finish_and_clear();
    let (trace, span_ms) = fed?;
    let mut replayed = replay.finish();
    if let Some(span_ms) = span_ms {
        // The process ran for the whole time asked, not from its first arrival to its last.
        replayed.span_ms = span_ms;
    }
    Ok((replayed, trace))
}

/// How far a replay has got, on a terminal, once it has run a second: a month of arrivals
/// takes seconds, and silence that long looks like a hang. Hidden until then, and always
/// when standard error is not a terminal.
struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    arrivals: u64,
    shown: bool,
    /// The time asked for, ms: `poisson:` arrivals advance a bar over it; a trace's count.
    for_ms: Option<f64>,
}

impl Progress {
    /// How often the bar is looked at, in arrivals: a month of them is millions.
    const EVERY: u64 = 1 << 12;

    fn new(settings: &Settings<'_>) -> Progress {
        let for_ms = match settings.source {
            ArrivalSource::Poisson(_) => settings.for_ms.filter(|ms| *ms > 0.0),
            ArrivalSource::Trace(_) => None,
        };
        let bar = indicatif::ProgressBar::hidden();
        if let Some(ms) = for_ms {
            bar.set_length(ms.round() as u64);
        }
        let template = match for_ms {
            Some(_) => "replaying [{wide_bar}] {percent}%, {eta} left",
            None => "replaying {spinner} {human_pos} arrivals",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            started: std::time::Instant::now(),
            arrivals: 0,
            shown: false,
            for_ms,
        }
    }

    /// One more arrival, at `t` ms.
    fn tick(&mut self, t: f64) {
        self.arrivals += 1;
        if !self.arrivals.is_multiple_of(Self::EVERY) {
            return;
        }
        if !self.shown && self.started.elapsed() >= std::time::Duration::from_secs(1) {
            use std::io::IsTerminal;
            self.shown = true;
            if std::io::stderr().is_terminal() {
                self.bar
                    .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
        match self.for_ms {
            Some(_) => self.bar.set_position(t.max(0.0) as u64),
            None => self.bar.set_position(self.arrivals),
        }
    }
}

/// Hands the arrivals `settings` names to `arrive`, in order (ms, on the trace's own clock),
/// and says what the trace was; for `poisson:`, also the time asked, ms.
pub fn feed(
    settings: &Settings<'_>,
    pricer: &Pricer<'_>,
    arrive: &mut dyn FnMut(f64),
) -> Result<(Trace, Option<f64>)> {
    let path = match settings.source {
        ArrivalSource::Poisson(rate) => return poisson(*rate, settings, arrive),
        ArrivalSource::Trace(path) => path,
    };
    let sources = lambcost_readers::sources::expand(std::slice::from_ref(path))?;
    let name = sources
        .first()
        .filter(|_| sources.len() == 1)
        .map_or_else(|| path.display().to_string(), |s| s.origin.clone());
    let options = lambcost_readers::samples::LogOptions {
        variant: lambcost_readers::sources::input_name(path),
        granularity_ms: pricer.granularity_ms(),
        ..lambcost_readers::samples::LogOptions::default()
    };
    let memory = pricer.memory_range();
    let mut trace = Trace {
        name,
        shape: "a log",
        unstamped: 0,
        malformed: 0,
        skipped: 0,
        notes: Vec::new(),
    };
    if let [source] = sources.as_slice() {
        one_stream(source, settings, &options, memory, arrive, &mut trace)?;
    } else {
        directory(path, &sources, &options, memory, arrive, &mut trace)?;
    }
    Ok((trace, None))
}

/// Poisson arrivals at `rate` a second for `--for`, drawn as they are handed over.
fn poisson(
    rate: f64,
    settings: &Settings<'_>,
    arrive: &mut dyn FnMut(f64),
) -> Result<(Trace, Option<f64>)> {
    let for_ms = settings.for_ms.unwrap_or(0.0);
    let mut count = 0u64;
    for t in lambcost_core::replay::poisson(rate, for_ms, settings.seed) {
        arrive(t);
        count += 1;
    }
    if count == 0 {
        bail!(
            "poisson:{rate} for {}: no arrival in so short a time; give a longer --for or a higher rate",
            human_duration(Decimal::from_f64(for_ms).unwrap_or_default().round())
        );
    }
    let trace = Trace {
        name: format!(
            "poisson:{rate} for {}",
            human_duration(Decimal::from_f64(for_ms).unwrap_or_default().round())
        ),
        shape: "Poisson arrivals",
        unstamped: 0,
        malformed: 0,
        skipped: 0,
        notes: Vec::new(),
    };
    Ok((trace, Some(for_ms)))
}

/// One stream: put in order within the window as it is read, never held whole.
fn one_stream(
    source: &lambcost_readers::sources::Source,
    settings: &Settings<'_>,
    options: &lambcost_readers::samples::LogOptions,
    memory: lambcost_core::pricing::MemoryRange,
    arrive: &mut dyn FnMut(f64),
    trace: &mut Trace,
) -> Result<()> {
    let mut sorter = Sorter::new(settings.reorder_window);
    let origin = source.origin.clone();
    let mut sink = |at: f64, line: u64| -> Result<(), InputError> {
        match sorter.push(at) {
            Ok(Some(t)) => arrive(t),
            Ok(None) => {}
            Err(d) => {
                // Epoch times as a log writes them; offsets as the CSV gave them.
                let when = if d.at_ms > 1e11 {
                    jiff::Timestamp::from_millisecond(d.at_ms as i64)
                        .map_or_else(|_| format!("{} ms", d.at_ms), |t| t.to_string())
                } else {
                    format!("{} ms", d.at_ms)
                };
                // The window itself is in the disorder's own words.
                let raise = if settings.window_option {
                    ", or raise --reorder-window"
                } else {
                    ""
                };
                return Err(InputError::at(
                    &origin,
                    line,
                    format!(
                        "out of order: the arrival at {when}: {d}; sort the input by time{raise}"
                    ),
                ));
            }
        }
        Ok(())
    };
    let input = lambcost_readers::sources::open(source)?;
    let found = lambcost_readers::samples::arrivals::read(
        input,
        &source.origin,
        options,
        memory,
        &mut sink,
    )?;
    while let Some(t) = sorter.pop() {
        arrive(t);
    }
    trace.shape = found.shape;
    trace.unstamped = found.unstamped;
    trace.malformed = found.malformed;
    trace.notes = found.notes;
    Ok(())
}

/// A directory's files (one per log stream, in an export) interleave in time: their arrivals
/// are gathered, 8 bytes each, and sorted.
fn directory(
    path: &Path,
    sources: &[lambcost_readers::sources::Source],
    options: &lambcost_readers::samples::LogOptions,
    memory: lambcost_core::pricing::MemoryRange,
    arrive: &mut dyn FnMut(f64),
    trace: &mut Trace,
) -> Result<()> {
    let mut all: Vec<f64> = Vec::new();
    for source in sources {
        let mut sink = |at: f64, _line: u64| -> Result<(), InputError> {
            all.push(at);
            Ok(())
        };
        let input = lambcost_readers::sources::open(source)?;
        match lambcost_readers::samples::arrivals::read(
            input,
            &source.origin,
            options,
            memory,
            &mut sink,
        ) {
            Ok(found) => {
                trace.shape = found.shape;
                trace.unstamped += found.unstamped;
                trace.malformed += found.malformed;
                trace.notes.extend(found.notes);
            }
            // A directory may hold files that are not logs (a manifest, an empty
            // stream): skipped, and counted. A log without times is refused.
            Err(e) if e.line.is_none() && !lambcost_readers::samples::arrivals::is_untimed(&e) => {
                trace.skipped += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    if all.is_empty() {
        bail!(
            "{}: no arrivals in the directory; replay reads {}",
            path.display(),
            lambcost_readers::samples::arrivals::SHAPES
        );
    }
    all.sort_by(f64::total_cmp);
    for t in all {
        arrive(t);
    }
    Ok(())
}
