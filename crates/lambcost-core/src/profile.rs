//! A variant's profile: the figures a comparison or a decision needs (cold start, warm
//! latency, memory, billed durations, cold-start share), whether they come from the summary
//! table's single numbers or from thousands of measured invocations.
//!
//! Pure: built from already-read data.

use crate::cost::Pricer;
use crate::measurement::{Aggregated, Measured, PhaseAggregate, PhaseData, Status};
use crate::pricing::Arch;
use crate::stats::Summary;
use crate::variant::Variant;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

/// A latency: its mean, the half-width of the mean's 95% interval (0 for a single figure),
/// and percentiles where samples exist.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    /// Mean (or the single figure given).
    pub mean_ms: f64,
    /// Half-width of the 95% confidence interval of the mean.
    pub ci95_ms: f64,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// Number of invocations behind it (0 for a figure from a summary table).
    pub samples: u64,
}

impl Figure {
    /// A single published figure.
    pub fn single(ms: f64) -> Figure {
        Figure {
            mean_ms: ms,
            ci95_ms: 0.0,
            p50_ms: None,
            p95_ms: None,
            p99_ms: None,
            samples: 0,
        }
    }

    fn from_summary(s: &Summary) -> Figure {
        Figure {
            mean_ms: s.mean,
            ci95_ms: s.ci95_half_width,
            p50_ms: Some(s.median),
            p95_ms: Some(s.p95),
            p99_ms: Some(s.p99),
            samples: s.count,
        }
    }

    /// The 99th percentile where samples exist, else the figure itself.
    pub fn p99_or_figure(&self) -> f64 {
        self.p99_ms.unwrap_or(self.mean_ms)
    }
}

/// The statistics of one phase of a measured variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseStats {
    /// Invocations.
    pub count: u64,
    /// Duration of the invoke.
    pub duration_ms: Option<Summary>,
    /// Init (or restore) duration; cold only.
    pub init_ms: Option<Summary>,
    /// Init plus duration; cold only.
    pub cold_start_ms: Option<Summary>,
    /// Billed duration.
    pub billed_ms: Option<Summary>,
    /// Sum of billed milliseconds.
    pub billed_ms_sum: u128,
    /// Max Memory Used: smallest.
    pub max_memory_used_mb_min: Option<u32>,
    /// Max Memory Used: largest.
    pub max_memory_used_mb_max: Option<u32>,
    /// Max Memory Used: 95th percentile.
    pub max_memory_used_mb_p95: Option<u32>,
    /// SnapStart restores.
    pub restores: u64,
    /// The latency distribution (cold: init plus duration; warm: duration) as
    /// (ms, cumulative share) points, for charts.
    #[serde(skip)]
    pub distribution: Vec<(f64, f64)>,
    /// The same latencies as (ms, count) buckets, for tests that rank two distributions.
    #[serde(skip)]
    pub buckets: Vec<(f64, u64)>,
}

impl PhaseStats {
    fn of(p: &PhaseData, cold: bool) -> PhaseStats {
        let memory = p.memory.min_max_p95();
        PhaseStats {
            count: p.count(),
            duration_ms: p.duration.summary(),
            init_ms: if cold { p.init.summary() } else { None },
            cold_start_ms: if cold { p.total.summary() } else { None },
            billed_ms: p.billed.summary(),
            billed_ms_sum: p.billed_ms_sum,
            max_memory_used_mb_min: memory.map(|m| m.0),
            max_memory_used_mb_max: memory.map(|m| m.1),
            max_memory_used_mb_p95: memory.map(|m| m.2),
            restores: p.restores,
            distribution: if cold {
                p.total.quantiles(200)
            } else {
                p.duration.quantiles(200)
            },
            buckets: if cold {
                p.total.buckets()
            } else {
                p.duration.buckets()
            },
        }
    }
}

/// Everything measured of a variant, for the JSON and for decisions on percentiles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measurements {
    /// Cold invocations.
    pub cold: PhaseStats,
    /// Warm invocations.
    pub warm: PhaseStats,
    /// Invocations by status.
    pub statuses: std::collections::BTreeMap<&'static str, u64>,
    /// Unreadable lines skipped.
    pub malformed_lines: u64,
    /// Whether Lambda's limits were enforced while measuring (samples from `measure`).
    pub limits_enforced: Option<bool>,
}

