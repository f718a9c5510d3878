//! `examples/reconcile/aggregate.sql`, the warehouse query, run by DuckDB
//! over the example's JSON Lines: the CSV it produces reconciles to the same
//! figures as the JSON Lines themselves. Needs DuckDB's Python package; CI
//! installs it (`.ci/run`, into `target/duckdb-py`), elsewhere the test says
//! it skipped.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `python3` with DuckDB importable, if there is one.
fn python_with_duckdb() -> Option<(String, Option<PathBuf>)> {
    let local = root().join("target/duckdb-py");
    let path = local.exists().then_some(local);
    let mut probe = Command::new("python3");
    probe.args(["-c", "import duckdb"]);
    if let Some(p) = &path {
        probe.env("PYTHONPATH", p);
    }
    let ok = probe.output().is_ok_and(|o| o.status.success());
    ok.then(|| ("python3".to_string(), path))
}

#[test]
fn the_warehouse_query_gives_the_same_reconciliation() {
    let Some((python, pythonpath)) = python_with_duckdb() else {
        skipped(
            "the aggregate.sql test needs DuckDB's Python package (`.ci/run` installs it: python3 -m pip install --target target/duckdb-py duckdb)",
        );
        return;
    };
    let s = Scratch::new("duckdb");
    let csv = s.path("aggregate.csv");
    let script = format!(
        "import duckdb,sys\ncon=duckdb.connect()\ncon.execute(\"CREATE TABLE usage AS SELECT * FROM read_json_auto('{}')\")\nsql=open('{}').read()\ncon.execute(f\"COPY ({{sql}}) TO '{}' (HEADER)\")\n",
        root().join("examples/reconcile/usage.jsonl").display(),
        root().join("examples/reconcile/aggregate.sql").display(),
        csv
    );
    let mut cmd = Command::new(&python);
    cmd.args(["-c", &script]);
    if let Some(p) = &pythonpath {
        cmd.env("PYTHONPATH", p);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = root().join("examples/support-assistant/spec.yaml");
    let spec = spec.to_string_lossy();
    let from_csv = llm_cost(&["reconcile", &spec, "--usage", &csv, "--format", "json"]);
    assert_eq!(from_csv.code, 0, "{}", from_csv.stderr);
    let jsonl = root().join("examples/reconcile/usage.jsonl");
    let from_lines = llm_cost(&[
        "reconcile",
        &spec,
        "--usage",
        &jsonl.to_string_lossy(),
        "--call-field",
        "metadata.call",
        "--request-field",
        "metadata.request",
        "--format",
        "json",
    ]);
    assert_eq!(from_lines.code, 0, "{}", from_lines.stderr);
    let (a, b) = (from_csv.json(), from_lines.json());
    for i in 0..2 {
        let (x, y) = (&a["calls"][i], &b["calls"][i]);
        assert_eq!(x["name"], y["name"]);
        for key in ["runs", "requests"] {
            assert_eq!(x[key], y[key], "{key}");
        }
        for key in [
            "input_tokens",
            "cached_input_tokens",
            "output_tokens",
            "cost_per_run",
            "runs_per_request",
        ] {
            assert_eq!(
                x[key]["observed"], y[key]["observed"],
                "{} {key}",
                x["name"]
            );
        }
    }
}
