//! A diff for machines and for a pull request: the JSON document, the Markdown comment, and
//! the job summary of a GitHub Actions run.

use super::words::{said, signed_decimal_pct, signed_pct, verdict};
use crate::cli::DiffArgs;
use crate::report::{Cell, Report};
use anyhow::Result;
use lambcost_core::diff::{Metric, Phase};
use lambcost_core::format::{short_count, usd_cents};
use lambcost_core::gate::{Pair, pct_change};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub(super) fn document(
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
pub(super) fn markdown(args: &DiffArgs, pairs: &[Pair<'_>], report: &Report) -> String {
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
