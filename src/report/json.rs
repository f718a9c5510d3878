//! The JSON contract: versioned, exact decimal strings for money and rates,
//! numbers for token counts. Scripts and CI depend on these names.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::{ModelList, Renderer};
use crate::budget::Verdict as BudgetVerdict;
use crate::check::CheckRun;
use crate::diff::{Change, Diff};
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Json;

pub const SCHEMA_VERSION: u32 = 1;

/// Money and rates: the exact decimal as a string, without trailing zeros.
fn money(v: Decimal) -> String {
    v.normalize().to_string()
}

/// Token counts: a JSON number, fractional only where it is an average.
pub fn json_number(v: Decimal) -> Value {
    let v = v.normalize();
    if v.fract().is_zero()
        && let Ok(n) = i64::try_from(v)
    {
        return Value::from(n);
    }
    v.to_string()
        .parse::<f64>()
        .map(Value::from)
        .unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    feature: &'a str,
    spec: &'a str,
    model: &'a str,
    prices_as_of: &'a str,
    calls: Vec<Call<'a>>,
    cost_per_request: String,
    cost_per_request_p95: String,
    requests_per_day: String,
    requests_per_month: String,
    days_per_month: String,
    cost_per_day: String,
    cost_per_month: String,
    cost_per_month_p95: String,
    cost_per_user_per_month: Option<String>,
    margin: Option<Margin>,
    budget: Vec<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_cost_per_month: Option<String>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct Call<'a> {
    name: &'a str,
    model: &'a str,
    runs_per_request: String,
    input_tokens: Value,
    input_tokens_p95: Value,
    cached_input_tokens: Value,
    cache_write_tokens: Value,
    output_tokens: Value,
    output_tokens_p95: Value,
    reasoning_tokens: Value,
    tokens_estimated: bool,
    batch: bool,
    cost_per_run: String,
    cost_per_request: String,
    cost_per_request_p95: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    turns: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_per_conversation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    legs: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_seconds: Option<String>,
}

#[derive(Serialize)]
struct Margin {
    revenue_per_month: String,
    other_cost_per_month: String,
    before: String,
    after: String,
    change: String,
}

#[derive(Serialize)]
struct Verdict {
    rule: &'static str,
    limit: String,
    actual: String,
    ok: bool,
    /// Room left (positive) or overshoot (negative), in the rule's unit.
    headroom: String,
    headroom_ratio: Option<String>,
}

impl From<&BudgetVerdict> for Verdict {
    fn from(v: &BudgetVerdict) -> Self {
        Verdict {
            rule: v.rule.key(),
            limit: money(v.limit),
            actual: money(v.actual),
            ok: v.ok,
            headroom: money(v.headroom()),
            headroom_ratio: v.headroom_ratio().map(money),
        }
    }
}

