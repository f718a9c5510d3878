//! Numbers for people: `$0.000592`, `$1,235.50`, `20,000`, `81.6%`. Only the
//! human-facing renderers round; JSON carries exact values.

use rust_decimal::{Decimal, RoundingStrategy};

/// Every figure shortened for people is rounded half to even (0.25 → 0.2,
/// 0.35 → 0.4): one rule for every column, unbiased over many rows, and
/// never a cut (6.18 runs once printed as "6.1").
pub const ROUNDING: RoundingStrategy = RoundingStrategy::MidpointNearestEven;

/// Dollars: cents above $1, three significant digits below it (a per-request
/// cost of $0.000592 must not print as $0.00).
pub fn usd(v: Decimal) -> String {
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "−"
    } else {
        ""
    };
    let a = v.abs();
    if a.is_zero() {
        return "$0".into();
    }
    let text = if a >= Decimal::ONE {
        grouped(a.round_dp_with_strategy(2, ROUNDING), 2)
    } else {
        let r = a
            .round_sf_with_strategy(3, ROUNDING)
            .unwrap_or(a)
            .normalize();
        let dp = r.scale().max(2);
        format!("{:.*}", dp as usize, r)
    };
    format!("{sign}${text}")
}

/// A change in dollars, always signed: `+$12.00`, `−$0.000374`.
pub fn signed_usd(v: Decimal) -> String {
    if v.is_sign_negative() && !v.is_zero() {
        usd(v)
    } else {
        format!("+{}", usd(v))
    }
}

/// A whole limit as typed (`$3,000`), otherwise like `usd`.
pub fn usd_limit(v: Decimal) -> String {
    if v.fract().is_zero() && v >= Decimal::ONE {
        format!("${}", grouped(v, 0))
    } else {
        usd(v)
    }
}

/// Token counts: whole numbers grouped, averages to one decimal.
pub fn tokens(v: Decimal) -> String {
    if v.fract().is_zero() {
        grouped(v, 0)
    } else {
        grouped(v.round_dp_with_strategy(1, ROUNDING), 1)
    }
}

/// A plain quantity such as requests per day.
pub fn count(v: Decimal) -> String {
    if v.fract().is_zero() {
        grouped(v, 0)
    } else {
        grouped(
            v.round_dp_with_strategy(2, ROUNDING).normalize(),
            v.round_dp_with_strategy(2, ROUNDING).normalize().scale(),
        )
    }
}

pub fn percent(ratio: Decimal) -> String {
    let p = (ratio * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, ROUNDING);
    format!("{}%", grouped(p, 1))
}

/// A change in margin, in percentage points: `−0.4 pt`.
pub fn points(change: Decimal) -> String {
    let p = (change * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, ROUNDING);
    let sign = if change.is_sign_negative() && !change.is_zero() {
        "−"
    } else {
        "+"
    };
    if change.is_zero() {
        return "0.0 pt".into();
    }
    // A change too small to show at one decimal is said to be small, not
    // printed as a signed zero.
    if p.is_zero() {
        return format!("{sign}<0.1 pt");
    }
    format!("{sign}{} pt", p.abs().normalize_to(1))
}

trait NormalizeTo {
    fn normalize_to(self, dp: u32) -> String;
}

impl NormalizeTo for Decimal {
    fn normalize_to(self, dp: u32) -> String {
        format!(
            "{:.*}",
            dp as usize,
            self.round_dp_with_strategy(dp, ROUNDING)
        )
    }
}

/// A quantity such as runs per request, to exactly `dp` decimals.
pub fn fixed(v: Decimal, dp: u32) -> String {
    grouped(v, dp)
}

fn grouped(v: Decimal, dp: u32) -> String {
    // Rounded here too, so no caller can print a cut figure: `{:.N}` on a
    // Decimal truncates.
    let text = format!(
        "{:.*}",
        dp as usize,
        v.abs().round_dp_with_strategy(dp, ROUNDING)
    );
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
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
    if v.is_sign_negative() && !v.is_zero() {
        // U+2212, as money and changes use: one minus sign throughout.
        format!("−{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    #[test]
    fn money_for_people() {
        assert_eq!(usd(d("0.000592")), "$0.000592");
        assert_eq!(usd(d("0.00059249")), "$0.000592");
        assert_eq!(usd(d("0.07104")), "$0.071");
        assert_eq!(usd(d("0.5")), "$0.50");
        assert_eq!(usd(d("11.84")), "$11.84");
        assert_eq!(usd(d("355.2")), "$355.20");
        assert_eq!(usd(d("1234567.891")), "$1,234,567.89");
        assert_eq!(usd(d("0")), "$0");
        assert_eq!(usd(d("-12.5")), "−$12.50");
        assert_eq!(usd_limit(d("3000")), "$3,000");
        assert_eq!(usd_limit(d("0.002")), "$0.002");
    }

    #[test]
    fn tokens_percent_points() {
        assert_eq!(tokens(d("2904")), "2,904");
        // Half to even: .25 → .2, .35 → .4; never a cut.
        assert_eq!(tokens(d("1312.25")), "1,312.2");
        assert_eq!(tokens(d("1312.35")), "1,312.4");
        assert_eq!(tokens(d("1312.26")), "1,312.3");
        assert_eq!(fixed(d("6.18"), 1), "6.2");
        assert_eq!(fixed(d("1.1475"), 2), "1.15");
        assert_eq!(fixed(d("1.145"), 2), "1.14");
        assert_eq!(fixed(d("1.155"), 2), "1.16");
        assert_eq!(fixed(d("2"), 1), "2.0");
        assert_eq!(usd(d("0.0005925")), "$0.000592");
        assert_eq!(usd(d("0.0005935")), "$0.000594");
        assert_eq!(percent(d("0.81625")), "81.6%");
        assert_eq!(count(d("3333.3333333")), "3,333.33");
        assert_eq!(percent(d("0.816448")), "81.6%");
        assert_eq!(percent(d("0.82")), "82.0%");
        assert_eq!(percent(d("16.566")), "1,656.6%");
        assert_eq!(percent(d("-0.5")), "−50.0%");
        assert_eq!(points(d("-0.003552")), "−0.4 pt");
        assert_eq!(points(d("0")), "0.0 pt");
        // −0.01 pt rounds to zero at one decimal: small, not a signed zero
        assert_eq!(points(d("-0.0001")), "−<0.1 pt");
        assert_eq!(points(d("0.0004")), "+<0.1 pt");
    }
}
