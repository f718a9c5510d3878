//! The CI gate: many specs judged in one process against their budgets (and
//! the command line's), optionally against a baseline estimate.

use rust_decimal::Decimal;

use crate::budget::Baseline;
use crate::diagnostic::Diagnostic;
use crate::diff::Snapshot;
use crate::error::{EXIT_BAD_INPUT, EXIT_OK, EXIT_OVER_BUDGET, Error};
use crate::pipeline::Estimate;
use crate::spec::{Budget, Spec};

/// Applies budget limits given on the command line over a spec's own; each
/// can only make the spec's limit stricter.
/// Margin limits need the spec's economics, so a spec without them is bad
/// input here.
pub fn apply_limits(limits: &Budget, spec: &mut Spec) -> Result<(), Error> {
    spec.budget = limits.tighten(&spec.budget);
    let margin_flag = limits.min_gross_margin.is_some() || limits.max_margin_drop.is_some();
    if margin_flag && spec.economics.is_none() {
        return Err(Error::input(
            Diagnostic::new(
                &spec.file.display,
                None,
                "--min-margin and --max-margin-drop need the spec's `economics` block",
            )
            .with_help("add `economics:` with revenue and current costs, or drop the margin flag"),
        ));
    }
    Ok(())
}

/// Where each broken rule of `estimate` should be annotated: the budget
/// key in the spec that sets it, or for a limit given on the command line
/// the `model:` that drives the cost (the priciest call's own, or the
/// spec's). Only `check` annotates, so only it looks these up.
pub fn locate_rules(spec: &Spec, estimate: &mut Estimate) {
    let root = crate::yaml::Path::root();
    estimate.rule_lines = estimate
        .budget
        .iter()
        .filter_map(|v| {
            let at = spec
                .file
                .key_location(&root.key("budget").key(v.rule.key()))?;
            Some((v.rule.key(), at))
        })
        .collect();
    let priciest = estimate
        .calls
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| c.cost_per_request)
        .map(|(i, _)| i);
    estimate.cost_driver_line = priciest
        .and_then(|i| {
            spec.file
                .key_location(&root.key("calls").index(i).key("model"))
        })
        .or_else(|| spec.file.key_location(&root.key("model")));
}

/// The baseline for one spec: the saved estimate of the same spec file, or
/// failing that of the same feature, or the only one there is.
pub fn baseline_for(spec: &Spec, baselines: &[Snapshot]) -> Option<Baseline> {
    let found = baselines
        .iter()
        .find(|b| same_path(&b.spec, &spec.file.display))
        .or_else(|| baselines.iter().find(|b| b.feature == spec.feature))
        .or(if baselines.len() == 1 {
            baselines.first()
        } else {
            None
        });
    found.map(|b| Baseline {
        cost_per_month: b.cost_per_month,
    })
}

fn same_path(a: &str, b: &str) -> bool {
    let clean = |p: &str| p.trim_start_matches("./").to_string();
    clean(a) == clean(b)
}

/// A spec that could not be judged, with why.
#[derive(Debug)]
pub struct Failure {
    pub spec: String,
    pub error: Error,
}

#[derive(Debug, Default)]
pub struct CheckRun {
    pub reports: Vec<Estimate>,
    pub failures: Vec<Failure>,
    pub warn_only: bool,
}

impl CheckRun {
    pub fn broken_specs(&self) -> usize {
        self.reports.iter().filter(|r| !r.budget_ok()).count()
    }

    pub fn broken_rules(&self) -> usize {
        self.reports
            .iter()
            .flat_map(|r| &r.budget)
            .filter(|v| !v.ok)
            .count()
    }

    /// 2 if any spec could not be read, else 1 if any budget is broken
    /// (unless `--warn-only`), else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.failures.is_empty() {
            EXIT_BAD_INPUT
        } else if self.broken_specs() > 0 && !self.warn_only {
            EXIT_OVER_BUDGET
        } else {
            EXIT_OK
        }
    }

    /// Monthly cost now and in the baseline, over the specs that have one.
    pub fn change_vs_baseline(&self) -> Option<(Decimal, Decimal)> {
        let with: Vec<&Estimate> = self
            .reports
            .iter()
            .filter(|r| r.baseline_cost_per_month.is_some())
            .collect();
        if with.is_empty() {
            return None;
        }
        let base = with.iter().filter_map(|r| r.baseline_cost_per_month).sum();
        let now = with.iter().map(|r| r.totals.cost_per_month).sum();
        Some((base, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    #[test]
    fn a_command_line_limit_only_ever_tightens() {
        let spec = Budget {
            max_cost_per_request: Some(d("0.002")),
            max_monthly_spend: Some(d("5000")),
            min_gross_margin: Some(d("0.75")),
            max_margin_drop: Some(d("0.02")),
            ..Budget::default()
        };
        let flags = Budget {
            max_cost_per_request: Some(d("0.001")), // stricter: taken
            max_monthly_spend: Some(d("20000")),    // looser: the spec's $5,000 stays
            min_gross_margin: Some(d("0.5")),       // looser: 75% stays
            max_margin_drop: None,                  // absent: the spec's 2 pt stays
            max_increase: Some(d("0.1")),           // only the flag has it
            max_price_age: None,
        };
        assert_eq!(
            flags.tighten(&spec),
            Budget {
                max_cost_per_request: Some(d("0.001")),
                max_monthly_spend: Some(d("5000")),
                min_gross_margin: Some(d("0.75")),
                max_margin_drop: Some(d("0.02")),
                max_increase: Some(d("0.1")),
                max_price_age: None,
            }
        );
        let stricter_margin = Budget {
            min_gross_margin: Some(d("0.9")),
            ..Budget::default()
        };
        assert_eq!(
            stricter_margin.tighten(&spec).min_gross_margin,
            Some(d("0.9"))
        );
    }
}
