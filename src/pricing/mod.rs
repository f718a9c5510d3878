//! The price table: every model the tool can price, with the rules that pick
//! the rates for one run (long-context cliff tiers, batch discounts).

mod catalog;
mod freshness;
pub mod import;
mod offers;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::nearest::nearest;
use crate::tokens::Encoding;

pub use catalog::{EMBEDDED, check_file, load, parse_file};
pub use freshness::{Retirement, model_notes, retirement};
pub use offers::{Offers, PriceChange, Region, Schedule, Service, ServiceTier, Speed, TierPrices};

/// USD per 1M tokens for each kind of token a run can bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub input: Decimal,
    pub cached_input: Option<Decimal>,
    pub cache_write: Option<Decimal>,
    pub output: Decimal,
}

/// Higher prices that apply to the whole run once its prompt exceeds `above`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub above: Decimal,
    pub rates: Rates,
}

/// How a model's tokens are counted: with its own encoding (exact) or with a
/// stand-in encoding (an estimate), optionally scaled by a sourced factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokenizer {
    pub encoding: Encoding,
    pub exact: bool,
    pub factor: Option<Decimal>,
    pub factor_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPrice {
    pub name: String,
    pub provider: String,
    pub as_of: crate::date::Date,
    pub source: String,
    pub aliases: Vec<String>,
    pub tokenizer: Tokenizer,
    pub context_window: Option<u64>,
    pub max_output: Option<u64>,
    pub min_cacheable_tokens: u64,
    /// How the provider bills a cache (the pricing file says; never the
    /// model's name).
    pub caching: CacheKind,
    pub rates: Rates,
    pub batch: Option<Rates>,
    /// Long-context tiers of the batch prices, where the provider lists
    /// them (else a batch run's tier follows the standard tier's ratio).
    pub batch_tiers: Vec<Tier>,
    /// What a batch run pays for a kind of token its batch prices do not
    /// list (cached input, cache writes).
    pub batch_unlisted: BatchUnlisted,
    /// Reasons by default: hidden reasoning tokens are billed as output.
    pub reasoning: bool,
    pub tiers: Vec<Tier>,
    pub deprecated: Option<crate::date::Date>,
    /// The cache-write price with a 1-hour TTL, where it differs from the
    /// default (5-minute) one.
    pub cache_write_1h: Option<Decimal>,
    /// Why a price is what it is, where the sources disagree.
    pub notes: Option<String>,
    /// A negotiated discount applied to every price (0.2 = 20% off), and the
    /// file that set it.
    pub discount: Option<(Decimal, String)>,
    /// For a model you run yourself: the GPUs its prices come from.
    pub self_hosted: Option<SelfHosted>,
    /// Typical speed, where the pricing table gives it with a source.
    pub latency: Option<Latency>,
    /// When the prices start and how they change (`on` applies it).
    pub schedule: Schedule,
    /// Service tiers, regions and fast mode, where offered.
    pub offers: Offers,
}

/// A self-hosted deployment. Its price per token is GPU time: GPUs cost
/// `gpu_hour` each whether busy or not, and serve `tokens_per_second` while
/// busy, which they are for `utilization` of the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfHosted {
    pub gpu: String,
    pub gpu_hour: Decimal,
    pub gpus: Decimal,
    pub tokens_per_second_input: Decimal,
    pub tokens_per_second_output: Decimal,
    pub utilization: Decimal,
    /// The quantization applied and its throughput factor.
    pub quantization: Option<(String, Decimal)>,
}

impl SelfHosted {
    /// USD per 1M tokens served at `tokens_per_second`.
    pub fn price_per_million(&self, tokens_per_second: Decimal) -> Decimal {
        // One division, last: a repeating quotient is rounded once, not
        // rounded and then multiplied.
        self.gpu_hour * self.gpus * Decimal::from(1_000_000)
            / (Decimal::from(3600) * tokens_per_second * self.utilization)
    }

    /// The same GPUs serving `factor` times faster.
    pub fn quantized(&self, name: &str, factor: Decimal) -> SelfHosted {
        SelfHosted {
            tokens_per_second_input: self.tokens_per_second_input * factor,
            tokens_per_second_output: self.tokens_per_second_output * factor,
            quantization: Some((name.to_string(), factor)),
            ..self.clone()
        }
    }

    /// What the deployment costs a day with one replica always on: the
    /// floor of self-hosting, whatever the traffic.
    pub fn cost_per_day(&self) -> Decimal {
        self.gpu_hour * self.gpus * Decimal::from(24)
    }
}

