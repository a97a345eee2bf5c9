//! How many invocations start cold: a model of Lambda's execution environments under steady
//! traffic, used when neither the user nor the measurements give the share.
//!
//! The assumptions (the README states them too):
//! - invocations arrive as a Poisson process, evenly spread over the month;
//! - an execution environment serves one invocation at a time, for the warm duration;
//! - an arrival takes the most recently used idle environment, or starts a new one (cold);
//! - an environment idle for `idle_reclaim_s` is reclaimed (10 minutes by default, the
//!   interval the deck waited to force a cold start);
//! - an environment is retired `env_lifetime_s` after it started, even when busy all along
//!   (2 hours by default: Lambda recycles environments every few hours; two is what has been
//!   observed).
//!
//! The pool of environments is modelled as a birth-death chain over its size `A`. With
//! `N` ~ Poisson(λ·d) invocations in flight (λ arrivals per second, `d` seconds each), an
//! arrival finds all `A` environments busy with probability `P(N >= A)`: that is a cold start,
//! and the pool grows. The pool shrinks when its least used environment (used at rate
//! `λ·P(N = A-1)`) sits idle for the reclaim time, or when an environment reaches its lifetime;
//! a young environment started for a burst that is then reclaimed leaves the pool younger, so
//! lifetimes are counted from such renewals. The cold share is the chain's birth rate over λ.
//! A discrete-event simulation of the same assumptions (in the tests) agrees within 10% from
//! 10 thousand to 1 billion invocations a month.
//!
//! Provisioned Concurrency is a pool of fixed size: an arrival that finds every provisioned
//! environment busy spills over to on-demand, a loss system whose lost share is the Erlang B
//! formula ([`erlang_b`]), checked in the tests against a simulation within 2%.
//!
//! Probabilities are `f64`: this is a model, not money.

/// The parameters of the cold-start model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrafficModel {
    /// Seconds an idle environment is kept before it is reclaimed.
    pub idle_reclaim_s: f64,
    /// Seconds an environment lives at most.
    pub env_lifetime_s: f64,
    /// Hours in the month the traffic is spread over.
    pub month_hours: f64,
}

impl Default for TrafficModel {
    fn default() -> Self {
        TrafficModel {
            idle_reclaim_s: 600.0,
            env_lifetime_s: 7_200.0,
            month_hours: 730.0,
        }
    }
}

