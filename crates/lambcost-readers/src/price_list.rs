//! AWS's machine-readable price data for Lambda, turned into the price book's regions.
//!
//! Two shapes carry the same products and terms, and both are read by content:
//! - the Price List bulk offer file of the service `AWSLambda` (`{"offerCode": "AWSLambda",
//!   "products": {SKU: {attributes: {usagetype, regionCode, ...}}}, "terms": {"OnDemand":
//!   {SKU: {SKU.TERM: {"priceDimensions": {...}}}}}}`);
//! - what `aws pricing get-products --service-code AWSLambda` prints: `{"PriceList": [...]}`,
//!   each entry a JSON string holding one product and its terms.
//!
//! A usage type names the region by a prefix (`AFS1-Request`, `EUC2-Lambda-GB-Second-ARM`;
//! us-east-1 has none) and the rate by the rest. Each price dimension carries a range
//! (`beginRange`, `endRange`), which is how the duration tiers are written. Products of other
//! usage types (Lambda@Edge, response streaming, ...) are skipped and counted.
//!
//! A region needs its own x86_64 request and duration prices to be in the book. arm64 is
//! there only where the price list gives Graviton's own request and duration prices: offer
//! files from before Graviton (2021) and regions without it have none, and the book then
//! says so rather than lend them another architecture's.
//!
//! Pure: text in, regions out. Every rate stays the decimal AWS wrote.

use lambcost_core::pricing::{Arch, ArchPrices, PriceBook, Rate, Region, Tier};
use lambcost_core::units::Date;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Usage-type prefixes and the regions they stand for (AWS's "Region billing codes").
/// us-east-1's usage types carry no prefix in the price list; `USE1` appears in bills.
pub const REGION_PREFIXES: [(&str, &str); 37] = [
    ("USE1", "us-east-1"),
    ("USE2", "us-east-2"),
    ("USW1", "us-west-1"),
    ("USW2", "us-west-2"),
    ("CAN1", "ca-central-1"),
    ("CAN2", "ca-west-1"),
    ("MXC1", "mx-central-1"),
    ("SAE1", "sa-east-1"),
    ("AFS1", "af-south-1"),
    ("APE1", "ap-east-1"),
    ("APE2", "ap-east-2"),
    ("APN1", "ap-northeast-1"),
    ("APN2", "ap-northeast-2"),
    ("APN3", "ap-northeast-3"),
    ("APS1", "ap-southeast-1"),
    ("APS2", "ap-southeast-2"),
    ("APS3", "ap-south-1"),
    ("APS4", "ap-southeast-3"),
    ("APS5", "ap-south-2"),
    ("APS6", "ap-southeast-4"),
    ("APS7", "ap-southeast-5"),
    ("APS8", "ap-southeast-6"),
    ("APS9", "ap-southeast-7"),
    ("EU", "eu-west-1"),
    ("EUW1", "eu-west-1"),
    ("EUW2", "eu-west-2"),
    ("EUW3", "eu-west-3"),
    ("EUC1", "eu-central-1"),
    ("EUC2", "eu-central-2"),
    ("EUN1", "eu-north-1"),
    ("EUS1", "eu-south-1"),
    ("EUS2", "eu-south-2"),
    ("ILC1", "il-central-1"),
    ("MEC1", "me-central-1"),
    ("MES1", "me-south-1"),
    ("UGW1", "us-gov-west-1"),
    ("UGE1", "us-gov-east-1"),
];

/// What a usage type (without its region prefix) prices.
fn rate_of(kind: &str) -> Option<(Rate, Option<Arch>)> {
    let (base, arch) = match kind.strip_suffix("-ARM") {
        Some(b) => (b, Some(Arch::Arm64)),
        None => (kind, Some(Arch::X86_64)),
    };
    let rate = match base {
        "Request" => Rate::Requests,
        "Lambda-GB-Second" => Rate::Duration,
        "Lambda-Storage-GB-Second" => Rate::EphemeralStorage,
        "Lambda-Provisioned-Concurrency" => Rate::ProvisionedConcurrency,
        "Lambda-Provisioned-GB-Second" => Rate::ProvisionedDuration,
        "Lambda-SnapStart-Cached-GB-S" => Rate::SnapstartCache,
        "Lambda-SnapStart-Restored-GB" => Rate::SnapstartRestore,
        _ => return None,
    };
    // The price list has one SnapStart rate a region, for both architectures (`None`),
    // unless an `-ARM` usage type says otherwise.
    let shared = matches!(rate, Rate::SnapstartCache | Rate::SnapstartRestore) && kind == base;
    Some((rate, if shared { None } else { arch }))
}

/// Splits a usage type into its region and the rest: `AFS1-Request` is (af-south-1,
/// `Request`); a usage type without a known prefix is us-east-1's.
fn split_usage_type(usage_type: &str) -> (&'static str, &str) {
    if let Some((prefix, rest)) = usage_type.split_once('-')
        && let Some((_, region)) = REGION_PREFIXES.iter().find(|(p, _)| *p == prefix)
    {
        return (region, rest);
    }
    ("us-east-1", usage_type)
}

/// A price list that cannot be read: which document, which product, which field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ImportError {
    /// The document as the user named it.
    pub origin: String,
    /// What is wrong (naming the SKU and the field) and what would be accepted.
    pub message: String,
}

