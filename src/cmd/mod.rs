//! One module per subcommand: each turns its arguments into the core's inputs, calls the core
//! and returns a report. Shared helpers for the pieces several commands need live here.

pub mod compare;
pub mod estimate;
pub mod export;
pub mod measure;
pub mod pricing;
pub mod recommend;
pub mod shell;

use crate::cli::OutputArgs;
use crate::pricing::PriceBook;
use crate::report::Format;
use anyhow::{Result, bail};
use std::path::Path;

/// The format to print in: `--format`, else the one `--output`'s extension implies, else the
/// table.
pub fn output_format(args: &OutputArgs) -> Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match &args.output {
        None => Ok(Format::Table),
        Some(path) => match Format::from_extension(path) {
            Some(f) => Ok(f),
            None => bail!(
                "--output {}: cannot tell the format from the extension; use .csv, .json, .md, .txt, .svg or .xlsx, or add --format table|csv|json|markdown|svg|xlsx",
                path.display()
            ),
        },
    }
}

/// Whether the output asks for the report's chart (`--plot`, or SVG as the format): charts
/// price every variant at dozens of traffic levels, work not done when nobody will see it.
pub fn wants_chart(args: &OutputArgs) -> bool {
    args.plot.is_some() || output_format(args).is_ok_and(|f| f == Format::Svg)
}

/// Whether the output is the workbook, the only format that reads the report's cost book.
pub fn wants_workbook(args: &OutputArgs) -> bool {
    output_format(args).is_ok_and(|f| f == Format::Xlsx)
}

/// The price book: the file given, or the embedded default.
pub fn price_book(path: Option<&Path>) -> Result<PriceBook> {
    Ok(PriceBook::load(path)?)
}

/// Profiles read from the inputs the user named, with what the user should know about them.
pub struct Inputs {
    /// One profile per variant, in order of first appearance.
    pub profiles: Vec<crate::profile::Profile>,
    /// Warnings about the data (malformed lines skipped, changed memory sizes, ...).
    pub warnings: Vec<String>,
}

/// How to name and read log inputs.
pub struct LogNaming<'a> {
    /// Variant names for the log inputs, in order (else each file's stem).
    pub variants: &'a [String],
    /// Build modes for the log inputs, in order.
    pub modes: &'a [String],
    /// Architecture of the measured variants.
    pub arch: Option<crate::pricing::Arch>,
    /// Malformed log lines are fatal.
    pub strict: bool,
}

