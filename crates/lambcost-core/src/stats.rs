//! Statistics over invocations, in bounded memory: an [`Accumulator`] takes any number of
//! values and keeps a fixed-size state (exact count, mean, variance, extremes; percentiles
//! from an HDR histogram with 3 significant digits, so within 0.1% of the exact value).
//!
//! Pure: no I/O, no clock. Durations are milliseconds as `f64` (measurements, not money).

use hdrhistogram::Histogram;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Histogram resolution: values are recorded in microseconds.
const UNITS_PER_MS: f64 = 1_000.0;
/// Largest recordable value: 1,000 seconds (beyond Lambda's 900-second limit).
const MAX_UNITS: u64 = 1_000_000_000;

/// A streaming summary of one quantity (a duration in ms, a memory in MB).
///
/// ```
/// use lambcost_core::stats::Accumulator;
///
/// let mut warm = Accumulator::new();
/// for ms in [10.0, 12.0, 14.0, 16.0, 18.0] {
///     warm.add(ms);
/// }
/// let s = warm.summary().expect("five values");
/// assert_eq!(s.mean, 14.0);
/// assert!((s.ci95_half_width - 3.9265).abs() < 1e-3); // Student's t, 4 degrees of freedom
/// assert!((s.median - 14.0).abs() <= 14.0 * 0.001); // within 0.1%, from the histogram
/// ```
#[derive(Clone, Debug)]
pub struct Accumulator {
    count: u64,
    /// The sum of the values, and of their squares, in microseconds: exact integers, so that
    /// the mean and spread of values added in any order, or in parts merged in any order (a
    /// file read on every core), are the same to the bit. Logs write durations to 0.01 ms.
    sum_us: i128,
    sum_sq_us: u128,
    min: f64,
    max: f64,
    /// Made on the first value: an accumulator that stays empty (a warm phase's init) costs
    /// no histogram, and a file read in parallel with fifteen others costs only its own.
    histogram: Option<Box<Histogram<u64>>>,
}

impl Default for Accumulator {
    fn default() -> Self {
        Accumulator::new()
    }
}

impl Accumulator {
    /// An empty accumulator.
    pub fn new() -> Accumulator {
        Accumulator {
            count: 0,
            sum_us: 0,
            sum_sq_us: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            histogram: None,
        }
    }

