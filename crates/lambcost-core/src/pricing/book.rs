//! The price book's shape and its rules: regions, architectures, the free tier, the INIT
//! rule, SnapStart's runtimes, the billing granularity, each validated when the book is read
//! (the embedded one when lambcost is built, a user's with `--pricing` as it is read).

use super::arch::Arch;
use super::rates::{ArchPrices, Region};
use super::runtime::{RuntimeFamily, RuntimeKind};
use crate::units::Date;
use crate::yaml::{self, Invalid, YamlError, de_date, de_decimal};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Lambda's monthly free tier (an account-level credit).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTier {
    /// Free requests a month.
    pub requests: u64,
    /// Free GB-seconds a month.
    #[serde(deserialize_with = "de_decimal")]
    pub gb_seconds: Decimal,
    /// Where the figures come from.
    pub source: String,
    /// Since when.
    #[serde(deserialize_with = "de_date")]
    pub effective: Date,
}

/// When the INIT phase of a cold start is billed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitBilling {
    /// The day the current rule took effect.
    #[serde(deserialize_with = "de_date")]
    pub effective: Date,
    /// Runtime kinds whose INIT is billed from `effective` on.
    pub billed: Vec<RuntimeKind>,
    /// Runtime kinds whose INIT was billed before `effective`.
    pub billed_before: Vec<RuntimeKind>,
    /// Where the rule comes from.
    pub source: String,
}

/// Which runtimes SnapStart supports, and on which it is free.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapStartRuntimes {
    /// Runtime families with cache and restore charges.
    pub charged: Vec<RuntimeFamily>,
    /// Runtime families where SnapStart costs nothing.
    pub free: Vec<RuntimeFamily>,
    /// Where the list comes from.
    pub source: String,
}

/// A billing granularity that applied until a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlierGranularity {
    /// The first day the current granularity applied.
    #[serde(deserialize_with = "de_date")]
    pub until: Date,
    /// The granularity before that day.
    pub ms: u32,
}

/// An inclusive range of MB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryRange {
    /// Smallest setting.
    pub min: u32,
    /// Largest setting.
    pub max: u32,
}

/// Ephemeral storage limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageRange {
    /// MB included at no charge.
    pub free: u32,
    /// Largest setting.
    pub max: u32,
}

/// The whole price book.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBook {
    /// Format version of the file (1).
    pub schema: u32,
    /// Currency of every price (USD).
    pub currency: String,
    /// Billed duration is rounded up to a multiple of this.
    pub billing_granularity_ms: u32,
    /// The granularity in force before the current one, and until when.
    #[serde(default)]
    pub billing_granularity_before: Option<EarlierGranularity>,
    /// Allowed memory settings.
    pub memory_mb: MemoryRange,
    /// Ephemeral storage limits.
    pub ephemeral_storage_mb: StorageRange,
    /// Default month length for always-on charges.
    #[serde(deserialize_with = "de_decimal")]
    pub month_hours: Decimal,
    /// The free tier.
    pub free_tier: FreeTier,
    /// The INIT billing rule.
    pub init_billing: InitBilling,
    /// SnapStart's runtimes.
    pub snapstart: SnapStartRuntimes,
    /// Rates per region.
    pub regions: BTreeMap<String, Region>,
}

/// A region the price book does not know, with the ones it does.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{name}' is not a region of the pricing file; known regions: {}", known.join(", "))]
pub struct UnknownRegion {
    /// The name asked for.
    pub name: String,
    /// The regions of the price book.
    pub known: Vec<String>,
}

/// An architecture a region of the price book has no rates for: what the region does price,
/// and which regions of the book price the architecture asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{region} has no {arch} prices in this price book; it prices {} only{}",
    list(priced),
    match elsewhere.as_slice() {
        [] => format!(", and no region of the book prices {arch}"),
        some => format!("; {arch} is priced in {}", some.join(", ")),
    }
)]
pub struct NoArchPrices {
    /// The region asked for.
    pub region: String,
    /// The architecture asked for.
    pub arch: Arch,
    /// The architectures the region has rates for.
    pub priced: Vec<Arch>,
    /// The regions of the book with rates for `arch`.
    pub elsewhere: Vec<String>,
}

