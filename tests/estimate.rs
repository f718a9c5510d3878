//! `estimate` against arithmetic done by hand from the providers' published
//! prices, digit for digit, and on every shipped example.

mod common;

use common::*;
use rust_decimal::Decimal;

/// An example's own pricing file, if it ships one (self-hosted models).
fn pricing_for(spec: &str) -> Vec<String> {
    let pricing = std::path::Path::new(spec).with_file_name("pricing.yaml");
    if pricing.exists() {
        vec!["--pricing".into(), pricing.to_string_lossy().into_owned()]
    } else {
        vec![]
    }
}

fn estimate_json(spec: &str) -> serde_json::Value {
    let mut args = vec![
        "estimate".to_string(),
        spec.to_string(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(pricing_for(spec));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = llm_cost(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

#[test]
fn json_equals_the_arithmetic_done_by_hand() {
    let doc = estimate_json(&fixture("specs/hand.yaml").to_string_lossy());
    let answer = &doc["calls"][0];
    // P = 3 (reply priming) + (3 + 1 "system" + 2000) + (3 + 1 "user" + 500)
    assert_eq!(answer["input_tokens"], 2511);
    // C = 2004 (the system message with its framing). OpenAI caches in
    // 128-token steps from 1,024: 1024 + 128·⌊(2004 − 1024)/128⌋ = 1024 +
    // 128·7 = 1920, and R = 0.5 × 1920 = 960
    assert_eq!(answer["cached_input_tokens"], 960);
    assert_eq!(answer["cache_write_tokens"], 0); // OpenAI: automatic caching
    // gpt-4o-mini $0.15 in, $0.075 cached, $0.60 out per 1M (openai.com, 2026-11-20):
    // (2511 − 960)·0.15 + 960·0.075 + 300·0.60 = 232.65 + 72 + 180 = 484.65
    assert_eq!(answer["cost_per_run"], "0.00048465");
    assert_eq!(answer["cost_per_request"], "0.0009693");
    let audit = &doc["calls"][1];
    // P = 3 + (3 + 1 + 500); claude-haiku-4-5 batch $0.50 in, $2.50 out:
    // 507·0.5 + 100·2.5 = 503.5
    assert_eq!(audit["input_tokens"], 507);
    assert_eq!(audit["tokens_estimated"], true);
    assert_eq!(audit["cost_per_run"], "0.0005035");
    // 0.0009693 + 0.0005035
    assert_eq!(doc["cost_per_request"], "0.0014728");
    assert_eq!(doc["requests_per_month"], "90000");
    assert_eq!(doc["requests_per_day"], "3000");
    assert_eq!(doc["cost_per_day"], "4.4184"); // × 3000
    assert_eq!(doc["cost_per_month"], "132.552"); // × 90000
    assert_eq!(doc["cost_per_user_per_month"], "0.132552");
    let margin = &doc["margin"];
    assert_eq!(margin["revenue_per_month"], "10000");
    assert_eq!(margin["before"], "0.8");
    assert_eq!(margin["after"], "0.7867448"); // (10000 − 2000 − 132.552) / 10000
    assert_eq!(margin["change"], "-0.0132552");
    // The monthly budget is exactly the cost: kept. The request budget is
    // $0.0000001 under the cost: broken.
    let budget = doc["budget"].as_array().unwrap();
    assert_eq!(budget[0]["rule"], "max_cost_per_request");
    assert_eq!(budget[0]["ok"], false);
    assert_eq!(budget[1]["rule"], "max_monthly_spend");
    assert_eq!(
        (budget[1]["limit"].as_str(), budget[1]["ok"].as_bool()),
        (Some("132.552"), Some(true))
    );
}

#[test]
fn long_context_tier_is_a_cliff_over_the_whole_prompt() {
    let doc = estimate_json(&fixture("specs/tier.yaml").to_string_lossy());
    let call = &doc["calls"][0];
    // P = 3 + 4 + 271990 = 271997 ≤ 272000: gpt-5.4's base $2.50 / $15
    assert_eq!(call["input_tokens"], 271997);
    assert_eq!(call["cost_per_run"], "0.6949925"); // 271997·2.5 + 1000·15
    let scratch = Scratch::new("tier");
    let above = std::fs::read_to_string(fixture("specs/tier.yaml"))
        .unwrap()
        .replace("271990", "271994");
    let doc = estimate_json(&scratch.write("tier.yaml", &above).to_string_lossy());
    // P = 272001 > 272000: the whole run at $5 / $22.50
    assert_eq!(doc["calls"][0]["cost_per_run"], "1.382505"); // 272001·5 + 1000·22.5
}

fn examples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut specs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let spec = e.ok()?.path().join("spec.yaml");
            spec.exists().then(|| spec.to_string_lossy().into_owned())
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_example_estimates_and_adds_up() {
    let specs = examples();
    assert!(specs.len() >= 5, "{specs:?}");
    for spec in specs {
        let pricing = pricing_for(&spec);
        let with_pricing = |extra: &[&str]| {
            let mut args = vec!["estimate", spec.as_str()];
            args.extend_from_slice(extra);
            args.extend(pricing.iter().map(String::as_str));
            llm_cost(&args)
        };
        let table = with_pricing(&[]);
        assert_eq!(table.code, 0, "{spec}: {}", table.stderr);
        assert!(
            table.stdout.contains("Per month"),
            "{spec}: {}",
            table.stdout
        );
        for format in ["markdown", "csv"] {
            let run = with_pricing(&["--format", format]);
            assert_eq!(run.code, 0, "{spec} {format}: {}", run.stderr);
            assert!(
                run.stdout.lines().count() >= 3,
                "{spec} {format}: {}",
                run.stdout
            );
        }
        let doc = estimate_json(&spec);
        assert_eq!(doc["schema_version"], 1);
        let calls = doc["calls"].as_array().unwrap();
        let sum: Decimal = calls.iter().map(|c| dec(&c["cost_per_request"])).sum();
        assert_eq!(sum, dec(&doc["cost_per_request"]), "{spec}");
        for c in calls {
            assert_eq!(
                dec(&c["cost_per_run"]) * dec(&c["runs_per_request"]),
                dec(&c["cost_per_request"]),
                "{spec}"
            );
        }
        assert_eq!(
            dec(&doc["cost_per_request"]) * dec(&doc["requests_per_month"]),
            dec(&doc["cost_per_month"]),
            "{spec}"
        );
        for v in doc["budget"].as_array().unwrap() {
            assert_eq!(
                v["ok"], true,
                "{spec}: shipped examples stay within their budgets"
            );
        }
    }
}

#[test]
fn the_support_example_counts_its_files_like_count_does() {
    // The draft's system prompt is a file; the cacheable prefix is that file's
    // tokens plus the message framing (3 + 1 for the role).
    let root = env!("CARGO_MANIFEST_DIR");
    let prompt = format!("{root}/examples/support-assistant/prompts/draft-system.md");
    let counted = llm_cost(&[
        "count",
        "--encoding",
        "o200k_base",
        "--format",
        "json",
        &prompt,
    ])
    .json();
    let prompt_tokens = counted["total"].as_u64().unwrap();
    let doc = estimate_json(&format!("{root}/examples/support-assistant/spec.yaml"));
    let draft = &doc["calls"][1];
    let prefix = prompt_tokens + 4;
    // gpt-4o-mini caches in 128-token steps from 1,024, at hit rate 0.8
    let stepped = 1024 + 128 * ((prefix - 1024) / 128);
    assert_eq!(
        dec(&draft["cached_input_tokens"]),
        Decimal::from(stepped) * d("0.8")
    );
}

#[test]
fn a_pricing_file_overrides_the_catalog() {
    let scratch = Scratch::new("override");
    let prices = scratch.write(
        "acme.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: our negotiated contract\nmodels:\n  gpt-4o-mini:\n    tokenizer: o200k_base\n    input: 0.1\n    output: 0.5\n",
    );
    let spec = fixture("specs/tier.yaml")
        .to_string_lossy()
        .replace("tier.yaml", "hand.yaml");
    let run = llm_cost(&[
        "estimate",
        &spec,
        "--format",
        "json",
        "--pricing",
        &prices.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No cached price now: (2511)·0.1 + 300·0.5 = 401.1 → caching cannot apply
    assert_eq!(run.json()["calls"][0]["cost_per_run"], "0.0004011");
    assert!(
        run.stderr.contains("no cached-input price"),
        "{}",
        run.stderr
    );
}

#[test]
fn stale_prices_and_retired_models_are_warned_about() {
    let scratch = Scratch::new("stale");
    let prices = scratch.write(
        "old.yaml",
        "provider: acme\nas_of: 2026-01-15\nsource: last year's contract\nmodels:\n  acme-old:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n    deprecated: 2026-06-30\n",
    );
    let spec = std::fs::read_to_string(fixture("specs/tier.yaml"))
        .unwrap()
        .replace("model: gpt-5.4", "model: acme-old");
    let spec = scratch.write("spec.yaml", &spec);
    let run = llm_cost(&[
        "estimate",
        &spec.to_string_lossy(),
        "--format",
        "json",
        "--pricing",
        &prices.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // the harness pins today to 2026-11-27: 316 days after 2026-01-15
    assert!(
        run.stderr.contains("prices for acme-old are 316 days old"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("acme-old was retired on 2026-06-30"),
        "{}",
        run.stderr
    );
    let doc = run.json();
    assert_eq!(doc["prices_as_of"], "2026-01-15");
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 2);
}
