//! One call's cost: each request priced on its own (tiers, cache use),
//! then averaged; conversations as their turns; routes as their legs.

use std::fmt;

use rust_decimal::Decimal;

use super::conversation::{self, ConversationShape};
use crate::billing::{self, CacheUse, Terms, cache_use};
use crate::count::{CallTokens, RequestTokens, nearest_rank_95};
use crate::figures::Count;
use crate::notes::{self, Note};
use crate::pricing::{CacheTtl, ModelPrice, RateError};

/// What to estimate for one call.
#[derive(Debug, Clone)]
pub struct CallInput<'a> {
    pub name: String,
    pub model: &'a ModelPrice,
    pub tokens: CallTokens,
    pub runs_per_request: Decimal,
    /// Cache hit rate; None without `cache`.
    pub cache_hit_rate: Option<Decimal>,
    pub cache_ttl: CacheTtl,
    pub batch: bool,
    /// The tier, region and speed it is served at.
    pub service: crate::pricing::Service,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEstimate {
    pub name: String,
    /// What serves the call: its model, or a route's or cascade's legs.
    pub serving: crate::spec::Serving,
    pub runs_per_request: Decimal,
    pub input_tokens: Decimal,
    pub input_tokens_p95: Decimal,
    pub cached_input_tokens: Decimal,
    pub cache_write_tokens: Decimal,
    pub output_tokens: Decimal,
    pub output_tokens_p95: Decimal,
    pub reasoning_tokens: Decimal,
    pub tokens_estimated: bool,
    pub batch: bool,
    /// The tier, region and speed it is served at.
    pub service: crate::pricing::Service,
    /// Off the list price (a service tier, a region, fast mode): the rates
    /// applied below any long-context tier, uplifts included.
    pub rates: Option<crate::pricing::Rates>,
    pub cost_per_run: Decimal,
    pub cost_per_request: Decimal,
    pub cost_per_request_p95: Decimal,
    /// For a conversation: its turns and the cost of one whole conversation
    /// (runs and costs per run above are then per turn).
    pub turns: Option<u32>,
    pub cost_per_conversation: Option<Decimal>,
    /// For a cached conversation: the mean cache writes of each turn.
    pub cache_writes_by_turn: Vec<Decimal>,
    /// The share of runs priced at each tier (base prices: `above` None).
    pub tier_mix: Vec<TierShare>,
    /// For a routed or cascaded call: each model, its weight and its figures.
    pub legs: Vec<LegEstimate>,
    /// Expected seconds for the call's runs in one request, where every
    /// model's speed is known.
    pub latency_seconds: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegEstimate {
    pub model: String,
    pub weight: Decimal,
    pub input_tokens: Decimal,
    pub cost_per_run: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    NoBatchPrices {
        call: String,
        model: String,
    },
    /// The model is not served on the call's terms (a tier, fast mode).
    NotOffered {
        call: String,
        model: String,
        why: RateError,
    },
    /// A request the provider would refuse: its prompt (p95 included) is
    /// over the model's context window, or its output over the model's
    /// max output.
    Impossible(Impossible),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impossible {
    pub call: String,
    pub model: String,
    /// The p95 prompt (`Prompt`) or output (`Output`) tokens, and the limit.
    pub what: Limit,
    pub tokens: Decimal,
    pub limit: u64,
    /// The turn of a conversation where it first happens.
    pub turn: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    ContextWindow,
    MaxOutput,
}

impl fmt::Display for Impossible {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let turn = self
            .turn
            .map(|t| format!(" in turn {t}"))
            .unwrap_or_default();
        match self.what {
            Limit::ContextWindow => write!(
                f,
                "call `{}` sends {} prompt tokens{turn}, over {}'s context window of {}: the provider would refuse the request",
                self.call,
                self.tokens.round_dp(0),
                self.model,
                self.limit
            ),
            Limit::MaxOutput => write!(
                f,
                "call `{}` asks for {} output tokens{turn}, over {}'s max output of {}: the provider would refuse the request",
                self.call,
                self.tokens.round_dp(0),
                self.model,
                self.limit
            ),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            CallError::NoBatchPrices { call, model } => {
                write!(f, "call `{call}`: `{model}` has no batch prices")
            }
            CallError::NotOffered { call, model, why } => {
                write!(f, "call `{call}`: `{model}` {why}")
            }
            CallError::Impossible(i) => i.fmt(f),
        }
    }
}

/// One run as billed: its prompt and output, the prefix an earlier request
/// (or turn) left cached that it can read, and the prefix it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub prompt: Decimal,
    pub output: Decimal,
    pub earlier: Decimal,
    pub own: Decimal,
}

