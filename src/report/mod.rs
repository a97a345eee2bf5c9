//! Reports: what a command found, as rows of typed cells, and the formats it is printed in.
//!
//! A command builds one [`Report`]; each format lives in its own file and reads the same
//! report, so a figure printed in the table, the CSV and the JSON is the same figure. Money
//! keeps its full precision until a format rounds it: cents for people (table, Markdown), ten
//! decimal places for machines (CSV, JSON), so a spreadsheet's sums agree with lambcost's.

mod csv;
mod json;
mod markdown;
mod model;
pub mod svg;
pub mod table;
pub mod warnings;
pub mod xlsx;

pub use model::{
    Cell, Column, Detail, Field, Format, Layout, Report, View, Wrap, columns, human, machine, row,
};
use serde_json::Value;

/// A cell as a JSON value (money and quantities as exact JSON numbers).
pub fn json_value(cell: &Cell) -> Value {
    json::value(cell)
}

/// Why a report cannot be printed in a format.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// SVG asked of a command that draws nothing.
    #[error("this command draws no chart (estimate, compare and measure do)")]
    NoChart,
    /// The workbook asked where it cannot hold the report's costs.
    #[error(
        "this report has no workbook: estimate and compare write one (on-demand compute and requests, without Provisioned Concurrency, SnapStart or extra ephemeral storage); this report writes .txt, .csv, .json or .md"
    )]
    NoWorkbook,
    /// SARIF asked of a command that finds nothing in code.
    #[error("SARIF is the format of findings in code (assess gives it)")]
    NoSarif,
    /// The chart could not be drawn.
    #[error("cannot draw the chart: {0}")]
    Svg(#[from] svg::DrawError),
    /// The workbook could not be written.
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Prints `report` in `format` (the table laid out by `layout`), or says why the report
/// cannot take that format.
pub fn render(report: &Report, format: Format, layout: Layout) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Table => table::render(report, layout).into_bytes(),
        Format::Csv => csv::render(report).into_bytes(),
        Format::Json => json::render(report).into_bytes(),
        Format::Markdown => match &report.markdown {
            Some(own) => own.clone().into_bytes(),
            None => markdown::render(report).into_bytes(),
        },
        Format::Svg => {
            if report.charts.is_empty() {
                return Err(RenderError::NoChart);
            }
            svg::render(&report.charts)?.into_bytes()
        }
        Format::Xlsx => {
            let book = report.workbook.as_ref().ok_or(RenderError::NoWorkbook)?;
            xlsx::workbook(book)?
        }
        Format::Sarif => {
            let log = report.sarif.as_ref().ok_or(RenderError::NoSarif)?;
            let mut text = serde_json::to_string_pretty(log).unwrap_or_default();
            text.push('\n');
            text.into_bytes()
        }
    })
}
