//! Token counting with OpenAI's BPE encodings (tiktoken-rs). Each encoding
//! is loaded on first use and only then; a run that never counts text never
//! pays for a load.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

use tiktoken_rs::CoreBPE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    O200kBase,
    O200kHarmony,
    Cl100kBase,
    P50kBase,
    R50kBase,
}

impl Encoding {
    pub const ALL: [Encoding; 5] = [
        Encoding::O200kBase,
        Encoding::O200kHarmony,
        Encoding::Cl100kBase,
        Encoding::P50kBase,
        Encoding::R50kBase,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::O200kHarmony => "o200k_harmony",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::R50kBase => "r50k_base",
        }
    }

    /// The loaded BPE; the first call per encoding builds it (about 0.2 s
    /// for o200k_base in a release build), later calls are free.
    fn bpe(self) -> &'static CoreBPE {
        LOADED.fetch_or(1 << self as u8, Ordering::Relaxed);
        match self {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::O200kHarmony => tiktoken_rs::o200k_harmony_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
            Encoding::P50kBase => tiktoken_rs::p50k_base_singleton(),
            Encoding::R50kBase => tiktoken_rs::r50k_base_singleton(),
        }
    }

    /// Tokens of `text` as ordinary text: a prompt that contains the string
    /// `<|endoftext|>` is billed for those characters, not for a special token.
    /// Says whether the count is tiktoken's own (see `counted_uncached`).
    pub fn counted(self, text: &str) -> Count {
        if text.is_empty() {
            return Count::default();
        }
        // `--compare all` and `check` on many specs count the same prompt
        // files again and again; long texts are remembered per encoding,
        // keyed by their BLAKE3 hash (not a copy of the text).
        if text.len() < MEMO_MIN_BYTES {
            return self.counted_uncached(text);
        }
        let key = (self, *blake3::hash(text.as_bytes()).as_bytes());
        if let Some(n) = MEMO.with(|m| m.borrow().get(&key).copied()) {
            return n;
        }
        let n = self.counted_uncached(text);
        MEMO.with(|m| m.borrow_mut().insert(key, n));
        n
    }

    /// The number alone, for figures that only guide (ranking samples for
    /// pairing, the savings drivers); an estimate's counts use `counted`.
    pub fn count(self, text: &str) -> u64 {
        self.counted(text).tokens
    }
}

/// A token count, and whether some of it was counted in pieces because
/// tiktoken could not count the text whole (then it is an estimate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub tokens: u64,
    pub approximated: bool,
}

impl std::ops::Add for Count {
    type Output = Count;
    fn add(self, o: Count) -> Count {
        Count {
            tokens: self.tokens + o.tokens,
            approximated: self.approximated || o.approximated,
        }
    }
}

impl std::iter::Sum for Count {
    fn sum<I: Iterator<Item = Count>>(iter: I) -> Count {
        iter.fold(Count::default(), |a, b| a + b)
    }
}

const MEMO_MIN_BYTES: usize = 256;

/// Pieces a text tiktoken cannot count is cut into.
const PIECE_BYTES: usize = 64 << 10;

/// The longest run of non-whitespace counted whole (256 KB), and the
/// pieces a text with a longer one is counted in (merge time grows with the
/// square of a piece: 1 KB pieces keep it linear in the text).
const MAX_RUN_BYTES: usize = 256 << 10;
const RUN_PIECE_BYTES: usize = 1 << 10;

/// The longest run of bytes with no ASCII whitespace in `text`.
fn longest_unbroken_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for b in text.bytes() {
        if b.is_ascii_whitespace() {
            longest = longest.max(run);
            run = 0;
        } else {
            run += 1;
        }
    }
    longest.max(run)
}

impl Encoding {
    /// tiktoken's own count. tiktoken (OpenAI's Python package and
    /// tiktoken-rs alike) gives up on a long run of whitespace (about a
    /// megabyte: "Max stack size exceeded for backtracking"), and tiktoken-rs
    /// panics there. Such a text is counted in pieces instead, and its
    /// count says so (`approximated`); every text tiktoken can count is
    /// counted exactly as it does.
    pub(crate) fn counted_uncached(self, text: &str) -> Count {
        let approximated = |tokens| Count {
            tokens,
            approximated: true,
        };
        let bpe = self.bpe();
        // One pre-token that long (8 MB of letters with no space is one
        // piece) costs tiktoken's merge time quadratic in its length: 18 s
        // for 8 MB. No prompt has such a word; it is counted in pieces and
        // marked as an estimate, like the whitespace runs below.
        if longest_unbroken_run(text) > MAX_RUN_BYTES {
            return approximated(self.count_in_pieces(text, RUN_PIECE_BYTES));
        }
        match std::panic::catch_unwind(|| bpe.count_ordinary(text)) {
            Ok(n) => Count {
                tokens: n as u64,
                approximated: false,
            },
            Err(_) => approximated(self.count_in_pieces(text, PIECE_BYTES)),
        }
    }