/// A run's cost and cache use, and the tier its prompt fell in.
struct Billing {
    cost: Decimal,
    cache: CacheUse,
    tier: Option<Decimal>,
}

/// The share of a call's runs priced at one tier (`above`: None for the
/// base prices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierShare {
    pub above: Option<Decimal>,
    pub share: Decimal,
}

/// Which hit rate applies: None where caching was not asked for, or the
/// model has no cached price (said in a warning).
fn hit_rate(input: &CallInput, notes: &mut Vec<Note>) -> Option<Decimal> {
    let h = input.cache_hit_rate?;
    if !billing::caching_applies(input.model) {
        notes::push(
            notes,
            Note::NoCachedPrice {
                call: input.name.clone(),
                model: input.model.name.clone(),
            },
        );
        return None;
    }
    if let Some(var) = &input.tokens.prefix_cut {
        notes::push(
            notes,
            Note::PrefixCut {
                call: input.name.clone(),
                variable: var.clone(),
                cacheable_tokens: Count(input.tokens.cacheable_prefix),
                split_would_add: Count(input.tokens.prefix_head),
            },
        );
    }
    Some(h)
}

fn bill(input: &CallInput, hit: Option<Decimal>, run: &Run) -> Result<Billing, CallError> {
    let cache = hit.map_or(CacheUse::default(), |h| {
        cache_use(input.model, h, run.earlier, run.own)
    });
    let (cache_write, cache_write_1h) = match input.cache_ttl {
        CacheTtl::Minutes5 => (cache.writes, Decimal::ZERO),
        CacheTtl::Hour1 => (Decimal::ZERO, cache.writes),
    };
    let reasoning = input.tokens.reasoning.min(run.output);
    let bill = billing::bill(
        input.model,
        &billing::Run {
            prompt: run.prompt,
            cache_read: cache.reads,
            cache_write,
            cache_write_1h,
            output: run.output - reasoning,
            reasoning,
        },
        Terms {
            batch: input.batch,
            service: input.service,
        },
    )
    .map_err(|why| match why {
        RateError::NoBatchPrices => CallError::NoBatchPrices {
            call: input.name.clone(),
            model: input.model.name.clone(),
        },
        why => CallError::NotOffered {
            call: input.name.clone(),
            model: input.model.name.clone(),
            why,
        },
    })?;
    Ok(Billing {
        cost: bill.total(),
        cache,
        tier: bill.tier,
    })
}

/// The runs of one request of the call: one run, or a conversation's turns.
fn runs(
    input: &CallInput,
    shape: Option<&ConversationShape>,
    r: &RequestTokens,
    output: Decimal,
) -> Vec<Run> {
    let prefix = input.tokens.cacheable_prefix;
    match shape {
        None => vec![Run {
            prompt: r.prompt,
            output,
            earlier: prefix,
            own: prefix,
        }],
        Some(shape) => {
            // The history re-sends the visible answer of the same request:
            // the p95 conversation carries p95 replies, not mean ones.
            // Reasoning is not sent back.
            let reply = billing::visible_output(output, input.tokens.reasoning);
            conversation::turns(shape, r, prefix, reply, output)
        }
    }
}

