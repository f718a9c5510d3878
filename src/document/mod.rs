//! Every command's output as a versioned document (schema version 1): one
//! set of serde types per command, written by `--format json`, read back
//! where a command reads its own output (`diff` and `check --baseline` read
//! `EstimateDoc`), and published as JSON Schemas (`llm-cost schema NAME`,
//! `schema/*.schema.json`, tested to be current). The other formats render
//! from the domain values these are built from. Money and rates are exact
//! decimal strings; token counts are JSON numbers. Scripts and CI depend on
//! these names: add fields, never rename them.

mod check;
mod count;
mod diff;
mod error;
mod estimate;
mod models;
mod reconcile;
mod snapshot;
mod suggest;

use schemars::JsonSchema;
use serde::Serialize;

pub use check::CheckDoc;
pub use count::{CountDoc, CountedFile};
pub use diff::DiffDoc;
pub use error::{ErrorDoc, ErrorItem};
pub use estimate::*;
pub use models::ModelsDoc;
pub use reconcile::ReconcileDoc;
pub use suggest::SuggestDoc;

pub use crate::figures::{Count, Money};

pub const SCHEMA_VERSION: u32 = 1;

/// A document as printed: pretty JSON, keys in sorted order (a stable
/// order that does not move when a field is added), one final newline.
pub fn to_json<T: Serialize>(doc: &T) -> String {
    let value = serde_json::to_value(doc).unwrap_or(serde_json::Value::Null);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of a document type, from the same types that write it.
pub fn schema_text<T: JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The documents by the name `llm-cost schema NAME` takes, with their
/// schemas: the published list, which a test keeps `schema/` in step with.
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        ("estimate", schema_text::<EstimateDoc>()),
        ("check", schema_text::<CheckDoc>()),
        ("diff", schema_text::<DiffDoc>()),
        ("suggest", schema_text::<SuggestDoc>()),
        ("models", schema_text::<ModelsDoc>()),
        ("reconcile", schema_text::<ReconcileDoc>()),
        ("count", schema_text::<CountDoc>()),
        ("error", schema_text::<ErrorDoc>()),
    ]
}
