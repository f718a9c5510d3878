//! The one place that touches serde_yaml: parsing a YAML document into typed
//! values, reading its numbers as exact decimals, and finding the line and
//! column of any value by its path so later stages can point into the file.
//!
//! serde_yaml gives spans only through its errors, so the tree and the
//! place of every key and value come from one pass over saphyr-parser's
//! events (`tree`, `spans`); serde_yaml only reads the tree into types.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

use crate::diagnostic::{Diagnostic, Location};
use crate::literal::exact_decimal;
use crate::nearest::did_you_mean;

mod known;
mod spans;
mod tree;
pub use known::KnownKeys;
pub use spans::Spans;

/// A number as the user wrote it, read from its literal text. `parse` reads
/// documents through `tree::parse`, where a float whose literal an f64 would
/// change (`19.999999999999999`, a 30-digit integer) arrives as that text;
/// every other float is the shortest decimal that round-trips to its f64,
/// which is its literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Num(pub Decimal);

impl Num {
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl<'de> serde::Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumVisitor).map(Num)
    }
}

struct NumVisitor;

impl Visitor<'_> for NumVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_f64(v).map_err(E::custom)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        exact_decimal(&v.to_string()).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        exact_decimal(&v.to_string()).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        exact_decimal(v).map_err(E::custom)
    }
}

/// A ratio in a spec: a number, or a string such as `"75%"` (the same rule
/// as on the command line, see `ratio`).
impl<'de> serde::Deserialize<'de> for crate::ratio::Ratio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RatioVisitor)
    }
}

struct RatioVisitor;

impl Visitor<'_> for RatioVisitor {
    type Value = crate::ratio::Ratio;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fraction (0.75) or a percentage (\"75%\")")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        NumVisitor.visit_u64(v).map(crate::ratio::Ratio::bare)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        NumVisitor.visit_i64(v).map(crate::ratio::Ratio::bare)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        NumVisitor.visit_f64(v).map(crate::ratio::Ratio::bare)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        crate::ratio::parse(v).map_err(E::custom)
    }
}

pub(super) fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err(format!("expected a finite number, found {v}"));
    }
    // `{}` on f64 prints the shortest string that parses back to the same
    // value, which is the user's literal for any realistic price or count.
    let text = format!("{v}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| {
            format!("the number {text} is outside the range llm-cost can represent exactly")
        })
}

fn numbers_as_text(value: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value as V;
    match value {
        V::Number(n) => V::String(n.to_string()),
        V::Sequence(items) => V::Sequence(items.into_iter().map(numbers_as_text).collect()),
        V::Mapping(map) => V::Mapping(
            map.into_iter()
                .map(|(k, v)| (numbers_as_text(k), numbers_as_text(v)))
                .collect(),
        ),
        other => other,
    }
}

/// A file's text without the byte-order mark some editors put first.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// serde's words made plain: no internal type names, and a string value is
/// described by its length, never quoted (it may be a prompt).
pub fn plain_message(message: &str) -> String {
    let mut message = message.to_string();
    if let Some(start) = message.find("invalid type: string \"")
        && let Some(end) = message.rfind("\", expected")
        && end > start + 22
    {
        let text = &message[start + 22..end];
        let described = format!("invalid type: text of {} characters", text.chars().count());
        message.replace_range(start..end + 1, &described);
    }
    if let Some(i) = message.find("expected struct Raw") {
        message.replace_range(i.., "expected a mapping of `key: value` lines");
    }
    message
}

/// The plain text of the scalar at `path` in `source`, if there is one
/// (for a message's help: the role a replacement should keep).
pub fn scalar_at(source: &str, path: &Path) -> Option<String> {
    let (tree, _) = tree::parse("", source).ok()?;
    let mut node = &tree;
    for seg in &path.0 {
        node = match seg {
            Seg::Key(k) => node.get(k.as_str())?,
            Seg::Index(i) => node.get(*i)?,
        };
    }
    node.as_str().map(str::to_string)
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The path of a value, printed the way users write it: `calls[1].cache.hit_rate`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        Path(segs)
    }

    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        Path(segs)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The line and column of the value at `path`, or of its nearest existing
