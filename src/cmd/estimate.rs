//! `lambcost estimate`: the monthly cost of each variant of the data set, or of one workload
//! described on the command line, at one or more traffic levels.

use crate::cli::EstimateArgs;
use crate::cli::PcOverflowArg;
use crate::cost::{MonthlyCost, OutOfRange, PcOverflow, Pricer, RestoreSource};
use crate::pricing::{Arch, RateGroup};
use crate::profile::Profile;
use crate::report::{Cell, Column, Detail, Field, Report};
use crate::scenario::{
    PcPlan, Priced, Scenario, ScenarioError, SnapStartPlan, SnapStartUse, price,
};
use crate::share::cold_share;
use crate::traffic::TrafficModel;
use anyhow::{Result, bail};
use rust_decimal::Decimal;

/// One row of an estimate: a variant at a traffic level, as billed.
pub struct Row<'a> {
    /// The variant.
    pub profile: &'a Profile,
    /// What was billed.
    pub billed: &'a Priced,
}

/// The columns of an estimate, in order, each with its cell. CSV and JSON carry all of them
/// under these names.
///
/// `compute_usd + requests_usd + other_usd = total_usd`; a column named after one of those
/// parts (`compute_on_demand_usd`, `other_snapstart_cache_usd`) breaks that part down, and
/// its siblings add up to it.
pub fn fields<'f>() -> Vec<Field<'f, Row<'f>>> {
    let mut fields = fields_first();
    fields.extend(fields_second());
    fields
}

/// The first of [`fields`]'s columns.
fn fields_first<'f>() -> Vec<Field<'f, Row<'f>>> {
    vec![
        Field::new(Column::shown("variant", "Variant"), |r: &Row<'_>| {
            Cell::Text(r.profile.name.clone())
        }),
        Field::new(Column::shown("mode", "Mode").optional(3), |r: &Row<'_>| {
            Cell::Text(r.profile.mode.clone())
        }),
        Field::new(Column::shown("arch", "Arch").optional(1), |r: &Row<'_>| {
            Cell::Text(r.profile.arch.to_string())
        }),
        Field::new(
            Column::shown("memory_mb", "Memory MB")
                .abbreviated("MB")
                .optional(2),
            |r: &Row<'_>| Cell::Count(u64::from(r.profile.memory_mb)),
        ),
        Field::new(Column::shown("requests", "Requests"), |r: &Row<'_>| {
            Cell::Count(r.billed.cost.requests)
        }),
        Field::new(Column::data("cold_start_rate"), |r: &Row<'_>| {
            Cell::Share(r.billed.workload.cold_start_rate)
        }),
        // What was billed cold: with Provisioned Concurrency or SnapStart, less than the
        // share above.
        Field::new(
            Column::shown("billed_cold_start_rate", "Cold %").optional(4),
            |r: &Row<'_>| {
                let c = &r.billed.cost;
                Cell::Share(if c.requests == 0 {
                    Decimal::ZERO
                } else {
                    (c.cold_starts / Decimal::from(c.requests)).round_dp(12)
                })
            },
        ),
        Field::new(Column::data("cold_start_source"), |r: &Row<'_>| {
            Cell::Text(r.billed.source.as_str().to_string())
        }),
        Field::new(
            Column::shown("observed_cold_start_rate", "Observed cold (95% CI)")
                .abbreviated("Observed"),
            |r: &Row<'_>| crate::present::cells::observed_cell(r.profile.observed_cold),
        ),
        Field::new(Column::data("observed_cold_starts"), |r: &Row<'_>| {
            r.profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.cold))
        }),
        Field::new(Column::data("observed_invocations"), |r: &Row<'_>| {
            r.profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.invocations))
        }),
        Field::new(
            Column::shown("cold_starts", "Cold starts").optional(7),
            |r: &Row<'_>| Cell::Number(r.billed.cost.cold_starts, 0),
        ),
    ]
}

