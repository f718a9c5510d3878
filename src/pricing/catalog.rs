//! Reading pricing files: the catalog compiled into the binary from
//! `pricing/*.yaml`, and any `--pricing FILE` a user adds. Both pass the same
//! validation, and every problem is reported with its file, line and column.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{ModelPrice, PriceTable, Rates, Tier, Tokenizer};
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
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    provider: String,
    as_of: String,
    source: String,
    #[serde(default)]
    defaults: RawDefaults,
    models: BTreeMap<String, RawModel>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    tokenizer: Option<RawTokenizer>,
    min_cacheable_tokens: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    #[serde(default)]
    aliases: Vec<String>,
    tokenizer: Option<RawTokenizer>,
    context_window: Option<Num>,
    max_output: Option<Num>,
    min_cacheable_tokens: Option<Num>,
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
    batch: Option<RawRates>,
    #[serde(default)]
    tiers: Vec<RawTier>,
    deprecated: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRates {
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    above: Num,
    input: Num,
    cached_input: Option<Num>,
    cache_write: Option<Num>,
    output: Num,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawTokenizer {
    Exact(String),
    Estimate(RawEstimate),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawEstimate {
    estimate: String,
    factor: Option<Num>,
    source: Option<String>,
}

/// The catalog plus each `--pricing` file in order, later ones overriding
/// earlier ones model by model.
pub fn load(extra_files: &[(String, String)]) -> Result<PriceTable> {
    let mut table = PriceTable::default();
    let mut diagnostics = Vec::new();
    let embedded = EMBEDDED.iter().map(|(f, s)| (f.to_string(), s.to_string()));
    for (file, source) in embedded.chain(extra_files.iter().cloned()) {
        match parse_file(&file, &source) {
            Ok(models) => {
                for model in models {
                    table.insert(model);
                }
            }
            Err(mut errs) => diagnostics.append(&mut errs),
        }
    }
    check_aliases(&table, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(table)
    } else {
        Err(Error::Input(diagnostics))
    }
}

/// Validated models of one pricing file, or every problem in it.
pub fn parse_file(
    file: &str,
    source: &str,
) -> std::result::Result<Vec<ModelPrice>, Vec<Diagnostic>> {
    let raw: RawFile = yaml::parse(file, source).map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    let mut err = |path: Path, message: String| {
        errs.push(Diagnostic::new(file, yaml::locate(source, &path), message));
    };
    let root = Path::root();
    if crate::date::parse(&raw.as_of).is_none() {
        err(
            root.key("as_of"),
            format!(
                "`as_of` must be a date like 2026-11-20, found `{}`",
                raw.as_of
            ),
        );
    }
    if raw.source.trim().is_empty() {
        err(
            root.key("source"),
            "`source` must say where these prices were read".into(),
        );
    }
    let default_tokenizer = raw.defaults.tokenizer.clone();
    let default_min_cache = raw.defaults.min_cacheable_tokens;
    let mut models = Vec::new();
    for (name, m) in raw.models {
        let at = root.key("models").key(&name);
        let tokenizer = match m.tokenizer.or_else(|| default_tokenizer.clone()) {
            None => {
                err(
                    at.clone(),
                    format!("model `{name}` names no tokenizer (e.g. `tokenizer: o200k_base`)"),
                );
                None
            }
            Some(raw_tok) => match tokenizer_from(raw_tok) {
                Ok(t) => Some(t),
                Err(message) => {
                    err(at.key("tokenizer"), message);
                    None
                }
            },
        };
        let mut price = |key: &str, n: Num| -> Decimal {
            if n.value().is_sign_negative() {
                err(
                    at.key(key),
                    format!("price `{key}` of `{name}` is negative"),
                );
            }
            n.value()
        };
        let rates = Rates {
            input: price("input", m.input),
            cached_input: m.cached_input.map(|n| price("cached_input", n)),
            cache_write: m.cache_write.map(|n| price("cache_write", n)),
            output: price("output", m.output),
        };
        let batch = m.batch.map(|b| Rates {
            input: price("batch", b.input),
            cached_input: b.cached_input.map(|n| price("batch", n)),
            cache_write: b.cache_write.map(|n| price("batch", n)),
            output: price("batch", b.output),
        });
        let tiers: Vec<Tier> = m
            .tiers
            .into_iter()
            .map(|t| Tier {
                above: price("tiers", t.above),
                rates: Rates {
                    input: price("tiers", t.input),
                    cached_input: t.cached_input.map(|n| price("tiers", n)),
                    cache_write: t.cache_write.map(|n| price("tiers", n)),
                    output: price("tiers", t.output),
                },
            })
            .collect();
        let mut whole = |key: &str, n: Option<Num>| -> Option<u64> {
            let v = n?.value();
            if v.is_sign_negative() || !v.fract().is_zero() {
                err(
                    at.key(key),
                    format!("`{key}` of `{name}` must be a whole number of tokens"),
                );
                return None;
            }
            u64::try_from(v).ok()
        };
        let context_window = whole("context_window", m.context_window);
        let max_output = whole("max_output", m.max_output);
        let min_cacheable_tokens = whole(
            "min_cacheable_tokens",
            m.min_cacheable_tokens.or(default_min_cache),
        )
        .unwrap_or(1024);
        if let Some(dep) = &m.deprecated
            && crate::date::parse(dep).is_none()
        {
            err(
                at.key("deprecated"),
                format!("`deprecated` must be a date like 2026-12-01, found `{dep}`"),
            );
        }
        if let Some(tokenizer) = tokenizer {
            models.push(ModelPrice {
                name,
                provider: raw.provider.clone(),
                as_of: raw.as_of.clone(),
                source: raw.source.clone(),
                aliases: m.aliases,
                tokenizer,
                context_window,
                max_output,
                min_cacheable_tokens,
                rates,
                batch,
                tiers,
                deprecated: m.deprecated,
            });
        }
    }
    if errs.is_empty() {
        Ok(models)
    } else {
        Err(errs)
    }
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
            Ok(Tokenizer {
                encoding,
                exact: false,
                factor,
                factor_source: e.source,
            })
        }
    }
}

