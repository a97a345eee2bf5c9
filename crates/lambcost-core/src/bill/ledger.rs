//! A billing export summed as it is read: every line counted, the Lambda lines summed per
//! function, month and charge, and every usage line checked against the price book. Bounded
//! memory: what grows is one sum per function and charge, never the lines.

use super::line::{Charge, LineItem, LineType, line_cost};
use super::usage::{UsageTypes, book_rates};
use crate::cost::OutOfRange;
use crate::pricing::{Arch, PriceBook};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// The most mismatched lines a bill lists one by one (every one is counted).
pub const MAX_LISTED_MISMATCHES: usize = 1000;

/// Which lines of the export a bill keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Functions, by name (empty: every function).
    pub functions: Vec<String>,
    /// The billing period, `YYYY-MM` (none: every month).
    pub month: Option<String>,
}

/// One function's lines in one region and month.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FunctionKey {
    /// The function's name (`(account)` for lines of no resource).
    pub function: String,
    /// The region.
    pub region: String,
    /// The billing period, `YYYY-MM`.
    pub month: String,
}

/// One charge of a function: a usage type and operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChargeKey {
    /// What the charge is.
    pub charge: Charge,
    /// The architecture its usage type names.
    pub arch: Arch,
    /// The usage type as the export states it.
    pub usage_type: String,
    /// The operation as the export states it.
    pub operation: String,
}

/// A charge's lines summed, every amount as the export states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChargeSum {
    /// Usage quantity of its usage lines (free tier and covered included).
    pub quantity: Decimal,
    /// The pricing unit its lines state.
    pub unit: String,
    /// Public on-demand cost of its usage lines.
    pub public_cost: Decimal,
    /// What the account was billed (unblended), every line of the charge.
    pub billed_cost: Decimal,
    /// Lines summed.
    pub line_items: u64,
    /// Quantity the free tier paid for.
    pub free_tier_quantity: Decimal,
    /// Public cost of the free-tier lines (0 where the export states none, as FOCUS).
    pub free_tier_usd: Decimal,
    /// Quantity a Savings Plan covered.
    pub savings_plan_quantity: Decimal,
    /// Public cost of the covered usage.
    pub savings_plan_public_usd: Decimal,
    /// What the Savings Plan charged for it.
    pub savings_plan_effective_usd: Decimal,
    /// The negation lines (negative).
    pub savings_plan_negation_usd: Decimal,
    /// Credits (negative).
    pub credits_usd: Decimal,
    /// Refunds (negative).
    pub refunds_usd: Decimal,
    /// Discounts (negative).
    pub discounts_usd: Decimal,
}

/// What was found wrong with a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Its rate is none of the book's for its region, architecture and charge.
    Rate,
    /// Its cost is not its quantity times its rate, rounded as AWS rounds.
    Arithmetic {
        /// The cost it states.
        stated: Decimal,
        /// Quantity × rate, rounded half up to 10 places.
        expected: Decimal,
    },
    /// Its rate is a later tier's, but the region's monthly usage never reached that tier.
    Tier {
        /// The region's GB-seconds of that architecture that month.
        region_gb_seconds: Decimal,
        /// Where the tier starts.
        tier_from_gb_seconds: Decimal,
    },
}

/// A line that disagrees with the price book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The file.
    pub file: String,
    /// Its row.
    pub row: u64,
    /// Its usage type.
    pub usage_type: String,
    /// The rate it states.
    pub rate: Decimal,
    /// The book's rate (the first tier's for duration), if the book prices the charge.
    pub book_rate: Option<Decimal>,
    /// What is wrong.
    pub problem: Problem,
}

/// How many lines of the export there were, and where each went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Every line read.
    pub read: u64,
    /// Lines of other services.
    pub other_services: u64,
    /// Lambda lines of functions or months the filter leaves out.
    pub filtered_out: u64,
    /// Lambda lines summed.
    pub summed: u64,
}

/// A later tier's rate, judged once the region's month is summed.
#[derive(Clone, Debug, Default)]
struct Pending {
    lines: u64,
    listed: Vec<Mismatch>,
    tier_from: Decimal,
}

