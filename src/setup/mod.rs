//! What every command does with its arguments before the core can answer: the price book, the
//! account and the traffic model they describe ([`context`]), and the variants of the inputs
//! they name, read and assembled ([`inputs`]).

pub mod context;
pub mod inputs;
pub mod measuring;
pub mod trace;
