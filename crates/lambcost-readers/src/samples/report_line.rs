//! One REPORT line, parsed without allocating: what follows `REPORT RequestId:` becomes an
//! invocation, or a reason it cannot. Pure, below every reader that meets REPORT lines (text
//! logs, subscription payloads, console downloads), so each can be tested and fuzzed alone.
//!
//! ```text
//! REPORT RequestId: 8f50...  Duration: 15.74 ms  Billed Duration: 147 ms  Memory Size: 128 MB  Max Memory Used: 56 MB  Init Duration: 130.49 ms
//! ```
//!
//! Fields are `Key: value [unit]`, separated by tabs or spaces. `Init Duration` marks a cold
//! start; SnapStart writes `Restore Duration` and `Billed Restore Duration` instead; a failure
//! adds `Status:` and `Error Type:`.

use lambcost_core::measurement::{Invocation, Phase, Status};

/// What begins the fields of a REPORT line.
pub const MARK: &[u8] = b"REPORT RequestId:";
/// What begins the runtime's version on an `INIT_START` line.
pub const INIT_START: &[u8] = b"INIT_START Runtime Version: ";

/// Parses what follows `REPORT RequestId:` into an invocation, or says why it cannot.
pub fn parse_report(rest: &[u8]) -> Result<Invocation, &'static str> {
    match tabbed(rest) {
        Some(inv) => Ok(inv),
        None => general(rest),
    }
}

/// The line as Lambda writes it, tab-separated fields each with its unit, read field by field
/// from the tabs a vectorised search finds; `None` for any other shape, which the general
/// reader then reads (or says what is wrong with). Both give the same invocation for a line
/// of Lambda's own shape: a test holds them to it.
fn tabbed(rest: &[u8]) -> Option<Invocation> {
    let mut fields = Fields::default();
    let mut start = 0;
    let mut first = true;
    for end in memchr::memchr_iter(b'\t', rest).chain(std::iter::once(rest.len())) {
        let field = rest[start..end].trim_ascii_end();
        start = end + 1;
        if first {
            // ` 8f507cfc-...`: the request id, one token.
            let id = field.trim_ascii_start();
            if id.is_empty() || id.contains(&b' ') {
                return None;
            }
            first = false;
            continue;
        }
        if field.is_empty() {
            continue;
        }
        fields.take(field)?;
    }
    fields.invocation().ok()
}

/// The fields of a REPORT line as they are read.
#[derive(Default)]
struct Fields {
    duration: Option<f64>,
    billed: Option<u64>,
    memory_size: Option<u32>,
    max_used: Option<u32>,
    init: Option<f64>,
    restore: Option<f64>,
    billed_restore: Option<u64>,
    status: Option<Status>,
    oom: bool,
}

impl Fields {
    /// One `Key: value unit` field of Lambda's own shape; `None` for any other.
    fn take(&mut self, field: &[u8]) -> Option<()> {
        let value = |key: &[u8], unit: &[u8]| -> Option<&[u8]> {
            field.strip_prefix(key)?.strip_suffix(unit)
        };
        if let Some(v) = value(b"Duration: ", b" ms") {
            self.duration = Some(number(v).ok()?);
        } else if let Some(v) = value(b"Billed Duration: ", b" ms") {
            self.billed = Some(whole(v).ok()?);
        } else if let Some(v) = value(b"Memory Size: ", b" MB") {
            self.memory_size = Some(megabytes(v).ok()?);
        } else if let Some(v) = value(b"Max Memory Used: ", b" MB") {
            self.max_used = Some(megabytes(v).ok()?);
        } else if let Some(v) = value(b"Init Duration: ", b" ms") {
            self.init = Some(number(v).ok()?);
        } else if let Some(v) = value(b"Restore Duration: ", b" ms") {
            self.restore = Some(number(v).ok()?);
        } else if let Some(v) = value(b"Billed Restore Duration: ", b" ms") {
            self.billed_restore = Some(whole(v).ok()?);
        } else if let Some(v) = field
            .strip_prefix(b"Status: ")
            .filter(|v| !v.contains(&b' '))
        {
            self.status = Some(std::str::from_utf8(v).ok().and_then(Status::parse)?);
        } else if let Some(v) = field
            .strip_prefix(b"Error Type: ")
            .filter(|v| !v.contains(&b' '))
        {
            self.oom = v == b"Runtime.OutOfMemory";
        } else {
            return None;
        }
        Some(())
    }

