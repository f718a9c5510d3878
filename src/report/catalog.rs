//! The pricing catalog as rows of text, shared by the table, markdown and
//! CSV renderers of `llm-cost models`.

use rust_decimal::Decimal;

use super::format::count;
use crate::pricing::{ModelPrice, Rates, Tokenizer};

/// The models to show, and whether to show one in full.
pub struct ModelList<'a> {
    pub models: Vec<&'a ModelPrice>,
    pub detail: bool,
}

/// A price per 1M tokens, exact: `$0.075`.
pub fn per_m(v: Decimal) -> String {
    // Catalog prices are short and shown exactly; a derived price (a
    // self-hosted one) is shown to 4 significant digits.
    let v = v.normalize();
    if v.scale() > 6 {
        let r = v.round_sf(4).unwrap_or(v).normalize();
        return format!("≈${r}");
    }
    format!("${v}")
}

fn opt(v: Option<Decimal>) -> String {
    v.map(per_m).unwrap_or_else(|| "—".into())
}

pub fn tokenizer(t: &Tokenizer) -> String {
    let approx = if t.exact { "" } else { "≈" };
    match t.factor {
        Some(f) => format!("{approx}{}×{}", t.encoding, f.normalize()),
        None => format!("{approx}{}", t.encoding),
    }
}

pub const LIST_HEADER: [&str; 10] = [
    "provider",
    "model",
    "input",
    "cached",
    "output",
    "batch in/out",
    "context",
    "tokenizer",
    "as of",
    "retires",
];

/// Columns of `LIST_HEADER` a narrow terminal goes without, least
/// important first: the model, its prices and its retirement stay.
pub const LIST_DROP_ORDER: [usize; 6] = [8, 7, 5, 6, 3, 0];

/// When the provider retires the model: `—` for no date, the date, or
/// `retired`/`retires` with it where that is past or within 90 days.
fn retires(m: &ModelPrice, today: crate::date::Date) -> String {
    match (crate::pricing::retirement(m, today), m.deprecated) {
        (Some(r), _) => r.to_string(),
        (None, Some(day)) => day.to_string(),
        (None, None) => "—".into(),
    }
}

pub fn list_rows(list: &ModelList) -> Vec<Vec<String>> {
    let today = crate::date::Date::today();
    list.models
        .iter()
        .map(|m| {
            vec![
                m.provider.clone(),
                m.name.clone(),
                per_m(m.rates.input),
                opt(m.rates.cached_input),
                per_m(m.rates.output),
                m.batch
                    .map(|b| format!("{}/{}", per_m(b.input), per_m(b.output)))
                    .unwrap_or_else(|| "—".into()),
                m.context_window
                    .map(|c| count(c.into()))
                    .unwrap_or_else(|| "—".into()),
                tokenizer(&m.tokenizer),
                m.as_of.to_string(),
                retires(m, today),
            ]
        })
        .collect()
}

fn rates_line(r: &Rates) -> String {
    let mut parts = vec![format!("input {}", per_m(r.input))];
    if let Some(c) = r.cached_input {
        parts.push(format!("cached {}", per_m(c)));
    }
    if let Some(w) = r.cache_write {
        parts.push(format!("cache write {}", per_m(w)));
    }
    parts.push(format!("output {}", per_m(r.output)));
    parts.join(" · ")
}

/// Batch prices as a batch run pays them: a kind the provider lists no
/// batch price for follows the file's rule, said beside it.
fn batch_line(m: &ModelPrice) -> String {
    let Some(b) = &m.batch else {
        return "none".into();
    };
    let Ok(paid) = m.rates_for(Decimal::ONE, true, crate::pricing::CacheTtl::Minutes5) else {
        return rates_line(b);
    };
    let rule = match m.batch_unlisted {
        crate::pricing::BatchUnlisted::Standard => "standard rate",
        crate::pricing::BatchUnlisted::Discounted => "batch discount",
    };
    let mut parts = vec![format!("input {}", per_m(paid.input))];
    let mut kind = |name: &str, listed: Option<Decimal>, price: Option<Decimal>| {
        if let Some(p) = price {
            let note = if listed.is_none() {
                format!(" ({rule})")
            } else {
                String::new()
            };
            parts.push(format!("{name} {}{note}", per_m(p)));
        }
    };
    kind("cached", b.cached_input, paid.cached_input);
    kind("cache write", b.cache_write, paid.cache_write);
    parts.push(format!("output {}", per_m(paid.output)));
    parts.join(" · ")
}

/// How the model's cache is billed.
fn caching_line(m: &ModelPrice) -> String {
    match m.caching {
        crate::pricing::CacheKind::Explicit => {
            "explicit: writes at the cache-write price, reads at the cached price".into()
        }
        crate::pricing::CacheKind::Automatic { step } if step > 1 => {
            format!("automatic: no write price; hits in {step}-token steps above the minimum")
        }
        crate::pricing::CacheKind::Automatic { .. } => "automatic: no write price".into(),
    }
}

