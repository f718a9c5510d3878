//! `llm-cost count`: token counts of files or stdin, like `wc` for tokens.

use std::io::Read;

use comfy_table::{CellAlignment, Table, presets};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Outcome, price_table};
use crate::cli::{CountArgs, CountFormat};
use crate::diagnostic::Diagnostic;
use crate::error::{EXIT_OK, Error, Result};
use crate::report::format;
use crate::tokens::{self, ChatMessage, Encoding};

pub fn run(args: &CountArgs) -> Result<Outcome> {
    let mut warnings = Vec::new();
    let tokenizer = tokenizer(args, &mut warnings)?;
    let inputs = count_inputs(&args.files, tokenizer.encoding)?;
    let approximated = inputs.iter().any(|(_, n)| n.approximated);
    let counted: Vec<(String, u64)> = inputs
        .into_iter()
        .map(|(path, content)| {
            let content = content.tokens;
            // What `estimate` bills for this text: a sourced factor scales the
            // text's count (never the chat framing), rounded up to whole
            // tokens so the count errs high.
            let scaled = match tokenizer.factor {
                Some(f) => (Decimal::from(content) * f)
                    .ceil()
                    .to_u64()
                    .unwrap_or(u64::MAX),
                None => content,
            };
            // The chat framing of one user message, without counting the text again.
            let framing = |content| {
                let message = ChatMessage {
                    role: "user",
                    name: None,
                    content,
                };
                tokens::chat_tokens(tokenizer.encoding, &[message])
            };
            let n = if args.chat {
                framing("") + scaled
            } else {
                scaled
            };
            (path, n)
        })
        .collect();
    let exact = if approximated {
        warnings.push(
            "a text holds a run of whitespace, or a word, too long for tiktoken to count whole (OpenAI's own tiktoken fails on a megabyte of whitespace, and takes seconds on a long word); it was counted in pieces, so the count is an estimate".to_string(),
        );
        false
    } else {
        tokenizer.exact
    };
    let stdout = match args.format {
        CountFormat::Json => json_report(&tokenizer, &counted, exact, args.chat),
        CountFormat::Table => table_report(&counted, exact),
    };
    Ok(Outcome {
        stdout,
        warnings,
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}

/// What counts: an encoding, whether it is the model's own, and the model.
struct Counter {
    encoding: Encoding,
    exact: bool,
    model: Option<String>,
    /// The pricing table's sourced correction of the encoding's count.
    factor: Option<Decimal>,
}

/// The model's encoding from the pricing table, or the encoding named.
fn tokenizer(args: &CountArgs, warnings: &mut Vec<String>) -> Result<Counter> {
    match (&args.model, &args.encoding) {
        (Some(name), _) => {
            let prices = price_table(&args.pricing)?;
            let Some(m) = prices.get(name) else {
                return Err(Error::input(prices.unknown_model("--model", None, name)));
            };
            if !m.tokenizer.exact {
                warnings.push(format!(
                    "{}'s tokenizer is not public; counting with {} as an estimate",
                    m.name, m.tokenizer.encoding
                ));
            }
            if let Some(f) = m.tokenizer.factor {
                warnings.push(format!(
                    "{}: the {} count is scaled by ×{} as `estimate` bills it, rounded up",
                    m.name,
                    m.tokenizer.encoding,
                    f.normalize()
                ));
            }
            Ok(Counter {
                encoding: m.tokenizer.encoding,
                exact: m.tokenizer.exact,
                model: Some(m.name.clone()),
                factor: m.tokenizer.factor,
            })
        }
        (None, Some(e)) => {
            let encoding: Encoding = e
                .parse()
                .map_err(|msg: String| Error::input(Diagnostic::new("--encoding", None, msg)))?;
            Ok(Counter {
                encoding,
                exact: true,
                model: None,
                factor: None,
            })
        }
        (None, None) => unreachable!("clap requires --model or --encoding"),
    }
}

fn json_report(counter: &Counter, counted: &[(String, u64)], exact: bool, chat: bool) -> String {
    crate::document::to_json(&crate::document::CountDoc {
        encoding: counter.encoding.name().into(),
        files: counted
            .iter()
            .map(|(path, tokens)| crate::document::CountedFile {
                path: path.clone(),
                tokens: *tokens,
            })
            .collect(),
        total: counted.iter().map(|(_, n)| n).sum(),
        model: counter.model.clone(),
        factor: counter.factor.map(crate::figures::Money),
        tokens_estimated: (counter.model.is_some() || !exact).then_some(!exact),
        chat,
    })
}

fn table_report(counted: &[(String, u64)], exact: bool) -> String {
    let total: u64 = counted.iter().map(|(_, n)| n).sum();
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    let approx = if exact { "" } else { "≈" };
    for (p, n) in counted {
        t.add_row(vec![
            format!("{approx}{}", format::count((*n).into())),
            p.clone(),
        ]);
    }
    if counted.len() > 1 {
        t.add_row(vec![
            format!("{approx}{}", format::count(total.into())),
            "total".to_string(),
        ]);
    }
    if let Some(c) = t.column_mut(0) {
        c.set_cell_alignment(CellAlignment::Right);
    }
    crate::report::trim_lines(&t.to_string())
}

/// Each input's tokens, streamed: files and stdin are read a block at a
/// time and counted on every core, so a file of any size takes a few blocks
/// of memory.
fn count_inputs(
    files: &[std::path::PathBuf],
    encoding: Encoding,
) -> Result<Vec<(String, tokens::Count)>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let counted = |display: &str, reader: &mut dyn Read| -> Result<tokens::Count> {
        crate::stream::count(encoding, reader, threads).map_err(|e| {
            let message = match e {
                crate::stream::StreamError::Io(e) => format!("cannot read: {e}"),
                crate::stream::StreamError::NotUtf8(at) => format!("not UTF-8 text (at byte {at})"),
            };
            Error::input(Diagnostic::new(display, None, message))
        })
    };
    if files.is_empty() {
        return Ok(vec![(
            "-".to_string(),
            counted("<stdin>", &mut std::io::stdin())?,
        )]);
    }
    files
        .iter()
        .map(|p| {
            let display = p.display().to_string();
            if display == "-" {
                return Ok((display, counted("<stdin>", &mut std::io::stdin())?));
            }
            let mut file = std::fs::File::open(p).map_err(|e| {
                Error::input(Diagnostic::new(&display, None, format!("cannot read: {e}")))
            })?;
            let n = counted(&display, &mut file)?;
            Ok((display, n))
        })
        .collect()
}
