//! Whether a change made a function slower: two latency distributions compared with tests fit
//! for skewed data. The Mann-Whitney U test (with ties, on the histograms' buckets) says
//! whether NEW is stochastically slower than BASE; a seeded bootstrap gives the interval of a
//! percentile's change; a threshold breaks only on a change both past it and significant, and
//! never on fewer than [`MIN_SAMPLES`] invocations a side.
//!
//! Pure: distributions in, verdicts out; the bootstrap's seed is an input.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution};
use statrs::distribution::{ContinuousCDF, Normal};

/// Fewer invocations than this on a side: compared, marked unreliable, never gated on.
pub const MIN_SAMPLES: u64 = 10;

/// Bootstrap replicates of a percentile's change.
pub const REPLICATES: usize = 2_000;

/// Which invocations a metric is of: cold starts (init plus duration) or warm ones.
pub use crate::measurement::Phase;

/// A latency statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Arithmetic mean.
    Mean,
    /// Median.
    P50,
    /// 95th percentile.
    P95,
    /// 99th percentile.
    P99,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 4] = [Metric::Mean, Metric::P50, Metric::P95, Metric::P99];

    /// The word in thresholds and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Mean => "mean",
            Metric::P50 => "p50",
            Metric::P95 => "p95",
            Metric::P99 => "p99",
        }
    }

    /// The quantile of a percentile (None for the mean).
    pub fn quantile(self) -> Option<f64> {
        match self {
            Metric::Mean => None,
            Metric::P50 => Some(0.50),
            Metric::P95 => Some(0.95),
            Metric::P99 => Some(0.99),
        }
    }
}

/// `--fail-slower METRIC:PCT`: a phase's metric may grow by at most `pct` percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    /// Of cold starts or warm invocations.
    pub phase: Phase,
    /// Which statistic.
    pub metric: Metric,
    /// The largest acceptable growth, percent.
    pub pct: f64,
}

/// The forms `--fail-slower` accepts, for its errors.
pub const THRESHOLD_FORMS: &str = "METRIC:PCT, METRIC one of mean, p50, p95, p99 (warm invocations), or cold-mean, cold-p50, cold-p95, cold-p99, warm-p99, ...; PCT a percentage such as 10 or 2.5";

impl std::str::FromStr for Threshold {
    type Err = String;

    fn from_str(text: &str) -> Result<Threshold, String> {
        let bad = || format!("'{text}' is not a threshold; give {THRESHOLD_FORMS}");
        let (name, pct) = text.split_once(':').ok_or_else(bad)?;
        let name = name.trim().to_ascii_lowercase();
        let (phase, metric) = match name.split_once('-') {
            Some(("cold", m)) => (Phase::Cold, m),
            Some(("warm", m)) => (Phase::Warm, m),
            Some(_) => return Err(bad()),
            None => (Phase::Warm, name.as_str()),
        };
        let metric = Metric::ALL
            .into_iter()
            .find(|m| m.as_str() == metric)
            .ok_or_else(bad)?;
        let pct: f64 = pct
            .trim()
            .trim_end_matches('%')
            .parse()
            .map_err(|_| bad())?;
        if !pct.is_finite() || pct < 0.0 {
            return Err(bad());
        }
        Ok(Threshold { phase, metric, pct })
    }
}

/// What the Mann-Whitney U test says of NEW against BASE.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct MannWhitney {
    /// U of NEW: how many (new, base) pairs NEW wins by being slower, ties counting half.
    pub u: f64,
    /// The standardised U (normal approximation, corrected for ties and continuity).
    pub z: f64,
    /// One-sided p-value: NEW is slower.
    pub p_slower: f64,
    /// Two-sided p-value: the distributions differ.
    pub p_two_sided: f64,
    /// The probability that a NEW invocation is slower than a BASE one (ties half): 0.5 is
    /// no change.
    pub prob_slower: f64,
}

