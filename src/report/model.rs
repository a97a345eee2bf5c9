//! What a report is: typed cells in rows under columns, the notes and details around them,
//! the data line, charts and the workbook. Every format reads these types, so they live below
//! every format.

use super::{svg, xlsx};
use lambcost_core::format::{grouped, percent, plain, usd_cents, usd_exact};
use rust_decimal::Decimal;
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
    /// SARIF 2.1.0, for code-scanning tools: an assessment's findings on their lines.
    Sarif,
}

impl Format {
    /// The format a file extension implies (`.csv`, `.json`, `.md`, `.txt`, `.svg`, `.xlsx`,
    /// `.sarif`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            "svg" => Some(Format::Svg),
            "xlsx" => Some(Format::Xlsx),
            "sarif" => Some(Format::Sarif),
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
    /// A shorter title for a narrow terminal (`Cold %` for `Cold-start share`).
    pub short: Option<Cow<'static, str>>,
    /// Which columns a narrow terminal drops first: the highest number first; 0 is never
    /// dropped (the columns that answer the command's question).
    pub priority: u8,
    /// Whether the column says nothing in this report (a single variant's ratios to itself,
    /// a per-million figure equal to the total at 1M): a terminal table leaves it out.
    pub redundant: bool,
    /// How a narrow terminal may wrap its cells.
    pub wrap: Wrap,
}

/// How a narrow terminal may wrap a column's cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wrap {
    /// Anywhere, the widest column first (a long variant name wraps within its cell).
    #[default]
    Anywhere,
    /// Between words only: an identifier (`JsonSerializer.Deserialize`) stays on one line.
    Words,
    /// Never: a place (`src/Function.cs:25:25`) is read, copied and clicked whole, as
    /// ripgrep prints it.
    Never,
}

impl Column {
    /// A column the table shows.
    pub const fn shown(key: &'static str, title: &'static str) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            shown: true,
            short: None,
            priority: 0,
            redundant: false,
            wrap: Wrap::Anywhere,
        }
    }

    /// A column only CSV and JSON carry.
    pub const fn data(key: &'static str) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(""),
            shown: false,
            short: None,
            priority: 0,
            redundant: false,
            wrap: Wrap::Anywhere,
        }
    }

    /// A shown column whose title is made at run time (`$ @ 10M`).
    pub fn titled(key: &'static str, title: String) -> Column {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Owned(title),
            shown: true,
            short: None,
            priority: 0,
            redundant: false,
            wrap: Wrap::Anywhere,
        }
    }

    /// With a shorter title for a narrow terminal.
    pub fn abbreviated(mut self, short: impl Into<Cow<'static, str>>) -> Column {
        self.short = Some(short.into());
        self
    }

    /// Dropped by a narrow terminal before columns of a lower number (0 never is).
    pub fn optional(mut self, priority: u8) -> Column {
        self.priority = priority;
        self
    }

    /// Wrapped by a narrow terminal only as `wrap` allows.
    pub fn wrapped(mut self, wrap: Wrap) -> Column {
        self.wrap = wrap;
        self
    }

    /// Marked as saying nothing in this report when `redundant` holds.
    pub fn redundant_if(mut self, redundant: bool) -> Column {
        self.redundant = redundant;
        self
    }

    /// Shown when `shown` holds (a column that matters only for some data: the architecture
    /// where it is not x86_64).
    pub fn shown_if(mut self, shown: bool) -> Column {
        self.shown = shown;
        self
    }
}

/// A note printed with `--explain` (and always in JSON and Markdown): an assumption that
/// matters less than the three a table prints, or one about a column that may not be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// The sentence.
    pub text: String,
    /// The column it explains, when it explains one: left out when that column is not shown.
    pub column: Option<&'static str>,
}

impl Detail {
    /// A note about the whole report.
    pub fn general(text: impl Into<String>) -> Detail {
        Detail {
            text: text.into(),
            column: None,
        }
    }

    /// A note about one column.
    pub fn about(column: &'static str, text: impl Into<String>) -> Detail {
        Detail {
            text: text.into(),
            column: Some(column),
        }
    }
}

/// How the human formats are laid out: for a terminal of `width` columns (every column, full
/// titles, when `None` or `wide`), with every note (`explain`) or the few that change the
/// answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The terminal's width, when standard output is one.
    pub width: Option<usize>,
    /// `--wide`: every column, whatever the width.
    pub wide: bool,
    /// `--explain`: every note.
    pub explain: bool,
}

/// A column and how to fill it from one row of `T`, kept together so that a header and its
/// cells cannot drift apart.
pub struct Field<'f, T> {
    /// The column.
    pub column: Column,
    /// Its cell for one row.
    pub cell: Box<dyn Fn(&T) -> Cell + 'f>,
}

impl<'f, T> Field<'f, T> {
    /// A column filled by `cell`.
    pub fn new(column: Column, cell: impl Fn(&T) -> Cell + 'f) -> Self {
        Field {
            column,
            cell: Box::new(cell),
        }
    }
}

/// The columns of `fields`, in order.
pub fn columns<T>(fields: &[Field<'_, T>]) -> Vec<Column> {
    fields.iter().map(|f| f.column.clone()).collect()
}

/// One row: a cell per field, in order.
pub fn row<T>(fields: &[Field<'_, T>], value: &T) -> Vec<Cell> {
    fields.iter().map(|f| (f.cell)(value)).collect()
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
    /// What the answer rests on, printed under the table: at most three short lines (the
    /// cold-start share and its source, the prices, the data).
    pub notes: Vec<String>,
    /// Where the variants come from, in words ("the talk's measurements (embedded)", a file's
    /// name): the table's last line, the JSON's `data`.
    pub data: String,
    /// Every other note, printed with `--explain`.
    pub details: Vec<Detail>,
    /// The answer in sentences, printed after the table whatever the layout (a decision's
    /// reasons).
    pub body: Vec<String>,
    /// Whether the command answered "no" (no variant fits, every invocation failed): exit
    /// status 1 after the report.
    pub answered_no: bool,
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
    /// A SARIF log (`--format sarif`), where the report is one of findings.
    pub sarif: Option<Value>,
    /// Markdown of the command's own (a pull-request comment with folded details), in place
    /// of the table's.
    pub markdown: Option<String>,
}

impl Report {
    /// Whether every row's cell in column `key` satisfies `test` (true without such a column).
    pub fn rows_all(&self, key: &str, test: impl Fn(&Cell) -> bool) -> bool {
        match self.columns.iter().position(|c| c.key == key) {
            Some(i) => self.rows.iter().all(|r| r.get(i).is_none_or(&test)),
            None => true,
        }
    }

    /// Shows or hides column `key` in the human formats.
    pub fn set_shown(&mut self, key: &str, shown: bool) {
        for c in self.columns.iter_mut().filter(|c| c.key == key) {
            c.shown = shown;
        }
    }

    /// Marks column `key` as saying nothing in this report (a terminal leaves it out).
    pub fn set_redundant(&mut self, key: &str, redundant: bool) {
        for c in self.columns.iter_mut().filter(|c| c.key == key) {
            c.redundant = redundant;
        }
    }
}

/// Columns and rows for the human formats only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// The columns, all shown.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A cell as people read it (table, Markdown).
pub fn human(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) | Cell::Figure(t) => t.clone(),
        Cell::Count(n) => grouped(Decimal::from(*n), 0),
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
