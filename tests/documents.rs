//! Every command's JSON is a published document: its schema is generated
//! from the types that write it (`schema/NAME.schema.json`, kept current),
//! and what each command prints on the shipped examples validates against
//! that schema with an independent validator (the `jsonschema` crate),
//! strictly: a key the schema does not describe is an error.
//! The commands run in-process (`commands::run`): the process is not the
//! point here, the document is.

use clap::Parser;
use serde_json::Value;

use llm_cost::document::{ErrorDoc, schemas};

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_published_schema_is_current() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut published = vec!["spec.schema.json".to_string()];
    for (name, generated) in schemas() {
        let file = format!("{name}.schema.json");
        let path = root().join("schema").join(&file);
        if update {
            std::fs::write(&path, &generated).unwrap();
        } else {
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("schema/{file} is missing (UPDATE_SNAPSHOTS=1)"));
            assert_eq!(
                committed, generated,
                "schema/{file} is stale: UPDATE_SNAPSHOTS=1 regenerates it, on purpose"
            );
        }
        published.push(file);
    }
    // No schema left behind for a document that is gone.
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("schema"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    published.sort();
    assert_eq!(on_disk, published);
}

/// The schema with every described object closed: a key it does not list
/// fails validation, so a field added to the output without its type is
/// caught here.
fn strict(mut schema: Value) -> Value {
    fn close(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut schema);
    schema
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(format!("schema/{name}.schema.json"))).unwrap();
    jsonschema::validator_for(&strict(serde_json::from_str(&text).unwrap()))
        .expect("a valid JSON Schema")
}

/// What `llm-cost ARGS` prints as JSON, and the document it is: the
/// command's own, or the error document where its input cannot be read.
fn document(args: &[&str]) -> (&'static str, Value) {
    let cli =
        llm_cost::cli::Cli::try_parse_from(std::iter::once("llm-cost").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let command = match args[0] {
        "estimate" => "estimate",
        "check" => "check",
        "diff" => "diff",
        "suggest" => "suggest",
        "models" => "models",
        "reconcile" => "reconcile",
        "count" => "count",
        other => panic!("{other} prints no document"),
    };
    match llm_cost::commands::run(&cli) {
        Ok(outcome) => (
            command,
            serde_json::from_str(&outcome.stdout)
                .unwrap_or_else(|e| panic!("{args:?} printed no JSON: {e}")),
        ),
        Err(e) => (
            "error",
            serde_json::to_value(ErrorDoc::new(command, &e)).unwrap(),
        ),
    }
}

fn assert_valid(args: &[&str], expected: &str) {
    let (name, doc) = document(args);
    assert_eq!(name, expected, "{args:?}");
    let errors: Vec<String> = validator(name)
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{args:?} against schema/{name}.schema.json:\n{}",
        errors.join("\n")
    );
}

const SUPPORT: &str = "examples/support-assistant/spec.yaml";

#[test]
fn every_commands_json_validates_against_its_schema() {
    for spec in [
        SUPPORT,
        "examples/agent/spec.yaml",
        "examples/batch-classifier/spec.yaml",
        "examples/chat-assistant/spec.yaml",
    ] {
        assert_valid(&["estimate", spec, "--format", "json"], "estimate");
    }
    // A self-hosted model (idle GPU time), growth, alternatives, what-ifs.
    assert_valid(
        &[
            "estimate",
            "examples/self-hosted/spec.yaml",
            "--pricing",
            "examples/self-hosted/pricing.yaml",
            "--format",
            "json",
        ],
        "estimate",
    );
    assert_valid(
        &[
            "estimate",
            SUPPORT,
            "--compare",
            "gpt-5-mini,claude-haiku-4-5",
            "--set",
            "traffic.requests_per_day=1000",
            "--format",
            "json",
        ],
        "estimate",
    );
    assert_valid(
        &[
            "check",
            SUPPORT,
            "examples/chat-assistant/spec.yaml",
            "--format",
            "json",
        ],
        "check",
    );
    // A spec that cannot be read is an error object inside check's document.
    assert_valid(
        &[
            "check",
            SUPPORT,
            "tests/no-such-spec.yaml",
            "--format",
            "json",
        ],
        "check",
    );
    assert_valid(
        &[
            "diff",
            SUPPORT,
            "examples/chat-assistant/spec.yaml",
            "--format",
            "json",
        ],
        "diff",
    );
    assert_valid(&["suggest", SUPPORT, "--format", "json"], "suggest");
    assert_valid(&["models", "--format", "json"], "models");
    assert_valid(
        &["models", "claude-sonnet-4-5", "--format", "json"],
        "models",
    );
    assert_valid(
        &[
            "reconcile",
            SUPPORT,
            "--usage",
            "examples/reconcile/usage.jsonl",
            "--call-field",
            "metadata.call",
            "--request-field",
            "metadata.request",
            "--format",
            "json",
        ],
        "reconcile",
    );
    assert_valid(
        &[
            "count",
            "examples/support-assistant/prompts/draft-system.md",
            "--model",
            "claude-sonnet-4-5",
            "--format",
            "json",
        ],
        "count",
    );
    assert_valid(
        &["estimate", "tests/no-such-spec.yaml", "--format", "json"],
        "error",
    );
}

#[test]
fn a_strict_schema_refuses_a_key_it_does_not_describe() {
    // The check above can fail: an estimate with one key the schema does
    // not list is refused.
    let (_, mut doc) = document(&["estimate", SUPPORT, "--format", "json"]);
    doc["calls"][0]["surprise"] = Value::Bool(true);
    assert!(!validator("estimate").is_valid(&doc));
}
