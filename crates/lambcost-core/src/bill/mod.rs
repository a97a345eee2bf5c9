//! The bill AWS made: the Lambda lines of a billing export (legacy CUR, CUR 2.0, FOCUS) summed
//! per function, month and charge as the export states them, every usage line checked
//! against the price book, and a function's bill set beside what its logs imply. The readers
//! hand over [`LineItem`]s one at a time; nothing here keeps the lines.

mod against;
mod ledger;
mod line;
mod usage;

pub use against::{Cause, LogUsage, Reconciliation, reconcile};
pub use ledger::{
    ACCOUNT, Bill, ChargeKey, ChargeSum, Counts, Filter, FunctionKey, Ledger,
    MAX_LISTED_MISMATCHES, Mismatch, Problem, discount,
};
pub use line::{
    COST_DECIMALS, Charge, FREE_TIER_TERM, LineItem, LineType, function_name, line_cost,
};
pub use usage::{Classified, UsageTypes, book_rates};
