//! The CI gate cannot be talked into passing, used to forge GitHub output,
//! or made to overwrite what it reads. Every spec here is hostile on purpose.

mod common;

use common::*;

/// Names that try every trick: workflow commands after a newline, terminal
/// escapes (OSC 8 link, colour), spreadsheet formulas, HTML and a mention.
const HOSTILE: &str = r#"feature: "Evil\n::error file=README.md::forged\n::stop-commands::pwned <img src=x> @octocat"
model: gpt-4.1-nano
calls:
  - name: "=HYPERLINK(\"http://x\",\"y\")"
    messages: [{ role: user, text: "{{x}}" }]
    variables: { x: { tokens: 9993 } }
    output_tokens: 0
  - name: "\e]8;;http://evil\aclick\e[0m\n::warning::x"
    messages: [{ role: user, text: "hi" }]
    output_tokens: 0
traffic: { requests_per_day: 100000 }
budget:
  max_monthly_spend: 100
"#;

/// The file name of a hostile spec that would start a table line with `::`.
const NAMED: &str = "::error::named.yaml";

fn own_annotation(line: &str) -> bool {
    let line = line.trim_start();
    (line.starts_with("::error file=") || line.starts_with("::warning file="))
        && ["evil.yaml,", "bad.yaml,", "%3A%3Aerror%3A%3Anamed.yaml,"]
            .iter()
            .any(|f| line.contains(&format!("file={f}")))
        && line.contains(",title=llm-cost")
}

fn assert_inert(what: &str, text: &str, annotations_allowed: bool) {
    assert!(
        !text.contains('\u{1b}'),
        "{what}: an ESC byte was written:\n{text}"
    );
    assert!(!text.contains('\u{7}'), "{what}: a BEL byte was written");
    for line in text.lines() {
        if line.trim_start().starts_with("::") {
            assert!(
                annotations_allowed && own_annotation(line),
                "{what}: a line GitHub would run as a command: {line:?}"
            );
        }
    }
}

#[test]
fn hostile_names_are_neutralised_in_every_format_and_file() {
    let s = Scratch::new("hostile");
    s.write("evil.yaml", HOSTILE);
    s.write(NAMED, HOSTILE);
    let summary = s.write("summary.md", "");
    let summary = summary.to_string_lossy().into_owned();
    for format in ["table", "json", "markdown", "csv"] {
        let run = llm_cost_env(
            &s.0,
            &[
                "check",
                "evil.yaml",
                NAMED,
                "--format",
                format,
                "-o",
                "out.json",
                "-o",
                "out.md",
                "-o",
                "out.csv",
                "-o",
                "out.txt",
            ],
            &[
                ("GITHUB_ACTIONS", Some("true")),
                ("GITHUB_STEP_SUMMARY", Some(&summary)),
            ],
        );
        assert_eq!(run.code, 1, "{format}: {}{}", run.stdout, run.stderr);
        assert_inert(&format!("{format} stdout"), &run.stdout, false);
        assert_inert(&format!("{format} stderr"), &run.stderr, true);
        assert!(
            run.stderr.lines().filter(|l| own_annotation(l)).count() >= 2,
            "the real annotations are still there:\n{}",
            run.stderr
        );
        for file in ["out.json", "out.md", "out.csv", "out.txt", "summary.md"] {
            let text = std::fs::read_to_string(s.0.join(file)).unwrap();
            assert_inert(&format!("{format}: {file}"), &text, false);
        }
    }
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "evil.yaml", "--format", "csv"],
        None,
    );
    let csv = run.stdout;
    assert!(
        csv.contains("'=HYPERLINK") && !csv.lines().any(|l| l.contains(",=") || l.starts_with('=')),
        "a name that is a formula is written as text:\n{csv}"
    );
    let md = std::fs::read_to_string(s.0.join("out.md")).unwrap();
    assert!(
        !md.contains("<img"),
        "no HTML from a name in the PR comment:\n{md}"
    );
    assert!(
        !md.contains("@octocat"),
        "no mention from a name in the PR comment:\n{md}"
    );
    let json = std::fs::read_to_string(s.0.join("out.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        doc["estimates"][0]["feature"],
        "Evil\\n::error file=README.md::forged\\n::stop-commands::pwned <img src=x> @octocat",
        "JSON keeps the name, escaped onto one line"
    );
}

