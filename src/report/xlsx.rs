//! A workbook that stays alive: a Prices sheet (the price book's rates), an Inputs sheet
//! (traffic, billed durations, memory and cold-start share per variant and level, and the
//! account settings) and a Cost sheet whose cells are formulas over the other two. Change a
//! price or a traffic level in the spreadsheet and every cost is recomputed, by the same rules
//! lambcost applies: billed GB-seconds through the tiers from the account's usage on, what the
//! account's other usage leaves of the free tier when switched on, requests per million.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Formula, Workbook, XlsxError};

/// The rates of one architecture, as the workbook carries them.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchRates {
    /// `x86_64` or `arm64`.
    pub arch: String,
    /// USD per million requests.
    pub requests_usd_per_million: Decimal,
    /// (from GB-seconds, USD per GB-second), ascending from 0.
    pub tiers: Vec<(Decimal, Decimal)>,
}

/// One row of inputs: a variant at a traffic level.
#[derive(Clone, Debug, PartialEq)]
pub struct InputRow {
    /// Variant.
    pub variant: String,
    /// Architecture (a row of the Prices sheet).
    pub arch: String,
    /// Memory, MB.
    pub memory_mb: u32,
    /// Invocations a month.
    pub requests: u64,
    /// Mean billed ms of a warm invocation.
    pub warm_billed_ms: Decimal,
    /// Mean billed ms of a cold invocation.
    pub cold_billed_ms: Decimal,
    /// Share of cold invocations.
    pub cold_start_rate: Decimal,
}

/// Everything the workbook holds.
#[derive(Clone, Debug, PartialEq)]
pub struct CostBook {
    /// Region and source, for the Prices sheet's heading.
    pub prices_title: String,
    /// Rates per architecture.
    pub rates: Vec<ArchRates>,
    /// GB-seconds the account's other functions use.
    pub account_gb_seconds: Decimal,
    /// Requests the account's other functions make.
    pub account_requests: Decimal,
    /// Whether the free tier is subtracted.
    pub free_tier: bool,
    /// Free requests a month.
    pub free_requests: u64,
    /// Free GB-seconds a month.
    pub free_gb_seconds: Decimal,
    /// A Compute Savings Plan's discount on duration, as a share (0 without one).
    pub savings_plan: Decimal,
    /// The rows.
    pub rows: Vec<InputRow>,
}

/// First data row of the Inputs table (0-based), after the settings block.
const INPUT_TABLE: u32 = 8;
/// The most tiers a workbook row prices (AWS has three).
pub const MAX_TIERS: usize = 3;

fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Builds the workbook.
pub fn workbook(book: &CostBook) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    prices_sheet(&mut wb, book, &bold)?;
    inputs_sheet(&mut wb, book, &bold)?;
    cost_sheet(&mut wb, book, &bold)?;
    wb.save_to_buffer()
}

/// Prices: one row per architecture, the tiers side by side.
fn prices_sheet(wb: &mut Workbook, book: &CostBook, bold: &Format) -> Result<(), XlsxError> {
    let rate = Format::new().set_num_format("0.0000000000");
    let prices = wb.add_worksheet();
    prices.set_name("Prices")?;
    let mut header = vec!["arch".to_string(), "requests_usd_per_million".to_string()];
    for t in 1..=MAX_TIERS {
        header.push(format!("tier{t}_from_gb_seconds"));
        header.push(format!("tier{t}_usd_per_gb_second"));
    }
    for (c, h) in header.iter().enumerate() {
        prices.write_string_with_format(0, c as u16, h, bold)?;
    }
    for (r, a) in book.rates.iter().enumerate() {
        let row = r as u32 + 1;
        prices.write_string(row, 0, &a.arch)?;
        prices.write_number(row, 1, num(a.requests_usd_per_million))?;
        for t in 0..MAX_TIERS {
            // Absent tiers start beyond any usage and cost nothing.
            let (from, usd) = a
                .tiers
                .get(t)
                .copied()
                .unwrap_or((Decimal::from(10u64.pow(18)), Decimal::ZERO));
            prices.write_number(row, 2 + 2 * t as u16, num(from))?;
            prices.write_number_with_format(row, 3 + 2 * t as u16, num(usd), &rate)?;
        }
    }
    prices.write_string(book.rates.len() as u32 + 2, 0, &book.prices_title)?;
    prices.set_column_width(0, 14)?;
    prices.set_column_width(1, 26)?;
    Ok(())
}

