//! Comparing variants: each one's monthly cost at each traffic level (cold starts priced in,
//! and again at the baseline's memory), and how it stands against the baseline: how many
//! times faster its cold start and warm invocations are, how much less memory it peaks at,
//! how much less it costs, each with a 95% interval where samples allow.
//!
//! Pure: profiles and prices in, numbers out.

use crate::cost::{BillError, MonthlyCost, Pricer};
use crate::profile::Profile;
use crate::scenario::{Scenario, price};
use crate::share::{ShareChoice, ShareSource, cold_share};
use crate::stats::ratio;
use crate::traffic::TrafficModel;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One traffic level of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelCost {
    /// Invocations a month.
    pub requests: u64,
    /// Share of cold invocations assumed.
    pub cold_start_rate: Decimal,
    /// Where that share came from.
    pub source: ShareSource,
    /// The bill at the variant's own memory.
    pub cost: MonthlyCost,
    /// Half-width of the 95% interval of the total, from the billed durations' spread.
    pub total_ci95_usd: f64,
    /// The bill with the same durations at the baseline's memory.
    pub at_baseline_memory: MonthlyCost,
}

/// A variant against the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    /// The variant.
    pub profile: Profile,
    /// Its cost at each level.
    pub levels: Vec<LevelCost>,
    /// Baseline cold start / this cold start, with its 95% half-width.
    pub cold_speedup: Option<(f64, f64)>,
    /// Baseline warm mean / this warm mean, with its 95% half-width.
    pub warm_speedup: Option<(f64, f64)>,
    /// 1 - this peak memory / baseline peak memory.
    pub memory_saving: Option<f64>,
    /// 1 - this total / baseline total, per level, with its 95% half-width.
    pub cost_saving: Vec<(f64, f64)>,
}

/// The index of the default baseline: the first variant of the reference mode (the modes
/// file's `reference`, Regular .NET in the embedded one), else the first.
pub fn default_baseline(profiles: &[Profile], reference_mode: Option<&str>) -> usize {
    profiles
        .iter()
        .position(|p| Some(p.mode.as_str()) == reference_mode)
        .unwrap_or(0)
}

/// Compares every profile with `profiles[baseline]` at every level.
pub fn compare(
    profiles: &[Profile],
    baseline: usize,
    levels: &[u64],
    given_share: ShareChoice,
    model: &TrafficModel,
    pricer: &Pricer<'_>,
) -> Result<Vec<Compared>, BillError> {
    let base = &profiles[baseline];
    let priced: Vec<Vec<LevelCost>> = profiles
        .iter()
        .map(|p| {
            levels
                .iter()
                .map(|&requests| {
                    let (share, source) = cold_share(p, requests, given_share, model);
                    let cost =
                        price(p, requests, (share, source), &Scenario::on_demand(), pricer)?.cost;
                    let at_base_memory = Scenario {
                        memory_mb: Some(base.memory_mb),
                        ..Scenario::on_demand()
                    };
                    let at_base =
                        price(p, requests, (share, source), &at_base_memory, pricer)?.cost;
                    Ok(LevelCost {
                        requests,
                        cold_start_rate: share,
                        source,
                        total_ci95_usd: cost_half_width(p, share, &cost),
                        cost,
                        at_baseline_memory: at_base,
                    })
                })
                .collect()
        })
        .collect::<Result<_, BillError>>()?;
    Ok(profiles
        .iter()
        .zip(&priced)
        .enumerate()
        .map(|(i, (p, levels_of_p))| {
            if i == baseline {
                // Against itself: exactly 1x and 0%, with no interval.
                return Compared {
                    profile: p.clone(),
                    levels: levels_of_p.clone(),
                    cold_speedup: p.cold_start.as_ref().map(|_| (1.0, 0.0)),
                    warm_speedup: p.warm.as_ref().map(|_| (1.0, 0.0)),
                    memory_saving: p.peak_memory_mb().map(|_| 0.0),
                    cost_saving: levels_of_p.iter().map(|_| (0.0, 0.0)).collect(),
                };
            }
            let speedup = |b: Option<&crate::profile::Figure>,
                           v: Option<&crate::profile::Figure>| match (
                b, v,
            ) {
                (Some(b), Some(v)) if v.mean_ms > 0.0 => {
                    Some(ratio(b.mean_ms, b.ci95_ms, v.mean_ms, v.ci95_ms))
                }
                _ => None,
            };
            let memory_saving = match (base.peak_memory_mb(), p.peak_memory_mb()) {
                (Some(b), Some(v)) if b > 0 => Some(1.0 - f64::from(v) / f64::from(b)),
                _ => None,
            };
            let cost_saving = levels_of_p
                .iter()
                .zip(&priced[baseline])
                .map(|(v, b)| {
                    let (r, half) = ratio(
                        to_f64(v.cost.total_usd()),
                        v.total_ci95_usd,
                        to_f64(b.cost.total_usd()),
                        b.total_ci95_usd,
                    );
                    (1.0 - r, half)
                })
                .collect();
            Compared {
                profile: p.clone(),
                levels: levels_of_p.clone(),
                cold_speedup: speedup(base.cold_start.as_ref(), p.cold_start.as_ref()),
                warm_speedup: speedup(base.warm.as_ref(), p.warm.as_ref()),
                memory_saving,
                cost_saving,
            }
        })
        .collect())
}

