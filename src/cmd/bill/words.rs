//! What `bill` says of a bill, in words: its title, what was read and checked, what reduced
//! it, and each line that disagrees with the price book.

use crate::cli::BillArgs;
use crate::report::{Cell, Column, Detail, View, json_value};
use lambcost_core::bill::{Bill, Charge, ChargeKey, ChargeSum, Mismatch, Problem};
use lambcost_core::format::{grouped, percent, usd_cents};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Mismatched lines a terminal lists before it says how many more there are.
const LISTED: usize = 10;

/// The title: how many functions, what was billed, how the lines agree.
pub fn title(bill: &Bill) -> String {
    let (public, billed) = totals(bill);
    let functions: std::collections::BTreeSet<&str> =
        bill.functions.keys().map(|k| k.function.as_str()).collect();
    let months: std::collections::BTreeSet<&str> =
        bill.functions.keys().map(|k| k.month.as_str()).collect();
    format!(
        "lambcost bill: {} function{} in {}, {} billed ({} at public on-demand rates); {}",
        functions.len(),
        if functions.len() == 1 { "" } else { "s" },
        months.into_iter().collect::<Vec<_>>().join(", "),
        usd_cents(billed),
        usd_cents(public),
        agreement(bill)
    )
}

fn agreement(bill: &Bill) -> String {
    let unchecked: u64 = bill.unchecked.values().sum();
    if bill.lines_checked == 0 {
        format!(
            "no usage line could be checked against the price book ({} not checkable)",
            grouped(unchecked.into(), 0)
        )
    } else if bill.lines_mismatched == 0 {
        format!(
            "all {} usage lines checked agree with the price book",
            grouped(bill.lines_checked.into(), 0)
        )
    } else {
        format!(
            "{} of {} usage lines checked disagree with the price book",
            grouped(bill.lines_mismatched.into(), 0),
            grouped(bill.lines_checked.into(), 0)
        )
    }
}

/// Public and billed cost of every charge kept.
fn totals(bill: &Bill) -> (Decimal, Decimal) {
    bill.functions
        .values()
        .flat_map(|c| c.values())
        .fold((Decimal::ZERO, Decimal::ZERO), |(p, b), s| {
            (p + s.public_cost, b + s.billed_cost)
        })
}

/// The table people read: a row per function and charge, the charge named in words with
/// its architecture and operation, the quantity with its unit.
pub fn view(bill: &Bill, regions: bool, months: bool) -> View {
    let mut rows = Vec::new();
    for (key, charges) in &bill.functions {
        let function = if months {
            format!("{} {}", key.function, key.month)
        } else {
            key.function.clone()
        };
        for (charge, sum) in charges {
            let mut row = vec![Cell::Text(function.clone())];
            if regions {
                row.push(Cell::Text(key.region.clone()));
            }
            row.extend([
                Cell::Text(charge_label(charge)),
                Cell::Figure(quantity(sum)),
                Cell::Usd(sum.public_cost),
                Cell::Usd(sum.billed_cost),
            ]);
            rows.push(row);
        }
    }
    let mut columns = vec![Column::shown("function", "Function")];
    if regions {
        columns.push(Column::shown("region", "Region"));
    }
    columns.extend([
        Column::shown("charge", "Charge"),
        Column::shown("quantity", "Quantity"),
        Column::shown("public_cost_usd", "Public"),
        Column::shown("billed_cost_usd", "Billed"),
    ]);
    View { columns, rows }
}

/// A charge for people: `duration (arm64)`, `PC duration`; another operation than
/// `Invoke` stands in its place (`Shutdown`: duration billed outside invocations).
fn charge_label(key: &ChargeKey) -> String {
    let name = match key.charge {
        Charge::Duration => "duration",
        Charge::Requests => "requests",
        Charge::ProvisionedConcurrency => "PC",
        Charge::ProvisionedDuration => "PC duration",
        Charge::EphemeralStorage => "storage",
        Charge::Snapstart => "SnapStart",
        Charge::Edge => "Lambda@Edge",
        Charge::DataTransfer => "data transfer",
        Charge::Other => "other",
    };
    let mut label = if key.operation.is_empty() || key.operation == "Invoke" {
        name.to_string()
    } else {
        key.operation.clone()
    };
    if key.arch == lambcost_core::pricing::Arch::Arm64 {
        label.push_str(" (arm64)");
    }
    label
}

/// A quantity with its unit: `403,235 GB-s`, `12.50 GB-s`, `1,150,000 req` (the exact
/// figure is the CSV's and the JSON's).
fn quantity(sum: &ChargeSum) -> String {
    let small = sum.quantity.abs() < Decimal::from(1000);
    let dp = if small && !sum.quantity.fract().is_zero() {
        2
    } else {
        0
    };
    let unit = match sum.unit.as_str() {
        "Lambda-GB-Second" | "Lambda-GB-Seconds" | "GB-Seconds" | "Seconds" => " GB-s",
        "Requests" | "Request" => " req",
        "" => "",
        other => return format!("{} {other}", grouped(sum.quantity, dp)),
    };
    format!("{}{unit}", grouped(sum.quantity, dp))
}

