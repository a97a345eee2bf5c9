//! The decision engine: from build-mode facts, a workload's needs, its service levels, its
//! traffic and measured numbers, which variant to ship, with every reason shown.
//!
//! Hard constraints first (a mode that cannot run the workload is out), then the service levels
//! (cold start, warm p99), then the cost at the traffic level and the budget. Among the
//! variants that pass, the objective decides (the cheapest by default); a cost difference
//! within the measurements' uncertainty is a tie, broken by risk. When nothing passes, it says
//! so and prices what would meet the service levels without changing the build mode.
//!
//! Pure and deterministic: the same inputs give the same decision.

use crate::compare::{self, ShareSource};
use crate::cost::{MonthlyCost, OutOfRange, PcOverflow, Pricer, Provisioned, SnapStart};
use crate::modes::{Mode, ModeBook, Objective};
use crate::profile::Profile;
use crate::traffic::TrafficModel;
use crate::units::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// What the workload needs and expects.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraints {
    /// Invocations a month.
    pub requests: u64,
    /// Longest acceptable cold start, ms.
    pub cold_start_slo_ms: Option<f64>,
    /// Longest acceptable warm p99, ms.
    pub p99_slo_ms: Option<f64>,
    /// Most the function may cost a month.
    pub budget_usd: Option<Decimal>,
    /// Features the code uses or practices it follows.
    pub uses: Vec<String>,
    /// The .NET major version the team wants to run.
    pub dotnet_version: Option<u32>,
    /// Whether a managed mode may run as a self-contained custom runtime.
    pub custom_runtime: bool,
    /// How passing variants are ranked.
    pub objective: Objective,
    /// Share of cold invocations, when the scenario or the user sets it.
    pub cold_start_rate: Option<Decimal>,
    /// The day the decision is made for: which managed runtimes Lambda offers then.
    pub date: Date,
}

/// One constraint checked against one variant.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// `capabilities`, `version`, `cold_start_slo`, `p99_slo` or `budget`.
    pub constraint: &'static str,
    /// Whether the variant meets it.
    pub pass: bool,
    /// The number or fact behind it, in a sentence.
    pub detail: String,
}

/// A variant as the engine saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The variant.
    pub profile: Profile,
    /// The cold start the service level is checked against (p99 where samples exist).
    pub cold_start_ms: Option<f64>,
    /// The warm latency checked (p99 where samples exist).
    pub warm_p99_ms: Option<f64>,
    /// The month's bill at the traffic level.
    pub cost: MonthlyCost,
    /// Half-width of the 95% interval of the total.
    pub cost_uncertainty_usd: f64,
    /// Share of cold invocations assumed, and where it came from.
    pub cold_start_rate: (Decimal, ShareSource),
    /// Every constraint, checked.
    pub checks: Vec<Check>,
    /// The mode's risk (from the modes file; unknown modes are the riskiest).
    pub risk: u32,
}

impl Candidate {
    /// Whether every constraint holds.
    pub fn passes(&self) -> bool {
        self.checks.iter().all(|c| c.pass)
    }
}

/// What would meet the service levels without changing the build mode.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Remedy {
    /// The variant it applies to.
    pub variant: String,
    /// `provisioned-concurrency` or `snapstart`.
    pub kind: &'static str,
    /// Provisioned environments, for Provisioned Concurrency.
    pub environments: Option<u32>,
    /// The month's total with it.
    pub total_usd: Decimal,
    /// Of which the remedy itself.
    pub remedy_usd: Decimal,
    /// What it does and what must still be measured.
    pub note: String,
}

/// The engine's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Every variant, best first: those that pass, in the objective's order, then the rest.
    pub ranking: Vec<Candidate>,
    /// Whether the first of the ranking passes every constraint.
    pub satisfiable: bool,
    /// Every rule that fired, with its number.
    pub rules: Vec<String>,
    /// What the recommended mode brings.
    pub warnings: Vec<String>,
    /// What would meet the constraints otherwise, when nothing passes.
    pub remedies: Vec<Remedy>,
}

impl Decision {
    /// The recommended variant, if any passes.
    pub fn recommended(&self) -> Option<&Candidate> {
        self.ranking.first().filter(|c| c.passes())
    }
}

