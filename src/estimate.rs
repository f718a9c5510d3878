//! The arithmetic: token counts and prices → cost per run, per request, per
//! day, per month, per user, and the gross-margin impact. Pure functions over
//! plain values, in decimal: nothing here does I/O and nothing is rounded.

use std::fmt;

use rust_decimal::Decimal;

use crate::count::CallTokens;
use crate::pricing::{CacheTtl, ModelPrice, RateError, Rates};
use crate::spec::{Economics, Revenue, Traffic, Volume};

const PER_MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEstimate {
    pub name: String,
    pub model: String,
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
    pub cost_per_run: Decimal,
    pub cost_per_request: Decimal,
    pub cost_per_request_p95: Decimal,
    /// For a conversation: its turns and the cost of one whole conversation
    /// (runs and costs per run above are then per turn).
    pub turns: Option<u32>,
    pub cost_per_conversation: Option<Decimal>,
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

impl From<CallError> for crate::error::Error {
    fn from(e: CallError) -> Self {
        match e {
            CallError::NoBatchPrices { call, model } => {
                crate::error::Error::Other(format!("call `{call}`: `{model}` has no batch prices"))
            }
            CallError::Impossible(i) => crate::error::Error::Other(i.to_string()),
        }
    }
}

/// Token counts of one run split the way they are billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Billed {
    pub prompt: Decimal,
    pub cache_read: Decimal,
    pub cache_write: Decimal,
    pub output: Decimal,
}

/// `((P−R−W)·input + R·cached_input + W·cache_write + O·output) / 10⁶`.
pub fn run_cost(tokens: Billed, rates: &Rates) -> Decimal {
    let plain = tokens.prompt - tokens.cache_read - tokens.cache_write;
    let cached = rates.cached_input.unwrap_or(rates.input);
    let write = rates.cache_write.unwrap_or(rates.input);
    (plain * rates.input
        + tokens.cache_read * cached
        + tokens.cache_write * write
        + tokens.output * rates.output)
        / PER_MILLION
}

/// The cache reads and writes of one run: R = h·C, and W = (1−h)·C where the
/// model charges for writes (explicit caching), else 0 (a miss is plain input).
pub fn cache_split(prefix: Decimal, hit_rate: Decimal, rates: &Rates) -> (Decimal, Decimal) {
    let reads = hit_rate * prefix;
    let writes = if rates.cache_write.is_some() {
        (Decimal::ONE - hit_rate) * prefix
    } else {
        Decimal::ZERO
    };
    (reads, writes)
}

/// Something the arithmetic could not do as the spec asked. Typed so that
/// a caller estimating a call many times (a conversation) can tell kinds apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallWarning {
    /// Caching was asked for but cannot apply; the reason.
    NoCaching(String),
    /// Prompt and output do not fit the model's context window.
    ContextWindow(String),
}

impl std::fmt::Display for CallWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            CallWarning::NoCaching(m) | CallWarning::ContextWindow(m) => f.write_str(m),
        }
    }
}

/// Whether caching applies to a run of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caching {
    NotAsked,
    /// Asked for, but the model cannot: no cached price, or the prefix is
    /// below its minimum. Then nothing is read from or written to a cache.
    Blocked(String),
    Applies {
        hit_rate: Decimal,
    },
}

pub fn caching(input: &CallInput) -> Caching {
    let Some(hit_rate) = input.cache_hit_rate else {
        return Caching::NotAsked;
    };
    let m = input.model;
    let prefix = input.tokens.cacheable_prefix;
    if m.rates.cached_input.is_none() {
        return Caching::Blocked(format!(
            "call `{}`: {} has no cached-input price, so caching is not applied",
            input.name, m.name
        ));
    }
    if prefix < Decimal::from(m.min_cacheable_tokens) {
        return Caching::Blocked(format!(
            "call `{}`: the cacheable prefix is {} tokens, below {}'s minimum of {}; caching is not applied",
            input.name,
            prefix.round_dp(0),
            m.name,
            m.min_cacheable_tokens
        ));
    }
    Caching::Applies { hit_rate }
}

