//! What a command prints instead of its document when its input cannot be
//! read, and the error objects `check` lists: one shape for every script.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use crate::error::Error;

/// One problem, with where it is and what to do (line and column null
/// where unknown); `check` adds the `spec` each belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ErrorItem {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
}

impl ErrorItem {
    pub fn all(error: &Error) -> Vec<ErrorItem> {
        match error {
            Error::Input(diagnostics) => diagnostics
                .iter()
                .map(|d| ErrorItem {
                    file: Some(d.file.clone()),
                    line: d.location.map(|l| l.line),
                    column: d.location.map(|l| l.column),
                    message: d.message.clone(),
                    help: d.help.clone(),
                    spec: None,
                })
                .collect(),
            Error::Other(message) => vec![ErrorItem {
                file: None,
                line: None,
                column: None,
                message: crate::neutral::escape(message),
                help: None,
                spec: None,
            }],
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ErrorDoc {
    pub schema_version: u32,
    pub command: String,
    pub ok: bool,
    pub exit_code: u8,
    pub errors: Vec<ErrorItem>,
}

impl ErrorDoc {
    pub fn new(command: &str, error: &Error) -> ErrorDoc {
        ErrorDoc {
            schema_version: SCHEMA_VERSION,
            command: command.to_string(),
            ok: false,
            exit_code: error.exit_code(),
            errors: ErrorItem::all(error),
        }
    }
}
