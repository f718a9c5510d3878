//! The spec exactly as a user writes it in YAML. Shape errors (unknown keys,
//! wrong types) are caught here by serde; meaning is checked in `validate`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::ratio::Ratio;
use crate::yaml::{JsonText, Num};

// Hand-written visitors for the values that take more than one shape, so a
// wrong value gets a message that names the shapes rather than serde's
// "did not match any variant of untagged enum".
mod shapes;
// The JSON Schema of those shapes, for editors (`schema/spec.schema.json`).
mod schema;

pub use schema::json_schema_text;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Spec")]
pub struct RawSpec {
    pub version: Option<Num>,
    pub feature: String,
    pub model: String,
    #[serde(default)]
    pub compare: Vec<String>,
    pub calls: Vec<RawCall>,
    #[serde(default)]
    pub variables: BTreeMap<String, RawVariable>,
    pub traffic: RawTraffic,
    pub economics: Option<RawEconomics>,
    pub budget: Option<RawBudget>,
    /// Alternative worlds: name → { path: value } overrides.
    #[serde(default)]
    pub scenarios: BTreeMap<String, BTreeMap<String, crate::yaml::Value>>,
    /// `standard` (default), `flex` or `priority`, for every call.
    pub service_tier: Option<String>,
    /// `global` (default), `us` or `eu`: where requests are processed.
    pub region: Option<String>,
    /// `standard` (default) or `fast` (fast mode, where offered).
    pub speed: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Call")]
pub struct RawCall {
    pub name: String,
    pub model: Option<String>,
    pub messages: Vec<RawMessage>,
    #[serde(default)]
    pub variables: BTreeMap<String, RawVariable>,
    pub tools: Option<RawTools>,
    pub output_tokens: RawOutputTokens,
    pub reasoning_tokens: Option<Num>,
    pub calls_per_request: Option<Num>,
    pub cache: Option<RawCache>,
    #[serde(default)]
    pub batch: bool,
    /// A chat: the call is one turn, repeated with the history re-sent.
    pub conversation: Option<RawConversation>,
    /// Split the call's traffic between models by share.
    pub route: Option<Vec<RawRouteLeg>>,
    /// Try a small model first; escalate a share of runs to a bigger one.
    pub cascade: Option<RawCascade>,
    /// Share of runs repeated once more (billed), e.g. on a bad answer.
    pub retry_rate: Option<Ratio>,
    /// `interactive` (default) or `async`: may run as a batch job.
    pub latency: Option<String>,
    /// The spec's `service_tier`, `region` and `speed`, for this call.
    pub service_tier: Option<String>,
    pub region: Option<String>,
    pub speed: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Conversation")]
pub struct RawConversation {
    pub turns: Num,
    /// `full` (the default): every prior turn is re-sent.
    pub history: Option<String>,
    /// Only the last K turns are re-sent.
    pub window: Option<Num>,
    /// Prior turns are replaced by a summary of this many tokens.
    pub summary: Option<Num>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RouteLeg")]
pub struct RawRouteLeg {
    pub model: String,
    pub share: Ratio,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cascade")]
pub struct RawCascade {
    pub first: String,
    pub then: String,
    pub escalation_rate: Ratio,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Message")]
pub struct RawMessage {
    pub role: String,
    pub name: Option<String>,
    pub text: Option<String>,
    pub file: Option<String>,
    /// The message's size, counted in the model's tokens, not written out.
    pub tokens: Option<Num>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Variable")]
pub struct RawVariable {
    pub text: Option<String>,
    pub file: Option<String>,
    pub tokens: Option<Num>,
    pub samples: Option<String>,
    pub per_request: Option<bool>,
}

/// `tools: { file: tools.json }` or the schemas written inline as a list.
#[derive(Debug)]
pub enum RawTools {
    File { file: String },
    Inline(JsonText),
}

/// `output_tokens: 280` or `output_tokens: { mean: 280, p95: 600 }`.
#[derive(Debug)]
pub enum RawOutputTokens {
    Mean(Num),
    Distribution(RawDistribution),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Distribution")]
pub struct RawDistribution {
    pub mean: Num,
    pub p95: Option<Num>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cache")]
pub struct RawCache {
    pub prefix: RawPrefix,
    pub hit_rate: Ratio,
    /// `5m` (default) or `1h`: explicit caching charges more for longer-lived writes.
    pub ttl: Option<String>,
}

/// The cacheable prefix: through the last message of a role, or the first N messages.
#[derive(Debug)]
pub enum RawPrefix {
    Messages(u64),
    Role(String),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Traffic")]
pub struct RawTraffic {
    pub requests_per_day: Option<Num>,
    pub requests_per_month: Option<Num>,
    pub users: Option<Num>,
    pub requests_per_user_per_day: Option<Num>,
    pub days_per_month: Option<Num>,
    pub growth_per_month: Option<Ratio>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Economics")]
pub struct RawEconomics {
    /// When traffic grows (growth_per_month, --scale): true, revenue and
    /// other costs grow with it (more customers); false, they stay as given
    /// (the same customers use it more). Default: true, unless revenue is a
    /// fixed `revenue_per_month`.
    pub grows_with_traffic: Option<bool>,
    pub users: Option<Num>,
    pub revenue_per_user_per_month: Option<Num>,
    pub revenue_per_request: Option<Num>,
    pub revenue_per_month: Option<Num>,
    pub other_cost_per_month: Option<Num>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Budget")]
pub struct RawBudget {
    pub max_cost_per_request: Option<Num>,
    pub max_monthly_spend: Option<Num>,
    pub min_gross_margin: Option<Ratio>,
    pub max_margin_drop: Option<Ratio>,
}