/// A request the provider would refuse: a run of the p95 request over the
/// context window, or output over the max output.
fn check_limits(input: &CallInput, p95: &[Run], conversation: bool) -> Result<(), CallError> {
    let impossible = |what, tokens, limit, turn| {
        CallError::Impossible(Impossible {
            call: input.name.clone(),
            model: input.model.name.clone(),
            what,
            tokens,
            limit,
            turn,
        })
    };
    for (i, run) in p95.iter().enumerate() {
        let turn = conversation.then_some(i as u32 + 1);
        if let Some(window) = input.model.context_window
            && run.prompt > Decimal::from(window)
        {
            return Err(impossible(Limit::ContextWindow, run.prompt, window, turn));
        }
        if let Some(max) = input.model.max_output
            && run.output > Decimal::from(max)
        {
            return Err(impossible(Limit::MaxOutput, run.output, max, turn));
        }
    }
    Ok(())
}

/// One run of a call a request.
pub fn estimate_call(input: &CallInput, notes: &mut Vec<Note>) -> Result<CallEstimate, CallError> {
    estimate_runs(input, None, notes)
}

/// A conversation of `shape.turns` turns: turn t sends the call's prompt
/// plus the history, which is a cacheable prefix where the call caches.
/// Figures per run are per turn (averages); a request is one conversation
/// per run of the call.
pub fn estimate_conversation(
    input: &CallInput,
    shape: &ConversationShape,
    notes: &mut Vec<Note>,
) -> Result<CallEstimate, CallError> {
    estimate_runs(input, Some(shape), notes)
}

/// Sums over every run of every request.
#[derive(Default)]
struct Sums {
    cost: Decimal,
    prompt: Decimal,
    reads: Decimal,
    writes: Decimal,
    writes_by_turn: Vec<Decimal>,
    tiers: Vec<(Option<Decimal>, u64)>,
    eligible: bool,
}

impl Sums {
    /// Every run of every request of the call, billed one by one.
    fn of(
        input: &CallInput,
        shape: Option<&ConversationShape>,
        hit: Option<Decimal>,
    ) -> Result<Sums, CallError> {
        let mut sums = Sums::default();
        for r in &input.tokens.requests {
            let output = input.tokens.output.mean;
            for (turn, run) in runs(input, shape, r, output).iter().enumerate() {
                let b = bill(input, hit, run)?;
                sums.cost += b.cost;
                sums.prompt += run.prompt;
                sums.reads += b.cache.reads;
                sums.writes += b.cache.writes;
                sums.eligible |= b.cache.eligible;
                if sums.writes_by_turn.len() <= turn {
                    sums.writes_by_turn.push(Decimal::ZERO);
                }
                sums.writes_by_turn[turn] += b.cache.writes;
                match sums.tiers.iter_mut().find(|(a, _)| *a == b.tier) {
                    Some((_, n)) => *n += 1,
                    None => sums.tiers.push((b.tier, 1)),
                }
            }
        }
        Ok(sums)
    }

    /// The share of `all_runs` priced at each tier, base prices first.
    fn tier_mix(&self, all_runs: Decimal) -> Vec<TierShare> {
        let mut mix: Vec<TierShare> = self
            .tiers
            .iter()
            .map(|(above, n)| TierShare {
                above: *above,
                share: Decimal::from(*n) / all_runs,
            })
            .collect();
        mix.sort_by_key(|s| s.above);
        mix
    }
}

/// Prompt and output that do not fit the window together: the provider
/// cuts the answer short. Said once, at the first run (turn) it happens.
fn window_warning(input: &CallInput, p95: &[Run], conversation: bool) -> Option<Note> {
    let window = input.model.context_window?;
    let (i, run) = p95
        .iter()
        .enumerate()
        .find(|(_, r)| r.prompt + r.output > Decimal::from(window))?;
    Some(Note::ContextWindowFull {
        call: input.name.clone(),
        model: input.model.name.clone(),
        tokens: Count(run.prompt + run.output),
        window,
        turn: conversation.then_some(i as u32 + 1),
    })
}