    /// The histogram, made when first needed.
    fn histogram_mut(&mut self) -> &mut Histogram<u64> {
        self.histogram.get_or_insert_with(|| {
            // Bounds and precision are constants hdrhistogram accepts (1 <= low, 3 digits).
            Box::new(
                Histogram::new_with_bounds(1, MAX_UNITS, 3)
                    .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!())),
            )
        })
    }

    /// Adds one value. Non-finite values are ignored (readers refuse them first).
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.count += 1;
        // Rounded once, for the sums and the histogram; within i64 for any real value.
        let rounded = (value * UNITS_PER_MS).round();
        let us = i128::from(rounded as i64);
        self.sum_us += us;
        self.sum_sq_us += us.unsigned_abs() * us.unsigned_abs();
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        let units = rounded.clamp(1.0, MAX_UNITS as f64) as u64;
        self.histogram_mut().saturating_record(units);
    }

    /// Empties it, keeping its histogram's memory for what is added next: a part of a file
    /// read on every core is used again for the next block.
    pub fn clear(&mut self) {
        let histogram = self.histogram.take().map(|mut h| {
            h.reset();
            h
        });
        *self = Accumulator {
            histogram,
            ..Accumulator::new()
        };
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &Accumulator) {
        if other.count == 0 {
            return;
        }
        self.count += other.count;
        self.sum_us += other.sum_us;
        self.sum_sq_us += other.sum_sq_us;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        // Same bounds on both sides: adding cannot fail.
        if let Some(theirs) = &other.histogram {
            let _ = self.histogram_mut().add(theirs.as_ref());
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Arithmetic mean (of the values to the microsecond, exact up to the one division), or
    /// `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_us as f64 / self.count as f64 / UNITS_PER_MS)
    }

    /// Sample standard deviation (n - 1), 0 for a single value: from the exact sums,
    /// `(n Σx² - (Σx)²) / (n (n - 1))`, in integers while they fit.
    pub fn std_dev(&self) -> f64 {
        if self.count < 2 {
            return 0.0;
        }
        let n = i128::from(self.count);
        let exact = i128::try_from(self.sum_sq_us)
            .ok()
            .and_then(|sq| n.checked_mul(sq))
            .zip(self.sum_us.checked_mul(self.sum_us))
            .map(|(a, b)| (a - b) as f64);
        let spread = exact.unwrap_or_else(|| {
            let (sum, sq) = (self.sum_us as f64, self.sum_sq_us as f64);
            n as f64 * sq - sum * sum
        });
        let variance_us = spread.max(0.0) / (n as f64 * (n - 1) as f64);
        variance_us.sqrt() / UNITS_PER_MS
    }

    /// Nearest-rank percentile (`q` in 0..=1), within 0.1% of the exact value.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        let histogram = self.histogram.as_deref().filter(|_| self.count > 0)?;
        let units = histogram.value_at_quantile(q.clamp(0.0, 1.0));
        let value = histogram.median_equivalent(units) as f64 / UNITS_PER_MS;
        // The histogram's bucket may reach past the exact extremes; never report beyond them.
        Some(value.clamp(self.min, self.max))
    }

    /// Every recorded value with its count, ascending: the histogram's buckets, each at its
    /// bucket's middle value (within 0.1%). Not clamped to this side's extremes, so that equal
    /// values on two sides stay equal (tied) when two distributions are ranked together. A
    /// few thousand pairs at most, whatever the count.
    pub fn buckets(&self) -> Vec<(f64, u64)> {
        let Some(h) = self.histogram.as_deref().filter(|_| self.count > 0) else {
            return Vec::new();
        };
        h.iter_recorded()
            .map(|v| {
                let units = h.median_equivalent(v.value_iterated_to());
                (units as f64 / UNITS_PER_MS, v.count_at_value())
            })
            .collect()
    }

    /// The distribution as (value, cumulative share) points: `n` evenly spaced quantiles and
    /// the far tail (99.5%, 99.9%, 100%), for drawing a cumulative distribution.
    pub fn quantiles(&self, n: usize) -> Vec<(f64, f64)> {
        if self.count == 0 {
            return Vec::new();
        }
        let mut qs: Vec<f64> = (0..=n).map(|i| i as f64 / n.max(1) as f64).collect();
        qs.extend([0.995, 0.999]);
        qs.sort_by(f64::total_cmp);
        qs.dedup();
        qs.into_iter()
            .filter_map(|q| self.percentile(q).map(|v| (v, q)))
            .collect()
    }

    /// The summary of everything added, or `None` when nothing was.
    pub fn summary(&self) -> Option<Summary> {
        let mean = self.mean()?;
        let sd = self.std_dev();
        let median = self.percentile(0.5)?;
        Some(Summary {
            count: self.count,
            mean,
            std_dev: sd,
            min: self.min,
            median,
            p90: self.percentile(0.90)?,
            p95: self.percentile(0.95)?,
            p99: self.percentile(0.99)?,
            max: self.max,
            ci95_half_width: ci95_half_width(self.count, sd),
            outliers: self.outliers(),
        })
    }

    /// Values whose modified z-score, `0.6745 (x - median) / MAD`, exceeds 3.5 in size
    /// (Iglewicz and Hoaglin's rule, as hyperfine applies it). Counted, never removed.
    fn outliers(&self) -> u64 {
        let Some(histogram) = self.histogram.as_deref() else {
            return 0;
        };
        // The median as the histogram holds it, so that deviations compare like with like.
        let median =
            histogram.median_equivalent(histogram.value_at_quantile(0.5)) as f64 / UNITS_PER_MS;
        let mut deviations: Vec<(f64, u64)> = histogram
            .iter_recorded()
            .map(|v| {
                let value =
                    histogram.median_equivalent(v.value_iterated_to()) as f64 / UNITS_PER_MS;
                ((value - median).abs(), v.count_at_value())
            })
            .collect();
        deviations.sort_by(|a, b| a.0.total_cmp(&b.0));
        let half = self.count.div_ceil(2);
        let mut seen = 0;
        let mut mad = 0.0;
        for (deviation, count) in &deviations {
            seen += count;
            if seen >= half {
                mad = *deviation;
                break;
            }
        }
        if mad <= 0.0 {
            // Half or more of the values equal the median: anything else stands out only if
            // it differs at all, which says nothing useful; report none.
            return 0;
        }
        deviations
            .iter()
            .filter(|(d, _)| 0.6745 * d / mad > 3.5)
            .map(|(_, c)| c)
            .sum()
    }
}