/// The rest of [`fields`]'s columns.
fn fields_second<'f>() -> Vec<Field<'f, Row<'f>>> {
    let usd = |f: fn(&MonthlyCost) -> Decimal| move |r: &Row<'_>| Cell::Usd(f(&r.billed.cost));
    vec![
        Field::new(Column::data("warm_billed_ms"), |r: &Row<'_>| {
            Cell::Number(r.billed.workload.warm_billed_ms, 0)
        }),
        Field::new(Column::data("cold_billed_ms"), |r: &Row<'_>| {
            Cell::Number(r.billed.workload.cold_billed_ms, 0)
        }),
        Field::new(Column::data("billed_seconds"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.billed_seconds, 0)
        }),
        Field::new(
            Column::shown("gb_seconds", "GB-s").optional(6),
            |r: &Row<'_>| Cell::Number(r.billed.cost.gb_seconds, 0),
        ),
        Field::new(
            Column::shown("compute_usd", "Compute $").optional(5),
            usd(MonthlyCost::compute_usd),
        ),
        Field::new(
            Column::shown("requests_usd", "Requests $").optional(5),
            usd(|c| c.requests_usd),
        ),
        Field::new(
            Column::shown("other_usd", "Other $").optional(5),
            usd(MonthlyCost::other_usd),
        ),
        Field::new(
            Column::shown("total_usd", "Total $/month").abbreviated("$/month"),
            usd(MonthlyCost::total_usd),
        ),
        Field::new(
            Column::shown("usd_per_million", "$ per 1M").optional(3),
            usd(MonthlyCost::usd_per_million),
        ),
        Field::new(
            Column::data("compute_on_demand_usd"),
            usd(|c| c.on_demand_duration_usd),
        ),
        Field::new(
            Column::data("compute_provisioned_usd"),
            usd(|c| c.provisioned_duration_usd),
        ),
        Field::new(
            Column::data("other_ephemeral_storage_usd"),
            usd(|c| c.ephemeral_storage_usd),
        ),
        Field::new(
            Column::data("other_provisioned_concurrency_usd"),
            usd(|c| c.provisioned_concurrency_usd),
        ),
        Field::new(
            Column::data("other_snapstart_cache_usd"),
            usd(|c| c.snapstart_cache_usd),
        ),
        Field::new(
            Column::data("other_snapstart_restore_usd"),
            usd(|c| c.snapstart_restore_usd),
        ),
        Field::new(Column::data("provisioned_invocations"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.provisioned_invocations, 0)
        }),
        Field::new(Column::data("provisioned_spillover"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.provisioned_spillover, 0)
        }),
    ]
}

/// Runs `lambcost estimate`.
pub fn run(args: &EstimateArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let scenario = scenario(args);
    check_options(args, &scenario, &pricer)?;
    let (mut profiles, mut data_warnings) = profiles(args, &pricer)?;
    data_warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.cold,
        &pricer,
    )?);
    let traffic = crate::setup::context::traffic_model(&args.cold, pricer.month_hours());

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
        ..Report::default()
    };
    report.warnings.append(&mut data_warnings);
    report
        .warnings
        .extend(crate::setup::context::price_warnings(&args.price));
    // Compute every row first, then present them.
    let mut billed: Vec<(usize, Priced)> = Vec::new();
    for &requests in &args.requests {
        for (i, profile) in profiles.iter().enumerate() {
            billed.push((
                i,
                bill(args, &scenario, &pricer, &traffic, profile, requests)?,
            ));
        }
    }
    let fields = fields();
    report.columns = crate::report::columns(&fields);
    let mut inputs = Vec::new();
    for (i, b) in &billed {
        let profile = &profiles[*i];
        report
            .rows
            .push(crate::report::row(&fields, &Row { profile, billed: b }));
        inputs.push(crate::report::xlsx::InputRow {
            variant: profile.name.clone(),
            arch: profile.arch.to_string(),
            memory_mb: profile.memory_mb,
            requests: b.cost.requests,
            warm_billed_ms: b.workload.warm_billed_ms,
            cold_billed_ms: b.workload.cold_billed_ms,
            cold_start_rate: b.workload.cold_start_rate,
        });
    }
    // The workbook models on-demand compute and requests only.
    if scenario.is_on_demand(&pricer) && super::wants_workbook(&args.output) {
        report.workbook = Some(crate::present::workbook::cost_book(&pricer, inputs));
    }
    let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    if super::wants_chart(&args.output, &args.plot) {
        report.charts.push(crate::present::charts::cost_chart(
            format!("Monthly cost against traffic, {}", args.price.region),
            &names,
            &args.requests,
            |i, requests| {
                Ok(
                    bill(args, &scenario, &pricer, &traffic, &profiles[i], requests)?
                        .cost
                        .total_usd(),
                )
            },
        )?);
    }
    let observed = shown_columns(&mut report, &profiles);
    let million = args.requests.iter().all(|r| *r == 1_000_000);
    report.set_redundant("usd_per_million", million);
    report.notes = notes(args, &pricer, observed);
    report.details = details(args, &pricer, &profiles, &billed);
    report.data = data_origin(args);
    report
        .warnings
        .extend(warnings(args, &pricer, &profiles, &billed));
    report.assumptions = assumptions(args, &pricer);
    Ok(report)
}

