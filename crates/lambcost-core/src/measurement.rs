//! The measurement model: invocations as logs and samples report them, and what lambcost
//! keeps of a variant's invocations in bounded memory (counts, histograms, exact billed sums,
//! re-billed sums under today's rules). The readers produce it; profiles and the core consume
//! it. It reads nothing itself.

use crate::pricing::Arch;
use crate::stats::Accumulator;

/// Cold (the first invocation of an environment, INIT or restore before it) or warm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// A cold start.
    Cold,
    /// A warm invocation.
    Warm,
}

impl Phase {
    /// `cold` or `warm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Cold => "cold",
            Phase::Warm => "warm",
        }
    }
}

/// How an invocation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It returned a response.
    Success,
    /// The function or the runtime failed.
    Error,
    /// It ran past the function timeout.
    Timeout,
    /// It ran out of memory.
    Oom,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 4] = [Status::Success, Status::Error, Status::Timeout, Status::Oom];

    /// The name used in samples files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Error => "error",
            Status::Timeout => "timeout",
            Status::Oom => "oom",
        }
    }

    /// Reads a status name; Lambda's `failure` is an error.
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim().to_ascii_lowercase().as_str() {
            "success" => Some(Status::Success),
            "error" | "failure" => Some(Status::Error),
            "timeout" => Some(Status::Timeout),
            "oom" => Some(Status::Oom),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One invocation as a log or samples file reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    /// Cold or warm.
    pub phase: Phase,
    /// Duration of the invoke, in ms.
    pub duration_ms: f64,
    /// Init Duration (or Restore Duration with SnapStart) of a cold invocation, in ms.
    pub init_ms: Option<f64>,
    /// True when the cold start was a SnapStart restore.
    pub restore: bool,
    /// Billed Duration as reported (includes INIT where billed, and the billed restore).
    pub billed_ms: Option<u64>,
    /// Billed Restore Duration of a SnapStart restore, as reported.
    pub billed_restore_ms: Option<u64>,
    /// Configured memory.
    pub memory_size_mb: Option<u32>,
    /// Max Memory Used.
    pub max_memory_used_mb: Option<u32>,
    /// How it ended.
    pub status: Status,
}

/// Lambda's longest invocation, ms: no Duration, Init Duration or Billed Restore Duration of a
/// real log is longer.
pub const MAX_PHASE_MS: f64 = 900_000.0;

impl Invocation {
    /// Why this invocation cannot be a Lambda invocation of `memory` (a Memory Size outside
    /// Lambda's range, a duration longer than its 15-minute limit), if it cannot: a reader
    /// names the file and line.
    pub fn implausible(&self, memory: crate::pricing::MemoryRange) -> Option<String> {
        if let Some(mb) = self.memory_size_mb
            && (mb < memory.min || mb > memory.max)
        {
            return Some(format!(
                "Memory Size {mb} MB is outside Lambda's {}..={} MB; is this a Lambda log?",
                memory.min, memory.max
            ));
        }
        // As the log wrote it: 1e308 rather than three hundred digits.
        let written = |ms: f64| {
            if ms >= 1e9 {
                format!("{ms:e}")
            } else {
                ms.to_string()
            }
        };
        let long = |what: &str, ms: f64| {
            (ms > MAX_PHASE_MS).then(|| {
                format!(
                    "{what} {} ms is longer than Lambda's 15-minute limit (900000 ms)",
                    written(ms)
                )
            })
        };
        long("Duration", self.duration_ms)
            .or_else(|| long("Init Duration", self.init_ms.unwrap_or(0.0)))
            .or_else(|| {
                long(
                    "Billed Restore Duration",
                    self.billed_restore_ms.unwrap_or(0) as f64,
                )
            })
            .or_else(|| {
                // Billed Duration holds at most an init and an invoke.
                let billed = self.billed_ms.unwrap_or(0) as f64;
                (billed > 2.0 * MAX_PHASE_MS).then(|| {
                    format!(
                        "Billed Duration {} ms is longer than an init and an invoke can be",
                        written(billed)
                    )
                })
            })
    }
}

/// Exact counts of whole-MB values (Max Memory Used), bounded by Lambda's memory range.
#[derive(Clone, Debug, Default)]
pub struct MemoryCounts {
    counts: Vec<u64>,
    total: u64,
}

