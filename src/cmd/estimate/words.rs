//! What an estimate says beside its table: the notes it rests on, the details `--explain`
//! adds, the warnings, and the assumptions as values.

use crate::cli::{EstimateArgs, PcOverflowArg};
use crate::report::{Cell, Detail};
use lambcost_core::cost::{PcOverflow, Pricer, RestoreSource};
use lambcost_core::pricing::Arch;
use lambcost_core::profile::Profile;
use lambcost_core::scenario::{PcPlan, Priced, Scenario, SnapStartUse};
use rust_decimal::Decimal;

/// Who asked for what: the variants (their names) and their bills.
pub(super) type Rows<'a> = [(usize, Priced)];

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
    match &args.cost.price.pricing {
        Some(p) => p.display().to_string(),
        None => lambcost_core::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    }
}

/// Where the variants come from, in words.
pub(super) fn data_origin(args: &EstimateArgs) -> String {
    if args.duration_ms.is_some() {
        "one workload described on the command line".to_string()
    } else {
        crate::setup::inputs::describe(&args.data)
    }
}

/// The share of the month's invocations that arrive while Provisioned Concurrency is on.
fn pc_traffic_share(args: &EstimateArgs, pricer: &Pricer<'_>) -> Decimal {
    let plan = PcPlan {
        environments: args.provisioned_concurrency.unwrap_or(0),
        hours: args.provisioned_hours,
        traffic_share: args.pc_traffic_share,
        overflow: PcOverflow::Queue,
    };
    plan.traffic_share(pricer.month_hours())
}

/// The account's part in the bill, in a sentence.
fn account_sentence(args: &EstimateArgs, pricer: &Pricer<'_>) -> String {
    let account = if args.cost.price.account_gb_seconds.is_zero() {
        "this function alone fills the account's duration tiers (--account-gb-seconds adds the account's other usage)".to_string()
    } else {
        format!(
            "the account's other functions use {} GB-s this month",
            lambcost_core::format::grouped(args.cost.price.account_gb_seconds, 0)
        )
    };
    let free = if args.cost.price.free_tier {
        let (requests, gb_seconds) = pricer.free_tier_allowance();
        let left_gb = (gb_seconds - args.cost.price.account_gb_seconds).max(Decimal::ZERO);
        let left_requests =
            (Decimal::from(requests) - args.cost.price.account_requests).max(Decimal::ZERO);
        format!(
            "free tier subtracted: what the account's other usage leaves of it, {} requests and {} GB-s (--account-requests, --account-gb-seconds)",
            lambcost_core::format::grouped(left_requests, 0),
            lambcost_core::format::grouped(left_gb, 0)
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
        lambcost_core::format::percent(pc_traffic_share(args, pricer)),
        if args.pc_traffic_share.is_none() {
            " (its hours over the month's; --pc-traffic-share sets it)"
        } else {
            ""
        }
    )
}

/// What the answer rests on, in short lines under the table: the cold-start share and the
/// prices (the data line is the report's own).
pub(super) fn notes(args: &EstimateArgs, pricer: &Pricer<'_>, observed: bool) -> Vec<String> {
    vec![
        crate::present::sentences::cold_start_line(
            args.cost.cold.choice(),
            &args.cost.cold,
            observed,
        ),
        crate::present::sentences::prices_line(&args.cost.price, pricer),
    ]
}

/// Every other assumption of an estimate, in full, printed with `--explain`.
pub(super) fn details(
    args: &EstimateArgs,
    pricer: &Pricer<'_>,
    profiles: &[Profile],
    billed: &Rows<'_>,
) -> Vec<Detail> {
    let observed = profiles.iter().any(|p| p.observed_cold.is_some());
    let mut notes = vec![Detail::general(crate::present::sentences::cold_start_note(
        &args.cost.cold,
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
        &args.cost.price,
        pricer,
    )));
    notes.push(Detail::general(account_sentence(args, pricer)));
    if !args.cost.price.arch.is_empty() && args.duration_ms.is_none() {
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
pub(super) fn warnings(
    args: &EstimateArgs,
    scenario: &Scenario,
    pricer: &Pricer<'_>,
    profiles: &[Profile],
    billed: &Rows<'_>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if args.cost.price.free_tier && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        warnings.push(
            "--free-tier: AWS does not apply the free tier to functions with Provisioned Concurrency; not applied".to_string(),
        );
    }
    for (i, b) in billed {
        if let Some(concurrency) =
            lambcost_core::scenario::beyond_default_quota(&b.cost, pricer.month_hours())
        {
            warnings.push(format!(
                "{} at {}: {} invocations in flight on average, beyond Lambda's default limit of 1,000 concurrent executions per region (a quota increase is needed, or invocations are throttled)",
                profiles[*i].name,
                lambcost_core::format::short_count(b.cost.requests),
                lambcost_core::format::grouped(concurrency, 0)
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
    let months = billed.iter().map(|(i, b)| (profiles[*i].arch, &b.cost));
    let used = lambcost_core::scenario::rate_groups(scenario, pricer, months);
    let mut archs: Vec<Arch> = profiles.iter().map(|s| s.arch).collect();
    archs.sort();
    archs.dedup();
    for arch in archs {
        for group in &used {
            if let Some(note) = pricer.assumed(arch, *group) {
                warnings.push(format!(
                    "{} {arch}: {} rates assumed ({note})",
                    args.cost.price.region,
                    group.as_str()
                ));
            }
        }
    }
    warnings
}

/// The assumptions as values: extra CSV columns, the JSON `assumptions` object.
pub(super) fn assumptions(args: &EstimateArgs, pricer: &Pricer<'_>) -> Vec<(&'static str, Cell)> {
    let pc = args.provisioned_concurrency;
    let seconds = |ms: Decimal| Cell::Number(ms / Decimal::from(1000), 0);
    vec![
        ("region", Cell::Text(args.cost.price.region.clone())),
        ("month_hours", Cell::Number(pricer.month_hours(), 0)),
        ("free_tier", Cell::Flag(args.cost.price.free_tier)),
        (
            "account_gb_seconds",
            Cell::Number(args.cost.price.account_gb_seconds, 0),
        ),
        (
            "account_requests",
            Cell::Number(args.cost.price.account_requests, 0),
        ),
        (
            "savings_plan",
            Cell::Share(args.cost.price.savings_plan.unwrap_or_default()),
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
        ("idle_reclaim_s", seconds(args.cost.cold.idle_reclaim)),
        ("env_lifetime_s", seconds(args.cost.cold.env_lifetime)),
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
