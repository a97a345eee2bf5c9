//! `lambcost compare`: variants side by side, from any mix of summary tables, samples and
//! logs, with their statistics, their monthly cost at each traffic level and how each stands
//! against the baseline.

use crate::cli::CompareArgs;
use crate::compare::{self, Compared};
use crate::profile::{Figure, Profile};
use crate::report::{Cell, Column, Report, View};
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde_json::{Value, json};

/// The CSV columns: one row per variant and traffic level.
pub const COLUMNS: [Column; 35] = [
    Column::data("variant"),
    Column::data("mode"),
    Column::data("arch"),
    Column::data("memory_mb"),
    Column::data("samples"),
    Column::data("cold_start_ms"),
    Column::data("cold_start_ci95_ms"),
    Column::data("cold_start_p50_ms"),
    Column::data("cold_start_p95_ms"),
    Column::data("cold_start_p99_ms"),
    Column::data("warm_ms"),
    Column::data("warm_ci95_ms"),
    Column::data("warm_p50_ms"),
    Column::data("warm_p95_ms"),
    Column::data("warm_p99_ms"),
    Column::data("max_memory_used_mb_min"),
    Column::data("max_memory_used_mb_max"),
    Column::data("baseline"),
    Column::data("cold_start_speedup"),
    Column::data("cold_start_speedup_ci95"),
    Column::data("warm_speedup"),
    Column::data("warm_speedup_ci95"),
    Column::data("memory_saving"),
    Column::data("requests"),
    Column::data("cold_start_rate"),
    Column::data("cold_start_source"),
    Column::data("gb_seconds"),
    Column::data("compute_usd"),
    Column::data("requests_usd"),
    Column::data("total_usd"),
    Column::data("total_ci95_usd"),
    Column::data("usd_per_million"),
    Column::data("total_usd_at_baseline_memory"),
    Column::data("cost_saving"),
    Column::data("cost_saving_ci95"),
];

/// Runs `lambcost compare`.
pub fn run(args: &CompareArgs) -> Result<Report> {
    let book = super::context::price_book(args.price.pricing.as_deref())?;
    let pricer = super::context::pricer(&args.price, &book)?;
    let naming = super::inputs::LogNaming {
        variants: &args.logs.variants,
        modes: &args.logs.modes,
        arch: args.price.arch,
        strict: args.logs.strict,
    };
    let inputs = super::inputs::select_profiles(&args.files, &naming, &pricer)?;
    let profiles = inputs.profiles;
    let baseline = match &args.baseline {
        None => {
            let modes = crate::modes::ModeBook::embedded()?;
            compare::default_baseline(&profiles, modes.reference())
        }
        Some(name) => match profiles.iter().position(|p| &p.name == name) {
            Some(i) => i,
            None => bail!(
                "--baseline: '{name}' is not among the variants; they are: {}",
                names(&profiles)
            ),
        },
    };
    report(
        &profiles,
        baseline,
        &Settings {
            requests: &args.requests,
            output: &args.output,
            cold: &args.cold,
            price: &args.price,
            pricer: &pricer,
        },
        inputs.warnings,
    )
}

/// What a comparison is made under.
pub struct Settings<'a> {
    /// Traffic levels.
    pub requests: &'a [u64],
    /// Where the report goes (what it needs: charts, the workbook).
    pub output: &'a crate::cli::OutputArgs,
    /// Cold-start share options.
    pub cold: &'a crate::cli::ColdStartArgs,
    /// Pricing options.
    pub price: &'a crate::cli::PriceArgs,
    /// The prices they resolve to.
    pub pricer: &'a crate::cost::Pricer<'a>,
}

