//! Usage records as providers and tracing tools write them, each turned into
//! one `Record`: the model, which call and request it belongs to, when, and
//! its tokens counted the way the arithmetic counts them (input includes
//! cached input and cache writes; output includes reasoning).

use serde_json::Value;

/// Tokens of one record (or the sums of an aggregated one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Every prompt token, cached ones and cache writes included.
    pub input: u64,
    pub cached: u64,
    pub cache_write: u64,
    /// Of `cache_write`, those written with a 1-hour TTL (Anthropic bills
    /// them dearer).
    pub cache_write_1h: u64,
    /// Output tokens, reasoning included.
    pub output: u64,
    pub reasoning: u64,
}

impl Tokens {
    /// Sums that stop at u64::MAX rather than wrap (records are bounded by
    /// `MAX_RECORD_TOKENS`, so no real log gets there).
    pub fn add(&mut self, o: &Tokens) {
        self.input = self.input.saturating_add(o.input);
        self.cached = self.cached.saturating_add(o.cached);
        self.cache_write = self.cache_write.saturating_add(o.cache_write);
        self.cache_write_1h = self.cache_write_1h.saturating_add(o.cache_write_1h);
        self.output = self.output.saturating_add(o.output);
        self.reasoning = self.reasoning.saturating_add(o.reasoning);
    }
}

/// One API response's usage, or one aggregated row (`runs` > 1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub model: String,
    pub call: Option<String>,
    pub request: Option<String>,
    /// Seconds since the Unix epoch.
    pub time: Option<f64>,
    pub tokens: Tokens,
    /// Runs this record stands for: 1 for one response, the request count
    /// of an aggregated row.
    pub runs: u64,
    pub batch: bool,
    /// Sums over many runs, not one run: no distribution to take a p95 of.
    pub aggregated: bool,
    /// An aggregated row's count of requests (0 where it has none).
    pub requests: u64,
    /// An aggregated row's p95s of input, cached, cache-write, output and
    /// reasoning tokens, where given.
    pub p95: [Option<u64>; 5],
    /// The tier, speed and region it says it was served at.
    pub service: crate::pricing::Service,
}

/// Where to find the call, request and time of a record (dotted paths).
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub call: Option<String>,
    pub request: Option<String>,
    pub time: Option<String>,
}

/// The value at a dotted path (`metadata.call`).
pub fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

/// The most tokens one record may count: far past any request, and low
/// enough that sums over billions of records cannot overflow the arithmetic.
pub const MAX_RECORD_TOKENS: u64 = 1_000_000_000_000;

fn number(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64().or_else(|| {
            // A whole number written as a float (`1200.0`) is a count too.
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0 && *f <= 1e12)
                .map(|f| f as u64)
        }),
        // OTLP writes 64-bit integers as strings.
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n| *n <= MAX_RECORD_TOKENS)
}

