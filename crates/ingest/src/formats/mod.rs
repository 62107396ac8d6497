//! The formats, one module each. To add one: write a module with a `HANDLER` (name, description,
//! content sniffer, reader), add a [`Format`] variant, and add the handler to [`HANDLERS`].

pub(crate) mod bluesky;
pub(crate) mod bluesky_car;
pub(crate) mod coordination;
pub(crate) mod coosto;
pub(crate) mod crowdtangle;
pub(crate) mod csv;
pub(crate) mod draft;
pub(crate) mod facebook;
pub(crate) mod fields;
pub(crate) mod fourcat;
pub(crate) mod mastodon;
pub(crate) mod mastodon_api;
pub(crate) mod ods;
pub(crate) mod reddit;
pub(crate) mod spreadsheet;
pub(crate) mod telegram;
pub(crate) mod twarc2;
pub(crate) mod twarc_csv;
pub(crate) mod twitter_v1;
pub(crate) mod twitwi;
pub(crate) mod x_archive;
pub(crate) mod youtube;
pub(crate) mod ytdt;
pub(crate) mod zeeschuimer;

use crate::context::{Ctx, Recorder, Reject};
use crate::json_stream::{
    RecordGuard, Streamed, for_each_item_raw, json_reject, parse_line, parse_line_keeping,
};
use crate::json_value::{Json, KeySet, Node};
use crate::lines::{Chunk, Lines};
use crate::{Format, IngestError, InputFile, Options, input, parallel};
use chrono::{DateTime, NaiveDateTime, Utc};
use dialoog_model::Platform;
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::BufRead;

/// One format: how to recognise it and how to read it.
pub(crate) struct Handler {
    pub format: Format,
    pub name: &'static str,
    pub description: &'static str,
    /// A command that reads this format, for `dialoog formats`.
    pub example: &'static str,
    /// Whether the decompressed start of a file (up to [`crate::input::SNIFF_BYTES`]) is this
    /// format. Handlers are asked in the order of [`HANDLERS`].
    pub sniff: fn(&[u8]) -> bool,
    pub read: fn(&InputFile, &Options, &mut Ctx<'_>) -> Result<(), IngestError>,
}

/// Every format, in detection order (the most specific first).
pub(crate) const HANDLERS: &[Handler] = &[
    mastodon::HANDLER,
    x_archive::HANDLER,
    zeeschuimer::HANDLER,
    mastodon_api::HANDLER,
    bluesky::HANDLER,
    reddit::HANDLER,
    youtube::HANDLER,
    facebook::HANDLER,
    telegram::HANDLER,
    twarc2::HANDLER,
    twitter_v1::HANDLER,
    twarc_csv::HANDLER,
    coordination::HANDLER,
    ytdt::HANDLER,
    crowdtangle::HANDLER,
    coosto::HANDLER,
    twitwi::HANDLER,
    fourcat::HANDLER,
    spreadsheet::HANDLER,
    ods::HANDLER,
    csv::HANDLER,
];

const COUNT: usize = HANDLERS.len();

pub(crate) static FORMATS: [Format; COUNT] = {
    let mut formats = [Format::Csv; COUNT];
    let mut i = 0;
    while i < COUNT {
        formats[i] = HANDLERS[i].format;
        i += 1;
    }
    formats
};

static MISSING: Handler = Handler {
    format: Format::Csv,
    name: "unknown",
    description: "a format without a handler",
    example: "",
    sniff: |_| false,
    read: |file, _, _| {
        Err(IngestError::UnknownFormat {
            path: file.path.clone(),
            reason: "no reader for this format".into(),
            known: known_formats(),
        })
    },
};

/// The handler of a format.
pub(crate) fn handler(format: Format) -> &'static Handler {
    HANDLERS
        .iter()
        .find(|h| h.format == format)
        .unwrap_or(&MISSING)
}

/// The first format whose sniffer accepts this start of a file.
pub(crate) fn sniff(head: &[u8]) -> Option<Format> {
    // A delimited file's `sep=` line (csv::excel_separator) is told apart from its header.
    let head = match csv::excel_separator(head) {
        Some((_, line)) => head.get(line..).unwrap_or_default(),
        None => head,
    };
    HANDLERS.iter().find(|h| (h.sniff)(head)).map(|h| h.format)
}

