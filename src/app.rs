//! The program's plan: parse the command line, run the subcommand, print its report, and turn
//! its end into an exit status: 0 answered, 2 bad input (one line on standard error, naming
//! the file, line and value), 130 interrupted (every process it started is gone).

use crate::cli::{Cli, Command};
use crate::cmd;
use crate::output;
use crate::report::{self, Format, Report};
use clap::Parser;
use clap::error::ErrorKind;
use std::process::ExitCode;

/// Exit status for bad input of any kind (arguments, files, data).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Exit status after Ctrl-C (128 + SIGINT), once every started process is gone.
pub const EXIT_INTERRUPTED: u8 = 130;

/// A run the user interrupted (Ctrl-C) once every process it started is gone: exit status
/// [`EXIT_INTERRUPTED`].
#[derive(Debug, thiserror::Error)]
#[error("interrupted: every process of the run was stopped and no output file was written")]
pub struct Interrupted;

/// Runs lambcost with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e),
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<Interrupted>() => {
            eprintln!("lambcost: {}", one_line(&e));
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) => {
            eprintln!("lambcost: {}", one_line(&e));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: &Cli) -> anyhow::Result<()> {
    let (report, out) = match &cli.command {
        Command::Export(args) => {
            let (text, warnings) = cmd::export::run(args)?;
            return emit_text(&text, &warnings, args.output.as_deref());
        }
        Command::Completions(args) => {
            return output::emit(&cmd::shell::completions(args.shell), None);
        }
        Command::Man => return output::emit(&cmd::shell::man()?, None),
        Command::Estimate(args) => (cmd::estimate::run(args)?, &args.output),
        Command::Compare(args) => (cmd::compare::run(args)?, &args.output),
        Command::Measure(args) => (cmd::measure::run(args)?, &args.output),
        Command::Recommend(args) => (cmd::recommend::run(args)?, &args.output),
        Command::Pricing(args) => match &args.action {
            Some(crate::cli::PricingAction::Import(import)) => {
                let (yaml, warnings) = cmd::pricing::import(import)?;
                return emit_text(&yaml, &warnings, import.output.as_deref());
            }
            None => (cmd::pricing::run(args)?, &args.output),
        },
    };
    let format = cmd::output_format(out)?;
    print(&report, format, out)
}

fn print(report: &Report, format: Format, out: &crate::cli::OutputArgs) -> anyhow::Result<()> {
    let binary = matches!(format, Format::Xlsx);
    if binary && out.output.is_none() {
        anyhow::bail!("--format xlsx writes a workbook: give --output FILE.xlsx");
    }
    if let Some(plot) = &out.plot {
        let svg = report::render(report, Format::Svg)
            .map_err(|e| anyhow::anyhow!("--plot {}: {e}", plot.display()))?;
        output::write_atomically(plot, &svg)?;
    }
    let bytes = report::render(report, format).map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    for warning in &report.warnings {
        eprintln!("{}", warning_line(warning));
    }
    output::emit(&bytes, out.output.as_deref())
}

/// A document that is not a report (a usage file, a price book): its warnings, then the text.
fn emit_text(
    text: &str,
    warnings: &[String],
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    for warning in warnings {
        eprintln!("{}", warning_line(warning));
    }
    output::emit(text.as_bytes(), path)
}

/// `lambcost: warning: ...`, the prefix in yellow when standard error is a terminal and
/// `NO_COLOR` is not set.
fn warning_line(warning: &str) -> String {
    use std::io::IsTerminal;
    let colour = colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    warning_text(warning, colour)
}

/// Whether to colour: only on a terminal, and not when `NO_COLOR` is set to anything
/// (an empty value does not count, as no-color.org has it).
fn colour(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

fn warning_text(warning: &str, colour: bool) -> String {
    if colour {
        format!("lambcost: \x1b[33mwarning\x1b[0m: {warning}")
    } else {
        format!("lambcost: warning: {warning}")
    }
}

/// An error and its causes on one line: `outer: inner: root`.
pub fn one_line(e: &anyhow::Error) -> String {
    let text = format!("{e:#}");
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Help and version print as clap prints them; a usage error becomes one line and status 2.
fn clap_failure(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printing help can only fail on a closed pipe, which is not worth reporting.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(EXIT_BAD_INPUT)
        }
        _ => {
            let rendered = e.render().to_string();
            // The first paragraph says what is wrong (with the argument names it lists);
            // the usage block after it is left to --help.
            let mut lines = rendered.lines().map(str::trim);
            let first: Vec<&str> = lines.by_ref().take_while(|l| !l.is_empty()).collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first).to_string();
            let tip = lines
                .find(|l| l.starts_with("tip:"))
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            eprintln!("lambcost: {first}{tip}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(true, None));
        assert!(!colour(false, None));
        assert!(!colour(true, Some(OsStr::new("1"))));
        assert!(colour(true, Some(OsStr::new(""))));
        assert_eq!(
            warning_text("w", true),
            "lambcost: \u{1b}[33mwarning\u{1b}[0m: w"
        );
        assert_eq!(warning_text("w", false), "lambcost: warning: w");
    }
}