impl TrafficModel {
    /// Expected share of invocations that start cold, for `requests` a month each taking
    /// `duration_ms`. Between 0 and 1.
    pub fn cold_start_share(&self, requests: u64, duration_ms: f64) -> f64 {
        if requests == 0 {
            return 0.0;
        }
        // An environment reclaimed the moment it is idle, or recycled at once, never serves a
        // second invocation: every one starts cold.
        if self.idle_reclaim_s <= 0.0 || self.env_lifetime_s <= 0.0 {
            return 1.0;
        }
        let seconds = self.month_hours * 3_600.0;
        let lambda = requests as f64 / seconds;
        let d = (duration_ms / 1_000.0).max(1e-6);
        let rho = lambda * d;
        let t = self.idle_reclaim_s;
        let life = self.env_lifetime_s;

        // The pool's size lives within rho +/- 12 sd (plus a margin) of the concurrency: below
        // the window arrivals always find the pool full and it grows at once; above it no
        // burst reaches. Only that window is modelled, so a billion invocations a month cost
        // no more than ten thousand.
        let spread = 12.0 * (rho + 1.0).sqrt() + 40.0;
        let top = (rho + spread).ceil() as usize;
        let lo = (rho - spread).floor().max(1.0) as usize;
        // Index i stands for n = base + i; n runs from lo - 1 to top + 1.
        let base = lo - 1;
        let len = top + 3 - base;
        let ln_rho = rho.ln();
        // Poisson(rho) probabilities, in log space so that large rho does not underflow.
        // Each from the one before (p(n) = p(n-1) rho / n): one logarithm a term, not n.
        let mut log =
            -rho + if base == 0 { 0.0 } else { base as f64 * ln_rho } - ln_factorial(base);
        let pmf: Vec<f64> = (0..len)
            .map(|i| {
                if i > 0 {
                    log += ln_rho - ((base + i) as f64).ln();
                }
                log.exp()
            })
            .collect();
        let mut tail = vec![0.0; len + 1];
        for i in (0..len).rev() {
            tail[i] = tail[i + 1] + pmf[i];
        }
        let at = |a: usize| a - base;
        // births(a): rate at which a pool of `a` environments must start one more.
        let births = |a: usize| lambda * tail[at(a)].min(1.0);
        // idle(a): rate at which the least used of `a` environments is reclaimed.
        let idle = |a: usize| {
            let u = lambda * pmf[at(a - 1)];
            let x = u * t;
            if x > 700.0 {
                0.0
            } else if x > 0.0 {
                u * (-x).exp() / -(-x).exp_m1()
            } else {
                1.0 / t
            }
        };
        // deaths(a), computed from the top down: a burst above `a` that ends in a reclaim
        // (rather than a retirement) renews one of the `a` environments.
        let mut deaths = vec![0.0; len + 1];
        deaths[at(top)] =
            idle(top) + renewal_retirement(idle(top), life) + (top as f64 - 1.0) / life;
        for a in (lo..top).rev() {
            let above = deaths[at(a + 1)];
            let returns_by_reclaim = if above > 0.0 {
                idle(a + 1) / above
            } else {
                1.0
            };
            let renew = births(a) / a as f64 * returns_by_reclaim;
            deaths[at(a)] = idle(a)
                + renewal_retirement(idle(a) + renew, life)
                + (a as f64 - 1.0) * renewal_retirement(renew, life);
        }
        // Stationary distribution of the pool size over the window, in log space; the state
        // below the window (lo - 1, full and growing) anchors it.
        let mut log_weight = vec![0.0f64];
        for a in lo..=top {
            let (b, d) = (births(a - 1), deaths[at(a)]);
            if b <= 0.0 || d <= 0.0 {
                break;
            }
            let prev = log_weight[log_weight.len() - 1];
            log_weight.push(prev + b.ln() - d.ln());
        }
        let max = log_weight.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = log_weight.iter().map(|w| (w - max).exp()).collect();
        let total: f64 = weights.iter().sum();
        let cold_rate: f64 = weights
            .iter()
            .enumerate()
            .map(|(k, w)| w * births(base + k))
            .sum::<f64>()
            / total;
        (cold_rate / lambda).clamp(0.0, 1.0)
    }
}

/// The Erlang B formula: the probability that an arrival finds all `servers` busy when
/// `load` Erlangs (arrival rate x mean holding time) are offered to a loss system. It holds
/// for any distribution of holding times, so fixed invocation durations need no correction.
///
/// Computed by the stable recurrence `B(n) = A·B(n-1) / (n + A·B(n-1))`, which stops once
/// the probability underflows: a pool far larger than its load is never full.
pub fn erlang_b(servers: u32, load: f64) -> f64 {
    if load.is_nan() || load <= 0.0 || !load.is_finite() {
        return if servers == 0 { 1.0 } else { 0.0 };
    }
    let mut b = 1.0f64;
    for n in 1..=servers {
        b = load * b / (f64::from(n) + load * b);
        if b == 0.0 {
            break;
        }
    }
    b
}

/// Rate at which an environment reaches the end of its lifetime when something renews it (a
/// fresh start) at Poisson rate `renew`: each life lasts `min(Exp(renew), lifetime)`.
fn renewal_retirement(renew: f64, lifetime: f64) -> f64 {
    let x = renew * lifetime;
    if x < 1e-9 {
        1.0 / lifetime
    } else if x > 700.0 {
        0.0
    } else {
        renew * (-x).exp() / -(-x).exp_m1()
    }
}

