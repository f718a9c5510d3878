//! `llm-cost check SPEC…`: the CI budget gate.

use super::{Estimated, Outcome, estimate_any, price_table, write_outputs};
use crate::check::{CheckRun, Failure, apply_limits, baseline_for};
use crate::cli::CheckArgs;
use crate::diagnostic::Diagnostic;
use crate::diff::Snapshot;
use crate::error::{Error, Result};
use crate::pipeline::Estimate;
use crate::pricing::PriceTable;
use crate::report::Format;
use crate::report::verdict_sentence;
use crate::{github, pipeline, spec};

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let options = args.whatif.options(&args.run);
    let changes = args.whatif.overrides();
    let baselines = match &args.baseline {
        None => Vec::new(),
        Some(path) => {
            match estimate_any(path, &prices, options.clone(), None, &Default::default())? {
                Estimated::Saved(snapshots) => snapshots,
                Estimated::Spec(report) => {
                    vec![Snapshot::from_report(&report).map_err(Error::Other)?]
                }
            }
        }
    };
    let limits = spec::Budget {
        max_cost_per_request: args.max_per_request,
        max_monthly_spend: args.max_monthly,
        min_gross_margin: args.min_margin,
        max_margin_drop: args.max_margin_drop,
        max_increase: args.max_increase,
        max_price_age: args.fail_on_stale.then(|| args.run.max_price_age.into()),
    };
    let mut run = CheckRun {
        warn_only: args.warn_only,
        ..CheckRun::default()
    };
    for path in expand(&args.specs) {
        match path {
            Ok(path) => match check_one(
                &path,
                &prices,
                &changes,
                &limits,
                &baselines,
                options.clone(),
            )
            .and_then(|(s, e)| with_actuals(args, &s, &prices, e))
            {
                Ok(report) => run.reports.push(report),
                Err(error) => run.failures.push(Failure { spec: path, error }),
            },
            Err(failure) => run.failures.push(failure),
        }
    }

    let mut inputs: Vec<&std::path::Path> = run
        .reports
        .iter()
        .map(|r| std::path::Path::new(&r.spec_path))
        .collect();
    inputs.extend(args.baseline.as_deref());
    let inputs = super::inputs(&inputs, &args.pricing);
    let to_stdout = write_outputs(&args.report.outputs, &inputs, |r| r.check(&run))?;
    let mut outcome = Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.report.format.renderer().check(&run)),
        exit_code: run.exit_code(),
        ..Outcome::default()
    };
    for r in &run.reports {
        outcome
            .warnings
            .extend(r.warnings().iter().map(|w| format!("{}: {w}", r.spec_file)));
    }
    if args.report.format != Format::Table {
        // The table shows them; other formats carry them as data, so say them on stderr too.
        outcome
            .stderr_lines
            .extend(run.failures.iter().map(|f| f.error.to_string()));
    }
    if github::enabled(args.github.forced()) {
        outcome.annotations = annotations(&run);
        let summary = crate::neutral::output(&Format::Markdown.renderer().check(&run));
        github::append_step_summary(&summary)
            .map_err(|e| Error::Other(format!("cannot append to GITHUB_STEP_SUMMARY: {e}")))?;
    }
    Ok(outcome)
}

fn check_one(
    path: &str,
    prices: &PriceTable,
    changes: &spec::Overrides,
    limits: &spec::Budget,
    baselines: &[Snapshot],
    options: pipeline::Options,
) -> Result<(spec::Spec, Estimate)> {
    let mut s = spec::load_with(std::path::Path::new(path), prices, changes)?;
    apply_limits(limits, &mut s)?;
    let baseline = baseline_for(&s, baselines);
    let mut estimate = pipeline::estimate(&s, prices, options, baseline)?;
    crate::check::locate_rules(&s, &mut estimate);
    Ok((s, estimate))
}