#[test]
fn hostile_names_in_a_diagnostic_and_a_saved_baseline_are_neutralised() {
    let s = Scratch::new("hostile-errors");
    // An unknown key whose name carries a newline and an escape sequence.
    s.write(
        "bad.yaml",
        &HOSTILE.replace(
            "traffic:",
            "\"x\\n::error file=README.md::forged\\e[2J\": 1\ntraffic:",
        ),
    );
    let run = llm_cost_env(
        &s.0,
        &["check", "bad.yaml"],
        &[("GITHUB_ACTIONS", Some("true"))],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_inert("stdout", &run.stdout, false);
    assert_inert("stderr", &run.stderr, true);
    let run = llm_cost_in(Some(&s.0), &["estimate", "bad.yaml"], None);
    assert_inert("estimate stderr", &run.stderr, false);

    // A saved estimate (the base branch's) is read back as untrusted too.
    s.write("evil.yaml", HOSTILE);
    let saved = llm_cost_in(
        Some(&s.0),
        &["estimate", "evil.yaml", "--format", "json"],
        None,
    );
    let raw = saved
        .stdout
        .replace("Evil\\\\n", "Evil\\n")
        .replace("::pwned", "::pwned\\u001b[31m");
    s.write("base.json", &raw);
    for format in ["table", "markdown", "csv"] {
        let run = llm_cost_in(
            Some(&s.0),
            &["diff", "base.json", "evil.yaml", "--format", format],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_inert(&format!("diff {format}"), &run.stdout, false);
    }
}

#[test]
fn only_the_command_that_judges_the_pull_request_annotates_it() {
    let s = Scratch::new("github-mode");
    s.write(
        "spec.yaml",
        &HOSTILE.replace("feature: \"Evil", "feature: \"Plain"),
    );
    let summary = s.write("summary.md", "");
    let summary = summary.to_string_lossy().into_owned();
    let env = [
        ("GITHUB_ACTIONS", Some("true")),
        ("GITHUB_STEP_SUMMARY", Some(summary.as_str())),
    ];
    let run = llm_cost_env(
        &s.0,
        &["check", "spec.yaml", "--github", "never", "--warn-only"],
        &env,
    );
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("::"), "no annotation: {}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "",
        "no job summary"
    );

    let run = llm_cost_env(&s.0, &["check", "spec.yaml"], &env);
    assert!(
        run.stderr.contains("::error file=spec.yaml,line=13,col=3,"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("llm-cost:check")
    );

    let run = llm_cost_env(
        &s.0,
        &["check", "spec.yaml", "--github", "always"],
        &[("GITHUB_ACTIONS", None)],
    );
    assert!(
        run.stderr.contains("::error file=spec.yaml"),
        "{}",
        run.stderr
    );

    let gate = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-gate.sh"),
    )
    .unwrap();
    let base_step = gate
        .lines()
        .find(|l| l.contains("llm-cost check") && l.contains("--warn-only"))
        .expect("the base branch is estimated with check --warn-only");
    assert!(base_step.contains("--github never"), "{base_step}");
}

#[test]
fn failures_are_structured_located_and_never_an_all_clear() {
    let s = Scratch::new("structured");
    std::fs::create_dir_all(s.0.join("repo/specs")).unwrap();
    s.write(
        "repo/specs/a.yaml",
        &HOSTILE
            .replace("traffc", "x")
            .replace("traffic:", "traffc:"),
    );
    s.write("repo/specs/b.yaml", "feature: [unclosed\n");
    let run = llm_cost_in(
        Some(&s.0),
        &["check", "repo/specs/*.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 2);
    let doc = run.json();
    let errors = doc["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{errors:?}");
    let first = &errors[0];
    assert_eq!(first["file"], "repo/specs/a.yaml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(11), Some(1))
    );
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `traffc`")
    );
    assert!(first["help"].as_str().unwrap().contains("traffic"));
    for e in errors {
        assert!(!e["message"].as_str().unwrap().contains('\n'), "{e}");
    }

    // A spec that cannot be read gives JSON on stdout with --format json.
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "repo/specs/a.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 2);
    let doc = run.json();
    assert_eq!(
        (doc["ok"].as_bool(), doc["exit_code"].as_u64()),
        (Some(false), Some(2))
    );
    assert_eq!(doc["errors"][0]["line"], 11);

    // Every spec unreadable: the PR comment does not say "all budgets kept".
    let run = llm_cost_in(
        Some(&s.0),
        &["check", "repo/specs/*.yaml", "--format", "markdown"],
        None,
    );
    assert!(!run.stdout.contains("all budgets kept"), "{}", run.stdout);
    assert!(
        run.stdout.contains("no spec could be checked"),
        "{}",
        run.stdout
    );

    // Annotations: col=, paths relative to the repository, warnings too.
    s.write("repo/specs/a.yaml", HOSTILE);
    let elsewhere = s.0.join("repo/specs/a.yaml").to_string_lossy().into_owned();
    let workspace = s.0.join("repo").to_string_lossy().into_owned();
    let run = llm_cost_env(
        &s.0,
        &["check", &elsewhere, "--format", "markdown"],
        &[
            ("GITHUB_ACTIONS", Some("true")),
            ("GITHUB_WORKSPACE", Some(&workspace)),
        ],
    );
    assert!(
        run.stderr
            .contains("::error file=specs/a.yaml,line=13,col=3,title=llm-cost%3A budget broken::"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("::warning file=specs/a.yaml,title=llm-cost%3A warning::")
            && run.stderr.contains("retired"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("⚠️") && run.stdout.contains("retired"),
        "the PR comment lists warnings:\n{}",
        run.stdout
    );
}

#[test]
fn output_files_never_overwrite_an_input_and_are_all_or_nothing() {
    let s = Scratch::new("outputs");
    s.write(
        "spec.yaml",
        &HOSTILE.replace("feature: \"Evil", "feature: \"Plain"),
    );
    s.write("base.json", "{}");
    s.write(
        "prices.yaml",
        "provider: acme\nas_of: 2026-11-01\nsource: x\nmodels: {}\n",
    );
    let original = std::fs::read_to_string(s.0.join("spec.yaml")).unwrap();
    for (args, why) in [
        (vec!["estimate", "spec.yaml", "-o", "spec.yaml"], "the spec"),
        (
            vec!["estimate", "spec.yaml", "-o", "./spec.yaml"],
            "the spec, spelt differently",
        ),
        (
            vec![
                "check",
                "spec.yaml",
                "--baseline",
                "base.json",
                "--max-increase",
                "10%",
                "-o",
                "json=base.json",
            ],
            "the baseline",
        ),
        (
            vec![
                "estimate",
                "spec.yaml",
                "--pricing",
                "prices.yaml",
                "-o",
                "prices.yaml",
            ],
            "a pricing file",
        ),
        (
            vec![
                "estimate",
                "spec.yaml",
                "-o",
                "a.md",
                "-o",
                "markdown=./a.md",
            ],
            "one file twice",
        ),
        (
            vec!["estimate", "spec.yaml", "-o", "jsn=a.json"],
            "an unknown format",
        ),
    ] {
        let run = llm_cost_in(Some(&s.0), &args, None);
        assert_eq!(run.code, 2, "{why}: {}", run.stderr);
        assert!(
            !s.0.join("a.md").exists() && !s.0.join("a.json").exists(),
            "{why}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(s.0.join("spec.yaml")).unwrap(),
        original
    );
    assert_eq!(
        std::fs::read_to_string(s.0.join("base.json")).unwrap(),
        "{}"
    );

    // One file cannot be written: none is, and no temporary file is left.
    s.write("not-a-folder", "");
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "-o",
            "good.md",
            "-o",
            "not-a-folder/out.json",
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("good") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // `-o -` is standard output.
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml", "-o", "json=-"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["feature"]
            .as_str()
            .map(|f| f.starts_with("Plain")),
        Some(true)
    );
    assert!(!s.0.join("-").exists());
}

/// A spec in `specs/` whose system prompt lives in the repository's `prompts/`.
fn repo_spec(prompt: &str) -> String {
    HOSTILE
        .replace("feature: \"Evil", "feature: \"Plain")
        .replace("text: \"hi\"", &format!("file: {prompt}"))
        .replace("max_monthly_spend: 100", "max_monthly_spend: 100000")
}

#[test]
fn specs_read_files_anywhere_in_their_repository_and_nowhere_else() {
    let s = Scratch::new("repo-layout");
    std::fs::create_dir_all(s.0.join("repo/.git")).unwrap();
    s.write("repo/prompts/system.md", "You answer tickets.");
    s.write("secret.txt", "the CI machine's secrets");
    s.write(
        "repo/specs/team/ok.yaml",
        &repo_spec("../../prompts/system.md"),
    );
    let run = llm_cost_in(Some(&s.0.join("repo")), &["check", "specs/**/*.yaml"], None);
    assert_eq!(
        run.code, 0,
        "prompts/ beside specs/ is inside the repository: {}",
        run.stderr
    );

    s.write("repo/specs/team/ok.yaml", &repo_spec("../../../secret.txt"));
    let run = llm_cost_in(Some(&s.0.join("repo")), &["check", "specs/**/*.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("is outside the repository"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("secrets") && !run.stderr.contains("secrets"));

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(s.0.join("secret.txt"), s.0.join("repo/prompts/link.md"))
            .unwrap();
        s.write(
            "repo/specs/team/ok.yaml",
            &repo_spec("../../prompts/link.md"),
        );
        let run = llm_cost_in(
            Some(&s.0.join("repo")),
            &["check", "specs/team/ok.yaml"],
            None,
        );
        assert_eq!(run.code, 2, "a symlink out of the repository is refused");
        assert!(
            run.stdout.contains("outside the repository"),
            "{}",
            run.stdout
        );
    }

    // --root narrows (or moves) the boundary.
    s.write(
        "repo/specs/team/ok.yaml",
        &repo_spec("../../prompts/system.md"),
    );
    let run = llm_cost_in(
        Some(&s.0.join("repo")),
        &["estimate", "specs/team/ok.yaml", "--root", "specs"],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is outside --root"), "{}", run.stderr);

    // An absolute path is refused, unless --allow-outside-files (as its help says).
    let secret = s.0.join("secret.txt").to_string_lossy().into_owned();
    s.write("repo/specs/team/ok.yaml", &repo_spec(&secret));
    let run = llm_cost_in(
        Some(&s.0.join("repo")),
        &["estimate", "specs/team/ok.yaml"],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is an absolute path"), "{}", run.stderr);
    let run = llm_cost_in(
        Some(&s.0.join("repo")),
        &["estimate", "specs/team/ok.yaml", "--allow-outside-files"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Output files never rename over anything but a regular file: a symlink
/// to a device keeps pointing at it and the device stays a device, a FIFO
/// is written in place, a symlink to a file keeps the link, and no
/// temporary file is left beside any of them.
#[cfg(unix)]
#[test]
fn output_files_are_written_in_place_on_devices_and_fifos() {
    use std::os::unix::fs::FileTypeExt;
    let s = Scratch::new("outputs-special");
    s.write(
        "spec.yaml",
        &HOSTILE.replace("feature: \"Evil", "feature: \"Plain"),
    );
    // A link to /dev/null (not /dev/null itself: a regression must not
    // replace the machine's device).
    std::os::unix::fs::symlink("/dev/null", s.0.join("null")).unwrap();
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml", "-o", "null"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = std::fs::symlink_metadata(s.0.join("null")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // A symlink to a file: the link stays, the file gets the report.
    s.write("real.md", "old");
    std::os::unix::fs::symlink("real.md", s.0.join("report.md")).unwrap();
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "-o", "report.md"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(s.0.join("report.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(s.0.join("real.md"))
            .unwrap()
            .contains("Plain")
    );

    // A FIFO is written in place, to the reader on its other end.
    let fifo = s.0.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|m| m.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let run = llm_cost_in(
            Some(&s.0),
            &["estimate", "spec.yaml", "-o", "json=pipe"],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(reader.join().unwrap().contains("\"feature\""));
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    } else {
        eprintln!("skipped the FIFO case: mkfifo is not available");
    }
    let left: Vec<_> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// `pricing import -o` never overwrites the map it reads; `init` never
/// follows a dangling symlink to create its target, and a file name that
/// is not plain is quoted on one line of the starter, which still runs.
#[cfg(unix)]
#[test]
fn import_and_init_write_only_what_the_user_named() {
    let s = Scratch::new("import-init-writes");
    let map = std::fs::read_to_string(fixture("litellm-prices-excerpt.json")).unwrap();
    s.write("l.json", &map);
    let run = llm_cost_in(
        Some(&s.0),
        &["pricing", "import", "litellm", "l.json", "-o", "l.json"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("would overwrite a file this run reads"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(s.0.join("l.json")).unwrap(), map);

    std::os::unix::fs::symlink("elsewhere/target.yaml", s.0.join("dangling.yaml")).unwrap();
    std::fs::create_dir(s.0.join("elsewhere")).unwrap();
    let run = llm_cost_in(Some(&s.0), &["init", "dangling.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!s.0.join("elsewhere/target.yaml").exists());

    let odd = "x\ny: 1.yaml";
    let run = llm_cost_in(Some(&s.0), &["init", odd], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = llm_cost_in(Some(&s.0), &["estimate", odd, "--format", "json"], None);
    assert_eq!(run.code, 0, "the starter still parses: {}", run.stderr);
    let text = std::fs::read_to_string(s.0.join(odd)).unwrap();
    assert!(text.contains("llm-cost estimate 'x\\ny: 1.yaml'"), "{text}");
}

/// A margin rule that cannot be judged fails, with the reason: a pull
/// request must not escape `--min-margin`, `--max-margin-drop` or the
/// spec's own `min_gross_margin` by making revenue 0 (S19).
#[test]
fn a_margin_rule_without_revenue_fails_and_says_why() {
    let s = Scratch::new("gate-no-revenue");
    let spec = |rest: &str| {
        format!(
            "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\ntraffic: {{ requests_per_day: 100 }}\n{rest}"
        )
    };
    for economics in [
        "economics: { users: 0, revenue_per_user_per_month: 10 }\n",
        "economics: { revenue_per_month: 0 }\n",
        "economics: { revenue_per_request: 0 }\n",
    ] {
        s.write("spec.yaml", &spec(economics));
        for flag in [["--min-margin", "60%"], ["--max-margin-drop", "2pt"]] {
            let run = llm_cost_in(Some(&s.0), &["check", "spec.yaml", flag[0], flag[1]], None);
            assert_eq!(run.code, 1, "{economics} {flag:?}: {}", run.stdout);
            assert!(
                run.stdout.contains("cannot be judged: there is no revenue"),
                "{}",
                run.stdout
            );
        }
    }
    // No economics at all: the margin flags are an input error (exit 2).
    s.write("spec.yaml", &spec(""));
    let run = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--min-margin", "60%"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    s.write(
        "spec.yaml",
        &spec("economics: { revenue_per_month: 0 }\nbudget: { min_gross_margin: 0.6 }\n"),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    let verdict = &run.json()["estimates"][0]["budget"][0];
    assert_eq!(verdict["rule"], "min_gross_margin");
    assert_eq!(verdict["ok"], false);
    assert!(verdict["unjudged"].as_str().unwrap().contains("no revenue"));
}

/// The Action's gate (scripts/action-gate.sh, which action.yml runs) on a
/// real git repository: the base branch is estimated with the same `args`
/// as the pull request (A11: with a 50% discount on one side only, a 90%
/// traffic rise read as −5% and passed), every line of a multi-line `args`
/// counts, and two uses in one job do not collide.
#[cfg(unix)]
#[test]
fn the_actions_gate_prices_base_and_head_alike() {
    let s = Scratch::new("action-gate");
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@e.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@e.invalid")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let origin = s.0.join("origin");
    std::fs::create_dir_all(origin.join("specs")).unwrap();
    std::fs::create_dir_all(origin.join("prices")).unwrap();
    let spec = |per_day: u32| {
        format!(
            "feature: f\nmodel: gpt-5.4-mini\ncalls:\n  - name: a\n    messages: [{{ role: user, tokens: 1000 }}]\n    output_tokens: 100\ntraffic: {{ requests_per_day: {per_day} }}\n"
        )
    };
    std::fs::write(origin.join("specs/a.yaml"), spec(1000)).unwrap();
    std::fs::write(
        origin.join("prices/company.yaml"),
        "provider: openai\nas_of: 2026-11-20\nsource: our agreement\ndiscount: 0.5\nmodels: {}\n",
    )
    .unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "base"]);
    let head = s.0.join("head");
    git(&s.0, &["clone", "-q", origin.to_str().unwrap(), "head"]);
    git(&head, &["checkout", "-q", "-b", "pr"]);
    std::fs::write(head.join("specs/a.yaml"), spec(1900)).unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_llm-cost"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-gate.sh");
    let run_gate = |work: &str, args: &str| {
        let work = s.0.join(work);
        std::fs::create_dir_all(&work).unwrap();
        let output = s.0.join(format!("{}.out", work.display()));
        let out = std::process::Command::new("bash")
            .arg(&script)
            .current_dir(&head)
            .env("PATH", &path)
            .env("LLM_COST_TODAY", "2026-11-27")
            .env("SPECS", "specs/*.yaml")
            .env("ARGS", args)
            .env("MAX_INCREASE", "50%")
            .env("BASE_REF", "main")
            .env("WORK", &work)
            .env("GITHUB_OUTPUT", &output)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .expect("bash runs");
        let report = std::fs::read_to_string(work.join("llm-cost.md")).unwrap_or_default();
        let said = std::fs::read_to_string(&output).unwrap_or_default();
        (
            said,
            report,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The rise is +90% whatever the discount, when both sides have it.
    let (said, report, stderr) = run_gate("one", "--pricing\nprices/company.yaml");
    assert!(said.contains("exit-code=1"), "{said} {stderr}\n{report}");
    assert!(report.contains("+90.0%"), "{report}\n{stderr}");
    // A second use in the same job has its own folder and works alike.
    let (said, report, _) = run_gate("two", "--pricing prices/company.yaml");
    assert!(said.contains("exit-code=1"), "{said}");
    assert!(report.contains("+90.0%"), "{report}");
}
