//! `lambcost recommend`: which build mode to ship. The knowledge comes from the modes file,
//! the numbers from the data (the deck's table by default, or the team's own measurements),
//! the constraints from the flags and the scenario; the decision, every rule behind it, the
//! warnings of the chosen mode and the migration path go out.

mod columns;

use crate::cli::RecommendArgs;
use crate::report::{Cell, Detail, Report};
use anyhow::{Context, Result};
use columns::{fields, other_arch, ranked, view};
use lambcost_core::decide::{self, Constraints, Decision};
use lambcost_core::format::usd_cents;
use lambcost_core::modes::ModeBook;
use lambcost_core::share::ShareChoice;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};

/// Runs `lambcost recommend`.
pub fn run(args: &RecommendArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let modes = match &args.modes_file {
        None => ModeBook::embedded(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the modes file", path.display()))?;
            ModeBook::from_yaml(&text, &path.display().to_string())?
        }
    };
    let ms = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let ask = decide::Ask {
        requests: args.requests,
        cold_start_slo_ms: args.cold_start_slo.map(ms),
        p99_slo_ms: args.p99_slo.map(ms),
        budget_usd: args.budget_usd,
        uses: args.uses.clone(),
        dotnet_version: args.dotnet_version,
        custom_runtime: args.custom_runtime,
        cold_start_rate: args.cold.cold_start_rate.as_ref().map(|c| c.choice),
        scenario: args.scenario.clone(),
    };
    decide::check(&modes, &ask)?;
    let project = match &args.project {
        Some(path) => {
            let e = lambcost_readers::dotnet::evidence::gather(path, &args.build_log, None, 0)?;
            let mut found =
                decide::project_evidence(&e.assessment, &path.display().to_string(), &modes);
            found.warnings.extend(e.warnings);
            found
        }
        None => decide::ProjectEvidence::default(),
    };
    let (constraints, rules) = decide::constraints(&modes, &ask, &project, pricer.billing_date())?;
    let mut warnings_from_project = project.warnings;
    let naming = crate::setup::inputs::LogNaming::of(&args.logs, &args.price.arch);
    lambcost_core::assemble::check_modes(&args.logs.modes, &modes)?;
    let inputs = crate::setup::inputs::select_profiles(&args.data, &naming, &pricer)?;
    let (mut profiles, mut warnings) = (inputs.profiles, inputs.warnings);
    warnings.append(&mut warnings_from_project);
    warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.cold,
        &pricer,
    )?);
    warnings.extend(crate::setup::context::price_warnings(&args.price));
    lambcost_core::assemble::require_modes(&profiles)?;
    lambcost_core::assemble::require_known_modes(&profiles, &modes)?;
    let model = crate::setup::context::traffic_model(&args.cold, pricer.month_hours());
    let mut decision = decide::decide(&modes, &profiles, &constraints, &pricer, &model)?;
    decision.rules.splice(0..0, rules);
    // A variant priced on an architecture it was not measured on is compared as a what-if.
    decision
        .rules
        .extend(crate::present::sentences::what_if_line(
            decision.ranking.iter().map(|k| &k.profile),
        ));
    let mixed = mixed_answer(
        &args.data,
        &profiles,
        (&modes, &constraints, &decision),
        &pricer,
        &model,
    )?;
    let mut report = report(args, &modes, &pricer, (&constraints, &decision), warnings);
    // Said right under the answer it decides.
    let at = report.body.len().min(2);
    report.body.splice(at..at, mixed.clone());
    if let Some(Value::Object(doc)) = report.json.as_mut() {
        doc.insert("mixed_rows".to_string(), json!(mixed));
        doc.insert("body".to_string(), json!(report.body));
    }
    Ok(report)
}