/// The Mann-Whitney U test on two distributions given as ascending (value, count) buckets;
/// None when a side is empty.
pub fn mann_whitney(base: &[(f64, u64)], new: &[(f64, u64)]) -> Option<MannWhitney> {
    let n1: u64 = base.iter().map(|b| b.1).sum();
    let n2: u64 = new.iter().map(|b| b.1).sum();
    if n1 == 0 || n2 == 0 {
        return None;
    }
    // Walk the union of values in order: each value is one block of tied ranks.
    let (mut i, mut j) = (0usize, 0usize);
    let mut below = 0f64; // values ranked before the current block
    let mut rank_sum_new = 0f64;
    let mut ties = 0f64; // sum of t^3 - t over tied blocks
    while i < base.len() || j < new.len() {
        let next = match (base.get(i), new.get(j)) {
            (Some(a), Some(b)) => a.0.min(b.0),
            (Some(a), None) => a.0,
            (None, Some(b)) => b.0,
            (None, None) => break,
        };
        let mut a = 0u64;
        while i < base.len() && base[i].0 == next {
            a += base[i].1;
            i += 1;
        }
        let mut b = 0u64;
        while j < new.len() && new[j].0 == next {
            b += new[j].1;
            j += 1;
        }
        let t = (a + b) as f64;
        let mid_rank = below + (t + 1.0) / 2.0;
        rank_sum_new += b as f64 * mid_rank;
        ties += t * t * t - t;
        below += t;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let n = n1f + n2f;
    let u = rank_sum_new - n2f * (n2f + 1.0) / 2.0;
    let mean = n1f * n2f / 2.0;
    let var = n1f * n2f / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)).max(1.0));
    let normal = Normal::standard();
    let (z, p_slower, p_two_sided) = if var <= 0.0 {
        // Every value the same on both sides: nothing to tell apart.
        (0.0, 0.5, 1.0)
    } else {
        let sd = var.sqrt();
        let diff = u - mean;
        let z = diff / sd;
        let corrected = (diff.abs() - 0.5).max(0.0) / sd;
        // The upper tails as lower ones: 1 - cdf(x) underflows to 0 long before cdf(-x).
        let one = normal.cdf(-(diff - 0.5) / sd);
        (
            z,
            one.clamp(0.0, 1.0),
            (2.0 * normal.cdf(-corrected)).clamp(0.0, 1.0),
        )
    };
    Some(MannWhitney {
        u,
        z,
        p_slower,
        p_two_sided,
        prob_slower: u / (n1f * n2f),
    })
}

/// The value of rank `k` (from 1) in ascending buckets of `n` values.
fn at_rank(buckets: &[(f64, u64)], k: u64) -> f64 {
    let mut seen = 0u64;
    for &(v, c) in buckets {
        seen += c;
        if seen >= k {
            return v;
        }
    }
    buckets.last().map_or(f64::NAN, |b| b.0)
}

/// The nearest-rank quantile `q` of ascending buckets.
pub fn quantile(buckets: &[(f64, u64)], q: f64) -> Option<f64> {
    let n: u64 = buckets.iter().map(|b| b.1).sum();
    if n == 0 {
        return None;
    }
    let k = ((q * n as f64).ceil() as u64).clamp(1, n);
    Some(at_rank(buckets, k))
}

/// A resample's quantile `q`, drawn exactly: the k-th smallest of n values drawn from the
/// empirical distribution is its quantile function at the k-th smallest of n uniforms, and
/// that is Beta(k, n - k + 1). Constant time, whatever n.
fn resampled_quantile(buckets: &[(f64, u64)], n: u64, q: f64, rng: &mut ChaCha8Rng) -> f64 {
    let k = ((q * n as f64).ceil() as u64).clamp(1, n);
    let u = Beta::new(k as f64, (n - k + 1) as f64)
        .map(|b| b.sample(rng))
        .unwrap_or(q);
    let rank = ((u * n as f64).ceil() as u64).clamp(1, n);
    at_rank(buckets, rank)
}

