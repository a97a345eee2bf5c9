//! Which billing export a header is, and where each column a Lambda line is judged by sits
//! in it. Columns are found by name, never by position: a legacy CUR's product and tag
//! columns come and go with the account's usage.

use lambcost_core::bill::{LineItem, LineType};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::str::FromStr;

/// The export a header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Legacy Cost and Usage Report, its own CSV (`lineItem/UsageType`).
    Cur,
    /// Legacy CUR as Athena (and its Parquet) names it (`line_item_usage_type`, `product_region`).
    CurAthena,
    /// CUR 2.0, Data Exports (`line_item_usage_type`, a `product` map).
    Cur2,
    /// FOCUS 1.0 to 1.2 (`ChargeCategory`, `BilledCost`).
    Focus,
    /// The results of `lambcost bill-query` (`usage_type`, `line_items`).
    Query,
}

impl Format {
    /// How reports name the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Cur => "CUR (legacy)",
            Format::CurAthena => "CUR (legacy, Athena columns)",
            Format::Cur2 => "CUR 2.0",
            Format::Focus => "FOCUS",
            Format::Query => "bill-query results",
        }
    }
}

/// What the reader looked for, for the message that refuses anything else.
pub const LOOKED_FOR: &str = "a billing export: a CUR header (lineItem/UsageType), CUR 2.0 or Athena columns (line_item_usage_type), FOCUS columns (ChargeCategory, BilledCost), bill-query results (usage_type, line_items), as CSV (optionally gzip), Parquet, or Athena's get-query-results JSON";

/// A column a line is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Product,
    ResourceId,
    Region,
    Period,
    UsageStart,
    UsageType,
    Operation,
    LineType,
    Description,
    Quantity,
    Unit,
    Rate,
    Cost,
    PublicRate,
    PublicCost,
    RateCode,
    SpEffective,
    LineItems,
    ProductMap,
    ServiceName,
    ChargeCategory,
    CommitmentType,
    ConsumedQuantity,
    PricingCategory,
}

const FIELDS: usize = 24;

/// The names each format gives a field, first found wins.
fn names(format: Format, field: Field) -> &'static [&'static str] {
    use Field as F;
    match format {
        Format::Cur => match field {
            F::Product => &["lineItem/ProductCode"],
            F::ResourceId => &["lineItem/ResourceId"],
            F::Region => &["product/regionCode", "product/region"],
            F::Period => &["bill/BillingPeriodStartDate"],
            F::UsageStart => &["lineItem/UsageStartDate"],
            F::UsageType => &["lineItem/UsageType"],
            F::Operation => &["lineItem/Operation"],
            F::LineType => &["lineItem/LineItemType"],
            F::Description => &["lineItem/LineItemDescription"],
            F::Quantity => &["lineItem/UsageAmount"],
            F::Unit => &["pricing/unit"],
            F::Rate => &["lineItem/UnblendedRate"],
            F::Cost => &["lineItem/UnblendedCost"],
            F::PublicRate => &["pricing/publicOnDemandRate"],
            F::PublicCost => &["pricing/publicOnDemandCost"],
            F::RateCode => &["pricing/RateCode"],
            F::SpEffective => &["savingsPlan/SavingsPlanEffectiveCost"],
            _ => &[],
        },
        Format::CurAthena | Format::Cur2 => match field {
            F::Product => &["line_item_product_code"],
            F::ResourceId => &["line_item_resource_id"],
            F::Region => &["product_region_code", "product_region"],
            F::Period => &["bill_billing_period_start_date"],
            F::UsageStart => &["line_item_usage_start_date"],
            F::UsageType => &["line_item_usage_type"],
            F::Operation => &["line_item_operation"],
            F::LineType => &["line_item_line_item_type"],
            F::Description => &["line_item_line_item_description"],
            F::Quantity => &["line_item_usage_amount"],
            F::Unit => &["pricing_unit"],
            F::Rate => &["line_item_unblended_rate"],
            F::Cost => &["line_item_unblended_cost"],
            F::PublicRate => &["pricing_public_on_demand_rate"],
            F::PublicCost => &["pricing_public_on_demand_cost"],
            F::RateCode => &["pricing_rate_code"],
            F::SpEffective => &["savings_plan_savings_plan_effective_cost"],
            F::ProductMap => &["product"],
            _ => &[],
        },
        Format::Focus => match field {
            F::Product => &["x_ServiceCode"],
            F::ServiceName => &["ServiceName"],
            F::ResourceId => &["ResourceId"],
            F::Region => &["RegionId"],
            F::Period => &["BillingPeriodStart"],
            F::UsageStart => &["ChargePeriodStart"],
            F::UsageType => &["x_UsageType"],
            F::Operation => &["x_Operation"],
            F::ChargeCategory => &["ChargeCategory"],
            F::CommitmentType => &["CommitmentDiscountType"],
            F::PricingCategory => &["PricingCategory"],
            F::Description => &["ChargeDescription"],
            F::Quantity => &["PricingQuantity"],
            F::ConsumedQuantity => &["ConsumedQuantity"],
            F::Unit => &["PricingUnit"],
            F::Rate => &["ContractedUnitPrice"],
            F::Cost => &["BilledCost"],
            F::PublicRate => &["ListUnitPrice"],
            F::PublicCost => &["ListCost"],
            F::RateCode => &["SkuPriceId"],
            F::SpEffective => &["EffectiveCost"],
            _ => &[],
        },
        Format::Query => match field {
            F::Product => &["product_code"],
            F::ResourceId => &["resource_id"],
            F::Region => &["region"],
            F::Period => &["billing_month"],
            F::UsageType => &["usage_type"],
            F::Operation => &["operation"],
            F::LineType => &["line_item_type"],
            F::Description => &["description"],
            F::Quantity => &["usage_amount"],
            F::Unit => &["pricing_unit"],
            F::Rate => &["unblended_rate"],
            F::Cost => &["unblended_cost"],
            F::PublicRate => &["public_rate"],
            F::PublicCost => &["public_cost"],
            F::RateCode => &["rate_code"],
            F::SpEffective => &["savings_plan_effective_cost"],
            F::LineItems => &["line_items"],
            _ => &[],
        },
    }
}

