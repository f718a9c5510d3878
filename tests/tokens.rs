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

/// A YAML double-quoted scalar holding `s` exactly, whatever it contains.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\U{:08X}", c as u32));
        }
    }
    out.push('"');
    out
}

/// A sample is counted inside its message as sent: tokens merge across the
/// seam between the message's text and the sample. Each reference text is
/// cut in two, the first half written in the message and the second half
/// as its one sample: the message sent is the whole text again, so its
/// count must be tiktoken's count of the text as one chat message (counting
/// the halves apart misses by a token on about half of them).
#[test]
fn samples_are_counted_inside_their_message() {
    let scratch = Scratch::new("seams");
    let mut spec = String::from("version: 1\nfeature: seams\nmodel: gpt-4o\ncalls:\n");
    let mut want = Vec::new();
    for (i, case) in jsonl("tokens.jsonl").iter().enumerate() {
        let text = case["text"].as_str().unwrap();
        // Braces would be placeholders; the largest text is over the limits.
        if text.contains("{{") || text.contains("}}") || text.len() > 60_000 || text.len() < 2 {
            continue;
        }
        let mut mid = text.len() / 2;
        while !text.is_char_boundary(mid) {
            mid += 1;
        }
        let (head, tail) = text.split_at(mid);
        if tail.is_empty() {
            continue;
        }
        scratch.write(&format!("tails/{i}.txt"), tail);
        spec.push_str(&format!(
            "  - name: t{i}\n    messages:\n      - {{ role: user, text: {} }}\n    variables:\n      rest: {{ samples: \"tails/{i}.txt\" }}\n    output_tokens: 1\n",
            yaml_quoted(&format!("{head}{{{{rest}}}}"))
        ));
        want.push((format!("t{i}"), case["chat_o200k_base"].as_u64().unwrap()));
    }
    spec.push_str("traffic: { requests_per_day: 1 }\n");
    scratch.write("spec.yaml", &spec);
    let run = llm_cost(&["estimate", &scratch.path("spec.yaml"), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let calls = doc["calls"].as_array().unwrap();
    assert!(want.len() > 100, "{}", want.len());
    let mut failures = Vec::new();
    for ((name, chat), call) in want.iter().zip(calls) {
        assert_eq!(call["name"], name.as_str());
        let got = dec(&call["input_tokens"]);
        if got != rust_decimal::Decimal::from(*chat) {
            failures.push(format!("{name}: got {got}, tiktoken {chat}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A file far larger than one block (4 MB) is read and counted in pieces on
/// every core; the pieces are cut only where tiktoken splits anyway, so the
/// count equals tiktoken's count of the whole text.
#[test]
fn a_large_file_streamed_on_every_core_counts_like_the_whole_text() {
    let texts: Vec<String> = jsonl("tokens.jsonl")
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_string())
        .filter(|t| t.len() < 60_000)
        .collect();
    // 21 MB, past five 4 MB blocks, with blank lines and trailing spaces
    // before lines that start with a letter: where p50k and r50k once lost
    // a token at each cut.
    let one = texts.join("\n\n");
    let mut big = String::new();
    while big.len() < 21 << 20 {
        big.push_str(&one);
        big.push_str(" \n\nParagraph after a blank line.\n");
    }
    let s = Scratch::new("stream-count");
    let path = s.write("big.txt", &big);
    let all = [
        (Encoding::O200kBase, "o200k_base"),
        (Encoding::Cl100kBase, "cl100k_base"),
        (Encoding::P50kBase, "p50k_base"),
        (Encoding::R50kBase, "r50k_base"),
    ];
    for (encoding, name) in all {
        let run = llm_cost(&[
            "count",
            "--encoding",
            name,
            "--format",
            "json",
            &path.to_string_lossy(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let whole = encoding.count(&big);
        assert_eq!(run.json()["total"].as_u64(), Some(whole), "{name}");
    }
}
