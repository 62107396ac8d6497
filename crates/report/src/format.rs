//! How numbers, shares, durations and dates are written for a reader (English, thousands
//! separators, one decimal for percentages, human-readable durations).

use chrono::{DateTime, Utc};

pub use dialoog_model::format::{NONE, duration, int, pct, pct_of};

/// `"3 Oct 2017"`.
pub fn date(at: &DateTime<Utc>) -> String {
    at.format("%-d %b %Y").to_string()
}

/// `"3 Oct 2017, 14:05 UTC"`.
pub fn date_time(at: &DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// The period as `"1 Oct 2017 – 3 Dec 2017"`; `"–"` when unknown.
pub fn period(start: Option<&DateTime<Utc>>, end: Option<&DateTime<Utc>>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if s.date_naive() == e.date_naive() => date(s),
        (Some(s), Some(e)) => format!("{} – {}", date(s), date(e)),
        (Some(s), None) => format!("from {}", date(s)),
        (None, Some(e)) => format!("until {}", date(e)),
        (None, None) => NONE.to_owned(),
    }
}

/// A span between two local times (RFC 3339 with offset), as `"31 Oct 2017, 22:00–24:00"` within
/// a day and `"30 Oct 2017, 18:00 – 1 Nov 2017, 18:00"` across days; the raw text when it does not
/// parse.
pub fn span(start: &str, end: &str) -> String {
    use chrono::Duration;
    match (
        DateTime::parse_from_rfc3339(start),
        DateTime::parse_from_rfc3339(end),
    ) {
        (Ok(s), Ok(e)) if s.date_naive() == e.date_naive() => {
            format!("{}–{}", s.format("%-d %b %Y, %H:%M"), e.format("%H:%M"))
        }
        (Ok(s), Ok(e))
            if e.time() == chrono::NaiveTime::MIN
                && (e - Duration::seconds(1)).date_naive() == s.date_naive() =>
        {
            format!("{}–24:00", s.format("%-d %b %Y, %H:%M"))
        }
        (Ok(s), Ok(e)) => format!(
            "{} – {}",
            s.format("%-d %b %Y, %H:%M"),
            e.format("%-d %b %Y, %H:%M")
        ),
        _ => format!("{start} – {end}"),
    }
}

/// A bucket start (RFC 3339 with offset, local time) as an axis label: `"12 Oct"` for days,
/// `"12 Oct 14:00"` for hours; the raw text when it does not parse.
pub fn bucket_label(start: &str, bucket: &str) -> String {
    match DateTime::parse_from_rfc3339(start) {
        Ok(t) if bucket == "hour" => t.format("%-d %b %H:%M").to_string(),
        Ok(t) => t.format("%-d %b").to_string(),
        Err(_) => start.to_owned(),
    }
}

/// An axis label for a bucket and how good a tick it makes (higher: rarer and rounder).
/// Hours: the date at midnight, else the time; ranks midnight > noon > 6-hourly > 3-hourly.
/// Days: "12 Oct", or "Oct 2017" on the first of a month in long series; ranks first of the
/// month > Monday > other days.
pub fn bucket_tick(start: &str, bucket: &str, buckets: usize) -> (String, u8) {
    use chrono::{Datelike, Timelike, Weekday};
    let Ok(t) = DateTime::parse_from_rfc3339(start) else {
        return (start.to_owned(), 0);
    };
    if bucket == "hour" {
        let h = t.hour();
        let rank = match h {
            0 => 4,
            12 => 3,
            _ if h % 6 == 0 => 2,
            _ if h % 3 == 0 => 1,
            _ => 0,
        };
        let label = if h == 0 {
            t.format("%-d %b").to_string()
        } else {
            t.format("%H:%M").to_string()
        };
        return (label, rank);
    }
    if t.day() == 1 {
        let label = if buckets > 120 {
            t.format("%b %Y").to_string()
        } else {
            t.format("%-d %b").to_string()
        };
        (label, if t.month() == 1 { 4 } else { 3 })
    } else if t.weekday() == Weekday::Mon {
        (t.format("%-d %b").to_string(), 2)
    } else {
        (t.format("%-d %b").to_string(), 0)
    }
}

/// The exact JSON text of a value, for `data-value` attributes: `0.25`, `12`, `null`.
pub fn raw_f64(v: Option<f64>) -> String {
    match v {
        Some(x) => serde_json::to_string(&x).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    }
}

/// Capitalises the first letter: `"support accounts"` → `"Support accounts"`.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "1 post" / "2 posts".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", int(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(bucket_label("2017-10-12T00:00:00+02:00", "day"), "12 Oct");
        assert_eq!(
            bucket_label("2017-10-12T14:00:00+00:00", "hour"),
            "12 Oct 14:00"
        );
        assert_eq!(bucket_label("garbage", "day"), "garbage");
        assert_eq!(
            bucket_tick("2017-10-12T00:00:00+02:00", "hour", 72),
            ("12 Oct".into(), 4)
        );
        assert_eq!(
            bucket_tick("2017-10-12T18:00:00+02:00", "hour", 72),
            ("18:00".into(), 2)
        );
        assert_eq!(
            bucket_tick("2017-10-02T00:00:00+02:00", "day", 64),
            ("2 Oct".into(), 2)
        );
        assert_eq!(
            bucket_tick("2017-11-01T00:00:00+01:00", "day", 400),
            ("Nov 2017".into(), 3)
        );
        assert_eq!(bucket_tick("x", "day", 1), ("x".into(), 0));
        assert_eq!(raw_f64(Some(0.25)), "0.25");
        assert_eq!(raw_f64(None), "null");
        assert_eq!(capitalise("support accounts"), "Support accounts");
    }
}