pub fn estimate_call(
    input: &CallInput,
    warnings: &mut Vec<CallWarning>,
) -> Result<CallEstimate, CallError> {
    let (hit_rate, cacheable) = match caching(input) {
        Caching::Applies { hit_rate } => (hit_rate, input.tokens.cacheable_prefix),
        Caching::NotAsked => (Decimal::ZERO, Decimal::ZERO),
        Caching::Blocked(why) => {
            warnings.push(CallWarning::NoCaching(why));
            (Decimal::ZERO, Decimal::ZERO)
        }
    };
    let t = &input.tokens;
    let cost =
        |prompt: Decimal, output: Decimal| -> Result<(Decimal, Decimal, Decimal), CallError> {
            let rates = input
                .model
                .rates_for(prompt, input.batch, input.cache_ttl)
                .map_err(|RateError::NoBatchPrices| CallError::NoBatchPrices {
                    call: input.name.clone(),
                    model: input.model.name.clone(),
                })?;
            let (reads, writes) = cache_split(cacheable, hit_rate, &rates);
            Ok((
                run_cost(
                    Billed {
                        prompt,
                        cache_read: reads,
                        cache_write: writes,
                        output,
                    },
                    &rates,
                ),
                reads,
                writes,
            ))
        };
    // A request over the model's limits is refused, not billed: an error,
    // whatever the budget says (the p95 request counts).
    let impossible = |what, tokens, limit| {
        CallError::Impossible(Impossible {
            call: input.name.clone(),
            model: input.model.name.clone(),
            what,
            tokens,
            limit,
            turn: None,
        })
    };
    if let Some(window) = input.model.context_window
        && t.prompt.p95 > Decimal::from(window)
    {
        return Err(impossible(Limit::ContextWindow, t.prompt.p95, window));
    }
    if let Some(max) = input.model.max_output
        && t.output.p95 > Decimal::from(max)
    {
        return Err(impossible(Limit::MaxOutput, t.output.p95, max));
    }
    let (cost_per_run, reads, writes) = cost(t.prompt.mean, t.output.mean)?;
    let (cost_p95, ..) = cost(t.prompt.p95, t.output.p95)?;
    if let Some(window) = input.model.context_window
        && t.prompt.p95 + t.output.p95 > Decimal::from(window)
    {
        warnings.push(CallWarning::ContextWindow(format!(
            "call `{}`: {} prompt and output tokens exceed {}'s context window of {window}",
            input.name,
            (t.prompt.p95 + t.output.p95).round_dp(0),
            input.model.name
        )));
    }
    let latency_seconds = input.model.latency.as_ref().map(|l| {
        (l.ttft_seconds + t.output.mean / l.output_tokens_per_second) * input.runs_per_request
    });
    Ok(CallEstimate {
        turns: None,
        cost_per_conversation: None,
        legs: Vec::new(),
        latency_seconds,
        name: input.name.clone(),
        model: input.model.name.clone(),
        runs_per_request: input.runs_per_request,
        input_tokens: t.prompt.mean,
        input_tokens_p95: t.prompt.p95,
        cached_input_tokens: reads,
        cache_write_tokens: writes,
        output_tokens: t.output.mean,
        output_tokens_p95: t.output.p95,
        reasoning_tokens: t.reasoning,
        tokens_estimated: t.estimated,
        batch: input.batch,
        cost_per_run,
        cost_per_request: cost_per_run * input.runs_per_request,
        cost_per_request_p95: cost_p95 * input.runs_per_request,
    })
}

/// How a conversation re-sends its past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationShape {
    pub turns: u32,
    pub history: crate::spec::History,
}

/// Tokens of the history re-sent at turn `t` (1-based): each kept turn is
/// the user's message plus the assistant's reply with its chat framing; a
/// summary replaces them all with one message.
pub fn history_tokens(
    shape: &ConversationShape,
    t: u32,
    user_message: Decimal,
    reply: Decimal,
) -> Decimal {
    use crate::spec::History;
    let prior = t.saturating_sub(1);
    let assistant = Decimal::from(crate::tokens::TOKENS_PER_MESSAGE + 1) + reply;
    match shape.history {
        History::Full => Decimal::from(prior) * (user_message + assistant),
        History::Window(k) => Decimal::from(prior.min(k)) * (user_message + assistant),
        History::Summary(s) if prior > 0 => {
            s + Decimal::from(crate::tokens::TOKENS_PER_MESSAGE + 1)
        }
        History::Summary(_) => Decimal::ZERO,
    }
}

