//! One module per subcommand: each turns parsed arguments into output text
//! and an exit code, leaving printing to `main`.

pub mod count;
pub mod estimate;

use crate::cli::PricingArgs;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pricing::{self, PriceTable};

/// What a command produced: text for stdout, warnings for stderr, exit code.
pub struct Outcome {
    pub stdout: String,
    pub warnings: Vec<String>,
    pub exit_code: u8,
}

/// The shipped catalog plus the user's `--pricing` files.
pub fn price_table(args: &PricingArgs) -> Result<PriceTable> {
    let mut extra = Vec::new();
    for path in &args.pricing_files {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(Diagnostic::new(
                &display,
                None,
                format!("cannot read the pricing file: {e}"),
            ))
        })?;
        extra.push((display, text));
    }
    pricing::load(&extra)
}
