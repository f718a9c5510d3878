//! `check --format json`: every spec's estimate and verdicts, and the specs
//! that could not be estimated.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ErrorItem, EstimateDoc, SCHEMA_VERSION};
use crate::check::CheckRun;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CheckDoc {
    pub schema_version: u32,
    pub command: String,
    /// Every spec estimated and every budget kept.
    pub ok: bool,
    pub exit_code: u8,
    pub specs: usize,
    pub over_budget: usize,
    pub broken_rules: usize,
    pub estimates: Vec<EstimateDoc>,
    pub errors: Vec<ErrorItem>,
}

impl CheckDoc {
    pub fn new(run: &CheckRun) -> CheckDoc {
        let errors = run
            .failures
            .iter()
            .flat_map(|f| {
                ErrorItem::all(&f.error).into_iter().map(|e| ErrorItem {
                    spec: Some(crate::neutral::escape(&f.spec)),
                    ..e
                })
            })
            .collect();
        CheckDoc {
            schema_version: SCHEMA_VERSION,
            command: "check".into(),
            ok: run.exit_code() == 0 && run.broken_specs() == 0,
            exit_code: run.exit_code(),
            specs: run.reports.len() + run.failures.len(),
            over_budget: run.broken_specs(),
            broken_rules: run.broken_rules(),
            estimates: run
                .reports
                .iter()
                .map(|r| EstimateDoc::new(r, None))
                .collect(),
            errors,
        }
    }
}
