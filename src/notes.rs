//! What an estimate tells its reader beside the figures: warnings, the
//! billing rules it assumed where there was a choice, and the what-ifs
//! applied. Each note is data (so a comparison or de-duplication compares
//! data, never text) and is worded once, in its `Display`, for every
//! output; the JSON documents carry both.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::figures::{Count, Money};

/// How a note is shown: warnings on stderr (and as CI annotations),
/// assumptions and what-ifs beside the figures they shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warning,
    Assumption,
    WhatIf,
}

/// How a batch run pays for a token kind its batch prices leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchRule {
    StandardRate,
    BatchDiscount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// A conversation sent through a batch API.
    BatchConversation {
        call: String,
    },
    /// A reasoning model whose hidden reasoning the call does not state.
    ReasoningUncounted {
        call: String,
        model: String,
    },
    /// Caching asked for on a model without a cached-input price.
    NoCachedPrice {
        call: String,
        model: String,
    },
    /// The cacheable prefix stops before per-request content.
    PrefixCut {
        call: String,
        variable: String,
        cacheable_tokens: Count,
        /// With explicit caching, what a breakpoint just before the
        /// variable (splitting its message) would add.
        #[serde(default, skip_serializing_if = "Count::is_zero")]
        split_would_add: Count,
    },
    /// The cacheable prefix is shorter than the model caches.
    BelowCacheMinimum {
        call: String,
        model: String,
        prefix_tokens: Count,
        minimum: u64,
    },
    /// Prompt and output together do not fit the context window.
    ContextWindowFull {
        call: String,
        model: String,
        tokens: Count,
        window: u64,
        /// The conversation's turn where it first happens.
        turn: Option<u32>,
    },
    /// A self-hosted deployment's idle time, billed whatever the traffic.
    IdleGpu {
        model: String,
        per_day: Money,
        served_per_day: Money,
        idle_per_day: Money,
    },
    NoRevenue,
    /// An increase limit with nothing to compare against.
    NoBaseline {
        spec: String,
    },
    /// `--actuals` found no priced records, so drift was not judged.
    DriftNotJudged,
    StalePrices {
        model: String,
        age_days: i64,
        as_of: String,
        source: String,
    },
    Retired {
        model: String,
        on: String,
    },
    /// A scheduled price change within 90 days that moves the estimate.
    PriceChange {
        model: String,
        from: String,
        /// The new over the old input and output prices (2 = they double).
        input_ratio: Money,
        output_ratio: Money,
        cost_per_month: Money,
        cost_per_month_after: Money,
    },
    Retiring {
        model: String,
        on: String,
    },
    /// Several sample variables paired into requests by rank.
    PairedSamples {
        call: String,
        variables: Vec<String>,
        requests: usize,
    },
    /// What a batch run pays for cached input its batch prices leave out.
    BatchCachedInput {
        call: String,
        model: String,
        rule: BatchRule,
    },
    /// How a cached conversation reads (and, with explicit caching, writes).
    ConversationCache {
        call: String,
        writes: bool,
    },
    /// A `--set` or scenario applied, as its origin says it.
    WhatIf {
        said: String,
    },
}

impl Note {
    pub fn level(&self) -> Level {
        match self {
            Note::PairedSamples { .. }
            | Note::BatchCachedInput { .. }
            | Note::ConversationCache { .. } => Level::Assumption,
            Note::WhatIf { .. } => Level::WhatIf,
            _ => Level::Warning,
        }
    }

    /// The call a note is about, where it is about one.
    pub fn call(&self) -> Option<&str> {
        match self {
            Note::BatchConversation { call }
            | Note::ReasoningUncounted { call, .. }
            | Note::NoCachedPrice { call, .. }
            | Note::PrefixCut { call, .. }
            | Note::BelowCacheMinimum { call, .. }
            | Note::ContextWindowFull { call, .. }
            | Note::PairedSamples { call, .. }
            | Note::BatchCachedInput { call, .. }
            | Note::ConversationCache { call, .. } => Some(call),
            _ => None,
        }
    }
}

/// Adds `note` unless an equal one is there already.
pub fn push(notes: &mut Vec<Note>, note: Note) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

/// The words of the notes at `level`, in order.
pub fn words(notes: &[Note], level: Level) -> Vec<String> {
    notes
        .iter()
        .filter(|n| n.level() == level)
        .map(ToString::to_string)
        .collect()
}

fn whole(c: &Count) -> rust_decimal::Decimal {
    c.0.round_dp(0)
}

