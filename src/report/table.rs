//! The terminal report: a per-call table, then the totals a PM asks about.
//! No colour: comfy-table adds none unless told to, so output is the same on
//! a terminal, in a pipe and under NO_COLOR.

use comfy_table::{CellAlignment, Table as Grid, presets};
use rust_decimal::Decimal;

use super::format::{count, percent, points, tokens, usd};
use super::text::{change_text, summary_line, trim_lines};
use super::verdict;
use super::{ModelList, Renderer, catalog, whatif};
use crate::check::CheckRun;
use crate::diff::{Change, Diff};
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub struct Table {
    /// Draw bars with `#` rather than Unicode blocks.
    pub ascii: bool,
}

fn grid() -> Grid {
    let mut g = Grid::new();
    g.load_style(presets::NOTHING);
    g
}

fn align_right(g: &mut Grid, from: usize) {
    let n = g.column_count();
    for i in from..n {
        if let Some(col) = g.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn calls_table(r: &Estimate) -> String {
    let mixed = r.calls.iter().any(|c| c.model != r.model);
    let mut g = grid();
    let mut header = vec!["call"];
    if mixed {
        header.push("model");
    }
    header.extend(super::CALL_COLUMNS);
    g.set_header(header.clone());
    for c in &r.calls {
        let mut name = c.name.clone();
        if c.batch {
            name.push_str(" (batch)");
        }
        let mut row = vec![name];
        if mixed {
            row.push(c.model.clone());
        }
        row.extend(super::call_cells(c));
        g.add_row(row);
    }
    let mut total = vec![String::from("request")];
    total.resize(header.len() - 1, String::new());
    total.push(usd(r.totals.cost_per_request));
    g.add_row(total);
    align_right(&mut g, if mixed { 2 } else { 1 });
    g.to_string()
}

/// What the calls table's figures mean where it is not obvious.
fn call_notes(r: &Estimate) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for c in &r.calls {
        if let (Some(turns), Some(conv)) = (c.turns, c.cost_per_conversation) {
            notes.push(format!(
                " {}: a conversation of {turns} turns costs {} ({} a turn on average); runs count turns",
                c.name,
                usd(conv),
                usd(c.cost_per_run)
            ));
        }
    }
    if r.calls.iter().any(|c| c.tokens_estimated) {
        notes.push(" ≈ estimated: the model's tokenizer is not public, or tool schemas are counted as JSON".into());
    }
    if r.calls.iter().any(|c| c.cache_write_tokens > Decimal::ZERO) {
        notes.push(" cached = cache reads + cache writes per run".into());
    }
    notes
}

/// Per request, day, month and user; latency; margin; the budget line.
fn totals_table(r: &Estimate) -> Grid {
    let t = &r.totals;
    let mut totals = grid();
    let p95 = if t.cost_per_request_p95 > t.cost_per_request {
        format!("p95 {}", usd(t.cost_per_request_p95))
    } else {
        String::new()
    };
    totals.add_row(vec![
        "Per request".to_string(),
        usd(t.cost_per_request),
        p95,
    ]);
    totals.add_row(vec![
        "Per day".to_string(),
        usd(t.cost_per_day),
        format!("{} requests", count(t.requests_per_day)),
    ]);
    totals.add_row(vec![
        "Per month".to_string(),
        usd(t.cost_per_month),
        format!("{} days", count(r.totals.days_per_month)),
    ]);
    if let Some(per_user) = t.cost_per_user_per_month {
        totals.add_row(vec![
            "Per user".to_string(),
            format!("{} / month", usd(per_user)),
            format!("{} users", count(t.users.unwrap_or_default())),
        ]);
    }
    if let Some(l) = r.latency_seconds {
        totals.add_row(vec![
            "Latency".to_string(),
            format!("{} s per request", l.round_dp(1).normalize()),
            "calls in sequence".to_string(),
        ]);
    }
    if let Some(m) = &t.margin {
        totals.add_row(vec![
            "Gross margin".to_string(),
            format!("{} → {}", percent(m.before), percent(m.after)),
            format!("({})", points(m.change)),
        ]);
    }
    if !r.budget.is_empty() {
        let state = if r.budget_ok() { "ok" } else { "OVER BUDGET" };
        let rules: Vec<String> = r
            .budget
            .iter()
            .map(|v| format!("{}{}", if v.ok { "" } else { "✗ " }, verdict::comparison(v)))
            .collect();
        totals.add_row(vec![
            "Budget".to_string(),
            state.to_string(),
            rules.join(" · "),
        ]);
    }
    totals
}

/// Other models or scenarios side by side, with its title and the ★ note.
fn alternatives_table(alts: &Alternatives, r: &Estimate) -> String {
    let mut out = format!("\n{}\n\n", whatif::title(alts, r));
    let mut g = grid();
    let mut header = whatif::ALTERNATIVE_HEADER.to_vec();
    header[0] = whatif::first_column(alts);
    g.set_header(header);
    for row in whatif::alternative_rows(alts, r) {
        g.add_row(row);
    }
    align_right(&mut g, 1);
    if let Some(c) = g.column_mut(6) {
        c.set_cell_alignment(CellAlignment::Left);
    }
    out.push_str(&g.to_string());
    out.push('\n');
    if alts.cheapest_within_budget().is_some() {
        out.push_str("\n ★ the cheapest option that keeps every budget\n");
    }
    out
}

impl Table {
    /// The growth projection, month by month, with its chart column.
    fn projection_table(&self, r: &Estimate) -> String {
        let mut out = format!("\n{}\n\n", whatif::projection_title(r));
        let mut g = grid();
        g.set_header(whatif::PROJECTION_HEADER.to_vec());
        for row in whatif::projection_rows(r, self.ascii) {
            g.add_row(row);
        }
        align_right(&mut g, 0);
        if let Some(c) = g.column_mut(4) {
            c.set_cell_alignment(CellAlignment::Left);
        }
        out.push_str(&g.to_string());
        out.push('\n');
        out
    }
}

impl Renderer for Table {
    fn estimate(&self, r: &Estimate, alternatives: Option<&Alternatives>) -> String {
        let mut out = format!(
            "{} — {} — prices as of {}\n",
            r.feature, r.model, r.prices_as_of
        );
        if !r.overrides.is_empty() {
            out.push_str(&format!("what if: {}\n", r.overrides.join(" · ")));
        }
        if r.budget_on_p95 {
            out.push_str("budgets judged on the p95 request\n");
        }
        out.push('\n');
        out.push_str(&calls_table(r));
        out.push('\n');
        let notes = call_notes(r);
        if !notes.is_empty() {
            out.push('\n');
            out.push_str(&notes.join("\n"));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&totals_table(r).to_string());
        out.push('\n');
        if let Some(alts) = alternatives {
            out.push_str(&alternatives_table(alts, r));
        }
        if !r.projection.is_empty() {
            out.push_str(&self.projection_table(r));
        }
        trim_lines(&out)
    }

    fn check(&self, run: &CheckRun) -> String {
        let mut out = String::new();
        for r in &run.reports {
            let state = if r.budget.is_empty() {
                "no budget"
            } else if r.budget_ok() {
                "within budget"
            } else {
                "OVER BUDGET"
            };
            out.push_str(&format!(
                "{} — {} — {}: {state}\n",
                r.spec_file, r.feature, r.model
            ));
            let mut line = format!(
                "  {} per request · {} per month",
                usd(r.totals.cost_per_request),
                usd(r.totals.cost_per_month)
            );
            if let Some(base) = r.baseline_cost_per_month {
                line.push_str(&format!(
                    " · {} vs baseline",
                    change_text(&Change {
                        base,
                        head: r.totals.cost_per_month
                    })
                ));
            }
            out.push_str(&line);
            out.push('\n');
            // Broken rules first: they are what a reviewer needs to see.
            let mut verdicts: Vec<_> = r.budget.iter().collect();
            verdicts.sort_by_key(|v| v.ok);
            for v in verdicts {
                out.push_str(&format!("  {}\n", verdict::line(v)));
            }
            out.push('\n');
        }
        for f in &run.failures {
            out.push_str(&format!("{} — cannot be checked\n", f.spec));
            for l in f.error.to_string().lines() {
                out.push_str(&format!("  {l}\n"));
            }
            out.push('\n');
        }
        out.push_str(&summary_line(run));
        out.push('\n');
        trim_lines(&out)
    }

    fn diff(&self, d: &Diff) -> String {
        let mut out = format!("{}: {} → {}\n", d.head.feature, d.base.spec, d.head.spec);
        if d.base.model != d.head.model {
            out.push_str(&format!("model {} → {}\n", d.base.model, d.head.model));
        }
        out.push('\n');
        let mut g = grid();
        g.set_header(vec!["call", "model", "input", "cost/request", "change"]);
        for c in d.calls() {
            let model = match (c.base, c.head) {
                (Some(b), Some(h)) if b.model != h.model => format!("{} → {}", b.model, h.model),
                (_, Some(h)) => h.model.clone(),
                (Some(b), None) => b.model.clone(),
                (None, None) => String::new(),
            };
            let name = match (c.base, c.head) {
                (None, Some(_)) => format!("{} (new)", c.name),
                (Some(_), None) => format!("{} (removed)", c.name),
                _ => c.name.to_string(),
            };
            let input = c.input_tokens();
            let cost = c.cost_per_request();
            g.add_row(vec![
                name,
                model,
                arrow(&input, tokens),
                arrow(&cost, usd),
                change_text(&cost),
            ]);
        }
        let total = d.cost_per_request();
        g.add_row(vec![
            "request".into(),
            String::new(),
            String::new(),
            arrow(&total, usd),
            change_text(&total),
        ]);
        align_right(&mut g, 2);
        out.push_str(&g.to_string());
        out.push_str("\n\n");
        let mut totals = grid();
        let month = d.cost_per_month();
        totals.add_row(vec![
            "Per month".to_string(),
            arrow(&month, usd),
            change_text(&month),
        ]);
        if let Some(m) = d.margin_after() {
            totals.add_row(vec![
                "Gross margin".to_string(),
                arrow(&m, percent),
                points(m.delta()),
            ]);
        }
        out.push_str(&totals.to_string());
        out.push('\n');
        trim_lines(&out)
    }

    fn models(&self, list: &ModelList) -> String {
        let mut g = grid();
        if list.detail {
            for m in &list.models {
                for (k, v) in catalog::detail_rows(m) {
                    g.add_row(vec![k, v]);
                }
            }
        } else {
            g.set_header(catalog::LIST_HEADER.to_vec());
            for r in catalog::list_rows(list) {
                g.add_row(r);
            }
            align_right(&mut g, 2);
            if let Some(c) = g.column_mut(7) {
                c.set_cell_alignment(CellAlignment::Left);
            }
            if let Some(c) = g.column_mut(8) {
                c.set_cell_alignment(CellAlignment::Left);
            }
        }
        let mut out = g.to_string();
        if !list.detail {
            out.push_str(&format!(
                "\n\n{} models · prices in USD per 1M tokens · ≈ estimated token counts",
                list.models.len()
            ));
        }
        out.push('\n');
        trim_lines(&out)
    }

    fn suggest(&self, s: &crate::savings::Suggestions) -> String {
        use crate::savings::command;
        let mut out = format!(
            "{} — {}/month today ({})\n\n",
            s.feature,
            usd(s.cost_per_month),
            s.spec
        );
        if s.items.is_empty() {
            out.push_str("No change found that saves money under the rules (caching above the minimum, batch for async calls, a cheaper model that keeps every budget).\n");
        }
        for (i, item) in s.items.iter().enumerate() {
            let budget = if item.budget_ok {
                ""
            } else {
                "  (breaks a budget)"
            };
            out.push_str(&format!(
                " {}. {} — saves {}/month ({}){budget}\n    {}\n",
                i + 1,
                item.candidate.title,
                usd(item.saving_per_month),
                percent(item.saving_ratio),
                command(&s.spec, &item.candidate.sets)
            ));
        }
        if let Some(c) = &s.combined {
            out.push_str(&format!(
                "\n These {} changes together save {}/month ({}): {} → {} a month\n    {}\n",
                s.items.len(),
                usd(c.saving_per_month),
                percent(c.saving_ratio),
                usd(s.cost_per_month),
                usd(c.cost_per_month),
                command(&s.spec, &c.candidate.sets)
            ));
        }
        if !s.drivers.is_empty() {
            out.push_str(
                "\nWhere the money goes (list prices, before caching and batch discounts)\n\n",
            );
            let mut g = grid();
            g.set_header(vec!["call", "part", "tokens", "per month"]);
            for d in &s.drivers {
                g.add_row(vec![
                    d.call.clone(),
                    d.part.clone(),
                    tokens(d.tokens),
                    usd(d.cost_per_month),
                ]);
            }
            align_right(&mut g, 2);
            out.push_str(&g.to_string());
            out.push('\n');
        }
        out.push_str(&format!("\nAssumes {}.\n", s.assumptions.join(" · ")));
        trim_lines(&out)
    }
}

/// `$363.40 → $588.00`, or one figure where nothing changed.
fn arrow(c: &Change, f: impl Fn(Decimal) -> String) -> String {
    if c.base == c.head {
        f(c.head)
    } else {
        format!("{} → {}", f(c.base), f(c.head))
    }
}
