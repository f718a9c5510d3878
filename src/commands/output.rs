//! `--output` files: written only where the user named them, never over a
//! file the run reads, never the same file twice, and all or nothing (each
//! goes to a temporary file first and is renamed into place only when every
//! one of them was written). `-o -` (or `FORMAT=-`) is standard output.
//!
//! The temporary file has a random name and is created exclusively beside
//! its target, so nothing planted there is followed. Only a regular file is
//! ever renamed over: a device or FIFO (`-o /dev/null`, `/dev/stdout`) is
//! written in place, and a symlink to a file keeps the link and replaces
//! what it points to.

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
    let paths: Vec<&Path> = outputs.iter().map(|t| t.path.as_path()).collect();
    check_targets(&paths, inputs)?;
    let mut stdout = None;
    let mut staged: Vec<Staged> = Vec::new();
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
        // A failure drops what was staged: the temporary files go with it.
        staged.push(Staged::new(&target.path, text.into_bytes())?);
    }
    for file in staged {
        file.commit(Replace::Yes)?;
    }
    Ok(stdout)
}

/// Writes `text` to `path`, which the user named, as `--output` does:
/// refused where it is one of `inputs`, atomically otherwise.
pub fn write_named(path: &Path, text: &str, inputs: &[PathBuf]) -> Result<()> {
    check_targets(&[path], inputs)?;
    Staged::new(path, text.as_bytes().to_vec())?.commit(Replace::Yes)
}

/// Whether a file already at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    Yes,
    /// Fail if anything is there by then (`init` without `--force`).
    No,
}

/// One file's new contents, ready to be put in place.
pub struct Staged {
    shown: String,
    how: Staging,
}

enum Staging {
    /// A temporary file beside `to`, renamed over it.
    Rename {
        temp: tempfile::NamedTempFile,
        to: PathBuf,
    },
    /// A device or FIFO, written in place when committed.
    InPlace { to: PathBuf, bytes: Vec<u8> },
}

impl Staged {
    /// Writes `bytes` to a temporary file beside where `path` lands, or
    /// keeps them for a device that is written in place.
    pub fn new(path: &Path, bytes: Vec<u8>) -> Result<Staged> {
        let shown = path.display().to_string();
        let fail = |e: std::io::Error| Error::Other(format!("cannot write {shown}: {e}"));
        // Followed: `/dev/stdout` is a symlink to a device.
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
        {
            if meta.is_dir() {
                return Err(Error::input(Diagnostic::new(
                    &shown,
                    None,
                    "names a folder",
                )));
            }
            return Ok(Staged {
                how: Staging::InPlace {
                    to: path.to_path_buf(),
                    bytes,
                },
                shown,
            });
        }
        // A symlink to a file: the file it names is replaced, the link stays.
        let to = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
            }
            _ => path.to_path_buf(),
        };
        let dir = match to.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".llm-cost.tmp")
            .tempfile_in(dir)
            .map_err(fail)?;
        std::io::Write::write_all(&mut temp, &bytes).map_err(fail)?;
        temp.as_file().sync_all().map_err(fail)?;
        Ok(Staged {
            how: Staging::Rename { temp, to },
            shown,
        })
    }

    /// Puts the new contents in place: one rename, or a write in place.
    pub fn commit(self, replace: Replace) -> Result<()> {
        let shown = self.shown;
        let fail = |e: std::io::Error| Error::Other(format!("cannot write {shown}: {e}"));
        match self.how {
            Staging::InPlace { to, bytes } => std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&to)
                .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
                .map_err(fail),
            Staging::Rename { temp, to } => match replace {
                Replace::Yes => temp.persist(&to).map(drop).map_err(|e| fail(e.error)),
                Replace::No => temp
                    .persist_noclobber(&to)
                    .map(drop)
                    .map_err(|e| fail(e.error)),
            },
        }
    }
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses a target that is an input of the run, or named twice (also as
/// two spellings of one file).
fn check_targets(outputs: &[&Path], inputs: &[PathBuf]) -> Result<()> {
    let read: Vec<PathBuf> = inputs.iter().filter_map(|p| identity(p)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    let mut stdout_targets = 0;
    for &target in outputs {
        let shown = target.display().to_string();
        if is_stdout(target) {
            stdout_targets += 1;
            if stdout_targets == 2 {
                errors.push(
                    Diagnostic::new("--output", None, "standard output (`-`) is named twice")
                        .with_help("send one format to `-` and the others to files"),
                );
            }
            continue;
        }
        let Some(id) = identity(target) else {
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