/// The interval, at `level`, of the relative change of quantile `q` (NEW over BASE, less 1),
/// by a percentile bootstrap of `REPLICATES` resamples of each side, seeded; and its
/// one-sided lower bound at 1 - level, which a slowdown must clear to be significant.
pub fn bootstrap_change(
    base: &[(f64, u64)],
    new: &[(f64, u64)],
    q: f64,
    level: f64,
    seed: u64,
) -> Option<((f64, f64), f64)> {
    let n1: u64 = base.iter().map(|b| b.1).sum();
    let n2: u64 = new.iter().map(|b| b.1).sum();
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut changes: Vec<f64> = (0..REPLICATES)
        .filter_map(|_| {
            let b = resampled_quantile(base, n1, q, &mut rng);
            let n = resampled_quantile(new, n2, q, &mut rng);
            (b > 0.0).then(|| n / b - 1.0)
        })
        .collect();
    if changes.is_empty() {
        return None;
    }
    changes.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let pick = |p: f64| {
        let i = ((p * changes.len() as f64).floor() as usize).min(changes.len() - 1);
        changes[i]
    };
    Some(((pick(tail), pick(1.0 - tail)), pick(1.0 - level)))
}

/// The interval, at `level`, of the relative change of a mean (NEW over BASE, less 1), by the
/// delta method on two independent means; and its one-sided lower bound at 1 - level.
pub fn mean_change_interval(
    base: (f64, f64, u64),
    new: (f64, f64, u64),
    level: f64,
) -> Option<((f64, f64), f64)> {
    let ((m1, s1, n1), (m2, s2, n2)) = (base, new);
    if n1 < 2 || n2 < 2 || m1 <= 0.0 {
        return None;
    }
    let r = m2 / m1;
    let var = r * r * (s1 * s1 / (n1 as f64 * m1 * m1) + s2 * s2 / (n2 as f64 * m2 * m2));
    let normal = Normal::standard();
    let half = normal.inverse_cdf(1.0 - (1.0 - level) / 2.0) * var.sqrt();
    let lower = r - 1.0 - normal.inverse_cdf(level) * var.sqrt();
    Some(((r - 1.0 - half, r - 1.0 + half), lower))
}

/// Invocations a side that would detect a slowdown of `pct` percent in a distribution whose
/// logarithms spread `sigma_log`, at `alpha` (one-sided) with 80% power: the two-sample size
/// for a shift of ln(1 + pct/100) in the logarithms, over the Mann-Whitney test's efficiency
/// of 3/pi against the t test.
pub fn samples_to_detect(sigma_log: f64, pct: f64, alpha: f64) -> Option<u64> {
    let shift = (1.0 + pct / 100.0).ln();
    if !(shift > 0.0 && sigma_log.is_finite() && sigma_log > 0.0) {
        return None;
    }
    let normal = Normal::standard();
    let z = normal.inverse_cdf(1.0 - alpha) + normal.inverse_cdf(0.8);
    let n = 2.0 * (z * sigma_log / shift).powi(2) * std::f64::consts::PI / 3.0;
    Some(n.ceil() as u64)
}

/// The spread of a distribution's logarithms (standard deviation), from its buckets.
pub fn sigma_log(buckets: &[(f64, u64)]) -> Option<f64> {
    let (mut n, mut sum, mut sum2) = (0f64, 0f64, 0f64);
    for &(v, c) in buckets.iter().filter(|b| b.0 > 0.0) {
        let l = v.ln();
        n += c as f64;
        sum += c as f64 * l;
        sum2 += c as f64 * l * l;
    }
    if n < 2.0 {
        return None;
    }
    let mean = sum / n;
    Some(((sum2 - n * mean * mean) / (n - 1.0)).max(0.0).sqrt())
}

/// One side of a phase: its buckets, and its exact mean, standard deviation and count.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// Ascending (ms, count) buckets.
    pub buckets: &'a [(f64, u64)],
    /// Exact mean, ms.
    pub mean: f64,
    /// Sample standard deviation, ms.
    pub std_dev: f64,
    /// Invocations.
    pub count: u64,
}

