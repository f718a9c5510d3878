//! What-if analysis: the same spec on other models, or in other scenarios,
//! side by side with the base estimate. Every variant, whatever asked for
//! it (`--compare`, `--scenarios`, `--set`, a suggestion), takes one path:
//! a change to the spec's *document*, which is then loaded, validated and
//! estimated like any spec. So a compared model that cannot serve a call
//! (no batch prices, say) is a validation error in its own row.

mod targets;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::notes::{Level, Note};
use crate::pipeline::{self, Estimate};
use crate::pricing::PriceTable;
use crate::spec::{Overrides, SpecSource};

pub use targets::{Targets, compare_targets};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Model,
    Scenario,
}

/// One alternative world: its label and its estimate (or why there is none).
#[derive(Debug, Clone)]
pub struct Alternative {
    pub label: String,
    pub outcome: std::result::Result<Estimate, String>,
    /// For a self-hosted model: where it becomes cheaper than the base.
    pub break_even: Option<BreakEven>,
    /// A compared model that is retired or retiring soon: shown where it
    /// was named, never starred as the choice.
    pub retirement: Option<crate::pricing::Retirement>,
}

/// The traffic at which a self-hosted alternative beats the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakEven {
    /// Cheaper above this many requests a day.
    Above(Decimal),
    /// Never cheaper: each request costs more than the base's even when busy.
    Never,
}

/// Break-even traffic of a self-hosted alternative against the base: its
/// GPU floors against the base's cost per request.
pub fn break_even(alt: &Estimate, base: &Estimate) -> Option<BreakEven> {
    let floor: Decimal = alt.totals.floors.iter().map(|f| f.per_day).sum();
    if floor.is_zero() {
        return None;
    }
    let busy_per_request = if alt.totals.requests_per_day.is_zero() {
        alt.totals.cost_per_request
    } else {
        alt.totals.cost_per_request - alt.totals.idle_per_day() / alt.totals.requests_per_day
    };
    Some(
        match crate::estimate::break_even_requests_per_day(
            floor,
            busy_per_request,
            base.totals.cost_per_request,
        ) {
            Some(r) => BreakEven::Above(r),
            None => BreakEven::Never,
        },
    )
}

/// Loads the spec's `source` with `overrides` and estimates it: the one
/// path of every variant. The source was read once; no variant reads it again.
pub fn estimate_variant(
    source: &SpecSource,
    prices: &PriceTable,
    overrides: &Overrides,
    options: pipeline::Options,
) -> Result<Estimate> {
    source
        .load(prices, overrides)
        .and_then(|s| pipeline::estimate(&s, prices, options, None))
}

/// `base` with `model` as the spec's default model: calls without a model
/// of their own use it. The spec's own `compare:` is dropped (a variant is
/// not compared again).
pub fn model_variant(base: &Overrides, model: &str) -> Overrides {
    let mut o = base.clone();
    o.sets.push(("model".into(), model.into()));
    o.sets.push(("compare".into(), "[]".into()));
    o
}

/// The spec on each of the `targets`, beside `base` (the spec as it
/// stands); `top`: only the N cheapest.
pub fn models(
    source: &SpecSource,
    prices: &PriceTable,
    overrides: &Overrides,
    options: pipeline::Options,
    base: &Estimate,
    targets: &Targets,
    top: Option<u32>,
) -> Alternatives {
    let base_cost = base.totals.cost_per_month;
    let today = crate::date::Date::today();
    let mut rows: Vec<Alternative> = targets
        .models
        .iter()
        .filter(|m| **m != base.model)
        .map(|m| {
            let outcome = estimate_variant(
                source,
                prices,
                &model_variant(overrides, m),
                options.clone(),
            )
            .map_err(|e| first_line(&e));
            let break_even = outcome.as_ref().ok().and_then(|r| break_even(r, base));
            Alternative {
                label: m.clone(),
                outcome,
                break_even,
                retirement: prices
                    .get(m)
                    .and_then(|p| crate::pricing::retirement(p, today)),
            }
        })
        .collect();
    if targets.cheaper_only {
        rows.retain(|a| {
            a.outcome
                .as_ref()
                .is_ok_and(|r| r.totals.cost_per_month < base_cost)
        });
    }
    if targets.grouped || top.is_some() {
        // Cheapest first; a model that cannot serve the spec last.
        rows.sort_by_key(|a| match &a.outcome {
            Ok(r) => (0, r.totals.cost_per_month),
            Err(_) => (1, Decimal::ZERO),
        });
    }
    if let Some(n) = top {
        rows.truncate(n as usize);
    }
    Alternatives {
        kind: Kind::Model,
        base_cost_per_month: base_cost,
        rows,
    }
}

/// The spec in each of its `scenarios`, beside `base`.
pub fn scenarios(
    source: &SpecSource,
    prices: &PriceTable,
    overrides: &Overrides,
    options: pipeline::Options,
    base: &Estimate,
    names: &[String],
) -> Alternatives {
    let rows = names
        .iter()
        .map(|name| {
            let with = Overrides {
                scenario: Some(name.clone()),
                ..overrides.clone()
            };
            Alternative {
                label: name.clone(),
                outcome: estimate_variant(source, prices, &with, options.clone())
                    .map_err(|e| first_line(&e)),
                break_even: None,
                retirement: None,
            }
        })
        .collect();
    Alternatives {
        kind: Kind::Scenario,
        base_cost_per_month: base.totals.cost_per_month,
        rows,
    }
}

/// Why a variant has no estimate, in one line for its row.
fn first_line(e: &Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

#[derive(Debug, Clone)]
pub struct Alternatives {
    pub kind: Kind,
    /// The base estimate's cost per month, that changes are measured from.
    pub base_cost_per_month: Decimal,
    pub rows: Vec<Alternative>,
}

impl Alternatives {
    /// Warnings of the alternatives that the base estimate does not already
    /// give, each naming its alternative.
    pub fn own_warnings(&self, base: &[Note]) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.rows {
            let Ok(r) = &a.outcome else { continue };
            let own = r
                .notes
                .iter()
                .filter(|n| n.level() == Level::Warning && !base.contains(n))
                .map(ToString::to_string);
            out.extend(own.map(|w| {
                if w.starts_with(&a.label) {
                    w.clone()
                } else {
                    format!("{}: {w}", a.label)
                }
            }));
        }
        out
    }

    /// The cheapest model that keeps every budget and is not retiring, if
    /// any does. (Scenarios are worlds, not choices: the cheapest is just
    /// the smallest.)
    pub fn cheapest_within_budget(&self) -> Option<usize> {
        if self.kind != Kind::Model {
            return None;
        }
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, a)| a.retirement.is_none())
            .filter_map(|(i, a)| {
                a.outcome
                    .as_ref()
                    .ok()
                    // Cheaper only because its reasoning is not counted
                    // is not cheaper.
                    .filter(|r| r.budget_ok() && r.reasoning_uncounted().is_empty())
                    .map(|r| (r.totals.cost_per_month, i))
            })
            .min()
            .map(|(_, i)| i)
    }
}

/// Total input tokens of a request: each call's prompt × its runs.
pub fn input_tokens_per_request(r: &Estimate) -> Decimal {
    r.calls
        .iter()
        .map(|c| c.input_tokens * c.runs_per_request)
        .sum()
}
