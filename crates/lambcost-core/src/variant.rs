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

/// A row of a summary table whose figures are not those of the same-named row of a table
/// that measured it: the slides' AOT .NET 9 takes its cold start from one of the talk
/// repository's builds and its warm figure from another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mixed {
    /// The row as the summary has it.
    pub row: Variant,
    /// The same build (name, runtime, architecture, memory) as it was measured.
    pub own: Variant,
    /// The measured row of the same mode and version whose warm figure the summary took, if
    /// one has it.
    pub warm_from: Option<Variant>,
}

/// The rows of `summary` whose cold start or warm figure differ from the same build's row in
/// `measured`, with where the warm figure came from.
///
/// ```
/// use lambcost_core::variant::mixed_rows;
///
/// let slides = lambcost_core::embedded::talk_variants();
/// // The repository's aot-net9 on provided.al2023: 1006 ms cold, 19 ms warm; on dotnet8, 14 ms.
/// let mut own = slides[3].clone();
/// own.warm_ms = 19.into();
/// let mut managed = slides[3].clone();
/// managed.name = "aot-net9-dotnet8".into();
/// managed.runtime = "dotnet8".into();
/// let found = mixed_rows(&slides, &[own, managed]);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].row.name, "aot-net9");
/// assert_eq!(found[0].warm_from.as_ref().map(|v| v.name.as_str()), Some("aot-net9-dotnet8"));
/// ```
pub fn mixed_rows(summary: &[Variant], measured: &[Variant]) -> Vec<Mixed> {
    summary
        .iter()
        .filter_map(|row| {
            let own = measured.iter().find(|m| {
                m.name == row.name
                    && m.runtime == row.runtime
                    && m.arch == row.arch
                    && m.memory_mb == row.memory_mb
            })?;
            if own.cold_start_ms == row.cold_start_ms && own.warm_ms == row.warm_ms {
                return None;
            }
            let warm_from = measured
                .iter()
                .find(|m| {
                    m.name != row.name
                        && m.mode == row.mode
                        && m.dotnet == row.dotnet
                        && m.arch == row.arch
                        && m.warm_ms == row.warm_ms
                })
                .cloned();
            Some(Mixed {
                row: row.clone(),
                own: own.clone(),
                warm_from,
            })
        })
        .collect()
}