/// When the answer is a row of the slides whose figures are not one build's (their AOT .NET
/// 9), what it is made of and the answer with that build's own figures from the talk
/// repository, in a line.
fn mixed_answer(
    data: &[std::path::PathBuf],
    profiles: &[lambcost_core::profile::Profile],
    (modes, c, d): (&ModeBook, &Constraints, &Decision),
    pricer: &lambcost_core::cost::Pricer<'_>,
    model: &lambcost_core::traffic::TrafficModel,
) -> Result<Vec<String>> {
    let Some(best) = d.recommended() else {
        return Ok(Vec::new());
    };
    let mixed = crate::setup::inputs::mixed_rows(data, profiles, pricer.memory_range())?;
    let Some(m) = mixed
        .iter()
        .find(|m| m.row.name == best.profile.name && m.row.runtime == best.profile.runtime)
    else {
        return Ok(Vec::new());
    };
    // The same profiles, with the mixed row's build as it was measured, on each architecture.
    let own: Vec<lambcost_core::profile::Profile> = profiles
        .iter()
        .map(|p| {
            if p.name != m.row.name || p.runtime != m.row.runtime {
                return p.clone();
            }
            let mut q = lambcost_core::profile::Profile::from_variant(&m.own, pricer);
            (q.arch, q.measured_arch) = (p.arch, p.measured_arch);
            q
        })
        .collect();
    let again = decide::decide(modes, &own, c, pricer, model)?;
    let answer = match again.recommended() {
        Some(k) if k.profile.name == best.profile.name && k.profile.arch == best.profile.arch => {
            format!(
                "the answer is the same, at {} a month",
                usd_cents(k.cost.total_usd())
            )
        }
        Some(k) => format!(
            "the answer is {} ({}, {}{} MB) at {} a month",
            k.profile.name,
            k.profile.mode,
            if other_arch(&again) {
                format!("{}, ", k.profile.arch)
            } else {
                String::new()
            },
            k.profile.memory_mb,
            usd_cents(k.cost.total_usd())
        ),
        None => "no variant meets every constraint".to_string(),
    };
    Ok(vec![format!(
        "The answer rests on a mixed row: {}; with {}'s own figures (--data @talk-repo), {answer}.",
        crate::present::sentences::mixed_clause(m),
        m.own.name
    )])
}

fn report(
    args: &RecommendArgs,
    modes: &ModeBook,
    pricer: &lambcost_core::cost::Pricer<'_>,
    (c, d): (&Constraints, &Decision),
    mut warnings: Vec<String>,
) -> Report {
    let recommended = d.recommended();
    let title = match recommended {
        Some(best) => {
            let arch = if other_arch(d) {
                format!("{}, ", best.profile.arch)
            } else {
                String::new()
            };
            let work = if d.work.is_empty() {
                ""
            } else {
                " after the work listed"
            };
            let (usd, mut at) = (
                usd_cents(best.cost.total_usd()),
                lambcost_core::format::short_count(c.requests),
            );
            if let Some(measured) = best.profile.measured_arch {
                at.push_str(&format!(
                    ", a what-if on {} with durations measured on {measured}",
                    best.profile.arch
                ));
            }
            match d
                .runtime
                .as_ref()
                .and_then(|m| Some((m, m.deploy_on.as_deref()?)))
            {
                // Never "ship" on a deprecated runtime: the mode on its successor, and whose
                // figures those are.
                Some((m, to)) => format!(
                    "lambcost recommend: ship {} on {to} ({arch}{} MB){work}, {usd} a month at {at} with {}'s figures, measured on .NET {}",
                    best.profile.mode, best.profile.memory_mb, best.profile.name, m.version
                ),
                None => format!(
                    "lambcost recommend: ship {} ({}, {arch}{} MB){work}, {usd} a month at {at}",
                    best.profile.name, best.profile.mode, best.profile.memory_mb
                ),
            }
        }
        None => "lambcost recommend: no variant meets every constraint".to_string(),
    };
    let fields = fields();
    let rows = ranked(d, c);
    let mut report = Report {
        title: title.clone(),
        columns: crate::report::columns(&fields),
        rows: rows
            .iter()
            .map(|r| crate::report::row(&fields, r))
            .collect(),
        ..Report::default()
    };
    report.view = Some(view(d, c));
    report.body = body(modes, d, title);
    report.notes = vec![
        crate::present::sentences::cold_start_line(c.cold_start_rate, &args.cold, false),
        crate::present::sentences::prices_line(&args.price, pricer),
    ];
    report.data = if args.data.is_empty() {
        format!(
            "{}; the answer is for the talk's function, not yours (--data names your logs or table)",
            lambcost_core::variant::DEFAULT_RESULTS_ORIGIN
        )
    } else {
        crate::setup::inputs::describe(&args.data)
    };
    report.details = vec![
        Detail::general(crate::present::sentences::cold_start_note(
            &args.cold,
            pricer.month_hours(),
            false,
        )),
        Detail::general(crate::present::sentences::prices_detail(
            &args.price,
            pricer,
        )),
    ];
    if d.ranking.iter().any(|c| c.profile.measurements.is_none()) {
        report.details.push(Detail::about(
            "cold_start_ms",
            "Cold and warm p99: the 99th percentile where the data has samples; a summary row's single figure otherwise (the talk's table gives means), which is what the service levels are checked against.",
        ));
    }
    if !args.price.arch.is_empty() {
        report.details.push(Detail::about(
            "arch",
            crate::present::sentences::ARCH_WHAT_IF,
        ));
    }
    // Every check a variant passed, in full: the reasons above count them.
    report.details.extend(
        d.passes
            .iter()
            .map(|p| Detail::general(format!("Passed: {p}."))),
    );
    report.answered_no = !d.satisfiable;
    report.warnings.append(&mut warnings);
    report.json = Some(document(args, modes, c, d, &report));
    report
}

