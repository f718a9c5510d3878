//! The command line turned into what the program runs with: pipeline
//! options and spec overrides.

use super::{SpecArgs, WhatIfArgs};

impl SpecArgs {
    pub fn options(&self) -> crate::pipeline::Options {
        crate::pipeline::Options {
            allow_outside_files: self.allow_outside_files,
            root: self.root.as_deref().map(std::sync::Arc::from),
            max_price_age_days: self.max_price_age,
            ..crate::pipeline::Options::default()
        }
    }
}

impl WhatIfArgs {
    /// The run's options, with budgets judged on the figures `--budget-on`
    /// names: every command that takes the what-ifs judges the same way.
    pub fn options(&self, run: &SpecArgs) -> crate::pipeline::Options {
        crate::pipeline::Options {
            budget_on_p95: self.budget_on == super::BudgetOn::P95,
            ..run.options()
        }
    }

    /// The spec changes these flags ask for, `--model`s first.
    /// The same what-ifs as command-line words, for a command that
    /// reproduces a result (`suggest` prints them in each command).
    pub fn words(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in &self.models {
            out.push(format!("--model {}", crate::savings::shell_quote(m)));
        }
        for (path, value) in &self.sets {
            out.push(format!(
                "--set {}",
                crate::savings::shell_quote(&format!("{path}={value}"))
            ));
        }
        if let Some(s) = &self.scenario {
            out.push(format!("--scenario {}", crate::savings::shell_quote(s)));
        }
        if let Some(f) = self.scale {
            out.push(format!("--scale traffic={f}"));
        }
        if self.budget_on == super::BudgetOn::P95 {
            out.push("--budget-on p95".into());
        }
        out
    }

    pub fn overrides(&self) -> crate::spec::Overrides {
        let mut sets: Vec<(String, String)> = self
            .models
            .iter()
            .map(|m| match m.split_once('=') {
                Some((call, model)) => (format!("calls.{call}.model"), model.to_string()),
                None => ("model".to_string(), m.clone()),
            })
            .collect();
        sets.extend(self.sets.iter().cloned());
        crate::spec::Overrides {
            sets,
            scenario: self.scenario.clone(),
            scale: self.scale,
        }
    }
}