fn check_aliases(table: &PriceTable, diagnostics: &mut Vec<Diagnostic>) {
    let names: BTreeSet<&str> = table.models().map(|m| m.name.as_str()).collect();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for m in table.models() {
        for alias in &m.aliases {
            if names.contains(alias.as_str()) {
                diagnostics.push(Diagnostic::new(
                    &m.provider,
                    None,
                    format!("alias `{alias}` of `{}` is also a model name", m.name),
                ));
            }
            if let Some(other) = seen.insert(alias, &m.name) {
                diagnostics.push(Diagnostic::new(
                    &m.provider,
                    None,
                    format!("alias `{alias}` belongs to both `{other}` and `{}`", m.name),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_is_valid() {
        let table = load(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(table.len() >= 25, "{} models", table.len());
        for m in table.models() {
            assert!(crate::date::parse(&m.as_of).is_some(), "{}", m.name);
            assert!(!m.source.is_empty(), "{}", m.name);
            let r = m.rates;
            assert!(
                r.input >= Decimal::ZERO && r.output >= Decimal::ZERO,
                "{}",
                m.name
            );
            if let (Some(c), true) = (r.cached_input, m.tokenizer.exact) {
                assert!(c <= r.input, "{}: cached input dearer than input", m.name);
            }
            if let Some(b) = m.batch {
                assert!(
                    b.input <= r.input && b.output <= r.output,
                    "{}: batch dearer",
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
        let errs = parse_file("x.yaml", src).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|d| d.location.unwrap().line).collect();
        assert_eq!(lines, vec![2, 6, 7], "{errs:?}");
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
}
