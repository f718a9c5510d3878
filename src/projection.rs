//! Growth: month-by-month requests, spend and margin when traffic grows by a
//! steady rate, and the first month a budget breaks. Pure arithmetic.
//!
//! Growth multiplies requests. Where revenue is earned per request or per
//! user (users grow with traffic), revenue and the other costs of serving
//! those customers grow with it; a fixed `revenue_per_month` keeps revenue
//! and other costs as given, so the AI spend eats into the margin.

use rust_decimal::Decimal;

use crate::budget::Rule;
use crate::estimate::Totals;
use crate::spec::{Budget, Economics, Revenue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// 1 is the month the estimate describes.
    pub month: u32,
    pub requests_per_month: Decimal,
    pub cost_per_month: Decimal,
    pub margin_after: Option<Decimal>,
    /// The budget rules this month breaks.
    pub broken: Vec<Rule>,
}

pub fn project(
    totals: &Totals,
    economics: Option<&Economics>,
    budget: &Budget,
    growth: Decimal,
    months: u32,
) -> Vec<Month> {
    let mut out = Vec::new();
    let mut factor = Decimal::ONE;
    let step = Decimal::ONE + growth;
    for month in 1..=months {
        if month > 1 {
            factor *= step;
        }
        let requests = totals.requests_per_month * factor;
        let cost = totals.cost_per_month * factor;
        let scales = economics.is_some_and(|e| !matches!(e.revenue, Revenue::PerMonth(_)));
        let with_customers = if scales { factor } else { Decimal::ONE };
        let revenue = totals
            .margin
            .as_ref()
            .map(|m| m.revenue_per_month * with_customers);
        let other = economics
            .map(|e| e.other_cost_per_month)
            .unwrap_or_default()
            * with_customers;
        let margins = revenue
            .filter(|r| !r.is_zero())
            .map(|r| ((r - other) / r, (r - other - cost) / r));
        let mut broken = Vec::new();
        if budget
            .max_cost_per_request
            .is_some_and(|l| totals.cost_per_request > l)
        {
            broken.push(Rule::MaxCostPerRequest);
        }
        if budget.max_monthly_spend.is_some_and(|l| cost > l) {
            broken.push(Rule::MaxMonthlySpend);
        }
        if let Some((before, after)) = margins {
            if budget.min_gross_margin.is_some_and(|l| after < l) {
                broken.push(Rule::MinGrossMargin);
            }
            if budget.max_margin_drop.is_some_and(|l| before - after > l) {
                broken.push(Rule::MaxMarginDrop);
            }
        }
        out.push(Month {
            month,
            requests_per_month: requests,
            cost_per_month: cost,
            margin_after: margins.map(|(_, a)| a),
            broken,
        });
    }
    out
}

/// The first month that breaks any budget.
pub fn first_broken(months: &[Month]) -> Option<&Month> {
    months.iter().find(|m| !m.broken.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::margin;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn compounds_monthly_and_finds_the_first_broken_month() {
        let totals = Totals {
            cost_per_request: d("0.001"),
            cost_per_request_p95: d("0.001"),
            requests_per_day: d("1000"),
            requests_per_month: d("30000"),
            cost_per_day: d("1"),
            cost_per_month: d("30"),
            cost_per_month_p95: d("30"),
            users: Some(d("100")),
            cost_per_user_per_month: Some(d("0.3")),
            margin: margin(d("1000"), d("500"), d("30")),
        };
        let economics = Economics {
            users: Some(d("100")),
            revenue: Revenue::PerUserPerMonth(d("10")),
            other_cost_per_month: d("500"),
        };
        let budget = Budget {
            max_monthly_spend: Some(d("40")),
            ..Budget::default()
        };
        let months = project(&totals, Some(&economics), &budget, d("0.1"), 5);
        assert_eq!(months[0].cost_per_month, d("30"));
        assert_eq!(months[2].cost_per_month, d("36.3")); // 30 × 1.1²
        assert_eq!(months[3].requests_per_month, d("39930")); // 30000 × 1.1³
        assert_eq!(months[3].cost_per_month, d("39.93"));
        assert!(months[3].broken.is_empty());
        assert_eq!(months[4].cost_per_month, d("43.923"));
        assert_eq!(first_broken(&months).map(|m| m.month), Some(5));
        // revenue per user and other costs grow with traffic: month 3 revenue
        // 1210, other costs 605, so the margin holds
        assert_eq!(
            months[2].margin_after,
            Some((d("1210") - d("605") - d("36.3")) / d("1210"))
        );
        assert_eq!(months[2].margin_after, months[0].margin_after);
        // with a fixed revenue the AI spend eats into it
        let fixed = Economics {
            revenue: Revenue::PerMonth(d("1000")),
            ..economics
        };
        let months = project(&totals, Some(&fixed), &Budget::default(), d("0.1"), 3);
        assert_eq!(
            months[2].margin_after,
            Some((d("1000") - d("500") - d("36.3")) / d("1000"))
        );
    }
}
