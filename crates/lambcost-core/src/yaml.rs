//! Loading the YAML files a user edits (the price book, the build-mode facts) with errors that
//! point into the file: `pricing.yaml:14:27: regions.us-east-1...: tiers must ascend: ...`.
//!
//! serde_yaml parses and types the file and knows where a syntax error or an unknown key is.
//! Checks that need the whole value (tiers ascending, prices non-negative) run after
//! deserialising and name the offending value by its path; the path is then found in the
//! file with yaml-rust2's position-marked events, so those errors carry a line and column too.

use crate::units::Date;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;
use yaml_rust2::parser::{Event, Parser};

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// A position in a sequence, from 0.
    Index(usize),
}

/// A value that deserialised but breaks a rule: where it is, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Path from the document root to the offending value.
    pub path: Vec<Seg>,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl Invalid {
    /// An error at `path` (keys and indices written as `a.b[2].c`).
    pub fn at(path: &str, message: impl Into<String>) -> Self {
        Invalid {
            path: parse_path(path),
            message: message.into(),
        }
    }
}

/// The rule every file of ours keeps: `schema: 1`, the only format this lambcost reads.
pub fn check_schema(schema: u32) -> Result<(), Invalid> {
    if schema == 1 {
        Ok(())
    } else {
        Err(Invalid::at(
            "schema",
            format!("schema {schema} is not supported; this lambcost reads schema 1"),
        ))
    }
}

