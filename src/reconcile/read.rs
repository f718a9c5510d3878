//! Usage files read as streams: JSON Lines split between the machine's
//! cores by byte range (each thread reads its own part of the file, so
//! memory does not grow with the file), one JSON document read whole up to
//! a limit, or an aggregate CSV. The format is detected per file, and per
//! line within JSON Lines (a line may be an API response, an OTLP export or
//! a usage-export page).

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use clap::ValueEnum;
use serde_json::Value;

use super::observed::{Attribution, Observed};
use super::records::{self, Fields, Record};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// The largest JSON document read whole (an export page, an OTLP file):
/// its tree takes about 16 times its size, so 12 MB stays within 200 MB of
/// memory (a 240 MB OTLP file once peaked at 4 GB). JSON Lines and CSV
/// stream, whatever their size.
pub const DOCUMENT_BYTES: u64 = 12 << 20;

/// The longest JSON Lines record.
pub const LINE_BYTES: usize = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageFormat {
    /// One JSON value per line: API responses, OTLP exports, usage pages
    Jsonl,
    /// One JSON document: an OTLP JSON file or a usage-export page
    Json,
    /// The aggregate CSV (`call, model, runs, requests, input_tokens, …`)
    Csv,
}

/// Reads every file into one `Observed`.
pub fn read_all(
    paths: &[std::path::PathBuf],
    format: Option<UsageFormat>,
    fields: &Fields,
    who: &Attribution,
) -> Result<Observed> {
    let mut all = Observed::default();
    for path in paths {
        let format = match format {
            Some(f) => f,
            None => detect(path)?,
        };
        let observed = match format {
            UsageFormat::Jsonl => jsonl(path, fields, who)?,
            UsageFormat::Json => document(path, fields, who)?,
            UsageFormat::Csv => csv(path, who)?,
        };
        all.merge(observed);
    }
    Ok(all)
}

fn problem(path: &Path, message: impl Into<String>) -> Error {
    Error::input(Diagnostic::new(
        &crate::neutral::label(&path.display().to_string()),
        None,
        message,
    ))
}

/// `.csv`, or a first line that parses as a JSON value (JSON Lines), else
/// one JSON document.
fn detect(path: &Path) -> Result<UsageFormat> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Ok(UsageFormat::Csv);
    }
    let file = open(path)?;
    let mut first = String::new();
    BufReader::new(file.take(LINE_BYTES as u64))
        .read_line(&mut first)
        .map_err(|e| problem(path, format!("cannot be read: {e}")))?;
    let trimmed = first.trim();
    if trimmed.starts_with("call,") || trimmed.starts_with("\"call\",") {
        return Ok(UsageFormat::Csv);
    }
    Ok(if serde_json::from_str::<Value>(trimmed).is_ok() {
        UsageFormat::Jsonl
    } else {
        UsageFormat::Json
    })
}

fn open(path: &Path) -> Result<File> {
    // Checked before opening: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(|e| problem(path, crate::limits::io_problem(&e)))?;
    if !meta.is_file() {
        return Err(problem(path, "is not a regular file"));
    }
    let file = File::open(path).map_err(|e| problem(path, crate::limits::io_problem(&e)))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(problem(path, "is not a regular file"));
    }
    Ok(file)
}

/// The 1-based line that starts at byte `offset` of `path` (for a message).
fn line_at(path: &Path, offset: u64) -> u64 {
    let Ok(file) = File::open(path) else { return 0 };
    let mut reader = BufReader::new(file.take(offset));
    let mut buf = [0u8; 1 << 16];
    let mut lines = 1;
    while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
    lines
}

/// The records one JSON value holds (false: it is no usage), or why one of
/// them cannot be counted: a token field that is no count, or a time no
/// API call can have.
fn dispatch_checked(
    v: &Value,
    fields: &Fields,
    out: &mut Vec<Record>,
) -> std::result::Result<bool, String> {
    let before = out.len();
    let (usage, invalid) = records::reading(|| dispatch(v, fields, out));
    let implausible = out[before..].iter().find_map(|r| match r.time {
        Some(t) if !records::plausible(t) => Some(format!(
            "its time ({}) is before 2020 or in the future; a record dated so would stretch the time span monthly figures are taken over",
            crate::neutral::label(&t.to_string())
        )),
        _ => None,
    });
    match invalid.or(implausible) {
        Some(why) => Err(format!("a usage record that cannot be counted: {why}")),
        None => Ok(usage),
    }
}