/// Why measurements cannot make a profile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// No invocation carried a memory size.
    #[error("{origin}: the input does not say the function's memory size")]
    NoMemorySize {
        /// The input.
        origin: String,
    },
    /// Nothing to measure.
    #[error("{origin}: no invocations")]
    NoInvocations {
        /// The input.
        origin: String,
    },
    /// Billed durations whose sum no decimal holds.
    #[error("{origin}: billed durations too long to add up; is this a Lambda log?")]
    TooLong {
        /// The input.
        origin: String,
    },
}

/// How re-billing the measured invocations under today's rules changed them: invocations
/// whose Billed Duration was reported are compared with the same invocations re-billed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebill {
    /// Invocations that reported a Billed Duration.
    pub reported: u64,
    /// Of those, how many are billed differently today.
    pub changed: u64,
    /// Their billed milliseconds as reported.
    pub reported_ms: u128,
    /// Their billed milliseconds as re-billed.
    pub rebilled_ms: u128,
}

impl Rebill {
    /// The comparison for `m`, INIT billed or not on its cold starts.
    pub fn of(m: &Measured, init_billed: bool) -> Option<Rebill> {
        let (w, c) = (&m.warm.rebilled, &m.cold.rebilled);
        let reported_ms = w.reported_ms + c.reported_ms;
        if reported_ms == 0 {
            return None;
        }
        let (cold_ms, cold_changed) = if init_billed {
            (c.reported_with_init_ms, c.changed_with_init)
        } else {
            (c.reported_without_init_ms, c.changed_without_init)
        };
        Some(Rebill {
            reported: w.reported + c.reported,
            changed: w.changed_with_init + cold_changed,
            reported_ms,
            rebilled_ms: w.reported_with_init_ms + cold_ms,
        })
    }
}

/// How many of the measured invocations were cold: a share with its sample size, so that it
/// can be shown with its 95% interval beside the traffic model's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObservedShare {
    /// Cold invocations.
    pub cold: u64,
    /// Every invocation measured.
    pub invocations: u64,
}

impl ObservedShare {
    /// The share of cold invocations (0 when nothing was measured).
    pub fn share(&self) -> Decimal {
        if self.invocations == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.cold) / Decimal::from(self.invocations)
    }

    /// The share's 95% interval (Wilson score).
    pub fn ci95(&self) -> (f64, f64) {
        crate::stats::wilson95(self.cold, self.invocations)
    }
}

/// The variants' names, comma-separated, for messages.
pub fn names(profiles: &[Profile]) -> String {
    profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The figures of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Name.
    pub name: String,
    /// Build mode (may be empty).
    pub mode: String,
    /// .NET major version, when known.
    pub dotnet: Option<u32>,
    /// Lambda runtime (may be empty for logs).
    pub runtime: String,
    /// Architecture.
    pub arch: Arch,
    /// Configured memory.
    pub memory_mb: u32,
    /// Latency of a cold invocation (init plus duration), when any was seen.
    pub cold_start: Option<Figure>,
    /// Latency of a warm invocation, when any was seen.
    pub warm: Option<Figure>,
    /// Mean init duration (what a restore or the old INIT rule would save).
    pub init_ms: Decimal,
    /// Max Memory Used: (smallest, largest).
    pub max_memory_used_mb: Option<(u32, u32)>,
    /// Mean billed duration of a warm invocation.
    pub warm_billed_ms: Decimal,
    /// Mean billed duration of a cold invocation.
    pub cold_billed_ms: Decimal,
    /// Mean Billed Restore Duration of the SnapStart restores measured, when any carried one.
    pub billed_restore_ms: Option<Decimal>,
    /// How re-billing the measured invocations under the billing date's rules changed them.
    pub rebilled: Option<Rebill>,
    /// Half-width of the 95% interval of the warm and cold billed means (0 without samples).
    pub billed_ci95_ms: (f64, f64),
    /// The cold invocations among the measured ones, when the profile comes from samples or
    /// logs.
    pub observed_cold: Option<ObservedShare>,
    /// The share of cold starts a replay of the team's own arrivals found for this variant
    /// (`--cold-start-rate replay:FILE`).
    pub replayed_cold: Option<Decimal>,
    /// The measurements, when the profile comes from samples or logs.
    pub measurements: Option<Measurements>,
    /// Things to know about this profile's data.
    pub warnings: Vec<String>,
    /// The architecture its durations were measured on, when it is priced on another
    /// (`--arch`): a what-if until measured there.
    pub measured_arch: Option<Arch>,
}

