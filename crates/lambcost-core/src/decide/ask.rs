//! What the user asks of a decision, turned into its [`Constraints`]: the flags given, a
//! scenario's defaults under them (explicit flags override), and what an assessment of the
//! project says the code uses and follows, mapped onto the modes file's features.

use super::decision::Constraints;
use crate::assess::{self, Assessment};
use crate::modes::{ModeBook, Objective, Scenario};
use crate::share::ShareChoice;
use crate::units::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use std::collections::BTreeMap;

/// What the user asked, flag by flag (`None` where a flag was not given).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ask {
    /// Invocations a month.
    pub requests: u64,
    /// `--cold-start-slo`, ms.
    pub cold_start_slo_ms: Option<f64>,
    /// `--p99-slo`, ms.
    pub p99_slo_ms: Option<f64>,
    /// `--budget-usd`.
    pub budget_usd: Option<Decimal>,
    /// `--uses`.
    pub uses: Vec<String>,
    /// `--dotnet-version`.
    pub dotnet_version: Option<u32>,
    /// `--custom-runtime`.
    pub custom_runtime: bool,
    /// `--cold-start-rate`.
    pub cold_start_rate: Option<ShareChoice>,
    /// `--scenario`.
    pub scenario: Option<String>,
}

/// What the modes file does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    /// A feature the modes file does not name.
    #[error("--uses: '{name}' is not a feature; accepted: {}", known.join(", "))]
    UnknownFeature {
        /// The name given.
        name: String,
        /// The features of the modes file.
        known: Vec<String>,
    },
    /// A scenario the modes file does not name.
    #[error("--scenario: '{name}' is not a scenario; accepted: {}", known.join(", "))]
    UnknownScenario {
        /// The name given.
        name: String,
        /// The scenarios of the modes file.
        known: Vec<String>,
    },
}

/// What an assessment of the project brings to a decision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectEvidence {
    /// The features, then the practices, it found, in the assessment's order.
    pub uses: Vec<String>,
    /// The features and practices it found, each with where the code shows it.
    pub evidence: BTreeMap<String, String>,
    /// The rule that says what the assessment found.
    pub rule: Option<String>,
    /// What the modes file has no name for.
    pub warnings: Vec<String>,
    /// The work each mode needs first, by mode: the findings a local fix answers (reflection
    /// the practices name), and the project-file changes.
    pub work: BTreeMap<String, Vec<String>>,
}

/// Refuses features and a scenario the modes file does not name: before anything is read.
pub fn check(book: &ModeBook, ask: &Ask) -> Result<(), AskError> {
    scenario_of(book, ask).map(|_| ())
}

/// The scenario `ask` names, once its features are known to `book`.
fn scenario_of<'b>(book: &'b ModeBook, ask: &Ask) -> Result<Option<&'b Scenario>, AskError> {
    for used in &ask.uses {
        if !book.features.contains_key(used) {
            return Err(AskError::UnknownFeature {
                name: used.clone(),
                known: book.features.keys().cloned().collect(),
            });
        }
    }
    match &ask.scenario {
        None => Ok(None),
        Some(name) => book
            .scenarios
            .get(name)
            .map(Some)
            .ok_or_else(|| AskError::UnknownScenario {
                name: name.clone(),
                known: book.scenarios.keys().cloned().collect(),
            }),
    }
}

