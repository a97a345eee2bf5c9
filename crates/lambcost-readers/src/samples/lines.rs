//! Lines of a large input without a copy each: the input is read in large blocks and each
//! complete line is handed over as a slice of the block. A large input can be read on every
//! core: its blocks are parsed by workers, each into a part of its own, and the parts are
//! merged in the input's order, so that what is read is the same whatever the threads.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Mutex, mpsc};

const BLOCK: usize = 4 << 20;

/// A block of a log parsed on every core: larger, since each is summarised into a part of its
/// own (histograms and all) that is then merged; a few are in memory at once.
const PARALLEL_BLOCK: usize = 4 << 20;

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

/// Reads `input` in blocks of whole lines on `workers` threads: `map(block, first_line)` makes
/// a part of each block (on a worker), and `reduce(part)` takes the parts in the input's
/// order (on the calling thread, which also reads). Stops at the first error in the input's
/// order; an I/O error comes after every whole line before it is reduced. An input that fits
/// in one block, or one worker, is read on the calling thread alone.
///
/// Memory stays bounded: a few blocks per worker are in flight at most, and their buffers are
/// reused rather than allocated again.
pub fn map_blocks<R, T, E, M, F>(input: R, workers: usize, map: M, reduce: F) -> Result<(), Stop<E>>
where
    R: Read,
    T: Send,
    E: Send,
    M: Fn(&[u8], u64) -> Result<T, E> + Sync,
    F: FnMut(T) -> Result<(), E>,
{
    map_blocks_of(PARALLEL_BLOCK, input, workers, map, reduce)
}

