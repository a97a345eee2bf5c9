//! Parsing the quantities people type: traffic levels (`10M`), shares (`0.04%`), durations
//! (`950ms`, `1.5s`), decimal amounts and calendar dates.
//!
//! Each parser is a pure function from text to a typed value, or to a message that names the
//! value and says what would be accepted; clap uses them as value parsers, so a bad flag
//! fails with one line before anything runs.

use crate::bounds::{MAX_ACCOUNT_USAGE, MAX_DURATION_MS, MAX_PC_ENVIRONMENTS, MAX_REQUESTS};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use std::fmt;
use std::str::FromStr;

const LEVEL_HINT: &str =
    "use a count with an optional k, M or B suffix: 10M, 7.44M, 250k, 1.5B, 10_000_000, 1e7";

/// Parses a monthly traffic level: `10M`, `7.44M`, `250k`, `1.5B`, `10_000_000`, `1e7`.
///
/// The result must be a whole number of invocations between 1 and [`MAX_REQUESTS`].
pub fn parse_requests(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("'{text}' is empty; {LEVEL_HINT}"));
    }
    let (number, multiplier) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() && !t[..i].ends_with(['e', 'E']) => {
            let m: u64 = match c {
                'k' | 'K' => 1_000,
                'm' | 'M' => 1_000_000,
                'b' | 'B' | 'g' | 'G' => 1_000_000_000,
                't' | 'T' => 1_000_000_000_000,
                _ => {
                    return Err(format!(
                        "'{text}' has an unknown suffix '{c}'; {LEVEL_HINT}"
                    ));
                }
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    let cleaned: String = number.chars().filter(|c| *c != '_').collect();
    let Some(value) = parse_plain_decimal(&cleaned) else {
        // A number too large for a Decimal (1e40) still reads as a float: say what is wrong.
        return match cleaned.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 1.0 => Err(too_many(text)),
            _ => Err(format!("'{text}' is not a traffic level; {LEVEL_HINT}")),
        };
    };
    let total = value
        .checked_mul(Decimal::from(multiplier))
        .ok_or_else(|| too_many(text))?;
    if total.is_sign_negative() || total.is_zero() {
        return Err(format!("'{text}' must be at least 1 invocation a month"));
    }
    if total > Decimal::from(MAX_REQUESTS) {
        return Err(too_many(text));
    }
    if total.fract() != Decimal::ZERO {
        return Err(format!(
            "'{text}' is not a whole number of invocations ({total})"
        ));
    }
    total.to_u64().ok_or_else(|| too_many(text))
}