pub fn estimate_value(r: &Estimate) -> Value {
    let t = &r.totals;
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        feature: &r.feature,
        spec: &r.spec_file,
        model: &r.model,
        prices_as_of: &r.prices_as_of,
        calls: r
            .calls
            .iter()
            .map(|c| Call {
                name: &c.name,
                model: &c.model,
                runs_per_request: money(c.runs_per_request),
                input_tokens: json_number(c.input_tokens),
                input_tokens_p95: json_number(c.input_tokens_p95),
                cached_input_tokens: json_number(c.cached_input_tokens),
                cache_write_tokens: json_number(c.cache_write_tokens),
                output_tokens: json_number(c.output_tokens),
                output_tokens_p95: json_number(c.output_tokens_p95),
                reasoning_tokens: json_number(c.reasoning_tokens),
                tokens_estimated: c.tokens_estimated,
                batch: c.batch,
                cost_per_run: money(c.cost_per_run),
                cost_per_request: money(c.cost_per_request),
                cost_per_request_p95: money(c.cost_per_request_p95),
                turns: c.turns,
                cost_per_conversation: c.cost_per_conversation.map(money),
                legs: c
                    .legs
                    .iter()
                    .map(|l| json!({ "model": l.model, "weight": money(l.weight), "input_tokens": json_number(l.input_tokens), "cost_per_run": money(l.cost_per_run) }))
                    .collect(),
                latency_seconds: c.latency_seconds.map(money),
            })
            .collect(),
        cost_per_request: money(t.cost_per_request),
        cost_per_request_p95: money(t.cost_per_request_p95),
        requests_per_day: money(t.requests_per_day),
        requests_per_month: money(t.requests_per_month),
        days_per_month: money(r.days_per_month),
        cost_per_day: money(t.cost_per_day),
        cost_per_month: money(t.cost_per_month),
        cost_per_month_p95: money(t.cost_per_month_p95),
        cost_per_user_per_month: t.cost_per_user_per_month.map(money),
        margin: t.margin.as_ref().map(|m| Margin {
            revenue_per_month: money(m.revenue_per_month),
            other_cost_per_month: money(m.other_cost_per_month),
            before: money(m.before),
            after: money(m.after),
            change: money(m.change),
        }),
        budget: r.budget.iter().map(Verdict::from).collect(),
        baseline_cost_per_month: r.baseline_cost_per_month.map(money),
        warnings: &r.warnings,
    };
    let mut value = serde_json::to_value(doc).unwrap_or(Value::Null);
    value["budget_on"] = json!(if r.budget_on_p95 { "p95" } else { "mean" });
    if !r.idle_cost_per_day.is_zero() {
        value["self_hosted_idle_cost_per_month"] =
            json!(money(r.idle_cost_per_day * r.days_per_month));
    }
    if let Some(l) = r.latency_seconds {
        value["latency_seconds"] = json!(money(l));
        value["latency_sources"] = json!(r.latency_sources);
    }
    if !r.overrides.is_empty() {
        value["overrides"] = json!(r.overrides);
    }
    if !r.projection.is_empty() {
        value["projection"] = json!({
            "growth_per_month": r.growth_per_month.map(money),
            "first_broken_month": crate::projection::first_broken(&r.projection).map(|m| m.month),
            "months": r.projection.iter().map(|m| json!({
                "month": m.month,
                "requests_per_month": money(m.requests_per_month),
                "cost_per_month": money(m.cost_per_month),
                "margin_after": m.margin_after.map(money),
                "broken": m.broken.iter().map(|b| b.key()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
    }
    value
}

fn change_value(c: &Change) -> Value {
    json!({ "base": money(c.base), "head": money(c.head), "change": money(c.delta()), "change_ratio": c.ratio().map(money) })
}

/// One object per problem, with where it is and what to do: `{spec, file,
/// line, column, message, help}` (line and column null where unknown).
fn error_values(spec: &str, error: &crate::error::Error) -> Vec<Value> {
    match error {
        crate::error::Error::Input(diagnostics) => diagnostics
            .iter()
            .map(|d| {
                json!({
                    "spec": crate::neutral::escape(spec), "file": d.file,
                    "line": d.location.map(|l| l.line), "column": d.location.map(|l| l.column),
                    "message": d.message, "help": d.help,
                })
            })
            .collect(),
        crate::error::Error::Other(message) => vec![json!({
            "spec": crate::neutral::escape(spec), "file": Value::Null, "line": Value::Null,
            "column": Value::Null, "message": crate::neutral::escape(message), "help": Value::Null,
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
        "errors": error_values("", error).into_iter().map(|mut e| {
            e.as_object_mut().map(|o| o.remove("spec"));
            e
        }).collect::<Vec<_>>(),
    }))
}

fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    text
}

pub fn alternatives_value(alts: &Alternatives, value: &mut Value) {
    {
        let cheapest = alts.cheapest_within_budget();
        value["alternatives"] = json!({
            "kind": match alts.kind { crate::whatif::Kind::Model => "model", crate::whatif::Kind::Scenario => "scenario" },
            "base_cost_per_month": money(alts.base_cost_per_month),
            "cheapest_within_budget": cheapest.map(|i| alts.rows[i].label.clone()),
            "rows": alts.rows.iter().map(|a| match &a.outcome {
                Ok(x) => {
                    let change = Change { base: alts.base_cost_per_month, head: x.totals.cost_per_month };
                    json!({
                        "label": a.label,
                        "model": x.model,
                        "input_tokens_per_request": json_number(crate::whatif::input_tokens_per_request(x)),
                        "tokens_estimated": x.calls.iter().any(|c| c.tokens_estimated),
                        "cost_per_request": money(x.totals.cost_per_request),
                        "cost_per_request_p95": money(x.totals.cost_per_request_p95),
                        "cost_per_month": money(x.totals.cost_per_month),
                        "cost_per_month_p95": money(x.totals.cost_per_month_p95),
                        "margin_after": x.totals.margin.as_ref().map(|m| money(m.after)),
                        "change": money(change.delta()),
                        "change_ratio": change.ratio().map(money),
                        "budget_ok": x.budget_ok(),
                        "idle_cost_per_month": (!x.idle_cost_per_day.is_zero()).then(|| money(x.idle_cost_per_day * x.days_per_month)),
                        "break_even_requests_per_day": match a.break_even {
                            Some(crate::whatif::BreakEven::Above(r)) => Some(money(r)),
                            _ => None,
                        },
                        "broken": x.budget.iter().filter(|v| !v.ok).map(|v| v.rule.key()).collect::<Vec<_>>(),
                    })
                }
                Err(e) => json!({ "label": a.label, "error": e }),
            }).collect::<Vec<_>>(),
        });
    }
}

impl Renderer for Json {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        let mut value = estimate_value(r);
        if let Some(alts) = alternatives {
            alternatives_value(alts, &mut value);
        }
        pretty(&value)
    }

    fn check(&self, run: &CheckRun) -> String {
        let errors: Vec<Value> = run
            .failures
            .iter()
            .flat_map(|f| error_values(&f.spec, &f.error))
            .collect();
        pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "command": "check",
            "ok": run.exit_code() == 0 && run.broken_specs() == 0,
            "exit_code": run.exit_code(),
            "specs": run.reports.len() + run.failures.len(),
            "over_budget": run.broken_specs(),
            "broken_rules": run.broken_rules(),
            "estimates": run.reports.iter().map(estimate_value).collect::<Vec<_>>(),
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
                            "model": s.model, "runs_per_request": money(s.runs_per_request),
                            "input_tokens": json_number(s.input_tokens), "output_tokens": json_number(s.output_tokens),
                            "cost_per_request": money(s.cost_per_request),
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
        let rates = |r: &crate::pricing::Rates| json!({ "input": money(r.input), "cached_input": r.cached_input.map(money), "cache_write": r.cache_write.map(money), "output": money(r.output) });
        let models: Vec<Value> = list
            .models
            .iter()
            .map(|m| {
                json!({
                    "name": m.name,
                    "provider": m.provider,
                    "aliases": m.aliases,
                    "tokenizer": { "encoding": m.tokenizer.encoding.name(), "exact": m.tokenizer.exact,
                                   "factor": m.tokenizer.factor.map(money), "factor_source": m.tokenizer.factor_source },
                    "context_window": m.context_window,
                    "max_output": m.max_output,
                    "min_cacheable_tokens": m.min_cacheable_tokens,
                    "input": money(m.rates.input),
                    "cached_input": m.rates.cached_input.map(money),
                    "cache_write": m.rates.cache_write.map(money),
                    "cache_write_1h": m.cache_write_1h.map(money),
                    "output": money(m.rates.output),
                    "batch": m.batch.as_ref().map(rates),
                    "tiers": m.tiers.iter().map(|t| { let mut v = rates(&t.rates); v["above"] = json!(money(t.above)); v }).collect::<Vec<_>>(),
                    "deprecated": m.deprecated,
                    "discount": m.discount.as_ref().map(|(d, _)| money(*d)),
                    "notes": m.notes,
                    "as_of": m.as_of,
                    "source": m.source,
                })
            })
            .collect();
        pretty(&json!({ "schema_version": SCHEMA_VERSION, "models": models }))
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        let item = |x: &crate::savings::Suggestion| {
            json!({
                "kind": x.candidate.kind.key(),
                "call": x.candidate.call,
                "title": x.candidate.title,
                "saving_per_month": money(x.saving_per_month),
                "saving_ratio": money(x.saving_ratio),
                "cost_per_month": money(x.cost_per_month),
                "budget_ok": x.budget_ok,
                "sets": x.candidate.sets.iter().map(|(p, v)| json!({"path": p, "value": v})).collect::<Vec<_>>(),
                "command": crate::savings::command(&s.spec, &x.candidate.sets),
            })
        };
        pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "command": "suggest",
            "spec": s.spec,
            "feature": s.feature,
            "cost_per_month": money(s.cost_per_month),
            "suggestions": s.items.iter().map(item).collect::<Vec<_>>(),
            "combined": s.combined.as_ref().map(item),
            "drivers": s.drivers.iter().map(|d| json!({"call": d.call, "part": d.part, "tokens": json_number(d.tokens), "cost_per_month": money(d.cost_per_month)})).collect::<Vec<_>>(),
            "assumptions": s.assumptions,
        }))
    }
}
