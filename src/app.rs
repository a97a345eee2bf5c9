//! The program's plan: parse the command line, run the subcommand, print its report, and turn
//! its end into an exit status: 0 answered, 1 answered "no" (no variant fits, every
//! invocation failed), 2 bad input (one line on standard error, naming the file, line and
//! value), 130 interrupted (every process it started is gone).

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

/// Exit status when a command answered "no": no variant fits, every invocation failed.
pub const EXIT_ANSWERED_NO: u8 = 1;

/// Runs lambcost with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e),
    };
    match run(&cli) {
        Ok(Answer::Yes) => ExitCode::SUCCESS,
        Ok(Answer::No) => ExitCode::from(EXIT_ANSWERED_NO),
        Err(e) if interrupted(&e) => {
            eprintln!("{}", error_line(&e));
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) => {
            eprintln!("{}", error_line(&e));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Whether a run ended because the user interrupted it (Ctrl-C), once every process it started
/// is gone: the local runtime says so with its own error, exit status [`EXIT_INTERRUPTED`].
fn interrupted(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<lambcost_runtime::plan::RunError>(),
            Some(lambcost_runtime::plan::RunError::Interrupted)
        )
    })
}

/// What a command answered, once its report is out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// It answered (exit status 0).
    Yes,
    /// It answered "no" (exit status 1).
    No,
}

/// Runs a parsed command line.
pub fn run(cli: &Cli) -> anyhow::Result<Answer> {
    let until_ms = cli.aws.until.unwrap_or_else(crate::setup::aws::now_ms);
    let since_ms = cli
        .aws
        .since
        .unwrap_or(until_ms - crate::setup::account::DEFAULT_WINDOW_MS);
    if since_ms >= until_ms {
        anyhow::bail!(
            "--since: the window starts at or after its end (--until); give an earlier --since"
        );
    }
    crate::setup::aws::configure(crate::setup::aws::Options {
        profile: cli.aws.profile.clone(),
        since_ms,
        until_ms,
        insights: cli.aws.insights,
        insights_query: cli.aws.insights_query.clone(),
    });
    let (report, out, plot) = match &cli.command {
        Command::Export(args) => {
            let (text, warnings) = cmd::export::run(args)?;
            emit_text(&text, &warnings, args.output.as_deref())?;
            return Ok(Answer::Yes);
        }
        Command::Completions(args) => {
            output::emit(&cmd::shell::completions(args.shell), None)?;
            return Ok(Answer::Yes);
        }
        Command::Man => {
            output::emit(&cmd::shell::man()?, None)?;
            return Ok(Answer::Yes);
        }
        Command::BillQuery(args) => {
            let schema = match args.schema {
                crate::cli::BillSchemaArg::Cur2 => lambcost_readers::bill::QuerySchema::Cur2,
                crate::cli::BillSchemaArg::CurLegacy => {
                    lambcost_readers::bill::QuerySchema::CurLegacy
                }
                crate::cli::BillSchemaArg::Focus => lambcost_readers::bill::QuerySchema::Focus,
            };
            let table = args.table.as_deref().unwrap_or(schema.default_table());
            if !lambcost_readers::bill::valid_table(table) {
                anyhow::bail!(
                    "--table {table:?}: not a table's name; give letters, digits and _, as catalog.database.table at most"
                );
            }
            let query = lambcost_readers::bill::query(schema, table);
            output::emit(query.as_bytes(), None)?;
            return Ok(Answer::Yes);
        }
        Command::InsightsQuery(args) => {
            let query = lambcost_readers::samples::insights::query(args.group_by.into());
            output::emit(query.as_bytes(), None)?;
            return Ok(Answer::Yes);
        }
        Command::Estimate(args) => (
            cmd::estimate::run(args)?,
            &args.cost.output,
            &args.cost.plot.plot,
        ),
        Command::Compare(args) => (
            cmd::compare::run(args)?,
            &args.cost.output,
            &args.cost.plot.plot,
        ),
        Command::Measure(args) => (
            cmd::measure::run(args)?,
            &args.cost.output,
            &args.cost.plot.plot,
        ),
        Command::Recommend(args) => (cmd::recommend::run(args)?, &args.output, &None),
        Command::Replay(args) => (cmd::replay::run(args)?, &args.output, &args.plot.plot),
        Command::Assess(args) => (cmd::assess::run(args)?, &args.output, &None),
        Command::Diff(args) => (cmd::diff::run(args)?, &args.output, &None),
        Command::Bill(args) => (cmd::bill::run(args)?, &args.output, &None),
        #[cfg(feature = "aws")]
        Command::Scan(args) => (cmd::scan::run(args)?, &args.output, &None),
        #[cfg(not(feature = "aws"))]
        Command::Scan(_) => anyhow::bail!(
            "scan: this lambcost is built without AWS's SDK (--no-default-features); build it with the default features to read the account"
        ),
        Command::Pricing(args) => match &args.action {
            Some(crate::cli::PricingAction::Import(import)) => {
                let (yaml, warnings) = cmd::pricing::import(import)?;
                emit_text(&yaml, &warnings, import.output.as_deref())?;
                return Ok(Answer::Yes);
            }
            None => (cmd::pricing::run(args)?, &args.output, &None),
        },
    };
    let format = cmd::output_format(out)?;
    print(&report, format, out, plot.as_deref())?;
    Ok(if report.answered_no {
        Answer::No
    } else {
        Answer::Yes
    })
}

