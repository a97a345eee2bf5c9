//! `lambcost compare`: variants side by side, from any mix of summary tables, samples and
//! logs, with their statistics, their monthly cost at each traffic level and how each stands
//! against the baseline.

use crate::cli::CompareArgs;
use crate::present::comparison::{Settings, report};
use crate::report::Report;
use anyhow::{Result, bail};

/// Runs `lambcost compare`.
pub fn run(args: &CompareArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(
        args.cost.price.pricing.as_deref(),
        Some(&args.cost.price.region),
    )?;
    let pricer = crate::setup::context::pricer(&args.cost.price, &book)?;
    let naming = crate::setup::inputs::LogNaming::of(&args.logs, &args.cost.price.arch);
    let modes = lambcost_core::modes::ModeBook::embedded();
    lambcost_core::assemble::check_modes(&args.logs.modes, &modes)?;
    let mut inputs = crate::setup::inputs::select_profiles(&args.files, &naming, &pricer)?;
    inputs
        .warnings
        .extend(crate::setup::context::price_warnings(&args.cost.price));
    let mut profiles = inputs.profiles;
    let replayed = crate::setup::trace::attach(&mut profiles, &args.cost.cold, &pricer)?;
    inputs.warnings.extend(replayed);
    let baseline = match &args.baseline {
        None => lambcost_core::compare::default_baseline(&profiles, modes.reference()),
        Some(name) => match profiles.iter().position(|p| &p.name == name) {
            Some(i) => i,
            None => bail!(
                "--baseline: '{name}' is not among the variants; they are: {}",
                lambcost_core::profile::names(&profiles)
            ),
        },
    };
    report(
        &profiles,
        baseline,
        &Settings {
            requests: &args.requests,
            output: &args.cost.output,
            plot: &args.cost.plot,
            cold: &args.cost.cold,
            price: &args.cost.price,
            pricer: &pricer,
        },
        inputs.warnings,
        &crate::setup::inputs::describe(&args.files),
    )
}
