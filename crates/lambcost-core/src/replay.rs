//! Lambda's execution environments, simulated over a team's own arrivals: how many cold
//! starts real, bursty traffic causes under a build mode, how many environments it keeps
//! busy, and what the callers wait.
//!
//! The pool, as Lambda runs it and as far as AWS says: an environment serves one invocation
//! at a time; an arrival takes an idle environment when there is one, else starts a new one
//! (a cold start: busy for its init, then the invoke); an environment idle for the reclaim
//! time is shut down, and one older than its lifetime is retired when it next falls idle;
//! arrivals beyond the concurrency limit are throttled. Which idle environment an arrival
//! takes AWS does not document: this model takes the one that fell idle last (a stack), as
//! the traffic model does, which lets the others age and be reclaimed, the pool shrinking
//! back after a burst as Lambda's does.
//!
//! Pure and deterministic: the inits and durations are drawn from each variant's own
//! distributions by a seeded generator; the same arrivals and seed give the same answer.
//! Memory is the pool and its timeline, never the trace (the edge that reads a directory of
//! logs gathers their arrivals to sort them, 8 bytes each).

use crate::profile::Profile;
use crate::stats::Accumulator;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A quantity drawn at random: a single figure, or a distribution as (value, cumulative
/// share) points, drawn by inverting it.
#[derive(Clone, Debug, PartialEq)]
pub enum Draw {
    /// Always this.
    Fixed(f64),
    /// Points of the cumulative distribution, shares ascending from 0 to 1.
    Table(Vec<(f64, f64)>),
}

impl Draw {
    /// The value at cumulative share `u` (0..1), linear between the table's points.
    pub fn at(&self, u: f64) -> f64 {
        match self {
            Draw::Fixed(v) => *v,
            Draw::Table(points) => {
                let i = points.partition_point(|p| p.1 < u);
                match (i.checked_sub(1).and_then(|j| points.get(j)), points.get(i)) {
                    (Some(a), Some(b)) if b.1 > a.1 => a.0 + (b.0 - a.0) * (u - a.1) / (b.1 - a.1),
                    (_, Some(b)) => b.0,
                    (Some(a), None) => a.0,
                    (None, None) => 0.0,
                }
            }
        }
    }

    /// A table when `points` has any, else the single figure.
    fn of(points: &[(f64, f64)], figure: f64) -> Draw {
        if points.len() >= 2 {
            Draw::Table(points.to_vec())
        } else {
            Draw::Fixed(figure)
        }
    }
}

/// How long a variant's environments are busy: a cold start (init and the first invoke,
/// as the caller waits for it), and a warm invocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Behaviour {
    /// A cold start, init included, ms.
    pub cold_ms: Draw,
    /// A warm invocation, ms.
    pub warm_ms: Draw,
}

impl Behaviour {
    /// A variant's own: its measured latency distributions (cold starts, init included, and
    /// warm invocations), or the figures of its summary row. A variant measured without a
    /// cold start takes its warm duration plus its init; one without a warm invocation, its
    /// cold start's.
    pub fn of(p: &Profile) -> Behaviour {
        let warm = p.warm.as_ref().map(|f| f.mean_ms);
        let init = rust_decimal::prelude::ToPrimitive::to_f64(&p.init_ms).unwrap_or(0.0);
        let cold = p
            .cold_start
            .as_ref()
            .map(|f| f.mean_ms)
            .unwrap_or(warm.unwrap_or(0.0) + init);
        let warm = warm.unwrap_or(cold);
        match &p.measurements {
            Some(m) => Behaviour {
                cold_ms: Draw::of(&m.cold.distribution, cold),
                warm_ms: Draw::of(&m.warm.distribution, warm),
            },
            None => Behaviour {
                cold_ms: Draw::Fixed(cold),
                warm_ms: Draw::Fixed(warm),
            },
        }
    }
}

/// The pool's rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rules {
    /// An environment idle this long is shut down, ms.
    pub idle_reclaim_ms: f64,
    /// An environment this old is retired when it next falls idle, ms.
    pub env_lifetime_ms: f64,
    /// The most environments busy at once; arrivals beyond are throttled.
    pub concurrency_limit: Option<u32>,
}

