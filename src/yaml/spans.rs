//! Where every key and value of a YAML document is written, from one pass
//! over saphyr-parser's events (which carry marks; serde_yaml's only come
//! with its errors). Locating a value is then a lookup.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::Seg;
use crate::diagnostic::Location;

/// Aliases followed while resolving one path: a cycle of them stops here.
const MAX_ALIAS_HOPS: usize = 16;

#[derive(Debug, Default)]
pub struct Spans {
    values: HashMap<Vec<Seg>, Location>,
    keys: HashMap<Vec<Seg>, Location>,
    /// An alias written at the first path stands for the node anchored at
    /// the second.
    aliases: Vec<(Vec<Seg>, Vec<Seg>)>,
}

/// A collection being read, and where its next node goes.
enum Frame {
    Map {
        path: Vec<Seg>,
        /// The key read whose value comes next; None while a key comes next.
        key: Option<String>,
        /// Inside a key that is itself a collection: nothing under it is a
        /// path a spec names.
        complex_key: bool,
    },
    Seq {
        path: Vec<Seg>,
        next: usize,
    },
    /// A collection used as a mapping key, skipped.
    Skipped,
}

/// A block scalar (`|`, `>-`) is located at its indicator, where the
/// value is written, not at its first line of text: the indicator that ends
/// the nearest line above `content_line` (a comment after it aside).
fn block_indicator(lines: &[&str], content_line: usize) -> Option<Location> {
    let line = (1..content_line)
        .rev()
        .find(|l| lines.get(l - 1).is_some_and(|t| !t.trim().is_empty()))?;
    let text = lines[line - 1];
    let code = text.find(" #").map_or(text, |i| &text[..i]).trim_end();
    let header = code.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    let at = header.len().checked_sub(1)?;
    matches!(header.as_bytes()[at], b'|' | b'>').then(|| Location {
        line,
        column: header[..at].chars().count() + 1,
    })
}

/// A block sequence that is a mapping's value, written at the key's own
/// indentation (`list:` then `- x`), starts at its first dash; saphyr marks
/// the first item instead.
fn sequence_dash(lines: &[&str], at: Location) -> Option<Location> {
    let text = lines.get(at.line.checked_sub(1)?)?;
    let before: String = text.chars().take(at.column - 1).collect();
    let rest = before.trim_end();
    (rest.trim_start() == "-").then(|| Location {
        line: at.line,
        column: rest.chars().count(),
    })
}

/// Builds `Spans` from events as they are parsed, so the tree and the
/// index come from one pass over the text.
pub struct Indexer<'s> {
    spans: Spans,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Vec<Seg>>,
    lines: Vec<&'s str>,
}

