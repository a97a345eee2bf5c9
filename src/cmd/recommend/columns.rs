//! A recommendation's columns: the CSV's, one row per ranked variant, and the table people
//! read, with a column for each constraint asked for.

use crate::report::{Cell, Column, Field, View};
use lambcost_core::decide::{Candidate, Constraint, Constraints, Decision};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

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
pub(super) fn ranked<'a>(d: &'a Decision, c: &Constraints) -> Vec<Ranked<'a>> {
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

pub(super) fn number(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(4), 0),
        None => Cell::Empty,
    }
}

pub(super) fn pass_cell(cand: &Candidate, constraint: Constraint) -> Cell {
    match cand.checks.iter().find(|k| k.constraint == constraint) {
        None => Cell::Empty,
        Some(k) if k.pass => Cell::Text("pass".into()),
        Some(_) => Cell::Text("FAIL".into()),
    }
}

/// The table people read: the ranking, with a column for each constraint asked for.
pub(super) fn view(d: &Decision, c: &Constraints) -> View {
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
        // What names a variant goes last when the table must narrow: its figures are in the
        // reasons, its identity nowhere else (higher priorities go first).
        Field::new(Column::shown("mode", "Mode").optional(2), |r: &R<'_>| {
            Cell::Text(r.candidate.profile.mode.clone())
        }),
        Field::new(
            Column::shown("arch", "Arch")
                .optional(
                    if lambcost_core::pricing::Arch::both_among(
                        d.ranking.iter().map(|c| c.profile.arch),
                    ) {
                        0
                    } else {
                        1
                    },
                )
                .shown_if(other_arch(d)),
            |r: &R<'_>| Cell::Text(r.candidate.profile.arch.to_string()),
        ),
        Field::new(Column::shown("memory_mb", "MB").optional(1), |r: &R<'_>| {
            Cell::Count(u64::from(r.candidate.profile.memory_mb))
        }),
        Field::new(
            Column::titled(
                "total_usd",
                format!("$ @{}", lambcost_core::format::short_count(c.requests)),
            ),
            |r: &R<'_>| Cell::Usd(r.candidate.cost.total_usd()),
        ),
        Field::new(
            Column::shown("cold_start_ms", "Cold start p99 ms")
                .abbreviated("Cold p99")
                .optional(3),
            |r: &R<'_>| match r.candidate.cold_start_ms.and_then(Decimal::from_f64) {
                Some(v) => Cell::Number(v, 0),
                None => Cell::Empty,
            },
        ),
        Field::new(
            Column::shown("warm_p99_ms", "Warm p99 ms")
                .abbreviated("Warm p99")
                .optional(4),
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

/// Whether an architecture other than x86_64 is among the candidates (then it is named).
pub(super) fn other_arch(d: &Decision) -> bool {
    d.ranking
        .iter()
        .any(|c| c.profile.arch != lambcost_core::pricing::Arch::X86_64)
}
