//! The shipped catalog against the reference prices (LiteLLM and
//! genai-prices, tests/fixtures/reference-prices-2026-11.csv): every price of
//! every catalog model in the reference must match, except where the pricing
//! file records why it departs from it.

mod common;

use std::collections::BTreeMap;

use common::*;
use llm_cost::pricing;
use rust_decimal::Decimal;

/// Catalog departures from the reference's chosen values, each explained in
/// the pricing file named.
const EXPLAINED: &[(&str, &str, &str)] = &[(
    "claude-sonnet-4-5",
    "tier",
    "pricing/anthropic.yaml: the >200K tier is on Anthropic's page and in genai-prices; LiteLLM lacks it",
)];

fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    lines
        .filter(|l| !l.is_empty())
        .map(|l| header.iter().cloned().zip(split_csv(l)).collect())
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn price(row: &BTreeMap<String, String>, key: &str) -> Option<Decimal> {
    row.get(key)
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().unwrap())
}

#[test]
fn catalog_prices_equal_the_reference() {
    let table = pricing::load(&[]).unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
    let mut compared = 0;
    let mut diffs = Vec::new();
    for row in &rows {
        let Some(m) = table.get(&row["model"]) else {
            continue;
        };
        compared += 1;
        let mut check = |what: &str, ours: Option<Decimal>, theirs: Option<Decimal>| {
            if ours != theirs
                && !EXPLAINED
                    .iter()
                    .any(|(model, w, _)| *model == m.name && what.starts_with(w))
            {
                diffs.push(format!(
                    "{} {what}: catalog {ours:?}, reference {theirs:?}",
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
            "batch input",
            m.batch.map(|b| b.input),
            price(row, "batch_input_per_1m"),
        );
        check(
            "batch output",
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
        if row["agree"] == "no" && !EXPLAINED.iter().any(|(model, ..)| *model == m.name) {
            diffs.push(format!("{}: the two public datasets disagree ({}) and the catalog does not say which it trusts", m.name, row["price_disagreements"]));
        }
    }
    assert!(
        compared >= 30,
        "only {compared} catalog models are in the reference"
    );
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
