//! What-ifs, each checked against arithmetic done here from published
//! prices: other models, --set, --model, --scale, scenarios, p95 ranges and
//! the growth projection.

mod common;

use common::*;
use rust_decimal::Decimal;

/// Tokens only, so every figure can be computed by hand:
/// answer: P = 3 + (4 + 2000) + (4 + 500) = 2511, 2 runs; audit: P = 507.
const SPEC: &str = "feature: What if
model: gpt-4o-mini
calls:
  - name: answer
    messages:
      - { role: system, text: \"{{s}}\" }
      - { role: user, text: \"{{q}}\" }
    variables: { s: { tokens: 2000 } }
    output_tokens: { mean: 300, p95: 800 }
    calls_per_request: 2
  - name: audit
    model: gpt-5.4-nano
    messages: [{ role: user, text: \"{{q}}\" }]
    output_tokens: 10
variables: { q: { tokens: 500 } }
traffic: { requests_per_day: 1000 }
economics: { revenue_per_month: 10000, other_cost_per_month: 2000 }
budget: { max_monthly_spend: 60 }
scenarios:
  high: { traffic.requests_per_day: 3000 }
  long: { calls.answer.output_tokens: 600 }
";

/// USD for one run: (P·input + O·output) / 10⁶, prices per 1M tokens.
fn run_cost(prompt: u64, output: u64, input_price: &str, output_price: &str) -> Decimal {
    (Decimal::from(prompt) * d(input_price) + Decimal::from(output) * d(output_price))
        / d("1000000")
}

/// Per request on `model` for the answer call (audit stays on gpt-5.4-nano).
fn per_request(answer_in: &str, answer_out: &str, answer_output_tokens: u64) -> Decimal {
    run_cost(2511, answer_output_tokens, answer_in, answer_out) * d("2")
        + run_cost(507, 10, "0.2", "1.25")
}

fn estimate(dir: &Scratch, extra: &[&str]) -> Run {
    let mut args = vec!["estimate", "spec.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    llm_cost_in(Some(&dir.0), &args, None)
}

fn scratch(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("spec.yaml", SPEC);
    s
}

#[test]
fn the_base_is_what_the_prices_say() {
    let s = scratch("base");
    let doc = estimate(&s, &[]).json();
    let base = per_request("0.15", "0.6", 300);
    assert_eq!(dec(&doc["cost_per_request"]), base);
    assert_eq!(dec(&doc["cost_per_month"]), base * d("30000"));
}

#[test]
fn compare_other_models_and_mark_the_cheapest_within_budget() {
    let s = scratch("compare");
    let run = estimate(
        &s,
        &[
            "--compare",
            "gpt-4.1-mini,claude-haiku-4-5",
            "--compare",
            "gpt-5.4-nano",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alts = run.json()["alternatives"].clone();
    assert_eq!(alts["kind"], "model");
    let rows = alts["rows"].as_array().unwrap();
    let expect = [
        ("gpt-4.1-mini", "0.4", "1.6"),
        ("claude-haiku-4-5", "1", "5"),
        ("gpt-5.4-nano", "0.2", "1.25"),
    ];
    for (row, (model, i, o)) in rows.iter().zip(expect) {
        assert_eq!(row["label"], model);
        let month = per_request(i, o, 300) * d("30000");
        assert_eq!(dec(&row["cost_per_month"]), month, "{model}");
        assert_eq!(row["budget_ok"], month <= d("60"), "{model}");
        let base = per_request("0.15", "0.6", 300) * d("30000");
        assert_eq!(dec(&row["change"]), month - base, "{model}");
    }
    assert_eq!(
        rows[1]["tokens_estimated"], true,
        "Claude's counts are estimates"
    );
    // gpt-5.4-nano: 30,000 × (2·(2511·0.2 + 300·1.25) + 507·0.2 + 10·1.25)/10⁶
    // = 30,000 × 0.0018683 = $56.049 ≤ $60.
    assert_eq!(alts["cheapest_within_budget"], "gpt-5.4-nano");
    // The same as asking for that model directly.
    let direct = estimate(&s, &["--model", "gpt-4.1-mini"]).json();
    assert_eq!(direct["cost_per_month"], rows[0]["cost_per_month"]);
}

#[test]
fn compare_groups_all_and_all_cheaper() {
    let s = scratch("compare-all");
    let catalog = llm_cost(&["models", "--format", "json"]).json();
    // LLM_COST_TODAY is 2026-11-27 in the harness: retired models are left out.
    let current = catalog["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["deprecated"].as_str().is_none_or(|d| d > "2026-11-27"))
        .count();
    let all = estimate(&s, &["--compare", "all"]).json();
    assert_eq!(
        all["alternatives"]["rows"].as_array().unwrap().len(),
        current - 1,
        "every current model but the base"
    );
    let cheaper = estimate(&s, &["--compare", "all-cheaper"]).json();
    let base = dec(&cheaper["cost_per_month"]);
    let rows = cheaper["alternatives"]["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| dec(&r["cost_per_month"]) < base));
    let anthropic = estimate(&s, &["--compare", "provider:anthropic"]).json();
    assert!(
        anthropic["alternatives"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["label"].as_str().unwrap().starts_with("claude"))
    );
    let bad = estimate(&s, &["--compare", "gpt-4o-mni"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("did you mean"), "{}", bad.stderr);
}

#[test]
fn set_changes_any_value_by_its_path() {
    let s = scratch("set");
    let doc = estimate(&s, &["--set", "traffic.requests_per_day=60000"]).json();
    assert_eq!(
        dec(&doc["cost_per_month"]),
        per_request("0.15", "0.6", 300) * d("1800000")
    );
    // The spec has economics: the line says revenue stays as given.
    assert_eq!(
        doc["overrides"][0],
        "--set traffic.requests_per_day=60000 (users, revenue and other costs as given; --scale traffic=F moves them with traffic)"
    );
    let doc = estimate(&s, &["--set", "calls.answer.output_tokens=400"]).json();
    assert_eq!(
        dec(&doc["cost_per_request"]),
        per_request("0.15", "0.6", 400)
    );
    let doc = estimate(&s, &["--set", "calls[1].output_tokens=20"]).json();
    assert_eq!(
        dec(&doc["calls"][1]["cost_per_run"]),
        run_cost(507, 20, "0.2", "1.25")
    );
    let doc = estimate(&s, &["--model", "audit=claude-haiku-4-5"]).json();
    assert_eq!(
        dec(&doc["calls"][1]["cost_per_run"]),
        run_cost(507, 10, "1", "5")
    );
    assert_eq!(doc["calls"][0]["model"], "gpt-4o-mini");
    let doc = estimate(&s, &["--scale", "traffic=3"]).json();
    assert_eq!(dec(&doc["requests_per_day"]), d("3000"));
}

#[test]
fn a_bad_set_is_bad_input_that_names_the_set() {
    let s = scratch("set-errors");
    let cases = [
        ("trafic.requests_per_day=5", "did you mean `traffic`?"),
        ("traffic.requests_per_day=lots", "expected a number"),
        (
            "calls.nope.output_tokens=3",
            "no entry of `calls` is named `nope`",
        ),
        ("calls.answr.output_tokens=3", "did you mean `answer`?"),
        ("model=gpt-4o-mni", "unknown model `gpt-4o-mni`"),
    ];
    for (set, message) in cases {
        let run = estimate(&s, &["--set", set]);
        assert_eq!(run.code, 2, "{set}");
        assert!(run.stderr.contains(message), "{set}: {}", run.stderr);
    }
    // A value the validator rejects points at the --set, not at the file.
    let run = estimate(&s, &["--set", "traffic.requests_per_day=-5"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("--set traffic.requests_per_day=-5: error: `traffic.requests_per_day` must not be negative"), "{}", run.stderr);
}

#[test]
fn scenarios_one_at_a_time_and_side_by_side() {
    let s = scratch("scenarios");
    let base = per_request("0.15", "0.6", 300);
    let high = estimate(&s, &["--scenario", "high"]).json();
    assert_eq!(dec(&high["cost_per_month"]), base * d("90000"));
    let same = estimate(&s, &["--set", "traffic.requests_per_day=3000"]).json();
    assert_eq!(high["cost_per_month"], same["cost_per_month"]);

    let all = estimate(&s, &["--scenarios"]).json();
    let rows = all["alternatives"]["rows"].as_array().unwrap();
    assert_eq!(all["alternatives"]["kind"], "scenario");
    assert_eq!(rows[0]["label"], "high");
    assert_eq!(dec(&rows[0]["cost_per_month"]), base * d("90000"));
    assert_eq!(rows[1]["label"], "long");
    assert_eq!(
        dec(&rows[1]["cost_per_month"]),
        per_request("0.15", "0.6", 600) * d("30000")
    );
    assert_eq!(
        all["alternatives"]["cheapest_within_budget"],
        serde_json::Value::Null,
        "scenarios are not choices"
    );

    let run = estimate(&s, &["--scenario", "hihg"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `high`?"),
        "{}",
        run.stderr
    );
    s.write(
        "spec.yaml",
        &SPEC.replace(
            "high: { traffic.requests_per_day: 3000 }",
            "high: { trafic.requests_per_day: 3000 }",
        ),
    );
    let run = estimate(&s, &[]);
    assert_eq!(
        run.code, 2,
        "a broken scenario is caught even when not used"
    );
    assert!(run.stderr.contains("spec.yaml:20:11: error: scenario `high`: the spec has no field `trafic`; did you mean `traffic`?"), "{}", run.stderr);
}

#[test]
fn ranges_report_p95_and_can_be_judged_on() {
    let s = scratch("ranges");
    let doc = estimate(&s, &[]).json();
    let p95 = per_request("0.15", "0.6", 800);
    assert_eq!(dec(&doc["cost_per_request_p95"]), p95);
    assert_eq!(dec(&doc["cost_per_month_p95"]), p95 * d("30000"));
    // A $50 budget: the expected month ($36.82) keeps it, the p95 one ($54.82) does not.
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "spec.yaml", "--max-monthly", "50"];
        args.extend_from_slice(extra);
        llm_cost_in(Some(&s.0), &args, None)
    };
    assert_eq!(check(&[]).code, 0);
    let run = check(&["--budget-on", "p95"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("monthly spend $54.82 > $50"),
        "{}",
        run.stdout
    );
}

#[test]
fn growth_projects_month_by_month_and_flags_the_first_broken_month() {
    let s = scratch("growth");
    let run = estimate(
        &s,
        &["--set", "traffic.growth_per_month=0.1", "--months", "8"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let projection = run.json()["projection"].clone();
    let months = projection["months"].as_array().unwrap();
    assert_eq!(months.len(), 8);
    let base = per_request("0.15", "0.6", 300) * d("30000");
    let mut factor = Decimal::ONE;
    for m in months {
        let cost = base * factor;
        assert_eq!(dec(&m["cost_per_month"]), cost, "month {}", m["month"]);
        // revenue_per_month is fixed: the AI spend eats into the margin
        assert_eq!(
            dec(&m["margin_after"]),
            (d("10000") - d("2000") - cost) / d("10000")
        );
        assert_eq!(m["broken"].as_array().unwrap().is_empty(), cost <= d("60"));
        factor *= d("1.1");
    }
    // 36.816 × 1.1⁵ = 59.29 keeps the $60 budget; × 1.1⁶ = 65.22 does not.
    assert_eq!(projection["first_broken_month"], 7);

    let table = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--set",
            "traffic.growth_per_month=0.1",
            "--months",
            "8",
            "--ascii",
        ],
        None,
    );
    assert!(
        table.stdout.contains("####") && table.stdout.contains("<- first month over budget"),
        "{}",
        table.stdout
    );
    let run = llm_cost_env(
        &s.0,
        &[
            "estimate",
            "spec.yaml",
            "--set",
            "traffic.growth_per_month=0.1",
        ],
        &[
            ("LANG", Some("C.UTF-8")),
            ("LC_ALL", None),
            ("LC_CTYPE", None),
        ],
    );
    let text = &run.stdout;
    assert!(
        text.contains('█') && text.contains("◀ first month over budget"),
        "{text}"
    );

    let run = estimate(&s, &["--months", "6"]);
    assert_eq!(run.code, 2, "no growth to project");
    assert!(run.stderr.contains("growth_per_month"), "{}", run.stderr);
}

#[test]
fn compare_all_runs_on_every_example() {
    let root = env!("CARGO_MANIFEST_DIR");
    for example in ["support-assistant", "batch-classifier", "agent"] {
        let spec = format!("{root}/examples/{example}/spec.yaml");
        let run = llm_cost(&["estimate", &spec, "--compare", "all", "--format", "json"]);
        assert_eq!(run.code, 0, "{example}: {}", run.stderr);
        let rows = run.json()["alternatives"]["rows"]
            .as_array()
            .unwrap()
            .clone();
        assert!(rows.len() > 40, "{example}");
        for r in &rows {
            // A model without batch prices cannot run the batch example.
            assert!(
                r.get("cost_per_month").is_some()
                    || r["error"].as_str().unwrap().contains("no batch prices"),
                "{example}: {r}"
            );
        }
    }
}

#[test]
fn every_markdown_report_is_made_of_valid_github_tables() {
    let root = env!("CARGO_MANIFEST_DIR");
    let support = format!("{root}/examples/support-assistant/spec.yaml");
    let chat = format!("{root}/examples/chat-assistant/spec.yaml");
    let runs = [
        vec![
            "estimate",
            support.as_str(),
            "--compare",
            "all",
            "--format",
            "markdown",
        ],
        vec![
            "estimate",
            support.as_str(),
            "--scenarios",
            "--format",
            "markdown",
        ],
        vec![
            "estimate",
            support.as_str(),
            "--set",
            "traffic.growth_per_month=0.3",
            "--format",
            "markdown",
        ],
        vec!["estimate", chat.as_str(), "--format", "markdown"],
        vec!["suggest", chat.as_str(), "--format", "markdown"],
        vec!["models", "--format", "markdown"],
        vec!["models", "gpt-5.4", "--format", "markdown"],
    ];
    for args in runs {
        let run = llm_cost(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(assert_valid_tables(&run.stdout) >= 1, "{args:?}");
    }
}

/// A spec piped in is read once: every variant is estimated from that
/// text (stdin cannot be read twice), and matches the same spec read from
/// a file. Before, each variant re-read `-` and found it empty.
#[test]
fn what_ifs_of_a_spec_from_stdin_match_the_file() {
    let dir = scratch("whatif-stdin");
    let args = ["--compare", "gpt-4.1-mini", "--scenarios"];
    let from_file = |extra: &[&str]| {
        let mut a = vec!["estimate", "spec.yaml", "--format", "json"];
        a.extend_from_slice(extra);
        llm_cost_in(Some(&dir.0), &a, None)
    };
    let from_stdin = |extra: &[&str]| {
        let mut a = vec!["estimate", "-", "--format", "json"];
        a.extend_from_slice(extra);
        llm_cost_in(Some(&dir.0), &a, Some(SPEC))
    };
    for extra in [&args[..2], &args[2..]] {
        let (f, s) = (from_file(extra), from_stdin(extra));
        assert_eq!(s.code, 0, "{}", s.stderr);
        let (f, s) = (f.json(), s.json());
        assert_eq!(f["alternatives"], s["alternatives"], "{extra:?}");
        let rows = s["alternatives"]["rows"].as_array().unwrap().clone();
        assert!(!rows.is_empty(), "{extra:?}: {s}");
        for row in rows {
            assert!(row["error"].is_null(), "{extra:?}: {row}");
        }
    }
    let suggest = llm_cost_in(
        Some(&dir.0),
        &["suggest", "-", "--format", "json"],
        Some(SPEC),
    );
    let by_file = llm_cost_in(
        Some(&dir.0),
        &["suggest", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(suggest.code, 0, "{}", suggest.stderr);
    let without_command = |run: &Run| {
        let mut items = run.json()["suggestions"].clone();
        for item in items.as_array_mut().unwrap() {
            let command = item["command"].as_str().unwrap().to_string();
            assert!(!command.contains("<stdin>"), "{command}");
            item["command"] = serde_json::Value::Null;
        }
        items
    };
    assert_eq!(without_command(&suggest), without_command(&by_file));
    assert!(
        !suggest.json()["suggestions"].as_array().unwrap().is_empty(),
        "{}",
        suggest.stdout
    );
}
