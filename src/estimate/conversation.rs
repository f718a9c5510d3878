//! A conversation's turns as runs: each re-sends its history, and each can
//! read from the cache what the turn before it left there.

use rust_decimal::Decimal;

use super::Run;
use crate::count::RequestTokens;
use crate::spec::History;
use crate::tokens::{REPLY_PRIMING, TOKENS_PER_MESSAGE};

/// How a conversation re-sends its past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationShape {
    pub turns: u32,
    pub history: History,
}

/// Tokens of the history re-sent at turn `t` (1-based): each kept turn is
/// the user's message plus the assistant's reply with its chat framing; a
/// summary replaces them all with one message.
pub fn history_tokens(
    shape: &ConversationShape,
    t: u32,
    user_message: Decimal,
    reply: Decimal,
) -> Decimal {
    let prior = t.saturating_sub(1);
    let assistant = Decimal::from(TOKENS_PER_MESSAGE + 1) + reply;
    match shape.history {
        History::Full => Decimal::from(prior) * (user_message + assistant),
        History::Window(k) => Decimal::from(prior.min(k)) * (user_message + assistant),
        History::Summary(s) if prior > 0 => s + Decimal::from(TOKENS_PER_MESSAGE + 1),
        History::Summary(_) => Decimal::ZERO,
    }
}

/// Whether turn `t` starts with everything turn `t − 1` sent: true while
/// the whole history is kept; false once a window drops a turn or a
/// summary replaces it, and then only the call's own prefix is shared.
fn continues(shape: &ConversationShape, t: u32) -> bool {
    match shape.history {
        History::Full => true,
        History::Window(k) => t.saturating_sub(1) <= k,
        History::Summary(_) => t <= 1,
    }
}

/// The runs of one conversation of request `r`. Turn t sends the call's
/// prompt plus the history; its prefix through its user message, `X_t`, is
/// what the next turn can read from the cache (`X_0` is the call's
/// cacheable prefix `prefix`). `reply` is the assistant's visible answer
/// that the history re-sends; `output` what each turn is billed for.
pub fn turns(
    shape: &ConversationShape,
    r: &RequestTokens,
    prefix: Decimal,
    reply: Decimal,
    output: Decimal,
) -> Vec<Run> {
    let priming = Decimal::from(REPLY_PRIMING);
    let mut previous = prefix;
    (1..=shape.turns)
        .map(|t| {
            let prompt = r.prompt + history_tokens(shape, t, r.last_message, reply);
            let own = prompt - priming;
            let earlier = if continues(shape, t) {
                previous
            } else {
                prefix
            };
            previous = own;
            Run {
                prompt,
                output,
                earlier,
                own,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn each_turn_can_read_what_the_turn_before_sent() {
        // System 2,000 (cached prefix), the user's message 100 framed, the
        // reply 200, priming 3: turn 1 sends 2,000 + 100 + 3 = 2,103 and
        // leaves X_1 = 2,100. Turn 2 adds the history 100 + (4 + 200) = 304:
        // it sends 2,407, reads up to X_1 = 2,100 and leaves X_2 = 2,404.
        let shape = ConversationShape {
            turns: 3,
            history: History::Full,
        };
        let r = RequestTokens {
            prompt: d("2103"),
            last_message: d("100"),
        };
        let runs = turns(&shape, &r, d("2000"), d("200"), d("250"));
        let got: Vec<_> = runs.iter().map(|r| (r.prompt, r.earlier, r.own)).collect();
        assert_eq!(
            got,
            vec![
                (d("2103"), d("2000"), d("2100")),
                (d("2407"), d("2100"), d("2404")),
                (d("2711"), d("2404"), d("2708")),
            ]
        );
        assert!(runs.iter().all(|r| r.output == d("250")));
    }

    #[test]
    fn a_window_that_drops_a_turn_shares_only_the_prefix() {
        // window 1: turn 2 keeps turn 1 (a continuation); turn 3 drops it.
        let shape = ConversationShape {
            turns: 3,
            history: History::Window(1),
        };
        let r = RequestTokens {
            prompt: d("2103"),
            last_message: d("100"),
        };
        let runs = turns(&shape, &r, d("2000"), d("200"), d("0"));
        assert_eq!(runs[1].earlier, d("2100"));
        assert_eq!(runs[2].earlier, d("2000"));
        // turn 3 still sends one kept turn: 2,103 + 304
        assert_eq!(runs[2].prompt, d("2407"));
    }
}
