//! Bad input: exit code 2 and one clear message per problem, naming the file,
//! line and column, with a suggestion where one exists. Never a panic.

mod common;

use common::*;

const GOOD: &str = "version: 1
feature: Test
model: gpt-4o-mini
calls:
  - name: draft
    messages:
      - role: system
        text: You answer tickets.
      - role: user
        text: \"{{ticket}}\"
    output_tokens: 100
variables:
  ticket: { text: My invoice is wrong. }
traffic:
  requests_per_day: 1000
";

/// Runs `estimate` on `spec` (written as spec.yaml in a scratch folder) and
/// returns stderr, asserting exit code 2.
fn rejected(name: &str, spec: &str) -> String {
    let scratch = Scratch::new(name);
    scratch.write("spec.yaml", spec);
    let run = llm_cost_in(Some(&scratch.0), &["estimate", "spec.yaml"], None);
    assert_eq!(
        run.code, 2,
        "{name}: expected exit 2\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.is_empty(), "{name}: no report on bad input");
    run.stderr
}

fn assert_has(stderr: &str, parts: &[&str]) {
    for p in parts {
        assert!(stderr.contains(p), "missing {p:?} in:\n{stderr}");
    }
}

#[test]
fn the_good_spec_is_good() {
    let scratch = Scratch::new("good");
    scratch.write("spec.yaml", GOOD);
    let run = llm_cost_in(Some(&scratch.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn unknown_keys_point_at_the_key_and_suggest_the_right_one() {
    let err = rejected("unknown-top", &GOOD.replace("traffic:", "traffc:"));
    assert_has(
        &err,
        &[
            "spec.yaml:14:1: error: unknown field `traffc`",
            "did you mean `traffic`?",
        ],
    );
    let err = rejected(
        "unknown-nested",
        &GOOD.replace("output_tokens", "ouput_tokens"),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:11:5:",
            "calls[0]: unknown field `ouput_tokens`",
            "did you mean `output_tokens`?",
        ],
    );
}

#[test]
fn every_unknown_key_is_reported_at_once() {
    let spec = GOOD
        .replace("traffic:", "traffc:")
        .replace("output_tokens: 100", "ouput_tokens: 100")
        .replace(
            "ticket: { text: My invoice is wrong. }",
            "ticket: { txt: My invoice is wrong. }",
        );
    let err = rejected("unknown-all", &spec);
    assert_has(
        &err,
        &[
            "spec.yaml:11:5: error: calls[0]: unknown field `ouput_tokens`",
            "spec.yaml:13:13: error: variables.ticket: unknown field `txt`",
            "did you mean `text`?",
            "spec.yaml:14:1: error: unknown field `traffc`",
            "3 errors",
        ],
    );
}

#[test]
fn unknown_models_suggest_the_nearest_names() {
    let err = rejected(
        "model",
        &GOOD.replace("model: gpt-4o-mini", "model: gpt-4o-mni"),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:3:8: error: unknown model `gpt-4o-mni`",
            "`gpt-4o-mini`",
        ],
    );
    let err = rejected(
        "call-model",
        &GOOD.replace(
            "  - name: draft\n",
            "  - name: draft\n    model: claude-haiku\n",
        ),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:6:12:",
            "unknown model `claude-haiku`",
            "claude-haiku-4-5",
        ],
    );
}

#[test]
fn undefined_variables_are_errors() {
    let err = rejected("variable", &GOOD.replace("\"{{ticket}}\"", "\"{{tiket}}\""));
    assert_has(
        &err,
        &[
            "spec.yaml:10:15:",
            "`{{tiket}}` is not a defined variable",
            "did you mean `{{ticket}}`?",
        ],
    );
}

#[test]
fn numbers_are_checked() {
    let err = rejected(
        "negative",
        &GOOD.replace("requests_per_day: 1000", "requests_per_day: -1000"),
    );
    assert_has(&err, &["spec.yaml:15:21:", "must not be negative"]);
    let err = rejected(
        "rate",
        &GOOD.replace(
            "    output_tokens: 100\n",
            "    output_tokens: 100\n    cache: { prefix: system, hit_rate: 1.5 }\n",
        ),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:12:40:",
            "between 0 and 1",
            "write `1.5%` if you mean 1.5 percent",
        ],
    );
    let err = rejected(
        "quoted",
        &GOOD.replace("requests_per_day: 1000", "requests_per_day: \"a thousand\""),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:15:21:",
            "expected a number",
            "text of 10 characters",
        ],
    );
    assert!(!err.contains("a thousand"), "text is never echoed: {err}");
    let err = rejected(
        "nan",
        &GOOD.replace("requests_per_day: 1000", "requests_per_day: .nan"),
    );
    assert_has(&err, &["spec.yaml:15:21:", "finite"]);
    let err = rejected(
        "shape",
        &GOOD.replace("output_tokens: 100", "output_tokens: lots"),
    );
    assert_has(
        &err,
        &[
            "spec.yaml:11:20:",
            "expected a number of tokens, or `{ mean: N, p95: N }`",
        ],
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let spec = GOOD
        .replace("model: gpt-4o-mini", "model: gpt-4o-mni")
        .replace("role: system", "role: sytem")
        .replace("requests_per_day: 1000", "requests_per_day: -1");
    let err = rejected("many", &spec);
    assert_has(
        &err,
        &[
            "spec.yaml:3:8:",
            "spec.yaml:7:15: error: unknown role `sytem`",
            "did you mean `system`?",
            "spec.yaml:15:21:",
            "3 errors",
        ],
    );
}

