//! The spec: reading a feature's YAML description and turning it into the
//! validated model every later stage works from. Everything here knows the
//! file it came from, so a later stage's complaint can point at a line.

pub mod raw;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path as FsPath, PathBuf};

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pricing::PriceTable;
use crate::yaml::{self, Path};

/// The spec file, kept so any value can be located by its path.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// As the user named it, for messages (neutralised: see `neutral`).
    pub display: String,
    /// The path itself, for reading and for GitHub's annotation properties.
    pub path: PathBuf,
    /// The folder prompt files resolve against.
    pub dir: PathBuf,
    pub source: String,
    /// Values replaced by `--set` or a scenario, with where each came from,
    /// so a complaint about one points at the override, not the file.
    pub overrides: Vec<(Path, String)>,
    /// Where each key and value of `source` is, indexed on the first
    /// message that needs a location and shared by the spec's variants.
    pub spans: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<yaml::Spans>>>,
    /// The files read for this spec's source so far, shared by its variants.
    pub files: FileStore,
}

/// The path and value of a `--set PATH=VALUE` override, as typed; None
/// for a scenario's.
fn typed_set(origin: &str) -> Option<(&str, &str)> {
    origin.strip_prefix("--set ")?.split_once('=')
}

/// `typed` less its last `strip` segments (`calls.a.messages[0].tokens`,
/// 1 → `calls.a.messages[0]`).
fn outer_path(typed: &str, strip: usize) -> String {
    let mut path = typed;
    for _ in 0..strip {
        let cut = if path.ends_with(']') {
            path.rfind('[')
        } else {
            path.rfind('.')
        };
        path = &path[..cut.unwrap_or(0)];
    }
    path.to_string()
}

/// The prompt files and samples one spec's run has read, shared by every
/// variant of it (a compared model, a scenario, a suggestion): each file is
/// read once per run, so a variant sees the same text as the base estimate
/// (no window for a file to change between two reads).
pub type FileStore = std::sync::Arc<std::sync::Mutex<BTreeMap<PathBuf, std::sync::Arc<String>>>>;

/// A spec's text, read once (from a file or from stdin), that every variant
/// of a run is loaded from: no variant reads the spec again.
#[derive(Debug, Clone)]
pub struct SpecSource {
    path: PathBuf,
    display: String,
    text: String,
    files: FileStore,
}

impl SpecSource {
    /// Reads the spec at `path` (`-`: standard input), bounded.
    pub fn read(path: &FsPath) -> Result<SpecSource> {
        // A file name can come from a pull request too (`specs/**/*.yaml`).
        // `-` is a spec piped in; its prompt files resolve from here.
        let stdin = path == FsPath::new("-");
        let display = if stdin {
            "<stdin>".to_string()
        } else {
            crate::neutral::label(&path.display().to_string())
        };
        let read = if stdin {
            crate::limits::read_stdin(crate::limits::SPEC_BYTES)
        } else {
            crate::limits::read_text(path, crate::limits::SPEC_BYTES)
        };
        let text = read.map_err(|e| {
            let d = Diagnostic::new(&display, None, format!("the spec {e}"));
            Error::input(match e {
                crate::limits::ReadError::TooLarge(_) => d.with_help(
                    "a spec describes a feature in a few kilobytes; put long text in prompt files",
                ),
                _ => d,
            })
        })?;
        Ok(SpecSource::new(path, display, text))
    }

    /// A spec's text already read, with no file read for it yet.
    fn new(path: &FsPath, display: String, text: String) -> SpecSource {
        SpecSource {
            path: path.to_path_buf(),
            display,
            text,
            files: FileStore::default(),
        }
    }

    /// The spec as read, with `overrides` applied, validated.
    pub fn load(&self, prices: &PriceTable, overrides: &Overrides) -> Result<Spec> {
        load_text(self, prices, overrides)
    }
}