/// parent when the path ends at a key that is absent. One parse: a caller
/// locating many values keeps a `Spans`.
pub fn locate(source: &str, path: &Path) -> Option<Location> {
    Spans::of(source).locate(path)
}

type Found = Vec<(Path, String, Vec<String>)>;

fn walk(value: &serde_yaml::Value, path: &mut Path, known_keys: &KnownKeys, found: &mut Found) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let known = known_keys.at(&path.0);
            for (k, v) in map {
                let Some(key) = k.as_str() else { continue };
                if let Some(known) = &known
                    && !known.iter().any(|n| n == key)
                {
                    found.push((path.clone(), key.to_string(), known.clone()));
                    continue;
                }
                path.0.push(Seg::Key(key.to_string()));
                walk(v, path, known_keys, found);
                path.0.pop();
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                path.0.push(Seg::Index(i));
                walk(v, path, known_keys, found);
                path.0.pop();
            }
        }
        serde_yaml::Value::Tagged(t) => walk(&t.value, path, known_keys, found),
        _ => {}
    }
}

/// Any YAML value, opaque outside this module: a scenario's override values.
#[derive(Debug, Clone, PartialEq)]
pub struct Value(serde_yaml::Value);

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_yaml::Value::deserialize(deserializer).map(Value)
    }
}

impl Value {
    /// A value typed on the command line: `400`, `0.9`, `gpt-4o`,
    /// `{ mean: 300, p95: 900 }`. Text that is not YAML stays text.
    pub fn from_text(text: &str) -> Value {
        match tree::parse("--set", text).map(|(t, _)| t) {
            Ok(serde_yaml::Value::Null)
                if !text.trim().is_empty() && text.trim() != "null" && text.trim() != "~" =>
            {
                Value(serde_yaml::Value::String(text.to_string()))
            }
            Ok(v) => Value(v),
            Err(_) => Value(serde_yaml::Value::String(text.to_string())),
        }
    }
}

impl Path {
    /// Parses `traffic.requests_per_day`, `calls.draft.output_tokens`,
    /// `calls[1].cache.hit_rate`.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut segs = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() && rest.is_empty() {
                return Err(format!("`{text}` has an empty step"));
            }
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            while let Some(r) = rest.strip_prefix('[') {
                let (n, after) = r
                    .split_once(']')
                    .ok_or_else(|| format!("`{text}` has an unclosed `[`"))?;
                segs.push(Seg::Index(
                    n.parse()
                        .map_err(|_| format!("`[{n}]` in `{text}` is not an index"))?,
                ));
                rest = after;
            }
            if !rest.is_empty() {
                return Err(format!(
                    "`{text}` is not a path like `calls.draft.output_tokens`"
                ));
            }
        }
        if segs.is_empty() {
            return Err("the path is empty".into());
        }
        Ok(Path(segs))
    }
}

/// A YAML document that overrides can be applied to, then read as `T`.
#[derive(Debug, Clone)]
pub struct Document(serde_yaml::Value, std::sync::Arc<Spans>);

impl Document {
    pub fn parse(file: &str, source: &str) -> Result<Document, Diagnostic> {
        if source.trim().is_empty() {
            return Err(Diagnostic::new(file, None, "the file is empty")
                .with_help("`llm-cost init` writes a commented starter spec"));
        }
        let (tree, spans) = tree::parse(file, source)?;
        Ok(Document(tree, std::sync::Arc::new(spans)))
    }

    /// Where each key and value of the parsed text is written.
    pub fn spans(&self) -> std::sync::Arc<Spans> {
        self.1.clone()
    }

