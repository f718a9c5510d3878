//! The JSON contract (DESIGN.md): versioned, exact decimal strings for money
//! and rates, numbers for token counts. Scripts and CI depend on these names.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::Renderer;
use crate::pipeline::Report;

pub struct Json;

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
}

impl Renderer for Json {
    fn render(&self, r: &Report) -> String {
        let t = &r.totals;
        let doc = Document {
            schema_version: 1,
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
            budget: r
                .budget
                .iter()
                .map(|v| Verdict {
                    rule: v.rule,
                    limit: money(v.limit),
                    actual: money(v.actual),
                    ok: v.ok,
                })
                .collect(),
            warnings: &r.warnings,
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }
}
