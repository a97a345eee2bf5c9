//! An estimate's columns, each with its cell, and which of them earn a place in the table.

use crate::report::{Cell, Column, Field, Report};
use lambcost_core::cost::MonthlyCost;
use lambcost_core::pricing::Arch;
use lambcost_core::profile::Profile;
use lambcost_core::scenario::Priced;
use rust_decimal::Decimal;

/// One row of an estimate: a variant at a traffic level, as billed.
pub struct Row<'a> {
    /// The variant.
    pub profile: &'a Profile,
    /// What was billed.
    pub billed: &'a Priced,
}

/// The columns of an estimate, in order, each with its cell. CSV and JSON carry all of them
/// under these names.
///
/// `compute_usd + requests_usd + other_usd = total_usd`; a column named after one of those
/// parts (`compute_on_demand_usd`, `other_snapstart_cache_usd`) breaks that part down, and
/// its siblings add up to it.
pub fn fields<'f>() -> Vec<Field<'f, Row<'f>>> {
    let mut fields = fields_first();
    fields.extend(fields_second());
    fields
}

/// The first of [`fields`]'s columns.
fn fields_first<'f>() -> Vec<Field<'f, Row<'f>>> {
    vec![
        Field::new(Column::shown("variant", "Variant"), |r: &Row<'_>| {
            Cell::Text(r.profile.name.clone())
        }),
        Field::new(Column::shown("mode", "Mode").optional(3), |r: &Row<'_>| {
            Cell::Text(r.profile.mode.clone())
        }),
        Field::new(Column::shown("arch", "Arch").optional(1), |r: &Row<'_>| {
            Cell::Text(r.profile.arch.to_string())
        }),
        Field::new(
            Column::shown("memory_mb", "Memory MB")
                .abbreviated("MB")
                .optional(2),
            |r: &Row<'_>| Cell::Count(u64::from(r.profile.memory_mb)),
        ),
        Field::new(Column::shown("requests", "Requests"), |r: &Row<'_>| {
            Cell::Count(r.billed.cost.requests)
        }),
        Field::new(Column::data("cold_start_rate"), |r: &Row<'_>| {
            Cell::Share(r.billed.workload.cold_start_rate)
        }),
        // What was billed cold: with Provisioned Concurrency or SnapStart, less than the
        // share above.
        Field::new(
            Column::shown("billed_cold_start_rate", "Cold %").optional(4),
            |r: &Row<'_>| {
                let c = &r.billed.cost;
                Cell::Share(if c.requests == 0 {
                    Decimal::ZERO
                } else {
                    (c.cold_starts / Decimal::from(c.requests)).round_dp(12)
                })
            },
        ),
        Field::new(Column::data("cold_start_source"), |r: &Row<'_>| {
            Cell::Text(r.billed.source.as_str().to_string())
        }),
        Field::new(
            Column::shown("observed_cold_start_rate", "Observed cold (95% CI)")
                .abbreviated("Observed"),
            |r: &Row<'_>| crate::present::cells::observed_cell(r.profile.observed_cold),
        ),
        Field::new(Column::data("observed_cold_starts"), |r: &Row<'_>| {
            r.profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.cold))
        }),
        Field::new(Column::data("observed_invocations"), |r: &Row<'_>| {
            r.profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.invocations))
        }),
        Field::new(
            Column::shown("cold_starts", "Cold starts").optional(7),
            |r: &Row<'_>| Cell::Number(r.billed.cost.cold_starts, 0),
        ),
    ]
}

