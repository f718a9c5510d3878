//! Rendering: one file per output format behind one trait, each able to
//! render the three documents (an estimate, a check run, a diff). Only this
//! layer formats numbers for people; JSON is the exact, canonical form.

pub mod catalog;
pub mod color;
mod csv;
pub use crate::format;
mod json;
mod markdown;
mod reconcile;
mod table;
mod text;
mod verdict;
mod whatif;

use clap::ValueEnum;

use crate::check::CheckRun;
use crate::diff::Diff;
use crate::pipeline::Estimate;
use crate::whatif::Alternatives;

pub use catalog::ModelList;
pub use json::error_document;

pub(crate) use text::trim_lines;

/// A verdict as one sentence: `monthly spend $3,412.00 > $3,000 — over by $412.00 (13.7%)`.
pub fn verdict_sentence(v: &crate::budget::Verdict) -> String {
    format!("{} — {}", verdict::comparison(v), verdict::headroom(v))
}

pub trait Renderer {
    /// An estimate, with other models or scenarios beside it where asked.
    fn estimate(&self, report: &Estimate, alternatives: Option<&Alternatives>) -> String;
    fn check(&self, run: &CheckRun) -> String;
    fn diff(&self, diff: &Diff) -> String;
    fn models(&self, list: &ModelList) -> String;
    fn suggest(&self, s: &crate::savings::Suggestions) -> String;
    /// The spec against production usage (`reconcile`).
    fn reconcile(&self, r: &crate::reconcile::Reconciliation) -> String;
}

/// The width of the terminal stdout goes to (`COLUMNS` first, as shells
/// and test harnesses set it); None for a pipe or a file.
pub fn stdout_width() -> Option<u16> {
    let stdout = std::io::stdout();
    if !std::io::IsTerminal::is_terminal(&stdout) {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .or_else(|| terminal_size::terminal_size_of(stdout).map(|(w, _)| w.0))
        .filter(|w| *w >= 20)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Csv,
}

impl Format {
    /// The renderer for stdout: tables fit the terminal they go to.
    pub fn renderer(self) -> Box<dyn Renderer> {
        self.renderer_with(!unicode_terminal(), stdout_width())
    }

    /// The renderer for a file: full width, drawing charts with ASCII
    /// rather than Unicode blocks where `ascii`.
    pub fn renderer_for(self, ascii: bool) -> Box<dyn Renderer> {
        self.renderer_with(ascii, None)
    }

    /// Tables wrap their widest cells to fit `width` columns, where given.
    pub fn renderer_with(self, ascii: bool, width: Option<u16>) -> Box<dyn Renderer> {
        match self {
            Format::Table => Box::new(table::Table { ascii, width }),
            Format::Json => Box::new(json::Json),
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Csv => Box::new(csv::Csv),
        }
    }

    /// The format a file name implies: `.json`, `.md`, `.csv`, else a table.
    pub fn from_extension(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("md" | "markdown") => Format::Markdown,
            Some("csv") => Format::Csv,
            _ => Format::Table,
        }
    }
}

/// The columns of `call_cells`, in order.
/// The calls table's figure columns: cache reads (`cached`), and cache
/// writes (`written`) where some call's cache bills them.
pub(crate) fn call_columns(writes: bool) -> Vec<&'static str> {
    let mut columns = vec!["runs", "input", "cached"];
    if writes {
        columns.push("written");
    }
    columns.extend(["output", "cost/run", "cost/request"]);
    columns
}

/// Whether any call writes to a cache (explicit caching).
pub(crate) fn any_writes(r: &crate::pipeline::Estimate) -> bool {
    r.calls.iter().any(|c| !c.cache_write_tokens.is_zero())
}

/// A call's figures as people read them, per run: runs, input, tokens read
/// from the cache, (written to it,) output, cost per run, cost per request;
/// ≈ marks estimated counts.
pub(crate) fn call_cells(c: &crate::estimate::CallEstimate, writes: bool) -> Vec<String> {
    let approx = if c.tokens_estimated { "≈" } else { "" };
    let mut cells = vec![
        format::fixed(c.runs_per_request, 1),
        format!("{approx}{}", format::tokens(c.input_tokens)),
        format!("{approx}{}", format::tokens(c.cached_input_tokens)),
    ];
    if writes {
        cells.push(format!("{approx}{}", format::tokens(c.cache_write_tokens)));
    }
    cells.extend([
        format::tokens(c.output_tokens),
        format::usd(c.cost_per_run),
        format::usd(c.cost_per_request),
    ]);
    cells
}

/// Whether the locale says the terminal takes UTF-8 (`LC_ALL`, `LC_CTYPE`,
/// `LANG`, the first one set); without one, charts fall back to ASCII.
pub fn unicode_terminal() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| v.to_uppercase().replace('-', "").contains("UTF8"))
}

/// The hidden line that lets a bot find and update its own PR comment.
pub fn marker(command: &str) -> String {
    format!("<!-- llm-cost:{command} -->")
}