impl Profile {
    /// The variant's name as reasons and warnings say it: with its architecture when that
    /// is arm64, so that one variant priced on both is told apart.
    pub fn label(&self) -> String {
        match self.arch {
            Arch::Arm64 => format!("{} (arm64)", self.name),
            Arch::X86_64 => self.name.clone(),
        }
    }

    /// A variant of the summary table: its cold start is the billed duration of a cold
    /// invocation, INIT included, as the deck measured it.
    pub fn from_variant(v: &Variant, pricer: &Pricer<'_>) -> Profile {
        let init = v.init_ms();
        let mut warnings = Vec::new();
        if !init.is_zero() && !pricer.init_billed(&v.runtime) {
            warnings.push(format!(
                "{}: its INIT is not billed under the rule before {} ({}); a summary row does not give the first invoke's own duration, so its cold invocations are billed as warm ones ({} ms)",
                v.name,
                pricer.init_rule_since(),
                v.runtime,
                pricer.warm_billed_ms(v.warm_ms)
            ));
        }
        Profile {
            name: v.name.clone(),
            mode: v.mode.clone(),
            dotnet: v.dotnet,
            runtime: v.runtime.clone(),
            arch: v.arch,
            memory_mb: v.memory_mb,
            cold_start: Some(Figure::single(to_f64(v.cold_start_ms))),
            warm: Some(Figure::single(to_f64(v.warm_ms))),
            init_ms: init,
            max_memory_used_mb: Some((v.max_memory_used_mb_min, v.max_memory_used_mb_max)),
            warm_billed_ms: pricer.warm_billed_ms(v.warm_ms),
            cold_billed_ms: pricer.cold_billed_ms(init, v.warm_ms, &v.runtime),
            billed_restore_ms: None,
            rebilled: None,
            billed_ci95_ms: (0.0, 0.0),
            observed_cold: None,
            replayed_cold: None,
            measured_arch: None,
            measurements: None,
            warnings,
        }
    }

    /// A function as an aggregating query (CloudWatch Logs Insights) summarises it: its
    /// percentiles and means, the observed cold share, and the billed sums re-billed under the
    /// billing date's INIT rule where the logs billed cold starts without INIT (a sum cannot be
    /// re-rounded invocation by invocation: the INIT added is the sum of Init Duration).
    pub fn from_aggregated(a: &Aggregated, mode: &str, arch: Arch, pricer: &Pricer<'_>) -> Profile {
        // A cold start is init plus duration: the query gives neither's spread of the sum,
        // so its mean carries no interval.
        let figure = |p: &PhaseAggregate, extra_ms: f64| Figure {
            mean_ms: p.duration_mean_ms + extra_ms,
            ci95_ms: if extra_ms == 0.0 {
                crate::stats::ci95_half_width(p.count, p.duration_sd_ms)
            } else {
                0.0
            },
            p50_ms: p.duration_pct_ms[0].filter(|_| extra_ms == 0.0),
            p95_ms: p.duration_pct_ms[2].filter(|_| extra_ms == 0.0),
            p99_ms: p.duration_pct_ms[3].filter(|_| extra_ms == 0.0),
            samples: p.count,
        };
        let mean = |sum: f64, n: u64| {
            if n == 0 {
                Decimal::ZERO
            } else {
                (Decimal::from_f64(sum).unwrap_or_default() / Decimal::from(n)).round_dp(6)
            }
        };
        let (warm, cold) = (&a.warm, &a.cold);
        let warm_billed = mean(warm.billed_ms_sum, warm.count);
        // Logs that billed INIT report at least init + duration on a cold start.
        let duration_sum = cold.duration_mean_ms * cold.count as f64;
        let init_in_logs = cold.billed_ms_sum + 0.5 >= duration_sum + cold.init_ms_sum;
        let mut cold_billed = if pricer.init_billed("") && !init_in_logs {
            mean(cold.billed_ms_sum + cold.init_ms_sum, cold.count)
        } else {
            mean(cold.billed_ms_sum, cold.count)
        };
        let mut warnings = Vec::new();
        if cold.count == 0 {
            cold_billed = warm_billed;
            warnings.push(format!(
                "{}: no cold start in the query's results; cold invocations are priced as warm ones",
                a.name
            ));
        }
        let init_ms = cold.init_mean_ms.unwrap_or(0.0);
        Profile {
            name: a.name.clone(),
            mode: mode.to_string(),
            dotnet: None,
            runtime: String::new(),
            arch,
            memory_mb: a.memory_size_mb,
            cold_start: (cold.count > 0).then(|| figure(cold, init_ms)),
            warm: (warm.count > 0).then(|| figure(warm, 0.0)),
            init_ms: Decimal::from_f64(init_ms).unwrap_or_default(),
            max_memory_used_mb: a.max_memory_used_mb,
            warm_billed_ms: if warm.count == 0 {
                cold_billed
            } else {
                warm_billed
            },
            cold_billed_ms: cold_billed,
            billed_restore_ms: None,
            rebilled: None,
            billed_ci95_ms: (0.0, 0.0),
            observed_cold: Some(ObservedShare {
                cold: cold.count,
                invocations: cold.count + warm.count,
            }),
            replayed_cold: None,
            measured_arch: None,
            measurements: None,
            warnings,
        }
    }

