//! The one place that turns a run into a bill. A run is what one request
//! to a model sends and gets back: its prompt (of which some is read from a
//! cache and some written to one), its visible output and its hidden
//! reasoning. A bill is a line item per kind of token, each with the rate
//! the provider charges for it on this run (its tier, batch, the cache TTL).
//! estimate, reconcile and the savings drivers all price through here.

pub mod cache;

use rust_decimal::Decimal;

use crate::pricing::{CacheTtl, ModelPrice, RateError, Rates};
#[cfg(test)]
use crate::pricing::{Region, Service, ServiceTier, Speed};

pub use cache::{CacheUse, cache_use};

const PER_MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The tokens of one run, split the way they are billed. `cache_read`,
/// `cache_write` and `cache_write_1h` are parts of `prompt`; `reasoning` is
/// on top of the visible `output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Run {
    pub prompt: Decimal,
    pub cache_read: Decimal,
    /// Cache writes at the default (5-minute) lifetime.
    pub cache_write: Decimal,
    /// Cache writes with the 1-hour lifetime, which cost more.
    pub cache_write_1h: Decimal,
    pub output: Decimal,
    pub reasoning: Decimal,
}

/// How the run was sent: through the batch API, or live at a service
/// tier, in a region, at a speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terms {
    pub batch: bool,
    pub service: crate::pricing::Service,
}

/// What a line item bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Prompt tokens neither read from nor written to a cache.
    Input,
    CacheRead,
    CacheWrite,
    CacheWrite1h,
    Output,
    /// Hidden reasoning, billed at the output rate.
    Reasoning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineItem {
    pub kind: Kind,
    pub tokens: Decimal,
    /// USD per 1M tokens.
    pub rate: Decimal,
}

impl LineItem {
    pub fn cost(&self) -> Decimal {
        self.tokens * self.rate / PER_MILLION
    }
}

/// One run's bill: its line items (kinds with no tokens left out) and the
/// tier its prompt fell in (None for the base prices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub items: Vec<LineItem>,
    pub tier: Option<Decimal>,
}

impl Bill {
    /// `Σ tokens·rate / 10⁶`: one division for the whole bill, so a sum of
    /// exact products stays exact.
    pub fn total(&self) -> Decimal {
        self.items
            .iter()
            .map(|i| i.tokens * i.rate)
            .sum::<Decimal>()
            / PER_MILLION
    }
}

/// The bill for `run` on `model`. Tiers are cliffs (the whole run at the
/// tier its prompt exceeds); a kind without its own price pays the input
/// price (a cached read without a cached price is not a discount). Fails
/// only for a batch run on a model without batch prices.
pub fn bill(model: &ModelPrice, run: &Run, terms: Terms) -> Result<Bill, RateError> {
    bill_of_runs(model, run, Decimal::ONE, terms)
}

/// The bill for `runs` runs whose tokens together are `total`, each priced
/// at the tier of the mean run (a log row that sums many requests).
pub fn bill_of_runs(
    model: &ModelPrice,
    total: &Run,
    runs: Decimal,
    terms: Terms,
) -> Result<Bill, RateError> {
    let run = total;
    let mean_prompt = run.prompt / runs;
    let rates = model.rates_on(mean_prompt, terms.batch, terms.service, CacheTtl::Minutes5)?;
    let long = if run.cache_write_1h.is_zero() {
        rates
    } else {
        model.rates_on(mean_prompt, terms.batch, terms.service, CacheTtl::Hour1)?
    };
    let write = |r: &Rates| r.cache_write.unwrap_or(r.input);
    let plain = run.prompt - run.cache_read - run.cache_write - run.cache_write_1h;
    let items = [
        (Kind::Input, plain, rates.input),
        (
            Kind::CacheRead,
            run.cache_read,
            rates.cached_input.unwrap_or(rates.input),
        ),
        (Kind::CacheWrite, run.cache_write, write(&rates)),
        (Kind::CacheWrite1h, run.cache_write_1h, write(&long)),
        (Kind::Output, run.output, rates.output),
        (Kind::Reasoning, run.reasoning, rates.output),
    ]
    .into_iter()
    .filter(|(_, tokens, _)| !tokens.is_zero())
    .map(|(kind, tokens, rate)| LineItem { kind, tokens, rate })
    .collect();
    Ok(Bill {
        items,
        tier: model.tier_for(mean_prompt).map(|t| t.above),
    })
}

/// Output as billed: a reasoning model's hidden reasoning is billed as
/// output tokens on top of the visible answer.
pub fn billed_output(visible: Decimal, reasoning: Decimal) -> Decimal {
    visible + reasoning
}

/// The visible part of billed output: what a conversation's history
/// re-sends (reasoning is not sent back) and what `output_tokens` states.
pub fn visible_output(billed: Decimal, reasoning: Decimal) -> Decimal {
    (billed - reasoning).max(Decimal::ZERO)
}

