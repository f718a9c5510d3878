//! Resolved calls → token counts for the model that serves each call. Each
//! encoding is loaded at most once per process (see `tokens`).

use rust_decimal::Decimal;

use crate::pricing::ModelPrice;
use crate::resolve::{ResolvedCall, ResolvedMessage};
use crate::spec::Distribution;
use crate::tokens::{self, ChatMessage, Encoding};

/// The tokens of one run of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTokens {
    /// Every prompt token: messages with their chat framing, tool schemas,
    /// `{tokens: N}` variables. Averages over samples where there are any.
    pub prompt: Distribution,
    /// Tokens of the cacheable prefix (0 without `cache`).
    pub cacheable_prefix: Decimal,
    /// Output tokens, reasoning tokens included.
    pub output: Distribution,
    pub reasoning: Decimal,
    /// True where the count is not the model's own tokenizer's.
    pub estimated: bool,
    /// The last message, framing included: in a conversation, what each
    /// turn adds to the history on the user's side.
    pub last_message: Decimal,
}

pub fn count_call(call: &ResolvedCall, model: &ModelPrice) -> CallTokens {
    let encoding = model.tokenizer.encoding;
    let approximated_before = tokens::approximated();
    // A sourced factor corrects the stand-in encoding's count of text. It
    // does not touch the chat framing or `{tokens: N}`, which the user
    // stated in the model's own tokens.
    let scale = |n: Decimal| match model.tokenizer.factor {
        Some(f) => n * f,
        None => n,
    };
    let reply = Decimal::from(tokens::REPLY_PRIMING);
    let mut prompt = Distribution {
        mean: reply,
        p95: reply,
    };
    let mut prefix = Decimal::ZERO;
    let mut last_message = Decimal::ZERO;
    let tools = scale(Decimal::from(
        call.tools_json.as_deref().map_or(0, |j| encoding.count(j)),
    ));
    prompt.mean += tools;
    prompt.p95 += tools;
    for (i, m) in call.messages.iter().enumerate() {
        let t = message_tokens(encoding, m, &scale);
        prompt.mean += t.mean;
        prompt.p95 += t.p95;
        last_message = t.mean;
        if i < call.prefix_messages {
            prefix += t.mean;
        }
    }
    if call.prefix_messages > 0 {
        // Tool schemas come before the messages in the request, so they are
        // part of any cached prefix.
        prefix += tools;
    }
    let c = &call.call;
    CallTokens {
        prompt,
        cacheable_prefix: prefix,
        output: Distribution {
            mean: c.output_tokens.mean + c.reasoning_tokens,
            p95: c.output_tokens.p95 + c.reasoning_tokens,
        },
        reasoning: c.reasoning_tokens,
        estimated: !model.tokenizer.exact
            || call.tools_json.is_some()
            || tokens::approximated() > approximated_before,
        last_message,
    }
}

/// A message's tokens: framing and given tokens as they are, counted text
/// (its content and any samples) scaled by the tokenizer's factor.
fn message_tokens(
    encoding: Encoding,
    m: &ResolvedMessage,
    scale: &dyn Fn(Decimal) -> Decimal,
) -> Distribution {
    let framing = ChatMessage {
        role: &m.role,
        name: m.name.as_deref(),
        content: "",
    };
    let fixed = Decimal::from(tokens::message_tokens(encoding, &framing)) + m.given_tokens();
    let text = scale(Decimal::from(encoding.count(&m.text)));
    let mut d = Distribution {
        mean: fixed + text,
        p95: fixed + text,
    };
    for samples in m.samples() {
        let s = samples_tokens(encoding, samples);
        d.mean += scale(s.mean);
        d.p95 += scale(s.p95);
    }
    d
}

/// Mean and p95 tokens of a `samples` variable's files.
pub fn samples_tokens(encoding: Encoding, samples: &[String]) -> Distribution {
    distribution(
        &samples
            .iter()
            .map(|s| encoding.count(s))
            .collect::<Vec<_>>(),
    )
}

/// Mean and nearest-rank 95th percentile of some counts.
pub fn distribution(counts: &[u64]) -> Distribution {
    if counts.is_empty() {
        return Distribution {
            mean: Decimal::ZERO,
            p95: Decimal::ZERO,
        };
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let rank = (95 * n).div_ceil(100).max(1);
    let total: u64 = sorted.iter().sum();
    Distribution {
        mean: Decimal::from(total) / Decimal::from(n as u64),
        p95: Decimal::from(sorted[rank - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_p95() {
        let counts: Vec<u64> = (1..=20).collect();
        let d = distribution(&counts);
        assert_eq!(d.mean, "10.5".parse().unwrap());
        assert_eq!(d.p95, Decimal::from(19));
        assert_eq!(distribution(&[7]).p95, Decimal::from(7));
    }
}
