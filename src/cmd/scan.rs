//! `lambcost scan`: every function of the account in the regions named, with what its logs
//! of the window show (invocations, cold starts, durations, peak memory), the month's cost
//! at that traffic, and what the evidence says to do next; the dearest first.

use crate::cli::ScanArgs;
use crate::report::{Cell, Column, Report, json_value};
use anyhow::Result;
use lambcost_core::profile::Profile;
use lambcost_core::scan::{Finding, Observed, findings};
use rust_decimal::Decimal;
use serde_json::json;

/// One function as scanned.
struct Scanned {
    facts: crate::setup::aws::Facts,
    profile: Option<Profile>,
    monthly_usd: Decimal,
    findings: Vec<Finding>,
    /// Why its logs could not be read, when they could not: the function is listed anyway.
    unread: Option<String>,
}

/// Runs `lambcost scan`.
pub fn run(args: &ScanArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(args.pricing.as_deref(), None)?;
    let modes = lambcost_core::modes::ModeBook::embedded();
    let today = crate::setup::context::today();
    let window = crate::setup::aws::window();
    let dir = tempfile::tempdir()?;
    let mut regions: Vec<String> = Vec::new();
    for r in &args.regions {
        if !regions.contains(r) {
            regions.push(r.clone());
        }
    }
    if regions.is_empty() {
        regions.push(crate::setup::aws::default_region());
    }
    let keep = |runtime: &str| args.runtime.as_deref().is_none_or(|p| matches(p, runtime));
    let mut scanned = Vec::new();
    for region in &regions {
        let pricer = lambcost_core::cost::Pricer::new(
            &book,
            region,
            lambcost_core::cost::Account {
                month_hours: None,
                gb_seconds: Decimal::ZERO,
                requests: Decimal::ZERO,
                free_tier: false,
                billing_date: today,
                savings_plan: Decimal::ZERO,
            },
        )
        .map_err(|e| anyhow::anyhow!("--region: {e}"))?;
        for (facts, file) in crate::setup::aws::scan_region(region, &keep, dir.path())? {
            // One function whose logs cannot be read is listed with why; the scan goes on.
            match one(facts.clone(), &file, &pricer, &modes, today, window) {
                Ok(s) => scanned.push(s),
                Err(e) => {
                    let why =
                        crate::app::one_line(&e).replace(&*file.to_string_lossy(), &facts.input);
                    scanned.push(Scanned {
                        findings: Vec::new(),
                        profile: None,
                        monthly_usd: Decimal::ZERO,
                        unread: Some(why),
                        facts,
                    });
                }
            }
        }
    }
    scanned.sort_by_key(|s| std::cmp::Reverse(s.monthly_usd));
    Ok(report(&scanned, &regions, window))
}

/// `dotnet*` matches `dotnet8`: `*` stands for any run of characters.
fn matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap_or((&"", &[]));
    let Some(mut left) = text.strip_prefix(first) else {
        return false;
    };
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        if last {
            return left.ends_with(part);
        }
        match left.find(part) {
            Some(at) => left = &left[at + part.len()..],
            None => return false,
        }
    }
    left.is_empty()
}

