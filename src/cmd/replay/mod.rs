//! `lambcost replay`: a team's own arrivals through Lambda's environment pool, under each
//! variant's measured figures. One pass over the trace feeds every variant's pool
//! ([`lambcost_core::replay`]); the answer is each variant's cold starts, busy environments,
//! throttles, latency as the caller sees it, and the month's cost at the share of cold
//! starts the replay found. `--cold-start-rate replay:FILE` in `estimate` and `compare`
//! takes its share from here.

mod columns;
mod document;

use crate::cli::ReplayArgs;
use crate::report::{Cell, Detail, Report};
use crate::setup::trace::{
    MAX_POISSON_ARRIVALS, Settings, Trace, check_for, holds_invocations, replay,
};
use anyhow::{Result, bail};
use columns::{Row, fields};
use document::document;
use lambcost_core::cost::Pricer;
use lambcost_core::format::{grouped, human_duration, short_count};
use lambcost_core::profile::Profile;
use lambcost_core::replay::{Behaviour, Replayed, Rules};
use lambcost_core::units::ArrivalSource;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// Runs `lambcost replay`.
pub fn run(args: &ReplayArgs) -> Result<Report> {
    // A function of the account (`aws:orders`) is read into a file of its events first: its
    // REPORT lines' times are the arrivals, and the function the variant.
    if let lambcost_core::units::ArrivalSource::Trace(path) = &args.arrivals
        && crate::setup::aws::is_aws(path)
    {
        let book = crate::setup::context::price_book(None, Some(&args.price.region))?;
        let pricer = crate::setup::context::pricer(&args.price, &book)?;
        let resolved =
            crate::setup::aws::resolve(std::slice::from_ref(path), pricer.region_name())?;
        let mut local = args.clone();
        let Some(file) = resolved.files.first() else {
            return replay_args(args);
        };
        local.arrivals = lambcost_core::units::ArrivalSource::Trace(file.clone());
        local.data = local
            .data
            .iter()
            .map(|d| if d == path { file.clone() } else { d.clone() })
            .collect();
        let mut report = replay_args(&local)
            .map_err(|e| anyhow::anyhow!(resolved.shown(&crate::app::one_line(&e))))?;
        // The report names the function as given, with where its facts came from.
        let described = resolved
            .facts
            .first()
            .and_then(|f| f.as_ref())
            .map_or_else(|| path.display().to_string(), |f| f.describe());
        report.data = report.data.replace(&*file.to_string_lossy(), &described);
        for w in &mut report.warnings {
            *w = resolved.shown(w);
        }
        if let Some(doc) = &report.json
            && let Ok(text) = serde_json::to_string(doc)
            && let Ok(shown) = serde_json::from_str(&resolved.shown(&text))
        {
            report.json = Some(shown);
        }
        return Ok(report);
    }
    replay_args(args)
}