/// A conversation of `shape.turns` turns: turn t sends the call's prompt
/// plus the history, which is a cacheable prefix where the call caches.
/// Figures per run are per turn (averages); a request is one conversation
/// per run of the call.
pub fn estimate_conversation(
    input: &CallInput,
    shape: &ConversationShape,
    warnings: &mut Vec<CallWarning>,
) -> Result<CallEstimate, CallError> {
    let mut total = Decimal::ZERO;
    let mut total_p95 = Decimal::ZERO;
    let (mut prompt, mut cached, mut written) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut no_caching = Vec::new();
    let mut cached_any = false;
    let mut overflow = None;
    let mut last = None;
    for t in 1..=shape.turns {
        let h = history_tokens(
            shape,
            t,
            input.tokens.last_message,
            input.tokens.output.mean,
        );
        let mut tokens = input.tokens.clone();
        tokens.prompt.mean += h;
        tokens.prompt.p95 += h;
        if input.cache_hit_rate.is_some() {
            tokens.cacheable_prefix += h;
        }
        let turn = CallInput {
            tokens,
            runs_per_request: Decimal::ONE,
            ..input.clone()
        };
        let mut turn_warnings = Vec::new();
        let e = estimate_call(&turn, &mut turn_warnings).map_err(|e| match e {
            CallError::Impossible(i) => CallError::Impossible(Impossible { turn: Some(t), ..i }),
            other => other,
        })?;
        cached_any |= matches!(caching(&turn), Caching::Applies { .. });
        for w in turn_warnings {
            match w {
                CallWarning::NoCaching(_) => no_caching.push(w),
                CallWarning::ContextWindow(m) => {
                    overflow.get_or_insert(CallWarning::ContextWindow(format!("{m} (turn {t})")));
                }
            }
        }
        total += e.cost_per_run;
        total_p95 += e.cost_per_request_p95;
        prompt += e.input_tokens;
        cached += e.cached_input_tokens;
        written += e.cache_write_tokens;
        last = Some(e);
    }
    // Early turns may be below the cache minimum; say so only if no turn
    // caches. A history outgrowing the window is said once, at its first turn.
    if !cached_any {
        warnings.extend(no_caching.into_iter().next());
    }
    warnings.extend(overflow);
    let mut e = last.expect("at least one turn");
    let turns = Decimal::from(shape.turns);
    e.turns = Some(shape.turns);
    e.cost_per_conversation = Some(total);
    e.runs_per_request = input.runs_per_request * turns;
    e.input_tokens = prompt / turns;
    e.cached_input_tokens = cached / turns;
    e.cache_write_tokens = written / turns;
    e.cost_per_run = total / turns;
    e.cost_per_request = total * input.runs_per_request;
    e.cost_per_request_p95 = total_p95 * input.runs_per_request;
    e.latency_seconds = e
        .latency_seconds
        .map(|l| l * turns * input.runs_per_request);
    Ok(e)
}

/// A call spread over models: the weighted sum of each leg's figures
/// (a route's shares, or a cascade's first model plus its escalated share).
pub fn combine_legs(label: String, legs: Vec<(Decimal, CallEstimate)>) -> CallEstimate {
    let mut out = legs[0].1.clone();
    if legs.len() == 1 && legs[0].0 == Decimal::ONE {
        return out;
    }
    let sum =
        |f: &dyn Fn(&CallEstimate) -> Decimal| legs.iter().map(|(w, e)| *w * f(e)).sum::<Decimal>();
    out.model = label;
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
    out.latency_seconds = legs
        .iter()
        .map(|(w, e)| e.latency_seconds.map(|l| *w * l))
        .sum();
    out.legs = legs
        .iter()
        .map(|(w, e)| LegEstimate {
            model: e.model.clone(),
            weight: *w,
            input_tokens: e.input_tokens,
            cost_per_run: e.cost_per_run,
        })
        .collect();
    out
}