impl MemoryCounts {
    const LIMIT: usize = 10_241;

    /// Empties it, keeping its memory.
    pub fn clear(&mut self) {
        self.counts.fill(0);
        self.total = 0;
    }

    /// Records one value (values above 10,240 MB count as 10,240).
    pub fn add(&mut self, mb: u32) {
        if self.counts.is_empty() {
            self.counts = vec![0; Self::LIMIT];
        }
        let i = (mb as usize).min(Self::LIMIT - 1);
        self.counts[i] += 1;
        self.total += 1;
    }

    /// Smallest, largest and 95th percentile (nearest rank), or `None` when empty.
    pub fn min_max_p95(&self) -> Option<(u32, u32, u32)> {
        if self.total == 0 {
            return None;
        }
        let min = self.counts.iter().position(|&c| c > 0)?;
        let max = self.counts.iter().rposition(|&c| c > 0)?;
        let rank = ((self.total as f64 * 0.95).ceil() as u64).max(1);
        let mut seen = 0;
        let mut p95 = max;
        for (mb, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                p95 = mb;
                break;
            }
        }
        Some((min as u32, max as u32, p95 as u32))
    }

    fn merge(&mut self, other: &MemoryCounts) {
        for (mb, &c) in other.counts.iter().enumerate() {
            if c > 0 {
                if self.counts.is_empty() {
                    self.counts = vec![0; Self::LIMIT];
                }
                self.counts[mb] += c;
            }
        }
        self.total += other.total;
    }
}

/// The billed milliseconds of one phase as lambcost bills them today, whatever the input
/// reported: under the INIT rule both ways (the runtime decides which applies), at the
/// billing granularity in force, and how many invocations that changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rebilled {
    /// Sum of the billed durations with INIT billed on cold starts.
    pub with_init_ms: u128,
    /// Sum of the billed durations with INIT unbilled.
    pub without_init_ms: u128,
    /// Invocations whose reported Billed Duration differs from the one with INIT billed.
    pub changed_with_init: u64,
    /// Invocations whose reported Billed Duration differs from the one without INIT.
    pub changed_without_init: u64,
    /// Invocations that reported a Billed Duration.
    pub reported: u64,
    /// Sum of the reported Billed Durations of the invocations that reported one.
    pub reported_ms: u128,
    /// Sum of the re-billed durations (INIT billed) of those same invocations.
    pub reported_with_init_ms: u128,
    /// Sum of the re-billed durations (INIT unbilled) of those same invocations.
    pub reported_without_init_ms: u128,
}

impl Rebilled {
    fn merge(&mut self, other: &Rebilled) {
        self.with_init_ms += other.with_init_ms;
        self.without_init_ms += other.without_init_ms;
        self.changed_with_init += other.changed_with_init;
        self.changed_without_init += other.changed_without_init;
        self.reported += other.reported;
        self.reported_ms += other.reported_ms;
        self.reported_with_init_ms += other.reported_with_init_ms;
        self.reported_without_init_ms += other.reported_without_init_ms;
    }
}

/// Everything measured of one phase (cold or warm) of one variant.
#[derive(Clone, Debug, Default)]
pub struct PhaseData {
    /// Duration of the invoke.
    pub duration: Accumulator,
    /// Init (or restore) duration; cold only.
    pub init: Accumulator,
    /// Init plus duration: the latency a cold caller sees; cold only.
    pub total: Accumulator,
    /// Billed duration of each invocation, as reported.
    pub billed: Accumulator,
    /// Sum of billed milliseconds as reported (computed as Lambda would where absent).
    pub billed_ms_sum: u128,
    /// The billed milliseconds under today's rules.
    pub rebilled: Rebilled,
    /// Max Memory Used.
    pub memory: MemoryCounts,
    /// SnapStart restores among the cold starts.
    pub restores: u64,
    /// Restores that reported a Billed Restore Duration.
    pub billed_restores: u64,
    /// Sum of their Billed Restore Durations.
    pub billed_restore_ms_sum: u128,
}

