//! CSV as the readers of tables read it: a reader and its header, one record at a time, and a
//! row whose errors name the input, the line, the column and the value.

use super::input::InputError;
use std::io::Read;

/// How a CSV is written: separated by commas, or, as Excel saves it where the comma is the
/// decimal mark, by semicolons with decimal commas (`128;2194,5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `,` between fields, `.` in numbers.
    Comma,
    /// `;` between fields, `,` in numbers.
    Semicolon,
}

impl Dialect {
    /// The dialect of a header line: semicolons and no comma are Excel's.
    pub(crate) fn of(line: &str) -> Dialect {
        if line.contains(';') && !line.contains(',') {
            Dialect::Semicolon
        } else {
            Dialect::Comma
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Dialect::Comma => b',',
            Dialect::Semicolon => b';',
        }
    }
}

/// A header line's fields, split as its dialect separates them and trimmed.
pub(crate) fn split_header(line: &str) -> Vec<&str> {
    let delimiter = char::from(Dialect::of(line).delimiter());
    line.trim().split(delimiter).map(str::trim).collect()
}

/// A CSV reader over `input`, its header row (trimmed fields, RFC 4180 quoting) and its
/// dialect, told from the header line.
pub(crate) fn csv_with_header<R: Read>(
    input: R,
    origin: &str,
) -> Result<(csv::Reader<std::io::BufReader<R>>, csv::ByteRecord, Dialect), InputError> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::new(input);
    let head = input
        .fill_buf()
        .map_err(|e| InputError::whole(origin, format!("cannot read: {e}")))?;
    let first = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
    let dialect = Dialect::of(&String::from_utf8_lossy(first));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .delimiter(dialect.delimiter())
        .from_reader(input);
    let header = reader
        .byte_headers()
        .map_err(|e| InputError::whole(origin, format!("cannot read the header: {e}")))?
        .clone();
    Ok((reader, header, dialect))
}

/// Reads the next record into `record`; `false` at the end. A malformed row is an error naming
/// its line.
pub(crate) fn next_record<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    origin: &str,
) -> Result<bool, InputError> {
    reader.read_byte_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        InputError::at(origin, line, format!("malformed CSV row: {e}"))
    })
}

/// One CSV row being read: its cells by column, and errors that name the input, the line,
/// the column and the value.
pub(crate) struct CsvRow<'a> {
    record: &'a csv::ByteRecord,
    columns: &'a [&'static str],
    origin: &'a str,
    line: u64,
    dialect: Dialect,
}

impl<'a> CsvRow<'a> {
    /// A row of `origin` whose columns are named `columns`.
    pub(crate) fn new(
        record: &'a csv::ByteRecord,
        columns: &'a [&'static str],
        origin: &'a str,
    ) -> Self {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        CsvRow {
            record,
            columns,
            origin,
            line,
            dialect: Dialect::Comma,
        }
    }

    /// The row as a CSV of `dialect` writes it.
    pub(crate) fn in_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// A cell that holds a number, its decimal mark a point whatever the dialect.
    pub(crate) fn numeral(&self, column: usize) -> std::borrow::Cow<'a, str> {
        let value = self.str(column);
        match self.dialect {
            Dialect::Semicolon if value.contains(',') => value.replace(',', ".").into(),
            _ => value.into(),
        }
    }

    /// The row's line in the input.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// A cell as text (empty when absent or not UTF-8).
    pub(crate) fn str(&self, column: usize) -> &'a str {
        self.record
            .get(column)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn name(&self, column: usize) -> &'static str {
        self.columns.get(column).copied().unwrap_or("?")
    }

    /// `file:line: column 'name': 'value' <what>`.
    pub(crate) fn bad(&self, column: usize, what: &str) -> InputError {
        InputError::at(
            self.origin,
            self.line,
            format!(
                "column '{}': '{}' {what}",
                self.name(column),
                self.str(column)
            ),
        )
    }

    /// A cell that must not be empty.
    pub(crate) fn text(&self, column: usize) -> Result<String, InputError> {
        let value = self.str(column);
        if value.is_empty() {
            return Err(InputError::at(
                self.origin,
                self.line,
                format!("column '{}' is empty", self.name(column)),
            ));
        }
        Ok(value.to_string())
    }

    /// A whole number.
    pub(crate) fn whole(&self, column: usize) -> Result<u32, InputError> {
        self.str(column)
            .parse()
            .map_err(|_| self.bad(column, "is not a whole number"))
    }

    /// A whole number within `min..=max`.
    pub(crate) fn whole_in(&self, column: usize, min: u32, max: u32) -> Result<u32, InputError> {
        let value = self.whole(column)?;
        if value < min || value > max {
            return Err(self.bad(column, &format!("is outside {min}..={max}")));
        }
        Ok(value)
    }
}

/// A CSV header line's column names, unquoted and in lower case, for recognising it.
pub(crate) fn header_fields(line: &str) -> Vec<String> {
    split_header(line)
        .into_iter()
        .map(|f| f.trim_matches('"').to_ascii_lowercase())
        .collect()
}
