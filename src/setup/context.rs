//! The arguments every pricing command shares, turned into the core's settings: the price
//! book, the account and billing date (today when none is given), the traffic model.

use anyhow::Result;
use lambcost_core::pricing::PriceBook;
use std::path::Path;

/// The price book: the file given, or the embedded default (only `region` of it, when the
/// command prices one region).
pub fn price_book(path: Option<&Path>, region: Option<&str>) -> Result<PriceBook> {
    match path {
        None => Ok(match region {
            Some(r) => PriceBook::embedded_region(r),
            None => PriceBook::embedded(),
        }),
        Some(p) => {
            let shown = p.display().to_string();
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("{shown}: cannot read the pricing file: {e}"))?;
            Ok(PriceBook::from_yaml(&text, &shown)?)
        }
    }
}

/// The prices and account context the price arguments describe.
pub fn pricer<'a>(
    args: &crate::cli::PriceArgs,
    book: &'a PriceBook,
) -> Result<lambcost_core::cost::Pricer<'a>> {
    let account = lambcost_core::cost::Account {
        month_hours: args.month_hours,
        gb_seconds: args.account_gb_seconds,
        requests: args.account_requests,
        free_tier: args.free_tier,
        billing_date: args.billing_date.unwrap_or_else(today),
        savings_plan: args.savings_plan.unwrap_or_default(),
    };
    let pricer = lambcost_core::cost::Pricer::new(book, &args.region, account)
        .map_err(|e| anyhow::anyhow!("--region: {e}"))?;
    // An architecture the region has no rates for is refused before anything is read or run.
    for &arch in &args.arch {
        pricer
            .rates(arch)
            .map_err(|e| anyhow::anyhow!("--arch {arch}: {e}"))?;
    }
    Ok(pricer)
}

/// Refuses a variant whose architecture (its data's own, or `--arch`'s) the region has no
/// rates for, by name, before any is priced.
pub fn check_archs(
    pricer: &lambcost_core::cost::Pricer<'_>,
    profiles: &[lambcost_core::profile::Profile],
) -> Result<()> {
    for p in profiles {
        pricer
            .rates(p.arch)
            .map_err(|e| anyhow::anyhow!("{} ({}): {e}", p.name, p.arch))?;
    }
    Ok(())
}

/// Today's date in UTC, the calendar Lambda bills by: the default billing date, so an
/// estimate is made under the rules in force now.
pub fn today() -> lambcost_core::units::Date {
    let date = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    lambcost_core::units::Date {
        year: u16::try_from(date.year()).unwrap_or(2000),
        month: u8::try_from(date.month()).unwrap_or(1),
        day: u8::try_from(date.day()).unwrap_or(1),
    }
}

/// The traffic model the cold-start arguments describe, over the month in force.
pub fn traffic_model(
    args: &crate::cli::ColdStartArgs,
    month_hours: rust_decimal::Decimal,
) -> lambcost_core::traffic::TrafficModel {
    use rust_decimal::prelude::ToPrimitive;
    let seconds = |ms: rust_decimal::Decimal, default: f64| {
        (ms / rust_decimal::Decimal::from(1000))
            .to_f64()
            .unwrap_or(default)
    };
    lambcost_core::traffic::TrafficModel {
        idle_reclaim_s: seconds(args.idle_reclaim, 600.0),
        env_lifetime_s: seconds(args.env_lifetime, 7200.0),
        month_hours: month_hours.to_f64().unwrap_or(730.0),
    }
}

/// What the price arguments ask that does nothing as given: the account's requests count
/// only against the free tier.
pub fn price_warnings(args: &crate::cli::PriceArgs) -> Vec<String> {
    let mut warnings = Vec::new();
    if !args.account_requests.is_zero() && !args.free_tier {
        warnings.push(
            "--account-requests: the account's requests only count against the free tier, which is not applied (--free-tier applies it)".to_string(),
        );
    }
    warnings
}
