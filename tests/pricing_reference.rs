//! The shipped catalog against the reference prices (LiteLLM and
//! genai-prices, tests/fixtures/reference-prices-2026-11.csv). Every price of
//! every catalog model in the reference must equal the reference's; where the
//! two datasets disagree, the model's `notes` must say which one it trusts,
//! and the catalog must then equal that one's figures.

mod common;

use std::collections::BTreeMap;

use common::*;
use llm_cost::pricing::{self, ModelPrice, PriceTable};
use rust_decimal::Decimal;

type Row = BTreeMap<String, String>;

fn price(row: &Row, key: &str) -> Option<Decimal> {
    row.get(key)
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().unwrap())
}

/// The catalog's model for a reference row: by its name, its LiteLLM key,
/// or that key without the provider prefix.
fn find<'t>(table: &'t PriceTable, row: &Row) -> Option<&'t ModelPrice> {
    let key = &row["litellm_key"];
    table
        .get(&row["model"])
        .or_else(|| table.get(key))
        .or_else(|| key.split_once('/').and_then(|(_, rest)| table.get(rest)))
}

/// genai-prices' figures from a disagreement like
/// "input: litellm=0.5 genai=2; output: litellm=1.5 genai=6".
fn genai_values(disagreement: &str) -> BTreeMap<String, Decimal> {
    disagreement
        .split(';')
        .filter_map(|part| {
            let (field, rest) = part.trim().split_once(':')?;
            let genai = rest
                .split_whitespace()
                .find_map(|w| w.strip_prefix("genai="))?;
            Some((field.trim().to_string(), genai.parse().ok()?))
        })
        .collect()
}

/// genai-prices' figure for each (model, field) of the datasets fixture.
fn genai_prices_dataset() -> BTreeMap<(String, String), Decimal> {
    let text = std::fs::read_to_string(fixture("datasets-2026-11.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, field, _, genai] = cols[..] else {
                return None;
            };
            Some(((name.into(), field.into()), genai.parse().ok()?))
        })
        .collect()
}