/// What the lines were checked against, and how many agree.
pub fn checked_note(
    bill: &Bill,
    book: &lambcost_core::pricing::PriceBook,
    args: &BillArgs,
) -> String {
    let file = match &args.pricing {
        Some(p) => p.display().to_string(),
        None => "embedded".to_string(),
    };
    let unchecked: u64 = bill.unchecked.values().sum();
    let effective = book
        .regions
        .values()
        .map(|r| r.effective)
        .max()
        .map_or_else(String::new, |d| format!(", effective {d}"));
    format!(
        "Checked: {} usage lines against the price book ({file}{effective}): {} agree{}{}.",
        grouped(bill.lines_checked.into(), 0),
        grouped(bill.lines_agree.into(), 0),
        if bill.lines_mismatched > 0 {
            format!(
                ", {} differ (listed)",
                grouped(bill.lines_mismatched.into(), 0)
            )
        } else {
            String::new()
        },
        if unchecked > 0 {
            format!(
                "; {} not checkable (--explain says why)",
                grouped(unchecked.into(), 0)
            )
        } else {
            String::new()
        }
    )
}

/// Where every line read went.
pub fn read_note(read: &lambcost_readers::bill::Exports, bill: &Bill) -> String {
    let formats: std::collections::BTreeSet<String> = read
        .files
        .iter()
        .map(|f| format!("{}, {}", f.format.name(), f.container))
        .collect();
    let c = &bill.counts;
    let mut parts = vec![format!(
        "Read: {} lines from {} file{} ({})",
        grouped(c.read.into(), 0),
        read.files.len(),
        if read.files.len() == 1 { "" } else { "s" },
        formats.into_iter().collect::<Vec<_>>().join("; ")
    )];
    parts.push(format!(
        "{} of AWS Lambda summed",
        grouped(c.summed.into(), 0)
    ));
    if c.other_services > 0 {
        parts.push(format!(
            "{} of other services left out",
            grouped(c.other_services.into(), 0)
        ));
    }
    if c.filtered_out > 0 {
        parts.push(format!(
            "{} of other functions or months (--function, --month)",
            grouped(c.filtered_out.into(), 0)
        ));
    }
    if !read.skipped.is_empty() {
        parts.push(format!(
            "{} file{} skipped, not exports",
            read.skipped.len(),
            if read.skipped.len() == 1 { "" } else { "s" }
        ));
    }
    format!("{}.", parts.join("; "))
}

/// What reduced the bill: the free tier, Savings Plans, credits and refunds, when any did.
pub fn reductions_note(bill: &Bill) -> Option<String> {
    let sums: Vec<_> = bill.functions.values().flat_map(|c| c.values()).collect();
    let total = |f: &dyn Fn(&lambcost_core::bill::ChargeSum) -> Decimal| -> Decimal {
        sums.iter().map(|s| f(s)).sum()
    };
    let free = total(&|s| s.free_tier_usd);
    let free_quantity = total(&|s| s.free_tier_quantity);
    let saved = total(&|s| s.savings_plan_public_usd - s.savings_plan_effective_usd);
    let credits = total(&|s| s.credits_usd + s.discounts_usd);
    let refunds = total(&|s| s.refunds_usd);
    let mut parts = Vec::new();
    if !free.is_zero() {
        parts.push(format!("free tier {}", usd_cents(free)));
    } else if !free_quantity.is_zero() {
        parts.push("free tier (the export states no public cost on its lines)".to_string());
    }
    if let Some(share) = bill.savings_plan_discount() {
        parts.push(format!(
            "Savings Plans {} ({} off covered usage: --savings-plan {} prices it in estimates)",
            usd_cents(saved),
            percent(share),
            (share * Decimal::ONE_HUNDRED).round_dp(2).normalize()
        ));
    }
    if !credits.is_zero() {
        parts.push(format!("credits and discounts {}", usd_cents(credits)));
    }
    if !refunds.is_zero() {
        parts.push(format!("refunds {}", usd_cents(refunds)));
    }
    (!parts.is_empty()).then(|| format!("Reduced by: {}.", parts.join("; ")))
}

