//! What several commands' reports share: the sentences the answers rest on ([`sentences`]), the
//! charts ([`charts`]) and the workbook ([`workbook`]).

pub mod cells;
pub mod charts;
pub mod comparison;
pub mod sentences;
pub mod workbook;