/// The export summed so far.
#[derive(Clone, Debug)]
pub struct Ledger<'a> {
    book: &'a PriceBook,
    types: UsageTypes,
    filter: Filter,
    file: String,
    sums: BTreeMap<FunctionKey, BTreeMap<ChargeKey, ChargeSum>>,
    counts: Counts,
    checked: u64,
    agree: u64,
    mismatches: Vec<Mismatch>,
    mismatched: u64,
    unchecked: BTreeMap<&'static str, u64>,
    region_usage: BTreeMap<(String, Arch, String), Decimal>,
    pending: BTreeMap<(String, Arch, String, usize), Pending>,
    functions_seen: BTreeSet<(String, String)>,
}

/// A bill: what the export says, per function, month and charge, and how its lines agree
/// with the price book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    /// Every function's charges.
    pub functions: BTreeMap<FunctionKey, BTreeMap<ChargeKey, ChargeSum>>,
    /// Where every line went.
    pub counts: Counts,
    /// Usage lines checked against the book.
    pub lines_checked: u64,
    /// Of those, how many agree.
    pub lines_agree: u64,
    /// Lines that disagree (at most [`MAX_LISTED_MISMATCHES`] listed).
    pub mismatches: Vec<Mismatch>,
    /// Lines that disagree, all of them.
    pub lines_mismatched: u64,
    /// Usage lines that could not be checked, by why.
    pub unchecked: BTreeMap<&'static str, u64>,
    /// Every function (and its month) the export has Lambda lines for, before the filter.
    pub functions_seen: BTreeSet<(String, String)>,
}

/// The name of lines billed to no resource.
pub const ACCOUNT: &str = "(account)";

impl<'a> Ledger<'a> {
    /// An empty ledger over `book`'s usage types and rates.
    pub fn new(book: &'a PriceBook, filter: Filter) -> Ledger<'a> {
        Ledger {
            book,
            types: UsageTypes::of(book),
            filter,
            file: String::new(),
            sums: BTreeMap::new(),
            counts: Counts::default(),
            checked: 0,
            agree: 0,
            mismatches: Vec::new(),
            mismatched: 0,
            unchecked: BTreeMap::new(),
            region_usage: BTreeMap::new(),
            pending: BTreeMap::new(),
            functions_seen: BTreeSet::new(),
        }
    }

    /// The lines that follow come from `file`.
    pub fn file(&mut self, file: &str) {
        self.file = file.to_string();
    }

    /// One line of the export, of `line_items` lines summed (1 for an export's own line; an
    /// Athena result row sums several). A line whose amounts lie beyond the bounds of the
    /// arithmetic is refused, and nothing of it is counted.
    pub fn add(&mut self, line: &LineItem, line_items: u64) -> Result<(), OutOfRange> {
        line.check_bounds()?;
        self.counts.read += line_items;
        if !is_lambda(line) {
            self.counts.other_services += line_items;
            return Ok(());
        }
        let class = self
            .types
            .classify_line(&line.usage_type, &line.description);
        let region = line
            .region
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| line.arn_region().map(str::to_string))
            .or(class.region.clone())
            .unwrap_or_else(|| "unknown".to_string());
        if class.charge == Charge::Duration && line.line_type.is_usage() {
            *self
                .region_usage
                .entry((region.clone(), class.arch, line.month.clone()))
                .or_default() += line.quantity;
        }
        let function = match line.function() {
            "" => ACCOUNT.to_string(),
            f => f.to_string(),
        };
        self.functions_seen
            .insert((function.clone(), line.month.clone()));
        let month_out = matches!(&self.filter.month, Some(m) if *m != line.month);
        let function_out =
            !self.filter.functions.is_empty() && !self.filter.functions.contains(&function);
        if month_out || function_out {
            self.counts.filtered_out += line_items;
            return Ok(());
        }
        self.counts.summed += line_items;
        let key = FunctionKey {
            function,
            region: region.clone(),
            month: line.month.clone(),
        };
        let charge = ChargeKey {
            charge: class.charge,
            arch: class.arch,
            usage_type: line.usage_type.clone(),
            operation: line.operation.clone(),
        };
        let sum = self.sums.entry(key).or_default().entry(charge).or_default();
        sum.absorb(line, line_items);
        if line.line_type.is_usage() {
            self.check(line, line_items, &region, class.arch, class.rate);
        }
        Ok(())
    }

