//! GitHub Actions integration: workflow-command annotations that point at
//! the spec line of a broken budget, and the job summary.

use std::io::Write;

use crate::diagnostic::Location;

/// Escapes an annotation's message (GitHub's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property such as `file` or `title`
/// (GitHub's `escapeProperty`): also `:` and `,`, which delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=…,line=…,col=…,title=…::message`, with `file` relative to
/// the repository (GitHub places annotations by workspace-relative paths).
pub fn annotation(
    level: &str,
    file: &str,
    at: Option<Location>,
    title: &str,
    message: &str,
) -> String {
    use crate::neutral::escape;
    let mut props = vec![format!(
        "file={}",
        escape_property(&escape(&workspace_path(file)))
    )];
    if let Some(l) = at {
        props.push(format!("line={}", l.line));
        props.push(format!("col={}", l.column));
    }
    props.push(format!("title={}", escape_property(&escape(title))));
    // The runner honours `##[…]` anywhere in the line, so the whole line
    // is defused, not only its message.
    crate::neutral::defuse_legacy_commands(format!(
        "::{level} {}::{}",
        props.join(","),
        escape_data(&escape(message))
    ))
}

/// Whether to speak GitHub's dialect: as forced (`--github always` or
/// `never`; a step that estimates the base branch says never, so only the
/// command that judges the pull request annotates it), or, where nothing
/// forces it, inside GitHub Actions (`GITHUB_ACTIONS=true`).
pub fn enabled(forced: Option<bool>) -> bool {
    forced.unwrap_or_else(|| std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"))
}

/// `file` relative to `GITHUB_WORKSPACE` when it lies inside it; as given
/// otherwise.
pub fn workspace_path(file: &str) -> String {
    let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) else {
        return file.to_string();
    };
    let (Ok(root), Ok(real)) = (
        std::fs::canonicalize(&workspace),
        std::fs::canonicalize(file),
    ) else {
        return file.to_string();
    };
    match real.strip_prefix(&root) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => file.to_string(),
    }
}

/// Appends `markdown` to the job summary when Actions provides one. The
/// runner creates that file for exactly this, so appending is safe.
pub fn append_step_summary(markdown: &str) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("100% over\r\nnext"), "100%25 over%0D%0Anext");
        assert_eq!(escape_property("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A");
        assert_eq!(
            annotation("error", "specs/a,b.yaml", Some(Location { line: 12, column: 3 }), "llm-cost: budget", "monthly $3,412 > $3,000: 13.7% over"),
            "::error file=specs/a%2Cb.yaml,line=12,col=3,title=llm-cost%3A budget::monthly $3,412 > $3,000: 13.7% over"
                .replace("13.7% over", "13.7%25 over")
        );
    }
}
