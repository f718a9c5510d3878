//! `llm-cost suggest SPEC`: ranked savings, each re-estimated with the exact
//! overrides that reproduce it, and all of them together.

use rust_decimal::Decimal;

use super::{Outcome, price_table, write_outputs};
use crate::cli::SuggestArgs;
use crate::error::{EXIT_OK, Result};
use crate::pipeline::{self, Estimate};
use crate::pricing::PriceTable;
use crate::resolve::{self, ResolvedCall};
use crate::savings::{self, Candidate, Kind, Suggestion, Suggestions};
use crate::spec::{self, CachePrefix, History, Overrides, Spec};

pub fn run(args: &SuggestArgs) -> Result<Outcome> {
    let prices = price_table(&args.pricing)?;
    let options = args.run.options();
    let spec = spec::load(&args.spec, &prices)?;
    let base = pipeline::estimate(&spec, &prices, options, None)?;
    let resolved = resolve::resolve(&spec, options.files())?;

    let rerun = |sets: &[(String, String)]| -> Option<Estimate> {
        let overrides = Overrides {
            sets: sets.to_vec(),
            ..Overrides::default()
        };
        let s = spec::load_with(&args.spec, &prices, &overrides).ok()?;
        pipeline::estimate(&s, &prices, options, None).ok()
    };
    let base_month = base.totals.cost_per_month;
    let judge = |c: Candidate| -> Option<Suggestion> {
        let r = rerun(&c.sets)?;
        let saving = base_month - r.totals.cost_per_month;
        (saving > Decimal::ZERO).then(|| Suggestion {
            saving_ratio: if base_month.is_zero() {
                Decimal::ZERO
            } else {
                saving / base_month
            },
            cost_per_month: r.totals.cost_per_month,
            saving_per_month: saving,
            budget_ok: r.budget_ok(),
            candidate: c,
        })
    };

    let mut items: Vec<Suggestion> = candidates(&resolved, &prices, args)
        .into_iter()
        .filter_map(judge)
        .collect();
    items.extend(cheaper_models(&spec, &prices, &base, &rerun));
    items.sort_by_key(|s| std::cmp::Reverse(s.saving_per_month));

    // All together: one change per call and kind, applied at once and
    // re-estimated, since savings overlap (cached tokens cannot also be trimmed).
    let combined = (items.len() > 1).then(|| {
        let sets: Vec<(String, String)> = items
            .iter()
            .flat_map(|s| s.candidate.sets.clone())
            .collect();
        let candidate = Candidate {
            kind: Kind::Combined,
            call: String::new(),
            title: format!("all {} changes together", items.len()),
            sets,
        };
        judge(candidate)
    });
    let drivers = savings::drivers(&resolved, &prices, base.totals.requests_per_month)
        .into_iter()
        .take(6)
        .collect();
    let suggestions = Suggestions {
        spec: spec.file.display.clone(),
        feature: spec.feature.clone(),
        cost_per_month: base_month,
        items,
        combined: combined.flatten(),
        drivers,
        assumptions: vec![
            format!(
                "cache hit rate {}% where caching is new (--hit-rate)",
                (args.hit_rate * Decimal::ONE_HUNDRED).normalize()
            ),
            format!(
                "trimmed prompt parts and capped answers {}% shorter (--trim)",
                (args.trim * Decimal::ONE_HUNDRED).normalize()
            ),
            format!("a history window of {} turns (--window)", args.window),
        ],
    };
    let inputs = super::inputs(&[&args.spec], &args.pricing);
    let to_stdout = write_outputs(&args.output.outputs, &inputs, |r| r.suggest(&suggestions))?;
    Ok(Outcome {
        stdout: to_stdout.unwrap_or_else(|| args.format.renderer().suggest(&suggestions)),
        warnings: base.warnings.clone(),
        exit_code: EXIT_OK,
        ..Outcome::default()
    })
}

/// Re-estimates the spec with some `--set`s.
type Rerun<'a> = dyn Fn(&[(String, String)]) -> Option<Estimate> + 'a;

/// `calls.NAME.` for a call, which `--set` resolves by name.
/// `calls.NAME.` where the name can be written in a `--set` path, else
/// `calls[i].` (a name such as `a.b=c` cannot, and its saving must still be
/// reproducible).
fn at(call: &crate::spec::Call) -> String {
    let plain = !call.name.is_empty()
        && call
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    if plain {
        format!("calls.{}.", call.name)
    } else {
        format!("{}.", call.path)
    }
}

