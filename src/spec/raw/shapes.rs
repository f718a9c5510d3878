//! Deserializers for the spec values that take more than one shape, so a
//! wrong value gets a message naming the shapes it may take.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{RawDistribution, RawOutputTokens, RawPrefix, RawTools};
use crate::yaml::{JsonText, Num};

impl<'de> Deserialize<'de> for RawOutputTokens {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawOutputTokens;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of tokens, or `{ mean: N, p95: N }`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawOutputTokens::Mean(Num(v.into())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawOutputTokens::Mean(Num(v.into())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Num::deserialize(de::value::F64Deserializer::new(v)).map(RawOutputTokens::Mean)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
                Num::deserialize(de::value::U128Deserializer::new(v)).map(RawOutputTokens::Mean)
            }
            // A literal an f64 would change arrives as its text (`yaml::tree`).
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match crate::literal::exact_decimal(v) {
                    Ok(n) => Ok(RawOutputTokens::Mean(Num(n))),
                    Err(_) => Err(E::custom(format!(
                        "expected a number of tokens, or `{{ mean: N, p95: N }}`, found text of {} characters",
                        v.chars().count()
                    ))),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawDistribution::deserialize(MapAccessDeserializer::new(map))
                    .map(RawOutputTokens::Distribution)
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawPrefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawPrefix;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a message role (e.g. `system`) or a number of leading messages")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawPrefix::Messages(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                // A count that arrives as its literal text (`yaml::tree`).
                Ok(match v.parse::<u64>() {
                    Ok(n) => RawPrefix::Messages(n),
                    Err(_) => RawPrefix::Role(v.to_string()),
                })
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawTools {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct FileRef {
            file: String,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTools;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`{ file: tools.json }` or a list of function schemas")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                FileRef::deserialize(MapAccessDeserializer::new(map))
                    .map(|r| RawTools::File { file: r.file })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                JsonText::deserialize(SeqAccessDeserializer::new(seq)).map(RawTools::Inline)
            }
        }
        deserializer.deserialize_any(V)
    }
}
