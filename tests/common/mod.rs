//! A tiny harness: run the real binary as a user would, and make scratch
//! folders for specs written by a test.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails the test on a panic or backtrace, which a user must never see.
    pub fn assert_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "panic:\n{}",
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

pub fn llm_cost(args: &[&str]) -> Run {
    llm_cost_in(None, args, None)
}

pub fn llm_cost_stdin(args: &[&str], stdin: &str) -> Run {
    llm_cost_in(None, args, Some(stdin))
}

pub fn llm_cost_in(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Run {
    run_binary(dir, args, stdin, &[])
}

/// Runs in `dir` with environment variables set (`Some`) or removed (`None`).
pub fn llm_cost_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    run_binary(Some(dir), args, None, env)
}

fn run_binary(
    dir: Option<&Path>,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, Option<&str>)],
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_llm-cost"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env("LLM_COST_TODAY", "2026-11-27");
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the llm-cost binary runs");
    // Feed stdin from a thread while the output is drained: a child that
    // exits without reading all of it (an error found early) closes the pipe,
    // and that BrokenPipe is the child's choice, not a test failure.
    let feeder = stdin.map(|text| {
        let mut pipe = child.stdin.take().unwrap();
        let text = text.to_string();
        std::thread::spawn(move || match pipe.write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin: {e}"),
            _ => {}
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.assert_no_panic();
    run
}

/// A scratch folder, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("llm-cost-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn path(&self, rel: &str) -> String {
        self.0.join(rel).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn jsonl(name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(fixture(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    match v {
        serde_json::Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a decimal: {s}")),
        other => other
            .to_string()
            .parse()
            .unwrap_or_else(|_| panic!("not a decimal: {other}")),
    }
}

pub fn d(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// Parses every GitHub table in `md`: a header, a separator of dashes, and
/// rows with the same number of unescaped cells.
pub fn assert_valid_tables(md: &str) -> usize {
    let mut tables = 0;
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with('|') {
            i += 1;
            continue;
        }
        let cells = |l: &str| -> usize {
            let mut n = 0;
            let mut escaped = false;
            for c in l.trim().trim_matches('|').chars() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '|' if !escaped => n += 1,
                    _ => escaped = false,
                }
            }
            n + 1
        };
        let width = cells(lines[i]);
        let sep = lines.get(i + 1).expect("a header needs a separator");
        assert!(
            sep.trim_matches('|').split('|').all(|c| {
                let c = c.trim();
                !c.is_empty() && c.trim_matches(':').chars().all(|ch| ch == '-')
            }),
            "bad separator {sep:?}"
        );
        assert_eq!(cells(sep), width, "separator width in {md}");
        let mut j = i + 2;
        while j < lines.len() && lines[j].starts_with('|') {
            assert_eq!(cells(lines[j]), width, "row {:?} in:\n{md}", lines[j]);
            assert!(lines[j].trim_end().ends_with('|'));
            j += 1;
        }
        tables += 1;
        i = j;
    }
    tables
}

/// A CSV document (the reference prices, the tool's own `--format csv`)
/// as rows keyed by column name, read by the `csv` crate: an independent
/// reader of quoting, not one kept here.
pub fn csv_rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a CSV header")
        .iter()
        .map(String::from)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Every subcommand, as clap defines them (not a list kept by hand that
/// could miss a new one).
pub fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    llm_cost::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|name| name != "help")
        .collect()
}

/// Says that a test skipped a check, and why, where the person running
/// `cargo test` sees it: written to the process's stderr directly, since
/// the test harness captures `eprintln!` of passing tests.
#[allow(dead_code)]
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}