    /// The document as `T`, or what `T` refuses, at the place it is
    /// written (the path of the refused value, looked up in the spans).
    pub fn read_located<T: serde::de::DeserializeOwned>(
        &self,
        file: &str,
    ) -> Result<T, Diagnostic> {
        if let Ok(exact) = serde_yaml::from_value(self.0.clone()) {
            return Ok(exact);
        }
        // A plain `123` where the schema wants text (`name: 123`) is that
        // text; numbers as their literal text read exactly where it wants
        // numbers.
        let texts = numbers_as_text(self.0.clone());
        let mut err = match serde_path_to_error::deserialize::<_, T>(texts) {
            Ok(typed) => return Ok(typed),
            Err(err) => err,
        };
        let path_of = |e: &serde_path_to_error::Error<serde_yaml::Error>| {
            Path(
                e.path()
                    .iter()
                    .filter_map(|s| match s {
                        serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                        serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                        _ => None,
                    })
                    .collect(),
            )
        };
        // Refused as text where the file has a number (`.inf`): the
        // number's own complaint says more.
        if self.number_at(&path_of(&err))
            && let Err(e) = serde_path_to_error::deserialize::<_, T>(self.0.clone())
        {
            err = e;
        }
        let path = path_of(&err);
        Err(Diagnostic::new(
            file,
            self.1.locate(&path),
            plain_message(&err.inner().to_string()),
        ))
    }

    /// The document as `T`, or every key `T`'s schema does not know and
    /// beside them the first other problem (read without those keys).
    pub fn read_checked<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
        &self,
        file: &str,
    ) -> Result<T, Vec<Diagnostic>> {
        let known = KnownKeys::of::<T>();
        let (mut all, holders) = self.unknown_keys(file, &known);
        if all.is_empty() {
            return self.read_located(file).map_err(|d| vec![d]);
        }
        // A problem of a mapping that holds an unknown key (a missing
        // `traffic` beside `traffc`) is that key's; the help says so.
        if let Err(d) = self.without_unknown_keys(&known).read_located::<T>(file)
            && !all.iter().any(|u| u.location == d.location)
            && !holders.contains(&d.location)
        {
            all.push(d);
        }
        // Located problems first, in file order: those are the ones shown.
        all.sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
        Err(all)
    }

    /// Every key of the document that its schema does not know. `known_keys`
    /// gives the valid keys of the mapping at a path, or None where any key
    /// goes. serde stops at the first unknown key; this finds them all, so a
    /// spec with three typos gets three messages in one run.
    /// Also where each mapping holding one is.
    fn unknown_keys(
        &self,
        file: &str,
        known_keys: &KnownKeys,
    ) -> (Vec<Diagnostic>, Vec<Option<Location>>) {
        let mut found = Vec::new();
        walk(&self.0, &mut Path::root(), known_keys, &mut found);
        let holders = found.iter().map(|(path, ..)| self.1.locate(path)).collect();
        let diagnostics = found
            .into_iter()
            .map(|(path, key, known)| {
                let at = path.key(&key);
                let prefix = if path.0.is_empty() {
                    String::new()
                } else {
                    format!("{path}: ")
                };
                let location = self.1.key(&at.0).or_else(|| self.1.value(&[]));
                let help = match did_you_mean(&key, known.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("valid keys here: {}", known.join(", ")),
                };
                Diagnostic::new(file, location, format!("{prefix}unknown field `{key}`"))
                    .with_help(help)
            })
            .collect();
        (diagnostics, holders)
    }

    /// Whether the tree holds a number at `path`.
    fn number_at(&self, path: &Path) -> bool {
        let mut node = &self.0;
        for seg in &path.0 {
            let next = match seg {
                Seg::Key(k) => node.get(k.as_str()),
                Seg::Index(i) => node.get(*i),
            };
            match next {
                Some(n) => node = n,
                None => return false,
            }
        }
        node.is_number()
    }

    /// Sets the value at `path`, creating mappings on the way. A key step
    /// into a list picks the element whose `name` is that key (`calls.draft`).
    /// Each mapping's keys are checked against `known_keys`. Returns the
    /// path with names turned into indexes.
    pub fn set(
        &mut self,
        path: &Path,
        value: &Value,
        known_keys: &KnownKeys,
    ) -> Result<Path, String> {
        let mut node = &mut self.0;
        let mut done: Vec<Seg> = Vec::new();
        for seg in &path.0 {
            node = match (node, seg) {
                (serde_yaml::Value::Sequence(items), Seg::Index(n)) => {
                    let len = items.len();
                    let item = items.get_mut(*n).ok_or_else(|| {
                        format!(
                            "`{}` has {len} entries; there is no [{n}]",
                            Path(done.clone())
                        )
                    })?;
                    done.push(Seg::Index(*n));
                    item
                }
                (serde_yaml::Value::Sequence(items), Seg::Key(name)) => {
                    let n = entry_named(items, name, &done)?;
                    done.push(Seg::Index(n));
                    &mut items[n]
                }
                (node @ serde_yaml::Value::Mapping(_), Seg::Key(key))
                | (node @ serde_yaml::Value::Null, Seg::Key(key)) => {
                    known_key(known_keys, &done, key)?;
                    done.push(Seg::Key(key.clone()));
                    child(node, key)
                }
                (_, seg) => {
                    return Err(format!(
                        "`{}` is a value, not something with `{}` inside",
                        Path(done.clone()),
                        Path(vec![seg.clone()])
                    ));
                }
            };
        }
        *node = value.0.clone();
        Ok(Path(done))
    }

    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_yaml::from_value(self.0.clone()).map_err(|e| plain_message(&e.to_string()))
    }

    /// The document with every key `known_keys` does not know taken out:
    /// serde stops at the first unknown key, and what the rest of the file
    /// gets wrong is found by reading it without them.
    pub fn without_unknown_keys(&self, known_keys: &KnownKeys) -> Document {
        fn prune(value: &mut serde_yaml::Value, path: &mut Vec<Seg>, known_keys: &KnownKeys) {
            match value {
                serde_yaml::Value::Mapping(map) => {
                    if let Some(known) = known_keys.at(path) {
                        map.retain(|k, _| k.as_str().is_none_or(|k| known.iter().any(|n| n == k)));
                    }
                    for (k, v) in map.iter_mut() {
                        let Some(key) = k.as_str() else { continue };
                        path.push(Seg::Key(key.to_string()));
                        prune(v, path, known_keys);
                        path.pop();
                    }
                }
                serde_yaml::Value::Sequence(items) => {
                    for (i, v) in items.iter_mut().enumerate() {
                        path.push(Seg::Index(i));
                        prune(v, path, known_keys);
                        path.pop();
                    }
                }
                serde_yaml::Value::Tagged(t) => prune(&mut t.value, path, known_keys),
                _ => {}
            }
        }
        let mut tree = self.0.clone();
        prune(&mut tree, &mut Vec::new(), known_keys);
        Document(tree, self.1.clone())
    }
}

