//! Reddit submissions and comments as the Pushshift and Arctic Shift dumps store them: one JSON
//! object per line (`RS_*` submissions, `RC_*` comments, often `.zst`), the same objects in a
//! JSON array, and Reddit API listings (`{"kind": "Listing", "data": {"children": [...]}}`, also
//! a comments page `[listing, listing]`), whose nested `replies` are followed.
//!
//! Ids are Reddit's base-36 ids without the type prefix; `parent_id` and `link_id` lose their
//! `t1_`/`t3_` prefix into `in_reply_to_id` and `conversation_id` (a submission is its own
//! conversation). A submission is a post (a quote when it is a crosspost), its text the title and
//! the self text; a comment is a comment, its text the body. The author id is the user name
//! (unique and permanent on Reddit; `author_fullname` is missing from older dumps); a deleted
//! account is `[deleted]`, and a removed or deleted text is empty. `score` is the likes (net
//! votes, as exported; a negative score leaves them unknown) and `num_comments` the replies;
//! the parent's author is not in the dumps.
//! The record number is the line number for JSON lines, the position otherwise.

use super::{Handler, Light, contains, count_of, excerpt_of, read_json_records_light, text_of};
use crate::context::{Ctx, Reject};
use crate::entities::{push_unique, unescape_twitter, urls};
use crate::json_value::Json;
use crate::{Format, IngestError, InputFile, Options, Post, input};
use chrono::{DateTime, Utc};
use dialoog_model::{Platform, PostKind};
use regex::Regex;
use std::sync::LazyLock;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Reddit,
    name: "reddit",
    description: "Reddit submissions and comments: Pushshift / Arctic Shift dumps (JSON lines, .zst too) and API listings",
    example: "dialoog ingest RC_2023-01.zst RS_2023-01.zst --store case.store",
    sniff,
    read,
};

/// The author of records whose account was deleted.
pub const DELETED: &str = "[deleted]";

/// Depth up to which nested `replies` listings are followed.
const MAX_DEPTH: usize = 64;

// `u/name` and `/u/name`: Reddit's mentions (user names are 3–20 letters, digits, `_`, `-`).
static USER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w/])/?u/([A-Za-z0-9_-]{3,20})\b").ok());

fn sniff(head: &[u8]) -> bool {
    let head = input::trim_start(head);
    matches!(head.first(), Some(b'{' | b'['))
        && contains(head, b"\"subreddit\"")
        && (contains(head, b"\"created_utc\"") || contains(head, b"\"Listing\""))
        && !contains(head, b"\"id_str\"")
}

/// JSON lines are parsed into light nodes holding only the members the mapping below reads, at
/// any depth (a key missing here is caught by the test that maps sample lines both ways).
pub(crate) const LIGHT: Light = Light {
    keys: READ_KEYS,
    each: |node, record, ctx| read_value(node, record, ctx),
};

const READ_KEYS: &[&str] = &[
    "author",
    "body",
    "children",
    "created_utc",
    "crosspost_parent",
    "data",
    "id",
    "is_self",
    "kind",
    "link_id",
    "name",
    "num_comments",
    "num_crossposts",
    "parent_id",
    "permalink",
    "replies",
    "score",
    "selftext",
    "title",
    "url",
];

fn read(file: &InputFile, _options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    read_json_records_light(file, ctx, read_value, &LIGHT)
}

pub(crate) fn read_value<V: Json>(
    value: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    if !value.is_object() {
        return ctx.quarantine(record, Reject::new("not a JSON object"), &excerpt_of(value));
    }
    read_thing(value, record, ctx, 0)
}

/// A record, a `{kind, data}` thing or a listing of things.
fn read_thing<V: Json>(
    value: &V,
    record: u64,
    ctx: &mut Ctx<'_>,
    depth: usize,
) -> Result<(), IngestError> {
    match text_of(value, "kind") {
        Some("Listing") => {
            let children = value
                .get("data")
                .and_then(|d| d.get("children"))
                .and_then(Json::as_array);
            if depth < MAX_DEPTH {
                for child in children.into_iter().flatten() {
                    read_thing(child, record, ctx, depth + 1)?;
                }
            }
            Ok(())
        }
        // "more" stubs name comments that were not loaded: no post.
        Some("more") => Ok(()),
        Some("t1" | "t3") if value.get("data").is_some_and(Json::is_object) => {
            let data = value.get("data").unwrap_or(value);
            ctx.emit(to_post(data), record, &|| excerpt_of(data))?;
            match data.get("replies") {
                Some(replies) if replies.is_object() && depth < MAX_DEPTH => {
                    read_thing(replies, record, ctx, depth + 1)
                }
                _ => Ok(()),
            }
        }
        _ => ctx.emit(to_post(value), record, &|| excerpt_of(value)),
    }
}

/// An id without its `t1_`/`t3_`/… type prefix.
fn bare(id: &str) -> String {
    let id = id.trim();
    match id.split_once('_') {
        Some((prefix, rest))
            if prefix.len() == 2 && prefix.starts_with('t') && !rest.is_empty() =>
        {
            rest.to_owned()
        }
        _ => id.to_owned(),
    }
}

fn id_field<V: Json>(v: &V, key: &str) -> Option<String> {
    super::id_of(v, key)
        .map(|id| bare(&id))
        .filter(|id| !id.is_empty())
}

