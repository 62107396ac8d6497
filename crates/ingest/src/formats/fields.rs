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

    /// A count; a field that is not a non-negative integer is an error.
    fn count(&self, name: &str) -> Result<Option<u64>, Reject> {
        match self.text(name)? {
            None => Ok(None),
            Some(text) => normalize_id(&text)
                .ok()
                .and_then(|n| n.parse().ok())
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