/// Which columns earn a place in the table: "Other $" when something is in it, the
/// architecture when it is not the default, the observed share when there is one, the mode
/// when one is named. Says whether an observed share is shown.
fn shown_columns(report: &mut Report, profiles: &[Profile]) -> bool {
    // "Other $" only earns a column in the table when something is in it, the architecture
    // when it is not the default, and "$ per 1M" when it is not the total itself.
    let zero = |c: &Cell| matches!(c, Cell::Usd(v) if v.is_zero());
    let all_zero = report.rows_all("other_usd", zero);
    report.set_shown("other_usd", !all_zero);
    // Provisioned Concurrency, SnapStart or storage in the bill: never out of sight.
    for c in report.columns.iter_mut().filter(|c| c.key == "other_usd") {
        c.priority = 0;
    }
    let x86 = |c: &Cell| matches!(c, Cell::Text(a) if a == Arch::X86_64.as_str());
    let all_x86 = report.rows_all("arch", x86);
    report.set_shown("arch", !all_x86);
    if !all_x86 && !report.rows_all("arch", |c| !x86(c)) {
        // Rows that differ only by architecture are told apart by it: it stays.
        for c in report.columns.iter_mut().filter(|c| c.key == "arch") {
            c.priority = 0;
        }
    }
    let observed = profiles.iter().any(|p| p.observed_cold.is_some());
    report.set_shown("observed_cold_start_rate", observed);
    if observed {
        // The share that prices the month goes beside the data's own.
        for c in report
            .columns
            .iter_mut()
            .filter(|c| c.key == "billed_cold_start_rate")
        {
            c.priority = 1;
        }
    }
    let no_mode = report.rows_all("mode", |c| matches!(c, Cell::Text(t) if t.is_empty()));
    report.set_redundant("mode", no_mode);
    observed
}

/// The setup the options describe.
fn scenario(args: &EstimateArgs) -> Scenario {
    Scenario {
        ephemeral_storage_mb: args.ephemeral_storage_mb,
        memory_mb: None,
        provisioned: args.provisioned_concurrency.map(|environments| PcPlan {
            environments,
            hours: args.provisioned_hours,
            traffic_share: args.pc_traffic_share,
            overflow: match args.pc_overflow {
                PcOverflowArg::Queue => PcOverflow::Queue,
                PcOverflowArg::None => PcOverflow::None,
            },
        }),
        snapstart: args.snapstart.then_some(SnapStartPlan {
            versions: args.snapstart_versions,
            hours_active: args.snapstart_hours,
            restore_rate: args.restore_rate,
            restore_ms: args.restore_ms,
        }),
    }
}

