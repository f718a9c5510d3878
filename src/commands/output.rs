//! `--output` files: written only where the user named them, never over a
//! file the run reads, never the same file twice, and all or nothing (each
//! goes to a temporary name first and is renamed into place only when every
//! one of them was written). `-o -` (or `FORMAT=-`) is standard output.

use std::path::{Path, PathBuf};

use crate::cli::OutputTarget;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::report::Renderer;

/// Renders each report the user asked for and writes the files. Returns the
/// text that replaces standard output when one target is `-`.
pub fn write_outputs(
    outputs: &[OutputTarget],
    inputs: &[PathBuf],
    render: impl Fn(&dyn Renderer) -> String,
) -> Result<Option<String>> {
    check_targets(outputs, inputs)?;
    let mut stdout = None;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut failure = None;
    for target in outputs {
        // A file gets the full width; the terminal, what fits.
        let renderer = if is_stdout(&target.path) {
            target.format.renderer()
        } else {
            target
                .format
                .renderer_for(!crate::report::unicode_terminal())
        };
        let text = crate::neutral::output(&render(renderer.as_ref()));
        if is_stdout(&target.path) {
            stdout = Some(text);
            continue;
        }
        let temp = temp_name(&target.path);
        match std::fs::write(&temp, text) {
            Ok(()) => staged.push((temp, target.path.clone())),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                failure = Some(format!("cannot write {}: {e}", target.path.display()));
                break;
            }
        }
    }
    if let Some(message) = failure {
        for (temp, _) in &staged {
            let _ = std::fs::remove_file(temp);
        }
        return Err(Error::Other(message));
    }
    for (temp, path) in &staged {
        if let Err(e) = std::fs::rename(temp, path) {
            let _ = std::fs::remove_file(temp);
            return Err(Error::Other(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
    }
    Ok(stdout)
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses a target that is an input of the run, or named twice (also as
/// two spellings of one file).
fn check_targets(outputs: &[OutputTarget], inputs: &[PathBuf]) -> Result<()> {
    let read: Vec<PathBuf> = inputs.iter().filter_map(|p| identity(p)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    let mut stdout_targets = 0;
    for target in outputs {
        let shown = target.path.display().to_string();
        if is_stdout(&target.path) {
            stdout_targets += 1;
            if stdout_targets == 2 {
                errors.push(
                    Diagnostic::new("--output", None, "standard output (`-`) is named twice")
                        .with_help("send one format to `-` and the others to files"),
                );
            }
            continue;
        }
        let Some(id) = identity(&target.path) else {
            errors.push(Diagnostic::new(
                &shown,
                None,
                "cannot write here: the folder does not exist",
            ));
            continue;
        };
        if read.contains(&id) {
            errors.push(
                Diagnostic::new(
                    &shown,
                    None,
                    "--output would overwrite a file this run reads",
                )
                .with_help("name a new file for the report, e.g. report.md"),
            );
        } else if seen.contains(&id) {
            errors.push(
                Diagnostic::new(&shown, None, "--output names this file twice")
                    .with_help("give each report its own file"),
            );
        } else if id.is_dir() {
            errors.push(Diagnostic::new(&shown, None, "--output names a folder"));
        }
        seen.push(id);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

/// One name per file, whatever the spelling (`./a.md`, `dir/../a.md`, a
/// symlink): the real path of the file, or of its folder for a new file.
fn identity(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// A temporary name beside the target, so the final rename stays on one
/// file system and is atomic.
fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.llm-cost-{}.tmp", std::process::id()))
}
