//! llm-cost: what an AI feature will cost to serve, before it ships.
//!
//! The data flow, one module per stage:
//! `spec` (YAML → validated Spec) → `resolve` (files read, variables filled)
//! → `count` (tokens per call, via `tokens`) → `estimate` (pure arithmetic,
//! with rates from `pricing`) → `budget` (verdicts) → `report` (rendering).
//! `pipeline` strings the stages together; `commands` serve the CLI.

pub mod billing;
pub mod budget;
pub mod check;
pub mod cli;
pub mod commands;
pub mod count;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod error;
pub mod estimate;
pub mod figures;
pub mod format;
pub mod github;
pub mod labels;
pub mod limits;
pub mod literal;
pub mod nearest;
pub mod neutral;
pub mod notes;
pub mod pipeline;
pub mod pricing;
pub mod projection;
pub mod ratio;
pub mod reconcile;
pub mod report;
pub mod resolve;
pub mod savings;

pub mod spec;
pub mod stream;
pub mod template;
pub mod tokens;
pub mod whatif;
mod yaml;

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    /// A decimal from its literal, for expected figures written by hand.
    pub fn d(s: &str) -> rust_decimal::Decimal {
        s.parse().unwrap()
    }

    /// A plain model priced at `rates`: o200k_base (exact), a minimum
    /// cacheable prefix of 1,024 tokens, nothing else. Tests set the rest
    /// with `..model(rates)`.
    pub fn model(rates: crate::pricing::Rates) -> crate::pricing::ModelPrice {
        crate::pricing::ModelPrice {
            name: "m".into(),
            provider: "p".into(),
            as_of: crate::date::Date::parse("2026-11-20").unwrap(),
            source: "s".into(),
            aliases: vec![],
            tokenizer: crate::pricing::Tokenizer {
                encoding: crate::tokens::Encoding::O200kBase,
                exact: true,
                factor: None,
                factor_source: None,
            },
            context_window: None,
            max_output: None,
            min_cacheable_tokens: 1024,
            caching: if rates.cache_write.is_some() {
                crate::pricing::CacheKind::Explicit
            } else {
                crate::pricing::CacheKind::Automatic { step: 1 }
            },
            batch_unlisted: crate::pricing::BatchUnlisted::Discounted,
            reasoning: false,
            rates,
            batch: None,
            batch_tiers: vec![],
            tiers: vec![],
            deprecated: None,
            cache_write_1h: None,
            notes: None,
            discount: None,
            self_hosted: None,
            latency: None,
            schedule: Default::default(),
            offers: Default::default(),
        }
    }
}
