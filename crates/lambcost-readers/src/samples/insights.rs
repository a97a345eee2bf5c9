//! CloudWatch Logs Insights, for accounts too big to download their logs: the query
//! `lambcost insights-query` prints scans every REPORT line inside AWS and returns one row per
//! function (or version, or memory setting) and phase; its results, as the console exports
//! them (CSV, JSON) or as `aws logs get-query-results` prints them, are read back here as
//! aggregates that carry their percentiles, and priced like any other input.

use super::input::InputError;
use lambcost_core::grouping::{GroupBy, function_of};
use lambcost_core::measurement::{Aggregated, PhaseAggregate};
use std::collections::BTreeMap;

/// The statistics the query computes per group and phase, by the names its results carry.
const STATS: [(&str, &str); 16] = [
    ("invocations", "count(*)"),
    ("duration_mean_ms", "avg(@duration)"),
    ("duration_sd_ms", "stddev(@duration)"),
    ("duration_min_ms", "min(@duration)"),
    ("duration_p50_ms", "pct(@duration, 50)"),
    ("duration_p90_ms", "pct(@duration, 90)"),
    ("duration_p95_ms", "pct(@duration, 95)"),
    ("duration_p99_ms", "pct(@duration, 99)"),
    ("duration_max_ms", "max(@duration)"),
    ("init_mean_ms", "avg(@initDuration)"),
    ("init_max_ms", "max(@initDuration)"),
    ("init_ms_sum", "sum(@initDuration)"),
    ("billed_ms_sum", "sum(@billedDuration)"),
    // Insights reads "Memory Size: 512 MB" as 512,000,000 bytes.
    ("memory_size_mb", "max(@memorySize / 1000 / 1000)"),
    (
        "max_memory_used_mb_min",
        "min(@maxMemoryUsed / 1000 / 1000)",
    ),
    (
        "max_memory_used_mb_max",
        "max(@maxMemoryUsed / 1000 / 1000)",
    ),
];

/// The Logs Insights query whose results lambcost reads, one row per group and phase.
/// `--group-by file` and `input` have no meaning inside AWS: they group by log group.
pub fn query(by: GroupBy) -> String {
    let mut q = String::from(
        "filter @type = \"REPORT\"\n| fields ispresent(@initDuration) as cold, @memorySize / 1000 / 1000 as memory_mb\n",
    );
    if by == GroupBy::Version {
        q.push_str("| parse @logStream \"[*]\" as version\n");
    }
    q.push_str("| stats ");
    let stats: Vec<String> = STATS
        .iter()
        .map(|(name, expr)| format!("{expr} as {name}"))
        .collect();
    q.push_str(&stats.join(",\n    "));
    q.push_str(match by {
        GroupBy::Version => "\n  by @log, version, cold\n",
        GroupBy::Memory => "\n  by @log, memory_mb, cold\n",
        _ => "\n  by @log, cold\n",
    });
    q
}

/// Whether a CSV header is the results of the query.
pub fn is_csv_header(line: &str) -> bool {
    let fields: Vec<&str> = line
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .collect();
    fields.contains(&"invocations") && fields.contains(&"billed_ms_sum") && fields.contains(&"cold")
}

/// One row of results: field name to value, as text.
type Row = BTreeMap<String, String>;

/// Reads the results (`text`, the whole input) in any of their shapes.
pub fn read(text: &str, origin: &str) -> Result<Vec<Aggregated>, InputError> {
    let rows = if text.trim_start().starts_with(['{', '[']) {
        json_rows(text, origin)?
    } else {
        csv_rows(text, origin)?
    };
    aggregates(&rows, origin)
}

fn csv_rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| InputError::whole(origin, format!("cannot read the header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            InputError::at(origin, line, format!("malformed CSV row: {e}"))
        })?;
        rows.push(
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
        );
    }
    Ok(rows)
}

/// A JSON value as the text of a field.
fn text_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn json_rows(text: &str, origin: &str) -> Result<Vec<Row>, InputError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| InputError::at(origin, e.line() as u64, format!("malformed JSON ({e})")))?;
    let not_results = || {
        InputError::whole(
            origin,
            "JSON that is neither Logs Insights results (get-query-results or a console export) nor a log",
        )
    };
    match &value {
        // `aws logs get-query-results`: rows of {"field", "value"} pairs.
        serde_json::Value::Object(map) => {
            let results = map
                .get("results")
                .and_then(|r| r.as_array())
                .ok_or_else(not_results)?;
            Ok(results
                .iter()
                .filter_map(|row| row.as_array())
                .map(|cells| {
                    cells
                        .iter()
                        .filter_map(|c| {
                            let field = c.get("field")?.as_str()?.to_string();
                            Some((field, text_of(c.get("value")?)))
                        })
                        .collect()
                })
                .collect())
        }
        // The console's JSON export: one object per row.
        serde_json::Value::Array(rows) => Ok(rows
            .iter()
            .filter_map(|r| r.as_object())
            .map(|r| r.iter().map(|(k, v)| (k.clone(), text_of(v))).collect())
            .collect()),
        _ => Err(not_results()),
    }
}

