//! What a diff says in words: each threshold's verdict, a phase's, changes and intervals.

use lambcost_core::diff::{self, Metric, Phase, PhaseChange};
use lambcost_core::format::{grouped, short_count};
use lambcost_core::gate::{Pair, PhaseVerdict, Verdict};
use rust_decimal::Decimal;

/// What a threshold said of a pair, in a sentence (after the variant's name).
pub(super) fn sentence(v: &Verdict, alpha: f64) -> String {
    let named = |t: &diff::Threshold| label(t.phase, t.metric);
    match v {
        Verdict::Slower {
            threshold: t,
            change,
            lower,
        } => format!(
            "{} {} (limit {}%; at alpha {alpha} it grew by at least {})",
            named(t),
            signed_pct(*change),
            t.pct,
            signed_pct(*lower)
        ),
        Verdict::NoInvocations(t) => format!(
            "{}: no {} invocations on both sides, not gated",
            named(t),
            t.phase.as_str()
        ),
        Verdict::Unreliable {
            threshold: t,
            base_count,
            new_count,
        } => format!(
            "{}: {base_count} and {new_count} invocations, fewer than {} a side: unreliable, not gated",
            named(t),
            diff::MIN_SAMPLES
        ),
        Verdict::WithinNoise {
            threshold: t,
            change,
            lower,
        } => format!(
            "{} {}, past {}% but within the noise (at alpha {alpha} it grew by at least {}): not gated",
            named(t),
            signed_pct(*change),
            t.pct,
            signed_pct(*lower)
        ),
        Verdict::Faster(t) => format!("{}: significantly faster", named(t)),
        Verdict::Within {
            threshold: t,
            base_count,
            new_count,
            detect_from,
        } => format!(
            "{}: within {}% ({} and {} invocations){}",
            named(t),
            t.pct,
            grouped(Decimal::from(*base_count), 0),
            grouped(Decimal::from(*new_count), 0),
            detect_from.map_or_else(String::new, |n| format!(
                "; a {}% slowdown throughout is detected with 80% power from about {} a side",
                t.pct.max(1.0),
                grouped(Decimal::from(n), 0)
            ))
        ),
        Verdict::Cost {
            requests,
            change_pct,
            limit_pct,
        } => format!("{} (limit {limit_pct}%)", cost_said(*requests, *change_pct)),
        Verdict::CostUnreliable {
            requests,
            change_pct,
        } => format!(
            "{}, from fewer than {} invocations a side: not gated",
            cost_said(*requests, *change_pct),
            diff::MIN_SAMPLES
        ),
        Verdict::CostNotLonger {
            requests,
            change_pct,
        } => format!(
            "{}, but no significantly longer invocation behind it: not gated",
            cost_said(*requests, *change_pct)
        ),
        Verdict::Memory {
            base_mb,
            new_mb,
            change_pct,
            limit_pct,
        } => format!(
            "peak memory {base_mb} → {new_mb} MB, {} (limit {limit_pct}%)",
            signed_decimal_pct(*change_pct)
        ),
    }
}

/// `cost at 10M +12.0%`.
pub(super) fn cost_said(requests: u64, change_pct: Decimal) -> String {
    format!(
        "cost at {} {}",
        short_count(requests),
        signed_decimal_pct(change_pct)
    )
}

/// The sentences of a pair's breaches, and of the thresholds that did not break.
pub(super) fn said(p: &Pair<'_>, alpha: f64) -> (Vec<String>, Vec<String>) {
    let (breaches, quiet): (Vec<&Verdict>, Vec<&Verdict>) =
        p.verdicts.iter().partition(|v| v.breaks());
    let words = |list: Vec<&Verdict>| list.into_iter().map(|v| sentence(v, alpha)).collect();
    (words(breaches), words(quiet))
}

pub(super) fn label(phase: Phase, metric: Metric) -> String {
    format!("{} {}", phase.as_str(), metric.as_str())
}

pub(super) fn signed_pct(change: f64) -> String {
    format!("{:+.1}%", change * 100.0)
}

pub(super) fn signed_decimal_pct(change: Decimal) -> String {
    let r = change.round_dp(1);
    if r >= Decimal::ZERO {
        format!("+{r:.1}%")
    } else {
        format!("{r:.1}%")
    }
}

/// A phase's verdict in words.
pub(super) fn verdict(c: &PhaseChange) -> &'static str {
    match PhaseVerdict::of(c) {
        PhaseVerdict::FiguresOnly => "figures only: not tested",
        PhaseVerdict::Unreliable => "unreliable (too few)",
        PhaseVerdict::Slower => "slower",
        PhaseVerdict::Faster => "faster",
        PhaseVerdict::Unchanged => "no significant change",
    }
}

pub(super) fn interval(i: Option<(f64, f64)>) -> String {
    i.map_or_else(String::new, |(lo, hi)| {
        format!("{:+.1}% to {:+.1}%", lo * 100.0, hi * 100.0)
    })
}