    /// Checks one usage line's rate and arithmetic against the book.
    fn check(
        &mut self,
        line: &LineItem,
        line_items: u64,
        region: &str,
        arch: Arch,
        rate: Option<crate::pricing::Rate>,
    ) {
        let Some(rate) = rate else {
            *self
                .unchecked
                .entry("no price-book rate for the usage type (Lambda@Edge, data transfer, …)")
                .or_default() += line_items;
            return;
        };
        let Some(found) = self.book.regions.get(region) else {
            *self
                .unchecked
                .entry("region not in the price book")
                .or_default() += line_items;
            return;
        };
        let Some(prices) = found.arch(arch) else {
            *self
                .unchecked
                .entry("architecture the price book has no rates for in the region")
                .or_default() += line_items;
            return;
        };
        // The book's figures are the ones in force from its effective date: an earlier
        // month's lines are not the book's to judge.
        let month_start = format!("{}-01", line.month).parse::<crate::units::Date>();
        if month_start.is_ok_and(|d| d < found.effective) {
            *self
                .unchecked
                .entry("month before the price book's effective date (--pricing with a book of that time checks it)")
                .or_default() += line_items;
            return;
        }
        let free = line.is_free_tier();
        // The rates a line states: its public rate, and the rate it was billed at (0 on a
        // free-tier line, which says nothing of the book). Either must be one of the book's.
        let stated: Vec<Decimal> = [
            line.public_rate.filter(|p| !(free && p.is_zero())),
            line.rate.filter(|_| !free),
        ]
        .into_iter()
        .flatten()
        .collect();
        let Some(&shown) = stated.first() else {
            let why = if free {
                "free-tier line with no public rate stated (FOCUS lists it at 0)"
            } else {
                "usage line that states no rate"
            };
            *self.unchecked.entry(why).or_default() += line_items;
            return;
        };
        self.checked += line_items;
        let rates = book_rates(prices, rate);
        let first = rates.first().copied();
        let mismatch = |rate, problem| Mismatch {
            file: self.file.clone(),
            row: line.row,
            usage_type: line.usage_type.clone(),
            rate,
            book_rate: first,
            problem,
        };
        let mut problems = Vec::new();
        let mut later_tier = None;
        for &r in &stated {
            match rates.iter().position(|b| b.normalize() == r.normalize()) {
                None => {
                    problems.push(mismatch(r, Problem::Rate));
                    break;
                }
                Some(0) => {}
                Some(tier) => later_tier = Some(tier),
            }
        }
        // Covered usage a plan paid for is billed 0 in FOCUS: its billed cost is the plan's.
        let plan_billed =
            line.line_type == LineType::SavingsPlanCoveredUsage && line.cost.is_zero();
        let billed = (!plan_billed).then_some(line.cost);
        for (rate, cost) in [(line.public_rate, line.public_cost), (line.rate, billed)] {
            if let (Some(rate), Some(cost)) = (rate, cost)
                && let Some(expected) = arithmetic_differs(line.quantity, rate, cost, line_items)
            {
                problems.push(mismatch(
                    rate,
                    Problem::Arithmetic {
                        stated: cost,
                        expected,
                    },
                ));
                break;
            }
        }
        // One entry per line: its rate first, its arithmetic when the rate is right.
        if let Some(p) = problems.into_iter().next() {
            self.mismatched += line_items;
            if self.mismatches.len() < MAX_LISTED_MISMATCHES {
                self.mismatches.push(p);
            }
            return;
        }
        let Some(tier) = later_tier else {
            self.agree += line_items;
            return;
        };
        // A later tier's rate is right only if the region's month reaches the tier: judged
        // when every line is summed.
        let tier_from = prices
            .duration_tiers
            .get(tier)
            .map_or(Decimal::ZERO, |t| t.from_gb_seconds);
        let listed = mismatch(
            shown,
            Problem::Tier {
                region_gb_seconds: Decimal::ZERO,
                tier_from_gb_seconds: tier_from,
            },
        );
        let pending = self
            .pending
            .entry((region.to_string(), arch, line.month.clone(), tier))
            .or_default();
        pending.lines += line_items;
        pending.tier_from = tier_from;
        if pending.listed.len() < MAX_LISTED_MISMATCHES {
            pending.listed.push(listed);
        }
    }

