//! `suggest --format json`: changes that save money, each with the command
//! that reproduces it, and where the money goes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use crate::figures::{Count, Money};
use crate::savings::{Suggestion, Suggestions};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SuggestDoc {
    pub schema_version: u32,
    pub command: String,
    pub spec: String,
    pub feature: String,
    pub cost_per_month: Money,
    pub suggestions: Vec<SuggestionDoc>,
    /// Every suggestion applied at once, re-estimated.
    pub combined: Option<SuggestionDoc>,
    pub drivers: Vec<DriverDoc>,
    pub assumptions: Vec<String>,
    pub left_out: Vec<LeftOutDoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SuggestionDoc {
    pub kind: String,
    pub call: String,
    pub title: String,
    pub saving_per_month: Money,
    pub saving_ratio: Money,
    pub cost_per_month: Money,
    pub budget_ok: bool,
    pub sets: Vec<SetDoc>,
    /// The `llm-cost estimate` command that shows the change.
    pub command: String,
}

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SetDoc {
    pub path: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DriverDoc {
    pub call: String,
    pub part: String,
    pub tokens: Count,
    pub cost_per_month: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LeftOutDoc {
    pub call: String,
    pub model: String,
    pub why: String,
}

impl SetDoc {
    pub fn all(sets: &[(String, String)]) -> Vec<SetDoc> {
        sets.iter()
            .map(|(path, value)| SetDoc {
                path: path.clone(),
                value: value.clone(),
            })
            .collect()
    }
}

impl SuggestDoc {
    pub fn new(s: &Suggestions) -> SuggestDoc {
        let item = |x: &Suggestion| SuggestionDoc {
            kind: x.candidate.kind.key().into(),
            call: x.candidate.call.clone(),
            title: x.candidate.title.clone(),
            saving_per_month: Money(x.saving_per_month),
            saving_ratio: Money(x.saving_ratio),
            cost_per_month: Money(x.cost_per_month),
            budget_ok: x.budget_ok,
            sets: SetDoc::all(&x.candidate.sets),
            command: crate::savings::command(&s.spec, &s.flags, &x.candidate.sets),
        };
        SuggestDoc {
            schema_version: SCHEMA_VERSION,
            command: "suggest".into(),
            spec: s.spec.clone(),
            feature: s.feature.clone(),
            cost_per_month: Money(s.cost_per_month),
            suggestions: s.items.iter().map(item).collect(),
            combined: s.combined.as_ref().map(item),
            drivers: s
                .drivers
                .iter()
                .map(|d| DriverDoc {
                    call: d.call.clone(),
                    part: d.part.clone(),
                    tokens: Count(d.tokens),
                    cost_per_month: Money(d.cost_per_month),
                })
                .collect(),
            assumptions: s.assumptions.clone(),
            left_out: s
                .left_out
                .iter()
                .map(|l| LeftOutDoc {
                    call: l.call.clone(),
                    model: l.model.clone(),
                    why: l.why.clone(),
                })
                .collect(),
        }
    }
}
