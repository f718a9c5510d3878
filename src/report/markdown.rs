//! The pull-request comment: a headline a reviewer reads without opening a
//! log, compact GitHub tables with broken rules first, and a hidden marker so
//! a bot can update its comment in place rather than post a new one.

use super::format::{count, percent, points, signed_usd, tokens, usd};
use super::text::{change_text, summary_line};
use super::verdict::{self, value};
use super::{ModelList, Renderer, catalog, marker, whatif};
use crate::check::CheckRun;
use crate::diff::{Change, Diff};
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Markdown;

/// A table cell: pipes escaped and line breaks flattened, so the row stays a
/// row; and a name from a spec cannot become HTML (a hidden marker, an
/// image), a link, or an @-mention that pings someone. Read as GitHub reads
/// it: a run of backticks opens a code span only where a run of the same
/// length closes it (inside, everything is inert and left as written); an
/// unmatched run is a literal backtick, escaped, and the text after it is
/// plain text like any other (a lone backtick once let `<img …>` through).
fn cell(s: &str) -> String {
    let flat = s
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ");
    let mut out = String::with_capacity(flat.len() + 8);
    let mut rest = flat.as_str();
    while !rest.is_empty() {
        let Some(open) = rest.find('`') else {
            out.push_str(&plain(rest));
            break;
        };
        out.push_str(&plain(&rest[..open]));
        let run = rest[open..].bytes().take_while(|b| *b == b'`').count();
        let after = &rest[open + run..];
        match closing_run(after, run) {
            Some(close) => {
                out.push_str(&rest[open..open + run + close + run]);
                rest = &after[close + run..];
            }
            None => {
                out.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    out
}

/// Where a run of exactly `n` backticks starts in `s`, if one does.
fn closing_run(s: &str, n: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if len == n {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// Text outside code spans: no HTML, no link or image syntax, no
/// @-mention, no autolinked URL (GitHub links `https://…` and `www.…` bare).
fn plain(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('@', "@\u{200b}")
        .replace("://", ":\u{200b}//")
        .replace("www.", "www\u{200b}.")
}

/// Text inside a code span: its backticks cannot close it early.
fn code(s: &str) -> String {
    s.replace('`', "'")
}

/// The longest run of backticks in `s`, so a code fence around it can be longer.
fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn table(header: &[&str], align_right_from: usize, rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n",
        header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let seps: Vec<&str> = (0..header.len())
        .map(|i| if i >= align_right_from { "--:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", seps.join("|")));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

fn monthly_change(c: &Change) -> String {
    match c.ratio() {
        Some(r) => format!(
            "{}/month ({})",
            signed_usd(c.delta()),
            verdict::signed_percent(r)
        ),
        None => format!("{}/month", signed_usd(c.delta())),
    }
}

fn budget_rows(reports: &[&Estimate]) -> Vec<Vec<String>> {
    let mut rows: Vec<(bool, Vec<String>)> = Vec::new();
    for r in reports {
        for v in &r.budget {
            let mark = if v.ok { "✓" } else { "✗" };
            rows.push((
                v.ok,
                vec![
                    format!("{mark} {}", if v.ok { "ok" } else { "broken" }),
                    r.spec_file.clone(),
                    verdict::subject(v),
                    match &v.unjudged {
                        Some(why) => format!("cannot be judged: {why}"),
                        None => value(v.rule, v.actual, false),
                    },
                    value(v.rule, v.limit, true),
                    verdict::headroom(v),
                ],
            ));
        }
    }
    rows.sort_by_key(|(ok, _)| *ok);
    rows.into_iter().map(|(_, r)| r).collect()
}

const BUDGET_HEADER: [&str; 6] = ["", "spec", "rule", "actual", "limit", "headroom"];

/// One row per call, then the request's total.
fn calls_table(r: &Estimate) -> String {
    let writes = super::any_writes(r);
    let header: Vec<&str> = ["call", "model"]
        .into_iter()
        .chain(super::call_columns(writes))
        .collect();
    let mut request = vec![String::new(); header.len()];
    request[0] = "**request**".into();
    request[header.len() - 1] = format!("**{}**", usd(r.totals.cost_per_request));
    let rows: Vec<Vec<String>> = r
        .calls
        .iter()
        .map(|c| {
            let name = match crate::labels::terms_label(c.batch, &c.service) {
                // Live service terms only: markdown has never marked batch.
                Some(terms) if !c.batch => format!("{} ({terms})", c.name),
                _ => c.name.clone(),
            };
            let mut row = vec![name, crate::labels::serving_label(&c.serving)];
            row.extend(super::call_cells(c, writes));
            row
        })
        .chain(std::iter::once(request))
        .collect();
    table(&header, 2, &rows)
}

/// Per request, day, month and user, and the margin.
fn totals_rows(r: &Estimate) -> Vec<Vec<String>> {
    let t = &r.totals;
    let mut totals = vec![
        vec!["Per request".into(), usd(t.cost_per_request)],
        vec![
            "Per day".into(),
            format!(
                "{} ({} requests)",
                usd(t.cost_per_day),
                count(t.requests_per_day)
            ),
        ],
        vec![
            "Per month".into(),
            format!(
                "{} ({} days)",
                usd(t.cost_per_month),
                count(r.totals.days_per_month)
            ),
        ],
    ];
    if let Some(u) = t.cost_per_user_per_month {
        totals.push(vec!["Per user".into(), format!("{} / month", usd(u))]);
    }
    if let Some(m) = &t.margin {
        totals.push(vec![
            "Gross margin".into(),
            format!(
                "{} → {} ({})",
                percent(m.before),
                percent(m.after),
                points(m.change)
            ),
        ]);
    }
    totals
}

/// The PR comment's headline: the monthly change (or total), how many
/// budgets broke, how many specs could not be read.
fn check_headline(run: &CheckRun) -> String {
    let mut headline = vec![match run.change_vs_baseline() {
        Some((base, now)) => monthly_change(&Change { base, head: now }),
        None => format!(
            "{}/month",
            usd(run.reports.iter().map(|r| r.totals.cost_per_month).sum())
        ),
    }];
    headline.push(match run.broken_rules() {
        // With nothing judged, "all budgets kept" would be a false all-clear.
        _ if run.reports.is_empty() => "no spec could be checked".to_string(),
        0 => "all budgets kept".to_string(),
        1 => "1 budget broken".to_string(),
        n => format!("{n} budgets broken"),
    });
    if !run.failures.is_empty() {
        headline.push(format!(
            "{} spec{} unreadable",
            run.failures.len(),
            if run.failures.len() == 1 { "" } else { "s" }
        ));
    }
    headline.join(" · ")
}

/// One row per judged spec: its cost, and its change against a baseline.
fn specs_table(run: &CheckRun) -> String {
    let rows: Vec<Vec<String>> = run
        .reports
        .iter()
        .map(|r| {
            let vs = r
                .baseline_cost_per_month
                .map(|base| {
                    change_text(&Change {
                        base,
                        head: r.totals.cost_per_month,
                    })
                })
                .unwrap_or_else(|| "—".into());
            vec![
                r.spec_file.clone(),
                r.feature.clone(),
                r.model.clone(),
                usd(r.totals.cost_per_request),
                usd(r.totals.cost_per_month),
                vs,
            ]
        })
        .collect();
    table(
        &[
            "spec",
            "feature",
            "model",
            "per request",
            "per month",
            "vs baseline",
        ],
        3,
        &rows,
    )
}

impl Renderer for Markdown {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        let mut out = format!(
            "{}\n### llm-cost: {} — {}/month\n\n",
            marker("estimate"),
            cell(&r.feature),
            usd(r.totals.cost_per_month)
        );
        out.push_str(&calls_table(r));
        out.push('\n');
        out.push_str(&table(&["", "cost"], 1, &totals_rows(r)));
        if !r.budget.is_empty() {
            out.push('\n');
            out.push_str(&table(&BUDGET_HEADER, 3, &budget_rows(&[r])));
        }
        if let Some(alts) = alternatives {
            out.push_str(&format!("\n**{}**\n\n", cell(&whatif::title(alts, r))));
            let mut header = whatif::ALTERNATIVE_HEADER.to_vec();
            header[0] = whatif::first_column(alts);
            out.push_str(&table(&header, 1, &whatif::alternative_rows(alts, r)));
        }
        if !r.projection.is_empty() {
            out.push_str(&format!("\n**{}**\n\n", whatif::projection_title(r)));
            out.push_str(&table(
                &whatif::PROJECTION_HEADER,
                1,
                &whatif::projection_rows(r, false),
            ));
        }
        let overrides = r.overrides();
        if !overrides.is_empty() {
            out.push_str(&format!(
                "\n<sub>what if: {}</sub>\n",
                cell(&overrides.join(" · "))
            ));
        }
        out.push_str(&format!("\n<sub>prices as of {}</sub>\n", r.prices_as_of));
        out
    }

    fn check(&self, run: &CheckRun) -> String {
        let mut out = format!(
            "{}\n### llm-cost: {}\n\n",
            marker("check"),
            check_headline(run)
        );
        let reports: Vec<&Estimate> = run.reports.iter().collect();
        let rows = budget_rows(&reports);
        if !rows.is_empty() {
            out.push_str(&table(&BUDGET_HEADER, 3, &rows));
            out.push('\n');
        }
        if !run.reports.is_empty() {
            out.push_str(&specs_table(run));
            out.push('\n');
        }
        let warnings: Vec<String> = run
            .reports
            .iter()
            .flat_map(|r| {
                r.warnings()
                    .into_iter()
                    .map(move |w| format!("- ⚠️ `{}`: {}\n", code(&r.spec_file), cell(&w)))
            })
            .collect();
        if !warnings.is_empty() {
            out.push_str(&warnings.concat());
            out.push('\n');
        }
        for f in &run.failures {
            let text = f.error.to_string();
            let fence = "`".repeat(3.max(longest_backtick_run(&text) + 1));
            out.push_str(&format!(
                "**{}** cannot be checked:\n\n{fence}\n{text}\n{fence}\n\n",
                cell(&f.spec),
            ));
        }
        out.push_str(&format!("<sub>{}</sub>\n", summary_line(run)));
        out
    }

    fn diff(&self, d: &Diff) -> String {
        let month = d.cost_per_month();
        let mut out = format!(
            "{}\n### llm-cost: {} — {}\n\n",
            marker("diff"),
            monthly_change(&month),
            cell(&d.head.feature)
        );
        let mut rows: Vec<Vec<String>> = d
            .calls()
            .iter()
            .map(|c| {
                let model = match (c.base, c.head) {
                    (Some(b), Some(h)) if b.model != h.model => {
                        format!("{} → {}", b.model, h.model)
                    }
                    (_, Some(h)) => h.model.clone(),
                    (Some(b), None) => format!("{} (removed)", b.model),
                    (None, None) => String::new(),
                };
                let cost = c.cost_per_request();
                let input = c.input_tokens();
                vec![
                    c.name.to_string(),
                    model,
                    format!("{} → {}", tokens(input.base), tokens(input.head)),
                    format!("{} → {}", usd(cost.base), usd(cost.head)),
                    change_text(&cost),
                ]
            })
            .collect();
        let total = d.cost_per_request();
        rows.push(vec![
            "**request**".into(),
            String::new(),
            String::new(),
            format!("{} → {}", usd(total.base), usd(total.head)),
            change_text(&total),
        ]);
        out.push_str(&table(
            &["call", "model", "input tokens", "cost/request", "change"],
            2,
            &rows,
        ));
        let mut summary = format!(
            "\nPer month {} → {}: {}",
            usd(month.base),
            usd(month.head),
            change_text(&month)
        );
        if let Some(m) = d.margin_after() {
            summary.push_str(&format!(
                " · gross margin {} → {} ({})",
                percent(m.base),
                percent(m.head),
                points(m.delta())
            ));
        }
        out.push_str(&summary);
        out.push('\n');
        out
    }

    fn models(&self, list: &ModelList) -> String {
        if list.detail {
            let rows: Vec<Vec<String>> = list
                .models
                .iter()
                .flat_map(|m| catalog::detail_rows(m))
                .map(|(k, v)| vec![k, v])
                .collect();
            return table(&["", ""], 2, &rows);
        }
        let mut out = table(&catalog::LIST_HEADER, 2, &catalog::list_rows(list));
        out.push_str(&format!(
            "\n<sub>{} models · USD per 1M tokens · ≈ estimated token counts</sub>\n",
            list.models.len()
        ));
        out
    }

    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String {
        use super::reconcile as rec;
        let mut out = format!(
            "{}\n### llm-cost: {}\n\n",
            marker("reconcile"),
            cell(&rec::title(r))
        );
        out.push_str(&table(&rec::HEADER, 2, &rec::rows(r)));
        out.push('\n');
        out.push_str(&table(
            &["", "spec", "observed", "drift"],
            1,
            &rec::totals(r),
        ));
        if !r.unattributed.is_empty() {
            out.push_str("\n**Records that match no call**\n\n");
            out.push_str(&table(
                &["model", "runs", "cost"],
                1,
                &rec::unattributed_rows(r),
            ));
        }
        if let Some(command) = r.calibrate_command() {
            out.push_str(&format!("\nCalibrate the spec: `{}`\n", code(&command)));
        }
        for n in &r.notes {
            out.push_str(&format!("\n_{}_\n", cell(n)));
        }
        out
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        let mut out = format!(
            "{}\n### llm-cost: {} could save ",
            marker("suggest"),
            cell(&s.feature)
        );
        match &s.combined {
            Some(c) => out.push_str(&format!(
                "{}/month ({})\n\n",
                usd(c.saving_per_month),
                verdict::signed_percent(-c.saving_ratio)
            )),
            None => match s.items.first() {
                Some(i) => out.push_str(&format!(
                    "{}/month ({})\n\n",
                    usd(i.saving_per_month),
                    verdict::signed_percent(-i.saving_ratio)
                )),
                None => out.push_str("nothing found\n\n"),
            },
        }
        let rows: Vec<Vec<String>> = s
            .items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                vec![
                    (i + 1).to_string(),
                    x.candidate.title.clone(),
                    usd(x.saving_per_month),
                    percent(x.saving_ratio),
                    format!(
                        "`{}`",
                        crate::savings::command(&s.spec, &s.flags, &x.candidate.sets)
                    ),
                ]
            })
            .collect();
        if !rows.is_empty() {
            out.push_str(&table(
                &["#", "change", "saves/month", "share", "reproduce"],
                2,
                &rows,
            ));
        }
        if !s.drivers.is_empty() {
            out.push_str("\n**Where the money goes** (list prices)\n\n");
            let rows: Vec<Vec<String>> = s
                .drivers
                .iter()
                .map(|d| {
                    vec![
                        d.call.clone(),
                        d.part.clone(),
                        tokens(d.tokens),
                        usd(d.cost_per_month),
                    ]
                })
                .collect();
            out.push_str(&table(&["call", "part", "tokens", "per month"], 2, &rows));
        }
        if !s.left_out.is_empty() {
            out.push_str("\n**Not suggested, though cheaper per token**\n\n");
            for l in &s.left_out {
                out.push_str(&format!(
                    "- {} for `{}`: {}\n",
                    cell(&l.model),
                    cell(&l.call),
                    cell(&l.why)
                ));
            }
        }
        out.push_str(&format!(
            "\n<sub>Assumes {}.</sub>\n",
            cell(&s.assumptions.join(" · "))
        ));
        out
    }
}
