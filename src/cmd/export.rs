//! `lambcost export --infracost-usage`: the usage-file entries Infracost prices Lambda with
//! (`monthly_requests`, `request_duration_ms`, and a Provisioned Concurrency configuration's
//! keys), filled with measured durations so a team that prices its Terraform with Infracost
//! carries its real numbers there, cold starts included.

use crate::cli::ExportArgs;
use anyhow::{Result, bail};
use lambcost_core::profile::Profile;
use lambcost_core::share::cold_share;
use rust_decimal::Decimal;
use serde_yaml::{Mapping, Value};

/// Runs `lambcost export`; returns the usage file's text and what the data's readers warned.
pub fn run(args: &ExportArgs) -> Result<(String, Vec<String>)> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.variants,
        modes: &args.modes,
        archs: &args.price.arch,
        strict: false,
        group_by: lambcost_core::grouping::GroupBy::Input,
        threads: 0,
    };
    lambcost_core::assemble::check_modes(&args.modes, &lambcost_core::modes::ModeBook::embedded())?;
    if args.price.arch.len() > 1 {
        bail!("--arch: a usage file prices one architecture per function; give one");
    }
    let inputs = crate::setup::inputs::select_profiles(&args.data, &naming, &pricer)?;
    let mut profiles: Vec<Profile> = inputs.profiles;
    let mut warnings = inputs.warnings;
    if args.price.savings_plan.is_some() {
        // Infracost prices the usage file itself: a discount given here would be lost.
        warnings.push(
            "--savings-plan: a usage file carries usage, not prices; Infracost applies its own"
                .to_string(),
        );
    }
    warnings.extend(crate::setup::trace::attach(
        &mut profiles,
        &args.cold,
        &pricer,
    )?);
    if args.resources.len() > profiles.len() {
        bail!(
            "--resource: {} addresses for {} variants; give one per variant, in order",
            args.resources.len(),
            profiles.len()
        );
    }
    let model = crate::setup::context::traffic_model(&args.cold, pricer.month_hours());
    let mut usage = Mapping::new();
    let mut comments = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let address =
            args.resources.get(i).cloned().unwrap_or_else(|| {
                format!("aws_lambda_function.{}", p.name.replace(['-', '.'], "_"))
            });
        let (share, source) = cold_share(p, args.requests, args.cold.choice(), &model);
        // Infracost multiplies one duration by the requests: give it the mean billed duration,
        // cold starts included. It reads the key as a whole number and would truncate a
        // fraction, so round up: its duration charge is then lambcost's or up to 1 ms more.
        let mean = (Decimal::ONE - share) * p.warm_billed_ms + share * p.cold_billed_ms;
        let mean = mean.ceil();
        comments.push(format!(
            "# {address}: {} ({} MB); request_duration_ms is the mean billed duration rounded up to a whole ms (Infracost reads whole numbers), {} of invocations cold ({})",
            p.name,
            p.memory_mb,
            lambcost_core::format::percent(share),
            source.as_str()
        ));
        let mut entry = Mapping::new();
        entry.insert("monthly_requests".into(), Value::from(args.requests));
        entry.insert("request_duration_ms".into(), number(mean));
        usage.insert(Value::from(address.clone()), Value::Mapping(entry));
        if let Some(n) = args.provisioned_concurrency {
            let hours = args.provisioned_hours.unwrap_or(pricer.month_hours());
            let mut pc = Mapping::new();
            pc.insert("monthly_duration_hrs".into(), number(hours.ceil()));
            pc.insert("monthly_requests".into(), Value::from(args.requests));
            pc.insert(
                "request_duration_ms".into(),
                number(p.warm_billed_ms.ceil()),
            );
            let pc_address = address.replacen(
                "aws_lambda_function.",
                "aws_lambda_provisioned_concurrency_config.",
                1,
            );
            comments.push(format!(
                "# {pc_address}: {n} provisioned environments for {hours} hours; its invocations run warm (request_duration_ms and monthly_duration_hrs rounded up to whole numbers, as Infracost reads them)"
            ));
            usage.insert(Value::from(pc_address), Value::Mapping(pc));
        }
    }
    let mut doc = Mapping::new();
    doc.insert("version".into(), Value::from("0.1"));
    doc.insert("resource_usage".into(), Value::Mapping(usage));
    let body = serde_yaml::to_string(&Value::Mapping(doc))?;
    Ok((
        format!(
            "# Infracost usage file written by lambcost from measured durations.\n{}\n{body}",
            comments.join("\n")
        ),
        warnings,
    ))
}

fn number(d: Decimal) -> Value {
    let d = d.normalize();
    if d.fract().is_zero()
        && let Ok(n) = u64::try_from(d)
    {
        return Value::from(n);
    }
    Value::from(rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0))
}
