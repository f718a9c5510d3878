//! `llm-cost init [FILE | -]`: a commented starter spec that runs as
//! written, and beside it the spec's JSON Schema its first line names, so an
//! editor completes and checks it.

use std::path::Path;

use super::Outcome;
use super::output::{Replace, Staged};
use crate::cli::InitArgs;
use crate::diagnostic::Diagnostic;
use crate::error::{EXIT_OK, Error, Result};

const STARTER: &str = include_str!("../../templates/starter.yaml");

/// The schema file the starter's `yaml-language-server` line names.
const SCHEMA_FILE: &str = "llm-cost.schema.json";

pub fn run(args: &InitArgs) -> Result<Outcome> {
    if args.file == Path::new("-") {
        return Ok(Outcome {
            stdout: STARTER.replace("THIS_FILE", "spec.yaml"),
            ..Outcome::default()
        });
    }
    let display = args.file.display().to_string();
    // Not `exists()`, which follows a symlink: a dangling one is there too,
    // and writing through it would create a file the user did not name.
    if std::fs::symlink_metadata(&args.file).is_ok() && !args.force {
        return Err(Error::input(
            Diagnostic::new(
                &display,
                None,
                "already exists; llm-cost will not overwrite it",
            )
            .with_help("pass --force to replace it, or name another file"),
        ));
    }
    let text = STARTER.replace("THIS_FILE", &in_comment(&display));
    let replace = if args.force {
        Replace::Yes
    } else {
        Replace::No
    };
    Staged::new(&args.file, text.into_bytes())?.commit(replace)?;
    let mut lines = vec![format!(
        "wrote {display}; estimate it with `llm-cost estimate {display}`"
    )];
    lines.extend(write_schema_beside(&args.file));
    Ok(Outcome {
        stderr_lines: lines,
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}

/// The file's name as the starter's comment shows it: on one line, and
/// quoted for a shell where it needs it, so the starter still parses and
/// its `llm-cost estimate …` line still runs.
fn in_comment(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'));
    if plain {
        return name.to_string();
    }
    let one_line = crate::neutral::escape(name);
    format!("'{}'", one_line.replace('\'', "'\\''"))
}

/// Writes the spec's JSON Schema beside the spec unless a file of that name
/// is already there (it is never replaced: the user did not name it).
fn write_schema_beside(spec: &Path) -> Option<String> {
    let path = spec.parent().unwrap_or(Path::new("")).join(SCHEMA_FILE);
    let display = path.display();
    if std::fs::symlink_metadata(&path).is_ok() {
        return None;
    }
    let written = Staged::new(&path, crate::spec::raw::json_schema_text().into_bytes())
        .and_then(|s| s.commit(Replace::No));
    match written {
        Ok(()) => Some(format!(
            "wrote {display}, the schema your editor checks the spec against"
        )),
        Err(e) => Some(format!(
            "could not write {display} ({e}); `llm-cost schema > {SCHEMA_FILE}` writes it"
        )),
    }
}