    /// The invocation the fields describe, or what a REPORT line must have and lacks.
    fn invocation(self) -> Result<Invocation, &'static str> {
        let duration_ms = self.duration.ok_or("truncated REPORT line (no Duration)")?;
        let billed_ms = self
            .billed
            .ok_or("truncated REPORT line (no Billed Duration)")?;
        let memory = self
            .memory_size
            .ok_or("truncated REPORT line (no Memory Size)")?;
        let used = self
            .max_used
            .ok_or("truncated REPORT line (no Max Memory Used)")?;
        let mut status = self.status.unwrap_or(Status::Success);
        if self.oom {
            status = Status::Oom;
        }
        let (phase, init_ms, is_restore) = match (self.init, self.restore) {
            (_, Some(r)) => (Phase::Cold, Some(r), true),
            (Some(i), None) => (Phase::Cold, Some(i), false),
            (None, None) => (Phase::Warm, None, false),
        };
        Ok(Invocation {
            phase,
            duration_ms,
            init_ms,
            restore: is_restore,
            billed_ms: Some(billed_ms),
            billed_restore_ms: self.billed_restore,
            memory_size_mb: Some(memory),
            max_memory_used_mb: Some(used),
            status,
        })
    }
}

/// Any shape of REPORT line: fields separated by tabs or spaces, units where they are.
fn general(rest: &[u8]) -> Result<Invocation, &'static str> {
    let mut pos = skip_blanks(rest, 0);
    // The request id.
    let id_end = token_end(rest, pos);
    if id_end == pos {
        return Err("truncated REPORT line (no request id)");
    }
    pos = id_end;
    let mut duration = None;
    let mut billed = None;
    let mut memory_size = None;
    let mut max_used = None;
    let mut init = None;
    let mut restore = None;
    let mut billed_restore = None;
    let mut status = Status::Success;
    let mut error_type_oom = false;
    loop {
        pos = skip_blanks(rest, pos);
        if pos >= rest.len() {
            break;
        }
        let Some(colon) = field_colon(&rest[pos..]) else {
            return Err("truncated REPORT line (a field without a value)");
        };
        let key = trim(&rest[pos..pos + colon]);
        pos += colon + 2;
        let value_end = token_end(rest, pos);
        let value = &rest[pos..value_end];
        pos = value_end;
        // An optional unit after the value.
        let after = skip_spaces(rest, pos);
        let unit_end = token_end(rest, after);
        let unit = &rest[after..unit_end];
        if unit == b"ms" || unit == b"MB" {
            pos = unit_end;
        }
        match key {
            b"Duration" => duration = Some(number(value)?),
            b"Billed Duration" => billed = Some(whole(value)?),
            b"Memory Size" => memory_size = Some(megabytes(value)?),
            b"Max Memory Used" => max_used = Some(megabytes(value)?),
            b"Init Duration" => init = Some(number(value)?),
            b"Restore Duration" => restore = Some(number(value)?),
            b"Billed Restore Duration" => billed_restore = Some(whole(value)?),
            b"Status" => {
                status = std::str::from_utf8(value)
                    .ok()
                    .and_then(Status::parse)
                    .ok_or("unknown Status value")?;
            }
            b"Error Type" => error_type_oom = value == b"Runtime.OutOfMemory",
            _ => {}
        }
    }
    Fields {
        duration,
        billed,
        memory_size,
        max_used,
        init,
        restore,
        billed_restore,
        status: Some(status),
        oom: error_type_oom,
    }
    .invocation()
}

/// Position of the `: ` that ends a field's key.
fn field_colon(s: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &s[from..]) {
        let at = from + i;
        if s.get(at + 1) == Some(&b' ') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn skip_blanks(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
        i += 1;
    }
    i
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    i
}

fn token_end(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i] != b' ' && s[i] != b'\t' {
        i += 1;
    }
    i
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn number(value: &[u8]) -> Result<f64, &'static str> {
    if let Some(v) = plain_decimal(value) {
        return Ok(v);
    }
    let v: f64 = std::str::from_utf8(value)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or("a duration that is not a number")?;
    if !v.is_finite() || v < 0.0 {
        return Err("a duration that is not a number");
    }
    Ok(v)
}

fn megabytes(value: &[u8]) -> Result<u32, &'static str> {
    u32::try_from(whole(value)?).map_err(|_| "a memory size beyond any Lambda setting")
}

