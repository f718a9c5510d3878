//! Counting a stream of text in pieces on every core, with memory bounded
//! by a few blocks whatever the stream's size, and the count tiktoken gives
//! for the whole text. tiktoken splits text with a regular expression before
//! it merges tokens, and no piece it splits off spans a newline followed by
//! an ASCII letter: cutting the stream right after such a newline gives the
//! same pieces, so the counts of the parts add up to the count of the whole.

use std::io::Read;
use std::sync::mpsc;

use crate::tokens::{Count, Encoding};

/// Bytes read at a time.
const BLOCK: usize = 4 << 20;

/// A text with no safe cut for this long is cut anyway (at a newline or a
/// character boundary), and its count marked as an estimate.
const MAX_PIECE: usize = 64 << 20;

/// Why a stream could not be counted.
#[derive(Debug)]
pub enum StreamError {
    Io(std::io::Error),
    /// Not UTF-8, at this byte offset.
    NotUtf8(u64),
}

/// The last place in `bytes` after which a cut keeps `encoding`'s pieces:
/// a newline followed by an ASCII letter (the cut goes between them).
/// p50k_base and r50k_base split whitespace with `\s+(?!\S)|\s+`: a run of
/// whitespace that ends a text is one piece, but before a letter its last
/// character is a piece of its own ("\n\n" then "A" is "\n", "\n", "A"), so
/// there the newline must also follow a character that is not whitespace.
/// o200k and cl100k take newline runs whole (`\s*[\r\n]+`) either way.
fn safe_cut(encoding: Encoding, bytes: &[u8]) -> Option<usize> {
    let whitespace_splits = matches!(encoding, Encoding::P50kBase | Encoding::R50kBase);
    let mut end = bytes.len();
    loop {
        let i = bytes[..end]
            .windows(2)
            .rposition(|w| w[0] == b'\n' && w[1].is_ascii_alphabetic())?;
        if !whitespace_splits || !whitespace_before(bytes, i) {
            return Some(i + 1);
        }
        end = i + 1;
    }
}

/// Whether the character that ends just before `at` is whitespace (or
/// there is none, or it is not UTF-8: no cut there either way).
fn whitespace_before(bytes: &[u8], at: usize) -> bool {
    let mut start = at;
    while start > 0 && at - start < 4 {
        start -= 1;
        if (bytes[start] & 0xC0) != 0x80 {
            break;
        }
    }
    match std::str::from_utf8(&bytes[start..at]) {
        Ok(s) => s.chars().next_back().is_none_or(char::is_whitespace),
        Err(_) => true,
    }
}

/// A cut for a text with no safe one: after its last newline, else at its
/// last character boundary.
fn forced_cut(bytes: &[u8]) -> usize {
    if let Some(i) = bytes.iter().rposition(|&b| b == b'\n') {
        return i + 1;
    }
    let mut cut = bytes.len();
    while cut > 0 && (bytes[cut - 1] & 0xC0) == 0x80 {
        cut -= 1;
    }
    cut.saturating_sub(1).max(1)
}

/// The tokens of everything `reader` holds, counted on `threads` threads.
pub fn count(
    encoding: Encoding,
    mut reader: impl Read,
    threads: usize,
) -> Result<Count, StreamError> {
    let threads = threads.max(1);
    // Bounded: the reader waits while every worker is busy and one piece
    // is queued, so memory stays at a few blocks.
    let (send, receive) = mpsc::sync_channel::<String>(threads);
    let receive = std::sync::Mutex::new(receive);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let receive = &receive;
                s.spawn(move || {
                    let mut total = Count::default();
                    loop {
                        let piece = match receive.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        match piece {
                            Ok(text) => total = total + encoding.counted_uncached(&text),
                            Err(_) => break,
                        }
                    }
                    total
                })
            })
            .collect();
        let fed = feed(encoding, &mut reader, &send);
        drop(send);
        let total: Count = workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .sum();
        fed.map(|forced| Count {
            approximated: total.approximated || forced,
            ..total
        })
    })
}

/// The tokens of each text, counted on every core (samples of a spec:
/// thousands of texts, each counted as rendered inside its message).
pub fn count_each(encoding: Encoding, texts: &[String]) -> Vec<Count> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || texts.len() < 64 {
        return texts.iter().map(|t| encoding.counted(t)).collect();
    }
    let size = texts.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = texts
            .chunks(size)
            .map(|part| {
                s.spawn(move || part.iter().map(|t| encoding.counted(t)).collect::<Vec<_>>())
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_default())
            .collect()
    })
}

