//! The CPU architectures Lambda offers, as AWS names them.

use std::fmt;
use std::str::FromStr;

/// A CPU architecture Lambda offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Arch {
    /// Intel/AMD 64-bit.
    #[serde(rename = "x86_64")]
    X86_64,
    /// Graviton (ARM 64-bit).
    #[serde(rename = "arm64")]
    Arm64,
}

impl Arch {
    /// The name AWS uses: `x86_64` or `arm64`.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }
}

impl Arch {
    /// Whether both architectures are among `archs`: rows that differ by it alone are told
    /// apart by it.
    pub fn both_among(archs: impl Iterator<Item = Arch> + Clone) -> bool {
        archs.clone().any(|a| a == Arch::X86_64) && archs.into_iter().any(|a| a == Arch::Arm64)
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Arch {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" | "amd64" | "x86" => Ok(Arch::X86_64),
            "arm64" | "aarch64" | "arm" | "graviton" => Ok(Arch::Arm64),
            _ => Err(format!(
                "'{text}' is not a Lambda architecture; use x86_64 or arm64"
            )),
        }
    }
}
