//! Rendering a `Report`: one file per output format behind one trait. Only
//! this layer formats numbers for people; JSON is the exact, canonical form.

pub mod format;
mod json;
mod table;

use clap::ValueEnum;

use crate::pipeline::Report;

pub use json::json_number;
pub(crate) use table::trim_lines;

pub trait Renderer {
    fn render(&self, report: &Report) -> String;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

impl Format {
    pub fn renderer(self) -> Box<dyn Renderer> {
        match self {
            Format::Table => Box::new(table::Table),
            Format::Json => Box::new(json::Json),
        }
    }
}

/// A budget rule's short name and how its figures read: `monthly`, `$`, `≤`.
pub(crate) fn rule_label(rule: &str) -> (&'static str, bool, &'static str) {
    match rule {
        "max_cost_per_request" => ("request", true, "≤"),
        "max_monthly_spend" => ("monthly", true, "≤"),
        "min_gross_margin" => ("margin", false, "≥"),
        _ => ("margin drop", false, "≤"),
    }
}
