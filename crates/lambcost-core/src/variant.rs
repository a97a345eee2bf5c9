//! A variant: one build of a function (a build mode, a .NET version, a memory setting) and
//! what was measured of it. The deck's five variants are the embedded default data set.

use crate::pricing::Arch;
use rust_decimal::Decimal;

/// The deck's summary table, `data/results.csv`, compiled in as the default data set.
pub const DEFAULT_RESULTS_CSV: &str = include_str!("../../../data/results.csv");

/// How the embedded data set is named in messages and reports.
pub const DEFAULT_RESULTS_ORIGIN: &str = "the talk's measurements (embedded)";

/// The talk repository's full results table, eight rows (the slides show five, and mix two
/// rows in one), compiled in beside the slides' table.
pub const TALK_REPO_RESULTS_CSV: &str = include_str!("../../../data/talk-repo.csv");

/// A data set compiled into lambcost, named with `@` where a file would be (`--data @talk`),
/// so that it can stand beside a user's own data without a checkout of the repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded {
    /// Its name on the command line (`@talk`).
    pub name: &'static str,
    /// The summary table.
    pub csv: &'static str,
    /// What it is, in words.
    pub about: &'static str,
}

/// Every embedded data set; the first is the default.
pub const EMBEDDED: [Embedded; 2] = [
    Embedded {
        name: "@talk",
        csv: DEFAULT_RESULTS_CSV,
        about: DEFAULT_RESULTS_ORIGIN,
    },
    Embedded {
        name: "@talk-repo",
        csv: TALK_REPO_RESULTS_CSV,
        about: "the talk repository's eight measured builds (embedded)",
    },
];

/// The embedded data set called `name` (`@talk`), if there is one.
pub fn embedded(name: &str) -> Option<Embedded> {
    EMBEDDED.iter().copied().find(|e| e.name == name)
}

/// One variant of a function, as the summary table describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Its name (`aot-net9`).
    pub name: String,
    /// Build mode (`regular`, `readytorun`, `aot`, or a mode of the user's modes file).
    pub mode: String,
    /// .NET major version, where it is a .NET function.
    pub dotnet: Option<u32>,
    /// Lambda runtime identifier (`dotnet8`, `provided.al2023`).
    pub runtime: String,
    /// CPU architecture.
    pub arch: Arch,
    /// Configured memory.
    pub memory_mb: u32,
    /// Billed duration of a cold invocation, init included (as the deck measured it).
    pub cold_start_ms: Decimal,
    /// Mean duration of a warm invocation.
    pub warm_ms: Decimal,
    /// Smallest Max Memory Used seen.
    pub max_memory_used_mb_min: u32,
    /// Largest Max Memory Used seen.
    pub max_memory_used_mb_max: u32,
    /// What the source says of the row (where the figures come from).
    pub note: Option<String>,
}

impl Variant {
    /// The INIT part of a cold start: the cold start's billed duration less the warm work.
    pub fn init_ms(&self) -> Decimal {
        (self.cold_start_ms - self.warm_ms).max(Decimal::ZERO)
    }
}
