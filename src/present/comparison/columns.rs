//! A comparison's columns: the CSV's, one row per variant and traffic level, and the table
//! people read, one row per variant.

use crate::report::{Cell, Column, Field, View};
use lambcost_core::compare::{self, Compared};
use lambcost_core::profile::Figure;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// One CSV row: a variant at a traffic level, against the baseline.
pub struct LevelRow<'a> {
    /// The variant and how it stands against the baseline.
    pub compared: &'a Compared,
    /// Which traffic level.
    pub level: usize,
    /// The baseline's name.
    pub baseline: &'a str,
}

impl LevelRow<'_> {
    fn cost(&self) -> &compare::LevelCost {
        &self.compared.levels[self.level]
    }

    fn saving(&self) -> (f64, f64) {
        self.compared
            .cost_saving
            .get(self.level)
            .copied()
            .unwrap_or((0.0, 0.0))
    }
}

/// The CSV columns, one row per variant and traffic level, each with its cell.
pub fn fields<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    let mut fields = fields_first();
    fields.extend(fields_second());
    fields
}

/// A sum of milliseconds as a count: no log holds more than `u64::MAX` of them.
fn saturated(ms: u128) -> u64 {
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// The first of [`fields`]'s columns.
fn fields_first<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    type R<'a> = LevelRow<'a>;
    let cold = |f: fn(&Figure) -> Option<f64>| {
        move |r: &R<'_>| num(r.compared.profile.cold_start.as_ref().and_then(f))
    };
    let warm = |f: fn(&Figure) -> Option<f64>| {
        move |r: &R<'_>| num(r.compared.profile.warm.as_ref().and_then(f))
    };
    vec![
        Field::new(Column::data("variant"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.name.clone())
        }),
        Field::new(Column::data("mode"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.mode.clone())
        }),
        Field::new(Column::data("arch"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.arch.to_string())
        }),
        Field::new(Column::data("memory_mb"), |r: &R<'_>| {
            Cell::Count(u64::from(r.compared.profile.memory_mb))
        }),
        Field::new(Column::data("samples"), |r: &R<'_>| {
            let m = r.compared.profile.measurements.as_ref();
            Cell::Count(m.map_or(0, |m| m.cold.count + m.warm.count))
        }),
        Field::new(Column::data("logged_billed_ms"), |r: &R<'_>| {
            let b = r.compared.profile.rebilled.as_ref();
            b.map_or(Cell::Empty, |b| Cell::Count(saturated(b.reported_ms)))
        }),
        Field::new(Column::data("rebilled_ms"), |r: &R<'_>| {
            let b = r.compared.profile.rebilled.as_ref();
            b.map_or(Cell::Empty, |b| Cell::Count(saturated(b.rebilled_ms)))
        }),
        Field::new(Column::data("cold_start_ms"), cold(|f| Some(f.mean_ms))),
        Field::new(
            Column::data("cold_start_ci95_ms"),
            cold(|f| Some(f.ci95_ms)),
        ),
        Field::new(Column::data("cold_start_p50_ms"), cold(|f| f.p50_ms)),
        Field::new(Column::data("cold_start_p95_ms"), cold(|f| f.p95_ms)),
        Field::new(Column::data("cold_start_p99_ms"), cold(|f| f.p99_ms)),
        Field::new(Column::data("warm_ms"), warm(|f| Some(f.mean_ms))),
        Field::new(Column::data("warm_ci95_ms"), warm(|f| Some(f.ci95_ms))),
        Field::new(Column::data("warm_p50_ms"), warm(|f| f.p50_ms)),
        Field::new(Column::data("warm_p95_ms"), warm(|f| f.p95_ms)),
        Field::new(Column::data("warm_p99_ms"), warm(|f| f.p99_ms)),
        Field::new(Column::data("max_memory_used_mb_min"), |r: &R<'_>| {
            let m = r.compared.profile.max_memory_used_mb;
            m.map_or(Cell::Empty, |m| Cell::Count(u64::from(m.0)))
        }),
        Field::new(Column::data("max_memory_used_mb_max"), |r: &R<'_>| {
            let m = r.compared.profile.max_memory_used_mb;
            m.map_or(Cell::Empty, |m| Cell::Count(u64::from(m.1)))
        }),
        Field::new(Column::data("baseline"), |r: &R<'_>| {
            Cell::Text(r.baseline.to_string())
        }),
        Field::new(Column::data("cold_start_speedup"), |r: &R<'_>| {
            num(r.compared.cold_speedup.map(|x| x.0))
        }),
        Field::new(Column::data("cold_start_speedup_ci95"), |r: &R<'_>| {
            num(r.compared.cold_speedup.map(|x| x.1))
        }),
        Field::new(Column::data("warm_speedup"), |r: &R<'_>| {
            num(r.compared.warm_speedup.map(|x| x.0))
        }),
        Field::new(Column::data("warm_speedup_ci95"), |r: &R<'_>| {
            num(r.compared.warm_speedup.map(|x| x.1))
        }),
        Field::new(Column::data("memory_saving"), |r: &R<'_>| {
            num(r.compared.memory_saving)
        }),
    ]
}

