//! A function's bill beside what its logs imply: the GB-seconds and requests the REPORT
//! lines add up to, priced at the same public rates as the bill's lines, and the causes of
//! the difference that the bill's own lines name.

use super::ledger::{ChargeKey, ChargeSum};
use super::line::Charge;
use crate::cost::memory_gb;
use crate::pricing::{Arch, ArchPrices};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// What a function's logs show for one memory size and architecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogUsage {
    /// Which logs, as the report names them.
    pub name: String,
    /// The memory size the invocations ran at.
    pub memory_mb: u32,
    /// The architecture.
    pub arch: Arch,
    /// Invocations.
    pub invocations: u64,
    /// Their billed milliseconds, summed.
    pub billed_ms: u128,
}

impl LogUsage {
    /// GB-seconds, exactly: billed seconds × memory in GB (MB / 1024).
    pub fn gb_seconds(&self) -> Decimal {
        Decimal::from(self.billed_ms) / Decimal::from(1000) * memory_gb(self.memory_mb)
    }
}

/// One cause of a difference between a bill and the logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Duration billed as the `Shutdown` operation: outside invocations, no REPORT line.
    Shutdown {
        /// GB-seconds.
        gb_seconds: Decimal,
    },
    /// More (or fewer) requests billed than the logs show: invocations outside the logs'
    /// window, or not logged.
    Requests {
        /// Billed minus logged.
        difference: i128,
    },
    /// The free tier paid for part of the usage.
    FreeTier {
        /// The public cost it paid.
        usd: Decimal,
    },
    /// A Savings Plan paid for part of the usage.
    SavingsPlan {
        /// What the plan saved on its covered usage.
        usd: Decimal,
    },
    /// The logs show the function at more than one memory size in the month.
    MemoryChanged {
        /// The sizes.
        memory_mb: Vec<u32>,
    },
}

/// A function's bill beside its logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// Invocation duration GB-seconds the bill states (operation `Invoke`, free tier and
    /// covered usage included).
    pub bill_gb_seconds: Decimal,
    /// Requests the bill states.
    pub bill_requests: Decimal,
    /// Public on-demand cost of those lines.
    pub bill_public_usd: Decimal,
    /// What was billed for them (Shutdown duration apart, as for the public cost).
    pub bill_billed_usd: Decimal,
    /// GB-seconds the logs imply.
    pub log_gb_seconds: Decimal,
    /// Invocations the logs show.
    pub log_requests: u64,
    /// The logs' usage at the bill's public rates (the first tier for duration when the bill
    /// shows no rate of its own).
    pub log_public_usd: Decimal,
    /// `log_gb_seconds - bill_gb_seconds`.
    pub gb_seconds_difference: Decimal,
    /// `log_public_usd - bill_public_usd`.
    pub usd_difference: Decimal,
    /// What the bill's lines name as causes.
    pub causes: Vec<Cause>,
}

impl Reconciliation {
    /// The GB-second difference as a share of the bill's (0 when the bill has none).
    pub fn gb_seconds_share(&self) -> Decimal {
        if self.bill_gb_seconds.is_zero() {
            return Decimal::ZERO;
        }
        self.gb_seconds_difference / self.bill_gb_seconds
    }
}

/// Reconciles a function's charges in one month with the logs of that function.
pub fn reconcile(
    charges: &BTreeMap<ChargeKey, ChargeSum>,
    logs: &[LogUsage],
    prices: Option<&ArchPrices>,
) -> Reconciliation {
    let mut bill_gb_seconds = Decimal::ZERO;
    let mut bill_requests = Decimal::ZERO;
    let mut bill_public_usd = Decimal::ZERO;
    let mut bill_billed_usd = Decimal::ZERO;
    let mut shutdown = Decimal::ZERO;
    let mut free_usd = Decimal::ZERO;
    let mut saved_usd = Decimal::ZERO;
    for (key, sum) in charges {
        let invoke = key.operation != "Shutdown";
        match key.charge {
            // Shutdown duration is the bill's, but no log shows it: it is set beside the
            // invocations rather than against them, and out of these sums.
            Charge::Duration if !invoke => {
                shutdown += sum.quantity;
                continue;
            }
            Charge::Duration => bill_gb_seconds += sum.quantity,
            Charge::Requests => bill_requests += sum.quantity,
            _ => continue,
        }
        bill_public_usd += sum.public_cost;
        bill_billed_usd += sum.billed_cost;
        free_usd += sum.free_tier_usd;
        saved_usd += sum.savings_plan_public_usd - sum.savings_plan_effective_usd;
    }
    let log_gb_seconds: Decimal = logs.iter().map(LogUsage::gb_seconds).sum();
    let log_requests: u64 = logs.iter().map(|l| l.invocations).sum();
    let duration_rate = observed_rate(charges, Charge::Duration)
        .or_else(|| prices.and_then(|p| p.duration_tiers.first().map(|t| t.usd_per_gb_second)));
    let request_rate = observed_rate(charges, Charge::Requests)
        .or_else(|| prices.map(|p| p.requests_usd_per_million / Decimal::from(1_000_000)));
    let log_public_usd = log_gb_seconds * duration_rate.unwrap_or_default()
        + Decimal::from(log_requests) * request_rate.unwrap_or_default();
    let mut causes = Vec::new();
    if !shutdown.is_zero() {
        causes.push(Cause::Shutdown {
            gb_seconds: shutdown,
        });
    }
    let requests_difference =
        bill_requests.trunc().to_i128().unwrap_or_default() - i128::from(log_requests);
    if requests_difference != 0 {
        causes.push(Cause::Requests {
            difference: requests_difference,
        });
    }
    if !free_usd.is_zero() {
        causes.push(Cause::FreeTier { usd: free_usd });
    }
    if !saved_usd.is_zero() {
        causes.push(Cause::SavingsPlan { usd: saved_usd });
    }
    let mut sizes: Vec<u32> = logs.iter().map(|l| l.memory_mb).collect();
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.len() > 1 {
        causes.push(Cause::MemoryChanged { memory_mb: sizes });
    }
    Reconciliation {
        bill_gb_seconds,
        bill_requests,
        bill_public_usd,
        bill_billed_usd,
        log_gb_seconds,
        log_requests,
        log_public_usd,
        gb_seconds_difference: log_gb_seconds - bill_gb_seconds,
        usd_difference: log_public_usd - bill_public_usd,
        causes,
    }
}

/// The public rate the bill's invocation lines of `charge` show, when they show one: their
/// public cost over their quantity (CUR keeps the public cost on free-tier lines).
fn observed_rate(charges: &BTreeMap<ChargeKey, ChargeSum>, charge: Charge) -> Option<Decimal> {
    let (quantity, cost) = charges
        .iter()
        .filter(|(k, _)| k.charge == charge && k.operation != "Shutdown")
        .fold((Decimal::ZERO, Decimal::ZERO), |(q, c), (_, s)| {
            // FOCUS lists free-tier lines at 0: their quantity says nothing of the rate.
            let unpriced = if s.free_tier_usd.is_zero() {
                s.free_tier_quantity
            } else {
                Decimal::ZERO
            };
            (q + s.quantity - unpriced, c + s.public_cost)
        });
    (!quantity.is_zero() && !cost.is_zero()).then(|| cost / quantity)
}
