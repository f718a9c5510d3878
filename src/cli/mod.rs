//! The command line as clap sees it, and nothing else: the value parsers
//! are in `values`, the conversions to options in `options`.

mod options;
mod values;

use values::*;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

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
    /// No warnings (errors are still printed)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colour verdicts and warnings: on a terminal (auto, off with
    /// NO_COLOR), always, or never; files and pipes get none unless `always`
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        global = true
    )]
    pub color: crate::report::color::ColorChoice,
    /// Judge retirements and price age as of this day (YYYY-MM-DD), for
    /// reproducible reports; LLM_COST_TODAY does the same
    #[arg(long, value_name = "DATE", global = true, value_parser = parse_date)]
    pub today: Option<crate::date::Date>,
}

fn parse_date(text: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(text).ok_or_else(|| format!("`{text}` is not a date like 2026-11-27"))
}

/// `--version`'s text: the tool's version and the date of the prices it
/// ships, read from the compiled-in pricing files' `as_of` lines.
pub fn version_text() -> String {
    let dates: Vec<&str> = crate::pricing::EMBEDDED
        .iter()
        .filter_map(|(_, text)| {
            text.lines()
                .find_map(|l| l.strip_prefix("as_of:").map(str::trim))
        })
        .collect();
    let (first, last) = (dates.iter().min(), dates.iter().max());
    let prices = match (first, last) {
        (Some(a), Some(b)) if a == b => format!("prices as of {a}"),
        (Some(a), Some(b)) => format!("prices as of {a} to {b}"),
        _ => "no prices".to_string(),
    };
    format!(
        "{} ({prices}, {} files)",
        env!("CARGO_PKG_VERSION"),
        dates.len()
    )
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate a feature's cost per request, day, month and user, and its margin impact
    Estimate(EstimateArgs),
    /// Judge specs against their budgets (exit 1 when one is broken): the CI gate
    Check(CheckArgs),
    /// Cost change between two specs or saved JSON estimates, for pull requests
    Diff(DiffArgs),
    /// Count the tokens of files (or stdin) for a model or an encoding, like `wc` for tokens
    Count(CountArgs),
    /// Ranked ways to save: caching, batch, a cheaper model, shorter prompts and answers
    Suggest(SuggestArgs),
    /// Browse the pricing table: every model, those matching FILTER, or one in full
    Models(ModelsArgs),
    /// Write a commented starter spec
    Init(InitArgs),
    /// Pricing files: import LiteLLM's price map, or validate a file
    #[command(subcommand)]
    Pricing(PricingCommand),
    /// Hold the spec against what production used: usage logs, traces,
    /// provider exports or an aggregate CSV
    Reconcile(ReconcileArgs),
    /// Print the JSON Schema of a spec (for editors) or of the estimate JSON
    Schema(SchemaArgs),
    /// Print a shell completion script: `llm-cost completions bash > …`
    Completions(CompletionsArgs),
    /// Print the man page (roff): `llm-cost man > llm-cost.1`
    Man,
}

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The feature's spec (YAML; `-` reads it from stdin)
    pub spec: PathBuf,
    /// Usage files (repeatable): JSON Lines of API responses, OTLP JSON
    /// spans, OpenAI or Anthropic usage exports, or an aggregate CSV
    #[arg(long = "usage", value_name = "FILE", required = true, num_args = 1..)]
    pub usage: Vec<PathBuf>,
    #[command(flatten)]
    pub mapping: UsageMapping,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    #[command(flatten)]
    pub run: SpecArgs,
}

/// How usage records map onto a spec.
#[derive(Debug, Args, Clone, Default)]
pub struct UsageMapping {
    /// The format of every usage file (default: detected per file)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub usage_format: Option<crate::reconcile::UsageFormat>,
    /// The field naming the spec call a record belongs to (dotted path, e.g. metadata.call)
    #[arg(long, value_name = "PATH")]
    pub call_field: Option<String>,
    /// The field grouping records into one request (request or conversation id)
    #[arg(long, value_name = "PATH")]
    pub request_field: Option<String>,
    /// The record's timestamp (default: created, created_at, timestamp or time)
    #[arg(long, value_name = "PATH")]
    pub time_field: Option<String>,
}

