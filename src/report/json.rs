//! The JSON format: each command's document (`crate::document`), printed.

use super::{ModelList, Renderer};
use crate::check::CheckRun;
use crate::diff::Diff;
use crate::document::{
    CheckDoc, DiffDoc, ErrorDoc, EstimateDoc, ModelsDoc, ReconcileDoc, SuggestDoc, to_json,
};
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Json;

/// The JSON a command prints instead of its document when its input cannot
/// be read: the same error objects as `check`'s, so a script reads one shape.
pub fn error_document(command: &str, error: &crate::error::Error) -> String {
    to_json(&ErrorDoc::new(command, error))
}

impl Renderer for Json {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        to_json(&EstimateDoc::new(r, alternatives))
    }

    fn check(&self, run: &CheckRun) -> String {
        to_json(&CheckDoc::new(run))
    }

    fn diff(&self, d: &Diff) -> String {
        to_json(&DiffDoc::new(d))
    }

    fn models(&self, list: &ModelList) -> String {
        to_json(&ModelsDoc::new(&list.models))
    }

    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String {
        to_json(&ReconcileDoc::new(r))
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        to_json(&SuggestDoc::new(s))
    }
}
