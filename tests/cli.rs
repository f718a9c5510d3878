//! The conventions of a command-line tool: completions and a man page for
//! every subcommand, --version with the prices' date, -q, warnings after
//! the report and each once, specs and starters through pipes.

mod common;

use common::*;

#[test]
fn completions_for_every_shell_and_the_man_page_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = llm_cost(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for command in subcommands() {
            assert!(run.stdout.contains(&command), "{shell} lacks {command}");
        }
    }
    let man = llm_cost(&["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH llm-cost 1"));
    for command in subcommands() {
        assert!(
            man.stdout
                .contains(&format!("llm\\-cost\\-{}", command.replace('-', "\\-")))
                || man.stdout.contains(&command),
            "the man page lacks {command}"
        );
    }
    let unknown = llm_cost(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn version_names_the_date_of_the_prices() {
    let run = llm_cost(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!(
            "llm-cost {} (prices as of 2026-11-20, 8 files)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn warnings_come_after_the_report_each_once_and_quiet_drops_them() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/support-assistant/spec.yaml");
    // Every compared model that retires says so once, however many
    // variants repeat it.
    let run = llm_cost(&["estimate", &spec, "--compare", "gpt-4o,gpt-4o-mini,gpt-4.1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(lines.len(), unique.len(), "{}", run.stderr);
    assert!(run.stderr.contains("gpt-4o-mini is scheduled to retire"));
    // -q: no warnings; the report is the same.
    let quiet = llm_cost(&["estimate", &spec, "-q"]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, llm_cost(&["estimate", &spec]).stdout);
    // -q never hides an error.
    let wrong = llm_cost(&["estimate", "no-such.yaml", "-q"]);
    assert_eq!(wrong.code, 2);
    assert!(wrong.stderr.contains("error"), "{}", wrong.stderr);
}

#[test]
fn a_spec_sized_by_tokens_on_its_messages() {
    // 1,200 + 4 (system framing) + (3 + 1 + 1 for "hi") + 3 priming = 1,212
    let run = llm_cost_stdin(
        &["estimate", "-", "--format", "json"],
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages:\n      - { role: system, tokens: 1200 }\n      - { role: user, text: hi }\n    output_tokens: 10\ntraffic: { requests_per_day: 1 }\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["calls"][0]["input_tokens"], 1212);
    assert_eq!(run.json()["spec"], "<stdin>");
    // text and tokens together is one too many
    let both = llm_cost_stdin(
        &["estimate", "-"],
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages:\n      - { role: system, text: hi, tokens: 1200 }\n    output_tokens: 10\ntraffic: { requests_per_day: 1 }\n",
    );
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains(
            "<stdin>:6:9: error: a message needs exactly one of `text`, `file` or `tokens`"
        ),
        "{}",
        both.stderr
    );
}

#[test]
fn colour_only_where_asked_or_on_a_terminal() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/support-assistant/spec.yaml");
    let over = [
        "estimate",
        spec.as_str(),
        "--set",
        "budget.max_monthly_spend=100",
    ];
    // A pipe (as here) gets no colour by default.
    let piped = llm_cost(&over);
    assert_eq!(piped.code, 0, "estimate reports; check judges");
    assert!(!piped.stdout.contains('\x1b') && !piped.stderr.contains('\x1b'));
    // --color always: the verdict in red, the warning in yellow, even with
    // NO_COLOR (an explicit flag wins, as no-color.org asks).
    let mut always = over.to_vec();
    always.extend(["--color", "always"]);
    let dir = std::path::Path::new(root);
    let run = llm_cost_env(dir, &always, &[("NO_COLOR", Some("1"))]);
    assert!(
        run.stdout.contains("\x1b[1;31mOVER BUDGET\x1b[0m"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("\x1b[33mwarning:\x1b[0m"),
        "{}",
        run.stderr
    );
    // JSON is never coloured.
    let mut json = always.clone();
    json.extend(["--format", "json"]);
    assert!(!llm_cost(&json).stdout.contains('\x1b'));
    // --color never
    let mut never = over.to_vec();
    never.extend(["--color", "never"]);
    assert!(!llm_cost(&never).stdout.contains('\x1b'));
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}/spec.yaml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn scenarios_asked_for_win_over_the_specs_compare() {
    let spec = example("support-assistant");
    let run = llm_cost(&[
        "estimate",
        &spec,
        "--set",
        "compare=[gpt-4.1-mini]",
        "--scenarios",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["alternatives"]["kind"], "scenario");
    // Both asked for on the command line is still one too many.
    let both = llm_cost(&[
        "estimate",
        &spec,
        "--compare",
        "gpt-4.1-mini",
        "--scenarios",
    ]);
    assert_eq!(both.code, 2);
}

#[test]
fn a_group_of_models_is_listed_cheapest_first_and_top_keeps_the_cheapest() {
    let spec = example("support-assistant");
    let run = llm_cost(&[
        "estimate",
        &spec,
        "--compare",
        "all-cheaper",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json()["alternatives"]["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert!(rows.len() > 5, "{}", rows.len());
    let costs: Vec<rust_decimal::Decimal> =
        rows.iter().map(|r| dec(&r["cost_per_month"])).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
    let top = llm_cost(&[
        "estimate",
        &spec,
        "--compare",
        "all-cheaper",
        "--top",
        "3",
        "--format",
        "json",
    ]);
    let top_rows = top.json()["alternatives"]["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(top_rows, rows[..3].to_vec());
    // Names given one by one keep their order.
    let named = llm_cost(&[
        "estimate",
        &spec,
        "--compare",
        "gpt-4.1,gpt-4.1-nano",
        "--format",
        "json",
    ]);
    let labels: Vec<String> = named.json()["alternatives"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["gpt-4.1", "gpt-4.1-nano"]);
}

#[test]
fn the_figures_a_budget_judges_are_on_screen() {
    let spec = example("support-assistant");
    let run = llm_cost(&["estimate", &spec, "--budget-on", "p95"]);
    assert_eq!(run.code, 0);
    // The p95 month ($495.09) is judged, so it is shown beside the mean.
    assert!(
        run.stdout
            .contains(" Per month     $365.70          p95 $495.09 · 30 days"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("monthly spend $495.09 ≤ $3,000"),
        "{}",
        run.stdout
    );
}

#[test]
fn users_are_given_once_and_tiny_changes_are_not_signed_zeros() {
    let s = Scratch::new("users");
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages: [{ role: user, tokens: 10 }]\n    output_tokens: 10\ntraffic: { users: 100, requests_per_user_per_day: 2 }\neconomics: { users: 200, revenue_per_user_per_month: 10 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "spec.yaml:8:21: error: `economics.users` (200) disagrees with `traffic.users` (100)"
        ),
        "{}",
        run.stderr
    );
    // The same number twice is fine; the margin moves by 0.01 pt or so:
    // said as "<0.1 pt", never "−0.0 pt".
    s.write(
        "spec.yaml",
        "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages: [{ role: user, tokens: 10 }]\n    output_tokens: 10\ntraffic: { users: 100, requests_per_user_per_day: 2 }\neconomics: { users: 100, revenue_per_user_per_month: 10 }\n",
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("(−<0.1 pt)"), "{}", run.stdout);
    assert!(!run.stdout.contains("-0.0") && !run.stdout.contains("−0.0"));
}

#[test]
fn suggest_says_when_a_change_still_leaves_the_budget_broken() {
    let spec = example("support-assistant");
    let run = llm_cost(&["suggest", &spec, "--set", "budget.max_monthly_spend=10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("(still over budget after this change)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("breaks a budget"));
}

#[test]
fn suggest_and_diff_take_the_same_what_if_flags_as_estimate() {
    let spec = example("support-assistant");
    // suggest under --set: each command reproduces its figure with the flag.
    let run = llm_cost(&[
        "suggest",
        &spec,
        "--set",
        "traffic.requests_per_day=60000",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let first = &doc["suggestions"][0];
    let command = first["command"].as_str().unwrap();
    assert!(
        command.contains("--set traffic.requests_per_day=60000"),
        "{command}"
    );
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[..2], ["llm-cost", "estimate"]);
    // Running the printed command gives the suggestion's figure.
    let mut args: Vec<String> = vec!["estimate".into()];
    let mut quoted = String::new();
    for w in &words[2..] {
        if !quoted.is_empty() {
            quoted.push(' ');
            quoted.push_str(w);
            if w.ends_with('\'') {
                args.push(quoted.trim_matches('\'').to_string());
                quoted.clear();
            }
        } else if w.starts_with('\'') && !w.ends_with('\'') {
            quoted.push_str(w);
        } else {
            args.push(w.trim_matches('\'').to_string());
        }
    }
    args.extend(["--format".into(), "json".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let again = llm_cost(&argv);
    assert_eq!(again.code, 0, "{argv:?}: {}", again.stderr);
    assert_eq!(again.json()["cost_per_month"], first["cost_per_month"]);
    // diff: the same flag on both sides, so one spec against itself under
    // another model is no change, at that model's price.
    let diff = llm_cost(&[
        "diff",
        &spec,
        &spec,
        "--model",
        "gpt-4.1-mini",
        "--format",
        "json",
    ]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let json = diff.json();
    assert_eq!(json["cost_per_month"]["change"], "0");
    let estimate = llm_cost(&[
        "estimate",
        &spec,
        "--model",
        "gpt-4.1-mini",
        "--format",
        "json",
    ]);
    assert_eq!(
        json["cost_per_month"]["head"],
        estimate.json()["cost_per_month"]
    );
}

#[test]
fn growth_and_scale_follow_one_margin_assumption_the_spec_chooses() {
    let spec = example("support-assistant");
    // Default (revenue per user): more traffic is more customers, so the
    // margin holds under --scale as under growth, and the screen says so.
    let scaled = llm_cost(&["estimate", &spec, "--scale", "traffic=3"]);
    assert!(
        scaled.stdout.contains(
            "--scale traffic=3: traffic ×3, users, revenue and other costs with it (economics.grows_with_traffic)"
        ),
        "{}",
        scaled.stdout
    );
    // A --set of the traffic is the same customers using it more: the
    // margin falls, as with grows_with_traffic false below, and the line
    // says why it differs from --scale.
    let set = llm_cost(&["estimate", &spec, "--set", "traffic.requests_per_day=60000"]);
    assert!(
        set.stdout.contains("--set traffic.requests_per_day=60000 (users, revenue and other costs as given; --scale traffic=F moves them with traffic)"),
        "{}",
        set.stdout
    );
    assert!(
        set.stdout.contains("Gross margin  82.0% → 80.9%"),
        "{}",
        set.stdout
    );
    assert!(
        scaled.stdout.contains("Gross margin  82.0% → 81.6%"),
        "{}",
        scaled.stdout
    );
    // The same customers using it three times as much: the AI cost triples
    // against the same revenue ($100,000) and other cost ($18,000):
    // (100,000 − 18,000 − 1,097.09) / 100,000 = 80.9%.
    let same = llm_cost(&[
        "estimate",
        &spec,
        "--scale",
        "traffic=3",
        "--set",
        "economics.grows_with_traffic=false",
    ]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(
        same.stdout.contains("revenue and other costs as given"),
        "{}",
        same.stdout
    );
    assert!(
        same.stdout.contains("Gross margin  82.0% → 80.9%"),
        "{}",
        same.stdout
    );
    let grown = llm_cost(&[
        "estimate",
        &spec,
        "--set",
        "traffic.growth_per_month=0.1",
        "--set",
        "economics.grows_with_traffic=false",
    ]);
    assert!(
        grown.stdout.contains(
            "revenue and other costs stay as given (economics.grows_with_traffic: false)"
        ),
        "{}",
        grown.stdout
    );
}

#[test]
fn today_can_be_pinned_by_flag() {
    let spec = example("support-assistant");
    // gpt-4o-mini retires on 2027-01-14: retired as of 2027-02-01.
    let later = llm_cost(&["estimate", &spec, "--today", "2027-02-01"]);
    assert_eq!(later.code, 0);
    assert!(
        later
            .stderr
            .contains("gpt-4o-mini was retired on 2027-01-14"),
        "{}",
        later.stderr
    );
    let bad = llm_cost(&["estimate", &spec, "--today", "2027-13-01"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not a date like"), "{}", bad.stderr);
}

#[test]
fn the_readme_opens_with_install_the_two_commands_and_the_editor_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    // The first screen: the first 60 lines.
    let first: String = readme.lines().take(60).collect::<Vec<_>>().join("\n");
    for needed in [
        "cargo install --locked --path .",
        "cargo run -- estimate examples/support-assistant/spec.yaml",
        "cargo test --locked",
        "# yaml-language-server: $schema=llm-cost.schema.json",
        "Rust 1.88",
    ] {
        assert!(
            first.contains(needed),
            "the README's first screen lacks {needed:?}"
        );
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("rust-version = \"1.88\""));
}
