//! The crate's one error type, which knows the exit code it maps to.

use std::fmt;

use crate::diagnostic::Diagnostic;

/// Exit codes are a contract with CI scripts: 0 fine, 1 a budget is broken,
/// 2 the input is wrong.
pub const EXIT_OK: u8 = 0;
pub const EXIT_OVER_BUDGET: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug)]
pub enum Error {
    /// The user's input is wrong; every problem found, each pointing into a file.
    Input(Vec<Diagnostic>),
    /// Anything else that stops a run, such as a failed write of the output.
    Other(String),
}

impl Error {
    pub fn input(diagnostic: Diagnostic) -> Self {
        Error::Input(vec![diagnostic])
    }

    pub fn exit_code(&self) -> u8 {
        EXIT_BAD_INPUT
    }

    /// What went wrong first, without where: for a line about a variant
    /// of a spec (`suggest`'s left-out models) rather than the spec itself.
    pub fn first_message(&self) -> &str {
        match self {
            Error::Input(diagnostics) => diagnostics.first().map_or("", |d| d.message.as_str()),
            Error::Other(message) => message,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Input(diagnostics) => {
                let shown = crate::limits::SHOWN_DIAGNOSTICS;
                for (i, d) in diagnostics.iter().take(shown).enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                if diagnostics.len() > shown {
                    write!(
                        f,
                        "\n{} errors; the first {shown} are shown, fix those first",
                        diagnostics.len()
                    )?;
                } else if diagnostics.len() > 1 {
                    write!(f, "\n{} errors", diagnostics.len())?;
                }
                Ok(())
            }
            Error::Other(message) => write!(f, "error: {message}"),
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::input(d)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
