//! What every reader of measurements shares: the error that names the input, the line and the
//! value; how a log is to be read; and what one input held.

use lambcost_core::grouping;
use lambcost_core::pricing::Arch;

/// Bad measurement input: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct InputError {
    /// The input as the user named it.
    pub origin: String,
    /// Line number (from 1), when the problem is on one line.
    pub line: Option<u64>,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl InputError {
    /// An error on `line` of `origin`.
    pub fn at(origin: &str, line: u64, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about `origin` as a whole.
    pub fn whole(origin: &str, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.to_string(),
            line: None,
            message: message.into(),
        }
    }
}

/// How to read a log: the variant it makes, and what to do with unreadable lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Variant name for the log's invocations.
    pub variant: String,
    /// Build mode of that variant.
    pub mode: String,
    /// Architecture, if known.
    pub arch: Option<Arch>,
    /// A malformed line is an error instead of a counted warning.
    pub strict: bool,
    /// The billing granularity invocations are re-billed at (1 ms since December 2020).
    pub granularity_ms: u32,
    /// How invocations are gathered into variants.
    pub group_by: grouping::GroupBy,
    /// The file's name within its input (a directory's file), for `--group-by file`.
    pub file: String,
    /// What the file's path says of its function and stream.
    pub context: grouping::Context,
    /// Threads a large log is parsed on, its blocks merged in order (0 or 1: the caller's
    /// alone). A directory's files are already read on every core, each on one.
    pub threads: usize,
}