/// Reads every input (`-` is standard input), whatever its kind, into profiles. Measured
/// variants of the same name from several inputs are merged; a name given twice by summary
/// tables is an error.
pub fn load_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Inputs> {
    use crate::measurement::Measured;
    use crate::samples::{Loaded, LogOptions, read_any};
    enum Slot {
        Summary(Box<crate::profile::Profile>),
        Measured(Box<Measured>),
    }
    let mut slots: Vec<Slot> = Vec::new();
    let mut logs = 0usize;
    for path in files {
        let (origin, stem) = if path.as_os_str() == "-" {
            ("stdin".to_string(), "stdin".to_string())
        } else {
            (
                path.display().to_string(),
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "variant".to_string()),
            )
        };
        let options = LogOptions {
            variant: naming.variants.get(logs).cloned().unwrap_or(stem),
            mode: naming.modes.get(logs).cloned().unwrap_or_default(),
            arch: naming.arch,
            strict: naming.strict,
            granularity_ms: pricer.granularity_ms(),
        };
        let memory = pricer.memory_range();
        let loaded = if path.as_os_str() == "-" {
            read_any(std::io::stdin().lock(), &origin, &options, memory)?
        } else {
            let file = std::fs::File::open(path)
                .map_err(|e| anyhow::anyhow!("{origin}: cannot open: {e}"))?;
            read_any(file, &origin, &options, memory)?
        };
        match loaded {
            Loaded::Summary(variants) => {
                for v in &variants {
                    if slots.iter().any(|s| slot_name(s) == v.name) {
                        bail!(
                            "{origin}: variant '{}' is already in another input; give each variant one name",
                            v.name
                        );
                    }
                    slots.push(Slot::Summary(Box::new(
                        crate::profile::Profile::from_variant(v, pricer),
                    )));
                }
            }
            Loaded::Samples(list) => {
                for m in list {
                    merge_measured(&mut slots, m, &origin)?;
                }
            }
            Loaded::Log(m) => {
                // A log makes one variant and takes the next --variant and --mode.
                logs += 1;
                merge_measured(&mut slots, *m, &origin)?;
            }
        }
    }
    fn merge_measured(slots: &mut Vec<Slot>, m: Measured, origin: &str) -> Result<()> {
        match slots.iter_mut().find(|s| slot_name(s) == m.name) {
            Some(Slot::Measured(existing)) => existing.merge(&m),
            Some(Slot::Summary(_)) => bail!(
                "{origin}: variant '{}' is also a row of a summary table; give the measurements another name (--variant)",
                m.name
            ),
            None => slots.push(Slot::Measured(Box::new(m))),
        }
        Ok(())
    }
    fn slot_name(s: &Slot) -> &str {
        match s {
            Slot::Summary(p) => &p.name,
            Slot::Measured(m) => &m.name,
        }
    }
    let default_arch = naming.arch.unwrap_or(crate::pricing::Arch::X86_64);
    let mut profiles = Vec::new();
    let mut warnings = Vec::new();
    for slot in slots {
        match slot {
            Slot::Summary(p) => profiles.push(*p),
            Slot::Measured(m) => {
                if m.malformed.count > 0 {
                    warnings.push(format!(
                        "{}: {} unreadable line(s) skipped (--strict refuses them)",
                        m.origin, m.malformed.count
                    ));
                    warnings.extend(m.malformed.first.iter().cloned());
                }
                if m.managed_instances > 0 {
                    warnings.push(format!(
                        "{}: {} Lambda Managed Instances report(s) left out: those instances are not billed per invocation and GB-second",
                        m.origin, m.managed_instances
                    ));
                }
                let p = crate::profile::Profile::from_measured(&m, default_arch, pricer)?;
                warnings.extend(p.warnings.iter().cloned());
                profiles.push(p);
            }
        }
    }
    Ok(Inputs { profiles, warnings })
}

/// The prices and account context the price arguments describe.
pub fn pricer<'a>(
    args: &crate::cli::PriceArgs,
    book: &'a PriceBook,
) -> Result<crate::cost::Pricer<'a>> {
    let account = crate::cost::Account {
        month_hours: args.month_hours,
        gb_seconds: args.account_gb_seconds,
        requests: args.account_requests,
        free_tier: args.free_tier,
        billing_date: args.billing_date.unwrap_or_else(today),
    };
    crate::cost::Pricer::new(book, &args.region, account)
        .map_err(|e| anyhow::anyhow!("--region: {e}"))
}

/// Today's date in UTC, the calendar Lambda bills by: the default billing date, so an
/// estimate is made under the rules in force now.
pub fn today() -> crate::units::Date {
    let date = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    crate::units::Date {
        year: u16::try_from(date.year()).unwrap_or(2000),
        month: u8::try_from(date.month()).unwrap_or(1),
        day: u8::try_from(date.day()).unwrap_or(1),
    }
}

/// How re-billing the measured variants under the billing date's rules changed them, in a
/// sentence (none when no variant was measured).
pub fn rebill_note(
    profiles: &[crate::profile::Profile],
    pricer: &crate::cost::Pricer<'_>,
) -> Option<String> {
    use rust_decimal::Decimal;
    let measured: Vec<(&str, &crate::profile::Rebill)> = profiles
        .iter()
        .filter_map(|p| p.rebilled.as_ref().map(|r| (p.name.as_str(), r)))
        .collect();
    if measured.is_empty() {
        return None;
    }
    let changed: Vec<String> = measured
        .iter()
        .filter(|(_, r)| r.changed > 0)
        .map(|(name, r)| {
            let from =
                Decimal::from_i128_with_scale(r.reported_ms.min(i64::MAX as u128) as i128, 0);
            let to = Decimal::from_i128_with_scale(r.rebilled_ms.min(i64::MAX as u128) as i128, 0);
            let change = if from.is_zero() {
                String::new()
            } else {
                let pct = (to - from) / from * Decimal::ONE_HUNDRED;
                format!(
                    ", {}{}%",
                    if pct.is_sign_negative() { "" } else { "+" },
                    pct.round_dp(1)
                )
            };
            format!(
                "{name} {} of {} invocations, {} ms billed as logged, {} ms now{change}",
                crate::format::grouped(Decimal::from(r.changed), 0),
                crate::format::grouped(Decimal::from(r.reported), 0),
                crate::format::grouped(from, 0),
                crate::format::grouped(to, 0),
            )
        })
        .collect();
    let date = pricer.billing_date();
    Some(if changed.is_empty() {
        format!(
            "Measured invocations: billed from their Duration, Init Duration and Billed Restore Duration under the rules of {date}; every one bills as its log reported."
        )
    } else {
        format!(
            "Measured invocations: re-billed from their Duration, Init Duration and Billed Restore Duration under the rules of {date} (--billing-date): {}.",
            changed.join("; ")
        )
    })
}