/// Refuses options that do not describe a function Lambda runs, naming the flag.
fn check_options(args: &EstimateArgs, scenario: &Scenario, pricer: &Pricer<'_>) -> Result<()> {
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
    if let Err(e) = scenario.check(pricer) {
        let flag = match e {
            ScenarioError::Storage { .. } => "--ephemeral-storage-mb",
            ScenarioError::ProvisionedHours { .. } => "--provisioned-hours",
            ScenarioError::SnapStartHours { .. } => "--snapstart-hours",
            ScenarioError::SnapStartWithProvisioned
            | ScenarioError::SnapStartWithStorage { .. } => "--snapstart",
        };
        bail!("{flag}: {e}");
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
        let profile = Profile::workload(
            duration_ms,
            args.init_ms.unwrap_or(Decimal::ZERO),
            memory_mb,
            &args.runtime,
            Arch::X86_64,
            pricer,
        );
        let profiles = crate::assemble::on_archs(vec![profile], &args.price.arch);
        return Ok((profiles, Vec::new()));
    }
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.variant,
        modes: &[],
        archs: &args.price.arch,
        strict: false,
        group_by: crate::grouping::GroupBy::Input,
        threads: 0,
    };
    let inputs = crate::setup::inputs::select_profiles(&args.data, &naming, pricer)?;
    let (profiles, warnings) = (inputs.profiles, inputs.warnings);
    Ok((profiles, warnings))
}

/// The bill of `profile` at `requests` a month under the options' setup.
fn bill(
    args: &EstimateArgs,
    scenario: &Scenario,
    pricer: &Pricer<'_>,
    traffic: &TrafficModel,
    profile: &Profile,
    requests: u64,
) -> Result<Priced, OutOfRange> {
    let share = cold_share(profile, requests, args.cold.choice(), traffic);
    price(profile, requests, share, scenario, pricer)
}

/// Who asked for what: the variants (their names) and their bills.
type Rows<'a> = [(usize, Priced)];

/// The names of the variants whose rows `pick` selects, each once, in order.
fn names_where(
    profiles: &[Profile],
    billed: &Rows<'_>,
    pick: impl Fn(&Priced) -> bool,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, b) in billed {
        if pick(b) && !names.contains(&profiles[*i].name) {
            names.push(profiles[*i].name.clone());
        }
    }
    names
}

/// Where the prices come from, as the user named it.
fn pricing_origin(args: &EstimateArgs) -> String {
    match &args.price.pricing {
        Some(p) => p.display().to_string(),
        None => crate::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    }
}

/// Where the variants come from, in words.
fn data_origin(args: &EstimateArgs) -> String {
    if args.duration_ms.is_some() {
        "one workload described on the command line".to_string()
    } else {
        crate::setup::inputs::describe(&args.data)
    }
}

/// The share of the month's invocations that arrive while Provisioned Concurrency is on.
fn pc_traffic_share(args: &EstimateArgs, pricer: &Pricer<'_>) -> Decimal {
    scenario(args)
        .provisioned
        .map_or(Decimal::ZERO, |pc| pc.traffic_share(pricer.month_hours()))
}

/// The account's part in the bill, in a sentence.
fn account_sentence(args: &EstimateArgs, pricer: &Pricer<'_>) -> String {
    let account = if args.price.account_gb_seconds.is_zero() {
        "this function alone fills the account's duration tiers (--account-gb-seconds adds the account's other usage)".to_string()
    } else {
        format!(
            "the account's other functions use {} GB-s this month",
            crate::format::grouped(args.price.account_gb_seconds, 0)
        )
    };
    let free = if args.price.free_tier {
        let (requests, gb_seconds) = pricer.free_tier_allowance();
        let left_gb = (gb_seconds - args.price.account_gb_seconds).max(Decimal::ZERO);
        let left_requests =
            (Decimal::from(requests) - args.price.account_requests).max(Decimal::ZERO);
        format!(
            "free tier subtracted: what the account's other usage leaves of it, {} requests and {} GB-s (--account-requests, --account-gb-seconds)",
            crate::format::grouped(left_requests, 0),
            crate::format::grouped(left_gb, 0)
        )
    } else {
        "free tier not applied (an account-level credit; --free-tier applies it)".to_string()
    };
    format!("Account: {account}; {free}.")
}

