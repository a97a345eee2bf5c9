//! `lambcost estimate`: the monthly cost of each variant of the data set, or of one workload
//! described on the command line, at one or more traffic levels.

use crate::cli::EstimateArgs;
use crate::cost::{self, Billing, MonthlyCost, Provisioned, SnapStart, Workload};
use crate::pricing::{Arch, PriceBook, RateGroup, Region, RuntimeKind};
use crate::report::{Cell, Column, Report};
use crate::samples::summary;
use crate::traffic::TrafficModel;
use crate::variant::{DEFAULT_RESULTS_CSV, DEFAULT_RESULTS_ORIGIN, Variant};
use anyhow::{Context, Result, anyhow, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// The columns of an estimate, in order. CSV and JSON carry all of them under these names.
pub const COLUMNS: [Column; 23] = [
    Column::shown("variant", "Variant"),
    Column::shown("mode", "Mode"),
    Column::data("arch"),
    Column::shown("memory_mb", "Memory MB"),
    Column::shown("requests", "Requests"),
    Column::shown("cold_start_rate", "Cold %"),
    Column::data("cold_start_source"),
    Column::shown("cold_starts", "Cold starts"),
    Column::data("warm_billed_ms"),
    Column::data("cold_billed_ms"),
    Column::data("billed_seconds"),
    Column::shown("gb_seconds", "GB-s"),
    Column::shown("compute_usd", "Compute $"),
    Column::shown("requests_usd", "Requests $"),
    Column::shown("other_usd", "Other $"),
    Column::data("ephemeral_storage_usd"),
    Column::data("provisioned_concurrency_usd"),
    Column::data("provisioned_duration_usd"),
    Column::data("snapstart_cache_usd"),
    Column::data("snapstart_restore_usd"),
    Column::shown("total_usd", "Total $/month"),
    Column::shown("usd_per_million", "$ per 1M"),
    Column::data("provisioned_invocations"),
];

/// What is priced: a variant of the data set or the workload given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// Name shown in the report.
    pub name: String,
    /// Build mode (empty for a bare workload).
    pub mode: String,
    /// Lambda runtime.
    pub runtime: String,
    /// Architecture priced.
    pub arch: Arch,
    /// Memory.
    pub memory_mb: u32,
    /// Warm duration (mean).
    pub warm_ms: Decimal,
    /// Init duration of a cold start.
    pub init_ms: Decimal,
}

impl Subject {
    /// A variant of the summary table, priced on `arch` when given.
    pub fn from_variant(v: &Variant, arch: Option<Arch>) -> Subject {
        Subject {
            name: v.name.clone(),
            mode: v.mode.clone(),
            runtime: v.runtime.clone(),
            arch: arch.unwrap_or(v.arch),
            memory_mb: v.memory_mb,
            warm_ms: v.warm_ms,
            init_ms: v.init_ms(),
        }
    }
}

/// Everything settled about the month, shared by every row.
struct Month<'a> {
    book: &'a PriceBook,
    region: &'a Region,
    month_hours: Decimal,
    traffic: TrafficModel,
}

