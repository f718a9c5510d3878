//! Property: whatever is done to a real spec (bytes, keys, values, nesting),
//! loading and estimating it never panics, and a spec that is refused says
//! where. Runs in-process on the shipped examples so a few hundred cases
//! take seconds; `fuzz/` drives the same loader for longer with cargo-fuzz.

use std::path::{Path, PathBuf};

use llm_cost::error::Error;
use llm_cost::{pipeline, pricing, spec};
use proptest::prelude::*;

const EXAMPLES: [&str; 5] = [
    "examples/support-assistant/spec.yaml",
    "examples/chat-assistant/spec.yaml",
    "examples/agent/spec.yaml",
    "examples/batch-classifier/spec.yaml",
    "examples/self-hosted/spec.yaml",
];

/// Messages about a whole file, which have no line to point at.
const WHOLE_FILE: [&str; 6] = [
    "the file is empty",
    "is larger than",
    "is not UTF-8",
    "expands to more than",
    "unknown model", // a `--set`-free unknown model is located; via compare it may be listed
    "no spec",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte at a position (as a share of the length) with one
    /// of YAML's special characters or a digit.
    Byte(f64, char),
    DeleteLine(f64),
    DuplicateLine(f64),
    /// Indent a line two more spaces (or less, if negative).
    Nest(f64, bool),
    /// Rename the key on a line.
    Key(f64, &'static str),
    /// Replace the value on a line.
    Value(f64, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    let chars = prop::sample::select(vec![
        ':', '-', '{', '}', '[', ']', '"', '\'', '*', '&', '!', '|', '>', '#', '%', '@', '\t',
        '\n', ' ', '0', '9', '.', 'e', 'x', '\u{0}', '\u{1b}', 'é',
    ]);
    let keys = prop::sample::select(vec![
        "model",
        "name",
        "calls",
        "traffic",
        "budget",
        "variables",
        "tokens",
        "samples",
        "file",
        "output_tokens",
        "cache",
        "conversation",
        "route",
        "cascade",
        "batch",
        "turns",
        "share",
        "scenarios",
        "unknown_key",
        "hit_rate",
        "<<",
    ]);
    let values = prop::sample::select(vec![
        "-1",
        "0",
        "1e30",
        "123456789012345678901234567890",
        "19.999999999999999",
        "abc",
        "[]",
        "{}",
        "null",
        "1.5",
        "75%",
        "\"{{x}}\"",
        "*a",
        "&a x",
        "{ tokens: 1000000000 }",
        "{ samples: \"../*\" }",
        "{ file: /etc/passwd }",
        "{ mean: 5, p95: 1 }",
        ".nan",
        "~",
        "true",
        "[1, 2, 3]",
        "{ turns: 1000 }",
        "gpt-5",
        "claude-opus-4-7",
        "\"\"",
    ]);
    prop_oneof![
        (at.clone(), chars).prop_map(|(p, c)| Mutation::Byte(p, c)),
        at.clone().prop_map(Mutation::DeleteLine),
        at.clone().prop_map(Mutation::DuplicateLine),
        (at.clone(), any::<bool>()).prop_map(|(p, deeper)| Mutation::Nest(p, deeper)),
        (at.clone(), keys).prop_map(|(p, k)| Mutation::Key(p, k)),
        (at, values).prop_map(|(p, v)| Mutation::Value(p, v)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let pick = |p: f64, n: usize| ((p * n as f64) as usize).min(n.saturating_sub(1));
    let i = pick(
        match m {
            Mutation::Byte(p, _)
            | Mutation::DeleteLine(p)
            | Mutation::DuplicateLine(p)
            | Mutation::Nest(p, _)
            | Mutation::Key(p, _)
            | Mutation::Value(p, _) => *p,
        },
        lines.len(),
    );
    match m {
        Mutation::Byte(p, c) => {
            let mut chars: Vec<char> = text.chars().collect();
            let j = pick(*p, chars.len());
            chars[j] = *c;
            return chars.into_iter().collect();
        }
        Mutation::DeleteLine(_) => {
            lines.remove(i);
        }
        Mutation::DuplicateLine(_) => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        Mutation::Nest(_, deeper) => {
            if *deeper {
                lines[i] = format!("  {}", lines[i]);
            } else if let Some(rest) = lines[i].strip_prefix("  ") {
                lines[i] = rest.to_string();
            }
        }
        Mutation::Key(_, key) => {
            if let Some((head, rest)) = lines[i].split_once(':') {
                let indent: String = head
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '-')
                    .collect();
                lines[i] = format!("{indent}{key}:{rest}");
            }
        }
        Mutation::Value(_, value) => {
            if let Some((head, _)) = lines[i].split_once(": ") {
                lines[i] = format!("{head}: {value}");
            }
        }
    }
    lines.join("\n") + "\n"
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_spec_is_estimated_or_refused_with_a_place_never_a_panic(
        example in 0..EXAMPLES.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let path = root().join(EXAMPLES[example]);
        let original = std::fs::read_to_string(&path).unwrap();
        let mutated = mutations.iter().fold(original, |text, m| apply(&text, m));
        let pricing_file = root().join("examples/self-hosted/pricing.yaml");
        let extra = vec![(
            "pricing.yaml".to_string(),
            std::fs::read_to_string(pricing_file).unwrap(),
        )];
        let outcome = std::panic::catch_unwind(|| {
            let prices = pricing::load(&extra).expect("the catalog loads");
            let loaded = spec::load_source(
                Path::new(&path),
                "spec.yaml".into(),
                mutated.clone(),
                &prices,
                &spec::Overrides::default(),
            );
            loaded.and_then(|s| pipeline::estimate(&s, &prices, pipeline::Options::default(), None))
        });
        let result = match outcome {
            Ok(result) => result,
            Err(_) => return Err(TestCaseError::fail(format!("panic on:\n{mutated}"))),
        };
        match result {
            Ok(report) => prop_assert!(report.totals.cost_per_month >= rust_decimal::Decimal::ZERO),
            Err(Error::Input(diagnostics)) => {
                prop_assert!(!diagnostics.is_empty());
                for d in diagnostics.iter().take(llm_cost::limits::SHOWN_DIAGNOSTICS) {
                    let located = d.location.is_some()
                        || WHOLE_FILE.iter().any(|w| d.message.contains(w))
                        || d.file != "spec.yaml";
                    prop_assert!(located, "no place for {:?} in:\n{}", d.message, mutated);
                    prop_assert!(!d.message.contains("internal error"));
                }
            }
            Err(Error::Other(message)) => {
                return Err(TestCaseError::fail(format!("not an input error: {message}\n{mutated}")));
            }
        }
    }
}