/// Architectures as a sentence lists them: `x86_64`, `x86_64 and arm64`.
fn list(archs: &[Arch]) -> String {
    archs
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

impl PriceBook {
    /// Why `region` has no rates for `arch`: what it prices instead, and which regions price
    /// `arch`.
    pub fn missing_arch(&self, region: &str, arch: Arch) -> NoArchPrices {
        NoArchPrices {
            region: region.to_string(),
            arch,
            priced: self
                .regions
                .get(region)
                .map(Region::archs)
                .unwrap_or_default(),
            elsewhere: self
                .regions
                .iter()
                .filter(|(_, r)| r.arch(arch).is_some())
                .map(|(n, _)| n.clone())
                .collect(),
        }
    }

    /// Parses and validates a price book from YAML text; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<PriceBook, YamlError> {
        yaml::load(text, origin, PriceBook::validate)
    }

    /// A region by name, or the error listing the known ones.
    pub fn region(&self, name: &str) -> Result<&Region, UnknownRegion> {
        self.regions.get(name).ok_or_else(|| UnknownRegion {
            name: name.to_string(),
            known: self.regions.keys().cloned().collect(),
        })
    }

    /// Whether the INIT phase of a runtime kind is billed on `date`.
    pub fn init_billed(&self, kind: RuntimeKind, date: Date) -> bool {
        let rule = &self.init_billing;
        if date < rule.effective {
            rule.billed_before.contains(&kind)
        } else {
            rule.billed.contains(&kind)
        }
    }

    /// The billing granularity in force on `date`.
    pub fn granularity_ms(&self, date: Date) -> u32 {
        match &self.billing_granularity_before {
            Some(before) if date < before.until => before.ms,
            _ => self.billing_granularity_ms,
        }
    }

    /// Whether SnapStart can be enabled on `runtime`, and if so whether it is charged.
    pub fn snapstart_support(&self, runtime: &str) -> Option<bool> {
        if self.snapstart.charged.iter().any(|f| f.covers(runtime)) {
            Some(true)
        } else if self.snapstart.free.iter().any(|f| f.covers(runtime)) {
            Some(false)
        } else {
            None
        }
    }

    /// The rules a price book must keep beyond its shape.
    fn validate(&self) -> Result<(), Invalid> {
        yaml::check_schema(self.schema)?;
        if self.currency != "USD" {
            return Err(Invalid::at(
                "currency",
                format!(
                    "currency '{}' is not supported; prices must be in USD",
                    self.currency
                ),
            ));
        }
        if self.billing_granularity_ms == 0 {
            return Err(Invalid::at(
                "billing_granularity_ms",
                "must be at least 1 ms",
            ));
        }
        let m = self.memory_mb;
        if m.min == 0 || m.min > m.max {
            return Err(Invalid::at(
                "memory_mb",
                format!("min {} and max {} do not make a range of MB", m.min, m.max),
            ));
        }
        let s = self.ephemeral_storage_mb;
        if s.free > s.max {
            return Err(Invalid::at(
                "ephemeral_storage_mb",
                format!("free {} is above max {}", s.free, s.max),
            ));
        }
        if self.month_hours <= Decimal::ZERO || self.month_hours > Decimal::from(744) {
            return Err(Invalid::at(
                "month_hours",
                format!(
                    "{} is not a month length; give 1 to 744 hours",
                    self.month_hours
                ),
            ));
        }
        non_negative("free_tier.gb_seconds", self.free_tier.gb_seconds)?;
        if self.regions.is_empty() {
            return Err(Invalid::at("regions", "the pricing file names no region"));
        }
        for (name, region) in &self.regions {
            for arch in [Arch::X86_64, Arch::Arm64] {
                if let Some(prices) = region.arch(arch) {
                    validate_arch(&format!("regions.{name}.{arch}"), prices)?;
                }
            }
        }
        Ok(())
    }
}

fn non_negative(path: &str, value: Decimal) -> Result<(), Invalid> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Invalid::at(path, format!("must not be negative: {value}")));
    }
    Ok(())
}

/// A rate: not negative, and not beyond any price Lambda charges.
fn rate_ok(path: &str, value: Decimal) -> Result<(), Invalid> {
    non_negative(path, value)?;
    if value > Decimal::from(crate::bounds::MAX_RATE_USD) {
        return Err(Invalid::at(
            path,
            format!(
                "{value} is not a Lambda rate; rates are USD per unit, at most {}",
                crate::bounds::MAX_RATE_USD
            ),
        ));
    }
    Ok(())
}

