//! The largest inputs lambcost prices exactly: one family of bounds about `Decimal`'s 28
//! significant digits.
//!
//! Every sum of billed milliseconds, GB-seconds and dollars must stay exact, so each quantity
//! people type or a file holds has a ceiling far beyond anything Lambda allows; only a
//! mistyped figure meets one. They live at the bottom so that the parsers (`units`), the price
//! book (`pricing`) and the billing arithmetic (`cost`) share them without importing each other.

/// The largest monthly traffic lambcost accepts: a quadrillion invocations.
///
/// Far beyond any real function, and small enough that every sum of billed milliseconds and
/// GB-seconds stays exact inside a `Decimal` (28 significant digits).
pub const MAX_REQUESTS: u64 = 1_000_000_000_000_000;

/// Lambda's maximum function timeout, in milliseconds: no invocation can be billed longer.
pub const MAX_DURATION_MS: u64 = 900_000;

/// The largest billed duration the arithmetic accepts for one invocation: far beyond
/// Lambda's 15-minute timeout plus a 10-second init, so no real invocation is refused.
pub const MAX_BILLED_MS: u64 = 10_000_000;

/// The largest memory setting the arithmetic accepts (Lambda's own limit is 10,240 MB).
pub const MAX_MEMORY_MB: u32 = 100_000;

/// The most GB-seconds or requests an account may already have used in the month.
pub const MAX_ACCOUNT_USAGE: u64 = 1_000_000_000_000_000_000;

/// The most provisioned environments priced (Lambda's concurrency quotas are in the
/// thousands; the Erlang B recurrence takes one step per environment).
pub const MAX_PC_ENVIRONMENTS: u32 = 1_000_000;

/// The dearest rate the arithmetic accepts, in USD per unit.
pub const MAX_RATE_USD: u64 = 1_000_000;

/// The largest quantity or cost one line of a billing export may state: a quadrillion, far
/// beyond any account's month, so that every product with a rate and every sum of a month's
/// lines stays within a `Decimal`.
pub const MAX_BILL_AMOUNT: u64 = 1_000_000_000_000_000;
