//! `llm-cost pricing import litellm`: LiteLLM's community-maintained
//! `model_prices_and_context_window.json` → llm-cost pricing YAML, so users
//! can follow its daily updates with `--pricing`. What llm-cost's format
//! cannot express is skipped and counted, never guessed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// The YAML text and what was left out, by reason.
#[derive(Debug, Default)]
pub struct Imported {
    pub yaml: String,
    pub models: usize,
    pub skipped: BTreeMap<String, usize>,
}

impl Imported {
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// A LiteLLM per-token price as an exact price per 1M tokens, read from the
/// JSON literal (serde_json keeps it: `arbitrary_precision`).
fn per_million(v: &Value) -> Option<Decimal> {
    let Value::Number(n) = v else { return None };
    let d = crate::literal::exact_decimal(&n.to_string()).ok()?;
    if d.is_sign_negative() {
        return None;
    }
    d.checked_mul(Decimal::from(1_000_000))
        .map(|p| p.normalize())
}

/// A token limit, or why the model cannot be imported with it.
fn whole(v: Option<&Value>) -> Result<Option<u64>, &'static str> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .to_string()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| "a token limit that is not a whole number of tokens (or is too large)"),
        Some(_) => Err("a token limit that is not a number"),
    }
}

/// Long-context thresholds LiteLLM spells as `…_above_{N}k_tokens`.
fn tier_thresholds(entry: &Map<String, Value>) -> Vec<u64> {
    let mut out: Vec<u64> = entry
        .keys()
        .filter_map(|k| {
            k.strip_prefix("input_cost_per_token_above_")?
                .strip_suffix("k_tokens")?
                .parse::<u64>()
                .ok()
        })
        .collect();
    out.sort_unstable();
    out
}

/// A YAML double-quoted string; control characters as `\uXXXX` escapes, so
/// a name can never break the file's lines.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The encoding for a model's name where tiktoken knows it (OpenAI's own
/// models), which makes its counts exact.
fn exact_encoding(provider: &str, name: &str) -> Option<&'static str> {
    if !matches!(provider, "openai" | "azure" | "text-completion-openai") {
        return None;
    }
    let bare = name.rsplit('/').next().unwrap_or(name);
    match tiktoken_rs::tokenizer::get_tokenizer(bare)? {
        tiktoken_rs::tokenizer::Tokenizer::O200kBase => Some("o200k_base"),
        tiktoken_rs::tokenizer::Tokenizer::Cl100kBase => Some("cl100k_base"),
        tiktoken_rs::tokenizer::Tokenizer::O200kHarmony => Some("o200k_harmony"),
        _ => None,
    }
}

/// `context_window`, `max_output` and `min_cacheable_tokens` lines, or why
/// a token limit cannot be imported.
fn limit_lines(entry: &Map<String, Value>) -> Result<String, String> {
    let mut out = String::new();
    for (from, to) in [
        ("max_input_tokens", "context_window"),
        ("max_output_tokens", "max_output"),
        ("prompt_cache_min_tokens", "min_cacheable_tokens"),
    ] {
        if let Some(n) = whole(entry.get(from))? {
            let _ = writeln!(out, "    {to}: {n}");
        }
    }
    Ok(out)
}

/// The long-context tiers, one flow mapping each.
fn tier_lines(entry: &Map<String, Value>, output: Decimal, has_cache_write: bool) -> Vec<String> {
    let price = |key: &str| entry.get(key).and_then(per_million);
    tier_thresholds(entry)
        .into_iter()
        .filter_map(|k| {
            let ti = price(&format!("input_cost_per_token_above_{k}k_tokens"))?;
            let to = price(&format!("output_cost_per_token_above_{k}k_tokens")).unwrap_or(output);
            // `…_above_{k}k_tokens`: a k so large that k·1000 overflows
            // is no threshold a prompt can cross.
            let above = k.checked_mul(1000)?;
            let mut t = format!("above: {above}, input: {ti}");
            if let Some(c) = price(&format!("cache_read_input_token_cost_above_{k}k_tokens")) {
                let _ = write!(t, ", cached_input: {c}");
            }
            if has_cache_write
                && let Some(w) = price(&format!(
                    "cache_creation_input_token_cost_above_{k}k_tokens"
                ))
            {
                let _ = write!(t, ", cache_write: {w}");
            }
            let _ = write!(t, ", output: {to}");
            Some(format!("      - {{ {t} }}"))
        })
        .collect()
}

