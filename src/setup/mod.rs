//! What every command does with its arguments before the core can answer: the price book, the
//! account and the traffic model they describe ([`context`]), and the variants of the inputs
//! they name, read and assembled ([`inputs`]), a function's configuration and logs read from
//! the account ([`aws`]).

pub mod account;
#[cfg(feature = "aws")]
pub mod aws;
#[cfg(not(feature = "aws"))]
#[path = "no_aws.rs"]
pub mod aws;
pub mod context;
pub mod inputs;
pub mod measuring;
pub mod trace;