/// Runs `lambcost estimate`.
pub fn run(args: &EstimateArgs) -> Result<Report> {
    let book = super::price_book(args.price.pricing.as_deref())?;
    let region = book
        .region(&args.price.region)
        .map_err(|m| anyhow!("--region: {m}"))?;
    let month_hours = args.price.month_hours.unwrap_or(book.month_hours);
    check_options(args, &book, month_hours)?;
    let subjects = subjects(args, &book)?;
    let month = Month {
        book: &book,
        region,
        month_hours,
        traffic: traffic_model(&args.cold, month_hours),
    };

    let mut report = Report {
        title: format!(
            "lambcost estimate: monthly AWS Lambda cost in {} at {}",
            args.price.region,
            args.requests
                .iter()
                .map(|r| short_count(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        columns: COLUMNS.to_vec(),
        ..Report::default()
    };
    let mut snapstart_skipped = Vec::new();
    for &requests in &args.requests {
        for subject in &subjects {
            let (row, skipped) = row(args, &month, subject, requests)?;
            if skipped && !snapstart_skipped.contains(&subject.name) {
                snapstart_skipped.push(subject.name.clone());
            }
            report.rows.push(row);
        }
    }
    // "Other $" only earns a column in the table when something is in it.
    let other = COLUMNS
        .iter()
        .position(|c| c.key == "other_usd")
        .unwrap_or(0);
    if report
        .rows
        .iter()
        .all(|r| matches!(r[other], Cell::Usd(v) if v.is_zero()))
    {
        report.columns[other].shown = false;
    }
    describe(&mut report, args, &month, &subjects, &snapstart_skipped);
    Ok(report)
}

fn traffic_model(args: &crate::cli::ColdStartArgs, month_hours: Decimal) -> TrafficModel {
    TrafficModel {
        idle_reclaim_s: (args.idle_reclaim / Decimal::from(1000))
            .to_f64()
            .unwrap_or(600.0),
        env_lifetime_s: (args.env_lifetime / Decimal::from(1000))
            .to_f64()
            .unwrap_or(7200.0),
        month_hours: month_hours.to_f64().unwrap_or(730.0),
    }
}

fn check_options(args: &EstimateArgs, book: &PriceBook, month_hours: Decimal) -> Result<()> {
    let range = book.memory_mb;
    if let Some(mb) = args.memory_mb {
        if mb < range.min || mb > range.max {
            bail!(
                "--memory-mb: {mb} is outside {}..={} MB, Lambda's memory range",
                range.min,
                range.max
            );
        }
    }
    let storage = book.ephemeral_storage_mb;
    if args.ephemeral_storage_mb < storage.free || args.ephemeral_storage_mb > storage.max {
        bail!(
            "--ephemeral-storage-mb: {} is outside {}..={} MB",
            args.ephemeral_storage_mb,
            storage.free,
            storage.max
        );
    }
    if let Some(h) = args.provisioned_hours {
        if h > month_hours {
            bail!("--provisioned-hours: {h} is longer than the {month_hours}-hour month");
        }
    }
    if let Some(h) = args.snapstart_hours {
        if h > month_hours {
            bail!("--snapstart-hours: {h} is longer than the {month_hours}-hour month");
        }
    }
    if args.snapstart && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        bail!(
            "--snapstart: SnapStart cannot be combined with Provisioned Concurrency on Lambda; choose one"
        );
    }
    if args.snapstart && args.ephemeral_storage_mb > storage.free {
        bail!(
            "--snapstart: SnapStart cannot be combined with ephemeral storage above {} MB on Lambda",
            storage.free
        );
    }
    if args.duration_ms.is_some() && (args.data.is_some() || !args.variant.is_empty()) {
        bail!(
            "--duration-ms describes one workload; it cannot be combined with --data or --variant"
        );
    }
    Ok(())
}

/// The things to price: the single workload, or the data set's variants (filtered).
fn subjects(args: &EstimateArgs, book: &PriceBook) -> Result<Vec<Subject>> {
    if let (Some(duration_ms), Some(memory_mb)) = (args.duration_ms, args.memory_mb) {
        return Ok(vec![Subject {
            name: "workload".to_string(),
            mode: String::new(),
            runtime: args.runtime.clone(),
            arch: args.price.arch.unwrap_or(Arch::X86_64),
            memory_mb,
            warm_ms: duration_ms,
            init_ms: args.init_ms.unwrap_or(Decimal::ZERO),
        }]);
    }
    let variants = load_variants(args.data.as_deref(), book)?;
    let chosen = select(&variants, &args.variant)?;
    Ok(chosen
        .into_iter()
        .map(|v| Subject::from_variant(v, args.price.arch))
        .collect())
}

/// Reads a summary table (the embedded default when `path` is `None`).
pub fn load_variants(path: Option<&std::path::Path>, book: &PriceBook) -> Result<Vec<Variant>> {
    match path {
        None => Ok(summary::read(
            DEFAULT_RESULTS_CSV.as_bytes(),
            DEFAULT_RESULTS_ORIGIN,
            book.memory_mb,
        )?),
        Some(p) => {
            let shown = p.display().to_string();
            let file = std::fs::File::open(p)
                .with_context(|| format!("{shown}: cannot open the data file"))?;
            Ok(summary::read(
                std::io::BufReader::new(file),
                &shown,
                book.memory_mb,
            )?)
        }
    }
}

/// The variants named (all when `names` is empty), in the data set's order.
pub fn select<'a>(variants: &'a [Variant], names: &[String]) -> Result<Vec<&'a Variant>> {
    for name in names {
        if !variants.iter().any(|v| &v.name == name) {
            let known: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
            bail!(
                "--variant: '{name}' is not in the data set; known variants: {}",
                known.join(", ")
            );
        }
    }
    Ok(variants
        .iter()
        .filter(|v| names.is_empty() || names.contains(&v.name))
        .collect())
}