/// A mismatch in one line for people.
fn mismatch_line(m: &Mismatch) -> String {
    let book = m
        .book_rate
        .map_or_else(|| "none".to_string(), |r| r.normalize().to_string());
    let what = match &m.problem {
        Problem::Rate => format!(
            "rate {} is not the price book's ({book})",
            m.rate.normalize()
        ),
        Problem::Arithmetic { stated, expected } => format!(
            "cost {} is not its quantity × {} rounded to 10 places ({})",
            stated.normalize(),
            m.rate.normalize(),
            expected.normalize()
        ),
        Problem::Tier {
            region_gb_seconds,
            tier_from_gb_seconds,
        } => format!(
            "rate {} is the tier from {} GB-s, but the region's month has {} GB-s",
            m.rate.normalize(),
            grouped(*tier_from_gb_seconds, 0),
            grouped(*region_gb_seconds, 0)
        ),
    };
    format!("  - {}:{} {}: {what}", m.file, m.row, m.usage_type)
}

/// The lines that disagree, at most [`LISTED`] of them, and how many more.
pub fn mismatch_lines(bill: &Bill) -> Vec<String> {
    if bill.mismatches.is_empty() {
        return Vec::new();
    }
    let mut lines = vec!["Lines that disagree with the price book:".to_string()];
    lines.extend(bill.mismatches.iter().take(LISTED).map(mismatch_line));
    if bill.mismatches.len() > LISTED {
        lines.push(format!(
            "  … {} lines disagree in all (--format json lists up to {})",
            grouped(bill.lines_mismatched.into(), 0),
            lambcost_core::bill::MAX_LISTED_MISMATCHES
        ));
    }
    lines
}

/// A mismatch for machines.
pub fn mismatch_json(m: &Mismatch) -> Value {
    let usd = |v| json_value(&Cell::Usd(v));
    let mut v = json!({
        "file": m.file,
        "row": m.row,
        "usage_type": m.usage_type,
        "rate": json_value(&Cell::Number(m.rate, 10)),
        "book_rate": m.book_rate.map(|r| json_value(&Cell::Number(r, 10))),
    });
    if let Value::Object(map) = &mut v {
        match &m.problem {
            Problem::Rate => {
                map.insert("problem".into(), "rate".into());
            }
            Problem::Arithmetic { stated, expected } => {
                map.insert("problem".into(), "arithmetic".into());
                map.insert("cost".into(), usd(*stated));
                map.insert("expected_cost".into(), usd(*expected));
            }
            Problem::Tier {
                region_gb_seconds,
                tier_from_gb_seconds,
            } => {
                map.insert("problem".into(), "tier".into());
                map.insert(
                    "region_gb_seconds".into(),
                    json_value(&Cell::Number(*region_gb_seconds, 10)),
                );
                map.insert(
                    "tier_from_gb_seconds".into(),
                    json_value(&Cell::Number(*tier_from_gb_seconds, 0)),
                );
            }
        }
    }
    v
}

/// The notes `--explain` adds: the lines not checked and why, each file read, each skipped.
pub fn details(bill: &Bill, read: &lambcost_readers::bill::Exports) -> Vec<Detail> {
    let mut out: Vec<Detail> = bill
        .unchecked
        .iter()
        .map(|(why, n)| {
            Detail::general(format!(
                "Not checked: {} lines: {why}.",
                grouped((*n).into(), 0)
            ))
        })
        .collect();
    out.extend(read.files.iter().map(|f| {
        Detail::general(format!(
            "{}: {} ({}), {} rows.",
            f.file,
            f.format.name(),
            f.container,
            grouped(f.rows.into(), 0)
        ))
    }));
    out.extend(
        read.skipped.iter().map(|(f, why)| {
            Detail::general(format!("{f}: skipped, not a billing export ({why})."))
        }),
    );
    out.push(Detail::general(
        "Each line's public cost is round_half_up(quantity × rate, 10 places), as AWS writes it; a duration line's rate may be a later tier's only when the region's month of that architecture reaches the tier.".to_string(),
    ));
    out
}

/// The skipped files, for a message.
pub fn skipped_list(skipped: &[(String, String)]) -> String {
    skipped
        .iter()
        .take(3)
        .map(|(f, why)| format!("{f}: {why}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why nothing is left after `--function` and `--month`: what the bill does have.
pub fn nothing_kept(args: &BillArgs, bill: &Bill) -> String {
    let have: Vec<String> = bill
        .functions_seen
        .iter()
        .take(20)
        .map(|(f, m)| format!("{f} ({m})"))
        .collect();
    let more = bill.functions_seen.len().saturating_sub(have.len());
    let asked = match (args.functions.is_empty(), &args.month) {
        (false, Some(m)) => format!("--function {} --month {m}", args.functions.join(",")),
        (false, None) => format!("--function {}", args.functions.join(",")),
        (true, Some(m)) => format!("--month {m}"),
        (true, None) => String::new(),
    };
    format!(
        "{asked}: the bill has no Lambda line for it; it has {}{}",
        have.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}
