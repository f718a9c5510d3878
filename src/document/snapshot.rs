//! Documents read back: a saved estimate, or every estimate of a saved
//! check, becomes the `Snapshot` that `diff` and `check --baseline`
//! compare; a spec's estimate becomes one through its document too, so
//! both sides of a comparison come through one path.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::EstimateDoc;
use crate::diff::{CallSnapshot, Snapshot};
use crate::pipeline::Estimate;

impl Snapshot {
    /// An estimate's comparable figures, read from its document exactly as
    /// a saved one is: both sides of a comparison come through one path.
    pub fn from_report(r: &Estimate) -> Result<Snapshot, String> {
        Snapshot::from_doc(&EstimateDoc::new(r, None))
    }

    /// Reads a saved estimate (`estimate --format json`), or every estimate
    /// of a saved `check --format json`, through the same types that wrote
    /// it (`EstimateDoc`).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

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
