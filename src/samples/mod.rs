//! Readers of measurements. Each input is recognised by its content, not its name:
//!
//! - the summary table (`data/results.csv`'s header): one row per variant ([`summary`]);
//! - raw samples, one invocation a row, as `lambcost measure` writes them ([`samples_csv`]);
//! - CloudWatch Logs text with Lambda's REPORT lines ([`report_log`]);
//! - Lambda's JSON log format, one event a line ([`json_log`]).
//!
//! Logs and samples are read in one streaming pass into a [`Measured`] per variant (the model
//! of [`crate::measurement`]), whose
//! size does not grow with the number of invocations. Every error names the input and line.

pub mod arrivals;
pub mod cloudwatch;
pub mod console_csv;
pub mod groups;
pub mod insights;
pub mod json_log;
pub mod lines;
pub mod open;
pub mod reading;
pub mod report_log;
pub mod samples_csv;
pub mod summary;

use crate::measurement::Measured;
use crate::pricing::{Arch, MemoryRange};
use crate::variant::Variant;
use std::io::{BufRead, Read};

/// Bad measurement input: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct InputError {
    /// The input as the user named it.
    pub origin: String,
    /// Line number (from 1), when the problem is on one line.
    pub line: Option<u64>,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl InputError {
    /// An error on `line` of `origin`.
    pub fn at(origin: &str, line: u64, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about `origin` as a whole.
    pub fn whole(origin: &str, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.to_string(),
            line: None,
            message: message.into(),
        }
    }
}

/// A CSV reader over `input` and its header row (trimmed fields, RFC 4180 quoting).
pub(crate) fn csv_with_header<R: Read>(
    input: R,
    origin: &str,
) -> Result<(csv::Reader<R>, csv::ByteRecord), InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let header = reader
        .byte_headers()
        .map_err(|e| InputError::whole(origin, format!("cannot read the header: {e}")))?
        .clone();
    Ok((reader, header))
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
    line.trim()
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect()
}

/// A time as logs write it, RFC 3339 with its offset (`2024-05-01T12:00:00.123Z`,
/// `2024-05-01T12:00:00.123456+00:00`), as epoch milliseconds.
pub fn time_ms(text: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(text).ok()?;
    // Cheap refusal of what is plainly not a time (a log stream, a word).
    if text.len() < 20 || !text.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let t: jiff::Timestamp = text.parse().ok()?;
    Some(t.as_nanosecond() as f64 / 1e6)
}

/// The runtime identifier (`dotnet6`, `python3.12`, `provided.al2023`) of a runtime version
/// as Lambda logs it (`dotnet:6.v13`, `python:3.12.v40`, `provided:al2023.v20`).
pub fn runtime_of_version(version: &str) -> Option<String> {
    let (family, rest) = version.trim().split_once(':')?;
    if family.is_empty() || !family.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    // The last dot-separated part is the runtime's own release (`v13`).
    let release = match rest.rsplit_once('.') {
        Some((r, last)) if last.starts_with('v') => r,
        _ => rest,
    };
    if release.is_empty() {
        return None;
    }
    Some(if family == "provided" {
        format!("provided.{release}")
    } else {
        format!("{family}{release}")
    })
}

/// The kind of an input, told from its first bytes (once decompressed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The summary table.
    Summary,
    /// Raw samples.
    Samples,
    /// Lambda's JSON log format, one event a line.
    JsonLog,
    /// JSON values over many lines or back to back: CloudWatch API output, subscription
    /// payloads, pretty-printed events.
    JsonStream,
    /// The CloudWatch console's download (`timestamp,message`).
    ConsoleCsv,
    /// The results of `lambcost insights-query`.
    Insights,
    /// Arrival times alone: a CSV with a `timestamp` or `offset_ms` column.
    Arrivals,
    /// CloudWatch Logs text.
    TextLog,
}

/// Tells an input's kind from its first non-blank line and the bytes around it.
pub fn detect(first_line: &str, head: &[u8]) -> Kind {
    let line = first_line.trim_start_matches('\u{feff}').trim();
    let has = |needle: &str| memchr::memmem::find(head, needle.as_bytes()).is_some();
    if summary::is_summary_header(line) {
        Kind::Summary
    } else if samples_csv::is_samples_header(line) {
        Kind::Samples
    } else if console_csv::is_header(line) {
        Kind::ConsoleCsv
    } else if arrivals::is_header(line) {
        Kind::Arrivals
    } else if insights::is_csv_header(line)
        || line.starts_with('[')
        || (line.starts_with('{') && has("\"results\"") && has("\"field\""))
    {
        Kind::Insights
    } else if line.starts_with('{') {
        // One whole event a line is the fast case; anything else is read as a stream.
        let whole = serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok();
        let wrapper = ["\"logEvents\"", "\"events\"", "\"awslogs\""]
            .iter()
            .any(|k| line.contains(k));
        if whole && !wrapper {
            Kind::JsonLog
        } else {
            Kind::JsonStream
        }
    } else {
        Kind::TextLog
    }
}

