//! `llm-cost suggest SPEC`: ranked savings, each re-estimated with the exact
//! overrides that reproduce it, and all of them together.

use rust_decimal::Decimal;

use super::{Outcome, price_table, write_outputs};
use crate::cli::SuggestArgs;
use crate::error::{EXIT_OK, Result};
use crate::pipeline::{self, Estimate};
use crate::resolve;
use crate::savings::{self, Candidate, Kind, Suggestion, Suggestions, rules};
use crate::spec::{self, Overrides};

pub fn run(args: &SuggestArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let options = args.whatif.options(&args.run);
    // Suggestions for the spec as the what-if flags change it, each
    // re-estimated under the same flags.
    let given = args.whatif.overrides();
    let source = spec::SpecSource::read(&args.spec)?;
    let spec = source.load(&prices, &given)?;
    let base = pipeline::estimate(&spec, &prices, options.clone(), None)?;
    let resolved = resolve::resolve(&spec, options.files())?;

    let rerun = |sets: &[(String, String)]| -> std::result::Result<Estimate, String> {
        let overrides = Overrides {
            sets: given.sets.iter().chain(sets).cloned().collect(),
            ..given.clone()
        };
        crate::whatif::estimate_variant(&source, &prices, &overrides, options.clone())
            .map_err(|e| e.first_message().to_string())
    };
    let base_month = base.totals.cost_per_month;
    let assume = rules::Assumptions {
        hit_rate: args.hit_rate,
        trim: args.trim,
        window: args.window,
    };
    let mut items: Vec<Suggestion> = rules::candidates(&resolved, &prices, assume)
        .into_iter()
        .filter_map(|c| rules::judge(c, &base, &rerun))
        .collect();
    let mut left_out = Vec::new();
    items.extend(rules::cheaper_models(
        &spec,
        &prices,
        &base,
        &rerun,
        &mut left_out,
    ));
    items.sort_by_key(|s| std::cmp::Reverse(s.saving_per_month));

    // All together: one change per call and kind, applied at once and
    // re-estimated, since savings overlap (cached tokens cannot also be trimmed).
    let combined = (items.len() > 1).then(|| {
        let sets: Vec<(String, String)> = items
            .iter()
            .flat_map(|s| s.candidate.sets.clone())
            .collect();
        let candidate = Candidate {
            kind: Kind::Combined,
            call: String::new(),
            title: format!("all {} changes together", items.len()),
            sets,
        };
        rules::judge(candidate, &base, &rerun)
    });
    let drivers = savings::drivers(&resolved, &prices, base.totals.requests_per_month)
        .into_iter()
        .take(6)
        .collect();
    let suggestions = Suggestions {
        spec: spec.file.display.clone(),
        flags: args.whatif.words(),
        feature: spec.feature.clone(),
        cost_per_month: base_month,
        items,
        combined: combined.flatten(),
        drivers,
        left_out,
        assumptions: vec![
            format!(
                "cache hit rate {}% where caching is new (--hit-rate)",
                (args.hit_rate * Decimal::ONE_HUNDRED).normalize()
            ),
            format!(
                "trimmed prompt parts and capped answers {}% shorter (--trim)",
                (args.trim * Decimal::ONE_HUNDRED).normalize()
            ),
            format!("a history window of {} turns (--window)", args.window),
        ],
    };
    let inputs = super::inputs(&[&args.spec], &args.pricing);
    let to_stdout = write_outputs(&args.report.outputs, &inputs, |r| r.suggest(&suggestions))?;
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.report.format.renderer().suggest(&suggestions)),
        warnings: base.warnings(),
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}