std::thread_local! {
    /// The first token field of the record being read that is there but is
    /// no token count (negative, fractional, `1e400`, `"NaN"`, too large).
    static INVALID: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `read` (which reads records) and says what `n` found wrong in
/// them, if anything.
pub fn reading<T>(read: impl FnOnce() -> T) -> (T, Option<String>) {
    INVALID.with(|i| i.borrow_mut().take());
    let out = read();
    (out, INVALID.with(|i| i.borrow_mut().take()))
}

fn n(v: &Value, path: &str) -> u64 {
    let value = at(v, path);
    match (value, number(value)) {
        (_, Some(n)) => n,
        (None | Some(Value::Null), None) => 0,
        (Some(bad), None) => {
            INVALID.with(|i| {
                i.borrow_mut().get_or_insert_with(|| {
                    let shown: String = bad.to_string().chars().take(40).collect();
                    format!(
                        "`{path}` is {}, not a token count from 0 to {MAX_RECORD_TOKENS}",
                        crate::neutral::escape(&shown)
                    )
                });
            });
            0
        }
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Seconds since the epoch from a number (seconds, or milliseconds or
/// nanoseconds by size) or an RFC 3339 / ISO date-time string.
pub fn seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Number(x) => x.as_f64().map(scale_epoch),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .map(scale_epoch)
            .or_else(|| iso_seconds(s)),
        _ => None,
    }
}

/// Whether `t` (seconds since the epoch) can be when an API call was made:
/// from 2020 (before any of these APIs) to a day past today. A record dated
/// 1970 or 9999 would stretch the span that monthly figures are taken over.
pub fn plausible(t: f64) -> bool {
    const FROM: f64 = 1_577_836_800.0; // 2020-01-01
    let until = (crate::date::today() + 2) as f64 * 86_400.0;
    t.is_finite() && (FROM..until).contains(&t)
}

fn scale_epoch(x: f64) -> f64 {
    if x > 1e17 {
        x / 1e9 // nanoseconds (OTLP)
    } else if x > 1e11 {
        x / 1e3 // milliseconds
    } else {
        x
    }
}

/// `2026-11-27T10:15:00Z`, with a space for the `T`, a fraction, and an
/// offset (`+02:00`, `-0500`, `Z`) that is applied → seconds since the epoch.
fn iso_seconds(s: &str) -> Option<f64> {
    let s = s.trim();
    let day = crate::date::parse(s.get(..10)?)?;
    if s.len() == 10 {
        return Some(day as f64 * 86_400.0);
    }
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let time = s.get(11..19)?;
    let mut parts = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, sec) = (parts.next()??, parts.next()??, parts.next()??);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut fraction = 0.0;
    if let Some(f) = rest.strip_prefix('.') {
        let digits = f.bytes().take_while(u8::is_ascii_digit).count();
        fraction = format!("0.{}", &f[..digits]).parse::<f64>().ok()?;
        rest = &f[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0.0,
        o => {
            let sign = match o.as_bytes()[0] {
                b'+' => 1.0,
                b'-' => -1.0,
                _ => return None,
            };
            let digits: String = o[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (oh, om) = (
                digits[..2].parse::<f64>().ok()?,
                digits[2..].parse::<f64>().ok()?,
            );
            sign * (oh * 3_600.0 + om * 60.0)
        }
    };
    let local = day as f64 * 86_400.0 + f64::from(h * 3_600 + m * 60 + sec) + fraction;
    Some(local - offset)
}

/// One JSON Lines record: a provider's API response (or its usage part),
/// recognised by the providers' own field names; None if it carries no
/// usage.
pub fn from_response(v: &Value, fields: &Fields) -> Option<Record> {
    let v = v
        .get("response")
        .filter(|r| r.get("usage").is_some())
        .unwrap_or(v);
    let tokens = if let Some(u) = v.get("usageMetadata") {
        gemini(u)
    } else {
        let u = v.get("usage")?;
        if u.get("prompt_tokens").is_some() {
            openai_chat(u)
        } else if u.get("cache_read_input_tokens").is_some()
            || u.get("cache_creation_input_tokens").is_some()
            || u.get("cache_creation").is_some()
        {
            anthropic(u, "input_tokens")
        } else if u.get("input_tokens").is_some() {
            openai_responses(u)
        } else {
            return None;
        }
    };
    let model = text(v.get("model"))
        .or_else(|| text(v.get("modelVersion")))
        .unwrap_or_default();
    Some(Record {
        model,
        call: fields.call.as_deref().and_then(|p| text(at(v, p))),
        // A response's own `id` is one run, not one request: requests are
        // grouped only by the field the user names.
        request: fields.request.as_deref().and_then(|p| text(at(v, p))),
        time: time_of(v, fields),
        tokens,
        runs: 1,
        service: served_on(v),
        ..Record::default()
    })
}

/// The terms a response or usage row says it was served on: OpenAI's
/// `service_tier` (`default`, `flex`, `priority`), Anthropic's `speed`
/// (`fast`) and `inference_geo` (`us`, `eu`), on the record or its usage.
pub fn served_on(v: &Value) -> crate::pricing::Service {
    use crate::pricing::{Region, Service, ServiceTier, Speed};
    let field =
        |key: &str| text(v.get(key)).or_else(|| text(v.get("usage").and_then(|u| u.get(key))));
    Service {
        tier: field("service_tier")
            .and_then(|t| ServiceTier::parse(&t))
            .unwrap_or_default(),
        region: field("inference_geo")
            .and_then(|r| Region::parse(&r))
            .unwrap_or_default(),
        speed: field("speed")
            .and_then(|s| Speed::parse(&s))
            .unwrap_or_default(),
    }
}

fn time_of(v: &Value, fields: &Fields) -> Option<f64> {
    match &fields.time {
        Some(p) => at(v, p).and_then(seconds),
        None => ["created", "created_at", "timestamp", "time"]
            .iter()
            .find_map(|k| v.get(*k).and_then(seconds)),
    }
}

/// OpenAI Chat Completions: `prompt_tokens` includes cached ones;
/// `completion_tokens` includes reasoning.
fn openai_chat(u: &Value) -> Tokens {
    Tokens {
        input: n(u, "prompt_tokens"),
        cached: n(u, "prompt_tokens_details.cached_tokens"),
        output: n(u, "completion_tokens"),
        reasoning: n(u, "completion_tokens_details.reasoning_tokens"),
        ..Tokens::default()
    }
}

/// OpenAI Responses: `input_tokens` includes cached ones.
fn openai_responses(u: &Value) -> Tokens {
    Tokens {
        input: n(u, "input_tokens"),
        cached: n(u, "input_tokens_details.cached_tokens"),
        output: n(u, "output_tokens"),
        reasoning: n(u, "output_tokens_details.reasoning_tokens"),
        ..Tokens::default()
    }
}

/// Anthropic: the uncached input (`input_tokens` in a Messages response,
/// `uncached_input_tokens` in a usage report) with cache reads and writes
/// on top of it.
fn anthropic(u: &Value, uncached: &str) -> Tokens {
    let read = n(u, "cache_read_input_tokens");
    let split = n(u, "cache_creation.ephemeral_5m_input_tokens")
        + n(u, "cache_creation.ephemeral_1h_input_tokens");
    let write = n(u, "cache_creation_input_tokens").max(split);
    Tokens {
        input: n(u, uncached) + read + write,
        cached: read,
        cache_write: write,
        cache_write_1h: n(u, "cache_creation.ephemeral_1h_input_tokens"),
        output: n(u, "output_tokens"),
        ..Tokens::default()
    }
}

/// Gemini: `promptTokenCount` includes cached content; thoughts are billed
/// as output beside the candidates.
fn gemini(u: &Value) -> Tokens {
    let thoughts = n(u, "thoughtsTokenCount");
    Tokens {
        input: n(u, "promptTokenCount"),
        cached: n(u, "cachedContentTokenCount"),
        output: n(u, "candidatesTokenCount") + thoughts,
        reasoning: thoughts,
        ..Tokens::default()
    }
}

/// An OpenTelemetry GenAI span (OTLP JSON): attributes are a list of
/// `{key, value: {stringValue | intValue}}`; a trace is one request.
pub fn from_span(span: &Value, fields: &Fields) -> Option<Record> {
    let attrs = span.get("attributes")?.as_array()?;
    let attr = |key: &str| -> Option<&Value> {
        attrs
            .iter()
            .find(|a| a.get("key").and_then(Value::as_str) == Some(key))
            .and_then(|a| a.get("value"))
            .and_then(|v| {
                ["stringValue", "intValue", "doubleValue"]
                    .iter()
                    .find_map(|k| v.get(*k))
            })
    };
    let input = number(attr("gen_ai.usage.input_tokens"))?;
    let model =
        text(attr("gen_ai.response.model")).or_else(|| text(attr("gen_ai.request.model")))?;
    let custom = |path: &Option<String>| path.as_deref().and_then(|p| text(attr(p)));
    Some(Record {
        model,
        // A GenAI span's name is "{operation} {model}", not a call's.
        call: custom(&fields.call),
        // A trace is one request unless the user names another field
        // (`gen_ai.conversation.id` groups a whole chat).
        request: custom(&fields.request).or_else(|| text(span.get("traceId"))),
        time: span.get("startTimeUnixNano").and_then(seconds),
        tokens: Tokens {
            input,
            cached: number(attr("gen_ai.usage.cache_read.input_tokens")).unwrap_or(0),
            cache_write: number(attr("gen_ai.usage.cache_creation.input_tokens")).unwrap_or(0),
            cache_write_1h: 0,
            output: number(attr("gen_ai.usage.output_tokens")).unwrap_or(0),
            reasoning: number(attr("gen_ai.usage.reasoning.output_tokens")).unwrap_or(0),
        },
        runs: 1,
        ..Record::default()
    })
}

/// Every GenAI span of an OTLP JSON document.
pub fn spans(doc: &Value, fields: &Fields, out: &mut Vec<Record>) {
    let each = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for rs in each(doc, "resourceSpans") {
        for ss in each(&rs, "scopeSpans") {
            for span in each(&ss, "spans") {
                out.extend(from_span(&span, fields));
            }
        }
    }
}

/// A page of OpenAI's organization usage API for completions, or of
/// Anthropic's usage report for messages: daily sums per model.
pub fn usage_export(doc: &Value, out: &mut Vec<Record>) {
    let Some(buckets) = doc.get("data").and_then(Value::as_array) else {
        return;
    };
    for bucket in buckets {
        let start = bucket
            .get("start_time")
            .or_else(|| bucket.get("starting_at"))
            .and_then(seconds);
        let results = bucket
            .get("results")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for r in results {
            let model = text(r.get("model")).unwrap_or_default();
            let tokens = if r.get("uncached_input_tokens").is_some() {
                anthropic(&r, "uncached_input_tokens")
            } else {
                Tokens {
                    input: n(&r, "input_tokens"),
                    cached: n(&r, "input_cached_tokens"),
                    output: n(&r, "output_tokens"),
                    ..Tokens::default()
                }
            };
            out.push(Record {
                model,
                call: None,
                request: None,
                time: start,
                tokens,
                runs: number(r.get("num_model_requests")).unwrap_or(0),
                batch: r.get("batch").and_then(Value::as_bool).unwrap_or(false),
                service: served_on(&r),
                aggregated: true,
                ..Record::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: &str) -> Record {
        from_response(&serde_json::from_str(line).unwrap(), &Fields::default()).unwrap()
    }

    #[test]
    fn each_providers_usage_in_one_shape() {
        // OpenAI chat: 1,200 prompt tokens of which 1,024 cached; 300 out of
        // which 100 reasoning.
        let r = record(
            r#"{"model":"gpt-4o-mini-2024-07-18","created":1764230400,"usage":{"prompt_tokens":1200,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":100}}}"#,
        );
        assert_eq!(
            r.tokens,
            Tokens {
                input: 1200,
                cached: 1024,
                cache_write: 0,
                cache_write_1h: 0,
                output: 300,
                reasoning: 100
            }
        );
        assert_eq!(r.time, Some(1_764_230_400.0));
        // Anthropic: input_tokens are the uncached ones: 50 + 2,000 read +
        // 300 written = 2,350 in all.
        let a = record(
            r#"{"model":"claude-sonnet-4-20250514","usage":{"input_tokens":50,"cache_read_input_tokens":2000,"cache_creation_input_tokens":300,"output_tokens":80}}"#,
        );
        assert_eq!(
            a.tokens,
            Tokens {
                input: 2350,
                cached: 2000,
                cache_write: 300,
                cache_write_1h: 0,
                output: 80,
                reasoning: 0
            }
        );
        // OpenAI Responses
        let o = record(
            r#"{"model":"gpt-5","usage":{"input_tokens":900,"input_tokens_details":{"cached_tokens":512},"output_tokens":400,"output_tokens_details":{"reasoning_tokens":256}}}"#,
        );
        assert_eq!(
            (o.tokens.input, o.tokens.cached, o.tokens.reasoning),
            (900, 512, 256)
        );
        // Gemini: thoughts are output too.
        let g = record(
            r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":3000,"cachedContentTokenCount":2048,"candidatesTokenCount":200,"thoughtsTokenCount":500}}"#,
        );
        assert_eq!(
            g.tokens,
            Tokens {
                input: 3000,
                cached: 2048,
                cache_write: 0,
                cache_write_1h: 0,
                output: 700,
                reasoning: 500
            }
        );
        assert_eq!(g.model, "gemini-2.5-flash");
    }

    #[test]
    fn spans_and_dates() {
        let span: Value = serde_json::from_str(r#"{"traceId":"t1","name":"chat draft","startTimeUnixNano":"1764230400000000000","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1500"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"90"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"1024"}}]}"#).unwrap();
        let r = from_span(&span, &Fields::default()).unwrap();
        assert_eq!(
            (r.tokens.input, r.tokens.cached, r.tokens.output),
            (1500, 1024, 90)
        );
        assert_eq!(r.request.as_deref(), Some("t1"));
        assert_eq!(r.time, Some(1_764_230_400.0));
        // 2026-11-27 is day 20,784 since the epoch
        assert_eq!(
            iso_seconds("2026-11-27T00:00:00Z"),
            Some(20_784.0 * 86_400.0)
        );
    }
}
