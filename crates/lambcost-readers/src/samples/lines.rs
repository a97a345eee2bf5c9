//! Lines of a large input without a copy each: the input is read in large blocks and each
//! complete line is handed over as a slice of the block.

use std::io::Read;

const BLOCK: usize = 4 << 20;

/// Why reading lines stopped early.
#[derive(Debug)]
pub enum Stop<E> {
    /// The callback's error.
    Each(E),
    /// The input could not be read further (every whole line before was handed over).
    Io(std::io::Error),
}

/// Calls `each(line, number)` for every line of `input` (without its `\n` or `\r\n`), numbers
/// from 1. Stops at the first error `each` returns, or at an I/O error after handing over
/// every whole line read before it.
pub fn for_each_line<R, E, F>(input: R, mut each: F) -> Result<(), Stop<E>>
where
    R: Read,
    F: FnMut(&[u8], u64) -> Result<(), E>,
{
    for_each_block(input, |block, first_line| {
        let mut number = first_line;
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', block) {
            each(trim_cr(&block[start..nl]), number)?;
            number += 1;
            start = nl + 1;
        }
        if start < block.len() {
            each(trim_cr(&block[start..]), number)?;
        }
        Ok(())
    })
}

/// Calls `each(block, first_line)` for consecutive blocks of whole lines of `input` (the last
/// line of the input may lack its `\n`); `first_line` is the number of the block's first line.
/// For readers that look for a few lines among many, without visiting every line.
pub fn for_each_block<R, E, F>(mut input: R, mut each: F) -> Result<(), Stop<E>>
where
    R: Read,
    F: FnMut(&[u8], u64) -> Result<(), E>,
{
    let mut buf = vec![0u8; BLOCK];
    let mut filled = 0usize;
    let mut first_line = 1u64;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let read = match input.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // A stream cut off mid-line: the whole lines before the cut still count.
                if let Some(last) = memchr::memrchr(b'\n', &buf[..filled]) {
                    each(&buf[..=last], first_line).map_err(Stop::Each)?;
                }
                return Err(Stop::Io(e));
            }
        };
        let end = filled + read;
        if read == 0 {
            if end > 0 {
                each(&buf[..end], first_line).map_err(Stop::Each)?;
            }
            return Ok(());
        }
        // Hand over everything up to the last newline; keep the partial line.
        let Some(last) = memchr::memrchr(b'\n', &buf[filled..end]) else {
            filled = end;
            continue;
        };
        let cut = filled + last + 1;
        each(&buf[..cut], first_line).map_err(Stop::Each)?;
        first_line += memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
        buf.copy_within(cut..end, 0);
        filled = end - cut;
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &[u8]) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let r: Result<(), Stop<()>> = for_each_line(text, |l, n| {
            out.push((String::from_utf8_lossy(l).into_owned(), n));
            Ok(())
        });
        assert!(r.is_ok());
        out
    }

    #[test]
    fn lines_with_and_without_a_final_newline() {
        assert_eq!(
            collect(b"a\nb\r\nc"),
            vec![("a".into(), 1), ("b".into(), 2), ("c".into(), 3)]
        );
        assert_eq!(collect(b"a\n"), vec![("a".into(), 1)]);
        assert_eq!(collect(b""), vec![]);
    }

    #[test]
    fn blocks_hold_whole_lines_and_know_their_first_line() {
        let text = b"a\nbb\nccc";
        let mut seen = Vec::new();
        let r: Result<(), Stop<()>> = for_each_block(&text[..], |block, first| {
            seen.push((String::from_utf8_lossy(block).into_owned(), first));
            Ok(())
        });
        assert!(r.is_ok());
        let joined: String = seen.iter().map(|s| s.0.clone()).collect();
        assert_eq!(joined, "a\nbb\nccc");
        assert_eq!(seen[0].1, 1);
    }

    #[test]
    fn lines_longer_than_a_block_are_whole() {
        let long = vec![b'x'; BLOCK + 10];
        let mut text = long.clone();
        text.extend_from_slice(b"\nend\n");
        let got = collect(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), BLOCK + 10);
        assert_eq!(got[1], ("end".into(), 2));
    }
}
