//! CloudWatch Logs Insights results, in every shape they are handed over: the console's CSV,
//! JSON and Markdown exports and `aws logs get-query-results` (the shapes themselves are read
//! by [`super::insights_table`]).
//!
//! The query `lambcost insights-query` prints, for accounts too big to download their logs,
//! scans every REPORT line inside AWS and returns one row per function (or version, or memory
//! setting) and phase: read back as aggregates that carry their percentiles. Any other query
//! returns a row per log event: a row with `@message` is that message, read as a log's; a
//! row of the REPORT fields alone (`fields @timestamp, @requestId, @duration,
//! @billedDuration, @initDuration, @memorySize, @maxMemoryUsed`) is that invocation. Insights
//! gives the memory fields in bytes of 1,000,000 to the MB, sometimes as `1.28E8`.

use super::input::InputError;
use super::insights_table::{Row, rows};
use super::reading::Reading;
use lambcost_core::grouping::{Context, GroupBy, function_of};
use lambcost_core::measurement::{Aggregated, Invocation, Phase, PhaseAggregate, Status};

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

/// Whether a CSV header is Logs Insights results: the statistics of the query, or log events
/// with Insights' own fields (`@timestamp`, `@message`, `@duration`, ...).
pub fn is_csv_header(line: &str) -> bool {
    let fields = super::csv_rows::header_fields(line);
    let has = |name: &str| fields.iter().any(|f| f == name);
    (has("invocations") && has("billed_ms_sum") && has("cold"))
        || has("@message")
        || has("@duration")
}

/// What a file of results holds.
pub enum Results {
    /// The statistics of `lambcost insights-query`, one aggregate per group.
    Aggregated(Vec<Aggregated>),
    /// Log events, one a row, to be read like a log's.
    Events(Vec<Row>),
}

/// Reads the results (`text`, the whole input) in any of their shapes.
pub fn read(text: &str, origin: &str) -> Result<Results, InputError> {
    let rows = rows(text, origin)?;
    let has = |name: &str| rows.iter().any(|r| r.fields.contains_key(name));
    if has("invocations") && has("billed_ms_sum") {
        return aggregates(&rows, origin).map(Results::Aggregated);
    }
    if has("@message") || has("@duration") {
        return Ok(Results::Events(rows));
    }
    if rows.is_empty() {
        return Err(InputError::whole(
            origin,
            "Logs Insights results with no row",
        ));
    }
    Err(InputError::whole(
        origin,
        "Logs Insights results with neither the statistics `lambcost insights-query` computes nor a log event a row (@message, or the REPORT fields @duration, @billedDuration, @initDuration, @memorySize, @maxMemoryUsed)",
    ))
}

/// Reads log events, one a row, into `reading`, oldest first (Insights sorts newest first):
/// an INIT_REPORT then comes before the REPORT it is for.
pub fn read_events(reading: &mut Reading<'_>, mut rows: Vec<Row>) -> Result<(), InputError> {
    let times: Option<Vec<f64>> = rows
        .iter()
        .map(|r| r.fields.get("@timestamp").and_then(|t| time_ms(t)))
        .collect();
    if let Some(times) = times {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        // Newest first: events of one millisecond are newest first too.
        if times.first() > times.last() {
            order.reverse();
        }
        order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
        let mut taken: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
        rows = order.iter().filter_map(|&i| taken[i].take()).collect();
    }
    let file = reading.options.context.clone();
    for row in rows {
        let field = |name: &str| row.fields.get(name).filter(|v| !v.is_empty());
        let ctx = Context {
            log_group: field("@log").cloned().or_else(|| file.log_group.clone()),
            log_stream: field("@logStream")
                .cloned()
                .or_else(|| file.log_stream.clone()),
        };
        if reading.wants_times() {
            reading.stamp_ms = field("@timestamp").and_then(|t| time_ms(t));
        }
        if let Some(message) = field("@message") {
            reading.message(message.as_bytes(), &ctx, row.line)?;
        } else if row.fields.contains_key("@duration") {
            match invocation(&row) {
                Ok(inv) => reading.invocation(&inv, &ctx, row.line)?,
                Err(reason) => reading.malformed(row.line, &reason, row.shown().as_bytes())?,
            }
        } else {
            reading.groups.other_messages += 1;
        }
    }
    Ok(())
}

/// An Insights time: `2024-05-01 12:00:00.004` (UTC, as the console and the API write it),
/// RFC 3339, or epoch milliseconds.
fn time_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(ms) = text.parse::<f64>() {
        return Some(ms);
    }
    super::values::time_ms(text.as_bytes())
        .or_else(|| super::values::time_ms(format!("{}Z", text.replacen(' ', "T", 1)).as_bytes()))
}

/// The invocation a row of REPORT fields describes, or why it cannot be read.
fn invocation(row: &Row) -> Result<Invocation, String> {
    let value = |name: &str| -> Result<Option<f64>, String> {
        match row.fields.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
                _ => Err(format!("{name} '{v}' is not a number")),
            },
        }
    };
    // Bytes of 1,000,000 to the MB (`1.28E8`); a figure a query already turned into MB is
    // taken as it is (no function has 100,000 MB).
    let megabytes = |name: &str| -> Result<Option<u32>, String> {
        Ok(value(name)?.map(|v| {
            let mb = if v >= 100_000.0 { v / 1e6 } else { v };
            mb.round().min(f64::from(u32::MAX)) as u32
        }))
    };
    let duration_ms = value("@duration")?.ok_or("a row with no @duration")?;
    let init_ms = value("@initDuration")?;
    Ok(Invocation {
        phase: if init_ms.is_some() {
            Phase::Cold
        } else {
            Phase::Warm
        },
        duration_ms,
        init_ms,
        restore: false,
        billed_ms: value("@billedDuration")?.map(|b| b.round() as u64),
        billed_restore_ms: None,
        memory_size_mb: megabytes("@memorySize")?,
        max_memory_used_mb: megabytes("@maxMemoryUsed")?,
        status: Status::Success,
    })
}

/// A number of a row (Insights may write `1.28E8`).
fn number(row: &Row, field: &str, origin: &str) -> Result<Option<f64>, InputError> {
    match row.fields.get(field).map(|v| v.trim()) {
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
            .fields
            .get("@log")
            .or_else(|| row.fields.get("log_group"))
            .map_or_else(|| "insights".to_string(), |g| function_of(g));
        let name = match (row.fields.get("version"), row.fields.get("memory_mb")) {
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
            row.fields
                .get("cold")
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
