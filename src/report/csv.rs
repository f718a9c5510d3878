//! CSV for sheets and notebooks: one record type per document, a header
//! row, RFC 4180 quoting, exact decimals.

use rust_decimal::Decimal;

use super::{ModelList, Renderer};
use crate::check::CheckRun;
use crate::diff::Diff;
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Csv;

fn field(s: &str) -> String {
    let s = &crate::neutral::csv_cell(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}

fn n(v: Decimal) -> String {
    v.normalize().to_string()
}

fn opt(v: Option<Decimal>) -> String {
    v.map(n).unwrap_or_default()
}

/// A record of `width` fields, empty but for those given by position.
fn sparse(width: usize, given: &[(usize, String)]) -> String {
    let mut fields = vec![String::new(); width];
    for (i, v) in given {
        fields[*i] = v.clone();
    }
    row(&fields)
}

const ESTIMATE_HEADER: &str = "spec,feature,call,model,runs_per_request,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,tokens_estimated,cost_per_run,cost_per_request,cost_per_month\n";
const ESTIMATE_WIDTH: usize = 13;

/// An estimate row with totals only: the request, a what-if, a month.
fn totals_row(
    r: &Estimate,
    call: String,
    model: &str,
    per_request: Decimal,
    per_month: Decimal,
) -> String {
    sparse(
        ESTIMATE_WIDTH,
        &[
            (0, r.spec_file.clone()),
            (1, r.feature.clone()),
            (2, call),
            (3, model.to_string()),
            (11, n(per_request)),
            (12, n(per_month)),
        ],
    )
}

impl Renderer for Csv {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        let mut out = String::from(ESTIMATE_HEADER);
        for c in &r.calls {
            out.push_str(&row(&[
                r.spec_file.clone(),
                r.feature.clone(),
                c.name.clone(),
                c.model.clone(),
                n(c.runs_per_request),
                n(c.input_tokens),
                n(c.cached_input_tokens),
                n(c.cache_write_tokens),
                n(c.output_tokens),
                c.tokens_estimated.to_string(),
                n(c.cost_per_run),
                n(c.cost_per_request),
                n(c.cost_per_request * r.totals.requests_per_month),
            ]));
        }
        out.push_str(&totals_row(
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
                    out.push_str(&totals_row(
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
            out.push_str(&totals_row(
                r,
                format!("(month {})", m.month),
                &r.model,
                r.totals.cost_per_request,
                m.cost_per_month,
            ));
        }
        out
    }

    fn check(&self, run: &CheckRun) -> String {
        let mut out = String::from(
            "spec,feature,rule,limit,actual,ok,headroom,headroom_ratio,cost_per_request,cost_per_month,error\n",
        );
        const WIDTH: usize = 11;
        for r in &run.reports {
            let figures = [
                (0, r.spec_file.clone()),
                (1, r.feature.clone()),
                (8, n(r.totals.cost_per_request)),
                (9, n(r.totals.cost_per_month)),
            ];
            if r.budget.is_empty() {
                out.push_str(&sparse(WIDTH, &figures));
            }
            for v in &r.budget {
                let mut fields = figures.to_vec();
                fields.extend([
                    (2, v.rule.key().to_string()),
                    (3, n(v.limit)),
                    (4, n(v.actual)),
                    (5, v.ok.to_string()),
                    (6, n(v.headroom())),
                    (7, opt(v.headroom_ratio())),
                ]);
                out.push_str(&sparse(WIDTH, &fields));
            }
        }
        for f in &run.failures {
            out.push_str(&sparse(
                WIDTH,
                &[(0, f.spec.clone()), (10, f.error.to_string())],
            ));
        }
        out
    }

    fn diff(&self, d: &Diff) -> String {
        let mut out = String::from(
            "call,base_model,head_model,base_input_tokens,head_input_tokens,base_cost_per_request,head_cost_per_request,change,change_ratio\n",
        );
        for c in d.calls() {
            let cost = c.cost_per_request();
            let input = c.input_tokens();
            out.push_str(&row(&[
                c.name.to_string(),
                c.base.map(|b| b.model.clone()).unwrap_or_default(),
                c.head.map(|h| h.model.clone()).unwrap_or_default(),
                n(input.base),
                n(input.head),
                n(cost.base),
                n(cost.head),
                n(cost.delta()),
                opt(cost.ratio()),
            ]));
        }
        for (name, c) in [
            ("(request)", d.cost_per_request()),
            ("(month)", d.cost_per_month()),
        ] {
            let given = [
                (0, name.to_string()),
                (1, d.base.model.clone()),
                (2, d.head.model.clone()),
                (5, n(c.base)),
                (6, n(c.head)),
                (7, n(c.delta())),
                (8, opt(c.ratio())),
            ];
            out.push_str(&sparse(9, &given));
        }
        out
    }

    fn models(&self, list: &ModelList) -> String {
        let mut out = String::from(
            "provider,model,input,cached_input,cache_write,cache_write_1h,output,batch_input,batch_output,tier_above,tier_input,tier_output,context_window,max_output,min_cacheable_tokens,tokenizer,tokens_exact,deprecated,as_of\n",
        );
        for m in &list.models {
            let tier = m.tiers.first();
            out.push_str(&row(&[
                m.provider.clone(),
                m.name.clone(),
                n(m.rates.input),
                opt(m.rates.cached_input),
                opt(m.rates.cache_write),
                opt(m.cache_write_1h),
                n(m.rates.output),
                opt(m.batch.map(|b| b.input)),
                opt(m.batch.map(|b| b.output)),
                opt(tier.map(|t| t.above)),
                opt(tier.map(|t| t.rates.input)),
                opt(tier.map(|t| t.rates.output)),
                m.context_window.map(|c| c.to_string()).unwrap_or_default(),
                m.max_output.map(|c| c.to_string()).unwrap_or_default(),
                m.min_cacheable_tokens.to_string(),
                m.tokenizer.encoding.name().to_string(),
                m.tokenizer.exact.to_string(),
                m.deprecated.map(|d| d.to_string()).unwrap_or_default(),
                m.as_of.to_string(),
            ]));
        }
        out
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        let mut out = String::from(
            "rank,kind,call,change,saving_per_month,saving_ratio,cost_per_month,budget_ok,command\n",
        );
        let mut add = |rank: String, x: &crate::savings::Suggestion| {
            out.push_str(&row(&[
                rank,
                x.candidate.kind.key().to_string(),
                x.candidate.call.clone(),
                x.candidate.title.clone(),
                n(x.saving_per_month),
                n(x.saving_ratio),
                n(x.cost_per_month),
                x.budget_ok.to_string(),
                crate::savings::command(&s.spec, &x.candidate.sets),
            ]));
        };
        for (i, x) in s.items.iter().enumerate() {
            add((i + 1).to_string(), x);
        }
        if let Some(c) = &s.combined {
            add("all".into(), c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_fields_that_need_it() {
        assert_eq!(
            row(&["a".into(), "b,c".into(), "say \"hi\"".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
