//! `diff`: cost changes between specs (or saved estimates), checked against
//! deltas computed here from two independent estimates.

mod common;

use common::*;
use rust_decimal::Decimal;

const SPEC: &str = "feature: Summaries
model: gpt-4o-mini
calls:
  - name: summarise
    messages:
      - { role: system, file: prompt.md }
      - { role: user, text: \"{{doc}}\" }
    variables: { doc: { tokens: 3000 } }
    output_tokens: 200
  - name: title
    model: gpt-5.4-nano
    messages: [{ role: user, text: \"{{doc}}\" }]
    variables: { doc: { tokens: 500 } }
    output_tokens: 12
traffic: { requests_per_day: 5000 }
economics: { revenue_per_month: 50000, other_cost_per_month: 10000 }
";

/// Two folders, base/ and head/, each a copy of the spec with its prompt.
fn two_sides(name: &str, head_spec: &str, head_prompt: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("base/spec.yaml", SPEC);
    s.write(
        "base/prompt.md",
        "Summarise the document in three sentences.",
    );
    s.write("head/spec.yaml", head_spec);
    s.write("head/prompt.md", head_prompt);
    s
}

fn estimate(s: &Scratch, spec: &str) -> serde_json::Value {
    let run = llm_cost_in(Some(&s.0), &["estimate", spec, "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn diff(s: &Scratch, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "diff",
        "base/spec.yaml",
        "head/spec.yaml",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = llm_cost_in(Some(&s.0), &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// The diff's figures equal those of the two estimates, subtracted here.
fn assert_consistent(s: &Scratch, doc: &serde_json::Value) {
    let base = estimate(s, "base/spec.yaml");
    let head = estimate(s, "head/spec.yaml");
    for key in ["cost_per_request", "cost_per_month"] {
        let (b, h) = (dec(&base[key]), dec(&head[key]));
        assert_eq!(dec(&doc[key]["base"]), b, "{key}");
        assert_eq!(dec(&doc[key]["head"]), h, "{key}");
        assert_eq!(dec(&doc[key]["change"]), h - b, "{key}");
        assert_eq!(dec(&doc[key]["change_ratio"]), (h - b) / b, "{key}");
    }
    let (b, h) = (dec(&base["margin"]["after"]), dec(&head["margin"]["after"]));
    assert_eq!(dec(&doc["margin_after"]["change"]), h - b);
}

#[test]
fn a_model_change() {
    let s = two_sides(
        "model",
        &SPEC.replace("model: gpt-4o-mini", "model: gpt-4.1-mini"),
        "Summarise the document in three sentences.",
    );
    let doc = diff(&s, &[]);
    assert_consistent(&s, &doc);
    let call = &doc["calls"][0];
    assert_eq!(
        (
            call["base"]["model"].as_str(),
            call["head"]["model"].as_str()
        ),
        (Some("gpt-4o-mini"), Some("gpt-4.1-mini"))
    );
    assert_eq!(
        doc["calls"][1]["cost_per_request"]["change"], "0",
        "the title call did not change"
    );
    let table = llm_cost_in(
        Some(&s.0),
        &["diff", "base/spec.yaml", "head/spec.yaml"],
        None,
    );
    assert!(
        table.stdout.contains("model gpt-4o-mini → gpt-4.1-mini"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("no change"), "{}", table.stdout);
}

#[test]
fn a_traffic_change_scales_the_month_not_the_request() {
    let s = two_sides(
        "traffic",
        &SPEC.replace("requests_per_day: 5000", "requests_per_day: 15000"),
        "Summarise the document in three sentences.",
    );
    let doc = diff(&s, &[]);
    assert_consistent(&s, &doc);
    assert_eq!(doc["cost_per_request"]["change"], "0");
    assert_eq!(dec(&doc["cost_per_month"]["change_ratio"]), d("2"));
}

#[test]
fn a_prompt_file_change_shows_in_tokens_and_cost() {
    let longer = "Summarise the document in three sentences. Keep every figure exactly as written, name the people and companies involved, and end with the single most important open question.";
    let s = two_sides("prompt", SPEC, longer);
    let doc = diff(&s, &[]);
    assert_consistent(&s, &doc);
    let count = |f: &str| {
        llm_cost(&[
            "count",
            "--encoding",
            "o200k_base",
            "--format",
            "json",
            &s.path(f),
        ])
        .json()["total"]
            .as_u64()
            .unwrap()
    };
    let added = Decimal::from(count("head/prompt.md") - count("base/prompt.md"));
    let call = &doc["calls"][0];
    assert_eq!(
        dec(&call["head"]["input_tokens"]) - dec(&call["base"]["input_tokens"]),
        added
    );
    // gpt-4o-mini input at $0.15 per 1M tokens
    assert_eq!(
        dec(&call["cost_per_request"]["change"]),
        added * d("0.15") / d("1000000")
    );
}

#[test]
fn a_saved_estimate_as_the_base() {
    let s = two_sides(
        "saved",
        &SPEC.replace("output_tokens: 200", "output_tokens: 300"),
        "Summarise the document in three sentences.",
    );
    let base = llm_cost_in(
        Some(&s.0),
        &["estimate", "base/spec.yaml", "--format", "json"],
        None,
    );
    s.write("base.json", &base.stdout);
    let from_json = llm_cost_in(
        Some(&s.0),
        &["diff", "base.json", "head/spec.yaml", "--format", "json"],
        None,
    )
    .json();
    let from_spec = diff(&s, &[]);
    assert_eq!(from_json["cost_per_month"], from_spec["cost_per_month"]);
    assert_eq!(from_json["calls"], from_spec["calls"]);

    // A check report holds several estimates: ambiguous as one side of a diff.
    s.write("two.yaml", SPEC);
    s.write("prompt.md", "x");
    let checked = llm_cost_in(
        Some(&s.0),
        &[
            "check",
            "base/spec.yaml",
            "head/spec.yaml",
            "--format",
            "json",
        ],
        None,
    );
    s.write("check.json", &checked.stdout);
    let run = llm_cost_in(Some(&s.0), &["diff", "check.json", "head/spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("holds 2 estimates"), "{}", run.stderr);
    let run = llm_cost_in(Some(&s.0), &["diff", "nope.json", "head/spec.yaml"], None);
    assert_eq!(run.code, 2);
}

#[test]
fn base_dir_resolves_the_base_spec_files_elsewhere() {
    // As in CI: `git show main:spec.yaml > base.yaml`, with main's prompt
    // files in a checkout of main.
    let s = two_sides(
        "base-dir",
        SPEC,
        "A much longer prompt than before, with many more words in it for the model to read.",
    );
    s.write("base.yaml", SPEC);
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "diff",
            "base.yaml",
            "head/spec.yaml",
            "--base-dir",
            "base",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let with_dir = run.json();
    let direct = diff(&s, &[]);
    assert_eq!(with_dir["cost_per_request"], direct["cost_per_request"]);
}

#[test]
fn diff_markdown_has_a_headline_and_marker() {
    let s = two_sides(
        "md",
        &SPEC.replace("model: gpt-4o-mini", "model: gpt-4.1-mini"),
        "Summarise the document in three sentences.",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "diff",
            "base/spec.yaml",
            "head/spec.yaml",
            "--format",
            "markdown",
        ],
        None,
    );
    let first: Vec<&str> = run.stdout.lines().take(2).collect();
    assert_eq!(first[0], "<!-- llm-cost:diff -->");
    assert!(
        first[1].starts_with("### llm-cost: +$") && first[1].contains("/month (+"),
        "{}",
        run.stdout
    );
}