/// One rate as the price list gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    usage_type: String,
    /// (begin of range, price per unit), ascending.
    tiers: Vec<(Decimal, Decimal)>,
    effective: Option<Date>,
}

/// What an import found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Every region with its own x86_64 rates, and arm64's where the price list has them, as
    /// the price book holds them.
    pub regions: BTreeMap<String, Region>,
    /// Regions that lacked their x86_64 request or duration price, with what is missing:
    /// left out of the book.
    pub incomplete: Vec<(String, String)>,
    /// Regions the price list gives no arm64 request or duration price for: the book has
    /// x86_64 alone there.
    pub x86_64_only: Vec<String>,
    /// Regions whose arm64 rates are partial, with what is missing: the book has x86_64
    /// alone there.
    pub arm64_incomplete: Vec<(String, String)>,
    /// Rates no document gives for any region, which the embedded book's us-east-1 stands
    /// in for (marked `assumed` in each region).
    pub borrowed: std::collections::BTreeSet<Rate>,
    /// Products skipped, by usage type without its region prefix.
    pub skipped: BTreeMap<String, u64>,
    /// The free tier the price list states (`Global-Request`, `Global-Lambda-GB-Second`).
    pub free_tier: (Option<u64>, Option<Decimal>),
    /// The offer's version and publication date, for the provenance line.
    pub version: Option<String>,
}

/// Reads price-list documents (bulk offer files or `get-products` output), each with the
/// name it is given in messages, into the price book's regions.
pub fn import(documents: &[(String, String)]) -> Result<Imported, ImportError> {
    let mut found: FoundRates = BTreeMap::new();
    let mut imported = Imported::default();
    for (origin, text) in documents {
        let err = |message: String| ImportError {
            origin: origin.clone(),
            message,
        };
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            err(format!(
                "not JSON ({e}); give a Price List offer file or `aws pricing get-products` output"
            ))
        })?;
        let products = products_of(&doc).map_err(err)?;
        if imported.version.is_none() {
            imported.version = doc.get("version").and_then(Value::as_str).map(|v| {
                match doc.get("publicationDate").and_then(Value::as_str) {
                    Some(p) => format!("offer version {v}, published {}", &p[..p.len().min(10)]),
                    None => format!("offer version {v}"),
                }
            });
        }
        for product in products {
            read_product(&product, &mut found, &mut imported).map_err(err)?;
        }
    }
    assemble(found, &mut imported);
    Ok(imported)
}

/// A product with its on-demand terms, as both shapes hold them.
struct Product {
    sku: String,
    attributes: Value,
    on_demand: Value,
}

