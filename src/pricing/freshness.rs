//! Whether a model's prices and the model itself are still current: prices
//! read too long ago, models retired or about to be.

use super::ModelPrice;

/// Stale prices and retired models, said once per model.
pub fn model_warnings(models: &[&ModelPrice], max_age_days: i64) -> Vec<String> {
    let today = crate::date::Date::today();
    let mut out = Vec::new();
    for m in models {
        let age = today - m.as_of;
        if age > max_age_days {
            out.push(format!(
                "prices for {} are {age} days old (as of {}); check {}",
                m.name, m.as_of, m.source
            ));
        }
        match m.deprecated {
            Some(day) if day <= today => out.push(format!(
                "{} was retired on {day}; the provider may no longer serve it",
                m.name
            )),
            Some(day) if day - today <= 90 => {
                out.push(format!("{} is scheduled to retire on {day}", m.name))
            }
            _ => {}
        }
    }
    out
}