/// The terminal's width, when the stream is a terminal (80 when it does not say).
pub fn terminal_width(is_terminal: bool, size: Option<usize>) -> Option<usize> {
    is_terminal.then(|| size.filter(|w| *w >= 20).unwrap_or(80))
}

fn stdout_width() -> Option<usize> {
    use std::io::IsTerminal;
    let size = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0));
    terminal_width(std::io::stdout().is_terminal(), size)
}

fn stderr_width() -> Option<usize> {
    use std::io::IsTerminal;
    let size = terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| usize::from(w.0));
    terminal_width(std::io::stderr().is_terminal(), size)
}

fn print(
    report: &Report,
    format: Format,
    out: &crate::cli::OutputArgs,
    plot: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    // `--output -` is standard output, as no --output is.
    let path = out.output.as_deref().filter(|p| p.as_os_str() != "-");
    let binary = matches!(format, Format::Xlsx);
    if binary && out.output.is_none() {
        anyhow::bail!(
            "--format xlsx writes a workbook: give --output FILE.xlsx (or - for standard output)"
        );
    }
    let layout = report::Layout {
        width: if path.is_none() { stdout_width() } else { None },
        wide: out.wide,
        explain: out.explain,
    };
    if let Some(plot) = plot {
        let svg = report::render(report, Format::Svg, layout)
            .map_err(|e| anyhow::anyhow!("--plot {}: {e}", plot.display()))?;
        output::write_atomically(plot, &svg)?;
    }
    let bytes = report::render(report, format, layout).map_err(|e| match &out.output {
        Some(path) if out.format.is_none() => anyhow::anyhow!("--output {}: {e}", path.display()),
        _ => anyhow::anyhow!("--format: {e}"),
    })?;
    emit_warned(&bytes, &report.warnings, path)
}

/// Writes `bytes` with its warnings: before it on a terminal or pipe, where they are read
/// first; after a file is written, so that a file that cannot be written is one line of
/// error and nothing else.
fn emit_warned(
    bytes: &[u8],
    warnings: &[String],
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let warn = || {
        for warning in &report::warnings::grouped(warnings) {
            eprint!(
                "{}",
                report::table::wrap(&warning_line(warning), stderr_width())
            );
        }
    };
    if path.is_none() {
        warn();
    }
    output::emit(bytes, path)?;
    if path.is_some() {
        warn();
    }
    Ok(())
}

/// An error as one line on standard error (wrapped to a terminal's width).
fn error_line(e: &anyhow::Error) -> String {
    report::table::wrap(&format!("lambcost: {}", one_line(e)), stderr_width())
        .trim_end()
        .to_string()
}

/// A document that is not a report (a usage file, a price book): its warnings, then the text.
fn emit_text(
    text: &str,
    warnings: &[String],
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    emit_warned(text.as_bytes(), warnings, path)
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
            // Bad input like any other: one line, the commands to choose from.
            use clap::CommandFactory;
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let line = format!(
                "lambcost: a command is needed: {} (lambcost --help says what each does)",
                names.join(", ")
            );
            eprint!("{}", report::table::wrap(&line, stderr_width()));
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
            let tip = measure_tip(e)
                .or_else(|| {
                    lines
                        .find(|l| l.starts_with("tip:"))
                        .map(|t| format!(" ({t})"))
                })
                .unwrap_or_default();
            let line = format!("lambcost: {first}{tip}");
            eprint!("{}", report::table::wrap(&line, stderr_width()));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// `lambcost measure ./bootstrap`: the function's command goes after `--`, so that its own
/// arguments are not read as lambcost's. Says so when a bare word is refused by measure.
fn measure_tip(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let measuring = std::env::args().nth(1).is_some_and(|a| a == "measure");
    (measuring && !word.starts_with('-')).then(|| {
        format!(" (the function's command goes after --: lambcost measure [OPTIONS] -- {word})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn the_width_is_the_terminals_or_80() {
        assert_eq!(terminal_width(false, Some(120)), None);
        assert_eq!(terminal_width(true, Some(120)), Some(120));
        assert_eq!(terminal_width(true, None), Some(80));
        assert_eq!(terminal_width(true, Some(0)), Some(80));
    }

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
