//! The spec's JSON Schema (`schema/spec.schema.json`), which editors use to
//! complete and check a spec: generated from the types that read a spec,
//! kept current, and checked with an independent validator (the
//! `jsonschema` crate) against every shipped spec and against a wrong one.

mod common;

use common::*;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/spec.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// A YAML spec as the JSON value an editor's YAML server validates.
fn as_json(yaml: &str) -> serde_json::Value {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    serde_json::to_value(value).unwrap()
}

fn errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    v.iter_errors(&as_json(yaml))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = root().join("schema/spec.schema.json");
    let generated = llm_cost::spec::raw::json_schema_text();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        committed, generated,
        "UPDATE_SNAPSHOTS=1 regenerates schema/spec.schema.json, on purpose"
    );
    let printed = llm_cost(&["schema"]);
    assert_eq!(printed.code, 0);
    assert_eq!(printed.stdout, generated, "`llm-cost schema` prints it");
}

#[test]
fn every_shipped_spec_validates() {
    let v = validator();
    let mut specs = vec![root().join("templates/starter.yaml")];
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let spec = entry.unwrap().path().join("spec.yaml");
        if spec.exists() {
            specs.push(spec);
        }
    }
    assert!(specs.len() >= 6, "{specs:?}");
    for spec in specs {
        let text = std::fs::read_to_string(&spec).unwrap();
        let problems = errors(&v, &text);
        assert!(problems.is_empty(), "{}: {problems:?}", spec.display());
    }
}

#[test]
fn a_wrong_spec_is_refused_where_llm_cost_refuses_it() {
    let v = validator();
    let base = "feature: f\nmodel: gpt-4o-mini\ncalls:\n  - name: c\n    messages: [{ role: user, tokens: 100 }]\n    output_tokens: 10\ntraffic: { requests_per_day: 10 }\n";
    assert!(errors(&v, base).is_empty(), "{:?}", errors(&v, base));
    // An unknown key, at the top and inside a call.
    let typo = base.replace("traffic:", "trafic:");
    assert!(!errors(&v, &typo).is_empty());
    let inner = base.replace("output_tokens: 10", "output_tokens: 10\n    outptu: 3");
    let found = errors(&v, &inner);
    assert!(found.iter().any(|e| e.contains("/calls/0")), "{found:?}");
    // A value of the wrong shape.
    let shape = base.replace("output_tokens: 10", "output_tokens: lots");
    assert!(!errors(&v, &shape).is_empty());
    // A missing required key.
    let missing = base.replace("model: gpt-4o-mini\n", "");
    assert!(!errors(&v, &missing).is_empty());
    // Each is an error for llm-cost too (exit 2).
    let s = Scratch::new("schema-typo");
    for wrong in [&typo, &inner, &shape, &missing] {
        s.write("spec.yaml", wrong);
        let run = llm_cost_in(Some(&s.0), &["estimate", "spec.yaml"], None);
        assert_eq!(run.code, 2, "{wrong}\n{}", run.stderr);
    }
}
