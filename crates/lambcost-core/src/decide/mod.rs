//! The decision engine: from build-mode facts, a workload's needs, its service levels, its
//! traffic and measured numbers, which variant to ship, with every reason shown.
//!
//! Hard constraints first (a mode that cannot run the workload is out), then the service levels
//! (cold start, warm p99), then the cost at the traffic level and the budget. Among the
//! variants that pass, the objective decides (the cheapest by default); a cost difference
//! within the measurements' uncertainty is a tie, broken by risk. When nothing passes, it says
//! so and prices what would meet the service levels without changing the build mode.
//!
//! The parts, each a function with tests of its own: [`evaluate`] checks one variant against
//! every constraint and prices it; `rank` orders the candidates by the objective; a tie
//! within the measurements' uncertainty is broken by risk; `remedy` prices what would meet
//! the service levels when nothing passes. [`decide`] composes them.
//!
//! Pure and deterministic: the same inputs give the same decision.

mod ask;
mod checks;
mod decision;
mod rank;
mod remedy;
mod runtime;

pub use ask::{Ask, AskError, ProjectEvidence, check, constraints, project_evidence};
pub use decision::{
    Candidate, Check, Constraint, Constraints, Decision, Remedy, RemedyKind, RuntimeMove,
};

use crate::compare;
use crate::cost::{BillError, MonthlyCost, Pricer};
use crate::modes::{ModeBook, Objective};
use crate::profile::Profile;
use crate::traffic::TrafficModel;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The uncertainty of a total: from the samples' billed durations, or, for published figures
/// (rounded to the millisecond), half a millisecond of every invocation.
pub(crate) fn uncertainty(
    p: &Profile,
    share: Decimal,
    cost: &MonthlyCost,
    pricer: &Pricer<'_>,
    requests: u64,
) -> f64 {
    if p.measurements.is_some() {
        return compare::cost_half_width(p, share, cost);
    }
    // A profile is only ever billed on an architecture the region prices: the rates are there.
    let price = pricer
        .rates(p.arch)
        .ok()
        .and_then(|r| r.duration_tiers.first())
        .map_or(0.0, |t| t.usd_per_gb_second.to_f64().unwrap_or(0.0));
    requests as f64 * 0.0005 * f64::from(p.memory_mb) / 1024.0 * price
}

/// One variant checked against every constraint, and priced at the traffic level.
pub fn evaluate(
    book: &ModeBook,
    p: &Profile,
    c: &Constraints,
    pricer: &Pricer<'_>,
    model: &TrafficModel,
) -> Result<Candidate, BillError> {
    let mode = book.modes.get(&p.mode);
    let priced = crate::scenario::on_demand(p, c.requests, c.cold_start_rate, model, pricer)?;
    let (cost, share) = (
        priced.cost,
        (priced.workload.cold_start_rate, priced.source),
    );
    let cold = p.cold_start.as_ref().map(|f| f.p99_or_figure());
    let warm = p.warm.as_ref().map(|f| f.p99_or_figure());
    let work = c.work.get(&p.mode).map_or(&[][..], Vec::as_slice);
    let mut checks = vec![checks::capability_check(
        book,
        p,
        mode,
        &c.uses,
        &c.evidence,
        work,
    )];
    if let Some(v) = c.dotnet_version {
        checks.push(checks::version_check(p, mode, v, c.custom_runtime, c.date));
    }
    if let Some(slo) = c.cold_start_slo_ms {
        let what = if p.cold_start.as_ref().is_some_and(|f| f.p99_ms.is_some()) {
            "cold start p99"
        } else {
            "cold start"
        };
        checks.push(checks::slo_check(
            Constraint::ColdStartSlo,
            what,
            &p.label(),
            cold,
            slo,
        ));
    }
    if let Some(slo) = c.p99_slo_ms {
        let what = if p.warm.as_ref().is_some_and(|f| f.p99_ms.is_some()) {
            "warm p99"
        } else {
            "warm latency"
        };
        checks.push(checks::slo_check(
            Constraint::P99Slo,
            what,
            &p.label(),
            warm,
            slo,
        ));
    }
    if let Some(budget) = c.budget_usd {
        checks.push(checks::budget_check(
            &p.label(),
            cost.total_usd(),
            budget,
            c.requests,
        ));
    }
    Ok(Candidate {
        cost_uncertainty_usd: uncertainty(p, share.0, &cost, pricer, c.requests),
        profile: p.clone(),
        cold_start_ms: cold,
        warm_p99_ms: warm,
        cost,
        cold_start_rate: share,
        checks,
        risk: mode.map_or(u32::MAX, |m| m.risk),
    })
}

