//! The terminal report: a per-call table, then the totals a PM asks about.
//! No colour: comfy-table adds none unless told to, so output is the same on
//! a terminal, in a pipe and under NO_COLOR.

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentArrangement, Table as Grid, Width, presets,
};
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
    /// The terminal's width, where the report goes to one: tables wrap
    /// their widest cells to fit. None (a file, a pipe): full width.
    pub width: Option<u16>,
}

fn grid(width: Option<u16>) -> Grid {
    let mut g = Grid::new();
    g.load_style(presets::NOTHING);
    if let Some(w) = width {
        g.set_content_arrangement(ContentArrangement::Dynamic);
        g.set_width(w);
    }
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

/// A table of `header` and `rows` that fits `width`: the columns in
/// `drop_first` (least important first) are left out one by one until it
/// does, and only then are the widest cells wrapped. Columns from
/// `right_from` on are right-aligned, except those in `left`.
struct Fitted<'a> {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right_from: usize,
    left: &'a [usize],
    drop_first: &'a [usize],
}

impl Fitted<'_> {
    fn render(&self, width: Option<u16>) -> String {
        let full = self.grid(&[], None).to_string();
        let Some(w) = width else { return full };
        let fits = |text: &str| text.lines().all(|l| l.chars().count() <= usize::from(w));
        if fits(&full) {
            return full;
        }
        let mut dropped = Vec::new();
        for &column in self.drop_first {
            dropped.push(column);
            let narrower = self.grid(&dropped, None).to_string();
            if fits(&narrower) {
                return narrower;
            }
        }
        self.grid(&dropped, width).to_string()
    }

    fn grid(&self, dropped: &[usize], width: Option<u16>) -> Grid {
        let keep = |i: &usize| !dropped.contains(i);
        let pick = |row: &[String]| -> Vec<String> {
            (0..row.len())
                .filter(keep)
                .map(|i| row[i].clone())
                .collect()
        };
        let mut g = grid(width);
        g.set_header(pick(&self.header));
        for row in &self.rows {
            g.add_row(pick(row));
        }
        let kept: Vec<usize> = (0..self.header.len()).filter(keep).collect();
        for (at, original) in kept.iter().enumerate() {
            let Some(col) = g.column_mut(at) else {
                continue;
            };
            if *original >= self.right_from && !self.left.contains(original) {
                col.set_cell_alignment(CellAlignment::Right);
            }
            // A cell wraps between its words, never inside one: a figure or
            // a model name is never cut. Where even the narrowest table is
            // too wide, it stays wider than the terminal.
            let widest = std::iter::once(&self.header)
                .chain(&self.rows)
                .filter_map(|r| r.get(*original))
                .flat_map(|c| c.split_whitespace())
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0);
            // The boundary counts the column's padding too.
            let widest = u16::try_from(widest).unwrap_or(u16::MAX);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                widest.saturating_add(col.padding_width()),
            )));
        }
        g
    }
}

fn calls_table(r: &Estimate, width: Option<u16>) -> String {
    let mixed = r
        .calls
        .iter()
        .any(|c| crate::labels::serving_label(&c.serving) != r.model);
    let mut header = vec!["call"];
    if mixed {
        header.push("model");
    }
    let writes = super::any_writes(r);
    header.extend(super::call_columns(writes));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for c in &r.calls {
        let mut name = c.name.clone();
        if let Some(terms) = crate::labels::terms_label(c.batch, &c.service) {
            name.push_str(&format!(" ({terms})"));
        }
        let mut row = vec![name];
        if mixed {
            row.push(crate::labels::serving_label(&c.serving));
        }
        row.extend(super::call_cells(c, writes));
        rows.push(row);
    }
    let mut total = vec![String::from("request")];
    total.resize(header.len() - 1, String::new());
    total.push(usd(r.totals.cost_per_request));
    rows.push(total);
    let first = if mixed { 2 } else { 1 };
    // On a narrow terminal: runs, then cost per run, go first.
    let cost_per_run = header.len() - 2;
    Fitted {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        right_from: first,
        left: &[],
        drop_first: &[first, cost_per_run],
    }
    .render(width)
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
    notes
}

