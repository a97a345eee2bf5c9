//! Compiles the embedded data into lambcost, validated and ready to use.
//!
//! `pricing/aws-lambda.yaml` and `data/build-modes.yaml` are read with the core's own loaders
//! (the same modules, compiled into this script), so a bad edit fails the build with the
//! file, line and column, exactly as `--pricing` or `--modes` would refuse it; then the
//! values are written out as Rust that constructs them (`embedded.rs` in `OUT_DIR`), and a
//! start of lambcost parses nothing. `data/results.csv`, the talk's table, is read the same
//! way in its canonical columns (the readers' own reader checks it against this in a test).

#![allow(dead_code, unused_imports)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[path = "src/bounds.rs"]
mod bounds;
#[path = "src/modes.rs"]
mod modes;
#[path = "src/units.rs"]
mod units;
#[path = "src/variant.rs"]
mod variant;
#[path = "src/yaml.rs"]
mod yaml;

#[path = "src/pricing/mod.rs"]
mod pricing;

use modes::ModeBook;
use pricing::PriceBook;
use rust_decimal::Decimal;

fn main() {
    let root = Path::new("../..");
    let read = |name: &str| -> String {
        let path = root.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => fail(&format!("{name}: cannot read: {e}")),
        }
    };
    let book = PriceBook::from_yaml(&read("pricing/aws-lambda.yaml"), "pricing/aws-lambda.yaml")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let modes = ModeBook::from_yaml(&read("data/build-modes.yaml"), "data/build-modes.yaml")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let talk = talk_variants(&read("data/results.csv"), "data/results.csv");

    let mut out = String::new();
    out.push_str(
        "// Written by build.rs from pricing/aws-lambda.yaml, data/build-modes.yaml and\n",
    );
    out.push_str("// data/results.csv; edit those.\n\n");
    let head = PriceBook {
        regions: BTreeMap::new(),
        ..book.clone()
    };
    let _ = writeln!(
        out,
        "/// The price book without its regions.\npub(super) fn price_book() -> crate::pricing::PriceBook {{\n    {}\n}}\n",
        head.rust()
    );
    let names: Vec<String> = book.regions.keys().map(|k| format!("{k:?}")).collect();
    let _ = writeln!(
        out,
        "/// The regions, in order.\npub(super) const REGIONS: [&str; {}] = [{}];\n",
        names.len(),
        names.join(", ")
    );
    out.push_str("/// One region's rates, built only when asked for.\npub(super) fn region(name: &str) -> Option<crate::pricing::Region> {\n    match name {\n");
    for (name, region) in &book.regions {
        let _ = writeln!(out, "        {name:?} => Some({}),", region.rust());
    }
    out.push_str("        _ => None,\n    }\n}\n\n");
    let _ = writeln!(
        out,
        "/// The build-mode facts.\npub(super) fn mode_book() -> crate::modes::ModeBook {{\n    {}\n}}\n",
        modes.rust()
    );
    let _ = writeln!(
        out,
        "/// The talk's table.\npub(super) fn talk_variants() -> Vec<crate::variant::Variant> {{\n    {}\n}}",
        talk.rust()
    );
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        fail(&format!("{}: cannot write: {e}", dest.display()));
    }
}

/// Stops the build with `message` (a file:line:column error), as cargo shows it.
fn fail(message: &str) -> ! {
    println!("cargo::error={message}");
    std::process::exit(1);
}

/// The talk's table in its canonical columns.
fn talk_variants(text: &str, origin: &str) -> Vec<variant::Variant> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => fail(&format!("{origin}: {e}")),
    };
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| fail(&format!("{origin}:1: no column '{name}'")))
    };
    let columns = [
        "variant",
        "mode",
        "dotnet",
        "runtime",
        "architecture",
        "memory_size_mb",
        "cold_start_ms",
        "warm_ms",
        "max_memory_used_mb_min",
        "max_memory_used_mb_max",
        "note",
    ]
    .map(at);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.unwrap_or_else(|e| fail(&format!("{origin}:{line}: {e}")));
        let cell = |c: usize| record.get(columns[c]).unwrap_or("").to_string();
        let number = |c: usize| -> u32 {
            cell(c).parse().unwrap_or_else(|_| {
                fail(&format!(
                    "{origin}:{line}: column '{}' is not a whole number",
                    header[columns[c]]
                ))
            })
        };
        let decimal = |c: usize| -> Decimal {
            cell(c).parse().unwrap_or_else(|_| {
                fail(&format!(
                    "{origin}:{line}: column '{}' is not a number",
                    header[columns[c]]
                ))
            })
        };
        let note = cell(10);
        rows.push(variant::Variant {
            name: cell(0),
            mode: cell(1),
            dotnet: (!cell(2).is_empty()).then(|| number(2)),
            runtime: cell(3),
            arch: cell(4)
                .parse()
                .unwrap_or_else(|e: String| fail(&format!("{origin}:{line}: {e}"))),
            memory_mb: number(5),
            cold_start_ms: decimal(6),
            warm_ms: decimal(7),
            max_memory_used_mb_min: number(8),
            max_memory_used_mb_max: number(9),
            note: (!note.is_empty()).then_some(note),
        });
    }
    rows
}