/// The rest of [`fields`]'s columns.
fn fields_second<'f>() -> Vec<Field<'f, Row<'f>>> {
    let usd = |f: fn(&MonthlyCost) -> Decimal| move |r: &Row<'_>| Cell::Usd(f(&r.billed.cost));
    vec![
        Field::new(Column::data("warm_billed_ms"), |r: &Row<'_>| {
            Cell::Number(r.billed.workload.warm_billed_ms, 0)
        }),
        Field::new(Column::data("cold_billed_ms"), |r: &Row<'_>| {
            Cell::Number(r.billed.workload.cold_billed_ms, 0)
        }),
        Field::new(Column::data("billed_seconds"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.billed_seconds, 0)
        }),
        Field::new(
            Column::shown("gb_seconds", "GB-s").optional(6),
            |r: &Row<'_>| Cell::Number(r.billed.cost.gb_seconds, 0),
        ),
        Field::new(
            Column::shown("compute_usd", "Compute $").optional(5),
            usd(MonthlyCost::compute_usd),
        ),
        Field::new(
            Column::shown("requests_usd", "Requests $").optional(5),
            usd(|c| c.requests_usd),
        ),
        Field::new(
            Column::shown("other_usd", "Other $").optional(5),
            usd(MonthlyCost::other_usd),
        ),
        Field::new(
            Column::shown("total_usd", "Total $/month").abbreviated("$/month"),
            usd(MonthlyCost::total_usd),
        ),
        Field::new(
            Column::shown("usd_per_million", "$ per 1M").optional(3),
            usd(MonthlyCost::usd_per_million),
        ),
        Field::new(
            Column::data("compute_on_demand_usd"),
            usd(|c| c.on_demand_duration_usd),
        ),
        Field::new(
            Column::data("compute_provisioned_usd"),
            usd(|c| c.provisioned_duration_usd),
        ),
        Field::new(
            Column::data("other_ephemeral_storage_usd"),
            usd(|c| c.ephemeral_storage_usd),
        ),
        Field::new(
            Column::data("other_provisioned_concurrency_usd"),
            usd(|c| c.provisioned_concurrency_usd),
        ),
        Field::new(
            Column::data("other_snapstart_cache_usd"),
            usd(|c| c.snapstart_cache_usd),
        ),
        Field::new(
            Column::data("other_snapstart_restore_usd"),
            usd(|c| c.snapstart_restore_usd),
        ),
        Field::new(Column::data("provisioned_invocations"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.provisioned_invocations, 0)
        }),
        Field::new(Column::data("provisioned_spillover"), |r: &Row<'_>| {
            Cell::Number(r.billed.cost.provisioned_spillover, 0)
        }),
    ]
}

/// Which columns earn a place in the table: "Other $" when something is in it, the
/// architecture when it is not the default, the observed share when there is one, the mode
/// when one is named. Says whether an observed share is shown.
pub fn shown_columns(report: &mut Report, profiles: &[Profile]) -> bool {
    // "Other $" only earns a column in the table when something is in it, the architecture
    // when it is not the default, and "$ per 1M" when it is not the total itself.
    let zero = |c: &Cell| matches!(c, Cell::Usd(v) if v.is_zero());
    let all_zero = report.rows_all("other_usd", zero);
    report.set_shown("other_usd", !all_zero);
    // Provisioned Concurrency, SnapStart or storage in the bill: never out of sight.
    for c in report.columns.iter_mut().filter(|c| c.key == "other_usd") {
        c.priority = 0;
    }
    let x86 = |c: &Cell| matches!(c, Cell::Text(a) if a == Arch::X86_64.as_str());
    let all_x86 = report.rows_all("arch", x86);
    report.set_shown("arch", !all_x86);
    if !all_x86 && !report.rows_all("arch", |c| !x86(c)) {
        // Rows that differ only by architecture are told apart by it: it stays.
        for c in report.columns.iter_mut().filter(|c| c.key == "arch") {
            c.priority = 0;
        }
    }
    let observed = profiles.iter().any(|p| p.observed_cold.is_some());
    report.set_shown("observed_cold_start_rate", observed);
    if observed {
        // The share that prices the month goes beside the data's own.
        for c in report
            .columns
            .iter_mut()
            .filter(|c| c.key == "billed_cold_start_rate")
        {
            c.priority = 1;
        }
    }
    let no_mode = report.rows_all("mode", |c| matches!(c, Cell::Text(t) if t.is_empty()));
    report.set_redundant("mode", no_mode);
    observed
}
