//! Small hostile files cannot stall, exhaust or crash llm-cost: each is
//! refused with exit 2 and a located message that names the limit (or, where
//! the input is legal, handled). Their time and memory are measured by
//! `scripts/hostile.sh`, not here: a timed test is a flaky test.

mod common;

use common::*;

const HEAD: &str = "feature: f\nmodel: gpt-4o-mini\n";
const TAIL: &str = "traffic: { requests_per_day: 1 }\n";

fn spec_with_file(s: &Scratch, prompt_file: &str) {
    s.write(
        "spec.yaml",
        &format!(
            "{HEAD}calls:\n  - name: c\n    messages: [{{ role: user, file: {prompt_file} }}]\n    output_tokens: 1\n{TAIL}"
        ),
    );
}

fn estimate(s: &Scratch, extra: &[&str]) -> Run {
    let mut args = vec!["estimate", "spec.yaml"];
    args.extend_from_slice(extra);
    llm_cost_in(Some(&s.0), &args, None)
}

#[test]
fn a_yaml_alias_bomb_is_refused_before_it_expands() {
    // A 1 MB string aliased 5,000 times is 5 GB once expanded.
    let s = Scratch::new("alias-bomb");
    let aliases = vec!["*a"; 5000].join(", ");
    s.write(
        "spec.yaml",
        &format!(
            "{HEAD}v: &a \"{}\"\ncalls:\n  - name: c\n    messages: [{{ role: user, text: hi }}]\n    output_tokens: 1\n    tools: [{aliases}]\n{TAIL}",
            "x".repeat(1_000_000)
        ),
    );
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.yaml:3:")
            && run
                .stderr
                .contains("expands to more than 8 MB through YAML aliases"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_prompt_is_sized_before_its_variables_are_filled_in() {
    // 200,000 placeholders of a 1 MB file would be 200 GB.
    let s = Scratch::new("fill-bomb");
    s.write("p.md", &"{{x}}".repeat(200_000));
    s.write("x.txt", &"x".repeat(1_000_000));
    s.write(
        "spec.yaml",
        &format!(
            "{HEAD}calls:\n  - name: c\n    messages: [{{ role: user, file: p.md }}]\n    variables: {{ x: {{ file: x.txt }} }}\n    output_tokens: 1\n{TAIL}"
        ),
    );
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.yaml:5:36:")
            && run
                .stderr
                .contains("186 GB once its variables are filled in")
            && run.stderr.contains("16 MB limit"),
        "{}",
        run.stderr
    );
}

#[test]
fn whitespace_tiktoken_cannot_split_is_counted_as_an_estimate() {
    // 1,000 spaces used 1,000 times: a 1 MB run of whitespace, on which
    // tiktoken itself fails ("Max stack size exceeded for backtracking").
    let s = Scratch::new("spaces");
    s.write(
        "spec.yaml",
        &format!(
            "{HEAD}calls:\n  - name: c\n    messages: [{{ role: user, text: \"{}\" }}]\n    variables: {{ x: {{ text: \"{}\" }} }}\n    output_tokens: 1\n{TAIL}",
            "{{x}}".repeat(1000),
            " ".repeat(1000)
        ),
    );
    let run = estimate(&s, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["calls"][0]["tokens_estimated"], true);

    let run = llm_cost_stdin(
        &["count", "--encoding", "o200k_base", "--format", "json"],
        &" ".repeat(1_100_000),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["tokens_estimated"], true);
    assert!(
        run.stderr.contains("too long for tiktoken"),
        "{}",
        run.stderr
    );

    // Below that, counts stay exactly tiktoken's: 10,000 spaces are 79
    // o200k_base tokens in OpenAI's tiktoken (tests/fixtures/tokens.jsonl,
    // `188-edge`).
    let run = llm_cost_stdin(
        &["count", "--encoding", "o200k_base", "--format", "json"],
        &" ".repeat(10_000),
    );
    assert_eq!(run.json()["total"], 79, "{}", run.stdout);
    assert!(run.json().get("tokens_estimated").is_none());
}

#[test]
fn thousands_of_problems_are_counted_and_the_first_ones_located() {
    let s = Scratch::new("unknown-keys");
    let keys: String = (0..20_000).map(|i| format!("k{i}: 1\n")).collect();
    // 20,000 unknown keys, and `calls: []` (no calls) found beside them.
    s.write("spec.yaml", &format!("{HEAD}{keys}calls: []\n{TAIL}"));
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("spec.yaml:3:1: error: unknown field `k0`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("20001 errors; the first 20 are shown"),
        "{}",
        run.stderr.lines().last().unwrap_or_default()
    );
    assert!(run.stderr.lines().count() < 100);
}

#[test]
fn a_megabyte_of_open_braces_is_read_in_one_pass() {
    let s = Scratch::new("braces");
    s.write("p.md", &("{{".repeat(500_000) + "}}"));
    spec_with_file(&s, "p.md");
    let run = estimate(&s, &[]);
    assert_ne!(run.code, 101, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let s = Scratch::new("fifo");
    spec_with_file(&s, "p.md");
    let fifo = std::ffi::CString::new(s.path("p.md")).unwrap();
    // SAFETY: mkfifo is given a valid NUL-terminated path.
    assert_eq!(unsafe { libc_mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`p.md` is not a regular file"),
        "{}",
        run.stderr
    );

    // /dev/zero through a symlink, even with --allow-outside-files.
    let s = Scratch::new("dev-zero");
    spec_with_file(&s, "z.md");
    std::os::unix::fs::symlink("/dev/zero", s.0.join("z.md")).unwrap();
    let run = estimate(&s, &["--allow-outside-files"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`z.md` is not a regular file"),
        "{}",
        run.stderr
    );

    // A symlink loop is a loop, not a missing file.
    let s = Scratch::new("loop");
    spec_with_file(&s, "a.md");
    std::os::unix::fs::symlink(s.0.join("b.md"), s.0.join("a.md")).unwrap();
    std::os::unix::fs::symlink(s.0.join("a.md"), s.0.join("b.md")).unwrap();
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`a.md` is a symlink loop"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
unsafe extern "C" {
    #[link_name = "mkfifo"]
    fn libc_mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
}

#[test]
fn files_past_their_size_limit_are_refused_unread() {
    let s = Scratch::new("huge-spec");
    s.write(
        "spec.yaml",
        &format!("{HEAD}# {}\nunknwn: 1\n{TAIL}", "y".repeat(2_000_000)),
    );
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the spec is larger than 1 MB, the limit"),
        "{}",
        run.stderr
    );

    let s = Scratch::new("huge-prompt");
    s.write("p.md", &"z".repeat(9 << 20));
    spec_with_file(&s, "p.md");
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`p.md` is larger than 8 MB, the limit"),
        "{}",
        run.stderr
    );
}

#[test]
fn specs_in_other_encodings_say_which_and_where() {
    let s = Scratch::new("utf16");
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(HEAD.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(s.0.join("spec.yaml"), utf16).unwrap();
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the spec is UTF-16 text; save it as UTF-8"),
        "{}",
        run.stderr
    );

    let mut latin1 = format!("{HEAD}calls: []\n").into_bytes();
    latin1.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(s.0.join("spec.yaml"), latin1).unwrap();
    let run = estimate(&s, &[]);
    assert!(
        run.stderr
            .contains("is not UTF-8 text (the first bad byte is at line 4, column 6)"),
        "{}",
        run.stderr
    );
}

/// A spec inside every per-value bound whose products are not.
fn extreme(traffic: &str) -> String {
    format!(
        "feature: Extreme\nmodel: pricey\ncalls:\n  - name: a\n    messages: [{{ role: user, text: \"{{{{x}}}}\" }}]\n    variables: {{ x: {{ tokens: 1000000000 }} }}\n    output_tokens: 1000000000\n    calls_per_request: 1000000\ntraffic:\n{traffic}"
    )
}

const PRICEY: &str = "provider: x\nas_of: 2026-11-01\nsource: test\nmodels:\n  pricey:\n    tokenizer: o200k_base\n    input: 100000\n    output: 100000\n";

#[test]
fn overflow_is_an_error_at_the_value_never_a_panic() {
    let s = Scratch::new("overflow");
    s.write("prices.yaml", PRICEY);
    // $2 × 10¹⁴ a request (2·10⁹ tokens at $0.1 each, a million runs) times
    // 10²⁴ requests a day (a trillion users × a trillion each) is past 10²⁸.
    s.write(
        "spec.yaml",
        &extreme("  users: 1000000000000\n  requests_per_user_per_day: 1000000000000\n"),
    );
    let run = estimate(&s, &["--pricing", "prices.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.yaml:10:3: error: this traffic makes the monthly figures too large to compute exactly"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("internal error"));

    // Growth: 10⁶ requests a day, doubling every month for ten years.
    s.write(
        "spec.yaml",
        &extreme("  requests_per_day: 1000000\n  growth_per_month: 100%\n"),
    );
    let run = estimate(&s, &["--pricing", "prices.yaml", "--months", "120"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("spec.yaml:11:21: error: at this growth, month 25"),
        "{}",
        run.stderr
    );

    // A tier price is held to the same cap as every other price.
    s.write(
        "prices.yaml",
        &PRICEY.replace(
            "    output: 100000\n",
            "    output: 1\n    tiers:\n      - { above: 1, input: 100000000000000000000, output: 1 }\n",
        ),
    );
    let run = estimate(&s, &["--pricing", "prices.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("prices.yaml:10:")
            && run.stderr.contains("price `tiers[0].input` of `pricey`")
            && run.stderr.contains("over $100,000 per 1M tokens"),
        "{}",
        run.stderr
    );

    let run = estimate(&s, &["--scale", "traffic=1e27"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("more than a million times the traffic"),
        "{}",
        run.stderr
    );
}

#[test]
fn exact_figures_print_exactly() {
    // 100 requests a month at $0.018 each: $1.80 a month, and a day is
    // 1.80 / 30 = $0.06 exactly. Dividing first (100/30 = 3.333… requests a
    // day) printed 0.0599999999999999999999999999.
    let s = Scratch::new("exact");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages: [{ role: user, text: \"{{x}}\" }]\n    variables: { x: { tokens: 119993 } }\n    output_tokens: 0\ntraffic: { requests_per_month: 100 }\n",
    );
    let run = estimate(&s, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    // 119,993 + 7 framing = 120,000 tokens × $0.15/M = $0.018.
    assert_eq!(doc["cost_per_request"], "0.018");
    assert_eq!(doc["cost_per_month"], "1.8");
    assert_eq!(doc["cost_per_day"], "0.06");
}

#[test]
fn a_fixed_gpu_floor_does_not_grow_with_traffic() {
    // examples/self-hosted on its own model: one deployment costs $119.52 a
    // day whatever the traffic, and 4,000 requests a day use little of it,
    // so a month is 30 × 119.52 = $3,585.60 at 1×, 2× or 4× the traffic.
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/self-hosted/spec.yaml");
    let pricing = format!("{root}/examples/self-hosted/pricing.yaml");
    let base = [
        "estimate",
        &spec,
        "--pricing",
        &pricing,
        "--model",
        "acme/llama-3.3-70b",
        "--format",
        "json",
    ];
    let mut grow = base.to_vec();
    grow.extend(["--set", "traffic.growth_per_month=100%", "--months", "3"]);
    let run = llm_cost(&grow);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let months = run.json()["projection"]["months"].clone();
    let costs: Vec<&str> = months
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["cost_per_month"].as_str().unwrap())
        .collect();
    assert_eq!(
        costs,
        ["3585.6", "3585.6", "3585.6"],
        "was 7171.20 in month 2"
    );
    let mut doubled = base.to_vec();
    doubled.extend(["--scale", "traffic=2"]);
    assert_eq!(llm_cost(&doubled).json()["cost_per_month"], "3585.6");
}

#[test]
fn ten_thousand_undefined_placeholders_are_counted_not_each_located() {
    let s = Scratch::new("undefined-vars");
    let placeholders: String = (0..10_000).map(|i| format!("{{{{v{i}}}}}")).collect();
    s.write("p.md", &placeholders);
    spec_with_file(&s, "p.md");
    let run = estimate(&s, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("spec.yaml:5:36: error: the prompt file uses `{{v0}}`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("10000 errors; the first 20 are shown"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_saved_estimate_cannot_make_diff_overflow() {
    let s = Scratch::new("saved-extremes");
    s.write(
        "spec.yaml",
        &format!("{HEAD}calls:\n  - name: c\n    messages: [{{ role: user, text: hi }}]\n    output_tokens: 1\n{TAIL}"),
    );
    let saved = estimate(&s, &["--format", "json"]).stdout;
    let with = |cost: &str| {
        let doc: serde_json::Value = serde_json::from_str(&saved).unwrap();
        let mut doc = doc;
        doc["cost_per_month"] = serde_json::Value::String(cost.into());
        doc.to_string()
    };
    s.write("low.json", &with("-79000000000000000000000000000"));
    s.write("high.json", &with("79000000000000000000000000000"));
    let run = llm_cost_in(Some(&s.0), &["diff", "low.json", "high.json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("low.json: error: `cost_per_month` is"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("internal error"));
}

#[test]
fn gpu_figures_that_imply_an_absurd_price_are_refused_where_written() {
    let s = Scratch::new("gpu-bounds");
    s.write(
        "p.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: test\nmodels:\n  tiny:\n    tokenizer: { estimate: o200k_base }\n    self_hosted:\n      gpu: H100\n      gpu_hour: 4\n      tokens_per_second: { input: 0.0000001, output: 0.001 }\n      utilization: 0.5\n",
    );
    s.write("spec.yaml", &format!("feature: f\nmodel: tiny\ncalls:\n  - name: c\n    messages: [{{ role: user, text: hi }}]\n    output_tokens: 1\n{TAIL}"));
    let run = estimate(&s, &["--pricing", "p.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("p.yaml:10:") && run.stderr.contains("tokens_per_second"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_invalid_glob_says_so() {
    let s = Scratch::new("bad-glob");
    let run = llm_cost_in(Some(&s.0), &["check", "specs/[.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("not a valid pattern"), "{}", run.stdout);
}

#[test]
fn a_number_is_its_literal_in_the_spec_and_through_set() {
    // An f64 would read 19.999999999999999 as 20 and give a margin of
    // exactly 0.8 here; the literal gives (19.999999999999999 − 4) /
    // 19.999999999999999 = 0.79999999999999999… .
    let s = Scratch::new("literal");
    let spec = format!(
        "{HEAD}calls:\n  - name: c\n    messages: [{{ role: user, text: hi }}]\n    output_tokens: 0\ntraffic: {{ requests_per_day: 1 }}\neconomics:\n  users: 1\n  revenue_per_user_per_month: 19.999999999999999\n  other_cost_per_month: 4\n"
    );
    s.write("spec.yaml", &spec);
    for extra in [&[][..], &["--set", "traffic.requests_per_day=1"][..]] {
        let run = estimate(&s, &[&["--format", "json"][..], extra].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let before = run.json()["margin"]["before"].as_str().unwrap().to_string();
        assert!(
            before.starts_with("0.7999999999999999"),
            "{extra:?}: {before}"
        );
    }
    let run = estimate(
        &s,
        &[
            "--set",
            "economics.revenue_per_user_per_month=19.999999999999999",
            "--format",
            "json",
        ],
    );
    assert!(
        run.json()["margin"]["before"]
            .as_str()
            .unwrap()
            .starts_with("0.7999999999999999")
    );
}

/// Numbers that once overflowed the decimal arithmetic (and printed the
/// build machine's cargo registry path in an "internal error") are refused
/// at their place: revenue of 1e-28 or 1e-20 beside other costs of 1e15,
/// a self-hosted model of 1e20 per GPU-hour on 1e15 GPUs, a speed of 1e-27
/// tokens a second.
#[test]
fn numbers_that_would_overflow_are_refused_where_they_are_written() {
    let s = Scratch::new("overflow-inputs");
    let spec = |model: &str, economics: &str| {
        format!(
            "feature: f\nmodel: {model}\ncalls:\n  - name: a\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\ntraffic: {{ requests_per_day: 100 }}\n{economics}"
        )
    };
    let refused = |run: &Run, at: &str| {
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(at), "{at}: {}", run.stderr);
        assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
        assert!(
            !run.stderr.contains(".cargo"),
            "a build path: {}",
            run.stderr
        );
    };
    for economics in [
        "economics: { revenue_per_month: 1e-28 }\n",
        "economics: { revenue_per_month: 1e-20, other_cost_per_month: 1e15 }\n",
    ] {
        s.write("spec.yaml", &spec("gpt-5.4-mini", economics));
        let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
        refused(&run, "spec.yaml:8:");
    }
    s.write(
        "prices.yaml",
        "provider: acme\nas_of: 2026-11-20\nsource: s\nmodels:\n  acme/big:\n    tokenizer: { estimate: cl100k_base }\n    self_hosted:\n      gpu: H100\n      gpu_hour: 1e20\n      gpus: 1e15\n      tokens_per_second: { input: 1000, output: 100 }\n      utilization: 0.5\n  acme/slow:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n    latency: { ttft_ms: 500, output_tokens_per_second: 1e-27, source: s }\n",
    );
    s.write("spec.yaml", &spec("acme/big", ""));
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--pricing", "prices.yaml"],
        None,
    );
    refused(&run, "prices.yaml:9:");
    refused(&run, "prices.yaml:10:");
    assert!(
        run.stderr.contains("prices.yaml:17:"),
        "the speed: {}",
        run.stderr
    );
}

/// A near-megabyte unknown model name is not echoed whole (nor compared
/// against every catalog name: quadratic, 9.8 s before; measured, not
/// timed here).
#[test]
fn a_huge_unknown_model_name_is_cut_and_not_compared() {
    let s = Scratch::new("huge-model-name");
    let name = "m".repeat(900_000);
    s.write(
        "spec.yaml",
        &format!("feature: f\nmodel: {name}\ncalls:\n  - name: a\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\ntraffic: {{ requests_per_day: 100 }}\n"),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", &run.stderr[..run.stderr.len().min(500)]);
    assert!(
        run.stderr.len() < 2_000,
        "echoed: {} bytes",
        run.stderr.len()
    );
    assert!(run.stderr.contains("unknown model `mmm"), "{}", run.stderr);
}

/// A file outside the repository is refused with the same words whether
/// it exists or not: the message must not tell a stranger's spec which
/// files the CI machine has.
#[test]
fn outside_files_are_refused_alike_whether_they_exist_or_not() {
    let s = Scratch::new("outside-alike");
    std::fs::create_dir_all(s.0.join(".git")).unwrap();
    let spec = |file: &str| {
        format!(
            "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{{ role: user, file: \"{file}\" }}]\n    output_tokens: 10\ntraffic: {{ requests_per_day: 1 }}\n"
        )
    };
    let mut said = Vec::new();
    for file in [
        "../../../../../../etc/hostname",
        "../../../../../../etc/no-such-file-xyz",
    ] {
        s.write("spec.yaml", &spec(file));
        let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("is outside the repository"),
            "{}",
            run.stderr
        );
        said.push(run.stderr.replace(file, "FILE"));
    }
    assert_eq!(said[0], said[1]);
}

/// Counts that once took seconds are bounded, each refusal naming its
/// limit: 201 calls, 101 scenarios, a samples glob over 10,001 files.
#[test]
fn calls_scenarios_and_samples_are_bounded() {
    let s = Scratch::new("counts-bounded");
    let calls: String = (0..201)
        .map(|i| format!("  - name: c{i}\n    messages: [{{ role: user, tokens: 10 }}]\n    output_tokens: 1\n"))
        .collect();
    s.write(
        "spec.yaml",
        &format!(
            "feature: f\nmodel: gpt-5.4-mini\ncalls:\n{calls}traffic: {{ requests_per_day: 1 }}\n"
        ),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("spec.yaml:4:3: error: the spec has 201 calls; at most 200"),
        "{}",
        run.stderr
    );

    let scenarios: String = (0..101)
        .map(|i| format!("  s{i}: {{ traffic.requests_per_day: {i} }}\n"))
        .collect();
    s.write(
        "spec.yaml",
        &format!("feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{{ role: user, tokens: 10 }}]\n    output_tokens: 1\ntraffic: {{ requests_per_day: 1 }}\nscenarios:\n{scenarios}"),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the spec has 101 scenarios; at most 100"),
        "{}",
        run.stderr
    );

    std::fs::create_dir_all(s.0.join("samples")).unwrap();
    for i in 0..10_001 {
        std::fs::write(s.0.join(format!("samples/{i}.txt")), "hi").unwrap();
    }
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{ role: user, text: \"{{q}}\" }]\n    variables: { q: { samples: \"samples/*.txt\" } }\n    output_tokens: 1\ntraffic: { requests_per_day: 1 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("matches more than 10000 files, the limit"),
        "{}",
        run.stderr
    );
}

/// A pricing file is bounded in bytes and in models before its models are
/// checked: 200,000 models once made every estimate take 4.9 s and 713 MB.
#[test]
fn pricing_files_are_bounded_in_size_and_models() {
    let s = Scratch::new("pricing-bounded");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{ role: user, tokens: 10 }]\n    output_tokens: 1\ntraffic: { requests_per_day: 1 }\n",
    );
    let models: String = (0..20_001)
        .map(|i| format!("  m{i}: {{ tokenizer: o200k_base, input: 1, output: 2 }}\n"))
        .collect();
    s.write(
        "many.yaml",
        &format!("provider: acme\nas_of: 2026-11-20\nsource: s\nmodels:\n{models}"),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--pricing", "many.yaml"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "many.yaml:4:1: error: lists 20001 models; a pricing file holds at most 20000"
        ),
        "{}",
        run.stderr
    );
    s.write(
        "big.yaml",
        &format!(
            "provider: acme\nas_of: 2026-11-20\nsource: s\nnotes: \"{}\"\nmodels: {{}}\n",
            "x".repeat(5 << 20)
        ),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--pricing", "big.yaml"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("larger than 4 MB, the limit"),
        "{}",
        run.stderr
    );
}
