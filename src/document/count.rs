//! `count --format json`: each text's tokens, and how they were counted.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::figures::Money;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CountDoc {
    pub encoding: String,
    pub files: Vec<CountedFile>,
    pub total: u64,
    /// The model whose tokenizer counted, where one was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The sourced factor applied to a stand-in encoding's count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<Money>,
    /// Given where a model was named or the count is not exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_estimated: Option<bool>,
    /// Counted as one user chat message, framing included.
    pub chat: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CountedFile {
    pub path: String,
    pub tokens: u64,
}
