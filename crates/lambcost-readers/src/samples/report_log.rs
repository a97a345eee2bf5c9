//! CloudWatch Logs text: Lambda's REPORT lines, mixed with START, END, XRAY, INIT_START,
//! INIT_REPORT and the function's own lines, which are skipped.
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

use super::input::InputError;
use super::lines::{Stop, for_each_block};
use super::reading::Reading;
use super::report_line::{INIT_START, MARK, parse_report};
use lambcost_core::grouping::{Context, GroupBy};
use memchr::memmem;
use std::io::Read;

/// Reads a text log into its variants (one unless `--group-by` splits it); `memory` is
/// Lambda's range of memory sizes.
pub fn read(reading: &mut Reading<'_>, input: impl Read) -> Result<(), Stop<InputError>> {
    let finder = memmem::Finder::new(MARK);
    let init_start = memmem::Finder::new(INIT_START);
    let by_stream = matches!(
        reading.options.group_by,
        GroupBy::Version | GroupBy::LogGroup
    );
    // REPORT lines are a third of a log or less: find them directly in each block rather
    // than visiting every line.
    for_each_block(input, |block, first_line| {
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
        // Line numbers are counted from one hit to the next, never from the block's start.
        let (mut counted_to, mut line_no) = (0usize, first_line);
        let file_ctx = reading.options.context.clone();
        for hit in finder.find_iter(block) {
            let start = memchr::memrchr(b'\n', &block[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &block[hit..]).map_or(block.len(), |i| hit + i);
            let line = block[start..end]
                .strip_suffix(b"\r")
                .unwrap_or(&block[start..end]);
            line_no += memchr::memchr_iter(b'\n', &block[counted_to..start]).count() as u64;
            counted_to = start;
            if reading.wants_times() {
                // `aws logs tail` and S3 exports write the time first.
                let prefix = &block[start..hit];
                let first = prefix
                    .split(u8::is_ascii_whitespace)
                    .find(|t| !t.is_empty());
                reading.stamp_ms = first.and_then(super::values::time_ms);
            }
            match parse_report(&block[hit + MARK.len()..start + line.len()]) {
                Ok(inv) if by_stream => {
                    // `aws logs tail` writes the log stream before the message.
                    let ctx = stream_context(&block[start..hit], &file_ctx);
                    reading.invocation(&inv, &ctx, line_no)?;
                }
                Ok(inv) => reading.invocation(&inv, &file_ctx, line_no)?,
                Err(reason) => reading.malformed(line_no, reason, line)?,
            }
        }
        Ok(())
    })
}

/// The context of a line whose prefix (before `REPORT`) names its log stream, as `aws logs
/// tail` writes it: `2024-05-01T12:00:00.000000+00:00 2024/05/01/[$LATEST]0123abcd REPORT ...`.
fn stream_context(prefix: &[u8], file: &Context) -> Context {
    let stream = prefix
        .split(|b| b.is_ascii_whitespace())
        .find(|t| t.contains(&b'['))
        .map(|t| String::from_utf8_lossy(t).into_owned());
    Context {
        log_group: file.log_group.clone(),
        log_stream: stream.or_else(|| file.log_stream.clone()),
    }
}