    /// The bill, later tiers judged against each region's month.
    pub fn finish(mut self) -> Bill {
        for ((region, arch, month, _), pending) in std::mem::take(&mut self.pending) {
            let used = self
                .region_usage
                .get(&(region, arch, month))
                .copied()
                .unwrap_or_default();
            if used >= pending.tier_from {
                self.agree += pending.lines;
                continue;
            }
            self.mismatched += pending.lines;
            for mut m in pending.listed {
                m.problem = Problem::Tier {
                    region_gb_seconds: used,
                    tier_from_gb_seconds: pending.tier_from,
                };
                if self.mismatches.len() < MAX_LISTED_MISMATCHES {
                    self.mismatches.push(m);
                }
            }
        }
        self.mismatches
            .sort_by(|a, b| (&a.file, a.row).cmp(&(&b.file, b.row)));
        Bill {
            functions: self.sums,
            counts: self.counts,
            lines_checked: self.checked,
            lines_agree: self.agree,
            mismatches: self.mismatches,
            lines_mismatched: self.mismatched,
            unchecked: self.unchecked,
            functions_seen: self.functions_seen,
        }
    }
}

/// Whether a line is Lambda's: billed under AWSLambda (FOCUS: the service "AWS Lambda"), or
/// Lambda@Edge under CloudFront.
fn is_lambda(line: &LineItem) -> bool {
    line.product == "AWSLambda"
        || line.product == "AWS Lambda"
        || line.usage_type.contains("Lambda-Edge")
        || line.description.contains("Lambda@Edge")
}

/// `Some(expected)` when a line's cost is not its quantity × rate rounded as AWS rounds; a
/// row summing `n` lines may differ from the exact product by each line's rounding, up to
/// half a unit of the tenth place each.
fn arithmetic_differs(quantity: Decimal, rate: Decimal, cost: Decimal, n: u64) -> Option<Decimal> {
    let expected = line_cost(quantity, rate);
    let slack = Decimal::new(5, 11) * Decimal::from(n);
    let exact = quantity * rate;
    let ok = if n <= 1 {
        expected == cost
    } else {
        (cost - exact).abs() <= slack
    };
    (!ok).then_some(expected)
}

impl ChargeSum {
    fn absorb(&mut self, line: &LineItem, line_items: u64) {
        self.line_items += line_items;
        self.billed_cost += line.cost;
        if self.unit.is_empty() {
            self.unit.clone_from(&line.unit);
        }
        match line.line_type {
            LineType::Usage | LineType::SavingsPlanCoveredUsage => {
                self.quantity += line.quantity;
                let public = line.public_cost.unwrap_or(line.cost);
                self.public_cost += public;
                if line.is_free_tier() {
                    self.free_tier_quantity += line.quantity;
                    self.free_tier_usd += public;
                }
                if line.line_type == LineType::SavingsPlanCoveredUsage {
                    self.savings_plan_quantity += line.quantity;
                    self.savings_plan_public_usd += public;
                    self.savings_plan_effective_usd +=
                        line.savings_plan_effective_cost.unwrap_or_default();
                }
            }
            LineType::SavingsPlanNegation => self.savings_plan_negation_usd += line.cost,
            LineType::Credit => self.credits_usd += line.cost,
            LineType::Refund => self.refunds_usd += line.cost,
            LineType::Discount => self.discounts_usd += line.cost,
            LineType::SavingsPlanFee | LineType::Tax | LineType::Other(_) => {}
        }
    }

    /// The discount the Savings Plan lines show on covered usage, as a share (0.17 = 17%).
    pub fn savings_plan_discount(&self) -> Option<Decimal> {
        discount(
            self.savings_plan_public_usd,
            self.savings_plan_effective_usd,
        )
    }
}

