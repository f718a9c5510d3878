//! Every output the README shows is what this build prints. A README block
//! that starts with `$ llm-cost …` runs that command from the repository
//! root; its lines must appear in the output (stdout, then stderr) in order,
//! where a `…` line stands for lines left out. A block drifts when the
//! binary's output changes and the README is not regenerated.

mod common;

use std::path::PathBuf;

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command line split into words the way a POSIX shell would for the
/// quoting the README uses ('…' and "…").
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                started = true;
            }
            None if c.is_whitespace() => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            None => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    out
}

/// One line inside a fenced block of the README.
struct BlockLine<'a> {
    /// 1-based, in README.md.
    number: usize,
    /// The block's language (`yaml`, `sh`, or empty).
    lang: &'a str,
    text: &'a str,
    /// Whether a `$ llm-cost …` line came before it in its block.
    under_command: bool,
}

/// Every line inside the README's fenced blocks, fences left out.
fn block_lines(readme: &str) -> Vec<BlockLine<'_>> {
    let mut out = Vec::new();
    let mut lang = None;
    let mut under_command = false;
    for (i, text) in readme.lines().enumerate() {
        if let Some(fence) = text.strip_prefix("```") {
            lang = match lang {
                None => Some(fence.trim()),
                Some(_) => None,
            };
            under_command = false;
            continue;
        }
        let Some(lang) = lang else { continue };
        out.push(BlockLine {
            number: i + 1,
            lang,
            text,
            under_command,
        });
        under_command |= text.starts_with("$ llm-cost ");
    }
    out
}

/// Each `$ llm-cost …` command in the README with the lines shown after it.
fn examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in block_lines(readme) {
        if let Some(command) = line.text.strip_prefix("$ llm-cost ") {
            let command = command.split("  #").next().unwrap_or("").trim();
            out.push((command.to_string(), Vec::new()));
        } else if line.under_command
            && let Some((_, shown)) = out.last_mut()
        {
            shown.push(line.text.to_string());
        }
    }
    out
}

/// Where `shown` is not in `actual`, in order with `…` gaps; None if it is.
fn drift(shown: &[String], actual: &str) -> Option<String> {
    let lines: Vec<&str> = actual.lines().collect();
    let mut at = 0;
    let mut gap = true; // a leading `…` or a command's first line may skip
    for want in shown {
        if want.trim() == "…" {
            gap = true;
            continue;
        }
        let found = if gap {
            lines[at..].iter().position(|l| l == want).map(|i| at + i)
        } else {
            (lines.get(at) == Some(&want.as_str())).then_some(at)
        };
        match found {
            Some(i) => {
                at = i + 1;
                gap = false;
            }
            None => return Some(want.clone()),
        }
    }
    None
}

#[test]
fn every_readme_output_block_is_what_the_binary_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 10, "{} examples", examples.len());
    let mut drifted = Vec::new();
    for (command, shown) in &examples {
        let args = words(command);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = llm_cost_env(
            &root(),
            &argv,
            &[
                ("LANG", Some("C.UTF-8")),
                ("LC_ALL", None),
                ("GITHUB_ACTIONS", None),
                ("GITHUB_STEP_SUMMARY", None),
                ("LLM_COST_PRICING", None),
            ],
        );
        let actual = format!("{}{}", run.stdout, run.stderr);
        if let Some(line) = drift(shown, &actual) {
            drifted.push(format!(
                "`llm-cost {command}`: the README shows\n    {line:?}\nwhich it no longer prints"
            ));
        }
    }
    assert!(
        drifted.is_empty(),
        "README blocks drifted from the binary (regenerate them):\n{}",
        drifted.join("\n")
    );
}

#[test]
fn the_drift_check_notices_a_changed_line() {
    let actual = "a\nb\nc\nd\n";
    let shown = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(drift(&shown(&["a", "b"]), actual), None);
    assert_eq!(drift(&shown(&["…", "c", "d"]), actual), None);
    assert_eq!(drift(&shown(&["a", "…", "d"]), actual), None);
    // consecutive lines must be consecutive
    assert_eq!(drift(&shown(&["a", "c"]), actual), Some("c".into()));
    assert_eq!(drift(&shown(&["a", "x"]), actual), Some("x".into()));
    assert_eq!(
        words("estimate x.yaml --set 'a={b: 1}' --x"),
        ["estimate", "x.yaml", "--set", "a={b: 1}", "--x"]
    );
}

/// What the tool prints (an annotation, a verdict, a report title) is shown
/// only under the command that prints it, so the drift check covers it: a
/// stand-alone `::error` block went stale unnoticed ($3,885.22 where the
/// binary prints $4,226.30).
#[test]
fn every_output_line_in_the_readme_is_under_its_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let orphans: Vec<String> = block_lines(&readme)
        .into_iter()
        .filter(|l| !l.under_command)
        .filter(|l| {
            l.text.starts_with("::error")
                || l.text.starts_with("::warning")
                || l.text.contains(" — prices as of ")
                || l.text.starts_with(" Per month ")
        })
        .map(|l| format!("README.md:{}: {}", l.number, l.text))
        .collect();
    assert!(
        orphans.is_empty(),
        "output shown without the command that prints it (put `$ llm-cost …` above it):\n{}",
        orphans.join("\n")
    );
}

/// Every model a README spec names is current as of the tests' day
/// (2026-11-27): neither retired nor retiring within 90 days, so a
/// newcomer who copies it gets no warning. (Output blocks may name older
/// models: they show what the tool says of them.)
#[test]
fn the_readmes_specs_name_current_models() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let catalog = llm_cost(&["models", "--format", "json"]).json();
    let retiring: Vec<(String, String)> = catalog["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| {
            let day = m["deprecated"].as_str()?;
            (day <= "2027-02-25")
                .then(|| (m["name"].as_str().unwrap().to_string(), day.to_string()))
        })
        .collect();
    let mut found = Vec::new();
    for line in block_lines(&readme).iter().filter(|l| l.lang == "yaml") {
        let code = line.text.split('#').next().unwrap_or("");
        for (name, day) in &retiring {
            let named = code
                .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '/' | '_')))
                .any(|w| w == name);
            if named {
                found.push(format!("README.md:{}: {name} (retires {day})", line.number));
            }
        }
    }
    assert!(
        found.is_empty(),
        "README specs name models that retire:\n{}",
        found.join("\n")
    );
}