/// The rest of [`fields`]'s columns.
fn fields_second<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    type R<'a> = LevelRow<'a>;
    let usd = |f: fn(&compare::LevelCost) -> Decimal| move |r: &R<'_>| Cell::Usd(f(r.cost()));
    vec![
        Field::new(Column::data("requests"), |r: &R<'_>| {
            Cell::Count(r.cost().requests)
        }),
        Field::new(Column::data("cold_start_rate"), |r: &R<'_>| {
            Cell::Share(r.cost().cold_start_rate)
        }),
        Field::new(Column::data("cold_start_source"), |r: &R<'_>| {
            Cell::Text(r.cost().source.as_str().to_string())
        }),
        Field::new(Column::data("observed_cold_starts"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.cold))
        }),
        Field::new(Column::data("observed_invocations"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.invocations))
        }),
        Field::new(Column::data("observed_cold_start_rate"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Share(o.share()))
        }),
        Field::new(
            Column::data("observed_cold_start_rate_ci95_low"),
            |r: &R<'_>| num(r.compared.profile.observed_cold.map(|o| o.ci95().0)),
        ),
        Field::new(
            Column::data("observed_cold_start_rate_ci95_high"),
            |r: &R<'_>| num(r.compared.profile.observed_cold.map(|o| o.ci95().1)),
        ),
        Field::new(Column::data("gb_seconds"), |r: &R<'_>| {
            Cell::Number(r.cost().cost.gb_seconds, 0)
        }),
        Field::new(Column::data("compute_usd"), usd(|l| l.cost.compute_usd())),
        Field::new(Column::data("requests_usd"), usd(|l| l.cost.requests_usd)),
        Field::new(Column::data("total_usd"), usd(|l| l.cost.total_usd())),
        Field::new(Column::data("total_ci95_usd"), |r: &R<'_>| {
            num(Some(r.cost().total_ci95_usd))
        }),
        Field::new(
            Column::data("usd_per_million"),
            usd(|l| l.cost.usd_per_million()),
        ),
        Field::new(
            Column::data("total_usd_at_baseline_memory"),
            usd(|l| l.at_baseline_memory.total_usd()),
        ),
        Field::new(Column::data("cost_saving"), |r: &R<'_>| {
            num(Some(r.saving().0))
        }),
        Field::new(Column::data("cost_saving_ci95"), |r: &R<'_>| {
            num(Some(r.saving().1))
        }),
    ]
}

fn num(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(6), 2),
        None => Cell::Empty,
    }
}

/// `6.5x` or `6.5 ± 0.2x`.
fn times(r: Option<(f64, f64)>) -> Cell {
    match r {
        None => Cell::Empty,
        Some((v, half)) if half > 0.0 => Cell::Figure(format!("{} ± {}x", sig(v), sig(half))),
        Some((v, _)) => Cell::Figure(format!("{}x", sig(v))),
    }
}