/// Parses traffic levels separated by commas: `1M,10M,100M`. A number written with commas
/// between its thousands (`1,000,000`) is refused with how to write it: read as levels, it
/// would be three small ones.
pub fn parse_levels(text: &str) -> Result<Vec<u64>, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() > 1 && digits(parts[0], 1..=3) && parts[1..].iter().all(|p| digits(p, 3..=3)) {
        let whole: String = parts.concat();
        // The short form where it is the same number: 1M, 250k.
        let shown = match whole.parse::<u64>() {
            Ok(n) if n > 0 => [(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")]
                .iter()
                .find(|(size, _)| n % size == 0)
                .map(|(size, unit)| format!(" or {}{unit}", n / size))
                .unwrap_or_default(),
            _ => String::new(),
        };
        return Err(format!(
            "'{text}': commas separate traffic levels (1M,10M), so this reads as {} levels; write the number without them: {whole}{shown}",
            parts.len()
        ));
    }
    parts.iter().map(|p| parse_requests(p)).collect()
}

fn too_many(text: &str) -> String {
    format!("'{text}' is too large: at most 1e15 invocations a month")
}

/// Parses a decimal written plainly or in scientific notation (`1e7`, `2.5E-3`).
///
/// Returns `None` for anything else, including values that do not fit a `Decimal`.
pub fn parse_plain_decimal(text: &str) -> Option<Decimal> {
    if text.is_empty() || text.starts_with('+') && text.len() == 1 {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("inf") || lower.contains("nan") {
        return None;
    }
    if lower.contains('e') {
        // from_scientific panics on nothing but rejects exponents it cannot represent: a
        // value finer than 28 decimal places (1e-30) is rounded to them, as a Decimal holds.
        Decimal::from_scientific(&lower).ok().or_else(|| {
            let f: f64 = lower.parse().ok()?;
            (f.is_finite() && f.abs() < 1.0)
                .then(|| Decimal::from_f64(f))
                .flatten()
        })
    } else {
        Decimal::from_str(text).ok()
    }
}

/// Whether `text` is a finite number too large for a Decimal (`1e30`): worth its own message
/// rather than "not a number".
fn too_large_for_decimal(text: &str) -> bool {
    parse_plain_decimal(text).is_none()
        && text
            .trim()
            .parse::<f64>()
            .is_ok_and(|f| f.is_finite() && f.abs() >= 1.0)
}

/// Parses a share of invocations: `0.04%`, `0.0004` or `0`. The result is a fraction in `[0, 1]`.
pub fn parse_share(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let value = parse_plain_decimal(number).ok_or_else(|| {
        if too_large_for_decimal(number) {
            format!("'{text}' is above 100%; a share lies between 0% and 100%")
        } else {
            format!("'{text}' is not a share; write a percentage (0.04%) or a fraction (0.0004)")
        }
    })?;
    let fraction = if percent {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    };
    if fraction.is_sign_negative() && !fraction.is_zero() {
        return Err(format!(
            "'{text}' is negative; a share lies between 0% and 100%"
        ));
    }
    if fraction > Decimal::ONE {
        return Err(format!(
            "'{text}' is above 100%; a share lies between 0% and 100% (or 0 and 1 as a fraction)"
        ));
    }
    Ok(fraction.normalize())
}

/// Parses a duration into milliseconds: `950`, `950ms`, `1.5s`, `2m`, `250us`.
///
/// A bare number is milliseconds. Negative, NaN and infinite values are refused.
pub fn parse_duration_ms(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let hint = "write a duration like 950ms, 1.5s, 2m or a number of milliseconds";
    let split = t
        .find(|c: char| c.is_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value = parse_plain_decimal(number.trim()).ok_or_else(|| {
        if too_large_for_decimal(number) {
            format!("'{text}' is too long; {hint}")
        } else {
            format!("'{text}' is not a duration; {hint}")
        }
    })?;
    // Units as people write them too: `1hour`, `1 hour`, `30 mins`, `2 days`.
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "ms" | "msec" | "millisecond" | "milliseconds" => Decimal::ONE,
        "us" | "µs" | "microsecond" | "microseconds" => Decimal::new(1, 3),
        "s" | "sec" | "secs" | "second" | "seconds" => Decimal::from(1_000),
        "m" | "min" | "mins" | "minute" | "minutes" => Decimal::from(60_000),
        "h" | "hr" | "hrs" | "hour" | "hours" => Decimal::from(3_600_000),
        "d" | "day" | "days" => Decimal::from(86_400_000),
        other => return Err(format!("'{text}' has an unknown unit '{other}'; {hint}")),
    };
    let ms = value
        .checked_mul(factor)
        .ok_or_else(|| format!("'{text}' is too long"))?;
    if ms.is_sign_negative() && !ms.is_zero() {
        return Err(format!("'{text}' is negative; a duration is 0 or more"));
    }
    Ok(ms.normalize())
}

/// Where a replay's arrivals come from.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrivalSource {
    /// A Poisson process of this many arrivals a second.
    Poisson(f64),
    /// A trace: a log, a CSV, a directory of them, or `-` for standard input.
    Trace(std::path::PathBuf),
}

/// Parses a replay's arrivals: `poisson:RATE` (arrivals a second, more than 0), else a path.
pub fn parse_arrivals(text: &str) -> Result<ArrivalSource, String> {
    let Some(rate) = text.trim().strip_prefix("poisson:") else {
        return Ok(ArrivalSource::Trace(std::path::PathBuf::from(text)));
    };
    let rate = rate.trim().trim_end_matches("/s");
    match rate.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 && r <= 1e7 => Ok(ArrivalSource::Poisson(r)),
        Ok(r) if r.is_finite() && r > 0.0 => Err(format!(
            "'{text}': {rate} arrivals a second is more than the 10,000,000 a replay draws"
        )),
        _ => Err(format!(
            "'{text}': the rate is arrivals a second, more than 0 (poisson:50)"
        )),
    }
}

