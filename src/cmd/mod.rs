//! One module per subcommand: each turns its arguments into the core's inputs, calls the core
//! and returns a report. Shared helpers for the pieces several commands need live here.

pub mod estimate;
pub mod pricing;

use crate::cli::OutputArgs;
use crate::pricing::PriceBook;
use crate::report::Format;
use anyhow::{Result, bail};
use std::path::Path;

/// The format to print in: `--format`, else the one `--output`'s extension implies, else the
/// table.
pub fn output_format(args: &OutputArgs) -> Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match &args.output {
        None => Ok(Format::Table),
        Some(path) => match Format::from_extension(path) {
            Some(f) => Ok(f),
            None => bail!(
                "--output {}: cannot tell the format from the extension; use .csv, .json, .md or .txt, or add --format table|csv|json|markdown",
                path.display()
            ),
        },
    }
}

/// The price book: the file given, or the embedded default.
pub fn price_book(path: Option<&Path>) -> Result<PriceBook> {
    Ok(PriceBook::load(path)?)
}