fn products_of(doc: &Value) -> Result<Vec<Product>, String> {
    if let Some(list) = doc.get("PriceList").and_then(Value::as_array) {
        return list
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let parsed: Value = match entry {
                    Value::String(s) => serde_json::from_str(s)
                        .map_err(|e| format!("PriceList[{i}]: not a JSON document ({e})"))?,
                    other => other.clone(),
                };
                let product = parsed
                    .get("product")
                    .ok_or(format!("PriceList[{i}]: no `product`"))?;
                let sku = product
                    .get("sku")
                    .and_then(Value::as_str)
                    .ok_or(format!("PriceList[{i}]: product.sku is missing"))?
                    .to_string();
                Ok(Product {
                    attributes: product.get("attributes").cloned().unwrap_or(Value::Null),
                    on_demand: parsed
                        .pointer("/terms/OnDemand")
                        .cloned()
                        .unwrap_or(Value::Null),
                    sku,
                })
            })
            .collect();
    }
    let (Some(products), Some(terms)) = (
        doc.get("products").and_then(Value::as_object),
        doc.get("terms"),
    ) else {
        return Err(
            "not an AWS price list: expected a bulk offer file (`products` and `terms`) or `aws pricing get-products` output (`PriceList`)".to_string(),
        );
    };
    Ok(products
        .iter()
        .map(|(sku, p)| Product {
            sku: sku.clone(),
            attributes: p.get("attributes").cloned().unwrap_or(Value::Null),
            on_demand: terms
                .get("OnDemand")
                .and_then(|t| t.get(sku))
                .cloned()
                .unwrap_or(Value::Null),
        })
        .collect())
}

fn read_product(
    p: &Product,
    found: &mut FoundRates,
    imported: &mut Imported,
) -> Result<(), String> {
    let sku = &p.sku;
    if let Some(service) = p.attributes.get("servicecode").and_then(Value::as_str)
        && service != "AWSLambda"
    {
        *imported
            .skipped
            .entry(format!("{service} products"))
            .or_insert(0) += 1;
        return Ok(());
    }
    let usage_type = p
        .attributes
        .get("usagetype")
        .and_then(Value::as_str)
        .ok_or(format!("SKU {sku}: attributes.usagetype is missing"))?;
    let dimensions = dimensions(sku, &p.on_demand)?;
    if let Some(kind) = usage_type.strip_prefix("Global-") {
        // The free tier, written as a price of 0 up to a limit.
        let end = dimensions.first().and_then(|d| d.end);
        match kind {
            "Request" => imported.free_tier.0 = end.and_then(|e| u64::try_from(e).ok()),
            "Lambda-GB-Second" => imported.free_tier.1 = end,
            _ => *imported.skipped.entry(usage_type.to_string()).or_insert(0) += 1,
        }
        return Ok(());
    }
    let (prefix_region, kind) = split_usage_type(usage_type);
    let region = p
        .attributes
        .get("regionCode")
        .and_then(Value::as_str)
        .unwrap_or(prefix_region)
        .to_string();
    let Some((rate, arch)) = rate_of(kind) else {
        *imported.skipped.entry(kind.to_string()).or_insert(0) += 1;
        return Ok(());
    };
    if dimensions.is_empty() {
        return Err(format!(
            "SKU {sku} ({usage_type}): terms.OnDemand has no price dimension"
        ));
    }
    let mut tiers: Vec<(Decimal, Decimal)> = dimensions.iter().map(|d| (d.begin, d.usd)).collect();
    tiers.sort();
    let effective = dimensions.iter().filter_map(|d| d.effective).max();
    let archs = match arch {
        Some(a) => vec![a],
        None => vec![Arch::X86_64, Arch::Arm64],
    };
    for a in archs {
        let key = (region.clone(), a, rate);
        // An architecture's own usage type wins over the shared one.
        if arch.is_none() && found.contains_key(&key) {
            continue;
        }
        found.insert(
            key,
            Found {
                usage_type: usage_type.to_string(),
                tiers: tiers.clone(),
                effective,
            },
        );
    }
    Ok(())
}

/// One price dimension of a product's on-demand terms.
struct Dimension {
    begin: Decimal,
    end: Option<Decimal>,
    usd: Decimal,
    effective: Option<Date>,
}

