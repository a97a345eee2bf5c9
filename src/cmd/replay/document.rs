//! A replay's JSON document.

use super::columns::{Row, ms_cell};
use crate::report::{Cell, Report};
use crate::setup::trace::Trace;
use lambcost_core::replay::Replayed;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// The JSON document: the trace, the rules, and `variants[]`.
pub(super) fn document(
    report: &Report,
    rows: &[Row<'_>],
    replayed: &Replayed,
    trace: &Trace,
) -> serde_json::Value {
    use crate::report::json_value;
    use serde_json::{Value, json};
    let ms = |v: Option<f64>| json_value(&ms_cell(v));
    let variants: Vec<Value> = rows
        .iter()
        .map(|r| {
            let o = r.outcome;
            json!({
                "variant": r.profile.name,
                "mode": r.profile.mode,
                "arch": r.profile.arch.as_str(),
                "memory_mb": r.profile.memory_mb,
                "invocations": o.invocations,
                "cold_starts": o.cold_starts,
                "cold_start_rate": json_value(&Cell::Share(r.share)),
                "observed_cold_starts": r.observed,
                "peak_concurrency": o.peak_concurrency,
                "mean_concurrency": json_value(&Cell::Number(
                    Decimal::from_f64(o.mean_concurrency).unwrap_or_default().round_dp(4),
                    4,
                )),
                "throttles": o.throttles,
                "latency_ms": {
                    "p50": ms(o.latency.percentile(0.50)),
                    "p95": ms(o.latency.percentile(0.95)),
                    "p99": ms(o.latency.percentile(0.99)),
                },
                "costs": r.costs.iter().map(|(requests, usd)| json!({
                    "requests": requests,
                    "total_usd": json_value(&Cell::Usd(*usd)),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut assumptions = serde_json::Map::new();
    for (key, cell) in &report.assumptions {
        assumptions.insert((*key).to_string(), json_value(cell));
    }
    json!({
        "arrivals": {
            "source": trace.name,
            "shape": trace.shape,
            "count": replayed.arrivals,
            "span_ms": json_value(&Cell::Number(
                Decimal::from_f64(replayed.span_ms).unwrap_or_default().round_dp(3),
                3,
            )),
            "without_time": trace.unstamped,
        },
        "assumptions": assumptions,
        "variants": variants,
        "warnings": report.warnings,
    })
}
