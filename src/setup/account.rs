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

/// How inputs from the account are read: the window, the profile, Insights (the same
/// options whether lambcost has AWS's SDK or not; without it they are never used).
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A named profile of the shared configuration, instead of the default chain's.
    pub profile: Option<String>,
    /// The window's start, milliseconds since the epoch.
    pub since_ms: i64,
    /// The window's end, milliseconds since the epoch.
    pub until_ms: i64,
    /// Run a Logs Insights query on AWS instead of reading the events.
    pub insights: bool,
    /// The query to run instead of lambcost's own (its results must be a shape `compare`
    /// reads).
    pub insights_query: Option<String>,
}

/// The window read when `--since` names none: the 7 days up to its end.
pub const DEFAULT_WINDOW_MS: i64 = 7 * 86_400_000;

#[cfg_attr(not(feature = "aws"), allow(dead_code))]
impl Options {
    /// The default: the last [`DEFAULT_WINDOW_MS`] up to `now_ms`, the default chain's
    /// profile, no Insights.
    pub fn last_week(now_ms: i64) -> Options {
        Options {
            since_ms: now_ms - DEFAULT_WINDOW_MS,
            until_ms: now_ms,
            ..Options::default()
        }
    }
}
