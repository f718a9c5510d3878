//! `reconcile` in every format: per call, each figure as the spec predicts
//! it and as production shows it, with its drift; the feature's cost per
//! request, day and month; records that match no call; the `--set`s that
//! calibrate the spec.

use rust_decimal::Decimal;

use super::format::{count, percent, tokens, usd};
use super::verdict::signed_percent;
use crate::reconcile::{CallRow, Figure, Reconciliation};

/// How a figure is written for people.
#[derive(Clone, Copy)]
enum Unit {
    Tokens,
    Runs,
    Share,
    Usd,
}

fn show(v: Option<Decimal>, unit: Unit) -> String {
    match v {
        None => "—".into(),
        Some(v) => match unit {
            Unit::Tokens => tokens(v),
            Unit::Runs => super::format::fixed(v, 2),
            Unit::Share => percent(v),
            Unit::Usd => usd(v),
        },
    }
}

fn drift(f: &Figure) -> String {
    f.drift().map(signed_percent).unwrap_or_else(|| "—".into())
}

/// One figure of a call: its name for people, its JSON key, the figure
/// and its unit.
struct Named<'a> {
    label: &'static str,
    figure: &'a Figure,
    unit: Unit,
}

fn figures(c: &CallRow) -> Vec<Named<'_>> {
    let named = |label, figure, unit| Named {
        label,
        figure,
        unit,
    };
    vec![
        named("runs per request", &c.runs_per_request, Unit::Runs),
        named("input", &c.input, Unit::Tokens),
        named("input p95", &c.input_p95, Unit::Tokens),
        named("cached input", &c.cached, Unit::Tokens),
        named("cache writes", &c.cache_write, Unit::Tokens),
        named("output", &c.output, Unit::Tokens),
        named("output p95", &c.output_p95, Unit::Tokens),
        named("reasoning", &c.reasoning, Unit::Tokens),
        named("cached share", &c.cached_share, Unit::Share),
        named("cache hit rate", &c.hit_rate, Unit::Share),
        named("cost per run", &c.cost_per_run, Unit::Usd),
        named("cost per request", &c.cost_per_request, Unit::Usd),
    ]
}

pub const HEADER: [&str; 5] = ["call", "figure", "spec", "observed", "drift"];

/// One row per call and figure, for people (table, markdown).
pub fn rows(r: &Reconciliation) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for c in &r.calls {
        for (i, f) in figures(c).into_iter().enumerate() {
            out.push(vec![
                if i == 0 {
                    c.call.clone()
                } else {
                    String::new()
                },
                f.label.to_string(),
                show(f.figure.predicted, f.unit),
                show(f.figure.observed, f.unit),
                drift(f.figure),
            ]);
        }
    }
    out
}

/// The feature's totals: per request, day and month.
pub fn totals(r: &Reconciliation) -> Vec<Vec<String>> {
    [
        ("Per request", &r.cost_per_request),
        ("Per day", &r.cost_per_day),
        ("Per month", &r.cost_per_month),
    ]
    .into_iter()
    .map(|(name, f)| {
        vec![
            name.to_string(),
            show(f.predicted, Unit::Usd),
            show(f.observed, Unit::Usd),
            drift(f),
        ]
    })
    .collect()
}

pub fn title(r: &Reconciliation) -> String {
    let span = r
        .span_days
        .map(|d| format!(" over {} days", d.round_dp(1).normalize()))
        .unwrap_or_default();
    format!(
        "{} — spec against {} usage records{span} ({})",
        r.feature,
        count(Decimal::from(r.records)),
        r.spec
    )
}

pub fn unattributed_rows(r: &Reconciliation) -> Vec<Vec<String>> {
    r.unattributed
        .iter()
        .map(|u| {
            vec![
                u.model.clone(),
                count(Decimal::from(u.runs)),
                match u.cost {
                    Some(c) => usd(c),
                    None => "not priced: unknown model".into(),
                },
            ]
        })
        .collect()
}

/// One CSV row per call and figure, then the totals (call `feature`).
pub fn csv_rows(r: &Reconciliation) -> Vec<[String; 6]> {
    let plain = |v: Option<Decimal>| v.map(|v| v.normalize().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for c in &r.calls {
        for f in figures(c) {
            out.push([
                r.spec.clone(),
                c.call.clone(),
                f.label.to_string(),
                plain(f.figure.predicted),
                plain(f.figure.observed),
                plain(f.figure.drift()),
            ]);
        }
    }
    for (name, f) in [
        ("cost per request", &r.cost_per_request),
        ("cost per day", &r.cost_per_day),
        ("cost per month", &r.cost_per_month),
    ] {
        out.push([
            r.spec.clone(),
            "feature".into(),
            name.into(),
            plain(f.predicted),
            plain(f.observed),
            plain(f.drift()),
        ]);
    }
    out
}