/// A product too large for an exact decimal (about 7.9 × 10²⁸).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// `a × b`, or `Overflow`.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// Requests per day and per month. Each is computed from what the user gave
/// without a round trip through the other, so `requests_per_month: 100000`
/// stays exactly 100000 a month. Checked: validation bounds each traffic
/// number, but not their product (a trillion users × a trillion requests).
pub fn requests(traffic: &Traffic) -> Result<(Decimal, Decimal), Overflow> {
    let days = traffic.days_per_month;
    Ok(match traffic.volume {
        Volume::PerDay(d) => (d, mul(d, days)?),
        Volume::PerMonth(m) => (m / days, m),
        Volume::Users {
            users,
            requests_per_user_per_day,
        } => {
            let per_day = mul(users, requests_per_user_per_day)?;
            (per_day, mul(per_day, days)?)
        }
    })
}

pub fn revenue_per_month(economics: &Economics, requests_per_month: Decimal) -> Decimal {
    match economics.revenue {
        Revenue::PerUserPerMonth(r) => r * economics.users.unwrap_or_default(),
        Revenue::PerRequest(r) => r * requests_per_month,
        Revenue::PerMonth(r) => r,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Margin {
    pub revenue_per_month: Decimal,
    pub other_cost_per_month: Decimal,
    pub before: Decimal,
    pub after: Decimal,
    pub change: Decimal,
}

/// Gross margin before and after the feature's AI cost; None without revenue.
pub fn margin(revenue: Decimal, other_cost: Decimal, ai_cost: Decimal) -> Option<Margin> {
    if revenue.is_zero() {
        return None;
    }
    let before = (revenue - other_cost) / revenue;
    let after = (revenue - other_cost - ai_cost) / revenue;
    Some(Margin {
        revenue_per_month: revenue,
        other_cost_per_month: other_cost,
        before,
        after,
        change: after - before,
    })
}

/// The floor of each self-hosted model in `used`: each deployment runs all
/// day whatever the traffic, at `SelfHosted::cost_per_day`, and serves the
/// token cost its calls' runs add up to at `requests_per_day`.
pub fn floors(
    calls: &[CallEstimate],
    used: &[&ModelPrice],
    requests_per_day: Decimal,
) -> Vec<Floor> {
    used.iter()
        .filter_map(|m| {
            let hosted = m.self_hosted.as_ref()?;
            let per_request: Decimal = calls
                .iter()
                .map(|c| {
                    if c.legs.is_empty() {
                        if c.model == m.name {
                            c.cost_per_request
                        } else {
                            Decimal::ZERO
                        }
                    } else {
                        c.legs
                            .iter()
                            .filter(|l| l.model == m.name)
                            .map(|l| l.weight * l.cost_per_run * c.runs_per_request)
                            .sum()
                    }
                })
                .sum();
            Some(Floor {
                model: m.name.clone(),
                per_day: hosted.cost_per_day(),
                served_per_day: per_request * requests_per_day,
            })
        })
        .collect()
}

/// A self-hosted deployment's cost a day whatever the traffic, and the token
/// cost of the traffic it serves now. It is paid in full while that token
/// cost is below it: the difference is idle capacity, fixed, and does not
/// grow with traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    pub model: String,
    pub per_day: Decimal,
    pub served_per_day: Decimal,
}

impl Floor {
    /// Idle capacity a day when traffic is `factor` times today's.
    pub fn idle_per_day_at(&self, factor: Decimal) -> Decimal {
        idle_capacity_per_day(self.per_day, self.served_per_day * factor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub cost_per_request: Decimal,
    pub cost_per_request_p95: Decimal,
    pub requests_per_day: Decimal,
    pub requests_per_month: Decimal,
    pub cost_per_day: Decimal,
    pub cost_per_month: Decimal,
    pub cost_per_month_p95: Decimal,
    pub users: Option<Decimal>,
    pub cost_per_user_per_month: Option<Decimal>,
    pub margin: Option<Margin>,
    pub days_per_month: Decimal,
    /// Self-hosted floors included in the costs above (see `Floor`).
    pub floors: Vec<Floor>,
}

/// The totals of a request's calls at the spec's traffic. Money is
/// multiplied before it is divided, so an exact figure prints exactly: with
/// `requests_per_month`, a day's cost is the month's divided by its days,
/// never a cost times a recurring requests-per-day fraction (59.999… for 60).
pub fn totals(
    calls: &[CallEstimate],
    traffic: &Traffic,
    economics: Option<&Economics>,
) -> Result<Totals, Overflow> {
    let cost_per_request: Decimal = calls.iter().map(|c| c.cost_per_request).sum();
    let cost_per_request_p95: Decimal = calls.iter().map(|c| c.cost_per_request_p95).sum();
    let (per_day, per_month) = requests(traffic)?;
    let days = traffic.days_per_month;
    let per_month_of = |per_request: Decimal| -> Result<Decimal, Overflow> {
        match traffic.volume {
            Volume::PerMonth(m) => mul(per_request, m),
            _ => mul(mul(per_request, per_day)?, days),
        }
    };
    let cost_per_month = per_month_of(cost_per_request)?;
    let cost_per_month_p95 = per_month_of(cost_per_request_p95)?;
    let cost_per_day = match traffic.volume {
        Volume::PerMonth(_) => cost_per_month / days,
        _ => mul(cost_per_request, per_day)?,
    };
    let users = economics.and_then(|e| e.users).or(match traffic.volume {
        Volume::Users { users, .. } => Some(users),
        _ => None,
    });
    let cost_per_user_per_month = users.filter(|u| !u.is_zero()).map(|u| cost_per_month / u);
    let margin = match economics {
        Some(e) => {
            let revenue = match e.revenue {
                Revenue::PerRequest(r) => mul(r, per_month)?,
                _ => revenue_per_month(e, per_month),
            };
            // Revenue and costs are each below 10²⁸; their differences fit.
            if revenue
                .checked_sub(e.other_cost_per_month)
                .and_then(|x| x.checked_sub(cost_per_month))
                .is_none()
            {
                return Err(Overflow);
            }
            margin(revenue, e.other_cost_per_month, cost_per_month)
        }
        None => None,
    };
    Ok(Totals {
        cost_per_request,
        cost_per_request_p95,
        requests_per_day: per_day,
        requests_per_month: per_month,
        cost_per_day,
        cost_per_month,
        cost_per_month_p95,
        users,
        cost_per_user_per_month,
        margin,
        days_per_month: days,
        floors: Vec::new(),
    })
}

/// Self-hosted GPUs cost the same busy or idle: where the tokens a
/// deployment serves cost less than keeping it running (`floor_per_day`),
/// the difference is idle capacity the feature pays for too.
pub fn idle_capacity_per_day(floor_per_day: Decimal, token_cost_per_day: Decimal) -> Decimal {
    (floor_per_day - token_cost_per_day).max(Decimal::ZERO)
}

/// Totals with self-hosted floors' idle capacity added: a fixed daily cost,
/// spread over the requests. The floors are kept so growth can tell fixed
/// from variable cost.
pub fn with_floors(t: &Totals, floors: Vec<Floor>) -> Result<Totals, Overflow> {
    let idle_per_day: Decimal = floors.iter().map(|f| f.idle_per_day_at(Decimal::ONE)).sum();
    let mut out = t.clone();
    if !idle_per_day.is_zero() {
        let per_request = if t.requests_per_day.is_zero() {
            Decimal::ZERO
        } else {
            idle_per_day / t.requests_per_day
        };
        let idle_per_month = mul(idle_per_day, t.days_per_month)?;
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(Overflow);
        out = t.with_cost_per_month(add(t.cost_per_month, idle_per_month)?);
        out.cost_per_day = add(out.cost_per_day, idle_per_day)?;
        out.cost_per_month_p95 = add(out.cost_per_month_p95, idle_per_month)?;
        out.cost_per_request += per_request;
        out.cost_per_request_p95 += per_request;
    }
    out.floors = floors;
    Ok(out)
}

impl Totals {
    /// The idle self-hosted capacity a day included in these totals.
    pub fn idle_per_day(&self) -> Decimal {
        self.idle_per_day_at(Decimal::ONE)
    }

    /// The idle capacity a day at `factor` times this traffic.
    pub fn idle_per_day_at(&self, factor: Decimal) -> Decimal {
        self.floors.iter().map(|f| f.idle_per_day_at(factor)).sum()
    }

    /// The same totals at another monthly AI cost: the cost per user and the
    /// margin after follow from it; revenue and other costs stay.
    pub fn with_cost_per_month(&self, cost_per_month: Decimal) -> Totals {
        let mut t = self.clone();
        t.cost_per_month = cost_per_month;
        t.cost_per_user_per_month = self
            .users
            .filter(|u| !u.is_zero())
            .map(|u| cost_per_month / u);
        t.margin = self
            .margin
            .as_ref()
            .and_then(|m| margin(m.revenue_per_month, m.other_cost_per_month, cost_per_month));
        t
    }
}

/// The traffic above which a self-hosted deployment (costing at least
/// `floor_per_day`, and `self_per_request` a request when busy) is cheaper
/// than an API at `api_per_request`; None if it never is.
pub fn break_even_requests_per_day(
    floor_per_day: Decimal,
    self_per_request: Decimal,
    api_per_request: Decimal,
) -> Option<Decimal> {
    (self_per_request < api_per_request && !api_per_request.is_zero())
        .then(|| floor_per_day / api_per_request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Tier;
    use crate::spec::Distribution;

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
            prompt: Distribution {
                mean: d(prompt),
                p95: d(prompt),
            },
            cacheable_prefix: d(prefix),
            output: Distribution {
                mean: d(output),
                p95: d(output),
            },
            reasoning: Decimal::ZERO,
            estimated: false,
            last_message: Decimal::ZERO,
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
    fn plain_run_cost() {
        // gpt-4o-mini: 1000 in at 0.15, 500 out at 0.60 per 1M
        let r = rates("0.15", Some("0.075"), None, "0.6");
        let cost = run_cost(
            Billed {
                prompt: d("1000"),
                cache_read: d("0"),
                cache_write: d("0"),
                output: d("500"),
            },
            &r,
        );
        assert_eq!(cost, d("0.00045"));
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
    fn three_traffic_forms() {
        assert_eq!(
            requests(&traffic(Volume::PerDay(d("20000")))).unwrap(),
            (d("20000"), d("600000"))
        );
        let (per_day, per_month) = requests(&traffic(Volume::PerMonth(d("100000")))).unwrap();
        assert_eq!(per_month, d("100000"));
        assert_eq!(per_day.round_dp(6), d("3333.333333"));
        let users = Volume::Users {
            users: d("5000"),
            requests_per_user_per_day: d("4"),
        };
        assert_eq!(
            requests(&traffic(users)).unwrap(),
            (d("20000"), d("600000"))
        );
    }

    #[test]
    fn three_revenue_forms_and_margin() {
        let e = |revenue| Economics {
            users: Some(d("5000")),
            revenue,
            other_cost_per_month: d("18000"),
        };
        assert_eq!(
            revenue_per_month(&e(Revenue::PerUserPerMonth(d("20"))), d("1")),
            d("100000")
        );
        assert_eq!(
            revenue_per_month(&e(Revenue::PerRequest(d("0.01"))), d("600000")),
            d("6000")
        );
        assert_eq!(
            revenue_per_month(&e(Revenue::PerMonth(d("42"))), d("1")),
            d("42")
        );
        let m = margin(d("100000"), d("18000"), d("355.2")).unwrap();
        assert_eq!(
            (m.before, m.after, m.change),
            (d("0.82"), d("0.816448"), d("-0.003552"))
        );
        assert_eq!(margin(d("0"), d("1"), d("1")), None);
    }

    #[test]
    fn self_hosted_floor_and_break_even() {
        assert_eq!(idle_capacity_per_day(d("119.52"), d("8.66")), d("110.86"));
        assert_eq!(idle_capacity_per_day(d("119.52"), d("200")), d("0"));
        // $119.52 a day against an API at $0.004 a request: 29,880 requests a day
        assert_eq!(
            break_even_requests_per_day(d("119.52"), d("0.002"), d("0.004")),
            Some(d("29880"))
        );
        assert_eq!(
            break_even_requests_per_day(d("119.52"), d("0.005"), d("0.004")),
            None
        );
    }

    #[test]
    fn totals_add_calls_and_scale_by_traffic() {
        let m = model(rates("0.1", None, None, "0.4"));
        let c = estimate_call(&call(&m, tokens("1000", "0", "100"), None), &mut vec![]).unwrap();
        let t = totals(&[c.clone(), c], &traffic(Volume::PerDay(d("1000"))), None).unwrap();
        assert_eq!(t.cost_per_request, d("0.00028"));
        assert_eq!(t.cost_per_day, d("0.28"));
        assert_eq!(t.cost_per_month, d("8.4"));
        assert_eq!(t.cost_per_user_per_month, None);
    }
}