/// Checks the mode's capabilities against the features used.
fn capability_check(
    book: &ModeBook,
    profile: &Profile,
    mode: Option<&Mode>,
    uses: &[String],
) -> Check {
    let Some(mode) = mode else {
        let known: Vec<&str> = book.modes.keys().map(String::as_str).collect();
        return Check {
            constraint: "capabilities",
            pass: false,
            detail: format!(
                "{}: mode '{}' is not in the modes file (modes: {})",
                profile.name,
                profile.mode,
                known.join(", ")
            ),
        };
    };
    let mut missing = Vec::new();
    for used in uses {
        let Some(feature) = book.features.get(used) else {
            continue;
        };
        for (capability, needed) in &feature.needs {
            let has = mode.level(capability, uses);
            if has < *needed {
                let hint = match mode.capability_with_practices.get(capability) {
                    Some(up) if up.level >= *needed => {
                        format!(" unless {} are declared too", up.practices.join(", "))
                    }
                    _ => String::new(),
                };
                missing.push(format!(
                    "--uses {used} needs {capability} {}; {} has {}{hint}",
                    needed.as_str(),
                    profile.mode,
                    has.as_str()
                ));
            }
        }
    }
    if missing.is_empty() {
        Check {
            constraint: "capabilities",
            pass: true,
            detail: if uses.is_empty() {
                format!("{}: no special feature used", profile.mode)
            } else {
                format!("{}: runs {}", profile.mode, uses.join(", "))
            },
        }
    } else {
        Check {
            constraint: "capabilities",
            pass: false,
            detail: format!("{} ruled out: {}", profile.mode, missing.join("; ")),
        }
    }
}

fn version_check(
    profile: &Profile,
    mode: Option<&Mode>,
    wanted: u32,
    custom_runtime: bool,
    date: Date,
) -> Check {
    let Some(mode) = mode else {
        return Check {
            constraint: "version",
            pass: false,
            detail: format!("{}: mode unknown, so is its .NET version", profile.name),
        };
    };
    let release = mode.versions.managed_on(wanted, date);
    let managed = release.is_some();
    let custom_allowed = mode.is_custom_runtime() || custom_runtime;
    let runs_custom = mode
        .versions
        .custom_runtime
        .is_some_and(|f| wanted >= f.from);
    let mode_ok = managed || (custom_allowed && runs_custom);
    let mode_detail = if let Some(r) = release {
        let since = match (&r.runtime, r.from) {
            (Some(id), Some(from)) => format!(" ({id}, since {from})"),
            (Some(id), None) => format!(" ({id})"),
            (None, Some(from)) => format!(" (since {from})"),
            (None, None) => String::new(),
        };
        let deprecated = match r.deprecated {
            Some(d) if d <= date => format!(
                "; AWS deprecated it on {d} (no more security patches): plan the move to a newer version"
            ),
            _ => String::new(),
        };
        format!(
            "{}: Lambda offers .NET {wanted} as a managed runtime{since}{deprecated}",
            profile.mode
        )
    } else if mode_ok {
        format!(
            "{}: .NET {wanted} runs on a custom runtime (provided.al2023)",
            profile.mode
        )
    } else if runs_custom {
        format!(
            "{} ruled out: on {date} Lambda's managed runtimes offer .NET {}; .NET {wanted} needs a custom runtime (--custom-runtime allows a self-contained deployment)",
            profile.mode,
            mode.versions
                .managed_versions_on(date)
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "{} ruled out: Lambda does not run .NET {wanted} in this mode",
            profile.mode
        )
    };
    match profile.dotnet {
        Some(v) if v != wanted && mode_ok => Check {
            constraint: "version",
            pass: false,
            detail: format!(
                "{mode_detail}; but {} runs .NET {v}, not the .NET {wanted} asked for",
                profile.name
            ),
        },
        _ => Check {
            constraint: "version",
            pass: mode_ok,
            detail: mode_detail,
        },
    }
}

