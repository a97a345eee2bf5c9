//! Lambda's `INIT_REPORT`: an INIT that the next REPORT of its log stream does not carry.
//!
//! ```text
//! INIT_REPORT Init Duration: 2137.34 ms
//! INIT_REPORT Init Duration: 1236.04 ms  Phase: init  Status: error  Error Type: Extension.Crash
//! ```
//!
//! (Lambda separates the fields with tabs.) Lambda writes it where an environment's INIT is not on the REPORT of its first invocation:
//! a SnapStart restore that failed and fell back to a full INIT, an INIT that failed or timed
//! out, Lambda Managed Instances and provisioned environments. The INIT is paired with the
//! next REPORT of the same log stream that has neither Init nor Restore Duration, which makes
//! that invocation the cold start it was. `Phase: invoke` is an INIT run again inside an
//! invocation: its time is already in that invocation's Duration, so it is not paired.
//!
//! A log read in blocks on several threads pairs across blocks too: a block read apart from
//! the ones before it holds back the first REPORT of each stream it meets, and the blocks are
//! put back together in order ([`Inits::carry`]), as if read one after another.

use lambcost_core::measurement::{Invocation, Phase};

/// What begins an `INIT_REPORT` line, up to its duration.
pub const INIT_REPORT: &[u8] = b"INIT_REPORT Init Duration: ";

/// What follows [`INIT_REPORT`]: the Init Duration (ms) of an INIT phase of its own, `None`
/// for one run again inside an invocation (`Phase: invoke`), or why it cannot be read.
pub fn parse_init_report(rest: &[u8]) -> Result<Option<f64>, &'static str> {
    let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(rest.len());
    let ms: f64 = std::str::from_utf8(&rest[..end])
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|ms: &f64| ms.is_finite())
        .ok_or("INIT_REPORT without a number of ms")?;
    if !rest[end..].starts_with(b" ms") {
        return Err("INIT_REPORT without a number of ms");
    }
    let phase = memchr::memmem::find(rest, b"Phase: ").map(|at| &rest[at + 7..]);
    Ok(match phase {
        Some(p) if p.starts_with(b"invoke") => None,
        _ => Some(ms),
    })
}

/// The INITs waiting for their REPORT, one per log stream (`None`: the input's one stream).
#[derive(Debug, Default)]
pub struct Inits {
    pending: Vec<(Option<String>, f64)>,
    /// For a block read apart from the ones before it: the streams it has met so far.
    seen: Option<Seen>,
    /// For such a block: the first REPORT of each stream it met before an INIT_REPORT.
    held: Vec<Held>,
}

/// The log streams a block has met: looked up on every REPORT of a block read apart.
#[derive(Debug, Default)]
struct Seen {
    unnamed: bool,
    named: std::collections::HashSet<String>,
}

impl Seen {
    /// Marks `stream` met; whether it was met before.
    fn meet(&mut self, stream: Option<&str>) -> bool {
        match stream {
            None => std::mem::replace(&mut self.unnamed, true),
            Some(s) if self.named.contains(s) => true,
            Some(s) => !self.named.insert(s.to_string()),
        }
    }

    fn drain(&mut self) -> impl Iterator<Item = Option<String>> + '_ {
        let unnamed = std::mem::take(&mut self.unnamed).then_some(None);
        unnamed.into_iter().chain(self.named.drain().map(Some))
    }
}

/// The first REPORT of a stream in a block read apart, which an INIT of an earlier block may
/// be waiting for.
#[derive(Debug)]
struct Held {
    stream: Option<String>,
    /// The invocation and its variant's name, when it could take an INIT; `None` for one that
    /// carries its own (and so ends the wait of any INIT before it).
    report: Option<(String, Invocation)>,
}

/// What to do with a REPORT that has just been read.
pub enum Report {
    /// Add it as it is.
    AsItIs,
    /// Add it as the cold start of the INIT that waited for it, of this many ms.
    Cold(f64),
    /// Hold it: the blocks before this one may end with an INIT for it.
    Held,
}

impl Inits {
    /// The INITs of a block read apart from the ones before it.
    pub fn apart() -> Inits {
        Inits {
            seen: Some(Seen::default()),
            ..Inits::default()
        }
    }

    /// An INIT of `init_ms` in `stream`, waiting for the stream's next REPORT.
    pub fn init(&mut self, stream: Option<&str>, init_ms: f64) {
        self.meet(stream);
        match self
            .pending
            .iter_mut()
            .find(|(s, _)| s.as_deref() == stream)
        {
            Some(p) => p.1 = init_ms,
            None => self.pending.push((stream.map(str::to_string), init_ms)),
        }
    }

    /// Marks `stream` met; whether it was met before.
    fn meet(&mut self, stream: Option<&str>) -> bool {
        self.seen.as_mut().is_none_or(|seen| seen.meet(stream))
    }

