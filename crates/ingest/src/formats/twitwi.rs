//! The CSV exports of médialab's tools (minet, gazouilloire), written by their library twitwi:
//! tweets (`twitwi.constants.TWEET_FIELDS`: `id, timestamp_utc, local_time, user_screen_name,
//! text, …`) and Bluesky posts (`twitwi.bluesky`'s post fields: `cid, did, uri, url,
//! timestamp_utc, …, user_did, user_handle, text, original_text, …`), recognised by their header;
//! no mapping file is needed. The columns follow medialab/twitwi @fcf91221 and its test exports
//! `tweet-export.csv` and `bluesky-posts-export.csv`.
//!
//! Times are `timestamp_utc` (seconds since 1970). Lists (`mentioned_names`, `hashtags`,
//! `links`, …) are separated by `|`. A row whose columns are the tool's own but whose values do
//! not read is quarantined with the column named.
//!
//! Tweets: the author is `user_id` with `user_screen_name` as handle; `to_tweetid` and
//! `to_userid` make a reply; `quoted_id` a quote. A retweet (`retweeted_id`) becomes a reshare
//! with empty text and unknown counts, as in the other Twitter readers; the row also gives the
//! retweeted tweet (`retweeted_id`, `retweeted_user_id`, `retweeted_user`,
//! `retweeted_timestamp_utc`, and the text after twitwi's `RT @user: `) with unknown counts, so
//! the reshare has its original even when the export does not hold it as a row of its own.
//!
//! Bluesky: the id is the post's `at://` URI and the author its DID, as in the Bluesky JSON reader,
//! so both exports of one post are one post. The text is `original_text`, what the author wrote:
//! twitwi's `text` appends the links of images and the quoted post's text. `to_post_uri` and
//! `to_user_did` make a reply, `to_root_post_uri` its thread; `quoted_uri` a quote when it names a
//! post (twitwi fills it for embedded feeds, lists and profiles too). `timestamp_utc` holds whole
//! seconds, where the JSON has milliseconds. A row with
//! `repost_by_user_did` (collected from a feed through a repost) also gives that repost: a reshare
//! by that account at `repost_timestamp_utc`, id `repost:<did>:<post uri>` as in the JSON reader.
//! The record number is the line (the header is line 1).
//!
//! gazouilloire also dumps its Elasticsearch index as JSON lines: each line a document whose
//! `_source` holds the same fields, typed (lists as arrays, counts as numbers, `null` for none),
//! and whose `_id` is the tweet's id. Such lines (and bare twitwi objects, one per line) are read
//! through the same mapping; the record number is the line.

use super::Handler;
use super::csv::{has_columns, read_named_posts, sniff_header};
use super::fields::{Fields, unix_time};
use super::{contains, excerpt_of, read_json_records};
use crate::context::{Ctx, Reject};
use crate::entities::{self, language, push_unique};
use crate::{Format, IngestError, InputFile, Options, Post, input};
use dialoog_model::{Platform, PostKind};
use serde_json::Value;
use std::borrow::Cow;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Twitwi,
    name: "twitwi",
    description: "tweets and Bluesky posts as minet and gazouilloire export them (twitwi's CSV, recognised by the header; gazouilloire's JSON lines)",
    example: "dialoog ingest minet-tweets.csv bsky-posts.csv gazouilloire-dump.jsonl --store case.store",
    sniff,
    read,
};

/// Columns every twitwi tweets file has.
const TWEETS: &[&str] = &[
    "id",
    "timestamp_utc",
    "local_time",
    "user_screen_name",
    "text",
    "to_tweetid",
    "user_id",
    "retweeted_id",
    "quoted_id",
];

/// Columns every twitwi Bluesky posts file has.
const BLUESKY: &[&str] = &[
    "cid",
    "uri",
    "timestamp_utc",
    "user_did",
    "user_handle",
    "text",
    "to_post_uri",
    "quoted_uri",
];

#[derive(Debug, PartialEq, Eq)]
enum Layout {
    Tweets,
    Bluesky,
}

fn layout(head: &[u8]) -> Option<Layout> {
    if let Some(layout) = json_layout(head) {
        return Some(layout);
    }
    let header = sniff_header(head)?;
    if has_columns(&header, TWEETS) {
        Some(Layout::Tweets)
    } else if has_columns(&header, BLUESKY) {
        Some(Layout::Bluesky)
    } else {
        None
    }
}

fn sniff(head: &[u8]) -> bool {
    layout(head).is_some()
}

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let head = input::head(&file.path, input::SNIFF_BYTES)?;
    match json_layout(&head) {
        Some(Layout::Bluesky) => read_json_records(file, ctx, |value, record, ctx| {
            json_posts(value, record, ctx, bluesky_posts)
        }),
        Some(Layout::Tweets) => read_json_records(file, ctx, |value, record, ctx| {
            json_posts(value, record, ctx, tweet_posts)
        }),
        None if layout(&head) == Some(Layout::Bluesky) => {
            read_named_posts(file, ctx, bluesky_posts)
        }
        None => read_named_posts(file, ctx, tweet_posts),
    }
}

