//! The decision engine's vocabulary: what a workload needs ([`Constraints`]), each check of
//! a variant against one of them, the candidates, the remedies and the answer. Below the
//! engine's parts so that each of them (checks, rank, remedy) can speak of them.

use crate::cost::MonthlyCost;
use crate::modes::Objective;
use crate::profile::Profile;
use crate::share::{ShareChoice, ShareSource};
use crate::units::Date;
use rust_decimal::Decimal;

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
    /// Where the code shows each feature or practice, when an assessment found it
    /// (`src/Loader.cs:12:9 Assembly.LoadFrom`): cited in every reason that rests on it.
    pub evidence: std::collections::BTreeMap<String, String>,
    /// The .NET major version the team wants to run.
    pub dotnet_version: Option<u32>,
    /// Whether a managed mode may run as a self-contained custom runtime.
    pub custom_runtime: bool,
    /// How passing variants are ranked.
    pub objective: Objective,
    /// Which share of cold invocations prices the variants (the scenario's or the user's).
    pub cold_start_rate: ShareChoice,
    /// The day the decision is made for: which managed runtimes Lambda offers then.
    pub date: Date,
    /// The work an assessed project needs before each mode ships it, by mode: each item a
    /// finding's place, what was found and the fix. A mode with work still runs the function.
    pub work: std::collections::BTreeMap<String, Vec<String>>,
}

/// The kinds of constraint a variant is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// The mode runs every feature the workload uses.
    Capabilities,
    /// The mode runs the .NET version wanted, and the variant is that version.
    Version,
    /// The cold start meets its service level.
    ColdStartSlo,
    /// The warm p99 meets its service level.
    P99Slo,
    /// The month's total fits the budget.
    Budget,
}

impl Constraint {
    /// The name used in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Constraint::Capabilities => "capabilities",
            Constraint::Version => "version",
            Constraint::ColdStartSlo => "cold_start_slo",
            Constraint::P99Slo => "p99_slo",
            Constraint::Budget => "budget",
        }
    }

    /// Whether no setting of the same build mode can meet it (only a service level or the
    /// budget can be met by Provisioned Concurrency or SnapStart).
    pub fn is_hard(self) -> bool {
        matches!(self, Constraint::Capabilities | Constraint::Version)
    }
}

/// One constraint checked against one variant.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// Which constraint.
    pub constraint: Constraint,
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

/// A way to shorten cold starts without changing the build mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum RemedyKind {
    /// Environments kept initialised.
    #[serde(rename = "provisioned-concurrency")]
    ProvisionedConcurrency,
    /// Restoring a snapshot instead of initialising.
    #[serde(rename = "snapstart")]
    SnapStart,
}

/// What would meet the service levels without changing the build mode.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Remedy {
    /// The variant it applies to.
    pub variant: String,
    /// What it is.
    pub kind: RemedyKind,
    /// Provisioned environments, for Provisioned Concurrency.
    pub environments: Option<u32>,
    /// The month's total with it.
    pub total_usd: Decimal,
    /// Of which the remedy itself.
    pub remedy_usd: Decimal,
    /// The runtime it is priced on (a deprecated one's successor where the variant ran on one).
    pub runtime: String,
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
    /// Every rule that fired, with its number; the service levels and the budget as how
    /// many variants pass each, and every failure.
    pub rules: Vec<String>,
    /// Every service-level and budget check a variant passed, in a sentence each.
    pub passes: Vec<String>,
    /// What the recommended mode brings.
    pub warnings: Vec<String>,
    /// What would meet the constraints otherwise, when nothing passes.
    pub remedies: Vec<Remedy>,
    /// The work the recommended variant's mode needs first (from the project's assessment).
    pub work: Vec<String>,
    /// When the recommended variant was measured on a runtime AWS has deprecated: where its
    /// mode deploys instead.
    pub runtime: Option<RuntimeMove>,
}

/// A variant measured on a managed runtime AWS deprecated by the decision's date, and the
/// runtime its mode deploys on instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeMove {
    /// The runtime the figures were measured on (`dotnet8`).
    pub measured_on: String,
    /// The .NET major version they were measured with.
    pub version: u32,
    /// The day AWS deprecated that runtime.
    pub deprecated: Date,
    /// The supported runtime the mode deploys on instead (`dotnet10`); none when the mode
    /// has none for the version asked for.
    pub deploy_on: Option<String>,
}

impl RuntimeMove {
    /// The runtime to deploy on: the supported one, else (there being none) the one measured.
    pub fn runtime(&self) -> &str {
        self.deploy_on.as_deref().unwrap_or(&self.measured_on)
    }

    /// What the figures rest on, in a clause: "measured on dotnet8 (.NET 8), which AWS
    /// deprecated on 2026-11-10".
    pub fn measured(&self) -> String {
        format!(
            "measured on {} (.NET {}), which AWS deprecated on {}",
            self.measured_on, self.version, self.deprecated
        )
    }
}

impl Decision {
    /// The recommended variant, if any passes.
    pub fn recommended(&self) -> Option<&Candidate> {
        self.ranking.first().filter(|c| c.passes())
    }
}
