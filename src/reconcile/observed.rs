//! What production used, summed per call and model as records stream by:
//! memory stays bounded whatever the input's size. Each record is priced
//! with the same catalog and rules as an estimate.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use super::records::{Record, Tokens};
use crate::billing;
use crate::pricing::{ModelPrice, PriceTable, Service};

/// Per-run values kept exactly up to this many runs of one call and model;
/// past it, a log histogram whose p95 errs high by at most 1%.
pub const EXACT_RUNS: usize = 1_000_000;

/// One metric's per-run values: exact, then sketched.
#[derive(Debug, Clone, Default)]
pub struct Values {
    exact: Vec<u32>,
    /// Bucket i > 0 holds values in (1.01^(i−1), 1.01^i]; bucket 0 holds 0.
    sketch: BTreeMap<u32, u64>,
}

fn bucket(v: u64) -> u32 {
    if v == 0 {
        0
    } else {
        1 + ((v as f64).ln() / 1.01f64.ln()).ceil().max(0.0) as u32
    }
}

fn bucket_top(i: u32) -> u64 {
    if i == 0 {
        0
    } else {
        1.01f64.powi(i as i32 - 1).ceil() as u64
    }
}

impl Values {
    pub fn push(&mut self, v: u64) {
        if self.sketch.is_empty() && self.exact.len() < EXACT_RUNS {
            self.exact.push(v.min(u64::from(u32::MAX)) as u32);
            return;
        }
        self.switch_to_sketch();
        *self.sketch.entry(bucket(v)).or_default() += 1;
    }

    fn switch_to_sketch(&mut self) {
        for e in std::mem::take(&mut self.exact) {
            *self.sketch.entry(bucket(u64::from(e))).or_default() += 1;
        }
    }

    pub fn merge(&mut self, other: Values) {
        if self.sketch.is_empty()
            && other.sketch.is_empty()
            && self.exact.len() + other.exact.len() <= EXACT_RUNS
        {
            self.exact.extend(other.exact);
            return;
        }
        self.switch_to_sketch();
        for e in other.exact {
            *self.sketch.entry(bucket(u64::from(e))).or_default() += 1;
        }
        for (i, n) in other.sketch {
            *self.sketch.entry(i).or_default() += n;
        }
    }

    pub fn is_exact(&self) -> bool {
        self.sketch.is_empty()
    }

    /// The nearest-rank 95th percentile (a bucket's top past the exact limit).
    pub fn p95(&mut self) -> Option<Decimal> {
        if self.sketch.is_empty() {
            if self.exact.is_empty() {
                return None;
            }
            self.exact.sort_unstable();
            let i = crate::count::nearest_rank_95(self.exact.len());
            return Some(Decimal::from(self.exact[i]));
        }
        let total: u64 = self.sketch.values().sum();
        let rank = (95 * total).div_ceil(100).max(1);
        let mut seen = 0;
        for (i, n) in &self.sketch {
            seen += n;
            if seen >= rank {
                return Some(Decimal::from(bucket_top(*i)));
            }
        }
        None
    }
}

/// Runs of one call on one model.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub runs: u64,
    pub tokens: Tokens,
    pub cost: Decimal,
    /// Per-run input, cached, cache-write, output and reasoning tokens.
    pub values: [Values; 5],
    /// Requests seen, as 64-bit hashes of their ids (bounded, not strings).
    pub requests: HashSet<u64>,
    /// Some runs came as sums (a usage export): no per-run distribution.
    pub aggregated: bool,
    pub batch: bool,
    /// Requests an aggregated row counted (its `requests` column).
    pub counted_requests: u64,
    /// Runs that read anything from a cache: cache hits.
    pub hits: u64,
    /// p95s an aggregated row gave (`*_p95` columns), the highest of them.
    pub given_p95: [Option<u64>; 5],
    /// Runs by the service tier their records say they were served at.
    pub served: BTreeMap<crate::pricing::ServiceTier, u64>,
}

