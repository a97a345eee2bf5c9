//! lambcost's pure core: what an AWS Lambda function costs a month at a given traffic, and
//! which .NET build mode (Regular JIT, ReadyToRun, NativeAOT) to ship. Plain data in, plain
//! data out: no file, no process, no terminal, no clock, so every answer is unit-tested to
//! the decimal. The readers (`lambcost-readers`), the local runtime (`lambcost-runtime`) and
//! the command line sit above it.
//!
//! The layers, from the bottom:
//! - [`bounds`] (what a `Decimal` keeps exact), [`units`] (the quantities people type),
//!   [`mod@format`] (how numbers are written) and [`yaml`] (the files people edit);
//! - [`pricing`] the price book and [`cost`] the billing arithmetic, with [`cost::Pricer`]
//!   the one way into a book; [`traffic`] how many invocations start cold;
//! - [`measurement`] the model the readers produce and [`grouping`] which function an
//!   invocation belongs to; [`stats`] statistics over it; [`variant`] a summary row and
//!   [`profile`] a variant's figures, however obtained; [`assemble`] the variants of a
//!   command's inputs;
//! - [`share`] which share starts cold, [`scenario`] a setup and the one way a profile is
//!   priced, [`compare`] variants against a baseline, [`replay`] a team's arrivals through
//!   the environment pool, [`diff`] two distributions tested, [`gate`] a pull request's
//!   thresholds, [`bill`] a billing export summed, checked and set beside the logs, and
//!   [`scan`] what an account's functions show;
//! - [`modes`] build-mode facts, [`assess`] what stands between a .NET project and each
//!   mode, and [`decide`] the decision engine.
//!
//! Computing one function's month from Rust:
//!
//! ```
//! use lambcost_core::cost::{monthly_cost, Billing, Workload};
//! use lambcost_core::pricing::{Arch, PriceBook};
//! use rust_decimal::Decimal;
//!
//! let book = PriceBook::embedded();
//! let us = book.region("us-east-1").expect("known region");
//! let prices = us.arch(Arch::X86_64).expect("every region prices x86_64");
//! let billing = Billing {
//!     prices,
//!     month_hours: book.month_hours,
//!     account_gb_seconds: Decimal::ZERO,
//!     account_requests: Decimal::ZERO,
//!     free_tier: None,
//!     storage_free_mb: 512,
//!     savings_plan: Decimal::ZERO,
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

pub mod assemble;
pub mod assess;
pub mod bill;
pub mod bounds;
pub mod compare;
pub mod cost;
pub mod decide;
pub mod diff;
pub mod embedded;
pub mod format;
pub mod gate;
pub mod grouping;
pub mod measurement;
pub mod modes;
pub mod pricing;
pub mod profile;
pub mod replay;
pub mod scan;
pub mod scenario;
pub mod share;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod traffic;
pub mod units;
pub mod variant;
pub mod yaml;

/// The README's Rust examples, compiled and run by `cargo test` so that they keep to the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;