/// The expected cost is the mean of each request's own cost, each run
/// priced at its own tier with its own cache use; never the cost of the
/// mean request. p95 is the 95th-percentile request (by prompt) with the
/// p95 output.
fn estimate_runs(
    input: &CallInput,
    shape: Option<&ConversationShape>,
    notes: &mut Vec<Note>,
) -> Result<CallEstimate, CallError> {
    let t = &input.tokens;
    let p95_request = &t.requests[nearest_rank_95(t.requests.len())];
    let p95_runs = runs(input, shape, p95_request, t.output.p95);
    check_limits(input, &p95_runs, shape.is_some())?;
    let hit = hit_rate(input, notes);
    let sums = Sums::of(input, shape, hit)?;
    if hit.is_some() && !sums.eligible {
        notes::push(
            notes,
            Note::BelowCacheMinimum {
                call: input.name.clone(),
                model: input.model.name.clone(),
                prefix_tokens: Count(t.cacheable_prefix),
                minimum: input.model.min_cacheable_tokens,
            },
        );
    }
    let mut cost_p95 = Decimal::ZERO;
    for run in &p95_runs {
        cost_p95 += bill(input, hit, run)?.cost;
    }
    if let Some(n) = window_warning(input, &p95_runs, shape.is_some()) {
        notes::push(notes, n);
    }
    let requests = Decimal::from(t.requests.len() as u64);
    let turns = shape.map_or(1, |s| s.turns);
    let runs_of_one = Decimal::from(turns);
    let all_runs = requests * runs_of_one;
    let per_request = sums.cost / requests;
    let latency_seconds = input.model.latency.as_ref().map(|l| {
        (l.ttft_seconds + t.output.mean / l.output_tokens_per_second)
            * input.runs_per_request
            * runs_of_one
    });
    let tier_mix = sums.tier_mix(all_runs);
    Ok(CallEstimate {
        turns: shape.map(|s| s.turns),
        cost_per_conversation: shape.map(|_| per_request),
        cache_writes_by_turn: match shape {
            Some(_) if !sums.writes.is_zero() => {
                sums.writes_by_turn.iter().map(|w| *w / requests).collect()
            }
            _ => Vec::new(),
        },
        tier_mix,
        legs: Vec::new(),
        latency_seconds,
        name: input.name.clone(),
        serving: crate::spec::Serving::Model(input.model.name.clone()),
        runs_per_request: input.runs_per_request * runs_of_one,
        input_tokens: sums.prompt / all_runs,
        input_tokens_p95: if shape.is_some() {
            p95_runs.iter().map(|r| r.prompt).sum::<Decimal>() / runs_of_one
        } else {
            t.prompt().p95
        },
        cached_input_tokens: sums.reads / all_runs,
        cache_write_tokens: sums.writes / all_runs,
        output_tokens: t.output.mean,
        output_tokens_p95: t.output.p95,
        reasoning_tokens: t.reasoning,
        tokens_estimated: t.estimated,
        batch: input.batch,
        service: input.service,
        rates: if input.service.is_standard() {
            None
        } else {
            input
                .model
                .rates_on(
                    Decimal::ZERO,
                    input.batch,
                    input.service,
                    CacheTtl::Minutes5,
                )
                .ok()
        },
        cost_per_run: sums.cost / all_runs,
        cost_per_request: per_request * input.runs_per_request,
        cost_per_request_p95: cost_p95 * input.runs_per_request,
    })
}

