//! lambcost: what an AWS Lambda function costs a month at a given traffic, and which .NET build
//! mode (Regular JIT, ReadyToRun, NativeAOT) to ship.
//!
//! The crate's map (docs/ARCHITECTURE.md draws it). Two layers and one rule: the pure core
//! names nothing of the edges.
//!
//! The edges, where lambcost meets the world:
//! - [`cli`] the command line as typed; [`app`] the program's plan and its exit statuses;
//!   [`cmd`] one module per subcommand, turning arguments into the core's inputs and its
//!   answers into reports;
//! - [`samples`] readers of measurements (summary tables, samples, CloudWatch logs) and
//!   [`price_list`] the reader of AWS's price list;
//! - [`runtime`] a local Lambda: the Runtime API, execution environments, the harness;
//! - [`report`] the formats a result is printed in, and [`output`] where it is written.
//!
//! The pure core, with no I/O and no clock:
//! - [`pricing`] the price book, [`cost`] the billing arithmetic in `Decimal` and the
//!   [`cost::Pricer`] every bill goes through, [`traffic`] how many invocations start cold,
//!   [`replay`] the same over a team's own arrivals, environment by environment;
//! - [`measurement`] the model readers produce, [`stats`] statistics over it, [`variant`] and
//!   [`profile`] a variant's figures, [`compare`] variants against a baseline;
//! - [`modes`] build-mode facts and [`decide`] the decision engine;
//! - at the bottom, [`units`] (parsing the quantities people type), [`mod@format`] (how numbers
//!   are written) and [`yaml`] (loading the files people edit).
//!
//! Computing one function's month from Rust:
//!
//! ```
//! use lambcost::cost::{monthly_cost, Billing, Workload};
//! use lambcost::pricing::{Arch, PriceBook};
//! use rust_decimal::Decimal;
//!
//! let book = PriceBook::embedded().expect("the embedded price book is valid");
//! let prices = book.region("us-east-1").expect("known region").arch(Arch::X86_64);
//! let billing = Billing {
//!     prices,
//!     month_hours: book.month_hours,
//!     account_gb_seconds: Decimal::ZERO,
//!     account_requests: Decimal::ZERO,
//!     free_tier: None,
//!     storage_free_mb: 512,
//! };
//! let workload = Workload {
//!     requests: 10_000_000,
//!     memory_mb: 512,
//!     warm_billed_ms: Decimal::from(91),
//!     cold_billed_ms: Decimal::from(6680),
//!     cold_start_rate: Decimal::ZERO,
//!     ephemeral_storage_mb: 512,
//!     provisioned: None,
//!     snapstart: None,
//! };
//! let cost = monthly_cost(&workload, &billing).expect("every input is in range");
//! assert_eq!(cost.total_usd(), Decimal::new(95833485, 7)); // $9.5833485
//! ```

pub mod app;
pub mod assemble;
pub mod assess;
pub mod bounds;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod cost;
pub mod decide;
pub mod diff;
pub mod dotnet;
pub mod format;
pub mod gate;
pub mod grouping;
pub mod measurement;
pub mod modes;
pub mod output;
pub mod present;
pub mod price_list;
pub mod pricing;
pub mod profile;
pub mod replay;
pub mod report;
pub mod runtime;
pub mod samples;
pub mod scenario;
pub mod setup;
pub mod share;
pub mod sources;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod traffic;
pub mod units;
pub mod variant;
pub mod yaml;

/// The README's Rust examples, compiled and run by `cargo test` so that they keep to the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
