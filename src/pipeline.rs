//! The data flow of one estimate, stage by stage:
//! spec → resolve → count → estimate → budget verdicts → `Estimate`.

use rust_decimal::Decimal;

use std::collections::BTreeMap;

use crate::budget::{self, Baseline, Verdict};
use crate::count;
use crate::error::{Error, Result};
use crate::estimate::{self, CallEstimate, CallInput, ConversationShape, Totals};
use crate::figures::Money;
use crate::notes::{self, BatchRule, Level, Note};
use crate::pricing::{ModelPrice, PriceTable};
use crate::resolve;
use crate::spec::Spec;

/// Everything a renderer prints: the figures of one spec's estimate.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub feature: String,
    pub spec_file: String,
    /// The spec's path as given, for annotations and file checks; never
    /// printed raw.
    pub spec_path: String,
    pub model: String,
    /// The oldest `as_of` among the prices used.
    pub prices_as_of: String,
    /// The day the run priced on (`--as-of`, else today).
    pub priced_on: String,
    pub calls: Vec<CallEstimate>,
    pub totals: Totals,
    pub budget: Vec<Verdict>,
    /// Warnings, the billing rules assumed where there was a choice, and
    /// the what-ifs applied (`--set`, scenarios), as data.
    pub notes: Vec<Note>,
    /// Lines of the spec where each budget rule is written (absent for
    /// rules given on the command line), for annotations in CI.
    pub rule_lines: BTreeMap<&'static str, crate::diagnostic::Location>,
    /// The line of the `model:` that drives the cost: the most expensive
    /// call's own model, or the spec's.
    pub cost_driver_line: Option<crate::diagnostic::Location>,
    /// The baseline's monthly cost, where `check --baseline` gave one.
    pub baseline_cost_per_month: Option<Decimal>,
    /// Whether budgets were judged on p95 figures (`--budget-on p95`).
    pub budget_on_p95: bool,
    /// Whether revenue and other costs grow with traffic (the margin
    /// assumption of growth and `--scale`); None without economics.
    pub grows_with_traffic: Option<bool>,
    /// Monthly growth and its projection, where the spec has growth.
    pub growth_per_month: Option<Decimal>,
    pub projection: Vec<crate::projection::Month>,
    /// Expected seconds per request, calls in sequence, where every model's
    /// speed is in the pricing table.
    pub latency_seconds: Option<Decimal>,
    /// Where those speeds come from.
    pub latency_sources: Vec<String>,
}

impl Estimate {
    pub fn budget_ok(&self) -> bool {
        self.budget.iter().all(|v| v.ok)
    }

    /// The warnings, worded.
    pub fn warnings(&self) -> Vec<String> {
        notes::words(&self.notes, Level::Warning)
    }

    /// The billing rules applied where billing has a choice, worded.
    pub fn assumptions(&self) -> Vec<String> {
        notes::words(&self.notes, Level::Assumption)
    }

    /// What each `--set` or scenario changed, worded.
    pub fn overrides(&self) -> Vec<String> {
        notes::words(&self.notes, Level::WhatIf)
    }