impl SpecFile {
    pub fn diagnostic(&self, path: &Path, message: impl Into<String>) -> Diagnostic {
        if let Some((_, origin)) = self
            .overrides
            .iter()
            .rev()
            .find(|(p, _)| path.0.starts_with(&p.0))
        {
            return Diagnostic::new(origin, None, message);
        }
        // A `--set` inside the value that is wrong (`messages[0].tokens=…`
        // on a message with `text`) made it wrong: say so there, not at the
        // file's line, and say how to set the whole value.
        if let Some((inner, origin, (typed, value))) = self
            .overrides
            .iter()
            .rev()
            .filter(|(inner, _)| inner.0.starts_with(&path.0))
            .find_map(|(inner, origin)| Some((inner, origin, typed_set(origin)?)))
        {
            let whole = outer_path(typed, inner.0.len() - path.0.len());
            let is_message = matches!(
                path.0.as_slice(),
                [.., yaml::Seg::Key(k), yaml::Seg::Index(_)] if k == "messages"
            );
            let example = match inner.0.last() {
                Some(yaml::Seg::Key(key)) if is_message && inner.0.len() == path.0.len() + 1 => {
                    let role = yaml::scalar_at(&self.source, &path.key("role"))
                        .filter(|r| r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphabetic()))
                        .unwrap_or_else(|| "user".into());
                    // The key and value the user set, in the whole message.
                    format!("{{ role: {role}, {key}: {value} }}")
                }
                _ => "{ … }".to_string(),
            };
            return Diagnostic::new(origin, None, message).with_help(format!(
                "this --set changes one key inside `{whole}`, beside the keys the file gives it; replace the whole value instead: --set '{whole}={example}'"
            ));
        }
        Diagnostic::new(&self.display, self.spans().locate(path), message)
    }

    /// Where the key at `path` is written, if it is.
    pub fn key_location(&self, path: &Path) -> Option<crate::diagnostic::Location> {
        self.spans().key(&path.0)
    }

    fn spans(&self) -> &yaml::Spans {
        self.spans
            .get_or_init(|| std::sync::Arc::new(yaml::Spans::of(&self.source)))
    }
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub file: SpecFile,
    /// The names of the spec's scenarios, in order.
    pub scenarios: Vec<String>,
    pub feature: String,
    pub model: String,
    pub compare: Vec<String>,
    pub calls: Vec<Call>,
    pub variables: BTreeMap<String, Variable>,
    pub traffic: Traffic,
    pub economics: Option<Economics>,
    pub budget: Budget,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub name: String,
    /// The model or models that serve the call's runs.
    pub serving: Serving,
    pub messages: Vec<Message>,
    pub variables: BTreeMap<String, Variable>,
    pub tools: Option<Tools>,
    pub output_tokens: Distribution,
    /// None where the spec does not say (a reasoning model then warns).
    pub reasoning_tokens: Option<Decimal>,
    pub runs_per_request: Decimal,
    pub cache: Option<Cache>,
    pub batch: bool,
    /// The tier, region and speed its runs are served at.
    pub service: crate::pricing::Service,
    pub path: Path,
    pub conversation: Option<Conversation>,
    /// Share of runs repeated once more.
    pub retry_rate: Decimal,
    /// May run as a batch job (`latency: async`).
    pub is_async: bool,
}

/// What serves a call: one model, a route that splits its runs between
/// models, or a cascade that escalates a share of runs to a second model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serving {
    /// The call's own model, or the spec's.
    Model(String),
    /// Shares of the runs, adding up to 1.
    Route(Vec<Leg>),
    /// Every run on `first`; the `escalation_rate` share runs again on `then`.
    Cascade {
        first: String,
        then: String,
        escalation_rate: Decimal,
    },
}

impl Serving {
    /// Each model with the share of the call's runs billed to it. Route
    /// shares add up to 1; a cascade bills both models, the second for the
    /// escalated share.
    pub fn legs(&self) -> Vec<Leg> {
        match self {
            Serving::Model(m) => vec![Leg {
                model: m.clone(),
                weight: Decimal::ONE,
            }],
            Serving::Route(legs) => legs.clone(),
            Serving::Cascade {
                first,
                then,
                escalation_rate,
            } => vec![
                Leg {
                    model: first.clone(),
                    weight: Decimal::ONE,
                },
                Leg {
                    model: then.clone(),
                    weight: *escalation_rate,
                },
            ],
        }
    }

    /// The model that serves the first run: the call's model in reports.
    pub fn first_model(&self) -> &str {
        match self {
            Serving::Model(m) => m,
            Serving::Route(legs) => legs.first().map_or("", |l| l.model.as_str()),
            Serving::Cascade { first, .. } => first,
        }
    }
}

