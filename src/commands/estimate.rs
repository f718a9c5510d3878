//! `llm-cost estimate SPEC`: the full report for one spec, with what-ifs:
//! overrides, other models side by side, scenarios, growth.

use super::{Outcome, price_table, write_outputs};
use crate::cli::EstimateArgs;
use crate::diagnostic::Diagnostic;
use crate::error::{EXIT_OK, Error, Result};
use crate::whatif;
use crate::{pipeline, spec};

pub fn run(args: &EstimateArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let mut options = args.whatif.options(&args.run);
    options.months = args.months.unwrap_or(12);
    let overrides = args.whatif.overrides();
    let source = spec::SpecSource::read(&args.spec)?;
    let spec = source.load(&prices, &overrides)?;
    if args.months.is_some() && spec.traffic.growth_per_month.is_none() {
        return Err(Error::input(
            Diagnostic::new(
                "--months",
                None,
                "the spec has no `traffic.growth_per_month` to project",
            )
            .with_help("add it to the spec, or try `--set traffic.growth_per_month=0.08`"),
        ));
    }
    let report = pipeline::estimate(&spec, &prices, options.clone(), None)?;

    let alternatives = alternatives(args, &source, &spec, &prices, options, &report)?;

    let ascii = args.ascii || !crate::report::unicode_terminal();
    let inputs = super::inputs(&[&args.spec], &args.pricing);
    let alts = alternatives.as_ref();
    let to_stdout = write_outputs(&args.report.outputs, &inputs, |r| r.estimate(&report, alts))?;
    let mut warnings = report.warnings();
    if let Some(alts) = alts {
        warnings.extend(alts.own_warnings(&report.notes));
    }
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| {
            args.report
                .format
                .renderer_with(ascii, crate::report::stdout_width())
                .estimate(&report, alts)
        }),
        warnings,
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}

/// Other models (`--compare`, the spec's `compare:`) or the spec's
/// scenarios (`--scenarios`) beside the estimate, if asked for.
fn alternatives(
    args: &EstimateArgs,
    source: &spec::SpecSource,
    spec: &spec::Spec,
    prices: &crate::pricing::PriceTable,
    options: pipeline::Options,
    report: &pipeline::Estimate,
) -> Result<Option<whatif::Alternatives>> {
    let overrides = args.whatif.overrides();
    if !args.compare.is_empty() && args.scenarios {
        return Err(Error::input(
            Diagnostic::new(
                "--scenarios",
                None,
                "compare models or scenarios, not both at once",
            )
            .with_help("drop --scenarios or --compare"),
        ));
    }
    // A request on the command line wins over the spec's default view: with
    // --scenarios, the spec's `compare:` waits for another run.
    let words: Vec<String> = if !args.compare.is_empty() {
        spec.compare.iter().chain(&args.compare).cloned().collect()
    } else if args.scenarios {
        Vec::new()
    } else {
        spec.compare.clone()
    };
    if !words.is_empty() {
        let targets = whatif::compare_targets(&words, prices)?;
        return Ok(Some(whatif::models(
            source, prices, &overrides, options, report, &targets, args.top,
        )));
    }
    if !args.scenarios {
        return Ok(None);
    }
    if spec.scenarios.is_empty() {
        return Err(Error::input(
            Diagnostic::new(
                &spec.file.display,
                None,
                "the spec has no `scenarios:` to compare",
            )
            .with_help("add e.g. `scenarios: { high: { traffic.requests_per_day: 60000 } }`"),
        ));
    }
    Ok(Some(whatif::scenarios(
        source,
        prices,
        &overrides,
        options,
        report,
        &spec.scenarios,
    )))
}
