//! The JSON Schema of a spec, for editors (yaml-language-server completes
//! and checks a spec against `schema/spec.schema.json`). Generated from the
//! same serde types that read a spec, so the two cannot drift; the values
//! that take more than one shape describe their shapes here.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::{RawOutputTokens, RawPrefix, RawSpec, RawTools};
use crate::ratio::Ratio;
use crate::yaml::{JsonText, Num, Value};

/// A decimal number, as written or quoted (`0.5` or `"0.5"`).
const NUMBER: &str = r"^\s*[+-]?([0-9][0-9_]*)?(\.[0-9_]*)?([eE][+-]?[0-9]+)?\s*$";

impl JsonSchema for Num {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number, read exactly from its literal (quoted numerals too).",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": NUMBER }
            ]
        })
    }
}

impl JsonSchema for Ratio {
    fn schema_name() -> Cow<'static, str> {
        "Ratio".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A fraction (0.75), or a percentage (`75%`; `2pt` for margin points). A bare number above 1 is refused.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": r"^\s*[+-]?[0-9.]+\s*(%|pt)?\s*$" }
            ]
        })
    }
}

impl JsonSchema for JsonText {
    fn schema_name() -> Cow<'static, str> {
        "FunctionSchemas".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Function (tool) schemas as the API receives them; billed as input.",
            "type": "array"
        })
    }
}

impl JsonSchema for Value {
    fn schema_name() -> Cow<'static, str> {
        "AnyValue".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "description": "Any value the path it overrides takes." })
    }
}

impl JsonSchema for RawOutputTokens {
    fn schema_name() -> Cow<'static, str> {
        "OutputTokens".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let number = generator.subschema_for::<Num>();
        let distribution = generator.subschema_for::<super::RawDistribution>();
        json_schema!({
            "description": "Output tokens of one run: a number, or `{ mean, p95 }`.",
            "anyOf": [number, distribution]
        })
    }
}

impl JsonSchema for RawPrefix {
    fn schema_name() -> Cow<'static, str> {
        "CachePrefix".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Through the last message of this role (`system`), or the first N messages.",
            "anyOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string" }
            ]
        })
    }
}

impl JsonSchema for RawTools {
    fn schema_name() -> Cow<'static, str> {
        "Tools".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let inline = generator.subschema_for::<JsonText>();
        json_schema!({
            "description": "`{ file: tools.json }`, or the function schemas written inline as a list.",
            "anyOf": [
                {
                    "type": "object",
                    "properties": { "file": { "type": "string" } },
                    "required": ["file"],
                    "additionalProperties": false
                },
                inline
            ]
        })
    }
}

/// The spec's JSON Schema, pretty-printed (`schema/spec.schema.json`).
pub fn json_schema_text() -> String {
    let mut schema = schemars::schema_for!(RawSpec);
    schema.insert(
        "title".into(),
        serde_json::Value::String("llm-cost spec, version 1".into()),
    );
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{KnownKeys, Seg};

    fn at(path: &[&str]) -> Option<Vec<String>> {
        let segs: Vec<Seg> = path
            .iter()
            .map(|s| match s.parse() {
                Ok(n) => Seg::Index(n),
                Err(_) => Seg::Key(s.to_string()),
            })
            .collect();
        KnownKeys::of::<RawSpec>().at(&segs)
    }

    #[test]
    fn known_keys_follow_the_types() {
        // RawCache's three fields, sorted as the schema lists them.
        assert_eq!(
            at(&["calls", "0", "cache"]).unwrap(),
            ["hit_rate", "prefix", "ttl"]
        );
        assert!(at(&[]).unwrap().contains(&"traffic".to_string()));
        assert!(
            at(&["calls", "2", "messages", "0"])
                .unwrap()
                .contains(&"role".to_string())
        );
        assert!(
            at(&["variables", "ticket"])
                .unwrap()
                .contains(&"samples".to_string())
        );
        assert!(
            at(&["calls", "0", "output_tokens"])
                .unwrap()
                .contains(&"p95".to_string())
        );
        assert_eq!(at(&["calls", "0", "tools"]).unwrap(), ["file"]);
        // A variable's name and a scenario's override path are free.
        assert_eq!(at(&["variables"]), None);
        assert_eq!(at(&["scenarios", "peak"]), None);
    }
}