/// One row: `subject` at `requests` a month. Also says whether SnapStart had to be left out.
fn row(
    args: &EstimateArgs,
    month: &Month<'_>,
    subject: &Subject,
    requests: u64,
) -> Result<(Vec<Cell>, bool)> {
    let book = month.book;
    let granularity = book.billing_granularity_ms;
    let (rate, source) = match args.cold.cold_start_rate {
        Some(r) => (r, "given"),
        None => {
            let share = month
                .traffic
                .cold_start_share(requests, subject.warm_ms.to_f64().unwrap_or(0.0));
            let rate = Decimal::from_f64(share)
                .unwrap_or(Decimal::ZERO)
                .round_dp(12);
            (rate, "traffic model")
        }
    };
    let init_billed = book.init_billed(RuntimeKind::of(&subject.runtime), args.price.billing_date);
    let warm_billed_ms = cost::billed_ms(subject.warm_ms, granularity);
    let mut cold_billed_ms =
        cost::cold_billed_ms(subject.init_ms, subject.warm_ms, init_billed, granularity);
    let mut cold_rate = rate;
    let mut snapstart = None;
    let mut skipped = false;
    if args.snapstart {
        match book.snapstart_support(&subject.runtime) {
            Some(charged) => {
                let restore_rate = args.restore_rate.unwrap_or(rate);
                let restore_ms = args.restore_ms.unwrap_or(subject.init_ms);
                // A restore replaces INIT; its Billed Restore Duration is billed with the invoke.
                cold_billed_ms = cost::billed_ms(restore_ms + subject.warm_ms, granularity);
                cold_rate = restore_rate;
                snapstart = Some(SnapStart {
                    versions: args.snapstart_versions,
                    hours_active: args.snapstart_hours.unwrap_or(month.month_hours),
                    restore_rate,
                    charged,
                });
            }
            None => skipped = true,
        }
    }
    let workload = Workload {
        requests,
        memory_mb: subject.memory_mb,
        warm_billed_ms,
        cold_billed_ms,
        cold_start_rate: cold_rate,
        ephemeral_storage_mb: args.ephemeral_storage_mb,
        provisioned: args.provisioned_concurrency.map(|n| Provisioned {
            environments: n,
            hours: args.provisioned_hours.unwrap_or(month.month_hours),
        }),
        snapstart,
    };
    let billing = Billing {
        prices: month.region.arch(subject.arch),
        month_hours: month.month_hours,
        account_gb_seconds: args.price.account_gb_seconds,
        free_tier: args
            .price
            .free_tier
            .then_some((book.free_tier.requests, book.free_tier.gb_seconds)),
        storage_free_mb: book.ephemeral_storage_mb.free,
    };
    let c = cost::monthly_cost(&workload, &billing);
    Ok((cells(subject, &workload, &c, source), skipped))
}

