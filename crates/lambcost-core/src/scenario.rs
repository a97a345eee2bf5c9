//! How a function is set up beyond its measured figures, and the one way a profile is priced:
//! a [`Scenario`] (ephemeral storage, Provisioned Concurrency, SnapStart, a what-if memory
//! size) with Lambda's rules about combining them, and [`price`], which turns a profile, a
//! traffic level and a cold-start share into the month's bill under it.
//!
//! Every command that bills a variant (estimate, compare, replay, diff, measure, recommend
//! and its remedies) goes through [`price`], so that a rule of Lambda's (a restore replaces a
//! cold start; SnapStart and Provisioned Concurrency exclude each other) is written once.

use crate::cost::{
    BillError, MonthlyCost, PcOverflow, Pricer, Provisioned, RestoreSource, SnapStart, Workload,
};
use crate::pricing::{Arch, RateGroup};
use crate::profile::Profile;
use crate::share::{ShareChoice, ShareSource, cold_share};
use crate::traffic::TrafficModel;
use rust_decimal::Decimal;

/// Provisioned Concurrency as asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcPlan {
    /// Provisioned environments.
    pub environments: u32,
    /// Hours a month they are enabled (the whole month when `None`).
    pub hours: Option<Decimal>,
    /// Share of the month's invocations that arrive while they are enabled (their hours over
    /// the month's, traffic spread evenly, when `None`).
    pub traffic_share: Option<Decimal>,
    /// How an arrival that finds every environment busy is served.
    pub overflow: PcOverflow,
}

impl PcPlan {
    /// The hours they are enabled in a month of `month_hours`.
    pub fn hours(&self, month_hours: Decimal) -> Decimal {
        self.hours.unwrap_or(month_hours)
    }

    /// The share of the month's invocations that arrive while they are enabled.
    pub fn traffic_share(&self, month_hours: Decimal) -> Decimal {
        self.traffic_share.unwrap_or_else(|| {
            Provisioned::even_traffic_share(self.hours(month_hours), month_hours)
        })
    }
}

/// SnapStart as asked for: how many versions keep a snapshot, for how long, how often a
/// restore replaces a cold start, and the Billed Restore Duration to use where the data has
/// none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapStartPlan {
    /// Published versions with SnapStart on.
    pub versions: u32,
    /// Hours a month the snapshots are cached (the whole month when `None`).
    pub hours_active: Option<Decimal>,
    /// Share of invocations that are restores (the cold-start share when not given).
    pub restore_rate: Option<Decimal>,
    /// Billed Restore Duration where the data carries none.
    pub restore_ms: Option<Decimal>,
}

/// What SnapStart did to a variant's workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapStartUse {
    /// Not asked for.
    Off,
    /// The runtime does not offer it; the workload is left as it was.
    Unavailable,
    /// Restores replace cold starts, billed from the data's own Billed Restore Duration, the
    /// given one, or none.
    Restore(RestoreSource),
}

/// A function's setup beyond its measured figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Configured ephemeral storage (512 MB is included).
    pub ephemeral_storage_mb: u32,
    /// Price at this memory size instead of the variant's own, its durations unchanged (a
    /// comparison at the baseline's memory).
    pub memory_mb: Option<u32>,
    /// Provisioned Concurrency, if configured.
    pub provisioned: Option<PcPlan>,
    /// SnapStart, if enabled.
    pub snapstart: Option<SnapStartPlan>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::on_demand()
    }
}

/// A setup Lambda does not allow, or a figure outside what it allows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Ephemeral storage outside Lambda's range.
    #[error("{mb} is outside {free}..={max} MB")]
    Storage {
        /// The size asked for.
        mb: u32,
        /// The smallest (and included) size.
        free: u32,
        /// The largest.
        max: u32,
    },
    /// Provisioned Concurrency enabled longer than the month.
    #[error("{hours} is longer than the {month_hours}-hour month")]
    ProvisionedHours {
        /// The hours asked for.
        hours: Decimal,
        /// The month's.
        month_hours: Decimal,
    },
    /// SnapStart active longer than the month.
    #[error("{hours} is longer than the {month_hours}-hour month")]
    SnapStartHours {
        /// The hours asked for.
        hours: Decimal,
        /// The month's.
        month_hours: Decimal,
    },
    /// SnapStart with Provisioned Concurrency.
    #[error("SnapStart cannot be combined with Provisioned Concurrency on Lambda; choose one")]
    SnapStartWithProvisioned,
    /// SnapStart with more ephemeral storage than is included.
    #[error("SnapStart cannot be combined with ephemeral storage above {free} MB on Lambda")]
    SnapStartWithStorage {
        /// The included size.
        free: u32,
    },
}

