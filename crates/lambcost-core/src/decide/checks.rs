//! The constraints, one function each: what a mode can run, which .NET versions it runs on a
//! date, the service levels and the budget. Each returns a [`Check`] whose sentence says the
//! number or fact behind the verdict.

use super::decision::{Check, Constraint};
use crate::modes::{Mode, ModeBook};
use crate::profile::Profile;
use crate::units::Date;
use rust_decimal::Decimal;

/// Checks the mode's capabilities against the features used: what each feature needs, what
/// the mode has (with the practices declared), and which practices would close the gap.
pub(super) fn capability_check(
    book: &ModeBook,
    profile: &Profile,
    mode: Option<&Mode>,
    uses: &[String],
    evidence: &std::collections::BTreeMap<String, String>,
    work: &[String],
) -> Check {
    // A feature as said in a reason: with where the code shows it, when that is known.
    let cited = |feature: &str| match evidence.get(feature) {
        Some(at) => format!("{feature} ({at})"),
        None => feature.to_string(),
    };
    let Some(mode) = mode else {
        let known: Vec<&str> = book.modes.keys().map(String::as_str).collect();
        return Check {
            constraint: Constraint::Capabilities,
            pass: false,
            detail: format!(
                "{}: mode '{}' is not in the modes file (modes: {})",
                profile.name,
                profile.mode,
                known.join(", ")
            ),
        };
    };
    let gaps = gaps(book, mode, uses);
    if gaps.is_empty() && !work.is_empty() {
        return Check {
            constraint: Constraint::Capabilities,
            pass: true,
            detail: format!(
                "{}: runs it after the work the project's findings list ({} item(s), first {})",
                profile.mode,
                work.len(),
                work[0]
            ),
        };
    }
    if gaps.is_empty() {
        return Check {
            constraint: Constraint::Capabilities,
            pass: true,
            detail: if uses.is_empty() {
                "no special feature named (--uses): every mode runs the function".to_string()
            } else {
                format!(
                    "{}: runs {}",
                    profile.mode,
                    uses.iter().map(|u| cited(u)).collect::<Vec<_>>().join(", ")
                )
            },
        };
    }
    let said: Vec<String> = gaps
        .iter()
        .map(|g| {
            format!(
                "{} need{} {} {} ({} has {})",
                g.by.iter()
                    .map(|u| cited(u))
                    .collect::<Vec<_>>()
                    .join(" and "),
                if g.by.len() == 1 { "s" } else { "" },
                g.capability,
                g.needed.as_str(),
                profile.mode,
                g.has.as_str()
            )
        })
        .collect();
    // Practices are worth naming only when they close every gap: a mode that cannot load
    // assemblies at run time stays out whatever the JSON serializer.
    let mut practices: Vec<&str> = Vec::new();
    let closes_all = gaps
        .iter()
        .all(|g| match mode.capability_with_practices.get(g.capability) {
            Some(up) if up.level >= g.needed => {
                for p in &up.practices {
                    if !practices.contains(&p.as_str()) {
                        practices.push(p);
                    }
                }
                true
            }
            _ => false,
        });
    // Only the practices not declared yet are worth asking for.
    practices.retain(|p| !uses.iter().any(|u| u == p));
    let hint = if closes_all && !practices.is_empty() {
        format!(
            ", unless the code follows {} (declare them with --uses)",
            practices.join(", ")
        )
    } else {
        String::new()
    };
    Check {
        constraint: Constraint::Capabilities,
        pass: false,
        detail: format!("{} ruled out: {}{hint}", profile.mode, said.join("; ")),
    }
}

/// Each capability a mode lacks for the features used, once: the level needed (the highest
/// any feature asks), the features that need it.
fn gaps<'a>(book: &'a ModeBook, mode: &Mode, uses: &'a [String]) -> Vec<Gap<'a>> {
    // Each capability the mode lacks, once: the level needed (the highest any feature asks),
    // the features that need it, and the practices that would lift the mode to it, if any.
    let mut gaps: Vec<Gap<'a>> = Vec::new();
    for used in uses {
        let Some(feature) = book.features.get(used) else {
            continue;
        };
        for (capability, needed) in &feature.needs {
            let has = mode.level(capability, uses);
            if has >= *needed {
                continue;
            }
            match gaps.iter_mut().find(|g| g.capability == capability) {
                Some(g) => {
                    g.needed = g.needed.max(*needed);
                    g.by.push(used);
                }
                None => gaps.push(Gap {
                    capability,
                    needed: *needed,
                    has,
                    by: vec![used],
                }),
            }
        }
    }
    gaps
}

/// A capability a mode lacks for the features used.
struct Gap<'a> {
    capability: &'a str,
    needed: crate::modes::Level,
    has: crate::modes::Level,
    by: Vec<&'a str>,
}

/// Checks that the mode runs the .NET version wanted on the decision's date: on a managed
/// runtime released by then, or on a custom runtime where allowed; and that the variant
/// measured is that version.
pub(super) fn version_check(
    profile: &Profile,
    mode: Option<&Mode>,
    wanted: u32,
    custom_runtime: bool,
    date: Date,
) -> Check {
    let Some(mode) = mode else {
        return Check {
            constraint: Constraint::Version,
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
            constraint: Constraint::Version,
            pass: false,
            detail: format!(
                "{mode_detail}; but {} runs .NET {v}, not the .NET {wanted} asked for",
                profile.label()
            ),
        },
        _ => Check {
            constraint: Constraint::Version,
            pass: mode_ok,
            detail: mode_detail,
        },
    }
}

/// Checks a latency against a service level (a measured p99 where samples exist).
pub(super) fn slo_check(
    constraint: Constraint,
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

/// Checks the month's total against the budget.
pub(super) fn budget_check(name: &str, total: Decimal, budget: Decimal, requests: u64) -> Check {
    let pass = total <= budget;
    Check {
        constraint: Constraint::Budget,
        pass,
        detail: format!(
            "{name}: {} a month at {}, budget {}: {}",
            crate::format::usd_cents(total),
            crate::format::short_count(requests),
            crate::format::usd_cents(budget),
            if pass {
                "pass".to_string()
            } else {
                format!("over by {}", crate::format::usd_cents(total - budget))
            }
        ),
    }
}
