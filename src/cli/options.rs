//! The command line turned into what the program runs with: pipeline
//! options and spec overrides.

use super::{SpecArgs, WhatIfArgs};

impl SpecArgs {
    pub fn options(&self) -> crate::pipeline::Options {
        crate::pipeline::Options {
            allow_outside_files: self.allow_outside_files,
            root: self
                .root
                .as_ref()
                .map(|r| &*Box::leak(r.clone().into_boxed_path())),
            max_price_age_days: self.max_price_age,
            ..crate::pipeline::Options::default()
        }
    }
}

impl WhatIfArgs {
    /// The spec changes these flags ask for, `--model`s first.
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