/// The records one JSON value holds.
fn dispatch(v: &Value, fields: &Fields, out: &mut Vec<Record>) -> bool {
    if v.get("resourceSpans").is_some() {
        records::spans(v, fields, out);
        true
    } else if v.get("data").is_some_and(Value::is_array) && v.get("usage").is_none() {
        records::usage_export(v, out);
        true
    } else if let Some(r) = records::from_response(v, fields) {
        out.push(r);
        true
    } else {
        false
    }
}

/// JSON Lines on every core: the file is cut into one byte range per
/// thread at line starts; each thread reads and sums its own range.
fn jsonl(path: &Path, fields: &Fields, who: &Attribution) -> Result<Observed> {
    let size = open(path)?
        .metadata()
        .map(|m| m.len())
        .map_err(|e| problem(path, format!("cannot be read: {e}")))?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let threads = if size < (1 << 20) { 1 } else { threads as u64 };
    let ranges: Vec<(u64, u64)> = (0..threads)
        .map(|i| (size * i / threads, size * (i + 1) / threads))
        .collect();
    let progress = Progress::new(path, size);
    let results: Vec<Result<Observed>> = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(from, to)| {
                let read = &progress.read;
                s.spawn(move || jsonl_range(path, (from, to), fields, who, read))
            })
            .collect();
        // Only a read big enough to take a while on a terminal shows a bar.
        if size > (64 << 20) && std::io::stderr().is_terminal() {
            s.spawn(|| progress.show());
        }
        let results = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(problem(path, "a reader thread failed")))
            })
            .collect();
        progress.finish();
        results
    });
    let mut all = Observed::default();
    for r in results {
        all.merge(r?);
    }
    Ok(all)
}

/// Bytes read so far, shown as a bar on stderr when a read takes longer
/// than a second and stderr is a terminal.
struct Progress {
    read: AtomicU64,
    done: AtomicBool,
    size: u64,
    name: String,
}

impl Progress {
    fn new(path: &Path, size: u64) -> Progress {
        Progress {
            read: AtomicU64::new(0),
            done: AtomicBool::new(false),
            size,
            name: crate::neutral::label(&path.display().to_string()),
        }
    }

    fn show(&self) {
        let start = std::time::Instant::now();
        let tick = std::time::Duration::from_millis(100);
        while !self.done.load(Ordering::Relaxed) && start.elapsed().as_secs() < 1 {
            std::thread::sleep(tick);
        }
        if self.done.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(self.size),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} ({eta})")
        {
            bar.set_style(style);
        }
        bar.set_message(self.name.clone());
        while !self.done.load(Ordering::Relaxed) {
            bar.set_position(self.read.load(Ordering::Relaxed));
            std::thread::sleep(tick);
        }
        bar.finish_and_clear();
    }

    fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

/// The lines that start in `[from, to)`: a range that starts inside a line
/// leaves that line to the range before it.
fn jsonl_range(
    path: &Path,
    (from, to): (u64, u64),
    fields: &Fields,
    who: &Attribution,
    read: &AtomicU64,
) -> Result<Observed> {
    let mut file = open(path)?;
    let io = |e: std::io::Error| problem(path, format!("cannot be read: {e}"));
    let mut pos = from;
    if from > 0 {
        file.seek(SeekFrom::Start(from - 1)).map_err(io)?;
    }
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::new();
    if from > 0 {
        // Skip to the first line that starts at or after `from`.
        pos = from - 1 + read_line(&mut reader, &mut line).map_err(io)?.0 as u64;
    }
    let mut observed = Observed::default();
    let mut found = Vec::new();
    while pos < to {
        let start = pos;
        let (n, whole) = read_line(&mut reader, &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        pos += n as u64;
        read.fetch_add(n as u64, Ordering::Relaxed);
        if !whole {
            observed.skipped += 1;
            continue;
        }
        let text = std::str::from_utf8(&line).unwrap_or("").trim();
        if text.is_empty() {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            observed.skipped += 1;
            continue;
        };
        match dispatch_checked(&v, fields, &mut found) {
            Ok(true) => {
                for r in found.drain(..) {
                    observed.add(r, who);
                }
            }
            Ok(false) => observed.skipped += 1,
            Err(why) => {
                let line = line_at(path, start);
                return Err(problem(path, format!("line {line}: {why}")));
            }
        }
    }
    Ok(observed)
}

/// One line, newline included, into `buf`: its length in bytes, and
/// whether it fit in `LINE_BYTES`. A longer line is read past in blocks,
/// never held: a file of 5 GB with no newline costs no memory.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    buf.clear();
    let n = std::io::Read::take(&mut *reader, LINE_BYTES as u64 + 1).read_until(b'\n', buf)?;
    if n <= LINE_BYTES || buf.last() == Some(&b'\n') {
        return Ok((n, true));
    }
    buf.clear();
    let mut skipped = n;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((skipped, false));
        }
        match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok((skipped + i + 1, false));
            }
            None => {
                let len = chunk.len();
                reader.consume(len);
                skipped += len;
            }
        }
    }
}