/// Parses a duration whose option does not name its unit (`--idle-reclaim 10m`): a bare
/// number is refused, since `1` could mean a millisecond or a second.
pub fn parse_duration(text: &str) -> Result<Decimal, String> {
    with_unit(text)?;
    parse_duration_ms(text)
}

/// Refuses a duration written without its unit.
fn with_unit(text: &str) -> Result<(), String> {
    let t = text.trim();
    if !t.is_empty() && parse_plain_decimal(t).is_some() {
        return Err(format!(
            "'{text}' has no unit; write it with one: {t}ms, {t}s or {t}m"
        ));
    }
    Ok(())
}

/// Parses a duration for an invocation or an init phase, capped at Lambda's 15-minute limit.
pub fn parse_invocation_ms(text: &str) -> Result<Decimal, String> {
    let ms = parse_duration_ms(text)?;
    if ms > Decimal::from(MAX_DURATION_MS) {
        return Err(format!(
            "'{text}' is longer than Lambda's 15-minute limit (900000 ms)"
        ));
    }
    Ok(ms)
}

/// Parses a percentage: `5`, `5%`, `2.5 %` (the `%` is optional: the value is in percent).
pub fn parse_percent(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let number = t.strip_suffix('%').map_or(t, str::trim_end);
    parse_non_negative(number).map_err(|e| format!("{e}; write a percentage: 5 or 5%"))
}

/// Parses a discount in percent (`17`, `17%`) into a share (0.17): 0 to less than 100.
pub fn parse_discount(text: &str) -> Result<Decimal, String> {
    let pct = parse_percent(text)?;
    if pct >= Decimal::ONE_HUNDRED {
        return Err(format!(
            "'{text}' is 100% or more; a discount from 0 to less than 100 is accepted"
        ));
    }
    Ok((pct / Decimal::ONE_HUNDRED).normalize())
}

/// Parses a non-negative decimal amount (hours, GB-seconds, dollars).
pub fn parse_non_negative(text: &str) -> Result<Decimal, String> {
    let cleaned = text.trim().replace('_', "");
    let value = parse_plain_decimal(&cleaned).ok_or_else(|| {
        if too_large_for_decimal(&cleaned) {
            format!("'{text}' is too large")
        } else {
            format!("'{text}' is not a number")
        }
    })?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("'{text}' is negative; 0 or more is accepted"));
    }
    Ok(value.normalize())
}

/// Parses what an account's other functions use in a month: GB-seconds or requests, as a
/// plain number or with a k, M or B suffix (`10B`, `250M`, `400000`), at most 1e18.
pub fn parse_account_usage(text: &str) -> Result<Decimal, String> {
    let t = text.trim().replace('_', "");
    let (number, multiplier) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() && !t[..i].ends_with(['e', 'E']) => {
            let m: u64 = match c {
                'k' | 'K' => 1_000,
                'm' | 'M' => 1_000_000,
                'b' | 'B' | 'g' | 'G' => 1_000_000_000,
                't' | 'T' => 1_000_000_000_000,
                _ => {
                    return Err(format!(
                        "'{text}' has an unknown suffix '{c}'; write a number with an optional k, M, B or T suffix (10B, 250M)"
                    ));
                }
            };
            (&t[..i], m)
        }
        _ => (t.as_str(), 1),
    };
    let too_large = || format!("'{text}' is too large: at most 1e18 a month");
    let Some(value) = parse_plain_decimal(number) else {
        return match number.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 1.0 => Err(too_large()),
            _ => Err(format!(
                "'{text}' is not a number; write a number with an optional k, M, B or T suffix (10B, 250M)"
            )),
        };
    };
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("'{text}' is negative; 0 or more is accepted"));
    }
    let total = value
        .checked_mul(Decimal::from(multiplier))
        .ok_or_else(too_large)?;
    if total > Decimal::from(MAX_ACCOUNT_USAGE) {
        return Err(too_large());
    }
    Ok(total.normalize())
}

