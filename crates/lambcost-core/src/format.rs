//! How lambcost writes numbers for people and machines: money to the cent or exact, counts
//! with separators, shares as percentages, traffic levels (`10M`), durations (`10 min`,
//! `950 ms`). A bottom-level module: every layer may use it, it uses nothing of lambcost's.

use rust_decimal::{Decimal, RoundingStrategy};

/// Money for people: `$1,234.57`.
pub fn usd_cents(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", group(&format!("{:.2}", rounded.abs())))
}

/// Money for machines: at least 6 and at most 10 decimal places, no `$`, no separators.
pub fn usd_exact(value: Decimal) -> String {
    let v = value
        .round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let dp = v.scale().max(6) as usize;
    format!("{v:.dp$}")
}

/// A plain number for machines: at most 10 decimal places, trailing zeros dropped.
pub fn plain(value: Decimal) -> String {
    value
        .round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// A quantity for people, with thousands separators: `468,178`.
pub fn grouped(value: Decimal, dp: u32) -> String {
    let rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", dp as usize, rounded.abs());
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", group(&text))
}

/// A share as a percentage for people: `0.0400%`, `10.63%`.
pub fn percent(share: Decimal) -> String {
    let pct = share * Decimal::ONE_HUNDRED;
    if pct.is_zero() {
        return "0%".to_string();
    }
    if pct >= Decimal::ONE {
        return format!("{:.2}%", pct.round_dp(2));
    }
    // Three significant digits below 1%: 0.0331%, 0.000512%.
    let mut dp = 2u32;
    let mut probe = pct;
    while probe < Decimal::ONE && dp < 12 {
        probe *= Decimal::TEN;
        dp += 1;
    }
    format!("{:.*}%", dp as usize, pct.round_dp(dp))
}

/// An observed share with its sample and 95% interval, short enough for a table cell: one
/// decimal below 10%, none above: `3/110: 2.7% (0.9-7.7%)`, `4/12: 33% (14-61%)`.
pub fn observed_share(hits: u64, n: u64, ci95: (f64, f64)) -> String {
    let pct = |share: f64| {
        let p = share * 100.0;
        if p >= 9.95 {
            format!("{p:.0}")
        } else {
            format!("{p:.1}")
        }
    };
    let share = if n == 0 { 0.0 } else { hits as f64 / n as f64 };
    format!(
        "{hits}/{}: {}% ({}-{}%)",
        grouped(Decimal::from(n), 0),
        pct(share),
        pct(ci95.0),
        pct(ci95.1)
    )
}

fn group(number: &str) -> String {
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let mut out = String::with_capacity(number.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `10000000` as `10M`, for titles.
pub fn short_count(n: u64) -> String {
    for (unit, size) in [("B", 1_000_000_000u64), ("M", 1_000_000), ("k", 1_000)] {
        if n >= size {
            let value = Decimal::from(n) / Decimal::from(size);
            return format!("{}{unit}", value.round_dp(2).normalize());
        }
    }
    n.to_string()
}

/// A duration for people: `10 min`, `2 h`, `30 s`.
pub fn human_duration(ms: Decimal) -> String {
    let s = ms / Decimal::from(1000);
    if s >= Decimal::from(3600) && (s % Decimal::from(3600)).is_zero() {
        format!("{} h", s / Decimal::from(3600))
    } else if s >= Decimal::from(60) && (s % Decimal::from(60)).is_zero() {
        format!("{} min", s / Decimal::from(60))
    } else {
        format!("{} s", s.normalize())
    }
}

/// A latency for people: `950 ms`, `1.5 s` (three decimals at most, trailing zeros dropped).
pub fn ms_or_s(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", trim3(ms / 1000.0))
    } else {
        format!("{} ms", trim3(ms))
    }
}

/// A figure with at most three decimals, trailing zeros dropped: `2`, `1.25`.
pub fn trim3(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A count on a chart's axis: `250k`, `1.5M`, `10B`.
pub fn axis_count(v: f64) -> String {
    let (n, unit) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = if n >= 100.0 {
        format!("{n:.0}")
    } else if n >= 10.0 {
        format!("{n:.1}")
    } else {
        format!("{n:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{unit}")
}

/// Money on a chart's axis: `$120`, `$2.50`, `$0.125`.
pub fn axis_usd(v: f64) -> String {
    let trimmed = |text: String| {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    if v >= 1e6 {
        format!("${}M", trimmed(format!("{:.2}", v / 1e6)))
    } else if v >= 1e3 {
        format!("${}k", trimmed(format!("{:.2}", v / 1e3)))
    } else if v >= 1.0 {
        format!("${}", trimmed(format!("{v:.2}")))
    } else if v >= 0.01 || v <= 0.0 {
        // Cents keep both digits, as money is written: $0.10, not $0.1.
        format!("${v:.2}")
    } else {
        // Below a cent, one significant digit: $0.005, $0.0002.
        let digits = (-v.log10()).ceil() as usize;
        format!("${v:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_on_an_axis_reads_one_way() {
        let axis: Vec<String> = [
            0.1,
            1.0,
            10.0,
            100.0,
            1_000.0,
            1_500.0,
            2_000_000.0,
            9.58,
            0.005,
        ]
        .iter()
        .map(|v| axis_usd(*v))
        .collect();
        assert_eq!(
            axis,
            [
                "$0.10", "$1", "$10", "$100", "$1k", "$1.5k", "$2M", "$9.58", "$0.005"
            ]
        );
    }

    #[test]
    fn an_observed_share_shows_its_sample_and_interval() {
        assert_eq!(
            observed_share(3, 110, (0.009_318, 0.077_131)),
            "3/110: 2.7% (0.9-7.7%)"
        );
        assert_eq!(
            observed_share(12, 1500, (0.0046, 0.0139)),
            "12/1,500: 0.8% (0.5-1.4%)"
        );
        assert_eq!(observed_share(4, 12, (0.138, 0.609)), "4/12: 33% (14-61%)");
    }

    #[test]
    fn money_is_cents_for_people_and_exact_for_machines() {
        assert_eq!(usd_cents(dec!(9.5833485)), "$9.58");
        assert_eq!(usd_cents(dec!(1234567.125)), "$1,234,567.13");
        assert_eq!(usd_cents(dec!(0.004)), "$0.00");
        assert_eq!(usd_exact(dec!(9.5833485)), "9.5833485");
        assert_eq!(usd_exact(dec!(2)), "2.000000");
        assert_eq!(usd_exact(dec!(0.123456789012345)), "0.123456789");
    }

    #[test]
    fn quantities_and_shares_read_naturally() {
        assert_eq!(grouped(dec!(468178), 0), "468,178");
        assert_eq!(grouped(dec!(999.5), 0), "1,000");
        assert_eq!(percent(dec!(0.0004)), "0.0400%");
        assert_eq!(percent(dec!(0.1063)), "10.63%");
        assert_eq!(percent(dec!(0.00000512)), "0.000512%");
        assert_eq!(percent(Decimal::ZERO), "0%");
    }
}