/// What the recommended variant's mode asks of a team and what its data says; where it ran
/// on a runtime AWS has deprecated and its mode has no supported one to deploy on, that too
/// (a supported one is named in the answer itself).
fn advice(book: &ModeBook, best: &Candidate, moved: Option<&RuntimeMove>) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(m) = moved.filter(|m| m.deploy_on.is_none()) {
        warnings.push(format!(
            "{} runs on {}, which AWS deprecated on {} (no more security patches), and its mode has no supported runtime for .NET {}.",
            best.profile.name, m.measured_on, m.deprecated, m.version
        ));
    }
    if let Some(mode) = book.modes.get(&best.profile.mode) {
        // What the mode asks for comes first: its warnings point back at those practices.
        if !mode.practices.is_empty() {
            warnings.push(format!(
                "{} asks for: {}.",
                mode.title,
                mode.practices.join("; ")
            ));
        }
        warnings.extend(mode.warnings.iter().cloned());
    }
    warnings.extend(best.profile.warnings.iter().cloned());
    warnings
}

/// Decides among `profiles` under `c`.
///
/// ```
/// use lambcost_core::cost::{Account, Pricer};
/// use lambcost_core::decide::{decide, Constraints};
/// use lambcost_core::modes::{ModeBook, Objective};
/// use lambcost_core::pricing::{Arch, PriceBook};
/// use lambcost_core::profile::Profile;
/// use lambcost_core::traffic::TrafficModel;
/// use lambcost_core::variant::Variant;
/// use rust_decimal::Decimal;
///
/// let book = PriceBook::embedded();
/// let account = Account {
///     month_hours: None,
///     gb_seconds: Default::default(),
///     requests: Default::default(),
///     free_tier: false,
///     billing_date: "2026-01-01".parse().expect("a date"),
///     savings_plan: Decimal::ZERO,
/// };
/// let pricer = Pricer::new(&book, "us-east-1", account).expect("known region");
/// // Two of the deck's rows: Regular at 512 MB, NativeAOT at 256 MB.
/// let row = |name: &str, mode: &str, runtime: &str, memory_mb: u32, cold: i64, warm: i64| Variant {
///     name: name.into(),
///     mode: mode.into(),
///     dotnet: Some(9),
///     runtime: runtime.into(),
///     arch: Arch::X86_64,
///     memory_mb,
///     cold_start_ms: Decimal::from(cold),
///     warm_ms: Decimal::from(warm),
///     max_memory_used_mb_min: 40,
///     max_memory_used_mb_max: 90,
///     note: None,
/// };
/// let profiles: Vec<Profile> = [
///     row("regular-net8", "regular", "dotnet8", 512, 6680, 91),
///     row("aot-net9", "aot", "provided.al2023", 256, 1006, 14),
/// ]
/// .iter()
/// .map(|v| Profile::from_variant(v, &pricer))
/// .collect();
/// let modes = ModeBook::embedded();
/// let constraints = Constraints {
///     requests: 10_000_000,
///     cold_start_slo_ms: Some(1500.0),
///     p99_slo_ms: None,
///     budget_usd: None,
///     uses: vec![],
///     evidence: Default::default(),
///     dotnet_version: None,
///     custom_runtime: false,
///     objective: Objective::Cost,
///     cold_start_rate: Default::default(),
///     date: "2026-01-01".parse().expect("a date"),
///     work: Default::default(),
/// };
/// let decision = decide(&modes, &profiles, &constraints, &pricer, &TrafficModel::default())
///     .expect("the deck's figures are in range");
/// assert_eq!(decision.recommended().map(|c| c.profile.name.as_str()), Some("aot-net9"));
/// ```
pub fn decide(
    book: &ModeBook,
    profiles: &[Profile],
    c: &Constraints,
    pricer: &Pricer<'_>,
    model: &TrafficModel,
) -> Result<Decision, BillError> {
    let mut candidates = profiles
        .iter()
        .map(|p| evaluate(book, p, c, pricer, model))
        .collect::<Result<Vec<_>, _>>()?;
    let stepping = book.stepping_stone();
    rank::rank(&mut candidates, c.objective, stepping);
    let mut rules = Vec::new();
    if c.objective == Objective::Cost {
        rules.extend(rank::break_tie(&mut candidates, book));
    }
    rules.push(rank::objective_rule(c.objective, stepping, c.requests));
    let (reasons, passes) = rank::reasons(&candidates, c);
    rules.extend(reasons);
    rules.extend(runtime::prefer_supported(book, &mut candidates, c));
    let work: Vec<String> = candidates
        .first()
        .filter(|b| b.passes())
        .and_then(|b| c.work.get(&b.profile.mode))
        .cloned()
        .unwrap_or_default();
    if let Some(best) = candidates
        .first()
        .filter(|b| b.passes() && !work.is_empty())
    {
        rules.push(work_rule(best, &candidates, c, work.len()));
    }
    let satisfiable = candidates.first().is_some_and(Candidate::passes);
    let best = candidates.first().filter(|b| b.passes());
    let moved = best.and_then(|b| runtime::runtime_move(book, &b.profile, c));
    let (warnings, remedies) = match best {
        Some(best) => (advice(book, best, moved.as_ref()), Vec::new()),
        None => (Vec::new(), remedy::remedies(book, &candidates, c, pricer)?),
    };
    Ok(Decision {
        ranking: candidates,
        satisfiable,
        rules,
        passes,
        warnings,
        remedies,
        work,
        runtime: moved,
    })
}