/// The layout of JSON lines of twitwi's fields (gazouilloire's dump, or bare objects), told by
/// the first line's keys.
fn json_layout(head: &[u8]) -> Option<Layout> {
    let first = input::trim_start(head);
    if first.first() != Some(&b'{') {
        return None;
    }
    let line = first.split(|b| *b == b'\n').next().unwrap_or_default();
    let has = |key: &str| contains(line, format!("\"{key}\":").as_bytes());
    if !has("timestamp_utc") {
        return None;
    }
    if has("user_screen_name") && has("retweeted_id") {
        Some(Layout::Tweets)
    } else if has("user_did") && has("uri") {
        Some(Layout::Bluesky)
    } else {
        None
    }
}

/// Maps one JSON line through the CSV's mapping: its `_source` when it is a gazouilloire
/// document, the object itself otherwise.
fn json_posts(
    value: &Value,
    record: u64,
    ctx: &mut Ctx<'_>,
    to_posts: fn(&dyn Fields) -> Result<Vec<Post>, Reject>,
) -> Result<(), IngestError> {
    let row = JsonRow {
        fields: value.get("_source").unwrap_or(value),
        document_id: value.get("_id").and_then(Value::as_str),
    };
    ctx.emit_each(to_posts(&row), record, &|| excerpt_of(value))
}

/// A JSON object's members read as twitwi's CSV fields: `null` and empty as absent, numbers
/// and booleans as written, arrays joined with `|`.
struct JsonRow<'a> {
    fields: &'a Value,
    /// The Elasticsearch document's `_id`: the id, which `_source` leaves out.
    document_id: Option<&'a str>,
}

impl Fields for JsonRow<'_> {
    fn text(&self, name: &str) -> Result<Option<Cow<'_, str>>, Reject> {
        let value = match (self.fields.get(name), name) {
            (Some(value), _) => value,
            (None, "id") => return Ok(self.document_id.map(Cow::Borrowed)),
            (None, _) => return Ok(None),
        };
        let scalar = |value: &Value| match value {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let text = match value {
            Value::Null => None,
            Value::String(s) => Some(Cow::Borrowed(s.trim())),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().filter_map(scalar).collect();
                Some(Cow::Owned(items.join("|")))
            }
            Value::Object(_) => Some(Cow::Owned(value.to_string())),
            other => scalar(other).map(Cow::Owned),
        };
        Ok(text.filter(|t| !t.is_empty()))
    }
}

/// `a|B|c` → `["a", "b", "c"]`: twitwi's lists, lower-cased (handles and tags).
fn lower_list(row: &dyn Fields, name: &str) -> Result<Vec<String>, Reject> {
    let mut out = Vec::new();
    for item in list(row, name)? {
        push_unique(&mut out, item.trim_start_matches(['@', '#']).to_lowercase());
    }
    Ok(out)
}

