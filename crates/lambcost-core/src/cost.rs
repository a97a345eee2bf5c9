//! The billing arithmetic: one function's month on AWS Lambda, priced to the exact decimal.
//!
//! Pure functions over plain data. The caller settles every input (billed durations, the
//! cold-start share, the prices of one region and architecture); nothing here reads a file,
//! looks at a clock or rounds money: totals stay unrounded until a report prints them.

use crate::bounds::{
    MAX_ACCOUNT_USAGE, MAX_BILLED_MS, MAX_MEMORY_MB, MAX_PC_ENVIRONMENTS, MAX_RATE_USD,
    MAX_REQUESTS,
};
use crate::pricing::{
    Arch, ArchPrices, MemoryRange, NoArchPrices, PriceBook, RateGroup, Region, RuntimeKind,
    StorageRange, Tier, UnknownRegion,
};
use crate::units::Date;
use rust_decimal::Decimal;

const MB_PER_GB: Decimal = Decimal::from_parts(1024, 0, 0, false, 0);
const MS_PER_S: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
const S_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);
const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
const SNAPSTART_MIN_HOURS: Decimal = Decimal::from_parts(3, 0, 0, false, 0);
/// Provisioned Concurrency is billed from enable to disable in steps of 5 minutes.
const PC_STEP_S: Decimal = Decimal::from_parts(300, 0, 0, false, 0);

/// Why a month cannot be priced: an input beyond what the arithmetic is exact for. Every
/// bound lies far beyond what Lambda allows, so only a mistyped figure meets one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value} is beyond what lambcost can price (at most {max})")]
pub struct OutOfRange {
    /// The quantity, as the user knows it.
    pub what: &'static str,
    /// Its value.
    pub value: String,
    /// The largest value accepted.
    pub max: String,
}

/// Why a month cannot be billed through a [`Pricer`]: an input beyond the arithmetic's
/// bounds, or an architecture the region has no rates for (none is borrowed from elsewhere).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BillError {
    /// An input lies beyond what the arithmetic is exact for.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The region has no rates for the architecture.
    #[error(transparent)]
    NoArchPrices(#[from] NoArchPrices),
}

fn at_most(what: &'static str, value: Decimal, max: Decimal) -> Result<(), OutOfRange> {
    if value > max || value.is_sign_negative() && !value.is_zero() {
        return Err(OutOfRange {
            what,
            value: value.normalize().to_string(),
            max: max.normalize().to_string(),
        });
    }
    Ok(())
}

/// Rounds a duration up to the billing granularity, with one granule at the least
/// (Lambda never bills an invocation as 0 ms).
pub fn billed_ms(duration_ms: Decimal, granularity_ms: u32) -> Decimal {
    let g = Decimal::from(granularity_ms.max(1));
    let units = (duration_ms / g).ceil().max(Decimal::ONE);
    units * g
}

/// Billed duration of a cold invocation: `ceil(init + duration)` when the INIT phase is
/// billed, `ceil(duration)` when it is not.
pub fn cold_billed_ms(
    init_ms: Decimal,
    duration_ms: Decimal,
    init_billed: bool,
    granularity_ms: u32,
) -> Decimal {
    if init_billed {
        billed_ms(init_ms + duration_ms, granularity_ms)
    } else {
        billed_ms(duration_ms, granularity_ms)
    }
}

/// Billed duration of an invocation that restored a SnapStart snapshot: the invoke rounded up,
/// plus the Billed Restore Duration (loading the runtime and running after-restore hooks;
/// restoring the snapshot itself is free), which Lambda reports already rounded.
pub fn restore_billed_ms(
    duration_ms: Decimal,
    billed_restore_ms: Decimal,
    granularity_ms: u32,
) -> Decimal {
    billed_ms(duration_ms, granularity_ms) + billed_restore_ms
}

/// Where the Billed Restore Duration of a SnapStart restore comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreSource {
    /// The data's own restores (their mean Billed Restore Duration).
    Data,
    /// The user's figure.
    Given,
    /// Neither: restores are billed as warm invocations, the restore itself unpriced.
    None,
}

/// The billed duration of a SnapStart restore, which replaces a cold start: the invoke (billed
/// as a warm one) plus the Billed Restore Duration, the data's own when it carries one, else
/// the figure given, else nothing (and the caller says so).
pub fn snapstart_restore_billed_ms(
    warm_billed_ms: Decimal,
    measured_restore_ms: Option<Decimal>,
    given_restore_ms: Option<Decimal>,
) -> (Decimal, RestoreSource) {
    let (restore_ms, source) = match (measured_restore_ms, given_restore_ms) {
        (Some(ms), _) => (ms, RestoreSource::Data),
        (None, Some(ms)) => (ms.ceil(), RestoreSource::Given),
        (None, None) => (Decimal::ZERO, RestoreSource::None),
    };
    (warm_billed_ms + restore_ms, source)
}

/// GB of a memory setting: MB / 1024, as AWS computes it.
pub fn memory_gb(memory_mb: u32) -> Decimal {
    Decimal::from(memory_mb) / MB_PER_GB
}

/// The seconds Provisioned Concurrency is billed for: its enabled time rounded up to a whole
/// number of 5-minute steps.
pub fn provisioned_billed_seconds(hours: Decimal) -> Decimal {
    (hours * S_PER_HOUR / PC_STEP_S).ceil() * PC_STEP_S
}

/// What happens to an invocation that arrives while Provisioned Concurrency is enabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PcOverflow {
    /// As Lambda serves it: an arrival that finds every provisioned environment busy spills
    /// over to on-demand (a loss system, Erlang B).
    #[default]
    Queue,
    /// AWS's worked examples: every invocation of the window runs on the provisioned
    /// environments while their time allows.
    None,
}

/// Provisioned Concurrency configured on the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provisioned {
    /// Number of provisioned environments.
    pub environments: u32,
    /// Hours a month they are enabled.
    pub hours: Decimal,
    /// Share of the month's invocations that arrive while they are enabled.
    pub traffic_share: Decimal,
    /// How arrivals that find every environment busy are served.
    pub overflow: PcOverflow,
}