/// Why an input's first bytes cannot be read as text at all (compressed, binary), if so.
pub fn unreadable(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        Some(
            "UTF-16 text (PowerShell's default for >): convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)",
        )
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some("xz-compressed; decompress it first (xz -dk FILE)")
    } else if head.starts_with(b"BZh") {
        Some("bzip2-compressed; decompress it first (bunzip2 -k FILE)")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("a zip archive; unzip it first")
    } else if head.contains(&0) || std::str::from_utf8(&head[..head.len().min(1024)]).is_err() {
        // Up to a kilobyte: a multi-byte character cut at the buffer's end is not binary.
        Some("binary, not a log, samples or summary CSV")
    } else {
        None
    }
}

/// When a CSV header is close to a summary table's or a samples file's without being one,
/// which it is close to and what differs: the expected header and the first column that
/// does not match.
pub fn near_miss_header(line: &str) -> Option<String> {
    let fields: Vec<&str> = line.trim().split(',').map(str::trim).collect();
    if fields.len() < 4 {
        return None;
    }
    let known: [(&str, &[&str]); 2] = [
        ("a summary table's", &summary::HEADER),
        ("a samples file's", &samples_csv::HEADER),
    ];
    let (what, header, shared) = known
        .iter()
        .map(|(what, header)| {
            let shared = fields.iter().filter(|f| header.contains(f)).count();
            (*what, *header, shared)
        })
        .max_by_key(|(_, _, shared)| *shared)?;
    // Half the columns named as lambcost names them: a near miss, not some other CSV.
    if shared * 2 < header.len() {
        return None;
    }
    let differs = header
        .iter()
        .enumerate()
        .find(|(i, h)| fields.get(*i) != Some(*h))
        .map(|(i, h)| match fields.get(i) {
            Some(f) => format!("column {} is '{f}', expected '{h}'", i + 1),
            None => format!("column {} '{h}' is missing", i + 1),
        })
        .unwrap_or_else(|| "columns after the expected ones are not known".to_string());
    Some(format!(
        "the header is close to {what} but {differs}; expected: {}",
        header.join(",")
    ))
}

/// How to read a log: the variant it makes, and what to do with unreadable lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Variant name for the log's invocations.
    pub variant: String,
    /// Build mode of that variant.
    pub mode: String,
    /// Architecture, if known.
    pub arch: Option<Arch>,
    /// A malformed line is an error instead of a counted warning.
    pub strict: bool,
    /// The billing granularity invocations are re-billed at (1 ms since December 2020).
    pub granularity_ms: u32,
    /// How invocations are gathered into variants.
    pub group_by: groups::GroupBy,
    /// The file's name within its input (a directory's file), for `--group-by file`.
    pub file: String,
    /// What the file's path says of its function and stream.
    pub context: groups::Context,
}

/// What one input held.
#[derive(Debug)]
pub enum Loaded {
    /// Variants from a summary table.
    Summary(Vec<Variant>),
    /// Measured variants from a samples file (it names its variants).
    Samples(Vec<Measured>),
    /// The variants of a log (one, named by the caller, unless `--group-by` splits it).
    Log(Box<groups::Groups>),
    /// Functions as Logs Insights summarised them.
    Aggregated(Vec<crate::measurement::Aggregated>),
    /// Nothing lambcost reads (empty, binary), and why: an error for a file named on its
    /// own, a file skipped in a directory.
    NotALog(String),
}