/// Parses a number of Provisioned Concurrency environments: a whole number up to a million.
pub fn parse_environments(text: &str) -> Result<u32, String> {
    let n = parse_whole(text)?;
    if n > MAX_PC_ENVIRONMENTS {
        return Err(format!(
            "'{text}' is more environments than lambcost prices (at most {}; Lambda's concurrency quotas are in the thousands)",
            MAX_PC_ENVIRONMENTS
        ));
    }
    Ok(n)
}

/// Parses a memory or storage size in whole MB (the range is checked against the price book).
pub fn parse_mb(text: &str) -> Result<u32, String> {
    text.trim()
        .replace('_', "")
        .parse::<u32>()
        .map_err(|_| format!("'{text}' is not a whole number of MB (e.g. 512)"))
}

/// Parses a count of environments or versions: a whole number, 0 or more.
pub fn parse_whole(text: &str) -> Result<u32, String> {
    let t = text.trim().replace('_', "");
    t.parse::<u32>().map_err(|_| {
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            format!("'{text}' is too large (at most {})", u32::MAX)
        } else {
            format!("'{text}' is not a whole number (0 or more)")
        }
    })
}

/// Parses a .NET major version: 1 to 99.
pub fn parse_dotnet_version(text: &str) -> Result<u32, String> {
    match parse_whole(text) {
        Ok(v @ 1..=99) => Ok(v),
        _ => Err(format!(
            "'{text}' is not a .NET major version; write one like 8, 9 or 10"
        )),
    }
}

/// Parses how many published versions keep a SnapStart snapshot: 1 to 1,000.
pub fn parse_snapstart_versions(text: &str) -> Result<u32, String> {
    match parse_whole(text) {
        Ok(v @ 1..=1_000) => Ok(v),
        Ok(_) => Err(format!(
            "'{text}' is not a number of versions with a snapshot; give 1 to 1000"
        )),
        Err(e) => Err(e),
    }
}

/// Parses a number of hours in a month: more than 0, at most 744 (a 31-day month).
pub fn parse_month_hours(text: &str) -> Result<Decimal, String> {
    let hours = parse_non_negative(text)?;
    if hours < Decimal::ONE || hours > Decimal::from(744) {
        return Err(format!(
            "'{text}' is not a month length; give hours between 1 and 744 (730 is AWS's average month)"
        ));
    }
    Ok(hours)
}

/// Parses a count that must be at least 1 (environments, a .NET version).
pub fn parse_positive(text: &str) -> Result<u32, String> {
    match parse_whole(text)? {
        0 => Err(format!("'{text}' must be at least 1")),
        n => Ok(n),
    }
}

/// Parses a duration longer than 0, at most Lambda's 15 minutes (timeouts, service levels).
pub fn parse_positive_duration(text: &str) -> Result<Decimal, String> {
    with_unit(text)?;
    let ms = parse_invocation_ms(text)?;
    if ms.is_zero() {
        return Err(format!("'{text}' must be longer than 0"));
    }
    Ok(ms)
}

/// Parses `KEY=VALUE` for a variable of the function's environment.
pub fn parse_env(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not KEY=VALUE"))?;
    let valid = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "'{key}' is not a variable name (letters, digits and _, not starting with a digit)"
        ));
    }
    Ok((key.to_string(), value.to_string()))
}

