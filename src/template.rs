//! `{{variable}}` placeholders in prompt text. Only `{{ name }}` with a plain
//! identifier counts, so prompts that show JSON or other templating syntax
//! (`{{"a": 1}}`, `{{#if}}`) are left as text.

/// A piece of a template: literal text or a placeholder's variable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

/// One pass over the text: at each `{{` only the few characters a
/// placeholder can hold are looked at, so no input makes this quadratic
/// (a megabyte of `{{` once took over a minute).
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut literal_start = 0;
    let mut search = 0;
    while let Some(found) = template[search..].find("{{") {
        let open = search + found;
        match placeholder_at(template, open) {
            Some((name, end)) => {
                if open > literal_start {
                    out.push(Piece::Text(&template[literal_start..open]));
                }
                out.push(Piece::Var(name));
                literal_start = end;
                search = end;
            }
            None => search = open + 2,
        }
    }
    if literal_start < template.len() {
        out.push(Piece::Text(&template[literal_start..]));
    }
    out
}

/// `{{ name }}` starting at `open`: the name and the index past `}}`.
fn placeholder_at(template: &str, open: usize) -> Option<(&str, usize)> {
    let bytes = template.as_bytes();
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = open + 2;
    while i < bytes.len() && blank(bytes[i]) {
        i += 1;
    }
    let start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    let name = &template[start..i];
    while i < bytes.len() && blank(bytes[i]) {
        i += 1;
    }
    (is_identifier(name) && template[i..].starts_with("}}")).then_some((name, i + 2))
}

pub fn variables(template: &str) -> impl Iterator<Item = &str> {
    pieces(template).into_iter().filter_map(|p| match p {
        Piece::Var(v) => Some(v),
        Piece::Text(_) => None,
    })
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_placeholders_from_text() {
        assert_eq!(
            pieces("Ticket:\n{{ticket}}\n\n{{ articles }}!"),
            vec![
                Piece::Text("Ticket:\n"),
                Piece::Var("ticket"),
                Piece::Text("\n\n"),
                Piece::Var("articles"),
                Piece::Text("!")
            ]
        );
        assert_eq!(pieces("{{x}}"), vec![Piece::Var("x")]);
    }

    #[test]
    fn leaves_other_braces_alone() {
        assert_eq!(
            pieces(r#"{{"a": 1}} and {{#if}} {{"#),
            vec![Piece::Text(r#"{{"a": 1}} and {{#if}} {{"#)]
        );
        assert_eq!(variables("{{\"a\"}} {{b}}").collect::<Vec<_>>(), vec!["b"]);
        assert_eq!(
            pieces("{{{x}}} {{ y\n}}"),
            vec![Piece::Text("{{{x}}} "), Piece::Var("y")],
            "as before: the scan resumes after an unmatched `{{`"
        );
    }

    #[test]
    fn a_megabyte_of_open_braces_is_one_linear_pass() {
        let text = "{{".repeat(500_000) + "}}";
        assert_eq!(pieces(&text), vec![Piece::Text(&text)]);
    }
}
