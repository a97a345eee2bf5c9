//! `lambcost estimate`: the monthly cost of each variant of the data set, or of one workload
//! described on the command line, at one or more traffic levels.

use crate::cli::EstimateArgs;
use crate::cli::PcOverflowArg;
use crate::compare::{ShareSource, cold_share};
use crate::cost::{
    MonthlyCost, OutOfRange, PcOverflow, Pricer, Provisioned, RestoreSource, SnapStart, Workload,
};
use crate::pricing::{Arch, RateGroup};
use crate::profile::{Figure, Profile};
use crate::report::{Cell, Column, Report};
use crate::traffic::TrafficModel;
use crate::variant::DEFAULT_RESULTS_ORIGIN;
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The columns of an estimate, in order. CSV and JSON carry all of them under these names.
///
/// `compute_usd + requests_usd + other_usd = total_usd`; a column named after one of those
/// parts (`compute_on_demand_usd`, `other_snapstart_cache_usd`) breaks that part down, and
/// its siblings add up to it.
pub const COLUMNS: [Column; 25] = [
    Column::shown("variant", "Variant"),
    Column::shown("mode", "Mode"),
    Column::data("arch"),
    Column::shown("memory_mb", "Memory MB"),
    Column::shown("requests", "Requests"),
    Column::shown("cold_start_rate", "Cold %"),
    Column::data("cold_start_source"),
    Column::shown("cold_starts", "Cold starts"),
    Column::data("warm_billed_ms"),
    Column::data("cold_billed_ms"),
    Column::data("billed_seconds"),
    Column::shown("gb_seconds", "GB-s"),
    Column::shown("compute_usd", "Compute $"),
    Column::shown("requests_usd", "Requests $"),
    Column::shown("other_usd", "Other $"),
    Column::shown("total_usd", "Total $/month"),
    Column::shown("usd_per_million", "$ per 1M"),
    Column::data("compute_on_demand_usd"),
    Column::data("compute_provisioned_usd"),
    Column::data("other_ephemeral_storage_usd"),
    Column::data("other_provisioned_concurrency_usd"),
    Column::data("other_snapstart_cache_usd"),
    Column::data("other_snapstart_restore_usd"),
    Column::data("provisioned_invocations"),
    Column::data("provisioned_spillover"),
];

