//! The arithmetic: token counts and prices → cost per run, per request, per
//! day, per month, per user, and the gross-margin impact. Pure functions over
//! plain values, in decimal: nothing here does I/O and nothing is rounded.

mod call;
mod conversation;

use rust_decimal::Decimal;

use crate::pricing::ModelPrice;
use crate::spec::{Economics, Revenue, Traffic, Volume};

pub use call::{
    CallError, CallEstimate, CallInput, Impossible, LegEstimate, Limit, Run, TierShare,
    combine_legs, estimate_call, estimate_conversation,
};
pub use conversation::{ConversationShape, history_tokens};

/// A product too large for an exact decimal (about 7.9 × 10²⁸).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// `a × b`, or `Overflow`.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// Requests per day and per month. Each is computed from what the user gave
/// without a round trip through the other, so `requests_per_month: 100000`
/// stays exactly 100000 a month. Checked: validation bounds each traffic
/// number, but not their product (a trillion users × a trillion requests).
pub fn requests(traffic: &Traffic) -> Result<(Decimal, Decimal), Overflow> {
    let days = traffic.days_per_month;
    Ok(match traffic.volume {
        Volume::PerDay(d) => (d, mul(d, days)?),
        Volume::PerMonth(m) => (m / days, m),
        Volume::Users {
            users,
            requests_per_user_per_day,
        } => {
            let per_day = mul(users, requests_per_user_per_day)?;
            (per_day, mul(per_day, days)?)
        }
    })
}

