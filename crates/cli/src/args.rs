//! Value parsers shared by the binaries' command lines, so that the same kind of value is
//! refused the same way everywhere (a usage error, exit code 2).

/// A share between 0 and 1 inclusive (`synth --present-fraction`, `irs --min-share`).
pub fn fraction(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_is_between_0_and_1() {
        assert_eq!(fraction("0.5"), Ok(0.5));
        assert_eq!(fraction("1"), Ok(1.0));
        assert!(fraction("1.5").is_err());
        assert!(fraction("-0.1").is_err());
        assert!(fraction("NaN").is_err());
        assert!(fraction("half").is_err());
    }
}
