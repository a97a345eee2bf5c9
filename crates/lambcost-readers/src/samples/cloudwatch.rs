//! Logs as CloudWatch's API and its subscriptions hand them over, read as a stream of JSON
//! values (pretty-printed over many lines, or back to back with no separator):
//!
//! - `aws logs filter-log-events` / `get-log-events` output: `{"events": [{"logStreamName",
//!   "timestamp", "message", ...}], ...}`, each `message` a REPORT line or a JSON event;
//! - subscription-filter payloads: `{"messageType": "DATA_MESSAGE", "logGroup", "logStream",
//!   "logEvents": [{"id", "timestamp", "message"}]}` (a `CONTROL_MESSAGE` holds no log), as
//!   Firehose writes them one after the other; a Lambda subscriber's `{"awslogs": {"data":
//!   "<base64 of gzip>"}}` is decoded and read the same way;
//! - events of Lambda's JSON log format pretty-printed, one over many lines;
//! - `aws lambda invoke --log-type Tail` output: `{"StatusCode": 200, "LogResult": "<base64
//!   of the log's last 4 KB>", "ExecutedVersion": "$LATEST"}`, in any order of its keys, one
//!   after another for a run of invocations.
//!
//! The events are handed over one at a time as the parser meets them: a file of millions of
//! events is read in bounded memory. A value that does not parse is counted with its line
//! (refused under `--strict`) and reading resumes at the next line that opens a value.

use super::input::InputError;
use super::json_event::{RawEvent, Record};
use super::lines::Stop;
use super::reading::Reading;
use lambcost_core::grouping::Context;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// The input with the number of the line being read, shared between the parser (which
/// reads it a byte at a time) and the loop that finds where each value starts.
struct Shared<R> {
    inner: R,
    line: u64,
}

struct Reader<R>(Rc<RefCell<Shared<R>>>);

impl<R: BufRead> Read for Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut s = self.0.borrow_mut();
        let chunk = s.inner.fill_buf()?;
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        let lines = memchr::memchr_iter(b'\n', &chunk[..n]).count() as u64;
        s.inner.consume(n);
        s.line += lines;
        Ok(n)
    }
}

/// Skips blanks; `false` at the end of the input.
fn more<R: BufRead>(shared: &Rc<RefCell<Shared<R>>>) -> std::io::Result<bool> {
    let mut s = shared.borrow_mut();
    loop {
        let chunk = s.inner.fill_buf()?;
        if chunk.is_empty() {
            return Ok(false);
        }
        let blanks = chunk.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let lines = memchr::memchr_iter(b'\n', &chunk[..blanks]).count() as u64;
        let done = blanks < chunk.len();
        s.inner.consume(blanks);
        s.line += lines;
        if done {
            return Ok(true);
        }
    }
}

/// After a value that does not parse: skips to the next line that opens one (`{` or `[` at
/// its start), where pretty-printed values begin. `false` when none is left.
fn resync<R: BufRead>(shared: &Rc<RefCell<Shared<R>>>) -> std::io::Result<bool> {
    let mut s = shared.borrow_mut();
    let mut line = Vec::new();
    loop {
        line.clear();
        if s.inner.read_until(b'\n', &mut line)? == 0 {
            return Ok(false);
        }
        s.line += 1;
        if matches!(s.inner.fill_buf()?.first(), Some(b'{' | b'[')) {
            return Ok(true);
        }
    }
}

/// Reads `input`, a stream of JSON values, into `reading`.
pub fn read(reading: &mut Reading<'_>, input: impl BufRead) -> Result<(), Stop<InputError>> {
    let shared = Rc::new(RefCell::new(Shared {
        inner: input,
        line: 1,
    }));
    while more(&shared).map_err(Stop::Io)? {
        let start = shared.borrow().line;
        let mut failed: Option<InputError> = None;
        let mut de = serde_json::Deserializer::from_reader(Reader(Rc::clone(&shared)));
        let ctx = reading.options.context.clone();
        let outcome = Value {
            reading,
            failed: &mut failed,
            shared: &shared,
            ctx,
        }
        .deserialize(&mut de);
        if let Some(e) = failed {
            return Err(Stop::Each(e));
        }
        if let Err(e) = outcome {
            if e.is_io() {
                return Err(Stop::Io(std::io::Error::other(e)));
            }
            let line = start + u64::from(e.line() as u32).saturating_sub(1);
            // serde's own position is within the value; the line said is the file's.
            let said = e.to_string();
            let said = said
                .rsplit_once(" at line ")
                .map_or(said.as_str(), |(s, _)| s);
            reading
                .malformed(line, &format!("malformed JSON ({said})"), b"")
                .map_err(Stop::Each)?;
            if !resync(&shared).map_err(Stop::Io)? {
                break;
            }
        }
    }
    Ok(())
}

/// One top-level JSON value, its events handed to `reading` as they are met.
struct Value<'a, 'r, R> {
    reading: &'a mut Reading<'r>,
    failed: &'a mut Option<InputError>,
    shared: &'a Rc<RefCell<Shared<R>>>,
    ctx: Context,
}

