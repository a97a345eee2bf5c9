//! Usage types read as the price book names them: which region, architecture and rate a
//! bill's `USW2-Lambda-GB-Second-ARM` is. The book's `usage_types` (written by `pricing
//! import` from AWS's price list) are the map: an exact name first, else its region prefix
//! and its kind as the book's own names show them; only what no book prices (Lambda@Edge,
//! data transfer) is known by its words.

use super::line::Charge;
use crate::pricing::{Arch, ArchPrices, PriceBook, Rate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What a usage type is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    /// The charge it is.
    pub charge: Charge,
    /// Its architecture (`-ARM` is arm64).
    pub arch: Arch,
    /// The region its prefix names, if the book knows the prefix.
    pub region: Option<String>,
    /// The price book's rate it is billed at, if the book prices it.
    pub rate: Option<Rate>,
}

/// The price book's usage types, indexed.
#[derive(Clone, Debug, Default)]
pub struct UsageTypes {
    exact: BTreeMap<String, (String, Arch, Rate)>,
    prefixes: BTreeMap<String, String>,
    kinds: BTreeMap<String, (Arch, Rate)>,
}

impl UsageTypes {
    /// The index of `book`'s usage types.
    pub fn of(book: &PriceBook) -> UsageTypes {
        let mut out = UsageTypes::default();
        for (region, prices) in &book.regions {
            for arch in prices.archs() {
                let Some(p) = prices.arch(arch) else { continue };
                for (&rate, name) in &p.usage_types {
                    out.exact.insert(name.clone(), (region.clone(), arch, rate));
                    let (prefix, kind) = split_prefix(name);
                    out.kinds.insert(kind.to_string(), (arch, rate));
                    if let Some(prefix) = prefix {
                        out.prefixes.insert(prefix.to_string(), region.clone());
                    }
                }
            }
        }
        out
    }

    /// What `usage_type` is, or `None` for one the book does not know and no word marks.
    pub fn classify(&self, usage_type: &str) -> Classified {
        let arch = if usage_type.ends_with("-ARM") {
            Arch::Arm64
        } else {
            Arch::X86_64
        };
        if let Some((region, arch, rate)) = self.exact.get(usage_type) {
            return Classified {
                charge: charge_of(*rate),
                arch: *arch,
                region: Some(region.clone()),
                rate: Some(*rate),
            };
        }
        let (prefix, kind) = split_prefix(usage_type);
        let known_prefix = prefix.and_then(|p| self.prefixes.get(p));
        // A first word the book does not know as a prefix is part of the kind.
        let kind =
            if prefix.is_some() && known_prefix.is_none() && self.kinds.contains_key(usage_type) {
                usage_type
            } else {
                kind
            };
        if let Some((arch, rate)) = self.kinds.get(kind) {
            return Classified {
                charge: charge_of(*rate),
                arch: *arch,
                region: known_prefix.cloned(),
                rate: Some(*rate),
            };
        }
        Classified {
            charge: charge_by_words(usage_type),
            arch,
            region: known_prefix.cloned(),
            rate: None,
        }
    }

    /// What a line is: by its usage type, or, for an export that states none (the FinOps
    /// Foundation's FOCUS samples), by its description ("AWS Lambda - Total Compute for ARM -
    /// US East (Northern Virginia)-Tier-1").
    pub fn classify_line(&self, usage_type: &str, description: &str) -> Classified {
        if !usage_type.is_empty() {
            return self.classify(usage_type);
        }
        let arch = if description.contains("ARM") {
            Arch::Arm64
        } else {
            Arch::X86_64
        };
        let (charge, rate) = if description.contains("Lambda@Edge") {
            (Charge::Edge, None)
        } else if description.contains("Provisioned Concurrency") {
            (
                Charge::ProvisionedConcurrency,
                Some(Rate::ProvisionedConcurrency),
            )
        } else if description.contains("(Provisioned)")
            || description.contains("Provisioned Duration")
        {
            (Charge::ProvisionedDuration, Some(Rate::ProvisionedDuration))
        } else if description.contains("Storage") {
            (Charge::EphemeralStorage, Some(Rate::EphemeralStorage))
        } else if description.contains("Requests") {
            (Charge::Requests, Some(Rate::Requests))
        } else if description.contains("Compute") {
            (Charge::Duration, Some(Rate::Duration))
        } else {
            (charge_by_words(description), None)
        };
        Classified {
            charge,
            arch,
            region: None,
            rate,
        }
    }

