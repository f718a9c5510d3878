//! What users see, pinned byte for byte: every example through `estimate`,
//! `check` and `suggest` in every format, plus `models` and `diff`. A
//! change to any output fails here until its snapshot is updated on purpose:
//!
//!     UPDATE_SNAPSHOTS=1 cargo test --test snapshots
//!
//! then review `git diff tests/snapshots/` and say why in the commit.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const FORMATS: [&str; 4] = ["table", "json", "markdown", "csv"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs llm-cost from the repository root (so paths print relative) with
/// a fixed date and locale, and nothing from a CI environment.
fn run(args: &[&str]) -> Run {
    llm_cost_env(
        &root(),
        args,
        &[
            ("LANG", Some("C.UTF-8")),
            ("LC_ALL", None),
            ("LC_CTYPE", None),
            ("GITHUB_ACTIONS", None),
            ("GITHUB_STEP_SUMMARY", None),
            ("GITHUB_WORKSPACE", None),
            ("LLM_COST_PRICING", None),
        ],
    )
}

fn assert_snapshot(name: &str, run: &Run) {
    let actual = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code, run.stdout, run.stderr
    );
    let path = root().join("tests/snapshots").join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("no snapshot {name}; run with UPDATE_SNAPSHOTS=1 and review it")
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} changed at line {}:\n  was: {:?}\n  now: {:?}\n(UPDATE_SNAPSHOTS=1 to accept, on purpose)",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

/// `estimate`, `check` and `suggest` of one example in every format.
fn pin_example(example: &str) {
    let spec = format!("examples/{example}/spec.yaml");
    let mut extra: Vec<String> = Vec::new();
    let pricing = format!("examples/{example}/pricing.yaml");
    if Path::new(&root().join(&pricing)).exists() {
        extra = vec!["--pricing".into(), pricing];
    }
    for command in ["estimate", "check", "suggest"] {
        for format in FORMATS {
            let mut args = vec![command, spec.as_str(), "--format", format];
            args.extend(extra.iter().map(String::as_str));
            assert_snapshot(&format!("{example}.{command}.{format}"), &run(&args));
        }
    }
}

#[test]
fn support_assistant() {
    pin_example("support-assistant");
}

#[test]
fn chat_assistant() {
    pin_example("chat-assistant");
}

#[test]
fn agent() {
    pin_example("agent");
}

#[test]
fn batch_classifier() {
    pin_example("batch-classifier");
}

#[test]
fn self_hosted() {
    pin_example("self-hosted");
}

#[test]
fn models_and_diff() {
    for format in FORMATS {
        assert_snapshot(
            &format!("models.{format}"),
            &run(&["models", "--format", format]),
        );
        assert_snapshot(
            &format!("diff.{format}"),
            &run(&[
                "diff",
                "examples/support-assistant/spec.yaml",
                "examples/chat-assistant/spec.yaml",
                "--format",
                format,
            ]),
        );
    }
    assert_snapshot("models.one", &run(&["models", "claude-sonnet-4-6"]));
}

#[test]
fn what_ifs() {
    let spec = "examples/support-assistant/spec.yaml";
    for (name, args) in [
        (
            "compare",
            vec![
                "--compare",
                "gpt-4.1-mini,claude-haiku-4-5,gemini-2.5-flash",
            ],
        ),
        ("scenarios", vec!["--scenarios"]),
        (
            "growth",
            vec!["--set", "traffic.growth_per_month=8%", "--months", "6"],
        ),
        ("p95", vec!["--budget-on", "p95"]),
    ] {
        for format in FORMATS {
            let mut full = vec!["estimate", spec, "--format", format];
            full.extend(args.iter().copied());
            assert_snapshot(&format!("support-assistant.{name}.{format}"), &run(&full));
        }
    }
}

/// Every help text, the top one and each subcommand's, and one completion
/// script: what a user reads before running anything.
#[test]
fn help_texts_and_completions() {
    assert_snapshot("help", &run(&["--help"]));
    for command in subcommands() {
        assert_snapshot(&format!("help.{command}"), &run(&[&command, "--help"]));
    }
    assert_snapshot("completions.bash", &run(&["completions", "bash"]));
}

/// `reconcile` of the support example against the shipped usage sample, in
/// every format.
#[test]
fn reconcile_formats() {
    for format in FORMATS {
        assert_snapshot(
            &format!("support-assistant.reconcile.{format}"),
            &run(&[
                "reconcile",
                "examples/support-assistant/spec.yaml",
                "--usage",
                "examples/reconcile/usage.jsonl",
                "--call-field",
                "metadata.call",
                "--request-field",
                "metadata.request",
                "--format",
                format,
            ]),
        );
    }
}
