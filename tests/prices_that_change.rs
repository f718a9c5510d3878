//! Dated price schedules, service tiers, regions and fast mode, as a user
//! meets them: a spec, the binary, its figures, its warnings and its exit
//! codes.

mod common;
use common::*;

fn spec(model: &str, extra: &str, call_extra: &str) -> String {
    format!(
        "feature: f\nmodel: {model}\n{extra}calls:\n  - name: a\n    messages: [{{ role: user, tokens: 1000000 }}]\n    output_tokens: 0\n    reasoning_tokens: 0\n{call_extra}traffic: {{ requests_per_day: 1 }}\n"
    )
}

fn estimate(s: &Scratch, args: &[&str]) -> Run {
    let mut all = vec!["estimate", "spec.yaml"];
    all.extend_from_slice(args);
    llm_cost_in(Some(&s.0), &all, None)
}

/// gemini-3.6-flash doubles on 2027-01-01: priced on 2027-01-02 a run of
/// 1,000,000 input tokens (the role adds 7) costs 1,000,007 · $1.50/M =
/// $1.5000105; today it costs half, and warns of the change with the
/// monthly figures (30 days · $0.75000525 = $22.50, then $45.00).
#[test]
fn a_scheduled_change_prices_from_its_day_and_is_warned_of() {
    let s = Scratch::new("dated-prices");
    s.write("spec.yaml", &spec("gemini-3.6-flash", "", ""));
    let later = estimate(&s, &["--as-of", "2027-01-02", "--format", "json"]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    let doc = later.json();
    assert_eq!(doc["priced_on"], "2027-01-02");
    assert_eq!(doc["cost_per_request"], "1.5000105");
    let now = estimate(&s, &["--as-of", "2026-12-04", "--format", "json"]);
    assert_eq!(now.json()["cost_per_request"], "0.75000525");
    assert!(
        now.stderr.contains(
            "warning: gemini-3.6-flash: prices double on 2027-01-01; monthly spend $22.50 → $45.00"
        ),
        "{}",
        now.stderr
    );
    let note = &now.json()["notes"][0];
    assert_eq!(note["kind"], "price_change");
    assert_eq!(note["from"], "2027-01-01");
    // 90 days ahead and no further: from 2026-10-01 the change is 92 days off.
    let early = estimate(&s, &["--as-of", "2026-10-01"]);
    assert!(!early.stderr.contains("prices double"), "{}", early.stderr);
    // With --github the warning is an annotation.
    let gh = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--github", "--as-of", "2026-12-04"],
        None,
    );
    let annotations = format!("{}{}", gh.stdout, gh.stderr);
    assert!(
        annotations
            .lines()
            .any(|l| l.starts_with("::warning file=spec.yaml")
                && l.contains("gemini-3.6-flash: prices double on 2027-01-01")),
        "{annotations}"
    );
    // `models NAME` lists the schedule.
    let m = llm_cost(&["models", "gemini-3.6-flash"]);
    assert!(
        m.stdout.contains("from 2027-01-01")
            && m.stdout.contains("input $1.5 · cached $0.15 · output $7.5"),
        "{}",
        m.stdout
    );
}

/// gpt-5.4-mini per 1M input: standard $0.75, flex $0.375, priority $1.50;
/// in the EU ×1.1. 100,007 input tokens (its window is 272,000) at
/// priority in the EU: 100,007 · 1.5 · 1.1 / 10⁶ = $0.16501155; at flex,
/// globally: 100,007 · 0.375 / 10⁶ = $0.037502625.
#[test]
fn service_tier_and_region_are_billed_and_shown() {
    let s = Scratch::new("tiers-regions");
    s.write(
        "spec.yaml",
        &spec("gpt-5.4-mini", "service_tier: priority\nregion: eu\n", "")
            .replace("1000000", "100000"),
    );
    let run = estimate(&s, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["cost_per_request"], "0.16501155");
    let call = &doc["calls"][0];
    assert_eq!(call["service_tier"], "priority");
    assert_eq!(call["region"], "eu");
    assert_eq!(call["rates"]["input"], "1.65");
    let table = estimate(&s, &[]);
    assert!(
        table.stdout.contains(" a (priority · eu) "),
        "{}",
        table.stdout
    );
    // A call's own tier wins over the spec's.
    s.write(
        "spec.yaml",
        &spec(
            "gpt-5.4-mini",
            "service_tier: priority\n",
            "    service_tier: flex\n",
        )
        .replace("1000000", "100000"),
    );
    assert_eq!(
        estimate(&s, &["--format", "json"]).json()["cost_per_request"],
        "0.037502625"
    );
}