impl Call {
    /// The model that serves the call's first run.
    pub fn model(&self) -> &str {
        self.serving.first_model()
    }

    /// Whether `model` reasons by default while the call does not say how
    /// much: its hidden reasoning, billed as output, is then left out.
    pub fn leaves_out_reasoning(&self, model: &crate::pricing::ModelPrice) -> bool {
        model.reasoning && self.reasoning_tokens.is_none()
    }
}

/// One model a call runs on, and for what share of its runs. Route legs
/// share the runs; a cascade's second leg runs on top of the first for the
/// escalated share, so both are billed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    pub model: String,
    pub weight: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub turns: u32,
    pub history: History,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Full,
    Window(u32),
    Summary(Decimal),
}

#[derive(Debug, Clone)]
pub struct Message {
    pub role: String,
    pub name: Option<String>,
    pub content: Content,
    pub path: Path,
}

#[derive(Debug, Clone)]
pub enum Content {
    Text(String),
    File(String),
    /// `tokens: N`: a message sized, not written out.
    Tokens(Decimal),
}

/// A variable and whether it differs on every request (`samples` always
/// do; others are marked `per_request: true`, e.g. retrieved context): a
/// cached prefix stops where per-request content starts.
#[derive(Debug, Clone)]
pub struct Variable {
    pub source: Source,
    pub per_request: bool,
}

#[derive(Debug, Clone)]
pub enum Source {
    Text(String),
    File(String, Path),
    Tokens(Decimal),
    Samples(String, Path),
}

#[derive(Debug, Clone)]
pub enum Tools {
    Json(String),
    File(String, Path),
}

/// A quantity known by its mean, and its 95th percentile where given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distribution {
    pub mean: Decimal,
    pub p95: Decimal,
}