    /// Whether the book names any usage type (a book written by hand may name none).
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

/// A usage type's region prefix and the rest: `USW2-Request` → (`USW2`, `Request`); a name
/// that begins with a word of a kind (`Lambda-…`, `Request…`) has none (us-east-1).
fn split_prefix(usage_type: &str) -> (Option<&str>, &str) {
    match usage_type.split_once('-') {
        Some((head, rest))
            if !head.is_empty()
                && head != "Lambda"
                && head != "Request"
                && head
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
        {
            (Some(head), rest)
        }
        _ => (None, usage_type),
    }
}

/// The charge a rate of the book is.
fn charge_of(rate: Rate) -> Charge {
    match rate {
        Rate::Requests => Charge::Requests,
        Rate::Duration => Charge::Duration,
        Rate::EphemeralStorage => Charge::EphemeralStorage,
        Rate::ProvisionedConcurrency => Charge::ProvisionedConcurrency,
        Rate::ProvisionedDuration => Charge::ProvisionedDuration,
        Rate::SnapstartCache | Rate::SnapstartRestore => Charge::Snapstart,
    }
}

/// The charges no price book rate stands for, by the words AWS's usage types use.
fn charge_by_words(usage_type: &str) -> Charge {
    if usage_type.contains("Lambda-Edge") {
        Charge::Edge
    } else if usage_type.contains("SnapStart") {
        Charge::Snapstart
    } else if usage_type.contains("-Bytes") || usage_type.contains("DataTransfer") {
        Charge::DataTransfer
    } else {
        Charge::Other
    }
}

/// The rates a line at `rate` may be billed at, in the unit bills state (per request, not
/// per million): every duration tier, or the one rate.
pub fn book_rates(prices: &ArchPrices, rate: Rate) -> Vec<Decimal> {
    match rate {
        Rate::Requests => vec![prices.requests_usd_per_million / Decimal::from(1_000_000)],
        Rate::Duration => prices
            .duration_tiers
            .iter()
            .map(|t| t.usd_per_gb_second)
            .collect(),
        Rate::EphemeralStorage => vec![prices.ephemeral_storage_usd_per_gb_second],
        Rate::ProvisionedConcurrency => vec![prices.provisioned_concurrency_usd_per_gb_second],
        Rate::ProvisionedDuration => vec![prices.provisioned_duration_usd_per_gb_second],
        Rate::SnapstartCache => vec![prices.snapstart_cache_usd_per_gb_second],
        Rate::SnapstartRestore => vec![prices.snapstart_restore_usd_per_gb],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> UsageTypes {
        UsageTypes::of(&PriceBook::embedded())
    }

    #[test]
    fn us_east_1_has_no_prefix_and_eu_west_1_is_eu() {
        let t = types();
        let c = t.classify("Lambda-GB-Second");
        assert_eq!(
            (c.charge, c.arch, c.region.as_deref()),
            (Charge::Duration, Arch::X86_64, Some("us-east-1"))
        );
        let c = t.classify("EU-Request");
        assert_eq!(
            (c.charge, c.arch, c.region.as_deref()),
            (Charge::Requests, Arch::X86_64, Some("eu-west-1"))
        );
        let c = t.classify("USW2-Lambda-GB-Second-ARM");
        assert_eq!(
            (c.charge, c.arch, c.region.as_deref()),
            (Charge::Duration, Arch::Arm64, Some("us-west-2"))
        );
    }

    #[test]
    fn a_name_the_book_lacks_is_read_by_its_prefix_and_kind() {
        // The book names no arm64 Provisioned Concurrency in us-west-2; its prefix and the
        // kind us-east-1's name shows still place it.
        let c = types().classify("USW2-Lambda-Provisioned-Concurrency-ARM");
        assert_eq!(c.charge, Charge::ProvisionedConcurrency);
        assert_eq!(c.arch, Arch::Arm64);
        assert_eq!(c.region.as_deref(), Some("us-west-2"));
        assert_eq!(c.rate, Some(Rate::ProvisionedConcurrency));
    }

    #[test]
    fn a_line_without_a_usage_type_is_read_by_its_description() {
        let t = types();
        let c = t.classify_line(
            "",
            "AWS Lambda - Total Compute for ARM - US East (Northern Virginia)-Tier-1",
        );
        assert_eq!((c.charge, c.arch), (Charge::Duration, Arch::Arm64));
        let c = t.classify_line(
            "",
            "AWS Lambda - Total Compute (Provisioned) - EU (Ireland)",
        );
        assert_eq!(c.charge, Charge::ProvisionedDuration);
        let c = t.classify_line("", "AWS Lambda - Total Requests - US East (Ohio)");
        assert_eq!(c.charge, Charge::Requests);
    }

    #[test]
    fn edge_and_data_transfer_are_known_by_their_words() {
        let t = types();
        assert_eq!(t.classify("USE1-Lambda-Edge-Request").charge, Charge::Edge);
        assert_eq!(
            t.classify("USW2-USE1-AWS-Out-Bytes").charge,
            Charge::DataTransfer
        );
        assert_eq!(t.classify("USW2-USE1-AWS-Out-Bytes").rate, None);
    }
}