/// Typical time to first token and output speed, with where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latency {
    pub ttft_seconds: Decimal,
    pub output_tokens_per_second: Decimal,
    pub source: String,
}

/// How a provider bills prompt caching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheKind {
    /// OpenAI-style: the provider caches on its own, writes cost nothing
    /// extra, and a hit covers the shared prefix rounded down to `step`
    /// tokens above the minimum (1 where the file names no step).
    Automatic { step: u64 },
    /// Anthropic-style: the request marks what to cache, and a write costs
    /// the cache-write price.
    Explicit,
}

/// The rule for a token kind a model's batch prices leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchUnlisted {
    /// The standard (non-batch) price: Google bills cached input in batch
    /// at its standard cached rate. The default, as the higher price.
    #[default]
    Standard,
    /// Discounted like input: Anthropic's batch discount stacks with
    /// caching.
    Discounted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateError {
    NoBatchPrices,
    /// The model is not served at this tier (the ones it is are listed).
    TierNotOffered(ServiceTier, Vec<ServiceTier>),
    FastNotOffered,
    /// Batch jobs have their own prices; no tier or fast mode applies.
    BatchWithService,
}

impl std::fmt::Display for RateError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RateError::NoBatchPrices => f.write_str("has no batch prices"),
            RateError::TierNotOffered(tier, offered) => {
                let names: Vec<&str> = offered.iter().map(|t| t.name()).collect();
                write!(
                    f,
                    "is not offered at the `{}` service tier; it is at: {}",
                    tier.name(),
                    names.join(", ")
                )
            }
            RateError::FastNotOffered => f.write_str("has no fast mode"),
            RateError::BatchWithService => f.write_str(
                "is sent through the batch API, which has its own prices: no service tier or fast mode applies",
            ),
        }
    }
}

/// How long a cache entry lives; explicit-caching providers charge more to
/// write a longer-lived one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheTtl {
    #[default]
    Minutes5,
    Hour1,
}

impl ModelPrice {
    /// The tier a run whose prompt is `prompt_tokens` long is priced at:
    /// the highest whose threshold it exceeds; None for the base prices.
    pub fn tier_for(&self, prompt_tokens: Decimal) -> Option<&Tier> {
        self.tiers
            .iter()
            .filter(|t| prompt_tokens > t.above)
            .max_by_key(|t| t.above)
    }

    /// Whether the provider has retired the model by `today`.
    pub fn retired(&self, today: crate::date::Date) -> bool {
        self.deprecated.is_some_and(|d| d <= today)
    }

    /// The rates for one run whose prompt is `prompt_tokens` long. Tiers are
    /// cliffs: above the threshold the whole prompt and output are priced at
    /// the tier. A tier that omits a cached or cache-write price gets the
    /// standard one scaled like its input price; a batch block that omits
    /// one follows the file's `batch_unlisted` rule.
    pub fn rates_for(
        &self,
        prompt_tokens: Decimal,
        batch: bool,
        ttl: CacheTtl,
    ) -> Result<Rates, RateError> {
        let base = self.tiered(&self.rates, &self.tiers, prompt_tokens, ttl);
        if !batch {
            return Ok(base);
        }
        let listed = self.batch.as_ref().ok_or(RateError::NoBatchPrices)?;
        if self.batch_tiers.iter().any(|t| prompt_tokens > t.above) {
            let listed = complete(listed, &self.rates);
            return Ok(self.tiered(&listed, &self.batch_tiers, prompt_tokens, ttl));
        }
        let batch = match self.batch_unlisted {
            BatchUnlisted::Discounted => complete(listed, &self.rates),
            BatchUnlisted::Standard => Rates {
                cached_input: listed.cached_input.or(self.rates.cached_input),
                cache_write: listed.cache_write.or(self.rates.cache_write),
                ..*listed
            },
        };
        Ok(Rates {
            input: base.input * ratio(batch.input, self.rates.input),
            output: base.output * ratio(batch.output, self.rates.output),
            cached_input: scaled(
                base.cached_input,
                batch.cached_input,
                self.rates.cached_input,
            ),
            cache_write: scaled(base.cache_write, batch.cache_write, self.rates.cache_write),
        })
    }

