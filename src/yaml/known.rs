//! Which keys a mapping may have, read from the JSON Schema of the types
//! that deserialize it: serde stops at the first unknown key, and this
//! finds them all, with the valid names for a suggestion, from the same
//! types (no hand-kept table of what nests where).

use schemars::JsonSchema;
use serde_json::Value as Json;

use super::Seg;

/// The schema of a document's type, asked which keys each mapping takes.
pub struct KnownKeys(Json);

impl KnownKeys {
    pub fn of<T: JsonSchema>() -> KnownKeys {
        KnownKeys(schemars::schema_for!(T).to_value())
    }

    /// The keys the mapping at `path` may have, or None where any key goes
    /// (a variable's name, a model's name, a scenario's override path).
    pub fn at(&self, path: &[Seg]) -> Option<Vec<String>> {
        let root = &self.0;
        let mut keys: Vec<String> = Vec::new();
        let mut closed = false;
        for node in schemas_at(root, root, path) {
            for object in branches(root, node) {
                if let Some(props) = object.get("properties").and_then(Json::as_object) {
                    for key in props.keys() {
                        if !keys.contains(key) {
                            keys.push(key.clone());
                        }
                    }
                }
                match object.get("additionalProperties") {
                    Some(Json::Bool(false)) => closed = true,
                    // A mapping of any names (or a struct that allows
                    // unknown keys) on one of the value's shapes.
                    Some(_) => return None,
                    None if object.get("properties").is_some() => return None,
                    None => {}
                }
            }
        }
        closed.then_some(keys)
    }
}

/// The schema behind a `$ref` (`#/$defs/Call`), or the schema itself.
fn resolved<'s>(root: &'s Json, node: &'s Json) -> &'s Json {
    node.get("$ref")
        .and_then(Json::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| root.get("$defs")?.get(name))
        .unwrap_or(node)
}

/// Every concrete schema a value may match: its `anyOf`/`oneOf` branches,
/// references followed, flattened.
fn branches<'s>(root: &'s Json, node: &'s Json) -> Vec<&'s Json> {
    let node = resolved(root, node);
    let alternatives: Vec<&Json> = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| node.get(*k)?.as_array())
        .flatten()
        .collect();
    if alternatives.is_empty() {
        vec![node]
    } else {
        alternatives
            .into_iter()
            .flat_map(|b| branches(root, b))
            .collect()
    }
}

/// The schemas of the value at `path` under `node`.
fn schemas_at<'s>(root: &'s Json, node: &'s Json, path: &[Seg]) -> Vec<&'s Json> {
    let Some((first, rest)) = path.split_first() else {
        return vec![node];
    };
    branches(root, node)
        .into_iter()
        .filter_map(|b| match first {
            Seg::Key(k) => b
                .get("properties")
                .and_then(|p| p.get(k))
                .or_else(|| b.get("additionalProperties").filter(|a| a.is_object())),
            Seg::Index(_) => b.get("items"),
        })
        .flat_map(|child| schemas_at(root, child, rest))
        .collect()
}