/// Reads one input of any kind; `origin` names it in errors.
///
/// ```
/// use lambcost::pricing::MemoryRange;
/// use lambcost::samples::{Loaded, LogOptions, read_any};
///
/// let log = "START RequestId: r1 Version: $LATEST\n\
///            REPORT RequestId: r1\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t\n";
/// let options = LogOptions {
///     variant: "fn".into(),
///     mode: "aot".into(),
///     arch: None,
///     strict: false,
///     granularity_ms: 1,
///     ..LogOptions::default()
/// };
/// let range = MemoryRange { min: 128, max: 10240 };
/// match read_any(log.as_bytes(), "example.log", &options, range) {
///     Ok(Loaded::Log(groups)) => {
///         let measured = &groups.measured[0];
///         assert_eq!(measured.cold.count(), 1);
///         assert_eq!(measured.cold.billed_ms_sum, 147);
///     }
///     _ => panic!("a REPORT log"),
/// }
/// ```
pub fn read_any(
    input: impl Read + Send + 'static,
    origin: &str,
    log: &LogOptions,
    memory: MemoryRange,
) -> Result<Loaded, InputError> {
    let cannot = |e: std::io::Error| InputError::whole(origin, format!("cannot read: {e}"));
    let (opened, kind) = match recognise(input, origin)? {
        Recognised::Input(opened, kind) => (opened, kind),
        Recognised::Nothing(why) => return Ok(Loaded::NotALog(why)),
    };
    let (mut reader, encoding, consumed) = (opened.reader, opened.encoding, opened.consumed);
    let log_kind = match kind {
        Kind::Summary => return Ok(Loaded::Summary(summary::read(reader, origin, memory)?)),
        Kind::Samples => {
            return Ok(Loaded::Samples(samples_csv::read(
                reader,
                origin,
                memory,
                log.granularity_ms,
            )?));
        }
        Kind::Insights => {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(cannot)?;
            return Ok(Loaded::Aggregated(insights::read(&text, origin)?));
        }
        Kind::Arrivals => {
            return Ok(Loaded::NotALog(
                "the input holds arrival times, not invocations: `lambcost replay` reads them (or `--cold-start-rate replay:FILE`)".to_string(),
            ));
        }
        other => other,
    };
    let mut reading = reading::Reading::new(origin, log, memory);
    let result = read_log(&mut reading, log_kind, reader);
    let consumed = consumed.load(std::sync::atomic::Ordering::Relaxed);
    Ok(Loaded::Log(Box::new(
        reading.finish(result, &encoding, consumed)?,
    )))
}

/// Reads a log of `kind` into `reading`.
pub(crate) fn read_log(
    reading: &mut reading::Reading<'_>,
    kind: Kind,
    reader: impl BufRead,
) -> Result<(), lines::Stop<InputError>> {
    match kind {
        Kind::JsonLog => json_log::read(reading, reader),
        Kind::JsonStream => cloudwatch::read(reading, reader),
        Kind::ConsoleCsv => console_csv::read(reading, reader),
        _ => report_log::read(reading, reader),
    }
}

/// An input opened, its compression taken off, and recognised.
pub(crate) enum Recognised {
    /// Its decoded bytes and their kind.
    Input(open::Opened, Kind),
    /// It holds nothing lambcost reads (empty, binary), and why.
    Nothing(String),
}

/// Opens `input`, takes its compression off and tells its kind from its first bytes.
pub(crate) fn recognise(
    input: impl Read + Send + 'static,
    origin: &str,
) -> Result<Recognised, InputError> {
    let cannot = |e: std::io::Error| InputError::whole(origin, format!("cannot read: {e}"));
    let mut opened = open::open(Box::new(input)).map_err(|e| {
        if open::is_cut_off(&e) {
            InputError::whole(
                origin,
                format!("the compressed stream is cut off before any log ({e})"),
            )
        } else {
            cannot(e)
        }
    })?;
    let kind = {
        let encoding = &opened.encoding;
        let buf = match opened.reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if open::is_cut_off(&e) => {
                return Err(InputError::whole(
                    origin,
                    format!(
                        "the {} stream is cut off before any log: {e}",
                        encoding.describe()
                    ),
                ));
            }
            Err(e) => return Err(cannot(e)),
        };
        if buf.is_empty() {
            return Ok(Recognised::Nothing(
                "the input is empty: no invocations".to_string(),
            ));
        }
        let head = &buf[..buf.len().min(1 << 16)];
        if let Some(why) = unreadable(&head[..head.len().min(4096)]) {
            return Ok(Recognised::Nothing(format!("the input is {why}")));
        }
        let text = String::from_utf8_lossy(head);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let kind = detect(first, head);
        if kind == Kind::TextLog
            && let Some(why) = near_miss_header(first.trim_start_matches('\u{feff}'))
        {
            return Err(InputError::at(origin, 1, why));
        }
        kind
    };
    Ok(Recognised::Input(opened, kind))
}