fn dimensions(sku: &str, on_demand: &Value) -> Result<Vec<Dimension>, String> {
    let mut out = Vec::new();
    let Some(terms) = on_demand.as_object() else {
        return Ok(out);
    };
    for (term_code, term) in terms {
        let effective = term
            .get("effectiveDate")
            .and_then(Value::as_str)
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<Date>().ok());
        let Some(dims) = term.get("priceDimensions").and_then(Value::as_object) else {
            return Err(format!(
                "SKU {sku}: terms.OnDemand.{term_code}.priceDimensions is missing"
            ));
        };
        for (rate_code, d) in dims {
            let field = |name: &str| format!("SKU {sku}: priceDimensions.{rate_code}.{name}");
            let number = |name: &str, value: Option<&Value>| -> Result<Decimal, String> {
                let text = value
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{} is missing", field(name)))?;
                Decimal::from_str(text.trim())
                    .map_err(|_| format!("{}: '{text}' is not a decimal number", field(name)))
            };
            let usd = number("pricePerUnit.USD", d.pointer("/pricePerUnit/USD"))?;
            if usd.is_sign_negative() {
                return Err(format!("{}: {usd} is negative", field("pricePerUnit.USD")));
            }
            let begin = match d.get("beginRange") {
                None => Decimal::ZERO,
                v => number("beginRange", v)?,
            };
            let end = match d.get("endRange").and_then(Value::as_str) {
                None | Some("Inf") => None,
                Some(_) => Some(number("endRange", d.get("endRange"))?),
            };
            out.push(Dimension {
                begin,
                end,
                usd,
                effective,
            });
        }
    }
    Ok(out)
}

/// The rates found, by region, architecture and rate.
type FoundRates = BTreeMap<(String, Arch, Rate), Found>;

/// One architecture's rates in a region as found, before they are a price book's: the
/// tiers of each rate, the groups assumed (with what was used), the usage types behind the
/// rest, and the latest day any of them took effect.
#[derive(Default)]
struct ArchFound {
    rates: BTreeMap<Rate, Vec<(Decimal, Decimal)>>,
    assumed: BTreeMap<lambcost_core::pricing::RateGroup, String>,
    usage_types: BTreeMap<Rate, String>,
    effective: Option<Date>,
}

/// The rate of `region` and `arch`, or, when the price list lacks it, the region's other
/// architecture's or us-east-1's, with a note saying which.
fn rate_or_fallback<'f>(
    found: &'f FoundRates,
    region: &str,
    arch: Arch,
    rate: Rate,
) -> Option<(&'f Found, Option<String>)> {
    if let Some(f) = found.get(&(region.to_string(), arch, rate)) {
        return Some((f, None));
    }
    let other = match arch {
        Arch::X86_64 => Arch::Arm64,
        Arch::Arm64 => Arch::X86_64,
    };
    if let Some(f) = found.get(&(region.to_string(), other, rate)) {
        let note = format!("the price list has no {arch} rate here; the region's {other} rate");
        return Some((f, Some(note)));
    }
    found
        .get(&("us-east-1".to_string(), arch, rate))
        .map(|f| {
            let note = "not in the price list for this region; us-east-1's rate".to_string();
            (f, Some(note))
        })
        .or_else(|| {
            // A region's own export (get-products filtered by region) has no us-east-1 to
            // lean on: the embedded book's us-east-1 rate stands in, marked as such.
            found
                .get(&(EMBEDDED_US_EAST_1.to_string(), arch, rate))
                .map(|f| {
                    let note = format!(
                        "not in the price list; us-east-1's rate from lambcost's embedded price book (effective {})",
                        f.effective.map_or_else(String::new, |d| d.to_string())
                    );
                    (f, Some(note))
                })
        })
}

/// The key under which the embedded book's us-east-1 rates are kept as a last fallback.
const EMBEDDED_US_EAST_1: &str = "embedded us-east-1";

