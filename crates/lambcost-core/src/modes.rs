//! Build-mode knowledge as data: what each mode can run, what it asks of the code, what it
//! costs a team to adopt, and the scenarios of the deck's decision guide. Read from
//! `data/build-modes.yaml` (compiled in as the default) and validated like the price book, so a
//! team on another runtime can describe its own modes without code changes.

use crate::units::Date;
use crate::yaml::{self, Invalid, YamlError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The embedded default, as shipped in `data/build-modes.yaml`.
pub const DEFAULT_MODES_YAML: &str = include_str!("../../../data/build-modes.yaml");

/// How the embedded default is named in messages.
pub const DEFAULT_MODES_ORIGIN: &str = "data/build-modes.yaml (embedded)";

/// How much of a capability a mode has, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not at all.
    None,
    /// Only in restricted forms.
    Limited,
    /// Most of it, with gaps.
    Partial,
    /// All of it.
    Full,
}

impl Level {
    /// The word used in the modes file.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Limited => "limited",
            Level::Partial => "partial",
            Level::Full => "full",
        }
    }
}

/// A feature a workload may use (`--uses`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// What it is, for people.
    pub title: String,
    /// The capabilities it needs, and how much of each.
    #[serde(default)]
    pub needs: BTreeMap<String, Level>,
}

/// How a scenario ranks the modes that pass every constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    /// The cheapest wins (ties go to the least risky).
    #[default]
    Cost,
    /// The least risky (fastest to build and change) wins; cost breaks ties.
    Iteration,
    /// The mode marked as the stepping stone wins where it passes.
    SteppingStone,
}

/// A use case of the deck's guide, with its defaults.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it is.
    pub title: String,
    /// Default cold-start service level, in ms.
    #[serde(default)]
    pub cold_start_slo_ms: Option<f64>,
    /// Default warm p99 service level, in ms.
    #[serde(default)]
    pub p99_slo_ms: Option<f64>,
    /// Default share of cold invocations (1 = every run is cold).
    #[serde(default)]
    pub cold_start_rate: Option<f64>,
    /// Features the scenario implies.
    #[serde(default)]
    pub uses: Vec<String>,
    /// How passing modes are ranked.
    #[serde(default)]
    pub objective: Objective,
}

/// A range of build times relative to the reference mode.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relative {
    /// Fastest.
    pub min: f64,
    /// Slowest.
    pub max: f64,
}

/// Versions from one on, with no end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct From {
    /// The first version.
    pub from: u32,
}

/// A language version Lambda offers as a managed runtime, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedRuntime {
    /// The major version (`10`).
    pub version: u32,
    /// The runtime identifier (`dotnet10`).
    #[serde(default)]
    pub runtime: Option<String>,
    /// The day Lambda made it available (absent: always, as far as the file knows).
    #[serde(default, deserialize_with = "de_optional_date")]
    pub from: Option<Date>,
    /// The day AWS deprecated it (no more patches; functions can still run).
    #[serde(default, deserialize_with = "de_optional_date")]
    pub deprecated: Option<Date>,
}

/// A managed runtime as the file writes it: a bare version, or the version with its dates.
#[derive(Deserialize)]
#[serde(untagged)]
enum ManagedEntry {
    Bare(u32),
    Dated(ManagedRuntime),
}

fn de_managed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ManagedRuntime>, D::Error> {
    let entries = Vec::<ManagedEntry>::deserialize(d)?;
    Ok(entries
        .into_iter()
        .map(|e| match e {
            ManagedEntry::Bare(version) => ManagedRuntime {
                version,
                runtime: None,
                from: None,
                deprecated: None,
            },
            ManagedEntry::Dated(m) => m,
        })
        .collect())
}

fn de_optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    crate::yaml::de_date(d).map(Some)
}

/// Which language versions Lambda can run in a mode.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versions {
    /// Versions Lambda offers as a managed runtime, with the day each became available.
    #[serde(default, deserialize_with = "de_managed")]
    pub managed: Vec<ManagedRuntime>,
    /// Versions that run on a custom runtime (`provided.al2023`).
    #[serde(default)]
    pub custom_runtime: Option<From>,
}

/// A capability gained by adopting practices.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upgrade {
    /// The level reached.
    pub level: Level,
    /// The practices (features) that must all be declared.
    pub practices: Vec<String>,
}

/// A build mode's name as lambcost's books name it, for the names people and data sets use:
/// `r2r`, `ReadyToRun` and `ready-to-run` are `readytorun`, `NativeAOT` and `native-aot` are
/// `aot`, `jit` is `regular`; any other name is kept, in lower case.
pub fn canonical(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    match lower.replace(['-', '_', ' '], "").as_str() {
        "r2r" | "readytorun" => "readytorun".to_string(),
        "aot" | "nativeaot" => "aot".to_string(),
        "regular" | "jit" => "regular".to_string(),
        _ => lower,
    }
}