/// A service tier's prices (`*_flex`, `*_priority`) as one flow mapping,
/// its long-context tiers (`*_above_{N}k_tokens_flex`) included.
fn service_tier_line(entry: &Map<String, Value>, tier: &str) -> Option<String> {
    let price = |key: &str| entry.get(&format!("{key}_{tier}")).and_then(per_million);
    let input = price("input_cost_per_token")?;
    let output = price("output_cost_per_token")?;
    let mut line = format!("{{ input: {input}");
    if let Some(c) = price("cache_read_input_token_cost").filter(|c| *c <= input) {
        let _ = write!(line, ", cached_input: {c}");
    }
    let _ = write!(line, ", output: {output}");
    let mut thresholds: Vec<u64> = entry
        .keys()
        .filter_map(|k| {
            k.strip_prefix("input_cost_per_token_above_")?
                .strip_suffix(&format!("k_tokens_{tier}"))?
                .parse::<u64>()
                .ok()
        })
        .collect();
    thresholds.sort_unstable();
    let tiers: Vec<String> = thresholds
        .into_iter()
        .filter_map(|k| {
            let above = k.checked_mul(1000)?;
            let ti = price(&format!("input_cost_per_token_above_{k}k_tokens"))?;
            let to = price(&format!("output_cost_per_token_above_{k}k_tokens")).unwrap_or(output);
            let mut t = format!("{{ above: {above}, input: {ti}");
            if let Some(c) = price(&format!("cache_read_input_token_cost_above_{k}k_tokens")) {
                let _ = write!(t, ", cached_input: {c}");
            }
            let _ = write!(t, ", output: {to} }}");
            Some(t)
        })
        .collect();
    if !tiers.is_empty() {
        let _ = write!(line, ", tiers: [{}]", tiers.join(", "));
    }
    line.push_str(" }");
    Some(line)
}

/// The batch prices' own long-context tiers (`*_above_{N}k_tokens_batches`)
/// as `, tiers: [...]`, or nothing.
fn batch_tier_list(entry: &Map<String, Value>, output: Decimal) -> String {
    let price = |key: &str| entry.get(key).and_then(per_million);
    let mut thresholds: Vec<u64> = entry
        .keys()
        .filter_map(|k| {
            k.strip_prefix("input_cost_per_token_above_")?
                .strip_suffix("k_tokens_batches")?
                .parse::<u64>()
                .ok()
        })
        .collect();
    thresholds.sort_unstable();
    let tiers: Vec<String> = thresholds
        .into_iter()
        .filter_map(|k| {
            let above = k.checked_mul(1000)?;
            let ti = price(&format!("input_cost_per_token_above_{k}k_tokens_batches"))?;
            let to = price(&format!("output_cost_per_token_above_{k}k_tokens_batches"))
                .unwrap_or(output);
            let mut t = format!("{{ above: {above}, input: {ti}");
            if let Some(c) = price(&format!(
                "cache_read_input_token_cost_above_{k}k_tokens_batches"
            )) {
                let _ = write!(t, ", cached_input: {c}");
            }
            let _ = write!(t, ", output: {to} }}");
            Some(t)
        })
        .collect();
    if tiers.is_empty() {
        String::new()
    } else {
        format!(", tiers: [{}]", tiers.join(", "))
    }
}

/// `regional_processing_uplift_multiplier_{us,eu}` as `{ us: 1.1, eu: 1.1 }`.
fn regions_line(entry: &Map<String, Value>) -> Option<String> {
    let uplifts: Vec<String> = ["us", "eu"]
        .iter()
        .filter_map(|r| {
            let Value::Number(n) =
                entry.get(&format!("regional_processing_uplift_multiplier_{r}"))?
            else {
                return None;
            };
            let v = crate::literal::exact_decimal(&n.to_string()).ok()?;
            (v > Decimal::ZERO && v <= Decimal::ONE_HUNDRED)
                .then(|| format!("{r}: {}", v.normalize()))
        })
        .collect();
    (!uplifts.is_empty()).then(|| format!("{{ {} }}", uplifts.join(", ")))
}