/// The estimate judged against production too, where `--actuals` gives
/// usage: production may run at most `--max-drift` above the spec on its
/// monthly spend, its cost per request, and each call's cost per request.
/// A short log can make the monthly spend look low while every request
/// costs more than the spec says: each figure is judged, and named.
fn with_actuals(
    args: &CheckArgs,
    s: &spec::Spec,
    prices: &PriceTable,
    mut estimate: Estimate,
) -> Result<Estimate> {
    let (Some(limit), false) = (args.max_drift, args.actuals.is_empty()) else {
        return Ok(estimate);
    };
    let r = super::reconcile::against(s, &estimate, prices, &args.actuals, &args.mapping)?;
    let figures = [
        ("monthly spend".to_string(), &r.cost_per_month),
        ("cost per request".to_string(), &r.cost_per_request),
    ];
    let calls = r.calls.iter().map(|c| {
        (
            format!("call `{}` cost per request", c.call),
            &c.cost_per_request,
        )
    });
    // Usage on a model the catalog does not know has no price: counted as
    // $0 it would pull the drift down and pass the gate (R12).
    let unpriced: Vec<&str> = r
        .unattributed
        .iter()
        .filter(|u| u.cost.is_none())
        .map(|u| u.model.as_str())
        .collect();
    if !unpriced.is_empty() {
        estimate.budget.push(
            crate::budget::Verdict::unjudged(
                crate::budget::Rule::MaxDrift,
                limit,
                format!(
                    "production ran on models the catalog does not price ({}); add them with --pricing",
                    unpriced.join(", ")
                ),
            )
            .of("cost"),
        );
    }
    let mut judged = 0;
    for (figure, f) in figures.into_iter().chain(calls) {
        if let Some(drift) = f.drift() {
            judged += 1;
            estimate.budget.push(
                crate::budget::Verdict::new(crate::budget::Rule::MaxDrift, limit, drift).of(figure),
            );
        }
    }
    if judged == 0 {
        crate::notes::push(&mut estimate.notes, crate::notes::Note::DriftNotJudged);
    }
    Ok(estimate)
}

/// Spec arguments with globs expanded (for shells that do not, and for
/// quoted patterns in CI files). A pattern that matches nothing is an error.
fn expand(args: &[String]) -> Vec<std::result::Result<String, Failure>> {
    let mut out = Vec::new();
    for arg in args {
        if !arg.contains(['*', '?', '[']) {
            out.push(Ok(arg.clone()));
            continue;
        }
        let matches: Vec<String> = match glob::glob(arg) {
            Ok(paths) => paths
                .filter_map(std::result::Result::ok)
                .map(|p| p.display().to_string())
                .collect(),
            Err(e) => {
                out.push(Err(Failure {
                    spec: arg.clone(),
                    error: Error::input(Diagnostic::new(
                        arg,
                        None,
                        format!("not a valid pattern: {}", e.msg),
                    )),
                }));
                continue;
            }
        };
        if matches.is_empty() {
            out.push(Err(Failure {
                spec: arg.clone(),
                error: Error::input(Diagnostic::new(arg, None, "no spec matches this pattern")),
            }));
        }
        out.extend(matches.into_iter().map(Ok));
    }
    out
}

/// One annotation per broken budget, at the budget's line in the spec (or
/// the `model:` that drives the cost, for a limit given on the command
/// line), one per input error, and one warning per estimate warning (a
/// retiring model, stale prices).
fn annotations(run: &CheckRun) -> Vec<String> {
    let level = if run.warn_only { "warning" } else { "error" };
    let mut out = Vec::new();
    for r in &run.reports {
        for v in r.budget.iter().filter(|v| !v.ok) {
            let at = r
                .rule_lines
                .get(v.rule.key())
                .copied()
                .or(r.cost_driver_line);
            let message = format!("{}: {}", r.feature, verdict_sentence(v));
            out.push(github::annotation(
                level,
                &r.spec_path,
                at,
                "llm-cost: budget broken",
                &message,
            ));
        }
        for w in &r.warnings() {
            out.push(github::annotation(
                "warning",
                &r.spec_path,
                None,
                "llm-cost: warning",
                &format!("{}: {w}", r.feature),
            ));
        }
    }
    for f in &run.failures {
        match &f.error {
            Error::Input(diagnostics) => {
                for d in diagnostics {
                    let message = match &d.help {
                        Some(h) => format!("{} ({h})", d.message),
                        None => d.message.clone(),
                    };
                    out.push(github::annotation(
                        "error",
                        &d.file,
                        d.location,
                        "llm-cost: bad input",
                        &message,
                    ));
                }
            }
            other => out.push(github::annotation(
                "error",
                &f.spec,
                None,
                "llm-cost",
                &other.to_string(),
            )),
        }
    }
    out
}