/// One build mode.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mode {
    /// Its name, for people.
    pub title: String,
    /// How it runs, without the runtime (the answer names the one it deploys on).
    pub runs_as: String,
    /// The Lambda runtime it deploys on.
    pub runtime: String,
    /// Capability levels; a capability not listed is `none`.
    pub capabilities: BTreeMap<String, Level>,
    /// Capabilities gained with practices.
    #[serde(default)]
    pub capability_with_practices: BTreeMap<String, Upgrade>,
    /// Build time relative to the reference mode.
    pub build_time: Relative,
    /// What is deployed.
    pub package: String,
    /// Versions Lambda runs in this mode.
    pub versions: Versions,
    /// What the code must do.
    #[serde(default)]
    pub practices: Vec<String>,
    /// Risk of adopting it, 0 the least; breaks ties in cost.
    pub risk: u32,
    /// Whether it is the low-risk first step of a migration.
    #[serde(default)]
    pub stepping_stone: bool,
    /// Whether it is the reference the others are measured against (the team's status quo:
    /// comparisons default to it as their baseline, build times are relative to it).
    #[serde(default)]
    pub reference: bool,
    /// What a team should know before choosing it.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Versions {
    /// The managed runtime of `version` available on `date`, if any.
    pub fn managed_on(&self, version: u32, date: Date) -> Option<&ManagedRuntime> {
        self.managed
            .iter()
            .find(|m| m.version == version && m.from.is_none_or(|from| from <= date))
    }

    /// The versions Lambda offers as managed runtimes on `date`.
    pub fn managed_versions_on(&self, date: Date) -> Vec<u32> {
        self.managed
            .iter()
            .filter(|m| m.from.is_none_or(|from| from <= date))
            .map(|m| m.version)
            .collect()
    }
}

impl Mode {
    /// The level of `capability` for a workload that declares `uses`.
    pub fn level(&self, capability: &str, uses: &[String]) -> Level {
        let base = self
            .capabilities
            .get(capability)
            .copied()
            .unwrap_or(Level::None);
        match self.capability_with_practices.get(capability) {
            Some(up) if up.practices.iter().all(|p| uses.contains(p)) => base.max(up.level),
            _ => base,
        }
    }

    /// Whether the mode deploys on a custom runtime by nature.
    pub fn is_custom_runtime(&self) -> bool {
        self.runtime.starts_with("provided")
    }
}

/// The whole modes file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeBook {
    /// Format version (1).
    pub schema: u32,
    /// Features a workload may use.
    pub features: BTreeMap<String, Feature>,
    /// Scenarios.
    #[serde(default)]
    pub scenarios: BTreeMap<String, Scenario>,
    /// Build modes.
    pub modes: BTreeMap<String, Mode>,
    /// Steps of a migration, in order.
    #[serde(default)]
    pub migration_path: Vec<String>,
}

impl ModeBook {
    /// The day AWS deprecated the managed runtime `runtime`, if it did on or before `date`:
    /// every mode's list is searched (runtimes are shared between modes).
    pub fn deprecated_on(&self, runtime: &str, date: Date) -> Option<Date> {
        self.modes
            .values()
            .flat_map(|m| &m.versions.managed)
            .filter(|m| m.runtime.as_deref() == Some(runtime))
            .find_map(|m| m.deprecated.filter(|&d| d <= date))
    }

