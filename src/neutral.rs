//! Text from outside (a spec, a pricing file, a saved estimate, a file name)
//! made harmless before it reaches any output. A spec may come from a
//! stranger's pull request, and its names end up in a terminal, in GitHub's
//! log (where a line starting with `::` is a workflow command), in PR
//! comments and in spreadsheets.

/// Longest name shown; a longer one is cut with `…` (a name is a label, and
/// a megabyte-long one would bury the report).
const MAX_LABEL_CHARS: usize = 200;

/// Control characters, and the invisible ones that reorder or hide text
/// (bidi overrides, zero-width marks), written as visible escapes: a name
/// with a newline stays on one line, and an ESC sequence never reaches a
/// terminal.
pub fn escape(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// A name for display: trimmed, escaped, and at most 200 characters.
pub fn label(s: &str) -> String {
    let escaped = escape(s.trim());
    match escaped.char_indices().nth(MAX_LABEL_CHARS) {
        Some((cut, _)) => format!("{}…", &escaped[..cut]),
        None => escaped,
    }
}

/// The last guard on everything llm-cost prints or writes (other than its
/// own annotations): any control character left becomes U+FFFD, and a line
/// that GitHub would read as a workflow command (`::…` after blanks) is
/// defused. Newlines and tabs are llm-cost's own layout and stay.
pub fn output(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    let clean = defuse_legacy_commands(clean);
    if !clean.contains("::") {
        return clean;
    }
    let mut out = String::with_capacity(clean.len() + 8);
    for line in clean.split_inclusive('\n') {
        let rest = line.trim_start();
        if let Some(command) = rest.strip_prefix("::") {
            out.push_str(&line[..line.len() - rest.len()]);
            out.push_str(": :");
            out.push_str(command);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The runner's legacy workflow-command form, `##[set-output …]`,
/// `##[add-mask]`, `##[error …]`, is honoured anywhere in a line: a name
/// that carries one gets a space inside it (`# #[`), visible and inert.
pub fn defuse_legacy_commands(text: String) -> String {
    if text.contains("##[") {
        text.replace("##[", "# #[")
    } else {
        text
    }
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
/// a tab or CR first) gets a leading `'`, unless it is a plain number such as
/// `-0.0036` (OWASP's rule for CSV injection).
pub fn csv_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<rust_decimal::Decimal>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_on_one_line_and_never_reach_the_terminal_raw() {
        assert_eq!(escape("a\n::error file=x::b"), "a\\n::error file=x::b");
        assert_eq!(
            escape("\u{1b}]8;;http://x\u{7}y"),
            "\\u{1b}]8;;http://x\\u{7}y"
        );
        assert_eq!(escape("evil\u{202e}gnp.exe"), "evil\\u{202e}gnp.exe");
        assert_eq!(escape("plain name"), "plain name");
        assert_eq!(label("  Support replies\n"), "Support replies");
        let long = label(&"x".repeat(500));
        assert_eq!(long.chars().count(), 201);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn output_defuses_workflow_commands_and_control_bytes() {
        assert_eq!(output("ok\n::error::forged\n"), "ok\n: :error::forged\n");
        assert_eq!(output("  ::stop-commands::x"), "  : :stop-commands::x");
        assert_eq!(output("a \u{1b}[31mred"), "a \u{fffd}[31mred");
        assert_eq!(
            output("a::b\tc\n"),
            "a::b\tc\n",
            "`::` inside a line is harmless"
        );
    }

    #[test]
    fn legacy_workflow_commands_are_defused_anywhere_in_a_line() {
        assert_eq!(
            output("model x ##[set-output name=a]1 and ##[add-mask]s\n"),
            "model x # #[set-output name=a]1 and # #[add-mask]s\n"
        );
        assert_eq!(output("##[error]x"), "# #[error]x");
        assert_eq!(output("## [not one]"), "## [not one]");
    }

    #[test]
    fn spreadsheet_formulas_are_quoted_but_numbers_are_not() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1-2"), "'+1-2");
        assert_eq!(csv_cell("-0.0036"), "-0.0036");
        assert_eq!(csv_cell("draft"), "draft");
    }
}