/// "twarc2 (…), twitter-v1 (…), …" for error messages.
pub(crate) fn known_formats() -> String {
    HANDLERS
        .iter()
        .map(|h| format!("{} ({})", h.name, h.description))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a JSON format does with one record: a JSON value and its record number.
pub(crate) type EachValue = fn(&Value, u64, &mut Ctx<'_>) -> Result<(), IngestError>;

/// Reads a JSON file record by record, whatever its layout: a top-level array (record = position,
/// streamed item by item), JSON lines (record = line number; a bad or over-long line is
/// quarantined and reading goes on), or pretty-printed values after one another (record =
/// position). In the last two layouts broken JSON ends the file: it is quarantined as one record,
/// as is the rest of a file whose reading breaks off (damaged compression, a limit).
pub(crate) fn read_json_records(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    each: EachValue,
) -> Result<(), IngestError> {
    read_json_records_with(file, ctx, each, None)
}

/// What a JSON format does with one record parsed into a [`Node`].
pub(crate) type EachNode = for<'a> fn(&Node<'a>, u64, &mut Ctx<'_>) -> Result<(), IngestError>;

/// A format's mapping over [`Node`]s (the same code as over [`Value`]s, through [`Json`]) and
/// every object member it reads, at any depth.
pub(crate) struct Light {
    pub keys: &'static [&'static str],
    pub each: EachNode,
}

/// [`read_json_records`] for a format that also maps [`Node`]s: JSON lines are parsed into
/// nodes holding only the members the mapping reads. A line whose mapping quarantines anything
/// or fails is parsed and mapped once more into a whole [`Value`], so that reasons and excerpts
/// are exactly those of the whole record.
pub(crate) fn read_json_records_light(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    each: EachValue,
    light: &Light,
) -> Result<(), IngestError> {
    read_json_records_with(file, ctx, each, Some(light))
}

fn read_json_records_with(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    each: EachValue,
    light: Option<&Light>,
) -> Result<(), IngestError> {
    let mut reader = ctx.open(&file.path)?;
    let (first, line_mode) = {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) => return ctx.unreadable(1, &e),
        };
        let trimmed = input::trim_start(buf);
        let first = trimmed.first().copied();
        // JSON lines when the first line holds a whole JSON value by itself, or when no line
        // ends within the buffer (a long line: twarc2 pages run to hundreds of KiB).
        let first_line = trimmed.split(|b| *b == b'\n').next().unwrap_or_default();
        let whole = serde_json::from_slice::<serde::de::IgnoredAny>(first_line).is_ok();
        (first, whole || first_line.len() == trimmed.len())
    };
    let max_record = ctx.limits.max_record_bytes;
    if first == Some(b'[') {
        let streamed = for_each_item_raw(reader, None, max_record, &mut |record, value, raw| {
            ctx.raw(record, raw);
            each(&value, record, ctx)
        });
        return match streamed {
            Streamed::Done(_) => Ok(()),
            Streamed::Failed(_, e) => Err(e),
            Streamed::Broken(count, e) => broken(count + 1, e, ctx),
        };
    }
    if line_mode {
        return read_json_lines(reader, file, ctx, each, light);
    }
    let (reader, recent) = RecordGuard::new(reader, max_record);
    let mut record = 0;
    for value in serde_json::Deserializer::from_reader(reader).into_iter::<Value>() {
        record += 1;
        ctx.raw(record, &recent.record());
        recent.reset();
        match value {
            Ok(value) => each(&value, record, ctx)?,
            Err(e) => return broken(record, e, ctx),
        }
    }
    Ok(())
}

/// Bytes of JSON lines handed to a worker at a time: enough that handing over costs little
/// against parsing, little enough that the chunks in flight hold little memory.
const CHUNK_BYTES: usize = 1 << 20;

