//! `{{variable}}` placeholders in prompt text. Only `{{ name }}` with a plain
//! identifier counts, so prompts that show JSON or other templating syntax
//! (`{{"a": 1}}`, `{{#if}}`) are left as text.

/// A piece of a template: literal text or a placeholder's variable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut literal_start = 0;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let name = after[..close].trim();
        let consumed = open + 2 + close + 2;
        if is_identifier(name) {
            let start = offset + open;
            if start > literal_start {
                out.push(Piece::Text(&template[literal_start..start]));
            }
            out.push(Piece::Var(name));
            literal_start = offset + consumed;
            rest = &rest[consumed..];
            offset += consumed;
        } else {
            rest = &rest[open + 2..];
            offset += open + 2;
        }
    }
    if literal_start < template.len() {
        out.push(Piece::Text(&template[literal_start..]));
    }
    out
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
    }
}
