//! The PR comment, the job summary and reconcile's markdown, rendered by
//! GitHub's own Markdown engine (cmark-gfm, through its Python binding
//! `cmarkgfm`) with raw HTML allowed as GitHub allows it: names from a
//! hostile spec or usage log make no image, no link and no mention. Needs
//! `cmarkgfm`; `.ci/run` installs it into `target/gfm-py`, elsewhere the
//! test says it skipped.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RENDER: &str = "import sys, cmarkgfm\nfrom cmarkgfm.cmark import Options\nsys.stdout.write(cmarkgfm.github_flavored_markdown_to_html(sys.stdin.read(), options=Options.CMARK_OPT_UNSAFE))";

/// GitHub's HTML for `markdown`, or None where cmarkgfm is missing.
fn render(markdown: &str) -> Option<String> {
    let mut child = Command::new("python3")
        .args(["-c", RENDER])
        .env("PYTHONPATH", root().join("target/gfm-py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(markdown.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Names that would be live in a comment read as CommonMark-only escaping
/// allows: one backtick before HTML, a bare URL, a mention, an email.
const EVIL: [&str; 4] = [
    "x`<img src=https://e.invalid/p.png>",
    "see https://e.invalid/phish and www.e.invalid",
    "@octocat",
    "[click](https://e.invalid)",
];

/// `html` without its code spans, where GitHub makes no mentions.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find("<code>") {
        out.push_str(&rest[..open]);
        rest = rest[open..].split_once("</code>").map_or("", |(_, r)| r);
    }
    out + rest
}

fn assert_inert(what: &str, html: &str) {
    assert!(!html.contains("<img"), "{what}: an image\n{html}");
    assert!(!html.contains("<a "), "{what}: a link\n{html}");
    assert!(
        !outside_code(html).contains("@octocat"),
        "{what}: a mention\n{html}"
    );
}

#[test]
fn hostile_names_render_inert_on_github() {
    if render("x").is_none() {
        skipped(
            "the GFM rendering test needs cmarkgfm (`.ci/run` installs it: python3 -m pip install --target target/gfm-py cmarkgfm)",
        );
        return;
    }
    let s = Scratch::new("gfm");
    let spec = format!(
        "feature: \"{}\"\nmodel: gpt-5.4-mini\ncalls:\n  - name: \"{}\"\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\n  - name: \"{}\"\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\n  - name: \"{}\"\n    messages: [{{ role: user, tokens: 100 }}]\n    output_tokens: 10\ntraffic: {{ requests_per_day: 100 }}\nbudget: {{ max_monthly_spend: 0.001 }}\n",
        EVIL[0], EVIL[1], EVIL[2], EVIL[3]
    );
    s.write("spec.yaml", &spec);
    let check = llm_cost_in(
        Some(&s.0),
        &["check", "spec.yaml", "--format", "markdown"],
        None,
    );
    assert_eq!(check.code, 1, "{}", check.stderr);
    let estimate = llm_cost_in(
        Some(&s.0),
        &["estimate", "spec.yaml", "--format", "markdown"],
        None,
    );
    assert_eq!(estimate.code, 0, "{}", estimate.stderr);
    let log: String = EVIL
        .iter()
        .map(|m| {
            format!(
                "{{\"model\":{},\"created\":1764201600,\"usage\":{{\"prompt_tokens\":10,\"completion_tokens\":5}}}}\n",
                serde_json::Value::String(m.to_string())
            )
        })
        .collect();
    s.write("usage.jsonl", &log);
    let reconcile = llm_cost_in(
        Some(&s.0),
        &[
            "reconcile",
            "spec.yaml",
            "--usage",
            "usage.jsonl",
            "--format",
            "markdown",
        ],
        None,
    );
    assert_eq!(reconcile.code, 0, "{}", reconcile.stderr);
    for (what, run) in [
        ("check", &check),
        ("estimate", &estimate),
        ("reconcile", &reconcile),
    ] {
        let html = render(&run.stdout).unwrap();
        assert_inert(what, &html);
        // The names are still there to read.
        assert!(html.contains("e.invalid/p.png"), "{what}: {html}");
    }
}
