//! Spec → calls with their texts: prompt files read, `{{variables}}` filled,
//! sample globs expanded. Files must stay inside the spec's folder unless the
//! user allows otherwise: a spec from an untrusted pull request must not be
//! able to read the CI machine's files.

use std::collections::BTreeMap;
use std::path::{Path as FsPath, PathBuf};
use std::rc::Rc;

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::spec::{CachePrefix, Call, Content, Source, Spec, SpecFile, Tools, Variable};
use crate::template::{self, Piece};
use crate::yaml::Path;

/// A message's text with the parts that are counted separately pulled out.
#[derive(Debug, Clone)]
pub struct ResolvedMessage {
    pub role: String,
    pub name: Option<String>,
    /// The text sent, with text and file variables filled in.
    pub text: String,
    /// The variables used in this message, in order: a message without any
    /// is the same on every request, so it can be a cached prefix.
    pub variables: Vec<UsedVariable>,
    /// Where each `samples` variable goes in `text`: its byte offset, and
    /// its index in `variables`. A sample is counted inside its message,
    /// as sent: tokens merge across the seam.
    pub sample_slots: Vec<(usize, usize)>,
    /// `tokens: N` on the message itself (its text is then empty).
    pub stated_tokens: Decimal,
    /// Where the first per-request variable goes: its byte offset in
    /// `text` and its index in `variables`. What comes before it is the
    /// same on every request, so a cached prefix can reach into it.
    pub first_varying: Option<(usize, usize)>,
}

impl ResolvedMessage {
    /// Tokens stated by `tokens: N` on the message and by `{ tokens: N }`
    /// variables, which are not in `text`.
    pub fn given_tokens(&self) -> Decimal {
        let variables: Decimal = self
            .variables
            .iter()
            .map(|v| {
                if let VariableValue::Tokens(n) = v.value {
                    n
                } else {
                    Decimal::ZERO
                }
            })
            .sum();
        self.stated_tokens + variables
    }

    /// The text as sent on one request: `text` with each sample variable's
    /// text (`pick`) in its place, written into `out`.
    pub fn render<'m>(
        &'m self,
        out: &mut String,
        mut pick: impl FnMut(&'m UsedVariable) -> &'m str,
    ) {
        out.clear();
        let mut from = 0;
        for &(at, var) in &self.sample_slots {
            out.push_str(&self.text[from..at]);
            out.push_str(pick(&self.variables[var]));
            from = at;
        }
        out.push_str(&self.text[from..]);
    }
}

/// A variable as one message uses it.
#[derive(Debug, Clone)]
pub struct UsedVariable {
    pub name: String,
    /// Defined on the call (else on the spec).
    pub local: bool,
    /// Different on every request: never a cache hit across requests.
    pub per_request: bool,
    pub value: VariableValue,
}

#[derive(Debug, Clone)]
pub enum VariableValue {
    Text(Rc<String>),
    Tokens(Decimal),
    Samples(Rc<Vec<String>>),
}

#[derive(Debug, Clone)]
pub struct ResolvedCall {
    pub call: Call,
    pub messages: Vec<ResolvedMessage>,
    pub tools_json: Option<String>,
    /// How many leading messages form the cacheable prefix (0 without cache).
    pub prefix_messages: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub allow_outside_files: bool,
    /// `--root DIR`: the folder a spec's files must stay in, instead of the
    /// enclosing git work tree.
    pub root: Option<std::sync::Arc<FsPath>>,
}

/// The folder a spec's files must stay inside, and how to name it in a
/// message.
struct Confinement {
    root: Option<PathBuf>,
    name: &'static str,
}

/// `--root`, else the git work tree that holds the spec (a repository keeps
/// `prompts/` beside `specs/`), else the spec's own folder. A pull request
/// cannot move this boundary: git refuses to commit a `.git` entry.
fn confinement(dir: &FsPath, given: Option<&FsPath>) -> Confinement {
    if let Some(root) = given {
        return Confinement {
            root: std::fs::canonicalize(root).ok(),
            name: "--root",
        };
    }
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return Confinement {
            root: None,
            name: "the spec's folder",
        };
    };
    match dir.ancestors().find(|a| a.join(".git").exists()) {
        Some(work_tree) => Confinement {
            root: Some(work_tree.to_path_buf()),
            name: "the repository",
        },
        None => Confinement {
            root: Some(dir),
            name: "the spec's folder",
        },
    }
}

enum Value {
    Text(Rc<String>),
    Tokens(Decimal),
    Samples(Rc<Vec<String>>),
}

