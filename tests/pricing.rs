//! The pricing catalog as a user meets it: costs for given token counts that
//! match each provider's published rules (computed by hand here), browsing,
//! validating, importing LiteLLM's map, discounts and stale prices.

mod common;

use common::*;
use rust_decimal::Decimal;

/// One call on `model`: an optional system message of `system` tokens, a user
/// message of `user` tokens, `output` tokens out. Only `{tokens: N}`, so the
/// prompt is exactly 3 + (3 + 1 + system) + (3 + 1 + user) tokens.
fn spec(model: &str, system: Option<u64>, user: u64, output: u64, extra: &str) -> String {
    let sys = system.map(|n| format!("      - {{ role: system, text: \"{{{{s}}}}\" }}\n    variables: {{ s: {{ tokens: {n} }}, q: {{ tokens: {user} }} }}\n")).unwrap_or_else(|| format!("    variables: {{ q: {{ tokens: {user} }} }}\n"));
    let (messages, vars) = match system {
        Some(_) => ("    messages:\n      - { role: system, text: \"{{s}}\" }\n      - { role: user, text: \"{{q}}\" }\n".to_string(), sys.lines().nth(1).unwrap().to_string() + "\n"),
        None => ("    messages:\n      - { role: user, text: \"{{q}}\" }\n".to_string(), sys),
    };
    format!(
        "feature: Rule check\nmodel: {model}\ncalls:\n  - name: c\n{messages}{vars}    output_tokens: {output}\n{extra}traffic: {{ requests_per_day: 1 }}\n"
    )
}

fn cost_per_run(name: &str, spec_text: &str) -> serde_json::Value {
    let s = Scratch::new(name);
    s.write("spec.yaml", spec_text);
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{name}: {}\n{spec_text}", run.stderr);
    run.json()["calls"][0].clone()
}

/// (model, prompt tokens, cost per run) for each provider's rules.
#[test]
fn each_provider_is_priced_by_its_published_rules() {
    let cases: Vec<(&str, String, &str, &str)> = vec![
        // OpenAI gpt-6-sol bills cache writes explicitly: P = 6011, C = 5004,
        // h = 0.5 → R = W = 2502: 1007·2 + 2502·0.2 + 2502·2.5 + 100·10
        (
            "openai-explicit-cache",
            spec(
                "gpt-6-sol",
                Some(5000),
                1000,
                100,
                "    cache: { prefix: system, hit_rate: 0.5 }\n",
            ),
            "6011",
            "0.0097694",
        ),
        // Anthropic claude-sonnet-5, 1-hour TTL writes at $4: 1007·2 + 2502·0.2 + 2502·4 + 100·10
        (
            "anthropic-1h",
            spec(
                "claude-sonnet-5",
                Some(5000),
                1000,
                100,
                "    cache: { prefix: system, hit_rate: 0.5, ttl: 1h }\n",
            ),
            "6011",
            "0.0135224",
        ),
        // Google gemini-2.5-pro at exactly 200,000 prompt tokens: base prices
        (
            "google-at-tier",
            spec("gemini-2.5-pro", None, 199993, 100, ""),
            "200000",
            "0.251",
        ),
        // … and one token over: the whole run at $2.50 / $15
        (
            "google-over-tier",
            spec("gemini-2.5-pro", None, 199994, 100, ""),
            "200001",
            "0.5015025",
        ),
        // Mistral mistral-small-latest: 1000·0.15 + 100·0.6
        (
            "mistral",
            spec("mistral-small-latest", None, 993, 100, ""),
            "1000",
            "0.00021",
        ),
        // DeepSeek v4-flash automatic caching (reads $0.006, no write charge)
        // in 64-token units from 64: C = 5004 caches 64 + 64·⌊4940/64⌋ = 4992,
        // R = 0.8·4992 = 3993.6: 2017.4·0.3 + 3993.6·0.006 + 100·1.2
        // = 605.22 + 23.9616 + 120
        (
            "deepseek-cache",
            spec(
                "deepseek-v4-flash",
                Some(5000),
                1000,
                100,
                "    cache: { prefix: system, hit_rate: 0.8 }\n",
            ),
            "6011",
            "0.0007491816",
        ),
        // xAI grok-4.3: 199,999 tokens is still base; 200,000 is the tier
        (
            "xai-base",
            spec("grok-4.3", None, 199992, 100, ""),
            "199999",
            "0.25024875",
        ),
        (
            "xai-tier",
            spec("grok-4.3", None, 199993, 100, ""),
            "200000",
            "0.5005",
        ),
        // Amazon Bedrock Nova Pro, batch: 1000·0.4 + 100·1.6
        (
            "bedrock-batch",
            spec("amazon.nova-pro-v1:0", None, 993, 100, "    batch: true\n"),
            "1000",
            "0.00056",
        ),
        // Together Llama 3.3 70B: 1000·1.04 + 100·1.04
        (
            "together",
            spec("together/llama-3.3-70b", None, 993, 100, ""),
            "1000",
            "0.001144",
        ),
    ];
    for (name, text, prompt, cost) in cases {
        let call = cost_per_run(name, &text);
        assert_eq!(dec(&call["input_tokens"]), d(prompt), "{name}");
        assert_eq!(dec(&call["cost_per_run"]), d(cost), "{name}");
    }
}