    /// Parses and validates a modes file; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<ModeBook, YamlError> {
        yaml::load(text, origin, ModeBook::validate)
    }

    /// The mode marked as the reference, if any.
    pub fn reference(&self) -> Option<&str> {
        self.modes
            .iter()
            .find(|(_, m)| m.reference)
            .map(|(n, _)| n.as_str())
    }

    /// The mode marked as the stepping stone, if any.
    pub fn stepping_stone(&self) -> Option<&str> {
        self.modes
            .iter()
            .find(|(_, m)| m.stepping_stone)
            .map(|(n, _)| n.as_str())
    }

    fn validate(&self) -> Result<(), Invalid> {
        yaml::check_schema(self.schema)?;
        if self.modes.is_empty() {
            return Err(Invalid::at("modes", "the file describes no mode"));
        }
        let feature_names: Vec<&str> = self.features.keys().map(String::as_str).collect();
        let known = |name: &str| feature_names.contains(&name);
        for (name, mode) in &self.modes {
            let b = mode.build_time;
            if !(b.min > 0.0 && b.min <= b.max && b.max.is_finite()) {
                return Err(Invalid::at(
                    &format!("modes.{name}.build_time"),
                    format!(
                        "min {} and max {} do not make a range of positive factors",
                        b.min, b.max
                    ),
                ));
            }
            for (capability, up) in &mode.capability_with_practices {
                for (i, p) in up.practices.iter().enumerate() {
                    if !known(p) {
                        return Err(Invalid::at(
                            &format!(
                                "modes.{name}.capability_with_practices.{capability}.practices[{i}]"
                            ),
                            format!(
                                "'{p}' is not a feature of this file; features: {}",
                                feature_names.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        if self.modes.values().filter(|m| m.reference).count() > 1 {
            return Err(Invalid::at(
                "modes",
                "more than one mode is marked reference",
            ));
        }
        if self.modes.values().filter(|m| m.stepping_stone).count() > 1 {
            return Err(Invalid::at(
                "modes",
                "more than one mode is marked stepping_stone",
            ));
        }
        for (name, s) in &self.scenarios {
            for (i, u) in s.uses.iter().enumerate() {
                if !known(u) {
                    return Err(Invalid::at(
                        &format!("scenarios.{name}.uses[{i}]"),
                        format!(
                            "'{u}' is not a feature of this file; features: {}",
                            feature_names.join(", ")
                        ),
                    ));
                }
            }
            if let Some(r) = s.cold_start_rate
                && !(0.0..=1.0).contains(&r)
            {
                return Err(Invalid::at(
                    &format!("scenarios.{name}.cold_start_rate"),
                    format!("{r} is not a share between 0 and 1"),
                ));
            }
            for (key, slo) in [
                ("cold_start_slo_ms", s.cold_start_slo_ms),
                ("p99_slo_ms", s.p99_slo_ms),
            ] {
                if let Some(v) = slo
                    && !(v > 0.0 && v.is_finite())
                {
                    return Err(Invalid::at(
                        &format!("scenarios.{name}.{key}"),
                        format!("{v} is not a duration in ms above 0"),
                    ));
                }
            }
            if s.objective == Objective::SteppingStone && self.stepping_stone().is_none() {
                return Err(Invalid::at(
                    &format!("scenarios.{name}.objective"),
                    "asks for the stepping stone, but no mode is marked stepping_stone",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mode_by_the_names_people_and_data_sets_give_it() {
        for (name, mode) in [
            ("r2r", "readytorun"),
            ("ReadyToRun", "readytorun"),
            ("ready-to-run", "readytorun"),
            ("NativeAOT", "aot"),
            ("native-aot", "aot"),
            ("AOT", "aot"),
            ("JIT", "regular"),
            ("custom", "custom"),
        ] {
            assert_eq!(canonical(name), mode, "{name}");
        }
    }

    #[test]
    fn the_decks_modes_load_with_their_limits() {
        let book = ModeBook::embedded();
        let aot = &book.modes["aot"];
        assert_eq!(aot.runtime, "provided.al2023");
        assert_eq!(aot.level("dynamic-loading", &[]), Level::None);
        assert_eq!(aot.level("ef-core", &[]), Level::Partial);
        assert_eq!(aot.level("reflection", &[]), Level::Limited);
        let all: Vec<String> = [
            "source-generated-json",
            "constructor-injection",
            "explicit-registration",
            "trim-analyzer",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(aot.level("reflection", &all), Level::Full);
        assert_eq!(aot.level("reflection", &all[..1]), Level::Limited);
        assert_eq!((aot.build_time.min, aot.build_time.max), (2.0, 5.0));
        let regular = &book.modes["regular"].versions;
        let day = |d: &str| d.parse::<Date>().expect("date");
        assert_eq!(regular.managed_versions_on(day("2025-12-31")), vec![8]);
        assert_eq!(regular.managed_versions_on(day("2026-01-08")), vec![8, 10]);
        assert_eq!(
            regular
                .managed_on(10, day("2026-06-01"))
                .and_then(|m| m.runtime.as_deref()),
            Some("dotnet10")
        );
        assert!(regular.managed_on(9, day("2026-06-01")).is_none());
        assert_eq!(book.stepping_stone(), Some("readytorun"));
        assert_eq!(book.reference(), Some("regular"));
        assert_eq!(
            book.scenarios["user-facing-api"].cold_start_slo_ms,
            Some(1000.0)
        );
    }

    #[test]
    fn unknown_keys_and_unknown_practices_are_refused_where_they_are() {
        let text =
            DEFAULT_MODES_YAML.replacen("    risk: 2\n", "    risk: 2\n    colour: blue\n", 1);
        let err = ModeBook::from_yaml(&text, "m.yaml").expect_err("unknown key");
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
        assert!(err.position.is_some());
        let text = DEFAULT_MODES_YAML.replacen(
            "practices: [source-generated-json,",
            "practices: [telepathy,",
            1,
        );
        let err = ModeBook::from_yaml(&text, "m.yaml").expect_err("unknown practice");
        assert!(
            err.to_string().contains("'telepathy' is not a feature"),
            "{err}"
        );
    }
}
