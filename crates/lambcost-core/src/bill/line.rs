//! One line of a billing export, as every format's reader hands it over: the columns a
//! Lambda line is judged by, in the core's types, with the file and row it came from.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The places AWS keeps every line's cost to: `cost = round_half_up(quantity × rate, 10)`.
pub const COST_DECIMALS: u32 = 10;

/// A line's cost from its quantity and rate, as AWS rounds it.
pub fn line_cost(quantity: Decimal, rate: Decimal) -> Decimal {
    (quantity * rate).round_dp_with_strategy(COST_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
}

/// What a line is (`lineItem/LineItemType`, or FOCUS's charge category and commitment).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineType {
    /// Usage at the on-demand (or private) rate.
    Usage,
    /// Usage a Savings Plan covered: its unblended cost is on demand, offset by a negation.
    SavingsPlanCoveredUsage,
    /// The negative line that offsets covered usage's on-demand cost.
    SavingsPlanNegation,
    /// The Savings Plan's own hourly fee (not a function's).
    SavingsPlanFee,
    /// A credit.
    Credit,
    /// A refund.
    Refund,
    /// A discount (bundled, EDP, private rate).
    Discount,
    /// Tax.
    Tax,
    /// Anything else, by the export's own name.
    Other(String),
}

impl LineType {
    /// The type a legacy CUR or CUR 2.0 `line_item_type` names.
    pub fn from_cur(text: &str) -> LineType {
        match text {
            "Usage" | "DiscountedUsage" => LineType::Usage,
            "SavingsPlanCoveredUsage" => LineType::SavingsPlanCoveredUsage,
            "SavingsPlanNegation" => LineType::SavingsPlanNegation,
            "SavingsPlanRecurringFee" | "SavingsPlanUpfrontFee" => LineType::SavingsPlanFee,
            "Credit" => LineType::Credit,
            "Refund" => LineType::Refund,
            "BundledDiscount" | "EdpDiscount" | "PrivateRateDiscount" | "Discount" => {
                LineType::Discount
            }
            "Tax" => LineType::Tax,
            other => LineType::Other(other.to_string()),
        }
    }

    /// Whether the line carries usage: its quantity is the function's (negations and fees
    /// carry none of their own).
    pub fn is_usage(&self) -> bool {
        matches!(self, LineType::Usage | LineType::SavingsPlanCoveredUsage)
    }
}

/// One line of a billing export, every amount as the export states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineItem {
    /// Row of the file the line is (1 = the first record after the header).
    pub row: u64,
    /// The product the line is billed under (`AWSLambda`, `AmazonCloudFront`), when stated.
    pub product: String,
    /// The resource: a function ARN or name; empty for account-level lines.
    pub resource_id: String,
    /// The region the export names (`us-east-1`), if it names one.
    pub region: Option<String>,
    /// The billing period, `YYYY-MM`.
    pub month: String,
    /// The usage type (`USW2-Lambda-GB-Second-ARM`).
    pub usage_type: String,
    /// The operation (`Invoke`, `Shutdown`).
    pub operation: String,
    /// What the line is.
    pub line_type: LineType,
    /// Its description (names the free tier where AWS applied it).
    pub description: String,
    /// Quantity, in the export's pricing unit.
    pub quantity: Decimal,
    /// The pricing unit, when stated (`Lambda-GB-Second`, `Requests`).
    pub unit: String,
    /// The rate the account paid (unblended), when stated.
    pub rate: Option<Decimal>,
    /// The cost the account paid (unblended; FOCUS's billed cost).
    pub cost: Decimal,
    /// The public on-demand rate (FOCUS's list unit price), when stated.
    pub public_rate: Option<Decimal>,
    /// The public on-demand cost (FOCUS's list cost), when stated.
    pub public_cost: Option<Decimal>,
    /// The rate code (`SKU.OFFERTERM.RATE`) or FOCUS's SKU price id, when stated.
    pub rate_code: String,
    /// What the Savings Plan charged for covered usage, when stated.
    pub savings_plan_effective_cost: Option<Decimal>,
}

/// The offer term AWS bills the free tier under (`pricing_rate_code`'s middle part).
pub const FREE_TIER_TERM: &str = "A429C66SYZ";

