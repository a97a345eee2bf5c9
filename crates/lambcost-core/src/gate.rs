//! A pull request's budget guard: two data sets matched variant by variant, each pair's
//! costs, latency changes and peak memory, and what every threshold says of it as a typed
//! verdict. A threshold breaks only on a change past it and significant, never on too few
//! invocations; the words a report prints are the command's.

use crate::cost::{BillError, Pricer};
use crate::diff::{self, Metric, MetricChange, Phase, PhaseChange, Side, Threshold};
use crate::profile::Profile;
use crate::scenario;
use crate::share::ShareChoice;
use crate::traffic::TrafficModel;
use rust_decimal::Decimal;

/// The thresholds of a guard and the test's level.
#[derive(Clone, Debug, PartialEq)]
pub struct Gates {
    /// `--fail-slower`: latency thresholds.
    pub slower: Vec<Threshold>,
    /// `--fail-cost-above`: the largest acceptable growth of a month's cost, percent.
    pub cost_above_pct: Option<Decimal>,
    /// `--fail-memory-above`: the largest acceptable growth of peak memory, percent.
    pub memory_above_pct: Option<Decimal>,
    /// The tests' significance level.
    pub alpha: f64,
}

impl Gates {
    /// Whether any threshold is set.
    pub fn any(&self) -> bool {
        !self.slower.is_empty() || self.cost_above_pct.is_some() || self.memory_above_pct.is_some()
    }
}

/// What one threshold says of a pair.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// A latency threshold breached: the change, and the one-sided bound at alpha.
    Slower {
        /// The threshold.
        threshold: Threshold,
        /// The statistic's relative change.
        change: f64,
        /// Its one-sided lower bound.
        lower: f64,
    },
    /// No invocations of the threshold's phase on both sides.
    NoInvocations(Threshold),
    /// Too few invocations on a side for a test.
    Unreliable {
        /// The threshold.
        threshold: Threshold,
        /// BASE's invocations.
        base_count: u64,
        /// NEW's invocations.
        new_count: u64,
    },
    /// Past the threshold, but within the noise.
    WithinNoise {
        /// The threshold.
        threshold: Threshold,
        /// The relative change.
        change: f64,
        /// Its one-sided lower bound.
        lower: f64,
    },
    /// Significantly faster.
    Faster(Threshold),
    /// Within the threshold; from how many invocations a side a slowdown of the threshold's
    /// size would be found with 80% power, when the spread allows saying.
    Within {
        /// The threshold.
        threshold: Threshold,
        /// BASE's invocations.
        base_count: u64,
        /// NEW's invocations.
        new_count: u64,
        /// Invocations a side that would detect it.
        detect_from: Option<u64>,
    },
    /// A dearer month with significantly longer invocations (or another memory size)
    /// behind it.
    Cost {
        /// The traffic level.
        requests: u64,
        /// The change, percent.
        change_pct: Decimal,
        /// The limit, percent.
        limit_pct: Decimal,
    },
    /// A dearer month from too few invocations to tell.
    CostUnreliable {
        /// The traffic level.
        requests: u64,
        /// The change, percent.
        change_pct: Decimal,
    },
    /// A dearer month with no significantly longer invocation behind it.
    CostNotLonger {
        /// The traffic level.
        requests: u64,
        /// The change, percent.
        change_pct: Decimal,
    },
    /// Peak memory grew past its limit.
    Memory {
        /// BASE's peak, MB.
        base_mb: u32,
        /// NEW's peak, MB.
        new_mb: u32,
        /// The change, percent.
        change_pct: Decimal,
        /// The limit, percent.
        limit_pct: Decimal,
    },
}

impl Verdict {
    /// Whether it breaks the guard.
    pub fn breaks(&self) -> bool {
        matches!(
            self,
            Verdict::Slower { .. } | Verdict::Cost { .. } | Verdict::Memory { .. }
        )
    }
}

/// One variant, before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair<'a> {
    /// How the report names it (`api`, `api (x86_64 → arm64)`, `old → new`).
    pub name: String,
    /// BASE's variant.
    pub base: &'a Profile,
    /// NEW's variant.
    pub new: &'a Profile,
    /// Each level: (requests, BASE's month, NEW's month).
    pub costs: Vec<(u64, Decimal, Decimal)>,
    /// Cold and warm, where both sides have them.
    pub phases: Vec<PhaseChange>,
    /// Peak memory, BASE and NEW, MB.
    pub memory: Option<(u32, u32)>,
    /// The cold-start shares that priced the first level, BASE and NEW.
    pub shares: (Decimal, Decimal),
    /// What each threshold says.
    pub verdicts: Vec<Verdict>,
}

