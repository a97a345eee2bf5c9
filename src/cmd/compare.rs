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
    let mixed = crate::setup::inputs::mixed_rows(&args.files, &profiles, pricer.memory_range())?;
    let mut report = report(
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
    )?;
    report
        .warnings
        .extend(mixed.iter().map(|m| mixed_note(m, &profiles[baseline])));
    Ok(report)
}

/// A mixed row's note: what it is made of, and how it stands against the baseline with the
/// build's own figures, where they differ from the row's.
fn mixed_note(m: &lambcost_core::variant::Mixed, base: &lambcost_core::profile::Profile) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let times = |base: Option<f64>, own: rust_decimal::Decimal, row: rust_decimal::Decimal| {
        let (own, row) = (own.to_f64()?, row.to_f64()?);
        let base = base?;
        (own > 0.0 && row > 0.0 && own != row).then(|| (base / own, base / row))
    };
    let mut against = Vec::new();
    let figures = [
        (
            "cold start",
            base.cold_start.as_ref(),
            m.own.cold_start_ms,
            m.row.cold_start_ms,
        ),
        ("warm", base.warm.as_ref(), m.own.warm_ms, m.row.warm_ms),
    ];
    for (what, figure, own, row) in figures {
        if let Some((own, row)) = times(figure.map(|f| f.mean_ms), own, row) {
            against.push(format!(
                "{what} {own:.2}x against {}, not {row:.2}x",
                base.name
            ));
        }
    }
    let clause = crate::present::sentences::mixed_clause(m);
    if against.is_empty() || base.name == m.row.name {
        format!("{clause} (compare @talk-repo shows each build as measured).")
    } else {
        format!(
            "{clause}; with {}'s own figures (compare @talk-repo), {}.",
            m.own.name,
            against.join(", ")
        )
    }
}