fn cells(subject: &Subject, w: &Workload, c: &MonthlyCost, source: &str) -> Vec<Cell> {
    vec![
        Cell::Text(subject.name.clone()),
        Cell::Text(subject.mode.clone()),
        Cell::Text(subject.arch.to_string()),
        Cell::Count(u64::from(subject.memory_mb)),
        Cell::Count(c.requests),
        Cell::Share(w.cold_start_rate),
        Cell::Text(source.to_string()),
        Cell::Number(c.cold_starts, 0),
        Cell::Number(w.warm_billed_ms, 0),
        Cell::Number(w.cold_billed_ms, 0),
        Cell::Number(c.billed_seconds, 0),
        Cell::Number(c.gb_seconds, 0),
        Cell::Usd(c.compute_usd()),
        Cell::Usd(c.requests_usd),
        Cell::Usd(c.other_usd()),
        Cell::Usd(c.ephemeral_storage_usd),
        Cell::Usd(c.provisioned_concurrency_usd),
        Cell::Usd(c.provisioned_duration_usd),
        Cell::Usd(c.snapstart_cache_usd),
        Cell::Usd(c.snapstart_restore_usd),
        Cell::Usd(c.total_usd()),
        Cell::Usd(c.usd_per_million()),
        Cell::Number(c.provisioned_invocations, 0),
    ]
}

