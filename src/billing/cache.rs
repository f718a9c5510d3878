//! Prompt caching as the providers bill it: what one run reads from a cache
//! and writes to it, by the pricing file's caching kind.

use rust_decimal::Decimal;

use crate::pricing::{CacheKind, ModelPrice};

/// Tokens one run reads from the cache and writes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheUse {
    pub reads: Decimal,
    pub writes: Decimal,
    /// Whether anything was long enough to cache at all.
    pub eligible: bool,
}

/// The cache use of one run that can read `earlier` (the prefix an earlier
/// request or turn left cached) and leaves `own` (its own prefix, which a
/// later one can read), at hit rate `hit_rate` (the chance that what was
/// cached is still warm). Below the model's minimum nothing is cached.
///
/// - Automatic (OpenAI-style): reads `h·step(earlier)`, no writes; a hit
///   covers the prefix rounded down to `step` tokens above the minimum.
/// - Explicit (Anthropic-style): reads `h·earlier`, writes `own − reads`:
///   a hit writes only what is new, a miss writes the whole prefix again.
pub fn cache_use(
    model: &ModelPrice,
    hit_rate: Decimal,
    earlier: Decimal,
    own: Decimal,
) -> CacheUse {
    let min = Decimal::from(model.min_cacheable_tokens);
    let readable = earlier >= min && !earlier.is_zero();
    match model.caching {
        CacheKind::Automatic { step } => CacheUse {
            reads: if readable {
                hit_rate * stepped(earlier, min, step)
            } else {
                Decimal::ZERO
            },
            writes: Decimal::ZERO,
            eligible: readable,
        },
        CacheKind::Explicit => {
            let reads = if readable {
                hit_rate * earlier
            } else {
                Decimal::ZERO
            };
            let writable = own >= min && !own.is_zero();
            CacheUse {
                reads,
                writes: if writable { own - reads } else { Decimal::ZERO },
                eligible: writable,
            }
        }
    }
}

/// `min + step·⌊(tokens − min)/step⌋`: the part of a prefix an automatic
/// cache holds, in whole steps above the minimum. A step of 1 keeps the
/// prefix as it is (a scaled estimate may not be a whole number).
fn stepped(tokens: Decimal, min: Decimal, step: u64) -> Decimal {
    if step <= 1 {
        return tokens;
    }
    let step = Decimal::from(step);
    min + step * ((tokens - min) / step).floor()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Rates;
    use crate::test_support::{d, model};

    fn automatic(step: u64) -> ModelPrice {
        ModelPrice {
            caching: CacheKind::Automatic { step },
            ..model(Rates {
                input: d("2.5"),
                cached_input: Some(d("1.25")),
                cache_write: None,
                output: d("10"),
            })
        }
    }

    #[test]
    fn automatic_caching_reads_whole_steps_above_the_minimum() {
        // OpenAI: a 1,500-token prefix caches 1,024 + 128·⌊476/128⌋ =
        // 1,024 + 384 = 1,408 tokens; at h = 1 all of them are read.
        let m = automatic(128);
        let u = cache_use(&m, d("1"), d("1500"), d("1500"));
        assert_eq!((u.reads, u.writes), (d("1408"), d("0")));
        // exactly on a step: 1,024 + 128 = 1,152 stays 1,152
        assert_eq!(cache_use(&m, d("1"), d("1152"), d("1152")).reads, d("1152"));
        // h = 0.5 of 1,408 = 704
        assert_eq!(
            cache_use(&m, d("0.5"), d("1500"), d("1500")).reads,
            d("704")
        );
        // below the minimum: nothing
        let below = cache_use(&m, d("1"), d("1023"), d("1023"));
        assert_eq!((below.reads, below.eligible), (d("0"), false));
    }

    #[test]
    fn explicit_caching_writes_what_is_new_and_rewrites_on_a_miss() {
        let m = model(Rates {
            input: d("3"),
            cached_input: Some(d("0.3")),
            cache_write: Some(d("3.75")),
            output: d("15"),
        });
        // one call, prefix 4,000, h = 0.9: reads 3,600, writes 4,000 − 3,600 = 400
        let u = cache_use(&m, d("0.9"), d("4000"), d("4000"));
        assert_eq!((u.reads, u.writes), (d("3600"), d("400")));
        // a turn that can read 4,000 and leaves 4,500: reads 3,600,
        // writes 4,500 − 3,600 = 900 (500 new, and 4,000 again on a miss:
        // 0.9·500 + 0.1·4,500 = 900)
        let u = cache_use(&m, d("0.9"), d("4000"), d("4500"));
        assert_eq!((u.reads, u.writes), (d("3600"), d("900")));
        // an earlier prefix below the minimum cannot be read, but this
        // run's own prefix is written: reads 0, writes 1,500
        let u = cache_use(&m, d("0.9"), d("1000"), d("1500"));
        assert_eq!((u.reads, u.writes), (d("0"), d("1500")));
    }
}