/// The 95% half-width of a total from the uncertainty of the mean billed durations: duration
/// charges scale with the mean billed time, requests do not. 0 without samples.
pub fn cost_half_width(p: &Profile, share: Decimal, cost: &MonthlyCost) -> f64 {
    let r = to_f64(share);
    let (warm_ci, cold_ci) = p.billed_ci95_ms;
    let warm = to_f64(p.warm_billed_ms);
    let cold = to_f64(p.cold_billed_ms);
    let effective = (1.0 - r) * warm + r * cold;
    if effective <= 0.0 {
        return 0.0;
    }
    // The two means' half-widths combine as their standard errors do (in quadrature).
    let half = ((1.0 - r) * warm_ci).hypot(r * cold_ci);
    to_f64(cost.compute_usd()) * half / effective
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The settings a power tuning names: indices into the settings measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choices {
    /// The lowest cost.
    pub cheapest: Option<usize>,
    /// The lowest mean warm duration (cost breaks a tie).
    pub fastest: Option<usize>,
    /// The lowest sum of cost and duration, each relative to its best.
    pub balanced: Option<usize>,
}

/// The cheapest, fastest and balanced of several memory settings, from each one's monthly
/// cost and mean warm duration in ms.
pub fn power_tuning(costs: &[Decimal], warm_ms: &[f64]) -> Choices {
    let n = costs.len().min(warm_ms.len());
    let min_cost = costs.iter().copied().min().unwrap_or(Decimal::ONE);
    let min_warm = warm_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let cheapest = costs.iter().position(|c| *c == min_cost);
    let fastest = (0..n).min_by(|&a, &b| {
        warm_ms[a]
            .total_cmp(&warm_ms[b])
            .then(costs[a].cmp(&costs[b]))
    });
    let score = |i: usize| {
        let c = (costs[i] / min_cost.max(Decimal::new(1, 12)))
            .to_f64()
            .unwrap_or(f64::INFINITY);
        c + warm_ms[i] / min_warm.max(1e-9)
    };
    let balanced = (0..n).min_by(|&a, &b| score(a).total_cmp(&score(b)));
    Choices {
        cheapest,
        fastest,
        balanced,
    }
}

/// A power tuning at one traffic level: each memory setting's month, its mean warm
/// duration (its cold one where no warm invocation was measured), and the settings named.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuning {
    /// The traffic level.
    pub requests: u64,
    /// Each setting's month.
    pub costs: Vec<Decimal>,
    /// Each setting's mean warm duration, ms.
    pub warm_ms: Vec<f64>,
    /// The cheapest, fastest and balanced settings.
    pub choices: Choices,
}