/// One LiteLLM entry as a model of a pricing file (YAML under `models:`),
/// or the reason it is left out.
fn model_yaml(name: &str, entry: &Map<String, Value>) -> Result<String, String> {
    let mode = entry.get("mode").and_then(Value::as_str).unwrap_or("");
    if !matches!(mode, "chat" | "completion" | "responses") {
        return Err(format!(
            "not a text model (mode: {})",
            if mode.is_empty() { "none" } else { mode }
        ));
    }
    let (Some(input), Some(output)) = (
        entry.get("input_cost_per_token").and_then(per_million),
        entry.get("output_cost_per_token").and_then(per_million),
    ) else {
        return Err("no per-token input and output price".into());
    };
    if input.is_zero() && output.is_zero() {
        // A $0 price is how other tools misprice unknown models; leave it out.
        return Err("priced at $0".into());
    }
    let provider = entry
        .get("litellm_provider")
        .and_then(Value::as_str)
        .unwrap_or("litellm");
    let price = |key: &str| entry.get(key).and_then(per_million);
    let mut m = String::new();
    let _ = writeln!(m, "  {}:", yaml_string(name));
    let _ = writeln!(m, "    provider: {}", yaml_string(provider));
    match exact_encoding(provider, name) {
        Some(enc) => {
            let _ = writeln!(m, "    tokenizer: {enc}");
        }
        None => {
            let _ = writeln!(m, "    tokenizer: {{ estimate: o200k_base }}");
        }
    }
    m.push_str(&limit_lines(entry)?);
    let _ = writeln!(m, "    input: {input}");
    let cached = price("cache_read_input_token_cost").filter(|p| *p <= input);
    if let Some(p) = cached {
        let _ = writeln!(m, "    cached_input: {p}");
    }
    let write = price("cache_creation_input_token_cost").filter(|p| !p.is_zero());
    if let Some(p) = write {
        let _ = writeln!(m, "    cache_write: {p}");
        if let Some(long) = price("cache_creation_input_token_cost_above_1hr") {
            let _ = writeln!(m, "    cache_write_1h: {long}");
        }
    }
    let _ = writeln!(m, "    output: {output}");
    if let (Some(bi), Some(bo)) = (
        price("input_cost_per_token_batches"),
        price("output_cost_per_token_batches"),
    ) && bi <= input
        && bo <= output
    {
        let tiers = batch_tier_list(entry, bo);
        let _ = writeln!(m, "    batch: {{ input: {bi}, output: {bo}{tiers} }}");
    }
    let tiers = tier_lines(entry, output, write.is_some());
    if !tiers.is_empty() {
        let _ = writeln!(m, "    tiers:\n{}", tiers.join("\n"));
    }
    for tier in ["flex", "priority"] {
        if let Some(line) = service_tier_line(entry, tier) {
            let _ = writeln!(m, "    {tier}: {line}");
        }
    }
    if let Some(line) = regions_line(entry) {
        let _ = writeln!(m, "    regions: {line}");
    }
    if let Some(dep) = entry
        .get("deprecation_date")
        .and_then(Value::as_str)
        .filter(|d| crate::date::parse(d).is_some())
    {
        let _ = writeln!(m, "    deprecated: {dep}");
    }
    Ok(m)
}

/// A model named twice, or a field named twice in one model, is an error,
/// as a duplicate key is in YAML: a JSON object keeps the last one
/// silently, and which price was meant is a guess.
fn no_duplicate_models(json: &str) -> Result<(), String> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// A model's entry: the first field it names twice, if any.
    struct Entry;
    impl<'de> DeserializeSeed<'de> for Entry {
        type Value = Option<String>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Entry {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a model entry")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = std::collections::HashSet::new();
            let mut twice = None;
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                if !seen.insert(key.clone()) && twice.is_none() {
                    twice = Some(key);
                }
            }
            Ok(twice)
        }
        // Anything else is not a model entry; the import says so later.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    /// The map: the first model named twice, or field named twice.
    struct Models;
    impl<'de> Visitor<'de> for Models {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object of models")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = std::collections::HashSet::new();
            let mut problem = None;
            while let Some(name) = map.next_key::<String>()? {
                let field = map.next_value_seed(Entry)?;
                if problem.is_some() {
                    continue;
                }
                let shown = crate::neutral::label(&name);
                if !seen.insert(name) {
                    problem = Some(format!(
                        "model `{shown}` is named twice; the map must name each model once"
                    ));
                } else if let Some(f) = field {
                    problem = Some(format!(
                        "model `{shown}` names `{}` twice; each field must appear once",
                        crate::neutral::label(&f)
                    ));
                }
            }
            Ok(problem)
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    match serde::Deserializer::deserialize_map(&mut de, Models) {
        Ok(Some(problem)) => Err(problem),
        // Not an object, or not JSON: said by the full parse that follows.
        Ok(None) | Err(_) => Ok(()),
    }
}

