//! Any bytes as a spec: loading and estimating must return a result (an
//! estimate, or input errors), never panic, hang or exhaust memory. Prompt
//! files resolve against examples/support-assistant, so `file:` and
//! `samples:` entries that name its files are exercised too.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use llm_cost::pricing::PriceTable;
use llm_cost::{pipeline, pricing, spec};

fn prices() -> &'static PriceTable {
    static PRICES: OnceLock<PriceTable> = OnceLock::new();
    PRICES.get_or_init(|| pricing::load(&[]).expect("the shipped catalog loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let here =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/support-assistant/spec.yaml");
    let loaded = spec::load_source(
        &here,
        "spec.yaml".into(),
        text.to_string(),
        prices(),
        &spec::Overrides::default(),
    );
    if let Ok(s) = loaded {
        let _ = pipeline::estimate(&s, prices(), pipeline::Options::default(), None);
    }
});