    /// One workload described by its figures (`estimate --duration-ms`): `init_ms` before its
    /// cold invocations, billed under the INIT rule of its runtime.
    pub fn workload(
        duration_ms: Decimal,
        init_ms: Decimal,
        memory_mb: u32,
        runtime: &str,
        arch: Arch,
        pricer: &Pricer<'_>,
    ) -> Profile {
        Profile {
            name: "workload".to_string(),
            mode: String::new(),
            dotnet: None,
            runtime: runtime.to_string(),
            arch,
            memory_mb,
            cold_start: Some(Figure::single(to_f64(init_ms + duration_ms))),
            warm: Some(Figure::single(to_f64(duration_ms))),
            init_ms,
            max_memory_used_mb: None,
            warm_billed_ms: pricer.warm_billed_ms(duration_ms),
            cold_billed_ms: pricer.cold_billed_ms(init_ms, duration_ms, runtime),
            billed_restore_ms: None,
            rebilled: None,
            billed_ci95_ms: (0.0, 0.0),
            observed_cold: None,
            replayed_cold: None,
            measured_arch: None,
            measurements: None,
            warnings: Vec::new(),
        }
    }

    /// A measured variant. Every invocation is billed under the rules in force on the
    /// pricer's billing date (the INIT rule for its runtime, the billing granularity),
    /// whatever its log reported, and billed durations are averaged exactly (sum, then
    /// divide): the cost of the average is not the average cost.
    pub fn from_measured(
        m: &Measured,
        default_arch: Arch,
        pricer: &Pricer<'_>,
    ) -> Result<Profile, ProfileError> {
        let memory_mb = m.memory_size_mb.ok_or_else(|| ProfileError::NoMemorySize {
            origin: m.origin.clone(),
        })?;
        let mut warnings = Vec::new();
        if let Some((lo, hi)) = m.memory_size_range
            && lo != hi
        {
            warnings.push(format!(
                "{}: the memory size changed within the input ({lo} to {hi} MB); priced at {memory_mb} MB",
                m.name
            ));
        }
        let runtime = m.runtime.clone().unwrap_or_default();
        let init_billed = pricer.init_billed(&runtime);
        if runtime.is_empty()
            && m.cold.count() > m.cold.restores
            && pricer.billing_date() < pricer.init_rule_since()
        {
            warnings.push(format!(
                "{}: the log does not name its runtime (no INIT_START line); its cold starts are billed as a managed runtime's, without INIT, under the rule before {}",
                m.name, pricer.init_rule_since()
            ));
        }
        let (warm_billed, cold_billed) = billed_means(m, init_billed, pricer, &mut warnings)?;
        let cold_n = m.cold.count();
        let warm_n = m.warm.count();
        let rebilled = Rebill::of(m, init_billed);
        let billed_restore_ms = match m.cold.billed_restores {
            0 => None,
            n => Some(exact_mean(m, m.cold.billed_restore_ms_sum, n)?),
        };
        let ci = |p: &PhaseData| p.billed.summary().map_or(0.0, |s| s.ci95_half_width);
        let total = cold_n + warm_n;
        let memory = m.max_memory_used();
        let statuses = Status::ALL
            .iter()
            .zip(m.statuses)
            .map(|(s, n)| (s.as_str(), n))
            .collect();
        if m.limits_enforced == Some(false) {
            warnings.push(format!(
                "{}: measured without Lambda's memory and CPU limits; durations may be shorter than on Lambda",
                m.name
            ));
        }
        Ok(Profile {
            name: m.name.clone(),
            mode: m.mode.clone(),
            dotnet: None,
            runtime,
            arch: m.arch.unwrap_or(default_arch),
            memory_mb,
            cold_start: m.cold.total.summary().as_ref().map(Figure::from_summary),
            warm: m.warm.duration.summary().as_ref().map(Figure::from_summary),
            init_ms: Decimal::from_f64(m.cold.init.mean().unwrap_or(0.0)).unwrap_or_default(),
            max_memory_used_mb: memory.map(|(lo, hi, _)| (lo, hi)),
            warm_billed_ms: warm_billed,
            cold_billed_ms: cold_billed,
            billed_restore_ms,
            rebilled,
            billed_ci95_ms: (ci(&m.warm), ci(&m.cold)),
            observed_cold: Some(ObservedShare {
                cold: cold_n,
                invocations: total,
            }),
            replayed_cold: None,
            measured_arch: None,
            measurements: Some(Measurements {
                cold: PhaseStats::of(&m.cold, true),
                warm: PhaseStats::of(&m.warm, false),
                statuses,
                malformed_lines: m.malformed.count,
                limits_enforced: m.limits_enforced,
            }),
            warnings,
        })
    }