/// The work the recommended mode needs, costed against the cheapest variant that passes
/// without any.
fn work_rule(best: &Candidate, ranking: &[Candidate], c: &Constraints, items: usize) -> String {
    let at = crate::format::short_count(c.requests);
    let price = crate::format::usd_cents(best.cost.total_usd());
    let free = ranking
        .iter()
        .skip(1)
        .find(|k| k.passes() && c.work.get(&k.profile.mode).is_none_or(Vec::is_empty));
    match free {
        Some(k) => format!(
            "work: {} ships after {items} item(s) of work the project needs (listed); at {at} a month it costs {price} against {} for {}, which needs none: {} a month for the work",
            best.profile.mode,
            crate::format::usd_cents(k.cost.total_usd()),
            k.profile.name,
            crate::format::usd_cents(k.cost.total_usd() - best.cost.total_usd())
        ),
        None => format!(
            "work: {} ships after {items} item(s) of work the project needs (listed); no variant that needs none passes",
            best.profile.mode
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{book, pricer};

    use crate::pricing::Arch;
    use crate::share::ShareChoice;
    use crate::variant::Variant;
    use rust_decimal_macros::dec;

    /// A summary-table variant: `cold` is its cold start, INIT included.
    fn variant(
        name: &str,
        mode: &str,
        runtime: &str,
        memory_mb: u32,
        cold: u32,
        warm: u32,
    ) -> Variant {
        Variant {
            name: name.to_string(),
            mode: mode.to_string(),
            dotnet: Some(8),
            runtime: runtime.to_string(),
            arch: Arch::X86_64,
            memory_mb,
            cold_start_ms: Decimal::from(cold),
            warm_ms: Decimal::from(warm),
            max_memory_used_mb_min: 40,
            max_memory_used_mb_max: 90,
            note: None,
        }
    }

    fn deck(pricer: &Pricer<'_>) -> Vec<Profile> {
        [
            variant("regular", "regular", "dotnet8", 512, 6680, 91),
            variant("r2r", "readytorun", "dotnet8", 512, 4389, 99),
            variant("aot", "aot", "provided.al2023", 256, 1006, 14),
        ]
        .iter()
        .map(|v| Profile::from_variant(v, pricer))
        .collect()
    }

    fn constraints() -> Constraints {
        Constraints {
            requests: 10_000_000,
            cold_start_slo_ms: None,
            p99_slo_ms: None,
            budget_usd: None,
            uses: Vec::new(),
            evidence: Default::default(),
            dotnet_version: None,
            custom_runtime: false,
            objective: Objective::Cost,
            cold_start_rate: ShareChoice::Given(Decimal::ZERO),
            date: "2026-06-01".parse().expect("date"),
            work: Default::default(),
        }
    }

    fn names(d: &Decision) -> Vec<&str> {
        d.ranking.iter().map(|c| c.profile.name.as_str()).collect()
    }

    #[test]
    fn the_cheapest_that_passes_wins_and_failures_rank_last() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        let mut c = constraints();
        // Plugins rule AOT out: of the two that remain, Regular is cheaper (91 ms vs 99 ms).
        c.uses = vec!["plugins".to_string()];
        let d = decide(&modes, &deck(&p), &c, &p, &TrafficModel::default()).expect("priced");
        assert_eq!(names(&d), ["regular", "r2r", "aot"]);
        assert!(d.satisfiable);
        let aot = &d.ranking[2];
        let failed: Vec<Constraint> = aot
            .checks
            .iter()
            .filter(|k| !k.pass)
            .map(|k| k.constraint)
            .collect();
        assert_eq!(failed, [Constraint::Capabilities]);
        assert!(d.remedies.is_empty());
    }

    #[test]
    fn each_objective_orders_the_passing_variants_its_own_way() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        let profiles = deck(&p);
        let mut candidates: Vec<Candidate> = profiles
            .iter()
            .map(|x| evaluate(&modes, x, &constraints(), &p, &TrafficModel::default()))
            .collect::<Result<_, _>>()
            .expect("priced");
        rank::rank(&mut candidates, Objective::Cost, modes.stepping_stone());
        let order = |c: &[Candidate]| c.iter().map(|x| x.profile.name.clone()).collect::<Vec<_>>();
        assert_eq!(order(&candidates), ["aot", "regular", "r2r"]);
        // Iteration: the least risky first (risk 0, 1, 2 in the modes file).
        rank::rank(
            &mut candidates,
            Objective::Iteration,
            modes.stepping_stone(),
        );
        assert_eq!(order(&candidates), ["regular", "r2r", "aot"]);
        // The stepping stone where it passes, then cost.
        rank::rank(
            &mut candidates,
            Objective::SteppingStone,
            modes.stepping_stone(),
        );
        assert_eq!(order(&candidates), ["r2r", "aot", "regular"]);
    }

    #[test]
    fn a_tie_within_the_uncertainty_goes_to_the_less_risky_mode() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        // At 91 ms, AOT at 510 MB is $0.03 cheaper than Regular at 512 MB (10M x 0.091 s x
        // 2/1024 GB x $0.0000166667), within the $0.06 the published figures' rounding
        // leaves: a tie, and Regular's lower risk wins it.
        let profiles: Vec<Profile> = [
            variant("aot", "aot", "provided.al2023", 510, 1006, 91),
            variant("regular", "regular", "dotnet8", 512, 6680, 91),
        ]
        .iter()
        .map(|v| Profile::from_variant(v, &p))
        .collect();
        let d = decide(
            &modes,
            &profiles,
            &constraints(),
            &p,
            &TrafficModel::default(),
        )
        .expect("priced");
        assert_eq!(names(&d), ["regular", "aot"]);
        assert!(
            d.rules[0].starts_with("tie: aot and regular differ by $0.03 a month"),
            "{:?}",
            d.rules
        );
        assert!(
            d.rules[0].contains("broken by risk: regular (risk 0, builds 1x) over aot (risk 2)")
        );
    }

    #[test]
    fn a_gap_beyond_the_uncertainty_is_no_tie() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        let mut candidates: Vec<Candidate> = deck(&p)
            .iter()
            .map(|x| evaluate(&modes, x, &constraints(), &p, &TrafficModel::default()))
            .collect::<Result<_, _>>()
            .expect("priced");
        rank::rank(&mut candidates, Objective::Cost, None);
        // AOT costs $2.59, Regular $9.58: seven dollars apart, half a cent of uncertainty.
        assert_eq!(rank::break_tie(&mut candidates, &modes), None);
        assert_eq!(candidates[0].profile.name, "aot");
    }

    #[test]
    fn when_nothing_passes_the_remedies_are_priced_for_the_cheapest_that_runs_it() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        let mut c = constraints();
        c.uses = vec!["plugins".to_string()];
        c.cold_start_slo_ms = Some(1000.0);
        let d = decide(&modes, &deck(&p), &c, &p, &TrafficModel::default()).expect("priced");
        assert!(!d.satisfiable);
        assert!(d.recommended().is_none());
        assert!(d.warnings.is_empty());
        // Regular is the cheapest that can load plugins; dotnet8 offers SnapStart.
        let kinds: Vec<(RemedyKind, &str)> = d
            .remedies
            .iter()
            .map(|r| (r.kind, r.variant.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (RemedyKind::ProvisionedConcurrency, "regular"),
                (RemedyKind::SnapStart, "regular")
            ]
        );
        // 10M x 91 ms over a 730-hour month: 0.35 in flight; mean + 3 sd rounds up to 3.
        assert_eq!(d.remedies[0].environments, Some(3));
        // By hand: the fee, 3 x 0.5 GB x 2,628,000 s x $0.0000041667 = $16.4251314; the
        // invocations that find one of the 3 free, 1 - B(3, 0.3462709) = 1 - 0.00489678 (Erlang
        // B), x 10M x 0.091 s x 0.5 GB x $0.0000097222 = $4.40193959.
        let pc = d.remedies[0].remedy_usd;
        assert!((pc - dec!(20.82707099)).abs() < dec!(0.00000001), "{pc}");
        // SnapStart on dotnet8: one version's cache all month, 0.5 GB x 2,628,000 s x
        // $0.0000015046; no cold starts in these constraints, so no restores.
        assert_eq!(d.remedies[1].remedy_usd, dec!(1.9770444));
    }

    #[test]
    fn a_budget_and_a_service_level_say_their_numbers() {
        let pass = checks::budget_check("aot", dec!(2.59), dec!(5), 10_000_000);
        assert!(pass.pass);
        assert_eq!(pass.detail, "aot: $2.59 a month at 10M, budget $5.00: pass");
        let fail = checks::budget_check("regular", dec!(9.58), dec!(5), 10_000_000);
        assert_eq!(
            fail.detail,
            "regular: $9.58 a month at 10M, budget $5.00: over by $4.58"
        );
        let slo = checks::slo_check(
            Constraint::ColdStartSlo,
            "cold start",
            "r2r",
            Some(4389.0),
            1000.0,
        );
        assert!(!slo.pass);
        assert_eq!(
            slo.detail,
            "r2r: cold start 4.389 s, SLO 1 s: fail by 3.389 s"
        );
        let none = checks::slo_check(Constraint::P99Slo, "warm p99", "x", None, 50.0);
        assert!(!none.pass);
        assert!(none.detail.contains("cannot be checked"));
    }

    #[test]
    fn every_reason_is_said_once() {
        let book = book();
        let p = pricer(&book);
        let modes = ModeBook::embedded();
        let twice: Vec<Profile> = [
            variant("aot-a", "aot", "provided.al2023", 256, 1006, 14),
            variant("aot-b", "aot", "provided.al2023", 256, 951, 17),
        ]
        .iter()
        .map(|v| Profile::from_variant(v, &p))
        .collect();
        let candidates: Vec<Candidate> = twice
            .iter()
            .map(|x| evaluate(&modes, x, &constraints(), &p, &TrafficModel::default()))
            .collect::<Result<_, _>>()
            .expect("priced");
        // Both AOT variants have the same capability verdict: one sentence, not two.
        assert_eq!(
            rank::reasons(&candidates, &constraints()).0,
            ["no special feature named (--uses): every mode runs the function"]
        );
    }
}