    /// The rates of `standard` (the list prices, or a service tier's) with
    /// its long-context `tiers` for a prompt of `prompt_tokens`, at `ttl`.
    fn tiered(
        &self,
        standard: &Rates,
        tiers: &[Tier],
        prompt_tokens: Decimal,
        ttl: CacheTtl,
    ) -> Rates {
        let tier = tiers
            .iter()
            .filter(|t| prompt_tokens > t.above)
            .max_by_key(|t| t.above);
        let mut base = match tier {
            Some(t) => complete(&t.rates, standard),
            None => *standard,
        };
        if ttl == CacheTtl::Hour1
            && let (Some(long), Some(short), Some(tiered)) = (
                self.cache_write_1h,
                self.rates.cache_write,
                base.cache_write,
            )
        {
            // The 1-hour price scales across tiers like the 5-minute one.
            base.cache_write = Some(tiered * ratio(long, short));
        }
        base
    }

    /// The rates for one run served on `service` terms: the service tier's
    /// own prices (with its long-context tiers), then the region's uplift
    /// and fast mode's multiple on every price. Batch has its own prices,
    /// so it takes no tier and no fast mode.
    pub fn rates_on(
        &self,
        prompt_tokens: Decimal,
        batch: bool,
        service: Service,
        ttl: CacheTtl,
    ) -> Result<Rates, RateError> {
        if batch && (service.tier != ServiceTier::Standard || service.speed == Speed::Fast) {
            return Err(RateError::BatchWithService);
        }
        let rates = match service.tier {
            ServiceTier::Standard => self.rates_for(prompt_tokens, batch, ttl)?,
            tier => {
                let prices = self
                    .offers
                    .tier(tier)
                    .ok_or_else(|| RateError::TierNotOffered(tier, self.offers.tiers_offered()))?;
                self.tiered(&prices.rates, &prices.tiers, prompt_tokens, ttl)
            }
        };
        let fast = match service.speed {
            Speed::Standard => Decimal::ONE,
            Speed::Fast => self.offers.fast.ok_or(RateError::FastNotOffered)?,
        };
        Ok(offers::times(
            &rates,
            fast * self.offers.uplift(service.region),
        ))
    }

    /// The model as priced on `day`: every scheduled change up to that day
    /// applied, the later ones kept. Before its first priced day there is
    /// no price: that day is the error.
    pub fn on(&self, day: crate::date::Date) -> Result<ModelPrice, crate::date::Date> {
        if let Some(since) = self.schedule.since
            && day < since
        {
            return Err(since);
        }
        let mut m = self.clone();
        let (due, later): (Vec<PriceChange>, Vec<PriceChange>) =
            m.schedule.changes.drain(..).partition(|c| c.from <= day);
        for change in due {
            m.apply(&change.rates);
        }
        m.schedule.changes = later;
        Ok(m)
    }

    /// `change` made the model's prices, every derived price moved with it.
    fn apply(&mut self, change: &Rates) {
        let (rates, i, o) = offers::changed(&self.rates, change);
        self.rates = rates;
        self.cache_write_1h = self.cache_write_1h.map(|p| p * i);
        self.batch = self.batch.map(|b| offers::moved(&b, i, o));
        for t in self.tiers.iter_mut().chain(&mut self.batch_tiers) {
            t.rates = offers::moved(&t.rates, i, o);
        }
        for (_, prices) in &mut self.offers.service_tiers {
            prices.rates = offers::moved(&prices.rates, i, o);
            for t in &mut prices.tiers {
                t.rates = offers::moved(&t.rates, i, o);
            }
        }
    }
}

/// `partial`'s prices, with missing cached/cache-write prices derived from
/// `standard` by the ratio of the input prices.
fn complete(partial: &Rates, standard: &Rates) -> Rates {
    let r = ratio(partial.input, standard.input);
    Rates {
        input: partial.input,
        output: partial.output,
        cached_input: partial
            .cached_input
            .or(standard.cached_input.map(|p| p * r)),
        cache_write: partial.cache_write.or(standard.cache_write.map(|p| p * r)),
    }
}

/// `part / whole`, or 1 where `whole` is zero (nothing to scale).
pub fn ratio(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        Decimal::ONE
    } else {
        part / whole
    }
}

fn scaled(
    base: Option<Decimal>,
    batch: Option<Decimal>,
    standard: Option<Decimal>,
) -> Option<Decimal> {
    match (base, batch, standard) {
        (Some(b), Some(bt), Some(s)) => Some(b * ratio(bt, s)),
        (b, _, _) => b,
    }
}

