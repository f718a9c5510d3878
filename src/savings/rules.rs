//! The rules that propose savings, one function each, and their
//! judgement: every candidate is re-estimated with the `--set`s that
//! reproduce it, and kept only where it saves money.

use rust_decimal::Decimal;

use super::{Candidate, Kind, Suggestion};
use crate::pipeline::Estimate;
use crate::pricing::PriceTable;
use crate::resolve::ResolvedCall;
use crate::spec::{CachePrefix, Call, History, Spec};

/// What the rules assume where a change is new (from `suggest`'s flags).
#[derive(Debug, Clone, Copy)]
pub struct Assumptions {
    /// Cache hit rate where caching is suggested.
    pub hit_rate: Decimal,
    /// How much shorter a trimmed prompt part or capped answer is.
    pub trim: Decimal,
    /// Turns of history kept where cutting history is suggested.
    pub window: u32,
}

/// Re-estimates the spec with some `--set`s.
pub type Rerun<'a> = dyn Fn(&[(String, String)]) -> Result<Estimate, String> + 'a;

/// `calls.NAME.` where the name can be written in a `--set` path, else
/// `calls[i].` (a name such as `a.b=c` cannot, and its saving must still be
/// reproducible).
fn at(call: &Call) -> String {
    let plain = !call.name.is_empty()
        && call
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    if plain {
        format!("calls.{}.", call.name)
    } else {
        format!("{}.", call.path)
    }
}

/// A candidate re-estimated: a suggestion where it saves money.
pub fn judge(c: Candidate, base: &Estimate, rerun: &Rerun) -> Option<Suggestion> {
    let r = rerun(&c.sets).ok()?;
    let base_month = base.totals.cost_per_month;
    let saving = base_month - r.totals.cost_per_month;
    (saving > Decimal::ZERO).then(|| Suggestion {
        saving_ratio: if base_month.is_zero() {
            Decimal::ZERO
        } else {
            saving / base_month
        },
        cost_per_month: r.totals.cost_per_month,
        saving_per_month: saving,
        budget_ok: r.budget_ok(),
        candidate: c,
    })
}

/// Every change whose rules hold, before re-estimation.
pub fn candidates(
    resolved: &[ResolvedCall],
    prices: &PriceTable,
    a: Assumptions,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = resolved
        .iter()
        .flat_map(|rc| {
            [
                cache_prefix(rc, a),
                batch(rc, prices).or_else(|| flex(rc, prices)),
                trim_largest_variable(rc, prices, a),
                cap_answers(&rc.call, a),
                cut_history(&rc.call, a),
            ]
        })
        .flatten()
        .collect();
    // A shared variable is the largest in more than one call: try it once.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|c| seen.insert(c.sets.clone()));
    out
}

/// Cache the leading messages that are the same on every request. Below
/// the model's minimum the re-estimate saves nothing, so such a prefix is
/// never suggested.
fn cache_prefix(rc: &ResolvedCall, a: Assumptions) -> Option<Candidate> {
    let call = &rc.call;
    let name = &call.name;
    let fixed = rc
        .messages
        .iter()
        .take_while(|m| m.variables.is_empty())
        .count();
    let current = match call.cache.as_ref().map(|c| &c.prefix) {
        None => 0,
        Some(CachePrefix::Messages(n)) => *n,
        Some(CachePrefix::Role(_)) => rc.prefix_messages,
    };
    if fixed <= current {
        return None;
    }
    let (title, sets) = if call.cache.is_none() {
        (
            format!(
                "cache the fixed prompt prefix of `{name}` ({fixed} message{})",
                if fixed == 1 { "" } else { "s" }
            ),
            vec![(
                format!("{}cache", at(call)),
                format!("{{prefix: {fixed}, hit_rate: {}}}", a.hit_rate.normalize()),
            )],
        )
    } else {
        (
            format!("extend the cached prefix of `{name}` to {fixed} messages"),
            vec![(format!("{}cache.prefix", at(call)), fixed.to_string())],
        )
    };
    Some(Candidate {
        kind: Kind::Cache,
        call: name.clone(),
        title,
        sets,
    })
}

/// The batch API, only for calls nobody waits for.
fn batch(rc: &ResolvedCall, prices: &PriceTable) -> Option<Candidate> {
    let call = &rc.call;
    let all_have_batch = call.serving.legs().iter().all(|l| {
        prices
            .get(&l.model)
            .is_some_and(crate::billing::batch_priced)
    });
    (call.is_async && !call.batch && all_have_batch).then(|| Candidate {
        kind: Kind::Batch,
        call: call.name.clone(),
        title: format!(
            "run `{}` through the batch API (it is `latency: async`)",
            call.name
        ),
        sets: vec![(format!("{}batch", at(call)), "true".into())],
    })
}

/// Flex processing, for a call nobody waits for whose models all offer
/// it (where the batch API cannot take it: the two do not stack).
fn flex(rc: &ResolvedCall, prices: &PriceTable) -> Option<Candidate> {
    let call = &rc.call;
    let all_have_flex = call.serving.legs().iter().all(|l| {
        prices
            .get(&l.model)
            .is_some_and(|m| m.offers.tier(crate::pricing::ServiceTier::Flex).is_some())
    });
    let standard = call.service.tier == crate::pricing::ServiceTier::Standard
        && call.service.speed == crate::pricing::Speed::Standard;
    (call.is_async && !call.batch && standard && all_have_flex).then(|| Candidate {
        kind: Kind::Flex,
        call: call.name.clone(),
        title: format!(
            "serve `{}` at the flex tier (it is `latency: async`)",
            call.name
        ),
        sets: vec![(format!("{}service_tier", at(call)), "flex".into())],
    })
}