/// The power tuning of `profiles` (one per memory setting) at `requests`.
pub fn tuning(
    profiles: &[Profile],
    requests: u64,
    choice: ShareChoice,
    model: &TrafficModel,
    pricer: &Pricer<'_>,
) -> Result<Tuning, BillError> {
    let costs: Vec<Decimal> = profiles
        .iter()
        .map(|p| {
            Ok(
                crate::scenario::on_demand(p, requests, choice, model, pricer)?
                    .cost
                    .total_usd(),
            )
        })
        .collect::<Result<_, BillError>>()?;
    let warm_ms: Vec<f64> = profiles
        .iter()
        .map(|p| {
            p.warm
                .as_ref()
                .or(p.cold_start.as_ref())
                .map_or(f64::INFINITY, |w| w.mean_ms)
        })
        .collect();
    Ok(Tuning {
        requests,
        choices: power_tuning(&costs, &warm_ms),
        costs,
        warm_ms,
    })
}

/// Where curves sampled on the same x grid cross: (curve i, curve j, x, y), found between grid
/// points where the order of i and j changes, interpolated on logarithmic axes.
pub fn crossovers(curves: &[Vec<(f64, f64)>]) -> Vec<(usize, usize, f64, f64)> {
    let mut out = Vec::new();
    for i in 0..curves.len() {
        for j in i + 1..curves.len() {
            let (a, b) = (&curves[i], &curves[j]);
            for k in 1..a.len().min(b.len()) {
                let d0 = a[k - 1].1.ln() - b[k - 1].1.ln();
                let d1 = a[k].1.ln() - b[k].1.ln();
                if !(d0.is_finite() && d1.is_finite()) || d0 == 0.0 || d0.signum() == d1.signum() {
                    continue;
                }
                let t = d0 / (d0 - d1);
                let lx = a[k - 1].0.ln() + t * (a[k].0.ln() - a[k - 1].0.ln());
                let ly = a[k - 1].1.ln() + t * (a[k].1.ln() - a[k - 1].1.ln());
                out.push((i, j, lx.exp(), ly.exp()));
            }
        }
    }
    out.sort_by(|p, q| p.2.total_cmp(&q.2));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_tuning_names_the_cheapest_the_fastest_and_the_balanced() {
        use rust_decimal_macros::dec;
        // 128 MB: cheap and slow; 1769 MB: fast and dear; 512 MB: in between.
        let costs = [dec!(2.0), dec!(2.6), dec!(6.0)];
        let warm = [120.0, 40.0, 30.0];
        let c = power_tuning(&costs, &warm);
        assert_eq!(c.cheapest, Some(0));
        assert_eq!(c.fastest, Some(2));
        // Scores: 1 + 4 = 5, 1.3 + 1.33 = 2.63, 3 + 1 = 4: the middle one.
        assert_eq!(c.balanced, Some(1));
        assert_eq!(power_tuning(&[], &[]).cheapest, None);
    }

    #[test]
    fn crossing_lines_are_found_where_they_cross() {
        // y = x and y = 100 cross at x = 100 (a straight line on log axes).
        let xs = [1.0, 10.0, 1_000.0, 10_000.0];
        let a: Vec<(f64, f64)> = xs.iter().map(|&x| (x, x)).collect();
        let b: Vec<(f64, f64)> = xs.iter().map(|&x| (x, 100.0)).collect();
        let found = crossovers(&[a, b]);
        assert_eq!(found.len(), 1);
        assert!(
            (found[0].2 - 100.0).abs() < 1e-6 && (found[0].3 - 100.0).abs() < 1e-6,
            "{found:?}"
        );
    }
}
