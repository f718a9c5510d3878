//! Budget verdicts: the spec's limits judged against an estimate. A limit is
//! inclusive and exact: a budget of $3000 is kept by a cost of $3000.00.

use rust_decimal::Decimal;

use crate::estimate::Totals;
use crate::spec::Budget;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The budget key as written in the spec, e.g. `max_monthly_spend`.
    pub rule: &'static str,
    pub limit: Decimal,
    pub actual: Decimal,
    pub ok: bool,
}

pub fn judge(budget: &Budget, totals: &Totals) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    if let Some(limit) = budget.max_cost_per_request {
        let actual = totals.cost_per_request;
        verdicts.push(Verdict {
            rule: "max_cost_per_request",
            limit,
            actual,
            ok: actual <= limit,
        });
    }
    if let Some(limit) = budget.max_monthly_spend {
        let actual = totals.cost_per_month;
        verdicts.push(Verdict {
            rule: "max_monthly_spend",
            limit,
            actual,
            ok: actual <= limit,
        });
    }
    if let (Some(limit), Some(m)) = (budget.min_gross_margin, &totals.margin) {
        verdicts.push(Verdict {
            rule: "min_gross_margin",
            limit,
            actual: m.after,
            ok: m.after >= limit,
        });
    }
    if let (Some(limit), Some(m)) = (budget.max_margin_drop, &totals.margin) {
        let drop = m.before - m.after;
        verdicts.push(Verdict {
            rule: "max_margin_drop",
            limit,
            actual: drop,
            ok: drop <= limit,
        });
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::margin;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

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
            judge(&budget, &totals("0.002", "3000.00"))
                .iter()
                .all(|v| v.ok)
        );
        let over = judge(&budget, &totals("0.0020000001", "3000.0000000001"));
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
        let v = judge(&budget, &totals("0.1", "1000"));
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|v| v.ok), "{v:?}");
        let v = judge(&budget, &totals("0.1", "1001"));
        assert!(!v[1].ok);
        assert_eq!(v[1].actual, d("0.1001"));
    }
}