/// The comparison report of `profiles` against `profiles[baseline]`.
pub fn report(
    profiles: &[Profile],
    baseline: usize,
    settings: &Settings<'_>,
    warnings: Vec<String>,
) -> Result<Report> {
    let pricer = settings.pricer;
    let model = super::context::traffic_model(settings.cold, pricer.month_hours());
    let compared = compare::compare(
        profiles,
        baseline,
        settings.requests,
        settings.cold.cold_start_rate,
        &model,
        pricer,
    )?;
    let base = &profiles[baseline];
    let mut report = Report {
        title: format!(
            "lambcost compare: {} variants against {} ({} MB), {}",
            profiles.len(),
            base.name,
            base.memory_mb,
            settings
                .requests
                .iter()
                .map(|r| crate::format::short_count(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        columns: COLUMNS.to_vec(),
        warnings,
        ..Report::default()
    };
    for c in &compared {
        for (i, level) in c.levels.iter().enumerate() {
            report.rows.push(csv_row(c, i, &base.name, level));
        }
    }
    report.view = Some(view(&compared, baseline, settings.requests));
    let observed = profiles.iter().any(|p| p.observed_cold_share.is_some());
    report.notes = notes(settings, base, observed);
    report
        .notes
        .extend(super::sentences::rebill_note(profiles, settings.pricer));
    report
        .notes
        .extend(profiles.iter().filter_map(measurement_note));
    report.assumptions = vec![
        ("region", Cell::Text(settings.price.region.clone())),
        ("month_hours", Cell::Number(pricer.month_hours(), 0)),
        ("free_tier", Cell::Flag(settings.price.free_tier)),
        (
            "account_gb_seconds",
            Cell::Number(settings.price.account_gb_seconds, 0),
        ),
        (
            "idle_reclaim_s",
            Cell::Number(settings.cold.idle_reclaim / Decimal::from(1000), 0),
        ),
        (
            "env_lifetime_s",
            Cell::Number(settings.cold.env_lifetime / Decimal::from(1000), 0),
        ),
    ];
    report.json = Some(document(&compared, &base.name, &report));
    let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    if super::wants_chart(settings.output) {
        report.charts.push(super::charts::cost_chart(
            format!("Monthly cost against traffic, {}", settings.price.region),
            &names,
            settings.requests,
            |i, requests| {
                let p = &profiles[i];
                let (share, _) =
                    compare::cold_share(p, requests, settings.cold.cold_start_rate, &model);
                Ok(pricer
                    .cost(&compare::workload(p, requests, share, p.memory_mb), p.arch)?
                    .total_usd())
            },
        )?);
        if let Some(chart) =
            super::charts::latency_chart("Latency distribution (cumulative)".to_string(), profiles)
        {
            report.charts.push(chart);
        }
    }
    if super::wants_workbook(settings.output) {
        report.workbook = Some(super::workbook::cost_book(
            pricer,
            compared
                .iter()
                .flat_map(|c| {
                    c.levels.iter().map(|l| crate::report::xlsx::InputRow {
                        variant: c.profile.name.clone(),
                        arch: c.profile.arch.to_string(),
                        memory_mb: c.profile.memory_mb,
                        requests: l.requests,
                        warm_billed_ms: c.profile.warm_billed_ms,
                        cold_billed_ms: c.profile.cold_billed_ms,
                        cold_start_rate: l.cold_start_rate,
                    })
                })
                .collect(),
        ));
    }
    Ok(report)
}

fn names(profiles: &[Profile]) -> String {
    profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn num(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(6), 2),
        None => Cell::Empty,
    }
}

fn csv_row(c: &Compared, i: usize, baseline: &str, level: &compare::LevelCost) -> Vec<Cell> {
    let p = &c.profile;
    let cold = p.cold_start.as_ref();
    let warm = p.warm.as_ref();
    let samples = p
        .measurements
        .as_ref()
        .map_or(0, |m| m.cold.count + m.warm.count);
    let (saving, saving_ci) = c.cost_saving.get(i).copied().unwrap_or((0.0, 0.0));
    vec![
        Cell::Text(p.name.clone()),
        Cell::Text(p.mode.clone()),
        Cell::Text(p.arch.to_string()),
        Cell::Count(u64::from(p.memory_mb)),
        Cell::Count(samples),
        num(cold.map(|f| f.mean_ms)),
        num(cold.map(|f| f.ci95_ms)),
        num(cold.and_then(|f| f.p50_ms)),
        num(cold.and_then(|f| f.p95_ms)),
        num(cold.and_then(|f| f.p99_ms)),
        num(warm.map(|f| f.mean_ms)),
        num(warm.map(|f| f.ci95_ms)),
        num(warm.and_then(|f| f.p50_ms)),
        num(warm.and_then(|f| f.p95_ms)),
        num(warm.and_then(|f| f.p99_ms)),
        p.max_memory_used_mb
            .map_or(Cell::Empty, |m| Cell::Count(u64::from(m.0))),
        p.max_memory_used_mb
            .map_or(Cell::Empty, |m| Cell::Count(u64::from(m.1))),
        Cell::Text(baseline.to_string()),
        num(c.cold_speedup.map(|r| r.0)),
        num(c.cold_speedup.map(|r| r.1)),
        num(c.warm_speedup.map(|r| r.0)),
        num(c.warm_speedup.map(|r| r.1)),
        num(c.memory_saving),
        Cell::Count(level.requests),
        Cell::Share(level.cold_start_rate),
        Cell::Text(level.source.as_str().to_string()),
        Cell::Number(level.cost.gb_seconds, 0),
        Cell::Usd(level.cost.compute_usd()),
        Cell::Usd(level.cost.requests_usd),
        Cell::Usd(level.cost.total_usd()),
        num(Some(level.total_ci95_usd)),
        Cell::Usd(level.cost.usd_per_million()),
        Cell::Usd(level.at_baseline_memory.total_usd()),
        num(Some(saving)),
        num(Some(saving_ci)),
    ]
}

/// `6.5x` or `6.5 ± 0.2x`.
fn times(r: Option<(f64, f64)>) -> Cell {
    match r {
        None => Cell::Empty,
        Some((v, half)) if half > 0.0 => Cell::Figure(format!("{} ± {}x", sig(v), sig(half))),
        Some((v, _)) => Cell::Figure(format!("{}x", sig(v))),
    }
}

/// Two decimals below 10, one above: 7.02, 14.3.
fn sig(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// `52% less`, `10% more`.
fn less(saving: Option<f64>, half: f64, less_word: &str, more_word: &str) -> Cell {
    match saving {
        None => Cell::Empty,
        Some(s) => {
            let pct = (s * 100.0).abs();
            let word = if s >= 0.0 { less_word } else { more_word };
            if half > 0.0 {
                Cell::Text(format!("{pct:.0} ± {:.0}% {word}", half * 100.0))
            } else {
                Cell::Text(format!("{pct:.0}% {word}"))
            }
        }
    }
}

fn latency(f: Option<&Figure>) -> Cell {
    match f {
        None => Cell::Empty,
        Some(f) if f.ci95_ms >= 0.05 => {
            Cell::Figure(format!("{:.1} ± {:.1}", f.mean_ms, f.ci95_ms))
        }
        Some(f) if f.ci95_ms > 0.0 => Cell::Figure(format!("{:.2} ± {:.2}", f.mean_ms, f.ci95_ms)),
        Some(f) => Cell::Figure(format!("{:.0}", f.mean_ms)),
    }
}

fn view(compared: &[Compared], baseline: usize, levels: &[u64]) -> View {
    let base = &compared[baseline].profile;
    let first = levels.first().copied().unwrap_or(0);
    let mut columns = vec![
        Column::shown("variant", "Variant"),
        Column::shown("mode", "Mode"),
        Column::shown("memory_mb", "MB"),
        Column::shown("cold_start_ms", "Cold start ms"),
        Column::shown("warm_ms", "Warm ms"),
        Column::shown("warm_percentiles", "Warm p50/p95/p99"),
        Column::shown("max_memory_used_mb", "Peak MB"),
    ];
    for &l in levels {
        columns.push(Column::titled(
            "total_usd",
            format!("$ @{}", crate::format::short_count(l)),
        ));
    }
    columns.push(Column::titled(
        "usd_per_million",
        format!("$/1M @{}", crate::format::short_count(first)),
    ));
    columns.push(Column::titled(
        "total_usd_at_baseline_memory",
        format!(
            "$ @{} at {} MB",
            crate::format::short_count(first),
            base.memory_mb
        ),
    ));
    columns.push(Column::shown("cold_start_speedup", "Cold start"));
    columns.push(Column::shown("warm_speedup", "Warm"));
    columns.push(Column::shown("memory_saving", "Memory"));
    columns.push(Column::shown("cost_saving", "Cost"));
    let has_percentiles = compared
        .iter()
        .any(|c| c.profile.warm.as_ref().is_some_and(|w| w.p50_ms.is_some()));
    if !has_percentiles {
        columns.retain(|c| c.key != "warm_percentiles");
    }
    let rows = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = &c.profile;
            let mut row = vec![
                Cell::Text(p.name.clone()),
                Cell::Text(p.mode.clone()),
                Cell::Count(u64::from(p.memory_mb)),
                latency(p.cold_start.as_ref()),
                latency(p.warm.as_ref()),
            ];
            if has_percentiles {
                row.push(match p.warm.as_ref() {
                    Some(Figure {
                        p50_ms: Some(a),
                        p95_ms: Some(b),
                        p99_ms: Some(c),
                        ..
                    }) => Cell::Figure(format!("{a:.1} / {b:.1} / {c:.1}")),
                    _ => Cell::Empty,
                });
            }
            row.push(
                p.peak_memory_mb()
                    .map_or(Cell::Empty, |m| Cell::Count(u64::from(m))),
            );
            for level in &c.levels {
                row.push(Cell::Usd(level.cost.total_usd()));
            }
            let first_level = c.levels.first();
            row.push(first_level.map_or(Cell::Empty, |l| Cell::Usd(l.cost.usd_per_million())));
            row.push(
                first_level.map_or(Cell::Empty, |l| Cell::Usd(l.at_baseline_memory.total_usd())),
            );
            if i == baseline {
                for _ in 0..4 {
                    row.push(Cell::Text("baseline".into()));
                }
            } else {
                row.push(times(c.cold_speedup));
                row.push(times(c.warm_speedup));
                row.push(less(c.memory_saving, 0.0, "less", "more"));
                let (s, h) = c.cost_saving.first().copied().unwrap_or((0.0, 0.0));
                row.push(less(Some(s), h, "lower", "higher"));
            }
            row
        })
        .collect();
    View { columns, rows }
}

fn notes(settings: &Settings<'_>, base: &Profile, observed: bool) -> Vec<String> {
    let pricer = settings.pricer;
    let first = settings.requests.first().copied().unwrap_or(0);
    vec![
        format!(
            "Against {}: cold start and warm are how many times faster (baseline mean / variant mean); memory compares the peak Max Memory Used; cost is at {}. ± is the 95% interval where samples allow.",
            base.name,
            crate::format::short_count(first)
        ),
        format!(
            "\"$ @{} at {} MB\" prices each variant's own durations at the baseline's memory: what is left of the saving there is the build mode's; the rest is the memory setting's.",
            crate::format::short_count(first),
            base.memory_mb
        ),
        super::sentences::cold_start_note(settings.cold, pricer.month_hours(), observed),
        "Cost uses every invocation's billed duration where samples exist (summed, then priced), outliers included; summary rows use their published figures.".to_string(),
        format!(
            "Prices: {} ({}), effective {}. Free tier {}. {}",
            settings.price.region,
            pricer.provenance().0,
            pricer.provenance().1,
            if settings.price.free_tier {
                "subtracted"
            } else {
                "not applied"
            },
            super::sentences::rules_sentence(pricer)
        ),
    ]
}

/// Outliers and failures of a measured variant, in one sentence (none for clean data).
fn measurement_note(p: &Profile) -> Option<String> {
    let m = p.measurements.as_ref()?;
    let mut parts = Vec::new();
    for (phase, stats) in [("cold", &m.cold), ("warm", &m.warm)] {
        if let Some(d) = &stats.duration_ms
            && d.outliers > 0
        {
            parts.push(format!(
                "{} of {} {phase} durations are outliers (MAD rule; largest {:.1} ms)",
                d.outliers, d.count, d.max
            ));
        }
    }
    let failed: Vec<String> = m
        .statuses
        .iter()
        .filter(|(s, n)| **s != "success" && **n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if !failed.is_empty() {
        parts.push(format!(
            "invocations that did not succeed: {}",
            failed.join(", ")
        ));
    }
    if m.limits_enforced == Some(false) {
        parts.push("measured without Lambda's memory and CPU limits".to_string());
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}: {}; all are kept in every figure and in the cost.",
            p.name,
            parts.join("; ")
        )
    })
}