#[test]
fn catalog_prices_equal_the_reference_or_say_why_not() {
    let table = pricing::load(&[]).unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
    let genai_dataset = genai_prices_dataset();
    let mut unchecked = Vec::new();
    let mut compared = 0;
    let mut problems = Vec::new();
    for row in &rows {
        let Some(m) = find(&table, row) else { continue };
        compared += 1;
        let disagree = row["agree"] == "no";
        let notes = m.notes.clone().unwrap_or_default();
        let trusts_genai = notes.contains("We trust genai-prices");
        if disagree && !notes.contains("We trust") {
            problems.push(format!(
                "{}: the datasets disagree ({}) and its notes do not say which it trusts",
                m.name, row["price_disagreements"]
            ));
        }
        // The reference's figures are LiteLLM's; where the catalog trusts
        // genai-prices, its disagreeing fields come from the disagreement text.
        let genai = if trusts_genai {
            genai_values(&row["price_disagreements"])
        } else {
            BTreeMap::new()
        };
        let tier_only_in_litellm =
            row["price_disagreements"].contains("long-context tier only in litellm");
        let tier_only_in_genai =
            row["price_disagreements"].contains("long-context tier only in genai");
        // Batch prices only genai-prices lists (the reference, LiteLLM's,
        // has none): followed where the notes say so; their figures are
        // checked against genai-prices' own in the dataset test below.
        let batch_from_genai = row["batch_input_per_1m"].is_empty()
            && notes.contains("batch")
            && notes.contains("genai-prices");
        // Figures only genai-prices has (the notes said so) are expected to
        // be genai-prices' own, from the datasets fixture.
        let genai_own =
            |what: &str| genai_dataset.get(&(m.name.clone(), what.replacen([' ', '_'], ".", 1)));
        let dropped = notes.contains("drop it");
        let mut check = |what: &str, ours: Option<Decimal>, reference: Option<Decimal>| {
            let expected = match genai.get(what) {
                Some(v) => Some(*v),
                None if what.starts_with("tier") && trusts_genai && tier_only_in_litellm => None,
                None if what.starts_with("tier") && tier_only_in_genai && dropped => None,
                None if what.starts_with("tier") && tier_only_in_genai => genai_own(what).copied(),
                None if what.starts_with("batch") && batch_from_genai => match genai_own(what) {
                    Some(v) => Some(*v),
                    None => {
                        unchecked.push(format!("{} {what}", m.name));
                        return;
                    }
                },
                None => reference,
            };
            if ours != expected {
                problems.push(format!(
                    "{} {what}: catalog {ours:?}, expected {expected:?}",
                    m.name
                ));
            }
        };
        check("input", Some(m.rates.input), price(row, "input_per_1m"));
        check(
            "cached_input",
            m.rates.cached_input,
            price(row, "cached_input_per_1m"),
        );
        check(
            "cache_write",
            m.rates.cache_write,
            price(row, "cache_write_per_1m").filter(|p| !p.is_zero()),
        );
        check("output", Some(m.rates.output), price(row, "output_per_1m"));
        check(
            "batch_input",
            m.batch.map(|b| b.input),
            price(row, "batch_input_per_1m"),
        );
        check(
            "batch_output",
            m.batch.map(|b| b.output),
            price(row, "batch_output_per_1m"),
        );
        let tier = m.tiers.first();
        check(
            "tier above",
            tier.map(|t| t.above),
            price(row, "long_ctx_above_tokens"),
        );
        check(
            "tier input",
            tier.map(|t| t.rates.input),
            price(row, "long_ctx_input_per_1m"),
        );
        check(
            "tier cached_input",
            tier.and_then(|t| t.rates.cached_input),
            price(row, "long_ctx_cached_input_per_1m"),
        );
        check(
            "tier output",
            tier.map(|t| t.rates.output),
            price(row, "long_ctx_output_per_1m"),
        );
    }
    assert!(
        compared >= 60,
        "only {compared} catalog models are in the reference"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // mistral-large-latest's batch prices are genai-prices' for
    // mistral-large-2512 (its notes say so), a key the fixture does not
    // hold: the one figure pair no dataset row can check.
    assert_eq!(
        unchecked,
        [
            "mistral-large-latest batch_input",
            "mistral-large-latest batch_output"
        ]
    );
}

/// Every catalog model is checked against public data: a reference row, or
/// the datasets' own figures (models newer than the reference table).
#[test]
fn every_catalog_model_is_in_the_reference() {
    let table = pricing::load(&[]).unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
    let datasets = std::fs::read_to_string(fixture("datasets-2026-11.tsv")).unwrap();
    let mut covered: Vec<&str> = rows
        .iter()
        .filter_map(|r| find(&table, r))
        .map(|m| m.name.as_str())
        .collect();
    covered.extend(datasets.lines().filter_map(|l| {
        let (name, rest) = l.split_once('\t')?;
        rest.starts_with("input\t").then_some(name)
    }));
    let missing: Vec<&str> = table
        .models()
        .map(|m| m.name.as_str())
        .filter(|n| !covered.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "catalog models with no reference row to check: {missing:?}"
    );
}

/// A catalog field as billed: batch prices a file leaves out follow its
/// `batch_unlisted` rule, so they are compared as a batch run pays them.
fn field(m: &ModelPrice, name: &str) -> Option<Decimal> {
    use llm_cost::pricing::CacheTtl;
    let batch = || m.rates_for(Decimal::ONE, true, CacheTtl::Minutes5).ok();
    let tier = m.tiers.first();
    match name {
        "input" => Some(m.rates.input),
        "cached_input" => m.rates.cached_input,
        // Automatic caching bills no writes: a listed write price of 0.
        "cache_write" => m.rates.cache_write.or(Some(Decimal::ZERO)),
        "cache_write_1h" => m.cache_write_1h,
        "output" => Some(m.rates.output),
        "batch.input" => m.batch.map(|b| b.input),
        "batch.output" => m.batch.map(|b| b.output),
        "batch.cached_input" => batch().and_then(|r| r.cached_input),
        "batch.cache_write" => batch().and_then(|r| r.cache_write),
        "tier.above" => tier.map(|t| t.above),
        "tier.input" => tier.map(|t| t.rates.input),
        "tier.cached_input" => tier.and_then(|t| t.rates.cached_input),
        "tier.output" => tier.map(|t| t.rates.output),
        "context_window" => m.context_window.map(Decimal::from),
        "max_output" => m.max_output.map(Decimal::from),
        other => panic!("unknown field {other}"),
    }
}

/// Every field of every catalog model against both public datasets
/// (LiteLLM 1.110.2 and genai-prices 0.2.3, as `scripts/compare-catalog.py
/// --fixture` reads them from their PyPI packages): where the catalog
/// differs from either, the model's notes name the field and the source
/// the catalog follows.
#[test]
fn every_field_that_differs_from_a_public_dataset_has_a_sourced_note() {
    let table = pricing::load(&[]).unwrap();
    let text = std::fs::read_to_string(fixture("datasets-2026-11.tsv")).unwrap();
    let mut rows = 0;
    let mut differing = 0;
    let mut problems = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, field_name, litellm, genai] = cols[..] else {
            panic!("bad row: {line}")
        };
        let m = table
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the catalog"));
        rows += 1;
        let ours = field(m, field_name);
        let differs = [litellm, genai]
            .iter()
            .filter(|v| !v.is_empty())
            .any(|v| ours != Some(v.parse::<Decimal>().unwrap()));
        if !differs {
            continue;
        }
        differing += 1;
        let notes = m.notes.clone().unwrap_or_default();
        let keyword = match field_name {
            f if f.starts_with("batch.") => "batch",
            f if f.starts_with("tier.") => "tier",
            "input" | "output" => "We trust",
            "cache_write_1h" => "cache_write",
            f => f,
        };
        let sourced = ["LiteLLM", "genai-prices", "http"]
            .iter()
            .any(|s| notes.contains(s));
        let named =
            notes.contains(keyword) || (keyword == "cached_input" && notes.contains("We trust"));
        if !(named && sourced) {
            problems.push(format!(
                "{name} {field_name}: catalog {ours:?}, LiteLLM {litellm:?}, genai-prices {genai:?}, and its notes do not say why"
            ));
        }
    }
    assert!(rows > 600, "{rows} rows");
    assert!(
        differing > 50,
        "{differing} differing fields: is the fixture current?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