const ALL_FIELDS: [Field; FIELDS] = [
    Field::Product,
    Field::ResourceId,
    Field::Region,
    Field::Period,
    Field::UsageStart,
    Field::UsageType,
    Field::Operation,
    Field::LineType,
    Field::Description,
    Field::Quantity,
    Field::Unit,
    Field::Rate,
    Field::Cost,
    Field::PublicRate,
    Field::PublicCost,
    Field::RateCode,
    Field::SpEffective,
    Field::LineItems,
    Field::ProductMap,
    Field::ServiceName,
    Field::ChargeCategory,
    Field::CommitmentType,
    Field::ConsumedQuantity,
    Field::PricingCategory,
];

/// Where each column of a format sits in one header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    /// The format.
    pub format: Format,
    columns: [Option<usize>; FIELDS],
}

/// One row's cells, by column index (`None`: the cell is null or absent).
pub trait Cells {
    /// The text of column `i`.
    fn cell(&self, i: usize) -> Option<&str>;
}

impl Schema {
    /// The format `header` is, if it is one: the columns a format cannot do without.
    pub fn of(header: &[&str]) -> Option<Schema> {
        let has = |name: &str| header.contains(&name);
        let format = if has("lineItem/UsageType") && has("lineItem/UsageAmount") {
            Format::Cur
        } else if has("line_item_usage_type") && has("line_item_usage_amount") {
            if has("product") || has("product_region_code") {
                Format::Cur2
            } else {
                Format::CurAthena
            }
        } else if has("ChargeCategory") && has("BilledCost") && has("ServiceName") {
            Format::Focus
        } else if has("usage_type") && has("line_items") && has("usage_amount") {
            Format::Query
        } else {
            return None;
        };
        let mut columns = [None; FIELDS];
        for (slot, field) in columns.iter_mut().zip(ALL_FIELDS) {
            *slot = names(format, field)
                .iter()
                .find_map(|n| header.iter().position(|h| h == n));
        }
        Some(Schema { format, columns })
    }

    /// The column indices the schema reads (for a Parquet projection).
    pub fn used_columns(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self.columns.iter().flatten().copied().collect();
        used.sort_unstable();
        used.dedup();
        used
    }

