//! Reports: what a command found, as rows of typed cells, and the formats it is printed in.
//!
//! A command builds one [`Report`]; each format lives in its own file and reads the same
//! report, so a figure printed in the table, the CSV and the JSON is the same figure. Money
//! keeps its full precision until a format rounds it: cents for people (table, Markdown), ten
//! decimal places for machines (CSV, JSON), so a spreadsheet's sums agree with lambcost's.

mod csv;
mod json;
mod markdown;
pub mod svg;
mod table;
pub mod xlsx;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::borrow::Cow;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned table for the terminal.
    Table,
    /// Comma-separated values with one header row, for spreadsheets.
    Csv,
    /// A JSON document.
    Json,
    /// A Markdown table, fit for a pull-request comment.
    Markdown,
    /// The report's chart as SVG.
    Svg,
    /// A workbook whose costs are formulas over its prices and inputs.
    Xlsx,
}

impl Format {
    /// The format a file extension implies (`.csv`, `.json`, `.md`, `.txt`, `.svg`, `.xlsx`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            "svg" => Some(Format::Svg),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// One column: its stable machine name (CSV header, JSON key) and its title for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// CSV header and JSON key: snake_case, with its unit (`total_usd`, `memory_mb`).
    pub key: Cow<'static, str>,
    /// Title in the table and in Markdown.
    pub title: Cow<'static, str>,
    /// Whether the terminal table and Markdown show it (CSV and JSON carry every column).
    pub shown: bool,
}

impl Column {
    /// A column the table shows.
    pub const fn shown(key: &'static str, title: &'static str) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            shown: true,
        }
    }

    /// A column only CSV and JSON carry.
    pub const fn data(key: &'static str) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(""),
            shown: false,
        }
    }

    /// A shown column whose title is made at run time (`$ @ 10M`).
    pub fn titled(key: &'static str, title: String) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Owned(title),
            shown: true,
        }
    }
}

/// A typed value in a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Free text.
    Text(String),
    /// A figure already written for people (`16.5 ± 5.6`, `7.02x`): text, aligned as a number.
    Figure(String),
    /// A whole count (requests, MB).
    Count(u64),
    /// A quantity, shown to `dp` decimal places in the table.
    Number(Decimal, u32),
    /// Money in USD.
    Usd(Decimal),
    /// A share between 0 and 1, shown as a percentage in the table.
    Share(Decimal),
    /// A yes/no fact.
    Flag(bool),
    /// Nothing to say.
    Empty,
}

/// A command's result, ready to be printed in any format.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// One line saying what this is (the Markdown summary line).
    pub title: String,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Assumptions in words, printed under the table.
    pub notes: Vec<String>,
    /// Assumptions as values: extra CSV columns on every row, the JSON `assumptions` object.
    pub assumptions: Vec<(&'static str, Cell)>,
    /// Things the user should know (printed on standard error for the table format).
    pub warnings: Vec<String>,
    /// A command-specific JSON document; when absent, JSON is built from the rows.
    pub json: Option<Value>,
    /// A different arrangement for people (table, Markdown), when the rows suit machines
    /// better (one row per variant and level) than readers (one row per variant).
    pub view: Option<View>,
    /// Charts of the report (`--plot`, `--format svg`).
    pub charts: Vec<svg::Chart>,
    /// The living workbook (`--format xlsx`), where the report's costs fit one.
    pub workbook: Option<xlsx::CostBook>,
}

/// Columns and rows for the human formats only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// The columns, all shown.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A cell as a JSON value (money and quantities as exact JSON numbers).
pub fn json_value(cell: &Cell) -> Value {
    json::value(cell)
}