impl Group {
    pub fn merge(&mut self, o: Group) {
        self.runs += o.runs;
        self.tokens.add(&o.tokens);
        self.cost += o.cost;
        for (mine, theirs) in self.values.iter_mut().zip(o.values) {
            mine.merge(theirs);
        }
        self.requests.extend(o.requests);
        self.aggregated |= o.aggregated;
        self.batch |= o.batch;
        self.counted_requests += o.counted_requests;
        for (tier, runs) in o.served {
            *self.served.entry(tier).or_default() += runs;
        }
        self.hits += o.hits;
        for (mine, theirs) in self.given_p95.iter_mut().zip(o.given_p95) {
            *mine = (*mine).max(theirs);
        }
    }

    /// Requests seen: distinct ids, plus those aggregated rows counted.
    pub fn requests(&self) -> u64 {
        self.requests.len() as u64 + self.counted_requests
    }
}

/// Records whose model the catalog does not know: counted, never priced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown {
    pub runs: u64,
    pub tokens: Tokens,
}

/// Distinct unknown model names kept; the rest are summed as one.
const MAX_UNKNOWN_MODELS: usize = 100;

/// Everything read, summed.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// By (spec call, or None when no call matches; catalog model name).
    pub groups: BTreeMap<(Option<String>, String), Group>,
    pub unknown: BTreeMap<String, Unknown>,
    pub records: u64,
    pub first: Option<f64>,
    pub last: Option<f64>,
    /// Records that were not usage (no usage block) or not JSON.
    pub skipped: u64,
}

/// How a record finds its call: its call field, else the spec's only call,
/// else the one call served by its model.
pub struct Attribution<'a> {
    pub prices: &'a PriceTable,
    /// Each call's name, its models, and whether it runs as a batch.
    pub calls: Vec<(String, Vec<String>, bool)>,
}

impl Attribution<'_> {
    /// The catalog model a logged name means: the name or an alias, else
    /// the name without a date suffix (`claude-sonnet-4-20250514`,
    /// `gpt-4o-mini-2024-07-18`).
    pub fn model(&self, name: &str) -> Option<&ModelPrice> {
        let name = name.rsplit('/').next().unwrap_or(name);
        if let Some(m) = self.prices.get(name) {
            return Some(m);
        }
        let undated = strip_date(name)?;
        self.prices.get(undated)
    }

    fn call(&self, record: &Record, model: Option<&str>) -> Option<String> {
        if let Some(c) = &record.call {
            return self
                .calls
                .iter()
                .find(|(name, ..)| name == c)
                .map(|(name, ..)| name.clone());
        }
        if self.calls.len() == 1 {
            return Some(self.calls[0].0.clone());
        }
        let model = model?;
        let mut serving = self
            .calls
            .iter()
            .filter(|(_, models, _)| models.iter().any(|m| m == model));
        match (serving.next(), serving.next()) {
            (Some((name, ..)), None) => Some(name.clone()),
            _ => None,
        }
    }
}

/// `name` without a trailing `-YYYYMMDD` or `-YYYY-MM-DD`.
fn strip_date(name: &str) -> Option<&str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((head, tail)) = name.rsplit_once('-')
        && tail.len() == 8
        && digits(tail)
    {
        return Some(head);
    }
    let bytes = name.len();
    if bytes > 11 {
        let (head, tail) = name.split_at(bytes - 11);
        let parts: Vec<&str> = tail.trim_start_matches('-').split('-').collect();
        if tail.starts_with('-') && parts.len() == 3 && parts.iter().all(|p| digits(p)) {
            return Some(head);
        }
    }
    None
}

