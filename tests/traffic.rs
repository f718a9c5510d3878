//! Real traffic shapes and savings, each checked against arithmetic done
//! here: conversations, routes, cascades, retries, self-hosted models,
//! latency, and `suggest` (whose every figure must be reproducible).

mod common;

use common::*;
use rust_decimal::Decimal;

/// USD for a run: (P·input + O·output) / 10⁶, prices per 1M tokens.
fn cost(prompt: &str, output: &str, input_price: &str, output_price: &str) -> Decimal {
    (d(prompt) * d(input_price) + d(output) * d(output_price)) / d("1000000")
}

/// One call; system = 1000 tokens, user = 100 tokens, 50 out. The prompt of
/// one run is 3 + (4 + 1000) + (4 + 100) = 1111 tokens.
fn spec(model: &str, call_extra: &str, traffic: &str) -> String {
    format!(
        "feature: Shapes\nmodel: {model}\ncalls:\n  - name: chat\n    messages:\n      - {{ role: system, text: \"{{{{s}}}}\" }}\n      - {{ role: user, text: \"{{{{q}}}}\" }}\n    variables: {{ s: {{ tokens: 1000 }}, q: {{ tokens: 100 }} }}\n    output_tokens: 50\n{call_extra}traffic: {traffic}\n"
    )
}

fn estimate(name: &str, text: &str, extra: &[&str]) -> serde_json::Value {
    let s = Scratch::new(name);
    s.write("spec.yaml", text);
    let mut args = vec!["estimate", "spec.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    let run = llm_cost_in(Some(&s.0), &args, None);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    run.json()
}

const DAY: &str = "{ requests_per_day: 1000 }";

#[test]
fn a_conversation_re_sends_its_history_every_turn() {
    // Turn t sends 1111 + (t−1)·(user 104 + assistant 4 + 50) tokens.
    let full = estimate(
        "conv-full",
        &spec(
            "gpt-4o-mini",
            "    conversation: { turns: 3, history: full }\n",
            DAY,
        ),
        &[],
    );
    let call = &full["calls"][0];
    let expect = cost("1111", "50", "0.15", "0.6")
        + cost("1269", "50", "0.15", "0.6")
        + cost("1427", "50", "0.15", "0.6");
    assert_eq!(call["turns"], 3);
    assert_eq!(dec(&call["cost_per_conversation"]), expect);
    assert_eq!(
        dec(&call["cost_per_run"]),
        expect / d("3"),
        "per turn, on average"
    );
    assert_eq!(dec(&call["runs_per_request"]), d("3"));
    assert_eq!(
        dec(&call["input_tokens"]),
        d("1269"),
        "mean prompt over the turns"
    );

    let window = estimate(
        "conv-window",
        &spec(
            "gpt-4o-mini",
            "    conversation: { turns: 3, window: 1 }\n",
            DAY,
        ),
        &[],
    );
    let expect = cost("1111", "50", "0.15", "0.6") + cost("1269", "50", "0.15", "0.6") * d("2");
    assert_eq!(dec(&window["calls"][0]["cost_per_conversation"]), expect);

    // A 200-token summary (plus its 4 tokens of framing) replaces the history.
    let summary = estimate(
        "conv-summary",
        &spec(
            "gpt-4o-mini",
            "    conversation: { turns: 3, summary: 200 }\n",
            DAY,
        ),
        &[],
    );
    let expect = cost("1111", "50", "0.15", "0.6") + cost("1315", "50", "0.15", "0.6") * d("2");
    assert_eq!(dec(&summary["calls"][0]["cost_per_conversation"]), expect);
}

#[test]
fn a_conversations_history_is_a_cacheable_prefix_within_the_models_rules() {
    // gpt-4o-mini caches from 1,024 tokens, in steps of 128. Each turn can
    // read what the turn before sent through its user message (its prompt
    // less the 3 priming tokens). Turn 1 can read the system prefix (1,004):
    // too short. Turn 2 can read turn 1's 1,108: 1,024 of it in whole steps;
    // turn 3 turn 2's 1,266: 1,024 + 128 = 1,152. Half are hits, read at
    // $0.075: 512 and 576 tokens.
    let doc = estimate(
        "conv-cache",
        &spec(
            "gpt-4o-mini",
            "    conversation: { turns: 3 }\n    cache: { prefix: system, hit_rate: 0.5 }\n",
            DAY,
        ),
        &[],
    );
    let turn = |prompt: &str, read: &str| {
        (d(prompt) - d(read)) * d("0.15") / d("1000000")
            + d(read) * d("0.075") / d("1000000")
            + d("50") * d("0.6") / d("1000000")
    };
    // 196.65 + 181.95 + 200.85 = 579.45 millionths
    let expect = turn("1111", "0") + turn("1269", "512") + turn("1427", "576");
    assert_eq!(expect, d("0.00057945"));
    assert_eq!(dec(&doc["calls"][0]["cost_per_conversation"]), expect);
}

#[test]
fn routes_cascades_and_retries() {
    let nano = cost("1111", "50", "0.05", "0.4");
    let big = cost("1111", "50", "1.25", "10");
    let route = estimate(
        "route",
        &spec(
            "gpt-5",
            "    route:\n      - { model: gpt-5-nano, share: 0.8 }\n      - { model: gpt-5, share: 0.2 }\n",
            DAY,
        ),
        &[],
    );
    let call = &route["calls"][0];
    assert_eq!(dec(&call["cost_per_run"]), d("0.8") * nano + d("0.2") * big);
    assert_eq!(call["model"], "gpt-5-nano 80% · gpt-5 20%");
    assert_eq!(call["legs"].as_array().unwrap().len(), 2);

    // A cascade bills the small model always and the big one for escalations.
    let cascade = estimate(
        "cascade",
        &spec(
            "gpt-5",
            "    cascade: { first: gpt-5-nano, then: gpt-5, escalation_rate: 0.3 }\n",
            DAY,
        ),
        &[],
    );
    assert_eq!(
        dec(&cascade["calls"][0]["cost_per_run"]),
        nano + d("0.3") * big
    );
    assert_eq!(
        cascade["calls"][0]["model"],
        "gpt-5-nano → gpt-5 (30% escalated)"
    );

    let retried = estimate(
        "retry",
        &spec("gpt-5-nano", "    retry_rate: 0.1\n", DAY),
        &[],
    );
    assert_eq!(
        dec(&retried["calls"][0]["cost_per_request"]),
        nano * d("1.1")
    );

    let s = Scratch::new("route-bad");
    s.write("spec.yaml", &spec("gpt-5", "    route:\n      - { model: gpt-5-nano, share: 0.8 }\n      - { model: gpt-5, share: 0.3 }\n", DAY));
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("route shares add up to 1.1, not 1"),
        "{}",
        run.stderr
    );
}

