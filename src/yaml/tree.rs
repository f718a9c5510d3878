//! A YAML document read once: saphyr-parser's events become the value tree
//! that serde_yaml deserializes into the spec's types, and, in the same
//! pass, the index of where each key and value is written. Numbers never
//! pass through an f64 that would change them: a float whose literal the
//! f64 would round, and an integer past 64 bits, stay as their text (which
//! `Num` reads exactly). Aliases are expanded with a bound on the size they
//! expand to; duplicate keys and a second document are refused where they
//! are written.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_yaml::Value;
use serde_yaml::value::{Tag as YamlTag, TaggedValue};

use super::spans::{Indexer, Spans};
use crate::diagnostic::{Diagnostic, Location};
use crate::limits::EXPANDED_SPEC_BYTES;

/// What a node costs beside its text, so a document of empty values still
/// counts towards the expansion bound.
const NODE_BYTES: u64 = 8;

/// A collection being built, with what its end needs.
enum Open {
    Map {
        map: serde_yaml::Mapping,
        key: Option<(Value, Location)>,
    },
    Seq(Vec<Value>),
}

struct Building {
    open: Open,
    at: Location,
    anchor: usize,
    tag: Option<String>,
    /// The expanded size when it opened: its own size is the growth since.
    size_before: u64,
}

/// An anchored node, what it expands to, and where it is written.
struct Anchored {
    value: Value,
    bytes: u64,
    at: Location,
}

pub fn parse(file: &str, source: &str) -> Result<(Value, Spans), Diagnostic> {
    let mut indexer = Indexer::new(source);
    let mut stack: Vec<Building> = Vec::new();
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut root = None;
    // The document's size with every alias expanded (the bound), and the
    // expanded size of everything read so far (an anchored node's own size
    // is its growth).
    let mut expanded = source.len() as u64;
    let mut content: u64 = 0;
    let mut documents = 0;
    let err = |at: Location, message: &str, help: &str| {
        Diagnostic::new(file, Some(at), message).with_help(help)
    };
    for item in Parser::new_from_str(source) {
        let (event, span) = item.map_err(|e| syntax_error(file, source, &e))?;
        let mut at = indexer.event(&event, span);
        let is_map = matches!(event, Event::MappingStart(..));
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(err(
                        at,
                        "the file holds more than one YAML document",
                        "a spec is one document: remove the `---` or `...` line, or the stray text",
                    ));
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(file, &text, style, tag.as_deref(), at)?;
                let bytes = text.len() as u64 + NODE_BYTES;
                content += bytes;
                if anchor != 0 {
                    anchors.insert(
                        anchor,
                        Anchored {
                            value: value.clone(),
                            bytes,
                            at,
                        },
                    );
                }
                value
            }
            Event::Alias(id) => {
                let Some(a) = anchors.get(&id) else {
                    return Err(Diagnostic::new(
                        file,
                        Some(at),
                        "this alias names no anchor",
                    ));
                };
                content += a.bytes;
                expanded += a.bytes;
                if expanded > EXPANDED_SPEC_BYTES {
                    return Err(err(
                        a.at,
                        &format!(
                            "the document expands to more than {} through YAML aliases (`*name`)",
                            crate::limits::bytes(EXPANDED_SPEC_BYTES)
                        ),
                        "write the repeated value out, or name a file that holds it",
                    ));
                }
                a.value.clone()
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                let open = if is_map {
                    Open::Map {
                        map: serde_yaml::Mapping::new(),
                        key: None,
                    }
                } else {
                    Open::Seq(Vec::new())
                };
                stack.push(Building {
                    open,
                    at,
                    anchor,
                    tag: tag.as_deref().and_then(custom_tag),
                    size_before: content,
                });
                content += NODE_BYTES;
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(done) = stack.pop() else { continue };
                at = done.at;
                let value = match done.open {
                    Open::Map { map, .. } => Value::Mapping(map),
                    Open::Seq(items) => Value::Sequence(items),
                };
                let value = tagged(done.tag, value);
                if done.anchor != 0 {
                    anchors.insert(
                        done.anchor,
                        Anchored {
                            value: value.clone(),
                            bytes: content - done.size_before,
                            at: done.at,
                        },
                    );
                }
                value
            }
            _ => continue,
        };
        match stack.last_mut().map(|b| &mut b.open) {
            None => root = Some(node),
            Some(Open::Seq(items)) => items.push(node),
            Some(Open::Map {
                key: key @ None, ..
            }) => *key = Some((node, at)),
            Some(Open::Map { map, key }) => {
                let Some((k, key_at)) = key.take() else {
                    continue;
                };
                if map.contains_key(&k) {
                    let name = match &k {
                        Value::String(s) => crate::neutral::label(s),
                        _ => "this key".into(),
                    };
                    return Err(Diagnostic::new(
                        file,
                        Some(key_at),
                        format!(
                            "duplicate key `{name}`: YAML keys must be unique (the earlier one would be silently replaced)"
                        ),
                    ));
                }
                map.insert(k, node);
            }
        }
    }
    Ok((root.unwrap_or(Value::Null), indexer.finish()))
}

/// A tag the core schema does not define, as serde_yaml writes it (`!name`).
fn custom_tag(tag: &Tag) -> Option<String> {
    (!tag.is_yaml_core_schema()).then(|| format!("{}{}", tag.handle, tag.suffix))
}

