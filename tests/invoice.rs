//! Each request billed the way the provider's invoice does: one test per
//! shape where a simpler billing model comes out low. Every expected figure
//! is worked out by hand from the provider's published rule and list prices
//! (pricing/*.yaml, as of 2026-11-20), in the comment above it.
//!
//! Counts by hand: `{tokens: N}` is N tokens; a message adds 3 tokens of
//! framing and 1 for its role; every prompt adds 3 that prime the reply.

mod common;

use common::*;
use rust_decimal::Decimal;

fn estimate(dir: &Scratch, extra: &[&str]) -> Run {
    let mut args = vec!["estimate", "spec.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    llm_cost_in(Some(&dir.0), &args, None)
}

fn json(dir: &Scratch) -> serde_json::Value {
    let run = estimate(dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// `a` followed by ` a` n−1 times: o200k_base splits every ` a` into a
/// token of its own, so this is exactly n tokens.
fn text_of_tokens(n: usize) -> String {
    let mut s = String::with_capacity(2 * n);
    s.push('a');
    for _ in 1..n {
        s.push_str(" a");
    }
    s
}

#[test]
fn each_sample_is_priced_at_its_own_tier() {
    // Samples of 100,000, 100,000 and 380,000 tokens on gemini-2.5-pro,
    // each the only content of the user's message: prompts of 100,007 and
    // 380,007 tokens. Google prices a request above 200,000 prompt tokens
    // at the long-context rate, for the whole request:
    //   100,007·1.25 + 1,000·10 = 135,008.75  → $0.13500875 (twice)
    //   380,007·2.50 + 1,000·15 = 965,017.5   → $0.9650175
    //   mean = (2·0.13500875 + 0.9650175) / 3 = 1.235035 / 3 ≈ $0.4117
    // The mean prompt (193,340) is under the threshold: priced at base
    // rates it would be $0.2517, 39% low.
    let s = Scratch::new("tier-per-request");
    for (name, n) in [("a", 100_000), ("b", 100_000), ("c", 380_000)] {
        s.write(&format!("docs/{name}.txt"), &text_of_tokens(n));
    }
    s.write(
        "spec.yaml",
        "feature: long documents\nmodel: gemini-2.5-pro\ncalls:\n  - name: read\n    messages: [{ role: user, text: \"{{doc}}\" }]\n    variables: { doc: { samples: \"docs/*.txt\" } }\n    output_tokens: 1000\ntraffic: { requests_per_day: 100 }\n",
    );
    let doc = json(&s);
    let call = &doc["calls"][0];
    assert_eq!(dec(&call["input_tokens_p95"]), d("380007"));
    assert_eq!(dec(&call["cost_per_run"]), d("1.235035") / Decimal::from(3));
    // p95 is the 95th-percentile request: the 380,007-token one
    assert_eq!(dec(&call["cost_per_request_p95"]), d("0.9650175"));
    let mix = call["tier_mix"].as_array().unwrap();
    assert_eq!(mix[0]["above"], serde_json::Value::Null);
    assert_eq!(dec(&mix[0]["share"]), d("2") / d("3"));
    assert_eq!(mix[1]["above"], 200000);
    assert_eq!(dec(&mix[1]["share"]), d("1") / d("3"));
}

#[test]
fn each_turn_of_a_cached_chat_reads_the_last_turn_and_writes_its_own() {
    // claude-sonnet-4-5 ($3 in, $0.30 cache read, $3.75 cache write, $15
    // out; it caches from 1,024 tokens), a 6-turn chat, hit rate 0.9. System 2,000 → 2,004 framed (the
    // cached prefix C = X_0); the user's message 100 → 104; reply 200, so
    // each past turn adds 104 + (4 + 200) = 308 to the history.
    //   P_t = 3 + 2,004 + 104 + 308·(t−1) = 2,111 + 308·(t−1)
    //   X_t = P_t − 3 (through the user's message), read R_t = 0.9·X_{t−1},
    //   written W_t = X_t − R_t:
    //   t  P_t    X_t    R_t      W_t
    //   1  2,111  2,108  1,803.6  304.4
    //   2  2,419  2,416  1,897.2  518.8
    //   3  2,727  2,724  2,174.4  549.6
    //   4  3,035  3,032  2,451.6  580.4
    //   5  3,343  3,340  2,728.8  611.2
    //   6  3,651  3,648  3,006    642
    //   ΣP = 17,286  ΣR = 14,061.6  ΣW = 3,206.4  plain = 17,286 − 14,061.6
    //   − 3,206.4 = 18 (the 3 priming tokens a turn); output 6·200 = 1,200
    //   18·3 + 14,061.6·0.3 + 3,206.4·3.75 + 1,200·15
    //   = 54 + 4,218.48 + 12,024 + 18,000 = 34,296.48 → $0.03429648
    let s = Scratch::new("chat-cache");
    s.write(
        "spec.yaml",
        "feature: chat\nmodel: claude-sonnet-4-5\ncalls:\n  - name: chat\n    messages:\n      - { role: system, text: \"{{sys}}\" }\n      - { role: user, text: \"{{q}}\" }\n    variables: { sys: { tokens: 2000 }, q: { tokens: 100 } }\n    output_tokens: 200\n    conversation: { turns: 6, history: full }\n    cache: { prefix: system, hit_rate: 0.9 }\ntraffic: { requests_per_day: 100 }\n",
    );
    let doc = json(&s);
    let call = &doc["calls"][0];
    assert_eq!(dec(&call["cost_per_conversation"]), d("0.03429648"));
    let writes: Vec<Decimal> = call["cache_write_tokens_by_turn"]
        .as_array()
        .unwrap()
        .iter()
        .map(dec)
        .collect();
    let by_hand: Vec<Decimal> = ["304.4", "518.8", "549.6", "580.4", "611.2", "642"]
        .iter()
        .map(|w| d(w))
        .collect();
    assert_eq!(writes, by_hand);
    // per turn on average: 14,061.6 / 6 read, 3,206.4 / 6 written
    assert_eq!(dec(&call["cached_input_tokens"]), d("2343.6"));
    assert_eq!(dec(&call["cache_write_tokens"]), d("534.4"));
}

#[test]
fn openai_caches_whole_steps_of_128_tokens_above_1024() {
    // gpt-4o-mini ($0.15 in, $0.075 cached, $0.60 out), system 1,496 → a
    // 1,500-token prefix; hit rate 1. OpenAI caches 1,024 + 128·⌊476/128⌋ =
    // 1,408 of it. P = 3 + 1,500 + 104 = 1,607:
    //   (1,607 − 1,408)·0.15 + 1,408·0.075 + 100·0.60
    //   = 29.85 + 105.6 + 60 = 195.45 → $0.00019545
    let s = Scratch::new("openai-step");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages:\n      - { role: system, text: \"{{sys}}\" }\n      - { role: user, text: \"{{q}}\" }\n    variables: { sys: { tokens: 1496 }, q: { tokens: 100 } }\n    output_tokens: 100\n    cache: { prefix: system, hit_rate: 1 }\ntraffic: { requests_per_day: 100 }\n",
    );
    let doc = json(&s);
    let call = &doc["calls"][0];
    assert_eq!(dec(&call["input_tokens"]), d("1607"));
    assert_eq!(dec(&call["cached_input_tokens"]), d("1408"));
    assert_eq!(dec(&call["cost_per_run"]), d("0.00019545"));
}

#[test]
fn per_request_content_is_never_a_cache_hit_across_requests() {
    // claude-sonnet-4-6, cache through the second system message, hit rate
    // 1. The first holds fixed rules (3,000 → 3,004 framed); the second
    // the articles retrieved for this request (`per_request: true`): the
    // prefix stops before it, C = 3,004.
    //   P = 3 + 3,004 + (1,500 + 4) + (100 + 4) = 4,615
    //   R = 1·3,004, W = C − R = 0:
    //   (4,615 − 3,004)·3 + 3,004·0.3 + 500·15 = 4,833 + 901.2 + 7,500
    //   = 13,234.2 → $0.0132342
    let s = Scratch::new("per-request");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: claude-sonnet-4-6\ncalls:\n  - name: answer\n    messages:\n      - { role: system, text: \"{{rules}}\" }\n      - { role: system, text: \"{{articles}}\" }\n      - { role: user, text: \"{{q}}\" }\n    variables:\n      rules: { tokens: 3000 }\n      articles: { tokens: 1500, per_request: true }\n      q: { tokens: 100 }\n    output_tokens: 500\n    cache: { prefix: 2, hit_rate: 1 }\ntraffic: { requests_per_day: 100 }\n",
    );
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let call = &doc["calls"][0];
    assert_eq!(dec(&call["input_tokens"]), d("4615"));
    assert_eq!(dec(&call["cached_input_tokens"]), d("3004"));
    assert_eq!(dec(&call["cache_write_tokens"]), d("0"));
    assert_eq!(dec(&call["cost_per_run"]), d("0.0132342"));
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("the cached prefix stops before `{{articles}}`, which differs on every request; only the 3004 tokens before it can be a cache hit"),
        "{warnings}"
    );

    // A `samples` variable in the system prompt: nothing before it, so
    // nothing is shared and nothing is reported as cached.
    s.write("tickets/1.txt", "My invoice is wrong.");
    s.write("tickets/2.txt", "The app crashes on start.");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages:\n      - { role: system, text: \"Answer this ticket: {{ticket}}\" }\n    variables: { ticket: { samples: \"tickets/*.txt\" } }\n    output_tokens: 50\n    cache: { prefix: system, hit_rate: 0.9 }\ntraffic: { requests_per_day: 100 }\n",
    );
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(dec(&doc["calls"][0]["cached_input_tokens"]), d("0"));
    assert!(
        doc["warnings"]
            .to_string()
            .contains("stops before `{{ticket}}`"),
        "{}",
        doc["warnings"]
    );
}

#[test]
fn batch_with_cached_input_on_gemini_keeps_the_standard_cached_rate() {
    // gemini-2.5-flash: $0.30 in, $0.03 cached, $2.50 out; batch $0.15 /
    // $1.25, and Google bills cached input in batch at the standard $0.03.
    // System 4,000 → C = 4,004 (≥ the 2,048 minimum), hit rate 1, user
    // 100 → 104: P = 3 + 4,004 + 104 = 4,111.
    //   (4,111 − 4,004)·0.15 + 4,004·0.03 + 100·1.25
    //   = 16.05 + 120.12 + 125 = 261.17 → $0.00026117
    // (Halving the cached rate too would give $0.00020111, 23% low.)
    let s = Scratch::new("batch-cache");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gemini-2.5-flash\ncalls:\n  - name: c\n    messages:\n      - { role: system, text: \"{{sys}}\" }\n      - { role: user, text: \"{{q}}\" }\n    variables: { sys: { tokens: 4000 }, q: { tokens: 100 } }\n    output_tokens: 100\n    batch: true\n    cache: { prefix: system, hit_rate: 1 }\ntraffic: { requests_per_day: 100 }\n",
    );
    let doc = json(&s);
    assert_eq!(dec(&doc["calls"][0]["cost_per_run"]), d("0.00026117"));
    assert!(
        doc["assumptions"]
            .to_string()
            .contains("gemini-2.5-flash lists no batch cached-input price; a batch run pays the standard cached rate"),
        "{}",
        doc["assumptions"]
    );

    // Anthropic's batch discount stacks with caching: claude-sonnet-4-6
    // batch $1.50 in, $0.15 cached, $7.50 out, all listed.
    //   (4,111 − 4,004)·1.5 + 4,004·0.15 + 100·7.5 = 160.5 + 600.6 + 750
    //   = 1,511.1 → $0.0015111
    let doc = {
        let run = estimate(&s, &["--model", "claude-sonnet-4-6"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()
    };
    assert_eq!(dec(&doc["calls"][0]["cost_per_run"]), d("0.0015111"));
}

#[test]
fn a_reasoning_model_without_reasoning_tokens_is_said_everywhere() {
    // gpt-5-mini reasons by default; the call does not say how much.
    let s = Scratch::new("reasoning");
    let spec = |extra: &str| {
        format!(
            "feature: f\nmodel: gpt-5-mini\ncalls:\n  - name: rag\n    messages: [{{ role: user, text: \"{{{{q}}}}\" }}]\n    variables: {{ q: {{ tokens: 993 }} }}\n    output_tokens: 300\n{extra}traffic: {{ requests_per_day: 1000 }}\n"
        )
    };
    s.write("spec.yaml", &spec(""));
    let said = "call `rag`: gpt-5-mini reasons by default, and its hidden reasoning tokens are billed as output, but the call states no `reasoning_tokens`";
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(said), "{}", run.stderr);
    let check = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--github", "always"],
        None,
    );
    let annotated = check
        .stdout
        .lines()
        .chain(check.stderr.lines())
        .any(|l| l.starts_with("::warning") && l.contains("reasons by default"));
    assert!(annotated, "{}{}", check.stdout, check.stderr);
    let comment = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--format", "markdown"],
        None,
    );
    assert!(
        comment.stdout.contains("reasons by default"),
        "{}",
        comment.stdout
    );

    // In a comparison its row says so, and it is never the cheapest: here
    // gpt-6-luna ($0.10 in, $0.50 out) against gpt-5.4-nano ($0.20 in,
    // $1.25 out), dearer per token.
    s.write(
        "spec.yaml",
        &spec("").replace("model: gpt-5-mini", "model: gpt-4.1-mini"),
    );
    let run = estimate(&s, &["--compare", "gpt-6-luna,gpt-5.4-nano"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alternatives = &run.json()["alternatives"];
    assert_eq!(alternatives["cheapest_within_budget"], "gpt-5.4-nano");
    assert_eq!(alternatives["rows"][0]["label"], "gpt-6-luna");
    assert_eq!(alternatives["rows"][0]["reasoning_not_counted"][0], "rag");
    let table = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--compare", "gpt-6-luna"],
        None,
    );
    assert!(
        table.stdout.contains("no budget · reasoning not counted"),
        "{}",
        table.stdout
    );

    // Stated, it is billed as output and the warning goes: $0.25 in, $2 out
    //   P = 3 + 4 + 993 = 1,000: 1,000·0.25 + (300 + 2,000)·2 = 4,850
    //   → $0.00485 a request (without it: 1,000·0.25 + 300·2 = $0.00085)
    s.write("spec.yaml", &spec("    reasoning_tokens: 2000\n"));
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(dec(&doc["calls"][0]["cost_per_run"]), d("0.00485"));
    assert!(!doc["warnings"].to_string().contains("reasons by default"));
}

#[test]
fn suggest_never_moves_a_call_to_a_reasoning_model_it_cannot_price() {
    // gpt-6-luna and gpt-5.6-luna are cheaper per token than gpt-4.1-mini
    // but reason by default; the self-hosted example states no reasoning.
    let root = env!("CARGO_MANIFEST_DIR");
    let run = llm_cost(&[
        "suggest",
        &format!("{root}/examples/self-hosted/spec.yaml"),
        "--pricing",
        &format!("{root}/examples/self-hosted/pricing.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let text = format!("{}{}", doc["suggestions"], doc["combined"]);
    assert!(text.contains("calls.summarise.model"), "{text}");
    // No value a suggestion sets is a reasoning model's name; they are
    // listed as left out instead, with why.
    for reasoning in [
        "gpt-6-luna",
        "gpt-5.6-luna",
        "gpt-5-mini",
        "gpt-5-nano",
        "o3",
    ] {
        assert!(
            !text.contains(&format!("\"{reasoning}\"")),
            "{reasoning}: {text}"
        );
    }
    assert!(
        doc["left_out"].to_string().contains("gpt-6-luna"),
        "{}",
        doc["left_out"]
    );
}

#[test]
fn suggest_says_which_cheaper_models_cannot_serve_the_spec() {
    // 300,000 stated tokens + 7 of framing: over gpt-5.4-nano's 272,000
    // window, cheaper per token than gpt-4.1-mini. Said, not suggested;
    // never an abort. (gpt-4o-mini, 128,000, retires within 90 days: not
    // a candidate at all.)
    let s = Scratch::new("suggest-cannot-serve");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4.1-mini\ncalls:\n  - name: rag\n    messages: [{ role: user, tokens: 300000 }]\n    output_tokens: 300\ntraffic: { requests_per_day: 1000 }\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["suggest", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left: Vec<(String, String)> = run.json()["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["model"].as_str().unwrap().to_string(),
                l["why"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let why = |m: &str| {
        left.iter()
            .find(|(model, _)| model == m)
            .map(|(_, w)| w.clone())
    };
    assert!(
        why("gpt-5.4-nano")
            .is_some_and(|w| w.contains("over gpt-5.4-nano's context window of 272000")),
        "{left:?}"
    );
    assert!(
        why("gpt-6-luna").is_some_and(|w| w.contains("reasons by default")),
        "{left:?}"
    );
    assert!(why("gpt-4o-mini").is_none(), "{left:?}");
}

/// Retired models are not offered: a group leaves them out, a named one
/// is shown but never starred, and `suggest` proposes no model that retires
/// within 90 days (the harness's today is 2026-11-27). gpt-4.1-nano retired
/// on 2026-10-23; gpt-5-nano retires on 2026-12-11, in 14 days.
#[test]
fn retired_and_retiring_models_are_marked_and_never_proposed() {
    let s = Scratch::new("retired-models");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: rag\n    messages: [{ role: user, tokens: 1000 }]\n    output_tokens: 100\n    reasoning_tokens: 0\ntraffic: { requests_per_day: 1000 }\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--compare",
            "gpt-4.1-nano,gpt-5-nano,gpt-5.4-nano",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alts = &run.json()["alternatives"];
    // gpt-4.1-nano ($0.10/$0.40) is the cheapest, but retired.
    assert_eq!(alts["cheapest_within_budget"], "gpt-5.4-nano", "{alts}");
    assert_eq!(alts["rows"][0]["retirement"], "retired 2026-10-23");
    assert_eq!(alts["rows"][1]["retirement"], "retires 2026-12-11");
    assert!(alts["rows"][2].get("retirement").is_none());
    let table = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--compare",
            "gpt-4.1-nano,gpt-5.4-nano",
        ],
        None,
    );
    assert!(
        table.stdout.contains("gpt-4.1-nano (retired 2026-10-23)"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("★ gpt-5.4-nano"), "{}", table.stdout);
    // `all` leaves retired models out.
    let all = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--compare",
            "all",
            "--format",
            "json",
        ],
        None,
    );
    let labels = all.json()["alternatives"]["rows"].to_string();
    assert!(!labels.contains("\"gpt-4.1-nano\""), "{labels}");
    // suggest: every model it proposes, or weighs, is current.
    let suggest = llm_cost_in(
        Some(&s.0),
        &["suggest", "spec.yaml", "--format", "json"],
        None,
    );
    let doc = suggest.json();
    let offered = format!("{}{}", doc["suggestions"], doc["left_out"]);
    for retiring in [
        "gpt-4.1-nano",
        "gpt-5-nano",
        "gpt-5-mini",
        "gpt-4o-mini",
        "gpt-4.1-mini",
    ] {
        assert!(
            !offered.contains(&format!("\"{retiring}\"")),
            "{retiring}: {offered}"
        );
    }
    // `models` says when each retires.
    let models = llm_cost(&["models", "gpt-5-"]);
    assert!(
        models
            .stdout
            .lines()
            .any(|l| l.contains("gpt-5-nano") && l.contains("retires 2026-12-11")),
        "{}",
        models.stdout
    );
}

/// A conversation marked `batch: true` is a live chat sent through a
/// 24-hour API: priced as the spec says, and warned about. A batch job
/// that is no conversation is not.
#[test]
fn a_batched_conversation_is_warned_about() {
    let s = Scratch::new("batched-chat");
    let spec = |conversation: &str| {
        format!(
            "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: chat\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 50\n    batch: true\n{conversation}traffic: {{ requests_per_day: 10 }}\n"
        )
    };
    s.write(
        "spec.yaml",
        &spec("    conversation: { turns: 4, history: full }\n"),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("call `chat` is a conversation marked `batch: true`"),
        "{}",
        run.stderr
    );
    s.write("spec.yaml", &spec(""));
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("marked `batch: true`"),
        "{}",
        run.stderr
    );
}