impl Provisioned {
    /// The share of a month's invocations that arrive in `hours` when traffic is spread
    /// evenly over a month of `month_hours`.
    pub fn even_traffic_share(hours: Decimal, month_hours: Decimal) -> Decimal {
        if month_hours.is_zero() {
            return Decimal::ONE;
        }
        (hours / month_hours).min(Decimal::ONE)
    }
}

/// SnapStart enabled on the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapStart {
    /// Published versions with SnapStart active (each has its own cached snapshot).
    pub versions: u32,
    /// Hours a month each version is active (billed for at least 3).
    pub hours_active: Decimal,
    /// Share of invocations that restore from the snapshot.
    pub restore_rate: Decimal,
    /// False on runtimes where SnapStart is free (Java).
    pub charged: bool,
}

/// One function's month: traffic, memory, and what each invocation is billed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Invocations in the month.
    pub requests: u64,
    /// Configured memory.
    pub memory_mb: u32,
    /// Mean billed duration of a warm invocation (already rounded per invocation).
    pub warm_billed_ms: Decimal,
    /// Mean billed duration of a cold invocation (init included where billed).
    pub cold_billed_ms: Decimal,
    /// Share of on-demand invocations that start cold (or restore, with SnapStart).
    pub cold_start_rate: Decimal,
    /// Configured ephemeral storage.
    pub ephemeral_storage_mb: u32,
    /// Provisioned Concurrency, if any.
    pub provisioned: Option<Provisioned>,
    /// SnapStart, if enabled.
    pub snapstart: Option<SnapStart>,
}

/// The account-level context of a bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Billing<'a> {
    /// Rates of the function's region and architecture.
    pub prices: &'a ArchPrices,
    /// Length of the month for always-on charges.
    pub month_hours: Decimal,
    /// GB-seconds the account's other functions use this month: they move this function up
    /// the tiers and consume the free tier first.
    pub account_gb_seconds: Decimal,
    /// Requests the account's other functions make this month (they consume the free tier's
    /// requests first).
    pub account_requests: Decimal,
    /// The account's monthly free tier (requests, GB-seconds), if it is to be subtracted.
    pub free_tier: Option<(u64, Decimal)>,
    /// Ephemeral storage included at no charge.
    pub storage_free_mb: u32,
    /// A Compute Savings Plan's discount, as a share (0.17 = 17%), on duration and
    /// Provisioned Concurrency (never requests, storage or SnapStart); 0 without one.
    pub savings_plan: Decimal,
}

/// A month's bill for one workload, every component unrounded.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MonthlyCost {
    /// Invocations.
    pub requests: u64,
    /// Expected cold invocations (or SnapStart restores).
    pub cold_starts: Decimal,
    /// Invocations served by provisioned environments.
    pub provisioned_invocations: Decimal,
    /// Invocations that arrived while Provisioned Concurrency was enabled but found every
    /// provisioned environment busy, and ran on demand.
    pub provisioned_spillover: Decimal,
    /// Billed seconds of every invocation.
    pub billed_seconds: Decimal,
    /// Duration GB-seconds of every invocation (on demand and provisioned).
    pub gb_seconds: Decimal,
    /// On-demand GB-seconds after the free tier.
    pub billable_gb_seconds: Decimal,
    /// Requests after the free tier.
    pub billable_requests: Decimal,
    /// On-demand duration, priced through the tiers.
    pub on_demand_duration_usd: Decimal,
    /// Duration of invocations on provisioned environments.
    pub provisioned_duration_usd: Decimal,
    /// Requests.
    pub requests_usd: Decimal,
    /// Ephemeral storage above the free amount.
    pub ephemeral_storage_usd: Decimal,
    /// Provisioned Concurrency (the environments, whether used or not).
    pub provisioned_concurrency_usd: Decimal,
    /// SnapStart snapshot cache.
    pub snapstart_cache_usd: Decimal,
    /// SnapStart restores.
    pub snapstart_restore_usd: Decimal,
    /// What a Savings Plan took off duration and Provisioned Concurrency (already taken off
    /// those charges above).
    pub savings_plan_usd: Decimal,
}

impl MonthlyCost {
    /// Duration charges: on demand plus provisioned.
    pub fn compute_usd(&self) -> Decimal {
        self.on_demand_duration_usd + self.provisioned_duration_usd
    }

    /// Everything but duration and requests: storage, Provisioned Concurrency, SnapStart.
    pub fn other_usd(&self) -> Decimal {
        self.ephemeral_storage_usd
            + self.provisioned_concurrency_usd
            + self.snapstart_cache_usd
            + self.snapstart_restore_usd
    }

    /// The month's total.
    pub fn total_usd(&self) -> Decimal {
        self.compute_usd() + self.requests_usd + self.other_usd()
    }

    /// Total per million invocations.
    pub fn usd_per_million(&self) -> Decimal {
        if self.requests == 0 {
            return Decimal::ZERO;
        }
        self.total_usd() * MILLION / Decimal::from(self.requests)
    }

    /// Invocations in flight on average over a month of `month_hours`: billed time over
    /// wall time (Little's law).
    pub fn mean_concurrency(&self, month_hours: Decimal) -> Decimal {
        let seconds = month_hours * S_PER_HOUR;
        if seconds.is_zero() {
            return Decimal::ZERO;
        }
        self.billed_seconds / seconds
    }
}

/// Prices `gb_seconds` of on-demand duration that start `already_used` GB-seconds into the
/// month's tiers (tiers are cumulative over the account, per region and architecture).
pub fn tiered_usd(tiers: &[Tier], already_used: Decimal, gb_seconds: Decimal) -> Decimal {
    let start = already_used;
    let end = already_used + gb_seconds;
    let mut usd = Decimal::ZERO;
    for (i, tier) in tiers.iter().enumerate() {
        let tier_start = tier.from_gb_seconds;
        let tier_end = tiers.get(i + 1).map(|t| t.from_gb_seconds);
        let lo = start.max(tier_start);
        let hi = match tier_end {
            Some(e) => end.min(e),
            None => end,
        };
        if hi > lo {
            usd += (hi - lo) * tier.usd_per_gb_second;
        }
    }
    usd
}