impl Rules {
    /// The rules from the durations people type (`--idle-reclaim 10m`, in ms) and an
    /// optional limit on environments busy at once.
    pub fn new(
        idle_reclaim_ms: rust_decimal::Decimal,
        env_lifetime_ms: rust_decimal::Decimal,
        concurrency_limit: Option<u32>,
    ) -> Rules {
        use rust_decimal::prelude::ToPrimitive;
        Rules {
            idle_reclaim_ms: idle_reclaim_ms.to_f64().unwrap_or(600_000.0),
            env_lifetime_ms: env_lifetime_ms.to_f64().unwrap_or(7_200_000.0),
            concurrency_limit,
        }
    }
}

/// A busy environment, ordered by when it falls idle.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Busy {
    free_at: f64,
    created: f64,
}

impl Eq for Busy {}

impl PartialOrd for Busy {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Busy {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.free_at
            .total_cmp(&other.free_at)
            .then(self.created.total_cmp(&other.created))
    }
}

/// An idle environment: since when, and since when it lives.
#[derive(Clone, Copy, Debug)]
struct Idle {
    since: f64,
    created: f64,
}

/// Busy environments over time, at most `MAX_BUCKETS` buckets: when they fill, each pair
/// becomes one twice as wide, so that a month of arrivals costs the same as a minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Width of a bucket, ms.
    pub bucket_ms: f64,
    /// The most environments busy at any moment within each bucket.
    pub peaks: Vec<u32>,
}

const MAX_BUCKETS: usize = 512;

impl Timeline {
    fn new() -> Timeline {
        Timeline {
            bucket_ms: 1_000.0,
            peaks: Vec::new(),
        }
    }

    /// The busy count changed at `at_ms` from `before` to `after`: `before` held since the
    /// last change, through every bucket since.
    fn change(&mut self, at_ms: f64, before: u32, after: u32) {
        let mut i = (at_ms.max(0.0) / self.bucket_ms) as usize;
        while i >= MAX_BUCKETS {
            self.peaks = self
                .peaks
                .chunks(2)
                .map(|c| c.iter().copied().max().unwrap_or(0))
                .collect();
            self.bucket_ms *= 2.0;
            i = (at_ms.max(0.0) / self.bucket_ms) as usize;
        }
        // The last bucket recorded already holds `before` (it was the last change's
        // `after`); the ones between held it throughout.
        if self.peaks.len() <= i {
            self.peaks.resize(i + 1, before);
        }
        self.peaks[i] = self.peaks[i].max(before.max(after));
    }
}

/// What a replay found for one variant.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Arrivals served (throttled ones excluded).
    pub invocations: u64,
    /// Of which cold starts.
    pub cold_starts: u64,
    /// Arrivals beyond the concurrency limit.
    pub throttles: u64,
    /// The most environments busy at once.
    pub peak_concurrency: u32,
    /// Environments busy on average over the window.
    pub mean_concurrency: f64,
    /// The window from the first arrival to the last invocation's end, ms.
    pub window_ms: f64,
    /// Latency as the caller sees it (init plus duration for a cold start), ms.
    pub latency: Accumulator,
    /// Busy environments over time.
    pub timeline: Timeline,
}

impl Outcome {
    /// The share of invocations that started cold, exact: what prices a month.
    pub fn cold_share_exact(&self) -> rust_decimal::Decimal {
        use rust_decimal::Decimal;
        if self.invocations == 0 {
            Decimal::ZERO
        } else {
            Decimal::from(self.cold_starts) / Decimal::from(self.invocations)
        }
    }

    /// The share of invocations that started cold.
    pub fn cold_share(&self) -> f64 {
        if self.invocations == 0 {
            0.0
        } else {
            self.cold_starts as f64 / self.invocations as f64
        }
    }
}

/// One variant's pool, fed arrivals in time order.
pub struct Pool {
    rules: Rules,
    behaviour: Behaviour,
    rng: ChaCha8Rng,
    idle: VecDeque<Idle>,
    busy: BinaryHeap<Reverse<Busy>>,
    start: Option<f64>,
    now: f64,
    /// Time-weighted busy environments, ms.
    busy_area: f64,
    last_end: f64,
    outcome: Outcome,
}

