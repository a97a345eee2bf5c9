//! lambcost built without AWS's SDK (`--no-default-features`): an `aws:` input is refused by
//! name, everything else reads as ever.

use anyhow::{Result, bail};
use std::path::PathBuf;

pub use super::account::{Options, is_aws, now_ms};

/// Nothing to set without the SDK.
pub fn configure(_options: Options) {}

/// What the account says of a function (never filled without the SDK).
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The input as given.
    pub input: String,
    /// The function's name.
    pub function: String,
    /// The variant its invocations make.
    pub variant: String,
    /// Configured memory.
    pub memory_mb: u32,
    /// Architecture.
    pub arch: lambcost_core::pricing::Arch,
    /// Runtime identifier.
    pub runtime: String,
    /// What could not be read of it.
    pub notes: Vec<String>,
}

impl Facts {
    /// Where the facts came from.
    pub fn describe(&self) -> String {
        self.input.clone()
    }
}

/// The facts read this run: none.
pub fn fetched() -> Vec<Facts> {
    Vec::new()
}

/// The inputs as given.
pub struct Resolved {
    /// The inputs.
    pub files: Vec<PathBuf>,
    /// No facts.
    pub facts: Vec<Option<Facts>>,
}

impl Resolved {
    /// `text` as it is: nothing was spooled.
    pub fn shown(&self, text: &str) -> String {
        text.to_string()
    }
}

/// Refuses an `aws:` input: this build has no SDK.
pub fn resolve(files: &[PathBuf], _region: &str) -> Result<Resolved> {
    if let Some(f) = files.iter().find(|f| is_aws(f)) {
        bail!(
            "{}: this lambcost is built without AWS's SDK (--no-default-features); build it with the default features to read from the account",
            f.display()
        );
    }
    Ok(Resolved {
        files: files.to_vec(),
        facts: vec![None; files.len()],
    })
}
