//! The spec: reading a feature's YAML description and turning it into the
//! validated model every later stage works from. Everything here knows the
//! file it came from, so a later stage's complaint can point at a line.

mod keys;
mod raw;
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
    /// As the user named it, for messages.
    pub display: String,
    /// The folder prompt files resolve against.
    pub dir: PathBuf,
    pub source: String,
}

impl SpecFile {
    pub fn diagnostic(&self, path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.display, yaml::locate(&self.source, path), message)
    }

    /// The line where the key at `path` is written, if it is.
    pub fn line_of(&self, path: &Path) -> Option<usize> {
        yaml::locate_key(&self.source, path).map(|l| l.line)
    }
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub file: SpecFile,
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
    /// The call's own model, or the spec's.
    pub model: String,
    pub messages: Vec<Message>,
    pub variables: BTreeMap<String, Variable>,
    pub tools: Option<Tools>,
    pub output_tokens: Distribution,
    pub reasoning_tokens: Decimal,
    pub runs_per_request: Decimal,
    pub cache: Option<Cache>,
    pub batch: bool,
    pub path: Path,
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
}

#[derive(Debug, Clone)]
pub enum Variable {
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

/// Reads and validates the spec at `path`; every problem found is reported
/// at once, each with its line and column.
pub fn load(path: &FsPath, prices: &PriceTable) -> Result<Spec> {
    let display = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        Error::input(Diagnostic::new(
            &display,
            None,
            format!("cannot read the spec: {e}"),
        ))
    })?;
    let dir = path.parent().map(FsPath::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let file = SpecFile {
        display,
        dir,
        source,
    };
    let raw: raw::RawSpec = match yaml::parse(&file.display, &file.source) {
        Ok(raw) => raw,
        Err(first) => {
            // serde stops at the first problem; report every unknown key too.
            let mut all = yaml::unknown_keys(&file.display, &file.source, &keys::known_keys);
            if !all.iter().any(|d| d.location == first.location) {
                all.push(first);
            }
            all.sort_by_key(|d| d.location.map(|l| (l.line, l.column)));
            return Err(Error::Input(all));
        }
    };
    validate::validate(raw, file, prices).map_err(Error::Input)
}
