//! Comparing two estimates: what changed per call and in total. Either side
//! may be a spec (estimated now) or a saved `estimate --format json`.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use crate::document::EstimateDoc;

use crate::pipeline::Estimate;

/// The comparable figures of one estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub spec: String,
    pub feature: String,
    pub model: String,
    pub calls: Vec<CallSnapshot>,
    pub cost_per_request: Decimal,
    pub cost_per_month: Decimal,
    pub requests_per_month: Decimal,
    pub margin_before: Option<Decimal>,
    pub margin_after: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSnapshot {
    pub name: String,
    pub model: String,
    pub runs_per_request: Decimal,
    pub input_tokens: Decimal,
    pub output_tokens: Decimal,
    pub cost_per_request: Decimal,
}

impl Snapshot {
    /// An estimate's comparable figures, read from its document exactly as
    /// a saved one is: both sides of a comparison come through one path.
    pub fn from_report(r: &Estimate) -> Result<Snapshot, String> {
        Snapshot::from_doc(&EstimateDoc::new(r, None))
    }

    /// Reads a saved estimate (`estimate --format json`), or every estimate
    /// of a saved `check --format json`, through the same types that wrote
    /// it (`schema::EstimateDoc`).
    pub fn from_json(text: &str) -> Result<Vec<Snapshot>, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        if let Some(estimates) = doc.get("estimates").and_then(Value::as_array) {
            return estimates.iter().map(one).collect();
        }
        one(&doc).map(|s| vec![s])
    }
}

fn one(doc: &Value) -> Result<Snapshot, String> {
    match doc.get("schema_version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(v) => {
            return Err(format!(
                "schema_version {v} is newer than this llm-cost reads (1)"
            ));
        }
        None => return Err("not an llm-cost estimate (no `schema_version`)".into()),
    }
    let doc = EstimateDoc::deserialize(doc).map_err(|e| e.to_string())?;
    Snapshot::from_doc(&doc)
}

impl Snapshot {
    /// A saved estimate is untrusted input too: its names are neutralised,
    /// and its figures held to what an estimate can hold, so a difference of
    /// two cannot overflow (costs are never negative; nothing passes 10²⁷).
    fn from_doc(doc: &EstimateDoc) -> Result<Snapshot, String> {
        let bound = Decimal::from_i128_with_scale(10_i128.pow(27), 0);
        let signed = |key: &str, d: Decimal| -> Result<Decimal, String> {
            if d.abs() > bound {
                return Err(format!("`{key}` is outside what an estimate can hold"));
            }
            Ok(d)
        };
        let number = |key: &str, d: Decimal| -> Result<Decimal, String> {
            let d = signed(key, d)?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(format!(
                    "`{key}` is negative; an estimate's costs and counts never are"
                ));
            }
            Ok(d)
        };
        let label = |s: &str| crate::neutral::label(s);
        let calls = doc
            .calls
            .iter()
            .map(|c| {
                Ok(CallSnapshot {
                    name: label(&c.name),
                    model: label(&c.model),
                    runs_per_request: number("runs_per_request", c.runs_per_request.0)?,
                    input_tokens: number("input_tokens", c.input_tokens.0)?,
                    output_tokens: number("output_tokens", c.output_tokens.0)?,
                    cost_per_request: number("cost_per_request", c.cost_per_request.0)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let margin = doc.margin.as_ref();
        Ok(Snapshot {
            spec: label(&doc.spec),
            feature: label(&doc.feature),
            model: label(&doc.model),
            calls,
            cost_per_request: number("cost_per_request", doc.cost_per_request.0)?,
            cost_per_month: number("cost_per_month", doc.cost_per_month.0)?,
            requests_per_month: number("requests_per_month", doc.requests_per_month.0)?,
            margin_before: margin.map(|m| signed("before", m.before.0)).transpose()?,
            margin_after: margin.map(|m| signed("after", m.after.0)).transpose()?,
        })
    }
}

/// A figure before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub base: Decimal,
    pub head: Decimal,
}

impl Change {
    pub fn delta(&self) -> Decimal {
        self.head - self.base
    }

    /// The change as a share of the base; None from a base of zero.
    pub fn ratio(&self) -> Option<Decimal> {
        (!self.base.is_zero()).then(|| self.delta() / self.base)
    }
}

/// One call on either side, matched by name.
#[derive(Debug, Clone)]
pub struct CallChange<'a> {
    pub name: &'a str,
    pub base: Option<&'a CallSnapshot>,
    pub head: Option<&'a CallSnapshot>,
}

impl CallChange<'_> {
    pub fn cost_per_request(&self) -> Change {
        Change {
            base: self.base.map_or(Decimal::ZERO, |c| c.cost_per_request),
            head: self.head.map_or(Decimal::ZERO, |c| c.cost_per_request),
        }
    }