/// Runs `lambcost replay` on arguments whose inputs are files.
fn replay_args(args: &ReplayArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let for_ms = check_for(&args.arrivals, args.for_ms, MAX_POISSON_ARRIVALS)?;
    let (profiles, own, mut warnings) = variants(args, &pricer)?;
    let behaviours: Vec<Behaviour> = profiles.iter().map(Behaviour::of).collect();
    let settings = Settings {
        source: &args.arrivals,
        for_ms,
        rules: Rules::new(
            args.idle_reclaim,
            args.env_lifetime,
            Some(args.concurrency_limit),
        ),
        seed: args.seed,
        reorder_window: args.reorder_window as usize,
        window_option: true,
    };
    let (replayed, trace) = replay(&settings, &behaviours, &pricer)?;
    warnings.extend(trace.warnings(own.iter().any(|o| *o)));
    if replayed.span_ms <= 0.0 && args.requests.is_none() {
        bail!(
            "{}: every arrival is at the same instant, so the trace has no rate to scale to a month; give --requests",
            trace.name
        );
    }
    for p in profiles.iter().filter(|p| {
        p.measurements
            .as_ref()
            .is_some_and(|m| m.cold.count == 0 || m.warm.count == 0)
    }) {
        warnings.push(format!(
            "{}: measured without a {} invocation; its {} are drawn from its {} figure",
            p.name,
            if p.cold_start.is_none() {
                "cold"
            } else {
                "warm"
            },
            if p.cold_start.is_none() {
                "cold starts (warm duration plus init)"
            } else {
                "warm invocations"
            },
            if p.cold_start.is_none() {
                "warm"
            } else {
                "cold"
            }
        ));
    }
    let rows = priced(args, &profiles, &replayed, &own, &pricer)?;
    let fields = fields(levels(&args.requests));
    let mut report = Report {
        title: format!(
            "lambcost replay: {} arrivals over {} from {}",
            grouped(Decimal::from(replayed.arrivals), 0),
            span_words(replayed.span_ms),
            trace.name
        ),
        columns: crate::report::columns(&fields),
        rows: rows
            .iter()
            .map(|r| crate::report::row(&fields, r))
            .collect(),
        data: format!(
            "arrivals {}; variants: {}",
            trace.name,
            variants_origin(args, own.iter().any(|o| *o))
        ),
        warnings,
        ..Report::default()
    };
    report.set_shown("observed_cold_starts", own.iter().any(|o| *o));
    let none = |c: &Cell| matches!(c, Cell::Count(0));
    let no_throttles = report.rows_all("throttles", none);
    report.set_redundant("throttles", no_throttles);
    report.notes = notes(args, &replayed, &trace, &rows, &pricer);
    report.details = details(args, &trace, &args.arrivals);
    report.assumptions = vec![
        ("idle_reclaim_ms", Cell::Number(args.idle_reclaim, 0)),
        ("env_lifetime_ms", Cell::Number(args.env_lifetime, 0)),
        (
            "concurrency_limit",
            Cell::Count(u64::from(args.concurrency_limit)),
        ),
        ("seed", Cell::Count(args.seed)),
        ("region", Cell::Text(args.price.region.clone())),
    ];
    if super::wants_chart(&args.output, &args.plot) {
        report.charts.push(chart(&profiles, &replayed, &trace));
    }
    report.json = Some(document(&report, &rows, &replayed, &trace));
    Ok(report)
}

/// Each variant's replay priced, with what the trace's own log recorded of its variant.
fn priced<'a>(
    args: &ReplayArgs,
    profiles: &'a [Profile],
    replayed: &'a Replayed,
    own: &[bool],
    pricer: &Pricer<'_>,
) -> Result<Vec<Row<'a>>, lambcost_core::cost::BillError> {
    let endpoints = !matches!(args.arrivals, ArrivalSource::Poisson(_));
    let priced = lambcost_core::replay::priced(
        profiles,
        replayed,
        levels(&args.requests),
        endpoints,
        pricer,
    )?;
    Ok(profiles
        .iter()
        .zip(&replayed.outcomes)
        .zip(priced)
        .enumerate()
        .map(|(i, ((p, o), priced))| Row {
            profile: p,
            outcome: o,
            observed: own[i].then(|| p.observed_cold.map(|s| s.cold)).flatten(),
            share: priced.share,
            costs: priced.costs,
        })
        .collect())
}

