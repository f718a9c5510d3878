//! Resolved calls → token counts for the model that serves each call. Each
//! encoding is loaded at most once per process (see `tokens`).

use rust_decimal::Decimal;

use crate::pricing::ModelPrice;
use crate::resolve::{ResolvedCall, ResolvedMessage, VariableValue};
use crate::spec::Distribution;
use crate::tokens::{self, ChatMessage, Encoding};

/// The prompt of one request of a call, as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTokens {
    pub prompt: Decimal,
    /// The last message, framing included: in a conversation, what each
    /// turn adds to the history on the user's side.
    pub last_message: Decimal,
}

/// The tokens of one run of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTokens {
    /// Each request's prompt, equally likely and sorted by prompt: one per
    /// sample (see `pairing` for several sample variables), or just one.
    /// Prices are not linear in tokens (tiers, cache minimums), so each
    /// request is priced on its own.
    pub requests: Vec<RequestTokens>,
    /// Tokens of the cacheable prefix (0 without `cache`): the same on
    /// every request, so it stops before per-request content.
    pub cacheable_prefix: Decimal,
    /// The per-request variable the cacheable prefix stops before, where
    /// it stops short of `cache.prefix`.
    pub prefix_cut: Option<String>,
    /// With explicit caching: the tokens of the cut message before that
    /// variable, which a cache breakpoint there (splitting the message)
    /// would add to the prefix.
    pub prefix_head: Decimal,
    /// Output tokens, reasoning tokens included.
    pub output: Distribution,
    pub reasoning: Decimal,
    /// True where the count is not the model's own tokenizer's.
    pub estimated: bool,
    /// The sample variables paired into requests, where there are several.
    pub paired: Vec<String>,
}

pub fn count_call(call: &ResolvedCall, model: &ModelPrice) -> CallTokens {
    let encoding = model.tokenizer.encoding;
    // A sourced factor corrects the stand-in encoding's count of text. It
    // does not touch the chat framing or `{tokens: N}`, which the user
    // stated in the model's own tokens.
    let scale = |n: Decimal| match model.tokenizer.factor {
        Some(f) => n * f,
        None => n,
    };
    let pairing = Pairing::of(call, encoding);
    let n = pairing.requests;
    let paired: Vec<String> = if pairing.picks.len() > 1 {
        pairing.picks.iter().map(|(name, _)| name.clone()).collect()
    } else {
        Vec::new()
    };
    let tools_count = call
        .tools_json
        .as_deref()
        .map_or(tokens::Count::default(), |j| encoding.counted(j));
    let mut approximated = tools_count.approximated;
    let tools = scale(Decimal::from(tools_count.tokens));
    let start = Decimal::from(tokens::REPLY_PRIMING) + tools;
    let mut requests = vec![
        RequestTokens {
            prompt: start,
            last_message: Decimal::ZERO,
        };
        n
    ];
    let (prefix_messages, prefix_cut) = cacheable_messages(call);
    let mut prefix = Decimal::ZERO;
    let mut head = Decimal::ZERO;
    for (i, m) in call.messages.iter().enumerate() {
        let (counts, pieces) = message_tokens(encoding, m, &pairing, &scale);
        approximated |= pieces;
        for (r, t) in requests.iter_mut().zip(counts.iter().cycle()) {
            r.prompt += *t;
            r.last_message = *t;
        }
        if i < prefix_messages {
            // Messages before any per-request content count the same on
            // every request.
            prefix += counts[0];
        } else if i == prefix_messages && prefix_cut.is_some() {
            head = static_head(encoding, m, &scale);
        }
    }
    if call.prefix_messages > 0 {
        // Tool schemas come before the messages in the request, so they are
        // part of any cached prefix.
        prefix += tools;
    }
    // An automatic cache matches tokens, so it reaches into the message up
    // to its first varying token; an explicit one caches up to a
    // breakpoint, which sits between content blocks (messages here).
    let head_cached = matches!(model.caching, crate::pricing::CacheKind::Automatic { .. });
    if head_cached {
        prefix += head;
    }
    requests.sort_by_key(|r| r.prompt);
    let c = &call.call;
    let reasoning = c.reasoning_tokens.unwrap_or_default();
    CallTokens {
        requests,
        paired,
        cacheable_prefix: prefix,
        prefix_cut,
        prefix_head: if head_cached { Decimal::ZERO } else { head },
        output: Distribution {
            mean: crate::billing::billed_output(c.output_tokens.mean, reasoning),
            p95: crate::billing::billed_output(c.output_tokens.p95, reasoning),
        },
        reasoning,
        estimated: !model.tokenizer.exact || call.tools_json.is_some() || approximated,
    }
}

impl CallTokens {
    /// Every prompt token (messages with their chat framing, tool schemas,
    /// `{tokens: N}` variables): the mean and p95 of the requests.
    pub fn prompt(&self) -> Distribution {
        let n = self.requests.len().max(1);
        Distribution {
            mean: self.requests.iter().map(|r| r.prompt).sum::<Decimal>() / Decimal::from(n as u64),
            p95: self
                .requests
                .get(nearest_rank_95(n))
                .map_or(Decimal::ZERO, |r| r.prompt),
        }
    }

    /// The mean of the requests' last messages: what each turn of a
    /// conversation adds to the history on the user's side.
    pub fn last_message(&self) -> Decimal {
        let n = self.requests.len().max(1);
        self.requests
            .iter()
            .map(|r| r.last_message)
            .sum::<Decimal>()
            / Decimal::from(n as u64)
    }
}

