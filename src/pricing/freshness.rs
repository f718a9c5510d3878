//! Whether a model's prices and the model itself are still current: prices
//! read too long ago, models retired or about to be.

use super::ModelPrice;
use crate::date::Date;

/// A model this close to its retirement is marked wherever it is offered,
/// and never proposed: a change made now would need undoing within a quarter.
pub const RETIRING_WITHIN_DAYS: i64 = 90;

/// Where a model stands against its provider's retirement date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retirement {
    /// Retired on that day: the provider may no longer serve it.
    Retired(Date),
    /// Retires on that day, within `RETIRING_WITHIN_DAYS`.
    Retiring(Date),
}

impl std::fmt::Display for Retirement {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Retirement::Retired(day) => write!(f, "retired {day}"),
            Retirement::Retiring(day) => write!(f, "retires {day}"),
        }
    }
}

/// The model's retirement as of `today`, where it is past or near.
pub fn retirement(m: &ModelPrice, today: Date) -> Option<Retirement> {
    let day = m.deprecated?;
    if m.retired(today) {
        Some(Retirement::Retired(day))
    } else {
        (day - today <= RETIRING_WITHIN_DAYS).then_some(Retirement::Retiring(day))
    }
}

/// Stale prices and retired models, said once per model.
pub fn model_warnings(models: &[&ModelPrice], max_age_days: i64) -> Vec<String> {
    let today = Date::today();
    let mut out = Vec::new();
    for m in models {
        let age = today - m.as_of;
        if age > max_age_days {
            out.push(format!(
                "prices for {} are {age} days old (as of {}); check {}",
                m.name, m.as_of, m.source
            ));
        }
        match retirement(m, today) {
            Some(Retirement::Retired(day)) => out.push(format!(
                "{} was retired on {day}; the provider may no longer serve it",
                m.name
            )),
            Some(Retirement::Retiring(day)) => {
                out.push(format!("{} is scheduled to retire on {day}", m.name))
            }
            None => {}
        }
    }
    out
}