    /// Calls on a reasoning model that state no `reasoning_tokens`: their
    /// cost leaves the reasoning out, so this estimate is not a fair
    /// "cheaper" in a comparison.
    pub fn reasoning_uncounted(&self) -> Vec<&str> {
        self.notes
            .iter()
            .filter_map(|n| match n {
                Note::ReasoningUncounted { call, .. } => Some(call.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Prompt tokens a run may count to. Far past any context window, and with
/// the other bounds (prices ≤ $100k per 1M tokens, ≤ 10⁶ runs, ≤ 1,000
/// turns, a spec of ≤ 1 MB) it keeps a request's cost below 10²⁶, so the
/// per-call arithmetic cannot overflow; traffic products are checked.
const MAX_PROMPT_TOKENS: u64 = 10_000_000_000;

/// Prices older than this get a warning unless the user says otherwise.
pub const MAX_PRICE_AGE_DAYS: i64 = 180;

/// How a run treats its inputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Let specs read files outside their repository.
    pub allow_outside_files: bool,
    /// `--root DIR`, shared by every variant of a run.
    pub root: Option<std::sync::Arc<std::path::Path>>,
    /// Warn when the prices used are older than this many days.
    pub max_price_age_days: i64,
    /// Judge budgets on the p95 figures rather than the expected ones.
    pub budget_on_p95: bool,
    /// Months to project when traffic grows (`traffic.growth_per_month`).
    pub months: u32,
}

impl Options {
    /// What `resolve` needs: which files a spec may read.
    pub fn files(&self) -> resolve::Options {
        resolve::Options {
            allow_outside_files: self.allow_outside_files,
            root: self.root.clone(),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow_outside_files: false,
            root: None,
            max_price_age_days: MAX_PRICE_AGE_DAYS,
            budget_on_p95: false,
            months: 12,
        }
    }
}

pub fn estimate(
    spec: &Spec,
    prices: &PriceTable,
    options: Options,
    baseline: Option<Baseline>,
) -> Result<Estimate> {
    let resolved = resolve::resolve(spec, options.files())?;
    let Calls {
        calls,
        used,
        mut notes,
    } = estimate_calls(spec, prices, &resolved)?;
    for n in crate::pricing::model_notes(&used, options.max_price_age_days) {
        notes::push(&mut notes, n);
    }
    let totals = totals_at_traffic(spec, &calls, &used, &mut notes)?;
    for n in scheduled_changes(spec, prices, &resolved, &used, totals.cost_per_month) {
        notes::push(&mut notes, n);
    }
    // `--budget-on p95` judges the p95 request (longest samples and outputs
    // at once), the conservative reading of a range.
    let judged = if options.budget_on_p95 {
        p95_totals(&totals)
    } else {
        totals.clone()
    };
    let verdicts = budget::judge(&spec.budget, &judged, baseline, price_age_days(&used));
    let factors = month_price_factors(spec, prices, &resolved, &used, &totals, options.months);
    let projection = project(spec, &judged, &options, &factors)?;
    if spec.budget.max_increase.is_some() && baseline.is_none() {
        notes::push(
            &mut notes,
            Note::NoBaseline {
                spec: spec.file.display.clone(),
            },
        );
    }
    for (_, origin) in &spec.file.overrides {
        notes::push(
            &mut notes,
            Note::WhatIf {
                said: origin.clone(),
            },
        );
    }
    let (latency_seconds, latency_sources) = latency(&calls, &used);
    Ok(Estimate {
        feature: spec.feature.clone(),
        spec_file: spec.file.display.clone(),
        spec_path: spec.file.path.display().to_string(),
        model: spec.model.clone(),
        priced_on: prices.priced_on().to_string(),
        prices_as_of: used
            .iter()
            .map(|m| m.as_of)
            .min()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        calls,
        totals,
        budget: verdicts,
        notes,
        rule_lines: BTreeMap::new(),
        cost_driver_line: None,
        baseline_cost_per_month: baseline.map(|b| b.cost_per_month),
        budget_on_p95: options.budget_on_p95,
        growth_per_month: spec.traffic.growth_per_month,
        grows_with_traffic: spec.economics.as_ref().map(|e| e.grows_with_traffic),
        projection,
        latency_seconds,
        latency_sources,
    })
}

/// Each call's estimate, the models they use, and what they warn of.
struct Calls<'p> {
    calls: Vec<CallEstimate>,
    used: Vec<&'p ModelPrice>,
    notes: Vec<Note>,
}

fn estimate_calls<'p>(
    spec: &Spec,
    prices: &'p PriceTable,
    resolved: &[resolve::ResolvedCall],
) -> Result<Calls<'p>> {
    let mut out = Calls {
        calls: Vec::new(),
        used: Vec::new(),
        notes: Vec::new(),
    };
    for rc in resolved {
        let call = &rc.call;
        if call.batch && call.conversation.is_some() {
            notes::push(
                &mut out.notes,
                Note::BatchConversation {
                    call: call.name.clone(),
                },
            );
        }
        let mut legs = Vec::new();
        // A route's or cascade's models often count alike: each tokenizer
        // counts the call (every sample) once.
        let mut counted: Vec<(&crate::pricing::Tokenizer, count::CallTokens)> = Vec::new();
        for leg in call.serving.legs() {
            let model = model_named(spec, prices, &leg.model)?;
            if !out.used.iter().any(|m| m.name == model.name) {
                out.used.push(model);
            }
            let tokens = match counted.iter().find(|(t, _)| **t == model.tokenizer) {
                Some((_, tokens)) => tokens.clone(),
                None => {
                    let tokens = count::count_call(rc, model);
                    counted.push((&model.tokenizer, tokens.clone()));
                    tokens
                }
            };
            let input = call_input(spec, rc, model, tokens)?;
            let mut call_notes = Vec::new();
            if call.leaves_out_reasoning(model) {
                notes::push(
                    &mut out.notes,
                    Note::ReasoningUncounted {
                        call: call.name.clone(),
                        model: model.name.clone(),
                    },
                );
            }
            for a in assumptions(call, &input) {
                notes::push(&mut out.notes, a);
            }
            let estimated = match &call.conversation {
                Some(c) => estimate::estimate_conversation(
                    &input,
                    &ConversationShape {
                        turns: c.turns,
                        history: c.history,
                    },
                    &mut call_notes,
                ),
                None => estimate::estimate_call(&input, &mut call_notes),
            };
            for n in call_notes {
                notes::push(&mut out.notes, n);
            }
            // Validation refuses batch on a model without batch prices, for
            // every leg and every variant (variants are validated documents).
            legs.push((leg.weight, estimated.map_err(|e| placed(spec, call, e))?));
        }
        out.calls.push(estimate::combine_legs(&call.serving, legs));
    }
    Ok(out)
}

/// The billing rules a call's estimate rests on where there is a choice.
fn assumptions(call: &crate::spec::Call, input: &CallInput) -> Vec<Note> {
    let mut out = Vec::new();
    let paired = &input.tokens.paired;
    if !paired.is_empty() {
        out.push(Note::PairedSamples {
            call: call.name.clone(),
            variables: paired.clone(),
            requests: input.tokens.requests.len(),
        });
    }
    let m = input.model;
    if call.batch
        && call.cache.is_some()
        && m.rates.cached_input.is_some()
        && m.batch.as_ref().is_some_and(|b| b.cached_input.is_none())
    {
        out.push(Note::BatchCachedInput {
            call: call.name.clone(),
            model: m.name.clone(),
            rule: match m.batch_unlisted {
                crate::pricing::BatchUnlisted::Standard => BatchRule::StandardRate,
                crate::pricing::BatchUnlisted::Discounted => BatchRule::BatchDiscount,
            },
        });
    }
    if call.conversation.is_some() && call.cache.is_some() {
        out.push(Note::ConversationCache {
            call: call.name.clone(),
            writes: m.caching == crate::pricing::CacheKind::Explicit,
        });
    }
    out
}

/// An error of the arithmetic at the place in the spec it comes from: a
/// request over the model's limits at the call (its `output_tokens` for the
/// output), where the user can change it.
fn placed(spec: &Spec, call: &crate::spec::Call, e: estimate::CallError) -> Error {
    match e {
        estimate::CallError::Impossible(i) => {
            let (at, help) = match i.what {
                estimate::Limit::ContextWindow => (
                    call.path.clone(),
                    "send less (shorter prompts, fewer samples or history), or pick a model with a larger window",
                ),
                estimate::Limit::MaxOutput => (
                    call.path.key("output_tokens"),
                    "ask for shorter answers, or pick a model with a larger max output",
                ),
            };
            Error::input(spec.file.diagnostic(&at, i.to_string()).with_help(help))
        }
        other => Error::Other(other.to_string()),
    }
}

/// One leg of a call as the arithmetic takes it: counted tokens, runs
/// (retries included), caching and batch.
fn call_input<'p>(
    spec: &Spec,
    rc: &resolve::ResolvedCall,
    model: &'p ModelPrice,
    tokens: count::CallTokens,
) -> Result<CallInput<'p>> {
    let call = &rc.call;
    if tokens.prompt().p95 > Decimal::from(MAX_PROMPT_TOKENS) {
        return Err(Error::input(
            spec.file
                .diagnostic(
                    &call.path,
                    format!(
                        "call `{}` sends {} prompt tokens a run, more than ten billion",
                        call.name,
                        tokens.prompt().p95.round()
                    ),
                )
                .with_help("no model takes a prompt this long; check `{ tokens: N }` variables and how often they are used"),
        ));
    }
    Ok(CallInput {
        name: call.name.clone(),
        model,
        tokens,
        runs_per_request: crate::billing::billed_runs(call.runs_per_request, call.retry_rate),
        cache_hit_rate: call.cache.as_ref().map(|c| c.hit_rate),
        cache_ttl: call.cache.as_ref().map(|c| c.ttl).unwrap_or_default(),
        batch: call.batch,
        service: call.service,
    })
}

