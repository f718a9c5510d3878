//! Savings opportunities (`llm-cost suggest`): what a change would save a
//! month, each change an exact set of `--set`/`--model` flags, so that every
//! figure can be reproduced with `llm-cost estimate`.

pub mod rules;

use rust_decimal::Decimal;

use crate::billing;
use crate::pricing::{ModelPrice, PriceTable};
use crate::resolve::{ResolvedCall, VariableValue};
use crate::tokens::Encoding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cache,
    Batch,
    /// Flex processing, for a call nobody waits for that cannot batch.
    Flex,
    Model,
    Trim,
    Output,
    History,
    /// Every suggestion at once.
    Combined,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Cache => "cache",
            Kind::Batch => "batch",
            Kind::Flex => "flex",
            Kind::Model => "model",
            Kind::Trim => "trim",
            Kind::Output => "output",
            Kind::History => "history",
            Kind::Combined => "all",
        }
    }
}

/// A change to try: what it is, and the overrides that make it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub kind: Kind,
    pub call: String,
    pub title: String,
    pub sets: Vec<(String, String)>,
}

/// A change that saves money, with its figures.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub candidate: Candidate,
    pub cost_per_month: Decimal,
    pub saving_per_month: Decimal,
    /// Saving as a share of today's monthly spend.
    pub saving_ratio: Decimal,
    /// Whether every budget still holds after the change.
    pub budget_ok: bool,
}

/// Where the money goes: one part of one call's prompt or output.
#[derive(Debug, Clone)]
pub struct Driver {
    pub call: String,
    pub part: String,
    pub tokens: Decimal,
    pub cost_per_month: Decimal,
}

#[derive(Debug, Clone)]
pub struct Suggestions {
    pub spec: String,
    /// The what-if flags the suggestions were made under, which every
    /// command that reproduces one repeats.
    pub flags: Vec<String>,
    pub feature: String,
    pub cost_per_month: Decimal,
    pub items: Vec<Suggestion>,
    /// All suggestions applied together, re-estimated (not added up).
    pub combined: Option<Suggestion>,
    pub drivers: Vec<Driver>,
    /// Cheaper models not suggested, and why.
    pub left_out: Vec<rules::LeftOut>,
    pub assumptions: Vec<String>,
}

/// A command-line word, quoted for a POSIX shell where it needs it.
pub fn shell_quote(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@[]".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `llm-cost estimate SPEC --set …` that reproduces a change made under
/// the what-if `flags` (already quoted).
pub fn command(spec: &str, flags: &[String], sets: &[(String, String)]) -> String {
    // A piped spec is reproduced by piping it again.
    let spec = if spec == "<stdin>" { "-" } else { spec };
    let mut parts = vec![
        "llm-cost".to_string(),
        "estimate".to_string(),
        shell_quote(spec),
    ];
    parts.extend(flags.iter().cloned());
    for (path, value) in sets {
        parts.push("--set".into());
        parts.push(shell_quote(&format!("{path}={value}")));
    }
    parts.join(" ")
}

/// Input price per token for a call's models, weighted by leg.
fn input_price(call: &ResolvedCall, prices: &PriceTable) -> Decimal {
    price_per_token(call, prices, |m| m.rates.input)
}

fn output_price(call: &ResolvedCall, prices: &PriceTable) -> Decimal {
    price_per_token(call, prices, |m| m.rates.output)
}

/// One of a model's prices per token, weighted by the legs that bill it.
fn price_per_token(
    call: &ResolvedCall,
    prices: &PriceTable,
    rate: fn(&ModelPrice) -> Decimal,
) -> Decimal {
    call.call
        .serving
        .legs()
        .iter()
        .filter_map(|l| prices.get(&l.model).map(|m| l.weight * rate(m)))
        .sum::<Decimal>()
        / Decimal::from(1_000_000)
}

/// The model a call's counts are taken with: its first leg's.
fn first_model<'p>(call: &ResolvedCall, prices: &'p PriceTable) -> Option<&'p ModelPrice> {
    prices.get(call.call.model())
}

/// Tokens of a variable's value (the mean, for samples).
pub fn variable_tokens(value: &VariableValue, encoding: Encoding) -> Decimal {
    match value {
        VariableValue::Text(t) => Decimal::from(encoding.count(t)),
        VariableValue::Tokens(n) => *n,
        VariableValue::Samples(s) => {
            crate::count::distribution(&s.iter().map(|t| encoding.count(t)).collect::<Vec<_>>())
                .mean
        }
    }
}

