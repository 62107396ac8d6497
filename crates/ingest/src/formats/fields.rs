//! Named fields of one record: the presets for tools' CSV exports map rows through [`Fields`],
//! finding columns by name, with the same checks (ids, counts, times) and errors naming the column.

use super::csv::normalize_id;
use crate::context::Reject;
use chrono::{DateTime, Utc};
use csv::ByteRecord;
use std::borrow::Cow;

pub(crate) trait Fields {
    /// A field's trimmed text; `None` when absent or empty.
    fn text(&self, name: &str) -> Result<Option<Cow<'_, str>>, Reject>;

    /// The first of these fields that has text.
    fn first(&self, names: &[&str]) -> Result<Option<Cow<'_, str>>, Reject> {
        for name in names {
            if let Some(text) = self.text(name)? {
                return Ok(Some(text));
            }
        }
        Ok(None)
    }

    /// An id (an integral float such as `3.0` becomes `3`).
    fn id(&self, name: &str) -> Result<Option<String>, Reject> {
        match self.text(name)? {
            None => Ok(None),
            Some(text) => normalize_id(&text)
                .map(Some)
                .map_err(|reason| Reject::field(name, reason)),
        }
    }

    fn required_id(&self, name: &str) -> Result<String, Reject> {
        self.id(name)?.ok_or_else(|| Reject::missing(name))
    }

    /// A count ([`parse_count`]); a field that is not a non-negative integer is an error.
    fn count(&self, name: &str) -> Result<Option<u64>, Reject> {
        match self.text(name)? {
            None => Ok(None),
            Some(text) => parse_count(&text)
                .map(Some)
                .ok_or_else(|| Reject::field(name, format!("not a count: '{text}'"))),
        }
    }

    /// A required time, parsed with `parse`.
    fn time(
        &self,
        name: &str,
        parse: fn(&str) -> Option<DateTime<Utc>>,
    ) -> Result<DateTime<Utc>, Reject> {
        let text = self.text(name)?.ok_or_else(|| Reject::missing(name))?;
        parse(&text).ok_or_else(|| Reject::field(name, format!("unparseable time '{text}'")))
    }
}

/// One CSV row with its column names.
pub(crate) struct CsvRow<'a> {
    pub headers: &'a [String],
    pub record: &'a ByteRecord,
}

impl Fields for CsvRow<'_> {
    fn text(&self, name: &str) -> Result<Option<Cow<'_, str>>, Reject> {
        let Some(column) = self.headers.iter().position(|h| h == name) else {
            return Ok(None);
        };
        let Some(bytes) = self.record.get(column) else {
            return Ok(None);
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Reject::field(
                name,
                format!("invalid UTF-8 at byte {} of the field", e.valid_up_to()),
            )
        })?;
        let text = text.strip_suffix('\r').unwrap_or(text).trim();
        Ok((!text.is_empty()).then_some(Cow::Borrowed(text)))
    }
}

/// Seconds since 1970 (an integer or a float), as a time.
pub(crate) fn unix_time(text: &str) -> Option<DateTime<Utc>> {
    let seconds = text.trim().parse::<f64>().ok().filter(|s| s.is_finite())?;
    DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64)
}

/// `2021-03-01 12:00:00` read as UTC.
pub(crate) fn utc_time(text: &str) -> Option<DateTime<Utc>> {
    super::parse_with_format(text, "%Y-%m-%d %H:%M:%S")
}

/// The URLs in a field that lists them: a JSON array of strings, a Python list as tools print
/// it (`['http://a', 'http://b']`), or URLs separated by spaces or commas.
pub(crate) fn url_list(text: &str) -> Vec<String> {
    if let Ok(list) = serde_json::from_str::<Vec<String>>(text) {
        return list.into_iter().filter(|u| !u.is_empty()).collect();
    }
    text.trim_matches(['[', ']'])
        .split([',', ' '])
        .map(|u| u.trim().trim_matches(['\'', '"']))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(str::to_owned)
        .collect()
}

