//! What reading from the account shares with a build without AWS's SDK: how an input names
//! a function, and the clock its window is measured from.

use std::path::Path;

/// The prefix of an input read from the account.
pub const PREFIX: &str = "aws:";

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Whether `path` names a function of the account rather than a file.
pub fn is_aws(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with(PREFIX)) && !path.exists()
}
