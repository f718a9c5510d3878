//! Tokenizers load lazily, once, and only for the encodings a run needs.
//! This file is its own test binary (its own process), so the record of
//! loaded encodings starts empty.

mod common;

use common::*;
use llm_cost::tokens::{Encoding, loaded_encodings};
use llm_cost::{pipeline, pricing, spec};

#[test]
fn a_run_loads_only_the_encodings_it_needs() {
    let prices = pricing::load(&[]).unwrap();

    // Only `{tokens: N}` variables: no tokenizer at all.
    let s = spec::load(&fixture("specs/hand.yaml"), &prices).unwrap();
    pipeline::estimate(&s, &prices, pipeline::Options::default(), None).unwrap();
    assert_eq!(
        loaded_encodings(),
        vec![],
        "a tokens-only spec loaded a tokenizer"
    );

    // Real text for gpt-4o-mini: o200k_base and nothing else.
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/support-assistant/spec.yaml"
    );
    let s = spec::load(std::path::Path::new(example), &prices).unwrap();
    pipeline::estimate(&s, &prices, pipeline::Options::default(), None).unwrap();
    assert_eq!(loaded_encodings(), vec![Encoding::O200kBase]);
}