/// The answer in sentences: the choice and what it runs as, the runner-up, every reason,
/// what would help when nothing fits, what the chosen mode asks for and brings, and the way
/// there.
fn body(modes: &ModeBook, d: &Decision, title: String) -> Vec<String> {
    let recommended = d.recommended();
    let mut lines = vec![title];
    if let Some(best) = recommended {
        if let Some(mode) = modes.modes.get(&best.profile.mode) {
            // The runtime the answer deploys on: the variant's own (a row may run a mode on
            // another runtime than its usual one), its successor when deprecated.
            let runtime = match &d.runtime {
                Some(m) => m.runtime(),
                None if best.profile.runtime.is_empty() => &mode.runtime,
                None => &best.profile.runtime,
            };
            lines.push(format!("{} on {runtime}: {}.", mode.title, mode.runs_as));
        }
        if let Some(m) = d.runtime.as_ref().filter(|m| m.deploy_on.is_some()) {
            lines.push(format!(
                "The figures are {}'s, {} (no more security patches): deploy on {}, and measure it there to confirm them.",
                best.profile.name,
                m.measured(),
                m.runtime()
            ));
        }
        // The same build measured elsewhere (on a deprecated runtime the answer moved away
        // from) is no alternative to it.
        let same_build = |k: &&decide::Candidate| {
            k.profile.mode == best.profile.mode
                && k.profile.dotnet == best.profile.dotnet
                && k.profile.arch == best.profile.arch
                && k.profile.memory_mb == best.profile.memory_mb
                && k.profile.runtime != best.profile.runtime
        };
        if let Some(second) = d
            .ranking
            .iter()
            .skip(1)
            .take_while(|s| s.passes())
            .find(|s| !same_build(s))
        {
            let gap = second.cost.total_usd() - best.cost.total_usd();
            lines.push(format!(
                "Runner-up: {} ({}{}) at {} a month, {} {}.",
                second.profile.name,
                second.profile.mode,
                if other_arch(d) {
                    format!(", {}", second.profile.arch)
                } else {
                    String::new()
                },
                usd_cents(second.cost.total_usd()),
                usd_cents(gap.abs()),
                if gap.is_sign_negative() {
                    "less"
                } else {
                    "more"
                }
            ));
        }
    }
    if !d.work.is_empty() {
        lines.push(format!("Work first ({} item(s)):", d.work.len()));
        lines.extend(d.work.iter().map(|w| format!("  - {w}")));
    }
    lines.push("Reasons:".to_string());
    lines.extend(d.rules.iter().map(|r| format!("  - {r}")));
    if !d.remedies.is_empty() {
        lines.push("Without changing the build mode:".to_string());
        lines.extend(d.remedies.iter().map(|r| format!("  - {}", r.note)));
    }
    if !d.warnings.is_empty() {
        lines.push("Warnings:".to_string());
        lines.extend(d.warnings.iter().map(|w| format!("  - {w}")));
    }
    // The migration path leads away from the reference mode: shown when the choice is another.
    if recommended.is_some_and(|b| Some(b.profile.mode.as_str()) != modes.reference())
        && !modes.migration_path.is_empty()
    {
        lines.push("Migration path:".to_string());
        lines.extend(
            modes
                .migration_path
                .iter()
                .enumerate()
                .map(|(i, step)| format!("  {}. {step}", i + 1)),
        );
    }
    lines
}