/// `created_utc` as an integer, a float or a string of either.
fn created<V: Json>(v: &V) -> Result<DateTime<Utc>, Reject> {
    let field = v
        .get("created_utc")
        .filter(|t| !t.is_null())
        .ok_or_else(|| Reject::missing("created_utc"))?;
    let seconds = match (field.as_number(), field.as_str()) {
        (Some(n), _) => n.as_f64(),
        (_, Some(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    seconds
        .filter(|s| s.is_finite() && s.abs() < 1e13)
        .and_then(|s| DateTime::from_timestamp_millis((s * 1000.0).round() as i64))
        .ok_or_else(|| {
            let field = String::from_utf8_lossy(&field.excerpt()).into_owned();
            Reject::field("created_utc", format!("unparseable time {field}"))
        })
}

/// A text as exported, except the markers of removed and deleted texts, which become empty.
fn text<V: Json>(v: &V, key: &str) -> String {
    match text_of(v, key) {
        None | Some("[deleted]" | "[removed]") => String::new(),
        Some(t) => unescape_twitter(t),
    }
}

/// Maps one submission or comment.
fn to_post<V: Json>(v: &V) -> Result<Post, Reject> {
    if !v.is_object() {
        return Err(Reject::new("a record that is not a JSON object"));
    }
    let id = id_field(v, "id")
        .or_else(|| id_field(v, "name"))
        .ok_or_else(|| Reject::missing("id"))?;
    let created_at = created(v)?;
    let author = text_of(v, "author").unwrap_or(DELETED);
    let mut post = Post::new(Platform::Reddit, id, created_at, author, author);
    let is_comment = v.get("link_id").is_some() || v.get("body").is_some();
    post.url = text_of(v, "permalink")
        .map(|p| {
            if p.starts_with("http") {
                p.to_owned()
            } else {
                format!("https://www.reddit.com{p}")
            }
        })
        .or_else(|| {
            let link = id_field(v, "link_id")?;
            Some(format!(
                "https://www.reddit.com/comments/{link}/_/{}/",
                post.id
            ))
        })
        .or_else(|| (!is_comment).then(|| format!("https://www.reddit.com/comments/{}/", post.id)));
    post.likes = count_of(v, "score");
    if is_comment {
        post.kind = PostKind::Comment;
        post.conversation_id = id_field(v, "link_id");
        post.in_reply_to_id = id_field(v, "parent_id").or_else(|| post.conversation_id.clone());
        post.text = text(v, "body");
    } else {
        post.conversation_id = Some(post.id.clone());
        post.replies = count_of(v, "num_comments");
        post.reshares = count_of(v, "num_crossposts");
        let title = text(v, "title");
        let body = text(v, "selftext");
        post.text = match (title.is_empty(), body.is_empty()) {
            (_, true) => title,
            (true, false) => body,
            (false, false) => format!("{title}\n\n{body}"),
        };
        if let Some(parent) = id_field(v, "crosspost_parent") {
            post.quote_of_id = Some(parent);
            post.kind = PostKind::Quote;
        }
        let is_self = v.get("is_self").and_then(Json::as_bool).unwrap_or(false);
        if let Some(link) = text_of(v, "url").filter(|u| !is_self && u.starts_with("http")) {
            push_unique(&mut post.urls, link.to_owned());
        }
    }
    for url in urls(&post.text) {
        push_unique(&mut post.urls, url);
    }
    for caps in USER.iter().flat_map(|re| re.captures_iter(&post.text)) {
        if let Some(name) = caps.get(1) {
            push_unique(&mut post.mentions, name.as_str().to_lowercase());
        }
    }
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_go_and_times_come_in_three_shapes() {
        assert_eq!(bare("t3_1cebxh"), "1cebxh");
        assert_eq!(bare("t1_c9ftsjg"), "c9ftsjg");
        assert_eq!(bare("c9ftsjg"), "c9ftsjg");
        assert_eq!(bare("t3_"), "t3_");
        for t in [
            serde_json::json!({"created_utc": 1366044279}),
            serde_json::json!({"created_utc": 1366044279.0}),
            serde_json::json!({"created_utc": "1366044279"}),
        ] {
            assert_eq!(
                created(&t).unwrap().to_rfc3339(),
                "2013-04-15T16:44:39+00:00"
            );
        }
        assert!(created(&serde_json::json!({"created_utc": "gisteren"})).is_err());
        assert!(created(&serde_json::json!({"created_utc": 1e300})).is_err());
    }

    #[test]
    fn sniffs_dumps_and_listings() {
        assert!(sniff(
            br#"{"author":"a","subreddit":"self","created_utc":1,"link_id":"t3_x"}"#
        ));
        assert!(sniff(br#"[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"subreddit": "self""#));
        assert!(!sniff(
            br#"{"id_str": "1", "subreddit": "x", "created_utc": 1}"#
        ));
    }

    #[test]
    fn user_mentions() {
        let post = to_post(&serde_json::json!({"id": "a", "created_utc": 1, "author": "x",
            "body": "thanks /u/Bacon_Cake and u/someone-else, not mu/nope or r/trees", "link_id": "t3_b"}))
        .unwrap();
        assert_eq!(post.mentions, ["bacon_cake", "someone-else"]);
    }
}
