//! Reading pricing files: the catalog compiled into the binary from
//! `pricing/*.yaml`, and any files a user adds (`--pricing`,
//! `LLM_COST_PRICING`). All pass the same validation, and every problem is
//! reported with its file, line and column.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    BatchUnlisted, CacheKind, Latency, ModelPrice, Offers, PriceChange, PriceTable, Rates, Region,
    Schedule, SelfHosted, ServiceTier, Tier, TierPrices, Tokenizer,
};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::tokens::Encoding;
use crate::yaml::{self, Num, Path};

/// The shipped catalog: (file name, contents), compiled in so the tool works
/// offline and a bad price fails the build's tests rather than a user's run.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "pricing/openai.yaml",
        include_str!("../../pricing/openai.yaml"),
    ),
    (
        "pricing/anthropic.yaml",
        include_str!("../../pricing/anthropic.yaml"),
    ),
    (
        "pricing/google.yaml",
        include_str!("../../pricing/google.yaml"),
    ),
    (
        "pricing/mistral.yaml",
        include_str!("../../pricing/mistral.yaml"),
    ),
    (
        "pricing/deepseek.yaml",
        include_str!("../../pricing/deepseek.yaml"),
    ),
    ("pricing/xai.yaml", include_str!("../../pricing/xai.yaml")),
    (
        "pricing/bedrock.yaml",
        include_str!("../../pricing/bedrock.yaml"),
    ),
    (
        "pricing/together.yaml",
        include_str!("../../pricing/together.yaml"),
    ),
];

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFile {
    provider: String,
    as_of: String,
    source: String,
    /// A discount on every model of `provider` (0.2 = 20% off).
    discount: Option<Num>,
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    models: BTreeMap<String, RawModel>,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    tokenizer: Option<RawTokenizer>,
    min_cacheable_tokens: Option<Num>,
    caching: Option<RawCaching>,
    cache_step: Option<Num>,
    batch_unlisted: Option<RawUnlisted>,
}

/// `caching: automatic | explicit`; without it, a model with a
/// `cache_write` price caches explicitly and one without automatically.
#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawCaching {
    Automatic,
    Explicit,
}