impl Scenario {
    /// Plain on demand: the included storage, nothing provisioned, no SnapStart.
    pub const fn on_demand() -> Scenario {
        Scenario {
            ephemeral_storage_mb: 512,
            memory_mb: None,
            provisioned: None,
            snapstart: None,
        }
    }

    /// Refuses a setup Lambda does not allow: storage outside its range, hours longer than
    /// the month, SnapStart beside Provisioned Concurrency or beside extra storage.
    pub fn check(&self, pricer: &Pricer<'_>) -> Result<(), ScenarioError> {
        let month_hours = pricer.month_hours();
        let storage = pricer.storage_range();
        let mb = self.ephemeral_storage_mb;
        if mb < storage.free || mb > storage.max {
            return Err(ScenarioError::Storage {
                mb,
                free: storage.free,
                max: storage.max,
            });
        }
        if let Some(hours) = self.provisioned.and_then(|pc| pc.hours)
            && hours > month_hours
        {
            return Err(ScenarioError::ProvisionedHours { hours, month_hours });
        }
        if let Some(hours) = self.snapstart.and_then(|s| s.hours_active)
            && hours > month_hours
        {
            return Err(ScenarioError::SnapStartHours { hours, month_hours });
        }
        if self.snapstart.is_some() {
            if self.provisioned.is_some_and(|pc| pc.environments > 0) {
                return Err(ScenarioError::SnapStartWithProvisioned);
            }
            if mb > storage.free {
                return Err(ScenarioError::SnapStartWithStorage { free: storage.free });
            }
        }
        Ok(())
    }

    /// Whether the month holds nothing but on-demand duration and requests (no Provisioned
    /// Concurrency, no SnapStart, no storage above what is included).
    pub fn is_on_demand(&self, pricer: &Pricer<'_>) -> bool {
        self.provisioned.is_none()
            && self.snapstart.is_none()
            && self.ephemeral_storage_mb <= pricer.storage_range().free
    }
}

/// One variant's month at one traffic level, as billed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priced {
    /// The workload as billed (its cold share and billed durations after SnapStart).
    pub workload: Workload,
    /// Its bill.
    pub cost: MonthlyCost,
    /// Where the cold-start share came from.
    pub source: ShareSource,
    /// What SnapStart did to it.
    pub snapstart: SnapStartUse,
}

/// The month of `profile` at `requests` invocations, a `share` of them cold (from where it
/// came), under `scenario`.
///
/// With SnapStart, where the variant's runtime offers it, every cold start becomes a restore:
/// billed as a warm invoke plus the Billed Restore Duration (the data's own, else the one
/// given, else none, said in [`SnapStartUse`]); the snapshot's cache and restores are charged
/// where the runtime's family pays for them.
///
/// Fails when an input lies beyond the bounds the arithmetic is exact for, or when the region
/// has no rates for the profile's architecture.
pub fn price(
    profile: &Profile,
    requests: u64,
    (share, source): (Decimal, ShareSource),
    scenario: &Scenario,
    pricer: &Pricer<'_>,
) -> Result<Priced, BillError> {
    let month_hours = pricer.month_hours();
    let mut workload = Workload {
        requests,
        memory_mb: scenario.memory_mb.unwrap_or(profile.memory_mb),
        warm_billed_ms: profile.warm_billed_ms,
        cold_billed_ms: profile.cold_billed_ms,
        cold_start_rate: share,
        ephemeral_storage_mb: scenario.ephemeral_storage_mb,
        provisioned: scenario.provisioned.map(|pc| Provisioned {
            environments: pc.environments,
            hours: pc.hours(month_hours),
            traffic_share: pc.traffic_share(month_hours),
            overflow: pc.overflow,
        }),
        snapstart: None,
    };
    let snapstart = match &scenario.snapstart {
        Some(plan) => with_snapstart(&mut workload, profile, plan, pricer),
        None => SnapStartUse::Off,
    };
    let cost = pricer.cost(&workload, profile.arch)?;
    Ok(Priced {
        workload,
        cost,
        source,
        snapstart,
    })
}