impl Pair<'_> {
    /// The verdicts that break the guard.
    pub fn breaches(&self) -> impl Iterator<Item = &Verdict> {
        self.verdicts.iter().filter(|v| v.breaks())
    }
}

/// The variants of BASE and NEW matched, and those of each side that match none.
pub struct Matched<'a> {
    /// (name, BASE's, NEW's).
    pub pairs: Vec<(String, &'a Profile, &'a Profile)>,
    /// BASE's variants without a match.
    pub only_base: Vec<String>,
    /// NEW's variants without a match.
    pub only_new: Vec<String>,
}

/// Variants matched by name (on the same architecture first); a single variant on each side
/// is matched whatever its name.
pub fn matched<'a>(base: &'a [Profile], new: &'a [Profile]) -> Matched<'a> {
    if let ([b], [n]) = (base, new) {
        let name = if b.name == n.name {
            b.name.clone()
        } else {
            format!("{} → {}", b.name, n.name)
        };
        return Matched {
            pairs: vec![(name, b, n)],
            only_base: Vec::new(),
            only_new: Vec::new(),
        };
    }
    // By name; a variant that moved to another architecture is still itself, and says so.
    let pairs = base
        .iter()
        .filter_map(|b| {
            let n = new
                .iter()
                .find(|n| n.name == b.name && n.arch == b.arch)
                .or_else(|| new.iter().find(|n| n.name == b.name))?;
            let name = if n.arch == b.arch {
                b.name.clone()
            } else {
                format!("{} ({} → {})", b.name, b.arch, n.arch)
            };
            Some((name, b, n))
        })
        .collect();
    let only = |a: &[Profile], other: &[Profile]| {
        a.iter()
            .filter(|p| !other.iter().any(|o| o.name == p.name))
            .map(|p| p.name.clone())
            .collect()
    };
    Matched {
        pairs,
        only_base: only(base, new),
        only_new: only(new, base),
    }
}

/// How a pair is priced and tested.
#[derive(Clone, Copy, Debug)]
pub struct Terms<'a> {
    /// Traffic levels.
    pub levels: &'a [u64],
    /// Which cold-start share prices them.
    pub choice: ShareChoice,
    /// The traffic model.
    pub model: &'a TrafficModel,
    /// The prices.
    pub pricer: &'a Pricer<'a>,
    /// The bootstrap's seed (each pair and phase draws from its own stream of it).
    pub seed: u64,
}

/// BASE and NEW of one variant compared under `terms` and judged by `gates`; `index`
/// separates the pair's draws from the others'.
pub fn pair<'a>(
    (name, base, new): (String, &'a Profile, &'a Profile),
    terms: &Terms<'_>,
    gates: &Gates,
    index: u64,
) -> Result<Pair<'a>, BillError> {
    let cost = |p: &Profile, level: u64| -> Result<(Decimal, Decimal), BillError> {
        let priced = scenario::on_demand(p, level, terms.choice, terms.model, terms.pricer)?;
        Ok((priced.cost.total_usd(), priced.workload.cold_start_rate))
    };
    let mut costs = Vec::new();
    let mut shares = (Decimal::ZERO, Decimal::ZERO);
    for (k, &level) in terms.levels.iter().enumerate() {
        let (b, bs) = cost(base, level)?;
        let (n, ns) = cost(new, level)?;
        if k == 0 {
            shares = (bs, ns);
        }
        costs.push((level, b, n));
    }
    let mut phases = Vec::new();
    for (k, phase) in [Phase::Cold, Phase::Warm].into_iter().enumerate() {
        if let (Some(b), Some(n)) = (side(base, phase), side(new, phase)) {
            let seed = terms.seed ^ (index << 8) ^ k as u64;
            phases.push(diff::compare_phase(phase, b, n, gates.alpha, seed));
        } else if let Some(c) = figures_only(base, new, phase) {
            phases.push(c);
        }
    }
    let mut pair = Pair {
        name,
        base,
        new,
        costs,
        phases,
        memory: base.peak_memory_mb().zip(new.peak_memory_mb()),
        shares,
        verdicts: Vec::new(),
    };
    pair.verdicts = verdicts(&pair, gates);
    Ok(pair)
}