/// Two decimals below 10, one above: 7.02, 14.3.
fn sig(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// `52% less`, `10% more`.
fn less(saving: Option<f64>, half: f64, less_word: &str, more_word: &str) -> Cell {
    match saving {
        None => Cell::Empty,
        Some(s) => {
            let pct = (s * 100.0).abs();
            let word = if s >= 0.0 { less_word } else { more_word };
            if half > 0.0 {
                Cell::Text(format!("{pct:.0} ± {:.0}% {word}", half * 100.0))
            } else {
                Cell::Text(format!("{pct:.0}% {word}"))
            }
        }
    }
}

fn latency(f: Option<&Figure>) -> Cell {
    match f {
        None => Cell::Empty,
        Some(f) if f.ci95_ms >= 0.05 => {
            Cell::Figure(format!("{:.1} ± {:.1}", f.mean_ms, f.ci95_ms))
        }
        Some(f) if f.ci95_ms > 0.0 => Cell::Figure(format!("{:.2} ± {:.2}", f.mean_ms, f.ci95_ms)),
        Some(f) => Cell::Figure(lambcost_core::format::grouped(
            Decimal::from_f64(f.mean_ms.round()).unwrap_or_default(),
            0,
        )),
    }
}

/// The four columns that say how a variant stands against the baseline; the baseline's own
/// row says `baseline` in each. With the baseline `alone`, they say nothing.
fn against_baseline<'f>(alone: bool) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let against = |cell: fn(&Compared) -> Cell| {
        move |v: &V<'_>| {
            if v.is_baseline {
                Cell::Text("baseline".into())
            } else {
                cell(v.c)
            }
        }
    };
    vec![
        Field::new(
            Column::shown("cold_start_speedup", "Cold start")
                .optional(3)
                .redundant_if(alone),
            against(|c| times(c.cold_speedup)),
        ),
        Field::new(
            Column::shown("warm_speedup", "Warm")
                .optional(4)
                .redundant_if(alone),
            against(|c| times(c.warm_speedup)),
        ),
        Field::new(
            Column::shown("memory_saving", "Memory")
                .optional(5)
                .redundant_if(alone),
            against(|c| less(c.memory_saving, 0.0, "less", "more")),
        ),
        Field::new(
            Column::shown("cost_saving", "Cost")
                .optional(3)
                .redundant_if(alone),
            against(|c| {
                let (s, h) = c.cost_saving.first().copied().unwrap_or((0.0, 0.0));
                less(Some(s), h, "lower", "higher")
            }),
        ),
    ]
}

/// The cost columns: the total at each level, then per million and at the baseline's
/// memory, both at the first level.
fn cost_fields<'f>(levels: &[u64], base_memory_mb: u32) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let first = levels.first().copied().unwrap_or(0);
    let mut fields: Vec<Field<'f, V<'f>>> = Vec::new();
    for (i, &l) in levels.iter().enumerate() {
        fields.push(Field::new(
            Column::titled(
                "total_usd",
                format!("$ @{}", lambcost_core::format::short_count(l)),
            )
            .optional(if i == 0 { 0 } else { 4 }),
            move |v: &V<'_>| {
                v.c.levels
                    .get(i)
                    .map_or(Cell::Empty, |level| Cell::Usd(level.cost.total_usd()))
            },
        ));
    }
    fields.push(Field::new(
        Column::titled(
            "usd_per_million",
            format!("$/1M @{}", lambcost_core::format::short_count(first)),
        )
        .optional(7)
        .redundant_if(first == 1_000_000),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Usd(l.cost.usd_per_million()))
        },
    ));
    fields.push(Field::new(
        Column::titled(
            "total_usd_at_baseline_memory",
            format!(
                "$ @{} at {} MB",
                lambcost_core::format::short_count(first),
                base_memory_mb
            ),
        )
        .optional(6),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Usd(l.at_baseline_memory.total_usd()))
        },
    ));
    fields
}

