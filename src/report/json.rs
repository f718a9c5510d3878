//! The JSON contract: versioned, exact decimal strings for money and rates,
//! numbers for token counts. Scripts and CI depend on these names.

use serde_json::{Value, json};

use super::{ModelList, Renderer};
use crate::check::CheckRun;
use crate::diff::{Change, Diff};
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

use crate::schema::{Count, EstimateDoc, Money, SCHEMA_VERSION};

pub struct Json;

/// An estimate as JSON: `schema::EstimateDoc`, the one definition that is
/// also read back by `diff`.
pub fn estimate_value(r: &Estimate, alternatives: Option<&Alternatives>) -> Value {
    serde_json::to_value(EstimateDoc::new(r, alternatives)).unwrap_or(Value::Null)
}

fn change_value(c: &Change) -> Value {
    json!({ "base": Money(c.base), "head": Money(c.head), "change": Money(c.delta()), "change_ratio": c.ratio().map(Money) })
}

/// One object per problem, with where it is and what to do: `{file, line,
/// column, message, help}` (line and column null where unknown); `check`
/// adds the `spec` each belongs to.
fn error_values(error: &crate::error::Error) -> Vec<Value> {
    match error {
        crate::error::Error::Input(diagnostics) => diagnostics
            .iter()
            .map(|d| {
                json!({
                    "file": d.file,
                    "line": d.location.map(|l| l.line), "column": d.location.map(|l| l.column),
                    "message": d.message, "help": d.help,
                })
            })
            .collect(),
        crate::error::Error::Other(message) => vec![json!({
            "file": Value::Null, "line": Value::Null, "column": Value::Null,
            "message": crate::neutral::escape(message), "help": Value::Null,
        })],
    }
}

/// The JSON a command prints instead of its report when its input cannot be
/// read: the same error objects as `check`'s, so a script reads one shape.
pub fn error_document(command: &str, error: &crate::error::Error) -> String {
    pretty(&json!({
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "ok": false,
        "exit_code": error.exit_code(),
        "errors": error_values(error),
    }))
}

fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    text
}

impl Renderer for Json {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        pretty(&estimate_value(r, alternatives))
    }

    fn check(&self, run: &CheckRun) -> String {
        let errors: Vec<Value> = run
            .failures
            .iter()
            .flat_map(|f| {
                error_values(&f.error).into_iter().map(|mut e| {
                    e["spec"] = json!(crate::neutral::escape(&f.spec));
                    e
                })
            })
            .collect();
        pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "command": "check",
            "ok": run.exit_code() == 0 && run.broken_specs() == 0,
            "exit_code": run.exit_code(),
            "specs": run.reports.len() + run.failures.len(),
            "over_budget": run.broken_specs(),
            "broken_rules": run.broken_rules(),
            "estimates": run.reports.iter().map(|r| estimate_value(r, None)).collect::<Vec<_>>(),
            "errors": errors,
        }))
    }

    fn diff(&self, d: &Diff) -> String {
        let calls: Vec<Value> = d
            .calls()
            .iter()
            .map(|c| {
                let side = |s: Option<&crate::diff::CallSnapshot>| {
                    s.map(|s| {
                        json!({
                            "model": s.model, "runs_per_request": Money(s.runs_per_request),
                            "input_tokens": Count(s.input_tokens), "output_tokens": Count(s.output_tokens),
                            "cost_per_request": Money(s.cost_per_request),
                        })
                    })
                };
                json!({ "name": c.name, "base": side(c.base), "head": side(c.head), "cost_per_request": change_value(&c.cost_per_request()) })
            })
            .collect();
        pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "command": "diff",
            "feature": d.head.feature,
            "base": { "spec": d.base.spec, "model": d.base.model },
            "head": { "spec": d.head.spec, "model": d.head.model },
            "calls": calls,
            "cost_per_request": change_value(&d.cost_per_request()),
            "cost_per_month": change_value(&d.cost_per_month()),
            "margin_after": d.margin_after().map(|m| change_value(&m)),
        }))
    }

    fn models(&self, list: &ModelList) -> String {
        let rates = |r: &crate::pricing::Rates| json!({ "input": Money(r.input), "cached_input": r.cached_input.map(Money), "cache_write": r.cache_write.map(Money), "output": Money(r.output) });
        let models: Vec<Value> = list
            .models
            .iter()
            .map(|m| {
                json!({
                    "name": m.name,
                    "provider": m.provider,
                    "aliases": m.aliases,
                    "tokenizer": { "encoding": m.tokenizer.encoding.name(), "exact": m.tokenizer.exact,
                                   "factor": m.tokenizer.factor.map(Money), "factor_source": m.tokenizer.factor_source },
                    "context_window": m.context_window,
                    "max_output": m.max_output,
                    "min_cacheable_tokens": m.min_cacheable_tokens,
                    "input": Money(m.rates.input),
                    "cached_input": m.rates.cached_input.map(Money),
                    "cache_write": m.rates.cache_write.map(Money),
                    "cache_write_1h": m.cache_write_1h.map(Money),
                    "output": Money(m.rates.output),
                    "batch": m.batch.as_ref().map(rates),
                    "batch_unlisted": match m.batch_unlisted {
                        crate::pricing::BatchUnlisted::Standard => "standard",
                        crate::pricing::BatchUnlisted::Discounted => "discounted",
                    },
                    "caching": match m.caching {
                        crate::pricing::CacheKind::Explicit => json!({ "kind": "explicit" }),
                        crate::pricing::CacheKind::Automatic { step } => json!({ "kind": "automatic", "step": step }),
                    },
                    "reasoning": m.reasoning,
                    "tiers": m.tiers.iter().map(|t| { let mut v = rates(&t.rates); v["above"] = json!(Money(t.above)); v }).collect::<Vec<_>>(),
                    "deprecated": m.deprecated.map(|d| d.to_string()),
                    "discount": m.discount.as_ref().map(|(d, _)| Money(*d)),
                    "notes": m.notes,
                    "as_of": m.as_of.to_string(),
                    "source": m.source,
                })
            })
            .collect();
        pretty(&json!({ "schema_version": SCHEMA_VERSION, "models": models }))
    }

    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String {
        pretty(&super::reconcile::json(r))
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        let item = |x: &crate::savings::Suggestion| {
            json!({
                "kind": x.candidate.kind.key(),
                "call": x.candidate.call,
                "title": x.candidate.title,
                "saving_per_month": Money(x.saving_per_month),
                "saving_ratio": Money(x.saving_ratio),
                "cost_per_month": Money(x.cost_per_month),
                "budget_ok": x.budget_ok,
                "sets": x.candidate.sets.iter().map(|(p, v)| json!({"path": p, "value": v})).collect::<Vec<_>>(),
                "command": crate::savings::command(&s.spec, &s.flags, &x.candidate.sets),
            })
        };
        pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "command": "suggest",
            "spec": s.spec,
            "feature": s.feature,
            "cost_per_month": Money(s.cost_per_month),
            "suggestions": s.items.iter().map(item).collect::<Vec<_>>(),
            "combined": s.combined.as_ref().map(item),
            "drivers": s.drivers.iter().map(|d| json!({"call": d.call, "part": d.part, "tokens": Count(d.tokens), "cost_per_month": Money(d.cost_per_month)})).collect::<Vec<_>>(),
            "assumptions": s.assumptions,
            "left_out": s.left_out.iter().map(|l| json!({"call": l.call, "model": l.model, "why": l.why})).collect::<Vec<_>>(),
        }))
    }
}
