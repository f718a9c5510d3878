//! Growth: month-by-month requests, spend and margin when traffic grows by a
//! steady rate, and the first month a budget breaks. Pure arithmetic.
//!
//! Growth multiplies requests. Where revenue is earned per request or per
//! user (users grow with traffic), revenue and the other costs of serving
//! those customers grow with it; a fixed `revenue_per_month` keeps revenue
//! and other costs as given, so the AI spend eats into the margin.

use rust_decimal::Decimal;

use crate::budget::{self, Rule};
use crate::estimate::{Margin, Totals};
use crate::spec::{Budget, Economics};

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

/// The months of a projection, or the first month whose figures are too
/// large to compute exactly.
pub fn project(
    totals: &Totals,
    economics: Option<&Economics>,
    budget: &Budget,
    growth: Decimal,
    months: u32,
    price_factor: &dyn Fn(u32) -> Decimal,
) -> Result<Vec<Month>, u32> {
    let grows_with_customers = economics.is_some_and(|e| e.grows_with_traffic);
    // Only the variable cost grows with traffic; a self-hosted floor stays
    // what it costs, and its idle part shrinks as traffic fills it.
    let days = totals.days_per_month;
    let idle_now = totals.idle_per_day() * days;
    let variable = totals.cost_per_month - idle_now;
    let mut out = Vec::new();
    let mut factor = Decimal::ONE;
    for month in 1..=months {
        if month > 1 {
            factor = factor.checked_mul(Decimal::ONE + growth).ok_or(month)?;
        }
        let grown = |v: Decimal| v.checked_mul(factor).ok_or(month);
        // A month priced after a scheduled change bills its tokens at the
        // new prices: `price_factor` is that month's spend per request over
        // month 1's.
        let cost_per_month = grown(variable.checked_mul(price_factor(month)).ok_or(month)?)?
            .checked_add(totals.idle_per_day_at(factor) * days)
            .ok_or(month)?;
        // The month's totals, judged by the same rules as any estimate.
        let customers = if grows_with_customers {
            factor
        } else {
            Decimal::ONE
        };
        let mut month_totals = totals.clone();
        month_totals.requests_per_month = grown(totals.requests_per_month)?;
        month_totals.margin = match totals.margin.as_ref() {
            Some(m) => Some(Margin {
                revenue_per_month: m.revenue_per_month.checked_mul(customers).ok_or(month)?,
                other_cost_per_month: m.other_cost_per_month.checked_mul(customers).ok_or(month)?,
                ..m.clone()
            }),
            None => None,
        };
        let month_totals = month_totals.with_cost_per_month(cost_per_month);
        let broken = budget::judge(budget, &month_totals, None, None)
            .into_iter()
            .filter(|v| !v.ok)
            .map(|v| v.rule)
            .collect();
        out.push(Month {
            month,
            requests_per_month: month_totals.requests_per_month,
            cost_per_month: month_totals.cost_per_month,
            margin_after: month_totals.margin.as_ref().map(|m| m.after),
            broken,
        });
    }
    Ok(out)
}

/// The first month that breaks any budget.
pub fn first_broken(months: &[Month]) -> Option<&Month> {
    months.iter().find(|m| !m.broken.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::margin;
    use crate::spec::Revenue;

    use crate::test_support::d;

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
            days_per_month: d("30"),
            floors: Vec::new(),
        };
        let economics = Economics {
            users: Some(d("100")),
            revenue: Revenue::PerUserPerMonth(d("10")),
            other_cost_per_month: d("500"),
            grows_with_traffic: true,
        };
        let budget = Budget {
            max_monthly_spend: Some(d("40")),
            ..Budget::default()
        };
        let months = project(&totals, Some(&economics), &budget, d("0.1"), 5, &|_| {
            Decimal::ONE
        })
        .unwrap();
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
        // revenue and other costs that stay as given (grows_with_traffic:
        // false, the default for a fixed revenue_per_month): the AI spend
        // eats into the margin
        let fixed = Economics {
            revenue: Revenue::PerMonth(d("1000")),
            grows_with_traffic: false,
            ..economics
        };
        let months = project(
            &totals,
            Some(&fixed),
            &Budget::default(),
            d("0.1"),
            3,
            &|_| Decimal::ONE,
        )
        .unwrap();
        assert_eq!(
            months[2].margin_after,
            Some((d("1000") - d("500") - d("36.3")) / d("1000"))
        );
    }
}