/// A `|`-separated list as it is.
fn list(row: &dyn Fields, name: &str) -> Result<Vec<String>, Reject> {
    Ok(row
        .text(name)?
        .map(|text| {
            text.split('|')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

fn tweet_posts(row: &dyn Fields) -> Result<Vec<Post>, Reject> {
    let id = row.required_id("id")?;
    let created_at = row.time("timestamp_utc", unix_time)?;
    let author_id = row.required_id("user_id")?;
    let handle = row
        .text("user_screen_name")?
        .map_or_else(|| author_id.clone(), |h| h.into_owned());
    let mut post = Post::new(Platform::Twitter, id, created_at, author_id, handle);
    post.author_name = row
        .text("user_name")?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    post.author_followers = row.count("user_followers")?;
    post.url = Some(match row.text("url")? {
        Some(url) => url.into_owned(),
        None => format!(
            "https://twitter.com/{}/status/{}",
            post.author_handle, post.id
        ),
    });
    post.in_reply_to_id = row.id("to_tweetid")?;
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = row.id("to_userid")?;
    }
    post.reshare_of_id = row.id("retweeted_id")?;
    post.quote_of_id = row.id("quoted_id")?;
    post.kind = super::twarc2::kind(&post);
    post.lang = language(row.text("lang")?.as_deref());
    let text = row.text("text")?.unwrap_or_default().into_owned();
    if post.kind == PostKind::Reshare {
        let original = retweeted(row, &text, &post)?;
        post.lang = None;
        return Ok(vec![post, original]);
    }
    post.text = text;
    post.views = row.count("impression_count")?;
    fill_reactions_and_lists(&mut post, row, "retweet_count", "mentioned_names")?;
    Ok(vec![post])
}

/// The counts and lists twitwi writes alike for both platforms; the reshare count and the
/// mentioned handles are named after each platform.
fn fill_reactions_and_lists(
    post: &mut Post,
    row: &dyn Fields,
    reshares: &str,
    mentions: &str,
) -> Result<(), Reject> {
    post.likes = row.count("like_count")?;
    post.reshares = row.count(reshares)?;
    post.replies = row.count("reply_count")?;
    post.quotes = row.count("quote_count")?;
    post.mentions = lower_list(row, mentions)?;
    post.hashtags = lower_list(row, "hashtags")?;
    post.urls = list(row, "links")?;
    Ok(())
}

/// The tweet a retweet row retweets, from its `retweeted_*` columns and its text.
fn retweeted(row: &dyn Fields, text: &str, retweet: &Post) -> Result<Post, Reject> {
    let id = row.required_id("retweeted_id")?;
    let author_id = row.required_id("retweeted_user_id")?;
    let handle = row
        .text("retweeted_user")?
        .map_or_else(|| author_id.clone(), |h| h.into_owned());
    let created_at = match row.text("retweeted_timestamp_utc")? {
        Some(_) => row.time("retweeted_timestamp_utc", unix_time)?,
        None => retweet.created_at,
    };
    let mut original = Post::new(Platform::Twitter, id, created_at, author_id, handle);
    original.url = Some(format!(
        "https://twitter.com/{}/status/{}",
        original.author_handle, original.id
    ));
    original.lang = retweet.lang.clone();
    let prefix = format!("RT @{}: ", original.author_handle);
    original.text = text.strip_prefix(&prefix).unwrap_or(text).to_owned();
    original.mentions = entities::mentions(&original.text);
    original.hashtags = lower_list(row, "hashtags")?;
    original.urls = list(row, "links")?;
    Ok(original)
}

fn bluesky_posts(row: &dyn Fields) -> Result<Vec<Post>, Reject> {
    let uri = row
        .text("uri")?
        .ok_or_else(|| Reject::missing("uri"))?
        .into_owned();
    let created_at = row.time("timestamp_utc", unix_time)?;
    let did = row
        .text("user_did")?
        .ok_or_else(|| Reject::missing("user_did"))?
        .into_owned();
    let handle = row
        .text("user_handle")?
        .map(|h| h.into_owned())
        .unwrap_or_default();
    let mut post = Post::new(Platform::Bluesky, uri, created_at, did, handle);
    post.author_name = row
        .first(&["user_display_name", "user_name"])?
        .map(|n| n.into_owned())
        .unwrap_or_default();
    post.url = row.text("url")?.map(|u| u.into_owned());
    post.text = row
        .first(&["original_text", "text"])?
        .map(|t| t.into_owned())
        .unwrap_or_default();
    post.in_reply_to_id = row.text("to_post_uri")?.map(|u| u.into_owned());
    if post.in_reply_to_id.is_some() {
        post.in_reply_to_author_id = row.text("to_user_did")?.map(|d| d.into_owned());
        post.conversation_id = row.text("to_root_post_uri")?.map(|u| u.into_owned());
    } else {
        post.conversation_id = Some(post.id.clone());
    }
    // twitwi also fills `quoted_uri` for embedded feeds, lists and profiles: not quotes.
    let post_path = format!("/{}/", super::bluesky::POST);
    post.quote_of_id = row
        .text("quoted_uri")?
        .filter(|uri| uri.contains(&post_path))
        .map(|u| u.into_owned());
    post.kind = super::twarc2::kind(&post);
    fill_reactions_and_lists(&mut post, row, "repost_count", "mentioned_user_handles")?;
    let Some(by) = row.text("repost_by_user_did")? else {
        return Ok(vec![post]);
    };
    let reposted_at = row.time("repost_timestamp_utc", unix_time)?;
    let mut repost = Post::new(
        Platform::Bluesky,
        format!("repost:{by}:{}", post.id),
        reposted_at,
        by.into_owned(),
        row.text("repost_by_user_handle")?
            .map(|h| h.into_owned())
            .unwrap_or_default(),
    );
    repost.kind = PostKind::Reshare;
    repost.reshare_of_id = Some(post.id.clone());
    Ok(vec![post, repost])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_two_twitwi_headers_only() {
        assert_eq!(
            layout(b"id,timestamp_utc,local_time,user_screen_name,text,possibly_sensitive,to_tweetid,user_id,retweeted_id,quoted_id\n1,"),
            Some(Layout::Tweets)
        );
        assert_eq!(
            layout(b"cid,did,uri,url,timestamp_utc,user_did,user_handle,text,to_post_uri,quoted_uri\nb,"),
            Some(Layout::Bluesky)
        );
        assert_eq!(layout(b"id,timestamp_utc,text\n1,2,3\n"), None);
    }
}