/// The variants to replay, whether each is the ARRIVALS log's own, and what to know about
/// the data: the ARRIVALS log's own variant (when it is a log with no `--data`, or when
/// `--data` names it) and the data's.
fn variants(
    args: &ReplayArgs,
    pricer: &Pricer<'_>,
) -> Result<(Vec<Profile>, Vec<bool>, Vec<String>)> {
    // Architectures are applied once, below, to every variant read.
    let naming = crate::setup::inputs::LogNaming::plain(lambcost_core::grouping::GroupBy::Input, 0);
    let trace = match &args.arrivals {
        ArrivalSource::Trace(path) => Some(path),
        ArrivalSource::Poisson(_) => None,
    };
    let same = same_file;
    let named_in_data = trace.is_some_and(|t| args.data.iter().any(|d| same(d, t)));
    let own_wanted = match trace {
        Some(t) if args.data.is_empty() => t.as_os_str() != "-" && holds_invocations(t)?,
        Some(_) => named_in_data,
        None => false,
    };
    let mut profiles = Vec::new();
    let mut warnings = Vec::new();
    if let (true, Some(t)) = (own_wanted, trace) {
        let own = crate::setup::inputs::load_profiles(std::slice::from_ref(t), &naming, pricer)?;
        profiles.extend(own.profiles);
        warnings.extend(own.warnings);
    }
    let owns = profiles.len();
    let data: Vec<PathBuf> = args
        .data
        .iter()
        .filter(|d| !trace.is_some_and(|t| same(d, t)))
        .cloned()
        .collect();
    if !(data.is_empty() && named_in_data) {
        let rest = crate::setup::inputs::select_profiles(&data, &naming, pricer)?;
        profiles.extend(rest.profiles);
        warnings.extend(rest.warnings);
    }
    let mut own: Vec<bool> = (0..profiles.len()).map(|i| i < owns).collect();
    if !args.variant.is_empty() {
        let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
        lambcost_core::assemble::keep_named(&mut profiles, &args.variant)?;
        own = names
            .iter()
            .zip(own)
            .filter(|(n, _)| args.variant.contains(n))
            .map(|(_, o)| o)
            .collect();
    }
    // --arch prices each variant on each architecture: the pool is the same.
    let archs = args.price.arch.len().max(1);
    let profiles = lambcost_core::assemble::on_archs(profiles, &args.price.arch);
    let own = if archs > 1 && profiles.len() == own.len() * archs {
        own.iter()
            .flat_map(|o| std::iter::repeat_n(*o, archs))
            .collect()
    } else {
        own
    };
    Ok((profiles, own, warnings))
}

/// The span of a trace in words: `42 s`, `12.5 min`, `3.2 h`, `30 d`.
fn span_words(ms: f64) -> String {
    let s = ms / 1000.0;
    if s < 120.0 {
        format!(
            "{} s",
            lambcost_core::format::trim3((s * 10.0).round() / 10.0)
        )
    } else if s < 3_600.0 {
        format!(
            "{} min",
            lambcost_core::format::trim3((s / 6.0).round() / 10.0)
        )
    } else if s < 172_800.0 {
        format!(
            "{} h",
            lambcost_core::format::trim3((s / 360.0).round() / 10.0)
        )
    } else {
        format!(
            "{} d",
            lambcost_core::format::trim3((s / 8_640.0).round() / 10.0)
        )
    }
}

/// Where the variants come from, for the data line: the trace's own variant when it made
/// one, then the data's.
/// Whether two paths name one file (`./a.log` and `a.log`).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

fn variants_origin(args: &ReplayArgs, own: bool) -> String {
    let trace = match &args.arrivals {
        ArrivalSource::Trace(p) => Some(p),
        ArrivalSource::Poisson(_) => None,
    };
    let data: Vec<PathBuf> = args
        .data
        .iter()
        .filter(|d| !trace.is_some_and(|t| same_file(d, t)))
        .cloned()
        .collect();
    match trace {
        Some(t) if own && data.is_empty() && !args.data.is_empty() => {
            format!("{} (its own)", t.display())
        }
        Some(t) if own => format!(
            "{} (its own), {}",
            t.display(),
            crate::setup::inputs::describe(&data)
        ),
        _ => crate::setup::inputs::describe(&data),
    }
}

