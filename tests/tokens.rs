//! Token counts must equal OpenAI's tiktoken exactly: every text of the
//! reference fixtures, in both encodings, plain and as a chat message.

mod common;

use common::*;
use llm_cost::tokens::{ChatMessage, Encoding, chat_tokens};

const ENCODINGS: [(Encoding, &str); 2] = [
    (Encoding::O200kBase, "o200k_base"),
    (Encoding::Cl100kBase, "cl100k_base"),
];

#[test]
fn every_reference_text_counts_like_tiktoken() {
    let cases = jsonl("tokens.jsonl");
    assert_eq!(cases.len(), 117);
    let mut failures = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().unwrap();
        for (encoding, name) in ENCODINGS {
            let got = encoding.count(text);
            let want = case[name].as_u64().unwrap();
            if got != want {
                failures.push(format!("{} {name}: got {got}, tiktoken {want}", case["id"]));
            }
            let chat = chat_tokens(
                encoding,
                &[ChatMessage {
                    role: "user",
                    name: None,
                    content: text,
                }],
            );
            let want_chat = case[format!("chat_{name}")].as_u64().unwrap();
            if chat != want_chat {
                failures.push(format!(
                    "{} chat_{name}: got {chat}, tiktoken {want_chat}",
                    case["id"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_reference_conversation_counts_like_the_chat_recipe() {
    for case in jsonl("chat.jsonl") {
        let messages: Vec<ChatMessage> = case["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| ChatMessage {
                role: m["role"].as_str().unwrap(),
                name: m["name"].as_str(),
                content: m["content"].as_str().unwrap(),
            })
            .collect();
        for (encoding, name) in ENCODINGS {
            let want = case[format!("chat_{name}")].as_u64().unwrap();
            assert_eq!(
                chat_tokens(encoding, &messages),
                want,
                "{} {name}",
                case["id"]
            );
        }
    }
}

/// The same texts through the command line, as files, in one process.
#[test]
fn count_command_agrees_with_tiktoken_on_files() {
    let cases = jsonl("tokens.jsonl");
    let scratch = Scratch::new("count-files");
    let paths: Vec<String> = cases
        .iter()
        .map(|c| {
            scratch.write(
                &format!("{}.txt", c["id"].as_str().unwrap()),
                c["text"].as_str().unwrap(),
            );
            scratch.path(&format!("{}.txt", c["id"].as_str().unwrap()))
        })
        .collect();
    for (_, name) in ENCODINGS {
        for chat in [false, true] {
            let mut args = vec!["count", "--encoding", name, "--format", "json"];
            if chat {
                args.push("--chat");
            }
            args.extend(paths.iter().map(String::as_str));
            let run = llm_cost(&args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let doc = run.json();
            assert_eq!(doc["encoding"], name);
            let files = doc["files"].as_array().unwrap();
            let key = if chat {
                format!("chat_{name}")
            } else {
                name.to_string()
            };
            let mut total = 0;
            for (file, case) in files.iter().zip(&cases) {
                assert_eq!(file["tokens"], case[&key], "{} {key}", case["id"]);
                total += case[&key].as_u64().unwrap();
            }
            assert_eq!(doc["total"], total);
        }
    }
}

#[test]
fn count_reads_stdin_and_marks_estimates() {
    let run = llm_cost_stdin(&["count", "--encoding", "o200k_base"], "hello world");
    assert_eq!((run.code, run.stdout.trim()), (0, "2  -"));
    let run = llm_cost_stdin(
        &["count", "--model", "claude-haiku-4-5", "--format", "json"],
        "hello world",
    );
    let doc = run.json();
    assert_eq!(
        (doc["total"].as_u64(), doc["tokens_estimated"].as_bool()),
        (Some(2), Some(true))
    );
    assert!(run.stderr.contains("not public"), "{}", run.stderr);
    let run = llm_cost_stdin(
        &["count", "--model", "gpt-4o-mini", "--format", "json"],
        "hello world",
    );
    assert_eq!(run.json()["tokens_estimated"], false);
}

#[test]
fn count_rejects_unknown_models_and_encodings() {
    let run = llm_cost_stdin(&["count", "--model", "gpt-4o-mni"], "x");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown model `gpt-4o-mni`") && run.stderr.contains("gpt-4o-mini"),
        "{}",
        run.stderr
    );
    let run = llm_cost_stdin(&["count", "--encoding", "o300k"], "x");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("o200k_base"), "{}", run.stderr);
    let run = llm_cost(&["count"]);
    assert_eq!(run.code, 2, "a missing --model/--encoding is a usage error");
}
