//! The spec's prediction beside what production used, call by call, and
//! the `--set`s that would make the spec match.

use rust_decimal::Decimal;

use super::observed::{Group, Observed, Values};
use crate::billing;
use crate::estimate::CallEstimate;
use crate::pipeline::Estimate;
use crate::spec::{Source, Spec};

/// A figure as the spec predicts it and as production shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    pub predicted: Option<Decimal>,
    pub observed: Option<Decimal>,
}

impl Figure {
    fn new(predicted: Decimal, observed: Option<Decimal>) -> Figure {
        Figure {
            predicted: Some(predicted),
            observed,
        }
    }

    /// (observed − predicted) / predicted; None where either is missing or
    /// the prediction is zero.
    pub fn drift(&self) -> Option<Decimal> {
        let (p, o) = (self.predicted?, self.observed?);
        (!p.is_zero()).then(|| (o - p) / p)
    }
}

/// One call of the spec beside its records.
#[derive(Debug, Clone, Default)]
pub struct CallRow {
    pub call: String,
    /// The models its records ran on.
    pub models: Vec<String>,
    pub runs: u64,
    /// Requests seen (0 where records are not grouped into requests).
    pub requests: u64,
    pub runs_per_request: Figure,
    pub input: Figure,
    pub input_p95: Figure,
    pub cached: Figure,
    pub cache_write: Figure,
    pub output: Figure,
    pub output_p95: Figure,
    pub reasoning: Figure,
    /// Cache reads as a share of input.
    pub cached_share: Figure,
    /// The share of runs that read from the cache (the spec's `hit_rate`);
    /// not known from sums.
    pub hit_rate: Figure,
    pub cost_per_run: Figure,
    pub cost_per_request: Figure,
    /// p95s from a sketch (past the exact limit) or from sums.
    pub approximate_p95: bool,
}

/// Records that match no call of the spec, by model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unattributed {
    pub model: String,
    pub runs: u64,
    pub cost: Option<Decimal>,
}

#[derive(Debug, Clone, Default)]
pub struct Reconciliation {
    pub spec: String,
    pub feature: String,
    pub calls: Vec<CallRow>,
    pub unattributed: Vec<Unattributed>,
    pub cost_per_request: Figure,
    pub cost_per_day: Figure,
    pub cost_per_month: Figure,
    /// Days between the first and last record, where records are dated.
    pub span_days: Option<Decimal>,
    pub records: u64,
    pub skipped: u64,
    /// `--set`s that make the spec match production, each reproducible
    /// with `estimate`.
    pub sets: Vec<(String, String)>,
    pub notes: Vec<String>,
}

impl Reconciliation {
    /// `llm-cost estimate SPEC --set …` with every calibrating set.
    pub fn calibrate_command(&self) -> Option<String> {
        (!self.sets.is_empty()).then(|| crate::savings::command(&self.spec, &[], &self.sets))
    }
}

/// A drift beyond which a figure is worth calibrating (5%).
const CALIBRATE: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

fn significant(f: &Figure) -> bool {
    f.drift().is_some_and(|d| d.abs() > CALIBRATE)
}

fn mean(sum: u64, runs: u64) -> Option<Decimal> {
    (runs > 0).then(|| Decimal::from(sum) / Decimal::from(runs))
}

fn p95(values: &mut Values, given: Option<u64>, aggregated: bool) -> Option<Decimal> {
    if aggregated {
        return given.map(Decimal::from);
    }
    values.p95()
}

/// `g`: the call's runs on every model it ran on, merged.
fn call_row(
    c: &CallEstimate,
    mut g: Group,
    models: Vec<String>,
    hit_rate: Option<Decimal>,
) -> CallRow {
    let runs = g.runs;
    let requests = g.requests();
    let t = g.tokens;
    let observed_rpr = (requests > 0).then(|| Decimal::from(runs) / Decimal::from(requests));
    let cost_per_run = mean(0, runs).map(|_| g.cost / Decimal::from(runs));
    let rpr = observed_rpr.unwrap_or(c.runs_per_request);
    let aggregated = g.aggregated;
    let [input_values, _, _, output_values, _] = &mut g.values;
    CallRow {
        call: c.name.clone(),
        models,
        runs,
        requests,
        runs_per_request: Figure::new(c.runs_per_request, observed_rpr),
        input: Figure::new(c.input_tokens, mean(t.input, runs)),
        input_p95: Figure::new(
            c.input_tokens_p95,
            p95(input_values, g.given_p95[0], aggregated),
        ),
        cached: Figure::new(c.cached_input_tokens, mean(t.cached, runs)),
        cache_write: Figure::new(c.cache_write_tokens, mean(t.cache_write, runs)),
        output: Figure::new(c.output_tokens, mean(t.output, runs)),
        output_p95: Figure::new(
            c.output_tokens_p95,
            p95(output_values, g.given_p95[3], aggregated),
        ),
        reasoning: Figure::new(c.reasoning_tokens, mean(t.reasoning, runs)),
        cached_share: Figure {
            predicted: (!c.input_tokens.is_zero()).then(|| c.cached_input_tokens / c.input_tokens),
            observed: (t.input > 0).then(|| Decimal::from(t.cached) / Decimal::from(t.input)),
        },
        hit_rate: Figure {
            predicted: hit_rate,
            observed: (!aggregated && runs > 0)
                .then(|| Decimal::from(g.hits) / Decimal::from(runs)),
        },
        cost_per_run: Figure::new(c.cost_per_run, cost_per_run),
        cost_per_request: Figure::new(c.cost_per_request, cost_per_run.map(|r| r * rpr)),
        approximate_p95: aggregated || !g.values[0].is_exact(),
    }
}