/// Every change whose rules hold; each is then re-estimated.
fn candidates(
    resolved: &[ResolvedCall],
    prices: &PriceTable,
    args: &SuggestArgs,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let keep = Decimal::ONE - args.trim;
    for rc in resolved {
        let call = &rc.call;
        let name = &call.name;
        // Caching: the leading messages that are the same on every request.
        // Below the model's minimum the re-estimate saves nothing, so such a
        // prefix is never suggested.
        let fixed = rc
            .messages
            .iter()
            .take_while(|m| m.variables.is_empty())
            .count();
        let current = match call.cache.as_ref().map(|c| &c.prefix) {
            None => 0,
            Some(CachePrefix::Messages(n)) => *n,
            Some(CachePrefix::Role(_)) => rc.prefix_messages,
        };
        if fixed > current {
            let (title, sets) = if call.cache.is_none() {
                (
                    format!(
                        "cache the fixed prompt prefix of `{name}` ({fixed} message{})",
                        if fixed == 1 { "" } else { "s" }
                    ),
                    vec![(
                        format!("{}cache", at(call)),
                        format!(
                            "{{prefix: {fixed}, hit_rate: {}}}",
                            args.hit_rate.normalize()
                        ),
                    )],
                )
            } else {
                (
                    format!("extend the cached prefix of `{name}` to {fixed} messages"),
                    vec![(format!("{}cache.prefix", at(call)), fixed.to_string())],
                )
            };
            out.push(Candidate {
                kind: Kind::Cache,
                call: name.clone(),
                title,
                sets,
            });
        }
        // Batch: only for calls nobody waits for.
        if call.is_async
            && !call.batch
            && call
                .legs
                .iter()
                .all(|l| prices.get(&l.model).is_some_and(|m| m.batch.is_some()))
        {
            out.push(Candidate {
                kind: Kind::Batch,
                call: name.clone(),
                title: format!("run `{name}` through the batch API (it is `latency: async`)"),
                sets: vec![(format!("{}batch", at(call)), "true".into())],
            });
        }
        // Trim the largest variable of the call.
        if let Some(enc) = call
            .legs
            .first()
            .and_then(|l| prices.get(&l.model))
            .map(|m| m.tokenizer.encoding)
        {
            let largest = rc
                .messages
                .iter()
                .flat_map(|m| &m.variables)
                .map(|v| (savings::variable_tokens(&v.value, enc), v))
                .max_by(|a, b| a.0.cmp(&b.0));
            if let Some((tokens, v)) = largest.filter(|(t, _)| *t >= Decimal::from(100)) {
                let shorter = (tokens * keep).round();
                let (path, title) = if v.local {
                    (
                        format!("{}variables.{}", at(call), v.name),
                        format!(
                            "trim `{}` in `{name}` ({} → {} tokens)",
                            v.name,
                            tokens.round(),
                            shorter
                        ),
                    )
                } else {
                    (
                        format!("variables.{}", v.name),
                        format!(
                            "trim the shared variable `{}` ({} → {} tokens)",
                            v.name,
                            tokens.round(),
                            shorter
                        ),
                    )
                };
                out.push(Candidate {
                    kind: Kind::Trim,
                    call: name.clone(),
                    title,
                    sets: vec![(path, format!("{{tokens: {shorter}}}"))],
                });
            }
        }
        // Cap long answers.
        let out_mean = call.output_tokens.mean;
        if out_mean >= Decimal::from(100) {
            let capped = (out_mean * keep).round();
            let p95 = call.output_tokens.p95.max(capped);
            out.push(Candidate {
                kind: Kind::Output,
                call: name.clone(),
                title: format!(
                    "cap answers of `{name}` ({} → {} tokens on average)",
                    out_mean.round(),
                    capped
                ),
                sets: vec![(
                    format!("{}output_tokens", at(call)),
                    format!("{{mean: {capped}, p95: {}}}", p95.round()),
                )],
            });
        }
        // Cut the history a conversation re-sends.
        if let Some(c) = &call.conversation
            && c.history == History::Full
            && c.turns > args.window + 1
        {
            out.push(Candidate {
                kind: Kind::History,
                call: name.clone(),
                title: format!(
                    "re-send only the last {} turns of `{name}`'s history",
                    args.window
                ),
                sets: vec![(
                    format!("{}conversation", at(call)),
                    format!("{{turns: {}, window: {}}}", c.turns, args.window),
                )],
            });
        }
    }
    // A shared variable is the largest in more than one call: try it once.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|c| seen.insert(c.sets.clone()));
    out
}

/// For each call on one model: the next cheaper current model from the same
/// provider that keeps every budget (the smallest step down, not the
/// cheapest model there is).
fn cheaper_models(
    spec: &Spec,
    prices: &PriceTable,
    base: &Estimate,
    rerun: &Rerun,
) -> Vec<Suggestion> {
    let today = crate::date::today();
    let mut out = Vec::new();
    for call in &spec.calls {
        if call.legs.len() != 1 || call.cascade {
            continue;
        }
        let Some(current) = prices.get(&call.model) else {
            continue;
        };
        let mut best: Option<Suggestion> = None;
        for m in prices.models().filter(|m| {
            m.provider == current.provider && m.name != current.name && m.self_hosted.is_none()
        }) {
            if m.deprecated
                .as_deref()
                .and_then(crate::date::parse)
                .is_some_and(|d| d <= today)
            {
                continue;
            }
            let sets = vec![(format!("calls.{}.model", call.name), m.name.clone())];
            let Some(r) = rerun(&sets) else { continue };
            let saving = base.totals.cost_per_month - r.totals.cost_per_month;
            if saving <= Decimal::ZERO || !r.budget_ok() {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|b| r.totals.cost_per_month > b.cost_per_month)
            {
                best = Some(Suggestion {
                    saving_ratio: if base.totals.cost_per_month.is_zero() {
                        Decimal::ZERO
                    } else {
                        saving / base.totals.cost_per_month
                    },
                    cost_per_month: r.totals.cost_per_month,
                    saving_per_month: saving,
                    budget_ok: true,
                    candidate: Candidate {
                        kind: Kind::Model,
                        call: call.name.clone(),
                        title: format!("move `{}` from {} to {}", call.name, current.name, m.name),
                        sets,
                    },
                });
            }
        }
        out.extend(best);
    }
    out
}