pub fn revenue_per_month(economics: &Economics, requests_per_month: Decimal) -> Decimal {
    match economics.revenue {
        Revenue::PerUserPerMonth(r) => r * economics.users.unwrap_or_default(),
        Revenue::PerRequest(r) => r * requests_per_month,
        Revenue::PerMonth(r) => r,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Margin {
    pub revenue_per_month: Decimal,
    pub other_cost_per_month: Decimal,
    pub before: Decimal,
    pub after: Decimal,
    pub change: Decimal,
}

/// Gross margin before and after the feature's AI cost; None without revenue.
pub fn margin(revenue: Decimal, other_cost: Decimal, ai_cost: Decimal) -> Option<Margin> {
    if revenue.is_zero() {
        return None;
    }
    let before = (revenue - other_cost) / revenue;
    let after = (revenue - other_cost - ai_cost) / revenue;
    Some(Margin {
        revenue_per_month: revenue,
        other_cost_per_month: other_cost,
        before,
        after,
        change: after - before,
    })
}

/// The floor of each self-hosted model in `used`: each deployment runs all
/// day whatever the traffic, at `SelfHosted::cost_per_day`, and serves the
/// token cost its calls' runs add up to at `requests_per_day`.
pub fn floors(
    calls: &[CallEstimate],
    used: &[&ModelPrice],
    requests_per_day: Decimal,
) -> Vec<Floor> {
    used.iter()
        .filter_map(|m| {
            let hosted = m.self_hosted.as_ref()?;
            let per_request: Decimal = calls
                .iter()
                .map(|c| {
                    if c.legs.is_empty() {
                        if c.serving.first_model() == m.name {
                            c.cost_per_request
                        } else {
                            Decimal::ZERO
                        }
                    } else {
                        c.legs
                            .iter()
                            .filter(|l| l.model == m.name)
                            .map(|l| l.weight * l.cost_per_run * c.runs_per_request)
                            .sum()
                    }
                })
                .sum();
            Some(Floor {
                model: m.name.clone(),
                per_day: hosted.cost_per_day(),
                served_per_day: per_request * requests_per_day,
            })
        })
        .collect()
}

/// A self-hosted deployment's cost a day whatever the traffic, and the token
/// cost of the traffic it serves now. It is paid in full while that token
/// cost is below it: the difference is idle capacity, fixed, and does not
/// grow with traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    pub model: String,
    pub per_day: Decimal,
    pub served_per_day: Decimal,
}

impl Floor {
    /// Idle capacity a day when traffic is `factor` times today's.
    pub fn idle_per_day_at(&self, factor: Decimal) -> Decimal {
        idle_capacity_per_day(self.per_day, self.served_per_day * factor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub cost_per_request: Decimal,
    pub cost_per_request_p95: Decimal,
    pub requests_per_day: Decimal,
    pub requests_per_month: Decimal,
    pub cost_per_day: Decimal,
    pub cost_per_month: Decimal,
    pub cost_per_month_p95: Decimal,
    pub users: Option<Decimal>,
    pub cost_per_user_per_month: Option<Decimal>,
    pub margin: Option<Margin>,
    pub days_per_month: Decimal,
    /// Self-hosted floors included in the costs above (see `Floor`).
    pub floors: Vec<Floor>,
}

/// The totals of a request's calls at the spec's traffic. Money is
/// multiplied before it is divided, so an exact figure prints exactly: with
/// `requests_per_month`, a day's cost is the month's divided by its days,
/// never a cost times a recurring requests-per-day fraction (59.999… for 60).
pub fn totals(
    calls: &[CallEstimate],
    traffic: &Traffic,
    economics: Option<&Economics>,
) -> Result<Totals, Overflow> {
    let cost_per_request: Decimal = calls.iter().map(|c| c.cost_per_request).sum();
    let cost_per_request_p95: Decimal = calls.iter().map(|c| c.cost_per_request_p95).sum();
    let (per_day, per_month) = requests(traffic)?;
    let days = traffic.days_per_month;
    let per_month_of = |per_request: Decimal| -> Result<Decimal, Overflow> {
        match traffic.volume {
            Volume::PerMonth(m) => mul(per_request, m),
            _ => mul(mul(per_request, per_day)?, days),
        }
    };
    let cost_per_month = per_month_of(cost_per_request)?;
    let cost_per_month_p95 = per_month_of(cost_per_request_p95)?;
    let cost_per_day = match traffic.volume {
        Volume::PerMonth(_) => cost_per_month / days,
        _ => mul(cost_per_request, per_day)?,
    };
    let users = economics.and_then(|e| e.users).or(match traffic.volume {
        Volume::Users { users, .. } => Some(users),
        _ => None,
    });
    let cost_per_user_per_month = users.filter(|u| !u.is_zero()).map(|u| cost_per_month / u);
    let margin = match economics {
        Some(e) => {
            let revenue = match e.revenue {
                Revenue::PerRequest(r) => mul(r, per_month)?,
                _ => revenue_per_month(e, per_month),
            };
            // Revenue and costs are each below 10²⁸; their differences fit.
            if revenue
                .checked_sub(e.other_cost_per_month)
                .and_then(|x| x.checked_sub(cost_per_month))
                .is_none()
            {
                return Err(Overflow);
            }
            margin(revenue, e.other_cost_per_month, cost_per_month)
        }
        None => None,
    };
    Ok(Totals {
        cost_per_request,
        cost_per_request_p95,
        requests_per_day: per_day,
        requests_per_month: per_month,
        cost_per_day,
        cost_per_month,
        cost_per_month_p95,
        users,
        cost_per_user_per_month,
        margin,
        days_per_month: days,
        floors: Vec::new(),
    })
}

/// Self-hosted GPUs cost the same busy or idle: where the tokens a
/// deployment serves cost less than keeping it running (`floor_per_day`),
/// the difference is idle capacity the feature pays for too.
pub fn idle_capacity_per_day(floor_per_day: Decimal, token_cost_per_day: Decimal) -> Decimal {
    (floor_per_day - token_cost_per_day).max(Decimal::ZERO)
}

/// Totals with self-hosted floors' idle capacity added: a fixed daily cost,
/// spread over the requests. The floors are kept so growth can tell fixed
/// from variable cost.
pub fn with_floors(t: &Totals, floors: Vec<Floor>) -> Result<Totals, Overflow> {
    let idle_per_day: Decimal = floors.iter().map(|f| f.idle_per_day_at(Decimal::ONE)).sum();
    let mut out = t.clone();
    if !idle_per_day.is_zero() {
        let per_request = if t.requests_per_day.is_zero() {
            Decimal::ZERO
        } else {
            idle_per_day / t.requests_per_day
        };
        let idle_per_month = mul(idle_per_day, t.days_per_month)?;
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(Overflow);
        out = t.with_cost_per_month(add(t.cost_per_month, idle_per_month)?);
        out.cost_per_day = add(out.cost_per_day, idle_per_day)?;
        out.cost_per_month_p95 = add(out.cost_per_month_p95, idle_per_month)?;
        out.cost_per_request += per_request;
        out.cost_per_request_p95 += per_request;
    }
    out.floors = floors;
    Ok(out)
}

impl Totals {
    /// The idle self-hosted capacity a day included in these totals.
    pub fn idle_per_day(&self) -> Decimal {
        self.idle_per_day_at(Decimal::ONE)
    }

    /// The idle capacity a day at `factor` times this traffic.
    pub fn idle_per_day_at(&self, factor: Decimal) -> Decimal {
        self.floors.iter().map(|f| f.idle_per_day_at(factor)).sum()
    }

    /// The same totals at another monthly AI cost: the cost per user and the
    /// margin after follow from it; revenue and other costs stay.
    pub fn with_cost_per_month(&self, cost_per_month: Decimal) -> Totals {
        let mut t = self.clone();
        t.cost_per_month = cost_per_month;
        t.cost_per_user_per_month = self
            .users
            .filter(|u| !u.is_zero())
            .map(|u| cost_per_month / u);
        t.margin = self
            .margin
            .as_ref()
            .and_then(|m| margin(m.revenue_per_month, m.other_cost_per_month, cost_per_month));
        t
    }
}

/// The traffic above which a self-hosted deployment (costing at least
/// `floor_per_day`, and `self_per_request` a request when busy) is cheaper
/// than an API at `api_per_request`; None if it never is.
pub fn break_even_requests_per_day(
    floor_per_day: Decimal,
    self_per_request: Decimal,
    api_per_request: Decimal,
) -> Option<Decimal> {
    (self_per_request < api_per_request && !api_per_request.is_zero())
        .then(|| floor_per_day / api_per_request)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    fn traffic(volume: Volume) -> Traffic {
        Traffic {
            volume,
            days_per_month: d("30"),
            growth_per_month: None,
        }
    }

    #[test]
    fn three_traffic_forms() {
        assert_eq!(
            requests(&traffic(Volume::PerDay(d("20000")))).unwrap(),
            (d("20000"), d("600000"))
        );
        let (per_day, per_month) = requests(&traffic(Volume::PerMonth(d("100000")))).unwrap();
        assert_eq!(per_month, d("100000"));
        assert_eq!(per_day.round_dp(6), d("3333.333333"));
        let users = Volume::Users {
            users: d("5000"),
            requests_per_user_per_day: d("4"),
        };
        assert_eq!(
            requests(&traffic(users)).unwrap(),
            (d("20000"), d("600000"))
        );
    }

    #[test]
    fn three_revenue_forms_and_margin() {
        let e = |revenue| Economics {
            users: Some(d("5000")),
            revenue,
            other_cost_per_month: d("18000"),
            grows_with_traffic: true,
        };
        assert_eq!(
            revenue_per_month(&e(Revenue::PerUserPerMonth(d("20"))), d("1")),
            d("100000")
        );
        assert_eq!(
            revenue_per_month(&e(Revenue::PerRequest(d("0.01"))), d("600000")),
            d("6000")
        );
        assert_eq!(
            revenue_per_month(&e(Revenue::PerMonth(d("42"))), d("1")),
            d("42")
        );
        let m = margin(d("100000"), d("18000"), d("355.2")).unwrap();
        assert_eq!(
            (m.before, m.after, m.change),
            (d("0.82"), d("0.816448"), d("-0.003552"))
        );
        assert_eq!(margin(d("0"), d("1"), d("1")), None);
    }

    #[test]
    fn self_hosted_floor_and_break_even() {
        assert_eq!(idle_capacity_per_day(d("119.52"), d("8.66")), d("110.86"));
        assert_eq!(idle_capacity_per_day(d("119.52"), d("200")), d("0"));
        // $119.52 a day against an API at $0.004 a request: 29,880 requests a day
        assert_eq!(
            break_even_requests_per_day(d("119.52"), d("0.002"), d("0.004")),
            Some(d("29880"))
        );
        assert_eq!(
            break_even_requests_per_day(d("119.52"), d("0.005"), d("0.004")),
            None
        );
    }
}