impl Observed {
    pub fn add(&mut self, record: Record, who: &Attribution) {
        self.records += 1;
        if let Some(t) = record.time {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
        let Some(model) = who.model(&record.model) else {
            // A name from the log reaches tables and PR comments: made
            // harmless, and the distinct ones bounded.
            let mut name = crate::neutral::label(&record.model);
            if self.unknown.len() >= MAX_UNKNOWN_MODELS && !self.unknown.contains_key(&name) {
                name = "(other unknown models)".into();
            }
            let u = self.unknown.entry(name).or_default();
            u.runs = u.runs.saturating_add(record.runs);
            u.tokens.add(&record.tokens);
            return;
        };
        let call = who.call(&record, Some(&model.name));
        let batch = record.batch
            || call
                .as_ref()
                .and_then(|c| who.calls.iter().find(|(n, ..)| n == c))
                .is_some_and(|(_, _, b)| *b);
        // Each record is billed at the prices of its own day, where the
        // model's prices change over time.
        let dated = record.time.and_then(|t| {
            let day = crate::date::Date::from_days((t / 86_400.0).floor() as i64);
            who.prices.model_on(&model.name, day)
        });
        let cost = price(dated.as_ref().unwrap_or(model), &record, batch);
        let g = self.groups.entry((call, model.name.clone())).or_default();
        g.runs = g.runs.saturating_add(record.runs);
        g.tokens.add(&record.tokens);
        g.cost += cost;
        g.batch |= batch;
        *g.served.entry(record.service.tier).or_default() += record.runs;
        if record.aggregated {
            g.aggregated = true;
            g.counted_requests += record.requests;
            for (mine, given) in g.given_p95.iter_mut().zip(record.p95) {
                *mine = (*mine).max(given);
            }
        } else {
            let t = record.tokens;
            if t.cached > 0 {
                g.hits += 1;
            }
            for (values, v) in
                g.values
                    .iter_mut()
                    .zip([t.input, t.cached, t.cache_write, t.output, t.reasoning])
            {
                values.push(v);
            }
        }
        if let Some(id) = &record.request {
            g.requests.insert(hash(id));
        }
    }

    pub fn merge(&mut self, o: Observed) {
        for (k, g) in o.groups {
            self.groups.entry(k).or_default().merge(g);
        }
        for (k, u) in o.unknown {
            let mine = self.unknown.entry(k).or_default();
            mine.runs += u.runs;
            mine.tokens.add(&u.tokens);
        }
        self.records += o.records;
        self.skipped += o.skipped;
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, o.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// What the provider bills for a record: the service tier, speed and
/// region it says it was served at, its own tier (an aggregated row
/// at the tier of its mean run), cache reads and writes as logged, writes
/// with the 1-hour TTL at the 1-hour price. A record marked batch on a
/// model without batch prices is billed at the standard prices.
fn price(model: &ModelPrice, r: &Record, batch: bool) -> Decimal {
    let t = r.tokens;
    let input = Decimal::from(t.input);
    let runs = Decimal::from(r.runs.max(1));
    let read = t.cached.min(t.input);
    let written = t.cache_write.min(t.input - read);
    let long = t.cache_write_1h.min(written);
    let reasoning = Decimal::from(t.reasoning.min(t.output));
    let total = billing::Run {
        prompt: input,
        cache_read: Decimal::from(read),
        cache_write: Decimal::from(written - long),
        cache_write_1h: Decimal::from(long),
        output: billing::visible_output(Decimal::from(t.output), reasoning),
        reasoning,
    };
    let bill = |batch, service| {
        billing::bill_of_runs(model, &total, runs, billing::Terms { batch, service })
    };
    // A tier or speed the catalog does not price for the model is billed
    // at the list price (a batch record carries no tier).
    let served = if batch { Service::default() } else { r.service };
    bill(batch, served)
        .or_else(|_| bill(false, served))
        .or_else(|_| bill(false, Service::default()))
        .map_or(Decimal::ZERO, |b| b.total())
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_exact_then_sketched_within_one_percent() {
        let mut v = Values::default();
        for x in 1..=20u64 {
            v.push(x);
        }
        // nearest rank of 20 values: the 19th
        assert_eq!(v.p95(), Some(Decimal::from(19)));
        let mut s = Values::default();
        s.sketch.insert(bucket(1000), 1);
        let top = s.p95().unwrap();
        assert!(
            top >= Decimal::from(1000) && top <= Decimal::from(1011),
            "{top}"
        );
    }

    #[test]
    fn dated_names_resolve_to_the_catalog() {
        assert_eq!(
            strip_date("claude-sonnet-4-20250514"),
            Some("claude-sonnet-4")
        );
        assert_eq!(strip_date("gpt-4o-mini-2024-07-18"), Some("gpt-4o-mini"));
        assert_eq!(strip_date("gpt-4o-mini"), None);
    }
}
