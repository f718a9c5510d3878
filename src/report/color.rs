//! Colour for people at a terminal: over budget in red, within budget in
//! green, warnings in yellow. Applied last, to text that has passed the
//! output guard (which removes every escape byte a spec could smuggle in),
//! and only where the user's terminal will show it: `--color always`, or
//! `auto` on a terminal without `NO_COLOR` (no-color.org) and not `TERM=dumb`.

use std::io::IsTerminal;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb
    #[default]
    Auto,
    Always,
    Never,
}

const RED: &str = "\x1b[31m";
const BOLD_RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

impl ColorChoice {
    /// Whether to colour what goes to a stream that is (or is not) a
    /// terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                terminal && !no_color && !dumb
            }
        }
    }

    pub fn stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }

    pub fn stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal())
    }
}

/// A table report with its verdicts coloured: `OVER BUDGET` and each `✗`
/// rule (up to the next ` · `) red, `✓` rules and a Budget line's `ok`
/// green, `★` yellow.
pub fn report(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        out.push_str(&paint_line(line));
    }
    out
}

fn paint_line(line: &str) -> String {
    let mut s = line.replace("OVER BUDGET", &format!("{BOLD_RED}OVER BUDGET{RESET}"));
    if let Some(rest) = s.strip_prefix(" Budget        ok ") {
        s = format!(" Budget        {GREEN}ok{RESET} {rest}");
    }
    s = s.replace('★', &format!("{YELLOW}★{RESET}"));
    for (mark, color) in [('✗', RED), ('✓', GREEN)] {
        s = paint_from(&s, mark, color);
    }
    s
}

/// Each run from `mark` to the next ` · `, ` — ` or the line's end, coloured.
fn paint_from(line: &str, mark: char, color: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(i) = rest.find(mark) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = [" · ", " — ", "\n"]
            .iter()
            .filter_map(|sep| tail.find(sep))
            .min()
            .unwrap_or(tail.len());
        out.push_str(color);
        out.push_str(&tail[..end]);
        out.push_str(RESET);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// `warning:` in yellow and `error:` in red, at the start of a line.
pub fn diagnostics(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if let Some(rest) = line.strip_prefix("warning:") {
                format!("{YELLOW}warning:{RESET}{rest}")
            } else if let Some(rest) = line.strip_prefix("error:") {
                format!("{RED}error:{RESET}{rest}")
            } else if let Some(i) = line.find(": error: ") {
                format!("{}: {RED}error:{RESET}{}", &line[..i], &line[i + 8..])
            } else {
                line.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_coloured_and_nothing_else_changes() {
        let line = " Budget        OVER BUDGET      ✗ monthly spend $365.70 > $100 · gross margin 81.6% ≥ 75.0%\n";
        let painted = report(line);
        assert!(painted.contains("\x1b[1;31mOVER BUDGET\x1b[0m"));
        assert!(painted.contains("\x1b[31m✗ monthly spend $365.70 > $100\x1b[0m · gross"));
        let plain: String = painted
            .replace(RED, "")
            .replace(BOLD_RED, "")
            .replace(RESET, "");
        assert_eq!(plain, line);
        assert_eq!(
            diagnostics("spec.yaml:3:1: error: bad\nwarning: old\n"),
            "spec.yaml:3:1: \x1b[31merror:\x1b[0m bad\n\x1b[33mwarning:\x1b[0m old\n"
        );
    }

    #[test]
    fn never_and_always_win_over_the_terminal() {
        assert!(!ColorChoice::Never.enabled(true));
        assert!(ColorChoice::Always.enabled(false));
    }
}