fn slo_check(
    constraint: &'static str,
    what: &str,
    name: &str,
    value: Option<f64>,
    slo: f64,
) -> Check {
    match value {
        None => Check {
            constraint,
            pass: false,
            detail: format!(
                "{name}: no {what} measured; SLO {}: cannot be checked",
                crate::format::ms_or_s(slo)
            ),
        },
        Some(v) if v <= slo => Check {
            constraint,
            pass: true,
            detail: format!(
                "{name}: {what} {}, SLO {}: pass",
                crate::format::ms_or_s(v),
                crate::format::ms_or_s(slo)
            ),
        },
        Some(v) => Check {
            constraint,
            pass: false,
            detail: format!(
                "{name}: {what} {}, SLO {}: fail by {}",
                crate::format::ms_or_s(v),
                crate::format::ms_or_s(slo),
                crate::format::ms_or_s(v - slo)
            ),
        },
    }
}

/// The uncertainty of a total: from the samples' billed durations, or, for published figures
/// (rounded to the millisecond), half a millisecond of every invocation.
fn uncertainty(
    p: &Profile,
    share: Decimal,
    cost: &MonthlyCost,
    pricer: &Pricer<'_>,
    requests: u64,
) -> f64 {
    if p.measurements.is_some() {
        return compare::cost_half_width(p, share, cost);
    }
    let price = pricer
        .rates(p.arch)
        .duration_tiers
        .first()
        .map_or(0.0, |t| t.usd_per_gb_second.to_f64().unwrap_or(0.0));
    requests as f64 * 0.0005 * f64::from(p.memory_mb) / 1024.0 * price
}