fn document(
    args: &RecommendArgs,
    modes: &ModeBook,
    c: &Constraints,
    d: &Decision,
    report: &Report,
) -> Value {
    let usd = |v: Decimal| crate::report::json_value(&Cell::Usd(v));
    let ranking: Vec<Value> = d
        .ranking
        .iter()
        .enumerate()
        .map(|(i, cand)| {
            json!({
                "rank": cand.passes().then_some(i + 1),
                "variant": cand.profile.name,
                "mode": cand.profile.mode,
                "arch": cand.profile.arch.as_str(),
                "memory_size_mb": cand.profile.memory_mb,
                "total_usd": usd(cand.cost.total_usd()),
                "total_ci95_usd": cand.cost_uncertainty_usd,
                "cold_start_ms": cand.cold_start_ms,
                "warm_p99_ms": cand.warm_p99_ms,
                "cold_start_rate": crate::report::json_value(&Cell::Share(cand.cold_start_rate.0)),
                "cold_start_source": cand.cold_start_rate.1.as_str(),
                "passes": cand.passes(),
                "checks": cand.checks,
            })
        })
        .collect();
    let recommended = d.recommended().map(|b| {
        json!({
            "mode": b.profile.mode,
            "variant": b.profile.name,
            "arch": b.profile.arch.as_str(),
            "memory_size_mb": b.profile.memory_mb,
            "total_usd": usd(b.cost.total_usd()),
            "runtime": d.runtime.as_ref().map_or(b.profile.runtime.as_str(), |m| m.runtime()),
            "measured_on": d.runtime.as_ref().map(|m| json!({
                "runtime": m.measured_on,
                "dotnet": m.version,
                "deprecated": m.deprecated.to_string(),
            })),
        })
    });
    let alternatives: Vec<Value> = if d.satisfiable {
        let best = d.ranking[0].cost.total_usd();
        d.ranking
            .iter()
            .skip(1)
            .filter(|k| k.passes())
            .map(|k| {
                json!({
                    "variant": k.profile.name,
                    "mode": k.profile.mode,
                    "total_usd": usd(k.cost.total_usd()),
                    "difference_usd": usd(k.cost.total_usd() - best),
                })
            })
            .collect()
    } else {
        d.remedies
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
            .collect()
    };
    json!({
        "recommended": recommended,
        "satisfiable": d.satisfiable,
        "ranking": ranking,
        "rules": d.rules,
        "passes": d.passes,
        "warnings": d.warnings,
        "work": d.work,
        "alternatives": alternatives,
        "migration_path": modes.migration_path,
        "constraints": {
            "requests": c.requests,
            "scenario": args.scenario,
            "uses": c.uses,
            "cold_start_slo_ms": c.cold_start_slo_ms,
            "p99_slo_ms": c.p99_slo_ms,
            "budget_usd": c.budget_usd.map(usd),
            "dotnet_version": c.dotnet_version,
            "custom_runtime": c.custom_runtime,
            "objective": c.objective,
            "cold_start_rate": match c.cold_start_rate {
                ShareChoice::Given(r) => crate::report::json_value(&Cell::Share(r)),
                ShareChoice::Observed => Value::from("observed"),
                ShareChoice::Model => Value::from("model"),
                ShareChoice::Replayed => Value::from("replay"),
            },
        },
        "body": report.body,
        "data_warnings": report.warnings,
    })
}