/// Refuses inputs the arithmetic is not exact for (see the `MAX_` bounds).
fn check_ranges(w: &Workload, b: &Billing<'_>) -> Result<(), OutOfRange> {
    let max_ms = Decimal::from(MAX_BILLED_MS);
    at_most(
        "requests",
        Decimal::from(w.requests),
        Decimal::from(MAX_REQUESTS),
    )?;
    at_most(
        "memory MB",
        Decimal::from(w.memory_mb),
        MAX_MEMORY_MB.into(),
    )?;
    at_most(
        "ephemeral storage MB",
        Decimal::from(w.ephemeral_storage_mb),
        MAX_MEMORY_MB.into(),
    )?;
    at_most("warm billed ms", w.warm_billed_ms, max_ms)?;
    at_most("cold billed ms", w.cold_billed_ms, max_ms)?;
    at_most("cold-start share", w.cold_start_rate, Decimal::ONE)?;
    at_most("Savings Plan discount", b.savings_plan, Decimal::ONE)?;
    let account = Decimal::from(MAX_ACCOUNT_USAGE);
    at_most("account GB-seconds", b.account_gb_seconds, account)?;
    at_most("account requests", b.account_requests, account)?;
    at_most("month hours", b.month_hours, Decimal::from(744))?;
    let rate = Decimal::from(MAX_RATE_USD);
    let p = b.prices;
    for r in [
        p.requests_usd_per_million,
        p.ephemeral_storage_usd_per_gb_second,
        p.provisioned_concurrency_usd_per_gb_second,
        p.provisioned_duration_usd_per_gb_second,
        p.snapstart_cache_usd_per_gb_second,
        p.snapstart_restore_usd_per_gb,
    ]
    .into_iter()
    .chain(p.duration_tiers.iter().map(|t| t.usd_per_gb_second))
    {
        at_most("a rate in USD", r, rate)?;
    }
    for t in &p.duration_tiers {
        at_most("a tier threshold in GB-seconds", t.from_gb_seconds, account)?;
    }
    if let Some((_, free_gb)) = b.free_tier {
        at_most("free-tier GB-seconds", free_gb, account)?;
    }
    if let Some(pc) = &w.provisioned {
        at_most(
            "Provisioned Concurrency environments",
            Decimal::from(pc.environments),
            Decimal::from(MAX_PC_ENVIRONMENTS),
        )?;
        at_most(
            "Provisioned Concurrency hours",
            pc.hours,
            Decimal::from(744),
        )?;
        at_most(
            "Provisioned Concurrency traffic share",
            pc.traffic_share,
            Decimal::ONE,
        )?;
    }
    if let Some(s) = &w.snapstart {
        at_most("SnapStart hours", s.hours_active, Decimal::from(744))?;
        at_most("SnapStart restore share", s.restore_rate, Decimal::ONE)?;
    }
    Ok(())
}

/// Invocations the provisioned environments serve: of the `window_requests` that arrive while
/// they are enabled, those that find one free (Erlang B, `Queue`) or those whose time fits in
/// the environments' hours (`None`).
fn provisioned_invocations(pc: &Provisioned, window_requests: Decimal, warm_s: Decimal) -> Decimal {
    let window_s = pc.hours * S_PER_HOUR;
    if pc.environments == 0 || window_s.is_zero() || window_requests.is_zero() {
        return Decimal::ZERO;
    }
    match pc.overflow {
        PcOverflow::None => {
            let capacity_s = Decimal::from(pc.environments) * window_s;
            if warm_s.is_zero() {
                window_requests
            } else {
                (capacity_s / warm_s).min(window_requests)
            }
        }
        PcOverflow::Queue => {
            use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
            // Offered load in Erlangs: arrivals per second while enabled x seconds each.
            let load = (window_requests / window_s * warm_s)
                .to_f64()
                .unwrap_or(0.0);
            let blocked = crate::traffic::erlang_b(pc.environments, load);
            let blocked = Decimal::from_f64(blocked)
                .unwrap_or(Decimal::ONE)
                .round_dp(12)
                .clamp(Decimal::ZERO, Decimal::ONE);
            window_requests * (Decimal::ONE - blocked)
        }
    }
}