impl Pool {
    /// An empty pool of environments that behave as `behaviour`, drawing with `seed`.
    pub fn new(rules: Rules, behaviour: Behaviour, seed: u64) -> Pool {
        Pool {
            rules,
            behaviour,
            rng: ChaCha8Rng::seed_from_u64(seed),
            idle: VecDeque::new(),
            busy: BinaryHeap::new(),
            start: None,
            now: 0.0,
            busy_area: 0.0,
            last_end: 0.0,
            outcome: Outcome {
                invocations: 0,
                cold_starts: 0,
                throttles: 0,
                peak_concurrency: 0,
                mean_concurrency: 0.0,
                window_ms: 0.0,
                latency: Accumulator::new(),
                timeline: Timeline::new(),
            },
        }
    }

    /// Moves the clock to `t`, integrating the busy count and letting environments that
    /// finished fall idle (or retire, past their lifetime) in the order they finish.
    fn advance(&mut self, t: f64) {
        while let Some(Reverse(next)) = self.busy.peek().copied() {
            if next.free_at > t {
                break;
            }
            let before = self.busy.len() as u32;
            self.busy_area += f64::from(before) * (next.free_at - self.now);
            self.now = next.free_at;
            self.busy.pop();
            self.outcome
                .timeline
                .change(next.free_at, before, before - 1);
            if next.free_at - next.created < self.rules.env_lifetime_ms {
                self.idle.push_back(Idle {
                    since: next.free_at,
                    created: next.created,
                });
            }
        }
        self.busy_area += self.busy.len() as f64 * (t - self.now).max(0.0);
        self.now = self.now.max(t);
        // The longest idle are at the front: reclaimed first.
        while self
            .idle
            .front()
            .is_some_and(|e| t - e.since >= self.rules.idle_reclaim_ms)
        {
            self.idle.pop_front();
        }
    }

    /// An invocation arriving at `t` ms (arrivals must come in time order).
    pub fn arrive(&mut self, t: f64) {
        let origin = *self.start.get_or_insert(t);
        let t = t - origin;
        self.advance(t);
        let u = self.rng.random::<f64>();
        // The idle environment that fell idle last, unless it is past its lifetime.
        let mut reused = None;
        while let Some(e) = self.idle.pop_back() {
            if t - e.created < self.rules.env_lifetime_ms {
                reused = Some(e);
                break;
            }
        }
        let (created, latency) = match reused {
            Some(e) => (e.created, self.behaviour.warm_ms.at(u).max(0.0)),
            None => {
                let limit = self
                    .rules
                    .concurrency_limit
                    .map_or(usize::MAX, |l| l as usize);
                if self.busy.len() >= limit {
                    self.outcome.throttles += 1;
                    return;
                }
                self.outcome.cold_starts += 1;
                (t, self.behaviour.cold_ms.at(u).max(0.0))
            }
        };
        let free_at = t + latency;
        self.busy.push(Reverse(Busy { free_at, created }));
        self.outcome.invocations += 1;
        self.outcome.latency.add(latency);
        let busy = self.busy.len() as u32;
        self.outcome.peak_concurrency = self.outcome.peak_concurrency.max(busy);
        self.outcome.timeline.change(t, busy - 1, busy);
        self.last_end = self.last_end.max(free_at);
    }

    /// The outcome, once every arrival is in.
    pub fn finish(mut self) -> Outcome {
        let end = self.last_end;
        self.advance(end);
        self.outcome.window_ms = end;
        self.outcome.mean_concurrency = if end > 0.0 { self.busy_area / end } else { 0.0 };
        self.outcome
    }
}

/// Every variant's pool fed the same arrivals, in time order: one pass over a trace answers
/// for every variant.
pub struct Replay {
    pools: Vec<Pool>,
    first: Option<f64>,
    last: f64,
    arrivals: u64,
}

