//! One rule for every ratio, wherever it is written (a spec, `--set`, a
//! flag): a fraction (`0.75`) or an explicit percentage (`75%`, or `2pt` for
//! margin points). A bare number above 1 is refused rather than guessed at:
//! `--min-margin 75` once meant 7,500%, and `--max-increase 10` meant 10%.

use rust_decimal::Decimal;

/// A ratio as written: its value, and whether it was a bare number (which
/// must then be a fraction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub value: Decimal,
    pub bare: bool,
}

impl Ratio {
    pub fn bare(value: Decimal) -> Ratio {
        Ratio { value, bare: true }
    }

    /// The value, unless it is a bare number too large to be a fraction.
    pub fn unambiguous(self) -> Result<Decimal, Ambiguous> {
        if self.bare && self.value.abs() > Decimal::ONE {
            Err(Ambiguous(self.value))
        } else {
            Ok(self.value)
        }
    }
}

/// A bare number above 1 where a ratio was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ambiguous(pub Decimal);

impl Ambiguous {
    pub fn message(&self) -> String {
        format!(
            "`{}` is ambiguous for a ratio: write a fraction (0.75) or a percentage (`75%`)",
            self.0
        )
    }

    pub fn help(&self, suffix: &str) -> String {
        format!("write `{}{suffix}` if you mean {} percent", self.0, self.0)
    }
}

/// Reads `0.75`, `75%` or `2pt` (points are hundredths, like percent).
pub fn parse(text: &str) -> Result<Ratio, String> {
    let t = text.trim();
    let (number, percent) = match t.strip_suffix('%').or_else(|| t.strip_suffix("pt")) {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let value = crate::literal::exact_decimal(number).map_err(|_| {
        format!("`{text}` is not a ratio: write a fraction (0.75) or a percentage (`75%`)")
    })?;
    Ok(if percent {
        Ratio {
            value: value / Decimal::ONE_HUNDRED,
            bare: false,
        }
    } else {
        Ratio::bare(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::d;

    #[test]
    fn fractions_and_percentages_mean_the_same() {
        assert_eq!(parse("0.75").unwrap().unambiguous(), Ok(d("0.75")));
        assert_eq!(parse("75%").unwrap().unambiguous(), Ok(d("0.75")));
        assert_eq!(parse(" 2pt ").unwrap().unambiguous(), Ok(d("0.02")));
        assert_eq!(parse("150%").unwrap().unambiguous(), Ok(d("1.5")));
        assert_eq!(parse("-5%").unwrap().unambiguous(), Ok(d("-0.05")));
        assert_eq!(parse("1").unwrap().unambiguous(), Ok(Decimal::ONE));
    }

    #[test]
    fn a_bare_number_above_one_is_refused() {
        assert_eq!(parse("75").unwrap().unambiguous(), Err(Ambiguous(d("75"))));
        assert_eq!(
            parse("1.5").unwrap().unambiguous(),
            Err(Ambiguous(d("1.5")))
        );
        assert!(Ambiguous(d("75")).help("%").contains("`75%`"));
        assert!(parse("lots").is_err() && parse("%").is_err());
    }
}
