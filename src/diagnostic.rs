//! A message about the user's input that points into a file: what is wrong,
//! where (file, line, column), and what to do about it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub location: Option<Location>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &str, location: Option<Location>, message: impl Into<String>) -> Self {
        // Messages quote keys, names and paths from the user's files; escaped
        // here, no diagnostic can break a line or reach a terminal raw.
        Diagnostic {
            file: crate::neutral::escape(file),
            location,
            message: crate::neutral::escape(&message.into()),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(crate::neutral::escape(&help.into()));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.location {
            Some(l) => write!(
                f,
                "{}:{}:{}: error: {}",
                self.file, l.line, l.column, self.message
            )?,
            None => write!(f, "{}: error: {}", self.file, self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}