fn ln_factorial(n: usize) -> f64 {
    // Exact sum for small n; Stirling's series beyond, accurate to ~1e-12 there.
    if n < 64 {
        (2..=n).map(|k| (k as f64).ln()).sum()
    } else {
        let x = n as f64 + 1.0;
        (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x)
            - 1.0 / (360.0 * x.powi(3))
    }
}

#[cfg(test)]
pub(crate) mod simulation {
    //! A discrete-event simulation of the model's own assumptions, to check the model against.

    use super::TrafficModel;
    use std::collections::VecDeque;

    /// Cold share seen in a simulation of `requests` a month lasting `duration_ms` each, after
    /// a warm-up of two lifetimes, stopping after `target_cold` cold starts or `max_arrivals`.
    pub fn simulate(
        model: &TrafficModel,
        requests: u64,
        duration_ms: f64,
        target_cold: u64,
        max_arrivals: u64,
        seed: u64,
    ) -> (f64, u64) {
        let lambda = requests as f64 / (model.month_hours * 3_600.0);
        let d = duration_ms / 1_000.0;
        let mut rng = SplitMix64(seed);
        let mut now = 0.0f64;
        // (finish time, born); with a fixed duration, invocations finish in arrival order.
        let mut busy: VecDeque<(f64, f64)> = VecDeque::new();
        // Idle environments, most recently freed last: (freed at, born).
        let mut idle: Vec<(f64, f64)> = Vec::new();
        let warm_up = 2.0 * model.env_lifetime_s;
        let (mut arrivals, mut cold) = (0u64, 0u64);
        while arrivals < max_arrivals && cold < target_cold {
            now += -rng.next_f64().ln() / lambda;
            while let Some(&(finish, born)) = busy.front() {
                if finish > now {
                    break;
                }
                busy.pop_front();
                idle.push((finish, born));
            }
            let mut env = None;
            while let Some((freed, born)) = idle.pop() {
                if now - freed > model.idle_reclaim_s {
                    // Every environment below was freed earlier still: all reclaimed.
                    idle.clear();
                    break;
                }
                if now - born > model.env_lifetime_s {
                    continue;
                }
                env = Some(born);
                break;
            }
            let counted = now > warm_up;
            let born = match env {
                Some(b) => b,
                None => {
                    if counted {
                        cold += 1;
                    }
                    now
                }
            };
            if counted {
                arrivals += 1;
            }
            busy.push_back((now + d, born));
        }
        (cold as f64 / arrivals.max(1) as f64, cold)
    }

    /// Share of arrivals lost by `servers` servers, each holding an arrival `hold_s` seconds,
    /// under Poisson arrivals at `rate` per second: a discrete-event simulation of the
    /// system Erlang B describes.
    pub fn loss_share(servers: u32, rate: f64, hold_s: f64, arrivals: u64, seed: u64) -> f64 {
        let mut rng = SplitMix64(seed);
        let mut now = 0.0f64;
        // Finish times of the busy servers; a fixed holding time finishes them in order.
        let mut busy: VecDeque<f64> = VecDeque::new();
        let mut lost = 0u64;
        for _ in 0..arrivals {
            now += -rng.next_f64().ln() / rate;
            while busy.front().is_some_and(|&f| f <= now) {
                busy.pop_front();
            }
            if busy.len() < servers as usize {
                busy.push_back(now + hold_s);
            } else {
                lost += 1;
            }
        }
        lost as f64 / arrivals as f64
    }

    struct SplitMix64(u64);

