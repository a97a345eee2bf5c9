//! `lambcost diff`: a budget guard for pull requests. BASE and NEW (anything `compare` reads)
//! are matched variant by variant; each gets its monthly cost at each level, its cold-start
//! and warm latency (mean, p50, p95, p99) with the change, its interval and the Mann-Whitney
//! test, its peak memory and its cold-start share. A threshold breaks only on a change past
//! it and significant (exit status 1). Markdown is made for a pull-request comment, and is
//! appended to `GITHUB_STEP_SUMMARY` when that is set.

use crate::cli::DiffArgs;
use crate::diff::{self, Metric, Phase, PhaseChange, Side};
use crate::format::{grouped, short_count, usd_cents};
use crate::profile::Profile;
use crate::report::{Cell, Column, Report};
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// One variant, before and after.
struct Pair<'a> {
    name: String,
    base: &'a Profile,
    new: &'a Profile,
    costs: Vec<(u64, Decimal, Decimal)>,
    phases: Vec<PhaseChange>,
    memory: Option<(u32, u32)>,
    shares: (Decimal, Decimal),
    breaches: Vec<String>,
    quiet: Vec<String>,
}

/// Runs `lambcost diff`.
pub fn run(args: &DiffArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let naming = crate::setup::inputs::LogNaming {
        variants: &[],
        modes: &[],
        archs: &args.price.arch,
        strict: false,
        group_by: args.group_by.into(),
        threads: 0,
    };
    let base = crate::setup::inputs::select_profiles(std::slice::from_ref(&args.base), &naming, &pricer)?;
    let new = crate::setup::inputs::select_profiles(std::slice::from_ref(&args.new), &naming, &pricer)?;
    let mut warnings: Vec<String> = base.warnings.clone();
    warnings.extend(new.warnings.iter().cloned());
    let (pairs, unmatched) = matched(&base.profiles, &new.profiles);
    if pairs.is_empty() {
        bail!(
            "{} and {}: no variant of one matches a variant of the other by name ({} against {})",
            args.base.display(),
            args.new.display(),
            crate::profile::names(&base.profiles),
            crate::profile::names(&new.profiles)
        );
    }
    for (side, list) in [("BASE", &unmatched.0), ("NEW", &unmatched.1)] {
        if !list.is_empty() {
            warnings.push(format!("only in {side}, not compared: {}", list.join(", ")));
        }
    }
    let model = crate::setup::context::traffic_model(&args.cold, pricer.month_hours());
    let mut compared = Vec::new();
    for (i, (name, b, n)) in pairs.into_iter().enumerate() {
        compared.push(pair(args, name, b, n, &pricer, &model, i as u64)?);
    }
    let mut report = report(args, &compared, &unmatched, warnings);
    // The job summary is a courtesy: failing to write it must not hide the answer.
    if let Err(e) = step_summary(&report) {
        report.warnings.push(e.to_string());
    }
    Ok(report)
}

/// Variants matched by name; a single variant on each side is matched whatever its name.
#[allow(clippy::type_complexity)]
fn matched<'a>(
    base: &'a [Profile],
    new: &'a [Profile],
) -> (
    Vec<(String, &'a Profile, &'a Profile)>,
    (Vec<String>, Vec<String>),
) {
    if let ([b], [n]) = (base, new) {
        let name = if b.name == n.name {
            b.name.clone()
        } else {
            format!("{} → {}", b.name, n.name)
        };
        return (vec![(name, b, n)], (Vec::new(), Vec::new()));
    }
    // By name; a variant that moved to another architecture is still itself, and says so.
    let pairs = base
        .iter()
        .filter_map(|b| {
            let n = new
                .iter()
                .find(|n| n.name == b.name && n.arch == b.arch)
                .or_else(|| new.iter().find(|n| n.name == b.name))?;
            let name = if n.arch == b.arch {
                b.name.clone()
            } else {
                format!("{} ({} → {})", b.name, b.arch, n.arch)
            };
            Some((name, b, n))
        })
        .collect();
    let only = |a: &[Profile], other: &[Profile]| {
        a.iter()
            .filter(|p| !other.iter().any(|o| o.name == p.name))
            .map(|p| p.name.clone())
            .collect()
    };
    (pairs, (only(base, new), only(new, base)))
}

