//! The models `--compare` names, from the words a user typed.

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pricing::PriceTable;

/// What `--compare` names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    pub models: Vec<String>,
    /// `all-cheaper`: keep only models cheaper than the base.
    pub cheaper_only: bool,
    /// A group (`all`, `all-cheaper`, `provider:…`) named some: they are
    /// listed cheapest first, where names keep the order given.
    pub grouped: bool,
}

/// The models `--compare` names: model names or aliases, `provider:NAME`,
/// `all`, or `all-cheaper` (every model, kept only where cheaper). Models
/// already retired are left out of the groups.
pub fn compare_targets(words: &[String], prices: &PriceTable) -> Result<Targets> {
    let today = crate::date::Date::today();
    let current = |m: &&crate::pricing::ModelPrice| !m.retired(today);
    let mut out: Vec<String> = Vec::new();
    let mut cheaper_only = false;
    let mut grouped = false;
    let mut errors = Vec::new();
    for word in words
        .iter()
        .flat_map(|w| w.split(','))
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match word {
            "all" | "all-cheaper" => {
                cheaper_only |= word == "all-cheaper";
                grouped = true;
                prices
                    .models()
                    .filter(current)
                    .for_each(|m| push_unique(&mut out, &m.name));
            }
            w if w.starts_with("provider:") => {
                let provider = &w["provider:".len()..];
                grouped = true;
                let before = out.len();
                prices
                    .models()
                    .filter(current)
                    .filter(|m| m.provider.eq_ignore_ascii_case(provider))
                    .for_each(|m| push_unique(&mut out, &m.name));
                if out.len() == before {
                    let providers: std::collections::BTreeSet<&str> =
                        prices.models().map(|m| m.provider.as_str()).collect();
                    errors.push(
                        Diagnostic::new(
                            "--compare",
                            None,
                            format!("no current models from provider `{provider}`"),
                        )
                        .with_help(format!(
                            "providers: {}",
                            providers.into_iter().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
            }
            name => match prices.get(name) {
                Some(m) => push_unique(&mut out, &m.name),
                None => errors.push(prices.unknown_model("--compare", None, name)),
            },
        }
    }
    if errors.is_empty() {
        Ok(Targets {
            models: out,
            cheaper_only,
            grouped,
        })
    } else {
        Err(Error::Input(errors))
    }
}

fn push_unique(out: &mut Vec<String>, name: &str) {
    if !out.iter().any(|o| o == name) {
        out.push(name.to_string());
    }
}