/// A calendar date (`2025-08-01`), used for the effective dates of prices and billing rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2025.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("'{text}' is not a date; write YYYY-MM-DD, e.g. 2025-08-01");
        let mut parts = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: u16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day == 0 || day > days_in_month {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parses a date for clap.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_percentages_and_durations_as_people_write_them() {
        assert_eq!(
            parse_levels("1M,10M, 100M"),
            Ok(vec![1_000_000, 10_000_000, 100_000_000])
        );
        assert_eq!(parse_levels("12,000"), Err("'12,000': commas separate traffic levels (1M,10M), so this reads as 2 levels; write the number without them: 12000 or 12k".to_string()));
        // Two levels that only look like thousands are not refused when the first is not.
        assert_eq!(parse_levels("1000,500"), Ok(vec![1000, 500]));
        assert_eq!(parse_percent("5%"), parse_percent("5"));
        assert_eq!(parse_percent(" 2.5 % "), Ok(Decimal::new(25, 1)));
        assert!(parse_percent("-5%").is_err());
        for (text, ms) in [
            ("1hour", 3_600_000),
            ("1 hour", 3_600_000),
            ("2 Hours", 7_200_000),
            ("30 mins", 1_800_000),
            ("1day", 86_400_000),
        ] {
            assert_eq!(parse_duration(text), Ok(Decimal::from(ms)), "{text}");
        }
    }
    use rust_decimal_macros::dec;

    #[test]
    fn traffic_levels_in_every_spelling() {
        assert_eq!(parse_requests("10M"), Ok(10_000_000));
        assert_eq!(parse_requests("7.44M"), Ok(7_440_000));
        assert_eq!(parse_requests("250k"), Ok(250_000));
        assert_eq!(parse_requests("1.5B"), Ok(1_500_000_000));
        assert_eq!(parse_requests("10_000_000"), Ok(10_000_000));
        assert_eq!(parse_requests("1e7"), Ok(10_000_000));
        assert_eq!(parse_requests("1E3"), Ok(1_000));
        assert_eq!(parse_requests("1e15"), Ok(MAX_REQUESTS));
    }

    #[test]
    fn bad_traffic_levels_are_refused_with_the_value() {
        for bad in [
            "10X", "", "abc", "-5M", "0", "1.2345k", "1e40", "1e16", "NaN", "inf", "1,000",
        ] {
            let err = parse_requests(bad).expect_err(bad);
            assert!(err.contains(&format!("'{bad}'")), "{bad}: {err}");
        }
        assert!(parse_requests("1e40").unwrap_err().contains("too large"));
    }

    #[test]
    fn shares_as_percent_or_fraction() {
        assert_eq!(parse_share("0.04%"), Ok(dec!(0.0004)));
        assert_eq!(parse_share("0.0004"), Ok(dec!(0.0004)));
        assert_eq!(parse_share("0"), Ok(dec!(0)));
        assert_eq!(parse_share("100%"), Ok(dec!(1)));
        assert!(parse_share("101%").unwrap_err().contains("above 100%"));
        assert!(parse_share("1.5").unwrap_err().contains("above 100%"));
        assert!(parse_share("-1%").unwrap_err().contains("negative"));
        assert!(parse_share("lots").is_err());
    }

    #[test]
    fn durations_in_their_units() {
        assert_eq!(parse_duration_ms("950"), Ok(dec!(950)));
        assert_eq!(parse_duration_ms("950ms"), Ok(dec!(950)));
        assert_eq!(parse_duration_ms("1.5s"), Ok(dec!(1500)));
        assert_eq!(parse_duration_ms("1s"), Ok(dec!(1000)));
        assert_eq!(parse_duration_ms("2m"), Ok(dec!(120000)));
        assert_eq!(parse_duration_ms("250us"), Ok(dec!(0.25)));
        assert!(parse_duration_ms("-1ms").unwrap_err().contains("negative"));
        assert!(parse_duration_ms("NaN").is_err());
        assert!(parse_duration_ms("5 parsecs").is_err());
        assert!(
            parse_invocation_ms("16m")
                .unwrap_err()
                .contains("15-minute")
        );
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            "2025-08-01".parse::<Date>(),
            Ok(Date {
                year: 2025,
                month: 8,
                day: 1
            })
        );
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("25-08-01".parse::<Date>().is_err());
        assert_eq!(
            "2025-08-01".parse::<Date>().map(|d| d.to_string()),
            Ok("2025-08-01".into())
        );
    }

    #[test]
    fn month_hours_bounds() {
        assert_eq!(parse_month_hours("730"), Ok(dec!(730)));
        assert_eq!(parse_month_hours("744"), Ok(dec!(744)));
        assert!(parse_month_hours("745").is_err());
        assert!(parse_month_hours("0").is_err());
    }
}
