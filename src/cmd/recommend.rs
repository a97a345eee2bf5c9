//! `lambcost recommend`: which build mode to ship. The knowledge comes from the modes file,
//! the numbers from the data (the deck's table by default, or the team's own measurements),
//! the constraints from the flags and the scenario; the decision, every rule behind it, the
//! warnings of the chosen mode and the migration path go out.

use crate::cli::RecommendArgs;
use crate::decide::{self, Candidate, Constraint, Constraints, Decision};
use crate::format::usd_cents;
use crate::modes::ModeBook;
use crate::report::{Cell, Column, Detail, Field, Report, View};
use crate::share::ShareChoice;
use anyhow::{Context, Result};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde_json::{Value, json};

/// One ranked variant, as the CSV and the table show it.
pub struct Ranked<'a> {
    /// Its place among the variants that pass every constraint, from 1 (none for one that
    /// fails: a variant that cannot be shipped is not ranked).
    pub rank: Option<usize>,
    /// The variant as the engine saw it.
    pub candidate: &'a Candidate,
    /// Whether it is the one recommended.
    pub recommended: bool,
    /// The traffic level it was priced at.
    pub requests: u64,
}

/// The CSV columns, one row per variant, best first, each with its cell.
pub fn fields<'f>() -> Vec<Field<'f, Ranked<'f>>> {
    type R<'a> = Ranked<'a>;
    vec![
        Field::new(Column::data("rank"), |r: &R<'_>| {
            r.rank.map_or(Cell::Empty, |n| Cell::Count(n as u64))
        }),
        Field::new(Column::data("variant"), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.name.clone())
        }),
        Field::new(Column::data("mode"), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.mode.clone())
        }),
        Field::new(Column::data("arch"), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.arch.to_string())
        }),
        Field::new(Column::data("memory_mb"), |r: &R<'_>| {
            Cell::Count(u64::from(r.candidate.profile.memory_mb))
        }),
        Field::new(Column::data("requests"), |r: &R<'_>| {
            Cell::Count(r.requests)
        }),
        Field::new(Column::data("total_usd"), |r: &R<'_>| {
            Cell::Usd(r.candidate.cost.total_usd())
        }),
        Field::new(Column::data("total_ci95_usd"), |r: &R<'_>| {
            number(Some(r.candidate.cost_uncertainty_usd))
        }),
        Field::new(Column::data("cold_start_ms"), |r: &R<'_>| {
            number(r.candidate.cold_start_ms)
        }),
        Field::new(Column::data("warm_p99_ms"), |r: &R<'_>| {
            number(r.candidate.warm_p99_ms)
        }),
        Field::new(Column::data("cold_start_rate"), |r: &R<'_>| {
            Cell::Share(r.candidate.cold_start_rate.0)
        }),
        Field::new(Column::data("passes"), |r: &R<'_>| {
            Cell::Flag(r.candidate.passes())
        }),
        Field::new(Column::data("failed_constraints"), |r: &R<'_>| {
            let failed: Vec<&str> = r
                .candidate
                .checks
                .iter()
                .filter(|k| !k.pass)
                .map(|k| k.constraint.as_str())
                .collect();
            Cell::Text(failed.join(" "))
        }),
        Field::new(Column::data("recommended"), |r: &R<'_>| {
            Cell::Flag(r.recommended)
        }),
        Field::new(Column::data("risk"), |r: &R<'_>| {
            Cell::Count(u64::from(r.candidate.risk.min(u32::MAX - 1)))
        }),
    ]
}

/// The ranking as rows to present.
fn ranked<'a>(d: &'a Decision, c: &Constraints) -> Vec<Ranked<'a>> {
    d.ranking
        .iter()
        .enumerate()
        .map(|(i, candidate)| Ranked {
            rank: candidate.passes().then_some(i + 1),
            candidate,
            recommended: i == 0 && d.satisfiable,
            requests: c.requests,
        })
        .collect()
}

/// Runs `lambcost recommend`.
pub fn run(args: &RecommendArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let modes = match &args.modes_file {
        None => ModeBook::embedded()?,
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
            let e = crate::dotnet::evidence::gather(path, &args.build_log, None, 0)?;
            let mut found =
                decide::project_evidence(&e.assessment, &path.display().to_string(), &modes);
            found.warnings.extend(e.warnings);
            found
        }
        None => decide::ProjectEvidence::default(),
    };
    let (constraints, rules) = decide::constraints(&modes, &ask, &project, pricer.billing_date())?;
    let mut warnings_from_project = project.warnings;
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.logs.variants,
        modes: &args.logs.modes,
        archs: &args.price.arch,
        strict: args.logs.strict,
        group_by: args.logs.group_by.into(),
        threads: args.logs.threads.map_or(0, |n| n as usize),
    };
    crate::assemble::check_modes(&args.logs.modes, &modes)?;
    let inputs = crate::setup::inputs::select_profiles(&args.data, &naming, &pricer)?;
    let (mut profiles, mut warnings) = (inputs.profiles, inputs.warnings);
    warnings.append(&mut warnings_from_project);
    warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.cold,
        &pricer,
    )?);
    warnings.extend(crate::setup::context::price_warnings(&args.price));
    crate::assemble::require_modes(&profiles)?;
    crate::assemble::require_known_modes(&profiles, &modes)?;
    let model = crate::setup::context::traffic_model(&args.cold, pricer.month_hours());
    let mut decision = decide::decide(&modes, &profiles, &constraints, &pricer, &model)?;
    decision.rules.splice(0..0, rules);
    Ok(report(
        args,
        &modes,
        &pricer,
        (&constraints, &decision),
        warnings,
    ))
}