/// A metric before and after.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct MetricChange {
    /// Which statistic.
    pub metric: Metric,
    /// BASE's, ms.
    pub base_ms: f64,
    /// NEW's, ms.
    pub new_ms: f64,
    /// NEW over BASE, less 1.
    pub change: f64,
    /// Its interval at 1 - alpha, when the samples allow.
    pub interval: Option<(f64, f64)>,
    /// Its one-sided lower bound at alpha: above 0, the metric grew significantly.
    pub lower: Option<f64>,
}

/// A phase before and after.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PhaseChange {
    /// Cold or warm.
    pub phase: Phase,
    /// BASE's invocations.
    pub base_count: u64,
    /// NEW's invocations.
    pub new_count: u64,
    /// Both sides have at least [`MIN_SAMPLES`]: the comparison may gate.
    pub reliable: bool,
    /// Mean, p50, p95, p99.
    pub metrics: Vec<MetricChange>,
    /// The test on the distributions.
    pub test: Option<MannWhitney>,
    /// Whether NEW is significantly slower at alpha.
    pub slower: bool,
    /// Whether the distributions differ significantly at alpha (either way).
    pub differs: bool,
}

/// Compares a phase's two sides at `alpha` (the bootstrap seeded with `seed`).
pub fn compare_phase(
    phase: Phase,
    base: Side<'_>,
    new: Side<'_>,
    alpha: f64,
    seed: u64,
) -> PhaseChange {
    let level = 1.0 - alpha;
    let test = mann_whitney(base.buckets, new.buckets);
    let reliable = base.count >= MIN_SAMPLES && new.count >= MIN_SAMPLES;
    let metrics = Metric::ALL
        .into_iter()
        .enumerate()
        .filter_map(|(i, metric)| {
            let (b, n, bounds) = match metric.quantile() {
                None => (
                    base.mean,
                    new.mean,
                    mean_change_interval(
                        (base.mean, base.std_dev, base.count),
                        (new.mean, new.std_dev, new.count),
                        level,
                    ),
                ),
                Some(q) => (
                    quantile(base.buckets, q)?,
                    quantile(new.buckets, q)?,
                    bootstrap_change(base.buckets, new.buckets, q, level, seed ^ (i as u64 + 1)),
                ),
            };
            (b > 0.0).then(|| MetricChange {
                metric,
                base_ms: b,
                new_ms: n,
                change: n / b - 1.0,
                interval: bounds.map(|b| b.0),
                lower: bounds.map(|b| b.1),
            })
        })
        .collect();
    PhaseChange {
        phase,
        base_count: base.count,
        new_count: new.count,
        reliable,
        metrics,
        slower: test.is_some_and(|t| t.p_slower < alpha),
        differs: test.is_some_and(|t| t.p_two_sided < alpha),
        test,
    }
}