/// A phase of summary rows (figures, no invocations): the means side by side, untested.
fn figures_only(base: &Profile, new: &Profile, phase: Phase) -> Option<PhaseChange> {
    let figure = |p: &Profile| match phase {
        Phase::Cold => p.cold_start.as_ref().map(|f| f.mean_ms),
        Phase::Warm => p.warm.as_ref().map(|f| f.mean_ms),
    };
    let (b, n) = (figure(base)?, figure(new)?);
    (b > 0.0).then(|| PhaseChange {
        phase,
        base_count: 0,
        new_count: 0,
        reliable: false,
        metrics: vec![diff::MetricChange {
            metric: Metric::Mean,
            base_ms: b,
            new_ms: n,
            change: n / b - 1.0,
            interval: None,
            lower: None,
        }],
        test: None,
        slower: false,
        differs: false,
    })
}

/// A phase's side for the tests: its buckets and exact figures; summary rows have none.
fn side(p: &Profile, phase: Phase) -> Option<Side<'_>> {
    let m = p.measurements.as_ref()?;
    let stats = match phase {
        Phase::Cold => &m.cold,
        Phase::Warm => &m.warm,
    };
    let summary = match phase {
        Phase::Cold => stats.cold_start_ms.as_ref(),
        Phase::Warm => stats.duration_ms.as_ref(),
    }?;
    Some(Side {
        buckets: &stats.buckets,
        mean: summary.mean,
        std_dev: summary.std_dev,
        count: stats.count,
    })
}

fn pair<'a>(
    args: &DiffArgs,
    name: String,
    base: &'a Profile,
    new: &'a Profile,
    pricer: &crate::cost::Pricer<'_>,
    model: &crate::traffic::TrafficModel,
    index: u64,
) -> Result<Pair<'a>> {
    let cost = |p: &Profile, level: u64| -> Result<(Decimal, Decimal)> {
        let priced = crate::scenario::on_demand(p, level, args.cold.choice(), model, pricer)?;
        Ok((priced.cost.total_usd(), priced.workload.cold_start_rate))
    };
    let mut costs = Vec::new();
    let mut shares = (Decimal::ZERO, Decimal::ZERO);
    for (k, &level) in args.requests.iter().enumerate() {
        let (b, bs) = cost(base, level)?;
        let (n, ns) = cost(new, level)?;
        if k == 0 {
            shares = (bs, ns);
        }
        costs.push((level, b, n));
    }
    let mut phases = Vec::new();
    for (k, phase) in [Phase::Cold, Phase::Warm].into_iter().enumerate() {
        if let (Some(b), Some(n)) = (side(base, phase), side(new, phase)) {
            let seed = args.seed ^ (index << 8) ^ k as u64;
            phases.push(diff::compare_phase(phase, b, n, args.alpha, seed));
        } else if let Some(c) = figures_only(base, new, phase) {
            phases.push(c);
        }
    }
    let memory = base.peak_memory_mb().zip(new.peak_memory_mb());
    let mut pair = Pair {
        name,
        base,
        new,
        costs,
        phases,
        memory,
        shares,
        breaches: Vec::new(),
        quiet: Vec::new(),
    };
    gate(args, &mut pair);
    Ok(pair)
}

