//! `llm-cost init [FILE]`: a commented starter spec that runs as written.

use super::Outcome;
use crate::cli::InitArgs;
use crate::diagnostic::Diagnostic;
use crate::error::{EXIT_OK, Error, Result};

const STARTER: &str = include_str!("../../templates/starter.yaml");

pub fn run(args: &InitArgs) -> Result<Outcome> {
    let display = args.file.display().to_string();
    if args.file.exists() && !args.force {
        return Err(Error::input(
            Diagnostic::new(
                &display,
                None,
                "already exists; llm-cost will not overwrite it",
            )
            .with_help("pass --force to replace it, or name another file"),
        ));
    }
    let text = STARTER.replace("THIS_FILE", &display);
    std::fs::write(&args.file, text)
        .map_err(|e| Error::Other(format!("cannot write {display}: {e}")))?;
    Ok(Outcome {
        stderr_lines: vec![format!(
            "wrote {display}; estimate it with `llm-cost estimate {display}`"
        )],
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}
