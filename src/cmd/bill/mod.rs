//! `lambcost bill`: what AWS billed, read from its billing exports. Every Lambda charge per
//! function, month and charge as the export states it, every usage line checked against the
//! price book, and with `--against` each function's bill beside what its logs imply.

mod against;
mod words;

use crate::cli::BillArgs;
use crate::report::{Cell, Column, Report, json_value};
use anyhow::{Result, bail};
use lambcost_core::bill::{Bill, ChargeKey, ChargeSum, Filter, FunctionKey, Ledger};
use serde_json::{Value, json};

/// Runs `lambcost bill`.
pub fn run(args: &BillArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(args.pricing.as_deref(), None)?;
    // A function is named as the bill names it: an ARN given is its name.
    let filter = Filter {
        functions: args
            .functions
            .iter()
            .map(|f| lambcost_core::bill::function_name(f).to_string())
            .collect(),
        month: args.month.clone(),
    };
    let mut ledger = Ledger::new(&book, filter);
    let read = lambcost_readers::bill::read(&args.files, &mut ledger)?;
    let bill = ledger.finish();
    let mut warnings = Vec::new();
    let formats: std::collections::BTreeSet<&str> =
        read.files.iter().map(|f| f.format.name()).collect();
    if formats.len() > 1 {
        // Two exports of one account hold the same lines: a month read from both counts twice.
        warnings.push(format!(
            "the inputs mix {}: a month exported in two formats is summed twice; name one export",
            formats.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if read.files.is_empty() {
        bail!(
            "{}: no billing export among its files ({}); looked for {}",
            crate::setup::inputs::describe(&args.files),
            words::skipped_list(&read.skipped),
            lambcost_readers::bill::LOOKED_FOR
        );
    }
    if bill.functions_seen.is_empty() {
        return Ok(no_lambda(args, &read, &bill));
    }
    if bill.functions.is_empty() {
        bail!("{}", words::nothing_kept(args, &bill));
    }
    let against = if args.against.is_empty() {
        None
    } else {
        Some(against::reconcile_all(&args.against, &bill, &book)?)
    };
    let mut report = report(args, &read, &bill, against, &book);
    report.warnings.splice(0..0, warnings);
    Ok(report)
}

/// The report of an export that has no Lambda line: an answer, not an error.
fn no_lambda(args: &BillArgs, read: &lambcost_readers::bill::Exports, bill: &Bill) -> Report {
    let data = crate::setup::inputs::describe(&args.files);
    let title = format!(
        "lambcost bill: no AWS Lambda line among the {} lines of {data}",
        lambcost_core::format::grouped(bill.counts.read.into(), 0)
    );
    Report {
        body: vec![title.clone()],
        title,
        notes: vec![words::read_note(read, bill)],
        data,
        json: Some(json!({
            "functions": [],
            "lines_read": bill.counts.read,
            "lines_checked": 0,
            "lines_agree": 0,
            "mismatches": [],
        })),
        ..Report::default()
    }
}

/// The columns of a bill: one row per function, month and charge.
fn columns(regions: usize, months: usize) -> Vec<Column> {
    vec![
        Column::shown("function", "Function"),
        Column::shown("region", "Region").redundant_if(regions == 1),
        Column::shown("month", "Month").redundant_if(months == 1),
        Column::shown("charge", "Charge"),
        Column::shown("arch", "Arch"),
        Column::shown("usage_type", "Usage type").optional(2),
        Column::shown("operation", "Operation").optional(3),
        Column::shown("quantity", "Quantity"),
        Column::shown("unit", "Unit").optional(1),
        Column::shown("public_cost_usd", "Public $"),
        Column::shown("billed_cost_usd", "Billed $"),
        Column::shown("line_items", "Lines").optional(4),
        Column::data("free_tier_usd"),
        Column::data("savings_plan_usd"),
        Column::data("credits_usd"),
        Column::data("refunds_usd"),
    ]
}

/// One charge's cells.
fn cells(key: &FunctionKey, charge: &ChargeKey, sum: &ChargeSum) -> Vec<Cell> {
    // GB-seconds to the hundredth for people; requests and counts whole.
    let dp = if sum.quantity.fract().is_zero() { 0 } else { 2 };
    vec![
        Cell::Text(key.function.clone()),
        Cell::Text(key.region.clone()),
        Cell::Text(key.month.clone()),
        Cell::Text(charge.charge.as_str().to_string()),
        Cell::Text(charge.arch.to_string()),
        Cell::Text(charge.usage_type.clone()),
        Cell::Text(charge.operation.clone()),
        Cell::Number(sum.quantity, dp),
        Cell::Text(sum.unit.clone()),
        Cell::Usd(sum.public_cost),
        Cell::Usd(sum.billed_cost),
        Cell::Count(sum.line_items),
        Cell::Usd(sum.free_tier_usd),
        Cell::Usd(sum.savings_plan_public_usd - sum.savings_plan_effective_usd),
        Cell::Usd(sum.credits_usd),
        Cell::Usd(sum.refunds_usd),
    ]
}

/// The bill as a report.
fn report(
    args: &BillArgs,
    read: &lambcost_readers::bill::Exports,
    bill: &Bill,
    against: Option<against::Against>,
    book: &lambcost_core::pricing::PriceBook,
) -> Report {
    let regions: std::collections::BTreeSet<&str> =
        bill.functions.keys().map(|k| k.region.as_str()).collect();
    let months: std::collections::BTreeSet<&str> =
        bill.functions.keys().map(|k| k.month.as_str()).collect();
    let mut rows = Vec::new();
    for (key, charges) in &bill.functions {
        for (charge, sum) in charges {
            rows.push(cells(key, charge, sum));
        }
    }
    let view = words::view(bill, regions.len() > 1, months.len() > 1);
    let mut report = Report {
        title: words::title(bill),
        columns: columns(regions.len(), months.len()),
        rows,
        view: Some(view),
        data: crate::setup::inputs::describe(&args.files),
        answered_no: bill.lines_mismatched > 0,
        ..Report::default()
    };
    report.body.push(report.title.clone());
    report.notes.push(words::checked_note(bill, book, args));
    report.notes.push(words::read_note(read, bill));
    if let Some(note) = words::reductions_note(bill) {
        report.notes.push(note);
    }
    report.body.extend(words::mismatch_lines(bill));
    report.details.extend(words::details(bill, read));
    let mut doc = document(bill, read);
    if let Some(a) = against {
        report.body.extend(a.lines.iter().cloned());
        report.warnings.extend(a.warnings.iter().cloned());
        if let Value::Object(map) = &mut doc {
            map.insert("against".into(), a.json);
        }
    }
    report.json = Some(doc);
    report
}

/// The JSON document: functions, their charges, the checks.
fn document(bill: &Bill, read: &lambcost_readers::bill::Exports) -> Value {
    let usd = |v| json_value(&Cell::Usd(v));
    let number = |v| json_value(&Cell::Number(v, 10));
    let functions: Vec<Value> = bill
        .functions
        .iter()
        .map(|(key, charges)| {
            let charges: Vec<Value> = charges
                .iter()
                .map(|(c, s)| {
                    json!({
                        "charge": c.charge.as_str(),
                        "arch": c.arch.as_str(),
                        "usage_type": c.usage_type,
                        "operation": c.operation,
                        "quantity": number(s.quantity),
                        "unit": s.unit,
                        "public_cost_usd": usd(s.public_cost),
                        "billed_cost_usd": usd(s.billed_cost),
                        "line_items": s.line_items,
                        "free_tier_quantity": number(s.free_tier_quantity),
                        "free_tier_usd": usd(s.free_tier_usd),
                        "savings_plan_quantity": number(s.savings_plan_quantity),
                        "savings_plan_public_usd": usd(s.savings_plan_public_usd),
                        "savings_plan_effective_usd": usd(s.savings_plan_effective_usd),
                        "savings_plan_negation_usd": usd(s.savings_plan_negation_usd),
                        "savings_plan_discount": s.savings_plan_discount().map(number),
                        "credits_usd": usd(s.credits_usd),
                        "refunds_usd": usd(s.refunds_usd),
                        "discounts_usd": usd(s.discounts_usd),
                    })
                })
                .collect();
            json!({
                "function": key.function,
                "region": key.region,
                "month": key.month,
                "charges": charges,
            })
        })
        .collect();
    let mismatches: Vec<Value> = bill.mismatches.iter().map(words::mismatch_json).collect();
    json!({
        "functions": functions,
        "files": read.files.iter().map(|f| json!({
            "file": f.file, "format": f.format.name(), "container": f.container, "rows": f.rows,
        })).collect::<Vec<_>>(),
        "skipped": read.skipped.iter().map(|(f, why)| json!({"file": f, "why": why})).collect::<Vec<_>>(),
        "lines_read": bill.counts.read,
        "lines_other_services": bill.counts.other_services,
        "lines_filtered_out": bill.counts.filtered_out,
        "lines_summed": bill.counts.summed,
        "lines_checked": bill.lines_checked,
        "lines_agree": bill.lines_agree,
        "lines_mismatched": bill.lines_mismatched,
        "lines_unchecked": bill.unchecked.iter().map(|(why, n)| json!({"why": why, "lines": n})).collect::<Vec<_>>(),
        "mismatches": mismatches,
        "savings_plan_discount": bill.savings_plan_discount().map(number),
    })
}
