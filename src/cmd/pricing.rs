//! `lambcost pricing`: the price book in effect, one rate a row, each with its unit, its
//! source and the date from which it applies, followed by the book's global rules.

use crate::cli::PricingArgs;
use crate::report::{Cell, Column, Detail, Report};
use anyhow::{Result, anyhow, bail};
use lambcost_core::pricing::{Arch, ArchPrices, PriceBook, Rate, Region};
use rust_decimal::Decimal;

/// The columns of the pricing table.
///
/// The table shows whether a rate is the region's own or assumed; the sources, long, are
/// listed under it once per region (CSV and JSON carry them on every row).
pub fn columns(regions: usize) -> Vec<Column> {
    vec![
        // One region is named in the notes; a column of it would say nothing.
        Column::shown("region", "Region").redundant_if(regions == 1),
        Column::shown("arch", "Arch"),
        Column::shown("rate", "Rate"),
        Column::shown("usd", "USD"),
        Column::shown("unit", "Per"),
        Column::shown("effective", "Effective").optional(3),
        Column::shown("basis", "Basis").optional(2),
        // Rates that are all the region's own, from one date, are said so in the notes.
        Column::data("source"),
    ]
}

/// Runs `lambcost pricing`.
pub fn run(args: &PricingArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(args.pricing.as_deref(), None)?;
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
    // An architecture asked of one region that has no rates for it is refused, as estimate
    // refuses it; over every region, the regions that have it are shown.
    if let Some(arch) = args.arch
        && !regions.iter().any(|(_, r)| r.arch(arch).is_some())
    {
        let name = regions.first().map_or("", |(n, _)| n.as_str());
        bail!("--arch {arch}: {}", book.missing_arch(name, arch));
    }
    let mut report = Report {
        title: format!("lambcost pricing: AWS Lambda rates from {}", origin(args)),
        columns: columns(regions.len()),
        ..Report::default()
    };
    let mut assumed = 0;
    for (name, region) in &regions {
        report
            .details
            .push(Detail::general(format!("{name}: {}.", region.source)));
        for &arch in &archs {
            let Some(prices) = region.arch(arch) else {
                report.details.push(Detail::general(format!(
                    "{name}: no {arch} prices in this price book."
                )));
                continue;
            };
            for (group, note) in &prices.assumed {
                assumed += 1;
                report.details.push(Detail::about(
                    "basis",
                    format!("{name} {arch}: {} assumed: {note}.", group.as_str()),
                ));
            }
        }
    }
    report.notes.push(match regions.as_slice() {
        [(name, region)] => format!(
            "Region: {name}, effective {}; {}{}.",
            region.effective,
            if assumed == 0 {
                "every rate its own".to_string()
            } else {
                format!("{assumed} group(s) of rates assumed (--explain says from what)")
            },
            match region.archs().as_slice() {
                [only] if args.arch.is_none() => {
                    format!("; {only} only, the price book has no other architecture's rates here")
                }
                _ => String::new(),
            }
        ),
        _ => format!(
            "Regions: {}; {assumed} group(s) of rates assumed (--explain says from what).",
            regions.len()
        ),
    });
    report.data = origin(args);
    report.rows = rows(&regions, &archs);
    let one = |key: &str| {
        let i = report.columns.iter().position(|c| c.key == key);
        let first = i.and_then(|i| report.rows.first().map(|r| r[i].clone()));
        report.rows_all(key, |c| Some(c) == first.as_ref())
    };
    let (same_date, all_published) = (one("effective"), one("basis") && assumed == 0);
    report.set_redundant("effective", same_date && regions.len() == 1);
    report.set_redundant("basis", all_published);
    notes(&mut report, &book, args);
    Ok(report)
}