    fn take(&mut self, stream: Option<&str>) -> Option<f64> {
        let at = self
            .pending
            .iter()
            .position(|(s, _)| s.as_deref() == stream)?;
        Some(self.pending.swap_remove(at).1)
    }

    /// What the REPORT `inv` of variant `name`, read in `stream`, is.
    pub fn report(&mut self, stream: Option<&str>, name: &str, inv: &Invocation) -> Report {
        let free = inv.init_ms.is_none() && !inv.restore;
        if !self.meet(stream) {
            self.held.push(Held {
                stream: stream.map(str::to_string),
                report: free.then(|| (name.to_string(), inv.clone())),
            });
            if free {
                return Report::Held;
            }
        }
        match self.take(stream) {
            Some(init_ms) if free => Report::Cold(init_ms),
            _ => Report::AsItIs,
        }
    }

    /// Puts the block read apart whose INITs are `part` after the blocks already carried here:
    /// its held REPORTs, each the cold start of the INIT its stream ended with, are handed to
    /// `add` in their order; the INITs it ends with wait for the next block.
    pub fn carry(&mut self, part: &mut Inits, mut add: impl FnMut(&str, &Invocation)) {
        for held in part.held.drain(..) {
            let init = self.take(held.stream.as_deref());
            if let Some((name, mut inv)) = held.report {
                if let Some(init_ms) = init {
                    cold(&mut inv, init_ms);
                }
                add(&name, &inv);
            }
        }
        for stream in part.seen.iter_mut().flat_map(Seen::drain) {
            self.take(stream.as_deref());
        }
        for (stream, init_ms) in part.pending.drain(..) {
            self.init(stream.as_deref(), init_ms);
        }
    }
}

/// `inv` as the cold start of an INIT of `init_ms`.
pub fn cold(inv: &mut Invocation, init_ms: f64) {
    inv.phase = Phase::Cold;
    inv.init_ms = Some(init_ms);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambcost_core::measurement::Status;

    fn warm(ms: f64) -> Invocation {
        Invocation {
            phase: Phase::Warm,
            duration_ms: ms,
            init_ms: None,
            restore: false,
            billed_ms: Some(ms.ceil() as u64),
            billed_restore_ms: None,
            memory_size_mb: Some(512),
            max_memory_used_mb: Some(86),
            status: Status::Success,
        }
    }

    #[test]
    fn lines_as_lambda_writes_them() {
        assert_eq!(parse_init_report(b"2137.34 ms\n"), Ok(Some(2137.34)));
        assert_eq!(
            parse_init_report(
                b"1236.04 ms\tPhase: init\tStatus: error\tError Type: Extension.Crash"
            ),
            Ok(Some(1236.04))
        );
        assert_eq!(
            parse_init_report(b"3.47 ms Phase: invoke Status: error Error Type: Runtime.Unknown"),
            Ok(None)
        );
        assert!(parse_init_report(b"ms").is_err());
        assert!(parse_init_report(b"12.5 s").is_err());
    }

    /// Blocks read apart and carried in order pair exactly as one reading does.
    #[test]
    fn blocks_read_apart_pair_as_one_reading() {
        // Stream a: INIT | REPORT, REPORT. Stream b: REPORT, INIT | REPORT. ("|": a block ends.)
        let mut whole = Inits::default();
        whole.init(Some("a"), 2137.34);
        whole.report(Some("b"), "fn", &warm(5.0));
        whole.init(Some("b"), 40.0);
        assert!(matches!(
            whole.report(Some("a"), "fn", &warm(907.25)),
            Report::Cold(ms) if ms == 2137.34
        ));
        assert!(matches!(
            whole.report(Some("a"), "fn", &warm(3.0)),
            Report::AsItIs
        ));
        assert!(matches!(
            whole.report(Some("b"), "fn", &warm(6.0)),
            Report::Cold(ms) if ms == 40.0
        ));

        let mut carried = Inits::default();
        let mut added = Vec::new();
        let mut first = Inits::apart();
        first.init(Some("a"), 2137.34);
        assert!(matches!(
            first.report(Some("b"), "fn", &warm(5.0)),
            Report::Held
        ));
        first.init(Some("b"), 40.0);
        carried.carry(&mut first, |_, inv| added.push(inv.clone()));
        let mut second = Inits::apart();
        assert!(matches!(
            second.report(Some("a"), "fn", &warm(907.25)),
            Report::Held
        ));
        assert!(matches!(
            second.report(Some("a"), "fn", &warm(3.0)),
            Report::AsItIs
        ));
        assert!(matches!(
            second.report(Some("b"), "fn", &warm(6.0)),
            Report::Held
        ));
        carried.carry(&mut second, |_, inv| added.push(inv.clone()));
        let inits: Vec<_> = added.iter().map(|i| (i.duration_ms, i.init_ms)).collect();
        assert_eq!(
            inits,
            [(5.0, None), (907.25, Some(2137.34)), (6.0, Some(40.0))]
        );
        assert!(carried.pending.is_empty());
    }
}