/// Reads `reader` block by block and sends it on in pieces cut safely;
/// true where a piece had to be cut where the cut may change the count.
fn feed(
    encoding: Encoding,
    reader: &mut impl Read,
    send: &mpsc::SyncSender<String>,
) -> Result<bool, StreamError> {
    let mut forced = false;
    let mut pending: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    let mut offset = 0u64;
    let mut block = vec![0u8; BLOCK];
    loop {
        let n = reader.read(&mut block).map_err(StreamError::Io)?;
        let end = n == 0;
        pending.extend_from_slice(&block[..n]);
        let cut = if end {
            Some(pending.len())
        } else if pending.len() >= BLOCK {
            safe_cut(encoding, &pending).or_else(|| {
                (pending.len() >= MAX_PIECE).then(|| {
                    forced = true;
                    forced_cut(&pending)
                })
            })
        } else {
            None
        };
        if let Some(cut) = cut.filter(|c| *c > 0) {
            let rest = pending.split_off(cut);
            let piece = std::mem::replace(&mut pending, rest);
            let len = piece.len() as u64;
            let text = String::from_utf8(piece)
                .map_err(|e| StreamError::NotUtf8(offset + e.utf8_error().valid_up_to() as u64))?;
            offset += len;
            if send.send(text).is_err() {
                break;
            }
        }
        if end {
            break;
        }
    }
    Ok(forced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_only_where_tiktoken_would_split_anyway() {
        let o200k = Encoding::O200kBase;
        assert_eq!(safe_cut(o200k, b"abc.\nxyz"), Some(5));
        assert_eq!(
            safe_cut(o200k, b"abc\n xyz"),
            None,
            "a space after the newline could join it"
        );
        assert_eq!(safe_cut(o200k, b"abc\n1"), None);
        // After a blank line: o200k cuts there, p50k looks further back.
        assert_eq!(safe_cut(o200k, b"a\nb\n\nc"), Some(5));
        assert_eq!(safe_cut(Encoding::P50kBase, b"a\nb\n\nc"), Some(2));
        assert_eq!(safe_cut(Encoding::R50kBase, b"a\nb \nc"), Some(2));
        assert_eq!(
            safe_cut(Encoding::R50kBase, "a\u{3000}\nc".as_bytes()),
            None
        );
        // At each cut p50k and r50k find, the pieces' counts add up to the
        // whole text's, where a cut after the blank line would lose one.
        let text = "Intro line.\n\nNext paragraph \nthen a line\n".repeat(300);
        for enc in [
            Encoding::P50kBase,
            Encoding::R50kBase,
            o200k,
            Encoding::Cl100kBase,
        ] {
            let whole = enc.counted_uncached(&text).tokens;
            let mut parts = 0;
            let mut rest = text.as_bytes();
            while let Some(cut) = safe_cut(enc, &rest[..rest.len().min(500)]) {
                parts += enc
                    .counted_uncached(std::str::from_utf8(&rest[..cut]).unwrap())
                    .tokens;
                rest = &rest[cut..];
            }
            parts += enc
                .counted_uncached(std::str::from_utf8(rest).unwrap())
                .tokens;
            assert_eq!(parts, whole, "{enc:?}");
        }
        let blank = Encoding::P50kBase;
        let (left, right) = ("x\n\n", "A");
        assert_eq!(
            blank.counted_uncached(left).tokens + blank.counted_uncached(right).tokens,
            blank.counted_uncached("x\n\nA").tokens - 1,
            "why p50k cannot be cut after a blank line"
        );
        // Counted in small pieces, the sum is tiktoken's count of the whole.
        let text =
            "Hello there.\nThe second line, with words.\n\n  indented\nLast line\n".repeat(500);
        let whole = Encoding::O200kBase.counted_uncached(&text).tokens;
        let mut parts = 0;
        let mut rest = text.as_bytes();
        while let Some(cut) = safe_cut(o200k, &rest[..rest.len().min(700)]) {
            parts += Encoding::O200kBase
                .counted_uncached(std::str::from_utf8(&rest[..cut]).unwrap())
                .tokens;
            rest = &rest[cut..];
        }
        parts += Encoding::O200kBase
            .counted_uncached(std::str::from_utf8(rest).unwrap())
            .tokens;
        assert_eq!(parts, whole);
        assert_eq!(
            count(Encoding::O200kBase, text.as_bytes(), 2)
                .unwrap()
                .tokens,
            whole
        );
    }
}