/// Trim the largest variable of the call (100 tokens or more).
fn trim_largest_variable(
    rc: &ResolvedCall,
    prices: &PriceTable,
    a: Assumptions,
) -> Option<Candidate> {
    let call = &rc.call;
    let name = &call.name;
    let enc = prices.get(call.model())?.tokenizer.encoding;
    let (tokens, v) = rc
        .messages
        .iter()
        .flat_map(|m| &m.variables)
        .map(|v| (super::variable_tokens(&v.value, enc), v))
        .max_by(|x, y| x.0.cmp(&y.0))
        .filter(|(t, _)| *t >= Decimal::from(100))?;
    let shorter = (tokens * (Decimal::ONE - a.trim)).round();
    let (path, title) = if v.local {
        (
            format!("{}variables.{}", at(call), v.name),
            format!(
                "trim `{}` in `{name}` ({} → {shorter} tokens)",
                v.name,
                tokens.round()
            ),
        )
    } else {
        (
            format!("variables.{}", v.name),
            format!(
                "trim the shared variable `{}` ({} → {shorter} tokens)",
                v.name,
                tokens.round()
            ),
        )
    };
    Some(Candidate {
        kind: Kind::Trim,
        call: name.clone(),
        title,
        // Content that differs per request stays so when shorter: without
        // the mark, the trimmed part would join the cached prefix and the
        // saving would claim caching nobody asked for.
        sets: vec![(
            path,
            if v.per_request {
                format!("{{tokens: {shorter}, per_request: true}}")
            } else {
                format!("{{tokens: {shorter}}}")
            },
        )],
    })
}

/// Cap long answers (100 tokens or more on average).
fn cap_answers(call: &Call, a: Assumptions) -> Option<Candidate> {
    let mean = call.output_tokens.mean;
    if mean < Decimal::from(100) {
        return None;
    }
    let capped = (mean * (Decimal::ONE - a.trim)).round();
    let p95 = call.output_tokens.p95.max(capped);
    Some(Candidate {
        kind: Kind::Output,
        call: call.name.clone(),
        title: format!(
            "cap answers of `{}` ({} → {capped} tokens on average)",
            call.name,
            mean.round()
        ),
        sets: vec![(
            format!("{}output_tokens", at(call)),
            format!("{{mean: {capped}, p95: {}}}", p95.round()),
        )],
    })
}

/// Cut the history a conversation re-sends to the last few turns.
fn cut_history(call: &Call, a: Assumptions) -> Option<Candidate> {
    let c = call.conversation.as_ref()?;
    (c.history == History::Full && c.turns > a.window + 1).then(|| Candidate {
        kind: Kind::History,
        call: call.name.clone(),
        title: format!(
            "re-send only the last {} turns of `{}`'s history",
            a.window, call.name
        ),
        sets: vec![(
            format!("{}conversation", at(call)),
            format!("{{turns: {}, window: {}}}", c.turns, a.window),
        )],
    })
}

/// Models `suggest` looked at and left out, with why: a cheaper model that
/// cannot serve the spec (a prompt over its window, output over its max),
/// or a reasoning model whose reasoning the call does not state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub call: String,
    pub model: String,
    pub why: String,
}

/// For each call on one model: the next cheaper current model from the same
/// provider that keeps every budget (the smallest step down, not the
/// cheapest model there is); a reasoning model only where the call states
/// its `reasoning_tokens`. Models that would have been candidates but
/// cannot serve the call, or reason uncounted, are listed in `left_out`.
pub fn cheaper_models(
    spec: &Spec,
    prices: &PriceTable,
    base: &Estimate,
    rerun: &Rerun,
    left_out: &mut Vec<LeftOut>,
) -> Vec<Suggestion> {
    let today = crate::date::Date::today();
    let mut out = Vec::new();
    for call in spec
        .calls
        .iter()
        .filter(|c| matches!(c.serving, crate::spec::Serving::Model(_)))
    {
        let Some(current) = prices.get(call.model()) else {
            continue;
        };
        let mut best: Option<Suggestion> = None;
        for m in prices.models().filter(|m| {
            m.provider == current.provider
                && m.name != current.name
                && m.self_hosted.is_none()
                // Retired or retiring within 90 days: a move to undo soon.
                && crate::pricing::retirement(m, today).is_none()
        }) {
            let leave = |why: String| LeftOut {
                call: call.name.clone(),
                model: m.name.clone(),
                why,
            };
            // A reasoning model looks cheap while its hidden reasoning,
            // billed as output, is not counted.
            let cheaper_per_token =
                m.rates.input < current.rates.input || m.rates.output < current.rates.output;
            if call.leaves_out_reasoning(m) {
                if cheaper_per_token {
                    left_out.push(leave(
                        "reasons by default; state the call's reasoning_tokens to weigh it".into(),
                    ));
                }
                continue;
            }
            let candidate = Candidate {
                kind: Kind::Model,
                call: call.name.clone(),
                title: format!("move `{}` from {} to {}", call.name, current.name, m.name),
                sets: vec![(format!("{}model", at(call)), m.name.clone())],
            };
            if cheaper_per_token && let Err(why) = rerun(&candidate.sets) {
                left_out.push(leave(why));
                continue;
            }
            let Some(s) = judge(candidate, base, rerun).filter(|s| s.budget_ok) else {
                continue;
            };
            // The smallest step down: the dearest of the cheaper models (the
            // first of equals, in the catalog's order).
            if best
                .as_ref()
                .is_none_or(|b| s.cost_per_month > b.cost_per_month)
            {
                best = Some(s);
            }
        }
        out.extend(best);
    }
    out
}