/// A count as exports write it: `1234`; with thousands grouped as Dutch (`1.234`), English
/// (`1,234`), Swiss (`1'234`) or French (`1 234`, also with a no-break space) writing does; or
/// as a whole float (`1234.0`, `1.234,0`) as pandas and spreadsheets write a column with gaps.
/// `None` for anything else, a fraction other than zero included: `1.5` is no count, and `1.000`
/// is a thousand, not one (a float written with three decimals has no place in a count column).
pub(crate) fn parse_count(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let is_mark = |c: char| matches!(c, '.' | ',');
    let is_space = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '\u{2019}');
    // A decimal part: after the last mark, unless it is the one kind of mark and the digits
    // after it are a group of three (then it groups thousands).
    let (whole, fraction) = match text.rfind(is_mark) {
        Some(at) => {
            let (whole, rest) = text.split_at(at);
            let mark = rest.chars().next()?;
            let digits = &rest[mark.len_utf8()..];
            let grouping = digits.len() == 3 && !whole.contains(|c: char| is_mark(c) && c != mark);
            if grouping {
                (text, "")
            } else {
                (whole, digits)
            }
        }
        None => (text, ""),
    };
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    let mut groups = whole.split(|c: char| is_mark(c) || is_space(c));
    let separators: Vec<char> = whole.chars().filter(|&c| !c.is_ascii_digit()).collect();
    if separators.windows(2).any(|pair| pair[0] != pair[1]) {
        return None;
    }
    let first = groups.next()?;
    let grouped_right =
        (1..=3).contains(&first.len()) || separators.is_empty() && !first.is_empty();
    if !grouped_right || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_csv_rows_by_name() {
        let headers = ["id".to_owned(), "n".to_owned(), "t".to_owned()];
        let record = ByteRecord::from(vec!["3.0", " 12 ", ""]);
        let row = CsvRow {
            headers: &headers,
            record: &record,
        };
        assert_eq!(row.required_id("id").unwrap(), "3");
        assert_eq!(row.count("n").unwrap(), Some(12));
        assert_eq!(row.text("t").unwrap(), None);
        assert_eq!(row.text("absent").unwrap(), None);
        assert!(row.required_id("t").is_err());
        let bad = ByteRecord::from(vec!["x", "many", ""]);
        let row = CsvRow {
            headers: &headers,
            record: &bad,
        };
        assert_eq!(row.count("n").unwrap_err().field.as_deref(), Some("n"));
        assert_eq!(row.first(&["t", "id"]).unwrap().as_deref(), Some("x"));
    }

    #[test]
    fn lists_of_urls_in_their_usual_spellings() {
        let both = ["http://example.com/4", "http://example.com/6"];
        assert_eq!(
            url_list("['http://example.com/4', 'http://example.com/6']"),
            both
        );
        assert_eq!(
            url_list(r#"["http://example.com/4","http://example.com/6"]"#),
            both
        );
        assert_eq!(url_list("http://example.com/4 http://example.com/6"), both);
        assert!(url_list("[]").is_empty());
    }

    #[test]
    fn unix_and_utc_times() {
        assert_eq!(
            unix_time("1606451170.518101").unwrap().to_rfc3339(),
            "2020-11-27T04:26:10.518+00:00"
        );
        assert_eq!(
            utc_time("2022-11-11 05:30:01").unwrap().to_rfc3339(),
            "2022-11-11T05:30:01+00:00"
        );
        assert!(unix_time("NaN").is_none());
    }

    #[test]
    fn counts_in_every_usual_writing() {
        let cases = [
            ("1234", Some(1234)),
            (" 7 ", Some(7)),
            ("1.234", Some(1234)),
            ("1.000", Some(1000)),
            ("12.345.678", Some(12_345_678)),
            ("1,234", Some(1234)),
            ("1,234,567", Some(1_234_567)),
            ("1 234", Some(1234)),
            ("1\u{a0}234\u{a0}567", Some(1_234_567)),
            ("1'234", Some(1234)),
            ("1234.0", Some(1234)),
            ("12.00", Some(12)),
            ("12,0", Some(12)),
            ("1.234,0", Some(1234)),
            ("1,234.00", Some(1234)),
            ("12.", Some(12)),
        ];
        for (text, count) in cases {
            assert_eq!(parse_count(text), count, "{text:?}");
        }
    }

    #[test]
    fn fractions_and_misgrouped_digits_are_no_count() {
        for text in [
            "",
            "1.5",
            "1,5",
            "1.23",
            "1.2345",
            "1.234.56",
            "1234.567",
            "12.34.567",
            "1.234,5",
            "1,234.5",
            "1.234,567",
            "-3",
            "+3",
            "1e3",
            "1.2K",
            "abc",
            ".5",
            "1 234.567,0",
            "1,,234",
            "1 234,567",
        ] {
            assert_eq!(parse_count(text), None, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn grouped_as_any_locale_reads_back(n in any::<u64>(), mark in prop::sample::select(vec![".", ",", " ", "\u{a0}", "'"])) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, digit) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push_str(mark);
                }
                grouped.push(digit);
            }
            prop_assert_eq!(parse_count(&grouped), Some(n));
            prop_assert_eq!(parse_count(&format!("{plain}.0")), Some(n));
        }

        #[test]
        fn never_panics(text in "\\PC{0,20}") {
            let _ = parse_count(&text);
        }
    }
}
