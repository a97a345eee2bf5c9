//! The charts that estimate, compare and measure draw: cost against traffic with the
//! crossovers, and the latency distributions of measured variants.

/// The monthly-cost-against-traffic chart: `total(i, requests)` is variant `i`'s bill.
pub fn cost_chart(
    title: String,
    names: &[String],
    levels: &[u64],
    total: impl Fn(usize, u64) -> Result<rust_decimal::Decimal, lambcost_core::cost::BillError>,
) -> Result<crate::report::svg::Chart, lambcost_core::cost::BillError> {
    use crate::report::svg::{Chart, Mark, Series};
    use rust_decimal::prelude::ToPrimitive;
    let lo = levels.iter().copied().min().unwrap_or(1_000_000) as f64 / 30.0;
    let hi = levels.iter().copied().max().unwrap_or(1_000_000) as f64 * 30.0;
    let (lo, hi) = (lo.max(1_000.0), hi.min(1e13).max(lo.max(1_000.0) * 10.0));
    const STEPS: usize = 64;
    let mut grid: Vec<u64> = (0..=STEPS)
        .map(|k| (lo * (hi / lo).powf(k as f64 / STEPS as f64)).round() as u64)
        .chain(levels.iter().copied())
        .collect();
    grid.sort_unstable();
    grid.dedup();
    let curves: Vec<Vec<(f64, f64)>> = (0..names.len())
        .map(|i| {
            grid.iter()
                .map(|&r| Ok((r as f64, total(i, r)?.to_f64().unwrap_or(0.0))))
                .collect::<Result<Vec<_>, lambcost_core::cost::BillError>>()
        })
        .collect::<Result<_, _>>()?;
    let crossovers = lambcost_core::compare::crossovers(&curves)
        .into_iter()
        .take(8)
        .map(|(i, j, x, y)| Mark {
            x,
            y,
            series: None,
            label: format!(
                "{} = {} at {}",
                names[i],
                names[j],
                lambcost_core::format::axis_count(x)
            ),
        })
        .collect();
    Ok(Chart::CostVsTraffic {
        title,
        series: names
            .iter()
            .zip(curves)
            .map(|(n, points)| Series {
                name: n.clone(),
                points,
            })
            .collect(),
        levels: levels.iter().map(|&l| l as f64).collect(),
        crossovers,
    })
}

/// The latency-distribution chart of the measured profiles, if any has samples.
pub fn latency_chart(
    title: String,
    profiles: &[lambcost_core::profile::Profile],
) -> Option<crate::report::svg::Chart> {
    use crate::report::svg::{Chart, Mark, Series};
    let measured: Vec<&lambcost_core::profile::Profile> = profiles
        .iter()
        .filter(|p| p.measurements.is_some())
        .collect();
    if measured.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    for phase in ["cold", "warm"] {
        let mut series = Vec::new();
        let mut marks = Vec::new();
        for p in &measured {
            let k = series.len();
            let Some(m) = &p.measurements else { continue };
            let stats = if phase == "cold" { &m.cold } else { &m.warm };
            if stats.distribution.is_empty() {
                continue;
            }
            series.push(Series {
                name: p.label(),
                points: stats.distribution.clone(),
            });
            let figure = if phase == "cold" {
                p.cold_start.as_ref()
            } else {
                p.warm.as_ref()
            };
            if let Some(f) = figure {
                for (label, q, v) in [
                    ("p50", 0.5, f.p50_ms),
                    ("p95", 0.95, f.p95_ms),
                    ("p99", 0.99, f.p99_ms),
                ] {
                    if let Some(v) = v {
                        // p95 is a point only: its label would sit on p99's.
                        marks.push(Mark {
                            x: v,
                            y: q,
                            label: if label == "p95" {
                                String::new()
                            } else {
                                format!("{label} {v:.1}")
                            },
                            series: Some(k),
                        });
                    }
                }
            }
        }
        if !series.is_empty() {
            panels.push((phase.to_string(), series, marks));
        }
    }
    Some(Chart::Latency { title, panels })
}
