//! The living workbook's cost book: the region's rates, the account and one input row per
//! variant and traffic level, for the xlsx report to write as formulas.

/// The workbook of plain on-demand costs: one input row per variant and level.
pub fn cost_book(
    pricer: &lambcost_core::cost::Pricer<'_>,
    rows: Vec<crate::report::xlsx::InputRow>,
) -> crate::report::xlsx::CostBook {
    use crate::report::xlsx::{ArchRates, CostBook};
    use lambcost_core::pricing::Arch;
    // The architectures the region prices: a variant is billed on no other.
    let rates = [Arch::X86_64, Arch::Arm64]
        .iter()
        .filter_map(|&arch| Some((arch, pricer.rates(arch).ok()?)))
        .map(|(arch, p)| ArchRates {
            arch: arch.to_string(),
            requests_usd_per_million: p.requests_usd_per_million,
            tiers: p
                .duration_tiers
                .iter()
                .map(|t| (t.from_gb_seconds, t.usd_per_gb_second))
                .collect(),
        })
        .collect();
    CostBook {
        prices_title: format!(
            "{} rates, effective {} ({})",
            pricer.region_name(),
            pricer.provenance().1,
            pricer.provenance().0
        ),
        rates,
        account_gb_seconds: pricer.account().gb_seconds,
        account_requests: pricer.account().requests,
        free_tier: pricer.account().free_tier,
        free_requests: pricer.free_tier_allowance().0,
        free_gb_seconds: pricer.free_tier_allowance().1,
        savings_plan: pricer.account().savings_plan,
        rows,
    }
}