/// [`map_blocks`] with blocks of about `size` bytes.
fn map_blocks_of<R, T, E, M, F>(
    size: usize,
    mut input: R,
    workers: usize,
    map: M,
    mut reduce: F,
) -> Result<(), Stop<E>>
where
    R: Read,
    T: Send,
    E: Send,
    M: Fn(&[u8], u64) -> Result<T, E> + Sync,
    F: FnMut(T) -> Result<(), E>,
{
    let mut blocks = Blocks::new(size);
    let first = blocks.next(&mut input);
    let alone = workers <= 1 || matches!(first, Next::Last(_) | Next::Cut(_, _));
    if alone {
        let mut next = first;
        loop {
            match next {
                Next::Block(buf, line) => {
                    reduce(map(&buf, line).map_err(Stop::Each)?).map_err(Stop::Each)?;
                    blocks.give_back(buf);
                }
                Next::Last(Some((buf, line))) => {
                    return reduce(map(&buf, line).map_err(Stop::Each)?).map_err(Stop::Each);
                }
                Next::Last(None) => return Ok(()),
                Next::Cut(whole, e) => {
                    if let Some((buf, line)) = whole {
                        reduce(map(&buf, line).map_err(Stop::Each)?).map_err(Stop::Each)?;
                    }
                    return Err(Stop::Io(e));
                }
            }
            next = blocks.next(&mut input);
        }
    }
    let in_flight = workers + 1;
    let (send_work, receive_work) = mpsc::sync_channel::<(usize, Block, u64)>(in_flight);
    let receive_work = Mutex::new(receive_work);
    let (send_done, receive_done) = mpsc::channel::<(usize, Block, Result<T, E>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (receive_work, send_done, map) = (&receive_work, send_done.clone(), &map);
            scope.spawn(move || {
                loop {
                    let job = match receive_work.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok((i, buf, line)) = job else { return };
                    let part = map(&buf, line);
                    if send_done.send((i, buf, part)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send_done);
        let mut order = Ordered::new();
        let mut sent = 0usize;
        let mut next = first;
        let ending = loop {
            let (whole, end) = match next {
                Next::Block(buf, line) => (Some((buf, line)), None),
                Next::Last(whole) => (whole, Some(None)),
                Next::Cut(whole, e) => (whole, Some(Some(e))),
            };
            if let Some((buf, line)) = whole {
                // Hold no more than `in_flight` blocks: reduce what is done until there is room.
                while sent - order.reduced >= in_flight {
                    let Ok(done) = receive_done.recv() else { break };
                    order.take(done, &mut reduce, &mut blocks);
                }
                if order.failed.is_some() {
                    break end;
                }
                // The workers all busy: this thread parses the block itself rather than wait.
                match send_work.try_send((sent, buf, line)) {
                    Ok(()) => {}
                    Err(mpsc::TrySendError::Full((i, buf, line))) => {
                        let part = map(&buf, line);
                        order.take((i, buf, part), &mut reduce, &mut blocks);
                    }
                    Err(mpsc::TrySendError::Disconnected(_)) => break end,
                }
                sent += 1;
            }
            if end.is_some() || order.failed.is_some() {
                break end;
            }
            while let Ok(done) = receive_done.try_recv() {
                order.take(done, &mut reduce, &mut blocks);
            }
            next = blocks.next(&mut input);
        };
        drop(send_work);
        while order.reduced < sent && order.failed.is_none() {
            let Ok(done) = receive_done.recv() else { break };
            order.take(done, &mut reduce, &mut blocks);
        }
        match (order.failed, ending) {
            (Some(e), _) => Err(Stop::Each(e)),
            (None, Some(Some(e))) => Err(Stop::Io(e)),
            (None, _) => Ok(()),
        }
    })
}

/// The parts made so far, reduced in the input's order as they arrive.
struct Ordered<T, E> {
    waiting: BTreeMap<usize, Result<T, E>>,
    reduced: usize,
    failed: Option<E>,
}

impl<T, E> Ordered<T, E> {
    fn new() -> Self {
        Ordered {
            waiting: BTreeMap::new(),
            reduced: 0,
            failed: None,
        }
    }

    /// Takes one finished block, and reduces every part now next in order.
    fn take(
        &mut self,
        (i, buf, part): (usize, Block, Result<T, E>),
        reduce: &mut impl FnMut(T) -> Result<(), E>,
        blocks: &mut Blocks,
    ) {
        blocks.give_back(buf);
        self.waiting.insert(i, part);
        while let Some(part) = self.waiting.remove(&self.reduced) {
            self.reduced += 1;
            if self.failed.is_some() {
                continue;
            }
            if let Err(e) = part.and_then(&mut *reduce) {
                self.failed = Some(e);
            }
        }
    }
}

/// What reading the next block gave.
enum Next {
    /// A block of whole lines and its first line's number; more may follow.
    Block(Block, u64),
    /// The input's last block (its last line may lack its `\n`), or nothing more.
    Last(Option<(Block, u64)>),
    /// The input could not be read further: its whole lines before the cut, and the error.
    Cut(Option<(Block, u64)>, std::io::Error),
}

/// A buffer and how much of it a block fills: a buffer keeps its length from one block to the
/// next, so that it is zeroed once, not at every block.
struct Block {
    buf: Vec<u8>,
    len: usize,
}

impl std::ops::Deref for Block {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Blocks of whole lines read one after another, their buffers reused.
struct Blocks {
    /// About how many bytes a block holds.
    size: usize,
    /// A partial line read past the last block's end.
    carry: Vec<u8>,
    first_line: u64,
    spare: Vec<Vec<u8>>,
}

impl Blocks {
    fn new(size: usize) -> Blocks {
        Blocks {
            size: size.max(2),
            carry: Vec::new(),
            first_line: 1,
            spare: Vec::new(),
        }
    }

    fn give_back(&mut self, block: Block) {
        self.spare.push(block.buf);
    }

    fn next(&mut self, input: &mut impl Read) -> Next {
        let mut buf = self.spare.pop().unwrap_or_default();
        let mut filled = self.carry.len();
        if buf.len() < filled + self.size {
            buf.resize(filled + self.size + self.size / 8, 0);
        }
        buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        loop {
            if buf.len() - filled < (self.size / 16).max(1) {
                // A line longer than a block: room for more of it.
                buf.resize(buf.len() * 2, 0);
            }
            let read = match input.read(&mut buf[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let whole = memchr::memrchr(b'\n', &buf[..filled])
                        .map(|last| (Block { buf, len: last + 1 }, self.first_line));
                    return Next::Cut(whole, e);
                }
            };
            if read == 0 {
                let rest = (filled > 0).then_some((Block { buf, len: filled }, self.first_line));
                return Next::Last(rest);
            }
            let end = filled + read;
            // A block ends at its last newline once it holds a block's worth.
            if end >= self.size
                && let Some(last) = memchr::memrchr(b'\n', &buf[filled..end])
            {
                let cut = filled + last + 1;
                self.carry.extend_from_slice(&buf[cut..end]);
                let line = self.first_line;
                self.first_line += memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
                return Next::Block(Block { buf, len: cut }, line);
            }
            filled = end;
        }
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

    /// Reads `text` in pieces of at most `chunk` bytes, as a pipe or a decoder hands them over.
    struct Trickle<'a> {
        text: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.text.len().min(self.chunk).min(buf.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        /// Whatever the block size, the pieces a reader hands over and the workers, the lines
        /// reduced and their numbers are those of one pass, in order; an error stops there.
        #[test]
        fn blocks_on_every_core_are_one_pass(
            lines in proptest::collection::vec("[a-c]{0,12}", 0..200),
            size in 2usize..64,
            chunk in 1usize..40,
            workers in 1usize..5,
            fail_at in proptest::option::of(0usize..200),
        ) {
            let text = lines.join("\n");
            // The lines a reader sees: a final newline ends the last line, it opens none.
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            if lines.last().is_some_and(String::is_empty) {
                lines.pop();
            }
            let bad = fail_at.filter(|i| *i < lines.len()).map(|i| i as u64 + 1);
            let map = |block: &[u8], first: u64| -> Result<Vec<(String, u64)>, u64> {
                let mut out = Vec::new();
                for (n, line) in (first..).zip(block.split_inclusive(|b| *b == b'\n')) {
                    if Some(n) == bad {
                        return Err(n);
                    }
                    out.push((String::from_utf8_lossy(line.strip_suffix(b"\n").unwrap_or(line)).into_owned(), n));
                }
                Ok(out)
            };
            let mut seen = Vec::new();
            let input = Trickle { text: text.as_bytes(), chunk };
            let result = map_blocks_of(size, input, workers, map, |part| {
                seen.extend(part);
                Ok(())
            });
            let expected: Vec<(String, u64)> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| (l.clone(), i as u64 + 1))
                .take_while(|(_, n)| Some(*n) != bad)
                .collect();
            match bad {
                Some(n) => proptest::prop_assert!(matches!(result, Err(Stop::Each(e)) if e == n)),
                None => proptest::prop_assert!(result.is_ok()),
            }
            // Every line before the error is reduced (those after it may not be).
            proptest::prop_assert_eq!(&seen[..expected.len().min(seen.len())], &expected[..expected.len().min(seen.len())]);
            if bad.is_none() {
                proptest::prop_assert_eq!(seen, expected);
            }
        }
    }
}