/// What a replay found: each variant's outcome, and the trace it was fed.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// One outcome per behaviour, in order.
    pub outcomes: Vec<Outcome>,
    /// Arrivals fed.
    pub arrivals: u64,
    /// From the first arrival to the last, ms.
    pub span_ms: f64,
}

impl Replay {
    /// A pool per behaviour under `rules`, each drawing with `seed`: the variants see the
    /// same random numbers, so that their differences are theirs, not the draws'.
    pub fn new(rules: Rules, behaviours: &[Behaviour], seed: u64) -> Replay {
        Replay {
            pools: behaviours
                .iter()
                .map(|b| Pool::new(rules, b.clone(), seed))
                .collect(),
            first: None,
            last: 0.0,
            arrivals: 0,
        }
    }

    /// An invocation arriving at `t` ms, in time order.
    pub fn arrive(&mut self, t: f64) {
        self.first.get_or_insert(t);
        self.last = t;
        self.arrivals += 1;
        for pool in &mut self.pools {
            pool.arrive(t);
        }
    }

    /// Every pool's outcome.
    pub fn finish(self) -> Replayed {
        Replayed {
            span_ms: self.first.map_or(0.0, |f| self.last - f),
            arrivals: self.arrivals,
            outcomes: self.pools.into_iter().map(Pool::finish).collect(),
        }
    }
}

/// Invocations a month at the rate of `invocations` over `span_ms`: a trace's window scaled
/// to a month of `month_hours`. A span from the first arrival to the last (`endpoints`)
/// holds one interval fewer than arrivals, so the rate is (n - 1) / span; a span of fixed
/// length (Poisson arrivals over `--for`) holds n / span.
pub fn monthly(invocations: u64, span_ms: f64, month_hours: f64, endpoints: bool) -> u64 {
    if span_ms <= 0.0 {
        return invocations;
    }
    let n = if endpoints {
        invocations.saturating_sub(1)
    } else {
        invocations
    };
    (n as f64 * month_hours * 3_600_000.0 / span_ms).round() as u64
}

/// One variant's replay priced: its replayed share of cold starts, and its month at each
/// traffic level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedReplay {
    /// The share of cold starts the replay found, exact.
    pub share: rust_decimal::Decimal,
    /// (invocations a month, the month's total) at each level.
    pub costs: Vec<(u64, rust_decimal::Decimal)>,
}

/// Each variant's replay priced on demand at the share of cold starts it found: at `levels`,
/// or, with none, at the trace's own rate over a month (`endpoints` when the trace's span
/// runs from its first arrival to its last, not over a fixed time).
pub fn priced(
    profiles: &[Profile],
    replayed: &Replayed,
    levels: &[u64],
    endpoints: bool,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Vec<PricedReplay>, crate::cost::BillError> {
    use crate::scenario::{Scenario, price};
    use rust_decimal::prelude::ToPrimitive;
    let month_hours = pricer.month_hours().to_f64().unwrap_or(730.0);
    profiles
        .iter()
        .zip(&replayed.outcomes)
        .map(|(p, o)| {
            let own_rate = [monthly(
                o.invocations,
                replayed.span_ms,
                month_hours,
                endpoints,
            )];
            let levels = if levels.is_empty() {
                &own_rate[..]
            } else {
                levels
            };
            let share = o.cold_share_exact();
            let costs = levels
                .iter()
                .map(|&requests| {
                    let source = crate::share::ShareSource::Replay;
                    let month =
                        price(p, requests, (share, source), &Scenario::on_demand(), pricer)?;
                    Ok((requests, month.cost.total_usd()))
                })
                .collect::<Result<Vec<_>, crate::cost::BillError>>()?;
            Ok(PricedReplay { share, costs })
        })
        .collect()
}

/// Arrivals of a Poisson process of `rate_per_s` over `for_ms`, drawn with `seed`, as
/// offsets in ms: generated as they are read, never stored.
pub fn poisson(rate_per_s: f64, for_ms: f64, seed: u64) -> impl Iterator<Item = f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_a441_7a15);
    let mean_gap_ms = 1_000.0 / rate_per_s.max(f64::MIN_POSITIVE);
    let mut t = 0.0f64;
    std::iter::from_fn(move || {
        // Inverse of the exponential distribution; 1 - u is never 0.
        let u: f64 = rng.random();
        t += -mean_gap_ms * (1.0 - u).ln();
        (t < for_ms).then_some(t)
    })
}

