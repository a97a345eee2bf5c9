//! What every log reader does with what it finds, whatever the shape around it: an
//! invocation goes to the variant of its group, after a check that Lambda could have logged
//! it; a message (a REPORT line, an `INIT_START` line, a JSON event) is told apart and read;
//! an unreadable one is counted and shown, or refused under `--strict`; and the end of the
//! input says whether it was all there.

use super::init_report::{INIT_REPORT, Inits, Report, cold, parse_init_report};
use super::input::{InputError, LogOptions};
use super::json_event::{Event, RawEvent, event_of, parse_event};
use super::lines::Stop;
use super::report_line::{INIT_START, MARK, parse_report};
use lambcost_core::grouping::{Context, Groups, key};
use lambcost_core::measurement::{Invocation, Measured};
use lambcost_core::pricing::MemoryRange;

/// Where each invocation's arrival goes when the input is read for its arrivals: the time it
/// arrived (epoch ms) and its line.
pub type ArrivalSink<'a> = &'a mut dyn FnMut(f64, u64) -> Result<(), InputError>;

/// One input being read into its variants.
pub struct Reading<'a> {
    /// What was read so far.
    pub groups: Groups,
    /// The input as the user named it (a file of a directory: its path).
    pub origin: &'a str,
    /// How to name and read it.
    pub options: &'a LogOptions,
    memory: MemoryRange,
    finder: memchr::memmem::Finder<'static>,
    /// When the message being read was logged (epoch ms), where its shape says: the end of
    /// the invocation a REPORT closes. Set by the readers only when arrivals are wanted.
    pub stamp_ms: Option<f64>,
    arrivals: Option<ArrivalSink<'a>>,
    /// Invocations read without a time, when arrivals are wanted.
    pub unstamped: u64,
    /// The INITs (`INIT_REPORT`) waiting for the next REPORT of their stream.
    pub inits: Inits,
}