/// Prints `report` in `format`, or says why the report cannot take that format.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, String> {
    Ok(match format {
        Format::Table => table::render(report).into_bytes(),
        Format::Csv => csv::render(report).into_bytes(),
        Format::Json => json::render(report).into_bytes(),
        Format::Markdown => markdown::render(report).into_bytes(),
        Format::Svg => {
            if report.charts.is_empty() {
                return Err(
                    "this command draws no chart (estimate, compare and measure do)".into(),
                );
            }
            svg::render(&report.charts)?.into_bytes()
        }
        Format::Xlsx => {
            let book = report.workbook.as_ref().ok_or(
                "the workbook carries on-demand compute and requests for estimate and compare (without Provisioned Concurrency, SnapStart or extra ephemeral storage)",
            )?;
            xlsx::workbook(book).map_err(|e| format!("cannot build the workbook: {e}"))?
        }
    })
}

/// Money for people: `$1,234.57`.
pub fn usd_cents(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", group(&format!("{:.2}", rounded.abs())))
}

/// Money for machines: at least 6 and at most 10 decimal places, no `$`, no separators.
pub fn usd_exact(value: Decimal) -> String {
    let v = value
        .round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let dp = v.scale().max(6) as usize;
    format!("{v:.dp$}")
}

/// A plain number for machines: at most 10 decimal places, trailing zeros dropped.
pub fn plain(value: Decimal) -> String {
    value
        .round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// A quantity for people, with thousands separators: `468,178`.
pub fn grouped(value: Decimal, dp: u32) -> String {
    let rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", dp as usize, rounded.abs());
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", group(&text))
}

/// A share as a percentage for people: `0.0400%`, `10.63%`.
pub fn percent(share: Decimal) -> String {
    let pct = share * Decimal::ONE_HUNDRED;
    if pct.is_zero() {
        return "0%".to_string();
    }
    if pct >= Decimal::ONE {
        return format!("{:.2}%", pct.round_dp(2));
    }
    // Three significant digits below 1%: 0.0331%, 0.000512%.
    let mut dp = 2u32;
    let mut probe = pct;
    while probe < Decimal::ONE && dp < 12 {
        probe *= Decimal::TEN;
        dp += 1;
    }
    format!("{:.*}%", dp as usize, pct.round_dp(dp))
}

fn group(number: &str) -> String {
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let mut out = String::with_capacity(number.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A cell as people read it (table, Markdown).
pub fn human(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) | Cell::Figure(t) => t.clone(),
        Cell::Count(n) => group(&n.to_string()),
        Cell::Number(v, dp) => grouped(*v, *dp),
        Cell::Usd(v) => usd_cents(*v),
        Cell::Share(s) => percent(*s),
        Cell::Flag(b) => if *b { "yes" } else { "no" }.to_string(),
        Cell::Empty => String::new(),
    }
}

/// A cell as machines read it (CSV).
pub fn machine(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) | Cell::Figure(t) => t.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Number(v, _) | Cell::Share(v) => plain(*v),
        Cell::Usd(v) => usd_exact(*v),
        Cell::Flag(b) => b.to_string(),
        Cell::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_is_cents_for_people_and_exact_for_machines() {
        assert_eq!(usd_cents(dec!(9.5833485)), "$9.58");
        assert_eq!(usd_cents(dec!(1234567.125)), "$1,234,567.13");
        assert_eq!(usd_cents(dec!(0.004)), "$0.00");
        assert_eq!(usd_exact(dec!(9.5833485)), "9.5833485");
        assert_eq!(usd_exact(dec!(2)), "2.000000");
        assert_eq!(usd_exact(dec!(0.123456789012345)), "0.123456789");
    }

    #[test]
    fn quantities_and_shares_read_naturally() {
        assert_eq!(grouped(dec!(468178), 0), "468,178");
        assert_eq!(grouped(dec!(999.5), 0), "1,000");
        assert_eq!(percent(dec!(0.0004)), "0.0400%");
        assert_eq!(percent(dec!(0.1063)), "10.63%");
        assert_eq!(percent(dec!(0.00000512)), "0.000512%");
        assert_eq!(percent(Decimal::ZERO), "0%");
    }
}