/// The constraints `ask` sets under `book` on `date`, with the project's evidence, and the
/// rules that say where they came from (the project's, the scenario's defaults).
pub fn constraints(
    book: &ModeBook,
    ask: &Ask,
    project: &ProjectEvidence,
    date: Date,
) -> Result<(Constraints, Vec<String>), AskError> {
    let scenario = scenario_of(book, ask)?;
    let mut uses: Vec<String> = scenario.map(|s| s.uses.clone()).unwrap_or_default();
    for u in ask.uses.iter().chain(&project.uses) {
        if !uses.contains(u) {
            uses.push(u.clone());
        }
    }
    let constraints = Constraints {
        requests: ask.requests,
        cold_start_slo_ms: ask
            .cold_start_slo_ms
            .or(scenario.and_then(|s| s.cold_start_slo_ms)),
        p99_slo_ms: ask.p99_slo_ms.or(scenario.and_then(|s| s.p99_slo_ms)),
        budget_usd: ask.budget_usd,
        uses,
        evidence: project.evidence.clone(),
        dotnet_version: ask.dotnet_version,
        custom_runtime: ask.custom_runtime,
        objective: scenario.map(|s| s.objective).unwrap_or_default(),
        cold_start_rate: ask
            .cold_start_rate
            .or_else(|| {
                scenario
                    .and_then(|s| s.cold_start_rate)
                    .and_then(Decimal::from_f64)
                    .map(ShareChoice::Given)
            })
            .unwrap_or_default(),
        date,
        work: project.work.clone(),
    };
    let mut rules = Vec::new();
    rules.extend(project.rule.clone());
    if let (Some(name), Some(s)) = (&ask.scenario, scenario) {
        rules.push(scenario_rule(name, s));
    }
    Ok((constraints, rules))
}

/// What an assessment of the project `shown` says the code uses and follows, as the modes
/// file names them: where the code shows each (the first two places), the rule that says
/// what was found, and a warning for each feature the modes file has no name for.
pub fn project_evidence(a: &Assessment, shown: &str, book: &ModeBook) -> ProjectEvidence {
    let mut out = ProjectEvidence::default();
    let mut found: Vec<String> = Vec::new();
    for (feature, findings) in a.features() {
        // Reflection a local fix answers is work to list, not a mode ruled out: only what
        // no practice fixes (dynamic code, dynamic loading, EF Core's status) constrains.
        if feature == "reflection" {
            for f in &findings {
                for mode in a.modes(f) {
                    out.work.entry(mode.to_string()).or_default().push(format!(
                        "{} {}: {}",
                        f.place(),
                        f.what,
                        f.fix
                    ));
                }
            }
            found.push(format!(
                "{feature} a local fix answers ({} finding(s), listed as work)",
                findings.len()
            ));
            continue;
        }
        let first: Vec<String> = findings
            .iter()
            .take(2)
            .map(|f| format!("{} {}", f.place(), f.what))
            .collect();
        let more = findings.len().saturating_sub(2);
        let mut at = first.join(", ");
        if more > 0 {
            at.push_str(&format!(", and {more} more"));
        }
        if !book.features.contains_key(feature) {
            out.warnings.push(format!(
                "--project: the modes file names no feature '{feature}'; {at} is not weighed"
            ));
            continue;
        }
        found.push(format!("{feature} ({at})"));
        out.uses.push(feature.to_string());
        out.evidence.insert(feature.to_string(), at);
    }
    let mut practices: Vec<String> = Vec::new();
    for (practice, why) in &a.practices {
        if book.features.contains_key(*practice) {
            practices.push(format!("{practice} ({why})"));
            out.uses.push((*practice).to_string());
            out.evidence.insert((*practice).to_string(), why.clone());
        }
    }
    for (mode, changes) in assess::MODES.iter().zip(&a.changes) {
        let has_work = out.work.contains_key(*mode);
        if !changes.is_empty() && has_work {
            out.work
                .entry((*mode).to_string())
                .or_default()
                .push(format!("set {}", assess::changes_in_words(changes)));
        }
    }
    let verdicts: Vec<String> = assess::MODES
        .iter()
        .zip(a.verdicts)
        .map(|(m, v)| format!("{m} {}", v.as_str()))
        .collect();
    let mut rule = format!(
        "The project ({shown}): {}; {} finding(s)",
        verdicts.join(", "),
        a.findings.len()
    );
    if !found.is_empty() {
        rule.push_str(&format!("; uses {}", found.join("; ")));
    }
    if !practices.is_empty() {
        rule.push_str(&format!("; follows {}", practices.join("; ")));
    }
    rule.push('.');
    out.rule = Some(rule);
    out
}

