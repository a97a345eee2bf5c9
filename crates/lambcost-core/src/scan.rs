//! What an account's functions show, one by one: from each function's configuration and the
//! invocations its logs hold, what the evidence says to do next (a runtime AWS deprecated, a
//! .NET function whose cold starts make it a NativeAOT candidate, memory far above peak use,
//! Provisioned Concurrency mostly idle). Plain data in, findings out.

use crate::modes::ModeBook;
use crate::units::Date;

/// A function as configured, and what its logs showed over a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// Runtime identifier (`dotnet8`; empty for a container image).
    pub runtime: String,
    /// Configured memory, MB.
    pub memory_mb: u32,
    /// Invocations in the window.
    pub invocations: u64,
    /// Cold starts in the window.
    pub cold_starts: u64,
    /// Cold start (init plus duration) p99, ms, when a cold start was seen.
    pub cold_p99_ms: Option<f64>,
    /// The most memory an invocation used, MB.
    pub max_memory_used_mb: Option<u32>,
    /// Provisioned environments allocated (every qualifier together).
    pub provisioned: u32,
    /// Invocations in flight on average over the window (billed time over wall time).
    pub mean_concurrency: f64,
}

/// What the evidence says of a function.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The window holds no invocation of it.
    NoInvocations,
    /// Its runtime was deprecated on that date: no more security patches.
    DeprecatedRuntime {
        /// The runtime.
        runtime: String,
        /// When AWS deprecated it.
        on: Date,
    },
    /// A managed .NET function whose cold starts exceed 1 s: NativeAOT's case.
    NativeAotCandidate {
        /// Its cold-start p99, ms.
        cold_p99_ms: f64,
    },
    /// Configured memory far above what any invocation used.
    MemoryOversized {
        /// Configured.
        memory_mb: u32,
        /// The most used.
        max_used_mb: u32,
    },
    /// Provisioned Concurrency mostly idle: the environments outnumber the mean concurrency.
    ProvisionedIdle {
        /// Environments allocated.
        environments: u32,
        /// Invocations in flight on average.
        mean_concurrency: f64,
    },
}

/// Cold starts past this make a managed .NET function a NativeAOT candidate, ms.
pub const AOT_CANDIDATE_COLD_MS: f64 = 1000.0;
/// Memory is oversized when the most used is under this share of the configured size (and
/// the size is above Lambda's smallest).
pub const MEMORY_USED_SHARE: f64 = 0.25;
/// Provisioned Concurrency is mostly idle when the mean concurrency is under this share of
/// its environments.
pub const PC_BUSY_SHARE: f64 = 0.2;

/// The findings for `o` on `date`, under `modes`' runtimes.
pub fn findings(o: &Observed, modes: &ModeBook, date: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(on) = modes.deprecated_on(&o.runtime, date) {
        out.push(Finding::DeprecatedRuntime {
            runtime: o.runtime.clone(),
            on,
        });
    }
    if o.invocations == 0 {
        out.push(Finding::NoInvocations);
        return out;
    }
    if o.runtime.starts_with("dotnet")
        && let Some(p99) = o.cold_p99_ms.filter(|&p| p > AOT_CANDIDATE_COLD_MS)
    {
        out.push(Finding::NativeAotCandidate { cold_p99_ms: p99 });
    }
    if let Some(used) = o.max_memory_used_mb
        && o.memory_mb > 128
        && f64::from(used) < f64::from(o.memory_mb) * MEMORY_USED_SHARE
    {
        out.push(Finding::MemoryOversized {
            memory_mb: o.memory_mb,
            max_used_mb: used,
        });
    }
    if o.provisioned > 0 && o.mean_concurrency < f64::from(o.provisioned) * PC_BUSY_SHARE {
        out.push(Finding::ProvisionedIdle {
            environments: o.provisioned,
            mean_concurrency: o.mean_concurrency,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed() -> Observed {
        Observed {
            runtime: "dotnet8".into(),
            memory_mb: 1024,
            invocations: 1000,
            cold_starts: 10,
            cold_p99_ms: Some(1800.0),
            max_memory_used_mb: Some(90),
            provisioned: 5,
            mean_concurrency: 0.3,
        }
    }

    #[test]
    fn each_finding_rests_on_its_evidence() {
        let modes = ModeBook::embedded();
        let date: Date = "2026-12-07".parse().expect("a date");
        let f = findings(&observed(), &modes, date);
        // dotnet8 was deprecated on 2026-11-10; 1.8 s cold starts on .NET; 90 of 1,024 MB
        // used; 0.3 in flight on 5 environments.
        assert!(
            matches!(&f[0], Finding::DeprecatedRuntime { runtime, .. } if runtime == "dotnet8")
        );
        assert_eq!(
            f[1],
            Finding::NativeAotCandidate {
                cold_p99_ms: 1800.0
            }
        );
        assert_eq!(
            f[2],
            Finding::MemoryOversized {
                memory_mb: 1024,
                max_used_mb: 90
            }
        );
        assert!(matches!(
            f[3],
            Finding::ProvisionedIdle {
                environments: 5,
                ..
            }
        ));
        // Before its date, dotnet8 is supported; a fast cold start is no candidate.
        let before: Date = "2026-01-01".parse().expect("a date");
        let quick = Observed {
            cold_p99_ms: Some(400.0),
            max_memory_used_mb: Some(700),
            provisioned: 0,
            ..observed()
        };
        assert_eq!(findings(&quick, &modes, before), vec![]);
        let idle = Observed {
            invocations: 0,
            ..quick
        };
        assert_eq!(
            findings(&idle, &modes, before),
            vec![Finding::NoInvocations]
        );
    }
}
