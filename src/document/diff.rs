//! `diff --format json`: two estimates side by side, per call and in total.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use crate::diff::{CallSnapshot, Change, Diff};
use crate::figures::{Count, Money};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DiffDoc {
    pub schema_version: u32,
    pub command: String,
    pub feature: String,
    pub base: SideDoc,
    pub head: SideDoc,
    pub calls: Vec<DiffCallDoc>,
    pub cost_per_request: ChangeDoc,
    pub cost_per_month: ChangeDoc,
    pub margin_after: Option<ChangeDoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SideDoc {
    pub spec: String,
    pub model: String,
}

/// One call on both sides; a side is null where the call is not there.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DiffCallDoc {
    pub name: String,
    pub base: Option<CallSideDoc>,
    pub head: Option<CallSideDoc>,
    pub cost_per_request: ChangeDoc,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CallSideDoc {
    pub model: String,
    pub runs_per_request: Money,
    pub input_tokens: Count,
    pub output_tokens: Count,
    pub cost_per_request: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChangeDoc {
    pub base: Money,
    pub head: Money,
    pub change: Money,
    /// The change as a share of the base; null where the base is 0.
    pub change_ratio: Option<Money>,
}

impl ChangeDoc {
    pub fn new(c: &Change) -> ChangeDoc {
        ChangeDoc {
            base: Money(c.base),
            head: Money(c.head),
            change: Money(c.delta()),
            change_ratio: c.ratio().map(Money),
        }
    }
}

impl DiffDoc {
    pub fn new(d: &Diff) -> DiffDoc {
        let side = |s: Option<&CallSnapshot>| {
            s.map(|s| CallSideDoc {
                model: s.model.clone(),
                runs_per_request: Money(s.runs_per_request),
                input_tokens: Count(s.input_tokens),
                output_tokens: Count(s.output_tokens),
                cost_per_request: Money(s.cost_per_request),
            })
        };
        DiffDoc {
            schema_version: SCHEMA_VERSION,
            command: "diff".into(),
            feature: d.head.feature.clone(),
            base: SideDoc {
                spec: d.base.spec.clone(),
                model: d.base.model.clone(),
            },
            head: SideDoc {
                spec: d.head.spec.clone(),
                model: d.head.model.clone(),
            },
            calls: d
                .calls()
                .iter()
                .map(|c| DiffCallDoc {
                    name: c.name.to_string(),
                    base: side(c.base),
                    head: side(c.head),
                    cost_per_request: ChangeDoc::new(&c.cost_per_request()),
                })
                .collect(),
            cost_per_request: ChangeDoc::new(&d.cost_per_request()),
            cost_per_month: ChangeDoc::new(&d.cost_per_month()),
            margin_after: d.margin_after().map(|m| ChangeDoc::new(&m)),
        }
    }
}
