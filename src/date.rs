//! Calendar dates as days since 1970-01-01, enough to read `as_of` and
//! `deprecated` dates and tell how old a price is, without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date, parsed once from its `YYYY-MM-DD` text where it is read
/// (a pricing file's `as_of` and `deprecated`), and shown the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(i64);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        parse(text).map(Date)
    }

    /// The day `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        Date(days)
    }

    /// Today (UTC), or `LLM_COST_TODAY`.
    pub fn today() -> Date {
        Date(today())
    }

    /// The first day of the month `months` calendar months after this
    /// day's (0: this day's own month).
    pub fn month_start(self, months: u32) -> Date {
        let text = format(self.0);
        let y: i64 = text[0..4].parse().unwrap_or(1970);
        let m: i64 = text[5..7].parse().unwrap_or(1);
        let index = y * 12 + (m - 1) + i64::from(months);
        Date(days_from_civil(
            index.div_euclid(12),
            index.rem_euclid(12) + 1,
            1,
        ))
    }
}

/// Days from `b` to `a`.
impl std::ops::Sub for Date {
    type Output = i64;

    fn sub(self, b: Date) -> i64 {
        self.0 - b.0
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&format(self.0))
    }
}

/// Days since the epoch of a `YYYY-MM-DD` date, or None if it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// The day `--today` pins, for the whole run.
static PINNED: std::sync::OnceLock<i64> = std::sync::OnceLock::new();

/// Pins today (`--today`): retirement and price-age warnings, and the
/// budget rule on stale prices, are judged as of this day.
pub fn pin_today(day: Date) {
    let _ = PINNED.set(day.0);
}

/// Today (UTC): `--today`, else `LLM_COST_TODAY=YYYY-MM-DD`, else the
/// clock; pinned for reproducible reports.
pub fn today() -> i64 {
    if let Some(day) = PINNED.get() {
        return *day;
    }
    if let Some(day) = std::env::var("LLM_COST_TODAY").ok().and_then(|t| parse(&t)) {
        return day;
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (secs / 86_400) as i64
}

/// `YYYY-MM-DD` of a day since the epoch (Hinnant's civil_from_days).
pub fn format(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_starts_roll_over_years() {
        let day = Date::parse("2026-11-27").unwrap();
        assert_eq!(day.month_start(0).to_string(), "2026-11-01");
        assert_eq!(day.month_start(2).to_string(), "2027-01-01");
        assert_eq!(day.month_start(14).to_string(), "2028-01-01");
    }

    #[test]
    fn parses_dates() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(
            parse("2026-11-20").unwrap() - parse("2026-05-24").unwrap(),
            180
        );
        assert_eq!(
            parse("2024-02-29").unwrap() + 1,
            parse("2024-03-01").unwrap()
        );
        assert_eq!(parse("2026-02-29"), None);
        assert_eq!(parse("yesterday"), None);
        for day in ["1970-01-01", "2024-02-29", "2026-11-27", "2000-12-31"] {
            assert_eq!(format(parse(day).unwrap()), day);
        }
    }
}