/// Arrivals out of order by fewer than `window` places are put in order as they come; one
/// further out is refused with its position in the input.
pub struct Sorter {
    heap: BinaryHeap<Reverse<OrderedMs>>,
    window: usize,
    last: f64,
}

/// A time that orders (never NaN: readers refuse what is not a time).
#[derive(Clone, Copy, Debug, PartialEq)]
struct OrderedMs(f64);

impl PartialOrd for OrderedMs {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Eq for OrderedMs {}

impl Ord for OrderedMs {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// An arrival further out of order than the window allows.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("it is earlier than an arrival {window} or more places before it")]
pub struct Disorder {
    /// The window, in places.
    pub window: usize,
    /// The arrival out of order, ms (epoch, or from the start).
    pub at_ms: f64,
}

impl Sorter {
    /// A sorter that holds `window` arrivals at most.
    pub fn new(window: usize) -> Sorter {
        Sorter {
            heap: BinaryHeap::new(),
            window: window.max(1),
            last: f64::NEG_INFINITY,
        }
    }

    /// Takes `t` in; gives back the earliest held once the window is full.
    pub fn push(&mut self, t: f64) -> Result<Option<f64>, Disorder> {
        if t < self.last {
            return Err(Disorder {
                window: self.window,
                at_ms: t,
            });
        }
        self.heap.push(Reverse(OrderedMs(t)));
        if self.heap.len() <= self.window {
            return Ok(None);
        }
        Ok(self.pop())
    }

    /// The earliest arrival held, if any.
    pub fn pop(&mut self) -> Option<f64> {
        let Reverse(OrderedMs(t)) = self.heap.pop()?;
        self.last = t;
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            idle_reclaim_ms: 600_000.0,
            env_lifetime_ms: 7_200_000.0,
            concurrency_limit: None,
        }
    }

    fn fixed(init: f64, duration: f64) -> Behaviour {
        Behaviour {
            cold_ms: Draw::Fixed(init + duration),
            warm_ms: Draw::Fixed(duration),
        }
    }

    #[test]
    fn a_burst_starts_one_environment_per_arrival_that_finds_none_idle() {
        // Three arrivals 10 ms apart, each busy 100 ms warm, 1,000 ms cold: every one finds
        // the others still initialising, so three cold starts and three busy at once.
        let mut pool = Pool::new(rules(), fixed(900.0, 100.0), 1);
        for t in [0.0, 10.0, 20.0] {
            pool.arrive(t);
        }
        // Two seconds later all three are idle: the next two are warm, on the last freed.
        pool.arrive(2_000.0);
        pool.arrive(2_050.0);
        let o = pool.finish();
        assert_eq!(
            (o.invocations, o.cold_starts, o.peak_concurrency),
            (5, 3, 3)
        );
        // Busy time: 3 x 1,000 + 2 x 100 ms over a window of 2,150 ms.
        assert!(
            (o.mean_concurrency - 3_200.0 / 2_150.0).abs() < 1e-9,
            "{}",
            o.mean_concurrency
        );
        assert_eq!(o.latency.percentile(1.0), Some(1_000.0));
    }

    #[test]
    fn a_longer_init_makes_the_same_burst_worse() {
        // One arrival every 100 ms for a second: AOT (100 ms init) is reused after its first
        // invocation; Regular (6,700 ms init) needs a new environment for every arrival.
        let burst: Vec<f64> = (0..10).map(|i| i as f64 * 100.0).collect();
        let run = |init| {
            let mut pool = Pool::new(rules(), fixed(init, 20.0), 7);
            burst.iter().for_each(|&t| pool.arrive(t));
            pool.finish()
        };
        let (aot, regular) = (run(100.0), run(6_700.0));
        assert_eq!(aot.cold_starts, 2);
        assert_eq!(regular.cold_starts, 10);
        assert!(regular.peak_concurrency > aot.peak_concurrency);
    }