/// What the answer rests on: the pool's rules, the arrivals and the draws, the price.
fn notes(
    args: &ReplayArgs,
    replayed: &Replayed,
    trace: &Trace,
    rows: &[Row<'_>],
    pricer: &Pricer<'_>,
) -> Vec<String> {
    let pool = format!(
        "Pool: idle {} reclaims, {} retires; {} busy at most; seed {}.",
        human_duration(args.idle_reclaim),
        human_duration(args.env_lifetime),
        grouped(Decimal::from(args.concurrency_limit), 0),
        args.seed,
    );
    let arrivals = format!(
        "Arrivals: {} over {}, {}.",
        grouped(Decimal::from(replayed.arrivals), 0),
        span_words(replayed.span_ms),
        trace.shape,
    );
    let cost = if args.requests.is_none() {
        let month = rows
            .first()
            .map(|r| format!(" ({})", short_count(r.costs[0].0)))
            .unwrap_or_default();
        format!(
            "Cost: the window's rate over a {} h month{month}, at each replayed share.",
            pricer.month_hours().normalize()
        )
    } else {
        "Cost: at each level asked, each variant at its replayed cold-start share.".to_string()
    };
    let mut notes = vec![pool, arrivals, cost];
    notes.extend(crate::present::sentences::savings_plan_note(&args.price));
    notes
}

fn details(args: &ReplayArgs, trace: &Trace, source: &ArrivalSource) -> Vec<Detail> {
    let arrived = match source {
        ArrivalSource::Poisson(_) => "drawn from a Poisson process",
        ArrivalSource::Trace(_) if trace.shape == "a log" => {
            "each invocation at its REPORT's time less its duration and init"
        }
        ArrivalSource::Trace(_) => "as the trace gives them",
    };
    vec![
        Detail::general(format!(
            "Pool: an arrival takes the idle environment that fell idle last, else starts one (a cold start: busy for its init and invoke); an environment idle {} is reclaimed, one older than {} retired when it falls idle; beyond {} busy at once, arrivals are throttled and counted.",
            human_duration(args.idle_reclaim),
            human_duration(args.env_lifetime),
            grouped(Decimal::from(args.concurrency_limit), 0),
        )),
        Detail::general(format!(
            "Arrivals: {arrived}. Each variant's cold starts (init included) and warm invocations are drawn from its own measured distribution, a summary row's from its figures, with seed {}: the same arrivals and seed give the same answer, and every variant sees the same draws.",
            args.seed
        )),
        Detail::general(format!(
            "Cost: prices in {}; each variant billed at its replayed cold-start share.",
            args.price.region
        )),
        Detail::about(
            "peak_concurrency",
            "Peak envs: the most environments busy at once, initialising ones included; Mean busy: environments busy on average from the first arrival to the last invocation's end.",
        ),
        Detail::about(
            "latency_p99_ms",
            "Latency: as the caller waits, a cold start's init included; throttled arrivals are not in it.",
        ),
        Detail::about(
            "observed_cold_starts",
            "Observed cold: the cold starts the ARRIVALS log itself recorded, beside those the replay predicts from the same arrivals.",
        ),
        Detail::general(format!(
            "Order: a log records an invocation when it ends; its arrivals are put back in order within {} arrivals (--reorder-window).",
            grouped(Decimal::from(args.reorder_window), 0)
        )),
    ]
}

/// Busy environments over time, one line per variant.
fn chart(profiles: &[Profile], replayed: &Replayed, trace: &Trace) -> crate::report::svg::Chart {
    use crate::report::svg::{Chart, Series};
    let span = replayed
        .outcomes
        .iter()
        .map(|o| o.window_ms)
        .fold(replayed.span_ms, f64::max);
    let (unit, per) = if span < 120_000.0 {
        ("s", 1_000.0)
    } else if span < 7_200_000.0 {
        ("min", 60_000.0)
    } else {
        ("h", 3_600_000.0)
    };
    let series = profiles
        .iter()
        .zip(&replayed.outcomes)
        .map(|(p, o)| Series {
            name: p.label(),
            points: o
                .timeline
                .peaks
                .iter()
                .enumerate()
                .map(|(i, &busy)| (i as f64 * o.timeline.bucket_ms / per, f64::from(busy)))
                .collect(),
        })
        .collect();
    Chart::Concurrency {
        title: format!("Environments busy over time, {}", trace.name),
        series,
        unit,
    }
}

/// The levels `--requests` names; none for the trace's own rate.
fn levels(requests: &Option<crate::cli::Levels>) -> &[u64] {
    requests.as_deref().map_or(&[], Vec::as_slice)
}