/// The index of the list entry whose `name` is `name` (`calls.draft`).
fn entry_named(items: &[serde_yaml::Value], name: &str, done: &[Seg]) -> Result<usize, String> {
    fn name_of(it: &serde_yaml::Value) -> Option<&str> {
        it.get("name").and_then(serde_yaml::Value::as_str)
    }
    if let Some(n) = items.iter().position(|it| name_of(it) == Some(name)) {
        return Ok(n);
    }
    let names: Vec<&str> = items.iter().filter_map(name_of).collect();
    let at = Path(done.to_vec());
    Err(match did_you_mean(name, names.iter().copied()) {
        Some(best) => format!("no entry of `{at}` is named `{name}`; did you mean `{best}`?"),
        None => format!(
            "no entry of `{at}` is named `{name}` (names: {})",
            names.join(", ")
        ),
    })
}

/// Refuses a key the schema does not know at `done`.
fn known_key(known_keys: &KnownKeys, done: &[Seg], key: &str) -> Result<(), String> {
    let Some(known) = known_keys.at(done) else {
        return Ok(());
    };
    if known.iter().any(|k| k == key) {
        return Ok(());
    }
    Err(match did_you_mean(key, known.iter().map(String::as_str)) {
        Some(best) => format!(
            "{} has no field `{key}`; did you mean `{best}`?",
            parent_text(done)
        ),
        None => format!(
            "{} has no field `{key}` (fields: {})",
            parent_text(done),
            known.join(", ")
        ),
    })
}

