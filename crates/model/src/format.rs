//! How numbers, shares and durations are written for a reader (English, thousands separators,
//! one decimal for percentages, human-readable durations): one way, whether in a factsheet's
//! headline sentences or its tables.

/// Text shown where a value is unknown or undefined (a rate with nothing to divide by).
pub const NONE: &str = "–";

/// `1234567` → `"1,234,567"`.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fraction 0–1 as a percentage with one decimal: `0.4567` → `"45.7%"`; unknown → `"–"`.
pub fn pct(share: Option<f64>) -> String {
    match share {
        Some(s) if s.is_finite() => format!("{:.1}%", s * 100.0),
        _ => NONE.to_owned(),
    }
}

/// `part` of `whole` as a percentage with one decimal; `"–"` when `whole` is 0.
pub fn pct_of(part: u64, whole: u64) -> String {
    if whole == 0 {
        NONE.to_owned()
    } else if part > 0 && (part as f64 / whole as f64) < 0.0005 {
        // Not "0.0%" for something that happened.
        "<0.1%".to_owned()
    } else {
        pct(Some(part as f64 / whole as f64))
    }
}

/// Seconds as a reader says them: `"45 s"`, `"13 min"`, `"2 h 5 min"`, `"3 d 4 h"`; a negative
/// time (an answer timed before its question, in dirty data) gets a minus sign; unknown → `"–"`.
pub fn duration(seconds: Option<f64>) -> String {
    let Some(s) = seconds.filter(|s| s.is_finite()) else {
        return NONE.to_owned();
    };
    if s < 0.0 && s.round() < 0.0 {
        return format!("−{}", duration(Some(-s)));
    }
    let secs = s.abs().round() as u64;
    if secs < 60 {
        return format!("{secs} s");
    }
    let mins = (secs + 30) / 60;
    if mins < 60 {
        return format!("{mins} min");
    }
    if mins < 24 * 60 {
        let (h, m) = (mins / 60, mins % 60);
        return if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        };
    }
    let hours = (secs + 1800) / 3600;
    let (d, h) = (hours / 24, hours % 24);
    if h == 0 {
        format!("{d} d")
    } else {
        format!("{d} d {h} h")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(int(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn percentages() {
        assert_eq!(pct(Some(0.4567)), "45.7%");
        assert_eq!(pct(Some(1.0)), "100.0%");
        assert_eq!(pct(None), "–");
        assert_eq!(pct(Some(f64::NAN)), "–");
        assert_eq!(pct_of(1, 3), "33.3%");
        assert_eq!(pct_of(1, 0), "–");
        assert_eq!(pct_of(1, 2217), "<0.1%");
        assert_eq!(pct_of(0, 2217), "0.0%");
        assert_eq!(pct_of(2, 2217), "0.1%");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(None), "–");
        assert_eq!(duration(Some(0.0)), "0 s");
        assert_eq!(duration(Some(45.2)), "45 s");
        assert_eq!(duration(Some(59.6)), "1 min");
        assert_eq!(duration(Some(13.0 * 60.0 + 10.0)), "13 min");
        assert_eq!(duration(Some(3599.0)), "1 h");
        assert_eq!(duration(Some(2.0 * 3600.0 + 5.0 * 60.0)), "2 h 5 min");
        assert_eq!(duration(Some(3.0 * 86400.0 + 4.0 * 3600.0)), "3 d 4 h");
        assert_eq!(duration(Some(86400.0)), "1 d");
        assert_eq!(duration(Some(-120.0)), "−2 min");
        assert_eq!(duration(Some(-0.2)), "0 s");
        assert_eq!(duration(Some(f64::INFINITY)), "–");
    }
}