/// Inputs: the account settings (B2 to B7), then the variants at each level.
fn inputs_sheet(wb: &mut Workbook, book: &CostBook, bold: &Format) -> Result<(), XlsxError> {
    let inputs = wb.add_worksheet();
    inputs.set_name("Inputs")?;
    inputs.write_string_with_format(0, 0, "setting", bold)?;
    inputs.write_string_with_format(0, 1, "value", bold)?;
    let settings = [
        ("account_gb_seconds", num(book.account_gb_seconds)),
        (
            "free_tier (1 on, 0 off)",
            if book.free_tier { 1.0 } else { 0.0 },
        ),
        ("free_tier_requests", book.free_requests as f64),
        ("free_tier_gb_seconds", num(book.free_gb_seconds)),
        ("account_requests", num(book.account_requests)),
        ("savings_plan (share off duration)", num(book.savings_plan)),
    ];
    for (i, (name, value)) in settings.iter().enumerate() {
        inputs.write_string(i as u32 + 1, 0, *name)?;
        inputs.write_number(i as u32 + 1, 1, *value)?;
    }
    let columns = [
        "variant",
        "arch",
        "memory_mb",
        "requests",
        "warm_billed_ms",
        "cold_billed_ms",
        "cold_start_rate",
    ];
    for (c, h) in columns.iter().enumerate() {
        inputs.write_string_with_format(INPUT_TABLE - 1, c as u16, *h, bold)?;
    }
    for (i, r) in book.rows.iter().enumerate() {
        let row = INPUT_TABLE + i as u32;
        inputs.write_string(row, 0, &r.variant)?;
        inputs.write_string(row, 1, &r.arch)?;
        inputs.write_number(row, 2, f64::from(r.memory_mb))?;
        inputs.write_number(row, 3, r.requests as f64)?;
        inputs.write_number(row, 4, num(r.warm_billed_ms))?;
        inputs.write_number(row, 5, num(r.cold_billed_ms))?;
        inputs.write_number(row, 6, num(r.cold_start_rate))?;
    }
    inputs.set_column_width(0, 24)?;
    Ok(())
}

/// The formula of on-demand compute on Cost row `x` (1-based) for Prices row `p`: billable
/// GB-seconds run from (account usage + free) to (account usage + all), through each tier.
fn compute_formula(x: u32, p: usize) -> String {
    let start = format!("(Inputs!$B$2+E{x})");
    let end = format!("(Inputs!$B$2+D{x})");
    let tier_cols = ["C", "E", "G"];
    let price_cols = ["D", "F", "H"];
    let mut terms = Vec::new();
    for t in 0..MAX_TIERS {
        let from = format!("Prices!{}{p}", tier_cols[t]);
        let price = format!("Prices!{}{p}", price_cols[t]);
        let upper = match tier_cols.get(t + 1) {
            Some(next) => format!("MIN({end},Prices!{next}{p})"),
            None => end.clone(),
        };
        terms.push(format!("MAX(0,{upper}-MAX({start},{from}))*{price}"));
    }
    // A Savings Plan takes its share off the duration charge, never off requests.
    format!("=({})*(1-Inputs!$B$7)", terms.join("+"))
}

/// What a Cost row's formulas compute, worked out the same way: written beside each formula
/// as its cached result, so a reader that does not recalculate (a preview, pandas) shows the
/// numbers; a spreadsheet that does recalculates them from the other sheets.
#[derive(Clone, Debug, PartialEq)]
struct CostRow {
    cold_starts: Decimal,
    gb_seconds: Decimal,
    free_gb_seconds: Decimal,
    compute_usd: Decimal,
    requests_usd: Decimal,
    total_usd: Decimal,
    usd_per_million: Decimal,
}

