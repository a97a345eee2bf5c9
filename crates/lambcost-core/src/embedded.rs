//! The data compiled into lambcost, ready to use: the price book
//! (`pricing/aws-lambda.yaml`), the build-mode facts (`data/build-modes.yaml`) and the talk's
//! summary table (`data/results.csv`).
//!
//! The build script reads each file with the same loaders and rules a user's file meets
//! (`--pricing`, `--modes`), so a bad edit fails the build with the file, line and column;
//! then it writes Rust that constructs the values. A start reads no YAML and no CSV: a quick
//! `estimate` spends its time on the estimate. The YAML stays the file people edit, and a
//! unit test keeps the two forms one.

use crate::modes::ModeBook;
use crate::pricing::PriceBook;
use crate::variant::Variant;

mod generated {
    #![allow(clippy::all)]

    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

impl PriceBook {
    /// The embedded default, every region.
    ///
    /// ```
    /// use lambcost_core::pricing::{Arch, PriceBook};
    /// use rust_decimal::Decimal;
    ///
    /// let book = PriceBook::embedded();
    /// let us = book.region("us-east-1").expect("known region");
    /// let x86 = us.arch(Arch::X86_64).expect("every region prices x86_64");
    /// assert_eq!(x86.requests_usd_per_million, Decimal::new(20, 2));
    /// assert_eq!(x86.duration_tiers[0].usd_per_gb_second, Decimal::new(166667, 10));
    /// ```
    pub fn embedded() -> PriceBook {
        let mut book = generated::price_book();
        for name in generated::REGIONS {
            if let Some(region) = generated::region(name) {
                book.regions.insert(name.to_string(), region);
            }
        }
        book
    }

    /// The embedded default with only `region` in it: a command prices one region, and
    /// building the other 33 is work for nothing. The whole book when it has no such region,
    /// or no arm64 rates there, so that the error lists every region (or every one with
    /// arm64).
    pub fn embedded_region(region: &str) -> PriceBook {
        match generated::region(region) {
            Some(found) if found.arm64.is_some() => {
                let mut book = generated::price_book();
                book.regions.insert(region.to_string(), found);
                book
            }
            _ => PriceBook::embedded(),
        }
    }
}

impl ModeBook {
    /// The embedded default, as shipped in `data/build-modes.yaml`.
    pub fn embedded() -> ModeBook {
        generated::mode_book()
    }
}

/// The regions of the embedded price book, in order, without building their rates.
pub fn region_names() -> &'static [&'static str] {
    &generated::REGIONS
}

/// The talk's summary table (`data/results.csv`), its rows as variants.
pub fn talk_variants() -> Vec<Variant> {
    generated::talk_variants()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modes::{DEFAULT_MODES_ORIGIN, DEFAULT_MODES_YAML};
    use crate::pricing::{DEFAULT_PRICING_ORIGIN, DEFAULT_PRICING_YAML};

    #[test]
    fn the_compiled_book_is_the_yaml_read_as_a_user_s_file_is() {
        let from_yaml =
            PriceBook::from_yaml(DEFAULT_PRICING_YAML, DEFAULT_PRICING_ORIGIN).expect("valid");
        assert_eq!(PriceBook::embedded(), from_yaml);
        let modes = ModeBook::from_yaml(DEFAULT_MODES_YAML, DEFAULT_MODES_ORIGIN).expect("valid");
        assert_eq!(ModeBook::embedded(), modes);
    }

    #[test]
    fn one_region_alone_is_that_region_of_the_whole_book() {
        let all = PriceBook::embedded();
        for name in ["us-east-1", "af-south-1", "mx-central-1"] {
            let one = PriceBook::embedded_region(name);
            let mut rest = all.clone();
            rest.regions.retain(|k, _| k == name);
            assert_eq!(one, rest, "{name}: every other field the same");
        }
        // A region it does not have: the whole book, so that the error lists every one.
        assert_eq!(PriceBook::embedded_region("mars-1"), all);
    }

    #[test]
    fn the_talks_table_is_its_five_rows() {
        let names: Vec<String> = talk_variants().into_iter().map(|v| v.name).collect();
        assert_eq!(
            names,
            [
                "regular-net8",
                "r2r-net8",
                "aot-net8",
                "aot-net9",
                "aot-net10"
            ]
        );
    }
}