fn cents(m: &Money) -> rust_decimal::Decimal {
    m.0.round_dp(2)
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Note::BatchConversation { call } => write!(
                f,
                "call `{call}` is a conversation marked `batch: true`: a live chat sent through a batch API waits up to 24 hours for each reply; priced at batch rates as the spec says, but a chat is usually interactive (drop `batch`, or split the turns into jobs)"
            ),
            Note::ReasoningUncounted { call, model } => write!(
                f,
                "call `{call}`: {model} reasons by default, and its hidden reasoning tokens are billed as output, but the call states no `reasoning_tokens`: they are not in this estimate (set `reasoning_tokens`, 0 if reasoning is turned off)"
            ),
            Note::NoCachedPrice { call, model } => write!(
                f,
                "call `{call}`: {model} has no cached-input price, so caching is not applied"
            ),
            Note::PrefixCut {
                call,
                variable,
                cacheable_tokens,
                split_would_add,
            } => {
                write!(
                    f,
                    "call `{call}`: the cached prefix stops before `{{{{{variable}}}}}`, which differs on every request; only the {} tokens before it can be a cache hit",
                    whole(cacheable_tokens)
                )?;
                if !split_would_add.0.is_zero() {
                    write!(
                        f,
                        "; a cache breakpoint just before `{{{{{variable}}}}}` (its message split there) would cache {} more",
                        whole(split_would_add)
                    )?;
                }
                Ok(())
            }
            Note::BelowCacheMinimum {
                call,
                model,
                prefix_tokens,
                minimum,
            } => write!(
                f,
                "call `{call}`: the cacheable prefix is {} tokens, below {model}'s minimum of {minimum}; caching is not applied",
                whole(prefix_tokens)
            ),
            Note::ContextWindowFull {
                call,
                model,
                tokens,
                window,
                turn,
            } => {
                let turn = turn.map(|t| format!(" (turn {t})")).unwrap_or_default();
                write!(
                    f,
                    "call `{call}`: {} prompt and output tokens exceed {model}'s context window of {window}{turn}",
                    whole(tokens)
                )
            }
            Note::IdleGpu {
                model,
                per_day,
                served_per_day,
                idle_per_day,
            } => write!(
                f,
                "{model}: one deployment costs ${}/day whatever the traffic; this traffic uses ${}/day of it, so ${}/day of idle GPU time is included",
                cents(per_day),
                cents(served_per_day),
                cents(idle_per_day)
            ),
            Note::NoRevenue => f.write_str("revenue is 0, so there is no gross margin to report"),
            Note::NoBaseline { spec } => write!(
                f,
                "no baseline estimate for {spec}: the increase limit is not judged"
            ),
            Note::DriftNotJudged => f.write_str(
                "--actuals: production's costs could not be measured (no priced records); drift not judged",
            ),
            Note::StalePrices {
                model,
                age_days,
                as_of,
                source,
            } => write!(
                f,
                "prices for {model} are {age_days} days old (as of {as_of}); check {source}"
            ),
            Note::Retired { model, on } => write!(
                f,
                "{model} was retired on {on}; the provider may no longer serve it"
            ),
            Note::Retiring { model, on } => write!(f, "{model} is scheduled to retire on {on}"),
            Note::PriceChange {
                model,
                from,
                input_ratio,
                output_ratio,
                cost_per_month,
                cost_per_month_after,
            } => {
                let two = rust_decimal::Decimal::TWO;
                let how = if input_ratio.0 == two && output_ratio.0 == two {
                    "prices double".to_string()
                } else if input_ratio.0 == output_ratio.0 {
                    format!("prices change ×{}", input_ratio.0.round_dp(3).normalize())
                } else {
                    format!(
                        "input prices change ×{}, output ×{}",
                        input_ratio.0.round_dp(3).normalize(),
                        output_ratio.0.round_dp(3).normalize()
                    )
                };
                write!(
                    f,
                    "{model}: {how} on {from}; monthly spend {} → {}",
                    crate::format::usd(cost_per_month.0),
                    crate::format::usd(cost_per_month_after.0)
                )
            }
            Note::PairedSamples {
                call,
                variables,
                requests,
            } => {
                let names: Vec<String> = variables.iter().map(|p| format!("`{p}`")).collect();
                write!(
                    f,
                    "call `{call}`: the samples of {} are paired by rank of their token count (the i-th of N requests takes the sample at the same quantile of each), so the longest meet the longest; {requests} requests priced",
                    names.join(" and ")
                )
            }
            Note::BatchCachedInput { call, model, rule } => {
                let rule = match rule {
                    BatchRule::StandardRate => "the standard cached rate",
                    BatchRule::BatchDiscount => "the cached rate with the batch discount",
                };
                write!(
                    f,
                    "call `{call}`: {model} lists no batch cached-input price; a batch run pays {rule}, as its pricing file says"
                )
            }
            Note::ConversationCache { call, writes } => {
                let writes = if *writes {
                    ", and writes what is new (all of it on a miss) at the cache-write price"
                } else {
                    ""
                };
                write!(
                    f,
                    "call `{call}`: each turn reads from the cache what the turn before sent (its prompt through the user's message){writes}"
                )
            }
            Note::WhatIf { said } => f.write_str(said),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn equal_notes_are_kept_once_whatever_their_words() {
        let mut notes = Vec::new();
        let cut = |call: &str| Note::PrefixCut {
            call: call.into(),
            variable: "ticket".into(),
            cacheable_tokens: Count(d("1640.4")),
            split_would_add: Count::default(),
        };
        push(&mut notes, cut("draft"));
        push(&mut notes, cut("draft"));
        push(&mut notes, cut("review"));
        assert_eq!(notes.len(), 2);
        // The words round the figure; the data keeps it.
        assert!(notes[0].to_string().contains("only the 1640 tokens"));
        assert_eq!(notes[0].level(), Level::Warning);
        assert_eq!(notes[0].call(), Some("draft"));
    }

    #[test]
    fn a_note_is_tagged_data_in_json() {
        let n = Note::Retiring {
            model: "gpt-4o-mini".into(),
            on: "2027-01-14".into(),
        };
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "retiring", "model": "gpt-4o-mini", "on": "2027-01-14"})
        );
        assert_eq!(serde_json::from_value::<Note>(json).unwrap(), n);
    }
}