/// One function: its events read as `compare` reads them, priced at the window's traffic.
fn one(
    facts: crate::setup::aws::Facts,
    file: &std::path::Path,
    pricer: &lambcost_core::cost::Pricer<'_>,
    modes: &lambcost_core::modes::ModeBook,
    today: lambcost_core::units::Date,
    (since_ms, until_ms): (i64, i64),
) -> Result<Scanned> {
    let mut profile = None;
    if facts.events > 0 {
        let naming =
            crate::setup::inputs::LogNaming::plain(lambcost_core::grouping::GroupBy::Input, 1);
        let assembled =
            crate::setup::inputs::load_profiles(&[file.to_path_buf()], &naming, pricer)?;
        profile = assembled.profiles.into_iter().next().map(|mut p| {
            p.arch = facts.arch;
            if !facts.runtime.is_empty() {
                p.runtime.clone_from(&facts.runtime);
            }
            p
        });
    }
    let window_ms = (until_ms - since_ms).max(1);
    let m = profile.as_ref().and_then(|p| p.measurements.as_ref());
    let invocations = m.map_or(0, |m| m.cold.count + m.warm.count);
    let billed_ms = m.map_or(0, |m| m.cold.billed_ms_sum + m.warm.billed_ms_sum);
    let month_ms = pricer.month_hours() * Decimal::from(3_600_000);
    let requests = (Decimal::from(invocations) * month_ms / Decimal::from(window_ms))
        .round()
        .try_into()
        .unwrap_or(0u64);
    let monthly_usd = match &profile {
        Some(p) => {
            // Observed shares price the month; the model stands in only without one.
            let model = lambcost_core::traffic::TrafficModel {
                month_hours: rust_decimal::prelude::ToPrimitive::to_f64(&pricer.month_hours())
                    .unwrap_or(730.0),
                ..lambcost_core::traffic::TrafficModel::default()
            };
            lambcost_core::scenario::on_demand(
                p,
                requests,
                lambcost_core::share::ShareChoice::Observed,
                &model,
                pricer,
            )?
            .cost
            .total_usd()
        }
        None => Decimal::ZERO,
    };
    let observed = Observed {
        runtime: facts.runtime.clone(),
        memory_mb: facts.memory_mb,
        invocations,
        cold_starts: m.map_or(0, |m| m.cold.count),
        cold_p99_ms: m.and_then(|m| m.cold.cold_start_ms.as_ref()).map(|s| s.p99),
        max_memory_used_mb: profile.as_ref().and_then(Profile::peak_memory_mb),
        provisioned: facts.provisioned.iter().map(|(_, n)| n).sum(),
        mean_concurrency: billed_ms as f64 / window_ms as f64,
    };
    Ok(Scanned {
        findings: findings(&observed, modes, today),
        facts,
        profile,
        monthly_usd,
        unread: None,
    })
}

/// A finding in words, with what to run next.
fn finding(f: &Finding, facts: &crate::setup::aws::Facts) -> String {
    match f {
        Finding::NoInvocations => "no invocation in the window (no log, or no traffic)".to_string(),
        Finding::DeprecatedRuntime { runtime, on } => {
            format!(
                "{runtime} deprecated on {on}: no more security patches; move to a supported runtime"
            )
        }
        Finding::NativeAotCandidate { cold_p99_ms } => format!(
            "cold starts p99 {}: a NativeAOT candidate (lambcost assess next)",
            lambcost_core::format::ms_or_s(*cold_p99_ms)
        ),
        Finding::MemoryOversized {
            memory_mb,
            max_used_mb,
        } => format!(
            "uses at most {max_used_mb} of {memory_mb} MB: power-tune it (lambcost measure --memory-mb …)"
        ),
        Finding::ProvisionedIdle {
            environments,
            mean_concurrency,
        } => format!(
            "{environments} provisioned environments, {mean_concurrency:.2} busy on average: mostly idle (of {})",
            facts.function
        ),
    }
}

fn stat(
    s: Option<&lambcost_core::stats::Summary>,
    f: fn(&lambcost_core::stats::Summary) -> f64,
) -> Cell {
    s.map_or(Cell::Empty, |s| {
        Cell::Number(Decimal::try_from(f(s)).unwrap_or_default().round_dp(1), 1)
    })
}

