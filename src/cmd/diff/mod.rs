//! `lambcost diff`: a budget guard for pull requests. BASE and NEW (anything `compare` reads)
//! are matched variant by variant; each gets its monthly cost at each level, its cold-start
//! and warm latency (mean, p50, p95, p99) with the change, its interval and the Mann-Whitney
//! test, its peak memory and its cold-start share. A threshold breaks only on a change past
//! it and significant (exit status 1). Markdown is made for a pull-request comment, and is
//! appended to `GITHUB_STEP_SUMMARY` when that is set.

mod document;
mod words;

use crate::cli::DiffArgs;
use crate::report::{Cell, Column, Report};
use anyhow::{Result, bail};
use document::{document, markdown, step_summary};
use lambcost_core::diff::{self, Metric};
use lambcost_core::format::{grouped, short_count};
use lambcost_core::gate::{Gates, Pair, Terms, pct_change};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use words::{interval, said, signed_decimal_pct, signed_pct, verdict};

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
    let matched = lambcost_core::gate::matched(&base.profiles, &new.profiles);
    let unmatched = (matched.only_base, matched.only_new);
    if matched.pairs.is_empty() {
        bail!(
            "{} and {}: no variant of one matches a variant of the other by name ({} against {})",
            args.base.display(),
            args.new.display(),
            lambcost_core::profile::names(&base.profiles),
            lambcost_core::profile::names(&new.profiles)
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
        compared.push(lambcost_core::gate::pair(
            matched, &terms, &gates, i as u64,
        )?);
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
    report
        .notes
        .extend(crate::present::sentences::savings_plan_note(&args.price));
    report.json = Some(document(args, pairs, unmatched, &report));
    let md = markdown(args, pairs, &report);
    report.markdown = Some(md);
    report
}
