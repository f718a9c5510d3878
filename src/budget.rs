//! Budget verdicts: the spec's limits (and the command line's) judged
//! against an estimate. A limit is inclusive and exact: a budget of $3000 is
//! kept by a cost of $3000.00.

use rust_decimal::Decimal;

use crate::estimate::Totals;
use crate::spec::Budget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    MaxCostPerRequest,
    MaxMonthlySpend,
    MinGrossMargin,
    MaxMarginDrop,
    MaxIncrease,
    /// Days since the oldest price used was read (`check --fail-on-stale`).
    MaxPriceAge,
    /// How far production's monthly spend runs from the spec's
    /// (`check --actuals FILE --max-drift 25%`).
    MaxDrift,
}

impl Rule {
    /// The key as written in a spec's `budget` block (and in JSON).
    pub fn key(self) -> &'static str {
        match self {
            Rule::MaxCostPerRequest => "max_cost_per_request",
            Rule::MaxMonthlySpend => "max_monthly_spend",
            Rule::MinGrossMargin => "min_gross_margin",
            Rule::MaxMarginDrop => "max_margin_drop",
            Rule::MaxIncrease => "max_increase",
            Rule::MaxPriceAge => "max_price_age",
            Rule::MaxDrift => "max_drift",
        }
    }

    /// A lower limit (the actual must stay at or above it) rather than an upper one.
    pub fn is_minimum(self) -> bool {
        self == Rule::MinGrossMargin
    }

    /// Whether the figures are dollars (else ratios shown as % or points).
    pub fn is_money(self) -> bool {
        matches!(self, Rule::MaxCostPerRequest | Rule::MaxMonthlySpend)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rule: Rule,
    pub limit: Decimal,
    pub actual: Decimal,
    pub ok: bool,
    /// Which figure a rule judged, where it judges several (`max_drift`:
    /// monthly spend, cost per request, each call's cost per request).
    pub figure: Option<String>,
    /// Why the rule could not be judged; such a rule is broken, since a
    /// spec must not escape a limit by removing what it is judged on.
    pub unjudged: Option<String>,
}

impl Verdict {
    pub fn new(rule: Rule, limit: Decimal, actual: Decimal) -> Self {
        let ok = if rule.is_minimum() {
            actual >= limit
        } else {
            actual <= limit
        };
        Verdict {
            rule,
            limit,
            actual,
            ok,
            figure: None,
            unjudged: None,
        }
    }

    /// A rule that cannot be judged: broken, with the reason.
    pub fn unjudged(rule: Rule, limit: Decimal, why: impl Into<String>) -> Self {
        Verdict {
            rule,
            limit,
            actual: Decimal::ZERO,
            ok: false,
            figure: None,
            unjudged: Some(why.into()),
        }
    }

    /// The verdict on one named figure of its rule.
    pub fn of(mut self, figure: impl Into<String>) -> Self {
        self.figure = Some(figure.into());
        self
    }

    /// How far the actual is inside the limit: positive is room left,
    /// negative is the overshoot. In the rule's own unit.
    pub fn headroom(&self) -> Decimal {
        if self.rule.is_minimum() {
            self.actual - self.limit
        } else {
            self.limit - self.actual
        }
    }

    /// Headroom as a share of the limit (None for a zero limit).
    pub fn headroom_ratio(&self) -> Option<Decimal> {
        (!self.limit.is_zero()).then(|| self.headroom() / self.limit.abs())
    }
}

/// What a change is compared against for `max_increase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Baseline {
    pub cost_per_month: Decimal,
}

/// The increase of monthly cost over a baseline, as a ratio (0.1 = +10%).
/// From a baseline of $0 any spend counts as +100%.
pub fn increase(baseline: Decimal, now: Decimal) -> Decimal {
    if baseline.is_zero() {
        if now.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE
        }
    } else {
        (now - baseline) / baseline
    }
}

