//! `reconcile`: the spec's estimate held against what production used.
//! Usage records stream in (`read`), each normalised to one shape
//! (`records`), priced and summed per call and model (`observed`), then set
//! beside the prediction with the `--set`s that calibrate the spec
//! (`compare`).

mod compare;
mod observed;
mod read;
mod records;

pub use compare::{CallRow, Figure, Reconciliation, Unattributed, reconcile};
pub use observed::{Attribution, EXACT_RUNS, Observed};
pub use read::{UsageFormat, read_all};
pub use records::{Fields, Record, Tokens};

use crate::spec::Spec;

/// How the records find the spec's calls: each call's name, the models
/// that serve it, and whether it runs as a batch.
pub fn attribution<'a>(spec: &Spec, prices: &'a crate::pricing::PriceTable) -> Attribution<'a> {
    Attribution {
        prices,
        calls: spec
            .calls
            .iter()
            .map(|c| {
                let models = c
                    .serving
                    .legs()
                    .iter()
                    .map(|l| {
                        prices
                            .get(&l.model)
                            .map_or_else(|| l.model.clone(), |m| m.name.clone())
                    })
                    .collect();
                (c.name.clone(), models, c.batch)
            })
            .collect(),
    }
}