/// A value written as the Rust expression that constructs it.
trait Rust {
    fn rust(&self) -> String;
}

impl Rust for Decimal {
    fn rust(&self) -> String {
        let u = self.unpack();
        format!(
            "rust_decimal::Decimal::from_parts({}, {}, {}, {}, {})",
            u.lo, u.mid, u.hi, u.negative, u.scale
        )
    }
}

impl Rust for String {
    fn rust(&self) -> String {
        format!("String::from({self:?})")
    }
}

impl Rust for bool {
    fn rust(&self) -> String {
        self.to_string()
    }
}

impl Rust for u32 {
    fn rust(&self) -> String {
        format!("{self}_u32")
    }
}

impl Rust for u64 {
    fn rust(&self) -> String {
        format!("{self}_u64")
    }
}

impl Rust for f64 {
    fn rust(&self) -> String {
        format!("{self:?}_f64")
    }
}

impl<T: Rust> Rust for Option<T> {
    fn rust(&self) -> String {
        match self {
            Some(v) => format!("Some({})", v.rust()),
            None => "None".to_string(),
        }
    }
}

impl<T: Rust> Rust for Vec<T> {
    fn rust(&self) -> String {
        let items: Vec<String> = self.iter().map(Rust::rust).collect();
        format!("vec![{}]", items.join(", "))
    }
}

impl<K: Rust, V: Rust> Rust for BTreeMap<K, V> {
    fn rust(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|(k, v)| format!("({}, {})", k.rust(), v.rust()))
            .collect();
        format!("std::collections::BTreeMap::from([{}])", items.join(", "))
    }
}

impl Rust for units::Date {
    fn rust(&self) -> String {
        let units::Date { year, month, day } = self;
        format!("crate::units::Date {{ year: {year}, month: {month}, day: {day} }}")
    }
}

/// Writes a struct literal of `path` with its fields, destructured so that a field added to
/// the type and forgotten here fails the build.
macro_rules! literal {
    ($ty:path, $path:literal, $value:expr, { $($field:ident),* $(,)? }) => {{
        let $ty { $($field),* } = $value;
        let mut s = format!("{} {{ ", $path);
        $( let _ = write!(s, "{}: {}, ", stringify!($field), $field.rust()); )*
        s.push('}');
        s
    }};
}

/// Writes an enum's unit variant by its Rust name.
macro_rules! unit_variants {
    ($ty:path, $path:literal, [$($variant:ident),* $(,)?]) => {
        impl Rust for $ty {
            fn rust(&self) -> String {
                use $ty as E;
                let name = match self { $( E::$variant => stringify!($variant), )* };
                format!("{}::{name}", $path)
            }
        }
    };
}

unit_variants!(pricing::Arch, "crate::pricing::Arch", [X86_64, Arm64]);
unit_variants!(
    pricing::RuntimeKind,
    "crate::pricing::RuntimeKind",
    [Managed, Custom, Container]
);
unit_variants!(
    pricing::RateGroup,
    "crate::pricing::RateGroup",
    [
        Requests,
        Duration,
        DurationTiers,
        EphemeralStorage,
        ProvisionedConcurrency,
        Snapstart
    ]
);
unit_variants!(
    pricing::Rate,
    "crate::pricing::Rate",
    [
        Requests,
        Duration,
        EphemeralStorage,
        ProvisionedConcurrency,
        ProvisionedDuration,
        SnapstartCache,
        SnapstartRestore
    ]
);
unit_variants!(
    modes::Level,
    "crate::modes::Level",
    [None, Limited, Partial, Full]
);
unit_variants!(
    modes::Objective,
    "crate::modes::Objective",
    [Cost, Iteration, SteppingStone]
);

impl Rust for pricing::Version {
    fn rust(&self) -> String {
        format!("crate::pricing::Version({})", self.0.rust())
    }
}

impl Rust for pricing::RuntimeFamily {
    fn rust(&self) -> String {
        literal!(pricing::RuntimeFamily, "crate::pricing::RuntimeFamily", self, { runtime, from })
    }
}

impl Rust for pricing::Tier {
    fn rust(&self) -> String {
        literal!(pricing::Tier, "crate::pricing::Tier", self, { from_gb_seconds, usd_per_gb_second })
    }
}

