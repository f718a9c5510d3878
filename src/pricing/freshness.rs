//! Whether a model's prices and the model itself are still current: prices
//! read too long ago, models retired or about to be.

use super::ModelPrice;
use crate::date::Date;
use crate::notes::Note;

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

/// What the prices used warn of: prices older than `max_age_days`, models
/// retired or retiring soon.
pub fn model_notes(models: &[&ModelPrice], max_age_days: i64) -> Vec<Note> {
    let today = Date::today();
    let mut out = Vec::new();
    for m in models {
        let age = today - m.as_of;
        if age > max_age_days {
            out.push(Note::StalePrices {
                model: m.name.clone(),
                age_days: age,
                as_of: m.as_of.to_string(),
                source: m.source.clone(),
            });
        }
        match retirement(m, today) {
            Some(Retirement::Retired(day)) => out.push(Note::Retired {
                model: m.name.clone(),
                on: day.to_string(),
            }),
            Some(Retirement::Retiring(day)) => out.push(Note::Retiring {
                model: m.name.clone(),
                on: day.to_string(),
            }),
            None => {}
        }
    }
    out
}