/// Turns `regions.us-east-1.x86_64.duration_tiers[2].from_gb_seconds` into segments.
///
/// Keys may contain `-`; a key containing `.` or `[` cannot be addressed (none of ours do).
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                segs.push(Seg::Key(rest[..open].to_string()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(i) = stripped[..close].parse() {
                    segs.push(Seg::Index(i));
                }
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A YAML file refused: its name, the position of the problem (when known), and the problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct YamlError {
    /// The file as the user named it (or the embedded default's path).
    pub origin: String,
    /// Line and column (both from 1), when the problem could be located.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

/// Deserialises `text` (named `origin` in errors) and checks it with `validate`.
pub fn load<T, F>(text: &str, origin: &str, validate: F) -> Result<T, YamlError>
where
    T: DeserializeOwned,
    F: FnOnce(&T) -> Result<(), Invalid>,
{
    let value: T = serde_yaml::from_str(text).map_err(|e| {
        let full = e.to_string();
        // serde_yaml appends " at line L column C"; the position is printed in front instead.
        let message = match full.rfind(" at line ") {
            Some(i) if e.location().is_some() => full[..i].to_string(),
            _ => full,
        };
        YamlError {
            origin: origin.to_string(),
            position: e.location().map(|l| (l.line(), l.column())),
            message,
        }
    })?;
    validate(&value).map_err(|invalid| {
        let path = path_text(&invalid.path);
        YamlError {
            origin: origin.to_string(),
            position: locate(text, &invalid.path),
            message: if path.is_empty() {
                invalid.message
            } else {
                format!("{path}: {}", invalid.message)
            },
        }
    })?;
    Ok(value)
}

/// Finds the line and column (from 1) of the node at `path`, or of the deepest part of the
/// path that exists (an alias ends the walk: its node lives elsewhere in the file).
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(text);
    let mut events = Vec::new();
    loop {
        let (event, mark) = parser.next_token().ok()?;
        let end = event == Event::StreamEnd;
        events.push((event, (mark.line(), mark.col() + 1)));
        if end {
            break;
        }
    }
    let mut i = events.iter().position(|(e, _)| {
        matches!(
            e,
            Event::MappingStart(..) | Event::SequenceStart(..) | Event::Scalar(..)
        )
    })?;
    let mut found = events[i].1;
    for seg in path {
        match (&events[i].0, seg) {
            (Event::MappingStart(..), Seg::Key(key)) => {
                let mut j = i + 1;
                loop {
                    match &events.get(j)?.0 {
                        Event::MappingEnd => return Some(found),
                        Event::Scalar(k, ..) if k == key => {
                            i = j + 1;
                            // A scalar is shown where it stands; a mapping or sequence where
                            // its key does (their start marks fall after the first key).
                            let value_is_scalar = matches!(events.get(i)?.0, Event::Scalar(..));
                            found = if value_is_scalar {
                                events[i].1
                            } else {
                                events[j].1
                            };
                            break;
                        }
                        _ => {
                            j = skip_node(&events, j)?;
                            j = skip_node(&events, j)?;
                        }
                    }
                }
            }
            (Event::SequenceStart(..), Seg::Index(n)) => {
                let mut j = i + 1;
                for _ in 0..*n {
                    if events.get(j)?.0 == Event::SequenceEnd {
                        return Some(found);
                    }
                    j = skip_node(&events, j)?;
                }
                if events.get(j)?.0 == Event::SequenceEnd {
                    return Some(found);
                }
                i = j;
                found = events.get(i)?.1;
            }
            _ => return Some(found),
        }
    }
    Some(found)
}

/// Index of the event after the node that starts at `i`.
fn skip_node(events: &[(Event, (usize, usize))], i: usize) -> Option<usize> {
    match events.get(i)?.0 {
        Event::MappingStart(..) | Event::SequenceStart(..) => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match events.get(j)?.0 {
                    Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                    Event::MappingEnd | Event::SequenceEnd => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => Some(i + 1),
    }
}

/// Reads a decimal from a YAML number or string without passing through binary floating point.
///
/// serde_yaml hands unquoted numbers over as `f64`; Rust prints an `f64` as the shortest text
/// that reads back as the same `f64`, which for any figure of up to 15 significant digits is
/// the figure as written. Longer figures must be quoted to be kept exactly.
pub fn de_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number such as 0.0000166667")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom(format!("{v} is not a finite number")));
            }
            let text = format!("{v}");
            let digits = text.chars().filter(char::is_ascii_digit).count();
            if digits > 15 {
                return Err(E::custom(format!(
                    "{text} has more significant digits than a float keeps; quote it: \"{text}\""
                )));
            }
            Decimal::from_str(&text).map_err(|e| E::custom(format!("{text}: {e}")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            crate::units::parse_plain_decimal(v.trim())
                .ok_or_else(|| E::custom(format!("'{v}' is not a decimal number")))
        }
        // serde_json with arbitrary precision hands a non-integer over as a one-entry map
        // holding its exact text.
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
            match map.next_entry::<String, String>()? {
                Some((_, text)) => self.visit_str(&text),
                None => Err(serde::de::Error::custom("expected a number")),
            }
        }
    }
    d.deserialize_any(V)
}

/// Reads a `YYYY-MM-DD` date.
pub fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "a: 1\nregions:\n  us-east-1:\n    tiers:\n      - { from: 0, price: 1 }\n      - from: 60\n        price: 2\n  other: x\n";

    #[test]
    fn paths_parse_keys_and_indices() {
        assert_eq!(
            parse_path("regions.us-east-1.tiers[1].from"),
            vec![
                Seg::Key("regions".into()),
                Seg::Key("us-east-1".into()),
                Seg::Key("tiers".into()),
                Seg::Index(1),
                Seg::Key("from".into())
            ]
        );
    }

    #[test]
    fn locates_block_and_flow_values() {
        assert_eq!(locate(DOC, &parse_path("a")), Some((1, 4)));
        assert_eq!(
            locate(DOC, &parse_path("regions.us-east-1.tiers[1].from")),
            Some((6, 15))
        );
        assert_eq!(
            locate(DOC, &parse_path("regions.us-east-1.tiers[0].price")),
            Some((5, 27))
        );
        assert_eq!(locate(DOC, &parse_path("regions.other")), Some((8, 10)));
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        assert_eq!(
            locate(DOC, &parse_path("regions.us-east-1.nope")),
            Some((3, 3))
        );
    }
}