fn number(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(4), 0),
        None => Cell::Empty,
    }
}

fn report(
    args: &RecommendArgs,
    modes: &ModeBook,
    pricer: &crate::cost::Pricer<'_>,
    (c, d): (&Constraints, &Decision),
    mut warnings: Vec<String>,
) -> Report {
    let recommended = d.recommended();
    let title = match recommended {
        Some(best) => format!(
            "lambcost recommend: ship {} ({}, {}{} MB), {} a month at {}",
            best.profile.name,
            best.profile.mode,
            if other_arch(d) {
                format!("{}, ", best.profile.arch)
            } else {
                String::new()
            },
            best.profile.memory_mb,
            usd_cents(best.cost.total_usd()),
            crate::format::short_count(c.requests)
        ),
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
            crate::variant::DEFAULT_RESULTS_ORIGIN
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
            lines.push(format!("{}: {}.", mode.title, mode.runs_as));
        }
        if let Some(second) = d.ranking.get(1).filter(|s| s.passes()) {
            lines.push(format!(
                "Runner-up: {} ({}) at {} a month, {} more.",
                second.profile.name,
                second.profile.mode,
                usd_cents(second.cost.total_usd()),
                usd_cents(second.cost.total_usd() - best.cost.total_usd())
            ));
        }
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

/// Whether an architecture other than x86_64 is among the candidates (then it is named).
fn other_arch(d: &Decision) -> bool {
    d.ranking
        .iter()
        .any(|c| c.profile.arch != crate::pricing::Arch::X86_64)
}

fn pass_cell(cand: &Candidate, constraint: Constraint) -> Cell {
    match cand.checks.iter().find(|k| k.constraint == constraint) {
        None => Cell::Empty,
        Some(k) if k.pass => Cell::Text("pass".into()),
        Some(_) => Cell::Text("FAIL".into()),
    }
}

/// The table people read: the ranking, with a column for each constraint asked for.
fn view(d: &Decision, c: &Constraints) -> View {
    type R<'a> = Ranked<'a>;
    let mut fields: Vec<Field<'_, R<'_>>> = vec![
        Field::new(Column::shown("rank", "#"), |r: &R<'_>| {
            Cell::Figure(match r.rank {
                Some(n) if r.recommended => format!("{n} *"),
                Some(n) => n.to_string(),
                None => "-".into(),
            })
        }),
        Field::new(Column::shown("variant", "Variant"), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.name.clone())
        }),
        Field::new(Column::shown("mode", "Mode").optional(3), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.mode.clone())
        }),
        Field::new(
            Column::shown("arch", "Arch")
                .optional(
                    if crate::pricing::Arch::both_among(d.ranking.iter().map(|c| c.profile.arch)) {
                        0
                    } else {
                        1
                    },
                )
                .shown_if(other_arch(d)),
            |r: &R<'_>| Cell::Text(r.candidate.profile.arch.to_string()),
        ),
        Field::new(Column::shown("memory_mb", "MB").optional(2), |r: &R<'_>| {
            Cell::Count(u64::from(r.candidate.profile.memory_mb))
        }),
        Field::new(
            Column::titled(
                "total_usd",
                format!("$ @{}", crate::format::short_count(c.requests)),
            ),
            |r: &R<'_>| Cell::Usd(r.candidate.cost.total_usd()),
        ),
        Field::new(
            Column::shown("cold_start_ms", "Cold start p99 ms")
                .abbreviated("Cold p99")
                .optional(1),
            |r: &R<'_>| match r.candidate.cold_start_ms.and_then(Decimal::from_f64) {
                Some(v) => Cell::Number(v, 0),
                None => Cell::Empty,
            },
        ),
        Field::new(
            Column::shown("warm_p99_ms", "Warm p99 ms")
                .abbreviated("Warm p99")
                .optional(2),
            |r: &R<'_>| match r.candidate.warm_p99_ms.and_then(Decimal::from_f64) {
                Some(v) => Cell::Number(v, 1),
                None => Cell::Empty,
            },
        ),
    ];
    let checked = [
        (Constraint::Capabilities, "Runs it", "Runs", true),
        (
            Constraint::Version,
            ".NET",
            ".NET",
            c.dotnet_version.is_some(),
        ),
        (
            Constraint::ColdStartSlo,
            "Cold SLO",
            "Cold",
            c.cold_start_slo_ms.is_some(),
        ),
        (Constraint::P99Slo, "p99 SLO", "p99", c.p99_slo_ms.is_some()),
        (Constraint::Budget, "Budget", "Cost", c.budget_usd.is_some()),
    ];
    for (constraint, title, short, asked) in checked {
        if asked {
            fields.push(Field::new(
                Column::shown(constraint.as_str(), title).abbreviated(short),
                move |r: &R<'_>| pass_cell(r.candidate, constraint),
            ));
        }
    }
    let rows = ranked(d, c);
    View {
        columns: crate::report::columns(&fields),
        rows: rows
            .iter()
            .map(|r| crate::report::row(&fields, r))
            .collect(),
    }
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
        "warnings": d.warnings,
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