/// `w` with SnapStart as `plan` asks, where the variant's runtime offers it.
fn with_snapstart(
    w: &mut Workload,
    profile: &Profile,
    plan: &SnapStartPlan,
    pricer: &Pricer<'_>,
) -> SnapStartUse {
    let Some(charged) = pricer.snapstart_support(&profile.runtime) else {
        return SnapStartUse::Unavailable;
    };
    let restore_rate = plan.restore_rate.unwrap_or(w.cold_start_rate);
    let (restore_billed_ms, from) = crate::cost::snapstart_restore_billed_ms(
        profile.warm_billed_ms,
        profile.billed_restore_ms,
        plan.restore_ms,
    );
    w.cold_billed_ms = restore_billed_ms;
    w.cold_start_rate = restore_rate;
    w.snapstart = Some(SnapStart {
        versions: plan.versions,
        hours_active: plan.hours_active.unwrap_or(pricer.month_hours()),
        restore_rate,
        charged,
    });
    SnapStartUse::Restore(from)
}

/// Lambda's default quota of concurrent executions per region and account.
pub const DEFAULT_CONCURRENCY_QUOTA: u32 = 1_000;

/// Whether a month keeps more invocations in flight on average than Lambda's default quota
/// allows: a quota increase is needed, or invocations are throttled.
pub fn beyond_default_quota(cost: &MonthlyCost, month_hours: Decimal) -> Option<Decimal> {
    let concurrency = cost.mean_concurrency(month_hours);
    (concurrency > Decimal::from(DEFAULT_CONCURRENCY_QUOTA)).then_some(concurrency)
}

/// The groups of rates a set of months is billed at under `scenario`: requests and duration
/// always, the higher duration tiers when a month (with the account's other usage) reaches
/// them, storage, Provisioned Concurrency and SnapStart where the scenario has them. A rate
/// the price book assumed matters only when its group is billed.
pub fn rate_groups<'m>(
    scenario: &Scenario,
    pricer: &Pricer<'_>,
    months: impl IntoIterator<Item = (Arch, &'m MonthlyCost)>,
) -> Vec<RateGroup> {
    let mut used = vec![RateGroup::Requests, RateGroup::Duration];
    let account = pricer.account().gb_seconds;
    let reaches_tier_2 = months.into_iter().any(|(arch, cost)| {
        pricer.rates(arch).is_ok_and(|r| {
            r.duration_tiers
                .get(1)
                .is_some_and(|t| cost.gb_seconds + account > t.from_gb_seconds)
        })
    });
    if reaches_tier_2 {
        used.push(RateGroup::DurationTiers);
    }
    if scenario.ephemeral_storage_mb > pricer.storage_range().free {
        used.push(RateGroup::EphemeralStorage);
    }
    if scenario.provisioned.is_some() {
        used.push(RateGroup::ProvisionedConcurrency);
    }
    if scenario.snapstart.is_some() {
        used.push(RateGroup::Snapstart);
    }
    used
}

