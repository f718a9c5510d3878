//! `check`: the CI gate's exit codes, verdicts and reports, run as CI would.

mod common;

use common::*;
use rust_decimal::Decimal;

/// Costs exactly $0.001 a request: gpt-4.1-nano at $0.10 per 1M input,
/// P = 3 + (3 + 1 + 9993) = 10000 tokens, no output. 100,000 requests a day
/// for 30 days is exactly $3,000 a month.
const EXACT: &str = "feature: Exactly three thousand
model: gpt-4.1-nano
calls:
  - name: one
    messages: [{ role: user, text: \"{{x}}\" }]
    variables: { x: { tokens: 9993 } }
    output_tokens: 0
traffic: { requests_per_day: 100000 }
budget:
  max_monthly_spend: 3000.00
";

const ECONOMICS: &str = "economics: { users: 1000, revenue_per_user_per_month: 20 }\n";

fn check(dir: &Scratch, args: &[&str]) -> Run {
    let mut full = vec!["check"];
    full.extend_from_slice(args);
    llm_cost_in(Some(&dir.0), &full, None)
}

#[test]
fn a_budget_is_kept_at_exactly_its_limit() {
    let s = Scratch::new("exact");
    s.write("spec.yaml", EXACT);
    let run = check(&s, &["spec.yaml", "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let doc = run.json();
    let est = &doc["estimates"][0];
    assert_eq!(est["cost_per_request"], "0.001");
    assert_eq!(est["cost_per_month"], "3000");
    assert_eq!(est["budget"][0]["ok"], true);
    assert_eq!(est["budget"][0]["headroom"], "0");
    // One hundredth of a cent less budget, and it breaks.
    let run = check(&s, &["spec.yaml", "--max-monthly", "2999.99"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("✗ monthly spend $3,000.00 > $2,999.99 — over by $0.01"),
        "{}",
        run.stdout
    );
    let run = check(&s, &["spec.yaml", "--max-monthly", "$3,000"]);
    assert_eq!(run.code, 0);
}

#[test]
fn a_mix_of_good_over_budget_and_broken_specs() {
    let s = Scratch::new("mix");
    s.write("good.yaml", EXACT);
    s.write("over.yaml", &EXACT.replace("3000.00", "2000"));
    s.write(
        "broken.yaml",
        &EXACT.replace("model: gpt-4.1-nano", "model: gpt-4.1-nanoo"),
    );
    let run = check(&s, &["good.yaml", "over.yaml", "broken.yaml"]);
    assert_eq!(run.code, 2, "bad input wins: {}", run.stdout);
    assert!(
        run.stdout
            .contains("good.yaml — Exactly three thousand — gpt-4.1-nano: within budget"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("over.yaml — Exactly three thousand — gpt-4.1-nano: OVER BUDGET"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("✗ monthly spend $3,000.00 > $2,000 — over by $1,000.00 (50.0%)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("broken.yaml:2:8: error: unknown model `gpt-4.1-nanoo`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 specs: 1 within budget, 1 over budget, 1 unreadable"),
        "{}",
        run.stdout
    );

    let run = check(&s, &["good.yaml", "over.yaml"]);
    assert_eq!(run.code, 1);
    let run = check(&s, &["good.yaml", "over.yaml", "--warn-only"]);
    assert_eq!(run.code, 0, "--warn-only reports but passes");
    assert!(
        run.stdout.contains("OVER BUDGET") && run.stdout.contains("--warn-only"),
        "{}",
        run.stdout
    );
    let run = check(&s, &["good.yaml", "broken.yaml", "--warn-only"]);
    assert_eq!(run.code, 2, "--warn-only does not hide bad input");

    let run = check(&s, &["*.yaml", "--format", "json"]);
    let doc = run.json();
    assert_eq!(
        (
            doc["specs"].as_u64(),
            doc["over_budget"].as_u64(),
            doc["exit_code"].as_u64()
        ),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(doc["errors"][0]["spec"], "broken.yaml");
    assert!(
        run.stderr.contains("unknown model"),
        "errors also go to stderr with --format json"
    );
}

#[test]
fn flags_can_only_tighten_the_spec_budget() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/support-assistant/spec.yaml");
    // The spec's own budget: $0.002 per request, $3,000 a month, margin 75%.
    let run = llm_cost(&[
        "check",
        &spec,
        "--min-margin",
        "90%",
        "--max-per-request",
        "0.01",
        "--max-monthly",
        "20000",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let budget = run.json()["estimates"][0]["budget"]
        .as_array()
        .unwrap()
        .clone();
    let rule = |name: &str| budget.iter().find(|v| v["rule"] == name).unwrap().clone();
    assert_eq!(
        (
            rule("min_gross_margin")["limit"].as_str(),
            rule("min_gross_margin")["ok"].as_bool()
        ),
        (Some("0.9"), Some(false)),
        "90% is stricter than the spec's 75%"
    );
    assert_eq!(
        rule("max_cost_per_request")["limit"],
        "0.002",
        "a looser flag ($0.01) leaves the spec's $0.002 in force"
    );
    assert_eq!(
        rule("max_monthly_spend")["limit"],
        "3000",
        "an org-wide cap of $20,000 does not relax the spec's $3,000"
    );
    let run = llm_cost(&["check", &spec, "--max-monthly", "300", "--format", "json"]);
    assert_eq!(run.code, 1, "a stricter flag ($300 < $363.40) applies");
    let verdicts = run.json()["estimates"][0]["budget"].clone();
    let monthly = verdicts
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "max_monthly_spend")
        .unwrap()
        .clone();
    assert_eq!(
        (monthly["limit"].as_str(), monthly["ok"].as_bool()),
        (Some("300"), Some(false))
    );
}

#[test]
fn a_spec_over_its_own_budget_fails_whatever_cap_the_command_line_sets() {
    // The audit's case: a $5,000 budget, $17,316/month, and a $20,000 CI cap.
    let s = Scratch::new("loose-cap");
    s.write(
        "spec.yaml",
        &EXACT
            .replace("max_monthly_spend: 3000.00", "max_monthly_spend: 5000")
            .replace("requests_per_day: 100000", "requests_per_day: 577200"),
    );
    let run = check(&s, &["spec.yaml", "--max-monthly", "20000"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("> $5,000"), "{}", run.stdout);
}

#[test]
fn a_bare_ratio_above_one_is_refused_everywhere() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = format!("{root}/examples/support-assistant/spec.yaml");
    for (flag, value, hint) in [
        ("--min-margin", "75", "`75%`"),
        ("--max-margin-drop", "2", "`2pt`"),
        ("--max-increase", "10", "`10%`"),
    ] {
        let mut args = vec!["check", spec.as_str(), flag, value];
        if flag == "--max-increase" {
            args.extend(["--baseline", spec.as_str()]);
        }
        let run = llm_cost(&args);
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(run.stderr.contains(hint), "{flag} {value}: {}", run.stderr);
    }
    // The same rule in the spec and through --set.
    let s = Scratch::new("ratio-rule");
    s.write(
        "spec.yaml",
        &EXACT.replace(
            "budget:",
            &format!("{ECONOMICS}budget:\n  min_gross_margin: 75"),
        ),
    );
    let run = check(&s, &["spec.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("`75%`"), "{}", run.stdout);
    s.write(
        "spec.yaml",
        &EXACT.replace(
            "budget:",
            &format!("{ECONOMICS}budget:\n  min_gross_margin: 75%"),
        ),
    );
    let run = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--set",
            "budget.min_gross_margin=80",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`80%`"), "{}", run.stderr);
}

#[test]
fn margin_flags_need_economics() {
    let s = Scratch::new("no-economics");
    s.write("spec.yaml", EXACT);
    let run = check(&s, &["spec.yaml", "--min-margin", "0.5"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("need the spec's `economics` block"),
        "{}",
        run.stdout
    );
}

#[test]
fn max_increase_is_judged_against_a_saved_baseline() {
    let s = Scratch::new("increase");
    s.write("spec.yaml", EXACT);
    let base = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--format", "json"],
        None,
    );
    s.write("base.json", &base.stdout);
    // The pull request makes the prompt 10% longer: 11000 tokens.
    s.write(
        "spec.yaml",
        &EXACT.replace("9993", "10993").replace("3000.00", "4000"),
    );
    let run = check(
        &s,
        &[
            "spec.yaml",
            "--baseline",
            "base.json",
            "--max-increase",
            "10%",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        run.code, 0,
        "exactly +10% is within a 10% limit: {}",
        run.stdout
    );
    let est = &run.json()["estimates"][0];
    let (base_cost, head_cost) = (d("3000"), dec(&est["cost_per_month"]));
    assert_eq!(head_cost, d("3300"));
    let verdict = est["budget"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "max_increase")
        .unwrap()
        .clone();
    assert_eq!(dec(&verdict["actual"]), (head_cost - base_cost) / base_cost);
    assert_eq!(est["baseline_cost_per_month"], "3000");
    let run = check(
        &s,
        &[
            "spec.yaml",
            "--baseline",
            "base.json",
            "--max-increase",
            "9.99%",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("+$300.00 (+10.0%) vs baseline"),
        "{}",
        run.stdout
    );
}

#[test]
fn github_annotations_point_at_the_broken_budget_line() {
    let s = Scratch::new("github");
    s.write("spec.yaml", &EXACT.replace("3000.00", "2000"));
    let summary = s.write("summary.md", "earlier step\n");
    let summary_path = summary.to_string_lossy().into_owned();
    let run = llm_cost_env(
        &s.0,
        &["check", "spec.yaml"],
        &[
            ("GITHUB_ACTIONS", Some("true")),
            ("GITHUB_STEP_SUMMARY", Some(&summary_path)),
        ],
    );
    let stderr = &run.stderr;
    assert_eq!(run.code, 1);
    // `max_monthly_spend:` is on line 10 of the spec.
    assert!(
        stderr.contains("::error file=spec.yaml,line=10,col=3,title=llm-cost%3A budget broken::Exactly three thousand: monthly spend $3,000.00 > $2,000 — over by $1,000.00 (50.0%25)"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n"),
        "the summary is appended to, not overwritten"
    );
    assert!(
        written.contains("<!-- llm-cost:check -->") && written.contains("1 budget broken"),
        "{written}"
    );

    // A limit from the command line points at the model that drives the cost.
    s.write("spec.yaml", EXACT);
    let run = check(
        &s,
        &["spec.yaml", "--github", "--max-per-request", "0.0005"],
    );
    assert!(
        run.stderr.contains("::error file=spec.yaml,line=2,"),
        "{}",
        run.stderr
    );
}

#[test]
fn markdown_reports_are_valid_github_tables_with_a_marker() {
    let s = Scratch::new("markdown");
    s.write(
        "ok.yaml",
        &EXACT.replace(
            "feature: Exactly three thousand",
            "feature: \"Pipes | and \\\\ in a name\"",
        ),
    );
    s.write("over.yaml", &EXACT.replace("3000.00", "2000"));
    let run = check(&s, &["ok.yaml", "over.yaml", "--format", "markdown"]);
    let md = &run.stdout;
    assert!(
        md.starts_with(
            "<!-- llm-cost:check -->\n### llm-cost: $6,000.00/month · 1 budget broken\n"
        ),
        "{md}"
    );
    assert_eq!(assert_valid_tables(md), 2);
    let first_row = md
        .lines()
        .find(|l| l.starts_with("| ✗") || l.starts_with("| ✓"))
        .unwrap();
    assert!(
        first_row.starts_with("| ✗ broken"),
        "broken rules come first: {md}"
    );
    assert!(md.contains("Pipes \\| and"), "{md}");

    let root = env!("CARGO_MANIFEST_DIR");
    for spec in ["support-assistant", "agent", "batch-classifier"] {
        let spec = format!("{root}/examples/{spec}/spec.yaml");
        let est = llm_cost(&["estimate", &spec, "--format", "markdown"]);
        assert!(est.stdout.starts_with("<!-- llm-cost:estimate -->"));
        assert!(assert_valid_tables(&est.stdout) >= 2);
    }
}

#[test]
fn csv_has_one_header_and_rectangular_rows() {
    let s = Scratch::new("csv");
    s.write("a.yaml", EXACT);
    s.write(
        "b.yaml",
        &EXACT.replace(
            "feature: Exactly three thousand",
            "feature: \"Commas, quoted\"",
        ),
    );
    let run = check(&s, &["a.yaml", "b.yaml", "--format", "csv"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("spec,feature,rule,limit,actual,ok"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].contains("\"Commas, quoted\",max_monthly_spend,3000,3000,true,0"),
        "{}",
        run.stdout
    );
}

#[test]
fn output_files_are_written_only_where_named() {
    let s = Scratch::new("outputs");
    s.write("spec.yaml", EXACT);
    let run = check(
        &s,
        &[
            "spec.yaml",
            "--output",
            "report.md",
            "--output",
            "json=data.txt",
            "-o",
            "rows.csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(s.0.join("report.md"))
            .unwrap()
            .starts_with("<!-- llm-cost:check -->")
    );
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.0.join("data.txt")).unwrap()).unwrap();
    assert_eq!(data["command"], "check");
    assert!(
        std::fs::read_to_string(s.0.join("rows.csv"))
            .unwrap()
            .starts_with("spec,feature,rule")
    );
    let mut files: Vec<String> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec!["data.txt", "report.md", "rows.csv", "spec.yaml"]
    );
}

#[test]
fn check_of_no_spec_is_a_usage_error() {
    let run = llm_cost(&["check"]);
    assert_eq!(run.code, 2);
    let run = llm_cost(&["check", "nothing/*.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("no spec matches this pattern"),
        "{}",
        run.stdout
    );
    let _ = Decimal::ZERO;
}

#[test]
fn the_example_workflow_is_valid_yaml_and_uses_the_real_marker() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/ci/github-actions.yml"
    ))
    .unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = doc["jobs"]["cost"]["steps"].as_sequence().unwrap();
    let uses = steps
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect::<Vec<_>>();
    assert!(uses.iter().any(|u| u.ends_with("/llm-cost@v0")), "{uses:?}");
    assert!(
        text.contains("\"specs/**/*.yaml\"") && text.contains("\"specs/**\""),
        "the spec glob recurses like the trigger"
    );

    let action_text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let action: serde_yaml::Value = serde_yaml::from_str(&action_text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    for input in [
        "specs",
        "max-monthly",
        "max-increase",
        "min-margin",
        "comment",
    ] {
        assert!(action["inputs"][input].is_mapping(), "input {input}");
    }
    // The comment step finds its comment by the marker `check --format
    // markdown` writes *and* by its author, and skips forks' pull requests.
    let s = Scratch::new("marker");
    s.write("spec.yaml", EXACT);
    let md = check(&s, &["spec.yaml", "--format", "markdown"]).stdout;
    let marker = md.lines().next().unwrap();
    assert!(
        action_text.contains(&format!("startswith(\\\"{marker}\\\")")),
        "the action does not look for {marker}"
    );
    assert!(action_text.contains(".user.login == \\\"$AUTHOR\\\""));
    assert!(action_text.contains("head.repo.full_name == github.repository"));
}
