//! `reconcile --format json`: the spec's figures beside production's, with
//! the drift of each and the `--set`s that calibrate the spec.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use super::suggest::SetDoc;
use crate::figures::Money;
use crate::reconcile::{CallRow, Figure, Reconciliation};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReconcileDoc {
    pub schema_version: u32,
    pub command: String,
    pub spec: String,
    pub feature: String,
    pub records: u64,
    pub skipped_lines: u64,
    /// Days between the first and last dated record.
    pub span_days: Option<Money>,
    pub calls: Vec<ReconcileCallDoc>,
    pub cost_per_request: FigureDoc,
    pub cost_per_day: FigureDoc,
    pub cost_per_month: FigureDoc,
    pub unattributed: Vec<UnattributedDoc>,
    pub calibration: Vec<SetDoc>,
    pub calibrate_command: Option<String>,
    pub notes: Vec<String>,
}

/// Predicted (the spec), observed (production) and the drift between them
/// (observed / predicted − 1); null where unknown.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FigureDoc {
    pub predicted: Option<Money>,
    pub observed: Option<Money>,
    pub drift: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReconcileCallDoc {
    pub name: String,
    pub models: Vec<String>,
    pub runs: u64,
    pub requests: u64,
    /// p95s from a sketch (past the exact limit) or from sums.
    pub approximate_p95: bool,
    pub runs_per_request: FigureDoc,
    pub input_tokens: FigureDoc,
    pub input_tokens_p95: FigureDoc,
    pub cached_input_tokens: FigureDoc,
    pub cache_write_tokens: FigureDoc,
    pub output_tokens: FigureDoc,
    pub output_tokens_p95: FigureDoc,
    pub reasoning_tokens: FigureDoc,
    pub cached_share: FigureDoc,
    pub cache_hit_rate: FigureDoc,
    pub cost_per_run: FigureDoc,
    pub cost_per_request: FigureDoc,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UnattributedDoc {
    pub model: String,
    pub runs: u64,
    /// Null for a model the price table does not know.
    pub cost: Option<Money>,
}

impl FigureDoc {
    fn new(f: &Figure) -> FigureDoc {
        FigureDoc {
            predicted: f.predicted.map(Money),
            observed: f.observed.map(Money),
            drift: f.drift().map(Money),
        }
    }
}

impl ReconcileCallDoc {
    fn new(c: &CallRow) -> ReconcileCallDoc {
        let f = FigureDoc::new;
        ReconcileCallDoc {
            name: c.call.clone(),
            models: c.models.clone(),
            runs: c.runs,
            requests: c.requests,
            approximate_p95: c.approximate_p95,
            runs_per_request: f(&c.runs_per_request),
            input_tokens: f(&c.input),
            input_tokens_p95: f(&c.input_p95),
            cached_input_tokens: f(&c.cached),
            cache_write_tokens: f(&c.cache_write),
            output_tokens: f(&c.output),
            output_tokens_p95: f(&c.output_p95),
            reasoning_tokens: f(&c.reasoning),
            cached_share: f(&c.cached_share),
            cache_hit_rate: f(&c.hit_rate),
            cost_per_run: f(&c.cost_per_run),
            cost_per_request: f(&c.cost_per_request),
        }
    }
}

impl ReconcileDoc {
    pub fn new(r: &Reconciliation) -> ReconcileDoc {
        ReconcileDoc {
            schema_version: SCHEMA_VERSION,
            command: "reconcile".into(),
            spec: r.spec.clone(),
            feature: r.feature.clone(),
            records: r.records,
            skipped_lines: r.skipped,
            span_days: r.span_days.map(Money),
            calls: r.calls.iter().map(ReconcileCallDoc::new).collect(),
            cost_per_request: FigureDoc::new(&r.cost_per_request),
            cost_per_day: FigureDoc::new(&r.cost_per_day),
            cost_per_month: FigureDoc::new(&r.cost_per_month),
            unattributed: r
                .unattributed
                .iter()
                .map(|u| UnattributedDoc {
                    model: u.model.clone(),
                    runs: u.runs,
                    cost: u.cost.map(Money),
                })
                .collect(),
            calibration: SetDoc::all(&r.sets),
            calibrate_command: r.calibrate_command(),
            notes: r.notes.clone(),
        }
    }
}