impl<'s> Indexer<'s> {
    pub fn new(source: &'s str) -> Indexer<'s> {
        Indexer {
            spans: Spans::default(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            lines: source.lines().collect(),
        }
    }

    /// Indexes one event, and returns where it is written.
    pub fn event(&mut self, event: &Event, span: Span) -> Location {
        let mut at = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        if let Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, ..) = event {
            at = block_indicator(&self.lines, at.line).unwrap_or(at);
        }
        if let (Event::SequenceStart(..), Some(Frame::Map { .. })) = (event, self.stack.last()) {
            at = sequence_dash(&self.lines, at).unwrap_or(at);
        }
        let spans = &mut self.spans;
        let stack = &mut self.stack;
        match event {
            Event::Scalar(text, _, anchor, _) => {
                if let Some(path) = spans.node(stack, at, Some(text))
                    && *anchor != 0
                {
                    self.anchors.insert(*anchor, path);
                }
            }
            Event::Alias(id) => {
                if let Some(path) = spans.node(stack, at, None)
                    && let Some(target) = self.anchors.get(id)
                {
                    spans.aliases.push((path, target.clone()));
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let frame = match spans.node(stack, at, None) {
                    Some(path) => {
                        if *anchor != 0 {
                            self.anchors.insert(*anchor, path.clone());
                        }
                        if is_map {
                            Frame::Map {
                                path,
                                key: None,
                                complex_key: false,
                            }
                        } else {
                            Frame::Seq { path, next: 0 }
                        }
                    }
                    None => Frame::Skipped,
                };
                stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
        at
    }

    pub fn finish(self) -> Spans {
        self.spans
    }
}

impl Spans {
    /// The spans of `source`. A document that does not parse keeps what was
    /// read before the error.
    pub fn of(source: &str) -> Spans {
        let mut indexer = Indexer::new(source);
        for item in Parser::new_from_str(source) {
            let Ok((event, span)) = item else { break };
            indexer.event(&event, span);
        }
        indexer.finish()
    }

    /// Places a node that starts at `at` (a scalar's text given) in the
    /// collection on top of the stack, and returns its path: None for a
    /// mapping key, and for anything inside a skipped collection.
    fn node(&mut self, stack: &mut [Frame], at: Location, text: Option<&str>) -> Option<Vec<Seg>> {
        let path = match stack.last_mut() {
            None => Vec::new(),
            Some(Frame::Skipped) => return None,
            Some(Frame::Seq { path, next }) => {
                let mut p = path.clone();
                p.push(Seg::Index(*next));
                *next += 1;
                p
            }
            Some(Frame::Map {
                path,
                key,
                complex_key,
            }) => match key.take() {
                None => {
                    match text {
                        Some(k) => {
                            let mut p = path.clone();
                            p.push(Seg::Key(k.to_string()));
                            self.keys.entry(p).or_insert(at);
                            *key = Some(k.to_string());
                        }
                        // A key that is not a scalar names no path; its
                        // value gets none either.
                        None => {
                            *complex_key = true;
                            *key = Some(String::new());
                        }
                    }
                    return None;
                }
                // The value of a key that is not a scalar: no path.
                Some(_) if *complex_key => {
                    *complex_key = false;
                    return None;
                }
                Some(k) => {
                    let mut p = path.clone();
                    p.push(Seg::Key(k));
                    p
                }
            },
        };
        self.values.entry(path.clone()).or_insert(at);
        Some(path)
    }

    /// `path` with the aliases along it followed to what they stand for.
    fn resolve(&self, path: &[Seg]) -> Vec<Seg> {
        let mut path = path.to_vec();
        for _ in 0..MAX_ALIAS_HOPS {
            let hop = self
                .aliases
                .iter()
                .filter(|(at, _)| path.starts_with(at) && at.len() < path.len())
                .max_by_key(|(at, _)| at.len());
            let Some((at, target)) = hop else { break };
            let mut resolved = target.clone();
            resolved.extend_from_slice(&path[at.len()..]);
            path = resolved;
        }
        path
    }

    /// Where the value at `path` starts (an alias: where the node it stands
    /// for does).
    pub fn value(&self, path: &[Seg]) -> Option<Location> {
        let path = self.resolve(path);
        self.aliases
            .iter()
            .find(|(at, _)| *at == path)
            .and_then(|(_, target)| self.values.get(target))
            .or_else(|| self.values.get(&path))
            .copied()
    }

    /// Where the key at the end of `path` is written.
    pub fn key(&self, path: &[Seg]) -> Option<Location> {
        self.keys.get(&self.resolve(path)).copied()
    }

    /// Where the value at `path` is, or its nearest parent that is there
    /// (a key the document leaves out is reported at its mapping).
    pub fn locate(&self, path: &super::Path) -> Option<Location> {
        (0..=path.0.len())
            .rev()
            .find_map(|len| self.value(&path.0[..len]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    fn at(line: usize, column: usize) -> Option<Location> {
        Some(Location { line, column })
    }

    #[test]
    fn every_key_and_value_is_where_it_is_written() {
        // Columns are 1-based characters; a block collection starts at its
        // first key or dash, a block scalar at its indicator.
        let source =
            "a: 1\nb:\n  c: 'x'\n  d:\n  - 2\n  - {e: 3}\nf: >-\n  folded\n  text\nclé: ü\n";
        let s = Spans::of(source);
        assert_eq!(s.value(&[key("a")]), at(1, 4));
        assert_eq!(s.key(&[key("a")]), at(1, 1));
        assert_eq!(s.value(&[key("b")]), at(3, 3));
        assert_eq!(s.value(&[key("b"), key("c")]), at(3, 6));
        assert_eq!(s.value(&[key("b"), key("d")]), at(5, 3));
        assert_eq!(s.value(&[key("b"), key("d"), Seg::Index(0)]), at(5, 5));
        let e = [key("b"), key("d"), Seg::Index(1), key("e")];
        assert_eq!(s.value(&e), at(6, 9));
        assert_eq!(s.key(&e), at(6, 6));
        assert_eq!(s.value(&[key("f")]), at(7, 4));
        assert_eq!(s.value(&[key("clé")]), at(10, 6));
        // A key the document leaves out is reported at its mapping.
        assert_eq!(
            s.locate(&super::super::Path(vec![key("b"), key("zz")])),
            at(3, 3)
        );
        assert_eq!(s.value(&[key("zz")]), None);
    }

    #[test]
    fn an_alias_is_located_at_what_it_stands_for() {
        // `d` and `e[0]` repeat `a`'s mapping: a value inside them is the
        // anchored one's.
        let source = "a: &x {b: 1, c: [2, 3]}\nd: *x\ne:\n  - *x\n";
        let s = Spans::of(source);
        assert_eq!(s.value(&[key("d")]), at(1, 4));
        assert_eq!(s.value(&[key("d"), key("c"), Seg::Index(1)]), at(1, 21));
        assert_eq!(s.value(&[key("e"), Seg::Index(0), key("b")]), at(1, 11));
        assert_eq!(s.key(&[key("d")]), at(2, 1));
    }

    #[test]
    fn a_broken_document_keeps_what_was_read_before_the_error() {
        let s = Spans::of("a: 1\nb: [unclosed\n");
        assert_eq!(s.value(&[key("a")]), at(1, 4));
    }
}
