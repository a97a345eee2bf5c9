//! `lambcost bill-query`: an Athena (Trino) query over a billing export's table that sums
//! AWS Lambda's lines by function, month, usage type, operation, line item type and rate,
//! for bills too large to download. Its columns are the ones `bill` reads back ("bill-query
//! results"): every sum is taken in exact decimals, and each row keeps one rate and the
//! number of lines it sums, so that each row's arithmetic can still be checked.

/// The table schemas the query is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuerySchema {
    /// CUR 2.0 (Data Exports).
    Cur2,
    /// Legacy CUR as its Athena integration creates the table.
    CurLegacy,
    /// FOCUS 1.0 to 1.2 (Data Exports).
    Focus,
}

impl QuerySchema {
    /// The table name AWS's own set-up gives it, the default of `--table`.
    pub fn default_table(self) -> &'static str {
        match self {
            QuerySchema::Cur2 => "cur2",
            QuerySchema::CurLegacy => "cur",
            QuerySchema::Focus => "focus",
        }
    }
}

/// Whether `table` can stand in a query as a table's name: letters, digits and `_`, in one
/// to three dotted parts (`catalog.database.table`), nothing that would end the statement.
pub fn valid_table(table: &str) -> bool {
    let parts: Vec<&str> = table.split('.').collect();
    parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// The query for `schema` over `table`.
pub fn query(schema: QuerySchema, table: &str) -> String {
    let focus_note = if schema == QuerySchema::Focus {
        "-- A FOCUS table without AWS's x_UsageType and x_Operation columns: write NULL for them;\n\
         -- bill then reads each line by its charge description.\n"
    } else {
        ""
    };
    let head = format!(
        "-- AWS Lambda's lines of {table}, summed for `lambcost bill`: run it in Athena, then\n\
         -- `lambcost bill results.csv` (the console's download) or `lambcost bill results.json`\n\
         -- (`aws athena get-query-results --query-execution-id ID > results.json`).\n{focus_note}"
    );
    let amount = |column: &str, alias: &str| {
        format!("  CAST(SUM(TRY_CAST({column} AS DECIMAL(38, 12))) AS VARCHAR) AS {alias}")
    };
    let rate = |column: &str, alias: &str| {
        format!("  CAST(TRY_CAST({column} AS DECIMAL(38, 12)) AS VARCHAR) AS {alias}")
    };
    let body = match schema {
        QuerySchema::Cur2 | QuerySchema::CurLegacy => {
            let region = if schema == QuerySchema::Cur2 {
                "product_region_code"
            } else {
                "product_region"
            };
            vec![
                "SELECT".to_string(),
                "  date_format(bill_billing_period_start_date, '%Y-%m') AS billing_month,".into(),
                "  line_item_resource_id AS resource_id,".into(),
                format!("  {region} AS region,"),
                "  line_item_product_code AS product_code,".into(),
                "  line_item_usage_type AS usage_type,".into(),
                "  line_item_operation AS operation,".into(),
                "  line_item_line_item_type AS line_item_type,".into(),
                "  pricing_unit AS pricing_unit,".into(),
                "  pricing_rate_code AS rate_code,".into(),
                rate("line_item_unblended_rate", "unblended_rate,"),
                rate("pricing_public_on_demand_rate", "public_rate,"),
                amount("line_item_usage_amount", "usage_amount,"),
                amount("line_item_unblended_cost", "unblended_cost,"),
                amount("pricing_public_on_demand_cost", "public_cost,"),
                amount(
                    "savings_plan_savings_plan_effective_cost",
                    "savings_plan_effective_cost,",
                ),
                "  COUNT(*) AS line_items".into(),
                format!("FROM {table}"),
                "WHERE line_item_product_code = 'AWSLambda'".into(),
                "   OR line_item_usage_type LIKE '%Lambda-Edge%'".into(),
                "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11".into(),
                "ORDER BY 1, 2, 5, 6, 7".into(),
            ]
        }
        QuerySchema::Focus => vec![
            "SELECT".to_string(),
            "  date_format(BillingPeriodStart, '%Y-%m') AS billing_month,".into(),
            "  ResourceId AS resource_id,".into(),
            "  RegionId AS region,".into(),
            "  COALESCE(x_ServiceCode, ServiceName) AS product_code,".into(),
            "  x_UsageType AS usage_type,".into(),
            "  x_Operation AS operation,".into(),
            "  ChargeDescription AS description,".into(),
            "  CASE".into(),
            "    WHEN ChargeCategory = 'Usage' AND COALESCE(CommitmentDiscountType, '') <> ''"
                .into(),
            "      THEN 'SavingsPlanCoveredUsage'".into(),
            "    WHEN ChargeCategory = 'Adjustment' THEN 'Refund'".into(),
            "    WHEN ChargeCategory = 'Purchase' THEN 'SavingsPlanRecurringFee'".into(),
            "    ELSE ChargeCategory".into(),
            "  END AS line_item_type,".into(),
            "  PricingUnit AS pricing_unit,".into(),
            "  SkuPriceId AS rate_code,".into(),
            "  CAST(NULL AS VARCHAR) AS unblended_rate,".into(),
            rate("ListUnitPrice", "public_rate,"),
            amount("PricingQuantity", "usage_amount,"),
            amount("BilledCost", "unblended_cost,"),
            amount("ListCost", "public_cost,"),
            amount(
                "CASE WHEN COALESCE(CommitmentDiscountType, '') <> '' THEN EffectiveCost END",
                "savings_plan_effective_cost,",
            ),
            "  COUNT(*) AS line_items".into(),
            format!("FROM {table}"),
            "WHERE x_ServiceCode = 'AWSLambda' OR ServiceName = 'AWS Lambda'".into(),
            "   OR x_UsageType LIKE '%Lambda-Edge%'".into(),
            "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12".into(),
            "ORDER BY 1, 2, 5, 6, 7".into(),
        ],
    };
    format!("{head}{}\n", body.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::schema::Schema;

    /// The aliases a query selects, in order: every selected line ends `AS alias`.
    fn aliases(sql: &str) -> Vec<String> {
        let select = sql
            .split("SELECT")
            .nth(1)
            .and_then(|s| s.split("\nFROM").next())
            .unwrap_or("");
        select
            .lines()
            .filter_map(|line| line.trim().trim_end_matches(',').rsplit_once(" AS "))
            .map(|(_, alias)| alias.to_string())
            .collect()
    }

    #[test]
    fn a_table_name_is_a_name_and_nothing_more() {
        assert!(valid_table("cur2"));
        assert!(valid_table("awsdatacatalog.cur.lambda_export"));
        assert!(!valid_table("x; DROP TABLE y"));
        assert!(!valid_table("a.b.c.d"));
        assert!(!valid_table(""));
    }

    #[test]
    fn every_schemas_query_selects_what_bill_reads_back() {
        for schema in [
            QuerySchema::Cur2,
            QuerySchema::CurLegacy,
            QuerySchema::Focus,
        ] {
            let sql = query(schema, schema.default_table());
            let names = aliases(&sql);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let read = Schema::of(&refs).map(|s| s.format);
            assert_eq!(
                read,
                Some(crate::bill::Format::Query),
                "{schema:?}: {names:?}"
            );
            let want = if schema == QuerySchema::Focus { 17 } else { 16 };
            assert_eq!(names.len(), want, "{schema:?}: {names:?}");
        }
    }
}
