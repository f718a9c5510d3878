//! What-if analysis: the same spec on other models, or in other scenarios,
//! side by side with the base estimate.

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pipeline::Report;
use crate::pricing::PriceTable;
use crate::spec::Spec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Model,
    Scenario,
}

/// One alternative world: its label and its estimate (or why there is none).
#[derive(Debug, Clone)]
pub struct Alternative {
    pub label: String,
    pub outcome: std::result::Result<Report, String>,
    /// For a self-hosted model: requests a day above which it is cheaper
    /// than the base; `Some(None)` if it never is.
    pub break_even: Option<Option<Decimal>>,
}

/// Break-even traffic of a self-hosted alternative against the base.
pub fn break_even(alt: &Report, base: &Report, prices: &PriceTable) -> Option<Option<Decimal>> {
    let floor: Decimal = alt
        .calls
        .iter()
        .flat_map(|c| {
            if c.legs.is_empty() {
                vec![c.model.clone()]
            } else {
                c.legs.iter().map(|l| l.model.clone()).collect()
            }
        })
        .filter_map(|m| {
            prices
                .get(&m)?
                .self_hosted
                .as_ref()
                .map(|h| (m, h.cost_per_day()))
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        .values()
        .sum();
    if floor.is_zero() {
        return None;
    }
    let busy_per_request = if alt.totals.requests_per_day.is_zero() {
        alt.totals.cost_per_request
    } else {
        alt.totals.cost_per_request - alt.idle_cost_per_day / alt.totals.requests_per_day
    };
    Some(crate::estimate::break_even_requests_per_day(
        floor,
        busy_per_request,
        base.totals.cost_per_request,
    ))
}

#[derive(Debug, Clone)]
pub struct Alternatives {
    pub kind: Kind,
    /// The base estimate's cost per month, that changes are measured from.
    pub base_cost_per_month: Decimal,
    pub rows: Vec<Alternative>,
}

impl Alternatives {
    /// The cheapest model that keeps every budget, if any does. (Scenarios
    /// are worlds, not choices: the cheapest is just the smallest.)
    pub fn cheapest_within_budget(&self) -> Option<usize> {
        if self.kind != Kind::Model {
            return None;
        }
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                a.outcome
                    .as_ref()
                    .ok()
                    .filter(|r| r.budget_ok())
                    .map(|r| (r.totals.cost_per_month, i))
            })
            .min()
            .map(|(_, i)| i)
    }
}

/// The models `--compare` names: model names or aliases, `provider:NAME`,
/// `all`, or `all-cheaper` (every model, kept only where cheaper). Models
/// already retired are left out of the groups.
pub fn compare_targets(words: &[String], prices: &PriceTable) -> Result<(Vec<String>, bool)> {
    let today = crate::date::today();
    let current = |m: &&crate::pricing::ModelPrice| {
        m.deprecated
            .as_deref()
            .and_then(crate::date::parse)
            .is_none_or(|d| d > today)
    };
    let mut out: Vec<String> = Vec::new();
    let mut cheaper_only = false;
    let mut errors = Vec::new();
    for word in words
        .iter()
        .flat_map(|w| w.split(','))
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match word {
            "all" | "all-cheaper" => {
                cheaper_only |= word == "all-cheaper";
                prices
                    .models()
                    .filter(current)
                    .for_each(|m| push_unique(&mut out, &m.name));
            }
            w if w.starts_with("provider:") => {
                let provider = &w["provider:".len()..];
                let before = out.len();
                prices
                    .models()
                    .filter(current)
                    .filter(|m| m.provider.eq_ignore_ascii_case(provider))
                    .for_each(|m| push_unique(&mut out, &m.name));
                if out.len() == before {
                    let providers: std::collections::BTreeSet<&str> =
                        prices.models().map(|m| m.provider.as_str()).collect();
                    errors.push(
                        Diagnostic::new(
                            "--compare",
                            None,
                            format!("no current models from provider `{provider}`"),
                        )
                        .with_help(format!(
                            "providers: {}",
                            providers.into_iter().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
            }
            name => match prices.get(name) {
                Some(m) => push_unique(&mut out, &m.name),
                None => {
                    let near = prices.suggestions(name);
                    let help = if near.is_empty() {
                        "`llm-cost models` lists known models".to_string()
                    } else {
                        format!("did you mean {}?", near.join(", "))
                    };
                    errors.push(
                        Diagnostic::new("--compare", None, format!("unknown model `{name}`"))
                            .with_help(help),
                    );
                }
            },
        }
    }
    if errors.is_empty() {
        Ok((out, cheaper_only))
    } else {
        Err(Error::Input(errors))
    }
}

fn push_unique(out: &mut Vec<String>, name: &str) {
    if !out.iter().any(|o| o == name) {
        out.push(name.to_string());
    }
}

/// The spec with `model` in place of its default model: every call that
/// used the default now uses `model`; calls with their own model keep it.
pub fn with_model(spec: &Spec, model: &str) -> Spec {
    let mut s = spec.clone();
    for c in &mut s.calls {
        for leg in c.legs.iter_mut().filter(|l| l.model == spec.model) {
            leg.model = model.to_string();
        }
        // A call's model is its first leg's.
        c.model = c.legs[0].model.clone();
    }
    s.model = model.to_string();
    s.compare.clear();
    s
}

/// Total input tokens of a request: each call's prompt × its runs.
pub fn input_tokens_per_request(r: &Report) -> Decimal {
    r.calls
        .iter()
        .map(|c| c.input_tokens * c.runs_per_request)
        .sum()
}