/// The spec's estimate (`predicted`) beside `observed`.
pub fn reconcile(spec: &Spec, predicted: &Estimate, mut observed: Observed) -> Reconciliation {
    let mut r = Reconciliation {
        spec: spec.file.display.clone(),
        feature: spec.feature.clone(),
        records: observed.records,
        skipped: observed.skipped,
        ..Reconciliation::default()
    };
    let mut total_cost = Decimal::ZERO;
    // Each call's groups merged, with the models they ran on.
    let mut by_call: std::collections::BTreeMap<String, (Group, Vec<String>)> =
        std::collections::BTreeMap::new();
    for ((call, model), g) in std::mem::take(&mut observed.groups) {
        total_cost += g.cost;
        match call {
            Some(call) => {
                let (all, models) = by_call.entry(call).or_default();
                all.merge(g);
                models.push(model);
            }
            None => r.unattributed.push(Unattributed {
                model,
                runs: g.runs,
                cost: Some(g.cost),
            }),
        }
    }
    for (model, u) in std::mem::take(&mut observed.unknown) {
        r.unattributed.push(Unattributed {
            model,
            runs: u.runs,
            cost: None,
        });
    }
    let mut per_request_observed = Some(Decimal::ZERO);
    for c in &predicted.calls {
        let (group, models) = by_call.remove(&c.name).unwrap_or_default();
        let hit_rate = spec
            .calls
            .iter()
            .find(|s| s.name == c.name)
            .and_then(|s| s.cache.as_ref())
            .map(|cache| cache.hit_rate);
        let tier = spec
            .calls
            .iter()
            .find(|s| s.name == c.name)
            .map(|s| s.service.tier)
            .unwrap_or_default();
        r.notes.extend(served_elsewhere(&c.name, &group, tier));
        let row = call_row(c, group, models, hit_rate);
        per_request_observed = match (per_request_observed, row.cost_per_request.observed) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        if row.runs == 0 {
            r.notes.push(format!("call `{}`: no records", c.name));
        }
        r.calls.push(row);
    }
    let t = &predicted.totals;
    r.cost_per_request = Figure::new(t.cost_per_request, per_request_observed);
    let span = match (observed.first, observed.last) {
        (Some(a), Some(b)) if b - a >= 3_600.0 => Decimal::try_from((b - a) / 86_400.0).ok(),
        _ => None,
    };
    r.span_days = span;
    let per_day = match span {
        Some(days) => Some(total_cost / days),
        None => per_request_observed.map(|c| c * t.requests_per_day),
    };
    r.cost_per_day = Figure::new(t.cost_per_day, per_day);
    r.cost_per_month = Figure::new(t.cost_per_month, per_day.map(|d| d * t.days_per_month));
    if span.is_none() {
        r.notes.push("the records carry no time span: per day and per month are the observed cost per request at the spec's traffic".into());
    }
    if r.calls.iter().all(|c| c.requests == 0) {
        r.notes.push("records are not grouped into requests (--request-field): runs per request are the spec's".into());
    }
    if r.calls.iter().any(|c| c.approximate_p95) {
        r.notes.push(format!(
            "some p95s are approximate: from usage sums, or past {} runs of one call a log histogram (within 1%)",
            super::observed::EXACT_RUNS
        ));
    }
    r.sets = calibration(spec, &r);
    r
}

