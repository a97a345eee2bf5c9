//! What the core's unit tests share: the embedded price book and a pricer for us-east-1 on
//! a day under today's rules (INIT billed for every runtime), with no other usage and no free
//! tier, so that a test's figures are the rates times its own workload.

use crate::cost::{Account, Pricer};
use crate::pricing::PriceBook;
use rust_decimal::Decimal;

/// The embedded price book.
pub fn book() -> PriceBook {
    PriceBook::embedded()
}

/// us-east-1 in `book`, billed under the rules of 2026-06-01.
pub fn pricer(book: &PriceBook) -> Pricer<'_> {
    let account = Account {
        month_hours: None,
        gb_seconds: Decimal::ZERO,
        requests: Decimal::ZERO,
        free_tier: false,
        billing_date: "2026-06-01".parse().expect("a date"),
        savings_plan: Decimal::ZERO,
    };
    Pricer::new(book, "us-east-1", account).expect("us-east-1 is in the book")
}