/// Whether a threshold breaks on a phase: the metric's change is past it and significant (its
/// own one-sided lower bound at alpha above 0: the bootstrap's for a percentile, the delta
/// method's for the mean, so that a tail that grew counts and a median that moved alone does
/// not), and both sides have enough invocations to tell.
pub fn breaks(threshold: &Threshold, change: &PhaseChange) -> bool {
    change.phase == threshold.phase
        && change.reliable
        && change
            .metrics
            .iter()
            .find(|m| m.metric == threshold.metric)
            .is_some_and(|m| m.change * 100.0 > threshold.pct && m.lower.is_some_and(|l| l > 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Accumulator;
    use rand::Rng;

    fn buckets(values: &[f64]) -> Vec<(f64, u64)> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut out: Vec<(f64, u64)> = Vec::new();
        for v in sorted {
            match out.last_mut() {
                Some(last) if last.0 == v => last.1 += 1,
                _ => out.push((v, 1)),
            }
        }
        out
    }

    #[test]
    fn u_counts_the_pairs_new_wins_with_ties_at_half() {
        // BASE 1, 2, 3; NEW 2, 4. Pairs NEW wins: 2 > 1 (1), 2 = 2 (half), 4 > all three (3):
        // U = 4.5 of 6 pairs.
        let mw = mann_whitney(&buckets(&[1.0, 2.0, 3.0]), &buckets(&[2.0, 4.0])).expect("test");
        assert_eq!(mw.u, 4.5);
        assert_eq!(mw.prob_slower, 0.75);
        // Same distribution: U is half the pairs, no evidence either way.
        let same =
            mann_whitney(&buckets(&[1.0, 2.0, 3.0]), &buckets(&[1.0, 2.0, 3.0])).expect("test");
        assert_eq!(same.u, 4.5);
        assert_eq!(same.z, 0.0);
        assert!(same.p_two_sided > 0.99);
    }

    #[test]
    fn the_normal_approximation_matches_a_worked_example() {
        // 20 a side, NEW all above BASE: U = 400, mean 200, sd sqrt(20*20*41/12) = 36.968;
        // z = (400 - 200 - 0.5) / 36.968 = 5.3966: p far below 1e-6.
        let base: Vec<f64> = (1..=20).map(f64::from).collect();
        let new: Vec<f64> = (21..=40).map(f64::from).collect();
        let mw = mann_whitney(&buckets(&base), &buckets(&new)).expect("test");
        assert_eq!(mw.u, 400.0);
        assert!((mw.z - 200.0 / 36.968_455).abs() < 1e-4, "{}", mw.z);
        assert!(mw.p_slower < 1e-6);
    }

    #[test]
    fn thresholds_are_read_in_their_forms() {
        let t: Threshold = "p99:10".parse().expect("valid");
        assert_eq!((t.phase, t.metric, t.pct), (Phase::Warm, Metric::P99, 10.0));
        let t: Threshold = "cold-mean:2.5%".parse().expect("valid");
        assert_eq!((t.phase, t.metric, t.pct), (Phase::Cold, Metric::Mean, 2.5));
        for bad in ["p99:ten", "p98:10", "p99", "hot-p99:5", "p99:-1"] {
            let e = bad.parse::<Threshold>().expect_err(bad);
            assert!(e.contains("p95") && e.contains(bad), "{e}");
        }
    }

    #[test]
    fn the_sample_size_grows_as_the_square_of_the_spread_over_the_shift() {
        // sigma 0.2, a 10% slowdown, alpha 0.05: 2 (1.64485 + 0.84162)^2 (0.2 / ln 1.1)^2 pi/3
        // = 2 x 6.18256 x 4.40330 x 1.04720 = 57.02, so 58 a side; twice the spread, four
        // times the samples: 228.07, so 229.
        assert_eq!(samples_to_detect(0.2, 10.0, 0.05), Some(58));
        assert_eq!(samples_to_detect(0.4, 10.0, 0.05), Some(229));
        assert_eq!(samples_to_detect(0.2, 0.0, 0.05), None);
    }

    /// A standard normal draw (Box-Muller, from two uniforms).
    fn normal(rng: &mut ChaCha8Rng) -> f64 {
        let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// `n` warm durations around 100 ms, log-normal with a spread of 0.15 (a tight warm
    /// path), scaled by `factor`, through the same histogram lambcost keeps.
    fn latencies(n: usize, factor: f64, rng: &mut ChaCha8Rng) -> (Vec<(f64, u64)>, Accumulator) {
        let mut acc = Accumulator::new();
        for _ in 0..n {
            acc.add(100.0 * factor * (0.15 * normal(rng)).exp());
        }
        (acc.buckets(), acc)
    }

    fn side<'a>(buckets: &'a [(f64, u64)], a: &Accumulator) -> Side<'a> {
        Side {
            buckets,
            mean: a.mean().unwrap_or(0.0),
            std_dev: a.std_dev(),
            count: a.count(),
        }
    }

    fn gate(factor: f64, threshold: &str, seed: u64) -> bool {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (b, ba) = latencies(1_000, 1.0, &mut rng);
        let (n, na) = latencies(1_000, factor, &mut rng);
        let change = compare_phase(Phase::Warm, side(&b, &ba), side(&n, &na), 0.05, seed);
        breaks(&threshold.parse().expect("threshold"), &change)
    }

    #[test]
    fn with_no_change_the_gate_breaks_in_at_most_alpha_of_runs() {
        // The strictest gate: any significant slowdown of the p99. 400 runs at alpha 0.05:
        // at most 20 expected, 33 is three standard deviations (sqrt(400 x .05 x .95) = 4.36)
        // above.
        let runs = 400;
        let broke = (0..runs).filter(|&s| gate(1.0, "p99:0", s)).count();
        eprintln!("no change: the gate broke in {broke} of {runs} runs");
        assert!(broke <= 33, "{broke} of {runs} runs broke with no change");
    }

    #[test]
    fn a_ten_percent_p99_regression_breaks_the_gate_in_95_percent_of_runs() {
        let runs = 200;
        let broke = (0..runs)
            .filter(|&s| gate(1.10, "p99:5", 10_000 + s))
            .count();
        eprintln!("a 10% regression: the gate broke in {broke} of {runs} runs");
        assert!(
            broke * 100 >= runs as usize * 95,
            "{broke} of {runs} runs broke"
        );
    }

    /// Like [`latencies`], the slowest `tail` share of them multiplied by `factor`: a
    /// regression of the tail alone (a retry, a lock, a cold path), the median untouched.
    fn tail_latencies(n: usize, tail: f64, factor: f64, rng: &mut ChaCha8Rng) -> Vec<(f64, u64)> {
        let mut values: Vec<f64> = (0..n).map(|_| 100.0 * (0.15 * normal(rng)).exp()).collect();
        values.sort_by(f64::total_cmp);
        let from = ((1.0 - tail) * n as f64) as usize;
        let mut acc = Accumulator::new();
        for (i, v) in values.iter().enumerate() {
            acc.add(if i >= from { v * factor } else { *v });
        }
        acc.buckets()
    }

    #[test]
    fn a_regression_of_the_tail_alone_breaks_a_p99_gate_and_not_a_median_one() {
        // The slowest 5% take 10% longer: the p99 grows 10%, the median not at all.
        let runs = 100;
        let (mut p99, mut p50) = (0, 0);
        for seed in 0..runs {
            let mut rng = ChaCha8Rng::seed_from_u64(20_000 + seed);
            let mut acc = Accumulator::new();
            let b = tail_latencies(1_000, 0.0, 1.0, &mut rng);
            for &(v, c) in &b {
                for _ in 0..c {
                    acc.add(v);
                }
            }
            // An independent run of NEW: its own draws, its tail slower.
            let n = tail_latencies(1_000, 0.05, 1.10, &mut rng);
            let mut acc_n = Accumulator::new();
            for &(v, c) in &n {
                for _ in 0..c {
                    acc_n.add(v);
                }
            }
            let change = compare_phase(Phase::Warm, side(&b, &acc), side(&n, &acc_n), 0.05, seed);
            p99 += usize::from(breaks(&"p99:5".parse().expect("t"), &change));
            p50 += usize::from(breaks(&"p50:0".parse().expect("t"), &change));
        }
        eprintln!("a tail regression: p99:5 broke in {p99} of {runs} runs, p50:0 in {p50}");
        // The p99 of 1,000 rests on ten invocations a side: its own noise misses a few (92
        // of 100 here); a test of the whole distribution would have missed nearly all.
        assert!(p99 >= 90, "p99:5 broke in {p99} of {runs}");
        assert!(p50 <= 5, "p50:0 broke in {p50} of {runs}");
    }

    #[test]
    fn the_bootstrap_is_seeded_and_covers_the_change() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (b, _) = latencies(2_000, 1.0, &mut rng);
        let (n, _) = latencies(2_000, 1.2, &mut rng);
        let one = bootstrap_change(&b, &n, 0.99, 0.95, 3).expect("interval");
        assert_eq!(Some(one), bootstrap_change(&b, &n, 0.99, 0.95, 3));
        // A 20% slowdown of every invocation: the p99's interval holds 0.2, not 0; the
        // one-sided bound lies between the two-sided one's ends.
        let ((lo, hi), lower) = one;
        assert!(lo < 0.2 && 0.2 < hi && lo > 0.0, "{one:?}");
        assert!(lo < lower && lower < 0.2, "{one:?}");
    }
}