/// The scenario's defaults, as a rule of the decision.
fn scenario_rule(name: &str, s: &Scenario) -> String {
    let mut defaults = Vec::new();
    if let Some(v) = s.cold_start_slo_ms {
        defaults.push(format!("cold-start SLO {v} ms"));
    }
    if let Some(v) = s.p99_slo_ms {
        defaults.push(format!("p99 SLO {v} ms"));
    }
    if let Some(v) = s.cold_start_rate {
        defaults.push(format!(
            "cold-start share {}",
            crate::format::percent(Decimal::from_f64(v).unwrap_or_default())
        ));
    }
    if !s.uses.is_empty() {
        defaults.push(format!("uses {}", s.uses.join(", ")));
    }
    defaults.push(format!(
        "objective {}",
        match s.objective {
            Objective::Cost => "cost",
            Objective::Iteration => "iteration speed",
            Objective::SteppingStone => "the stepping stone",
        }
    ));
    format!(
        "scenario {name}: {} ({}; explicit flags override)",
        s.title,
        defaults.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> Date {
        Date {
            year: 2026,
            month: 1,
            day: 1,
        }
    }

    #[test]
    fn explicit_flags_override_a_scenarios_defaults() {
        let book = ModeBook::embedded();
        let (name, scenario) = book
            .scenarios
            .iter()
            .find(|(_, s)| s.cold_start_slo_ms.is_some())
            .expect("a scenario with a cold-start SLO");
        let ask = Ask {
            requests: 1_000_000,
            scenario: Some(name.clone()),
            ..Ask::default()
        };
        let (c, rules) =
            constraints(&book, &ask, &ProjectEvidence::default(), date()).expect("constraints");
        assert_eq!(c.cold_start_slo_ms, scenario.cold_start_slo_ms);
        assert_eq!(c.objective, scenario.objective);
        assert!(
            rules[0].starts_with(&format!("scenario {name}: ")),
            "{rules:?}"
        );
        let ask = Ask {
            cold_start_slo_ms: Some(123.0),
            ..ask
        };
        let (c, _) =
            constraints(&book, &ask, &ProjectEvidence::default(), date()).expect("constraints");
        assert_eq!(c.cold_start_slo_ms, Some(123.0));
    }

    #[test]
    fn unknown_features_and_scenarios_are_named_with_those_known() {
        let book = ModeBook::embedded();
        let ask = Ask {
            uses: vec!["telepathy".into()],
            ..Ask::default()
        };
        let e = constraints(&book, &ask, &ProjectEvidence::default(), date()).expect_err("unknown");
        assert!(
            e.to_string()
                .starts_with("--uses: 'telepathy' is not a feature; accepted: ")
        );
        let ask = Ask {
            scenario: Some("moon".into()),
            ..Ask::default()
        };
        let e = constraints(&book, &ask, &ProjectEvidence::default(), date()).expect_err("unknown");
        assert!(
            e.to_string()
                .starts_with("--scenario: 'moon' is not a scenario; accepted: ")
        );
    }

    #[test]
    fn the_projects_features_join_the_uses_after_the_flags() {
        let book = ModeBook::embedded();
        let feature = book.features.keys().next().expect("a feature").clone();
        let project = ProjectEvidence {
            uses: vec![feature.clone()],
            evidence: BTreeMap::from([(feature.clone(), "src/A.cs:3:1 x".to_string())]),
            rule: Some("The project (p): ...".into()),
            warnings: Vec::new(),
            work: BTreeMap::new(),
        };
        let (c, rules) = constraints(&book, &Ask::default(), &project, date()).expect("ok");
        assert_eq!(c.uses, vec![feature.clone()]);
        assert_eq!(
            c.evidence.get(&feature).map(String::as_str),
            Some("src/A.cs:3:1 x")
        );
        assert_eq!(rules, vec!["The project (p): ...".to_string()]);
    }
}
