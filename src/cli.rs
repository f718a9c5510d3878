//! The command line as clap sees it, and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "llm-cost",
    version,
    about = "What will this AI feature cost to serve? Estimates from a YAML spec, with real token counts and exact prices."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate a feature's cost per request, day, month and user, and its margin impact
    Estimate(EstimateArgs),
    /// Count the tokens of files (or stdin) for a model or an encoding, like `wc` for tokens
    Count(CountArgs),
}

#[derive(Debug, Args)]
pub struct PricingArgs {
    /// A pricing YAML file that adds or overrides models (repeatable; later files win)
    #[arg(id = "pricing", long = "pricing", value_name = "FILE")]
    pub pricing_files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// The feature's spec (YAML)
    pub spec: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Let the spec read files outside its own folder (only for specs you trust)
    #[arg(long)]
    pub allow_outside_files: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CountArgs {
    /// Files to count; none or `-` reads standard input
    pub files: Vec<PathBuf>,
    /// Count with this model's tokenizer (from the pricing table)
    #[arg(
        long,
        conflicts_with = "encoding",
        required_unless_present = "encoding"
    )]
    pub model: Option<String>,
    /// Count with this encoding: o200k_base, cl100k_base, o200k_harmony, p50k_base, r50k_base
    #[arg(long)]
    pub encoding: Option<String>,
    /// Count each file as one user message of a chat request (adds the chat framing)
    #[arg(long)]
    pub chat: bool,
    #[arg(long, value_enum, default_value_t = CountFormat::Table)]
    pub format: CountFormat,
    #[command(flatten)]
    pub pricing: PricingArgs,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