/// Every prompt part and output of every call, by what it costs a month at
/// list input price (before caching and batch discounts), dearest first.
pub fn drivers(
    calls: &[ResolvedCall],
    prices: &PriceTable,
    requests_per_month: Decimal,
) -> Vec<Driver> {
    let mut out: Vec<Driver> = calls
        .iter()
        .flat_map(|rc| call_drivers(rc, prices, requests_per_month))
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.cost_per_month));
    out
}

/// One call's parts: each message's own text and variables, re-sent
/// history, tool schemas, and the output, each with what it costs a month.
fn call_drivers(
    rc: &ResolvedCall,
    prices: &PriceTable,
    requests_per_month: Decimal,
) -> Vec<Driver> {
    let Some(model) = first_model(rc, prices) else {
        return Vec::new();
    };
    let enc = model.tokenizer.encoding;
    let runs = billing::billed_runs(rc.call.runs_per_request, rc.call.retry_rate)
        * rc.call
            .conversation
            .as_ref()
            .map_or(Decimal::ONE, |c| Decimal::from(c.turns));
    let per_token_month = input_price(rc, prices) * runs * requests_per_month;
    let mut parts: Vec<(String, Decimal)> = rc
        .messages
        .iter()
        .enumerate()
        .flat_map(|(i, m)| message_parts(i, m, enc))
        .collect();
    if let Some(tokens) = history_per_turn(rc, model) {
        parts.push(("conversation history (per turn, on average)".into(), tokens));
    }
    if let Some(t) = &rc.tools_json {
        parts.push(("tool schemas".into(), Decimal::from(enc.count(t))));
    }
    let driver = |part: String, tokens: Decimal, price: Decimal| Driver {
        call: rc.call.name.clone(),
        part,
        tokens,
        cost_per_month: tokens * price,
    };
    let mut out: Vec<Driver> = parts
        .into_iter()
        .map(|(part, tokens)| driver(part, tokens, per_token_month))
        .collect();
    let output = billing::billed_output(
        rc.call.output_tokens.mean,
        rc.call.reasoning_tokens.unwrap_or_default(),
    );
    out.push(driver(
        "output".into(),
        output,
        output_price(rc, prices) * runs * requests_per_month,
    ));
    out
}

/// A message's own words (its text less the text variables in it), then
/// each variable on its own.
fn message_parts(
    i: usize,
    m: &crate::resolve::ResolvedMessage,
    enc: Encoding,
) -> Vec<(String, Decimal)> {
    let text_vars: Decimal = m
        .variables
        .iter()
        .filter(|v| matches!(v.value, VariableValue::Text(_)))
        .map(|v| variable_tokens(&v.value, enc))
        .sum();
    let own = (Decimal::from(enc.count(&m.text)) - text_vars).max(Decimal::ZERO);
    let mut parts = Vec::new();
    if own > Decimal::ZERO {
        parts.push((format!("message {} ({}) text", i + 1, m.role), own));
    }
    if m.stated_tokens > Decimal::ZERO {
        parts.push((
            format!("message {} ({}) tokens", i + 1, m.role),
            m.stated_tokens,
        ));
    }
    for v in &m.variables {
        parts.push((
            format!("variable `{}`", v.name),
            variable_tokens(&v.value, enc),
        ));
    }
    parts
}

/// What each turn of a conversation re-sends of the turns before it, on
/// average.
fn history_per_turn(rc: &ResolvedCall, model: &ModelPrice) -> Option<Decimal> {
    let c = rc.call.conversation.as_ref()?;
    let shape = crate::estimate::ConversationShape {
        turns: c.turns,
        history: c.history,
    };
    let last = crate::count::count_call(rc, model).last_message();
    let total: Decimal = (1..=c.turns)
        .map(|t| crate::estimate::history_tokens(&shape, t, last, rc.call.output_tokens.mean))
        .sum();
    Some(total / Decimal::from(c.turns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_quoted_for_the_shell() {
        let sets = vec![
            (
                "calls.draft.cache".to_string(),
                "{prefix: 1, hit_rate: 0.8}".to_string(),
            ),
            ("calls.draft.batch".to_string(), "true".to_string()),
        ];
        assert_eq!(
            command("examples/a b/spec.yaml", &[], &sets),
            "llm-cost estimate 'examples/a b/spec.yaml' --set 'calls.draft.cache={prefix: 1, hit_rate: 0.8}' --set calls.draft.batch=true"
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