impl CostRow {
    fn of(book: &CostBook, r: &InputRow, rates: &ArchRates) -> CostRow {
        let requests = Decimal::from(r.requests);
        let cold_starts = requests * r.cold_start_rate;
        let gb_seconds = ((requests - cold_starts) * r.warm_billed_ms
            + cold_starts * r.cold_billed_ms)
            / Decimal::ONE_THOUSAND
            * Decimal::from(r.memory_mb)
            / Decimal::from(1024);
        let free_gb_seconds = if book.free_tier {
            gb_seconds.min((book.free_gb_seconds - book.account_gb_seconds).max(Decimal::ZERO))
        } else {
            Decimal::ZERO
        };
        // Through the tiers from the account's usage on, as compute_formula does.
        let start = book.account_gb_seconds + free_gb_seconds;
        let end = book.account_gb_seconds + gb_seconds;
        let mut compute_usd = Decimal::ZERO;
        for t in 0..MAX_TIERS {
            let Some(&(from, usd)) = rates.tiers.get(t) else {
                break;
            };
            let upper = match rates.tiers.get(t + 1) {
                Some(&(next, _)) => end.min(next),
                None => end,
            };
            compute_usd += (upper - start.max(from)).max(Decimal::ZERO) * usd;
        }
        let compute_usd = compute_usd * (Decimal::ONE - book.savings_plan);
        let free_requests = if book.free_tier {
            (Decimal::from(book.free_requests) - book.account_requests).max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        let requests_usd = (requests - free_requests).max(Decimal::ZERO) / Decimal::from(1_000_000)
            * rates.requests_usd_per_million;
        let total_usd = compute_usd + requests_usd;
        let usd_per_million = if requests.is_zero() {
            Decimal::ZERO
        } else {
            total_usd / requests * Decimal::from(1_000_000)
        };
        CostRow {
            cold_starts,
            gb_seconds,
            free_gb_seconds,
            compute_usd,
            requests_usd,
            total_usd,
            usd_per_million,
        }
    }
}

/// A formula with its cached result.
fn cached(formula: String, value: Decimal) -> Formula {
    Formula::new(formula).set_result(num(value).to_string())
}

/// Cost: formulas only, one row per input row.
fn cost_sheet(wb: &mut Workbook, book: &CostBook, bold: &Format) -> Result<(), XlsxError> {
    let money = Format::new().set_num_format("$#,##0.00");
    let cost = wb.add_worksheet();
    cost.set_name("Cost")?;
    let headers = [
        "variant",
        "requests",
        "cold_starts",
        "gb_seconds",
        "free_gb_seconds",
        "compute_usd",
        "requests_usd",
        "total_usd",
        "usd_per_million",
    ];
    for (c, h) in headers.iter().enumerate() {
        cost.write_string_with_format(0, c as u16, *h, bold)?;
    }
    for (i, r) in book.rows.iter().enumerate() {
        let row = i as u32 + 1;
        let x = row + 1; // this row, 1-based, for formulas
        let n = INPUT_TABLE + i as u32 + 1; // the Inputs row, 1-based
        let arch = book
            .rates
            .iter()
            .position(|a| a.arch == r.arch)
            .unwrap_or(0);
        let p = arch + 2; // Prices row
        let Some(rates) = book.rates.get(arch) else {
            continue;
        };
        let v = CostRow::of(book, r, rates);
        cost.write_formula(
            row,
            0,
            Formula::new(format!("=Inputs!A{n}")).set_result(&r.variant),
        )?;
        cost.write_formula(
            row,
            1,
            cached(format!("=Inputs!D{n}"), Decimal::from(r.requests)),
        )?;
        cost.write_formula(
            row,
            2,
            cached(format!("=Inputs!D{n}*Inputs!G{n}"), v.cold_starts),
        )?;
        cost.write_formula(
            row,
            3,
            cached(
                format!("=((Inputs!D{n}-C{x})*Inputs!E{n}+C{x}*Inputs!F{n})/1000*Inputs!C{n}/1024"),
                v.gb_seconds,
            ),
        )?;
        // What the account's other usage leaves of the free tier.
        cost.write_formula(
            row,
            4,
            cached(
                format!("=IF(Inputs!$B$3=1,MIN(D{x},MAX(0,Inputs!$B$5-Inputs!$B$2)),0)"),
                v.free_gb_seconds,
            ),
        )?;
        cost.write_formula_with_format(
            row,
            5,
            cached(compute_formula(x, p), v.compute_usd),
            &money,
        )?;
        cost.write_formula_with_format(
            row,
            6,
            cached(
                format!(
                    "=MAX(0,B{x}-IF(Inputs!$B$3=1,MAX(0,Inputs!$B$4-Inputs!$B$6),0))/1000000*Prices!B{p}"
                ),
                v.requests_usd,
            ),
            &money,
        )?;
        cost.write_formula_with_format(row, 7, cached(format!("=F{x}+G{x}"), v.total_usd), &money)?;
        cost.write_formula_with_format(
            row,
            8,
            cached(
                format!("=IF(B{x}>0,H{x}/B{x}*1000000,0)"),
                v.usd_per_million,
            ),
            &money,
        )?;
    }
    cost.set_column_width(0, 24)?;
    cost.set_column_width(5, 14)?;
    cost.set_column_width(7, 14)?;
    Ok(())
}