impl PhaseData {
    /// Empties it, keeping its histograms' memory.
    pub fn clear(&mut self) {
        for a in [
            &mut self.duration,
            &mut self.init,
            &mut self.total,
            &mut self.billed,
        ] {
            a.clear();
        }
        self.memory.clear();
        self.billed_ms_sum = 0;
        self.rebilled = Rebilled::default();
        self.restores = 0;
        self.billed_restores = 0;
        self.billed_restore_ms_sum = 0;
    }

    /// Number of invocations.
    pub fn count(&self) -> u64 {
        self.duration.count()
    }

    fn merge(&mut self, other: &PhaseData) {
        self.duration.merge(&other.duration);
        self.init.merge(&other.init);
        self.total.merge(&other.total);
        self.billed.merge(&other.billed);
        self.billed_ms_sum += other.billed_ms_sum;
        self.rebilled.merge(&other.rebilled);
        self.memory.merge(&other.memory);
        self.restores += other.restores;
        self.billed_restores += other.billed_restores;
        self.billed_restore_ms_sum += other.billed_restore_ms_sum;
    }
}

/// Microseconds in a millisecond: durations are summed as whole microseconds so that
/// `100.3 + 250.7` is exactly 351 ms, as Lambda adds them, not 351.00000000000006.
const US_PER_MS: f64 = 1_000.0;

/// `us` microseconds as billed milliseconds: rounded up to a multiple of `granularity_ms`,
/// one granule at the least.
fn ceil_to(us: u64, granularity_ms: u32) -> u64 {
    let g = u64::from(granularity_ms.max(1)) * 1_000;
    // Readers refuse durations past Lambda's limits; saturating keeps any other caller safe.
    us.div_ceil(g).max(1).saturating_mul(g) / 1_000
}

/// A duration in whole microseconds (negative and non-finite durations are 0).
fn micros(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        (ms * US_PER_MS).round() as u64
    } else {
        0
    }
}

/// The first few malformed lines of an input, and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Malformed {
    /// How many lines could not be read.
    pub count: u64,
    /// The first few, in full: `file:line: reason: text`.
    pub first: Vec<String>,
}

impl Malformed {
    /// How many are kept in full.
    pub const KEPT: usize = 5;

    /// Notes one more malformed line.
    pub fn note(&mut self, origin: &str, line: u64, reason: &str, text: &[u8]) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            let shown = String::from_utf8_lossy(text);
            let shown = shown.trim_end();
            // Tabs (a REPORT line's separators) as spaces: a terminal would widen them.
            let shown: String = shown
                .chars()
                .take(200)
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            self.first.push(if shown.is_empty() {
                format!("{origin}:{line}: {reason}")
            } else {
                format!("{origin}:{line}: {reason}: {shown}")
            });
        }
    }
}

/// One variant's measurements, accumulated in bounded memory.
#[derive(Clone, Debug)]
pub struct Measured {
    /// Variant name.
    pub name: String,
    /// Build mode (may be empty when a log does not say).
    pub mode: String,
    /// Architecture, when known.
    pub arch: Option<Arch>,
    /// Configured memory (the last seen).
    pub memory_size_mb: Option<u32>,
    /// Smallest and largest configured memory seen (they differ if the setting changed).
    pub memory_size_range: Option<(u32, u32)>,
    /// Cold invocations.
    pub cold: PhaseData,
    /// Warm invocations.
    pub warm: PhaseData,
    /// Invocations by status, in [`Status::ALL`] order.
    pub statuses: [u64; 4],
    /// Lines that could not be read.
    pub malformed: Malformed,
    /// Where the data came from.
    pub origin: String,
    /// False when the samples say limits (memory, CPU) were not enforced while measuring.
    pub limits_enforced: Option<bool>,
    /// The Lambda runtime, when the input names it (`INIT_START Runtime Version:`).
    pub runtime: Option<String>,
    /// The billing granularity invocations are re-billed at.
    pub granularity_ms: u32,
    /// Lambda Managed Instances reports left out: they carry no memory-based billing.
    pub managed_instances: u64,
    /// Reports without a memory size (a JSON event without `memorySizeMB`): priced at the
    /// memory size of the others.
    pub without_memory_size: u64,
    /// The name this variant was split from when its input measured the function at several
    /// memory sizes (each size a variant, `name-128mb`).
    pub split_from: Option<String>,
}

