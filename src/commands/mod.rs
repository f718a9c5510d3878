//! One module per subcommand: each turns parsed arguments into output text
//! and an exit code, leaving printing to `main`.

pub mod check;
pub mod count;
pub mod diff;
pub mod estimate;
pub mod init;
pub mod models;
pub(crate) mod output;
pub mod pricing_files;
pub mod reconcile;
pub mod shell;
pub mod suggest;

use std::path::Path;

use crate::cli::PricingArgs;
use crate::diagnostic::Diagnostic;
use crate::diff::Snapshot;
use crate::error::{Error, Result};
use crate::pricing::{self, PriceTable};
use crate::{pipeline, spec};
pub use output::write_outputs;

/// What a command produced: text for stdout, warnings and other lines for
/// stderr, and the exit code.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub warnings: Vec<String>,
    /// Printed to stderr after the warnings (per-spec errors).
    pub stderr_lines: Vec<String>,
    /// GitHub workflow commands, llm-cost's own: the only lines printed
    /// without the guard that defuses `::` (their text is escaped inside).
    pub annotations: Vec<String>,
    pub exit_code: u8,
}

/// The shipped catalog plus the user's `--pricing` files.
pub fn price_table(args: &PricingArgs) -> Result<PriceTable> {
    let mut extra = Vec::new();
    // CI can set company prices once for every command: LLM_COST_PRICING
    // lists files like PATH does, read before any --pricing.
    for path in &pricing_files(args) {
        let display = path.display().to_string();
        let text =
            crate::limits::read_text(path, crate::limits::PRICING_FILE_BYTES).map_err(|e| {
                Error::input(Diagnostic::new(
                    &display,
                    None,
                    format!("the pricing file {e}"),
                ))
            })?;
        extra.push((display, text));
    }
    let day = args.as_of.unwrap_or_else(crate::date::Date::today);
    Ok(pricing::load(&extra)?.on(day))
}

/// The files a run reads (specs, baselines, pricing files), which no
/// `--output` may overwrite.
pub fn inputs(files: &[&Path], pricing: &PricingArgs) -> Vec<std::path::PathBuf> {
    let mut all: Vec<std::path::PathBuf> = files.iter().map(|p| p.to_path_buf()).collect();
    all.extend(pricing_files(pricing));
    all
}

/// Every pricing file a run reads (LLM_COST_PRICING's, then --pricing's):
/// inputs that an `--output` must never overwrite.
pub fn pricing_files(args: &PricingArgs) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = std::env::var_os("LLM_COST_PRICING")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    files.extend(args.pricing_files.iter().cloned());
    files
}

/// A saved estimate (JSON) or a spec, told apart by content.
pub enum Estimated {
    Saved(Vec<Snapshot>),
    Spec(Box<pipeline::Estimate>),
}

/// Reads `path` as a saved JSON estimate, or estimates it as a spec now.
/// `dir` overrides where the spec's prompt files are looked up.
pub fn estimate_any(
    path: &Path,
    prices: &PriceTable,
    options: pipeline::Options,
    dir: Option<&Path>,
    overrides: &spec::Overrides,
) -> Result<Estimated> {
    let display = path.display().to_string();
    let text = crate::limits::read_text(path, crate::limits::DATA_FILE_BYTES)
        .map_err(|e| Error::input(Diagnostic::new(&display, None, format!("the file {e}"))))?;
    if text.trim_start().starts_with('{') {
        if overrides.edits_document() || overrides.scale.is_some() {
            return Err(Error::input(
                Diagnostic::new(
                    &display,
                    None,
                    "is a saved estimate: what-if flags cannot change it",
                )
                .with_help(
                    "diff two specs to compare them under --set, --model, --scenario or --scale",
                ),
            ));
        }
        let snapshots = Snapshot::from_json(&text).map_err(|m| {
            Error::input(
                Diagnostic::new(&display, None, m)
                    .with_help("save one with `llm-cost estimate SPEC --format json > FILE`"),
            )
        })?;
        return Ok(Estimated::Saved(snapshots));
    }
    let mut s = spec::load_with(path, prices, overrides)?;
    if let Some(d) = dir {
        s.file.dir = d.to_path_buf();
    }
    Ok(Estimated::Spec(Box::new(pipeline::estimate(
        &s, prices, options, None,
    )?)))
}

/// Runs the command a parsed command line names.
pub fn run(cli: &crate::cli::Cli) -> Result<Outcome> {
    use crate::cli::Command;
    match &cli.command {
        Command::Estimate(args) => estimate::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Count(args) => count::run(args),
        Command::Models(args) => models::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Init(args) => init::run(args),
        Command::Pricing(command) => pricing_files::run(command),
        Command::Reconcile(args) => reconcile::run(args),
        Command::Schema(args) => shell::schema(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
    }
}
