//! Telling an input's kind from its first bytes, once its compression is off: a table, a log
//! of one of Lambda's shapes, Logs Insights results, arrival times, or nothing lambcost reads.
//! Then reading a log of the kind found.

use super::input::InputError;
use super::lines;
use super::reading;
use super::{
    arrivals_csv, cloudwatch, console_csv, insights, json_log, open, report_log, samples_csv,
    summary,
};
use std::io::{BufRead, Read};

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
    /// Logs Insights results: of `lambcost insights-query`, or a log event a row.
    Insights,
    /// Arrival times alone: a CSV with a `timestamp` or `offset_ms` column.
    Arrivals,
    /// CloudWatch Logs text.
    TextLog,
}

/// Tells an input's kind from its first non-blank line and the bytes around it. JSON is told
/// by its envelope (`logEvents`, `events`, `awslogs`, `LogResult`, `results`), never by the messages it
/// happens to begin with; tables by their header.
pub fn detect(first_line: &str, head: &[u8]) -> Kind {
    let line = first_line.trim_start_matches('\u{feff}').trim();
    if line.starts_with(['{', '[']) {
        return detect_json(line, head);
    }
    // The console's Markdown copy of Insights results, with its header block or without.
    if line.starts_with("**CloudWatch Logs Insights**") || line.starts_with('|') {
        return Kind::Insights;
    }
    if summary::is_summary_header(line) {
        Kind::Summary
    } else if samples_csv::is_samples_header(line) {
        Kind::Samples
    } else if console_csv::is_header(line) {
        Kind::ConsoleCsv
    } else if insights::is_csv_header(line) {
        Kind::Insights
    } else if arrivals_csv::is_header(line) {
        Kind::Arrivals
    } else {
        Kind::TextLog
    }
}

/// The kind of a JSON input, by its envelope.
fn detect_json(line: &str, head: &[u8]) -> Kind {
    let has = |needle: &str| memchr::memmem::find(head, needle.as_bytes()).is_some();
    let envelope = [
        "\"logEvents\"",
        "\"events\"",
        "\"awslogs\"",
        "\"messageType\"",
        "\"LogResult\"",
    ]
    .iter()
    .any(|k| has(k));
    if envelope {
        return Kind::JsonStream;
    }
    if line.starts_with('[') || (has("\"results\"") && has("\"field\"")) {
        return Kind::Insights;
    }
    // One whole event a line is the fast case; anything else is read as a stream.
    if serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok() {
        Kind::JsonLog
    } else {
        Kind::JsonStream
    }
}

/// Why an input's first bytes (compression and text encoding taken off) cannot be read as
/// text at all (compressed in a way not read, binary), if so.
pub fn unreadable(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
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
    let fields = super::csv_rows::split_header(line);
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
                format!("the compressed stream is truncated: cut off before any log ({e})"),
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
                        "the {} stream is truncated: cut off before any log ({e})",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        detect(first, text.as_bytes())
    }

    #[test]
    fn json_is_told_by_its_envelope_not_by_its_first_messages() {
        // A payload whose first events are START and END, and whose first line is a table's
        // look-alike once split at its commas.
        let payload = r#"{"logEvents":[{"id":"1","timestamp":1714564800001,"message":"START RequestId: a Version: $LATEST"},{"id":"2","timestamp":1714564800002,"message":"END RequestId: a"}],"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/api"}"#;
        assert_eq!(kind(payload), Kind::JsonStream);
        let pretty = "{\n    \"owner\": \"123456789012\",\n    \"messageType\": \"DATA_MESSAGE\",\n    \"logEvents\": []\n}\n";
        assert_eq!(kind(pretty), Kind::JsonStream);
        let api = "{\"events\": [], \"searchedLogStreams\": []}";
        assert_eq!(kind(api), Kind::JsonStream);
        let event = r#"{"time":"t","type":"platform.report","record":{}}"#;
        assert_eq!(kind(event), Kind::JsonLog);
        let results =
            "{\"results\": [[{\"field\": \"@log\", \"value\": \"x\"}]], \"status\": \"Complete\"}";
        assert_eq!(kind(results), Kind::Insights);
    }

    #[test]
    fn tables_by_their_header() {
        assert_eq!(kind("timestamp,message\n1,x\n"), Kind::ConsoleCsv);
        assert_eq!(kind("id,timestamp\na,1\n"), Kind::Arrivals);
        assert_eq!(kind("offset_ms\n0\n"), Kind::Arrivals);
        assert_eq!(kind("REPORT RequestId: a\tDuration: 1 ms\n"), Kind::TextLog);
    }
}
