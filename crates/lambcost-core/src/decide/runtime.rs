//! Figures measured on a managed runtime AWS has since deprecated: which runtime the mode
//! deploys on instead, and whether the data holds the same build measured there.
//!
//! A deprecated runtime gets no more security patches, so an answer never tells a team to
//! ship on one: it names the supported runtime of the same mode and says that the figures
//! were measured on the old one. Where the data measured the same mode and .NET version on
//! the supported runtime, that variant is the answer instead.

use super::decision::{Candidate, Constraints, RuntimeMove};
use crate::format::usd_cents;
use crate::modes::{ManagedRuntime, ModeBook};
use crate::profile::Profile;
use crate::units::Date;

/// The managed runtime `runtime` names, in any mode's list, when AWS deprecated it on or
/// before `date`. Runtimes are shared between modes (an AOT binary can run on `dotnet8`), so
/// every mode's list is searched.
pub(super) fn deprecated<'b>(
    book: &'b ModeBook,
    runtime: &str,
    date: Date,
) -> Option<&'b ManagedRuntime> {
    book.modes
        .values()
        .flat_map(|m| &m.versions.managed)
        .find(|m| m.runtime.as_deref() == Some(runtime) && m.deprecated.is_some_and(|d| d <= date))
}

/// The runtime `mode` deploys on on `date` when its variant's runtime is deprecated: its
/// newest managed runtime that is out and not deprecated (of `version`, when the team asked
/// for one), else the mode's own runtime if that is not deprecated.
fn supported(book: &ModeBook, mode: &str, version: Option<u32>, date: Date) -> Option<String> {
    let mode = book.modes.get(mode)?;
    let managed = mode
        .versions
        .managed
        .iter()
        .filter(|m| {
            m.from.is_none_or(|f| f <= date)
                && m.deprecated.is_none_or(|d| d > date)
                && version.is_none_or(|v| v == m.version)
        })
        .max_by_key(|m| m.version)
        .and_then(|m| m.runtime.clone());
    managed.or_else(|| {
        (deprecated(book, &mode.runtime, date).is_none() && version.is_none())
            .then(|| mode.runtime.clone())
    })
}

/// Whether `p` ran on a deprecated runtime on `date`, and where its mode deploys instead.
pub(super) fn runtime_move(book: &ModeBook, p: &Profile, c: &Constraints) -> Option<RuntimeMove> {
    let old = deprecated(book, &p.runtime, c.date)?;
    Some(RuntimeMove {
        measured_on: p.runtime.clone(),
        version: p.dotnet.unwrap_or(old.version),
        deprecated: old.deprecated?,
        deploy_on: supported(book, &p.mode, c.dotnet_version, c.date),
    })
}

/// Variants that pass but ran on a deprecated runtime, where the same mode, .NET version and
/// architecture also passes measured on the runtime that mode deploys on instead: each ranks
/// right after that counterpart, so that the answer is one a team can deploy. One rule per
/// deprecated runtime says which moved, and what the answer would have been on it.
pub(super) fn prefer_supported(
    book: &ModeBook,
    ranking: &mut Vec<Candidate>,
    c: &Constraints,
) -> Vec<String> {
    // For each candidate: the index of its counterpart on a supported runtime, if it moves.
    let counterpart: Vec<Option<(usize, RuntimeMove)>> = ranking
        .iter()
        .map(|k| {
            let to = runtime_move(book, &k.profile, c).filter(|_| k.passes())?;
            let target = to.deploy_on.clone()?;
            let i = ranking.iter().position(|o| {
                o.passes()
                    && o.profile.mode == k.profile.mode
                    && o.profile.arch == k.profile.arch
                    && o.profile.dotnet == k.profile.dotnet
                    && o.profile.runtime == target
            })?;
            Some((i, to))
        })
        .collect();
    let mut rules = Vec::new();
    let mut runtimes: Vec<&RuntimeMove> = Vec::new();
    for (_, m) in counterpart.iter().flatten() {
        if !runtimes.iter().any(|r| r.measured_on == m.measured_on) {
            runtimes.push(m);
        }
    }
    for m in runtimes {
        let moved: Vec<usize> = (0..ranking.len())
            .filter(|&i| {
                counterpart[i]
                    .as_ref()
                    .is_some_and(|(_, r)| r.measured_on == m.measured_on)
            })
            .collect();
        let names: Vec<String> = moved
            .iter()
            .map(|&i| {
                let j = counterpart[i].as_ref().map_or(i, |(j, _)| *j);
                format!(
                    "{} after {}",
                    ranking[i].profile.label(),
                    ranking[j].profile.label()
                )
            })
            .collect();
        let was = match moved.first() {
            Some(&0) => format!(
                "; on {} the answer would be {} at {} a month",
                m.measured_on,
                ranking[0].profile.label(),
                usd_cents(ranking[0].cost.total_usd())
            ),
            _ => String::new(),
        };
        rules.push(format!(
            "runtime: AWS deprecated {} on {} (no more security patches): a variant measured on it ranks after the same mode and .NET version measured on {} ({}){was}",
            m.measured_on,
            m.deprecated,
            m.runtime(),
            names.join(", ")
        ));
    }
    // Each moved candidate goes right after its counterpart, in the order they ranked.
    let mut order: Vec<usize> = Vec::with_capacity(ranking.len());
    for i in 0..ranking.len() {
        if counterpart[i].is_some() {
            continue;
        }
        order.push(i);
        order.extend(
            (0..ranking.len()).filter(|&k| counterpart[k].as_ref().is_some_and(|(j, _)| *j == i)),
        );
    }
    let mut taken: Vec<Option<Candidate>> = std::mem::take(ranking).into_iter().map(Some).collect();
    ranking.extend(order.into_iter().filter_map(|i| taken[i].take()));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("a date")
    }

    #[test]
    fn a_deprecated_runtime_is_found_in_any_mode_and_only_after_its_date() {
        let book = ModeBook::embedded();
        // dotnet8 is listed under regular and readytorun; an AOT row may run on it too.
        let d = deprecated(&book, "dotnet8", date("2026-11-10")).expect("deprecated");
        assert_eq!(d.version, 8);
        assert!(deprecated(&book, "dotnet8", date("2026-11-09")).is_none());
        assert!(deprecated(&book, "dotnet10", date("2026-12-07")).is_none());
        assert!(deprecated(&book, "provided.al2023", date("2026-12-07")).is_none());
    }

    #[test]
    fn each_mode_deploys_on_its_newest_supported_runtime() {
        let book = ModeBook::embedded();
        let on = date("2026-12-07");
        assert_eq!(
            supported(&book, "regular", None, on).as_deref(),
            Some("dotnet10")
        );
        assert_eq!(
            supported(&book, "readytorun", None, on).as_deref(),
            Some("dotnet10")
        );
        // NativeAOT lists no managed runtime: its own custom runtime.
        assert_eq!(
            supported(&book, "aot", None, on).as_deref(),
            Some("provided.al2023")
        );
        // A team that asked for .NET 8 has no supported managed runtime of it.
        assert_eq!(supported(&book, "regular", Some(8), on), None);
        // Before dotnet10 came out, nothing newer than dotnet8 existed.
        assert_eq!(
            supported(&book, "regular", None, date("2025-12-01")).as_deref(),
            Some("dotnet8")
        );
    }
}