/// Provisioned Concurrency as priced, in a sentence.
fn pc_sentence(args: &EstimateArgs, pricer: &Pricer<'_>, n: u32) -> String {
    let hours = args.provisioned_hours.unwrap_or(pricer.month_hours());
    let how = match args.pc_overflow {
        PcOverflowArg::Queue => "an arrival that finds all of them busy runs on demand (Erlang B)",
        PcOverflowArg::None => {
            "every invocation of that window runs on them while their time allows (AWS's worked-example assumption; --pc-overflow queue models arrivals that find them busy)"
        }
    };
    format!(
        "Provisioned Concurrency: {n} environment{} for {} h a month, billed in 5-minute steps; {} of the invocations arrive while it is on{}; {how}.",
        if n == 1 { "" } else { "s" },
        hours.normalize(),
        crate::format::percent(pc_traffic_share(args, pricer)),
        if args.pc_traffic_share.is_none() {
            " (its hours over the month's; --pc-traffic-share sets it)"
        } else {
            ""
        }
    )
}

/// What the answer rests on, in short lines under the table: the cold-start share and the
/// prices (the data line is the report's own).
fn notes(args: &EstimateArgs, pricer: &Pricer<'_>, observed: bool) -> Vec<String> {
    vec![
        crate::present::sentences::cold_start_line(args.cold.choice(), &args.cold, observed),
        crate::present::sentences::prices_line(&args.price, pricer),
    ]
}

/// Every other assumption of an estimate, in full, printed with `--explain`.
fn details(
    args: &EstimateArgs,
    pricer: &Pricer<'_>,
    profiles: &[Profile],
    billed: &Rows<'_>,
) -> Vec<Detail> {
    let observed = profiles.iter().any(|p| p.observed_cold.is_some());
    let mut notes = vec![Detail::general(crate::present::sentences::cold_start_note(
        &args.cold,
        pricer.month_hours(),
        observed,
    ))];
    if args.duration_ms.is_none() {
        if profiles.iter().any(|p| p.measurements.is_none()) {
            notes.push(Detail::general(
                "Cold start of a summary row: its cold_start_ms is the billed duration of a cold invocation, INIT included; warm invocations bill ceil(warm_ms).",
            ));
        }
        notes.extend(crate::present::sentences::rebill_note(profiles, pricer).map(Detail::general));
    } else if args.init_ms.is_none() {
        notes.push(Detail::general(
            "Init duration: none given (--init-ms); cold starts are billed as warm ones.",
        ));
    }
    notes.push(Detail::general(crate::present::sentences::prices_detail(
        &args.price,
        pricer,
    )));
    notes.push(Detail::general(account_sentence(args, pricer)));
    if !args.price.arch.is_empty() && args.duration_ms.is_none() {
        notes.push(Detail::about(
            "arch",
            crate::present::sentences::ARCH_WHAT_IF,
        ));
    }
    if let Some(n) = args.provisioned_concurrency {
        notes.push(Detail::general(pc_sentence(args, pricer, n)));
    }
    if args.snapstart {
        notes.extend(snapstart_details(profiles, billed));
    }
    notes
}

/// How SnapStart was priced, and for which variants from what.
fn snapstart_details(profiles: &[Profile], billed: &Rows<'_>) -> Vec<Detail> {
    let mut notes = vec![Detail::general(
        "SnapStart: a restore is billed its Billed Restore Duration (loading the runtime and after-restore hooks) with the invoke; restoring the snapshot itself is free.",
    )];
    let sources = [
        (
            RestoreSource::Data,
            "the data's own mean Billed Restore Duration.",
        ),
        (
            RestoreSource::None,
            "no Billed Restore Duration in the data and none given (--restore-ms); restores are billed as warm invocations plus the per-GB restore charge.",
        ),
    ];
    for (source, how) in sources {
        let names = names_where(profiles, billed, |b| {
            b.snapstart == SnapStartUse::Restore(source)
        });
        if !names.is_empty() {
            notes.push(Detail::general(format!(
                "SnapStart restores of {}: {how}",
                names.join(", ")
            )));
        }
    }
    notes
}