/// Runs `lambcost estimate`.
pub fn run(args: &EstimateArgs) -> Result<Report> {
    let book = super::context::price_book(args.price.pricing.as_deref())?;
    let pricer = super::context::pricer(&args.price, &book)?;
    check_options(args, &pricer)?;
    let (profiles, mut warnings) = profiles(args, &pricer)?;
    let traffic = super::context::traffic_model(&args.cold, pricer.month_hours());

    let mut report = Report {
        title: format!(
            "lambcost estimate: monthly AWS Lambda cost in {} at {}",
            args.price.region,
            args.requests
                .iter()
                .map(|r| crate::format::short_count(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        columns: COLUMNS.to_vec(),
        ..Report::default()
    };
    report.warnings.append(&mut warnings);
    let mut billed = Vec::new();
    let mut inputs = Vec::new();
    for &requests in &args.requests {
        for profile in &profiles {
            let b = bill(args, &pricer, &traffic, profile, requests)?;
            report
                .rows
                .push(cells(profile, &b.workload, &b.cost, b.source));
            inputs.push(crate::report::xlsx::InputRow {
                variant: profile.name.clone(),
                arch: profile.arch.to_string(),
                memory_mb: profile.memory_mb,
                requests,
                warm_billed_ms: b.workload.warm_billed_ms,
                cold_billed_ms: b.workload.cold_billed_ms,
                cold_start_rate: b.workload.cold_start_rate,
            });
            billed.push((profile.name.clone(), b));
        }
    }
    // The workbook models on-demand compute and requests only.
    let on_demand = args.provisioned_concurrency.is_none()
        && !args.snapstart
        && args.ephemeral_storage_mb <= pricer.storage_range().free;
    if on_demand && super::wants_workbook(&args.output) {
        report.workbook = Some(super::workbook::cost_book(&pricer, inputs));
    }
    let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    if super::wants_chart(&args.output) {
        report.charts.push(super::charts::cost_chart(
            format!("Monthly cost against traffic, {}", args.price.region),
            &names,
            &args.requests,
            |i, requests| {
                Ok(bill(args, &pricer, &traffic, &profiles[i], requests)?
                    .cost
                    .total_usd())
            },
        )?);
    }
    // "Other $" only earns a column in the table when something is in it.
    let other = COLUMNS
        .iter()
        .position(|c| c.key == "other_usd")
        .unwrap_or(0);
    if report
        .rows
        .iter()
        .all(|r| matches!(r[other], Cell::Usd(v) if v.is_zero()))
    {
        report.columns[other].shown = false;
    }
    describe(&mut report, args, &pricer, &profiles, &billed);
    Ok(report)
}

fn check_options(args: &EstimateArgs, pricer: &Pricer<'_>) -> Result<()> {
    let month_hours = pricer.month_hours();
    let range = pricer.memory_range();
    if let Some(mb) = args.memory_mb
        && (mb < range.min || mb > range.max)
    {
        bail!(
            "--memory-mb: {mb} is outside {}..={} MB, Lambda's memory range",
            range.min,
            range.max
        );
    }
    let storage = pricer.storage_range();
    if args.ephemeral_storage_mb < storage.free || args.ephemeral_storage_mb > storage.max {
        bail!(
            "--ephemeral-storage-mb: {} is outside {}..={} MB",
            args.ephemeral_storage_mb,
            storage.free,
            storage.max
        );
    }
    if let Some(h) = args.provisioned_hours
        && h > month_hours
    {
        bail!("--provisioned-hours: {h} is longer than the {month_hours}-hour month");
    }
    if let Some(h) = args.snapstart_hours
        && h > month_hours
    {
        bail!("--snapstart-hours: {h} is longer than the {month_hours}-hour month");
    }
    if args.snapstart && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        bail!(
            "--snapstart: SnapStart cannot be combined with Provisioned Concurrency on Lambda; choose one"
        );
    }
    if args.snapstart && args.ephemeral_storage_mb > storage.free {
        bail!(
            "--snapstart: SnapStart cannot be combined with ephemeral storage above {} MB on Lambda",
            storage.free
        );
    }
    if args.duration_ms.is_some() && (!args.data.is_empty() || !args.variant.is_empty()) {
        bail!(
            "--duration-ms describes one workload; it cannot be combined with --data or --variant"
        );
    }
    Ok(())
}

/// The things to price: the single workload, or the data's variants (filtered).
fn profiles(args: &EstimateArgs, pricer: &Pricer<'_>) -> Result<(Vec<Profile>, Vec<String>)> {
    if let (Some(duration_ms), Some(memory_mb)) = (args.duration_ms, args.memory_mb) {
        let init_ms = args.init_ms.unwrap_or(Decimal::ZERO);
        let ms = |d: Decimal| d.to_f64().unwrap_or(0.0);
        let profile = Profile {
            name: "workload".to_string(),
            mode: String::new(),
            dotnet: None,
            runtime: args.runtime.clone(),
            arch: args.price.arch.unwrap_or(Arch::X86_64),
            memory_mb,
            cold_start: Some(Figure::single(ms(init_ms + duration_ms))),
            warm: Some(Figure::single(ms(duration_ms))),
            init_ms,
            max_memory_used_mb: None,
            warm_billed_ms: pricer.warm_billed_ms(duration_ms),
            cold_billed_ms: pricer.cold_billed_ms(init_ms, duration_ms, &args.runtime),
            billed_restore_ms: None,
            rebilled: None,
            billed_ci95_ms: (0.0, 0.0),
            observed_cold_share: None,
            measurements: None,
            warnings: Vec::new(),
        };
        return Ok((vec![profile], Vec::new()));
    }
    let naming = super::inputs::LogNaming {
        variants: &args.variant,
        modes: &[],
        arch: args.price.arch,
        strict: false,
    };
    let inputs = super::inputs::select_profiles(&args.data, &naming, pricer)?;
    let (profiles, warnings) = (inputs.profiles, inputs.warnings);
    Ok((profiles, warnings))
}

/// One priced row: the workload as billed, its bill, where its cold-start share came from,
/// and how SnapStart was applied to it.
struct Billed {
    workload: Workload,
    cost: MonthlyCost,
    source: ShareSource,
    snapstart: SnapStartUse,
}

/// What SnapStart did for a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SnapStartUse {
    /// Not asked for.
    Off,
    /// The runtime does not offer it; estimated without.
    Unavailable,
    /// Restores billed at the data's own Billed Restore Duration, the given one, or none.
    Restore(RestoreSource),
}

/// The bill of `profile` at `requests` a month, with every option of the command line.
fn bill(
    args: &EstimateArgs,
    pricer: &Pricer<'_>,
    traffic: &TrafficModel,
    profile: &Profile,
    requests: u64,
) -> Result<Billed, OutOfRange> {
    let (rate, source) = cold_share(profile, requests, args.cold.cold_start_rate, traffic);
    let mut cold_billed_ms = profile.cold_billed_ms;
    let mut cold_rate = rate;
    let mut snapstart = None;
    let mut used = SnapStartUse::Off;
    if args.snapstart {
        match pricer.snapstart_support(&profile.runtime) {
            Some(charged) => {
                let restore_rate = args.restore_rate.unwrap_or(rate);
                let (billed_restore_ms, from) =
                    crate::cost::billed_restore(profile.billed_restore_ms, args.restore_ms);
                // A restore replaces INIT: the invoke plus its Billed Restore Duration.
                cold_billed_ms = profile.warm_billed_ms + billed_restore_ms;
                cold_rate = restore_rate;
                used = SnapStartUse::Restore(from);
                snapstart = Some(SnapStart {
                    versions: args.snapstart_versions,
                    hours_active: args.snapstart_hours.unwrap_or(pricer.month_hours()),
                    restore_rate,
                    charged,
                });
            }
            None => used = SnapStartUse::Unavailable,
        }
    }
    let workload = Workload {
        requests,
        memory_mb: profile.memory_mb,
        warm_billed_ms: profile.warm_billed_ms,
        cold_billed_ms,
        cold_start_rate: cold_rate,
        ephemeral_storage_mb: args.ephemeral_storage_mb,
        provisioned: args.provisioned_concurrency.map(|n| {
            let hours = args.provisioned_hours.unwrap_or(pricer.month_hours());
            Provisioned {
                environments: n,
                hours,
                traffic_share: args
                    .pc_traffic_share
                    .unwrap_or_else(|| (hours / pricer.month_hours()).min(Decimal::ONE)),
                overflow: match args.pc_overflow {
                    PcOverflowArg::Queue => PcOverflow::Queue,
                    PcOverflowArg::None => PcOverflow::None,
                },
            }
        }),
        snapstart,
    };
    let cost = pricer.cost(&workload, profile.arch)?;
    Ok(Billed {
        workload,
        cost,
        source,
        snapstart: used,
    })
}

fn cells(p: &Profile, w: &Workload, c: &MonthlyCost, source: ShareSource) -> Vec<Cell> {
    vec![
        Cell::Text(p.name.clone()),
        Cell::Text(p.mode.clone()),
        Cell::Text(p.arch.to_string()),
        Cell::Count(u64::from(p.memory_mb)),
        Cell::Count(c.requests),
        Cell::Share(w.cold_start_rate),
        Cell::Text(source.as_str().to_string()),
        Cell::Number(c.cold_starts, 0),
        Cell::Number(w.warm_billed_ms, 0),
        Cell::Number(w.cold_billed_ms, 0),
        Cell::Number(c.billed_seconds, 0),
        Cell::Number(c.gb_seconds, 0),
        Cell::Usd(c.compute_usd()),
        Cell::Usd(c.requests_usd),
        Cell::Usd(c.other_usd()),
        Cell::Usd(c.total_usd()),
        Cell::Usd(c.usd_per_million()),
        Cell::Usd(c.on_demand_duration_usd),
        Cell::Usd(c.provisioned_duration_usd),
        Cell::Usd(c.ephemeral_storage_usd),
        Cell::Usd(c.provisioned_concurrency_usd),
        Cell::Usd(c.snapstart_cache_usd),
        Cell::Usd(c.snapstart_restore_usd),
        Cell::Number(c.provisioned_invocations, 0),
        Cell::Number(c.provisioned_spillover, 0),
    ]
}

/// The assumptions and warnings of an estimate, in words and as values.
fn describe(
    report: &mut Report,
    args: &EstimateArgs,
    pricer: &Pricer<'_>,
    profiles: &[Profile],
    billed: &[(String, Billed)],
) {
    let mut snapstart_skipped: Vec<&str> = Vec::new();
    let mut restores_unpriced: Vec<&str> = Vec::new();
    let mut restores_measured: Vec<&str> = Vec::new();
    for (name, b) in billed {
        let list = match b.snapstart {
            SnapStartUse::Unavailable => &mut snapstart_skipped,
            SnapStartUse::Restore(RestoreSource::None) => &mut restores_unpriced,
            SnapStartUse::Restore(RestoreSource::Data) => &mut restores_measured,
            _ => continue,
        };
        if !list.contains(&name.as_str()) {
            list.push(name);
        }
    }
    let (region_source, region_effective) = pricer.provenance();
    let pricing_origin = match &args.price.pricing {
        Some(p) => p.display().to_string(),
        None => crate::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    };
    let data_origin = if args.duration_ms.is_some() {
        "command line".to_string()
    } else if args.data.is_empty() {
        DEFAULT_RESULTS_ORIGIN.to_string()
    } else {
        args.data
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let observed = profiles.iter().any(|p| p.observed_cold_share.is_some());
    let notes = &mut report.notes;
    notes.push(super::sentences::cold_start_note(
        &args.cold,
        pricer.month_hours(),
        observed,
    ));
    if args.duration_ms.is_none() {
        if profiles.iter().any(|p| p.measurements.is_none()) {
            notes.push(
                "Cold start of a summary row: its cold_start_ms is the billed duration of a cold invocation, INIT included; warm invocations bill ceil(warm_ms).".to_string(),
            );
        }
        notes.extend(super::sentences::rebill_note(profiles, pricer));
    } else if args.init_ms.is_none() {
        notes.push(
            "Init duration: none given (--init-ms); cold starts are billed as warm ones."
                .to_string(),
        );
    }
    let billed_rule = super::sentences::rules_sentence(pricer);
    notes.push(format!(
        "Prices: {} ({}), effective {}, from {}. {billed_rule}",
        args.price.region, region_source, region_effective, pricing_origin
    ));
    let account = if args.price.account_gb_seconds.is_zero() {
        "this function alone fills the account's duration tiers (--account-gb-seconds adds the account's other usage)".to_string()
    } else {
        format!(
            "the account's other functions use {} GB-s this month",
            crate::format::grouped(args.price.account_gb_seconds, 0)
        )
    };
    let free = if args.price.free_tier {
        let left_gb =
            (pricer.free_tier_allowance().1 - args.price.account_gb_seconds).max(Decimal::ZERO);
        let left_requests = (Decimal::from(pricer.free_tier_allowance().0)
            - args.price.account_requests)
            .max(Decimal::ZERO);
        format!(
            "free tier subtracted: what the account's other usage leaves of it, {} requests and {} GB-s (--account-requests, --account-gb-seconds)",
            crate::format::grouped(left_requests, 0),
            crate::format::grouped(left_gb, 0)
        )
    } else {
        "free tier not applied (an account-level credit; --free-tier applies it)".to_string()
    };
    notes.push(format!("Account: {account}; {free}."));
    notes.push(format!("Data: {data_origin}."));
    if let (Some(arch), None) = (args.price.arch, args.duration_ms) {
        notes.push(format!(
            "Architecture: priced on {arch}; durations are the data's own, measured on each variant's architecture."
        ));
    }

    // Warnings: what the user should not miss.
    let warnings = &mut report.warnings;
    if args.price.free_tier && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        warnings.push(
            "--free-tier: AWS does not apply the free tier to functions with Provisioned Concurrency; not applied".to_string(),
        );
    }
    if let Some(n) = args.provisioned_concurrency {
        let hours = args.provisioned_hours.unwrap_or(pricer.month_hours());
        let share = args
            .pc_traffic_share
            .unwrap_or_else(|| (hours / pricer.month_hours()).min(Decimal::ONE));
        let how = match args.pc_overflow {
            PcOverflowArg::Queue => {
                "an arrival that finds all of them busy runs on demand (Erlang B)"
            }
            PcOverflowArg::None => {
                "every invocation of that window runs on them while their time allows (AWS's worked-example assumption; --pc-overflow queue models arrivals that find them busy)"
            }
        };
        notes.push(format!(
            "Provisioned Concurrency: {n} environment{} for {} h a month, billed in 5-minute steps; {} of the invocations arrive while it is on{}; {how}.",
            if n == 1 { "" } else { "s" },
            hours.normalize(),
            crate::format::percent(share),
            if args.pc_traffic_share.is_none() {
                " (its hours over the month's; --pc-traffic-share sets it)"
            } else {
                ""
            }
        ));
    }
    if args.snapstart {
        notes.push(
            "SnapStart: a restore is billed its Billed Restore Duration (loading the runtime and after-restore hooks) with the invoke; restoring the snapshot itself is free.".to_string(),
        );
        if !restores_measured.is_empty() {
            notes.push(format!(
                "SnapStart restores of {}: the data's own mean Billed Restore Duration.",
                restores_measured.join(", ")
            ));
        }
        if !restores_unpriced.is_empty() {
            notes.push(format!(
                "SnapStart restores of {}: no Billed Restore Duration in the data and none given (--restore-ms); restores are billed as warm invocations plus the per-GB restore charge.",
                restores_unpriced.join(", ")
            ));
        }
    }
    for (name, b) in billed {
        let concurrency = b.cost.mean_concurrency(pricer.month_hours());
        if concurrency > Decimal::from(1000) {
            warnings.push(format!(
                "{name} at {}: {} invocations in flight on average, beyond Lambda's default limit of 1,000 concurrent executions per region (a quota increase is needed, or invocations are throttled)",
                crate::format::short_count(b.cost.requests),
                crate::format::grouped(concurrency, 0)
            ));
        }
    }
    if !snapstart_skipped.is_empty() {
        warnings.push(format!(
            "--snapstart: SnapStart is not available on the runtime of {}; estimated without it",
            snapstart_skipped.join(", ")
        ));
    }
    let mut used = vec![RateGroup::Requests, RateGroup::Duration];
    if args.ephemeral_storage_mb > pricer.storage_range().free {
        used.push(RateGroup::EphemeralStorage);
    }
    if args.provisioned_concurrency.is_some() {
        used.push(RateGroup::ProvisionedConcurrency);
    }
    if args.snapstart {
        used.push(RateGroup::Snapstart);
    }
    let mut archs: Vec<Arch> = profiles.iter().map(|s| s.arch).collect();
    archs.sort();
    archs.dedup();
    for arch in archs {
        for group in &used {
            if let Some(note) = pricer.assumed(arch, *group) {
                warnings.push(format!(
                    "{} {arch}: no regional {} rate in the pricing file's sources; using {note}",
                    args.price.region,
                    group.as_str()
                ));
            }
        }
    }

    let a = &mut report.assumptions;
    a.push(("region", Cell::Text(args.price.region.clone())));
    a.push(("month_hours", Cell::Number(pricer.month_hours(), 0)));
    a.push(("free_tier", Cell::Flag(args.price.free_tier)));
    a.push((
        "account_gb_seconds",
        Cell::Number(args.price.account_gb_seconds, 0),
    ));
    a.push((
        "account_requests",
        Cell::Number(args.price.account_requests, 0),
    ));
    a.push((
        "ephemeral_storage_mb",
        Cell::Count(u64::from(args.ephemeral_storage_mb)),
    ));
    a.push((
        "provisioned_concurrency",
        Cell::Count(u64::from(args.provisioned_concurrency.unwrap_or(0))),
    ));
    a.push((
        "provisioned_hours",
        match args.provisioned_concurrency {
            Some(_) => Cell::Number(args.provisioned_hours.unwrap_or(pricer.month_hours()), 0),
            None => Cell::Number(Decimal::ZERO, 0),
        },
    ));
    a.push((
        "pc_traffic_share",
        match args.provisioned_concurrency {
            Some(_) => Cell::Share(args.pc_traffic_share.unwrap_or_else(|| {
                (args.provisioned_hours.unwrap_or(pricer.month_hours()) / pricer.month_hours())
                    .min(Decimal::ONE)
            })),
            None => Cell::Empty,
        },
    ));
    a.push(("snapstart", Cell::Flag(args.snapstart)));
    a.push((
        "idle_reclaim_s",
        Cell::Number(args.cold.idle_reclaim / Decimal::from(1000), 0),
    ));
    a.push((
        "env_lifetime_s",
        Cell::Number(args.cold.env_lifetime / Decimal::from(1000), 0),
    ));
    a.push((
        "init_billing_effective",
        Cell::Text(pricer.init_rule_since().to_string()),
    ));
    a.push(("pricing", Cell::Text(pricing_origin)));
    a.push((
        "pricing_effective",
        Cell::Text(region_effective.to_string()),
    ));
    a.push(("data", Cell::Text(data_origin)));
}
