//! `llm-cost reconcile SPEC --usage FILE…`: the spec's estimate beside
//! what production used, call by call, with the `--set`s that calibrate it.

use super::{Outcome, price_table, write_outputs};
use crate::cli::{ReconcileArgs, UsageMapping};
use crate::error::Result;
use crate::pipeline::{self, Estimate};
use crate::pricing::PriceTable;
use crate::reconcile::{self, Reconciliation};
use crate::spec::{self, Spec};

pub fn run(args: &ReconcileArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let options = args.whatif.options(&args.run);
    let spec = spec::load_with(&args.spec, &prices, &args.whatif.overrides())?;
    let predicted = pipeline::estimate(&spec, &prices, options, None)?;
    let result = against(&spec, &predicted, &prices, &args.usage, &args.mapping)?;
    let mut files: Vec<&std::path::Path> = vec![&args.spec];
    files.extend(args.usage.iter().map(|p| p.as_path()));
    let inputs = super::inputs(&files, &args.pricing);
    let to_stdout = write_outputs(&args.report.outputs, &inputs, |r| r.reconcile(&result))?;
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.report.format.renderer().reconcile(&result)),
        warnings: predicted.warnings(),
        ..Outcome::default()
    })
}

/// The spec's estimate held against the usage in `files`.
pub fn against(
    spec: &Spec,
    predicted: &Estimate,
    prices: &PriceTable,
    files: &[std::path::PathBuf],
    mapping: &UsageMapping,
) -> Result<Reconciliation> {
    let who = reconcile::attribution(spec, prices);
    let observed = reconcile::read_all(files, mapping.usage_format, &mapping.fields(), &who)?;
    Ok(reconcile::reconcile(spec, predicted, observed))
}