/// $3.60 a GPU-hour is $0.001 a second; at 10,000 input and 1,000 output
/// tokens a second and 50% utilization, that is $0.20 and $2 per 1M tokens.
const HOSTED: &str = "provider: acme\nas_of: 2026-11-20\nsource: our measurements\nmodels:\n  acme/llm:\n    tokenizer: { estimate: cl100k_base }\n    self_hosted:\n      gpu: H100\n      gpu_hour: 3.6\n      tokens_per_second: { input: 10000, output: 1000 }\n      utilization: 0.5\n      quantization:\n        int8: { throughput: 2 }\n";

#[test]
fn self_hosted_costs_follow_from_gpu_time_with_an_idle_floor() {
    let s = Scratch::new("hosted");
    s.write("prices.yaml", HOSTED);
    let run = |model: &str, traffic: &str, extra: &[&str]| {
        s.write("spec.yaml", &spec(model, "", traffic));
        let mut args = vec![
            "estimate",
            "spec.yaml",
            "--pricing",
            "prices.yaml",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let r = llm_cost_in(Some(&s.0), &args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        (r.json(), r.stderr)
    };
    let per_run = cost("1111", "50", "0.2", "2");
    // Busy enough: 300,000 requests a day use $96.66 of GPU time, above the
    // $86.40 a day one deployment costs.
    let (busy, _) = run("acme/llm", "{ requests_per_day: 300000 }", &[]);
    assert_eq!(dec(&busy["calls"][0]["cost_per_run"]), per_run);
    assert_eq!(
        dec(&busy["cost_per_month"]),
        per_run * d("300000") * d("30")
    );
    // Quiet: 100,000 a day use $32.22; the other $54.18 a day is idle GPU time.
    let (quiet, stderr) = run("acme/llm", DAY.replace("1000", "100000").as_str(), &[]);
    assert_eq!(dec(&quiet["cost_per_month"]), d("86.4") * d("30"));
    assert_eq!(
        dec(&quiet["self_hosted_idle_cost_per_month"]),
        (d("86.4") - per_run * d("100000")) * d("30")
    );
    assert!(stderr.contains("idle GPU time"), "{stderr}");
    // int8, as the pricing file states, doubles throughput: half the price.
    let (int8, _) = run("acme/llm@int8", "{ requests_per_day: 300000 }", &[]);
    assert_eq!(
        dec(&int8["calls"][0]["cost_per_run"]),
        cost("1111", "50", "0.1", "1")
    );

    // Next to an API model: the traffic above which self-hosting is cheaper.
    let (cmp, _) = run("gpt-4o-mini", DAY, &["--compare", "acme/llm,acme/llm@int8"]);
    let api = cost("1111", "50", "0.15", "0.6");
    let rows = cmp["alternatives"]["rows"].as_array().unwrap();
    assert_eq!(
        rows[0]["break_even_requests_per_day"],
        serde_json::Value::Null,
        "$0.000322 a request is never below the API's"
    );
    assert_eq!(
        dec(&rows[1]["break_even_requests_per_day"]),
        d("86.4") / api
    );
}

#[test]
fn latency_where_the_pricing_table_gives_speeds() {
    let s = Scratch::new("latency");
    s.write("prices.yaml", "provider: acme\nas_of: 2026-11-20\nsource: s\nmodels:\n  acme/fast:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n    latency: { ttft_ms: 500, output_tokens_per_second: 50, source: our p50 over a week }\n");
    s.write(
        "spec.yaml",
        &spec("acme/fast", "    calls_per_request: 2\n", DAY),
    );
    let doc = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--pricing",
            "prices.yaml",
            "--format",
            "json",
        ],
        None,
    )
    .json();
    // 0.5 s to the first token, 50 tokens at 50/s: 1.5 s a run, two runs
    assert_eq!(dec(&doc["latency_seconds"]), d("3"));
    assert_eq!(doc["latency_sources"][0], "acme/fast: our p50 over a week");
    let without = estimate("no-latency", &spec("gpt-4o-mini", "", DAY), &[]);
    assert!(
        without.get("latency_seconds").is_none(),
        "no speeds, no latency figure"
    );
}

