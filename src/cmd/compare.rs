//! `lambcost compare`: variants side by side, from any mix of summary tables, samples and
//! logs, with their statistics, their monthly cost at each traffic level and how each stands
//! against the baseline.

use crate::cli::CompareArgs;
use crate::present::comparison::{Settings, report};
use crate::report::Report;
use anyhow::{Result, bail};

/// Runs `lambcost compare`.
pub fn run(args: &CompareArgs) -> Result<Report> {
    let book =
        crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.logs.variants,
        modes: &args.logs.modes,
        archs: &args.price.arch,
        strict: args.logs.strict,
        group_by: args.logs.group_by.into(),
        threads: args.logs.threads.map_or(0, |n| n as usize),
    };
    let modes = crate::modes::ModeBook::embedded()?;
    crate::assemble::check_modes(&args.logs.modes, &modes)?;
    let mut inputs = crate::setup::inputs::select_profiles(&args.files, &naming, &pricer)?;
    inputs
        .warnings
        .extend(crate::setup::context::price_warnings(&args.price));
    let mut profiles = inputs.profiles;
    let replayed = crate::setup::trace::attach(&mut profiles, &args.cold, &pricer)?;
    inputs.warnings.extend(replayed);
    let baseline = match &args.baseline {
        None => crate::compare::default_baseline(&profiles, modes.reference()),
        Some(name) => match profiles.iter().position(|p| &p.name == name) {
            Some(i) => i,
            None => bail!(
                "--baseline: '{name}' is not among the variants; they are: {}",
                crate::profile::names(&profiles)
            ),
        },
    };
    report(
        &profiles,
        baseline,
        &Settings {
            requests: &args.requests,
            output: &args.output,
            plot: &args.plot,
            cold: &args.cold,
            price: &args.price,
            pricer: &pricer,
        },
        inputs.warnings,
        &crate::setup::inputs::describe(&args.files),
    )
}