    impl SplitMix64 {
        fn next_f64(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            // 53 random bits in (0, 1]: never 0, so ln() is finite.
            ((z >> 11) as f64 + 1.0) / (1u64 << 53) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10 thousand to 1 billion invocations a month.
    const LEVELS: [u64; 6] = [
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];

    #[test]
    fn no_idle_time_or_no_lifetime_makes_every_invocation_cold() {
        let model = |idle_reclaim_s, env_lifetime_s| TrafficModel {
            idle_reclaim_s,
            env_lifetime_s,
            month_hours: 730.0,
        };
        for requests in LEVELS {
            assert_eq!(model(0.0, 7_200.0).cold_start_share(requests, 91.0), 1.0);
            assert_eq!(model(600.0, 0.0).cold_start_share(requests, 91.0), 1.0);
        }
    }

    #[test]
    fn erlang_b_by_hand() {
        // One server: B = A / (1 + A). Two servers at A = 1: (1/2) / (2 + 1/2) = 1/5.
        assert!((erlang_b(1, 0.5) - 1.0 / 3.0).abs() < 1e-15);
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
        assert_eq!(erlang_b(0, 3.0), 1.0);
        assert_eq!(erlang_b(5, 0.0), 0.0);
        // A pool far larger than its load is never full, and the loop ends early.
        assert_eq!(erlang_b(u32::MAX, 10.0), 0.0);
    }

    #[test]
    fn erlang_b_agrees_with_a_simulation_within_two_percent() {
        // A million arrivals: the simulated share's standard error is under 0.5% of it.
        for (servers, load) in [(1u32, 0.5f64), (10, 10.0), (10, 8.0), (50, 45.0)] {
            let hold_s = 0.1;
            let simulated = simulation::loss_share(servers, load / hold_s, hold_s, 1_000_000, 7);
            let formula = erlang_b(servers, load);
            let ratio = formula / simulated;
            assert!(
                (0.98..=1.02).contains(&ratio),
                "N={servers}, A={load}: Erlang B {formula:.5}, simulated {simulated:.5}"
            );
        }
    }

    #[test]
    fn rare_traffic_is_mostly_cold_and_busy_traffic_mostly_warm() {
        let m = TrafficModel::default();
        // 1,000 a month: one every 44 minutes, far beyond the 10-minute reclaim.
        assert!(m.cold_start_share(1_000, 91.0) > 0.75);
        assert!(m.cold_start_share(1_000_000_000, 91.0) < 1e-4);
    }

    #[test]
    fn with_rare_arrivals_the_share_is_the_chance_of_a_long_gap() {
        // Lifetime far away, one environment: P(gap > T) = exp(-λT).
        let m = TrafficModel {
            idle_reclaim_s: 600.0,
            env_lifetime_s: 1e12,
            month_hours: 730.0,
        };
        let lambda = 10_000.0 / (730.0 * 3_600.0);
        let expected = (-lambda * 600.0f64).exp();
        let got = m.cold_start_share(10_000, 1.0);
        assert!((got / expected - 1.0).abs() < 0.01, "{got} vs {expected}");
    }

    #[test]
    fn the_share_falls_as_traffic_grows() {
        let m = TrafficModel::default();
        let mut last = 1.0;
        for requests in LEVELS {
            let s = m.cold_start_share(requests, 91.0);
            assert!(s < last, "{requests}: {s} >= {last}");
            last = s;
        }
    }

    #[test]
    fn the_model_agrees_with_a_simulation_of_its_assumptions() {
        // The deck's warm durations span 14 to 99 ms; traffic from 10 thousand to 1 billion
        // a month. The seed is fixed, so the simulation gives the same figures every run.
        let m = TrafficModel::default();
        for requests in LEVELS {
            for duration_ms in [14.0, 91.0] {
                let model = m.cold_start_share(requests, duration_ms);
                let (simulated, cold) =
                    simulation::simulate(&m, requests, duration_ms, 2_000, 30_000_000, 11);
                let ratio = model / simulated;
                assert!(
                    (0.9..=1.1).contains(&ratio),
                    "{requests}/month at {duration_ms} ms: model {model:.3e}, simulation {simulated:.3e} ({cold} cold), ratio {ratio:.3}"
                );
            }
        }
    }
}