/// The calls' totals at the spec's traffic, self-hosted floors included.
fn totals_at_traffic(
    spec: &Spec,
    calls: &[CallEstimate],
    used: &[&ModelPrice],
    notes: &mut Vec<Note>,
) -> Result<Totals> {
    let too_large = || {
        Error::input(
            spec.file
                .diagnostic(
                    &crate::yaml::Path::root().key("traffic"),
                    "this traffic makes the monthly figures too large to compute exactly (more than 7.9 × 10²⁸)",
                )
                .with_help("check the traffic, token and price numbers: one of them is far larger than any real feature"),
        )
    };
    let totals =
        estimate::totals(calls, &spec.traffic, spec.economics.as_ref()).map_err(|_| too_large())?;
    let floors = estimate::floors(calls, used, totals.requests_per_day);
    for f in &floors {
        let idle = f.idle_per_day_at(Decimal::ONE);
        if !idle.is_zero() {
            notes::push(
                notes,
                Note::IdleGpu {
                    model: f.model.clone(),
                    per_day: Money(f.per_day),
                    served_per_day: Money(f.served_per_day),
                    idle_per_day: Money(idle),
                },
            );
        }
    }
    let totals = estimate::with_floors(&totals, floors).map_err(|_| too_large())?;
    if spec.economics.is_some() && totals.margin.is_none() {
        notes::push(notes, Note::NoRevenue);
    }
    Ok(totals)
}

