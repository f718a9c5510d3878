//! `models --format json`: the price table as it prices, every model with
//! its rates, limits, caching and where its prices come from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use crate::figures::Money;
use crate::pricing::{BatchUnlisted, CacheKind, ModelPrice, Rates};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ModelsDoc {
    pub schema_version: u32,
    pub models: Vec<ModelDoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ModelDoc {
    pub name: String,
    pub provider: String,
    pub aliases: Vec<String>,
    pub tokenizer: TokenizerDoc,
    pub context_window: Option<u64>,
    pub max_output: Option<u64>,
    pub min_cacheable_tokens: u64,
    pub input: Money,
    pub cached_input: Option<Money>,
    pub cache_write: Option<Money>,
    pub cache_write_1h: Option<Money>,
    pub output: Money,
    pub batch: Option<RatesDoc>,
    /// What a batch run pays for a kind its batch prices leave out:
    /// `standard` or `discounted`.
    pub batch_unlisted: String,
    pub caching: CachingDoc,
    pub reasoning: bool,
    pub tiers: Vec<TierDoc>,
    pub deprecated: Option<String>,
    pub discount: Option<Money>,
    pub notes: Option<String>,
    pub as_of: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TokenizerDoc {
    pub encoding: String,
    pub exact: bool,
    pub factor: Option<Money>,
    pub factor_source: Option<String>,
}

/// USD per 1M tokens.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RatesDoc {
    pub input: Money,
    pub cached_input: Option<Money>,
    pub cache_write: Option<Money>,
    pub output: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TierDoc {
    /// The prompt tokens a run must exceed for the tier's prices.
    pub above: Money,
    #[serde(flatten)]
    pub rates: RatesDoc,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CachingDoc {
    Automatic { step: u64 },
    Explicit,
}

impl RatesDoc {
    pub(super) fn new(r: &Rates) -> RatesDoc {
        RatesDoc {
            input: Money(r.input),
            cached_input: r.cached_input.map(Money),
            cache_write: r.cache_write.map(Money),
            output: Money(r.output),
        }
    }
}

impl ModelsDoc {
    pub fn new(models: &[&ModelPrice]) -> ModelsDoc {
        ModelsDoc {
            schema_version: SCHEMA_VERSION,
            models: models.iter().map(|m| ModelDoc::new(m)).collect(),
        }
    }
}

impl ModelDoc {
    fn new(m: &ModelPrice) -> ModelDoc {
        ModelDoc {
            name: m.name.clone(),
            provider: m.provider.clone(),
            aliases: m.aliases.clone(),
            tokenizer: TokenizerDoc {
                encoding: m.tokenizer.encoding.name().into(),
                exact: m.tokenizer.exact,
                factor: m.tokenizer.factor.map(Money),
                factor_source: m.tokenizer.factor_source.clone(),
            },
            context_window: m.context_window,
            max_output: m.max_output,
            min_cacheable_tokens: m.min_cacheable_tokens,
            input: Money(m.rates.input),
            cached_input: m.rates.cached_input.map(Money),
            cache_write: m.rates.cache_write.map(Money),
            cache_write_1h: m.cache_write_1h.map(Money),
            output: Money(m.rates.output),
            batch: m.batch.as_ref().map(RatesDoc::new),
            batch_unlisted: match m.batch_unlisted {
                BatchUnlisted::Standard => "standard",
                BatchUnlisted::Discounted => "discounted",
            }
            .into(),
            caching: match m.caching {
                CacheKind::Explicit => CachingDoc::Explicit,
                CacheKind::Automatic { step } => CachingDoc::Automatic { step },
            },
            reasoning: m.reasoning,
            tiers: m
                .tiers
                .iter()
                .map(|t| TierDoc {
                    above: Money(t.above),
                    rates: RatesDoc::new(&t.rates),
                })
                .collect(),
            deprecated: m.deprecated.map(|d| d.to_string()),
            discount: m.discount.as_ref().map(|(d, _)| Money(*d)),
            notes: m.notes.clone(),
            as_of: m.as_of.to_string(),
            source: m.source.clone(),
        }
    }
}
