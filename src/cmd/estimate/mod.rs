//! `lambcost estimate`: the monthly cost of each variant of the data set, or of one workload
//! described on the command line, at one or more traffic levels.

mod columns;
mod words;

use crate::cli::EstimateArgs;
use crate::cli::PcOverflowArg;
use crate::report::Report;
use anyhow::{Result, bail};
use columns::{Row, fields, shown_columns};
use lambcost_core::cost::{BillError, PcOverflow, Pricer};
use lambcost_core::pricing::Arch;
use lambcost_core::profile::Profile;
use lambcost_core::scenario::{PcPlan, Priced, Scenario, ScenarioError, SnapStartPlan, price};
use lambcost_core::share::cold_share;
use lambcost_core::traffic::TrafficModel;
use rust_decimal::Decimal;
use words::{assumptions, data_origin, details, notes, warnings};

/// Runs `lambcost estimate`.
pub fn run(args: &EstimateArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(
        args.cost.price.pricing.as_deref(),
        Some(&args.cost.price.region),
    )?;
    let pricer = crate::setup::context::pricer(&args.cost.price, &book)?;
    let scenario = scenario(args);
    check_options(args, &scenario, &pricer)?;
    let (mut profiles, mut data_warnings) = profiles(args, &pricer)?;
    data_warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.cost.cold,
        &pricer,
    )?);
    let traffic = crate::setup::context::traffic_model(&args.cost.cold, pricer.month_hours());

    let mut report = Report {
        title: format!(
            "lambcost estimate: monthly AWS Lambda cost in {} at {}",
            args.cost.price.region,
            args.requests
                .iter()
                .map(|r| lambcost_core::format::short_count(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ..Report::default()
    };
    report.warnings.append(&mut data_warnings);
    report
        .warnings
        .extend(crate::setup::context::price_warnings(&args.cost.price));
    // Compute every row first, then present them.
    let mut billed: Vec<(usize, Priced)> = Vec::new();
    for &requests in args.requests.iter() {
        for (i, profile) in profiles.iter().enumerate() {
            billed.push((
                i,
                bill(args, &scenario, &pricer, &traffic, profile, requests)?,
            ));
        }
    }
    let fields = fields();
    report.columns = crate::report::columns(&fields);
    let mut inputs = Vec::new();
    for (i, b) in &billed {
        let profile = &profiles[*i];
        report
            .rows
            .push(crate::report::row(&fields, &Row { profile, billed: b }));
        inputs.push(crate::report::xlsx::InputRow {
            variant: profile.name.clone(),
            arch: profile.arch.to_string(),
            memory_mb: profile.memory_mb,
            requests: b.cost.requests,
            warm_billed_ms: b.workload.warm_billed_ms,
            cold_billed_ms: b.workload.cold_billed_ms,
            cold_start_rate: b.workload.cold_start_rate,
        });
    }
    // The workbook models on-demand compute and requests only.
    if scenario.is_on_demand(&pricer) && super::wants_workbook(&args.cost.output) {
        report.workbook = Some(crate::present::workbook::cost_book(&pricer, inputs));
    }
    let names: Vec<String> = profiles.iter().map(|p| p.label()).collect();
    if super::wants_chart(&args.cost.output, &args.cost.plot) {
        report.charts.push(crate::present::charts::cost_chart(
            format!("Monthly cost against traffic, {}", args.cost.price.region),
            &names,
            &args.requests,
            |i, requests| {
                Ok(
                    bill(args, &scenario, &pricer, &traffic, &profiles[i], requests)?
                        .cost
                        .total_usd(),
                )
            },
        )?);
    }
    let observed = shown_columns(&mut report, &profiles);
    let million = args.requests.iter().all(|r| *r == 1_000_000);
    report.set_redundant("usd_per_million", million);
    report.notes = notes(args, &pricer, observed);
    report
        .notes
        .extend(crate::present::sentences::what_if_line(&profiles));
    if args.duration_ms.is_none() {
        let data = &args.data;
        for m in crate::setup::inputs::mixed_rows(data, &profiles, pricer.memory_range())? {
            let mut own = Profile::from_variant(&m.own, &pricer);
            if let Some(p) = profiles.iter().find(|p| p.name == m.row.name) {
                (own.arch, own.measured_arch) = (p.arch, p.measured_arch);
            }
            let costs = args
                .requests
                .iter()
                .map(|&r| {
                    let b = bill(args, &scenario, &pricer, &traffic, &own, r)?;
                    Ok(format!(
                        "{} at {}",
                        lambcost_core::format::usd_cents(b.cost.total_usd()),
                        lambcost_core::format::short_count(r)
                    ))
                })
                .collect::<Result<Vec<_>, BillError>>()?;
            report.warnings.push(format!(
                "{}; with {}'s own figures (--data @talk-repo), {} a month.",
                crate::present::sentences::mixed_clause(&m),
                m.own.name,
                costs.join(", ")
            ));
        }
    }
    report.details = details(args, &pricer, &profiles, &billed);
    report.data = data_origin(args);
    report
        .warnings
        .extend(warnings(args, &scenario, &pricer, &profiles, &billed));
    report.assumptions = assumptions(args, &pricer);
    Ok(report)
}

/// The setup the options describe.
fn scenario(args: &EstimateArgs) -> Scenario {
    Scenario {
        ephemeral_storage_mb: args.ephemeral_storage_mb,
        memory_mb: None,
        provisioned: args.provisioned_concurrency.map(|environments| PcPlan {
            environments,
            hours: args.provisioned_hours,
            traffic_share: args.pc_traffic_share,
            overflow: match args.pc_overflow {
                PcOverflowArg::Queue => PcOverflow::Queue,
                PcOverflowArg::None => PcOverflow::None,
            },
        }),
        snapstart: args.snapstart.then_some(SnapStartPlan {
            versions: args.snapstart_versions,
            hours_active: args.snapstart_hours,
            restore_rate: args.restore_rate,
            restore_ms: args.restore_ms,
        }),
    }
}

/// Refuses options that do not describe a function Lambda runs, naming the flag.
fn check_options(args: &EstimateArgs, scenario: &Scenario, pricer: &Pricer<'_>) -> Result<()> {
    let range = pricer.memory_range();
    if let Some(mb) = args.memory_mb
        && (mb < range.min || mb > range.max)
    {
        bail!(
            "--memory-mb: {mb} is outside {}..={} MB, Lambda's memory range",
            range.min,
            range.max
        );
    }
    if let Err(e) = scenario.check(pricer) {
        let flag = match e {
            ScenarioError::Storage { .. } => "--ephemeral-storage-mb",
            ScenarioError::ProvisionedHours { .. } => "--provisioned-hours",
            ScenarioError::SnapStartHours { .. } => "--snapstart-hours",
            ScenarioError::SnapStartWithProvisioned
            | ScenarioError::SnapStartWithStorage { .. } => "--snapstart",
        };
        bail!("{flag}: {e}");
    }
    if args.duration_ms.is_some() && (!args.data.is_empty() || !args.variant.is_empty()) {
        bail!(
            "--duration-ms describes one workload; it cannot be combined with --data or --variant"
        );
    }
    Ok(())
}

/// The things to price: the single workload, or the data's variants (filtered).
fn profiles(args: &EstimateArgs, pricer: &Pricer<'_>) -> Result<(Vec<Profile>, Vec<String>)> {
    if let (Some(duration_ms), Some(memory_mb)) = (args.duration_ms, args.memory_mb) {
        let profile = Profile::workload(
            duration_ms,
            args.init_ms.unwrap_or(Decimal::ZERO),
            memory_mb,
            &args.runtime,
            Arch::X86_64,
            pricer,
        );
        let mut profiles = lambcost_core::assemble::on_archs(vec![profile], &args.cost.price.arch);
        // Durations given on the command line were measured nowhere: no what-if.
        for p in &mut profiles {
            p.measured_arch = None;
        }
        return Ok((profiles, Vec::new()));
    }
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.variant,
        modes: &[],
        archs: &args.cost.price.arch,
        strict: false,
        group_by: lambcost_core::grouping::GroupBy::Input,
        threads: 0,
    };
    let inputs = crate::setup::inputs::select_profiles(&args.data, &naming, pricer)?;
    let (profiles, warnings) = (inputs.profiles, inputs.warnings);
    Ok((profiles, warnings))
}

/// The bill of `profile` at `requests` a month under the options' setup.
fn bill(
    args: &EstimateArgs,
    scenario: &Scenario,
    pricer: &Pricer<'_>,
    traffic: &TrafficModel,
    profile: &Profile,
    requests: u64,
) -> Result<Priced, BillError> {
    let share = cold_share(profile, requests, args.cost.cold.choice(), traffic);
    price(profile, requests, share, scenario, pricer)
}