fn validate_arch(base: &str, prices: &ArchPrices) -> Result<(), Invalid> {
    rate_ok(
        &format!("{base}.requests_usd_per_million"),
        prices.requests_usd_per_million,
    )?;
    rate_ok(
        &format!("{base}.ephemeral_storage_usd_per_gb_second"),
        prices.ephemeral_storage_usd_per_gb_second,
    )?;
    rate_ok(
        &format!("{base}.provisioned_concurrency_usd_per_gb_second"),
        prices.provisioned_concurrency_usd_per_gb_second,
    )?;
    rate_ok(
        &format!("{base}.provisioned_duration_usd_per_gb_second"),
        prices.provisioned_duration_usd_per_gb_second,
    )?;
    rate_ok(
        &format!("{base}.snapstart_cache_usd_per_gb_second"),
        prices.snapstart_cache_usd_per_gb_second,
    )?;
    rate_ok(
        &format!("{base}.snapstart_restore_usd_per_gb"),
        prices.snapstart_restore_usd_per_gb,
    )?;
    let tiers = &prices.duration_tiers;
    let Some(first) = tiers.first() else {
        return Err(Invalid::at(
            &format!("{base}.duration_tiers"),
            "needs at least one tier, starting at 0 GB-seconds",
        ));
    };
    if !first.from_gb_seconds.is_zero() {
        return Err(Invalid::at(
            &format!("{base}.duration_tiers[0].from_gb_seconds"),
            format!(
                "the first tier must start at 0, not {}",
                first.from_gb_seconds
            ),
        ));
    }
    for (i, tier) in tiers.iter().enumerate() {
        rate_ok(
            &format!("{base}.duration_tiers[{i}].usd_per_gb_second"),
            tier.usd_per_gb_second,
        )?;
        if tier.from_gb_seconds > Decimal::from(crate::bounds::MAX_ACCOUNT_USAGE) {
            return Err(Invalid::at(
                &format!("{base}.duration_tiers[{i}].from_gb_seconds"),
                format!(
                    "{} is beyond any month's usage (at most {})",
                    tier.from_gb_seconds,
                    crate::bounds::MAX_ACCOUNT_USAGE
                ),
            ));
        }
        if i > 0 && tier.from_gb_seconds <= tiers[i - 1].from_gb_seconds {
            return Err(Invalid::at(
                &format!("{base}.duration_tiers[{i}].from_gb_seconds"),
                format!(
                    "tiers must ascend: {} then {}",
                    tiers[i - 1].from_gb_seconds,
                    tier.from_gb_seconds
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{DEFAULT_PRICING_YAML, Rate, RateGroup, RuntimeKind};

    #[test]
    fn one_region_read_alone_is_that_region_of_the_whole_book() {
        let all = PriceBook::embedded();
        for name in ["us-east-1", "af-south-1", "mx-central-1"] {
            let one = PriceBook::embedded_region(name);
            assert_eq!(one.regions.len(), 1);
            assert_eq!(one.region(name), all.region(name));
            let mut rest = all.clone();
            rest.regions.retain(|k, _| k == name);
            assert_eq!(one, rest, "{name}: every other field the same");
        }
        // A region it does not have: the whole book, so that the error lists every one.
        let unknown = PriceBook::embedded_region("mars-1");
        assert_eq!(unknown.regions.len(), all.regions.len());
    }
    use rust_decimal_macros::dec;

    #[test]
    fn the_embedded_book_loads_with_the_published_us_east_1_rates() {
        let book = PriceBook::embedded();
        let us = book.region("us-east-1").expect("us-east-1");
        let x86 = us.arch(Arch::X86_64).expect("x86_64");
        assert_eq!(x86.requests_usd_per_million, dec!(0.20));
        assert_eq!(x86.duration_tiers[0].usd_per_gb_second, dec!(0.0000166667));
        assert_eq!(x86.duration_tiers[1].from_gb_seconds, dec!(6000000000));
        assert_eq!(x86.duration_tiers[2].usd_per_gb_second, dec!(0.0000133334));
        assert_eq!(x86.ephemeral_storage_usd_per_gb_second, dec!(0.0000000309));
        assert_eq!(
            x86.provisioned_concurrency_usd_per_gb_second,
            dec!(0.0000041667)
        );
        assert_eq!(
            x86.provisioned_duration_usd_per_gb_second,
            dec!(0.0000097222)
        );
        assert_eq!(x86.snapstart_cache_usd_per_gb_second, dec!(0.0000015046));
        assert_eq!(x86.snapstart_restore_usd_per_gb, dec!(0.0001397998));
        let arm = us.arch(Arch::Arm64).expect("arm64");
        assert_eq!(arm.duration_tiers[0].usd_per_gb_second, dec!(0.0000133334));
        assert_eq!(arm.duration_tiers[2].from_gb_seconds, dec!(18750000000));
        assert_eq!(book.free_tier.requests, 1_000_000);
        assert_eq!(book.month_hours, dec!(730));
        // Every commercial region AWS lists for Lambda, with its own request price.
        assert_eq!(book.regions.len(), 34);
        for (region, usd) in [
            ("af-south-1", dec!(0.27)),
            ("ap-east-1", dec!(0.28)),
            ("eu-south-1", dec!(0.23)),
            ("eu-central-2", dec!(0.22)),
            ("ap-southeast-5", dec!(0.18)),
            ("eu-central-1", dec!(0.20)),
        ] {
            let x86 = &book.regions[region].x86_64;
            assert_eq!(x86.requests_usd_per_million, usd, "{region}");
            assert!(!x86.assumed.contains_key(&RateGroup::Requests), "{region}");
            assert!(x86.usage_types.contains_key(&Rate::Requests), "{region}");
        }
    }

    #[test]
    fn init_billing_follows_the_rule_and_its_date() {
        let book = PriceBook::embedded();
        let before: Date = "2025-07-31".parse().expect("date");
        let after: Date = "2025-08-01".parse().expect("date");
        assert!(book.init_billed(RuntimeKind::Managed, after));
        assert!(!book.init_billed(RuntimeKind::Managed, before));
        assert!(book.init_billed(RuntimeKind::Custom, before));
        // 1 ms rounding from 1 December 2020; 100 ms before.
        assert_eq!(book.granularity_ms(after), 1);
        assert_eq!(book.granularity_ms("2020-12-01".parse().expect("date")), 1);
        assert_eq!(
            book.granularity_ms("2020-11-30".parse().expect("date")),
            100
        );
    }

    #[test]
    fn runtimes_are_classified() {
        assert_eq!(RuntimeKind::of("provided.al2023"), RuntimeKind::Custom);
        assert_eq!(RuntimeKind::of("dotnet8"), RuntimeKind::Managed);
        let book = PriceBook::embedded();
        assert_eq!(book.snapstart_support("dotnet8"), Some(true));
        assert_eq!(book.snapstart_support("java21"), Some(false));
        assert_eq!(book.snapstart_support("provided.al2023"), None);
        // By family and version, not by a list: later versions are covered as they arrive.
        assert_eq!(book.snapstart_support("python3.14"), Some(true));
        assert_eq!(book.snapstart_support("python3.11"), None);
        assert_eq!(book.snapstart_support("java25"), Some(false));
        assert_eq!(book.snapstart_support("java8.al2"), None);
        assert_eq!(book.snapstart_support("dotnet10"), Some(true));
        assert_eq!(book.snapstart_support("dotnet6"), None);
        assert_eq!(book.snapstart_support("nodejs22.x"), None);
    }

    fn broken(from: &str, to: &str) -> YamlError {
        assert!(
            DEFAULT_PRICING_YAML.contains(from),
            "fixture text '{from}' not found"
        );
        let text = DEFAULT_PRICING_YAML.replacen(from, to, 1);
        PriceBook::from_yaml(&text, "pricing.yaml").expect_err("must be refused")
    }

    fn line_of(needle: &str) -> usize {
        DEFAULT_PRICING_YAML
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    #[test]
    fn descending_tiers_are_refused_where_they_are() {
        let err = broken(
            "{ from_gb_seconds: 15000000000, usd_per_gb_second: 0.0000176800 }",
            "{ from_gb_seconds: 600000000, usd_per_gb_second: 0.0000176800 }",
        );
        let line = line_of("{ from_gb_seconds: 15000000000, usd_per_gb_second: 0.0000176800 }");
        assert_eq!(err.position, Some((line, 30)), "{err}");
        assert_eq!(
            err.to_string(),
            format!(
                "pricing.yaml:{line}:30: regions.af-south-1.x86_64.duration_tiers[2].from_gb_seconds: tiers must ascend: 6000000000 then 600000000"
            )
        );
    }

    #[test]
    fn negative_prices_and_unknown_keys_are_refused() {
        let err = broken(
            "requests_usd_per_million: 0.20",
            "requests_usd_per_million: -0.20",
        );
        assert!(
            err.to_string().contains("must not be negative: -0.2"),
            "{err}"
        );
        assert_eq!(
            err.position.map(|p| p.0),
            Some(line_of("requests_usd_per_million: 0.20"))
        );
        let err = broken(
            "      requests_usd_per_million: 0.20",
            "      request_price: 0.20",
        );
        assert!(
            err.to_string().contains("unknown field `request_price`"),
            "{err}"
        );
        assert!(err.position.is_some());
        let err = broken(
            "{ from_gb_seconds: 0, usd_per_gb_second: 0.0000166667 }",
            "{ from_gb_seconds: 5, usd_per_gb_second: 0.0000166667 }",
        );
        assert!(
            err.to_string()
                .contains("the first tier must start at 0, not 5"),
            "{err}"
        );
    }

    #[test]
    fn an_incomplete_architecture_is_refused() {
        let text = "schema: 1\ncurrency: USD\nbilling_granularity_ms: 1\nmemory_mb: {min: 128, max: 10240}\nephemeral_storage_mb: {free: 512, max: 10240}\nmonth_hours: 730\nfree_tier: {requests: 1, gb_seconds: 1, source: x, effective: 2025-01-01}\ninit_billing: {effective: 2025-08-01, billed: [managed], billed_before: [], source: x}\nsnapstart: {charged: [], free: [], source: x}\nregions:\n  r:\n    source: x\n    effective: 2025-01-01\n    x86_64: {requests_usd_per_million: 1}\n";
        let err = PriceBook::from_yaml(text, "p.yaml").expect_err("incomplete");
        assert!(err.to_string().starts_with("p.yaml:14:"), "{err}");
        assert!(err.to_string().contains("missing field"), "{err}");
    }

    #[test]
    fn a_region_may_price_x86_64_alone() {
        let text = "schema: 1\ncurrency: USD\nbilling_granularity_ms: 1\nmemory_mb: {min: 128, max: 10240}\nephemeral_storage_mb: {free: 512, max: 10240}\nmonth_hours: 730\nfree_tier: {requests: 1, gb_seconds: 1, source: x, effective: 2025-01-01}\ninit_billing: {effective: 2025-08-01, billed: [managed], billed_before: [], source: x}\nsnapstart: {charged: [], free: [], source: x}\nregions:\n  r:\n    source: x\n    effective: 2016-12-01\n    x86_64: {requests_usd_per_million: 0.20, duration_tiers: [{from_gb_seconds: 0, usd_per_gb_second: 0.00001667}], ephemeral_storage_usd_per_gb_second: 0, provisioned_concurrency_usd_per_gb_second: 0, provisioned_duration_usd_per_gb_second: 0, snapstart_cache_usd_per_gb_second: 0, snapstart_restore_usd_per_gb: 0}\n";
        let book = PriceBook::from_yaml(text, "p.yaml").expect("x86_64 alone is a region");
        let r = book.region("r").expect("r");
        assert_eq!(r.archs(), [Arch::X86_64]);
        assert_eq!(r.arch(Arch::Arm64), None);
        assert_eq!(
            r.arch(Arch::X86_64)
                .map(|p| p.duration_tiers[0].usd_per_gb_second),
            Some(dec!(0.00001667))
        );
        assert_eq!(
            book.missing_arch("r", Arch::Arm64).to_string(),
            "r has no arm64 prices in this price book; it prices x86_64 only, and no region of the book prices arm64"
        );
        // arm64, when given, is held to the same rules as x86_64.
        let bad = text.replace(
            "    x86_64: {requests_usd_per_million: 0.20,",
            "    arm64: {requests_usd_per_million: -1, duration_tiers: [{from_gb_seconds: 0, usd_per_gb_second: 0}], ephemeral_storage_usd_per_gb_second: 0, provisioned_concurrency_usd_per_gb_second: 0, provisioned_duration_usd_per_gb_second: 0, snapstart_cache_usd_per_gb_second: 0, snapstart_restore_usd_per_gb: 0}\n    x86_64: {requests_usd_per_million: 0.20,",
        );
        let err = PriceBook::from_yaml(&bad, "p.yaml").expect_err("negative");
        assert!(
            err.to_string()
                .contains("regions.r.arm64.requests_usd_per_million: must not be negative"),
            "{err}"
        );
    }

    #[test]
    fn decimals_keep_every_written_digit() {
        #[derive(Deserialize)]
        struct D {
            #[serde(deserialize_with = "de_decimal")]
            v: Decimal,
        }
        let d: D = serde_yaml::from_str("v: 0.0000166667").expect("parse");
        assert_eq!(d.v, dec!(0.0000166667));
        let d: D = serde_yaml::from_str("v: \"0.00001666666666666667\"").expect("parse");
        assert_eq!(d.v, dec!(0.00001666666666666667));
        assert!(serde_yaml::from_str::<D>("v: 0.00001666666666666667").is_err());
    }
}
