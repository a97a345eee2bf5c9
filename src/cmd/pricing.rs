//! `lambcost pricing`: the price book in effect, one rate a row, each with its unit, its
//! source and the date from which it applies, followed by the book's global rules.

use crate::cli::PricingArgs;
use crate::pricing::{Arch, ArchPrices, PriceBook, RateGroup, Region};
use crate::report::{Cell, Column, Report};
use anyhow::{Result, anyhow};
use rust_decimal::Decimal;

/// The columns of the pricing table.
///
/// The table shows whether a rate is the region's own or assumed; the sources, long, are
/// listed under it once per region (CSV and JSON carry them on every row).
pub const COLUMNS: [Column; 8] = [
    Column::shown("region", "Region"),
    Column::shown("arch", "Arch"),
    Column::shown("rate", "Rate"),
    Column::shown("usd", "USD"),
    Column::shown("unit", "Per"),
    Column::shown("effective", "Effective"),
    Column::shown("basis", "Basis"),
    Column::data("source"),
];

/// Runs `lambcost pricing`.
pub fn run(args: &PricingArgs) -> Result<Report> {
    let book = super::price_book(args.pricing.as_deref())?;
    let regions: Vec<(&String, &Region)> = if args.region == "all" {
        book.regions.iter().collect()
    } else {
        let region = book
            .region(&args.region)
            .map_err(|m| anyhow!("--region: {m}"))?;
        vec![(
            book.regions
                .get_key_value(&args.region)
                .map(|(k, _)| k)
                .unwrap_or(&args.region),
            region,
        )]
    };
    let archs: Vec<Arch> = match args.arch {
        Some(a) => vec![a],
        None => vec![Arch::X86_64, Arch::Arm64],
    };
    let mut report = Report {
        title: format!("lambcost pricing: AWS Lambda rates from {}", origin(args)),
        columns: COLUMNS.to_vec(),
        ..Report::default()
    };
    for (name, region) in &regions {
        report.notes.push(format!("{name}: {}.", region.source));
        for arch in [Arch::X86_64, Arch::Arm64] {
            for (group, note) in &region.arch(arch).assumed {
                report.notes.push(format!(
                    "{name} {arch}: {} assumed: {note}.",
                    group.as_str()
                ));
            }
        }
    }
    for (name, region) in regions {
        for &arch in &archs {
            for (rate, group, usd, unit) in rates(region.arch(arch)) {
                let (basis, source) = match region.arch(arch).assumed.get(&group) {
                    Some(note) => ("assumed".to_string(), format!("assumed: {note}")),
                    None => ("published".to_string(), region.source.clone()),
                };
                report.rows.push(vec![
                    Cell::Text(name.to_string()),
                    Cell::Text(arch.to_string()),
                    Cell::Text(rate),
                    Cell::Figure(plain_rate(usd)),
                    Cell::Text(unit.to_string()),
                    Cell::Text(region.effective.to_string()),
                    Cell::Text(basis),
                    Cell::Text(source),
                ]);
            }
        }
    }
    notes(&mut report, &book, args);
    Ok(report)
}

fn origin(args: &PricingArgs) -> String {
    match &args.pricing {
        Some(p) => p.display().to_string(),
        None => crate::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    }
}

/// Rates print as the file writes them (`0.0000166667`), never rounded to cents.
fn plain_rate(value: Decimal) -> String {
    value.normalize().to_string()
}

fn rates(p: &ArchPrices) -> Vec<(String, RateGroup, Decimal, &'static str)> {
    let mut rows = vec![(
        "requests".to_string(),
        RateGroup::Requests,
        p.requests_usd_per_million,
        "1M requests",
    )];
    for (i, tier) in p.duration_tiers.iter().enumerate() {
        let upto = match p.duration_tiers.get(i + 1) {
            Some(next) => format!(
                "duration {} to {} GB-s",
                crate::report::grouped(tier.from_gb_seconds, 0),
                crate::report::grouped(next.from_gb_seconds, 0)
            ),
            None => format!(
                "duration over {} GB-s",
                crate::report::grouped(tier.from_gb_seconds, 0)
            ),
        };
        rows.push((upto, RateGroup::Duration, tier.usd_per_gb_second, "GB-s"));
    }
    rows.extend([
        (
            "ephemeral storage above the free amount".to_string(),
            RateGroup::EphemeralStorage,
            p.ephemeral_storage_usd_per_gb_second,
            "GB-s",
        ),
        (
            "provisioned concurrency".to_string(),
            RateGroup::ProvisionedConcurrency,
            p.provisioned_concurrency_usd_per_gb_second,
            "GB-s",
        ),
        (
            "provisioned duration".to_string(),
            RateGroup::ProvisionedConcurrency,
            p.provisioned_duration_usd_per_gb_second,
            "GB-s",
        ),
        (
            "snapstart cache".to_string(),
            RateGroup::Snapstart,
            p.snapstart_cache_usd_per_gb_second,
            "GB-s",
        ),
        (
            "snapstart restore".to_string(),
            RateGroup::Snapstart,
            p.snapstart_restore_usd_per_gb,
            "GB restored",
        ),
    ]);
    rows
}

fn notes(report: &mut Report, book: &PriceBook, args: &PricingArgs) {
    let n = &mut report.notes;
    n.push(format!(
        "Billing granularity: {} ms; memory {}..={} MB (GB = MB / 1024); ephemeral storage {} MB free, up to {} MB.",
        book.billing_granularity_ms,
        book.memory_mb.min,
        book.memory_mb.max,
        book.ephemeral_storage_mb.free,
        book.ephemeral_storage_mb.max
    ));
    n.push(format!(
        "Free tier: {} requests and {} GB-s a month per account (not with Provisioned Concurrency); {}, effective {}.",
        crate::report::grouped(Decimal::from(book.free_tier.requests), 0),
        crate::report::grouped(book.free_tier.gb_seconds, 0),
        book.free_tier.source,
        book.free_tier.effective
    ));
    n.push(format!(
        "INIT billing: from {} billed for {}; before, for {}. {}.",
        book.init_billing.effective,
        kinds(&book.init_billing.billed),
        kinds(&book.init_billing.billed_before),
        book.init_billing.source
    ));
    let families = |list: &[crate::pricing::RuntimeFamily]| {
        list.iter()
            .map(|f| format!("{} {}+", f.runtime, f.from))
            .collect::<Vec<_>>()
            .join(", ")
    };
    n.push(format!(
        "SnapStart: charged on {}; free on {}.",
        families(&book.snapstart.charged),
        families(&book.snapstart.free)
    ));
    n.push(format!(
        "Month: {} hours for always-on charges. Source file: {}.",
        book.month_hours,
        origin(args)
    ));
    if args.region != "all" {
        let others: Vec<&str> = book
            .regions
            .keys()
            .map(String::as_str)
            .filter(|r| *r != args.region)
            .collect();
        n.push(format!(
            "Other regions: {} (--region all shows every one).",
            others.join(", ")
        ));
    }
}

fn kinds(list: &[crate::pricing::RuntimeKind]) -> String {
    list.iter()
        .map(|k| match k {
            crate::pricing::RuntimeKind::Managed => "managed runtimes",
            crate::pricing::RuntimeKind::Custom => "custom runtimes",
            crate::pricing::RuntimeKind::Container => "container images",
        })
        .collect::<Vec<_>>()
        .join(", ")
}