/// Every model, by name, with aliases.
#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    models: BTreeMap<String, ModelPrice>,
    aliases: BTreeMap<String, String>,
    /// The day the prices are for (`on`); None for the catalog as listed.
    priced_on: Option<crate::date::Date>,
    /// Models not yet priced on that day, with their first priced day.
    unpriced: BTreeMap<String, crate::date::Date>,
    /// The models as listed, before any scheduled change: what `on` and
    /// `model_on` price from, for any day.
    listed: Option<std::sync::Arc<BTreeMap<String, ModelPrice>>>,
}

impl PriceTable {
    /// Adds or replaces a model (a later `--pricing` file overrides the catalog).
    /// Applies a discount (0.2 = 20% off) to every price of a model.
    pub fn discount(&mut self, name: &str, discount: Decimal, origin: &str) -> bool {
        let Some(m) = self.models.get_mut(name) else {
            return false;
        };
        let keep = Decimal::ONE - discount;
        let scale = |r: &mut Rates| {
            r.input *= keep;
            r.output *= keep;
            r.cached_input = r.cached_input.map(|p| p * keep);
            r.cache_write = r.cache_write.map(|p| p * keep);
        };
        scale(&mut m.rates);
        if let Some(b) = m.batch.as_mut() {
            scale(b);
        }
        for t in m.tiers.iter_mut().chain(&mut m.batch_tiers) {
            scale(&mut t.rates);
        }
        for (_, prices) in &mut m.offers.service_tiers {
            scale(&mut prices.rates);
            for t in &mut prices.tiers {
                scale(&mut t.rates);
            }
        }
        for change in &mut m.schedule.changes {
            scale(&mut change.rates);
        }
        m.cache_write_1h = m.cache_write_1h.map(|p| p * keep);
        m.discount = Some((discount, origin.to_string()));
        true
    }

    /// The table as priced on `day`: each model with its scheduled changes
    /// up to that day applied; one not yet priced then is left out, and
    /// named as such where a spec asks for it.
    pub fn on(&self, day: crate::date::Date) -> PriceTable {
        let listed = self
            .listed
            .clone()
            .unwrap_or_else(|| std::sync::Arc::new(self.models.clone()));
        let mut table = PriceTable {
            aliases: self.aliases.clone(),
            priced_on: Some(day),
            listed: Some(listed.clone()),
            ..PriceTable::default()
        };
        for (name, m) in listed.iter() {
            match m.on(day) {
                Ok(priced) => {
                    table.models.insert(name.clone(), priced);
                }
                Err(since) => {
                    table.unpriced.insert(name.clone(), since);
                }
            }
        }
        table
    }

    /// Model `name` (canonical) as priced on `day`, where its prices change
    /// over time and it is priced then; None where they never change (the
    /// table's own model is the price on any day).
    pub fn model_on(&self, name: &str, day: crate::date::Date) -> Option<ModelPrice> {
        let listed = self.listed.as_ref()?.get(name)?;
        if listed.schedule.changes.is_empty() {
            return None;
        }
        listed.on(day).ok()
    }

    /// The day the prices are for: `--as-of`, else today.
    pub fn priced_on(&self) -> crate::date::Date {
        self.priced_on.unwrap_or_else(crate::date::Date::today)
    }

    pub fn insert(&mut self, model: ModelPrice) {
        // A later file may name a model by what was an alias: the name moves.
        for name in std::iter::once(&model.name).chain(&model.aliases) {
            if let Some(owner) = self.aliases.remove(name)
                && let Some(m) = self.models.get_mut(&owner)
            {
                m.aliases.retain(|a| a != name);
            }
        }
        if let Some(old) = self.models.remove(&model.name) {
            for alias in &old.aliases {
                self.aliases.remove(alias);
            }
        }
        for alias in &model.aliases {
            self.aliases.insert(alias.clone(), model.name.clone());
        }
        self.models.insert(model.name.clone(), model);
    }

    pub fn get(&self, name: &str) -> Option<&ModelPrice> {
        let key = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.models.get(key).or_else(|| {
            let lower = name.to_lowercase();
            self.models
                .values()
                .find(|m| m.name.to_lowercase() == lower)
        })
    }