/// The month's bill for `w` under `b`.
///
/// Invocations that arrive while Provisioned Concurrency is enabled run on the provisioned
/// environments (at the provisioned duration price, warm) when one is free; the rest run on
/// demand, a `cold_start_rate` share of them cold. On-demand GB-seconds go through the tiers
/// after what is left of the account's free tier (never with Provisioned Concurrency).
/// Storage is billed on every invocation's billed time.
///
/// Fails only when an input lies beyond the bounds the arithmetic is exact for.
pub fn monthly_cost(w: &Workload, b: &Billing<'_>) -> Result<MonthlyCost, OutOfRange> {
    check_ranges(w, b)?;
    let p = b.prices;
    let gb = memory_gb(w.memory_mb);
    let requests = Decimal::from(w.requests);
    let warm_s = w.warm_billed_ms / MS_PER_S;
    let cold_s = w.cold_billed_ms / MS_PER_S;

    let (pc_invocations, pc_spillover, pc_concurrency_usd) = match &w.provisioned {
        Some(pc) if pc.environments > 0 => {
            let window = requests * pc.traffic_share;
            let served = provisioned_invocations(pc, window, warm_s);
            let usd = Decimal::from(pc.environments)
                * gb
                * provisioned_billed_seconds(pc.hours)
                * p.provisioned_concurrency_usd_per_gb_second;
            (served, window - served, usd)
        }
        _ => (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
    };
    let pc_seconds = pc_invocations * warm_s;
    let pc_gb_seconds = pc_seconds * gb;

    let on_demand = requests - pc_invocations;
    let cold = on_demand * w.cold_start_rate;
    let warm = on_demand - cold;
    let od_seconds = warm * warm_s + cold * cold_s;
    let od_gb_seconds = od_seconds * gb;
    let billed_seconds = pc_seconds + od_seconds;

    // The free tier is an account credit that AWS withholds from functions with PC; the
    // account's other usage consumes it first.
    let free = match (&b.free_tier, &w.provisioned) {
        (Some(ft), None) => Some(ft),
        (Some(ft), Some(pc)) if pc.environments == 0 => Some(ft),
        _ => None,
    };
    let (free_requests, free_gb_seconds) = match free {
        Some((r, g)) => {
            let left_requests = (Decimal::from(*r) - b.account_requests).max(Decimal::ZERO);
            let left_gb_seconds = (*g - b.account_gb_seconds).max(Decimal::ZERO);
            (
                left_requests.min(requests),
                left_gb_seconds.min(od_gb_seconds),
            )
        }
        None => (Decimal::ZERO, Decimal::ZERO),
    };
    let billable_requests = requests - free_requests;
    let billable_gb_seconds = od_gb_seconds - free_gb_seconds;
    let on_demand_duration_usd = tiered_usd(
        &p.duration_tiers,
        b.account_gb_seconds + free_gb_seconds,
        billable_gb_seconds,
    );

    let extra_storage_mb = w.ephemeral_storage_mb.saturating_sub(b.storage_free_mb);
    let ephemeral_storage_usd =
        memory_gb(extra_storage_mb) * billed_seconds * p.ephemeral_storage_usd_per_gb_second;

    let (snapstart_cache_usd, snapstart_restore_usd) = match &w.snapstart {
        Some(s) if s.charged => {
            let hours = s.hours_active.max(SNAPSTART_MIN_HOURS);
            let cache = Decimal::from(s.versions)
                * gb
                * hours
                * S_PER_HOUR
                * p.snapstart_cache_usd_per_gb_second;
            let restores = requests * s.restore_rate;
            (cache, restores * gb * p.snapstart_restore_usd_per_gb)
        }
        _ => (Decimal::ZERO, Decimal::ZERO),
    };

    // A Compute Savings Plan discounts duration and Provisioned Concurrency, never requests,
    // storage or SnapStart; the discount is the user's own (AWS publishes no Lambda table).
    let keep = Decimal::ONE - b.savings_plan;
    let provisioned_duration_usd = pc_gb_seconds * p.provisioned_duration_usd_per_gb_second;
    let discounted = on_demand_duration_usd + provisioned_duration_usd + pc_concurrency_usd;
    Ok(MonthlyCost {
        requests: w.requests,
        cold_starts: cold,
        provisioned_invocations: pc_invocations,
        provisioned_spillover: pc_spillover,
        billed_seconds,
        gb_seconds: pc_gb_seconds + od_gb_seconds,
        billable_gb_seconds,
        billable_requests,
        on_demand_duration_usd: on_demand_duration_usd * keep,
        provisioned_duration_usd: provisioned_duration_usd * keep,
        requests_usd: billable_requests / MILLION * p.requests_usd_per_million,
        ephemeral_storage_usd,
        provisioned_concurrency_usd: pc_concurrency_usd * keep,
        snapstart_cache_usd,
        snapstart_restore_usd,
        savings_plan_usd: discounted * b.savings_plan,
    })
}

/// The account a bill is made for: what its other functions use, whether its free tier is
/// subtracted, the month's length and the day whose rules apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Length of the month, in hours (the price book's when `None`).
    pub month_hours: Option<Decimal>,
    /// GB-seconds the account's other functions use this month.
    pub gb_seconds: Decimal,
    /// Requests the account's other functions make this month.
    pub requests: Decimal,
    /// Whether to subtract what is left of the free tier.
    pub free_tier: bool,
    /// Bill under the rules in force on this date.
    pub billing_date: Date,
    /// A Compute Savings Plan's discount on duration and Provisioned Concurrency, as a
    /// share (0.17 = 17%); 0 without one.
    pub savings_plan: Decimal,
}

/// The prices of one region and the account, settled once for every workload of a report:
/// the one way into a price book for everything that bills, so that another provider's book
/// could stand behind the same questions.
#[derive(Clone, Debug)]
pub struct Pricer<'a> {
    book: &'a PriceBook,
    region_name: String,
    region: &'a Region,
    month_hours: Decimal,
    account: Account,
}

impl<'a> Pricer<'a> {
    /// The prices of `region` in `book`, for `account`.
    pub fn new(book: &'a PriceBook, region: &str, account: Account) -> Result<Self, UnknownRegion> {
        let found = book.region(region)?;
        Ok(Pricer {
            book,
            region_name: region.to_string(),
            region: found,
            month_hours: account.month_hours.unwrap_or(book.month_hours),
            account,
        })
    }