#[test]
fn a_model_without_batch_prices_cannot_be_batched() {
    let s = Scratch::new("no-batch");
    s.write(
        "spec.yaml",
        &spec("deepseek-v4-flash", None, 993, 100, "    batch: true\n"),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`deepseek-v4-flash` has no batch prices"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sourced_tokenizer_factor_scales_counted_text_only() {
    // Opus 4.7 counts text as o200k_base ×1.35. The framing (3 + 1) and
    // priming (3) are not scaled, nor are {tokens: N}.
    let text = "feature: f\nmodel: claude-opus-4-7\ncalls:\n  - name: c\n    messages: [{ role: user, text: \"hello world {{q}}\" }]\n    variables: { q: { tokens: 100 } }\n    output_tokens: 0\ntraffic: { requests_per_day: 1 }\n";
    let call = cost_per_run("factor", text);
    let counted = llm_cost_stdin(
        &["count", "--encoding", "o200k_base", "--format", "json"],
        "hello world ",
    )
    .json()["total"]
        .as_u64()
        .unwrap();
    let expected = d("7") + Decimal::from(counted) * d("1.35") + d("100");
    assert_eq!(dec(&call["input_tokens"]), expected);
    assert_eq!(dec(&call["cost_per_run"]), expected * d("5") / d("1000000"));
    assert_eq!(call["tokens_estimated"], true);
}

#[test]
fn count_reports_what_estimate_bills_for_a_model_with_a_factor() {
    // `count --model claude-opus-4-7` once showed the plain o200k_base
    // count, 26% below what `estimate` bills. It applies the same ×1.35 to
    // the text (rounded up to whole tokens), and not to the chat framing.
    let text = "The quick brown fox jumps over the lazy dog, again and again.";
    let plain = llm_cost_stdin(
        &["count", "--encoding", "o200k_base", "--format", "json"],
        text,
    )
    .json()["total"]
        .as_u64()
        .unwrap();
    let billed = (Decimal::from(plain) * d("1.35")).ceil();
    let run = llm_cost_stdin(
        &["count", "--model", "claude-opus-4-7", "--format", "json"],
        text,
    );
    let doc = run.json();
    assert_eq!(Decimal::from(doc["total"].as_u64().unwrap()), billed);
    assert_eq!(
        (doc["factor"].as_str(), doc["tokens_estimated"].as_bool()),
        (Some("1.35"), Some(true))
    );
    assert!(run.stderr.contains("scaled by ×1.35"), "{}", run.stderr);
    // With --chat: the framing (3 + 1 + 3 = 7) is added unscaled.
    let chat = llm_cost_stdin(
        &[
            "count",
            "--model",
            "claude-opus-4-7",
            "--chat",
            "--format",
            "json",
        ],
        text,
    );
    assert_eq!(
        Decimal::from(chat.json()["total"].as_u64().unwrap()),
        billed + d("7")
    );
}

#[test]
fn importing_litellm_gives_a_valid_file_with_the_catalogs_prices() {
    let s = Scratch::new("import");
    let map = fixture("litellm-prices-excerpt.json");
    let run = llm_cost(&[
        "pricing",
        "import",
        "litellm",
        &map.to_string_lossy(),
        "-o",
        &s.path("imported.yaml"),
        "--as-of",
        "2026-11-20",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("imported 63 models") && run.stderr.contains("skipped 3 entries"),
        "{}",
        run.stderr
    );
    let check = llm_cost(&["pricing", "check", &s.path("imported.yaml")]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    compare_with_catalog(
        &std::fs::read_to_string(s.path("imported.yaml")).unwrap(),
        55,
    );
}

/// Every catalog model that takes LiteLLM's side has the same prices in the
/// imported file (looked up by its LiteLLM key).
fn compare_with_catalog(imported_yaml: &str, at_least: usize) {
    use llm_cost::pricing;
    let catalog = pricing::load(&[]).unwrap();
    let imported = pricing::parse_file(
        "imported.yaml",
        imported_yaml,
        &pricing::PriceTable::default(),
    )
    .unwrap();
    let rows = csv_rows(&std::fs::read_to_string(fixture("reference-prices-2026-11.csv")).unwrap());
    let mut compared = 0;
    let mut diffs = Vec::new();
    for row in &rows {
        let (model, key) = (row["model"].as_str(), row["litellm_key"].as_str());
        let Some(ours) = catalog
            .get(model)
            .or_else(|| catalog.get(key))
            .or_else(|| key.split_once('/').and_then(|(_, k)| catalog.get(k)))
        else {
            continue;
        };
        if ours
            .notes
            .as_deref()
            .is_some_and(|n| n.contains("We trust genai-prices"))
        {
            continue;
        }
        let Some(theirs) = imported.models.iter().find(|m| m.name == key) else {
            diffs.push(format!("{key} not imported"));
            continue;
        };
        compared += 1;
        // Batch prices that only genai-prices publishes (Mistral's): the
        // notes say so, and LiteLLM has none to compare.
        let batch_from_genai = theirs.batch.is_none()
            && ours
                .notes
                .as_deref()
                .is_some_and(|n| n.contains("batch") && n.contains("genai-prices"));
        let theirs_batch = if batch_from_genai {
            ours.batch
        } else {
            theirs.batch
        };
        let pairs = [
            ("input", Some(ours.rates.input), Some(theirs.rates.input)),
            (
                "cached_input",
                ours.rates.cached_input,
                theirs.rates.cached_input,
            ),
            (
                "cache_write",
                ours.rates.cache_write,
                theirs.rates.cache_write,
            ),
            ("cache_write_1h", ours.cache_write_1h, theirs.cache_write_1h),
            ("output", Some(ours.rates.output), Some(theirs.rates.output)),
            (
                "batch input",
                ours.batch.map(|b| b.input),
                theirs_batch.map(|b| b.input),
            ),
            (
                "batch output",
                ours.batch.map(|b| b.output),
                theirs_batch.map(|b| b.output),
            ),
            (
                "tier input",
                ours.tiers.first().map(|t| t.rates.input),
                theirs.tiers.first().map(|t| t.rates.input),
            ),
            (
                "tier output",
                ours.tiers.first().map(|t| t.rates.output),
                theirs.tiers.first().map(|t| t.rates.output),
            ),
        ];
        for (what, a, b) in pairs {
            if a != b {
                diffs.push(format!(
                    "{} {what}: catalog {a:?}, imported {b:?}",
                    ours.name
                ));
            }
        }
    }
    assert!(compared >= at_least, "only {compared} compared");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// The whole map the `litellm` PyPI package ships, where CI fetched it
/// (scripts/fetch-litellm-map.sh sets LITELLM_MAP).
#[test]
fn importing_the_full_litellm_map() {
    let Some(map) = std::env::var_os("LITELLM_MAP") else {
        skipped(
            "the full LiteLLM map import needs LITELLM_MAP (`.ci/run` sets it from scripts/fetch-litellm-map.sh, which installs the litellm package from PyPI)",
        );
        return;
    };
    let s = Scratch::new("import-full");
    let run = llm_cost(&[
        "pricing",
        "import",
        "litellm",
        &map.to_string_lossy(),
        "-o",
        &s.path("all.yaml"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = llm_cost(&["pricing", "check", &s.path("all.yaml")]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    compare_with_catalog(&std::fs::read_to_string(s.path("all.yaml")).unwrap(), 55);
}

#[test]
fn models_lists_filters_sorts_and_shows_one_in_full() {
    let all = llm_cost(&["models", "--format", "json"]).json();
    let models = all["models"].as_array().unwrap();
    assert!(models.len() >= 60);
    let providers: std::collections::BTreeSet<&str> = models
        .iter()
        .map(|m| m["provider"].as_str().unwrap())
        .collect();
    assert!(providers.len() >= 8, "{providers:?}");

    let xai = llm_cost(&[
        "models",
        "--provider",
        "xai",
        "--sort",
        "input",
        "--format",
        "json",
    ])
    .json();
    let inputs: Vec<Decimal> = xai["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| dec(&m["input"]))
        .collect();
    assert!(
        inputs.len() == 6 && inputs.windows(2).all(|w| w[0] <= w[1]),
        "{inputs:?}"
    );

    let table = llm_cost(&["models", "haiku"]);
    assert_eq!(table.code, 0);
    assert!(
        table.stdout.contains("claude-haiku-4-5") && !table.stdout.contains("claude-opus"),
        "{}",
        table.stdout
    );

    // A Bedrock id is an alias: shown in full, with its notes.
    let one = llm_cost(&["models", "anthropic.claude-sonnet-4-20250514-v1:0"]);
    assert!(
        one.stdout.contains("bedrock/claude-sonnet-4"),
        "{}",
        one.stdout
    );
    assert!(
        one.stdout.contains("We trust genai-prices"),
        "notes say why: {}",
        one.stdout
    );
    // … and a model with a long-context tier shows it.
    let tiered = llm_cost(&["models", "gemini-2.5-pro"]);
    assert!(
        tiered.stdout.contains("above 200,000 tokens"),
        "{}",
        tiered.stdout
    );

    for format in ["markdown", "csv"] {
        let run = llm_cost(&["models", "--format", format]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.lines().count() > 60);
    }
    let none = llm_cost(&["models", "gpt-9"]);
    assert_eq!(none.code, 2);
    // `-o` as on every report: the format from the extension.
    let s = Scratch::new("models-output");
    let run = llm_cost_in(
        Some(&s.0),
        &["models", "--provider", "openai", "-o", "openai.csv"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&std::fs::read_to_string(s.0.join("openai.csv")).unwrap());
    assert!(rows.len() > 10 && rows.iter().all(|r| r["provider"] == "openai"));
    assert!(rows[0].contains_key("deprecated"), "{:?}", rows[0]);
}

#[test]
fn pricing_check_reports_problems_with_locations() {
    let s = Scratch::new("pricing-check");
    s.write("bad.yaml", "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-1:\n    tokenizer: { estimate: o200k_base, factor: 1.2 }\n    input: 1\n    output: -2\n");
    let run = llm_cost_in(Some(&s.0), &["pricing", "check", "bad.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("bad.yaml:6:16: error: a tokenizer `factor` needs a `source`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("bad.yaml:8:13: error: price `output` of `acme-1` is negative"),
        "{}",
        run.stdout
    );
}

/// Each message names the key inside its section (`batch.output`,
/// `tiers[0].above`) at that key's line; a tier threshold is a token
/// count, not a price; a token count past a billion is an error, not
/// the default in silence.
#[test]
fn pricing_check_names_the_key_and_its_unit() {
    let s = Scratch::new("pricing-check-keys");
    s.write(
        "bad.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  m1:\n    input: 1\n    output: 2\n    context_window: 1e25\n    batch: { input: 0.5, output: -1 }\n    tiers:\n      - { above: 2000.5, input: 2, output: 4 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["pricing", "check", "bad.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for expected in [
        "bad.yaml:8:21: error: `context_window` of `m1` must be a whole number of tokens from 0 to 1000000000, found",
        "bad.yaml:9:34: error: price `batch.output` of `m1` is negative",
        "bad.yaml:11:18: error: `tiers[0].above` of `m1` must be a whole number of prompt tokens from 0 to 1000000000, found 2000.5",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
    // A spec's token count past a billion is said in tokens, whatever its key.
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: chat\n    messages: [{ role: user, tokens: 10 }]\n    output_tokens: 5\n    conversation: { turns: 3, summary: 2000000000 }\ntraffic: { requests_per_day: 1 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "`calls[0].conversation.summary` is 2000000000, more than a billion tokens per run"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn company_prices_from_the_environment_with_a_discount() {
    let s = Scratch::new("env-pricing");
    s.write(
        "deal.yaml",
        "provider: mistral\nas_of: 2026-11-01\nsource: our 2026 contract\ndiscount: 0.25\n",
    );
    s.write(
        "spec.yaml",
        &spec("mistral-small-latest", None, 993, 100, ""),
    );
    let doc = llm_cost_env(
        &s.0,
        &["estimate", "spec.yaml", "--format", "json"],
        &[("LLM_COST_PRICING", Some("deal.yaml"))],
    )
    .json();
    // 0.00021 at list price, 25% off
    assert_eq!(dec(&doc["calls"][0]["cost_per_run"]), d("0.0001575"));
}

#[test]
fn stale_prices_warn_and_can_fail_a_check() {
    let s = Scratch::new("stale-check");
    s.write("old.yaml", "provider: acme\nas_of: 2026-01-01\nsource: an old quote\nmodels:\n  acme-1:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n");
    s.write("spec.yaml", &spec("acme-1", None, 10, 10, ""));
    let run = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--pricing", "old.yaml"],
        None,
    );
    assert_eq!(run.code, 0, "stale prices alone only warn");
    assert!(run.stderr.contains("are 330 days old"), "{}", run.stderr);
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "check",
            "spec.yaml",
            "--pricing",
            "old.yaml",
            "--fail-on-stale",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("✗ price age 330 days > 180 days — over by 150 days"),
        "{}",
        run.stdout
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "check",
            "spec.yaml",
            "--pricing",
            "old.yaml",
            "--fail-on-stale",
            "--max-price-age",
            "365",
        ],
        None,
    );
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("days old"), "{}", run.stderr);
}

/// Every misspelt key of a pricing file is reported in one run, at the key,
/// with the nearest valid name (the keys come from the file's types).
#[test]
fn pricing_check_reports_every_unknown_key() {
    let s = Scratch::new("pricing-check-unknown");
    s.write(
        "bad.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  m1:\n    inptu: 1\n    output: 2\n    batch: { input: 1, outptu: 2 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["pricing", "check", "bad.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for expected in [
        "bad.yaml:6:5: error: models.m1: unknown field `inptu`\n  help: did you mean `input`?",
        "bad.yaml:8:24: error: models.m1.batch: unknown field `outptu`\n  help: did you mean `output`?",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
}