impl Measured {
    /// An empty variant.
    pub fn new(name: &str, mode: &str, origin: &str) -> Measured {
        Measured {
            name: name.to_string(),
            mode: mode.to_string(),
            arch: None,
            memory_size_mb: None,
            memory_size_range: None,
            cold: PhaseData::default(),
            warm: PhaseData::default(),
            statuses: [0; 4],
            malformed: Malformed::default(),
            origin: origin.to_string(),
            limits_enforced: None,
            runtime: None,
            granularity_ms: 1,
            managed_instances: 0,
            without_memory_size: 0,
            split_from: None,
        }
    }

    /// Number of invocations.
    pub fn count(&self) -> u64 {
        self.cold.count() + self.warm.count()
    }

    /// Adds one invocation; a missing billed duration is computed as Lambda would
    /// (`ceil(init + duration)` for a cold one). Every invocation is also re-billed under
    /// today's rules from its Duration, Init Duration and Billed Restore Duration.
    pub fn add(&mut self, inv: &Invocation) {
        let g = self.granularity_ms;
        let phase = match inv.phase {
            Phase::Cold => &mut self.cold,
            Phase::Warm => &mut self.warm,
        };
        phase.duration.add(inv.duration_ms);
        let init = inv.init_ms.unwrap_or(0.0);
        if inv.phase == Phase::Cold {
            phase.init.add(init);
            phase.total.add(init + inv.duration_ms);
            if inv.restore {
                phase.restores += 1;
                if let Some(ms) = inv.billed_restore_ms {
                    phase.billed_restores += 1;
                    phase.billed_restore_ms_sum += u128::from(ms);
                }
            }
        }
        let duration_us = micros(inv.duration_ms);
        let (with_init, without_init) = match inv.phase {
            Phase::Warm => {
                let b = ceil_to(duration_us, g);
                (b, b)
            }
            // A restore is billed the invoke plus its Billed Restore Duration; INIT is not run.
            Phase::Cold if inv.restore => {
                let b = ceil_to(duration_us, g).saturating_add(inv.billed_restore_ms.unwrap_or(0));
                (b, b)
            }
            Phase::Cold => (
                ceil_to(duration_us.saturating_add(micros(init)), g),
                ceil_to(duration_us, g),
            ),
        };
        let billed = inv.billed_ms.unwrap_or(with_init);
        let r = &mut phase.rebilled;
        r.with_init_ms += u128::from(with_init);
        r.without_init_ms += u128::from(without_init);
        if let Some(reported) = inv.billed_ms {
            r.reported += 1;
            r.reported_ms += u128::from(reported);
            r.reported_with_init_ms += u128::from(with_init);
            r.reported_without_init_ms += u128::from(without_init);
            r.changed_with_init += u64::from(reported != with_init);
            r.changed_without_init += u64::from(reported != without_init);
        }
        phase.billed.add(billed as f64);
        phase.billed_ms_sum += u128::from(billed);
        if let Some(mb) = inv.max_memory_used_mb {
            phase.memory.add(mb);
        }
        match inv.memory_size_mb {
            Some(mb) => {
                self.memory_size_mb = Some(mb);
                self.memory_size_range = Some(match self.memory_size_range {
                    Some((lo, hi)) => (lo.min(mb), hi.max(mb)),
                    None => (mb, mb),
                });
            }
            None => self.without_memory_size += 1,
        }
        self.statuses[inv.status.index()] += 1;
    }

    /// `template` under `name`, nothing measured, in this one's memory: a variant of a block
    /// read on every core, used again for the next block.
    pub fn reuse_as(&mut self, template: &Measured, name: &str) {
        let (mut cold, mut warm) = (
            std::mem::take(&mut self.cold),
            std::mem::take(&mut self.warm),
        );
        cold.clear();
        warm.clear();
        self.clone_from(template);
        self.name.clear();
        self.name.push_str(name);
        self.cold = cold;
        self.warm = warm;
    }