/// The share `effective` saves on `public`, when anything was covered.
pub fn discount(public: Decimal, effective: Decimal) -> Option<Decimal> {
    (!public.is_zero()).then(|| Decimal::ONE - effective / public)
}

impl Bill {
    /// The Savings Plan discount of every covered line together, if any line was covered.
    pub fn savings_plan_discount(&self) -> Option<Decimal> {
        let (public, effective) = self.functions.values().flat_map(BTreeMap::values).fold(
            (Decimal::ZERO, Decimal::ZERO),
            |(p, e), s| {
                (
                    p + s.savings_plan_public_usd,
                    e + s.savings_plan_effective_usd,
                )
            },
        );
        discount(public, effective)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn line(usage_type: &str, quantity: Decimal, rate: Decimal) -> LineItem {
        LineItem {
            row: 1,
            product: "AWSLambda".into(),
            resource_id: "arn:aws:lambda:us-east-1:123456789012:function:orders".into(),
            region: Some("us-east-1".into()),
            month: "2026-10".into(),
            usage_type: usage_type.into(),
            operation: "Invoke".into(),
            line_type: LineType::Usage,
            description: String::new(),
            quantity,
            unit: "Lambda-GB-Second".into(),
            rate: Some(rate),
            cost: line_cost(quantity, rate),
            public_rate: Some(rate),
            public_cost: Some(line_cost(quantity, rate)),
            rate_code: "TG3M4CAGBA3NYQBH.JRTCKXETXF.6YS6EN2CT7".into(),
            savings_plan_effective_cost: None,
        }
    }

    #[test]
    fn a_line_at_the_books_rate_agrees_and_a_wrong_rate_is_listed() {
        let book = PriceBook::embedded();
        let mut ledger = Ledger::new(&book, Filter::default());
        ledger.file("cur.csv");
        // 1,234.5 GB-s at us-east-1's $0.0000166667 = $0.02057504115, billed $0.0205750412.
        ledger
            .add(
                &line("Lambda-GB-Second", dec!(1234.5), dec!(0.0000166667)),
                1,
            )
            .expect("in bounds");
        let mut wrong = line("Lambda-GB-Second", dec!(10), dec!(0.0000170000));
        wrong.row = 2;
        ledger.add(&wrong, 1).expect("in bounds");
        let bill = ledger.finish();
        assert_eq!((bill.lines_checked, bill.lines_agree), (2, 1));
        assert_eq!(bill.mismatches.len(), 1);
        let m = &bill.mismatches[0];
        assert_eq!(
            (m.file.as_str(), m.row, m.problem.clone()),
            ("cur.csv", 2, Problem::Rate)
        );
        assert_eq!(m.book_rate, Some(dec!(0.0000166667)));
        let charges = bill.functions.values().next().expect("one function");
        let sum = charges.values().next().expect("one charge");
        assert_eq!(sum.quantity, dec!(1244.5));
        assert_eq!(sum.public_cost, dec!(0.0205750412) + dec!(0.000170000));
    }

    #[test]
    fn a_line_beyond_the_arithmetics_bounds_is_refused_and_not_counted() {
        let book = PriceBook::embedded();
        let mut ledger = Ledger::new(&book, Filter::default());
        let mut huge = line("Lambda-GB-Second", dec!(0.5), Decimal::TWO);
        huge.quantity = Decimal::MAX;
        let err = ledger.add(&huge, 1).expect_err("beyond the bounds");
        assert_eq!(err.what, "a line's quantity");
        assert_eq!(ledger.finish().counts.read, 0);
    }

    #[test]
    fn a_cost_that_is_not_quantity_times_rate_is_listed() {
        let book = PriceBook::embedded();
        let mut ledger = Ledger::new(&book, Filter::default());
        let mut l = line("Request", dec!(1000), dec!(0.0000002));
        // 1000 × 0.0000002 = 0.0002, stated as 0.0003.
        l.cost = dec!(0.0003);
        l.public_cost = Some(dec!(0.0003));
        ledger.add(&l, 1).expect("in bounds");
        let bill = ledger.finish();
        assert_eq!(bill.lines_agree, 0);
        assert_eq!(
            bill.mismatches[0].problem,
            Problem::Arithmetic {
                stated: dec!(0.0003),
                expected: dec!(0.0002)
            }
        );
    }

    #[test]
    fn a_row_summing_lines_may_differ_by_each_lines_rounding_and_no_more() {
        // Two lines of 1,234.5 and 2,000.25 GB-s at $0.0000166667 are billed 0.0205750412
        // and 0.0333375667: 0.0539126079 in all, 0.000000000075 above the exact
        // 3,234.75 × 0.0000166667 = 0.053912607825. Within two halves of the tenth place.
        assert_eq!(
            arithmetic_differs(dec!(3234.75), dec!(0.0000166667), dec!(0.0539126079), 2),
            None
        );
        // Two units of the tenth place off is not rounding.
        assert_eq!(
            arithmetic_differs(dec!(3234.75), dec!(0.0000166667), dec!(0.0539126081), 2),
            Some(dec!(0.0539126078))
        );
        // A single line is exact or wrong.
        assert_eq!(
            arithmetic_differs(dec!(1234.5), dec!(0.0000166667), dec!(0.0205750411), 1),
            Some(dec!(0.0205750412))
        );
    }

    #[test]
    fn a_later_tier_is_right_only_when_the_regions_month_reaches_it() {
        let book = PriceBook::embedded();
        let mut ledger = Ledger::new(&book, Filter::default());
        // us-east-1's second tier ($0.000015, from 6 billion GB-s) on a month of 10 GB-s.
        ledger
            .add(&line("Lambda-GB-Second", dec!(10), dec!(0.0000150000)), 1)
            .expect("in bounds");
        let bill = ledger.finish();
        assert_eq!((bill.lines_checked, bill.lines_agree), (1, 0));
        assert!(matches!(
            bill.mismatches[0].problem,
            Problem::Tier { region_gb_seconds, .. } if region_gb_seconds == dec!(10)
        ));
    }

    #[test]
    fn free_tier_and_savings_plan_lines_are_summed_as_stated() {
        let book = PriceBook::embedded();
        let mut ledger = Ledger::new(&book, Filter::default());
        let mut free = line("Lambda-GB-Second", dec!(400000), dec!(0.0000166667));
        free.rate = Some(Decimal::ZERO);
        free.cost = Decimal::ZERO;
        free.rate_code = "TG3M4CAGBA3NYQBH.A429C66SYZ.6YS6EN2CT7".into();
        ledger.add(&free, 1).expect("in bounds");
        // 1000 GB-s covered: on demand $0.0166667, the plan charged $0.0138333.
        let mut covered = line("Lambda-GB-Second", dec!(1000), dec!(0.0000166667));
        covered.line_type = LineType::SavingsPlanCoveredUsage;
        covered.savings_plan_effective_cost = Some(dec!(0.0138333));
        ledger.add(&covered, 1).expect("in bounds");
        let mut negation = line("Lambda-GB-Second", Decimal::ZERO, Decimal::ZERO);
        negation.line_type = LineType::SavingsPlanNegation;
        negation.cost = dec!(-0.0166667);
        ledger.add(&negation, 1).expect("in bounds");
        let bill = ledger.finish();
        assert_eq!((bill.lines_checked, bill.lines_agree), (2, 2));
        let sum = bill
            .functions
            .values()
            .next()
            .and_then(|c| c.values().next())
            .expect("a charge");
        assert_eq!(sum.quantity, dec!(401000));
        assert_eq!(sum.free_tier_quantity, dec!(400000));
        assert_eq!(sum.free_tier_usd, dec!(6.66668));
        // Billed: 0 (free) + 0.0166667 (covered) - 0.0166667 (negation).
        assert_eq!(sum.billed_cost, Decimal::ZERO);
        // 1 - 0.0138333 / 0.0166667 = 0.17000366...
        assert_eq!(
            sum.savings_plan_discount().map(|d| d.round_dp(4)),
            Some(dec!(0.1700))
        );
    }
}
