//! The `llm-cost` binary: parse the command line, run the command, print its
//! output, and map any error to the exit-code contract (0 fine, 1 a budget is
//! broken, 2 the input is wrong).

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use llm_cost::cli::{Cli, Command};
use llm_cost::commands::{self, Outcome};
use llm_cost::error::EXIT_OK;
use llm_cost::neutral;
use llm_cost::report::{Format, color};

/// The command's name and the report format it was asked for, where it
/// writes a report (`count` says only whether it writes JSON).
fn report_format(cli: &Cli) -> Option<(&'static str, Format)> {
    Some(match &cli.command {
        Command::Estimate(a) => ("estimate", a.report.format),
        Command::Check(a) => ("check", a.report.format),
        Command::Diff(a) => ("diff", a.report.format),
        Command::Suggest(a) => ("suggest", a.report.format),
        Command::Reconcile(a) => ("reconcile", a.report.format),
        Command::Models(a) => ("models", a.report.format),
        Command::Count(a) if a.format == llm_cost::cli::CountFormat::Json => {
            ("count", Format::Json)
        }
        _ => return None,
    })
}

/// The command's name when it was asked for JSON, whose errors then come
/// as JSON on stdout too (a script reads one shape either way).
fn json_command(cli: &Cli) -> Option<&'static str> {
    report_format(cli)
        .filter(|(_, f)| *f == Format::Json)
        .map(|(name, _)| name)
}

/// Whether stdout is a table for people (the only output coloured).
fn table_output(cli: &Cli) -> bool {
    report_format(cli).is_some_and(|(_, f)| f == Format::Table)
}

/// Each warning once, in the order first given (many variants of one spec
/// repeat the same retirement notice).
fn once_each(warnings: &[String]) -> Vec<&String> {
    let mut seen = std::collections::HashSet::new();
    warnings
        .iter()
        .filter(|w| seen.insert(w.as_str()))
        .collect()
}

/// Where the last panic happened (the hook runs before the unwind is caught).
static PANIC_AT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    let version = llm_cost::cli::version_text();
    let matches = <Cli as clap::CommandFactory>::command()
        .version(version)
        .get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if let Some(day) = cli.today {
        llm_cost::date::pin_today(day);
    }
    // Bounds and checked arithmetic turn every bad input into an error with
    // a place; a panic is a bug. It still never shows a backtrace: one line
    // that says where, for the report, and the bad-input exit code.
    std::panic::set_hook(Box::new(|info| {
        if let Some(at) = info.location() {
            *PANIC_AT.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("{}:{}", at.file(), at.line()));
        }
    }));
    let result = match std::panic::catch_unwind(|| commands::run(&cli)) {
        Ok(result) => result,
        Err(payload) => return internal_error(payload.as_ref()),
    };
    // Everything printed passes the guard in `neutral::output` (no control
    // bytes, no line GitHub would run as a command) except llm-cost's own
    // annotations.
    match result {
        Ok(outcome) => print(&cli, &outcome),
        Err(err) => {
            let text = neutral::output(&format!("{err}\n"));
            if cli.color.stderr() {
                eprint!("{}", color::diagnostics(&text));
            } else {
                eprint!("{text}");
            }
            if let Some(command) = json_command(&cli) {
                let doc = llm_cost::report::error_document(command, &err);
                let _ = std::io::stdout().write_all(neutral::output(&doc).as_bytes());
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// A panic, said in one line with where it happened.
fn internal_error(payload: &(dyn std::any::Any + Send)) -> ExitCode {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let at = PANIC_AT
        .lock()
        .map(|a| a.clone())
        .unwrap_or_default()
        .map(|a| place(&a))
        .unwrap_or_else(|| "an unknown place".into());
    let text = if message.contains("overflow") {
        format!(
            "error: a figure is too large to compute exactly (a decimal overflow, in {at}); check the magnitudes of the spec's and pricing files' numbers (please report this too)\n"
        )
    } else {
        format!("error: internal error at {at}: {message} (please report this)\n")
    };
    eprint!("{}", neutral::output(&text));
    ExitCode::from(llm_cost::error::EXIT_BAD_INPUT)
}

/// A panic's place without the build machine's paths: from the crate's own
/// folder on (`rust_decimal-1.43.0/src/ops/mul.rs:12`, `src/pipeline.rs:3`).
fn place(at: &str) -> String {
    let parts: Vec<&str> = at.split(['/', '\\']).collect();
    match parts.iter().rposition(|p| *p == "src") {
        Some(i) if i > 0 => parts[i - 1..].join("/"),
        Some(i) => parts[i..].join("/"),
        None => parts.last().copied().unwrap_or_default().to_string(),
    }
}

/// The report first, then what to know about it: on a terminal the
/// warnings follow the table instead of pushing it away.
fn print(cli: &Cli, outcome: &Outcome) -> ExitCode {
    let mut report = neutral::output(&outcome.stdout);
    if table_output(cli) && cli.color.stdout() {
        report = color::report(&report);
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush());
    drop(stdout);
    let paint = cli.color.stderr();
    let diagnostic = |text: String| {
        let guarded = neutral::output(&text);
        if paint {
            color::diagnostics(&guarded)
        } else {
            guarded
        }
    };
    let mut stderr = std::io::stderr().lock();
    if !cli.quiet {
        for w in once_each(&outcome.warnings) {
            let _ = write!(stderr, "{}", diagnostic(format!("warning: {w}\n")));
        }
    }
    for line in &outcome.stderr_lines {
        let _ = write!(stderr, "{}", diagnostic(format!("{line}\n")));
    }
    for line in &outcome.annotations {
        let _ = writeln!(stderr, "{line}");
    }
    match written {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot write the report: {e}");
            ExitCode::from(llm_cost::error::EXIT_BAD_INPUT)
        }
        Ok(()) => ExitCode::from(outcome.exit_code),
    }
}
