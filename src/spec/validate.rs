//! Raw spec → validated `Spec`. Collects every problem rather than stopping
//! at the first, each located by the path of the value it concerns.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::raw::*;
use super::*;
use crate::nearest::did_you_mean;
use crate::pricing::{CacheTtl, Region, Service, ServiceTier, Speed};
use crate::ratio::Ratio;
use crate::template;
use crate::yaml::Num;

const ROLES: [&str; 5] = ["system", "developer", "user", "assistant", "tool"];

struct Checker<'a> {
    file: &'a SpecFile,
    prices: &'a PriceTable,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, path: &Path, message: impl Into<String>) {
        self.errors.push(self.file.diagnostic(path, message));
    }

    fn error_help(&mut self, path: &Path, message: impl Into<String>, help: impl Into<String>) {
        self.errors
            .push(self.file.diagnostic(path, message).with_help(help));
    }

    fn non_negative(&mut self, path: &Path, n: Num, q: Quantity) -> Decimal {
        let v = n.value();
        let (max, what) = q.bound();
        // Far below any real price, traffic or count, and what the exact
        // arithmetic needs: a margin divides by revenue, break-even by
        // traffic (revenue 1e-28 once overflowed).
        let smallest = Decimal::new(1, 9);
        if v.is_sign_negative() && !v.is_zero() {
            self.error(path, format!("`{path}` must not be negative, found {v}"));
        } else if !v.is_zero() && v < smallest {
            self.error_help(
                path,
                format!("`{path}` is {v}, less than 0.000000001 but not 0"),
                "check the number's unit and magnitude, or write 0",
            );
        } else if v > max {
            self.error_help(
                path,
                format!("`{path}` is {v}, more than {what}"),
                "check the number's unit and magnitude",
            );
        }
        v
    }

    /// A ratio's value under the one rule for ratios: a bare number above 1
    /// is an error that suggests the percentage (`suffix`: `%` or `pt`).
    fn ratio(&mut self, path: &Path, r: Ratio, suffix: &str) -> Decimal {
        r.unambiguous().unwrap_or_else(|a| {
            self.error_help(path, format!("`{path}`: {}", a.message()), a.help(suffix));
            a.0
        })
    }

    fn rate(&mut self, path: &Path, r: Ratio) -> Decimal {
        let v = r.value;
        if v < Decimal::ZERO || v > Decimal::ONE {
            let help = match r.unambiguous() {
                Err(a) => a.help("%"),
                Ok(_) => "write rates as fractions (0.8) or percentages (`80%`)".into(),
            };
            self.error_help(
                path,
                format!("`{path}` must be between 0 and 1 (0% and 100%), found {v}"),
                help,
            );
        }
        v
    }

    fn model(&mut self, path: &Path, name: &str) {
        if self.prices.get(name).is_some() {
            return;
        }
        let placed = self.file.diagnostic(path, String::new());
        let d = self
            .prices
            .unknown_model(&placed.file, placed.location, name);
        self.errors.push(d);
    }

    /// An empty name is wrong whatever the options; where a file may be is
    /// `resolve`'s to judge, since it knows `--root` and
    /// `--allow-outside-files`.
    fn relative_file(&mut self, path: &Path, file: &str) {
        if file.trim().is_empty() {
            self.error(path, "the file name is empty");
        }
    }

    fn variables(
        &mut self,
        at: &Path,
        raw: BTreeMap<String, RawVariable>,
    ) -> BTreeMap<String, Variable> {
        let mut out = BTreeMap::new();
        for (name, v) in raw {
            let path = at.key(&name);
            let given = [
                v.text.is_some(),
                v.file.is_some(),
                v.tokens.is_some(),
                v.samples.is_some(),
            ];
            if given.iter().filter(|g| **g).count() != 1 {
                self.error_help(&path, format!("variable `{name}` must have exactly one of `text`, `file`, `tokens`, `samples`"), "e.g. `{ tokens: 1500 }` or `{ file: samples/ticket.txt }`");
                continue;
            }
            let source = if let Some(t) = v.text {
                Source::Text(t)
            } else if let Some(f) = v.file {
                self.relative_file(&path.key("file"), &f);
                Source::File(f, path.key("file"))
            } else if let Some(n) = v.tokens {
                Source::Tokens(self.non_negative(&path.key("tokens"), n, Quantity::Tokens))
            } else {
                let glob = v.samples.unwrap_or_default();
                self.relative_file(&path.key("samples"), &glob);
                Source::Samples(glob, path.key("samples"))
            };
            let per_request = matches!(source, Source::Samples(..)) || v.per_request == Some(true);
            out.insert(
                name,
                Variable {
                    source,
                    per_request,
                },
            );
        }
        out
    }

    fn call(
        &mut self,
        index: usize,
        raw: RawCall,
        default_model: &str,
        defaults: Service,
        globals: &BTreeMap<String, Variable>,
    ) -> Call {
        let at = Path::root().key("calls").index(index);
        let own_model = raw.model.is_some();
        let model = match raw.model {
            Some(m) => {
                self.model(&at.key("model"), &m);
                m
            }
            None => default_model.to_string(),
        };
        if raw.messages.is_empty() {
            self.error(
                &at.key("messages"),
                format!("call `{}` has no messages", raw.name),
            );
        }
        let variables = self.variables(&at.key("variables"), raw.variables);
        let messages: Vec<Message> = raw
            .messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| self.message(at.key("messages").index(i), m, &variables, globals))
            .collect();
        let output_tokens = self.output_tokens(&at.key("output_tokens"), raw.output_tokens);
        let reasoning_tokens = raw
            .reasoning_tokens
            .map(|n| self.non_negative(&at.key("reasoning_tokens"), n, Quantity::Tokens));
        let runs_per_request =
            self.runs_per_request(&at.key("calls_per_request"), raw.calls_per_request);
        let cache = raw
            .cache
            .map(|c| self.cache(&at.key("cache"), c, &messages, &model));
        let tools = raw.tools.map(|t| match t {
            RawTools::File { file } => {
                self.relative_file(&at.key("tools").key("file"), &file);
                Tools::File(file, at.key("tools").key("file"))
            }
            RawTools::Inline(json) => Tools::Json(json.0),
        });
        let conversation = raw
            .conversation
            .map(|c| self.conversation(&at.key("conversation"), c));
        let serving = self.serving(&at, &model, own_model, raw.route, raw.cascade);
        if raw.batch {
            self.batch_prices(&at.key("batch"), &model, &serving.legs());
        }
        let service = self.service(&at, [raw.service_tier, raw.region, raw.speed], defaults);
        self.service_offered(&at, service, raw.batch, &serving.legs());
        let retry_rate = raw
            .retry_rate
            .map(|r| self.rate(&at.key("retry_rate"), r))
            .unwrap_or_default();
        let is_async = self.latency(&at.key("latency"), raw.latency.as_deref());
        Call {
            name: crate::neutral::label(&raw.name),
            serving,
            messages,
            variables,
            tools,
            output_tokens,
            reasoning_tokens,
            runs_per_request,
            cache,
            batch: raw.batch,
            service,
            path: at,
            conversation,
            retry_rate,
            is_async,
        }
    }

    /// One message: a known role, and exactly one of `text` (whose
    /// placeholders must be defined) or `file`.
    fn message(
        &mut self,
        path: Path,
        m: RawMessage,
        variables: &BTreeMap<String, Variable>,
        globals: &BTreeMap<String, Variable>,
    ) -> Message {
        if !ROLES.contains(&m.role.as_str()) {
            let help = match did_you_mean(&m.role, ROLES) {
                Some(r) => format!("did you mean `{r}`?"),
                None => format!("roles are {}", ROLES.join(", ")),
            };
            self.error_help(
                &path.key("role"),
                format!("unknown role `{}`", m.role),
                help,
            );
        }
        let content = match (m.text, m.file, m.tokens) {
            (None, None, Some(n)) => {
                Content::Tokens(self.non_negative(&path.key("tokens"), n, Quantity::Tokens))
            }
            (Some(t), None, None) => {
                for name in template::variables(&t) {
                    if variables.contains_key(name) || globals.contains_key(name) {
                        continue;
                    }
                    let known = variables.keys().chain(globals.keys()).map(String::as_str);
                    let help = match did_you_mean(name, known) {
                        Some(k) => format!("did you mean `{{{{{k}}}}}`?"),
                        None => format!(
                            "define it under `variables:` (e.g. `{name}: {{ tokens: 500 }}`)"
                        ),
                    };
                    self.error_help(
                        &path.key("text"),
                        format!("`{{{{{name}}}}}` is not a defined variable"),
                        help,
                    );
                }
                Content::Text(t)
            }
            (None, Some(f), None) => {
                self.relative_file(&path.key("file"), &f);
                Content::File(f)
            }
            _ => {
                self.error(
                    &path,
                    "a message needs exactly one of `text`, `file` or `tokens`",
                );
                Content::Text(String::new())
            }
        };
        Message {
            role: m.role,
            name: m.name,
            content,
            path,
        }
    }

    /// A number of output tokens, or `{ mean, p95 }` with p95 ≥ mean.
    fn output_tokens(&mut self, at: &Path, raw: RawOutputTokens) -> Distribution {
        match raw {
            RawOutputTokens::Mean(n) => {
                let v = self.non_negative(at, n, Quantity::Tokens);
                Distribution { mean: v, p95: v }
            }
            RawOutputTokens::Distribution(d) => {
                let mean = self.non_negative(&at.key("mean"), d.mean, Quantity::Tokens);
                let p95 = d
                    .p95
                    .map(|p| self.non_negative(&at.key("p95"), p, Quantity::Tokens))
                    .unwrap_or(mean);
                if p95 < mean {
                    self.error(
                        &at.key("p95"),
                        format!("p95 ({p95}) is below the mean ({mean})"),
                    );
                }
                Distribution { mean, p95 }
            }
        }
    }

    fn runs_per_request(&mut self, at: &Path, raw: Option<Num>) -> Decimal {
        let Some(n) = raw else {
            return Decimal::ONE;
        };
        let v = self.non_negative(at, n, Quantity::Runs);
        if v.is_zero() {
            self.error_help(
                at,
                "`calls_per_request` is 0",
                "remove the call if it never runs",
            );
        }
        v
    }

    /// Prompt caching: a prefix the call's messages have, a hit rate, and a
    /// TTL the model prices.
    fn cache(&mut self, at: &Path, c: RawCache, messages: &[Message], model: &str) -> Cache {
        let hit_rate = self.rate(&at.key("hit_rate"), c.hit_rate);
        let prefix = match c.prefix {
            RawPrefix::Role(role) => {
                if !messages.iter().any(|m| m.role == role) {
                    let roles: BTreeSet<&str> = messages.iter().map(|m| m.role.as_str()).collect();
                    self.error_help(
                        &at.key("prefix"),
                        format!("no message has role `{role}`"),
                        format!(
                            "the prefix names a role of this call's messages ({}) or a number of messages",
                            roles.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                CachePrefix::Role(role)
            }
            RawPrefix::Messages(n) => {
                if n == 0 || n as usize > messages.len() {
                    self.error(
                        &at.key("prefix"),
                        format!(
                            "the prefix must be 1 to {} messages, found {n}",
                            messages.len()
                        ),
                    );
                }
                CachePrefix::Messages(n as usize)
            }
        };
        let ttl = match c.ttl.as_deref() {
            None | Some("5m") => CacheTtl::Minutes5,
            Some("1h") => {
                if let Some(m) = self.prices.get(model)
                    && m.rates.cache_write.is_some()
                    && m.cache_write_1h.is_none()
                {
                    self.error_help(
                        &at.key("ttl"),
                        format!("`{}` has no 1-hour cache-write price", m.name),
                        "use `ttl: 5m`, or add `cache_write_1h` with --pricing",
                    );
                }
                CacheTtl::Hour1
            }
            Some(other) => {
                self.error_help(
                    &at.key("ttl"),
                    format!("unknown cache TTL `{other}`"),
                    "write `5m` (the default) or `1h`",
                );
                CacheTtl::Minutes5
            }
        };
        Cache {
            prefix,
            hit_rate,
            ttl,
        }
    }

    /// `batch: true` needs batch prices on the call's model and on every
    /// model it routes or escalates to.
    fn batch_prices(&mut self, at: &Path, model: &str, legs: &[Leg]) {
        if let Some(m) = self.prices.get(model)
            && !crate::billing::batch_priced(m)
        {
            self.error_help(
                at,
                format!("`{}` has no batch prices", m.name),
                "set `batch: false`, or pick a model with a batch API",
            );
        }
        for leg in legs.iter().skip(1) {
            if let Some(m) = self.prices.get(&leg.model)
                && !crate::billing::batch_priced(m)
            {
                self.error_help(
                    at,
                    format!("`{}` has no batch prices", m.name),
                    "set `batch: false`, or route to models with a batch API",
                );
            }
        }
    }

    /// The `service_tier`, `region` and `speed` written at `at`, each
    /// falling back to `defaults` (the spec's own, for a call).
    fn service(&mut self, at: &Path, raw: [Option<String>; 3], defaults: Service) -> Service {
        let [tier, region, speed] = raw;
        let mut pick = |key: &str, text: Option<String>, names: &[&str]| -> Option<usize> {
            let text = text?;
            let found = names.iter().position(|n| *n == text);
            if found.is_none() {
                self.error_help(
                    &at.key(key),
                    format!("unknown {key} `{}`", crate::neutral::label(&text)),
                    format!("`{key}` is one of: {}", names.join(", ")),
                );
            }
            found
        };
        let tiers = ServiceTier::ALL.map(ServiceTier::name);
        let regions = Region::ALL.map(Region::name);
        let speeds = Speed::ALL.map(Speed::name);
        Service {
            tier: pick("service_tier", tier, &tiers).map_or(defaults.tier, |i| ServiceTier::ALL[i]),
            region: pick("region", region, &regions).map_or(defaults.region, |i| Region::ALL[i]),
            speed: pick("speed", speed, &speeds).map_or(defaults.speed, |i| Speed::ALL[i]),
        }
    }

    /// A service tier and fast mode must be offered by every model serving
    /// the call, and neither goes with `batch: true`.
    fn service_offered(&mut self, at: &Path, service: Service, batch: bool, legs: &[Leg]) {
        if batch && (service.tier != ServiceTier::Standard || service.speed == Speed::Fast) {
            let what = if service.speed == Speed::Fast {
                "`speed: fast`".to_string()
            } else {
                format!("`service_tier: {}`", service.tier.name())
            };
            self.error_help(
                &at.key("batch"),
                format!("`batch: true` and {what} conflict: the batch API has its own prices"),
                "drop `batch`, or the service tier / speed (at the call or the spec's top level)",
            );
            return;
        }
        for leg in legs {
            let Some(m) = self.prices.get(&leg.model) else {
                continue;
            };
            if service.tier != ServiceTier::Standard && m.offers.tier(service.tier).is_none() {
                let offered: Vec<&str> =
                    m.offers.tiers_offered().iter().map(|t| t.name()).collect();
                self.error_help(
                    &at.key("service_tier"),
                    format!(
                        "`{}` is not offered at the `{}` service tier",
                        m.name,
                        service.tier.name()
                    ),
                    format!("`{}` is offered at: {}", m.name, offered.join(", ")),
                );
            }
            if service.speed == Speed::Fast && m.offers.fast.is_none() {
                self.error_help(
                    &at.key("speed"),
                    format!("`{}` has no fast mode", m.name),
                    "drop `speed: fast`, or pick a model that offers it (`llm-cost models NAME` says)",
                );
            }
        }
    }

    /// `interactive` (the default) or `async`: whether anyone waits.
    fn latency(&mut self, at: &Path, raw: Option<&str>) -> bool {
        match raw {
            None | Some("interactive") => false,
            Some("async") => true,
            Some(other) => {
                self.error_help(
                    at,
                    format!("unknown latency `{other}`"),
                    "write `interactive` (the default) or `async` (may run as a batch job)",
                );
                false
            }
        }
    }

    fn conversation(&mut self, at: &Path, c: RawConversation) -> Conversation {
        let turns = c.turns.value();
        if turns < Decimal::ONE || !turns.fract().is_zero() || turns > Decimal::from(1000) {
            self.error(
                &at.key("turns"),
                format!("`turns` must be a whole number from 1 to 1000, found {turns}"),
            );
        }
        let turns = u32::try_from(turns).unwrap_or(1).max(1);
        let given = [c.history.is_some(), c.window.is_some(), c.summary.is_some()]
            .iter()
            .filter(|g| **g)
            .count();
        if given > 1 {
            self.error_help(
                at,
                "a conversation takes one of `history: full`, `window: K` or `summary: TOKENS`",
                "e.g. `conversation: { turns: 6, window: 4 }`",
            );
        }
        let history = if let Some(w) = c.window {
            let v = w.value();
            if v < Decimal::ONE || !v.fract().is_zero() {
                self.error(
                    &at.key("window"),
                    format!("`window` is a whole number of turns, at least 1, found {v}"),
                );
            }
            History::Window(u32::try_from(v).unwrap_or(1).max(1))
        } else if let Some(s) = c.summary {
            History::Summary(self.non_negative(&at.key("summary"), s, Quantity::Tokens))
        } else {
            match c.history.as_deref() {
                None | Some("full") => History::Full,
                Some(other) => {
                    self.error_help(
                        &at.key("history"),
                        format!("unknown history `{other}`"),
                        "write `history: full`, or use `window: K` or `summary: TOKENS`",
                    );
                    History::Full
                }
            }
        };
        Conversation { turns, history }
    }

    /// The models a call runs on: its own, a `route` by share, or a `cascade`.
    fn serving(
        &mut self,
        at: &Path,
        model: &str,
        own_model: bool,
        route: Option<Vec<RawRouteLeg>>,
        cascade: Option<RawCascade>,
    ) -> Serving {
        let single = Serving::Model(model.to_string());
        if (route.is_some() || cascade.is_some()) && own_model {
            self.error_help(
                &at.key("model"),
                "a call with `route` or `cascade` names its models there, not in `model`",
                "remove `model` from this call",
            );
        }
        match (route, cascade) {
            (Some(_), Some(_)) => {
                self.error(
                    &at.key("cascade"),
                    "a call takes `route` or `cascade`, not both",
                );
                single
            }
            (Some(legs), None) => self.route(&at.key("route"), legs).unwrap_or(single),
            (None, Some(c)) => {
                let at = at.key("cascade");
                self.model(&at.key("first"), &c.first);
                self.model(&at.key("then"), &c.then);
                let escalation_rate = self.rate(&at.key("escalation_rate"), c.escalation_rate);
                Serving::Cascade {
                    first: c.first,
                    then: c.then,
                    escalation_rate,
                }
            }
            (None, None) => single,
        }
    }

    /// A route's legs, whose shares must add up to 1.
    fn route(&mut self, at: &Path, legs: Vec<RawRouteLeg>) -> Option<Serving> {
        if legs.is_empty() {
            self.error(at, "`route` lists no models");
            return None;
        }
        let mut total = Decimal::ZERO;
        let mut out = Vec::new();
        for (i, l) in legs.into_iter().enumerate() {
            self.model(&at.index(i).key("model"), &l.model);
            let share = self.rate(&at.index(i).key("share"), l.share);
            total += share;
            out.push(Leg {
                model: l.model,
                weight: share,
            });
        }
        if total != Decimal::ONE {
            self.error_help(
                at,
                format!("route shares add up to {total}, not 1"),
                "shares are fractions of the call's runs: 0.8 and 0.2",
            );
        }
        Some(Serving::Route(out))
    }

    fn traffic(&mut self, raw: RawTraffic) -> Traffic {
        let at = Path::root().key("traffic");
        let forms = [
            raw.requests_per_day.is_some(),
            raw.requests_per_month.is_some(),
            raw.users.is_some() || raw.requests_per_user_per_day.is_some(),
        ];
        let volume = match (
            raw.requests_per_day,
            raw.requests_per_month,
            raw.users,
            raw.requests_per_user_per_day,
        ) {
            _ if forms.iter().filter(|f| **f).count() != 1 => {
                self.error_help(&at, "traffic needs exactly one of `requests_per_day`, `requests_per_month`, or `users` with `requests_per_user_per_day`", "e.g. `requests_per_day: 20000`");
                Volume::PerDay(Decimal::ZERO)
            }
            (Some(d), ..) => {
                Volume::PerDay(self.non_negative(&at.key("requests_per_day"), d, Quantity::Traffic))
            }
            (_, Some(m), ..) => Volume::PerMonth(self.non_negative(
                &at.key("requests_per_month"),
                m,
                Quantity::Traffic,
            )),
            (_, _, Some(u), Some(r)) => Volume::Users {
                users: self.non_negative(&at.key("users"), u, Quantity::Traffic),
                requests_per_user_per_day: self.non_negative(
                    &at.key("requests_per_user_per_day"),
                    r,
                    Quantity::Traffic,
                ),
            },
            _ => {
                self.error(&at, "`users` and `requests_per_user_per_day` go together");
                Volume::PerDay(Decimal::ZERO)
            }
        };
        let days_per_month = match raw.days_per_month {
            Some(d) => {
                let v = d.value();
                if v <= Decimal::ZERO || v > Decimal::from(31) {
                    self.error(
                        &at.key("days_per_month"),
                        format!("`days_per_month` must be between 1 and 31, found {v}"),
                    );
                }
                v
            }
            None => Decimal::from(30),
        };
        let growth_per_month = raw.growth_per_month.map(|g| {
            let path = at.key("growth_per_month");
            let g = self.ratio(&path, g, "%");
            if g < -Decimal::ONE {
                self.error(
                    &path,
                    "`growth_per_month` cannot shrink traffic by more than 100%",
                );
            }
            g
        });
        Traffic {
            volume,
            days_per_month,
            growth_per_month,
        }
    }

    fn economics(&mut self, raw: RawEconomics, traffic: &Traffic) -> Economics {
        let at = Path::root().key("economics");
        let traffic_users = match traffic.volume {
            Volume::Users { users, .. } => Some(users),
            _ => None,
        };
        let own = raw
            .users
            .map(|u| self.non_negative(&at.key("users"), u, Quantity::Traffic));
        // One number of users: two that disagree would price traffic for
        // one population and revenue for another, silently.
        if let (Some(e), Some(t)) = (own, traffic_users)
            && e != t
        {
            self.error_help(
                &at.key("users"),
                format!("`economics.users` ({e}) disagrees with `traffic.users` ({t})"),
                "give users once: `traffic.users` is used for both",
            );
        }
        let users = own.or(traffic_users);
        let forms = [
            raw.revenue_per_user_per_month,
            raw.revenue_per_request,
            raw.revenue_per_month,
        ];
        let revenue = if forms.iter().filter(|f| f.is_some()).count() != 1 {
            self.error_help(&at, "economics needs exactly one of `revenue_per_user_per_month`, `revenue_per_request`, `revenue_per_month`", "e.g. `revenue_per_user_per_month: 20` with `users: 5000`");
            Revenue::PerMonth(Decimal::ZERO)
        } else if let Some(r) = raw.revenue_per_user_per_month {
            if users.is_none() {
                self.error_help(
                    &at.key("revenue_per_user_per_month"),
                    "revenue per user needs a number of users",
                    "add `users:` under economics",
                );
            }
            Revenue::PerUserPerMonth(self.non_negative(
                &at.key("revenue_per_user_per_month"),
                r,
                Quantity::Dollars,
            ))
        } else if let Some(r) = raw.revenue_per_request {
            Revenue::PerRequest(self.non_negative(
                &at.key("revenue_per_request"),
                r,
                Quantity::Dollars,
            ))
        } else {
            Revenue::PerMonth(self.non_negative(
                &at.key("revenue_per_month"),
                raw.revenue_per_month.unwrap_or_default(),
                Quantity::Dollars,
            ))
        };
        let other_cost_per_month = raw
            .other_cost_per_month
            .map(|c| self.non_negative(&at.key("other_cost_per_month"), c, Quantity::Dollars))
            .unwrap_or_default();
        Economics {
            grows_with_traffic: raw
                .grows_with_traffic
                .unwrap_or(!matches!(revenue, Revenue::PerMonth(_))),
            users,
            revenue,
            other_cost_per_month,
        }
    }

    fn budget(&mut self, raw: RawBudget, has_economics: bool) -> Budget {
        let at = Path::root().key("budget");
        let budget = Budget {
            max_cost_per_request: raw
                .max_cost_per_request
                .map(|n| self.non_negative(&at.key("max_cost_per_request"), n, Quantity::Dollars)),
            max_monthly_spend: raw
                .max_monthly_spend
                .map(|n| self.non_negative(&at.key("max_monthly_spend"), n, Quantity::Dollars)),
            min_gross_margin: raw.min_gross_margin.map(|r| {
                let path = at.key("min_gross_margin");
                let v = self.ratio(&path, r, "%");
                if v > Decimal::ONE {
                    self.error_help(
                        &path,
                        format!("a margin cannot exceed 100%, found {v}"),
                        "write margins as fractions (0.75) or percentages (`75%`)",
                    );
                }
                v
            }),
            max_margin_drop: raw.max_margin_drop.map(|r| {
                let path = at.key("max_margin_drop");
                if r.bare && r.value > Decimal::ONE {
                    self.ratio(&path, r, "pt")
                } else {
                    self.rate(&path, r)
                }
            }),
            max_increase: None,
            max_price_age: None,
        };
        if !has_economics {
            for (key, set) in [
                ("min_gross_margin", budget.min_gross_margin.is_some()),
                ("max_margin_drop", budget.max_margin_drop.is_some()),
            ] {
                if set {
                    self.error_help(
                        &at.key(key),
                        format!("`{key}` needs an `economics` block"),
                        "add `economics:` with revenue and current costs",
                    );
                }
            }
        }
        budget
    }
}

/// Upper bounds far beyond any real feature, which keep every product the
/// arithmetic forms inside the exact decimal range.
/// What a number in the spec counts, which says its largest sensible value
/// and the unit a message names (no longer guessed from the key's name: a
/// `conversation.summary` of tokens was once said to be over 10^15 dollars).
#[derive(Debug, Clone, Copy)]
enum Quantity {
    Tokens,
    Runs,
    Traffic,
    Dollars,
}

impl Quantity {
    fn bound(self) -> (Decimal, &'static str) {
        let at = |n: u64, what| (Decimal::from(n), what);
        match self {
            Quantity::Tokens => at(1_000_000_000, "a billion tokens per run"),
            Quantity::Runs => at(1_000_000, "a million runs per request"),
            Quantity::Traffic => at(1_000_000_000_000, "a trillion"),
            Quantity::Dollars => at(1_000_000_000_000_000, "10^15 dollars"),
        }
    }
}

pub fn validate(
    raw: RawSpec,
    file: SpecFile,
    prices: &PriceTable,
) -> std::result::Result<Spec, Vec<Diagnostic>> {
    let mut c = Checker {
        file: &file,
        prices,
        errors: Vec::new(),
    };
    let root = Path::root();
    if let Some(v) = raw.version
        && v.value() != Decimal::ONE
    {
        c.error(
            &root.key("version"),
            format!("this llm-cost reads spec version 1, found {}", v.value()),
        );
    }
    if raw.feature.trim().is_empty() {
        c.error(&root.key("feature"), "`feature` is empty; name the feature");
    }
    c.model(&root.key("model"), &raw.model);
    for (i, m) in raw.compare.iter().enumerate() {
        c.model(&root.key("compare").index(i), m);
    }
    if raw.calls.is_empty() {
        c.error(&root.key("calls"), "the spec has no calls");
    }
    let variables = c.variables(&root.key("variables"), raw.variables);
    let defaults = c.service(
        &root,
        [raw.service_tier, raw.region, raw.speed],
        Service::default(),
    );
    let mut names = BTreeSet::new();
    let mut calls = Vec::new();
    for (i, rc) in raw.calls.into_iter().enumerate() {
        if !names.insert(rc.name.clone()) {
            c.error(
                &root.key("calls").index(i).key("name"),
                format!("two calls are named `{}`", rc.name),
            );
        }
        calls.push(c.call(i, rc, &raw.model, defaults, &variables));
    }
    let traffic = c.traffic(raw.traffic);
    let economics = raw.economics.map(|e| c.economics(e, &traffic));
    let budget = raw
        .budget
        .map(|b| c.budget(b, economics.is_some()))
        .unwrap_or_default();
    let errors = c.errors;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Spec {
        file,
        scenarios: raw.scenarios.keys().cloned().collect(),
        feature: crate::neutral::label(&raw.feature),
        model: raw.model,
        compare: raw.compare,
        calls,
        variables,
        traffic,
        economics,
        budget,
    })
}