/// A drift cause: the share of a call's runs served at another tier than
/// the spec says (`31% of records served at priority`).
fn served_elsewhere(
    call: &str,
    group: &Group,
    spec_tier: crate::pricing::ServiceTier,
) -> Vec<String> {
    let runs: u64 = group.served.values().sum();
    if runs == 0 {
        return Vec::new();
    }
    group
        .served
        .iter()
        .filter(|(tier, n)| **tier != spec_tier && **n > 0)
        .map(|(tier, n)| {
            let share = (Decimal::from(*n) * Decimal::ONE_HUNDRED / Decimal::from(runs)).round_dp(1);
            format!(
                "call `{call}`: {}% of records served at {} (the spec says {}); they are billed at that tier",
                share.normalize(),
                tier.name(),
                spec_tier.name()
            )
        })
        .collect()
}

/// The `--set`s that bring the spec to what production shows, for figures
/// that drift by more than 5%.
fn calibration(spec: &Spec, r: &Reconciliation) -> Vec<(String, String)> {
    let mut sets = Vec::new();
    let whole = |d: Decimal| d.round().normalize().to_string();
    for row in &r.calls {
        if let Some(call) = spec.calls.iter().find(|c| c.name == row.call)
            && row.runs > 0
        {
            sets.extend(call_sets(call, row));
        }
    }
    if let Some(days) = r.span_days {
        let requests = r.calls.iter().map(|c| c.requests).max().unwrap_or(0);
        if requests > 0 && !days.is_zero() {
            let per_day = Decimal::from(requests) / days;
            let spec_per_day = crate::estimate::requests(&spec.traffic)
                .map(|(d, _)| d)
                .unwrap_or_default();
            let f = Figure::new(spec_per_day, Some(per_day));
            let per_day_form = matches!(spec.traffic.volume, crate::spec::Volume::PerDay(_));
            if significant(&f) && per_day_form {
                sets.push(("traffic.requests_per_day".into(), whole(per_day)));
            }
        }
    }
    sets
}

/// The `--set`s of one call: output and reasoning, runs per request, cache
/// hit rate, and a `{tokens: N}` variable resized to the observed input.
fn call_sets(call: &crate::spec::Call, row: &CallRow) -> Vec<(String, String)> {
    let mut sets = Vec::new();
    let whole = |d: Decimal| d.round().normalize().to_string();
    let at = format!("calls.{}.", row.call);
    let reasoning = row.reasoning.observed.unwrap_or_default();
    if significant(&row.output) || significant(&row.output_p95) {
        let mean = billing::visible_output(row.output.observed.unwrap_or_default(), reasoning);
        let p95 = row
            .output_p95
            .observed
            .map(|p| billing::visible_output(p, reasoning).max(mean))
            .unwrap_or(mean);
        sets.push((
            format!("{at}output_tokens"),
            format!("{{mean: {}, p95: {}}}", whole(mean), whole(p95)),
        ));
    }
    if significant(&row.reasoning)
        || (row.reasoning.predicted == Some(Decimal::ZERO) && reasoning > Decimal::ZERO)
    {
        sets.push((format!("{at}reasoning_tokens"), whole(reasoning)));
    }
    if significant(&row.runs_per_request) && call.conversation.is_none() {
        // Keep the spec's retry factor: runs = calls_per_request × (1 + retry_rate).
        let predicted = row.runs_per_request.predicted.unwrap_or(Decimal::ONE);
        let factor = predicted / call.runs_per_request;
        if let Some(observed) = row.runs_per_request.observed
            && !factor.is_zero()
        {
            sets.push((
                format!("{at}calls_per_request"),
                (observed / factor).round_dp(2).normalize().to_string(),
            ));
        }
    }
    // The hit rate seen where runs are logged one by one; from sums, the
    // spec's rate scaled by how much more or less was read.
    if let Some(cache) = &call.cache {
        let seen = row.hit_rate.observed.filter(|_| significant(&row.hit_rate));
        let scaled = match (row.cached.predicted, row.cached.observed) {
            (Some(p), Some(o)) if !p.is_zero() && significant(&row.cached) => Some(
                (cache.hit_rate * o / p)
                    .min(Decimal::ONE)
                    .max(Decimal::ZERO),
            ),
            _ => None,
        };
        let h = if row.hit_rate.observed.is_some() {
            seen
        } else {
            scaled
        };
        if let Some(h) = h {
            sets.push((
                format!("{at}cache.hit_rate"),
                h.round_dp(2).normalize().to_string(),
            ));
        }
    }
    if significant(&row.input)
        && let (Some(p), Some(o)) = (row.input.predicted, row.input.observed)
        && let Some((name, n)) = call.variables.iter().find_map(|(name, v)| match v.source {
            Source::Tokens(n) => Some((name, n)),
            _ => None,
        })
    {
        let resized = (n + o - p).max(Decimal::ZERO);
        sets.push((
            format!("{at}variables.{name}"),
            format!("{{tokens: {}}}", whole(resized)),
        ));
    }
    sets
}
