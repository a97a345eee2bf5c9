//! CloudWatch Logs text: Lambda's REPORT lines, mixed with START, END, XRAY, INIT_START and
//! the function's own lines, which are skipped, and INIT_REPORT lines, each the INIT of the
//! next REPORT of its log stream.
//!
//! ```text
//! REPORT RequestId: 8f50...  Duration: 15.74 ms  Billed Duration: 147 ms  Memory Size: 128 MB  Max Memory Used: 56 MB  Init Duration: 130.49 ms
//! ```
//!
//! (Lambda separates the fields with tabs and ends the line with one.) Fields are
//! `Key: value [unit]`, separated by tabs or spaces; a timestamp or log-stream name
//! may precede `REPORT` (as `aws logs` exports write). `Init Duration` marks a cold start;
//! SnapStart writes `Restore Duration` and `Billed Restore Duration` instead; a failure adds
//! `Status:` and `Error Type:`.

use super::init_report::INIT_REPORT;
use super::input::InputError;
use super::lines::{Stop, for_each_block};
use super::reading::Reading;
use super::report_line::{INIT_START, MARK, parse_report};
use lambcost_core::grouping::{Context, GroupBy};
use memchr::memmem;
use std::io::Read;

/// Reads a text log into its variants (one unless `--group-by` splits it); a large one on
/// several threads when the reading allows, its blocks merged in order.
pub fn read(reading: &mut Reading<'_>, input: impl Read) -> Result<(), Stop<InputError>> {
    let finders = Finders::new();
    let threads = reading.parallel();
    if threads > 1 {
        return reading.in_blocks(input, threads, |part, block, first_line| {
            scan(part, &finders, block, first_line)
        });
    }
    for_each_block(input, |block, first_line| {
        scan(reading, &finders, block, first_line)
    })
}

/// What REPORT, INIT_START and INIT_REPORT lines begin with, found by a vectorised search.
struct Finders {
    report: memmem::Finder<'static>,
    init_start: memmem::Finder<'static>,
    init_report: memmem::Finder<'static>,
}

impl Finders {
    fn new() -> Finders {
        Finders {
            report: memmem::Finder::new(MARK),
            init_start: memmem::Finder::new(INIT_START),
            init_report: memmem::Finder::new(INIT_REPORT),
        }
    }
}

/// One block of whole lines, its first line numbered `first_line`, read into `reading`.
fn scan(
    reading: &mut Reading<'_>,
    finders: &Finders,
    block: &[u8],
    first_line: u64,
) -> Result<(), InputError> {
    let (finder, init_start) = (&finders.report, &finders.init_start);
    let by_stream = matches!(
        reading.options.group_by,
        GroupBy::Version | GroupBy::LogGroup
    );

    if reading.groups.runtime.is_none()
        && let Some(hit) = init_start.find(block)
    {
        let from = hit + INIT_START.len();
        let end = block[from..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(block.len(), |i| from + i);
        reading.runtime(&String::from_utf8_lossy(&block[from..end]));
    }
    // Lines are numbered only when one is named (an error, an arrival), counting on from the
    // last line numbered: most blocks number none.
    let mut lines = LineAt {
        block,
        counted_to: 0,
        line: first_line,
    };
    let file_ctx = reading.options.context.clone();
    // INIT_REPORT lines are few (most blocks hold none): each is read before the first REPORT
    // after it.
    let mut inits = finders.init_report.find_iter(block).peekable();
    let init_report = |reading: &mut Reading<'_>, at: usize, lines: &mut LineAt<'_>| {
        let start = memchr::memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
        reading.init_report(
            &block[at + INIT_REPORT.len()..end],
            stream_of(&block[start..at]).or(file_ctx.log_stream.as_deref()),
            lines.at(start),
            &block[start..end],
        )
    };
    for hit in finder.find_iter(block) {
        while let Some(at) = inits.next_if(|&at| at < hit) {
            init_report(reading, at, &mut lines)?;
        }
        let start = memchr::memrchr(b'\n', &block[..hit]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &block[hit..]).map_or(block.len(), |i| hit + i);
        let line = block[start..end]
            .strip_suffix(b"\r")
            .unwrap_or(&block[start..end]);
        if reading.wants_times() {
            // `aws logs tail` and S3 exports write the time first.
            let prefix = &block[start..hit];
            let first = prefix
                .split(u8::is_ascii_whitespace)
                .find(|t| !t.is_empty());
            reading.stamp_ms = first.and_then(super::values::time_ms);
        }
        // `aws logs tail` writes the log stream before the message: an INIT waits for the
        // next REPORT of its own stream.
        let stream = stream_of(&block[start..hit]).or(file_ctx.log_stream.as_deref());
        match parse_report(&block[hit + MARK.len()..start + line.len()]) {
            Ok(inv) if by_stream => {
                let ctx = stream_context(stream, &file_ctx);
                reading.invocation_on(&inv, &ctx, stream, || lines.at(start))?;
            }
            Ok(inv) => reading.invocation_on(&inv, &file_ctx, stream, || lines.at(start))?,
            Err(reason) => reading.malformed(lines.at(start), reason, line)?,
        }
    }
    for at in inits {
        init_report(reading, at, &mut lines)?;
    }
    Ok(())
}

/// The number of a line of a block, counted on from the last one asked for.
struct LineAt<'b> {
    block: &'b [u8],
    counted_to: usize,
    line: u64,
}

impl LineAt<'_> {
    /// The number of the line that starts at `start`, asked for in the block's order.
    fn at(&mut self, start: usize) -> u64 {
        self.line += memchr::memchr_iter(b'\n', &self.block[self.counted_to..start]).count() as u64;
        self.counted_to = start;
        self.line
    }
}

/// The log stream a line's prefix (before `REPORT`) names, as `aws logs tail` writes it:
/// `2024-05-01T12:00:00.000000+00:00 2024/05/01/[$LATEST]0123abcd REPORT ...`.
fn stream_of(prefix: &[u8]) -> Option<&str> {
    // Every REPORT of a log passes here: most prefixes (none, or a timestamp) name no stream,
    // and one vectorised search says so.
    memchr::memchr(b'[', prefix)?;
    prefix
        .split(|b| b.is_ascii_whitespace())
        .find(|t| t.contains(&b'['))
        .and_then(|t| std::str::from_utf8(t).ok())
}

/// The context of a line of the log stream `stream` (when its prefix names one).
fn stream_context(stream: Option<&str>, file: &Context) -> Context {
    Context {
        log_group: file.log_group.clone(),
        log_stream: stream.map(str::to_string),
    }
}