/// The on-demand month of `profile` at `requests`, its cold-start share as `choice` asks: what
/// a comparison, a diff or a decision prices.
pub fn on_demand(
    profile: &Profile,
    requests: u64,
    choice: ShareChoice,
    model: &TrafficModel,
    pricer: &Pricer<'_>,
) -> Result<Priced, BillError> {
    let share = cold_share(profile, requests, choice, model);
    price(profile, requests, share, &Scenario::on_demand(), pricer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{book, pricer};

    use crate::pricing::Arch;

    use rust_decimal_macros::dec;

    fn given(share: Decimal) -> (Decimal, ShareSource) {
        (share, ShareSource::Given)
    }

    #[test]
    fn on_demand_and_at_another_memory() {
        let book = book();
        let pricer = pricer(&book);
        let p = Profile::workload(dec!(100), dec!(0), 512, "dotnet8", Arch::X86_64, &pricer);
        // 1M x 0.1 s x 0.5 GB = 50,000 GB-s x $0.0000166667 = $0.833335, plus 1M requests at
        // $0.20 a million.
        let month = price(
            &p,
            1_000_000,
            given(dec!(0)),
            &Scenario::on_demand(),
            &pricer,
        )
        .expect("priced");
        assert_eq!(month.cost.total_usd(), dec!(1.033335));
        assert_eq!(month.snapstart, SnapStartUse::Off);
        // The same durations at 1024 MB: 100,000 GB-s, $1.66667 + $0.20.
        let at_1024 = Scenario {
            memory_mb: Some(1024),
            ..Scenario::on_demand()
        };
        let month = price(&p, 1_000_000, given(dec!(0)), &at_1024, &pricer).expect("priced");
        assert_eq!(month.cost.total_usd(), dec!(1.86667));
    }

    #[test]
    fn a_restore_replaces_a_cold_start_where_the_runtime_offers_snapstart() {
        let book = book();
        let pricer = pricer(&book);
        let plan = SnapStartPlan {
            versions: 1,
            hours_active: None,
            restore_rate: None,
            restore_ms: Some(dec!(200)),
        };
        let snapstart = Scenario {
            snapstart: Some(plan),
            ..Scenario::on_demand()
        };
        let p = Profile::workload(dec!(100), dec!(900), 512, "dotnet8", Arch::X86_64, &pricer);
        let month = price(&p, 1_000_000, given(dec!(0.01)), &snapstart, &pricer).expect("priced");
        // A restore bills the warm invoke (100 ms) plus the Billed Restore Duration given.
        assert_eq!(month.workload.cold_billed_ms, dec!(300));
        assert_eq!(month.workload.cold_start_rate, dec!(0.01));
        assert_eq!(month.snapstart, SnapStartUse::Restore(RestoreSource::Given));
        // 10,000 restores x 0.5 GB x $0.0001397998 a GB.
        assert_eq!(month.cost.snapstart_restore_usd, dec!(0.698999));
        // No SnapStart on a custom runtime: the month as it was.
        let custom = Profile::workload(
            dec!(100),
            dec!(900),
            512,
            "provided.al2023",
            Arch::X86_64,
            &pricer,
        );
        let month =
            price(&custom, 1_000_000, given(dec!(0.01)), &snapstart, &pricer).expect("priced");
        assert_eq!(month.snapstart, SnapStartUse::Unavailable);
        assert_eq!(month.workload.cold_billed_ms, custom.cold_billed_ms);
    }

    #[test]
    fn lambdas_rules_about_combining_them() {
        let book = book();
        let pricer = pricer(&book);
        let pc = PcPlan {
            environments: 2,
            hours: Some(dec!(800)),
            traffic_share: None,
            overflow: PcOverflow::Queue,
        };
        let snap = SnapStartPlan {
            versions: 1,
            hours_active: None,
            restore_rate: None,
            restore_ms: None,
        };
        let with = |f: &dyn Fn(&mut Scenario)| {
            let mut s = Scenario::on_demand();
            f(&mut s);
            s.check(&pricer)
        };
        assert_eq!(with(&|_| {}), Ok(()));
        assert_eq!(
            with(&|s| s.ephemeral_storage_mb = 511),
            Err(ScenarioError::Storage {
                mb: 511,
                free: 512,
                max: 10_240
            })
        );
        assert!(matches!(
            with(&|s| s.provisioned = Some(pc)),
            Err(ScenarioError::ProvisionedHours { .. })
        ));
        let pc = PcPlan { hours: None, ..pc };
        assert_eq!(
            with(&|s| {
                s.provisioned = Some(pc);
                s.snapstart = Some(snap);
            }),
            Err(ScenarioError::SnapStartWithProvisioned)
        );
        assert_eq!(
            with(&|s| {
                s.ephemeral_storage_mb = 1024;
                s.snapstart = Some(snap);
            }),
            Err(ScenarioError::SnapStartWithStorage { free: 512 })
        );
        // Half the month's hours: half its invocations arrive while they are on.
        let half = PcPlan {
            hours: Some(dec!(365)),
            ..pc
        };
        assert_eq!(half.traffic_share(dec!(730)), dec!(0.5));
    }

    #[test]
    fn the_rates_a_month_bills_and_the_default_quota() {
        let book = book();
        let pricer = pricer(&book);
        let small = MonthlyCost {
            gb_seconds: dec!(1000),
            ..MonthlyCost::default()
        };
        let months = [(Arch::X86_64, &small)];
        assert_eq!(
            rate_groups(&Scenario::on_demand(), &pricer, months),
            vec![RateGroup::Requests, RateGroup::Duration]
        );
        // Past 6 billion GB-s a month, us-east-1's second tier is billed.
        let large = MonthlyCost {
            gb_seconds: dec!(6_000_000_001),
            ..MonthlyCost::default()
        };
        let pc = Scenario {
            provisioned: Some(PcPlan {
                environments: 1,
                hours: None,
                traffic_share: None,
                overflow: PcOverflow::Queue,
            }),
            ..Scenario::on_demand()
        };
        assert_eq!(
            rate_groups(&pc, &pricer, [(Arch::X86_64, &large)]),
            vec![
                RateGroup::Requests,
                RateGroup::Duration,
                RateGroup::DurationTiers,
                RateGroup::ProvisionedConcurrency
            ]
        );
        // 1,001 invocations in flight on average over a 730-hour month.
        let busy = MonthlyCost {
            billed_seconds: dec!(730) * dec!(3600) * dec!(1001),
            ..MonthlyCost::default()
        };
        assert_eq!(beyond_default_quota(&busy, dec!(730)), Some(dec!(1001)));
        assert_eq!(beyond_default_quota(&small, dec!(730)), None);
    }
}