/// A call spread over models: the weighted sum of each leg's figures
/// (a route's shares, or a cascade's first model plus its escalated share).
pub fn combine_legs(
    serving: &crate::spec::Serving,
    legs: Vec<(Decimal, CallEstimate)>,
) -> CallEstimate {
    let mut out = legs[0].1.clone();
    if legs.len() == 1 && legs[0].0 == Decimal::ONE {
        return out;
    }
    let sum =
        |f: &dyn Fn(&CallEstimate) -> Decimal| legs.iter().map(|(w, e)| *w * f(e)).sum::<Decimal>();
    out.serving = serving.clone();
    out.input_tokens = sum(&|e| e.input_tokens);
    out.input_tokens_p95 = sum(&|e| e.input_tokens_p95);
    out.cached_input_tokens = sum(&|e| e.cached_input_tokens);
    out.cache_write_tokens = sum(&|e| e.cache_write_tokens);
    out.output_tokens = sum(&|e| e.output_tokens);
    out.output_tokens_p95 = sum(&|e| e.output_tokens_p95);
    out.reasoning_tokens = sum(&|e| e.reasoning_tokens);
    out.cost_per_run = sum(&|e| e.cost_per_run);
    out.cost_per_request = sum(&|e| e.cost_per_request);
    out.cost_per_request_p95 = sum(&|e| e.cost_per_request_p95);
    out.cost_per_conversation = out
        .cost_per_conversation
        .map(|_| sum(&|e| e.cost_per_conversation.unwrap_or_default()));
    out.tokens_estimated = legs.iter().any(|(_, e)| e.tokens_estimated);
    // Shares of runs: each leg's weighted by its share of all runs billed.
    let weights: Decimal = legs.iter().map(|(w, _)| *w).sum();
    let mut mix: Vec<TierShare> = Vec::new();
    for (w, e) in &legs {
        for t in &e.tier_mix {
            let share = *w * t.share / weights;
            match mix.iter_mut().find(|m| m.above == t.above) {
                Some(m) => m.share += share,
                None => mix.push(TierShare {
                    above: t.above,
                    share,
                }),
            }
        }
    }
    mix.sort_by_key(|s| s.above);
    out.tier_mix = mix;
    let turns = legs.iter().map(|(_, e)| e.cache_writes_by_turn.len()).max();
    out.cache_writes_by_turn = (0..turns.unwrap_or(0))
        .map(|t| {
            legs.iter()
                .map(|(w, e)| *w * e.cache_writes_by_turn.get(t).copied().unwrap_or_default())
                .sum()
        })
        .collect();
    out.latency_seconds = legs
        .iter()
        .map(|(w, e)| e.latency_seconds.map(|l| *w * l))
        .sum();
    out.legs = legs
        .iter()
        .map(|(w, e)| LegEstimate {
            model: e.serving.first_model().to_string(),
            weight: *w,
            input_tokens: e.input_tokens,
            cost_per_run: e.cost_per_run,
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{Rates, Tier};
    use crate::spec::{Distribution, History, Traffic, Volume};

    use crate::test_support::d;

    fn rates(input: &str, cached: Option<&str>, write: Option<&str>, output: &str) -> Rates {
        Rates {
            input: d(input),
            cached_input: cached.map(d),
            cache_write: write.map(d),
            output: d(output),
        }
    }

    fn model(r: Rates) -> ModelPrice {
        ModelPrice {
            context_window: Some(128_000),
            batch: Some(Rates {
                input: r.input / d("2"),
                cached_input: None,
                cache_write: None,
                output: r.output / d("2"),
            }),
            ..crate::test_support::model(r)
        }
    }

    fn tokens(prompt: &str, prefix: &str, output: &str) -> CallTokens {
        CallTokens {
            requests: vec![RequestTokens {
                prompt: d(prompt),
                last_message: Decimal::ZERO,
            }],
            prefix_cut: None,
            prefix_head: Decimal::ZERO,
            paired: Vec::new(),
            cacheable_prefix: d(prefix),
            output: Distribution {
                mean: d(output),
                p95: d(output),
            },
            reasoning: Decimal::ZERO,
            estimated: false,
        }
    }

    fn call<'a>(m: &'a ModelPrice, t: CallTokens, hit: Option<&str>) -> CallInput<'a> {
        CallInput {
            name: "c".into(),
            model: m,
            tokens: t,
            runs_per_request: Decimal::ONE,
            cache_hit_rate: hit.map(d),
            cache_ttl: CacheTtl::Minutes5,
            batch: false,
            service: Default::default(),
        }
    }

    #[test]
    fn a_request_over_the_models_limits_is_refused_not_billed() {
        // The test model's window is 128,000 tokens: 128,000 fits exactly,
        // 128,001 does not.
        let m = model(rates("0.15", None, None, "0.6"));
        let mut w = vec![];
        assert!(estimate_call(&call(&m, tokens("128000", "0", "10"), None), &mut w).is_ok());
        let err = estimate_call(&call(&m, tokens("128001", "0", "10"), None), &mut w).unwrap_err();
        let CallError::Impossible(i) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (i.what, i.tokens, i.limit),
            (Limit::ContextWindow, d("128001"), 128_000)
        );
        let limited = ModelPrice {
            max_output: Some(1000),
            ..m.clone()
        };
        let err =
            estimate_call(&call(&limited, tokens("10", "0", "1001"), None), &mut w).unwrap_err();
        assert!(matches!(
            err,
            CallError::Impossible(Impossible {
                what: Limit::MaxOutput,
                ..
            })
        ));
    }

    #[test]
    fn the_p95_conversation_re_sends_p95_replies() {
        // Input $1/M, output $1/M (so a cost in millionths is a token
        // count); one request of prompt 100, user message 10; replies mean
        // 50, p95 200; 2 turns of full history, no cache.
        //   p95 turn 1: 100 in + 200 out = 300
        //   p95 turn 2: 100 + history 10 + (4 framing + 200) = 314 in,
        //   200 out = 514; p95 request: 814 millionths. Re-sending the mean
        //   reply (50) instead would give turn 2 = 164 + 200, 664 in all.
        let m = model(rates("1", None, None, "1"));
        let mut t = tokens("100", "0", "50");
        t.requests[0].last_message = d("10");
        t.output.p95 = d("200");
        let shape = ConversationShape {
            turns: 2,
            history: History::Full,
        };
        let e = estimate_conversation(&call(&m, t, None), &shape, &mut vec![]).unwrap();
        assert_eq!(e.cost_per_request_p95, d("0.000814"));
        // The mean conversation re-sends mean replies: 100 + 50 and
        // 100 + 10 + 54 + 50, 364 millionths.
        assert_eq!(e.cost_per_request, d("0.000364"));
    }

    #[test]
    fn automatic_caching_bills_misses_as_plain_input() {
        let m = model(rates("0.15", Some("0.075"), None, "0.6"));
        let mut w = vec![];
        let e = estimate_call(
            &call(&m, tokens("2904", "1640", "280"), Some("0.8")),
            &mut w,
        )
        .unwrap();
        assert_eq!(
            (e.cached_input_tokens, e.cache_write_tokens),
            (d("1312"), d("0"))
        );
        // (2904-1312)*0.15 + 1312*0.075 + 280*0.6 = 238.8 + 98.4 + 168 = 505.2
        assert_eq!(e.cost_per_run, d("0.0005052"));
        assert!(w.is_empty());
    }

    #[test]
    fn explicit_caching_bills_writes_on_misses() {
        let m = model(rates("3", Some("0.3"), Some("3.75"), "15"));
        let mut w = vec![];
        let e = estimate_call(
            &call(&m, tokens("5000", "4000", "100"), Some("0.9")),
            &mut w,
        )
        .unwrap();
        assert_eq!(
            (e.cached_input_tokens, e.cache_write_tokens),
            (d("3600"), d("400"))
        );
        // (5000-3600-400)*3 + 3600*0.3 + 400*3.75 + 100*15 = 3000+1080+1500+1500
        assert_eq!(e.cost_per_run, d("0.00708"));
    }

    #[test]
    fn a_prefix_below_the_minimum_is_not_cached() {
        let m = model(rates("0.15", Some("0.075"), None, "0.6"));
        let mut w = vec![];
        let e = estimate_call(&call(&m, tokens("2000", "1023", "0"), Some("1")), &mut w).unwrap();
        assert_eq!(e.cached_input_tokens, d("0"));
        assert_eq!(e.cost_per_run, d("0.0003"));
        assert!(w[0].to_string().contains("minimum of 1024"), "{w:?}");
        // with explicit caching, nothing is written to a cache that cannot form
        let explicit = model(rates("3", Some("0.3"), Some("3.75"), "15"));
        let e = estimate_call(
            &call(&explicit, tokens("2000", "1000", "0"), Some("0.5")),
            &mut w,
        )
        .unwrap();
        assert_eq!(
            (e.cached_input_tokens, e.cache_write_tokens),
            (d("0"), d("0"))
        );
        assert_eq!(e.cost_per_run, d("0.006"));
        let e = estimate_call(&call(&m, tokens("2000", "1024", "0"), Some("1")), &mut w).unwrap();
        assert_eq!(e.cached_input_tokens, d("1024"));
    }

    #[test]
    fn long_context_tier_prices_the_whole_run() {
        let mut m = model(rates("1.25", Some("0.125"), None, "10"));
        m.context_window = None;
        m.tiers = vec![Tier {
            above: d("200000"),
            rates: rates("2.5", Some("0.25"), None, "15"),
        }];
        let mut w = vec![];
        let at = estimate_call(&call(&m, tokens("200000", "0", "1000"), None), &mut w).unwrap();
        assert_eq!(at.cost_per_run, d("0.26")); // 200000*1.25 + 1000*10
        let above = estimate_call(&call(&m, tokens("200001", "0", "1000"), None), &mut w).unwrap();
        assert_eq!(above.cost_per_run, d("0.5150025")); // 200001*2.5 + 1000*15
    }

    #[test]
    fn batch_prices_and_missing_batch_prices() {
        let m = model(rates("2", Some("0.5"), None, "8"));
        let mut c = call(&m, tokens("1000", "0", "1000"), None);
        c.batch = true;
        let mut w = vec![];
        assert_eq!(estimate_call(&c, &mut w).unwrap().cost_per_run, d("0.005")); // 1000*1 + 1000*4
        let mut unbatched = m.clone();
        unbatched.batch = None;
        c.model = &unbatched;
        assert!(matches!(
            estimate_call(&c, &mut w),
            Err(CallError::NoBatchPrices { .. })
        ));
    }

    #[test]
    fn reasoning_tokens_and_runs_per_request() {
        let m = model(rates("1", None, None, "10"));
        let mut t = tokens("100", "0", "50");
        t.output.mean += d("200"); // reasoning is billed as output
        let mut c = call(&m, t, None);
        c.runs_per_request = d("1.1");
        let e = estimate_call(&c, &mut vec![]).unwrap();
        assert_eq!(e.cost_per_run, d("0.0026")); // 100*1 + 250*10
        assert_eq!(e.cost_per_request, d("0.00286"));
    }

    fn traffic(volume: Volume) -> Traffic {
        Traffic {
            volume,
            days_per_month: d("30"),
            growth_per_month: None,
        }
    }

    #[test]
    fn totals_add_calls_and_scale_by_traffic() {
        let m = model(rates("0.1", None, None, "0.4"));
        let c = estimate_call(&call(&m, tokens("1000", "0", "100"), None), &mut vec![]).unwrap();
        let t = super::super::totals(&[c.clone(), c], &traffic(Volume::PerDay(d("1000"))), None)
            .unwrap();
        assert_eq!(t.cost_per_request, d("0.00028"));
        assert_eq!(t.cost_per_day, d("0.28"));
        assert_eq!(t.cost_per_month, d("8.4"));
        assert_eq!(t.cost_per_user_per_month, None);
    }
}
