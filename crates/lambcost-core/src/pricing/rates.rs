//! One region's rates: per architecture, the request price, the duration tiers, storage,
//! Provisioned Concurrency and SnapStart, with what is assumed and where each rate comes from.
//! x86_64 is priced in every region; arm64 only where the book has Graviton's rates.

use super::Arch;
use crate::units::Date;
use crate::yaml::{de_date, de_decimal};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A rate group that may be marked as assumed (copied from another region) in a region entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateGroup {
    /// Request price.
    Requests,
    /// On-demand duration tiers.
    Duration,
    /// The on-demand duration tiers above the first, where only the first is published and
    /// the others are derived from it.
    DurationTiers,
    /// Ephemeral storage above the free amount.
    EphemeralStorage,
    /// Provisioned Concurrency (concurrency and duration).
    ProvisionedConcurrency,
    /// SnapStart cache and restore.
    Snapstart,
}

impl RateGroup {
    /// The key used in the pricing file.
    pub fn as_str(self) -> &'static str {
        match self {
            RateGroup::Requests => "requests",
            RateGroup::Duration => "duration",
            RateGroup::DurationTiers => "duration_tiers",
            RateGroup::EphemeralStorage => "ephemeral_storage",
            RateGroup::ProvisionedConcurrency => "provisioned_concurrency",
            RateGroup::Snapstart => "snapstart",
        }
    }
}

/// One rate of an architecture, as named in a price book's `usage_types`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    /// Requests.
    Requests,
    /// On-demand duration (every tier).
    Duration,
    /// Ephemeral storage.
    EphemeralStorage,
    /// Provisioned Concurrency (the environments).
    ProvisionedConcurrency,
    /// Duration on provisioned environments.
    ProvisionedDuration,
    /// SnapStart cache.
    SnapstartCache,
    /// SnapStart restore.
    SnapstartRestore,
}

impl Rate {
    /// Every rate, in the order a price book lists them.
    pub const ALL: [Rate; 7] = [
        Rate::Requests,
        Rate::Duration,
        Rate::EphemeralStorage,
        Rate::ProvisionedConcurrency,
        Rate::ProvisionedDuration,
        Rate::SnapstartCache,
        Rate::SnapstartRestore,
    ];

    /// The key used in the pricing file.
    pub fn as_str(self) -> &'static str {
        match self {
            Rate::Requests => "requests",
            Rate::Duration => "duration",
            Rate::EphemeralStorage => "ephemeral_storage",
            Rate::ProvisionedConcurrency => "provisioned_concurrency",
            Rate::ProvisionedDuration => "provisioned_duration",
            Rate::SnapstartCache => "snapstart_cache",
            Rate::SnapstartRestore => "snapstart_restore",
        }
    }

    /// The group the rate belongs to (what `assumed` marks).
    pub fn group(self) -> RateGroup {
        match self {
            Rate::Requests => RateGroup::Requests,
            Rate::Duration => RateGroup::Duration,
            Rate::EphemeralStorage => RateGroup::EphemeralStorage,
            Rate::ProvisionedConcurrency | Rate::ProvisionedDuration => {
                RateGroup::ProvisionedConcurrency
            }
            Rate::SnapstartCache | Rate::SnapstartRestore => RateGroup::Snapstart,
        }
    }
}

/// One on-demand duration tier: the price per GB-second from a cumulative usage onwards.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Monthly GB-seconds (of the account, per architecture and region) where the tier starts.
    #[serde(deserialize_with = "de_decimal")]
    pub from_gb_seconds: Decimal,
    /// Price of one GB-second within the tier.
    #[serde(deserialize_with = "de_decimal")]
    pub usd_per_gb_second: Decimal,
}

/// Every rate of one architecture in one region.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchPrices {
    /// Price of one million requests.
    #[serde(deserialize_with = "de_decimal")]
    pub requests_usd_per_million: Decimal,
    /// On-demand duration tiers, ascending from 0 GB-seconds.
    pub duration_tiers: Vec<Tier>,
    /// Price per GB-second of ephemeral storage above the free amount.
    #[serde(deserialize_with = "de_decimal")]
    pub ephemeral_storage_usd_per_gb_second: Decimal,
    /// Price per GB-second of configured Provisioned Concurrency.
    #[serde(deserialize_with = "de_decimal")]
    pub provisioned_concurrency_usd_per_gb_second: Decimal,
    /// Duration price per GB-second for invocations served by provisioned environments.
    #[serde(deserialize_with = "de_decimal")]
    pub provisioned_duration_usd_per_gb_second: Decimal,
    /// SnapStart snapshot cache, per GB-second of each active version.
    #[serde(deserialize_with = "de_decimal")]
    pub snapstart_cache_usd_per_gb_second: Decimal,
    /// SnapStart restore, per GB restored.
    #[serde(deserialize_with = "de_decimal")]
    pub snapstart_restore_usd_per_gb: Decimal,
    /// Rate groups without a figure of this region's own, with a note on what was used.
    #[serde(default)]
    pub assumed: BTreeMap<RateGroup, String>,
    /// Where each rate comes from in AWS's price list: its usage type (`AFS1-Request`).
    #[serde(default)]
    pub usage_types: BTreeMap<Rate, String>,
}

/// The rates of one region, with where they come from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Where the figures come from.
    pub source: String,
    /// The day from which these figures are the ones in force.
    #[serde(deserialize_with = "de_date")]
    pub effective: Date,
    /// Intel/AMD rates.
    pub x86_64: ArchPrices,
    /// Graviton rates, where the book has them: a region without Graviton, or a price list
    /// from before it (2021), has none, and nothing stands in for them.
    #[serde(default)]
    pub arm64: Option<ArchPrices>,
}

impl Region {
    /// The rates of one architecture, if the region has them.
    pub fn arch(&self, arch: Arch) -> Option<&ArchPrices> {
        match arch {
            Arch::X86_64 => Some(&self.x86_64),
            Arch::Arm64 => self.arm64.as_ref(),
        }
    }

    /// The architectures the region has rates for, x86_64 first.
    pub fn archs(&self) -> Vec<Arch> {
        [Arch::X86_64, Arch::Arm64]
            .into_iter()
            .filter(|&a| self.arch(a).is_some())
            .collect()
    }
}
