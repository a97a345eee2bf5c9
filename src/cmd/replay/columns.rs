//! A replay's columns: one row per variant, its pool's outcome and its month at each level.

use crate::report::{Cell, Column, Field};
use lambcost_core::format::short_count;
use lambcost_core::profile::Profile;
use lambcost_core::replay::Outcome;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// One variant's replay, priced.
pub(super) struct Row<'a> {
    pub(super) profile: &'a Profile,
    pub(super) outcome: &'a Outcome,
    /// Cold starts the ARRIVALS log itself recorded, for its own variant.
    pub(super) observed: Option<u64>,
    pub(super) share: Decimal,
    /// (monthly invocations, total USD) at each level.
    pub(super) costs: Vec<(u64, Decimal)>,
}

pub(super) fn ms_cell(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(2), 0),
        None => Cell::Empty,
    }
}

pub(super) fn fields<'f>(requests: &[u64]) -> Vec<Field<'f, Row<'f>>> {
    let mut fields: Vec<Field<'f, Row<'f>>> = vec![
        Field::new(Column::shown("variant", "Variant"), |r: &Row<'_>| {
            Cell::Text(r.profile.label())
        }),
        Field::new(Column::data("mode"), |r: &Row<'_>| {
            Cell::Text(r.profile.mode.clone())
        }),
        Field::new(
            Column::shown("memory_mb", "Memory MB")
                .abbreviated("MB")
                .optional(4),
            |r: &Row<'_>| Cell::Count(u64::from(r.profile.memory_mb)),
        ),
        Field::new(
            Column::shown("invocations", "Invocations")
                .abbreviated("Invoked")
                .optional(3),
            |r: &Row<'_>| Cell::Count(r.outcome.invocations),
        ),
        Field::new(
            Column::shown("cold_starts", "Cold starts").abbreviated("Cold"),
            |r: &Row<'_>| Cell::Count(r.outcome.cold_starts),
        ),
        Field::new(Column::shown("cold_start_rate", "Cold %"), |r: &Row<'_>| {
            Cell::Share(r.share)
        }),
        Field::new(
            Column::shown("observed_cold_starts", "Observed cold")
                .abbreviated("Seen cold")
                .optional(1),
            |r: &Row<'_>| r.observed.map_or(Cell::Empty, Cell::Count),
        ),
        Field::new(
            Column::shown("peak_concurrency", "Peak envs").abbreviated("Peak"),
            |r: &Row<'_>| Cell::Count(u64::from(r.outcome.peak_concurrency)),
        ),
        Field::new(
            Column::shown("mean_concurrency", "Mean busy")
                .abbreviated("Mean")
                .optional(3),
            |r: &Row<'_>| {
                Cell::Number(
                    Decimal::from_f64(r.outcome.mean_concurrency)
                        .unwrap_or_default()
                        .round_dp(4),
                    2,
                )
            },
        ),
        Field::new(
            Column::shown("throttles", "Throttled").optional(1),
            |r: &Row<'_>| Cell::Count(r.outcome.throttles),
        ),
        Field::new(
            Column::shown("latency_p50_ms", "p50 ms").optional(2),
            |r: &Row<'_>| ms_cell(r.outcome.latency.percentile(0.50)),
        ),
        Field::new(
            Column::shown("latency_p95_ms", "p95 ms").optional(2),
            |r: &Row<'_>| ms_cell(r.outcome.latency.percentile(0.95)),
        ),
        Field::new(Column::shown("latency_p99_ms", "p99 ms"), |r: &Row<'_>| {
            ms_cell(r.outcome.latency.percentile(0.99))
        }),
    ];
    if requests.len() <= 1 {
        fields.push(Field::new(
            Column::data("monthly_requests"),
            |r: &Row<'_>| Cell::Count(r.costs[0].0),
        ));
        let title = match requests.first() {
            Some(&n) => format!("$ @{}", short_count(n)),
            None => "$ a month".to_string(),
        };
        fields.push(Field::new(
            Column::titled("total_usd", title),
            |r: &Row<'_>| Cell::Usd(r.costs[0].1),
        ));
    } else {
        for (k, &n) in requests.iter().enumerate() {
            let column = Column {
                key: format!("total_usd_at_{}", short_count(n)).into(),
                ..Column::titled("", format!("$ @{}", short_count(n)))
            };
            fields.push(Field::new(column, move |r: &Row<'_>| {
                Cell::Usd(r.costs[k].1)
            }));
        }
    }
    fields
}