impl LineItem {
    /// Refuses a line whose amounts lie beyond what a month's sums keep: a quantity or cost
    /// past [`MAX_BILL_AMOUNT`](crate::bounds::MAX_BILL_AMOUNT), a rate past
    /// [`MAX_RATE_USD`](crate::bounds::MAX_RATE_USD).
    pub fn check_bounds(&self) -> Result<(), crate::cost::OutOfRange> {
        let amount = Decimal::from(crate::bounds::MAX_BILL_AMOUNT);
        let rate = Decimal::from(crate::bounds::MAX_RATE_USD);
        let amounts = [
            ("a line's quantity", Some(self.quantity), amount),
            ("a line's cost", Some(self.cost), amount),
            ("a line's public cost", self.public_cost, amount),
            (
                "a line's Savings Plan cost",
                self.savings_plan_effective_cost,
                amount,
            ),
            ("a line's rate", self.rate, rate),
            ("a line's public rate", self.public_rate, rate),
        ];
        for (what, value, max) in amounts {
            if let Some(v) = value
                && v.abs() > max
            {
                return Err(crate::cost::OutOfRange {
                    what,
                    value: v.to_string(),
                    max: max.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Whether AWS's free tier paid for the line: its offer term, or its description.
    pub fn is_free_tier(&self) -> bool {
        self.rate_code.split('.').any(|part| part == FREE_TIER_TERM)
            || self.description.contains("Free Tier")
    }

    /// The function the line is billed to: the name in a function ARN
    /// (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`), else the id as given.
    pub fn function(&self) -> &str {
        function_name(&self.resource_id)
    }

    /// The region a function ARN names, if the resource id is one.
    pub fn arn_region(&self) -> Option<&str> {
        let mut parts = self.resource_id.split(':');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("arn"), Some(_), Some("lambda"), Some(region)) if !region.is_empty() => {
                Some(region)
            }
            _ => None,
        }
    }
}

/// The function a resource id names: the name in a function ARN, else the id as given.
pub fn function_name(resource_id: &str) -> &str {
    match resource_id.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => resource_id,
    }
}

/// What a Lambda charge is, as `bill` reports it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// On-demand duration (GB-seconds).
    Duration,
    /// Requests.
    Requests,
    /// Provisioned Concurrency (configured GB-seconds).
    ProvisionedConcurrency,
    /// Duration on provisioned environments.
    ProvisionedDuration,
    /// Ephemeral storage above the free amount.
    EphemeralStorage,
    /// SnapStart cache and restores.
    Snapstart,
    /// Lambda@Edge requests and duration.
    Edge,
    /// Data transfer billed under AWSLambda.
    DataTransfer,
    /// Anything else billed under AWSLambda.
    Other,
}

impl Charge {
    /// The name JSON and CSV use.
    pub fn as_str(self) -> &'static str {
        match self {
            Charge::Duration => "duration",
            Charge::Requests => "requests",
            Charge::ProvisionedConcurrency => "provisioned_concurrency",
            Charge::ProvisionedDuration => "provisioned_duration",
            Charge::EphemeralStorage => "ephemeral_storage",
            Charge::Snapstart => "snapstart",
            Charge::Edge => "edge",
            Charge::DataTransfer => "data_transfer",
            Charge::Other => "other",
        }
    }

    /// Whether a Compute Savings Plan discounts the charge: duration and Provisioned
    /// Concurrency, never requests, storage, SnapStart, Edge or data transfer.
    pub fn savings_plan_eligible(self) -> bool {
        matches!(
            self,
            Charge::Duration | Charge::ProvisionedConcurrency | Charge::ProvisionedDuration
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_cost_is_rounded_half_up_to_ten_places() {
        // 1234.5678 GB-s × $0.0000166667 = $0.02057617115226 → 0.0205761712
        assert_eq!(
            line_cost(dec!(1234.5678), dec!(0.0000166667)),
            dec!(0.0205761712)
        );
        // 1234.5 × 0.0000166667 = 0.02057504115: the eleventh place is a 5, rounded up.
        assert_eq!(
            line_cost(dec!(1234.5), dec!(0.0000166667)),
            dec!(0.0205750412)
        );
        // 0.5 × 0.0000000001 = 0.00000000005: half, rounded up.
        assert_eq!(line_cost(dec!(0.5), dec!(0.0000000001)), dec!(0.0000000001));
    }

    #[test]
    fn a_function_is_named_by_its_arn_or_its_id() {
        assert_eq!(
            function_name("arn:aws:lambda:us-west-2:123456789012:function:orders"),
            "orders"
        );
        assert_eq!(
            function_name("arn:aws:lambda:us-west-2:123456789012:function:orders:prod"),
            "orders"
        );
        assert_eq!(function_name("orders"), "orders");
    }
}
