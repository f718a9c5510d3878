//! The conventions of a command-line tool: completions and a man page for
//! every subcommand, --version with the prices' date, -q, warnings after
//! the report and each once, specs and starters through pipes.

mod common;

use common::*;

const SUBCOMMANDS: [&str; 11] = [
    "estimate",
    "check",
    "diff",
    "count",
    "suggest",
    "models",
    "init",
    "pricing",
    "schema",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_and_the_man_page_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = llm_cost(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for command in SUBCOMMANDS {
            assert!(run.stdout.contains(command), "{shell} lacks {command}");
        }
    }
    let man = llm_cost(&["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH llm-cost 1"));
    for command in SUBCOMMANDS {
        assert!(
            man.stdout
                .contains(&format!("llm\\-cost\\-{}", command.replace('-', "\\-")))
                || man.stdout.contains(command),
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