/// The thresholds that break on a pair, and what could not be told.
fn gate(args: &DiffArgs, p: &mut Pair<'_>) {
    for t in &args.fail_slower {
        let said = slower_gate(args, p, t);
        match said {
            Gate::Breach(s) => p.breaches.push(s),
            Gate::Quiet(s) => p.quiet.push(s),
        }
    }
    if let Some(limit) = args.fail_cost_above {
        cost_gate(p, limit);
    }
    if let (Some(limit), Some((b, n))) = (args.fail_memory_above, p.memory)
        && b > 0
    {
        let change = Decimal::from(n) * Decimal::from(100) / Decimal::from(b) - Decimal::from(100);
        if change > limit {
            p.breaches.push(format!(
                "peak memory {b} → {n} MB, {} (limit {limit}%)",
                signed_decimal_pct(change)
            ));
        }
    }
}

/// What a threshold says of a pair: breached, or why not.
enum Gate {
    Breach(String),
    Quiet(String),
}

/// One `--fail-slower` threshold on a pair.
fn slower_gate(args: &DiffArgs, p: &Pair<'_>, t: &diff::Threshold) -> Gate {
    let name = label(t.phase, t.metric);
    let Some(change) = p.phases.iter().find(|c| c.phase == t.phase) else {
        return Gate::Quiet(format!(
            "{name}: no {} invocations on both sides, not gated",
            t.phase.as_str()
        ));
    };
    let metric = change.metrics.iter().find(|m| m.metric == t.metric);
    if let (true, Some(m)) = (diff::breaks(t, change), metric) {
        return Gate::Breach(format!(
            "{name} {} (limit {}%; at alpha {} it grew by at least {})",
            signed_pct(m.change),
            t.pct,
            args.alpha,
            signed_pct(m.lower.unwrap_or(0.0))
        ));
    }
    if !change.reliable {
        return Gate::Quiet(format!(
            "{name}: {} and {} invocations, fewer than {} a side: unreliable, not gated",
            change.base_count,
            change.new_count,
            diff::MIN_SAMPLES
        ));
    }
    if let Some(m) = metric
        && m.change * 100.0 > t.pct
    {
        return Gate::Quiet(format!(
            "{name} {}, past {}% but within the noise (at alpha {} it grew by at least {}): not gated",
            signed_pct(m.change),
            t.pct,
            args.alpha,
            signed_pct(m.lower.unwrap_or(0.0))
        ));
    }
    if change.differs && !change.slower {
        return Gate::Quiet(format!("{name}: significantly faster"));
    }
    let spread = side(p.base, t.phase).and_then(|s| diff::sigma_log(s.buckets));
    let needed = spread.and_then(|s| diff::samples_to_detect(s, t.pct.max(1.0), args.alpha));
    Gate::Quiet(format!(
        "{name}: within {}% ({} and {} invocations){}",
        t.pct,
        grouped(Decimal::from(change.base_count), 0),
        grouped(Decimal::from(change.new_count), 0),
        needed.map_or_else(String::new, |n| format!(
            "; a {}% slowdown throughout is detected with 80% power from about {} a side",
            t.pct.max(1.0),
            grouped(Decimal::from(n), 0)
        ))
    ))
}

/// `--fail-cost-above`: a dearer month breaks only where the invocations behind it are
/// significantly longer (a mean's one-sided bound above 0), or the memory setting changed,
/// and never on phases with too few invocations.
fn cost_gate(p: &mut Pair<'_>, limit: Decimal) {
    let reliable = p.phases.iter().any(|c| c.reliable);
    let longer = p.phases.iter().any(|c| {
        c.reliable
            && c.metrics
                .iter()
                .any(|m| m.metric == Metric::Mean && m.lower.is_some_and(|l| l > 0.0))
    });
    let memory_changed = p.base.memory_mb != p.new.memory_mb;
    for (level, b, n) in &p.costs {
        let Some(change) = pct_change(*b, *n) else {
            continue;
        };
        if change <= limit {
            continue;
        }
        let said = format!(
            "cost at {} {}",
            short_count(*level),
            signed_decimal_pct(change)
        );
        if reliable && (longer || memory_changed) {
            p.breaches.push(format!("{said} (limit {limit}%)"));
        } else if !reliable {
            p.quiet.push(format!(
                "{said}, from fewer than {} invocations a side: not gated",
                diff::MIN_SAMPLES
            ));
        } else {
            p.quiet.push(format!(
                "{said}, but no significantly longer invocation behind it: not gated"
            ));
        }
        break;
    }
}

