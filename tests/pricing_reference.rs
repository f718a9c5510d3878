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

#[test]
fn catalog_prices_equal_the_reference_or_say_why_not() {
    let table = pricing::load(&[]).unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
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
        let mut check = |what: &str, ours: Option<Decimal>, reference: Option<Decimal>| {
            let expected = match genai.get(what) {
                Some(v) => Some(*v),
                None if what.starts_with("tier") && trusts_genai && tier_only_in_litellm => None,
                None if what.starts_with("tier") && tier_only_in_genai => ours, // only genai has it: the notes said so
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
}

#[test]
fn every_catalog_model_is_in_the_reference() {
    let table = pricing::load(&[]).unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
    let covered: Vec<&str> = rows
        .iter()
        .filter_map(|r| find(&table, r))
        .map(|m| m.name.as_str())
        .collect();
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
