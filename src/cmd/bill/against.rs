//! `bill --against`: each function's bill beside what its logs imply, read as `compare`
//! reads them (one variant per function and memory size) and reconciled by the core.

use crate::report::{Cell, json_value};
use anyhow::Result;
use lambcost_core::bill::{Bill, Cause, LogUsage, Reconciliation, reconcile};
use lambcost_core::format::{grouped, percent, usd_cents};
use lambcost_core::pricing::PriceBook;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The reconciliations, in words and as JSON.
pub struct Against {
    /// The body lines.
    pub lines: Vec<String>,
    /// What the user should know (logs matched to no function of the bill).
    pub warnings: Vec<String>,
    /// The `against` array of the JSON.
    pub json: Value,
}

/// Reads `data` and sets every function of `bill` that has logs beside them.
pub fn reconcile_all(data: &[PathBuf], bill: &Bill, book: &PriceBook) -> Result<Against> {
    let region = bill
        .functions
        .keys()
        .map(|k| k.region.as_str())
        .find(|r| book.regions.contains_key(*r))
        .unwrap_or("us-east-1");
    // Logs are read under the rules of the bill's first month: REPORT lines state what was
    // billed then, and a log without Billed Duration is billed by that month's rules.
    let billing_date = bill
        .functions
        .keys()
        .next()
        .and_then(|k| format!("{}-01", k.month).parse().ok())
        .unwrap_or_else(crate::setup::context::today);
    let account = lambcost_core::cost::Account {
        month_hours: None,
        gb_seconds: Decimal::ZERO,
        requests: Decimal::ZERO,
        free_tier: false,
        billing_date,
        savings_plan: Decimal::ZERO,
    };
    let pricer = lambcost_core::cost::Pricer::new(book, region, account)
        .map_err(|e| anyhow::anyhow!("--against: {e}"))?;
    let naming =
        crate::setup::inputs::LogNaming::plain(lambcost_core::grouping::GroupBy::Memory, 0);
    let inputs = crate::setup::inputs::select_profiles(data, &naming, &pricer)
        .map_err(|e| e.context("--against"))?;
    let mut usages = Vec::new();
    let mut warnings = inputs.warnings;
    for p in &inputs.profiles {
        match &p.measurements {
            Some(m) => usages.push((
                function_of(&p.name, p.memory_mb),
                LogUsage {
                    name: p.name.clone(),
                    memory_mb: p.memory_mb,
                    arch: p.arch,
                    invocations: m.cold.count + m.warm.count,
                    billed_ms: m.cold.billed_ms_sum + m.warm.billed_ms_sum,
                },
            )),
            None => warnings.push(format!(
                "--against: {} is a summary row, not invocations; only logs and samples can be set beside a bill",
                p.name
            )),
        }
    }
    let functions: std::collections::BTreeSet<&str> =
        bill.functions.keys().map(|k| k.function.as_str()).collect();
    // One function billed and logs named otherwise (a file's stem): they are its logs.
    if let [only] = functions.iter().copied().collect::<Vec<_>>().as_slice()
        && usages.iter().all(|(f, _)| !functions.contains(f.as_str()))
    {
        let named: std::collections::BTreeSet<String> =
            usages.iter().map(|(f, _)| f.clone()).collect();
        warnings.push(format!(
            "--against: the logs name {}, the bill has one function, {only}: they are taken as its logs",
            named.into_iter().collect::<Vec<_>>().join(", ")
        ));
        for (f, _) in &mut usages {
            f.clone_from(&(*only).to_string());
        }
    }
    let mut left_out = std::collections::BTreeSet::new();
    for (f, _) in &usages {
        if !functions.contains(f.as_str()) {
            left_out.insert(f.clone());
        }
    }
    for f in left_out {
        warnings.push(format!(
            "--against: the logs of {f} name no function of the bill ({}); they are left out",
            functions.iter().copied().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut lines = Vec::new();
    let mut docs = Vec::new();
    for (key, charges) in &bill.functions {
        let logs: Vec<LogUsage> = usages
            .iter()
            .filter(|(f, _)| *f == key.function)
            .map(|(_, u)| u.clone())
            .collect();
        if logs.is_empty() {
            continue;
        }
        let arch = logs
            .first()
            .map_or(lambcost_core::pricing::Arch::X86_64, |l| l.arch);
        let prices = book.regions.get(&key.region).and_then(|r| r.arch(arch));
        let r = reconcile(charges, &logs, prices);
        lines.push(format!(
            "{} {} against its logs: {}",
            key.function,
            key.month,
            sentence(&r)
        ));
        lines.extend(r.causes.iter().map(|c| format!("  - {}", cause(c))));
        docs.push(document(&key.function, &key.region, &key.month, &r));
    }
    if lines.is_empty() {
        warnings.push("--against: no log names a function of the bill".to_string());
    }
    Ok(Against {
        lines,
        warnings,
        json: Value::Array(docs),
    })
}

/// The function a variant read with `GroupBy::Memory` is: its name without `-512mb`.
fn function_of(name: &str, memory_mb: u32) -> String {
    name.strip_suffix(&format!("-{memory_mb}mb"))
        .unwrap_or(name)
        .to_string()
}

/// A reconciliation in one sentence.
fn sentence(r: &Reconciliation) -> String {
    format!(
        "the logs imply {} GB-s and {} requests, the bill states {} GB-s and {} requests: {} GB-s ({}) and {} at public rates",
        grouped(r.log_gb_seconds, 2),
        grouped(r.log_requests.into(), 0),
        grouped(r.bill_gb_seconds, 2),
        grouped(r.bill_requests, 0),
        signed(r.gb_seconds_difference, |v| grouped(v, 2)),
        signed(r.gb_seconds_share(), percent),
        signed(r.usd_difference, usd_cents),
    )
}

/// `+1.50`, `-1.50`, `0.00`: a difference with its sign.
fn signed(v: Decimal, f: impl Fn(Decimal) -> String) -> String {
    if v > Decimal::ZERO {
        format!("+{}", f(v))
    } else if v < Decimal::ZERO {
        format!("-{}", f(-v))
    } else {
        f(v)
    }
}

/// A cause in words.
fn cause(c: &Cause) -> String {
    match c {
        Cause::Shutdown { gb_seconds } => format!(
            "{} GB-s billed under the operation Shutdown: duration outside invocations, which no REPORT line shows (set beside the invocations, not against them)",
            grouped(*gb_seconds, 2)
        ),
        Cause::Requests { difference } if *difference > 0 => format!(
            "the bill has {} more requests than the logs: invocations outside the logs' window, or not logged",
            grouped((*difference).into(), 0)
        ),
        Cause::Requests { difference } => format!(
            "the logs have {} more invocations than the bill: logs from outside the month, or read twice",
            grouped((-*difference).into(), 0)
        ),
        Cause::FreeTier { usd } => format!(
            "the free tier paid {} of it (an account credit, not the function's)",
            usd_cents(*usd)
        ),
        Cause::SavingsPlan { usd } => format!("a Savings Plan saved {}", usd_cents(*usd)),
        Cause::MemoryChanged { memory_mb } => format!(
            "the logs show the function at {} MB in the month: each size's GB-s is its own",
            memory_mb
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A reconciliation for machines.
fn document(function: &str, region: &str, month: &str, r: &Reconciliation) -> Value {
    let number = |v| json_value(&Cell::Number(v, 10));
    let usd = |v| json_value(&Cell::Usd(v));
    json!({
        "function": function,
        "region": region,
        "month": month,
        "bill_gb_seconds": number(r.bill_gb_seconds),
        "bill_requests": number(r.bill_requests),
        "bill_public_usd": usd(r.bill_public_usd),
        "bill_billed_usd": usd(r.bill_billed_usd),
        "log_gb_seconds": number(r.log_gb_seconds),
        "log_requests": r.log_requests,
        "log_public_usd": usd(r.log_public_usd),
        "gb_seconds_difference": number(r.gb_seconds_difference),
        "gb_seconds_difference_share": number(r.gb_seconds_share()),
        "usd_difference": usd(r.usd_difference),
        "causes": r.causes.iter().map(cause).collect::<Vec<_>>(),
    })
}
