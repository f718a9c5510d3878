//! Exact figures in JSON, for every document llm-cost writes and reads:
//! money and rates as exact decimal strings (`Money`), token counts as
//! numbers (`Count`), each read back from its literal.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// Money or a rate: the exact decimal as a string, without trailing zeros.
/// Read from a string or a number, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Money(pub Decimal);

/// A token count: a JSON number, fractional only where it is an average.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count(pub Decimal);

impl Count {
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0.normalize();
        if v.fract().is_zero()
            && let Ok(n) = i64::try_from(v)
        {
            return s.serialize_i64(n);
        }
        match v.to_string().parse::<f64>() {
            Ok(f) => s.serialize_f64(f),
            Err(_) => s.serialize_none(),
        }
    }
}

/// A decimal from a JSON string or number, read from its literal (serde_json
/// keeps a number's text: `arbitrary_precision`).
fn exact<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(de::Error::custom("expected a decimal number")),
    };
    crate::literal::exact_decimal(&text).map_err(de::Error::custom)
}

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal (USD, a rate or a ratio) as a string, without trailing zeros"
        })
    }
}

impl JsonSchema for Count {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Count".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "minimum": 0,
            "description": "A token count; fractional where it is an average"
        })
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        exact(d).map(Money)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        exact(d).map(Count)
    }
}