/// A number of a row (Insights may write `1.28E8`).
fn number(row: &Row, field: &str, origin: &str) -> Result<Option<f64>, InputError> {
    match row.get(field).map(|v| v.trim()) {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<f64>().map(Some).map_err(|_| {
            InputError::whole(origin, format!("field '{field}': '{v}' is not a number"))
        }),
    }
}

fn required(row: &Row, field: &str, origin: &str) -> Result<f64, InputError> {
    number(row, field, origin)?.ok_or_else(|| {
        InputError::whole(
            origin,
            format!(
                "field '{field}' is missing: read the results of the query `lambcost insights-query` prints"
            ),
        )
    })
}

/// The rows, one per group and phase, as one aggregate per group, in order of appearance.
fn aggregates(rows: &[Row], origin: &str) -> Result<Vec<Aggregated>, InputError> {
    let mut out: Vec<Aggregated> = Vec::new();
    for row in rows {
        let function = row
            .get("@log")
            .or_else(|| row.get("log_group"))
            .map_or_else(|| "insights".to_string(), |g| function_of(g));
        let name = match (row.get("version"), row.get("memory_mb")) {
            (Some(v), _) if !v.is_empty() => format!("{function}:{v}"),
            (_, Some(mb)) if !mb.is_empty() => {
                let mb = mb
                    .parse::<f64>()
                    .map_or(mb.clone(), |m| format!("{}", m.round()));
                format!("{function}-{mb}mb")
            }
            _ => function,
        };
        let cold = matches!(
            row.get("cold")
                .map(|c| c.trim().to_ascii_lowercase())
                .as_deref(),
            Some("1" | "true")
        );
        let pct = |f: &str| number(row, f, origin);
        let phase = PhaseAggregate {
            count: required(row, "invocations", origin)?.round().max(0.0) as u64,
            duration_mean_ms: required(row, "duration_mean_ms", origin)?,
            duration_sd_ms: pct("duration_sd_ms")?.unwrap_or(0.0),
            duration_pct_ms: [
                pct("duration_p50_ms")?,
                pct("duration_p90_ms")?,
                pct("duration_p95_ms")?,
                pct("duration_p99_ms")?,
            ],
            duration_max_ms: pct("duration_max_ms")?,
            init_mean_ms: pct("init_mean_ms")?,
            init_ms_sum: pct("init_ms_sum")?.unwrap_or(0.0),
            billed_ms_sum: required(row, "billed_ms_sum", origin)?,
        };
        let memory = required(row, "memory_size_mb", origin)?.round() as u32;
        let used = match (
            pct("max_memory_used_mb_min")?,
            pct("max_memory_used_mb_max")?,
        ) {
            (Some(lo), Some(hi)) => Some((lo.round() as u32, hi.round() as u32)),
            _ => None,
        };
        let i = match out.iter().position(|a| a.name == name) {
            Some(i) => i,
            None => {
                out.push(Aggregated {
                    name: name.clone(),
                    origin: origin.to_string(),
                    memory_size_mb: memory,
                    ..Aggregated::default()
                });
                out.len() - 1
            }
        };
        let a = &mut out[i];
        a.memory_size_mb = a.memory_size_mb.max(memory);
        a.max_memory_used_mb = match (a.max_memory_used_mb, used) {
            (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
            (x, None) | (None, x) => x,
        };
        if cold {
            a.cold = phase;
        } else {
            a.warm = phase;
        }
    }
    if out.is_empty() {
        return Err(InputError::whole(
            origin,
            "Logs Insights results with no row",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_every_field_the_reader_reads() {
        let q = query(GroupBy::LogGroup);
        assert!(q.starts_with("filter @type = \"REPORT\""));
        for (name, _) in STATS {
            assert!(q.contains(&format!(" as {name}")), "{name}");
        }
        assert!(q.trim_end().ends_with("by @log, cold"));
        assert!(query(GroupBy::Version).contains("parse @logStream \"[*]\" as version"));
    }
}