/// Every rate of every region and architecture asked, with whether it is published or
/// assumed, and where it comes from.
fn rows(regions: &[(&String, &Region)], archs: &[Arch]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for (name, region) in regions {
        for &arch in archs {
            let Some(prices) = region.arch(arch) else {
                continue;
            };
            for (tier, (rate, kind, usd, unit)) in rates(prices).into_iter().enumerate() {
                // The rows after the first are the duration tiers above the first.
                let group = if kind == Rate::Duration && tier > 1 {
                    lambcost_core::pricing::RateGroup::DurationTiers
                } else {
                    kind.group()
                };
                let assumed = prices
                    .assumed
                    .get(&group)
                    .or_else(|| prices.assumed.get(&kind.group()));
                let (basis, source) = match assumed {
                    Some(note) => ("assumed".to_string(), format!("assumed: {note}")),
                    None => match prices.usage_types.get(&kind) {
                        Some(usage_type) => (
                            "published".to_string(),
                            format!("{} (usage type {usage_type})", region.source),
                        ),
                        None => ("published".to_string(), region.source.clone()),
                    },
                };
                rows.push(vec![
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
    rows
}

fn origin(args: &PricingArgs) -> String {
    match &args.pricing {
        Some(p) => p.display().to_string(),
        None => lambcost_core::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    }
}

/// Rates print as the file writes them (`0.0000166667`), never rounded to cents.
fn plain_rate(value: Decimal) -> String {
    value.normalize().to_string()
}

fn rates(p: &ArchPrices) -> Vec<(String, Rate, Decimal, &'static str)> {
    let mut rows = vec![(
        "requests".to_string(),
        Rate::Requests,
        p.requests_usd_per_million,
        "1M requests",
    )];
    for (i, tier) in p.duration_tiers.iter().enumerate() {
        let gb_s = |v: Decimal| {
            use rust_decimal::prelude::ToPrimitive;
            v.to_u64()
                .map_or_else(|| v.to_string(), lambcost_core::format::short_count)
        };
        let upto = match p.duration_tiers.get(i + 1) {
            Some(next) => format!(
                "duration {}-{} GB-s",
                gb_s(tier.from_gb_seconds),
                gb_s(next.from_gb_seconds)
            ),
            None => format!("duration over {} GB-s", gb_s(tier.from_gb_seconds)),
        };
        rows.push((upto, Rate::Duration, tier.usd_per_gb_second, "GB-s"));
    }
    rows.extend([
        (
            "ephemeral storage".to_string(),
            Rate::EphemeralStorage,
            p.ephemeral_storage_usd_per_gb_second,
            "GB-s",
        ),
        (
            "provisioned concurrency".to_string(),
            Rate::ProvisionedConcurrency,
            p.provisioned_concurrency_usd_per_gb_second,
            "GB-s",
        ),
        (
            "provisioned duration".to_string(),
            Rate::ProvisionedDuration,
            p.provisioned_duration_usd_per_gb_second,
            "GB-s",
        ),
        (
            "snapstart cache".to_string(),
            Rate::SnapstartCache,
            p.snapstart_cache_usd_per_gb_second,
            "GB-s",
        ),
        (
            "snapstart restore".to_string(),
            Rate::SnapstartRestore,
            p.snapstart_restore_usd_per_gb,
            "GB restored",
        ),
    ]);
    rows
}

fn notes(report: &mut Report, book: &PriceBook, args: &PricingArgs) {
    report.notes.push(format!(
        "Free tier: {} requests and {} GB-s a month per account.",
        lambcost_core::format::grouped(Decimal::from(book.free_tier.requests), 0),
        lambcost_core::format::grouped(book.free_tier.gb_seconds, 0),
    ));
    let mut n = Vec::new();
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
        lambcost_core::format::grouped(Decimal::from(book.free_tier.requests), 0),
        lambcost_core::format::grouped(book.free_tier.gb_seconds, 0),
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
    let families = |list: &[lambcost_core::pricing::RuntimeFamily]| {
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
        "Month: {} hours for always-on charges.",
        book.month_hours,
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
    report.details.extend(n.into_iter().map(Detail::general));
}

fn kinds(list: &[lambcost_core::pricing::RuntimeKind]) -> String {
    list.iter()
        .map(|k| match k {
            lambcost_core::pricing::RuntimeKind::Managed => "managed runtimes",
            lambcost_core::pricing::RuntimeKind::Custom => "custom runtimes",
            lambcost_core::pricing::RuntimeKind::Container => "container images",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `lambcost pricing import`: the price book's YAML, and what was skipped.
pub fn import(args: &crate::cli::PricingImportArgs) -> Result<(String, Vec<String>)> {
    use std::io::Read;
    let mut documents = Vec::new();
    for path in &args.files {
        let (origin, text) = if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| anyhow!("stdin: cannot read: {e}"))?;
            ("stdin".to_string(), text)
        } else {
            let shown = path.display().to_string();
            let text =
                std::fs::read_to_string(path).map_err(|e| anyhow!("{shown}: cannot read: {e}"))?;
            (shown, text)
        };
        documents.push((origin, text));
    }
    let imported = lambcost_readers::price_list::import(&documents)?;
    let names: Vec<String> = documents.iter().map(|(o, _)| o.clone()).collect();
    if imported.regions.is_empty() {
        bail!(
            "{}: no Lambda region with x86_64 request and duration prices; is this the price list of AWSLambda?",
            names.join(", ")
        );
    }
    let mut book = PriceBook::embedded();
    book.regions = imported.regions.clone();
    if let (Some(requests), Some(gb_seconds)) = imported.free_tier {
        book.free_tier.requests = requests;
        book.free_tier.gb_seconds = gb_seconds;
        book.free_tier.source =
            "AWS Price List (Global-Request, Global-Lambda-GB-Second)".to_string();
    }
    let header = format!(
        "AWS Lambda prices, imported by `lambcost pricing import` from {}{}.\n\
         Every rate is AWS's own figure; `usage_types` names the price-list entry behind it, and\n\
         `assumed` marks a rate the price list lacks for a region, with what was used instead.\n\
         A region without `arm64` has no Graviton prices in the price list; none are lent it.\n\
         The rules that are not prices (INIT billing, SnapStart runtimes, limits) are lambcost's own.",
        names.join(", "),
        imported
            .version
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default()
    );
    let yaml = lambcost_readers::price_list::to_yaml(&book, &header);
    // What is written must load: the same validation as `--pricing`.
    PriceBook::from_yaml(&yaml, "the imported price book")?;
    let mut warnings = Vec::new();
    let skipped: u64 = imported.skipped.values().sum();
    if skipped > 0 {
        let kinds: Vec<String> = imported
            .skipped
            .iter()
            .map(|(kind, n)| format!("{kind} ({n})"))
            .collect();
        warnings.push(format!(
            "{skipped} product(s) of usage types lambcost does not price were skipped: {}",
            kinds.join(", ")
        ));
    }
    for (region, missing) in &imported.incomplete {
        warnings.push(format!(
            "{region} left out: the price list gives no {missing} rate for it"
        ));
    }
    if !imported.x86_64_only.is_empty() {
        warnings.push(format!(
            "no arm64 prices in the price list for {}: the book prices x86_64 alone there",
            imported.x86_64_only.join(", ")
        ));
    }
    for (region, missing) in &imported.arm64_incomplete {
        warnings.push(format!(
            "{region} arm64 left out: the price list gives no {missing} rate for it; the book prices x86_64 alone there"
        ));
    }
    if !imported.borrowed.is_empty() {
        let rates: Vec<&str> = imported.borrowed.iter().map(|r| r.as_str()).collect();
        warnings.push(format!(
            "no {} rates in the price list for any region: lambcost's embedded us-east-1 rates stand in, marked assumed",
            rates.join(", ")
        ));
    }
    Ok((yaml, warnings))
}