/// JSON lines (record = line number; a bad or over-long line is quarantined and reading goes
/// on), parsed and mapped in chunks of lines on worker threads while this thread decompresses
/// and sends the results on in the file's order.
fn read_json_lines(
    reader: Box<dyn BufRead>,
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    each: EachValue,
    light: Option<&Light>,
) -> Result<(), IngestError> {
    let mut lines = Lines::with_limit(reader, ctx.limits.max_record_bytes);
    let mut failure = None;
    let (limits, source) = (ctx.limits, ctx.source.clone());
    let light = light.map(|light| (KeySet::new(light.keys), light.each));
    type Run<'r> = &'r mut dyn FnMut(&mut Ctx<'_>) -> Result<(), IngestError>;
    // The line's original bytes are not recorded here: `Ctx::replay` sends them from the chunk.
    let in_ctx = |recorder: &mut Recorder, run: Run<'_>| {
        run(&mut Ctx::with_source(
            file,
            limits,
            Cow::Borrowed(&source),
            recorder,
        ))
    };
    // Chunks replayed, to be filled again.
    let emptied = RefCell::new(Vec::<Chunk>::new());
    parallel::ordered(
        parallel::workers(),
        || {
            if failure.is_some() {
                return None;
            }
            let mut chunk = emptied.borrow_mut().pop().unwrap_or_default();
            if let Some(e) = lines.next_chunk_into(&mut chunk, CHUNK_BYTES) {
                failure = Some((lines.number() + 1, e));
            }
            (!chunk.spans.is_empty()).then_some(chunk)
        },
        |chunk| {
            let mut recorder = Recorder(Vec::with_capacity(chunk.spans.len()));
            let mut stopped = None;
            for line in chunk.lines() {
                if line.too_long.is_none() && line.bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let mark = recorder.0.len();
                if let Some((keys, each_node)) = &light
                    && let Some(node) = parse_line_keeping(&line, keys)
                {
                    let mapped =
                        in_ctx(&mut recorder, &mut |ctx| each_node(&node, line.number, ctx));
                    if mapped.is_ok() && !recorder.quarantined_since(mark) {
                        continue;
                    }
                    recorder.0.truncate(mark);
                }
                let mapped = in_ctx(&mut recorder, &mut |ctx| match parse_line(&line) {
                    Ok(value) => each(&value, line.number, ctx),
                    Err(reject) => ctx.quarantine(line.number, reject, line.bytes),
                });
                if let Err(e) = mapped {
                    stopped = Some(e);
                    break;
                }
            }
            (chunk, recorder.0, stopped)
        },
        |(chunk, recorded, stopped)| {
            ctx.replay(&chunk, recorded)?;
            emptied.borrow_mut().push(chunk);
            stopped.map_or(Ok(()), Err)
        },
    )?;
    match failure {
        Some((record, e)) => ctx.unreadable(record, &e),
        None => Ok(()),
    }
}

/// Ends a streamed JSON array: broken JSON, or reading that breaks off (a limit, damaged
/// compression), quarantines one record after the last item read, as the rest of the file cannot
/// be read.
pub(crate) fn finish_stream(
    streamed: Streamed<IngestError>,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    match streamed {
        Streamed::Done(_) => Ok(()),
        Streamed::Failed(_, e) => Err(e),
        Streamed::Broken(count, e) => broken(count + 1, e, ctx),
    }
}

/// JSON that breaks off at record `record`: quarantined with the reason, the rest of the file
/// skipped.
pub(crate) fn broken(
    record: u64,
    e: serde_json::Error,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    if e.is_io() {
        return ctx.unreadable(record, &std::io::Error::from(e));
    }
    let mut reject = json_reject(&e, true);
    reject
        .reason
        .push_str(": the rest of the file cannot be read");
    ctx.quarantine(record, reject, b"")
}

// ---- small helpers on JSON values, shared by the JSON formats ----

/// A non-empty string field.
pub(crate) fn text_of<'v, V: Json>(v: &'v V, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Json::as_str).filter(|s| !s.is_empty())
}

/// An id given as a string or as an integer.
pub(crate) fn id_of<V: Json>(v: &V, key: &str) -> Option<String> {
    let field = v.get(key)?;
    if let Some(s) = field.as_str() {
        return (!s.trim().is_empty()).then(|| s.trim().to_owned());
    }
    field.as_number()?.as_u64().map(|n| n.to_string())
}

/// A count given as a non-negative integer (or an integral float, or a numeric string).
pub(crate) fn count_of<V: Json>(v: &V, key: &str) -> Option<u64> {
    let field = v.get(key)?;
    if let Some(s) = field.as_str() {
        return s.trim().parse().ok();
    }
    let n = field.as_number()?;
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19)
            .map(|f| f as u64)
    })
}

