//! Ordering the candidates: those that pass every constraint first, in the objective's
//! order; a cost difference within the measurements' uncertainty is a tie, broken by risk;
//! every reason said once.

use super::decision::{Candidate, Check, Constraint, Constraints};
use crate::modes::{ModeBook, Objective};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// Sorts `candidates`: passing first, then by the objective; failing ones nearest to passing
/// first (a mode that cannot run the code is further off than a missed service level, which
/// a setting may fix). Names break what is left, so the order never depends on the input's.
pub(super) fn rank(candidates: &mut [Candidate], objective: Objective, stepping: Option<&str>) {
    let misses = |c: &Candidate| {
        let failed = c.checks.iter().filter(|k| !k.pass);
        let hard = failed.clone().filter(|k| k.constraint.is_hard()).count();
        (hard, failed.count())
    };
    candidates.sort_by(|a, b| {
        let fail_a = misses(a);
        let fail_b = misses(b);
        let by_cost = a.cost.total_usd().cmp(&b.cost.total_usd());
        fail_a
            .cmp(&fail_b)
            .then_with(|| match objective {
                Objective::Cost => by_cost.then(a.risk.cmp(&b.risk)),
                Objective::Iteration => a.risk.cmp(&b.risk).then(by_cost),
                Objective::SteppingStone => {
                    let sa = Some(a.profile.mode.as_str()) != stepping;
                    let sb = Some(b.profile.mode.as_str()) != stepping;
                    sa.cmp(&sb).then(by_cost)
                }
            })
            .then_with(|| a.profile.name.cmp(&b.profile.name))
    });
}

/// When the two cheapest passing candidates differ by less than their costs' uncertainty,
/// the less risky goes first; the rule that says so, if it fired.
pub(super) fn break_tie(candidates: &mut [Candidate], book: &ModeBook) -> Option<String> {
    let [a, b, ..] = candidates else {
        return None;
    };
    if !(a.passes() && b.passes()) {
        return None;
    }
    // The gap is money, exact; the uncertainty is a statistic of the samples, compared with
    // it and printed, never priced.
    let gap = b.cost.total_usd() - a.cost.total_usd();
    let noise = a.cost_uncertainty_usd.hypot(b.cost_uncertainty_usd);
    if !(noise.is_finite() && gap.to_f64().is_some_and(|g| g <= noise)) {
        return None;
    }
    let note = format!(
        "tie: {} and {} differ by {} a month, within the measurements' uncertainty ({}); ",
        a.profile.name,
        b.profile.name,
        crate::format::usd_cents(gap),
        crate::format::usd_cents(Decimal::from_f64(noise).unwrap_or_default())
    );
    if b.risk < a.risk {
        let rule = format!(
            "{note}broken by risk: {} (risk {}, builds {}x) over {} (risk {})",
            b.profile.mode,
            b.risk,
            build_time(book, &b.profile.mode),
            a.profile.mode,
            a.risk
        );
        candidates.swap(0, 1);
        Some(rule)
    } else {
        Some(format!(
            "{note}kept {} (risk {} against {})",
            a.profile.mode, a.risk, b.risk
        ))
    }
}

/// The objective, in a sentence.
pub(super) fn objective_rule(
    objective: Objective,
    stepping: Option<&str>,
    requests: u64,
) -> String {
    match objective {
        Objective::Iteration => {
            "objective: iteration speed first (least build time and migration risk), then cost"
                .to_string()
        }
        Objective::SteppingStone => format!(
            "objective: the low-risk stepping stone ({}) where it passes, then cost",
            stepping.unwrap_or_default()
        ),
        Objective::Cost => format!(
            "objective: the cheapest at {} a month among the variants that pass",
            crate::format::short_count(requests)
        ),
    }
}

/// Every check's sentence, in ranking order, each said once (a mode's capability verdict is
/// the same for each of its variants), with the service levels and the budget said as how
/// many variants pass each and which fail: 48 variants that pass give one line, not 48. The
/// sentences of the checks passed come second, for whoever asks for every one.
pub(super) fn reasons(candidates: &[Candidate], c: &Constraints) -> (Vec<String>, Vec<String>) {
    let mut said: Vec<String> = Vec::new();
    let mut passed: Vec<String> = Vec::new();
    let summed = [
        Constraint::ColdStartSlo,
        Constraint::P99Slo,
        Constraint::Budget,
    ];
    for (constraint, label) in summed.iter().zip(levels(c)) {
        let checks: Vec<&Check> = candidates
            .iter()
            .flat_map(|v| v.checks.iter().filter(|k| k.constraint == *constraint))
            .collect();
        let pass = checks.iter().filter(|k| k.pass).count();
        let verb = if pass == 1 { "passes" } else { "pass" };
        match (pass, checks.len()) {
            (0, _) => {}
            (1, 1) => said.push(format!("the one variant passes {label}")),
            (p, n) if p == n => said.push(format!("all {n} variants pass {label}")),
            (p, n) => said.push(format!("{p} of {n} variants {verb} {label}")),
        }
        passed.extend(checks.iter().filter(|k| k.pass).map(|k| k.detail.clone()));
    }
    for check in candidates.iter().flat_map(|v| v.checks.iter()) {
        if summed.contains(&check.constraint) {
            if !check.pass {
                said.push(check.detail.clone());
            }
            continue;
        }
        // "<a mode's fact>; but <a variant's own>": once the fact is said, only the rest.
        let reason = match check.detail.split_once("; but ") {
            Some((fact, own)) if said.iter().any(|s| s == fact) => own.to_string(),
            Some((fact, own)) => {
                said.push(fact.to_string());
                own.to_string()
            }
            None => check.detail.clone(),
        };
        if !said.contains(&reason) {
            said.push(reason);
        }
    }
    (said, passed)
}

/// What each summed check holds the variants to: the cold-start SLO, the warm one, the
/// budget.
fn levels(c: &Constraints) -> [String; 3] {
    let ms = |v: Option<f64>| {
        v.map_or(String::new(), |v| {
            format!(" of {}", crate::format::ms_or_s(v))
        })
    };
    [
        format!("the cold-start SLO{}", ms(c.cold_start_slo_ms)),
        format!("the warm p99 SLO{}", ms(c.p99_slo_ms)),
        format!(
            "the budget{}",
            c.budget_usd.map_or(String::new(), |b| format!(
                " of {} a month at {}",
                crate::format::usd_cents(b),
                crate::format::short_count(c.requests)
            ))
        ),
    ]
}

/// A mode's build time relative to the reference mode: `1`, `2-5`.
fn build_time(book: &ModeBook, mode: &str) -> String {
    book.modes.get(mode).map_or("?".to_string(), |m| {
        if m.build_time.min == m.build_time.max {
            crate::format::trim3(m.build_time.min)
        } else {
            format!(
                "{}-{}",
                crate::format::trim3(m.build_time.min),
                crate::format::trim3(m.build_time.max)
            )
        }
    })
}