fn pct_change(base: Decimal, new: Decimal) -> Option<Decimal> {
    (base > Decimal::ZERO).then(|| (new - base) * Decimal::from(100) / base)
}

fn label(phase: Phase, metric: Metric) -> String {
    format!("{} {}", phase.as_str(), metric.as_str())
}

fn signed_pct(change: f64) -> String {
    format!("{:+.1}%", change * 100.0)
}

fn signed_decimal_pct(change: Decimal) -> String {
    let r = change.round_dp(1);
    if r >= Decimal::ZERO {
        format!("+{r:.1}%")
    } else {
        format!("{r:.1}%")
    }
}

/// A phase's verdict in words.
fn verdict(c: &PhaseChange) -> &'static str {
    match (c.reliable, c.slower, c.differs) {
        (false, _, _) if c.base_count == 0 => "figures only: not tested",
        (false, _, _) => "unreliable (too few)",
        (true, true, _) => "slower",
        (true, false, true) => "faster",
        (true, false, false) => "no significant change",
    }
}

fn interval(i: Option<(f64, f64)>) -> String {
    i.map_or_else(String::new, |(lo, hi)| {
        format!("{:+.1}% to {:+.1}%", lo * 100.0, hi * 100.0)
    })
}

/// The report's rows: per variant, the costs, each phase's metrics, memory and share.
fn rows(pairs: &[Pair<'_>]) -> Vec<Vec<Cell>> {
    let ms = |v: f64| Cell::Number(Decimal::from_f64(v).unwrap_or_default().round_dp(1), 1);
    let mut out = Vec::new();
    for p in pairs {
        for (level, b, n) in &p.costs {
            out.push(vec![
                Cell::Text(p.name.clone()),
                Cell::Text(format!("$ @{}", short_count(*level))),
                Cell::Usd(*b),
                Cell::Usd(*n),
                Cell::Text(pct_change(*b, *n).map_or_else(String::new, signed_decimal_pct)),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
            ]);
        }
        for c in &p.phases {
            for m in &c.metrics {
                out.push(vec![
                    Cell::Text(p.name.clone()),
                    Cell::Text(format!("{} {} ms", c.phase.as_str(), m.metric.as_str())),
                    ms(m.base_ms),
                    ms(m.new_ms),
                    Cell::Text(signed_pct(m.change)),
                    Cell::Text(interval(m.interval)),
                    Cell::Text(if m.metric == Metric::Mean {
                        format!(
                            "{} (n {} / {})",
                            verdict(c),
                            grouped(Decimal::from(c.base_count), 0),
                            grouped(Decimal::from(c.new_count), 0)
                        )
                    } else {
                        String::new()
                    }),
                ]);
            }
        }
        if let Some((b, n)) = p.memory {
            out.push(vec![
                Cell::Text(p.name.clone()),
                Cell::Text("peak memory MB".into()),
                Cell::Count(u64::from(b)),
                Cell::Count(u64::from(n)),
                Cell::Text(
                    pct_change(Decimal::from(b), Decimal::from(n))
                        .map_or_else(String::new, signed_decimal_pct),
                ),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
            ]);
        }
        out.push(vec![
            Cell::Text(p.name.clone()),
            Cell::Text("cold-start share".into()),
            Cell::Share(p.shares.0),
            Cell::Share(p.shares.1),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ]);
    }
    out
}

/// The one-line verdict: cost and latency, and the gate.
fn summary(args: &DiffArgs, pairs: &[Pair<'_>]) -> String {
    let mut parts = Vec::new();
    for p in pairs {
        let cost = p
            .costs
            .last()
            .and_then(|(level, b, n)| {
                pct_change(*b, *n)
                    .map(|c| format!("cost {} at {}", signed_decimal_pct(c), short_count(*level)))
            })
            .unwrap_or_default();
        let latency: Vec<String> = p
            .phases
            .iter()
            .map(|c| {
                let p99 = c.metrics.iter().find(|m| m.metric == Metric::P99);
                format!(
                    "{} {}{}",
                    c.phase.as_str(),
                    verdict(c),
                    p99.map_or_else(String::new, |m| format!(" (p99 {})", signed_pct(m.change)))
                )
            })
            .collect();
        let mut s = format!("{}: {cost}", p.name);
        if !latency.is_empty() {
            s.push_str(&format!("; {}", latency.join(", ")));
        }
        parts.push(s);
    }
    let breaches: usize = pairs.iter().map(|p| p.breaches.len()).sum();
    let gated = !args.fail_slower.is_empty()
        || args.fail_cost_above.is_some()
        || args.fail_memory_above.is_some();
    let gate = match (gated, breaches) {
        (false, _) => String::new(),
        (true, 0) => " — within every threshold".to_string(),
        (true, n) => format!(" — {n} threshold(s) breached"),
    };
    format!("lambcost diff: {}{gate}", parts.join(" | "))
}

fn report(
    args: &DiffArgs,
    pairs: &[Pair<'_>],
    unmatched: &(Vec<String>, Vec<String>),
    warnings: Vec<String>,
) -> Report {
    let columns = vec![
        Column::shown("variant", "Variant").shown_if(pairs.len() > 1),
        Column::shown("what", "What"),
        Column::shown("base", "Base"),
        Column::shown("new", "New"),
        Column::shown("change", "Change"),
        Column::titled(
            "interval",
            format!("{:.0}% interval", (1.0 - args.alpha) * 100.0),
        )
        .abbreviated("Interval")
        .optional(2),
        Column::shown("verdict", "Verdict"),
    ];
    let title = summary(args, pairs);
    // The verdict first, under the table too.
    let mut body = vec![title.clone()];
    for p in pairs {
        for b in &p.breaches {
            body.push(format!("BREACH {}: {b}", p.name));
        }
        for q in &p.quiet {
            body.push(format!("{}: {q}", p.name));
        }
    }
    let mut report = Report {
        title,
        columns,
        rows: rows(pairs),
        notes: vec![format!(
            "Latency: Mann-Whitney U on the distributions at alpha {}; percentile intervals from {} seeded bootstrap resamples (seed {}); a threshold breaks only on a change past it and significant, never on fewer than {} invocations a side.",
            args.alpha,
            diff::REPLICATES,
            args.seed,
            diff::MIN_SAMPLES
        )],
        data: format!("BASE {}; NEW {}", args.base.display(), args.new.display()),
        body,
        warnings,
        answered_no: pairs.iter().any(|p| !p.breaches.is_empty()),
        ..Report::default()
    };
    report.json = Some(document(args, pairs, unmatched, &report));
    let md = markdown(args, pairs, &report);
    report.markdown = Some(md);
    report
}

fn document(
    args: &DiffArgs,
    pairs: &[Pair<'_>],
    unmatched: &(Vec<String>, Vec<String>),
    report: &Report,
) -> Value {
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let variants: Vec<Value> = pairs
        .iter()
        .map(|p| {
            json!({
                "variant": p.name,
                "base": p.base.name,
                "new": p.new.name,
                "costs": p.costs.iter().map(|(level, b, n)| json!({
                    "requests": level,
                    "base_usd": crate::report::json_value(&Cell::Usd(*b)),
                    "new_usd": crate::report::json_value(&Cell::Usd(*n)),
                    "change": pct_change(*b, *n).map(|c| f(c) / 100.0),
                })).collect::<Vec<_>>(),
                "phases": p.phases.iter().map(|c| json!({
                    "phase": c.phase,
                    "base_count": c.base_count,
                    "new_count": c.new_count,
                    "reliable": c.reliable,
                    "verdict": verdict(c),
                    "mann_whitney": c.test,
                    "metrics": c.metrics.iter().map(|m| json!({
                        "metric": m.metric,
                        "base_ms": m.base_ms,
                        "new_ms": m.new_ms,
                        "change": m.change,
                        "interval": m.interval.map(|(lo, hi)| vec![lo, hi]),
                        "lower": m.lower,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "max_memory_used_mb": p.memory.map(|(b, n)| json!({"base": b, "new": n})),
                "cold_start_share": {
                    "base": crate::report::json_value(&Cell::Share(p.shares.0)),
                    "new": crate::report::json_value(&Cell::Share(p.shares.1)),
                },
                "breaches": p.breaches,
                "not_gated": p.quiet,
            })
        })
        .collect();
    json!({
        "summary": report.title,
        "alpha": args.alpha,
        "seed": args.seed,
        "variants": variants,
        "unmatched": {"base": unmatched.0, "new": unmatched.1},
        "breached": report.answered_no,
        "data": report.data,
        "warnings": report.warnings,
    })
}

/// A pull-request comment: the verdict in one line, a short table, the rest folded.
fn markdown(args: &DiffArgs, pairs: &[Pair<'_>], report: &Report) -> String {
    let mut out = String::new();
    let mark = if report.answered_no { "❌" } else { "✅" };
    let _ = writeln!(out, "{mark} **{}**\n", report.title);
    let level = args.requests.last().copied().unwrap_or(1_000_000);
    let _ = writeln!(
        out,
        "| Variant | $ @{} | Warm p99 | Cold p99 | Verdict |\n|---|---|---|---|---|",
        short_count(level)
    );
    for p in pairs {
        let cost = p
            .costs
            .last()
            .map(|(_, b, n)| {
                format!(
                    "{} → {} ({})",
                    usd_cents(*b),
                    usd_cents(*n),
                    pct_change(*b, *n).map_or_else(String::new, signed_decimal_pct)
                )
            })
            .unwrap_or_default();
        let p99 = |phase: Phase| {
            p.phases
                .iter()
                .find(|c| c.phase == phase)
                .and_then(|c| {
                    c.metrics.iter().find(|m| m.metric == Metric::P99).map(|m| {
                        format!(
                            "{:.1} → {:.1} ms ({}, {})",
                            m.base_ms,
                            m.new_ms,
                            signed_pct(m.change),
                            verdict(c)
                        )
                    })
                })
                .unwrap_or_else(|| "n/a".to_string())
        };
        let verdict = if p.breaches.is_empty() {
            "ok".to_string()
        } else {
            format!("**breached**: {}", p.breaches.join("; "))
        };
        let _ = writeln!(
            out,
            "| {} | {cost} | {} | {} | {verdict} |",
            p.name,
            p99(Phase::Warm),
            p99(Phase::Cold)
        );
    }
    let _ = writeln!(out, "\n<details><summary>Details</summary>\n");
    out.push_str(&crate::report::table::markdown_grid(report));
    for line in report.body.iter().skip(1) {
        let _ = writeln!(out, "- {line}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "\n{note}");
    }
    let _ = writeln!(out, "\nData: {}.", report.data);
    for w in &report.warnings {
        let _ = writeln!(out, "\n> **Warning:** {w}");
    }
    let _ = writeln!(out, "\n</details>");
    out
}

/// Appends the Markdown to the job summary of a GitHub Actions run, when there is one.
pub fn step_summary(report: &Report) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let Some(md) = &report.markdown else {
        return Ok(());
    };
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(|e| {
            anyhow::anyhow!(
                "GITHUB_STEP_SUMMARY {}: cannot open: {e}",
                path.to_string_lossy()
            )
        })?;
    file.write_all(md.as_bytes()).map_err(|e| {
        anyhow::anyhow!(
            "GITHUB_STEP_SUMMARY {}: cannot write: {e}",
            path.to_string_lossy()
        )
    })?;
    Ok(())
}