/// The assumptions and warnings of an estimate, in words and as values.
fn describe(
    report: &mut Report,
    args: &EstimateArgs,
    month: &Month<'_>,
    subjects: &[Subject],
    snapstart_skipped: &[String],
) {
    let book = month.book;
    let region = month.region;
    let pricing_origin = match &args.price.pricing {
        Some(p) => p.display().to_string(),
        None => crate::pricing::DEFAULT_PRICING_ORIGIN.to_string(),
    };
    let data_origin = if args.duration_ms.is_some() {
        "command line".to_string()
    } else {
        match &args.data {
            Some(p) => p.display().to_string(),
            None => DEFAULT_RESULTS_ORIGIN.to_string(),
        }
    };
    let notes = &mut report.notes;
    match args.cold.cold_start_rate {
        Some(r) => notes.push(format!(
            "Cold starts: {} of invocations, as given.",
            crate::report::percent(r)
        )),
        None => notes.push(format!(
            "Cold starts: the traffic model's share (Cold %): Poisson arrivals over a {}-hour month, one invocation per environment at a time, idle environments reclaimed after {} and recycled after {}; --cold-start-rate sets it.",
            month.month_hours,
            human_duration(args.cold.idle_reclaim),
            human_duration(args.cold.env_lifetime),
        )),
    }
    if args.duration_ms.is_none() {
        notes.push(
            "Cold start of a variant: its cold_start_ms is the billed duration of a cold invocation, INIT included; warm invocations bill ceil(warm_ms).".to_string(),
        );
    } else if args.init_ms.is_none() {
        notes.push(
            "Init duration: none given (--init-ms); cold starts are billed as warm ones."
                .to_string(),
        );
    }
    let billed_rule = match args.price.billing_date {
        Some(d) if d < book.init_billing.effective => format!(
            "INIT billed only for custom runtimes and container images (rule before {}; billing date {d}).",
            book.init_billing.effective
        ),
        _ => format!(
            "INIT billed on every cold start (rule of {}).",
            book.init_billing.effective
        ),
    };
    notes.push(format!(
        "Prices: {} ({}), effective {}, from {}. {billed_rule}",
        args.price.region, region.source, region.effective, pricing_origin
    ));
    let account = if args.price.account_gb_seconds.is_zero() {
        "this function alone fills the account's duration tiers (--account-gb-seconds adds the account's other usage)".to_string()
    } else {
        format!(
            "the account already used {} GB-s this month",
            crate::report::grouped(args.price.account_gb_seconds, 0)
        )
    };
    let free = if args.price.free_tier {
        "free tier subtracted"
    } else {
        "free tier not applied (an account-level credit; --free-tier applies it)"
    };
    notes.push(format!("Account: {account}; {free}."));
    notes.push(format!("Data: {data_origin}."));

    // Warnings: what the user should not miss.
    let warnings = &mut report.warnings;
    if args.price.free_tier && args.provisioned_concurrency.is_some_and(|n| n > 0) {
        warnings.push(
            "--free-tier: AWS does not apply the free tier to functions with Provisioned Concurrency; not applied".to_string(),
        );
    }
    if !snapstart_skipped.is_empty() {
        warnings.push(format!(
            "--snapstart: SnapStart is not available on the runtime of {}; estimated without it",
            snapstart_skipped.join(", ")
        ));
    }
    let mut used = vec![RateGroup::Requests, RateGroup::Duration];
    if args.ephemeral_storage_mb > book.ephemeral_storage_mb.free {
        used.push(RateGroup::EphemeralStorage);
    }
    if args.provisioned_concurrency.is_some() {
        used.push(RateGroup::ProvisionedConcurrency);
    }
    if args.snapstart {
        used.push(RateGroup::Snapstart);
    }
    let mut archs: Vec<Arch> = subjects.iter().map(|s| s.arch).collect();
    archs.dedup();
    for arch in archs {
        for group in &used {
            if let Some(note) = region.arch(arch).assumed.get(group) {
                warnings.push(format!(
                    "{} {arch}: no regional {} rate in the pricing file's sources; using {note}",
                    args.price.region,
                    group.as_str()
                ));
            }
        }
    }
    if let (Some(arch), None) = (args.price.arch, args.duration_ms) {
        report.notes.push(format!(
            "Architecture: priced on {arch}; durations are the data set's own, measured on each variant's architecture."
        ));
    }

    let a = &mut report.assumptions;
    a.push(("region", Cell::Text(args.price.region.clone())));
    a.push(("month_hours", Cell::Number(month.month_hours, 0)));
    a.push(("free_tier", Cell::Flag(args.price.free_tier)));
    a.push((
        "account_gb_seconds",
        Cell::Number(args.price.account_gb_seconds, 0),
    ));
    a.push((
        "ephemeral_storage_mb",
        Cell::Count(u64::from(args.ephemeral_storage_mb)),
    ));
    a.push((
        "provisioned_concurrency",
        Cell::Count(u64::from(args.provisioned_concurrency.unwrap_or(0))),
    ));
    a.push((
        "provisioned_hours",
        match args.provisioned_concurrency {
            Some(_) => Cell::Number(args.provisioned_hours.unwrap_or(month.month_hours), 0),
            None => Cell::Number(Decimal::ZERO, 0),
        },
    ));
    a.push(("snapstart", Cell::Flag(args.snapstart)));
    a.push((
        "idle_reclaim_s",
        Cell::Number(args.cold.idle_reclaim / Decimal::from(1000), 0),
    ));
    a.push((
        "env_lifetime_s",
        Cell::Number(args.cold.env_lifetime / Decimal::from(1000), 0),
    ));
    a.push((
        "init_billing_effective",
        Cell::Text(book.init_billing.effective.to_string()),
    ));
    a.push(("pricing", Cell::Text(pricing_origin)));
    a.push((
        "pricing_effective",
        Cell::Text(region.effective.to_string()),
    ));
    a.push(("data", Cell::Text(data_origin)));
}

fn human_duration(ms: Decimal) -> String {
    let s = ms / Decimal::from(1000);
    if s >= Decimal::from(3600) && (s % Decimal::from(3600)).is_zero() {
        format!("{} h", s / Decimal::from(3600))
    } else if s >= Decimal::from(60) && (s % Decimal::from(60)).is_zero() {
        format!("{} min", s / Decimal::from(60))
    } else {
        format!("{} s", s.normalize())
    }
}

/// `10000000` as `10M`, for titles.
pub fn short_count(n: u64) -> String {
    for (unit, size) in [("B", 1_000_000_000u64), ("M", 1_000_000), ("k", 1_000)] {
        if n >= size {
            let value = Decimal::from(n) / Decimal::from(size);
            return format!("{}{unit}", value.round_dp(2).normalize());
        }
    }
    n.to_string()
}
