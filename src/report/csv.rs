//! CSV for sheets and notebooks: one record type per document, a header
//! row, RFC 4180 quoting, exact decimals.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{ModelList, Renderer};
use crate::check::CheckRun;
use crate::diff::Diff;
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Csv;

/// One figure of `reconcile`: a call's (or the feature's), predicted and observed.
#[derive(Serialize, Default)]
struct ReconcileRecord {
    spec: String,
    call: String,
    figure: String,
    predicted: String,
    observed: String,
    drift: String,
}

/// Writes `records` under a header of `R`'s field names (present even with
/// no records, so a sheet always knows its columns). The csv crate quotes
/// what needs quoting; `cell` has already defused spreadsheet formulas.
fn write<R: Serialize + Default>(records: &[R]) -> String {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let _ = out.write_record(header::<R>());
    for r in records {
        let _ = out.serialize(r);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `R`'s field names, as serde names them: the header of its records.
fn header<R: Serialize + Default>() -> Vec<String> {
    let mut probe = csv::Writer::from_writer(Vec::new());
    let _ = probe.serialize(R::default());
    let text = String::from_utf8(probe.into_inner().unwrap_or_default()).unwrap_or_default();
    text.lines()
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect()
}

/// Text for a cell, with anything a spreadsheet would run as a formula
/// quoted (`neutral::csv_cell`).
fn cell(s: &str) -> String {
    crate::neutral::csv_cell(s)
}

fn n(v: Decimal) -> String {
    v.normalize().to_string()
}

fn opt(v: Option<Decimal>) -> String {
    v.map(n).unwrap_or_default()
}

/// One row of an estimate: a call, or totals only (the request, a what-if,
/// a month of growth) with the per-call columns empty.
#[derive(Serialize, Default)]
struct EstimateRecord {
    spec: String,
    feature: String,
    call: String,
    model: String,
    runs_per_request: String,
    input_tokens: String,
    cached_input_tokens: String,
    cache_write_tokens: String,
    output_tokens: String,
    tokens_estimated: String,
    cost_per_run: String,
    cost_per_request: String,
    cost_per_month: String,
}

impl EstimateRecord {
    fn totals(
        r: &Estimate,
        call: String,
        model: &str,
        per_request: Decimal,
        per_month: Decimal,
    ) -> Self {
        EstimateRecord {
            spec: cell(&r.spec_file),
            feature: cell(&r.feature),
            call: cell(&call),
            model: cell(model),
            cost_per_request: n(per_request),
            cost_per_month: n(per_month),
            ..EstimateRecord::default()
        }
    }
}

#[derive(Serialize, Default, Clone)]
struct CheckRecord {
    spec: String,
    feature: String,
    rule: String,
    limit: String,
    actual: String,
    ok: String,
    headroom: String,
    headroom_ratio: String,
    cost_per_request: String,
    cost_per_month: String,
    error: String,
}

#[derive(Serialize, Default)]
struct DiffRecord {
    call: String,
    base_model: String,
    head_model: String,
    base_input_tokens: String,
    head_input_tokens: String,
    base_cost_per_request: String,
    head_cost_per_request: String,
    change: String,
    change_ratio: String,
}

#[derive(Serialize, Default)]
struct ModelRecord {
    provider: String,
    model: String,
    input: String,
    cached_input: String,
    cache_write: String,
    cache_write_1h: String,
    output: String,
    batch_input: String,
    batch_output: String,
    tier_above: String,
    tier_input: String,
    tier_output: String,
    context_window: String,
    max_output: String,
    min_cacheable_tokens: String,
    tokenizer: String,
    tokens_exact: String,
    deprecated: String,
    as_of: String,
}

#[derive(Serialize, Default)]
struct SuggestionRecord {
    rank: String,
    kind: String,
    call: String,
    change: String,
    saving_per_month: String,
    saving_ratio: String,
    cost_per_month: String,
    budget_ok: String,
    command: String,
}

impl Renderer for Csv {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        let mut rows: Vec<EstimateRecord> = r
            .calls
            .iter()
            .map(|c| EstimateRecord {
                spec: cell(&r.spec_file),
                feature: cell(&r.feature),
                call: cell(&c.name),
                model: cell(&crate::labels::serving_label(&c.serving)),
                runs_per_request: n(c.runs_per_request),
                input_tokens: n(c.input_tokens),
                cached_input_tokens: n(c.cached_input_tokens),
                cache_write_tokens: n(c.cache_write_tokens),
                output_tokens: n(c.output_tokens),
                tokens_estimated: c.tokens_estimated.to_string(),
                cost_per_run: n(c.cost_per_run),
                cost_per_request: n(c.cost_per_request),
                cost_per_month: n(c.cost_per_request * r.totals.requests_per_month),
            })
            .collect();
        rows.push(EstimateRecord::totals(
            r,
            "(request)".into(),
            &r.model,
            r.totals.cost_per_request,
            r.totals.cost_per_month,
        ));
        // What-ifs ride along as rows of the same shape: a `call` of
        // `(model X)`, `(scenario X)` or `(month N)` with its totals.
        if let Some(alts) = alternatives {
            let kind = match alts.kind {
                crate::whatif::Kind::Model => "model",
                crate::whatif::Kind::Scenario => "scenario",
            };
            for a in &alts.rows {
                if let Ok(x) = &a.outcome {
                    rows.push(EstimateRecord::totals(
                        r,
                        format!("({kind} {})", a.label),
                        &x.model,
                        x.totals.cost_per_request,
                        x.totals.cost_per_month,
                    ));
                }
            }
        }
        for m in &r.projection {
            rows.push(EstimateRecord::totals(
                r,
                format!("(month {})", m.month),
                &r.model,
                r.totals.cost_per_request,
                m.cost_per_month,
            ));
        }
        write(&rows)
    }

    fn check(&self, run: &CheckRun) -> String {
        let mut rows = Vec::new();
        for r in &run.reports {
            let figures = CheckRecord {
                spec: cell(&r.spec_file),
                feature: cell(&r.feature),
                cost_per_request: n(r.totals.cost_per_request),
                cost_per_month: n(r.totals.cost_per_month),
                ..CheckRecord::default()
            };
            if r.budget.is_empty() {
                rows.push(figures.clone());
            }
            for v in &r.budget {
                rows.push(CheckRecord {
                    rule: v.rule.key().to_string(),
                    limit: n(v.limit),
                    actual: n(v.actual),
                    ok: v.ok.to_string(),
                    headroom: n(v.headroom()),
                    headroom_ratio: opt(v.headroom_ratio()),
                    ..figures.clone()
                });
            }
        }
        for f in &run.failures {
            rows.push(CheckRecord {
                spec: cell(&f.spec),
                error: cell(&f.error.to_string()),
                ..CheckRecord::default()
            });
        }
        write(&rows)
    }

    fn diff(&self, d: &Diff) -> String {
        let mut rows: Vec<DiffRecord> = d
            .calls()
            .iter()
            .map(|c| {
                let cost = c.cost_per_request();
                let input = c.input_tokens();
                DiffRecord {
                    call: cell(c.name),
                    base_model: cell(&c.base.map(|b| b.model.clone()).unwrap_or_default()),
                    head_model: cell(&c.head.map(|h| h.model.clone()).unwrap_or_default()),
                    base_input_tokens: n(input.base),
                    head_input_tokens: n(input.head),
                    base_cost_per_request: n(cost.base),
                    head_cost_per_request: n(cost.head),
                    change: n(cost.delta()),
                    change_ratio: opt(cost.ratio()),
                }
            })
            .collect();
        for (name, c) in [
            ("(request)", d.cost_per_request()),
            ("(month)", d.cost_per_month()),
        ] {
            rows.push(DiffRecord {
                call: name.into(),
                base_model: cell(&d.base.model),
                head_model: cell(&d.head.model),
                base_cost_per_request: n(c.base),
                head_cost_per_request: n(c.head),
                change: n(c.delta()),
                change_ratio: opt(c.ratio()),
                ..DiffRecord::default()
            });
        }
        write(&rows)
    }

    fn models(&self, list: &ModelList) -> String {
        let rows: Vec<ModelRecord> = list
            .models
            .iter()
            .map(|m| {
                let tier = m.tiers.first();
                ModelRecord {
                    provider: cell(&m.provider),
                    model: cell(&m.name),
                    input: n(m.rates.input),
                    cached_input: opt(m.rates.cached_input),
                    cache_write: opt(m.rates.cache_write),
                    cache_write_1h: opt(m.cache_write_1h),
                    output: n(m.rates.output),
                    batch_input: opt(m.batch.map(|b| b.input)),
                    batch_output: opt(m.batch.map(|b| b.output)),
                    tier_above: opt(tier.map(|t| t.above)),
                    tier_input: opt(tier.map(|t| t.rates.input)),
                    tier_output: opt(tier.map(|t| t.rates.output)),
                    context_window: m.context_window.map(|c| c.to_string()).unwrap_or_default(),
                    max_output: m.max_output.map(|c| c.to_string()).unwrap_or_default(),
                    min_cacheable_tokens: m.min_cacheable_tokens.to_string(),
                    tokenizer: m.tokenizer.encoding.name().to_string(),
                    tokens_exact: m.tokenizer.exact.to_string(),
                    deprecated: m.deprecated.map(|d| d.to_string()).unwrap_or_default(),
                    as_of: m.as_of.to_string(),
                }
            })
            .collect();
        write(&rows)
    }

    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String {
        let records: Vec<ReconcileRecord> = super::reconcile::csv_rows(r)
            .into_iter()
            .map(
                |[spec, call, figure, predicted, observed, drift]| ReconcileRecord {
                    spec: cell(&spec),
                    call: cell(&call),
                    figure,
                    predicted,
                    observed,
                    drift,
                },
            )
            .collect();
        write(&records)
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        let record = |rank: String, x: &crate::savings::Suggestion| SuggestionRecord {
            rank,
            kind: x.candidate.kind.key().to_string(),
            call: cell(&x.candidate.call),
            change: cell(&x.candidate.title),
            saving_per_month: n(x.saving_per_month),
            saving_ratio: n(x.saving_ratio),
            cost_per_month: n(x.cost_per_month),
            budget_ok: x.budget_ok.to_string(),
            command: cell(&crate::savings::command(
                &s.spec,
                &s.flags,
                &x.candidate.sets,
            )),
        };
        let mut rows: Vec<SuggestionRecord> = s
            .items
            .iter()
            .enumerate()
            .map(|(i, x)| record((i + 1).to_string(), x))
            .collect();
        if let Some(c) = &s.combined {
            rows.push(record("all".into(), c));
        }
        write(&rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct Three {
        a: String,
        b: String,
        c: String,
    }

    #[test]
    fn quotes_fields_that_need_it() {
        let r = Three {
            a: "a".into(),
            b: "b,c".into(),
            c: "say \"hi\"".into(),
        };
        assert_eq!(write(&[r]), "a,b,c\na,\"b,c\",\"say \"\"hi\"\"\"\n");
        assert_eq!(
            write::<Three>(&[]),
            "a,b,c\n",
            "the header even with no rows"
        );
    }
}