/// A phase's side for the tests: its buckets and exact figures; summary rows have none.
pub fn side(p: &Profile, phase: Phase) -> Option<Side<'_>> {
    let m = p.measurements.as_ref()?;
    let stats = match phase {
        Phase::Cold => &m.cold,
        Phase::Warm => &m.warm,
    };
    let summary = match phase {
        Phase::Cold => stats.cold_start_ms.as_ref(),
        Phase::Warm => stats.duration_ms.as_ref(),
    }?;
    Some(Side {
        buckets: &stats.buckets,
        mean: summary.mean,
        std_dev: summary.std_dev,
        count: stats.count,
    })
}

/// A phase of summary rows (figures, no invocations): the means side by side, untested.
fn figures_only(base: &Profile, new: &Profile, phase: Phase) -> Option<PhaseChange> {
    let figure = |p: &Profile| match phase {
        Phase::Cold => p.cold_start.as_ref().map(|f| f.mean_ms),
        Phase::Warm => p.warm.as_ref().map(|f| f.mean_ms),
    };
    let (b, n) = (figure(base)?, figure(new)?);
    (b > 0.0).then(|| PhaseChange {
        phase,
        base_count: 0,
        new_count: 0,
        reliable: false,
        metrics: vec![MetricChange {
            metric: Metric::Mean,
            base_ms: b,
            new_ms: n,
            change: n / b - 1.0,
            interval: None,
            lower: None,
        }],
        test: None,
        slower: false,
        differs: false,
    })
}

/// What every threshold of `gates` says of `p`, in the thresholds' order.
pub fn verdicts(p: &Pair<'_>, gates: &Gates) -> Vec<Verdict> {
    let mut out: Vec<Verdict> = gates
        .slower
        .iter()
        .map(|t| slower(p, t, gates.alpha))
        .collect();
    if let Some(limit) = gates.cost_above_pct {
        out.extend(cost(p, limit));
    }
    if let (Some(limit), Some((b, n))) = (gates.memory_above_pct, p.memory)
        && b > 0
    {
        let change = Decimal::from(n) * Decimal::from(100) / Decimal::from(b) - Decimal::from(100);
        if change > limit {
            out.push(Verdict::Memory {
                base_mb: b,
                new_mb: n,
                change_pct: change,
                limit_pct: limit,
            });
        }
    }
    out
}

/// One `--fail-slower` threshold on a pair.
fn slower(p: &Pair<'_>, t: &Threshold, alpha: f64) -> Verdict {
    let Some(change) = p.phases.iter().find(|c| c.phase == t.phase) else {
        return Verdict::NoInvocations(*t);
    };
    let metric = change.metrics.iter().find(|m| m.metric == t.metric);
    if let (true, Some(m)) = (diff::breaks(t, change), metric) {
        return Verdict::Slower {
            threshold: *t,
            change: m.change,
            lower: m.lower.unwrap_or(0.0),
        };
    }
    if !change.reliable {
        return Verdict::Unreliable {
            threshold: *t,
            base_count: change.base_count,
            new_count: change.new_count,
        };
    }
    if let Some(m) = metric
        && m.change * 100.0 > t.pct
    {
        return Verdict::WithinNoise {
            threshold: *t,
            change: m.change,
            lower: m.lower.unwrap_or(0.0),
        };
    }
    if change.differs && !change.slower {
        return Verdict::Faster(*t);
    }
    let spread = side(p.base, t.phase).and_then(|s| diff::sigma_log(s.buckets));
    Verdict::Within {
        threshold: *t,
        base_count: change.base_count,
        new_count: change.new_count,
        detect_from: spread.and_then(|s| diff::samples_to_detect(s, t.pct.max(1.0), alpha)),
    }
}

/// `--fail-cost-above`: a dearer month breaks only where the invocations behind it are
/// significantly longer (a mean's one-sided bound above 0), or the memory setting changed,
/// and never on phases with too few invocations. The first level past the limit speaks.
fn cost(p: &Pair<'_>, limit: Decimal) -> Option<Verdict> {
    let reliable = p.phases.iter().any(|c| c.reliable);
    let longer = p.phases.iter().any(|c| {
        c.reliable
            && c.metrics
                .iter()
                .any(|m| m.metric == Metric::Mean && m.lower.is_some_and(|l| l > 0.0))
    });
    let memory_changed = p.base.memory_mb != p.new.memory_mb;
    let (requests, change_pct) = p.costs.iter().find_map(|(level, b, n)| {
        pct_change(*b, *n)
            .filter(|c| *c > limit)
            .map(|c| (*level, c))
    })?;
    Some(if reliable && (longer || memory_changed) {
        Verdict::Cost {
            requests,
            change_pct,
            limit_pct: limit,
        }
    } else if !reliable {
        Verdict::CostUnreliable {
            requests,
            change_pct,
        }
    } else {
        Verdict::CostNotLonger {
            requests,
            change_pct,
        }
    })
}

