//! The estimate document: what `estimate --format json` writes (alone,
//! inside `check`'s document, with the alternatives) and what `diff` and
//! `check --baseline` read back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use crate::figures::{Count, Money};
use crate::pipeline::Estimate;
use crate::pricing::{Region, ServiceTier, Speed};
use crate::whatif::{Alternatives, BreakEven, Kind};

/// One spec's estimate. Fields a reader of an older file may not find
/// default to empty; `diff` needs only the ones it compares.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EstimateDoc {
    pub schema_version: u32,
    pub feature: String,
    #[serde(default)]
    pub spec: String,
    pub model: String,
    #[serde(default)]
    pub prices_as_of: String,
    /// The day the run priced on (`--as-of`, else today): scheduled price
    /// changes up to it apply; those within 90 days after are in `notes`.
    #[serde(default)]
    pub priced_on: String,
    pub calls: Vec<CallDoc>,
    pub cost_per_request: Money,
    #[serde(default)]
    pub cost_per_request_p95: Money,
    #[serde(default)]
    pub requests_per_day: Money,
    pub requests_per_month: Money,
    #[serde(default)]
    pub days_per_month: Money,
    #[serde(default)]
    pub cost_per_day: Money,
    pub cost_per_month: Money,
    #[serde(default)]
    pub cost_per_month_p95: Money,
    #[serde(default)]
    pub cost_per_user_per_month: Option<Money>,
    #[serde(default)]
    pub margin: Option<MarginDoc>,
    #[serde(default)]
    pub budget: Vec<VerdictDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_cost_per_month: Option<Money>,
    #[serde(default)]
    pub warnings: Vec<String>,
    /// `mean` or `p95`: which figures the budget was judged on.
    #[serde(default)]
    pub budget_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_hosted_idle_cost_per_month: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_seconds: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_sources: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<ProjectionDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<AlternativesDoc>,
    /// The billing rules applied where there is a choice, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// Every warning, assumption and what-if above as data (`kind` and its
    /// figures), for scripts that act on one kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::notes::Note>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CallDoc {
    pub name: String,
    pub model: String,
    pub runs_per_request: Money,
    /// All prompt tokens of one run, cached ones included.
    pub input_tokens: Count,
    #[serde(default)]
    pub input_tokens_p95: Count,
    #[serde(default)]
    pub cached_input_tokens: Count,
    #[serde(default)]
    pub cache_write_tokens: Count,
    /// Reasoning tokens included.
    pub output_tokens: Count,
    #[serde(default)]
    pub output_tokens_p95: Count,
    #[serde(default)]
    pub reasoning_tokens: Count,
    #[serde(default)]
    pub tokens_estimated: bool,
    #[serde(default)]
    pub batch: bool,
    /// `flex` or `priority`, where not the standard tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// `us` or `eu`, where not global.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `fast`, in fast mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<String>,
    /// Off the list price: USD per 1M tokens as applied (below any
    /// long-context tier), the region's uplift and fast mode included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<super::models::RatesDoc>,
    #[serde(default)]
    pub cost_per_run: Money,
    pub cost_per_request: Money,
    #[serde(default)]
    pub cost_per_request_p95: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turns: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_conversation: Option<Money>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legs: Vec<LegDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_seconds: Option<Money>,
    /// Where some runs reach a long-context tier: the share of runs priced
    /// at each (`above` null for the base prices).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier_mix: Vec<TierShareDoc>,
    /// For a cached conversation: the mean cache-write tokens of each turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_write_tokens_by_turn: Vec<Count>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TierShareDoc {
    pub above: Option<Count>,
    pub share: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LegDoc {
    pub model: String,
    pub weight: Money,
    pub input_tokens: Count,
    pub cost_per_run: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MarginDoc {
    #[serde(default)]
    pub revenue_per_month: Money,
    #[serde(default)]
    pub other_cost_per_month: Money,
    pub before: Money,
    pub after: Money,
    #[serde(default)]
    pub change: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct VerdictDoc {
    pub rule: String,
    pub limit: Money,
    pub actual: Money,
    pub ok: bool,
    /// Room left (positive) or overshoot (negative), in the rule's unit.
    pub headroom: Money,
    pub headroom_ratio: Option<Money>,
    /// Which figure the rule judged, where it judges several (`max_drift`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// Why the rule could not be judged (it is then not ok).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unjudged: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProjectionDoc {
    pub growth_per_month: Option<Money>,
    pub first_broken_month: Option<u32>,
    pub months: Vec<MonthDoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MonthDoc {
    pub month: u32,
    pub requests_per_month: Money,
    pub cost_per_month: Money,
    pub margin_after: Option<Money>,
    pub broken: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AlternativesDoc {
    /// `model` or `scenario`.
    pub kind: String,
    pub base_cost_per_month: Money,
    pub cheapest_within_budget: Option<String>,
    pub rows: Vec<AlternativeDoc>,
}

/// One alternative: its figures, or why it has none.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AlternativeDoc {
    Estimated(Box<AlternativeFigures>),
    Failed { label: String, error: String },
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AlternativeFigures {
    pub label: String,
    pub model: String,
    pub input_tokens_per_request: Count,
    pub tokens_estimated: bool,
    pub cost_per_request: Money,
    pub cost_per_request_p95: Money,
    pub cost_per_month: Money,
    pub cost_per_month_p95: Money,
    pub margin_after: Option<Money>,
    pub change: Money,
    pub change_ratio: Option<Money>,
    pub budget_ok: bool,
    pub idle_cost_per_month: Option<Money>,
    pub break_even_requests_per_day: Option<Money>,
    pub broken: Vec<String>,
    /// Calls on a reasoning model that state no `reasoning_tokens`: this
    /// row's cost leaves their reasoning out (never the cheapest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasoning_not_counted: Vec<String>,
    /// The model's retirement date, where it has passed or is within 90
    /// days (`retired`/`retires` and the date): never the cheapest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retirement: Option<String>,
}

impl EstimateDoc {
    pub fn new(r: &Estimate, alternatives: Option<&Alternatives>) -> EstimateDoc {
        let t = &r.totals;
        EstimateDoc {
            schema_version: SCHEMA_VERSION,
            feature: r.feature.clone(),
            spec: r.spec_file.clone(),
            model: r.model.clone(),
            prices_as_of: r.prices_as_of.clone(),
            priced_on: r.priced_on.clone(),
            calls: r.calls.iter().map(CallDoc::new).collect(),
            cost_per_request: Money(t.cost_per_request),
            cost_per_request_p95: Money(t.cost_per_request_p95),
            requests_per_day: Money(t.requests_per_day),
            requests_per_month: Money(t.requests_per_month),
            days_per_month: Money(r.totals.days_per_month),
            cost_per_day: Money(t.cost_per_day),
            cost_per_month: Money(t.cost_per_month),
            cost_per_month_p95: Money(t.cost_per_month_p95),
            cost_per_user_per_month: t.cost_per_user_per_month.map(Money),
            margin: t.margin.as_ref().map(|m| MarginDoc {
                revenue_per_month: Money(m.revenue_per_month),
                other_cost_per_month: Money(m.other_cost_per_month),
                before: Money(m.before),
                after: Money(m.after),
                change: Money(m.change),
            }),
            budget: r
                .budget
                .iter()
                .map(|v| VerdictDoc {
                    rule: v.rule.key().to_string(),
                    limit: Money(v.limit),
                    actual: Money(v.actual),
                    ok: v.ok,
                    headroom: Money(v.headroom()),
                    headroom_ratio: v.headroom_ratio().map(Money),
                    figure: v.figure.clone(),
                    unjudged: v.unjudged.clone(),
                })
                .collect(),
            baseline_cost_per_month: r.baseline_cost_per_month.map(Money),
            warnings: r.warnings(),
            budget_on: if r.budget_on_p95 { "p95" } else { "mean" }.into(),
            self_hosted_idle_cost_per_month: (!r.totals.idle_per_day().is_zero())
                .then(|| Money(r.totals.idle_per_day() * r.totals.days_per_month)),
            latency_seconds: r.latency_seconds.map(Money),
            latency_sources: r.latency_seconds.map(|_| r.latency_sources.clone()),
            overrides: r.overrides(),
            projection: (!r.projection.is_empty()).then(|| ProjectionDoc {
                growth_per_month: r.growth_per_month.map(Money),
                first_broken_month: crate::projection::first_broken(&r.projection).map(|m| m.month),
                months: r
                    .projection
                    .iter()
                    .map(|m| MonthDoc {
                        month: m.month,
                        requests_per_month: Money(m.requests_per_month),
                        cost_per_month: Money(m.cost_per_month),
                        margin_after: m.margin_after.map(Money),
                        broken: m.broken.iter().map(|b| b.key().to_string()).collect(),
                    })
                    .collect(),
            }),
            alternatives: alternatives.map(AlternativesDoc::new),
            assumptions: r.assumptions(),
            notes: r.notes.clone(),
        }
    }
}

impl CallDoc {
    fn new(c: &crate::estimate::CallEstimate) -> CallDoc {
        CallDoc {
            name: c.name.clone(),
            model: crate::labels::serving_label(&c.serving),
            runs_per_request: Money(c.runs_per_request),
            input_tokens: Count(c.input_tokens),
            input_tokens_p95: Count(c.input_tokens_p95),
            cached_input_tokens: Count(c.cached_input_tokens),
            cache_write_tokens: Count(c.cache_write_tokens),
            output_tokens: Count(c.output_tokens),
            output_tokens_p95: Count(c.output_tokens_p95),
            reasoning_tokens: Count(c.reasoning_tokens),
            tokens_estimated: c.tokens_estimated,
            batch: c.batch,
            service_tier: (c.service.tier != ServiceTier::Standard)
                .then(|| c.service.tier.name().to_string()),
            region: (c.service.region != Region::Global)
                .then(|| c.service.region.name().to_string()),
            speed: (c.service.speed != Speed::Standard).then(|| c.service.speed.name().to_string()),
            rates: c.rates.as_ref().map(super::models::RatesDoc::new),
            cost_per_run: Money(c.cost_per_run),
            cost_per_request: Money(c.cost_per_request),
            cost_per_request_p95: Money(c.cost_per_request_p95),
            turns: c.turns,
            cost_per_conversation: c.cost_per_conversation.map(Money),
            legs: c
                .legs
                .iter()
                .map(|l| LegDoc {
                    model: l.model.clone(),
                    weight: Money(l.weight),
                    input_tokens: Count(l.input_tokens),
                    cost_per_run: Money(l.cost_per_run),
                })
                .collect(),
            latency_seconds: c.latency_seconds.map(Money),
            // Only where a run reaches a long-context tier.
            tier_mix: if c.tier_mix.iter().any(|t| t.above.is_some()) {
                c.tier_mix
                    .iter()
                    .map(|t| TierShareDoc {
                        above: t.above.map(Count),
                        share: Money(t.share),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            cache_write_tokens_by_turn: c.cache_writes_by_turn.iter().copied().map(Count).collect(),
        }
    }
}

impl AlternativesDoc {
    fn new(alts: &Alternatives) -> AlternativesDoc {
        let base = alts.base_cost_per_month;
        AlternativesDoc {
            kind: match alts.kind {
                Kind::Model => "model",
                Kind::Scenario => "scenario",
            }
            .into(),
            base_cost_per_month: Money(base),
            cheapest_within_budget: alts
                .cheapest_within_budget()
                .map(|i| alts.rows[i].label.clone()),
            rows: alts
                .rows
                .iter()
                .map(|a| match &a.outcome {
                    Err(e) => AlternativeDoc::Failed {
                        label: a.label.clone(),
                        error: e.clone(),
                    },
                    Ok(x) => {
                        // The change from the base: as a share of it, none from $0.
                        let delta = x.totals.cost_per_month - base;
                        let ratio = (!base.is_zero()).then(|| delta / base);
                        AlternativeDoc::Estimated(Box::new(AlternativeFigures {
                            label: a.label.clone(),
                            model: x.model.clone(),
                            input_tokens_per_request: Count(
                                crate::whatif::input_tokens_per_request(x),
                            ),
                            tokens_estimated: x.calls.iter().any(|c| c.tokens_estimated),
                            cost_per_request: Money(x.totals.cost_per_request),
                            cost_per_request_p95: Money(x.totals.cost_per_request_p95),
                            cost_per_month: Money(x.totals.cost_per_month),
                            cost_per_month_p95: Money(x.totals.cost_per_month_p95),
                            margin_after: x.totals.margin.as_ref().map(|m| Money(m.after)),
                            change: Money(delta),
                            change_ratio: ratio.map(Money),
                            budget_ok: x.budget_ok(),
                            reasoning_not_counted: x
                                .reasoning_uncounted()
                                .into_iter()
                                .map(String::from)
                                .collect(),
                            retirement: a.retirement.map(|r| r.to_string()),
                            idle_cost_per_month: (!x.totals.idle_per_day().is_zero())
                                .then(|| Money(x.totals.idle_per_day() * x.totals.days_per_month)),
                            break_even_requests_per_day: match a.break_even {
                                Some(BreakEven::Above(r)) => Some(Money(r)),
                                _ => None,
                            },
                            broken: x
                                .budget
                                .iter()
                                .filter(|v| !v.ok)
                                .map(|v| v.rule.key().to_string())
                                .collect(),
                        }))
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    #[test]
    fn what_is_written_is_read_back_exactly() {
        // A money figure keeps all 28 digits; a fractional token count is a
        // JSON number (113.8: the mean over five samples).
        let json = r#"{"schema_version": 1, "feature": "f", "model": "m",
            "calls": [{"name": "c", "model": "m", "runs_per_request": "1.1",
                       "input_tokens": 113.8, "output_tokens": 280,
                       "cost_per_request": "0.0005676"}],
            "cost_per_request": "0.000592", "cost_per_month": "3597.457142857142857142857143",
            "requests_per_month": "600000"}"#;
        let doc: EstimateDoc = serde_json::from_str(json).unwrap();
        assert_eq!(doc.cost_per_month.0, d("3597.457142857142857142857143"));
        assert_eq!(doc.calls[0].input_tokens.0, d("113.8"));
        let again: EstimateDoc =
            serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(again.cost_per_month, doc.cost_per_month);
        assert_eq!(again.calls[0].input_tokens, doc.calls[0].input_tokens);
        let written = serde_json::to_value(&doc).unwrap();
        assert_eq!(written["cost_per_request"], "0.000592");
        assert_eq!(written["calls"][0]["output_tokens"], 280);
        assert!(
            written.get("projection").is_none(),
            "absent parts are left out"
        );
    }

    #[test]
    fn money_is_never_read_through_a_float() {
        let m: Money = serde_json::from_str("19.999999999999999").unwrap();
        assert_eq!(m.0, d("19.999999999999999"));
        assert!(serde_json::from_str::<Money>("\"lots\"").is_err());
    }
}
