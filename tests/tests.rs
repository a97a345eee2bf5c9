//! lambcost's integration tests: one binary, a module per command, driving the real
//! executable the way a user does.

mod assess;
mod aws;
mod bill;
mod billing;
mod compare;
mod diff;
mod docs;
mod estimate;
mod measure;
mod output;
mod pricing;
mod readers;
mod recommend;
mod replay;
mod reports;
mod shapes;
mod spellings;
mod terminal;
mod util;
