//! Sentences several reports print under their tables: how cold starts were counted, which
//! billing rules applied, and how re-billing changed measured invocations.

use lambcost_core::format::grouped;
use rust_decimal::Decimal;

/// The measured variants that re-bill differently from their logs, with their figures.
fn rebilled(
    profiles: &[lambcost_core::profile::Profile],
) -> Vec<(&str, &lambcost_core::profile::Rebill)> {
    profiles
        .iter()
        .filter_map(|p| p.rebilled.as_ref().map(|r| (p.name.as_str(), r)))
        .collect()
}

/// How much re-billing moves a log's billed total, percent (none when nothing was logged).
fn moved_pct(r: &lambcost_core::profile::Rebill) -> Option<Decimal> {
    let (from, to) = (ms(r.reported_ms), ms(r.rebilled_ms));
    (!from.is_zero()).then(|| (to - from) / from * Decimal::ONE_HUNDRED)
}

fn ms(ms: u128) -> Decimal {
    Decimal::from_i128_with_scale(ms.min(i64::MAX as u128) as i128, 0)
}

/// `+69.0%`.
fn signed_pct(pct: Decimal) -> String {
    format!(
        "{}{}%",
        if pct.is_sign_negative() { "" } else { "+" },
        pct.round_dp(1)
    )
}