impl Rust for pricing::ArchPrices {
    fn rust(&self) -> String {
        literal!(pricing::ArchPrices, "crate::pricing::ArchPrices", self, {
            requests_usd_per_million,
            duration_tiers,
            ephemeral_storage_usd_per_gb_second,
            provisioned_concurrency_usd_per_gb_second,
            provisioned_duration_usd_per_gb_second,
            snapstart_cache_usd_per_gb_second,
            snapstart_restore_usd_per_gb,
            assumed,
            usage_types,
        })
    }
}

impl Rust for pricing::Region {
    fn rust(&self) -> String {
        literal!(pricing::Region, "crate::pricing::Region", self, { source, effective, x86_64, arm64 })
    }
}

impl Rust for pricing::FreeTier {
    fn rust(&self) -> String {
        literal!(pricing::FreeTier, "crate::pricing::FreeTier", self, {
            requests,
            gb_seconds,
            source,
            effective,
        })
    }
}

impl Rust for pricing::InitBilling {
    fn rust(&self) -> String {
        literal!(pricing::InitBilling, "crate::pricing::InitBilling", self, {
            effective,
            billed,
            billed_before,
            source,
        })
    }
}

impl Rust for pricing::SnapStartRuntimes {
    fn rust(&self) -> String {
        literal!(pricing::SnapStartRuntimes, "crate::pricing::SnapStartRuntimes", self, {
            charged,
            free,
            source,
        })
    }
}

impl Rust for pricing::EarlierGranularity {
    fn rust(&self) -> String {
        literal!(pricing::EarlierGranularity, "crate::pricing::EarlierGranularity", self, { until, ms })
    }
}

impl Rust for pricing::MemoryRange {
    fn rust(&self) -> String {
        literal!(pricing::MemoryRange, "crate::pricing::MemoryRange", self, { min, max })
    }
}

impl Rust for pricing::StorageRange {
    fn rust(&self) -> String {
        literal!(pricing::StorageRange, "crate::pricing::StorageRange", self, { free, max })
    }
}

impl Rust for PriceBook {
    fn rust(&self) -> String {
        literal!(PriceBook, "crate::pricing::PriceBook", self, {
            schema,
            currency,
            billing_granularity_ms,
            billing_granularity_before,
            memory_mb,
            ephemeral_storage_mb,
            month_hours,
            free_tier,
            init_billing,
            snapstart,
            regions,
        })
    }
}

impl Rust for modes::Feature {
    fn rust(&self) -> String {
        literal!(modes::Feature, "crate::modes::Feature", self, { title, needs })
    }
}

impl Rust for modes::Scenario {
    fn rust(&self) -> String {
        literal!(modes::Scenario, "crate::modes::Scenario", self, {
            title,
            cold_start_slo_ms,
            p99_slo_ms,
            cold_start_rate,
            uses,
            objective,
        })
    }
}

impl Rust for modes::Relative {
    fn rust(&self) -> String {
        literal!(modes::Relative, "crate::modes::Relative", self, { min, max })
    }
}

impl Rust for modes::From {
    fn rust(&self) -> String {
        literal!(modes::From, "crate::modes::From", self, { from })
    }
}

impl Rust for modes::ManagedRuntime {
    fn rust(&self) -> String {
        literal!(modes::ManagedRuntime, "crate::modes::ManagedRuntime", self, {
            version,
            runtime,
            from,
            deprecated,
        })
    }
}

impl Rust for modes::Versions {
    fn rust(&self) -> String {
        literal!(modes::Versions, "crate::modes::Versions", self, { managed, custom_runtime })
    }
}

impl Rust for modes::Upgrade {
    fn rust(&self) -> String {
        literal!(modes::Upgrade, "crate::modes::Upgrade", self, { level, practices })
    }
}

impl Rust for modes::Mode {
    fn rust(&self) -> String {
        literal!(modes::Mode, "crate::modes::Mode", self, {
            title,
            runs_as,
            runtime,
            capabilities,
            capability_with_practices,
            build_time,
            package,
            versions,
            practices,
            risk,
            stepping_stone,
            reference,
            warnings,
        })
    }
}

impl Rust for ModeBook {
    fn rust(&self) -> String {
        literal!(ModeBook, "crate::modes::ModeBook", self, {
            schema,
            features,
            scenarios,
            modes,
            migration_path,
        })
    }
}

impl Rust for variant::Variant {
    fn rust(&self) -> String {
        literal!(variant::Variant, "crate::variant::Variant", self, {
            name,
            mode,
            dotnet,
            runtime,
            arch,
            memory_mb,
            cold_start_ms,
            warm_ms,
            max_memory_used_mb_min,
            max_memory_used_mb_max,
            note,
        })
    }
}