fn tagged(tag: Option<String>, value: Value) -> Value {
    match tag {
        Some(tag) => Value::Tagged(Box::new(TaggedValue {
            tag: YamlTag::new(tag),
            value,
        })),
        None => value,
    }
}

/// A scalar as serde_yaml resolves it (YAML 1.2's core schema: null, bool,
/// int, float; quoted and block scalars are text), with the exact-number
/// rule above.
fn scalar(
    file: &str,
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    at: Location,
) -> Result<Value, Diagnostic> {
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    let custom = tag.and_then(custom_tag);
    let plain = style == ScalarStyle::Plain;
    let value = match core {
        Some("str") => Value::String(text.to_string()),
        _ if !plain && core.is_none() => Value::String(text.to_string()),
        _ => resolve(text).map_err(|m| Diagnostic::new(file, Some(at), m))?,
    };
    Ok(tagged(custom, value))
}

fn resolve(text: &str) -> Result<Value, String> {
    if text.is_empty() || matches!(text, "null" | "Null" | "NULL" | "~") {
        return Ok(Value::Null);
    }
    if let Some(b) = boolean(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = unsigned(text, u64::from_str_radix) {
        return Ok(Value::Number(n.into()));
    }
    if let Some(n) = negative(text, i64::from_str_radix) {
        return Ok(Value::Number(n.into()));
    }
    if unsigned(text, u128::from_str_radix).is_some()
        || negative(text, i128::from_str_radix).is_some()
    {
        return Ok(Value::String(text.to_string()));
    }
    if !digits_but_not_number(text)
        && let Some(f) = float(text)
    {
        // Kept as text where the f64 differs from the literal; a numeral
        // that cannot be read exactly at all is refused here, at its place.
        let digits = text.trim_start_matches(['-', '+']);
        let numeral = digits
            .trim_start_matches('.')
            .starts_with(|c: char| c.is_ascii_digit());
        return match crate::literal::exact_decimal(text) {
            Ok(exact) if super::decimal_from_f64(f).ok() == Some(exact) => {
                Ok(Value::Number(f.into()))
            }
            Ok(_) => Ok(Value::String(text.to_string())),
            Err(message) if numeral => Err(message),
            Err(_) => Ok(Value::Number(f.into())),
        };
    }
    Ok(Value::String(text.to_string()))
}

// serde_yaml 0.9's scalar resolution (its `de.rs`, MIT OR Apache-2.0),
// so a document reads as it always has.

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn radix_prefixed<T>(
    s: &str,
    from: fn(&str, u32) -> Result<T, std::num::ParseIntError>,
    sign: &str,
) -> Option<T> {
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = from(&format!("{sign}{rest}"), radix) {
                return Some(n);
            }
        }
    }
    None
}

fn unsigned<T>(s: &str, from: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    let unpositive = s.strip_prefix('+').unwrap_or(s);
    if let Some(n) = radix_prefixed(unpositive, from, "") {
        return Some(n);
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(s) {
        return None;
    }
    from(unpositive, 10).ok()
}

fn negative<T>(s: &str, from: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    if let Some(rest) = s.strip_prefix('-')
        && let Some(n) = radix_prefixed(rest, from, "-")
    {
        return Some(n);
    }
    if digits_but_not_number(s) {
        return None;
    }
    from(s, 10).ok()
}

fn float(s: &str) -> Option<f64> {
    let unpositive = match s.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => s,
    };
    match (unpositive, s) {
        (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN.copysign(1.0)),
        _ => unpositive.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

/// Leading zeros then digits is text in YAML 1.2 (`007`).
fn digits_but_not_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A syntax error where it is: an unclosed quote where it opens, a tab
/// where it indents.
fn syntax_error(file: &str, source: &str, e: &ScanError) -> Diagnostic {
    let m = e.marker();
    let at = Location {
        line: m.line(),
        column: m.col() + 1,
    };
    let info = e.info();
    // saphyr runs on past an unclosed quote until the text breaks its rules
    // (the end, or a line at the wrong indentation); the quote is the cause.
    if info.contains("quoted scalar") && !info.contains("trailing content") {
        let open = quote_start(source, at).unwrap_or(at);
        return Diagnostic::new(file, Some(open), "this quoted text is never closed")
            .with_help("end it with the same quote mark it starts with");
    }
    let line = source.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
    if info.contains("tab") || line.chars().nth(at.column - 1) == Some('\t') {
        // At the tab itself, which saphyr has already stepped past.
        let tab = line
            .chars()
            .position(|c| c == '\t')
            .map_or(at, |i| Location {
                line: at.line,
                column: i + 1,
            });
        return Diagnostic::new(file, Some(tab), info)
            .with_help("YAML indents with spaces, not tabs");
    }
    Diagnostic::new(file, Some(at), info)
}

/// The quote mark that opens the quoted text the parser ran off the end
/// of: the last one before `end` that starts a value.
fn quote_start(source: &str, end: Location) -> Option<Location> {
    let lines: Vec<&str> = source.lines().collect();
    (1..=end.line.min(lines.len())).rev().find_map(|line| {
        let text = lines[line - 1];
        text.char_indices()
            .rfind(|&(i, c)| {
                let before = text[..i].trim_end();
                matches!(c, '"' | '\'')
                    && (before.is_empty() || before.ends_with([':', '-', '[', ',', '{', '?']))
            })
            .map(|(i, _)| Location {
                line,
                column: text[..i].chars().count() + 1,
            })
    })
}
