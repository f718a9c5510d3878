//! `llm-cost pricing import|check`: bring in the community's price map, and
//! validate pricing files with the catalog's own rules.

use super::Outcome;
use crate::cli::{ImportArgs, ImportFormat, PricingCheckArgs, PricingCommand};
use crate::diagnostic::Diagnostic;
use crate::error::{EXIT_BAD_INPUT, EXIT_OK, Error, Result};
use crate::pricing;

pub fn run(command: &PricingCommand) -> Result<Outcome> {
    match command {
        PricingCommand::Import(args) => import(args),
        PricingCommand::Check(args) => check(args),
    }
}

fn read(path: &std::path::Path) -> Result<(String, String)> {
    let display = path.display().to_string();
    let text = crate::limits::read_text(path, crate::limits::DATA_FILE_BYTES)
        .map_err(|e| Error::input(Diagnostic::new(&display, None, format!("the file {e}"))))?;
    Ok((display, text))
}

fn import(args: &ImportArgs) -> Result<Outcome> {
    let (display, text) = read(&args.file)?;
    let as_of = match &args.as_of {
        Some(d) if crate::date::parse(d).is_some() => d.clone(),
        Some(d) => {
            return Err(Error::input(Diagnostic::new(
                "--as-of",
                None,
                format!("`{d}` is not a date like 2026-11-20"),
            )));
        }
        None => today_text(),
    };
    let imported = match args.from {
        ImportFormat::Litellm => pricing::import::litellm(&text, &as_of)
            .map_err(|m| Error::input(Diagnostic::new(&display, None, m)))?,
    };
    let mut warnings = vec![format!(
        "imported {} models from {display}; skipped {} entries",
        imported.models,
        imported.skipped_total()
    )];
    warnings.extend(
        imported
            .skipped
            .iter()
            .map(|(why, n)| format!("  skipped {n}: {why}")),
    );
    let stdout = match &args.output {
        Some(path) => {
            // Never over the map it was imported from.
            super::output::write_named(path, &imported.yaml, std::slice::from_ref(&args.file))?;
            String::new()
        }
        None => imported.yaml,
    };
    // The summary is information, not a problem: printed as notes on stderr.
    Ok(Outcome {
        stdout,
        stderr_lines: warnings,
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}

fn check(args: &PricingCheckArgs) -> Result<Outcome> {
    let mut lines = Vec::new();
    let mut failed = false;
    // Every file is judged, an unreadable one included: one run lists them all.
    for path in &args.files {
        let checked = read(path)
            .and_then(|(display, text)| pricing::check_file(&display, &text).map(|n| (display, n)));
        match checked {
            Ok((display, n)) => lines.push(format!("{display}: ok, {n} models")),
            Err(e) => {
                failed = true;
                lines.push(e.to_string());
            }
        }
    }
    let stdout = lines.join("\n") + "\n";
    Ok(Outcome {
        stdout,
        exit_code: if failed { EXIT_BAD_INPUT } else { EXIT_OK },
        ..Outcome::default()
    })
}

fn today_text() -> String {
    let days = crate::date::today();
    crate::date::format(days)
}
