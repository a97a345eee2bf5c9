//! `lambcost diff`: a budget guard for pull requests. BASE and NEW (anything `compare` reads)
//! are matched variant by variant; each gets its monthly cost at each level, its cold-start
//! and warm latency (mean, p50, p95, p99) with the change, its interval and the Mann-Whitney
//! test, its peak memory and its cold-start share. A threshold breaks only on a change past
//! it and significant (exit status 1). Markdown is made for a pull-request comment, and is
//! appended to `GITHUB_STEP_SUMMARY` when that is set.

use crate::cli::DiffArgs;
use crate::diff::{self, Metric, Phase, PhaseChange};
use crate::format::{grouped, short_count, usd_cents};
use crate::gate::{Gates, Pair, PhaseVerdict, Terms, Verdict, pct_change};
use crate::report::{Cell, Column, Report};
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Runs `lambcost diff`.
pub fn run(args: &DiffArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let naming = crate::setup::inputs::LogNaming {
        variants: &[],
        modes: &[],
        archs: &args.price.arch,
        strict: false,
        group_by: args.group_by.into(),
        threads: 0,
    };
    let base =
        crate::setup::inputs::select_profiles(std::slice::from_ref(&args.base), &naming, &pricer)?;
    let new =
        crate::setup::inputs::select_profiles(std::slice::from_ref(&args.new), &naming, &pricer)?;
    let mut warnings: Vec<String> = base.warnings.clone();
    warnings.extend(new.warnings.iter().cloned());
    let matched = crate::gate::matched(&base.profiles, &new.profiles);
    let unmatched = (matched.only_base, matched.only_new);
    if matched.pairs.is_empty() {
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
    let terms = Terms {
        levels: &args.requests,
        choice: args.cold.choice(),
        model: &model,
        pricer: &pricer,
        seed: args.seed,
    };
    let gates = gates(args);
    let mut compared = Vec::new();
    for (i, matched) in matched.pairs.into_iter().enumerate() {
        compared.push(crate::gate::pair(matched, &terms, &gates, i as u64)?);
    }
    let mut report = report(args, &compared, &unmatched, warnings);
    // The job summary is a courtesy: failing to write it must not hide the answer.
    if let Err(e) = step_summary(&report) {
        report.warnings.push(e.to_string());
    }
    Ok(report)
}

/// The thresholds the options set.
fn gates(args: &DiffArgs) -> Gates {
    Gates {
        slower: args.fail_slower.clone(),
        cost_above_pct: args.fail_cost_above,
        memory_above_pct: args.fail_memory_above,
        alpha: args.alpha,
    }
}

/// What a threshold said of a pair, in a sentence (after the variant's name).
fn sentence(v: &Verdict, alpha: f64) -> String {
    let named = |t: &diff::Threshold| label(t.phase, t.metric);
    match v {
        Verdict::Slower {
            threshold: t,
            change,
            lower,
        } => format!(
            "{} {} (limit {}%; at alpha {alpha} it grew by at least {})",
            named(t),
            signed_pct(*change),
            t.pct,
            signed_pct(*lower)
        ),
        Verdict::NoInvocations(t) => format!(
            "{}: no {} invocations on both sides, not gated",
            named(t),
            t.phase.as_str()
        ),
        Verdict::Unreliable {
            threshold: t,
            base_count,
            new_count,
        } => format!(
            "{}: {base_count} and {new_count} invocations, fewer than {} a side: unreliable, not gated",
            named(t),
            diff::MIN_SAMPLES
        ),
        Verdict::WithinNoise {
            threshold: t,
            change,
            lower,
        } => format!(
            "{} {}, past {}% but within the noise (at alpha {alpha} it grew by at least {}): not gated",
            named(t),
            signed_pct(*change),
            t.pct,
            signed_pct(*lower)
        ),
        Verdict::Faster(t) => format!("{}: significantly faster", named(t)),
        Verdict::Within {
            threshold: t,
            base_count,
            new_count,
            detect_from,
        } => format!(
            "{}: within {}% ({} and {} invocations){}",
            named(t),
            t.pct,
            grouped(Decimal::from(*base_count), 0),
            grouped(Decimal::from(*new_count), 0),
            detect_from.map_or_else(String::new, |n| format!(
                "; a {}% slowdown throughout is detected with 80% power from about {} a side",
                t.pct.max(1.0),
                grouped(Decimal::from(n), 0)
            ))
        ),
        Verdict::Cost {
            requests,
            change_pct,
            limit_pct,
        } => format!("{} (limit {limit_pct}%)", cost_said(*requests, *change_pct)),
        Verdict::CostUnreliable {
            requests,
            change_pct,
        } => format!(
            "{}, from fewer than {} invocations a side: not gated",
            cost_said(*requests, *change_pct),
            diff::MIN_SAMPLES
        ),
        Verdict::CostNotLonger {
            requests,
            change_pct,
        } => format!(
            "{}, but no significantly longer invocation behind it: not gated",
            cost_said(*requests, *change_pct)
        ),
        Verdict::Memory {
            base_mb,
            new_mb,
            change_pct,
            limit_pct,
        } => format!(
            "peak memory {base_mb} → {new_mb} MB, {} (limit {limit_pct}%)",
            signed_decimal_pct(*change_pct)
        ),
    }
}

/// `cost at 10M +12.0%`.
fn cost_said(requests: u64, change_pct: Decimal) -> String {
    format!(
        "cost at {} {}",
        short_count(requests),
        signed_decimal_pct(change_pct)
    )
}

/// The sentences of a pair's breaches, and of the thresholds that did not break.
fn said(p: &Pair<'_>, alpha: f64) -> (Vec<String>, Vec<String>) {
    let (breaches, quiet): (Vec<&Verdict>, Vec<&Verdict>) =
        p.verdicts.iter().partition(|v| v.breaks());
    let words = |list: Vec<&Verdict>| list.into_iter().map(|v| sentence(v, alpha)).collect();
    (words(breaches), words(quiet))
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
    match PhaseVerdict::of(c) {
        PhaseVerdict::FiguresOnly => "figures only: not tested",
        PhaseVerdict::Unreliable => "unreliable (too few)",
        PhaseVerdict::Slower => "slower",
        PhaseVerdict::Faster => "faster",
        PhaseVerdict::Unchanged => "no significant change",
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
    let breaches: usize = pairs.iter().map(|p| p.breaches().count()).sum();
    let gated = gates(args).any();
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
        let (breaches, quiet) = said(p, args.alpha);
        for b in &breaches {
            body.push(format!("BREACH {}: {b}", p.name));
        }
        for q in &quiet {
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
        answered_no: pairs.iter().any(|p| p.breaches().next().is_some()),
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
            let (breaches, quiet) = said(p, args.alpha);
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
                "breaches": breaches,
                "not_gated": quiet,
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
        let (breaches, _) = said(p, args.alpha);
        let verdict = if breaches.is_empty() {
            "ok".to_string()
        } else {
            format!("**breached**: {}", breaches.join("; "))
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