impl<'a> Reading<'a> {
    /// Nothing read yet from `origin`.
    pub fn new(origin: &'a str, options: &'a LogOptions, memory: MemoryRange) -> Reading<'a> {
        let mut template = Measured::new(&options.variant, &options.mode, origin);
        template.arch = options.arch;
        template.granularity_ms = options.granularity_ms;
        Reading {
            groups: Groups::new(template),
            origin,
            options,
            memory,
            finder: memchr::memmem::Finder::new(MARK),
            stamp_ms: None,
            arrivals: None,
            unstamped: 0,
            inits: Inits::default(),
        }
    }

    /// Reads `input` in blocks of whole lines on `threads` threads, each block by `scan` into
    /// a reading of its own, merged into this one in the input's order: a log parsed on every
    /// core gives what one reading of it gives.
    pub fn in_blocks<S>(
        &mut self,
        input: impl std::io::Read,
        threads: usize,
        scan: S,
    ) -> Result<(), Stop<InputError>>
    where
        S: Fn(&mut Reading<'a>, &[u8], u64) -> Result<(), InputError> + Sync,
    {
        let (origin, options, memory) = (self.origin, self.options, self.memory);
        let (groups, inits) = (&mut self.groups, &mut self.inits);
        // Parts merged are emptied and used again: a block's histograms are not made anew.
        let pool = std::sync::Mutex::new(Vec::new());
        let recycled = || pool.lock().ok().and_then(|mut p| p.pop());
        super::lines::map_blocks(
            input,
            threads,
            |block, first_line| {
                let mut part = Reading {
                    inits: Inits::apart(),
                    ..Reading::new(origin, options, memory)
                };
                if let Some(g) = recycled() {
                    part.groups = g;
                }
                scan(&mut part, block, first_line)?;
                Ok((part.groups, part.inits))
            },
            |(mut part, mut part_inits): (Groups, Inits)| {
                // The block's first REPORTs, which an INIT at the end of the blocks before it
                // may be waiting for, go first: they came first.
                inits.carry(&mut part_inits, |name, inv| groups.add(name, inv));
                groups.absorb(&mut part);
                if let Ok(mut p) = pool.lock() {
                    p.push(part);
                }
                Ok(())
            },
        )
    }

    /// Whether the input may be parsed in blocks on several threads: asked to, and with no
    /// arrival to hand over in order.
    pub fn parallel(&self) -> usize {
        if self.wants_times() {
            1
        } else {
            self.options.threads.max(1)
        }
    }

    /// Also hands every invocation's arrival to `sink`: the time its REPORT was logged, less
    /// its duration and its init (or restore).
    pub fn with_arrivals(mut self, sink: ArrivalSink<'a>) -> Reading<'a> {
        self.arrivals = Some(sink);
        self
    }

    /// Whether the readers should find each message's time.
    pub fn wants_times(&self) -> bool {
        self.arrivals.is_some()
    }

    /// An invocation found on `line`, from where `ctx` says.
    pub fn invocation(
        &mut self,
        inv: &Invocation,
        ctx: &Context,
        line: u64,
    ) -> Result<(), InputError> {
        self.invocation_on(inv, ctx, ctx.log_stream.as_deref(), || line)
    }

    /// An invocation found in the log stream `stream` on the line `line` tells, asked only
    /// when it is needed (an error, an arrival): a block of a text log numbers its lines only
    /// then.
    pub fn invocation_on(
        &mut self,
        inv: &Invocation,
        ctx: &Context,
        stream: Option<&str>,
        line: impl FnOnce() -> u64,
    ) -> Result<(), InputError> {
        if let Some(reason) = inv.implausible(self.memory) {
            return Err(InputError::at(self.origin, line(), reason));
        }
        let o = self.options;
        let name = key(o.group_by, &o.variant, &o.file, ctx, inv);
        let paired;
        let inv = match self.inits.report(stream, &name, inv) {
            Report::AsItIs => inv,
            Report::Held => return Ok(()),
            Report::Cold(init_ms) => {
                let mut c = inv.clone();
                cold(&mut c, init_ms);
                paired = c;
                &paired
            }
        };
        self.groups.add(&name, inv);
        if let Some(sink) = self.arrivals.as_mut() {
            match self.stamp_ms {
                Some(end) => sink(end - inv.duration_ms - inv.init_ms.unwrap_or(0.0), line())?,
                None => self.unstamped += 1,
            }
        }
        Ok(())
    }

    /// A line or event that cannot be read: refused under `--strict`, else counted.
    pub fn malformed(&mut self, line: u64, reason: &str, text: &[u8]) -> Result<(), InputError> {
        if self.options.strict {
            let shown = String::from_utf8_lossy(text);
            return Err(InputError::at(
                self.origin,
                line,
                format!("{reason}: {}", shown.trim_end()),
            ));
        }
        self.groups.malformed.note(self.origin, line, reason, text);
        Ok(())
    }

    /// The runtime an `INIT_START` line or event names (`provided:al2023.v52`).
    pub fn runtime(&mut self, version: &str) {
        if self.groups.runtime.is_none() {
            self.groups.runtime = super::values::runtime_of_version(version);
        }
    }

    /// One log message, as an event or a subscription payload carries it: a REPORT line, an
    /// `INIT_START` line, or a JSON event of Lambda's JSON log format; anything else counted.
    pub fn message(&mut self, message: &[u8], ctx: &Context, line: u64) -> Result<(), InputError> {
        let text = message.trim_ascii();
        if text.starts_with(b"{") {
            return self.event(text, ctx, line);
        }
        if let Some(hit) = self.finder.find(text) {
            // The REPORT fields end at the line's end: an XRAY line may follow.
            let rest = &text[hit + MARK.len()..];
            let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
            return match parse_report(rest) {
                Ok(inv) => self.invocation(&inv, ctx, line),
                Err(reason) => self.malformed(line, reason, text),
            };
        }
        if let Some(at) = memchr::memmem::find(text, INIT_REPORT) {
            return self.init_report(
                &text[at + INIT_REPORT.len()..],
                ctx.log_stream.as_deref(),
                line,
                text,
            );
        }
        if let Some(at) = memchr::memmem::find(text, INIT_START) {
            let version = &text[at + INIT_START.len()..];
            let end = version
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(version.len());
            self.runtime(&String::from_utf8_lossy(&version[..end]));
        }
        self.groups.other_messages += 1;
        Ok(())
    }

    /// An `INIT_REPORT` line of the log stream `stream`, `rest` what follows its
    /// [`INIT_REPORT`]: an INIT for the next REPORT of its stream.
    pub fn init_report(
        &mut self,
        rest: &[u8],
        stream: Option<&str>,
        line: u64,
        text: &[u8],
    ) -> Result<(), InputError> {
        match parse_init_report(rest) {
            Ok(Some(init_ms)) => self.inits.init(stream, init_ms),
            Ok(None) => {}
            Err(reason) => return self.malformed(line, reason, text),
        }
        Ok(())
    }

    /// One JSON event of Lambda's JSON log format.
    pub fn event(&mut self, event: &[u8], ctx: &Context, line: u64) -> Result<(), InputError> {
        if self.wants_times() {
            return match serde_json::from_slice::<RawEvent>(event) {
                Ok(raw) => {
                    self.note_time(raw.time.as_deref());
                    self.dispatch(event_of(raw), ctx, line, event)
                }
                Err(e) => self.malformed(line, &format!("malformed JSON event ({e})"), event),
            };
        }
        self.dispatch(parse_event(event), ctx, line, event)
    }

    /// An event's own `time`, when it has one, is when it was logged.
    fn note_time(&mut self, time: Option<&str>) {
        if let Some(t) = time.and_then(|t| super::values::time_ms(t.as_bytes())) {
            self.stamp_ms = Some(t);
        }
    }

    /// One event of Lambda's JSON log format, already parsed.
    pub fn raw_event(
        &mut self,
        event: RawEvent,
        ctx: &Context,
        line: u64,
    ) -> Result<(), InputError> {
        if self.wants_times() {
            self.note_time(event.time.as_deref());
        }
        self.dispatch(event_of(event), ctx, line, b"")
    }

    fn dispatch(
        &mut self,
        event: Result<Event, String>,
        ctx: &Context,
        line: u64,
        text: &[u8],
    ) -> Result<(), InputError> {
        match event {
            Ok(Event::Report(inv)) => self.invocation(&inv, ctx, line),
            Ok(Event::ManagedInstance) => {
                self.groups.managed_instances += 1;
                Ok(())
            }
            Ok(Event::InitStart(runtime)) => {
                if self.groups.runtime.is_none() {
                    self.groups.runtime = runtime;
                }
                Ok(())
            }
            Ok(Event::InitReport(init_ms)) => {
                self.inits.init(ctx.log_stream.as_deref(), init_ms);
                Ok(())
            }
            Ok(Event::Other) => Ok(()),
            Err(reason) => self.malformed(line, &reason, text),
        }
    }

    /// The end of the input: what was read, with a stream cut off early said (or refused
    /// under `--strict`). `consumed` is how many of the input's own bytes were read.
    pub fn finish(
        mut self,
        result: Result<(), Stop<InputError>>,
        encoding: &super::open::Encoding,
        consumed: u64,
    ) -> Result<Groups, InputError> {
        match result {
            Ok(()) => {}
            Err(Stop::Each(e)) => return Err(e),
            Err(Stop::Io(e)) if super::open::is_cut_off(&e) && !encoding.layers.is_empty() => {
                let said = format!(
                    "the {} stream is truncated: cut off after {} of its bytes ({e})",
                    encoding.describe(),
                    lambcost_core::format::grouped(rust_decimal::Decimal::from(consumed), 0)
                );
                if self.options.strict {
                    return Err(InputError::whole(self.origin, said));
                }
                // Cut before its first invocation, it holds nothing to price: that is what
                // is wrong with it, not that it holds no REPORT line.
                if self.groups.count() == 0 {
                    self.groups.cut_off = Some(format!("{said}, before any invocation"));
                    return Ok(self.groups);
                }
                self.groups.cut_off = Some(format!(
                    "{said}; the {} invocations before it are counted (--strict refuses it)",
                    lambcost_core::format::grouped(
                        rust_decimal::Decimal::from(self.groups.count()),
                        0
                    )
                ));
            }
            Err(Stop::Io(e)) => {
                return Err(InputError::whole(self.origin, format!("cannot read: {e}")));
            }
        }
        Ok(self.groups)
    }
}
