//! Cells several reports print alike.

use crate::report::Cell;

/// `3/110: 2.7% (0.9-7.7%)`, or nothing for a summary row.
pub fn observed_cell(observed: Option<lambcost_core::profile::ObservedShare>) -> Cell {
    observed.map_or(Cell::Empty, |o| {
        Cell::Figure(lambcost_core::format::observed_share(
            o.cold,
            o.invocations,
            o.ci95(),
        ))
    })
}
