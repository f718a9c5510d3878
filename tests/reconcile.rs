//! `reconcile` and `check --actuals`: production usage held against the
//! spec. Every expected figure is worked out by hand from the records
//! written here and gpt-4o-mini's prices ($0.15 in, $0.075 cached, $0.60
//! out per 1M).

mod common;

use common::*;

/// One call, a 993-token question: P = 993 + 4 framing + 3 priming = 1,000
/// tokens, 100 out: 1,000·0.15 + 100·0.60 = 210 → $0.00021 a run.
const SPEC: &str = "feature: Answers\nmodel: gpt-4o-mini\ncalls:\n  - name: answer\n    messages: [{ role: user, text: \"{{q}}\" }]\n    variables: { q: { tokens: 993 } }\n    output_tokens: 100\ntraffic: { requests_per_day: 1000 }\n";

const DAY: u64 = 86_400;
const T0: u64 = 1_764_201_600; // 2026-11-27T00:00:00Z

fn chat(model: &str, request: &str, at: u64, prompt: u64, cached: u64, completion: u64) -> String {
    format!(
        "{{\"id\":\"x\",\"model\":\"{model}\",\"created\":{at},\"metadata\":{{\"call\":\"answer\",\"request\":\"{request}\"}},\"usage\":{{\"prompt_tokens\":{prompt},\"completion_tokens\":{completion},\"prompt_tokens_details\":{{\"cached_tokens\":{cached}}}}}}}\n"
    )
}

/// Four requests over two days. Three are 1,000 in / 100 out ($0.00021
/// each); one is 2,000 in of which 1,024 cached, 300 out:
/// (2,000 − 1,024)·0.15 + 1,024·0.075 + 300·0.60 = 146.4 + 76.8 + 180
/// = 403.2 → $0.0004032. Total $0.0010332; $0.0002583 a run.
fn scratch(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("spec.yaml", SPEC);
    let mut log = String::new();
    log.push_str(&chat("gpt-4o-mini-2024-07-18", "r1", T0, 1000, 0, 100));
    log.push_str(&chat("gpt-4o-mini", "r2", T0 + 3600, 1000, 0, 100));
    log.push_str(&chat("gpt-4o-mini", "r3", T0 + DAY, 2000, 1024, 300));
    log.push_str(&chat("gpt-4o-mini", "r4", T0 + 2 * DAY, 1000, 0, 100));
    log.push_str("not json\n");
    log.push_str("{\"model\":\"no-such-model-7\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n");
    s.write("usage.jsonl", &log);
    s
}

fn reconcile(s: &Scratch, extra: &[&str]) -> Run {
    let mut args = vec![
        "reconcile",
        "spec.yaml",
        "--usage",
        "usage.jsonl",
        "--call-field",
        "metadata.call",
        "--request-field",
        "metadata.request",
    ];
    args.extend_from_slice(extra);
    llm_cost_in(Some(&s.0), &args, None)
}

#[test]
fn each_figure_beside_the_spec_with_its_drift() {
    let s = scratch("reconcile-figures");
    let run = reconcile(&s, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        doc["records"], 5,
        "four records and one of an unknown model"
    );
    assert_eq!(doc["skipped_lines"], 1);
    let call = &doc["calls"][0];
    assert_eq!(
        (call["runs"].as_u64(), call["requests"].as_u64()),
        (Some(4), Some(4))
    );
    // input mean (1,000·3 + 2,000) / 4 = 1,250: +25% on the spec's 1,000
    assert_eq!(dec(&call["input_tokens"]["observed"]), d("1250"));
    assert_eq!(dec(&call["input_tokens"]["drift"]), d("0.25"));
    // cached 1,024 / 4 = 256; output 600 / 4 = 150, p95 the 4th of 4: 300
    assert_eq!(dec(&call["cached_input_tokens"]["observed"]), d("256"));
    assert_eq!(dec(&call["output_tokens"]["observed"]), d("150"));
    assert_eq!(dec(&call["output_tokens_p95"]["observed"]), d("300"));
    // one run of four read from the cache: a 25% hit rate (the spec caches
    // nothing, so there is no prediction to drift from)
    assert_eq!(dec(&call["cache_hit_rate"]["observed"]), d("0.25"));
    assert_eq!(call["cache_hit_rate"]["predicted"], serde_json::Value::Null);
    // $0.0010332 / 4 runs = $0.0002583, +23% on $0.00021
    assert_eq!(dec(&call["cost_per_run"]["observed"]), d("0.0002583"));
    assert_eq!(dec(&call["cost_per_run"]["drift"]), d("0.23"));
    // Two days of records: $0.0010332 / 2 = $0.0005166 a day, × 30 a month
    assert_eq!(dec(&doc["span_days"]), d("2"));
    assert_eq!(dec(&doc["cost_per_day"]["observed"]), d("0.0005166"));
    assert_eq!(dec(&doc["cost_per_month"]["observed"]), d("0.015498"));
    assert_eq!(dec(&doc["cost_per_month"]["predicted"]), d("6.3")); // 0.00021 × 1000 × 30
    // The unknown model is listed and counted, never priced at $0.
    let unknown = &doc["unattributed"][0];
    assert_eq!(unknown["model"], "no-such-model-7");
    assert_eq!(unknown["cost"], serde_json::Value::Null);
}