/// Variables by name, each with whether it is per-request content; None
/// where it could not be read (its error is already recorded).
type Values = BTreeMap<String, Option<Read>>;

/// A variable's value, and whether it is per-request content.
type Read = (Value, bool);

struct Resolver<'a> {
    file: &'a SpecFile,
    root: Confinement,
    options: Options,
    cache: BTreeMap<PathBuf, Rc<String>>,
    /// Bytes read so far for this spec, bounded by `limits::SPEC_FILES_BYTES`.
    read_bytes: u64,
    errors: Vec<Diagnostic>,
}

pub fn resolve(spec: &Spec, options: Options) -> Result<Vec<ResolvedCall>> {
    let root = confinement(&spec.file.dir, options.root.as_deref());
    let mut r = Resolver {
        file: &spec.file,
        root,
        options,
        cache: BTreeMap::new(),
        read_bytes: 0,
        errors: Vec::new(),
    };
    let globals = r.values(&spec.variables);
    let calls: Vec<ResolvedCall> = spec.calls.iter().map(|c| r.call(c, &globals)).collect();
    if r.errors.is_empty() {
        Ok(calls)
    } else {
        Err(Error::Input(r.errors))
    }
}

impl Resolver<'_> {
    fn fail(&mut self, path: &Path, message: impl Into<String>, help: Option<&str>) {
        let mut d = self.file.diagnostic(path, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    /// The file's location, if it may be read: inside the repository (after
    /// following symlinks) unless outside files are allowed.
    fn locate_file(&mut self, path: &Path, name: &str) -> Option<PathBuf> {
        if FsPath::new(name).is_absolute() && !self.options.allow_outside_files {
            self.fail(
                path,
                format!("`{name}` is an absolute path"),
                Some("name files relative to the spec's folder, or pass --allow-outside-files if you trust this spec"),
            );
            return None;
        }
        let joined = self.file.dir.join(name);
        // Outside is said before anything is looked up there: "not found"
        // for a missing file outside, "outside" for one that exists, would
        // tell a stranger's spec which files the CI machine has. The real
        // path is checked again below, for symlinks.
        if self.escapes(self.spelled(&joined).as_deref()) {
            return self.refuse_outside(path, name);
        }
        let real = match std::fs::canonicalize(&joined) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.fail(
                    path,
                    format!("file `{name}` not found (looked for {})", joined.display()),
                    Some("file paths are relative to the spec's folder"),
                );
                return None;
            }
            Err(e) => {
                self.fail(
                    path,
                    format!("`{name}` {}", crate::limits::io_problem(&e)),
                    None,
                );
                return None;
            }
        };
        if self.escapes(Some(&real)) {
            return self.refuse_outside(path, name);
        }
        Some(real)
    }

    /// Whether a file at `at` (None: a place that cannot be known) would be
    /// read from outside the repository without the user allowing it.
    fn escapes(&self, at: Option<&FsPath>) -> bool {
        if self.options.allow_outside_files {
            return false;
        }
        let root = self.root.root.as_ref();
        !at.is_some_and(|at| root.is_some_and(|root| at.starts_with(root)))
    }

    fn refuse_outside<T>(&mut self, path: &Path, name: &str) -> Option<T> {
        let within = self.root.name;
        self.fail(
            path,
            format!("`{name}` is outside {within}"),
            Some("a spec may read files inside its repository (the git work tree that holds it, or --root DIR); pass --allow-outside-files if you trust this spec"),
        );
        None
    }

    /// Where `joined` lies by its spelling alone (`..` resolved without
    /// touching the file system), from the spec's real folder.
    fn spelled(&self, joined: &FsPath) -> Option<PathBuf> {
        let mut at = std::fs::canonicalize(&self.file.dir).ok()?;
        let relative = joined.strip_prefix(&self.file.dir).unwrap_or(joined);
        for part in relative.components() {
            match part {
                std::path::Component::ParentDir => {
                    at.pop();
                }
                std::path::Component::Normal(p) => at.push(p),
                std::path::Component::RootDir | std::path::Component::Prefix(_) => {
                    at = PathBuf::from(part.as_os_str())
                }
                std::path::Component::CurDir => {}
            }
        }
        Some(at)
    }

    fn read(&mut self, path: &Path, name: &str) -> Option<Rc<String>> {
        let real = self.locate_file(path, name)?;
        if let Some(text) = self.cache.get(&real) {
            return Some(text.clone());
        }
        use crate::limits::{FILE_BYTES, SPEC_FILES_BYTES, bytes};
        let left = SPEC_FILES_BYTES.saturating_sub(self.read_bytes);
        // A variant of the run (another model, a scenario) reads what the
        // first estimate read, not the disk again; its bytes still count.
        let stored = self
            .file
            .files
            .lock()
            .ok()
            .and_then(|f| f.get(&real).cloned());
        let limit = FILE_BYTES.min(left);
        let read = match stored {
            Some(text) if text.len() as u64 <= limit => Ok(text.as_ref().clone()),
            Some(_) => Err(crate::limits::ReadError::TooLarge(limit)),
            None => crate::limits::read_text(&real, limit),
        };
        match read {
            Ok(text) => {
                self.read_bytes += text.len() as u64;
                if let Ok(mut files) = self.file.files.lock() {
                    files
                        .entry(real.clone())
                        .or_insert_with(|| std::sync::Arc::new(text.clone()));
                }
                let text = Rc::new(text);
                self.cache.insert(real, text.clone());
                Some(text)
            }
            Err(crate::limits::ReadError::TooLarge(_)) if left < FILE_BYTES => {
                self.fail(
                    path,
                    format!(
                        "`{name}` would take the files this spec reads past {}, the limit",
                        bytes(SPEC_FILES_BYTES)
                    ),
                    Some("use fewer or shorter samples"),
                );
                None
            }
            Err(e) => {
                self.fail(path, format!("`{name}` {e}"), None);
                None
            }
        }
    }

    fn samples(&mut self, path: &Path, pattern: &str) -> Option<Rc<Vec<String>>> {
        let dir = glob::Pattern::escape(&self.file.dir.to_string_lossy());
        let full = format!("{dir}/{pattern}");
        // Taken up to one past the limit: the walk stops there.
        let paths: Vec<PathBuf> = match glob::glob(&full) {
            Ok(paths) => paths
                .filter_map(std::result::Result::ok)
                .filter(|p| p.is_file())
                .take(crate::limits::MAX_SAMPLES + 1)
                .collect(),
            Err(e) => {
                self.fail(path, format!("`{pattern}` is not a valid glob: {e}"), None);
                return None;
            }
        };
        if paths.len() > crate::limits::MAX_SAMPLES {
            self.fail(
                path,
                format!(
                    "`{pattern}` matches more than {} files, the limit",
                    crate::limits::MAX_SAMPLES
                ),
                Some("sample a few hundred representative files; the p95 needs no more"),
            );
            return None;
        }
        if paths.is_empty() {
            self.fail(
                path,
                format!("no files match `{pattern}`"),
                Some("sample globs are relative to the spec's folder, e.g. `samples/*.txt`"),
            );
            return None;
        }
        let base = self.file.dir.clone();
        let mut texts = Vec::new();
        for p in paths {
            let rel = p
                .strip_prefix(&base)
                .unwrap_or(&p)
                .to_string_lossy()
                .to_string();
            texts.push(self.read(path, &rel)?.as_ref().clone());
        }
        Some(Rc::new(texts))
    }

    fn values(&mut self, vars: &BTreeMap<String, Variable>) -> Values {
        vars.iter()
            .map(|(name, v)| {
                let value = match &v.source {
                    Source::Text(t) => Some(Value::Text(Rc::new(t.clone()))),
                    Source::File(f, path) => self.read(path, f).map(Value::Text),
                    Source::Tokens(n) => Some(Value::Tokens(*n)),
                    Source::Samples(g, path) => self.samples(path, g).map(Value::Samples),
                };
                (name.clone(), value.map(|value| (value, v.per_request)))
            })
            .collect()
    }

    fn call(&mut self, call: &Call, globals: &Values) -> ResolvedCall {
        let locals = self.values(&call.variables);
        let messages = call
            .messages
            .iter()
            .filter_map(|m| self.message(m, &locals, globals))
            .collect();
        ResolvedCall {
            call: call.clone(),
            messages,
            tools_json: self.tools(call),
            prefix_messages: prefix_messages(call),
        }
    }

    /// A message with its text read and its placeholders filled (text
    /// variables into the text; token counts and samples kept beside it).
    fn message(
        &mut self,
        m: &crate::spec::Message,
        locals: &Values,
        globals: &Values,
    ) -> Option<ResolvedMessage> {
        let lookup = |name: &str| locals.get(name).or_else(|| globals.get(name));
        let (template, from_file) = match &m.content {
            Content::Text(t) => (Rc::new(t.clone()), false),
            Content::File(f) => (self.read(&m.path.key("file"), f)?, true),
            Content::Tokens(n) => {
                return Some(ResolvedMessage {
                    role: m.role.clone(),
                    name: m.name.clone(),
                    text: String::new(),
                    variables: Vec::new(),
                    sample_slots: Vec::new(),
                    stated_tokens: *n,
                    first_varying: None,
                });
            }
        };
        let pieces = template::pieces(&template);
        let filled = self.filled_size(m, &pieces, &lookup)?;
        let mut msg = ResolvedMessage {
            role: m.role.clone(),
            name: m.name.clone(),
            text: String::with_capacity(filled as usize),
            variables: Vec::new(),
            sample_slots: Vec::new(),
            stated_tokens: Decimal::ZERO,
            first_varying: None,
        };
        for piece in pieces {
            let name = match piece {
                Piece::Text(t) => {
                    msg.text.push_str(t);
                    continue;
                }
                Piece::Var(name) => name,
            };
            match lookup(name) {
                Some(Some((v, per_request))) => {
                    if *per_request && msg.first_varying.is_none() {
                        msg.first_varying = Some((msg.text.len(), msg.variables.len()));
                    }
                    let value = match v {
                        Value::Text(t) => {
                            msg.text.push_str(t);
                            VariableValue::Text(t.clone())
                        }
                        Value::Tokens(n) => VariableValue::Tokens(*n),
                        Value::Samples(s) => {
                            msg.sample_slots.push((msg.text.len(), msg.variables.len()));
                            VariableValue::Samples(s.clone())
                        }
                    };
                    msg.variables.push(UsedVariable {
                        name: name.to_string(),
                        local: locals.contains_key(name),
                        per_request: *per_request,
                        value,
                    });
                }
                Some(None) => {} // its own error is already reported
                None if from_file => {
                    let at = m.path.key("file");
                    self.fail(
                        &at,
                        format!(
                            "the prompt file uses `{{{{{name}}}}}`, which is not a defined variable"
                        ),
                        Some("define it under the call's or the spec's `variables:`"),
                    );
                }
                None => {} // reported by validation
            }
        }
        Some(msg)
    }

    /// The size of a message once its text variables are filled in,
    /// reckoned before it is built (200,000 `{{x}}` of a 1 MB file would ask
    /// for 200 GB); None, with the error recorded, past the limit.
    fn filled_size<'v>(
        &mut self,
        m: &crate::spec::Message,
        pieces: &[Piece],
        lookup: &dyn Fn(&str) -> Option<&'v Option<Read>>,
    ) -> Option<u64> {
        let filled: u64 = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.len() as u64,
                Piece::Var(name) => match lookup(name) {
                    Some(Some((Value::Text(t), _))) => t.len() as u64,
                    _ => 0,
                },
            })
            .fold(0, u64::saturating_add);
        if filled <= crate::limits::PROMPT_BYTES {
            return Some(filled);
        }
        let at = match &m.content {
            Content::File(_) => m.path.key("file"),
            Content::Text(_) => m.path.key("text"),
            Content::Tokens(_) => m.path.key("tokens"),
        };
        self.fail(
            &at,
            format!(
                "this message would be {} once its variables are filled in, more than the {} limit",
                crate::limits::bytes(filled),
                crate::limits::bytes(crate::limits::PROMPT_BYTES)
            ),
            Some("no model takes a prompt this long; use `{ tokens: N }` for large context"),
        );
        None
    }

    /// The call's tool schemas as compact JSON, read from their file where
    /// they are in one.
    fn tools(&mut self, call: &Call) -> Option<String> {
        match &call.tools {
            None => None,
            Some(Tools::Json(j)) => Some(j.clone()),
            Some(Tools::File(f, path)) => {
                let text = self.read(path, f)?;
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(v) => Some(v.to_string()),
                    Err(e) => {
                        self.fail(
                            path,
                            format!("`{f}` is not valid JSON: {e}"),
                            Some("tools files hold the function schemas as the API receives them"),
                        );
                        None
                    }
                }
            }
        }
    }
}

/// How many leading messages form the cacheable prefix (0 without cache).
fn prefix_messages(call: &Call) -> usize {
    match call.cache.as_ref().map(|c| &c.prefix) {
        None => 0,
        Some(CachePrefix::Messages(n)) => *n,
        Some(CachePrefix::Role(role)) => call
            .messages
            .iter()
            .rposition(|m| &m.role == role)
            .map_or(0, |i| i + 1),
    }
}
