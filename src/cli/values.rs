//! The command line's values as people type them (`$3,000`, `75%`,
//! `2pt`, `traffic=3`, `FORMAT=FILE`), parsed exactly into what the program
//! needs. Each is a clap `value_parser`, so a bad value is a usage error
//! that names the flag.

use std::path::PathBuf;

use clap::ValueEnum;
use rust_decimal::Decimal;

use super::OutputTarget;
use crate::report::Format;

pub(super) fn parse_output(s: &str) -> Result<OutputTarget, String> {
    if let Some((prefix, path)) = s.split_once('=')
        && !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_alphanumeric())
    {
        // A bare word before `=` is a format, so a typo (`jsn=out.json`) is
        // an error rather than a file named `jsn=out.json`.
        let format = Format::from_str(prefix, true).map_err(|_| {
            format!(
                "unknown format `{prefix}`: use table, json, markdown or csv (a file whose name has `=` can be written as ./{s})"
            )
        })?;
        if path.is_empty() {
            return Err("no file name after `=`".into());
        }
        return Ok(OutputTarget {
            format,
            path: PathBuf::from(path),
        });
    }
    let path = PathBuf::from(s);
    Ok(OutputTarget {
        format: Format::from_extension(&path),
        path,
    })
}

/// A plain decimal, read exactly; `$`, `,` and `_` are allowed for readability.
pub(super) fn parse_money(s: &str) -> Result<Decimal, String> {
    let cleaned: String = s
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| !matches!(c, ',' | '_'))
        .collect();
    let v = crate::literal::exact_decimal(&cleaned).map_err(|e| {
        if e.contains("more digits") {
            e
        } else {
            format!("`{s}` is not a number")
        }
    })?;
    if v.is_sign_negative() {
        return Err(format!("`{s}` is negative"));
    }
    Ok(v)
}

/// A ratio within 0..1 under the one rule for ratios (`crate::ratio`):
/// `0.75` or `75%`; `suffix` is what a bare `75` is taken to mean in the hint.
pub(super) fn ratio_within_one(s: &str, suffix: &str) -> Result<Decimal, String> {
    let v = non_negative_ratio(s, suffix)?;
    if v > Decimal::ONE {
        return Err(format!("`{s}` is more than 100%"));
    }
    Ok(v)
}

pub(super) fn non_negative_ratio(s: &str, suffix: &str) -> Result<Decimal, String> {
    let v = crate::ratio::parse(s)?
        .unambiguous()
        .map_err(|a| format!("{} ({})", a.message(), a.help(suffix)))?;
    if v.is_sign_negative() && !v.is_zero() {
        return Err(format!("`{s}` is negative"));
    }
    Ok(v)
}

/// A ratio: `0.75` or `75%`.
pub(super) fn parse_ratio(s: &str) -> Result<Decimal, String> {
    ratio_within_one(s, "%")
}

/// Margin points: `0.02` or `2pt` (2 percentage points).
pub(super) fn parse_points(s: &str) -> Result<Decimal, String> {
    ratio_within_one(s, "pt")
}

/// A rise over a baseline: `0.1` or `10%`; above 100% only as a percentage.
pub(super) fn parse_increase(s: &str) -> Result<Decimal, String> {
    non_negative_ratio(s, "%")
}

pub(super) fn parse_root(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("`{s}` is not a folder"))
    }
}

pub(super) fn parse_set(s: &str) -> Result<(String, String), String> {
    let (path, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not PATH=VALUE, e.g. traffic.requests_per_day=60000"))?;
    if path.trim().is_empty() {
        return Err(format!("`{s}` has no path before `=`"));
    }
    Ok((path.trim().to_string(), value.to_string()))
}

pub(super) fn parse_scale(s: &str) -> Result<Decimal, String> {
    let (what, factor) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not traffic=FACTOR"))?;
    if what.trim() != "traffic" {
        return Err(format!(
            "only traffic can be scaled (`traffic=3`), not `{what}`; use --set for other values"
        ));
    }
    let f = parse_money(factor)?;
    if f.is_zero() {
        return Err("a scale factor of 0 removes all traffic".into());
    }
    if f > Decimal::from(1_000_000) {
        return Err(format!(
            "`{factor}` is more than a million times the traffic"
        ));
    }
    Ok(f)
}