#[test]
fn the_calibrating_sets_reproduce_production_with_estimate() {
    let s = scratch("reconcile-calibrate");
    let doc = reconcile(&s, &["--format", "json"]).json();
    let sets: Vec<(String, String)> = doc["calibration"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // output 150 on average, p95 300; the question grows by 250 tokens;
    // four requests over two days is two a day.
    assert!(
        sets.contains(&(
            "calls.answer.output_tokens".into(),
            "{mean: 150, p95: 300}".into()
        )),
        "{sets:?}"
    );
    assert!(
        sets.contains(&("calls.answer.variables.q".into(), "{tokens: 1243}".into())),
        "{sets:?}"
    );
    assert!(
        sets.contains(&("traffic.requests_per_day".into(), "2".into())),
        "{sets:?}"
    );
    let mut args = vec!["estimate".to_string(), "spec.yaml".into()];
    for (path, value) in &sets {
        args.push("--set".into());
        args.push(format!("{path}={value}"));
    }
    args.extend(["--format".into(), "json".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let calibrated = llm_cost_in(Some(&s.0), &argv, None);
    assert_eq!(calibrated.code, 0, "{}", calibrated.stderr);
    let c = &calibrated.json()["calls"][0];
    assert_eq!(dec(&c["input_tokens"]), d("1250"));
    assert_eq!(dec(&c["output_tokens"]), d("150"));
    // The printed command carries the same sets.
    let table = reconcile(&s, &[]);
    assert!(
        table.stdout.contains("llm-cost estimate spec.yaml --set"),
        "{}",
        table.stdout
    );
}

#[test]
fn every_format_and_the_ci_gate() {
    let s = scratch("reconcile-formats-gate");
    for format in ["table", "markdown", "csv"] {
        let run = reconcile(&s, &["--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("answer"), "{format}: {}", run.stdout);
    }
    let md = reconcile(&s, &["--format", "markdown"]).stdout;
    assert_valid_tables(&md);
    // Production runs at $0.0002583 a request where the spec says $0.00021
    // (+23%), but at 2 requests a day, not 1,000: the month is far below
    // the spec's. --max-drift judges the month, the cost per request and
    // each call's cost per request, and names the one that broke.
    let gate_as = |limit: &str, extra: &[&str]| {
        let mut args = vec![
            "check",
            "spec.yaml",
            "--actuals",
            "usage.jsonl",
            "--max-drift",
            limit,
            "--call-field",
            "metadata.call",
            "--request-field",
            "metadata.request",
        ];
        args.extend_from_slice(extra);
        llm_cost_in(Some(&s.0), &args, None)
    };
    let gate = |limit: &str| gate_as(limit, &[]);
    // The log's record on a model the catalog does not know has no price:
    // counted as $0 it would pull the drift down, so the gate fails on it
    // and names it (R12). Without that record the figures are judged.
    let failed = gate("25%");
    assert_eq!(failed.code, 1, "{}", failed.stdout);
    assert!(
        failed.stdout.contains("cannot be judged: production ran on models the catalog does not price (no-such-model-7)"),
        "{}",
        failed.stdout
    );
    let log = std::fs::read_to_string(s.0.join("usage.jsonl")).unwrap();
    let known: String = log
        .lines()
        .filter(|l| !l.contains("no-such-model-7"))
        .map(|l| format!("{l}\n"))
        .collect();
    s.write("usage.jsonl", &known);
    let kept = gate("25%");
    assert_eq!(kept.code, 0, "{}{}", kept.stdout, kept.stderr);
    for figure in [
        "monthly spend",
        "cost per request",
        "call `answer` cost per request",
    ] {
        assert!(
            kept.stdout
                .contains(&format!("✓ {figure} in production vs the spec")),
            "{figure}: {}",
            kept.stdout
        );
    }
    // 20%: the month is still far below, but each request costs 23% more.
    let per_request = gate("20%");
    assert_eq!(per_request.code, 1, "{}", per_request.stdout);
    assert!(
        per_request
            .stdout
            .contains("✗ cost per request in production vs the spec +23.0% > +20.0%"),
        "{}",
        per_request.stdout
    );
    assert!(
        per_request
            .stdout
            .contains("✓ monthly spend in production vs the spec −"),
        "{}",
        per_request.stdout
    );
    // At the spec's traffic the same records run ahead: a spec of 2 requests
    // a day predicts $0.0126 a month; production's $0.015498 is +23%.
    s.write(
        "spec.yaml",
        &SPEC.replace("requests_per_day: 1000", "requests_per_day: 2"),
    );
    assert_eq!(gate("25%").code, 0);
    let broken = gate("20%");
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken
            .stdout
            .contains("✗ monthly spend in production vs the spec +23.0% > +20.0%"),
        "{}",
        broken.stdout
    );
    let json = gate_as("20%", &["--format", "json"]).json();
    let figures: Vec<String> = json["estimates"][0]["budget"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "max_drift")
        .map(|v| v["figure"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        figures,
        [
            "monthly spend",
            "cost per request",
            "call `answer` cost per request"
        ],
        "{json}"
    );
}

#[test]
fn traces_exports_and_the_aggregate_csv() {
    let s = Scratch::new("reconcile-formats");
    s.write("spec.yaml", SPEC);
    // OTLP JSON: one span, input 1,000 (cached included), 100 out; its
    // trace is its request. Same as the spec: no drift.
    s.write(
        "traces.json",
        &format!(
            "{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{{\"traceId\":\"t1\",\"name\":\"chat\",\"startTimeUnixNano\":\"{}000000000\",\"attributes\":[{{\"key\":\"gen_ai.request.model\",\"value\":{{\"stringValue\":\"gpt-4o-mini\"}}}},{{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{{\"intValue\":\"1000\"}}}},{{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{{\"intValue\":\"100\"}}}}]}}]}}]}}]}}",
            T0
        ),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "reconcile",
            "spec.yaml",
            "--usage",
            "traces.json",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let call = &run.json()["calls"][0];
    assert_eq!(dec(&call["cost_per_run"]["observed"]), d("0.00021"));
    assert_eq!(dec(&call["cost_per_run"]["drift"]), d("0"));
    // OpenAI's organization usage export: 10 requests' sums in one row.
    // 12,000 in of which 2,048 cached, 1,500 out:
    // (12,000 − 2,048)·0.15 + 2,048·0.075 + 1,500·0.60 = 1,492.8 + 153.6 + 900
    // = 2,546.4 → $0.0025464, $0.00025464 a run.
    s.write(
        "export.json",
        &format!("{{\"object\":\"page\",\"data\":[{{\"start_time\":{T0},\"results\":[{{\"model\":\"gpt-4o-mini-2024-07-18\",\"input_tokens\":12000,\"input_cached_tokens\":2048,\"output_tokens\":1500,\"num_model_requests\":10,\"batch\":false}}]}}]}}"),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "reconcile",
            "spec.yaml",
            "--usage",
            "export.json",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        dec(&doc["calls"][0]["cost_per_run"]["observed"]),
        d("0.00025464")
    );
    assert_eq!(doc["calls"][0]["approximate_p95"], true);
    assert!(
        doc["notes"].to_string().contains("from usage sums"),
        "{}",
        doc["notes"]
    );
    // The aggregate CSV a warehouse query produces: the same sums.
    s.write(
        "agg.csv",
        "call,model,runs,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,output_tokens_p95\nanswer,gpt-4o-mini,10,10,12000,2048,0,1500,0,400\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "reconcile",
            "spec.yaml",
            "--usage",
            "agg.csv",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let call = &run.json()["calls"][0];
    assert_eq!(dec(&call["cost_per_run"]["observed"]), d("0.00025464"));
    assert_eq!(dec(&call["output_tokens_p95"]["observed"]), d("400"));
    assert_eq!(call["requests"], 10);
    // A CSV without its columns says which.
    s.write("bad.csv", "call,model\nanswer,gpt-4o-mini\n");
    let bad = llm_cost_in(
        Some(&s.0),
        &["reconcile", "spec.yaml", "--usage", "bad.csv"],
        None,
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("has no `runs` column"),
        "{}",
        bad.stderr
    );
}

#[test]
fn anthropic_records_bill_one_hour_cache_writes_at_their_price() {
    // claude-sonnet-4-6: $3 in, $3.75 5-minute write, $6 1-hour write, $15
    // out. input_tokens are the uncached 100; 1,000 written with the 1-hour
    // TTL: 100·3 + 1,000·6 + 10·15 = 300 + 6,000 + 150 = 6,450 → $0.00645.
    let s = Scratch::new("reconcile-anthropic");
    s.write(
        "spec.yaml",
        &SPEC.replace("gpt-4o-mini", "claude-sonnet-4-6"),
    );
    s.write(
        "usage.jsonl",
        "{\"model\":\"claude-sonnet-4-6\",\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":1000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":1000},\"cache_read_input_tokens\":0,\"output_tokens\":10}}\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "reconcile",
            "spec.yaml",
            "--usage",
            "usage.jsonl",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let call = &run.json()["calls"][0];
    assert_eq!(dec(&call["input_tokens"]["observed"]), d("1100"));
    assert_eq!(dec(&call["cache_write_tokens"]["observed"]), d("1000"));
    assert_eq!(dec(&call["cost_per_run"]["observed"]), d("0.00645"));
}

/// What a hostile usage log cannot do: a record dated 1970 (or year 9999,
/// or ±1e18 seconds) or with a token count that is no count is an error at
/// its line, not a stretched span or a silent 0; a FIFO is refused before
/// it is opened; a line past 16 MB is skipped without being held; a CSV
/// sum of 2^64 − 1 is refused at its row.
#[cfg(unix)]
#[test]
fn hostile_usage_logs_are_refused_at_their_line() {
    let s = Scratch::new("reconcile-hostile");
    s.write("spec.yaml", SPEC);
    let run = |s: &Scratch, file: &str, extra: &[&str]| {
        let mut args = vec!["reconcile", "spec.yaml", "--usage", file];
        args.extend_from_slice(extra);
        llm_cost_in(Some(&s.0), &args, None)
    };
    let good = chat("gpt-4o-mini", "r1", T0, 1000, 0, 100);
    for (bad, why) in [
        (chat("gpt-4o-mini", "r2", 0, 1000, 0, 100), "before 2020"),
        (
            chat("gpt-4o-mini", "r2", 253_402_300_799, 1000, 0, 100),
            "in the future",
        ),
        (
            good.replace(&format!("\"created\":{T0}"), "\"created\":-1e18"),
            "before 2020",
        ),
        (
            good.replace("\"prompt_tokens\":1000", "\"prompt_tokens\":-5"),
            "not a token count",
        ),
        (
            good.replace("\"prompt_tokens\":1000", "\"prompt_tokens\":1e400"),
            "not a token count",
        ),
        (
            good.replace("\"prompt_tokens\":1000", "\"prompt_tokens\":\"NaN\""),
            "not a token count",
        ),
        (
            good.replace(
                "\"prompt_tokens\":1000",
                "\"prompt_tokens\":18446744073709551615",
            ),
            "not a token count",
        ),
    ] {
        s.write("usage.jsonl", &format!("{good}{good}{bad}"));
        let r = run(&s, "usage.jsonl", &[]);
        assert_eq!(r.code, 2, "{why}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr
                .contains("usage.jsonl: error: line 3: a usage record that cannot be counted"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(why), "{why}: {}", r.stderr);
    }
    // An ISO time with an offset is read with it: 12:00+02:00 is 10:00Z.
    let iso = |t: &str| {
        good.replace(
            &format!("\"created\":{T0}"),
            &format!("\"created\":\"{t}\""),
        )
    };
    s.write(
        "usage.jsonl",
        &format!(
            "{}{}",
            iso("2026-11-27T12:00:00+02:00"),
            iso("2026-11-27T11:00:00Z")
        ),
    );
    let r = run(&s, "usage.jsonl", &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // One hour apart (10:00Z and 11:00Z), not one hour the other way or two.
    let hours = dec(&r.json()["span_days"]) * d("24");
    assert!((hours - d("1")).abs() < d("0.001"), "{hours} hours");

    // A FIFO is refused at once, not waited on.
    let fifo = s.0.join("usage.fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|m| m.success())
    {
        let r = run(&s, "usage.fifo", &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    }
    // A 20 MB line with no newline is skipped; the record after it counts.
    let mut long = good.clone();
    long.push_str(&"x".repeat(20 << 20));
    long.push('\n');
    long.push_str(&good);
    s.write("usage.jsonl", &long);
    let r = run(&s, "usage.jsonl", &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["records"], 2, "{}", r.stdout);
    // A file with no newline at all is one document, refused by its size
    // before it is read.
    s.write("usage.jsonl", &"x".repeat(20 << 20));
    let r = run(&s, "usage.jsonl", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 12 MB"), "{}", r.stderr);
    // An aggregate CSV sum of 2^64 − 1 is refused at its row.
    s.write(
        "usage.csv",
        "call,model,runs,input_tokens,output_tokens\nanswer,gpt-4o-mini,1,18446744073709551615,10\n",
    );
    let r = run(&s, "usage.csv", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("row 2: `input_tokens`"), "{}", r.stderr);
}