/// The platform a post's link is on; [`Platform::Other`] for a link on none of them.
pub(crate) fn platform_of_link(link: &str) -> Platform {
    let host = link
        .split("://")
        .nth(1)
        .unwrap_or(link)
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .trim_start_matches("www.")
        .trim_start_matches("mobile.")
        .trim_start_matches("m.")
        .to_ascii_lowercase();
    match host.as_str() {
        "twitter.com" | "x.com" => Platform::Twitter,
        "instagram.com" => Platform::Instagram,
        "tiktok.com" => Platform::Tiktok,
        "facebook.com" => Platform::Facebook,
        "youtube.com" | "youtu.be" => Platform::Youtube,
        "reddit.com" | "old.reddit.com" => Platform::Reddit,
        "t.me" => Platform::Telegram,
        "bsky.app" => Platform::Bluesky,
        _ => Platform::Other,
    }
}

/// Parses an RFC 3339 / ISO 8601 time with offset.
pub(crate) fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Twitter's classic time format: `Tue Oct 31 22:10:47 +0000 2017`.
pub(crate) const TWITTER_TIME: &str = "%a %b %d %H:%M:%S %z %Y";

pub(crate) fn parse_twitter_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text.trim(), TWITTER_TIME)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses a time with a chrono format; without an offset in the format the time is UTC.
pub(crate) fn parse_with_format(text: &str, format: &str) -> Option<DateTime<Utc>> {
    parse_with_format_in(text, format, None)
}

/// [`parse_with_format`], reading a time without an offset in `zone` (UTC when `None`). A time
/// that a clock put forward skipped (the spring gap) is read an hour later.
pub(crate) fn parse_with_format_in(
    text: &str,
    format: &str,
    zone: Option<chrono_tz::Tz>,
) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let local = |naive: NaiveDateTime| match zone {
        None => Some(naive.and_utc()),
        Some(zone) => {
            use chrono::TimeZone as _;
            zone.from_local_datetime(&naive)
                .earliest()
                .or_else(|| {
                    zone.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
        }
    };
    DateTime::parse_from_str(text, format)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, format)
                .ok()
                .and_then(local)
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text, format)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(local)
        })
}

