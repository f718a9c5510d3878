//! Nearest-name suggestions for misspelt keys, models and variables
//! ("did you mean …?"), on top of `strsim`.

/// The longest name compared.
const MAX_NAME_BYTES: usize = 256;

/// The candidate closest to `input`, if it is close enough to be what the
/// user meant (edit distance at most a third of the longer name, or a
/// shared prefix/substring for model families such as `gpt-4o` → `gpt-4o-mini`).
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    nearest(input, candidates, 1).into_iter().next()
}

/// Up to `n` candidates close to `input`, best first.
pub fn nearest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    // No name is longer than this; past it no candidate can be near, and
    // the edit distance (quadratic) is not worth computing: a 1 MB name
    // took 9.8 s against the catalog.
    if input.len() > MAX_NAME_BYTES {
        return Vec::new();
    }
    let needle = input.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let hay = c.to_lowercase();
            // Optimal string alignment: Levenshtein plus adjacent transpositions as
            // one edit, since `drfat` for `draft` is a typical typo.
            let distance = strsim::osa_distance(&needle, &hay);
            let limit = needle.chars().count().max(hay.chars().count()) / 3;
            if distance <= limit.max(1) {
                Some((distance, c))
            } else if needle.len() >= 3 && (hay.contains(&needle) || needle.contains(&hay)) {
                Some((limit + 1 + hay.len().abs_diff(needle.len()), c))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("traffc", ["traffic", "budget"]),
            Some("traffic")
        );
        assert_eq!(did_you_mean("zzz", ["traffic", "budget"]), None);
        assert_eq!(did_you_mean("drfat", ["draft", "classify"]), Some("draft"));
        assert_eq!(did_you_mean("p59", ["mean", "p95"]), Some("p95"));
        assert_eq!(
            nearest(
                "gpt-4o-mni",
                ["gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"],
                2
            ),
            vec!["gpt-4o-mini", "gpt-4o"]
        );
        assert_eq!(
            did_you_mean("claude-haiku", ["claude-haiku-4-5", "gpt-5"]),
            Some("claude-haiku-4-5")
        );
    }
}
