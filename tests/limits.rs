//! A request the provider would refuse is an error, not a cost: a prompt
//! (p95 included) over the model's context window, or output over its max
//! output. In `--compare` the model's row says why instead.

mod common;

use common::*;

/// One user message of `tokens` stated tokens, and `output` output tokens.
fn spec(model: &str, tokens: u64, output: &str) -> String {
    format!(
        "feature: f\nmodel: {model}\ncalls:\n  - name: big\n    messages: [{{ role: user, text: \"{{{{x}}}}\" }}]\n    variables: {{ x: {{ tokens: {tokens} }} }}\n    output_tokens: {output}\ntraffic: {{ requests_per_day: 100 }}\n"
    )
}

#[test]
fn a_prompt_over_the_context_window_is_an_error_at_the_call() {
    // gpt-4o-mini's window is 128,000 tokens. 130,000 stated tokens plus
    // OpenAI's chat framing (3 per message + 1 for the role + 3 priming the
    // reply = 7) is 130,007: refused.
    let s = Scratch::new("over-window");
    s.write("spec.yaml", &spec("gpt-4o-mini", 130_000, "10"));
    for command in ["estimate", "check"] {
        let run = llm_cost_in(Some(&s.0), &[command, "spec.yaml"], None);
        assert_eq!(run.code, 2, "{command}: {}{}", run.stdout, run.stderr);
        let text = format!("{}{}", run.stdout, run.stderr);
        assert!(
            text.contains("spec.yaml:4:5: error: call `big` sends 130007 prompt tokens, over gpt-4o-mini's context window of 128000"),
            "{command}: {text}"
        );
    }
    // 127,993 + 7 = 128,000 exactly fits.
    s.write("spec.yaml", &spec("gpt-4o-mini", 127_993, "10"));
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_p95_output_over_the_max_output_is_an_error_at_output_tokens() {
    // gpt-4o-mini's max output is 16,384: a p95 answer of 20,000 is refused,
    // though the mean of 1,000 fits.
    let s = Scratch::new("over-output");
    s.write(
        "spec.yaml",
        &spec("gpt-4o-mini", 100, "{ mean: 1000, p95: 20000 }"),
    );
    let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.yaml:7:20: error: call `big` asks for 20000 output tokens, over gpt-4o-mini's max output of 16384"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_compared_model_that_cannot_serve_the_spec_says_why_in_its_row() {
    // 200,000 tokens fit gemini-2.5-flash's 1,048,576 window, not
    // gpt-4o-mini's 128,000: the comparison runs, and that row says why.
    let s = Scratch::new("compare-window");
    s.write("spec.yaml", &spec("gemini-2.5-flash", 200_000, "10"));
    let run = llm_cost_in(
        Some(&s.0),
        &[
            "estimate",
            "spec.yaml",
            "--compare",
            "gpt-4o-mini",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json()["alternatives"]["rows"].clone();
    let row = &rows[0];
    assert_eq!(row["label"], "gpt-4o-mini");
    assert!(
        row["error"]
            .as_str()
            .unwrap()
            .contains("over gpt-4o-mini's context window of 128000"),
        "{row}"
    );
}
