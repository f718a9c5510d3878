//! `llm-cost diff BASE HEAD`: the cost change between two specs or saved
//! estimates, for pull-request comments.

use std::path::Path;

use super::{Estimated, Outcome, estimate_any, price_table, write_outputs};
use crate::cli::DiffArgs;
use crate::diagnostic::Diagnostic;
use crate::diff::{Diff, Snapshot};
use crate::error::{Error, Result};
use crate::pipeline;
use crate::pricing::PriceTable;

pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let options = args.whatif.options(&args.run);
    // The same what-ifs on both sides: the change the diff shows is the
    // specs', under one traffic, model or scenario.
    let overrides = args.whatif.overrides();
    let mut warnings = Vec::new();
    let base = side(
        &args.base,
        &prices,
        (options.clone(), &overrides),
        args.base_dir.as_deref(),
        &mut warnings,
    )?;
    let head = side(
        &args.head,
        &prices,
        (options, &overrides),
        None,
        &mut warnings,
    )?;
    let diff = Diff { base, head };
    let inputs = super::inputs(&[&args.base, &args.head], &args.pricing);
    let to_stdout = write_outputs(&args.report.outputs, &inputs, |r| r.diff(&diff))?;
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.report.format.renderer().diff(&diff)),
        warnings,
        ..Outcome::default()
    })
}

fn side(
    path: &Path,
    prices: &PriceTable,
    (options, overrides): (pipeline::Options, &crate::spec::Overrides),
    dir: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Snapshot> {
    match estimate_any(path, prices, options, dir, overrides)? {
        Estimated::Spec(report) => {
            warnings.extend(
                report
                    .warnings()
                    .iter()
                    .map(|w| format!("{}: {w}", report.spec_file)),
            );
            Snapshot::from_report(&report).map_err(Error::Other)
        }
        Estimated::Saved(mut snapshots) if snapshots.len() == 1 => Ok(snapshots.remove(0)),
        Estimated::Saved(snapshots) => Err(Error::input(Diagnostic::new(
            &path.display().to_string(),
            None,
            format!(
                "holds {} estimates; diff compares one with one",
                snapshots.len()
            ),
        ))),
    }
}
