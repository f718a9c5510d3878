//! What a shell and an editor need: completion scripts and a man page,
//! generated from the same clap definitions that parse the command line,
//! and the JSON Schemas of the spec and of the estimate JSON.

use clap::CommandFactory;

use super::Outcome;
use crate::cli::{Cli, CompletionsArgs, SchemaArgs, SchemaDocument};
use crate::error::{Error, Result};

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "llm-cost", &mut out);
    text(out)
}

pub fn man() -> Result<Outcome> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Other(format!("cannot render the man page: {e}")))?;
    text(out)
}

pub fn schema(args: &SchemaArgs) -> Result<Outcome> {
    use clap::ValueEnum;
    let stdout = match args.document {
        SchemaDocument::Spec => crate::spec::raw::json_schema_text(),
        document => {
            let name = document
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            crate::document::schemas()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, schema)| schema)
                .ok_or_else(|| Error::Other(format!("no schema for `{name}`")))?
        }
    };
    Ok(Outcome {
        stdout,
        ..Outcome::default()
    })
}

fn text(bytes: Vec<u8>) -> Result<Outcome> {
    Ok(Outcome {
        stdout: String::from_utf8(bytes)
            .map_err(|_| Error::Other("generated text is not UTF-8".into()))?,
        ..Outcome::default()
    })
}