    fn count_in_pieces(self, text: &str, piece_bytes: usize) -> u64 {
        let bpe = self.bpe();
        let mut total = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let mut cut = rest.len().min(piece_bytes);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let (piece, tail) = rest.split_at(cut);
            // A 64 KB piece is far inside what tiktoken handles; should one
            // still fail, its bytes stand in for its tokens (an upper bound).
            total += std::panic::catch_unwind(|| bpe.count_ordinary(piece))
                .map_or(piece.len() as u64, |n| n as u64);
            rest = tail;
        }
        total
    }
}

type MemoKey = (Encoding, [u8; 32]);

thread_local! {
    static MEMO: std::cell::RefCell<std::collections::HashMap<MemoKey, Count>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Which encodings this process has loaded, one bit per `Encoding`.
static LOADED: AtomicU8 = AtomicU8::new(0);

/// The encodings loaded so far, so a test (or a curious user) can check that
/// a run loaded only what it needed.
pub fn loaded_encodings() -> Vec<Encoding> {
    let bits = LOADED.load(Ordering::Relaxed);
    Encoding::ALL
        .into_iter()
        .filter(|e| bits & (1 << *e as u8) != 0)
        .collect()
}

/// Tokens of a chat role's name. The chat encodings spell every standard
/// role as one token; knowing that lets a spec made only of `{tokens: N}`
/// variables be priced without loading a tokenizer at all.
fn role_tokens(encoding: Encoding, role: &str) -> u64 {
    let chat_encoding = matches!(
        encoding,
        Encoding::O200kBase | Encoding::O200kHarmony | Encoding::Cl100kBase
    );
    if chat_encoding && matches!(role, "system" | "developer" | "user" | "assistant" | "tool") {
        1
    } else {
        encoding.count(role)
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Encoding::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Encoding::ALL.iter().map(|e| e.name()).collect();
                format!("unknown encoding `{s}` (known: {})", names.join(", "))
            })
    }
}

/// OpenAI's published recipe for chat models (the cookbook's
/// `num_tokens_from_messages`): every message costs 3 tokens of framing plus
/// its role and content, a `name` costs 1 more, and 3 tokens prime the reply.
pub const TOKENS_PER_MESSAGE: u64 = 3;
pub const TOKENS_PER_NAME: u64 = 1;
pub const REPLY_PRIMING: u64 = 3;

pub struct ChatMessage<'a> {
    pub role: &'a str,
    pub name: Option<&'a str>,
    pub content: &'a str,
}

/// Tokens of one message in a chat request, framing included.
pub fn message_tokens(encoding: Encoding, message: &ChatMessage) -> u64 {
    let mut n =
        TOKENS_PER_MESSAGE + role_tokens(encoding, message.role) + encoding.count(message.content);
    if let Some(name) = message.name {
        n += encoding.count(name) + TOKENS_PER_NAME;
    }
    n
}

/// Prompt tokens of a whole chat request, as the API bills `prompt_tokens`.
pub fn chat_tokens(encoding: Encoding, messages: &[ChatMessage]) -> u64 {
    REPLY_PRIMING
        + messages
            .iter()
            .map(|m| message_tokens(encoding, m))
            .sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_longer_than_256_kb_is_counted_in_pieces_and_marked() {
        // 300 KB of letters with no space: one pre-token, whose merge time
        // is quadratic; counted in 1 KB pieces instead, and said to be an
        // estimate. A text of ordinary words is not touched.
        let word: String = (0..300_000u32)
            .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
            .collect();
        let n = Encoding::O200kBase.counted(&word);
        assert!(n.approximated);
        assert!(n.tokens > 0 && n.tokens <= word.len() as u64);
        assert!(!Encoding::O200kBase.counted("a few words").approximated);
        let prose = "a few ordinary words ".repeat(20_000);
        assert!(longest_unbroken_run(&prose) <= MAX_RUN_BYTES);
        assert_eq!(longest_unbroken_run(&word), 300_000);
    }

    #[test]
    fn special_token_text_is_ordinary_text() {
        // As a special token this would be 1; as text it is several.
        assert!(Encoding::Cl100kBase.count("<|endoftext|>") > 1);
    }

    #[test]
    fn chat_overhead_follows_the_recipe() {
        let m = ChatMessage {
            role: "user",
            name: None,
            content: "hello",
        };
        let text = Encoding::O200kBase.count("hello");
        assert_eq!(chat_tokens(Encoding::O200kBase, &[m]), text + 1 + 3 + 3);
    }

    #[test]
    fn known_role_counts_match_the_encodings() {
        for e in Encoding::ALL {
            for role in [
                "system",
                "developer",
                "user",
                "assistant",
                "tool",
                "narrator",
            ] {
                assert_eq!(role_tokens(e, role), e.count(role), "{e} {role}");
            }
        }
    }

    #[test]
    fn encodings_parse_by_name() {
        assert_eq!("cl100k_base".parse::<Encoding>(), Ok(Encoding::Cl100kBase));
        assert!(
            "o300k"
                .parse::<Encoding>()
                .unwrap_err()
                .contains("o200k_base")
        );
    }
}