    /// The account context for one architecture, if the region has its rates.
    pub fn billing(&self, arch: Arch) -> Result<Billing<'_>, NoArchPrices> {
        Ok(Billing {
            prices: self.rates(arch)?,
            month_hours: self.month_hours,
            account_gb_seconds: self.account.gb_seconds,
            account_requests: self.account.requests,
            free_tier: self.account.free_tier.then(|| self.free_tier_allowance()),
            storage_free_mb: self.book.ephemeral_storage_mb.free,
            savings_plan: self.account.savings_plan,
        })
    }

    /// The month's bill of `w` on `arch`.
    pub fn cost(&self, w: &Workload, arch: Arch) -> Result<MonthlyCost, BillError> {
        Ok(monthly_cost(w, &self.billing(arch)?)?)
    }

    /// The region's name.
    pub fn region_name(&self) -> &str {
        &self.region_name
    }

    /// Where the region's figures come from, and from when they apply.
    pub fn provenance(&self) -> (&str, Date) {
        (&self.region.source, self.region.effective)
    }

    /// The rates of one architecture in the region, or what the region prices instead.
    pub fn rates(&self, arch: Arch) -> Result<&ArchPrices, NoArchPrices> {
        self.region
            .arch(arch)
            .ok_or_else(|| self.book.missing_arch(&self.region_name, arch))
    }

    /// What was used for a group of rates the region's sources do not give, if anything.
    pub fn assumed(&self, arch: Arch, group: RateGroup) -> Option<&str> {
        self.region
            .arch(arch)?
            .assumed
            .get(&group)
            .map(String::as_str)
    }

    /// The month's length in hours.
    pub fn month_hours(&self) -> Decimal {
        self.month_hours
    }

    /// The account's other usage and free-tier choice.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The day whose rules apply.
    pub fn billing_date(&self) -> Date {
        self.account.billing_date
    }

    /// The account's monthly free tier: requests and GB-seconds.
    pub fn free_tier_allowance(&self) -> (u64, Decimal) {
        (self.book.free_tier.requests, self.book.free_tier.gb_seconds)
    }

    /// Lambda's memory settings.
    pub fn memory_range(&self) -> MemoryRange {
        self.book.memory_mb
    }

    /// Ephemeral storage: included, and the most that can be configured.
    pub fn storage_range(&self) -> StorageRange {
        self.book.ephemeral_storage_mb
    }

    /// Whether SnapStart can be enabled on `runtime`, and if so whether it is charged.
    pub fn snapstart_support(&self, runtime: &str) -> Option<bool> {
        self.book.snapstart_support(runtime)
    }

    /// The day the current INIT rule took effect.
    pub fn init_rule_since(&self) -> Date {
        self.book.init_billing.effective
    }

    /// The billing granularity in force on the billing date.
    pub fn granularity_ms(&self) -> u32 {
        self.book.granularity_ms(self.account.billing_date)
    }

    /// When the current billing granularity took effect, if the book knows an earlier one.
    pub fn granularity_since(&self) -> Option<Date> {
        self.book.billing_granularity_before.map(|b| b.until)
    }

    /// Billed duration of a warm invocation lasting `duration_ms`.
    pub fn warm_billed_ms(&self, duration_ms: Decimal) -> Decimal {
        billed_ms(duration_ms, self.granularity_ms())
    }

    /// Whether the INIT phase of a cold start on `runtime` is billed on the billing date.
    pub fn init_billed(&self, runtime: &str) -> bool {
        self.book
            .init_billed(RuntimeKind::of(runtime), self.account.billing_date)
    }

    /// Billed duration of a cold invocation on `runtime`, under the INIT rule in force.
    pub fn cold_billed_ms(&self, init_ms: Decimal, duration_ms: Decimal, runtime: &str) -> Decimal {
        cold_billed_ms(
            init_ms,
            duration_ms,
            self.init_billed(runtime),
            self.granularity_ms(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{Arch, PriceBook};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn book() -> PriceBook {
        PriceBook::embedded()
    }

    fn billing(book: &PriceBook, arch: Arch) -> Billing<'_> {
        Billing {
            prices: book.regions["us-east-1"]
                .arch(arch)
                .expect("the embedded us-east-1 has both architectures"),
            month_hours: dec!(730),
            account_gb_seconds: Decimal::ZERO,
            account_requests: Decimal::ZERO,
            free_tier: None,
            storage_free_mb: 512,
            savings_plan: Decimal::ZERO,
        }
    }

    fn workload(requests: u64, memory_mb: u32, warm_ms: Decimal) -> Workload {
        Workload {
            requests,
            memory_mb,
            warm_billed_ms: warm_ms,
            cold_billed_ms: warm_ms,
            cold_start_rate: Decimal::ZERO,
            ephemeral_storage_mb: 512,
            provisioned: None,
            snapstart: None,
        }
    }

    #[test]
    fn a_savings_plan_discounts_duration_and_provisioned_concurrency_never_requests() {
        let book = book();
        let mut b = billing(&book, Arch::X86_64);
        b.savings_plan = dec!(0.17);
        // 10M × 100 ms × 0.5 GB = 500,000 GB-s × $0.0000166667 = $8.33335, 17% off: $6.9166805;
        // 10M requests × $0.20 per million = $2, undiscounted.
        let cost = monthly_cost(&workload(10_000_000, 512, dec!(100)), &b).expect("in range");
        assert_eq!(cost.on_demand_duration_usd, dec!(6.9166805));
        assert_eq!(cost.requests_usd, dec!(2));
        assert_eq!(cost.savings_plan_usd, dec!(1.4166695));
        assert_eq!(cost.total_usd(), dec!(8.9166805));
        // One environment of 512 MB all month: 0.5 GB × 730 h × 3600 s × $0.0000041667
        // = $5.47504380, 17% off = $4.544286354; its invocations' duration at $0.0000097222
        // × 500,000 GB-s = $4.8611, 17% off = $4.034713.
        let mut w = workload(10_000_000, 512, dec!(100));
        w.provisioned = Some(Provisioned {
            environments: 1,
            hours: dec!(730),
            traffic_share: Decimal::ONE,
            overflow: PcOverflow::None,
        });
        let cost = monthly_cost(&w, &b).expect("in range");
        assert_eq!(cost.provisioned_concurrency_usd, dec!(4.544286354));
        assert_eq!(cost.provisioned_duration_usd, dec!(4.034713));
        assert_eq!(cost.requests_usd, dec!(2));
        b.savings_plan = Decimal::ONE + Decimal::ONE;
        assert!(
            monthly_cost(&w, &b).is_err(),
            "a discount over 100% is refused"
        );
    }

    #[test]
    fn an_architecture_the_region_has_no_rates_for_is_refused_not_borrowed() {
        // us-east-1 as an offer file from before Graviton has it, beside us-west-2 with it.
        let mut book = book();
        book.regions
            .retain(|name, _| name == "us-east-1" || name == "us-west-2");
        if let Some(us) = book.regions.get_mut("us-east-1") {
            us.arm64 = None;
        }
        let pricer = crate::testing::pricer(&book);
        let w = workload(10_000_000, 128, dec!(100));
        let err = pricer.cost(&w, Arch::Arm64).expect_err("no arm64 rates");
        assert_eq!(
            err.to_string(),
            "us-east-1 has no arm64 prices in this price book; it prices x86_64 only; arm64 is priced in us-west-2"
        );
        assert!(matches!(err, BillError::NoArchPrices(_)), "{err:?}");
        assert_eq!(pricer.assumed(Arch::Arm64, RateGroup::Duration), None);
        // x86_64 is billed as ever: 10 x $0.20, and 125,000 GB-s x $0.0000166667.
        let cost = pricer.cost(&w, Arch::X86_64).expect("x86_64 rates");
        assert_eq!(cost.requests_usd, dec!(2));
        assert_eq!(cost.total_usd(), dec!(4.0833375));
        // With Graviton nowhere in the book, the message says so.
        book.regions.retain(|name, _| name == "us-east-1");
        let pricer = crate::testing::pricer(&book);
        assert_eq!(
            pricer.rates(Arch::Arm64).expect_err("none").to_string(),
            "us-east-1 has no arm64 prices in this price book; it prices x86_64 only, and no region of the book prices arm64"
        );
    }

    #[test]
    fn a_restore_bills_the_invoke_and_its_billed_restore_duration() {
        // The data's own Billed Restore Duration wins; a given one is rounded up; none adds 0.
        assert_eq!(
            snapstart_restore_billed_ms(dec!(26), Some(dec!(53)), Some(dec!(400))),
            (dec!(79), RestoreSource::Data)
        );
        assert_eq!(
            snapstart_restore_billed_ms(dec!(100), None, Some(dec!(249.2))),
            (dec!(350), RestoreSource::Given)
        );
        assert_eq!(
            snapstart_restore_billed_ms(dec!(100), None, None),
            (dec!(100), RestoreSource::None)
        );
        assert_eq!(
            Provisioned::even_traffic_share(dec!(73), dec!(730)),
            dec!(0.1)
        );
        assert_eq!(
            Provisioned::even_traffic_share(dec!(744), dec!(730)),
            Decimal::ONE
        );
    }

    #[test]
    fn durations_round_up_to_the_millisecond() {
        assert_eq!(billed_ms(dec!(15.74), 1), dec!(16));
        assert_eq!(billed_ms(dec!(16), 1), dec!(16));
        assert_eq!(billed_ms(dec!(16.0001), 1), dec!(17));
        assert_eq!(billed_ms(dec!(0), 1), dec!(1));
        assert_eq!(billed_ms(dec!(0.2), 1), dec!(1));
        assert_eq!(billed_ms(dec!(101), 100), dec!(200));
    }

    #[test]
    fn cold_invocations_bill_init_plus_duration_under_the_init_rule() {
        // AWS's own example: Duration 250.06 ms, Init Duration 100.77 ms.
        assert_eq!(
            cold_billed_ms(dec!(100.77), dec!(250.06), true, 1),
            dec!(351)
        );
        assert_eq!(
            cold_billed_ms(dec!(100.77), dec!(250.06), false, 1),
            dec!(251)
        );
    }

    #[test]
    fn the_decks_regular_function_at_ten_million_warm_only() {
        let book = book();
        let cost = monthly_cost(
            &workload(10_000_000, 512, dec!(91)),
            &billing(&book, Arch::X86_64),
        )
        .expect("in range");
        assert_eq!(cost.gb_seconds, dec!(455000));
        assert_eq!(cost.compute_usd(), dec!(7.5833485));
        assert_eq!(cost.requests_usd, dec!(2));
        assert_eq!(cost.total_usd(), dec!(9.5833485));
        assert_eq!(cost.usd_per_million(), dec!(0.95833485));
    }

    #[test]
    fn one_cold_start_in_2500_gives_the_decks_figure() {
        let book = book();
        let mut w = workload(10_000_000, 512, dec!(91));
        w.cold_billed_ms = dec!(6680);
        w.cold_start_rate = dec!(0.0004);
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.cold_starts, dec!(4000));
        assert_eq!(cost.gb_seconds, dec!(468178));
        assert_eq!(cost.total_usd(), dec!(9.8029822726));
    }

    #[test]
    fn tiers_are_crossed_on_x86_64() {
        let book = book();
        let mut b = billing(&book, Arch::X86_64);
        b.account_gb_seconds = dec!(5999995000);
        let cost = monthly_cost(&workload(10_000, 1024, dec!(1000)), &b).expect("in range");
        assert_eq!(cost.gb_seconds, dec!(10000));
        assert_eq!(cost.on_demand_duration_usd, dec!(0.1583335));
        // All three tiers from an empty account: 6B + 9B + 5B GB-seconds.
        let b = billing(&book, Arch::X86_64);
        let cost = monthly_cost(&workload(20_000_000_000, 1024, dec!(1000)), &b).expect("in range");
        assert_eq!(cost.on_demand_duration_usd, dec!(301667.2));
        assert_eq!(cost.requests_usd, dec!(4000));
    }

    #[test]
    fn tiers_are_crossed_on_arm64_at_their_own_thresholds() {
        let book = book();
        let mut b = billing(&book, Arch::Arm64);
        b.account_gb_seconds = dec!(7499995000);
        let cost = monthly_cost(&workload(10_000, 1024, dec!(1000)), &b).expect("in range");
        assert_eq!(cost.on_demand_duration_usd, dec!(0.1266675));
    }

    #[test]
    fn the_free_tier_comes_off_requests_and_gb_seconds() {
        let book = book();
        let mut b = billing(&book, Arch::X86_64);
        b.free_tier = Some((1_000_000, dec!(400000)));
        let small = monthly_cost(&workload(500_000, 128, dec!(100)), &b).expect("in range");
        assert_eq!(small.total_usd(), Decimal::ZERO);
        let cost = monthly_cost(&workload(3_000_000, 512, dec!(500)), &b).expect("in range");
        assert_eq!(cost.gb_seconds, dec!(750000));
        assert_eq!(cost.billable_gb_seconds, dec!(350000));
        assert_eq!(cost.total_usd(), dec!(6.233345));
    }

    #[test]
    fn ephemeral_storage_bills_only_what_is_above_512_mb() {
        let book = book();
        let mut w = workload(1_000_000, 128, dec!(1000));
        w.ephemeral_storage_mb = 10240;
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.ephemeral_storage_usd, dec!(0.29355));
        w.ephemeral_storage_mb = 512;
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.ephemeral_storage_usd, Decimal::ZERO);
    }

    fn provisioned(
        environments: u32,
        hours: Decimal,
        share: Decimal,
        overflow: PcOverflow,
    ) -> Option<Provisioned> {
        Some(Provisioned {
            environments,
            hours,
            traffic_share: share,
            overflow,
        })
    }

    #[test]
    fn provisioned_concurrency_as_in_aws_worked_examples() {
        // Every invocation arrives while PC is on and runs on it while its time fits.
        let book = book();
        let mut w = workload(1_000_000, 1024, dec!(100));
        w.cold_start_rate = dec!(0.01);
        w.provisioned = provisioned(10, dec!(730), Decimal::ONE, PcOverflow::None);
        let mut b = billing(&book, Arch::X86_64);
        b.free_tier = Some((1_000_000, dec!(400000)));
        let cost = monthly_cost(&w, &b).expect("in range");
        assert_eq!(cost.provisioned_concurrency_usd, dec!(109.500876));
        assert_eq!(cost.provisioned_duration_usd, dec!(0.97222));
        assert_eq!(cost.on_demand_duration_usd, Decimal::ZERO);
        assert_eq!(cost.cold_starts, Decimal::ZERO);
        // The free tier is withheld from functions with Provisioned Concurrency.
        assert_eq!(cost.requests_usd, dec!(0.2));
        assert_eq!(cost.total_usd(), dec!(110.673096));
    }

    #[test]
    fn provisioned_concurrency_time_used_up_spills_over_in_the_worked_example_model() {
        // One environment for one hour serves 3,600 one-second invocations; 6,400 spill.
        let book = book();
        let mut w = workload(10_000, 1024, dec!(1000));
        w.provisioned = provisioned(1, dec!(1), Decimal::ONE, PcOverflow::None);
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.provisioned_invocations, dec!(3600));
        assert_eq!(cost.provisioned_spillover, dec!(6400));
        assert_eq!(cost.on_demand_duration_usd, dec!(0.10666688));
        assert_eq!(cost.provisioned_duration_usd, dec!(0.03499992));
        assert_eq!(cost.provisioned_concurrency_usd, dec!(0.01500012));
        assert_eq!(cost.total_usd(), dec!(0.15866692));
    }

    #[test]
    fn provisioned_concurrency_serves_only_arrivals_that_find_an_environment_free() {
        // 3,600 of 10,000 arrive in the hour PC is on: one a second, one second each, so the
        // offered load is 1 Erlang on 1 environment and Erlang B loses half: 1,800 on PC,
        // 8,200 on demand.
        let book = book();
        let mut w = workload(10_000, 1024, dec!(1000));
        w.provisioned = provisioned(1, dec!(1), dec!(0.36), PcOverflow::Queue);
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.provisioned_invocations, dec!(1800));
        assert_eq!(cost.provisioned_spillover, dec!(1800));
        // 8,200 GB-s x 0.0000166667; 1,800 GB-s x 0.0000097222; 3,600 GB-s x 0.0000041667.
        assert_eq!(cost.on_demand_duration_usd, dec!(0.13666694));
        assert_eq!(cost.provisioned_duration_usd, dec!(0.01749996));
        assert_eq!(cost.provisioned_concurrency_usd, dec!(0.01500012));
        assert_eq!(cost.total_usd(), dec!(0.17116702));
        // Two environments at the same load lose B(2, 1) = 1/5.
        w.provisioned = provisioned(2, dec!(1), dec!(0.36), PcOverflow::Queue);
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.provisioned_invocations, dec!(2880));
    }

    #[test]
    fn provisioned_concurrency_is_billed_in_five_minute_steps() {
        assert_eq!(provisioned_billed_seconds(dec!(1)), dec!(3600));
        // 60.6 minutes are billed as 65.
        assert_eq!(provisioned_billed_seconds(dec!(1.01)), dec!(3900));
        assert_eq!(provisioned_billed_seconds(dec!(0.001)), dec!(300));
        let book = book();
        let mut w = workload(1, 1024, dec!(1));
        w.provisioned = provisioned(1, dec!(1.01), Decimal::ONE, PcOverflow::Queue);
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        // 3,900 GB-s x 0.0000041667.
        assert_eq!(cost.provisioned_concurrency_usd, dec!(0.01625013));
    }

    #[test]
    fn the_accounts_other_usage_consumes_the_free_tier_first() {
        let book = book();
        let mut b = billing(&book, Arch::X86_64);
        b.free_tier = Some((1_000_000, dec!(400000)));
        // 300,000 GB-s used elsewhere leave 100,000 free; 2.5M requests leave none.
        b.account_gb_seconds = dec!(300000);
        b.account_requests = dec!(2500000);
        let cost = monthly_cost(&workload(3_000_000, 512, dec!(500)), &b).expect("in range");
        assert_eq!(cost.billable_gb_seconds, dec!(650000));
        // 650,000 GB-s in the first tier (it starts at 300,000 + 100,000).
        assert_eq!(cost.on_demand_duration_usd, dec!(10.833355));
        assert_eq!(cost.requests_usd, dec!(0.6));
        // An account past the free tier (10B GB-s) gets none of it: 1M GB-s in tier 2.
        b.account_gb_seconds = dec!(10000000000);
        b.account_requests = Decimal::ZERO;
        let cost = monthly_cost(&workload(1_000_000, 1024, dec!(1000)), &b).expect("in range");
        assert_eq!(cost.on_demand_duration_usd, dec!(15));
        assert_eq!(cost.requests_usd, Decimal::ZERO);
        assert_eq!(cost.total_usd(), dec!(15));
    }

    #[test]
    fn inputs_beyond_the_exact_range_are_refused() {
        let book = book();
        let mut b = billing(&book, Arch::X86_64);
        b.account_gb_seconds = Decimal::MAX;
        let err = monthly_cost(&workload(1, 128, dec!(1)), &b).expect_err("refused");
        assert_eq!(err.what, "account GB-seconds");
        let b = billing(&book, Arch::X86_64);
        let mut w = workload(1, 128, dec!(1));
        w.warm_billed_ms = dec!(1e20);
        assert!(monthly_cost(&w, &b).is_err());
    }

    #[test]
    fn snapstart_charges_cache_and_restores() {
        let book = book();
        let mut w = workload(1_000_000, 1024, dec!(100));
        w.snapstart = Some(SnapStart {
            versions: 1,
            hours_active: dec!(730),
            restore_rate: dec!(0.01),
            charged: true,
        });
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.snapstart_cache_usd, dec!(3.9540888));
        assert_eq!(cost.snapstart_restore_usd, dec!(1.397998));
        // A version active for 2 hours is billed the 3-hour minimum.
        w.snapstart = Some(SnapStart {
            versions: 1,
            hours_active: dec!(2),
            restore_rate: Decimal::ZERO,
            charged: true,
        });
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.snapstart_cache_usd, dec!(0.01624968));
        // Java's SnapStart is free.
        w.snapstart = Some(SnapStart {
            versions: 1,
            hours_active: dec!(730),
            restore_rate: dec!(0.5),
            charged: false,
        });
        let cost = monthly_cost(&w, &billing(&book, Arch::X86_64)).expect("in range");
        assert_eq!(cost.other_usd(), Decimal::ZERO);
    }

    fn arb_workload() -> impl Strategy<Value = Workload> {
        (
            1u64..=5_000_000_000,
            128u32..=10240,
            1u32..=900_000,
            0u32..=60_000,
            0u32..=10_000,
        )
            .prop_map(|(requests, memory_mb, warm, init, rate_bp)| Workload {
                requests,
                memory_mb,
                warm_billed_ms: Decimal::from(warm),
                cold_billed_ms: Decimal::from(warm + init),
                cold_start_rate: Decimal::new(i64::from(rate_bp), 4),
                ephemeral_storage_mb: 512,
                provisioned: None,
                snapstart: None,
            })
    }

    proptest! {
        #[test]
        fn cost_never_falls_when_requests_duration_or_memory_grow(
            w in arb_workload(),
            more_requests in 0u64..1_000_000_000,
            more_ms in 0u32..100_000,
            more_mb in 0u32..10_000,
            free in any::<bool>(),
            account in 0u64..30_000_000_000,
        ) {
            let book = book();
            let mut b = billing(&book, Arch::X86_64);
            b.account_gb_seconds = Decimal::from(account);
            if free { b.free_tier = Some((1_000_000, dec!(400000))); }
            let base = monthly_cost(&w, &b).expect("in range").total_usd();
            let mut bigger = w.clone();
            bigger.requests += more_requests;
            prop_assert!(monthly_cost(&bigger, &b).expect("in range").total_usd() >= base);
            let mut longer = w.clone();
            longer.warm_billed_ms += Decimal::from(more_ms);
            longer.cold_billed_ms += Decimal::from(more_ms);
            prop_assert!(monthly_cost(&longer, &b).expect("in range").total_usd() >= base);
            let mut larger = w.clone();
            larger.memory_mb = (w.memory_mb + more_mb).min(10240);
            prop_assert!(monthly_cost(&larger, &b).expect("in range").total_usd() >= base);
        }

        #[test]
        fn cost_is_continuous_across_tier_thresholds(
            arch in prop_oneof![Just(Arch::X86_64), Just(Arch::Arm64)],
            tier in 1usize..3,
            offset in -1_000i64..1_000,
        ) {
            let book = book();
            let b = billing(&book, arch);
            let tiers = &b.prices.duration_tiers;
            let threshold = tiers[tier].from_gb_seconds;
            let at = threshold + Decimal::from(offset);
            // One more GB-second costs at most the dearest tier's price, wherever it falls.
            let below = tiered_usd(tiers, Decimal::ZERO, at);
            let above = tiered_usd(tiers, Decimal::ZERO, at + Decimal::ONE);
            let step = above - below;
            prop_assert!(step >= tiers[2].usd_per_gb_second);
            prop_assert!(step <= tiers[0].usd_per_gb_second);
            // Pricing in two pieces equals pricing in one: no jump at the boundary.
            let split = tiered_usd(tiers, Decimal::ZERO, threshold)
                + tiered_usd(tiers, threshold, Decimal::from(1_000 + offset.abs()));
            let whole = tiered_usd(tiers, Decimal::ZERO, threshold + Decimal::from(1_000 + offset.abs()));
            prop_assert_eq!(split, whole);
        }

        #[test]
        fn extreme_inputs_are_priced_or_refused_never_a_panic(
            requests in any::<u64>(),
            memory_mb in any::<u32>(),
            warm in any::<u64>(),
            cold in any::<u64>(),
            rate_bp in any::<u32>(),
            storage in any::<u32>(),
            account in any::<u64>(),
            account_requests in any::<u64>(),
            environments in any::<u32>(),
            hours in 0u32..=744,
            share_bp in 0u32..=10_000,
            huge in any::<bool>(),
        ) {
            let book = book();
            let mut b = billing(&book, Arch::X86_64);
            b.account_gb_seconds = if huge { Decimal::MAX } else { Decimal::from(account) };
            b.account_requests = Decimal::from(account_requests);
            b.free_tier = Some((1_000_000, dec!(400000)));
            let w = Workload {
                requests,
                memory_mb,
                warm_billed_ms: Decimal::from(warm),
                cold_billed_ms: Decimal::from(cold),
                cold_start_rate: Decimal::new(i64::from(rate_bp), 4),
                ephemeral_storage_mb: storage,
                provisioned: provisioned(environments, Decimal::from(hours), Decimal::new(i64::from(share_bp), 4), PcOverflow::Queue),
                snapstart: Some(SnapStart { versions: environments, hours_active: Decimal::from(hours), restore_rate: Decimal::new(i64::from(share_bp), 4), charged: true }),
            };
            if let Ok(cost) = monthly_cost(&w, &b) {
                prop_assert!(cost.total_usd() >= Decimal::ZERO);
            }
        }

        #[test]
        fn the_free_tier_never_makes_a_cost_negative(w in arb_workload(), storage in 512u32..=10240) {
            let book = book();
            let mut b = billing(&book, Arch::Arm64);
            b.free_tier = Some((1_000_000, dec!(400000)));
            let mut w = w;
            w.ephemeral_storage_mb = storage;
            let cost = monthly_cost(&w, &b).expect("in range");
            prop_assert!(cost.total_usd() >= Decimal::ZERO);
            prop_assert!(cost.on_demand_duration_usd >= Decimal::ZERO);
            prop_assert!(cost.requests_usd >= Decimal::ZERO);
            let without = monthly_cost(&w, &billing(&book, Arch::Arm64)).expect("in range");
            prop_assert!(cost.total_usd() <= without.total_usd());
        }
    }
}