/// The billing rules in force on the billing date, in a sentence.
pub fn rules_sentence(pricer: &crate::cost::Pricer<'_>) -> String {
    let date = pricer.billing_date();
    let since = pricer.init_rule_since();
    let init = if date < since {
        format!(
            "INIT billed only for custom runtimes and container images (the rule before {since}; billing date {date})"
        )
    } else {
        format!("INIT billed on every cold start (the rule since {since})")
    };
    match pricer.granularity_since() {
        Some(until) if date < until => format!(
            "{init}; durations rounded up to {} ms, as before {until}.",
            pricer.granularity_ms()
        ),
        _ => format!("{init}."),
    }
}

/// The traffic model the cold-start arguments describe, over the month in force.
pub fn traffic_model(
    args: &crate::cli::ColdStartArgs,
    month_hours: rust_decimal::Decimal,
) -> crate::traffic::TrafficModel {
    use rust_decimal::prelude::ToPrimitive;
    let seconds = |ms: rust_decimal::Decimal, default: f64| {
        (ms / rust_decimal::Decimal::from(1000))
            .to_f64()
            .unwrap_or(default)
    };
    crate::traffic::TrafficModel {
        idle_reclaim_s: seconds(args.idle_reclaim, 600.0),
        env_lifetime_s: seconds(args.env_lifetime, 7200.0),
        month_hours: month_hours.to_f64().unwrap_or(730.0),
    }
}

/// The sentence that says how cold starts were counted.
pub fn cold_start_note(
    args: &crate::cli::ColdStartArgs,
    month_hours: rust_decimal::Decimal,
    observed: bool,
) -> String {
    match args.cold_start_rate {
        Some(r) => format!(
            "Cold starts: {} of invocations, as given.",
            crate::format::percent(r)
        ),
        None => {
            let model = format!(
                "the traffic model's share (Poisson arrivals over a {month_hours}-hour month, one invocation per environment at a time, idle environments reclaimed after {} and recycled after {})",
                crate::format::human_duration(args.idle_reclaim),
                crate::format::human_duration(args.env_lifetime),
            );
            if observed {
                format!(
                    "Cold starts: the share observed in each variant's samples or logs; for summary rows {model}. --cold-start-rate sets it."
                )
            } else {
                format!("Cold starts: {model}; --cold-start-rate sets it.")
            }
        }
    }
}

/// The monthly-cost-against-traffic chart: `total(i, requests)` is variant `i`'s bill.
pub fn cost_chart(
    title: String,
    names: &[String],
    levels: &[u64],
    total: impl Fn(usize, u64) -> Result<rust_decimal::Decimal, crate::cost::OutOfRange>,
) -> Result<crate::report::svg::Chart, crate::cost::OutOfRange> {
    use crate::report::svg::{Chart, Mark, Series};
    use rust_decimal::prelude::ToPrimitive;
    let lo = levels.iter().copied().min().unwrap_or(1_000_000) as f64 / 30.0;
    let hi = levels.iter().copied().max().unwrap_or(1_000_000) as f64 * 30.0;
    let (lo, hi) = (lo.max(1_000.0), hi.min(1e13).max(lo.max(1_000.0) * 10.0));
    const STEPS: usize = 64;
    let mut grid: Vec<u64> = (0..=STEPS)
        .map(|k| (lo * (hi / lo).powf(k as f64 / STEPS as f64)).round() as u64)
        .chain(levels.iter().copied())
        .collect();
    grid.sort_unstable();
    grid.dedup();
    let curves: Vec<Vec<(f64, f64)>> = (0..names.len())
        .map(|i| {
            grid.iter()
                .map(|&r| Ok((r as f64, total(i, r)?.to_f64().unwrap_or(0.0))))
                .collect()
        })
        .collect::<Result<_, _>>()?;
    let crossovers = crate::compare::crossovers(&curves)
        .into_iter()
        .take(8)
        .map(|(i, j, x, y)| Mark {
            x,
            y,
            series: None,
            label: format!(
                "{} = {} at {}",
                names[i],
                names[j],
                crate::format::short_count(x.round() as u64)
            ),
        })
        .collect();
    Ok(Chart::CostVsTraffic {
        title,
        series: names
            .iter()
            .zip(curves)
            .map(|(n, points)| Series {
                name: n.clone(),
                points,
            })
            .collect(),
        levels: levels.iter().map(|&l| l as f64).collect(),
        crossovers,
    })
}