/// The change from `base` to `new`, percent; none from nothing.
pub fn pct_change(base: Decimal, new: Decimal) -> Option<Decimal> {
    (base > Decimal::ZERO).then(|| (new - base) * Decimal::from(100) / base)
}

/// A phase's verdict, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseVerdict {
    /// Summary figures: not tested.
    FiguresOnly,
    /// Too few invocations.
    Unreliable,
    /// Significantly slower.
    Slower,
    /// Significantly faster.
    Faster,
    /// No significant change.
    Unchanged,
}

impl PhaseVerdict {
    /// What the test said of a phase.
    pub fn of(c: &PhaseChange) -> PhaseVerdict {
        match (c.reliable, c.slower, c.differs) {
            (false, _, _) if c.base_count == 0 => PhaseVerdict::FiguresOnly,
            (false, _, _) => PhaseVerdict::Unreliable,
            (true, true, _) => PhaseVerdict::Slower,
            (true, false, true) => PhaseVerdict::Faster,
            (true, false, false) => PhaseVerdict::Unchanged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{book, pricer};

    use crate::pricing::Arch;

    use rust_decimal_macros::dec;

    fn workload(name: &str, warm_ms: u32, memory_mb: u32, pricer: &Pricer<'_>) -> Profile {
        let mut p = Profile::workload(
            Decimal::from(warm_ms),
            dec!(0),
            memory_mb,
            "dotnet8",
            Arch::X86_64,
            pricer,
        );
        p.name = name.to_string();
        p
    }

    #[test]
    fn variants_match_by_name_and_a_single_pair_whatever_its_names() {
        let book = book();
        let pricer = pricer(&book);
        let a = workload("a", 10, 512, &pricer);
        let b = workload("b", 10, 512, &pricer);
        let m = matched(std::slice::from_ref(&a), std::slice::from_ref(&b));
        assert_eq!(m.pairs[0].0, "a → b");
        let c = workload("c", 10, 512, &pricer);
        let base = [a.clone(), b.clone()];
        let new = [b.clone(), c];
        let m = matched(&base, &new);
        assert_eq!(m.pairs.len(), 1);
        assert_eq!(
            (m.only_base, m.only_new),
            (vec!["a".to_string()], vec!["c".to_string()])
        );
    }

    #[test]
    fn summary_figures_are_never_gated_and_memory_past_its_limit_breaks() {
        let book = book();
        let pricer = pricer(&book);
        let model = TrafficModel {
            idle_reclaim_s: 600.0,
            env_lifetime_s: 7200.0,
            month_hours: 730.0,
        };
        let terms = Terms {
            levels: &[1_000_000],
            choice: ShareChoice::Given(Decimal::ZERO),
            model: &model,
            pricer: &pricer,
            seed: 1,
        };
        let slower: Threshold = "p99:10".parse().expect("threshold");
        let gates = Gates {
            slower: vec![slower],
            cost_above_pct: Some(dec!(5)),
            memory_above_pct: None,
            alpha: 0.05,
        };
        // 100 ms to 200 ms of figures: twice the cost, never a breach without invocations.
        let (b, n) = (
            workload("f", 100, 512, &pricer),
            workload("f", 200, 512, &pricer),
        );
        let p = pair(("f".into(), &b, &n), &terms, &gates, 0).expect("priced");
        // $1.033335 to $1.86667: +80.6%, from 1M requests at $0.20 and 50,000 to 100,000 GB-s.
        assert_eq!(p.costs, vec![(1_000_000, dec!(1.033335), dec!(1.86667))]);
        assert_eq!(
            p.verdicts,
            vec![
                Verdict::Unreliable {
                    threshold: slower,
                    base_count: 0,
                    new_count: 0
                },
                Verdict::CostUnreliable {
                    requests: 1_000_000,
                    change_pct: pct_change(dec!(1.033335), dec!(1.86667)).expect("change"),
                }
            ]
        );
        assert_eq!(p.breaches().count(), 0);
        let mut grown = p.clone();
        grown.memory = Some((100, 120));
        let gates = Gates {
            memory_above_pct: Some(dec!(10)),
            ..gates
        };
        let v = verdicts(&grown, &gates);
        assert_eq!(
            v.last(),
            Some(&Verdict::Memory {
                base_mb: 100,
                new_mb: 120,
                change_pct: dec!(20),
                limit_pct: dec!(10)
            })
        );
        assert!(v.last().is_some_and(Verdict::breaks));
    }
}
