//! Budget verdicts in words, shared by the table and markdown renderers:
//! `monthly spend $3,412.00 > $3,000 — over by $412.00 (13.7%)`.

use super::format::{percent, usd, usd_limit};
use crate::budget::{Rule, Verdict};
use rust_decimal::Decimal;

pub fn label(rule: Rule) -> &'static str {
    match rule {
        Rule::MaxCostPerRequest => "cost per request",
        Rule::MaxMonthlySpend => "monthly spend",
        Rule::MinGrossMargin => "gross margin",
        Rule::MaxMarginDrop => "margin drop",
        Rule::MaxIncrease => "increase vs baseline",
        Rule::MaxPriceAge => "price age",
        Rule::MaxDrift => "spend in production vs the spec",
    }
}

/// What a verdict judged: the rule's figure, or the one figure of several
/// it names (`cost per request in production vs the spec`).
pub fn subject(v: &Verdict) -> String {
    match (&v.figure, v.rule) {
        (Some(f), Rule::MaxDrift) => format!("{f} in production vs the spec"),
        (Some(f), _) => format!("{} ({f})", label(v.rule)),
        (None, rule) => label(rule).to_string(),
    }
}

/// A figure in the rule's unit.
pub fn value(rule: Rule, v: Decimal, limit: bool) -> String {
    match rule {
        Rule::MaxCostPerRequest | Rule::MaxMonthlySpend if limit => usd_limit(v),
        Rule::MaxCostPerRequest | Rule::MaxMonthlySpend => usd(v),
        Rule::MinGrossMargin => percent(v),
        Rule::MaxMarginDrop => points(v),
        Rule::MaxIncrease => signed_percent(v),
        Rule::MaxPriceAge => format!("{} days", v.normalize()),
        Rule::MaxDrift => signed_percent(v),
    }
}

fn points(v: Decimal) -> String {
    format!(
        "{} pt",
        (v * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(1, super::format::ROUNDING)
            .normalize()
    )
}

pub fn signed_percent(v: Decimal) -> String {
    let p = percent(v.abs());
    if v.is_sign_negative() && !v.is_zero() {
        format!("−{p}")
    } else {
        format!("+{p}")
    }
}

/// `monthly spend $352.14 ≤ $3,000`
pub fn comparison(v: &Verdict) -> String {
    if let Some(why) = &v.unjudged {
        let cmp = if v.rule.is_minimum() { "≥" } else { "≤" };
        return format!(
            "{} {cmp} {} cannot be judged: {why}",
            subject(v),
            value(v.rule, v.limit, true)
        );
    }
    let cmp = match (v.rule.is_minimum(), v.ok) {
        (false, true) => "≤",
        (false, false) => ">",
        (true, true) => "≥",
        (true, false) => "<",
    };
    format!(
        "{} {} {cmp} {}",
        subject(v),
        value(v.rule, v.actual, false),
        value(v.rule, v.limit, true)
    )
}

/// `$2,647.86 (88.3%) left` or `over by $412.00 (13.7%)`
pub fn headroom(v: &Verdict) -> String {
    if v.unjudged.is_some() {
        return "broken until it can be judged".into();
    }
    let h = v.headroom();
    let amount = match v.rule {
        Rule::MaxPriceAge => format!("{} days", h.abs().normalize()),
        Rule::MaxDrift => percent(h.abs()),
        r if r.is_money() => usd(h.abs()),
        _ => points(h.abs()),
    };
    // A share of the limit reads well for dollars ("13.7% over"); for rules
    // that are already percentages it would be a percent of a percent.
    let share = v
        .headroom_ratio()
        .filter(|_| v.rule.is_money())
        .map(|r| format!(" ({})", percent(r.abs())))
        .unwrap_or_default();
    match (v.ok, v.rule.is_minimum()) {
        (true, _) => format!("{amount}{share} left"),
        (false, false) => format!("over by {amount}{share}"),
        (false, true) => format!("short by {amount}{share}"),
    }
}

/// The whole verdict on one line, with a mark.
pub fn line(v: &Verdict) -> String {
    let mark = if v.ok { "✓" } else { "✗" };
    format!("{mark} {} — {}", comparison(v), headroom(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    #[test]
    fn verdicts_read_as_sentences() {
        let v = Verdict {
            rule: Rule::MaxMonthlySpend,
            limit: d("3000"),
            actual: d("3412"),
            ok: false,
            figure: None,
            unjudged: None,
        };
        assert_eq!(
            line(&v),
            "✗ monthly spend $3,412.00 > $3,000 — over by $412.00 (13.7%)"
        );
        let v = Verdict {
            rule: Rule::MaxMonthlySpend,
            limit: d("3000"),
            actual: d("3000"),
            ok: true,
            figure: None,
            unjudged: None,
        };
        assert_eq!(
            line(&v),
            "✓ monthly spend $3,000.00 ≤ $3,000 — $0 (0.0%) left"
        );
        let v = Verdict {
            rule: Rule::MinGrossMargin,
            limit: d("0.75"),
            actual: d("0.74"),
            ok: false,
            figure: None,
            unjudged: None,
        };
        assert_eq!(line(&v), "✗ gross margin 74.0% < 75.0% — short by 1 pt");
        let v = Verdict {
            rule: Rule::MaxIncrease,
            limit: d("0.1"),
            actual: d("0.125"),
            ok: false,
            figure: None,
            unjudged: None,
        };
        assert_eq!(
            line(&v),
            "✗ increase vs baseline +12.5% > +10.0% — over by 2.5 pt"
        );
    }
}