/// The latency-distribution chart of the measured profiles, if any has samples.
pub fn latency_chart(
    title: String,
    profiles: &[crate::profile::Profile],
) -> Option<crate::report::svg::Chart> {
    use crate::report::svg::{Chart, Mark, Series};
    let measured: Vec<&crate::profile::Profile> = profiles
        .iter()
        .filter(|p| p.measurements.is_some())
        .collect();
    if measured.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    for phase in ["cold", "warm"] {
        let mut series = Vec::new();
        let mut marks = Vec::new();
        for p in &measured {
            let k = series.len();
            let Some(m) = &p.measurements else { continue };
            let stats = if phase == "cold" { &m.cold } else { &m.warm };
            if stats.distribution.is_empty() {
                continue;
            }
            series.push(Series {
                name: p.name.clone(),
                points: stats.distribution.clone(),
            });
            let figure = if phase == "cold" {
                p.cold_start.as_ref()
            } else {
                p.warm.as_ref()
            };
            if let Some(f) = figure {
                for (label, q, v) in [
                    ("p50", 0.5, f.p50_ms),
                    ("p95", 0.95, f.p95_ms),
                    ("p99", 0.99, f.p99_ms),
                ] {
                    if let Some(v) = v {
                        marks.push(Mark {
                            x: v,
                            y: q,
                            label: format!("{label} {v:.1}"),
                            series: Some(k),
                        });
                    }
                }
            }
        }
        if !series.is_empty() {
            panels.push((phase.to_string(), series, marks));
        }
    }
    Some(Chart::Latency { title, panels })
}

/// The workbook of plain on-demand costs: one input row per variant and level.
pub fn cost_book(
    pricer: &crate::cost::Pricer<'_>,
    rows: Vec<crate::report::xlsx::InputRow>,
) -> crate::report::xlsx::CostBook {
    use crate::pricing::Arch;
    use crate::report::xlsx::{ArchRates, CostBook};
    let rates = [Arch::X86_64, Arch::Arm64]
        .iter()
        .map(|&arch| {
            let p = pricer.rates(arch);
            ArchRates {
                arch: arch.to_string(),
                requests_usd_per_million: p.requests_usd_per_million,
                tiers: p
                    .duration_tiers
                    .iter()
                    .map(|t| (t.from_gb_seconds, t.usd_per_gb_second))
                    .collect(),
            }
        })
        .collect();
    CostBook {
        prices_title: format!(
            "{} rates, effective {} ({})",
            pricer.region_name(),
            pricer.provenance().1,
            pricer.provenance().0
        ),
        rates,
        account_gb_seconds: pricer.account().gb_seconds,
        free_tier: pricer.account().free_tier,
        free_requests: pricer.free_tier_allowance().0,
        free_gb_seconds: pricer.free_tier_allowance().1,
        rows,
    }
}

/// Keeps the profiles named in `names` (all when it is empty), or says which name is unknown.
pub fn keep_named(profiles: &mut Vec<crate::profile::Profile>, names: &[String]) -> Result<()> {
    for name in names {
        if !profiles.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "--variant: '{name}' is not in the data; known variants: {}",
                known.join(", ")
            );
        }
    }
    if !names.is_empty() {
        profiles.retain(|p| names.contains(&p.name));
    }
    Ok(())
}