/// A required time field, or why not.
pub(crate) fn required_time<V: Json>(
    v: &V,
    key: &str,
    parse: fn(&str) -> Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, Reject> {
    let text = text_of(v, key).ok_or_else(|| Reject::missing(key))?;
    parse(text).ok_or_else(|| Reject::field(key, format!("unparseable time '{text}'")))
}

/// The raw bytes of a value, for a quarantine excerpt.
pub(crate) fn excerpt_of<V: Json>(v: &V) -> Vec<u8> {
    v.excerpt()
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::LineRef;

    #[test]
    fn every_format_has_a_handler_with_its_name() {
        let names: Vec<&str> = FORMATS.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "mastodon-outbox",
                "x-archive",
                "zeeschuimer",
                "mastodon-api",
                "bluesky",
                "reddit",
                "youtube",
                "facebook",
                "telegram",
                "twarc2",
                "twitter-v1",
                "twarc-csv",
                "coordination-csv",
                "ytdt-comments",
                "crowdtangle",
                "coosto",
                "twitwi",
                "4cat",
                "xlsx",
                "ods",
                "csv"
            ]
        );
        for format in [
            Format::XArchive,
            Format::MastodonApi,
            Format::Bluesky,
            Format::Reddit,
            Format::Twarc2,
            Format::TwitterV1,
            Format::MastodonOutbox,
            Format::TwarcCsv,
            Format::CoordinationCsv,
            Format::Youtube,
            Format::YoutubeDataTools,
            Format::Facebook,
            Format::Telegram,
            Format::FourCat,
            Format::CrowdTangle,
            Format::Coosto,
            Format::Twitwi,
            Format::Zeeschuimer,
            Format::Xlsx,
            Format::Ods,
            Format::Csv,
        ] {
            assert_eq!(handler(format).format, format);
        }
    }

    #[test]
    fn the_platform_is_the_links_host() {
        assert_eq!(
            platform_of_link("https://twitter.com/a/status/1"),
            Platform::Twitter
        );
        assert_eq!(
            platform_of_link("https://www.instagram.com/p/Cx/"),
            Platform::Instagram
        );
        assert_eq!(
            platform_of_link("https://t.me/kanaal/12"),
            Platform::Telegram
        );
        assert_eq!(
            platform_of_link("https://mobile.twitter.com/a/status/1"),
            Platform::Twitter
        );
        assert_eq!(platform_of_link("https://example.org/x"), Platform::Other);
        assert_eq!(platform_of_link("no link"), Platform::Other);
    }

    /// Records in a sink, in the order sent.
    #[derive(Default)]
    struct Kept(Vec<(u64, bool)>);

    impl crate::Sink for Kept {
        fn post(&mut self, post: crate::Post) -> Result<(), crate::SinkError> {
            self.0.push((post.source_record, true));
            Ok(())
        }
        fn quarantine(&mut self, record: crate::Quarantined) -> Result<(), crate::SinkError> {
            self.0.push((record.record, false));
            Ok(())
        }
    }

    #[test]
    fn json_lines_over_many_chunks_keep_their_order_and_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tweets.jsonl");
        let padding = "x".repeat(1000);
        let mut text = String::new();
        let mut expected = Vec::new();
        let lines = 3 * CHUNK_BYTES as u64 / 1000;
        for n in 1..=lines {
            if n % 7 == 0 {
                text.push_str("{\"id\": broken\n");
                expected.push((n, false));
            } else if n % 11 == 0 {
                text.push_str("  \r\n");
            } else {
                text.push_str(&format!(
                    "{{\"id\":\"{n}\",\"created_at\":\"2021-04-08T19:34:16.000Z\",\"author_id\":\"1\",\"text\":\"{padding}\"}}\r\n"
                ));
                expected.push((n, true));
            }
        }
        std::fs::write(&path, text).unwrap();
        let file = InputFile {
            path,
            size: 0,
            format: Format::Twarc2,
        };
        let mut kept = Kept::default();
        let stats = crate::read_file(&file, &Options::default(), &mut kept).unwrap();
        assert_eq!(kept.0, expected);
        assert_eq!(stats.read, expected.len() as u64);
        assert_eq!(
            stats.quarantined,
            expected.iter().filter(|(_, post)| !post).count() as u64
        );
    }

    /// What a format's mapping sends for one JSON line, parsed whole or into a light [`Node`].
    fn mapped(line: &[u8], each: EachValue, light: Option<&Light>) -> Option<String> {
        let line = LineRef {
            number: 1,
            bytes: line,
            terminated: true,
            too_long: None,
        };
        let file = InputFile {
            path: "in.jsonl".into(),
            size: 0,
            format: Format::Twarc2,
        };
        let mut recorder = Recorder::default();
        let mut ctx = Ctx::new(&file, input::Limits::default(), &mut recorder);
        match light {
            Some(light) => {
                let node = parse_line_keeping(&line, &KeySet::new(light.keys))?;
                (light.each)(&node, 1, &mut ctx).unwrap();
            }
            None => each(&parse_line(&line).ok()?, 1, &mut ctx).unwrap(),
        }
        Some(format!("{:?}", recorder.0))
    }

    /// Every line gives the same posts mapped from a light [`Node`] as from a whole [`Value`]
    /// (lines whose mapping quarantines anything are mapped whole anyway); the count of lines
    /// compared.
    fn light_changes_nothing(text: &str, each: EachValue, light: &Light) -> usize {
        let mut compared = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let whole = mapped(line.as_bytes(), each, None);
            if whole.as_ref().is_some_and(|w| w.contains("Quarantine(")) {
                continue;
            }
            let light = mapped(line.as_bytes(), each, Some(light));
            assert_eq!(light, whole, "{line}");
            compared += 1;
        }
        compared
    }

    #[test]
    fn json_lines_map_the_same_from_light_nodes() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mastodon-api/");
        let timeline =
            std::fs::read_to_string(format!("{fixtures}public_timeline_head.jsonl")).unwrap();
        let context: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{fixtures}context.json")).unwrap(),
        )
        .unwrap();
        let mut statuses = timeline;
        statuses.push_str(&format!("\n{context}\n"));
        // A boost, a quote, a search result, a notification, a deleted status with `text`.
        statuses.push_str(r##"{"id":"10","created_at":"2021-04-08T19:34:16.000Z","account":{"id":"1","acct":"a@b.nl"},"reblog":{"id":"11","created_at":"2021-04-08T19:00:00.000Z","account":{"id":"2","username":"c","display_name":"C","followers_count":"7"},"content":"<p>hi <a href=\"https://x.nl/\">x</a></p>","spoiler_text":"cw","tags":[{"name":"#T","url":"https://b.nl/tags/t"}]},"uri":"https://b.nl/users/a/statuses/10/activity"}
{"id":"12","created_at":"2021-04-08T19:34:16.000Z","account":{"id":"1"},"content":"","text":"raw","quote":{"quoted_status":{"id":"13","created_at":"2021-04-08T19:34:16.000Z","account":{"id":"3"}}},"in_reply_to_id":"9","in_reply_to_account_id":8,"language":"nl","favourites_count":2.0}
{"statuses":[{"id":"14","created_at":"2021-04-08T19:34:16.000Z","account":{"id":"1"},"content":"<p>s</p>","mentions":[{"acct":"@D","url":"https://d.nl/@D"}]}]}
{"type":"mention","status":{"id":"15","created_at":"2021-04-08T19:34:16.000Z","account":{"id":"1"},"quote_id":"16"}}
{"type":"follow","account":{"id":"1"}}
"##);
        let compared =
            light_changes_nothing(&statuses, mastodon_api::read_value, &mastodon_api::LIGHT);
        assert!(compared >= 12, "{compared} lines");

        // A page, a flattened line with an expanded reference, escapes and duplicate keys.
        let tweets = r#"{"data":[{"id":"1","text":"a \u00e9 https://t.co/x","author_id":"9","created_at":"2021-04-08T19:34:16.000Z","entities":{"urls":[{"url":"https://t.co/x","expanded_url":"https://e.nl/","start":4}]},"referenced_tweets":[{"type":"quoted","id":"2"}]}],"includes":{"users":[{"id":"9","username":"u","name":"N","public_metrics":{"followers_count":5}}],"tweets":[{"id":"2","text":"b","author_id":"9","created_at":"2021-04-08T19:34:16.000Z"}]},"__twarc":{"url":"x"}}
{"id":"3","id":"4","author_id":"8","created_at":"2021-04-08T19:34:16.000Z","text":"@x #Y","lang":"nl","author":{"username":"v","name":"V","public_metrics":{"followers_count":1.0}},"entities":{"mentions":[{"username":"X","start":0}],"hashtags":[{"tag":"Y"}]},"public_metrics":{"like_count":"3","retweet_count":2},"referenced_tweets":[{"type":"replied_to","id":"5","author_id":"7","created_at":"2021-04-08T19:00:00.000Z","text":"parent","deep":{"a":[[[1]]]}}],"in_reply_to_user_id":"7","note_tweet":{"text":"long @x #Y","entities":{"hashtags":[{"tag":"Y"}]}},"edit_history_tweet_ids":["4"]}
{"errors":[{"detail":"gone"}]}"#;
        assert_eq!(
            light_changes_nothing(tweets, twarc2::read_value, &twarc2::LIGHT),
            3
        );
        // Reddit: the shipped dump lines, a listing with a reply tree, a crosspost, a link post.
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reddit/");
        let mut things = String::new();
        for name in ["r_self_1cebxh_comments", "r_self_1cebxh_submission"] {
            things.push_str(&std::fs::read_to_string(format!("{fixtures}{name}.ndjson")).unwrap());
        }
        things.push_str(r#"
{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"c1","created_utc":"1366044279","author":"a","body":"hi /u/someone","link_id":"t3_x","parent_id":"t3_x","score":2.0,"replies":{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_c2","created_utc":1366044280.5,"body":"[deleted]","link_id":"t3_x","parent_id":"t1_c1","replies":""}},{"kind":"more","data":{}}]}}}}]}}
{"id":"t3_y","created_utc":1366044279,"author":"b","title":"T","selftext":"see https://x.nl","num_comments":3,"num_crossposts":"1","crosspost_parent":"t3_z","is_self":false,"url":"https://l.nl/p","permalink":"/r/a/comments/y/t/"}"#);
        let compared = light_changes_nothing(&things, reddit::read_value, &reddit::LIGHT);
        assert!(compared >= 6, "{compared} lines");

        // API v1.1: a retweet, a quote with extended_tweet and media, a search response, notices.
        let statuses = r#"{"id_str":"1","id":1,"created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"id_str":"9","screen_name":"A","name":"Aa","followers_count":3},"text":"RT x","retweeted_status":{"id_str":"2","created_at":"Tue Oct 31 22:00:00 +0000 2017","user":{"id":8,"screen_name":"b"},"text":"x \u00e9","entities":{"hashtags":[{"text":"H","indices":[0,2]}]}},"retweet_count":5}
{"id":3,"created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"id":9},"quoted_status_id_str":"4","quoted_status":{"id_str":"4","created_at":"Tue Oct 31 22:00:00 +0000 2017","user":{"id_str":"7"}},"extended_tweet":{"full_text":"long https://t.co/y","entities":{"media":[{"url":"https://t.co/y","expanded_url":"https://m.nl/p"}],"user_mentions":[{"screen_name":"C"}]}},"in_reply_to_status_id_str":"5","in_reply_to_user_id_str":"6","lang":"und","favorite_count":1.0,"reply_count":"2"}
{"statuses":[{"id_str":"10","created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"id_str":"9"},"full_text":"f","entities":{"urls":[{"url":"u","expanded_url":"https://e.nl"}]}}],"search_metadata":{"count":1}}
{"delete":{"status":{"id_str":"1"}}}
{"limit":{"track":5}}"#;
        assert_eq!(
            light_changes_nothing(statuses, twitter_v1::read_status, &twitter_v1::LIGHT),
            5
        );
        let twitwi = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/twitwi/");
        for name in ["search", "show", "stream"] {
            let path = format!("{twitwi}normalization-payload-{name}.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("{path} is absent: not compared");
                continue;
            };
            let line = serde_json::from_str::<Value>(&text).unwrap().to_string();
            assert_eq!(
                light_changes_nothing(&line, twitter_v1::read_status, &twitter_v1::LIGHT),
                1,
                "{path}"
            );
        }

        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/twarc2");
        let Ok(entries) = std::fs::read_dir(shared) else {
            eprintln!("{shared} is absent: the twarc2 sample data is not compared");
            return;
        };
        let mut compared = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            compared += light_changes_nothing(&text, twarc2::read_value, &twarc2::LIGHT);
        }
        assert!(compared > 100, "{compared} lines");
    }

    #[test]
    fn times_without_an_offset_are_read_in_the_given_zone() {
        let amsterdam: chrono_tz::Tz = "Europe/Amsterdam".parse().unwrap();
        let at = |text: &str| {
            parse_with_format_in(text, "%Y-%m-%d %H:%M", Some(amsterdam))
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(
            at("2017-10-31 23:10"),
            "2017-10-31T22:10:00+00:00",
            "winter"
        );
        assert_eq!(
            at("2021-07-01 12:00"),
            "2021-07-01T10:00:00+00:00",
            "summer"
        );
        // 02:30 on the night the clocks go forward does not exist: read an hour later.
        assert_eq!(at("2021-03-28 02:30"), "2021-03-28T01:30:00+00:00");
        // On the night they go back it happens twice: the first.
        assert_eq!(at("2021-10-31 02:30"), "2021-10-31T00:30:00+00:00");
        // An offset in the text wins over the zone.
        let t = parse_with_format_in(
            "2021-07-01 12:00 +0000",
            "%Y-%m-%d %H:%M %z",
            Some(amsterdam),
        );
        assert_eq!(t.unwrap().to_rfc3339(), "2021-07-01T12:00:00+00:00");
    }

    #[test]
    fn parses_the_time_formats() {
        let t = parse_twitter_time("Tue Oct 31 22:10:47 +0000 2017").unwrap();
        assert_eq!(t.to_rfc3339(), "2017-10-31T22:10:47+00:00");
        let t = parse_rfc3339("2021-04-08T19:34:16.000Z").unwrap();
        assert_eq!(t.timestamp(), 1617910456);
        let t = parse_with_format("2021-03-01 12:00", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(t.to_rfc3339(), "2021-03-01T12:00:00+00:00");
        let t = parse_with_format("2021-03-01", "%Y-%m-%d").unwrap();
        assert_eq!(t.to_rfc3339(), "2021-03-01T00:00:00+00:00");
        assert!(parse_twitter_time("yesterday").is_none());
    }
}
