//! Readers of measurements: each turns one input format into variants or samples, and every
//! error names the input, the line and the value.

pub mod summary;

use std::fmt;

/// Bad measurement input: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
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

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.origin, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for InputError {}