/// What the user should not miss, printed on standard error.
fn warnings(
    args: &EstimateArgs,
    pricer: &Pricer<'_>,
    profiles: &[Profile],
    billed: &Rows<'_>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if args.price.free_tier && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        warnings.push(
            "--free-tier: AWS does not apply the free tier to functions with Provisioned Concurrency; not applied".to_string(),
        );
    }
    for (i, b) in billed {
        let concurrency = b.cost.mean_concurrency(pricer.month_hours());
        if concurrency > Decimal::from(1000) {
            warnings.push(format!(
                "{} at {}: {} invocations in flight on average, beyond Lambda's default limit of 1,000 concurrent executions per region (a quota increase is needed, or invocations are throttled)",
                profiles[*i].name,
                crate::format::short_count(b.cost.requests),
                crate::format::grouped(concurrency, 0)
            ));
        }
    }
    let skipped = names_where(profiles, billed, |b| {
        b.snapstart == SnapStartUse::Unavailable
    });
    if !skipped.is_empty() {
        warnings.push(format!(
            "--snapstart: SnapStart is not available on the runtime of {}; estimated without it",
            skipped.join(", ")
        ));
    }
    let mut used = vec![RateGroup::Requests, RateGroup::Duration];
    // Tiers above the first matter only to a bill that reaches them.
    let reaches_tier_2 = billed.iter().any(|(i, b)| {
        let tiers = &pricer.rates(profiles[*i].arch).duration_tiers;
        tiers
            .get(1)
            .is_some_and(|t| b.cost.gb_seconds + args.price.account_gb_seconds > t.from_gb_seconds)
    });
    if reaches_tier_2 {
        used.push(RateGroup::DurationTiers);
    }
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
                    "{} {arch}: {} rates assumed ({note})",
                    args.price.region,
                    group.as_str()
                ));
            }
        }
    }
    warnings
}

/// The assumptions as values: extra CSV columns, the JSON `assumptions` object.
fn assumptions(args: &EstimateArgs, pricer: &Pricer<'_>) -> Vec<(&'static str, Cell)> {
    let pc = args.provisioned_concurrency;
    let seconds = |ms: Decimal| Cell::Number(ms / Decimal::from(1000), 0);
    vec![
        ("region", Cell::Text(args.price.region.clone())),
        ("month_hours", Cell::Number(pricer.month_hours(), 0)),
        ("free_tier", Cell::Flag(args.price.free_tier)),
        (
            "account_gb_seconds",
            Cell::Number(args.price.account_gb_seconds, 0),
        ),
        (
            "account_requests",
            Cell::Number(args.price.account_requests, 0),
        ),
        (
            "ephemeral_storage_mb",
            Cell::Count(u64::from(args.ephemeral_storage_mb)),
        ),
        (
            "provisioned_concurrency",
            Cell::Count(u64::from(pc.unwrap_or(0))),
        ),
        (
            "provisioned_hours",
            match pc {
                Some(_) => Cell::Number(args.provisioned_hours.unwrap_or(pricer.month_hours()), 0),
                None => Cell::Number(Decimal::ZERO, 0),
            },
        ),
        (
            "pc_traffic_share",
            match pc {
                Some(_) => Cell::Share(pc_traffic_share(args, pricer)),
                None => Cell::Empty,
            },
        ),
        ("snapstart", Cell::Flag(args.snapstart)),
        ("idle_reclaim_s", seconds(args.cold.idle_reclaim)),
        ("env_lifetime_s", seconds(args.cold.env_lifetime)),
        (
            "init_billing_effective",
            Cell::Text(pricer.init_rule_since().to_string()),
        ),
        ("pricing", Cell::Text(pricing_origin(args))),
        (
            "pricing_effective",
            Cell::Text(pricer.provenance().1.to_string()),
        ),
        ("data", Cell::Text(data_origin(args))),
    ]
}