/// Half the width of the 95% confidence interval of the mean (Student's t, n - 1 degrees).
pub fn ci95_half_width(count: u64, std_dev: f64) -> f64 {
    if count < 2 {
        return 0.0;
    }
    let df = (count - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, df)
        .map(|d| d.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054);
    t * std_dev / (count as f64).sqrt()
}

/// The Wilson score interval at 95% of a proportion observed as `hits` of `n`: honest for
/// the few cold starts of a short log, where the normal approximation would reach below zero.
/// `(0, 1)` when nothing was observed.
pub fn wilson95(hits: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = statrs::distribution::Normal::standard().inverse_cdf(0.975);
    let (k, n) = (hits.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The statistics of one quantity.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Number of values.
    pub count: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std_dev: f64,
    /// Smallest value (exact).
    pub min: f64,
    /// Median (nearest rank).
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest value (exact).
    pub max: f64,
    /// Half-width of the 95% confidence interval of the mean.
    pub ci95_half_width: f64,
    /// Values flagged as outliers (median absolute deviation rule); they stay in every figure.
    pub outliers: u64,
}

/// A ratio `a / b` of two means and the half-width of its 95% interval, from the means'
/// confidence intervals (first-order propagation of relative errors).
pub fn ratio(a: f64, a_half: f64, b: f64, b_half: f64) -> (f64, f64) {
    if b == 0.0 {
        return (f64::INFINITY, 0.0);
    }
    let r = a / b;
    let rel_a = if a == 0.0 { 0.0 } else { a_half / a };
    let rel_b = b_half / b;
    (r, r.abs() * (rel_a * rel_a + rel_b * rel_b).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_of_three_cold_starts_in_110() {
        // By hand: p = 3/110, z = 1.959964; centre (p + z²/2n)/(1 + z²/n) = 0.043224,
        // half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) = 0.033907.
        let (lo, hi) = wilson95(3, 110);
        assert!((lo - 0.009_317_97).abs() < 1e-7, "{lo}");
        assert!((hi - 0.077_130_84).abs() < 1e-7, "{hi}");
        // None of 10 still leaves up to 27.8%; all of 10 down to 72.2%.
        let (lo, hi) = wilson95(0, 10);
        assert!(lo.abs() < 1e-12 && (hi - 0.277_532_8).abs() < 1e-6);
        let (lo, hi) = wilson95(10, 10);
        assert!((lo - 0.722_467_2).abs() < 1e-6 && (hi - 1.0).abs() < 1e-12);
        assert_eq!(wilson95(0, 0), (0.0, 1.0));
    }

    fn acc(values: &[f64]) -> Accumulator {
        let mut a = Accumulator::new();
        for v in values {
            a.add(*v);
        }
        a
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn mean_and_standard_deviation_by_hand() {
        // 10, 12, 14, 16, 18: mean 14; squared deviations 16+4+0+4+16 = 40; 40/4 = 10.
        let s = acc(&[10.0, 12.0, 14.0, 16.0, 18.0])
            .summary()
            .expect("summary");
        assert_eq!(s.count, 5);
        assert!(close(s.mean, 14.0, 1e-12));
        assert!(close(s.std_dev, 10f64.sqrt(), 1e-12));
        assert_eq!((s.min, s.max), (10.0, 18.0));
    }

    #[test]
    fn confidence_interval_uses_students_t() {
        // t(0.975, 4) = 2.776445; se = sqrt(10)/sqrt(5) = 1.414214; half = 3.926487.
        let s = acc(&[10.0, 12.0, 14.0, 16.0, 18.0])
            .summary()
            .expect("summary");
        assert!(
            close(s.ci95_half_width, 3.926_487, 1e-5),
            "{}",
            s.ci95_half_width
        );
        assert_eq!(ci95_half_width(1, 5.0), 0.0);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        // 1..=100: the q-th percentile by nearest rank is q itself.
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = acc(&values).summary().expect("summary");
        assert!(close(s.median, 50.0, 0.05), "{}", s.median);
        assert!(close(s.p90, 90.0, 0.09), "{}", s.p90);
        assert!(close(s.p95, 95.0, 0.095), "{}", s.p95);
        assert!(close(s.p99, 99.0, 0.099), "{}", s.p99);
    }

    #[test]
    fn percentiles_stay_within_a_tenth_of_a_percent() {
        // A wide spread, 0.5 ms to 60 s: every reported percentile within 0.1% of exact.
        let mut values: Vec<f64> = (0..20_000)
            .map(|i| 0.5 * 1.0007f64.powi(i % 15_000))
            .collect();
        let a = acc(&values);
        values.sort_by(f64::total_cmp);
        for q in [0.5, 0.9, 0.95, 0.99] {
            let rank = ((q * values.len() as f64).ceil() as usize).max(1) - 1;
            let exact = values[rank];
            let got = a.percentile(q).expect("percentile");
            assert!(
                (got / exact - 1.0).abs() <= 0.001,
                "q={q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn outliers_follow_the_mad_rule_and_are_kept() {
        // Median 14, deviations 4,2,0,2,4,86 -> MAD 2 (the nearest-rank median of
        // 0,2,2,4,4,86 is its 3rd value). 100: 0.6745 x 86 / 2 = 29.0 > 3.5, an outlier;
        // 18: 0.6745 x 4 / 2 = 1.35, not one.
        let s = acc(&[10.0, 12.0, 14.0, 16.0, 18.0, 100.0])
            .summary()
            .expect("summary");
        assert_eq!(s.outliers, 1);
        assert_eq!(s.max, 100.0);
        assert!(close(s.mean, 170.0 / 6.0, 1e-9));
    }

    proptest::proptest! {
        /// Parts merged in any split give what one pass gives, to the bit: a file read on
        /// every core is summarised as if read on one.
        #[test]
        fn merged_parts_are_the_whole_to_the_bit(
            hundredths in proptest::collection::vec(0u32..90_000_000, 1..300),
            cuts in proptest::collection::vec(0usize..300, 0..6),
        ) {
            let values: Vec<f64> = hundredths.iter().map(|h| f64::from(*h) / 100.0).collect();
            let whole = acc(&values);
            let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (values.len() + 1)).collect();
            bounds.extend([0, values.len()]);
            bounds.sort_unstable();
            let mut merged = Accumulator::new();
            for pair in bounds.windows(2) {
                merged.merge(&acc(&values[pair[0]..pair[1]]));
            }
            proptest::prop_assert_eq!(merged.count(), whole.count());
            proptest::prop_assert_eq!(merged.mean().map(f64::to_bits), whole.mean().map(f64::to_bits));
            proptest::prop_assert_eq!(merged.std_dev().to_bits(), whole.std_dev().to_bits());
            proptest::prop_assert_eq!(merged.summary(), whole.summary());
        }
    }

    #[test]
    fn ratios_carry_their_uncertainty() {
        let (r, half) = ratio(100.0, 10.0, 10.0, 0.0);
        assert!(close(r, 10.0, 1e-12));
        assert!(close(half, 1.0, 1e-12));
    }
}
