//! Lambda runtimes as billing sees them: managed, custom or container (which decides INIT
//! billing before 2025), and runtime families by version (which decide SnapStart).

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;

/// The kind of runtime a function uses, which decides whether its INIT phase was billed
/// before the 2025 rule change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuntimeKind {
    /// An AWS-managed runtime (`dotnet8`, `java21`, `python3.12`, ...).
    Managed,
    /// A custom runtime (`provided.al2023`, `provided.al2`), where NativeAOT runs.
    Custom,
    /// A container image.
    Container,
}

impl RuntimeKind {
    /// Classifies a Lambda runtime identifier.
    pub fn of(runtime: &str) -> RuntimeKind {
        let r = runtime.trim().to_ascii_lowercase();
        if r.starts_with("provided") {
            RuntimeKind::Custom
        } else if r == "container" || r == "image" {
            RuntimeKind::Container
        } else {
            RuntimeKind::Managed
        }
    }
}

/// A runtime family from one version on: `{ runtime: python, from: "3.12" }` covers
/// `python3.12`, `python3.13`, `python3.14` and every later one.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeFamily {
    /// The identifier's letters: `dotnet`, `python`, `java`.
    pub runtime: String,
    /// The first version, as in the identifier (`8`, `3.12`).
    #[serde(deserialize_with = "de_version")]
    pub from: Version,
}

impl RuntimeFamily {
    /// Whether `runtime` (`python3.14`, `java25`, `dotnet8`) is of this family, at this
    /// version or later.
    pub fn covers(&self, runtime: &str) -> bool {
        match split_runtime(runtime) {
            Some((family, version)) => family == self.runtime && version >= self.from,
            None => false,
        }
    }
}

/// A runtime version as numbers: `3.12` is `[3, 12]`; compared part by part.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub Vec<u32>);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let parts: Result<Vec<u32>, _> = text.trim().split('.').map(str::parse).collect();
        match parts {
            Ok(p) if !p.is_empty() => Ok(Version(p)),
            _ => Err(format!(
                "'{text}' is not a version; write numbers separated by dots (8, 3.12)"
            )),
        }
    }
}

/// Splits a Lambda runtime identifier into its family and version: `python3.14` is
/// (`python`, 3.14), `java8.al2` is (`java`, 8), `provided.al2023` has no version.
pub fn split_runtime(runtime: &str) -> Option<(String, Version)> {
    let r = runtime.trim().to_ascii_lowercase();
    let digits = r.find(|c: char| c.is_ascii_digit())?;
    let family = r[..digits].trim_end_matches('.').to_string();
    if family.is_empty() {
        return None;
    }
    let mut numbers = Vec::new();
    for part in r[digits..].split('.') {
        match part.parse::<u32>() {
            Ok(n) => numbers.push(n),
            Err(_) => break,
        }
    }
    if numbers.is_empty() {
        return None;
    }
    Some((family, Version(numbers)))
}

fn de_version<'de, D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Version;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a version such as 8 or \"3.12\"")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Version, E> {
            u32::try_from(v)
                .map(|n| Version(vec![n]))
                .map_err(|_| E::custom(format!("{v} is not a version")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Version, E> {
            // 3.12 would read as a float and lose its trailing zero (3.10 as 3.1).
            Err(E::custom(format!("quote the version: \"{v}\"")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Version, E> {
            v.parse().map_err(E::custom)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Version, A::Error> {
            match map.next_entry::<String, String>()? {
                Some((_, text)) => self.visit_str(&text),
                None => Err(serde::de::Error::custom("expected a version")),
            }
        }
    }
    d.deserialize_any(V)
}