/// The tokenizer and the token limits of a model.
fn limits_rows(m: &ModelPrice) -> Vec<(String, String)> {
    let exact = if m.tokenizer.exact {
        " (exact)"
    } else {
        " (estimate: the vendor's tokenizer is not public)"
    };
    let mut rows = vec![(
        "tokenizer".into(),
        format!("{}{exact}", tokenizer(&m.tokenizer)),
    )];
    if let Some(src) = &m.tokenizer.factor_source {
        rows.push(("tokenizer factor source".into(), src.clone()));
    }
    let limit = |v: Option<u64>| v.map(|c| count(c.into())).unwrap_or_else(|| "—".into());
    rows.push(("context window".into(), limit(m.context_window)));
    rows.push(("max output".into(), limit(m.max_output)));
    rows.push((
        "min cacheable prefix".into(),
        format!("{} tokens", count(m.min_cacheable_tokens.into())),
    ));
    rows
}

/// A self-hosted deployment in one line: GPUs, price, throughput, floor.
fn self_hosted_line(h: &crate::pricing::SelfHosted) -> String {
    let q = h
        .quantization
        .as_ref()
        .map(|(q, f)| format!(", {q} (throughput ×{})", f.normalize()))
        .unwrap_or_default();
    format!(
        "{} × {} at ${}/hour, {} in / {} out tokens/s, {}% utilization{q}; ${}/day with one deployment always on",
        h.gpus.normalize(),
        h.gpu,
        h.gpu_hour.normalize(),
        h.tokens_per_second_input.normalize(),
        h.tokens_per_second_output.normalize(),
        (h.utilization * Decimal::ONE_HUNDRED).normalize(),
        h.cost_per_day().round_dp(2)
    )
}

/// Service tiers, regional uplifts, fast mode and the price schedule.
fn offers_rows(m: &ModelPrice) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (tier, prices) in &m.offers.service_tiers {
        rows.push((format!("{} per 1M", tier.name()), rates_line(&prices.rates)));
        for t in &prices.tiers {
            rows.push((
                format!("{} above {} tokens", tier.name(), count(t.above)),
                rates_line(&t.rates),
            ));
        }
    }
    if !m.offers.regions.is_empty() {
        let uplifts: Vec<String> = m
            .offers
            .regions
            .iter()
            .map(|(r, x)| format!("{} ×{}", r.name(), x.normalize()))
            .collect();
        rows.push(("regions".into(), uplifts.join(" · ")));
    }
    if let Some(x) = m.offers.fast {
        rows.push((
            "fast mode".into(),
            format!("×{} every price (`speed: fast`)", x.normalize()),
        ));
    }
    if let Some(since) = m.schedule.since {
        rows.push(("priced since".into(), since.to_string()));
    }
    for change in &m.schedule.changes {
        rows.push((format!("from {}", change.from), rates_line(&change.rates)));
    }
    rows
}

/// One model in full, as (label, value) pairs.
pub fn detail_rows(m: &ModelPrice) -> Vec<(String, String)> {
    let mut rows = vec![
        ("model".to_string(), m.name.clone()),
        ("provider".to_string(), m.provider.clone()),
    ];
    if !m.aliases.is_empty() {
        rows.push(("aliases".into(), m.aliases.join(", ")));
    }
    rows.push(("prices per 1M".into(), rates_line(&m.rates)));
    if let Some(w) = m.cache_write_1h {
        rows.push(("1-hour cache write".into(), per_m(w)));
    }
    rows.push(("batch per 1M".into(), batch_line(m)));
    if m.rates.cached_input.is_some() {
        rows.push(("caching".into(), caching_line(m)));
    }
    if m.reasoning {
        rows.push((
            "reasoning".into(),
            "by default: hidden reasoning tokens are billed as output".into(),
        ));
    }
    for t in &m.tiers {
        rows.push((
            format!("above {} tokens", count(t.above)),
            rates_line(&t.rates),
        ));
    }
    for t in &m.batch_tiers {
        rows.push((
            format!("batch above {} tokens", count(t.above)),
            rates_line(&t.rates),
        ));
    }
    rows.extend(offers_rows(m));
    rows.extend(limits_rows(m));
    if let Some(d) = &m.deprecated {
        rows.push(("retires".into(), d.to_string()));
    }
    if let Some((d, file)) = &m.discount {
        rows.push((
            "discount".into(),
            format!("{}% (from {file})", (d * Decimal::ONE_HUNDRED).normalize()),
        ));
    }
    if let Some(h) = &m.self_hosted {
        rows.push(("self-hosted".into(), self_hosted_line(h)));
    }
    if let Some(l) = &m.latency {
        rows.push((
            "latency".into(),
            format!(
                "first token {} s, {} tokens/s ({})",
                l.ttft_seconds.normalize(),
                l.output_tokens_per_second.normalize(),
                l.source
            ),
        ));
    }
    rows.push(("prices as of".into(), format!("{} ({})", m.as_of, m.source)));
    if let Some(n) = &m.notes {
        rows.push(("notes".into(), n.clone()));
    }
    rows
}