    fn get<'c>(&self, cells: &'c dyn Cells, field: Field) -> &'c str {
        self.columns[field as usize]
            .and_then(|i| cells.cell(i))
            .map_or("", str::trim)
    }

    fn number(&self, cells: &dyn Cells, field: Field) -> Result<Option<Decimal>, String> {
        let text = self.get(cells, field);
        if text.is_empty() {
            return Ok(None);
        }
        parse_number(text).map(Some).ok_or_else(|| {
            let name = names(self.format, field).first().copied().unwrap_or("?");
            format!("{name} {text:?} is not a number (accepted: 0.0000166667, 6.123E-7)")
        })
    }

    /// Row `row` as a line, and how many export lines it stands for (1, or a bill-query
    /// result's `line_items`).
    pub fn line(&self, row: u64, cells: &dyn Cells) -> Result<(LineItem, u64), String> {
        let product = match self.get(cells, Field::Product) {
            "" => self.get(cells, Field::ServiceName),
            p => p,
        };
        let description = self.get(cells, Field::Description).to_string();
        let line_type = match self.format {
            Format::Focus => focus_type(
                self.get(cells, Field::ChargeCategory),
                self.get(cells, Field::CommitmentType),
                self.get(cells, Field::PricingCategory),
            ),
            _ => LineType::from_cur(self.get(cells, Field::LineType)),
        };
        let quantity = match self.number(cells, Field::Quantity)? {
            Some(q) => q,
            None => self
                .number(cells, Field::ConsumedQuantity)?
                .unwrap_or_default(),
        };
        let month = month_of(self.get(cells, Field::Period))
            .or_else(|| month_of(self.get(cells, Field::UsageStart)))
            .ok_or_else(|| {
                let name = names(self.format, Field::Period)
                    .first()
                    .copied()
                    .unwrap_or("?");
                format!(
                    "{name} {:?} is not a date (accepted: 2026-10-01, 2026-10-01T00:00:00Z)",
                    self.get(cells, Field::Period)
                )
            })?;
        let region = match self.get(cells, Field::Region) {
            "" => map_value(self.get(cells, Field::ProductMap), "region"),
            r => Some(r.to_string()),
        };
        let line_items = match self.number(cells, Field::LineItems)? {
            None => 1,
            Some(n) => n
                .fract()
                .is_zero()
                .then(|| n.to_u64())
                .flatten()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("line_items {n} is not a count of lines (1 or more)"))?,
        };
        let committed = line_type == LineType::SavingsPlanCoveredUsage;
        let sp_effective = self.number(cells, Field::SpEffective)?;
        let line = LineItem {
            row,
            product: product.to_string(),
            resource_id: self.get(cells, Field::ResourceId).to_string(),
            region,
            month,
            usage_type: self.get(cells, Field::UsageType).to_string(),
            operation: self.get(cells, Field::Operation).to_string(),
            line_type,
            description,
            quantity,
            unit: self.get(cells, Field::Unit).to_string(),
            rate: self.number(cells, Field::Rate)?,
            cost: self.number(cells, Field::Cost)?.unwrap_or_default(),
            public_rate: self.number(cells, Field::PublicRate)?,
            public_cost: self.number(cells, Field::PublicCost)?,
            rate_code: self.get(cells, Field::RateCode).to_string(),
            // FOCUS's effective cost is every line's; only a covered line's is the plan's.
            savings_plan_effective_cost: if self.format == Format::Focus && !committed {
                None
            } else {
                sp_effective
            },
        };
        Ok((line, line_items))
    }
}

/// A FOCUS line's type: its charge category, and a commitment discount on usage (its type
/// named, or its pricing category `Committed`).
fn focus_type(category: &str, commitment: &str, pricing: &str) -> LineType {
    match category {
        "Usage" if !commitment.is_empty() || pricing == "Committed" => {
            LineType::SavingsPlanCoveredUsage
        }
        "Usage" => LineType::Usage,
        "Purchase" => LineType::SavingsPlanFee,
        "Credit" => LineType::Credit,
        "Adjustment" => LineType::Refund,
        "Tax" => LineType::Tax,
        other => LineType::Other(other.to_string()),
    }
}

/// A number as exports write it: `0.0000166667`, `1.0`, `6.123E-7`, `-12.5`.
pub fn parse_number(text: &str) -> Option<Decimal> {
    Decimal::from_str(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
        .or_else(|| Decimal::from_scientific(&text.replace('E', "e")).ok())
}

/// `YYYY-MM` of a date or timestamp as exports write them (`2026-10-01`,
/// `2026-10-01T00:00:00Z`, `2026-10-01 00:00:00.000`).
pub fn month_of(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    (digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7)).then(|| text[..7].to_string())
}

/// A key of a map column as CUR 2.0's CSV writes it: a JSON object (`{"region":"us-east-1"}`).
fn map_value(json: &str, key: &str) -> Option<String> {
    if json.is_empty() {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_as_exports_write_them() {
        assert_eq!(
            parse_number("6.123E-7"),
            Decimal::from_str("0.0000006123").ok()
        );
        assert_eq!(parse_number("1.0"), Some(Decimal::ONE));
        assert_eq!(parse_number("-12.5"), Decimal::from_str("-12.5").ok());
        assert_eq!(parse_number("n/a"), None);
        assert_eq!(
            month_of("2026-10-01T00:00:00.000Z").as_deref(),
            Some("2026-10")
        );
        assert_eq!(month_of("2026-10-01").as_deref(), Some("2026-10"));
        assert_eq!(month_of("10/01/2026"), None);
    }

    #[test]
    fn a_region_is_read_from_cur_2s_product_map() {
        assert_eq!(
            map_value(
                r#"{"product_name":"AWS Lambda","region":"eu-west-1"}"#,
                "region"
            )
            .as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(map_value("{}", "region"), None);
    }
}