/// How re-billing the measured variants under the billing date's rules changed them, in a
/// sentence (none when no variant was measured).
pub fn rebill_note(
    profiles: &[lambcost_core::profile::Profile],
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Option<String> {
    let measured = rebilled(profiles);
    if measured.is_empty() {
        return None;
    }
    let changed: Vec<String> = measured
        .iter()
        .filter(|(_, r)| r.changed > 0)
        .map(|(name, r)| {
            let change = moved_pct(r).map_or(String::new(), |p| format!(", {}", signed_pct(p)));
            format!(
                "{name} {} of {} invocations, {} ms billed as logged, {} ms now{change}",
                grouped(Decimal::from(r.changed), 0),
                grouped(Decimal::from(r.reported), 0),
                grouped(ms(r.reported_ms), 0),
                grouped(ms(r.rebilled_ms), 0),
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

/// The variants whose logs' billed totals re-billing moves by more than 1%, in one short
/// line under the table: a figure that differs from the bill the log shows is said where it
/// is seen, not only under `--explain`.
pub fn rebill_line(
    profiles: &[lambcost_core::profile::Profile],
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Option<String> {
    let moved: Vec<String> = rebilled(profiles)
        .into_iter()
        .filter_map(|(name, r)| {
            let pct = moved_pct(r).filter(|p| p.abs() > Decimal::ONE)?;
            Some(format!(
                "{name} {} ms against {} ms as logged ({})",
                grouped(ms(r.rebilled_ms), 0),
                grouped(ms(r.reported_ms), 0),
                signed_pct(pct)
            ))
        })
        .collect();
    (!moved.is_empty()).then(|| {
        format!(
            "Re-billed under the rules of {} (--billing-date): {}.",
            pricer.billing_date(),
            moved.join("; ")
        )
    })
}

/// The billing rules in force on the billing date, in a sentence.
pub fn rules_sentence(pricer: &lambcost_core::cost::Pricer<'_>) -> String {
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

/// The sentence that says how cold starts were counted.
pub fn cold_start_note(
    args: &crate::cli::ColdStartArgs,
    month_hours: rust_decimal::Decimal,
    observed: bool,
) -> String {
    use lambcost_core::share::ShareChoice;
    let model = format!(
        "the traffic model's share (Poisson arrivals over a {month_hours}-hour month, one invocation per environment at a time, idle environments reclaimed after {} and recycled after {})",
        lambcost_core::format::human_duration(args.idle_reclaim),
        lambcost_core::format::human_duration(args.env_lifetime),
    );
    match args.choice() {
        ShareChoice::Given(r) => format!(
            "Cold starts: {} of invocations, as given.",
            lambcost_core::format::percent(r)
        ),
        ShareChoice::Observed => format!(
            "Cold starts: the share observed in each variant's samples or logs; for summary rows {model}."
        ),
        ShareChoice::Replayed => format!(
            "Cold starts: each variant's share when {}'s arrivals are replayed through its environments (idle ones reclaimed after {}, retired after {}), the same at every level (lambcost replay shows the replay).",
            args.replay_file(),
            lambcost_core::format::human_duration(args.idle_reclaim),
            lambcost_core::format::human_duration(args.env_lifetime),
        ),
        ShareChoice::Model => {
            if observed {
                format!(
                    "Cold starts: {model}; the observed share is shown beside it (--cold-start-rate observed prices with it)."
                )
            } else {
                format!("Cold starts: {model}; --cold-start-rate sets it.")
            }
        }
    }
}

/// What `--arch` does to measured durations, in a sentence.
pub const ARCH_WHAT_IF: &str = "Architecture: durations are the data's own, measured on each variant's architecture, priced on the architecture shown (a what-if until measured there).";

/// The variants priced on an architecture their durations were not measured on, in one
/// line: a what-if the reader must not take for a measurement.
pub fn what_if_line<'a>(
    profiles: impl IntoIterator<Item = &'a lambcost_core::profile::Profile>,
) -> Option<String> {
    let mut by: Vec<(
        lambcost_core::pricing::Arch,
        lambcost_core::pricing::Arch,
        Vec<String>,
    )> = Vec::new();
    let mut count = 0;
    for p in profiles {
        count += 1;
        let Some(measured) = p.measured_arch else {
            continue;
        };
        match by
            .iter_mut()
            .find(|(m, a, _)| *m == measured && *a == p.arch)
        {
            Some((_, _, names)) => names.push(p.label()),
            None => by.push((measured, p.arch, vec![p.label()])),
        }
    }
    let parts: Vec<String> = by
        .into_iter()
        .map(|(measured, arch, names)| {
            let which = if names.len() == count {
                "every variant".to_string()
            } else {
                names.join(", ")
            };
            format!("{which} priced on {arch} with durations measured on {measured}")
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "What-if: {}; measure on the architecture priced before counting on the difference.",
            parts.join("; ")
        )
    })
}

/// What a mixed row of the slides is made of, in a clause: "aot-net9 mixes two builds of
/// the talk repository: its 1006 ms cold start is aot-net9's on provided.al2023 (warm 19 ms),
/// its 14 ms warm is aot-net9-dotnet8's on dotnet8 (cold 971 ms)".
pub fn mixed_clause(m: &lambcost_core::variant::Mixed) -> String {
    let warm = match &m.warm_from {
        Some(w) => format!(
            "its {} ms warm is {}'s on {} (cold {} ms)",
            m.row.warm_ms, w.name, w.runtime, w.cold_start_ms
        ),
        None => format!("its {} ms warm is no build's", m.row.warm_ms),
    };
    format!(
        "{} mixes two builds of the talk repository: its {} ms cold start is {}'s on {} (warm {} ms), {warm}",
        m.row.name, m.row.cold_start_ms, m.own.name, m.own.runtime, m.own.warm_ms
    )
}

/// How cold starts were counted, in one short line (the full sentence is a detail).
pub fn cold_start_line(
    choice: lambcost_core::share::ShareChoice,
    args: &crate::cli::ColdStartArgs,
    observed_shown: bool,
) -> String {
    use lambcost_core::share::ShareChoice;
    match choice {
        ShareChoice::Given(r) => format!(
            "Cold starts: {} of invocations, as given.",
            lambcost_core::format::percent(r)
        ),
        ShareChoice::Observed => {
            "Cold starts: as observed in each log or samples file (summary rows: traffic model)."
                .to_string()
        }
        ShareChoice::Replayed => format!(
            "Cold starts: each variant's share in a replay of {}'s arrivals.",
            args.replay_file(),
        ),
        ShareChoice::Model if observed_shown => {
            "Cold starts: the traffic model's share prices the month; Observed is the data's."
                .to_string()
        }
        ShareChoice::Model => format!(
            "Cold starts: traffic model at each level (idle {}, lifetime {}).",
            lambcost_core::format::human_duration(args.idle_reclaim),
            lambcost_core::format::human_duration(args.env_lifetime),
        ),
    }
}

/// The prices in one short line: region, date, file, free tier.
pub fn prices_line(
    price: &crate::cli::PriceArgs,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> String {
    let file = match &price.pricing {
        Some(p) => p.display().to_string(),
        None => "embedded".to_string(),
    };
    format!(
        "Prices: {}, effective {} ({file}); free tier {}{}.",
        price.region,
        pricer.provenance().1,
        if price.free_tier {
            "subtracted"
        } else {
            "not applied"
        },
        savings_plan_clause(price)
    )
}

/// The Savings Plan priced, as a note of its own, for reports whose notes name no prices.
pub fn savings_plan_note(price: &crate::cli::PriceArgs) -> Option<String> {
    let clause = savings_plan_clause(price);
    (!clause.is_empty()).then(|| format!("Prices: {}.", clause.trim_start_matches("; ")))
}

/// `; Savings Plan 17% off duration and Provisioned Concurrency`, when one is given.
fn savings_plan_clause(price: &crate::cli::PriceArgs) -> String {
    match price.savings_plan {
        Some(share) if !share.is_zero() => format!(
            "; Savings Plan {} off duration and Provisioned Concurrency (--savings-plan; not requests)",
            lambcost_core::format::percent(share)
        ),
        _ => String::new(),
    }
}

/// Where the prices come from and the rules applied, in full (a detail).
pub fn prices_detail(
    price: &crate::cli::PriceArgs,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> String {
    let (source, effective) = pricer.provenance();
    let file = match &price.pricing {
        Some(p) => p.display().to_string(),
        None => lambcost_core::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    };
    format!(
        "Prices: {} ({source}), effective {effective}, from {file}. {}{}",
        price.region,
        rules_sentence(pricer),
        match price.savings_plan {
            Some(share) if !share.is_zero() => format!(
                " A Compute Savings Plan of {} (--savings-plan, the user's own) is taken off on-demand duration, provisioned duration and Provisioned Concurrency; requests, storage and SnapStart are billed on demand, as AWS applies a plan.",
                lambcost_core::format::percent(share)
            ),
            _ => String::new(),
        }
    )
}