/// `15.74` read as 1574 / 100: both exact in an `f64` and the division correctly rounded, so
/// the result is the same as the standard parser's, several times faster. Anything else
/// (exponents, signs, more than 15 digits) goes to the standard parser.
fn plain_decimal(value: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut scale: Option<usize> = None;
    for &b in value {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                // Past 15 digits the standard parser takes over; stop before overflowing.
                if digits > 15 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    Some(mantissa as f64 / POW10[scale.unwrap_or(0)])
}

fn whole(value: &[u8]) -> Result<u64, &'static str> {
    const BAD: &str = "a value that is not a whole number";
    if value.is_empty() || value.len() > 19 {
        return Err(BAD);
    }
    let mut n: u64 = 0;
    for &b in value {
        if !b.is_ascii_digit() {
            return Err(BAD);
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Invocation, &'static str> {
        let i = line.find("REPORT RequestId:").expect("report line");
        parse_report(&line.as_bytes()[i + MARK.len()..])
    }

    #[test]
    fn the_documented_cold_line() {
        let inv = parse("REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t").expect("parses");
        assert_eq!(inv.phase, Phase::Cold);
        assert_eq!(inv.duration_ms, 15.74);
        assert_eq!(inv.init_ms, Some(130.49));
        assert_eq!(inv.billed_ms, Some(147));
        assert_eq!(inv.memory_size_mb, Some(128));
        assert_eq!(inv.max_memory_used_mb, Some(56));
        assert_eq!(inv.status, Status::Success);
    }

    #[test]
    fn spaces_timestamps_snapstart_and_errors() {
        let inv = parse("2024-05-01T12:00:00.000Z REPORT RequestId: abc Duration: 3000.00 ms Billed Duration: 3000 ms Memory Size: 256 MB Max Memory Used: 80 MB Status: timeout").expect("parses");
        assert_eq!((inv.phase, inv.status), (Phase::Warm, Status::Timeout));
        let inv = parse("REPORT RequestId: r\tDuration: 20.00 ms\tBilled Duration: 301 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\tRestore Duration: 280.10 ms\tBilled Restore Duration: 281 ms\t").expect("parses");
        assert!(inv.restore);
        assert_eq!(inv.init_ms, Some(280.10));
        let inv = parse("REPORT RequestId: r\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t").expect("parses");
        assert_eq!(inv.status, Status::Oom);
    }

    #[test]
    fn the_fast_number_reader_agrees_with_the_standard_one() {
        for text in [
            "15.74",
            "0.01",
            "101.94",
            "3000.00",
            "7",
            "123456.789012345",
            "0.5",
        ] {
            let expected: f64 = text.parse().expect("number");
            assert_eq!(plain_decimal(text.as_bytes()), Some(expected), "{text}");
        }
        assert_eq!(plain_decimal(b"1e3"), None);
        assert_eq!(plain_decimal(b"1.2.3"), None);
        assert_eq!(plain_decimal(b""), None);
        assert_eq!(number(b"1e3"), Ok(1000.0));
    }

    #[test]
    fn truncated_and_garbled_lines_say_why() {
        assert_eq!(
            parse("REPORT RequestId: r\tDuration: 15.74 ms\tBilled Dur").unwrap_err(),
            "truncated REPORT line (a field without a value)"
        );
        assert_eq!(
            parse("REPORT RequestId: r\tDuration: 15.74 ms\t").unwrap_err(),
            "truncated REPORT line (no Billed Duration)"
        );
        assert_eq!(
            parse("REPORT RequestId: r\tDuration: abc ms\tBilled Duration: 1 ms").unwrap_err(),
            "a duration that is not a number"
        );
        assert!(parse("REPORT RequestId:").is_err());
    }

    proptest::proptest! {
        /// Lambda's own shape read fast is what the general reader reads, field for field;
        /// any line the fast reader takes, the general one takes the same way.
        #[test]
        fn the_fast_reader_agrees_with_the_general_one(
            duration in 0u32..90_000_000,
            billed in 1u64..900_000,
            memory in 128u32..10_240,
            used in 1u32..10_240,
            init in proptest::option::of(0u32..1_000_000),
            restore in proptest::option::of((0u32..1_000_000, 0u64..10_000)),
            status in proptest::option::of(proptest::sample::select(vec!["error", "timeout", "success"])),
            oom in proptest::bool::ANY,
            trailing_space in proptest::bool::ANY,
            edit in proptest::option::of((0usize..200, proptest::char::range(' ', '~'))),
        ) {
            let mut line = format!(
                " 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: {}.{:02} ms\tBilled Duration: {billed} ms{}\tMemory Size: {memory} MB\tMax Memory Used: {used} MB\t",
                duration / 100,
                duration % 100,
                if trailing_space { " " } else { "" }
            );
            if let Some(i) = init {
                line.push_str(&format!("Init Duration: {}.{:02} ms\t", i / 100, i % 100));
            }
            if let Some((r, b)) = restore {
                line.push_str(&format!("Restore Duration: {}.{:02} ms\tBilled Restore Duration: {b} ms\t", r / 100, r % 100));
            }
            if let Some(s) = status {
                line.push_str(&format!("Status: {s}\t"));
            }
            if oom {
                line.push_str("Error Type: Runtime.OutOfMemory\t");
            }
            if let Some((at, c)) = edit {
                let at = at % line.len();
                if line.is_char_boundary(at) {
                    line.replace_range(at..at + 1, &c.to_string());
                }
            }
            let general = general(line.as_bytes());
            match tabbed(line.as_bytes()) {
                Some(fast) => proptest::prop_assert_eq!(Ok(fast), general),
                None => proptest::prop_assert!(edit.is_some(), "an unedited line must read fast: {}", line),
            }
        }
    }
}