    #[test]
    fn idle_environments_are_reclaimed_old_ones_retired_and_a_limit_throttles() {
        let short = Rules {
            idle_reclaim_ms: 1_000.0,
            env_lifetime_ms: 5_000.0,
            concurrency_limit: Some(1),
        };
        let mut pool = Pool::new(short, fixed(50.0, 10.0), 3);
        pool.arrive(0.0); // cold
        pool.arrive(20.0); // throttled: the one environment is initialising
        pool.arrive(500.0); // warm
        pool.arrive(2_000.0); // cold: idle 1,490 ms, reclaimed
        pool.arrive(2_100.0); // warm
        pool.arrive(7_500.0); // cold: reclaimed again
        let o = pool.finish();
        assert_eq!((o.invocations, o.cold_starts, o.throttles), (5, 3, 1));
        let mut old = Pool::new(
            Rules {
                idle_reclaim_ms: 1e12,
                ..short
            },
            fixed(50.0, 10.0),
            3,
        );
        for t in [0.0, 4_000.0, 5_100.0] {
            old.arrive(t);
        }
        // The environment turns 5 s old before the third arrival: retired, a cold start.
        assert_eq!(old.finish().cold_starts, 2);
    }

    #[test]
    fn the_timeline_holds_an_environment_busy_between_arrivals() {
        // One arrival at 0.5 s, cold for 4 s: busy in every 1-second bucket from 0 to 4.
        // Another at 7.2 s, warm (reused), 100 ms: busy in bucket 7 only.
        let mut pool = Pool::new(rules(), fixed(3_900.0, 100.0), 1);
        pool.arrive(500.0);
        pool.arrive(7_700.0);
        let o = pool.finish();
        // The origin is the first arrival: 0 to 4,000 ms, then 7,200 to 7,300 ms.
        assert_eq!(o.timeline.peaks, vec![1, 1, 1, 1, 1, 0, 0, 1]);
        assert_eq!(o.timeline.bucket_ms, 1_000.0);
    }

    #[test]
    fn draws_invert_a_distribution_and_poisson_arrives_at_its_rate() {
        let d = Draw::Table(vec![(10.0, 0.0), (20.0, 0.5), (40.0, 1.0)]);
        assert_eq!(d.at(0.25), 15.0);
        assert_eq!(d.at(0.75), 30.0);
        assert_eq!(d.at(1.0), 40.0);
        let n = poisson(50.0, 600_000.0, 9).count();
        // 50 a second for 10 minutes: 30,000, within 1% (3 sd is 520).
        assert!((n as f64 - 30_000.0).abs() < 300.0, "{n}");
        let same: Vec<f64> = poisson(5.0, 10_000.0, 2).collect();
        assert_eq!(same, poisson(5.0, 10_000.0, 2).collect::<Vec<_>>());
    }

    fn sort(times: &[f64], window: usize) -> Result<Vec<f64>, (usize, Disorder)> {
        let mut sorter = Sorter::new(window);
        let mut out = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            out.extend(sorter.push(t).map_err(|d| (i + 1, d))?);
        }
        while let Some(t) = sorter.pop() {
            out.push(t);
        }
        Ok(out)
    }

    #[test]
    fn a_trace_between_its_endpoints_has_one_interval_fewer() {
        // Two arrivals 1 ms apart: one a ms, 2,628,000,000 in a 730-hour month (not twice).
        assert_eq!(monthly(2, 1.0, 730.0, true), 2_628_000_000);
        // Poisson arrivals over a whole hour: 3,600 of them are 2,628,000 a month.
        assert_eq!(monthly(3_600, 3_600_000.0, 730.0, false), 2_628_000);
    }

    #[test]
    fn arrivals_slightly_out_of_order_are_sorted_and_far_ones_refused() {
        assert_eq!(
            sort(&[1.0, 3.0, 2.0, 4.0, 6.0, 5.0], 2),
            Ok(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        );
        assert_eq!(
            sort(&[5.0, 6.0, 7.0, 8.0, 1.0], 2),
            Err((
                5,
                Disorder {
                    window: 2,
                    at_ms: 1.0
                }
            ))
        );
    }
}
