//! The `llm-cost` binary: parse the command line, run the command, print its
//! output, and map any error to the exit-code contract (0 fine, 1 a budget is
//! broken, 2 the input is wrong).

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;

use llm_cost::cli::{Cli, Command};
use llm_cost::commands::{self, Outcome};
use llm_cost::error::{EXIT_OK, Result};

fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Estimate(args) => commands::estimate::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Count(args) => commands::count::run(args),
        Command::Models(args) => commands::models::run(args),
        Command::Suggest(args) => commands::suggest::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Pricing(command) => commands::pricing_files::run(command),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Validation bounds every number, but a user must never see a backtrace:
    // any panic left becomes one line and the bad-input exit code.
    std::panic::set_hook(Box::new(|_| {}));
    let result = match std::panic::catch_unwind(|| run(&cli)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if message.contains("overflow") {
                eprintln!(
                    "error: the figures are too large to compute exactly ({message}); check the spec's traffic, token and price numbers"
                );
            } else {
                eprintln!("error: internal error: {message} (please report this)");
            }
            return ExitCode::from(llm_cost::error::EXIT_BAD_INPUT);
        }
    };
    match result {
        Ok(outcome) => {
            let mut stderr = std::io::stderr().lock();
            for w in &outcome.warnings {
                let _ = writeln!(stderr, "warning: {w}");
            }
            for line in &outcome.stderr_lines {
                let _ = writeln!(stderr, "{line}");
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not a failure.
                Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
                Err(e) => {
                    let _ = writeln!(stderr, "error: cannot write the report: {e}");
                    ExitCode::from(llm_cost::error::EXIT_BAD_INPUT)
                }
                Ok(()) => ExitCode::from(outcome.exit_code),
            }
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(err.exit_code())
        }
    }
}