    /// The one message for a model name the table does not know, with the
    /// nearest known names (or where to find them) as help, at `file` and
    /// `at`.
    pub fn unknown_model(
        &self,
        file: &str,
        at: Option<crate::diagnostic::Location>,
        name: &str,
    ) -> crate::diagnostic::Diagnostic {
        let key = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        if let Some(since) = self.unpriced.get(key) {
            return crate::diagnostic::Diagnostic::new(
                file,
                at,
                format!(
                    "`{}` has no price on {}: its first priced date is {since}",
                    crate::neutral::label(key),
                    self.priced_on()
                ),
            )
            .with_help(format!("price on {since} or later with `--as-of {since}`"));
        }
        let near = self.suggestions(name);
        let help = if near.is_empty() {
            "`llm-cost models` lists known models; `--pricing FILE` adds your own".to_string()
        } else {
            let quoted: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            format!("did you mean {}?", quoted.join(", "))
        };
        // Named, not echoed: a name is shown up to a label's length.
        crate::diagnostic::Diagnostic::new(
            file,
            at,
            format!("unknown model `{}`", crate::neutral::label(name)),
        )
        .with_help(help)
    }

    /// Known names closest to an unknown one, for "did you mean" help.
    pub fn suggestions(&self, name: &str) -> Vec<&str> {
        let names = self
            .models
            .keys()
            .chain(self.aliases.keys())
            .map(String::as_str);
        nearest(name, names, 3)
    }

    pub fn models(&self) -> impl Iterator<Item = &ModelPrice> {
        self.models.values()
    }

    pub fn len(&self) -> usize {
        self.models.len()
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    fn model() -> ModelPrice {
        let rates = Rates {
            input: d("3"),
            cached_input: Some(d("0.3")),
            cache_write: Some(d("3.75")),
            output: d("15"),
        };
        ModelPrice {
            batch: Some(Rates {
                input: d("1.5"),
                cached_input: None,
                cache_write: None,
                output: d("7.5"),
            }),
            tiers: vec![Tier {
                above: d("200000"),
                rates: Rates {
                    input: d("6"),
                    cached_input: Some(d("0.6")),
                    cache_write: None,
                    output: d("22.5"),
                },
            }],
            cache_write_1h: Some(d("6")),
            ..crate::test_support::model(rates)
        }
    }

    #[test]
    fn tiers_are_cliffs_above_the_threshold() {
        let m = model();
        assert_eq!(
            m.rates_for(d("200000"), false, CacheTtl::Minutes5)
                .unwrap()
                .input,
            d("3")
        );
        let above = m.rates_for(d("200001"), false, CacheTtl::Minutes5).unwrap();
        assert_eq!((above.input, above.output), (d("6"), d("22.5")));
        // the tier omits cache_write: it scales with input, 3.75 * 6/3
        assert_eq!(above.cache_write, Some(d("7.5")));
    }

    #[test]
    fn batch_discount_applies_to_every_price() {
        let m = model();
        let b = m.rates_for(d("1000"), true, CacheTtl::Minutes5).unwrap();
        assert_eq!(
            (b.input, b.output, b.cached_input, b.cache_write),
            (d("1.5"), d("7.5"), Some(d("0.15")), Some(d("1.875")))
        );
        let bt = m.rates_for(d("300000"), true, CacheTtl::Minutes5).unwrap();
        assert_eq!((bt.input, bt.output), (d("3"), d("11.25")));
    }

    #[test]
    fn one_hour_cache_writes_and_discounts() {
        let m = model();
        assert_eq!(
            m.rates_for(d("10"), false, CacheTtl::Hour1)
                .unwrap()
                .cache_write,
            Some(d("6"))
        );
        // tier doubles input; the 1-hour write doubles with it: 7.5 * 6/3.75
        assert_eq!(
            m.rates_for(d("300000"), false, CacheTtl::Hour1)
                .unwrap()
                .cache_write,
            Some(d("12"))
        );
        // batch halves it again
        assert_eq!(
            m.rates_for(d("10"), true, CacheTtl::Hour1)
                .unwrap()
                .cache_write,
            Some(d("3"))
        );
        let mut table = PriceTable::default();
        table.insert(m);
        assert!(table.discount("m", d("0.2"), "acme.yaml"));
        let r = table.get("m").unwrap().rates;
        assert_eq!(
            (r.input, r.output, r.cached_input),
            (d("2.4"), d("12"), Some(d("0.24")))
        );
        assert_eq!(table.get("m").unwrap().tiers[0].rates.input, d("4.8"));
    }

    #[test]
    fn batch_without_batch_prices_is_an_error() {
        let mut m = model();
        m.batch = None;
        assert_eq!(
            m.rates_for(d("10"), true, CacheTtl::Minutes5),
            Err(RateError::NoBatchPrices)
        );
    }
}
