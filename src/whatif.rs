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
        if c.model == spec.model {
            c.model = model.to_string();
        }
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