/// Runs billed per request: a retried run is billed again, so retries are
/// runs on top of the spec's own.
pub fn billed_runs(runs_per_request: Decimal, retry_rate: Decimal) -> Decimal {
    runs_per_request * (Decimal::ONE + retry_rate)
}

/// Whether `batch: true` can be billed on the model: it needs batch prices.
pub fn batch_priced(model: &ModelPrice) -> bool {
    model.batch.is_some()
}

/// Whether caching can lower the bill on the model: one without a
/// cached-input price bills every prompt token at the input price.
pub fn caching_applies(model: &ModelPrice) -> bool {
    model.rates.cached_input.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, model};

    fn rates(input: &str, cached: Option<&str>, write: Option<&str>, output: &str) -> Rates {
        Rates {
            input: d(input),
            cached_input: cached.map(d),
            cache_write: write.map(d),
            output: d(output),
        }
    }

    #[test]
    fn a_plain_run() {
        // gpt-4o-mini: 1000 in at 0.15, 500 out at 0.60 per 1M:
        // 150 + 300 = 450 millionths of a dollar.
        let m = model(rates("0.15", Some("0.075"), None, "0.6"));
        let run = Run {
            prompt: d("1000"),
            output: d("500"),
            ..Run::default()
        };
        let b = bill(&m, &run, Terms::default()).unwrap();
        assert_eq!(b.total(), d("0.00045"));
        assert_eq!(
            b.items.iter().map(|i| i.kind).collect::<Vec<_>>(),
            [Kind::Input, Kind::Output]
        );
    }

    #[test]
    fn every_kind_at_its_own_rate() {
        // Input $3, cached $0.30, write $3.75 (1 h: $6), output $15 per 1M.
        // Prompt 10,000 = 2,000 plain + 5,000 read + 2,000 written (5 min)
        // + 1,000 written (1 h); 400 visible output + 600 reasoning.
        //   2,000·3 + 5,000·0.3 + 2,000·3.75 + 1,000·6 + 400·15 + 600·15
        //   = 6,000 + 1,500 + 7,500 + 6,000 + 6,000 + 9,000 = 36,000
        // millionths: $0.036.
        let mut m = model(rates("3", Some("0.3"), Some("3.75"), "15"));
        m.cache_write_1h = Some(d("6"));
        let run = Run {
            prompt: d("10000"),
            cache_read: d("5000"),
            cache_write: d("2000"),
            cache_write_1h: d("1000"),
            output: d("400"),
            reasoning: d("600"),
        };
        let b = bill(&m, &run, Terms::default()).unwrap();
        assert_eq!(b.total(), d("0.036"));
        let reasoning = b.items.iter().find(|i| i.kind == Kind::Reasoning).unwrap();
        assert_eq!((reasoning.rate, reasoning.cost()), (d("15"), d("0.009")));
    }

    #[test]
    fn a_kind_without_its_own_price_pays_the_input_price() {
        // No cached price: 1,000 "read" tokens still cost $2 per 1M, like
        // the 1,000 plain ones: 4,000 millionths.
        let m = model(rates("2", None, None, "8"));
        let run = Run {
            prompt: d("2000"),
            cache_read: d("1000"),
            ..Run::default()
        };
        assert_eq!(
            bill(&m, &run, Terms::default()).unwrap().total(),
            d("0.004")
        );
    }

    #[test]
    fn a_batch_run_needs_batch_prices() {
        let m = model(rates("2", None, None, "8"));
        assert!(!batch_priced(&m));
        let run = Run {
            prompt: d("1"),
            ..Run::default()
        };
        assert_eq!(
            bill(
                &m,
                &run,
                Terms {
                    batch: true,
                    ..Terms::default()
                }
            ),
            Err(RateError::NoBatchPrices)
        );
    }

    #[test]
    fn reasoning_and_retries() {
        // 300 visible + 200 reasoning are billed as 500 output; a history
        // re-sends the 300. 2 runs with 10% retried are 2.2 billed runs.
        assert_eq!(billed_output(d("300"), d("200")), d("500"));
        assert_eq!(visible_output(d("500"), d("200")), d("300"));
        assert_eq!(visible_output(d("100"), d("200")), d("0"));
        assert_eq!(billed_runs(d("2"), d("0.1")), d("2.2"));
    }

    /// The shipped catalog's model `name`, priced on `day`.
    fn shipped(name: &str, day: &str) -> ModelPrice {
        let table = crate::pricing::load(&[]).unwrap();
        let day = crate::date::Date::parse(day).unwrap();
        table.get(name).unwrap().on(day).unwrap()
    }

    fn priced(
        m: &ModelPrice,
        run: Run,
        batch: bool,
        service: Service,
    ) -> Result<Decimal, RateError> {
        bill(m, &run, Terms { batch, service }).map(|b| b.total())
    }

    fn prompt(tokens: &str) -> Run {
        Run {
            prompt: d(tokens),
            ..Run::default()
        }
    }

    fn output(tokens: &str) -> Run {
        Run {
            output: d(tokens),
            ..Run::default()
        }
    }

    #[test]
    fn dated_prices_apply_from_their_day() {
        // gemini-3.6-flash: $0.75 per 1M input until 2026-12-31, $1.50
        // from 2027-01-01 (both datasets). 1,000,000 input tokens:
        // 1·0.75 = $0.75 on 2026-12-31, 1·1.50 = $1.50 on 2027-01-02.
        let std = Service::default();
        let before = shipped("gemini-3.6-flash", "2026-12-31");
        assert_eq!(
            priced(&before, prompt("1000000"), false, std),
            Ok(d("0.75"))
        );
        let after = shipped("gemini-3.6-flash", "2027-01-02");
        assert_eq!(priced(&after, prompt("1000000"), false, std), Ok(d("1.5")));
        // Batch halves both: 0.375 before, 0.75 after (moved ×2 with input).
        assert_eq!(priced(&after, prompt("1000000"), true, std), Ok(d("0.75")));
        assert!(
            after.schedule.changes.is_empty(),
            "an applied change is spent"
        );
    }

    #[test]
    fn service_tiers_regions_and_fast_mode() {
        let on = |tier, region, speed| Service {
            tier,
            region,
            speed,
        };
        let m = shipped("gpt-5.4-mini", "2026-12-04");
        // gpt-5.4-mini output per 1M: standard $4.50, flex $2.25,
        // priority $9; 1,000,000 output tokens cost just that.
        let flex = on(ServiceTier::Flex, Region::Global, Speed::Standard);
        let priority = on(ServiceTier::Priority, Region::Global, Speed::Standard);
        assert_eq!(priced(&m, output("1000000"), false, flex), Ok(d("2.25")));
        assert_eq!(priced(&m, output("1000000"), false, priority), Ok(d("9")));
        // Processing in the EU adds 10%: 9 · 1.1 = $9.90.
        let eu = on(ServiceTier::Priority, Region::Eu, Speed::Standard);
        assert_eq!(priced(&m, output("1000000"), false, eu), Ok(d("9.9")));
        // Batch has its own prices: no tier on top.
        assert_eq!(
            priced(&m, output("1"), true, flex),
            Err(RateError::BatchWithService)
        );
        // gpt-4o has no flex tier; it says which it has.
        let old = shipped("gpt-4o", "2026-12-04");
        assert_eq!(
            priced(&old, output("1"), false, flex),
            Err(RateError::TierNotOffered(
                ServiceTier::Flex,
                vec![ServiceTier::Standard, ServiceTier::Priority]
            ))
        );
        // claude-opus-5 fast mode doubles every price, and the cache's
        // multipliers stack on it: input $5 → $10, a cache read $0.50 →
        // $1. 1,000 plain + 1,000 read: (1,000·10 + 1,000·1)/10⁶ = $0.011.
        let fast = on(ServiceTier::Standard, Region::Global, Speed::Fast);
        let opus = shipped("claude-opus-5", "2026-12-04");
        let run = Run {
            prompt: d("2000"),
            cache_read: d("1000"),
            ..Run::default()
        };
        assert_eq!(priced(&opus, run, false, fast), Ok(d("0.011")));
        assert_eq!(
            priced(&old, output("1"), false, fast),
            Err(RateError::FastNotOffered)
        );
    }

    #[test]
    fn listed_batch_tiers_win_over_derived_ones() {
        // gpt-5.4 batch above 272k: both datasets list cached input at
        // $0.25 per 1M. Derived from the base batch cached $0.13 it would
        // be 0.5 · 0.13/0.25 = $0.26. 300,000 prompt tokens, all read from
        // the cache: 300,000 · 0.25 / 10⁶ = $0.075.
        let m = shipped("gpt-5.4", "2026-12-04");
        let run = Run {
            prompt: d("300000"),
            cache_read: d("300000"),
            ..Run::default()
        };
        assert_eq!(priced(&m, run, true, Service::default()), Ok(d("0.075")));
        // mistral-large-4 batch: genai-prices' entry from 2026-10-29,
        // $0.35 in / $1.05 out (the 2026-10-14 one said $0.34 / $1.045).
        let mistral = shipped("mistral-large-4", "2026-12-04");
        assert_eq!(
            priced(&mistral, prompt("1000000"), true, Service::default()),
            Ok(d("0.35"))
        );
        assert_eq!(
            priced(&mistral, output("1000000"), true, Service::default()),
            Ok(d("1.05"))
        );
    }
}
