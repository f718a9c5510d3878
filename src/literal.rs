//! A number read from the text it was written as, exactly: the one reader
//! of decimal literals for specs, pricing files, flags and saved JSON.

use rust_decimal::Decimal;

/// A decimal literal read exactly: `19.999999999999999`, `1e3`, `-0.5`,
/// `+2`. More significant digits than a 96-bit decimal holds (28) is an
/// error, never a rounding.
pub fn exact_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let plain = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'));
    if !plain {
        // Text is never echoed: it may be a prompt pasted in the wrong place.
        return Err(format!(
            "expected a number, found text of {} characters",
            text.chars().count()
        ));
    }
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok().filter(|d| {
            // from_scientific rounds what does not fit; the literal's own
            // digits must all survive.
            let mantissa = t.split(['e', 'E']).next().unwrap_or_default();
            significant_digits(mantissa) <= 28 && d.scale() <= 28
        })
    } else {
        Decimal::from_str_exact(t).ok()
    };
    parsed.ok_or_else(|| {
        format!("the number {t} has more digits than llm-cost can represent exactly (28 significant digits)")
    })
}

fn significant_digits(mantissa: &str) -> usize {
    mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|&c| c == '0')
        .count()
}