fn suggest(dir: &Scratch, spec_path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["suggest", spec_path, "--format", "json"];
    args.extend_from_slice(extra);
    let run = llm_cost_in(Some(&dir.0), &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// Runs a suggestion's exact overrides through `estimate`.
fn reproduce(dir: &Scratch, spec_path: &str, sets: &serde_json::Value, extra: &[&str]) -> Decimal {
    let mut args = vec![
        "estimate".to_string(),
        spec_path.to_string(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    for s in sets.as_array().unwrap() {
        args.push("--set".into());
        args.push(format!(
            "{}={}",
            s["path"].as_str().unwrap(),
            s["value"].as_str().unwrap()
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = llm_cost_in(Some(&dir.0), &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dec(&run.json()["cost_per_month"])
}

#[test]
fn every_suggestion_and_the_combined_saving_reproduce_with_estimate() {
    let root = env!("CARGO_MANIFEST_DIR");
    let here = Scratch::new("suggest-examples");
    let examples = std::fs::read_dir(format!("{root}/examples")).unwrap();
    let mut with_suggestions = 0;
    for entry in examples {
        let dir = entry.unwrap().path();
        let spec_path = dir.join("spec.yaml").to_string_lossy().to_string();
        if !dir.join("spec.yaml").exists() {
            continue;
        }
        let example = dir.file_name().unwrap().to_string_lossy().to_string();
        let pricing = dir.join("pricing.yaml").to_string_lossy().to_string();
        let extra: Vec<&str> = if dir.join("pricing.yaml").exists() {
            vec!["--pricing", &pricing]
        } else {
            vec![]
        };
        let doc = suggest(&here, &spec_path, &extra);
        let base = dec(&doc["cost_per_month"]);
        let items = doc["suggestions"].as_array().unwrap();
        if items.is_empty() {
            continue;
        }
        with_suggestions += 1;
        let reproduce = |_: &Scratch, spec: &str, sets: &serde_json::Value| {
            reproduce(&here, spec, sets, &extra)
        };
        let mut last = None;
        for item in items {
            let after = reproduce(&here, &spec_path, &item["sets"]);
            assert_eq!(
                after,
                dec(&item["cost_per_month"]),
                "{example}: {}",
                item["title"]
            );
            assert_eq!(
                base - after,
                dec(&item["saving_per_month"]),
                "{example}: {}",
                item["title"]
            );
            let saving = dec(&item["saving_per_month"]);
            assert!(last.is_none_or(|l| saving <= l), "ranked by saving");
            last = Some(saving);
        }
        let combined = &doc["combined"];
        if !combined.is_null() {
            assert_eq!(
                reproduce(&here, &spec_path, &combined["sets"]),
                dec(&combined["cost_per_month"]),
                "{example}: all together"
            );
        }
    }
    assert!(
        with_suggestions >= 3,
        "the examples stopped offering savings"
    );
}

/// A trimmed per-request variable stays per-request: only its own tokens
/// are saved, nothing joins the cache. gpt-4o-mini, input $0.15/M; the
/// 3,000-token `ctx` trimmed 25% to 2,250 saves 750 uncached tokens a
/// request: 750 × 0.15 / 10⁶ = $0.0001125, × 30,000 requests a month =
/// $3.375. Dropping the mark would let the cache read it too (claimed more).
#[test]
fn trimming_per_request_content_saves_only_its_tokens() {
    let s = Scratch::new("suggest-per-request");
    s.write(
        "spec.yaml",
        "feature: Trim
model: gpt-4o-mini
calls:
  - name: answer
    messages:
      - { role: system, text: \"{{policy}} {{ctx}}\" }
      - { role: user, text: Hi }
    variables:
      policy: { tokens: 2000 }
      ctx: { tokens: 3000, per_request: true }
    cache: { prefix: system, hit_rate: 1 }
    output_tokens: 5
traffic: { requests_per_day: 1000 }
",
    );
    let doc = suggest(&s, "spec.yaml", &[]);
    let trim = doc["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "trim")
        .expect("a trim suggestion");
    assert_eq!(dec(&trim["saving_per_month"]), d("3.375"), "{trim}");
    assert_eq!(
        trim["sets"][0]["value"],
        "{tokens: 2250, per_request: true}"
    );
}

#[test]
fn suggestions_follow_the_rules() {
    let s = Scratch::new("suggest-rules");
    // An async call on a model with batch prices: batch is suggested; an
    // interactive one is not.
    let two_calls = |system_tokens: u64, latency: &str| {
        format!(
            "feature: Rules\nmodel: gpt-4o-mini\ncalls:\n  - name: answer\n    messages:\n      - {{ role: system, text: \"{{{{s}}}}\" }}\n      - {{ role: user, text: \"{{{{q}}}}\" }}\n    variables: {{ s: {{ tokens: {system_tokens} }}, q: {{ tokens: 50 }} }}\n    output_tokens: 20\n    latency: {latency}\ntraffic: {{ requests_per_day: 10000 }}\n"
        )
    };
    // `{tokens: N}` variables are not fixed text: write the prompt out instead.
    let fixed_prompt = |words: usize, latency: &str| {
        two_calls(0, latency).replace(
            "text: \"{{s}}\"",
            &format!("text: \"{}\"", "word ".repeat(words).trim()),
        )
    };
    s.write("short.yaml", &fixed_prompt(500, "async"));
    let kinds = |doc: &serde_json::Value| {
        doc["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let short = suggest(&s, "short.yaml", &[]);
    assert!(
        !kinds(&short).contains(&"cache".to_string()),
        "a 500-token prefix is below gpt-4o-mini's 1,024: {:?}",
        kinds(&short)
    );
    assert!(kinds(&short).contains(&"batch".to_string()));
    s.write("long.yaml", &fixed_prompt(2000, "interactive"));
    let long = suggest(&s, "long.yaml", &[]);
    assert!(
        kinds(&long).contains(&"cache".to_string()),
        "{:?}",
        kinds(&long)
    );
    assert!(
        !kinds(&long).contains(&"batch".to_string()),
        "an interactive call is never batched"
    );
    // The cache saving: P = 3 + (4 + 2000 words) + (4 + 50), prefix 2004+,
    // 80% read at half price: checked by reproducing it.
    let cache = long["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "cache")
        .unwrap()
        .clone();
    assert_eq!(
        reproduce(&s, "long.yaml", &cache["sets"], &[]),
        dec(&cache["cost_per_month"])
    );
}