/// Days since the oldest price used was read.
fn price_age_days(used: &[&ModelPrice]) -> Option<i64> {
    let oldest = used.iter().map(|m| m.as_of).min();
    oldest.map(|day| crate::date::Date::today() - day)
}

/// How far ahead a scheduled price change is worth a warning.
const PRICE_CHANGE_WARNING_DAYS: i64 = 90;

/// A warning for each scheduled price change of a model the spec uses
/// within the next 90 days that moves the monthly spend: the spec priced
/// again on the day of the change.
fn scheduled_changes(
    spec: &Spec,
    prices: &PriceTable,
    resolved: &[resolve::ResolvedCall],
    used: &[&ModelPrice],
    cost_per_month: Decimal,
) -> Vec<Note> {
    let today = prices.priced_on();
    let mut out = Vec::new();
    for m in used {
        for change in &m.schedule.changes {
            if change.from - today > PRICE_CHANGE_WARNING_DAYS {
                continue;
            }
            let later = prices.on(change.from);
            let Ok(after) = estimate_calls(spec, &later, resolved)
                .and_then(|c| totals_at_traffic(spec, &c.calls, &c.used, &mut Vec::new()))
            else {
                continue;
            };
            if after.cost_per_month == cost_per_month {
                continue;
            }
            out.push(Note::PriceChange {
                model: m.name.clone(),
                from: change.from.to_string(),
                input_ratio: Money(crate::pricing::ratio(change.rates.input, m.rates.input)),
                output_ratio: Money(crate::pricing::ratio(change.rates.output, m.rates.output)),
                cost_per_month: Money(cost_per_month),
                cost_per_month_after: Money(after.cost_per_month),
            });
        }
    }
    out
}