    /// The largest Max Memory Used seen (the deck's memory figure).
    pub fn peak_memory_mb(&self) -> Option<u32> {
        self.max_memory_used_mb.map(|m| m.1)
    }
}

/// `sum / n` as an exact decimal, or the error of sums no decimal holds.
fn exact_mean(m: &Measured, sum: u128, n: u64) -> Result<Decimal, ProfileError> {
    Decimal::try_from_i128_with_scale(i128::try_from(sum).unwrap_or(i128::MAX), 0)
        .map(|d| d / Decimal::from(n))
        .map_err(|_| ProfileError::TooLong {
            origin: m.origin.clone(),
        })
}

/// The mean billed durations of a warm and a cold invocation, re-billed under today's rules
/// (INIT billed or not on the cold ones); a phase that was not measured is priced from the
/// other, and `warnings` says so.
fn billed_means(
    m: &Measured,
    init_billed: bool,
    pricer: &Pricer<'_>,
    warnings: &mut Vec<String>,
) -> Result<(Decimal, Decimal), ProfileError> {
    let cold_n = m.cold.count();
    let warm_n = m.warm.count();
    let mean = |sum: u128, n: u64| exact_mean(m, sum, n);
    let cold_sum = if init_billed {
        m.cold.rebilled.with_init_ms
    } else {
        m.cold.rebilled.without_init_ms
    };
    let warm_sum = m.warm.rebilled.with_init_ms;
    let means = match (warm_n, cold_n) {
        (0, 0) => {
            return Err(ProfileError::NoInvocations {
                origin: m.origin.clone(),
            });
        }
        (0, c) => {
            warnings.push(format!(
                "{}: no warm invocation measured; warm invocations are priced at the cold ones' duration without init",
                m.name
            ));
            let duration = m.cold.duration.mean().unwrap_or(0.0);
            (
                pricer.warm_billed_ms(Decimal::from_f64(duration).unwrap_or(Decimal::ONE)),
                mean(cold_sum, c)?,
            )
        }
        (w, 0) => (mean(warm_sum, w)?, mean(warm_sum, w)?),
        (w, c) => (mean(warm_sum, w)?, mean(cold_sum, c)?),
    };
    if cold_n == 0 {
        warnings.push(format!(
            "{}: no cold start measured; cold invocations are priced as warm ones",
            m.name
        ));
    }
    Ok(means)
}

fn to_f64(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}