    /// Adds everything of `other` (the same variant read from another input).
    pub fn merge(&mut self, other: &Measured) {
        self.cold.merge(&other.cold);
        self.warm.merge(&other.warm);
        for (a, b) in self.statuses.iter_mut().zip(other.statuses) {
            *a += b;
        }
        if other.memory_size_mb.is_some() {
            self.memory_size_mb = other.memory_size_mb;
        }
        self.memory_size_range = match (self.memory_size_range, other.memory_size_range) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (x, None) | (None, x) => x,
        };
        self.arch = self.arch.or(other.arch);
        self.malformed.count += other.malformed.count;
        for m in &other.malformed.first {
            if self.malformed.first.len() < Malformed::KEPT {
                self.malformed.first.push(m.clone());
            }
        }
        self.limits_enforced = match (self.limits_enforced, other.limits_enforced) {
            (Some(a), Some(b)) => Some(a && b),
            (x, None) | (None, x) => x,
        };
        if self.runtime.is_none() {
            self.runtime.clone_from(&other.runtime);
        }
        self.managed_instances += other.managed_instances;
        self.without_memory_size += other.without_memory_size;
    }

    /// Max Memory Used over every invocation: (min, max, p95).
    pub fn max_memory_used(&self) -> Option<(u32, u32, u32)> {
        let mut all = self.cold.memory.clone();
        all.merge(&self.warm.memory);
        all.min_max_p95()
    }
}

/// One phase (cold or warm) of a function as an aggregating query summarises it (CloudWatch
/// Logs Insights scans the logs inside AWS and returns these figures, not the invocations).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhaseAggregate {
    /// Invocations.
    pub count: u64,
    /// Mean Duration, ms.
    pub duration_mean_ms: f64,
    /// Standard deviation of Duration, ms.
    pub duration_sd_ms: f64,
    /// Duration percentiles, ms: 50th, 90th, 95th, 99th.
    pub duration_pct_ms: [Option<f64>; 4],
    /// Longest Duration, ms.
    pub duration_max_ms: Option<f64>,
    /// Mean Init Duration, ms (cold only).
    pub init_mean_ms: Option<f64>,
    /// Sum of Init Duration, ms.
    pub init_ms_sum: f64,
    /// Sum of Billed Duration, ms, as the logs reported it.
    pub billed_ms_sum: f64,
}

/// A function (or a version, a memory setting of it) as an aggregating query summarises it:
/// its cold and warm phases apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregated {
    /// The group's name (`api`, `api:3`).
    pub name: String,
    /// The input it was read from.
    pub origin: String,
    /// Configured memory.
    pub memory_size_mb: u32,
    /// Max Memory Used: (smallest, largest).
    pub max_memory_used_mb: Option<(u32, u32)>,
    /// Invocations that started warm.
    pub warm: PhaseAggregate,
    /// Invocations that started cold.
    pub cold: PhaseAggregate,
}

/// When an invocation arrived (ms from the run's start) and which environment served it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrived {
    /// Ms from the run's start.
    pub arrival_ms: f64,
    /// The environment, from 1.
    pub environment: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_memory_used_min_max_and_p95_by_hand() {
        // 20 values: 40 x 10, 41 x 8, 45, 48. Nearest rank of p95 is the 19th: 45.
        let mut m = MemoryCounts::default();
        for mb in std::iter::repeat_n(40, 10)
            .chain(std::iter::repeat_n(41, 8))
            .chain([45, 48])
        {
            m.add(mb);
        }
        assert_eq!(m.min_max_p95(), Some((40, 48, 45)));
        assert_eq!(MemoryCounts::default().min_max_p95(), None);
    }

    #[test]
    fn invocations_accumulate_by_phase_with_billed_sums() {
        let mut m = Measured::new("v", "aot", "test");
        let warm = |ms: f64, billed: Option<u64>| Invocation {
            phase: Phase::Warm,
            duration_ms: ms,
            init_ms: None,
            restore: false,
            billed_ms: billed,
            billed_restore_ms: None,
            memory_size_mb: Some(256),
            max_memory_used_mb: Some(40),
            status: Status::Success,
        };
        m.add(&warm(10.2, None));
        m.add(&warm(0.3, Some(1)));
        m.add(&Invocation {
            phase: Phase::Cold,
            init_ms: Some(100.5),
            ..warm(8.0, None)
        });
        // ceil(10.2) + 1 for the warm ones; ceil(100.5 + 8.0) for the cold one.
        assert_eq!(m.warm.billed_ms_sum, 12);
        assert_eq!(m.cold.billed_ms_sum, 109);
        assert_eq!(m.count(), 3);
        assert_eq!(m.statuses[0], 3);
        assert_eq!(m.cold.total.mean(), Some(108.5));
    }
}