pub fn litellm(json: &str, as_of: &str) -> Result<Imported, String> {
    no_duplicate_models(json)?;
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not valid JSON: {e}"))?;
    let map = doc.as_object().ok_or("expected a JSON object of models")?;
    let catalog = crate::pricing::load(&[]).map_err(|e| e.to_string())?;
    let mut out = Imported::default();
    let mut skip = |reason: &str| *out.skipped.entry(reason.to_string()).or_default() += 1;
    let mut body = String::new();
    let mut models = 0;
    for (name, entry) in map {
        let Some(entry) = entry.as_object() else {
            skip("not a model entry");
            continue;
        };
        if name == "sample_spec" {
            continue;
        }
        let m = match model_yaml(name, entry) {
            Ok(m) => m,
            Err(why) => {
                skip(&why);
                continue;
            }
        };
        // Every model written must pass `pricing check`, or it is skipped.
        let alone = format!("provider: litellm\nas_of: {as_of}\nsource: litellm\nmodels:\n{m}");
        if crate::pricing::parse_file("import", &alone, &catalog).is_err() {
            skip("fails `pricing check` (e.g. a price over $100,000 per 1M tokens)");
            continue;
        }
        body.push_str(&m);
        models += 1;
    }
    let mut yaml = String::new();
    let _ = writeln!(
        yaml,
        "# Imported by `llm-cost pricing import litellm` from LiteLLM's"
    );
    let _ = writeln!(
        yaml,
        "# model_prices_and_context_window.json; {models} models, {} entries skipped.",
        out.skipped.values().sum::<usize>()
    );
    let _ = writeln!(
        yaml,
        "# Counts for non-OpenAI models are estimates (o200k_base)."
    );
    let _ = writeln!(yaml, "provider: litellm");
    let _ = writeln!(yaml, "as_of: {as_of}");
    let _ = writeln!(
        yaml,
        "source: https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
    );
    let _ = writeln!(yaml, "models:");
    yaml.push_str(&body);
    out.yaml = yaml;
    out.models = models;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_named_twice_is_refused() {
        // The last entry would win in silence: $2 per token, not $1.
        let json = r#"{"m1": {"mode": "chat", "input_cost_per_token": 1e-06},
                       "m1": {"mode": "chat", "input_cost_per_token": 2e-06}}"#;
        let err = litellm(json, "2026-11-20").unwrap_err();
        assert!(err.contains("model `m1` is named twice"), "{err}");
        // A price named twice inside one model: which one was meant?
        let json = r#"{"m1": {"mode": "chat", "input_cost_per_token": 1e-06, "input_cost_per_token": 2e-06}}"#;
        let err = litellm(json, "2026-11-20").unwrap_err();
        assert!(
            err.contains("model `m1` names `input_cost_per_token` twice"),
            "{err}"
        );
    }

    #[test]
    fn keeps_service_tiers_and_regional_uplifts() {
        // gpt-5.4-mini in LiteLLM 1.110.2: flex half the standard price,
        // priority double, ×1.1 in us and eu. 3.75e-07 per token is $0.375
        // per 1M; a 272k tier on flex keeps its threshold.
        let json = r#"{"m": {"mode": "chat", "litellm_provider": "openai",
            "input_cost_per_token": 7.5e-07, "output_cost_per_token": 4.5e-06,
            "input_cost_per_token_flex": 3.75e-07, "cache_read_input_token_cost_flex": 3.75e-08,
            "output_cost_per_token_flex": 2.25e-06,
            "input_cost_per_token_above_272k_tokens_flex": 7.5e-07,
            "output_cost_per_token_above_272k_tokens_flex": 3.375e-06,
            "input_cost_per_token_priority": 1.5e-06, "output_cost_per_token_priority": 9e-06,
            "regional_processing_uplift_multiplier_us": 1.1,
            "regional_processing_uplift_multiplier_eu": 1.1,
            "input_cost_per_token_batches": 3.75e-07, "output_cost_per_token_batches": 2.25e-06,
            "input_cost_per_token_above_272k_tokens_batches": 7.5e-07,
            "cache_read_input_token_cost_above_272k_tokens_batches": 7.5e-08,
            "output_cost_per_token_above_272k_tokens_batches": 3.375e-06}}"#;
        let out = litellm(json, "2026-11-20").unwrap();
        assert!(out.yaml.contains("    flex: { input: 0.375, cached_input: 0.0375, output: 2.25, tiers: [{ above: 272000, input: 0.75, output: 3.375 }] }\n"), "{}", out.yaml);
        assert!(
            out.yaml
                .contains("    priority: { input: 1.5, output: 9 }\n"),
            "{}",
            out.yaml
        );
        assert!(
            out.yaml.contains("    regions: { us: 1.1, eu: 1.1 }\n"),
            "{}",
            out.yaml
        );
        crate::pricing::check_file("imported.yaml", &out.yaml).unwrap();
    }

    #[test]
    fn converts_prices_tiers_and_caching() {
        let json = r#"{
          "sample_spec": {"mode": "chat"},
          "gpt-4o-mini": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1.5e-07,
            "output_cost_per_token": 6e-07, "cache_read_input_token_cost": 7.5e-08,
            "input_cost_per_token_batches": 7.5e-08, "output_cost_per_token_batches": 3e-07,
            "max_input_tokens": 128000, "max_output_tokens": 16384, "deprecation_date": "2027-01-14"},
          "claude-x": {"mode": "chat", "litellm_provider": "anthropic", "input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05, "cache_creation_input_token_cost": 3.75e-06,
            "cache_creation_input_token_cost_above_1hr": 6e-06, "cache_read_input_token_cost": 3e-07,
            "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
            "prompt_cache_min_tokens": 1024},
          "dall-e-3": {"mode": "image_generation", "output_cost_per_image": 0.04},
          "free-model": {"mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0}
        }"#;
        let out = litellm(json, "2026-11-27").unwrap();
        assert_eq!(out.models, 2);
        assert_eq!(out.skipped_total(), 2);
        assert!(
            out.yaml.contains(
                "  \"gpt-4o-mini\":\n    provider: \"openai\"\n    tokenizer: o200k_base\n"
            ),
            "{}",
            out.yaml
        );
        assert!(out.yaml.contains("    input: 0.15\n    cached_input: 0.075\n    output: 0.6\n    batch: { input: 0.075, output: 0.3 }\n"), "{}", out.yaml);
        assert!(
            out.yaml
                .contains("    cache_write: 3.75\n    cache_write_1h: 6\n"),
            "{}",
            out.yaml
        );
        assert!(
            out.yaml
                .contains("      - { above: 200000, input: 6, output: 22.5 }"),
            "{}",
            out.yaml
        );
        assert!(out.yaml.contains("tokenizer: { estimate: o200k_base }"));
        // and the result is a valid pricing file
        let parsed = crate::pricing::parse_file(
            "imported.yaml",
            &out.yaml,
            &crate::pricing::PriceTable::default(),
        )
        .unwrap();
        assert_eq!(parsed.models.len(), 2);
    }

    #[test]
    fn what_pricing_check_would_reject_is_skipped_not_written() {
        let json = r#"{
          "pricey": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 1},
          "huge-window": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
            "max_input_tokens": 100000000000000000000000000000},
          "wrapping-tier": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
            "input_cost_per_token_above_18446744073709552k_tokens": 2e-06},
          "odd\u001b]8;;name\n": {"mode": "chat", "input_cost_per_token": 1.0000000000000001e-06,
            "output_cost_per_token": 2e-06}
        }"#;
        let out = litellm(json, "2026-11-27").unwrap();
        // $1 a token is $1,000,000 per 1M: over the cap, so skipped.
        assert!(!out.yaml.contains("pricey"), "{}", out.yaml);
        assert!(!out.yaml.contains("huge-window"), "{}", out.yaml);
        // 18446744073709552 × 1000 overflows a u64: no tier, and no wrap to
        // a small threshold.
        assert!(out.yaml.contains("\"wrapping-tier\""), "{}", out.yaml);
        assert!(!out.yaml.contains("above:"), "{}", out.yaml);
        // Control characters escaped; the 17-digit price read from its
        // literal: 1.0000000000000001e-06 × 10⁶ = 1.0000000000000001.
        assert!(
            out.yaml.contains("\"odd\\u001b]8;;name\\u000a\""),
            "{}",
            out.yaml
        );
        assert!(
            out.yaml.contains("input: 1.0000000000000001\n"),
            "{}",
            out.yaml
        );
        assert_eq!(out.models, 2);
        crate::pricing::check_file("imported.yaml", &out.yaml).unwrap();
    }
}
