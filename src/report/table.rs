//! The terminal report: a per-call table, then the totals a PM asks about.
//! No colour: comfy-table adds none unless told to, so output is the same on
//! a terminal, in a pipe and under NO_COLOR.

use comfy_table::{CellAlignment, Table as Grid, presets};

use super::format::{count, percent, points, tokens, usd, usd_limit};
use super::{Renderer, rule_label};
use crate::pipeline::Report;

pub struct Table;

impl Renderer for Table {
    fn render(&self, r: &Report) -> String {
        let mut out = format!(
            "{} — {} — prices as of {}\n\n",
            r.feature, r.model, r.prices_as_of
        );
        let mixed = r.calls.iter().any(|c| c.model != r.model);
        let mut grid = Grid::new();
        grid.load_style(presets::NOTHING);
        let mut header = vec!["call"];
        if mixed {
            header.push("model");
        }
        header.extend([
            "runs",
            "input",
            "cached",
            "output",
            "cost/run",
            "cost/request",
        ]);
        grid.set_header(header.clone());
        for c in &r.calls {
            let approx = if c.tokens_estimated { "≈" } else { "" };
            let mut name = c.name.clone();
            if c.batch {
                name.push_str(" (batch)");
            }
            let mut row = vec![name];
            if mixed {
                row.push(c.model.clone());
            }
            row.extend([
                format!("{:.1}", c.runs_per_request),
                format!("{approx}{}", tokens(c.input_tokens)),
                format!(
                    "{approx}{}",
                    tokens(c.cached_input_tokens + c.cache_write_tokens)
                ),
                tokens(c.output_tokens),
                usd(c.cost_per_run),
                usd(c.cost_per_request),
            ]);
            grid.add_row(row);
        }
        let mut total = vec![String::from("request")];
        total.resize(header.len() - 1, String::new());
        total.push(usd(r.totals.cost_per_request));
        grid.add_row(total);
        let first_numeric = if mixed { 2 } else { 1 };
        for i in first_numeric..header.len() {
            if let Some(col) = grid.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&grid.to_string());
        out.push('\n');
        let mut notes = Vec::new();
        if r.calls.iter().any(|c| c.tokens_estimated) {
            notes.push(" ≈ estimated: the model's tokenizer is not public, or tool schemas are counted as JSON");
        }
        if r.calls
            .iter()
            .any(|c| c.cache_write_tokens > rust_decimal::Decimal::ZERO)
        {
            notes.push(" cached = cache reads + cache writes per run");
        }
        if !notes.is_empty() {
            out.push('\n');
            out.push_str(&notes.join("\n"));
            out.push('\n');
        }
        out.push('\n');

        let t = &r.totals;
        let mut totals = Grid::new();
        totals.load_style(presets::NOTHING);
        totals.add_row(vec![
            "Per request".to_string(),
            usd(t.cost_per_request),
            p95_note(t.cost_per_request_p95, t.cost_per_request),
        ]);
        totals.add_row(vec![
            "Per day".to_string(),
            usd(t.cost_per_day),
            format!("{} requests", count(t.requests_per_day)),
        ]);
        totals.add_row(vec![
            "Per month".to_string(),
            usd(t.cost_per_month),
            format!("{} days", count(r.days_per_month)),
        ]);
        if let Some(per_user) = t.cost_per_user_per_month {
            totals.add_row(vec![
                "Per user".to_string(),
                format!("{} / month", usd(per_user)),
                format!("{} users", count(t.users.unwrap_or_default())),
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
            let verdict = if r.budget_ok() { "ok" } else { "OVER BUDGET" };
            let rules: Vec<String> = r
                .budget
                .iter()
                .map(|v| {
                    let (label, is_money, cmp) = rule_label(v.rule);
                    let mark = if v.ok { "" } else { "✗ " };
                    if is_money {
                        format!(
                            "{mark}{label} {} {cmp} {}",
                            usd(v.actual),
                            usd_limit(v.limit)
                        )
                    } else if v.rule == "max_margin_drop" {
                        format!(
                            "{mark}{label} {} {cmp} {}",
                            points(-v.actual).trim_start_matches(['+', '−']),
                            points(-v.limit).trim_start_matches(['+', '−'])
                        )
                    } else {
                        format!(
                            "{mark}{label} {} {cmp} {}",
                            percent(v.actual),
                            percent(v.limit)
                        )
                    }
                })
                .collect();
            totals.add_row(vec![
                "Budget".to_string(),
                verdict.to_string(),
                rules.join(" · "),
            ]);
        }
        out.push_str(&totals.to_string());
        out.push('\n');
        trim_lines(&out)
    }
}

fn p95_note(p95: rust_decimal::Decimal, mean: rust_decimal::Decimal) -> String {
    if p95 > mean {
        format!("p95 {}", usd(p95))
    } else {
        String::new()
    }
}

/// comfy-table pads every line to the table's width; trailing blanks are
/// noise in a terminal and in a diff.
pub(crate) fn trim_lines(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