fn report(scanned: &[Scanned], regions: &[String], (since, until): (i64, i64)) -> Report {
    let columns = vec![
        Column::shown("function", "Function"),
        Column::shown("region", "Region").redundant_if(regions.len() == 1),
        Column::shown("runtime", "Runtime"),
        Column::shown("memory_mb", "MB"),
        Column::shown("arch", "Arch").optional(3),
        Column::shown("invocations", "Invocations"),
        Column::shown("cold_starts", "Cold").optional(2),
        Column::shown("duration_p50_ms", "p50 ms").optional(4),
        Column::shown("duration_p99_ms", "p99 ms"),
        Column::shown("init_p99_ms", "Init p99").optional(2),
        Column::shown("max_memory_used_mb", "Peak MB").optional(3),
        Column::shown("monthly_usd", "$/month"),
        Column::shown("findings", "Findings").optional(1),
    ];
    let mut rows = Vec::new();
    let mut docs = Vec::new();
    let mut body = Vec::new();
    for s in scanned {
        let m = s.profile.as_ref().and_then(|p| p.measurements.as_ref());
        let duration = m.and_then(|m| m.warm.duration_ms.as_ref().or(m.cold.duration_ms.as_ref()));
        let init = m.and_then(|m| m.cold.init_ms.as_ref());
        let mut words: Vec<String> = s.findings.iter().map(|f| finding(f, &s.facts)).collect();
        if let Some(why) = &s.unread {
            words.push(format!("its logs could not be read: {why}"));
        }
        words.extend(s.facts.notes.iter().cloned());
        let peak = s.profile.as_ref().and_then(Profile::peak_memory_mb);
        rows.push(vec![
            Cell::Text(s.facts.function.clone()),
            Cell::Text(s.facts.region.clone()),
            Cell::Text(s.facts.runtime.clone()),
            Cell::Count(s.facts.memory_mb.into()),
            Cell::Text(s.facts.arch.to_string()),
            Cell::Count(m.map_or(0, |m| m.cold.count + m.warm.count)),
            Cell::Count(m.map_or(0, |m| m.cold.count)),
            stat(duration, |s| s.median),
            stat(duration, |s| s.p99),
            stat(init, |s| s.p99),
            peak.map_or(Cell::Empty, |p| Cell::Count(p.into())),
            Cell::Usd(s.monthly_usd),
            Cell::Text(words.len().to_string()),
        ]);
        for w in &words {
            body.push(format!("{}: {w}", s.facts.function));
        }
        let number = |c: Cell| json_value(&c);
        docs.push(json!({
            "function": s.facts.function,
            "region": s.facts.region,
            "runtime": s.facts.runtime,
            "memory_mb": s.facts.memory_mb,
            "arch": s.facts.arch.as_str(),
            "invocations": m.map_or(0, |m| m.cold.count + m.warm.count),
            "cold_starts": m.map_or(0, |m| m.cold.count),
            "duration_ms": {"p50": number(stat(duration, |s| s.median)), "p99": number(stat(duration, |s| s.p99))},
            "init_ms": {"p50": number(stat(init, |s| s.median)), "p99": number(stat(init, |s| s.p99))},
            "max_memory_used_mb": peak,
            "monthly_usd": json_value(&Cell::Usd(s.monthly_usd)),
            "provisioned_concurrency": s.facts.provisioned.iter().map(|(_, n)| n).sum::<u32>(),
            "log_group": s.facts.log_group,
            "findings": words,
        }));
    }
    let span = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
    };
    let total: Decimal = scanned.iter().map(|s| s.monthly_usd).sum();
    let title = format!(
        "lambcost scan: {} function{} in {}, {} a month at the window's traffic",
        scanned.len(),
        if scanned.len() == 1 { "" } else { "s" },
        regions.join(", "),
        lambcost_core::format::usd_cents(total)
    );
    let mut all_body = vec![title.clone()];
    all_body.extend(body);
    Report {
        title,
        columns,
        rows,
        body: all_body,
        notes: vec![
            format!(
                "Window: {} to {} (--since, --until); each function's invocations over it, scaled to a 730-hour month, priced on demand at its observed cold share.",
                span(since),
                span(until)
            ),
            "Sources: ListFunctions, ListProvisionedConcurrencyConfigs and FilterLogEvents (REPORT lines) of the account.".to_string(),
        ],
        data: format!("the account's functions in {}", regions.join(", ")),
        json: Some(json!({ "functions": docs })),
        ..Report::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_runtime_pattern_matches_as_a_shell_would() {
        assert!(super::matches("dotnet*", "dotnet8"));
        assert!(super::matches("*al2023", "provided.al2023"));
        assert!(super::matches("python3.1*", "python3.12"));
        assert!(!super::matches("dotnet*", "python3.12"));
        assert!(super::matches("dotnet8", "dotnet8"));
        assert!(!super::matches("dotnet8", "dotnet8x"));
    }
}
