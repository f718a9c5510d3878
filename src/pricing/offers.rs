//! Prices beyond a model's standard list: dated changes (a schedule), and
//! the ways of being served that bill differently (a service tier, a
//! region's uplift, fast mode). The catalog records what each model offers;
//! `ModelPrice::rates_on` picks the rates for one run's terms.

use rust_decimal::Decimal;

use super::{Rates, Tier, ratio};
use crate::date::Date;

/// OpenAI's processing tiers: flex is slower and cheaper, priority faster
/// and dearer; standard is the list price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum ServiceTier {
    #[default]
    Standard,
    Flex,
    Priority,
}

impl ServiceTier {
    pub const ALL: [ServiceTier; 3] = [
        ServiceTier::Standard,
        ServiceTier::Flex,
        ServiceTier::Priority,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ServiceTier::Standard => "standard",
            ServiceTier::Flex => "flex",
            ServiceTier::Priority => "priority",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceTier> {
        Self::ALL.into_iter().find(|t| t.name() == text)
    }
}

/// Where requests are processed: `global` is the list price; a region with
/// data residency may carry an uplift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum Region {
    #[default]
    Global,
    Us,
    Eu,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Global, Region::Us, Region::Eu];

    pub fn name(self) -> &'static str {
        match self {
            Region::Global => "global",
            Region::Us => "us",
            Region::Eu => "eu",
        }
    }

    pub fn parse(text: &str) -> Option<Region> {
        Self::ALL.into_iter().find(|r| r.name() == text)
    }
}

/// Anthropic's fast mode: faster output at a multiple of every price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum Speed {
    #[default]
    Standard,
    Fast,
}

impl Speed {
    pub const ALL: [Speed; 2] = [Speed::Standard, Speed::Fast];

    pub fn name(self) -> &'static str {
        match self {
            Speed::Standard => "standard",
            Speed::Fast => "fast",
        }
    }

    pub fn parse(text: &str) -> Option<Speed> {
        Self::ALL.into_iter().find(|s| s.name() == text)
    }
}

/// How a run is served, as the spec says: the terms it is billed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Service {
    pub tier: ServiceTier,
    pub region: Region,
    pub speed: Speed,
}

impl Service {
    pub fn is_standard(&self) -> bool {
        *self == Service::default()
    }
}

/// A service tier's own prices, with its own long-context tiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierPrices {
    pub rates: Rates,
    pub tiers: Vec<Tier>,
}

/// What a model offers beyond its standard prices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Offers {
    /// Flex and priority prices, where offered.
    pub service_tiers: Vec<(ServiceTier, TierPrices)>,
    /// The multiplier on every token price in a region (1.1 = 10% uplift).
    pub regions: Vec<(Region, Decimal)>,
    /// The multiplier on every token price in fast mode, where offered.
    pub fast: Option<Decimal>,
}

impl Offers {
    pub fn tier(&self, tier: ServiceTier) -> Option<&TierPrices> {
        self.service_tiers
            .iter()
            .find(|(t, _)| *t == tier)
            .map(|(_, p)| p)
    }

    /// The tiers the model can be served at, standard first.
    pub fn tiers_offered(&self) -> Vec<ServiceTier> {
        let mut all = vec![ServiceTier::Standard];
        all.extend(self.service_tiers.iter().map(|(t, _)| *t));
        all
    }

    /// The region's multiplier: 1 where the catalog records no uplift.
    pub fn uplift(&self, region: Region) -> Decimal {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map_or(Decimal::ONE, |(_, m)| *m)
    }
}

/// A change of a model's prices from a day on: its input and output prices
/// (and cached and cache-write ones where given) from `from`; every other
/// price of the model (batch, long-context tiers, service tiers, the
/// 1-hour write) moves in the same ratio as the input or output price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChange {
    pub from: Date,
    pub rates: Rates,
}

/// A model's prices over time: the first day it is priced, where known,
/// and the changes still to come.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    pub since: Option<Date>,
    pub changes: Vec<PriceChange>,
}

/// Every price of `r` moved by the input ratio `i` (prompt side) and the
/// output ratio `o`.
pub(super) fn moved(r: &Rates, i: Decimal, o: Decimal) -> Rates {
    Rates {
        input: r.input * i,
        output: r.output * o,
        cached_input: r.cached_input.map(|p| p * i),
        cache_write: r.cache_write.map(|p| p * i),
    }
}

/// `change`'s prices, completed from `current`: a cached or cache-write
/// price it leaves out moves with its input price.
pub(super) fn changed(current: &Rates, change: &Rates) -> (Rates, Decimal, Decimal) {
    let i = ratio(change.input, current.input);
    let o = ratio(change.output, current.output);
    let rates = Rates {
        input: change.input,
        output: change.output,
        cached_input: change.cached_input.or(current.cached_input.map(|p| p * i)),
        cache_write: change.cache_write.or(current.cache_write.map(|p| p * i)),
    };
    (rates, i, o)
}

/// Every price of `r` times `m` (a region's uplift, fast mode).
pub(super) fn times(r: &Rates, m: Decimal) -> Rates {
    moved(r, m, m)
}
