//! Comparing two estimates: what changed per call and in total. Either side
//! may be a spec (estimated now) or a saved `estimate --format json`; both
//! arrive as a `Snapshot` read from their document (`document::snapshot`).

use rust_decimal::Decimal;

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
}