/// One JSON document, read whole up to `DOCUMENT_BYTES`.
fn document(path: &Path, fields: &Fields, who: &Attribution) -> Result<Observed> {
    let text = crate::limits::read_text(path, DOCUMENT_BYTES)
        .map_err(|e| problem(path, format!("the usage file {e}")))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        problem(
            path,
            format!(
                "is not JSON or JSON Lines: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let mut found = Vec::new();
    let items: Vec<&Value> = match &v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut observed = Observed::default();
    for item in items {
        if !dispatch_checked(item, fields, &mut found).map_err(|why| problem(path, why))? {
            observed.skipped += 1;
        }
    }
    for r in found {
        observed.add(r, who);
    }
    Ok(observed)
}

/// The aggregate CSV a warehouse query produces: sums per call and model.
fn csv(path: &Path, who: &Attribution) -> Result<Observed> {
    let file = open(path)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .from_reader(file);
    let headers = reader
        .headers()
        .map_err(|e| problem(path, format!("is not CSV: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    for required in ["model", "runs", "input_tokens", "output_tokens"] {
        if column(required).is_none() {
            return Err(Error::input(
                Diagnostic::new(
                    &crate::neutral::label(&path.display().to_string()),
                    None,
                    format!("has no `{required}` column"),
                )
                .with_help("columns: call, model, runs, requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens (sums), and optional *_p95"),
            ));
        }
    }
    let mut observed = Observed::default();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| problem(path, format!("row {}: {e}", i + 2)))?;
        let get = |name: &str| column(name).and_then(|c| row.get(c)).unwrap_or("");
        let int = |name: &str| -> Result<u64> {
            let text = get(name);
            if text.is_empty() {
                return Ok(0);
            }
            // Sums of a month of traffic fit; 2^64 − 1 would overflow the
            // arithmetic downstream.
            const MAX_SUM: u64 = 1_000_000_000_000_000;
            text.parse::<u64>()
                .ok()
                .filter(|n| *n <= MAX_SUM)
                .ok_or_else(|| {
                    problem(
                        path,
                        format!(
                            "row {}: `{name}` is `{}`, not a whole number from 0 to {MAX_SUM}",
                            i + 2,
                            crate::neutral::label(text)
                        ),
                    )
                })
        };
        let p95 = |name: &str| -> Result<Option<u64>> {
            if column(&format!("{name}_p95")).is_none() || get(&format!("{name}_p95")).is_empty() {
                return Ok(None);
            }
            int(&format!("{name}_p95")).map(Some)
        };
        let call = get("call");
        observed.add(
            Record {
                model: get("model").to_string(),
                call: (!call.is_empty()).then(|| call.to_string()),
                tokens: records::Tokens {
                    input: int("input_tokens")?,
                    cached: int("cached_input_tokens")?,
                    cache_write: int("cache_write_tokens")?,
                    output: int("output_tokens")?,
                    reasoning: int("reasoning_tokens")?,
                    ..records::Tokens::default()
                },
                runs: int("runs")?,
                requests: int("requests")?,
                aggregated: true,
                p95: [
                    p95("input_tokens")?,
                    p95("cached_input_tokens")?,
                    p95("cache_write_tokens")?,
                    p95("output_tokens")?,
                    p95("reasoning_tokens")?,
                ],
                ..Record::default()
            },
            who,
        );
    }
    Ok(observed)
}
