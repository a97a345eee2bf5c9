//! When no variant passes: what would meet the service levels without changing the build
//! mode, priced. Provisioned Concurrency sized for the traffic, and SnapStart where the
//! runtime offers it, for the cheapest variant that can run the workload.

use super::decision::{Candidate, Constraints, Remedy, RemedyKind};
use crate::cost::{BillError, PcOverflow, Pricer, RestoreSource};
use crate::modes::ModeBook;
use crate::scenario::{PcPlan, Scenario, SnapStartPlan, SnapStartUse, price};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// When nothing passes: for the cheapest variant whose only miss is the cold-start service
/// level, what Provisioned Concurrency (sized for the traffic) and SnapStart (where its runtime
/// offers it) would cost. Neither shortens a warm invocation nor lowers a bill, so a variant
/// that misses anything else is offered nothing.
pub(super) fn remedies(
    book: &ModeBook,
    candidates: &[Candidate],
    c: &Constraints,
    pricer: &Pricer<'_>,
) -> Result<Vec<Remedy>, BillError> {
    let runnable = candidates.iter().filter(|k| {
        k.checks
            .iter()
            .all(|x| x.pass || x.constraint == super::decision::Constraint::ColdStartSlo)
    });
    let Some(base) = runnable.min_by(|a, b| a.cost.total_usd().cmp(&b.cost.total_usd())) else {
        return Ok(Vec::new());
    };
    let p = &base.profile;
    // The variant's runtime, else its mode's (a summary row may not name one); a deprecated
    // one's successor, where its mode has one: a remedy is priced where it would be deployed.
    let mut profile = p.clone();
    if profile.runtime.is_empty()
        && let Some(mode) = book.modes.get(&p.mode)
    {
        profile.runtime = mode.runtime.clone();
    }
    let moved = super::runtime::runtime_move(book, &profile, c);
    let (on, measured) = match &moved {
        Some(m) => (
            format!(" on {}", m.runtime()),
            format!(", its figures {}", m.measured()),
        ),
        None => (String::new(), String::new()),
    };
    if let Some(m) = &moved {
        profile.runtime = m.runtime().to_string();
    }
    let mut out = Vec::new();
    let month_s = pricer.month_hours().to_f64().unwrap_or(730.0) * 3600.0;
    let warm_s = p.warm.as_ref().map_or(0.1, |w| w.mean_ms / 1000.0);
    let rho = c.requests as f64 / month_s * warm_s;
    // Enough environments that the traffic's concurrency exceeds them rarely (mean + 3 sd).
    let environments = (rho + 3.0 * rho.sqrt()).ceil().max(1.0) as u32;
    let all_month = Scenario {
        provisioned: Some(PcPlan {
            environments,
            hours: None,
            traffic_share: Some(Decimal::ONE),
            overflow: PcOverflow::Queue,
        }),
        ..Scenario::on_demand()
    };
    let with_pc = price(
        &profile,
        c.requests,
        base.cold_start_rate,
        &all_month,
        pricer,
    )?
    .cost;
    out.push(Remedy {
        variant: p.name.clone(),
        kind: RemedyKind::ProvisionedConcurrency,
        environments: Some(environments),
        total_usd: with_pc.total_usd(),
        remedy_usd: with_pc.provisioned_concurrency_usd + with_pc.provisioned_duration_usd,
        runtime: profile.runtime.clone(),
        note: format!(
            "Provisioned Concurrency for {}{on}{measured}: {environments} environment{} kept initialised all month (mean concurrency {rho:.2}), {} a month in all; invocations beyond them still start cold. Its effect on cold starts must be measured.",
            p.name,
            if environments == 1 { "" } else { "s" },
            crate::format::usd_cents(with_pc.total_usd())
        ),
    });
    let snapstart = Scenario {
        snapstart: Some(SnapStartPlan {
            versions: 1,
            hours_active: None,
            restore_rate: None,
            restore_ms: None,
        }),
        ..Scenario::on_demand()
    };
    let with_snap = price(
        &profile,
        c.requests,
        base.cold_start_rate,
        &snapstart,
        pricer,
    )?;
    if let SnapStartUse::Restore(source) = with_snap.snapstart {
        let with_snap = with_snap.cost;
        let restore = match source {
            RestoreSource::Data => "restores billed at the data's own Billed Restore Duration",
            _ => "restores billed as warm invokes until a Billed Restore Duration is measured",
        };
        out.push(Remedy {
            variant: p.name.clone(),
            kind: RemedyKind::SnapStart,
            environments: None,
            total_usd: with_snap.total_usd(),
            remedy_usd: with_snap.snapstart_cache_usd + with_snap.snapstart_restore_usd,
            runtime: profile.runtime.clone(),
            note: format!(
                "SnapStart on {} for {}{measured}: cache {} and restores {} a month ({} in all; {restore}). How much it shortens the cold start must be measured.",
                profile.runtime,
                p.name,
                crate::format::usd_cents(with_snap.snapstart_cache_usd),
                crate::format::usd_cents(with_snap.snapstart_restore_usd),
                crate::format::usd_cents(with_snap.total_usd())
            ),
        });
    }
    Ok(out)
}
