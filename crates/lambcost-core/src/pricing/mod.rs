//! The price book: AWS Lambda's rates per region and architecture, read from a YAML file
//! (`pricing/aws-lambda.yaml`, compiled in as the default) and validated before any cost is
//! computed with them.
//!
//! Every rate is a `Decimal` taken from the file's text: `0.0000166667` stays exactly that.

mod arch;
mod book;
mod rates;
mod runtime;

pub use arch::Arch;
pub use book::{
    EarlierGranularity, FreeTier, InitBilling, MemoryRange, NoArchPrices, PriceBook,
    SnapStartRuntimes, StorageRange, UnknownRegion,
};
pub use rates::{ArchPrices, Rate, RateGroup, Region, Tier};
pub use runtime::{RuntimeFamily, RuntimeKind, Version, split_runtime};

/// The embedded default price book, as shipped in `pricing/aws-lambda.yaml`.
pub const DEFAULT_PRICING_YAML: &str = include_str!("../../../../pricing/aws-lambda.yaml");

/// How the embedded default is named in messages.
pub const DEFAULT_PRICING_ORIGIN: &str = "pricing/aws-lambda.yaml (embedded)";