#[derive(Debug, Clone)]
pub struct Cache {
    pub prefix: CachePrefix,
    pub hit_rate: Decimal,
    pub ttl: crate::pricing::CacheTtl,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CachePrefix {
    /// Through the last message with this role.
    Role(String),
    /// The first N messages.
    Messages(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Volume {
    PerDay(Decimal),
    PerMonth(Decimal),
    Users {
        users: Decimal,
        requests_per_user_per_day: Decimal,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    pub volume: Volume,
    pub days_per_month: Decimal,
    pub growth_per_month: Option<Decimal>,
}

impl Traffic {
    /// Traffic multiplied by `factor` (`--scale traffic=3`); for traffic
    /// given as users, there are that many times the users.
    pub fn scale(&mut self, factor: Decimal) {
        self.volume = match self.volume {
            Volume::PerDay(d) => Volume::PerDay(d * factor),
            Volume::PerMonth(m) => Volume::PerMonth(m * factor),
            Volume::Users {
                users,
                requests_per_user_per_day,
            } => Volume::Users {
                users: users * factor,
                requests_per_user_per_day,
            },
        };
    }
}

impl Economics {
    /// `factor` times the customers: users, revenue and other costs.
    fn scale(&mut self, factor: Decimal) {
        self.users = self.users.map(|u| u * factor);
        self.other_cost_per_month *= factor;
        if let Revenue::PerMonth(r) = self.revenue {
            self.revenue = Revenue::PerMonth(r * factor);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revenue {
    PerUserPerMonth(Decimal),
    PerRequest(Decimal),
    PerMonth(Decimal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Economics {
    pub users: Option<Decimal>,
    pub revenue: Revenue,
    pub other_cost_per_month: Decimal,
    /// When traffic grows (growth, `--scale`): true, it comes from more
    /// customers, so revenue and other costs grow with it and the margin
    /// holds; false, from the same customers using it more, so they stay
    /// as given and the AI cost eats into the margin.
    pub grows_with_traffic: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Budget {
    pub max_cost_per_request: Option<Decimal>,
    pub max_monthly_spend: Option<Decimal>,
    pub min_gross_margin: Option<Decimal>,
    pub max_margin_drop: Option<Decimal>,
    /// Largest allowed rise of monthly cost over a baseline (0.1 = +10%);
    /// set from `check --max-increase`, not from the spec.
    pub max_increase: Option<Decimal>,
    /// Largest age of the prices used, in days; from `check --fail-on-stale`.
    pub max_price_age: Option<Decimal>,
}

impl Budget {
    /// The stricter of these limits and `spec`'s, rule by rule: a limit given
    /// on the command line (an organisation-wide cap set in CI) can tighten a
    /// spec's own budget, never relax it.
    pub fn tighten(&self, spec: &Budget) -> Budget {
        fn stricter(
            a: Option<Decimal>,
            b: Option<Decimal>,
            pick: fn(Decimal, Decimal) -> Decimal,
        ) -> Option<Decimal> {
            match (a, b) {
                (Some(a), Some(b)) => Some(pick(a, b)),
                (a, b) => a.or(b),
            }
        }
        Budget {
            max_cost_per_request: stricter(
                self.max_cost_per_request,
                spec.max_cost_per_request,
                Decimal::min,
            ),
            max_monthly_spend: stricter(
                self.max_monthly_spend,
                spec.max_monthly_spend,
                Decimal::min,
            ),
            min_gross_margin: stricter(self.min_gross_margin, spec.min_gross_margin, Decimal::max),
            max_margin_drop: stricter(self.max_margin_drop, spec.max_margin_drop, Decimal::min),
            max_increase: stricter(self.max_increase, spec.max_increase, Decimal::min),
            max_price_age: stricter(self.max_price_age, spec.max_price_age, Decimal::min),
        }
    }
}

/// Changes to a spec made without editing it: a scenario, then `--set`s.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// (path, value) as typed: `traffic.requests_per_day`, `60000`.
    pub sets: Vec<(String, String)>,
    pub scenario: Option<String>,
    /// `--scale traffic=F`: traffic multiplied by F, after the edits.
    pub scale: Option<Decimal>,
}

impl Overrides {
    /// Whether the YAML document itself is edited (a scenario or `--set`s).
    pub fn edits_document(&self) -> bool {
        !self.sets.is_empty() || self.scenario.is_some()
    }
}

/// Reads and validates the spec at `path`; every problem found is reported
/// at once, each with its line and column.
pub fn load(path: &FsPath, prices: &PriceTable) -> Result<Spec> {
    load_with(path, prices, &Overrides::default())
}

/// Applies one scenario's overrides (or checks them, on a scratch copy).
fn apply_scenario(
    doc: &mut yaml::Document,
    file: &SpecFile,
    name: &str,
    entries: &std::collections::BTreeMap<String, yaml::Value>,
    applied: &mut Vec<(Path, String)>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (text, value) in entries {
        let at = Path(vec![
            yaml::Seg::Key("scenarios".into()),
            yaml::Seg::Key(name.into()),
            yaml::Seg::Key(text.clone()),
        ]);
        let located = |m: String| {
            Diagnostic::new(
                &file.display,
                file.key_location(&at),
                format!("scenario `{name}`: {m}"),
            )
        };
        match Path::parse(text).and_then(|p| doc.set(&p, value, known_keys())) {
            Ok(done) => match doc.read::<raw::RawSpec>() {
                Ok(_) => applied.push((done, format!("scenario `{name}` ({text})"))),
                Err(m) => errors.push(located(format!("`{text}`: {m}"))),
            },
            Err(m) => errors.push(located(m)),
        }
    }
    errors
}

/// `load` with a scenario and `--set`s applied, each checked like the file.
pub fn load_with(path: &FsPath, prices: &PriceTable, overrides: &Overrides) -> Result<Spec> {
    SpecSource::read(path)?.load(prices, overrides)
}

/// `load_with` for a spec's text already read (`path` names it and places
/// its prompt files): the entry point of the fuzz target and the property
/// test, which feed it arbitrary text.
pub fn load_source(
    path: &FsPath,
    display: String,
    source: String,
    prices: &PriceTable,
    overrides: &Overrides,
) -> Result<Spec> {
    load_text(&SpecSource::new(path, display, source), prices, overrides)
}

fn load_text(source: &SpecSource, prices: &PriceTable, overrides: &Overrides) -> Result<Spec> {
    let mut file = spec_file(source);
    // One exact tree per load: read as the spec, checked with each
    // scenario, and changed by the overrides.
    let doc = yaml::Document::parse(&file.display, &file.source)?;
    let _ = file.spans.set(doc.spans());
    let mut raw = match parse_raw(&file, &doc) {
        Ok(raw) => raw,
        Err(e) => return Err(with_validation(e, &file, &doc, prices)),
    };
    within_counts(&file, &raw)?;
    check_scenarios(&file, &raw, &doc)?;
    if overrides.edits_document() {
        let (changed, applied) = apply_overrides(&file, &raw, doc, overrides)?;
        raw = changed;
        file.overrides = applied;
    }
    let mut spec = validate::validate(raw, file, prices).map_err(Error::Input)?;
    say_what_traffic_moves(&mut spec, overrides.scale);
    Ok(spec)
}

/// The two ways to change traffic follow two rules, and each says which:
/// `--scale traffic=F` is F times the customers (users, revenue and other
/// costs with them, where `economics.grows_with_traffic`), while a `--set`
/// of a traffic figure is the same customers using the feature more.
fn say_what_traffic_moves(spec: &mut Spec, scale: Option<Decimal>) {
    let revenue_per_request = spec
        .economics
        .as_ref()
        .is_some_and(|e| matches!(e.revenue, Revenue::PerRequest(_)));
    if spec.economics.is_some() && !revenue_per_request {
        const VOLUME: [&str; 4] = [
            "requests_per_day",
            "requests_per_month",
            "users",
            "requests_per_user_per_day",
        ];
        for (at, said) in spec.file.overrides.iter_mut() {
            let volume = matches!(
                at.0.as_slice(),
                [yaml::Seg::Key(t), yaml::Seg::Key(k)] if t == "traffic" && VOLUME.contains(&k.as_str())
            );
            if volume && typed_set(said).is_some() {
                said.push_str(
                    " (users, revenue and other costs as given; --scale traffic=F moves them with traffic)",
                );
            }
        }
    }
    let Some(f) = scale else { return };
    spec.traffic.scale(f);
    // The same rule as growth: more customers bring their revenue and
    // other costs with them.
    let f = f.normalize();
    let said = match spec.economics.as_mut() {
        Some(e) if e.grows_with_traffic => {
            e.scale(f);
            format!(
                ": traffic ×{f}, users, revenue and other costs with it (economics.grows_with_traffic)"
            )
        }
        Some(_) => format!(
            ": traffic ×{f}; users, revenue and other costs as given (economics.grows_with_traffic: false)"
        ),
        None => format!(": traffic ×{f}"),
    };
    spec.file.overrides.push((
        Path::root().key("traffic"),
        format!("--scale traffic={f}{said}"),
    ));
}

fn spec_file(source: &SpecSource) -> SpecFile {
    let dir = source
        .path
        .parent()
        .map(FsPath::to_path_buf)
        .unwrap_or_default();
    SpecFile {
        display: source.display.clone(),
        path: source.path.clone(),
        dir: if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        },
        source: yaml::without_bom(&source.text).to_string(),
        overrides: Vec::new(),
        spans: Default::default(),
        files: source.files.clone(),
    }
}

/// The unknown keys `e` reports, and beside them what validation finds in
/// the rest of the file (a misspelt role, a negative count): without this a
/// spec with `traffc:` and `role: sytem` was told of the first only.
fn with_validation(e: Error, file: &SpecFile, doc: &yaml::Document, prices: &PriceTable) -> Error {
    let Error::Input(mut all) = e else { return e };
    // Where serde's problem was not an unknown key, the document without
    // them still does not read, and the errors stand as they are.
    let Ok(raw) = doc
        .without_unknown_keys(known_keys())
        .read::<raw::RawSpec>()
    else {
        return Error::Input(all);
    };
    if let Err(more) = validate::validate(raw, file.clone(), prices) {
        for d in more {
            if !all.contains(&d) {
                all.push(d);
            }
        }
        all.sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
    }
    Error::Input(all)
}

/// The spec's serde types, or every problem serde and the key check find.
fn parse_raw(file: &SpecFile, doc: &yaml::Document) -> Result<raw::RawSpec> {
    doc.read_checked(&file.display).map_err(Error::Input)
}

/// The keys each mapping of a spec may have, from its types' schema.
fn known_keys() -> &'static yaml::KnownKeys {
    static KEYS: std::sync::OnceLock<yaml::KnownKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(yaml::KnownKeys::of::<raw::RawSpec>)
}

/// At most `MAX_CALLS` calls and `MAX_SCENARIOS` scenarios, said before
/// any of them is checked or estimated.
fn within_counts(file: &SpecFile, raw: &raw::RawSpec) -> Result<()> {
    use crate::limits::{MAX_CALLS, MAX_SCENARIOS};
    let mut errors = Vec::new();
    if raw.calls.len() > MAX_CALLS {
        errors.push(
            file.diagnostic(
                &Path::root().key("calls"),
                format!(
                    "the spec has {} calls; at most {MAX_CALLS} are estimated",
                    raw.calls.len()
                ),
            )
            .with_help("split the feature into several specs"),
        );
    }
    if raw.scenarios.len() > MAX_SCENARIOS {
        errors.push(
            file.diagnostic(
                &Path::root().key("scenarios"),
                format!(
                    "the spec has {} scenarios; at most {MAX_SCENARIOS} are compared",
                    raw.scenarios.len()
                ),
            )
            .with_help("keep the scenarios a decision needs, or use --set for one-off what-ifs"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

/// Every scenario's paths are checked on every run, not only when used.
fn check_scenarios(file: &SpecFile, raw: &raw::RawSpec, doc: &yaml::Document) -> Result<()> {
    if raw.scenarios.is_empty() {
        return Ok(());
    }
    let errors: Vec<Diagnostic> = raw
        .scenarios
        .iter()
        .flat_map(|(name, entries)| {
            apply_scenario(&mut doc.clone(), file, name, entries, &mut Vec::new())
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

/// The document with the scenario and `--set`s applied, read again, and
/// where each change came from.
fn apply_overrides(
    file: &SpecFile,
    raw: &raw::RawSpec,
    mut doc: yaml::Document,
    overrides: &Overrides,
) -> Result<(raw::RawSpec, Vec<(Path, String)>)> {
    let mut applied = Vec::new();
    let mut errors = Vec::new();
    if let Some(name) = &overrides.scenario {
        match raw.scenarios.get(name) {
            Some(entries) => {
                errors.extend(apply_scenario(&mut doc, file, name, entries, &mut applied))
            }
            None => errors.push(unknown_scenario(name, raw)),
        }
    }
    for (text, value) in &overrides.sets {
        match apply_set(&mut doc, text, value) {
            Ok(done) => applied.push((done, format!("--set {text}={value}"))),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let changed = doc
        .read()
        .map_err(|m| Error::input(Diagnostic::new(&file.display, None, m)))?;
    Ok((changed, applied))
}

fn unknown_scenario(name: &str, raw: &raw::RawSpec) -> Diagnostic {
    let names: Vec<&str> = raw.scenarios.keys().map(String::as_str).collect();
    let help = match crate::nearest::did_you_mean(name, names.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if names.is_empty() => "the spec has no `scenarios:` block".to_string(),
        None => format!("scenarios: {}", names.join(", ")),
    };
    Diagnostic::new("--scenario", None, format!("no scenario named `{name}`")).with_help(help)
}

/// One `--set PATH=VALUE` on the document, checked by reading the result.
fn apply_set(
    doc: &mut yaml::Document,
    text: &str,
    value: &str,
) -> std::result::Result<Path, Diagnostic> {
    let origin = format!("--set {text}={value}");
    let done = Path::parse(text)
        .and_then(|p| doc.set(&p, &yaml::Value::from_text(value), known_keys()))
        .map_err(|m| {
            Diagnostic::new(&origin, None, m).with_help("paths look like `traffic.requests_per_day`, `calls.draft.output_tokens` or `calls[1].cache.hit_rate`")
        })?;
    doc.read::<raw::RawSpec>().map_err(|m| {
        let d = Diagnostic::new(&origin, None, m);
        if value.trim_start().starts_with('{') {
            // `text={{x}}` is a YAML mapping, not the text.
            d.with_help(format!(
                "a value starting with `{{` is read as YAML; quote it to mean text: --set '{text}=\"{value}\"'"
            ))
        } else {
            d
        }
    })?;
    Ok(done)
}