/// The cold-start share that prices the first level and, for measured data, the share the
/// data itself shows (with its sample and 95% interval): side by side, so that a short log's
/// few cold starts are read for what they are.
fn cold_share_fields<'f>(compared: &[Compared], levels: &[u64]) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let first = levels.first().copied().unwrap_or(0);
    let observed = compared.iter().any(|c| c.profile.observed_cold.is_some());
    let mut fields = vec![Field::new(
        Column::titled(
            "cold_start_rate",
            format!("Cold % @{}", lambcost_core::format::short_count(first)),
        )
        .abbreviated("Cold %")
        .optional(if observed { 0 } else { 5 }),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Share(l.cold_start_rate))
        },
    )];
    if observed {
        fields.push(Field::new(
            // Beside the share that prices the month, the data's own: kept on any terminal.
            Column::shown("observed_cold_start_rate", "Observed cold (95% CI)")
                .abbreviated("Observed"),
            |v: &V<'_>| crate::present::cells::observed_cell(v.c.profile.observed_cold),
        ));
    }
    fields
}

/// One row of the table people read.
struct ViewRow<'a> {
    c: &'a Compared,
    is_baseline: bool,
}

/// The table people read: one row per variant, its latency, memory, cost at each level and
/// how it stands against the baseline.
pub(super) fn view(compared: &[Compared], baseline: usize, levels: &[u64]) -> View {
    type V<'a> = ViewRow<'a>;
    let base = &compared[baseline].profile;
    let has_percentiles = compared
        .iter()
        .any(|c| c.profile.warm.as_ref().is_some_and(|w| w.p50_ms.is_some()));
    let mut fields: Vec<Field<'_, V<'_>>> = vec![
        Field::new(Column::shown("variant", "Variant"), |v: &V<'_>| {
            Cell::Text(v.c.profile.name.clone())
        }),
        Field::new(
            Column::shown("mode", "Mode")
                .optional(4)
                .redundant_if(compared.iter().all(|c| c.profile.mode.is_empty())),
            |v: &V<'_>| Cell::Text(v.c.profile.mode.clone()),
        ),
        Field::new(
            Column::shown("arch", "Arch")
                .optional(
                    if lambcost_core::pricing::Arch::both_among(
                        compared.iter().map(|c| c.profile.arch),
                    ) {
                        0
                    } else {
                        1
                    },
                )
                .shown_if(
                    compared
                        .iter()
                        .any(|c| c.profile.arch != lambcost_core::pricing::Arch::X86_64),
                ),
            |v: &V<'_>| Cell::Text(v.c.profile.arch.to_string()),
        ),
        Field::new(Column::shown("memory_mb", "MB").optional(2), |v: &V<'_>| {
            Cell::Count(u64::from(v.c.profile.memory_mb))
        }),
        Field::new(
            Column::shown("cold_start_ms", "Cold start ms").abbreviated("Cold ms"),
            |v: &V<'_>| latency(v.c.profile.cold_start.as_ref()),
        ),
        Field::new(Column::shown("warm_ms", "Warm ms"), |v: &V<'_>| {
            latency(v.c.profile.warm.as_ref())
        }),
    ];
    if has_percentiles {
        fields.push(Field::new(
            Column::shown("warm_percentiles", "Warm p50/p95/p99").optional(6),
            |v: &V<'_>| match v.c.profile.warm.as_ref() {
                Some(Figure {
                    p50_ms: Some(a),
                    p95_ms: Some(b),
                    p99_ms: Some(c),
                    ..
                }) => Cell::Figure(format!("{a:.1} / {b:.1} / {c:.1}")),
                _ => Cell::Empty,
            },
        ));
    }
    fields.push(Field::new(
        Column::shown("max_memory_used_mb", "Peak MB").optional(5),
        |v: &V<'_>| {
            v.c.profile
                .peak_memory_mb()
                .map_or(Cell::Empty, |m| Cell::Count(u64::from(m)))
        },
    ));
    fields.extend(cold_share_fields(compared, levels));
    fields.extend(cost_fields(levels, base.memory_mb));
    fields.extend(against_baseline(compared.len() == 1));
    let rows = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            crate::report::row(
                &fields,
                &ViewRow {
                    c,
                    is_baseline: i == baseline,
                },
            )
        })
        .collect();
    View {
        columns: crate::report::columns(&fields),
        rows,
    }
}
