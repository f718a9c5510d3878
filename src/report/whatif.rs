//! What-ifs as rows of text (alternatives side by side, the growth
//! projection with its bars), shared by the table, markdown and CSV renderers.

use rust_decimal::Decimal;

use super::format::{count, percent, tokens, usd};
use super::text::change_text;
use super::verdict::label;
use crate::diff::Change;
use crate::pipeline::Estimate;
use crate::projection::{self, Month};
use crate::whatif::{self, Alternatives, BreakEven, Kind};

pub const ALTERNATIVE_HEADER: [&str; 7] = [
    "",
    "input/request",
    "cost/request",
    "per month",
    "margin after",
    "change vs base",
    "budgets",
];

pub fn title(alts: &Alternatives, base: &Estimate) -> String {
    match alts.kind {
        Kind::Model => format!(
            "What if — other models (base {}: {}/month)",
            base.model,
            usd(alts.base_cost_per_month)
        ),
        Kind::Scenario => format!(
            "What if — scenarios (base: {}/month)",
            usd(alts.base_cost_per_month)
        ),
    }
}

pub fn first_column(alts: &Alternatives) -> &'static str {
    match alts.kind {
        Kind::Model => "model",
        Kind::Scenario => "scenario",
    }
}

/// One row per alternative; the cheapest that keeps every budget gets ★.
pub fn alternative_rows(alts: &Alternatives, base: &Estimate) -> Vec<Vec<String>> {
    let cheapest = alts.cheapest_within_budget();
    let mut rows = vec![base_row(base, alts)];
    for (i, a) in alts.rows.iter().enumerate() {
        let star = if cheapest == Some(i) { "★ " } else { "" };
        let label_text = match a.break_even {
            Some(BreakEven::Above(r)) => format!(
                "{star}{} (self-hosted: cheaper above {} req/day)",
                a.label,
                count(r.round_dp(0))
            ),
            Some(BreakEven::Never) => format!("{star}{} (self-hosted: never cheaper)", a.label),
            None => format!("{star}{}", a.label),
        };
        let label_text = match a.retirement {
            Some(r) => format!("{label_text} ({r})"),
            None => label_text,
        };
        rows.push(match &a.outcome {
            Ok(r) => figures(label_text, r, alts),
            Err(e) => vec![
                label_text,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                e.clone(),
            ],
        });
    }
    rows
}

fn base_row(base: &Estimate, alts: &Alternatives) -> Vec<String> {
    let name = match alts.kind {
        Kind::Model => format!("{} (base)", base.model),
        Kind::Scenario => "(base)".to_string(),
    };
    let mut row = figures(name, base, alts);
    row[5] = "—".into();
    row
}

fn figures(label_text: String, r: &Estimate, alts: &Alternatives) -> Vec<String> {
    let approx = if r.calls.iter().any(|c| c.tokens_estimated) {
        "≈"
    } else {
        ""
    };
    let change = Change {
        base: alts.base_cost_per_month,
        head: r.totals.cost_per_month,
    };
    vec![
        label_text,
        format!("{approx}{}", tokens(whatif::input_tokens_per_request(r))),
        usd(r.totals.cost_per_request),
        usd(r.totals.cost_per_month),
        r.totals
            .margin
            .as_ref()
            .map(|m| percent(m.after))
            .unwrap_or_else(|| "—".into()),
        change_text(&change),
        budgets(r),
    ]
}

/// `ok`, `no budget`, or the broken rules; and whether reasoning a
/// reasoning model bills is left out.
pub fn budgets(r: &Estimate) -> String {
    let verdict = verdict(r);
    if r.reasoning_uncounted().is_empty() {
        verdict
    } else {
        format!("{verdict} · reasoning not counted")
    }
}

fn verdict(r: &Estimate) -> String {
    if r.budget.is_empty() {
        return "no budget".into();
    }
    let broken: Vec<&str> = r
        .budget
        .iter()
        .filter(|v| !v.ok)
        .map(|v| label(v.rule))
        .collect();
    if broken.is_empty() {
        "ok".into()
    } else {
        format!("✗ {}", broken.join(", "))
    }
}

pub const PROJECTION_HEADER: [&str; 5] = ["month", "requests", "spend", "margin", ""];

/// One row per month, with a bar for spend and the first broken month marked.
pub fn projection_rows(r: &Estimate, ascii: bool) -> Vec<Vec<String>> {
    let max = r
        .projection
        .iter()
        .map(|m| m.cost_per_month)
        .max()
        .unwrap_or_default();
    let first = projection::first_broken(&r.projection).map(|m| m.month);
    r.projection
        .iter()
        .map(|m| {
            let mut note = String::new();
            if !m.broken.is_empty() {
                let rules: Vec<&str> = m.broken.iter().map(|rule| label(*rule)).collect();
                note = format!(" ✗ {}", rules.join(", "));
                if first == Some(m.month) {
                    note.push_str(if ascii {
                        "  <- first month over budget"
                    } else {
                        "  ◀ first month over budget"
                    });
                }
            }
            vec![
                m.month.to_string(),
                count(m.requests_per_month.round_dp(0)),
                usd(m.cost_per_month),
                m.margin_after.map(percent).unwrap_or_else(|| "—".into()),
                format!("{}{note}", bar(m, max, ascii)),
            ]
        })
        .collect()
}

const WIDTH: u32 = 24;

/// Spend as a bar, in eighths of a block (or `#` for ASCII).
fn bar(m: &Month, max: Decimal, ascii: bool) -> String {
    if max.is_zero() {
        return String::new();
    }
    let eighths = (m.cost_per_month / max * Decimal::from(WIDTH * 8)).round();
    let eighths = u32::try_from(eighths).unwrap_or(0).max(1);
    if ascii {
        return "#".repeat(eighths.div_ceil(8) as usize);
    }
    let parts = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    format!(
        "{}{}",
        "█".repeat((eighths / 8) as usize),
        parts[(eighths % 8) as usize]
    )
}

pub fn projection_title(r: &Estimate) -> String {
    let g = r.growth_per_month.unwrap_or_default();
    let margin = match r.grows_with_traffic {
        Some(true) => "; revenue and other costs grow with it (economics.grows_with_traffic)",
        Some(false) => {
            "; revenue and other costs stay as given (economics.grows_with_traffic: false)"
        }
        None => "",
    };
    format!(
        "Growth — traffic {} a month, {} months{margin}",
        super::verdict::signed_percent(g),
        r.projection.len()
    )
}