/// The embedded price book's us-east-1 rates, as found rates under [`EMBEDDED_US_EAST_1`].
fn embedded_fallback(found: &mut FoundRates) {
    let book = lambcost_core::pricing::PriceBook::embedded_region("us-east-1");
    let Some(region) = book.regions.get("us-east-1") else {
        return;
    };
    for arch in [Arch::X86_64, Arch::Arm64] {
        let Some(p) = region.arch(arch) else {
            continue;
        };
        let flat = |usd: Decimal| vec![(Decimal::ZERO, usd)];
        let rates = [
            (
                Rate::EphemeralStorage,
                flat(p.ephemeral_storage_usd_per_gb_second),
            ),
            (
                Rate::ProvisionedConcurrency,
                flat(p.provisioned_concurrency_usd_per_gb_second),
            ),
            (
                Rate::ProvisionedDuration,
                flat(p.provisioned_duration_usd_per_gb_second),
            ),
            (
                Rate::SnapstartCache,
                flat(p.snapstart_cache_usd_per_gb_second),
            ),
            (Rate::SnapstartRestore, flat(p.snapstart_restore_usd_per_gb)),
        ];
        for (rate, tiers) in rates {
            found.insert(
                (EMBEDDED_US_EAST_1.to_string(), arch, rate),
                Found {
                    usage_type: String::new(),
                    tiers,
                    effective: Some(region.effective),
                },
            );
        }
    }
}