pub fn judge(
    budget: &Budget,
    totals: &Totals,
    baseline: Option<Baseline>,
    price_age_days: Option<i64>,
) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    if let Some(limit) = budget.max_cost_per_request {
        verdicts.push(Verdict::new(
            Rule::MaxCostPerRequest,
            limit,
            totals.cost_per_request,
        ));
    }
    if let Some(limit) = budget.max_monthly_spend {
        verdicts.push(Verdict::new(
            Rule::MaxMonthlySpend,
            limit,
            totals.cost_per_month,
        ));
    }
    // Without revenue there is no margin: a margin rule is then broken, not
    // skipped, or a spec could escape it by setting its revenue to 0.
    const NO_REVENUE: &str =
        "there is no revenue to judge a margin against (no `economics`, or revenue 0)";
    if let Some(limit) = budget.min_gross_margin {
        verdicts.push(match &totals.margin {
            Some(m) => Verdict::new(Rule::MinGrossMargin, limit, m.after),
            None => Verdict::unjudged(Rule::MinGrossMargin, limit, NO_REVENUE),
        });
    }
    if let Some(limit) = budget.max_margin_drop {
        verdicts.push(match &totals.margin {
            Some(m) => Verdict::new(Rule::MaxMarginDrop, limit, m.before - m.after),
            None => Verdict::unjudged(Rule::MaxMarginDrop, limit, NO_REVENUE),
        });
    }
    if let (Some(limit), Some(base)) = (budget.max_increase, baseline) {
        verdicts.push(Verdict::new(
            Rule::MaxIncrease,
            limit,
            increase(base.cost_per_month, totals.cost_per_month),
        ));
    }
    if let (Some(limit), Some(age)) = (budget.max_price_age, price_age_days) {
        verdicts.push(Verdict::new(Rule::MaxPriceAge, limit, Decimal::from(age)));
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::margin;

    use crate::test_support::d;

    fn totals(per_request: &str, per_month: &str) -> Totals {
        Totals {
            cost_per_request: d(per_request),
            cost_per_request_p95: d(per_request),
            requests_per_day: d("1"),
            requests_per_month: d("30"),
            cost_per_day: d("1"),
            cost_per_month: d(per_month),
            cost_per_month_p95: d(per_month),
            users: None,
            cost_per_user_per_month: None,
            margin: margin(d("10000"), d("2000"), d(per_month)),
            days_per_month: d("30"),
            floors: Vec::new(),
        }
    }

    #[test]
    fn limits_are_inclusive_and_exact() {
        let budget = Budget {
            max_monthly_spend: Some(d("3000")),
            max_cost_per_request: Some(d("0.002")),
            ..Budget::default()
        };
        assert!(
            judge(&budget, &totals("0.002", "3000.00"), None, None)
                .iter()
                .all(|v| v.ok)
        );
        let over = judge(
            &budget,
            &totals("0.0020000001", "3000.0000000001"),
            None,
            None,
        );
        assert!(over.iter().all(|v| !v.ok));
    }

    #[test]
    fn margin_rules() {
        let budget = Budget {
            min_gross_margin: Some(d("0.5")),
            max_margin_drop: Some(d("0.1")),
            ..Budget::default()
        };
        // revenue 10000, other 2000: before 0.8; AI 1000 → after 0.7, drop 0.1
        let v = judge(&budget, &totals("0.1", "1000"), None, None);
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|v| v.ok), "{v:?}");
        assert_eq!(v[0].headroom(), d("0.2"));
        let v = judge(&budget, &totals("0.1", "1001"), None, None);
        assert!(!v[1].ok);
        assert_eq!(v[1].actual, d("0.1001"));
        assert_eq!(v[1].headroom(), d("-0.0001"));
    }

    #[test]
    fn headroom_and_overshoot() {
        let budget = Budget {
            max_monthly_spend: Some(d("3000")),
            ..Budget::default()
        };
        let v = &judge(&budget, &totals("1", "3412"), None, None)[0];
        assert_eq!(
            (v.ok, v.headroom(), v.headroom_ratio()),
            (false, d("-412"), Some(d("-0.1373333333333333333333333333")))
        );
    }

    #[test]
    fn stale_prices_break_a_price_age_limit() {
        let budget = Budget {
            max_price_age: Some(d("180")),
            ..Budget::default()
        };
        assert!(judge(&budget, &totals("1", "1"), None, Some(180))[0].ok);
        let v = &judge(&budget, &totals("1", "1"), None, Some(181))[0];
        assert_eq!(
            (v.rule, v.ok, v.headroom()),
            (Rule::MaxPriceAge, false, d("-1"))
        );
    }

    #[test]
    fn increase_over_a_baseline() {
        let budget = Budget {
            max_increase: Some(d("0.1")),
            ..Budget::default()
        };
        let base = Some(Baseline {
            cost_per_month: d("1000"),
        });
        let v = judge(&budget, &totals("1", "1100"), base, None);
        assert_eq!((v[0].actual, v[0].ok), (d("0.1"), true));
        let v = judge(&budget, &totals("1", "1100.01"), base, None);
        assert!(!v[0].ok);
        assert_eq!(increase(d("0"), d("0")), d("0"));
        assert_eq!(increase(d("0"), d("5")), d("1"));
        assert!(
            judge(&budget, &totals("1", "1"), None, None).is_empty(),
            "no baseline, no verdict"
        );
    }
}