#[test]
fn broken_yaml_points_at_the_syntax_error() {
    let err = rejected(
        "syntax",
        &GOOD.replace(
            "traffic:\n  requests_per_day: 1000",
            "traffic: { requests_per_day: 1000",
        ),
    );
    assert_has(&err, &["spec.yaml:", "error:"]);
    assert!(
        err.lines()
            .next()
            .unwrap()
            .split(':')
            .nth(1)
            .unwrap()
            .parse::<usize>()
            .is_ok(),
        "{err}"
    );
}

#[test]
fn missing_files_and_files_outside_the_spec_folder() {
    let missing = GOOD.replace("text: You answer tickets.", "file: prompts/missing.md");
    let err = rejected("missing-file", &missing);
    assert_has(
        &err,
        &["spec.yaml:8:15:", "file `prompts/missing.md` not found"],
    );

    let scratch = Scratch::new("escape");
    scratch.write("secret.txt", "the CI machine's secrets");
    scratch.write(
        "team/spec.yaml",
        &GOOD.replace("text: You answer tickets.", "file: ../secret.txt"),
    );
    let run = llm_cost_in(Some(&scratch.0), &["estimate", "team/spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert_has(
        &run.stderr,
        &[
            "team/spec.yaml:8:15:",
            "outside the spec's folder",
            "--allow-outside-files",
        ],
    );
    assert!(
        !run.stderr.contains("secrets"),
        "file contents are never echoed"
    );
    let run = llm_cost_in(
        Some(&scratch.0),
        &["estimate", "team/spec.yaml", "--allow-outside-files"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let err = rejected(
        "absolute",
        &GOOD.replace("text: You answer tickets.", "file: /etc/hostname"),
    );
    assert_has(&err, &["spec.yaml:8:15:", "absolute path"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_cannot_escape_the_spec_folder() {
    let scratch = Scratch::new("symlink");
    scratch.write("secret.txt", "secret");
    scratch.write(
        "team/spec.yaml",
        &GOOD.replace("text: You answer tickets.", "file: link.txt"),
    );
    std::os::unix::fs::symlink(
        scratch.0.join("secret.txt"),
        scratch.0.join("team/link.txt"),
    )
    .unwrap();
    let run = llm_cost_in(Some(&scratch.0), &["estimate", "team/spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert_has(&run.stderr, &["outside the spec's folder"]);
}

#[test]
fn undefined_variables_inside_prompt_files_point_at_the_file_entry() {
    let scratch = Scratch::new("file-var");
    scratch.write("prompt.md", "Reply as {{agent_name}}.");
    scratch.write(
        "spec.yaml",
        &GOOD.replace("text: You answer tickets.", "file: prompt.md"),
    );
    let run = llm_cost_in(Some(&scratch.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert_has(&run.stderr, &["spec.yaml:8:15:", "`{{agent_name}}`"]);
}

#[test]
fn samples_that_match_nothing_are_errors() {
    let err = rejected(
        "samples",
        &GOOD.replace(
            "ticket: { text: My invoice is wrong. }",
            "ticket: { samples: \"tickets/*.txt\" }",
        ),
    );
    assert_has(
        &err,
        &["spec.yaml:13:22:", "no files match `tickets/*.txt`"],
    );
}

#[test]
fn batch_on_a_model_without_batch_prices_is_an_error() {
    let scratch = Scratch::new("batch");
    scratch.write("prices.yaml", "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-llm:\n    tokenizer: o200k_base\n    input: 1\n    output: 2\n");
    scratch.write(
        "spec.yaml",
        &GOOD
            .replace("model: gpt-4o-mini", "model: acme-llm")
            .replace("output_tokens: 100", "output_tokens: 100\n    batch: true"),
    );
    let run = llm_cost_in(
        Some(&scratch.0),
        &["estimate", "spec.yaml", "--pricing", "prices.yaml"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_has(
        &run.stderr,
        &["spec.yaml:12:12:", "`acme-llm` has no batch prices"],
    );
}

#[test]
fn a_bad_pricing_file_is_bad_input() {
    let scratch = Scratch::new("bad-prices");
    scratch.write("prices.yaml", "provider: acme\nas_of: 2026-11-01\nsource: contract\nmodels:\n  acme-llm:\n    tokenizer: o200k_base\n    input: -1\n    output: 2\n");
    scratch.write("spec.yaml", GOOD);
    let run = llm_cost_in(
        Some(&scratch.0),
        &["estimate", "spec.yaml", "--pricing", "prices.yaml"],
        None,
    );
    assert_eq!(run.code, 2);
    assert_has(&run.stderr, &["prices.yaml:7:12:", "negative"]);
}

#[test]
fn a_missing_spec_is_bad_input() {
    let run = llm_cost(&["estimate", "no/such/spec.yaml"]);
    assert_eq!(run.code, 2);
    assert_has(
        &run.stderr,
        &["no/such/spec.yaml", "the spec does not exist"],
    );
}

#[test]
fn absurd_numbers_are_bounded_and_overflow_never_panics() {
    let err = rejected(
        "huge",
        &GOOD.replace("requests_per_day: 1000", "requests_per_day: 1e27"),
    );
    assert_has(&err, &["spec.yaml:15:21:", "more than a trillion"]);

    // Inside every bound, but the product still exceeds exact decimal range.
    let scratch = Scratch::new("overflow");
    scratch.write("prices.yaml", "provider: x\nas_of: 2026-11-01\nsource: test\nmodels:\n  pricey:\n    tokenizer: o200k_base\n    input: 100000\n    output: 100000\n");
    let spec = format!(
        "feature: Extreme\nmodel: pricey\ncalls:\n  - name: a\n    messages: [{{ role: user, text: \"{}\" }}]\n    variables: {{ x: {{ tokens: 1000000000 }} }}\n    output_tokens: 1000000000\n    calls_per_request: 1000000\ntraffic: {{ requests_per_month: 1000000000000 }}\n",
        "{{x}}".repeat(1000)
    );
    scratch.write("spec.yaml", &spec);
    let run = llm_cost_in(
        Some(&scratch.0),
        &["estimate", "spec.yaml", "--pricing", "prices.yaml"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    // A thousand uses of a billion-token variable: caught at the call, by
    // the prompt bound, before any arithmetic.
    assert_has(&run.stderr, &["spec.yaml:4:5:", "more than ten billion"]);
}

#[test]
fn odd_files_get_plain_messages() {
    let err = rejected("empty", "");
    assert_has(
        &err,
        &["spec.yaml: error: the file is empty", "llm-cost init"],
    );
    let err = rejected("list", "- a\n- b\n");
    assert_has(
        &err,
        &["spec.yaml:1:1: error: invalid type: sequence, expected a mapping of `key: value` lines"],
    );
    assert!(!err.contains("Raw"), "no internal type names: {err}");
    let err = rejected("tabs", &GOOD.replace("  - name: draft", "\t- name: draft"));
    assert_has(
        &err,
        &["spec.yaml:5:1:", "YAML indents with spaces, not tabs"],
    );
    assert!(!err.contains(" at line "), "the place is said once: {err}");
    // A byte-order mark from a Windows editor is not part of the first key.
    let s = Scratch::new("bom");
    s.write("spec.yaml", &format!("\u{feff}{GOOD}"));
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn init_writes_a_starter_that_runs_and_never_overwrites() {
    let s = Scratch::new("init");
    let run = llm_cost_in(Some(&s.0), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let est = llm_cost_in(
        Some(&s.0),
        &["estimate", "llm-cost.yaml", "--format", "json"],
        None,
    );
    assert_eq!(est.code, 0, "the starter runs as written: {}", est.stderr);
    std::fs::write(s.0.join("mine.yaml"), "my notes").unwrap();
    let again = llm_cost_in(Some(&s.0), &["init", "mine.yaml"], None);
    assert_eq!(again.code, 2);
    assert_eq!(
        std::fs::read_to_string(s.0.join("mine.yaml")).unwrap(),
        "my notes",
        "an existing file is untouched"
    );
    let forced = llm_cost_in(Some(&s.0), &["init", "mine.yaml", "--force"], None);
    assert_eq!(forced.code, 0);

    // The starter names its schema for editors, and init writes it beside
    // the spec, once: an existing schema file (the user's) is left alone.
    let starter = std::fs::read_to_string(s.0.join("llm-cost.yaml")).unwrap();
    assert!(
        starter.starts_with("# yaml-language-server: $schema=llm-cost.schema.json\n"),
        "{starter}"
    );
    let schema = std::fs::read_to_string(s.0.join("llm-cost.schema.json")).unwrap();
    assert_eq!(schema, llm_cost::spec::raw::json_schema_text());
    std::fs::write(s.0.join("llm-cost.schema.json"), "mine").unwrap();
    let third = llm_cost_in(Some(&s.0), &["init", "third.yaml"], None);
    assert_eq!(third.code, 0);
    assert_eq!(
        std::fs::read_to_string(s.0.join("llm-cost.schema.json")).unwrap(),
        "mine"
    );

    // `init -` prints the starter and writes nothing.
    let t = Scratch::new("init-stdout");
    let printed = llm_cost_in(Some(&t.0), &["init", "-"], None);
    assert_eq!(printed.code, 0);
    assert!(printed.stdout.contains("feature: My feature"));
    assert_eq!(std::fs::read_dir(&t.0).unwrap().count(), 0);
    let piped = llm_cost_stdin(&["estimate", "-", "--format", "json"], &printed.stdout);
    assert_eq!(
        piped.code, 0,
        "the printed starter runs from stdin: {}",
        piped.stderr
    );
    // Its first run says nothing to fix: its model is current, not one
    // that retires within 90 days.
    let table = llm_cost_stdin(&["estimate", "-"], &printed.stdout);
    assert_eq!(table.stderr, "", "the starter's first run warns");
}

#[test]
fn a_command_that_stops_before_reading_stdin_is_not_a_harness_failure() {
    // 4 MB is far past a pipe's buffer: the child exits on the unknown model
    // without reading it, and writing the rest meets a closed pipe. The
    // harness once panicked on that BrokenPipe (1 run in 4 failed).
    let run = common::llm_cost_stdin(
        &["count", "--model", "no-such-model"],
        &"word ".repeat(800_000),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

fn scratch_spec(name: &str, spec: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("spec.yaml", spec);
    s
}

#[test]
fn every_unknown_key_is_reported_at_once_nested_ones_too() {
    let spec = GOOD.replace(
        "    output_tokens: 100\n",
        "    output_tokens: 100\n    conversation: { turns: 2, histroy: full }\n    route: [{ model: gpt-4o-mini, share: 1, shar: 2 }]\n",
    );
    let err = rejected("nested-keys", &spec);
    assert_has(
        &err,
        &[
            "calls[0].conversation: unknown field `histroy`",
            "did you mean `history`?",
            "calls[0].route[0]: unknown field `shar`",
            "did you mean `share`?",
        ],
    );
}

#[test]
fn duplicate_keys_are_errors_at_the_repeat() {
    let spec = GOOD.replace(
        "  ticket: { text: My invoice is wrong. }\n",
        "  ticket: { text: My invoice is wrong. }\n  ticket: { text: Another. }\n",
    );
    let err = rejected("dup", &spec);
    assert_has(&err, &["spec.yaml:14:3:", "duplicate key `ticket`"]);

    let s = Scratch::new("dup-pricing");
    s.write(
        "p.yaml",
        "provider: x\nas_of: 2026-11-01\nsource: x\nmodels:\n  a: { tokenizer: o200k_base, input: 1, output: 1 }\n  a: { tokenizer: o200k_base, input: 2, output: 2 }\n",
    );
    // pricing check judges every file, an unreadable one included.
    let run = llm_cost_in(
        Some(&s.0),
        &["pricing", "check", "missing.yaml", "p.yaml"],
        None,
    );
    assert_eq!(run.code, 2);
    assert_has(
        &run.stdout,
        &[
            "missing.yaml: error: the file does not exist",
            "p.yaml:6:3:",
            "duplicate key `a`",
        ],
    );
}

#[test]
fn a_value_of_the_wrong_shape_is_described_never_echoed() {
    let spec = GOOD.replace(
        "    messages:\n",
        "    messages: \"Confidential: our pricing strategy for 2027\"\n    unused:\n",
    );
    let err = rejected("shape", &spec);
    assert_has(
        &err,
        &["invalid type: text of 43 characters, expected a sequence"],
    );
    assert!(!err.contains("Confidential"), "{err}");
}

#[test]
fn parser_errors_point_where_the_problem_starts() {
    let err = rejected(
        "quote",
        "feature: \"Support\nmodel: gpt-4o-mini\ncalls: []\n",
    );
    assert_has(
        &err,
        &["spec.yaml:1:10: error: this quoted text is never closed"],
    );

    let mut bomb = String::from("feature: f\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = "a".to_string();
    for i in 1..8 {
        bomb.push_str(&format!(
            "b{i}: &b{i} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
        prev = format!("b{i}");
    }
    // Each `b{i}` expands to ten of the one before: `a` is 10 scalars of
    // 9 bytes (text + 8 for the node) + 8 = 98 bytes, b1 988, b2 9,888,
    // b3 98,888, b4 988,888. b5's aliases of b4 pass 8 MB at the 8th, so
    // the message is at what they repeat: `&b4`, line 6, column 5.
    let err = rejected("repetition", &bomb);
    assert_has(
        &err,
        &[
            "spec.yaml:6:5: error: the document expands to more than 8 MB through YAML aliases (`*name`)",
        ],
    );
}

#[test]
fn set_values_get_plain_messages_and_hints() {
    let s = scratch_spec("set-shapes", GOOD);
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--set", "traffic=5"],
        None,
    );
    assert_eq!(run.code, 2);
    assert_has(&run.stderr, &["expected a mapping of `key: value` lines"]);
    assert!(!run.stderr.contains("Raw"), "{}", run.stderr);
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--set",
            "calls.draft.messages[0].text={{x}}",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert_has(&run.stderr, &["quote it to mean text", "text=\"{{x}}\"'"]);
}

#[test]
fn an_alias_clash_points_at_the_pricing_line() {
    let s = scratch_spec("clash", GOOD);
    s.write(
        "p.yaml",
        "provider: x\nas_of: 2026-11-01\nsource: x\nmodels:\n  a:\n    tokenizer: o200k_base\n    input: 1\n    output: 1\n    aliases: [gpt-4o-mini]\n",
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--pricing", "p.yaml"],
        None,
    );
    assert_eq!(run.code, 2);
    assert_has(
        &run.stderr,
        &["p.yaml:9:14: error: alias `gpt-4o-mini` of `a` is also a model name"],
    );
}

#[test]
fn suggest_keeps_savings_for_names_a_path_cannot_spell_and_bounds_its_ratios() {
    let spec = GOOD.replace("name: draft", "name: \"a.b=c\"");
    let s = scratch_spec("suggest-name", &spec);
    let run = llm_cost_in(
        Some(&s.0),
        &["suggest", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let savings = doc["suggestions"].as_array().expect("suggestions");
    assert!(!savings.is_empty(), "{doc}");
    for saving in savings {
        let mut args = vec!["estimate".to_string(), "spec.yaml".to_string()];
        for set in saving["sets"].as_array().unwrap() {
            let path = set["path"].as_str().unwrap();
            assert!(path.starts_with("calls[0]."), "{path}");
            args.extend([
                "--set".to_string(),
                format!("{path}={}", set["value"].as_str().unwrap()),
            ]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = llm_cost_in(Some(&s.0), &args, None);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    for (flag, value) in [("--hit-rate", "500%"), ("--trim", "300%")] {
        let run = llm_cost_in(Some(&s.0), &["suggest", "spec.yaml", flag, value], None);
        assert_eq!(run.code, 2, "{flag} {value}");
    }
}

/// A `--set` of one key inside a value that then has two of a kind is
/// reported at the `--set`, with the whole-value form to use, not at the
/// spec's line (which the user did not change).
#[test]
fn a_set_inside_a_message_names_the_set_and_the_whole_message() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/support-assistant/spec.yaml");
    let run = llm_cost(&[
        "estimate",
        &spec,
        "--set",
        "calls.draft.messages[0].tokens=1500",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "--set calls.draft.messages[0].tokens=1500: error: a message needs exactly one of `text`, `file` or `tokens`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--set 'calls.draft.messages[0]={ role: system, tokens: 1500 }'"),
        "{}",
        run.stderr
    );
    // The suggested form runs.
    let whole = llm_cost(&[
        "estimate",
        &spec,
        "--set",
        "calls.draft.messages[0]={ role: system, tokens: 1500 }",
    ]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
}

/// Unknown keys do not hide what else the file gets wrong: a misspelt role
/// beside two unknown keys is reported with them, all three located.
#[test]
fn unknown_keys_and_a_misspelt_role_are_all_reported() {
    let s = Scratch::new("three-problems");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-5.4-mini\ntraffc: 1\ncalls:\n  - name: a\n    messages: [{ role: sytem, text: hi }]\n    output_tokens: 10\n    cahce: { prefix: 1 }\ntraffic: { requests_per_day: 1 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for expected in [
        "spec.yaml:3:1: error: unknown field `traffc`",
        "spec.yaml:6:24: error: unknown role `sytem`",
        "spec.yaml:8:5: error: calls[0]: unknown field `cahce`",
        "3 errors",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}