/// For each month of a growth projection, its token spend over month 1's
/// when priced on that month's first day (month 1 is the run's own day,
/// whose calendar month it is): a scheduled change moves the months after
/// it. All ones where no used model changes price within the horizon.
fn month_price_factors(
    spec: &Spec,
    prices: &PriceTable,
    resolved: &[resolve::ResolvedCall],
    used: &[&ModelPrice],
    totals: &Totals,
    months: u32,
) -> Vec<Decimal> {
    if spec.traffic.growth_per_month.is_none() {
        return Vec::new();
    }
    let day = prices.priced_on();
    let mut changes: Vec<crate::date::Date> = used
        .iter()
        .flat_map(|m| m.schedule.changes.iter().map(|c| c.from))
        .filter(|from| *from <= day.month_start(months.saturating_sub(1)))
        .collect();
    changes.sort();
    changes.dedup();
    let idle = totals.idle_per_day() * totals.days_per_month;
    let now = totals.cost_per_month - idle;
    let mut at_change: BTreeMap<crate::date::Date, Decimal> = BTreeMap::new();
    for from in &changes {
        let later = prices.on(*from);
        let factor = estimate_calls(spec, &later, resolved)
            .and_then(|c| totals_at_traffic(spec, &c.calls, &c.used, &mut Vec::new()))
            .map_or(Decimal::ONE, |t| {
                crate::pricing::ratio(t.cost_per_month - idle, now)
            });
        at_change.insert(*from, factor);
    }
    (1..=months)
        .map(|month| {
            let start = if month == 1 {
                day
            } else {
                day.month_start(month - 1)
            };
            at_change
                .range(..=start)
                .next_back()
                .map_or(Decimal::ONE, |(_, f)| *f)
        })
        .collect()
}

/// The growth projection, where the spec has growth.
fn project(
    spec: &Spec,
    judged: &Totals,
    options: &Options,
    factors: &[Decimal],
) -> Result<Vec<crate::projection::Month>> {
    let Some(growth) = spec.traffic.growth_per_month else {
        return Ok(Vec::new());
    };
    let factor = |month: u32| {
        factors
            .get(month as usize - 1)
            .copied()
            .unwrap_or(Decimal::ONE)
    };
    crate::projection::project(
        judged,
        spec.economics.as_ref(),
        &spec.budget,
        growth,
        options.months,
        &factor,
    )
    .map_err(|month| {
        Error::input(
            spec.file
                .diagnostic(
                    &crate::yaml::Path::root()
                        .key("traffic")
                        .key("growth_per_month"),
                    format!(
                        "at this growth, month {month}'s figures are too large to compute exactly"
                    ),
                )
                .with_help("project fewer months (--months), or check the growth rate"),
        )
    })
}

/// Seconds per request (calls in sequence) where every model's speed is
/// known, and where those speeds come from.
fn latency(calls: &[CallEstimate], used: &[&ModelPrice]) -> (Option<Decimal>, Vec<String>) {
    let seconds = calls
        .iter()
        .map(|c| c.latency_seconds)
        .sum::<Option<Decimal>>();
    let sources = match seconds {
        None => Vec::new(),
        Some(_) => used
            .iter()
            .filter_map(|m| {
                m.latency
                    .as_ref()
                    .map(|l| format!("{}: {}", m.name, l.source))
            })
            .collect(),
    };
    (seconds, sources)
}

/// The totals with every p95 figure in place of the expected one.
fn p95_totals(t: &Totals) -> Totals {
    let mut p = t.with_cost_per_month(t.cost_per_month_p95);
    p.cost_per_request = t.cost_per_request_p95;
    // From the month, so an exact figure stays exact (see `estimate::totals`).
    p.cost_per_day = t.cost_per_month_p95 / t.days_per_month;
    p
}

fn model_named<'p>(spec: &Spec, prices: &'p PriceTable, name: &str) -> Result<&'p ModelPrice> {
    prices
        .get(name)
        .ok_or_else(|| Error::input(prices.unknown_model(&spec.file.display, None, name)))
}