/// The messages of the cacheable prefix that are the same on every
/// request: up to `cache.prefix`, stopping before the first message with
/// per-request content (content that differs on every request is never a
/// cache hit across requests), and that content's name where it cuts.
fn cacheable_messages(call: &ResolvedCall) -> (usize, Option<String>) {
    for (i, m) in call.messages.iter().take(call.prefix_messages).enumerate() {
        if let Some(v) = m.variables.iter().find(|v| v.per_request) {
            return (i, Some(v.name.clone()));
        }
    }
    (call.prefix_messages, None)
}

/// The tokens of message `m` before its first per-request variable, which
/// every request sends alike: the framing before its content (all but the
/// end-of-message token), the `{ tokens: N }` variables before it, and the
/// text before it but its last token, which may merge with what follows.
/// Counting one token short errs high, as a budget should.
fn static_head(
    encoding: Encoding,
    m: &ResolvedMessage,
    scale: &dyn Fn(Decimal) -> Decimal,
) -> Decimal {
    let Some((offset, index)) = m.first_varying else {
        return Decimal::ZERO;
    };
    let framing = ChatMessage {
        role: &m.role,
        name: m.name.as_deref(),
        content: "",
    };
    let before_content = tokens::message_tokens(encoding, &framing).saturating_sub(1);
    let stated: Decimal = m.variables[..index]
        .iter()
        .map(|v| match v.value {
            VariableValue::Tokens(n) => n,
            _ => Decimal::ZERO,
        })
        .sum();
    let text = encoding.count(&m.text[..offset]).saturating_sub(1);
    Decimal::from(before_content) + stated + scale(Decimal::from(text))
}

/// Index of the nearest-rank 95th percentile in `n` sorted values.
pub fn nearest_rank_95(n: usize) -> usize {
    (95 * n).div_ceil(100).max(1) - 1
}

/// Which sample of each `samples` variable goes into each request. One
/// variable: request i is sample i. Several: there are as many requests as
/// the longest list has samples, and each variable's samples are paired
/// by rank of their token count (the i-th of N requests takes the sample at
/// the same quantile of each), so long samples meet long ones. This keeps
/// every mean exact and puts the longest prompts together, where tier
/// cliffs and context windows bite: a budget errs high.
struct Pairing {
    requests: usize,
    /// Per variable name: the sample index of each request.
    picks: Vec<(String, Vec<usize>)>,
}

impl Pairing {
    fn of(call: &ResolvedCall, encoding: Encoding) -> Pairing {
        let mut vars: Vec<(&str, &[String])> = Vec::new();
        for m in &call.messages {
            for s in m.variables.iter().filter_map(|v| match &v.value {
                VariableValue::Samples(s) => Some((v.name.as_str(), s.as_slice())),
                _ => None,
            }) {
                if !vars.iter().any(|(name, _)| *name == s.0) {
                    vars.push(s);
                }
            }
        }
        let requests = vars.iter().map(|(_, s)| s.len()).max().unwrap_or(1).max(1);
        let picks = vars
            .iter()
            .map(|(name, samples)| {
                let order: Vec<usize> = if vars.len() == 1 {
                    (0..samples.len()).collect()
                } else {
                    let mut by_count: Vec<(u64, usize)> = samples
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (encoding.count(s), i))
                        .collect();
                    by_count.sort_unstable();
                    by_count.into_iter().map(|(_, i)| i).collect()
                };
                let len = order.len();
                let pick = (0..requests).map(|r| order[r * len / requests]).collect();
                (name.to_string(), pick)
            })
            .collect();
        Pairing { requests, picks }
    }

    fn sample<'s>(&self, name: &str, request: usize, samples: &'s [String]) -> &'s str {
        self.picks
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, p)| samples[p[request]].as_str())
    }
}

/// A message's tokens on each request (one figure where it has no
/// samples): framing and given tokens as they are, text scaled by the
/// tokenizer's factor. Samples are counted inside the message as sent:
/// tokens merge across the seam, so a sample alone counts differently.
/// True beside them where some text was counted in pieces.
fn message_tokens(
    encoding: Encoding,
    m: &ResolvedMessage,
    pairing: &Pairing,
    scale: &dyn Fn(Decimal) -> Decimal,
) -> (Vec<Decimal>, bool) {
    let framing = ChatMessage {
        role: &m.role,
        name: m.name.as_deref(),
        content: "",
    };
    let fixed = Decimal::from(tokens::message_tokens(encoding, &framing)) + m.given_tokens();
    if m.sample_slots.is_empty() {
        let n = encoding.counted(&m.text);
        return (vec![fixed + scale(Decimal::from(n.tokens))], n.approximated);
    }
    // Rendered here (the samples are shared, not thread-safe), counted on
    // every core.
    let rendered: Vec<String> = (0..pairing.requests)
        .map(|r| {
            let mut text = String::new();
            m.render(&mut text, |v| {
                let VariableValue::Samples(s) = &v.value else {
                    return "";
                };
                pairing.sample(&v.name, r, s)
            });
            text
        })
        .collect();
    let counts = crate::stream::count_each(encoding, &rendered);
    let approximated = counts.iter().any(|n| n.approximated);
    let tokens = counts
        .into_iter()
        .map(|n| fixed + scale(Decimal::from(n.tokens)))
        .collect();
    (tokens, approximated)
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
    let total: u64 = sorted.iter().sum();
    Distribution {
        mean: Decimal::from(total) / Decimal::from(n as u64),
        p95: Decimal::from(sorted[nearest_rank_95(n)]),
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
