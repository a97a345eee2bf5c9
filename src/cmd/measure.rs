//! `lambcost measure`: runs a function locally the way Lambda runs it (N fresh environments,
//! one cold invocation then M warm ones in each, Lambda's memory limit and CPU share), and
//! reports what Lambda would: init, duration, billed duration, peak memory and cost. With
//! several memory sizes it is a local power tuning: the cheapest, the fastest and a balanced
//! setting are named. With `--arrivals`, invocations come at a trace's times instead, to a
//! pool of environments that starts one whenever none is idle: a burst on this machine, whose
//! log `replay` reads back.

use crate::cli::MeasureArgs;
use crate::report::{Cell, Column, Detail, Report, View};
use crate::setup::measuring::{Function, Pooled, arrivals, function, measure, profiles, samples};
use anyhow::{Result, bail};
use lambcost_core::compare;
use lambcost_core::pricing::Arch;
use lambcost_core::profile::Profile;
use lambcost_runtime::cgroup;
use lambcost_runtime::plan::{Limits, Outcome};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// Runs `lambcost measure`.
pub fn run(args: &MeasureArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(
        args.cost.price.pricing.as_deref(),
        Some(&args.cost.price.region),
    )?;
    let pricer = crate::setup::context::pricer(&args.cost.price, &book)?;
    check(args, &pricer)?;
    let function = function(args)?;
    let arrivals = match &args.arrivals {
        Some(source) => Some(arrivals(args, source, &pricer)?),
        None => None,
    };
    let (runs, log, pooled) = measure(args, &function, arrivals)?;
    let arch = arch(args);
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
        &args.cost.cold,
        &pricer,
    )?);
    let no_limits_reason = limits_reason(args, &runs);
    if let Some(reason) = &no_limits_reason {
        warnings.push(format!("limits not enforced: {reason}"));
    }
    let settings = crate::present::comparison::Settings {
        requests: &args.requests,
        output: &args.cost.output,
        plot: &args.cost.plot,
        cold: &args.cost.cold,
        price: &args.cost.price,
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
        let model = crate::setup::context::traffic_model(&args.cost.cold, pricer.month_hours());
        let first = args.requests.first().copied().unwrap_or(1_000_000);
        let t = compare::tuning(&profiles, first, args.cost.cold.choice(), &model, &pricer)?;
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
        .all(|r| r.status != lambcost_core::measurement::Status::Success);
    Ok(report)
}

/// The architecture the runs are priced on: this machine's, unless `--arch` prices the
/// durations on another.
fn arch(args: &MeasureArgs) -> Arch {
    args.cost
        .price
        .arch
        .first()
        .copied()
        .unwrap_or(match std::env::consts::ARCH {
            "aarch64" => Arch::Arm64,
            _ => Arch::X86_64,
        })
}

/// The memory settings within Lambda's range, the modes known, one architecture.
fn check(args: &MeasureArgs, pricer: &lambcost_core::cost::Pricer<'_>) -> Result<()> {
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
    lambcost_core::assemble::check_modes(&args.mode, &lambcost_core::modes::ModeBook::embedded())?;
    if args.cost.price.arch.len() > 1 {
        bail!("--arch: measure prices its runs on one architecture; give one");
    }
    // This machine's architecture, when the region has no rates for it, is refused before
    // the function runs (`--arch` given is refused with the price book).
    let arch = arch(args);
    if let Err(e) = pricer.rates(arch) {
        bail!("this machine is {arch} and {e}; --arch prices the runs on another");
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
            lambcost_core::format::grouped(Decimal::from(p.arrivals.offsets_ms.len()), 0),
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
            lambcost_core::format::grouped(Decimal::from(p.arrivals.offsets_ms.len()), 0),
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

/// Duration and cost per invocation against memory, the choices marked.
fn power_tuning_chart(
    name: &str,
    profiles: &[Profile],
    t: &compare::Tuning,
) -> crate::report::svg::Chart {
    use crate::report::svg::{Chart, Mark, Series};
    // Dollars per million invocations: a figure people price with, not 5.2e-7 per one.
    let per_million = |i: usize| {
        (t.costs[i] * Decimal::from(1_000_000) / Decimal::from(t.requests.max(1)))
            .to_f64()
            .unwrap_or(0.0)
    };
    let memory = |i: usize| f64::from(profiles[i].memory_mb);
    let mut choices: Vec<Mark> = Vec::new();
    if let Some(i) = t.choices.cheapest {
        choices.push(Mark {
            x: memory(i),
            y: per_million(i),
            label: "cheapest".to_string(),
            series: Some(1),
        });
    }
    for (label, index) in [
        ("fastest", t.choices.fastest),
        ("balanced", t.choices.balanced),
    ] {
        if let Some(i) = index {
            let on_duration = choices
                .iter_mut()
                .find(|m: &&mut Mark| m.x == memory(i) && m.series.is_none());
            match on_duration {
                Some(m) => m.label.push_str(&format!(", {label}")),
                None => choices.push(Mark {
                    x: memory(i),
                    y: t.warm_ms[i],
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
                .map(|i| (memory(i), t.warm_ms[i]))
                .collect(),
        },
        cost: Series {
            name: format!(
                "$ per 1M invocations at {} a month",
                lambcost_core::format::short_count(t.requests)
            ),
            points: (0..profiles.len())
                .map(|i| (memory(i), per_million(i)))
                .collect(),
        },
        choices,
    }
}

/// The power-tuning view: one row per memory size, the best choices marked.
fn power_tuning(profiles: &[Profile], t: &compare::Tuning) -> View {
    let compare::Choices {
        cheapest,
        fastest,
        balanced,
    } = t.choices;
    let (costs, first) = (&t.costs, t.requests);
    let level = lambcost_core::format::short_count(first);
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

/// What the pool did, in one line.
fn pool_note(p: &Pooled, args: &MeasureArgs) -> String {
    let count = |n: u64| lambcost_core::format::grouped(Decimal::from(n), 0);
    format!(
        "Arrivals: {} from {} in real time; {} environments started, at most {} busy at once, {} throttled (--concurrency {}); idle environments reclaimed after {}, retired after {}.",
        count(p.arrivals.offsets_ms.len() as u64),
        p.arrivals.trace.name,
        count(u64::from(p.environments)),
        p.peak,
        count(p.throttles),
        args.concurrency,
        lambcost_core::format::human_duration(args.cost.cold.idle_reclaim),
        lambcost_core::format::human_duration(args.cost.cold.env_lifetime),
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