/// `batch_unlisted: standard | discounted`: what a batch run pays for a
/// token kind its `batch` block leaves out.
#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawUnlisted {
    Standard,
    Discounted,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawModel {
    /// Overrides the file's provider (an imported file spans many).
    provider: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    tokenizer: Option<RawTokenizer>,
    context_window: Option<Num>,
    max_output: Option<Num>,
    min_cacheable_tokens: Option<Num>,
    caching: Option<RawCaching>,
    /// Automatic caching's step above the minimum (OpenAI: 128).
    cache_step: Option<Num>,
    batch_unlisted: Option<RawUnlisted>,
    /// Reasons by default (hidden reasoning is billed as output).
    #[serde(default)]
    reasoning: bool,
    input: Option<Num>,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    cache_write_1h: Option<Num>,
    output: Option<Num>,
    batch: Option<RawRates>,
    #[serde(default)]
    tiers: Vec<RawTier>,
    deprecated: Option<String>,
    notes: Option<String>,
    discount: Option<Num>,
    /// A model you run yourself: prices follow from GPU time.
    self_hosted: Option<RawSelfHosted>,
    /// Typical speed, for latency estimates; needs a `source`.
    latency: Option<RawLatency>,
    /// The first day the model is priced (an `--as-of` before it is refused).
    since: Option<String>,
    /// Price changes, in date order, each from its day on.
    #[serde(default)]
    schedule: Vec<RawChange>,
    /// Flex and priority processing prices (OpenAI's service tiers).
    flex: Option<RawServiceTier>,
    priority: Option<RawServiceTier>,
    /// A multiplier on every price per region (`us: 1.1` = 10% uplift).
    #[serde(default)]
    regions: BTreeMap<String, Num>,
    /// A multiplier on every price in fast mode, where offered.
    fast: Option<Num>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawChange {
    from: String,
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawServiceTier {
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
    #[serde(default)]
    tiers: Vec<RawTier>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSelfHosted {
    gpu: String,
    /// USD per GPU-hour.
    gpu_hour: Num,
    gpus: Option<Num>,
    tokens_per_second: RawThroughput,
    /// Share of GPU time spent serving (0 < u ≤ 1).
    utilization: Num,
    /// Quantized variants by name, each with the throughput factor you
    /// measured (`int8: { throughput: 1.6 }`); each becomes `MODEL@NAME`.
    #[serde(default)]
    quantization: BTreeMap<String, RawQuantization>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawThroughput {
    input: Num,
    output: Num,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawQuantization {
    throughput: Num,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLatency {
    ttft_ms: Num,
    output_tokens_per_second: Num,
    source: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRates {
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
    /// The batch prices' own long-context tiers, where listed.
    #[serde(default)]
    tiers: Vec<RawTier>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawTier {
    above: Num,
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
}

#[derive(Deserialize, JsonSchema, Clone)]
#[serde(untagged)]
enum RawTokenizer {
    Exact(String),
    Estimate(RawEstimate),
}

#[derive(Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
struct RawEstimate {
    estimate: String,
    factor: Option<Num>,
    source: Option<String>,
}

/// What one pricing file says: new or replaced models, discounts on models
/// already known, and a discount on a whole provider.
#[derive(Debug, Default)]
pub struct FileContents {
    pub models: Vec<ModelPrice>,
    pub model_discounts: Vec<(String, Decimal)>,
    pub provider_discount: Option<(String, Decimal)>,
}

/// The catalog plus each user file in order, later ones overriding earlier
/// ones model by model.
pub fn load(extra_files: &[(String, String)]) -> Result<PriceTable> {
    let mut table = PriceTable::default();
    let mut diagnostics = Vec::new();
    let embedded = EMBEDDED.iter().map(|(f, s)| (f.to_string(), s.to_string()));
    // Which file each model came from, to point an alias clash at its line.
    let mut origins: BTreeMap<String, (String, std::rc::Rc<String>)> = BTreeMap::new();
    for (file, source) in embedded.chain(extra_files.iter().cloned()) {
        let source = std::rc::Rc::new(source);
        match parse_file(&file, &source, &table) {
            Ok(contents) => {
                for m in &contents.models {
                    origins.insert(m.name.clone(), (file.clone(), source.clone()));
                }
                apply(&mut table, contents, &file)
            }
            Err(mut errs) => diagnostics.append(&mut errs),
        }
    }
    check_aliases(&table, &origins, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(table)
    } else {
        Err(Error::Input(diagnostics))
    }
}

fn apply(table: &mut PriceTable, contents: FileContents, file: &str) {
    let mut discounted = BTreeSet::new();
    for model in contents.models {
        table.insert(model);
    }
    for (name, d) in contents.model_discounts {
        table.discount(&name, d, file);
        discounted.insert(name);
    }
    if let Some((provider, d)) = contents.provider_discount {
        let names: Vec<String> = table
            .models()
            .filter(|m| m.provider == provider && !discounted.contains(&m.name))
            .map(|m| m.name.clone())
            .collect();
        for name in names {
            table.discount(&name, d, file);
        }
    }
}

type RawPrices = (Num, Option<Num>, Option<Num>, Num);

/// Problems found in one file, each located by the path of its value.
struct Problems<'a> {
    file: &'a str,
    /// Where each key and value of the file is, from the one parse.
    spans: std::sync::Arc<yaml::Spans>,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn at(&mut self, path: Path, message: String) {
        self.list.push(Diagnostic::new(
            self.file,
            self.spans.locate(&path),
            message,
        ));
    }

    /// A price at `at` (its own path, `batch.output`), checked: never
    /// negative, never past `MAX_PRICE`. Messages name the key, not its
    /// section.
    fn price(&mut self, at: Path, name: &str, n: Num) -> Decimal {
        if n.value().is_sign_negative() {
            let key = in_model(&at);
            self.at(at, format!("price `{key}` of `{name}` is negative"));
        } else if n.value() > Decimal::from(MAX_PRICE) {
            let key = in_model(&at);
            self.at(at, format!("price `{key}` of `{name}` is over $100,000 per 1M tokens; prices are USD per 1M tokens"));
        }
        n.value()
    }

    /// A count of tokens at `at` (a window, a tier's threshold): whole, and
    /// at most `MAX_TOKENS`; past it an error, never a default in silence
    /// (a window of 1e25 would have become "no window", which errs low).
    fn token_count(&mut self, at: Path, name: &str, n: Num, what: &str) -> Option<u64> {
        let v = n.value();
        if v.is_sign_negative() || !v.fract().is_zero() || v > Decimal::from(MAX_TOKENS) {
            let key = in_model(&at);
            self.at(
                at,
                format!("`{key}` of `{name}` must be a whole number of {what} from 0 to {MAX_TOKENS}, found {v}"),
            );
            return None;
        }
        u64::try_from(v).ok()
    }

    /// Input, cached input, cache write and output prices of the section
    /// at `at` (the model itself, `batch`, `tiers[0]`), checked.
    fn rates(&mut self, at: &Path, name: &str, prices: RawPrices) -> Rates {
        let (input, cached, write, output) = prices;
        Rates {
            input: self.price(at.key("input"), name, input),
            cached_input: cached.map(|n| self.price(at.key("cached_input"), name, n)),
            cache_write: write.map(|n| self.price(at.key("cache_write"), name, n)),
            output: self.price(at.key("output"), name, output),
        }
    }

    /// A multiplier on every price (a region's uplift, fast mode): above 0
    /// and at most 100.
    fn multiplier(&mut self, at: Path, name: &str, n: Num) -> Decimal {
        let v = n.value();
        if v <= Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            let key = in_model(&at);
            self.at(at, format!("`{key}` of `{name}` multiplies every price: it must be above 0 and at most 100, found {v}"));
        }
        v
    }

    fn discount(&mut self, path: Path, n: Num) -> Decimal {
        let v = n.value();
        if v < Decimal::ZERO || v >= Decimal::ONE {
            self.at(
                path,
                format!("a discount is a fraction from 0 up to 1 (0.2 = 20% off), found {v}"),
            );
        }
        v
    }

    /// The model's `key` (`context_window`, …), where given: a token count.
    fn whole(&mut self, at: &Path, name: &str, key: &str, n: Option<Num>) -> Option<u64> {
        self.token_count(at.key(key), name, n?, "tokens")
    }
}

/// The largest token count a pricing file may state: a billion, far past
/// any model's window.
const MAX_TOKENS: u64 = 1_000_000_000;

/// A value's path inside its model (`batch.output`, `tiers[0].above`), for
/// messages that already name the model.
fn in_model(at: &Path) -> Path {
    match at.0.as_slice() {
        [yaml::Seg::Key(m), _, rest @ ..] if m == "models" && !rest.is_empty() => {
            Path(rest.to_vec())
        }
        _ => at.clone(),
    }
}

/// Validates one pricing file against the table loaded before it (which a
/// discount-only entry refers to). Every problem in the file is reported.
pub fn parse_file(
    file: &str,
    source: &str,
    known: &PriceTable,
) -> std::result::Result<FileContents, Vec<Diagnostic>> {
    let source = yaml::without_bom(source);
    let doc = yaml::Document::parse(file, source).map_err(|d| vec![d])?;
    let raw: RawFile = doc.read_checked(file)?;
    if raw.models.len() > crate::limits::MAX_PRICED_MODELS {
        return Err(vec![Diagnostic::new(
            file,
            doc.spans().key(&Path::root().key("models").0),
            format!(
                "lists {} models; a pricing file holds at most {}",
                raw.models.len(),
                crate::limits::MAX_PRICED_MODELS
            ),
        )]);
    }
    let mut p = Problems {
        file,
        spans: doc.spans(),
        list: Vec::new(),
    };
    let root = Path::root();
    if crate::date::parse(&raw.as_of).is_none() {
        p.at(
            root.key("as_of"),
            format!(
                "`as_of` must be a date like 2026-11-20, found `{}`",
                raw.as_of
            ),
        );
    }
    if raw.source.trim().is_empty() {
        p.at(
            root.key("source"),
            "`source` must say where these prices were read".into(),
        );
    }
    let provider_discount = raw
        .discount
        .map(|d| (raw.provider.clone(), p.discount(root.key("discount"), d)));
    let mut contents = FileContents {
        provider_discount,
        ..FileContents::default()
    };
    let defaults = &raw.defaults;
    let file_header = (raw.provider.clone(), raw.as_of.clone(), raw.source.clone());
    for (name, m) in raw.models {
        let at = root.key("models").key(&name);
        let entry = ModelEntry {
            at: &at,
            name: &name,
            defaults,
            file: &file_header,
        };
        if let Some((model, quantizations)) = entry.read(&mut p, m, known, &mut contents) {
            contents
                .models
                .extend(quantized_variants(&mut p, &at, &model, quantizations));
            contents.models.push(model);
        }
    }
    if p.list.is_empty() {
        Ok(contents)
    } else {
        Err(p.list)
    }
}

/// One model of a pricing file being read: where it is, and what the file
/// around it says (defaults; provider, `as_of` and source).
struct ModelEntry<'a> {
    at: &'a Path,
    name: &'a str,
    defaults: &'a RawDefaults,
    file: &'a (String, String, String),
}

/// A model's prices, as read.
struct Prices {
    rates: Rates,
    cache_write_1h: Option<Decimal>,
    batch: Option<Rates>,
    batch_tiers: Vec<Tier>,
    tiers: Vec<Tier>,
}

/// How a model's base prices are given.
enum BasePrices {
    Given(Num, Num),
    /// No prices: an entry that adjusts a model already known.
    Adjusts,
    Missing,
}

impl ModelEntry<'_> {
    /// The model this entry defines, with its quantizations still to expand;
    /// None where it only adjusts a known model or cannot be read (each
    /// problem recorded in `p`).
    fn read(
        &self,
        p: &mut Problems,
        m: RawModel,
        known: &PriceTable,
        contents: &mut FileContents,
    ) -> Option<(ModelPrice, BTreeMap<String, RawQuantization>)> {
        let (at, name) = (self.at, self.name);
        let model_discount = m.discount.map(|d| p.discount(at.key("discount"), d));
        let hosted = m
            .self_hosted
            .as_ref()
            .map(|h| self_hosted(p, &at.key("self_hosted"), h));
        let latency = m
            .latency
            .as_ref()
            .and_then(|l| latency(p, &at.key("latency"), l));
        let (input, output) = match self.base_prices(p, &m, hosted.as_ref(), known) {
            BasePrices::Given(i, o) => (i, o),
            BasePrices::Adjusts => {
                let canonical = known
                    .get(name)
                    .map_or_else(|| name.to_string(), |k| k.name.clone());
                match model_discount {
                    Some(d) => contents.model_discounts.push((canonical, d)),
                    None => p.at(at.clone(), format!("`{name}` is already priced; give `input` and `output` to replace it, or a `discount`")),
                }
                return None;
            }
            BasePrices::Missing => return None,
        };
        let tokenizer = self.tokenizer(p, m.tokenizer.clone());
        let prices = self.prices(p, &m, input, output);
        let limits = self.limits(p, &m);
        let caching = self.caching(p, &m, &prices.rates);
        let schedule = self.schedule(p, &m);
        let offers = self.offers(p, &m);
        if let Some(d) = model_discount {
            contents.model_discounts.push((name.to_string(), d));
        }
        let tokenizer = tokenizer?;
        let (provider, as_of, source) = self.file;
        let Prices {
            rates,
            cache_write_1h,
            batch,
            batch_tiers,
            tiers,
        } = prices;
        let (context_window, max_output, min_cacheable_tokens) = limits;
        let model = ModelPrice {
            name: name.to_string(),
            provider: m.provider.unwrap_or_else(|| provider.clone()),
            // Checked with the file's header; a bad date is already an error.
            as_of: crate::date::Date::parse(as_of).unwrap_or_default(),
            source: source.clone(),
            aliases: m.aliases,
            tokenizer,
            context_window,
            max_output,
            min_cacheable_tokens,
            caching,
            batch_unlisted: match m.batch_unlisted.or(self.defaults.batch_unlisted) {
                Some(RawUnlisted::Discounted) => BatchUnlisted::Discounted,
                Some(RawUnlisted::Standard) | None => BatchUnlisted::Standard,
            },
            reasoning: m.reasoning,
            rates,
            batch,
            batch_tiers,
            tiers,
            deprecated: m.deprecated.as_deref().and_then(crate::date::Date::parse),
            cache_write_1h,
            notes: m
                .notes
                .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")),
            discount: None,
            self_hosted: hosted,
            latency,
            schedule,
            offers,
        };
        Some((
            model,
            m.self_hosted.map(|h| h.quantization).unwrap_or_default(),
        ))
    }

    /// The model's prices: base, 1-hour cache write, batch and tiers.
    fn prices(&self, p: &mut Problems, m: &RawModel, input: Num, output: Num) -> Prices {
        let (at, name) = (self.at, self.name);
        let rates = p.rates(at, name, (input, m.cached_input, m.cache_write, output));
        let cache_write_1h = m
            .cache_write_1h
            .map(|n| p.price(at.key("cache_write_1h"), name, n));
        if cache_write_1h.is_some() && rates.cache_write.is_none() {
            p.at(
                at.key("cache_write_1h"),
                format!("`{name}` has a 1-hour cache-write price but no `cache_write`"),
            );
        }
        let batch = m.batch.as_ref().map(|b| {
            p.rates(
                &at.key("batch"),
                name,
                (b.input, b.cached_input, b.cache_write, b.output),
            )
        });
        let batch_tiers = m
            .batch
            .as_ref()
            .map(|b| self.tiers(p, &at.key("batch"), &b.tiers))
            .unwrap_or_default();
        let tiers = self.tiers(p, at, &m.tiers);
        Prices {
            batch_tiers,
            rates,
            cache_write_1h,
            batch,
            tiers,
        }
    }

    /// Long-context tiers at `at` (`tiers`, `flex.tiers`).
    fn tiers(&self, p: &mut Problems, at: &Path, raw: &[RawTier]) -> Vec<Tier> {
        raw.iter()
            .enumerate()
            .map(|(i, t)| {
                let tier = at.key("tiers").index(i);
                Tier {
                    // A threshold is a prompt length, not a price.
                    above: p
                        .token_count(tier.key("above"), self.name, t.above, "prompt tokens")
                        .map_or(Decimal::ZERO, Decimal::from),
                    rates: p.rates(
                        &tier,
                        self.name,
                        (t.input, t.cached_input, t.cache_write, t.output),
                    ),
                }
            })
            .collect()
    }

    /// `since` and `schedule`: dates, each change after the one before.
    fn schedule(&self, p: &mut Problems, m: &RawModel) -> Schedule {
        let (at, name) = (self.at, self.name);
        let since = m.since.as_deref().and_then(|t| {
            let day = crate::date::Date::parse(t);
            if day.is_none() {
                p.at(
                    at.key("since"),
                    format!(
                        "`since` of `{name}` must be a date like 2026-11-20, found `{}`",
                        crate::neutral::label(t)
                    ),
                );
            }
            day
        });
        let mut changes: Vec<PriceChange> = Vec::new();
        for (i, c) in m.schedule.iter().enumerate() {
            let here = at.key("schedule").index(i);
            let Some(from) = crate::date::Date::parse(&c.from) else {
                p.at(here.key("from"), format!("`schedule[{i}].from` of `{name}` must be a date like 2027-01-01, found `{}`", crate::neutral::label(&c.from)));
                continue;
            };
            let before = changes.last().map(|c| c.from).or(since);
            if let Some(before) = before
                && from <= before
            {
                p.at(here.key("from"), format!("`schedule[{i}].from` of `{name}` is {from}, not after {before}: list price changes in date order, after `since`"));
            }
            let rates = p.rates(
                &here,
                name,
                (c.input, c.cached_input, c.cache_write, c.output),
            );
            changes.push(PriceChange { from, rates });
        }
        Schedule { since, changes }
    }

    /// Service tiers, regional uplifts and fast mode.
    fn offers(&self, p: &mut Problems, m: &RawModel) -> Offers {
        let (at, name) = (self.at, self.name);
        let mut service_tiers = Vec::new();
        for (tier, raw) in [
            (ServiceTier::Flex, &m.flex),
            (ServiceTier::Priority, &m.priority),
        ] {
            if let Some(t) = raw {
                let here = at.key(tier.name());
                service_tiers.push((
                    tier,
                    TierPrices {
                        rates: p.rates(
                            &here,
                            name,
                            (t.input, t.cached_input, t.cache_write, t.output),
                        ),
                        tiers: self.tiers(p, &here, &t.tiers),
                    },
                ));
            }
        }
        let mut regions = Vec::new();
        for (region, n) in &m.regions {
            let here = at.key("regions").key(region);
            match Region::parse(region) {
                Some(r) => regions.push((r, p.multiplier(here, name, *n))),
                None => {
                    let valid: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
                    p.at(
                        here,
                        format!(
                            "`{name}` names an unknown region `{}`; regions: {}",
                            crate::neutral::label(region),
                            valid.join(", ")
                        ),
                    );
                }
            }
        }
        let fast = m.fast.map(|n| p.multiplier(at.key("fast"), name, n));
        Offers {
            service_tiers,
            regions,
            fast,
        }
    }

    /// How the model's cache is billed: the model's or the file's
    /// `caching`, else explicit where there is a cache-write price.
    fn caching(&self, p: &mut Problems, m: &RawModel, rates: &Rates) -> CacheKind {
        let (at, name) = (self.at, self.name);
        let kind = m
            .caching
            .or(self.defaults.caching)
            .unwrap_or(if rates.cache_write.is_some() {
                RawCaching::Explicit
            } else {
                RawCaching::Automatic
            });
        let step = p.whole(
            at,
            name,
            "cache_step",
            m.cache_step.or(self.defaults.cache_step),
        );
        match kind {
            RawCaching::Explicit => {
                if rates.cache_write.is_none() && rates.cached_input.is_some() {
                    p.at(
                        at.clone(),
                        format!("`{name}` caches explicitly but has no `cache_write` price"),
                    );
                }
                if m.cache_step.is_some() {
                    p.at(
                        at.key("cache_step"),
                        format!(
                            "`cache_step` applies to automatic caching; `{name}` caches explicitly"
                        ),
                    );
                }
                CacheKind::Explicit
            }
            RawCaching::Automatic => {
                if m.cache_write.is_some() {
                    p.at(
                        at.key("cache_write"),
                        format!("`{name}` caches automatically, which has no write price; say `caching: explicit` if writes are billed"),
                    );
                }
                if step == Some(0) {
                    p.at(
                        at.key("cache_step"),
                        format!("`cache_step` of `{name}` must be at least 1"),
                    );
                }
                CacheKind::Automatic {
                    step: step.unwrap_or(1).max(1),
                }
            }
        }
    }

    /// Context window, max output and minimum cacheable prefix (the file's
    /// default, else 1,024); and `deprecated` checked as a date.
    fn limits(&self, p: &mut Problems, m: &RawModel) -> (Option<u64>, Option<u64>, u64) {
        let (at, name) = (self.at, self.name);
        let context_window = p.whole(at, name, "context_window", m.context_window);
        let max_output = p.whole(at, name, "max_output", m.max_output);
        let min_cache = m
            .min_cacheable_tokens
            .or(self.defaults.min_cacheable_tokens);
        let min_cacheable_tokens = p
            .whole(at, name, "min_cacheable_tokens", min_cache)
            .unwrap_or(1024);
        if let Some(dep) = &m.deprecated
            && crate::date::parse(dep).is_none()
        {
            p.at(
                at.key("deprecated"),
                format!("`deprecated` must be a date like 2026-12-01, found `{dep}`"),
            );
        }
        (context_window, max_output, min_cacheable_tokens)
    }

    /// Stated prices, or for a self-hosted model the ones its GPU figures
    /// imply (and then it may state none).
    fn base_prices(
        &self,
        p: &mut Problems,
        m: &RawModel,
        hosted: Option<&SelfHosted>,
        known: &PriceTable,
    ) -> BasePrices {
        let (at, name) = (self.at, self.name);
        let derived = hosted.map(|h| {
            (
                Num(h.price_per_million(h.tokens_per_second_input)),
                Num(h.price_per_million(h.tokens_per_second_output)),
            )
        });
        if derived.is_some() && (m.input.is_some() || m.output.is_some()) {
            p.at(at.clone(), format!("`{name}` is self-hosted: its prices follow from `self_hosted`, so it takes no `input` or `output`"));
            return BasePrices::Missing;
        }
        match derived
            .or(m.input.zip(m.output))
            .map(|(i, o)| (Some(i), Some(o)))
            .unwrap_or((m.input, m.output))
        {
            (Some(i), Some(o)) => BasePrices::Given(i, o),
            (None, None) if known.get(name).is_some() => BasePrices::Adjusts,
            _ => {
                p.at(at.clone(), format!("model `{name}` needs both an `input` and an `output` price (USD per 1M tokens)"));
                BasePrices::Missing
            }
        }
    }

    /// The model's tokenizer, or the file's default.
    fn tokenizer(&self, p: &mut Problems, own: Option<RawTokenizer>) -> Option<Tokenizer> {
        let Some(raw) = own.or_else(|| self.defaults.tokenizer.clone()) else {
            p.at(
                self.at.clone(),
                format!(
                    "model `{}` names no tokenizer (e.g. `tokenizer: o200k_base`)",
                    self.name
                ),
            );
            return None;
        };
        tokenizer_from(raw)
            .map_err(|message| p.at(self.at.key("tokenizer"), message))
            .ok()
    }
}

/// Each quantization is the same deployment serving faster: the GPUs cost
/// the same, so only the throughput, and so the prices, change.
fn quantized_variants(
    p: &mut Problems,
    at: &Path,
    model: &ModelPrice,
    quantizations: BTreeMap<String, RawQuantization>,
) -> Vec<ModelPrice> {
    let mut out = Vec::new();
    for (q, r) in quantizations {
        let factor = r.throughput.value();
        let bounds = Decimal::new(1, 3)..=Decimal::from(1000);
        let at_q = at.key("self_hosted").key("quantization").key(&q);
        let Some(h) = model
            .self_hosted
            .as_ref()
            .filter(|_| bounds.contains(&factor))
        else {
            p.at(
                at_q,
                format!(
                    "the throughput factor of `{q}` must be from 0.001 to 1000, found {factor}"
                ),
            );
            continue;
        };
        let h = h.quantized(&q, factor);
        derived_prices_within_cap(p, &at_q, &h);
        let mut variant = model.clone();
        variant.name = format!("{}@{q}", model.name);
        variant.aliases = Vec::new();
        variant.rates = Rates {
            input: h.price_per_million(h.tokens_per_second_input),
            output: h.price_per_million(h.tokens_per_second_output),
            cached_input: None,
            cache_write: None,
        };
        variant.notes = Some(format!(
            "{} quantized to {q}: throughput ×{factor}, as stated in the pricing file",
            model.name
        ));
        variant.self_hosted = Some(h);
        out.push(variant);
    }
    out
}

/// The highest price per 1M tokens a pricing file may state or imply: far
/// above any real model, and low enough that every product the arithmetic
/// forms stays inside the exact decimal range.
const MAX_PRICE: u64 = 100_000;

/// Self-hosted prices follow from GPU cost and throughput; they are held to
/// the same cap as stated prices.
fn derived_prices_within_cap(p: &mut Problems, at: &Path, h: &SelfHosted) {
    let worst = h.price_per_million(h.tokens_per_second_input.min(h.tokens_per_second_output));
    if worst > Decimal::from(MAX_PRICE) {
        p.at(
            at.clone(),
            format!(
                "these GPU figures make ${} per 1M tokens, over ${MAX_PRICE} per 1M; check `gpu_hour`, `gpus`, `tokens_per_second` and `utilization`",
                worst.round_dp(2)
            ),
        );
    }
}

fn self_hosted(p: &mut Problems, at: &Path, h: &RawSelfHosted) -> SelfHosted {
    let positive = |p: &mut Problems, key: &str, n: Num| {
        if n.value() <= Decimal::ZERO {
            p.at(
                at.key(key),
                format!("`{key}` must be positive, found {}", n.value()),
            );
        }
        n.value()
    };
    // A value out of range is reported and replaced by a harmless one, so
    // the derived prices checked next cannot overflow (gpu_hour 1e20 × gpus
    // 1e15 once did, before the cap was looked at).
    let mut gpu_hour = h.gpu_hour.value();
    if gpu_hour.is_sign_negative() || gpu_hour > Decimal::from(MAX_PRICE) {
        p.at(
            at.key("gpu_hour"),
            format!("`gpu_hour` is USD per GPU-hour, from 0 to {MAX_PRICE}, found {gpu_hour}"),
        );
        gpu_hour = Decimal::ZERO;
    }
    let mut gpus = h
        .gpus
        .map(|g| positive(p, "gpus", g))
        .unwrap_or(Decimal::ONE);
    if gpus > Decimal::from(100_000) || gpus <= Decimal::ZERO {
        if gpus > Decimal::ZERO {
            p.at(
                at.key("gpus"),
                format!("`gpus` is at most 100000, found {gpus}"),
            );
        }
        gpus = Decimal::ONE;
    }
    let mut utilization = h.utilization.value();
    if utilization < Decimal::new(1, 3) || utilization > Decimal::ONE {
        p.at(at.key("utilization"), format!("`utilization` is the share of GPU time spent serving, from 0.001 to 1, found {utilization}"));
        utilization = Decimal::ONE;
    }
    let tps = |p: &mut Problems, n: Num| {
        let v = positive(p, "tokens_per_second", n);
        if v < Decimal::new(1, 3) || v > Decimal::from(1_000_000_000) {
            if v > Decimal::ZERO {
                p.at(
                    at.key("tokens_per_second"),
                    format!("`tokens_per_second` is from 0.001 to 10^9, found {v}"),
                );
            }
            Decimal::ONE
        } else {
            v
        }
    };
    let hosted = SelfHosted {
        gpu: h.gpu.clone(),
        gpu_hour,
        gpus,
        tokens_per_second_input: tps(p, h.tokens_per_second.input),
        tokens_per_second_output: tps(p, h.tokens_per_second.output),
        utilization: if utilization >= Decimal::new(1, 3) {
            utilization
        } else {
            Decimal::ONE
        },
        quantization: None,
    };
    derived_prices_within_cap(p, at, &hosted);
    hosted
}

fn latency(p: &mut Problems, at: &Path, l: &RawLatency) -> Option<Latency> {
    if l.source.trim().is_empty() {
        p.at(at.key("source"), "a latency figure needs a `source`".into());
        return None;
    }
    let tps = l.output_tokens_per_second.value();
    let ttft = l.ttft_ms.value();
    // Bounded like throughput: 1e-27 tokens a second once overflowed the
    // latency arithmetic.
    let speed = Decimal::new(1, 3)..=Decimal::from(1_000_000_000);
    let first = Decimal::ZERO..=Decimal::from(3_600_000);
    if !speed.contains(&tps) || !first.contains(&ttft) {
        p.at(
            at.clone(),
            "latency needs `output_tokens_per_second` from 0.001 to 10^9 and `ttft_ms` from 0 to 3600000 (an hour)"
                .into(),
        );
        return None;
    }
    Some(Latency {
        ttft_seconds: l.ttft_ms.value() / Decimal::from(1000),
        output_tokens_per_second: tps,
        source: l.source.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

fn tokenizer_from(raw: RawTokenizer) -> std::result::Result<Tokenizer, String> {
    match raw {
        RawTokenizer::Exact(name) => Ok(Tokenizer {
            encoding: name.parse()?,
            exact: true,
            factor: None,
            factor_source: None,
        }),
        RawTokenizer::Estimate(e) => {
            let encoding: Encoding = e.estimate.parse()?;
            let factor = e.factor.map(Num::value);
            if let Some(f) = factor {
                if f <= Decimal::ZERO {
                    return Err("a tokenizer `factor` must be positive".into());
                }
                if e.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    return Err("a tokenizer `factor` needs a `source` that justifies it".into());
                }
            }
            let source = e
                .source
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
            Ok(Tokenizer {
                encoding,
                exact: false,
                factor,
                factor_source: source,
            })
        }
    }
}

fn check_aliases(
    table: &PriceTable,
    origins: &BTreeMap<String, (String, std::rc::Rc<String>)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: BTreeSet<&str> = table.models().map(|m| m.name.as_str()).collect();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    // At the model's `aliases:` in the file that defined it.
    let at = |model: &str, message: String| match origins.get(model) {
        Some((file, source)) => {
            let path = Path::root().key("models").key(model).key("aliases");
            Diagnostic::new(file, yaml::locate(source, &path), message)
        }
        None => Diagnostic::new("pricing", None, message),
    };
    for m in table.models() {
        for alias in &m.aliases {
            if names.contains(alias.as_str()) {
                diagnostics.push(at(
                    &m.name,
                    format!("alias `{alias}` of `{}` is also a model name", m.name),
                ));
            }
            if let Some(other) = seen.insert(alias, &m.name) {
                diagnostics.push(at(
                    &m.name,
                    format!("alias `{alias}` belongs to both `{other}` and `{}`", m.name),
                ));
            }
        }
    }
}

/// Checks one pricing file with the rules the shipped catalog passes, as
/// `llm-cost pricing check` does: on its own, then merged into the catalog.
pub fn check_file(file: &str, source: &str) -> Result<usize> {
    let catalog = load(&[])?;
    let contents = parse_file(file, source, &catalog).map_err(Error::Input)?;
    let n = contents.models.len() + contents.model_discounts.len();
    load(&[(file.to_string(), source.to_string())])?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_is_valid() {
        let table = load(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(table.len() >= 60, "{} models", table.len());
        let providers: BTreeSet<&str> = table.models().map(|m| m.provider.as_str()).collect();
        assert!(providers.len() >= 8, "{providers:?}");
        for m in table.models() {
            // A real date, not the default a bad one would leave.
            assert!(
                m.as_of > crate::date::Date::parse("2024-01-01").unwrap(),
                "{}",
                m.name
            );
            assert!(!m.source.is_empty(), "{}", m.name);
            let r = m.rates;
            assert!(
                r.input > Decimal::ZERO && r.output > Decimal::ZERO,
                "{}: an unpriced model is never $0",
                m.name
            );
            if let Some(c) = r.cached_input {
                assert!(c <= r.input, "{}: cached input dearer than input", m.name);
            }
            if let (Some(w), Some(c)) = (r.cache_write, r.cached_input) {
                assert!(w >= c, "{}: a cache write cheaper than a read", m.name);
            }
            if let Some(b) = m.batch {
                assert!(
                    b.input <= r.input && b.output <= r.output,
                    "{}: batch dearer",
                    m.name
                );
            }
            for t in &m.tiers {
                assert!(
                    t.rates.input >= r.input,
                    "{}: a long-context tier cheaper than the base",
                    m.name
                );
            }
            assert!(
                m.tokenizer.factor.is_none() || m.tokenizer.factor_source.is_some(),
                "{}",
                m.name
            );
            assert_eq!(
                m.tokenizer.exact,
                m.provider == "openai",
                "{}: only OpenAI's tokenizers are public",
                m.name
            );
        }
    }

    #[test]
    fn bad_files_report_every_problem_with_a_location() {
        let src = "provider: x\nas_of: soon\nsource: s\nmodels:\n  m:\n    tokenizer: o300k\n    input: -1\n    output: 2\n";
        let errs = parse_file("x.yaml", src, &PriceTable::default()).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|d| d.location.unwrap().line).collect();
        assert_eq!(lines, vec![2, 6, 7], "{errs:?}");
        let src = "provider: x\nas_of: 2026-11-01\nsource: s\nmodels:\n  new-model:\n    tokenizer: o200k_base\n    input: 1\n";
        let errs = parse_file("x.yaml", src, &PriceTable::default()).unwrap_err();
        assert!(
            errs[0]
                .message
                .contains("needs both an `input` and an `output`"),
            "{errs:?}"
        );
    }

    #[test]
    fn a_user_file_overrides_a_model() {
        let src = "provider: acme\nas_of: 2026-11-01\nsource: our contract\nmodels:\n  gpt-4o-mini:\n    tokenizer: o200k_base\n    input: 0.1\n    output: 0.5\n";
        let table = load(&[("acme.yaml".into(), src.into())]).unwrap();
        let m = table.get("gpt-4o-mini").unwrap();
        assert_eq!(
            (m.provider.as_str(), m.rates.input),
            ("acme", "0.1".parse().unwrap())
        );
        assert!(table.get("gpt-4o-mini-2024-07-18").is_none());
    }

    #[test]
    fn negotiated_discounts_on_a_provider_or_a_model() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let src = "provider: openai\nas_of: 2026-11-01\nsource: our contract\ndiscount: 0.2\nmodels:\n  gpt-4o:\n    discount: 0.5\n";
        let table = load(&[("deal.yaml".into(), src.into())]).unwrap();
        let mini = table.get("gpt-4o-mini").unwrap();
        assert_eq!(
            (mini.rates.input, mini.batch.unwrap().output),
            (d("0.12"), d("0.24"))
        );
        assert_eq!(mini.discount, Some((d("0.2"), "deal.yaml".to_string())));
        assert_eq!(
            table.get("gpt-4o").unwrap().rates.input,
            d("1.25"),
            "the model's own discount wins"
        );
        assert_eq!(
            table.get("claude-haiku-4-5").unwrap().rates.input,
            d("1"),
            "other providers untouched"
        );
        let bad = "provider: openai\nas_of: 2026-11-01\nsource: s\ndiscount: 1.5\n";
        assert!(load(&[("bad.yaml".into(), bad.into())]).is_err());
    }
}