fn figure(f: Option<&Figure>) -> Value {
    f.map_or(Value::Null, |f| {
        serde_json::to_value(f).unwrap_or(Value::Null)
    })
}

fn document(compared: &[Compared], baseline: &str, report: &Report) -> Value {
    let variants: Vec<Value> = compared
        .iter()
        .map(|c| {
            let p = &c.profile;
            let costs: Vec<Value> = c
                .levels
                .iter()
                .zip(&c.cost_saving)
                .map(|(l, (saving, saving_ci))| {
                    json!({
                        "requests": l.requests,
                        "cold_start_rate": crate::report::json_value(&Cell::Share(l.cold_start_rate)),
                        "cold_start_source": l.source.as_str(),
                        "cold_starts": crate::report::json_value(&Cell::Number(l.cost.cold_starts, 0)),
                        "gb_seconds": crate::report::json_value(&Cell::Number(l.cost.gb_seconds, 0)),
                        "compute_usd": crate::report::json_value(&Cell::Usd(l.cost.compute_usd())),
                        "requests_usd": crate::report::json_value(&Cell::Usd(l.cost.requests_usd)),
                        "total_usd": crate::report::json_value(&Cell::Usd(l.cost.total_usd())),
                        "total_ci95_usd": l.total_ci95_usd,
                        "usd_per_million": crate::report::json_value(&Cell::Usd(l.cost.usd_per_million())),
                        "total_usd_at_baseline_memory": crate::report::json_value(&Cell::Usd(l.at_baseline_memory.total_usd())),
                        "cost_saving": saving,
                        "cost_saving_ci95": saving_ci,
                    })
                })
                .collect();
            json!({
                "variant": p.name,
                "mode": p.mode,
                "arch": p.arch.as_str(),
                "memory_size_mb": p.memory_mb,
                "cold_start": figure(p.cold_start.as_ref()),
                "warm": figure(p.warm.as_ref()),
                "max_memory_used_mb": p.max_memory_used_mb.map(|m| json!({"min": m.0, "max": m.1})),
                "statistics": p.measurements.as_ref().map(|m| serde_json::to_value(m).unwrap_or(Value::Null)),
                "cold_start_speedup": c.cold_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "warm_speedup": c.warm_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "memory_saving": c.memory_saving,
                "costs": costs,
            })
        })
        .collect();
    let mut assumptions = serde_json::Map::new();
    for (k, v) in &report.assumptions {
        assumptions.insert((*k).to_string(), crate::report::json_value(v));
    }
    json!({
        "baseline": baseline,
        "variants": variants,
        "assumptions": assumptions,
        "notes": report.notes,
        "warnings": report.warnings,
    })
}