/// One architecture of `region`, or the rates missing for it: requests and duration must be
/// the region's own, the rest may be taken from elsewhere and marked as assumed.
fn arch_found(found: &FoundRates, region: &str, arch: Arch) -> Result<ArchFound, Vec<String>> {
    let mut out = ArchFound::default();
    let mut missing = Vec::new();
    for rate in Rate::ALL {
        let essential = matches!(rate, Rate::Requests | Rate::Duration);
        match rate_or_fallback(found, region, arch, rate) {
            Some((f, None)) => {
                out.usage_types.insert(rate, f.usage_type.clone());
                out.effective = out.effective.max(f.effective);
                out.rates.insert(rate, f.tiers.clone());
            }
            Some((f, Some(note))) if !essential => {
                out.assumed.entry(rate.group()).or_insert(note);
                out.rates.insert(rate, f.tiers.clone());
            }
            _ => missing.push(format!("{arch} {}", rate.as_str())),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// The price book's form of one architecture's rates.
fn arch_prices(a: ArchFound) -> ArchPrices {
    let flat = |r: Rate| {
        a.rates
            .get(&r)
            .and_then(|t| t.first())
            .map_or(Decimal::ZERO, |t| t.1)
            .normalize()
    };
    ArchPrices {
        requests_usd_per_million: (flat(Rate::Requests) * Decimal::from(1_000_000)).normalize(),
        duration_tiers: a
            .rates
            .get(&Rate::Duration)
            .map(|t| {
                t.iter()
                    .map(|(from, usd)| Tier {
                        from_gb_seconds: from.normalize(),
                        usd_per_gb_second: usd.normalize(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ephemeral_storage_usd_per_gb_second: flat(Rate::EphemeralStorage),
        provisioned_concurrency_usd_per_gb_second: flat(Rate::ProvisionedConcurrency),
        provisioned_duration_usd_per_gb_second: flat(Rate::ProvisionedDuration),
        snapstart_cache_usd_per_gb_second: flat(Rate::SnapstartCache),
        snapstart_restore_usd_per_gb: flat(Rate::SnapstartRestore),
        assumed: a.assumed,
        usage_types: a.usage_types,
    }
}

/// Builds each region's architectures from the rates found: a region without its own x86_64
/// request and duration rates is left out and listed as incomplete; arm64 is in the book
/// only where its rates are complete, and its absence is listed.
fn assemble(mut found: FoundRates, imported: &mut Imported) {
    let regions: std::collections::BTreeSet<String> =
        found.keys().map(|(r, _, _)| r.clone()).collect();
    // Which rates some document gives for some region: the others, where they stand in, are
    // the embedded book's, and the import says so once for the whole book.
    let given: std::collections::BTreeSet<Rate> = found.keys().map(|(_, _, r)| *r).collect();
    imported
        .borrowed
        .extend(Rate::ALL.into_iter().filter(|r| !given.contains(r)));
    embedded_fallback(&mut found);
    let source = format!(
        "AWS Price List for AWSLambda{}",
        imported
            .version
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default()
    );
    for region in regions {
        let x86 = match arch_found(&found, &region, Arch::X86_64) {
            Ok(x86) => x86,
            Err(missing) => {
                imported.incomplete.push((region, missing.join(", ")));
                continue;
            }
        };
        // Graviton's own request or duration price is what says the region has arm64 at all;
        // a shared SnapStart rate, filed under both architectures, does not.
        let has_arm64 = [Rate::Requests, Rate::Duration]
            .iter()
            .any(|&r| found.contains_key(&(region.clone(), Arch::Arm64, r)));
        let arm = if has_arm64 {
            match arch_found(&found, &region, Arch::Arm64) {
                Ok(arm) => Some(arm),
                Err(missing) => {
                    imported
                        .arm64_incomplete
                        .push((region.clone(), missing.join(", ")));
                    None
                }
            }
        } else {
            imported.x86_64_only.push(region.clone());
            None
        };
        let effective = x86
            .effective
            .max(arm.as_ref().and_then(|a| a.effective))
            .unwrap_or(Date {
                year: 2025,
                month: 8,
                day: 1,
            });
        imported.regions.insert(
            region,
            Region {
                source: source.clone(),
                effective,
                x86_64: arch_prices(x86),
                arm64: arm.map(arch_prices),
            },
        );
    }
}

/// The price book as YAML, in the layout of `pricing/aws-lambda.yaml`: every rate written as
/// the exact decimal it holds, each architecture with its usage types as provenance.
pub fn to_yaml(book: &PriceBook, header: &str) -> String {
    use std::fmt::Write as _;
    let mut y = String::new();
    for line in header.lines() {
        let _ = writeln!(y, "# {line}");
    }
    let _ = writeln!(y, "schema: {}", book.schema);
    let _ = writeln!(y, "currency: {}", book.currency);
    let _ = writeln!(y, "billing_granularity_ms: {}", book.billing_granularity_ms);
    if let Some(b) = book.billing_granularity_before {
        let _ = writeln!(
            y,
            "billing_granularity_before: {{ until: {}, ms: {} }}",
            b.until, b.ms
        );
    }
    let _ = writeln!(
        y,
        "memory_mb: {{ min: {}, max: {} }}",
        book.memory_mb.min, book.memory_mb.max
    );
    let _ = writeln!(
        y,
        "ephemeral_storage_mb: {{ free: {}, max: {} }}",
        book.ephemeral_storage_mb.free, book.ephemeral_storage_mb.max
    );
    let _ = writeln!(y, "month_hours: {}", book.month_hours);
    let ft = &book.free_tier;
    let _ = writeln!(y, "free_tier:");
    let _ = writeln!(y, "  requests: {}", ft.requests);
    let _ = writeln!(y, "  gb_seconds: {}", ft.gb_seconds);
    let _ = writeln!(y, "  source: {}", quoted(&ft.source));
    let _ = writeln!(y, "  effective: {}", ft.effective);
    let ib = &book.init_billing;
    let kinds = |k: &[lambcost_core::pricing::RuntimeKind]| {
        k.iter()
            .map(|k| match k {
                lambcost_core::pricing::RuntimeKind::Managed => "managed",
                lambcost_core::pricing::RuntimeKind::Custom => "custom",
                lambcost_core::pricing::RuntimeKind::Container => "container",
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(y, "init_billing:");
    let _ = writeln!(y, "  effective: {}", ib.effective);
    let _ = writeln!(y, "  billed: [{}]", kinds(&ib.billed));
    let _ = writeln!(y, "  billed_before: [{}]", kinds(&ib.billed_before));
    let _ = writeln!(y, "  source: {}", quoted(&ib.source));
    let families = |list: &[lambcost_core::pricing::RuntimeFamily]| {
        list.iter()
            .map(|f| format!("    - {{ runtime: {}, from: \"{}\" }}\n", f.runtime, f.from))
            .collect::<String>()
    };
    let _ = writeln!(y, "snapstart:");
    let _ = write!(y, "  charged:\n{}", families(&book.snapstart.charged));
    let _ = write!(y, "  free:\n{}", families(&book.snapstart.free));
    let _ = writeln!(y, "  source: {}", quoted(&book.snapstart.source));
    let _ = writeln!(y, "regions:");
    for (name, region) in &book.regions {
        region_yaml(&mut y, name, region);
    }
    y
}

/// One region of the price book, each architecture it has, each rate with its provenance.
fn region_yaml(y: &mut String, name: &str, region: &Region) {
    use std::fmt::Write as _;
    let _ = writeln!(y, "  {name}:");
    let _ = writeln!(y, "    source: {}", quoted(&region.source));
    let _ = writeln!(y, "    effective: {}", region.effective);
    for arch in [Arch::X86_64, Arch::Arm64] {
        // An architecture the region has no rates for is left out: absent is what says so.
        let Some(p) = region.arch(arch) else {
            continue;
        };
        let _ = writeln!(y, "    {arch}:");
        let _ = writeln!(
            y,
            "      requests_usd_per_million: {}",
            p.requests_usd_per_million
        );
        let _ = writeln!(y, "      duration_tiers:");
        for t in &p.duration_tiers {
            let _ = writeln!(
                y,
                "        - {{ from_gb_seconds: {}, usd_per_gb_second: {} }}",
                t.from_gb_seconds, t.usd_per_gb_second
            );
        }
        for (key, value) in [
            (
                "ephemeral_storage_usd_per_gb_second",
                p.ephemeral_storage_usd_per_gb_second,
            ),
            (
                "provisioned_concurrency_usd_per_gb_second",
                p.provisioned_concurrency_usd_per_gb_second,
            ),
            (
                "provisioned_duration_usd_per_gb_second",
                p.provisioned_duration_usd_per_gb_second,
            ),
            (
                "snapstart_cache_usd_per_gb_second",
                p.snapstart_cache_usd_per_gb_second,
            ),
            (
                "snapstart_restore_usd_per_gb",
                p.snapstart_restore_usd_per_gb,
            ),
        ] {
            let _ = writeln!(y, "      {key}: {value}");
        }
        if !p.assumed.is_empty() {
            let _ = writeln!(y, "      assumed:");
            for (group, note) in &p.assumed {
                let _ = writeln!(y, "        {}: {}", group.as_str(), quoted(note));
            }
        }
        if !p.usage_types.is_empty() {
            let _ = writeln!(y, "      usage_types:");
            for (rate, usage_type) in &p.usage_types {
                let _ = writeln!(y, "        {}: {}", rate.as_str(), quoted(usage_type));
            }
        }
    }
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_types_name_their_region_and_rate() {
        assert_eq!(split_usage_type("AFS1-Request"), ("af-south-1", "Request"));
        assert_eq!(
            split_usage_type("EUC2-Lambda-GB-Second-ARM"),
            ("eu-central-2", "Lambda-GB-Second-ARM")
        );
        assert_eq!(split_usage_type("EU-Request"), ("eu-west-1", "Request"));
        assert_eq!(
            split_usage_type("Lambda-GB-Second"),
            ("us-east-1", "Lambda-GB-Second")
        );
        assert_eq!(
            rate_of("Lambda-GB-Second-ARM"),
            Some((Rate::Duration, Some(Arch::Arm64)))
        );
        assert_eq!(
            rate_of("Lambda-SnapStart-Restored-GB"),
            Some((Rate::SnapstartRestore, None))
        );
        assert_eq!(rate_of("Lambda-Edge-Request"), None);
    }

    /// An offer file of `(usage type, USD per unit)` products, one flat price each.
    fn offer(products: &[(&str, &str)]) -> String {
        let mut p = serde_json::Map::new();
        let mut t = serde_json::Map::new();
        for (i, (usage_type, usd)) in products.iter().enumerate() {
            let sku = format!("SKU{i}");
            p.insert(
                sku.clone(),
                serde_json::json!({"sku": sku, "attributes": {"servicecode": "AWSLambda", "usagetype": usage_type}}),
            );
            t.insert(
                sku.clone(),
                serde_json::json!({format!("{sku}.T"): {"effectiveDate": "2021-10-01T00:00:00Z", "priceDimensions": {
                    format!("{sku}.T.D"): {"beginRange": "0", "endRange": "Inf", "pricePerUnit": {"USD": usd}}}}}),
            );
        }
        serde_json::json!({"offerCode": "AWSLambda", "products": p, "terms": {"OnDemand": t}})
            .to_string()
    }

    #[test]
    fn a_region_without_graviton_keeps_its_x86_64_prices_and_lends_it_none() {
        let doc = offer(&[
            ("Request", "0.0000002"),
            ("Lambda-GB-Second", "0.0000166667"),
            ("Request-ARM", "0.0000002"),
            ("Lambda-GB-Second-ARM", "0.0000133334"),
            ("EU-Request", "0.0000002"),
            ("EU-Lambda-GB-Second", "0.0000166667"),
            // Graviton's requests without its duration: not enough to price arm64.
            ("APN1-Request", "0.0000002"),
            ("APN1-Request-ARM", "0.0000002"),
            ("APN1-Lambda-GB-Second", "0.0000166667"),
        ]);
        let imported = import(&[("offer.json".to_string(), doc)]).expect("imports");
        assert_eq!(
            imported.regions.keys().collect::<Vec<_>>(),
            ["ap-northeast-1", "eu-west-1", "us-east-1"]
        );
        let us = &imported.regions["us-east-1"];
        assert_eq!(us.archs(), [Arch::X86_64, Arch::Arm64]);
        let arm = us.arch(Arch::Arm64).expect("us-east-1 has Graviton");
        assert_eq!(
            arm.duration_tiers[0].usd_per_gb_second,
            Decimal::new(133334, 10)
        );
        let eu = &imported.regions["eu-west-1"];
        assert_eq!(eu.archs(), [Arch::X86_64]);
        assert_eq!(eu.arm64, None);
        assert_eq!(
            eu.x86_64.duration_tiers[0].usd_per_gb_second,
            Decimal::new(166667, 10)
        );
        assert_eq!(imported.x86_64_only, ["eu-west-1"]);
        assert_eq!(
            imported.arm64_incomplete,
            [("ap-northeast-1".to_string(), "arm64 duration".to_string())]
        );
        assert_eq!(imported.regions["ap-northeast-1"].arm64, None);
        assert!(imported.incomplete.is_empty());
        // No product of the file prices storage, Provisioned Concurrency or SnapStart.
        assert_eq!(
            imported.borrowed.iter().copied().collect::<Vec<_>>(),
            [
                Rate::EphemeralStorage,
                Rate::ProvisionedConcurrency,
                Rate::ProvisionedDuration,
                Rate::SnapstartCache,
                Rate::SnapstartRestore
            ]
        );
        // Written and read back, the book has no arm64 where the file had none.
        let mut book = PriceBook::embedded();
        book.regions = imported.regions.clone();
        let yaml = to_yaml(&book, "test");
        let read = PriceBook::from_yaml(&yaml, "test.yaml").expect("loads");
        assert_eq!(read.regions, imported.regions);
    }

    #[test]
    fn a_region_without_its_own_x86_64_prices_is_left_out() {
        let doc = offer(&[
            ("Request", "0.0000002"),
            ("Lambda-GB-Second", "0.0000166667"),
            ("EU-Request-ARM", "0.0000002"),
            ("EU-Lambda-GB-Second-ARM", "0.0000133334"),
        ]);
        let imported = import(&[("offer.json".to_string(), doc)]).expect("imports");
        assert_eq!(imported.regions.keys().collect::<Vec<_>>(), ["us-east-1"]);
        assert_eq!(
            imported.incomplete,
            [(
                "eu-west-1".to_string(),
                "x86_64 requests, x86_64 duration".to_string()
            )]
        );
    }
}
