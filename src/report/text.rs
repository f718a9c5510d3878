//! Plain-text pieces every human-facing format shares: a change in words,
//! a check run's summary line, and tidy line ends.

use super::format::signed_usd;
use super::verdict::signed_percent;
use crate::check::CheckRun;
use crate::diff::Change;

/// `+$224.60 (+61.8%)`
pub(crate) fn change_text(c: &Change) -> String {
    match c.ratio() {
        _ if c.delta().is_zero() => "no change".to_string(),
        Some(r) => format!("{} ({})", signed_usd(c.delta()), signed_percent(r)),
        None => format!("{} (new)", signed_usd(c.delta())),
    }
}

/// `3 specs: 1 within budget, 1 over budget, 1 unreadable`
pub(crate) fn summary_line(run: &CheckRun) -> String {
    let total = run.reports.len() + run.failures.len();
    let broken = run.broken_specs();
    let mut parts = vec![
        format!("{} within budget", run.reports.len() - broken),
        format!("{broken} over budget"),
    ];
    if !run.failures.is_empty() {
        parts.push(format!("{} unreadable", run.failures.len()));
    }
    let mut line = format!(
        "{total} spec{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    );
    if run.warn_only && broken > 0 {
        line.push_str(" (--warn-only: not failing)");
    }
    line
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