/// Decides among `profiles` under `c`.
///
/// ```
/// use lambcost::cost::{Account, Pricer};
/// use lambcost::decide::{decide, Constraints};
/// use lambcost::modes::{ModeBook, Objective};
/// use lambcost::pricing::PriceBook;
/// use lambcost::profile::Profile;
/// use lambcost::samples::summary;
/// use lambcost::traffic::TrafficModel;
/// use lambcost::variant::DEFAULT_RESULTS_CSV;
///
/// let book = PriceBook::embedded().expect("valid");
/// let account = Account {
///     month_hours: None,
///     gb_seconds: Default::default(),
///     requests: Default::default(),
///     free_tier: false,
///     billing_date: "2026-01-01".parse().expect("a date"),
/// };
/// let pricer = Pricer::new(&book, "us-east-1", account).expect("known region");
/// let variants = summary::read(DEFAULT_RESULTS_CSV.as_bytes(), "deck", book.memory_mb).expect("deck");
/// let profiles: Vec<Profile> = variants.iter().map(|v| Profile::from_variant(v, &pricer)).collect();
/// let modes = ModeBook::embedded().expect("valid");
/// let constraints = Constraints {
///     requests: 10_000_000,
///     cold_start_slo_ms: Some(1000.0),
///     p99_slo_ms: None,
///     budget_usd: None,
///     uses: vec![],
///     dotnet_version: None,
///     custom_runtime: false,
///     objective: Objective::Cost,
///     cold_start_rate: None,
///     date: "2026-01-01".parse().expect("a date"),
/// };
/// let decision = decide(&modes, &profiles, &constraints, &pricer, &TrafficModel::default())
///     .expect("the deck's figures are in range");
/// assert_eq!(decision.recommended().map(|c| c.profile.name.as_str()), Some("aot-net10"));
/// ```
pub fn decide(
    book: &ModeBook,
    profiles: &[Profile],
    c: &Constraints,
    pricer: &Pricer<'_>,
    model: &TrafficModel,
) -> Result<Decision, OutOfRange> {
    let mut rules = Vec::new();
    let mut candidates: Vec<Candidate> = profiles
        .iter()
        .map(|p| {
            let mode = book.modes.get(&p.mode);
            let share = compare::cold_share(p, c.requests, c.cold_start_rate, model);
            let cost = pricer.cost(
                &compare::workload(p, c.requests, share.0, p.memory_mb),
                p.arch,
            )?;
            let cold = p.cold_start.as_ref().map(|f| f.p99_or_figure());
            let warm = p.warm.as_ref().map(|f| f.p99_or_figure());
            let mut checks = vec![capability_check(book, p, mode, &c.uses)];
            if let Some(v) = c.dotnet_version {
                checks.push(version_check(p, mode, v, c.custom_runtime, c.date));
            }
            if let Some(slo) = c.cold_start_slo_ms {
                let what = if p.cold_start.as_ref().is_some_and(|f| f.p99_ms.is_some()) {
                    "cold start p99"
                } else {
                    "cold start"
                };
                checks.push(slo_check("cold_start_slo", what, &p.name, cold, slo));
            }
            if let Some(slo) = c.p99_slo_ms {
                let what = if p.warm.as_ref().is_some_and(|f| f.p99_ms.is_some()) {
                    "warm p99"
                } else {
                    "warm latency"
                };
                checks.push(slo_check("p99_slo", what, &p.name, warm, slo));
            }
            if let Some(budget) = c.budget_usd {
                let total = cost.total_usd();
                let pass = total <= budget;
                checks.push(Check {
                    constraint: "budget",
                    pass,
                    detail: format!(
                        "{}: {} a month at {}, budget {}: {}",
                        p.name,
                        crate::format::usd_cents(total),
                        crate::format::short_count(c.requests),
                        crate::format::usd_cents(budget),
                        if pass {
                            "pass".to_string()
                        } else {
                            format!("over by {}", crate::format::usd_cents(total - budget))
                        }
                    ),
                });
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
        })
        .collect::<Result<_, OutOfRange>>()?;

    // Passing first, then by the objective; failing ones by how many constraints they miss.
    let stepping = book.stepping_stone().map(str::to_string);
    candidates.sort_by(|a, b| {
        let fail_a = a.checks.iter().filter(|k| !k.pass).count();
        let fail_b = b.checks.iter().filter(|k| !k.pass).count();
        let by_cost = a.cost.total_usd().cmp(&b.cost.total_usd());
        fail_a
            .cmp(&fail_b)
            .then_with(|| match c.objective {
                Objective::Cost => by_cost.then(a.risk.cmp(&b.risk)),
                Objective::Iteration => a.risk.cmp(&b.risk).then(by_cost),
                Objective::SteppingStone => {
                    let sa = Some(&a.profile.mode) != stepping.as_ref();
                    let sb = Some(&b.profile.mode) != stepping.as_ref();
                    sa.cmp(&sb).then(by_cost)
                }
            })
            .then_with(|| a.profile.name.cmp(&b.profile.name))
    });

    // A cost difference within the uncertainty is a tie: the less risky variant goes first.
    if c.objective == Objective::Cost
        && candidates.len() > 1
        && candidates[0].passes()
        && candidates[1].passes()
    {
        let (a, b) = (&candidates[0], &candidates[1]);
        let gap = (b.cost.total_usd() - a.cost.total_usd())
            .to_f64()
            .unwrap_or(0.0);
        let noise = a.cost_uncertainty_usd.hypot(b.cost_uncertainty_usd);
        if gap <= noise && gap.is_finite() {
            let note = format!(
                "tie: {} and {} differ by {} a month, within the measurements' uncertainty ({}); ",
                a.profile.name,
                b.profile.name,
                crate::format::usd_cents(Decimal::from_f64(gap).unwrap_or_default()),
                crate::format::usd_cents(Decimal::from_f64(noise).unwrap_or_default())
            );
            if b.risk < a.risk {
                rules.push(format!(
                    "{note}broken by risk: {} (risk {}, builds {}x) over {} (risk {})",
                    b.profile.mode,
                    b.risk,
                    build_time(book, &b.profile.mode),
                    a.profile.mode,
                    a.risk
                ));
                candidates.swap(0, 1);
            } else {
                rules.push(format!(
                    "{note}kept {} (risk {} against {})",
                    a.profile.mode, a.risk, b.risk
                ));
            }
        }
    }
    match c.objective {
        Objective::Iteration => rules.push(
            "objective: iteration speed first (least build time and migration risk), then cost"
                .to_string(),
        ),
        Objective::SteppingStone => rules.push(format!(
            "objective: the low-risk stepping stone ({}) where it passes, then cost",
            stepping.clone().unwrap_or_default()
        )),
        Objective::Cost => rules.push(format!(
            "objective: the cheapest at {} a month among the variants that pass",
            crate::format::short_count(c.requests)
        )),
    }
    for cand in &candidates {
        for check in &cand.checks {
            rules.push(check.detail.clone());
        }
    }
    // A mode's capability verdict is the same for each of its variants: say it once.
    let mut seen = std::collections::HashSet::new();
    rules.retain(|r| seen.insert(r.clone()));
    let satisfiable = candidates.first().is_some_and(Candidate::passes);
    let mut warnings = Vec::new();
    let mut remedies = Vec::new();
    if let Some(best) = candidates.first().filter(|b| b.passes()) {
        if let Some(mode) = book.modes.get(&best.profile.mode) {
            warnings.extend(mode.warnings.iter().cloned());
            if !mode.practices.is_empty() {
                warnings.push(format!(
                    "{} asks for: {}.",
                    mode.title,
                    mode.practices.join("; ")
                ));
            }
        }
        warnings.extend(best.profile.warnings.iter().cloned());
    } else {
        remedies = remedy(book, &candidates, c, pricer)?;
    }
    Ok(Decision {
        ranking: candidates,
        satisfiable,
        rules,
        warnings,
        remedies,
    })
}

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

/// When nothing passes: for the cheapest variant that runs the workload but misses a service
/// level, what Provisioned Concurrency (sized for the traffic) and SnapStart (where its runtime
/// offers it) would cost.
fn remedy(
    book: &ModeBook,
    candidates: &[Candidate],
    c: &Constraints,
    pricer: &Pricer<'_>,
) -> Result<Vec<Remedy>, OutOfRange> {
    let runnable = candidates.iter().filter(|k| {
        k.checks
            .iter()
            .all(|x| x.pass || !matches!(x.constraint, "capabilities" | "version"))
    });
    let Some(base) = runnable.min_by(|a, b| a.cost.total_usd().cmp(&b.cost.total_usd())) else {
        return Ok(Vec::new());
    };
    let p = &base.profile;
    let mut out = Vec::new();
    let month_s = pricer.month_hours().to_f64().unwrap_or(730.0) * 3600.0;
    let warm_s = p.warm.as_ref().map_or(0.1, |w| w.mean_ms / 1000.0);
    let rho = c.requests as f64 / month_s * warm_s;
    // Enough environments that the traffic's concurrency exceeds them rarely (mean + 3 sd).
    let environments = (rho + 3.0 * rho.sqrt()).ceil().max(1.0) as u32;
    let mut w = compare::workload(p, c.requests, base.cold_start_rate.0, p.memory_mb);
    w.provisioned = Some(Provisioned {
        environments,
        hours: pricer.month_hours(),
        traffic_share: Decimal::ONE,
        overflow: PcOverflow::Queue,
    });
    let with_pc = pricer.cost(&w, p.arch)?;
    out.push(Remedy {
        variant: p.name.clone(),
        kind: "provisioned-concurrency",
        environments: Some(environments),
        total_usd: with_pc.total_usd(),
        remedy_usd: with_pc.provisioned_concurrency_usd + with_pc.provisioned_duration_usd,
        note: format!(
            "Provisioned Concurrency for {}: {environments} environment{} kept initialised all month (mean concurrency {rho:.2}), {} a month in all; invocations beyond them still start cold. Its effect on cold starts must be measured.",
            p.name,
            if environments == 1 { "" } else { "s" },
            crate::format::usd_cents(with_pc.total_usd())
        ),
    });
    let runtime = book
        .modes
        .get(&p.mode)
        .map_or(p.runtime.as_str(), |m| m.runtime.as_str());
    let runtime = if p.runtime.is_empty() {
        runtime
    } else {
        p.runtime.as_str()
    };
    if let Some(charged) = pricer.snapstart_support(runtime) {
        let mut w = compare::workload(p, c.requests, base.cold_start_rate.0, p.memory_mb);
        w.snapstart = Some(SnapStart {
            versions: 1,
            hours_active: pricer.month_hours(),
            restore_rate: base.cold_start_rate.0,
            charged,
        });
        let with_snap = pricer.cost(&w, p.arch)?;
        out.push(Remedy {
            variant: p.name.clone(),
            kind: "snapstart",
            environments: None,
            total_usd: with_snap.total_usd(),
            remedy_usd: with_snap.snapstart_cache_usd + with_snap.snapstart_restore_usd,
            note: format!(
                "SnapStart on {runtime} for {}: cache {} and restores {} a month ({} in all, restores billed as long as today's cold starts until measured). How much it shortens the cold start must be measured.",
                p.name,
                crate::format::usd_cents(with_snap.snapstart_cache_usd),
                crate::format::usd_cents(with_snap.snapstart_restore_usd),
                crate::format::usd_cents(with_snap.total_usd())
            ),
        });
    }
    Ok(out)
}