impl<R> Value<'_, '_, R> {
    fn line(&self) -> u64 {
        self.shared.borrow().line
    }

    /// Hands a result of `reading` on, keeping its error for the caller (serde's own error
    /// type cannot carry it).
    fn keep<E: serde::de::Error>(&mut self, r: Result<(), InputError>) -> Result<(), E> {
        r.map_err(|e| {
            let said = e.to_string();
            *self.failed = Some(e);
            E::custom(said)
        })
    }
}

impl<'de, R: BufRead> DeserializeSeed<'de> for Value<'_, '_, R> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R: BufRead> Visitor<'de> for Value<'_, '_, R> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CloudWatch Logs JSON: API output, a subscription payload or a log event")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut kind: Option<String> = None;
        let mut record: Option<Record> = None;
        let mut time: Option<String> = None;
        let mut control = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "logGroup" => self.ctx.log_group = map.next_value()?,
                "logStream" => self.ctx.log_stream = map.next_value()?,
                // A subscription's check of its destination carries no log.
                "messageType" => control = map.next_value::<String>()? == "CONTROL_MESSAGE",
                "events" | "logEvents" if control => {
                    map.next_value::<IgnoredAny>()?;
                }
                "events" | "logEvents" => map.next_value_seed(Events { value: &mut self })?,
                "awslogs" => {
                    let wrapped: Awslogs = map.next_value()?;
                    let r = payload(self.reading, &wrapped.data, self.line());
                    self.keep(r)?;
                }
                "LogResult" => {
                    let data: String = map.next_value()?;
                    let (ctx, line) = (self.ctx.clone(), self.line());
                    let r = tail(self.reading, &data, &ctx, line);
                    self.keep(r)?;
                }
                "type" => kind = map.next_value()?,
                "record" => record = map.next_value()?,
                "time" => time = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // A log event of Lambda's JSON format, pretty-printed.
        if let Some(kind) = kind {
            let (ctx, line) = (self.ctx.clone(), self.line());
            self.reading.stamp_ms = None;
            let r = self
                .reading
                .raw_event(RawEvent { kind, record, time }, &ctx, line);
            self.keep(r)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Not a log: an array at the top is skipped whole.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct Awslogs {
    data: String,
}

/// A subscription payload as a Lambda subscriber receives it: base64 of gzip of the JSON.
fn payload(reading: &mut Reading<'_>, data: &str, line: u64) -> Result<(), InputError> {
    let Some(bytes) = super::open::base64_bytes(data) else {
        return reading.malformed(line, "awslogs.data is not base64", data.as_bytes());
    };
    let decoded = match super::open::open(Box::new(std::io::Cursor::new(bytes))) {
        Ok(d) => d,
        Err(e) => return reading.malformed(line, &format!("awslogs.data: {e}"), b""),
    };
    match read(reading, decoded.reader) {
        Ok(()) => Ok(()),
        Err(Stop::Each(e)) => Err(e),
        Err(Stop::Io(e)) => reading.malformed(line, &format!("awslogs.data: {e}"), b""),
    }
}

/// What `aws lambda invoke --log-type Tail` returns in `LogResult`: base64 of the last 4 KB
/// of the invocation's log, text lines or events of Lambda's JSON log format. An extension's
/// line may run into the event after it with no newline between: the event is read from
/// where it opens.
fn tail(reading: &mut Reading<'_>, data: &str, ctx: &Context, line: u64) -> Result<(), InputError> {
    let Some(bytes) = super::open::base64_bytes(data) else {
        return reading.malformed(line, "LogResult is not base64", data.as_bytes());
    };
    for message in bytes.split(|b| *b == b'\n') {
        let message = match memchr::memmem::find(message, b"{\"time\"") {
            Some(at) if at > 0 => {
                reading.groups.other_messages += 1;
                &message[at..]
            }
            _ => message,
        };
        if !message.trim_ascii().is_empty() {
            reading.message(message, ctx, line)?;
        }
    }
    Ok(())
}

/// The `events` or `logEvents` array.
struct Events<'v, 'a, 'r, R> {
    value: &'v mut Value<'a, 'r, R>,
}

impl<'de, R: BufRead> DeserializeSeed<'de> for Events<'_, '_, '_, R> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

#[derive(serde::Deserialize)]
struct LogEvent {
    message: String,
    /// When it was logged, epoch ms.
    timestamp: Option<f64>,
    #[serde(rename = "logStreamName")]
    log_stream_name: Option<String>,
}

impl<'de, R: BufRead> Visitor<'de> for Events<'_, '_, '_, R> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of log events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(event) = seq.next_element::<LogEvent>()? {
            let mut ctx = self.value.ctx.clone();
            if event.log_stream_name.is_some() {
                ctx.log_stream = event.log_stream_name;
            }
            let line = self.value.line();
            self.value.reading.stamp_ms = event.timestamp;
            let r = self
                .value
                .reading
                .message(event.message.as_bytes(), &ctx, line);
            self.value.keep(r)?;
        }
        Ok(())
    }
}