#[test]
fn what_cannot_be_priced_exits_2_with_the_valid_values() {
    let s = Scratch::new("tiers-bad");
    let cases = [
        (
            spec("gpt-4o", "service_tier: flex\n", ""),
            "`gpt-4o` is not offered at the `flex` service tier",
            "`gpt-4o` is offered at: standard, priority",
        ),
        (
            spec("gpt-5.4-mini", "service_tier: turbo\n", ""),
            "spec.yaml:3:15: error: unknown service_tier `turbo`",
            "`service_tier` is one of: standard, flex, priority",
        ),
        (
            spec("gpt-5.4-mini", "region: mars\n", ""),
            "unknown region `mars`",
            "`region` is one of: global, us, eu",
        ),
        (
            spec("gpt-5.4-mini", "speed: ludicrous\n", ""),
            "unknown speed `ludicrous`",
            "`speed` is one of: standard, fast",
        ),
        (
            spec("gpt-5.4-mini", "service_tier: flex\n", "    batch: true\n"),
            "`batch: true` and `service_tier: flex` conflict",
            "drop `batch`",
        ),
        (
            spec("claude-opus-5", "speed: fast\n", "    batch: true\n"),
            "`batch: true` and `speed: fast` conflict",
            "drop `batch`",
        ),
        (
            spec("gpt-4o", "speed: fast\n", ""),
            "`gpt-4o` has no fast mode",
            "pick a model that offers it",
        ),
    ];
    for (text, message, help) in cases {
        s.write("spec.yaml", &text);
        let run = estimate(&s, &[]);
        assert_eq!(run.code, 2, "{text}\n{}", run.stderr);
        assert!(run.stderr.contains(message), "{message}\n{}", run.stderr);
        assert!(run.stderr.contains(help), "{help}\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    // A date that is not one.
    s.write("spec.yaml", &spec("gpt-5.4-mini", "", ""));
    let run = estimate(&s, &["--as-of", "2027-02-30"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not a date"), "{}", run.stderr);
}

/// A user pricing file with a schedule: before its first priced day the
/// model has no price (exit 2, naming that day); changes out of date
/// order are refused at their line.
#[test]
fn a_pricing_files_schedule_is_checked() {
    let s = Scratch::new("schedule-file");
    s.write(
        "acme.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-1:\n    tokenizer: o200k_base\n    since: 2026-06-01\n    input: 1\n    output: 2\n    schedule:\n      - { from: 2027-03-01, input: 2, output: 4 }\n",
    );
    s.write("spec.yaml", &spec("acme-1", "", ""));
    let early = estimate(&s, &["--pricing", "acme.yaml", "--as-of", "2026-05-31"]);
    assert_eq!(early.code, 2, "{}", early.stderr);
    assert!(
        early
            .stderr
            .contains("`acme-1` has no price on 2026-05-31: its first priced date is 2026-06-01"),
        "{}",
        early.stderr
    );
    // 1,000,007 input tokens at $2/M from 2027-03-01: $2.000014.
    let late = estimate(
        &s,
        &[
            "--pricing",
            "acme.yaml",
            "--as-of",
            "2027-03-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(late.json()["cost_per_request"], "2.000014");
    s.write(
        "bad.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-1:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n    schedule:\n      - { from: 2027-03-01, input: 2, output: 4 }\n      - { from: 2027-01-01, input: 3, output: 6 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["pricing", "check", "bad.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("bad.yaml:11:17: error: `schedule[1].from` of `acme-1` is 2027-01-01, not after 2027-03-01"),
        "{}",
        run.stdout
    );
}

/// The growth projection prices each month on its first day: from
/// 2026-11-27 month 3 is January 2027, after gemini-3.6-flash doubles.
/// Month 1: 30 requests · 1,000,007 tokens · $0.75/M = $22.5001575;
/// month 2: ×1.1 = $24.75017325; month 3: ×1.1 again and ×2 for the
/// new prices = $54.45038115.
#[test]
fn the_growth_projection_prices_each_month_on_its_date() {
    let s = Scratch::new("dated-growth");
    s.write(
        "spec.yaml",
        &spec("gemini-3.6-flash", "", "").replace(
            "requests_per_day: 1 }",
            "requests_per_day: 1, growth_per_month: 0.1 }",
        ),
    );
    let run = estimate(
        &s,
        &["--as-of", "2026-11-27", "--months", "3", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let months = &run.json()["projection"]["months"];
    let spend: Vec<&str> = (0..3)
        .map(|i| months[i]["cost_per_month"].as_str().unwrap())
        .collect();
    assert_eq!(spend, ["22.5001575", "24.75017325", "54.45038115"]);
}

/// `suggest` offers flex for a call nobody waits for when the batch API
/// cannot take it: acme-1 has flex prices (half) and no batch ones, so the
/// async call's 1,000 requests a day of 1,007 input at $1/M and 500 output
/// at $4/M ($0.003007 a request, $90.21 a month) save half at flex.
#[test]
fn suggest_offers_flex_for_an_async_call_that_cannot_batch() {
    let s = Scratch::new("suggest-flex");
    s.write(
        "acme.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-1:\n    tokenizer: o200k_base\n    input: 1\n    output: 4\n    flex: { input: 0.5, output: 2 }\n",
    );
    s.write(
        "spec.yaml",
        "feature: f\nmodel: acme-1\ncalls:\n  - name: nightly\n    latency: async\n    messages: [{ role: user, tokens: 1000 }]\n    output_tokens: 500\ntraffic: { requests_per_day: 1000 }\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["suggest", "spec.yaml", "--pricing", "acme.yaml"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("1. serve `nightly` at the flex tier (it is `latency: async`) — saves $45.10/month (50.0%)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--set calls.nightly.service_tier=flex"),
        "{}",
        run.stdout
    );
}

/// A cached prefix reaches into a message up to its first varying token.
/// Message 1 is `{ tokens: 2000 }`: 3 framing + 1 role + 2,000 = 2,004.
/// Message 2 is "   The class to which a class instance belongs.{{t}}",
/// `t` per request: its framing before the content (3 + 1 − the end
/// token = 3) and the text before `{{t}}` (10 tokens in o200k_base, from
/// tests/fixtures/tokens.jsonl's 026-prose) but its last token, which may
/// merge with what follows: 3 + 9 = 12. Prefix 2,004 + 12 = 2,016; on
/// gpt-5.4-mini's automatic cache (1,024 and 128-token steps) a hit reads
/// 1,024 + 7·128 = 1,920. Anthropic caches to a breakpoint between
/// blocks, so there the 12 are what a split would add.
#[test]
fn the_cached_prefix_reaches_into_a_message_up_to_what_varies() {
    let s = Scratch::new("prefix-in-message");
    let text = |model: &str| {
        format!(
            "feature: f\nmodel: {model}\ncalls:\n  - name: a\n    messages:\n      - {{ role: system, tokens: 2000 }}\n      - {{ role: system, text: \"   The class to which a class instance belongs.{{{{t}}}}\" }}\n      - {{ role: user, text: hi }}\n    variables:\n      t: {{ text: ticket, per_request: true }}\n    cache: {{ prefix: system, hit_rate: 1 }}\n    output_tokens: 10\ntraffic: {{ requests_per_day: 1 }}\n"
        )
    };
    s.write("spec.yaml", &text("gpt-5.4-mini"));
    let run = estimate(&s, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("the cached prefix stops before `{{t}}`, which differs on every request; only the 2016 tokens before it can be a cache hit"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["calls"][0]["cached_input_tokens"], 1920);
    s.write("spec.yaml", &text("claude-sonnet-4-6"));
    let run = estimate(&s, &[]);
    assert!(
        run.stderr.contains("only the 2004 tokens before it can be a cache hit; a cache breakpoint just before `{{t}}` (its message split there) would cache 12 more"),
        "{}",
        run.stderr
    );
}

/// `reconcile` bills each record at the prices of its own day: 1,000,000
/// input tokens of gemini-3.6-flash on 2026-12-31 cost $0.75, the same on
/// 2027-01-02 (after it doubles) $1.50; $2.25 over two runs is $1.125 a
/// run, where pricing both on one day would give $0.75 or $1.50.
#[test]
fn reconcile_prices_each_record_on_its_own_day() {
    let s = Scratch::new("dated-reconcile");
    s.write("spec.yaml", &spec("gemini-3.6-flash", "", ""));
    let record = |at: u64| {
        format!(
            "{{\"model\":\"gemini-3.6-flash\",\"created\":{at},\"usage\":{{\"prompt_tokens\":1000000,\"completion_tokens\":0}}}}\n"
        )
    };
    s.write(
        "usage.jsonl",
        &format!("{}{}", record(1_798_718_400), record(1_798_891_200)),
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
            "--today",
            "2027-01-05",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let call = &run.json()["calls"][0];
    assert_eq!(call["cost_per_run"]["observed"], "1.125", "{call}");
}

/// `reconcile` bills a record at the tier it was served at, and names the
/// share served at another tier than the spec's as a drift cause. 100,000
/// input tokens of gpt-5.4-mini cost $0.075 at standard and $0.15 at
/// priority: 7 standard + 3 priority = $0.525 + $0.45 = $0.975, $0.0975 a
/// run.
#[test]
fn reconcile_bills_the_tier_each_record_was_served_at() {
    let s = Scratch::new("served-tier");
    s.write(
        "spec.yaml",
        &spec("gpt-5.4-mini", "", "").replace("1000000", "100000"),
    );
    let record = |tier: &str| {
        format!(
            "{{\"model\":\"gpt-5.4-mini\",\"service_tier\":\"{tier}\",\"usage\":{{\"prompt_tokens\":100000,\"completion_tokens\":0}}}}\n"
        )
    };
    let log: String = (0..10)
        .map(|i| record(if i < 3 { "priority" } else { "default" }))
        .collect();
    s.write("usage.jsonl", &log);
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
    let doc = run.json();
    assert_eq!(
        doc["calls"][0]["cost_per_run"]["observed"], "0.0975",
        "{doc}"
    );
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("call `a`: 30% of records served at priority (the spec says standard)"),
        "{notes}"
    );
}