impl UsageMapping {
    pub fn fields(&self) -> crate::reconcile::Fields {
        crate::reconcile::Fields {
            call: self.call_field.clone(),
            request: self.request_field.clone(),
            time: self.time_field.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which document: a spec, or what a command prints with `--format
    /// json` (`error`: what any command prints when its input cannot be read)
    #[arg(value_enum, default_value = "spec")]
    pub document: SchemaDocument,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaDocument {
    Spec,
    Estimate,
    Check,
    Diff,
    Suggest,
    Models,
    Reconcile,
    Count,
    Error,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The feature's spec (YAML; `-` reads it from stdin)
    pub spec: PathBuf,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    /// Cache hit rate to assume where caching is suggested
    #[arg(long, value_name = "RATIO", default_value = "0.8", value_parser = parse_ratio)]
    pub hit_rate: Decimal,
    /// How much shorter a trimmed prompt part or capped answer is: 0.25 = 25%
    #[arg(long, value_name = "RATIO", default_value = "0.25", value_parser = parse_ratio)]
    pub trim: Decimal,
    /// Turns of history to keep where cutting history is suggested
    #[arg(long, value_name = "TURNS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub window: u32,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    #[command(flatten)]
    pub run: SpecArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it (`-`: print it); the spec's JSON Schema is written
    /// beside it as llm-cost.schema.json unless that file exists
    #[arg(default_value = "llm-cost.yaml")]
    pub file: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelSort {
    Provider,
    Name,
    Input,
    Output,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// A model name or alias (shown in full), or a substring of names and providers
    pub filter: Option<String>,
    /// Only this provider's models (openai, anthropic, google, mistral, deepseek, xai, aws-bedrock, together, …)
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = ModelSort::Provider)]
    pub sort: ModelSort,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Convert another tool's price map into an llm-cost pricing file
    Import(ImportArgs),
    /// Validate pricing files with the rules the shipped catalog passes
    Check(PricingCheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// LiteLLM's model_prices_and_context_window.json
    Litellm,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The map's format
    #[arg(value_enum)]
    pub from: ImportFormat,
    /// The map to convert
    pub file: PathBuf,
    /// Write the pricing YAML here instead of to standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The date the prices were read (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct PricingCheckArgs {
    /// Pricing YAML files
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Where to also write a report: `FILE` (format from its extension) or `FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: Format,
    pub path: PathBuf,
}

/// How a report is written: the format on standard output, and files.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format: a table for people, JSON for scripts, markdown for PR comments, CSV for sheets
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the report to FILE, in the format its extension implies
    /// (.json, .md, .csv, else table), or as FORMAT=FILE; `-` is standard
    /// output. Never over a file the run reads; repeatable
    #[arg(long = "output", short = 'o', value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    pub outputs: Vec<OutputTarget>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Specs to judge (globs such as `specs/*.yaml` are expanded)
    #[arg(required = true)]
    pub specs: Vec<String>,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    #[command(flatten)]
    pub run: SpecArgs,
    /// Largest cost per request, USD (overrides the specs' budgets)
    #[arg(long, value_name = "USD", value_parser = parse_money)]
    pub max_per_request: Option<Decimal>,
    /// Largest monthly spend, USD
    #[arg(long, value_name = "USD", value_parser = parse_money)]
    pub max_monthly: Option<Decimal>,
    /// Smallest gross margin after the feature: 0.75 or 75%
    #[arg(long, value_name = "RATIO", value_parser = parse_ratio)]
    pub min_margin: Option<Decimal>,
    /// Largest drop of gross margin: 0.02 or 2pt
    #[arg(long, value_name = "POINTS", value_parser = parse_points)]
    pub max_margin_drop: Option<Decimal>,
    /// Largest rise of monthly cost over --baseline: 0.1 or 10%
    #[arg(long, value_name = "PCT", value_parser = parse_increase, requires = "baseline")]
    pub max_increase: Option<Decimal>,
    /// A saved estimate (`estimate`/`check --format json`) or a spec to compare against
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Treat prices older than --max-price-age as a broken budget (exit 1)
    #[arg(long)]
    pub fail_on_stale: bool,
    /// Estimate broken budgets but exit 0 (bad input still exits 2)
    #[arg(long)]
    pub warn_only: bool,
    /// Production usage to hold each spec against (repeatable; the formats
    /// `reconcile --usage` reads)
    #[arg(long, value_name = "FILE", requires = "max_drift")]
    pub actuals: Vec<PathBuf>,
    /// Largest rise of production's monthly spend over the spec's: 25%
    #[arg(long, value_name = "PCT", value_parser = parse_increase, requires = "actuals")]
    pub max_drift: Option<Decimal>,
    #[command(flatten)]
    pub mapping: UsageMapping,
    /// GitHub Actions annotations and the job summary: `auto` when
    /// GITHUB_ACTIONS=true; `never` for a step that must not annotate the pull
    /// request (estimating the base branch); `--github` alone means always
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = GithubMode::Auto,
        num_args = 0..=1,
        default_missing_value = "always"
    )]
    pub github: GithubMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GithubMode {
    Auto,
    Always,
    Never,
}

impl GithubMode {
    /// Always or never; None for `auto`, which the environment decides.
    pub fn forced(self) -> Option<bool> {
        match self {
            GithubMode::Always => Some(true),
            GithubMode::Never => Some(false),
            GithubMode::Auto => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The before: a spec, or a saved `estimate --format json`
    pub base: PathBuf,
    /// The after: a spec, or a saved `estimate --format json`
    pub head: PathBuf,
    /// Resolve BASE's prompt files in this folder instead of BASE's own
    /// (e.g. a checkout of the base branch)
    #[arg(long, value_name = "DIR")]
    pub base_dir: Option<PathBuf>,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    #[command(flatten)]
    pub run: SpecArgs,
}

#[derive(Debug, Args)]
pub struct PricingArgs {
    /// A pricing YAML file that adds or overrides models (repeatable; later
    /// files win). LLM_COST_PRICING may list more, read before these.
    #[arg(id = "pricing", long = "pricing", value_name = "FILE")]
    pub pricing_files: Vec<PathBuf>,
    /// Price on this day (YYYY-MM-DD): scheduled price changes up to it
    /// apply (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<crate::date::Date>,
}

/// How specs are read and judged.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// Let specs read files outside their repository, absolute paths too
    /// (only for specs you trust)
    #[arg(long)]
    pub allow_outside_files: bool,
    /// The folder specs' files must stay in (default: the git work tree
    /// that holds each spec, else the spec's folder)
    #[arg(long, value_name = "DIR", value_parser = parse_root)]
    pub root: Option<PathBuf>,
    /// Warn when the prices used are older than DAYS
    #[arg(long, value_name = "DAYS", default_value_t = crate::pipeline::MAX_PRICE_AGE_DAYS, value_parser = clap::value_parser!(i64).range(0..=36_500))]
    pub max_price_age: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BudgetOn {
    /// The expected (mean) figures
    Mean,
    /// The 95th-percentile request: longest samples and outputs at once
    P95,
}

/// What-ifs without editing the spec.
#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// Override any spec value by its path (repeatable): traffic.requests_per_day=60000,
    /// calls.draft.output_tokens=400, calls[1].cache.hit_rate=0.9
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub sets: Vec<(String, String)>,
    /// Another model: MODEL for the spec's default, CALL=MODEL for one call (repeatable)
    #[arg(long = "model", value_name = "[CALL=]MODEL")]
    pub models: Vec<String>,
    /// Multiply traffic: traffic=3
    #[arg(long, value_name = "traffic=FACTOR", value_parser = parse_scale)]
    pub scale: Option<Decimal>,
    /// Apply one of the spec's `scenarios`
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Judge budgets on the expected or the p95 figures
    #[arg(long, value_enum, default_value_t = BudgetOn::Mean)]
    pub budget_on: BudgetOn,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// The feature's spec (YAML; `-` reads it from stdin)
    pub spec: PathBuf,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    /// Compare with other models: names, provider:NAME, all, all-cheaper (comma-separated or repeated)
    #[arg(long, value_name = "MODELS")]
    pub compare: Vec<String>,
    /// Only the N cheapest compared models (sorted by cost per month)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub top: Option<u32>,
    /// Show every scenario of the spec side by side with the base
    #[arg(long, conflicts_with = "scenario")]
    pub scenarios: bool,
    /// Months to project when the spec has traffic.growth_per_month
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: Option<u32>,
    /// Draw charts with ASCII instead of Unicode blocks
    #[arg(long)]
    pub ascii: bool,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub pricing: PricingArgs,
    #[command(flatten)]
    pub run: SpecArgs,
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

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn flag_values_read_as_people_write_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_money("$3,000"), Ok(d("3000")));
        assert_eq!(parse_money("0.002"), Ok(d("0.002")));
        assert!(parse_money("-1").is_err() && parse_money("lots").is_err());
        assert_eq!(parse_ratio("75%"), Ok(d("0.75")));
        assert_eq!(parse_ratio("0.75"), Ok(d("0.75")));
        assert_eq!(parse_points("2pt"), Ok(d("0.02")));
        assert_eq!(parse_points("0.02"), Ok(d("0.02")));
        assert_eq!(parse_increase("0.1"), Ok(d("0.1")));
        assert_eq!(parse_increase("12.5%"), Ok(d("0.125")));
        assert_eq!(parse_increase("250%"), Ok(d("2.5")));
        // A bare number above 1 is ambiguous for every ratio: it is refused
        // with the percentage it probably means.
        assert!(parse_increase("10").unwrap_err().contains("`10%`"));
        assert!(parse_ratio("75").unwrap_err().contains("`75%`"));
        assert!(parse_points("2").unwrap_err().contains("`2pt`"));
        assert!(parse_ratio("500%").is_err() && parse_ratio("-5%").is_err());
        assert_eq!(parse_output("report.md").unwrap().format, Format::Markdown);
        assert_eq!(
            parse_output("csv=out.txt").unwrap(),
            OutputTarget {
                format: Format::Csv,
                path: "out.txt".into()
            }
        );
        assert!(
            parse_output("jsn=b.json")
                .unwrap_err()
                .contains("unknown format `jsn`"),
            "a typo in the format is not taken for a file name"
        );
        assert_eq!(
            parse_output("./a=b.json").unwrap().format,
            Format::Json,
            "not a bare word before `=`: a file name"
        );
        assert_eq!(parse_output("json=-").unwrap().path, PathBuf::from("-"));
    }
}
