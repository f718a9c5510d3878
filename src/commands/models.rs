//! `llm-cost models [FILTER]`: browse the pricing table.

use super::{Outcome, price_table};
use crate::cli::{ModelSort, ModelsArgs};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pricing::ModelPrice;
use crate::report::ModelList;

pub fn run(args: &ModelsArgs) -> Result<Outcome> {
    let table = price_table(&args.pricing)?;
    // An exact name or alias shows that model in full.
    if let Some(name) = &args.filter
        && let Some(m) = table.get(name)
    {
        let list = ModelList {
            models: vec![m],
            detail: true,
        };
        return show(args, &list);
    }
    let needle = args.filter.as_deref().unwrap_or("").to_lowercase();
    let mut models: Vec<&ModelPrice> = table
        .models()
        .filter(|m| {
            args.provider
                .as_deref()
                .is_none_or(|p| m.provider.eq_ignore_ascii_case(p))
        })
        .filter(|m| {
            needle.is_empty()
                || m.name.to_lowercase().contains(&needle)
                || m.provider.to_lowercase().contains(&needle)
                || m.aliases.iter().any(|a| a.to_lowercase().contains(&needle))
        })
        .collect();
    match args.sort {
        ModelSort::Provider => {
            models.sort_by(|a, b| (&a.provider, &a.name).cmp(&(&b.provider, &b.name)))
        }
        ModelSort::Name => models.sort_by(|a, b| a.name.cmp(&b.name)),
        ModelSort::Input => {
            models.sort_by(|a, b| (a.rates.input, &a.name).cmp(&(b.rates.input, &b.name)))
        }
        ModelSort::Output => {
            models.sort_by(|a, b| (a.rates.output, &a.name).cmp(&(b.rates.output, &b.name)))
        }
    }
    if models.is_empty() {
        let what = args
            .filter
            .as_deref()
            .or(args.provider.as_deref())
            .unwrap_or("");
        let near = table.suggestions(what);
        let mut d = Diagnostic::new("models", None, format!("no model matches `{what}`"));
        d = d.with_help(if near.is_empty() {
            "run `llm-cost models` for the whole table".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        });
        return Err(Error::input(d));
    }
    let list = ModelList {
        models,
        detail: false,
    };
    show(args, &list)
}

/// The list on standard output, and in each `-o` file.
fn show(args: &ModelsArgs, list: &ModelList) -> Result<Outcome> {
    let inputs = super::inputs(&[], &args.pricing);
    let to_stdout = super::write_outputs(&args.report.outputs, &inputs, |r| r.models(list))?;
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.report.format.renderer().models(list)),
        ..Outcome::default()
    })
}
