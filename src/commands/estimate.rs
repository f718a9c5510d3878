//! `llm-cost estimate SPEC`: the full report for one spec.

use super::{Outcome, price_table, write_outputs};
use crate::cli::EstimateArgs;
use crate::error::{EXIT_OK, Result};
use crate::{pipeline, spec};

pub fn run(args: &EstimateArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let spec = spec::load(&args.spec, &prices)?;
    let options = args.run.options();
    let report = pipeline::estimate(&spec, &prices, options, None)?;
    write_outputs(&args.output.outputs, |r| r.estimate(&report))?;
    Ok(Outcome {
        stdout: args.format.renderer().estimate(&report),
        warnings: report.warnings.clone(),
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}
