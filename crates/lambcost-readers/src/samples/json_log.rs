//! Lambda's JSON log format: one event a line. `platform.report` events carry an
//! invocation's metrics; `platform.initStart` names the runtime; every other event
//! (`platform.start`, function logs) is skipped. A report from Lambda Managed Instances
//! (metrics without a memory size or a billed duration: those instances are not billed per
//! GB-second) is left out and counted.
//!
//! ```json
//! {"time":"...","type":"platform.report","record":{"requestId":"...","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}
//! ```

use super::input::InputError;
use super::lines::{Stop, for_each_line};
use super::reading::Reading;
use memchr::memmem;
use std::io::Read;

/// Reads a JSON log, one event a line, into its variants; a large one on several threads
/// when the reading allows, its blocks merged in order.
pub fn read(reading: &mut Reading<'_>, input: impl Read) -> Result<(), Stop<InputError>> {
    let finder = memmem::Finder::new(b"\"platform.");
    let ctx = reading.options.context.clone();
    let threads = reading.parallel();
    if threads > 1 {
        return reading.in_blocks(input, threads, |part, block, first_line| {
            let lines = block.split_inclusive(|b| *b == b'\n');
            for (number, line) in (first_line..).zip(lines) {
                let line = line.strip_suffix(b"\n").unwrap_or(line);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if finder.find(line).is_some() {
                    part.event(line, &ctx, number)?;
                }
            }
            Ok(())
        });
    }
    for_each_line(input, |line, number| {
        if finder.find(line).is_none() {
            return Ok(());
        }
        reading.stamp_ms = None;
        reading.event(line, &ctx, number)
    })
}