    pub fn input_tokens(&self) -> Change {
        Change {
            base: self.base.map_or(Decimal::ZERO, |c| c.input_tokens),
            head: self.head.map_or(Decimal::ZERO, |c| c.input_tokens),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diff {
    pub base: Snapshot,
    pub head: Snapshot,
}

impl Diff {
    /// Calls in the head's order, then calls only the base has.
    pub fn calls(&self) -> Vec<CallChange<'_>> {
        let mut out: Vec<CallChange> = self
            .head
            .calls
            .iter()
            .map(|h| CallChange {
                name: &h.name,
                base: self.base.calls.iter().find(|b| b.name == h.name),
                head: Some(h),
            })
            .collect();
        for b in &self.base.calls {
            if !self.head.calls.iter().any(|h| h.name == b.name) {
                out.push(CallChange {
                    name: &b.name,
                    base: Some(b),
                    head: None,
                });
            }
        }
        out
    }

    pub fn cost_per_request(&self) -> Change {
        Change {
            base: self.base.cost_per_request,
            head: self.head.cost_per_request,
        }
    }

    pub fn cost_per_month(&self) -> Change {
        Change {
            base: self.base.cost_per_month,
            head: self.head.cost_per_month,
        }
    }

    pub fn margin_after(&self) -> Option<Change> {
        Some(Change {
            base: self.base.margin_after?,
            head: self.head.margin_after?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    fn call(name: &str, cost: &str) -> CallSnapshot {
        CallSnapshot {
            name: name.into(),
            model: "m".into(),
            runs_per_request: d("1"),
            input_tokens: d("10"),
            output_tokens: d("1"),
            cost_per_request: d(cost),
        }
    }

    fn snap(calls: Vec<CallSnapshot>) -> Snapshot {
        let total = calls.iter().map(|c| c.cost_per_request).sum::<Decimal>();
        Snapshot {
            spec: "s.yaml".into(),
            feature: "f".into(),
            model: "m".into(),
            calls,
            cost_per_request: total,
            cost_per_month: total * d("1000"),
            requests_per_month: d("1000"),
            margin_before: None,
            margin_after: None,
        }
    }

    #[test]
    fn calls_are_matched_by_name() {
        let diff = Diff {
            base: snap(vec![call("a", "0.1"), call("gone", "0.2")]),
            head: snap(vec![call("new", "0.05"), call("a", "0.15")]),
        };
        let calls = diff.calls();
        let names: Vec<&str> = calls.iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["new", "a", "gone"]);
        assert_eq!(
            calls[0].cost_per_request(),
            Change {
                base: d("0"),
                head: d("0.05")
            }
        );
        assert_eq!(calls[1].cost_per_request().delta(), d("0.05"));
        assert_eq!(calls[1].cost_per_request().ratio(), Some(d("0.5")));
        assert_eq!(calls[0].cost_per_request().ratio(), None);
        assert_eq!(diff.cost_per_month().delta(), d("-100"));
    }

    #[test]
    fn saved_estimates_are_read_back() {
        let json = r#"{"schema_version": 1, "feature": "f", "spec": "s.yaml", "model": "m",
            "calls": [{"name": "a", "model": "m", "runs_per_request": "1.1", "input_tokens": 2932.8,
                       "output_tokens": 280, "cost_per_request": "0.000580404"}],
            "cost_per_request": "0.000580404", "cost_per_month": "348.2424", "requests_per_month": "600000",
            "margin": {"before": "0.82", "after": "0.8165"}}"#;
        let s = &Snapshot::from_json(json).unwrap()[0];
        assert_eq!(s.calls[0].input_tokens, d("2932.8"));
        assert_eq!(s.cost_per_month, d("348.2424"));
        assert_eq!(s.margin_after, Some(d("0.8165")));
        assert!(
            Snapshot::from_json("{}")
                .unwrap_err()
                .contains("schema_version")
        );
        assert!(Snapshot::from_json("nope").unwrap_err().contains("JSON"));
    }
}