/// The value at `key` of a mapping (a null becomes an empty mapping), made
/// if it is not there yet.
fn child<'v>(node: &'v mut serde_yaml::Value, key: &str) -> &'v mut serde_yaml::Value {
    if !node.is_mapping() {
        *node = serde_yaml::Value::Mapping(serde_yaml::Mapping::new());
    }
    match node {
        serde_yaml::Value::Mapping(map) => map
            .entry(serde_yaml::Value::String(key.to_string()))
            .or_insert(serde_yaml::Value::Null),
        // Made a mapping just above; never reached.
        other => other,
    }
}

/// The place a key was looked for: `calls[0]`, or the spec itself.
fn parent_text(done: &[Seg]) -> String {
    if done.is_empty() {
        "the spec".to_string()
    } else {
        format!("`{}`", Path(done.to_vec()))
    }
}

/// An arbitrary YAML value rendered as compact JSON (tool schemas are
/// billed as the JSON the client sends).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonText(pub String);

impl<'de> serde::Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        serde_json::to_string(&value)
            .map(JsonText)
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Holder {
        x: Num,
    }

    fn num(yaml: &str) -> Result<Decimal, Diagnostic> {
        Document::parse("t.yaml", yaml)
            .map_err(|d| vec![d])
            .and_then(|doc| doc.read_checked::<Holder>("t.yaml"))
            .map(|h| h.x.value())
            .map_err(|mut all| all.remove(0))
    }

    #[test]
    fn plain_numbers_are_read_exactly() {
        assert_eq!(num("x: 0.15").unwrap(), dec("0.15"));
        assert_eq!(num("x: 0.1").unwrap() + num("x: 0.2").unwrap(), dec("0.3"));
        assert_eq!(num("x: 20000").unwrap(), dec("20000"));
        assert_eq!(num("x: -3").unwrap(), dec("-3"));
        assert_eq!(num("x: 1e6").unwrap(), dec("1000000"));
        assert_eq!(num("x: 0.00000125").unwrap(), dec("0.00000125"));
    }

    #[test]
    fn non_numbers_are_errors_with_a_location() {
        let err = num("x: .nan").unwrap_err();
        assert!(err.message.contains("finite"), "{}", err.message);
        let err = num("\nx: lots").unwrap_err();
        assert_eq!(err.location, Some(Location { line: 2, column: 4 }));
        assert!(err.message.contains("expected a number"), "{}", err.message);
        assert!(!err.message.contains("lots"), "text is never echoed");
    }

    #[test]
    fn numbers_are_read_from_their_literal() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // An f64 would make this exactly 20.
        assert_eq!(
            num("x: 19.999999999999999").unwrap(),
            d("19.999999999999999")
        );
        assert_eq!(num("x: 0.15").unwrap(), d("0.15"));
        assert_eq!(num("x: 1e3").unwrap(), d("1000"));
        assert_eq!(num("x: 2.5e-7").unwrap(), d("0.00000025"));
        assert_eq!(
            num("x: 1234567890123456789012345678").unwrap(),
            d("1234567890123456789012345678"),
            "28 digits: beyond u64, within a decimal"
        );
        let err = num("x: 123456789012345678901234567890").unwrap_err();
        assert!(
            err.message
                .contains("more digits than llm-cost can represent exactly"),
            "{}",
            err.message
        );
        assert!(
            num("x: 0.1234567890123456789012345678901").is_err(),
            "rounding is never silent"
        );
        assert_eq!(num("x: \"0.5\"").unwrap(), d("0.5"));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_key() {
        let err = Document::parse("f.yaml", "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
        assert_eq!(err.location.map(|l| l.line), Some(3));
    }

    #[test]
    fn locate_finds_nested_values() {
        let src = "a: 1\ncalls:\n  - name: x\n    cache: { prefix: system, hit_rate: 1.5 }\n";
        let path = Path::root()
            .key("calls")
            .index(0)
            .key("cache")
            .key("hit_rate");
        assert_eq!(path.to_string(), "calls[0].cache.hit_rate");
        assert_eq!(
            locate(src, &path),
            Some(Location {
                line: 4,
                column: 40
            })
        );
        assert_eq!(
            locate(src, &Path::root().key("a")),
            Some(Location { line: 1, column: 4 })
        );
        // an absent key falls back to its parent mapping
        let missing = Path::root().key("calls").index(0).key("model");
        assert_eq!(locate(src, &missing), Some(Location { line: 3, column: 5 }));
    }

    #[test]
    fn locate_key_points_at_the_key() {
        let src =
            "a: 1\ncalls:\n  - name: x\n    cache: { prefix: system, hitrate: 1.5 }\nb:\n  c: 2\n";
        let spans = Spans::of(src);
        let at = |p: Path| spans.key(&p.0).map(|l| (l.line, l.column));
        assert_eq!(at(Path::root().key("b")), Some((5, 1)));
        assert_eq!(
            at(Path::root()
                .key("calls")
                .index(0)
                .key("cache")
                .key("hitrate")),
            Some((4, 30))
        );
    }

    #[test]
    fn paths_parse_and_documents_take_overrides() {
        assert_eq!(
            Path::parse("calls[1].cache.hit_rate").unwrap().to_string(),
            "calls[1].cache.hit_rate"
        );
        assert!(Path::parse("calls[x]").is_err() && Path::parse("a..b").is_err());
        let src = "model: a\ncalls:\n  - name: draft\n    output_tokens: 5\ntraffic: { requests_per_day: 10 }\n";
        let mut doc = Document::parse("s.yaml", src).unwrap();
        let any = KnownKeys::of::<serde_json::Value>();
        let done = doc
            .set(
                &Path::parse("calls.draft.output_tokens").unwrap(),
                &Value::from_text("400"),
                &any,
            )
            .unwrap();
        assert_eq!(done.to_string(), "calls[0].output_tokens");
        doc.set(
            &Path::parse("calls.draft.cache.hit_rate").unwrap(),
            &Value::from_text("0.9"),
            &any,
        )
        .unwrap();
        doc.set(
            &Path::parse("model").unwrap(),
            &Value::from_text("gpt-4o"),
            &any,
        )
        .unwrap();
        #[derive(serde::Deserialize)]
        struct T {
            model: String,
            calls: Vec<serde_json::Value>,
        }
        let t: T = doc.read().unwrap();
        assert_eq!(t.model, "gpt-4o");
        assert_eq!(t.calls[0]["output_tokens"], 400);
        assert_eq!(t.calls[0]["cache"]["hit_rate"], 0.9);
        let err = doc
            .set(
                &Path::parse("calls.drfat.output_tokens").unwrap(),
                &Value::from_text("1"),
                &any,
            )
            .unwrap_err();
        assert!(err.contains("did you mean `draft`"), "{err}");
        #[derive(schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct OnlyModel {
            model: String,
            traffic: serde_json::Value,
        }
        let only_model = KnownKeys::of::<OnlyModel>();
        let err = doc
            .set(
                &Path::parse("trafic.requests_per_day").unwrap(),
                &Value::from_text("1"),
                &only_model,
            )
            .unwrap_err();
        assert!(err.contains("did you mean `traffic`"), "{err}");
        assert_eq!(
            Value::from_text("[not yaml"),
            Value(serde_yaml::Value::String("[not yaml".into()))
        );
    }

    #[test]
    fn unknown_fields_get_a_suggestion() {
        #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            traffic: u32,
            budget: u32,
        }
        let err = Document::parse("s.yaml", "budget: 1\ntraffc: 2\n")
            .unwrap()
            .read_checked::<S>("s.yaml")
            .unwrap_err()
            .remove(0);
        assert_eq!(err.location, Some(Location { line: 2, column: 1 }));
        assert_eq!(err.help.as_deref(), Some("did you mean `traffic`?"));
    }
}
