//! One module per subcommand: each turns its arguments into the core's inputs, calls the core
//! and turns its answer into a report. No command uses another: what several share is in
//! [`crate::setup`] (arguments into the core's inputs) and [`crate::present`] (answers into
//! reports' parts). What is left here decides what the output asks for.

pub mod assess;
pub mod bill;
pub mod compare;
pub mod diff;
pub mod estimate;
pub mod export;
pub mod measure;
pub mod pricing;
pub mod recommend;
pub mod replay;
#[cfg(feature = "aws")]
pub mod scan;
pub mod shell;

use crate::cli::OutputArgs;
use crate::report::Format;
use anyhow::{Result, bail};

/// The format to print in: `--format`, else the one `--output`'s extension implies, else the
/// table.
pub fn output_format(args: &OutputArgs) -> Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match args.output.as_deref().filter(|p| p.as_os_str() != "-") {
        None => Ok(Format::Table),
        Some(path) if path.is_dir() => {
            bail!(
                "--output {}: is a directory; give a file name to write to",
                path.display()
            )
        }
        Some(path) => match Format::from_extension(path) {
            Some(f) => Ok(f),
            None => bail!(
                "--output {}: cannot tell the format from the extension; use .csv, .json, .md, .txt, .svg or .xlsx, or add --format table|csv|json|markdown|svg|xlsx",
                path.display()
            ),
        },
    }
}

/// Whether the output asks for the report's chart (`--plot`, or SVG as the format): charts
/// price every variant at dozens of traffic levels, work not done when nobody will see it.
pub fn wants_chart(args: &OutputArgs, plot: &crate::cli::PlotArgs) -> bool {
    plot.plot.is_some() || output_format(args).is_ok_and(|f| f == Format::Svg)
}

/// Whether the output is the workbook, the only format that reads the report's cost book.
pub fn wants_workbook(args: &OutputArgs) -> bool {
    output_format(args).is_ok_and(|f| f == Format::Xlsx)
}