/// Per request, day, month and user; latency; margin; the budget line.
fn totals_table(r: &Estimate, width: Option<u16>) -> Grid {
    let t = &r.totals;
    let mut totals = grid(width);
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
    // With --budget-on p95 the Budget line judges the p95 month: show it.
    let days = format!("{} days", count(r.totals.days_per_month));
    totals.add_row(vec![
        "Per month".to_string(),
        usd(t.cost_per_month),
        if r.budget_on_p95 && t.cost_per_month_p95 > t.cost_per_month {
            format!("p95 {} · {days}", usd(t.cost_per_month_p95))
        } else {
            days
        },
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

/// The alternatives' columns as `whatif` names them. On a narrow terminal:
/// input per request, then margin after, then cost per request go first;
/// the monthly cost and the verdict stay.
fn alternatives_fitted(first: &str, rows: Vec<Vec<String>>) -> Fitted<'static> {
    let mut header: Vec<String> = whatif::ALTERNATIVE_HEADER
        .iter()
        .map(|h| h.to_string())
        .collect();
    header[0] = first.to_string();
    Fitted {
        header,
        rows,
        right_from: 1,
        left: &[6],
        drop_first: &[1, 4, 2],
    }
}

/// Other models or scenarios side by side, with its title and the ★ note.
fn alternatives_table(alts: &Alternatives, r: &Estimate, width: Option<u16>) -> String {
    let mut out = format!("\n{}\n\n", whatif::title(alts, r));
    let table = alternatives_fitted(
        whatif::first_column(alts),
        whatif::alternative_rows(alts, r),
    );
    out.push_str(&table.render(width));
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
        let mut g = grid(self.width);
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
        let overrides = r.overrides();
        if !overrides.is_empty() {
            out.push_str(&format!("what if: {}\n", overrides.join(" · ")));
        }
        if r.budget_on_p95 {
            out.push_str("budgets judged on the p95 request\n");
        }
        out.push('\n');
        out.push_str(&calls_table(r, self.width));
        out.push('\n');
        let notes = call_notes(r);
        if !notes.is_empty() {
            out.push('\n');
            out.push_str(&notes.join("\n"));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&totals_table(r, self.width).to_string());
        out.push('\n');
        if let Some(alts) = alternatives {
            out.push_str(&alternatives_table(alts, r, self.width));
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
        let mut g = grid(self.width);
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
        let mut totals = grid(self.width);
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
        let out = if list.detail {
            let mut g = grid(self.width);
            for m in &list.models {
                for (k, v) in catalog::detail_rows(m) {
                    g.add_row(vec![k, v]);
                }
            }
            g.to_string()
        } else {
            let table = Fitted {
                header: catalog::LIST_HEADER.iter().map(|h| h.to_string()).collect(),
                rows: catalog::list_rows(list),
                right_from: 2,
                left: &[7, 8, 9],
                drop_first: &catalog::LIST_DROP_ORDER,
            };
            format!(
                "{}\n\n{} models · prices in USD per 1M tokens · ≈ estimated token counts",
                table.render(self.width),
                list.models.len()
            )
        };
        trim_lines(&(out + "\n"))
    }

    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String {
        use super::reconcile as rec;
        let mut out = format!("{}\n\n", rec::title(r));
        let calls = Fitted {
            header: rec::HEADER.iter().map(|h| h.to_string()).collect(),
            rows: rec::rows(r),
            right_from: 2,
            left: &[],
            drop_first: &[],
        };
        out.push_str(&calls.render(self.width));
        out.push_str("\n\n");
        let totals = Fitted {
            header: ["", "spec", "observed", "drift"]
                .iter()
                .map(|h| h.to_string())
                .collect(),
            rows: rec::totals(r),
            right_from: 1,
            left: &[],
            drop_first: &[],
        };
        out.push_str(&totals.render(self.width));
        out.push('\n');
        if !r.unattributed.is_empty() {
            out.push_str("\nRecords that match no call of the spec:\n");
            for row in rec::unattributed_rows(r) {
                out.push_str(&format!(" {} — {} runs — {}\n", row[0], row[1], row[2]));
            }
        }
        if let Some(command) = r.calibrate_command() {
            out.push_str(&format!(
                "\nTo make the spec match production:\n    {command}\n"
            ));
        } else {
            out.push_str("\nThe spec matches production within 5% on every figure it can set.\n");
        }
        for n in &r.notes {
            out.push_str(&format!(" note: {n}\n"));
        }
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
                "  (still over budget after this change)"
            };
            out.push_str(&format!(
                " {}. {} — saves {}/month ({}){budget}\n    {}\n",
                i + 1,
                item.candidate.title,
                usd(item.saving_per_month),
                percent(item.saving_ratio),
                command(&s.spec, &s.flags, &item.candidate.sets)
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
                command(&s.spec, &s.flags, &c.candidate.sets)
            ));
        }
        if !s.left_out.is_empty() {
            out.push_str("\nNot suggested, though cheaper per token:\n");
            for l in &s.left_out {
                out.push_str(&format!(" {} for `{}`: {}\n", l.model, l.call, l.why));
            }
        }
        if !s.drivers.is_empty() {
            out.push_str(
                "\nWhere the money goes (list prices, before caching and batch discounts)\n\n",
            );
            let mut g = grid(self.width);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Fitted<'static> {
        let row = |name: &str| -> Vec<String> {
            [
                name,
                "3,339.9",
                "$0.000609",
                "$365.70",
                "81.6%",
                "−$221.84 (−60.7%)",
                "ok",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        alternatives_fitted(
            "model",
            vec![row("gpt-4o-mini (base)"), row("amazon-nova-micro")],
        )
    }

    #[test]
    fn a_narrow_terminal_drops_the_least_important_columns_first() {
        let t = table();
        let full = t.render(None);
        assert!(full.lines().any(|l| l.chars().count() > 80), "{full}");
        assert!(full.contains("input/request") && full.contains("margin after"));
        // 80 columns: input per request and margin after go; the rest fit
        // without wrapping a cell.
        let fitted = t.render(Some(80));
        assert!(fitted.lines().all(|l| l.chars().count() <= 80), "{fitted}");
        assert!(!fitted.contains("input/request") && !fitted.contains("margin after"));
        assert!(fitted.contains("cost/request") && fitted.contains("−$221.84 (−60.7%)"));
        assert_eq!(fitted.lines().count(), 3, "no cell wrapped: {fitted}");
        // Narrower than every drop can help: cells wrap between words, and
        // no figure or word is cut (the table stays wider than 40).
        let narrow = t.render(Some(40));
        for word in [
            "−$221.84",
            "(−60.7%)",
            "$365.70",
            "budgets",
            "amazon-nova-micro",
        ] {
            assert!(narrow.contains(word), "{word} cut: {narrow}");
        }
    }

    /// `llm-cost models` at 80 columns split "1,047,576" as "1,047,5" / "76";
    /// now columns go in LIST_DROP_ORDER and no figure is cut.
    #[test]
    fn the_model_list_fits_80_columns_without_cutting_a_figure() {
        let prices = crate::pricing::load(&[]).unwrap();
        let list = ModelList {
            models: prices.models().collect(),
            detail: false,
        };
        let wide = Table {
            ascii: false,
            width: None,
        }
        .models(&list);
        assert!(wide.lines().any(|l| l.chars().count() > 80));
        for width in [80u16, 70] {
            let out = Table {
                ascii: false,
                width: Some(width),
            }
            .models(&list);
            let table = out.lines().filter(|l| !l.contains(" models · "));
            assert!(
                table
                    .clone()
                    .all(|l| l.chars().count() <= usize::from(width)),
                "{out}"
            );
            for m in &list.models {
                let price = catalog::per_m(m.rates.input);
                assert!(
                    out.lines()
                        .any(|l| l.split_whitespace().any(|w| w == price)),
                    "{width}: {} price {price} cut: {out}",
                    m.name
                );
                assert!(
                    table
                        .clone()
                        .any(|l| l.split_whitespace().any(|w| w == m.name)),
                    "{width}: {} cut: {out}",
                    m.name
                );
            }
            assert!(out.contains("retires"), "the retirement column stays");
        }
    }
}
