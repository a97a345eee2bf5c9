//! A comparison's JSON document: every variant's figures, its cost at each level and how it
//! stands against the baseline.

use crate::report::{Cell, Report};
use lambcost_core::compare::Compared;
use lambcost_core::profile::Figure;
use serde_json::{Value, json};

fn figure(f: Option<&Figure>) -> Value {
    f.map_or(Value::Null, |f| {
        serde_json::to_value(f).unwrap_or(Value::Null)
    })
}

pub(super) fn document(compared: &[Compared], baseline: &str, report: &Report) -> Value {
    let variants: Vec<Value> = compared
        .iter()
        .map(|c| {
            let p = &c.profile;
            let costs: Vec<Value> = c
                .levels
                .iter()
                .zip(&c.cost_saving)
                .map(|(l, (saving, saving_ci))| {
                    json!({
                        "requests": l.requests,
                        "cold_start_rate": crate::report::json_value(&Cell::Share(l.cold_start_rate)),
                        "cold_start_source": l.source.as_str(),
                        "cold_starts": crate::report::json_value(&Cell::Number(l.cost.cold_starts, 0)),
                        "gb_seconds": crate::report::json_value(&Cell::Number(l.cost.gb_seconds, 0)),
                        "compute_usd": crate::report::json_value(&Cell::Usd(l.cost.compute_usd())),
                        "requests_usd": crate::report::json_value(&Cell::Usd(l.cost.requests_usd)),
                        "total_usd": crate::report::json_value(&Cell::Usd(l.cost.total_usd())),
                        "total_ci95_usd": l.total_ci95_usd,
                        "usd_per_million": crate::report::json_value(&Cell::Usd(l.cost.usd_per_million())),
                        "total_usd_at_baseline_memory": crate::report::json_value(&Cell::Usd(l.at_baseline_memory.total_usd())),
                        "cost_saving": saving,
                        "cost_saving_ci95": saving_ci,
                    })
                })
                .collect();
            json!({
                "variant": p.name,
                "mode": p.mode,
                "arch": p.arch.as_str(),
                "runtime": p.runtime,
                "memory_size_mb": p.memory_mb,
                "cold_start": figure(p.cold_start.as_ref()),
                "warm": figure(p.warm.as_ref()),
                "max_memory_used_mb": p.max_memory_used_mb.map(|m| json!({"min": m.0, "max": m.1})),
                "observed_cold_start": p.observed_cold.map(|o| json!({
                    "cold_starts": o.cold,
                    "invocations": o.invocations,
                    "rate": crate::report::json_value(&Cell::Share(o.share())),
                    "ci95": [o.ci95().0, o.ci95().1],
                })),
                "statistics": p.measurements.as_ref().map(|m| serde_json::to_value(m).unwrap_or(Value::Null)),
                "rebilled": p.rebilled.as_ref().map(|r| json!({
                    "invocations": r.reported,
                    "changed": r.changed,
                    "logged_billed_ms": r.reported_ms,
                    "rebilled_ms": r.rebilled_ms,
                })),
                "cold_start_speedup": c.cold_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "warm_speedup": c.warm_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "memory_saving": c.memory_saving,
                "costs": costs,
            })
        })
        .collect();
    let mut assumptions = serde_json::Map::new();
    for (k, v) in &report.assumptions {
        assumptions.insert((*k).to_string(), crate::report::json_value(v));
    }
    json!({
        "baseline": baseline,
        "variants": variants,
        "assumptions": assumptions,
        "warnings": report.warnings,
    })
}
